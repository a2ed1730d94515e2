# Forks and exits thousands of times, each child taking memory another way, so that a test can
# check that every frame comes back (LeakTest): the free-frame count is read through the test
# probe (syscall 1001) after a warm-up round and again at the end, and must not move.
#
# Usage: forkleak SELF DATAFILE [ROUNDS]   (SELF: this program's path, for the execve child;
# ROUNDS: decimal, default 300; each round forks once per child kind below.)
# Run with one argument (as the execve child does) it exits at once.

        .set    SYS_exit, 1
        .set    SYS_fork, 2
        .set    SYS_open, 5
        .set    SYS_close, 6
        .set    SYS_execve, 11
        .set    SYS_brk, 45
        .set    SYS_munmap, 91
        .set    SYS_wait4, 114
        .set    SYS_sched_yield, 158
        .set    SYS_mremap, 163
        .set    SYS_vfork, 190
        .set    SYS_mmap2, 192
        .set    SYS_madvise, 219
        .set    SYS_probe, 1001
        .set    PG, 4096
        .set    NKINDS, 12              # the entries of kinds

        .text
        .globl  _start
_start:
        cmpl    $3, (%esp)
        jb      exit0                   # the execve child, or a bad call
        movl    8(%esp), %eax
        movl    %eax, self
        movl    %eax, exec_argv
        movl    12(%esp), %eax
        movl    %eax, datafile
        movl    $300, rounds
        cmpl    $4, (%esp)
        jb      1f
        movl    16(%esp), %esi          # ROUNDS in decimal
        xorl    %eax, %eax
2:      movzbl  (%esi), %ecx
        subl    $48, %ecx               # '0'
        cmpl    $9, %ecx
        ja      3f
        imull   $10, %eax
        addl    %ecx, %eax
        incl    %esi
        jmp     2b
3:      movl    %eax, rounds
1:      call    round                   # warm-up: the parent's own pages settle
        movl    $SYS_probe, %eax
        int     $0x80
4:      call    round
        decl    rounds
        jnz     4b
        movl    $SYS_probe, %eax
        int     $0x80
exit0:  movl    $SYS_exit, %eax
        xorl    %ebx, %ebx
        int     $0x80

# One child of each kind, each reaped (with any orphan it left) before the next.
round:  movl    $0, kind
1:      movl    $SYS_fork, %eax
        int     $0x80
        testl   %eax, %eax
        jz      child
        call    reap
        incl    kind
        cmpl    $NKINDS, kind
        jb      1b
        ret

# wait4(-1) until no child is left (-ECHILD): orphans come to us, the init task.
reap:   movl    $SYS_wait4, %eax
        movl    $-1, %ebx
        movl    $status, %ecx
        xorl    %edx, %edx
        xorl    %esi, %esi
        int     $0x80
        testl   %eax, %eax
        jns     reap
        ret

child:  movl    kind, %eax
        jmp     *kinds(,%eax,4)

        .section .rodata
        .align  4
kinds:  .long   k_exit, k_cow, k_mmap, k_brk, k_file, k_segv, k_exec, k_vfork, k_shared, k_orphan, k_stack, k_advice
        .text

k_exit: jmp     exit0

# Writes to a data page and a stack page: both are copied (copy-on-write).
k_cow:  movl    $1, counter
        pushl   $2
        jmp     exit0

# Anonymous memory: touched, grown by mremap (it moves), partly unmapped, partly dropped.
k_mmap: movl    $SYS_mmap2, %eax
        xorl    %ebx, %ebx
        movl    $3*PG, %ecx
        movl    $3, %edx
        movl    $0x22, %esi
        movl    $-1, %edi
        xorl    %ebp, %ebp
        int     $0x80
        movl    %eax, %ebx
        movl    $1, (%ebx)
        movl    $1, PG(%ebx)
        movl    $SYS_mmap2, %eax        # something after it, so that it must move
        pushl   %ebx
        leal    3*PG(%ebx), %ebx
        movl    $PG, %ecx
        movl    $0x32, %esi             # MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED
        int     $0x80
        movl    $1, (%eax)
        popl    %ebx
        movl    $SYS_mremap, %eax
        movl    $3*PG, %ecx
        movl    $8*PG, %edx
        movl    $1, %esi                # MREMAP_MAYMOVE
        int     $0x80
        movl    %eax, %ebx
        movl    $1, 7*PG(%ebx)
        movl    $1, 2*PG(%ebx)
        movl    $SYS_munmap, %eax
        movl    $PG, %ecx
        int     $0x80
        movl    $SYS_madvise, %eax
        leal    PG(%ebx), %ebx
        movl    $PG, %ecx
        movl    $4, %edx                # MADV_DONTNEED
        int     $0x80
        jmp     exit0

