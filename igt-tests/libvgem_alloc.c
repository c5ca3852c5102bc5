// SPDX-License-Identifier: MIT
/*
 * libvgem_alloc: libvgem's calls for allocator clients (1.3) against the
 * real driver: buffers by DRM fourcc with their linear layout, a new
 * buffer as a dma-buf in one call, and a sync_file's fences added to a
 * dma-buf. Like libvgem_api, it calls libvgem only.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>

#include "lib/igt.h"
#include "lib/igt_libvgem.h"
#include "vgem.h"

static int card(void)
{
	igt_libvgem_require_device();
	return igt_libvgem_card(0);
}

/* The objects of the device: STATS where the driver has it, else -1. */
static long long objects(int fd)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);

	return vgem_get_stats(fd, &st) ? -1 : (long long)st.objects;
}

/* How many fds this process has open (the directory's own included). */
static int open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	igt_assert(dir);
	while (readdir(dir))
		n++;
	closedir(dir);
	return n;
}

static void test_create_format(void)
{
	struct vgem_bo_layout layout = VGEM_INIT(struct vgem_bo_layout);
	struct vgem_bo bo;
	int fd = card(), dmabuf;

	/* One plane: pitch = width x 4, offset 0. */
	igt_assert_eq(vgem_bo_create_format(fd, 64, 48, DRM_FORMAT_XRGB8888,
					    DRM_FORMAT_MOD_LINEAR, 0, &bo, &layout), 0);
	igt_assert_eq(layout.size, sizeof(layout));
	igt_assert_eq(layout.fourcc, DRM_FORMAT_XRGB8888);
	igt_assert_eq(layout.modifier, DRM_FORMAT_MOD_LINEAR);
	igt_assert_eq(layout.planes, 1);
	igt_assert_eq(layout.pitches[0], 256);
	igt_assert_eq(layout.offsets[0], 0);
	igt_assert_eq(layout.pitches[1], 0);
	igt_assert_eq(bo.bpp, 32);
	igt_assert_eq(bo.height, 48);
	igt_assert(bo.size >= 256 * 48);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	/* NV12: the chroma plane after the luma plane, half as many lines. */
	igt_assert_eq(vgem_bo_create_format(fd, 64, 48, DRM_FORMAT_NV12,
					    DRM_FORMAT_MOD_INVALID, 0, &bo, &layout), 0);
	igt_assert_eq(layout.planes, 2);
	igt_assert_eq(layout.pitches[0], 64);
	igt_assert_eq(layout.pitches[1], 64);
	igt_assert_eq(layout.offsets[1], 64 * 48);
	igt_assert_eq(layout.modifier, DRM_FORMAT_MOD_LINEAR);
	igt_assert(bo.size >= 64 * 72);
	igt_assert_eq(bo.height, 48);
	igt_assert_eq(vgem_bo_export(fd, bo.handle, 0, &dmabuf), 0);
	igt_assert_eq(lseek(dmabuf, 0, SEEK_END), (off_t)bo.size);
	close(dmabuf);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	/* P010 and NV16: 16-bit luma; 4:2:2 chroma as many lines as luma. */
	igt_assert_eq(vgem_bo_create_format(fd, 32, 16, DRM_FORMAT_P010,
					    DRM_FORMAT_MOD_LINEAR, 0, &bo, &layout), 0);
	igt_assert_eq(layout.pitches[0], 64);
	igt_assert_eq(layout.offsets[1], 64 * 16);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);
	igt_assert_eq(vgem_bo_create_format(fd, 32, 16, DRM_FORMAT_NV16,
					    DRM_FORMAT_MOD_LINEAR, 0, &bo, &layout), 0);
	igt_assert(bo.size >= 32 * 32);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);

	/* What it refuses, creating nothing. */
	igt_assert_eq(vgem_bo_create_format(fd, 63, 48, DRM_FORMAT_NV12,
					    DRM_FORMAT_MOD_LINEAR, 0, &bo, &layout), -EINVAL);
	igt_assert_eq(vgem_bo_create_format(fd, 64, 0, DRM_FORMAT_XRGB8888,
					    DRM_FORMAT_MOD_LINEAR, 0, &bo, &layout), -EINVAL);
	igt_assert_eq(vgem_bo_create_format(fd, 64, 48, fourcc_code('N', 'O', 'P', 'E'),
					    DRM_FORMAT_MOD_LINEAR, 0, &bo, &layout), -EOPNOTSUPP);
	igt_assert_eq(vgem_bo_create_format(fd, 64, 48, DRM_FORMAT_XRGB8888,
					    I915_FORMAT_MOD_X_TILED, 0, &bo, &layout), -EOPNOTSUPP);
	igt_assert_eq(vgem_bo_create_format(fd, 64, 48, DRM_FORMAT_XRGB8888,
					    DRM_FORMAT_MOD_LINEAR, 1u << 30, &bo, &layout), -EINVAL);
	layout.size = 8;
	igt_assert_eq(vgem_bo_create_format(fd, 64, 48, DRM_FORMAT_XRGB8888,
					    DRM_FORMAT_MOD_LINEAR, 0, &bo, &layout), -EINVAL);
	igt_assert_eq(vgem_bo_create_format(fd, 64, 48, DRM_FORMAT_XRGB8888,
					    DRM_FORMAT_MOD_LINEAR, 0, NULL, &layout), -EINVAL);
	if (objects(fd) >= 0)
		igt_assert_eq(objects(fd), 0);
	close(fd);
}

