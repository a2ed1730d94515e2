# stack-grow.S - the stack vma grows down on demand (VM_GROWSDOWN).
#
# 1. The program moves esp 256 KB down and writes there: each new page is a user fault just at or
#    above esp, which do_page_fault accepts, so expand_stack grows the vma.
# 2. It hands the kernel a buffer 64 KB below esp: the kernel's write to it faults in kernel mode,
#    where the "address + 32 < esp" rule does not apply, so the stack grows and read() succeeds.

	.text
	.globl _start
_start:
	movl %esp, %ebp
	subl $0x40000, %esp		# 256 KB down
	movl $0x12345678, (%esp)
	cmpl $0x12345678, (%esp)
	jne fail
	movl $4, %eax
	movl $1, %ebx
	movl $grew, %ecx
	movl $grew_len, %edx
	int $0x80

	movl $5, %eax			# open("/dev/zero", O_RDONLY)
	movl $dev_zero, %ebx
	xorl %ecx, %ecx
	int $0x80
	movl %eax, %ebx
	movl $3, %eax			# read(fd, esp - 64 KB, 16)
	leal -0x10000(%esp), %ecx
	movl $16, %edx
	int $0x80
	cmpl $16, %eax
	jne fail
	movl $4, %eax
	movl $1, %ebx
	movl $kernel_grew, %ecx
	movl $kernel_grew_len, %edx
	int $0x80

	movl %ebp, %esp
	movl $1, %eax			# exit(0)
	xorl %ebx, %ebx
	int $0x80

fail:
	movl $4, %eax
	movl $1, %ebx
	movl $failed, %ecx
	movl $failed_len, %edx
	int $0x80
	movl $1, %eax			# exit(1)
	movl $1, %ebx
	int $0x80

	.section .rodata
dev_zero:	.asciz "/dev/zero"
grew:		.ascii "user stack grew by 256 KB\n"
	.set grew_len, . - grew
kernel_grew:	.ascii "read() into 64 KB below esp: 16 bytes\n"
	.set kernel_grew_len, . - kernel_grew
failed:		.ascii "stack growth failed\n"
	.set failed_len, . - failed
