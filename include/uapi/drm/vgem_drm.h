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

#define DRM_VGEM_BO_CREATE	0x10
#define DRM_VGEM_BO_INFO	0x11
#define DRM_VGEM_STATS		0x12

#define DRM_IOCTL_VGEM_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VGEM_BO_CREATE, struct drm_vgem_bo_create)
#define DRM_IOCTL_VGEM_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VGEM_BO_INFO, struct drm_vgem_bo_info)
#define DRM_IOCTL_VGEM_STATS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VGEM_STATS, struct drm_vgem_stats)

/**
 * struct drm_vgem_bo_create - create a dumb buffer and choose its memory
 * @width: width in pixels, as for DRM_IOCTL_MODE_CREATE_DUMB.
 * @height: height in lines.
 * @bpp: bits per pixel.
 * @flags: %VGEM_BO_CONTIGUOUS for physically contiguous memory,
 *	%VGEM_BO_SHMEM for ordinary (shmem) memory, neither for the
 *	device's default (module parameter); %VGEM_BO_FALLBACK with
 *	%VGEM_BO_CONTIGUOUS to get shmem memory instead of -ENOMEM, -ENODEV,
 *	-EDQUOT or -EFBIG when no contiguous memory can be had.
 *	%VGEM_BO_CACHED, with any of them, asks for write-back (cached) CPU
 *	mappings instead of write-combined ones: the user then brackets
 *	every CPU access with DMA_BUF_IOCTL_SYNC on the object's dma-buf,
 *	and the driver does the cache maintenance importers need. Other
 *	bits and other combinations are rejected with -EINVAL.
 * @alignment: 0, or the alignment in bytes of a contiguous buffer's
 *	physical start: a power of two from PAGE_SIZE to 256 MiB. Must be 0
 *	without %VGEM_BO_CONTIGUOUS.
 * @handle: out: the new object's handle.
 * @pitch: out: bytes per line, computed as CREATE_DUMB computes it.
 * @size: out: the object's size in bytes.
 * @pad: must be zero.
 */
struct drm_vgem_bo_create {
	__u32 width;
	__u32 height;
	__u32 bpp;
	__u32 flags;
#define VGEM_BO_CONTIGUOUS	(1u << 0)
#define VGEM_BO_SHMEM		(1u << 1)
#define VGEM_BO_FALLBACK	(1u << 2)
#define VGEM_BO_CACHED		(1u << 3)
	__u64 alignment;
	__u32 handle;
	__u32 pitch;
	__u64 size;
	__u64 pad;
};

/**
 * struct drm_vgem_bo_info - what the driver knows about one object
 * @handle: in: a handle of the calling file.
 * @flags: out: %VGEM_BO_INFO_* bits.
 * @size: out: the object's size in bytes.
 * @backing: out: %VGEM_BACKING_SHMEM, %VGEM_BACKING_CONTIGUOUS or
 *	%VGEM_BACKING_IMPORT.
 * @extents: out: the number of physically contiguous extents of the
 *	memory: 1 for a contiguous buffer (what its creator asked for). For
 *	a shmem or an imported buffer the layout is the kernel's, not the
 *	user's choice, and tells which pages are physically adjacent: only a
 *	caller with CAP_SYS_ADMIN gets it (the pinned pages' runs, the
 *	entries of an import's mapped scatter list); others get 0, as for
 *	shmem pages that are not pinned. Never a physical address.
 * @alignment: out: the alignment of a contiguous buffer's physical start
 *	that its creator asked for (at least PAGE_SIZE), never more; 0
 *	otherwise.
 * @pad: must be zero.
 *
 * %VGEM_BO_INFO_CONTIGUOUS is set for contiguous buffers; for imports, only
 * for a caller with CAP_SYS_ADMIN (one extent). %VGEM_BO_INFO_CACHED is
 * set for buffers created with %VGEM_BO_CACHED.
 */
struct drm_vgem_bo_info {
	__u32 handle;
	__u32 flags;
#define VGEM_BO_INFO_IMPORTED	(1u << 0)
#define VGEM_BO_INFO_EXPORTED	(1u << 1)
#define VGEM_BO_INFO_CONTIGUOUS	(1u << 2)
#define VGEM_BO_INFO_CACHED	(1u << 3)
	__u64 size;
	__u32 backing;
#define VGEM_BACKING_SHMEM	0
#define VGEM_BACKING_CONTIGUOUS	1
#define VGEM_BACKING_IMPORT	2
	__u32 extents;
	__u64 alignment;
	__u64 pad;
};

