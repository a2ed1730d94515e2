/* glibc's own use of the memory calls: malloc of big blocks (mmap), realloc of them (mremap, which
 * moves the pages), free (munmap), malloc_trim (madvise), a file read through mmap, mprotect
 * with a SIGSEGV handler that makes the page writable, and the rlimit calls through their glibc
 * wrappers. Prints no address, so that it prints the same natively and under Fixup. */
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *guarded;
static long pagesize;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    printf("SIGSEGV %d at the written byte: %d, code %d\n", sig, (char *)si->si_addr == guarded + 10, si->si_code);
    mprotect(guarded, pagesize, PROT_READ | PROT_WRITE);
}

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++) s = s * 31 + p[i];
    return s;
}

int main(int argc, char **argv)
{
    pagesize = sysconf(_SC_PAGESIZE);
    printf("page size %ld\n", pagesize);

    size_t n = 1 << 20;
    unsigned char *big = malloc(n);
    for (size_t i = 0; i < n; i++) big[i] = (unsigned char)(i * 13);
    unsigned before = sum(big, n);
    big = realloc(big, 8 * n);                          /* an mmapped chunk: mremap */
    printf("realloc 1 MB -> 8 MB keeps the bytes: %d\n", sum(big, n) == before);
    memset(big + n, 0x5a, 7 * n);
    unsigned half = sum(big, n / 2);
    big = realloc(big, n / 2);
    printf("realloc down keeps the bytes: %d\n", sum(big, n / 2) == half);
    free(big);

    char *blocks[64];
    for (int i = 0; i < 64; i++) blocks[i] = calloc(1, 3000 + i * 100);
    int zero = 1;
    for (int i = 0; i < 64; i++) for (int j = 0; j < 3000 + i * 100; j++) zero &= blocks[i][j] == 0;
    printf("calloc zeroes: %d\n", zero);
    for (int i = 0; i < 64; i++) free(blocks[i]);
    printf("malloc_trim: %d\n", malloc_trim(0) >= 0);

    const char *path = argc > 1 ? argv[1] : argv[0];
    int fd = syscall(SYS_open, path, O_RDONLY);     /* not glibc's open(), which is openat: this is about mmap */
    off_t size = lseek(fd, 0, SEEK_END);
    unsigned char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    unsigned char *copy = malloc(size);
    lseek(fd, 0, SEEK_SET);
    ssize_t got = 0, r;
    while (got < size && (r = read(fd, copy + got, size - got)) > 0) got += r;
    printf("mmap of %s reads as read(2) does: %d\n", argc > 1 ? "the data file" : "this program",
           map != MAP_FAILED && got == size && memcmp(map, copy, size) == 0);
    munmap(map, size);
    close(fd);

    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    guarded = mmap(NULL, 2 * pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(guarded, pagesize, PROT_READ);
    guarded[10] = 1;                                    /* faults once; the handler lets it through */
    printf("write after the handler: %d\n", guarded[10]);

    struct rlimit rl;
    getrlimit(RLIMIT_AS, &rl);
    printf("RLIMIT_AS infinite: %d %d\n", rl.rlim_cur == RLIM_INFINITY, rl.rlim_max == RLIM_INFINITY);
    rl.rlim_cur = 256 << 20;
    printf("setrlimit RLIMIT_AS 256 MB: %d\n", setrlimit(RLIMIT_AS, &rl));
    void *huge = malloc(512 << 20);
    printf("malloc 512 MB under it: %s\n", huge ? "succeeded" : "NULL");
    void *fine = malloc(16 << 20);
    printf("malloc 16 MB under it: %s\n", fine ? "succeeded" : "NULL");
    free(fine);
    return 0;
}
