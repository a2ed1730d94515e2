# entry.S - how the CPU enters the kernel and how the kernel returns to the task.
#
# Every entry builds the same frame on the task's kernel stack, struct pt_regs:
#   ebx ecx edx esi edi ebp eax xds xes orig_eax eip xcs eflags esp xss
# The CPU pushes the last five (esp and xss only when it came from user mode, ring 3), plus an
# error code for some exceptions, which then sits in the orig_eax slot. The Java services
# (do_page_fault, do_syscall, ...) live at fixed addresses of a reserved kernel page: the calls
# below are ordinary calls, and the CPU runs the Java method when it fetches from that page.

	.set EBX, 0
	.set ECX, 4
	.set EDX, 8
	.set ESI, 12
	.set EDI, 16
	.set EBP, 20
	.set EAX, 24
	.set DS, 28
	.set ES, 32
	.set ORIG_EAX, 36
	.set EIP, 40
	.set CS, 44
	.set EFLAGS, 48
	.set OLDESP, 52
	.set OLDSS, 56

	.set KERNEL_DS, 0x18
	.set SIGSEGV, 11

# SAVE_REGS: struct pt_regs from xds down to ebx, below the xes slot, which the entry has filled
# (SAVE_ALL: with es; an exception stub: with its handler's address, swapped for es later).
	.macro SAVE_REGS
	pushl %ds
	pushl %eax
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %edx
	pushl %ecx
	pushl %ebx
	cld
	.endm

# The kernel's data segment into ds and es, through \reg.
	.macro LOAD_KERNEL_DS reg
	movl $KERNEL_DS, \reg
	movl \reg, %ds
	movl \reg, %es
	.endm

# SAVE_ALL: below what the entry already pushed (eip cs eflags [esp ss] and orig_eax), push the
# rest of struct pt_regs, then switch to the kernel's data segments.
	.macro SAVE_ALL
	pushl %es
	SAVE_REGS
	LOAD_KERNEL_DS %edx
	.endm

	.text

# int $0x80: eax = syscall number, ebx ecx edx esi edi ebp = arguments. The number stays in
# orig_eax; the result goes back to the task through the saved eax.
	.globl system_call
system_call:
	pushl %eax
	SAVE_ALL
	pushl %esp			# struct pt_regs *
	call do_syscall
	addl $4, %esp
	movl %eax, EAX(%esp)
	jmp ret_from_exception

# The timer interrupt (IRQ 0). orig_eax = -1: not a syscall.
	.globl timer_interrupt
timer_interrupt:
	pushl $-1
	SAVE_ALL
	pushl %esp
	call do_timer
	addl $4, %esp
	jmp ret_from_exception

# CPU exceptions. Each stub makes the frame uniform (a zero error code where the CPU pushes none)
# and pushes the address of its handler into the slot that will hold xes; error_code then saves
# the registers and calls handler(regs, error_code).
	.globl divide_error, debug, nmi, int3, overflow, bounds, invalid_op, device_not_available
	.globl double_fault, coprocessor_segment_overrun, invalid_TSS, segment_not_present
	.globl stack_segment, general_protection, page_fault, spurious_interrupt_bug
	.globl coprocessor_error, alignment_check, machine_check, simd_coprocessor_error
divide_error:
	pushl $0
	pushl $do_divide_error
	jmp error_code
debug:
	pushl $0
	pushl $do_debug
	jmp error_code
nmi:
	pushl $0
	pushl $do_nmi
	jmp error_code
int3:
	pushl $0
	pushl $do_int3
	jmp error_code
overflow:
	pushl $0
	pushl $do_overflow
	jmp error_code
bounds:
	pushl $0
	pushl $do_bounds
	jmp error_code
invalid_op:
	pushl $0
	pushl $do_invalid_op
	jmp error_code
device_not_available:
	pushl $0
	pushl $do_device_not_available
	jmp error_code
double_fault:
	pushl $do_double_fault
	jmp error_code
coprocessor_segment_overrun:
	pushl $0
	pushl $do_coprocessor_segment_overrun
	jmp error_code
invalid_TSS:
	pushl $do_invalid_tss
	jmp error_code
segment_not_present:
	pushl $do_segment_not_present
	jmp error_code
stack_segment:
	pushl $do_stack_segment
	jmp error_code
general_protection:
	pushl $do_general_protection
	jmp error_code
page_fault:
	pushl $do_page_fault
	jmp error_code
spurious_interrupt_bug:
	pushl $0
	pushl $do_spurious_interrupt_bug
	jmp error_code
coprocessor_error:
	pushl $0
	pushl $do_coprocessor_error
	jmp error_code
alignment_check:
	pushl $do_alignment_check
	jmp error_code
machine_check:
	pushl $0
	pushl $do_machine_check
	jmp error_code
simd_coprocessor_error:
	pushl $0
	pushl $do_simd_coprocessor_error
	jmp error_code

# Stack here: handler, error code, eip, cs, eflags [, esp, ss].
error_code:
	SAVE_REGS
	movl ES(%esp), %edi		# the handler
	movl ORIG_EAX(%esp), %esi	# the error code
	movl %es, %ecx
	movl %ecx, ES(%esp)		# the real es takes the handler's slot
	movl $-1, ORIG_EAX(%esp)	# an exception is not a syscall
	LOAD_KERNEL_DS %edx
	movl %esp, %edx
	pushl %esi			# error_code
	pushl %edx			# struct pt_regs *
	call *%edi
	addl $8, %esp

# Back to where the entry came from. Returning to user mode passes through do_return_to_user,
# which delivers pending signals and may switch tasks: it returns the pt_regs to restore, which
# may lie on another task's kernel stack.
	.globl ret_from_exception, ret_to_user, restore_all
ret_from_exception:
	testl $3, CS(%esp)
	jz restore_all			# back into the kernel: nothing to deliver
ret_to_user:
	pushl %esp
	call do_return_to_user
	movl %eax, %esp
restore_all:
	popl %ebx
	popl %ecx
	popl %edx
	popl %esi
	popl %edi
	popl %ebp
	popl %eax
1:	popl %ds
2:	popl %es
	addl $4, %esp			# orig_eax
3:	iret

# The return path has its own table entries: a selector that no longer loads is replaced by the
# null selector and the pop retried; an iret that faults (bad cs, eip or ss in the frame) kills
# the task with SIGSEGV.
	.section .fixup,"ax"
4:	movl $0, (%esp)
	jmp 1b
5:	movl $0, (%esp)
	jmp 2b
6:	LOAD_KERNEL_DS %eax
	pushl $SIGSEGV
	call do_exit
	.previous

	.section __ex_table,"a"
	.align 4
	.long 1b,4b
	.long 2b,5b
	.long 3b,6b
	.previous
