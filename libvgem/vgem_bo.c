// SPDX-License-Identifier: MIT
/*
 * libvgem: capabilities, buffer objects, mappings and PRIME.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm/vgem_drm.h"
#include "vgem.h"
#include "vgem_private.h"

/* An id no file can own: the driver's ids are at most INT_MAX. */
#define FENCE_ID_NONE	0xffffffffu
/* A handle no object has: GEM handles start at 1. */
#define HANDLE_NONE	0u

#define BO_CREATE_FLAGS	(VGEM_BO_CREATE_CONTIGUOUS | VGEM_BO_CREATE_SHMEM | \
			 VGEM_BO_CREATE_FALLBACK | VGEM_BO_CREATE_CACHED)

/*
 * Whether the driver has the BO_CREATE/BO_INFO extension: asking about a
 * handle no object has gives -ENOENT there; upstream vgem answers an
 * ioctl number it does not have with -EINVAL.
 */
static bool has_bo_ioctls(int fd)
{
	struct drm_vgem_bo_info probe = { .handle = HANDLE_NONE };

	return drmIoctl(fd, DRM_IOCTL_VGEM_BO_INFO, &probe) && errno == ENOENT;
}

/*
 * Whether the driver has contiguous memory: a zero-sized contiguous
 * request fails with -ENODEV when it has none, else with -EINVAL for the
 * size. Meaningful only where has_bo_ioctls().
 */
static bool has_contiguous(int fd)
{
	struct drm_vgem_bo_create probe = { .flags = VGEM_BO_CONTIGUOUS };

	return drmIoctl(fd, DRM_IOCTL_VGEM_BO_CREATE, &probe) && errno == EINVAL;
}

int vgem_get_caps(int fd, uint64_t *caps)
{
	struct drm_vgem_fence_signal probe = { .fence = FENCE_ID_NONE };
	struct drm_mode_create_dumb dumb = { 0 };
	uint64_t value;
	int ret;

	if (!caps)
		return -EINVAL;
	ret = vgem_check_fd(fd);
	if (ret)
		return ret;
	*caps = 0;
	/*
	 * DRM_CAP_DUMB_BUFFER is refused to drivers without modesetting, so
	 * ask CREATE_DUMB itself: with a zero size it fails with -EINVAL when
	 * the driver has dumb buffers (-ENOSYS when not, -EACCES on render nodes).
	 */
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb) && errno == EINVAL)
		*caps |= VGEM_CAP_DUMB;
	if (drmGetCap(fd, DRM_CAP_PRIME, &value) == 0) {
		if (value & DRM_PRIME_CAP_EXPORT)
			*caps |= VGEM_CAP_PRIME_EXPORT;
		if (value & DRM_PRIME_CAP_IMPORT)
			*caps |= VGEM_CAP_PRIME_IMPORT;
	}
	if (drmIoctl(fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &probe) && errno == ENOENT)
		*caps |= VGEM_CAP_FENCES;
	/*
	 * The per-device dma-buf hash has no call of its own to probe; it came
	 * in the same driver version as the BO_CREATE/BO_INFO extension.
	 */
	if (has_bo_ioctls(fd)) {
		*caps |= VGEM_CAP_BO_INFO | VGEM_CAP_DMABUF_HASH;
		if (has_contiguous(fd))
			*caps |= VGEM_CAP_CONTIGUOUS;
	}
	return 0;
}

/*
 * Whether the driver has cached buffers (VGEM_BO_CACHED). Every invalid
 * request fails with -EINVAL on drivers with and without it, so this
 * creates the smallest cached buffer there is (a shmem object gets no
 * pages before it is mapped) and closes it again. Meaningful only where
 * has_bo_ioctls(); called only when a cached request failed with -EINVAL.
 */
static bool has_cached(int fd)
{
	struct drm_vgem_bo_create probe = {
		.width = 1, .height = 1, .bpp = 8,
		.flags = VGEM_BO_SHMEM | VGEM_BO_CACHED,
	};
	struct drm_gem_close close_arg = { 0 };

	if (drmIoctl(fd, DRM_IOCTL_VGEM_BO_CREATE, &probe))
		return errno != EINVAL;
	close_arg.handle = probe.handle;
	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &close_arg);
	return true;
}

