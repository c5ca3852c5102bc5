// SPDX-License-Identifier: MIT
/*
 * dma-bufs from user space (igt_dmabuf.h).
 */
#include "igt_dmabuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>

#include "igt_debugfs.h"
#include "igt_gem.h"

int __dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync arg = { .flags = flags };

	return igt_ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &arg);
}

int __dmabuf_export_sync_file(int dmabuf, uint32_t flags, int *sync_file)
{
	struct dma_buf_export_sync_file arg = { .flags = flags, .fd = -1 };
	int ret = igt_ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &arg);

	if (!ret)
		*sync_file = arg.fd;
	return ret;
}

int dmabuf_attachments(uint64_t ino)
{
	char line[512];
	bool found = false;
	int count = -ENOENT;
	FILE *f;

	f = igt_debugfs_open("dma_buf/bufinfo");
	if (!f)
		return -errno;
	/*
	 * One header line per buffer: size flags mode count exp_name ino name;
	 * then its fences and attached devices, closed by "Total N devices
	 * attached".
	 */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long size, line_ino;
		unsigned int flags, mode;
		long refs;
		char exporter[64];

		if (!found) {
			found = sscanf(line, "%llu %x %x %ld %63s %llu", &size, &flags,
				       &mode, &refs, exporter, &line_ino) == 6 &&
				line_ino == ino;
		} else if (sscanf(line, "Total %d devices attached", &count) == 1) {
			break;
		}
	}
	fclose(f);
	return found ? count : -ENOENT;
}

int __dma_heap_alloc(const char *heap_path, size_t len, int *dmabuf)
{
	struct dma_heap_allocation_data arg = {
		.len = len, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = open(heap_path, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (heap < 0)
		return -errno;
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &arg))
		ret = -errno;
	else
		*dmabuf = (int)arg.fd;
	close(heap);
	return ret;
}

int __udmabuf_create(size_t len, int *memfd, int *dmabuf)
{
	struct udmabuf_create arg = { .size = len, .flags = UDMABUF_FLAGS_CLOEXEC };
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	int mem, buf, ret;

	if (dev < 0)
		return -errno;
	mem = memfd_create("vgem-udmabuf", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (mem < 0) {
		ret = -errno;
		goto close_dev;
	}
	if (ftruncate(mem, (off_t)len) || fcntl(mem, F_ADD_SEALS, F_SEAL_SHRINK)) {
		ret = -errno;
		goto close_mem;
	}
	arg.memfd = (uint32_t)mem;
	buf = ioctl(dev, UDMABUF_CREATE, &arg);
	if (buf < 0) {
		ret = -errno;
		goto close_mem;
	}
	close(dev);
	*memfd = mem;
	*dmabuf = buf;
	return 0;

close_mem:
	close(mem);
close_dev:
	close(dev);
	return ret;
}
