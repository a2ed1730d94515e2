/* User code and kernel memory: no way in.
 *
 * "both:" lines hold on any Linux, whether an address is the kernel's (i386, 3G/1G split: 0xc0000000
 * and up) or unmapped user space (a 32-bit program on x86_64, whose user space ends near 4 GB):
 * a direct access is SIGSEGV (SEGV_MAPERR, si_addr the address), a system call given the pointer
 * fails with EFAULT, and no byte from there reaches a pipe. "i386:" lines are what Linux i386 with
 * its 3 GB TASK_SIZE answers (on x86_64 those addresses are ordinary user space). */
#include "proc.h"

#define K ((void *)0xc0100000)
#define O_NONBLOCK 04000

static volatile unsigned probe_addr, probe_write;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("both: %s %08x: signal %d code %d addr %s\n", probe_write ? "write" : "read", probe_addr, sig,
           si->si_code, (unsigned)si->si_addr == probe_addr ? "ok" : "wrong");
    exit(0);
}

/* Touches addr in a child: the child reports its SIGSEGV and exits. */
static void direct(unsigned addr, int write)
{
    int pid = fork();
    if (pid == 0) {
        sigaction_(SIGSEGV, (void *)on_segv, SA_SIGINFO);
        probe_addr = addr;
        probe_write = write;
        if (write) *(volatile unsigned char *)addr = 0x5a;
        else (void)*(volatile unsigned char *)addr;
        printf("both: %s %08x: no fault\n", write ? "write" : "read", addr);
        exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
}

#define EXPECT_EFAULT(what, call) printf("both: %s = %ld\n", what, (long)(call))

int main(void)
{
    static const unsigned kaddrs[] = {0xc0000000u, 0xc0001000u, 0xc0100000u, 0xc0400000u, 0xd0000000u, 0xfffff000u, 0xffffffffu};
    for (unsigned i = 0; i < sizeof kaddrs / sizeof *kaddrs; i++) {
        direct(kaddrs[i], 0);
        direct(kaddrs[i], 1);
    }
    flush();

    int zero = SYS(NR_open, "/dev/zero", 0, 0), p[2];
    pipe(p);
    char buf[64];
    EXPECT_EFAULT("read /dev/zero into K", rd(zero, K, 16));
    EXPECT_EFAULT("write K to a pipe", wr(p[1], K, 16));
    EXPECT_EFAULT("write from 0xfffffff0, wrapping", wr(p[1], (void *)0xfffffff0u, 0x20));
    struct { void *base; unsigned len; } iov[2] = {{"abc", 3}, {K, 8}};
    printf("both: writev of 3 good bytes then K = %ld\n", SYS(NR_writev, p[1], iov, 2));
    iov[0].base = K;
    EXPECT_EFAULT("writev with K first", SYS(NR_writev, p[1], iov, 2));
    EXPECT_EFAULT("writev with the iovec array at K", SYS(NR_writev, p[1], K, 2));
    SYS(NR_fcntl, p[0], 4, O_NONBLOCK);
    long n = rd(p[0], buf, sizeof buf);
    printf("both: the pipe holds %ld bytes: %s\n", n, n == 3 && !memcmp(buf, "abc", 3) ? "abc" : "other");
    printf("both: then = %ld\n", rd(p[0], buf, sizeof buf));
    iov[0].base = K;
    iov[0].len = 8;
    EXPECT_EFAULT("readv into K", SYS(NR_readv, zero, iov, 1));
    EXPECT_EFAULT("open(K)", SYS(NR_open, K, 0, 0));
    EXPECT_EFAULT("stat64(K)", SYS(195, K, buf));
    EXPECT_EFAULT("stat64 into K", SYS(195, "/", K));
    EXPECT_EFAULT("fstat64 into K", SYS(197, zero, K));
    EXPECT_EFAULT("uname(K)", SYS(122, K));
    EXPECT_EFAULT("gettimeofday(K)", SYS(78, K, 0));
    EXPECT_EFAULT("time(K)", SYS(13, K));
    EXPECT_EFAULT("times(K)", SYS(43, K));
    EXPECT_EFAULT("ugetrlimit into K", SYS(191, 3, K));
    EXPECT_EFAULT("setrlimit from K", SYS(75, 3, K));
    EXPECT_EFAULT("prlimit64 old into K", SYS(340, 0, 3, 0, K));
    EXPECT_EFAULT("getcwd(K)", SYS(183, K, 100));
    EXPECT_EFAULT("pipe(K)", SYS(NR_pipe, K));
    EXPECT_EFAULT("rt_sigaction new at K", SYS(NR_rt_sigaction, SIGUSR1, K, 0, 8));
    EXPECT_EFAULT("rt_sigaction old into K", SYS(NR_rt_sigaction, SIGUSR1, 0, K, 8));
    EXPECT_EFAULT("rt_sigprocmask new at K", SYS(NR_rt_sigprocmask, 0, K, 0, 8));
    EXPECT_EFAULT("rt_sigprocmask old into K", SYS(NR_rt_sigprocmask, 0, 0, K, 8));
    EXPECT_EFAULT("sigaltstack(K)", SYS(NR_sigaltstack, K, 0));
    EXPECT_EFAULT("nanosleep(K)", SYS(NR_nanosleep, K, 0));
    EXPECT_EFAULT("clock_gettime into K", SYS(265, 1, K));
    EXPECT_EFAULT("poll(K)", SYS(NR_poll, K, 1, 0));
    EXPECT_EFAULT("old mmap arguments at K", SYS(90, K));
    EXPECT_EFAULT("set_thread_area(K)", SYS(243, K));
    EXPECT_EFAULT("sysinfo(K)", SYS(116, K));
    EXPECT_EFAULT("wait4 status into K", ({ int c = fork(); if (c == 0) SYS(NR_exit, 0); SYS(NR_wait4, c, K, 0, 0); }));
    int full = SYS(NR_open, "/dev/full", 2, 0);
    printf("both: write to /dev/full = %ld\n", wr(full, "x", 1));
    buf[0] = 1;
    n = rd(full, buf, 1);
    printf("both: read from /dev/full = %ld, byte %d\n", n, buf[0]);
    flush();

    /* Linux i386: user space ends at 0xc0000000. */
    char *brk0 = sys_brk(0);
    printf("i386: write 16 bytes from 0xbffffff8, across the boundary = %ld\n", wr(p[1], (void *)0xbffffff8u, 16));
    printf("i386: the pipe then holds = %ld\n", rd(p[0], buf, sizeof buf));
    int null = SYS(NR_open, "/dev/null", 1, 0);
    printf("i386: write 0xffffffff bytes to /dev/null = %ld\n", wr(null, buf, 0xffffffffu));
    printf("i386: mmap fixed at 0xc0000000 = %ld\n", SYS(NR_mmap2, 0xc0000000u, 4096, 3, 0x32, -1, 0));
    printf("i386: mmap fixed at 0xbffff000, 2 pages = %ld\n", SYS(NR_mmap2, 0xbffff000u, 8192, 3, 0x32, -1, 0));
    printf("i386: mmap fixed_noreplace at 0xc0000000 = %ld\n", SYS(NR_mmap2, 0xc0000000u, 4096, 3, 0x100022, -1, 0));
    long hint = SYS(NR_mmap2, 0xc0000000u, 4096, 3, 0x22, -1, 0);
    printf("i386: mmap with the hint 0xc0000000 lands below it: %s\n", (unsigned long)hint < 0xc0000000u ? "yes" : "no");
    printf("i386: mmap 0xc0001000 bytes = %ld\n", SYS(NR_mmap2, 0, 0xc0001000u, 3, 0x22, -1, 0));
    printf("i386: mprotect 0xc0000000 = %ld\n", SYS(NR_mprotect, 0xc0000000u, 4096, 7));
    printf("i386: mprotect 0xfffff000, 2 pages (wraps) = %ld\n", SYS(NR_mprotect, 0xfffff000u, 8192, 7));
    printf("i386: munmap 0xc0000000 = %ld\n", SYS(NR_munmap, 0xc0000000u, 4096));
    printf("i386: munmap 0xbffff000, 2 pages = %ld\n", SYS(NR_munmap, 0xbffff000u, 8192));
    printf("i386: madvise 0xc0000000 = %ld\n", SYS(219, 0xc0000000u, 4096, 4));
    printf("i386: mremap from 0xc0000000 = %ld\n", SYS(163, 0xc0000000u, 4096, 8192, 1, 0));
    printf("i386: mremap to 0xc0000000 = %ld\n", SYS(163, hint, 4096, 4096, 3, 0xc0000000u));
    printf("i386: mremap to 0xbffff000, 2 pages = %ld\n", SYS(163, hint, 4096, 8192, 3, 0xbffff000u));
    printf("i386: brk to 0xc0001000 keeps the break: %s\n", sys_brk((void *)0xc0001000u) == brk0 ? "yes" : "no");
    printf("i386: brk to 0xffffffff keeps the break: %s\n", sys_brk((void *)0xffffffffu) == brk0 ? "yes" : "no");
    printf("i386: the page at 0xc0100000 still faults: ");
    flush();
    direct(0xc0100000u, 0);
    return 0;
}
