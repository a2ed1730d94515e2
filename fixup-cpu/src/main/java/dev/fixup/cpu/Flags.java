package dev.fixup.cpu;

/**
 * EFLAGS with lazily computed arithmetic flags. Arithmetic instructions record their operands
 * and result plus a kind; CF/PF/AF/ZF/SF/OF are derived only when something reads them
 * (a jcc usually needs one of them, pushf needs all). Kinds:
 * ADD and SUB derive everything from dst/src/res; LOGIC has CF=OF=AF=0; RESULT derives
 * ZF/SF/PF from res and takes CF/OF/AF from {@link #bits} (shifts, inc/dec, adc/sbb, mul set those
 * eagerly). NONE means {@link #bits} holds all flags.
 */
final class Flags {
    static final int CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400,
            OF = 0x800, IOPL = 0x3000, NT = 0x4000, RF = 0x10000, VM = 0x20000, AC = 0x40000, ID = 0x200000;
    static final int ARITH = CF | PF | AF | ZF | SF | OF;

    static final int NONE = 0, ADD = 1, SUB = 2, LOGIC = 3, RESULT = 4;

    /** All flags; the arithmetic ones are meaningful per the lazy kind (see class comment). */
    int bits = 2;
    int kind;
    /** Operand size in bits (8, 16, 32) of the last lazy operation. */
    int width = 32;
    int dst, src, res;

    private int signBit(int v) {
        return (v >>> (width - 1)) & 1;
    }

    private int mask() {
        return width == 32 ? -1 : (1 << width) - 1;
    }

    int cf() {
        switch (kind) {
            case ADD: return Integer.compareUnsigned(res & mask(), dst & mask()) < 0 ? 1 : 0;
            case SUB: return Integer.compareUnsigned(dst & mask(), src & mask()) < 0 ? 1 : 0;
            case LOGIC: return 0;
            default: return bits & CF;
        }
    }

    boolean zf() {
        return kind == NONE ? (bits & ZF) != 0 : (res & mask()) == 0;
    }

    boolean sf() {
        return kind == NONE ? (bits & SF) != 0 : signBit(res) != 0;
    }

    boolean of() {
        switch (kind) {
            case ADD: return signBit((dst ^ res) & (src ^ res)) != 0;
            case SUB: return signBit((dst ^ src) & (dst ^ res)) != 0;
            case LOGIC: return false;
            default: return (bits & OF) != 0;
        }
    }

    boolean af() {
        switch (kind) {
            case ADD: case SUB: return ((dst ^ src ^ res) & 0x10) != 0;
            case LOGIC: return false;
            default: return (bits & AF) != 0;
        }
    }

    boolean pf() {
        return kind == NONE ? (bits & PF) != 0 : (Integer.bitCount(res & 0xFF) & 1) == 0;
    }

    /** Folds the lazy state into {@link #bits}. */
    int get() {
        if (kind != NONE) {
            int b = bits & ~ARITH;
            b |= cf();
            if (pf()) b |= PF;
            if (af()) b |= AF;
            if (zf()) b |= ZF;
            if (sf()) b |= SF;
            if (of()) b |= OF;
            bits = b;
            kind = NONE;
        }
        return bits | 2;
    }

    void set(int value) {
        bits = (value & 0x3F7FD5) | 2; // reserved bits read as 0, bit 1 as 1
        kind = NONE;
    }

    void lazy(int kind, int width, int dst, int src, int res) {
        this.kind = kind;
        this.width = width;
        this.dst = dst;
        this.src = src;
        this.res = res;
    }

    /** Result-derived ZF/SF/PF with explicit CF, OF, AF. */
    void result(int width, int res, int cf, boolean of, boolean af) {
        bits = (bits & ~(CF | OF | AF)) | cf | (of ? OF : 0) | (af ? AF : 0);
        this.kind = RESULT;
        this.width = width;
        this.res = res;
    }

    /** Sets CF (0 or 1) and OF (0 or 1) and keeps the other flags (rotates). */
    void carryOverflow(int cf, int of) {
        int b = get() & ~(CF | OF);
        bits = b | cf | of << 11;
    }

    /** Sets one flag concretely (clc/stc/cmc/bt...). */
    void setFlag(int flag, boolean on) {
        get();
        bits = on ? bits | flag : bits & ~flag;
    }

    boolean condition(int cc) {
        if (width == 32 && (kind == SUB || kind == LOGIC)) {
            // After a 32-bit cmp/sub (or a logic op, where CF=OF=0) most conditions are plain comparisons.
            boolean sub = kind == SUB;
            boolean r;
            switch (cc >>> 1) {
                case 1: r = sub && Integer.compareUnsigned(dst, src) < 0; break;
                case 2: r = res == 0; break;
                case 3: r = sub ? Integer.compareUnsigned(dst, src) <= 0 : res == 0; break;
                case 4: r = res < 0; break;
                case 6: r = sub ? dst < src : res < 0; break;
                case 7: r = sub ? dst <= src : res <= 0; break;
                default: return conditionSlow(cc);
            }
            return r ^ ((cc & 1) != 0);
        }
        return conditionSlow(cc);
    }

    private boolean conditionSlow(int cc) {
        boolean r;
        switch (cc >>> 1) {
            case 0: r = of(); break;
            case 1: r = cf() != 0; break;
            case 2: r = zf(); break;
            case 3: r = cf() != 0 || zf(); break;
            case 4: r = sf(); break;
            case 5: r = pf(); break;
            case 6: r = sf() != of(); break;
            default: r = zf() || sf() != of(); break;
        }
        return r ^ ((cc & 1) != 0);
    }
}
