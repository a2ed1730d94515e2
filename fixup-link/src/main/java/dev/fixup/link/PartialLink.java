package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ld -r}: several relocatable objects become one. Input sections of the same name are
 * concatenated (each at its alignment) into one output section; symbols keep their binding, with
 * values made relative to the output section; global definitions are resolved once (strong over
 * weak, commons merged and left common, two strong ones an error); relocations move with their
 * sections. Against a section symbol the place's addend grows by the input section's offset in
 * the output one, since i386 REL keeps addends in the bytes. COMDAT groups are resolved here
 * (first one wins) and not carried into the output.
 */
final class PartialLink {
    private PartialLink() {}

    private static final class Out {
        final Section section;
        final int index;
        long size, align = 1;
        final List<Relocation> relocations = new ArrayList<>();
        final List<byte[]> pieces = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        Out(Section s, int index) { this.section = s; this.index = index; }
    }

    static byte[] link(List<InputObject> files, List<String> errors) throws LinkException {
        ElfFile out = new ElfFile();
        Map<String, Out> outs = new LinkedHashMap<>();
        // per file: output section and offset of each input section
        Map<InputObject, Out[]> where = new HashMap<>();
        Map<InputObject, long[]> offset = new HashMap<>();
        for (InputObject f : files) {
            Out[] w = new Out[f.elf.sections.size()];
            long[] off = new long[w.length];
            for (int i = 1; i < f.elf.sections.size(); i++) {
                Section s = f.elf.sections.get(i);
                if (f.discarded[i] || !carried(s.type)) continue;
                Out o = outs.get(s.name);
                if (o == null) {
                    Section n = new Section(s.name, s.type, s.flags & ~Elf.SHF_GROUP);
                    n.entsize = s.entsize;
                    out.sections.add(n);
                    o = new Out(n, out.sections.size() - 1);
                    outs.put(s.name, o);
                }
                o.section.flags |= s.flags & ~Elf.SHF_GROUP;
                if (o.section.type != s.type) o.section.type = Elf.SHT_PROGBITS; // bss pieces become zeros
                long a = Math.max(1, Integer.toUnsignedLong(s.addralign));
                o.align = Math.max(o.align, a);
                o.size = ScriptExpression.alignUp(o.size, a);
                w[i] = o;
                off[i] = o.size;
                o.pieces.add(s.data);
                o.offsets.add(o.size);
                o.size += s.data == null ? Integer.toUnsignedLong(s.size) : s.data.length;
            }
            where.put(f, w);
            offset.put(f, off);
        }
        for (Out o : outs.values()) {
            o.section.addralign = (int) o.align;
            if (o.size > Integer.MAX_VALUE) throw new LinkException("section " + o.section.name + " is too large (0x" + Long.toHexString(o.size) + " bytes)");
            if (o.section.type == Elf.SHT_NOBITS) { o.section.size = (int) o.size; continue; }
            byte[] d = new byte[(int) o.size];
            for (int k = 0; k < o.pieces.size(); k++)
                if (o.pieces.get(k) != null) System.arraycopy(o.pieces.get(k), 0, d, (int) (long) o.offsets.get(k), o.pieces.get(k).length);
            o.section.setData(d);
        }

        // symbols: section symbols, then each file's locals, then the resolved globals
        Map<Out, Integer> sectionSymbol = new HashMap<>();
        for (Out o : outs.values()) {
            out.symbols.add(new Symbol("", 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_SECTION), o.index));
            sectionSymbol.put(o, out.symbols.size() - 1);
        }
        Map<InputObject, int[]> symbolMap = new HashMap<>();
        for (InputObject f : files) {
            int[] map = new int[f.elf.symbols.size()];
            Out[] w = where.get(f);
            for (int i = 1; i < f.elf.symbols.size(); i++) {
                Symbol s = f.elf.symbols.get(i);
                if (s.bind() != Elf.STB_LOCAL) continue;
                if (s.type() == Elf.STT_SECTION) { map[i] = s.shndx < w.length && w[s.shndx] != null ? sectionSymbol.get(w[s.shndx]) : 0; continue; }
                Symbol n = moved(s, w, offset.get(f));
                if (n == null) continue;
                out.symbols.add(n);
                map[i] = out.symbols.size() - 1;
            }
            symbolMap.put(f, map);
        }
        Map<String, Integer> globals = resolveGlobals(files, where, offset, out, errors);
        for (InputObject f : files) {
            int[] map = symbolMap.get(f);
            for (int i = 1; i < f.elf.symbols.size(); i++) {
                Symbol s = f.elf.symbols.get(i);
                if (s.bind() != Elf.STB_LOCAL && !s.name.isEmpty()) map[i] = globals.get(s.name);
            }
        }
        if (!errors.isEmpty()) throw new LinkException(errors);

