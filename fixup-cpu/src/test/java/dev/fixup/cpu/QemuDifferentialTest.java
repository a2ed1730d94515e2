package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the same instruction sequences on this CPU and under qemu-i386 (as a Linux user program)
 * and compares EAX, EBX, EDX and the arithmetic flags after each instruction, masking only the
 * flags the Intel manual leaves undefined for that instruction.
 */
class QemuDifferentialTest {
    static final int ORIGIN = 0x200000, DONE = ORIGIN + 0x40, ENTRY = ORIGIN + 0x80, BUF = ORIGIN + 0x100;
    static final int OF = 0x800, SF = 0x80, ZF = 0x40, AF = 0x10, PF = 4, CF = 1;
    static final int ARITH = OF | SF | ZF | AF | PF | CF;

    static final int[] VALUES = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
        0x12345678, 0xdeadbeef, 0x0f0f0f09};
    static final int[] COUNTS = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33};

    /** One generated case: the instruction and the flags it leaves undefined. */
    record Case(String insn, int a, int b, int flagsIn, int undefined) {}

    private final List<Case> cases = new ArrayList<>();

    private void add(String insn, int undefined, int[] as, int[] bs) {
        for (int a : as) for (int b : bs) for (int f : new int[] {0, ARITH}) cases.add(new Case(insn, a, b, f, undefined));
    }

    private void generate() {
        String[][] sized = {{"l", "%ebx", "%eax"}, {"w", "%bx", "%ax"}, {"b", "%bl", "%al"}};
        for (String[] s : sized) {
            for (String op : new String[] {"add", "sub", "adc", "sbb", "cmp"}) add(op + s[0] + " " + s[1] + ", " + s[2], 0, VALUES, VALUES);
            for (String op : new String[] {"and", "or", "xor", "test"}) add(op + s[0] + " " + s[1] + ", " + s[2], AF, VALUES, VALUES);
            for (String op : new String[] {"inc", "dec", "neg", "not"}) add(op + s[0] + " " + s[2], 0, VALUES, new int[] {0});
            for (String op : new String[] {"shl", "shr", "sar"}) {
                add(op + s[0] + " %cl, " + s[2], -2, VALUES, COUNTS);   // -2: shift rules (see undefinedFor)
                add(op + s[0] + " $1, " + s[2], AF, VALUES, new int[] {0});
            }
            for (String op : new String[] {"rol", "ror", "rcl", "rcr"}) add(op + s[0] + " %cl, " + s[2], -3, VALUES, COUNTS);
            add("mul" + s[0] + " " + s[1], SF | ZF | AF | PF, VALUES, VALUES);
            add("imul" + s[0] + " " + s[1], SF | ZF | AF | PF, VALUES, VALUES);
        }
        add("imull %ebx, %eax", SF | ZF | AF | PF, VALUES, VALUES);
        add("imulw %bx, %ax", SF | ZF | AF | PF, VALUES, VALUES);
        add("imull $-3, %ebx, %eax", SF | ZF | AF | PF, VALUES, VALUES);
        add("imull $1000, %ebx, %eax", SF | ZF | AF | PF, VALUES, VALUES);
        add("shldl %cl, %ebx, %eax", -4, VALUES, COUNTS);
        add("shrdl %cl, %ebx, %eax", -4, VALUES, COUNTS);
        add("shldw $3, %bx, %ax", AF | OF, VALUES, VALUES);
        add("bsfl %ebx, %eax", OF | SF | AF | PF | CF, VALUES, VALUES);
        add("bsrl %ebx, %eax", OF | SF | AF | PF | CF, VALUES, VALUES);
        for (String op : new String[] {"bt", "bts", "btr", "btc"}) {
            add(op + "l %ebx, %eax", OF | SF | AF | PF, VALUES, COUNTS);
            add(op + "w $13, %ax", OF | SF | AF | PF, VALUES, new int[] {0});
        }
        add("xaddl %ebx, %eax", 0, VALUES, VALUES);
        add("cmpxchgl %ebx, %edx", 0, VALUES, VALUES);
        add("movsbl %bl, %eax", 0, new int[] {0}, VALUES);
        add("movswl %bx, %eax", 0, new int[] {0}, VALUES);
        add("movzbl %bl, %eax", 0, new int[] {0}, VALUES);
        add("movzwl %bx, %eax", 0, new int[] {0}, VALUES);
        add("cwtl", 0, VALUES, new int[] {0});
        add("cltd", 0, VALUES, new int[] {0});
        add("cbtw", 0, VALUES, new int[] {0});
        add("bswap %eax", 0, VALUES, new int[] {0});
        add("lahf", 0, VALUES, new int[] {0});
        add("sahf", 0, VALUES, new int[] {0});
        add("daa", OF, VALUES, new int[] {0});
        add("das", OF, VALUES, new int[] {0});
        add("aaa", OF | SF | ZF | PF, VALUES, new int[] {0});
        add("aas", OF | SF | ZF | PF, VALUES, new int[] {0});
        add("aam", OF | AF | CF, VALUES, new int[] {0});
        add("aad", OF | AF | CF, VALUES, new int[] {0});
        String[] cc = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
        for (String c : cc) {
            add("cmpl %ebx, %eax; set" + c + " %al", 0, VALUES, VALUES);
            add("subb %bl, %al; cmov" + c + "l %ebx, %eax", 0, VALUES, VALUES);
        }
        add("xorl %edx, %edx; divl %ebx", ARITH, VALUES, new int[] {1, 2, 0x7F, 0xFFFF, 0x80000000, 0xFFFFFFFF, 0xdeadbeef});
        add("cltd; idivl %ebx", ARITH, VALUES, new int[] {1, 2, -2, 0x7F, 0xFFFF, 0x80000000, 0xdeadbeef});
        add("xorl %edx, %edx; divw %bx", ARITH, VALUES, new int[] {0x8000, 0xFFFF});
        // DX:AX with DX >= 0x8000 and a divisor large enough for the quotient to fit (no #DE).
        add("movw $0xaea2, %dx; divw %bx", ARITH, VALUES, new int[] {0xFFFF, 0xC000, 0xAEA3});
        add("cwtd; idivw %bx", ARITH, VALUES, new int[] {3, 0x7FFF, 0x8000, 0xFFFF - 2});
        add("divb %bl", ARITH, new int[] {0, 1, 0x7F, 0xFF}, new int[] {2, 0x80, 0xFF});
        add("idivb %bl", ARITH, new int[] {0, 1, 0x7F, 0xFF}, new int[] {2, 0x7F, 0x80});
    }

    /** Flags undefined for this case (shift/rotate rules depend on the count). */
    private static int undefinedFor(Case c) {
        if (c.undefined >= 0) return c.undefined;
        String sfx = c.insn.substring(3, 4);
        int width = c.insn.startsWith("sh") && !c.insn.startsWith("shld") && !c.insn.startsWith("shrd")
                ? ("l".equals(sfx) ? 32 : "w".equals(sfx) ? 16 : 8) : 0;
        int count = c.b & 0x1F;
        switch (c.undefined) {
            case -2: // shl/shr/sar
                if (count == 0) return 0;
                int u = AF | (count == 1 ? 0 : OF);
                if (count > width) u |= CF; // 8/16-bit shifts past the width: CF undefined
                return u;
            case -3: // rotates: OF only for count 1
                return count == 1 ? 0 : count == 0 ? 0 : OF;
            default: // shld/shrd 32-bit
                if (count == 0) return 0;
                return AF | (count == 1 ? 0 : OF);
        }
    }

    private String program() {
        StringBuilder s = new StringBuilder();
        // qemu starts at _start and makes the text writable (the results buffer lives there);
        // this CPU starts at ENTRY. Both stop at done (qemu writes the buffer to stdout).
        s.append(".text\n.globl _start\n_start: movl $125, %eax\n movl $").append(ORIGIN).append(", %ebx\n movl $")
                .append(0x100 + cases.size() * 12).append(", %ecx\n movl $7, %edx\n int $0x80\n jmp main\n.org 0x40\ndone:\n")
                .append(" movl $4, %eax\n movl $1, %ebx\n movl $").append(BUF).append(", %ecx\n movl $")
                .append(cases.size() * 12).append(", %edx\n int $0x80\n movl $1, %eax\n xorl %ebx, %ebx\n int $0x80\n")
                .append(".org 0x80\n jmp main\n.org 0x100\nbuf: .fill ").append(cases.size() * 12).append(", 1, 0\nmain:\n movl $buf, %edi\n");
        for (Case c : cases) {
            s.append(" movl $").append(c.a).append(", %eax\n movl $").append(c.b).append(", %ebx\n movl %ebx, %ecx\n movl $")
                    .append(c.a ^ 0x5a5a).append(", %edx\n pushl $").append(c.flagsIn | 2).append("\n popfl\n ")
                    .append(c.insn).append("\n pushfl\n popl %ecx\n movl %eax, (%edi)\n movl %edx, 4(%edi)\n movl %ecx, 8(%edi)\n addl $12, %edi\n");
        }
        s.append(" jmp done\n");
        return s.toString();
    }

    @Test
    void arithmeticAndFlagsMatchQemu() throws Exception {
        GnuAs.assumeTools();
        assumeTrue(GnuAs.run(List.of("qemu-i386", "--version"), null), "qemu-i386 not installed: skipping differential test");
        generate();
        String src = program();
        Path dir = Files.createTempDirectory("fixup-cpu-qemu");
        byte[] expected;
        try {
            Path elf = GnuAs.linkElf(src, dir, "diff");
            Process p = new ProcessBuilder("qemu-i386", elf.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            expected = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "qemu-i386 run failed");
        } finally {
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertEquals(cases.size() * 12, expected.length);

        Machine m = new Machine(8 << 20);
        byte[] image = GnuAs.assemble(src, ORIGIN);
        m.mem.write(ORIGIN, image);
        m.cpu.setEip(ENTRY);
        m.cpu.setReg(Cpu.ESP, 0x700000);
        assertEquals(StopReason.REACHED_ADDRESS, m.cpu.runUntil(DONE, 10_000_000));

        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            int base = BUF + 12 * i;
            int eax = m.mem.read32(base), edx = m.mem.read32(base + 4), fl = m.mem.read32(base + 8);
            int qeax = le32(expected, 12 * i), qedx = le32(expected, 12 * i + 4), qfl = le32(expected, 12 * i + 8);
            int maskFlags = ARITH & ~undefinedFor(c);
            if (c.insn.contains("div")) maskFlags = 0;
            if (eax != qeax || edx != qedx || (fl & maskFlags) != (qfl & maskFlags)) {
                diffs.add(String.format("%s a=%08x b=%08x fin=%03x: eax %08x/%08x edx %08x/%08x flags %03x/%03x (mask %03x)",
                        c.insn, c.a, c.b, c.flagsIn, eax, qeax, edx, qedx, fl & ARITH, qfl & ARITH, maskFlags));
            }
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " of " + cases.size() + " cases differ (ours/qemu):\n"
                + String.join("\n", diffs.subList(0, Math.min(40, diffs.size()))));
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | b[o + 3] << 24;
    }
}
