# head.S - the kernel's descriptor tables and the boot task's stack.
#
# The Java boot code fills the IDT (the stub addresses come from the symbol table, as trap_init
# does at run time in Linux), the TSS (esp0 of the running task) and the TSS descriptor, then
# loads GDTR, IDTR and TR.

	.data
	.align 8
	.globl gdt_table
gdt_table:
	.long 0, 0			# 0x00 null
	.long 0, 0			# 0x08 unused
	.long 0x0000ffff, 0x00cf9a00	# 0x10 kernel code: base 0, 4 GB, ring 0
	.long 0x0000ffff, 0x00cf9200	# 0x18 kernel data
	.long 0x0000ffff, 0x00cffa00	# 0x23 user code: ring 3
	.long 0x0000ffff, 0x00cff200	# 0x2b user data
	.long 0, 0, 0, 0, 0, 0		# 0x33 0x3b 0x43: the running task's three TLS entries
	.skip 7 * 8			# 0x48-0x78 unused
	.long 0, 0			# 0x80 TSS, filled at boot
	.skip 15 * 8			# up to 32 entries, as Linux's GDT
gdt_end:

	.bss
	.align 4096
	.globl idt_table
idt_table:
	.skip 256 * 8
	.globl init_tss
init_tss:
	.skip 104