static void test_create_dmabuf(void)
{
	struct vgem_bo bo, imported;
	int fd = card(), dmabuf, fds = open_fds();
	uint32_t *map;

	igt_assert_eq(vgem_bo_create_dmabuf(fd, 256, 64, 32, 0, VGEM_EXPORT_RDWR, &bo,
					    &dmabuf), 0);
	igt_assert(dmabuf >= 0);
	igt_assert(fcntl(dmabuf, F_GETFD) & FD_CLOEXEC);
	igt_assert_eq(bo.handle, 0);
	igt_assert_eq(bo.pitch, 1024);
	igt_assert_eq(lseek(dmabuf, 0, SEEK_END), (off_t)bo.size);
	/* The dma-buf alone holds the buffer: it is usable through it. */
	igt_assert_eq(vgem_dmabuf_map(dmabuf, bo.size, VGEM_MAP_READ | VGEM_MAP_WRITE,
				      (void **)&map), 0);
	map[0] = 0xc0ffee;
	igt_assert_eq(vgem_bo_unmap(map, bo.size), 0);
	igt_assert_eq(vgem_bo_import(fd, dmabuf, &imported), 0);
	igt_assert_eq(imported.size, bo.size);
	igt_assert_eq(vgem_bo_map(fd, &imported, VGEM_MAP_READ, (void **)&map), 0);
	igt_assert_eq(map[0], 0xc0ffee);
	igt_assert_eq(vgem_bo_unmap(map, imported.size), 0);
	igt_assert_eq(vgem_bo_close(fd, imported.handle), 0);
	close(dmabuf);
	igt_assert_eq(open_fds(), fds);

	/* Failures leave no fd and no object behind; bo may be NULL. */
	igt_assert_eq(vgem_bo_create_dmabuf(fd, 0, 64, 32, 0, 0, &bo, &dmabuf), -EINVAL);
	igt_assert_eq(vgem_bo_create_dmabuf(fd, 64, 64, 32, 0, 1u << 7, &bo, &dmabuf),
		      -EINVAL);
	igt_assert_eq(vgem_bo_create_dmabuf(fd, 64, 64, 32, 0, 0, &bo, NULL), -EINVAL);
	igt_assert_eq(open_fds(), fds);
	igt_assert_eq(vgem_bo_create_dmabuf(fd, 64, 64, 32, 0, 0, NULL, &dmabuf), 0);
	close(dmabuf);
	if (objects(fd) >= 0)
		igt_assert_eq(objects(fd), 0);
	close(fd);
}

/*
 * A sync_file of buffer A's write fence, imported into buffer B: B's users
 * wait for A's fence, and are free once it signals.
 */
static void test_import_sync_file(void)
{
	int fd = card(), a, b, sync_file, null;
	struct vgem_bo bo_a;
	uint32_t fence;

	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, 0, &bo_a), 0);
	igt_assert_eq(vgem_bo_export(fd, bo_a.handle, 0, &a), 0);
	igt_assert_eq(vgem_bo_create_dmabuf(fd, 64, 64, 32, 0, 0, NULL, &b), 0);
	igt_assert_eq(vgem_fence_attach(fd, bo_a.handle, VGEM_ACCESS_WRITE, &fence), 0);
	igt_assert_eq(vgem_dmabuf_export_sync_file(a, VGEM_ACCESS_WRITE, &sync_file), 0);

	igt_assert_eq(vgem_dmabuf_wait(b, VGEM_ACCESS_READ, 0), 0);
	/* As a read fence: only B's writers wait. */
	igt_assert_eq(vgem_dmabuf_import_sync_file(b, VGEM_ACCESS_READ, sync_file), 0);
	igt_assert_eq(vgem_dmabuf_wait(b, VGEM_ACCESS_READ, 0), 0);
	igt_assert_eq(vgem_dmabuf_wait(b, VGEM_ACCESS_WRITE, 0), -ETIMEDOUT);
	/* As a write fence: readers too. */
	igt_assert_eq(vgem_dmabuf_import_sync_file(b, VGEM_ACCESS_WRITE, sync_file), 0);
	igt_assert_eq(vgem_dmabuf_wait(b, VGEM_ACCESS_READ, 0), -ETIMEDOUT);
	igt_assert_eq(vgem_fence_signal(fd, fence), 0);
	igt_assert_eq(vgem_dmabuf_wait(b, VGEM_ACCESS_RW, 1000), 0);

	igt_assert_eq(vgem_dmabuf_import_sync_file(b, 0, sync_file), -EINVAL);
	igt_assert_eq(vgem_dmabuf_import_sync_file(b, VGEM_ACCESS_READ, -1), -EINVAL);
	/* Not a sync_file: the kernel refuses it. */
	igt_assert_eq(vgem_dmabuf_import_sync_file(b, VGEM_ACCESS_READ, a), -EINVAL);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	igt_assert_eq(vgem_dmabuf_import_sync_file(null, VGEM_ACCESS_READ, sync_file),
		      -ENOTTY);
	close(null);
	close(sync_file);
	close(a);
	close(b);
	igt_assert_eq(vgem_bo_close(fd, bo_a.handle), 0);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "create-format", test_create_format },
	{ "create-dmabuf", test_create_dmabuf },
	{ "import-sync-file", test_import_sync_file },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, IGT_ARRAY_SIZE(subtests));
}
