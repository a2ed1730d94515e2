package dev.fixup.cpu;

import dev.fixup.cpu.embed.Tables;
import java.util.ArrayList;
import java.util.List;

/**
 * A small protected-mode world for tests: GDT (kernel CS 0x10, DS 0x18, user CS 0x23, DS 0x2B,
 * TSS 0x30), an IDT whose every vector enters ring 0 at a handler that halts (int 0x80 has DPL 3),
 * a TSS with SS0:ESP0, and the first 4 MB identity mapped with 4 KB user-writable pages. The
 * structures are written by the embedding API's {@link Tables}; the layout is the tests' own (fixed
 * physical addresses they look at), where {@link dev.fixup.cpu.embed.Emulator} keeps its tables out
 * of the guest's reach.
 */
final class TestGuest {
    static final int GDT = 0x1000, IDT = 0x2000, TSS = 0x3000, PD = 0x4000, PT = 0x5000;
    static final int HANDLERS = 0x6000, KSTACK_TOP = 0x9000, CODE = 0x10000, USTACK_TOP = 0x80000;
    static final int KCS = 0x10, KDS = 0x18, UCS = 0x23, UDS = 0x2B, TSS_SEL = 0x30;

    final Machine m;
    final Cpu cpu;
    final PhysicalMemory mem;
    final List<ExceptionEvent> events = new ArrayList<>();

    TestGuest() {
        this(true);
    }

    TestGuest(boolean paging) {
        m = new Machine(8 << 20);
        cpu = m.cpu;
        mem = m.mem;
        Tables.flatSegment(mem, GDT, 2, 0x9A);
        Tables.flatSegment(mem, GDT, 3, 0x92);
        Tables.flatSegment(mem, GDT, 4, 0xFA);
        Tables.flatSegment(mem, GDT, 5, 0xF2);
        Tables.tssDescriptor(mem, GDT, 6, TSS, 0x67);
        cpu.setGdtr(GDT, 8 * 8 - 1);
        cpu.setSegment(Cpu.SEG_CS, KCS);
        for (int s : new int[] {Cpu.SEG_DS, Cpu.SEG_ES, Cpu.SEG_SS, Cpu.SEG_FS, Cpu.SEG_GS}) cpu.setSegment(s, KDS);
        Tables.tssStack(mem, TSS, KDS, KSTACK_TOP);
        cpu.loadTr(TSS_SEL);
        for (int v = 0; v < 256; v++) {
            gate(v, HANDLERS + v * 4, 0xE, v == 0x80 ? 3 : 0);
            mem.write8(HANDLERS + v * 4, 0xF4); // hlt
        }
        cpu.setIdtr(IDT, 256 * 8 - 1);
        cpu.setReg(Cpu.ESP, KSTACK_TOP);
        if (paging) {
            for (int i = 0; i < 1024; i++) mem.write32(PT + 4 * i, Tables.entry(i << 12, Tables.P | Tables.RW | Tables.US));
            mem.write32(PD, Tables.entry(PT, Tables.P | Tables.RW | Tables.US));
            cpu.setCr3(PD);
            cpu.setCr0(cpu.getCr0() | Cpu.CR0_PG | Cpu.CR0_WP);
        }
        cpu.setExceptionListener((c, e) -> events.add(e));
    }

    void descriptor(int index, int lo, int hi) {
        Tables.descriptor(mem, GDT, index, lo, hi);
    }

    void gate(int vector, int handler, int type, int dpl) {
        Tables.gate(mem, IDT, vector, KCS, handler, type, dpl);
    }

    /** Sets the PTE of the 4 KB page containing {@code lin} (identity frame) to {@code flags}. */
    void pte(int lin, int flags) {
        mem.write32(PT + 4 * (lin >>> 12), (lin & 0xFFFFF000) | flags);
    }

    int pteValue(int lin) {
        return mem.read32(PT + 4 * (lin >>> 12));
    }

    /** Assembles {@code source} at CODE, loads it and points EIP there (ring 0). */
    byte[] load(String source) {
        return load(source, CODE);
    }

    byte[] load(String source, int at) {
        byte[] code = GuestAssembler.assemble(source, at);
        mem.write(at, code);
        cpu.setEip(at);
        return code;
    }

    /** Switches to ring 3 with user segments and the user stack (as if returned there by iret). */
    void enterUser() {
        cpu.setSegment(Cpu.SEG_CS, UCS);
        cpu.setSegment(Cpu.SEG_SS, UDS);
        cpu.setSegment(Cpu.SEG_DS, UDS);
        cpu.setSegment(Cpu.SEG_ES, UDS);
        cpu.setReg(Cpu.ESP, USTACK_TOP);
    }

    /** Runs until the CPU halts (the default handlers halt), with a safety limit. */
    StopReason run() {
        return cpu.run(1_000_000);
    }

    ExceptionEvent last() {
        return events.get(events.size() - 1);
    }

    /** Dword i of the frame the CPU pushed on the kernel stack (0 = error code or EIP). */
    int frame(int i) {
        return mem.read32(cpu.reg(Cpu.ESP) + 4 * i);
    }

    /** EIP of the default handler for {@code vector} plus one (after its hlt). */
    static int haltedIn(int vector) {
        return HANDLERS + vector * 4 + 1;
    }
}
