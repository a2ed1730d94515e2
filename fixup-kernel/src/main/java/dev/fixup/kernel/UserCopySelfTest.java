package dev.fixup.kernel;

import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.proc.Task;

import java.nio.charset.StandardCharsets;

/**
 * {@code fixup run --selftest usercopy}: the user-access routines of uaccess.S checked from inside
 * a live task, the way Linux's lib/test_user_copy.c checks them from a module, plus negative
 * cases: boundary pointers around TASK_SIZE and a fault at every offset. The task's address space gets known pages first (two writable pages followed
 * by a hole, twice; a PROT_NONE page; a read-only page), so every expected result is exact.
 *
 * <p>Two layers are checked. The guest routines themselves (copy_from_user, __get_user_4, ...)
 * are called directly: their results are the same under both {@code --uaccess} modes, because the
 * same guest code and the same exception table run. Then {@link UserAccess}, the layer the
 * syscalls use, where the modes differ: with the table a copy that faults stops at the fault (up
 * to 3 readable bytes short in the dword loop); with verify_area nothing is copied
 * at all when any byte of the range is bad, since the vmas are checked before the copy starts.
 *
 * <p>Results are inspected through the page tables ({@link #peek}, {@link #poke}), never through
 * the routines under test, so a routine cannot vouch for itself.
 */