/**
 * struct drm_vgem_stats - statistics of a device, for anyone who may open it
 * @flags: in: must be zero (no flag is defined yet); -EINVAL otherwise.
 * @pad: in: must be zero; -EINVAL otherwise.
 * @valid: out: %VGEM_STATS_VALID_* bits, one per group of members below:
 *	the members of a group whose bit is clear are zero and mean "not
 *	available", not 0. Bits a caller does not know are to be ignored.
 * @objects: live GEM objects of the device, over all its files and users
 *	(%VGEM_STATS_VALID_OBJECTS, as are the next four).
 * @bytes: their total size in bytes.
 * @imported: those made from a foreign dma-buf.
 * @exported: those this device made a dma-buf of, while they have one.
 * @pinned: those whose pages are pinned (a user mapping, a dma-buf
 *	attachment, a kernel mapping).
 * @hash_hits: PRIME_FD_TO_HANDLE calls on the device that found the
 *	device's object for the dma-buf, since the device was made
 *	(%VGEM_STATS_VALID_HASH, as is the next).
 * @hash_misses: PRIME_FD_TO_HANDLE calls that made a new object.
 * @contig_bytes: the total size of the device's contiguous buffers
 *	(%VGEM_STATS_VALID_CONTIG, as is the next; the bit is clear when the
 *	driver has no contiguous memory context).
 * @contig_context_bytes: the size of the contiguous memory context,
 *	shared by every device and every other user of the context.
 * @contig_max_buffer: the largest contiguous buffer, in bytes (module
 *	parameter contig_max_buffer; larger requests get -EFBIG)
 *	(%VGEM_STATS_VALID_CONTIG_LIMITS, as are the next three: the module's
 *	figures, the same for every device; a limit given as a percentage of
 *	the context is 0 without a context).
 * @contig_user_limit: the contiguous memory the buffers of one user may
 *	hold, in bytes (contig_user_limit; -EDQUOT beyond it).
 * @contig_over_max_buffer: requests refused for @contig_max_buffer since
 *	the module was loaded (with or without %VGEM_BO_FALLBACK).
 * @contig_over_user_limit: requests refused for @contig_user_limit.
 *
 * Allowed on render nodes and to any process that may open the device.
 * Only device-wide and module-wide totals: nothing physical (no address,
 * no layout) and nothing about one user or one file (what each user holds
 * of the contiguous memory stays in debugfs, for root).
 *
 * ABI: members are only ever added at the end, each group with a new
 * %VGEM_STATS_VALID_* bit, and new input members are such that zero means
 * today's behaviour. The DRM core copies in and out as many bytes as the
 * size encoded in the command the caller was built with, and zero-fills
 * the rest of the driver's structure: a binary built against an older,
 * shorter structure keeps working on a newer driver (it gets its members,
 * and may see @valid bits of groups it does not have, to be ignored); a
 * binary built against a newer, longer structure gets on an older driver
 * the @valid bits that driver knows, and its newer members back as it
 * passed them (zero them first).
 */
struct drm_vgem_stats {
	__u32 flags;
	__u32 pad;
	__u64 valid;
#define VGEM_STATS_VALID_OBJECTS	(1ull << 0)
#define VGEM_STATS_VALID_HASH		(1ull << 1)
#define VGEM_STATS_VALID_CONTIG		(1ull << 2)
#define VGEM_STATS_VALID_CONTIG_LIMITS	(1ull << 3)
	__u64 objects;
	__u64 bytes;
	__u64 imported;
	__u64 exported;
	__u64 pinned;
	__u64 hash_hits;
	__u64 hash_misses;
	__u64 contig_bytes;
	__u64 contig_context_bytes;
	__u64 contig_max_buffer;
	__u64 contig_user_limit;
	__u64 contig_over_max_buffer;
	__u64 contig_over_user_limit;
};

#if defined(__cplusplus)
}
#endif

#endif /* VGEM_UAPI_VGEM_DRM_H */
