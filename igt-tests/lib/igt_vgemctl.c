// SPDX-License-Identifier: MIT
/*
 * Where the vgemctl under test is, and running it (igt_vgemctl.h).
 */
#include "igt_vgemctl.h"

#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

int igt_vgemctl_run(char *out, size_t size, bool nobody, const char *fmt, ...)
{
	char path[PATH_MAX], args[512], cmd[PATH_MAX + 640];
	size_t len = 0, n;
	int status;
	va_list ap;
	FILE *p;

	igt_assert(size > 0);
	igt_vgemctl_path(path, sizeof(path));
	va_start(ap, fmt);
	n = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	igt_assert(n < sizeof(args));
	snprintf(cmd, sizeof(cmd), "%s'%s' %s",
		 nobody ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "",
		 path, args);
	igt_info("running: %s\n", cmd);
	fflush(NULL);
	p = popen(cmd, "r");
	igt_assert(p);
	while ((n = fread(out + len, 1, size - 1 - len, p)) > 0)
		len += n;
	igt_assert_f(len < size - 1 || fgetc(p) == EOF,
		     "vgemctl printed more than %zu bytes\n", size - 1);
	out[len] = '\0';
	status = pclose(p);
	igt_info("vgemctl printed (status %#x):\n%s", status, out);
	igt_assert_f(status != -1 && WIFEXITED(status), "vgemctl did not exit: %#x\n", status);
	return WEXITSTATUS(status);
}
