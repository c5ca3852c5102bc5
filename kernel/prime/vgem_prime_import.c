// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem PRIME import: which object a dma-buf becomes.
 *
 * The device's dma-buf hash is asked first: a dma-buf this device exported
 * comes back as the very object it was made from, and a foreign dma-buf
 * the device imported before as the object made then, whichever file
 * imported it. Any other dma-buf, including one exported by another vgem
 * device, becomes a new object of the import backing
 * (vgem_import_object_create(), vgem/vgem_import.c), entered in the hash.
 */
#include <linux/atomic.h>
#include <linux/err.h>

#include <drm/drm_gem.h>

#include "vgem_gem.h"
#include "vgem_prime.h"
#include "vgem_prime_hash.h"

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
	struct vgem_prime_device *pdev = vgem_prime_device_of(dev);
	struct vgem_object *vobj, *fresh;
	int ret;

	/* Our own export, or a dma-buf imported before: the same object. */
	vobj = vgem_prime_hash_get(pdev, dma_buf);
	if (vobj)
		goto hit;

	fresh = vgem_import_object_create(dev, dma_buf);
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
		vobj = vgem_prime_hash_get(pdev, dma_buf);
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
