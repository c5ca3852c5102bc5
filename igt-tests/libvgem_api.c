// SPDX-License-Identifier: MIT
/*
 * libvgem_api: every public call of libvgem against the real driver, the
 * error paths included. Subtests that need two devices reload the module
 * with num_devices=2 when it has another count, the others take vgem as it
 * is loaded, and the last one unloads it (tests load vgem on demand).
 * This binary calls libvgem only, never the igt_vgem_* helpers of
 * lib/igt_vgem.h nor the buffer helpers of lib/igt_gem.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/igt.h"
#include "lib/igt_libvgem.h"
#include "lib/igt_creds.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_module.h"
#include "vgem.h"

/*
 * Makes sure vgem is loaded with @devices devices, reloading it only when
 * needed (a reload costs seconds in the guest). Upstream vgem ignores
 * num_devices and has one: subtests that need two skip there.
 */
static void reload(unsigned int devices)
{
	igt_require_debugfs();
	if (igt_module_loaded("vgem") && vgem_device_count() == (int)devices)
		return;
	igt_system("modprobe -r vgem 2>/dev/null");
	igt_assert_f(!igt_module_loaded("vgem"), "vgem still loaded\n");
	if (devices == 1)
		igt_assert_eq(igt_system("modprobe vgem"), 0);
	else
		igt_assert_eq(igt_system("modprobe vgem num_devices=%u 2>/dev/null",
					 devices), 0);
	igt_require_f(vgem_device_count() == (int)devices,
		      "%u vgem devices needed (num_devices is this project's vgem)\n",
		      devices);
}

/* Loads vgem when it is not loaded; any number of devices will do. */
/* The object list reads this project's debugfs file (root). */
static void require_objects_file(int fd)
{
	int ret = vgem_list_objects(fd, NULL, 0);

	igt_require_f(ret != -ENOENT, "no vgem_objects in debugfs (upstream vgem?)\n");
}

/* The statistics ask this project's STATS ioctl; upstream vgem has none. */
static void require_stats_ioctl(int fd)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	int ret = vgem_get_stats(fd, &st);

	igt_require_f(ret != -EOPNOTSUPP,
		      "no statistics ioctl (upstream vgem?): -EOPNOTSUPP checked\n");
	igt_assert_eq(ret, 0);
}

static int devnull(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	igt_assert(fd >= 0);
	return fd;
}

static void create(int fd, struct vgem_bo *bo)
{
	igt_assert_eq(vgem_bo_create(fd, 640, 480, 32, 0, bo), 0);
}

static void test_devices(void)
{
	struct vgem_device_info info[2];
	struct { struct vgem_device_info v1; char more[16]; } big;
	struct stat st;
	unsigned int i;

	reload(2);
	igt_assert_eq(vgem_device_count(), 2);
	for (i = 0; i < 2; i++) {
		info[i] = VGEM_INIT(struct vgem_device_info);
		igt_assert_eq(vgem_device_get_info(i, &info[i]), 0);
		igt_assert_eq(info[i].index, i);
		igt_assert_eq(info[i].size, sizeof(info[i]));
		igt_assert_eq(stat(info[i].primary_path, &st), 0);
		igt_assert_eq(minor(st.st_rdev), info[i].primary_minor);
		igt_assert_eq(stat(info[i].render_path, &st), 0);
		igt_assert_eq(minor(st.st_rdev), info[i].render_minor);
		igt_assert(info[i].render_minor >= 128);
	}
	igt_assert(info[0].primary_minor < info[1].primary_minor);

	/* A caller built against a larger structure gets the rest zeroed. */
	memset(&big, 0xff, sizeof(big));
	big.v1.size = sizeof(big);
	igt_assert_eq(vgem_device_get_info(1, &big.v1), 0);
	igt_assert_eq(big.v1.size, sizeof(big));
	igt_assert_eq(big.v1.primary_minor, info[1].primary_minor);
	for (i = 0; i < sizeof(big.more); i++)
		igt_assert_eq(big.more[i], 0);

	igt_assert_eq(vgem_device_get_info(2, &info[0]), -ENODEV);
	igt_assert_eq(vgem_device_get_info(0, NULL), -EINVAL);
	info[0].size = 4;
	igt_assert_eq(vgem_device_get_info(0, &info[0]), -EINVAL);
}

static void test_open(void)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
	unsigned int i;
	int fd, null;

	reload(2);
	for (i = 0; i < 2; i++) {
		fd = vgem_open(i, VGEM_NODE_PRIMARY);
		igt_assert(fd >= 0);
		igt_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		igt_assert_eq(vgem_check_fd(fd), 0);
		igt_assert_eq(vgem_device_index(fd), i);
		close(fd);
		fd = vgem_open(i, VGEM_NODE_RENDER);
		igt_assert(fd >= 0);
		igt_assert_eq(vgem_device_index(fd), i);
		close(fd);
	}
	igt_assert_eq(vgem_open(2, VGEM_NODE_PRIMARY), -ENODEV);
	igt_assert_eq(vgem_open(0, (enum vgem_node)7), -EINVAL);

	igt_assert_eq(vgem_device_get_info(1, &info), 0);
	fd = vgem_open_path(info.render_path);
	igt_assert(fd >= 0);
	igt_assert_eq(vgem_device_index(fd), 1);
	close(fd);
	igt_assert_eq(vgem_open_path(NULL), -EINVAL);
	igt_assert_eq(vgem_open_path("/nonexistent/card0"), -ENOENT);
	igt_assert_eq(vgem_open_path("/dev/null"), -ENODEV);

	null = devnull();
	igt_assert_eq(vgem_check_fd(null), -ENODEV);
	igt_assert_eq(vgem_device_index(null), -ENODEV);
	igt_assert_eq(vgem_check_fd(-1), -EBADF);
	igt_assert_eq(vgem_device_index(-1), -EBADF);
	close(null);
}

