.comm a,4
.comm b,3
.comm c,100
.comm d,1
.comm e,20,8
.lcomm f,3
.lcomm g,100
.lcomm h,5
.local i
.comm i,12,4
lock addl $1,(%eax)
rep movsw
lock; addl $1,%fs:(%eax)
rep stosb %al,%es:(%edi)
.byte 300, -1, -129
.word 70000
.long 1,2
jmp 0x100
call 0x100
