// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem fdinfo: the DRM usage statistics of an open file.
 *
 * /proc/<pid>/fdinfo/<fd> of a vgem file shows, after the VFS's own lines,
 * the keys of the DRM client usage statistics convention
 * (Documentation/gpu/drm-usage-stats.rst), which tools such as gputop and
 * nvtop read:
 *
 *	drm-driver:	vgem
 *	drm-client-id:	<a number unique to the open file>
 *	drm-total-<region>:	<size>	every object the file has a handle to
 *	drm-shared-<region>:	<size>	of those, the ones other files may use
 *	drm-resident-<region>:	<size>	of those, the memory that is present
 *
 * for two regions: "system" (shmem objects, and imported dma-bufs, whose
 * memory is their exporter's) and "contiguous" (objects of the contiguous
 * backing). An object is shared when another handle to it exists or it has
 * a dma-buf (exported or imported), as the DRM core counts it from Linux
 * 6.5 on. A shmem object is resident by the pages its shmem file holds; a
 * contiguous object always (its memory is taken at creation); an import as
 * long as it exists (its exporter keeps the memory while it is attached).
 * Sizes are in bytes, or in KiB or MiB when they are whole multiples.
 *
 * Linux 6.1 has no DRM helper for this, so vgem's file operations provide
 * show_fdinfo themselves, on every kernel alike. procfs lets the file's
 * owner read it (ptrace read access), no root needed. It tells only sizes
 * of the caller's own objects, nothing physical.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "drm/vgem_drm.h"
#include "vgem_drv.h"
#include "vgem_gem.h"

/* The last client id handed out, module-wide: ids are never reused. */
static atomic64_t vgem_last_client_id = ATOMIC64_INIT(0);

/**
 * vgem_fdinfo_client_id() - a new client id, for an open file
 *
 * Return: a number no other vgem file of this module load had.
 */
u64 vgem_fdinfo_client_id(void)
{
	return atomic64_inc_return(&vgem_last_client_id);
}

enum vgem_region {
	VGEM_REGION_SYSTEM,
	VGEM_REGION_CONTIGUOUS,
	VGEM_REGIONS
};

static const char *const vgem_region_names[VGEM_REGIONS] = {
	[VGEM_REGION_SYSTEM]	 = "system",
	[VGEM_REGION_CONTIGUOUS] = "contiguous",
};

struct vgem_region_stats {
	u64 total;
	u64 shared;
	u64 resident;
};

/* The bytes of @obj's memory that are present now. */
static u64 vgem_object_resident(struct drm_gem_object *obj)
{
	u64 bytes;

	if (!obj->filp)
		return obj->size;
	bytes = (u64)READ_ONCE(obj->filp->f_mapping->nrpages) << PAGE_SHIFT;
	return min_t(u64, bytes, obj->size);
}

static void vgem_fdinfo_count(struct drm_gem_object *obj,
			      struct vgem_region_stats *stats)
{
	struct vgem_object *vobj = to_vgem_object(obj);
	struct vgem_region_stats *region;

	region = &stats[vobj->backing->kind == VGEM_BACKING_CONTIGUOUS ?
			VGEM_REGION_CONTIGUOUS : VGEM_REGION_SYSTEM];
	region->total += obj->size;
	if (READ_ONCE(obj->handle_count) > 1 || READ_ONCE(obj->dma_buf))
		region->shared += obj->size;
	region->resident += vgem_object_resident(obj);
}

/* @bytes in the largest of B, KiB and MiB that holds it whole. */
static void vgem_fdinfo_size(struct seq_file *m, const char *key,
			     const char *region, u64 bytes)
{
	static const char *const units[] = { "", " KiB", " MiB" };
	unsigned int unit = 0;

	while (unit < ARRAY_SIZE(units) - 1 && bytes && IS_ALIGNED(bytes, SZ_1K)) {
		bytes /= SZ_1K;
		unit++;
	}
	seq_printf(m, "drm-%s-%s:\t%llu%s\n", key, region, bytes, units[unit]);
}

/**
 * vgem_show_fdinfo() - &file_operations.show_fdinfo of vgem's DRM files
 * @m: the fdinfo file being read
 * @f: the vgem file it describes
 *
 * Prints the DRM usage statistics keys described at the top of this file.
 * The objects are counted under the file's handle table lock (a spinlock),
 * reading their fields without their own locks: a snapshot.
 */
void vgem_show_fdinfo(struct seq_file *m, struct file *f)
{
	struct drm_file *file = f->private_data;
	struct vgem_file *vfile = file->driver_priv;
	struct vgem_region_stats stats[VGEM_REGIONS] = {};
	struct drm_gem_object *obj;
	unsigned int i;
	int id;

	seq_printf(m, "drm-driver:\t%s\n", file->minor->dev->driver->name);
	seq_printf(m, "drm-client-id:\t%llu\n", vfile->client_id);

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		/* A handle being created is reserved with a NULL entry. */
		if (obj)
			vgem_fdinfo_count(obj, stats);
	}
	spin_unlock(&file->table_lock);

	for (i = 0; i < VGEM_REGIONS; i++) {
		vgem_fdinfo_size(m, "total", vgem_region_names[i], stats[i].total);
		vgem_fdinfo_size(m, "shared", vgem_region_names[i], stats[i].shared);
		vgem_fdinfo_size(m, "resident", vgem_region_names[i], stats[i].resident);
	}
}
