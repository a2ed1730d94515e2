# the fuzzer's first slow input: a fill of 2^28 zero-sized items, repeated
.rept 100
.fill 0x10000000, 0, 0
.endr
