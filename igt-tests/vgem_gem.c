// SPDX-License-Identifier: MIT
/*
 * vgem_gem: GEM objects made through dumb buffers, as upstream vgem (the
 * shmem helpers of Linux 6.1) makes them: the pitch and size it reports, the
 * arguments it refuses and with which errno, zero-filled memory, and the life
 * of handles (GEM_CLOSE, DESTROY_DUMB, per-file handle spaces, which node
 * allows what).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_gem.h"
#include "lib/igt_vgem.h"

#define PAGE_SZ		4096u
#define PAGE_ALIGN_U32(x)	(((x) + PAGE_SZ - 1) & ~(PAGE_SZ - 1))

/* CREATE_DUMB with every field as given, so tests can pass garbage outputs. */
static int create_raw(int fd, struct drm_mode_create_dumb *arg)
{
	return drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, arg) ? -errno : 0;
}

static int create_wh(int fd, uint32_t width, uint32_t height, uint32_t bpp)
{
	struct drm_mode_create_dumb arg = {
		.width = width, .height = height, .bpp = bpp,
	};
	int ret = create_raw(fd, &arg);

	if (!ret)
		gem_close(fd, arg.handle);
	return ret;
}

/*
 * Upstream's pitch is the minimum number of bytes that hold a row,
 * DIV_ROUND_UP(width * bpp, 8), which equals width * DIV_ROUND_UP(bpp, 8)
 * only when bpp is a multiple of 8; the size is pitch * height rounded up
 * to a page.
 */
static void test_create_pitch_size(void)
{
	static const struct { uint32_t w, h, bpp; } cases[] = {
		{ 1, 1, 8 }, { 1, 1, 32 }, { 2, 2, 32 }, { 1024, 768, 32 },
		{ 1920, 1080, 24 }, { 1366, 768, 16 }, { 4096, 4096, 32 },
		{ 100, 3, 8 }, { 1025, 1, 32 }, { 3, 5, 64 }, { 1, 4097, 8 },
		/* bpp that are not a whole number of bytes */
		{ 3, 5, 1 }, { 8, 8, 1 }, { 9, 2, 4 }, { 7, 3, 12 },
		{ 8, 8, 33 }, { 5, 5, 15 },
	};
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vgem_bo bo = {
			.width = cases[i].w, .height = cases[i].h, .bpp = cases[i].bpp,
		};
		uint32_t pitch = (uint32_t)(((uint64_t)bo.width * bo.bpp + 7) / 8);
		uint64_t size = PAGE_ALIGN_U32(pitch * bo.height);

		vgem_create(fd, &bo);
		igt_info("%ux%u@%u: pitch %u size %llu\n", bo.width, bo.height,
			 bo.bpp, bo.pitch, (unsigned long long)bo.size);
		igt_assert_f(bo.handle != 0, "handle 0 for %ux%u@%u\n",
			     bo.width, bo.height, bo.bpp);
		igt_assert_eq(bo.pitch, pitch);
		igt_assert_eq(bo.size, size);
		if (bo.bpp % 8 == 0)
			igt_assert_eq(bo.pitch, bo.width * (bo.bpp / 8));
		gem_close(fd, bo.handle);
	}
	close(fd);
}

/* handle, pitch and size are outputs: whatever user space left in them. */
static void test_create_ignores_outputs(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct drm_mode_create_dumb arg = {
		.width = 64, .height = 64, .bpp = 32,
		.handle = 0xdeadbeef, .pitch = 1, .size = 1, .flags = 0,
	};

	igt_assert_eq(create_raw(fd, &arg), 0);
	igt_assert(arg.handle != 0xdeadbeef && arg.handle != 0);
	igt_assert_eq(arg.pitch, 256);
	igt_assert_eq(arg.size, 16384);
	gem_close(fd, arg.handle);

	/* A pitch and size larger than needed are not honoured either. */
	arg = (struct drm_mode_create_dumb){
		.width = 16, .height = 16, .bpp = 8, .pitch = 4096, .size = 1 << 20,
	};
	igt_assert_eq(create_raw(fd, &arg), 0);
	igt_assert_eq(arg.pitch, 16);
	igt_assert_eq(arg.size, PAGE_SZ);
	gem_close(fd, arg.handle);
	close(fd);
}

