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