static void fill_bo(struct vgem_bo *bo, uint32_t handle, uint32_t width,
		    uint32_t height, uint32_t bpp, uint32_t pitch, uint64_t size)
{
	memset(bo, 0, sizeof(*bo));
	bo->handle = handle;
	bo->width = width;
	bo->height = height;
	bo->bpp = bpp;
	bo->pitch = pitch;
	bo->size = size;
}

/* DRM_IOCTL_VGEM_BO_CREATE; -EOPNOTSUPP where the driver lacks it. */
static int bo_create_ext(int fd, uint32_t width, uint32_t height, uint32_t bpp,
			 uint32_t flags, uint64_t alignment, struct vgem_bo *bo)
{
	struct drm_vgem_bo_create arg = {
		.width = width, .height = height, .bpp = bpp,
		.alignment = alignment,
	};
	int ret;

	if (flags & VGEM_BO_CREATE_CONTIGUOUS)
		arg.flags |= VGEM_BO_CONTIGUOUS;
	if (flags & VGEM_BO_CREATE_SHMEM)
		arg.flags |= VGEM_BO_SHMEM;
	if (flags & VGEM_BO_CREATE_FALLBACK)
		arg.flags |= VGEM_BO_FALLBACK;
	if (flags & VGEM_BO_CREATE_CACHED)
		arg.flags |= VGEM_BO_CACHED;

	ret = vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_VGEM_BO_CREATE, &arg));
	if ((ret == -EINVAL || ret == -ENOTTY) && !has_bo_ioctls(fd)) {
		ret = vgem_check_fd(fd);
		return ret ? ret : -EOPNOTSUPP;
	}
	/* Our driver before cached buffers: an unknown flag. */
	if (ret == -EINVAL && (flags & VGEM_BO_CREATE_CACHED) && !has_cached(fd))
		return -EOPNOTSUPP;
	if (ret)
		return ret;
	fill_bo(bo, arg.handle, width, height, bpp, arg.pitch, arg.size);
	return 0;
}

int vgem_bo_create_aligned(int fd, uint32_t width, uint32_t height,
			   uint32_t bpp, uint32_t flags, uint64_t alignment,
			   struct vgem_bo *bo)
{
	struct drm_mode_create_dumb arg = {
		.width = width, .height = height, .bpp = bpp,
	};
	int ret;

	if (!bo || (flags & ~BO_CREATE_FLAGS))
		return -EINVAL;
	if ((flags & VGEM_BO_CREATE_CONTIGUOUS) && (flags & VGEM_BO_CREATE_SHMEM))
		return -EINVAL;
	if ((flags & VGEM_BO_CREATE_FALLBACK) && !(flags & VGEM_BO_CREATE_CONTIGUOUS))
		return -EINVAL;
	if (alignment && !(flags & VGEM_BO_CREATE_CONTIGUOUS))
		return -EINVAL;
	if (!width || !height || !bpp)
		return -EINVAL;
	if (flags)
		return bo_create_ext(fd, width, height, bpp, flags, alignment, bo);

	ret = vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg));
	if (ret)
		return ret;
	fill_bo(bo, arg.handle, width, height, bpp, arg.pitch, arg.size);
	return 0;
}

int vgem_bo_create(int fd, uint32_t width, uint32_t height, uint32_t bpp,
		   uint32_t flags, struct vgem_bo *bo)
{
	return vgem_bo_create_aligned(fd, width, height, bpp, flags, 0, bo);
}

int vgem_bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &arg));
}

/* PROT_* of VGEM_MAP_* @prot, or -EINVAL. */
static int map_prot(unsigned int prot)
{
	int mprot = 0;

	if (!prot || (prot & ~(VGEM_MAP_READ | VGEM_MAP_WRITE)))
		return -EINVAL;
	if (prot & VGEM_MAP_READ)
		mprot |= PROT_READ;
	if (prot & VGEM_MAP_WRITE)
		mprot |= PROT_WRITE;
	return mprot;
}

