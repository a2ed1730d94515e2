/* A little stack-machine interpreter. Bytecode is assembled at run time by a tiny
 * assembler with forward-label fixups, then runs recursive fib(n), the collatz steps
 * of 27 and a trial-division prime count. argv[1] = n (default 18); the prime bound
 * is 400 * n. Exit status: the prime count & 0xff. */
#include "rt.h"

enum op {
    HALT, PUSH, POP, DUP, LOCAL, SETLOCAL, ENTER, ADD, SUB, MUL, DIV, MOD,
    LT, EQ, JMP, JZ, CALL, RET, PRINT
};

/* ---- assembler ---- */
#define MAXCODE 512
#define MAXLABEL 32
static int32_t code[MAXCODE];
static int ncode;
static int label_at[MAXLABEL];
static struct { int at, label; } fixups[64];
static int nfixups;

static void emit(int32_t w) { code[ncode++] = w; }
static void op0(enum op o) { emit(o); }
static void op1(enum op o, int32_t a) { emit(o); emit(a); }
static void mark(int l) { label_at[l] = ncode; }

/* A branch to a label that may not be placed yet: patched by link(). */
static void jump(enum op o, int l)
{
    emit(o);
    fixups[nfixups].at = ncode;
    fixups[nfixups++].label = l;
    emit(-1);
}

static void call(int l, int nargs)
{
    jump(CALL, l);
    emit(nargs);
}

static void link(void)
{
    for (int i = 0; i < nfixups; i++)
        code[fixups[i].at] = label_at[fixups[i].label];
}

/* ---- interpreter ---- */
#define STACK 4096
static int32_t stack[STACK];
static struct { int ret, fp; } frames[1024];
static uint64_t steps;

static int32_t run(int pc)
{
    int sp = 0, fp = 0, depth = 0;
    for (;;) {
        steps++;
        int32_t a, b;
        switch (code[pc++]) {
        case HALT: return sp ? stack[sp - 1] : 0;
        case PUSH: stack[sp++] = code[pc++]; break;
        case POP: sp--; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case LOCAL: stack[sp++] = stack[fp + code[pc++]]; break;
        case SETLOCAL: stack[fp + code[pc++]] = stack[--sp]; break;
        case ENTER: for (a = code[pc++]; a > 0; a--) stack[sp++] = 0; break;
        case ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a + b; break;
        case SUB: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a - b; break;
        case MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a * b; break;
        case DIV: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a / b; break;
        case MOD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a % b; break;
        case LT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a < b; break;
        case EQ: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a == b; break;
        case JMP: pc = code[pc]; break;
        case JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case CALL:
            frames[depth].ret = pc + 2;
            frames[depth++].fp = fp;
            fp = sp - code[pc + 1];
            pc = code[pc];
            break;
        case RET:
            a = stack[--sp];
            sp = fp;
            fp = frames[--depth].fp;
            pc = frames[depth].ret;
            stack[sp++] = a;
            break;
        case PRINT: printf("vm: %d\n", stack[--sp]); break;
        default:
            printf("vm: bad opcode at %d\n", pc - 1);
            return -1;
        }
    }
}

enum { L_FIB, L_FIB_REC, L_PRIMES, L_OUTER, L_INNER, L_PRIME, L_NEXT, L_DONE,
       L_COLLATZ, L_C_LOOP, L_C_EVEN, L_C_STEP, L_C_DONE };

/* fib(n) = n < 2 ? n : fib(n-1) + fib(n-2) */
static void asm_fib(void)
{
    mark(L_FIB);
    op1(LOCAL, 0); op1(PUSH, 2); op0(LT); jump(JZ, L_FIB_REC);
    op1(LOCAL, 0); op0(RET);
    mark(L_FIB_REC);
    op1(LOCAL, 0); op1(PUSH, 1); op0(SUB); call(L_FIB, 1);
    op1(LOCAL, 0); op1(PUSH, 2); op0(SUB); call(L_FIB, 1);
    op0(ADD); op0(RET);
}

/* primes(m): how many p in [2, m) have no divisor d with d*d <= p.
 * locals: 0 m, 1 count, 2 p, 3 d */
static void asm_primes(void)
{
    mark(L_PRIMES);
    op1(ENTER, 3);
    op1(PUSH, 2); op1(SETLOCAL, 2);
    mark(L_OUTER);
    op1(LOCAL, 2); op1(LOCAL, 0); op0(LT); jump(JZ, L_DONE);
    op1(PUSH, 2); op1(SETLOCAL, 3);
    mark(L_INNER);
    op1(LOCAL, 3); op0(DUP); op0(MUL); op1(LOCAL, 2); op1(PUSH, 1); op0(ADD); op0(LT);
    jump(JZ, L_PRIME);
    op1(LOCAL, 2); op1(LOCAL, 3); op0(MOD); jump(JZ, L_NEXT);
    op1(LOCAL, 3); op1(PUSH, 1); op0(ADD); op1(SETLOCAL, 3); jump(JMP, L_INNER);
    mark(L_PRIME);
    op1(LOCAL, 1); op1(PUSH, 1); op0(ADD); op1(SETLOCAL, 1);
    mark(L_NEXT);
    op1(LOCAL, 2); op1(PUSH, 1); op0(ADD); op1(SETLOCAL, 2); jump(JMP, L_OUTER);
    mark(L_DONE);
    op1(LOCAL, 1); op0(RET);
}

/* collatz(x): steps until x reaches 1. locals: 0 x, 1 steps */
static void asm_collatz(void)
{
    mark(L_COLLATZ);
    op1(ENTER, 1);
    mark(L_C_LOOP);
    op1(LOCAL, 0); op1(PUSH, 1); op0(EQ); op1(PUSH, 0); op0(EQ); jump(JZ, L_C_DONE);
    op1(LOCAL, 0); op1(PUSH, 2); op0(MOD); jump(JZ, L_C_EVEN);
    op1(LOCAL, 0); op1(PUSH, 3); op0(MUL); op1(PUSH, 1); op0(ADD); op1(SETLOCAL, 0);
    jump(JMP, L_C_STEP);
    mark(L_C_EVEN); /* reached when x % 2 == 0 (MOD gave 0): halve */
    op1(LOCAL, 0); op1(PUSH, 2); op0(DIV); op1(SETLOCAL, 0);
    mark(L_C_STEP);
    op1(LOCAL, 1); op1(PUSH, 1); op0(ADD); op1(SETLOCAL, 1); jump(JMP, L_C_LOOP);
    mark(L_C_DONE);
    op1(LOCAL, 1); op0(RET);
}

int main(int argc, char **argv)
{
    int n = (int)parse_arg(argc, argv, 1, 18);
    /* main program first, at address 0 */
    op1(PUSH, n); call(L_FIB, 1); op0(PRINT);
    op1(PUSH, 27); call(L_COLLATZ, 1); op0(PRINT);
    op1(PUSH, 400 * n); call(L_PRIMES, 1); op0(DUP); op0(PRINT);
    op0(HALT);
    asm_fib();
    asm_primes();
    asm_collatz();
    link();
    printf("n %d code %d words, %d fixups\n", n, ncode, nfixups);
    int32_t r = run(0);
    printf("result %d after %llu steps\n", r, steps);
    return r & 0xff;
}
