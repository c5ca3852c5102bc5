// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem PRIME export: the dma_buf_ops of vgem objects.
 *
 * An exported dma-buf holds a reference on its GEM object and on the DRM
 * device, and (through dma_buf_export_info.owner) on this module, so that
 * neither the object nor the code under its ops can go away while any file
 * descriptor, mapping or importer still uses the dma-buf. The dma-buf is
 * cached on the object (drm_gem_object.dma_buf) while the object has
 * handles, so exporting it again returns the same dma-buf, and it is entered
 * in the device's dma-buf hash until its release, so that importing it on
 * this device finds the object (prime/vgem_prime_hash.c).
 *
 * Every attachment pins the pages; its DMA mapping is made for the
 * importer's device with dma_map_sgtable() and kept until detach (the core
 * caches it). DMA_BUF_IOCTL_SYNC then does what it promises: START syncs
 * every attachment's mapping for the CPU, END syncs it back for the devices.
 * For a cached object (VGEM_BO_CACHED) the CPU caches are also written back
 * at map time, and at both ends of CPU access while some importer has the
 * buffer mapped (vgem_caching_flush(); not at the end of a read-only
 * access, which dirties nothing), for importers that do not snoop them; a
 * write-combined object needs nothing.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "vgem_gem.h"
#include "vgem_prime.h"
#include "vgem_prime_hash.h"

/**
 * struct vgem_attachment - exporter state of one dma-buf attachment
 * @sgt: the DMA mapping for the importer's device, or NULL when unmapped.
 *	Written under &vgem_object.lock.
 * @dir: the direction @sgt was mapped with.
 */
struct vgem_attachment {
	struct sg_table *sgt;
	enum dma_data_direction dir;
};

static struct vgem_object *dmabuf_to_vobj(struct dma_buf *dma_buf)
{
	return to_vgem_object(dma_buf->priv);
}

static int vgem_dmabuf_attach(struct dma_buf *dma_buf,
			      struct dma_buf_attachment *attach)
{
	struct vgem_attachment *va;
	int ret;

	va = kzalloc(sizeof(*va), GFP_KERNEL);
	if (!va)
		return -ENOMEM;

	ret = vgem_object_pin_pages(dmabuf_to_vobj(dma_buf));
	if (ret) {
		kfree(va);
		return ret;
	}

	attach->priv = va;
	return 0;
}

static void vgem_dmabuf_detach(struct dma_buf *dma_buf,
			       struct dma_buf_attachment *attach)
{
	vgem_object_unpin_pages(dmabuf_to_vobj(dma_buf));
	kfree(attach->priv);
	attach->priv = NULL;
}

static struct sg_table *vgem_dmabuf_map(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct vgem_object *vobj = dmabuf_to_vobj(attach->dmabuf);
	struct vgem_attachment *va = attach->priv;
	struct sg_table *sgt;
	int ret;

	/* The attachment's pin keeps the pages for get_sg_table. */
	sgt = vobj->backing->get_sg_table(vobj);
	if (IS_ERR(sgt))
		return sgt;

	/* The device reads memory: what the CPU wrote must be there. */
	vgem_caching_flush(vobj);

	/* Without DMA_ATTR_SKIP_CPU_SYNC: the device sees the CPU's writes. */
	ret = dma_map_sgtable(attach->dev, sgt, dir, 0);
	if (ret) {
		sg_free_table(sgt);
		kfree(sgt);
		return ERR_PTR(ret);
	}

	mutex_lock(&vobj->lock);
	va->sgt = sgt;
	va->dir = dir;
	vobj->dma_maps++;
	mutex_unlock(&vobj->lock);
	return sgt;
}

static void vgem_dmabuf_unmap(struct dma_buf_attachment *attach,
			      struct sg_table *sgt, enum dma_data_direction dir)
{
	struct vgem_object *vobj = dmabuf_to_vobj(attach->dmabuf);
	struct vgem_attachment *va = attach->priv;

	mutex_lock(&vobj->lock);
	if (va->sgt == sgt)
		va->sgt = NULL;
	vobj->dma_maps--;
	mutex_unlock(&vobj->lock);

	dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

/*
 * Write back (and invalidate) the CPU caches of a cached object while a
 * device has it mapped for DMA: with none, nothing reads or writes the
 * memory behind the caches' back (a device mapping it later gets the
 * caches written back by map_dma_buf).
 */
static void vgem_dmabuf_flush(struct vgem_object *vobj)
{
	mutex_lock(&vobj->lock);
	if (vobj->dma_maps)
		vgem_caching_flush(vobj);
	mutex_unlock(&vobj->lock);
}

/*
 * Sync every mapped attachment for the CPU (@for_cpu) or for its device.
 * The reservation lock protects the list of attachments, the object lock
 * their mappings. The caches of a cached object are flushed outside the
 * reservation lock, which fence users wait for.
 */
static int vgem_dmabuf_sync(struct dma_buf *dma_buf,
			    enum dma_data_direction dir, bool for_cpu)
{
	struct vgem_object *vobj = dmabuf_to_vobj(dma_buf);
	struct dma_buf_attachment *attach;
	int ret;