static void test_no_device(void)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);

	igt_system("modprobe -r vgem 2>/dev/null");
	igt_require_f(!igt_module_loaded("vgem"), "vgem cannot be unloaded\n");
	igt_assert_eq(vgem_device_count(), 0);
	igt_assert_eq(vgem_device_get_info(0, &info), -ENODEV);
	igt_assert_eq(vgem_open(0, VGEM_NODE_RENDER), -ENODEV);
}

static void test_version_caps(void)
{
	struct vgem_version v = VGEM_INIT(struct vgem_version);
	uint64_t caps, all = VGEM_CAP_DUMB | VGEM_CAP_PRIME_EXPORT |
			     VGEM_CAP_PRIME_IMPORT | VGEM_CAP_FENCES;
	int fd, render, null;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	igt_assert_eq(vgem_get_version(fd, &v), 0);
	igt_assert(strcmp(v.name, "vgem") == 0);
	igt_assert_eq(v.major, 1);
	igt_assert(v.desc[0] && v.date[0]);
	igt_assert_eq(vgem_get_caps(fd, &caps), 0);
	/*
	 * Ours has BO_INFO and the dma-buf hash; CONTIGUOUS when it has a
	 * context; upstream none of them.
	 */
	if (igt_module_out_of_tree("vgem"))
		all |= VGEM_CAP_BO_INFO | VGEM_CAP_DMABUF_HASH |
		       (caps & VGEM_CAP_CONTIGUOUS);
	igt_assert_eq(caps, all);

	render = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(render >= 0);
	igt_assert_eq(vgem_get_caps(render, &caps), 0);
	igt_assert_eq(caps, all & ~VGEM_CAP_DUMB);

	null = devnull();
	igt_assert_eq(vgem_get_version(null, &v), -ENODEV);
	igt_assert_eq(vgem_get_caps(null, &caps), -ENODEV);
	igt_assert_eq(vgem_get_caps(fd, NULL), -EINVAL);
	igt_assert_eq(vgem_get_version(fd, NULL), -EINVAL);
	v.size = 8;
	igt_assert_eq(vgem_get_version(fd, &v), -EINVAL);
	close(null);
	close(render);
	close(fd);
}

static void test_bo_create_close(void)
{
	struct vgem_bo bo;
	int fd, render;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	create(fd, &bo);
	igt_assert(bo.handle);
	igt_assert_eq(bo.width, 640);
	igt_assert_eq(bo.height, 480);
	igt_assert_eq(bo.bpp, 32);
	igt_assert_eq(bo.pitch, 2560);
	igt_assert_eq(bo.size, 2560 * 480);
	igt_assert_eq(vgem_bo_create(fd, 1, 1, 8, 0, &bo), 0);
	igt_assert_eq(bo.size, 4096);

	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, 1u << 5, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_CONTIGUOUS |
				     VGEM_BO_CREATE_SHMEM, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_FALLBACK, &bo),
		      -EINVAL);
	igt_assert_eq(vgem_bo_create_aligned(fd, 64, 64, 32, 0, 65536, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 0, 64, 32, 0, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 64, 0, 32, 0, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 0, 0, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, 0, NULL), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 0xffffffff, 0xffffffff, 32, 0, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(-1, 64, 64, 32, 0, &bo), -EBADF);
	render = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert_eq(vgem_bo_create(render, 64, 64, 32, 0, &bo), -EACCES);
	close(render);

	create(fd, &bo);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), -EINVAL);
	igt_assert_eq(vgem_bo_close(fd, 0xdead), -EINVAL);
	igt_assert_eq(vgem_bo_close(-1, 1), -EBADF);
	close(fd);
}

/*
 * Opens device 0's primary node and gets its capabilities. On a driver
 * without BO_CREATE (upstream vgem) checks that @flags and @more_flags
 * answer -EOPNOTSUPP, and skips.
 */
static int card_with_bo_create(uint32_t flags, uint32_t more_flags, uint64_t *caps)
{
	struct vgem_bo bo;
	int fd;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	igt_assert_eq(vgem_get_caps(fd, caps), 0);
	if (*caps & VGEM_CAP_BO_INFO)
		return fd;
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, flags, &bo), -EOPNOTSUPP);
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, more_flags, &bo), -EOPNOTSUPP);
	close(fd);
	igt_skip("the driver has no BO_CREATE (upstream vgem): -EOPNOTSUPP checked\n");
}

/*
 * The memory flags: the extension's BO_CREATE on ours (render nodes too),
 * -EOPNOTSUPP on upstream vgem; contiguous needs a context (movablecore=).
 */
