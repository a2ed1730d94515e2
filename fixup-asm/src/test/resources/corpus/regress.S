# behaviours of GNU as found by differential fuzzing; each line once differed
	.equ zz2, zz			# the assigned name is created before the names in its value
	.text
	nop
	.section __ex_table,"a"
	.long 0
	.section __ex_table,"a"		# a change to the same section still sets .previous
	.long 1
	.previous
	.long 2
	.text
	.weak never_used		# an unused weak undefined symbol is dropped
	.weak used_weak
	call used_weak
	.macro pair a b c
	.byte \a, \b, \c
	.endm
	pair 1 2, 3			# macro arguments split at blanks and commas
	.byte 1, 2
	.p2align 4, 0x90		# 0x90 fill in code means NOPs
	movl 4|(%esp), %eax		# missing operand; zero assumed (a warning)
	.fill				# empty: nothing
	.space
	.align
zz:	ret
	.set zalias, zz + 1
	.type zz, @function
	.data
	.byte 7
	.long 2 - 1f			# constant minus a local label: PC-relative, no symbol
1:	.byte 1
	.long 1,			# zero assumed for the missing expression
	.section .odd, "a", @progbts	# unknown type: a warning, PROGBITS
	.byte 3
	.bss
	nop				# instructions in .bss only reserve space
	movl $1, %eax
	.text
	.if uu == 0			# an undefined symbol is unequal to any constant
	.byte 1
	.else
	.byte 2
	.endif
	.if uu == uu
	.byte 4
	.endif
	.data
	.long zz3 == 0, zz3 != 0
lbl:
	.fill				# an empty .fill still ends the frag
	.long . - lbl
	.2byte 1, 2			# .2byte/.4byte/.8byte are .word/.long/.quad
	.4byte 3
	.8byte 4
	.section .fixup,"ax"
	nop
	.previous	.section __ex_table,"a"	# after .previous the rest of the line is a new statement
	.long 5