# The heap grows by five pages, which are touched.
k_brk:  movl    $SYS_brk, %eax
        xorl    %ebx, %ebx
        int     $0x80
        leal    5*PG(%eax), %ebx
        movl    $SYS_brk, %eax
        int     $0x80
        movl    $1, -4(%eax)
        movl    $1, -4*PG(%eax)
        jmp     exit0

# A private file mapping, read and written, its descriptor closed before exit: the mapping holds
# the file until the exit drops it.
k_file: movl    $SYS_open, %eax
        movl    datafile, %ebx
        xorl    %ecx, %ecx
        int     $0x80
        movl    %eax, %edi              # fd
        movl    $SYS_mmap2, %eax
        xorl    %ebx, %ebx
        movl    $2*PG, %ecx
        movl    $3, %edx
        movl    $2, %esi                # MAP_PRIVATE
        xorl    %ebp, %ebp
        int     $0x80
        movl    (%eax), %ecx
        movl    %ecx, PG(%eax)
        movl    $SYS_close, %eax
        movl    %edi, %ebx
        int     $0x80
        jmp     exit0

# Killed by SIGSEGV.
k_segv: movl    $0, 0
        jmp     exit0

# execve of this program with one argument: the old image goes at once.
k_exec: movl    $SYS_execve, %eax
        movl    self, %ebx
        movl    $exec_argv, %ecx
        xorl    %edx, %edx
        int     $0x80
        movl    $SYS_exit, %eax
        movl    $1, %ebx
        int     $0x80

# vfork: the child borrows the address space and exits; then this child exits.
k_vfork:
        movl    $SYS_vfork, %eax
        int     $0x80
        jmp     exit0

# Shared anonymous memory written by this child and by its own child.
k_shared:
        movl    $SYS_mmap2, %eax
        xorl    %ebx, %ebx
        movl    $PG, %ecx
        movl    $3, %edx
        movl    $0x21, %esi             # MAP_SHARED | MAP_ANONYMOUS
        movl    $-1, %edi
        xorl    %ebp, %ebp
        int     $0x80
        movl    %eax, %edi
        movl    $1, (%edi)
        movl    $SYS_fork, %eax
        int     $0x80
        movl    $2, (%edi)
        testl   %eax, %eax
        jz      exit0
        call    reap
        jmp     exit0

# Leaves an orphan that writes to its memory after its parent is gone; init reaps it.
k_orphan:
        movl    $SYS_fork, %eax
        int     $0x80
        testl   %eax, %eax
        jnz     exit0
        movl    $SYS_sched_yield, %eax
        int     $0x80
        movl    $3, counter
        jmp     exit0

# The stack grows 64 KB below where it was, a page at a time.
k_stack:
        movl    $16, %ecx
1:      subl    $PG, %esp
        movl    $1, (%esp)
        loop    1b
        jmp     exit0

# madvise's fork advice: a page left out of the grandchild, one it gets empty, one it shares.
k_advice:
        movl    $SYS_mmap2, %eax
        xorl    %ebx, %ebx
        movl    $3*PG, %ecx
        movl    $3, %edx
        movl    $0x22, %esi
        movl    $-1, %edi
        xorl    %ebp, %ebp
        int     $0x80
        movl    %eax, %edi
        movl    $1, (%edi)
        movl    $1, PG(%edi)
        movl    $1, 2*PG(%edi)
        movl    $SYS_madvise, %eax
        movl    %edi, %ebx
        movl    $PG, %ecx
        movl    $10, %edx               # MADV_DONTFORK
        int     $0x80
        movl    $SYS_madvise, %eax
        leal    PG(%edi), %ebx
        movl    $18, %edx               # MADV_WIPEONFORK
        int     $0x80
        movl    $SYS_fork, %eax
        int     $0x80
        testl   %eax, %eax
        jnz     1f
        movl    $2, PG(%edi)            # the grandchild: a fresh page, and a copy of the shared one
        movl    $2, 2*PG(%edi)
        jmp     exit0
1:      call    reap
        jmp     exit0

        .data
        .align  4
self:       .long 0
datafile:   .long 0
exec_argv:  .long 0, 0
rounds:     .long 0
kind:       .long 0
counter:    .long 0
        .bss
        .align  4
status:     .skip 4
