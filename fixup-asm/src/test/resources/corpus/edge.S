	.text
	.type early, @function
	movl $sym-4, %eax
	pushl $1f
	movl 1f, %eax
	movl 1f+8(%ebx), %eax
	addl $FWD, %ecx
	addl $BACK_A - BACK_B, %ecx
	movl $(1f - 0f), %ecx
0:	nop
1:	ret
	.set FWD, 4
early:	ret
	.size early, . - early
	.globl late_global
late_global:
	jmp wk
	jmp other_sec
	call late_global
	call early
	jne other_sec
	jmp *tbl(,%eax,4)
	.weak wk
wk:	ret
	.set alias, early
	.set alias2, early + 1
	.globl galias
	.set galias, late_global
	.long alias, alias2
	.byte 1b - 0b, 0
	.word 1b - 0b
	.long (end - start) / 4, end - start
start:	.fill 10, 1, 0
end:
	movl $(end - start) >> 1, %eax
	leal (end - start)(%eax), %ebx
	movl end - start(%eax), %ebx
	movb $'A', %al
	cmpb $'\n', %al
	movl $0x7fffffff, %eax
	movl $-1, %eax
	andl $~3, %esp
	movl $BACK_A - BACK_B, %eax
	.data
BACK_B:	.long 0
BACK_A:	.long 0
tbl:	.long early, late_global, wk, 0b
	.section .other,"ax"
other_sec:
	jmp late_global
	jmp early
	ret
	.bss
	.align 16
bvar:	.skip 3
	.p2align 3
bvar2:	.skip 8
	.comm cc, 4
	.comm cc, 4
	.text
	.align 8
	.p2align 4,0x90
	nop
	.align 4, 0xcc
	ret
