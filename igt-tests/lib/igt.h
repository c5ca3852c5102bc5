/* SPDX-License-Identifier: MIT */
/*
 * A small test framework with IGT's conventions, for the tests of this
 * project (IGT ships no headers on Debian, and this keeps the tests free of a
 * build dependency on it).
 *
 * A test binary is a table of named subtests handed to igt_main_run():
 *   --list-subtests        print the subtest names, one a line
 *   --run-subtest PATTERN  run the subtests matching PATTERN (a glob, or a
 *                          comma-separated list of globs)
 *   (no option)            run every subtest
 * Each subtest runs in a child process, so a crash fails that subtest only.
 * Set-up that several subtests share is a fixture (struct igt_fixture,
 * handed to igt_main_run_fixtures()).
 * Output and exit codes are IGT's: "Starting subtest: NAME", then
 * "Subtest NAME: SUCCESS|FAIL|SKIP (1.234s)"; exit 0 when everything that ran
 * passed, 77 when everything was skipped, 98 when something failed, 79 when
 * no subtest matched PATTERN or the options were wrong.
 */
#ifndef VGEM_IGT_H
#define VGEM_IGT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>

#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_INVALID	79

/** struct igt_subtest - one named subtest of a test binary */
struct igt_subtest {
	const char *name;
	void (*run)(void);
};

/**
 * struct igt_fixture - set-up shared by some subtests of a binary, in the
 * spirit of IGT's igt_fixture
 * @name: what the messages call it
 * @subtests: the subtests that need it: globs, comma-separated, as
 *	--run-subtest takes them ("*": all)
 * @setup: runs once, in the runner's own process, just before the first
 *	selected subtest that needs it: the subtests (forked from there)
 *	inherit what it sets up (globals, open files, mounts)
 * @teardown: runs after the last selected subtest that needs it; may be NULL
 *
 * Neither runs for --list-subtests nor when no selected subtest needs the
 * fixture. igt_skip()/igt_require() in @setup skips, and a failed assertion
 * fails, every subtest that needs it, with the reason printed under each;
 * a failure in @teardown fails the run. Set-up has no timeout.
 *
 * Files stay shared with the subtests: a GEM handle a subtest leaves on a
 * node the fixture opened outlives the subtest, and an open node keeps the
 * module loaded. A fixture that opens nodes suits subtests that neither
 * count objects nor reload the module.
 */
struct igt_fixture {
	const char *name;
	const char *subtests;
	void (*setup)(void);
	void (*teardown)(void);
};

/**
 * igt_main_run() - parse IGT's options and run the selected subtests
 * @argc: from main()
 * @argv: from main()
 * @subtests: the binary's subtests
 * @count: how many
 *
 * Return: the exit code for main(), as described above.
 */
int igt_main_run(int argc, char **argv, const struct igt_subtest *subtests,
		 unsigned int count);

/**
 * igt_main_run_fixtures() - igt_main_run() with fixtures
 * @fixtures: set up in this order when several are due before one subtest
 * @nr_fixtures: how many
 */
int igt_main_run_fixtures(int argc, char **argv, const struct igt_subtest *subtests,
			  unsigned int count, const struct igt_fixture *fixtures,
			  unsigned int nr_fixtures);

/** IGT_ARRAY_SIZE() - the number of elements of an array */
#define IGT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

noreturn void __igt_fail(const char *file, int line, const char *func,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
noreturn void igt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void igt_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** igt_assert() - fail the subtest unless @expr holds */
#define igt_assert(expr) do { \
	if (!(expr)) \
		__igt_fail(__FILE__, __LINE__, __func__, \
			   "Failed assertion: %s", #expr); \
} while (0)

/** igt_assert_f() - igt_assert() with an explanation */
#define igt_assert_f(expr, ...) do { \
	if (!(expr)) \
		__igt_fail(__FILE__, __LINE__, __func__, __VA_ARGS__); \
} while (0)

/** igt_assert_eq() - fail unless two integers are equal, printing both */
#define igt_assert_eq(a, b) do { \
	long long __a = (a), __b = (b); \
	if (__a != __b) \
		__igt_fail(__FILE__, __LINE__, __func__, \
			   "Failed assertion: %s == %s (%lld != %lld)", \
			   #a, #b, __a, __b); \
} while (0)

/** igt_require() - skip the subtest unless @expr holds */
#define igt_require(expr) do { \
	if (!(expr)) \
		igt_skip("Test requirement not met: %s", #expr); \
} while (0)

/** igt_require_f() - igt_require() with an explanation */
#define igt_require_f(expr, ...) do { \
	if (!(expr)) \
		igt_skip(__VA_ARGS__); \
} while (0)

/**
 * igt_set_timeout() - set the running subtest's time limit
 * @seconds: from now on; the limit every subtest starts with is 300 s
 *
 * For a subtest whose length is known to grow past the default (a sweep
 * whose size the environment chooses). Past the limit the subtest is
 * killed (SIGALRM) and fails.
 */
void igt_set_timeout(unsigned int seconds);

/**
 * igt_system() - run a shell command line
 * @fmt: printf-style command line
 *
 * Return: its exit status, or -1 when it could not run or was killed.
 */
int igt_system(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VGEM_IGT_H */
