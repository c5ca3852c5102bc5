// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem statistics: the STATS extension ioctl.
 *
 * DRM_IOCTL_VGEM_STATS gives the figures of a device to anyone who may open
 * one of its nodes, render nodes included, so that a compositor or any
 * client can read them without root or debugfs: the device's objects
 * (counted by walking its list, as the vgem_objects debugfs file does), the
 * counters of its dma-buf hash, its contiguous memory and the module's
 * limits on contiguous memory with their refusals. Only totals of the
 * device and of the module: nothing physical and nothing about one user or
 * one file; what each user holds stays in the root-only debugfs files,
 * which remain the diagnostic view (vgem_debugfs.c).
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "drm/vgem_drm.h"
#include "vgem_drv.h"
#include "vgem_gem.h"
#include "vgem_prime.h"

/*
 * The VGEM_STATS_VALID_OBJECTS group, and the bytes of the contiguous
 * objects. A snapshot: the per-object figures are read without the object
 * locks, as the vgem_objects debugfs file reads them.
 */
static void vgem_stats_objects(struct vgem_device *vdev,
			       struct drm_vgem_stats *args, u64 *contig_bytes)
{
	struct vgem_object *vobj;

	*contig_bytes = 0;
	/* Objects on the list are not freed before they leave it. */
	mutex_lock(&vdev->objects_lock);
	list_for_each_entry(vobj, &vdev->objects, link) {
		struct drm_gem_object *obj = &vobj->base;

		args->objects++;
		args->bytes += obj->size;
		if (obj->import_attach)
			args->imported++;
		else if (vgem_object_exported(vobj))
			args->exported++;
		if (READ_ONCE(vobj->pages_use))
			args->pinned++;
		if (vobj->backing->kind == VGEM_BACKING_CONTIGUOUS)
			*contig_bytes += obj->size;
		/* Any user may ask: a long list must not hog the CPU. */
		cond_resched();
	}
	mutex_unlock(&vdev->objects_lock);
}

/**
 * vgem_stats_ioctl() - DRM_IOCTL_VGEM_STATS
 * @dev: the DRM device
 * @data: struct drm_vgem_stats
 * @file: the DRM file of the caller (any, render nodes included)
 *
 * Fills every member the driver knows and sets the bit of each group it
 * filled in &drm_vgem_stats.valid; the output members' input values are
 * ignored. The DRM core has copied in as many bytes as the caller's
 * command encodes and zero-filled the rest, and copies out no more than
 * that, so an older, shorter structure works (include/uapi/drm/vgem_drm.h
 * has the ABI promise). The cost is one walk of the device's objects under
 * &vgem_device.objects_lock, as for the vgem_objects debugfs file.
 *
 * Return: 0, or -EINVAL for nonzero flags or pad.
 */
int vgem_stats_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vgem_device *vdev = to_vgem_device(dev);
	struct drm_vgem_stats *args = data;
	struct vgem_contig_limits limits;
	u64 contig_bytes, context_bytes;

	if (args->flags || args->pad)
		return -EINVAL;

	memset(args, 0, sizeof(*args));

	vgem_stats_objects(vdev, args, &contig_bytes);
	args->valid |= VGEM_STATS_VALID_OBJECTS;

	vgem_prime_hash_counters(&vdev->prime, &args->hash_hits,
				 &args->hash_misses);
	args->valid |= VGEM_STATS_VALID_HASH;

	context_bytes = vgem_contig_context_bytes();
	if (context_bytes) {
		args->contig_bytes = contig_bytes;
		args->contig_context_bytes = context_bytes;
		args->valid |= VGEM_STATS_VALID_CONTIG;
	}

	vgem_contig_quota_get(context_bytes, &limits);
	args->contig_max_buffer = limits.max_buffer;
	args->contig_user_limit = limits.user_limit;
	args->contig_over_max_buffer = limits.over_max_buffer;
	args->contig_over_user_limit = limits.over_user_limit;
	args->valid |= VGEM_STATS_VALID_CONTIG_LIMITS;

	return 0;
}
