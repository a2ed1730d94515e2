/* Integer C that makes gcc -m32 use much of the ISA; GccOutputTest disassembles what gcc makes of it. */
#include <stdint.h>
#include <stddef.h>

struct big { int a[20]; char tail[3]; };

uint64_t mul64(uint64_t a, uint64_t b) { return a * b / (b | 1) + (a >> 13) + (b << 7); }
int64_t smod64(int64_t a, int64_t b) { return a % (b | 1) - (a >> 40); }
unsigned bits(unsigned x) { return __builtin_ctz(x | 8) + __builtin_clz(x | 1) + __builtin_popcount(x) + __builtin_parity(x); }
unsigned swap32(unsigned x) { return __builtin_bswap32(x) ^ (x << 5 | x >> 27); }
uint16_t swap16(uint16_t x) { return __builtin_bswap16(x); }
int table(int x) {
    switch (x) { case 0: return 3; case 1: return 7; case 2: return 11; case 3: return 19; case 4: return 23;
                 case 5: return 99; case 6: return -5; default: return -1; }
}
void copy(struct big *d, const struct big *s) { *d = *s; }
void clear(struct big *d) { *d = (struct big){0}; }
int atomics(int *p, int o, int n) {
    return __sync_val_compare_and_swap(p, o, n) + __sync_fetch_and_add(p, 3) + __sync_lock_test_and_set(p, 9)
           + __sync_add_and_fetch(p, 1) + (__sync_fetch_and_or(p, 4) & 1);
}
int64_t cas64(int64_t *p, int64_t o, int64_t n) { return __sync_val_compare_and_swap(p, o, n); }
int maxi(int a, int b) { return a > b ? a : b; }
unsigned minu(unsigned a, unsigned b) { return a < b ? a : b; }
short shorts(short *p, signed char c, unsigned char u) { return p[c] * u + (p[1] >> 3) - (short)(u << 2); }
int cmp(int a, int b) { return (a < b) + 2 * (a == b) + 4 * ((unsigned)a > (unsigned)b); }
size_t len(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
int sum(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i] * (i & 3); return s; }
int divs(int a, int b) { return a / b + a % 7 + (unsigned)a / 10 + (a >> 31); }
int rot(unsigned x, int n) { return (x << n) | (x >> (32 - n)); }
long long shifts(long long x, int n) { return (x << n) ^ (x >> n) ^ ((unsigned long long)x >> (n & 31)); }
int bittest(unsigned *a, int i) { return (a[i >> 5] >> (i & 31)) & 1; }
void setbit(unsigned *a, int i) { a[i >> 5] |= 1u << (i & 31); }
static int helper(int x) __attribute__((noinline));
static int helper(int x) { return x * 37 + 11; }
int indirect(int (*f)(int), int x) { return f(x) + helper(x); }
int varsum(int n, ...) { __builtin_va_list ap; __builtin_va_start(ap, n); int s = 0;
    for (int i = 0; i < n; i++) s += __builtin_va_arg(ap, int); __builtin_va_end(ap); return s; }
void *stack(int n) { char *p = __builtin_alloca(n); p[0] = 1; return (void *) (size_t) p[n / 2]; }
unsigned char sat(int x) { return x < 0 ? 0 : x > 255 ? 255 : x; }
int abs32(int x) { return x < 0 ? -x : x; }
