package dev.fixup.asm;

import dev.fixup.elf.Elf;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pseudo-ops (directives) of GNU as that Fixup supports. */
final class Directives {
    private final Assembly asm;

    Directives(Assembly asm) { this.asm = asm; }

    void handle(String name, Cursor c) {
        switch (name) {
            case ".text", ".data", ".bss" -> {
                if (!c.atEnd()) {
                    long sub = asm.absolute(c, name);
                    if (sub != 0) throw new AsmError("subsections are not supported");
                }
                asm.switchTo(asm.sections.get(name));
            }
            case ".section" -> section(c, false);
            case ".pushsection" -> section(c, true);
            case ".popsection" -> {
                restIsNextStatement(c);
                if (asm.sectionStack.isEmpty()) {
                    asm.diag.warning(asm.line, ".popsection without corresponding .pushsection; ignored");
                    return;
                }
                SectionBuffer[] top = asm.sectionStack.pop();
                asm.current = top[0];
                asm.previous = top[1];
            }
            case ".previous" -> {
                restIsNextStatement(c);
                if (asm.previous == null) {
                    asm.diag.warning(asm.line, ".previous without corresponding .section; ignored");
                    return;
                }
                SectionBuffer p = asm.previous;
                asm.previous = asm.current;
                asm.current = p;
            }
            case ".globl", ".global" -> symbolList(c, s -> s.global = true);
            case ".weak" -> elfSymbolList(c, s -> s.weak = true);
            case ".local" -> elfSymbolList(c, s -> { s.explicitLocal = true; s.global = false; });
            case ".hidden" -> elfSymbolList(c, s -> s.visibility = 2);
            case ".protected" -> elfSymbolList(c, s -> s.visibility = 3);
            case ".internal" -> elfSymbolList(c, s -> s.visibility = 1);
            case ".type" -> type(c);
            case ".size" -> {
                int at = c.pos;
                String n = c.symbolName();
                if (!c.accept(',')) throw new AsmError("expected comma after name `" + (n == null ? "" : n) + "' in .size directive");
                c.pos = at;
                AsmSymbol s = symbolName(c);
                c.expect(',');
                s.size = asm.expr(c);
                c.expectEnd();
            }
            case ".align" -> align(c, name, false, 1);
            case ".balign" -> align(c, name, false, 1);
            case ".balignw" -> align(c, name, false, 2);
            case ".balignl" -> align(c, name, false, 4);
            case ".p2align" -> align(c, name, true, 1);
            case ".p2alignw" -> align(c, name, true, 2);
            case ".p2alignl" -> align(c, name, true, 4);
            case ".byte" -> data(c, 1);
            case ".word", ".short", ".value", ".hword", ".2byte" -> data(c, 2);
            case ".long", ".int", ".4byte" -> data(c, 4);
            case ".quad", ".8byte" -> data(c, 8);
            case ".float", ".single" -> floats(c, FloatLiteral.Format.SINGLE);
            case ".double" -> floats(c, FloatLiteral.Format.DOUBLE);
            case ".tfloat" -> floats(c, FloatLiteral.Format.EXTENDED);
            case ".ascii" -> strings(c, false);
            case ".asciz", ".string" -> strings(c, true);
            case ".fill" -> fill(c);
            case ".space", ".skip" -> space(c, name);
            case ".zero" -> {
                if (c.atEnd()) return;
                long n = asm.absolute(c, name);
                c.expectEnd();
                pad(n, 0, name);
            }
            case ".org" -> org(c);
            case ".set", ".equ" -> {
                String n = c.symbolName();
                if (n == null) throw new AsmError("expected symbol name");
                c.expect(',');
                assign(n, c, false);
            }
            case ".equiv" -> {
                String n = c.symbolName();
                if (n == null) throw new AsmError("expected symbol name");
                c.expect(',');
                assign(n, c, true);
            }
            case ".comm" -> comm(c, false);
            case ".lcomm" -> comm(c, true);
            case ".file" -> {
                if (c.peek() == '"') {
                    asm.fileSymbol = new String(StringEscapes.string(c), java.nio.charset.StandardCharsets.ISO_8859_1);
                    c.expectEnd();
                    return;
                }
                // .file N ["dir"] "name" [md5 VALUE]: an entry of the DWARF line table
                long n = asm.absolute(c, ".file");
                String first = new String(StringEscapes.string(c), java.nio.charset.StandardCharsets.ISO_8859_1);
                String second = null;
                if (c.peek() == '"') second = new String(StringEscapes.string(c), java.nio.charset.StandardCharsets.ISO_8859_1);
                asm.lines.file(n, second == null ? null : first, second == null ? first : second);
            }
            case ".loc" -> asm.lines.loc(c);
            case ".uleb128", ".sleb128" -> leb128(c, name.equals(".sleb128"));
            case ".ident" -> {
                asm.idents.add(new String(StringEscapes.string(c), java.nio.charset.StandardCharsets.ISO_8859_1));
                c.expectEnd();
                asm.section(".comment", Elf.SHF_MERGE | Elf.SHF_STRINGS, Elf.SHT_PROGBITS, 1);
            }
            case ".code32" -> restIsNextStatement(c);
            case ".code16", ".code16gcc" -> throw new AsmError(name + " is not supported by Fixup");
            case ".intel_syntax" -> throw new AsmError(".intel_syntax is not supported by Fixup");
            case ".att_syntax", ".arch", ".nops_hint" -> { }
            case ".end" -> asm.ended = true;
            case ".include" -> {
                if (c.peek() != '"') throw new AsmError("missing string");
                String file = new String(StringEscapes.string(c), java.nio.charset.StandardCharsets.ISO_8859_1);
                c.expectEnd();
                asm.include(file);
            }
            case ".macro" -> macro(c);
            case ".endm" -> asm.diag.warning(asm.line, ".endm encountered without preceding .macro");
            case ".endr" -> asm.diag.warning(asm.line, ".endr encountered without preceding .rept, .irp, or .irpc");
            case ".exitm" -> throw new AsmError(".exitm is only supported as the last statement of a macro");
            case ".purgem" -> {
                String n = c.symbolName();
                if (n == null || asm.macros.remove(n.toLowerCase(Locale.ROOT)) == null) throw new AsmError("can't find macro `" + n + "' to purge");
            }
            case ".rept" -> {
                long n = asm.absolute(c, name);
                c.expectEnd();
                int[] chain = asm.invokedFrom;
                asm.collect(new BodyCollector(".rept", body -> {
                    // a bound well beyond real use, so that a typo cannot exhaust the memory
                    if (n * Math.max(1, body.size()) > Assembly.MAX_EXPANDED) {
                        asm.diag.error(asm.line, ".rept count " + n + " is too large for Fixup");
                        return;
                    }
                    List<Statement> out = new ArrayList<>();
                    for (long i = 0; i < n; i++) for (Statement st : body) out.add(st.from(chain));
                    asm.pushFront(out);
                }));
            }
            case ".irp", ".irpc" -> irp(c, name.equals(".irpc"));
            case ".if" -> asm.beginIf(asm.absolute(c, name) != 0);
            case ".ifeq" -> asm.beginIf(asm.absolute(c, name) == 0);
            case ".ifne" -> asm.beginIf(asm.absolute(c, name) != 0);
            case ".ifgt" -> asm.beginIf(asm.absolute(c, name) > 0);
            case ".ifge" -> asm.beginIf(asm.absolute(c, name) >= 0);
            case ".iflt" -> asm.beginIf(asm.absolute(c, name) < 0);
            case ".ifle" -> asm.beginIf(asm.absolute(c, name) <= 0);
            case ".ifdef", ".ifndef", ".ifnotdef" -> {
                String n = c.symbolName();
                if (n == null) throw new AsmError("invalid identifier for \"" + name + "\"");
                AsmSymbol s = asm.symbols.find(n);
                boolean def = s != null && s.isDefined();
                asm.beginIf(name.equals(".ifdef") == def);
            }
            case ".ifb", ".ifnb" -> asm.beginIf(c.atEnd() == name.equals(".ifb"));
            case ".ifc", ".ifnc" -> {
                List<String> parts = Macro.topLevelSplit(c.rest(), ',');
                boolean eq = parts.size() == 2 && unquote(parts.get(0)).equals(unquote(parts.get(1)));
                asm.beginIf(eq == name.equals(".ifc"));
            }
            case ".else" -> {
                c.expectEnd();
                asm.elseIf(null);
            }
            case ".elseif" -> asm.elseIf(Boolean.TRUE);
            case ".endif" -> {
                c.expectEnd();
                asm.endIf();
            }
            case ".error", ".err" -> throw new AsmError(c.atEnd() ? ".err encountered" : new String(StringEscapes.string(c)));
            case ".warning" -> asm.diag.warning(asm.line, c.atEnd() ? ".warning directive invoked in source file"
                    : new String(StringEscapes.string(c)));
            case ".print" -> { }
            default -> {
                if (!name.startsWith(".cfi_")) throw new AsmError("unknown pseudo-op: `" + name + "'");
                asm.cfi.directive(name, c);
            }
        }
    }

