/* The path-name system calls, each with its result or errno name, run in a fresh directory given
   as argv[1]. The output holds no inode numbers or times, so a native run and a Fixup run must
   print the same text. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *en(int e) {
    switch (e) {
    case ENOENT: return "ENOENT"; case EEXIST: return "EEXIST"; case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR"; case EINVAL: return "EINVAL"; case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP"; case ENAMETOOLONG: return "ENAMETOOLONG"; case EBADF: return "EBADF";
    case EFAULT: return "EFAULT"; case ERANGE: return "ERANGE"; case EACCES: return "EACCES";
    case EPERM: return "EPERM"; case EBUSY: return "EBUSY"; case ENOSPC: return "ENOSPC";
    case EXDEV: return "EXDEV"; case ESPIPE: return "ESPIPE"; case EOPNOTSUPP: return "EOPNOTSUPP";
    default: { static char b[16]; sprintf(b, "E%d", e); return b; }
    }
}

/* An fd's number depends on what the C library keeps open: only whether it is one is shown. */
#define FD(what, expr) do { errno = 0; long r_ = (long)(expr); \
    if (r_ < 0) printf("%s = -1 %s\n", what, en(errno)); else printf("%s = fd\n", what); } while (0)
#define T(what, expr) do { errno = 0; long r_ = (long)(expr); \
    if (r_ < 0) printf("%s = -1 %s\n", what, en(errno)); else printf("%s = %ld\n", what, r_); } while (0)

