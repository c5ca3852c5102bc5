// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem GEM objects: the object layer above the backings.
 *
 * Reference counting, in short (docs/lifecycle.md has the whole chart):
 *  - the GEM refcount: one per handle (through the handle count), one per
 *    user-space vma (taken by drm_gem_mmap_obj(), given back by vm_close),
 *    one per exported dma-buf, transient ones for ioctls;
 *  - the pin count (@pages_use): one per vma, per dma-buf attachment, per
 *    kernel mapping; the pages stay allocated and pinned while it is > 0.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "kcompat.h"
#include "vgem_drv.h"
#include "vgem_gem.h"
#include "vgem_prime.h"

static const struct drm_gem_object_funcs vgem_gem_funcs;

/**
 * vgem_object_alloc() - allocate a vgem object, not yet a GEM object
 * @dev: the DRM device
 * @backing: the operations of its storage
 *
 * The caller then initialises &vgem_object.base (drm_gem_object_init() or
 * drm_gem_private_object_init()) and calls vgem_object_publish(). Until the
 * GEM object is initialised, vgem_object_free_unpublished() undoes this.
 *
 * Return: the object, or an ERR_PTR().
 */
struct vgem_object *vgem_object_alloc(struct drm_device *dev,
				      const struct vgem_backing_ops *backing)
{
	struct vgem_object *vobj;

	vobj = kzalloc(sizeof(*vobj), GFP_KERNEL);
	if (!vobj)
		return ERR_PTR(-ENOMEM);

	/* drm_gem_*object_init() set it again; backings may use it before. */
	vobj->base.dev = dev;
	vobj->base.funcs = &vgem_gem_funcs;
	vobj->backing = backing;
	vobj->id = atomic64_inc_return(&to_vgem_device(dev)->next_object_id);
	INIT_LIST_HEAD(&vobj->link);
	mutex_init(&vobj->lock);
	return vobj;
}

/**
 * vgem_object_free_unpublished() - free an object whose GEM object was
 *	never initialised
 * @vobj: from vgem_object_alloc()
 */
void vgem_object_free_unpublished(struct vgem_object *vobj)
{
	mutex_destroy(&vobj->lock);
	kfree(vobj);
}

/**
 * vgem_object_publish() - make an initialised object mappable and visible
 * @vobj: an object whose GEM object is initialised
 *
 * Creates the fake mmap offset and adds the object to its device's list.
 * On failure the caller drops its reference with drm_gem_object_put(),
 * which frees the object through the normal path.
 *
 * Return: 0 or a negative errno.
 */
int vgem_object_publish(struct vgem_object *vobj)
{
	struct vgem_device *vdev = to_vgem_device(vobj->base.dev);
	int ret;

	ret = drm_gem_create_mmap_offset(&vobj->base);
	if (ret)
		return ret;

	mutex_lock(&vdev->objects_lock);
	list_add_tail(&vobj->link, &vdev->objects);
	mutex_unlock(&vdev->objects_lock);
	return 0;
}

/**
 * vgem_object_create() - create an object with new storage
 * @dev: the DRM device
 * @size: size in bytes, a multiple of PAGE_SIZE
 * @align: 0, or the alignment of the storage's physical start, for the
 *	backings that place their storage (contiguous memory)
 * @cached: write-back CPU mappings (VGEM_BO_CACHED) instead of
 *	write-combined ones
 * @backing: the kind of storage; its &vgem_backing_ops.init is called
 *
 * Return: the object with one reference, or an ERR_PTR() (the backing's
 * errors included).
 */
struct vgem_object *vgem_object_create(struct drm_device *dev, size_t size,
				       size_t align, bool cached,
				       const struct vgem_backing_ops *backing)
{
	struct vgem_object *vobj;
	int ret;

	if (!size || !PAGE_ALIGNED(size) || !backing->init)
		return ERR_PTR(-EINVAL);

	vobj = vgem_object_alloc(dev, backing);
	if (IS_ERR(vobj))
		return vobj;
	vobj->cached = cached;

	ret = backing->init(vobj, size, align);
	if (ret) {
		vgem_object_free_unpublished(vobj);
		return ERR_PTR(ret);
	}

	ret = vgem_object_publish(vobj);
	if (ret) {
		drm_gem_object_put(&vobj->base);
		return ERR_PTR(ret);
	}
	return vobj;
}

static void vgem_gem_free(struct drm_gem_object *obj)
{
	struct vgem_object *vobj = to_vgem_object(obj);
	struct vgem_device *vdev = to_vgem_device(obj->dev);

	/* An import leaves the dma-buf hash before its dma-buf is put. */
	vgem_prime_object_freed(vobj);

	if (!list_empty(&vobj->link)) {
		mutex_lock(&vdev->objects_lock);
		list_del(&vobj->link);
		mutex_unlock(&vdev->objects_lock);
	}

	if (vobj->backing->release)
		vobj->backing->release(vobj);
	drm_gem_object_release(obj);
	mutex_destroy(&vobj->lock);
	kfree(vobj);
}

/* Physically contiguous runs of the pinned pages, for BO_INFO. */
static u32 vgem_object_count_extents(struct vgem_object *vobj)
{
	unsigned long i, npages = vobj->base.size >> PAGE_SHIFT;
	u32 extents = 1;

	for (i = 1; i < npages; i++)
		if (page_to_pfn(vobj->pages[i]) != page_to_pfn(vobj->pages[i - 1]) + 1)
			extents++;
	return extents;
}

