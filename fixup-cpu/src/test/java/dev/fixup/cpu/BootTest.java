package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A guest boot sequence: lgdt, far jump to reload CS, segment loads, lidt, ltr, paging on, int 0x80. */
class BootTest {
    @Test
    void guestBootsItself() {
        Machine m = new Machine(4 << 20);
        String src = ".text\n"
                + "start: lgdt gdtr\n ljmp $0x10, $1f\n"
                + "1: movw $0x18, %ax\n movw %ax, %ds\n movw %ax, %es\n movw %ax, %ss\n movl $0x9000, %esp\n"
                + " lidt idtr\n movw $0x30, %ax\n ltr %ax\n"
                // identity page table for the first 4 MB at 0x5000, directory at 0x4000
                + " movl $0x5000, %edi\n movl $0x7, %eax\n movl $1024, %ecx\n"
                + "2: movl %eax, (%edi)\n addl $0x1000, %eax\n addl $4, %edi\n loop 2b\n"
                + " movl $0x5007, 0x4000\n movl $0x4000, %eax\n movl %eax, %cr3\n"
                + " movl %cr0, %eax\n orl $0x80010000, %eax\n movl %eax, %cr0\n"
                + " movb $'o', %al\n outb %al, $0xe9\n movb $'k', %al\n outb %al, $0xe9\n"
                + " movl $7, %eax\n int $0x80\n hlt\n"
                + "handler: incl %eax\n iret\n"
                + ".align 8\n"
                + "gdt: .long 0, 0, 0, 0\n .long 0x0000ffff, 0x00cf9a00\n .long 0x0000ffff, 0x00cf9200\n"
                + " .long 0, 0, 0, 0\n .long 0x30000067, 0x00008901\n"
                + "gdtr: .word 7*8-1\n .long gdt\n"
                + "idtr: .word 0x81*8-1\n .long 0x2000\n";
        byte[] code = GuestAssembler.assemble(src, 0x10000);
        m.mem.write(0x10000, code);
        int handler = 0x10000 + indexOf(code, new byte[] {0x40, (byte) 0xCF}); // incl %eax; iret
        // IDT entry 0x80 at 0x2000: interrupt gate to the handler.
        m.mem.write32(0x2000 + 0x80 * 8, 0x10 << 16 | (handler & 0xFFFF));
        m.mem.write32(0x2000 + 0x80 * 8 + 4, (handler & 0xFFFF0000) | 0xEE00);
        // The TSS at 0x13000 (base 0x013000 in the descriptor above: 0x3000 low, 0x01 mid).
        Cpu cpu = m.cpu;
        cpu.setEip(0x10000);
        assertEquals(StopReason.HALTED, cpu.run(100_000));
        assertEquals(8, cpu.reg(Cpu.EAX));
        assertEquals("ok", m.consoleText());
        assertEquals(0x10, cpu.segment(Cpu.SEG_CS).selector());
        assertEquals(0x18, cpu.segment(Cpu.SEG_SS).selector());
        assertEquals(0x30, cpu.getTr());
        assertEquals(0, cpu.segment(Cpu.SEG_CS).base());
        assertEquals(0x8B, (m.mem.read32(0x10000 + indexOf(code, new byte[] {0x67, 0, 0, 0x30}) + 4) >>> 8) & 0xFF,
                "TSS descriptor marked busy");
        assertEquals(0x80010011 | 0x10, cpu.getCr0() | 0x10);
        assertEquals(0x23, m.mem.read32(0x4000) & 0x23, "directory entry accessed");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("pattern not found");
    }
}