static void test_bo_create_memory(void)
{
	struct vgem_bo_info info = VGEM_INIT(struct vgem_bo_info);
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	uint64_t caps;
	struct vgem_bo bo;
	int fd, render, ret;

	fd = card_with_bo_create(VGEM_BO_CREATE_SHMEM, VGEM_BO_CREATE_CONTIGUOUS, &caps);
	ret = vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_SHMEM, &bo);
	igt_assert_eq(ret, 0);
	igt_assert_eq(bo.size, 16384);
	igt_assert_eq(bo.pitch, 256);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
	igt_assert(strcmp(info.backing, "shmem") == 0);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	/* BO_CREATE is allowed on render nodes, CREATE_DUMB is not. */
	render = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(render >= 0);
	igt_assert_eq(vgem_bo_create(render, 64, 64, 32, VGEM_BO_CREATE_SHMEM, &bo), 0);
	igt_assert_eq(vgem_bo_close(render, bo.handle), 0);

	/* With FALLBACK a buffer is had with or without a context. */
	igt_assert_eq(vgem_bo_create(fd, 256, 256, 32, VGEM_BO_CREATE_CONTIGUOUS |
				     VGEM_BO_CREATE_FALLBACK, &bo), 0);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
	/* Contiguous if there is room (the cap says a context exists), else shmem. */
	igt_assert(strcmp(info.backing, "shmem") == 0 ||
		   ((caps & VGEM_CAP_CONTIGUOUS) && strcmp(info.backing, "contig") == 0));
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	ret = vgem_bo_create(fd, 256, 256, 32, VGEM_BO_CREATE_CONTIGUOUS, &bo);
	if (!(caps & VGEM_CAP_CONTIGUOUS)) {
		igt_assert_eq(ret, -ENODEV);
		close(render);
		close(fd);
		igt_skip("no contiguous memory (boot with movablecore=256M): -ENODEV checked\n");
	}
	if (ret == -ENOMEM) {
		close(render);
		close(fd);
		igt_skip("the contiguous memory context has no room (ZONE_MOVABLE "
			 "reserved at boot?): -ENOMEM checked\n");
	}
	igt_assert_eq(ret, 0);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
	igt_assert(strcmp(info.backing, "contig") == 0);
	igt_assert(info.flags & VGEM_BO_INFO_CONTIGUOUS);
	igt_assert_eq(info.extents, 1);
	igt_assert_eq(info.bo_size, 256 * 1024);
	/* Our driver (BO_CREATE worked): the STATS ioctl is there too. */
	igt_assert_eq(vgem_get_stats(fd, &st), 0);
	igt_assert(st.valid & VGEM_STATS_CMA);
	igt_assert_eq(st.cma_bytes_used, 256 * 1024);
	igt_assert(st.cma_bytes_total >= 256 * 1024);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	igt_assert_eq(vgem_bo_create_aligned(render, 256, 256, 32,
					     VGEM_BO_CREATE_CONTIGUOUS, 1 << 20, &bo), 0);
	igt_assert_eq(vgem_bo_get_info(render, bo.handle, &info), 0);
	igt_assert_eq(info.alignment, 1 << 20);
	igt_assert_eq(vgem_bo_close(render, bo.handle), 0);
	igt_assert_eq(vgem_bo_create_aligned(fd, 256, 256, 32, VGEM_BO_CREATE_CONTIGUOUS,
					     3 << 12, &bo), -EINVAL);
	close(render);
	close(fd);
}

static void test_bo_map(void)
{
	struct vgem_bo bo, bad;
	uint32_t *ptr;
	void *map;
	int fd, render;
	size_t i;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	create(fd, &bo);
	igt_assert_eq(vgem_bo_map(fd, &bo, VGEM_MAP_READ | VGEM_MAP_WRITE, &map), 0);
	ptr = map;
	for (i = 0; i < bo.size / 4; i++)
		ptr[i] = i * 2654435761u;
	igt_assert_eq(vgem_bo_unmap(map, bo.size), 0);
	igt_assert_eq(vgem_bo_map(fd, &bo, VGEM_MAP_READ, &map), 0);
	ptr = map;
	for (i = 0; i < bo.size / 4; i++)
		igt_assert_eq(ptr[i], (uint32_t)(i * 2654435761u));
	igt_assert_eq(vgem_bo_unmap(map, bo.size), 0);

	igt_assert_eq(vgem_bo_map(fd, &bo, 0, &map), -EINVAL);
	igt_assert_eq(vgem_bo_map(fd, &bo, 1u << 3, &map), -EINVAL);
	igt_assert_eq(vgem_bo_map(fd, &bo, VGEM_MAP_READ, NULL), -EINVAL);
	igt_assert_eq(vgem_bo_map(fd, NULL, VGEM_MAP_READ, &map), -EINVAL);
	bad = bo;
	bad.size = 0;
	igt_assert_eq(vgem_bo_map(fd, &bad, VGEM_MAP_READ, &map), -EINVAL);
	bad = bo;
	bad.handle = 0xdead;
	igt_assert_eq(vgem_bo_map(fd, &bad, VGEM_MAP_READ, &map), -ENOENT);
	bad = bo;
	bad.size = bo.size * 2;	/* larger than the object */
	igt_assert(vgem_bo_map(fd, &bad, VGEM_MAP_READ, &map) < 0);
	render = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert_eq(vgem_bo_map(render, &bo, VGEM_MAP_READ, &map), -EACCES);
	close(render);
	igt_assert_eq(vgem_bo_unmap(NULL, bo.size), -EINVAL);
	igt_assert_eq(vgem_bo_unmap(ptr, 0), -EINVAL);
	close(fd);
}

