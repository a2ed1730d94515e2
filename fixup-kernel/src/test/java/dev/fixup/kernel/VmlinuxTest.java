package dev.fixup.kernel;

import dev.fixup.elf.Section;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The kernel image: its exception table and its ELF form. */
class VmlinuxTest {
    @Test
    void exceptionTableIsSortedAndPointsIntoText() throws Exception {
        KernelImage img = Tools.kernel();
        int start = img.symbol("__start___ex_table"), stop = img.symbol("__stop___ex_table");
        Section ex = img.elf.section("__ex_table"), text = img.elf.section(".text");
        assertEquals(ex.addr, start);
        assertEquals(ex.addr + ex.size, stop);
        assertEquals(0, start % 16, "aligned 16");
        ExceptionTable.Table t = new ExceptionTable.Table("vmlinux", ex.data);
        assertTrue(t.size() >= 15, "entries: " + t.size());
        assertTrue(t.isSorted());
        long fixStart = Layout.u(img.symbol("__fixup_start")), fixEnd = Layout.u(img.symbol("__fixup_end"));
        long textStart = Layout.u(text.addr), textEnd = textStart + text.size;
        assertTrue(fixStart >= textStart && fixStart < fixEnd && fixEnd <= textEnd, ".fixup lies inside .text");
        for (int i = 0; i < t.size(); i++) {
            long insn = Integer.toUnsignedLong(t.insn(i)), fixup = Integer.toUnsignedLong(t.fixup(i));
            assertTrue(insn >= textStart && insn < fixStart, String.format("insn %08x in .text", insn));
            assertTrue(fixup >= textStart && fixup < textEnd, String.format("fixup %08x in .text/.fixup", fixup));
            if (i > 0) assertNotEquals(t.insn(i - 1), t.insn(i), "duplicate entry");
        }
        // The return path's own entries: pop %ds, pop %es, iret.
        int restore = img.symbol("restore_all");
        assertTrue(t.size() > 0 && findAtOrAfter(t, restore) >= 3);
    }

    private static int findAtOrAfter(ExceptionTable.Table t, int addr) {
        int n = 0;
        for (int k = 0; k < t.size(); k++) {
            int i = t.insn(k);
            if (Integer.compareUnsigned(i, addr) >= 0 && Integer.compareUnsigned(i, addr + 16) < 0) n++;
        }
        return n;
    }

    @Test
    void linkedAtTheKernelAddressesAndLoadedAtOneMegabyte() throws Exception {
        KernelImage img = Tools.kernel();
        assertEquals(0xc0100000, img.elf.section(".text").addr);
        for (dev.fixup.elf.Segment s : img.elf.segments) {
            if (s.type == dev.fixup.elf.Elf.PT_LOAD) assertEquals(s.vaddr - 0xc0000000, s.paddr);
        }
        assertEquals(HostCall.DO_PAGE_FAULT.address(), img.symbol("do_page_fault"));
    }

    @Test
    void gnuReadelfReportsNoWarnings() throws Exception {
        Tools.assumeGnu();
        Path t = Files.createTempDirectory("readelf");
        Files.write(t.resolve("vmlinux"), Tools.kernel().bytes);
        String out = Tools.run(t, "readelf", "-a", "-W", "vmlinux");
        assertFalse(out.toLowerCase().contains("warning"), out);
        assertTrue(out.contains("__ex_table"));
    }
}
