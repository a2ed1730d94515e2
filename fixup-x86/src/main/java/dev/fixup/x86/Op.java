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
    // x87, by the Intel operation (AT&T swaps the names fsub/fsubr, fdiv/fdivr of the DC/DE register forms)
    FLD, FST, FSTP, FILD, FIST, FISTP, FBLD, FBSTP, FXCH, FCMOVCC,
    FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ,
    FADD, FMUL, FSUB, FSUBR, FDIV, FDIVR, FADDP, FMULP, FSUBP, FSUBRP, FDIVP, FDIVRP,
    FIADD, FIMUL, FISUB, FISUBR, FIDIV, FIDIVR,
    FCOM, FCOMP, FCOMPP, FUCOM, FUCOMP, FUCOMPP, FICOM, FICOMP, FCOMI, FCOMIP, FUCOMI, FUCOMIP, FTST, FXAM,
    FCHS, FABS, FSQRT, FSCALE, FPREM, FPREM1, FRNDINT, FXTRACT,
    F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN, FSIN, FCOS, FSINCOS,
    FNOP, FINCSTP, FDECSTP, FFREE, FFREEP, FNINIT, FNCLEX, FLDCW, FNSTCW, FNSTSW, FLDENV, FNSTENV, FRSTOR, FNSAVE,
    /** The 512-byte FXSAVE image: decoded and assembled; the CPU reports no FXSR and raises #UD for them. */
    FXSAVE, FXRSTOR,
    /** A lone prefix byte written as its own line in assembly (rep, lock, cs...) - encoder only. */
    PREFIX
}
