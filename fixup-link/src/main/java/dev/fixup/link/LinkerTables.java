package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections a static link makes itself, as GNU ld makes them for i386 (what glibc's static
 * start-up expects):
 * <ul>
 * <li>{@code .got}: one word per symbol reached through R_386_GOT32/GOT32X (its address) or
 *     R_386_TLS_IE/TLS_GOTIE (its offset from the thread pointer), unless {@link GotRelaxation}
 *     rewrote the instruction; an IFUNC's GOT word is its .got.plt slot;</li>
 * <li>{@code .got.plt}: three reserved words, at {@code _GLOBAL_OFFSET_TABLE_}, then one slot per
 *     IFUNC symbol, holding the resolver's address until start-up replaces it;</li>
 * <li>{@code .iplt}: an 8-byte {@code jmp *slot} per IFUNC symbol, which is the address every
 *     reference to the symbol gets;</li>
 * <li>{@code .rel.iplt}: an R_386_IRELATIVE relocation per slot, found by the C library between
 *     {@code __rel_iplt_start} and {@code __rel_iplt_end}.</li>
 * </ul>
 * Sizes are fixed before layout (from the relocations); contents are written after it.
 */
final class LinkerTables implements Relocator.Tables {
    static final String GOT_SYMBOL = "_GLOBAL_OFFSET_TABLE_";
    private static final int IPLT_ENTRY = 8;

    /** GOT keys: a global's name, or "file#index" for a local symbol. */
    private final Map<String, Integer> gotSlots = new LinkedHashMap<>();
    private final Map<String, Boolean> gotIsTls = new LinkedHashMap<>();
    private final Map<String, Long> gotTargets = new LinkedHashMap<>();
    /** IFUNC globals in first-reference order, and their index in .iplt / .got.plt. */
    private final Map<String, Integer> ifuncs = new LinkedHashMap<>();
    private final SymbolTable syms;
    private final ElfFile elf = new ElfFile();
    InputObject owner;
    private InputSection got, gotPlt, iplt, relIplt;
    /** Start and size (rounded to its alignment) of the TLS block, once laid out; tlsSize < 0 when there is none. */
    long tlsStart, tlsSize = -1, tlsAlign = 1;

    private LinkerTables(SymbolTable syms) {
        this.syms = syms;
    }

    /** Reads every relocation of the loaded sections and sizes the tables; adds their input sections. */
    static LinkerTables scan(List<InputObject> files, SymbolTable syms, List<InputSection> sections) {
        LinkerTables t = new LinkerTables(syms);
        boolean wantGotPlt = syms.find(GOT_SYMBOL) != null && syms.find(GOT_SYMBOL).referenced;
        for (InputObject f : files) {
            for (Section rel : f.elf.sections) {
                if (rel.type != Elf.SHT_REL || rel.info <= 0 || rel.info >= f.inputs.length || f.inputs[rel.info] == null
                        || f.inputs[rel.info].discarded) continue;
                for (Relocation r : rel.relocations) {
                    if (r.symbol <= 0 || r.symbol >= f.elf.symbols.size()) continue;
                    Symbol s = f.elf.symbols.get(r.symbol);
                    if ((r.type == Relocator.R_386_GOT32X || r.type == Relocator.R_386_TLS_GOTIE) && t.eligible(s)
                            && GotRelaxation.form(f.elf.sections.get(rel.info).data, r.offset, r.type) != null) {
                        t.relaxed.add(r); // the instruction is rewritten to use the address itself: no GOT word
                        wantGotPlt = true;
                        continue;
                    }
                    switch (r.type) {
                        case Elf.R_386_GOT32, Relocator.R_386_GOT32X -> { t.slot(f, r.symbol, s, false); wantGotPlt = true; }
                        case Relocator.R_386_TLS_IE, Relocator.R_386_TLS_GOTIE -> { t.slot(f, r.symbol, s, true); wantGotPlt = true; }
                        case Elf.R_386_GOTOFF, Elf.R_386_GOTPC -> wantGotPlt = true;
                        default -> { }
                    }
                    if (s.bind() != Elf.STB_LOCAL && t.isIfunc(s.name)) t.ifuncs.putIfAbsent(s.name, t.ifuncs.size());
                }
            }
        }
        t.slotsInHashOrder(syms.map.size(), files);
        int got = -1, gotPlt = -1, iplt = -1, relIplt = -1;
        if (!t.gotSlots.isEmpty()) got = t.section(".got", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE, 4, 4L * t.gotSlots.size());
        if (wantGotPlt || !t.ifuncs.isEmpty())
            gotPlt = t.section(".got.plt", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE, 4, 12 + 4L * t.ifuncs.size());
        if (!t.ifuncs.isEmpty()) {
            iplt = t.section(".iplt", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_EXECINSTR, 8, (long) IPLT_ENTRY * t.ifuncs.size());
            relIplt = t.section(".rel.iplt", Elf.SHT_REL, Elf.SHF_ALLOC | Elf.SHF_INFO_LINK, 4, 8L * t.ifuncs.size());
        }
        t.owner = new InputObject("<linker>", t.elf);
        t.got = t.input(got, sections);
        t.gotPlt = t.input(gotPlt, sections);
        t.iplt = t.input(iplt, sections);
        t.relIplt = t.input(relIplt, sections);
        if (t.gotPlt != null) {
            SymbolTable.Global g = syms.get(GOT_SYMBOL);
            if (!g.isDefined()) g.kind = SymbolTable.Kind.LINKER;
        }
        return t;
    }

