// SPDX-License-Identifier: MIT
/*
 * Systematic fault injection (docs/testing.md, "Fault injection"): for
 * each path of ours (an ioctl, an mmap, a dma-buf call, a module load),
 * fail the n-th allocation of the calling task (/proc/thread-self/fail-nth:
 * slab and page allocations) for n = 1, 2, ... until the call completes
 * without reaching the injected failure. Each injected run must end in
 * success or a negative errno, and the same call must then succeed
 * without injection; the kernel log must stay free of reports and
 * kmemleak must find nothing (the guest runner checks both after the
 * run). Needs a kernel with CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and
 * CONFIG_FAIL_PAGE_ALLOC (the debug kernel); skips elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_module.h"

#define MAX_POINTS	5000

/** struct state - what the paths work on */
struct state {
	int fd, fd_other, fd_dev2;	/* two files of device 0, one of device 1 */
	uint32_t handle;		/* made by prepare, or by the call */
	uint32_t fence;
	int dmabuf;
	void *map;
	size_t map_size;
	int module;			/* vgem.ko, for the load path */
	char params[128];
};

/**
 * struct path - one path through our code
 * @name: what the report calls it
 * @prepare: before the injection (may be NULL)
 * @call: the call under injection: 0, or a negative errno
 * @undo: releases what a successful @call made (may be NULL)
 * @release: releases what @prepare made (may be NULL)
 */
struct path {
	const char *name;
	void (*prepare)(struct state *s);
	int (*call)(struct state *s);
	void (*undo)(struct state *s);
	void (*release)(struct state *s);
};

static int fail_nth = -1;

/* Fails the @n-th allocation of this task from now on (0: none). */
static void arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	igt_assert_eq(pwrite(fail_nth, buf, len, 0), len);
}

/* Disarms; whether the failure was injected. */
static bool disarm(void)
{
	char buf[16] = "";
	bool injected;

	igt_assert(pread(fail_nth, buf, sizeof(buf) - 1, 0) > 0);
	injected = atoi(buf) == 0;
	arm(0);
	return injected;
}

static int ret_errno(int ret)
{
	return ret < 0 ? -errno : 0;
}

/* ---- the paths ---- */

static int call_create_dumb(struct state *s)
{
	struct drm_mode_create_dumb c = { .width = 256, .height = 256, .bpp = 32 };
	int ret = ret_errno(ioctl(s->fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));

	s->handle = c.handle;
	return ret;
}

static int bo_create(struct state *s, uint32_t flags)
{
	struct drm_vgem_bo_create c = {
		.width = 1024, .height = 64, .bpp = 32, .flags = flags,
	};
	int ret = ret_errno(ioctl(s->fd, DRM_IOCTL_VGEM_BO_CREATE, &c));

	s->handle = c.handle;
	return ret;
}

static int call_bo_create_shmem(struct state *s)
{
	return bo_create(s, VGEM_BO_SHMEM);
}

static int call_bo_create_contiguous(struct state *s)
{
	return bo_create(s, VGEM_BO_CONTIGUOUS);
}

static int call_bo_create_cached(struct state *s)
{
	return bo_create(s, VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK | VGEM_BO_CACHED);
}

static void close_handle(struct state *s)
{
	struct drm_gem_close c = { .handle = s->handle };

	igt_assert_eq(ioctl(s->fd, DRM_IOCTL_GEM_CLOSE, &c), 0);
}

static void prepare_handle(struct state *s)
{
	igt_assert_eq(call_create_dumb(s), 0);
}

static int call_gem_close(struct state *s)
{
	struct drm_gem_close c = { .handle = s->handle };

	return ret_errno(ioctl(s->fd, DRM_IOCTL_GEM_CLOSE, &c));
}

static void recreate_handle(struct state *s)
{
	prepare_handle(s);
}

