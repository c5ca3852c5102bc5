/* SPDX-License-Identifier: MIT */
/*
 * vgem's own ioctls: fences (upstream vgem has them too) and this
 * project's BO_CREATE and BO_INFO extensions. __name() returns 0 or a
 * negative errno, name() asserts success. Named igt_vgem_* so that none
 * shadows libvgem's vgem_* symbols.
 */
#ifndef VGEM_TEST_IGT_VGEM_H
#define VGEM_TEST_IGT_VGEM_H

#include <stdbool.h>
#include <stdint.h>

#include "drm/vgem_drm.h"
#include "igt.h"
#include "igt_module.h"

/**
 * vgem_assert_fixed_upstream_bug() - assert @cond, which the kernel's own
 * (upstream) vgem is known to get wrong: on it the subtest skips, naming
 * the bug; on any out-of-tree vgem (ours) a false @cond fails.
 */
#define vgem_assert_fixed_upstream_bug(cond, ...) do { \
	if (!(cond)) { \
		if (!igt_module_out_of_tree("vgem")) \
			igt_skip("known bug of upstream vgem: " __VA_ARGS__); \
		igt_assert_f(cond, __VA_ARGS__); \
	} \
} while (0)

int __igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags, uint32_t pad,
			uint32_t *fence);
uint32_t igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags);
int __igt_vgem_fence_signal(int fd, uint32_t fence, uint32_t flags);
void igt_vgem_fence_signal(int fd, uint32_t fence);

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
 * igt_vgem_assert_idle() - assert that the vgem device whose primary node
 * has minor @minor holds nothing any more: STATS shows no object, export,
 * pin or contiguous byte, its dma-buf hash has no entry (debugfs
 * vgem_prime), and vgem's contiguous memory context (when there is one)
 * has no chunk. Waits up to 2 s for dma-bufs on their way out (a file
 * closed by an exiting process is released after it).
 */
void igt_vgem_assert_idle(int minor);

#endif /* VGEM_TEST_IGT_VGEM_H */
