# one line per instruction form; compared with GNU as as a whole file
	movl %ebx, %ecx
	movl %ebx, (%eax)
	movl (%eax), %ebx
	movl %ebx, 4(%esp)
	movl 4(%esp), %ebx
	movl %ebx, (%eax,%ecx)
	movl (%eax,%ecx), %ebx
	movl %ebx, foo
	movl foo, %ebx
	movl %ebx, 0x12345678
	movl 0x12345678, %ebx
	movl $1, %ebx
	movl $1, (%eax)
	movl $-1, %ebx
	movl $-1, (%eax)
	movl $127, %ebx
	movl $127, (%eax)
	movl $128, %ebx
	movl $128, (%eax)
	movl $-129, %ebx
	movl $-129, (%eax)
	movl $0x7fff, %ebx
	movl $0x7fff, (%eax)
	movl $foo, %ebx
	movl $foo, (%eax)
	movw %bx, %cx
	movw %bx, (%eax)
	movw (%eax), %bx
	movw %bx, 4(%esp)
	movw 4(%esp), %bx
	movw %bx, (%eax,%ecx)
	movw (%eax,%ecx), %bx
	movw %bx, foo
	movw foo, %bx
	movw %bx, 0x12345678
	movw 0x12345678, %bx
	movw $1, %bx
	movw $1, (%eax)
	movw $-1, %bx
	movw $-1, (%eax)
	movw $127, %bx
	movw $127, (%eax)
	movw $128, %bx
	movw $128, (%eax)
	movw $-129, %bx
	movw $-129, (%eax)
	movw $0x7fff, %bx
	movw $0x7fff, (%eax)
	movw $foo, %bx
	movw $foo, (%eax)
	movb %bl, %cl
	movb %bl, (%eax)
	movb (%eax), %bl
	movb %bl, 4(%esp)
	movb 4(%esp), %bl
	movb %bl, (%eax,%ecx)
	movb (%eax,%ecx), %bl
	movb %bl, foo
	movb foo, %bl
	movb %bl, 0x12345678
	movb 0x12345678, %bl
	movb $1, %bl
	movb $1, (%eax)
	movb $-1, %bl
	movb $-1, (%eax)
	movb $127, %bl
	movb $127, (%eax)
	movb $128, %bl
	movb $128, (%eax)
	movb $-129, %bl
	movb $-129, (%eax)
	movb $0x7fff, %bl
	movb $0x7fff, (%eax)
	movb $foo, %bl
	movb $foo, (%eax)
	addl %ebx, %ecx
	addl %ebx, (%eax)
	addl (%eax), %ebx
	addl %ebx, 4(%esp)
	addl 4(%esp), %ebx
	addl %ebx, (%eax,%ecx)
	addl (%eax,%ecx), %ebx
	addl %ebx, foo
	addl foo, %ebx
	addl %ebx, 0x12345678
	addl 0x12345678, %ebx
	addl $1, %ebx
	addl $1, (%eax)
	addl $-1, %ebx
	addl $-1, (%eax)
	addl $127, %ebx
	addl $127, (%eax)
	addl $128, %ebx
	addl $128, (%eax)
	addl $-129, %ebx
	addl $-129, (%eax)
	addl $0x7fff, %ebx
	addl $0x7fff, (%eax)
	addl $foo, %ebx
	addl $foo, (%eax)
	addw %bx, %cx
	addw %bx, (%eax)
	addw (%eax), %bx
	addw %bx, 4(%esp)
	addw 4(%esp), %bx
	addw %bx, (%eax,%ecx)
	addw (%eax,%ecx), %bx
	addw %bx, foo
	addw foo, %bx
	addw %bx, 0x12345678
	addw 0x12345678, %bx
	addw $1, %bx
	addw $1, (%eax)
	addw $-1, %bx
	addw $-1, (%eax)
	addw $127, %bx
	addw $127, (%eax)
	addw $128, %bx
	addw $128, (%eax)
	addw $-129, %bx
	addw $-129, (%eax)
	addw $0x7fff, %bx
	addw $0x7fff, (%eax)
	addw $foo, %bx
	addw $foo, (%eax)
	addb %bl, %cl
	addb %bl, (%eax)
	addb (%eax), %bl
	addb %bl, 4(%esp)
	addb 4(%esp), %bl
	addb %bl, (%eax,%ecx)
	addb (%eax,%ecx), %bl
	addb %bl, foo
	addb foo, %bl
	addb %bl, 0x12345678
	addb 0x12345678, %bl
	addb $1, %bl
	addb $1, (%eax)
	addb $-1, %bl
	addb $-1, (%eax)
	addb $127, %bl
	addb $127, (%eax)
	addb $128, %bl
	addb $128, (%eax)
	addb $-129, %bl
	addb $-129, (%eax)
	addb $0x7fff, %bl
	addb $0x7fff, (%eax)
	addb $foo, %bl
	addb $foo, (%eax)
	orl %ebx, %ecx
	orl %ebx, (%eax)
	orl (%eax), %ebx
	orl %ebx, 4(%esp)
	orl 4(%esp), %ebx
	orl %ebx, (%eax,%ecx)
	orl (%eax,%ecx), %ebx
	orl %ebx, foo
	orl foo, %ebx
	orl %ebx, 0x12345678
	orl 0x12345678, %ebx
	orl $1, %ebx
	orl $1, (%eax)
	orl $-1, %ebx
	orl $-1, (%eax)
	orl $127, %ebx
	orl $127, (%eax)
	orl $128, %ebx
	orl $128, (%eax)
	orl $-129, %ebx
	orl $-129, (%eax)
	orl $0x7fff, %ebx
	orl $0x7fff, (%eax)
	orl $foo, %ebx
	orl $foo, (%eax)
	orw %bx, %cx
	orw %bx, (%eax)
	orw (%eax), %bx
	orw %bx, 4(%esp)
	orw 4(%esp), %bx
	orw %bx, (%eax,%ecx)
	orw (%eax,%ecx), %bx
	orw %bx, foo
	orw foo, %bx
	orw %bx, 0x12345678
	orw 0x12345678, %bx
	orw $1, %bx
	orw $1, (%eax)
	orw $-1, %bx
	orw $-1, (%eax)
	orw $127, %bx
	orw $127, (%eax)
	orw $128, %bx
	orw $128, (%eax)
	orw $-129, %bx
	orw $-129, (%eax)
	orw $0x7fff, %bx
	orw $0x7fff, (%eax)
	orw $foo, %bx
	orw $foo, (%eax)
	orb %bl, %cl
	orb %bl, (%eax)
	orb (%eax), %bl
	orb %bl, 4(%esp)
	orb 4(%esp), %bl
	orb %bl, (%eax,%ecx)
	orb (%eax,%ecx), %bl
	orb %bl, foo
	orb foo, %bl
	orb %bl, 0x12345678
	orb 0x12345678, %bl
	orb $1, %bl
	orb $1, (%eax)
	orb $-1, %bl
	orb $-1, (%eax)
	orb $127, %bl
	orb $127, (%eax)
	orb $128, %bl
	orb $128, (%eax)
	orb $-129, %bl
	orb $-129, (%eax)
	orb $0x7fff, %bl
	orb $0x7fff, (%eax)
	orb $foo, %bl
	orb $foo, (%eax)
	adcl %ebx, %ecx
	adcl %ebx, (%eax)
	adcl (%eax), %ebx
	adcl %ebx, 4(%esp)
	adcl 4(%esp), %ebx
	adcl %ebx, (%eax,%ecx)
	adcl (%eax,%ecx), %ebx
	adcl %ebx, foo
	adcl foo, %ebx
	adcl %ebx, 0x12345678
	adcl 0x12345678, %ebx
	adcl $1, %ebx
	adcl $1, (%eax)
	adcl $-1, %ebx
	adcl $-1, (%eax)
	adcl $127, %ebx
	adcl $127, (%eax)
	adcl $128, %ebx
	adcl $128, (%eax)
	adcl $-129, %ebx
	adcl $-129, (%eax)
	adcl $0x7fff, %ebx
	adcl $0x7fff, (%eax)
	adcl $foo, %ebx
	adcl $foo, (%eax)
	adcw %bx, %cx
	adcw %bx, (%eax)
	adcw (%eax), %bx
	adcw %bx, 4(%esp)
	adcw 4(%esp), %bx
	adcw %bx, (%eax,%ecx)
	adcw (%eax,%ecx), %bx
	adcw %bx, foo
	adcw foo, %bx
	adcw %bx, 0x12345678
	adcw 0x12345678, %bx
	adcw $1, %bx
	adcw $1, (%eax)
	adcw $-1, %bx
	adcw $-1, (%eax)
	adcw $127, %bx
	adcw $127, (%eax)
	adcw $128, %bx
	adcw $128, (%eax)
	adcw $-129, %bx
	adcw $-129, (%eax)
	adcw $0x7fff, %bx
	adcw $0x7fff, (%eax)
	adcw $foo, %bx
	adcw $foo, (%eax)
	adcb %bl, %cl
	adcb %bl, (%eax)
	adcb (%eax), %bl
	adcb %bl, 4(%esp)
	adcb 4(%esp), %bl
	adcb %bl, (%eax,%ecx)
	adcb (%eax,%ecx), %bl
	adcb %bl, foo
	adcb foo, %bl
	adcb %bl, 0x12345678
	adcb 0x12345678, %bl
	adcb $1, %bl
	adcb $1, (%eax)
	adcb $-1, %bl
	adcb $-1, (%eax)
	adcb $127, %bl
	adcb $127, (%eax)
	adcb $128, %bl
	adcb $128, (%eax)
	adcb $-129, %bl
	adcb $-129, (%eax)
	adcb $0x7fff, %bl
	adcb $0x7fff, (%eax)
	adcb $foo, %bl
	adcb $foo, (%eax)
	sbbl %ebx, %ecx
	sbbl %ebx, (%eax)
	sbbl (%eax), %ebx
	sbbl %ebx, 4(%esp)
	sbbl 4(%esp), %ebx
	sbbl %ebx, (%eax,%ecx)
	sbbl (%eax,%ecx), %ebx
	sbbl %ebx, foo
	sbbl foo, %ebx
	sbbl %ebx, 0x12345678
	sbbl 0x12345678, %ebx
	sbbl $1, %ebx
	sbbl $1, (%eax)
	sbbl $-1, %ebx
	sbbl $-1, (%eax)
	sbbl $127, %ebx
	sbbl $127, (%eax)
	sbbl $128, %ebx
	sbbl $128, (%eax)
	sbbl $-129, %ebx
	sbbl $-129, (%eax)
	sbbl $0x7fff, %ebx
	sbbl $0x7fff, (%eax)
	sbbl $foo, %ebx
	sbbl $foo, (%eax)
	sbbw %bx, %cx
	sbbw %bx, (%eax)
	sbbw (%eax), %bx
	sbbw %bx, 4(%esp)
	sbbw 4(%esp), %bx
	sbbw %bx, (%eax,%ecx)
	sbbw (%eax,%ecx), %bx
	sbbw %bx, foo
	sbbw foo, %bx
	sbbw %bx, 0x12345678
	sbbw 0x12345678, %bx
	sbbw $1, %bx
	sbbw $1, (%eax)
	sbbw $-1, %bx
	sbbw $-1, (%eax)
	sbbw $127, %bx
	sbbw $127, (%eax)
	sbbw $128, %bx
	sbbw $128, (%eax)
	sbbw $-129, %bx
	sbbw $-129, (%eax)
	sbbw $0x7fff, %bx
	sbbw $0x7fff, (%eax)
	sbbw $foo, %bx
	sbbw $foo, (%eax)
	sbbb %bl, %cl
	sbbb %bl, (%eax)
	sbbb (%eax), %bl
	sbbb %bl, 4(%esp)
	sbbb 4(%esp), %bl
	sbbb %bl, (%eax,%ecx)
	sbbb (%eax,%ecx), %bl
	sbbb %bl, foo
	sbbb foo, %bl
	sbbb %bl, 0x12345678
	sbbb 0x12345678, %bl
	sbbb $1, %bl
	sbbb $1, (%eax)
	sbbb $-1, %bl
	sbbb $-1, (%eax)
	sbbb $127, %bl
	sbbb $127, (%eax)
	sbbb $128, %bl
	sbbb $128, (%eax)
	sbbb $-129, %bl
	sbbb $-129, (%eax)
	sbbb $0x7fff, %bl
	sbbb $0x7fff, (%eax)
	sbbb $foo, %bl
	sbbb $foo, (%eax)
	andl %ebx, %ecx
	andl %ebx, (%eax)
	andl (%eax), %ebx
	andl %ebx, 4(%esp)
	andl 4(%esp), %ebx
	andl %ebx, (%eax,%ecx)
	andl (%eax,%ecx), %ebx
	andl %ebx, foo
	andl foo, %ebx
	andl %ebx, 0x12345678
	andl 0x12345678, %ebx
	andl $1, %ebx
	andl $1, (%eax)
	andl $-1, %ebx
	andl $-1, (%eax)
	andl $127, %ebx
	andl $127, (%eax)
	andl $128, %ebx
	andl $128, (%eax)
	andl $-129, %ebx
	andl $-129, (%eax)
	andl $0x7fff, %ebx
	andl $0x7fff, (%eax)
	andl $foo, %ebx
	andl $foo, (%eax)
	andw %bx, %cx
	andw %bx, (%eax)
	andw (%eax), %bx
	andw %bx, 4(%esp)
	andw 4(%esp), %bx
	andw %bx, (%eax,%ecx)
	andw (%eax,%ecx), %bx
	andw %bx, foo
	andw foo, %bx
	andw %bx, 0x12345678
	andw 0x12345678, %bx
	andw $1, %bx
	andw $1, (%eax)
	andw $-1, %bx
	andw $-1, (%eax)
	andw $127, %bx
	andw $127, (%eax)
	andw $128, %bx
	andw $128, (%eax)
	andw $-129, %bx
	andw $-129, (%eax)
	andw $0x7fff, %bx
	andw $0x7fff, (%eax)
	andw $foo, %bx
	andw $foo, (%eax)
	andb %bl, %cl
	andb %bl, (%eax)
	andb (%eax), %bl
	andb %bl, 4(%esp)
	andb 4(%esp), %bl
	andb %bl, (%eax,%ecx)
	andb (%eax,%ecx), %bl
	andb %bl, foo
	andb foo, %bl
	andb %bl, 0x12345678
	andb 0x12345678, %bl
	andb $1, %bl
	andb $1, (%eax)
	andb $-1, %bl
	andb $-1, (%eax)
	andb $127, %bl
	andb $127, (%eax)
	andb $128, %bl
	andb $128, (%eax)
	andb $-129, %bl
	andb $-129, (%eax)
	andb $0x7fff, %bl
	andb $0x7fff, (%eax)
	andb $foo, %bl
	andb $foo, (%eax)
	subl %ebx, %ecx
	subl %ebx, (%eax)
	subl (%eax), %ebx
	subl %ebx, 4(%esp)
	subl 4(%esp), %ebx
	subl %ebx, (%eax,%ecx)
	subl (%eax,%ecx), %ebx
	subl %ebx, foo
	subl foo, %ebx
	subl %ebx, 0x12345678
	subl 0x12345678, %ebx
	subl $1, %ebx
	subl $1, (%eax)
	subl $-1, %ebx
	subl $-1, (%eax)
	subl $127, %ebx
	subl $127, (%eax)
	subl $128, %ebx
	subl $128, (%eax)
	subl $-129, %ebx
	subl $-129, (%eax)
	subl $0x7fff, %ebx
	subl $0x7fff, (%eax)
	subl $foo, %ebx
	subl $foo, (%eax)
	subw %bx, %cx
	subw %bx, (%eax)
	subw (%eax), %bx
	subw %bx, 4(%esp)
	subw 4(%esp), %bx
	subw %bx, (%eax,%ecx)
	subw (%eax,%ecx), %bx
	subw %bx, foo
	subw foo, %bx
	subw %bx, 0x12345678
	subw 0x12345678, %bx
	subw $1, %bx
	subw $1, (%eax)
	subw $-1, %bx
	subw $-1, (%eax)
	subw $127, %bx
	subw $127, (%eax)
	subw $128, %bx
	subw $128, (%eax)
	subw $-129, %bx
	subw $-129, (%eax)
	subw $0x7fff, %bx
	subw $0x7fff, (%eax)
	subw $foo, %bx
	subw $foo, (%eax)
	subb %bl, %cl
	subb %bl, (%eax)
	subb (%eax), %bl
	subb %bl, 4(%esp)
	subb 4(%esp), %bl
	subb %bl, (%eax,%ecx)
	subb (%eax,%ecx), %bl
	subb %bl, foo
	subb foo, %bl
	subb %bl, 0x12345678
	subb 0x12345678, %bl
	subb $1, %bl
	subb $1, (%eax)
	subb $-1, %bl
	subb $-1, (%eax)
	subb $127, %bl
	subb $127, (%eax)
	subb $128, %bl
	subb $128, (%eax)
	subb $-129, %bl
	subb $-129, (%eax)
	subb $0x7fff, %bl
	subb $0x7fff, (%eax)
	subb $foo, %bl
	subb $foo, (%eax)
	xorl %ebx, %ecx
	xorl %ebx, (%eax)
	xorl (%eax), %ebx
	xorl %ebx, 4(%esp)
	xorl 4(%esp), %ebx
	xorl %ebx, (%eax,%ecx)
	xorl (%eax,%ecx), %ebx
	xorl %ebx, foo
	xorl foo, %ebx
	xorl %ebx, 0x12345678
	xorl 0x12345678, %ebx
	xorl $1, %ebx
	xorl $1, (%eax)
	xorl $-1, %ebx
	xorl $-1, (%eax)
	xorl $127, %ebx
	xorl $127, (%eax)
	xorl $128, %ebx
	xorl $128, (%eax)
	xorl $-129, %ebx
	xorl $-129, (%eax)
	xorl $0x7fff, %ebx
	xorl $0x7fff, (%eax)
	xorl $foo, %ebx
	xorl $foo, (%eax)
	xorw %bx, %cx
	xorw %bx, (%eax)
	xorw (%eax), %bx
	xorw %bx, 4(%esp)
	xorw 4(%esp), %bx
	xorw %bx, (%eax,%ecx)
	xorw (%eax,%ecx), %bx
	xorw %bx, foo
	xorw foo, %bx
	xorw %bx, 0x12345678
	xorw 0x12345678, %bx
	xorw $1, %bx
	xorw $1, (%eax)
	xorw $-1, %bx
	xorw $-1, (%eax)
	xorw $127, %bx
	xorw $127, (%eax)
	xorw $128, %bx
	xorw $128, (%eax)
	xorw $-129, %bx
	xorw $-129, (%eax)
	xorw $0x7fff, %bx
	xorw $0x7fff, (%eax)
	xorw $foo, %bx
	xorw $foo, (%eax)
	xorb %bl, %cl
	xorb %bl, (%eax)
	xorb (%eax), %bl
	xorb %bl, 4(%esp)
	xorb 4(%esp), %bl
	xorb %bl, (%eax,%ecx)
	xorb (%eax,%ecx), %bl
	xorb %bl, foo
	xorb foo, %bl
	xorb %bl, 0x12345678
	xorb 0x12345678, %bl
	xorb $1, %bl
	xorb $1, (%eax)
	xorb $-1, %bl
	xorb $-1, (%eax)
	xorb $127, %bl
	xorb $127, (%eax)
	xorb $128, %bl
	xorb $128, (%eax)
	xorb $-129, %bl
	xorb $-129, (%eax)
	xorb $0x7fff, %bl
	xorb $0x7fff, (%eax)
	xorb $foo, %bl
	xorb $foo, (%eax)
	cmpl %ebx, %ecx
	cmpl %ebx, (%eax)
	cmpl (%eax), %ebx
	cmpl %ebx, 4(%esp)
	cmpl 4(%esp), %ebx
	cmpl %ebx, (%eax,%ecx)
	cmpl (%eax,%ecx), %ebx
	cmpl %ebx, foo
	cmpl foo, %ebx
	cmpl %ebx, 0x12345678
	cmpl 0x12345678, %ebx
	cmpl $1, %ebx
	cmpl $1, (%eax)
	cmpl $-1, %ebx
	cmpl $-1, (%eax)
	cmpl $127, %ebx
	cmpl $127, (%eax)
	cmpl $128, %ebx
	cmpl $128, (%eax)
	cmpl $-129, %ebx
	cmpl $-129, (%eax)
	cmpl $0x7fff, %ebx
	cmpl $0x7fff, (%eax)
	cmpl $foo, %ebx
	cmpl $foo, (%eax)
	cmpw %bx, %cx
	cmpw %bx, (%eax)
	cmpw (%eax), %bx
	cmpw %bx, 4(%esp)
	cmpw 4(%esp), %bx
	cmpw %bx, (%eax,%ecx)
	cmpw (%eax,%ecx), %bx
	cmpw %bx, foo
	cmpw foo, %bx
	cmpw %bx, 0x12345678
	cmpw 0x12345678, %bx
	cmpw $1, %bx
	cmpw $1, (%eax)
	cmpw $-1, %bx
	cmpw $-1, (%eax)
	cmpw $127, %bx
	cmpw $127, (%eax)
	cmpw $128, %bx
	cmpw $128, (%eax)
	cmpw $-129, %bx
	cmpw $-129, (%eax)
	cmpw $0x7fff, %bx
	cmpw $0x7fff, (%eax)
	cmpw $foo, %bx
	cmpw $foo, (%eax)
	cmpb %bl, %cl
	cmpb %bl, (%eax)
	cmpb (%eax), %bl
	cmpb %bl, 4(%esp)
	cmpb 4(%esp), %bl
	cmpb %bl, (%eax,%ecx)
	cmpb (%eax,%ecx), %bl
	cmpb %bl, foo
	cmpb foo, %bl
	cmpb %bl, 0x12345678
	cmpb 0x12345678, %bl
	cmpb $1, %bl
	cmpb $1, (%eax)
	cmpb $-1, %bl
	cmpb $-1, (%eax)
	cmpb $127, %bl
	cmpb $127, (%eax)
	cmpb $128, %bl
	cmpb $128, (%eax)
	cmpb $-129, %bl
	cmpb $-129, (%eax)
	cmpb $0x7fff, %bl
	cmpb $0x7fff, (%eax)
	cmpb $foo, %bl
	cmpb $foo, (%eax)
	testl %ebx, %ecx
	testl %ebx, (%eax)
	testl %ebx, 4(%esp)
	testl %ebx, (%eax,%ecx)
	testl %ebx, foo
	testl %ebx, 0x12345678
	testl $1, %ebx
	testl $1, (%eax)
	testl $-1, %ebx
	testl $-1, (%eax)
	testl $127, %ebx
	testl $127, (%eax)
	testl $128, %ebx
	testl $128, (%eax)
	testl $-129, %ebx
	testl $-129, (%eax)
	testl $0x7fff, %ebx
	testl $0x7fff, (%eax)
	testl $foo, %ebx
	testl $foo, (%eax)
	testw %bx, %cx
	testw %bx, (%eax)
	testw %bx, 4(%esp)
	testw %bx, (%eax,%ecx)
	testw %bx, foo
	testw %bx, 0x12345678
	testw $1, %bx
	testw $1, (%eax)
	testw $-1, %bx
	testw $-1, (%eax)
	testw $127, %bx
	testw $127, (%eax)
	testw $128, %bx
	testw $128, (%eax)
	testw $-129, %bx
	testw $-129, (%eax)
	testw $0x7fff, %bx
	testw $0x7fff, (%eax)
	testw $foo, %bx
	testw $foo, (%eax)
	testb %bl, %cl
	testb %bl, (%eax)
	testb %bl, 4(%esp)
	testb %bl, (%eax,%ecx)
	testb %bl, foo
	testb %bl, 0x12345678
	testb $1, %bl
	testb $1, (%eax)
	testb $-1, %bl
	testb $-1, (%eax)
	testb $127, %bl
	testb $127, (%eax)
	testb $128, %bl
	testb $128, (%eax)
	testb $-129, %bl
	testb $-129, (%eax)
	testb $0x7fff, %bl
	testb $0x7fff, (%eax)
	testb $foo, %bl
	testb $foo, (%eax)
	incl %esi
	incl 8(%ebp)
	incw %si
	incw 8(%ebp)
	incb %dh
	incb 8(%ebp)
	decl %esi
	decl 8(%ebp)
	decw %si
	decw 8(%ebp)
	decb %dh
	decb 8(%ebp)
	negl %esi
	negl 8(%ebp)
	negw %si
	negw 8(%ebp)
	negb %dh
	negb 8(%ebp)
	notl %esi
	notl 8(%ebp)
	notw %si
	notw 8(%ebp)
	notb %dh
	notb 8(%ebp)
	mull %esi
	mull 8(%ebp)
	mulw %si
	mulw 8(%ebp)
	mulb %dh
	mulb 8(%ebp)
	imull %esi
	imull 8(%ebp)
	imulw %si
	imulw 8(%ebp)
	imulb %dh
	imulb 8(%ebp)
	divl %esi
	divl 8(%ebp)
	divw %si
	divw 8(%ebp)
	divb %dh
	divb 8(%ebp)
	idivl %esi
	idivl 8(%ebp)
	idivw %si
	idivw 8(%ebp)
	idivb %dh
	idivb 8(%ebp)
	shll %edx
	shll $1, %edx
	shll $5, %edx
	shll %cl, %edx
	shll $3, (%ebx)
	shlb %al
	shlb $1, %al
	shlb $5, %al
	shlb %cl, %al
	shlb $3, (%ebx)
	shlw %dx
	shlw $1, %dx
	shlw $5, %dx
	shlw %cl, %dx
	shlw $3, (%ebx)
	shrl %edx
	shrl $1, %edx
	shrl $5, %edx
	shrl %cl, %edx
	shrl $3, (%ebx)
	shrb %al
	shrb $1, %al
	shrb $5, %al
	shrb %cl, %al
	shrb $3, (%ebx)
	shrw %dx
	shrw $1, %dx
	shrw $5, %dx
	shrw %cl, %dx
	shrw $3, (%ebx)
	sarl %edx
	sarl $1, %edx
	sarl $5, %edx
	sarl %cl, %edx
	sarl $3, (%ebx)
	sarb %al
	sarb $1, %al
	sarb $5, %al
	sarb %cl, %al
	sarb $3, (%ebx)
	sarw %dx
	sarw $1, %dx
	sarw $5, %dx
	sarw %cl, %dx
	sarw $3, (%ebx)
	roll %edx
	roll $1, %edx
	roll $5, %edx
	roll %cl, %edx
	roll $3, (%ebx)
	rolb %al
	rolb $1, %al
	rolb $5, %al
	rolb %cl, %al
	rolb $3, (%ebx)
	rolw %dx
	rolw $1, %dx
	rolw $5, %dx
	rolw %cl, %dx
	rolw $3, (%ebx)
	rorl %edx
	rorl $1, %edx
	rorl $5, %edx
	rorl %cl, %edx
	rorl $3, (%ebx)
	rorb %al
	rorb $1, %al
	rorb $5, %al
	rorb %cl, %al
	rorb $3, (%ebx)
	rorw %dx
	rorw $1, %dx
	rorw $5, %dx
	rorw %cl, %dx
	rorw $3, (%ebx)
	rcll %edx
	rcll $1, %edx
	rcll $5, %edx
	rcll %cl, %edx
	rcll $3, (%ebx)
	rclb %al
	rclb $1, %al
	rclb $5, %al
	rclb %cl, %al
	rclb $3, (%ebx)
	rclw %dx
	rclw $1, %dx
	rclw $5, %dx
	rclw %cl, %dx
	rclw $3, (%ebx)
	rcrl %edx
	rcrl $1, %edx
	rcrl $5, %edx
	rcrl %cl, %edx
	rcrl $3, (%ebx)
	rcrb %al
	rcrb $1, %al
	rcrb $5, %al
	rcrb %cl, %al
	rcrb $3, (%ebx)
	rcrw %dx
	rcrw $1, %dx
	rcrw $5, %dx
	rcrw %cl, %dx
	rcrw $3, (%ebx)
	sall %edx
	sall $1, %edx
	sall $5, %edx
	sall %cl, %edx
	sall $3, (%ebx)
	salb %al
	salb $1, %al
	salb $5, %al
	salb %cl, %al
	salb $3, (%ebx)
	salw %dx
	salw $1, %dx
	salw $5, %dx
	salw %cl, %dx
	salw $3, (%ebx)
	pushl %eax
	pushl %ecx
	pushl %edx
	pushl %ebx
	pushl %esp
	pushl %ebp
	pushl %esi
	pushl %edi
	pushl %ds
	pushw %ds
	pushl %es
	pushw %es
	pushl %fs
	pushw %fs
	pushl %gs
	pushw %gs
	pushl %ss
	pushw %ss
	pushl (%eax)
	pushw %ax
	push %eax
	popl %eax
	popl %ecx
	popl %edx
	popl %ebx
	popl %esp
	popl %ebp
	popl %esi
	popl %edi
	popl %ds
	popw %ds
	popl %es
	popw %es
	popl %fs
	popw %fs
	popl %gs
	popw %gs
	popl %ss
	popw %ss
	popl (%eax)
	popw %ax
	pop %eax
	push $5
	pushw $5
	pushl $0x1234
	push foo

	movsb
	rep movsb
	movsw
	rep movsw
	movsl
	rep movsl
	cmpsb
	rep cmpsb
	cmpsw
	rep cmpsw
	cmpsl
	rep cmpsl
	scasb
	rep scasb
	scasw
	rep scasw
	scasl
	rep scasl
	lodsb
	rep lodsb
	lodsw
	rep lodsw
	lodsl
	rep lodsl
	stosb
	rep stosb
	stosw
	rep stosw
	stosl
	rep stosl
	insb
	rep insb
	insw
	rep insw
	insl
	rep insl
	outsb
	rep outsb
	outsw
	rep outsw
	outsl
	rep outsl
	lea 4(%esp),%eax
	leal foo(,%ecx,8),%edx
	leaw (%eax),%ax
	xchg %eax,%ecx
	xchg %ecx,%eax
	xchgl %ebx,(%eax)
	xchgb %al,%ah
	movzbw %al,%ax
	movzbl (%eax),%ecx
	movzwl %ax,%eax
	movsbw %al,%ax
	movsbl %al,%eax
	movswl (%eax),%eax
	movl %eax,%dr7
	movl %dr6,%eax
	movl %cr4,%ebx
	mov %eax,%cr2
	movw %ss,(%eax)
	movw (%eax),%ss
	mov %es,%eax
	lgdtl (%eax)
	sidt (%eax)
	sgdt foo
	lldt %ax
	str %ax
	sldt %ax
	lmsw %ax
	smsw %ax
	clts
	wbinvd
	invd
	in %dx,%al
	in %dx,%ax
	in $0x80,%eax
	out %eax,%dx
	outw %ax,$0x70
	iret
	iretl
	iretw
	lret
	lret $8
	ret $0x10
	int $3
	into
	bound %eax,(%ebx)
	arpl %ax,%bx
	lar %eax,%ebx
	lsl (%eax),%ecx
	verr %ax
	verw (%eax)
	cbw
	cwd
	cwde
	cdq
	cltd
	cwtl
	cbtw
	cwtd
	enter $8,$1
	leave
	hlt
	cmc
	clc
	stc
	cli
	sti
	cld
	std
	sahf
	lahf
	pushal
	popal
	pushaw
	popaw
	pushfw
	popfw
	nop
	wait
	fwait
	xlatb
	aaa
	aas
	daa
	das
	aam
	aad
	aam $16
	ljmp *(%eax)
	lcall *foo
	ljmpl *4(%ebx)
	jmp *(%eax)
	call *4(%eax)
	jmpl *%eax
	calll *%ecx
	bt %eax,%ebx
	btl $31,(%eax)
	btc %eax,(%ebx)
	btr $1,%eax
	bts %ax,%bx
	bsf %eax,%ebx
	bsr (%eax),%ecx
	shld $4,%eax,%ebx
	shrd %cl,%eax,(%ebx)
	imul %eax
	imul (%eax),%ebx
	imul $1000,%ebx,%ecx
	imul $3,%eax
	imulw $3,%ax
	setb %al
	setnae (%eax)
	cmova %eax,%ebx
	cmovnbe (%eax),%ebx
	xadd %eax,%ebx
	xaddb %al,(%ebx)
	cmpxchg %ebx,(%eax)
	cmpxchg8b (%eax)
	bswap %ebp
	lock cmpxchgl %ecx,(%edx)
	lock addl $1,(%eax)
	lock orb $1,(%ebx)
	repz cmpsb
	repnz scasl
	repe scasw
	loope .
	loopne .
	loopz .
	loopnz .
	jcxz .
	rdmsr
	wrmsr
	rdpmc
	ud2
	movl $1,%es:(%edi)
	movl %cs:4(%eax),%eax
	movb %al,%gs:0x10
	data16 movl %eax,%ebx
	movw $1,(%eax)
	movb $-1,(%eax)
	movl $foo,4(%eax)
	test %eax,(%ebx)
	testb $0x80,1(%eax)
	notw (%eax)
	incw %ax
	decb %al
	negb (%eax)
