# copy_user.S - the seeds' hello.c, by hand: the __copy_user macro of include/asm-i386/uaccess.h
# expanded into a function, with its repair code in .fixup and two __ex_table entries.
#
#   unsigned long copy_user(void *to, const void *from, unsigned long size)
#   returns the number of bytes NOT copied.
#
# Inspect it:  ./fixup as examples/copy_user.S -o copy_user.o && ./fixup objdump --extable copy_user.o

	.text
	.globl copy_user
	.type copy_user, @function
copy_user:
	pushl %edi
	pushl %esi
	movl 12(%esp), %edi		# to
	movl 16(%esp), %esi		# from
	movl 20(%esp), %eax		# size
	movl %eax, %ecx
	shrl $2, %ecx			# dwords
	andl $3, %eax			# tail bytes
0:	rep; movsl
	movl %eax, %ecx
1:	rep; movsb
2:	movl %ecx, %eax			# bytes not copied
	popl %esi
	popl %edi
	ret
	.size copy_user, . - copy_user

	.section .fixup,"ax"
3:	lea 0(%eax,%ecx,4), %ecx	# a fault in the dword loop: tail + 4 * dwords left
	jmp 2b
	.previous

	.section __ex_table,"a"
	.align 4
	.long 0b,3b
	.long 1b,2b
	.previous
