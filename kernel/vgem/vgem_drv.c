// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem: a virtual GEM provider, with no hardware behind it.
 *
 * Module entry points and device registration. Each vgem device is a
 * platform device carrying one DRM device with a primary and a render node.
 * The module parameter num_devices creates several, so that buffers can be
 * shared between devices without any hardware; device 0 is registered
 * exactly as upstream vgem registers its only device (platform device
 * "vgem", no instance number).
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>

#include "drm/vgem_drm.h"
#include "kcompat.h"
#include "vgem_drv.h"
#include "vgem_gem.h"
#include "vgem_prime.h"

#define VGEM_MAX_DEVICES	16

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices,
		 "Number of vgem devices to create (1-" __stringify(VGEM_MAX_DEVICES) ", default 1)");

/* Written at module init and exit only. */
static struct vgem_device *vgem_devices[VGEM_MAX_DEVICES];

/**
 * vgem_prime_device_of() - where a vgem device keeps its PRIME state
 * @dev: a vgem DRM device
 *
 * Return: the device's dma-buf hash.
 */
struct vgem_prime_device *vgem_prime_device_of(struct drm_device *dev)
{
	return &to_vgem_device(dev)->prime;
}

/**
 * vgem_prime_file_of() - where an open vgem file keeps its PRIME state
 * @file: a file of a vgem device, between open and postclose
 *
 * Return: the file's PRIME handle table.
 */
struct vgem_prime_file *vgem_prime_file_of(struct drm_file *file)
{
	struct vgem_file *vfile = file->driver_priv;

	return &vfile->prime;
}

static int vgem_open(struct drm_device *dev, struct drm_file *file)
{
	struct vgem_file *vfile;
	int ret;

	vfile = kzalloc(sizeof(*vfile), GFP_KERNEL);
	if (!vfile)
		return -ENOMEM;

	ret = vgem_prime_file_init(&vfile->prime);
	if (ret) {
		kfree(vfile);
		return ret;
	}
	vgem_fence_file_init(vfile);
	file->driver_priv = vfile;
	return 0;
}

static void vgem_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct vgem_file *vfile = file->driver_priv;

	vgem_fence_file_fini(vfile);
	vgem_prime_file_fini(&vfile->prime);
	kfree(vfile);
}

static const struct drm_ioctl_desc vgem_ioctls[] = {
	DRM_IOCTL_DEF_DRV(VGEM_FENCE_ATTACH, vgem_fence_attach_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VGEM_FENCE_SIGNAL, vgem_fence_signal_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VGEM_BO_CREATE, vgem_bo_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VGEM_BO_INFO, vgem_bo_info_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VGEM_STATS, vgem_stats_ioctl, DRM_RENDER_ALLOW),
};

DEFINE_DRM_GEM_FOPS(vgem_fops);

static const struct drm_driver vgem_driver = {
	.driver_features	= DRIVER_GEM | DRIVER_RENDER,
	.open			= vgem_open,
	.postclose		= vgem_postclose,
	.ioctls			= vgem_ioctls,
	.num_ioctls		= ARRAY_SIZE(vgem_ioctls),
	.fops			= &vgem_fops,

	.dumb_create		= vgem_dumb_create,
	.dumb_map_offset	= vgem_dumb_map_offset,
	VGEM_DRIVER_PRIME_FD_OPS
	.gem_prime_import	= vgem_prime_import,

	.debugfs_init		= vgem_debugfs_init,

	.name			= VGEM_DRIVER_NAME,
	.desc			= VGEM_DRIVER_DESC,
	VGEM_DRIVER_DATE_FIELD(VGEM_DRIVER_DATE)
	.major			= VGEM_DRIVER_MAJOR,
	.minor			= VGEM_DRIVER_MINOR,
};

static void vgem_device_fini(struct drm_device *drm, void *unused)
{
	struct vgem_device *vdev = to_vgem_device(drm);

	vgem_prime_device_fini(&vdev->prime);
	mutex_destroy(&vdev->objects_lock);
}

static struct vgem_device *vgem_device_create(unsigned int index)
{
	struct platform_device *pdev;
	struct vgem_device *vdev;
	int ret;

	/* Device 0 is named exactly as upstream's: "vgem". */
	pdev = platform_device_register_simple(VGEM_DRIVER_NAME,
					       index ? index : PLATFORM_DEVID_NONE,
					       NULL, 0);
	if (IS_ERR(pdev))
		return ERR_CAST(pdev);

	/* The devres group lets us release the DRM device without a driver bind. */
	if (!devres_open_group(&pdev->dev, NULL, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_unregister;
	}

	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto err_release;

	vdev = devm_drm_dev_alloc(&pdev->dev, &vgem_driver, struct vgem_device, drm);
	if (IS_ERR(vdev)) {
		ret = PTR_ERR(vdev);
		goto err_release;
	}
	vdev->pdev = pdev;
	vdev->index = index;
	mutex_init(&vdev->objects_lock);
	INIT_LIST_HEAD(&vdev->objects);
	ret = vgem_prime_device_init(&vdev->prime);
	if (ret) {
		mutex_destroy(&vdev->objects_lock);
		goto err_release;
	}
	ret = drmm_add_action_or_reset(&vdev->drm, vgem_device_fini, NULL);
	if (ret)
		goto err_release;

	ret = drm_dev_register(&vdev->drm, 0);
	if (ret)
		goto err_release;

	return vdev;

err_release:
	devres_release_group(&pdev->dev, NULL);
err_unregister:
	platform_device_unregister(pdev);
	return ERR_PTR(ret);
}

static void vgem_device_destroy(struct vgem_device *vdev)
{
	struct platform_device *pdev = vdev->pdev;

	drm_dev_unregister(&vdev->drm);
	devres_release_group(&pdev->dev, NULL);
	platform_device_unregister(pdev);
}

static void vgem_destroy_devices(void)
{
	unsigned int i;

	for (i = VGEM_MAX_DEVICES; i-- > 0;) {
		if (vgem_devices[i])
			vgem_device_destroy(vgem_devices[i]);
		vgem_devices[i] = NULL;
	}
}

static int __init vgem_init(void)
{
	struct vgem_device *vdev;
	unsigned int i;
	int ret;

	if (num_devices < 1 || num_devices > VGEM_MAX_DEVICES) {
		pr_err("vgem: num_devices must be between 1 and %d\n", VGEM_MAX_DEVICES);
		return -EINVAL;
	}
	ret = vgem_bo_policy_init();
	if (ret)
		return ret;

	vgem_contig_module_init();
	for (i = 0; i < num_devices; i++) {
		vdev = vgem_device_create(i);
		if (IS_ERR(vdev)) {
			vgem_destroy_devices();
			vgem_contig_module_exit();
			return PTR_ERR(vdev);
		}
		vgem_devices[i] = vdev;
	}
	return 0;
}

static void __exit vgem_exit(void)
{
	vgem_destroy_devices();
	vgem_contig_module_exit();
}

module_init(vgem_init);
module_exit(vgem_exit);

MODULE_DESCRIPTION(VGEM_DRIVER_DESC);
MODULE_LICENSE("GPL");
VGEM_IMPORT_NS_DMA_BUF();
