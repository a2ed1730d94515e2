# call-frame information: .eh_frame as GNU as builds it
.text
.globl f
f:
.cfi_startproc
pushl %ebp
.cfi_def_cfa_offset 8
.cfi_offset 5, -8
movl %esp, %ebp
.cfi_def_cfa_register 5
nop
leave
.cfi_restore 5
.cfi_def_cfa 4, 4
ret
.cfi_endproc
g:
.cfi_startproc
ret
.cfi_endproc
