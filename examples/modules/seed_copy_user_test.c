/* seed_copy_user_test.c - the user side of seed_copy_user.c: writes to /dev/seed_copy from a good
 * buffer, from a buffer whose last bytes lie in an unmapped page, and from NULL, and reads back
 * what the device kept. Built with the examples' runtime (examples/c/runtime). */
#include "rt.h"

#define SYS_open 5
#define SYS_ioctl 54
#define SYS_close 6
#define SYS_munmap 91
#define SYS_mmap2 192
#define O_RDWR 2
#define PROT_RW 3
#define MAP_PRIVATE_ANON 0x22

static char back[8192];

int main(void)
{
    int fd = SYS(SYS_open, "/dev/seed_copy", O_RDWR, 0);
    printf("open: %d\n", fd >= 0 ? 0 : fd);

    static const char msg[] = "hello from user space";
    long n = sys_write(fd, msg, sizeof msg);
    printf("good buffer: %ld of %d\n", n, (int)sizeof msg);
    n = sys_read(fd, back, sizeof back);
    printf("read back: %ld \"%s\"\n", n, back);

    /* Two pages, the second unmapped: 100 readable bytes, then the hole. */
    char *p = (char *)SYS(SYS_mmap2, 0, 8192, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
    SYS(SYS_munmap, p + 4096, 4096, 0);
    for (int i = 0; i < 100; i++) p[4096 - 100 + i] = 'a' + i % 26;
    n = sys_write(fd, p + 4096 - 100, 300);
    printf("buffer ending in an unmapped page: %ld of 300\n", n);
    n = sys_read(fd, NULL, 16);
    printf("read into NULL: %ld\n", n);
    n = sys_read(fd, back, sizeof back);
    printf("read back: %ld, last byte '%c'\n", n, back[n - 1]);

    int i = 41;
    unsigned long kept = 0;
    printf("get_user: %ld, from NULL: %ld\n", SYS(SYS_ioctl, fd, 0, &i), SYS(SYS_ioctl, fd, 0, 0));
    n = SYS(SYS_ioctl, fd, 1, &kept);
    printf("put_user: %ld, count %lu, to NULL: %ld\n", n, kept, SYS(SYS_ioctl, fd, 1, 0));

    n = sys_write(fd, NULL, 16);
    printf("NULL: %ld\n", n);
    SYS(SYS_close, fd, 0, 0);
    return 0;
}
