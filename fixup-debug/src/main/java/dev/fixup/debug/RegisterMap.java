package dev.fixup.debug;

import dev.fixup.cpu.Cpu;

/**
 * gdb's i386 register numbering and the target description that announces it. The core feature
 * gdb requires for i386 ({@code org.gnu.gdb.i386.core}) holds the eight general registers in
 * encoding order (eax, ecx, edx, ebx, esp, ebp, esi, edi, which is also {@link Cpu}'s numbering),
 * eip, eflags, the six selectors, then the x87 unit: st0-st7 (10 bytes each) and eight 32-bit
 * control registers. Fixup's CPU has no x87 state yet, so those read as zeros and writes to them
 * are dropped; the description still lists them because gdb rejects an i386 core feature without.
 * Every value travels little-endian, as the target stores it.
 */
final class RegisterMap {
    static final int EIP = 8, EFLAGS = 9, FIRST_SEGMENT = 10, FIRST_ST = 16, FIRST_FPU_CONTROL = 24, COUNT = 32;

    /** Selectors in gdb's order, as Cpu's segment numbers. */
    private static final int[] SEGMENTS = {Cpu.SEG_CS, Cpu.SEG_SS, Cpu.SEG_DS, Cpu.SEG_ES, Cpu.SEG_FS, Cpu.SEG_GS};
    private static final String[] NAMES = {
        "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
        "cs", "ss", "ds", "es", "fs", "gs",
        "st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7",
        "fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};

    private RegisterMap() {}

    static int size(int n) {
        return n >= FIRST_ST && n < FIRST_FPU_CONTROL ? 10 : 4;
    }

    /** The whole register file as the {@code g} reply carries it. */
    static String readAll(Cpu cpu) {
        StringBuilder s = new StringBuilder();
        for (int n = 0; n < COUNT; n++) s.append(read(cpu, n));
        return s.toString();
    }

    /** One register as hex, or null if gdb's number is not one of ours. */
    static String read(Cpu cpu, int n) {
        if (n < 0 || n >= COUNT) return null;
        if (n >= FIRST_ST) return "00".repeat(size(n)); // no x87 state yet
        return littleEndian(value(cpu, n));
    }

    private static int value(Cpu cpu, int n) {
        if (n < EIP) return cpu.reg(n);
        if (n == EIP) return cpu.getEip();
        if (n == EFLAGS) return cpu.getEflags();
        return cpu.segment(SEGMENTS[n - FIRST_SEGMENT]).selector();
    }

    /**
     * Writes one register from hex. A selector gdb changes is loaded from the GDT as a boot-time
     * load does; if the selector is unusable the CPU keeps the old one and this returns false.
     */
    static boolean write(Cpu cpu, int n, String hex) {
        if (n < 0 || n >= COUNT || hex.length() != 2 * size(n)) return false;
        if (n >= FIRST_ST) return true; // x87 registers: accepted and dropped until the unit exists
        int v = fromLittleEndian(hex);
        if (n < EIP) cpu.setReg(n, v);
        else if (n == EIP) cpu.setEip(v);
        else if (n == EFLAGS) cpu.setEflags(v);
        else if ((v & 0xFFFF) != value(cpu, n)) {
            try {
                cpu.setSegment(SEGMENTS[n - FIRST_SEGMENT], v & 0xFFFF);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /** The {@code G} packet: every register in order; false if its length is wrong. */
    static boolean writeAll(Cpu cpu, String hex) {
        int at = 0;
        for (int n = 0; n < COUNT; n++) {
            int len = 2 * size(n);
            if (at + len > hex.length()) return false;
            write(cpu, n, hex.substring(at, at + len));
            at += len;
        }
        return at == hex.length();
    }

    static String littleEndian(int v) {
        return PacketCodec.hex(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    static int fromLittleEndian(String hex) {
        byte[] b = PacketCodec.unhex(hex);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** The target description served as {@code target.xml}: exactly the registers above, in that order. */
    static String targetXml() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        x.append("  <architecture>i386</architecture>\n");
        x.append("  <feature name=\"org.gnu.gdb.i386.core\">\n");
        x.append("    <flags id=\"i386_eflags\" size=\"4\">\n");
        String[] flagBits = {"CF", "0", "", "1", "PF", "2", "AF", "4", "ZF", "6", "SF", "7", "TF", "8", "IF", "9",
            "DF", "10", "OF", "11", "NT", "14", "RF", "16", "VM", "17", "AC", "18", "VIF", "19", "VIP", "20", "ID", "21"};
        for (int i = 0; i < flagBits.length; i += 2) {
            x.append(String.format("      <field name=\"%s\" start=\"%s\" end=\"%s\"/>\n", flagBits[i], flagBits[i + 1], flagBits[i + 1]));
        }
        x.append("    </flags>\n");
        for (int n = 0; n < COUNT; n++) {
            x.append(String.format("    <reg name=\"%s\" bitsize=\"%d\" type=\"%s\" regnum=\"%d\"%s/>\n",
                    NAMES[n], 8 * size(n), type(n), n, n >= FIRST_ST ? " group=\"float\"" : ""));
        }
        x.append("  </feature>\n</target>\n");
        return x.toString();
    }

    private static String type(int n) {
        if (n == Cpu.ESP || n == Cpu.EBP) return "data_ptr";
        if (n == EIP) return "code_ptr";
        if (n == EFLAGS) return "i386_eflags";
        if (n >= FIRST_ST && n < FIRST_FPU_CONTROL) return "i387_ext";
        return "int32";
    }
}
