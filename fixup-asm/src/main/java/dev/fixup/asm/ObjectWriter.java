package dev.fixup.asm;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves every fixup (patching the bytes, or emitting a REL relocation with the addend in place) and
 * builds the ELF32 relocatable object with GNU as's conventions: relocations against local symbols go
 * through the section symbol; section symbols exist only for sections that relocations use; the symbol
 * table lists the file symbol, then locals, then globals, each in order of first mention.
 */
final class ObjectWriter {
    private record PendingReloc(int offset, int type, AsmSymbol symbol) { }

    private final Assembly asm;
    private final Evaluator eval = new Evaluator(true);
    private final Map<SectionBuffer, List<PendingReloc>> relocs = new HashMap<>();

    ObjectWriter(Assembly asm) { this.asm = asm; }

    void resolveFixups() {
        // GNU as creates the fixups of jumps only when relaxing, after those of the parse: its
        // relocations come in that order too
        for (boolean jumps : new boolean[] {false, true}) {
            for (SectionBuffer s : asm.sections.values()) {
                for (Frag f : s.frags) {
                    for (PendingField fx : f.pendingFields) {
                        if (fx.fromJumpFrag != jumps) continue;
                        try {
                            resolve(fx);
                        } catch (AsmError e) {
                            asm.diag.error(fx.line, e.getMessage());
                        }
                    }
                }
            }
        }
        for (AsmSymbol s : asm.localRefs) {
            if (!s.isDefined()) asm.diag.error(s.line == 0 ? asm.line : s.line, LocalLabels.undefinedMessage(s.name));
        }
    }

    private void resolve(PendingField fx) {
        SectionBuffer sec = fx.frag.section;
        long p = fx.frag.address + fx.offset;
        Value v = eval.eval(fx.expr);
        boolean pc = fx.kind == PendingField.Kind.BRANCH;
        if (fx.specifier != null || isGotSymbol(v)) {
            if (picReloc(fx, v, pc)) return;
        }
        if (v.sub() != null) {
            Value.Term b = v.sub();
            if (v.add() == null && !pc && b.located() && b.section() == sec) {
                // constant - label of this section: PC-relative against no symbol, as GNU as emits it
                put(fx, v.constant() + (p - b.address()));
                relocs.computeIfAbsent(sec, k -> new ArrayList<>()).add(new PendingReloc((int) p, type(fx.size, true), null));
                return;
            }
            if (pc || !b.located() || b.section() != sec || v.add() == null) {
                throw new AsmError("can't resolve " + addName(v.add()) + " - " + subName(b));
            }
            reloc(fx, v.add(), v.constant() + (p - b.address()), true);
            return;
        }
        if (v.add() == null) {
            if (pc) {
                // a branch to an absolute address: GNU as emits a PC-relative relocation without a symbol
                put(fx, v.constant() - fx.pcBase);
                relocs.computeIfAbsent(sec, k -> new ArrayList<>()).add(new PendingReloc((int) p, type(fx.size, true), null));
                return;
            }
            put(fx, v.constant());
            return;
        }
        Value.Term t = v.add();
        if (pc) {
            boolean local = t.symbol() == null || (!t.symbol().isExternal());
            if (t.located() && t.section() == sec && (fx.relaxed || local)) {
                long disp = t.address() + v.constant() - (p + fx.pcBase);
                if (!fits(disp, fx.size, true)) {
                    throw new AsmError("value of " + disp + " too large for field of " + fx.size + (fx.size == 1 ? " byte" : " bytes")
                            + " at " + String.format("%08x", p));
                }
                put(fx, disp);
                return;
            }
            reloc(fx, t, v.constant() - fx.pcBase, true);
            return;
        }
        reloc(fx, t, v.constant(), false);
    }

    /** R_386_GOT32X: a GOT load the linker may turn into a direct one (binutils 2.26 and later). */
    private static final int R_386_GOT32X = 43;

    private static final String GOT_SYMBOL = "_GLOBAL_OFFSET_TABLE_";

    private static boolean isGotSymbol(Value v) {
        return v.sub() == null && v.add() != null && v.add().symbol() != null && v.add().symbol().name.equals(GOT_SYMBOL);
    }

