/* posix_spawn, as glibc does it: clone(CLONE_VM | CLONE_VFORK) on a stack of its own; the child's
 * exec failure reaches the parent through the memory they share. */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
int main(int argc, char **argv) {
  if (argc > 1) { printf("spawned child: %s ppid-ok=%d\n", argv[1], getppid() > 0); return 9; }
  pid_t pid; char *args[] = { argv[0], "hello", NULL };
  int r = posix_spawn(&pid, argv[0], NULL, NULL, args, environ);
  int st; waitpid(pid, &st, 0);
  printf("posix_spawn=%d status=%d\n", r, WEXITSTATUS(st));
  char *bad[] = { "/nonexistent", NULL };
  r = posix_spawn(&pid, "/nonexistent", NULL, NULL, bad, environ);
  printf("posix_spawn missing=%d (%s)\n", r, strerror(r));
  return 0;
}