static void test_create_zeroed(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	unsigned int round, i;

	/* Dirty objects, free them, and check new ones never show the data. */
	for (round = 0; round < 4; round++) {
		struct vgem_bo bo = { .width = 1024, .height = 256, .bpp = 32 };
		uint32_t *ptr;

		vgem_create(fd, &bo);
		ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
		for (i = 0; i < bo.size / 4; i++)
			igt_assert_f(ptr[i] == 0, "round %u: word %u is 0x%x\n",
				     round, i, ptr[i]);
		memset(ptr, 0xa5, bo.size);
		munmap(ptr, bo.size);
		gem_close(fd, bo.handle);
	}
	close(fd);
}

static void test_create_invalid(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct drm_mode_create_dumb arg;

	igt_assert_eq(create_wh(fd, 0, 1, 32), -EINVAL);
	igt_assert_eq(create_wh(fd, 1, 0, 32), -EINVAL);
	igt_assert_eq(create_wh(fd, 1, 1, 0), -EINVAL);
	igt_assert_eq(create_wh(fd, 0, 0, 0), -EINVAL);

	/* Unknown flags are not checked by upstream: still a valid create. */
	arg = (struct drm_mode_create_dumb){
		.width = 1, .height = 1, .bpp = 32, .flags = 0xffffffff,
	};
	igt_assert_eq(create_raw(fd, &arg), 0);
	gem_close(fd, arg.handle);
	close(fd);
}

/* Each overflow of the 32-bit size computation is refused with EINVAL. */
static void test_create_overflow(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);

	/* bpp so large that rounding it up to bytes wraps */
	igt_assert_eq(create_wh(fd, 1, 1, 0xffffffff), -EINVAL);
	igt_assert_eq(create_wh(fd, 1, 1, 0xfffffff8), -EINVAL);
	/* width * bytes per pixel */
	igt_assert_eq(create_wh(fd, 0x80000000u, 1, 16), -EINVAL);
	igt_assert_eq(create_wh(fd, 0xffffffffu, 1, 32), -EINVAL);
	igt_assert_eq(create_wh(fd, 0x40000001u, 1, 32), -EINVAL);
	/* pitch * height */
	igt_assert_eq(create_wh(fd, 65536, 65536, 32), -EINVAL);
	igt_assert_eq(create_wh(fd, 65536, 16384, 32), -EINVAL);
	igt_assert_eq(create_wh(fd, 1, 0xffffffffu, 16), -EINVAL);
	igt_assert_eq(create_wh(fd, 0xffffffffu, 0xffffffffu, 8), -EINVAL);
	/* fits in 32 bits, but rounding up to a page wraps to 0 */
	igt_assert_eq(create_wh(fd, 0xffffffffu, 1, 8), -EINVAL);
	igt_assert_eq(create_wh(fd, 0xfffff001u, 1, 8), -EINVAL);
	/* where upstream wraps after these checks: create-pitch-overflow */
	close(fd);
}

/*
 * The largest sizes that pass the checks are accepted: memory is only
 * allocated when it is used, so a 4 GiB - 256 KiB object is fine even in a
 * guest with less RAM.
 */
static void test_create_huge(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo = { .width = 65536, .height = 16383, .bpp = 32 };
	struct vgem_bo big = { .width = 0xfffff000u, .height = 1, .bpp = 1 };
	uint64_t offset;

	vgem_create(fd, &bo);
	igt_assert_eq(bo.pitch, 65536 * 4);
	igt_assert_eq(bo.size, 65536ull * 4 * 16383);
	igt_assert_eq(__vgem_map_offset(fd, bo.handle, &offset), 0);
	gem_close(fd, bo.handle);

	/* 1 bpp: the row is 0x1ffffe00 bytes, the object 512 MiB */
	vgem_create(fd, &big);
	igt_assert_eq(big.pitch, 0x1ffffe00u);
	igt_assert_eq(big.size, 0x20000000u);
	gem_close(fd, big.handle);
	close(fd);
}

