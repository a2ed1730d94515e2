# uaccess.S - every kernel routine that touches user memory.
#
# None of them checks that the user page is there. Each instruction that may touch a bad user
# address has a label, and an __ex_table entry pairs that label with repair code in .fixup. When
# the MMU faults, do_page_fault finds the faulting EIP in the table and resumes at the repair
# code, which turns the fault into -EFAULT or a count of bytes not copied. Good pointers pay
# nothing but the access_ok arithmetic (address + size must not wrap and must not pass addr_limit).
#
# addr_limit lives in the first word of the 8 KB kernel stack, so (esp & -8192) finds it for the
# current task (USER_DS 0xc0000000, or KERNEL_DS 0xffffffff after set_fs).

	.set EFAULT, 14
	.set STACK_MASK, -8192

	.text

# access_ok for the \size-byte access at %eax of __get_user_N and __put_user_N: jumps to \bad
# when its last byte wraps around or is not below addr_limit (found through \scratch, clobbered).
# %eax is unchanged when it falls through.
	.macro USER_ACCESS_OK size, scratch, bad
	movl %esp, \scratch
	andl $STACK_MASK, \scratch
	.if \size - 1
	addl $\size - 1, %eax		# check the last byte
	jc \bad
	.endif
	cmpl (\scratch), %eax
	jae \bad
	.if \size - 1
	subl $\size - 1, %eax
	.endif
	.endm

# __get_user_N: %eax = user address -> %eax = 0 or -EFAULT, %edx = value (0 on failure).
# The __get_user_nocheck_N entry points skip access_ok: only the fault path protects them.
	.globl __get_user_1, __get_user_2, __get_user_4
	.globl __get_user_nocheck_1, __get_user_nocheck_2, __get_user_nocheck_4
__get_user_1:
	USER_ACCESS_OK 1, %edx, bad_get_user
__get_user_nocheck_1:
1:	movzbl (%eax), %edx
	xorl %eax, %eax
	ret

__get_user_2:
	USER_ACCESS_OK 2, %edx, bad_get_user
__get_user_nocheck_2:
2:	movzwl (%eax), %edx
	xorl %eax, %eax
	ret

__get_user_4:
	USER_ACCESS_OK 4, %edx, bad_get_user
__get_user_nocheck_4:
3:	movl (%eax), %edx
	xorl %eax, %eax
	ret

bad_get_user:
	xorl %edx, %edx
	movl $-EFAULT, %eax
	ret

	.section __ex_table,"a"
	.align 4
	.long 1b,bad_get_user
	.long 2b,bad_get_user
	.long 3b,bad_get_user
	.previous

# __put_user_N: %eax = user address, %edx = value -> %eax = 0 or -EFAULT. Clobbers %ecx.
# Nothing is written on failure.
	.globl __put_user_1, __put_user_2, __put_user_4
	.globl __put_user_nocheck_1, __put_user_nocheck_2, __put_user_nocheck_4
__put_user_1:
	USER_ACCESS_OK 1, %ecx, bad_put_user
__put_user_nocheck_1:
1:	movb %dl, (%eax)
	xorl %eax, %eax
	ret

__put_user_2:
	USER_ACCESS_OK 2, %ecx, bad_put_user
__put_user_nocheck_2:
2:	movw %dx, (%eax)
	xorl %eax, %eax
	ret

__put_user_4:
	USER_ACCESS_OK 4, %ecx, bad_put_user
__put_user_nocheck_4:
3:	movl %edx, (%eax)
	xorl %eax, %eax
	ret

bad_put_user:
	movl $-EFAULT, %eax
	ret

	.section __ex_table,"a"
	.align 4
	.long 1b,bad_put_user
	.long 2b,bad_put_user
	.long 3b,bad_put_user
	.previous

# The copy loop both __copy_user routines share: dwords, then the 0-3 tail bytes. Labels 0 and
# 1 are the two instructions that may fault; 2 returns %ecx, the bytes not copied.
	.macro COPY_DWORDS_THEN_BYTES
	movl %ecx, %edx
	shrl $2, %ecx
	andl $3, %edx
0:	rep; movsl
	movl %edx, %ecx
1:	rep; movsb
2:	movl %ecx, %eax
	ret
	.endm

# access_ok(addr, n) for the calling task: jumps to `refused` when addr + n wraps around or
# passes the task's addr_limit, kept at the bottom of its 8 KB kernel stack. Clobbers %eax %edx.
	.macro ACCESS_OK addr, n, refused
	movl %esp, %edx
	andl $STACK_MASK, %edx
	movl \addr, %eax
	addl \n, %eax
	jc \refused
	cmpl (%edx), %eax
	ja \refused
	.endm

# __copy_user: %edi = to, %esi = from, %ecx = n -> %eax = bytes NOT copied. Clobbers %ecx %edx
# %esi %edi. Dwords first, then the 0-3 tail bytes. A fault in the dword loop leaves %ecx =
# dwords still to go, so the fixup reports (n & 3) + 4 * %ecx; a fault in the byte loop leaves
# the answer in %ecx already.
	.globl __copy_user
__copy_user:
	COPY_DWORDS_THEN_BYTES

	.section .fixup,"ax"
