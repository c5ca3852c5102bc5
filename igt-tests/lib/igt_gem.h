/* SPDX-License-Identifier: MIT */
/*
 * The DRM core's buffer ioctls, as any GEM driver has them: dumb buffers,
 * GEM handles and names, PRIME import and export. In IGT's style: __name()
 * returns 0 or a negative errno and never asserts; name() asserts success.
 */
#ifndef VGEM_TEST_IGT_GEM_H
#define VGEM_TEST_IGT_GEM_H

#include <stdbool.h>
#include <stdint.h>

/**
 * igt_ioctl() - an ioctl, restarted on EINTR and EAGAIN (drmIoctl())
 *
 * Return: 0 or -errno.
 */
int igt_ioctl(int fd, unsigned long request, void *arg);

/** struct vgem_bo - a dumb buffer as the tests see it */
struct vgem_bo {
	uint32_t handle;
	uint32_t width, height, bpp;
	uint32_t pitch;		/* filled in by create */
	uint64_t size;		/* filled in by create */
};

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

/**
 * igt_prime_fd_handle_in_core() - whether the DRM core does PRIME
 * handle <-> fd itself, as from Linux 6.6 on (which removed the drivers'
 * prime_handle_to_fd/prime_fd_to_handle hooks): it then answers an import
 * from its per-file cache when the file already has a handle for the
 * dma-buf, without reaching vgem, and holds the device's object_name_lock
 * across vgem's gem_prime_import and export. Before, vgem's hooks do all.
 */
bool igt_prime_fd_handle_in_core(void);

/** __vgem_destroy_dumb() - DRM_IOCTL_MODE_DESTROY_DUMB; 0 or -errno */
int __vgem_destroy_dumb(int fd, uint32_t handle);

/** __gem_flink() - DRM_IOCTL_GEM_FLINK: the object's global name; 0 or -errno */
int __gem_flink(int fd, uint32_t handle, uint32_t *name);
/**
 * gem_flink() - the global name of @handle's object, asserting success;
 * two handles (of any files of one device) name the same object exactly
 * when their names are equal. Needs a primary node (root is authenticated).
 */
uint32_t gem_flink(int fd, uint32_t handle);

#endif /* VGEM_TEST_IGT_GEM_H */
