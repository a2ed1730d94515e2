package dev.fixup.link;

import dev.fixup.elf.Elf;

import java.util.ArrayList;
import java.util.List;

/** An output section being laid out: its script statement, its members, and its computed place. */
final class OutSection {
    final String name;
    final LinkerScript.OutputSection decl;
    /** Members per item of decl.items() (same index; null for items that are not input specs). */
    final List<List<InputSection>> members = new ArrayList<>();
    final boolean orphan;
    long vma, lma, size, align = 1;
    /** Byte-data statements placed this pass: offset in section, size, value. */
    final List<long[]> data = new ArrayList<>();
    /** Defines a symbol or holds BYTE/LONG data: kept in the output even when empty. */
    boolean hasAssignments;
    int outIndex = -1;

    OutSection(LinkerScript.OutputSection decl, boolean orphan) {
        this.name = decl.name();
        this.decl = decl;
        this.orphan = orphan;
        for (int i = 0; i < decl.items().size(); i++) {
            members.add(decl.items().get(i) instanceof LinkerScript.InputSpec ? new ArrayList<>() : null);
            // like ld, a section is kept when it defines a symbol or holds data, even if empty
            // (a PROVIDE alone does not keep it: ld drops an empty .preinit_array that only provides its bounds)
            if ((decl.items().get(i) instanceof LinkerScript.Assignment a && !a.isDot() && !a.provide()) || decl.items().get(i) instanceof LinkerScript.Data)
                hasAssignments = true;
        }
    }

    List<InputSection> allMembers() {
        List<InputSection> r = new ArrayList<>();
        for (List<InputSection> m : members) if (m != null) r.addAll(m);
        return r;
    }

    boolean isEmpty() { return allMembers().isEmpty() && !hasAssignments; }

    /** .tbss: thread-local bss, which takes no room in the address space of the image. */
    boolean isTlsBss() { return (flags() & Elf.SHF_TLS) != 0 && type() == Elf.SHT_NOBITS; }

    /** A GNU extension: the section is a --gc-sections root; ld keeps the flag on the output section. */
    static final int SHF_GNU_RETAIN = 0x200000;

    int flags() {
        int f = Elf.SHF_ALLOC;
        for (InputSection s : allMembers()) f |= s.flags & (Elf.SHF_WRITE | Elf.SHF_EXECINSTR | Elf.SHF_ALLOC | Elf.SHF_TLS | SHF_GNU_RETAIN);
        if (allMembers().isEmpty() && hasAssignments && !decl.noload()) {
            // a section holding only symbols/data: give it the rights its name suggests
            if (name.startsWith(".text")) f |= Elf.SHF_EXECINSTR;
            else if (!name.startsWith(".rodata")) f |= Elf.SHF_WRITE;
        }
        return f;
    }

    int type() {
        if (decl.noload()) return Elf.SHT_NOBITS;
        List<InputSection> all = allMembers();
        if (all.isEmpty()) return decl.items().stream().anyMatch(i -> i instanceof LinkerScript.Data) ? Elf.SHT_PROGBITS
                : hasAssignments ? Elf.SHT_PROGBITS : Elf.SHT_NOBITS;
        boolean allNobits = all.stream().allMatch(InputSection::isNobits);
        if (allNobits && data.isEmpty()) return Elf.SHT_NOBITS;
        int t = all.get(0).type;
        for (InputSection s : all) if (s.type != t) return Elf.SHT_PROGBITS;
        return t == Elf.SHT_NOBITS ? Elf.SHT_PROGBITS : t;
    }

    /** Orphan placement class: code, read-only data, data, bss. */
    int kind() {
        List<InputSection> all = allMembers();
        if (!all.isEmpty()) return kindOf(flags(), type());
        if (name.startsWith(".text") || name.equals(".init") || name.equals(".fini")) return 0;
        if (name.startsWith(".init_array") || name.startsWith(".fini_array")) return 2;
        if (name.startsWith(".rodata") || name.startsWith(".eh_frame")) return 1;
        if (name.startsWith(".bss") || name.startsWith(".sbss")) return 3;
        if (name.startsWith(".data")) return 2;
        return -1;
    }

    static int kindOf(int flags, int type) {
        if ((flags & Elf.SHF_EXECINSTR) != 0) return 0;
        if ((flags & Elf.SHF_WRITE) == 0) return 1;
        return type == Elf.SHT_NOBITS ? 3 : 2;
    }

    @Override public String toString() { return name; }
}
