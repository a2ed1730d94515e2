package dev.fixup.asm;

import dev.fixup.elf.Elf;

/** A symbol of the source being assembled: a label, an equate, a common block or an undefined name. */
final class AsmSymbol {
    enum Kind { UNDEFINED, LABEL, EQUATE, COMMON }

    final String name;
    /** Position in creation order: GNU as orders the symbol table by first mention. */
    final int order;
    /** Place in the output symbol table (see {@link SymbolTable#rankNow}). */
    int rank;
    boolean ranked;
    Kind kind = Kind.UNDEFINED;
    /** For LABEL: where it is. */
    Frag frag;
    int offset;
    /** For EQUATE: the value snapshot or expression it was set to. */
    Expr equate;
    /** For COMMON: size and alignment. */
    long commonSize, commonAlign;
    boolean global, weak, explicitLocal;
    int type = Elf.STT_NOTYPE;
    int visibility;
    /** .size expression, evaluated at the end. */
    Expr size;
    /** Set for numeric local labels and .L names: never in the object's symbol table. */
    boolean assemblerLocal;
    /** Referenced by a relocation (undefined symbols then become global). */
    boolean usedInReloc;
    int line;
    /** Index in the output symbol table. */
    int outIndex = -1;
    /** Non-null for a section symbol. */
    SectionBuffer section;
    /** Set to another symbol with no addend: it takes that symbol's final type and size. */
    AsmSymbol aliasOf;
    /** Defined by .equiv: may not be redefined. */
    boolean once;

    AsmSymbol(String name, int order) {
        this.name = name;
        this.order = order;
        this.assemblerLocal = name.startsWith(".L") || name.indexOf('\u0002') >= 0;
    }

    boolean isDefined() { return kind != Kind.UNDEFINED; }

    boolean isExternal() { return global || weak; }

    @Override public String toString() { return name; }
}
