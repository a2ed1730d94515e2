/* Floating-point workload: gcc -m32 -O2 keeps doubles on the x87. Each round mixes arithmetic
 * (a polynomial by Horner's rule, divisions), sqrt (inline fsqrt), libm's sin and exp, and
 * formats doubles with snprintf (glibc's printf converts on the x87 too). The checksum is
 * printed with 10 significant digits: the host's libm may take its SSE2 variants, which can
 * differ from the x87 ones in the last bits. Usage: fpbench [ROUNDS] (default 20000). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20000;
    double sum = 0, norm = 0, trig = 0;
    long digits = 0;
    char buf[64];
    for (int i = 1; i <= rounds; i++) {
        double x = i * 0.001;
        double p = ((((0.5 * x - 1.25) * x + 3.0) * x - 0.75) * x + 2.0);
        sum += p / (1.0 + x * x);
        for (int k = 1; k <= 8; k++) norm += sqrt(x * k + 1.0) / k;
        trig += sin(x) * exp(-x * 0.01);
        if (i % 4 == 0) digits += snprintf(buf, sizeof buf, "%.12g %f", p, trig);
    }
    printf("rounds %d\nsum %.10g\nnorm %.10g\ntrig %.10g\ndigits %ld\n", rounds, sum, norm, trig, digits);
    return 0;
}
