/* The EFAULT table, in the style of LTP: each syscall that takes a user pointer gets NULL,
 * (void *)-1, a kernel address, an unmapped hole and a PROT_NONE page (and a read-only page
 * where the kernel writes), and we print what it returned and what else changed, one line each:
 *     SYSCALL ARGUMENT CASE RESULT [SIDE EFFECTS]
 * RESULT is -errno, 0, or "pos" for a positive result (times and counts vary between runs).
 * The same static binary runs natively and under Fixup; a test compares the lines.
 * Build: see examples/efault/build.sh. Run in a scratch directory: it creates efault.tmp. */
#include "proc.h"

enum {
    NR_time = 13, NR_times = 43, NR_sigaction = 67, NR_sigpending = 73, NR_setrlimit = 75,
    NR_getrlimit = 76, NR_gettimeofday = 78, NR_mmap = 90, NR_uname = 122, NR_sigprocmask = 126,
    NR__llseek = 140, NR__newselect = 142, NR_rt_sigpending = 176, NR_rt_sigsuspend = 179,
    NR_ugetrlimit = 191, NR_prlimit64 = 340
};

#define PAGE 4096
#define NBAD 6                      /* the last case, a read-only page, only for pointers the kernel writes */
static char *bad[NBAD];
static const char *badname[NBAD] = {"NULL", "-1", "kernel", "hole", "PROT_NONE", "readonly"};
static char *self;                  /* this program's path, for execve */
static int fd;                      /* efault.tmp, holding "0123456789", offset 3 */

static void row(const char *call, const char *arg, int c, long r, const char *extra)
{
    if (r < 0)
        printf("%s %s %s %ld%s%s\n", call, arg, badname[c], r, *extra ? " " : "", extra);
    else
        printf("%s %s %s %s%s%s\n", call, arg, badname[c], r == 0 ? "0" : "pos", *extra ? " " : "", extra);
    flush();                        /* before any fork, and so that a hang shows where */
}

/* The lowest free descriptor: a call that fails must not leave one open. */
static int lowfd(void)
{
    int d = SYS(NR_dup, 0);
    close(d);
    return d;
}

static long offset(void) { return SYS(NR_lseek, fd, 0, 1); }

/* The file's offset, size and whether its bytes are still "0123456789". */
static const char *file_state(char *out, int cap)
{
    long off = offset();
    long size = SYS(NR_lseek, fd, 0, 2);
    char b[16];
    SYS(NR_lseek, fd, 0, 0);
    long n = rd(fd, b, sizeof b);
    SYS(NR_lseek, fd, off, 0);
    snprintf(out, cap, "off=%ld size=%ld data=%s", off, size, n == 10 && memcmp(b, "0123456789", 10) == 0 ? "same" : "CHANGED");
    return out;
}

static void reset_file(void) { SYS(NR_lseek, fd, 3, 0); }

static void files(void)
{
    char st[64];
    for (int c = 0; c < NBAD; c++) {
        reset_file();
        row("read", "buf", c, rd(fd, bad[c], 4), file_state(st, sizeof st));
    }
    for (int c = 0; c < NBAD - 1; c++) {
        reset_file();
        row("write", "buf", c, wr(fd, bad[c], 4), file_state(st, sizeof st));
    }
    for (int c = 0; c < NBAD - 1; c++) {
        reset_file();
        row("readv", "iov", c, SYS(NR_readv, fd, bad[c], 1), file_state(st, sizeof st));
        reset_file();
        row("writev", "iov", c, SYS(NR_writev, fd, bad[c], 1), file_state(st, sizeof st));
    }
    for (int c = 0; c < NBAD; c++) {
        struct { void *base; long len; } iov = { bad[c], 4 };
        reset_file();
        row("readv", "iov_base", c, SYS(NR_readv, fd, &iov, 1), file_state(st, sizeof st));
        if (c < NBAD - 1) {
            reset_file();
            row("writev", "iov_base", c, SYS(NR_writev, fd, &iov, 1), file_state(st, sizeof st));
        }
    }
    for (int c = 0; c < NBAD; c++) {
        reset_file();
        row("_llseek", "result", c, SYS(NR__llseek, fd, 0, 5, bad[c], 0), file_state(st, sizeof st));
    }
    for (int c = 0; c < NBAD - 1; c++) {
        int before = lowfd();
        long r = SYS(NR_open, bad[c], 0);
        snprintf(st, sizeof st, "fds=%s", lowfd() == before ? "same" : "NEW");
        row("open", "path", c, r, st);
    }
    for (int c = 0; c < NBAD; c++) {
        int before = lowfd();
        long r = pipe((int *)bad[c]);
        snprintf(st, sizeof st, "fds=%s", lowfd() == before ? "same" : "NEW");
        row("pipe", "fds", c, r, st);
        r = SYS(NR_pipe2, bad[c], 0);
        snprintf(st, sizeof st, "fds=%s", lowfd() == before ? "same" : "NEW");
        row("pipe2", "fds", c, r, st);
    }
    for (int c = 0; c < NBAD - 1; c++) {
        row("poll", "fds", c, SYS(NR_poll, bad[c], 1, 0), "");
        long tv0[2] = {0, 0};
        row("_newselect", "readfds", c, SYS(NR__newselect, 1, bad[c], 0, 0, tv0), "");
        if (c > 0)                  /* a NULL timeout is valid: it waits for ever */
            row("_newselect", "timeout", c, SYS(NR__newselect, 0, 0, 0, 0, bad[c]), "");
    }
}

