// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem PRIME import, and the backing of imported objects.
 *
 * The device's dma-buf hash is asked first: a dma-buf this device exported
 * comes back as the very object it was made from, and a foreign dma-buf
 * the device imported before as the object made then, whichever file
 * imported it. Any other dma-buf, including one exported by another vgem
 * device, becomes a new object whose backing is the dma-buf, entered in
 * the hash: it is attached to this device and mapped for DMA once, and it
 * shares the dma-buf's reservation object, so fences go both ways. Its
 * size is the dma-buf's rounded up to whole pages, as upstream's. Mappings
 * of such an object, from the DRM fd or in the kernel, are forwarded to the
 * exporter with dma_buf_mmap() and dma_buf_vmap().
 *
 * The imported object holds a dma-buf reference, the attachment and its
 * mapping until it is freed; the DRM core holds another dma-buf reference
 * while the object has handles (drm_gem_object.dma_buf).
 */
#include <linux/dma-buf.h>
#include <linux/lockdep.h>
#include <linux/mm.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>

#include "kcompat.h"
#include "vgem_drv.h"
#include "vgem_gem.h"
#include "vgem_prime.h"

/*
 * vmap of an imported object calls into the exporter with our object lock
 * held; when the exporter is another vgem device it takes its own object
 * lock. A class of their own keeps lockdep from seeing recursion there.
 */
static struct lock_class_key vgem_import_lock_key;

static void vgem_import_release(struct vgem_object *vobj)
{
	struct dma_buf_attachment *attach = vobj->base.import_attach;
	struct dma_buf *dma_buf = attach->dmabuf;

	dma_buf_unmap_attachment_unlocked(attach, vobj->import_sgt,
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

static const struct vgem_backing_ops vgem_import_backing = {
	.name		= "import",
	.release	= vgem_import_release,
	.vmap		= vgem_import_vmap,
	.vunmap		= vgem_import_vunmap,
	.mmap		= vgem_import_mmap,
};

/*
 * A new object made of a foreign dma-buf: attached to this device, mapped
 * for DMA, published, not yet in the hash. Slow when the exporter makes
 * its pages at attach or map time (another vgem device pins a shmem
 * object then): called with no lock held.
 */
static struct vgem_object *vgem_import_create(struct drm_device *dev,
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
	vobj->import_sgt = sgt;

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

/**
 * vgem_prime_import() - &drm_driver.gem_prime_import
 * @dev: the importing DRM device
 * @dma_buf: the dma-buf to import; the caller holds a reference
 *
 * No device-wide lock is held while a new object is made: attaching to
 * the exporter may take as long as making the exporter's pages, and other
 * files' PRIME calls must not wait for it. Two imports of one dma-buf may
 * therefore both make an object; the device's hash takes the first one
 * entered, and the other is freed, so the device still ends up with one
 * object per dma-buf.
 *
 * Return: the object (a new reference), or an ERR_PTR().
 */
struct drm_gem_object *vgem_prime_import(struct drm_device *dev,
					 struct dma_buf *dma_buf)
{
	struct vgem_prime_device *pdev = &to_vgem_device(dev)->prime;
	struct vgem_object *vobj, *fresh;
	int ret;

	/* Our own export, or a dma-buf imported before: the same object. */
	vobj = vgem_prime_hash_get(to_vgem_device(dev), dma_buf);
	if (vobj)
		goto hit;

	fresh = vgem_import_create(dev, dma_buf);
	if (IS_ERR(fresh))
		return ERR_CAST(fresh);

	for (;;) {
		ret = vgem_prime_hash_add(fresh, dma_buf);
		if (!ret) {
			atomic64_inc(&pdev->misses);
			return &fresh->base;
		}
		if (ret != -EBUSY)
			break;
		/* Another import entered its object first: use that one. */
		vobj = vgem_prime_hash_get(to_vgem_device(dev), dma_buf);
		if (vobj)
			break;
		/* It was being freed, and is out of the hash now: retry. */
	}
	drm_gem_object_put(&fresh->base);
	if (!vobj)
		return ERR_PTR(ret);
hit:
	atomic64_inc(&pdev->hits);
	return &vobj->base;
}
