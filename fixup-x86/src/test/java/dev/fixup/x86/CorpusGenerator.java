package dev.fixup.x86;

import dev.fixup.x86.OperandSpec.Kind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Generates the instruction corpus from the table itself: every form, under each of its spellings,
 * with samples of every operand kind (each register, immediate sizes, every addressing mode).
 * Lines GNU as rejects are kept: the encoder must reject them too.
 */
final class CorpusGenerator {

    static final String[] MEM32 = {
        "(%eax)", "(%ecx)", "(%edx)", "(%ebx)", "(%esp)", "(%ebp)", "(%esi)", "(%edi)",
        "0x10(%ebx)", "-0x4(%ebp)", "0x80(%eax)", "-0x80(%esi)", "0x7f(%edi)", "0x12345678(%ecx)",
        "-0x12345678(%edx)", "0(%eax)", "0x8(%esp)", "0x1000(%esp)", "0x0(%ebp)",
        "(%eax,%ebx)", "(%eax,%ebx,1)", "(%ecx,%edx,2)", "(%esi,%edi,4)", "(%ebp,%eax,8)", "(%esp,%ebp,2)",
        "0x10(%ebx,%ecx,4)", "-0x100(%edx,%esi,8)", "(,%eax,4)", "0x1000(,%ebx,2)", "(,%esi,1)", "0x10(,%edi,8)",
        "0x1234", "0x12345678", "0xc0000000", "0x0",
        "%fs:(%eax)", "%gs:0x10(%ebx)", "%es:0x4(%esi,%edi,2)", "%ds:(%ebp)", "%ss:(%ebp)", "%cs:0x1234",
        "%ds:(%eax)", "%ss:0x8(%esp)", "%ss:(%eax)",
    };
    static final String[] MEM16 = {
        "(%bx)", "(%bx,%si)", "(%bp,%di)", "0x10(%bp)", "(%bp)", "-0x8(%si)", "0x1234(%di)", "(%bx,%di)",
        "0x7f(%bp,%si)", "%fs:(%bx)", "(%si)", "(%di)", "-0x1234(%bx,%si)",
    };
    static final long[] IMM8 = {0, 1, 0x7f, 0x80, 0xff, -1, -128, 0x12};
    static final long[] IMM16 = {0, 1, 0x7f, 0x80, 0x1234, 0xffff, -1, -0x8000, 0x7fff, -128, -129};
    static final long[] IMM32 = {0, 1, 0x7f, 0x80, -1, -128, -129, 0x12345678, 0xffffffffL, 0x80000000L,
        0xfffffff0L, 0x100};
    static final long[] TARGETS = {0, 2, 0x10, 0x7f, 0x81, 0x82, 0x1000, -0x10, -0x7e, -0x80};

    private CorpusGenerator() { }

    static List<String> generate() {
        Set<String> lines = new LinkedHashSet<>();
        for (Form f : FormTable.forms()) {
            if (f.has(Form.NO_ENC)) continue;
            for (int vsize : f.hasSizeV() ? new int[] {4, 2} : new int[] {4}) {
                List<List<String>> samples = new ArrayList<>();
                for (OperandSpec s : f.operands) {
                    List<String> l = samples(s, vsize);
                    if (f.has(Form.INDIRECT)) l.replaceAll(x -> "*" + x);
                    samples.add(l);
                }
                List<String> opLists = combine(samples, f.has(Form.NOREV));
                // every operand combination under one spelling; the other spellings (bare, aliases) on a quarter
                List<String> names = spellings(f, vsize);
                for (int n = 0; n < names.size(); n++) {
                    String name = names.get(n);
                    for (int k = 0; k < opLists.size(); k++) {
                        if (n > 0 && k % 4 != n % 4) continue;
                        String ops = opLists.get(k);
                        lines.add(ops.isEmpty() ? name : name + " " + ops);
                    }
                }
            }
        }
        lines.addAll(extras());
        return new ArrayList<>(lines);
    }

