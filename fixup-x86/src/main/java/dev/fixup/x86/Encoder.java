package dev.fixup.x86;

import dev.fixup.x86.AsmOperand.Immediate;
import dev.fixup.x86.AsmOperand.Indirect;
import dev.fixup.x86.AsmOperand.Memory;
import dev.fixup.x86.OperandSpec.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes AT&T instructions with the forms of {@link FormTable}, choosing the encoding GNU as 2.40 chooses:
 * among the forms that accept the operands, the shortest encoding; on a tie, the earlier table row.
 */
public final class Encoder {

    /** A form reachable under a mnemonic, with the operand size its suffix imposes (0 = no suffix). */
    record Cand(Form form, int suffix) { }

    static final Map<String, List<Cand>> EXACT = new HashMap<>();
    private static final Map<String, List<Cand>> SUFFIXED = new HashMap<>();
    static final Map<String, Integer> PREFIXES = new LinkedHashMap<>();

    static {
        for (Form f : FormTable.forms()) {
            if (f.has(Form.NO_ENC)) continue;
            if (f.has(Form.EXT_NAMES)) {
                for (String a : f.aliases) put(EXACT, a, new Cand(f, 0));
                char src = Disassembler.suffix(f.operands[1].size);
                if (src == 'b') put(EXACT, f.mnemonic + src + 'w', new Cand(f, 2));
                put(EXACT, f.mnemonic + src + 'l', new Cand(f, 4));
                continue;
            }
            List<String> names = new ArrayList<>();
            names.add(f.mnemonic);
            names.addAll(f.aliases);
            for (String n : names) {
                put(EXACT, n, new Cand(f, 0));
                if (f.has(Form.NO_SUFFIX)) continue;
                if (f.hasX87Image()) {   // fnstenvs: the 14-byte image
                    put(SUFFIXED, n + "s", new Cand(f, 2));
                    put(SUFFIXED, n + "l", new Cand(f, 4));
                } else if (f.hasSizeV() || f.has(Form.SFX_W16) || f.has(Form.DEF_SILENT) || sizeOf(f) == 6) {
                    if (!f.has(Form.O32)) put(SUFFIXED, n + "w", new Cand(f, 2));
                    if (!f.has(Form.O16)) put(SUFFIXED, n + "l", new Cand(f, 4));
                } else if (sizeOf(f) > 0) {
                    put(SUFFIXED, n + Disassembler.suffix(sizeOf(f)), new Cand(f, sizeOf(f)));
                }
            }
        }
        PREFIXES.put("lock", 0xF0);
        PREFIXES.put("rep", 0xF3);
        PREFIXES.put("repe", 0xF3);
        PREFIXES.put("repz", 0xF3);
        PREFIXES.put("repne", 0xF2);
        PREFIXES.put("repnz", 0xF2);
        PREFIXES.put("es", 0x26);
        PREFIXES.put("cs", 0x2E);
        PREFIXES.put("ss", 0x36);
        PREFIXES.put("ds", 0x3E);
        PREFIXES.put("fs", 0x64);
        PREFIXES.put("gs", 0x65);
        PREFIXES.put("data16", 0x66);
        PREFIXES.put("addr16", 0x67);
        PREFIXES.put("notrack", Emitter.NOTRACK);
    }

    /** Instructions that take the lock prefix. */
    static final java.util.Set<Op> LOCKABLE = java.util.EnumSet.of(Op.ADD, Op.ADC, Op.AND, Op.BTC, Op.BTR, Op.BTS,
            Op.CMPXCHG, Op.CMPXCHG8B, Op.DEC, Op.INC, Op.NEG, Op.NOT, Op.OR, Op.SBB, Op.SUB, Op.XOR, Op.XADD, Op.XCHG);

    private static void put(Map<String, List<Cand>> m, String name, Cand c) {
        m.computeIfAbsent(name, k -> new ArrayList<>()).add(c);
    }

