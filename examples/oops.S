# oops.S - a kernel access to a user pointer with NO exception-table entry.
#
# Syscall 1000 exists only with `fixup run --debug-syscalls`. It makes the kernel read the dword at
# %ebx through a guest routine that has no __ex_table entry. With a bad pointer do_page_fault reaches
# no_context, search_exception_tables finds nothing, and the kernel prints an oops. The task dies
# (exit status 139); the machine and the JVM go on.
#
# Run:  ./fixup run --debug-syscalls examples/oops.S

	.text
	.globl _start
_start:
	movl $1000, %eax		# read a good pointer: returns the dword
	movl $value, %ebx
	int $0x80
	cmpl $0x600d600d, %eax
	jne 1f
	movl $4, %eax
	movl $1, %ebx
	movl $good, %ecx
	movl $good_len, %edx
	int $0x80
1:	movl $1000, %eax		# now a bad one: oops
	movl $0x0badc0de, %ebx
	int $0x80
	movl $1, %eax			# not reached: exit(0)
	xorl %ebx, %ebx
	int $0x80

	.section .rodata
value:	.long 0x600d600d
good:	.ascii "unchecked read of a good pointer: ok\n"
	.set good_len, . - good
