/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vgem: a virtual GEM provider. Shared definitions of the driver.
 */
#ifndef VGEM_DRV_H
#define VGEM_DRV_H

#include <drm/drm_device.h>

#define VGEM_DRIVER_NAME	"vgem"
#define VGEM_DRIVER_DESC	"Virtual GEM provider"
#define VGEM_DRIVER_DATE	"20120112"
#define VGEM_DRIVER_MAJOR	1
#define VGEM_DRIVER_MINOR	0

/**
 * struct vgem_device - one vgem DRM device
 * @drm: the DRM device; its lifetime is managed by drmm/devres.
 * @pdev: the platform device the DRM device hangs off.
 */
struct vgem_device {
	struct drm_device drm;
	struct platform_device *pdev;
};

static inline struct vgem_device *to_vgem_device(struct drm_device *drm)
{
	return container_of(drm, struct vgem_device, drm);
}

#endif /* VGEM_DRV_H */
