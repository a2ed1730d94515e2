package dev.fixup.link;

import dev.fixup.elf.ExTable;
import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.ArArchive;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Segment;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A static linker for ELF32 i386 relocatable objects. Usage:
 * <pre>
 *   LinkResult r = new Linker().add("a.o", elfA).add("b.o", elfB)
 *           .script(LinkerScript.parse("kernel.lds", text)).define(hostCalls).link();
 * </pre>
 * Steps: COMDAT groups, symbol resolution, script layout (ld's default one without a script),
 * relocation, output assembly, checks (overlaps, __ex_table order and duplicates), program headers.
 * Problems are collected and thrown together as one {@link LinkException}.
 */
public final class Linker {
    private static final int MAX_ERRORS = 50;
    /** Sections with file contents are built in memory; beyond this something is wrong with the input. */
    private static final long MAX_FILE_SECTION = 512L << 20;

    private final List<InputResolver.Item> items = new ArrayList<>();
    private final Map<String, Integer> extra = new LinkedHashMap<>();
    private final List<LinkerScript.Statement> defsyms = new ArrayList<>();
    private final List<String> undefined = new ArrayList<>();
    private final Map<String, Long> sectionStarts = new LinkedHashMap<>();
    private LinkerScript script;
    private String entry;
    private boolean gcSections, buildId;
    private Long textSegment;

    public Linker add(String name, ElfFile obj) {
        items.add(new InputResolver.ObjectItem(new LinkInput(name, obj)));
        return this;
    }

    /** Adds an object file's or a regular archive's bytes; a malformed file is reported as "name: field message". */
    public Linker add(String name, byte[] bytes) throws LinkException {
        try {
            if (ArArchive.isArchive(bytes))
                return addArchive(name, ArArchive.read(bytes, path -> { throw new ElfFormatException("thin archive member " + path + " cannot be read here"); }));
            return add(name, ElfReader.read(bytes));
        } catch (ElfFormatException e) {
            throw new LinkException(name + ": " + e.getMessage());
        }
    }

    /** An archive: its members join the link when they define a symbol still undefined at this point. */
    public Linker addArchive(String name, ArArchive archive) {
        items.add(new InputResolver.ArchiveItem(name, archive));
        return this;
    }

    /** --start-group: archives up to {@link #endGroup} are searched repeatedly. */
    public Linker startGroup() { items.add(new InputResolver.GroupStart()); return this; }

    public Linker endGroup() { items.add(new InputResolver.GroupEnd()); return this; }

    /** -u SYM: start with SYM undefined, so an archive member defining it is pulled. */
    public Linker undefined(String symbol) { undefined.add(symbol); return this; }

    /** --defsym SYM=EXPR: a script assignment evaluated before the script's own statements. */
    public Linker defsym(String symbol, String expression) throws LinkException {
        LinkerScript one = LinkerScript.parse("--defsym", symbol + " = " + expression + ";");
        if (one.statements.size() != 1 || !(one.statements.get(0) instanceof LinkerScript.Assignment a) || a.isDot())
            throw new LinkException("--defsym:1: syntax error in `" + symbol + "=" + expression + "'");
        defsyms.add(one.statements.get(0));
        return this;
    }

    /** --section-start / -Ttext / -Tdata / -Tbss: the address of an output section. */
    public Linker sectionStart(String section, long address) { sectionStarts.put(section, address & 0xffffffffL); return this; }

    /** --build-id: a .note.gnu.build-id section holding a SHA-1 of the output. */
    public Linker buildId(boolean on) { buildId = on; return this; }

    /** -r: one relocatable object from the inputs (and the archive members they pull). */
    public byte[] linkRelocatable() throws LinkException {
        List<String> errors = new ArrayList<>();
        return PartialLink.link(objects(resolveInputs(errors), errors), errors);
    }

    /** -Ttext-segment: where the default layout starts the text segment (0x08048000 otherwise). */
    public Linker textSegment(long address) { textSegment = address & 0xffffffffL; return this; }

    /** --gc-sections: drop input sections nothing reachable refers to. */
    public Linker gcSections(boolean on) { gcSections = on; return this; }

    public Linker script(LinkerScript s) { this.script = s; return this; }

    /** Absolute symbols defined by the caller (the kernel's host-call service addresses). */
    public Linker define(Map<String, Integer> symbols) { extra.putAll(symbols); return this; }

    public Linker define(String name, int value) { extra.put(name, value); return this; }

    /** Overrides ENTRY() / the default `_start`. */
    public Linker entry(String symbol) { this.entry = symbol; return this; }

    /** One-call form of the builder. */
    public static LinkResult link(List<LinkInput> inputs, LinkerScript script, Map<String, Integer> extra) throws LinkException {
        Linker l = new Linker();
        for (LinkInput in : inputs) l.add(in.name(), in.file());
        if (script != null) l.script(script);
        if (extra != null) l.define(extra);
        return l.link();
    }

    public LinkResult link() throws LinkException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        InputResolver resolver = resolveInputs(errors);
        List<InputObject> files = objects(resolver, errors);

        SymbolTable syms = new SymbolTable();
        extra.forEach(syms::defineExtra);
        for (InputObject f : files)
            for (int i = 1; i < f.elf.symbols.size(); i++) {
                Symbol s = f.elf.symbols.get(i);
                if (s.bind() != Elf.STB_LOCAL) syms.add(f, s);
            }
        errors.addAll(syms.errors);

        List<InputSection> sections = new ArrayList<>();
        for (InputObject f : files)
            for (int i = 1; i < f.elf.sections.size(); i++) {
                Section s = f.elf.sections.get(i);
                if (!s.isAlloc() || f.discarded[i] || !linkable(s.type)) continue;
                InputSection in = new InputSection(f, i, s);
                f.inputs[i] = in;
                sections.add(in);
            }
        mergePropertyNotes(sections, files.size());
        if (buildId) BuildIdNote.create(sections);
        for (SymbolTable.Global g : syms.map.values()) {
            if (g.kind != SymbolTable.Kind.COMMON) continue;
            g.commonSpace = new InputSection(g.file, g.commonSize, g.commonAlign);
            sections.add(g.commonSpace);
        }

        LinkerScript sc = withDefsyms(script != null ? script : textSegment != null ? DefaultLayout.script(textSegment) : DefaultLayout.script());
        SectionLayout layout = new SectionLayout(sc, syms, sectionStarts);
        layout.assign(files, sections);
        String entryName = entry != null ? entry : sc.entry != null ? sc.entry : "_start";
        if (gcSections) {
            List<String> roots = new ArrayList<>(undefined);
            roots.add(entryName);
            SectionGc.sweep(files, syms, sections, roots);
            layout.dropDiscarded();
        }
        MergedSections merged = MergedSections.merge(sections);
        syms.merged = merged;
        EhFrameEditor ehFrame = EhFrameEditor.edit(sections, syms);
        // the GOT and IFUNC tables are sized from the relocations of the sections that stay
        List<InputSection> made = new ArrayList<>();
        LinkerTables tables = LinkerTables.scan(files, syms, made);
        tables.merged = merged;
        tables.objects(files);
        sections.addAll(made);
        layout.assign(files, made);

        // Lay out until addresses, symbols and the number of program headers settle.
        int phnum = sc.phdrs.isEmpty() ? 3 : sc.phdrs.size();
        List<Segment> segments = List.of();
        for (int pass = 0; pass < 12; pass++) {
            boolean changed = layout.evaluate(headerSize(phnum), false);
            segments = SegmentBuilder.build(kept(layout), sc, headerSize(phnum), new ArrayList<>());
            if (!changed && segments.size() == phnum && pass > 0) break;
            phnum = segments.size();
        }
        layout.evaluate(headerSize(phnum), true);
        errors.addAll(layout.errors);
        List<OutSection> kept = kept(layout);
        defineStartStop(syms, layout);
        defineEhdrStart(syms, segments, layout);

        // Relocate every input object at its final addresses.
        for (InputObject f : files) {
            for (int i = 0; i < f.inputs.length; i++)
                if (f.inputs[i] != null && (f.inputs[i].discarded || f.inputs[i].out == null)) f.addr[i] = Relocator.NOT_LOADED;
        }
        tlsBlock(kept, tables);
        ehFrame.patch();
        tables.placed(localGotTargets(tables, files));
        for (InputObject f : files) errors.addAll(Relocator.relocate(f.name, f.elf, f.addr, syms::value, tables));
        tables.fill(syms::value, errors);
        check(errors);

        for (OutSection os : kept) {
            if (os.vma + os.size > 0x1_0000_0000L)
                errors.add(String.format("section %s [0x%08x-...] of 0x%x bytes runs past the end of the address space", os.name, os.vma, os.size));
            else if (os.type() != Elf.SHT_NOBITS && os.size > MAX_FILE_SECTION)
                errors.add(String.format("section %s is too large for the file (0x%x bytes)", os.name, os.size));
        }
        check(errors);

        ElfFile out = new ElfFile();
        out.type = Elf.ET_EXEC;
        Map<OutSection, Section> outSecs = new LinkedHashMap<>();
        for (OutSection os : kept) {
            Section s = contents(os);
            os.outIndex = out.sections.size();
            out.sections.add(s);
            outSecs.put(os, s);
        }
        linkIrelativeToSlots(out);
        checkOverlaps(kept, errors);
        Section ex = out.section("__ex_table");
        if (ex != null) sortExTable(ex, errors);
        List<String> segErrors = new ArrayList<>();
        segments = SegmentBuilder.build(kept, sc, headerSize(phnum), segErrors);
        errors.addAll(segErrors);
        if (segments.size() != phnum) errors.add("internal: program header count did not settle");
        check(errors);
        out.segments.addAll(segments);

        Map<String, Long> finalSymbols = buildSymbolTable(out, files, syms, layout, merged, tables.tlsSize < 0 ? null : tables.tlsStart);
        if (gnuOsAbi(out)) out.osabi = ELFOSABI_GNU;
        Long e = finalSymbols.get(entryName);
        if (e == null) {
            // ld warns and falls back to the start of .text; so do we
            OutSection text = layout.byName.get(".text");
            e = text != null && text.outIndex > 0 ? text.vma : 0L;
            warnings.add(String.format("cannot find entry symbol %s; defaulting to %08x", entryName, e));
        }
        out.entry = (int) (long) e;
        byte[] bytes;
        try {
            bytes = ElfWriter.write(out);
            Section note = out.section(BuildIdNote.NAME);
            if (buildId && note != null) BuildIdNote.seal(bytes, note);
        } catch (IllegalArgumentException tooBig) {
            throw new LinkException("output: " + tooBig.getMessage());
        }
        return new LinkResult(out, bytes, finalSymbols, warnings, () -> MapFile.render(resolver.pulled, layout, kept, syms));
    }

    /** The TLS block: from the first TLS output section to the end of the last, rounded to its alignment. */
    private static void tlsBlock(List<OutSection> kept, LinkerTables tables) {
        long lo = Long.MAX_VALUE, hi = 0, align = 1;
        for (OutSection os : kept) {
            if ((os.flags() & Elf.SHF_TLS) == 0) continue;
            lo = Math.min(lo, os.vma);
            hi = Math.max(hi, os.vma + os.size);
            align = Math.max(align, os.align);
        }
        if (lo == Long.MAX_VALUE) return;
        tables.tlsStart = lo;
        tables.tlsAlign = align;
        tables.tlsSize = ScriptExpression.alignUp(hi - lo, align);
    }

    /** Addresses of the local symbols that have GOT slots ("file#index" keys). */
    private static Map<String, Long> localGotTargets(LinkerTables tables, List<InputObject> files) {
        Map<String, Long> r = new HashMap<>();
        List<String> keys = tables.localSlotKeys();
        if (keys.isEmpty()) return r;
        Map<String, InputObject> byName = new HashMap<>();
        for (InputObject f : files) byName.putIfAbsent(f.name, f);
        for (String k : keys) {
            int hash = k.lastIndexOf('#');
            InputObject f = byName.get(k.substring(0, hash));
            Symbol s = f.elf.symbols.get(Integer.parseInt(k.substring(hash + 1)));
            if (s.shndx == Elf.SHN_ABS) r.put(k, Integer.toUnsignedLong(s.value));
            else if (s.shndx < f.addr.length && f.addr[s.shndx] != Relocator.NOT_LOADED)
                r.put(k, (f.addr[s.shndx] + Integer.toUnsignedLong(s.value)) & 0xffffffffL);
        }
        return r;
    }

    /** The script with the --defsym assignments first, as ld evaluates them before the script. */
    private LinkerScript withDefsyms(LinkerScript sc) {
        if (defsyms.isEmpty()) return sc;
        LinkerScript c = new LinkerScript(sc.fileName);
        c.entry = sc.entry;
        c.statements.addAll(defsyms);
        c.statements.addAll(sc.statements);
        c.phdrs.addAll(sc.phdrs);
        return c;
    }

    /** Which objects take part: the command line's, and the archive members they pull. */
    private InputResolver resolveInputs(List<String> errors) throws LinkException {
        java.util.Set<String> predefined = new java.util.HashSet<>(extra.keySet());
        for (LinkerScript.Statement d : defsyms) predefined.add(((LinkerScript.Assignment) d).symbol());
        List<String> wanted = new ArrayList<>(undefined);
        if (entry != null) wanted.add(entry);
        InputResolver resolver = new InputResolver(predefined, wanted);
        resolver.resolve(items);
        errors.addAll(resolver.errors);
        check(errors);
        return resolver;
    }

    /** The loaded objects, checked (i386 relocatable), copied, with duplicate COMDAT groups dropped. */
    private static List<InputObject> objects(InputResolver resolver, List<String> errors) throws LinkException {
        List<InputObject> files = new ArrayList<>();
        for (LinkInput in : resolver.loaded) {
            ElfFile f = in.file();
            if (f.type != Elf.ET_REL) errors.add(in.name() + ": not a relocatable object (e_type " + f.type + ")");
            else if (f.machine != Elf.EM_386) errors.add(in.name() + ": not an i386 object (e_machine " + f.machine + ")");
            else files.add(new InputObject(in.name(), copy(f)));
        }
        check(errors);
        Map<String, InputObject> groups = new HashMap<>();
        for (InputObject f : files) discardDuplicateGroups(f, groups);
        return files;
    }

    private static void check(List<String> errors) throws LinkException {
        if (errors.isEmpty()) return;
        List<String> shown = errors.size() > MAX_ERRORS ? new ArrayList<>(errors.subList(0, MAX_ERRORS)) : errors;
        if (errors.size() > MAX_ERRORS) shown.add("(" + (errors.size() - MAX_ERRORS) + " more errors)");
        throw new LinkException(shown);
    }

    private static long headerSize(int phnum) { return Elf.EHDR_SIZE + (long) phnum * Elf.PHDR_SIZE; }

    private static boolean linkable(int type) {
        return type != Elf.SHT_GROUP && type != Elf.SHT_REL && type != Elf.SHT_RELA && type != Elf.SHT_SYMTAB
                && type != Elf.SHT_STRTAB && type != Elf.SHT_NULL && type != Elf.SHT_DYNSYM && type != Elf.SHT_HASH
                && type != Elf.SHT_DYNAMIC;
    }

    /** Output sections that appear in the file: those with contents, or with symbols/data (as ld keeps them). */
    private static List<OutSection> kept(SectionLayout layout) {
        List<OutSection> r = new ArrayList<>();
        for (Object o : layout.program)
            if (o instanceof OutSection os && !os.decl.isDiscard() && (os.size > 0 || os.hasAssignments)) r.add(os);
        return r;
    }

    /** COMDAT: the first group with a signature wins; the members of later ones are dropped. */
    private static void discardDuplicateGroups(InputObject f, Map<String, InputObject> groups) {
        for (Section g : f.elf.sections) {
            if (g.type != Elf.SHT_GROUP || g.data == null || g.data.length < 4) continue;
            if ((LittleEndian.get32(g.data, 0) & 1) == 0) continue;
            String sig = g.info > 0 && g.info < f.elf.symbols.size() ? f.elf.symbols.get(g.info).name : "";
            if (g.info > 0 && f.elf.symbols.size() > g.info && f.elf.symbols.get(g.info).type() == Elf.STT_SECTION) {
                int sh = f.elf.symbols.get(g.info).shndx;
                if (sh < f.elf.sections.size()) sig = f.elf.sections.get(sh).name;
            }
            if (groups.putIfAbsent(sig, f) == null) continue;
            for (int p = 4; p + 4 <= g.data.length; p += 4) {
                int idx = LittleEndian.get32(g.data, p);
                if (idx > 0 && idx < f.discarded.length) f.discarded[idx] = true;
            }
        }
    }

    /** __start_SEC / __stop_SEC for referenced, undefined names whose SEC is an output section named like a C identifier. */
    private static void defineStartStop(SymbolTable syms, SectionLayout layout) {
        for (SymbolTable.Global g : syms.map.values()) {
            if (g.isDefined() || !g.referenced) continue;
            boolean start = g.name.startsWith("__start_"), stop = g.name.startsWith("__stop_");
            if (!start && !stop) continue;
            String sec = g.name.substring(start ? 8 : 7);
            if (!sec.matches("[A-Za-z_][A-Za-z0-9_]*")) continue;
            OutSection os = layout.byName.get(sec);
            if (os == null) continue;
            g.kind = SymbolTable.Kind.LINKER;
            g.value = start ? os.vma : os.vma + os.size;
            g.section = os;
        }
    }

    /**
     * .note.gnu.property holds x86 feature bits that hold for the program only if every object
     * has them (ld ANDs them): when some object has no note the output gets none; otherwise the
     * first object's note stands for all (they agree in every toolchain build we link).
     */
    private static void mergePropertyNotes(List<InputSection> sections, int fileCount) {
        List<InputSection> notes = new ArrayList<>();
        for (InputSection in : sections) if (in.name.equals(".note.gnu.property")) notes.add(in);
        java.util.Set<InputObject> having = new java.util.HashSet<>();
        for (InputSection in : notes) having.add(in.file);
        for (int i = 0; i < notes.size(); i++) if (having.size() < fileCount || i > 0) notes.get(i).discarded = true;
    }

    /** __ehdr_start: the ELF header's address, when the first load segment maps it (as ld defines it). */
    private static void defineEhdrStart(SymbolTable syms, List<Segment> segments, SectionLayout layout) {
        SymbolTable.Global g = syms.find("__ehdr_start");
        if (g == null || g.isDefined() || segments.isEmpty() || segments.get(0).type != Elf.PT_LOAD) return;
        long v = Integer.toUnsignedLong(segments.get(0).vaddr);
        g.kind = SymbolTable.Kind.LINKER;
        g.value = v;
        g.section = layout.sectionContaining(v);
    }

    /** Builds one output section's bytes: fill pattern in the gaps, relocated input data, BYTE/LONG data. */
    private static Section contents(OutSection os) {
        Section s = new Section(os.name, os.type(), os.flags());
        s.addr = (int) os.vma;
        s.addralign = (int) Math.max(1, os.align);
        // entry sizes ld records: pointer arrays, and the IFUNC slots of .got.plt
        if (s.type == Elf.SHT_INIT_ARRAY || s.type == Elf.SHT_FINI_ARRAY || s.type == Elf.SHT_PREINIT_ARRAY || os.name.equals(".got.plt"))
            s.entsize = 4;
        if (s.type == Elf.SHT_NOBITS) {
            s.size = (int) os.size;
            return s;
        }
        byte[] d = new byte[(int) os.size];
        byte[] fill = os.decl.fillPattern();
        if (fill != null && fill.length > 0)
            for (int i = 0; i < d.length; i++) d[i] = fill[i % fill.length];
        boolean code = (fill == null || fill.length == 0) && (os.flags() & Elf.SHF_EXECINSTR) != 0;
        long cursor = 0;
        for (InputSection in : os.allMembers()) {
            int off = (int) (in.vma - os.vma);
            if (code && off > cursor) nopFill(d, (int) cursor, off);
            cursor = Math.max(cursor, off + in.size);
            if (in.isNobits() || in.index < 0) java.util.Arrays.fill(d, off, off + (int) in.size, (byte) 0);
            else {
                byte[] src = in.file.elf.sections.get(in.index).data;
                System.arraycopy(src, 0, d, off, src.length);
            }
        }
        for (long[] item : os.data) {
            for (int k = 0; k < item[1]; k++) d[(int) item[0] + k] = (byte) (k < 8 ? item[2] >>> (8 * k) : 0);
        }
        s.setData(d);
        if (s.type == Elf.SHT_REL)
            for (int p = 0; p + 8 <= d.length; p += 8)
                s.relocations.add(new Relocation(LittleEndian.get32(d, p), LittleEndian.get32(d, p + 4) & 0xff, LittleEndian.get32(d, p + 4) >>> 8));
        return s;
    }

    /** The allocated REL section of the IRELATIVE relocations applies to .got.plt, and says so as ld does (SHF_INFO_LINK). */
    private static void linkIrelativeToSlots(ElfFile out) {
        Section slots = out.section(".got.plt");
        if (slots == null) return;
        for (Section s : out.sections)
            if (s.type == Elf.SHT_REL && (s.flags & Elf.SHF_ALLOC) != 0 && !s.relocations.isEmpty()
                    && s.relocations.stream().allMatch(r -> r.type == Relocator.R_386_IRELATIVE)) {
                s.flags |= Elf.SHF_INFO_LINK;
                s.info = out.indexOf(slots);
            }
    }

    /** Alignment gaps between code: two-byte NOPs (66 90) and a one-byte one (90) for an odd byte, as ld fills them for i386. */
    private static void nopFill(byte[] d, int from, int to) {
        int p = from;
        for (; p + 2 <= to; p += 2) { d[p] = 0x66; d[p + 1] = (byte) 0x90; }
        if (p < to) d[p] = (byte) 0x90;
    }

    private static void checkOverlaps(List<OutSection> kept, List<String> errors) {
        List<OutSection> alloc = new ArrayList<>();
        for (OutSection os : kept) if (os.size > 0 && !os.isTlsBss()) alloc.add(os);
        for (int pass = 0; pass < 2; pass++) {
            boolean lma = pass == 1;
            List<OutSection> list = new ArrayList<>(alloc);
            if (lma) list.removeIf(os -> os.type() == Elf.SHT_NOBITS);
            list.sort((a, b) -> Long.compare(lma ? a.lma : a.vma, lma ? b.lma : b.vma));
            for (int i = 1; i < list.size(); i++) {
                OutSection a = list.get(i - 1), b = list.get(i);
                long aLo = lma ? a.lma : a.vma, bLo = lma ? b.lma : b.vma;
                if (bLo < aLo + a.size) {
                    errors.add("section " + b.name + " " + range(bLo, b.size) + " overlaps section " + a.name + " "
                            + range(aLo, a.size) + (lma ? " (load addresses)" : ""));
                    if (!lma) return; // VMA overlap implies the same message for LMAs in the usual case
                }
            }
        }
    }

    private static String range(long lo, long size) {
        return String.format("[0x%08x-0x%08x]", lo, lo + size - 1);
    }

    /** Sorts the final (relocated) table by insn and rejects ambiguous tables, as scripts/sorttable would. */
    private static void sortExTable(Section ex, List<String> errors) {
        if (ex.type == Elf.SHT_NOBITS) return;
        if (ex.data.length % ExTable.ENTRY_SIZE != 0) {
            errors.add("__ex_table: size " + ex.data.length + " is not a multiple of the entry size " + ExTable.ENTRY_SIZE);
            return;
        }
        for (ExTable.Duplicate d : ExTable.duplicates(ex.data))
            errors.add(String.format("__ex_table: entries at 0x%08x and 0x%08x both cover insn 0x%08x (fixups 0x%08x and 0x%08x)",
                    ex.addr + d.firstIndex() * 8L, ex.addr + d.secondIndex() * 8L, d.insn(), d.fixup1(), d.fixup2()));
        ExTable.sort(ex.data);
    }

    /**
     * Each file's locals (after its STT_FILE), then the defined globals, as GNU ld writes an
     * executable's table: no section symbols, no undefined weak references (they resolved to 0),
     * and thread-local symbols valued as offsets into the TLS segment. Returns the global
     * addresses (thread-local ones included as addresses).
     */
    private static Map<String, Long> buildSymbolTable(ElfFile out, List<InputObject> files, SymbolTable syms, SectionLayout layout,
                                                      MergedSections merged, Long tlsStart) {
        for (InputObject f : files) {
            for (int i = 1; i < f.elf.symbols.size(); i++) {
                Symbol s = f.elf.symbols.get(i);
                if (s.bind() != Elf.STB_LOCAL || s.type() == Elf.STT_SECTION) continue;
                if (s.type() == Elf.STT_FILE) { out.symbols.add(new Symbol(s.name, 0, 0, s.info, Elf.SHN_ABS)); continue; }
                if (s.name.isEmpty() || inMergeSection(f, s)) continue;
                Symbol o = localCopy(f, s, layout, merged);
                if (o != null) out.symbols.add(tlsRelative(o, tlsStart));
            }
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (SymbolTable.Global g : syms.map.values()) {
            Long v = syms.value(g);
            if (v == null) continue;
            values.put(g.name, v);
            int shndx;
            int bind = g.kind == SymbolTable.Kind.WEAK ? Elf.STB_WEAK : Elf.STB_GLOBAL;
            int type = g.type, size = g.size;
            switch (g.kind) {
                case ABSOLUTE_EXTRA -> shndx = Elf.SHN_ABS;
                case SCRIPT, LINKER -> { shndx = indexFor(g.section, v, layout); type = Elf.STT_NOTYPE; size = 0; }
                case COMMON -> { shndx = indexFor(g.commonSpace.out, v, layout); type = Elf.STT_OBJECT; size = (int) g.commonSize; }
                default -> {
                    if (g.sym.shndx == Elf.SHN_ABS) shndx = Elf.SHN_ABS;
                    else {
                        InputSection in = g.file.inputs[g.sym.shndx];
                        shndx = indexFor(in == null ? null : in.out, v, layout);
                    }
                }
            }
            Symbol o = new Symbol(g.name, (int) (long) v, size, Elf.stInfo(bind, type), shndx);
            if (g.sym != null) o.other = g.sym.other;
            out.symbols.add(tlsRelative(o, tlsStart));
        }
        return values;
    }

    private static Symbol tlsRelative(Symbol s, Long tlsStart) {
        if (s.type() == Relocator.STT_TLS && tlsStart != null && s.shndx != Elf.SHN_ABS) s.value = (int) (Integer.toUnsignedLong(s.value) - tlsStart);
        return s;
    }

    /** ld marks the output as the GNU ABI's when it uses a GNU extension: IFUNC symbols or sections kept by SHF_GNU_RETAIN. */
    private static final int ELFOSABI_GNU = 3;

    private static boolean gnuOsAbi(ElfFile out) {
        for (Symbol s : out.symbols) if (s.type() == Relocator.STT_GNU_IFUNC) return true;
        for (Section s : out.sections) if ((s.flags & OutSection.SHF_GNU_RETAIN) != 0) return true;
        return false;
    }

    /** ld's default (discard_sec_merge) drops assembler temporaries (.L...) in mergeable sections, such as gcc's .LC0 strings. */
    private static boolean inMergeSection(InputObject f, Symbol s) {
        return s.name.startsWith(".L") && s.shndx > 0 && s.shndx < f.elf.sections.size() && (f.elf.sections.get(s.shndx).flags & Elf.SHF_MERGE) != 0;
    }

    private static Symbol localCopy(InputObject f, Symbol s, SectionLayout layout, MergedSections merged) {
        if (s.shndx == Elf.SHN_ABS) return new Symbol(s.name, s.value, s.size, s.info, Elf.SHN_ABS);
        if (s.shndx == Elf.SHN_UNDEF || s.shndx >= f.addr.length || f.addr[s.shndx] == Relocator.NOT_LOADED) return null;
        InputSection in = f.inputs[s.shndx];
        // ld drops the locals of a section whose output section was removed (left empty)
        if (in == null || in.out == null || in.out.outIndex <= 0) return null;
        Long m = merged.address(f, s.shndx, Integer.toUnsignedLong(s.value));
        long v = (m != null ? m : f.addr[s.shndx] + Integer.toUnsignedLong(s.value)) & 0xffffffffL;
        Symbol o = new Symbol(s.name, (int) v, s.size, s.info, indexFor(in.out, v, layout));
        o.other = s.other;
        return o;
    }

    private static int indexFor(OutSection os, long v, SectionLayout layout) {
        if (os != null && os.outIndex > 0) return os.outIndex;
        OutSection c = layout.sectionContaining(v);
        return c != null && c.outIndex > 0 ? c.outIndex : Elf.SHN_ABS;
    }

    /** Deep copy, so relocation patches our bytes and never the caller's objects. */
    private static ElfFile copy(ElfFile f) {
        ElfFile c = new ElfFile();
        c.type = f.type;
        c.machine = f.machine;
        c.entry = f.entry;
        c.flags = f.flags;
        c.sections.clear();
        for (Section s : f.sections) {
            Section n = new Section(s.name, s.type, s.flags);
            n.addr = s.addr; n.offset = s.offset; n.size = s.size; n.link = s.link; n.info = s.info;
            n.addralign = s.addralign; n.entsize = s.entsize;
            n.data = s.data == null ? null : s.data.clone();
            for (Relocation r : s.relocations) n.relocations.add(new Relocation(r.offset, r.type, r.symbol));
            c.sections.add(n);
        }
        c.symbols.clear();
        for (Symbol s : f.symbols) {
            Symbol n = new Symbol(s.name, s.value, s.size, s.info, s.shndx);
            n.other = s.other;
            c.symbols.add(n);
        }
        return c;
    }
}
