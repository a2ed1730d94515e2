/* Buffered stdout and a small printf. 64-bit conversions divide uint64_t, so they
 * exercise __udivdi3/__umoddi3 from libgcc. */
#include "rt.h"

static char outbuf[4096];
static size_t outlen;

void flush(void)
{
    size_t off = 0;
    while (off < outlen) {
        ssize_t n = sys_write(1, outbuf + off, outlen - off);
        if (n <= 0)
            break;
        off += n;
    }
    outlen = 0;
}

void putch(int c)
{
    if (outlen == sizeof outbuf)
        flush();
    outbuf[outlen++] = (char)c;
}

void puts_(const char *s)
{
    while (*s)
        putch(*s++);
}

/* A sink that either fills a caller's buffer (snprintf) or stdout (out == NULL). */
struct sink {
    char *out;
    size_t cap, len;
};

static void emit(struct sink *k, char c)
{
    if (!k->out)
        putch(c);
    else if (k->len + 1 < k->cap)
        k->out[k->len] = c;
    k->len++;
}

/* Digits of v in base, least significant first; returns the count. */
static int digits(char *tmp, uint64_t v, unsigned base, int upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    if (v >> 32) {
        do {
            tmp[n++] = set[v % base];
            v /= base;
        } while (v);
    } else {
        unsigned w = (unsigned)v; /* 32-bit fast path: plain div */
        do {
            tmp[n++] = set[w % base];
            w /= base;
        } while (w);
    }
    return n;
}

int vformat(char *out, size_t cap, const char *fmt, va_list ap)
{
    struct sink k = { out, cap, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(&k, *fmt);
            continue;
        }
        int left = 0, zero = 0, plus = 0, space = 0, width = 0, lng = 0;
        for (;; fmt++) {
            char f = fmt[1];
            if (f == '-') left = 1;
            else if (f == '0') zero = 1;
            else if (f == '+') plus = 1;
            else if (f == ' ') space = 1;
            else break;
        }
        while (fmt[1] >= '0' && fmt[1] <= '9')
            width = width * 10 + (*++fmt - '0');
        while (fmt[1] == 'l')
            lng++, fmt++;
        char conv = *++fmt;
        if (!conv)
            break;
        char tmp[24], sign = 0;
        const char *str = tmp;
        int n = 0, rev = 1;
        uint64_t u;
        switch (conv) {
        case 'd': case 'i': {
            int64_t v = lng >= 2 ? va_arg(ap, int64_t) : va_arg(ap, int32_t);
            u = v < 0 ? -(uint64_t)v : (uint64_t)v;
            sign = v < 0 ? '-' : plus ? '+' : space ? ' ' : 0;
            n = digits(tmp, u, 10, 0);
            break;
        }
        case 'u': case 'x': case 'X': case 'o':
            u = lng >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t);
            n = digits(tmp, u, conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv == 'X');
            break;
        case 'p':
            u = (uint32_t)va_arg(ap, void *);
            n = digits(tmp, u, 16, 0);
            tmp[n++] = 'x';
            tmp[n++] = '0';
            break;
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            n = 1;
            break;
        case 's':
            str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            n = strlen(str);
            rev = 0;
            break;
        default: /* "%%" and unknown conversions print themselves */
            tmp[0] = conv;
            n = 1;
            break;
        }
        int len = n + (sign != 0);
        int pad = width > len ? width - len : 0;
        if (!left && !(zero && conv != 's' && conv != 'c'))
            for (; pad; pad--)
                emit(&k, ' ');
        if (sign)
            emit(&k, sign);
        if (!left)
            for (; pad; pad--)
                emit(&k, '0');
        for (int i = 0; i < n; i++)
            emit(&k, rev ? str[n - 1 - i] : str[i]);
        for (; pad; pad--)
            emit(&k, ' ');
    }
    if (out && cap)
        out[k.len < cap ? k.len : cap - 1] = 0;
    return k.len;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(NULL, 0, fmt, ap);
    va_end(ap);
    return n;
}

int snprintf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(out, cap, fmt, ap);
    va_end(ap);
    return n;
}

long parse_arg(int argc, char **argv, int i, long dflt)
{
    if (i >= argc || !argv[i][0])
        return dflt;
    long v = 0;
    for (const char *p = argv[i]; *p; p++) {
        if (*p < '0' || *p > '9')
            return dflt;
        v = v * 10 + (*p - '0');
    }
    return v;
}
