/* A random-syscall storm in the style of trinity: seeded workers call syscall numbers 0..450 with
 * arguments drawn from small integers, -1, random words, valid buffers, NULL, kernel addresses,
 * holes, PROT_NONE pages, pointers 1..3 bytes before a bad page, huge lengths and open fds.
 *
 *   storm SEED CALLS [WORKERS [CHILDREN [raw]]]
 *
 * pid 1 is a supervisor: it forks WORKERS workers, gives each a share of CALLS, replaces those
 * that die, and kills one that makes no progress for three seconds (a call asleep for good, a
 * worker stopped by a signal or spinning after a random sigreturn). A worker may fork up to
 * CHILDREN children of its own, which make a few calls and exit. The workers never aim a signal
 * at pid 1 and never call exit themselves; waits get WNOHANG and timeouts are made short, so that
 * nearly all time goes into calls (unless "raw": then calls sleep as long as their arguments say,
 * until the worker's alarm or the supervisor's SIGKILL ends them). At the end the supervisor kills what is left, reaps
 * everything, and prints one line:
 *   storm: seed=S calls=N workers=W children=C died=D stalled=T
 */
#include "proc.h"

#define NR_MAX 450
#define CHUNK 4000          /* calls per worker before the supervisor replaces it */
#define MAX_WORKERS 8
#define POOL_PAGES 16
#define PAGE 4096

enum { POOL_RW = 12, POOL_NONE = 12, POOL_RW2 = 13, POOL_HOLE = 14, POOL_RO = 15 };

/* What the supervisor and the workers share (a MAP_SHARED page). */
struct shared {
    volatile unsigned progress[MAX_WORKERS];
    volatile unsigned children[MAX_WORKERS];
};

static struct shared *sh;
static unsigned rng;
static char *pool;
static int fds[8], nfds;
static int mypid, slot, is_child, live_children, max_children, raw;
static volatile int alarmed;

static unsigned rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static unsigned below(unsigned n) { return rnd() % n; }

static const char *const paths[] = {
    "/dev/null", "/dev/zero", "/dev/full", "/proc/self/maps", "/proc/self/stat", ".", "/", "storm.tmp",
    "storm.dir", "/tmp", "..", "/proc/self/fd/0", "", "storm.tmp/x", "/dev/tty", "storm.link",
};

/* One dword of buffer contents: mostly small numbers, sometimes pointers or random words. */
static unsigned filler(void)
{
    switch (below(8)) {
    case 0: case 1: case 2: return below(4);
    case 3: return below(4096);
    case 4: return (unsigned)(pool + below(POOL_RW * PAGE));
    case 5: return 0xc0000000u + below(0x40000000u);
    default: return rnd();
    }
}

static void refill(void)
{
    unsigned *w = (unsigned *)pool;
    for (int i = 0; i < POOL_RW * PAGE / 4; i++)
        w[i] = filler();
    /* Some path names for the file calls, at known places. */
    for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++) {
        char *d = pool + (POOL_RW - 1) * PAGE + i * 64;
        const char *s = paths[i];
        while ((*d++ = *s++))
            ;
    }
}

static unsigned kernel_pointer(void)
{
    static const unsigned edges[] = {
        0xc0000000u, 0xc0000001u, 0xc0001000u, 0xc0100000u, 0xfffff000u, 0xffffffffu, 0xfffffffcu,
        0xbffffffdu, 0xbffffffeu, 0xbfffffffu, 0xbffff000u,
    };
    return below(2) ? edges[below(sizeof edges / sizeof *edges)] : 0xc0000000u + below(0x40000000u);
}

static unsigned huge_length(void)
{
    static const unsigned v[] = {0x7fffffffu, 0xffffffffu, 0x80000000u, 0xfffff000u, 0x40000000u, 0x10000000u,
                                 0x7ffff000u, 0x3fffffffu};
    return v[below(sizeof v / sizeof *v)];
}

