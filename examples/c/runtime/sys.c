/* System call wrappers: number in eax, arguments in ebx, ecx, edx, result in eax. */
#include "rt.h"

static inline int syscall3(int nr, int a, int b, int c)
{
    int r;
    __asm__ volatile ("int $0x80" : "=a"(r) : "0"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

ssize_t sys_write(int fd, const void *buf, size_t n) { return syscall3(4, fd, (int)buf, n); }
ssize_t sys_read(int fd, void *buf, size_t n) { return syscall3(3, fd, (int)buf, n); }
void *sys_brk(void *addr) { return (void *)syscall3(45, (int)addr, 0, 0); }

void sys_exit(int status)
{
    for (;;)
        syscall3(1, status, 0, 0);
}

void *malloc(size_t n)
{
    static char *cur, *end;
    if (!cur)
        cur = end = sys_brk(0);
    n = (n + 15) & ~15u;
    if ((size_t)(end - cur) < n) {
        /* Grow in 64 KB steps so a big array does not cost a syscall per call. */
        char *want = cur + ((n + 0xffff) & ~0xffffu);
        if (sys_brk(want) != want)
            return NULL;
        end = want;
    }
    char *p = cur;
    cur += n;
    return p;
}

void exit(int status)
{
    flush();
    sys_exit(status);
}

/* long sys_call(long nr, long a, long b, long c, long d, long e, long f): any system call, six
 * arguments in ebx ecx edx esi edi ebp. Written in assembly because ebp is one of them. */
__asm__(
    ".text\n"
    ".globl sys_call\n"
    ".type sys_call, @function\n"
    "sys_call:\n"
    "\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n\tpushl %ebp\n"
    "\tmovl 20(%esp), %eax\n\tmovl 24(%esp), %ebx\n\tmovl 28(%esp), %ecx\n\tmovl 32(%esp), %edx\n"
    "\tmovl 36(%esp), %esi\n\tmovl 40(%esp), %edi\n\tmovl 44(%esp), %ebp\n"
    "\tint $0x80\n"
    "\tpopl %ebp\n\tpopl %edi\n\tpopl %esi\n\tpopl %ebx\n"
    "\tret\n"
    ".size sys_call, . - sys_call\n"
    /* The signal restorers glibc would provide: sigreturn for a plain frame, rt_sigreturn for an
     * SA_SIGINFO one. */
    ".globl sys_restore\n"
    ".type sys_restore, @function\n"
    "sys_restore:\n"
    "\tpopl %eax\n\tmovl $119, %eax\n\tint $0x80\n"
    ".size sys_restore, . - sys_restore\n"
    ".globl sys_restore_rt\n"
    ".type sys_restore_rt, @function\n"
    "sys_restore_rt:\n"
    "\tmovl $173, %eax\n\tint $0x80\n"
    ".size sys_restore_rt, . - sys_restore_rt\n");
