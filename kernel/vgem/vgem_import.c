// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem: the backing of imported objects.
 *
 * An imported object's storage is a foreign dma-buf: the object is attached
 * to its device and mapped for DMA once, and it shares the dma-buf's
 * reservation object, so fences go both ways. Its size is the dma-buf's
 * rounded up to whole pages, as upstream's. Mappings of such an object,
 * from the DRM fd or in the kernel, are forwarded to the exporter with
 * dma_buf_mmap() and dma_buf_vmap().
 *
 * The object holds a dma-buf reference, the attachment and its mapping
 * (&vgem_object.backing_priv) until it is freed; the DRM core holds another
 * dma-buf reference while the object has handles (drm_gem_object.dma_buf).
 * Which dma-buf becomes which object is PRIME's business
 * (prime/vgem_prime_import.c): this file only makes the object.
 */
#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <linux/lockdep.h>
#include <linux/mm.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>

#include "drm/vgem_drm.h"
#include "kcompat.h"
#include "vgem_gem.h"

/*
 * vmap of an imported object calls into the exporter with our object lock
 * held; when the exporter is another vgem device it takes its own object
 * lock. A class of their own keeps lockdep from seeing recursion there.
 */
static struct lock_class_key vgem_import_lock_key;

/* The mapping of the object's attachment, made when it was imported. */
static struct sg_table *vgem_import_sgt(struct vgem_object *vobj)
{
	return vobj->backing_priv;
}

static void vgem_import_release(struct vgem_object *vobj)
{
	struct dma_buf_attachment *attach = vobj->base.import_attach;
	struct dma_buf *dma_buf = attach->dmabuf;

	dma_buf_unmap_attachment_unlocked(attach, vgem_import_sgt(vobj),
					  DMA_BIDIRECTIONAL);
	dma_buf_detach(dma_buf, attach);
	dma_buf_put(dma_buf);
}

static int vgem_import_vmap(struct vgem_object *vobj, struct iosys_map *map)
{
	return dma_buf_vmap(vobj->base.import_attach->dmabuf, map);
}

static void vgem_import_vunmap(struct vgem_object *vobj, struct iosys_map *map)
{
	dma_buf_vunmap(vobj->base.import_attach->dmabuf, map);
}

static int vgem_import_mmap(struct vgem_object *vobj, struct vm_area_struct *vma)
{
	struct drm_gem_object *obj = &vobj->base;
	int ret;

	/* The exporter installs its own vm_ops; ours must not linger. */
	vma->vm_private_data = NULL;
	vma->vm_ops = NULL;

	ret = dma_buf_mmap(obj->import_attach->dmabuf, vma, 0);
	if (ret)
		return ret;

	/* Whatever the exporter did, the mapping must not grow. */
	vgem_vm_flags_set(vma, VM_DONTEXPAND);
	/*
	 * The vma now holds the dma-buf's file instead of our object: drop
	 * the reference drm_gem_mmap_obj() took for it.
	 */
	drm_gem_object_put(obj);
	return 0;
}

/*
 * The layout of an import is the exporter's and the kernel's: the entries
 * of the mapped scatter list, for CAP_SYS_ADMIN only (see BO_INFO).
 */
static void vgem_import_info(struct vgem_object *vobj,
			     struct drm_vgem_bo_info *info)
{
	info->flags |= VGEM_BO_INFO_IMPORTED;
	if (capable(CAP_SYS_ADMIN)) {
		info->extents = vgem_import_sgt(vobj)->nents;
		if (info->extents == 1)
			info->flags |= VGEM_BO_INFO_CONTIGUOUS;
	}
}

static const struct vgem_backing_ops vgem_import_backing = {
	.name		= "import",
	.kind		= VGEM_BACKING_IMPORT,
	.release	= vgem_import_release,
	.vmap		= vgem_import_vmap,
	.vunmap		= vgem_import_vunmap,
	.mmap		= vgem_import_mmap,
	.info		= vgem_import_info,
};

/**
 * vgem_import_object_create() - a new object made of a foreign dma-buf
 * @dev: the importing DRM device
 * @dma_buf: the dma-buf; the caller holds a reference
 *
 * The object is attached to @dev, mapped for DMA and published; it is in
 * no dma-buf hash yet. Slow when the exporter makes its pages at attach or
 * map time (another vgem device pins a shmem object then): call it with no
 * lock held.
 *
 * Return: the object with one reference, or an ERR_PTR() (-EINVAL for an
 * empty dma-buf, the exporter's errors).
 */
struct vgem_object *vgem_import_object_create(struct drm_device *dev,
					      struct dma_buf *dma_buf)
{
	struct dma_buf_attachment *attach;
	struct vgem_object *vobj;
	struct sg_table *sgt;
	int ret;

	/* As upstream's (the shmem helper): the object is whole pages. */
	if (!dma_buf->size)
		return ERR_PTR(-EINVAL);

	attach = dma_buf_attach(dma_buf, dev->dev);
	if (IS_ERR(attach))
		return ERR_CAST(attach);
	get_dma_buf(dma_buf);

	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_detach;
	}

	vobj = vgem_object_alloc(dev, &vgem_import_backing);
	if (IS_ERR(vobj)) {
		ret = PTR_ERR(vobj);
		goto err_unmap;
	}
	lockdep_set_class(&vobj->lock, &vgem_import_lock_key);

	drm_gem_private_object_init(dev, &vobj->base, PAGE_ALIGN(dma_buf->size));
	vobj->base.import_attach = attach;
	vobj->base.resv = dma_buf->resv;
	vobj->backing_priv = sgt;

	/* From here on, freeing the object undoes everything above. */
	ret = vgem_object_publish(vobj);
	if (ret) {
		drm_gem_object_put(&vobj->base);
		return ERR_PTR(ret);
	}
	return vobj;

err_unmap:
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_BIDIRECTIONAL);
err_detach:
	dma_buf_detach(dma_buf, attach);
	dma_buf_put(dma_buf);
	return ERR_PTR(ret);
}
