package dev.fixup.cpu;

/** Called before each exception or interrupt is delivered (the kernel's fault trace uses it). */
@FunctionalInterface
public interface ExceptionListener {
    void exception(Cpu cpu, ExceptionEvent event);
}
