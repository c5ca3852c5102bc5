// SPDX-License-Identifier: MIT
/*
 * vgem_ext_multi: behaviour only our vgem has. Several devices from one
 * module (num_devices=N) sharing buffers through dma-bufs: foreign imports
 * that are attached, DMA-mapped and mmap-able, fences seen across devices;
 * the vgem_objects debugfs file; the module references held by dma-bufs,
 * imports and mappings (modprobe -r fails while any is alive).
 * Subtests that need two devices reload the module with num_devices=2 and
 * reload it with the defaults when done.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_table.h"
#include "lib/igt_vgem.h"
#include "lib/igt_vgem_objects.h"

#define MAX_NODES 16

static void reload(unsigned int devices)
{
	igt_vgem_reload_params("num_devices=%u", devices);
}

static bool unload(void)
{
	return igt_system("modprobe -r vgem 2>/dev/null") == 0;
}

/* Open the primary node of the @n-th vgem device (by minor). */
static int open_card(int n)
{
	return igt_vgem_open_device(n, DRM_NODE_KIND_PRIMARY, NULL);
}

static void create(int fd, struct vgem_bo *bo, uint32_t height)
{
	*bo = (struct vgem_bo){ .width = 1024, .height = height, .bpp = 32 };
	vgem_create(fd, bo);
}

/* The vgem_objects debugfs file of @fd's device. */
static void read_objects(int fd, struct igt_vgem_objects *objects)
{
	int minor = drm_node_minor(fd);
	int ret = igt_vgem_objects_read(minor, objects);

	igt_require_f(ret != -ENOENT, "no vgem_objects in debugfs of minor %d\n", minor);
	igt_assert_f(ret == 0, "vgem_objects of minor %d: %s\n", minor, strerror(-ret));
	igt_info("minor %d: device %u: %u objects, %llu bytes\n", minor, objects->device,
		 objects->count, objects->bytes);
}

/* Asserts vgem_objects' closing line: "device N: M objects, B bytes". */
static void assert_total(int fd, unsigned int device, unsigned int count,
			 unsigned long long bytes)
{
	struct igt_vgem_objects objects;

	read_objects(fd, &objects);
	igt_assert_f(objects.device == device && objects.count == count &&
		     objects.bytes == bytes,
		     "vgem_objects: device %u: %u objects, %llu bytes; expected "
		     "device %u: %u objects, %llu bytes\n", objects.device, objects.count,
		     objects.bytes, device, count, bytes);
	igt_vgem_objects_free(&objects);
}

/** struct obj_line - one object of vgem_objects */
struct obj_line {
	unsigned long size;
	char backing[16];
	unsigned int handles, refs;
	char state[16];
	unsigned int pins, vmaps;
};

/* The object of row @row. */
static struct obj_line object_line(const struct igt_table *table, unsigned int row)
{
	struct obj_line o = {
		.size = (unsigned long)igt_table_number(table, row, "size"),
		.handles = (unsigned int)igt_table_number(table, row, "handles"),
		.refs = (unsigned int)igt_table_number(table, row, "refs"),
		.pins = (unsigned int)igt_table_number(table, row, "pins"),
		.vmaps = (unsigned int)igt_table_number(table, row, "vmaps"),
	};

	snprintf(o.backing, sizeof(o.backing), "%s", igt_table_cell(table, row, "backing"));
	snprintf(o.state, sizeof(o.state), "%s", igt_table_cell(table, row, "state"));
	return o;
}

/*
 * How many objects of @fd's device have @size (0: any) and @state (NULL:
 * any); @last gets the last of them.
 */
static int count_objects(int fd, unsigned long size, const char *state,
			 struct obj_line *last)
{
	struct igt_vgem_objects objects;
	unsigned int row;
	int count = 0;

	read_objects(fd, &objects);
	for (row = 0; row < objects.table->nr_rows; row++) {
		struct obj_line o = object_line(objects.table, row);

		if ((!size || o.size == size) && (!state || !strcmp(o.state, state))) {
			count++;
			if (last)
				*last = o;
		}
	}
	igt_vgem_objects_free(&objects);
	return count;
}

