package dev.fixup.kernel;

import dev.fixup.kernel.signal.Signal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/** entry.S: the return path's own table entries, the general-protection handler, the timer. */
class ReturnPathTest {
    private record Result(int status, String trace) {}

    /** Runs `body` after a probe syscall (1001) whose Java side may damage the saved frame. */
    private static Result run(String body, Consumer<PtRegs> damage) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(o, trace, o);
        c.trace = EnumSet.allOf(KernelConfig.TraceClass.class);
        Kernel k = Kernel.boot(c, Tools.kernel());
        k.testProbe = kk -> damage.accept(new PtRegs(kk.ram, kk.current.kstackTop() - PtRegs.SIZE));
        byte[] p = Tools.program("\t.text\n\t.globl _start\n_start:\n\tmovl $1001, %eax\n\tint $0x80\n" + body
                + "\tmovl $1, %eax\n\tmovl $7, %ebx\n\tint $0x80\n");
        int st = k.exec(p, new String[] {"ret"}, new String[0]);
        return new Result(st, trace.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSelectorThatNoLongerLoadsIsReplacedByNull() throws Exception {
        // RPL 3 on the kernel data segment: `pop %ds` at CPL 0 raises #GP(0x18); the fixup pops 0.
        Result r = run("\tmovl %ds, %eax\n\tmovl %eax, %ebx\n\tmovl $0x2b, %eax\n\tmovl %eax, %ds\n"
                + "\tmovl $1, %eax\n\tint $0x80\n", regs -> regs.set(PtRegs.DS, 0x1b));
        assertTrue(r.trace.contains("fault: v=0d e=0018"), r.trace);
        assertTrue(r.trace.contains("<restore_all+0x7> -> fixup="), r.trace);
        assertEquals(0, r.status, "the task saw %ds = 0 and exited with it\n" + r.trace);
    }

    @Test
    void aFaultingIretKillsTheTask() throws Exception {
        Result r = run("", regs -> regs.set(PtRegs.CS, 0x13));      // kernel code with RPL 3: iret refuses it
        assertTrue(r.trace.contains("fault: v=0d"), r.trace);
        assertTrue(r.trace.contains("<restore_all+0xc> -> fixup="), r.trace);
        assertEquals(139, r.status);
    }

    @Test
    void userGeneralProtectionFaultIsSigsegv() throws Exception {
        Result r = run("\tmovl $0x18, %eax\n\tmovl %eax, %ds\n", regs -> {});
        assertTrue(r.trace.contains("fault: v=0d e=0018"), r.trace);
        assertFalse(r.trace.contains("extable:"), r.trace);
        assertEquals(139, r.status);
    }

    @Test
    void divideErrorAndInvalidOpcodeGiveTheirSignals() throws Exception {
        assertEquals(128 + Signal.SIGFPE, run("\txorl %ecx, %ecx\n\tdivl %ecx\n", regs -> {}).status);
        assertEquals(128 + Signal.SIGTRAP, run("\tint3\n", regs -> {}).status);
    }

    @Test
    void timerInterruptsUserCodeAndItCarriesOn() throws Exception {
        Result r = run("\tmovl $2000000, %ecx\n1:\tdecl %ecx\n\tjnz 1b\n", regs -> {});
        assertEquals(7, r.status, r.trace);
        assertTrue(r.trace.contains("irq: v=20") && r.trace.contains("cpl=3 irq"), r.trace);
    }
}