static void test_prime(void)
{
	struct vgem_bo bo, same, other, imp;
	int fd0, fd0b, fd1, render, dmabuf, ro, null;
	uint32_t *src, *dst;
	void *map;
	size_t i;

	reload(2);
	fd0 = igt_libvgem_card(0);
	create(fd0, &bo);
	igt_assert_eq(vgem_bo_map(fd0, &bo, VGEM_MAP_WRITE | VGEM_MAP_READ, &map), 0);
	src = map;
	for (i = 0; i < bo.size / 4; i++)
		src[i] = ~i;
	igt_assert_eq(vgem_bo_export(fd0, bo.handle, VGEM_EXPORT_RDWR, &dmabuf), 0);
	igt_assert(fcntl(dmabuf, F_GETFD) & FD_CLOEXEC);

	/* Back on the same file: the same handle. */
	igt_assert_eq(vgem_bo_import(fd0, dmabuf, &same), 0);
	igt_assert_eq(same.handle, bo.handle);
	igt_assert_eq(same.size, bo.size);
	igt_assert_eq(same.width, 0);
	/* Another file of the same device, another device, a render node. */
	fd0b = igt_libvgem_card(0);
	igt_assert_eq(vgem_bo_import(fd0b, dmabuf, &other), 0);
	igt_assert_eq(other.size, bo.size);
	fd1 = igt_libvgem_card(1);
	igt_assert_eq(vgem_bo_import(fd1, dmabuf, &imp), 0);
	igt_assert_eq(imp.size, bo.size);
	igt_assert_eq(vgem_bo_map(fd1, &imp, VGEM_MAP_READ, &map), 0);
	dst = map;
	for (i = 0; i < bo.size / 4; i++)
		igt_assert_eq(dst[i], (uint32_t)~i);
	igt_assert_eq(vgem_bo_unmap(map, imp.size), 0);
	render = vgem_open(1, VGEM_NODE_RENDER);
	igt_assert_eq(vgem_bo_import(render, dmabuf, &imp), 0);

	/* The dma-buf mapping sees and makes the same writes. */
	igt_assert_eq(vgem_dmabuf_map(dmabuf, bo.size, VGEM_MAP_READ | VGEM_MAP_WRITE, &map), 0);
	dst = map;
	igt_assert_eq(dst[7], (uint32_t)~7u);
	dst[7] = 0x12345678;
	igt_assert_eq(src[7], 0x12345678);
	igt_assert_eq(vgem_bo_unmap(map, bo.size), 0);
	igt_assert_eq(vgem_dmabuf_map(dmabuf, 0, VGEM_MAP_READ, &map), -EINVAL);
	igt_assert_eq(vgem_dmabuf_map(dmabuf, bo.size, 0, &map), -EINVAL);
	igt_assert_eq(vgem_dmabuf_map(dmabuf, bo.size, VGEM_MAP_READ, NULL), -EINVAL);
	igt_assert_eq(vgem_dmabuf_map(-1, bo.size, VGEM_MAP_READ, &map), -EBADF);

	/*
	 * A read-only export cannot be mapped writable. The first export of
	 * an object decides: later ones are fds of the same dma-buf file.
	 */
	create(fd0, &other);
	igt_assert_eq(vgem_bo_export(fd0, other.handle, 0, &ro), 0);
	igt_assert_eq(vgem_dmabuf_map(ro, other.size, VGEM_MAP_WRITE, &map), -EACCES);
	igt_assert_eq(vgem_dmabuf_map(ro, other.size, VGEM_MAP_READ, &map), 0);
	igt_assert_eq(vgem_bo_unmap(map, other.size), 0);
	close(ro);

	igt_assert_eq(vgem_bo_export(fd0, bo.handle, 1u << 4, &ro), -EINVAL);
	igt_assert_eq(vgem_bo_export(fd0, bo.handle, 0, NULL), -EINVAL);
	igt_assert_eq(vgem_bo_export(fd0, 0xdead, 0, &ro), -ENOENT);
	igt_assert_eq(vgem_bo_import(fd1, dmabuf, NULL), -EINVAL);
	igt_assert_eq(vgem_bo_import(fd1, -1, &imp), -EBADF);
	null = devnull();
	igt_assert_eq(vgem_bo_import(fd1, null, &imp), -EINVAL);
	close(null);

	close(render);
	close(dmabuf);
	close(fd1);
	close(fd0b);
	close(fd0);
}

static void test_bo_info(void)
{
	struct vgem_bo_info info = VGEM_INIT(struct vgem_bo_info), v1;
	struct vgem_bo bo, imported;
	uint64_t caps;
	int fd, null, dmabuf;
	void *ptr;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	create(fd, &bo);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, NULL), -EINVAL);
	null = devnull();
	igt_assert_eq(vgem_bo_get_info(null, bo.handle, &info), -ENODEV);
	close(null);
	info.size = 4;
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), -EINVAL);
	info.size = sizeof(info);

	igt_assert_eq(vgem_get_caps(fd, &caps), 0);
	if (!(caps & VGEM_CAP_BO_INFO)) {
		/* Upstream vgem: an honest "cannot tell". */
		igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), -EOPNOTSUPP);
		close(fd);
		return;
	}
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
	igt_assert_eq(info.size, sizeof(info));
	igt_assert_eq(info.bo_size, bo.size);
	igt_assert(strcmp(info.backing, "shmem") == 0);
	igt_assert_eq(info.flags, 0);
	igt_assert_eq(info.extents, 0);		/* not pinned */
	igt_assert_eq(info.alignment, 0);
	igt_assert_eq(vgem_bo_get_info(fd, 0xdead, &info), -ENOENT);

	/* Mapped (pinned) and exported: extents known, EXPORTED set. */
	igt_assert_eq(vgem_bo_map(fd, &bo, VGEM_MAP_READ, &ptr), 0);
	igt_assert_eq(vgem_bo_export(fd, bo.handle, 0, &dmabuf), 0);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
	igt_assert(info.extents >= 1);
	igt_assert_eq(info.flags, VGEM_BO_INFO_EXPORTED);

	/* The first version of the structure: the members after it untouched. */
	memset(&v1, 0x77, sizeof(v1));
	v1.size = offsetof(struct vgem_bo_info, extents);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &v1), 0);
	igt_assert_eq(v1.bo_size, bo.size);
	igt_assert_eq(v1.extents, 0x77777777);

	/* An import on another file of the same device is the same object. */
	null = igt_libvgem_card(0);
	igt_assert_eq(vgem_bo_import(null, dmabuf, &imported), 0);
	igt_assert_eq(vgem_bo_get_info(null, imported.handle, &info), 0);
	igt_assert(strcmp(info.backing, "shmem") == 0);
	close(null);
	close(dmabuf);
	igt_assert_eq(vgem_bo_unmap(ptr, bo.size), 0);
	close(fd);
}

static void test_sync(void)
{
	struct vgem_bo bo;
	int fd, dmabuf, null;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	create(fd, &bo);
	igt_assert_eq(vgem_bo_export(fd, bo.handle, VGEM_EXPORT_RDWR, &dmabuf), 0);
	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_READ), 0);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_READ), 0);
	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_RW), 0);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_RW), 0);
	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_WRITE), 0);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_WRITE), 0);

	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, 0), -EINVAL);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, 1u << 2), -EINVAL);
	null = devnull();
	igt_assert_eq(vgem_dmabuf_sync_begin(null, VGEM_ACCESS_READ), -ENOTTY);
	igt_assert_eq(vgem_dmabuf_sync_end(null, VGEM_ACCESS_READ), -ENOTTY);
	close(null);
	igt_assert_eq(vgem_dmabuf_sync_begin(-1, VGEM_ACCESS_READ), -EBADF);
	close(dmabuf);
	close(fd);
}