static unsigned arg(void)
{
    switch (below(22)) {
    case 0: case 1: case 2: return below(17);
    case 3: return (unsigned)-1;
    case 4: return rnd();
    case 5: { unsigned b = 1u << below(32); return b + below(3) - 1; }
    case 6: case 7: case 8: return (unsigned)(pool + below(POOL_RW * PAGE - 64));
    case 9: return (unsigned)(pool + below(POOL_RW) * PAGE);
    case 10: return 0;
    case 11: return kernel_pointer();
    case 12: return (unsigned)(pool + POOL_HOLE * PAGE + below(PAGE));
    case 13: return (unsigned)(pool + POOL_NONE * PAGE + below(PAGE));
    case 14: return (unsigned)(pool + (below(2) ? POOL_NONE : POOL_HOLE) * PAGE - 1 - below(3));
    case 15: return huge_length();
    case 16: return nfds ? (unsigned)fds[below(nfds)] : below(3);
    case 17: return PAGE << below(4);
    case 18: return (unsigned)(pool + POOL_RO * PAGE + below(PAGE));
    case 19: return (unsigned)(pool + (POOL_RW - 1) * PAGE + below(sizeof paths / sizeof *paths) * 64);
    case 20: { unsigned local; return (unsigned)&local - below(256); }
    default: return (unsigned)(pool + POOL_RW2 * PAGE + below(PAGE));
    }
}

/* A short timeout at p: {0, a little} as a timespec or timeval, 32- or 64-bit. */
static unsigned short_time(int wide)
{
    unsigned *t = (unsigned *)(pool + POOL_RW2 * PAGE + 256 + 32 * below(4));
    if (wide) { t[0] = 0; t[1] = 0; t[2] = below(2000000); t[3] = 0; }
    else { t[0] = 0; t[1] = below(2000000); }
    return (unsigned)t;
}

static int is_fork(int nr) { return nr == 2 || nr == 120 || nr == 190 || nr == 435; }

#define CLONE_VM 0x100
#define CLONE_VFORK 0x4000

/* Calls that sleep: {call, argument, kind}; kind 0 puts a short timespec or timeval there, 1 a
 * short 64-bit timespec, 2 a few milliseconds, 3 adds WNOHANG. Tables rather than a switch keep
 * the code free of jump tables. */
static const short timed[][3] = {
    {162, 0, 0}, {267, 2, 0}, {407, 2, 1}, {142, 4, 0}, {168, 2, 2}, {309, 2, 0}, {414, 2, 1},   /* nanosleep ... ppoll */
    {308, 4, 0}, {413, 4, 1}, {256, 3, 2}, {319, 3, 2}, {441, 3, 1}, {240, 3, 0}, {422, 3, 1},   /* pselect6 ... futex */
    {449, 3, 1}, {177, 2, 0}, {421, 2, 1}, {7, 2, 3}, {114, 2, 3}, {284, 3, 3},                  /* ... waitpid, wait4, waitid */
};

/* Short timeouts for the calls that sleep and WNOHANG for the waits, so that time goes into calls
 * rather than sleep. */
static void tame_time(int nr, unsigned *a)
{
    if (nr == 267 || nr == 407) a[1] &= ~1u;                     /* clock_nanosleep: relative */
    for (unsigned i = 0; i < sizeof timed / sizeof *timed; i++) {
        if (timed[i][0] != nr) continue;
        int k = timed[i][2];
        unsigned *p = &a[timed[i][1]];
        if (k == 3) *p |= 1;
        else if (k == 2) *p = below(5);
        else *p = short_time(k);
    }
}

/* Calls that take a pid (or a thread id) in the given argument: never pid 1, the supervisor. */
static const short pid_args[][2] = {
    {37, 0}, {238, 0}, {178, 0}, {424, 0}, {270, 0}, {270, 1}, {335, 0}, {335, 1},   /* kill, tkill, sigqueue, tgkill */
    {340, 0}, {97, 1}, {96, 1}, {26, 1}, {347, 0}, {348, 0},                         /* prlimit64, priorities, ptrace, vm_rw */
};

static int one_of(int nr, const short *list, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (list[i] == nr) return 1;
    return 0;
}

/* Makes a call a worker can live with: no exit, no signal for pid 1, no long sleeps, a process cap.
 * Returns 0 when the call is to be skipped. */
