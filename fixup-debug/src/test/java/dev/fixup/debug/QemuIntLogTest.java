package dev.fixup.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.Machine;
import dev.fixup.cpu.StopReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shape of qemu-system-i386's {@code -d int} output, as its documentation and its logs show
 * it: a {@code check_exception old: 0x.. new 0x..} line, then
 * {@code COUNT: v=VV e=EEEE i=I cpl=C IP=CCCC:EIP pc=PC SP=SSSS:ESP CR2=ADDR}, then the register
 * dump (EAX.. lines, segment lines {@code CS =sel base limit flags}, GDT/IDT, CR0.., DR0..).
 * The machine: paging on, no IDT, {@code mov 0x300000,%eax} on an unmapped page: #PF, whose
 * delivery faults (the CPU turns that into a double fault at once), then a triple fault.
 */
class QemuIntLogTest {
    private static final Pattern V_LINE = Pattern.compile(
            " {0,5}\\d{1,6}: v=[0-9a-f]{2} e=[0-9a-f]{4} i=[01] cpl=[0-3] IP=[0-9a-f]{4}:[0-9a-f]{8} pc=[0-9a-f]{8} SP=[0-9a-f]{4}:[0-9a-f]{8}"
                    + "( CR2=[0-9a-f]{8}| env->regs\\[R_EAX\\]=[0-9a-f]{8})");
    private static final Pattern[] DUMP = {
        Pattern.compile("EAX=[0-9a-f]{8} EBX=[0-9a-f]{8} ECX=[0-9a-f]{8} EDX=[0-9a-f]{8}"),
        Pattern.compile("ESI=[0-9a-f]{8} EDI=[0-9a-f]{8} EBP=[0-9a-f]{8} ESP=[0-9a-f]{8}"),
        Pattern.compile("EIP=[0-9a-f]{8} EFL=[0-9a-f]{8} \\[[-D][-O][-S][-Z][-A][-P][-C]\\] CPL=\\d II=\\d A20=\\d SMM=\\d HLT=\\d"),
        Pattern.compile("ES =[0-9a-f]{4} [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8}( DPL=[0-3] (CS16|CS32|DS16|DS  ) \\[[-CE][-RW][-A]\\])?"),
        Pattern.compile("CS =.*"), Pattern.compile("SS =.*"), Pattern.compile("DS =.*"), Pattern.compile("FS =.*"), Pattern.compile("GS =.*"),
        Pattern.compile("LDT=[0-9a-f]{4} [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8} DPL=0 LDT"),
        Pattern.compile("TR =[0-9a-f]{4} [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8} DPL=0 TSS32-(busy|avl)"),
        Pattern.compile("GDT=     [0-9a-f]{8} [0-9a-f]{8}"),
        Pattern.compile("IDT=     [0-9a-f]{8} [0-9a-f]{8}"),
        Pattern.compile("CR0=[0-9a-f]{8} CR2=[0-9a-f]{8} CR3=[0-9a-f]{8} CR4=[0-9a-f]{8}"),
        Pattern.compile("DR0=[0-9a-f]{8} DR1=[0-9a-f]{8} DR2=[0-9a-f]{8} DR3=[0-9a-f]{8} "),
        Pattern.compile("DR6=[0-9a-f]{8} DR7=[0-9a-f]{8}"),
        Pattern.compile("CCS=[0-9a-f]{8} CCD=[0-9a-f]{8} CCO=\\S+ *"),
        Pattern.compile("EFER=[0-9a-f]{16}"),
    };

    @Test
    void aPageFaultThatEscalatesReadsAsQemuLogsIt() {
        Machine m = new Machine(8 << 20);
        Cpu cpu = m.cpu();
        for (int i = 0; i < 1024; i++) m.mem.write32(0x2000 + 4 * i, i << 12 | 7);
        m.mem.write32(0x2000 + 4 * 0x300, 0);
        m.mem.write32(0x1000, 0x2000 | 7);
        cpu.setCr3(0x1000);
        cpu.setCr0(cpu.getCr0() | 1 << 31);
        m.mem.write(0x10000, new byte[] {(byte) 0xa1, 0x00, 0x00, 0x30, 0x00}); // mov 0x300000,%eax
        cpu.setEip(0x10000);
        cpu.setReg(Cpu.ESP, 0x9000);
        cpu.setReg(Cpu.EAX, 0x1234);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Integer> laterListener = new ArrayList<>();
        cpu.setExceptionListener((c, e) -> laterListener.add(e.vector()));
        QemuIntLog.install(cpu, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertEquals(StopReason.TRIPLE_FAULT, cpu.run(10));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");

        assertEquals(List.of(0x0e, 0x08), laterListener, "the kernel's own listener still runs");
        assertEquals("check_exception old: 0xffffffff new 0xe", lines[0]);
        assertEquals("     0: v=0e e=0000 i=0 cpl=0 IP=0000:00010000 pc=00010000 SP=0000:00009000 CR2=00300000", lines[1]);
        assertTrue(V_LINE.matcher(lines[1]).matches());
        for (int i = 0; i < DUMP.length; i++) {
            assertTrue(DUMP[i].matcher(lines[2 + i]).matches(), "dump line " + i + ": " + lines[2 + i]);
        }
        int next = 2 + DUMP.length;
        assertEquals("check_exception old: 0xe new 0x8", lines[next], "a double fault names the exception it interrupted");
        assertTrue(V_LINE.matcher(lines[next + 1]).matches(), lines[next + 1]);
        assertTrue(lines[next + 1].startsWith("     1: v=08 e=0000 i=0") && lines[next + 1].endsWith(" env->regs[R_EAX]=00001234"), lines[next + 1]);
        assertTrue(lines[2].startsWith("EAX=00001234 "));
    }
}
