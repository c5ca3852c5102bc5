/* SPDX-License-Identifier: MIT */
/*
 * dma-bufs from user space: their ioctls, the other exporters the tests
 * import from (dma-heaps, udmabuf) and the attachments debugfs shows.
 */
#ifndef VGEM_TEST_IGT_DMABUF_H
#define VGEM_TEST_IGT_DMABUF_H

#include <stddef.h>
#include <stdint.h>

/** __dmabuf_sync() - DMA_BUF_IOCTL_SYNC with @flags; 0 or -errno */
int __dmabuf_sync(int dmabuf, uint64_t flags);

/**
 * __dmabuf_export_sync_file() - DMA_BUF_IOCTL_EXPORT_SYNC_FILE
 * @dmabuf: the dma-buf fd
 * @flags: DMA_BUF_SYNC_READ and/or DMA_BUF_SYNC_WRITE
 * @sync_file: receives the sync_file fd on success
 *
 * Return: 0 or -errno.
 */
int __dmabuf_export_sync_file(int dmabuf, uint32_t flags, int *sync_file);

/**
 * dmabuf_attachments() - how many devices are attached to the dma-buf
 * whose inode is @ino, from /sys/kernel/debug/dma_buf/bufinfo
 *
 * Return: the count, -ENOENT when no live dma-buf has that inode, or
 * another -errno when bufinfo cannot be read.
 */
int dmabuf_attachments(uint64_t ino);

/**
 * __dma_heap_alloc() - allocate @len bytes from the dma-heap at @heap_path
 * (e.g. "/dev/dma_heap/system")
 * @dmabuf: receives the dma-buf fd (O_RDWR | O_CLOEXEC)
 *
 * Return: 0, or -errno (-ENOENT: the kernel has no such heap).
 */
int __dma_heap_alloc(const char *heap_path, size_t len, int *dmabuf);

/**
 * __udmabuf_create() - a dma-buf of udmabuf over a new memfd of @len bytes
 * @memfd: receives the memfd (the buffer's pages), to close after use
 * @dmabuf: receives the dma-buf fd
 *
 * Return: 0, or -errno (-ENOENT: the kernel has no /dev/udmabuf); on error
 * nothing is left open.
 */
int __udmabuf_create(size_t len, int *memfd, int *dmabuf);

#endif /* VGEM_TEST_IGT_DMABUF_H */
