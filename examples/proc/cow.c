/* Copy-on-write after fork: parent and child each see their own copy after a write, whichever
 * writes first, for the data segment, the heap, the stack and an anonymous mapping; a vfork child
 * shares its parent's memory until it exits. */
#include "proc.h"

static int data_word = 1;
static volatile int shared_word;

static __attribute__((noreturn, used)) void vfork_child(void)
{
    shared_word = 1234;
    _exit(3);
}

int main(void)
{
    int stack_word = 2;
    int *heap = malloc(64 * 1024);
    int *anon = mmap_anon(NULL, 8192, 3, 0);
    for (int i = 0; i < 16384; i++)
        heap[i] = i;
    anon[0] = 3;
    anon[1024] = 4;
    flush();
    int p[2];
    pipe(p);
    int pid = fork();
    if (pid == 0) {
        data_word = 10;
        stack_word = 20;
        heap[100] = -1;
        anon[1024] = 40;
        char ok = data_word == 10 && stack_word == 20 && heap[100] == -1 && heap[101] == 101 && anon[0] == 3 && anon[1024] == 40;
        wr(p[1], &ok, 1);
        _exit(0);
    }
    char child_ok = 0;
    rd(p[0], &child_ok, 1);
    int status;
    waitpid(pid, &status, 0);
    printf("child saw its own writes: %d\n", child_ok);
    printf("parent keeps its values: %d %d %d %d %d\n", data_word, stack_word, heap[100], anon[0], anon[1024]);

    /* The parent writes first this time; the child must still see the old value. */
    flush();
    pid = fork();
    if (pid == 0) {
        struct { long s, ns; } t = { 0, 200000000 };
        SYS(NR_nanosleep, &t, 0);
        char ok = data_word == 1 && heap[5] == 5;
        wr(p[1], &ok, 1);
        _exit(0);
    }
    data_word = 99;
    heap[5] = 55;
    rd(p[0], &child_ok, 1);
    waitpid(pid, &status, 0);
    printf("child kept the pre-fork values: %d; parent: %d %d\n", child_ok, data_word, heap[5]);

    /* clone(CLONE_VM | CLONE_VFORK) on a stack of its own, as posix_spawn does: the child borrows
     * the parent's memory, and the parent sleeps until the child exits. */
    static unsigned long child_stack[1024];
    unsigned long *sp = child_stack + 1024 - 8;
    sp[4] = (unsigned long)vfork_child;      /* sys_call pops ebp edi esi ebx, then returns here */
    flush();
    pid = SYS(120, 0x4000 | 0x100 | SIGCHLD, sp, 0, 0, 0);
    waitpid(pid, &status, 0);
    printf("vfork child wrote %d and exited %d\n", shared_word, WEXITSTATUS(status));

    /* Many generations: fork, write, exit, wait. */
    int sum = 0;
    for (int i = 0; i < 200; i++) {
        flush();
        pid = fork();
        if (pid == 0) {
            heap[1000 + i] = -i;
            _exit(heap[1000 + i] == -i && heap[1001 + i] == 1001 + i ? 7 : 8);
        }
        waitpid(pid, &status, 0);
        sum += WEXITSTATUS(status);
    }
    printf("200 children: %d, heap untouched: %d\n", sum, heap[1150] == 1150);
    return 0;
}
