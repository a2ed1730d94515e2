/* Pipes and descriptors: POSIX atomicity of writes up to PIPE_BUF with several writers, a write
 * larger than the pipe that sleeps until the reader drains it, O_NONBLOCK, poll and select, EOF,
 * dup/dup2/fcntl with FD_CLOEXEC, readv/writev, lseek on a pipe. */
#include "proc.h"

#define PIPE_BUF 4096
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define O_NONBLOCK 0x800
#define ESPIPE 29

struct pollfd { int fd; short events, revents; };
struct iovec { void *base; unsigned long len; };

static char block[PIPE_BUF];

int main(void)
{
    int p[2];
    pipe(p);

    /* Four writers, each writing 16 records of PIPE_BUF bytes filled with its own letter. */
    for (int w = 0; w < 4; w++) {
        flush();
        if (fork() == 0) {
            close(p[0]);
            memset(block, 'a' + w, sizeof block);
            for (int i = 0; i < 16; i++)
                if (wr(p[1], block, sizeof block) != sizeof block)
                    _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    static char rec[PIPE_BUF];
    int records = 0, torn = 0, counts[4] = {0};
    for (;;) {
        long got = 0, r = 0;
        while (got < PIPE_BUF && (r = rd(p[0], rec + got, PIPE_BUF - got)) > 0)
            got += r;
        if (got == 0)
            break;
        records++;
        for (int i = 1; i < got; i++)
            if (rec[i] != rec[0]) {
                torn++;
                break;
            }
        if (rec[0] >= 'a' && rec[0] < 'e')
            counts[rec[0] - 'a']++;
    }
    int status, ok = 0;
    while (waitpid(-1, &status, 0) > 0)
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("atomic writes: %d records, %d torn, per writer %d %d %d %d, writers ok %d\n", records, torn,
           counts[0], counts[1], counts[2], counts[3], ok);
    close(p[0]);

    /* One write of 200000 bytes into a 64 KB pipe: the writer sleeps until the reader catches up. */
    pipe(p);
    static char big[200000];
    for (int i = 0; i < (int)sizeof big; i++)
        big[i] = (char)(i * 7);
    flush();
    if (fork() == 0) {
        close(p[0]);
        long n = wr(p[1], big, sizeof big);
        _exit(n == sizeof big ? 0 : 1);
    }
    close(p[1]);
    static char back[200000];
    long total = 0, r;
    while ((r = rd(p[0], back + total, sizeof back - total)) > 0)
        total += r;
    waitpid(-1, &status, 0);
    printf("big write: %ld bytes, same: %d, writer status %d\n", total, memcmp(big, back, sizeof big) == 0, WEXITSTATUS(status));
    close(p[0]);

    /* O_NONBLOCK, poll, select, EOF. */
    pipe(p);
    SYS(NR_fcntl, p[0], F_SETFL, O_NONBLOCK);
    char c;
    long n = rd(p[0], &c, 1);
    printf("nonblocking empty read: %ld, flags %x\n", n, (int)SYS(NR_fcntl, p[0], F_GETFL) & O_NONBLOCK);
    struct pollfd pf[2] = { { p[0], 1, 0 }, { p[1], 4, 0 } };
    n = SYS(NR_poll, pf, 2, 0);
    printf("poll: %ld revents %d %d\n", n, pf[0].revents, pf[1].revents);
    wr(p[1], "hi", 2);
    n = SYS(NR_poll, pf, 1, 1000);
    printf("poll after write: %ld revents %d\n", n, pf[0].revents);
    unsigned long rset = 1ul << p[0], wset = 1ul << p[1];
    struct { long s, us; } tv = { 0, 0 };
    n = SYS(142, p[1] + 1, &rset, &wset, 0, &tv);
    printf("select: %ld read %d write %d\n", n, (int)(rset >> p[0]) & 1, (int)(wset >> p[1]) & 1);
    close(p[1]);
    char two[4];
    n = rd(p[0], two, 4);
    printf("read rest: %ld, then EOF: %ld\n", n, rd(p[0], two, 4));
    pf[0].revents = 0;
    SYS(NR_poll, pf, 1, 0);
    printf("poll at EOF: revents %d\n", pf[0].revents);
    printf("lseek on a pipe: %ld\n", SYS(NR_lseek, p[0], 0, 0));
    close(p[0]);

    /* A poll that waits for a child's write, with a timeout long enough. */
    pipe(p);
    flush();
    if (fork() == 0) {
        struct { long s, ns; } t = { 0, 100000000 };
        SYS(NR_nanosleep, &t, 0);
        wr(p[1], "!", 1);
        _exit(0);
    }
    pf[0].fd = p[0];
    pf[0].events = 1;
    pf[0].revents = 0;
    long pr = SYS(NR_poll, pf, 1, 5000);
    printf("poll waited: %ld revents %d\n", pr, pf[0].revents);
    waitpid(-1, &status, 0);
    struct { long s, us; } short_tv = { 0, 50000 };
    rd(p[0], &c, 1);
    rset = 1ul << p[0];
    printf("select timeout: %ld\n", SYS(142, p[0] + 1, &rset, 0, 0, &short_tv));

    /* dup, dup2, FD_CLOEXEC, readv/writev */
    int d = SYS(NR_dup, p[1]);
    printf("dup: %d, cloexec %ld\n", d > p[1], SYS(NR_fcntl, d, F_GETFD));
    SYS(NR_fcntl, d, F_SETFD, 1);
    printf("cloexec set: %ld\n", SYS(NR_fcntl, d, F_GETFD));
    printf("dup2 onto itself: %d\n", dup2(d, d) == d);
    struct iovec out[3] = { { "one ", 4 }, { "two ", 4 }, { "three", 5 } };
    printf("writev: %ld\n", SYS(NR_writev, d, out, 3));
    char a1[6] = {0}, a2[8] = {0};
    struct iovec in[2] = { { a1, 5 }, { a2, 7 } };
    n = SYS(NR_readv, p[0], in, 2);
    printf("readv: %ld '%s' '%s'\n", n, a1, a2);
    int first = close(d);
    printf("close twice: %d %d\n", first, close(d));
    return 0;
}
