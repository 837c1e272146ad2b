/*
 * The sandbox ("pause") process of quarkube test pods: holds the pod's namespaces open, reaps
 * orphaned children when the pod shares its PID namespace, and exits on SIGTERM or SIGINT.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signo) {
    (void) signo;
    _exit(0);
}

static void reap(int signo) {
    (void) signo;
    while (waitpid(-1, 0, WNOHANG) > 0) {
    }
}

int main(void) {
    struct sigaction on_stop = {.sa_handler = stop};
    struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP};
    sigaction(SIGTERM, &on_stop, 0);
    sigaction(SIGINT, &on_stop, 0);
    sigaction(SIGCHLD, &on_child, 0);
    for (;;) {
        pause();
    }
}
