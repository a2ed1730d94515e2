/* macros, repetition and conditionals */
	.macro SAVE_ALL
	cld
	pushl %es
	pushl %ds
	pushl %eax
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %edx
	pushl %ecx
	pushl %ebx
	movl $0x18, %edx
	movl %edx, %ds
	movl %edx, %es
	.endm

	.macro RESTORE_REGS
	popl %ebx; popl %ecx; popl %edx
	popl %esi
	popl %edi
	popl %ebp
	popl %eax
1:	popl %ds
2:	popl %es
	.section .fixup,"ax"
3:	movl $0,(%esp)
	jmp 1b
4:	movl $0,(%esp)
	jmp 2b
	.previous
	.section __ex_table,"a"
	.align 4
	.long 1b,3b
	.long 2b,4b
	.previous
	.endm

	.macro GET_USER size, insn, reg
	.globl __get_user_\size
__get_user_\size:
10:	\insn (%eax), \reg
	xorl %eax, %eax
	ret
	.section __ex_table,"a"
	.long 10b, bad_get_user
	.previous
	.endm

	.macro ENTRY name
	.globl \name
	.type \name, @function
	.p2align 4
\name:
	.endm

	.text
ENTRY system_call
	pushl %eax
	SAVE_ALL
	call *sys_call_table(,%eax,4)
	RESTORE_REGS
	addl $4, %esp
	iret

	GET_USER 1, movzbl, %edx
	GET_USER 2, movzwl, %edx
	GET_USER 4, movl, %edx
bad_get_user:
	xorl %edx, %edx
	movl $-14, %eax
	ret

	.rept 3
	nop
	.endr
	.irp reg, eax, ebx, ecx
	pushl %\reg
	.endr

	COUNT = 0
	.rept 4
	.long COUNT
	COUNT = COUNT + 1
	.endr

	.if COUNT == 4
	movl $1, %eax
	.else
	movl $2, %eax
	.endif
	.ifdef COUNT
	incl %eax
	.endif
	.ifndef NOPE
	decl %eax
	.else
	hlt
	.endif
	.if 0
	.if 1
	hlt
	.endif
	.elseif 1
	cli
	.endif

	.macro DEF_VAL name, val=5
	.set \name, \val
	.endm
	DEF_VAL v1
	DEF_VAL v2, 9
	.long v1, v2

	.data
sys_call_table:
	.long system_call, bad_get_user
