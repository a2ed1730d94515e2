package dev.fixup.cpu;

/**
 * One exception or interrupt about to be delivered through the IDT.
 *
 * @param errorCode the error code that will be pushed, or -1 when the vector has none
 * @param cr2       CR2 at delivery (meaningful for #PF)
 * @param cs        CS at the faulting/interrupted instruction
 * @param eip       EIP of the faulting instruction (its first prefix byte) or, for int n and
 *                  external interrupts, of the next instruction
 * @param software  true for int n / int3 / into (the DPL check applies)
 * @param external  true for hardware interrupts (timer, raiseIrq)
 */
public record ExceptionEvent(int vector, int errorCode, int cr2, int cs, int eip, int cpl, int ss, int esp,
                             boolean software, boolean external) {
    @Override
    public String toString() {
        return String.format("v=%02x e=%04x cr2=%08x eip=%08x cpl=%d", vector, errorCode & 0xFFFF, cr2, eip, cpl);
    }
}
