package dev.fixup.asm;

import dev.fixup.elf.Elf;
import java.util.ArrayList;
import java.util.List;

/** One output section while it is being assembled: its attributes and its frags. */
final class SectionBuffer {
    final String name;
    int type;
    int flags;
    int entsize;
    /** Largest alignment requested in the section (sh_addralign). */
    int align = 1;
    final List<Frag> frags = new ArrayList<>();
    Frag current;
    AsmSymbol symbol;
    /** The section group (flag G) this section belongs to, by its signature symbol's name; null if none. */
    String group;
    /** The group is a COMDAT one (linkage "comdat"): the linker keeps one copy of each signature. */
    boolean comdat;
    /** Subsection 1, where GNU as allocates .lcomm blocks: laid out after everything else. */
    private final List<Frag> subsection1 = new ArrayList<>();

    /** The frag being filled in subsection 1, aligned first (an alignment tail on its predecessor). */
    Frag subsection1(int alignBytes) {
        if (subsection1.isEmpty()) subsection1.add(new Frag(this, -1));
        Frag f = subsection1.get(subsection1.size() - 1);
        if (alignBytes > 1) {
            f.tail = Frag.Tail.ALIGN;
            f.alignBytes = alignBytes;
            f.alignFill = new byte[1];
            f = new Frag(this, -1);
            subsection1.add(f);
        }
        return f;
    }

    /** Puts subsection 1 after subsection 0, once parsing is over. */
    void joinSubsections() {
        frags.addAll(subsection1);
        subsection1.clear();
    }

    SectionBuffer(String name, int type, int flags, int entsize) {
        this.name = name;
        this.type = type;
        this.flags = flags;
        this.entsize = entsize;
        current = new Frag(this, 0);
        frags.add(current);
    }

    boolean isCode() { return (flags & Elf.SHF_EXECINSTR) != 0; }

    boolean isNobits() { return type == Elf.SHT_NOBITS; }

    /** Ends the current frag (after its variable tail was set) and starts a new one. */
    Frag newFrag() {
        current = new Frag(this, frags.size());
        frags.add(current);
        return current;
    }

    int size() {
        Frag last = frags.get(frags.size() - 1);
        return last.end();
    }

    void recordAlignment(int bytes) { if (bytes > align) align = bytes; }

    /**
     * Fixup's bound on the contents of an object (all sections together) and on an alignment: 256 MiB.
     * GNU as goes up to 4 GiB per section, writing files that large; Fixup holds the object in memory,
     * so it refuses with a clear error instead.
     */
    static final long MAX_SIZE = 1L << 28;

    /** The bytes in this section's frags so far (variable tails not counted until the layout). */
    long bytes() {
        long n = 0;
        for (Frag f : frags) n += f.size;
        for (Frag f : subsection1) n += f.size;
        return n;
    }

    static AsmError tooLarge(String section) {
        return new AsmError("section `" + section + "' would grow beyond " + MAX_SIZE + " bytes, Fixup's limit for an object");
    }
}
