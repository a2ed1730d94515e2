/**
 * The Fixup kernel: a small Linux-2.4-like i386 kernel whose user-access path is the one the seeds
 * describe. Read it in this order:
 * <ol>
 * <li>{@code src/main/asm/uaccess.S} - every routine that touches user memory, unchecked, each
 *     faulting instruction paired with repair code in {@code .fixup} by an {@code __ex_table} entry;</li>
 * <li>{@code src/main/asm/kernel.lds} - {@code .fixup} inside {@code .text}, the tables gathered
 *     between {@code __start___ex_table} and {@code __stop___ex_table};</li>
 * <li>{@code src/main/asm/entry.S} - how exceptions and {@code int $0x80} reach the kernel
 *     (struct pt_regs) and how it returns, with the return path's own table entries;</li>
 * <li>{@link dev.fixup.kernel.mm.PageFaultHandler} - do_page_fault, the decision tree ending at
 *     no_context, where the faulting EIP is replaced by the fixup address;</li>
 * <li>{@link dev.fixup.kernel.ExceptionTable} - the sorted table and its exact, unsigned binary search.</li>
 * </ol>
 * The guest/host split: the code above that the seeds show runs as guest code on the emulated CPU;
 * policy is Java. Guest code calls Java services at fixed addresses ({@link dev.fixup.kernel.HostCall});
 * Java syscalls ({@link dev.fixup.kernel.syscall.Syscalls}) reach user memory only by calling the guest
 * routines back ({@link dev.fixup.kernel.UserAccess}, {@code Kernel.callGuest}), so a bad pointer
 * really faults inside guest code and really is repaired through the table.
 * <p>This package holds what ties the kernel together: boot, the host-call gate and
 * {@code callGuest}, the exception table, traps and oops, the Java side of the user-access
 * routines, the trace log and the in-kernel self-tests. The subsystems live beside it as Linux's
 * tree has them: {@code mm}, {@code proc}, {@code signal}, {@code fs}, {@code syscall} and
 * {@code module}.
 * <p>Entry points: {@link dev.fixup.kernel.KernelBuilder#build()} (vmlinux from the guest sources by
 * Fixup's assembler and linker) and {@link dev.fixup.kernel.Kernel#run}.
 */
package dev.fixup.kernel;
