// SPDX-License-Identifier: MIT
/*
 * vgem_hotunplug: a vgem device going away while clients hold it, as IGT's
 * core_hotunplug does it to hardware drivers. Each vgem device is a platform
 * device bound to vgem's platform driver; unbinding it through sysfs
 * (/sys/bus/platform/drivers/vgem/unbind) unplugs its DRM device. Files
 * still open then get ENODEV from every ioctl and from mmap; what was
 * mapped stays mapped with its contents; dma-bufs exported from it stay
 * usable by their importers (another vgem device, vkms); its fences are
 * signalled when their file closes; the module cannot be unloaded while
 * any of that is held. Binding it again makes a fresh DRM device (new
 * minors) that works as before. The guest runner fails the run on any
 * kernel report, and kmemleak runs after it (docs/testing.md).
 *
 * Upstream vgem's device has no driver and cannot be unbound: the subtests
 * skip there.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <linux/dma-buf.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_fd.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_vgem.h"

#define DRIVER_DIR	"/sys/bus/platform/drivers/vgem"
/* The device unplugged: the second of two, so that the first can import. */
#define VICTIM		"vgem.1"
#define WIDTH		256
#define HEIGHT		64

static void driver_write(const char *knob, const char *pdev)
{
	char path[96];
	int ret;

	snprintf(path, sizeof(path), DRIVER_DIR "/%s", knob);
	ret = igt_write_file(path, pdev);
	igt_assert_f(ret == 0, "%s %s: %s\n", knob, pdev, strerror(-ret));
}

static void unbind(const char *pdev)
{
	char path[64];

	driver_write("unbind", pdev);
	igt_assert_eq(igt_vgem_platform_node(pdev, DRM_NODE_KIND_PRIMARY, path), -ENODEV);
}

static void bind(const char *pdev)
{
	char path[64];

	driver_write("bind", pdev);
	igt_assert_eq(igt_vgem_platform_node(pdev, DRM_NODE_KIND_PRIMARY, path), 0);
}

static int open_platform(const char *pdev, enum drm_node_kind kind)
{
	char path[64];
	int fd;

	igt_assert_eq(igt_vgem_platform_node(pdev, kind, path), 0);
	fd = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	return fd;
}

static void fill(uint32_t *map, size_t size, uint32_t seed)
{
	for (size_t i = 0; i < size / 4; i++)
		map[i] = seed ^ (uint32_t)i;
}

static void check(const uint32_t *map, size_t size, uint32_t seed, const char *what)
{
	for (size_t i = 0; i < size / 4; i++)
		igt_assert_f(map[i] == (seed ^ (uint32_t)i),
			     "%s: word %zu is %#x, not %#x\n", what, i, map[i],
			     seed ^ (uint32_t)i);
}

/* A device that works: create, map, write, read back, close. */
static void exercise(int fd)
{
	struct vgem_bo bo = { .width = WIDTH, .height = HEIGHT, .bpp = 32 };
	uint32_t *map;

	vgem_create(fd, &bo);
	map = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	fill(map, bo.size, 0x5a5a0000);
	check(map, bo.size, 0x5a5a0000, "a new buffer");
	munmap(map, bo.size);
	gem_close(fd, bo.handle);
}

/* Two devices of our vgem; upstream's cannot be unbound. */
static void setup(void)
{
	struct stat st;

	igt_system("modprobe vgem");
	igt_require_f(igt_module_out_of_tree("vgem"),
		      "upstream vgem's device has no driver: it cannot be unbound\n");
	igt_vgem_reload(2);
	igt_assert_f(stat(DRIVER_DIR "/" VICTIM, &st) == 0,
		     "%s is not bound to vgem's platform driver\n", VICTIM);
}

static void teardown(void)
{
	igt_vgem_reload(1);
}

/* core_hotunplug's unbind-rebind: nothing open. */
static void test_unbind_rebind(void)
{
	int fd;

	setup();
	for (int i = 0; i < 3; i++) {
		unbind(VICTIM);
		bind(VICTIM);
		fd = open_platform(VICTIM, DRM_NODE_KIND_PRIMARY);
		exercise(fd);
		close(fd);
	}
	/* Device 0, named as upstream's, too. */
	unbind("vgem");
	bind("vgem");
	fd = open_platform("vgem", DRM_NODE_KIND_PRIMARY);
	exercise(fd);
	close(fd);
	teardown();
}

/** struct live - what a client holds on the device when it goes */
struct live {
	int fd;				/* the client's file */
	struct vgem_bo mapped;		/* mapped through @fd */
	uint32_t *map;
	uint32_t seed;			/* of what @map holds */
	struct vgem_bo exported;	/* exported, fenced, mapped through the dma-buf */
	int dmabuf;
	uint32_t *dmabuf_map;
	uint32_t fence;			/* unsignalled, on @exported */
	int sync_file;			/* of that fence, from the dma-buf */
	uint64_t offset;		/* a fake offset not mapped yet */
	int importer;			/* device 0, which imported @dmabuf */
	uint32_t imported;
};

