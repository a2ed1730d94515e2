# segv.S - a bad pointer dereferenced by the user program itself.
#
# The fault comes from user mode (error code bit 2 set), so there is no table lookup: do_page_fault
# goes to bad_area and sends SIGSEGV. The shell sees exit status 128 + 11 = 139.

	.text
	.globl _start
_start:
	movl $4, %eax			# write(1, msg, len)
	movl $1, %ebx
	movl $msg, %ecx
	movl $msg_len, %edx
	int $0x80
	movl 0, %eax			# NULL dereference in user mode: SIGSEGV
	movl $1, %eax			# not reached: exit(0)
	xorl %ebx, %ebx
	int $0x80

	.section .rodata
msg:	.ascii "about to dereference NULL\n"
	.set msg_len, . - msg
