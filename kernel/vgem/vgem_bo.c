// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem dumb buffers: which memory they get, and the BO_CREATE and BO_INFO
 * extension ioctls.
 *
 * The module parameter dumb_memory is the policy of DRM_IOCTL_MODE_CREATE_DUMB
 * and of BO_CREATE without a memory flag:
 *   shmem                shmem memory (the default: upstream's behaviour)
 *   contiguous           contiguous memory; -ENODEV without a context,
 *                        -ENOMEM when it is full
 *   contiguous-or-shmem  contiguous memory, shmem when none can be had
 * BO_CREATE's flags override it: VGEM_BO_SHMEM, VGEM_BO_CONTIGUOUS, and
 * VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK (contiguous, else shmem).
 * docs/contiguous-buffers.md has the table and the errors. VGEM_BO_CACHED,
 * with any of them, makes the CPU mappings write-back instead of
 * write-combined (vgem_caching.c).
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "drm/vgem_drm.h"
#include "vgem_drv.h"
#include "vgem_gem.h"

#define VGEM_BO_MEMORY_FLAGS	(VGEM_BO_CONTIGUOUS | VGEM_BO_SHMEM | VGEM_BO_FALLBACK)
#define VGEM_BO_CREATE_FLAGS	(VGEM_BO_MEMORY_FLAGS | VGEM_BO_CACHED)
#define VGEM_BO_MAX_ALIGNMENT	SZ_256M

static char dumb_memory[24] = "shmem";
module_param_string(dumb_memory, dumb_memory, sizeof(dumb_memory), 0444);
MODULE_PARM_DESC(dumb_memory,
		 "Memory of dumb buffers: shmem (default), contiguous, contiguous-or-shmem");

/* BO_CREATE memory flags equivalent to dumb_memory; set at module load. */
static u32 vgem_default_memory = VGEM_BO_SHMEM;

/**
 * vgem_bo_policy_init() - parse the dumb_memory module parameter
 *
 * Return: 0, or -EINVAL for a value that names no policy (the module then
 * refuses to load).
 */
int vgem_bo_policy_init(void)
{
	static const struct {
		const char *name;
		u32 flags;
	} policies[] = {
		{ "shmem", VGEM_BO_SHMEM },
		{ "contiguous", VGEM_BO_CONTIGUOUS },
		{ "contiguous-or-shmem", VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		if (sysfs_streq(dumb_memory, policies[i].name)) {
			vgem_default_memory = policies[i].flags;
			return 0;
		}
	}
	pr_err("vgem: dumb_memory must be shmem, contiguous or contiguous-or-shmem\n");
	return -EINVAL;
}

/*
 * vgem_dumb_size() - pitch and size of a dumb buffer
 * @width: pixels per line
 * @height: lines
 * @bpp: bits per pixel
 * @pitch: receives the bytes per line
 * @size: receives the size in bytes, page aligned
 *
 * The limits are those the DRM core applies to CREATE_DUMB before calling
 * the driver (sizes computed in 32 bits must not overflow), so both ioctls
 * accept the same buffers, which are at most 4 GiB - PAGE_SIZE. The pitch
 * is the smallest that holds a line (bits rounded up to bytes), computed
 * in 64 bits so that it is never too small for the line.
 *
 * Return: 0, or -EINVAL for a zero or overflowing size.
 */
static int vgem_dumb_size(u32 width, u32 height, u32 bpp, u32 *pitch, u64 *size)
{
	u64 cpp, stride, bytes;

	if (!width || !height || !bpp || bpp > U32_MAX - 8)
		return -EINVAL;
	cpp = DIV_ROUND_UP(bpp, 8);
	if (cpp > U32_MAX / width)
		return -EINVAL;
	stride = cpp * width;
	if (height > U32_MAX / stride || PAGE_ALIGN(height * stride) > U32_MAX)
		return -EINVAL;

	bytes = DIV_ROUND_UP((u64)width * bpp, 8);
	*pitch = bytes;
	*size = PAGE_ALIGN(bytes * height);
	return 0;
}

/*
 * vgem_dumb_object_create() - create a dumb buffer in the memory asked for
 * @dev: the DRM device
 * @size: bytes, a multiple of PAGE_SIZE
 * @flags: %VGEM_BO_SHMEM, %VGEM_BO_CONTIGUOUS (with %VGEM_BO_FALLBACK or
 *	not), or neither for the dumb_memory policy; %VGEM_BO_CACHED or not;
 *	already validated
 * @align: 0, or the alignment of a contiguous buffer; already validated
 *
 * Return: the object with one reference, or an ERR_PTR(): for contiguous
 * memory without fallback -ENODEV (no context), -EFBIG or -EDQUOT (over a
 * limit, vgem_contig_quota.c), -ENOMEM (no room), -EINTR.
 */
static struct vgem_object *vgem_dumb_object_create(struct drm_device *dev,
						   u64 size, u32 flags, u64 align)
{
	bool cached = flags & VGEM_BO_CACHED;
	struct vgem_object *vobj;

	if (!(flags & (VGEM_BO_CONTIGUOUS | VGEM_BO_SHMEM)))
		flags |= vgem_default_memory;

	if (flags & VGEM_BO_CONTIGUOUS) {
		vobj = vgem_object_create(dev, size, align, cached,
					  &vgem_contig_backing);
		if (!IS_ERR(vobj) || !(flags & VGEM_BO_FALLBACK))
			return vobj;
		/* Fall back only when contiguous memory cannot be had. */
		switch (PTR_ERR(vobj)) {
		case -ENODEV:
		case -ENOMEM:
		case -EFBIG:
		case -EDQUOT:
			break;
		default:
			return vobj;
		}
	}
	return vgem_object_create(dev, size, 0, cached, &vgem_shmem_backing);
}

/**
 * vgem_dumb_create() - &drm_driver.dumb_create
 * @file: the DRM file that gets the handle
 * @dev: the DRM device
 * @args: width, height and bpp in; handle, pitch and size out
 *
 * The DRM core has already rejected zero sizes and any width/height/bpp
 * whose 32-bit size computation overflows, and zeroed pitch and size.
 * vgem_dumb_size() computes pitch and size as upstream vgem does, but the
 * pitch in 64 bits. The memory is what the dumb_memory module parameter
 * says (shmem by default, see vgem_dumb_object_create()).
 *
 * Return: 0 or a negative errno.
 */
int vgem_dumb_create(struct drm_file *file, struct drm_device *dev,
		     struct drm_mode_create_dumb *args)
{
	struct vgem_object *vobj;
	u32 pitch;
	u64 size;
	int ret;

	ret = vgem_dumb_size(args->width, args->height, args->bpp, &pitch, &size);
	if (ret)
		return ret;

	vobj = vgem_dumb_object_create(dev, size, 0, 0);
	if (IS_ERR(vobj))
		return PTR_ERR(vobj);

	ret = drm_gem_handle_create(file, &vobj->base, &args->handle);
	/* The handle holds the object now, or nothing does. */
	drm_gem_object_put(&vobj->base);
	if (ret)
		return ret;

	args->pitch = pitch;
	args->size = size;
	return 0;
}

/**
 * vgem_dumb_map_offset() - &drm_driver.dumb_map_offset
 * @file: the DRM file the handle belongs to
 * @dev: the DRM device
 * @handle: the object
 * @offset: receives the fake offset to pass to mmap() on the DRM fd
 *
 * Unlike the DRM core's default, imported objects get an offset too: their
 * mappings are forwarded to the exporter with dma_buf_mmap().
 *
 * Return: 0, -ENOENT for an unknown handle, or another negative errno.
 */
int vgem_dumb_map_offset(struct drm_file *file, struct drm_device *dev,
			 u32 handle, u64 *offset)
{
	struct drm_gem_object *obj;
	int ret;

	obj = drm_gem_object_lookup(file, handle);
	if (!obj)
		return -ENOENT;

	/* Every object has one since vgem_object_publish(); this is a no-op. */
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		*offset = drm_vma_node_offset_addr(&obj->vma_node);

	drm_gem_object_put(obj);
	return ret;
}

/**
 * vgem_bo_create_ioctl() - DRM_IOCTL_VGEM_BO_CREATE
 * @dev: the DRM device
 * @data: struct drm_vgem_bo_create
 * @file: the DRM file that gets the handle
 *
 * Every field is checked before anything is allocated: unknown flags,
 * %VGEM_BO_CONTIGUOUS with %VGEM_BO_SHMEM, %VGEM_BO_FALLBACK without
 * %VGEM_BO_CONTIGUOUS, a bad alignment and a nonzero pad are -EINVAL; then
 * a contiguous request without fallback fails with -ENODEV when vgem has
 * no contiguous memory context (before the size is looked at, so that a
 * zero-sized request tells whether contiguous memory exists); then the
 * sizes are checked as CREATE_DUMB checks them; then the contiguous
 * memory limits (-EFBIG, -EDQUOT, vgem_contig_quota.c) unless
 * %VGEM_BO_FALLBACK gives shmem instead. handle, pitch and size are
 * outputs: their input values are ignored, as CREATE_DUMB does.
 *
 * Return: 0 or a negative errno.
 */
int vgem_bo_create_ioctl(struct drm_device *dev, void *data,
			 struct drm_file *file)
{
	struct drm_vgem_bo_create *args = data;
	u32 flags = args->flags;
	struct vgem_object *vobj;
	u32 pitch, handle;
	u64 size;
	int ret;

	if (flags & ~VGEM_BO_CREATE_FLAGS)
		return -EINVAL;
	if ((flags & VGEM_BO_CONTIGUOUS) && (flags & VGEM_BO_SHMEM))
		return -EINVAL;
	if ((flags & VGEM_BO_FALLBACK) && !(flags & VGEM_BO_CONTIGUOUS))
		return -EINVAL;
	if (args->alignment &&
	    (!(flags & VGEM_BO_CONTIGUOUS) || !is_power_of_2(args->alignment) ||
	     args->alignment < PAGE_SIZE ||
	     args->alignment > VGEM_BO_MAX_ALIGNMENT))
		return -EINVAL;
	if (args->pad)
		return -EINVAL;
	if ((flags & VGEM_BO_CONTIGUOUS) && !(flags & VGEM_BO_FALLBACK) &&
	    !vgem_contig_available())
		return -ENODEV;

	ret = vgem_dumb_size(args->width, args->height, args->bpp, &pitch, &size);
	if (ret)
		return ret;

	vobj = vgem_dumb_object_create(dev, size, flags, args->alignment);
	if (IS_ERR(vobj))
		return PTR_ERR(vobj);

	ret = drm_gem_handle_create(file, &vobj->base, &handle);
	/* The handle holds the object now, or nothing does. */
	drm_gem_object_put(&vobj->base);
	if (ret)
		return ret;

	args->handle = handle;
	args->pitch = pitch;
	args->size = size;
	return 0;
}

/**
 * vgem_bo_info_ioctl() - DRM_IOCTL_VGEM_BO_INFO
 * @dev: the DRM device
 * @data: struct drm_vgem_bo_info
 * @file: the DRM file the handle belongs to
 *
 * Reports the backing, the size, the caching and what is known of the
 * physical layout, never an address. The layout of a contiguous buffer
 * (one extent, the alignment its creator asked for) is what user space
 * chose; the layout of shmem pages and of an import (which pages are
 * physically adjacent) is the kernel's, and only a caller with
 * CAP_SYS_ADMIN gets it: like the page frames pagemap stopped showing,
 * it helps place rowhammer-style attacks. Others get 0 extents. O(1):
 * the extents of pinned pages are counted when they are pinned. The
 * output fields' input values are ignored; pad must be zero.
 *
 * Return: 0, -EINVAL for a nonzero pad, -ENOENT for an unknown handle.
 */
int vgem_bo_info_ioctl(struct drm_device *dev, void *data,
		       struct drm_file *file)
{
	struct drm_vgem_bo_info *args = data;
	struct drm_gem_object *obj;
	struct vgem_object *vobj;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	vobj = to_vgem_object(obj);

	args->flags = vobj->cached ? VGEM_BO_INFO_CACHED : 0;
	if (vgem_object_exported(vobj))
		args->flags |= VGEM_BO_INFO_EXPORTED;
	args->size = obj->size;
	args->backing = vobj->backing->kind;
	args->extents = 0;
	args->alignment = 0;
	vobj->backing->info(vobj, args);

	drm_gem_object_put(obj);
	return 0;
}
