/* SPDX-License-Identifier: MIT */
/*
 * vgem user-space interface.
 *
 * The ioctl numbers and structure layouts up to the "extensions" marker are
 * those of upstream Linux vgem and must never change: existing clients and
 * IGT are built against them. Extensions of this driver follow the marker and
 * use command numbers upstream does not use.
 */
#ifndef VGEM_UAPI_VGEM_DRM_H
#define VGEM_UAPI_VGEM_DRM_H

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_VGEM_FENCE_ATTACH	0x1
#define DRM_VGEM_FENCE_SIGNAL	0x2

#define DRM_IOCTL_VGEM_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VGEM_FENCE_ATTACH, struct drm_vgem_fence_attach)
#define DRM_IOCTL_VGEM_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VGEM_FENCE_SIGNAL, struct drm_vgem_fence_signal)

/**
 * struct drm_vgem_fence_attach - attach a new fence to a GEM object
 * @handle: GEM handle of the object the fence is attached to.
 * @flags: 0 for a shared (read) fence, or %VGEM_FENCE_WRITE for an
 *	exclusive (write) fence. Any other bit is rejected with -EINVAL.
 * @out_fence: on success, the file-local id of the new fence, to be passed
 *	to DRM_IOCTL_VGEM_FENCE_SIGNAL.
 * @pad: must be zero.
 *
 * The fence signals when user space signals it, or on its own after a
 * timeout so that a forgotten fence cannot block other users forever.
 */
struct drm_vgem_fence_attach {
	__u32 handle;
	__u32 flags;
#define VGEM_FENCE_WRITE	0x1
	__u32 out_fence;
	__u32 pad;
};

/**
 * struct drm_vgem_fence_signal - signal a fence made by FENCE_ATTACH
 * @fence: the id returned in &drm_vgem_fence_attach.out_fence.
 * @flags: must be zero.
 */
struct drm_vgem_fence_signal {
	__u32 fence;
	__u32 flags;
};

/* ---- extensions of this driver (none upstream) follow this line ---- */

#if defined(__cplusplus)
}
#endif

#endif /* VGEM_UAPI_VGEM_DRM_H */
