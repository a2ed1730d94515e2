package dev.fixup.x86;

/**
 * One decoded instruction. Fields are public for the CPU's hot path; treat them as read-only.
 * Memory operand (ModRM r/m with mod != 3, or MOFFS): effective address =
 * (base >= 0 ? reg[base] : 0) + (index >= 0 ? reg[index] << scale : 0) + disp, truncated to 16 bits when
 * addrsize == 2; segment = seg >= 0 ? seg : {@link #defaultSeg()}.
 */
public final class Insn {
    public static final int REP = 0xF3;
    public static final int REPNE = 0xF2;

    public Form form = Form.INVALID;
    /** form.op, copied for a cheap switch. */
    public Op op = Op.INVALID;
    /** Total length in bytes, prefixes included. */
    public int length;
    /** Number of prefix bytes before the opcode. */
    public int prefixCount;
    public boolean lock;
    /** 0, {@link #REP} (F3: rep/repe) or {@link #REPNE} (F2), the last one given. */
    public int rep;
    /** Segment override (Reg.num(): 0=ES .. 5=GS) or -1. */
    public int seg = -1;
    /** Operand size in bytes, 2 or 4 (for forms with V-sized operands). */
    public int opsize = 4;
    /** Address size in bytes, 2 or 4. */
    public int addrsize = 4;
    /** Whether a 0x66 / 0x67 prefix was present. */
    public boolean opsizePrefix, addrsizePrefix;

    /** The first 8 prefix bytes in order, byte k in bits 8k..8k+7 (for the disassembler). */
    public long prefixBytes;

    /** Opcode: the byte, or 0x0F00 | byte for the two-byte map (also set for invalid instructions). */
    public int opcode;

    public boolean hasModrm;
    public int mod, reg, rm;
    /** Memory operand parts: register numbers (-1 none), scale as a shift count 0-3, displacement. */
    public int base = -1, index = -1, scale, disp;
    /** Whether the instruction has a memory operand (ModRM with mod != 3, or MOFFS). */
    public boolean memory;
    /** First and second immediate (sign- or zero-extended per spec: IMM8S and REL sign-extended, IMM zero-extended). */
    public int imm, imm2;
    /** Condition code for JCC/SETCC/CMOVCC (form.cond). */
    public int cond = -1;

    /** Default segment of the memory operand: SS when based on (E)BP or (E)SP, else DS. */
    public int defaultSeg() {
        return base == 4 || base == 5 ? 2 : 3;   // (E)SP or (E)BP; 16-bit bases are never 4
    }

    /** Segment register number used by the memory operand. */
    public int effectiveSeg() {
        return seg >= 0 ? seg : defaultSeg();
    }

    /** Size in bytes of operand i (Intel order) given this instruction's operand size. */
    public int operandSize(int i) {
        return form.operands[i].size(opsize);
    }

    /** Branch target of a REL operand, for an instruction at address. */
    public int target(int address) {
        int t = address + length + imm;
        return opsize == 2 ? t & 0xFFFF : t;
    }

    public boolean isInvalid() { return form.op == Op.INVALID; }

    @Override
    public String toString() {
        return Disassembler.format(this, 0, Symbolizer.NONE);
    }
}