static void test_fences(void)
{
	struct vgem_bo bo;
	int fd, dmabuf, sync_file, null, status;
	uint32_t wfence, rfence, f;
	pid_t pid;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	create(fd, &bo);
	igt_assert_eq(vgem_bo_export(fd, bo.handle, 0, &dmabuf), 0);

	/* A write fence: readers and writers wait. */
	igt_assert_eq(vgem_fence_attach(fd, bo.handle, VGEM_ACCESS_WRITE, &wfence), 0);
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_READ, 0), -ETIMEDOUT);
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_WRITE, 10), -ETIMEDOUT);
	igt_assert_eq(vgem_fence_attach(fd, bo.handle, VGEM_ACCESS_WRITE, &f), -EBUSY);
	igt_assert_eq(vgem_dmabuf_export_sync_file(dmabuf, VGEM_ACCESS_READ, &sync_file), 0);
	igt_assert(fcntl(sync_file, F_GETFD) & FD_CLOEXEC);
	igt_assert_eq(vgem_sync_file_wait(sync_file, 0), -ETIMEDOUT);

	/* Signalled by another process of the same file while we wait. */
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		usleep(100 * 1000);
		_exit(vgem_fence_signal(fd, wfence) ? 1 : 0);
	}
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_READ, -1), 0);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	igt_assert_eq(vgem_sync_file_wait(sync_file, 1000), 0);
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_RW, 0), 0);
	igt_assert_eq(vgem_fence_signal(fd, wfence), -ENOENT);
	close(sync_file);

	/* A read fence: only writers wait. */
	igt_assert_eq(vgem_fence_attach(fd, bo.handle, VGEM_ACCESS_READ, &rfence), 0);
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_READ, 0), 0);
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_WRITE, 0), -ETIMEDOUT);
	igt_assert_eq(vgem_dmabuf_export_sync_file(dmabuf, VGEM_ACCESS_WRITE, &sync_file), 0);
	igt_assert_eq(vgem_sync_file_wait(sync_file, 0), -ETIMEDOUT);
	igt_assert_eq(vgem_fence_signal(fd, rfence), 0);
	igt_assert_eq(vgem_sync_file_wait(sync_file, 1000), 0);
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_WRITE, 0), 0);
	close(sync_file);

	igt_assert_eq(vgem_fence_attach(fd, bo.handle, 0, &f), -EINVAL);
	igt_assert_eq(vgem_fence_attach(fd, bo.handle, VGEM_ACCESS_RW, &f), -EINVAL);
	igt_assert_eq(vgem_fence_attach(fd, bo.handle, VGEM_ACCESS_READ, NULL), -EINVAL);
	igt_assert_eq(vgem_fence_attach(fd, 0xdead, VGEM_ACCESS_READ, &f), -ENOENT);
	igt_assert_eq(vgem_fence_signal(fd, 0xffff), -ENOENT);
	igt_assert_eq(vgem_dmabuf_wait(dmabuf, 0, 0), -EINVAL);
	igt_assert_eq(vgem_dmabuf_wait(-1, VGEM_ACCESS_READ, 0), -EBADF);
	igt_assert_eq(vgem_dmabuf_export_sync_file(dmabuf, 0, &sync_file), -EINVAL);
	igt_assert_eq(vgem_dmabuf_export_sync_file(dmabuf, VGEM_ACCESS_READ, NULL), -EINVAL);
	null = devnull();
	igt_assert_eq(vgem_dmabuf_export_sync_file(null, VGEM_ACCESS_READ, &sync_file),
		      -ENOTTY);
	close(null);
	igt_assert_eq(vgem_sync_file_wait(-1, 0), -EBADF);
	close(dmabuf);
	close(fd);
}

static void test_objects_stats(void)
{
	struct vgem_object_entry e[4], one;
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	struct vgem_bo a, b, imp, imp2;
	int fd0, fd1, fd1b, dmabuf, null, n, i;
	uint64_t lookups, hits;
	void *map;

	reload(2);
	fd0 = igt_libvgem_card(0);
	fd1 = igt_libvgem_card(1);
	require_stats_ioctl(fd0);
	require_objects_file(fd0);
	igt_assert_eq(vgem_get_stats(fd0, &st), 0);
	/* Hash figures and limits; CMA ones when vgem has a context (movablecore=). */
	igt_assert_eq(st.valid & ~VGEM_STATS_CMA,
		      VGEM_STATS_OBJECTS | VGEM_STATS_HASH | VGEM_STATS_CONTIG_LIMITS);
	/* Device lifetime counters: earlier subtests may have imported. */
	igt_assert_eq(vgem_get_stats(fd1, &st), 0);
	lookups = st.hash_lookups;
	hits = st.hash_hits;
	igt_assert_eq(st.cma_bytes_used, 0);
	igt_assert_eq(st.cma_bytes_total > 0, !!(st.valid & VGEM_STATS_CMA));
	igt_assert_eq(st.objects, 0);
	igt_assert_eq(vgem_list_objects(fd0, NULL, 0), 0);

	create(fd0, &a);
	igt_assert_eq(vgem_bo_create(fd0, 1024, 16, 32, 0, &b), 0);
	igt_assert_eq(vgem_bo_export(fd0, a.handle, 0, &dmabuf), 0);
	igt_assert_eq(vgem_bo_import(fd1, dmabuf, &imp), 0);
	igt_assert_eq(vgem_bo_map(fd0, &b, VGEM_MAP_READ, &map), 0);

	e[0].size = sizeof(e[0]);
	n = vgem_list_objects(fd0, e, 4);
	igt_assert_eq(n, 2);
	for (i = 0; i < n; i++) {
		igt_assert(strcmp(e[i].backing, "shmem") == 0);
		igt_assert(e[i].handles >= 1 && e[i].refs >= 1);
		if (e[i].bo_size == a.size) {
			igt_assert(strcmp(e[i].state, "exported") == 0);
		} else {
			igt_assert_eq(e[i].bo_size, b.size);
			igt_assert(strcmp(e[i].state, "-") == 0);
			igt_assert(e[i].pins >= 1);
		}
	}
	one.size = sizeof(one);
	igt_assert_eq(vgem_list_objects(fd0, &one, 1), 2);	/* count, one filled */
	igt_assert(one.bo_size == a.size || one.bo_size == b.size);
	n = vgem_list_objects(fd1, e, 4);
	igt_assert_eq(n, 1);
	igt_assert_eq(e[0].bo_size, a.size);
	igt_assert(strcmp(e[0].state, "imported") == 0);
	igt_assert(strcmp(e[0].backing, "import") == 0);

	igt_assert_eq(vgem_get_stats(fd0, &st), 0);
	igt_assert_eq(st.objects, 2);
	igt_assert_eq(st.bytes, a.size + b.size);
	igt_assert_eq(st.exported, 1);
	igt_assert_eq(st.imported, 0);
	igt_assert_eq(st.pinned, 2);	/* b by our mapping, a by device 1's attachment */
	igt_assert_eq(vgem_get_stats(fd1, &st), 0);
	igt_assert_eq(st.objects, 1);
	igt_assert_eq(st.imported, 1);
	igt_assert_eq(st.hash_lookups, lookups + 1);
	igt_assert_eq(st.hash_hits, hits);

	/* Another file of device 1 imports it: the same object, one hit. */
	fd1b = igt_libvgem_card(1);
	igt_assert_eq(vgem_bo_import(fd1b, dmabuf, &imp2), 0);
	igt_assert_eq(vgem_get_stats(fd1, &st), 0);
	igt_assert_eq(st.objects, 1);
	igt_assert_eq(st.hash_lookups, lookups + 2);
	igt_assert_eq(st.hash_hits, hits + 1);
	close(fd1b);

	e[0].size = 8;
	igt_assert_eq(vgem_list_objects(fd0, e, 4), -EINVAL);
	igt_assert_eq(vgem_list_objects(fd0, NULL, 4), -EINVAL);
	igt_assert_eq(vgem_get_stats(fd0, NULL), -EINVAL);
	st.size = 8;
	igt_assert_eq(vgem_get_stats(fd0, &st), -EINVAL);
	st.size = sizeof(st);
	null = devnull();
	igt_assert_eq(vgem_get_stats(null, &st), -ENODEV);
	igt_assert_eq(vgem_list_objects(null, NULL, 0), -ENODEV);
	close(null);

	vgem_bo_unmap(map, b.size);
	close(dmabuf);
	close(fd1);
	close(fd0);
}

