	.data
	.byte 1, 2, 0xff, -1, 'a, 'b', '\n
	.word 0x1234, -2
	.short 5
	.value 6
	.long 0x12345678, -1, 1+2*3, (1+2)*3, 7/2, 7%3, 1<<4, 256>>4, 6&3, 6|1, 6^3, ~0, !0, -(-5)
	.int 9
	.quad 0x123456789abcdef0
	.ascii "abc", "def\n\t\"\\\101\x42"
	.asciz "zero"
	.string "str"
	.fill 3, 2, 0x1234
	.fill 2, 4
	.fill 1
	.space 5
	.space 3, 0xaa
	.skip 2, 1
	.zero 4
	.balign 8
	.byte 1
	.balign 8, 0xcc
	.byte 2
	.p2align 2, 0xdd
	.align 16
lab1:	.long lab1, lab2, lab2 - lab1, . - lab1, ext, ext+4, lab1+8
	.long 2f - 1f
1:	.byte 1, 2, 3
2:
lab2:	.word lab2 - lab1
	.byte lab2 - lab1
	.long ext - .
	.long text_label
	.section .rodata
	.string "hello"
	.section __ex_table,"a"
	.align 4
	.long text_label, 3f
	.section .fixup,"ax"
3:	movl $-14, %eax
	jmp text_label
	.previous
	.long 3b
	.text
text_label:
	ret
	.section .bss
	.space 16
bssvar:	.skip 4
	.comm common1, 8, 4
	.lcomm lcommon, 12
	.set absval, 0x100
	.equ absval2, absval + 1
	sym3 = absval2 * 2
	.globl gabs
	gabs = 77
	.type text_label, @function
	.size text_label, 1
	.type lab1, @object
	.size lab1, lab2 - lab1
	.local loc1
loc1:
	.pushsection .data.extra, "aw", @progbits
	.long 42
	.popsection
	.data
	.long 43
	.section .note.test, "", @note
	.long 1
	.section .mstr, "aMS", @progbits, 1
	.asciz "x"
