// SPDX-License-Identifier: MIT
/*
 * libvgem: finding, opening and identifying vgem devices.
 *
 * Why not drmGetDevices2() alone: libdrm folds platform devices whose bus
 * info compares equal, and for a platform device without device-tree data
 * that bus info is the name in its MODALIAS. The driver names each device
 * its own way ("vgem", "vgem.1", ...), but a module that named them all
 * "vgem" (upstream's with one device, ours before) made libdrm 2.4.114
 * report one device with card0 and renderD128 and lose card1 and
 * renderD129. So the nodes are listed from /dev/dri and grouped by their
 * sysfs device (one directory per vgem device,
 * /sys/devices/platform/vgem[.N]); libdrm still tells the node types and
 * the driver of each node (drmGetVersion).
 * Only render nodes are opened to ask (see add_primary_node()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vgem.h"
#include "vgem_private.h"

#define DRI_DIR		"/dev/dri"
#define MAX_DEVICES	64

struct found_device {
	char sysfs[PATH_MAX];	/* realpath of /sys/dev/char/M:m/device */
	struct vgem_device_info info;
};

int vgem__copy_out(void *dst, const void *src, size_t src_size, size_t min_size)
{
	uint32_t dst_size;

	if (!dst)
		return -EINVAL;
	memcpy(&dst_size, dst, sizeof(dst_size));
	if (dst_size < min_size)
		return -EINVAL;
	if (dst_size > src_size) {
		memset((char *)dst + src_size, 0, dst_size - src_size);
		memcpy(dst, src, src_size);
	} else {
		memcpy(dst, src, dst_size);
	}
	memcpy(dst, &dst_size, sizeof(dst_size));
	return 0;
}

int vgem__is_vgem(int fd)
{
	drmVersionPtr v;
	int ret;

	v = drmGetVersion(fd);
	if (!v)
		return errno == EBADF ? -EBADF : -ENODEV;
	ret = v->name && strcmp(v->name, "vgem") == 0 ? 0 : -ENODEV;
	drmFreeVersion(v);
	return ret;
}

/* The sysfs directory of the device behind a DRM char device. */
static int sysfs_device(dev_t rdev, char *out)
{
	char link[64];

	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(rdev), minor(rdev));
	if (!realpath(link, out))
		return -errno;
	return 0;
}

static int cmp_device(const void *a, const void *b)
{
	const struct found_device *x = a, *y = b;
	int kx = x->info.primary_minor >= 0 ? x->info.primary_minor : x->info.render_minor;
	int ky = y->info.primary_minor >= 0 ? y->info.primary_minor : y->info.render_minor;

	return (kx > ky) - (kx < ky);
}

/* Adds the render node at @path to @devs if it is vgem's; returns the count. */
static int add_render_node(struct found_device *devs, int count, const char *path)
{
	struct found_device *d;
	struct stat st;
	int fd;

	if (count == MAX_DEVICES)
		return count;
	d = &devs[count];
	memset(d, 0, sizeof(*d));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return count;
	if (drmGetNodeTypeFromFd(fd) != DRM_NODE_RENDER || vgem__is_vgem(fd) ||
	    fstat(fd, &st) || sysfs_device(st.st_rdev, d->sysfs)) {
		close(fd);
		return count;
	}
	close(fd);
	d->info.size = sizeof(d->info);
	d->info.primary_minor = -1;
	d->info.render_minor = minor(st.st_rdev);
	snprintf(d->info.render_path, VGEM_PATH_MAX, "%s", path);
	return count + 1;
}

/*
 * Gives the primary node at @path to the device of @devs it belongs to.
 * Primary nodes are never opened: the first opener of a primary node can
 * become DRM master, which must not happen to someone else's display.
 */
static void add_primary_node(struct found_device *devs, int count, const char *path)
{
	char sysfs[PATH_MAX];
	struct stat st;
	int i;

	if (stat(path, &st) || !S_ISCHR(st.st_mode) || sysfs_device(st.st_rdev, sysfs))
		return;
	for (i = 0; i < count; i++) {
		if (strcmp(devs[i].sysfs, sysfs) == 0) {
			devs[i].info.primary_minor = minor(st.st_rdev);
			snprintf(devs[i].info.primary_path, VGEM_PATH_MAX, "%s", path);
			return;
		}
	}
}

/*
 * Fills @devs (MAX_DEVICES entries) in index order; returns the count.
 * vgem devices are found by their render nodes (DRIVER_RENDER: every vgem
 * device has one), their primary nodes by the sysfs device they share.
 */
