/* Process, file and signal calls for the examples in this directory, over the runtime's sys_call.
 * The numbers are Linux i386's. */
#ifndef PROC_H
#define PROC_H

#include "rt.h"

enum {
    NR_exit = 1, NR_fork = 2, NR_read = 3, NR_write = 4, NR_open = 5, NR_close = 6, NR_waitpid = 7,
    NR_execve = 11, NR_getpid = 20, NR_alarm = 27, NR_pause = 29, NR_kill = 37, NR_dup = 41, NR_pipe = 42,
    NR_dup2 = 63, NR_getppid = 64, NR_sigreturn = 119, NR_wait4 = 114, NR_mprotect = 125, NR_fcntl = 55,
    NR_nanosleep = 162, NR_poll = 168, NR_rt_sigaction = 174, NR_rt_sigprocmask = 175, NR_sigaltstack = 186,
    NR_vfork = 190, NR_mmap2 = 192, NR_munmap = 91, NR_setpgid = 57, NR_getpgid = 132, NR_setsid = 66,
    NR_sched_yield = 158, NR_writev = 146, NR_readv = 145, NR_lseek = 19, NR_pipe2 = 331, NR_exit_group = 252
};

#define SIGINT 2
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_RESTORER 0x04000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define EINTR 4
#define EAGAIN 11
#define EFAULT 14
#define EPIPE 32
#define ECHILD 10
#define WNOHANG 1

struct k_sigaction { void *handler; unsigned long flags; void (*restorer)(void); unsigned long long mask; };
typedef struct { int si_signo, si_errno, si_code; void *si_addr; int pad[28]; } siginfo_t;

static inline int fork(void) { return SYS(NR_fork, 0); }
static inline int vfork_call(void) { return SYS(NR_vfork, 0); }
static inline int pipe(int fds[2]) { return SYS(NR_pipe, fds); }
static inline int close(int fd) { return SYS(NR_close, fd); }
static inline int dup2(int a, int b) { return SYS(NR_dup2, a, b); }
static inline int getpid(void) { return SYS(NR_getpid, 0); }
static inline int getppid(void) { return SYS(NR_getppid, 0); }
static inline int kill(int pid, int sig) { return SYS(NR_kill, pid, sig); }
static inline int waitpid(int pid, int *status, int options) { return SYS(NR_wait4, pid, status, options, 0); }
static inline int execve(const char *path, char **argv, char **envp) { return SYS(NR_execve, path, argv, envp); }
static inline __attribute__((noreturn)) void _exit(int code) { for (;;) SYS(NR_exit, code); }
static inline long rd(int fd, void *buf, long n) { return SYS(NR_read, fd, buf, n); }
static inline long wr(int fd, const void *buf, long n) { return SYS(NR_write, fd, buf, n); }

/* sigaction with the runtime's restorer, as glibc installs handlers. */
static inline int sigaction_(int sig, void *handler, unsigned long flags)
{
    struct k_sigaction a = { handler, flags | SA_RESTORER, (flags & SA_SIGINFO) ? sys_restore_rt : sys_restore, 0 };
    return SYS(NR_rt_sigaction, sig, &a, 0, 8);
}

static inline void *mmap_anon(void *addr, long len, int prot, int fixed)
{
    return (void *)SYS(NR_mmap2, addr, len, prot, 0x22 | (fixed ? 0x10 : 0), -1, 0);
}

#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s) & 0x7f)

#endif
