/* Escape attempts from a chroot-like root. Run as /prog inside a root prepared by
   fixup-kernel's JailTest (or by hand: see jail.sh); the host file one level above the root holds
   "SECRET" and must never be read. Each attempt prints the first line it could read or its errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int e) {
    switch (e) {
    case ENOENT: return "ENOENT"; case EEXIST: return "EEXIST"; case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR"; case EINVAL: return "EINVAL"; case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG"; case EFAULT: return "EFAULT"; case EACCES: return "EACCES";
    default: { static char b[16]; sprintf(b, "E%d", e); return b; }
    }
}

/* What the file at fd says first, or the errno of the attempt. */
static void show(const char *what, int fd) {
    if (fd < 0) { printf("%s: %s\n", what, en(errno)); return; }
    char b[128] = {0};
    int n = read(fd, b, sizeof b - 1);
    close(fd);
    if (n < 0) { printf("%s: read %s\n", what, en(errno)); return; }
    char *nl = strchr(b, '\n');
    if (nl) *nl = 0;
    printf("%s: \"%s\"\n", what, b);
}

static void try(const char *path) { show(path, open(path, O_RDONLY)); }

static char *repeat(const char *s, int times, const char *tail) {
    char *b = malloc(strlen(s) * times + strlen(tail) + 1);
    b[0] = 0;
    for (int i = 0; i < times; i++) strcat(b, s);
    strcat(b, tail);
    return b;
}

int main(void) {
    char buf[4200];
    try("/secret");
    try("/../secret");
    try("/../../../../../../secret");
    try("../../../secret");
    try("/d/../../secret");
    try("/escape");                 /* link to /etc/hostname: the root's own */
    try("/up/secret");              /* link to ../../.. */
    try("/up/jail/etc/hostname");
    try("/rootlink/../secret");     /* link to / */
    try("/rootlink/rootlink/etc/hostname");
    try("/d/rel/secret");           /* link to ../../../.. inside d */
    try("/d/abs/hostname");         /* link to /etc */
    try("/loop1");
    try("/self/x");
    try("/chain40");                /* 40 links: allowed */
    try("/chain41");                /* 41 links: ELOOP */
    try("/escape/");
    show("/d/.. x 900 (4513 characters)", open(repeat("/d/..", 900, "/etc/hostname"), O_RDONLY));
    char *exact = repeat("/.", 2045, "/etc/hostname");     /* 4103 characters */
    exact[4095] = 0;                                        /* 4095 + NUL = PATH_MAX: the longest name */
    memcpy(exact + 4095 - 13, "/etc/hostname", 13);
    show(strlen(exact) == 4095 ? "/./. ... /etc/hostname, 4095 characters" : "?", open(exact, O_RDONLY));
    exact = repeat("/.", 2045, "/etc/hostname");
    exact[4096] = 0;
    memcpy(exact + 4096 - 13, "/etc/hostname", 13);
    show(strlen(exact) == 4096 ? "/./. ... /etc/hostname, 4096 characters" : "?", open(exact, O_RDONLY));
    char longname[300];
    memset(longname, 'a', 299); longname[0] = '/'; longname[299] = 0;
    show("a 298-character component", open(longname, O_RDONLY));
    /* A NUL ends the name: what follows it is never seen. */
    memcpy(buf, "/etc/hostname\0/../../secret", 28);
    show("nul", syscall(SYS_open, buf, O_RDONLY));

    int root = open("/", O_RDONLY | O_DIRECTORY), d = open("/d", O_RDONLY | O_DIRECTORY);
    show("openat(/, ../../secret)", openat(root, "../../secret", O_RDONLY));
    show("openat(/d, ../../../secret)", openat(d, "../../../secret", O_RDONLY));
    show("openat(/d, rel/secret)", openat(d, "rel/secret", O_RDONLY));
    show("openat(/d, abs/hostname)", openat(d, "abs/hostname", O_RDONLY));

    for (int i = 0; i < 10; i++) chdir("..");
    printf("cwd after 10 x chdir ..: %s\n", getcwd(buf, sizeof buf));
    chdir("/d"); fchdir(d); chdir("rel");
    printf("cwd via d/rel: %s\n", getcwd(buf, sizeof buf));
    try("secret");
    chdir("/");

    printf("symlink mine: %d\n", symlink("/../../../..", "/mine"));
    try("/mine/secret");
    printf("mkdir /../../made: %d\n", mkdir("/../../made", 0755));
    struct stat s;
    printf("stat /made: %d\n", stat("/made", &s));
    printf("rename /made -> /../../moved: %d\n", rename("/made", "/../../moved"));
    printf("stat /moved: %d\n", stat("/moved", &s));
    ssize_t n = readlink("/rootlink", buf, sizeof buf);
    printf("readlink /rootlink: %.*s\n", (int)n, buf);

    /* A link swapped between check and use: a child flips /swap between a harmless target and
       one that climbs out, the parent keeps opening through it. */
    symlink("/d", "/swap");
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 300; i++) {
            unlink("/swap.new");
            symlink(i % 2 ? "/d" : "/../../..", "/swap.new");
            rename("/swap.new", "/swap");
        }
        _exit(0);
    }
    int seen = 0, ok = 0;
    for (int i = 0; i < 300; i++) {
        int fd = open("/swap/secret", O_RDONLY);
        if (fd < 0) continue;
        char b[16] = {0};
        read(fd, b, 15);
        close(fd);
        if (strncmp(b, "SECRET", 6) == 0) seen++; else ok++;
    }
    waitpid(pid, NULL, 0);
    printf("swap: secret read %d times\n", seen);
    return 0;
}
