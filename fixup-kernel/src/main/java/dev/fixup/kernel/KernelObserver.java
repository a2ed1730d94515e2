package dev.fixup.kernel;

import dev.fixup.kernel.mm.Vma;

import dev.fixup.cpu.ExceptionEvent;

/**
 * Told what the kernel does on the fault path, as it happens, on the CPU's thread (see
 * {@link KernelConfig#observer}). The web view builds its fault timeline from these calls: an
 * exception, then for a page fault do_page_fault's decision, then the way it ended (a fixup, a
 * signal, an oops), then the result of the system call it happened in.
 */
public interface KernelObserver {
    /** A CPU exception (not int n, not a hardware interrupt) is about to be delivered; pid 0: no task. */
    default void exception(int pid, ExceptionEvent e) { }

    /**
     * do_page_fault decided: {@code vma} is the area it found (null: none), {@code decision} says
     * what it did in words (good_area, bad_area and why, the stack grown, no_context).
     */
    default void pageFault(int pid, int eip, int cr2, int errorCode, Vma vma, String decision) { }

    /** The exception table sent the faulting kernel instruction at {@code eip} to {@code fixup}. */
    default void fixup(int eip, int fixup) { }

    /** A fault the kernel could not fix: the oops's first line (the whole text is in the kernel log). */
    default void oops(int pid, String firstLine) { }

    /** Task {@code pid} called exit or exit_group: its address space is still whole (the web view keeps a picture of it). */
    default void exiting(int pid) { }

    /** A system call returned {@code result} (-errno on failure) to task {@code pid}. */
    default void syscallReturned(int pid, String name, int result) { }
}
