.data
.byte 1
.align 8
.byte 2
.balign 8,0x55
.byte 3
.p2align 4,,3
.byte 4
.p2align 3,0x77,7
.text
.byte 1
.balign 4,0x33
.byte 5
.p2align 4,,2
.byte 6
