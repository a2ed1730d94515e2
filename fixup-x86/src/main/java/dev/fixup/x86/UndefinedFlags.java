package dev.fixup.x86;


/**
 * THE one place listing, per instruction, which of the six arithmetic flags it reads, which it sets to a
 * defined value and which the Intel manual (SDM vol. 2, "Flags Affected") leaves UNDEFINED. The comparison
 * masks exactly the flags still undefined at the end of a sequence; the generator uses the "reads" set to
 * put a flag-defining instruction before any instruction that would read an undefined flag (otherwise
 * the undefined value would leak into registers, where no mask can hide it).
 */
public final class UndefinedFlags {
    public static final int CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
    public static final int ALL = CF | PF | AF | ZF | SF | OF;
    private static final int SZP = SF | ZF | PF;

    private UndefinedFlags() {}

    /** What one instruction does to the arithmetic flags: the three sets are disjoint in writes/undefined. */
    public record Effect(int reads, int writes, int undefined) {
        static final Effect NONE = new Effect(0, 0, 0);

        /** The undefined set after this instruction, given the one before it. */
        public int apply(int undefinedBefore) {
            return (undefinedBefore & ~(writes | undefined)) | undefined;
        }
    }

    private static Effect e(int reads, int writes, int undefined) { return new Effect(reads, writes, undefined); }

    /**
     * The effect of one instruction.
     * @param count for shifts/rotates/shld/shrd the count as written (before masking); ignored otherwise
     * @param size operand size in bytes (1, 2, 4) of the destination
     * @param cond condition code (Intel order 0-15) for Jcc/SETcc/CMOVcc, else -1
     */
    public static Effect of(Op op, int size, int count, int cond) {
        return switch (op) {
            case ADD, SUB, CMP, NEG, CMPXCHG, XADD, CMPS, SCAS -> e(0, ALL, 0);
            case ADC, SBB -> e(CF, ALL, 0);
            case AND, OR, XOR, TEST -> e(0, CF | OF | SZP, AF);          // AF: undefined
            case INC, DEC -> e(0, ALL & ~CF, 0);                           // CF unaffected
            case MUL, IMUL1, IMUL2, IMUL3 -> e(0, CF | OF, SZP | AF);
            case DIV, IDIV -> e(0, 0, ALL);
            case SHL, SHR, SAR -> shift(op, size, count);
            case ROL, ROR -> rotate(count, 0);
            case RCL, RCR -> rotate(count, CF);
            case SHLD, SHRD -> doubleShift(count);
            case BT, BTS, BTR, BTC -> e(0, CF, OF | SF | AF | PF);          // ZF unaffected
            case BSF, BSR -> e(0, ZF, CF | OF | SF | AF | PF);
            case DAA, DAS -> e(AF | CF, SZP | AF | CF, OF);
            case AAA, AAS -> e(AF, AF | CF, OF | SZP);
            case AAM, AAD -> e(0, SZP, OF | AF | CF);
            case SETCC, CMOVCC, JCC -> e(condReads(cond), 0, 0);
            case LOOPE, LOOPNE -> e(ZF, 0, 0);
            case INTO -> e(OF, 0, 0);
            case CLC, STC -> e(0, CF, 0);
            case CMC -> e(CF, CF, 0);
            case LAHF -> e(SZP | AF | CF, 0, 0);
            case SAHF -> e(0, SZP | AF | CF, 0);
            case PUSHF -> e(ALL, 0, 0);
            case POPF -> e(0, ALL, 0);
            case SALC -> e(CF, 0, 0);
            case ARPL -> e(0, ZF, 0);
            case CMPXCHG8B -> e(0, ZF, 0);
            default -> Effect.NONE;                                          // moves, stack, strings w/o compare...
        };
    }

    /** SHL/SHR/SAR: masked count 0 changes nothing; AF always undefined; OF only defined for count 1;
     *  CF undefined for SHL/SHR when the count reaches the operand width (8/16-bit operands). */
    private static Effect shift(Op op, int size, int count) {
        int c = count & 0x1f;
        if (c == 0) return Effect.NONE;
        int undef = AF | (c == 1 ? 0 : OF);
        if (op != Op.SAR && c >= size * 8) undef |= CF;
        return e(0, ALL & ~undef, undef);
    }

    /** ROL/ROR/RCL/RCR touch only CF and OF; OF is defined only for a masked count of 1. */
    private static Effect rotate(int count, int reads) {
        int c = count & 0x1f;
        if (c == 0) return Effect.NONE;
        return c == 1 ? e(reads, CF | OF, 0) : e(reads, CF, OF);
    }

    /** SHLD/SHRD: like a shift; the generator never uses 16-bit counts above 16 (undefined result). */
    private static Effect doubleShift(int count) {
        int c = count & 0x1f;
        if (c == 0) return Effect.NONE;
        int undef = AF | (c == 1 ? 0 : OF);
        return e(0, ALL & ~undef, undef);
    }

    /** Flags a condition code (O NO B AE E NE BE A S NS P NP L GE LE G) tests. */
    public static int condReads(int cond) {
        return switch (cond >> 1) {
            case 0 -> OF;
            case 1 -> CF;
            case 2 -> ZF;
            case 3 -> CF | ZF;
            case 4 -> SF;
            case 5 -> PF;
            case 6 -> SF | OF;
            case 7 -> ZF | SF | OF;
            default -> ALL;
        };
    }

    /** "CF PF ..." for a flag mask, for reports. */
    public static String names(int mask) {
        StringBuilder b = new StringBuilder();
        String[] n = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF", "IOPL0", "IOPL1", "NT", "",
                      "RF", "VM", "AC", "VIF", "VIP", "ID"};
        for (int i = 0; i < n.length; i++) if ((mask & (1 << i)) != 0) b.append(b.length() == 0 ? "" : " ").append(n[i].isEmpty() ? "bit" + i : n[i]);
        return b.toString();
    }
}