static void test_create_many(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo[256];
	unsigned int i, j;

	for (i = 0; i < 256; i++) {
		bo[i] = (struct vgem_bo){ .width = 16, .height = 16, .bpp = 32 };
		vgem_create(fd, &bo[i]);
		igt_assert(bo[i].handle != 0);
		for (j = 0; j < i; j++)
			igt_assert_f(bo[i].handle != bo[j].handle,
				     "handle %u returned twice\n", bo[i].handle);
	}
	/* Free every other one; new handles must not clash with live ones. */
	for (i = 0; i < 256; i += 2)
		gem_close(fd, bo[i].handle);
	for (i = 0; i < 256; i += 2) {
		vgem_create(fd, &bo[i]);
		for (j = 1; j < 256; j += 2)
			igt_assert(bo[i].handle != bo[j].handle);
		for (j = 0; j < i; j += 2)
			igt_assert(bo[i].handle != bo[j].handle);
	}
	for (i = 0; i < 256; i++)
		gem_close(fd, bo[i].handle);
	close(fd);
}

static void test_close_invalid(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct drm_gem_close arg = { .handle = 0 };

	igt_assert_eq(__gem_close(fd, 0), -EINVAL);
	igt_assert_eq(__gem_close(fd, 1), -EINVAL);
	igt_assert_eq(__gem_close(fd, 0xdeadbeef), -EINVAL);
	igt_assert_eq(__gem_close(fd, 0xffffffff), -EINVAL);

	/* The pad of GEM_CLOSE is not checked upstream: a valid close. */
	{
		struct vgem_bo bo = { .width = 1, .height = 1, .bpp = 32 };

		vgem_create(fd, &bo);
		arg.handle = bo.handle;
		arg.pad = 0xffffffff;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &arg), 0);
		igt_assert_eq(__gem_close(fd, bo.handle), -EINVAL);
	}
	close(fd);
}

static void test_close_twice(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo a = { .width = 32, .height = 32, .bpp = 32 };
	struct vgem_bo b = a;

	vgem_create(fd, &a);
	vgem_create(fd, &b);
	gem_close(fd, a.handle);
	igt_assert_eq(__gem_close(fd, a.handle), -EINVAL);
	/* The other object is untouched. */
	gem_close(fd, b.handle);
	igt_assert_eq(__gem_close(fd, b.handle), -EINVAL);
	close(fd);
}

static void test_destroy_dumb(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo = { .width = 64, .height = 64, .bpp = 32 };
	uint64_t offset;

	vgem_create(fd, &bo);
	igt_assert_eq(__vgem_destroy_dumb(fd, bo.handle), 0);
	igt_assert_eq(__vgem_destroy_dumb(fd, bo.handle), -EINVAL);
	igt_assert_eq(__gem_close(fd, bo.handle), -EINVAL);
	igt_assert_eq(__vgem_map_offset(fd, bo.handle, &offset), -ENOENT);

	igt_assert_eq(__vgem_destroy_dumb(fd, 0), -EINVAL);
	igt_assert_eq(__vgem_destroy_dumb(fd, 0xdeadbeef), -EINVAL);

	/* DESTROY_DUMB and GEM_CLOSE release the same handle. */
	vgem_create(fd, &bo);
	gem_close(fd, bo.handle);
	igt_assert_eq(__vgem_destroy_dumb(fd, bo.handle), -EINVAL);
	close(fd);
}

/* Handles name objects in one file only. */
static void test_handles_per_file(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo = { .width = 64, .height = 64, .bpp = 32 };
	struct vgem_bo other = bo;
	uint64_t offset;
	int dmabuf;

	vgem_create(a, &bo);
	igt_assert_eq(__vgem_map_offset(b, bo.handle, &offset), -ENOENT);
	igt_assert_eq(__prime_handle_to_fd(b, bo.handle, DRM_CLOEXEC, &dmabuf), -ENOENT);
	igt_assert_eq(__igt_vgem_fence_attach(b, bo.handle, 0, 0, NULL), -ENOENT);
	igt_assert_eq(__gem_close(b, bo.handle), -EINVAL);
	igt_assert_eq(__vgem_destroy_dumb(b, bo.handle), -EINVAL);

	/* Both files number their handles on their own: they may coincide. */
	vgem_create(b, &other);
	igt_info("file a handle %u, file b handle %u\n", bo.handle, other.handle);
	gem_close(b, other.handle);

	/* The failed closes in b did not touch a's object. */
	igt_assert_eq(__vgem_map_offset(a, bo.handle, &offset), 0);
	gem_close(a, bo.handle);
	close(b);
	close(a);
}

