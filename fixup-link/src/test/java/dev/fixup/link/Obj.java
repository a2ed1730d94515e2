package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.List;

/** Builds small relocatable objects by hand, so linker tests need no assembler. */
final class Obj {
    static final int AX = Elf.SHF_ALLOC | Elf.SHF_EXECINSTR, A = Elf.SHF_ALLOC, WA = Elf.SHF_ALLOC | Elf.SHF_WRITE;

    final ElfFile f = new ElfFile();
    private final List<Symbol> globals = new ArrayList<>();

    Obj section(String name, int flags, byte... data) {
        Section s = new Section(name, Elf.SHT_PROGBITS, flags);
        s.setData(data);
        s.addralign = 4;
        f.sections.add(s);
        return this;
    }

    Obj bss(String name, int size) {
        Section s = new Section(name, Elf.SHT_NOBITS, WA);
        s.size = size;
        s.addralign = 4;
        f.sections.add(s);
        return this;
    }

    Obj align(String section, int a) { f.section(section).addralign = a; return this; }

    int index(String section) {
        Section s = f.section(section);
        if (s == null) throw new IllegalArgumentException(section);
        return f.indexOf(s);
    }

    Obj global(String name, String section, int value) { return sym(name, section, value, 0, Elf.STB_GLOBAL, Elf.STT_NOTYPE); }
    Obj func(String name, String section, int value, int size) { return sym(name, section, value, size, Elf.STB_GLOBAL, Elf.STT_FUNC); }
    Obj weak(String name, String section, int value) { return sym(name, section, value, 0, Elf.STB_WEAK, Elf.STT_NOTYPE); }
    Obj local(String name, String section, int value) {
        f.symbols.add(new Symbol(name, value, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_NOTYPE), index(section)));
        return this;
    }

    Obj sym(String name, String section, int value, int size, int bind, int type) {
        globals.add(new Symbol(name, value, size, Elf.stInfo(bind, type), section == null ? Elf.SHN_UNDEF : index(section)));
        return this;
    }

    Obj undef(String name) { globals.add(new Symbol(name, 0, 0, Elf.stInfo(Elf.STB_GLOBAL, Elf.STT_NOTYPE), Elf.SHN_UNDEF)); return this; }
    Obj undefWeak(String name) { globals.add(new Symbol(name, 0, 0, Elf.stInfo(Elf.STB_WEAK, Elf.STT_NOTYPE), Elf.SHN_UNDEF)); return this; }
    Obj common(String name, int size, int align) { globals.add(new Symbol(name, align, size, Elf.stInfo(Elf.STB_GLOBAL, Elf.STT_OBJECT), Elf.SHN_COMMON)); return this; }
    Obj abs(String name, int value) { globals.add(new Symbol(name, value, 0, Elf.stInfo(Elf.STB_GLOBAL, Elf.STT_NOTYPE), Elf.SHN_ABS)); return this; }

    /** A relocation against a named symbol (a global, or a local added before) or, with "#.sec", that section's symbol. */
    Obj reloc(String section, int offset, int type, String symbol) {
        finishSymbols();
        int si;
        if (symbol.startsWith("#")) {
            int sh = index(symbol.substring(1));
            si = -1;
            for (int i = 1; i < f.symbols.size(); i++)
                if (f.symbols.get(i).type() == Elf.STT_SECTION && f.symbols.get(i).shndx == sh) si = i;
            if (si < 0) throw new IllegalStateException("add section symbols first: sectionSymbol()");
        } else {
            si = -1;
            for (int i = 1; i < f.symbols.size(); i++) if (f.symbols.get(i).name.equals(symbol)) si = i;
            if (si < 0) throw new IllegalArgumentException(symbol);
        }
        String relName = ".rel" + section;
        Section rel = f.section(relName);
        if (rel == null) {
            rel = new Section(relName, Elf.SHT_REL, Elf.SHF_INFO_LINK);
            rel.info = index(section);
            f.sections.add(rel);
        }
        rel.relocations.add(new Relocation(offset, type, si));
        return this;
    }

    Obj sectionSymbol(String section) {
        f.symbols.add(new Symbol("", 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_SECTION), index(section)));
        return this;
    }

    private void finishSymbols() {
        f.symbols.addAll(globals);
        globals.clear();
    }

    ElfFile elf() { finishSymbols(); return f; }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