    /**
     * The relocations of position-independent code, as GNU as makes them: sym@PLT (a call or jump to a
     * local label of the section is resolved directly), sym@GOT (GOT32X for loads and indirect calls),
     * sym@GOTOFF (reduced to the section symbol like a plain R_386_32), sym@GOTPC, and a plain
     * _GLOBAL_OFFSET_TABLE_, which is R_386_GOTPC with the field's offset in its instruction added.
     * False when the field is an ordinary one after all.
     */
    private boolean picReloc(PendingField fx, Value v, boolean pc) {
        if (v.sub() != null || v.add() == null) throw new AsmError("invalid operand for @" + fx.specifier);
        Value.Term t = v.add();
        if (fx.size != 4) throw new AsmError("@" + (fx.specifier == null ? "GOTPC" : fx.specifier) + " needs a 4-byte field");
        String kind = fx.specifier == null ? "GOTPC" : fx.specifier;
        if (kind.equals("PLT")) {
            if (!pc) return placeSymbolReloc(fx, t, v.constant(), Elf.R_386_PLT32);
            boolean local = t.symbol() == null || !t.symbol().isExternal();
            if (local && t.located() && t.section() == fx.frag.section) return false; // a direct branch
            return placeSymbolReloc(fx, t, v.constant() - fx.pcBase, Elf.R_386_PLT32);
        }
        if (pc) throw new AsmError("@" + kind + " is not valid in a branch");
        return switch (kind) {
            case "GOTOFF" -> {
                reloc(fx, t, v.constant(), false, Elf.R_386_GOTOFF);
                yield true;
            }
            case "GOT" -> placeSymbolReloc(fx, t, v.constant(), fx.gotRelaxable ? R_386_GOT32X : Elf.R_386_GOT32);
            default -> placeSymbolReloc(fx, t, v.constant() + (fx.specifier == null ? fx.fieldInInstruction : 0), Elf.R_386_GOTPC);
        };
    }

    /** A relocation against the symbol itself, never its section (GNU as keeps GOT and PLT targets). */
    private boolean placeSymbolReloc(PendingField fx, Value.Term t, long addend, int type) {
        AsmSymbol target = t.symbol() != null ? t.symbol() : t.section().symbol;
        if (t.symbol() == null) addend += t.address();
        target.usedInReloc = true;
        put(fx, addend);
        relocs.computeIfAbsent(fx.frag.section, k -> new ArrayList<>()).add(new PendingReloc(fx.frag.address + fx.offset, type, target));
        return true;
    }

    /** As GNU as names the added term: a local label has become its section by then. */
    private static String addName(Value.Term t) {
        if (t == null) return "*ABS*";
        if (t.symbol() != null && (t.symbol().isExternal() || !t.located())) return t.symbol().name;
        return t.section().name;
    }

    private static String subName(Value.Term t) {
        return t.symbol() != null ? Assembly.visibleName(t.symbol().name) : t.located() ? t.section().name : ".";
    }

    /** A relocation against t with the addend in place; local targets go through their section symbol. */
    private void reloc(PendingField fx, Value.Term t, long addend, boolean pc) { reloc(fx, t, addend, pc, type(fx.size, pc)); }

    private void reloc(PendingField fx, Value.Term t, long addend, boolean pc, int type) {
        AsmSymbol target;
        if (keepsLocalSymbol(fx, t, addend, pc, type)) {
            target = t.symbol();
            asm.symbols.rankNow(target);
        } else if (t.located() && (t.symbol() == null || !t.symbol().isExternal())) {
            target = t.section().symbol;
            addend += t.address();
        } else {
            target = t.symbol();
        }
        target.usedInReloc = true;
        if (fx.size != 4 && fx.size != 2 && fx.size != 1) throw new AsmError("cannot represent relocation of " + fx.size + " bytes");
        put(fx, addend);
        relocs.computeIfAbsent(fx.frag.section, k -> new ArrayList<>())
                .add(new PendingReloc(fx.frag.address + fx.offset, type, target));
    }

    /**
     * In a mergeable section (SHF_MERGE) the linker may move a string, so GNU as keeps a local label as the
     * target when an addend would point into the middle of a piece, and for @GOTOFF (which GNU as reads as
     * sym - _GLOBAL_OFFSET_TABLE_, a difference it never reduces there; in data, nowhere).
     */
    private static boolean keepsLocalSymbol(PendingField fx, Value.Term t, long addend, boolean pc, int type) {
        if (pc || !t.located() || t.symbol() == null || t.symbol().isExternal()) return false;
        // a .long sym@GOTOFF (a jump table) keeps its label whatever the section, as GNU as does
        if (type == Elf.R_386_GOTOFF && fx.kind == PendingField.Kind.DATA) return true;
        return (t.section().flags & Elf.SHF_MERGE) != 0 && (addend != 0 || type == Elf.R_386_GOTOFF);
    }

    private static int type(int size, boolean pc) {
        return switch (size) {
            case 1 -> pc ? Elf.R_386_PC8 : Elf.R_386_8;
            case 2 -> pc ? Elf.R_386_PC16 : Elf.R_386_16;
            default -> pc ? Elf.R_386_PC32 : Elf.R_386_32;
        };
    }

