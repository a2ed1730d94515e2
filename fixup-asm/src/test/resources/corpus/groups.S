# Section groups: COMDAT ones as gcc emits for __x86.get_pc_thunk, one whose member has relocations,
# a plain (non-COMDAT) group, and a group whose signature is defined nowhere.
	.text
	.globl	f
f:	call	__x86.get_pc_thunk.bx
	ret
	.section	.text.__x86.get_pc_thunk.bx,"axG",@progbits,__x86.get_pc_thunk.bx,comdat
	.globl	__x86.get_pc_thunk.bx
	.hidden	__x86.get_pc_thunk.bx
	.type	__x86.get_pc_thunk.bx, @function
__x86.get_pc_thunk.bx:
	movl	(%esp), %ebx
	ret
	.section	.data.rel.g,"awG",@progbits,g_sig,comdat
	.globl	g_sig
g_sig:	.long	f, ext
	.section	.rodata.m,"aMSG",@progbits,1,m_sig,comdat
	.string	"merged"
	.section	.text.plain,"axG",@progbits,plain_group
	nop
	.section	.text.nosig,"axG",@progbits,nowhere,comdat
	ret
