/* Floating point on the x87 through glibc: printf of doubles, libm, the x87 state kept per process
 * across fork and around a signal handler that computes too, and an unmasked division by zero
 * delivered as SIGFPE with si_code FPE_FLTDIV. */
#define _GNU_SOURCE
#include <fenv.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile double in_handler;
static void on_usr1(int sig) { (void)sig; in_handler = sqrt(2.0) * 1e3 + exp(1.0); }
static void on_fpe(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    printf("SIGFPE si_code=%d\n", si->si_code);
    fflush(stdout);
    _exit(3);
}

int main(void)
{
    volatile double one = 1.0, zero = 0.0;
    printf("%.6f %.3e %g %f\n", one / 3, 2.5e10, 1.0 / 7, -0.0);
    printf("sin %.15f cos %.15f exp %.15f log %.15f\n", sin(0.5), cos(2.0), exp(3.0), log(10.0));
    printf("sqrt %.17g pow %.17g atan2 %.17g fmod %.17g\n", sqrt(2.0), pow(1.5, 7.25), atan2(1.0, -2.0), fmod(10.0, 3.3));
    double acc = 0;
    for (int i = 1; i <= 1000; i++) acc += 1.0 / i;
    printf("harmonic(1000) %.15f, inf %f, nan %f\n", acc, one / zero, zero / zero);

    signal(SIGUSR1, on_usr1);
    double y = 0;
    for (int i = 0; i < 1000; i++) {
        y += 0.25;
        if (i == 500) raise(SIGUSR1);
    }
    printf("around a handler: %.2f, handler computed %.6f\n", y, in_handler);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        double x = 0;
        for (int i = 0; i < 100000; i++) x += 0.5;
        printf("child %.1f\n", x);
        fflush(stdout);
        _exit(0);
    }
    double z = 0;
    for (int i = 0; i < 100000; i++) z += 0.25;
    int st;
    waitpid(pid, &st, 0);
    printf("parent %.2f\n", z);

    struct sigaction sa = {0};
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, 0);
    feenableexcept(FE_DIVBYZERO);
    printf("%f\n", one / zero);
    return 0;
}
