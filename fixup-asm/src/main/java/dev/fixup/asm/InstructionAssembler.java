package dev.fixup.asm;

import dev.fixup.x86.AsmOperand;
import dev.fixup.x86.EncodeException;
import dev.fixup.x86.EncodeOptions;
import dev.fixup.x86.Encoder;
import dev.fixup.x86.Encoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Assembles instruction statements through fixup-x86's {@link Encoder}: evaluates operands with what is
 * known now (unknown values are passed as relocatable, which makes the encoder pick full-size fields, as
 * GNU as does), emits the bytes and records a {@link PendingField} for every field still to be resolved.
 * jmp/jcc to a bare target become relaxable frags.
 */
final class InstructionAssembler {
    private static final Set<String> RELAXABLE = Set.of("jmp", "jo", "jno", "jb", "jc", "jnae", "jae", "jnb", "jnc",
            "je", "jz", "jne", "jnz", "jbe", "jna", "ja", "jnbe", "js", "jns", "jp", "jpe", "jnp", "jpo", "jl", "jnge",
            "jge", "jnl", "jle", "jng", "jg", "jnle");

    private final Assembly asm;
    private final OperandParser operands;
    /** A relaxable jump's short and long encodings, by mnemonic: the same for every jump, and gcc output is full of them. */
    private final Map<String, Encoding[]> jumpForms = new HashMap<>();

    InstructionAssembler(Assembly asm) {
        this.asm = asm;
        this.operands = new OperandParser(asm);
    }

