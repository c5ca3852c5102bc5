// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem shmem backing: the storage of dumb buffers.
 *
 * The object is a shmem file (zero-filled on first use, swappable while not
 * pinned). Pinning reads the whole file into an array of pages, which the
 * object layer maps (vgem_mmap.c, in the object's caching) and exported
 * dma-bufs hand to importers (prime/vgem_prime_export.c).
 */
#include <linux/capability.h>
#include <linux/gfp.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>

#include <drm/drm_gem.h>
#include <drm/drm_prime.h>

#include "drm/vgem_drm.h"
#include "vgem_gem.h"

static int vgem_shmem_init(struct vgem_object *vobj, size_t size, size_t align)
{
	struct drm_gem_object *obj = &vobj->base;
	int ret;

	ret = drm_gem_object_init(obj->dev, obj, size);
	if (ret)
		return ret;

	/*
	 * Pinned pages must not sit in ZONE_MOVABLE; and a failed allocation
	 * is an error for the caller, not a warning in the kernel log.
	 */
	mapping_set_gfp_mask(obj->filp->f_mapping,
			     GFP_HIGHUSER | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	return 0;
}

static int vgem_shmem_get_pages(struct vgem_object *vobj)
{
	struct page **pages;

	pages = drm_gem_get_pages(&vobj->base);
	if (IS_ERR(pages))
		return PTR_ERR(pages);

	vobj->pages = pages;
	return 0;
}

static void vgem_shmem_put_pages(struct vgem_object *vobj)
{
	/* User space may have written through any mapping: all dirty. */
	drm_gem_put_pages(&vobj->base, vobj->pages, true, true);
	vobj->pages = NULL;
}

static struct sg_table *vgem_shmem_get_sg_table(struct vgem_object *vobj)
{
	return drm_prime_pages_to_sg(vobj->base.dev, vobj->pages,
				     vobj->base.size >> PAGE_SHIFT);
}

static int vgem_shmem_mmap(struct vgem_object *vobj, struct vm_area_struct *vma)
{
	return vgem_object_mmap_pages(vobj, vma);
}

/*
 * Which shmem pages are physically adjacent is the page allocator's
 * choice, not the user's: the runs of the pinned pages (0 while unpinned)
 * go to CAP_SYS_ADMIN only (see BO_INFO).
 */
static void vgem_shmem_info(struct vgem_object *vobj,
			    struct drm_vgem_bo_info *info)
{
	if (capable(CAP_SYS_ADMIN))
		info->extents = READ_ONCE(vobj->extents);
}

/* The shmem backing, used by dumb buffers. */
const struct vgem_backing_ops vgem_shmem_backing = {
	.name		= "shmem",
	.kind		= VGEM_BACKING_SHMEM,
	.init		= vgem_shmem_init,
	.get_pages	= vgem_shmem_get_pages,
	.put_pages	= vgem_shmem_put_pages,
	.get_sg_table	= vgem_shmem_get_sg_table,
	.mmap		= vgem_shmem_mmap,
	.info		= vgem_shmem_info,
};
