// SPDX-License-Identifier: MIT
/*
 * vgem_peers: vgem next to the dma-buf peers a real system has. Buffers
 * exported by another driver (the system dma-buf heap, udmabuf over a memfd)
 * are imported into vgem, and fences of another driver (sw_sync, through
 * DMA_BUF_IOCTL_IMPORT_SYNC_FILE) are put on vgem-exported dma-bufs.
 *
 * Debian's kernel has none of these peers: there the subtests skip, naming
 * the missing option. The debug test kernel (tools/vm --kernel debug) has
 * them all.
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
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"
#include "lib/igt_vgem.h"

#define PAGE_SZ 4096ul
#define BUF_SIZE (16 * PAGE_SZ)
#define SYSTEM_HEAP "/dev/dma_heap/system"
#define UDMABUF_DEV "/dev/udmabuf"
#define SW_SYNC_DEV "/sys/kernel/debug/sync/sw_sync"

/*
 * sw_sync's ioctls (a debugfs test interface with no uapi header): each open
 * file is a timeline; CREATE_FENCE makes a sync_file that signals when the
 * timeline reaches @value; INC advances the timeline.
 */
struct sw_sync_create_fence {
	uint32_t value;
	char name[32];
	int32_t fence;
};
#define SW_SYNC_IOC_CREATE_FENCE _IOWR('W', 0, struct sw_sync_create_fence)
#define SW_SYNC_IOC_INC _IOW('W', 1, uint32_t)

static void fill(uint32_t *ptr, size_t bytes, uint32_t seed)
{
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		ptr[i] = seed ^ (uint32_t)(i * 2654435761u);
}

static void check(const uint32_t *ptr, size_t bytes, uint32_t seed)
{
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		igt_assert_f(ptr[i] == (seed ^ (uint32_t)(i * 2654435761u)),
			     "word %zu is 0x%x, expected 0x%x\n", i, ptr[i],
			     seed ^ (uint32_t)(i * 2654435761u));
}

static void *map(int fd, size_t len, int prot)
{
	void *ptr = mmap(NULL, len, prot, MAP_SHARED, fd, 0);

	igt_assert_f(ptr != MAP_FAILED, "mmap: %s\n", strerror(errno));
	return ptr;
}

static ino_t inode_of(int fd)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	return st.st_ino;
}

static int heap_alloc(size_t len)
{
	struct dma_heap_allocation_data arg = {
		.len = len, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = open(SYSTEM_HEAP, O_RDONLY | O_CLOEXEC);

	igt_require_f(heap >= 0, "no " SYSTEM_HEAP " (%s): the kernel lacks "
		      "CONFIG_DMABUF_HEAPS_SYSTEM; run on the debug kernel",
		      strerror(errno));
	igt_assert_f(ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &arg) == 0,
		     "DMA_HEAP_IOCTL_ALLOC %zu: %s\n", len, strerror(errno));
	close(heap);
	return arg.fd;
}

/* A udmabuf over a sealed memfd; the memfd is returned in @memfd. */
static int udmabuf_alloc(size_t len, int *memfd)
{
	struct udmabuf_create arg = { .size = len };
	int dev = open(UDMABUF_DEV, O_RDWR | O_CLOEXEC);
	int buf;

	igt_require_f(dev >= 0, "no " UDMABUF_DEV " (%s): the kernel lacks "
		      "CONFIG_UDMABUF; run on the debug kernel", strerror(errno));
	*memfd = memfd_create("vgem_peers", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	igt_assert(*memfd >= 0);
	igt_assert_eq(ftruncate(*memfd, len), 0);
	igt_assert_eq(fcntl(*memfd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	arg.memfd = *memfd;
	arg.flags = UDMABUF_FLAGS_CLOEXEC;
	buf = ioctl(dev, UDMABUF_CREATE, &arg);
	igt_assert_f(buf >= 0, "UDMABUF_CREATE: %s\n", strerror(errno));
	close(dev);
	return buf;
}

/* CPU write of @seed's pattern into a dma-buf, bracketed by DMA_BUF_IOCTL_SYNC. */
static void dmabuf_fill(int dmabuf, size_t len, uint32_t seed)
{
	uint32_t *ptr = map(dmabuf, len, PROT_READ | PROT_WRITE);

	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE), 0);
	fill(ptr, len, seed);
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE), 0);
	munmap(ptr, len);
}

