	.text
	.globl start
start:
	movl %eax, %ebx
	movl $0x12345678, %ecx
	movl 4(%esp), %eax
	movl -4(%ebp), %edx
	movl (%ebp), %eax
	movl (%esp), %eax
	movl 0x1000, %eax
	movl %eax, 0x1000
	movl foo, %eax
	movl %eax, foo+4
	movl foo(,%eax,4), %ebx
	movl (%ebx,%ecx,2), %eax
	movl 0x80(%ebx,%ecx,8), %eax
	movw %ax, %bx
	movb $1, %al
	movb %ah, (%edi)
	movzbl %al, %eax
	movzwl (%esi), %ecx
	movsbl %bl, %edx
	leal 0(%ecx,%eax,4), %ecx
	lea 4(%esp), %eax
	addl $1, %eax
	addl $128, %eax
	addl $-128, %ebx
	addl $1000, %ebx
	subl %ecx, %edx
	andl $0xfffff000, %eax
	orl $3, (%ebx)
	xorl %eax, %eax
	cmpl $0xc0000000, %eax
	cmpb $0, (%esi)
	testl %eax, %eax
	testb $1, %al
	incl %eax
	decl (%ebx)
	negl %eax
	notl %ecx
	shll $2, %eax
	shrl %cl, %edx
	sarl $1, %eax
	pushl %eax
	pushl $1
	pushl $300
	pushl $foo
	pushl 8(%ebp)
	popl %ebx
	pushl %ds
	popl %es
	pusha
	popa
	pushf
	popf
	pushfl
	popfl
	call foo
	call *%eax
	call *foo(,%eax,4)
	jmp *%ebx
	ret
	ret $4
	iret
	int $0x80
	int3
	cli
	sti
	hlt
	nop
	cld
	std
	rep movsl
	rep; movsb
	repne scasb
	rep stosl
	lodsb
	movl %cr0, %eax
	movl %eax, %cr0
	movl %eax, %cr3
	movl %cr2, %eax
	movl %eax, %cr4
	movw %ax, %ds
	movl %eax, %ds
	movw %ds, %ax
	movl %ss, %eax
	lgdt gdt_desc
	lidt idt_desc
	ltr %ax
	invlpg (%eax)
	inb $0x60, %al
	outb %al, $0xe9
	outb %al, %dx
	inl %dx, %eax
	xchgl %eax, %ebx
	xchg %eax, (%ecx)
	mull %ecx
	imull %ebx, %eax
	imull $10, %eax, %eax
	divl %ecx
	idivl (%ebx)
	cltd
	cwtl
	leave
	ljmp $0x10, $1f
1:	lcall $0x23, $0
	movl %fs:0x10, %eax
	movl %eax, %gs:(%ebx)
	lock incl (%eax)
	lock; xaddl %eax, (%ebx)
	cmpxchgl %ecx, (%edx)
	bswap %eax
	sete %al
	setne (%ebx)
	cmovel %eax, %ebx
	btl $3, %eax
	btsl %eax, (%ebx)
	loop 1b
	jecxz 1b
	enter $16, $0
	xlat
	cpuid
	rdtsc
	ud2
	sahf
	lahf
	movsl
	cmpsb
	movl $foo, %eax
	movl $foo+8, (%ebx)
	movl $(2f-1b), %eax
2:
	.data
foo:	.long 0
gdt_desc: .word 0
	.long 0
idt_desc: .word 0, 0, 0
