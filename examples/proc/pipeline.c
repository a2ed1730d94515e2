/* pipeline PROGRAM [N]: what a shell does for "relay 1 | relay 2 | ... | relay N". Forks N children
 * connected by pipes, each execs PROGRAM, feeds the first pipe, reads the last, and waits for every
 * child, checking each exit status. */
#include "proc.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: pipeline PROGRAM [N]\n");
        return 2;
    }
    int n = (int)parse_arg(argc, argv, 2, 100);
    int pids[256];
    int in[2], first = -1;
    if (pipe(in) < 0)
        return 3;
    first = in[1];
    int prev = in[0];
    for (int i = 1; i <= n; i++) {
        int out[2];
        if (pipe(out) < 0) {
            printf("pipe failed at %d\n", i);
            return 4;
        }
        flush();
        int pid = fork();
        if (pid < 0) {
            printf("fork failed at %d: %d\n", i, pid);
            return 5;
        }
        if (pid == 0) {
            dup2(prev, 0);
            dup2(out[1], 1);
            close(prev);
            close(out[0]);
            close(out[1]);
            close(first);
            char num[16];
            snprintf(num, sizeof num, "%d", i);
            char *args[] = { argv[1], num, NULL };
            char *env[] = { "PIPELINE=1", NULL };
            int r = execve(argv[1], args, env);
            printf("execve failed: %d\n", r);
            _exit(127);
        }
        pids[i] = pid;
        close(prev);
        close(out[1]);
        prev = out[0];
    }
    wr(first, "start\n", 6);
    close(first);
    char buf[4096];
    long total = 0, got;
    while ((got = rd(prev, buf + total, sizeof buf - 1 - total)) > 0)
        total += got;
    buf[total] = 0;
    int lines = 0;
    for (long i = 0; i < total; i++)
        lines += buf[i] == '\n';
    printf("pipeline of %d: %d lines, last: ", n, lines);
    long last = total - 1;
    while (last > 0 && buf[last - 1] != '\n')
        last--;
    printf("%s", buf + last);
    int bad = 0;
    for (int i = n; i >= 1; i--) {
        int status = -1;
        int r = waitpid(pids[i], &status, 0);
        if (r != pids[i] || !WIFEXITED(status) || WEXITSTATUS(status) != i % 256) {
            printf("child %d: waitpid=%d status=%x\n", i, r, status);
            bad++;
        }
    }
    int status;
    printf("statuses: %s; no more children: %s\n", bad ? "WRONG" : "all right",
           waitpid(-1, &status, 0) == -ECHILD ? "yes" : "no");
    return bad;
}
