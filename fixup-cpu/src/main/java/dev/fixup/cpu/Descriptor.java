package dev.fixup.cpu;

/** Field extraction for 8-byte GDT/IDT descriptors given as their low and high dwords. */
final class Descriptor {
    private Descriptor() {}

    static int base(int lo, int hi) {
        return (lo >>> 16) | (hi & 0xFF) << 16 | (hi & 0xFF000000);
    }

    /** Limit in bytes with the granularity bit applied. */
    static int limit(int lo, int hi) {
        int raw = (lo & 0xFFFF) | (hi & 0x000F0000);
        return (hi & 0x00800000) != 0 ? raw << 12 | 0xFFF : raw;
    }

    static int access(int hi) { return (hi >>> 8) & 0xFF; }
    static boolean present(int hi) { return (hi & 0x8000) != 0; }
    static int dpl(int hi) { return (hi >>> 13) & 3; }
    /** S bit: 1 for code/data, 0 for system descriptors (TSS, gates). */
    static boolean codeOrData(int hi) { return (hi & 0x1000) != 0; }
    static boolean code(int hi) { return (hi & 0x1800) == 0x1800; }
    static boolean conforming(int hi) { return (hi & 0x1C00) == 0x1C00; }
    static boolean readableCode(int hi) { return (hi & 0x1A00) == 0x1A00; }
    static boolean writableData(int hi) { return (hi & 0x1A00) == 0x1200; }
    static boolean big(int hi) { return (hi & 0x00400000) != 0; }
    static int systemType(int hi) { return (hi >>> 8) & 0xF; }

    static int gateOffset(int lo, int hi) { return (lo & 0xFFFF) | (hi & 0xFFFF0000); }
    static int gateSelector(int lo) { return lo >>> 16; }
}