/* Objects still open when their file is closed are freed with it. */
static void test_close_file_with_objects(void)
{
	unsigned int round, i;

	for (round = 0; round < 8; round++) {
		int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);

		for (i = 0; i < 32; i++) {
			struct vgem_bo bo = { .width = 256, .height = 256, .bpp = 32 };

			vgem_create(fd, &bo);
		}
		close(fd);
	}
}

/*
 * Upstream's dumb-buffer ioctls are not allowed on render nodes (EACCES,
 * from the DRM core); GEM_CLOSE is.
 */
static void test_render_node(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_RENDER);
	struct vgem_bo bo = { .width = 64, .height = 64, .bpp = 32 };
	uint64_t offset;

	igt_assert_eq(__vgem_create(fd, &bo), -EACCES);
	igt_assert_eq(__vgem_map_offset(fd, 1, &offset), -EACCES);
	igt_assert_eq(__vgem_destroy_dumb(fd, 1), -EACCES);
	igt_assert_eq(__gem_close(fd, 1), -EINVAL);
	close(fd);
}

static void test_card_node(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo = { .width = 64, .height = 64, .bpp = 32 };
	uint64_t offset;

	igt_assert_eq(__vgem_create(fd, &bo), 0);
	igt_assert_eq(__vgem_map_offset(fd, bo.handle, &offset), 0);
	igt_assert_eq(__vgem_destroy_dumb(fd, bo.handle), 0);
	close(fd);
}

/*
 * Upstream answers only the capabilities that make sense without KMS: dumb
 * buffers work, yet DRM_CAP_DUMB_BUFFER is refused with EOPNOTSUPP because
 * vgem is not a modesetting driver.
 */
static void test_caps(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	uint64_t value = 0;

	igt_assert_eq(drmGetCap(fd, DRM_CAP_PRIME, &value), 0);
	igt_assert_eq(value, DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT);
	igt_assert_eq(drmGetCap(fd, DRM_CAP_SYNCOBJ, &value), 0);
	igt_assert_eq(value, 0);
	igt_assert_eq(drmGetCap(fd, DRM_CAP_TIMESTAMP_MONOTONIC, &value), 0);
	igt_assert_eq(value, 1);
	errno = 0;
	igt_assert(drmGetCap(fd, DRM_CAP_DUMB_BUFFER, &value) != 0);
	igt_assert_eq(errno, EOPNOTSUPP);
	close(fd);
}

/*
 * Global names (GEM_FLINK / GEM_OPEN) come with every GEM driver: a name
 * opens the object in another file, with its size. FLINK is refused on
 * render nodes (EACCES), GEM_OPEN of an unknown name gives ENOENT.
 */
