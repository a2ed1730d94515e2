# get_user_asm.S - the second seed's __get_user_asm pattern, in a module built by `fixup as`.
#
# /dev/get_user_asm answers ioctl(fd, 0, ptr) with the byte at the user address ptr, or -EFAULT.
# The load at 1: may fault; this module's own __ex_table pairs it with the repair code at 3:,
# which sets the error, clears the value and jumps back to 2:, as the seed's pseudo-code does.

	.set EFAULT, 14

	.text
	.globl init_module, cleanup_module

# long getuser_ioctl(unsigned int cmd, unsigned long arg)
getuser_ioctl:
	movl 8(%esp), %ecx		# arg: the user address
	movl $-EFAULT, %eax
	cmpl $0xc0000000, %ecx		# access_ok(ptr, 1) under USER_DS
	jae 4f
	xorl %eax, %eax
1:	movb (%ecx), %dl		# may fault: the user address is not checked further
2:	testl %eax, %eax
	jnz 4f
	movzbl %dl, %eax
4:	ret

	.section .fixup,"ax"
3:	movl $-EFAULT, %eax
	xorb %dl, %dl
	jmp 2b
	.previous

	.section __ex_table,"a"
	.align 4
	.long 1b,3b
	.previous

# open and release only say so in the kernel log: a device may also refuse an open with -errno.
getuser_open:
	pushl $opened
	call printk
	addl $4, %esp
	xorl %eax, %eax
	ret

getuser_release:
	pushl $released
	call printk
	addl $4, %esp
	xorl %eax, %eax
	ret

init_module:
	pushl $device
	call misc_register
	addl $4, %esp
	testl %eax, %eax
	jnz 1f
	pushl $name
	pushl $loaded
	call printk
	addl $8, %esp
	xorl %eax, %eax
1:	ret

cleanup_module:
	pushl $device
	call misc_deregister
	addl $4, %esp
	ret

	.data
	.align 4
fops:	.long getuser_open, getuser_release, 0, 0, getuser_ioctl	# open, release, read, write, ioctl
device:	.long 0, name, fops			# minor, name, fops

	.section .modinfo		# the module's name for delete_module (else the file's)
	.asciz "name=get_user_asm"

	.section .rodata
name:	.asciz "get_user_asm"
loaded:	.asciz "get_user_asm: /dev/%s registered\n"
opened:	.asciz "get_user_asm: open\n"
released: .asciz "get_user_asm: release\n"
