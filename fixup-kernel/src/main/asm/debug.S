# debug.S - kernel code that touches a user pointer WITHOUT an exception-table entry.
#
# Only the debug syscall (KernelConfig.debugSyscalls) calls it. A bad pointer makes do_page_fault
# reach no_context, search_exception_tables finds nothing for this EIP, and the kernel oopses.

	.text

# unsigned long unchecked_get_user_4(const unsigned long *p): returns *p, no access_ok, no fixup.
	.globl unchecked_get_user_4
unchecked_get_user_4:
	movl 4(%esp), %eax
	movl (%eax), %eax
	ret
