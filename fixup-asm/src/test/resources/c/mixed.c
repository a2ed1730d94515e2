#include <stdarg.h>
static int counter;
int table[16] = {1,2,3};
const char *names[] = {"alpha", "beta", "gamma"};
struct s { int a; char b; long long c; } gs;
extern int ext_fn(int);
static int helper(int x) { return x * 3 + counter++; }
int crc32(const unsigned char *p, int n) {
    unsigned c = ~0u;
    for (int i = 0; i < n; i++) { c ^= p[i]; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & -(c & 1)); }
    return ~c;
}
long long mul64(long long a, long long b) { return a * b / 7; }
int sw(int x) { switch (x) { case 0: return 5; case 1: return 9; case 2: return 11; case 3: return 15; case 4: return 2; case 5: return 99; default: return helper(x); } }
int sum(int n, ...) { va_list ap; va_start(ap, n); int s = 0; while (n--) s += va_arg(ap, int); va_end(ap); return s; }
void sortit(int *a, int n) { for (int i = 1; i < n; i++) { int v = a[i], j = i - 1; while (j >= 0 && a[j] > v) { a[j+1] = a[j]; j--; } a[j+1] = v; } }
int callext(int x) { return ext_fn(x) + names[x & 1][0] + table[x & 15] + gs.b; }
char buf[100];
