package dev.fixup.asm;

/** One error in the statement being assembled; caught per statement so that assembly goes on. */
final class AsmError extends RuntimeException {
    AsmError(String message) { super(message, null, false, false); }
}
