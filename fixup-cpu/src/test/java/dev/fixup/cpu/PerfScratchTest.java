package dev.fixup.cpu;

import org.junit.jupiter.api.Test;

class PerfScratchTest {
    @Test
    void speed() {
        TestGuest g = new TestGuest();
        g.load("movl $0x300000, %edi\n l: movl %ecx, %eax\n addl $3, %eax\n movl %eax, (%edi)\n xorl (%edi), %ebx\n"
            + "incl %ecx\n cmpl $100000000, %ecx\n jne l\n hlt\n");
        for (int round = 0; round < 5; round++) {
            g.cpu.setEip(TestGuest.CODE);
            g.cpu.setReg(Cpu.ECX, 0);
            long t0 = System.nanoTime();
            g.cpu.run(20_000_000);
            long t1 = System.nanoTime();
            System.out.printf("MIPS: %.1f%n", 20_000_000 / ((t1 - t0) / 1e3));
        }
    }
}
