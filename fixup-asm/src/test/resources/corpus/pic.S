# Position-independent code: @GOT (GOT32X for loads), @GOTOFF, @PLT, _GLOBAL_OFFSET_TABLE_, and labels
# kept in mergeable sections
	movl foo@GOT(%ebx), %eax
	pushl foo@GOT(%ebx)
	addl foo@GOT(%ebx), %eax
	call *foo@GOT(%ebx)
	leal foo@GOT(%ebx), %eax
	movl $foo@GOT, %eax
	.long foo@GOT
	leal .L1@GOTOFF(%ebx), %eax
	leal .L1@GOTOFF+8(%ebx), %eax
	call bar@PLT
	jmp bar@PLT
	call .L1@PLT
	addl $_GLOBAL_OFFSET_TABLE_, %ebx
	movl $_GLOBAL_OFFSET_TABLE_, %ecx
	.long _GLOBAL_OFFSET_TABLE_
	.long foo@GOTOFF, bar@PLT
	je bar@PLT
.L1:	ret
	.section .rodata
.L2:	.long 1
	.text
	leal .L2@GOTOFF(%ebx), %eax
	movl local@GOT(%ebx), %eax
local:	ret
	.section .rodata.str1.1,"aMS",@progbits,1
.LC0: .string "ab"
.LC1: .string "cd"
	.text
	.long .LC0, .LC1, .LC0+1, .LC1@GOTOFF
	pushl $.LC1+1
