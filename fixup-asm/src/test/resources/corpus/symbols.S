	.file "t2.c"
	.equ FOO, 12
	.set BAR, FOO*2
	X = 3
	.globl g1
	.weak w1
	.type f1,@function
	.text
f1:	jmp g1
	.fill 130,1,0x90
g1:	jmp f1
	jmp g1
	.size f1, .-f1
	.hidden g1
	movl $FOO, %eax
	addl $X, %eax
	addl $Y, %eax
	addl $(3f-2f), %eax
2:	nop
3:	addl $(3b-2b), %eax
	.long w1
	.ident "hello"
	Y = 5
