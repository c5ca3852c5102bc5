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
#include "lib/igt_fd.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_gem.h"
#include "lib/igt_kmsg.h"
#include "lib/igt_mm.h"
#include "lib/igt_module.h"
#include "lib/igt_vgem.h"

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

/*
 * Disarms; what was left of the count armed (each allocation takes one:
 * 0 when the failure was injected).
 */
static unsigned int disarm_left(void)
{
	char buf[16] = "";

	igt_assert(pread(fail_nth, buf, sizeof(buf) - 1, 0) > 0);
	arm(0);
	return (unsigned int)atoi(buf);
}

/* Disarms; whether the failure was injected. */
static bool disarm(void)
{
	return disarm_left() == 0;
}

/* ---- the paths: the library's __calls, which return 0 or -errno ---- */

static int call_create_dumb(struct state *s)
{
	struct vgem_bo bo = { .width = 256, .height = 256, .bpp = 32 };
	int ret = __vgem_create(s->fd, &bo);

	s->handle = bo.handle;
	return ret;
}

static int bo_create(struct state *s, uint32_t flags)
{
	struct drm_vgem_bo_create c = {
		.width = 1024, .height = 64, .bpp = 32, .flags = flags,
	};
	int ret = __igt_vgem_bo_create(s->fd, &c);

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
	gem_close(s->fd, s->handle);
}

static void prepare_handle(struct state *s)
{
	igt_assert_eq(call_create_dumb(s), 0);
}

static int call_gem_close(struct state *s)
{
	return __gem_close(s->fd, s->handle);
}

static int call_map_dumb(struct state *s)
{
	uint64_t offset;

	return __vgem_map_offset(s->fd, s->handle, &offset);
}

static int call_bo_info(struct state *s)
{
	struct drm_vgem_bo_info info;

	return __igt_vgem_bo_info(s->fd, s->handle, &info);
}

static int call_stats(struct state *s)
{
	struct drm_vgem_stats st = { 0 };

	return igt_ioctl(s->fd, DRM_IOCTL_VGEM_STATS, &st);
}

static int call_mmap(struct state *s)
{
	uint64_t offset;

	igt_assert_eq(__vgem_map_offset(s->fd, s->handle, &offset), 0);
	s->map_size = 256 * 256 * 4;
	s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, offset);
	return s->map == MAP_FAILED ? -errno : 0;
}

static void undo_mmap(struct state *s)
{
	igt_assert_eq(munmap(s->map, s->map_size), 0);
}