static int call_map_dumb(struct state *s)
{
	struct drm_mode_map_dumb m = { .handle = s->handle };

	return ret_errno(ioctl(s->fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
}

static int call_bo_info(struct state *s)
{
	struct drm_vgem_bo_info i = { .handle = s->handle };

	return ret_errno(ioctl(s->fd, DRM_IOCTL_VGEM_BO_INFO, &i));
}

static int call_stats(struct state *s)
{
	struct drm_vgem_stats st = { 0 };

	return ret_errno(ioctl(s->fd, DRM_IOCTL_VGEM_STATS, &st));
}

static int call_mmap(struct state *s)
{
	struct drm_mode_map_dumb m = { .handle = s->handle };

	igt_assert_eq(ioctl(s->fd, DRM_IOCTL_MODE_MAP_DUMB, &m), 0);
	s->map_size = 256 * 256 * 4;
	s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, m.offset);
	return s->map == MAP_FAILED ? -errno : 0;
}

static void undo_mmap(struct state *s)
{
	igt_assert_eq(munmap(s->map, s->map_size), 0);
}

static int call_export(struct state *s)
{
	struct drm_prime_handle h = { .handle = s->handle, .flags = DRM_CLOEXEC | DRM_RDWR };
	int ret = ret_errno(ioctl(s->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &h));

	s->dmabuf = h.fd;
	return ret;
}

static void undo_export(struct state *s)
{
	close(s->dmabuf);
}

static void prepare_export(struct state *s)
{
	prepare_handle(s);
	igt_assert_eq(call_export(s), 0);
}

static void release_export(struct state *s)
{
	close(s->dmabuf);
	close_handle(s);
}

static int import_into(struct state *s, int fd)
{
	struct drm_prime_handle h = { .fd = s->dmabuf };
	int ret = ret_errno(ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &h));

	if (!ret) {
		struct drm_gem_close c = { .handle = h.handle };

		/* The exporter's own handle is not the import's to close. */
		if (fd != s->fd || h.handle != s->handle)
			igt_assert_eq(ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), 0);
	}
	return ret;
}

static int call_import_same_file(struct state *s)
{
	return import_into(s, s->fd);
}

static int call_import_other_file(struct state *s)
{
	return import_into(s, s->fd_other);
}

static int call_import_other_device(struct state *s)
{
	return import_into(s, s->fd_dev2);
}

static int call_dmabuf_mmap(struct state *s)
{
	s->map_size = 4096;
	s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, s->dmabuf, 0);
	return s->map == MAP_FAILED ? -errno : 0;
}

static int call_dmabuf_sync(struct state *s)
{
	struct dma_buf_sync start = { DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW };
	struct dma_buf_sync end = { DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW };
	int ret = ret_errno(ioctl(s->dmabuf, DMA_BUF_IOCTL_SYNC, &start));

	if (!ret)
		igt_assert_eq(ioctl(s->dmabuf, DMA_BUF_IOCTL_SYNC, &end), 0);
	return ret;
}

static int call_export_sync_file(struct state *s)
{
	struct dma_buf_export_sync_file e = { .flags = DMA_BUF_SYNC_RW, .fd = -1 };
	int ret = ret_errno(ioctl(s->dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &e));

	if (!ret)
		close(e.fd);
	return ret;
}

static int call_fence_attach(struct state *s)
{
	struct drm_vgem_fence_attach f = { .handle = s->handle, .flags = VGEM_FENCE_WRITE };
	int ret = ret_errno(ioctl(s->fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &f));

	s->fence = f.out_fence;
	return ret;
}

static int call_fence_signal(struct state *s)
{
	struct drm_vgem_fence_signal f = { .fence = s->fence };

	return ret_errno(ioctl(s->fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &f));
}

static void undo_fence_attach(struct state *s)
{
	igt_assert_eq(call_fence_signal(s), 0);
}

static void prepare_fence(struct state *s)
{
	prepare_handle(s);
	igt_assert_eq(call_fence_attach(s), 0);
}

/* A signalled fence is signalled again only as an error: re-attach. */
static void undo_fence_signal(struct state *s)
{
	igt_assert_eq(call_fence_attach(s), 0);
}

static void release_fence(struct state *s)
{
	call_fence_signal(s);
	close_handle(s);
}

static int call_open(struct state *s)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	(void)s;
	return 0;
}

static const struct path ioctl_paths[] = {
	{ "open", NULL, call_open, NULL, NULL },
	{ "create-dumb", NULL, call_create_dumb, close_handle, NULL },
	{ "bo-create-shmem", NULL, call_bo_create_shmem, close_handle, NULL },
	{ "bo-create-contiguous", NULL, call_bo_create_contiguous, close_handle, NULL },
	{ "bo-create-cached", NULL, call_bo_create_cached, close_handle, NULL },
	{ "gem-close", prepare_handle, call_gem_close, recreate_handle, close_handle },
	{ "map-dumb", prepare_handle, call_map_dumb, NULL, close_handle },
	{ "bo-info", prepare_handle, call_bo_info, NULL, close_handle },
	{ "stats", NULL, call_stats, NULL, NULL },
	{ "mmap", prepare_handle, call_mmap, undo_mmap, close_handle },
	{ "prime-export", prepare_handle, call_export, undo_export, close_handle },
	{ "prime-import-same-file", prepare_export, call_import_same_file, NULL, release_export },
	{ "prime-import-other-file", prepare_export, call_import_other_file, NULL, release_export },
	{ "prime-import-other-device", prepare_export, call_import_other_device, NULL,
	  release_export },
	{ "dmabuf-mmap", prepare_export, call_dmabuf_mmap, undo_mmap, release_export },
	{ "dmabuf-sync", prepare_export, call_dmabuf_sync, NULL, release_export },
	{ "dmabuf-export-sync-file", prepare_export, call_export_sync_file, NULL,
	  release_export },
	{ "fence-attach", prepare_handle, call_fence_attach, undo_fence_attach, close_handle },
	{ "fence-signal", prepare_fence, call_fence_signal, undo_fence_signal, release_fence },
};