/* Words of @bytes at @ptr: word i is @seed + i * 2654435761. */
static void fill_words(void *ptr, uint64_t bytes, uint32_t seed)
{
	uint32_t *w = ptr;
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		w[i] = seed + i * 2654435761u;
}

/* Whether @ptr holds fill_words(@seed)'s words; asserts the first that differs. */
static void check_words(const void *ptr, uint64_t bytes, uint32_t seed)
{
	const uint32_t *w = ptr;
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		igt_assert_f(w[i] == (uint32_t)(seed + i * 2654435761u),
			     "word %zu: %#x, not %#x\n", i, w[i],
			     (uint32_t)(seed + i * 2654435761u));
}

/*
 * A cached buffer as its contract says: BO_INFO tells CACHED, every CPU
 * access is bracketed on its dma-buf, and data written through one mapping
 * (the DRM node's, then the dma-buf's) is read back through the other.
 */
static void check_cached_bo(int fd, const struct vgem_bo *bo)
{
	struct vgem_bo_info info = VGEM_INIT(struct vgem_bo_info);
	void *node_map, *dmabuf_map;
	int dmabuf;

	igt_assert_eq(vgem_bo_get_info(fd, bo->handle, &info), 0);
	igt_assert_eq(info.flags & ~VGEM_BO_INFO_CONTIGUOUS, VGEM_BO_INFO_CACHED);
	igt_assert_eq(info.bo_size, bo->size);

	igt_assert_eq(vgem_bo_export(fd, bo->handle, VGEM_EXPORT_RDWR, &dmabuf), 0);
	igt_assert_eq(vgem_bo_map(fd, bo, VGEM_MAP_READ | VGEM_MAP_WRITE, &node_map), 0);
	igt_assert_eq(vgem_dmabuf_map(dmabuf, bo->size, VGEM_MAP_READ | VGEM_MAP_WRITE,
				      &dmabuf_map), 0);

	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_WRITE), 0);
	fill_words(node_map, bo->size, bo->handle);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_WRITE), 0);
	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_READ), 0);
	check_words(dmabuf_map, bo->size, bo->handle);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_READ), 0);

	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_RW), 0);
	fill_words(dmabuf_map, bo->size, ~bo->handle);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_RW), 0);
	igt_assert_eq(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_READ), 0);
	check_words(node_map, bo->size, ~bo->handle);
	igt_assert_eq(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_READ), 0);

	igt_assert_eq(vgem_bo_get_info(fd, bo->handle, &info), 0);
	igt_assert_eq(info.flags & ~VGEM_BO_INFO_CONTIGUOUS,
		      VGEM_BO_INFO_CACHED | VGEM_BO_INFO_EXPORTED);
	igt_assert_eq(vgem_bo_unmap(dmabuf_map, bo->size), 0);
	igt_assert_eq(vgem_bo_unmap(node_map, bo->size), 0);
	close(dmabuf);
}

/*
 * VGEM_BO_CREATE_CACHED with each memory choice: the default, shmem,
 * contiguous (with a context: movablecore=) and contiguous-or-shmem.
 */