static int tame(int nr, unsigned *a)
{
    static const short exits[] = {1, 252}, pauses[] = {29, 72, 179};   /* exit, exit_group; pause, sigsuspend */
    if (one_of(nr, exits, 2)) return 0;
    if (one_of(nr, pauses, 3)) return raw;                          /* only a signal ends them */
    for (unsigned i = 0; i < sizeof pid_args / sizeof *pid_args; i++) {
        if (pid_args[i][0] != nr) continue;
        unsigned *p = &a[pid_args[i][1]];
        if ((int)*p == 1 || ((int)*p == -1 && nr != 37)) *p = mypid;   /* kill(-1) spares pid 1 by itself */
    }
    if (nr == 27) a[0] &= 3;                                          /* alarm: a few seconds at most */
    if (!raw) tame_time(nr, a);
    if (is_fork(nr)) {
        if (is_child || live_children >= max_children) return 0;
        if (nr == 120) {
            a[1] = 0;                                             /* the child returns on this stack */
            if ((a[0] & CLONE_VM) && !(a[0] & CLONE_VFORK)) a[0] &= ~CLONE_VM;
        }
    }
    return 1;
}

static void on_signal(int sig) { if (sig == SIGALRM) alarmed = 1; }

static void on_fault(int sig) { (void)sig; SYS(NR_exit, 0x7f); }

static void install_handlers(void)
{
    for (int s = 1; s <= 64; s++) {
        if (s == SIGKILL || s == 19) continue;
        int fault = s == SIGSEGV || s == 7 || s == 4 || s == 8 || s == 5;   /* SEGV, BUS, ILL, FPE, TRAP */
        sigaction_(s, fault ? (void *)on_fault : (void *)on_signal, 0);
    }
}

/* The body of a child of a worker: a few calls, then exit. */
static __attribute__((noreturn)) void child_body(void)
{
    is_child = 1;
    mypid = getpid();
    SYS(NR_alarm, 1);
    unsigned n = below(20);
    for (unsigned i = 0; i < n; i++) {
        unsigned a[6];
        int nr = below(NR_MAX + 1);
        for (int j = 0; j < 6; j++) a[j] = arg();
        if (!tame(nr, a)) continue;
        SYS(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        __sync_fetch_and_add(&sh->progress[slot], 0);       /* the page may be gone: then we die here */
    }
    SYS(NR_exit, 0);
    for (;;)
        ;
}

static void reap_children(void)
{
    int st;
    while (live_children > 0 && SYS(NR_wait4, -1, &st, WNOHANG, 0) > 0)
        live_children--;
}

static void open_fds(void)
{
    static const char *const names[] = {"/dev/null", "storm.tmp", "/dev/zero", "/proc/self/maps"};
    nfds = 0;
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        int fd = SYS(NR_open, names[i], i == 1 ? 0102 : 2, 0600);   /* O_RDWR|O_CREAT for the file */
        if (fd < 0) fd = SYS(NR_open, names[i], 0, 0);
        if (fd >= 0) fds[nfds++] = fd;
    }
    int p[2];
    if (pipe(p) == 0) { fds[nfds++] = p[0]; fds[nfds++] = p[1]; }
    if (nfds > 0 && fds[0] >= 0)                            /* standard streams go nowhere */
        for (int i = 0; i < 3; i++) dup2(fds[0], i);
}

