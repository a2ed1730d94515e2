# :vararg macro parameters, recursion with .ifnb
.macro pushall first, rest:vararg
pushl \first
.ifnb \rest
pushall \rest
.endif
.endm
pushall %eax, %ebx, %ecx
.macro lst a:vararg
.long \a
.endm
.data
lst 1, 2, 3