        // relocations follow their sections
        for (InputObject f : files) {
            Out[] w = where.get(f);
            long[] off = offset.get(f);
            int[] map = symbolMap.get(f);
            for (Section rel : f.elf.sections) {
                if (rel.type != Elf.SHT_REL || rel.info <= 0 || rel.info >= w.length || w[rel.info] == null) continue;
                Out o = w[rel.info];
                for (Relocation r : rel.relocations) {
                    int place = (int) (off[rel.info] + r.offset);
                    int sym = r.symbol > 0 && r.symbol < map.length ? map[r.symbol] : 0;
                    if (r.symbol > 0 && r.symbol < f.elf.symbols.size()) {
                        Symbol s = f.elf.symbols.get(r.symbol);
                        if (s.type() == Elf.STT_SECTION && s.shndx < w.length && w[s.shndx] != null)
                            addToAddend(o.section.data, place, Relocator.width(r.type), off[s.shndx]);
                    }
                    o.relocations.add(new Relocation(place, r.type, sym));
                }
            }
        }
        for (Out o : outs.values()) {
            if (o.relocations.isEmpty()) continue;
            Section rel = new Section(".rel" + o.section.name, Elf.SHT_REL, Elf.SHF_INFO_LINK);
            rel.info = o.index;
            rel.relocations.addAll(o.relocations);
            out.sections.add(rel);
        }
        try {
            return dev.fixup.elf.ElfWriter.write(out);
        } catch (IllegalArgumentException tooBig) {
            throw new LinkException("output: " + tooBig.getMessage());
        }
    }

    private static boolean carried(int type) {
        return type != Elf.SHT_NULL && type != Elf.SHT_SYMTAB && type != Elf.SHT_STRTAB && type != Elf.SHT_REL
                && type != Elf.SHT_RELA && type != Elf.SHT_GROUP;
    }

    /** A symbol with its value moved to its output section, or null when its section is gone. */
    private static Symbol moved(Symbol s, Out[] w, long[] off) {
        Symbol n = new Symbol(s.name, s.value, s.size, s.info, s.shndx);
        n.other = s.other;
        if (s.shndx == Elf.SHN_UNDEF || s.shndx == Elf.SHN_ABS || s.shndx == Elf.SHN_COMMON) return n;
        if (s.shndx >= w.length || w[s.shndx] == null) return null;
        n.shndx = w[s.shndx].index;
        n.value = (int) (Integer.toUnsignedLong(s.value) + off[s.shndx]);
        return n;
    }

    /** One output symbol per global name: the strong definition, else a weak or common one, else undefined. */
    private static Map<String, Integer> resolveGlobals(List<InputObject> files, Map<InputObject, Out[]> where,
                                                       Map<InputObject, long[]> offset, ElfFile out, List<String> errors) {
        Map<String, Symbol> chosen = new LinkedHashMap<>();
        Map<String, String> definedIn = new HashMap<>();
        for (InputObject f : files) {
            for (int i = 1; i < f.elf.symbols.size(); i++) {
                Symbol s = f.elf.symbols.get(i);
                if (s.bind() == Elf.STB_LOCAL || s.name.isEmpty()) continue;
                Symbol m = moved(s, where.get(f), offset.get(f));
                if (m == null) { // defined in a dropped COMDAT member: the kept group defines it
                    chosen.putIfAbsent(s.name, new Symbol(s.name, 0, 0, Elf.stInfo(s.bind(), Elf.STT_NOTYPE), Elf.SHN_UNDEF));
                    continue;
                }
                Symbol c = chosen.get(s.name);
                if (c == null || rank(m) > rank(c)) {
                    if (c != null && c.shndx == Elf.SHN_COMMON && m.shndx == Elf.SHN_COMMON) m.size = Math.max(m.size, c.size);
                    chosen.put(s.name, m);
                    if (m.shndx != Elf.SHN_UNDEF) definedIn.put(s.name, f.name);
                } else if (rank(m) == 3 && rank(c) == 3) {
                    errors.add(f.name + ": multiple definition of `" + s.name + "'; first defined in " + definedIn.get(s.name));
                } else if (c.shndx == Elf.SHN_COMMON && m.shndx == Elf.SHN_COMMON) {
                    c.size = Math.max(c.size, m.size);
                    c.value = Math.max(c.value, m.value);
                } else if (c.shndx == Elf.SHN_UNDEF && m.shndx == Elf.SHN_UNDEF && m.bind() == Elf.STB_GLOBAL) {
                    c.info = Elf.stInfo(Elf.STB_GLOBAL, c.type()); // a strong reference anywhere makes it strong
                }
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (Symbol s : chosen.values()) {
            out.symbols.add(s);
            index.put(s.name, out.symbols.size() - 1);
        }
        return index;
    }

    /** undefined 0, common 1, weak 2, strong 3. */
    private static int rank(Symbol s) {
        if (s.shndx == Elf.SHN_UNDEF) return 0;
        if (s.shndx == Elf.SHN_COMMON) return 1;
        return s.bind() == Elf.STB_WEAK ? 2 : 3;
    }

    private static void addToAddend(byte[] d, int place, int width, long delta) {
        if (d == null || place < 0 || place + width > d.length || delta == 0) return;
        switch (width) {
            case 1 -> d[place] = (byte) (d[place] + delta);
            case 2 -> { int v = (d[place] & 0xff | (d[place + 1] & 0xff) << 8) + (int) delta; d[place] = (byte) v; d[place + 1] = (byte) (v >> 8); }
            default -> LittleEndian.put32(d, place, LittleEndian.get32(d, place) + (int) delta);
        }
    }
}
