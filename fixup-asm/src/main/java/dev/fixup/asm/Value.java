package dev.fixup.asm;

/**
 * The value of an expression: constant + add - sub, where add and sub are symbols or locations. A
 * relocatable value has only add; a value with sub in the section being written is PC-relative.
 */
record Value(long constant, Term add, Term sub) {
    /** A symbol and/or a location: frag is null for undefined and common symbols. */
    record Term(AsmSymbol symbol, Frag frag, int offset) {
        boolean located() { return frag != null; }

        SectionBuffer section() { return frag == null ? null : frag.section; }

        long address() { return frag.address + offset; }

        boolean sameAs(Term o) {
            if (located() && o.located()) return frag == o.frag && offset == o.offset;
            return symbol != null && symbol == o.symbol;
        }
    }

    static Value of(long c) { return new Value(c, null, null); }

    boolean isConstant() { return add == null && sub == null; }

    Value plus(long d) { return new Value(constant + d, add, sub); }
}
