// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem fences: user space plays the GPU.
 *
 * DRM_IOCTL_VGEM_FENCE_ATTACH puts a new, unsignalled fence on an object's
 * reservation object (as a write fence with VGEM_FENCE_WRITE, else as a
 * read fence), where every dma-buf user sees it: poll() on the dma-buf,
 * DMA_BUF_IOCTL_EXPORT_SYNC_FILE, importers. DRM_IOCTL_VGEM_FENCE_SIGNAL
 * signals it. A fence nobody signals signals itself after ten seconds, so a
 * crashed client cannot block others forever; signalling it afterwards
 * reports -ETIMEDOUT. The ids are per file and die with it.
 *
 * References to a fence: the file's idr (until signalled or the file is
 * closed), the reservation object (until replaced or the object freed), the
 * pending timer (until it fires or is cancelled), and anyone who took one
 * from the reservation object. Each live fence also holds a reference on
 * this module, as its ops and timer function are code of this module.
 */
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "drm/vgem_drm.h"
#include "kcompat.h"
#include "vgem_drv.h"

#define VGEM_FENCE_TIMEOUT	(10 * HZ)

/**
 * struct vgem_fence - a fence signalled by user space or by its timer
 * @base: the DMA fence.
 * @lock: the fence's own lock, protects its signalled state and callbacks.
 * @timer: the ten seconds expiry; while pending it holds a fence reference.
 */
struct vgem_fence {
	struct dma_fence base;
	spinlock_t lock;
	struct timer_list timer;
};

static const char *vgem_fence_driver_name(struct dma_fence *fence)
{
	return "vgem";
}

static const char *vgem_fence_timeline_name(struct dma_fence *fence)
{
	return "unbound";
}

static void vgem_fence_value_str(struct dma_fence *fence, char *str, int size)
{
	snprintf(str, size, "%llu", fence->seqno);
}

/* The timeline of a fence is the fence alone: it reached it or not. */
static void vgem_fence_timeline_value_str(struct dma_fence *fence, char *str,
					  int size)
{
	snprintf(str, size, "%llu",
		 dma_fence_is_signaled(fence) ? fence->seqno : 0);
}

static void vgem_fence_release(struct dma_fence *fence)
{
	/* No timer can be pending: a pending timer holds a reference. */
	dma_fence_free(fence);
	module_put(THIS_MODULE);
}

static const struct dma_fence_ops vgem_fence_ops = {
	.get_driver_name	= vgem_fence_driver_name,
	.get_timeline_name	= vgem_fence_timeline_name,
	.fence_value_str	= vgem_fence_value_str,
	.timeline_value_str	= vgem_fence_timeline_value_str,
	.release		= vgem_fence_release,
};

static void vgem_fence_expire(struct timer_list *t)
{
	struct vgem_fence *fence = vgem_timer_container_of(fence, t, timer);

	dma_fence_signal(&fence->base);
	dma_fence_put(&fence->base);	/* the timer's reference */
}

static struct vgem_fence *vgem_fence_create(void)
{
	struct vgem_fence *fence;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence)
		return NULL;

	/* Called from an ioctl: the open file already pins the module. */
	__module_get(THIS_MODULE);

	spin_lock_init(&fence->lock);
	/* A context per fence, so that read fences never replace each other. */
	dma_fence_init(&fence->base, &vgem_fence_ops, &fence->lock,
		       dma_fence_context_alloc(1), 1);

	timer_setup(&fence->timer, vgem_fence_expire, 0);
	dma_fence_get(&fence->base);	/* for the timer */
	mod_timer(&fence->timer, jiffies + VGEM_FENCE_TIMEOUT);
	return fence;
}

/* Signal @fence now and drop the caller's reference. */
static void vgem_fence_signal_put(struct vgem_fence *fence)
{
	dma_fence_signal(&fence->base);
	/* Cancelled before it ran: its reference is ours to drop. */
	if (vgem_timer_delete(&fence->timer))
		dma_fence_put(&fence->base);
	dma_fence_put(&fence->base);
}

/**
 * vgem_fence_attach_ioctl() - DRM_IOCTL_VGEM_FENCE_ATTACH
 * @dev: the DRM device
 * @data: struct drm_vgem_fence_attach
 * @file: the caller's DRM file, which owns the new fence id
 *
 * Return: 0; -EINVAL for unknown flags or a nonzero pad, -ENOENT for an
 * unknown handle, -EBUSY when a conflicting fence is unsignalled (any
 * fence for a write fence, a write fence for a read fence), or -ENOMEM.
 */