static void test_flink_open(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int r = igt_vgem_open(DRM_NODE_KIND_RENDER);
	struct vgem_bo bo = { .width = 1024, .height = 3, .bpp = 32 };
	struct drm_gem_flink flink = { 0 };
	struct drm_gem_open op = { 0 };
	uint32_t *pa, *pb;
	struct vgem_bo other;

	vgem_create(a, &bo);
	flink.handle = bo.handle;
	igt_assert_eq(drmIoctl(a, DRM_IOCTL_GEM_FLINK, &flink), 0);
	igt_assert(flink.name != 0);
	op.name = flink.name;
	igt_assert_eq(drmIoctl(b, DRM_IOCTL_GEM_OPEN, &op), 0);
	igt_assert(op.handle != 0);
	igt_assert_eq(op.size, bo.size);

	other = bo;
	other.handle = op.handle;
	pa = vgem_mmap(a, &bo, PROT_READ | PROT_WRITE);
	pb = vgem_mmap(b, &other, PROT_READ | PROT_WRITE);
	pa[100] = 0xfeedf00d;
	igt_assert_eq(pb[100], 0xfeedf00d);
	munmap(pa, bo.size);
	munmap(pb, bo.size);

	/* flinking again gives the same name */
	igt_assert_eq(drmIoctl(a, DRM_IOCTL_GEM_FLINK, &flink), 0);
	igt_assert_eq(flink.name, op.name);

	flink.handle = 0xdeadbeef;
	igt_assert_eq(drmIoctl(a, DRM_IOCTL_GEM_FLINK, &flink), -1);
	igt_assert_eq(errno, ENOENT);
	flink.handle = 1;
	igt_assert_eq(drmIoctl(r, DRM_IOCTL_GEM_FLINK, &flink), -1);
	igt_assert_eq(errno, EACCES);
	op = (struct drm_gem_open){ .name = 0x7fffffff };
	igt_assert_eq(drmIoctl(b, DRM_IOCTL_GEM_OPEN, &op), -1);
	igt_assert_eq(errno, ENOENT);

	/* the name dies with the last handle */
	gem_close(b, other.handle);
	op = (struct drm_gem_open){ .name = flink.name };
	gem_close(a, bo.handle);
	igt_assert_eq(drmIoctl(b, DRM_IOCTL_GEM_OPEN, &op), -1);
	igt_assert_eq(errno, ENOENT);
	close(r);
	close(b);
	close(a);
}

/*
 * Sizes that pass the core's overflow checks but make upstream's shmem
 * helper wrap: it computes the pitch from width * bpp in 32 bits. Debian's
 * 6.1 vgem returns pitch 4 and a 4 KiB object for 0x08000001 x 1 @ 32 bpp
 * (the caller then writes 512 MiB into 4 KiB) and ENOSPC for
 * 0x20000000 x 1 @ 8. Correct is the real pitch and size, or EINVAL; this
 * subtest skips on upstream vgem and holds ours to it.
 */
static void test_create_pitch_overflow(void)
{
	static const struct { uint32_t w, h, bpp; } cases[] = {
		{ 0x08000001u, 1, 32 }, { 0x20000000u, 1, 8 },
		{ 0x10000000u, 1, 32 }, { 0x20000000u, 2, 8 },
	};
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vgem_bo bo = {
			.width = cases[i].w, .height = cases[i].h, .bpp = cases[i].bpp,
		};
		uint64_t pitch = ((uint64_t)bo.width * bo.bpp + 7) / 8;
		uint64_t size = (pitch * bo.height + PAGE_SZ - 1) & ~(uint64_t)(PAGE_SZ - 1);
		int ret = __vgem_create(fd, &bo);

		igt_info("%#x x %u @ %u: %d, pitch %#x size %#llx\n", bo.width,
			 bo.height, bo.bpp, ret, ret ? 0 : bo.pitch,
			 ret ? 0ull : (unsigned long long)bo.size);
		vgem_assert_fixed_upstream_bug(ret == 0 || ret == -EINVAL,
					       "%#x x %u @ %u: error %d\n", bo.width,
					       bo.height, bo.bpp, ret);
		if (ret)
			continue;
		vgem_assert_fixed_upstream_bug(bo.pitch == pitch && bo.size == size,
					       "%#x x %u @ %u: pitch %#x size %#llx\n",
					       bo.width, bo.height, bo.bpp, bo.pitch,
					       (unsigned long long)bo.size);
		gem_close(fd, bo.handle);
	}
	close(fd);
}

