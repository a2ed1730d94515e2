/* What a program can see of memory management: file mappings (demand paging, offsets, SIGBUS
 * past the end, errno cases), MAP_FIXED and MAP_FIXED_NOREPLACE, areas that split and merge,
 * mremap, madvise, brk and the resource limits RLIMIT_STACK and RLIMIT_AS.
 *
 * Usage: mem FILE, where FILE holds 10000 bytes, byte i being (i * 7 + 3) & 255.
 * It prints one line per check and never an address, so that the same static binary prints the
 * same lines natively and under Fixup (MemoryProgramTest compares them). What a 64-bit host kernel
 * shows differently from an i386 one (its 32-bit programs may map up to 0xffffe000) is left out. */
#include "proc.h"

enum {
    NR_brk = 45, NR_setrlimit = 75, NR_getrlimit = 76, NR_mremap = 163, NR_ugetrlimit = 191,
    NR_madvise = 219, NR_prlimit64 = 340, NR_mmap = 90
};

#define PG 4096
#define FILE_SIZE 10000
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
#define RW (PROT_READ | PROT_WRITE)
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_FIXED 0x10
#define MAP_ANON 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define ANON (MAP_PRIVATE | MAP_ANON)
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MADV_NORMAL 0
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define RLIMIT_STACK 3
#define RLIMIT_AS 9
#define SIGBUS 7

static int probe[2], devzero;
static char *file_path;

static long mm(void *addr, long len, int prot, int flags, int fd, long pgoff)
{
    return SYS(NR_mmap2, addr, len, prot, flags, fd, pgoff);
}

static long mremap_(void *old, long old_len, long new_len, int flags, void *new_addr)
{
    return SYS(NR_mremap, old, old_len, new_len, flags, new_addr);
}

static int pattern(int i) { return (i * 7 + 3) & 255; }

/* Probes that never fault: a page is mapped if madvise accepts it; readable if write(2) can take a
 * byte from it into a pipe (not /dev/null, whose write never reads the buffer); writable if read(2)
 * can put one there from /dev/zero (the byte is put back). */
static int mapped(char *p) { return SYS(NR_madvise, p, PG, MADV_NORMAL) == 0; }
static long to_pipe(char *p)
{
    char c;
    long r = wr(probe[1], p, 1);
    if (r == 1)
        rd(probe[0], &c, 1);
    return r;
}
static int readable(char *p) { return to_pipe(p) == 1; }
static int writable(char *p)
{
    char keep = readable(p) ? *p : 0;
    if (rd(devzero, p, 1) != 1)
        return 0;
    *p = keep;
    return 1;
}

static void show(const char *what, long r) { printf("%s = %ld\n", what, r); }

/* Whether a mmap result is an address (above 2 GB it is a negative long) rather than -errno. */
static int is_addr(long r) { return !(r < 0 && r > -4096); }

/* An address result: "same" when it is the one expected, "other" for another address, else the errno. */
static void show_at(const char *what, long r, long expected)
{
    if (r < 0 && r > -4096)
        printf("%s = %ld\n", what, r);
    else
        printf("%s = %s\n", what, r == expected ? "same" : "other");
}

/* Runs fn in a child and prints how the child ended. */
static void in_child(const char *what, void (*fn)(void))
{
    flush();
    int pid = fork();
    if (pid == 0) {
        fn();
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
    else
        printf("%s: signal %d\n", what, WTERMSIG(status));
}

/* ---- file mappings ---- */

static char *past_end;

static void bus_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    printf("handler: sig %d code %d addr %s\n", sig, si->si_code, (char *)si->si_addr == past_end ? "ok" : "wrong");
    exit(0);
}

static void touch_past_end(void) { *(volatile char *)past_end; }

static void touch_past_end_handled(void)
{
    sigaction_(SIGBUS, (void *)bus_handler, SA_SIGINFO);
    *(volatile char *)past_end;
}

