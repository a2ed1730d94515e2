package dev.fixup.link;

import dev.fixup.link.LinkerScript.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evaluates a linker script over the input sections: assigns each input section to the first
 * output-section statement whose pattern matches it (ld's rule), places orphans after output
 * sections of the same kind, then walks the statements moving the location counter, giving
 * addresses to output sections, input sections and script symbols. The walk is repeated until
 * nothing moves, so forward references (SIZEOF of a later section, symbols defined later,
 * SIZEOF_HEADERS) settle as they do in ld.
 */
final class SectionLayout {
    private final LinkerScript script;
    private final SymbolTable symbols;
    /** Statements in evaluation order: script assignments and output sections (orphans inserted). */
    final List<Object> program = new ArrayList<>();
    final List<OutSection> outputs = new ArrayList<>();
    final Map<String, OutSection> byName = new HashMap<>();
    final List<String> errors = new ArrayList<>();
    /** Symbols assigned by the script and the section they are relative to (null = absolute). */
    final Map<String, OutSection> scriptSymbolSection = new LinkedHashMap<>();

    /** Addresses forced from the command line (-Ttext, --section-start), by output section name. */
    private final Map<String, Long> sectionStarts;

    SectionLayout(LinkerScript script, SymbolTable symbols, Map<String, Long> sectionStarts) {
        this.script = script;
        this.symbols = symbols;
        this.sectionStarts = sectionStarts;
    }

    /**
     * Assigns input sections to output statements; orphans get their own output sections. May be
     * called again for sections made later (the linker's own tables, after --gc-sections).
     */
    void assign(List<InputObject> files, List<InputSection> inputs) {
        if (program.isEmpty()) buildProgram();
        match(inputs);
        placeOrphans(inputs);
    }

    /** Drops input sections --gc-sections discarded after they were assigned. */
    void dropDiscarded() {
        for (OutSection os : outputs)
            for (List<InputSection> m : os.members) if (m != null) m.removeIf(in -> in.discarded);
    }

    private void buildProgram() {
        for (Statement st : script.statements) {
            if (st instanceof Assignment || st instanceof Assert) program.add(st);
            else {
                LinkerScript.OutputSection d = (LinkerScript.OutputSection) st;
                OutSection os = new OutSection(d, false);
                if (!d.isDiscard()) {
                    // a second statement with the same name continues the section in ld; we keep them apart but
                    // ADDR/SIZEOF see the first
                    byName.putIfAbsent(d.name(), os);
                    outputs.add(os);
                }
                program.add(os);
            }
        }
    }

    private void match(List<InputSection> inputs) {
        for (Object o : program) {
            if (!(o instanceof OutSection os)) continue;
            for (int i = 0; i < os.decl.items().size(); i++) {
                if (!(os.decl.items().get(i) instanceof InputSpec spec)) continue;
                List<InputSection> got = os.members.get(i);
                Pattern filePat = glob(spec.filePattern());
                List<Pattern> excl = spec.excludeFiles().stream().map(SectionLayout::glob).toList();
                List<Pattern> secPats = spec.sectionPatterns().stream().map(SectionLayout::glob).toList();
                for (InputSection in : inputs) {
                    if (in.out != null || in.discarded) continue;
                    if (!fileMatches(filePat, in.file.name) || excl.stream().anyMatch(p -> fileMatches(p, in.file.name))) continue;
                    if (secPats.stream().noneMatch(p -> p.matcher(in.name).matches())) continue;
                    if (os.decl.isDiscard()) { in.discarded = true; continue; }
                    in.out = os;
                    in.keep = spec.keep();
                    got.add(in);
                }
                if (spec.sort()) got.sort((a, b) -> a.name.compareTo(b.name));
            }
        }
    }

    private static boolean fileMatches(Pattern p, String name) {
        if (p.matcher(name).matches()) return true;
        int slash = name.lastIndexOf('/');
        return slash >= 0 && p.matcher(name.substring(slash + 1)).matches();
    }

    /** Shell-style wildcards: '*', '?', '[...]'. */
    static Pattern glob(String g) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> r.append(".*");
                case '?' -> r.append('.');
                case '[' -> {
                    int end = g.indexOf(']', i + 1);
                    if (end < 0) { r.append("\\["); break; }
                    String body = g.substring(i + 1, end);
                    if (body.startsWith("!")) body = "^" + body.substring(1);
                    r.append('[').append(body.replace("\\", "\\\\")).append(']');
                    i = end;
                }
                default -> r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(r.toString(), Pattern.DOTALL);
    }

    private void placeOrphans(List<InputSection> inputs) {
        Map<String, OutSection> orphans = new LinkedHashMap<>();
        for (InputSection in : inputs) {
            if (in.out != null || in.discarded) continue;
            OutSection os = orphans.get(in.name);
            if (os == null) {
                OutSection existing = byName.get(in.name);
                if (existing != null && existing.orphan) os = existing;
            }
            if (os == null) {
                InputSpec spec = new InputSpec("*", List.of(), List.of(in.name), false, false, 0);
                LinkerScript.OutputSection d = new LinkerScript.OutputSection(in.name, null, null, null, false,
                        List.of(spec), List.of(), null, null, 0);
                os = new OutSection(d, true);
                orphans.put(in.name, os);
                insertOrphan(os, OutSection.kindOf(in.flags, in.type), in.type == dev.fixup.elf.Elf.SHT_NOTE);
            }
            in.out = os;
            os.members.get(0).add(in);
        }
    }

    /** Where the last orphan went, per anchor section: the next one of its kind goes after it. */
    private final Map<OutSection, OutSection> lastOrphanAfter = new HashMap<>();

    /**
     * ld puts an orphan after the output section its kind is anchored to (notes after the notes at
     * the start, code after .text, read-only data after .rodata, data after .data, bss after .bss),
     * following earlier orphans placed there; without that section, after the last section of the same kind.
     */
    private void insertOrphan(OutSection os, int kind, boolean note) {
        if (note) {
            int at = -1;
            for (int i = 0; i < program.size(); i++) {
                if (!(program.get(i) instanceof OutSection o) || o.decl.isDiscard()) continue;
                if (o.name.startsWith(".note") || o.name.equals(".interp")) at = i + 1;
                else if (at < 0) at = i; // no notes yet: before the first section
                else break;
            }
            if (at >= 0) { place(os, at); return; }
        }
        String anchorName = switch (kind) { case 0 -> ".text"; case 1 -> ".rodata"; case 2 -> ".data"; default -> ".bss"; };
        OutSection anchor = byName.get(anchorName);
        if (anchor != null && !anchor.orphan && program.contains(anchor)) {
            OutSection after = lastOrphanAfter.getOrDefault(anchor, anchor);
            place(os, program.indexOf(after) + 1);
            lastOrphanAfter.put(anchor, os);
            return;
        }
        insertByKind(os, kind);
    }

    private void place(OutSection os, int programIndex) {
        program.add(programIndex, os);
        int before = -1;
        for (int i = programIndex - 1; i >= 0 && before < 0; i--)
            if (program.get(i) instanceof OutSection o && outputs.contains(o)) before = outputs.indexOf(o);
        outputs.add(before + 1, os);
        byName.putIfAbsent(os.name, os);
    }

    /** After the last output section of the same kind (code, rodata, data, bss). */
    private void insertByKind(OutSection os, int kind) {
        int[] fallback = switch (kind) { case 0 -> new int[]{0}; case 1 -> new int[]{1, 0}; case 2 -> new int[]{2, 1, 0};
            default -> new int[]{3, 2, 1, 0}; };
        for (int k : fallback) {
            for (int i = program.size() - 1; i >= 0; i--) {
                if (program.get(i) instanceof OutSection o && !o.decl.isDiscard() && o.kind() == k) {
                    program.add(i + 1, os);
                    outputs.add(outputs.indexOf(o) + 1, os);
                    byName.putIfAbsent(os.name, os);
                    return;
                }
            }
        }
        // nothing similar: after the last output section (or at the end)
        int last = -1;
        for (int i = 0; i < program.size(); i++) if (program.get(i) instanceof OutSection o && !o.decl.isDiscard()) last = i;
        program.add(last + 1, os);
        outputs.add(os);
        byName.putIfAbsent(os.name, os);
    }

    // ---- evaluation ----

    private long dot;
    private boolean finalPass;
    private long headerSize;
    private String currentFile;

    /** One pass over the program; returns true when some address or symbol changed from the last pass. */
    boolean evaluate(long headerSize, boolean finalPass) {
        this.finalPass = finalPass;
        this.headerSize = headerSize;
        this.currentFile = script.fileName;
        errors.clear();
        long before = signature();
        dot = 0;
        long lmaDelta = 0;
        lastSection = null;
        dotMoved = false;
        for (int p = 0; p < program.size(); p++) {
            Object o = program.get(p);
            if (o instanceof Assert as) { check(as); continue; }
            if (o instanceof Assignment a) {
                assign(a, null);
                if (a.isDot()) dotMoved = true;
                else if (!a.expr().isConstant() && scriptSymbolSection.containsKey(a.symbol()))
                    attribute(a.symbol(), p);
                continue;
            }
            OutSection os = (OutSection) o;
            if (os.decl.isDiscard()) continue;

            long align = 1;
            for (InputSection in : os.allMembers()) align = Math.max(align, in.align);
            if (os.decl.align() != null) align = Math.max(align, eval(os.decl.align()));
            os.align = align;
            Long forced = sectionStarts.get(os.name);
            boolean explicit = forced != null || os.decl.address() != null;
            long start = forced != null ? forced : explicit ? eval(os.decl.address()) : dot;
            // ld uses an explicit address as written; otherwise the counter is aligned to the section's
            // alignment (an empty section that only defines symbols does not move it)
            if (os.decl.align() != null) start = ScriptExpression.alignUp(start, align);
            else if (!explicit && !(os.allMembers().isEmpty() && os.decl.items().stream().noneMatch(i -> i instanceof Data)))
                start = ScriptExpression.alignUp(start, align);
            os.vma = start;
            dot = start;
            if (os.decl.lma() != null) os.lma = eval(os.decl.lma());
            else os.lma = explicit ? os.vma : ScriptExpression.u32(os.vma + lmaDelta);
            lmaDelta = os.lma - os.vma;
            os.data.clear();
            for (int i = 0; i < os.decl.items().size(); i++) {
                SectionItem item = os.decl.items().get(i);
                if (item instanceof InputSpec) {
                    for (InputSection in : os.members.get(i)) {
                        dot = ScriptExpression.alignUp(dot, in.align);
                        in.vma = dot;
                        if (in.index >= 0) in.file.addr[in.index] = dot;
                        dot = ScriptExpression.u32(dot + in.size);
                    }
                } else if (item instanceof Data d) {
                    os.data.add(new long[]{dot - os.vma, d.size(), eval(d.expr())});
                    dot = ScriptExpression.u32(dot + d.size());
                } else if (item instanceof Assignment a) {
                    assign(a, os);
                } else if (item instanceof Assert as) {
                    check(as);
                }
            }
            os.size = ScriptExpression.u32(dot - os.vma);
            if (os.isTlsBss()) dot = os.vma; // each thread gets its own copy; the image has none
            if (os.size > 0 || os.hasAssignments) { lastSection = os; dotMoved = false; }
        }
        if (dataStart >= 0 && dataEnd >= dataStart) dataSegmentSize = dataEnd - dataStart;
        return signature() != before;
    }

    private OutSection lastSection;
    private boolean dotMoved;

    /**
     * The section a top-level symbol is relative to, as ld chooses it: the output section just
     * before the assignment when the value lies in or at the end of it; after an assignment to '.'
     * (a gap such as `. = .;` or `. = ALIGN(4);`) the next output section; else whichever holds it.
     */
    private void attribute(String name, int at) {
        long v = symbols.value(name);
        OutSection rel = null;
        if (!dotMoved && lastSection != null && v >= lastSection.vma && v <= lastSection.vma + lastSection.size) rel = lastSection;
        else if (dotMoved) {
            for (int q = at + 1; q < program.size() && rel == null; q++)
                if (program.get(q) instanceof OutSection n && !n.decl.isDiscard() && !n.isEmpty() && n.size > 0) rel = n;
            if (rel == null && lastSection != null && v >= lastSection.vma && v <= lastSection.vma + lastSection.size) rel = lastSection;
        }
        if (rel == null) rel = sectionContaining(v);
        symbols.get(name).section = rel;
        scriptSymbolSection.put(name, rel);
    }

    private long signature() {
        long h = 17;
        for (OutSection os : outputs) h = h * 31 + os.vma * 7 + os.size * 13 + os.lma;
        for (String n : scriptSymbolSection.keySet()) { Long v = symbols.value(n); h = h * 31 + (v == null ? -1 : v); }
        return h;
    }

    private void assign(Assignment a, OutSection os) {
        if (a.isDot()) {
            long v = eval(a.expr());
            if (os != null && a.op().isEmpty() && sectionRelative(a.expr())) v = os.vma + v; // section-relative, as in ld
            if (!a.op().isEmpty()) v = combine(a.op(), dot, v, a.line());
            v = ScriptExpression.u32(v);
            if (os != null && v < dot && finalPass)
                errors.add(currentFile + ":" + a.line() + ": cannot move location counter backwards (from 0x"
                        + Long.toHexString(dot) + " to 0x" + Long.toHexString(v) + ")");
            dot = v;
            return;
        }
        SymbolTable.Global g = symbols.find(a.symbol());
        if (a.provide()) {
            boolean wanted = g != null && (g.kind == SymbolTable.Kind.UNDEFINED || (g.kind == SymbolTable.Kind.SCRIPT && scriptSymbolSection.containsKey(a.symbol())));
            if (!wanted) return;
        }
        int failuresBefore = failures;
        long v = eval(a.expr());
        // as in ld, an assignment whose value cannot be computed yet does not define the symbol
        // (so `a = a + 1;` with `a` undefined stays an error in every pass)
        if (failures > failuresBefore) return;
        if (!a.op().isEmpty()) {
            Long old = symbols.value(a.symbol());
            if (old == null) { if (finalPass) errors.add(currentFile + ":" + a.line() + ": undefined symbol `" + a.symbol() + "' referenced in expression"); old = 0L; }
            v = combine(a.op(), old, v, a.line());
        } else if (os != null && sectionRelative(a.expr())) {
            v = os.vma + v; // ld: a number assigned inside an output section is an offset into it
        }
        g = symbols.get(a.symbol());
        g.kind = SymbolTable.Kind.SCRIPT;
        g.value = ScriptExpression.u32(v);
        boolean absolute = a.expr() instanceof ScriptExpression.Call c && c.name().equals("ABSOLUTE");
        OutSection rel = absolute ? null : os;
        if (rel == null && !absolute && !a.expr().isConstant()) rel = sectionContaining(g.value);
        g.section = rel;
        scriptSymbolSection.put(a.symbol(), rel);
    }

    private void check(Assert a) {
        if (eval(a.expr()) == 0 && finalPass) errors.add(currentFile + ":" + a.line() + ": " + a.message());
    }

    /** Inside an output section ld treats a plain number as an offset into it; ABSOLUTE() opts out. */
    private static boolean sectionRelative(ScriptExpression e) {
        return e.isConstant() && !(e instanceof ScriptExpression.Call c && c.name().equals("ABSOLUTE"));
    }

    private long combine(String op, long old, long v, int line) {
        return ScriptExpression.u32(switch (op) {
            case "+" -> old + v; case "-" -> old - v; case "*" -> old * v;
            case "/" -> v == 0 ? fail(line, "division by zero") : old / v;
            case "<<" -> old << (v & 31); case ">>" -> old >>> (v & 31); case "&" -> old & v; case "|" -> old | v;
            default -> v;
        });
    }

    /** The output section that holds an address, or ends exactly there (for `_end = .`). */
    OutSection sectionContaining(long v) {
        OutSection end = null;
        for (OutSection os : outputs) {
            if (os.isEmpty()) continue;
            if (v >= os.vma && v < os.vma + os.size) return os;
            if (v == os.vma + os.size) end = os;
        }
        return end;
    }

    private long eval(ScriptExpression e) { return e.eval(context); }

    private int failures;
    /** DATA_SEGMENT_ALIGN's choice needs the segment's size: measured in one pass, used in the next. */
    private long dataSegmentSize = -1, dataStart = -1, dataEnd = -1;

    private long fail(int line, String message) {
        failures++;
        if (finalPass) errors.add(currentFile + ":" + line + ": " + message);
        return 0;
    }

    private final ScriptExpression.Context context = new ScriptExpression.Context() {
        public long dot() { return dot; }
        public Long symbol(String name) { return symbols.value(name); }
        public boolean defined(String name) { return symbols.value(name) != null; }
        public Long sectionAddress(String name) { OutSection o = byName.get(name); return o == null ? null : o.vma; }
        public Long sectionLoadAddress(String name) { OutSection o = byName.get(name); return o == null ? null : o.lma; }
        public Long sectionSize(String name) { OutSection o = byName.get(name); return o == null ? null : o.size; }
        public long sizeofHeaders() { return headerSize; }
        public long fail(int line, String message) { return SectionLayout.this.fail(line, message); }
        public long dataSegmentSize() { return dataSegmentSize; }
        public void dataSegment(boolean start, long at) { if (start) dataStart = at; else dataEnd = at; }
    };

}