    /**
     * ld numbers the GOT words of local symbols first (file by file, by symbol index), then walks
     * its global symbol table bucket by bucket for the globals' GOT words and the IFUNC slots:
     * bfd's string hash modulo the table's size, which starts at 4051 and moves to the next prime
     * of its list each time the table is more than three quarters full.
     */
    private void slotsInHashOrder(int globals, List<InputObject> files) {
        long size = 4051;
        for (long next : new long[] {4093, 8191, 16381, 32749, 65521, 131071, 262139, 524287, 1048573})
            if (globals > size * 3 / 4) size = next;
        final long buckets = size;
        java.util.Comparator<String> byBucket = java.util.Comparator.comparingLong(n -> Integer.toUnsignedLong(bfdHash(n)) % buckets);
        renumber(ifuncs, byBucket);
        Map<String, Integer> filePosition = new java.util.HashMap<>();
        for (InputObject f : files) filePosition.putIfAbsent(f.name, filePosition.size());
        java.util.Comparator<String> locals = java.util.Comparator.<String>comparingInt(k -> filePosition.get(k.substring(0, k.lastIndexOf('#'))))
                .thenComparingInt(k -> Integer.parseInt(k.substring(k.lastIndexOf('#') + 1)));
        renumber(gotSlots, (a, b) -> {
            boolean la = a.contains("#"), lb = b.contains("#");
            if (la != lb) return la ? -1 : 1;
            return la ? locals.compare(a, b) : byBucket.compare(a, b);
        });
    }

    private static void renumber(Map<String, Integer> slots, java.util.Comparator<String> order) {
        List<String> keys = new ArrayList<>(slots.keySet());
        keys.sort(order);
        slots.clear();
        for (String k : keys) slots.put(k, slots.size());
    }

    /** bfd's hash of a symbol name (bfd_hash_hash: add and fold each byte, then the length). */
    static int bfdHash(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int h = 0;
        for (byte x : b) {
            int c = x & 0xff;
            h += c + (c << 17);
            h ^= h >>> 2;
        }
        h += b.length + (b.length << 17);
        h ^= h >>> 2;
        return h;
    }

    /** Relocations whose instructions GotRelaxation rewrites. */
    private final java.util.Set<Relocation> relaxed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /**
     * Whether a reference can use the address itself: in a static executable every symbol but an
     * IFUNC has its address at link time (script and linker symbols, and undefined weak ones at 0, included).
     */
    private boolean eligible(Symbol s) {
        if (s.bind() == Elf.STB_LOCAL) return s.type() != Relocator.STT_GNU_IFUNC;
        return !isIfunc(s.name);
    }

    @Override public boolean relaxed(Relocation r) { return relaxed.contains(r); }

    private boolean isIfunc(String name) {
        SymbolTable.Global g = syms.find(name);
        return g != null && g.sym != null && g.sym.type() == Relocator.STT_GNU_IFUNC
                && (g.kind == SymbolTable.Kind.DEFINED || g.kind == SymbolTable.Kind.WEAK);
    }

    private void slot(InputObject f, int index, Symbol s, boolean tls) {
        if (!tls && s.bind() != Elf.STB_LOCAL && isIfunc(s.name)) {
            ifuncs.putIfAbsent(s.name, ifuncs.size()); // its .got.plt slot, resolved at start-up, serves as its GOT word
            return;
        }
        String key = key(f.elf, index, s, f.name);
        if (gotSlots.putIfAbsent(key, gotSlots.size()) == null) gotIsTls.put(key, tls);
    }

    private static String key(ElfFile obj, int index, Symbol s, String fileName) {
        return s.bind() == Elf.STB_LOCAL ? fileName + "#" + index : s.name;
    }

    private int section(String name, int type, int flags, int align, long size) {
        Section s = new Section(name, type, flags);
        s.addralign = align;
        s.setData(new byte[(int) size]);
        elf.sections.add(s);
        return elf.sections.size() - 1;
    }

