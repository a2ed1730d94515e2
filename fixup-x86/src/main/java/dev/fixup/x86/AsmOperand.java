package dev.fixup.x86;

/**
 * An instruction operand as written in AT&T source, already evaluated by the assembler.
 * Relocatable values are encoded with their constant part; the assembler emits the relocation.
 */
public sealed interface AsmOperand {

    /** {@code %eax}, {@code %ds}, {@code %cr0}. */
    record Register(Reg reg) implements AsmOperand { }

    /** {@code $expr}. relocatable = the value depends on a symbol (forces full-size immediates). */
    record Immediate(long value, boolean relocatable) implements AsmOperand {
        public Immediate(long value) { this(value, false); }
    }

    /**
     * {@code seg:disp(base,index,scale)}; a bare {@code foo} is a Memory with only a displacement and, for
     * jmp/call/jcc/loop, the branch target. scale is 1, 2, 4 or 8. hasDisp = a displacement was written
     * (so {@code 0(%eax)} and {@code (%eax)} both encode without one, as GNU as does, unless relocatable).
     */
    record Memory(Reg seg, Reg base, Reg index, int scale, long disp, boolean dispRelocatable, boolean hasDisp)
            implements AsmOperand {
        public Memory {
            if (scale == 0) scale = 1;
        }
        public static Memory abs(long disp) { return new Memory(null, null, null, 1, disp, false, true); }
        public static Memory base(Reg base) { return new Memory(null, base, null, 1, 0, false, false); }
        public static Memory of(Reg base, long disp) { return new Memory(null, base, null, 1, disp, false, true); }
        /** Only a displacement: a branch target or an absolute address. */
        public boolean isAbsolute() { return base == null && index == null; }
    }

    /** {@code *%eax}, {@code *foo(,%eax,4)}: indirect jmp/call target. */
    record Indirect(AsmOperand target) implements AsmOperand { }
}
