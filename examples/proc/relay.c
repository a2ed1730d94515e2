/* relay N: copies standard input to standard output, adds the line "relay N", exits with N % 256.
 * The pipeline example runs a hundred of these, one after the other, connected by pipes. */
#include "proc.h"

int main(int argc, char **argv)
{
    long n = parse_arg(argc, argv, 1, 0);
    char buf[512];
    long got;
    while ((got = rd(0, buf, sizeof buf)) > 0)
        if (wr(1, buf, got) != got)
            return 100;
    if (got < 0)
        return 101;
    printf("relay %ld\n", n);
    return (int)(n % 256);
}
