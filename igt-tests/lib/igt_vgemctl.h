/* SPDX-License-Identifier: MIT */
/*
 * Where the vgemctl under test is, for tests that run it.
 */
#ifndef VGEM_TEST_IGT_VGEMCTL_H
#define VGEM_TEST_IGT_VGEMCTL_H

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

#endif /* VGEM_TEST_IGT_VGEMCTL_H */
