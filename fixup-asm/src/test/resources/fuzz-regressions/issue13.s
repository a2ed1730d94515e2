# issue 13: these ended in stack overflow, OOM or NegativeArraySizeException
.long 1+((((((((((((1))))))))))))
.p2align 31
.space 0xffffffff
.fill 0x7fffffff,1,0
.org 0x7fffffff
.bss
.skip 0xfffffff0
.text
.align 0x40000000
99999999999999999999:
.if 1
.else
.else
.endif
