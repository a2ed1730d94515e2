# seed-style user access routines
	.text
	.globl __copy_user
	.type __copy_user, @function
__copy_user:
	pushl %edi
	pushl %esi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	movl %ecx, %eax
	shrl $2, %ecx
	andl $3, %eax
0:	rep; movsl
	movl %eax, %ecx
1:	rep; movsb
2:	movl %ecx, %eax
	popl %esi
	popl %edi
	ret
	.section .fixup,"ax"
3:	lea 0(%eax,%ecx,4),%ecx
	jmp 2b
	.previous
	.section __ex_table,"a"
	.align 4
	.long 0b,3b
	.long 1b,2b
	.previous
	.size __copy_user, .-__copy_user

	.globl __copy_user_zeroing
__copy_user_zeroing:
	pushl %edi
	pushl %esi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	movl %ecx, %eax
	shrl $2, %ecx
	andl $3, %eax
0:	rep; movsl
	movl %eax, %ecx
1:	rep; movsb
2:	movl %ecx, %eax
	popl %esi
	popl %edi
	ret
	.section .fixup,"ax"
3:	lea 0(%eax,%ecx,4),%ecx
4:	pushl %ecx
	pushl %eax
	xorl %eax,%eax
	rep; stosb
	popl %eax
	popl %ecx
	jmp 2b
	.previous
	.section __ex_table,"a"
	.align 4
	.long 0b,3b
	.long 1b,4b
	.previous

	.globl strnlen_user
strnlen_user:
	movl 4(%esp), %edi
	movl 8(%esp), %ecx
	xorl %eax, %eax
	testl %ecx, %ecx
	jz 3f
	decl %ecx
0:	repne; scasb
	sete %al
	subl %ecx, 8(%esp)
	movl 8(%esp), %eax
	addl %eax, %eax
1:	ret
	.section .fixup,"ax"
2:	xorl %eax, %eax
	jmp 1b
	.previous
	.section __ex_table,"a"
	.align 4
	.long 0b,2b
	.previous
3:	ret
