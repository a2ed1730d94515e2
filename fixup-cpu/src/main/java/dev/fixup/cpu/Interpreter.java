package dev.fixup.cpu;

import dev.fixup.x86.CodeFetcher;
import dev.fixup.x86.Decoder;
import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Executes one decoded instruction at a time. Operands are located through the instruction
 * form's operand specs, so one routine serves every encoding of an operation. Semantics come
 * from the Intel manual's pseudo-code. Ordering rule for the fault model: all reads and all
 * memory writes that may fault happen before any register or flag is changed (ESP excepted; the
 * run loop restores it).
 *
 * The work is split over several methods by kind of instruction to keep each one small enough
 * for HotSpot to compile.
 */
final class Interpreter {
    private final Cpu cpu;
    private final Mmu mmu;
    private final Flags flags;
    private final int[] regs;
    private final CodeFetcher fetcher;
    private final FastPath fast;
    /** Far branches, interrupts, segment, table, control-register and I/O instructions. */
    private final SystemInstructions sys;

    /** Offset and segment of the current instruction's memory operand. */
    int ea;
    Segment mseg;

    Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.mmu = cpu.mmu;
        this.flags = cpu.flags;
        this.regs = cpu.regs;
        this.fetcher = lin -> mmu.read8(lin, cpu.user);
        this.fast = new FastPath(cpu, this);
        this.x87 = new X87(cpu, this);
        this.sys = new SystemInstructions(cpu, this);
    }

    /** The floating-point unit (its instructions run here, never in translated blocks). */
    final X87 x87;

    // ================================================================== fetch and dispatch

    /**
     * The code page the CPU is executing from: its linear page address and its cached decodings,
     * so that consecutive instructions on one page skip the TLB, host-call and cache lookups.
     * Forgotten ({@link #leaveFetchPage}) whenever a TLB entry, the page's cache or CPL changes.
     */
    private int fetchPage = Tlb.INVALID;
    private Insn[] fetchInsns;
    /** The page's translated blocks and how often execution arrived at each offset (see {@link #block}). */
    private Block[] fetchBlocks;
    private char[] fetchHeat;
    /** Physical address of the fetch page's frame. */
    private int fetchFrame;

    /** Blocks by linear address, checked against the TLB (see {@link #block}). */
    final JumpCache jumps = new JumpCache();

    /** A write hit a page with cached code: its decodings are gone, and a running block must stop. */
    void codeWritten() {
        resetFetchPage();
        cpu.codeWritten = true;
    }

    /** Cached code or the host-call pages changed: forgets the fetch page and every block looked up. */
    void resetFetchPage() {
        jumps.clear();
        leaveFetchPage();
    }

    /**
     * The TLB or CPL changed: forgets the fetch page. The jump cache stays, each of its lookups
     * checks the TLB.
     */
    void leaveFetchPage() {
        fetchPage = Tlb.INVALID;
        fetchInsns = null;
        fetchBlocks = null;
        fetchHeat = null;
    }

    void step() {
        Cpu c = cpu;
        int lin = c.cs.base + c.eip;
        if ((lin & 0xFFFFF000) == fetchPage) {
            Insn in = fetchInsns[lin & 0xFFF];
            if (in != null) {
                fallThrough = c.eip + in.length;
                execute(in);
                return;
            }
        }
        int pa = mmu.translateRead(lin, c.user);
        int page = pa >>> 12;
        Machine m = c.machine;
        if (page >= m.hostPageMin && page <= m.hostPageMax) {
            HostCallHandler h = m.hostCall(page);
            if (h != null) {
                fallThrough = c.eip; // a host call always moves EIP (or stops the machine)
                h.call(c, pa & 0xFFF);
                return;
            }
        }
        Insn in = c.codeCache.get(pa);
        if (in == null) {
            in = Decoder.decode(fetcher, lin, c.cs.big);
            if ((lin & 0xFFF) + in.length <= 0x1000) c.codeCache.put(pa, in);
        }
        Insn[] decoded = c.codeCache.page(pa);
        if (decoded != null) setFetchPage(lin, pa, decoded);
        fallThrough = c.eip + in.length;
        execute(in);
    }

    private void setFetchPage(int lin, int pa, Insn[] decoded) {
        fetchPage = lin & 0xFFFFF000;
        fetchInsns = decoded;
        fetchBlocks = cpu.codeCache.blocks(pa);
        fetchHeat = cpu.codeCache.heat(pa);
        fetchFrame = pa & 0xFFFFF000;
    }

    /**
     * Moves the fetch page to the page of {@code lin} if that needs no page walk (the TLB maps it
     * for reading at this CPL), it is not a host-call page and it has cached code. Otherwise
     * {@link #step} does the full fetch, with its faults.
     */
    private boolean switchFetchPage(int lin) {
        Tlb t = mmu.tlb;
        int slot = (lin >>> 12) & Tlb.MASK;
        int tag = cpu.user ? t.userRead[slot] : t.kernelRead[slot];
        if (tag != (lin & 0xFFFFF000)) return false;
        int pa = t.frame[slot] | (lin & 0xFFF);
        int page = pa >>> 12;
        Machine m = cpu.machine;
        if (page >= m.hostPageMin && page <= m.hostPageMax) return false;
        Insn[] decoded = cpu.codeCache.page(pa);
        if (decoded == null) return false;
        setFetchPage(lin, pa, decoded);
        return true;
    }

    // ================================================================== translated blocks

    /** Executions of a block start before it is translated; 0 turns translation off. */
    int translateThreshold = defaultThreshold();
    long translatedBlocks, translationFailures;
    /** The EIP after the last stepped instruction if it did not jump. */
    int fallThrough;
    /** The last {@link #block} call that returned null found a start that is not hot yet. */
    boolean coldMiss;

    /** Arrival counts are chars: a threshold stays below their maximum (0 turns translation off). */
    static int clampThreshold(int executions) {
        return Math.max(0, Math.min(executions, Character.MAX_VALUE - 1));
    }

    /**
     * A block costs about 1 ms of CPU to translate and define and a few more for C1 to compile,
     * and wins back a fraction of a microsecond per execution: only starts that have already run
     * a thousand times are likely to run the tens of thousands more that repay it. At 64, blocks
     * of start-up code and short loops were translated and compiled at a loss (CPU, fresh JVM,
     * medians of 3 on a loaded machine: busybox wc of 0.2 MB 0.64 -> 0.62 s, sed 3.86 -> 3.73,
     * md5sum of 2 MB 1.05 -> 1.00, fpbench 3.85 -> 3.59; 256 was in between).
     */
    static final int DEFAULT_THRESHOLD = 1024;

    private static int defaultThreshold() {
        String v = System.getProperty("fixup.cpu.translate");
        if (v == null) return DEFAULT_THRESHOLD;
        try {
            return clampThreshold(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_THRESHOLD;
        }
    }

    /**
     * The translated block starting at the current EIP, or null. First the jump cache, whose
     * entries hold while the TLB maps their page to the same frame at this privilege; else only
     * on the current fetch page (so translation, privilege and the host-call check are already
     * settled), where the block found goes into the jump cache. A start counts
     * as hot after {@code translateThreshold} arrivals, and is then translated once. After a cold
     * miss the CPU steps to the next jump without asking again: the instructions on the way are
     * part of that start's block, not starts of their own.
     */
    Block block() {
        Cpu c = cpu;
        int lin = c.cs.base + c.eip;
        boolean user = c.user;
        JumpCache j = jumps;
        long key = j.key(lin, user);
        int i = JumpCache.index(lin);
        if (j.keys[i] != key && j.keys[i ^= 1] != key) return lookUp(lin);
        Tlb t = mmu.tlb;
        int s = Tlb.slot(lin);
        if ((user ? t.userRead[s] : t.kernelRead[s]) == (lin & 0xFFFFF000) && t.frame[s] == j.frames[i]) {
            return j.blocks[i];
        }
        return lookUp(lin);
    }

    /** {@link #block} when the jump cache does not know the address: the fetch page's blocks, translating hot starts. */
    private Block lookUp(int lin) {
        coldMiss = false;
        if (translateThreshold == 0 || (lin & 0xFFFFF000) != fetchPage && !switchFetchPage(lin)) return null;
        int off = lin & 0xFFF;
        Block b = fetchBlocks[off];
        if (b != null) {
            jumps.put(lin, cpu.user, fetchFrame, b);
            return b;
        }
        int heat = fetchHeat[off];
        if (heat >= translateThreshold) return null; // tried: nothing here can be translated
        fetchHeat[off] = (char) ++heat;
        if (heat < translateThreshold) {
            coldMiss = true;
            return null;
        }
        b = fetchBlocks[off] = translate(lin, off);
        if (b != null) jumps.put(lin, cpu.user, fetchFrame, b);
        return b;
    }

    /**
     * Gathers the instructions of a block from {@code off}: the admitted instructions reachable
     * from it within the page by falling through and by direct jumps, conditional jumps (both
     * sides) and calls ({@link BlockGraph}), breadth first, so that a prefix of the list is
     * reachable too (the translator keeps one when the whole would make too big a method).
     */
    private Block translate(int lin, int off) {
        List<Insn> list = new ArrayList<>();
        int[] offsets = new int[BlockTranslator.MAX_INSNS];
        BitSet seen = new BitSet(0x1000);
        int[] queue = new int[0x1000];
        int head = 0, tail = 0;
        queue[tail++] = off;
        seen.set(off);
        int pageLin = lin - off;
        while (head < tail && list.size() < BlockTranslator.MAX_INSNS) {
            int o = queue[head++];
            Insn in = fetchInsns[o];
            if (in == null) {
                in = decodeInPage(pageLin + o);
                if (in == null) continue;
                cpu.codeCache.put(fetchFrame | o, in);
            }
            if (!BlockTranslator.admits(in)) continue; // the block leaves there
            offsets[list.size()] = o - off;
            list.add(in);
            int next = o + in.length;
            int branch = BlockTranslator.branchTarget(in, next);
            boolean falls = BlockTranslator.fallsThrough(in) && !BlockTranslator.endsBlock(in);
            for (int s : new int[] {falls ? next : -1, branch}) {
                if (s >= 0 && s < 0x1000 && !seen.get(s)) {
                    seen.set(s);
                    queue[tail++] = s;
                }
            }
        }
        if (list.isEmpty()) return null;
        try {
            Block b = BlockCache.block(blockKey(off, list, offsets), list, Arrays.copyOf(offsets, list.size()));
            translatedBlocks++;
            return b;
        } catch (IllegalStateException e) {
            // A block the translator cannot make runs in the interpreter, which defines the semantics anyway.
            translationFailures++;
            return null;
        }
    }

    /** The decoding mode, then each instruction's offset (two bytes) and bytes, read from the fetch page. */
    private BlockCache.Key blockKey(int off, List<Insn> list, int[] offsets) {
        ByteArrayOutputStream key = new ByteArrayOutputStream(list.size() * 6);
        key.write(cpu.cs.big ? 1 : 0);
        for (int i = 0; i < list.size(); i++) {
            key.write(offsets[i] >> 8);
            key.write(offsets[i]);
            int at = off + offsets[i];
            for (int b = 0; b < list.get(i).length; b++) key.write(mmu.mem.read8(fetchFrame | (at + b)));
        }
        return new BlockCache.Key(key.toByteArray());
    }

    /** Decodes at {@code lin} from the fetch page's frame, or null when the instruction leaves the page. */
    private Insn decodeInPage(int lin) {
        int page = lin & 0xFFFFF000;
        try {
            Insn in = Decoder.decode(a -> {
                if ((a & 0xFFFFF000) != page) throw LeavesPage.INSTANCE;
                return mmu.mem.read8(fetchFrame | (a & 0xFFF));
            }, lin, cpu.cs.big);
            return (lin & 0xFFF) + in.length <= 0x1000 ? in : null;
        } catch (LeavesPage e) {
            return null;
        }
    }

    /** Thrown by the in-page fetcher; preallocated and stackless. */
    private static final class LeavesPage extends RuntimeException {
        static final LeavesPage INSTANCE = new LeavesPage();

        private LeavesPage() {
            super(null, null, false, false);
        }
    }

    void execute(Insn in) {
        if (in.memory) effectiveAddress(in);
        int id = in.form.id;
        int code = id >= 0 ? FastPath.CODE[id] : 0;
        if (code != 0 && in.opsize == 4 && !in.lock) {
            cpu.eip = fast.execute(in, code, ea, mseg);
            return;
        }
        if (in.lock) checkLock(in);
        general(in);
    }

    private void effectiveAddress(Insn in) {
        int a = in.disp;
        if (in.base >= 0) a += regs[in.base];
        if (in.index >= 0) a += regs[in.index] << in.scale;
        ea = in.addrsize == 4 ? a : a & 0xFFFF;
        mseg = cpu.segs[in.seg >= 0 ? in.seg : in.defaultSeg()];
    }

    /** The operand-spec path: every form without fast code, 16-bit operand sizes, lock prefixes. */
    private void general(Insn in) {
        int next = cpu.eip + in.length;
        switch (in.op) {
            case MOV: put(in, 0, get(in, 1)); break;
            case ADD: case OR: case ADC: case SBB: case AND: case SUB: case XOR: case CMP: case TEST:
                alu(in); break;
            case INC: case DEC: case NEG: case NOT:
                unary(in); break;
            case JCC:
                if (flags.condition(in.cond)) next = in.target(cpu.eip);
                break;
            case JMP: case CALL: case RET: case LOOP: case LOOPE: case LOOPNE: case JCXZ:
            case JMP_FAR: case CALL_FAR: case RET_FAR:
                next = branch(in, next); break;
            case PUSH: case POP: case PUSH_SEG: case POP_SEG: case PUSHA: case POPA: case PUSHF: case POPF:
            case ENTER: case LEAVE:
                stack(in); break;
            case MOVS: case CMPS: case SCAS: case LODS: case STOS: case INS: case OUTS:
                strings(in); break;
            case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR: case SHLD: case SHRD:
                shift(in); break;
            case MUL: case IMUL1: case IMUL2: case IMUL3: case DIV: case IDIV:
                multiply(in); break;
            case INT: case INT1: case INT3: case INTO: case IRET: case BOUND:
                cpu.eip = next;
                sys.interrupt(in);
                return;
            default:
                if (!misc(in)) sys.system(in);
        }
        cpu.eip = next;
    }

    private void checkLock(Insn in) {
        switch (in.op) {
            case ADD: case OR: case ADC: case SBB: case AND: case SUB: case XOR: case INC: case DEC: case NEG:
            case NOT: case BTS: case BTR: case BTC: case XADD: case CMPXCHG: case CMPXCHG8B: case XCHG:
                if (in.memory) return;
                break;
            default:
        }
        throw cpu.fault.set(Vector.UD, -1);
    }

    // ================================================================== operands

    GuestFault fault(int vector, int err) { return cpu.fault.set(vector, err); }

    int linear(Segment s, int off, int size, boolean write) {
        if (!s.flat) checkSegment(s, off, size, write);
        return s.base + off;
    }

    private void checkSegment(Segment s, int off, int size, boolean write) {
        int vec = s == cpu.ss ? Vector.SS : Vector.GP;
        if (!s.usable) throw fault(vec, 0);
        if (write ? !s.writable() : !s.readable() && (s.access & 8) != 0) throw fault(Vector.GP, 0);
        long first = off & 0xFFFFFFFFL, last = first + size - 1;
        long limit = s.limit & 0xFFFFFFFFL;
        if (s.expandDown()) {
            long top = s.big ? 0xFFFFFFFFL : 0xFFFFL;
            if (first <= limit || last > top) throw fault(vec, 0);
        } else if (last > limit) {
            throw fault(vec, 0);
        }
    }

    /**
     * Dword read with a short path for the common case, kept small so that it inlines: flat
     * segment, no page crossing, TLB hit. Anything else goes through {@link #read}, which does
     * exactly the same for that case.
     */
    int read32(Segment s, int off) {
        if (s.flat && (off & 0xFFF) <= 0xFFC) {
            Tlb t = mmu.tlb;
            int slot = (off >>> 12) & Tlb.MASK;
            int tag = cpu.user ? t.userRead[slot] : t.kernelRead[slot];
            if (tag == (off & 0xFFFFF000)) return PhysicalMemory.ramRead32(t.chunk[slot], (t.frame[slot] | (off & 0xFFF)) & PhysicalMemory.CHUNK_MASK);
        }
        return read(s, off, 4);
    }

    /** Dword write; the short path as in {@link #read32} (a write tag is never given to a frame with cached code). */
    void write32(Segment s, int off, int v) {
        if (s.flat && (off & 0xFFF) <= 0xFFC) {
            Tlb t = mmu.tlb;
            int slot = (off >>> 12) & Tlb.MASK;
            int tag = cpu.user ? t.userWrite[slot] : t.kernelWrite[slot];
            if (tag == (off & 0xFFFFF000)) {
                PhysicalMemory.ramWrite32(t.chunk[slot], (t.frame[slot] | (off & 0xFFF)) & PhysicalMemory.CHUNK_MASK, v);
                return;
            }
        }
        write(s, off, 4, v);
    }

    /** Byte read with the short path of {@link #read32}. */
    int read8(Segment s, int off) {
        if (s.flat) {
            Tlb t = mmu.tlb;
            int slot = (off >>> 12) & Tlb.MASK;
            int tag = cpu.user ? t.userRead[slot] : t.kernelRead[slot];
            if (tag == (off & 0xFFFFF000)) return t.chunk[slot][(t.frame[slot] | (off & 0xFFF)) & PhysicalMemory.CHUNK_MASK] & 0xFF;
        }
        return read(s, off, 1);
    }

    /** Byte write with the short path of {@link #write32}. */
    void write8(Segment s, int off, int v) {
        if (s.flat) {
            Tlb t = mmu.tlb;
            int slot = (off >>> 12) & Tlb.MASK;
            int tag = cpu.user ? t.userWrite[slot] : t.kernelWrite[slot];
            if (tag == (off & 0xFFFFF000)) {
                t.chunk[slot][(t.frame[slot] | (off & 0xFFF)) & PhysicalMemory.CHUNK_MASK] = (byte) v;
                return;
            }
        }
        write(s, off, 1, v);
    }

    int read(Segment s, int off, int size) {
        int lin = linear(s, off, size, false);
        boolean u = cpu.user;
        return size == 4 ? mmu.read32(lin, u) : size == 2 ? mmu.read16(lin, u) : mmu.read8(lin, u);
    }

    void write(Segment s, int off, int size, int v) {
        int lin = linear(s, off, size, true);
        boolean u = cpu.user;
        if (size == 4) mmu.write32(lin, v, u);
        else if (size == 2) mmu.write16(lin, v, u);
        else mmu.write8(lin, v, u);
    }

    /** Faults now if any byte of a multi-dword store (x87 m64/m80, fnsave) is not writable. */
    void checkWriteRange(Segment s, int off, int size) {
        int lin = linear(s, off, size, true);
        mmu.checkWrite(lin, 1, cpu.user);
        int last = lin + size - 1;
        if (((last ^ lin) & 0xFFFFF000) != 0) mmu.checkWrite(last & 0xFFFFF000, 1, cpu.user);   // CR2: the page's first byte
    }

    /** Byte read of a read-modify-write destination: write access is checked first. */
    int readForWrite8(Segment s, int off) {
        int lin = linear(s, off, 1, true);
        mmu.checkWrite(lin, 1, cpu.user);
        return mmu.read8(lin, cpu.user);
    }

    /** Dword read of a read-modify-write destination: write access is checked first. */
    int readForWrite(Segment s, int off) {
        if (s.flat && (off & 0xFFF) <= 0xFFC) { // the short path of read32, with a write tag
            Tlb t = mmu.tlb;
            int slot = (off >>> 12) & Tlb.MASK;
            int tag = cpu.user ? t.userWrite[slot] : t.kernelWrite[slot];
            if (tag == (off & 0xFFFFF000)) return PhysicalMemory.ramRead32(t.chunk[slot], (t.frame[slot] | (off & 0xFFF)) & PhysicalMemory.CHUNK_MASK);
        }
        int lin = linear(s, off, 4, true);
        mmu.checkWrite(lin, 4, cpu.user);
        return mmu.read32(lin, cpu.user);
    }

    int readMem(int size) { return read(mseg, ea, size); }

    void writeMem(int size, int v) { write(mseg, ea, size, v); }

    /** For read-modify-write destinations: fault on a read-only page before anything is read. */
    void checkWritable(Insn in, int size) {
        // Only when the destination (operand 0) is the memory operand: "xor (%ecx),%dl" just reads memory.
        if (in.memory && in.form.operands[0].kind != OperandSpec.Kind.REG) {
            mmu.checkWrite(linear(mseg, ea, size, true), size, cpu.user);
        }
    }

    static int mask(int size) { return size == 4 ? -1 : (1 << (size * 8)) - 1; }

    int size(Insn in, int i) { return in.form.operands[i].size(in.opsize); }

    /** Value of operand i, zero-extended from its size (IMM8S stays sign-extended). */
    int get(Insn in, int i) {
        OperandSpec s = in.form.operands[i];
        int size = s.size(in.opsize);
        switch (s.kind) {
            case RM: return in.mod == 3 ? cpu.readGpr(size, in.rm) : readMem(size);
            case MEM: case MOFFS: return readMem(size);
            case REG: return cpu.readGpr(size, in.reg);
            case RMREG: return cpu.readGpr(size, in.rm);
            case OPREG: return cpu.readGpr(size, in.reg);
            case IMM: return (i > 0 && in.form.operands[0].kind == OperandSpec.Kind.IMM ? in.imm2 : in.imm) & mask(size);
            case IMM8S: return in.imm;
            case FIXED: return s.fixed.kind() == dev.fixup.x86.Reg.Kind.SEG ? cpu.segs[s.fixed.num()].selector
                    : cpu.readGpr(size, s.fixed.num());
            case ONE: return 1;
            case PORT_DX: return regs[Cpu.EDX] & 0xFFFF;
            case SREG: return cpu.segs[in.reg].selector;
            default: throw new IllegalStateException("operand kind " + s.kind + " in " + in.form);
        }
    }

    void put(Insn in, int i, int v) {
        OperandSpec s = in.form.operands[i];
        int size = s.size(in.opsize);
        switch (s.kind) {
            case RM: if (in.mod == 3) cpu.writeGpr(size, in.rm, v); else writeMem(size, v); break;
            case MEM: case MOFFS: writeMem(size, v); break;
            case REG: cpu.writeGpr(size, in.reg, v); break;
            case RMREG: cpu.writeGpr(size, in.rm, v); break;
            case OPREG: cpu.writeGpr(size, in.reg, v); break;
            case FIXED: cpu.writeGpr(size, s.fixed.num(), v); break;
            default: throw new IllegalStateException("operand kind " + s.kind + " in " + in.form);
        }
    }

    void privileged() {
        if (cpu.cpl != 0) throw fault(Vector.GP, 0);
    }

    private int iopl() { return (flags.bits >>> 12) & 3; }

    void ioPrivileged() {
        // The TSS I/O permission bitmap is not consulted: CPL > IOPL always faults.
        if (cpu.cpl > iopl()) throw fault(Vector.GP, 0);
    }

    // ================================================================== arithmetic

    private void alu(Insn in) {
        int size = size(in, 0);
        int w = size * 8;
        boolean writes = in.op != Op.CMP && in.op != Op.TEST;
        if (writes) checkWritable(in, size);
        int d = get(in, 0), s = get(in, 1) & mask(size);
        if (size == 4) { // the fast forms' definition
            int r = Alu32.alu(flags, FastPath.aluNumber(in.op), d, s);
            if (writes) put(in, 0, r);
            return;
        }
        int r;
        switch (in.op) {
            case ADD: r = d + s; if (writes) put(in, 0, r); flags.lazy(Flags.ADD, w, d, s, r); return;
            case SUB: case CMP: r = d - s; if (writes) put(in, 0, r); flags.lazy(Flags.SUB, w, d, s, r); return;
            case OR: r = d | s; break;
            case AND: case TEST: r = d & s; break;
            case XOR: r = d ^ s; break;
            case ADC: {
                int c = flags.cf();
                r = d + s + c;
                int m = mask(size);
                int cf = c != 0 ? (Integer.compareUnsigned(r & m, d & m) <= 0 ? 1 : 0)
                        : (Integer.compareUnsigned(r & m, d & m) < 0 ? 1 : 0);
                put(in, 0, r);
                flags.result(w, r, cf, (((d ^ r) & (s ^ r)) >>> (w - 1) & 1) != 0, ((d ^ s ^ r) & 0x10) != 0);
                return;
            }
            default: { // SBB
                int c = flags.cf();
                r = d - s - c;
                int m = mask(size);
                int cf = c != 0 ? (Integer.compareUnsigned(d & m, s & m) <= 0 ? 1 : 0)
                        : (Integer.compareUnsigned(d & m, s & m) < 0 ? 1 : 0);
                put(in, 0, r);
                flags.result(w, r, cf, (((d ^ s) & (d ^ r)) >>> (w - 1) & 1) != 0, ((d ^ s ^ r) & 0x10) != 0);
                return;
            }
        }
        if (writes) put(in, 0, r);
        flags.lazy(Flags.LOGIC, w, d, s, r);
    }

    private void unary(Insn in) {
        int size = size(in, 0);
        int w = size * 8, m = mask(size);
        checkWritable(in, size);
        int d = get(in, 0);
        if (size == 4 && in.op != Op.NOT) {
            put(in, 0, in.op == Op.INC ? Alu32.inc(flags, d) : in.op == Op.DEC ? Alu32.dec(flags, d) : Alu32.neg(flags, d));
            return;
        }
        int r;
        switch (in.op) {
            case INC:
                r = d + 1;
                put(in, 0, r);
                flags.result(w, r, flags.cf(), (r & m) == (1 << (w - 1)), (r & 0xF) == 0);
                break;
            case DEC:
                r = d - 1;
                put(in, 0, r);
                flags.result(w, r, flags.cf(), (d & m) == (1 << (w - 1)), (d & 0xF) == 0);
                break;
            case NEG:
                r = -d;
                put(in, 0, r);
                flags.lazy(Flags.SUB, w, 0, d, r);
                break;
            default:
                put(in, 0, ~d);
        }
    }

    private void shift(Insn in) {
        int size = size(in, 0);
        int w = size * 8, m = mask(size);
        Op op = in.op;
        boolean doubleShift = op == Op.SHLD || op == Op.SHRD;
        int count = get(in, doubleShift ? 2 : 1) & 0x1F;
        if (count == 0) {
            if (in.memory) read(mseg, ea, size); // the operand is still accessed
            return;
        }
        checkWritable(in, size);
        int d = get(in, 0) & m;
        if (size == 4) { // the fast forms' definition of the 32-bit shifts (count 1..31)
            switch (op) {
                case SHL: put(in, 0, Alu32.shl(flags, d, count)); return;
                case SHR: put(in, 0, Alu32.shr(flags, d, count)); return;
                case SAR: put(in, 0, Alu32.sar(flags, d, count)); return;
                case SHLD: put(in, 0, Alu32.shld(flags, d, get(in, 1), count)); return;
                case SHRD: put(in, 0, Alu32.shrd(flags, d, get(in, 1), count)); return;
                case ROL: put(in, 0, Alu32.rol(flags, d, count)); return;
                case ROR: put(in, 0, Alu32.ror(flags, d, count)); return;
                default: // rotates through carry
            }
        }
        int r, cf;
        boolean of;
        switch (op) {
            case SHL:
                r = count < 32 ? d << count : 0;
                cf = count <= w ? (d >>> (w - count)) & 1 : 0;
                of = (((r >>> (w - 1)) & 1) ^ cf) != 0;
                put(in, 0, r);
                flags.result(w, r, cf, of, false);
                return;
            case SHR:
                r = d >>> count;
                cf = (d >>> (count - 1)) & 1;
                put(in, 0, r);
                flags.result(w, r, cf, ((d >>> (w - 1)) & 1) != 0, false);
                return;
            case SAR: {
                int sd = (d << (32 - w)) >> (32 - w);
                r = sd >> Math.min(count, 31);
                cf = (sd >> Math.min(count - 1, 31)) & 1;
                put(in, 0, r);
                flags.result(w, r, cf, false, false);
                return;
            }
            case ROL: case ROR: {
                int c = count % w;
                r = op == Op.ROL ? (d << c | d >>> (w - c)) & m : (d >>> c | d << (w - c)) & m;
                if (c == 0) r = d;
                int msb = (r >>> (w - 1)) & 1;
                if (op == Op.ROL) {
                    cf = r & 1;
                    of = (msb ^ cf) != 0;
                } else {
                    cf = msb;
                    of = (msb ^ ((r >>> (w - 2)) & 1)) != 0;
                }
                put(in, 0, r);
                setCfOf(cf, of);
                return;
            }
            case RCL: case RCR: {
                int c = w == 32 ? count : count % (w + 1);
                int carry = flags.cf();
                r = d;
                for (int i = 0; i < c; i++) {
                    if (op == Op.RCL) {
                        int out = (r >>> (w - 1)) & 1;
                        r = ((r << 1) | carry) & m;
                        carry = out;
                    } else {
                        int out = r & 1;
                        r = (r >>> 1) | (carry << (w - 1));
                        r &= m;
                        carry = out;
                    }
                }
                int msb = (r >>> (w - 1)) & 1;
                of = op == Op.RCL ? (msb ^ carry) != 0 : (msb ^ ((r >>> (w - 2)) & 1)) != 0;
                put(in, 0, r);
                setCfOf(carry, of);
                return;
            }
            default: { // SHLD / SHRD
                int s = get(in, 1) & m;
                long both;
                if (op == Op.SHLD) {
                    both = ((d & 0xFFFFFFFFL) << w) | (s & 0xFFFFFFFFL);                 // d:s, shift left, take the top w bits
                    long shifted = both << count;
                    r = (int) (shifted >>> w) & m;
                    cf = (int) (both >>> (2 * w - count)) & 1;
                } else {
                    both = ((s & 0xFFFFFFFFL) << w) | (d & 0xFFFFFFFFL);                 // s:d, shift right, take the low w bits
                    r = (int) (both >>> count) & m;
                    cf = (int) (both >>> (count - 1)) & 1;
                }
                of = (((r ^ d) >>> (w - 1)) & 1) != 0;
                put(in, 0, r);
                flags.result(w, r, cf, of, false);
            }
        }
    }

    private void setCfOf(int cf, boolean of) {
        flags.carryOverflow(cf, of ? 1 : 0);
    }

    private void multiply(Insn in) {
        Op op = in.op;
        if (op == Op.IMUL2 || op == Op.IMUL3) {
            int size = in.opsize;
            int a = signExtend(get(in, 1), size), b = op == Op.IMUL2 ? signExtend(get(in, 0), size) : signExtend(get(in, 2), size);
            if (size == 4) {
                put(in, 0, Alu32.imul(flags, a, b));
                return;
            }
            long p = (long) a * b;
            int r = (int) p;
            boolean ov = p != signExtend(r, size);
            put(in, 0, r);
            flags.result(size * 8, r, ov ? 1 : 0, ov, false);
            return;
        }
        int size = size(in, 0);
        int src = get(in, 0);
        if (size == 4) { // the fast forms' definition
            switch (op) {
                case MUL: Alu32.mul(flags, regs, src); return;
                case IMUL1: Alu32.imul1(flags, regs, src); return;
                case DIV: Alu32.div(cpu, regs, src); return;
                default: Alu32.idiv(cpu, regs, src); return;
            }
        }
        int w = size * 8;
        switch (op) {
            case MUL: {
                long p = (src & 0xFFFFFFFFL) * (cpu.readGpr(size, 0) & 0xFFFFFFFFL);
                storeWide(size, p);
                boolean ov = (p >>> w) != 0;
                flags.result(w, (int) p, ov ? 1 : 0, ov, false);
                return;
            }
            case IMUL1: {
                long p = (long) signExtend(src, size) * signExtend(cpu.readGpr(size, 0), size);
                storeWide(size, p);
                boolean ov = p != signExtend((int) p, size);
                flags.result(w, (int) p, ov ? 1 : 0, ov, false);
                return;
            }
            case DIV: {
                long divisor = src & 0xFFFFFFFFL;
                if (divisor == 0) throw fault(Vector.DE, -1);
                long dividend = loadWide(size);
                long q = Long.divideUnsigned(dividend, divisor), rem = Long.remainderUnsigned(dividend, divisor);
                if (Long.compareUnsigned(q, size == 4 ? 0xFFFFFFFFL : mask(size)) > 0) throw fault(Vector.DE, -1);
                storeQuotient(size, (int) q, (int) rem);
                return;
            }
            default: { // IDIV
                long divisor = signExtend(src, size);
                if (divisor == 0) throw fault(Vector.DE, -1);
                long dividend = size == 4 ? loadWide(4) : signExtend((int) loadWide(size), size * 2);
                if (dividend == Long.MIN_VALUE && divisor == -1) throw fault(Vector.DE, -1);
                long q = dividend / divisor, rem = dividend % divisor;
                long max = size == 4 ? Integer.MAX_VALUE : (1L << (w - 1)) - 1;
                if (q > max || q < -max - 1) throw fault(Vector.DE, -1);
                storeQuotient(size, (int) q, (int) rem);
            }
        }
    }

    static int signExtend(int v, int size) {
        return size == 4 ? v : size == 2 ? (short) v : (byte) v;
    }

    /** AX, DX:AX or EDX:EAX as one number (zero-extended). */
    private long loadWide(int size) {
        if (size == 1) return regs[Cpu.EAX] & 0xFFFF;
        if (size == 2) return (long) (regs[Cpu.EDX] & 0xFFFF) << 16 | (regs[Cpu.EAX] & 0xFFFF);
        return (long) regs[Cpu.EDX] << 32 | (regs[Cpu.EAX] & 0xFFFFFFFFL);
    }

    private void storeWide(int size, long p) {
        if (size == 1) cpu.writeGpr(2, Cpu.EAX, (int) p);
        else if (size == 2) {
            cpu.writeGpr(2, Cpu.EAX, (int) p);
            cpu.writeGpr(2, Cpu.EDX, (int) (p >>> 16));
        } else {
            regs[Cpu.EAX] = (int) p;
            regs[Cpu.EDX] = (int) (p >>> 32);
        }
    }

    private void storeQuotient(int size, int q, int rem) {
        if (size == 1) cpu.writeGpr(2, Cpu.EAX, (q & 0xFF) | (rem & 0xFF) << 8);
        else {
            cpu.writeGpr(size, Cpu.EAX, q);
            cpu.writeGpr(size, Cpu.EDX, rem);
        }
    }

    // ================================================================== control transfer

    private int branch(Insn in, int next) {
        switch (in.op) {
            case JMP: return in.form.operands[0].kind == OperandSpec.Kind.REL ? in.target(cpu.eip) : get(in, 0) & mask(in.opsize);
            case CALL: {
                int target = in.form.operands[0].kind == OperandSpec.Kind.REL ? in.target(cpu.eip) : get(in, 0) & mask(in.opsize);
                push(in.opsize, next);
                return target;
            }
            case RET: {
                int n = in.opsize;
                int t = pop(n);
                if (in.form.operands.length > 0) regs[Cpu.ESP] += in.imm & 0xFFFF;
                return t & mask(n);
            }
            case LOOP: case LOOPE: case LOOPNE: {
                int count = (in.addrsize == 4 ? regs[Cpu.ECX] : regs[Cpu.ECX] & 0xFFFF) - 1;
                boolean take = count != 0 && (in.addrsize == 4 ? count : count & 0xFFFF) != 0;
                if (in.op == Op.LOOPE) take &= flags.zf();
                else if (in.op == Op.LOOPNE) take &= !flags.zf();
                if (in.addrsize == 4) regs[Cpu.ECX] = count; else cpu.writeGpr(2, Cpu.ECX, count);
                return take ? in.target(cpu.eip) : next;
            }
            case JCXZ: {
                int count = in.addrsize == 4 ? regs[Cpu.ECX] : regs[Cpu.ECX] & 0xFFFF;
                return count == 0 ? in.target(cpu.eip) : next;
            }
            default:
                return sys.farBranch(in, next);
        }
    }

    // ================================================================== stack

    void push(int size, int v) {
        int sp = regs[Cpu.ESP] - size;
        if (size == 4) write32(cpu.ss, sp, v);
        else write(cpu.ss, sp, size, v);
        regs[Cpu.ESP] = sp;
    }

    int pop(int size) {
        int v = read(cpu.ss, regs[Cpu.ESP], size);
        regs[Cpu.ESP] += size;
        return v;
    }

    private void stack(Insn in) {
        int n = in.opsize;
        switch (in.op) {
            case PUSH: push(n, get(in, 0)); return;
            case POP: {
                int v = pop(n);
                if (in.memory && (in.base == Cpu.ESP || in.index == Cpu.ESP)) {
                    // The address uses ESP after the pop, as on the hardware.
                    int a = in.disp;
                    if (in.base >= 0) a += regs[in.base];
                    if (in.index >= 0) a += regs[in.index] << in.scale;
                    ea = a;
                }
                put(in, 0, v);
                return;
            }
            case PUSH_SEG: push(n, get(in, 0)); return;
            case POP_SEG: {
                int seg = in.form.operands[0].fixed.num();
                int v = read(cpu.ss, regs[Cpu.ESP], n);
                cpu.loadSegmentChecked(seg, v & 0xFFFF);
                regs[Cpu.ESP] += n;
                if (seg == Cpu.SEG_SS) cpu.interruptShadow = true;
                return;
            }
            case PUSHA: {
                int sp = regs[Cpu.ESP];
                mmu.checkWrite(linear(cpu.ss, sp - 8 * n, 8 * n, true), 8 * n, cpu.user);
                for (int r = 0; r < 8; r++) write(cpu.ss, sp - (r + 1) * n, n, r == Cpu.ESP ? sp : regs[r]);
                regs[Cpu.ESP] = sp - 8 * n;
                return;
            }
            case POPA: {
                int sp = regs[Cpu.ESP];
                int[] v = new int[8];
                for (int r = 7; r >= 0; r--) v[r] = read(cpu.ss, sp + (7 - r) * n, n);
                for (int r = 0; r < 8; r++) if (r != Cpu.ESP) cpu.writeGpr(n, r, v[r]);
                regs[Cpu.ESP] = sp + 8 * n;
                return;
            }
            case PUSHF: push(n, cpu.getEflags() & ~(Flags.VM | Flags.RF)); return;
            case POPF: {
                int v = pop(n);
                if (n == 2) v = (cpu.getEflags() & 0xFFFF0000) | (v & 0xFFFF);
                cpu.writeFlagsPrivileged(v, cpu.cpl);
                return;
            }
            case ENTER: {
                int frameSize = in.imm & 0xFFFF, level = in.imm2 & 0x1F;
                int sp = regs[Cpu.ESP] - n;
                write(cpu.ss, sp, n, regs[Cpu.EBP]);
                int frame = sp, bp = regs[Cpu.EBP];
                for (int i = 1; i < level; i++) {
                    bp -= n;
                    sp -= n;
                    write(cpu.ss, sp, n, read(cpu.ss, bp, n));
                }
                if (level > 0) {
                    sp -= n;
                    write(cpu.ss, sp, n, frame);
                }
                regs[Cpu.ESP] = sp - frameSize;
                cpu.writeGpr(n, Cpu.EBP, frame);
                return;
            }
            default: { // LEAVE
                int v = read(cpu.ss, regs[Cpu.EBP], n);
                regs[Cpu.ESP] = regs[Cpu.EBP] + n;
                cpu.writeGpr(n, Cpu.EBP, v);
            }
        }
    }

    // ================================================================== strings

    private void strings(Insn in) {
        Op op = in.op;
        int size = size(in, op == Op.OUTS || op == Op.LODS || op == Op.SCAS ? 1 : 0);
        if (op == Op.INS || op == Op.OUTS) ioPrivileged();
        boolean a32 = in.addrsize == 4;
        int delta = (flags.bits & Flags.DF) != 0 ? -size : size;
        Segment src = cpu.segs[in.seg >= 0 ? in.seg : Cpu.SEG_DS];
        Segment dst = cpu.es;
        boolean rep = in.rep != 0;
        boolean bulk = rep && a32 && delta > 0 && dst.flat && (op == Op.STOS || op == Op.MOVS && src.flat);
        while (true) {
            if (rep && (a32 ? regs[Cpu.ECX] : regs[Cpu.ECX] & 0xFFFF) == 0) return;
            if (bulk) {
                int n = op == Op.MOVS ? bulkMove(size) : bulkStore(size);
                if (n > 0) {
                    regs[Cpu.ESI] += op == Op.MOVS ? n * size : 0;
                    regs[Cpu.EDI] += n * size;
                    regs[Cpu.ECX] -= n;
                    continue;
                }
            }
            int si = a32 ? regs[Cpu.ESI] : regs[Cpu.ESI] & 0xFFFF;
            int di = a32 ? regs[Cpu.EDI] : regs[Cpu.EDI] & 0xFFFF;
            boolean stop = false;
            switch (op) {
                case MOVS:
                    write(dst, di, size, read(src, si, size));
                    advance(Cpu.ESI, a32, delta);
                    advance(Cpu.EDI, a32, delta);
                    break;
                case STOS:
                    write(dst, di, size, cpu.readGpr(size, Cpu.EAX));
                    advance(Cpu.EDI, a32, delta);
                    break;
                case LODS:
                    cpu.writeGpr(size, Cpu.EAX, read(src, si, size));
                    advance(Cpu.ESI, a32, delta);
                    break;
                case CMPS: {
                    int a = read(src, si, size), b = read(dst, di, size);
                    flags.lazy(Flags.SUB, size * 8, a, b, a - b);
                    advance(Cpu.ESI, a32, delta);
                    advance(Cpu.EDI, a32, delta);
                    stop = true;
                    break;
                }
                case SCAS: {
                    int a = cpu.readGpr(size, Cpu.EAX), b = read(dst, di, size);
                    flags.lazy(Flags.SUB, size * 8, a, b, a - b);
                    advance(Cpu.EDI, a32, delta);
                    stop = true;
                    break;
                }
                case INS: {
                    mmu.checkWrite(linear(dst, di, size, true), size, cpu.user);
                    write(dst, di, size, cpu.machine.portIn(regs[Cpu.EDX] & 0xFFFF, size));
                    advance(Cpu.EDI, a32, delta);
                    break;
                }
                default: // OUTS
                    cpu.machine.portOut(regs[Cpu.EDX] & 0xFFFF, size, read(src, si, size));
                    advance(Cpu.ESI, a32, delta);
            }
            if (!rep) return;
            advance(Cpu.ECX, a32, -1);
            if (stop && (in.rep == Insn.REP) != flags.zf()) return;
        }
    }

    /**
     * rep movs, forward, flat segments, 32-bit addresses: copies the elements that lie within the
     * current source and destination pages at once when the TLB already grants both accesses, and
     * returns how many (0: take the element path, which walks, faults and fills the TLB as usual).
     * The result is the same as element by element: a write tag is never given to a page with
     * cached code, and overlapping moves take the element path.
     */
    private int bulkMove(int size) {
        int si = regs[Cpu.ESI], di = regs[Cpu.EDI];
        long count = Integer.toUnsignedLong(regs[Cpu.ECX]);
        int n = (int) Math.min(count, Math.min((0x1000 - (si & 0xFFF)) / size, (0x1000 - (di & 0xFFF)) / size));
        if (n <= 1) return 0;
        Tlb t = mmu.tlb;
        int ss = (si >>> 12) & Tlb.MASK, ds = (di >>> 12) & Tlb.MASK;
        boolean u = cpu.user;
        if ((u ? t.userRead[ss] : t.kernelRead[ss]) != (si & 0xFFFFF000)
                || (u ? t.userWrite[ds] : t.kernelWrite[ds]) != (di & 0xFFFFF000)) return 0;
        byte[] from = t.chunk[ss], to = t.chunk[ds];
        int fo = (t.frame[ss] | (si & 0xFFF)) & PhysicalMemory.CHUNK_MASK;
        int to0 = (t.frame[ds] | (di & 0xFFF)) & PhysicalMemory.CHUNK_MASK;
        int bytes = n * size;
        if (from == to && to0 > fo && to0 < fo + bytes) return 0; // a forward overlap repeats a pattern
        System.arraycopy(from, fo, to, to0, bytes);
        return n;
    }

    /** rep stos as {@link #bulkMove} does rep movs. */
    private int bulkStore(int size) {
        int di = regs[Cpu.EDI];
        long count = Integer.toUnsignedLong(regs[Cpu.ECX]);
        int n = (int) Math.min(count, (0x1000 - (di & 0xFFF)) / size);
        if (n <= 1) return 0;
        Tlb t = mmu.tlb;
        int ds = (di >>> 12) & Tlb.MASK;
        if ((cpu.user ? t.userWrite[ds] : t.kernelWrite[ds]) != (di & 0xFFFFF000)) return 0;
        byte[] to = t.chunk[ds];
        int o = (t.frame[ds] | (di & 0xFFF)) & PhysicalMemory.CHUNK_MASK;
        int v = cpu.readGpr(size, Cpu.EAX);
        for (int i = 0; i < size; i++) to[o + i] = (byte) (v >>> 8 * i);
        // The rest by doubling bulk copies of what is written: an intrinsic at C1 too, where
        // Arrays.fill and a store loop run byte by byte (memset is much of what rep stos does).
        int total = n * size;
        for (int done = size; done < total; done *= 2) System.arraycopy(to, o, to, o + done, Math.min(done, total - done));
        return n;
    }

    private void advance(int r, boolean a32, int delta) {
        if (a32) regs[r] += delta;
        else cpu.writeGpr(2, r, regs[r] + delta);
    }

    // ================================================================== data movement and bit operations

    /** Returns false when the op is not one of its cases. */
    private boolean misc(Insn in) {
        if (in.form.isX87()) {
            x87.execute(in, mseg, ea);
            return true;
        }
        switch (in.op) {
            case NOP: return true;
            case WAIT: x87.fwait(); return true;
            case LEA: put(in, 0, ea); return true;
            case MOVZX: put(in, 0, get(in, 1)); return true;
            case MOVSX: put(in, 0, signExtend(get(in, 1), size(in, 1))); return true;
            case XCHG: {
                int size = size(in, 0);
                checkWritable(in, size);
                int a = get(in, 0), b = get(in, 1);
                put(in, 0, b);
                put(in, 1, a);
                return true;
            }
            case SETCC: put(in, 0, flags.condition(in.cond) ? 1 : 0); return true;
            case CMOVCC: {
                int v = get(in, 1);
                if (flags.condition(in.cond)) put(in, 0, v);
                return true;
            }
            case BSWAP: put(in, 0, Integer.reverseBytes(get(in, 0))); return true;
            case CBW:
                if (in.opsize == 4) regs[Cpu.EAX] = (short) regs[Cpu.EAX];
                else cpu.writeGpr(2, Cpu.EAX, (byte) regs[Cpu.EAX]);
                return true;
            case CWD:
                if (in.opsize == 4) regs[Cpu.EDX] = regs[Cpu.EAX] >> 31;
                else cpu.writeGpr(2, Cpu.EDX, ((short) regs[Cpu.EAX]) >> 15);
                return true;
            case LAHF: cpu.writeGpr(1, 4, (cpu.getEflags() & 0xD5) | 2); return true;
            case SAHF: {
                int mask = Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF;
                flags.set((cpu.getEflags() & ~mask) | (cpu.readGpr(1, 4) & mask));
                return true;
            }
            case XLAT: {
                Segment s = cpu.segs[in.seg >= 0 ? in.seg : Cpu.SEG_DS];
                int a = regs[Cpu.EBX] + (regs[Cpu.EAX] & 0xFF);
                cpu.writeGpr(1, Cpu.EAX, read(s, in.addrsize == 4 ? a : a & 0xFFFF, 1));
                return true;
            }
            case CLC: flags.setFlag(Flags.CF, false); return true;
            case STC: flags.setFlag(Flags.CF, true); return true;
            case CMC: flags.setFlag(Flags.CF, flags.cf() == 0); return true;
            case CLD: flags.bits &= ~Flags.DF; return true;
            case STD: flags.bits |= Flags.DF; return true;
            case BT: case BTS: case BTR: case BTC: bitTest(in); return true;
            case BSF: case BSR: {
                int size = in.opsize;
                int v = get(in, 1) & mask(size);
                if (v == 0) {
                    flags.setFlag(Flags.ZF, true);
                } else {
                    put(in, 0, in.op == Op.BSF ? Integer.numberOfTrailingZeros(v) : 31 - Integer.numberOfLeadingZeros(v));
                    flags.setFlag(Flags.ZF, false);
                }
                return true;
            }
            case XADD: {
                int size = size(in, 0);
                checkWritable(in, size);
                int d = get(in, 0), s = get(in, 1);
                int r = d + s;
                put(in, 1, d);
                put(in, 0, r);
                flags.lazy(Flags.ADD, size * 8, d, s, r);
                return true;
            }
            case CMPXCHG: {
                int size = size(in, 0);
                checkWritable(in, size);
                int d = get(in, 0), acc = cpu.readGpr(size, Cpu.EAX);
                if ((d & mask(size)) == (acc & mask(size))) {
                    put(in, 0, get(in, 1));
                } else {
                    put(in, 0, d); // the destination is always written
                    cpu.writeGpr(size, Cpu.EAX, d);
                }
                flags.lazy(Flags.SUB, size * 8, acc, d, acc - d);
                return true;
            }
            case CMPXCHG8B: {
                checkWritable(in, 8);
                int lo = readMem(4), hi = read(mseg, ea + 4, 4);
                boolean eq = lo == regs[Cpu.EAX] && hi == regs[Cpu.EDX];
                if (eq) {
                    writeMem(4, regs[Cpu.EBX]);
                    write(mseg, ea + 4, 4, regs[Cpu.ECX]);
                } else {
                    writeMem(4, lo);
                    write(mseg, ea + 4, 4, hi);
                    regs[Cpu.EAX] = lo;
                    regs[Cpu.EDX] = hi;
                }
                flags.setFlag(Flags.ZF, eq);
                return true;
            }
            case LDS: case LES: case LFS: case LGS: case LSS: {
                int n = in.opsize;
                int off = readMem(n), sel = read(mseg, ea + n, 2);
                int seg = in.op == Op.LDS ? Cpu.SEG_DS : in.op == Op.LES ? Cpu.SEG_ES : in.op == Op.LFS ? Cpu.SEG_FS
                        : in.op == Op.LGS ? Cpu.SEG_GS : Cpu.SEG_SS;
                cpu.loadSegmentChecked(seg, sel);
                put(in, 0, off);
                return true;
            }
            case MOV_TO_SEG: {
                int seg = in.reg;
                if (seg == Cpu.SEG_CS || seg > Cpu.SEG_GS) throw fault(Vector.UD, -1);
                cpu.loadSegmentChecked(seg, get(in, 1));
                if (seg == Cpu.SEG_SS) cpu.interruptShadow = true;
                return true;
            }
            case MOV_FROM_SEG:
                if (in.reg > Cpu.SEG_GS) throw fault(Vector.UD, -1);
                put(in, 0, cpu.segs[in.reg].selector);
                return true;
            case DAA: case DAS: case AAA: case AAS: case AAM: case AAD: case SALC:
                Bcd.execute(cpu, in.op, in.imm & 0xFF);
                return true;
            case CPUID: cpuid(); return true;
            case RDTSC: regs[Cpu.EAX] = (int) cpu.instructions; regs[Cpu.EDX] = (int) (cpu.instructions >>> 32); return true;
            case UD2: throw fault(Vector.UD, -1);
            case INVALID: throw in.length >= 15 ? fault(Vector.GP, 0) : fault(Vector.UD, -1); // over-long: #GP
            default: return false;
        }
    }

    private void bitTest(Insn in) {
        int size = in.opsize;
        int w = size * 8;
        boolean imm = in.form.operands[1].kind != OperandSpec.Kind.REG;
        int bit = get(in, 1);
        int v;
        if (in.memory && !imm) {
            // A register bit offset may reach outside the addressed word (signed).
            int off = signExtend(bit, size);
            ea += (off >> (size == 4 ? 5 : 4)) * size;
            if (in.addrsize == 2) ea &= 0xFFFF;
        }
        bit &= w - 1;
        if (in.op != Op.BT) checkWritable(in, size);
        v = get(in, 0);
        int cf = (v >>> bit) & 1;
        switch (in.op) {
            case BTS: put(in, 0, v | 1 << bit); break;
            case BTR: put(in, 0, v & ~(1 << bit)); break;
            case BTC: put(in, 0, v ^ 1 << bit); break;
            default:
        }
        flags.setFlag(Flags.CF, cf != 0);
    }

    private void cpuid() {
        int[] r = Cpuid.leaf(regs[Cpu.EAX]);
        regs[Cpu.EAX] = r[0];
        regs[Cpu.EBX] = r[1];
        regs[Cpu.ECX] = r[2];
        regs[Cpu.EDX] = r[3];
    }

}
