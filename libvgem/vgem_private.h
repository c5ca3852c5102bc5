/* SPDX-License-Identifier: MIT */
/*
 * libvgem internals shared by its source files. They are hidden: the
 * version script would export them (their names start with vgem_).
 */
#ifndef LIBVGEM_VGEM_PRIVATE_H
#define LIBVGEM_VGEM_PRIVATE_H

#include <errno.h>
#include <stddef.h>

#include "vgem.h"

#define VGEM_HIDDEN __attribute__((visibility("hidden")))

/*
 * Copies @src (@src_size bytes) to a caller structure whose first member is
 * its uint32_t size: no more than that size, zeroing what the library does
 * not know, keeping the caller's size. -EINVAL when it is below @min_size.
 */
VGEM_HIDDEN int vgem__copy_out(void *dst, const void *src, size_t src_size,
			       size_t min_size);
/* 0 when @fd is a vgem node, -ENODEV or -EBADF otherwise. */
VGEM_HIDDEN int vgem__is_vgem(int fd);
/* The device @fd is a node of. */
VGEM_HIDDEN int vgem__device_of_fd(int fd, struct vgem_device_info *info);
/* The result of a libdrm call that returns -1 and sets errno, as -errno. */
static inline int vgem__drm_ret(int ret)
{
	if (!ret)
		return 0;
	return errno > 0 ? -errno : -EIO;
}

#endif /* LIBVGEM_VGEM_PRIVATE_H */