static void live_make(struct live *l)
{
	struct vgem_bo spare = { .width = WIDTH, .height = HEIGHT, .bpp = 32 };

	l->fd = open_platform(VICTIM, DRM_NODE_KIND_PRIMARY);
	l->mapped = (struct vgem_bo){ .width = WIDTH, .height = HEIGHT, .bpp = 32 };
	l->exported = l->mapped;
	vgem_create(l->fd, &l->mapped);
	l->map = vgem_mmap(l->fd, &l->mapped, PROT_READ | PROT_WRITE);
	l->seed = 0x11110000;
	fill(l->map, l->mapped.size, l->seed);

	vgem_create(l->fd, &l->exported);
	l->dmabuf = prime_handle_to_fd(l->fd, l->exported.handle);
	l->dmabuf_map = mmap(NULL, l->exported.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			     l->dmabuf, 0);
	igt_assert(l->dmabuf_map != MAP_FAILED);
	fill(l->dmabuf_map, l->exported.size, 0x22220000);
	l->fence = igt_vgem_fence_attach(l->fd, l->exported.handle, VGEM_FENCE_WRITE);
	igt_assert_eq(__dmabuf_export_sync_file(l->dmabuf, DMA_BUF_SYNC_READ, &l->sync_file), 0);

	vgem_create(l->fd, &spare);
	igt_assert_eq(__vgem_map_offset(l->fd, spare.handle, &l->offset), 0);

	l->importer = open_platform("vgem", DRM_NODE_KIND_PRIMARY);
	l->imported = prime_fd_to_handle(l->importer, l->dmabuf);
}

/* What the client sees of a device that is gone. */
static void live_check_gone(struct live *l)
{
	struct vgem_bo bo = { .width = WIDTH, .height = HEIGHT, .bpp = 32 };
	struct drm_vgem_stats stats = { 0 };
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	uint32_t handle;
	uint64_t offset;
	void *ptr;
	int dmabuf;

	/* Every ioctl: ENODEV. */
	igt_assert_eq(__vgem_create(l->fd, &bo), -ENODEV);
	igt_assert_eq(__vgem_map_offset(l->fd, l->mapped.handle, &offset), -ENODEV);
	igt_assert_eq(__prime_handle_to_fd(l->fd, l->mapped.handle, DRM_CLOEXEC, &dmabuf),
		      -ENODEV);
	igt_assert_eq(__prime_fd_to_handle(l->fd, l->dmabuf, &handle), -ENODEV);
	igt_assert_eq(__igt_vgem_fence_signal(l->fd, l->fence, 0), -ENODEV);
	igt_assert_eq(igt_ioctl(l->fd, DRM_IOCTL_VGEM_STATS, &stats), -ENODEV);
	igt_assert_eq(__gem_close(l->fd, l->mapped.handle), -ENODEV);
	/* A new mapping: ENODEV. */
	ptr = mmap(NULL, 4096, PROT_READ, MAP_SHARED, l->fd, (off_t)l->offset);
	igt_assert_f(ptr == MAP_FAILED && errno == ENODEV,
		     "mmap of an unplugged device: %s\n",
		     ptr == MAP_FAILED ? strerror(errno) : "succeeded");

	/* What was mapped stays mapped, with its contents, and writable. */
	check(l->map, l->mapped.size, l->seed, "the DRM mapping after unplug");
	l->seed += 0x10000;
	fill(l->map, l->mapped.size, l->seed);
	check(l->map, l->mapped.size, l->seed, "the DRM mapping written after unplug");
	check(l->dmabuf_map, l->exported.size, 0x22220000, "the dma-buf mapping after unplug");

	/* The dma-buf is its importers' and stays whole. */
	ptr = mmap(NULL, l->exported.size, PROT_READ, MAP_SHARED, l->dmabuf, 0);
	igt_assert_f(ptr != MAP_FAILED, "a new dma-buf mapping after unplug: %s\n",
		     strerror(errno));
	check(ptr, l->exported.size, 0x22220000, "a new dma-buf mapping after unplug");
	munmap(ptr, l->exported.size);
	{
		struct vgem_bo imp = l->exported;
		uint32_t *map;

		imp.handle = l->imported;
		map = vgem_mmap(l->importer, &imp, PROT_READ);
		check(map, imp.size, 0x22220000, "the other device's import after unplug");
		munmap(map, imp.size);
	}

	/* The fence is still unsignalled: its file is open. */
	pfd.fd = l->sync_file;
	igt_assert_eq(poll(&pfd, 1, 0), 0);
}

