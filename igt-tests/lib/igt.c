// SPDX-License-Identifier: MIT
/*
 * The subtest runner behind igt.h. Each subtest runs in a forked child that
 * reports through its exit status: 0 success, IGT_EXIT_SKIP, anything else
 * (a failure exit or a signal) is a failure.
 */
#include "igt.h"

#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A subtest that takes longer than this is killed and fails. */
#define IGT_SUBTEST_TIMEOUT_S	300

static void vprint_line(FILE *out, const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, out);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	fflush(out);
}

void __igt_fail(const char *file, int line, const char *func, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "Test assertion failure function %s, file %s:%d:\n",
		func, file, line);
	va_start(ap, fmt);
	vprint_line(stderr, "", fmt, ap);
	va_end(ap);
	_exit(IGT_EXIT_FAILURE);
}

void igt_skip(const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	/* One line: many callers end their reason with a newline already. */
	len = strlen(reason);
	while (len && reason[len - 1] == '\n')
		reason[--len] = '\0';
	fprintf(stderr, "%s\n", reason);
	fflush(stderr);
	_exit(IGT_EXIT_SKIP);
}

void igt_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

int igt_system(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int n, status;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static bool matches(const char *patterns, const char *name)
{
	char *copy = strdup(patterns), *save = NULL, *pat;
	bool found = false;

	if (!copy)
		return false;
	for (pat = strtok_r(copy, ",", &save); pat && !found;
	     pat = strtok_r(NULL, ",", &save))
		found = fnmatch(pat, name, 0) == 0;
	free(copy);
	return found;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Runs one subtest in a child; returns its IGT exit code. */
static int run_subtest(const struct igt_subtest *subtest)
{
	struct timespec start;
	const char *result;
	int status, code;
	pid_t pid;

	printf("Starting subtest: %s\n", subtest->name);
	fflush(stdout);
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &start);

	pid = fork();
	if (pid < 0) {
		perror("fork");
		return IGT_EXIT_FAILURE;
	}
	if (pid == 0) {
		alarm(IGT_SUBTEST_TIMEOUT_S);
		subtest->run();
		fflush(stdout);
		_exit(IGT_EXIT_SUCCESS);
	}

	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == IGT_EXIT_SUCCESS) {
		code = IGT_EXIT_SUCCESS;
		result = "SUCCESS";
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == IGT_EXIT_SKIP) {
		code = IGT_EXIT_SKIP;
		result = "SKIP";
	} else {
		if (WIFSIGNALED(status))
			fprintf(stderr, "Subtest %s: killed by signal %d%s\n",
				subtest->name, WTERMSIG(status),
				WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		code = IGT_EXIT_FAILURE;
		result = "FAIL";
	}
	printf("Subtest %s: %s (%.3fs)\n", subtest->name, result,
	       seconds_since(&start));
	fflush(stdout);
	return code;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--list-subtests | --run-subtest PATTERN]\n", argv0);
}

int igt_main_run(int argc, char **argv, const struct igt_subtest *subtests,
		 unsigned int count)
{
	const char *pattern = NULL;
	unsigned int i, ran = 0, failed = 0, skipped = 0;

	if (argc == 2 && strcmp(argv[1], "--list-subtests") == 0) {
		for (i = 0; i < count; i++)
			printf("%s\n", subtests[i].name);
		return IGT_EXIT_SUCCESS;
	}
	if (argc == 3 && strcmp(argv[1], "--run-subtest") == 0) {
		pattern = argv[2];
	} else if (argc != 1) {
		usage(argv[0]);
		return IGT_EXIT_INVALID;
	}

	for (i = 0; i < count; i++) {
		if (pattern && !matches(pattern, subtests[i].name))
			continue;
		ran++;
		switch (run_subtest(&subtests[i])) {
		case IGT_EXIT_SUCCESS:
			break;
		case IGT_EXIT_SKIP:
			skipped++;
			break;
		default:
			failed++;
		}
	}

	if (pattern && ran == 0) {
		fprintf(stderr, "Unknown subtest: %s\n", pattern);
		return IGT_EXIT_INVALID;
	}
	if (failed)
		return IGT_EXIT_FAILURE;
	return skipped == ran ? IGT_EXIT_SKIP : IGT_EXIT_SUCCESS;
}
