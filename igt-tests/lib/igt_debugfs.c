// SPDX-License-Identifier: MIT
/*
 * debugfs: mounting, opening files, the cmctx context file (igt_debugfs.h).
 */
#include "igt_debugfs.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "igt.h"
#include "igt_figures.h"
#include "igt_module.h"

int igt_debugfs_mount(void)
{
	struct statfs sfs;

	if (statfs(IGT_DEBUGFS, &sfs) == 0 && sfs.f_type == DEBUGFS_MAGIC)
		return 0;
	if (mount("debugfs", IGT_DEBUGFS, "debugfs", 0, NULL))
		return -errno;
	return 0;
}

void igt_require_debugfs(void)
{
	int ret = igt_debugfs_mount();

	igt_require_f(!ret, "cannot mount debugfs on " IGT_DEBUGFS ": %s\n", strerror(-ret));
}

const struct igt_fixture igt_debugfs_fixture = {
	.name = "debugfs", .subtests = "*", .setup = igt_require_debugfs,
};

FILE *igt_debugfs_open(const char *path)
{
	char full[PATH_MAX];
	int ret = igt_debugfs_mount();

	if (ret) {
		errno = -ret;
		return NULL;
	}
	snprintf(full, sizeof(full), IGT_DEBUGFS "/%s", path);
	return fopen(full, "re");
}

void igt_debugfs_device_path(int minor, const char *name, char *path, size_t size)
{
	snprintf(path, size, IGT_DEBUGFS "/dri/%d/%s", minor, name);
}

FILE *igt_debugfs_device_open(int minor, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "dri/%d/%s", minor, name);
	return igt_debugfs_open(path);
}

/* movable0, or else the first context in debugfs, into @name ("" if none). */
static void first_context(char *name, size_t size)
{
	struct dirent *de;
	int count = 0;
	DIR *dir;

	if (igt_debugfs_mount())
		return;
	dir = opendir(IGT_DEBUGFS "/cmctx");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (!count++ || !strcmp(de->d_name, "movable0"))
			snprintf(name, size, "%s", de->d_name);
	}
	closedir(dir);
}

int igt_cmctx_context_path(char *path, size_t size)
{
	char name[NAME_MAX + 1] = "";

	if (igt_module_param_read("vgem", "cma_context", name, sizeof(name)) || !name[0])
		first_context(name, sizeof(name));
	if (!name[0])
		return -ENOENT;
	snprintf(path, size, IGT_DEBUGFS "/cmctx/%s", name);
	return 0;
}

long igt_vgem_context_figure(const char *key)
{
	char path[PATH_MAX];
	long long value;

	igt_require_f(igt_cmctx_context_path(path, sizeof(path)) == 0,
		      "no cmctx context in debugfs\n");
	value = igt_figure(path, key);
	igt_assert_f(value >= 0, "no %s in %s\n", key, path);
	return (long)value;
}
