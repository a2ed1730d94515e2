/* a small stack interpreter: switch tables, strings, 64-bit arithmetic, bit tricks */
typedef unsigned long long u64;
static const char prog[] = "12+3*d4-p";
static int stack[64];
static int sp;
static char out[128];
static int outn;
static void push(int v) { stack[sp++] = v; }
static int pop(void) { return sp > 0 ? stack[--sp] : 0; }
static void emit(int v) {
    char tmp[12]; int n = 0; unsigned u = v < 0 ? -(unsigned)v : (unsigned)v;
    do { tmp[n++] = '0' + u % 10; u /= 10; } while (u);
    if (v < 0) out[outn++] = '-';
    while (n) out[outn++] = tmp[--n];
    out[outn++] = '\n';
}
int run(const char *p) {
    for (; *p; p++) {
        switch (*p) {
        case '+': push(pop() + pop()); break;
        case '-': { int b = pop(); push(pop() - b); break; }
        case '*': push(pop() * pop()); break;
        case '/': { int b = pop(); push(b ? pop() / b : 0); break; }
        case 'd': { int a = pop(); push(a); push(a); break; }
        case 'p': emit(pop()); break;
        default: if (*p >= '0' && *p <= '9') push(*p - '0');
        }
    }
    return outn;
}
u64 fib64(int n) { u64 a = 0, b = 1; while (n--) { u64 t = a + b; a = b; b = t; } return a; }
unsigned popcount(unsigned x) { unsigned c = 0; while (x) { x &= x - 1; c++; } return c; }
int main_like(void) { return run(prog) + (int)(fib64(80) >> 40) + popcount(0xf0f0); }
