# get_user_asm_test.S - the user side of get_user_asm.S: ioctl(fd, 0, ptr) on a good byte, on
# NULL and on a kernel address. Prints the byte read, then F for each -EFAULT: "AFF".
	.text
	.globl _start
_start:
	movl $5, %eax			# open("/dev/get_user_asm", O_RDONLY)
	movl $path, %ebx
	xorl %ecx, %ecx
	int $0x80
	movl %eax, %esi

	movl $byte, %edx
	call probe
	xorl %edx, %edx			# NULL
	call probe
	movl $0xc0000000, %edx		# the kernel: access_ok says no
	call probe

	movl $4, %eax
	movl $1, %ebx
	movl $newline, %ecx
	movl $1, %edx
	int $0x80
	movl $1, %eax
	xorl %ebx, %ebx
	int $0x80

# probe: ioctl(%esi, 0, %edx); prints the byte, or F for -EFAULT, or ? for anything else.
probe:
	movl $54, %eax
	movl %esi, %ebx
	xorl %ecx, %ecx
	int $0x80
	movb $'F', out
	cmpl $-14, %eax
	je 1f
	movb $'?', out
	testl $0xffffff00, %eax
	jnz 1f
	movb %al, out
1:	movl $4, %eax
	movl $1, %ebx
	movl $out, %ecx
	movl $1, %edx
	int $0x80
	ret

	.data
path:	.asciz "/dev/get_user_asm"
byte:	.byte 'A'
out:	.byte 0
newline: .byte 10