	/* After reading only, no line is dirty: nothing to write back. */
	if (!for_cpu && dir != DMA_FROM_DEVICE)
		vgem_dmabuf_flush(vobj);

	ret = dma_resv_lock_interruptible(dma_buf->resv, NULL);
	if (ret)
		return ret;

	mutex_lock(&vobj->lock);
	list_for_each_entry(attach, &dma_buf->attachments, node) {
		struct vgem_attachment *va = attach->priv;

		if (!va || !va->sgt)
			continue;
		/* The DMA API wants the direction of the mapping. */
		if (for_cpu)
			dma_sync_sgtable_for_cpu(attach->dev, va->sgt, va->dir);
		else
			dma_sync_sgtable_for_device(attach->dev, va->sgt, va->dir);
	}
	mutex_unlock(&vobj->lock);
	dma_resv_unlock(dma_buf->resv);

	/* Lines cached before the device wrote would hide what it wrote. */
	if (for_cpu)
		vgem_dmabuf_flush(vobj);
	return 0;
}

static int vgem_dmabuf_begin_cpu_access(struct dma_buf *dma_buf,
					enum dma_data_direction dir)
{
	return vgem_dmabuf_sync(dma_buf, dir, true);
}

static int vgem_dmabuf_end_cpu_access(struct dma_buf *dma_buf,
				      enum dma_data_direction dir)
{
	return vgem_dmabuf_sync(dma_buf, dir, false);
}

static int vgem_dmabuf_mmap(struct dma_buf *dma_buf, struct vm_area_struct *vma)
{
	struct drm_gem_object *obj = dma_buf->priv;

	/*
	 * dma-buf offsets start at 0; the object's vm_ops find their page
	 * from the fake offset, as for mappings of the DRM fd. The dma-buf
	 * core has checked that the range lies within the buffer.
	 */
	vma->vm_pgoff += drm_vma_node_start(&obj->vma_node);
	return drm_gem_mmap_obj(obj, obj->size, vma);
}

static int vgem_dmabuf_vmap(struct dma_buf *dma_buf, struct iosys_map *map)
{
	return vgem_object_vmap(dmabuf_to_vobj(dma_buf), map);
}

static void vgem_dmabuf_vunmap(struct dma_buf *dma_buf, struct iosys_map *map)
{
	vgem_object_vunmap(dmabuf_to_vobj(dma_buf));
}

static void vgem_dmabuf_release(struct dma_buf *dma_buf)
{
	struct drm_gem_object *obj = dma_buf->priv;
	struct drm_device *dev = obj->dev;

	vgem_prime_hash_del(to_vgem_object(obj), dma_buf);
	/* The references taken by vgem_prime_export(). */
	drm_gem_object_put(obj);
	drm_dev_put(dev);
}

static const struct dma_buf_ops vgem_dmabuf_ops = {
	.cache_sgt_mapping	= true,
	.attach			= vgem_dmabuf_attach,
	.detach			= vgem_dmabuf_detach,
	.map_dma_buf		= vgem_dmabuf_map,
	.unmap_dma_buf		= vgem_dmabuf_unmap,
	.begin_cpu_access	= vgem_dmabuf_begin_cpu_access,
	.end_cpu_access		= vgem_dmabuf_end_cpu_access,
	.mmap			= vgem_dmabuf_mmap,
	.vmap			= vgem_dmabuf_vmap,
	.vunmap			= vgem_dmabuf_vunmap,
	.release		= vgem_dmabuf_release,
};

/**
 * vgem_prime_export() - &drm_gem_object_funcs.export
 * @obj: the object to export; not an imported one (the core hands out the
 *	original dma-buf of those)
 * @flags: file flags of the new dma-buf (O_CLOEXEC, O_RDWR)
 *
 * Called with &drm_device.object_name_lock held, when the object has no
 * live dma-buf.
 *
 * Return: a new dma-buf holding a reference on @obj, its device and this
 * module, entered in the device's dma-buf hash; or an ERR_PTR().
 */
struct dma_buf *vgem_prime_export(struct drm_gem_object *obj, int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct dma_buf *dma_buf;
	int ret;

	exp_info.exp_name = KBUILD_MODNAME;
	exp_info.owner = THIS_MODULE;
	exp_info.ops = &vgem_dmabuf_ops;
	exp_info.size = obj->size;
	exp_info.flags = flags;
	exp_info.priv = obj;
	exp_info.resv = obj->resv;

	dma_buf = dma_buf_export(&exp_info);
	if (IS_ERR(dma_buf))
		return dma_buf;

	drm_dev_get(obj->dev);
	drm_gem_object_get(obj);

	ret = vgem_prime_hash_add(to_vgem_object(obj), dma_buf);
	if (ret) {
		/* Its release gives the references back. */
		dma_buf_put(dma_buf);
		return ERR_PTR(ret);
	}
	return dma_buf;
}
