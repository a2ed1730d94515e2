/* no_fixup_test.c - the user side of no_fixup.c: a good buffer works; NULL oopses the module and
 * kills this task (status 139), so the second line never appears. */
#include "rt.h"

int main(void)
{
    int fd = SYS(5, "/dev/no_fixup", 1, 0);
    long n = sys_write(fd, "\1\2\3", 3);
    printf("good buffer: %ld\n", n);
    flush();
    n = sys_write(fd, NULL, 4);
    printf("NULL: %ld (the oops should have killed us)\n", n);
    return 0;
}