static int find_devices(struct found_device *devs)
{
	char path[VGEM_PATH_MAX];
	struct dirent *de;
	int count = 0, pass, i;
	DIR *dir;

	dir = opendir(DRI_DIR);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	for (pass = 0; pass < 2; pass++) {
		rewinddir(dir);
		while ((de = readdir(dir))) {
			const char *prefix = pass ? "card" : "renderD";

			if (strncmp(de->d_name, prefix, strlen(prefix)))
				continue;
			if (snprintf(path, sizeof(path), DRI_DIR "/%s", de->d_name) >=
			    (int)sizeof(path))
				continue;
			if (pass == 0)
				count = add_render_node(devs, count, path);
			else
				add_primary_node(devs, count, path);
		}
	}
	closedir(dir);

	qsort(devs, count, sizeof(*devs), cmp_device);
	for (i = 0; i < count; i++)
		devs[i].info.index = i;
	return count;
}

/* Runs find_devices() on the heap (the array is large for a stack). */
static struct found_device *get_devices(int *count)
{
	struct found_device *devs = calloc(MAX_DEVICES, sizeof(*devs));

	if (!devs) {
		*count = -ENOMEM;
		return NULL;
	}
	*count = find_devices(devs);
	if (*count < 0) {
		free(devs);
		return NULL;
	}
	return devs;
}

int vgem_device_count(void)
{
	struct found_device *devs;
	int count;

	devs = get_devices(&count);
	free(devs);
	return count;
}

int vgem_device_get_info(unsigned int index, struct vgem_device_info *info)
{
	struct found_device *devs;
	int count, ret;

	if (!info || info->size < sizeof(struct vgem_device_info))
		return -EINVAL;
	devs = get_devices(&count);
	if (!devs)
		return count;
	if (index >= (unsigned int)count)
		ret = -ENODEV;
	else
		ret = vgem__copy_out(info, &devs[index].info, sizeof(devs[index].info),
				     sizeof(struct vgem_device_info));
	free(devs);
	return ret;
}

int vgem_open(unsigned int index, enum vgem_node node)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
	const char *path;
	int ret, fd;

	if (node != VGEM_NODE_PRIMARY && node != VGEM_NODE_RENDER)
		return -EINVAL;
	ret = vgem_device_get_info(index, &info);
	if (ret)
		return ret;
	path = node == VGEM_NODE_PRIMARY ? info.primary_path : info.render_path;
	if (!path[0])
		return -ENODEV;
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int vgem_open_path(const char *path)
{
	int fd, ret;

	if (!path)
		return -EINVAL;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = vgem__is_vgem(fd);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int vgem_check_fd(int fd)
{
	if (fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	return vgem__is_vgem(fd);
}

int vgem__device_of_fd(int fd, struct vgem_device_info *info)
{
	struct found_device *devs;
	struct stat st;
	int count, i, ret;

	ret = vgem_check_fd(fd);
	if (ret)
		return ret;
	if (fstat(fd, &st))
		return -errno;
	devs = get_devices(&count);
	if (!devs)
		return count;
	ret = -ENODEV;
	for (i = 0; i < count; i++) {
		if ((int)minor(st.st_rdev) == devs[i].info.primary_minor ||
		    (int)minor(st.st_rdev) == devs[i].info.render_minor) {
			*info = devs[i].info;
			ret = 0;
			break;
		}
	}
	free(devs);
	return ret;
}

int vgem_device_index(int fd)
{
	struct vgem_device_info info;
	int ret;

	ret = vgem__device_of_fd(fd, &info);
	return ret ? ret : (int)info.index;
}

int vgem_get_version(int fd, struct vgem_version *version)
{
	struct vgem_version out = { .size = sizeof(out) };
	drmVersionPtr v;
	int ret;

	if (!version || version->size < sizeof(struct vgem_version))
		return -EINVAL;
	ret = vgem_check_fd(fd);
	if (ret)
		return ret;
	v = drmGetVersion(fd);
	if (!v)
		return -errno;
	out.major = v->version_major;
	out.minor = v->version_minor;
	out.patchlevel = v->version_patchlevel;
	snprintf(out.name, sizeof(out.name), "%s", v->name ? v->name : "");
	snprintf(out.date, sizeof(out.date), "%s", v->date ? v->date : "");
	snprintf(out.desc, sizeof(out.desc), "%s", v->desc ? v->desc : "");
	drmFreeVersion(v);
	return vgem__copy_out(version, &out, sizeof(out), sizeof(struct vgem_version));
}
