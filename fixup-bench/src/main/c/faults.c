/*
 * Page faults. faults zero ROUNDS MB: ROUNDS times map MB megabytes of anonymous memory, write one
 * byte in every page (each write a demand-zero fault), unmap. faults cow ROUNDS MB: the parent
 * writes every page of MB megabytes once, then ROUNDS times forks a child that writes every page
 * again (each write a copy-on-write fault) and exits. faults stack ROUNDS MB: ROUNDS times forks
 * a child that touches MB megabytes of stack downwards from its stack pointer, a page at a time
 * (each touch below the stack's lowest page grows it), and exits.
 * Prints the number of pages touched and how many of them read back what was written (in the cow
 * mode the parent's copy must also stay unchanged).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

/* Writes then reads back a byte in each page of a `bytes` stack frame, top to bottom; returns the
 * pages that read back wrong. alloca moves %esp down once; the writes then grow the stack. */
static long touch_down(long bytes) {
    volatile char *frame = __builtin_alloca(bytes);
    long bad = 0;
    for (long off = bytes - 1; off >= 0; off -= PAGE) frame[off] = (char) (off >> 12);
    for (long off = bytes - 1; off >= 0; off -= PAGE) bad += frame[off] != (char) (off >> 12);
    return bad;
}

static int child_status(pid_t pid) {
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "zero";
    int rounds = argc > 2 ? atoi(argv[2]) : 4;
    long bytes = (argc > 3 ? atol(argv[3]) : 64) << 20;
    unsigned long pages = 0, good = 0;
    if (strcmp(mode, "zero") == 0) {
        for (int r = 0; r < rounds; r++) {
            char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) { perror("mmap"); return 1; }
            for (long off = 0; off < bytes; off += PAGE) { p[off] = (char) (off >> 12); pages++; }
            for (long off = 0; off < bytes; off += PAGE) good += p[off] == (char) (off >> 12);
            munmap(p, bytes);
        }
    } else if (strcmp(mode, "cow") == 0) {
        char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); return 1; }
        for (long off = 0; off < bytes; off += PAGE) p[off] = 1;
        for (int r = 0; r < rounds; r++) {
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) {
                long bad = 0;
                for (long off = 0; off < bytes; off += PAGE) p[off] += (char) (r + 1);
                for (long off = 0; off < bytes; off += PAGE) bad += p[off] != (char) (r + 2);
                _exit(bad != 0);
            }
            if (child_status(pid) != 0) { fprintf(stderr, "child failed\n"); return 1; }
            pages += bytes / PAGE;
        }
        for (long off = 0; off < bytes; off += PAGE) good += p[off] == 1;
    } else if (strcmp(mode, "stack") == 0) {
        for (int r = 0; r < rounds; r++) {
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) _exit(touch_down(bytes) != 0);
            if (child_status(pid) != 0) { fprintf(stderr, "child failed\n"); return 1; }
            pages += bytes / PAGE;
            good += bytes / PAGE;
        }
    } else {
        fprintf(stderr, "usage: faults zero|cow|stack [ROUNDS [MB]]\n");
        return 2;
    }
    printf("%lu pages touched, %lu read back right\n", pages, good);
    return 0;
}
