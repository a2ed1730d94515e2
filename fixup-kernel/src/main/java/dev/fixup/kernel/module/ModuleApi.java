package dev.fixup.kernel.module;

import dev.fixup.kernel.HostCall;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.fs.MiscDevices;
import dev.fixup.kernel.mm.VmallocArea;
import dev.fixup.kernel.signal.Signal;

import dev.fixup.cpu.Cpu;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The exported services that are Java: printk, kmalloc/kfree, memcpy/memset and the misc-device
 * registration. Like {@link HostCall}, each has an address in a reserved page of kernel virtual
 * space; a module's `call printk` lands there, and the CPU runs the Java method with the cdecl
 * arguments on the guest stack. These services touch kernel memory only (the direct map and
 * vmalloc space); a module that wants user memory calls the guest routines of uaccess.S.
 */
final class ModuleApi {
    /** Physical page of these services: below the kernel image, next to the host-call page and the gate. */
    static final int PAGE_PHYS = 0x3000;
    /** Longest string printk or misc_register reads from a module. */
    private static final int MAX_STRING = 1024;

    enum Service {
        PRINTK, KMALLOC, KFREE, MEMCPY, MEMSET, MISC_REGISTER, MISC_DEREGISTER;

        String symbol() { return name().toLowerCase(); }

        int address() { return Layout.va(PAGE_PHYS) + HostCall.STRIDE * ordinal(); }
    }

    private final Kernel k;
    private final VmallocArea vmalloc;
    private final MiscDevices misc;
    /** kmalloc'ed blocks: kernel address -> pages. */
    private final Map<Integer, Integer> blocks = new HashMap<>();

    ModuleApi(Kernel k, VmallocArea vmalloc, MiscDevices misc) {
        this.k = k;
        this.vmalloc = vmalloc;
        this.misc = misc;
    }

    /** The host-call handler of the page. */
    void call(Cpu cpu, int offset) {
        int i = offset / HostCall.STRIDE;
        if (offset % HostCall.STRIDE != 0 || i >= Service.values().length) {
            throw new IllegalStateException("jump into the module services page at offset " + Integer.toHexString(offset));
        }
        int result = switch (Service.values()[i]) {
            case PRINTK -> printk(cpu);
            case KMALLOC -> kmalloc(cpu.arg(0));
            case KFREE -> kfree(cpu.arg(0));
            case MEMCPY -> memcpy(cpu.arg(0), cpu.arg(1), cpu.arg(2));
            case MEMSET -> memset(cpu.arg(0), cpu.arg(1), cpu.arg(2));
            case MISC_REGISTER -> misc.register(cpu.arg(0));
            case MISC_DEREGISTER -> misc.deregister(cpu.arg(0));
        };
        cpu.returnFromHostCall(result);
    }

    // ---- printk

    /** printk(fmt, ...): the kernel log line; a leading "<N>" log level is dropped as the console does. */
    private int printk(Cpu cpu) {
        String fmt = string(cpu.arg(0));
        if (fmt.length() >= 3 && fmt.charAt(0) == '<' && fmt.charAt(2) == '>' && Character.isDigit(fmt.charAt(1))) fmt = fmt.substring(3);
        String text = format(fmt, new int[] {1}, cpu);
        k.printk(text);
        return text.length();
    }

