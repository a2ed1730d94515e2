# DWARF line information as gcc -g writes it: .file 0/1/2, .loc with columns, is_stmt, discriminator,
# location views (symbols and -0), two code sections, and .uleb128 of differences the layout decides.
	.file	"l.c"
	.text
.Ltext0:
	.file 0 "/build" "src/l.c"
	.file 1 "src/l.c"
	.file 2 "inc/h.h"
	.globl	f
	.type	f, @function
f:
.LFB0:
	.loc 1 3 1 view -0
	.loc 1 3 1 is_stmt 0 view .LVU1
	pushl	%ebx
	.loc 1 4 5 is_stmt 1 view .LVU2
	movl	8(%esp), %eax
	testl	%eax, %eax
	je	.L2
.LVL1:
	.loc 2 10 3 discriminator 2 view .LVU3
	.loc 2 11 3 view .LVU4
	addl	$1, %eax
	.p2align 4
.L2:
	.loc 1 40 1 view -0
	popl	%ebx
	ret
	.loc 1 2 1
	nop
.LFE0:
	.size	f, .-f
	.section	.text.startup,"ax",@progbits
main:
	.loc 1 50 1 prologue_end
	xorl	%eax, %eax
	.loc 1 500 7 epilogue_begin
	ret
.Letext0:
	.section	.debug_info,"",@progbits
	.long	.Ldebug_line0
	.section	.debug_line,"",@progbits
.Ldebug_line0:
	.section	.debug_loclists,"",@progbits
	.byte	4
	.uleb128 .LVL1-.Ltext0
	.uleb128 .LFE0-.Ltext0
	.uleb128 .LVU3
	.uleb128 .LVU4
	.sleb128 .Ltext0-.LFE0
	.section	.debug_line_str,"MS",@progbits,1
.LASF0:
	.string	"src/l.c"