/* num_devices=2: two vgem devices, device 0 named as upstream's. */
static void test_two_devices(void)
{
	int minors[MAX_NODES];
	char path[128], target[PATH_MAX];
	ssize_t len;
	FILE *param;
	int value = 0;

	reload(2);
	igt_assert_eq(igt_vgem_card_minors(minors, MAX_NODES), 2);

	param = fopen("/sys/module/vgem/parameters/num_devices", "r");
	igt_assert(param);
	igt_assert_eq(fscanf(param, "%d", &value), 1);
	fclose(param);
	igt_assert_eq(value, 2);

	snprintf(path, sizeof(path), "/sys/class/drm/card%d/device", minors[0]);
	len = readlink(path, target, sizeof(target) - 1);
	igt_assert(len > 0);
	target[len] = '\0';
	igt_assert_f(strcmp(strrchr(target, '/'), "/vgem") == 0, "device 0 is %s\n", target);
	snprintf(path, sizeof(path), "/sys/class/drm/card%d/device", minors[1]);
	len = readlink(path, target, sizeof(target) - 1);
	igt_assert(len > 0);
	target[len] = '\0';
	igt_assert_f(strcmp(strrchr(target, '/'), "/vgem.1") == 0, "device 1 is %s\n", target);

	reload(1);
	igt_assert_eq(igt_vgem_card_minors(minors, MAX_NODES), 1);
}

/* The index of a vgem device from its libdrm bus name ("vgem", "vgem.N"), or -1. */
static int libdrm_vgem_index(const drmDevice *dev)
{
	const char *name;
	unsigned int index;
	char end;

	if (dev->bustype != DRM_BUS_PLATFORM)
		return -1;
	name = dev->businfo.platform->fullname;
	if (!strcmp(name, "vgem"))
		return 0;
	if (sscanf(name, "vgem.%u%c", &index, &end) != 1)
		return -1;
	return (int)index;
}

/* drmGetDevice2() on @node finds a device equal to @dev. */
static void check_libdrm_node(const drmDevice *dev, const char *node)
{
	drmDevicePtr found = NULL;
	int fd = open(node, O_RDWR | O_CLOEXEC), ret;

	igt_assert_f(fd >= 0, "%s: %m\n", node);
	ret = drmGetDevice2(fd, 0, &found);
	close(fd);
	igt_assert_f(!ret, "drmGetDevice2(%s): %s\n", node, strerror(-ret));
	igt_assert_f(drmDevicesEqual(found, (drmDevicePtr)dev), "%s: another device (%s)\n", node,
		     found->businfo.platform->fullname);
	drmFreeDevice(&found);
}

/*
 * num_devices=3: three devices for libdrm, each with a primary and a
 * render node of its own, and drmGetDevice2() finds each from either
 * node (libdrm folds platform devices whose MODALIAS is the same into
 * one); device 0 announces itself as upstream's does.
 */
static void test_libdrm_devices(void)
{
	drmDevicePtr devs[64];
	unsigned int seen = 0;
	int i, n, index;

	reload(3);
	n = drmGetDevices2(0, devs, IGT_ARRAY_SIZE(devs));
	igt_assert_f(n > 0, "drmGetDevices2: %d\n", n);
	for (i = 0; i < n; i++) {
		index = libdrm_vgem_index(devs[i]);
		if (index < 0)
			continue;
		igt_info("libdrm device %s: %s, %s\n", devs[i]->businfo.platform->fullname,
			 devs[i]->nodes[DRM_NODE_PRIMARY], devs[i]->nodes[DRM_NODE_RENDER]);
		igt_assert_f(index < 3 && !(seen & (1u << index)), "device %s\n",
			     devs[i]->businfo.platform->fullname);
		seen |= 1u << index;
		igt_assert(devs[i]->available_nodes & (1 << DRM_NODE_PRIMARY));
		igt_assert(devs[i]->available_nodes & (1 << DRM_NODE_RENDER));
		check_libdrm_node(devs[i], devs[i]->nodes[DRM_NODE_PRIMARY]);
		check_libdrm_node(devs[i], devs[i]->nodes[DRM_NODE_RENDER]);
	}
	drmFreeDevices(devs, n);
	igt_assert_f(seen == 0x7, "libdrm lists vgem devices 0x%x of 0x7\n", seen);
	igt_assert_eq(igt_system("grep -qx MODALIAS=platform:vgem /sys/devices/platform/vgem/uevent"),
		      0);
	reload(1);
}

/* Out-of-range parameters are refused at load time. */
static void test_bad_num_devices(void)
{
	igt_system("modprobe -r vgem 2>/dev/null");
	igt_assert(igt_system("modprobe vgem num_devices=0 2>/dev/null") != 0);
	igt_assert(igt_system("modprobe vgem num_devices=17 2>/dev/null") != 0);
	igt_assert(!igt_module_loaded("vgem"));
	reload(1);
}

