package dev.fixup.cpu.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facade's contract: page permissions as the MMU enforces them, hooks that watch and hooks that handle, start's limits. */
class EmulatorTest {
    private static final int CODE = 0x400000, DATA = 0x800000;

    private static Emulator withCode(int... bytes) {
        Emulator emu = new Emulator(8 << 20);
        emu.map(CODE, 4096, Emulator.READ | Emulator.EXEC);
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
        emu.write(CODE, b);
        return emu;
    }

    @Test
    void anUnhandledWriteToAReadOnlyPageStopsAtTheFaultingInstruction() {
        // mov $DATA, %ebx; movl $7, (%ebx)
        Emulator emu = withCode(0xbb, 0x00, 0x00, 0x80, 0x00, 0xc7, 0x03, 0x07, 0x00, 0x00, 0x00);
        emu.map(DATA, 4096, Emulator.READ);
        EmulatorException e = assertThrows(EmulatorException.class, () -> emu.start(CODE, CODE + 11, 0, 0));
        assertEquals(EmulatorException.Kind.WRITE_PROT, e.kind());
        assertEquals(DATA, e.address());
        assertEquals(CODE + 5, emu.reg(Register.EIP), "EIP is the faulting instruction's");
        assertEquals(0, emu.read32(DATA));
        emu.protect(DATA, 4096, Emulator.READ | Emulator.WRITE);
        emu.start(CODE + 5, CODE + 11, 0, 0);
        assertEquals(7, emu.read32(DATA), "after protect the store goes through");
    }

    @Test
    void invalidAccessesAreClassifiedAndAFetchFromAnUnmappedPageToo() {
        // mov (DATA), %eax ; jmp to 0x900000
        Emulator emu = withCode(0xa1, 0x00, 0x00, 0x80, 0x00, 0xe9, 0xf6, 0xff, 0x4f, 0x00);
        List<String> seen = new ArrayList<>();
        emu.hookInvalidMemory((e, type, address) -> {
            seen.add(type + "@" + Integer.toHexString(address));
            if (type == MemoryAccess.FETCH_UNMAPPED) return false;
            e.map(address & ~0xfff, 4096, Emulator.ALL);
            e.write32(address, 99);
            return true;
        });
        EmulatorException e = assertThrows(EmulatorException.class, () -> emu.start(CODE, 0, 0, 0));
        assertEquals(List.of("READ_UNMAPPED@800000", "FETCH_UNMAPPED@900000"), seen);
        assertEquals(EmulatorException.Kind.FETCH_UNMAPPED, e.kind());
        assertEquals(99, emu.reg(Register.EAX));
        assertEquals(0x900000, emu.reg(Register.EIP));
    }

    @Test
    void memoryHooksSeeReadsAndWritesInTheirRangeOnly() {
        // mov (DATA), %eax; mov %eax, 4(DATA); mov %eax, 0x100(DATA) ; hlt-free end
        Emulator emu = withCode(0xa1, 0x00, 0x00, 0x80, 0x00, 0xa3, 0x04, 0x00, 0x80, 0x00, 0xa3, 0x00, 0x01, 0x80, 0x00);
        emu.map(DATA, 4096, Emulator.READ | Emulator.WRITE);
        emu.write32(DATA, 5);
        List<String> log = new ArrayList<>();
        emu.hookMemRead(DATA, DATA + 0xff, (e, type, a) -> log.add(type + " " + Integer.toHexString(a)));
        emu.hookMemWrite(DATA, DATA + 0xff, (e, type, a) -> log.add(type + " " + Integer.toHexString(a)));
        emu.start(CODE, CODE + 15, 0, 0);
        assertEquals(List.of("READ 800000", "WRITE 800004"), log);
        assertEquals(5, emu.read32(DATA + 0x100));
    }

    @Test
    void countTimeoutStopAndContexts() throws Exception {
        Emulator emu = withCode(0x40, 0xeb, 0xfd); // 1: inc %eax; jmp 1b
        emu.start(CODE, CODE + 100, 0, 1001);
        assertEquals(501, emu.reg(Register.EAX), "1001 instructions: 501 incs");
        Context saved = emu.saveContext();
        long t0 = System.nanoTime();
        emu.start(CODE, CODE + 100, 200_000_000L, 0);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 150 && ms < 5000, "timeout honoured: " + ms + " ms");
        assertTrue(emu.reg(Register.EAX) > 501);
        emu.restoreContext(saved);
        assertEquals(501, emu.reg(Register.EAX));
        assertEquals(saved.eip(), emu.reg(Register.EIP));
        Thread stopper = new Thread(() -> {
            try { Thread.sleep(100); } catch (InterruptedException e) { return; }
            emu.stop();
        });
        stopper.start();
        emu.start(CODE, CODE + 100, 0, 0);
        stopper.join();
        assertTrue(emu.reg(Register.EAX) > 0);
        emu.start(CODE, CODE + 1, 0, 0);
        assertEquals(CODE + 1, emu.reg(Register.EIP), "no stop request is left over for the next run");
    }

    @Test
    void interruptsGoToTheHookAndUnhandledOnesStop() {
        Emulator emu = withCode(0xcd, 0x21, 0x0f, 0x0b); // int $0x21; ud2
        List<Integer> vectors = new ArrayList<>();
        Emulator.HookHandle h = emu.hookInterrupt((e, v) -> {
            vectors.add(v);
            if (v == 6) e.setReg(Register.EIP, e.reg(Register.EIP) + 2); // skip the ud2
        });
        emu.start(CODE, CODE + 4, 0, 0);
        assertEquals(List.of(0x21, 6), vectors);
        h.remove();
        EmulatorException e = assertThrows(EmulatorException.class, () -> emu.start(CODE + 2, CODE + 4, 0, 0));
        assertEquals(EmulatorException.Kind.EXCEPTION, e.kind());
        assertEquals(6, e.address());
    }

    @Test
    void mappingMistakesAreOneLineErrors() {
        Emulator emu = new Emulator(1 << 20);
        assertThrows(IllegalArgumentException.class, () -> emu.map(0x1001, 4096, Emulator.ALL));
        assertThrows(IllegalArgumentException.class, () -> emu.map(Emulator.RESERVED_BASE, 4096, Emulator.ALL));
        emu.map(0x1000, 4096, Emulator.ALL);
        assertEquals(EmulatorException.Kind.MAP, assertThrows(EmulatorException.class, () -> emu.map(0x1000, 4096, Emulator.ALL)).kind());
        assertEquals(EmulatorException.Kind.MAP, assertThrows(EmulatorException.class, () -> emu.unmap(0x2000, 4096)).kind());
        assertEquals(EmulatorException.Kind.MAP, assertThrows(EmulatorException.class, () -> emu.map(0x100000, 2 << 20, Emulator.ALL)).kind(),
                "more than the RAM");
        emu.unmap(0x1000, 4096);
        assertEquals(-1, emu.permissions(0x1000));
        assertThrows(EmulatorException.class, () -> emu.read(0x1000, 1));
    }
}
