/*
 * System call loops. syscalls getpid N: N getpid calls. syscalls pipe N: N times write one byte
 * into a pipe and read it back. syscalls zero N: N reads of 64 KB from /dev/zero.
 * Prints what it did and a checksum, so that a run that skipped work shows.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char buf[65536];

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "getpid";
    long n = argc > 2 ? atol(argv[2]) : 100000;
    unsigned long sum = 0;
    if (strcmp(mode, "getpid") == 0) {
        /* syscall(), not getpid(): some C libraries cache the pid */
        for (long i = 0; i < n; i++) sum += (unsigned long) syscall(SYS_getpid) != 0;
    } else if (strcmp(mode, "pipe") == 0) {
        int fd[2];
        if (pipe(fd) != 0) { perror("pipe"); return 1; }
        for (long i = 0; i < n; i++) {
            char c = (char) i, d = 0;
            if (write(fd[1], &c, 1) != 1 || read(fd[0], &d, 1) != 1) { perror("pipe i/o"); return 1; }
            sum += (unsigned char) d;
        }
    } else if (strcmp(mode, "zero") == 0) {
        int fd = open("/dev/zero", O_RDONLY);
        if (fd < 0) { perror("/dev/zero"); return 1; }
        for (long i = 0; i < n; i++) {
            buf[i & 0xffff] = 1;
            ssize_t got = read(fd, buf, sizeof buf);
            if (got != (ssize_t) sizeof buf) { perror("read"); return 1; }
            sum += (unsigned long) got + (unsigned char) buf[i & 0xffff];
        }
    } else {
        fprintf(stderr, "usage: syscalls getpid|pipe|zero [N]\n");
        return 2;
    }
    printf("%s x %ld: %lu\n", mode, n, sum);
    return 0;
}
