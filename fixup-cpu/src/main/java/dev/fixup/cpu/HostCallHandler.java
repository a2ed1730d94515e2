package dev.fixup.cpu;

/**
 * Java code reached by guest code: called instead of decoding when the CPU is about to execute an
 * instruction whose physical address lies in a registered host-call page. The handler performs
 * the whole "instruction": it reads cdecl arguments from the guest stack, sets EAX and pops the
 * return address into EIP. It may call {@link Cpu#runUntil(int)} (nested) and may throw a
 * RuntimeException to unwind the run loop; the CPU remains usable.
 */
@FunctionalInterface
public interface HostCallHandler {
    void call(Cpu cpu, int offsetInPage);
}