static int call_export(struct state *s)
{
	return __prime_handle_to_fd(s->fd, s->handle, DRM_CLOEXEC | DRM_RDWR, &s->dmabuf);
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
	uint32_t handle;
	int ret = __prime_fd_to_handle(fd, s->dmabuf, &handle);

	/* The exporter's own handle is not the import's to close. */
	if (!ret && (fd != s->fd || handle != s->handle))
		gem_close(fd, handle);
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
	int ret = __dmabuf_sync(s->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);

	if (!ret)
		igt_assert_eq(__dmabuf_sync(s->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	return ret;
}

static int call_export_sync_file(struct state *s)
{
	int sync_file;
	int ret = __dmabuf_export_sync_file(s->dmabuf, DMA_BUF_SYNC_RW, &sync_file);

	if (!ret)
		close(sync_file);
	return ret;
}

static int call_fence_attach(struct state *s)
{
	return __igt_vgem_fence_attach(s->fd, s->handle, VGEM_FENCE_WRITE, 0, &s->fence);
}

static int call_fence_signal(struct state *s)
{
	return __igt_vgem_fence_signal(s->fd, s->fence, 0);
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
	{ "gem-close", prepare_handle, call_gem_close, prepare_handle, close_handle },
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
	int ret = igt_write_file(path, value);

	igt_require_f(ret != -ENOENT,
		      "no %s: the kernel lacks the fault injection the debug kernel has\n", path);
	igt_assert_f(ret == 0, "%s: %s\n", path, strerror(-ret));
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

/**
 * struct module_load - a module load under injection
 * @module: the module
 * @params: its parameters (printf format: %llx is a free pageblock of
 *	ZONE_MOVABLE, for a cmctx range)
 * @broken: a parameter the kernel's parser refuses, for the loader's share;
 *	NULL for a module with no parameter: it is loaded without the module
 *	it needs instead, which the loader refuses at its symbols, a few
 *	allocations earlier
 * @probe: a kernel log line that says the module's platform device's probe
 *	failed; when set, the sweep starts a little before that probe, fails
 *	one allocation after the other (no stride) and stops after the first
 *	load that logs this line (NULL: the whole load, with the stride)
 */
struct module_load {
	const char *module;
	const char *params;
	const char *broken;
	const char *probe;
};

/*
 * Each module with each of its parameters given a working value: the
 * parameter handlers and what they make (contexts, layouts) are under
 * injection too. pasr needs cmctx and its movable0 context; pasr_sim
 * needs pasr.
 *
 * vgem's load is swept only up to its probe's first allocation, for a bug
 * of Linux 6.1's DRM core that this sweep found: when
 * drm_sysfs_minor_alloc() fails (its kzalloc or the name's), drm_minor_alloc()
 * has already registered drm_minor_alloc_release(), which calls
 * put_device() on the ERR_PTR left in minor->kdev: a general protection
 * fault in kobject_put(), under devm_drm_dev_alloc() in any driver's
 * probe, upstream vgem's included, a few allocations into the probe.
 * Nothing a driver can do avoids it. And 6.1's driver core has a bug of
 * its own in the platform driver's registration: when module_add_driver()
 * fails to make the module's sysfs drivers/ directory, it links the driver
 * into the sysfs root instead and never removes the link, so that the
 * same failure in a later load warns of a duplicate /sys/platform:vgem.
 * So vgem's sweep starts a little before its probe, in the registration
 * of its platform device, goes one allocation at a time and stops once
 * the driver core reports that the probe failed: the device's
 * registration and the probe's first allocation (devm_drm_dev_alloc()'s)
 * fail in turn.
 */
static const struct module_load module_loads[] = {
	{ "cmctx", "", "movable=x", NULL },
	{ "cmctx", "movable=0 range=16M@%#llx:private", "movable=x", NULL },
	{ "cmctx", "movable=1 range=8M@%#llx", "movable=x", NULL },
	{ "pasr", "", "placement=x", NULL },
	{ "pasr", "context=movable0 placement=0 pairs=interleave", "placement=x", NULL },
	{ "pasr", "claim_pages=64 claim_ms=10 claim_at_suspend=0 compact=0 compact_pages=8",
	  "placement=x", NULL },
	{ "pasr_sim", "", NULL, NULL },
	{ "vgem", "", "num_devices=x", "probe of vgem failed" },
};

static void unload_all(void)
{
	static const char *const order[] = { "pasr_sim", "pasr", "vgem", "cmctx" };

	for (unsigned int i = 0; i < IGT_ARRAY_SIZE(order); i++) {
		if (!igt_module_loaded(order[i]))
			continue;
		if (!strcmp(order[i], "vgem"))
			igt_vgem_unload();
		else
			igt_assert_f(!igt_module_unload(order[i]), "%s does not unload\n",
				     order[i]);
	}
}

/* What @m needs loaded (cmctx under vgem and pasr, pasr under pasr_sim). */
static void load_needs(const struct module_load *m)
{
	if (strcmp(m->module, "cmctx") && !igt_module_loaded("cmctx"))
		igt_assert_eq(__igt_module_load("cmctx", ""), 0);
	if (!strcmp(m->module, "pasr_sim") && !igt_module_loaded("pasr"))
		igt_assert_eq(__igt_module_load("pasr", ""), 0);
}

/* finit_module() of an open module file, under injection or not. */
static int finit(int fd, const char *params)
{
	return syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
}

/* How many allocations this task made since arm(@armed): fail-nth counts down. */
static unsigned int allocations_since(unsigned int armed)
{
	return armed - disarm_left();
}

#define COUNT_ARMED	1000000u

/*
 * The kernel's module loader allocates before anything of ours runs:
 * reading the file and laying the module out (vmalloc, which reports its
 * failures with a stack dump the guest runner would take for a bug). A
 * load whose parameters its parser refuses makes all those allocations
 * and fails before the module's sysfs entries, its init and its uevent:
 * the sweep starts after them.
 */
static unsigned int loader_allocations(const struct module_load *m, int fd)
{
	int ret, expected = m->broken ? -EINVAL : -ENOENT;
	unsigned int n;

	if (m->broken)
		load_needs(m);
	else
		unload_all();
	arm(COUNT_ARMED);
	ret = finit(fd, m->broken ? m->broken : "");
	n = allocations_since(COUNT_ARMED);
	igt_assert_f(ret == expected, "%s %s: %s, not refused\n", m->module,
		     m->broken ? m->broken : "without what it needs", strerror(-ret));
	return n;
}

#define AUTOPROBE	"/sys/bus/platform/drivers_autoprobe"

/*
 * The allocations of a load of @m with the platform bus's probing off: its
 * driver and device are registered, the device is not probed, and the init
 * fails (-ENODEV), unregistering both again. So the probe's first
 * allocation comes a few after that count (those of the unregistration).
 */
static unsigned int allocations_before_probe(const struct module_load *m, int fd,
					     const char *params)
{
	unsigned int n;
	int ret;

	load_needs(m);
	write_knob(AUTOPROBE, "0");
	arm(COUNT_ARMED);
	ret = finit(fd, params);
	n = allocations_since(COUNT_ARMED);
	write_knob(AUTOPROBE, "1");
	igt_assert_f(ret == -ENODEV, "%s %s without probing: %s, not -ENODEV\n", m->module,
		     params, strerror(-ret));
	return n;
}

/*
 * How far before that count the stride-less sweep starts: the
 * unregistration's allocations (a few uevents), and page allocations of
 * growing slabs, which make counts vary by a few.
 */
#define PROBE_MARGIN	24

/*
 * Sweeps one module load, past the loader's own allocations: returns its
 * injection points (sysfs entries, the module's init, its uevent). A load
 * that fails must leave no module behind, and the same load must then
 * succeed.
 */
static unsigned int sweep_load(const struct module_load *m, const char *params,
			       unsigned int stride, struct igt_kmsg_tail *log)
{
	int fd = igt_module_open(m->module);
	unsigned int first, n, points = 0;
	bool injected, stop = false;
	int ret;

	igt_assert_f(fd >= 0, "%s: %s\n", m->module, strerror(-fd));
	first = loader_allocations(m, fd) + 1;
	if (m->probe) {
		n = allocations_before_probe(m, fd, params);
		first = n > first + PROBE_MARGIN ? n - PROBE_MARGIN : first;
		stride = 1;
	}
	for (n = first; n < first + MAX_POINTS && !stop; n += stride, points++) {
		load_needs(m);
		igt_kmsg_tail_mark(log, "vgem_fault_inject: %s, allocation %u fails", m->module, n);
		arm(n);
		ret = finit(fd, params);
		injected = disarm();
		if (!injected) {
			igt_assert_f(!ret, "%s %s: failed (%s) with no failure injected\n",
				     m->module, params, strerror(-ret));
			igt_assert_f(!m->probe, "%s: loaded without \"%s\" in the log\n", m->module,
				     m->probe);
			unload_all();
			close(fd);
			return points;
		}
		if (ret) {
			igt_assert_f(!igt_module_loaded(m->module),
				     "%s %s: failed (%s) at allocation %u, but is loaded\n",
				     m->module, params, strerror(-ret), n);
			ret = finit(fd, params);
			igt_assert_f(!ret, "%s %s: failed (%s) again without injection, after allocation %u had failed\n",
				     m->module, params, strerror(-ret), n);
		}
		unload_all();
		if (m->probe) {
			igt_kmsg_tail_read(log);
			stop = igt_kmsg_tail_find(log, m->probe, NULL, 0);
			if (stop)
				igt_info("%s: the probe failed at allocation %u, %u after the sweep's start\n",
					 m->module, n, n - first);
		}
	}
	igt_assert_f(stop, "%s %s: still allocating after %u allocations\n", m->module,
		     params, MAX_POINTS);
	close(fd);
	return points;
}

/*
 * Every module load with each parameter, past the module loader's part.
 * A load and an unload take about 0.5 s on the debug kernel, and a load
 * makes about 290 allocations (most of them its sysfs entries): the suite
 * fails every VGEM_FAULT_INJECT_STRIDE-th (default 16) in turn, and
 * VGEM_FAULT_INJECT_STRIDE=1 sweeps them all (give the guest runner a
 * --timeout of an hour).
 */
static void test_module_loads(void)
{
	const char *env = getenv("VGEM_FAULT_INJECT_STRIDE");
	unsigned int i, points, total = 0, stride = env ? (unsigned int)atoi(env) : 16;
	unsigned long long base;
	long long start_pfn;
	static struct igt_kmsg_tail log;
	char params[160];

	igt_system("modprobe vgem");
	igt_require_f(igt_module_out_of_tree("vgem"), "injects faults into this project's modules\n");
	igt_assert_f(stride >= 1, "VGEM_FAULT_INJECT_STRIDE must be 1 or more\n");
	/*
	 * 200 s with the stride of 16 on the debug kernel (2026-12-03): about
	 * 30 s for vgem's part, which has no stride, and 170 s that scale
	 * with 1 / stride (about 45 minutes for the whole sweep).
	 */
	igt_set_timeout(600 + 4000 / stride);
	setup_fault_injection();
	start_pfn = igt_movable_zone("start_pfn");
	igt_require_f(start_pfn > 0, "no ZONE_MOVABLE: boot with movablecore=\n");
	/* The zone's first whole pageblock (2 MiB). */
	base = ((unsigned long long)start_pfn * 4096 + (2 << 20) - 1) & ~((2ull << 20) - 1);
	unload_all();
	igt_kmsg_tail_open(&log);
	for (i = 0; i < IGT_ARRAY_SIZE(module_loads); i++) {
		snprintf(params, sizeof(params), module_loads[i].params, base);
		points = sweep_load(&module_loads[i], params, stride, &log);
		igt_info("%-6s %-62s %u allocations failed\n", module_loads[i].module, params,
			 points);
		total += points;
	}
	igt_info("%zu module loads, %u injection points (every %u%s allocation)\n",
		 IGT_ARRAY_SIZE(module_loads), total, stride, stride == 1 ? "st" : "th");
	igt_kmsg_tail_close(&log);
	igt_assert_eq(igt_system("modprobe vgem"), 0);
}

static const struct igt_subtest subtests[] = {
	{ "ioctl-paths", test_ioctl_paths },
	{ "module-loads", test_module_loads },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, IGT_ARRAY_SIZE(subtests));
}