static void file_mappings(void)
{
    int fd = SYS(NR_open, file_path, 0, 0);
    unsigned char *p = (unsigned char *)mm(0, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    int ok = 1;
    for (int i = 0; i < FILE_SIZE; i++)
        ok &= p[i] == pattern(i);
    show("file: bytes match", ok);
    show("file: zeros after the end in the last page", p[FILE_SIZE] == 0 && p[3 * PG - 1] == 0);
    unsigned char *q = (unsigned char *)mm(0, PG, PROT_READ, MAP_PRIVATE, fd, 1);
    show("file: pgoff 1 starts at byte 4096", q[0] == pattern(4096) && q[PG - 1] == pattern(2 * PG - 1));
    show("file: not writable", writable((char *)q));

    show("file: shared writable on a read-only fd", mm(0, PG, RW, MAP_SHARED, fd, 0));
    show("file: bad fd", mm(0, PG, PROT_READ, MAP_PRIVATE, 99, 0));
    show("file: length 0", mm(0, 0, PROT_READ, MAP_PRIVATE, fd, 0));
    show("file: neither shared nor private", mm(0, PG, PROT_READ, 0, fd, 0));
    int wfd = SYS(NR_open, file_path, 1, 0);
    show("file: private on a write-only fd", mm(0, PG, PROT_READ, MAP_PRIVATE, wfd, 0));
    close(wfd);
    int fds[2];
    pipe(fds);
    show("file: a pipe", mm(0, PG, PROT_READ, MAP_PRIVATE, fds[0], 0));
    close(fds[0]);
    close(fds[1]);

    past_end = (char *)mm(0, 4 * PG, PROT_READ, MAP_PRIVATE, fd, 0) + 3 * PG;
    show("file: last page with data is readable", readable(past_end - 1));
    show("file: write(2) from past the end", to_pipe(past_end));
    in_child("file: touch past the end", touch_past_end);
    in_child("file: touch past the end with a handler", touch_past_end_handled);

    unsigned char *w = (unsigned char *)mm(0, PG, RW, MAP_PRIVATE, fd, 0);
    w[0] = 0x77;
    unsigned char b = 0;
    SYS(NR_lseek, fd, 0, 0);
    rd(fd, &b, 1);
    show("file: private write seen in the mapping", w[0]);
    show("file: private write not in the file", b == pattern(0));
    show("file: madvise DONTNEED", SYS(NR_madvise, w, PG, MADV_DONTNEED));
    show("file: after DONTNEED the file's byte again", w[0] == pattern(0));
    show("file: MADV_FREE on a file mapping", SYS(NR_madvise, w, PG, MADV_FREE));
    show("file: mprotect a private read-only mapping writable", SYS(NR_mprotect, q, PG, RW));
    q[1] = 1;
    show("file: and write it", q[1]);

    close(fd);
    show("file: still mapped after close", p[5] == pattern(5));
    unsigned char *z = (unsigned char *)mm(0, PG, RW, MAP_PRIVATE, devzero, 0);
    z[1] = 9;
    show("file: /dev/zero private", z[0] + z[1]);

    /* The old mmap (90): its arguments in memory, the offset in bytes. */
    fd = SYS(NR_open, file_path, 0, 0);
    long args[6] = {0, PG, PROT_READ, MAP_PRIVATE, fd, PG};
    unsigned char *o = (unsigned char *)SYS(NR_mmap, args);
    show("old mmap: offset 4096", is_addr((long)o) && o[0] == pattern(PG));
    args[5] = 100;
    show("old mmap: unaligned offset", SYS(NR_mmap, args));
    show("old mmap: bad argument pointer", SYS(NR_mmap, (void *)16));
    close(fd);
}

/* ---- MAP_FIXED, MAP_FIXED_NOREPLACE, hints ---- */

static void fixed(void)
{
    char *a = (char *)mm(0, 3 * PG, RW, ANON, -1, 0);
    a[0] = 1, a[PG] = 2, a[2 * PG] = 3;
    show_at("fixed: replace the middle page", mm(a + PG, PG, RW, ANON | MAP_FIXED, -1, 0), (long)(a + PG));
    show("fixed: pages", a[0] * 100 + a[PG] * 10 + a[2 * PG]);
    show("fixed: noreplace over a mapping", mm(a + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
    show("fixed: noreplace overlapping the end", mm(a + 2 * PG, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
    SYS(NR_munmap, a + PG, PG);
    show_at("fixed: noreplace in a hole", mm(a + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), (long)(a + PG));
    SYS(NR_munmap, a + PG, PG);
    show_at("fixed: a free hint is taken", mm(a + PG, PG, RW, ANON, -1, 0), (long)(a + PG));
    show("fixed: unaligned", mm(a + 1, PG, RW, ANON | MAP_FIXED, -1, 0));
    show("fixed: anonymous, neither shared nor private", mm(0, PG, RW, MAP_ANON, -1, 0));
    SYS(NR_munmap, a, 3 * PG);
}

/* ---- split, merge, mremap ---- */

static void remap(void)
{
    char *a = (char *)mm(0, 8 * PG, RW, ANON, -1, 0);
    SYS(NR_munmap, a + 4 * PG, 4 * PG);                 /* a hole after four pages */
    show("split: mprotect the second page", SYS(NR_mprotect, a + PG, PG, PROT_READ));
    show("split: mremap across the split", mremap_(a, 4 * PG, 5 * PG, 0, 0));
    show("merge: mprotect it back", SYS(NR_mprotect, a + PG, PG, RW));
    show_at("merge: mremap grows in place", mremap_(a, 4 * PG, 5 * PG, 0, 0), (long)a);
    for (int i = 0; i < 5; i++)
        a[i * PG] = 10 + i;
    show_at("mremap: shrink", mremap_(a, 5 * PG, 2 * PG, 0, 0), (long)a);
    show("mremap: after shrinking, mapped pages", mapped(a) + mapped(a + PG) + mapped(a + 2 * PG) + mapped(a + 4 * PG));
    mm(a + 2 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0);      /* something in the way */
    show("mremap: grow, blocked, may not move", mremap_(a, 2 * PG, 4 * PG, 0, 0));
    char *b = (char *)mremap_(a, 2 * PG, 4 * PG, MREMAP_MAYMOVE, 0);
    show_at("mremap: grow and move", (long)b, (long)a);
    show("mremap: moved pages", b[0] * 100 + b[PG] * 10 + b[2 * PG] + b[3 * PG]);
    show("mremap: old place unmapped", mapped(a) + mapped(a + PG));
    show("mremap: new pages writable", writable(b + 3 * PG));
    char *t = (char *)mm(0, 4 * PG, PROT_READ, ANON, -1, 0);
    show_at("mremap: fixed onto a mapping", mremap_(b, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t), (long)t);
    show("mremap: fixed, pages", t[0] * 100 + t[PG] * 10);
    show("mremap: fixed, the target now writable", writable(t + 2 * PG));
    show("mremap: fixed, old place unmapped", mapped(b));
    show("mremap: fixed, ranges overlap", mremap_(t, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t + PG));
    show("mremap: fixed without maymove", mremap_(t, PG, PG, MREMAP_FIXED, b));
    show("mremap: unknown flag", mremap_(t, PG, PG, 8, 0));
    show("mremap: unaligned", mremap_(t + 1, PG, PG, 0, 0));
    show("mremap: unmapped", mremap_(b, PG, 2 * PG, MREMAP_MAYMOVE, 0));
    show("mremap: new length 0", mremap_(t, PG, 0, 0, 0));
    show("mremap: old length 0 of a private mapping", mremap_(t, 0, PG, MREMAP_MAYMOVE, 0));
    show("mremap: more than the area", mremap_(t, 5 * PG, 6 * PG, MREMAP_MAYMOVE, 0));
    show_at("mremap: same length", mremap_(t, 4 * PG, 4 * PG, 0, 0), (long)t);
    SYS(NR_munmap, t, 4 * PG);
    SYS(NR_munmap, a + 2 * PG, PG);
}

/* ---- madvise, mprotect edges ---- */

static void advice(void)
{
    char *a = (char *)mm(0, 2 * PG, RW, ANON, -1, 0);
    a[0] = 0x55, a[PG] = 0x66;
    show("madvise: DONTNEED", SYS(NR_madvise, a, PG, MADV_DONTNEED));
    show("madvise: the page reads zero, the next kept", a[0] * 1000 + a[PG]);
    show("madvise: WILLNEED", SYS(NR_madvise, a, 2 * PG, MADV_WILLNEED));
    show("madvise: FREE on anonymous memory", SYS(NR_madvise, a, PG, MADV_FREE));
    show("madvise: unaligned", SYS(NR_madvise, a + 1, PG, MADV_NORMAL));
    show("madvise: length 0", SYS(NR_madvise, a, 0, MADV_NORMAL));
    show("madvise: unknown advice", SYS(NR_madvise, a, PG, 999));
    SYS(NR_munmap, a + PG, PG);
    show("madvise: a hole in the range", SYS(NR_madvise, a, 2 * PG, MADV_NORMAL));
    show("mprotect: unaligned", SYS(NR_mprotect, a + 1, PG, PROT_READ));
    show("mprotect: length 0, bad prot", SYS(NR_mprotect, a, 0, 0x40));
    show("mprotect: bad prot", SYS(NR_mprotect, a, PG, 0x40));
    show("mprotect: a hole in the range", SYS(NR_mprotect, a, 2 * PG, PROT_READ));
    show("mprotect: the part before the hole changed", writable(a));
    show("mprotect: growsup", SYS(NR_mprotect, a, PG, PROT_READ | PROT_GROWSUP));
    show("mprotect: growsdown on a plain mapping", SYS(NR_mprotect, a, PG, PROT_READ | PROT_GROWSDOWN));
    SYS(NR_munmap, a, PG);
}

/* ---- madvise's fork advice ---- */

static char *nofork, *wiped;

static void what_the_child_has(void)
{
    printf("fork: in the child, DONTFORK page mapped %d, WIPEONFORK page mapped %d and reads %d\n",
           mapped(nofork), mapped(wiped), wiped[0]);
}

static void fork_advice(void)
{
    nofork = (char *)mm(0, 2 * PG, RW, ANON, -1, 0);
    wiped = (char *)mm(0, 2 * PG, PROT_READ | PROT_WRITE | 4, ANON, -1, 0);   /* not mergeable with nofork */
    nofork[0] = 1, wiped[0] = 7;
    show("fork: DONTFORK", SYS(NR_madvise, nofork, PG, MADV_DONTFORK));
    show("fork: WIPEONFORK", SYS(NR_madvise, wiped, PG, MADV_WIPEONFORK));
    show("fork: the advice splits the area", mremap_(nofork, 2 * PG, 3 * PG, MREMAP_MAYMOVE, 0));
    in_child("fork: with the advice", what_the_child_has);
    show("fork: the parent keeps its pages", nofork[0] * 10 + wiped[0]);
    show("fork: DOFORK", SYS(NR_madvise, nofork, PG, MADV_DOFORK));
    show("fork: KEEPONFORK", SYS(NR_madvise, wiped, PG, MADV_KEEPONFORK));
    in_child("fork: advice undone", what_the_child_has);
    show("fork: WIPEONFORK on shared memory", SYS(NR_madvise, mm(0, PG, RW, MAP_SHARED | MAP_ANON, -1, 0), PG, MADV_WIPEONFORK));
    SYS(NR_munmap, nofork, 2 * PG);
    SYS(NR_munmap, wiped, 2 * PG);
}

/* ---- brk ---- */

static void heap(void)
{
    long b0 = SYS(NR_brk, 0);
    long top = (b0 + PG - 1) & -PG;                     /* the first page above the heap */
    show("brk: below the start", SYS(NR_brk, b0 - PG) - b0);
    show("brk: grow", SYS(NR_brk, b0 + 3 * PG + 5) - b0);
    show("brk: new pages writable", writable((char *)b0 + 3 * PG));
    show("brk: inside the last page", SYS(NR_brk, b0 + 3 * PG + 100) - b0);
    show("brk: shrink", SYS(NR_brk, b0 + PG) - b0);
    show("brk: pages above unmapped", mapped((char *)top + PG) + mapped((char *)top + 2 * PG));
    char *m = (char *)mm((char *)top + 16 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0);
    show("brk: into a mapping", SYS(NR_brk, b0 + 32 * PG) - b0);
    show("brk: up to the page before a mapping", SYS(NR_brk, top + 15 * PG) - top);
    show("brk: onto that page", SYS(NR_brk, top + 16 * PG) - top);
    SYS(NR_munmap, m, PG);
    show("brk: back", SYS(NR_brk, b0) - b0);
}

/* ---- resource limits ---- */

static int deep(int n)
{
    volatile char buf[1024];
    buf[0] = (char)n;
    return n ? deep(n - 1) + buf[0] : 0;
}

static void use_1mb_of_stack(void) { deep(1000); }

static void limits(void)
{
    unsigned int r[2];
    unsigned long long r64[2], old64[2];
    show("rlimit: getrlimit RLIMIT_AS", SYS(NR_getrlimit, RLIMIT_AS, r));
    printf("rlimit: old getrlimit clips infinity: %x %x\n", r[0], r[1]);
    SYS(NR_ugetrlimit, RLIMIT_AS, r);
    printf("rlimit: ugetrlimit: %x %x\n", r[0], r[1]);
    SYS(NR_prlimit64, 0, RLIMIT_AS, 0, old64);
    printf("rlimit: prlimit64: %llx %llx\n", old64[0], old64[1]);
    show("rlimit: bad resource", SYS(NR_getrlimit, 99, r));

    r[0] = 256 << 10, r[1] = 64 << 20;
    show("rlimit: set RLIMIT_STACK 256 KB / 64 MB", SYS(NR_setrlimit, RLIMIT_STACK, r));
    SYS(NR_ugetrlimit, RLIMIT_STACK, r);
    printf("rlimit: now %u %u\n", r[0], r[1]);
    r[0] = 128 << 20;
    show("rlimit: soft above hard", SYS(NR_setrlimit, RLIMIT_STACK, r));
    in_child("rlimit: 1 MB of stack under a 256 KB limit", use_1mb_of_stack);
    r64[0] = 4 << 20, r64[1] = 64 << 20;
    show("rlimit: prlimit64 RLIMIT_STACK 4 MB", SYS(NR_prlimit64, 0, RLIMIT_STACK, r64, old64));
    printf("rlimit: prlimit64 old %llu %llu\n", old64[0], old64[1]);
    in_child("rlimit: 1 MB of stack under a 4 MB limit", use_1mb_of_stack);

    r64[0] = 64 << 20, r64[1] = ~0ULL;
    show("rlimit: RLIMIT_AS 64 MB", SYS(NR_prlimit64, 0, RLIMIT_AS, r64, 0));
    show("rlimit: mmap 128 MB", mm(0, 128 << 20, RW, ANON, -1, 0));
    long small = mm(0, 16 * PG, RW, ANON, -1, 0);
    show("rlimit: mmap 64 KB", is_addr(small));
    show("rlimit: mremap to 128 MB", mremap_((void *)small, 16 * PG, 128 << 20, MREMAP_MAYMOVE, 0));
    long b0 = SYS(NR_brk, 0);
    show("rlimit: brk 128 MB", SYS(NR_brk, b0 + (128 << 20)) - b0);
    SYS(NR_munmap, small, 16 * PG);
    r64[0] = ~0ULL;
    show("rlimit: RLIMIT_AS back to infinity", SYS(NR_prlimit64, 0, RLIMIT_AS, r64, 0));
    show("rlimit: mmap 128 MB again", is_addr(mm(0, 128 << 20, RW, ANON, -1, 0)));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: mem FILE\n");
        return 2;
    }
    file_path = argv[1];
    pipe(probe);
    devzero = SYS(NR_open, "/dev/zero", 2, 0);
    file_mappings();
    fixed();
    remap();
    advice();
    fork_advice();
    heap();
    limits();
    printf("done\n");
    return 0;
}
