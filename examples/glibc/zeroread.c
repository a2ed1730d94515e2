/*
 * Reads of /dev/zero and /dev/full into user buffers, good and bad: whole buffers, a buffer
 * whose tail runs into an unmapped page (the bytes before it are read), a read-only page, NULL
 * and a count of 0. Prints each result and whether the bytes read are zeros and the bytes past
 * them untouched, so that a run under Fixup can be compared with a native one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static void show(const char *what, ssize_t r) {
    printf("%s = %zd%s\n", what, r, r < 0 && errno == EFAULT ? " (EFAULT)" : "");
}

/* The first n bytes at p are zero and the next `after` bytes still hold 0xAA. */
static int zeros_then_untouched(const unsigned char *p, size_t n, size_t after) {
    for (size_t i = 0; i < n; i++) if (p[i] != 0) return 0;
    for (size_t i = n; i < n + after; i++) if (p[i] != 0xAA) return 0;
    return 1;
}

static void device(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); return; }
    printf("%s:\n", path);
    unsigned char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 3 * PAGE, PAGE);                       /* pages 0-2 mapped, page 3 a hole */
    memset(p, 0xAA, 3 * PAGE);
    ssize_t r = read(fd, p + 16, 2 * PAGE);
    show("  read 8192 into a good buffer", r);
    printf("  zeros, and the byte after untouched: %d\n", zeros_then_untouched(p + 16, 2 * PAGE, 16));
    memset(p, 0xAA, 3 * PAGE);
    r = read(fd, p + 2 * PAGE + 256, 2 * PAGE);         /* runs into the hole after 3840 bytes */
    show("  read 8192 running into an unmapped page", r);
    printf("  the bytes before the hole are zeros: %d\n", r > 0 && zeros_then_untouched(p + 2 * PAGE + 256, (size_t) r, 0));
    r = read(fd, p + 3 * PAGE, 16);
    show("  read 16 into the unmapped page", r);
    mprotect(p, PAGE, PROT_READ);
    show("  read 16 into a read-only page", read(fd, p + 64, 16));
    show("  read 16 into NULL", read(fd, NULL, 16));
    show("  read 0 into NULL", read(fd, NULL, 0));
    show("  read 16 at 0xbffffff8 (top of user space)", read(fd, (void *) 0xbffffff8, 16));
    show("  read 16 into kernel space", read(fd, (void *) 0xc0000000, 16));
    munmap(p, 3 * PAGE);
    close(fd);
}

int main(void) {
    device("/dev/zero");
    device("/dev/full");
    return 0;
}
