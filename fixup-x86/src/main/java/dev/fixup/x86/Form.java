package dev.fixup.x86;

import java.util.List;

/**
 * One row of the instruction table: a mnemonic, its operands (Intel order, destination first), its
 * opcode bytes, ModRM use, and the {@link Op} the CPU executes. The encoder, decoder and disassembler
 * are all derived from the list of Forms in {@link FormTable}.
 */
public final class Form {

    // flags: how a row is decoded, encoded and printed
    /** ModRM mod must not be 3. */
    public static final int MEM_ONLY = 1;
    /** ModRM mod must be 3. */
    public static final int REG_ONLY = 1 << 1;
    /** Only with 16-bit operand size (its own mnemonic or encoding: cbtw, cwtd). */
    public static final int O16 = 1 << 2;
    /** Only with 32-bit operand size. */
    public static final int O32 = 1 << 3;
    /** AT&T operand order is the Intel order (two immediates: enter, ljmp; bound). */
    public static final int NOREV = 1 << 4;
    /** Without suffix or register, size defaults to the code size silently (push, pop, call, jmp, ret). */
    public static final int DEF_SILENT = 1 << 5;
    /** objdump prints the size suffix always. */
    public static final int SFX_ALWAYS = 1 << 6;
    /** objdump never prints a size suffix. */
    public static final int SFX_NEVER = 1 << 7;
    /** objdump prints a size suffix only when 0x66 changed the size (pushaw, pushfw, iretw, pushw %es). */
    public static final int SFX_W16 = 1 << 8;
    /** Decoder only: an alternative encoding GNU as never emits (0x82, F6 /1, hint nops). */
    public static final int NO_ENC = 1 << 9;
    /** String instruction where F3 means "repz" (cmps, scas) rather than "rep". */
    public static final int REPZ = 1 << 10;
    /** Encoder may swap the two operands (test, xchg). */
    public static final int COMMUTE = 1 << 11;
    /** Indirect branch: operand written with '*'. */
    public static final int INDIRECT = 1 << 12;
    /** ModRM mod is ignored: r/m is always a register (mov to/from CRn/DRn). */
    public static final int ANY_MOD = 1 << 13;
    /** movzx/movsx: mnemonic is base + source suffix + destination suffix. */
    public static final int EXT_NAMES = 1 << 14;
    /** String instruction (rep prefixes apply, operands may be omitted). */
    public static final int STRING = 1 << 15;
    /** Branch whose rel8 form is the only one (loop, jecxz). */
    public static final int REL8_ONLY = 1 << 16;
    /** Encoder only: a spelling whose bytes the decoder attributes to another row (jcxz, lar %di,%eax). */
    public static final int NO_DEC = 1 << 17;
    /** No size suffix accepted by the assembler. */
    public static final int NO_SUFFIX = 1 << 18;
    /** The encoder never emits 0x66 for this form (mov %ax,%ds is 8E D8 in 32-bit code). */
    public static final int NO_OPSIZE = 1 << 19;
    /** The counter is CX (jcxz): 0x67 in 32-bit code. */
    public static final int ADDR16 = 1 << 20;
    /** Valid only without a 0x66 prefix, in either code size (nop: 66 90 is xchg %ax,%ax; wbinvd). */
    public static final int NO_66 = 1 << 21;
    /** x87: the %st operand may be left out when the %st(i) one is written (fadd %st(2) is fadd %st(2),%st). */
    public static final int ST_IMPLIED = 1 << 22;
    /** x87: with no operand at all the register is %st(1) (fxch, fcom, faddp). */
    public static final int ST1_DEFAULT = 1 << 23;
    /** x87: the first alias is the bare spelling GNU as accepts with a warning (fld (%eax) is flds). */
    public static final int BARE_ALIAS = 1 << 24;
    /** Encoder only: the waiting spelling of a control instruction, emitted as fwait + the no-wait form (fstsw). */
    public static final int FWAIT = 1 << 25;
    /** Encoder only: GNU as's reading of a bare arithmetic mnemonic as its popping form ("fadd" is "faddp"). */
    public static final int BARE_POP = 1 << 26;

