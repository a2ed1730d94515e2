# efault.S - the seeds' example from the user side.
#
# A user program hands the kernel good pointers, then bad ones. The kernel does not check most of
# them: it touches them from guest code whose faulting instructions are listed in __ex_table, the
# MMU faults, do_page_fault finds the fixup, and the syscall returns -EFAULT (-14). Pointers at or
# above 0xC0000000 never reach the MMU: access_ok turns them away first.
#
# Run:  ./fixup run -d fault,extable examples/efault.S

	.set SYS_exit, 1
	.set SYS_read, 3
	.set SYS_write, 4
	.set SYS_open, 5
	.set SYS_close, 6
	.set SYS_munmap, 91
	.set SYS_uname, 122
	.set SYS_mmap2, 192

	.set PROT_NONE, 0
	.set PROT_READ, 1
	.set PROT_WRITE, 2
	.set MAP_PRIVATE, 2
	.set MAP_ANONYMOUS, 0x20

	.text
	.globl _start
_start:
	# A read-only page, a PROT_NONE page and a hole (mapped, then unmapped).
	movl $PROT_READ, %edx
	call map_page
	movl %eax, ro_page
	movl $PROT_NONE, %edx
	call map_page
	movl %eax, none_page
	movl $PROT_READ|PROT_WRITE, %edx
	call map_page
	movl %eax, hole
	movl $SYS_munmap, %eax
	movl hole, %ebx
	movl $4096, %ecx
	int $0x80

	# /dev/zero is the source for the reads.
	movl $SYS_open, %eax
	movl $dev_zero, %ebx
	xorl %ecx, %ecx
	int $0x80
	movl %eax, zero_fd

	# --- good pointers ---
	movl $SYS_write, %eax
	movl $1, %ebx
	movl $greeting, %ecx
	movl $greeting_len, %edx
	int $0x80
	movl $t_write_good, %esi
	call report

	movl $SYS_read, %eax
	movl zero_fd, %ebx
	movl $buffer, %ecx
	movl $16, %edx
	int $0x80
	movl $t_read_good, %esi
	call report

	movl $SYS_uname, %eax
	movl $utsname, %ebx
	int $0x80
	movl $t_uname_good, %esi
	call report

	movl $SYS_open, %eax
	movl $dev_null, %ebx
	xorl %ecx, %ecx
	int $0x80
	movl $t_open_good, %esi
	call report_fd

	# --- NULL: below every mapping; the MMU faults inside the kernel ---
	movl $SYS_write, %eax
	movl $1, %ebx
	xorl %ecx, %ecx
	movl $5, %edx
	int $0x80
	movl $t_write_null, %esi
	call report

	movl $SYS_read, %eax
	movl zero_fd, %ebx
	xorl %ecx, %ecx
	movl $16, %edx
	int $0x80
	movl $t_read_null, %esi
	call report

	movl $SYS_uname, %eax
	xorl %ebx, %ebx
	int $0x80
	movl $t_uname_null, %esi
	call report

	movl $SYS_open, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	int $0x80
	movl $t_open_null, %esi
	call report

	# --- kernel addresses: access_ok says no, nothing reaches the MMU ---
	movl $SYS_write, %eax
	movl $1, %ebx
	movl $0xc0000000, %ecx
	movl $1, %edx
	int $0x80
	movl $t_write_kernel, %esi
	call report

	movl $SYS_read, %eax
	movl zero_fd, %ebx
	movl $0xbfffffff, %ecx
	movl $2, %edx
	int $0x80
	movl $t_read_top, %esi
	call report

	movl $SYS_uname, %eax
	movl $0xc0000000, %ebx
	int $0x80
	movl $t_uname_kernel, %esi
	call report

	# --- an unmapped hole between mappings ---
	movl $SYS_write, %eax
	movl $1, %ebx
	movl hole, %ecx
	movl $8, %edx
	int $0x80
	movl $t_write_hole, %esi
	call report

	movl $SYS_open, %eax
	movl hole, %ebx
	xorl %ecx, %ecx
	int $0x80
	movl $t_open_hole, %esi
	call report

	# --- a PROT_NONE page ---
	movl $SYS_uname, %eax
	movl none_page, %ebx
	int $0x80
	movl $t_uname_none, %esi
	call report

	movl $SYS_write, %eax
	movl $1, %ebx
	movl none_page, %ecx
	movl $8, %edx
	int $0x80
	movl $t_write_none, %esi
	call report

	# --- a read-only page: the kernel's write faults (CR0.WP) ---
	movl $SYS_read, %eax
	movl zero_fd, %ebx
	movl ro_page, %ecx
	movl $16, %edx
	int $0x80
	movl $t_read_ro, %esi
	call report

	movl $SYS_uname, %eax
	movl ro_page, %ebx
	int $0x80
	movl $t_uname_ro, %esi
	call report

	movl $SYS_exit, %eax
	xorl %ebx, %ebx
	int $0x80

