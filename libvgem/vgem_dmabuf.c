// SPDX-License-Identifier: MIT
/*
 * libvgem: CPU access to dma-bufs, vgem fences, waiting, sync_file export.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "drm/vgem_drm.h"
#include "vgem.h"
#include "vgem_private.h"

static int access_valid(unsigned int access)
{
	return access && !(access & ~VGEM_ACCESS_RW);
}

static uint64_t access_to_sync(unsigned int access)
{
	uint64_t flags = 0;

	if (access & VGEM_ACCESS_READ)
		flags |= DMA_BUF_SYNC_READ;
	if (access & VGEM_ACCESS_WRITE)
		flags |= DMA_BUF_SYNC_WRITE;
	return flags;
}

static int dmabuf_sync(int dmabuf, unsigned int access, uint64_t phase)
{
	struct dma_buf_sync arg;

	if (!access_valid(access))
		return -EINVAL;
	arg.flags = phase | access_to_sync(access);
	return vgem__drm_ret(drmIoctl(dmabuf, DMA_BUF_IOCTL_SYNC, &arg));
}

int vgem_dmabuf_sync_begin(int dmabuf, unsigned int access)
{
	return dmabuf_sync(dmabuf, access, DMA_BUF_SYNC_START);
}

int vgem_dmabuf_sync_end(int dmabuf, unsigned int access)
{
	return dmabuf_sync(dmabuf, access, DMA_BUF_SYNC_END);
}

int vgem_fence_attach(int fd, uint32_t handle, unsigned int access,
		      uint32_t *fence)
{
	struct drm_vgem_fence_attach arg = { .handle = handle };
	int ret;

	if (!fence || (access != VGEM_ACCESS_READ && access != VGEM_ACCESS_WRITE))
		return -EINVAL;
	if (access == VGEM_ACCESS_WRITE)
		arg.flags = VGEM_FENCE_WRITE;
	ret = vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &arg));
	if (ret)
		return ret;
	*fence = arg.out_fence;
	return 0;
}

int vgem_fence_signal(int fd, uint32_t fence)
{
	struct drm_vgem_fence_signal arg = { .fence = fence };

	return vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &arg));
}

/* poll() for @events, retried on EINTR (the time restarts: a bound, not a deadline). */
static int wait_events(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int ret;

	if (fd < 0)
		return -EBADF;	/* poll() would ignore it */
	do {
		ret = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	if (pfd.revents & events)
		return 0;
	return ret == 0 ? -ETIMEDOUT : -EIO;
}

int vgem_dmabuf_wait(int dmabuf, unsigned int access, int timeout_ms)
{
	if (!access_valid(access))
		return -EINVAL;
	/* POLLIN: no pending write fence; POLLOUT: no pending fence at all. */
	return wait_events(dmabuf, access & VGEM_ACCESS_WRITE ? POLLOUT : POLLIN,
			   timeout_ms);
}

int vgem_dmabuf_export_sync_file(int dmabuf, unsigned int access,
				 int *sync_file)
{
	struct dma_buf_export_sync_file arg = { .fd = -1 };
	int ret;

	if (!sync_file || !access_valid(access))
		return -EINVAL;
	arg.flags = access_to_sync(access);
	ret = vgem__drm_ret(drmIoctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &arg));
	if (ret)
		return ret;
	*sync_file = arg.fd;
	return 0;
}

int vgem_dmabuf_import_sync_file(int dmabuf, unsigned int access, int sync_file)
{
	struct dma_buf_import_sync_file arg = { .fd = sync_file };

	if (!access_valid(access) || sync_file < 0)
		return -EINVAL;
	arg.flags = access_to_sync(access);
	return vgem__drm_ret(drmIoctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &arg));
}

int vgem_sync_file_wait(int sync_file, int timeout_ms)
{
	return wait_events(sync_file, POLLIN, timeout_ms);
}
