/* 64-bit integer arithmetic: mul, div, mod, shifts, compares, on uint64_t and int64_t.
 * Fixed cases print exact results; then argv[1] rounds (default 2000) of a mixing loop
 * over an LCG stream print a checksum. Division goes through libgcc's __udivdi3 & co. */
#include "rt.h"

static uint64_t lcg = 0x0123456789ABCDEFull;

static uint64_t next(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return lcg;
}

/* noinline keeps gcc from folding the fixed cases at compile time */
__attribute__((noinline)) static void show_u(uint64_t a, uint64_t b)
{
    printf("u %016llx %016llx: mul %016llx div %llu mod %llu\n", a, b, a * b, a / b, a % b);
    printf("  shl %016llx shr %016llx lt %d le %d eq %d\n",
           a << (b & 63), a >> (b & 63), a < b, a <= b, a == b);
}

__attribute__((noinline)) static void show_s(int64_t a, int64_t b)
{
    printf("s %lld %lld: mul %lld div %lld mod %lld\n", a, b, (int64_t)((uint64_t)a * (uint64_t)b), a / b, a % b);
    printf("  sar %lld lt %d gt %d neg %lld\n", a >> (b & 63), a < b, a > b, (int64_t)(0 - (uint64_t)a));
}

/* One round mixes every operation; shift counts vary over the whole 0..63 range. */
__attribute__((noinline)) static uint64_t mix(uint64_t h, uint64_t x, uint64_t y)
{
    int64_t sx = (int64_t)x, sy = (int64_t)(y | 1);
    unsigned s = (unsigned)(x >> 58);
    h ^= x * y;
    h += x / (y | 1);
    h ^= x % ((y >> 7) | 1);
    h += (uint64_t)(sx / ((sy >> (s & 31)) | 1));
    h ^= (uint64_t)(sx % (sy >> 40 | 1));
    h += (x << s) ^ (y >> s) ^ (uint64_t)(sx >> s);
    h = (h << 13) | (h >> 51);
    if (x < y)
        h += 0x9E3779B97F4A7C15ull;
    if (sx < sy)
        h ^= 0xC2B2AE3D27D4EB4Full;
    if ((uint32_t)x == (uint32_t)y)
        h = ~h;
    return h;
}

int main(int argc, char **argv)
{
    long rounds = parse_arg(argc, argv, 1, 2000);
    show_u(0xFFFFFFFFFFFFFFFFull, 3);
    show_u(0x123456789ABCDEF0ull, 0x100000000ull);
    show_u(0x8000000000000000ull, 0xFFFFFFFFull);
    show_u(1000000000000ull, 999999ull);
    show_u(5, 0x7FFFFFFFFFFFFFFFull);
    show_s(-9223372036854775807ll - 1, -3);
    show_s(-1000000000000ll, 7);
    show_s(123456789012345ll, -1000);
    show_s(-5, 2);
    show_s(0x7FFFFFFFFFFFFFFFll, 0x100000001ll);
    uint64_t h = 0;
    for (long r = 0; r < rounds; r++) {
        uint64_t x = next(), y = next();
        if (r & 1)
            y >>= (unsigned)(x & 63); /* small divisors too */
        h = mix(h, x, y);
    }
    printf("rounds %ld hash %016llx %llu %lld\n", rounds, h, h, (int64_t)h);
    return (int)(h >> 57);
}
