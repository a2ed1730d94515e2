package dev.fixup.x86;

/**
 * Decodes machine code into {@link Insn}s using opcode maps built from {@link FormTable}.
 * Each opcode slot holds 512 candidate forms indexed by ModRM.rm in register mode (8, for the x87's D9 E0-style
 * forms) x 0x66 present (2) x ModRM.reg (8) x register-mode (2) x 16-bit operand size (2), so group opcodes,
 * mod-dependent forms and size-dependent mnemonics resolve with one lookup.
 */
public final class Decoder {

    private static final Form[][][] MAPS = new Form[2][256][];
    private static final int SLOTS = 512;
    private static final boolean[][] HAS_MODRM = new boolean[2][256];

    static {
        for (Form f : FormTable.forms()) {
            if (f.has(Form.NO_DEC)) continue;
            int n = f.opreg ? 8 : 1;
            for (int k = 0; k < n; k++) {
                int opc = f.opcode + k;
                Form[] slot = MAPS[f.map][opc];
                if (slot == null) slot = MAPS[f.map][opc] = new Form[SLOTS];
                HAS_MODRM[f.map][opc] |= f.modrm;
                for (int idx = 0; idx < SLOTS; idx++) {
                    int reg = (idx >> 2) & 7;
                    boolean regMode = (idx & 2) != 0, o16 = (idx & 1) != 0, p66 = (idx & 32) != 0;
                    int rm = idx >> 6;
                    if (!regMode && rm != 0) continue;
                    if (f.rm >= 0 && rm != f.rm) continue;
                    if (f.has(Form.NO_66) && p66) continue;
                    if (f.digit >= 0 && reg != f.digit) continue;
                    if (f.has(Form.MEM_ONLY) && regMode) continue;
                    if (f.has(Form.REG_ONLY) && !regMode) continue;
                    if (f.has(Form.O16) && !o16) continue;
                    if (f.has(Form.O32) && o16) continue;
                    if (slot[idx] == null) slot[idx] = f;   // first row wins (e.g. nop before xchg %eax,%eax)
                }
            }
        }
    }

    private Decoder() { }

    /** Decodes the instruction at address; code32 = default operand/address size 32 bits. */
    public static Insn decode(CodeFetcher f, int address, boolean code32) {
        Insn in = new Insn();
        decode(f, address, code32, in);
        return in;
    }

    /** Decodes into an existing Insn (all fields are reset). */
    public static void decode(CodeFetcher f, int address, boolean code32, Insn in) {
        in.form = Form.INVALID; in.op = Op.INVALID;
        in.lock = false; in.rep = 0; in.seg = -1;
        in.opsizePrefix = false; in.addrsizePrefix = false;
        in.hasModrm = false; in.mod = 0; in.reg = 0; in.rm = 0;
        in.base = -1; in.index = -1; in.scale = 0; in.disp = 0; in.memory = false;
        in.imm = 0; in.imm2 = 0; in.cond = -1;
        int p = address;
        int b;
        long pfx = 0;
        prefixes:
        for (;;) {
            b = f.fetch8(p++);
            int n = p - 1 - address;
            if (n < 8) pfx |= (long) b << (8 * n);
            switch (b) {
                case 0x66 -> in.opsizePrefix = true;
                case 0x67 -> in.addrsizePrefix = true;
                case 0xF0 -> in.lock = true;
                case 0xF2, 0xF3 -> in.rep = b;
                case 0x26 -> in.seg = 0;
                case 0x2E -> in.seg = 1;
                case 0x36 -> in.seg = 2;
                case 0x3E -> in.seg = 3;
                case 0x64 -> in.seg = 4;
                case 0x65 -> in.seg = 5;
                default -> { break prefixes; }
            }
            if (p - address >= 15) { in.prefixCount = in.length = 15; in.prefixBytes = pfx; in.opcode = -1; return; }
        }
        in.prefixCount = p - address - 1;
        in.prefixBytes = in.prefixCount >= 8 ? pfx : pfx & ((1L << (8 * in.prefixCount)) - 1);
        in.opsize = code32 != in.opsizePrefix ? 4 : 2;
        in.addrsize = code32 != in.addrsizePrefix ? 4 : 2;
        int map = 0;
        if (b == 0x0F) { map = 1; b = f.fetch8(p++); }
        in.opcode = map == 1 ? 0x0F00 | b : b;
        Form[] slot = MAPS[map][b];
        if (slot == null) { in.length = p - address; return; }
        int o16 = (in.opsize == 2 ? 1 : 0) | (in.opsizePrefix ? 32 : 0);
        Form form;
        if (HAS_MODRM[map][b]) {
            int m = f.fetch8(p++);
            in.hasModrm = true;
            in.mod = m >> 6; in.reg = (m >> 3) & 7; in.rm = m & 7;
            form = slot[(in.reg << 2) | (in.mod == 3 ? 2 | in.rm << 6 : 0) | o16];
            if (form == null) { in.length = p - 1 - address; return; }   // objdump's (bad) stops before ModRM
            if (in.mod != 3 && !form.has(Form.ANY_MOD)) {
                in.memory = true;
                p = in.addrsize == 4 ? modrm32(f, p, in) : modrm16(f, p, in);
            }
        } else {
            form = slot[o16];
            if (form == null) { in.length = p - address; return; }
            if (form.opreg) in.reg = b & 7;
        }
        p = operands(f, p, in, form);
        in.form = form;
        in.op = form.op;
        in.cond = form.cond;
        in.length = p - address;
        if (in.length > 15) { in.form = Form.INVALID; in.op = Op.INVALID; in.length = 15; }
    }