3:	leal (%edx,%ecx,4), %ecx
	jmp 2b
	.previous

	.section __ex_table,"a"
	.align 4
	.long 0b,3b
	.long 1b,2b
	.previous

# __copy_user_zeroing: the same for copies INTO the kernel (from user memory): the repair code
# also zero-fills the uncopied tail of the kernel buffer, so no stale kernel data survives there.
	.globl __copy_user_zeroing
__copy_user_zeroing:
	COPY_DWORDS_THEN_BYTES

	.section .fixup,"ax"
3:	leal (%edx,%ecx,4), %ecx
4:	pushl %ecx
	xorl %eax, %eax
	rep; stosb			# %edi is where the copy stopped
	popl %ecx
	jmp 2b
	.previous

	.section __ex_table,"a"
	.align 4
	.long 0b,3b
	.long 1b,4b
	.previous

# The frame of the C routines taking (dst, src, n): the callee-saved %edi and %esi pushed, then
# dst in %edi, src in %esi, n in %ecx. LEAVE_DST_SRC_N pops them and returns.
	.macro ENTER_DST_SRC_N
	pushl %edi
	pushl %esi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	.endm

	.macro LEAVE_DST_SRC_N
	popl %esi
	popl %edi
	ret
	.endm

# unsigned long copy_from_user(void *to, const void *from, unsigned long n)
# C calling convention. Returns bytes not copied; the uncopied tail of `to` is zero-filled, all
# of it when access_ok refuses `from`.
	.globl copy_from_user
copy_from_user:
	ENTER_DST_SRC_N
	ACCESS_OK %esi, %ecx, 1f
	call __copy_user_zeroing
	LEAVE_DST_SRC_N
1:	movl %ecx, %edx			# refused: clear all of `to`, nothing copied
	xorl %eax, %eax
	rep; stosb
	movl %edx, %eax
	LEAVE_DST_SRC_N

# unsigned long copy_to_user(void *to, const void *from, unsigned long n)
# Returns bytes not copied; n when access_ok refuses `to`.
	.globl copy_to_user
copy_to_user:
	ENTER_DST_SRC_N
	ACCESS_OK %edi, %ecx, 1f
	call __copy_user
	LEAVE_DST_SRC_N
1:	movl %ecx, %eax
	LEAVE_DST_SRC_N

# unsigned long clear_user(void *to, unsigned long n): bytes NOT cleared.
	.globl clear_user
clear_user:
	pushl %edi
	movl 8(%esp), %edi
	movl 12(%esp), %ecx
	ACCESS_OK %edi, %ecx, 5f
	movl %ecx, %edx
	shrl $2, %ecx
	andl $3, %edx
	xorl %eax, %eax
0:	rep; stosl
	movl %edx, %ecx
1:	rep; stosb
2:	movl %ecx, %eax
	popl %edi
	ret
5:	movl %ecx, %eax
	popl %edi
	ret

	.section .fixup,"ax"
3:	leal (%edx,%ecx,4), %ecx
	jmp 2b
	.previous

	.section __ex_table,"a"
	.align 4
	.long 0b,3b
	.long 1b,2b
	.previous

# long strncpy_from_user(char *dst, const char *src, long count)
# Copies up to count bytes, stopping after a NUL. Returns the length without the NUL, count when
# there was no NUL in the first count bytes (then no NUL is written), 0 when count is 0, and
# -EFAULT on a fault or when access_ok(src, 1) refuses.
	.globl strncpy_from_user
strncpy_from_user:
	ENTER_DST_SRC_N
	movl %esp, %edx
	andl $STACK_MASK, %edx
	cmpl (%edx), %esi		# access_ok(src, 1)
	jae 3f
	movl %ecx, %edx			# remember count
	testl %ecx, %ecx
	jz 2f
0:	lodsb
	stosb
	testb %al, %al
	jz 1f
	decl %ecx
	jnz 0b
1:	subl %ecx, %edx			# count - bytes left = length
2:	movl %edx, %eax
	LEAVE_DST_SRC_N

	.section .fixup,"ax"
3:	movl $-EFAULT, %edx
	jmp 2b
	.previous

	.section __ex_table,"a"
	.align 4
	.long 0b,3b
	.previous

# long strnlen_user(const char *s, long n)
# The length of s including its NUL; n + 1 when the first n bytes hold no NUL; 0 when s is at or
# above addr_limit or when the scan faults.
	.globl strnlen_user
strnlen_user:
	pushl %edi
	movl 8(%esp), %edi
	movl 12(%esp), %ecx
	movl %esp, %edx
	andl $STACK_MASK, %edx
	xorl %eax, %eax
	cmpl (%edx), %edi
	jae 1f				# bad s: 0
	movl %ecx, %edx
	testl %ecx, %ecx
	jz 3f				# n == 0: too long by definition
0:	repne; scasb
	jne 3f				# no NUL in n bytes
	subl %ecx, %edx			# bytes scanned, NUL included
	movl %edx, %eax
1:	popl %edi
	ret
3:	leal 1(%edx), %eax
	jmp 1b

	.section .fixup,"ax"
2:	xorl %eax, %eax
	jmp 1b
	.previous

	.section __ex_table,"a"
	.align 4
	.long 0b,2b
	.previous