static __attribute__((noreturn)) void worker(unsigned seed, unsigned calls)
{
    rng = seed ? seed : 1;
    mypid = getpid();
    SYS(NR_setsid, 0);
    install_handlers();
    pool = mmap_anon(0, POOL_PAGES * PAGE, 3, 0);
    if ((unsigned)pool > 0xfffff000u) SYS(NR_exit, 2);
    SYS(NR_mprotect, pool + POOL_NONE * PAGE, PAGE, 0);
    SYS(NR_munmap, pool + POOL_HOLE * PAGE, PAGE);
    SYS(NR_mprotect, pool + POOL_RO * PAGE, PAGE, 1);
    refill();
    open_fds();
    for (unsigned i = 0; i < calls; i++) {
        if ((i & 255) == 0) SYS(NR_alarm, 1);               /* a call that sleeps for good gets EINTR */
        if ((i & 1023) == 1023) { refill(); reap_children(); }
        unsigned a[6];
        int nr = below(NR_MAX + 1);
        for (int j = 0; j < 6; j++) a[j] = arg();
        if (!tame(nr, a)) { i--; continue; }
        long r = SYS(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (is_fork(nr) && r == 0 && getpid() != mypid) {
            if (nr == 190 || (nr == 120 && (a[0] & CLONE_VM))) SYS(NR_exit, 0);   /* it borrows our memory */
            __sync_fetch_and_add(&sh->children[slot], 1);
            child_body();
        }
        if (is_fork(nr) && r > 0) live_children++;
        sh->progress[slot] = i + 1;
    }
    SYS(NR_exit, 0);
    for (;;)
        ;
}

static void on_alarm(int sig) { (void)sig; alarmed = 1; }

static long now(void)
{
    unsigned ts[2];
    SYS(265, 1, ts);                                        /* clock_gettime(CLOCK_MONOTONIC) */
    return ts[0];
}

int main(int argc, char **argv)
{
    unsigned seed = parse_arg(argc, argv, 1, 1), total = parse_arg(argc, argv, 2, 10000);
    int nworkers = parse_arg(argc, argv, 3, 3);
    max_children = parse_arg(argc, argv, 4, 4);
    raw = argc > 5 && argv[5][0] == 'r';     /* "raw": timeouts and waits as drawn; the stall watchdog ends what sleeps */
    if (getpid() != 1) {                /* kill(-1, SIGKILL) at the end is for a guest's own processes only */
        printf("storm: run me as pid 1 (in Fixup), not on a host\n");
        return 2;
    }
    if (nworkers < 1) nworkers = 1;
    if (nworkers > MAX_WORKERS) nworkers = MAX_WORKERS;
    sh = (struct shared *)SYS(NR_mmap2, 0, PAGE, 3, 0x21, -1, 0);   /* MAP_SHARED|MAP_ANONYMOUS */
    if ((unsigned)sh > 0xfffff000u) { printf("storm: no shared page\n"); return 1; }
    sigaction_(SIGALRM, (void *)on_alarm, 0);

    int pid[MAX_WORKERS] = {0};
    unsigned chunk[MAX_WORKERS] = {0}, last[MAX_WORKERS] = {0};
    long since[MAX_WORKERS] = {0};
    unsigned assigned = 0, done = 0, spawned = 0, died = 0, stalled = 0, started = 0, children = 0;
    for (;;) {
        for (int w = 0; w < nworkers; w++) {
            if (pid[w] || assigned >= total || spawned > total / 8 + 16) continue;   /* (or workers that get nowhere) */
            chunk[w] = total - assigned < CHUNK ? total - assigned : CHUNK;
            sh->progress[w] = sh->children[w] = 0;
            last[w] = 0;
            since[w] = now();
            unsigned wseed = seed * 2654435761u ^ (++started * 40503u);
            int p = fork();
            if (p == 0) { slot = w; worker(wseed, chunk[w]); }
            if (p < 0) { chunk[w] = 0; continue; }
            pid[w] = p;
            assigned += chunk[w];
            spawned++;
        }
        int busy = 0;
        for (int w = 0; w < nworkers; w++) busy |= pid[w];
        if (!busy) break;
        alarmed = 0;
        SYS(NR_alarm, 1);
        int st, r = SYS(NR_wait4, -1, &st, 0, 0);
        if (r > 0) {
            for (int w = 0; w < nworkers; w++) {
                if (pid[w] != r) continue;
                unsigned p = sh->progress[w];
                if (p > chunk[w]) p = 0;                    /* the worker wrote over its own counter */
                done += p;
                children += sh->children[w] <= p ? sh->children[w] : 0;   /* a child per call at most */
                assigned -= chunk[w] - p;                   /* what it did not do goes to the next one */
                if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) died++;
                pid[w] = 0;
            }
        } else if (r != -EINTR && r != -ECHILD) {
            printf("storm: wait4 = %d\n", r);
            return 1;
        }
        long t = now();
        for (int w = 0; w < nworkers; w++) {
            if (!pid[w]) continue;
            if (sh->progress[w] != last[w]) { last[w] = sh->progress[w]; since[w] = t; continue; }
            if (t - since[w] >= 3) { kill(pid[w], SIGKILL); stalled++; since[w] = t; }
        }
    }
    SYS(NR_alarm, 0);
    kill(-1, SIGKILL);
    int st;
    while (SYS(NR_wait4, -1, &st, 0, 0) > 0)
        ;
    printf("storm: seed=%u calls=%u workers=%u children=%u died=%u stalled=%u\n", seed, done, spawned,
           children, died, stalled);
    return 0;
}
