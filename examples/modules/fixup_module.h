/* fixup_module.h - what a Fixup kernel module may use: the exported symbols of the kernel.
 *
 * Build: gcc -m32 -c -O2 -ffreestanding -fno-pic -fno-stack-protector NAME.c -o NAME.o
 * (-fno-stack-protector: the kernel has no canary in %gs), then  fixup run --module NAME.o PROGRAM.
 */
#ifndef FIXUP_MODULE_H
#define FIXUP_MODULE_H

typedef unsigned long size_t;
typedef long ssize_t;

#define EFAULT 14
#define EINVAL 22
#define ENOMEM 12

/* The module's name (else the source file's): a "name=" string in .modinfo. */
#define MODINFO(tag, text) \
    static const char __modinfo_##tag[] __attribute__((section(".modinfo"), used, aligned(1))) = text
#define MODULE_NAME(n) MODINFO(name, "name=" n)
/* The loader runs init_module and, on unload, cleanup_module: these make them other names for fn. */
#define module_init(fn) int init_module(void) __attribute__((alias(#fn)))
#define module_exit(fn) void cleanup_module(void) __attribute__((alias(#fn)))

/* Java services of the kernel. */
int printk(const char *fmt, ...);
void *kmalloc(size_t size, int flags);
void kfree(const void *p);
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
#define GFP_KERNEL 0

/* Guest routines of uaccess.S, with the kernel's own exception-table entries. */
unsigned long copy_from_user(void *to, const void *from, unsigned long n);
unsigned long copy_to_user(void *to, const void *from, unsigned long n);
unsigned long clear_user(void *to, unsigned long n);
long strncpy_from_user(char *dst, const char *src, long count);
long strnlen_user(const char *s, long n);

/* get_user(x, ptr) and put_user(x, ptr): calls into the kernel's __get_user_N / __put_user_N, whose
 * faulting instructions are listed in the kernel's own __ex_table (address in %eax, value in %edx,
 * 0 or -EFAULT back in %eax; __put_user_N clobbers %ecx). Sizes 1, 2 and 4. */
#define __get_user_n(n, ret, val, ptr) \
    __asm__ volatile("call __get_user_" #n : "=a"(ret), "=d"(val) : "0"(ptr) : "memory")
#define get_user(x, ptr) ({                                                        \
    int __gu_ret; unsigned long __gu_val;                                          \
    switch (sizeof(*(ptr))) {                                                      \
    case 1: __get_user_n(1, __gu_ret, __gu_val, ptr); break;                       \
    case 2: __get_user_n(2, __gu_ret, __gu_val, ptr); break;                       \
    default: __get_user_n(4, __gu_ret, __gu_val, ptr); break;                      \
    }                                                                              \
    (x) = (__typeof__(*(ptr)))__gu_val;                                            \
    __gu_ret; })
#define __put_user_n(n, ret, val, ptr) \
    __asm__ volatile("call __put_user_" #n : "=a"(ret) : "0"(ptr), "d"(val) : "ecx", "memory")
#define put_user(x, ptr) ({                                                        \
    int __pu_ret; unsigned long __pu_val = (unsigned long)(x);                     \
    switch (sizeof(*(ptr))) {                                                      \
    case 1: __put_user_n(1, __pu_ret, __pu_val, ptr); break;                       \
    case 2: __put_user_n(2, __pu_ret, __pu_val, ptr); break;                       \
    default: __put_user_n(4, __pu_ret, __pu_val, ptr); break;                      \
    }                                                                              \
    __pu_ret; })

/* access_ok(addr, size) under USER_DS: the range must end at or below 0xc0000000 without wrapping. */
#define access_ok(addr, size) \
    ((unsigned long)(addr) + (unsigned long)(size) >= (unsigned long)(addr) && \
     (unsigned long)(addr) + (unsigned long)(size) <= 0xc0000000UL)

struct file_operations {
    int (*open)(void);
    int (*release)(void);
    ssize_t (*read)(char *ubuf, size_t count);
    ssize_t (*write)(const char *ubuf, size_t count);
    long (*ioctl)(unsigned int cmd, unsigned long arg);
};

struct miscdevice {
    int minor;
    const char *name;
    const struct file_operations *fops;
};

int misc_register(struct miscdevice *misc);
int misc_deregister(struct miscdevice *misc);

#endif
