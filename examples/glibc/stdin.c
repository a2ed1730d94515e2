/* Standard input that is a pipe with nothing in it yet: poll says so, a non-blocking read gets
 * EAGAIN, a child blocked reading it does not stop its parent, which ticks meanwhile; the test
 * writes a line once "tick 2" is out, then closes the pipe. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct pollfd p = {0, POLLIN, 0};
    int r = poll(&p, 1, 0);
    printf("poll now: %d revents=%d\n", r, p.revents);
    fcntl(0, F_SETFL, O_NONBLOCK);
    char c;
    r = read(0, &c, 1);
    printf("non-blocking read: %d %s\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
    fcntl(0, F_SETFL, 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char buf[64];
        int n = read(0, buf, sizeof buf);
        printf("child read %d: %.*s", n, n > 0 ? n : 0, buf);
        return 0;
    }
    for (int i = 0; i < 3; i++) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, 0);
        printf("tick %d\n", i);
        fflush(stdout);
    }
    int st;
    waitpid(pid, &st, 0);
    p.revents = 0;
    r = poll(&p, 1, 5000);
    printf("poll at the end: %d revents=%d\n", r, p.revents);
    printf("read at the end: %d\n", (int) read(0, &c, 1));
    return 0;
}