    private InputSection input(int index, List<InputSection> sections) {
        if (index < 0) return null;
        InputSection in = new InputSection(owner, index, elf.sections.get(index));
        owner.inputs[index] = in;
        sections.add(in);
        return in;
    }

    /** The address a reference to this global resolves to: its .iplt entry for an IFUNC. */
    Long redirect(String name) {
        Integer i = ifuncs.get(name);
        return i == null || iplt == null ? null : iplt.vma + (long) IPLT_ENTRY * i;
    }

    /** After layout: _GLOBAL_OFFSET_TABLE_, and each GOT slot's target (resolved by the caller). */
    void placed(Map<String, Long> localTargets) {
        if (gotPlt != null) {
            SymbolTable.Global g = syms.get(GOT_SYMBOL);
            if (g.kind == SymbolTable.Kind.LINKER) { g.value = gotPlt.vma; g.section = gotPlt.out; }
        }
        gotTargets.putAll(localTargets);
    }

    /** Keys of GOT slots for local symbols, so the linker can give their addresses. */
    List<String> localSlotKeys() {
        List<String> r = new ArrayList<>();
        for (String k : gotSlots.keySet()) if (k.contains("#")) r.add(k);
        return r;
    }

    /** Writes the GOT, the IFUNC slots, the .iplt code and the IRELATIVE relocations. */
    void fill(Relocator.SymbolResolver globals, List<String> errors) {
        if (got != null) {
            byte[] d = owner.elf.sections.get(got.index).data;
            for (Map.Entry<String, Integer> e : gotSlots.entrySet()) {
                String k = e.getKey();
                Long target = k.contains("#") ? gotTargets.get(k) : redirect(k) != null ? redirect(k) : globals.resolve(k);
                if (target == null) target = 0L; // an undefined weak symbol: its GOT entry is 0 (real undefineds were reported)
                long v = gotIsTls.get(k) ? ntpoff(target) : target;
                LittleEndian.put32(d, 4 * e.getValue(), (int) v);
            }
        }
        if (iplt == null) return;
        byte[] slots = owner.elf.sections.get(gotPlt.index).data, code = owner.elf.sections.get(iplt.index).data;
        Section rel = owner.elf.sections.get(relIplt.index);
        for (Map.Entry<String, Integer> e : ifuncs.entrySet()) {
            int i = e.getValue();
            long slot = gotPlt.vma + 12 + 4L * i;
            LittleEndian.put32(slots, 12 + 4 * i, (int) (long) syms.value(e.getKey())); // the resolver, until start-up calls it
            int p = IPLT_ENTRY * i;
            code[p] = (byte) 0xff; code[p + 1] = 0x25; // jmp *slot
            LittleEndian.put32(code, p + 2, (int) slot);
            code[p + 6] = 0x66; code[p + 7] = (byte) 0x90; // a two-byte NOP pads the entry, as ld pads it
            // ld writes the IRELATIVE relocations from the end of the table back
            int r = 8 * (ifuncs.size() - 1 - i);
            LittleEndian.put32(rel.data, r, (int) slot);
            LittleEndian.put32(rel.data, r + 4, Relocator.R_386_IRELATIVE);
        }
    }

    // ---- Relocator.Tables ----

    @Override public Long gotBase() { return gotPlt == null ? null : gotPlt.vma; }

    @Override public Long gotEntry(String fileName, ElfFile obj, int symIndex) {
        Symbol s = obj.symbols.get(symIndex);
        Integer ifunc = s.bind() == Elf.STB_LOCAL ? null : ifuncs.get(s.name);
        if (ifunc != null && gotPlt != null && !gotSlots.containsKey(s.name)) return gotPlt.vma + 12 + 4L * ifunc;
        if (got == null) return null;
        Integer i = gotSlots.get(key(obj, symIndex, obj.symbols.get(symIndex), fileName));
        return i == null ? null : got.vma + 4L * i;
    }

    @Override public Long ntpoffOrNull(long address) { return tlsSize < 0 ? null : ntpoff(address); }

    /** Offset from the thread pointer, which sits just past the TLS block (i386's variant II). */
    private long ntpoff(long address) {
        return (address - tlsStart - tlsSize) & 0xffffffffL;
    }

    @Override public Long redirectGlobal(String name) { return redirect(name); }

    /** Set once SHF_MERGE sections are merged. */
    MergedSections merged;
    private final Map<String, InputObject> byName = new java.util.HashMap<>();

    void objects(List<InputObject> files) { for (InputObject f : files) byName.putIfAbsent(f.name, f); }

    @Override public Long mergedAddress(String fileName, ElfFile obj, int shndx, long offset) {
        InputObject f = byName.get(fileName);
        return merged == null || f == null || f.elf != obj ? null : merged.address(f, shndx, offset);
    }
}
