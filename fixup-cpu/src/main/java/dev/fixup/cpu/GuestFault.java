package dev.fixup.cpu;

/**
 * A guest exception raised while executing an instruction (a fault the CPU delivers through the
 * guest IDT). Stackless and reused: it is control flow inside the interpreter, never an error of
 * the host, and it is always caught by the run loop.
 */
final class GuestFault extends RuntimeException {
    int vector;
    /** The error code pushed on delivery, or -1 for vectors that push none. */
    int errorCode;

    GuestFault() {
        super(null, null, false, false);
    }

    GuestFault set(int vector, int errorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        return this;
    }
}
