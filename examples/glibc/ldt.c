/* modify_ldt: install descriptors in the process's LDT, load %fs and %gs from them, read and
 * write through them, read the table back, and the errors Linux gives; a forked child keeps the
 * table. Every line must be the same natively and under Fixup. */
#include <asm/ldt.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned data[4] = {0x11111111, 0x22222222, 0x33333333, 0x44444444};
static sigjmp_buf env;

static void on_segv(int sig) { siglongjmp(env, 1); }

static long ldt(int func, void *p, unsigned long n) {
    long r = syscall(SYS_modify_ldt, func, p, n);
    return r < 0 ? -errno : r;
}

static struct user_desc desc(unsigned entry, void *base, unsigned limit) {
    struct user_desc d;
    memset(&d, 0, sizeof d);
    d.entry_number = entry;
    d.base_addr = (unsigned) base;
    d.limit = limit;
    d.seg_32bit = 1;
    d.useable = 1;
    return d;
}

static void dump(const char *what, int func, int len) {
    unsigned char buf[80];
    memset(buf, 0xAA, sizeof buf);
    long n = ldt(func, buf, len);
    printf("%s: %ld:", what, n);
    for (long i = 0; i < n && i < (long) sizeof buf; i++) printf(" %02x", buf[i]);
    printf("\n");
}

/* Loads %fs with sel and reads %fs:off; "fault" if the load or the read raises SIGSEGV. */
static void probe(const char *what, unsigned sel, unsigned off) {
    if (sigsetjmp(env, 1)) {
        printf("%s: fault\n", what);
        return;
    }
    unsigned v;
    asm volatile("mov %1, %%fs\n\tmovl %%fs:(%2), %0" : "=r"(v) : "r"(sel), "r"(off) : "memory");
    printf("%s: %08x\n", what, v);
}

int main(void) {
    signal(SIGSEGV, on_segv);
    unsigned sel3 = 3 << 3 | 4 | 3, sel5 = 5 << 3 | 4 | 3;
    dump("read before any", 0, 16);

    struct user_desc d = desc(3, &data[1], 7);
    printf("write entry 3: %ld\n", ldt(0x11, &d, sizeof d));
    probe("fs:0 via entry 3", sel3, 0);
    probe("fs:4 via entry 3", sel3, 4);
    probe("fs:8 past the limit", sel3, 8);

    unsigned short oldgs;
    unsigned g;
    asm volatile("mov %%gs, %0" : "=r"(oldgs));
    asm volatile("mov %1, %%gs\n\tmovl %%gs:4, %0\n\tmov %2, %%gs" : "=&r"(g) : "r"(sel3), "r"((unsigned) oldgs));
    printf("gs:4 via entry 3: %08x\n", g);
    asm volatile("mov %0, %%fs\n\tmovl $0x55555555, %%fs:0" : : "r"(sel3) : "memory");
    printf("data[1] after a write through fs: %08x\n", data[1]);

    unsigned ar = 0, lim = 0, zf;
    asm volatile("lar %2, %0\n\tsetz %b1" : "=r"(ar), "=q"(zf) : "r"(sel3));
    printf("lar: %08x zf=%u\n", ar, zf & 1);
    asm volatile("lsl %2, %0\n\tsetz %b1" : "=r"(lim), "=q"(zf) : "r"(sel3));
    printf("lsl: %08x zf=%u\n", lim, zf & 1);

    d = desc(5, &data[0], 0);                    /* old mode: AVL cleared; limit in pages */
    d.limit_in_pages = 1;
    printf("old-mode write entry 5: %ld\n", ldt(1, &d, sizeof d));
    probe("fs:12 via entry 5", sel5, 12);
    dump("read 48 bytes", 0, 48);
    dump("read 8 bytes", 0, 8);
    probe("entry 9, past the table", 9 << 3 | 7, 0);
    probe("entry 4, empty", 4 << 3 | 7, 0);

    d = desc(3, &data[1], 7);
    printf("bytecount 15: %ld\n", ldt(0x11, &d, 15));
    d.entry_number = 8192;
    printf("entry 8192: %ld\n", ldt(0x11, &d, sizeof d));
    d = desc(6, &data[0], 7);
    d.contents = 3;
    printf("conforming code, old mode: %ld\n", ldt(1, &d, sizeof d));
    printf("conforming code, present: %ld\n", ldt(0x11, &d, sizeof d));
    d.seg_not_present = 1;
    printf("conforming code, not present: %ld\n", ldt(0x11, &d, sizeof d));
    printf("func 5: %ld\n", ldt(5, &d, sizeof d));
    printf("func 1 to a bad pointer: %ld\n", ldt(0x11, (void *) 16, sizeof d));
    printf("default ldt read: %s\n", ldt(2, &d, 8) == 8 ? "8 zero bytes" : "other");

    memset(&d, 0, sizeof d);                      /* the empty descriptor clears entry 5 */
    d.entry_number = 5;
    d.read_exec_only = 1;
    d.seg_not_present = 1;
    printf("clear entry 5: %ld\n", ldt(0x11, &d, sizeof d));
    probe("entry 5 cleared", sel5, 0);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        probe("child fs:4 via entry 3", sel3, 4);
        dump("child read 32 bytes", 0, 32);
        return 0;
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child status %d\n", WEXITSTATUS(st));
    return 0;
}
