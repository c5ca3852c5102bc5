/* SPDX-License-Identifier: MIT */
/*
 * Where the vgemctl under test is, and running it, for tests that run it.
 */
#ifndef VGEM_TEST_IGT_VGEMCTL_H
#define VGEM_TEST_IGT_VGEMCTL_H

#include <stdbool.h>
#include <stddef.h>

/**
 * igt_vgemctl_path() - the vgemctl of this build, or $VGEMCTL
 * @path: receives <build>/tools/vgemctl (found from the test binary's own
 *	path, <build>/igt-tests/<test>) or $VGEMCTL when set
 * @size: of @path
 *
 * Skips the subtest, saying why, when it is not an executable.
 */
void igt_vgemctl_path(char *path, size_t size);

/**
 * igt_vgemctl_run() - run `vgemctl ARGS` and keep what it prints on stdout
 * @out: receives its standard output, NUL-terminated (stderr goes to the
 *	test's log, as does stdout)
 * @size: of @out; the run fails the subtest when its output does not fit
 * @nobody: run it as uid/gid 65534 with no supplementary groups (setpriv)
 * @fmt: its arguments, as a shell command line, printf-style
 *
 * Return: its exit status (0..255); fails the subtest when it did not exit.
 */
int igt_vgemctl_run(char *out, size_t size, bool nobody, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* VGEM_TEST_IGT_VGEMCTL_H */