static void st(const char *what, const char *p, int follow) {
    struct stat s;
    errno = 0;
    int r = follow ? stat(p, &s) : lstat(p, &s);
    if (r < 0) { printf("%s %s = -1 %s\n", what, p, en(errno)); return; }
    printf("%s %s = mode %o nlink %d size %lld\n", what, p, s.st_mode, (int)s.st_nlink, (long long)s.st_size);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

static void ls(const char *p) {
    DIR *d = opendir(p);
    if (!d) { printf("opendir %s = -1 %s\n", p, en(errno)); return; }
    char *names[64]; int n = 0; struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        char *b = malloc(300);
        sprintf(b, "%s:%d", e->d_name, e->d_type);
        names[n++] = b;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("ls %s:", p);
    for (int i = 0; i < n; i++) printf(" %s", names[i]);
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) < 0) { printf("usage: fsops DIR\n"); return 2; }
    char buf[4096];
    umask(022);
    T("mkdir d", mkdir("d", 0755));
    T("mkdir d again", mkdir("d", 0755));
    T("mkdir d/e/f", mkdir("d/e/f", 0755));
    T("mkdir d/e", mkdir("d/e", 0755));
    FD("open d/f creat", open("d/f", O_CREAT | O_WRONLY | O_TRUNC, 0666));
    T("write", write(3, "hello world\n", 12));
    T("close", close(3));
    FD("open excl", open("d/f", O_CREAT | O_EXCL | O_WRONLY, 0666));
    FD("open dir for write", open("d", O_WRONLY));
    FD("open file as dir", open("d/f", O_RDONLY | O_DIRECTORY));
    FD("open file/ ", open("d/f/", O_RDONLY));
    FD("open missing", open("d/nope", O_RDONLY));
    FD("open creat trailing slash", open("d/new/", O_CREAT | O_WRONLY, 0644));
    st("stat", "d/f", 1);
    st("stat", "d", 1);
    st("stat", "d/nope", 1);
    st("stat", "d/f/x", 1);
    T("symlink f", symlink("f", "d/l"));
    T("symlink exists", symlink("f", "d/l"));
    st("lstat", "d/l", 0);
    st("stat", "d/l", 1);
    ssize_t n = readlink("d/l", buf, sizeof buf);
    printf("readlink d/l = %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    T("readlink short", readlink("d/l", buf, 1));
    T("readlink file", readlink("d/f", buf, sizeof buf));
    T("symlink loop a", symlink("loop2", "loop1"));
    T("symlink loop b", symlink("loop1", "loop2"));
    FD("open loop", open("loop1", O_RDONLY));
    FD("open nofollow", open("d/l", O_RDONLY | O_NOFOLLOW));
    T("symlink dangling", symlink("target-not-there", "dang"));
    FD("open dangling creat", open("dang", O_CREAT | O_WRONLY, 0600));
    st("stat", "target-not-there", 1);
    T("link", link("d/f", "d/h"));
    st("stat", "d/f", 1);
    T("link exists", link("d/f", "d/h"));
    T("link dir", link("d", "d2"));
    T("rename", rename("d/h", "d/h2"));
    T("rename missing", rename("d/h", "d/h3"));
    T("rename dir onto file", rename("d/e", "d/f"));
    T("rename file onto dir", rename("d/f", "d/e"));
    T("rename into itself", rename("d", "d/e/x"));
    T("mkdir d/e/g", mkdir("d/e/g", 0700));
    T("rename dir onto nonempty", rename("d/e/g", "d"));
    T("renameat2 noreplace", syscall(SYS_renameat2, AT_FDCWD, "d/h2", AT_FDCWD, "d/f", 1));
    T("rmdir nonempty", rmdir("d/e"));
    T("rmdir file", rmdir("d/f"));
    T("rmdir dot", rmdir("d/e/g/."));
    T("rmdir g", rmdir("d/e/g"));
    T("unlink dir", unlink("d/e"));
    T("unlink missing", unlink("d/zz"));
    T("unlink h2", unlink("d/h2"));
    T("chmod", chmod("d/f", 0600));
    st("stat", "d/f", 1);
    T("chmod missing", chmod("d/zz", 0600));
    T("access R", access("d/f", R_OK));
    T("access X", access("d/f", X_OK));
    T("access missing", access("d/zz", F_OK));
    T("access bad mode", access("d/f", 64));
    T("truncate", truncate("d/f", 5));
    st("stat", "d/f", 1);
    T("truncate grow", truncate("d/f", 10000));
    st("stat", "d/f", 1);
    T("truncate dir", truncate("d", 0));
    int fd = open("d/f", O_RDWR);
    T("ftruncate", ftruncate(fd, 3));
    T("fsync", fsync(fd));
    T("fdatasync", fdatasync(fd));
    struct stat s;
    T("fstat", fstat(fd, &s));
    printf("fstat size %lld mode %o\n", (long long)s.st_size, s.st_mode);
    T("fstat bad fd", fstat(99, &s));
    T("fstat efault", syscall(SYS_fstat64, fd, (void *)4));
    T("stat efault name", syscall(SYS_stat64, (void *)4, &s));
    T("stat efault buf", syscall(SYS_stat64, "d", (void *)0xc0000000));
    close(fd);
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    FD("openat dirfd", openat(dfd, "f", O_RDONLY));
    FD("openat dirfd ..", openat(dfd, "../d/f", O_RDONLY));
    FD("openat file as dirfd", openat(3, "x", O_RDONLY));
    FD("openat badfd", openat(77, "x", O_RDONLY));
    T("fstatat empty path", fstatat(dfd, "", &s, AT_EMPTY_PATH));
    printf("  is dir %d\n", S_ISDIR(s.st_mode));
    T("fstatat empty no flag", fstatat(dfd, "", &s, 0));
    T("fstatat bad flag", fstatat(dfd, "f", &s, 0x8));
    T("fstatat nofollow", fstatat(AT_FDCWD, "d/l", &s, AT_SYMLINK_NOFOLLOW));
    printf("  is link %d\n", S_ISLNK(s.st_mode));
    struct statx sx;
    T("statx", statx(dfd, "f", 0, STATX_BASIC_STATS, &sx));
    printf("  statx size %llu mode %o nlink %u mask %x\n", (unsigned long long)sx.stx_size, sx.stx_mode, sx.stx_nlink, sx.stx_mask & 0x7ff);
    T("mkdirat", mkdirat(dfd, "m", 0777));
    st("stat", "d/m", 1);
    T("unlinkat removedir", unlinkat(dfd, "m", AT_REMOVEDIR));
    T("unlinkat bad flag", unlinkat(dfd, "m", 1));
    T("fchdir", fchdir(dfd));
    printf("getcwd tail %s\n", strrchr(getcwd(buf, sizeof buf), '/'));
    T("getcwd small", syscall(SYS_getcwd, buf, 2));
    T("fchdir file", fchdir(0));
    T("chdir file", chdir("f"));
    T("chdir ..", chdir(".."));
    T("getdents on file", syscall(SYS_getdents64, 0, buf, sizeof buf));
    T("getdents tiny", syscall(SYS_getdents64, dfd, buf, 8));
    ls("d");
    ls("d/e");
    T("utimensat", utimensat(AT_FDCWD, "d/f", (struct timespec[]){{1000000000, 5}, {1234567890, 0}}, 0));
    stat("d/f", &s);
    printf("  mtime %ld atime %ld\n", (long)s.st_mtime, (long)s.st_atime);
    T("utimensat bad nsec", utimensat(AT_FDCWD, "d/f", (struct timespec[]){{0, -5}, {0, 0}}, 0));
    int in = open("d/f", O_RDONLY);
    pwrite(open("d/f", O_WRONLY), "abcdefghij", 10, 0);
    int out = open("d/copy", O_CREAT | O_WRONLY, 0644);
    off_t off = 2;
    T("sendfile", sendfile(out, in, &off, 5));
    printf("  off %ld pos %ld\n", (long)off, (long)lseek(in, 0, SEEK_CUR));
    T("sendfile nooff", sendfile(out, in, NULL, 100));
    st("stat", "d/copy", 1);
    T("sendfile bad", sendfile(in, out, NULL, 1));
    FD("open /dev/full", fd = open("/dev/full", O_WRONLY));
    T("write /dev/full", write(fd, "x", 1));
    T("read /dev/zero", read(open("/dev/zero", O_RDONLY), buf, 100));
    st("stat", "/dev/null", 1);
    struct timespec ts;
    T("clock_gettime", clock_gettime(CLOCK_MONOTONIC, &ts));
    T("clock_getres", clock_getres(CLOCK_REALTIME, &ts));
    printf("  res %ld %ld\n", (long)ts.tv_sec, ts.tv_nsec);
    T("clock_gettime bad", clock_gettime(99, &ts));
    T("getrandom", syscall(SYS_getrandom, buf, 16, 0));
    T("getrandom bad flag", syscall(SYS_getrandom, buf, 16, 64));
    /* Bad user pointers: every one comes back as EFAULT, nothing else happens. */
    void *bad[] = {NULL, (void *)0xc0000000, mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), (void *)0x1000};
    for (int i = 0; i < 4; i++) {
        void *p = bad[i];
        printf("pointer %d:\n", i);
        T("  stat64 buf", syscall(SYS_stat64, "d", p));
        T("  lstat64 name", syscall(SYS_lstat64, p, &s));
        T("  fstatat64 buf", syscall(SYS_fstatat64, AT_FDCWD, "d", p, 0));
        T("  statx buf", syscall(SYS_statx, AT_FDCWD, "d", 0, 0x7ff, p));
        T("  openat name", syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
        T("  mkdir name", syscall(SYS_mkdir, p, 0755));
        T("  getcwd buf", syscall(SYS_getcwd, p, 4096));
        T("  readlink buf", syscall(SYS_readlink, "d/l", p, 100));
        int dd = open("d", O_RDONLY | O_DIRECTORY);
        T("  getdents64 buf", syscall(SYS_getdents64, dd, p, 4096));
        T("  getdents64 after", syscall(SYS_getdents64, dd, buf, sizeof buf) > 0);
        close(dd);
        T("  utimensat times", syscall(SYS_utimensat, AT_FDCWD, "d/f", p, 0));
        T("  clock_gettime", syscall(SYS_clock_gettime, CLOCK_REALTIME, p));
        T("  clock_gettime64", syscall(403, CLOCK_REALTIME, p));
        T("  sysinfo", syscall(SYS_sysinfo, p));
        T("  getrandom", syscall(SYS_getrandom, p, 16, 0));
        T("  rename new", syscall(SYS_rename, "d/f", p));
        T("  symlink target", syscall(SYS_symlink, p, "d/sym"));
        int sf = open("d/f", O_RDONLY), so = open("/dev/null", O_WRONLY);
        T("  sendfile64 offset", syscall(SYS_sendfile64, so, sf, p, 4));
        close(sf); close(so);
        T("  statfs64 buf", syscall(SYS_statfs64, "d", 84, p));
    }
    st("stat", "d/f", 1);
    T("posix_fadvise", syscall(SYS_fadvise64_64, open("d/f", O_RDONLY), 0, 0, 0, 0, POSIX_FADV_SEQUENTIAL));
    T("fadvise bad advice", syscall(SYS_fadvise64_64, open("d/f", O_RDONLY), 0, 0, 0, 0, 99));
    int pp[2];
    pipe(pp);
    T("fadvise pipe", syscall(SYS_fadvise64_64, pp[0], 0, 0, 0, 0, POSIX_FADV_SEQUENTIAL));
    T("lgetxattr", syscall(SYS_lgetxattr, "d/f", "user.x", buf, 10));
    T("lgetxattr missing", syscall(SYS_lgetxattr, "d/zz", "user.x", buf, 10));
    T("llistxattr", syscall(SYS_llistxattr, "d/f", buf, 100));
    struct timeval tv[2] = {{1500000000, 7}, {1600000000, 999999}};
    T("utimes", utimes("d/f", tv));
    stat("d/f", &s);
    printf("  mtime %ld atime %ld mtime ns %ld\n", (long)s.st_mtime, (long)s.st_atime, (long)s.st_mtim.tv_nsec);
    tv[0].tv_usec = 1000000;
    T("utimes bad usec", utimes("d/f", tv));
    T("unlink dang", unlink("dang"));
    T("symlinkat", symlinkat("/", dfd, "toroot"));
    st("stat", "d/toroot/", 1);
    return 0;
}
