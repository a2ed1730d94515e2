package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's use of host calls in miniature: a Java "syscall" calls a guest copy routine
 * through a nested runUntil; the routine faults on a bad pointer; the guest page-fault stub calls
 * the Java fault handler (another host call), which redirects the saved EIP to the fixup; iret
 * lands in the fixup, which returns -14 to the Java syscall.
 */
class HostCallTest {
    static final int HOST = 0x7000;          // host-call page (physical = linear here)
    static final int DO_PAGE_FAULT = HOST, SYSCALL = HOST + 0x10;
    static final int RETURN_GATE = 0x7800;   // a code address the nested run stops at
    static final int GUEST = 0x30000, STUB = 0x31000;

    @Test
    void nestedRunThroughPageFaultAndFixup() {
        TestGuest g = new TestGuest();
        g.pte(0x200000, 0);
        g.mem.write32(0x210000, 0xfeedbeef);
        // get_user_4(ptr): the load at 1: may fault; fixup at 3: returns -14.
        g.load("get_user_4: movl 4(%esp), %esi\n"
                + "1: movl (%esi), %eax\n"
                + "2: ret\n"
                + "3: movl $-14, %eax\n jmp 2b\n", GUEST);
        int faultingLoad = GUEST + 4, fixup = GUEST + 7;
        g.load("call " + DO_PAGE_FAULT + "\n addl $4, %esp\n iret\n", STUB);
        g.gate(14, STUB, 0xE, 0);
        List<String> log = new ArrayList<>();

        g.m.setHostCallPage(HOST, (cpu, off) -> {
            if (off == (DO_PAGE_FAULT & 0xFFF)) {
                // Frame: [esp] return into stub, [esp+4] error code, [esp+8] EIP of the fault.
                int esp = cpu.reg(Cpu.ESP);
                int eip = cpu.readLinear32(esp + 8);
                log.add(String.format("fault cr2=%08x eip=%08x err=%d", cpu.getCr2(), eip, cpu.readLinear32(esp + 4)));
                if (eip == faultingLoad) cpu.writeLinear32(esp + 8, fixup);
                cpu.returnFromHostCall(0);
            } else {
                int ptr = cpu.arg(0);
                int result = callGuest(cpu, GUEST, ptr);
                log.add(String.format("syscall(%08x) = %d", ptr, result));
                cpu.returnFromHostCall(result);
            }
        });
        g.load("pushl $0x210000\n call " + SYSCALL + "\n movl %eax, %ebx\n"
                + "pushl $0x200000\n call " + SYSCALL + "\n hlt\n");
        int esp0 = g.cpu.reg(Cpu.ESP);
        assertEquals(StopReason.HALTED, g.run());
        assertEquals(0xfeedbeef, g.cpu.reg(Cpu.EBX));
        assertEquals(-14, g.cpu.reg(Cpu.EAX));
        assertEquals(esp0 - 8, g.cpu.reg(Cpu.ESP));
        assertEquals(List.of("syscall(00210000) = -17973521",
                "fault cr2=00200000 eip=" + String.format("%08x", faultingLoad) + " err=0",
                "syscall(00200000) = -14"), log);
    }

    /** Java -> guest: push the argument and a return address, run until it comes back. */
    static int callGuest(Cpu cpu, int function, int arg) {
        int savedEip = cpu.getEip();
        cpu.push(arg);
        cpu.push(RETURN_GATE);
        cpu.setEip(function);
        StopReason r = cpu.runUntil(RETURN_GATE, 100_000);
        if (r != StopReason.REACHED_ADDRESS) throw new IllegalStateException("guest call stopped: " + r);
        cpu.pop();
        cpu.setEip(savedEip);
        return cpu.reg(Cpu.EAX);
    }

    @Test
    void handlerExceptionUnwindsRunAndCpuStaysUsable() {
        TestGuest g = new TestGuest();
        g.m.setHostCallPage(HOST, (cpu, off) -> {
            throw new IllegalStateException("task died");
        });
        g.load("call " + HOST + "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, g::run);
        assertEquals("task died", e.getMessage());
        assertEquals(HOST, g.cpu.getEip());
        g.load("movl $42, %eax\n hlt\n", 0x40000);
        assertEquals(StopReason.HALTED, g.run());
        assertEquals(42, g.cpu.reg(Cpu.EAX));
    }

    @Test
    void hostCallPageIsMatchedByPhysicalAddress() {
        TestGuest g = new TestGuest();
        // Linear 0x300000 maps to physical HOST.
        g.mem.write32(TestGuest.PT + 4 * 0x300, HOST | 7);
        int[] seen = {-1};
        g.m.setHostCallPage(HOST, (cpu, off) -> {
            seen[0] = off;
            cpu.returnFromHostCall(7);
        });
        g.load("call 0x300024\n hlt\n");
        g.run();
        assertEquals(0x24, seen[0]);
        assertEquals(7, g.cpu.reg(Cpu.EAX));
    }

    @Test
    void selfModifyingCodeIsSeen() {
        TestGuest g = new TestGuest();
        // Runs the same instruction twice; between runs the guest patches its immediate.
        g.load("xorl %ecx, %ecx\n"
                + "again: movl $1, %eax\n"
                + "addl %eax, %ebx\n"
                + "movl $5, again+1\n"
                + "incl %ecx\n cmpl $2, %ecx\n jne again\n hlt\n");
        g.run();
        assertEquals(6, g.cpu.reg(Cpu.EBX));
        // A write from the host (a loader) is seen as well.
        g.mem.write32(TestGuest.CODE + 3, 100);
        g.cpu.setEip(TestGuest.CODE);
        g.cpu.setReg(Cpu.EBX, 0);
        g.run();
        assertEquals(105, g.cpu.reg(Cpu.EBX));
    }
}
