/**
 * Memory management: a task's address space (the vma list and its page directory), physical
 * frames with their reference counts, copy-on-write and demand paging, do_page_fault with the
 * out-of-memory killer, vmalloc space for modules, and the memory system calls.
 */
package dev.fixup.kernel.mm;
