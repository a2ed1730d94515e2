	.text
	.globl g
a:	jmp b
	je b
	jne c
	jz a
	jmp a
	.fill 120,1,0x90
b:	jg a
	jle b
	ja c
	jb undefined_sym
	jmp g
	call g
	call a
	jmp .
	.fill 200,1,0x90
c:	jmp a
	jcc_far: jnz a
g:	ret
	jmp w
	.weak w
w:	ret
	jmp d
	.section .text.other,"ax"
d:	jmp a
	jmp d
	js 1f
	.p2align 4
1:	jmp 1b
