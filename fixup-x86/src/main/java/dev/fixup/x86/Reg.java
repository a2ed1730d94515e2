package dev.fixup.x86;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** i386 registers as named in AT&T syntax, with their encoding number and size in bytes. */
public enum Reg {
    EAX(Kind.GPR, 0, 4), ECX(Kind.GPR, 1, 4), EDX(Kind.GPR, 2, 4), EBX(Kind.GPR, 3, 4),
    ESP(Kind.GPR, 4, 4), EBP(Kind.GPR, 5, 4), ESI(Kind.GPR, 6, 4), EDI(Kind.GPR, 7, 4),
    AX(Kind.GPR, 0, 2), CX(Kind.GPR, 1, 2), DX(Kind.GPR, 2, 2), BX(Kind.GPR, 3, 2),
    SP(Kind.GPR, 4, 2), BP(Kind.GPR, 5, 2), SI(Kind.GPR, 6, 2), DI(Kind.GPR, 7, 2),
    AL(Kind.GPR, 0, 1), CL(Kind.GPR, 1, 1), DL(Kind.GPR, 2, 1), BL(Kind.GPR, 3, 1),
    AH(Kind.GPR, 4, 1), CH(Kind.GPR, 5, 1), DH(Kind.GPR, 6, 1), BH(Kind.GPR, 7, 1),
    ES(Kind.SEG, 0, 2), CS(Kind.SEG, 1, 2), SS(Kind.SEG, 2, 2), DS(Kind.SEG, 3, 2),
    FS(Kind.SEG, 4, 2), GS(Kind.SEG, 5, 2),
    CR0(Kind.CR, 0, 4), CR2(Kind.CR, 2, 4), CR3(Kind.CR, 3, 4), CR4(Kind.CR, 4, 4),
    /** Reserved control registers: GNU as encodes them, the CPU raises #UD. */
    CR1(Kind.CR, 1, 4), CR5(Kind.CR, 5, 4), CR6(Kind.CR, 6, 4), CR7(Kind.CR, 7, 4),
    DR0(Kind.DR, 0, 4), DR1(Kind.DR, 1, 4), DR2(Kind.DR, 2, 4), DR3(Kind.DR, 3, 4),
    DR4(Kind.DR, 4, 4), DR5(Kind.DR, 5, 4), DR6(Kind.DR, 6, 4), DR7(Kind.DR, 7, 4),
    /** The x87 stack top as AT&T writes it without an index ("%st"); the same register as ST0. */
    ST(Kind.FPU, 0, 10),
    ST0(Kind.FPU, 0, 10), ST1(Kind.FPU, 1, 10), ST2(Kind.FPU, 2, 10), ST3(Kind.FPU, 3, 10),
    ST4(Kind.FPU, 4, 10), ST5(Kind.FPU, 5, 10), ST6(Kind.FPU, 6, 10), ST7(Kind.FPU, 7, 10);

    /** Register file a register belongs to; decides which ModRM field/opcode can name it. */
    public enum Kind { GPR, SEG, CR, DR, FPU }

    private final Kind kind;
    private final int num;
    private final int size;

    Reg(Kind kind, int num, int size) {
        this.kind = kind;
        this.num = num;
        this.size = size;
    }

    public Kind kind() { return kind; }
    /** Encoding number (0-7) used in ModRM/SIB/opcode fields. */
    public int num() { return num; }
    /** Size in bytes (1, 2 or 4). */
    public int size() { return size; }
    public boolean isGpr() { return kind == Kind.GPR; }
    /** AT&T name without the '%', e.g. "eax". */
    public String attName() {
        return kind == Kind.FPU && this != ST ? "st(" + num + ")" : name().toLowerCase(Locale.ROOT);
    }
    /** "%eax" as objdump prints it. */
    public String att() { return "%" + attName(); }

    private static final Map<String, Reg> BY_NAME = new HashMap<>();
    private static final Reg[][] GPR = new Reg[5][8];
    private static final Reg[] SEG = new Reg[8];
    private static final Reg[] CRS = new Reg[8];
    private static final Reg[] DRS = new Reg[8];
    private static final Reg[] STS = new Reg[8];

    static {
        for (Reg r : values()) {
            BY_NAME.put(r.attName(), r);
            switch (r.kind) {
                case GPR -> GPR[r.size][r.num] = r;
                case SEG -> SEG[r.num] = r;
                case CR -> CRS[r.num] = r;
                case DR -> { DRS[r.num] = r; BY_NAME.put("db" + r.num, r); }
                case FPU -> { if (r != ST) STS[r.num] = r; }
            }
        }
    }

    /** Looks up an AT&T register name, with or without '%', case-insensitive; null when unknown. */
    public static Reg byName(String name) {
        String n = name.startsWith("%") ? name.substring(1) : name;
        return BY_NAME.get(n.toLowerCase(Locale.ROOT));
    }

    /** General register of the given size (1, 2, 4) and number. */
    public static Reg gpr(int size, int num) { return GPR[size][num]; }
    /** Segment register by number (0-5); null for 6, 7. */
    public static Reg seg(int num) { return SEG[num & 7]; }
    /** Control register by number; null for the ones the i386/P6 does not have. */
    public static Reg cr(int num) { return CRS[num & 7]; }
    public static Reg dr(int num) { return DRS[num & 7]; }
    /** x87 stack register ST(num), relative to the top. */
    public static Reg st(int num) { return STS[num & 7]; }
}
