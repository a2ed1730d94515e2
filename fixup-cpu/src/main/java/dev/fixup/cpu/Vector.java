package dev.fixup.cpu;

/** Exception vector numbers of the i386 (Intel SDM vol. 3, table 6-1). */
public final class Vector {
    private Vector() {}
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7,
            DF = 8, TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17;

    /** Vectors whose delivery pushes an error code. */
    public static boolean hasErrorCode(int v) {
        return v == DF || v == TS || v == NP || v == SS || v == GP || v == PF || v == AC;
    }

    /** Contributory exceptions: two in a row (or #PF then one of these) make a double fault. */
    static boolean contributory(int v) {
        return v == DE || v == TS || v == NP || v == SS || v == GP;
    }

    public static String name(int v) {
        switch (v) {
            case DE: return "#DE"; case DB: return "#DB"; case NMI: return "NMI"; case BP: return "#BP";
            case OF: return "#OF"; case BR: return "#BR"; case UD: return "#UD"; case NM: return "#NM";
            case DF: return "#DF"; case TS: return "#TS"; case NP: return "#NP"; case SS: return "#SS";
            case GP: return "#GP"; case PF: return "#PF"; case MF: return "#MF"; case AC: return "#AC";
            default: return "int " + v;
        }
    }
}
