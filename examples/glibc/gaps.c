/* What a program learns about itself from the kernel: AT_HWCAP against the CPUID it runs on,
 * /proc/self/cmdline (after rewriting one argument in place), lseek on the /dev character
 * devices, and its argument bytes exactly as given. */
#include <cpuid.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <elf.h>
#include <unistd.h>

static void hex(const char *what, const unsigned char *p, size_t n) {
    printf("%s:", what);
    for (size_t i = 0; i < n; i++) printf(" %02x", p[i]);
    printf("\n");
}

/* The auxiliary vector as the kernel wrote it, after the environment's NULL (glibc's getauxval
 * reports its own idea of AT_HWCAP in a static program). */
static unsigned long aux(char **envp, unsigned type) {
    while (*envp) envp++;
    for (Elf32_auxv_t *av = (Elf32_auxv_t *) (envp + 1); av->a_type != AT_NULL; av++)
        if (av->a_type == type) return av->a_un.a_val;
    return 0;
}

int main(int argc, char **argv, char **envp) {
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    unsigned long hw = aux(envp, AT_HWCAP);
    printf("hwcap %s cpuid(1).edx\n", hw == d ? "==" : "!=");
    printf("hwcap fpu=%lu tsc=%lu cx8=%lu cmov=%lu\n", hw & 1, hw >> 4 & 1, hw >> 8 & 1, hw >> 15 & 1);

    if (argc > 1) argv[1][0] = 'X';              /* cmdline shows the memory as it is now */
    unsigned char buf[4096];
    int fd = open("/proc/self/cmdline", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    /* argv[0] is the path, which differs between runs: show what follows it */
    size_t skip = strlen((char *) buf) + 1;
    printf("cmdline ends with NUL: %s\n", n > 0 && buf[n - 1] == 0 ? "yes" : "no");
    printf("cmdline argv0 matches: %s\n", strcmp((char *) buf, argv[0]) == 0 ? "yes" : "no");
    hex("cmdline rest", buf + skip, n - skip);

    const char *devs[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/urandom"};
    for (int i = 0; i < 4; i++) {
        fd = open(devs[i], O_RDWR);
        off_t r1 = lseek(fd, 100, SEEK_SET), r2 = lseek(fd, -5, SEEK_CUR), r3 = lseek(fd, 7, SEEK_END);
        printf("lseek %s: %ld %ld %ld\n", devs[i], (long) r1, (long) r2, (long) r3);
        close(fd);
    }
    for (int i = 1; i < argc; i++) hex("arg", (unsigned char *) argv[i], strlen(argv[i]));
    return 0;
}
