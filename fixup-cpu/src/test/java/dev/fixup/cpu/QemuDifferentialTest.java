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
import dev.fixup.x86.Op;
import dev.fixup.x86.UndefinedFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * One generated case. The flags it may leave undefined come from the shared table
     * {@link UndefinedFlags}, for {@code op} at {@code size} bytes; {@code count} is the shift or
     * rotate count, or -1 when the count is the second value {@code b} (held in %cl).
     */
    record Case(String insn, int a, int b, int flagsIn, Op op, int size, int count) {}

    private final List<Case> cases = new ArrayList<>();

    private void add(String insn, Op op, int size, int count, int[] as, int[] bs) {
        for (int a : as) for (int b : bs) for (int f : new int[] {0, ARITH}) cases.add(new Case(insn, a, b, f, op, size, count));
    }

    private void add(String insn, Op op, int size, int[] as, int[] bs) {
        add(insn, op, size, 0, as, bs);
    }

    private void generate() {
        String[][] sized = {{"l", "%ebx", "%eax", "4"}, {"w", "%bx", "%ax", "2"}, {"b", "%bl", "%al", "1"}};
        for (String[] s : sized) {
            int size = Integer.parseInt(s[3]);
            for (String op : new String[] {"add", "sub", "adc", "sbb", "cmp", "and", "or", "xor", "test"})
                add(op + s[0] + " " + s[1] + ", " + s[2], Op.valueOf(op.toUpperCase()), size, VALUES, VALUES);
            for (String op : new String[] {"inc", "dec", "neg", "not"})
                add(op + s[0] + " " + s[2], Op.valueOf(op.toUpperCase()), size, VALUES, new int[] {0});
            for (String op : new String[] {"shl", "shr", "sar"}) {
                add(op + s[0] + " %cl, " + s[2], Op.valueOf(op.toUpperCase()), size, -1, VALUES, COUNTS);
                add(op + s[0] + " $1, " + s[2], Op.valueOf(op.toUpperCase()), size, 1, VALUES, new int[] {0});
            }
            for (String op : new String[] {"rol", "ror", "rcl", "rcr"})
                add(op + s[0] + " %cl, " + s[2], Op.valueOf(op.toUpperCase()), size, -1, VALUES, COUNTS);
            for (String op : new String[] {"rol", "ror"})
                add(op + s[0] + " $7, " + s[2], Op.valueOf(op.toUpperCase()), size, 7, VALUES, new int[] {0});
            add("mul" + s[0] + " " + s[1], Op.MUL, size, VALUES, VALUES);
            add("imul" + s[0] + " " + s[1], Op.IMUL1, size, VALUES, VALUES);
        }
        add("imull %ebx, %eax", Op.IMUL2, 4, VALUES, VALUES);
        add("imulw %bx, %ax", Op.IMUL2, 2, VALUES, VALUES);
        add("imull $-3, %ebx, %eax", Op.IMUL3, 4, VALUES, VALUES);
        add("imull $1000, %ebx, %eax", Op.IMUL3, 4, VALUES, VALUES);
        add("shldl %cl, %ebx, %eax", Op.SHLD, 4, -1, VALUES, COUNTS);
        add("shrdl %cl, %ebx, %eax", Op.SHRD, 4, -1, VALUES, COUNTS);
        add("shldw $3, %bx, %ax", Op.SHLD, 2, 3, VALUES, VALUES);
        add("bsfl %ebx, %eax", Op.BSF, 4, VALUES, VALUES);
        add("bsrl %ebx, %eax", Op.BSR, 4, VALUES, VALUES);
        for (String op : new String[] {"bt", "bts", "btr", "btc"}) {
            add(op + "l %ebx, %eax", Op.valueOf(op.toUpperCase()), 4, VALUES, COUNTS);
            add(op + "w $13, %ax", Op.valueOf(op.toUpperCase()), 2, VALUES, new int[] {0});
        }
        add("xaddl %ebx, %eax", Op.XADD, 4, VALUES, VALUES);
        add("cmpxchgl %ebx, %edx", Op.CMPXCHG, 4, VALUES, VALUES);
        for (String move : new String[] {"movsbl %bl, %eax", "movswl %bx, %eax", "movzbl %bl, %eax", "movzwl %bx, %eax"})
            add(move, Op.MOV, 4, new int[] {0}, VALUES);
        for (String move : new String[] {"cwtl", "cltd", "cbtw", "bswap %eax"}) add(move, Op.MOV, 4, VALUES, new int[] {0});
        for (String op : new String[] {"lahf", "sahf", "daa", "das", "aaa", "aas", "aam", "aad"})
            add(op, Op.valueOf(op.toUpperCase()), 1, VALUES, new int[] {0});
        String[] cc = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
        for (String c : cc) {
            add("cmpl %ebx, %eax; set" + c + " %al", Op.CMP, 4, VALUES, VALUES);
            add("subb %bl, %al; cmov" + c + "l %ebx, %eax", Op.SUB, 1, VALUES, VALUES);
        }
        add("xorl %edx, %edx; divl %ebx", Op.DIV, 4, VALUES, new int[] {1, 2, 0x7F, 0xFFFF, 0x80000000, 0xFFFFFFFF, 0xdeadbeef});
        add("cltd; idivl %ebx", Op.IDIV, 4, VALUES, new int[] {1, 2, -2, 0x7F, 0xFFFF, 0x80000000, 0xdeadbeef});
        add("xorl %edx, %edx; divw %bx", Op.DIV, 2, VALUES, new int[] {0x8000, 0xFFFF});
        // DX:AX with DX >= 0x8000 and a divisor large enough for the quotient to fit (no #DE).
        add("movw $0xaea2, %dx; divw %bx", Op.DIV, 2, VALUES, new int[] {0xFFFF, 0xC000, 0xAEA3});
        add("cwtd; idivw %bx", Op.IDIV, 2, VALUES, new int[] {3, 0x7FFF, 0x8000, 0xFFFF - 2});
        add("divb %bl", Op.DIV, 1, new int[] {0, 1, 0x7F, 0xFF}, new int[] {2, 0x80, 0xFF});
        add("idivb %bl", Op.IDIV, 1, new int[] {0, 1, 0x7F, 0xFF}, new int[] {2, 0x7F, 0x80});
    }

    /** Flags the manual leaves undefined for this case, from the one shared table. */
    private static int undefinedFor(Case c) {
        return UndefinedFlags.of(c.op, c.size, c.count < 0 ? c.b : c.count, -1).undefined();
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

    /** translate 0: every instruction in the interpreter; 1: all code runs as translated blocks. */
    @ParameterizedTest(name = "translate={0}")
    @ValueSource(ints = {0, 1})
    void arithmeticAndFlagsMatchQemu(int translate) throws Exception {
                generate();
        String src = program();
        byte[] expected = GuestAssembler.runUnderQemu(src, "diff");
        assertEquals(cases.size() * 12, expected.length);

        Machine m = new Machine(8 << 20);
        m.cpu.setTranslateThreshold(translate);
        byte[] image = GuestAssembler.assemble(src, ORIGIN);
        m.mem.write(ORIGIN, image);
        m.cpu.setEip(ENTRY);
        m.cpu.setReg(Cpu.ESP, 0x700000);
        assertEquals(StopReason.REACHED_ADDRESS, m.cpu.runUntil(DONE, 10_000_000));
        assertTrue(translate == 0 || m.cpu.translatedBlocks() > 0, "the code ran as translated blocks");
        assertEquals(0, m.cpu.translationFailures(), "every block could be translated");

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
