package dev.fixup.kernel;

import dev.fixup.kernel.mm.Ram;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class OopsTest {
    @Test
    void pageFaultHeaderIsTheLinuxText() {
        assertEquals("Unable to handle kernel NULL pointer dereference at virtual address 00000004\n"
                + " printing eip:\nc0100123\n*pde = 00000000\n", Oops.pageFaultHeader(4, 0xc0100123, 0, null));
        assertEquals("Unable to handle kernel paging request at virtual address 0badc0de\n"
                + " printing eip:\nc0100123\n*pde = 00123067\n*pte = 00000000\n",
                Oops.pageFaultHeader(0x0badc0de, 0xc0100123, 0x00123067, 0));
        assertTrue(Oops.pageFaultHeader(0x1000, 0, 0, null).startsWith("Unable to handle kernel paging request"),
                "4096 is no longer a NULL dereference");
    }

    @Test
    void dieShowsRegistersStackAndCode() {
        byte[] mem = new byte[0x10000];
        Ram ram = Ram.ofArray(mem);
        // A frame at kernel virtual 0xc0001f00 (physical 0x1f00) of a stack ending at 0x2000.
        int regs = 0xc0001f00;
        PtRegs r = new PtRegs(ram, regs);
        int[] vals = {1, 2, 3, 4, 5, 6, 7, 0x18, 0x18, -1, 0xc0100010, 0x10, 0x46, 0xc0100020, 0x18};
        for (int i = 0; i < vals.length; i++) r.set(4 * i, vals[i]);
        Oops.Memory m = new Oops.Memory() {
            public Integer read32(int va) { return ram.read32(va - 0xc0000000); }
            public int read8(int va) { return va == 0xc0100010 + 3 ? -1 : 0x90; }
            public boolean isKernelText(int va) { return va >= 0xc0100000 && va < 0xc0200000; }
        };
        String s = Oops.die("Oops", 2, r, "prog", 7, 0xc0002000, m);
        assertTrue(s.startsWith("Oops: 0002\nCPU:    0\nEIP:    0010:[<c0100010>]\nEFLAGS: 00000046\n"
                + "eax: 00000007   ebx: 00000001   ecx: 00000002   edx: 00000003\n"
                + "esi: 00000004   edi: 00000005   ebp: 00000006   esp: c0001f34\n"
                + "ds: 0018   es: 0018   ss: 0018\nProcess prog (pid: 7, stackpage=c0002000)\nStack: "), s);
        assertTrue(s.contains("Call Trace: [<c0100020>] \n"), s);
        assertTrue(s.endsWith("Code: 90 90 90  Bad EIP value.\n"), s);
    }
}
