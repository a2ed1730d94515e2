# Program entry. The kernel leaves the Linux i386 initial stack at %esp:
#   argc, argv[0..argc-1], NULL, envp[...], NULL, auxv...
# We call main(argc, argv, envp) on a 16-byte aligned stack (gcc assumes the
# i386 SysV alignment) and pass its result to exit(), which flushes stdout.
        .text
        .globl  _start
        .type   _start, @function
_start:
        xorl    %ebp, %ebp              # outermost frame, for debuggers
        movl    (%esp), %eax            # argc
        leal    4(%esp), %edx           # argv
        leal    8(%esp,%eax,4), %ecx    # envp = argv + argc + 1
        andl    $-16, %esp
        subl    $4, %esp                # 3 pushes + this = 16: aligned at the call
        pushl   %ecx
        pushl   %edx
        pushl   %eax
        call    main
        movl    %eax, (%esp)
        call    exit
        hlt                             # exit does not return
        .size   _start, . - _start
        .section .note.GNU-stack, "", @progbits