    private static int modrm32(CodeFetcher f, int p, Insn in) {
        int rm = in.rm;
        if (rm == 4) {
            int sib = f.fetch8(p++);
            in.scale = sib >> 6;
            int idx = (sib >> 3) & 7;
            in.index = idx == 4 ? -1 : idx;
            int base = sib & 7;
            if (base == 5 && in.mod == 0) {
                in.base = -1;
                in.disp = fetch32(f, p); return p + 4;
            }
            in.base = base;
        } else if (rm == 5 && in.mod == 0) {
            in.base = -1;
            in.disp = fetch32(f, p); return p + 4;
        } else {
            in.base = rm;
        }
        if (in.mod == 1) { in.disp = (byte) f.fetch8(p); return p + 1; }
        if (in.mod == 2) { in.disp = fetch32(f, p); return p + 4; }
        return p;
    }

    /** 16-bit addressing: base BX(3)/BP(5), index SI(6)/DI(7), per the fixed rm table. */
    private static final int[] BASE16 = {3, 3, 5, 5, 6, 7, 5, 3};
    private static final int[] INDEX16 = {6, 7, 6, 7, -1, -1, -1, -1};

    private static int modrm16(CodeFetcher f, int p, Insn in) {
        int rm = in.rm;
        in.index = INDEX16[rm];
        if (rm == 6 && in.mod == 0) {
            in.base = -1;
            in.disp = (short) (f.fetch8(p) | f.fetch8(p + 1) << 8);
            return p + 2;
        }
        in.base = BASE16[rm];
        if (in.mod == 1) { in.disp = (byte) f.fetch8(p); return p + 1; }
        if (in.mod == 2) { in.disp = (short) (f.fetch8(p) | f.fetch8(p + 1) << 8); return p + 2; }
        return p;
    }

    private static int fetch32(CodeFetcher f, int p) {
        return f.fetch8(p) | f.fetch8(p + 1) << 8 | f.fetch8(p + 2) << 16 | f.fetch8(p + 3) << 24;
    }

    /** Reads immediates, branch offsets and moffs in operand order. */
    private static int operands(CodeFetcher f, int p, Insn in, Form form) {
        boolean first = true;
        for (OperandSpec s : form.operands) {
            int v;
            switch (s.kind) {
                case IMM -> {
                    int n = s.size(in.opsize);
                    v = n == 1 ? f.fetch8(p) : n == 2 ? f.fetch8(p) | f.fetch8(p + 1) << 8 : fetch32(f, p);
                    p += n;
                }
                case IMM8S -> { v = (byte) f.fetch8(p); p += 1; }
                case REL -> {
                    int n = s.size(in.opsize);
                    v = n == 1 ? (byte) f.fetch8(p) : n == 2 ? (short) (f.fetch8(p) | f.fetch8(p + 1) << 8) : fetch32(f, p);
                    p += n;
                }
                case MOFFS -> {
                    in.memory = true;
                    if (in.addrsize == 4) { in.disp = fetch32(f, p); p += 4; }
                    else { in.disp = f.fetch8(p) | f.fetch8(p + 1) << 8; p += 2; }
                    continue;
                }
                case FARPTR -> {
                    if (in.opsize == 4) { in.imm = fetch32(f, p); p += 4; }
                    else { in.imm = f.fetch8(p) | f.fetch8(p + 1) << 8; p += 2; }
                    in.imm2 = f.fetch8(p) | f.fetch8(p + 1) << 8;
                    p += 2;
                    continue;
                }
                default -> { continue; }
            }
            if (first) { in.imm = v; first = false; } else in.imm2 = v;
        }
        return p;
    }
}