    public final int id;
    /** objdump's mnemonic (without the size suffix objdump may add). */
    public final String mnemonic;
    /** Other names GNU as accepts for this form (sal for shl, jz for je, cwde for cwtl...). */
    public final List<String> aliases;
    public final Op op;
    /** Operands in Intel order (destination first). */
    public final OperandSpec[] operands;
    /** 0 = one-byte map, 1 = 0F map. */
    public final int map;
    /** The opcode byte within its map (for +r forms, the base with register 0). */
    public final int opcode;
    public final boolean modrm;
    /** ModRM.reg value fixed by the opcode (/digit), or -1. */
    public final int digit;
    /** ModRM.rm value fixed by the opcode (x87 D9 E0: fchs, mod 3), or -1. */
    public final int rm;
    /** Condition code 0-15 for JCC/SETCC/CMOVCC, else -1. */
    public final int cond;
    /** Register in the low 3 opcode bits (+r forms). */
    public final boolean opreg;
    public final int flags;

    Form(int id, String mnemonic, List<String> aliases, Op op, OperandSpec[] operands, int map, int opcode,
         boolean modrm, int digit, int cond, boolean opreg, int flags) {
        this(id, mnemonic, aliases, op, operands, map, opcode, modrm, digit, -1, cond, opreg, flags);
    }

    Form(int id, String mnemonic, List<String> aliases, Op op, OperandSpec[] operands, int map, int opcode,
         boolean modrm, int digit, int rm, int cond, boolean opreg, int flags) {
        this.rm = rm;
        this.id = id;
        this.mnemonic = mnemonic;
        this.aliases = aliases;
        this.op = op;
        this.operands = operands;
        this.map = map;
        this.opcode = opcode;
        this.modrm = modrm;
        this.digit = digit;
        this.cond = cond;
        this.opreg = opreg;
        this.flags = flags;
    }

    public boolean has(int flag) { return (flags & flag) != 0; }

    public boolean isInvalid() { return op == Op.INVALID; }

    /** An x87 instruction (escape opcodes D8-DF; fwait is not one). */
    public boolean isX87() { return map == 0 && opcode >= 0xD8 && opcode <= 0xDF; }

    /** Whether an operand is an x87 environment or state image (fnstenv, frstor): its size follows 0x66. */
    public boolean hasX87Image() {
        for (OperandSpec s : operands) if (s.isX87Image()) return true;
        return false;
    }

    /** True if the 0x66 prefix changes this form (operand sizes, stack slot size, far pointer or table size). */
    public boolean opsizeSensitive() {
        if (has(NO_66)) return false;
        if (hasSizeV() || has(SFX_W16) || has(DEF_SILENT) || has(O16) || has(O32)) return true;
        for (OperandSpec s : operands) {
            if (s.size == 6 || s.size == OperandSpec.FAR || s.size == OperandSpec.PAIR || s.isX87Image()) return true;
        }
        return false;
    }

    /** True if some operand's size follows the operand-size attribute (16/32). */
    public boolean hasSizeV() {
        for (OperandSpec s : operands) if (s.isSizeV()) return true;
        return false;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(mnemonic);
        for (int i = 0; i < operands.length; i++) b.append(i == 0 ? " " : ",").append(operands[i]);
        b.append(map == 1 ? " 0F " : " ").append(String.format("%02X", opcode));
        if (rm >= 0) b.append(String.format(" %02X", 0xC0 | digit << 3 | rm));
        else if (digit >= 0) b.append(" /").append(digit);
        else if (modrm) b.append(" /r");
        return b.toString();
    }

    /** The form the decoder returns for bytes that decode to nothing (CPU: #UD; objdump: "(bad)"). */
    public static final Form INVALID = new Form(-1, "(bad)", List.of(), Op.INVALID, new OperandSpec[0], 0, 0,
            false, -1, -1, false, 0);
}