final class UserCopySelfTest {
    static final int PAGE = Layout.PAGE_SIZE;
    /** Source pages (a fixed pattern) and the hole after them. */
    static final int SRC = 0x50000000, SRC_HOLE = SRC + 2 * PAGE;
    /** Destination pages for copies to user space, and the hole after them. */
    static final int DST = 0x50004000, DST_HOLE = DST + 2 * PAGE;
    static final int PROT_NONE_PAGE = 0x50008000, READ_ONLY_PAGE = 0x5000a000;
    /** Every small size, and both sides of a page. */
    static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 4095, 4096, 4097};
    private static final int GUARD = 0x5a, POISON = 0xee;

    private final Kernel k;
    private final UserAccess ua;
    private final SelfTestReport report;
    private final boolean verifyMode;
    private final int copyFromUser, copyToUser, clearUser, strncpyFromUser, strnlenUser;
    /** Two kernel buffers of two pages each: a destination (with room for the guard byte) and a source. */
    private int kdst, ksrc;

    UserCopySelfTest(Kernel k, UserAccess ua, SelfTestReport report) {
        this.k = k;
        this.ua = ua;
        this.report = report;
        this.verifyMode = k.cfg.uaccess == KernelConfig.UaccessMode.VERIFY;
        copyFromUser = k.image.symbol("copy_from_user");
        copyToUser = k.image.symbol("copy_to_user");
        clearUser = k.image.symbol("clear_user");
        strncpyFromUser = k.image.symbol("strncpy_from_user");
        strnlenUser = k.image.symbol("strnlen_user");
    }

    /** Runs every case in the current task; restores USER_DS and frees its buffers whatever happens. */
    void run() {
        Task t = k.current;
        kdst = k.frames.allocContiguous(2);
        ksrc = k.frames.allocContiguous(2);
        try {
            mapTestPages();
            legitimateCopies();
            illegalCopies();
            boundaryPointers();
            for (int n : SIZES) routineFaultsAtEveryOffset(n);
            for (int n : SIZES) syscallLayerFaultsAtEveryOffset(n);
            strings();
            kernelDs();
            exitPathResetsAddrLimit();
        } finally {
            t.setFs(k.ram, Layout.USER_DS);
            for (int i = 0; i < 2; i++) {
                k.frames.put(kdst + i * PAGE);
                k.frames.put(ksrc + i * PAGE);
            }
        }
    }

    // ------------------------------------------------------------------ set-up

    private void mapTestPages() {
        Mm mm = k.current.mm;
        int fixed = Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_FIXED;
        int rw = Mm.PROT_READ | Mm.PROT_WRITE;
        mm.mmap(Layout.u(SRC), 2 * PAGE, rw, fixed);
        mm.mmap(Layout.u(DST), 2 * PAGE, rw, fixed);
        mm.mmap(Layout.u(PROT_NONE_PAGE), PAGE, 0, fixed);
        mm.mmap(Layout.u(READ_ONLY_PAGE), PAGE, Mm.PROT_READ, fixed);
        // Fault every writable page in (through the guest, as any first touch would), then lay
        // the source pattern down directly.
        SelfTestReport.Case c = report.start("set-up: test pages mapped and filled");
        c.eq("clear_user of the source pages", 0, k.callGuest(clearUser, SRC, 2 * PAGE));
        c.eq("clear_user of the destination pages", 0, k.callGuest(clearUser, DST, 2 * PAGE));
        c.eq("get_user of the read-only page", 0, ua.getUser(1, READ_ONLY_PAGE)[0]);
        if (!c.failed()) {
            byte[] pattern = new byte[2 * PAGE];
            for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) srcByte(SRC + i);
            poke(SRC, pattern);
        }
        c.end();
    }

    /** The byte the source pages hold at user address a: varies with every address, rarely zero. */
    static int srcByte(int a) { return (a * 7 + (a >>> 8) + 1) & 0xff; }

    // ------------------------------------------------------------------ lib/test_user_copy.c

    /** Good pointers: every routine succeeds and moves the right bytes. */
    private void legitimateCopies() {
        fillKernel(ksrc, PAGE, 3);
        SelfTestReport.Case c = report.start("legitimate copy_to_user of a page");
        c.eq("not copied", 0, k.callGuest(copyToUser, DST, Layout.va(ksrc), PAGE));
        c.check(java.util.Arrays.equals(k.ram.read(ksrc, PAGE), peek(DST, PAGE)), "user page differs from the kernel source");
        c.end();

        c = report.start("legitimate copy_from_user of a page");
        k.ram.fill(kdst, PAGE, GUARD);
        c.eq("not copied", 0, k.callGuest(copyFromUser, Layout.va(kdst), DST, PAGE));
        c.check(java.util.Arrays.equals(k.ram.read(ksrc, PAGE), k.ram.read(kdst, PAGE)), "kernel copy differs from the user page");
        c.end();

        int[][] values = {{1, 0xa5}, {2, 0xa55a}, {4, 0xa55a1234}};
        for (int[] sv : values) {
            int size = sv[0], v = sv[1];
            c = report.start("legitimate put_user/get_user size " + size);
            int addr = DST + 64 + size;
            c.eq("put_user", 0, ua.putUser(size, addr, v));
            int[] got = ua.getUser(size, addr);
            c.eq("get_user result", 0, got[0]).eq("get_user value", v, got[1]);
            c.eq("memory", v, littleEndian(peek(addr, size)));
            c.end();
        }
        c = report.start("legitimate clear_user");
        c.eq("not cleared", 0, k.callGuest(clearUser, DST + 100, 300));
        c.check(allEqual(peek(DST + 100, 300), 0), "bytes left uncleared");
        c.end();
    }

    /** Bad pointers: refused or repaired, -EFAULT or the bytes not copied, nothing else changed. */
    private void illegalCopies() {
        int kernelAddr = Layout.va(ksrc);                   // a kernel address under USER_DS
        fillKernel(ksrc, PAGE, 5);
        byte[] kernelBefore = k.ram.read(ksrc, PAGE);

        SelfTestReport.Case c = report.start("illegal copy_from_user from a kernel address zero-fills all of `to`");
        k.ram.fill(kdst, PAGE + 1, GUARD);
        c.eq("not copied", PAGE, k.callGuest(copyFromUser, Layout.va(kdst), kernelAddr, PAGE));
        c.check(allEqual(k.ram.read(kdst, PAGE), 0), "destination not zero-filled");
        c.eq("guard byte", GUARD, k.ram.read8(kdst + PAGE));
        c.end();

        c = report.start("illegal copy_to_user to a kernel address writes nothing");
        fillKernel(kdst, PAGE, 9);
        c.eq("not copied", PAGE, k.callGuest(copyToUser, kernelAddr, Layout.va(kdst), PAGE));
        c.check(java.util.Arrays.equals(kernelBefore, k.ram.read(ksrc, PAGE)), "kernel memory changed");
        c.end();

        c = report.start("illegal clear_user of a kernel address clears nothing");
        c.eq("not cleared", 64, k.callGuest(clearUser, kernelAddr, 64));
        c.check(java.util.Arrays.equals(kernelBefore, k.ram.read(ksrc, PAGE)), "kernel memory changed");
        c.end();

        // Wrapping ranges: address + size passes 2^32. access_ok must refuse them before any access
        // (a huge n is only safe for copy_to_user and clear_user, which do not zero-fill).
        c = report.start("illegal wrapping copy_from_user (0xfffffff0, 32)");
        k.ram.fill(kdst, 33, GUARD);
        c.eq("not copied", 32, k.callGuest(copyFromUser, Layout.va(kdst), 0xfffffff0, 32));
        c.check(allEqual(k.ram.read(kdst, 32), 0), "destination not zero-filled");
        c.eq("guard byte", GUARD, k.ram.read8(kdst + 32));
        c.end();
        c = report.start("illegal wrapping copy_to_user and clear_user (a user address, size past 2^32)");
        byte[] dstBefore = peek(DST, 64);
        c.eq("copy_to_user not copied", 0xfffffff8L, Layout.u(k.callGuest(copyToUser, DST + 16, Layout.va(kdst), 0xfffffff8)));
        c.eq("clear_user not cleared", 0xfffffff8L, Layout.u(k.callGuest(clearUser, DST + 16, 0xfffffff8)));
        c.check(java.util.Arrays.equals(dstBefore, peek(DST, 64)), "user memory changed");
        c.end();

        for (int size : new int[] {1, 2, 4}) {
            getUserFails("illegal get_user size " + size + " from a kernel address", size, kernelAddr);
            getUserFails("illegal get_user size " + size + " from NULL", size, 0);
            getUserFails("illegal get_user size " + size + " from a PROT_NONE page", size, PROT_NONE_PAGE);
            putUserFails("illegal put_user size " + size + " to a kernel address", size, kernelAddr);
            putUserFails("illegal put_user size " + size + " to NULL", size, 0);
            putUserFails("illegal put_user size " + size + " to a read-only page", size, READ_ONLY_PAGE + 8);
            if (size > 1) {
                getUserFails("illegal get_user size " + size + " straddling the hole", size, SRC_HOLE - 1);
                putUserFails("illegal put_user size " + size + " straddling the hole", size, DST_HOLE - 1);
            }
        }
        c = report.start("illegal put_user to a kernel address leaves kernel memory as it was");
        c.check(java.util.Arrays.equals(kernelBefore, k.ram.read(ksrc, PAGE)), "kernel memory changed");
        c.end();

        c = report.start("illegal copy_to_user to a read-only page");
        byte[] readOnlyBefore = peek(READ_ONLY_PAGE, 16);
        c.eq("not copied", 16, k.callGuest(copyToUser, READ_ONLY_PAGE, Layout.va(kdst), 16));
        c.check(java.util.Arrays.equals(readOnlyBefore, peek(READ_ONLY_PAGE, 16)), "the read-only page changed");
        c.end();
        c = report.start("illegal copy_from_user from a PROT_NONE page zero-fills `to`");
        k.ram.fill(kdst, 17, GUARD);
        c.eq("not copied", 16, k.callGuest(copyFromUser, Layout.va(kdst), PROT_NONE_PAGE, 16));
        c.check(allEqual(k.ram.read(kdst, 16), 0), "destination not zero-filled");
        c.eq("guard byte", GUARD, k.ram.read8(kdst + 16));
        c.end();
    }

    /** get_user must fail with -EFAULT and leave its value 0 whatever the register held before. */
    private void getUserFails(String name, int size, int addr) {
        long r = k.callGuestRegs(getUserRoutine(size), addr, 0x5a5a5a5a);
        SelfTestReport.Case c = report.start(name);
        c.eq("result", -Errno.EFAULT, (int) r).eq("value (must be zeroed)", 0, (int) (r >>> 32));
        int[] viaKernel = ua.getUser(size, addr);
        c.eq("UserAccess.getUser result", -Errno.EFAULT, viaKernel[0]).eq("UserAccess.getUser value", 0, viaKernel[1]);
        c.end();
    }

    /** put_user must fail with -EFAULT and write nothing, not even the bytes that were writable. */
    private void putUserFails(String name, int size, int addr) {
        boolean userBytes = Integer.compareUnsigned(addr, Layout.USER_DS) < 0 && addr != 0;
        int readable = userBytes ? Math.min(size, peekable(addr, size)) : 0;
        if (readable > 0) poke(addr, filled(readable, POISON));
        SelfTestReport.Case c = report.start(name);
        c.eq("result", -Errno.EFAULT, ua.putUser(size, addr, 0x11223344));
        if (readable > 0) c.check(allEqual(peek(addr, readable), POISON), "bytes before the bad one were written");
        c.end();
    }

    private int getUserRoutine(int size) { return k.image.symbol("__get_user_" + size); }

    // ------------------------------------------------------------------ boundary pointers

    private void boundaryPointers() {
        int top = 0xbfffffff;                               // the last user byte: the stack's top page
        report.eq("access_ok(0xbfffffff, 1) is true", 1, ua.accessOk(top, 1) ? 1 : 0);
        report.eq("access_ok(0xbfffffff, 2) is false", 0, ua.accessOk(top, 2) ? 1 : 0);
        report.eq("access_ok(0xc0000000, 0) is true", 1, ua.accessOk(0xc0000000, 0) ? 1 : 0);
        report.eq("access_ok(0xc0000000, 1) is false", 0, ua.accessOk(0xc0000000, 1) ? 1 : 0);
        report.eq("access_ok(0xffffffff, 1) is false", 0, ua.accessOk(0xffffffff, 1) ? 1 : 0);
        report.eq("access_ok(0xffffffff, 4) is false", 0, ua.accessOk(0xffffffff, 4) ? 1 : 0);
        // The guest routines agree with access_ok (no access at all for the refused ones).
        report.eq("get_user size 1 at 0xbfffffff succeeds", 0, ua.getUser(1, top)[0]);
        report.eq("get_user size 2 at 0xbfffffff fails", -Errno.EFAULT, ua.getUser(2, top)[0]);
        report.eq("put_user size 2 at 0xbfffffff fails", -Errno.EFAULT, ua.putUser(2, top, 0));
        report.eq("copy_from_user (0xbfffffff, 1) copies", 0, k.callGuest(copyFromUser, Layout.va(kdst), top, 1));
        report.eq("copy_from_user (0xbfffffff, 2) is refused", 2, k.callGuest(copyFromUser, Layout.va(kdst), top, 2));
        report.eq("copy_to_user (0xc0000000, 0) succeeds", 0, k.callGuest(copyToUser, 0xc0000000, Layout.va(ksrc), 0));
        report.eq("copy_from_user (0xc0000000, 0) succeeds", 0, k.callGuest(copyFromUser, Layout.va(kdst), 0xc0000000, 0));
        report.eq("copy_from_user (0xc0000000, 1) is refused", 1, k.callGuest(copyFromUser, Layout.va(kdst), 0xc0000000, 1));
        report.eq("get_user size 1 at 0xc0000000 fails", -Errno.EFAULT, ua.getUser(1, 0xc0000000)[0]);
        report.eq("get_user size 1 at 0xffffffff fails", -Errno.EFAULT, ua.getUser(1, 0xffffffff)[0]);
        report.eq("get_user size 4 at 0xffffffff fails", -Errno.EFAULT, ua.getUser(4, 0xffffffff)[0]);
        report.eq("put_user size 4 at 0xffffffff fails", -Errno.EFAULT, ua.putUser(4, 0xffffffff, 0));
        report.eq("copy_to_user (0xffffffff, 1) is refused", 1, k.callGuest(copyToUser, 0xffffffff, Layout.va(ksrc), 1));
        report.eq("copy_to_user (0xffffffff, 4) is refused", 4, k.callGuest(copyToUser, 0xffffffff, Layout.va(ksrc), 4));
    }

    // ------------------------------------------------------------------ a fault at every offset

    /**
     * Bytes a rep movsl + rep movsb copy (or rep stosl + rep stosb clear) of n bytes completes
     * when only its first ok bytes are accessible. A dword that crosses into the bad page faults
     * whole, so a fault in the dword loop reports up to 3 good bytes as not copied.
     */
    static int expectedCopied(int n, int ok) {
        if (ok >= n) return n;
        if (ok >= (n & ~3)) return ok;                      // the fault comes in the byte loop: exact
        return ok & ~3;
    }

    /**
     * The guest routines with the bad page at every offset of an n-byte range (ok = the good bytes
     * before it, 0..n; ok = n + 1 puts a guard byte of user memory right after the range).
     */
    private void routineFaultsAtEveryOffset(int n) {
        copyFromUserAtEveryOffset(n);
        copyToUserAtEveryOffset(n);
        clearUserAtEveryOffset(n);
    }

    private void copyFromUserAtEveryOffset(int n) {
        SelfTestReport.Case c = report.start("copy_from_user n=" + n + ", the hole at every offset, guard byte after `to`");
        for (int ok = 0; ok <= n && !c.failed(); ok++) {
            int src = SRC_HOLE - ok, copied = expectedCopied(n, ok);
            k.ram.fill(kdst, n + 1, GUARD);
            c.eq("not copied (hole at offset " + ok + ")", n - copied, k.callGuest(copyFromUser, Layout.va(kdst), src, n));
            // Expected: the copied source bytes, a zero-filled tail, the guard byte untouched.
            byte[] want = new byte[n + 1];
            System.arraycopy(sourceBytes(src, copied), 0, want, 0, copied);
            want[n] = (byte) GUARD;
            compare(c, ok, "to", k.ram.read(kdst, n + 1), want);
        }
        c.end();
    }

    private void copyToUserAtEveryOffset(int n) {
        SelfTestReport.Case c = report.start("copy_to_user n=" + n + ", the hole at every offset, guard byte after the range");
        for (int ok = 0; ok <= n + 1 && !c.failed(); ok++) {
            int dst = DST_HOLE - ok, copied = expectedCopied(n, ok);
            byte[] data = fillKernel(ksrc, n, n * 31 + ok);
            if (ok > 0) poke(dst, filled(ok, POISON));
            c.eq("not copied (hole at offset " + ok + ")", n - copied, k.callGuest(copyToUser, dst, Layout.va(ksrc), n));
            compare(c, ok, "user", peek(dst, ok), copiedThenPoison(data, copied, ok));
        }
        c.end();
    }

    private void clearUserAtEveryOffset(int n) {
        SelfTestReport.Case c = report.start("clear_user n=" + n + ", the hole at every offset, guard byte after the range");
        for (int ok = 0; ok <= n + 1 && !c.failed(); ok++) {
            int dst = DST_HOLE - ok, cleared = expectedCopied(n, ok);
            if (ok > 0) poke(dst, filled(ok, POISON));
            c.eq("not cleared (hole at offset " + ok + ")", n - cleared, k.callGuest(clearUser, dst, n));
            compare(c, ok, "user", peek(dst, ok), copiedThenPoison(new byte[n], cleared, ok));
        }
        c.end();
    }

    /**
     * The same through UserAccess, the layer every syscall uses: the exact count under the table;
     * all or nothing under verify_area. The bounce buffer's uncopied tail must be zero in both.
     */
    private void syscallLayerFaultsAtEveryOffset(int n) {
        kernelCopyInAtEveryOffset(n);
        kernelCopyOutAtEveryOffset(n);
    }

    /** Bytes a copy through UserAccess completes when the first ok bytes are good, in this mode. */
    private int layerCopied(int n, int ok) {
        return verifyMode ? (ok >= n ? n : 0) : expectedCopied(n, ok);
    }

    private void kernelCopyInAtEveryOffset(int n) {
        SelfTestReport.Case c = report.start("kernel copy in (" + modeName() + ") n=" + n + ", the hole at every offset");
        for (int ok = 0; ok <= n && !c.failed(); ok++) {
            int src = SRC_HOLE - ok, copied = layerCopied(n, ok);
            if (n > UserAccess.CHUNK) {
                byte[] all = ua.read(src, n);
                c.check((all != null) == (copied == n), "hole at offset " + ok + ": read gave " + (all == null ? "nothing" : "all bytes"));
                continue;
            }
            k.ram.fill(Layout.pa(ua.bounce), n, GUARD);
            int[] notCopied = new int[1];
            byte[] got = ua.copyFromUser(src, n, notCopied);
            c.eq("not copied (hole at offset " + ok + ")", n - copied, notCopied[0]);
            c.eq("bytes returned (hole at offset " + ok + ")", copied, got.length);
            compare(c, ok, "bytes returned", got, sourceBytes(src, got.length));
            c.check(allEqual(k.ram.read(Layout.pa(ua.bounce) + got.length, n - got.length), 0),
                    "hole at offset " + ok + ": the uncopied tail of the kernel buffer is not zero");
        }
        c.end();
    }

    private void kernelCopyOutAtEveryOffset(int n) {
        SelfTestReport.Case c = report.start("kernel copy out (" + modeName() + ") n=" + n + ", the hole at every offset");
        for (int ok = 0; ok <= n && !c.failed(); ok++) {
            int dst = DST_HOLE - ok, copied = layerCopied(n, ok);
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) data[i] = (byte) (i * 13 + ok + 1);
            if (ok > 0) poke(dst, filled(ok, POISON));
            if (n > UserAccess.CHUNK) {
                c.check(ua.write(dst, data) == (copied == n), "hole at offset " + ok + ": write said " + !(copied == n));
                continue;
            }
            c.eq("not copied (hole at offset " + ok + ")", n - copied, ua.copyToUser(dst, data, 0, n));
            compare(c, ok, "user", peek(dst, ok), copiedThenPoison(data, copied, ok));
        }
        c.end();
    }

    private String modeName() { return verifyMode ? "verify" : "extable"; }

    /** What the source pages hold at [src, src + n). */
    private static byte[] sourceBytes(int src, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) srcByte(src + i);
        return b;
    }

    /** The first `copied` bytes of data, then POISON (untouched memory) up to len. */
    private static byte[] copiedThenPoison(byte[] data, int copied, int len) {
        byte[] b = filled(len, POISON);
        System.arraycopy(data, 0, b, 0, Math.min(copied, len));
        return b;
    }

    /** Fails the case at the first byte where got differs from want, naming it. */
    private static void compare(SelfTestReport.Case c, int ok, String what, byte[] got, byte[] want) {
        int i = java.util.Arrays.mismatch(got, want);
        if (i < 0) return;
        c.check(false, "hole at offset " + ok + ": " + what + "[" + i + "] = "
                + (i < got.length ? got[i] & 0xff : "(none)") + ", expected " + (i < want.length ? want[i] & 0xff : "(none)"));
    }

    // ------------------------------------------------------------------ strings

    private void strings() {
        // "abc\0" ending 2 bytes before the hole; "xy" with no NUL running into the hole.
        int s = DST_HOLE - 6;
        poke(s, "abc\0xy".getBytes(StandardCharsets.US_ASCII));
        int dst = Layout.va(kdst);
        strncpy("strncpy_from_user: NUL found: the length", s, 10, 3, "abc");
        strncpy("strncpy_from_user: count shorter than the string: count, no NUL written", s, 2, 2, "ab");
        strncpy("strncpy_from_user: count 0 copies nothing", s, 0, 0, "");
        strncpy("strncpy_from_user: runs into the hole: -EFAULT", s + 4, 10, -Errno.EFAULT, null);
        strncpy("strncpy_from_user: count ends exactly at the hole: count, no fault", s + 4, 2, 2, "xy");
        strncpy("strncpy_from_user: NULL: -EFAULT", 0, 10, -Errno.EFAULT, null);
        strncpy("strncpy_from_user: PROT_NONE page: -EFAULT", PROT_NONE_PAGE, 10, -Errno.EFAULT, null);
        strncpy("strncpy_from_user: kernel address: -EFAULT", Layout.va(ksrc), 10, -Errno.EFAULT, null);
        strncpy("strncpy_from_user: read-only page of zeros: empty string", READ_ONLY_PAGE, 10, 0, "");
        report.eq("strncpy_from_user: source at 0xc0000000 with count 0: -EFAULT (access_ok first)", -Errno.EFAULT,
                k.callGuest(strncpyFromUser, dst, 0xc0000000, 0));

        report.eq("strnlen_user: length + 1", 4, k.callGuest(strnlenUser, s, 10));
        report.eq("strnlen_user: too long: n + 1", 3, k.callGuest(strnlenUser, s, 2));
        report.eq("strnlen_user: n = 0: 1", 1, k.callGuest(strnlenUser, s, 0));
        report.eq("strnlen_user: empty string: 1", 1, k.callGuest(strnlenUser, s + 3, 100));
        report.eq("strnlen_user: runs into the hole: 0", 0, k.callGuest(strnlenUser, s + 4, 10));
        report.eq("strnlen_user: NULL: 0", 0, k.callGuest(strnlenUser, 0, 10));
        report.eq("strnlen_user: PROT_NONE page: 0", 0, k.callGuest(strnlenUser, PROT_NONE_PAGE, 10));
        report.eq("strnlen_user: at addr_limit: 0", 0, k.callGuest(strnlenUser, 0xc0000000, 10));
        report.eq("strnlen_user: 0xffffffff: 0", 0, k.callGuest(strnlenUser, 0xffffffff, 10));

        report.eq("getname: NULL: -EFAULT", -Errno.EFAULT, name(ua.getname(0)));
        report.eq("getname: empty: -ENOENT", -Errno.ENOENT, name(ua.getname(s + 3)));
        report.eq("getname: kernel address: -EFAULT", -Errno.EFAULT, name(ua.getname(Layout.va(ksrc))));
        report.eq("getname: runs into the hole: -EFAULT", -Errno.EFAULT, name(ua.getname(s + 4)));
        SelfTestReport.Case c = report.start("getname: a good name");
        Object got = ua.getname(s);
        c.check("abc".equals(got), "got " + got).end();
        poke(DST, filled(PAGE, 'a'));
        report.eq("getname: 4096 bytes without a NUL: -ENAMETOOLONG", -Errno.ENAMETOOLONG, name(ua.getname(DST)));
        poke(DST_HOLE - 3, "ab\0".getBytes(StandardCharsets.US_ASCII));
        report.eq("strnlen_user: the NUL is the last byte before the hole", 3, k.callGuest(strnlenUser, DST_HOLE - 3, 100));
        strncpy("strncpy_from_user: the NUL is the last byte before the hole", DST_HOLE - 3, 100, 2, "ab");
    }

    private void strncpy(String name, int src, int count, int expected, String copied) {
        SelfTestReport.Case c = report.start(name);
        k.ram.fill(kdst, 16, GUARD);
        c.eq("result", expected, k.callGuest(strncpyFromUser, Layout.va(kdst), src, count));
        if (copied != null) {
            byte[] b = k.ram.read(kdst, copied.length() + 1);
            c.check(new String(b, 0, copied.length(), StandardCharsets.US_ASCII).equals(copied), "copied bytes differ");
            int after = b[copied.length()] & 0xff;
            // A NUL is copied only when one was found within count.
            boolean nulExpected = expected < count;
            c.check(nulExpected ? after == 0 : after == GUARD, "byte after the copy is " + after);
        }
        c.end();
    }

    /** getname's result as a number: an errno, or 1 for a name. */
    private static long name(Object r) { return r instanceof Integer i ? i : 1; }

    // ------------------------------------------------------------------ set_fs(KERNEL_DS)

    /** Under KERNEL_DS the routines reach kernel memory; wrapping ranges and bad pages still fail. */
    private void kernelDs() {
        Task t = k.current;
        byte[] ksrcData = fillKernel(ksrc, 64, 77);
        k.ram.write(ksrc + 64, "kernel\0".getBytes(StandardCharsets.US_ASCII));
        t.setFs(k.ram, Layout.KERNEL_DS);
        try {
            SelfTestReport.Case c = report.start("KERNEL_DS: copy_from_user from a kernel address");
            k.ram.fill(kdst, 65, GUARD);
            c.eq("not copied", 0, k.callGuest(copyFromUser, Layout.va(kdst), Layout.va(ksrc), 64));
            c.check(java.util.Arrays.equals(ksrcData, k.ram.read(kdst, 64)), "data differs");
            c.eq("guard byte", GUARD, k.ram.read8(kdst + 64));
            c.end();

            c = report.start("KERNEL_DS: copy_to_user and put_user/get_user on kernel addresses");
            c.eq("copy_to_user not copied", 0, k.callGuest(copyToUser, Layout.va(kdst), Layout.va(ksrc), 64));
            c.check(java.util.Arrays.equals(ksrcData, k.ram.read(kdst, 64)), "data differs");
            c.eq("put_user", 0, ua.putUser(4, Layout.va(kdst), 0x12345678));
            int[] got = ua.getUser(4, Layout.va(kdst));
            c.eq("get_user", 0, got[0]).eq("get_user value", 0x12345678, got[1]);
            c.end();

            c = report.start("KERNEL_DS: strncpy_from_user and strnlen_user of a kernel string");
            c.eq("strncpy_from_user", 6, k.callGuest(strncpyFromUser, Layout.va(kdst), Layout.va(ksrc) + 64, 100));
            c.eq("strnlen_user", 7, k.callGuest(strnlenUser, Layout.va(ksrc) + 64, 100));
            Object name = ua.getname(Layout.va(ksrc) + 64);
            c.check("kernel".equals(name), "getname gave " + name);
            c.end();

            c = report.start("KERNEL_DS: kernel copy in through UserAccess");
            int[] notCopied = new int[1];
            byte[] b = ua.copyFromUser(Layout.va(ksrc), 64, notCopied);
            c.eq("not copied", 0, notCopied[0]).check(java.util.Arrays.equals(ksrcData, b), "data differs");
            c.end();

            c = report.start("KERNEL_DS: user pointers still work, holes still fault");
            c.eq("copy_from_user of good user bytes", 0, k.callGuest(copyFromUser, Layout.va(kdst), SRC, 16));
            c.eq("copy_from_user running into the hole: not copied", 16, k.callGuest(copyFromUser, Layout.va(kdst), SRC_HOLE - 8, 24));
            c.eq("get_user from NULL", -Errno.EFAULT, ua.getUser(4, 0)[0]);
            c.eq("put_user to the read-only page", -Errno.EFAULT, ua.putUser(4, READ_ONLY_PAGE, 1));
            c.end();

            c = report.start("KERNEL_DS: wrapping ranges are still refused");
            k.ram.fill(kdst, 33, GUARD);
            c.eq("copy_from_user (0xfffffff0, 32)", 32, k.callGuest(copyFromUser, Layout.va(kdst), 0xfffffff0, 32));
            c.check(allEqual(k.ram.read(kdst, 32), 0), "destination not zero-filled");
            c.eq("get_user size 4 at 0xfffffffe", -Errno.EFAULT, ua.getUser(4, 0xfffffffe)[0]);
            c.eq("get_user size 1 at 0xffffffff (the limit itself)", -Errno.EFAULT, ua.getUser(1, 0xffffffff)[0]);
            c.eq("put_user size 2 at 0xffffffff", -Errno.EFAULT, ua.putUser(2, 0xffffffff, 0));
            c.end();
        } finally {
            t.setFs(k.ram, Layout.USER_DS);
        }
        SelfTestReport.Case c = report.start("set_fs(USER_DS) again: kernel addresses refused");
        int[] notCopied = new int[1];
        ua.copyFromUser(Layout.va(ksrc), 64, notCopied);
        c.eq("not copied", 64, notCopied[0]).eq("get_user", -Errno.EFAULT, ua.getUser(4, Layout.va(ksrc))[0]);
        c.end();
    }

    /**
     * do_exit must put addr_limit back to USER_DS before it touches user memory (clear_child_tid):
     * CVE-2010-4258, where a task that oopsed under KERNEL_DS let exit write to a kernel address.
     * The exit is prepared but not thrown, so the self-test task lives on.
     */
    private void exitPathResetsAddrLimit() {
        Task t = k.current;
        int target = Layout.va(ksrc);
        k.ram.write32(ksrc, 0x600dc0de);
        t.setFs(k.ram, Layout.KERNEL_DS);
        k.exit(t, 0);
        SelfTestReport.Case c = report.start("exit path resets addr_limit to USER_DS (CVE-2010-4258)");
        c.eq("addr_limit after do_exit", Layout.u(Layout.USER_DS), Layout.u(t.addrLimit(k.ram)));
        c.eq("put_user to a kernel address on the exit path", -Errno.EFAULT, ua.putUser(4, target, 0));
        c.eq("the kernel word", 0x600dc0de, k.ram.read32(ksrc));
        c.end();
        t.setFs(k.ram, Layout.USER_DS);
    }

    // ------------------------------------------------------------------ helpers

    /** Fills n bytes of kernel memory at physical pa with a pattern of seed; returns the bytes. */
    private byte[] fillKernel(int pa, int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (seed + 31 * i + 1);
        k.ram.write(pa, b);
        return b;
    }

    /** Reads user memory of the current task through its page tables (pages must be present). */
    private byte[] peek(int addr, int n) {
        byte[] out = new byte[n];
        for (int done = 0; done < n; ) {
            int a = addr + done, len = Math.min(n - done, PAGE - (a & (PAGE - 1)));
            long pa = k.cpu.translate(a);
            if (pa < 0) throw new IllegalStateException(String.format("self-test: %08x is not present", a));
            k.ram.read((int) pa, out, done, len);
            done += len;
        }
        return out;
    }

    /** Writes user memory of the current task through its page tables (pages must be present). */
    private void poke(int addr, byte[] data) {
        for (int done = 0; done < data.length; ) {
            int a = addr + done, len = Math.min(data.length - done, PAGE - (a & (PAGE - 1)));
            long pa = k.cpu.translate(a);
            if (pa < 0) throw new IllegalStateException(String.format("self-test: %08x is not present", a));
            k.ram.write((int) pa, data, done, len);
            done += len;
        }
    }

    /** How many of the n bytes at addr are present, counting from addr. */
    private int peekable(int addr, int n) {
        for (int i = 0; i < n; i++) if (k.cpu.translate(addr + i) < 0) return i;
        return n;
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private static boolean allEqual(byte[] b, int v) {
        for (byte x : b) if ((x & 0xff) != v) return false;
        return true;
    }

    private static int littleEndian(byte[] b) {
        int v = 0;
        for (int i = b.length - 1; i >= 0; i--) v = v << 8 | (b[i] & 0xff);
        return v;
    }
}
