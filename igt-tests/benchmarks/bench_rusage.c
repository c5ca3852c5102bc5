// SPDX-License-Identifier: MIT
/*
 * bench_rusage: runs a command and reports what it cost, from wait4()'s
 * rusage of that one child: minor and major page faults, user and system
 * time, wall time. The command's own output passes through unchanged; the
 * report is one last line on stdout:
 *   rusage: status=N minflt=N majflt=N user_s=X sys_s=X wall_s=X
 * status is the exit status, or 128 + the signal number.
 * Exit status: the command's (127 when it could not be started).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec start, end;
	struct rusage ru;
	int status, code;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CMD [ARG...]\n", argv[0]);
		return 127;
	}
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid = fork();
	if (pid < 0) {
		perror("bench_rusage: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "bench_rusage: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench_rusage: wait4");
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);

	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("rusage: status=%d minflt=%ld majflt=%ld user_s=%.3f sys_s=%.3f wall_s=%.3f\n",
	       code, ru.ru_minflt, ru.ru_majflt, seconds(&ru.ru_utime),
	       seconds(&ru.ru_stime),
	       (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
	return code;
}