    /** The C conversions a driver uses: %d %i %u %x %X %o %c %s %p %%, with flags, width and l/h/ll. */
    private String format(String fmt, int[] argIndex, Cpu cpu) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 == fmt.length()) { b.append(c); continue; }
            int j = i + 1;
            StringBuilder spec = new StringBuilder("%");
            while (j < fmt.length() && "-0+ #".indexOf(fmt.charAt(j)) >= 0) spec.append(fmt.charAt(j++));
            while (j < fmt.length() && Character.isDigit(fmt.charAt(j))) spec.append(fmt.charAt(j++));
            int longs = 0;
            while (j < fmt.length() && (fmt.charAt(j) == 'l' || fmt.charAt(j) == 'h' || fmt.charAt(j) == 'z')) {
                if (fmt.charAt(j) == 'l') longs++;
                j++;
            }
            if (j == fmt.length()) { b.append(fmt, i, j); break; }
            char conv = fmt.charAt(j);
            long v = 0;
            if ("diuxXocp".indexOf(conv) >= 0) {
                v = Integer.toUnsignedLong(cpu.arg(argIndex[0]++));
                if (longs >= 2) v |= (long) cpu.arg(argIndex[0]++) << 32;
            }
            boolean wide = longs >= 2;
            switch (conv) {
                case 'd', 'i' -> b.append(String.format(spec + "d", wide ? v : (long) (int) v));
                case 'u' -> b.append(String.format(spec + "d", wide ? v : v & 0xFFFFFFFFL));
                case 'x', 'X', 'o' -> b.append(String.format(spec.toString() + conv, v));
                case 'c' -> b.append((char) (v & 0xFF));
                case 'p' -> b.append(String.format("%08x", v));
                case 's' -> b.append(String.format(spec + "s", string(cpu.arg(argIndex[0]++))));
                case '%' -> b.append('%');
                default -> b.append(fmt, i, j + 1);
            }
            i = j;
        }
        return b.toString();
    }

    /** A NUL-terminated string of kernel memory (a module's literal), cut at MAX_STRING. */
    String string(int va) {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < MAX_STRING; n++) {
            int pa = vmalloc.physical(va + n);
            if (pa == -1) return b.append("(bad address)").toString();
            int c = k.ram.read8(pa);
            if (c == 0) break;
            b.append((char) c);
        }
        return new String(b.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    // ---- memory

    /** kmalloc(size, flags): whole zeroed frames in the direct map (so the address is physically contiguous), or NULL. */
    private int kmalloc(int size) {
        if (size <= 0 || size > 128 << 10) return 0;
        int pages = Integer.highestOneBit((int) Layout.pageAlign(size) / Layout.PAGE_SIZE - 1) << 1;
        pages = Math.max(pages, 1);
        int pa = k.frames.allocContiguous(pages);
        if (pa == -1) return 0;
        int va = Layout.va(pa);
        blocks.put(va, pages);
        return va;
    }

    private int kfree(int va) {
        if (va == 0) return 0;
        Integer pages = blocks.remove(va);
        if (pages == null) {
            k.printk(String.format("kfree: %08x was not allocated by kmalloc: ignored", va));
            return 0;
        }
        for (int i = 0; i < pages; i++) k.frames.put(Layout.pa(va) + i * Layout.PAGE_SIZE);
        return 0;
    }

    /** Blocks still allocated (for leak checks). */
    int kmallocBlocks() { return blocks.size(); }

    private int memcpy(int dst, int src, int n) {
        for (int i = 0; i < n; i++) k.ram.write8(kernelPa(dst + i), k.ram.read8(kernelPa(src + i)));
        return dst;
    }

    private int memset(int dst, int c, int n) {
        for (int i = 0; i < n; i++) k.ram.write8(kernelPa(dst + i), c);
        return dst;
    }

    /**
     * memcpy and memset are for kernel memory; a user or unmapped address is a module bug. Like
     * an oops, it kills the calling task and the kernel goes on (a failed init_module is undone
     * on the way out); with no task to blame, the machine stops.
     */
    private int kernelPa(int va) {
        int pa = Layout.u(va) >= Layout.TASK_SIZE ? vmalloc.physical(va) : -1;
        if (pa != -1) return pa;
        String what = String.format("BUG: a module passed memcpy/memset the non-kernel address %08x", va);
        k.printk(what);
        if (k.current == null) throw new Kernel.KernelPanic(what);
        throw k.exit(k.current, Signal.killedBy(Signal.SIGSEGV));
    }
}
