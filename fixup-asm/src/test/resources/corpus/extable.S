	.text
	.globl _start
_start:
	movl $1, %eax
1:	movl (%ebx), %eax
2:
	call foo
	call _start
	call loc
	jmp 2b
	jmp _start
	jmp foo
loc:	ret
	.section .fixup,"ax"
3:	movl $-14, %eax
	jmp 2b
	.previous
	.section __ex_table,"a"
	.align 4
	.long 1b,3b
	.long loc, foo, _start, 2b-1b, bar-.
	.previous
	.data
bar: .long 5
	.comm cc,4,4
	.lcomm lc,8
.L1: .byte 1
