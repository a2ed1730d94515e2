package dev.fixup.elf.dwarf;

import java.util.List;

/**
 * One compilation unit as a line lookup needs it: the code it covers (empty when its entry does
 * not say), its line table (null without DW_AT_stmt_list), its functions and its variables with
 * static addresses.
 */
record CompileUnit(List<long[]> ranges, LineTable lines, FunctionIndex functions, List<Variable> variables) {
    /** A variable at a fixed address, and the file (DW_AT_decl_file) and line it is declared at. */
    record Variable(long address, int file, int line) {}

    /** The variable that starts exactly at address, or null. */
    Variable variable(long address) {
        for (Variable v : variables) if (v.address() == address) return v;
        return null;
    }

    boolean mayContain(long address) {
        if (ranges.isEmpty()) return true;
        for (long[] r : ranges) if (address >= r[0] && address < r[1]) return true;
        return false;
    }

    /** The innermost function covering address: the smallest range, the later entry of two as large. */
    Function function(long address) {
        return functions.at(address);
    }
}