int vgem_fence_attach_ioctl(struct drm_device *dev, void *data,
			    struct drm_file *file)
{
	struct drm_vgem_fence_attach *arg = data;
	struct vgem_file *vfile = file->driver_priv;
	bool write = arg->flags & VGEM_FENCE_WRITE;
	struct drm_gem_object *obj;
	struct vgem_fence *fence;
	struct dma_resv *resv;
	int ret;

	if (arg->flags & ~VGEM_FENCE_WRITE)
		return -EINVAL;
	if (arg->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, arg->handle);
	if (!obj)
		return -ENOENT;
	resv = obj->resv;

	fence = vgem_fence_create();
	if (!fence) {
		ret = -ENOMEM;
		goto out_put;
	}

	/*
	 * Not interruptible, as upstream's: nobody holds it for long, and
	 * FENCE_ATTACH never fails with -EINTR there.
	 */
	dma_resv_lock(resv, NULL);
	if (!dma_resv_test_signaled(resv, dma_resv_usage_rw(write))) {
		ret = -EBUSY;
	} else {
		ret = dma_resv_reserve_fences(resv, 1);
		if (!ret)
			dma_resv_add_fence(resv, &fence->base,
					   write ? DMA_RESV_USAGE_WRITE :
						   DMA_RESV_USAGE_READ);
	}
	dma_resv_unlock(resv);
	if (ret)
		goto out_fence;

	mutex_lock(&vfile->fence_lock);
	ret = idr_alloc(&vfile->fence_idr, fence, 1, 0, GFP_KERNEL);
	mutex_unlock(&vfile->fence_lock);
	if (ret < 0)
		goto out_fence;	/* signalled, so it blocks nobody */

	arg->out_fence = ret;
	ret = 0;
	goto out_put;

out_fence:
	vgem_fence_signal_put(fence);
out_put:
	drm_gem_object_put(obj);
	return ret;
}

/**
 * vgem_fence_signal_ioctl() - DRM_IOCTL_VGEM_FENCE_SIGNAL
 * @dev: the DRM device
 * @data: struct drm_vgem_fence_signal
 * @file: the caller's DRM file, which owns the fence id
 *
 * The id stays used (and unknown) after this, as upstream does: ids are
 * never reused within a file.
 *
 * Return: 0; -EINVAL for nonzero flags, -ENOENT for an id this file does not
 * have (or has signalled already), -ETIMEDOUT when the fence had expired.
 */
int vgem_fence_signal_ioctl(struct drm_device *dev, void *data,
			    struct drm_file *file)
{
	struct drm_vgem_fence_signal *arg = data;
	struct vgem_file *vfile = file->driver_priv;
	struct vgem_fence *fence;
	int ret = 0;

	if (arg->flags)
		return -EINVAL;

	mutex_lock(&vfile->fence_lock);
	fence = idr_replace(&vfile->fence_idr, NULL, arg->fence);
	mutex_unlock(&vfile->fence_lock);
	if (IS_ERR(fence))
		return PTR_ERR(fence);
	if (!fence)
		return -ENOENT;

	if (dma_fence_is_signaled(&fence->base))
		ret = -ETIMEDOUT;

	vgem_fence_signal_put(fence);
	return ret;
}

/**
 * vgem_fence_file_init() - set up the fence ids of a new file
 * @vfile: the file's state
 */
void vgem_fence_file_init(struct vgem_file *vfile)
{
	mutex_init(&vfile->fence_lock);
	idr_init_base(&vfile->fence_idr, 1);
}

static int vgem_fence_file_drop(int id, void *p, void *data)
{
	if (p)
		vgem_fence_signal_put(p);
	return 0;
}

/**
 * vgem_fence_file_fini() - signal and forget the fences of a closing file
 * @vfile: the file's state; nothing else uses it any more
 */
void vgem_fence_file_fini(struct vgem_file *vfile)
{
	idr_for_each(&vfile->fence_idr, vgem_fence_file_drop, NULL);
	idr_destroy(&vfile->fence_idr);
	mutex_destroy(&vfile->fence_lock);
}
