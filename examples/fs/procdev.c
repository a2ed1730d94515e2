/* /dev and /proc/self as a program sees them; argv[1] is a scratch directory. Only what is the
   same on every run is printed, so native Linux and Fixup must agree. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void link_of(const char *p) {
    char b[4096];
    ssize_t n = readlink(p, b, sizeof b);
    if (n < 0) printf("readlink %s = %s\n", p, strerror(errno));
    else printf("readlink %s = %.*s\n", p, (int)n, b);
}

int main(int argc, char **argv) {
    char buf[256];
    int fd;
    link_of("/proc/self/exe");
    if (chdir(argv[1]) < 0) return 2;
    link_of("/proc/self/cwd");
    link_of("/proc/self/root");
    fd = open("file", O_CREAT | O_RDWR, 0644);
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", fd);
    char b[4096];
    ssize_t n = readlink(buf, b, sizeof b);
    printf("fd link ends with /file: %d\n", n > 5 && memcmp(b + n - 5, "/file", 5) == 0);
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(buf, sizeof buf, f)) if (!strncmp(buf, "Name:", 5) || !strncmp(buf, "Uid:", 4)) fputs(buf, stdout);
    if (f) fclose(f);
    f = fopen("/proc/self/maps", "r");
    int stack = 0, lines = 0;
    while (f && fgets(buf, sizeof buf, f)) { lines++; if (strstr(buf, "[stack]")) stack = 1; }
    printf("maps has [stack]: %d, lines > 2: %d\n", stack, lines > 2);
    f = fopen("/proc/mounts", "r");
    int rootline = 0;
    while (f && fgets(buf, sizeof buf, f)) { char *sp = strchr(buf, ' '); if (sp && !strncmp(sp, " / ", 3)) rootline = 1; }
    printf("/proc/mounts has a line for /: %d\n", rootline);
    if (f) fclose(f);
    printf("/proc/self/fd/1 can be followed: %d\n", access("/proc/self/fd/1", F_OK) == 0);
    fd = open("/dev/null", O_RDWR);
    printf("null write %zd read %zd\n", write(fd, "abc", 3), read(fd, buf, 10));
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 1, 16);
    printf("zero read %zd first %d last %d\n", read(fd, buf, 16), buf[0], buf[15]);
    fd = open("/dev/full", O_RDWR);
    errno = 0;
    printf("full write %zd %s read %zd\n", write(fd, "abc", 3), strerror(errno), read(fd, buf, 4));
    fd = open("/dev/urandom", O_RDONLY);
    printf("urandom read %zd\n", read(fd, buf, 32));
    struct stat s;
    stat("/dev/null", &s);
    printf("/dev/null mode %o rdev %x\n", s.st_mode, (unsigned)s.st_rdev);
    stat("/dev/full", &s);
    printf("/dev/full mode %o rdev %x\n", s.st_mode, (unsigned)s.st_rdev);
    /* Captured output is a pipe, not a terminal: libc buffers it fully, not line by line. */
    fstat(1, &s);
    printf("stdout is a pipe: %d\n", S_ISFIFO(s.st_mode));
    return 0;
}
