// SPDX-License-Identifier: MIT
/*
 * libvgem for allocator clients (since 1.3): buffers by DRM fourcc format
 * with a linear layout, and a new buffer as a dma-buf in one call.
 *
 * vgem has no notion of formats: a buffer is a dumb buffer of some width,
 * height and bits per pixel. A format's layout is computed here the way a
 * linear allocator lays it out: one plane, or for the two-plane YUV formats
 * the chroma plane right after the luma plane, with the same pitch, in one
 * buffer.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <drm_fourcc.h>

#include "vgem.h"
#include "vgem_private.h"

/**
 * struct format_desc - what a format's linear layout needs
 * @fourcc: DRM_FORMAT_*
 * @bpp: bits per pixel of the first plane
 * @chroma_lines_div: 0 for one plane; else the chroma plane, as many bytes
 *	per line as the luma plane, has height / @chroma_lines_div lines
 *	(2: 4:2:0, 1: 4:2:2), and width and height must be even
 */
struct format_desc {
	uint32_t fourcc;
	uint32_t bpp;
	uint32_t chroma_lines_div;
};

static const struct format_desc formats[] = {
	{ DRM_FORMAT_C8, 8, 0 },
	{ DRM_FORMAT_R8, 8, 0 },
	{ DRM_FORMAT_R16, 16, 0 },
	{ DRM_FORMAT_GR88, 16, 0 },
	{ DRM_FORMAT_RG88, 16, 0 },
	{ DRM_FORMAT_RGB565, 16, 0 },
	{ DRM_FORMAT_BGR565, 16, 0 },
	{ DRM_FORMAT_XRGB1555, 16, 0 },
	{ DRM_FORMAT_ARGB1555, 16, 0 },
	{ DRM_FORMAT_YUYV, 16, 0 },
	{ DRM_FORMAT_UYVY, 16, 0 },
	{ DRM_FORMAT_RGB888, 24, 0 },
	{ DRM_FORMAT_BGR888, 24, 0 },
	{ DRM_FORMAT_XRGB8888, 32, 0 },
	{ DRM_FORMAT_ARGB8888, 32, 0 },
	{ DRM_FORMAT_XBGR8888, 32, 0 },
	{ DRM_FORMAT_ABGR8888, 32, 0 },
	{ DRM_FORMAT_RGBX8888, 32, 0 },
	{ DRM_FORMAT_RGBA8888, 32, 0 },
	{ DRM_FORMAT_BGRX8888, 32, 0 },
	{ DRM_FORMAT_BGRA8888, 32, 0 },
	{ DRM_FORMAT_XRGB2101010, 32, 0 },
	{ DRM_FORMAT_ARGB2101010, 32, 0 },
	{ DRM_FORMAT_XBGR2101010, 32, 0 },
	{ DRM_FORMAT_ABGR2101010, 32, 0 },
	{ DRM_FORMAT_XRGB16161616F, 64, 0 },
	{ DRM_FORMAT_ARGB16161616F, 64, 0 },
	{ DRM_FORMAT_XBGR16161616F, 64, 0 },
	{ DRM_FORMAT_ABGR16161616F, 64, 0 },
	{ DRM_FORMAT_NV12, 8, 2 },
	{ DRM_FORMAT_NV21, 8, 2 },
	{ DRM_FORMAT_NV16, 8, 1 },
	{ DRM_FORMAT_NV61, 8, 1 },
	{ DRM_FORMAT_P010, 16, 2 },
};

static const struct format_desc *find_format(uint32_t fourcc)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].fourcc == fourcc)
			return &formats[i];
	return NULL;
}

int vgem_bo_create_format(int fd, uint32_t width, uint32_t height, uint32_t fourcc,
			  uint64_t modifier, uint32_t flags, struct vgem_bo *bo,
			  struct vgem_bo_layout *layout)
{
	const struct format_desc *desc = find_format(fourcc);
	struct vgem_bo_layout out = { .size = sizeof(out) };
	uint32_t lines = height;
	int ret;

	if (!bo || !layout || layout->size < sizeof(out))
		return -EINVAL;
	if (!desc || (modifier != DRM_FORMAT_MOD_LINEAR && modifier != DRM_FORMAT_MOD_INVALID))
		return -EOPNOTSUPP;
	if (!width || !height)
		return -EINVAL;
	if (desc->chroma_lines_div) {
		if ((width | height) & 1)
			return -EINVAL;
		lines = height + height / desc->chroma_lines_div;
		if (lines < height)
			return -EINVAL;
	}
	ret = vgem_bo_create(fd, width, lines, desc->bpp, flags, bo);
	if (ret)
		return ret;
	/* What the caller asked for, not the lines of both planes. */
	bo->height = height;
	out.fourcc = fourcc;
	out.modifier = DRM_FORMAT_MOD_LINEAR;
	out.planes = desc->chroma_lines_div ? 2 : 1;
	out.pitches[0] = bo->pitch;
	if (out.planes == 2) {
		uint64_t offset = (uint64_t)bo->pitch * height;

		/* Plane offsets are 32-bit, as in DRM framebuffers. */
		if (offset > UINT32_MAX) {
			vgem_bo_close(fd, bo->handle);
			return -EFBIG;
		}
		out.pitches[1] = bo->pitch;
		out.offsets[1] = (uint32_t)offset;
	}
	return vgem__copy_out(layout, &out, sizeof(out), sizeof(out));
}

int vgem_bo_create_dmabuf(int fd, uint32_t width, uint32_t height, uint32_t bpp,
			  uint32_t flags, uint32_t export_flags, struct vgem_bo *bo,
			  int *dmabuf)
{
	struct vgem_bo made;
	int ret, closed;

	if (!dmabuf)
		return -EINVAL;
	ret = vgem_bo_create(fd, width, height, bpp, flags, &made);
	if (ret)
		return ret;
	ret = vgem_bo_export(fd, made.handle, export_flags, dmabuf);
	/* The dma-buf holds the object: the handle is not needed any more. */
	closed = vgem_bo_close(fd, made.handle);
	if (ret)
		return ret;
	if (closed) {
		close(*dmabuf);
		*dmabuf = -1;
		return closed;
	}
	made.handle = 0;
	if (bo)
		*bo = made;
	return 0;
}
