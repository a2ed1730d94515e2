/* seed_copy_user.c - the first seed's __copy_user macro in a module, compiled by gcc.
 *
 * /dev/seed_copy keeps the last bytes written to it and reads them back. write() copies from the
 * user's buffer with the seed's macro: rep movsl, then rep movsb for the rest, each with its own
 * entry in THIS module's __ex_table. When the source runs into an unmapped page the repair code
 * (3:) turns the dwords left in %ecx back into bytes, so the count of bytes not copied is exact
 * to the dword, and write returns what arrived; -EFAULT when nothing did.
 */
#include "fixup_module.h"

MODULE_NAME("seed_copy_user");

#define __copy_user(to, from, size)                                   \
do {                                                                  \
    int __d0, __d1;                                                   \
    __asm__ __volatile__(                                             \
        "0:	rep; movsl\n"                                            \
        "	movl %3,%0\n"                                            \
        "1:	rep; movsb\n"                                            \
        "2:\n"                                                        \
        ".section .fixup,\"ax\"\n"                                    \
        "3:	lea 0(%3,%0,4),%0\n"                                     \
        "	jmp 2b\n"                                                \
        ".previous\n"                                                 \
        ".section __ex_table,\"a\"\n"                                 \
        "	.align 4\n"                                              \
        "	.long 0b,3b\n"                                           \
        "	.long 1b,2b\n"                                           \
        ".previous"                                                   \
        : "=&c"(size), "=&D"(__d0), "=&S"(__d1)                       \
        : "r"(size & 3), "0"(size / 4), "1"(to), "2"(from)            \
        : "memory");                                                  \
} while (0)

#define CAPACITY 8192

static char *store;
static unsigned long stored;

static ssize_t seed_write(const char *ubuf, size_t count)
{
    unsigned long left = count;
    if (count > CAPACITY)
        return -EINVAL;
    if (!access_ok(ubuf, count))
        return -EFAULT;
    __copy_user(store, ubuf, left);
    stored = count - left;
    if (stored == 0 && count != 0)
        return -EFAULT;
    return stored;
}

static ssize_t seed_read(char *ubuf, size_t count)
{
    unsigned long n = count < stored ? count : stored;
    unsigned long left = copy_to_user(ubuf, store, n);
    if (left == n && n != 0)
        return -EFAULT;
    return n - left;
}

/* ioctl(fd, SEED_GET_INT, &i) answers *i + 1; ioctl(fd, SEED_PUT_COUNT, &n) stores the byte count
 * kept. Both go through the kernel's get_user/put_user: the kernel's table entries, not ours. */
#define SEED_GET_INT 0
#define SEED_PUT_COUNT 1

static long seed_ioctl(unsigned int cmd, unsigned long arg)
{
    int v;
    switch (cmd) {
    case SEED_GET_INT:
        if (get_user(v, (int *)arg))
            return -EFAULT;
        return v + 1;
    case SEED_PUT_COUNT:
        return put_user(stored, (unsigned long *)arg);
    default:
        return -EINVAL;
    }
}

static const struct file_operations seed_fops = {
    .read = seed_read,
    .write = seed_write,
    .ioctl = seed_ioctl,
};

static struct miscdevice seed_dev = { 0, "seed_copy", &seed_fops };

static int seed_init(void)
{
    int r;
    store = kmalloc(CAPACITY, GFP_KERNEL);
    if (!store)
        return -ENOMEM;
    r = misc_register(&seed_dev);
    if (r < 0) {
        kfree(store);
        return r;
    }
    printk("<6>seed_copy_user: /dev/%s ready, %d bytes at %p\n", seed_dev.name, CAPACITY, store);
    return 0;
}

static void seed_exit(void)
{
    misc_deregister(&seed_dev);
    kfree(store);
    printk("<6>seed_copy_user: gone\n");
}

module_init(seed_init);
module_exit(seed_exit);