static void dmabuf_check(int dmabuf, size_t len, uint32_t seed)
{
	uint32_t *ptr = map(dmabuf, len, PROT_READ);

	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ), 0);
	check(ptr, len, seed);
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ), 0);
	munmap(ptr, len);
}

/*
 * The common part of a foreign import: vgem takes the buffer, gives the same
 * handle for a second import, re-exports the very same dma-buf, and keeps
 * the memory alive after the exporter's fd is closed.
 */
static void import_foreign(int dmabuf, size_t len)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	uint32_t handle, again;
	int ret, reexport;
	ino_t ino = inode_of(dmabuf);

	dmabuf_fill(dmabuf, len, 0x5eed0001);
	ret = __prime_fd_to_handle(fd, dmabuf, &handle);
	igt_assert_f(ret == 0, "vgem cannot import a foreign dma-buf: %s\n", strerror(-ret));
	igt_assert_eq(__prime_fd_to_handle(fd, dmabuf, &again), 0);
	igt_assert_eq(again, handle);

	close(dmabuf);
	reexport = prime_handle_to_fd(fd, handle);
	igt_assert_f(inode_of(reexport) == ino,
		     "re-export of an imported buffer is a new dma-buf\n");
	dmabuf_check(reexport, len, 0x5eed0001);
	dmabuf_fill(reexport, len, 0x5eed0002);
	dmabuf_check(reexport, len, 0x5eed0002);

	gem_close(fd, handle);
	close(reexport);
	close(fd);
}

/*
 * A vgem fence on an imported buffer lives in the exporter's reservation
 * object: poll() on the exporter's fd sees it and its signal.
 */
static void fence_on_import(int dmabuf)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	uint32_t handle, fence, dummy;

	handle = prime_fd_to_handle(fd, dmabuf);
	igt_assert_eq(fd_ready(dmabuf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);

	fence = igt_vgem_fence_attach(fd, handle, VGEM_FENCE_WRITE);
	igt_assert_f(fd_ready(dmabuf, POLLIN, 0) == 0,
		     "the exporter's fd does not see vgem's write fence\n");
	igt_assert_eq(__igt_vgem_fence_attach(fd, handle, 0, 0, &dummy), -EBUSY);
	igt_vgem_fence_signal(fd, fence);
	igt_assert_eq(fd_ready(dmabuf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);

	gem_close(fd, handle);
	close(fd);
}

static void test_heap_import(void)
{
	import_foreign(heap_alloc(BUF_SIZE), BUF_SIZE);
}

static void test_heap_import_fence(void)
{
	int dmabuf = heap_alloc(BUF_SIZE);

	fence_on_import(dmabuf);
	close(dmabuf);
}

static void test_udmabuf_import(void)
{
	int memfd, dmabuf = udmabuf_alloc(BUF_SIZE, &memfd);

	import_foreign(dmabuf, BUF_SIZE);
	close(memfd);
}

/* vgem sees the memfd's pages themselves, written before and after import. */
static void test_udmabuf_import_shares_pages(void)
{
	int memfd, dmabuf = udmabuf_alloc(BUF_SIZE, &memfd);
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	uint32_t *ptr = map(memfd, BUF_SIZE, PROT_READ | PROT_WRITE);
	uint32_t handle;
	int reexport;

	fill(ptr, BUF_SIZE, 0xabcd0001);
	handle = prime_fd_to_handle(fd, dmabuf);
	close(dmabuf);
	reexport = prime_handle_to_fd(fd, handle);
	dmabuf_check(reexport, BUF_SIZE, 0xabcd0001);
	fill(ptr, BUF_SIZE, 0xabcd0002);
	dmabuf_check(reexport, BUF_SIZE, 0xabcd0002);

	munmap(ptr, BUF_SIZE);
	close(memfd);
	gem_close(fd, handle);
	close(reexport);
	close(fd);
}

static void test_udmabuf_import_fence(void)
{
	int memfd, dmabuf = udmabuf_alloc(BUF_SIZE, &memfd);

	fence_on_import(dmabuf);
	close(dmabuf);
	close(memfd);
}

static int sw_sync_timeline(void)
{
	int timeline = open(SW_SYNC_DEV, O_RDWR | O_CLOEXEC);

	igt_require_f(timeline >= 0, "no " SW_SYNC_DEV " (%s): the kernel lacks "
		      "CONFIG_SW_SYNC; run on the debug kernel", strerror(errno));
	return timeline;
}

static int sw_sync_fence(int timeline, uint32_t value)
{
	struct sw_sync_create_fence arg = { .value = value };

	snprintf(arg.name, sizeof(arg.name), "vgem_peers-%u", value);
	igt_assert_f(ioctl(timeline, SW_SYNC_IOC_CREATE_FENCE, &arg) == 0,
		     "SW_SYNC_IOC_CREATE_FENCE: %s\n", strerror(errno));
	return arg.fence;
}

static void sw_sync_inc(int timeline, uint32_t count)
{
	igt_assert_eq(ioctl(timeline, SW_SYNC_IOC_INC, &count), 0);
}

static int __import_sync_file(int dmabuf, int sync_file, uint32_t flags)
{
	struct dma_buf_import_sync_file arg = { .flags = flags, .fd = sync_file };

	return ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &arg) ? -errno : 0;
}

