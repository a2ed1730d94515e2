package dev.fixup.debug.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.Machine;
import dev.fixup.cpu.StopReason;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The web view's Pause, Step and Continue on a CPU running {@code 1: inc %eax; jmp 1b} on another thread. */
class MachineControlTest {
    @Test
    void pauseStepsOneInstructionAtATimeAndContinueRunsFreely() throws Exception {
        Machine m = new Machine(1 << 20);
        Cpu cpu = m.cpu();
        m.memory().write(0x1000, new byte[] {0x40, (byte) 0xeb, (byte) 0xfd});
        cpu.setEip(0x1000);
        MachineControl control = new MachineControl(cpu);
        AtomicReference<StopReason> result = new AtomicReference<>();
        Thread runner = new Thread(() -> result.set(cpu.run(Long.MAX_VALUE)));
        runner.start();

        control.pause();
        waitUntil(control::paused);
        int stops = control.stops();
        long before = cpu.instructionCount();
        int eip = cpu.getEip(), eax = cpu.reg(Cpu.EAX);
        for (int i = 0; i < 4; i++) {
            control.step();
            int expected = stops + i + 1;
            waitUntil(() -> control.stops() == expected && control.paused());
        }
        assertEquals(before + 4, cpu.instructionCount(), "four steps, four instructions");
        assertEquals(eip, cpu.getEip(), "two trips round the two-instruction loop");
        assertEquals(eax + 2, cpu.reg(Cpu.EAX));

        control.resume();
        waitUntil(() -> cpu.instructionCount() > before + 100_000);
        assertTrue(!control.paused());
        cpu.requestStop();
        runner.join(10_000);
        assertEquals(StopReason.STOP_REQUESTED, result.get());
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(2);
        }
    }
}
