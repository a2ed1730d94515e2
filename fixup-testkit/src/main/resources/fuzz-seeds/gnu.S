	.text
	.globl _start
	.type _start,@function
_start:
	movl $4, %eax
	movl $1, %ebx
	movl $msg, %ecx
	movl $len, %edx
	int $0x80
1:	movl counter, %eax
	incl %eax
	movl %eax, counter
	call helper
	movl $1, %eax
	xorl %ebx, %ebx
	int $0x80
	.size _start, .-_start
	.type helper,@function
helper:
	pushl %ebp
	movl %esp, %ebp
	movl buf+4, %eax
	popl %ebp
	ret
	.size helper, .-helper
	.section __ex_table,"a"
	.long 1b, helper
	.data
	.type msg,@object
msg:	.ascii "hello\n"
	len = . - msg
	.size msg, 6
	.type counter,@object
counter: .long 7
	.size counter, 4
	.bss
	.type buf,@object
buf:	.space 64
	.size buf, 64
	.comm common_sym, 16, 4
