package dev.fixup.x86;

import java.util.HashMap;
import java.util.Map;

/**
 * Where one operand of an instruction form lives, in the Intel manual's notation (Eb, Gv, Ibs, Jz ...).
 * The CPU switches on {@link #kind}; {@link #size} is 1, 2, 4, or {@link #V} (the instruction's
 * operand size, 2 or 4) or one of the special memory sizes.
 */
public final class OperandSpec {

    public enum Kind {
        /** ModRM r/m: register (mod=3) or memory. */ RM,
        /** ModRM reg field: general register. */ REG,
        /** ModRM r/m, memory only. */ MEM,
        /** ModRM r/m, register only (mod must be 3; mov to/from CRn ignores mod). */ RMREG,
        /** ModRM reg field: segment register. */ SREG,
        /** ModRM reg field: control register. */ CREG,
        /** ModRM reg field: debug register. */ DREG,
        /** Immediate of {@link #size} bytes, Insn.imm (or imm2 for the second immediate). */ IMM,
        /** 8-bit immediate sign-extended to the operand size. */ IMM8S,
        /** Relative branch offset (sign-extended into Insn.imm); target = next EIP + imm. */ REL,
        /** Absolute memory offset without ModRM (A0-A3): Insn.disp, default segment DS. */ MOFFS,
        /** Far pointer immediate: Insn.imm = offset, Insn.imm2 = selector. */ FARPTR,
        /** Register number in the low three bits of the opcode (Insn.reg holds it). */ OPREG,
        /** A register fixed by the opcode ({@link #fixed}; for size V the GPR of that number and the operand size). */ FIXED,
        /** The constant 1 (shift by one). */ ONE,
        /** String source DS:(E)SI (segment overridable). */ STR_SRC,
        /** String destination ES:(E)DI. */ STR_DST,
        /** I/O port in DX. */ PORT_DX,
        /** xlat's table DS:(E)BX (segment overridable); only the disassembler and assembler care. */ XLAT_SRC,
        /** ModRM r/m with mod = 3 naming the x87 register ST(rm). */ STI
    }

    /** Size code: the instruction's operand size (2 or 4). */
    public static final int V = 0;
    /** Size code: memory whose size does not matter (lea, invlpg). */
    public static final int NONE = -1;
    /** Size code: far pointer in memory, 2 + operand size bytes (lds, ljmp *mem). */
    public static final int FAR = -2;
    /** Size code: two operand-size values (bound). */
    public static final int PAIR = -3;
    /** Size code: the x87 environment, 14 bytes with 16-bit operand size, 28 with 32 (fldenv, fnstenv). */
    public static final int ENV = -4;
    /** Size code: the x87 state, 94 or 108 bytes (fnsave, frstor). */
    public static final int SAVE = -5;
    /** Size code: an 80-bit real or packed BCD (fldt, fbld). */
    public static final int TBYTE = 10;

    public final String code;
    public final Kind kind;
    public final int size;
    public final Reg fixed;

    private OperandSpec(String code, Kind kind, int size, Reg fixed) {
        this.code = code;
        this.kind = kind;
        this.size = size;
        this.fixed = fixed;
    }

    /** Actual size in bytes given the instruction's operand size. */
    public int size(int opsize) {
        return size == V ? opsize : size;
    }

    public boolean isSizeV() { return size == V; }

    /** True for operands encoded in the ModRM r/m field (register or memory). */
    public boolean usesRm() { return kind == Kind.RM || kind == Kind.MEM || kind == Kind.RMREG || kind == Kind.STI; }

    /** Memory whose layout follows the operand size: the x87 environment and state images. */
    public boolean isX87Image() { return size == ENV || size == SAVE; }

    @Override
    public String toString() { return code; }

    private static final Map<String, OperandSpec> CODES = new HashMap<>();

    private static void def(String code, Kind kind, int size, Reg fixed) {
        CODES.put(code, new OperandSpec(code, kind, size, fixed));
    }

    private static int sz(char c) {
        return switch (c) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'd' -> 4;
            case 'v', 'z' -> V;
            default -> throw new IllegalArgumentException("size " + c);
        };
    }

    static {
        for (char s : "bwdv".toCharArray()) {
            int n = sz(s);
            def("E" + s, Kind.RM, n, null);
            def("G" + s, Kind.REG, n, null);
            def("M" + s, Kind.MEM, n, null);
            def("R" + s, Kind.RMREG, n, null);
            def("I" + s, Kind.IMM, n, null);
            def("J" + s, Kind.REL, n, null);
            def("O" + s, Kind.MOFFS, n, null);
            def("Z" + s, Kind.OPREG, n, null);
            def("X" + s, Kind.STR_SRC, n, null);
            def("Y" + s, Kind.STR_DST, n, null);
        }
        def("Iz", Kind.IMM, V, null);
        def("Jz", Kind.REL, V, null);
        def("Ibs", Kind.IMM8S, V, null);
        def("M", Kind.MEM, NONE, null);
        def("Ms", Kind.MEM, 6, null);
        def("Mq", Kind.MEM, 8, null);
        def("Mp", Kind.MEM, FAR, null);
        def("Ma", Kind.MEM, PAIR, null);
        def("Ep", Kind.MEM, FAR, null);
        def("Mt", Kind.MEM, TBYTE, null);
        def("Me", Kind.MEM, ENV, null);
        def("Mf", Kind.MEM, SAVE, null);
        def("Mx", Kind.MEM, 512, null);
        def("ST", Kind.FIXED, TBYTE, Reg.ST);
        def("STi", Kind.STI, TBYTE, null);
        def("Sw", Kind.SREG, 2, null);
        def("Cd", Kind.CREG, 4, null);
        def("Dd", Kind.DREG, 4, null);
        def("Ap", Kind.FARPTR, V, null);
        def("1", Kind.ONE, 1, null);
        def("Bb", Kind.XLAT_SRC, 1, null);
        def("DXp", Kind.PORT_DX, 2, Reg.DX);
        def("AL", Kind.FIXED, 1, Reg.AL);
        def("CL", Kind.FIXED, 1, Reg.CL);
        def("AX", Kind.FIXED, 2, Reg.AX);
        def("DX", Kind.FIXED, 2, Reg.DX);
        def("eAX", Kind.FIXED, V, Reg.EAX);
        for (String s : new String[] {"ES", "CS", "SS", "DS", "FS", "GS"}) {
            def(s, Kind.FIXED, 2, Reg.byName(s));
        }
    }

    /** The spec for a code such as "Ev"; throws for unknown codes (a table error). */
    public static OperandSpec of(String code) {
        OperandSpec s = CODES.get(code);
        if (s == null) throw new IllegalArgumentException("unknown operand spec " + code);
        return s;
    }
}