    /**
     * Directives without operands do not look at the rest of their line in GNU as: whatever follows is
     * read as the next statement (".previous .section x" is two statements).
     */
    private void restIsNextStatement(Cursor c) {
        if (!c.atEnd()) asm.pushFront(List.of(new Statement(c.rest(), asm.line, asm.invokedFrom)));
    }

    private static String unquote(String s) {
        s = s.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    // ---------------------------------------------------------------- sections

    private void section(Cursor c, boolean push) {
        c.skipSpaces();
        String name;
        if (c.peek() == '"') {
            name = new String(StringEscapes.string(c), java.nio.charset.StandardCharsets.ISO_8859_1);
        } else {
            int s = c.pos;
            while (c.pos < c.text.length() && c.text.charAt(c.pos) != ',' && !Character.isWhitespace(c.text.charAt(c.pos))) c.pos++;
            name = c.text.substring(s, c.pos);
        }
        if (name.isEmpty()) throw new AsmError("missing name");
        Integer flags = null, type = null;
        int entsize = 0;
        String group = null;
        boolean comdat = false;
        if (c.accept(',')) {
            if (c.peek() == '"') {
                flags = sectionFlags(new String(StringEscapes.string(c), java.nio.charset.StandardCharsets.ISO_8859_1));
                if (c.accept(',')) {
                    c.skipSpaces();
                    if (c.peek() == '@' || c.peek() == '%') c.pos++;
                    String t = c.symbolName();
                    if (t == null) throw new AsmError("missing section type");
                    type = switch (t) {
                        case "progbits" -> Elf.SHT_PROGBITS;
                        case "nobits" -> Elf.SHT_NOBITS;
                        case "note" -> Elf.SHT_NOTE;
                        case "init_array" -> Elf.SHT_INIT_ARRAY;
                        case "fini_array" -> Elf.SHT_FINI_ARRAY;
                        case "preinit_array" -> Elf.SHT_PREINIT_ARRAY;
                        default -> {
                            asm.diag.warning(asm.line, "unrecognized section type");
                            yield null;
                        }
                    };
                    // then, in GNU as's order: the entity size (M), the group (G) and its linkage
                    if ((flags & Elf.SHF_MERGE) != 0 && c.accept(',')) entsize = (int) asm.absolute(c, ".section");
                    if ((flags & Elf.SHF_GROUP) != 0 && c.accept(',')) {
                        group = c.symbolName();
                        if (group == null) throw new AsmError("group name not found in .section directive");
                        if (c.accept(',')) {
                            String linkage = c.symbolName();
                            if (!"comdat".equals(linkage)) throw new AsmError("junk at end of line, first unrecognized character is `" + (linkage == null ? c.peek() : linkage.charAt(0)) + "'");
                            comdat = true;
                        }
                    }
                    if ((flags & (Elf.SHF_MERGE | Elf.SHF_GROUP)) == 0 && c.accept(',')) entsize = (int) asm.absolute(c, ".section");
                }
                if ((flags & Elf.SHF_GROUP) != 0 && group == null) {
                    asm.diag.warning(asm.line, "group name for SHF_GROUP not specified");
                    flags &= ~Elf.SHF_GROUP;
                }
                if ((flags & Elf.SHF_MERGE) != 0 && entsize == 0) {
                    asm.diag.warning(asm.line, "entity size for SHF_MERGE not specified");
                    flags &= ~(Elf.SHF_MERGE | Elf.SHF_STRINGS);
                }
            } else if (c.peek() != 0) {
                throw c.junk();
            }
        }
        c.expectEnd();
        SectionBuffer existing = asm.sections.get(name);
        SectionBuffer s = asm.section(name, flags, type, entsize);
        if (existing != null && flags != null && flags != existing.flags) {
            asm.diag.warning(asm.line, "ignoring changed section attributes for " + name);
        }
        if (existing == null && group != null) {
            s.group = group;
            s.comdat = comdat;
        }
        if (push) asm.sectionStack.push(new SectionBuffer[] {asm.current, asm.previous});
        asm.switchTo(s);
    }

    private static int sectionFlags(String f) {
        int flags = 0;
        for (char ch : f.toCharArray()) {
            flags |= switch (ch) {
                case 'a' -> Elf.SHF_ALLOC;
                case 'w' -> Elf.SHF_WRITE;
                case 'x' -> Elf.SHF_EXECINSTR;
                case 'M' -> Elf.SHF_MERGE;
                case 'S' -> Elf.SHF_STRINGS;
                case 'T' -> Elf.SHF_TLS;
                case 'G' -> Elf.SHF_GROUP;
                case 'e' -> 0x80000000;
                case 'o' -> 0x80;
                case 'R' -> 0x200000;
                default -> throw new AsmError("bad .section directive: want a,w,x,M,S,G,T in string");
            };
        }
        return flags;
    }

    // ---------------------------------------------------------------- symbols

    private interface SymbolAction { void apply(AsmSymbol s); }

    private void symbolList(Cursor c, SymbolAction action) {
        do {
            action.apply(symbolName(c));
        } while (c.accept(','));
        c.expectEnd();
    }

    /** The ELF-specific symbol directives word their complaint differently from .globl. */
    private void elfSymbolList(Cursor c, SymbolAction action) {
        if (c.atEnd() || c.peek() == ',') throw new AsmError("Missing symbol name in directive");
        symbolList(c, action);
    }

    private AsmSymbol symbolName(Cursor c) {
        String n = c.symbolName();
        if (n == null) throw new AsmError("expected symbol name");
        AsmSymbol s = asm.symbols.get(n);
        return s;
    }

    private void type(Cursor c) {
        if (c.atEnd() || c.peek() == ',') throw new AsmError("Missing symbol name in directive");
        AsmSymbol s = symbolName(c);
        c.accept(',');
        c.skipSpaces();
        boolean quoted = c.peek() == '"';
        if (c.peek() == '@' || c.peek() == '%' || quoted) c.pos++;
        String t = c.symbolName();
        if (quoted) c.accept('"');
        if (t == null) throw new AsmError("missing symbol type");
        s.type = switch (t) {
            case "function", "STT_FUNC" -> Elf.STT_FUNC;
            case "object", "STT_OBJECT" -> Elf.STT_OBJECT;
            case "notype", "STT_NOTYPE" -> Elf.STT_NOTYPE;
            case "tls_object", "STT_TLS" -> 6;
            case "common", "STT_COMMON" -> 5;
            default -> throw new AsmError("unrecognized symbol type \"" + t + "\"");
        };
        c.expectEnd();
    }

    /** `name = expr`, .set, .equ (redefinable) and .equiv (not). */
    void assign(String name, Cursor c, boolean once) {
        if (name.equals(".")) {
            org(c);
            return;
        }
        if (c.atEnd()) throw new AsmError("missing expression");
        AsmSymbol s = asm.symbols.get(name); // created before the names in its value, as in GNU as
        Expr e = asm.expr(c);
        c.expectEnd();
        if (s.kind == AsmSymbol.Kind.LABEL || s.kind == AsmSymbol.Kind.COMMON || (once && s.isDefined())) {
            throw new AsmError("symbol `" + name + "' is already defined");
        }
        // snapshot what is known now, as GNU as does: later .set of the same name must not change earlier uses
        Value v = asm.parseEval.eval(e);
        s.kind = AsmSymbol.Kind.EQUATE;
        s.once = once;
        s.line = asm.line;
        if (v != null && v.isConstant()) s.equate = new Expr.Num(v.constant());
        else if (v != null && v.sub() == null && v.add().located()) {
            Value.Term t = v.add();
            s.equate = new Expr.Binary("+", new Expr.Dot(t.frag(), t.offset()), new Expr.Num(v.constant()));
        } else s.equate = e;
        // like GNU as, an alias (symbol or symbol + constant) takes the type and size of its target
        AsmSymbol src = null;
        s.aliasOf = null;
        if (e instanceof Expr.SymRef r) {
            src = r.symbol();
            // still undefined: GNU as resolves the alias at the end and takes the attributes then
            if (src.section == null && src != s && !src.isDefined()) s.aliasOf = src;
        }
        else if (e instanceof Expr.Binary bin && (bin.op().equals("+") || bin.op().equals("-"))
                && bin.left() instanceof Expr.SymRef r && bin.right() instanceof Expr.Num) src = r.symbol();
        if (src != null && src != s && src.section == null) {
            if (src.type != Elf.STT_NOTYPE) s.type = src.type;
            if (src.size != null && s.size == null) s.size = src.size;
        }
    }

    private void comm(Cursor c, boolean local) {
        AsmSymbol s = symbolName(c);
        c.expect(',');
        long size = asm.absolute(c, local ? ".lcomm" : ".comm");
        long align = -1;
        if (!local && c.accept(',')) align = asm.absolute(c, ".comm");
        c.expectEnd();
        if (s.kind == AsmSymbol.Kind.LABEL || s.kind == AsmSymbol.Kind.EQUATE) {
            throw new AsmError("symbol `" + s.name + "' is already defined");
        }
        if (local || s.explicitLocal) {
            // a local common block is allocated in .bss right away
            if (align < 0) align = size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
            if (align == 0) align = 1;
            SectionBuffer bss = asm.sections.get(".bss");
            Frag f = bss.subsection1((int) align);
            s.kind = AsmSymbol.Kind.LABEL;
            s.frag = f;
            s.offset = f.size;
            asm.checkGrowth(bss, Math.max(0, size), 1);
            f.putRepeated(new byte[] {0}, Math.max(0, size));
            bss.recordAlignment((int) align);
            s.type = Elf.STT_OBJECT;
            s.size = new Expr.Num(size);
            return;
        }
        if (align < 0) {
            align = 1;
            while (align < size && align < 16) align <<= 1;
        }
        if (align != 0 && (align & (align - 1)) != 0) throw new AsmError("alignment not a power of 2");
        s.kind = AsmSymbol.Kind.COMMON;
        s.commonSize = size;
        s.commonAlign = align;
        s.global = true;
        s.type = Elf.STT_OBJECT;
    }

    // ---------------------------------------------------------------- data

    private void data(Cursor c, int size) {
        if (c.atEnd()) return;
        do {
            Expr e;
            if (c.atEnd() || c.peek() == ',') {
                asm.diag.warning(asm.line, "zero assumed for missing expression");
                e = new Expr.Num(0);
            } else {
                e = asm.expr(c);
            }
            emitValue(e, size);
        } while (c.accept(','));
        c.expectEnd();
    }

    /** Emits a data field holding an expression: bytes now if known, else a pending field. */
    void emitValue(Expr e, int size) {
        if (asm.current.isNobits()) {
            Value v = asm.parseEval.eval(e);
            if (v == null || !v.isConstant() || v.constant() != 0) throw new AsmError("attempt to store non-zero value in section `" + asm.current.name + "'");
        }
        Frag f = asm.frag();
        Value v = asm.parseEval.eval(e);
        if (v != null && v.isConstant()) {
            long x = v.constant();
            if (size < 8) {
                long mask = -1L << (8 * size);
                if ((x & mask) != 0 && (x & mask) != mask) {
                    asm.diag.warning(asm.line, "value 0x" + Long.toHexString(x) + " truncated to 0x" + Long.toHexString(x & ~mask));
                }
            }
            f.putLE(x, size);
            return;
        }
        int fieldSize = Math.min(size, 4);
        f.pendingFields.add(new PendingField(f, f.size, fieldSize, e, PendingField.Kind.DATA, 0, asm.line));
        f.putLE(0, size);
    }

    /** .uleb128/.sleb128: bytes now for a constant, else a variable tail that the layout sizes (as GNU as's rs_leb128). */
    private void leb128(Cursor c, boolean signed) {
        do {
            Expr e = asm.expr(c);
            Value v = asm.parseEval.eval(e);
            if (v == null || !v.isConstant()) {
                Frag f = asm.frag();
                f.tail = Frag.Tail.LEB;
                f.lebValue = e;
                f.lebSigned = signed;
                f.line = asm.line;
                asm.current.newFrag();
                continue;
            }
            if (asm.current.isNobits() && v.constant() != 0) throw new AsmError("attempt to store non-zero value in section `" + asm.current.name + "'");
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            if (signed) Leb128.signed(b, v.constant());
            else Leb128.unsigned(b, v.constant());
            asm.frag().put(b.toByteArray());
        } while (c.accept(','));
        c.expectEnd();
    }

    private void floats(Cursor c, FloatLiteral.Format format) {
        if (c.atEnd()) return;
        if (asm.current.isNobits()) throw new AsmError("attempt to store float in section `" + asm.current.name + "'");
        do {
            asm.frag().put(FloatLiteral.read(c, format));
        } while (c.accept(','));
        c.expectEnd();
    }

    private void strings(Cursor c, boolean nul) {
        do {
            byte[] b = StringEscapes.string(c, w -> asm.diag.warning(asm.line, w));
            Frag f = asm.frag();
            if (asm.current.isNobits() && (b.length > 0 || nul)) throw new AsmError("attempt to store non-zero value in section `" + asm.current.name + "'");
            f.put(b);
            if (nul) f.put((byte) 0);
        } while (c.accept(','));
        c.expectEnd();
    }

    private void fill(Cursor c) {
        if (c.atEnd()) {
            // GNU as emits nothing but still ends the frag here (labels around it are no longer "same place")
            asm.current.newFrag();
            return;
        }
        long repeat = asm.absolute(c, ".fill");
        long size = 1, value = 0;
        if (c.accept(',')) {
            size = asm.absolute(c, ".fill");
            if (c.accept(',')) value = asm.absolute(c, ".fill");
        }
        c.expectEnd();
        if (repeat < 0) {
            asm.diag.warning(asm.line, "repeat < 0; .fill ignored");
            return;
        }
        if (size > 8) {
            asm.diag.warning(asm.line, ".fill size clamped to 8");
            size = 8;
        }
        if (size < 0) size = 0;
        if (asm.current.isNobits() && value != 0 && repeat > 0 && size > 0) throw new AsmError("attempt to store non-zero value in section `" + asm.current.name + "'");
        byte[] item = new byte[(int) size];
        for (int k = 0; k < size; k++) item[k] = k < 4 ? (byte) (value >>> (8 * k)) : 0;
        asm.checkGrowth(asm.current, repeat, item.length);
        asm.frag().putRepeated(item, repeat);
    }

    private void space(Cursor c, String name) {
        if (c.atEnd()) {
            asm.current.newFrag();
            return;
        }
        long n = asm.absolute(c, name);
        long fill = 0;
        if (c.accept(',')) fill = asm.absolute(c, name);
        c.expectEnd();
        pad(n, fill, name);
    }

    private void pad(long n, long fill, String name) {
        if (n < 0) {
            asm.diag.warning(asm.line, name + " repeat count is negative, ignored");
            return;
        }
        if (asm.current.isNobits() && fill != 0) throw new AsmError("attempt to store non-zero value in section `" + asm.current.name + "'");
        asm.checkGrowth(asm.current, n, 1);
        asm.frag().putRepeated(new byte[] {(byte) fill}, n);
    }

    private void org(Cursor c) {
        Expr e = asm.expr(c);
        long fill = 0;
        if (c.accept(',')) fill = asm.absolute(c, ".org");
        c.expectEnd();
        Frag f = asm.frag();
        f.tail = Frag.Tail.ORG;
        f.orgTarget = e;
        f.orgFill = (byte) fill;
        f.line = asm.line;
        asm.current.newFrag();
    }

    // ---------------------------------------------------------------- alignment

    /**
     * .align N (bytes, on i386 ELF), .balign N and .p2align P: pad with the fill value, or with NOPs in
     * code sections, unless the pad would exceed the optional maximum.
     */
    private void align(Cursor c, String name, boolean power, int fillSize) {
        if (c.atEnd()) return;
        long n = asm.absolute(c, name);
        Long fill = null;
        long max = 0;
        if (c.accept(',')) {
            if (c.peek() != ',') fill = asm.absolute(c, name);
            if (c.accept(',')) max = asm.absolute(c, name);
        }
        c.expectEnd();
        long bytes;
        if (power) {
            if (n < 0 || n > 31) { // GNU as reads the power unsigned
                asm.diag.warning(asm.line, "alignment too large: 31 assumed");
                n = 31;
            }
            bytes = 1L << n;
        } else {
            if (n != 0 && (n & (n - 1)) != 0) throw new AsmError("alignment not a power of 2");
            bytes = n == 0 ? 1 : n;
            if (bytes > 1L << 31) {
                asm.diag.warning(asm.line, "alignment too large: 31 assumed");
                bytes = 1L << 31;
            }
        }
        // GNU as takes up to 2^31 and pads the object file to match; Fixup keeps files below its section limit
        if (bytes > SectionBuffer.MAX_SIZE) throw new AsmError("alignment " + bytes + " is beyond Fixup's limit of " + SectionBuffer.MAX_SIZE);
        asm.current.recordAlignment((int) bytes);
        if (bytes <= 1) return;
        Frag f = asm.frag();
        f.tail = Frag.Tail.ALIGN;
        f.line = asm.line;
        f.alignBytes = (int) bytes;
        f.alignMax = (int) max;
        // an explicit 0x90 byte fill in code is taken as a request for NOPs, as GNU as does on i386
        if (fill != null && fillSize == 1 && (fill & 0xff) == 0x90 && asm.current.isCode()) fill = null;
        if (fill != null) {
            byte[] pattern = new byte[fillSize];
            for (int i = 0; i < fillSize; i++) pattern[i] = (byte) (fill >>> (8 * i));
            f.alignFill = pattern;
        } else if (!asm.current.isCode()) {
            f.alignFill = new byte[fillSize];
        }
        asm.current.newFrag();
    }

    // ---------------------------------------------------------------- macros

    private void macro(Cursor c) {
        String n = c.symbolName();
        if (n == null) throw new AsmError("expected symbol name");
        List<Macro.Param> params = new ArrayList<>();
        c.accept(',');
        String rest = c.rest().strip();
        if (!rest.isEmpty()) {
            List<String> parts = Macro.topLevelSplit(rest, ',');
            if (parts.size() == 1) {
                parts = Macro.topLevelSplit(rest, ' ');
                parts.removeIf(String::isEmpty);
            }
            for (String p : parts) {
                String def = null;
                boolean req = false, va = false;
                int eq = p.indexOf('=');
                if (eq >= 0) {
                    def = p.substring(eq + 1).strip();
                    p = p.substring(0, eq).strip();
                }
                if (p.endsWith(":req")) {
                    req = true;
                    p = p.substring(0, p.length() - 4);
                } else if (p.endsWith(":vararg")) {
                    va = true;
                    p = p.substring(0, p.length() - 7);
                }
                params.add(new Macro.Param(p, def, req, va));
            }
        }
        String key = n.toLowerCase(Locale.ROOT);
        if (asm.macros.containsKey(key)) throw new AsmError("Macro `" + n + "' was already defined");
        BodyCollector b = new BodyCollector(".macro", body -> asm.macros.put(key, new Macro(n, params, body)));
        b.name = n;
        asm.collect(b);
    }

    private void irp(Cursor c, boolean chars) {
        String var = c.symbolName();
        if (var == null) throw new AsmError("missing model parameter");
        c.accept(',');
        String rest = c.rest().strip();
        List<String> values;
        if (chars) {
            values = new ArrayList<>();
            for (char ch : rest.toCharArray()) values.add(String.valueOf(ch));
        } else {
            values = Macro.splitArgs(rest, 2);
        }
        if (values.isEmpty()) values = List.of("");
        List<String> vals = values;
        int[] chain = asm.invokedFrom;
        asm.collect(new BodyCollector(chars ? ".irpc" : ".irp", body -> {
            List<Statement> out = new ArrayList<>();
            for (String v : vals) {
                for (Statement st : body) {
                    String t = st.text().replace("\\" + var, v);
                    for (Statement s : SourceReader.statements(t, st.line(), null)) out.add(s.from(chain));
                }
            }
            asm.pushFront(out);
        }));
    }
}
