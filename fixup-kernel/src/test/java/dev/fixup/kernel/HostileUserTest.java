package dev.fixup.kernel;

import dev.fixup.kernel.signal.Signal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** User code that pokes at the kernel: each attempt kills only the task. */
class HostileUserTest {
    private static int status(String body) throws Exception {
        return Tools.run(Tools.program("\t.text\n\t.globl _start\n_start:\n" + body
                + "\tmovl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n"), false).status();
    }

    @Test
    void jumpingIntoTheJavaServicesPageIsSigsegv() throws Exception {
        assertEquals(139, status("\tmovl $0xc0001040, %eax\n\tjmp *%eax\n"));
        assertEquals(139, status("\tmovl $0xc0002000, %eax\n\tcall *%eax\n"));
    }

    @Test
    void readingAndWritingKernelMemoryIsSigsegv() throws Exception {
        assertEquals(139, status("\tmovl 0xc0100000, %eax\n"));
        assertEquals(139, status("\tmovl $0, 0xc0101000\n"));
    }

    @Test
    void writingItsOwnCodeIsSigsegv() throws Exception {
        assertEquals(139, status("\tmovl $_start, %eax\n\tmovb $0x90, (%eax)\n"));
    }

    @Test
    void gatesWithDplZeroAndPrivilegedInstructionsAreSigsegv() throws Exception {
        assertEquals(139, status("\tint $0x0e\n"));
        assertEquals(139, status("\tcli\n"));
        assertEquals(139, status("\thlt\n"));
    }

    @Test
    void anEndlessLoopIsStoppedByTheInstructionLimit() throws Exception {
        Tools.Run r = Tools.run(Tools.program("\t.text\n\t.globl _start\n_start:\n1:\tjmp 1b\n"), false);
        assertEquals(128 + Signal.SIGKILL, r.status());
        assertTrue(r.klog().contains("instructions: killed"), r.klog());
    }
}
