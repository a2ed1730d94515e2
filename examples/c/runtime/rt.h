/* The examples' runtime: just enough of libc for freestanding test programs. */
#ifndef RT_H
#define RT_H

#include <stdarg.h>

typedef unsigned int size_t;
typedef int ssize_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;

#define NULL ((void *)0)

/* Linux i386 system calls through int $0x80. */
ssize_t sys_write(int fd, const void *buf, size_t n);
ssize_t sys_read(int fd, void *buf, size_t n);
void *sys_brk(void *addr);
__attribute__((noreturn)) void sys_exit(int status);

/* Any system call: number, then up to six arguments (unused ones are ignored). */
long sys_call(long nr, long a, long b, long c, long d, long e, long f);
#define SYS(nr, ...) sys_call_n(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys_call_n(nr, a, b, c, d, e, f, ...) sys_call((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
/* Signal restorers for SA_RESTORER: sigreturn (plain frames), rt_sigreturn (SA_SIGINFO frames). */
void sys_restore(void);
void sys_restore_rt(void);

/* Flushes stdout, then exits. */
__attribute__((noreturn)) void exit(int status);

/* Heap from brk; never freed (the programs are short). */
void *malloc(size_t n);

/* gcc may emit calls to these even in freestanding code. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Buffered stdout; exit() flushes it. */
void putch(int c);
void puts_(const char *s);
void flush(void);

/* printf subset: flags - 0 + space, width, conversions d i u x X o c s p %,
 * length modifiers l (32-bit) and ll (64-bit). */
int printf(const char *fmt, ...);
int vformat(char *out, size_t cap, const char *fmt, va_list ap);
int snprintf(char *out, size_t cap, const char *fmt, ...);

/* Decimal argument parsing: argv[i] or a default when absent or malformed. */
long parse_arg(int argc, char **argv, int i, long dflt);

#endif