static int vgem_object_pin_pages_locked(struct vgem_object *vobj)
{
	int ret;

	lockdep_assert_held(&vobj->lock);

	if (!vobj->backing->get_pages)
		return -EINVAL;

	if (!vobj->pages_use) {
		ret = vobj->backing->get_pages(vobj);
		if (ret)
			return ret;
		ret = vgem_caching_pin(vobj);
		if (ret) {
			vobj->backing->put_pages(vobj);
			return ret;
		}
		vobj->extents = vgem_object_count_extents(vobj);
	}
	vobj->pages_use++;
	return 0;
}

static void vgem_object_unpin_pages_locked(struct vgem_object *vobj)
{
	lockdep_assert_held(&vobj->lock);

	if (--vobj->pages_use == 0) {
		vobj->extents = 0;
		vgem_caching_unpin(vobj);
		vobj->backing->put_pages(vobj);
	}
}

/**
 * vgem_object_pin_pages() - make sure the pages of an object exist and
 *	stay put
 * @vobj: the object
 *
 * The first pin allocates the pages and gives them the object's caching
 * (vgem_caching_pin()). Waiting for another pin in progress is killable.
 *
 * Return: 0, or a negative errno (-EINVAL when the storage has no pages,
 * -EINTR when a fatal signal came while waiting).
 */
int vgem_object_pin_pages(struct vgem_object *vobj)
{
	int ret;

	ret = mutex_lock_killable(&vobj->lock);
	if (ret)
		return ret;
	ret = vgem_object_pin_pages_locked(vobj);
	mutex_unlock(&vobj->lock);
	return ret;
}

/**
 * vgem_object_unpin_pages() - drop a pin taken by vgem_object_pin_pages()
 * @vobj: the object
 */
void vgem_object_unpin_pages(struct vgem_object *vobj)
{
	mutex_lock(&vobj->lock);
	vgem_object_unpin_pages_locked(vobj);
	mutex_unlock(&vobj->lock);
}

/* The kernel mapping of page-backed storage, in the object's caching. */
static int vgem_object_vmap_pages(struct vgem_object *vobj,
				  struct iosys_map *map)
{
	void *vaddr;

	vaddr = vmap(vobj->pages, vobj->base.size >> PAGE_SHIFT, VM_MAP,
		     vgem_caching_pgprot(vobj, PAGE_KERNEL));
	if (!vaddr)
		return -ENOMEM;
	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

/**
 * vgem_object_vmap() - map an object in the kernel address space
 * @vobj: the object
 * @map: receives the mapping
 *
 * The mapping is shared by all users and counted; it pins the pages of
 * page-backed storage while it exists, and has the object's caching.
 *
 * Return: 0 or a negative errno.
 */
int vgem_object_vmap(struct vgem_object *vobj, struct iosys_map *map)
{
	bool paged = vobj->backing->get_pages;
	int ret = 0;

	mutex_lock(&vobj->lock);
	if (!vobj->vmap_use) {
		if (paged) {
			ret = vgem_object_pin_pages_locked(vobj);
			if (!ret) {
				ret = vgem_object_vmap_pages(vobj, &vobj->vmap);
				if (ret)
					vgem_object_unpin_pages_locked(vobj);
			}
		} else {
			ret = vobj->backing->vmap(vobj, &vobj->vmap);
		}
		if (ret)
			goto out;
	}
	vobj->vmap_use++;
	*map = vobj->vmap;
out:
	mutex_unlock(&vobj->lock);
	return ret;
}

/**
 * vgem_object_vunmap() - drop a kernel mapping taken by vgem_object_vmap()
 * @vobj: the object
 */
void vgem_object_vunmap(struct vgem_object *vobj)
{
	mutex_lock(&vobj->lock);
	if (--vobj->vmap_use == 0) {
		if (vobj->backing->get_pages) {
			vunmap(vobj->vmap.vaddr);
			vgem_object_unpin_pages_locked(vobj);
		} else {
			vobj->backing->vunmap(vobj, &vobj->vmap);
		}
		iosys_map_clear(&vobj->vmap);
	}
	mutex_unlock(&vobj->lock);
}

static int vgem_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	return vgem_object_vmap(to_vgem_object(obj), map);
}

static void vgem_gem_vunmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	vgem_object_vunmap(to_vgem_object(obj));
}

static int vgem_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct vgem_object *vobj = to_vgem_object(obj);

	return vobj->backing->mmap(vobj, vma);
}

static const struct drm_gem_object_funcs vgem_gem_funcs = {
	.free	= vgem_gem_free,
	.close	= vgem_prime_handle_closed,
	.export	= vgem_prime_export,
	.vmap	= vgem_gem_vmap,
	.vunmap	= vgem_gem_vunmap,
	.mmap	= vgem_gem_mmap,
	.vm_ops	= &vgem_vm_ops,
};

/**
 * vgem_object_describe() - one debugfs line about an object
 * @vobj: the object; the caller holds &vgem_device.objects_lock
 * @p: where to print
 *
 * The counters are read without the object lock: a snapshot.
 */
void vgem_object_describe(struct vgem_object *vobj, struct drm_printer *p)
{
	struct drm_gem_object *obj = &vobj->base;
	const char *state = "-";

	if (obj->import_attach)
		state = "imported";
	else if (vgem_object_exported(vobj))
		state = "exported";

	drm_printf(p, "%-10zu %-8s %7u %7u %-8s %5u %5u %8llu\n",
		   obj->size, vobj->backing->name,
		   READ_ONCE(obj->handle_count), kref_read(&obj->refcount),
		   state, READ_ONCE(vobj->pages_use), READ_ONCE(vobj->vmap_use),
		   vobj->id);
}