/* A buffer of device 0 imported into device 1, mmap-ed on both sides. */
static void test_cross_import(void)
{
	struct vgem_bo bo, imported = { 0 };
	uint32_t handle, again, *a, *b;
	int fa, fb, dmabuf;
	size_t i, words;

	reload(2);
	fa = open_card(0);
	fb = open_card(1);
	create(fa, &bo, 256);
	words = bo.size / 4;
	a = vgem_mmap(fa, &bo, PROT_READ | PROT_WRITE);
	for (i = 0; i < words; i++)
		a[i] = (uint32_t)i;

	dmabuf = prime_handle_to_fd(fa, bo.handle);
	handle = prime_fd_to_handle(fb, dmabuf);
	again = prime_fd_to_handle(fb, dmabuf);
	igt_assert_eq(again, handle);

	/* The importer maps it (through the dma-buf) and sees the data. */
	imported.handle = handle;
	imported.size = bo.size;
	b = vgem_mmap(fb, &imported, PROT_READ | PROT_WRITE);
	for (i = 0; i < words; i++)
		igt_assert_eq(b[i], i);
	b[7] = 0xdeadbeef;
	igt_assert_eq(a[7], 0xdeadbeef);

	/* CPU access brackets sync the importer's DMA mapping both ways. */
	{
		struct dma_buf_sync sync = { DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW };

		igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &sync), 0);
		a[8] = 8;
		sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
		igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &sync), 0);
	}

	/* Re-exporting the import gives back the same buffer. */
	{
		int again_fd = prime_handle_to_fd(fb, handle);
		struct stat s1, s2;

		igt_assert_eq(fstat(dmabuf, &s1), 0);
		igt_assert_eq(fstat(again_fd, &s2), 0);
		igt_assert_eq(s1.st_ino, s2.st_ino);
		close(again_fd);
	}

	/* Everything but the importer's mapping goes away; it still works. */
	close(dmabuf);
	gem_close(fb, handle);
	munmap(a, bo.size);
	close(fa);
	close(fb);
	for (i = 8; i < words; i++)
		igt_assert_eq(b[i], i);
	munmap(b, bo.size);
	reload(1);
}

/* Fences live on the shared reservation object: both devices see them. */
static void test_cross_fence(void)
{
	uint32_t handle, fence, other;
	struct vgem_bo bo;
	int fa, fb, dmabuf;

	reload(2);
	fa = open_card(0);
	fb = open_card(1);
	create(fa, &bo, 1);
	dmabuf = prime_handle_to_fd(fa, bo.handle);
	handle = prime_fd_to_handle(fb, dmabuf);

	fence = igt_vgem_fence_attach(fa, bo.handle, VGEM_FENCE_WRITE);
	igt_assert_eq(__igt_vgem_fence_attach(fb, handle, 0, 0, &other), -EBUSY);
	igt_assert_eq(fd_ready(dmabuf, POLLOUT, 0), 0);
	igt_vgem_fence_signal(fa, fence);
	igt_assert_eq(fd_ready(dmabuf, POLLOUT, 0), POLLOUT);

	/* And the other way round. */
	fence = igt_vgem_fence_attach(fb, handle, 0);
	igt_assert_eq(__igt_vgem_fence_attach(fa, bo.handle, VGEM_FENCE_WRITE, 0, &other),
		      -EBUSY);
	igt_vgem_fence_signal(fb, fence);
	other = igt_vgem_fence_attach(fa, bo.handle, VGEM_FENCE_WRITE);
	igt_vgem_fence_signal(fa, other);

	close(dmabuf);
	close(fa);
	close(fb);
	reload(1);
}

