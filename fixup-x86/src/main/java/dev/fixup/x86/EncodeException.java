package dev.fixup.x86;

/** The instruction cannot be encoded; the message reads like GNU as's ("operand type mismatch for `mov'"). */
public class EncodeException extends Exception {
    public EncodeException(String message) {
        super(message);
    }
}