/* ---- the sweep ---- */

/*
 * Sweeps @path: returns how many allocations it has (the injection points
 * exercised).
 */
static unsigned int sweep(const struct path *path, struct state *s)
{
	unsigned int n;
	bool injected;
	int ret;

	for (n = 1; n <= MAX_POINTS; n++) {
		if (path->prepare)
			path->prepare(s);
		arm(n);
		ret = path->call(s);
		injected = disarm();
		igt_assert_f(ret <= 0, "%s: returned %d\n", path->name, ret);
		if (!injected) {
			igt_assert_f(!ret, "%s: failed (%s) with no failure injected\n",
				     path->name, strerror(-ret));
			if (path->undo)
				path->undo(s);
			if (path->release)
				path->release(s);
			return n - 1;
		}
		if (!ret) {
			/* The failure was absorbed (a fallback, a retry). */
			if (path->undo)
				path->undo(s);
		} else {
			ret = path->call(s);
			igt_assert_f(!ret, "%s: failed (%s) again without injection, after allocation %u had failed\n",
				     path->name, strerror(-ret), n);
			if (path->undo)
				path->undo(s);
		}
		if (path->release)
			path->release(s);
	}
	igt_assert_f(false, "%s: still allocating after %u allocations\n", path->name,
		     MAX_POINTS);
	return 0;
}

static void write_knob(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);

	igt_require_f(fd >= 0, "no %s: the kernel lacks the fault injection the debug kernel has\n",
		      path);
	igt_assert_eq(write(fd, value, strlen(value)), (ssize_t)strlen(value));
	close(fd);
}

/*
 * Every allocation may fail, GFP_KERNEL ones included, and quietly: a
 * stack dump of each injected failure would read as a report.
 */
static void setup_fault_injection(void)
{
	igt_require_debugfs();
	write_knob(IGT_DEBUGFS "/failslab/ignore-gfp-wait", "N");
	write_knob(IGT_DEBUGFS "/failslab/verbose", "0");
	write_knob(IGT_DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N");
	write_knob(IGT_DEBUGFS "/fail_page_alloc/ignore-gfp-highmem", "N");
	write_knob(IGT_DEBUGFS "/fail_page_alloc/min-order", "0");
	write_knob(IGT_DEBUGFS "/fail_page_alloc/verbose", "0");
	fail_nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	igt_require_f(fail_nth >= 0, "no /proc/thread-self/fail-nth: no CONFIG_FAULT_INJECTION\n");
}

/* Every ioctl, mmap and dma-buf path of ours, on two devices. */
static void test_ioctl_paths(void)
{
	struct state s = { 0 };
	unsigned int i, points, total = 0;

	igt_system("modprobe vgem");
	igt_require_f(igt_module_out_of_tree("vgem"), "injects faults into this project's vgem\n");
	setup_fault_injection();
	igt_vgem_reload(2);
	s.fd = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, NULL);
	s.fd_other = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, NULL);
	s.fd_dev2 = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);
	for (i = 0; i < IGT_ARRAY_SIZE(ioctl_paths); i++) {
		if (ioctl_paths[i].call == call_bo_create_contiguous) {
			int ret = bo_create(&s, VGEM_BO_CONTIGUOUS);

			if (ret == -ENODEV) {
				igt_info("%-28s skipped: no contiguous memory context\n",
					 ioctl_paths[i].name);
				continue;
			}
			igt_assert_eq(ret, 0);
			close_handle(&s);
		}
		points = sweep(&ioctl_paths[i], &s);
		igt_info("%-28s %u allocations failed in turn\n", ioctl_paths[i].name, points);
		total += points;
	}
	igt_info("%zu paths, %u injection points\n", IGT_ARRAY_SIZE(ioctl_paths), total);
	close(s.fd);
	close(s.fd_other);
	close(s.fd_dev2);
	igt_vgem_reload(1);
}

static const struct igt_subtest subtests[] = {
	{ "ioctl-paths", test_ioctl_paths },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, IGT_ARRAY_SIZE(subtests));
}
