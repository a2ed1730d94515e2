package dev.fixup.kernel;

import dev.fixup.kernel.mm.PageDirectory;
import dev.fixup.kernel.mm.Ram;

import dev.fixup.elf.ExTable;
import dev.fixup.cpu.Cpu;
import dev.fixup.elf.Elf;
import dev.fixup.elf.Segment;

/**
 * Bringing the machine up (what head.S, setup_arch and trap_init do in Linux): vmlinux's PT_LOAD
 * segments into RAM at their physical addresses, the exception table located by its bracketing
 * symbols, IDT gates to the entry stubs, the TSS, paging with the master directory, segments.
 */
final class Boot {
    private Boot() {}

    /** The entry stubs of entry.S for vectors 0-19, in vector order. */
    private static final String[] STUBS = {"divide_error", "debug", "nmi", "int3", "overflow", "bounds", "invalid_op",
            "device_not_available", "double_fault", "coprocessor_segment_overrun", "invalid_TSS",
            "segment_not_present", "stack_segment", "general_protection", "page_fault", "spurious_interrupt_bug",
            "coprocessor_error", "alignment_check", "machine_check", "simd_coprocessor_error"};
    static final int TIMER_VECTOR = 0x20, SYSCALL_VECTOR = 0x80;
    private static final int GDT_ENTRIES = 32, TSS_SIZE = 104;
    private static final int CR0_PE = 1, CR0_WP = 1 << 16, CR0_PG = 1 << 31, CR4_PSE = 0x10;

    static void loadImage(KernelImage image, Ram ram, int ramBytes) {
        for (Segment s : image.elf.segments) {
            if (s.type != Elf.PT_LOAD) continue;
            if (Layout.u(s.paddr) + Layout.u(s.memsz) > ramBytes) {
                throw new IllegalArgumentException(String.format("vmlinux segment at %08x does not fit in %d bytes of RAM", s.paddr, ramBytes));
            }
            ram.write(s.paddr, image.bytes, s.offset, s.filesz);
        }
    }

    /** The kernel's __ex_table, read back from the loaded image between __start___ex_table and __stop___ex_table. */
    static ExceptionTable.Table kernelTable(KernelImage image, Ram ram) {
        int start = image.symbol("__start___ex_table"), stop = image.symbol("__stop___ex_table");
        int len = stop - start;
        ExTable.checkSize(len);
        return new ExceptionTable.Table("vmlinux", ram.read(Layout.pa(start), len));
    }

    static void setUpCpu(Cpu cpu, Ram ram, KernelImage image, PageDirectory master) {
        int idt = image.symbol("idt_table");
        for (int v = 0; v < STUBS.length; v++) {
            boolean user = v == 3 || v == 4 || v == 5;          // int3, into, bound are for programs to use
            setGate(ram, idt, v, image.symbol(STUBS[v]), user ? 3 : 0);
        }
        setGate(ram, idt, TIMER_VECTOR, image.symbol("timer_interrupt"), 0);
        setGate(ram, idt, SYSCALL_VECTOR, image.symbol("system_call"), 3);

        int gdt = image.symbol("gdt_table"), tss = image.symbol("init_tss");
        ram.write32(Layout.pa(gdt) + Layout.TSS_SEL, (tss << 16) | (TSS_SIZE - 1));
        ram.write32(Layout.pa(gdt) + Layout.TSS_SEL + 4, (tss & 0xFF000000) | ((tss >>> 16) & 0xFF) | 0x8900);
        ram.write32(Layout.pa(tss) + 8, Layout.KERNEL_DS_SEL);          // ss0; esp0 is set per task
        ram.write32(Layout.pa(tss) + 100, TSS_SIZE << 16);              // I/O bitmap past the limit: none

        cpu.setCr4(CR4_PSE);                                            // 4 MB pages for the kernel map
        cpu.setCr3(master.phys);
        cpu.setCr0(CR0_PG | CR0_WP | CR0_PE);                           // WP: kernel writes honour read-only PTEs
        cpu.setGdtr(gdt, GDT_ENTRIES * 8 - 1);
        cpu.setIdtr(idt, 256 * 8 - 1);
        cpu.setSegment(Cpu.SEG_CS, Layout.KERNEL_CS);
        cpu.setSegment(Cpu.SEG_SS, Layout.KERNEL_DS_SEL);
        cpu.setSegment(Cpu.SEG_DS, Layout.KERNEL_DS_SEL);
        cpu.setSegment(Cpu.SEG_ES, Layout.KERNEL_DS_SEL);
        cpu.setSegment(Cpu.SEG_FS, 0);
        cpu.setSegment(Cpu.SEG_GS, 0);
        cpu.loadTr(Layout.TSS_SEL);
        cpu.setIrqBase(TIMER_VECTOR);
        cpu.setTimer(1_000_000);
    }

    /** A 32-bit interrupt gate: IF is cleared on entry, so the kernel runs with interrupts off. */
    private static void setGate(Ram ram, int idt, int vector, int handler, int dpl) {
        int pa = Layout.pa(idt) + 8 * vector;
        ram.write32(pa, (Layout.KERNEL_CS << 16) | (handler & 0xFFFF));
        ram.write32(pa + 4, (handler & 0xFFFF0000) | 0x8E00 | dpl << 13);
    }
}
