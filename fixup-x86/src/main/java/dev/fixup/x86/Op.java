package dev.fixup.x86;

/**
 * The semantic operation of an instruction form: what the CPU executes. Several forms share an Op
 * (all encodings of ADD); the operand specs of the form say where the operands are.
 * Conditional ops (JCC, SETCC, CMOVCC) take their condition from {@link Form#cond}.
 */
public enum Op {
    INVALID,
    // data movement
    MOV, MOVZX, MOVSX, LEA, XCHG, BSWAP, CMPXCHG, CMPXCHG8B, XADD, CMOVCC, SETCC, XLAT,
    MOV_TO_SEG, MOV_FROM_SEG, MOV_TO_CR, MOV_FROM_CR, MOV_TO_DR, MOV_FROM_DR,
    LDS, LES, LFS, LGS, LSS,
    // arithmetic and logic
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NEG, NOT,
    MUL, IMUL1, IMUL2, IMUL3, DIV, IDIV,
    ROL, ROR, RCL, RCR, SHL, SHR, SAR, SHLD, SHRD,
    BT, BTS, BTR, BTC, BSF, BSR,
    DAA, DAS, AAA, AAS, AAM, AAD, SALC,
    CBW, CWD, LAHF, SAHF,
    // stack
    PUSH, POP, PUSH_SEG, POP_SEG, PUSHA, POPA, PUSHF, POPF, ENTER, LEAVE,
    // control transfer
    JMP, JCC, CALL, RET, JMP_FAR, CALL_FAR, RET_FAR, IRET, LOOP, LOOPE, LOOPNE, JCXZ,
    INT, INT1, INT3, INTO, BOUND,
    // strings and I/O
    MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS, IN, OUT,
    // flags
    CLC, STC, CMC, CLI, STI, CLD, STD,
    // system
    HLT, NOP, WAIT, LGDT, LIDT, SGDT, SIDT, LLDT, SLDT, LTR, STR, LMSW, SMSW, VERR, VERW, LAR, LSL, ARPL,
    CLTS, INVLPG, INVD, WBINVD, CPUID, RDTSC, RDMSR, WRMSR, RDPMC, UD2, RSM, SYSENTER, SYSEXIT,
    /** A lone prefix byte written as its own line in assembly (rep, lock, cs...) - encoder only. */
    PREFIX
}