    /** Mnemonic spellings: bare and suffixed, objdump's name and the aliases. */
    static List<String> spellings(Form f, int vsize) {
        List<String> names = new ArrayList<>();
        if (f.has(Form.EXT_NAMES)) {
            names.addAll(f.aliases);
            names.add(f.mnemonic + Disassembler.suffix(f.operands[1].size) + Disassembler.suffix(vsize));
            return names;
        }
        List<String> bases = new ArrayList<>();
        bases.add(f.mnemonic);
        bases.addAll(f.aliases);
        for (String b : bases) {
            names.add(b);
            if (f.has(Form.NO_SUFFIX)) continue;
            if (f.hasX87Image()) { names.add(b + "s"); names.add(b + "l"); continue; }
            if (f.hasSizeV() || f.has(Form.DEF_SILENT) || f.has(Form.SFX_W16)) names.add(b + Disassembler.suffix(vsize));
            else names.add(b + "b");
            if (!f.hasSizeV() && (f.has(Form.DEF_SILENT) || f.has(Form.SFX_W16))) names.add(b + "w");
        }
        return names;
    }

    static List<String> samples(OperandSpec s, int vsize) {
        int size = s.size(vsize);
        List<String> out = new ArrayList<>();
        switch (s.kind) {
            case RM -> { regs(out, size); mem(out); }
            case MEM -> mem(out);
            case RMREG, REG, OPREG -> regs(out, size);
            case SREG -> { for (String r : new String[] {"%es", "%cs", "%ss", "%ds", "%fs", "%gs"}) out.add(r); }
            case CREG -> { for (String r : new String[] {"%cr0", "%cr2", "%cr3", "%cr4"}) out.add(r); }
            case DREG -> { for (int i = 0; i < 8; i++) out.add("%db" + i); }
            case IMM, IMM8S -> {
                long[] v = size == 1 ? IMM8 : size == 2 ? IMM16 : IMM32;
                for (long x : v) out.add("$" + (x < 0 ? "-0x" + Long.toHexString(-x) : "0x" + Long.toHexString(x)));
            }
            case REL -> { for (long t : TARGETS) out.add(t < 0 ? ".-0x" + Long.toHexString(-t) : ".+0x" + Long.toHexString(t)); }
            case MOFFS -> { for (String m : new String[] {"0x1234", "0x12345678", "%fs:0x10", "%es:0x0", "0xc0000000"}) out.add(m); }
            case FARPTR -> { out.add("$0x10,$0x12345678"); out.add("$0x8,$0x0"); out.add("$0xffff,$0x80"); }
            case STI -> { for (int i = 0; i < 8; i++) out.add("%st(" + i + ")"); out.add("%st"); }
            case FIXED -> out.add(s.fixed.isGpr() ? Reg.gpr(size, s.fixed.num()).att() : s.fixed.att());
            case ONE -> out.add("$0x1");
            case PORT_DX -> { out.add("(%dx)"); out.add("%dx"); }
            case STR_SRC -> { out.add("%ds:(%esi)"); out.add("(%esi)"); out.add("%fs:(%esi)"); out.add("%es:(%si)"); }
            case STR_DST -> { out.add("%es:(%edi)"); out.add("(%edi)"); out.add("%es:(%di)"); }
        }
        return out;
    }

    private static void regs(List<String> out, int size) {
        if (size != 1 && size != 2 && size != 4) size = 4;
        for (int i = 0; i < 8; i++) out.add(Reg.gpr(size, i).att());
    }

    private static void mem(List<String> out) {
        for (String m : MEM32) out.add(m);
        for (String m : MEM16) out.add(m);
    }

