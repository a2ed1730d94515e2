/**
 * Signals: numbers and siginfo, a task's actions, mask and pending set, sending and delivery on
 * the way back to user mode, and the signal frames written on the user stack and read back by
 * sigreturn.
 */
package dev.fixup.kernel.signal;
