/* futex(2) as glibc's locks and pthread_join use it: the value check, time-outs, wake counts,
 * FUTEX_WAKE_OP and FUTEX_CMP_REQUEUE, a waiter in another process woken through a MAP_SHARED
 * word, and the kernel's wake of clear_child_tid when a CLONE_VM child exits. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long fx(int *uaddr, int op, int val, const struct timespec *ts, int *uaddr2, int val3) {
  long r = syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
  return r < 0 ? -errno : r;
}

static int tid_word = 1;
static char stack[16384] __attribute__((aligned(16)));
static int child(void *arg) {
  struct timespec d = { 0, 30 * 1000 * 1000 };
  nanosleep(&d, NULL);
  return 0;
}

int main(void) {
  static int w = 5, w2 = 0;
  struct timespec ts = { 0, 50 * 1000 * 1000 };
  printf("wait on a changed word: %ld\n", fx(&w, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
  printf("wait with a time-out: %ld\n", fx(&w, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0));
  printf("wake with no waiter: %ld\n", fx(&w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  printf("misaligned: %ld\n", fx((int *) ((char *) &w + 1), FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  printf("bad address: %ld\n", fx((int *) 16, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
  printf("wait_bitset with bitset 0: %ld\n", fx(&w, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0));
  /* *uaddr2 += 3; wake on w; wake on w2 if the old value was 0 */
  long r = fx(&w, FUTEX_WAKE_OP_PRIVATE, 1, (void *) 1, &w2, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0));
  printf("wake_op: %ld w2=%d\n", r, w2);
  printf("cmp_requeue, value differs: %ld\n", fx(&w, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *) 1, &w2, 99));
  printf("cmp_requeue, value equal: %ld\n", fx(&w, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *) 1, &w2, 5));

  /* Another process sleeps on a MAP_SHARED word until this one changes it and wakes it. */
  int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  shared[0] = 0;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    long got;
    while ((got = fx(&shared[0], FUTEX_WAIT, 0, NULL, NULL, 0)) == -EINTR) {}
    printf("child: woken (%ld), word=%d\n", got, shared[0]);
    fflush(stdout);
    _exit(0);
  }
  struct timespec d = { 0, 20 * 1000 * 1000 };
  int woken = 0;
  for (int i = 0; i < 200 && !woken; i++) {      /* until the child is asleep on the word */
    nanosleep(&d, NULL);
    shared[0] = 1;
    woken = fx(&shared[0], FUTEX_WAKE, 1, NULL, NULL, 0);
    if (!woken) shared[0] = 0;
  }
  int st;
  waitpid(pid, &st, 0);
  printf("parent: woke %d, child status %d\n", woken, WEXITSTATUS(st));

  /* pthread_join's wait: the kernel clears and wakes the child's tid word when it exits. */
  pid = clone(child, stack + sizeof stack, CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, NULL, NULL, NULL, &tid_word);
  long got;
  int v;
  while ((v = tid_word) != 0 && (got = fx(&tid_word, FUTEX_WAIT, v, NULL, NULL, 0)) != 0 && got != -EAGAIN) {}
  printf("clear_child_tid: word=%d\n", tid_word);
  waitpid(pid, &st, 0);
  printf("clone child status %d\n", WEXITSTATUS(st));
  return 0;
}
