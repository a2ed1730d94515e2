/* CRC-32 (IEEE, reflected, table-driven) over a generated buffer.
 * argv[1] = rounds (default 4); each round regenerates the buffer from a new seed. */
#include "rt.h"

#define BUF_SIZE (64 * 1024)

static uint32_t table[256];
static uint8_t buf[BUF_SIZE];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--)
        c = table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return ~c;
}

/* xorshift32: cheap and deterministic */
static void fill(uint32_t seed)
{
    uint32_t x = seed ? seed : 1;
    for (size_t i = 0; i < BUF_SIZE; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)(x >> 11);
    }
}

int main(int argc, char **argv)
{
    long rounds = parse_arg(argc, argv, 1, 4);
    make_table();
    /* The standard check value: CRC-32 of "123456789" is cbf43926. */
    printf("check %08x\n", crc32((const uint8_t *)"123456789", 9));
    uint32_t all = 0;
    for (long r = 0; r < rounds; r++) {
        fill(0x9E3779B9u * (uint32_t)(r + 1));
        uint32_t c = crc32(buf, BUF_SIZE);
        all ^= c + (uint32_t)r;
        if (r < 8 || r == rounds - 1)
            printf("round %ld crc %08x\n", r, c);
    }
    printf("rounds %ld combined %08x\n", rounds, all);
    return all & 0x7f;
}