static void test_cached(void)
{
	static const struct {
		uint32_t flags;
		const char *backing;	/* NULL: contig or shmem */
	} memory[] = {
		{ 0, "shmem" },		/* dumb_memory=shmem, the default */
		{ VGEM_BO_CREATE_SHMEM, "shmem" },
		{ VGEM_BO_CREATE_CONTIGUOUS, "contig" },
		{ VGEM_BO_CREATE_CONTIGUOUS | VGEM_BO_CREATE_FALLBACK, NULL },
	};
	struct vgem_bo_info info = VGEM_INIT(struct vgem_bo_info);
	struct vgem_bo bo;
	uint64_t caps;
	unsigned int i;
	int fd, render, ret;

	fd = card_with_bo_create(VGEM_BO_CREATE_CACHED,
				 VGEM_BO_CREATE_CACHED | VGEM_BO_CREATE_SHMEM, &caps);
	/* Our driver before cached buffers: the library's -EOPNOTSUPP. */
	ret = vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_CACHED, &bo);
	if (ret == -EOPNOTSUPP) {
		igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_SHMEM, &bo), 0);
		close(fd);
		igt_skip("the driver has BO_CREATE but no cached buffers: -EOPNOTSUPP checked\n");
	}
	igt_assert_eq(ret, 0);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	for (i = 0; i < sizeof(memory) / sizeof(memory[0]); i++) {
		uint32_t flags = memory[i].flags | VGEM_BO_CREATE_CACHED;

		ret = vgem_bo_create(fd, 256, 256, 32, flags, &bo);
		if (flags & VGEM_BO_CREATE_CONTIGUOUS && !(flags & VGEM_BO_CREATE_FALLBACK) &&
		    !(caps & VGEM_CAP_CONTIGUOUS)) {
			igt_assert_eq(ret, -ENODEV);
			igt_info("flags %#x: -ENODEV (no contiguous memory)\n", flags);
			continue;
		}
		igt_assert_f(ret == 0, "flags %#x: %s\n", flags, strerror(-ret));
		igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
		igt_assert_f(memory[i].backing ? !strcmp(info.backing, memory[i].backing) :
			     !strcmp(info.backing, "shmem") || !strcmp(info.backing, "contig"),
			     "flags %#x: backing %s\n", flags, info.backing);
		check_cached_bo(fd, &bo);
		igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);
	}

	/* Without the flag: write-combined, not CACHED. */
	create(fd, &bo);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
	igt_assert_eq(info.flags & VGEM_BO_INFO_CACHED, 0);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	/* BO_CREATE works on render nodes: a cached buffer there too. */
	render = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(render >= 0);
	igt_assert_eq(vgem_bo_create(render, 64, 64, 32, VGEM_BO_CREATE_CACHED, &bo), 0);
	igt_assert_eq(vgem_bo_get_info(render, bo.handle, &info), 0);
	igt_assert(info.flags & VGEM_BO_INFO_CACHED);
	igt_assert_eq(vgem_bo_close(render, bo.handle), 0);
	close(render);

	/* The memory flags' rules hold with CACHED. */
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_CACHED |
				     VGEM_BO_CREATE_FALLBACK, &bo), -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_CACHED |
				     VGEM_BO_CREATE_SHMEM | VGEM_BO_CREATE_CONTIGUOUS, &bo),
		      -EINVAL);
	igt_assert_eq(vgem_bo_create(fd, 0, 64, 32, VGEM_BO_CREATE_CACHED, &bo), -EINVAL);
	close(fd);
}

/* Reads the module parameter @name into @buf (its newline dropped). */
static void read_param(const char *name, char *buf, size_t len)
{
	int ret = igt_module_param_read("vgem", name, buf, len);

	igt_assert_f(ret == 0, "vgem parameter %s: %s\n", name, strerror(-ret));
}

/*
 * The bytes a limit parameter stands for: it reads back as bytes or as
 * "N%" of the context, which the driver rounds down as done here.
 */
static uint64_t param_bytes(const char *name, uint64_t context_bytes)
{
	unsigned long long value;
	char buf[32], *end;

	read_param(name, buf, sizeof(buf));
	value = strtoull(buf, &end, 10);
	igt_assert_f(end != buf && (!*end || !strcmp(end, "%")),
		     "%s reads \"%s\"\n", name, buf);
	return *end ? context_bytes * value / 100 : value;
}

/* The limits the statistics show are the module parameters'. */
static void assert_limits_match(int fd, struct vgem_stats *st)
{
	uint64_t context;

	igt_assert_eq(vgem_get_stats(fd, st), 0);
	igt_assert(st->valid & VGEM_STATS_CONTIG_LIMITS);
	context = st->valid & VGEM_STATS_CMA ? st->cma_bytes_total : 0;
	igt_assert_eq(st->contig_max_buffer, param_bytes("contig_max_buffer", context));
	igt_assert_eq(st->contig_user_limit, param_bytes("contig_user_limit", context));
}

/*
 * Each refusal counts once, with or without FALLBACK. Runs in a child
 * process, which sets contig_max_buffer=3M (contig_user_limit is 2M) and
 * drops CAP_SYS_RESOURCE; the parent restores the parameters.
 */
static void limits_refusals(int fd)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats), now = st;
	struct vgem_bo_info info = VGEM_INIT(struct vgem_bo_info);
	struct vgem_bo small, bo;

	igt_assert_eq(igt_module_param_write("vgem", "contig_max_buffer", "3M"), 0);
	assert_limits_match(fd, &st);
	igt_assert_eq(st.contig_max_buffer, 3 << 20);
	igt_assert_eq(st.contig_user_limit, 2 << 20);

	/* 4 MiB: over the buffer limit. */
	igt_assert_eq(vgem_bo_create(fd, 1024, 1024, 32, VGEM_BO_CREATE_CONTIGUOUS, &bo),
		      -EFBIG);
	igt_assert_eq(vgem_bo_create(fd, 1024, 1024, 32, VGEM_BO_CREATE_CONTIGUOUS |
				     VGEM_BO_CREATE_FALLBACK, &bo), 0);
	igt_assert_eq(vgem_bo_get_info(fd, bo.handle, &info), 0);
	igt_assert(strcmp(info.backing, "shmem") == 0);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);
	igt_assert_eq(vgem_get_stats(fd, &now), 0);
	igt_assert_eq(now.contig_over_max_buffer, st.contig_over_max_buffer + 2);
	igt_assert_eq(now.contig_over_user_limit, st.contig_over_user_limit);

	/* 1 MiB, then 2 MiB more: over this user's 2 MiB. */
	/* CAP_SYS_RESOURCE exempts root from contig_user_limit. */
	igt_drop_capability(CAP_SYS_RESOURCE);
	igt_assert_eq(vgem_bo_create(fd, 512, 512, 32, VGEM_BO_CREATE_CONTIGUOUS, &small), 0);
	igt_assert_eq(vgem_bo_create(fd, 512, 1024, 32, VGEM_BO_CREATE_CONTIGUOUS, &bo),
		      -EDQUOT);
	igt_assert_eq(vgem_get_stats(fd, &now), 0);
	igt_assert_eq(now.contig_over_max_buffer, st.contig_over_max_buffer + 2);
	igt_assert_eq(now.contig_over_user_limit, st.contig_over_user_limit + 1);
	igt_assert_eq(vgem_bo_close(fd, small.handle), 0);
}

