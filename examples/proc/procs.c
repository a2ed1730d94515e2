/* Process management: execve of a #! script and of a missing file, execve with a bad argv pointer
 * (the caller goes on), FD_CLOEXEC across execve, orphans reparented to init, process groups and
 * sessions, WNOHANG, and a spinning child that cannot starve its parent. */
#include "proc.h"

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        /* run by execve below: is descriptor 9 still open (it must not be: FD_CLOEXEC)? */
        printf("exec-child: argc=%d fd9=%ld fd8=%ld\n", argc, SYS(NR_fcntl, 9, 1), SYS(NR_fcntl, 8, 1));
        return 5;
    }
    char *self = argv[0];

    /* execve failures return to the caller */
    char *bad_argv[] = { self, (char *)0xc0000000, NULL };
    printf("execve bad argv string: %ld\n", SYS(NR_execve, self, bad_argv, 0));
    printf("execve bad argv array: %ld\n", SYS(NR_execve, self, (char **)0x1000, 0));
    printf("execve bad path: %ld\n", SYS(NR_execve, 0, 0, 0));
    char *none[] = { "nope", NULL };
    printf("execve missing file: %ld\n", SYS(NR_execve, "/nonexistent/prog", none, 0));
    printf("execve a directory: %ld\n", SYS(NR_execve, "/", none, 0));

    /* FD_CLOEXEC across execve */
    int p[2];
    pipe(p);
    dup2(p[1], 9);
    dup2(p[1], 8);
    SYS(NR_fcntl, 9, 2, 1);
    flush();
    int pid = fork();
    if (pid == 0) {
        char *args[] = { self, "exec-child", NULL };
        SYS(NR_execve, self, args, 0);
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("exec'd child exited %d\n", WEXITSTATUS(status));

    /* a #! script: its interpreter gets the script's path */
    if (argc > 1) {
        char *args[] = { argv[1], "from-script", NULL };
        flush();
        pid = fork();
        if (pid == 0) {
            SYS(NR_execve, argv[1], args, 0);
            _exit(98);
        }
        waitpid(pid, &status, 0);
        printf("script exited %d\n", WEXITSTATUS(status));
    }

    /* an orphan is adopted by init (this program is not init natively, so report whether ppid changed) */
    pipe(p);
    flush();
    pid = fork();
    if (pid == 0) {
        int mid = getpid();
        if (fork() == 0) {
            close(p[0]);
            while (getppid() == mid)
                SYS(NR_sched_yield, 0);
            char ok = 1;
            wr(p[1], &ok, 1);
            _exit(0);
        }
        _exit(0);
    }
    close(p[1]);
    waitpid(pid, &status, 0);
    char ok = 0;
    rd(p[0], &ok, 1);
    printf("orphan reparented: %d\n", ok);
    close(p[0]);
    if (getpid() == 1)
        waitpid(-1, &status, 0);                         /* as init, this program reaps the orphan */

    /* groups and sessions */
    flush();
    pid = fork();
    if (pid == 0) {
        int me = getpid();
        int a = SYS(NR_setpgid, 0, 0);
        int g = SYS(NR_getpgid, 0);
        int s = SYS(NR_setsid, 0);
        printf("child: setpgid %d, own group %d, setsid as group leader %d\n", a, g == me, s);
        flush();
        _exit(0);
    }
    waitpid(pid, &status, 0);
    flush();
    pid = fork();
    if (pid == 0) {
        int s = SYS(NR_setsid, 0);
        long again = SYS(NR_setpgid, 0, 0);
        printf("child: setsid %d, setpgid afterwards %ld\n", s == getpid(), again);
        flush();
        _exit(0);
    }
    waitpid(pid, &status, 0);

    /* WNOHANG, ECHILD, and a spinner that must not starve us */
    flush();
    pid = fork();
    if (pid == 0)
        for (volatile int i = 0;; i++)
            ;
    printf("WNOHANG on a running child: %d\n", waitpid(pid, &status, WNOHANG));
    long work = 0;
    for (int i = 0; i < 3000000; i++)
        work += i & 3;
    printf("parent worked while the child spun: %ld\n", work);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    printf("spinner killed by %d\n", WTERMSIG(status));
    printf("wait again: %d\n", waitpid(-1, &status, 0));
    return 0;
}
