package dev.fixup.debug;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.InstructionHook;
import dev.fixup.cpu.UnmappedAddressException;
import dev.fixup.x86.CodeFetcher;
import dev.fixup.x86.Decoder;
import dev.fixup.x86.Disassembler;
import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.Symbolizer;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * qemu's per-block logs: {@code in_asm} (a block's disassembly the first time it is seen, under
 * {@code IN: symbol}), {@code exec} (a {@code Trace} line each time a block starts) and {@code cpu}
 * (the register dump before each block), in qemu-i386 7.x's layout.
 *
 * <p>Blocks are formed as QEMU's translator forms them: a block ends after a control transfer
 * (jumps, calls, returns, int, iret, sysenter), after an instruction that changes what the next
 * ones mean (mov to a segment or control register, popf, sti, cli, hlt, lgdt/lidt/ltr), before
 * an instruction that starts on another page, or when execution does not fall through (a fault
 * or an interrupt took the CPU elsewhere). The instruction text is objdump's AT&T syntax (what
 * {@code fixup objdump -d} prints), where qemu's comes from Capstone; the columns are qemu's.
 * The {@code Trace} line's host pointer is an index of the block (Fixup has no host code per
 * block); its flags are QEMU's TB flags that Fixup's state has: CPL, CS32, SS32, PE, CR0's MP/EM/TS
 * and EFLAGS's TF, IOPL, RF, AC.
 *
 * <p>Installed as the CPU's {@link InstructionHook}, so translated blocks are off while it runs.
 */
public final class QemuExecLog implements InstructionHook {
    private final PrintStream out;
    private final boolean inAsm, exec, cpuState;
    private final IntFunction<String> symbols;
    /** Block start (linear, with the physical page and code size folded in) -> its index. */
    private final Map<Long, Integer> seen = new HashMap<>();
    private int nextEip = -1;
    private boolean blockEnded = true;
    private final Insn insn = new Insn();

    public QemuExecLog(PrintStream out, boolean inAsm, boolean exec, boolean cpuState, IntFunction<String> symbols) {
        this.out = out;
        this.inAsm = inAsm;
        this.exec = exec;
        this.cpuState = cpuState;
        this.symbols = symbols == null ? a -> null : symbols;
    }

    @Override
    public void beforeInstruction(Cpu cpu, int eip) {
        boolean newBlock = blockEnded || eip != nextEip;
        boolean code32 = cpu.segment(Cpu.SEG_CS).big();
        int linear = cpu.segment(Cpu.SEG_CS).base() + eip;
        Integer length = decode(cpu, linear, code32);
        if (length == null) { // unreadable: the fetch faults; the next instruction starts a block
            blockEnded = true;
            return;
        }
        boolean ends = endsBlock(insn.op) || ((linear ^ (linear + length)) & ~0xFFF) != 0 || hostCall(cpu, linear);
        if (newBlock) startBlock(cpu, eip, linear, code32);
        nextEip = eip + length;
        blockEnded = ends;
    }

    private void startBlock(Cpu cpu, int eip, int linear, boolean code32) {
        long phys = cpu.translate(linear);
        long key = (phys << 1 | (code32 ? 1 : 0)) ^ ((long) linear << 33);
        Integer index = seen.get(key);
        StringBuilder s = new StringBuilder();
        if (index == null) {
            index = seen.size();
            seen.put(key, index);
            if (inAsm) disassembleBlock(cpu, linear, code32, s);
        }
        if (exec) {
            String sym = symbols.apply(linear);
            s.append(String.format("Trace 0: 0x%012x [%08x/%08x/%08x/%08x] %s%n", 0x7f0000000000L + 0x100L * index,
                    cpu.segment(Cpu.SEG_CS).base(), eip, tbFlags(cpu), 0, sym == null ? "" : sym));
        }
        if (cpuState) QemuIntLog.registers(cpu, eip, s);
        out.print(s);
        out.flush();
    }

    /** "----------------", "IN: symbol", one line per instruction, a blank line. */
    private void disassembleBlock(Cpu cpu, int linear, boolean code32, StringBuilder s) {
        String sym = symbols.apply(linear);
        s.append("----------------").append(System.lineSeparator());
        s.append("IN: ").append(sym == null ? "" : sym).append(System.lineSeparator());
        if (hostCall(cpu, linear)) { // Java code stands behind this address: nothing to disassemble
            s.append(String.format("0x%08x:  (host call: the kernel's Java code)%n%n", linear));
            return;
        }
        int at = linear;
        for (int n = 0; n < 512; n++) {
            Integer len = decode(cpu, at, code32);
            if (len == null) break;
            StringBuilder bytes = new StringBuilder();
            for (int i = 0; i < len; i++) bytes.append(i > 0 ? " " : "").append(String.format("%02x", cpu.readLinear8(at + i)));
            String text = Disassembler.format(insn, at, Symbolizer.NONE);
            int gap = text.indexOf(' ');
            String mnemonic = gap < 0 ? text : text.substring(0, gap);
            String operands = gap < 0 ? "" : text.substring(gap).strip();
            s.append(String.format("0x%08x:  %-24s %-8s %s", at, bytes, mnemonic, operands).stripTrailing()).append(System.lineSeparator());
            Op op = insn.op;
            int next = at + len;
            if (endsBlock(op) || ((at ^ next) & ~0xFFF) != 0) break;
            at = next;
        }
        s.append(System.lineSeparator());
    }

    private static boolean hostCall(Cpu cpu, int linear) {
        long pa = cpu.translate(linear);
        return pa >= 0 && cpu.machine().isHostCallPage((int) pa);
    }

    /** Decodes the instruction at a linear address into {@link #insn}: its length, or null if its bytes are not mapped. */
    private Integer decode(Cpu cpu, int linear, boolean code32) {
        CodeFetcher f = a -> cpu.readLinear8(a);
        try {
            Decoder.decode(f, linear, code32, insn);
        } catch (UnmappedAddressException e) {
            return null;
        }
        return Math.max(1, insn.length);
    }

    static boolean endsBlock(Op op) {
        switch (op) {
            case JMP: case JCC: case CALL: case RET: case JMP_FAR: case CALL_FAR: case RET_FAR: case IRET:
            case LOOP: case LOOPE: case LOOPNE: case JCXZ: case INT: case INT1: case INT3: case INTO: case BOUND:
            case SYSENTER: case SYSEXIT: case HLT: case MOV_TO_SEG: case POP_SEG: case LSS: case MOV_TO_CR: case POPF:
            case STI: case CLI: case LGDT: case LIDT: case LTR: case LMSW: case CLTS: case INVLPG: case UD2: case INVALID:
                return true;
            default:
                return false;
        }
    }

    /** The QEMU TB flags Fixup's state can say: CPL, CS32, SS32, PE, MP/EM/TS, and TF/IOPL/RF/AC from EFLAGS. */
    static int tbFlags(Cpu cpu) {
        int f = cpu.getCpl();
        if (cpu.segment(Cpu.SEG_CS).big()) f |= 1 << 4;
        if (cpu.segment(Cpu.SEG_SS).big()) f |= 1 << 5;
        f |= 1 << 7; // protected mode
        int cr0 = cpu.getCr0();
        f |= (cr0 & 2) << 8 | (cr0 & 4) << 8 | (cr0 & 8) << 8; // MP, EM, TS at bits 9, 10, 11
        return f | cpu.getEflags() & (0x100 | 0x3000 | 0x10000 | 0x40000);
    }
}