static void info(void)
{
    for (int c = 0; c < NBAD; c++) {
        row("uname", "buf", c, SYS(NR_uname, bad[c]), "");
        row("time", "tloc", c, SYS(NR_time, bad[c]), "");
        row("times", "buf", c, SYS(NR_times, bad[c]), "");
        row("gettimeofday", "tv", c, SYS(NR_gettimeofday, bad[c], 0), "");
        long tv[2];
        row("gettimeofday", "tz", c, SYS(NR_gettimeofday, tv, bad[c]), "");
        row("getrlimit", "rlim", c, SYS(NR_getrlimit, 3, bad[c]), "");
        row("ugetrlimit", "rlim", c, SYS(NR_ugetrlimit, 3, bad[c]), "");
        unsigned long long old64[2];
        row("prlimit64", "old", c, SYS(NR_prlimit64, 0, 7, 0, bad[c]), "");
        if (c < NBAD - 1) {
            unsigned long before[2], after[2];
            char st[64];
            SYS(NR_ugetrlimit, 7, before);
            long r = SYS(NR_setrlimit, 7, bad[c]);
            SYS(NR_ugetrlimit, 7, after);
            snprintf(st, sizeof st, "limit=%s", before[0] == after[0] && before[1] == after[1] ? "same" : "CHANGED");
            row("setrlimit", "rlim", c, r, st);
            r = SYS(NR_prlimit64, 0, 7, bad[c], old64);
            SYS(NR_ugetrlimit, 7, after);
            snprintf(st, sizeof st, "limit=%s", before[0] == after[0] && before[1] == after[1] ? "same" : "CHANGED");
            row("prlimit64", "new", c, r, st);
        }
    }
}

static void signals(void)
{
    char st[64];
    for (int c = 0; c < NBAD; c++) {
        if (c < NBAD - 1) {
            struct k_sigaction first, old;
            SYS(NR_rt_sigaction, SIGUSR1, 0, &first, 8);
            long r = SYS(NR_rt_sigaction, SIGUSR1, bad[c], 0, 8);
            SYS(NR_rt_sigaction, SIGUSR1, 0, &old, 8);
            snprintf(st, sizeof st, "handler=%s", old.handler == first.handler ? "same" : "CHANGED");
            row("rt_sigaction", "act", c, r, st);
            r = SYS(NR_sigaction, SIGUSR1, bad[c], 0);
            SYS(NR_rt_sigaction, SIGUSR1, 0, &old, 8);
            snprintf(st, sizeof st, "handler=%s", old.handler == first.handler ? "same" : "CHANGED");
            row("sigaction", "act", c, r, st);
            /* Compared with the mask before the call: a parent (a JVM) may hand us a non-empty one. */
            unsigned long long before, mask;
            SYS(NR_rt_sigprocmask, 0, 0, &before, 8);
            r = SYS(NR_rt_sigprocmask, 0, bad[c], 0, 8);
            SYS(NR_rt_sigprocmask, 0, 0, &mask, 8);
            snprintf(st, sizeof st, "mask=%s", mask == before ? "same" : "CHANGED");
            row("rt_sigprocmask", "set", c, r, st);
            r = SYS(NR_sigprocmask, 0, bad[c], 0);
            SYS(NR_rt_sigprocmask, 0, 0, &mask, 8);
            snprintf(st, sizeof st, "mask=%s", mask == before ? "same" : "CHANGED");
            row("sigprocmask", "set", c, r, st);
            row("rt_sigsuspend", "mask", c, SYS(NR_rt_sigsuspend, bad[c], 8), "");
            row("sigaltstack", "ss", c, SYS(NR_sigaltstack, bad[c], 0), "");
            row("nanosleep", "req", c, SYS(NR_nanosleep, bad[c], 0), "");
        }
        row("rt_sigaction", "oldact", c, SYS(NR_rt_sigaction, SIGUSR1, 0, bad[c], 8), "");
        row("sigaction", "oldact", c, SYS(NR_sigaction, SIGUSR1, 0, bad[c]), "");
        row("rt_sigprocmask", "oldset", c, SYS(NR_rt_sigprocmask, 0, 0, bad[c], 8), "");
        row("sigprocmask", "oldset", c, SYS(NR_sigprocmask, 0, 0, bad[c]), "");
        row("rt_sigpending", "set", c, SYS(NR_rt_sigpending, bad[c], 8), "");
        row("sigpending", "set", c, SYS(NR_sigpending, bad[c]), "");
        row("sigaltstack", "oss", c, SYS(NR_sigaltstack, 0, bad[c]), "");
        long ts0[2] = {0, 0};
        row("nanosleep", "rem", c, SYS(NR_nanosleep, ts0, bad[c]), "");
    }
}