# map_page: mmap2(NULL, 4096, prot=%edx, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) -> %eax
map_page:
	pushl %ebx
	pushl %esi
	pushl %edi
	pushl %ebp
	movl $SYS_mmap2, %eax
	xorl %ebx, %ebx
	movl $4096, %ecx
	movl $MAP_PRIVATE|MAP_ANONYMOUS, %esi
	movl $-1, %edi
	xorl %ebp, %ebp
	int $0x80
	popl %ebp
	popl %edi
	popl %esi
	popl %ebx
	ret

# report: print "<label> = <eax>\n"; %esi = NUL-terminated label.
report:
	pushl %eax
	movl %esi, %ecx
	call print_str
	movl $equals, %ecx
	call print_str
	popl %eax
	call print_int
	movl $newline, %ecx
	call print_str
	ret

# report_fd: like report, but a descriptor prints as "fd" when non-negative (its number is the
# kernel's choice) and as the error otherwise.
report_fd:
	testl %eax, %eax
	js report
	movl %esi, %ecx
	call print_str
	movl $equals_fd, %ecx
	call print_str
	ret

# print_str: write the NUL-terminated string at %ecx to stdout.
print_str:
	movl %ecx, %edx
1:	cmpb $0, (%edx)
	je 2f
	incl %edx
	jmp 1b
2:	subl %ecx, %edx
	movl $SYS_write, %eax
	movl $1, %ebx
	int $0x80
	ret

# print_int: write %eax as a signed decimal number.
print_int:
	movl $digits_end, %edi
	movl %eax, %esi
	testl %eax, %eax
	jns 1f
	negl %eax
1:	movl $10, %ebx
2:	xorl %edx, %edx
	divl %ebx
	addb $'0', %dl
	decl %edi
	movb %dl, (%edi)
	testl %eax, %eax
	jnz 2b
	testl %esi, %esi
	jns 3f
	decl %edi
	movb $'-', (%edi)
3:	movl $SYS_write, %eax
	movl $1, %ebx
	movl %edi, %ecx
	movl $digits_end, %edx
	subl %edi, %edx
	int $0x80
	ret

	.section .rodata
greeting:	.ascii "hello, kernel\n"
	.set greeting_len, . - greeting
dev_zero:	.asciz "/dev/zero"
dev_null:	.asciz "/dev/null"
equals:		.asciz " = "
equals_fd:	.asciz " = fd\n"
newline:	.asciz "\n"
t_write_good:	.asciz "write(1, greeting, 14)"
t_read_good:	.asciz "read(zero, buffer, 16)"
t_uname_good:	.asciz "uname(utsname)"
t_open_good:	.asciz "open(\"/dev/null\")"
t_write_null:	.asciz "write(1, NULL, 5)"
t_read_null:	.asciz "read(zero, NULL, 16)"
t_uname_null:	.asciz "uname(NULL)"
t_open_null:	.asciz "open(NULL)"
t_write_kernel:	.asciz "write(1, 0xc0000000, 1)"
t_read_top:	.asciz "read(zero, 0xbfffffff, 2)"
t_uname_kernel:	.asciz "uname(0xc0000000)"
t_write_hole:	.asciz "write(1, hole, 8)"
t_open_hole:	.asciz "open(hole)"
t_uname_none:	.asciz "uname(PROT_NONE page)"
t_write_none:	.asciz "write(1, PROT_NONE page, 8)"
t_read_ro:	.asciz "read(zero, read-only page, 16)"
t_uname_ro:	.asciz "uname(read-only page)"

	.data
	.align 4
zero_fd:	.long 0
ro_page:	.long 0
none_page:	.long 0
hole:		.long 0

	.bss
	.align 4
buffer:		.skip 64
utsname:	.skip 390
digits:		.skip 16
digits_end:
