package dev.fixup.link;

/**
 * The instruction rewrites GNU ld makes in a static executable so that a load through the GOT
 * becomes a direct use of the address (R_386_GOT32X) or of the thread-pointer offset
 * (R_386_TLS_GOTIE), and the GOT word is not needed:
 * <pre>
 *   mov foo@GOT[(%base)], %reg    8b /r       -> mov $foo, %reg                c7 c0+reg
 *   (a position-independent output would get lea foo@GOTOFF(%base) instead; this linker makes none)
 *   call *foo@GOT(%base)          ff /2       -> addr32 call foo               67 e8
 *   OP foo@GOT(%base), %reg       03..3b /r   -> OP $foo, %reg                 81 /op
 *   test %reg, foo@GOT(%base)     85 /r       -> test $foo, %reg               f7 /0
 *   mov/add/sub x@gotntpoff(%b), %reg         -> mov/add/sub $x@ntpoff, %reg   c7 c0+reg / 81 c0+reg / 81 e8+reg
 * </pre>
 * The relocated field stays where it was (the modrm byte before it is rewritten).
 */
final class GotRelaxation {
    enum Form { MOV_IMM, CALL, BINOP_IMM, TEST_IMM, TLS_MOV, TLS_ADD, TLS_SUB }

    private GotRelaxation() {}

    /** The rewrite this field's instruction allows, or null. */
    static Form form(byte[] d, int offset, int type) {
        if (offset < 2 || offset + 4 > d.length) return null;
        int op = d[offset - 2] & 0xff, modrm = d[offset - 1] & 0xff;
        boolean memory = (modrm & 0xc0) != 0xc0 && (modrm & 0x07) != 0x04; // no SIB forms: their byte layout differs
        boolean noBase = (modrm & 0xc7) == 0x05;
        if (type == Relocator.R_386_TLS_GOTIE) {
            if ((modrm & 0xc0) != 0x80 || (modrm & 0x07) == 0x04) return null;
            return switch (op) { case 0x8b -> Form.TLS_MOV; case 0x03 -> Form.TLS_ADD; case 0x2b -> Form.TLS_SUB; default -> null; };
        }
        if (type != Relocator.R_386_GOT32X || !memory) return null;
        if (op == 0x8b) return Form.MOV_IMM;
        if (op == 0xff && ((modrm >> 3) & 7) == 2 && !noBase) return Form.CALL;
        if (op == 0x85) return Form.TEST_IMM;
        if ((op & 0xc7) == 0x03 && op <= 0x3b) return Form.BINOP_IMM;
        return null;
    }

    /** Rewrites the instruction; returns the value for the field (S+A, S+A-GOT, S+A-P-4 or the TLS offset). */
    static long apply(Form f, byte[] d, int offset, long s, long a, long p, long got, long ntpoff) {
        int modrm = d[offset - 1] & 0xff, reg = (modrm >> 3) & 7;
        switch (f) {
            case MOV_IMM -> { d[offset - 2] = (byte) 0xc7; d[offset - 1] = (byte) (0xc0 | reg); return s + a; }
            case CALL -> { d[offset - 2] = 0x67; d[offset - 1] = (byte) 0xe8; return s - (p + 4); }
            case BINOP_IMM -> {
                int opBits = (d[offset - 2] & 0x38); // which of add/or/adc/sbb/and/sub/xor/cmp
                d[offset - 2] = (byte) 0x81;
                d[offset - 1] = (byte) (0xc0 | opBits | reg);
                return s + a;
            }
            case TEST_IMM -> { d[offset - 2] = (byte) 0xf7; d[offset - 1] = (byte) (0xc0 | reg); return s + a; }
            case TLS_MOV -> { d[offset - 2] = (byte) 0xc7; d[offset - 1] = (byte) (0xc0 | reg); return ntpoff; }
            case TLS_ADD -> { d[offset - 2] = (byte) 0x81; d[offset - 1] = (byte) (0xc0 | reg); return ntpoff; }
            default -> { d[offset - 2] = (byte) 0x81; d[offset - 1] = (byte) (0xe8 | reg); return ntpoff; }
        }
    }
}
