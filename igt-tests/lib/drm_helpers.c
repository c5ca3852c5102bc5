// SPDX-License-Identifier: MIT
#include "drm_helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"

bool drm_driver_is(int fd, const char *driver)
{
	drmVersionPtr version = drmGetVersion(fd);
	bool same;

	if (!version)
		return false;
	same = strcmp(version->name, driver) == 0;
	drmFreeVersion(version);
	return same;
}

static int open_first(const char *driver, const char *pattern, char *path)
{
	glob_t nodes;
	size_t i;
	int fd = -ENOENT;

	if (glob(pattern, 0, NULL, &nodes) != 0)
		return -ENOENT;
	for (i = 0; i < nodes.gl_pathc; i++) {
		fd = open(nodes.gl_pathv[i], O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (drm_driver_is(fd, driver)) {
			if (path)
				snprintf(path, 64, "%s", nodes.gl_pathv[i]);
			break;
		}
		close(fd);
		fd = -ENOENT;
	}
	globfree(&nodes);
	return fd;
}

int drm_open_by_name(const char *driver, enum drm_node_kind kind, char *path)
{
	const char *pattern = kind == DRM_NODE_KIND_RENDER ?
			      "/dev/dri/renderD*" : "/dev/dri/card*";
	int fd;

	fd = open_first(driver, pattern, path);
	if (fd >= 0 || drm_module_loaded(driver))
		return fd;
	if (igt_system("modprobe %s", driver) != 0)
		return -ENODEV;
	return open_first(driver, pattern, path);
}

bool drm_module_loaded(const char *module)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", module);
	return access(path, F_OK) == 0;
}

bool drm_module_out_of_tree(const char *module)
{
	char path[128], taint[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/taint", module);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(taint, sizeof(taint), f))
		taint[0] = 0;
	fclose(f);
	return strchr(taint, 'O') != NULL;
}
