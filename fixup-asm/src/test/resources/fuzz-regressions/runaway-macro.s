# a macro that invokes itself twice: 2^100 expansions; stopped by the expansion bound
.macro m a
 m \a
 m \a
.endm
 m x
