/**
 * The system-call table (Linux i386 numbers) that every subsystem registers its calls in, the
 * argument plumbing and the call names for traces (qemu-user's -strace format too), and the small
 * calls that belong to no subsystem: uname, clocks, ids, sysinfo.
 */
package dev.fixup.kernel.syscall;
