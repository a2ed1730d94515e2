package dev.fixup.cpu;

/** The host could not allocate a chunk of guest RAM the guest touched: the Java heap is full. */
public final class HostMemoryExhausted extends RuntimeException {
    HostMemoryExhausted(String message) {
        super(message, null, false, false);
    }
}