/*
 * VGEM_STATS_CONTIG_LIMITS: the limits are the module parameters', in
 * bytes, following them when root changes them; the counters count the
 * refusals (with a context); a caller of libvgem 1.1 does not get them.
 */
static void test_stats_contig_limits(void)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats), v1;
	char max_buffer[32], user_limit[32];
	int fd, status, ret;
	pid_t pid;

	igt_libvgem_require_device();
	fd = igt_libvgem_card(0);
	/* The driver's STATS ioctl came after its limits: it always has them. */
	require_stats_ioctl(fd);
	assert_limits_match(fd, &st);

	memset(&v1, 0x77, sizeof(v1));
	v1.size = offsetof(struct vgem_stats, contig_max_buffer);
	igt_assert_eq(vgem_get_stats(fd, &v1), 0);
	igt_assert_eq(v1.valid & VGEM_STATS_CONTIG_LIMITS, 0);
	igt_assert_eq(v1.objects, st.objects);
	igt_assert_eq(v1.contig_max_buffer, 0x7777777777777777ull);

	/* Changed at run time (root), restored whatever the child does. */
	read_param("contig_max_buffer", max_buffer, sizeof(max_buffer));
	read_param("contig_user_limit", user_limit, sizeof(user_limit));
	igt_assert_eq(igt_module_param_write("vgem", "contig_max_buffer", "1%"), 0);
	igt_assert_eq(igt_module_param_write("vgem", "contig_user_limit", "2M"), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		assert_limits_match(fd, &st);
		if (st.valid & VGEM_STATS_CMA)
			limits_refusals(fd);
		_exit(0);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	ret = igt_module_param_write("vgem", "contig_max_buffer", max_buffer);
	igt_assert_eq(igt_module_param_write("vgem", "contig_user_limit", user_limit), 0);
	igt_assert_eq(ret, 0);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "the child failed (status %#x)\n", status);
	assert_limits_match(fd, &st);
	if (!(st.valid & VGEM_STATS_CMA)) {
		close(fd);
		igt_skip("no contiguous memory (boot with movablecore=256M): "
			 "limits checked, refusals not\n");
	}
	close(fd);
}

#define THREADS		4
#define ROUNDS		40

/* Every thread: create, map, write, export, import on the other device, check. */
static void *worker(void *arg)
{
	int fd0 = ((int *)arg)[0], fd1 = ((int *)arg)[1];
	uintptr_t bad = 0;
	int r;

	for (r = 0; r < ROUNDS && !bad; r++) {
		struct vgem_bo bo, imp;
		uint32_t *p;
		void *map;
		int dmabuf;

		if (vgem_bo_create(fd0, 256, 64, 32, 0, &bo) ||
		    vgem_bo_map(fd0, &bo, VGEM_MAP_READ | VGEM_MAP_WRITE, &map)) {
			bad = 1;
			break;
		}
		p = map;
		p[0] = bo.handle;
		vgem_bo_unmap(map, bo.size);
		if (vgem_bo_export(fd0, bo.handle, 0, &dmabuf) ||
		    vgem_bo_import(fd1, dmabuf, &imp) ||
		    vgem_bo_map(fd1, &imp, VGEM_MAP_READ, &map)) {
			bad = 2;
			break;
		}
		p = map;
		bad = p[0] != bo.handle ? 3 : 0;
		vgem_bo_unmap(map, imp.size);
		close(dmabuf);
		if (vgem_bo_close(fd1, imp.handle) || vgem_bo_close(fd0, bo.handle) ||
		    vgem_device_count() != 2)
			bad = 4;
	}
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t th[THREADS];
	int fds[2], i;
	void *ret;

	reload(2);
	fds[0] = igt_libvgem_card(0);
	fds[1] = igt_libvgem_card(1);
	for (i = 0; i < THREADS; i++)
		igt_assert_eq(pthread_create(&th[i], NULL, worker, fds), 0);
	for (i = 0; i < THREADS; i++) {
		igt_assert_eq(pthread_join(th[i], &ret), 0);
		igt_assert_f(!ret, "thread %d failed at step %ld\n", i, (long)(uintptr_t)ret);
	}
	if (vgem_list_objects(fds[0], NULL, 0) != -ENOENT) {
		igt_assert_eq(vgem_list_objects(fds[0], NULL, 0), 0);
		igt_assert_eq(vgem_list_objects(fds[1], NULL, 0), 0);
	}
	close(fds[1]);
	close(fds[0]);
}

/* Ordered so that the module is reloaded as rarely as possible. */
static const struct igt_subtest subtests[] = {
	{ "devices", test_devices },
	{ "open", test_open },
	{ "prime", test_prime },
	{ "objects-stats", test_objects_stats },
	{ "threads", test_threads },
	{ "version-caps", test_version_caps },
	{ "bo-create-close", test_bo_create_close },
	{ "bo-create-memory", test_bo_create_memory },
	{ "bo-map", test_bo_map },
	{ "bo-info", test_bo_info },
	{ "cached", test_cached },
	{ "stats-contig-limits", test_stats_contig_limits },
	{ "dmabuf-sync", test_sync },
	{ "fences", test_fences },
	{ "no-device", test_no_device },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
