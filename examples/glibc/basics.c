/* A glibc static program of the everyday kind: stdio, malloc, qsort, getopt, strings, time,
 * environment, and fork/exec/pipe/waitpid. Run with no arguments; it re-executes itself with
 * "-c" to be its own child. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static volatile sig_atomic_t got;
static void on_usr1(int sig) { got = sig; }

int main(int argc, char **argv)
{
    int opt, child = 0, n = 1000;
    while ((opt = getopt(argc, argv, "cn:")) != -1) {
        if (opt == 'c') child = 1;
        else if (opt == 'n') n = atoi(optarg);
        else return 2;
    }
    if (child) {
        char line[128];
        if (!fgets(line, sizeof line, stdin)) return 3;
        line[strcspn(line, "\n")] = 0;
        printf("child got \"%s\", FIXUP_TEST=%s\n", line, getenv("FIXUP_TEST") ? getenv("FIXUP_TEST") : "(unset)");
        return 7;
    }

    int *v = malloc(n * sizeof *v);
    unsigned x = 12345;
    for (int i = 0; i < n; i++) { x = x * 1103515245 + 12345; v[i] = (x >> 8) % 100000; }
    qsort(v, n, sizeof *v, cmp);
    int sorted = 1;
    for (int i = 1; i < n; i++) sorted &= v[i - 1] <= v[i];
    printf("qsort of %d: sorted=%d min=%d max=%d\n", n, sorted, v[0], v[n - 1]);
    free(v);

    char buf[64];
    snprintf(buf, sizeof buf, "%s-%05d-%x", "fmt", 42, 0xbeef);
    printf("snprintf: %s, strlen %zu, strstr %s\n", buf, strlen(buf), strstr(buf, "42"));
    time_t t0 = 86400 * 365;
    struct tm tm;
    gmtime_r(&t0, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    printf("gmtime: %s; now is after 2020: %d\n", buf, time(NULL) > 1577836800);

    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("raise: got signal %d\n", (int)got);

    int p[2];
    if (pipe(p) != 0) return 4;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[0], 0);
        close(p[0]);
        close(p[1]);
        setenv("FIXUP_TEST", "yes", 1);
        execl(argv[0], argv[0], "-c", (char *)NULL);
        _exit(127);
    }
    close(p[0]);
    const char *msg = "hello through a pipe\n";
    write(p[1], msg, strlen(msg));
    close(p[1]);
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
