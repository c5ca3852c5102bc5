// SPDX-License-Identifier: MIT
/*
 * vgem's own ioctls (igt_vgem.h).
 */
#include "igt_vgem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "igt_debugfs.h"
#include "igt_figures.h"
#include "igt_gem.h"

int __igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags, uint32_t pad,
			uint32_t *fence)
{
	struct drm_vgem_fence_attach arg = {
		.handle = handle, .flags = flags, .pad = pad,
	};
	int ret = igt_ioctl(fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &arg);

	if (!ret && fence)
		*fence = arg.out_fence;
	return ret;
}

uint32_t igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags)
{
	uint32_t fence = 0;
	int ret = __igt_vgem_fence_attach(fd, handle, flags, 0, &fence);

	igt_assert_f(ret == 0, "VGEM_FENCE_ATTACH: %s\n", strerror(-ret));
	return fence;
}

int __igt_vgem_fence_signal(int fd, uint32_t fence, uint32_t flags)
{
	struct drm_vgem_fence_signal arg = { .fence = fence, .flags = flags };

	return igt_ioctl(fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &arg);
}

void igt_vgem_fence_signal(int fd, uint32_t fence)
{
	igt_assert_eq(__igt_vgem_fence_signal(fd, fence, 0), 0);
}

int __igt_vgem_bo_create(int fd, struct drm_vgem_bo_create *arg)
{
	return ioctl(fd, DRM_IOCTL_VGEM_BO_CREATE, arg) ? -errno : 0;
}

int __igt_vgem_create_mib(int fd, unsigned int mib, uint32_t flags,
			  uint64_t alignment, struct drm_vgem_bo_create *arg)
{
	*arg = (struct drm_vgem_bo_create){
		.width = 1024, .height = 256 * mib, .bpp = 32,
		.flags = flags, .alignment = alignment,
	};
	return __igt_vgem_bo_create(fd, arg);
}

uint32_t igt_vgem_create_mib(int fd, unsigned int mib, uint32_t flags)
{
	struct drm_vgem_bo_create arg;
	int ret = __igt_vgem_create_mib(fd, mib, flags, 0, &arg);

	igt_assert_f(ret == 0, "BO_CREATE of %u MiB, flags 0x%x: %s\n", mib, flags,
		     strerror(-ret));
	igt_assert_eq(arg.size, mib * 1048576ull);
	igt_assert_eq(arg.pitch, 4096);
	return arg.handle;
}

int __igt_vgem_bo_info(int fd, uint32_t handle, struct drm_vgem_bo_info *info)
{
	*info = (struct drm_vgem_bo_info){ .handle = handle };
	return ioctl(fd, DRM_IOCTL_VGEM_BO_INFO, info) ? -errno : 0;
}

struct drm_vgem_bo_info igt_vgem_bo_info(int fd, uint32_t handle)
{
	struct drm_vgem_bo_info info;
	int ret = __igt_vgem_bo_info(fd, handle, &info);

	igt_assert_f(ret == 0, "BO_INFO of handle %u: %s\n", handle, strerror(-ret));
	return info;
}

/* No object has handle 0: the driver answers ENOENT if it has the ioctl. */
bool igt_vgem_has_extensions(int fd)
{
	struct drm_vgem_bo_info info;

	return __igt_vgem_bo_info(fd, 0, &info) == -ENOENT;
}

void igt_vgem_require_contiguous(int fd)
{
	struct drm_vgem_bo_create probe = { .flags = VGEM_BO_CONTIGUOUS };
	int ret;

	igt_require_f(igt_vgem_has_extensions(fd),
		      "the driver has no BO_INFO ioctl (upstream vgem?)\n");
	/* A zero-sized request: EINVAL with a context, ENODEV without. */
	ret = __igt_vgem_bo_create(fd, &probe);
	igt_require_f(ret != -ENODEV,
		      "vgem has no contiguous memory context (boot with movablecore=256M)\n");
	igt_assert_eq(ret, -EINVAL);

	/*
	 * A context whose memory is all reserved at boot: on the debug kernel
	 * KASAN's shadow and the CMA area take the top of memory, which is
	 * where movablecore= puts ZONE_MOVABLE.
	 */
	ret = __igt_vgem_create_mib(fd, 1, VGEM_BO_CONTIGUOUS, 0, &probe);
	igt_require_f(ret != -ENOMEM,
		      "vgem's contiguous memory context cannot give even 1 MiB "
		      "(ZONE_MOVABLE reserved at boot, e.g. KASAN's shadow: boot "
		      "with a larger movablecore=)\n");
	igt_assert_eq(ret, 0);
	gem_close(fd, probe.handle);
}

/* What a device still holds, as text ("" when nothing), or -errno. */
static int vgem_held(int minor, char *what, size_t size)
{
	struct drm_vgem_stats st = { 0 };
	char path[96];
	long long entries, chunks = 0;
	int fd, ret;

	snprintf(path, sizeof(path), "/dev/dri/card%d", minor);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = igt_ioctl(fd, DRM_IOCTL_VGEM_STATS, &st);
	close(fd);
	if (ret)
		return ret;
	igt_debugfs_device_path(minor, "vgem_prime", path, sizeof(path));
	entries = igt_figure(path, "entries");
	if (!igt_cmctx_context_path(path, sizeof(path)))
		chunks = igt_figure(path, "chunks");
	what[0] = '\0';
	if (st.objects || st.exported || st.pinned || st.contig_bytes || entries || chunks)
		snprintf(what, size,
			 "%llu objects, %llu exported, %llu pinned, %llu contiguous bytes, %lld hash entries, %lld context chunks",
			 (unsigned long long)st.objects, (unsigned long long)st.exported,
			 (unsigned long long)st.pinned, (unsigned long long)st.contig_bytes,
			 entries, chunks);
	return 0;
}

void igt_vgem_assert_idle(int minor)
{
	char what[256];
	int i, ret;

	for (i = 0; i < 40; i++) {
		ret = vgem_held(minor, what, sizeof(what));
		igt_assert_f(!ret, "card%d: %s\n", minor, strerror(-ret));
		if (!what[0])
			return;
		usleep(50 * 1000);
	}
	igt_assert_f(false, "card%d still holds %s\n", minor, what);
}
