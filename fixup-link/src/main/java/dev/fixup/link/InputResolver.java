package dev.fixup.link;

import dev.fixup.elf.ArArchive;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which objects take part in the link, as GNU ld does: every object named on the command
 * line, and from each archive, in command-line order, the members that define a symbol still
 * undefined when the archive is reached (scanning its index again until nothing more is pulled).
 * Archives between {@code --start-group} and {@code --end-group} are rescanned as a whole until
 * none of them adds a member. Weak references do not pull members.
 */
final class InputResolver {
    /** One command-line item. */
    sealed interface Item permits ObjectItem, ArchiveItem, GroupStart, GroupEnd {}
    record ObjectItem(LinkInput input) implements Item {}
    record ArchiveItem(String name, ArArchive archive) implements Item {}
    record GroupStart() implements Item {}
    record GroupEnd() implements Item {}

    /** Why a member was pulled, for the map file: member, the file that referred to it, the symbol. */
    record Pulled(String member, String by, String symbol) {}

    final List<LinkInput> loaded = new ArrayList<>();
    final List<Pulled> pulled = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    private final Set<String> defined = new HashSet<>();
    /** Undefined strong references, with the first file that made each. */
    private final java.util.Map<String, String> undefined = new java.util.LinkedHashMap<>();

    InputResolver(Set<String> alreadyDefined, List<String> initiallyUndefined) {
        defined.addAll(alreadyDefined);
        for (String u : initiallyUndefined) if (!defined.contains(u)) undefined.put(u, "command line");
    }

    void resolve(List<Item> items) {
        List<ArchiveItem> group = null;
        for (Item it : items) {
            if (it instanceof ObjectItem o) addObject(o.input());
            else if (it instanceof ArchiveItem a) {
                if (!a.archive().hasIndex() && !a.archive().members().isEmpty())
                    errors.add(a.name() + ": error adding symbols: archive has no index; run ranlib to add one");
                else if (group != null) group.add(a);
                else scan(List.of(a));
            } else if (it instanceof GroupStart) {
                if (group != null) errors.add("may not nest groups (--help for usage)");
                group = new ArrayList<>();
            } else {
                if (group == null) errors.add("group ended before it began (--help for usage)");
                else scan(group);
                group = null;
            }
        }
        if (group != null) scan(group); // ld closes an unterminated group at the end of the command line
    }

    private final Map<ArArchive, boolean[]> taken = new java.util.IdentityHashMap<>();

    /** Pulls members of these archives until a whole pass over all of them pulls nothing. */
    private void scan(List<ArchiveItem> archives) {
        boolean progress = true;
        while (progress && errors.isEmpty()) {
            progress = false;
            for (ArchiveItem a : archives) {
                boolean[] done = taken.computeIfAbsent(a.archive(), x -> new boolean[x.members().size()]);
                boolean again = true;
                while (again) {
                    again = false;
                    for (Map.Entry<String, Integer> e : a.archive().symbolIndex().entrySet()) {
                        int m = e.getValue();
                        String by = undefined.get(e.getKey());
                        if (by == null || done[m]) continue;
                        done[m] = true;
                        ArArchive.Member member = a.archive().members().get(m);
                        String name = a.name() + "(" + member.name() + ")";
                        pulled.add(new Pulled(name, by, e.getKey()));
                        try {
                            addObject(new LinkInput(name, ElfReader.read(member.data())));
                        } catch (ElfFormatException ex) {
                            errors.add(name + ": " + ex.getMessage());
                            return;
                        }
                        again = progress = true;
                    }
                }
            }
            if (archives.size() == 1) break; // a lone archive was scanned to its fixed point above
        }
    }

    private void addObject(LinkInput in) {
        loaded.add(in);
        ElfFile f = in.file();
        for (int i = 1; i < f.symbols.size(); i++) {
            Symbol s = f.symbols.get(i);
            if (s.bind() == Elf.STB_LOCAL || s.name.isEmpty()) continue;
            if (s.shndx != Elf.SHN_UNDEF) {
                defined.add(s.name);
                undefined.remove(s.name);
            } else if (s.bind() != Elf.STB_WEAK && !defined.contains(s.name)) {
                undefined.putIfAbsent(s.name, in.name());
            }
        }
    }

    /** Names still undefined after every input was seen (strong references only). */
    Set<String> stillUndefined() { return new LinkedHashSet<>(undefined.keySet()); }
}
