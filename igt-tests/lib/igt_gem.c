// SPDX-License-Identifier: MIT
/*
 * The DRM core's buffer ioctls (igt_gem.h).
 */
#include "igt_gem.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <xf86drm.h>

#include "igt.h"

int igt_ioctl(int fd, unsigned long request, void *arg)
{
	return drmIoctl(fd, request, arg) ? -errno : 0;
}

int __vgem_create(int fd, struct vgem_bo *bo)
{
	struct drm_mode_create_dumb arg = {
		.width = bo->width, .height = bo->height, .bpp = bo->bpp,
	};
	int ret = igt_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg);

	if (ret)
		return ret;
	bo->handle = arg.handle;
	bo->pitch = arg.pitch;
	bo->size = arg.size;
	return 0;
}

void vgem_create(int fd, struct vgem_bo *bo)
{
	int ret = __vgem_create(fd, bo);

	igt_assert_f(ret == 0, "CREATE_DUMB %ux%u@%u: %s\n",
		     bo->width, bo->height, bo->bpp, strerror(-ret));
}

int __vgem_map_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_mode_map_dumb arg = { .handle = handle };
	int ret = igt_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &arg);

	if (!ret)
		*offset = arg.offset;
	return ret;
}

void *vgem_mmap(int fd, const struct vgem_bo *bo, int prot)
{
	uint64_t offset;
	void *ptr;
	int ret = __vgem_map_offset(fd, bo->handle, &offset);

	igt_assert_f(ret == 0, "MAP_DUMB: %s\n", strerror(-ret));
	ptr = mmap(NULL, bo->size, prot, MAP_SHARED, fd, (off_t)offset);
	igt_assert_f(ptr != MAP_FAILED, "mmap: %s\n", strerror(errno));
	return ptr;
}

int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

void gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(__gem_close(fd, handle), 0);
}

int __prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	struct drm_prime_handle arg = { .handle = handle, .flags = flags, .fd = -1 };
	int ret = igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &arg);

	if (!ret)
		*dmabuf = arg.fd;
	return ret;
}

int prime_handle_to_fd(int fd, uint32_t handle)
{
	int dmabuf = -1;
	int ret = __prime_handle_to_fd(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf);

	igt_assert_f(ret == 0, "PRIME_HANDLE_TO_FD: %s\n", strerror(-ret));
	return dmabuf;
}

int __prime_fd_to_handle(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle arg = { .fd = dmabuf };
	int ret = igt_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &arg);

	if (!ret)
		*handle = arg.handle;
	return ret;
}

uint32_t prime_fd_to_handle(int fd, int dmabuf)
{
	uint32_t handle = 0;
	int ret = __prime_fd_to_handle(fd, dmabuf, &handle);

	igt_assert_f(ret == 0, "PRIME_FD_TO_HANDLE: %s\n", strerror(-ret));
	return handle;
}

int __vgem_destroy_dumb(int fd, uint32_t handle)
{
	struct drm_mode_destroy_dumb arg = { .handle = handle };

	return igt_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &arg);
}

int __gem_flink(int fd, uint32_t handle, uint32_t *name)
{
	struct drm_gem_flink arg = { .handle = handle };
	int ret = igt_ioctl(fd, DRM_IOCTL_GEM_FLINK, &arg);

	if (!ret)
		*name = arg.name;
	return ret;
}

uint32_t gem_flink(int fd, uint32_t handle)
{
	uint32_t name = 0;
	int ret = __gem_flink(fd, handle, &name);

	igt_assert_f(ret == 0, "GEM_FLINK of handle %u: %s\n", handle, strerror(-ret));
	return name;
}

bool igt_prime_fd_handle_in_core(void)
{
	unsigned int major = 0, minor = 0;
	struct utsname u;

	igt_assert_eq(uname(&u), 0);
	igt_assert_eq(sscanf(u.release, "%u.%u", &major, &minor), 2);
	return major > 6 || (major == 6 && minor >= 6);
}