/* A child that exits 7 at once; its pid. */
static int short_child(void)
{
    int pid = fork();
    if (pid == 0)
        _exit(7);
    return pid;
}

/* After a wait that failed: is the child still there to be reaped? */
static const char *reaped(int pid, char *out, int cap)
{
    int st = 0;
    long r = SYS(NR_wait4, pid, &st, 0, 0);
    snprintf(out, cap, "child=%s", r == pid ? (WEXITSTATUS(st) == 7 ? "still-waitable" : "WRONG-STATUS") : r == -ECHILD ? "reaped" : "?");
    return out;
}

/* execve in a child: its exit status says what happened (the errno, or 42 if the exec ran). */
static long exec_child(const char *path, char **argv, char **envp)
{
    int pid = fork();
    if (pid == 0) {
        long r = execve(path, argv, envp);
        _exit(r < 0 ? -r : 99);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WEXITSTATUS(st) == 42 ? 0 : -WEXITSTATUS(st);
}

static void processes(void)
{
    char st[64];
    for (int c = 0; c < NBAD; c++) {
        int pid = short_child();
        long r = SYS(NR_wait4, pid, bad[c], 0, 0);
        row("wait4", "status", c, r, r < 0 ? reaped(pid, st, sizeof st) : "");
        pid = short_child();
        int s;
        r = SYS(NR_wait4, pid, &s, 0, bad[c]);
        row("wait4", "rusage", c, r > 0 ? 0 : r, r < 0 ? reaped(pid, st, sizeof st) : "");
        pid = short_child();
        r = SYS(NR_waitpid, pid, bad[c], 0);
        row("waitpid", "status", c, r, r < 0 ? reaped(pid, st, sizeof st) : "");
    }
    char *argv[] = {self, "exec-probe", NULL}, *envp[] = {"A=1", NULL};
    for (int c = 0; c < NBAD - 1; c++) {
        row("execve", "path", c, exec_child(bad[c], argv, envp), "");
        row("execve", "argv", c, exec_child(self, (char **)bad[c], envp), "");
        row("execve", "envp", c, exec_child(self, argv, (char **)bad[c]), "");
        if (c > 0) {                /* a NULL element just ends argv */
            char *badargv[] = {self, "exec-probe", bad[c], NULL};
            row("execve", "argv[2]", c, exec_child(self, badargv, envp), "");
        }
    }
    for (int c = 0; c < NBAD - 1; c++)
        row("mmap", "args", c, SYS(NR_mmap, bad[c]), "");
}

int main(int argc, char **argv)
{
    /* Re-executed by an execve case: report and stop. Linux runs a NULL argv as {"", NULL}. */
    if (argc == 0 || argv[0][0] == 0 || (argc > 1 && strcmp(argv[1], "exec-probe") == 0))
        _exit(42);
    self = argv[0];
    /* One mapping carved up, so that no later mapping can fill the hole: RW, hole, PROT_NONE, read-only. */
    char *m = mmap_anon(0, 4 * PAGE, 3, 0);
    SYS(NR_munmap, m + PAGE, PAGE);
    SYS(NR_mprotect, m + 2 * PAGE, PAGE, 0);
    SYS(NR_mprotect, m + 3 * PAGE, PAGE, 1);
    char *ro = m + 3 * PAGE;
    bad[0] = NULL;
    bad[1] = (char *)-1;
    bad[2] = (char *)0xc0000000;
    bad[3] = m + PAGE;
    bad[4] = m + 2 * PAGE;
    bad[5] = ro;
    fd = SYS(NR_open, "efault.tmp", 0102 | 01000, 0644);     /* O_RDWR | O_CREAT | O_TRUNC */
    if (fd < 0 || wr(fd, "0123456789", 10) != 10) {
        printf("cannot make efault.tmp: %d\n", fd);
        return 1;
    }
    files();
    info();
    signals();
    processes();
    return 0;
}
