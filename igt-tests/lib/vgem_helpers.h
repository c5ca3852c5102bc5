/* SPDX-License-Identifier: MIT */
/*
 * Thin ioctl wrappers for the tests, in IGT's style: __name() returns 0 or a
 * negative errno and never asserts; name() asserts success.
 */
#ifndef VGEM_TEST_VGEM_HELPERS_H
#define VGEM_TEST_VGEM_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "drm/vgem_drm.h"
#include "drm_helpers.h"
#include "igt.h"

/**
 * vgem_assert_fixed_upstream_bug() - assert @cond, which the kernel's own
 * (upstream) vgem is known to get wrong: on it the subtest skips, naming
 * the bug; on any out-of-tree vgem (ours) a false @cond fails.
 */
#define vgem_assert_fixed_upstream_bug(cond, ...) do { \
	if (!(cond)) { \
		if (!drm_module_out_of_tree("vgem")) \
			igt_skip("known bug of upstream vgem: " __VA_ARGS__); \
		igt_assert_f(cond, __VA_ARGS__); \
	} \
} while (0)

/** struct vgem_bo - a dumb buffer as the tests see it */
struct vgem_bo {
	uint32_t handle;
	uint32_t width, height, bpp;
	uint32_t pitch;		/* filled in by create */
	uint64_t size;		/* filled in by create */
};

/** igt_vgem_open() - open a vgem node by driver name, asserting success */
int igt_vgem_open(enum drm_node_kind kind);

int __vgem_create(int fd, struct vgem_bo *bo);
void vgem_create(int fd, struct vgem_bo *bo);

/** __vgem_map_offset() - DRM_IOCTL_MODE_MAP_DUMB: the fake mmap offset */
int __vgem_map_offset(int fd, uint32_t handle, uint64_t *offset);

/** vgem_mmap() - map a whole object through the DRM fd; asserts success */
void *vgem_mmap(int fd, const struct vgem_bo *bo, int prot);

int __gem_close(int fd, uint32_t handle);
void gem_close(int fd, uint32_t handle);

int __prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dmabuf);
int prime_handle_to_fd(int fd, uint32_t handle);
int __prime_fd_to_handle(int fd, int dmabuf, uint32_t *handle);
uint32_t prime_fd_to_handle(int fd, int dmabuf);

int __igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags, uint32_t pad,
			uint32_t *fence);
uint32_t igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags);
int __igt_vgem_fence_signal(int fd, uint32_t fence, uint32_t flags);
void igt_vgem_fence_signal(int fd, uint32_t fence);

/** __vgem_destroy_dumb() - DRM_IOCTL_MODE_DESTROY_DUMB; 0 or -errno */
int __vgem_destroy_dumb(int fd, uint32_t handle);

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
 * fd_ready() - poll @fd once for @events
 * @fd: any pollable fd (dma-buf, sync_file)
 * @events: POLLIN and/or POLLOUT
 * @timeout_ms: how long to wait; 0 just samples the state
 *
 * Return: the subset of @events that is ready (0 when it timed out).
 */
short fd_ready(int fd, short events, int timeout_ms);

/**
 * pattern_fill() - write a pattern into @bytes of memory at @ptr
 * @seed: selects the pattern: word i is seed + i * PATTERN_STEP, so the
 *	pattern of a range starting at word n is the one of seed + n * PATTERN_STEP
 */
#define PATTERN_STEP 2654435761u
void pattern_fill(void *ptr, size_t bytes, uint32_t seed);
/** pattern_check() - assert that @ptr holds pattern_fill(@seed)'s pattern */
void pattern_check(const void *ptr, size_t bytes, uint32_t seed);

/** send_fd() - pass @fd over a unix socket (SCM_RIGHTS); 0 or -errno */
int send_fd(int sock, int fd);
/** recv_fd() - receive one fd sent by send_fd(); the fd or -errno */
int recv_fd(int sock);

/*
 * PRIME bookkeeping seen from user space, for the per-device dma-buf hash
 * tests and the prime benchmark; everything below works on any vgem
 * (ours or the kernel's own) and on any dma-buf exporter.
 */

/** __gem_flink() - DRM_IOCTL_GEM_FLINK: the object's global name; 0 or -errno */
int __gem_flink(int fd, uint32_t handle, uint32_t *name);
/**
 * gem_flink() - the global name of @handle's object, asserting success;
 * two handles (of any files of one device) name the same object exactly
 * when their names are equal. Needs a primary node (root is authenticated).
 */
uint32_t gem_flink(int fd, uint32_t handle);

/** fd_inode() - st_ino of an open file (a dma-buf's identity); asserts fstat */
uint64_t fd_inode(int fd);

/**
 * dmabuf_attachments() - how many devices are attached to the dma-buf
 * whose inode is @ino, from /sys/kernel/debug/dma_buf/bufinfo
 *
 * Return: the count, -ENOENT when no live dma-buf has that inode, or
 * another -errno when bufinfo cannot be read.
 */
int dmabuf_attachments(uint64_t ino);

/**
 * igt_vgem_reload() - unload vgem (modprobe -r) and load it with
 * num_devices=@devices, asserting both; 1 is the default
 */
void igt_vgem_reload(unsigned int devices);

/**
 * igt_vgem_card_minors() - the minors of the vgem primary nodes, ascending
 * @minors: receives them
 * @max: room in @minors
 *
 * Return: how many were found (at most @max).
 */
int igt_vgem_card_minors(int *minors, int max);

/**
 * igt_vgem_open_device() - open a node of the @index-th vgem device
 * (ordered by minor) with @kind, asserting success
 * @minor: if not NULL, receives the minor of the device's primary node,
 *	the directory of its files in /sys/kernel/debug/dri/
 */
int igt_vgem_open_device(unsigned int index, enum drm_node_kind kind, int *minor);

/*
 * The driver's BO_CREATE and BO_INFO extension ioctls (upstream vgem has
 * neither). __name() returns 0 or -errno, name() asserts success.
 */
int __igt_vgem_bo_create(int fd, struct drm_vgem_bo_create *arg);
/**
 * __igt_vgem_create_mib() - BO_CREATE of a 1024-pixel-wide XRGB8888 buffer
 * of @mib MiB (4 KiB pitch) with @flags and @alignment; @arg gets the answer
 */
int __igt_vgem_create_mib(int fd, unsigned int mib, uint32_t flags,
			  uint64_t alignment, struct drm_vgem_bo_create *arg);
/** igt_vgem_create_mib() - __igt_vgem_create_mib() asserted; the handle */
uint32_t igt_vgem_create_mib(int fd, unsigned int mib, uint32_t flags);
int __igt_vgem_bo_info(int fd, uint32_t handle, struct drm_vgem_bo_info *info);
struct drm_vgem_bo_info igt_vgem_bo_info(int fd, uint32_t handle);
/** igt_vgem_has_extensions() - whether the driver has BO_CREATE/BO_INFO */
bool igt_vgem_has_extensions(int fd);
/**
 * igt_vgem_require_contiguous() - skip, saying why, unless the driver has
 * the extensions and a contiguous memory context that can give 1 MiB
 */
void igt_vgem_require_contiguous(int fd);

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

#endif /* VGEM_TEST_VGEM_HELPERS_H */
