package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random blocks of instructions with memory operands, string instructions and stack operations,
 * run here and under qemu-i386; after each block the registers, the flags (AF masked: logic and
 * shift instructions leave it undefined) and a 64-byte scratch area are compared. Only
 * instructions whose other flags are fully defined are generated, so flags may flow from one
 * instruction into the next (adc, jcc, setcc, cmov).
 */
class RandomSequenceTest {
    static final int ORIGIN = 0x200000, DONE = ORIGIN + 0x40, ENTRY = ORIGIN + 0x80;
    static final int BLOCKS = 300, LENGTH = 24, DUMP = 28 + 64;
    static final String[] R32 = {"%eax", "%ebx", "%ecx", "%edx"}, R16 = {"%ax", "%bx", "%cx", "%dx"},
            R8 = {"%al", "%bl", "%cl", "%dl", "%ah", "%bh", "%ch", "%dh"};
    static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};

    private final Random rnd = new Random(Long.getLong("fixup.seed", 20261122L));

    private String pick(String[] a) { return a[rnd.nextInt(a.length)]; }

    private String mem() { return (rnd.nextInt(60)) + "(%esi)"; }

    private String imm() {
        int[] special = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0x7fffffff, 0x80000000};
        return "$" + (rnd.nextBoolean() ? special[rnd.nextInt(special.length)] : rnd.nextInt());
    }

    private String instruction() {
        int size = rnd.nextInt(3);
        String sfx = size == 0 ? "l" : size == 1 ? "w" : "b";
        String[] regs = size == 0 ? R32 : size == 1 ? R16 : R8;
        String r = pick(regs), r2 = pick(regs), m = mem();
        String immv = imm();
        switch (rnd.nextInt(16)) {
            case 0: case 1: {
                String op = pick(new String[] {"add", "sub", "adc", "sbb", "cmp", "and", "or", "xor", "test"});
                switch (rnd.nextInt(5)) {
                    case 0: return op + sfx + " " + r + ", " + r2;
                    case 1: return op + sfx + " " + r + ", " + m;
                    case 2: return op.equals("test") ? "test" + sfx + " " + r + ", " + m : op + sfx + " " + m + ", " + r;
                    case 3: return op + sfx + " " + immv + ", " + r;
                    default: return op + sfx + " " + immv + ", " + m;
                }
            }
            case 2: return pick(new String[] {"inc", "dec", "neg", "not"}) + sfx + " " + (rnd.nextBoolean() ? r : m);
            case 3: return pick(new String[] {"shl", "shr", "sar", "rol", "ror", "rcl", "rcr"}) + sfx + " $1, " + (rnd.nextBoolean() ? r : m);
            case 4: return "mov" + sfx + " " + (rnd.nextBoolean() ? r + ", " + m : m + ", " + r);
            case 5: return "mov" + sfx + " " + immv + ", " + (rnd.nextBoolean() ? r : m);
            case 6: return pick(new String[] {"movzbl", "movsbl"}) + " " + (rnd.nextBoolean() ? pick(R8) : m) + ", " + pick(R32);
            case 7: return pick(new String[] {"movzwl", "movswl"}) + " " + (rnd.nextBoolean() ? pick(R16) : m) + ", " + pick(R32);
            case 8: return "xchg" + sfx + " " + r + ", " + m;
            case 9: return (rnd.nextBoolean() ? "xadd" : "cmpxchg") + sfx + " " + r + ", " + (rnd.nextBoolean() ? r2 : m);
            case 10: return "set" + pick(CC) + " " + (rnd.nextBoolean() ? pick(R8) : m);
            case 11: return "cmov" + pick(CC) + "l " + (rnd.nextBoolean() ? pick(R32) : m) + ", " + pick(R32);
            case 12: return pick(new String[] {"pushl " + m + "\n popl %eax", "pushl %ebx\n popl " + m, "pushw " + m + "\n popw %dx",
                "pushl " + immv + "\n popl %ecx", "leal 3(%esi,%ebx,2), %edx", "bswap " + pick(R32), "cwtl", "cltd", "clc", "stc", "cmc"});
            case 13: {
                String op = pick(new String[] {"movsb", "movsw", "movsl", "stosb", "stosl", "lodsb", "lodsl", "cmpsb", "cmpsl", "scasb", "scasw"});
                String rep = op.startsWith("cmps") || op.startsWith("scas") ? pick(new String[] {"", "repe ", "repne "})
                        : pick(new String[] {"", "rep "});
                return (rnd.nextBoolean() ? "cld" : "std") + "\n leal " + rnd.nextInt(60) + "(%ebp), %esi\n leal "
                        + rnd.nextInt(60) + "(%ebp), %edi\n movl $" + rnd.nextInt(5) + ", %ecx\n " + rep + op
                        + "\n movl %ebp, %esi\n cld";
            }
            case 14: {
                String label = "l" + rnd.nextInt(1 << 30);
                return "j" + pick(CC) + " " + label + "\n inc" + sfx + " " + r + "\n" + label + ":";
            }
            default: return "pushl %ebp\n movl %esp, %ebp\n pushl %eax\n leave\n movl %esi, %ebp";
        }
    }

    private String program() {
        StringBuilder s = new StringBuilder();
        s.append(".text\n.globl _start\n_start: movl $125, %eax\n movl $").append(ORIGIN).append(", %ebx\n movl $0x100000, %ecx\n")
                .append(" movl $7, %edx\n int $0x80\n jmp main\n.org 0x40\ndone:\n")
                .append(" movl $4, %eax\n movl $1, %ebx\n movl $dump, %ecx\n movl $").append(BLOCKS * DUMP)
                .append(", %edx\n int $0x80\n movl $1, %eax\n xorl %ebx, %ebx\n int $0x80\n")
                .append(".org 0x80\n jmp main\n.org 0x90\ndumpptr: .long dump\n.org 0xc0\nscratch: .fill 64, 1, 0\n")
                .append(".org 0x100\ndump: .fill ").append(BLOCKS * DUMP).append(", 1, 0\nmain:\n");
        for (int b = 0; b < BLOCKS; b++) {
            s.append(" movl $scratch, %ebp\n movl %ebp, %esi\n");
            for (int i = 0; i < 16; i++) s.append(" movl $").append(rnd.nextInt()).append(", ").append(4 * i).append("(%ebp)\n");
            for (String r : R32) s.append(" movl $").append(rnd.nextInt()).append(", ").append(r).append("\n");
            s.append(" movl $").append(rnd.nextInt()).append(", %edi\n pushl $").append(rnd.nextInt() & 0x8d5 | 2).append("\n popfl\n");
            for (int i = 0; i < LENGTH; i++) s.append(" ").append(instruction()).append("\n");
            s.append(" pushfl\n pushl %edi\n movl dumpptr, %edi\n movl %eax, 0(%edi)\n movl %ebx, 4(%edi)\n movl %ecx, 8(%edi)\n")
                    .append(" movl %edx, 12(%edi)\n movl %esi, 16(%edi)\n popl %eax\n movl %eax, 20(%edi)\n popl %eax\n")
                    .append(" movl %eax, 24(%edi)\n cld\n movl $scratch, %esi\n addl $28, %edi\n movl $16, %ecx\n rep movsl\n")
                    .append(" movl %edi, dumpptr\n");
        }
        s.append(" jmp done\n");
        return s.toString();
    }

    /** translate 0: every instruction in the interpreter; 1: all code runs as translated blocks. */
    @ParameterizedTest(name = "translate={0}")
    @ValueSource(ints = {0, 1})
    void randomBlocksMatchQemu(int translate) throws Exception {
                String src = program();
        byte[] expected = GuestAssembler.runUnderQemu(src, "rand");
        assertEquals(BLOCKS * DUMP, expected.length);
        Machine m = new Machine(8 << 20);
        m.cpu.setTranslateThreshold(translate);
        byte[] image = GuestAssembler.assemble(src, ORIGIN);
        m.mem.write(ORIGIN, image);
        m.cpu.setEip(ENTRY);
        m.cpu.setReg(Cpu.ESP, 0x700000);
        assertEquals(StopReason.REACHED_ADDRESS, m.cpu.runUntil(DONE, 10_000_000));
        assertTrue(translate == 0 || m.cpu.translatedBlocks() > 0, "the code ran as translated blocks");
        assertEquals(0, m.cpu.translationFailures(), "every block could be translated");
        int dumpAt = ORIGIN + 0x100;
        String[] names = {"eax", "ebx", "ecx", "edx", "esi", "edi", "eflags"};
        List<String> diffs = new ArrayList<>();
        for (int b = 0; b < BLOCKS && diffs.size() < 20; b++) {
            for (int k = 0; k < DUMP / 4; k++) {
                int ours = m.mem.read32(dumpAt + b * DUMP + 4 * k);
                int o = b * DUMP + 4 * k;
                int theirs = (expected[o] & 0xFF) | (expected[o + 1] & 0xFF) << 8 | (expected[o + 2] & 0xFF) << 16 | expected[o + 3] << 24;
                if (k == 6) {
                    ours &= 0x8c5 | 0x400;
                    theirs &= 0x8c5 | 0x400;
                }
                if (ours != theirs) {
                    diffs.add(String.format("block %d %s: ours %08x qemu %08x", b, k < 7 ? names[k] : "scratch+" + 4 * (k - 7), ours, theirs));
                }
            }
        }
        assertTrue(diffs.isEmpty(), "differences (see the block's instructions in the generated source):\n" + String.join("\n", diffs));
    }
}
