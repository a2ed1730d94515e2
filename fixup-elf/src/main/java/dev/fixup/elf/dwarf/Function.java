package dev.fixup.elf.dwarf;

import java.util.List;

/**
 * A function's code as .debug_info describes it: a subprogram, or one inlined copy of a
 * function (whose name is the inlined function's), with the address ranges it covers.
 *
 * @param order where its entry is in .debug_info, to break ties as a debugger does
 */
record Function(String name, List<long[]> ranges, int order) {}
