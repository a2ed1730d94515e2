package dev.fixup.kernel.mm;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.GuestC;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.Tools;
import dev.fixup.kernel.proc.ProgramLoader;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Memory at the edges, as Linux answers there: the default overcommit check (OVERCOMMIT_GUESS)
 * against guest RAM, the OOM killer when touched pages exhaust RAM (from user and from kernel
 * mode), fork with no frame for a page directory, page tables given back by munmap, and a
 * program whose last segment ends at the top of user space, where the stack would go.
 */
class MemoryEdgesTest {
    private static final int RAM = 8 << 20;

    private record Run(int status, String stdout, String klog, int framesBefore, int framesAfter) {}

    private static Run run(byte[] elf, int ram, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = new KernelConfig();
        c.ramBytes = ram;
        c.stdout = c.stderr = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.klog = c.traceOut = new PrintStream(klog, true, StandardCharsets.UTF_8);
        c.stdin = new java.io.ByteArrayInputStream(new byte[0]);
        c.trace = EnumSet.noneOf(KernelConfig.TraceClass.class);
        c.maxInstructions = 500_000_000L;
        Kernel k;
        try {
            k = Kernel.boot(c, Tools.kernel());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int before = k.freeFrames();
        int st = k.exec(elf, argv, new String[0]);
        return new Run(st, out.toString(StandardCharsets.UTF_8), klog.toString(StandardCharsets.UTF_8), before, k.freeFrames());
    }

    private static Run oom(String hold, String touch, String mode) throws Exception {
        Path exe = GuestC.build("oom");
        Run r = run(Files.readAllBytes(exe), RAM, "oom", Integer.toString(RAM >> 20), hold, touch, mode);
        assertEquals(0, r.status, r.stdout + r.klog);
        for (String line : List.of("overcommit: brk by RAM + 1 MB at once refused", "overcommit: brk by 1 MB granted",
                "overcommit: mmap private writable 2 x RAM = -12", "overcommit: mmap shared anonymous 2 x RAM = -12",
                "overcommit: mmap private writable RAM / 2 = 0", "overcommit: the same with MAP_NORESERVE = 0",
                "overcommit: mmap private read-only 2 x RAM = 0", "overcommit: mprotect it writable = -12")) {
            assertTrue(r.stdout.contains(line + "\n"), "missing \"" + line + "\" in:\n" + r.stdout);
        }
        assertFalse(r.klog.contains("Oops") || r.klog.contains("Unable to handle"), r.klog);
        assertEquals(r.framesBefore, r.framesAfter, "every frame back after the run");
        return r;
    }

    /** The holder has more resident pages than the toucher: the OOM killer takes the holder, the toucher goes on. */
    @Test
    void theOomKillerKillsTheBiggestTaskAndTheFaultGoesOn() throws Exception {
        for (String mode : List.of("user", "kernel")) {
            Run r = oom("5", "4", mode);
            assertTrue(r.stdout.contains("toucher: exit 0\n"), mode + ":\n" + r.stdout + r.klog);
            assertTrue(r.stdout.contains("holder: signal 9\n"), r.stdout);
            assertTrue(r.stdout.contains("pids: holder 2 toucher 3\n"), r.stdout);
            assertEquals("Out of Memory: Killed process 2 (oom).\n", r.klog, mode);
        }
    }

    /**
     * A task that touches more than RAM is itself the biggest: it dies by SIGKILL (never SIGSEGV:
     * its brk succeeded), with the OOM line and the fault path's "VM: killing process". From
     * kernel mode (read(2) filling its heap) it does not run on after the failed copy.
     */
    @Test
    void aTaskThatTouchesMoreThanRamIsKilledNotLetRunOn() throws Exception {
        for (String mode : List.of("user", "kernel")) {
            Run r = oom("0", "16", mode);
            assertTrue(r.stdout.contains("toucher: signal 9\n"), mode + ":\n" + r.stdout + r.klog);
            assertFalse(r.stdout.contains("toucher: read ="), "the toucher printed after the failed read:\n" + r.stdout);
            assertEquals("Out of Memory: Killed process 3 (oom).\nVM: killing process oom\n", r.klog, mode);
        }
    }

    /** The first brk(0) is the page boundary after the end of .bss (qemu-i386 and Linux 6 agree). */
    @Test
    void theInitialBreakIsThePageAfterTheBss() throws Exception {
        byte[] elf = Tools.program("\t.bss\n\t.space 13\n\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $45, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n"
                + "\tmovl $_end, %ecx\n\taddl $4095, %ecx\n\tandl $-4096, %ecx\n"
                + "\txorl %ebx, %ebx\n\tcmpl %ecx, %eax\n\tsetne %bl\n\ttestl $4095, %eax\n\tsetne %bh\n\torb %bh, %bl\n\tmovzbl %bl, %ebx\n"
                + "\tmovl $1, %eax\n\tint $0x80\n");
        assertEquals(0, Tools.run(elf, false).status());
    }

    /** fork with a kernel stack but no frame for the child's page directory: -ENOMEM, nothing lost. */
    @Test
    void forkWithoutAFrameForThePageDirectoryIsEnomem() throws Exception {
        byte[] elf = Tools.program("\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $1001, %eax\n\tint $0x80\n"
                + "\tmovl $2, %eax\n\tint $0x80\n\tmovl %eax, %esi\n\ttestl %eax, %eax\n\tjz child\n"
                + "\tmovl $1001, %eax\n\tint $0x80\n"
                + "\tmovl %esi, %ebx\n\tnegl %ebx\n\tmovl $1, %eax\n\tint $0x80\n"
                + "child:\n\tmovl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(b, b, b);
        c.trace = EnumSet.of(KernelConfig.TraceClass.SYS);
        Kernel k = Kernel.boot(c, Tools.kernel());
        List<Integer> held = new ArrayList<>();
        int[] freeInFork = new int[1];
        k.testProbe = kk -> {
            if (held.isEmpty()) {
                for (int f; (f = kk.frames.alloc()) != -1; ) held.add(f);
                // Leave one aligned pair: the kernel stack (two frames) fits, the page directory does not.
                for (int f : held) {
                    if ((f >>> 12) % 2 == 0 && held.contains(f + Layout.PAGE_SIZE)) {
                        kk.frames.put(f);
                        kk.frames.put(f + Layout.PAGE_SIZE);
                        held.remove(Integer.valueOf(f));
                        held.remove(Integer.valueOf(f + Layout.PAGE_SIZE));
                        break;
                    }
                }
                freeInFork[0] = kk.freeFrames();
            } else {
                assertEquals(2, kk.freeFrames(), "the failed fork gave back its kernel stack");
                for (int f : held) kk.frames.put(f);
            }
        };
        int before = k.freeFrames();
        int st = k.exec(elf, new String[] {"forker"}, new String[0]);
        assertEquals(2, freeInFork[0]);
        assertEquals(Errno.ENOMEM, st, "the exit status is -fork(): " + b);
        assertTrue(b.toString().contains("fork() = -12"), b.toString());
        assertEquals(before, k.freeFrames());
    }

    @Test
    void munmapGivesBackThePageTablesOfA4MbBlockLeftEmpty() {
        Ram ram = Ram.ofArray(new byte[8 << 20]);
        FrameAllocator frames = new FrameAllocator(ram, 0x200000, 8 << 20);
        PageDirectory master = PageDirectory.kernel(ram, frames, 8 << 20);
        Mm mm = new Mm(PageDirectory.user(master), ram, frames);
        int start = frames.freeFrames();
        long a = 0x10000000L, b = a + Layout.PAGE_SIZE, far = 0x20000000L;
        int rw = Mm.PROT_READ | Mm.PROT_WRITE, fixed = Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_FIXED;
        assertEquals(a, mm.mmap(a, 2 * Layout.PAGE_SIZE, rw, fixed));
        assertEquals(far, mm.mmap(far, Layout.PAGE_SIZE, rw, fixed));
        for (long p : new long[] {a, b, far}) assertTrue(mm.handleMmFault(mm.findVma(p), p, true) > 0);
        assertEquals(2, mm.pgd.userTables());
        assertEquals(start - 5, frames.freeFrames(), "three pages and two page tables");
        assertEquals(0, mm.munmap(a, Layout.PAGE_SIZE));
        assertEquals(2, mm.pgd.userTables(), "the block still has an area: its table stays");
        assertEquals(start - 4, frames.freeFrames());
        assertEquals(0, mm.munmap(b, Layout.PAGE_SIZE));
        assertEquals(1, mm.pgd.userTables(), "the block is empty: its table goes");
        assertEquals(start - 2, frames.freeFrames());
        assertEquals(0, mm.munmap(far, Layout.PAGE_SIZE));
        assertEquals(0, mm.pgd.userTables());
        assertEquals(start, frames.freeFrames());
        assertEquals(a, mm.mmap(a, Layout.PAGE_SIZE, rw, fixed), "and the block can be mapped again");
        assertTrue(mm.handleMmFault(mm.findVma(a), a, true) > 0);
        assertEquals(start - 2, frames.freeFrames());
    }

    /**
     * A program whose only segment is the last page of user space, 0xbffff000: Linux maps the
     * stack below a randomized top and the segment above it, so the program runs (on x86_64, with
     * its 4 GB compat user space, too: the oracle). It writes a byte of its own page, pushes
     * 64 KB on the stack, and exits with 42.
     */
    @Test
    void aSegmentAtTheTopOfUserSpaceRunsWithTheStackBelowIt() throws Exception {
        Path dir = Files.createTempDirectory("fixup-top");
        Path src = dir.resolve("top.S"), exe = dir.resolve("top");
        Files.writeString(src, "\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $msg, %ecx\n\tmovl $3, %edx\n\tint $0x80\n"
                + "\tmovl $16384, %ecx\n1:\tpushl $0\n\tloop 1b\n"
                + "\tmovl $1, %eax\n\tmovl $42, %ebx\n\tint $0x80\n"
                + "msg:\t.ascii \"ok\\n\"\n");
        try {
            Tools.run(dir, "gcc", "-m32", "-nostdlib", "-static", "-no-pie", "-Wl,-z,noseparate-code", "-Wl,-Ttext-segment=0xbffff000",
                    "-Wl,--build-id=none", "-o", exe.toString(), src.toString());
        } catch (Exception e) {
            org.junit.jupiter.api.Assumptions.abort("gcc -m32 cannot link at 0xbffff000 here: " + e.getMessage());
        }
        byte[] elf = Files.readAllBytes(exe);
        ProgramLoader.Program prog = ProgramLoader.parse(elf);
        long top = 0;
        for (ProgramLoader.Phdr p : prog.phdrs()) if (p.type() == ProgramLoader.PT_LOAD) top = Math.max(top, p.vaddr() + p.memsz());
        assertTrue(top > 0xbffff000L && top <= 0xc0000000L, "the segment reaches into the last page: " + Long.toHexString(top));
        assertEquals(0xbffff000L, ProgramLoader.stackTop(prog), "the stack goes right below the segment");
        assertTrue(ProgramLoader.stackTop(prog) >= Layout.STACK_TOP - ProgramLoader.STACK_RANDOM_RANGE,
                "a top Linux's stack randomization could have chosen");
        Run r = run(elf, 16 << 20, "top");
        GuestC.Result host = GuestC.host(null, exe);
        assertEquals(host.status(), r.status, r.klog);
        assertEquals(42, r.status);
        assertEquals(host.stdout(), r.stdout);
        assertEquals("", r.klog);
        Files.delete(src);
        Files.delete(exe);
        Files.delete(dir);
    }
}
