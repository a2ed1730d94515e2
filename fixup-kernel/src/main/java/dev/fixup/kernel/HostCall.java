package dev.fixup.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java services guest code calls. Each has an address in the host-call page; the kernel is
 * linked with these names defined as absolute symbols, so entry.S says `call do_page_fault` and
 * the CPU runs the Java method when it fetches from that address.
 */
public enum HostCall {
    DO_SYSCALL, DO_TIMER, DO_RETURN_TO_USER, DO_EXIT, DO_PAGE_FAULT,
    DO_DIVIDE_ERROR, DO_DEBUG, DO_NMI, DO_INT3, DO_OVERFLOW, DO_BOUNDS, DO_INVALID_OP,
    DO_DEVICE_NOT_AVAILABLE, DO_DOUBLE_FAULT, DO_COPROCESSOR_SEGMENT_OVERRUN, DO_INVALID_TSS,
    DO_SEGMENT_NOT_PRESENT, DO_STACK_SEGMENT, DO_GENERAL_PROTECTION, DO_SPURIOUS_INTERRUPT_BUG,
    DO_COPROCESSOR_ERROR, DO_ALIGNMENT_CHECK, DO_MACHINE_CHECK, DO_SIMD_COPROCESSOR_ERROR;

    /** Bytes between two services in the page (keeps each on its own line in a disassembly). */
    public static final int STRIDE = 16;

    /** The symbol name, e.g. do_page_fault. */
    public String symbol() { return name().toLowerCase(); }

    public int address() { return Layout.va(Layout.HOSTCALL_PHYS) + STRIDE * ordinal(); }

    private static final HostCall[] ALL = values();

    public static HostCall at(int offsetInPage) {
        int i = offsetInPage / STRIDE;
        return offsetInPage % STRIDE == 0 && i < ALL.length ? ALL[i] : null;
    }

    /** The absolute symbols the kernel is linked with. */
    public static Map<String, Integer> symbols() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (HostCall h : values()) m.put(h.symbol(), h.address());
        return m;
    }
}