    /** Operand lists in AT&T order: full product when small, else every sample of every spec at least once. */
    static List<String> combine(List<List<String>> samples, boolean norev) {
        List<String> out = new ArrayList<>();
        int n = samples.size();
        if (n == 0) { out.add(""); return out; }
        long product = 1;
        int max = 0;
        for (List<String> l : samples) { product *= l.size(); max = Math.max(max, l.size()); }
        long count = product <= 64 ? product : max * 2L;
        for (long i = 0; i < count; i++) {
            String[] pick = new String[n];
            long rest = i;
            for (int k = 0; k < n; k++) {
                List<String> l = samples.get(k);
                int idx = product <= 64 ? (int) (rest % l.size()) : (int) ((i + i / l.size() * (k + 1) + k * 7L) % l.size());
                rest /= l.size();
                pick[k] = l.get(idx);
            }
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < n; k++) {
                String p = pick[norev ? k : n - 1 - k];
                if (b.length() > 0) b.append(',');
                b.append(p);
            }
            out.add(b.toString());
            // the implicit forms GNU as allows: shift by one without $1
            if (n == 2 && samples.get(1).size() == 1 && samples.get(1).get(0).equals("$0x1")) out.add(pick[0]);
        }
        return out;
    }

    /** x87 spellings with implicit operands, %st(0) for %st, wait forms, and lines GNU as rejects. */
    static List<String> x87Extras() {
        List<String> l = new ArrayList<>();
        for (String m : new String[] {"faddp", "fmulp", "fsubp", "fsubrp", "fdivp", "fdivrp", "fxch", "fcom", "fcomp",
                "fucom", "fucomp", "fcomi", "fcomip", "fucomi", "fucomip", "fnstsw", "fstsw", "fld", "fstp", "ffree",
                "fadd", "fcmovb"}) {
            l.add(m);
            l.add(m + " %st(3)");
            l.add(m + " %st(0)");
        }
        String[] more = {
            "fadd %st(0),%st", "fadd %st,%st(0)", "fadd %st(1),%st(0)", "fadd %st(1),%st(2)", "fsub %st(0),%st(3)",
            "fxch %st(1),%st", "fcmove %st,%st(1)", "fcmovb %st(1)", "fnstsw %eax", "fstsw %al", "fnstsw %ax,%ax",
            "fldt %st(1)", "fsts %st", "fadds %st(1),%st", "fild %st(1)", "fbld %st(1)", "fldcw %ax", "fildq (%eax)",
            "fistpq (%eax)", "fnstenv %st(1)", "fldenvs %st", "fstenv (%eax)", "fstenvs (%eax)", "fsave (%ebx)",
            "fsaves 0x10(%ebx)", "fstcw (%eax)", "fstsw (%eax)", "finit", "fclex", "fwait", "wait",
            "data16 fnstenv (%eax)", "data16 flds (%eax)", "fs flds (%eax)", "lock fadds (%eax)", "rep fldz",
            "fld %st,%st(1)", "fldz %st", "fchs %st", "fnop %st(1)", "fcompp %st(1)", "fucompp", "fcompp", "fstp %st", "ffreep %st(1)",
        };
        for (String s : more) l.add(s);
        return l;
    }

    /** Hand-written lines: prefixes, implicit operands, indirect branches, known errors. */
    static List<String> extras() {
        List<String> l = new ArrayList<>();
        for (String s : new String[] {"movs", "cmps", "stos", "lods", "scas", "ins", "outs"}) {
            for (String sfx : new String[] {"b", "w", "l"}) {
                for (String p : new String[] {"rep", "repe", "repz", "repne", "repnz"}) l.add(p + " " + s + sfx);
                l.add(s + sfx);
            }
        }
        for (String t : new String[] {"*%eax", "*%esp", "*(%eax)", "*0x10(,%eax,4)", "*0x1234", "*%fs:0x10(%ebx)",
                "*(%bx)", "%eax", "(%eax)", "*%ax", "*%al"}) {
            l.add("jmp " + t); l.add("call " + t); l.add("jmpl " + t); l.add("calll " + t); l.add("jmpw " + t); l.add("callw " + t);
            l.add("ljmp " + t); l.add("lcall " + t); l.add("ljmpl " + t); l.add("ljmpw " + t);
        }
        String[] more = {
            "rep", "repne", "lock", "cs", "ds", "fs", "data16", "addr16",
            "lock incl (%eax)", "lock addl $1,(%ebx)", "lock xchg %eax,(%ebx)", "lock cmpxchg %ecx,(%edx)",
            "lock btsl $3,(%eax)", "lock orb $1,%fs:(%eax)", "rep nop",
            "imul $3,%eax", "imul $0x1000,%ecx", "imul $-1,%bx", "imul $3,%eax,%ebx",
            "aam", "aad", "aam $0x10", "aad $7",
            "shl %eax", "sal %ebx", "shrb (%eax)", "rolw %ax", "shll $1,(%eax)", "sar $1,%cl",
            "inc (%eax)", "push (%eax)", "pop (%eax)", "mov $1,(%eax)", "add $1,(%eax)", "not (%eax)",
            "sete (%eax)", "lgdt (%eax)", "lidt 0x10(%ebx)", "sgdt (%eax)", "lgdtw (%eax)", "lldt (%eax)",
            "ltr %ax", "ltr %eax", "lldt %ax", "str %eax", "str (%eax)", "movw %ds,(%eax)", "movl %ds,(%eax)",
            "mov %ds,(%eax)", "mov (%eax),%ds", "movw (%eax),%ds", "movl (%eax),%es", "mov %ax,%ds",
            "mov %eax,%ss", "movw %ax,%ds", "movl %eax,%ds", "mov %cs,%eax", "mov %cs,%ax",
            "xchg %eax,%eax", "xchg %ax,%ax", "xchg %ax,%bx", "xchg %ebx,%eax", "xchg (%eax),%ebx",
            "test (%eax),%ebx", "test %ebx,(%eax)", "test %al,%al", "test $1,%al", "testl $1,(%eax)",
            "in $0x60,%al", "in $0x60,%ax", "in $0x60,%eax", "out %al,$0x80", "out %ax,$0x80", "out %eax,$0x80",
            "inb %dx,%al", "inw (%dx),%ax", "outb %al,(%dx)", "outl %eax,%dx", "in %dx,%al", "inb $0x60",
            "int $0x80", "int $3", "int3", "into", "iret", "iretl", "iretw", "lret", "lret $8", "lretw", "ret $4",
            "retw", "retl", "leave", "leavew", "enter $0x10,$0", "enter $0x1000,$3", "enterw $8,$0",
            "pusha", "popa", "pushal", "popal", "pushaw", "popaw", "pushf", "popf", "pushfl", "popfl", "pushfw", "popfw",
            "push $1", "push $0x1000", "pushl $1", "pushw $1", "pushw $0x1000", "push $-1", "push $0x80",
            "push %cs", "pushw %cs", "pushl %ds", "pop %es", "popw %fs", "popl %gs",
            "cbw", "cwde", "cwd", "cdq", "cbtw", "cwtl", "cwtd", "cltd",
            "movzbl %al,%eax", "movzbw %al,%ax", "movzwl %ax,%eax", "movsbl %al,%eax", "movsbw %al,%ax",
            "movswl %ax,%eax", "movzx %al,%eax", "movzx %ax,%eax", "movsx %al,%ax", "movzbl (%eax),%ebx",
            "movzx (%eax),%eax", "movzwl (%eax),%ebx", "movsbl -0x4(%ebp),%ecx",
            "bswap %eax", "bswap %edi", "xlat", "xlatb", "xlat %ds:(%ebx)", "xlat %fs:(%ebx)",
            "mov %cr0,%eax", "mov %eax,%cr3", "mov %cr4,%ebx", "movl %cr0,%eax", "mov %db7,%eax", "mov %eax,%dr6",
            "jecxz .+0x10", "jcxz .+0x10", "loop .-0x10", "loope .", "loopne .+2", "loopz .", "loopnz .",
            "jz .+2", "jnae .+0x100", "jc .", "setz %al", "setnae %bl", "cmovz %eax,%ebx", "cmovnae (%eax),%bx",
            "ljmp $0x10,$0xc0100000", "lcall $0x8,$0x0", "ljmpw $0x10,$0x1000", "ljmp *(%eax)", "lcall *0x10(%ebx)",
            "nop", "hlt", "cli", "sti", "cld", "std", "clc", "stc", "cmc", "sahf", "lahf", "cpuid", "rdtsc",
            "ud2", "wbinvd", "invd", "clts", "rdmsr", "wrmsr", "invlpg (%eax)", "invlpg 0xc0000000", "fwait", "wait",
            "icebp", "int1", "daa", "das", "aaa", "aas", "salc",
            "bound %eax,(%ebx)", "boundw %ax,(%ebx)", "arpl %ax,%bx", "arpl %ax,(%ebx)", "lds (%eax),%ebx",
            "les 0x10(%eax),%bx", "lss (%eax),%esp", "lfs (%eax),%eax", "lgs (%eax),%eax", "ldsw (%eax),%bx",
            "cmpxchg8b (%eax)", "xadd %eax,(%ebx)", "xadd %al,%bl",
            "foo %eax", "movq %eax,%ebx", "pushb %al", "mov %al,%ebx", "movl %ax,%bx", "add %eax", "mov %eax,$1",
            "movb %eax,%ebx", "pop $1", "lea %eax,%ebx", "ret %eax", "push %al", "movzbl %eax,%ebx", "int $300",
            "add $0x1ff,%al", "mov (%eax,%esp),%eax", "mov (%eax,%ebx,3),%eax", "lea (%bx,%bx),%ax",
            "inc %al,%bl", "jmp $1", "call $0x10", "mov %cr1,%eax", "mov %es,%cr0", "lgdt %eax", "invlpg %eax",
            "movb $1,%ax", "addw $1,%eax", "shl $1,%al,%bl", "in %dx,%bl", "out %bl,%dx", "inc %cr0",
            "movsbl %eax,%eax", "movzwl %al,%eax", "cwtl %eax", "ret $1,$2", "int %eax", "nop %eax",
            "bswap %ax", "bswapl %eax", "setb %eax", "setbb %al", "xchgb %al,%bl", "testw %ax,%ax",
            "pushl %al", "lcall $1", "int $-129", "int $255", "int $-128", "enter $0x10000,$0", "ret $0x10000",
            "ret $-1", "in $0x100,%al", "rep stosw", "stosw", "lodsw", "movsw", "scasw", "cmpsw", "insw", "outsw",
            "notrack jmp *%eax", "notrack call *(%eax)", "pause", "nopw 0x0(%eax,%eax,1)", "nopl 0x0(%eax)",
            "addr16 movl (%bx),%eax", "data16 movw %ax,%bx", "data16 nop", "addr16 nop", "shld %eax,%ebx",
            "shrd %ax,%bx", "shldl %eax,(%ebx)", "rsm", "ud2a", "ud2b (%eax),%eax", "ud1 %eax,%ebx", "sysenter", "sysexit",
            "lock rep movsl", "rep lock incl (%eax)", "fs movl %fs:(%eax),%eax", "fs movl (%eax),%eax",
            "fs movl %gs:(%eax),%eax", "lock lock incl (%eax)", "rep repne movsb", "fs gs nop", "rep ret", "repe ret",
            "rep jmp .", "repne call .", "rep mov %eax,%ebx", "rep hlt", "rep xlat", "rep movl %eax,(%ebx)",
            "lock addl $1,%eax", "lock cmpl $1,(%eax)", "lock movl %eax,(%ebx)", "rep bsf %eax,%ebx", "rep bsr %eax,%ebx",
            "rep int3", "rep in $1,%al", "data16 rep stosb", "rep data16 stosb", "rep lret", "rep ret $4", "repne ret",
            "ds movl (%eax),%eax", "ss movl (%ebp),%eax", "cs nop", "lock xchg %eax,(%ebx)", "lock xchg (%ebx),%eax",
            "lock notl (%eax)", "lock cmpxchg8b (%eax)", "lock btl $1,(%eax)", "lock incl %eax",
            "movl %al,%ebx", "incl %al", "popw %al", "aam $256", "lret $0x12345",
        };
        for (String s : more) l.add(s);
        l.addAll(x87Extras());
        return l;
    }
}
