package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The local descriptor table: lldt loads LDTR from an LDT descriptor in the GDT, sldt reads it
 * back, a selector with TI=1 loads a segment from the LDT (and marks that descriptor accessed
 * there), lar/lsl see it; lldt of anything but an LDT descriptor is refused, and null unloads it.
 */
class LdtTest {
    @Test
    void segmentsLoadFromTheLdt() {
        Machine m = new Machine(4 << 20);
        String src = ".text\n"
                + "start: lgdt gdtr\n ljmp $0x10, $1f\n"
                + "1: movw $0x18, %ax\n movw %ax, %ds\n movw %ax, %ss\n movl $0x9000, %esp\n"
                + " movw $0x28, %ax\n lldt %ax\n sldt %bx\n"
                + " movw $0x0c, %ax\n movw %ax, %fs\n"          // LDT entry 1, RPL 0
                + " movl %fs:4, %ecx\n"
                + " lar %eax, %edx\n lsl %eax, %esi\n"
                + " hlt\n"
                + ".align 8\n"
                + "gdt: .long 0, 0, 0x0000ffff, 0x00cf9a00\n .long 0x0000ffff, 0x00cf9a00\n .long 0x0000ffff, 0x00cf9200\n"
                + " .long 0, 0\n"
                + " .word 15\n .word ldt - start\n .byte 1\n .byte 0x82\n .byte 0\n .byte 0\n"     // 0x28: LDT at 0x1xxxx, 2 entries
                + "gdtr: .word 6*8-1\n .long gdt\n"
                + ".align 8\n"
                + "ldt: .long 0, 0\n"
                + " .word 0x000f\n .word data - start\n .byte 1\n .byte 0x92\n .byte 0x40\n .byte 0\n"  // entry 1: data at `data`, limit 15
                + "data: .long 0x11111111, 0x22222222, 0x33333333, 0x44444444\n";
        byte[] code = GuestAssembler.assemble(src, 0x10000);
        m.mem.write(0x10000, code);
        Cpu cpu = m.cpu;
        cpu.setEip(0x10000);
        assertEquals(StopReason.HALTED, cpu.run(100_000));
        assertEquals(0x28, cpu.reg(Cpu.EBX) & 0xFFFF, "sldt");
        assertEquals(0x28, cpu.getLdtSelector());
        assertEquals(0x0c, cpu.segment(Cpu.SEG_FS).selector());
        assertEquals(0x22222222, cpu.reg(Cpu.ECX), "fs:4 through the LDT descriptor");
        assertEquals(0x00409300, cpu.reg(Cpu.EDX), "lar of an LDT selector: the access byte now marked accessed");
        assertEquals(15, cpu.reg(Cpu.ESI), "lsl");
        int ldt = 0x10000 + code.length - 16 - 16;          // ldt: 2 entries, then data (16 bytes)
        assertEquals(0x93, (m.mem.read32(ldt + 12) >>> 8) & 0xFF, "the LDT descriptor is marked accessed in the LDT");

        assertThrows(IllegalArgumentException.class, () -> cpu.loadLdt(0x18), "a data descriptor is no LDT");
        assertThrows(IllegalArgumentException.class, () -> cpu.loadLdt(0x2c), "an LDT's descriptor lives in the GDT");
        cpu.loadLdt(0);
        assertEquals(0, cpu.getLdtSelector());
        assertThrows(IllegalArgumentException.class, () -> cpu.loadSegment(Cpu.SEG_FS, 0x0c), "no LDT: TI=1 faults");
    }
}
