/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vgem: a virtual GEM provider. Shared definitions of the driver: its
 * device and file, and the entry points the &drm_driver table names.
 *
 * prime/ never sees this header: it reaches a device's and a file's PRIME
 * state through vgem_prime_device_of() and vgem_prime_file_of(), and
 * objects through vgem_gem.h. Kbuild builds prime/ with VGEM_PRIME, which
 * makes including this header there an error.
 */
#ifndef VGEM_DRV_H
#define VGEM_DRV_H

#ifdef VGEM_PRIME
#error "prime/ reaches the driver through vgem_prime.h and vgem_gem.h only"
#endif

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>

#include <drm/drm_device.h>

#include "vgem_prime.h"

#define VGEM_DRIVER_NAME	"vgem"
#define VGEM_DRIVER_DESC	"Virtual GEM provider"
#define VGEM_DRIVER_DATE	"20120112"
#define VGEM_DRIVER_MAJOR	1
#define VGEM_DRIVER_MINOR	0

struct drm_file;
struct drm_minor;
struct drm_mode_create_dumb;
struct file;
struct seq_file;

/**
 * struct vgem_device - one vgem DRM device
 * @drm: the DRM device; its lifetime is managed by drmm/devres.
 * @pdev: the platform device the DRM device hangs off.
 * @index: position of the device among those of the module (0 is the
 *	one that looks exactly like upstream vgem).
 * @objects_lock: protects @objects.
 * @objects: every live GEM object of the device (struct vgem_object.link),
 *	for debugfs.
 * @next_object_id: the last object number handed out.
 * @prime: the device's dma-buf hash.
 */
struct vgem_device {
	struct drm_device drm;
	struct platform_device *pdev;
	unsigned int index;
	struct mutex objects_lock;
	struct list_head objects;
	atomic64_t next_object_id;
	struct vgem_prime_device prime;
};

/**
 * struct vgem_file - per open file state
 * @fence_lock: protects @fence_idr.
 * @fence_idr: the fences this file attached and has not signalled yet,
 *	by the id handed to user space (ids start at 1).
 * @prime: the handles this file got through PRIME.
 * @client_id: the file's drm-client-id in fdinfo (vgem_fdinfo.c), set
 *	at open.
 */
struct vgem_file {
	struct mutex fence_lock;
	struct idr fence_idr;
	struct vgem_prime_file prime;
	u64 client_id;
};

static inline struct vgem_device *to_vgem_device(struct drm_device *drm)
{
	return container_of(drm, struct vgem_device, drm);
}

/* vgem_fdinfo.c: DRM usage statistics in /proc/<pid>/fdinfo */
u64 vgem_fdinfo_client_id(void);
void vgem_show_fdinfo(struct seq_file *m, struct file *f);

/* vgem_fence.c */
void vgem_fence_file_init(struct vgem_file *vfile);
void vgem_fence_file_fini(struct vgem_file *vfile);
int vgem_fence_attach_ioctl(struct drm_device *dev, void *data,
			    struct drm_file *file);
int vgem_fence_signal_ioctl(struct drm_device *dev, void *data,
			    struct drm_file *file);

/* vgem_bo.c: dumb buffers, their memory, the extension ioctls */
int vgem_bo_policy_init(void);
int vgem_dumb_create(struct drm_file *file, struct drm_device *dev,
		     struct drm_mode_create_dumb *args);
int vgem_dumb_map_offset(struct drm_file *file, struct drm_device *dev,
			 u32 handle, u64 *offset);
int vgem_bo_create_ioctl(struct drm_device *dev, void *data,
			 struct drm_file *file);
int vgem_bo_info_ioctl(struct drm_device *dev, void *data,
		       struct drm_file *file);

/* vgem_stats.c: the STATS extension ioctl */
int vgem_stats_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

/* vgem_debugfs.c */
void vgem_debugfs_init(struct drm_minor *minor);

#endif /* VGEM_DRV_H */