/*
 * Late close: the file goes after the device (its last reference is the
 * mapping's); its fence is signalled then.
 */
static void live_release(struct live *l)
{
	struct pollfd pfd = { .fd = l->sync_file, .events = POLLIN };

	close(l->fd);
	check(l->map, l->mapped.size, l->seed, "the DRM mapping after its file closed");
	munmap(l->map, l->mapped.size);
	igt_assert_f(poll(&pfd, 1, 5000) == 1, "the fence of a closed file is not signalled\n");
	close(l->sync_file);
	/* CPU access waits for that fence: now it need not. */
	igt_assert_eq(__dmabuf_sync(l->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW), 0);
	igt_assert_eq(__dmabuf_sync(l->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	check(l->dmabuf_map, l->exported.size, 0x22220000, "the dma-buf mapping after close");
	munmap(l->dmabuf_map, l->exported.size);
	gem_close(l->importer, l->imported);
	close(l->importer);
	close(l->dmabuf);
}

/*
 * core_hotunplug's hotunbind-rebind and hotrebind-lateclose: unbind with a
 * client holding files, objects, mappings, a dma-buf imported elsewhere and
 * a fence; rebind before or after the client lets go.
 */
static void hotunbind(bool rebind_before_close)
{
	struct live l;
	uint32_t handle;
	int fd;

	setup();
	live_make(&l);
		unbind(VICTIM);
	live_check_gone(&l);
	/* The module is held while anything of it is. */
	igt_assert_eq(igt_module_unload("vgem"), -EAGAIN);

	if (rebind_before_close)
		bind(VICTIM);
	live_check_gone(&l);
	/* The old device's dma-buf imports into its successor. */
	if (rebind_before_close) {
		fd = open_platform(VICTIM, DRM_NODE_KIND_PRIMARY);
		handle = prime_fd_to_handle(fd, l.dmabuf);
		gem_close(fd, handle);
		exercise(fd);
		close(fd);
	}
	live_release(&l);
	if (!rebind_before_close)
		bind(VICTIM);
	fd = open_platform(VICTIM, DRM_NODE_KIND_PRIMARY);
	exercise(fd);
	close(fd);
	teardown();
}

static void test_hotunbind_rebind(void)
{
	hotunbind(false);
}

static void test_hotrebind_lateclose(void)
{
	hotunbind(true);
}

/*
 * A vgem buffer on a display (vkms): the framebuffer outlives its
 * exporter's device, and vkms can import the dma-buf afresh after it.
 */
static void test_exported_to_vkms(void)
{
	struct vgem_bo bo = { .width = WIDTH, .height = HEIGHT, .bpp = 32 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	uint32_t vkms_handle, fb;
	int fd, vkms, dmabuf;

	setup();
	vkms = drm_open_by_name("vkms", DRM_NODE_KIND_PRIMARY, NULL);
	if (vkms < 0) {
		teardown();
		igt_skip("no vkms in this kernel (the debug kernel has it)\n");
	}
	fd = open_platform(VICTIM, DRM_NODE_KIND_PRIMARY);
	vgem_create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	vkms_handle = prime_fd_to_handle(vkms, dmabuf);
	handles[0] = vkms_handle;
	pitches[0] = bo.pitch;
	igt_assert_eq(drmModeAddFB2(vkms, WIDTH, HEIGHT, DRM_FORMAT_XRGB8888, handles,
				    pitches, offsets, &fb, 0), 0);

	unbind(VICTIM);
	close(fd);
	/* Held by vkms's import: no unload. */
	igt_assert_eq(igt_module_unload("vgem"), -EAGAIN);
	igt_assert_eq(drmModeRmFB(vkms, fb), 0);
	gem_close(vkms, vkms_handle);
	vkms_handle = prime_fd_to_handle(vkms, dmabuf);
	handles[0] = vkms_handle;
	igt_assert_eq(drmModeAddFB2(vkms, WIDTH, HEIGHT, DRM_FORMAT_XRGB8888, handles,
				    pitches, offsets, &fb, 0), 0);
	igt_assert_eq(drmModeRmFB(vkms, fb), 0);
	gem_close(vkms, vkms_handle);
	close(dmabuf);
	close(vkms);
	bind(VICTIM);
	teardown();
	igt_system("modprobe -r vkms");
}

static const struct igt_subtest subtests[] = {
	{ "unbind-rebind", test_unbind_rebind },
	{ "hotunbind-rebind", test_hotunbind_rebind },
	{ "hotrebind-lateclose", test_hotrebind_lateclose },
	{ "exported-to-vkms", test_exported_to_vkms },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, IGT_ARRAY_SIZE(subtests));
}
