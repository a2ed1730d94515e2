package dev.fixup.elf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serializes an {@link ElfFile}. The symbol table, its string table, the section-name table and
 * every SHT_REL section are regenerated from the decoded model (missing tables are created), so
 * callers edit lists, never bytes. The writer lays the file out itself and stores the chosen file
 * offsets back into the model.
 *
 * <p>For executables, a section belongs to the PT_LOAD segment whose [p_vaddr, p_vaddr+p_memsz)
 * range holds its sh_addr (the linker builds segments that way). Each segment gets a file offset
 * congruent to p_vaddr modulo p_align, as the loader requires; p_offset, p_filesz and p_memsz are
 * computed here. The first PT_LOAD maps the ELF and program headers too when its p_vaddr leaves
 * room for them below its first section (the classic 0x08048000 layout).
 */
public final class ElfWriter {
    private ElfWriter() {}

    public static byte[] write(ElfFile f) {
        Map<String, Integer> nameOffsets = prepareTables(f);
        boolean exec = !f.segments.isEmpty();
        int phnum = f.segments.size();
        int headers = Elf.EHDR_SIZE + phnum * Elf.PHDR_SIZE;
        List<Section> secs = f.sections;
        boolean[] placed = new boolean[secs.size()];
        long cur = headers;
        long fileEnd = headers;

        if (exec) {
            boolean first = true;
            for (Segment seg : f.segments) {
                if (seg.type != Elf.PT_LOAD) continue;
                List<Integer> members = members(f, seg, placed);
                long align = seg.align <= 0 ? 1 : Integer.toUnsignedLong(seg.align);
                long vaddr = Integer.toUnsignedLong(seg.vaddr);
                long lowest = Long.MAX_VALUE, fileTop = 0, memTop = Integer.toUnsignedLong(seg.memsz);
                for (int i : members) lowest = Math.min(lowest, Integer.toUnsignedLong(secs.get(i).addr));
                boolean withHeaders = first && cur == headers && vaddr % align == 0
                        && (members.isEmpty() || lowest - vaddr >= headers);
                long off = withHeaders ? 0 : cur + Math.floorMod(vaddr - cur, align);
                if (withHeaders) fileTop = headers;
                for (int i : members) {
                    Section s = secs.get(i);
                    long rel = Integer.toUnsignedLong(s.addr) - vaddr;
                    s.offset = (int) (off + rel);
                    long size = s.data == null ? Integer.toUnsignedLong(s.size) : s.data.length;
                    if (s.type != Elf.SHT_NOBITS) fileTop = Math.max(fileTop, rel + size);
                    memTop = Math.max(memTop, rel + size);
                    placed[i] = true;
                }
                seg.offset = (int) off;
                seg.filesz = (int) fileTop;
                seg.memsz = (int) Math.max(memTop, fileTop);
                cur = Math.max(cur, off + fileTop);
                fileEnd = Math.max(fileEnd, cur);
                first = false;
            }
        }
        // Everything not inside a load segment: non-alloc sections and tables, in section order.
        for (int i = 1; i < secs.size(); i++) {
            if (placed[i]) continue;
            Section s = secs.get(i);
            long a = Math.max(1, Integer.toUnsignedLong(s.addralign));
            cur = (cur + a - 1) / a * a;
            s.offset = (int) cur;
            if (s.type != Elf.SHT_NOBITS) cur += s.data.length;
        }
        fileEnd = Math.max(fileEnd, cur);
        long shoff = (fileEnd + 3) & ~3L;
        fixOtherSegments(f, headers);

        long total = shoff + (long) secs.size() * Elf.SHDR_SIZE;
        if (total > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("ELF layout: file would need " + total + " bytes (segment or section sizes too large)");
        byte[] out = new byte[(int) total];
        for (int i = 1; i < secs.size(); i++) {
            Section s = secs.get(i);
            if (s.type != Elf.SHT_NOBITS && s.data != null) System.arraycopy(s.data, 0, out, s.offset, s.data.length);
        }
        writeHeader(f, out, phnum, (int) shoff);
        for (int k = 0; k < phnum; k++) {
            Segment g = f.segments.get(k);
            int p = Elf.EHDR_SIZE + k * Elf.PHDR_SIZE;
            put32(out, p, g.type); put32(out, p + 4, g.offset); put32(out, p + 8, g.vaddr); put32(out, p + 12, g.paddr);
            put32(out, p + 16, g.filesz); put32(out, p + 20, g.memsz); put32(out, p + 24, g.flags); put32(out, p + 28, g.align);
        }
        for (int i = 0; i < secs.size(); i++) {
            Section s = secs.get(i);
            int p = (int) shoff + i * Elf.SHDR_SIZE;
            if (i == 0) continue;
            put32(out, p, nameOffsets.get(s.name));
            put32(out, p + 4, s.type); put32(out, p + 8, s.flags); put32(out, p + 12, s.addr);
            put32(out, p + 16, s.offset); put32(out, p + 20, s.size); put32(out, p + 24, s.link);
            put32(out, p + 28, s.info); put32(out, p + 32, s.addralign); put32(out, p + 36, s.entsize);
        }
        return out;
    }

    /** Alloc sections (not yet placed) whose address lies in the segment, in address order. */
    private static List<Integer> members(ElfFile f, Segment seg, boolean[] placed) {
        List<Integer> m = new ArrayList<>();
        long lo = Integer.toUnsignedLong(seg.vaddr), hi = lo + Integer.toUnsignedLong(seg.memsz);
        for (int i = 1; i < f.sections.size(); i++) {
            Section s = f.sections.get(i);
            if (placed[i] || !s.isAlloc()) continue;
            long a = Integer.toUnsignedLong(s.addr);
            long size = s.data == null ? Integer.toUnsignedLong(s.size) : s.data.length;
            if (a >= lo && (a < hi || (size == 0 && a == hi))) m.add(i);
        }
        m.sort((x, y) -> Integer.compareUnsigned(f.sections.get(x).addr, f.sections.get(y).addr));
        return m;
    }

    /** PT_PHDR covers the program headers; other non-load segments are mapped through the PT_LOADs. */
    private static void fixOtherSegments(ElfFile f, int headers) {
        for (Segment g : f.segments) {
            if (g.type == Elf.PT_LOAD) continue;
            if (g.type == Elf.PT_PHDR) {
                g.offset = Elf.EHDR_SIZE;
                g.filesz = g.memsz = headers - Elf.EHDR_SIZE;
                for (Segment l : f.segments)
                    if (l.type == Elf.PT_LOAD && l.offset == 0) { g.vaddr = l.vaddr + Elf.EHDR_SIZE; g.paddr = l.paddr + Elf.EHDR_SIZE; break; }
                continue;
            }
            if (g.memsz == 0 && g.filesz == 0) { g.offset = 0; continue; }
            for (Segment l : f.segments) {
                if (l.type != Elf.PT_LOAD) continue;
                long d = Integer.toUnsignedLong(g.vaddr) - Integer.toUnsignedLong(l.vaddr);
                if (d >= 0 && d < Integer.toUnsignedLong(l.memsz)) {
                    g.offset = (int) (l.offset + d);
                    if (Integer.toUnsignedLong(g.filesz) > Integer.toUnsignedLong(l.filesz) - d) g.filesz = (int) Math.max(0, l.filesz - d);
                    break;
                }
            }
        }
    }

    private static void writeHeader(ElfFile f, byte[] out, int phnum, int shoff) {
        out[0] = 0x7f; out[1] = 'E'; out[2] = 'L'; out[3] = 'F';
        out[4] = 1; out[5] = 1; out[6] = 1; out[7] = (byte) f.osabi;
        put16(out, 16, f.type); put16(out, 18, f.machine); put32(out, 20, 1);
        put32(out, 24, f.entry); put32(out, 28, phnum == 0 ? 0 : Elf.EHDR_SIZE); put32(out, 32, shoff);
        put32(out, 36, f.flags); put16(out, 40, Elf.EHDR_SIZE); put16(out, 42, phnum == 0 ? 0 : Elf.PHDR_SIZE);
        put16(out, 44, phnum); put16(out, 46, Elf.SHDR_SIZE); put16(out, 48, f.sections.size());
        put16(out, 50, f.sections.indexOf(f.section(".shstrtab")));
    }

    /**
     * Ensures .symtab/.strtab/.shstrtab exist (in that order, at the end, as GNU tools place them),
     * puts local symbols first (remapping relocation indexes), and regenerates table bytes.
     */
    static Map<String, Integer> prepareTables(ElfFile f) {
        List<Section> secs = f.sections;
        if (secs.isEmpty()) secs.add(new Section("", Elf.SHT_NULL, 0));
        if (f.symbols.isEmpty()) f.symbols.add(new Symbol("", 0, 0, 0, Elf.SHN_UNDEF));
        orderLocalsFirst(f);

        Section symtab = null;
        for (Section s : secs) if (s.type == Elf.SHT_SYMTAB) { symtab = s; break; }
        if (symtab == null) { symtab = new Section(".symtab", Elf.SHT_SYMTAB, 0); secs.add(symtab); }
        Section strtab = null;
        if (symtab.link > 0 && symtab.link < secs.size() && secs.get(symtab.link).type == Elf.SHT_STRTAB
                && !secs.get(symtab.link).name.equals(".shstrtab")) strtab = secs.get(symtab.link);
        if (strtab == null) { strtab = new Section(".strtab", Elf.SHT_STRTAB, 0); secs.add(strtab); }
        Section shstrtab = f.section(".shstrtab");
        if (shstrtab == null || shstrtab.type != Elf.SHT_STRTAB) { shstrtab = new Section(".shstrtab", Elf.SHT_STRTAB, 0); secs.add(shstrtab); }

        // .strtab and the symbol bytes
        StringTable names = new StringTable();
        ByteArrayOutputStream sym = new ByteArrayOutputStream();
        int firstGlobal = f.symbols.size();
        for (int i = 0; i < f.symbols.size(); i++) {
            Symbol s = f.symbols.get(i);
            if (s.bind() != Elf.STB_LOCAL && firstGlobal == f.symbols.size()) firstGlobal = i;
            byte[] e = new byte[Elf.SYM_SIZE];
            put32(e, 0, i == 0 ? 0 : names.add(s.name));
            put32(e, 4, s.value); put32(e, 8, s.size);
            e[12] = (byte) s.info; e[13] = (byte) s.other; put16(e, 14, s.shndx);
            sym.writeBytes(e);
        }
        symtab.setData(sym.toByteArray());
        symtab.link = secs.indexOf(strtab);
        symtab.info = firstGlobal;
        symtab.entsize = Elf.SYM_SIZE;
        symtab.addralign = 4;
        strtab.setData(names.bytes());
        strtab.addralign = 1;
        int symtabIndex = secs.indexOf(symtab);

        for (Section s : secs) if (s.type == Elf.SHT_GROUP) s.link = symtabIndex;
        for (Section s : secs) {
            if (s.type != Elf.SHT_REL) continue;
            byte[] d = new byte[s.relocations.size() * Elf.REL_SIZE];
            for (int k = 0; k < s.relocations.size(); k++) {
                Relocation r = s.relocations.get(k);
                put32(d, k * 8, r.offset);
                put32(d, k * 8 + 4, (r.symbol << 8) | (r.type & 0xff));
            }
            s.setData(d);
            s.link = symtabIndex;
            s.entsize = Elf.REL_SIZE;
            if (s.addralign == 0 || s.addralign == 1) s.addralign = 4;
        }

        StringTable shnames = new StringTable();
        Map<String, Integer> offs = new HashMap<>();
        for (Section s : secs) offs.put(s.name, s.name.isEmpty() ? 0 : shnames.add(s.name));
        shstrtab.setData(shnames.bytes());
        shstrtab.addralign = 1;
        for (Section s : secs) if (s.type != Elf.SHT_NOBITS && s.data != null) s.size = s.data.length;
        return offs;
    }

    private static void orderLocalsFirst(ElfFile f) {
        List<Symbol> syms = f.symbols;
        boolean seenGlobal = false, needed = false;
        for (int i = 1; i < syms.size(); i++) {
            if (syms.get(i).bind() != Elf.STB_LOCAL) seenGlobal = true;
            else if (seenGlobal) { needed = true; break; }
        }
        if (!needed) return;
        int[] map = new int[syms.size()];
        List<Symbol> sorted = new ArrayList<>();
        sorted.add(syms.get(0));
        for (int pass = 0; pass < 2; pass++)
            for (int i = 1; i < syms.size(); i++)
                if ((syms.get(i).bind() == Elf.STB_LOCAL) == (pass == 0)) { map[i] = sorted.size(); sorted.add(syms.get(i)); }
        syms.clear();
        syms.addAll(sorted);
        for (Section s : f.sections) for (Relocation r : s.relocations) if (r.symbol >= 0 && r.symbol < map.length) r.symbol = map[r.symbol];
        // a COMDAT group names its signature symbol by index too
        for (Section s : f.sections) if (s.type == Elf.SHT_GROUP && s.info > 0 && s.info < map.length) s.info = map[s.info];
    }

    /** A string table being built: offset 0 is the empty string; equal strings are stored once. */
    static final class StringTable {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, Integer> index = new HashMap<>();
        StringTable() { out.write(0); index.put("", 0); }
        int add(String s) {
            Integer o = index.get(s);
            if (o != null) return o;
            int off = out.size();
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
            index.put(s, off);
            return off;
        }
        byte[] bytes() { return out.toByteArray(); }
    }

    static void put16(byte[] d, int p, int v) { d[p] = (byte) v; d[p + 1] = (byte) (v >>> 8); }
    static void put32(byte[] d, int p, int v) {
        d[p] = (byte) v; d[p + 1] = (byte) (v >>> 8); d[p + 2] = (byte) (v >>> 16); d[p + 3] = (byte) (v >>> 24);
    }
}
