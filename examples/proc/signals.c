/* Signals: a handler that recovers from its own bad accesses (checking si_addr and si_code), a
 * handler without SA_RESTORER (the kernel's own return code on the stack), blocked and pending
 * signals, the alternate stack, SA_RESTART against -EINTR for a read that sleeps, SIGPIPE, and a
 * child killed by a signal as its parent's wait4 sees it. */
#include "proc.h"

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2

static volatile int hits, last_sig, last_code;
static volatile void *last_addr;
static volatile char *page;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    hits++;
    last_sig = sig;
    last_code = si->si_code;
    last_addr = si->si_addr;
    /* Repair the cause: make the page readable and writable (mapping it first if it is a hole). */
    void *base = (void *)((unsigned long)si->si_addr & ~4095ul);
    if (si->si_code == SEGV_MAPERR)
        mmap_anon(base, 4096, 3, 1);
    else
        SYS(NR_mprotect, base, 4096, 3);
}

static volatile int usr1;
static void on_usr1(int sig) { usr1 += sig; }

static volatile int alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

/* SIGFPE and SIGILL: note si_code and si_addr, then skip the 2-byte instruction that trapped by
 * moving the interrupted EIP in the ucontext (uc_mcontext.gregs[REG_EIP], 76 bytes in). */
static volatile int trap_sig, trap_code;
static volatile unsigned long trap_addr;
static void on_trap(int sig, siginfo_t *si, void *uc)
{
    trap_sig = sig;
    trap_code = si->si_code;
    trap_addr = (unsigned long)si->si_addr;
    *(unsigned long *)((char *)uc + 76) += 2;
}

extern char div_insn[], ud2_insn[];

static volatile unsigned long handler_sp;
static void on_usr2(int sig) { (void)sig; int local; handler_sp = (unsigned long)&local; }

int main(int argc, char **argv)
{
    /* "retcode": also a handler without SA_RESTORER, which returns through the code the kernel
     * writes on the stack. That needs an executable stack, as an i386 without NX has; an x86-64
     * host runs the same binary with a non-executable stack, so only Fixup and qemu-i386 run it. */
    int retcode = argc > 1 && strcmp(argv[1], "retcode") == 0;
    /* 1. recover from our own faults */
    sigaction_(SIGSEGV, on_segv, SA_SIGINFO);
    page = mmap_anon(NULL, 4096, 0, 0);                 /* PROT_NONE */
    page[5] = 42;                                        /* faults, the handler repairs, the store retries */
    printf("PROT_NONE store: hits=%d sig=%d code=%d addr ok=%d value=%d\n", hits, last_sig, last_code,
           last_addr == page + 5, page[5]);
    SYS(NR_mprotect, page, 4096, 1);                     /* read-only */
    page[100] = 7;
    printf("read-only store: hits=%d code=%d addr ok=%d value=%d\n", hits, last_code, last_addr == page + 100, page[100]);
    SYS(NR_munmap, page, 4096);
    int v = *(volatile int *)(page + 8);                 /* a hole: the handler maps it */
    printf("hole load: hits=%d code=%d addr ok=%d value=%d\n", hits, last_code, last_addr == page + 8, v);

    /* 1b. a divide error and an invalid opcode, each skipped by its handler */
    sigaction_(8, on_trap, SA_SIGINFO);
    sigaction_(4, on_trap, SA_SIGINFO);
    __asm__ volatile("xorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\tcltd\n"
                     ".globl div_insn\ndiv_insn:\n\tidivl %%ecx" ::: "eax", "ecx", "edx");
    printf("divide error: sig=%d code=%d addr ok=%d\n", trap_sig, trap_code, trap_addr == (unsigned long)div_insn);
    __asm__ volatile(".globl ud2_insn\nud2_insn:\n\tud2");
    printf("invalid opcode: sig=%d code=%d addr ok=%d\n", trap_sig, trap_code, trap_addr == (unsigned long)ud2_insn);

    /* 2. a plain handler (and, with "retcode", one returning through the kernel's own code) */
    struct k_sigaction a = { on_usr1, 0, 0, 0 };
    if (retcode) {
        SYS(NR_rt_sigaction, SIGUSR1, &a, 0, 8);
        kill(getpid(), SIGUSR1);
        printf("SIGUSR1 without restorer: %d\n", usr1);
    }
    sigaction_(SIGUSR1, on_usr1, 0);
    kill(getpid(), SIGUSR1);
    printf("SIGUSR1: %d\n", usr1);

    /* 3. blocked, then pending, then delivered on unblock */
    unsigned long long set = 1ull << (SIGUSR1 - 1), old = 0;
    SYS(NR_rt_sigprocmask, 0, &set, &old, 8);
    kill(getpid(), SIGUSR1);
    int before = usr1;
    SYS(NR_rt_sigprocmask, 1, &set, 0, 8);
    printf("blocked: %d then %d\n", before, usr1);

    /* 4. the alternate stack */
    static char alt[16384];
    struct { void *sp; int flags; unsigned long size; } ss = { alt, 0, sizeof alt };
    SYS(NR_sigaltstack, &ss, 0);
    sigaction_(SIGUSR2, on_usr2, SA_ONSTACK);
    kill(getpid(), SIGUSR2);
    printf("on the alternate stack: %d\n", handler_sp >= (unsigned long)alt && handler_sp < (unsigned long)alt + sizeof alt);

    /* 5. a read that sleeps, interrupted by SIGALRM: -EINTR, then restarted with SA_RESTART */
    int p[2];
    pipe(p);
    sigaction_(SIGALRM, on_alarm, 0);
    SYS(NR_alarm, 1);
    char c;
    long r = rd(p[0], &c, 1);
    printf("read interrupted: %ld alarms=%d\n", r, alarms);
    flush();
    int writer = fork();
    if (writer == 0) {
        struct { long s, ns; } t = { 1, 500000000 };
        SYS(NR_nanosleep, &t, 0);
        wr(p[1], "x", 1);
        _exit(0);
    }
    sigaction_(SIGALRM, on_alarm, SA_RESTART);
    SYS(NR_alarm, 1);
    r = rd(p[0], &c, 1);
    printf("read restarted: %ld '%c' alarms=%d\n", r, c, alarms);
    int status;
    waitpid(writer, &status, 0);

    /* 6. SIGPIPE: ignored, the write fails with -EPIPE; by default it kills */
    close(p[0]);
    sigaction_(SIGPIPE, (void *)1, 0);
    printf("write to a closed pipe: %ld\n", wr(p[1], "y", 1));
    flush();
    int child = fork();
    if (child == 0) {
        sigaction_(SIGPIPE, (void *)0, 0);
        wr(p[1], "z", 1);
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("writer killed by signal %d\n", WIFEXITED(status) ? 0 : WTERMSIG(status));

    /* 7. a child with a broken stack cannot take its SIGSEGV handler: it dies of SIGSEGV */
    flush();
    child = fork();
    if (child == 0) {
        __asm__ volatile("movl $16, %%esp\n\tmovl $0, (%%esp)" ::: "memory");
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("bad stack: killed by signal %d\n", WIFEXITED(status) ? 0 : WTERMSIG(status));

    /* 8. kill from the parent, seen through wait4; and the exit status a shell would show */
    flush();
    child = fork();
    if (child == 0) {
        for (;;)
            SYS(NR_pause, 0);
    }
    kill(child, SIGTERM);
    waitpid(child, &status, 0);
    printf("paused child: killed by signal %d\n", WTERMSIG(status));
    return 0;
}
