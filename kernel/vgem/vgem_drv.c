// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem: a virtual GEM provider, with no hardware behind it.
 *
 * Module entry points and device registration. Each vgem device is a
 * platform device, bound to this module's platform driver, whose probe makes
 * one DRM device with a primary and a render node. The module parameter
 * num_devices creates several, so that buffers can be shared between devices
 * without any hardware; device 0 is registered exactly as upstream vgem
 * registers its only device (platform device "vgem", no instance number).
 * Unlike upstream's bare device, each can be unbound and bound again through
 * sysfs (/sys/bus/platform/drivers/vgem/{unbind,bind}): a hot-unplug, with
 * clients still holding the device (docs/architecture.md, "Hot-unplug").
 */
#include <linux/dma-mapping.h>
#include <linux/mod_devicetable.h>
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
	vfile->client_id = vgem_fdinfo_client_id();
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

/* DEFINE_DRM_GEM_FOPS()'s, and the DRM usage statistics in fdinfo. */
static const struct file_operations vgem_fops = {
	.owner		= THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo	= vgem_show_fdinfo,
};

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

/**
 * struct vgem_platform_data - what the module gives each of its platform
 * devices
 * @index: the device's number, 0 .. num_devices - 1
 * @probe_status: the last probe's result, for vgem_init(): a probe that
 *	fails leaves the device registered but unbound, and only the probe
 *	knows why. Written by vgem_probe() with the device lock held.
 */
struct vgem_platform_data {
	unsigned int index;
	int probe_status;
};

/*
 * Binds a vgem platform device: makes its DRM device and registers it. The
 * DRM device is device-managed (devm_drm_dev_alloc): an unbind drops the
 * driver's reference to it, and it lives on until the last open file,
 * dma-buf and mapping of it is gone.
 */
static int vgem_probe(struct platform_device *pdev)
{
	struct vgem_platform_data *pdata = dev_get_platdata(&pdev->dev);
	struct vgem_device *vdev;
	int ret;

	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto out;

	vdev = devm_drm_dev_alloc(&pdev->dev, &vgem_driver, struct vgem_device, drm);
	if (IS_ERR(vdev)) {
		ret = PTR_ERR(vdev);
		goto out;
	}
	vdev->pdev = pdev;
	vdev->index = pdata ? pdata->index : 0;
	mutex_init(&vdev->objects_lock);
	INIT_LIST_HEAD(&vdev->objects);
	ret = vgem_prime_device_init(&vdev->prime);
	if (ret) {
		mutex_destroy(&vdev->objects_lock);
		goto out;
	}
	ret = drmm_add_action_or_reset(&vdev->drm, vgem_device_fini, NULL);
	if (ret)
		goto out;

	ret = drm_dev_register(&vdev->drm, 0);
	if (ret)
		goto out;
	platform_set_drvdata(pdev, vdev);
out:
	if (pdata)
		pdata->probe_status = ret;
	return ret;
}

/*
 * Unbinds (sysfs unbind, module unload): the device is unplugged, not just
 * unregistered, so that files still open get -ENODEV from every ioctl and
 * from mmap (the DRM core checks drm_dev_is_unplugged()); what they mapped
 * before stays mapped, and dma-bufs exported from the device stay usable by
 * their importers (each holds a reference to the DRM device).
 */
static void vgem_remove(struct platform_device *pdev)
{
	struct vgem_device *vdev = platform_get_drvdata(pdev);

	drm_dev_unplug(&vdev->drm);
}

/* The names of the devices, by index: vgem_device_create() gives them, the driver binds them. */
static const struct platform_device_id vgem_platform_ids[] = {
	{ VGEM_DRIVER_NAME },
	{ VGEM_DRIVER_NAME ".1" }, { VGEM_DRIVER_NAME ".2" }, { VGEM_DRIVER_NAME ".3" },
	{ VGEM_DRIVER_NAME ".4" }, { VGEM_DRIVER_NAME ".5" }, { VGEM_DRIVER_NAME ".6" },
	{ VGEM_DRIVER_NAME ".7" }, { VGEM_DRIVER_NAME ".8" }, { VGEM_DRIVER_NAME ".9" },
	{ VGEM_DRIVER_NAME ".10" }, { VGEM_DRIVER_NAME ".11" }, { VGEM_DRIVER_NAME ".12" },
	{ VGEM_DRIVER_NAME ".13" }, { VGEM_DRIVER_NAME ".14" }, { VGEM_DRIVER_NAME ".15" },
	{ }
};
static_assert(ARRAY_SIZE(vgem_platform_ids) == VGEM_MAX_DEVICES + 1);

static struct platform_driver vgem_platform_driver = {
	.probe		= vgem_probe,
	.id_table	= vgem_platform_ids,
	VGEM_PLATFORM_REMOVE(vgem_remove),
	.driver		= {
		.name	= VGEM_DRIVER_NAME,
	},
};

/* The module's platform devices; written at module init and exit only. */
static struct platform_device *vgem_pdevs[VGEM_MAX_DEVICES];

/*
 * Device 0 is registered exactly as upstream's: platform device "vgem", no
 * instance number. Device N (N >= 1) is platform device "vgem.N", also with
 * no instance number, so that its name, not only its sysfs directory, is
 * its own: the MODALIAS a platform device announces is "platform:" and its
 * name, and libdrm tells platform devices without device-tree data apart
 * by that alone (drmGetDevices2() folds those that compare equal into one
 * device). The driver binds them by the names of its id table.
 */
static struct platform_device *vgem_device_create(unsigned int index)
{
	struct vgem_platform_data pdata = { .index = index, .probe_status = -ENODEV };
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_register_data(NULL, vgem_platform_ids[index].name,
					     PLATFORM_DEVID_NONE, &pdata, sizeof(pdata));
	if (IS_ERR(pdev))
		return pdev;

	/* The probe ran in the registration (synchronous probing). */
	if (!platform_get_drvdata(pdev)) {
		ret = ((struct vgem_platform_data *)dev_get_platdata(&pdev->dev))->probe_status;
		platform_device_unregister(pdev);
		return ERR_PTR(ret ? ret : -ENODEV);
	}
	return pdev;
}

static void vgem_destroy_devices(void)
{
	unsigned int i;

	for (i = VGEM_MAX_DEVICES; i-- > 0;) {
		if (vgem_pdevs[i])
			platform_device_unregister(vgem_pdevs[i]);
		vgem_pdevs[i] = NULL;
	}
}

static int __init vgem_init(void)
{
	struct platform_device *pdev;
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
	ret = platform_driver_register(&vgem_platform_driver);
	if (ret)
		goto err_contig;
	for (i = 0; i < num_devices; i++) {
		pdev = vgem_device_create(i);
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			goto err_devices;
		}
		vgem_pdevs[i] = pdev;
	}
	return 0;

err_devices:
	vgem_destroy_devices();
	platform_driver_unregister(&vgem_platform_driver);
err_contig:
	vgem_contig_module_exit();
	return ret;
}

static void __exit vgem_exit(void)
{
	vgem_destroy_devices();
	platform_driver_unregister(&vgem_platform_driver);
	vgem_contig_module_exit();
}

module_init(vgem_init);
module_exit(vgem_exit);

MODULE_DESCRIPTION(VGEM_DRIVER_DESC);
MODULE_LICENSE("GPL");
MODULE_VERSION(VGEM_VERSION);
VGEM_IMPORT_NS_DMA_BUF();