    /** Explicit size of the form's main operand (1, 2, 4, 6 for lgdt), 0 if none: the suffix it takes. */
    static int sizeOf(Form f) {
        for (OperandSpec s : f.operands) {
            if (s.kind == Kind.PORT_DX || s.fixed == Reg.CL || s.kind == Kind.REL) continue;
            if (s.kind == Kind.IMM || s.kind == Kind.IMM8S || s.kind == Kind.XLAT_SRC) continue;
            if (s.kind == Kind.FIXED && !s.fixed.isGpr()) continue;
            if (s.size == 1 || s.size == 2 || s.size == 4 || s.size == 6) return s.size;
        }
        return 0;
    }

    private Encoder() { }

    /** True if the assembler should treat this word as an instruction mnemonic or prefix. */
    public static boolean isMnemonic(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return EXACT.containsKey(w) || SUFFIXED.containsKey(w) || PREFIXES.containsKey(w) || w.equals("pause");
    }

    /** Prefix byte of a prefix mnemonic (rep, lock, fs, data16...), or -1. */
    public static int prefixByte(String word) {
        Integer b = PREFIXES.get(word.toLowerCase(Locale.ROOT));
        return b == null ? -1 : b & 0xFF;
    }

    /**
     * Encodes one instruction. mnemonic may carry prefixes separated by spaces ("rep movsl", "lock incl");
     * a lone prefix ("rep") encodes to its prefix byte. ops are in AT&T order as written.
     */
    public static Encoding encode(String mnemonic, List<AsmOperand> ops, EncodeOptions opts) throws EncodeException {
        String[] words = mnemonic.trim().toLowerCase(Locale.ROOT).split("\\s+");
        List<Integer> prefixes = new ArrayList<>();
        int n = words.length;
        for (int i = 0; i < n - 1; i++) {
            Integer b = PREFIXES.get(words[i]);
            if (b == null) throw new EncodeException("no such instruction: `" + mnemonic.trim() + "'");
            prefixes.add(b);
        }
        String m = words[n - 1];
        // GNU as spellings that select another form outright
        if (m.equals("int") && ops.size() == 1 && ops.get(0) instanceof Immediate im && !im.relocatable() && im.value() == 3) {
            m = "int3";
            ops = List.of();
        } else if (m.equals("pause") && ops.isEmpty()) {
            prefixes.add(0xF3);
            m = "nop";
        }
        List<Cand> cands = EXACT.get(m);
        if (cands == null) cands = SUFFIXED.get(m);
        if (cands == null) {
            int b = prefixByte(m);
            if (b >= 0 && ops.isEmpty()) {
                prefixes.add(b);
                byte[] out = new byte[prefixes.size()];
                for (int i = 0; i < out.length; i++) out[i] = (byte) (int) prefixes.get(i);
                List<String> warn = b == 0x66 || b == 0x67 ? List.of("stand-alone `" + m + "' prefix") : List.of();
                return new Encoding(out, List.of(), warn);
            }
            if (b >= 0) throw new EncodeException("expecting prefix; got nothing");
            if (looksSuffixed(m)) throw new EncodeException("invalid instruction suffix for `" + m.substring(0, m.length() - 1) + "'");
            throw new EncodeException("no such instruction: `" + m + "'");
        }
        return new FormMatcher(m, cands, ops, opts, prefixes, words).run();
    }

    private static boolean looksSuffixed(String m) {
        if (m.length() < 2) return false;
        char c = m.charAt(m.length() - 1);
        String base = m.substring(0, m.length() - 1);
        return (c == 'b' || c == 'w' || c == 'l' || c == 'q' || c == 's' || c == 't')
                && (EXACT.containsKey(base) || SUFFIXED.containsKey(base) || base.equals("movzw") || base.equals("movzb"));
    }

    static AsmOperand strip(AsmOperand a) {
        return a instanceof Indirect i ? i.target() : a;
    }

    /** Forms whose immediate GNU as cannot truncate to an operand size (int, ret $n, enter): too big is an error. */
    static boolean unsizedImmediate(Form f) {
        return switch (f.op) {
            case INT, RET, RET_FAR, ENTER, AAM, AAD -> true;
            default -> false;
        };
    }

    static String memText(Memory m) {
        return (m.seg() != null ? m.seg().att() + ":" : "") + "(" + (m.base() != null ? m.base().att() : "") + ")";
    }

    static long signExtend(long value, int size) {
        return switch (size) {
            case 1 -> (byte) value;
            case 2 -> (short) value;
            default -> (int) value;
        };
    }
}