static int map_fd(int fd, uint64_t size, int mprot, off_t offset, void **ptr)
{
	void *addr = mmap(NULL, size, mprot, MAP_SHARED, fd, offset);

	if (addr == MAP_FAILED)
		return -errno;
	*ptr = addr;
	return 0;
}

int vgem_bo_map(int fd, const struct vgem_bo *bo, unsigned int prot,
		void **ptr)
{
	struct drm_mode_map_dumb arg = { 0 };
	int mprot = map_prot(prot);
	int ret;

	if (!bo || !ptr || !bo->size || bo->size > SIZE_MAX || mprot < 0)
		return -EINVAL;
	arg.handle = bo->handle;
	ret = vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &arg));
	if (ret)
		return ret;
	return map_fd(fd, bo->size, mprot, arg.offset, ptr);
}

int vgem_dmabuf_map(int dmabuf, uint64_t size, unsigned int prot, void **ptr)
{
	int mprot = map_prot(prot);

	if (!ptr || !size || size > SIZE_MAX || mprot < 0)
		return -EINVAL;
	return map_fd(dmabuf, size, mprot, 0, ptr);
}

int vgem_bo_unmap(void *ptr, uint64_t size)
{
	if (!ptr || !size || size > SIZE_MAX)
		return -EINVAL;
	return munmap(ptr, size) ? -errno : 0;
}

int vgem_bo_export(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	uint32_t drm_flags = DRM_CLOEXEC;

	if (!dmabuf || (flags & ~VGEM_EXPORT_RDWR))
		return -EINVAL;
	if (flags & VGEM_EXPORT_RDWR)
		drm_flags |= DRM_RDWR;
	return vgem__drm_ret(drmPrimeHandleToFD(fd, handle, drm_flags, dmabuf));
}

int vgem_bo_import(int fd, int dmabuf, struct vgem_bo *bo)
{
	uint32_t handle;
	off_t size;
	int ret;

	if (!bo)
		return -EINVAL;
	ret = vgem__drm_ret(drmPrimeFDToHandle(fd, dmabuf, &handle));
	if (ret)
		return ret;
	/* A dma-buf's size is what seeking to its end answers. */
	size = lseek(dmabuf, 0, SEEK_END);
	if (size <= 0) {
		ret = size < 0 ? -errno : -EINVAL;
		vgem_bo_close(fd, handle);
		return ret;
	}
	lseek(dmabuf, 0, SEEK_SET);
	memset(bo, 0, sizeof(*bo));
	bo->handle = handle;
	bo->size = size;
	return 0;
}

/* The debugfs name of a VGEM_BACKING_* value. */
static const char *backing_name(uint32_t backing)
{
	switch (backing) {
	case VGEM_BACKING_SHMEM:
		return "shmem";
	case VGEM_BACKING_CONTIGUOUS:
		return "contig";
	case VGEM_BACKING_IMPORT:
		return "import";
	default:
		return "unknown";
	}
}

int vgem_bo_get_info(int fd, uint32_t handle, struct vgem_bo_info *info)
{
	struct drm_vgem_bo_info arg = { .handle = handle };
	struct vgem_bo_info out = { .size = sizeof(out) };
	int ret;

	if (!info || info->size < offsetof(struct vgem_bo_info, extents))
		return -EINVAL;
	ret = vgem_check_fd(fd);
	if (ret)
		return ret;
	ret = vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_VGEM_BO_INFO, &arg));
	/* Upstream vgem: no such ioctl (our driver says -EINVAL only for pad). */
	if (ret == -EINVAL || ret == -ENOTTY)
		return -EOPNOTSUPP;
	if (ret)
		return ret;

	out.flags = arg.flags & (VGEM_BO_INFO_IMPORTED | VGEM_BO_INFO_EXPORTED |
				 VGEM_BO_INFO_CONTIGUOUS | VGEM_BO_INFO_CACHED);
	out.bo_size = arg.size;
	snprintf(out.backing, sizeof(out.backing), "%s", backing_name(arg.backing));
	out.extents = arg.extents;
	out.alignment = arg.alignment;
	return vgem__copy_out(info, &out, sizeof(out),
			      offsetof(struct vgem_bo_info, extents));
}
