// SPDX-License-Identifier: MIT
/*
 * The subtest runner behind igt.h. Each subtest runs in a forked child that
 * reports through its exit status: 0 success, IGT_EXIT_SKIP, anything else
 * (a failure exit or a signal) is a failure. Fixtures run in the runner
 * itself, where a skip or a failure jumps back to the runner instead of
 * ending the process.
 */
#include "igt.h"

#include <fnmatch.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * A subtest that takes longer than this (or than what it set with
 * igt_set_timeout()) is killed and fails.
 */
#define IGT_SUBTEST_TIMEOUT_S	300

/*
 * Set while a fixture's set-up or tear-down runs: where a skip or failure
 * of the runner's process goes (a child the step forked just exits).
 */
static jmp_buf *fixture_return;
static pid_t fixture_pid;
static int fixture_result;
static char fixture_reason[512];

/* Formats a reason on one line: many callers end theirs with a newline. */
static void format_reason(char *reason, size_t size, const char *fmt, va_list ap)
{
	size_t len;

	vsnprintf(reason, size, fmt, ap);
	len = strlen(reason);
	while (len && reason[len - 1] == '\n')
		reason[--len] = '\0';
}

/* Ends the subtest with @code, or the fixture step that is running. */
static noreturn void end_with(int code, const char *reason)
{
	if (fixture_return && getpid() == fixture_pid) {	/* printed under each subtest */
		fixture_result = code;
		snprintf(fixture_reason, sizeof(fixture_reason), "%s", reason);
		longjmp(*fixture_return, 1);
	}
	fprintf(stderr, "%s\n", reason);
	fflush(stderr);
	_exit(code);
}

void __igt_fail(const char *file, int line, const char *func, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	fprintf(stderr, "Test assertion failure function %s, file %s:%d:\n",
		func, file, line);
	va_start(ap, fmt);
	format_reason(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	end_with(IGT_EXIT_FAILURE, reason);
}

void igt_skip(const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	format_reason(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	end_with(IGT_EXIT_SKIP, reason);
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

/* A fixture's state in this run. */
struct fixture_run {
	bool set_up;		/* its set-up ran */
	int result;		/* its set-up's IGT exit code */
	char reason[512];	/* why it skipped or failed */
	unsigned int last;	/* the last selected subtest that needs it */
};

/* Runs a fixture's @step in this process; its IGT exit code. */
static int run_fixture_step(void (*step)(void), char *reason, size_t size)
{
	jmp_buf env;

	fflush(stdout);
	fflush(stderr);
	fixture_result = IGT_EXIT_SUCCESS;
	if (setjmp(env) == 0) {
		fixture_pid = getpid();
		fixture_return = &env;
		step();
	}
	fixture_return = NULL;
	if (fixture_result != IGT_EXIT_SUCCESS)
		snprintf(reason, size, "%s", fixture_reason);
	return fixture_result;
}

/* A subtest whose fixture could not be set up: it takes the fixture's result. */
static int report_blocked(const struct igt_subtest *subtest,
			  const struct igt_fixture *fixture, const struct fixture_run *run)
{
	bool skipped = run->result == IGT_EXIT_SKIP;

	printf("Starting subtest: %s\n", subtest->name);
	fflush(stdout);
	fprintf(stderr, "fixture %s %s: %s\n", fixture->name,
		skipped ? "skipped" : "failed", run->reason);
	fflush(stderr);
	printf("Subtest %s: %s (0.000s)\n", subtest->name, skipped ? "SKIP" : "FAIL");
	fflush(stdout);
	return skipped ? IGT_EXIT_SKIP : IGT_EXIT_FAILURE;
}

/*
 * Sets up, once, the fixtures @subtest needs; the first that did not set up
 * (NULL when all did).
 */
static const struct igt_fixture *
set_up_fixtures(const struct igt_subtest *subtest, const struct igt_fixture *fixtures,
		struct fixture_run *runs, unsigned int nr_fixtures)
{
	unsigned int f;

	for (f = 0; f < nr_fixtures; f++) {
		if (!matches(fixtures[f].subtests, subtest->name))
			continue;
		if (!runs[f].set_up) {
			runs[f].set_up = true;
			runs[f].result = run_fixture_step(fixtures[f].setup, runs[f].reason,
							  sizeof(runs[f].reason));
		}
		if (runs[f].result != IGT_EXIT_SUCCESS)
			return &fixtures[f];
	}
	return NULL;
}

/* Tears down the fixtures whose last subtest was @index; false if one failed. */
static bool tear_down_fixtures(unsigned int index, const struct igt_fixture *fixtures,
			       struct fixture_run *runs, unsigned int nr_fixtures)
{
	char reason[512];
	bool ok = true;
	unsigned int f;

	for (f = nr_fixtures; f-- > 0;) {
		if (!runs[f].set_up || runs[f].last != index ||
		    runs[f].result != IGT_EXIT_SUCCESS || !fixtures[f].teardown)
			continue;
		if (run_fixture_step(fixtures[f].teardown, reason, sizeof(reason))) {
			fprintf(stderr, "fixture %s: tear-down failed: %s\n",
				fixtures[f].name, reason);
			ok = false;
		}
	}
	return ok;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--list-subtests | --run-subtest PATTERN]\n", argv0);
}

static bool selected(const char *pattern, const struct igt_subtest *subtest)
{
	return !pattern || matches(pattern, subtest->name);
}

int igt_main_run_fixtures(int argc, char **argv, const struct igt_subtest *subtests,
			  unsigned int count, const struct igt_fixture *fixtures,
			  unsigned int nr_fixtures)
{
	const char *pattern = NULL;
	unsigned int i, f, ran = 0, failed = 0, skipped = 0;
	const struct igt_fixture *blocked;
	struct fixture_run *runs;

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

	runs = calloc(nr_fixtures ? nr_fixtures : 1, sizeof(*runs));
	if (!runs) {
		perror("calloc");
		return IGT_EXIT_FAILURE;
	}
	for (i = 0; i < count; i++)
		for (f = 0; f < nr_fixtures; f++)
			if (selected(pattern, &subtests[i]) &&
			    matches(fixtures[f].subtests, subtests[i].name))
				runs[f].last = i;

	for (i = 0; i < count; i++) {
		if (!selected(pattern, &subtests[i]))
			continue;
		ran++;
		blocked = set_up_fixtures(&subtests[i], fixtures, runs, nr_fixtures);
		switch (blocked ? report_blocked(&subtests[i], blocked, &runs[blocked - fixtures]) :
			run_subtest(&subtests[i])) {
		case IGT_EXIT_SUCCESS:
			break;
		case IGT_EXIT_SKIP:
			skipped++;
			break;
		default:
			failed++;
		}
		if (!tear_down_fixtures(i, fixtures, runs, nr_fixtures))
			failed++;
	}
	free(runs);

	if (pattern && ran == 0) {
		fprintf(stderr, "Unknown subtest: %s\n", pattern);
		return IGT_EXIT_INVALID;
	}
	if (failed)
		return IGT_EXIT_FAILURE;
	return skipped == ran ? IGT_EXIT_SKIP : IGT_EXIT_SUCCESS;
}

int igt_main_run(int argc, char **argv, const struct igt_subtest *subtests,
		 unsigned int count)
{
	return igt_main_run_fixtures(argc, argv, subtests, count, NULL, 0);
}

void igt_set_timeout(unsigned int seconds)
{
	alarm(seconds);
}
