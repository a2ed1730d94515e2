/* Integer formatting: signed, unsigned, hex and octal with flags and widths, 32 and 64 bits,
 * including the extremes. Also a hand-written itoa checked against printf. */
#include "rt.h"

static const int32_t s32[] = { 0, 1, -1, 7, -42, 1000000, -2147483647 - 1, 2147483647 };
static const uint32_t u32[] = { 0, 9, 10, 255, 65535, 0x80000000u, 0xDEADBEEFu, 0xFFFFFFFFu };
static const int64_t s64[] = { 0, -1, 4294967296ll, -4294967297ll,
                               -9223372036854775807ll - 1, 9223372036854775807ll };
static const uint64_t u64[] = { 0, 4294967295ull, 4294967296ull, 10000000000000000000ull,
                                0xFFFFFFFFFFFFFFFFull };

/* Decimal by repeated division, written independently of vformat's digit loop. */
static char *itoa(int32_t v, char *end)
{
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    *--end = 0;
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--end = '-';
    return end;
}

int main(void)
{
    int bad = 0;
    char buf[64], mine[16];
    for (unsigned i = 0; i < sizeof s32 / sizeof *s32; i++) {
        int32_t v = s32[i];
        printf("[%d] [%5d] [%-6d|] [%+d] [% d] [%08d] [%x] [%X] [%o]\n",
               v, v, v, v, v, v, v, v, v);
        snprintf(buf, sizeof buf, "%d", v);
        if (strcmp(buf, itoa(v, mine + sizeof mine)) != 0) {
            printf("mismatch %s %s\n", buf, itoa(v, mine + sizeof mine));
            bad++;
        }
    }
    for (unsigned i = 0; i < sizeof u32 / sizeof *u32; i++) {
        uint32_t v = u32[i];
        printf("[%u] [%10u] [%08x] [0x%x] [%lx] [%o]\n", v, v, v, v, (unsigned long)v, v);
    }
    for (unsigned i = 0; i < sizeof s64 / sizeof *s64; i++)
        printf("[%lld] [%22lld] [%-22lld|] [%llx]\n", s64[i], s64[i], s64[i], s64[i]);
    for (unsigned i = 0; i < sizeof u64 / sizeof *u64; i++)
        printf("[%llu] [%016llX] [%llo]\n", u64[i], u64[i], u64[i]);
    printf("[%c%c%c] [%s] [%-5s|] [%5s] [%p] [%%]\n", 'a', 'b', 'c', "str", "ab", "cd", (void *)0x1234);
    int n = snprintf(buf, 8, "%d-%d", 123456, 789);
    printf("truncated [%s] full length %d\n", buf, n);
    printf("bad %d\n", bad);
    return bad ? 1 : 42;
}