/* A vgem object exported as a dma-buf, on a fresh file. */
struct exported {
	int fd, dmabuf;
	struct vgem_bo bo;
};

static void export_new(struct exported *e)
{
	e->fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	e->bo = (struct vgem_bo){ .width = 1024, .height = 16, .bpp = 32 };
	vgem_create(e->fd, &e->bo);
	e->dmabuf = prime_handle_to_fd(e->fd, e->bo.handle);
}

static void export_free(struct exported *e)
{
	close(e->dmabuf);
	gem_close(e->fd, e->bo.handle);
	close(e->fd);
}

/*
 * An imported write fence blocks readers and writers, through the dma-buf
 * and through vgem's own conflict check, until sw_sync signals it.
 */
static void test_sync_file_import_write(void)
{
	int timeline = sw_sync_timeline();
	struct exported e;
	uint32_t fence;
	int sync_file;

	export_new(&e);
	sync_file = sw_sync_fence(timeline, 1);
	igt_assert_eq(__import_sync_file(e.dmabuf, sync_file, DMA_BUF_SYNC_WRITE), 0);
	close(sync_file);

	igt_assert_eq(fd_ready(e.dmabuf, POLLIN | POLLOUT, 0), 0);
	igt_assert_eq(__igt_vgem_fence_attach(e.fd, e.bo.handle, 0, 0, &fence), -EBUSY);
	igt_assert_eq(__igt_vgem_fence_attach(e.fd, e.bo.handle, VGEM_FENCE_WRITE, 0, &fence),
		      -EBUSY);

	sw_sync_inc(timeline, 1);
	igt_assert_eq(fd_ready(e.dmabuf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	fence = igt_vgem_fence_attach(e.fd, e.bo.handle, VGEM_FENCE_WRITE);
	igt_vgem_fence_signal(e.fd, fence);

	export_free(&e);
	close(timeline);
}

/* An imported read fence blocks writers only. */
static void test_sync_file_import_read(void)
{
	int timeline = sw_sync_timeline();
	struct exported e;
	uint32_t fence;
	int sync_file;

	export_new(&e);
	sync_file = sw_sync_fence(timeline, 1);
	igt_assert_eq(__import_sync_file(e.dmabuf, sync_file, DMA_BUF_SYNC_READ), 0);
	close(sync_file);

	igt_assert_eq(fd_ready(e.dmabuf, POLLIN | POLLOUT, 0), POLLIN);
	igt_assert_eq(__igt_vgem_fence_attach(e.fd, e.bo.handle, VGEM_FENCE_WRITE, 0, &fence),
		      -EBUSY);
	fence = igt_vgem_fence_attach(e.fd, e.bo.handle, 0);
	igt_vgem_fence_signal(e.fd, fence);

	sw_sync_inc(timeline, 1);
	igt_assert_eq(fd_ready(e.dmabuf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	fence = igt_vgem_fence_attach(e.fd, e.bo.handle, VGEM_FENCE_WRITE);
	igt_vgem_fence_signal(e.fd, fence);

	export_free(&e);
	close(timeline);
}

/*
 * A sync_file exported after the import waits for both the foreign fence and
 * vgem's own, whichever signals last.
 */
static void test_sync_file_import_export(void)
{
	int timeline = sw_sync_timeline();
	struct exported e;
	uint32_t fence;
	int sync_file, exported;

	export_new(&e);
	fence = igt_vgem_fence_attach(e.fd, e.bo.handle, 0);
	sync_file = sw_sync_fence(timeline, 2);
	igt_assert_eq(__import_sync_file(e.dmabuf, sync_file, DMA_BUF_SYNC_READ), 0);
	close(sync_file);

	/* Readers of the buffer: a writer has to wait for all of them. */
	igt_assert_eq(__dmabuf_export_sync_file(e.dmabuf, DMA_BUF_SYNC_WRITE, &exported), 0);
	igt_assert_eq(fd_ready(exported, POLLIN, 0), 0);
	igt_vgem_fence_signal(e.fd, fence);
	igt_assert_eq(fd_ready(exported, POLLIN, 0), 0);
	sw_sync_inc(timeline, 1);
	igt_assert_eq(fd_ready(exported, POLLIN, 0), 0);
	sw_sync_inc(timeline, 1);
	igt_assert_eq(fd_ready(exported, POLLIN, 1000), POLLIN);

	close(exported);
	export_free(&e);
	close(timeline);
}

/* Importing a signalled or bad sync_file: accepted, or refused with EINVAL/EBADF. */
static void test_sync_file_import_invalid(void)
{
	int timeline = sw_sync_timeline();
	struct exported e;
	int sync_file;

	export_new(&e);
	sync_file = sw_sync_fence(timeline, 1);
	sw_sync_inc(timeline, 1);
	igt_assert_eq(__import_sync_file(e.dmabuf, sync_file, DMA_BUF_SYNC_WRITE), 0);
	igt_assert_eq(fd_ready(e.dmabuf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	igt_assert_eq(__import_sync_file(e.dmabuf, sync_file, 0), -EINVAL);
	igt_assert_eq(__import_sync_file(e.dmabuf, sync_file, ~0u), -EINVAL);
	igt_assert_eq(__import_sync_file(e.dmabuf, e.dmabuf, DMA_BUF_SYNC_WRITE), -EINVAL);
	igt_assert_eq(__import_sync_file(e.dmabuf, -1, DMA_BUF_SYNC_WRITE), -EINVAL);
	close(sync_file);

	export_free(&e);
	close(timeline);
}

static const struct igt_subtest subtests[] = {
	{ "heap-import", test_heap_import },
	{ "heap-import-fence", test_heap_import_fence },
	{ "udmabuf-import", test_udmabuf_import },
	{ "udmabuf-import-shares-pages", test_udmabuf_import_shares_pages },
	{ "udmabuf-import-fence", test_udmabuf_import_fence },
	{ "sync-file-import-write", test_sync_file_import_write },
	{ "sync-file-import-read", test_sync_file_import_read },
	{ "sync-file-import-export", test_sync_file_import_export },
	{ "sync-file-import-invalid", test_sync_file_import_invalid },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
