// SPDX-License-Identifier: MIT
/*
 * A binary of the framework's own, for igt_conventions: fixtures whose
 * set-ups and tear-downs write a line each to $IGT_FIXTURE_LOG, so that the
 * script sees which ran, how often and in what order. "needs-a-1" and
 * "needs-a-2" need fixture a (its subtests see what it set up), "plain"
 * needs none, "needs-skip" needs a fixture whose set-up skips unless
 * $IGT_FIXTURE_SETUP_OK is set, "needs-fail" one whose set-up fails.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/igt.h"

static int set_up_value;

static void log_line(const char *line)
{
	const char *path = getenv("IGT_FIXTURE_LOG");
	FILE *f;

	igt_assert_f(path, "IGT_FIXTURE_LOG is not set\n");
	f = fopen(path, "a");
	igt_assert_f(f, "cannot open %s\n", path);
	fprintf(f, "%s\n", line);
	fclose(f);
}

static void set_up_a(void)
{
	log_line("set-up a");
	set_up_value = 42;
}

static void tear_down_a(void)
{
	log_line("tear-down a");
}

static void set_up_skip(void)
{
	log_line("set-up skip");
	igt_require_f(getenv("IGT_FIXTURE_SETUP_OK"), "IGT_FIXTURE_SETUP_OK is not set\n");
}

static void set_up_fail(void)
{
	log_line("set-up fail");
	igt_assert_eq(set_up_value, -1);
}

static void needs_a(void)
{
	igt_assert_eq(set_up_value, 42);
	log_line("subtest needs-a");
}

static void plain(void)
{
	log_line("subtest plain");
}

static const struct igt_subtest subtests[] = {
	{ "needs-a-1", needs_a },
	{ "plain", plain },
	{ "needs-a-2", needs_a },
	{ "needs-skip", plain },
	{ "needs-fail", plain },
};

static const struct igt_fixture fixtures[] = {
	{ "a", "needs-a-*", set_up_a, tear_down_a },
	{ "skip", "needs-skip", set_up_skip, NULL },
	{ "fail", "needs-fail", set_up_fail, NULL },
};

int main(int argc, char **argv)
{
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     fixtures, IGT_ARRAY_SIZE(fixtures));
}