    private static boolean fits(long v, int size, boolean signedOnly) {
        if (size >= 8) return true;
        long min = -(1L << (8 * size - 1));
        long max = signedOnly ? (1L << (8 * size - 1)) - 1 : (1L << (8 * size)) - 1;
        return v >= min && v <= max;
    }

    private void put(PendingField fx, long value) {
        if (fx.size < 4 && !fits(value, fx.size, false)) {
            if (fx.kind == PendingField.Kind.DATA) {
                long mask = (1L << (8 * fx.size)) - 1;
                asm.diag.warning(fx.line, "value 0x" + Long.toHexString(value) + " truncated to 0x" + Long.toHexString(value & mask));
            } else {
                throw new AsmError("value of " + value + " too large for field of " + fx.size + (fx.size == 1 ? " byte" : " bytes")
                        + " at " + String.format("%08x", fx.frag.address + fx.offset));
            }
        }
        if (fx.frag.section.isNobits()) return; // no contents to patch (GNU as has refused a non-zero value)
        for (int i = 0; i < fx.size; i++) fx.frag.data[fx.offset + i] = (byte) (value >>> (8 * i));
    }

    // ---------------------------------------------------------------- the ELF model

    ElfFile build() {
        ElfFile elf = new ElfFile();
        elf.type = Elf.ET_REL;
        elf.machine = Elf.EM_386;
        Map<SectionBuffer, Integer> index = new HashMap<>();
        Map<SectionBuffer, Section> relSections = new HashMap<>();
        // GNU as puts one SHT_GROUP section per group first, in order of the groups' first mention
        Map<String, Section> groups = new java.util.LinkedHashMap<>();
        for (SectionBuffer sb : asm.sections.values()) {
            if (sb.group == null || groups.containsKey(sb.group)) continue;
            Section g = new Section(".group", Elf.SHT_GROUP, 0);
            g.addralign = 4;
            g.entsize = 4;
            groups.put(sb.group, g);
            elf.sections.add(g);
        }
        for (SectionBuffer sb : asm.sections.values()) {
            Section s = new Section(sb.name, sb.type, sb.flags);
            s.addralign = sb.align;
            s.entsize = sb.entsize;
            if (sb.name.equals(".comment") && !asm.idents.isEmpty()) {
                ByteArrayOutputStream comment = new ByteArrayOutputStream();
                comment.write(0);
                for (String id : asm.idents) {
                    comment.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
                    comment.write(0);
                }
                sb.current.put(comment.toByteArray());
            }
            if (sb.isNobits()) {
                s.size = sb.size();
            } else {
                s.setData(contents(sb));
            }
            index.put(sb, elf.sections.size());
            elf.sections.add(s);
            List<PendingReloc> rl = relocs.get(sb);
            if (rl != null && !rl.isEmpty()) {
                Section r = new Section(".rel" + sb.name, Elf.SHT_REL, Elf.SHF_INFO_LINK | (sb.group != null ? Elf.SHF_GROUP : 0));
                r.info = elf.sections.size() - 1;
                r.addralign = 4;
                r.entsize = Elf.REL_SIZE;
                relSections.put(sb, r);
                elf.sections.add(r);
            }
        }
        for (Map.Entry<String, Section> g : groups.entrySet()) {
            AsmSymbol signature = groupSignature(g.getKey(), g.getValue());
            ByteArrayOutputStream members = new ByteArrayOutputStream();
            boolean comdat = false;
            for (SectionBuffer sb : asm.sections.values()) {
                if (!g.getKey().equals(sb.group)) continue;
                comdat |= sb.comdat;
                putWord(members, index.get(sb));
                if (relSections.containsKey(sb)) putWord(members, index.get(sb) + 1);
            }
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            putWord(data, comdat ? 1 : 0); // GRP_COMDAT
            data.writeBytes(members.toByteArray());
            g.getValue().setData(data.toByteArray());
            pendingSignatures.put(g.getValue(), signature);
        }
        symbols(elf, index);
        for (Map.Entry<Section, AsmSymbol> e : pendingSignatures.entrySet()) e.getKey().info = e.getValue().outIndex;
        Section symtab = new Section(".symtab", Elf.SHT_SYMTAB, 0);
        symtab.addralign = 4;
        symtab.entsize = Elf.SYM_SIZE;
        int symtabIndex = elf.sections.size();
        elf.sections.add(symtab);
        Section strtab = new Section(".strtab", Elf.SHT_STRTAB, 0);
        elf.sections.add(strtab);
        symtab.link = symtabIndex + 1;
        elf.sections.add(new Section(".shstrtab", Elf.SHT_STRTAB, 0));
        for (Map.Entry<SectionBuffer, Section> e : relSections.entrySet()) {
            Section r = e.getValue();
            r.link = symtabIndex;
            for (PendingReloc pr : relocs.get(e.getKey())) {
                r.relocations.add(new Relocation(pr.offset, pr.type, pr.symbol == null ? 0 : pr.symbol.outIndex));
            }
            r.size = r.relocations.size() * Elf.REL_SIZE;
        }
        return elf;
    }

