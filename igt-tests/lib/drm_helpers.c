// SPDX-License-Identifier: MIT
#include "drm_helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

int drm_module_unload(const char *module)
{
	return syscall(SYS_delete_module, module, O_NONBLOCK) ? -errno : 0;
}

int read_all_files(const char *dir)
{
	char path[512], buf[4096];
	struct dirent *de;
	int count = 0, fd, ret = 0;
	struct stat st;
	ssize_t n;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) ||
		    !(st.st_mode & S_IRUSR))
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = -errno;
			break;
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n < 0)
			ret = -errno;
		close(fd);
		count++;
	}
	closedir(d);
	if (ret)
		fprintf(stderr, "reading %s: %s\n", path, strerror(-ret));
	return ret ? ret : count;
}
