// SPDX-License-Identifier: MIT
/*
 * Where the vgemctl under test is (igt_vgemctl.h).
 */
#include "igt_vgemctl.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "igt.h"

void igt_vgemctl_path(char *path, size_t size)
{
	char exe[PATH_MAX];
	const char *env = getenv("VGEMCTL");
	ssize_t n;

	if (env) {
		snprintf(path, size, "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		igt_assert(n > 0);
		exe[n] = '\0';
		snprintf(path, size, "%s/../tools/vgemctl", dirname(exe));
	}
	igt_require_f(access(path, X_OK) == 0, "no vgemctl at %s\n", path);
}