    void statement(Cursor c) {
        String whole = c.rest().strip();
        StringBuilder mnemonic = new StringBuilder();
        String word;
        // prefixes written before the instruction ("rep movsb", "lock incl (%eax)")
        while (true) {
            c.skipSpaces();
            int start = c.pos;
            word = mnemonicWord(c);
            if (word == null) throw c.junk();
            if (!Encoder.isMnemonic(word)) {
                c.pos = start;
                throw new AsmError("no such instruction: `" + whole + "'");
            }
            if (mnemonic.length() > 0) mnemonic.append(' ');
            mnemonic.append(word.toLowerCase(Locale.ROOT));
            if (Encoder.prefixByte(word) < 0 || c.atEnd()) break;
            int save = c.pos;
            String next = mnemonicWord(c);
            c.pos = save;
            if (next == null || !Encoder.isMnemonic(next)) break;
        }
        int symbolsBefore = asm.symbols.inOrder.size();   // what existed before this line's operands
        List<ParsedOperand> ops = new ArrayList<>();
        String rest = c.rest().strip();
        if (!rest.isEmpty()) {
            List<String> texts = Macro.topLevelSplit(rest, ',');
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                if (t.isEmpty()) {
                    throw new AsmError(i == 0 ? "expecting operand before ','; got nothing" : "expecting operand after ','; got nothing");
                }
                int depth = 0;
                for (char ch : t.toCharArray()) depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
                if (depth != 0) throw new AsmError("unbalanced parenthesis in operand " + (i + 1) + ".");
                ops.add(operands.parse(t));
            }
        }
        String m = mnemonic.toString();
        String last = word.toLowerCase(Locale.ROOT);
        if (RELAXABLE.contains(last) && ops.size() == 1 && ops.get(0).isBareAddress() && ops.get(0).disp != null) {
            relaxableJump(m, ops.get(0));
            return;
        }
        List<AsmOperand> enc = new ArrayList<>();
        boolean[] known = new boolean[ops.size()];
        for (int i = 0; i < ops.size(); i++) enc.add(toAsmOperand(ops.get(i), known, i));
        Encoding e = encode(m, enc, new EncodeOptions(false, false, 0));
        Frag f = asm.frag();
        int start = f.size;
        f.put(e.bytes());
        for (ParsedOperand po : ops) {
            Expr.Reloc r = Expr.reloc(po.imm != null ? po.imm : po.disp != null ? po.disp : new Expr.Num(0));
            // GNU as makes a .L label a real symbol when a specifier use finds it already known (defined
            // or mentioned on an earlier line); a label first mentioned here waits for the end.
            if (r != null && r.target() instanceof Expr.SymRef ref && ref.symbol().order < symbolsBefore) asm.symbols.rankNow(ref.symbol());
        }
        for (Encoding.Field fld : e.fields()) {
            // fields of implicit operands (aam's 10) are constants the encoder has written already
            if (fld.operandIndex() < 0 || fld.operandIndex() >= ops.size()) continue;
            ParsedOperand po = ops.get(fld.operandIndex());
            switch (fld.kind()) {
                case REL -> f.pendingFields.add(new PendingField(f, start + fld.offset(), fld.size(), po.disp, PendingField.Kind.BRANCH,
                        e.length() - fld.offset(), asm.line));
                case IMM -> {
                    if (!known[fld.operandIndex()]) {
                        PendingField fx = new PendingField(f, start + fld.offset(), fld.size(), po.imm, PendingField.Kind.IMM, 0, asm.line);
                        fx.fieldInInstruction = fld.offset();
                        f.pendingFields.add(fx);
                    }
                }
                case DISP -> {
                    if (!known[fld.operandIndex()] && po.disp != null) {
                        PendingField fx = new PendingField(f, start + fld.offset(), fld.size(), po.disp, PendingField.Kind.DISP, 0, asm.line);
                        fx.gotRelaxable = isGotLoad(e.bytes());
                        f.pendingFields.add(fx);
                    }
                }
            }
        }
    }

    /**
     * mov/test/binop loads and indirect call/jmp: the instructions whose foo@GOT field GNU as marks
     * R_386_GOT32X. The opcode is the first byte after the prefixes, its ModRM the next.
     */
    private static boolean isGotLoad(byte[] b) {
        int i = 0;
        while (i < b.length && isPrefix(b[i] & 0xff)) i++;
        if (i + 1 >= b.length) return false;
        int op = b[i] & 0xff, reg = (b[i + 1] >> 3) & 7;
        return op == 0x8b || op == 0x85 || (op < 0x40 && (op & 7) == 3) || (op == 0xff && (reg == 2 || reg == 4));
    }

    private static boolean isPrefix(int x) {
        return switch (x) {
            case 0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 -> true;
            default -> false;
        };
    }

    /** The mnemonic at the cursor; like GNU as, it must be followed by a blank, a comma or the end. */
    private static String mnemonicWord(Cursor c) {
        c.skipSpaces();
        int s = c.pos;
        while (c.pos < c.text.length() && (Character.isLetterOrDigit(c.text.charAt(c.pos)) || c.text.charAt(c.pos) == '_'
                || c.text.charAt(c.pos) == '.')) c.pos++;
        if (c.pos == s) return null;
        if (c.pos < c.text.length()) {
            char ch = c.text.charAt(c.pos);
            if (!Character.isWhitespace(ch) && ch != ',') throw new AsmError("invalid character '" + ch + "' in mnemonic");
        }
        return c.text.substring(s, c.pos);
    }

    private Encoding encode(String m, List<AsmOperand> ops, EncodeOptions opts) {
        try {
            Encoding e = Encoder.encode(m, ops, opts);
            for (String w : e.warnings()) asm.diag.warning(asm.line, w);
            return e;
        } catch (EncodeException ex) {
            throw new AsmError(ex.getMessage());
        } catch (RuntimeException ex) {
            throw new AsmError("cannot encode `" + m + "': " + ex);
        }
    }

    /** Evaluates an operand now; known[i] tells whether its value is final (no fixup needed). */
    private AsmOperand toAsmOperand(ParsedOperand op, boolean[] known, int i) {
        AsmOperand r;
        switch (op.kind) {
            case REGISTER -> {
                known[i] = true;
                r = new AsmOperand.Register(op.reg);
            }
            case IMMEDIATE -> {
                Value v = asm.parseEval.eval(op.imm);
                known[i] = v != null && v.isConstant();
                r = new AsmOperand.Immediate(known[i] ? v.constant() : 0, !known[i]);
            }
            default -> {
                long disp = 0;
                boolean rel = false;
                if (op.disp != null) {
                    Value v = asm.parseEval.eval(op.disp);
                    known[i] = v != null && v.isConstant();
                    rel = !known[i];
                    disp = known[i] ? v.constant() : 0;
                } else {
                    known[i] = true;
                }
                r = new AsmOperand.Memory(op.seg, op.base, op.index, op.scale, disp, rel, op.disp != null);
            }
        }
        return op.indirect ? new AsmOperand.Indirect(r) : r;
    }

    /** jmp/jcc to a bare target: both encodings are kept; the layout picks one. */
    private void relaxableJump(String m, ParsedOperand target) {
        Encoding[] forms = jumpForms.get(m);
        if (forms == null) {
            List<AsmOperand> ops = List.of(new AsmOperand.Memory(null, null, null, 1, 0, true, true));
            forms = new Encoding[] {encode(m, ops, new EncodeOptions(true, false, 0)), encode(m, ops, new EncodeOptions(false, false, 0))};
            jumpForms.put(m, forms);
        } else {
            for (Encoding e : forms) for (String w : e.warnings()) asm.diag.warning(asm.line, w);
        }
        Encoding sh = forms[0], lo = forms[1];
        Frag f = asm.frag();
        f.tail = Frag.Tail.JUMP;
        f.shortForm = sh.bytes().clone();
        f.longForm = lo.bytes().clone();
        f.shortField = relField(sh);
        f.longField = relField(lo);
        f.target = target.disp;
        f.line = asm.line;
        asm.current.newFrag();
    }

    private static int relField(Encoding e) {
        for (Encoding.Field fld : e.fields()) if (fld.kind() == Encoding.FieldKind.REL) return fld.offset();
        throw new AsmError("encoder gave no branch field");
    }
}