/* vgem_objects lists objects with size, backing, handles, state, pins. */
static void test_debugfs_objects(void)
{
	struct igt_vgem_objects objects;
	struct vgem_bo small, big;
	struct obj_line o;
	uint32_t *ptr;
	int fd, dmabuf;

	fd = open_card(0);
	read_objects(fd, &objects);
	igt_assert(igt_table_column(objects.table, "size") >= 0 &&
		   igt_table_column(objects.table, "backing") >= 0);
	igt_vgem_objects_free(&objects);
	assert_total(fd, 0, 0, 0);

	create(fd, &small, 1);
	create(fd, &big, 256);
	assert_total(fd, 0, 2, 1052672);
	igt_assert_eq(count_objects(fd, 0, "-", &o), 2);
	igt_assert_eq(strcmp(o.backing, "shmem"), 0);

	dmabuf = prime_handle_to_fd(fd, big.handle);
	ptr = vgem_mmap(fd, &small, PROT_READ);
	igt_assert_eq(count_objects(fd, 1048576, "exported", &o), 1);
	igt_assert_eq(o.handles, 1);
	igt_assert_eq(o.refs, 2);	/* the handle, the dma-buf */
	igt_assert_eq(o.pins, 0);
	igt_assert_eq(count_objects(fd, 4096, "-", &o), 1);
	igt_assert_eq(o.refs, 2);	/* the handle, the vma */
	igt_assert_eq(o.pins, 1);	/* the vma */
	igt_assert_eq(o.vmaps, 0);

	munmap(ptr, small.size);
	gem_close(fd, small.handle);
	gem_close(fd, big.handle);
	/* The dma-buf keeps the big one alive, without handles. */
	assert_total(fd, 0, 1, 1048576);
	close(dmabuf);
	assert_total(fd, 0, 0, 0);
	close(fd);
}

/* The importing device lists the import as such. */
static void test_debugfs_import(void)
{
	struct vgem_bo bo;
	struct obj_line o;
	int fa, fb, dmabuf;

	reload(2);
	fa = open_card(0);
	fb = open_card(1);
	create(fa, &bo, 1);
	dmabuf = prime_handle_to_fd(fa, bo.handle);
	prime_fd_to_handle(fb, dmabuf);

	assert_total(fb, 1, 1, 4096);
	igt_assert_eq(count_objects(fb, 4096, "imported", &o), 1);
	igt_assert_eq(strcmp(o.backing, "import"), 0);
	igt_assert_eq(o.handles, 1);
	igt_assert_eq(count_objects(fa, 4096, "exported", &o), 1);
	igt_assert_eq(o.pins, 1);	/* the importer's attachment */

	close(dmabuf);
	close(fb);
	igt_assert_eq(count_objects(fa, 4096, "exported", &o), 1);
	igt_assert_eq(o.pins, 0);	/* detached with the import */
	close(fa);
	reload(1);
}

/* An exported dma-buf holds the module: no unload until it is closed. */
static void test_dmabuf_holds_module(void)
{
	struct vgem_bo bo;
	int fd, dmabuf;

	fd = open_card(0);
	create(fd, &bo, 1);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	close(fd);

	igt_assert_f(!unload(), "unloaded with a dma-buf open\n");
	igt_assert(igt_module_loaded("vgem"));
	close(dmabuf);
	igt_assert_f(unload(), "cannot unload after closing the dma-buf\n");
	reload(1);
}

/*
 * Device 1 holds an import of device 0's buffer after every file of device
 * 0 and the dma-buf fd are closed: the module stays until the importer
 * (and its mapping) are gone, and the data stays valid meanwhile.
 */
static void test_unload_with_imports(void)
{
	struct vgem_bo bo, imported = { 0 };
	uint32_t *a, *b;
	int fa, fb, dmabuf;

	reload(2);
	fa = open_card(0);
	fb = open_card(1);
	create(fa, &bo, 16);
	a = vgem_mmap(fa, &bo, PROT_READ | PROT_WRITE);
	a[100] = 0x1234;
	munmap(a, bo.size);
	dmabuf = prime_handle_to_fd(fa, bo.handle);
	imported.handle = prime_fd_to_handle(fb, dmabuf);
	imported.size = bo.size;
	close(dmabuf);
	close(fa);

	igt_assert_f(!unload(), "unloaded with an importer open\n");
	b = vgem_mmap(fb, &imported, PROT_READ);
	close(fb);
	igt_assert_f(!unload(), "unloaded with a mapping of an import\n");
	igt_assert_eq(b[100], 0x1234);
	munmap(b, bo.size);
	igt_assert_f(unload(), "cannot unload once everything is closed\n");
	reload(1);
}

static const struct igt_subtest subtests[] = {
	{ "two-devices", test_two_devices },
	{ "bad-num-devices", test_bad_num_devices },
	{ "libdrm-devices", test_libdrm_devices },
	{ "cross-import", test_cross_import },
	{ "cross-fence", test_cross_fence },
	{ "debugfs-objects", test_debugfs_objects },
	{ "debugfs-import", test_debugfs_import },
	{ "dmabuf-holds-module", test_dmabuf_holds_module },
	{ "unload-with-imports", test_unload_with_imports },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