/* The standard sysfs entries of both nodes. */
static void check_sysfs(enum drm_node_kind kind)
{
	int fd = igt_vgem_open(kind);
	char path[256], buf[64], expect[32], *subsystem;
	struct stat st;
	FILE *f;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(expect, sizeof(expect), "%u:%u\n", major(st.st_rdev),
		 minor(st.st_rdev));
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/dev",
		 major(st.st_rdev), minor(st.st_rdev));
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %s\n", path, strerror(errno));
	igt_assert(fgets(buf, sizeof(buf), f));
	fclose(f);
	igt_assert_f(strcmp(buf, expect) == 0, "%s: %s", path, buf);

	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/subsystem",
		 major(st.st_rdev), minor(st.st_rdev));
	subsystem = realpath(path, NULL);
	igt_assert_f(subsystem, "%s: %s\n", path, strerror(errno));
	igt_assert_f(strcmp(subsystem, "/sys/class/drm") == 0, "%s -> %s\n",
		     path, subsystem);
	free(subsystem);
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/uevent",
		 major(st.st_rdev), minor(st.st_rdev));
	igt_assert_f(access(path, R_OK) == 0, "%s: %s\n", path, strerror(errno));
	/* every readable file of the node and of its device reads */
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	igt_assert(read_all_files(path) > 0);
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	igt_assert(read_all_files(path) > 0);
	close(fd);
}

static void test_sysfs(void)
{
	check_sysfs(DRM_NODE_KIND_PRIMARY);
	check_sysfs(DRM_NODE_KIND_RENDER);
}

/* The debugfs file @name of minor @minor, asserting it opens; @path names it. */
static FILE *open_device_file(int minor, const char *name, char *path, size_t size)
{
	FILE *f = igt_debugfs_device_open(minor, name);

	igt_debugfs_device_path(minor, name, path, size);
	igt_assert_f(f, "%s: %s\n", path, strerror(errno));
	return f;
}

/*
 * The DRM core's debugfs files of the device: "name" names vgem,
 * "gem_names" lists flinked objects with their size, "clients" lists the
 * open files; every file of the directory reads without error.
 */
static void test_debugfs(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo = { .width = 1024, .height = 7, .bpp = 32 };
	struct drm_gem_flink flink = { 0 };
	char dir[128], path[256], line[256];
	bool found_name = false, found_obj = false, found_client = false;
	unsigned int name, size;
	int minor = drm_node_minor(fd);
	FILE *f;

	igt_require_debugfs();
	igt_debugfs_device_path(minor, "", dir, sizeof(dir));

	vgem_create(fd, &bo);
	flink.handle = bo.handle;
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GEM_FLINK, &flink), 0);

	f = open_device_file(minor, "name", path, sizeof(path));
	found_name = fgets(line, sizeof(line), f) && strncmp(line, "vgem ", 5) == 0;
	fclose(f);
	igt_assert_f(found_name, "%s: %s\n", path, line);

	f = open_device_file(minor, "gem_names", path, sizeof(path));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %u", &name, &size) == 2 &&
		    name == flink.name && size == bo.size)
			found_obj = true;
	fclose(f);
	igt_assert_f(found_obj, "name %u not in %s\n", flink.name, path);

	f = open_device_file(minor, "clients", path, sizeof(path));
	while (fgets(line, sizeof(line), f)) {
		char comm[64];
		int pid;

		if (sscanf(line, "%63s %d", comm, &pid) == 2 && pid == getpid())
			found_client = true;
	}
	fclose(f);
	igt_assert_f(found_client, "pid %d not in %s\n", getpid(), path);

	igt_assert(read_all_files(dir) >= 3);	/* name, clients, gem_names */
	gem_close(fd, bo.handle);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "caps", test_caps },
	{ "create-pitch-size", test_create_pitch_size },
	{ "create-ignores-outputs", test_create_ignores_outputs },
	{ "create-zeroed", test_create_zeroed },
	{ "create-invalid", test_create_invalid },
	{ "create-overflow", test_create_overflow },
	{ "create-huge", test_create_huge },
	{ "create-many", test_create_many },
	{ "close-invalid", test_close_invalid },
	{ "close-twice", test_close_twice },
	{ "destroy-dumb", test_destroy_dumb },
	{ "handles-per-file", test_handles_per_file },
	{ "close-file-with-objects", test_close_file_with_objects },
	{ "card-node", test_card_node },
	{ "render-node", test_render_node },
	{ "flink-open", test_flink_open },
	{ "create-pitch-overflow", test_create_pitch_overflow },
	{ "sysfs", test_sysfs },
	{ "debugfs", test_debugfs },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
