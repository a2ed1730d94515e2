package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Elf;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Edits the input .eh_frame sections as GNU ld does for a static executable: a CIE identical to
 * one already kept (same bytes, same relocation targets) is dropped and its FDEs point to the kept
 * one; an FDE whose function was discarded (a duplicate COMDAT copy, or --gc-sections) is dropped,
 * and so is a CIE that no FDE left uses.
 * Runs before layout, since it changes sizes; FDEs whose CIE now lies in another input section get
 * their CIE pointer after layout, when the distance is known ({@link #patch}).
 */
final class EhFrameEditor {
    /** An FDE's CIE pointer field, and the CIE it must point to, in output terms. */
    private record Pointer(InputSection fde, int field, InputSection cie, int cieOffset) {}

    private record Kept(InputSection section, int offset) {}

    private final Map<String, Kept> cies = new HashMap<>();
    private final List<Pointer> pointers = new ArrayList<>();

    /** Edits every .eh_frame input section of the link, in link order. */
    static EhFrameEditor edit(List<InputSection> sections, SymbolTable syms) {
        EhFrameEditor e = new EhFrameEditor();
        for (InputSection in : sections)
            if (!in.discarded && in.index >= 0 && in.name.equals(".eh_frame") && in.type == Elf.SHT_PROGBITS) e.edit(in, syms);
        return e;
    }

    private void edit(InputSection in, SymbolTable syms) {
        InputObject f = in.file;
        Section sec = f.elf.sections.get(in.index);
        byte[] d = sec.data;
        List<Relocation> relocs = new ArrayList<>();
        Section relSec = null;
        for (Section r : f.elf.sections) if (r.type == Elf.SHT_REL && r.info == in.index) { relSec = r; relocs = r.relocations; }
        java.util.Set<Integer> usedCies = ciesOfKeptFdes(d, f, relocs);
        if (usedCies == null) return; // not something to edit safely
        // which records stay, and where they go
        Map<Integer, Integer> newAt = new HashMap<>();           // old record start -> new start
        Map<Integer, Kept> cieOf = new HashMap<>();              // old CIE start -> the CIE kept for it
        List<int[]> order = new ArrayList<>();                   // kept records: old start, length
        int pos = 0, out = 0;
        while (pos + 4 <= d.length) {
            long len = Integer.toUnsignedLong(LittleEndian.get32(d, pos));
            if (len == 0xffffffffL || pos + 4 + len > d.length || (len != 0 && len < 4)) return; // not something to edit safely
            int total = (int) (4 + len);
            if (len == 0) { newAt.put(pos, out); order.add(new int[]{pos, total}); out += total; pos += total; continue; }
            int id = LittleEndian.get32(d, pos + 4);
            if (id == 0) {
                if (!usedCies.contains(pos)) { pos += total; continue; } // no FDE that stays uses it
                String key = cieKey(d, pos, total, relocs, f, syms);
                Kept k = cies.get(key);
                if (k != null) { cieOf.put(pos, k); pos += total; continue; }
                k = new Kept(in, out);
                cies.put(key, k);
                cieOf.put(pos, k);
            } else if (functionGone(f, relocs, pos + 8)) {
                pos += total;
                continue;
            }
            newAt.put(pos, out);
            order.add(new int[]{pos, total});
            out += total;
            pos += total;
        }
        if (out == d.length && cieOf.values().stream().allMatch(k -> k.section() == in)) return; // nothing changes
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int[] r : order) b.write(d, r[0], r[1]);
        byte[] nd = b.toByteArray();
        for (int[] r : order) {
            int oldAt = r[0], at = newAt.get(oldAt);
            if (r[1] == 4 || LittleEndian.get32(d, oldAt + 4) == 0) continue;
            Kept cie = cieOf.get(oldAt + 4 - LittleEndian.get32(d, oldAt + 4));
            if (cie == null) continue;
            if (cie.section() == in) LittleEndian.put32(nd, at + 4, at + 4 - cie.offset());
            else pointers.add(new Pointer(in, at + 4, cie.section(), cie.offset()));
        }
        List<Relocation> moved = new ArrayList<>();
        for (Relocation r : relocs) {
            Integer start = recordStart(order, r.offset);
            if (start == null) continue; // its record was dropped
            moved.add(new Relocation(newAt.get(start) + (r.offset - start), r.type, r.symbol));
        }
        if (relSec != null) { relSec.relocations.clear(); relSec.relocations.addAll(moved); }
        sec.setData(nd);
        in.size = nd.length;
    }

    /** The CIEs (by offset) that the FDEs which stay point to; null when the section does not parse. */
    private static java.util.Set<Integer> ciesOfKeptFdes(byte[] d, InputObject f, List<Relocation> relocs) {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int pos = 0; pos + 4 <= d.length; ) {
            long len = Integer.toUnsignedLong(LittleEndian.get32(d, pos));
            if (len == 0xffffffffL || pos + 4 + len > d.length || (len != 0 && len < 4)) return null;
            if (len != 0) {
                int id = LittleEndian.get32(d, pos + 4);
                if (id != 0 && !functionGone(f, relocs, pos + 8)) used.add(pos + 4 - id);
            }
            pos += (int) (4 + len);
        }
        return used;
    }

    /** After layout: the CIE pointers that cross input sections. */
    void patch() {
        for (Pointer p : pointers) {
            byte[] d = p.fde().file.elf.sections.get(p.fde().index).data;
            LittleEndian.put32(d, p.field(), (int) (p.fde().vma + p.field() - (p.cie().vma + p.cieOffset())));
        }
    }

    private static Integer recordStart(List<int[]> order, int offset) {
        for (int[] r : order) if (offset >= r[0] && offset < r[0] + r[1]) return r[0];
        return null;
    }

    /** A CIE's identity: its bytes and what its relocations refer to (a personality routine). */
    private static String cieKey(byte[] d, int pos, int total, List<Relocation> relocs, InputObject f, SymbolTable syms) {
        StringBuilder k = new StringBuilder(java.util.HexFormat.of().formatHex(d, pos + 4, pos + total));
        for (Relocation r : relocs) {
            if (r.offset < pos || r.offset >= pos + total) continue;
            Symbol s = f.elf.symbols.get(r.symbol);
            k.append('|').append(r.offset - pos).append(':').append(r.type).append(':')
                    .append(s.bind() == Elf.STB_LOCAL ? f.name + "#" + r.symbol : s.name);
        }
        return k.toString();
    }

    /** True when the FDE's pc_begin refers to a section that is not in the output. */
    private static boolean functionGone(InputObject f, List<Relocation> relocs, int pcBegin) {
        for (Relocation r : relocs) {
            if (r.offset != pcBegin || r.symbol <= 0 || r.symbol >= f.elf.symbols.size()) continue;
            Symbol s = f.elf.symbols.get(r.symbol);
            if (s.bind() != Elf.STB_LOCAL) return false;
            int sh = s.shndx;
            if (sh <= 0 || sh >= f.inputs.length) return false;
            return f.discarded[sh] || f.inputs[sh] == null || f.inputs[sh].discarded;
        }
        return false;
    }
}