    private final Map<Section, AsmSymbol> pendingSignatures = new HashMap<>();

    /** Signatures defined nowhere in the source: GNU as makes each a local symbol of its .group section. */
    private final Map<AsmSymbol, Section> groupOnlySignatures = new HashMap<>();

    private AsmSymbol groupSignature(String name, Section group) {
        AsmSymbol s = asm.symbols.get(name);
        if (!s.isDefined()) groupOnlySignatures.put(s, group);
        return s;
    }

    private static void putWord(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
    }

    private static byte[] contents(SectionBuffer sb) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frag f : sb.frags) out.write(f.data, 0, f.size);
        return out.toByteArray();
    }

    private void symbols(ElfFile elf, Map<SectionBuffer, Integer> index) {
        if (asm.fileSymbol != null) {
            elf.symbols.add(new Symbol(asm.fileSymbol, 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_FILE), Elf.SHN_ABS));
        }
        List<AsmSymbol> globals = new ArrayList<>();
        for (AsmSymbol s : asm.symbols.inRankOrder()) {
            if (s.section != null) {
                if (s.usedInReloc) {
                    s.outIndex = elf.symbols.size();
                    elf.symbols.add(new Symbol("", 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_SECTION), index.get(s.section)));
                }
                continue;
            }
            Section group = groupOnlySignatures.get(s);
            if (group != null) {
                s.outIndex = elf.symbols.size();
                elf.symbols.add(new Symbol(s.name, 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_NOTYPE), elf.sections.indexOf(group)));
                continue;
            }
            if (s.kind == AsmSymbol.Kind.UNDEFINED) {
                // every undefined name that was mentioned becomes a global reference, except a weak one
                // that nothing uses (GNU as drops those)
                if (s.weak && !s.usedInReloc) continue;
                globals.add(s);
                continue;
            }
            // an assembler-local label is named only when a relocation must keep it (see keepsLocalSymbol)
            if (s.assemblerLocal && !s.isExternal() && !s.usedInReloc) continue;
            if (s.isExternal() || s.kind == AsmSymbol.Kind.COMMON) {
                globals.add(s);
                continue;
            }
            Symbol out = symbol(s, index, Elf.STB_LOCAL);
            if (out != null) {
                s.outIndex = elf.symbols.size();
                elf.symbols.add(out);
            }
        }
        for (AsmSymbol s : globals) {
            Symbol out = symbol(s, index, s.weak ? Elf.STB_WEAK : Elf.STB_GLOBAL);
            if (out != null) {
                s.outIndex = elf.symbols.size();
                elf.symbols.add(out);
            }
        }
    }

    private Symbol symbol(AsmSymbol s, Map<SectionBuffer, Integer> index, int bind) {
        long value = 0, size = 0;
        if (s.aliasOf != null) {
            if (s.type == Elf.STT_NOTYPE) s.type = s.aliasOf.type;
            if (s.size == null) s.size = s.aliasOf.size;
        }
        int shndx;
        try {
            switch (s.kind) {
                case LABEL -> {
                    value = s.frag.address + s.offset;
                    shndx = index.get(s.frag.section);
                }
                case COMMON -> {
                    value = s.commonAlign;
                    size = s.commonSize;
                    shndx = Elf.SHN_COMMON;
                }
                case EQUATE -> {
                    Value v = eval.eval(s.equate);
                    if (v.isConstant()) {
                        value = v.constant();
                        shndx = Elf.SHN_ABS;
                    } else if (v.sub() == null && v.add().located()) {
                        value = v.add().address() + v.constant();
                        shndx = index.get(v.add().section());
                    } else {
                        return null; // an alias of an undefined symbol: not representable as one entry
                    }
                }
                default -> shndx = Elf.SHN_UNDEF;
            }
            if (s.size != null) {
                Value v = eval.eval(s.size);
                if (!v.isConstant()) throw new AsmError(".size expression for " + s.name + " does not evaluate to a constant");
                size = v.constant();
            }
        } catch (AsmError e) {
            asm.diag.error(s.line == 0 ? asm.line : s.line, e.getMessage());
            return null;
        }
        Symbol out = new Symbol(s.name, (int) value, (int) size, Elf.stInfo(bind, s.type), shndx);
        out.other = s.visibility;
        return out;
    }
}
