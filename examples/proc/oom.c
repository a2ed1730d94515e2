/* Memory at the edges of guest RAM: Linux's default overcommit check, and the OOM killer.
 *
 *   oom RAM_MB HOLD_MB TOUCH_MB MODE
 *
 * First the overcommit check (OVERCOMMIT_GUESS: one request for more pages than there is RAM
 * fails; MAP_NORESERVE and read-only private memory are not charged). Then a child ("holder")
 * takes HOLD_MB through brk in 64 KB steps, touches it and sleeps; a second child ("toucher")
 * takes TOUCH_MB the same way and touches it, by its own stores (MODE user) or by read(2) from
 * /dev/zero (MODE kernel), so that the kernel faults the pages in. The parent prints how each
 * child ended. */
#include "proc.h"

#define PAGE 4096
#define STEP (64 << 10)
#define MAP_NORESERVE 0x4000

static char *heap_end;

/* Grows the break by n bytes in 64 KB steps; 0 when a step was refused. */
static int grow(unsigned n)
{
    if (!heap_end) heap_end = sys_brk(0);
    for (unsigned done = 0; done < n; done += STEP) {
        char *want = heap_end + STEP;
        if (sys_brk(want) != want) return 0;
        heap_end = want;
    }
    return 1;
}

static void fill(char *from, unsigned n, int kernel)
{
    if (!kernel) {
        for (unsigned i = 0; i < n; i += PAGE) from[i] = 1;
        return;
    }
    int fd = SYS(NR_open, "/dev/zero", 0, 0);
    for (unsigned i = 0; i < n; ) {
        long r = rd(fd, from + i, n - i);
        if (r <= 0) { printf("toucher: read = %ld\n", r); flush(); return; }
        i += r;
    }
}

static long mapping(unsigned len, int prot, int flags)
{
    long r = SYS(NR_mmap2, 0, len, prot, flags, -1, 0);
    if (r < 0 && r > -4096) return r;
    SYS(NR_munmap, r, len);
    return 0;
}

static const char *ended(int st)
{
    static char b[32];
    if (WIFEXITED(st)) snprintf(b, sizeof b, "exit %d", WEXITSTATUS(st));
    else snprintf(b, sizeof b, "signal %d", WTERMSIG(st));
    return b;
}

int main(int argc, char **argv)
{
    unsigned ram = parse_arg(argc, argv, 1, 8) << 20, hold = parse_arg(argc, argv, 2, 5) << 20;
    unsigned touch = parse_arg(argc, argv, 3, 4) << 20;
    int kernel = argc > 4 && argv[4][0] == 'k';

    char *b0 = sys_brk(0);
    printf("overcommit: brk by RAM + 1 MB at once %s\n", sys_brk(b0 + ram + (1 << 20)) == b0 ? "refused" : "granted");
    printf("overcommit: brk by 1 MB %s\n", sys_brk(b0 + (1 << 20)) == b0 + (1 << 20) ? "granted" : "refused");
    sys_brk(b0);
    printf("overcommit: mmap private writable 2 x RAM = %ld\n", mapping(2 * ram, 3, 0x22));
    printf("overcommit: mmap shared anonymous 2 x RAM = %ld\n", mapping(2 * ram, 3, 0x21));
    printf("overcommit: mmap private writable RAM / 2 = %ld\n", mapping(ram / 2, 3, 0x22));
    printf("overcommit: the same with MAP_NORESERVE = %ld\n", mapping(2 * ram, 3, 0x22 | MAP_NORESERVE));
    printf("overcommit: mmap private read-only 2 x RAM = %ld\n", mapping(2 * ram, 1, 0x22));
    long ro = SYS(NR_mmap2, 0, 2 * ram, 1, 0x22, -1, 0);
    printf("overcommit: mprotect it writable = %ld\n", SYS(NR_mprotect, ro, 2 * ram, 3));
    SYS(NR_munmap, ro, 2 * ram);
    flush();

    int p[2];
    pipe(p);
    int holder = fork();
    if (holder == 0) {
        char *start = sys_brk(0);
        if (!grow(hold)) { printf("holder: brk refused\n"); exit(1); }
        fill(start, hold, 0);
        wr(p[1], "r", 1);
        for (;;) SYS(NR_pause, 0);
    }
    char c;
    rd(p[0], &c, 1);
    int toucher = fork();
    if (toucher == 0) {
        char *start = sys_brk(0);
        if (!grow(touch)) { printf("toucher: brk refused\n"); exit(1); }
        fill(start, touch, kernel);
        exit(0);
    }
    int st;
    waitpid(toucher, &st, 0);
    printf("toucher: %s\n", ended(st));
    flush();
    kill(holder, SIGKILL);
    waitpid(holder, &st, 0);
    printf("holder: %s\n", ended(st));
    printf("pids: holder %d toucher %d\n", holder, toucher);
    return 0;
}
