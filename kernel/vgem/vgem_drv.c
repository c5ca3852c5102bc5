// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem: a virtual GEM provider, with no hardware behind it.
 *
 * Module entry points and device registration. Each vgem device is a
 * platform device carrying one DRM device with a primary and a render node.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>

#include "vgem_drv.h"

static struct vgem_device *vgem_dev;

DEFINE_DRM_GEM_FOPS(vgem_fops);

static const struct drm_driver vgem_driver = {
	.driver_features	= DRIVER_GEM | DRIVER_RENDER,
	.fops			= &vgem_fops,
	.name			= VGEM_DRIVER_NAME,
	.desc			= VGEM_DRIVER_DESC,
	.date			= VGEM_DRIVER_DATE,
	.major			= VGEM_DRIVER_MAJOR,
	.minor			= VGEM_DRIVER_MINOR,
};

static struct vgem_device *vgem_device_create(void)
{
	struct platform_device *pdev;
	struct vgem_device *vdev;
	int ret;

	pdev = platform_device_register_simple(VGEM_DRIVER_NAME, PLATFORM_DEVID_NONE,
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

static int __init vgem_init(void)
{
	vgem_dev = vgem_device_create();
	return PTR_ERR_OR_ZERO(vgem_dev);
}

static void __exit vgem_exit(void)
{
	vgem_device_destroy(vgem_dev);
}

module_init(vgem_init);
module_exit(vgem_exit);

MODULE_DESCRIPTION(VGEM_DRIVER_DESC);
MODULE_LICENSE("GPL");
