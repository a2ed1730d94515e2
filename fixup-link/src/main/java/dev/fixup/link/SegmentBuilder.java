package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.Segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Program headers for the laid-out sections. Without PHDRS: one PT_LOAD per run of address-ordered
 * allocated sections that share writability and VMA-LMA offset, with no bss before file data and
 * no page-sized hole inside; the first one also maps the ELF headers when they fit below its first
 * section on the same page (as ld does for 0x08048000 + SIZEOF_HEADERS); plus PT_GNU_STACK.
 * With PHDRS: the segments the script names, sections going where their `:phdr` says (a section
 * without one follows the previous section).
 */
final class SegmentBuilder {
    static final long PAGE = 0x1000;

    private SegmentBuilder() {}

    static List<Segment> build(List<OutSection> kept, LinkerScript script, long headerSize, List<String> errors) {
        List<OutSection> alloc = new ArrayList<>();
        for (OutSection os : kept) if ((os.flags() & Elf.SHF_ALLOC) != 0 && os.size > 0) alloc.add(os);
        alloc.sort((a, b) -> Long.compare(a.vma, b.vma));
        return script.phdrs.isEmpty() ? automatic(alloc, headerSize) : fromPhdrs(kept, script, headerSize, errors);
    }

    private static List<Segment> automatic(List<OutSection> alloc, long headerSize) {
        List<Segment> segs = new ArrayList<>();
        Segment cur = null;
        long end = 0, delta = 0;
        boolean lastNobits = false, writable = false;
        for (OutSection os : alloc) {
            if (os.isTlsBss()) continue; // inside the data segment's range, but it occupies nothing there
            boolean w = (os.flags() & Elf.SHF_WRITE) != 0, nobits = os.type() == Elf.SHT_NOBITS;
            long d = os.lma - os.vma;
            boolean join = cur != null && w == writable && d == delta && !(lastNobits && !nobits)
                    && os.vma >= end && os.vma - end < PAGE;
            if (!join) {
                cur = new Segment();
                cur.type = Elf.PT_LOAD;
                cur.vaddr = (int) os.vma;
                cur.paddr = (int) os.lma;
                cur.flags = Elf.PF_R;
                cur.align = (int) PAGE;
                if (segs.isEmpty()) {
                    long page = os.vma & ~(PAGE - 1);
                    if (page + headerSize <= os.vma && os.lma - os.vma + page >= 0) {
                        cur.vaddr = (int) page;
                        cur.paddr = (int) (page + d);
                    }
                }
                segs.add(cur);
                writable = w;
                delta = d;
            }
            if (w) cur.flags |= Elf.PF_W;
            if ((os.flags() & Elf.SHF_EXECINSTR) != 0) cur.flags |= Elf.PF_X;
            end = os.vma + os.size;
            cur.memsz = (int) (end - Integer.toUnsignedLong(cur.vaddr));
            lastNobits = nobits;
        }
        Segment note = span(alloc, os -> os.type() == Elf.SHT_NOTE, Elf.PT_NOTE);
        if (note != null) segs.add(note);
        Segment tls = span(alloc, os -> (os.flags() & Elf.SHF_TLS) != 0, PT_TLS);
        if (tls != null) segs.add(tls);
        Segment stack = new Segment();
        stack.type = Elf.PT_GNU_STACK;
        stack.flags = Elf.PF_R | Elf.PF_W;
        stack.align = 16;
        segs.add(stack);
        return segs;
    }

    static final int PT_TLS = 7;

    /**
     * PT_NOTE over the leading run of note sections, PT_TLS over .tdata and .tbss (file size: the
     * initialised part), as ld adds them; null when there are none.
     */
    private static Segment span(List<OutSection> alloc, java.util.function.Predicate<OutSection> member, int type) {
        long lo = -1, fileEnd = 0, memEnd = 0, align = 1;
        boolean done = false;
        for (OutSection os : alloc) {
            if (!member.test(os)) { if (lo >= 0) done = true; continue; }
            if (done) break;
            if (lo < 0) lo = os.vma;
            memEnd = Math.max(memEnd, os.vma + os.size);
            if (os.type() != Elf.SHT_NOBITS) fileEnd = Math.max(fileEnd, os.vma + os.size);
            align = Math.max(align, os.align);
        }
        if (lo < 0) return null;
        Segment s = new Segment();
        s.type = type;
        s.vaddr = s.paddr = (int) lo;
        s.filesz = (int) Math.max(0, fileEnd - lo);
        s.memsz = (int) (memEnd - lo);
        s.flags = Elf.PF_R;
        s.align = (int) align;
        return s;
    }

    private static List<Segment> fromPhdrs(List<OutSection> kept, LinkerScript script, long headerSize, List<String> errors) {
        Map<String, List<OutSection>> members = new LinkedHashMap<>();
        for (LinkerScript.PhdrSpec p : script.phdrs) members.put(p.name(), new ArrayList<>());
        List<String> current = List.of();
        for (OutSection os : kept) {
            if ((os.flags() & Elf.SHF_ALLOC) == 0) continue;
            if (!os.decl.phdrs().isEmpty()) current = os.decl.phdrs();
            for (String p : current) {
                if (!p.equals("NONE") && !members.containsKey(p)) {
                    errors.add(script.fileName + ":" + os.decl.line() + ": section `" + os.name + "' assigned to non-existent phdr `" + p + "'");
                    continue;
                }
                if (members.containsKey(p) && os.size > 0) members.get(p).add(os);
            }
        }
        List<Segment> segs = new ArrayList<>();
        ScriptExpression.Context constants = new ConstantContext();
        for (LinkerScript.PhdrSpec p : script.phdrs) {
            Segment s = new Segment();
            s.type = p.type();
            s.align = p.type() == Elf.PT_LOAD ? (int) PAGE : p.type() == Elf.PT_GNU_STACK ? 16 : 4;
            List<OutSection> m = members.get(p.name());
            m.sort((a, b) -> Long.compare(a.vma, b.vma));
            int flags = Elf.PF_R;
            if (!m.isEmpty()) {
                long lo = m.get(0).vma, lma = m.get(0).lma, hi = lo;
                for (OutSection os : m) {
                    hi = Math.max(hi, os.vma + os.size);
                    if ((os.flags() & Elf.SHF_WRITE) != 0) flags |= Elf.PF_W;
                    if ((os.flags() & Elf.SHF_EXECINSTR) != 0) flags |= Elf.PF_X;
                }
                if (p.fileHeader() && p.type() == Elf.PT_LOAD) {
                    long page = (lo - headerSize) & ~(PAGE - 1);
                    lma -= lo - page;
                    lo = page;
                }
                s.vaddr = (int) lo;
                s.paddr = (int) (p.at() != null ? p.at().eval(constants) : lma);
                s.memsz = (int) (hi - lo);
            } else if (p.type() == Elf.PT_GNU_STACK) {
                flags = Elf.PF_R | Elf.PF_W;
            }
            s.flags = p.flags() != null ? (int) p.flags().eval(constants) : flags;
            segs.add(s);
        }
        return segs;
    }

    /** PHDRS expressions (FLAGS, AT) may only use numbers here. */
    private static final class ConstantContext implements ScriptExpression.Context {
        public long dot() { return 0; }
        public Long symbol(String name) { return null; }
        public boolean defined(String name) { return false; }
        public Long sectionAddress(String name) { return null; }
        public Long sectionLoadAddress(String name) { return null; }
        public Long sectionSize(String name) { return null; }
        public long sizeofHeaders() { return 0; }
        public long fail(int line, String message) { return 0; }
    }
}
