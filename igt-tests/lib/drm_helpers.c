// SPDX-License-Identifier: MIT
#include "drm_helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_module.h"

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
	if (fd >= 0 || igt_module_loaded(driver))
		return fd;
	if (igt_system("modprobe %s", driver) != 0)
		return -ENODEV;
	return open_first(driver, pattern, path);
}

int igt_vgem_open(enum drm_node_kind kind)
{
	int fd = drm_open_by_name("vgem", kind, NULL);

	igt_assert_f(fd >= 0, "cannot open a vgem node: %s\n", strerror(-fd));
	return fd;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int igt_vgem_card_minors(int *minors, int max)
{
	int count = 0, fd;
	struct dirent *de;
	char path[300];
	DIR *dir;

	dir = opendir("/dev/dri");
	igt_assert_f(dir, "no /dev/dri: %s\n", strerror(errno));
	while ((de = readdir(dir)) && count < max) {
		struct stat st;

		if (strncmp(de->d_name, "card", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (drm_driver_is(fd, "vgem") && fstat(fd, &st) == 0)
			minors[count++] = (int)minor(st.st_rdev);
		close(fd);
	}
	closedir(dir);
	qsort(minors, (size_t)count, sizeof(*minors), cmp_int);
	return count;
}

/*
 * The node whose name is @prefix and a number in @dirpath, a device's drm/
 * directory in sysfs, as /dev/dri/<name> in @path (64 bytes): 0, or
 * -ENODEV when the directory or such a node is missing.
 */
static int drm_dir_node(const char *dirpath, const char *prefix, char *path)
{
	size_t len = strlen(prefix);
	struct dirent *de;
	DIR *dir;
	int ret = -ENODEV;

	dir = opendir(dirpath);
	if (!dir)
		return -ENODEV;
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, prefix, len) &&
		    de->d_name[len] >= '0' && de->d_name[len] <= '9') {
			snprintf(path, 64, "/dev/dri/%.16s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dir);
	return ret;
}

/*
 * The render node of the device whose primary node has minor @card, from
 * sysfs: render minors are not primary minors + 128 once a driver without
 * render nodes (vkms) holds a primary minor.
 */
static void render_node_of(int card, char *path)
{
	char dirpath[80];

	snprintf(dirpath, sizeof(dirpath), "/sys/dev/char/226:%d/device/drm", card);
	igt_assert_f(!drm_dir_node(dirpath, "renderD", path), "no render node next to card%d\n",
		     card);
}

int igt_vgem_open_device(unsigned int index, enum drm_node_kind kind, int *minor_out)
{
	int minors[64], count, fd;
	char path[64];

	count = igt_vgem_card_minors(minors, 64);
	igt_assert_f(index < (unsigned int)count, "no vgem device %u (%d found)\n",
		     index, count);
	if (kind == DRM_NODE_KIND_RENDER)
		render_node_of(minors[index], path);
	else
		snprintf(path, sizeof(path), "/dev/dri/card%d", minors[index]);
	fd = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	if (minor_out)
		*minor_out = minors[index];
	return fd;
}

int igt_vgem_platform_node(const char *pdev, enum drm_node_kind kind, char *path)
{
	char dirpath[96];

	snprintf(dirpath, sizeof(dirpath), "/sys/bus/platform/devices/%s/drm", pdev);
	return drm_dir_node(dirpath, kind == DRM_NODE_KIND_RENDER ? "renderD" : "card", path);
}

int drm_node_minor(int fd)
{
	struct stat st;

	igt_assert_f(fstat(fd, &st) == 0, "fstat(%d): %s\n", fd, strerror(errno));
	return (int)minor(st.st_rdev);
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
