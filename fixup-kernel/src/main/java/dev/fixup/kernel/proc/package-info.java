/**
 * Processes: the task structure, the process table and its round-robin scheduler, wait queues,
 * fork, exec (with the ELF loader and the initial user stack), exit and wait, futexes, resource
 * limits and the thread-local segments.
 */
package dev.fixup.kernel.proc;
