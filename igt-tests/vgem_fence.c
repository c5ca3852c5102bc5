// SPDX-License-Identifier: MIT
/*
 * vgem_fence: VGEM_FENCE_ATTACH / VGEM_FENCE_SIGNAL as upstream vgem has
 * them: argument checks, -EBUSY on conflicting fences, fence ids per file,
 * and the fences seen by dma-buf users: poll() on the dma-buf (a write fence
 * holds back readers and writers, a read fence only writers),
 * DMA_BUF_IOCTL_SYNC waiting for them, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, and
 * the 10 s expiry of a fence nobody signals.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"
#include "lib/igt_vgem.h"

static void create(int fd, struct vgem_bo *bo)
{
	*bo = (struct vgem_bo){ .width = 1024, .height = 4, .bpp = 32 };
	vgem_create(fd, bo);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What a poll of the dma-buf says right now, for readers and writers. */
static void assert_ready(int dmabuf, bool read_ok, bool write_ok)
{
	igt_assert_f(!!fd_ready(dmabuf, POLLIN, 0) == read_ok,
		     "POLLIN %s, expected %s\n", read_ok ? "blocked" : "ready",
		     read_ok ? "ready" : "blocked");
	igt_assert_f(!!fd_ready(dmabuf, POLLOUT, 0) == write_ok,
		     "POLLOUT %s, expected %s\n", write_ok ? "blocked" : "ready",
		     write_ok ? "ready" : "blocked");
}

static void test_bad_flag(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;

	create(fd, &bo);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, 0x2, 0, &fence), -EINVAL);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE | 0x2, 0,
					  &fence), -EINVAL);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, 0x80000000u, 0, &fence),
		      -EINVAL);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, ~0u, 0, &fence), -EINVAL);
	/* flags are checked before the handle */
	igt_assert_eq(__igt_vgem_fence_attach(fd, 0xdeadbeef, 0x2, 0, &fence), -EINVAL);

	fence = igt_vgem_fence_attach(fd, bo.handle, 0);
	igt_assert_eq(__igt_vgem_fence_signal(fd, fence, 1), -EINVAL);
	igt_assert_eq(__igt_vgem_fence_signal(fd, fence, ~0u), -EINVAL);
	/* the refused signal left the fence alone */
	igt_vgem_fence_signal(fd, fence);
	close(fd);
}

static void test_bad_pad(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;

	create(fd, &bo);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, 0, 1, &fence), -EINVAL);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE, ~0u,
					  &fence), -EINVAL);
	/* the pad is checked before the handle */
	igt_assert_eq(__igt_vgem_fence_attach(fd, 0xdeadbeef, 0, 1, &fence), -EINVAL);
	/* nothing was attached: a write fence does not conflict */
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	igt_vgem_fence_signal(fd, fence);
	close(fd);
}

static void test_bad_handle(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;

	igt_assert_eq(__igt_vgem_fence_attach(fd, 0, 0, 0, &fence), -ENOENT);
	igt_assert_eq(__igt_vgem_fence_attach(fd, 0xdeadbeef, VGEM_FENCE_WRITE, 0,
					  &fence), -ENOENT);
	create(fd, &bo);
	gem_close(fd, bo.handle);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, 0, 0, &fence), -ENOENT);
	close(fd);
}

static void test_bad_fence(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int other = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;

	igt_assert_eq(__igt_vgem_fence_signal(fd, 0, 0), -ENOENT);
	igt_assert_eq(__igt_vgem_fence_signal(fd, 1, 0), -ENOENT);
	igt_assert_eq(__igt_vgem_fence_signal(fd, 0xdeadbeef, 0), -ENOENT);
	igt_assert_eq(__igt_vgem_fence_signal(fd, 0x80000000u, 0), -ENOENT);
	igt_assert_eq(__igt_vgem_fence_signal(fd, ~0u, 0), -ENOENT);

	/* Fence ids belong to the file that attached them. */
	create(fd, &bo);
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	igt_assert(fence != 0);
	igt_assert_eq(__igt_vgem_fence_signal(other, fence, 0), -ENOENT);
	igt_vgem_fence_signal(fd, fence);
	close(other);
	close(fd);
}

static void test_signal_twice(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t f1, f2;

	create(fd, &bo);
	f1 = igt_vgem_fence_attach(fd, bo.handle, 0);
	f2 = igt_vgem_fence_attach(fd, bo.handle, 0);
	igt_assert(f1 != f2);
	igt_vgem_fence_signal(fd, f1);
	igt_assert_eq(__igt_vgem_fence_signal(fd, f1, 0), -ENOENT);
	igt_vgem_fence_signal(fd, f2);
	igt_assert_eq(__igt_vgem_fence_signal(fd, f2, 0), -ENOENT);
	igt_assert_eq(__igt_vgem_fence_signal(fd, f1, 0), -ENOENT);
	close(fd);
}

/*
 * A write fence conflicts with any unsignalled fence, a read fence only
 * with an unsignalled write fence; signalling removes the conflict.
 */
static void test_busy_fence(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t w, r1, r2, f;

	create(fd, &bo);
	w = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE, 0, &f),
		      -EBUSY);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, 0, 0, &f), -EBUSY);
	igt_vgem_fence_signal(fd, w);

	r1 = igt_vgem_fence_attach(fd, bo.handle, 0);
	r2 = igt_vgem_fence_attach(fd, bo.handle, 0);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE, 0, &f),
		      -EBUSY);
	igt_vgem_fence_signal(fd, r1);
	igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE, 0, &f),
		      -EBUSY);
	igt_vgem_fence_signal(fd, r2);
	w = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	igt_vgem_fence_signal(fd, w);
	close(fd);
}

/* The conflict is on the object: another file sharing it sees it too. */
static void test_busy_other_file(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_RENDER);
	struct vgem_bo bo;
	uint32_t handle, w, f;
	int dmabuf;

	create(a, &bo);
	dmabuf = prime_handle_to_fd(a, bo.handle);
	handle = prime_fd_to_handle(b, dmabuf);
	w = igt_vgem_fence_attach(a, bo.handle, VGEM_FENCE_WRITE);
	igt_assert_eq(__igt_vgem_fence_attach(b, handle, 0, 0, &f), -EBUSY);
	igt_assert_eq(__igt_vgem_fence_attach(b, handle, VGEM_FENCE_WRITE, 0, &f),
		      -EBUSY);
	igt_vgem_fence_signal(a, w);
	f = igt_vgem_fence_attach(b, handle, VGEM_FENCE_WRITE);
	assert_ready(dmabuf, false, false);
	igt_vgem_fence_signal(b, f);
	assert_ready(dmabuf, true, true);
	close(dmabuf);
	close(b);
	close(a);
}

/* poll() on the dma-buf follows the fences: attach after export. */
static void test_dmabuf_fence(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;
	int dmabuf;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	assert_ready(dmabuf, true, true);

	/* a read fence: other readers may go on, writers must wait */
	fence = igt_vgem_fence_attach(fd, bo.handle, 0);
	assert_ready(dmabuf, true, false);
	igt_vgem_fence_signal(fd, fence);
	assert_ready(dmabuf, true, true);

	/* a write fence: everybody waits */
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	assert_ready(dmabuf, false, false);
	igt_assert_eq(fd_ready(dmabuf, POLLIN | POLLOUT, 0), 0);
	igt_vgem_fence_signal(fd, fence);
	assert_ready(dmabuf, true, true);
	igt_assert_eq(fd_ready(dmabuf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/* Fences attached before the export are on the dma-buf as well. */
static void test_dmabuf_fence_before(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t rfence, wfence;
	int dmabuf;

	create(fd, &bo);
	rfence = igt_vgem_fence_attach(fd, bo.handle, 0);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	assert_ready(dmabuf, true, false);
	igt_vgem_fence_signal(fd, rfence);
	assert_ready(dmabuf, true, true);
	close(dmabuf);
	gem_close(fd, bo.handle);

	create(fd, &bo);
	wfence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	assert_ready(dmabuf, false, false);
	igt_vgem_fence_signal(fd, wfence);
	assert_ready(dmabuf, true, true);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/* A poll that blocks wakes up when another process signals the fence. */
static void test_dmabuf_fence_wakeup(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;
	int dmabuf, status;
	double start;
	pid_t pid;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		usleep(300 * 1000);
		igt_vgem_fence_signal(fd, fence);
		_exit(0);
	}
	start = now_s();
	igt_assert_eq(fd_ready(dmabuf, POLLIN, 5000), POLLIN);
	igt_info("woken after %.3f s\n", now_s() - start);
	igt_assert(now_s() - start >= 0.2);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* the child signalled it: the id is consumed in our file too */
	igt_assert_eq(__igt_vgem_fence_signal(fd, fence, 0), -ENOENT);
	close(dmabuf);
	close(fd);
}

/* DMA_BUF_IOCTL_SYNC(START) waits for the fences its access conflicts with. */
static void test_dmabuf_sync_waits(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;
	int dmabuf, status;
	double start;
	pid_t pid;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);

	/* a read fence does not hold back a CPU read */
	fence = igt_vgem_fence_attach(fd, bo.handle, 0);
	start = now_s();
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ), 0);
	igt_assert(now_s() - start < 1.0);
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ), 0);

	/* but a CPU write waits for it */
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		usleep(500 * 1000);
		igt_vgem_fence_signal(fd, fence);
		_exit(0);
	}
	start = now_s();
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE), 0);
	igt_info("write access granted after %.3f s\n", now_s() - start);
	igt_assert(now_s() - start >= 0.4);
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE), 0);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(dmabuf);
	close(fd);
}

/* Closing the file signals the fences it still holds. */
static void test_close_signals(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t handle;
	int dmabuf;

	create(a, &bo);
	dmabuf = prime_handle_to_fd(a, bo.handle);
	handle = prime_fd_to_handle(b, dmabuf);
	igt_vgem_fence_attach(b, handle, VGEM_FENCE_WRITE);
	assert_ready(dmabuf, false, false);
	close(b);
	igt_assert_eq(fd_ready(dmabuf, POLLIN | POLLOUT, 1000), POLLIN | POLLOUT);
	close(dmabuf);
	close(a);
}

static int sync_file_of(int dmabuf, uint32_t flags)
{
	int sync_file = -1;

	igt_assert_eq(__dmabuf_export_sync_file(dmabuf, flags, &sync_file), 0);
	igt_assert(sync_file >= 0);
	return sync_file;
}

static void sync_file_expect(int dmabuf, uint32_t flags, bool signalled)
{
	int sync_file = sync_file_of(dmabuf, flags);

	igt_assert_f(!!fd_ready(sync_file, POLLIN, 0) == signalled,
		     "sync_file(flags %u) %s\n", flags,
		     signalled ? "not signalled" : "signalled");
	close(sync_file);
}

static void test_export_sync_file(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf, sync_file;
	uint32_t fence;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);

	/* no fences: an already signalled sync_file */
	sync_file_expect(dmabuf, DMA_BUF_SYNC_READ, true);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_WRITE, true);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_RW, true);

	/* a write fence: readers and writers have to wait for it */
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_READ, false);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_WRITE, false);
	sync_file = sync_file_of(dmabuf, DMA_BUF_SYNC_READ);
	igt_vgem_fence_signal(fd, fence);
	/* a sync_file taken before the signal follows the fence */
	igt_assert_eq(fd_ready(sync_file, POLLIN, 1000), POLLIN);
	close(sync_file);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_RW, true);

	/* a read fence: only writers have to wait for it */
	fence = igt_vgem_fence_attach(fd, bo.handle, 0);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_READ, true);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_WRITE, false);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_RW, false);
	sync_file = sync_file_of(dmabuf, DMA_BUF_SYNC_WRITE);
	igt_vgem_fence_signal(fd, fence);
	igt_assert_eq(fd_ready(sync_file, POLLIN, 1000), POLLIN);
	close(sync_file);
	sync_file_expect(dmabuf, DMA_BUF_SYNC_WRITE, true);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

static void test_export_sync_file_invalid(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf, sync_file = -1;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	igt_assert_eq(__dmabuf_export_sync_file(dmabuf, 0, &sync_file), -EINVAL);
	igt_assert_eq(__dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_END, &sync_file),
		      -EINVAL);
	igt_assert_eq(__dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_RW | 0x8,
						&sync_file), -EINVAL);
	igt_assert_eq(__dmabuf_export_sync_file(dmabuf, ~0u, &sync_file), -EINVAL);
	igt_assert_eq(sync_file, -1);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/* Fence ids are non-zero and unique in a file; many fences can pile up. */
static void test_many_fences(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence[64], f;
	unsigned int i, j;
	int dmabuf;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	for (i = 0; i < 64; i++) {
		fence[i] = igt_vgem_fence_attach(fd, bo.handle, 0);
		igt_assert(fence[i] != 0);
		for (j = 0; j < i; j++)
			igt_assert(fence[i] != fence[j]);
	}
	/* writers wait until the very last reader has signalled */
	for (i = 0; i < 64; i++) {
		assert_ready(dmabuf, true, false);
		igt_assert_eq(__igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE, 0, &f),
			      -EBUSY);
		igt_vgem_fence_signal(fd, fence[63 - i]);
	}
	assert_ready(dmabuf, true, true);
	close(dmabuf);
	close(fd);
}

/* The fence outlives the handle it was attached through. */
static void test_signal_after_close(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t fence;
	int dmabuf;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	gem_close(fd, bo.handle);
	assert_ready(dmabuf, false, false);
	igt_vgem_fence_signal(fd, fence);
	assert_ready(dmabuf, true, true);
	close(dmabuf);

	/* and when nothing but the fence is left, it can still be signalled */
	create(fd, &bo);
	fence = igt_vgem_fence_attach(fd, bo.handle, 0);
	gem_close(fd, bo.handle);
	igt_vgem_fence_signal(fd, fence);
	close(fd);
}

/* What SYNC_IOC_FILE_INFO reports about the fences of a sync_file. */
static unsigned int sync_file_fences(int sync_file, struct sync_fence_info *fences,
				     unsigned int max, int *status)
{
	struct sync_file_info info = { 0 };

	igt_assert_eq(ioctl(sync_file, SYNC_IOC_FILE_INFO, &info), 0);
	igt_assert(info.num_fences <= max);
	info.sync_fence_info = (uint64_t)(uintptr_t)fences;
	igt_assert_eq(ioctl(sync_file, SYNC_IOC_FILE_INFO, &info), 0);
	*status = info.status;
	return info.num_fences;
}

/*
 * The fences exported through a sync_file identify themselves as upstream
 * vgem's: driver "vgem", timeline "unbound".
 */
static void test_sync_file_info(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct sync_fence_info fences[4];
	struct vgem_bo bo;
	uint32_t f1, f2;
	int dmabuf, sync_file, status;
	unsigned int n, i;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	f1 = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	sync_file = sync_file_of(dmabuf, DMA_BUF_SYNC_READ);
	memset(fences, 0, sizeof(fences));
	n = sync_file_fences(sync_file, fences, 4, &status);
	igt_assert_eq(n, 1);
	igt_assert_eq(status, 0);
	igt_assert_f(strcmp(fences[0].driver_name, "vgem") == 0,
		     "driver %s\n", fences[0].driver_name);
	igt_assert_f(strcmp(fences[0].obj_name, "unbound") == 0,
		     "timeline %s\n", fences[0].obj_name);
	igt_assert_eq(fences[0].status, 0);
	igt_vgem_fence_signal(fd, f1);
	n = sync_file_fences(sync_file, fences, 4, &status);
	igt_assert_eq(n, 1);
	igt_assert_eq(status, 1);
	igt_assert_eq(fences[0].status, 1);
	igt_assert(fences[0].timestamp_ns != 0);
	close(sync_file);

	/* two readers: a writer's sync_file holds both */
	f1 = igt_vgem_fence_attach(fd, bo.handle, 0);
	f2 = igt_vgem_fence_attach(fd, bo.handle, 0);
	sync_file = sync_file_of(dmabuf, DMA_BUF_SYNC_WRITE);
	memset(fences, 0, sizeof(fences));
	n = sync_file_fences(sync_file, fences, 4, &status);
	igt_assert_eq(n, 2);
	igt_assert_eq(status, 0);
	for (i = 0; i < n; i++) {
		igt_assert(strcmp(fences[i].driver_name, "vgem") == 0);
		igt_assert(strcmp(fences[i].obj_name, "unbound") == 0);
	}
	igt_vgem_fence_signal(fd, f1);
	igt_assert_eq(fd_ready(sync_file, POLLIN, 0), 0);
	igt_vgem_fence_signal(fd, f2);
	igt_assert_eq(fd_ready(sync_file, POLLIN, 1000), POLLIN);
	close(sync_file);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/*
 * A sync_file is a snapshot: fences attached after the export are not in
 * it, so it signals while the dma-buf itself is still busy.
 */
static void test_export_sync_file_snapshot(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t f1, f2;
	int dmabuf, sync_file;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	f1 = igt_vgem_fence_attach(fd, bo.handle, 0);
	sync_file = sync_file_of(dmabuf, DMA_BUF_SYNC_WRITE);
	f2 = igt_vgem_fence_attach(fd, bo.handle, 0);
	igt_vgem_fence_signal(fd, f1);
	igt_assert_eq(fd_ready(sync_file, POLLIN, 1000), POLLIN);
	assert_ready(dmabuf, true, false);
	igt_vgem_fence_signal(fd, f2);
	assert_ready(dmabuf, true, true);
	close(sync_file);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

static int __import_sync_file(int dmabuf, uint32_t flags, int sync_file)
{
	struct dma_buf_import_sync_file arg = { .flags = flags, .fd = sync_file };

	return ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &arg) ? -errno : 0;
}

/*
 * DMA_BUF_IOCTL_IMPORT_SYNC_FILE puts another buffer's vgem fence on a
 * vgem dma-buf: its poll() and VGEM_FENCE_ATTACH see it like their own.
 */
static void test_import_sync_file(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo a, b;
	int da, db, sync_file, pipefd[2];
	uint32_t fence, f;

	create(fd, &a);
	create(fd, &b);
	da = prime_handle_to_fd(fd, a.handle);
	db = prime_handle_to_fd(fd, b.handle);
	fence = igt_vgem_fence_attach(fd, a.handle, VGEM_FENCE_WRITE);
	sync_file = sync_file_of(da, DMA_BUF_SYNC_READ);

	igt_assert_eq(__import_sync_file(db, 0, sync_file), -EINVAL);
	igt_assert_eq(__import_sync_file(db, DMA_BUF_SYNC_RW | 0x8, sync_file), -EINVAL);
	igt_assert_eq(pipe(pipefd), 0);
	igt_assert_eq(__import_sync_file(db, DMA_BUF_SYNC_WRITE, pipefd[0]), -EINVAL);
	igt_assert_eq(__import_sync_file(db, DMA_BUF_SYNC_WRITE, da), -EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	assert_ready(db, true, true);

	/* as a read fence: writers of b wait, a write fence conflicts */
	igt_assert_eq(__import_sync_file(db, DMA_BUF_SYNC_READ, sync_file), 0);
	assert_ready(db, true, false);
	igt_assert_eq(__igt_vgem_fence_attach(fd, b.handle, VGEM_FENCE_WRITE, 0, &f), -EBUSY);
	f = igt_vgem_fence_attach(fd, b.handle, 0);
	igt_vgem_fence_signal(fd, f);

	/* as a write fence: everybody waits, until a's fence signals */
	igt_assert_eq(__import_sync_file(db, DMA_BUF_SYNC_WRITE, sync_file), 0);
	assert_ready(db, false, false);
	igt_assert_eq(__igt_vgem_fence_attach(fd, b.handle, 0, 0, &f), -EBUSY);
	igt_vgem_fence_signal(fd, fence);
	assert_ready(db, true, true);
	assert_ready(da, true, true);
	f = igt_vgem_fence_attach(fd, b.handle, VGEM_FENCE_WRITE);
	igt_vgem_fence_signal(fd, f);
	close(sync_file);
	close(da);
	close(db);
	close(fd);
}

/*
 * An unsignalled fence expires on its own after about 10 s, so a client
 * that never signals cannot hang everybody else; signalling it afterwards
 * reports -ETIMEDOUT (and consumes the id).
 */
static void test_nohang(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	struct sync_fence_info info;
	uint32_t fence;
	double start, waited;
	int dmabuf, sync_file, status;

	create(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	sync_file = sync_file_of(dmabuf, DMA_BUF_SYNC_READ);
	start = now_s();
	igt_assert_eq(fd_ready(dmabuf, POLLIN, 20000), POLLIN);
	waited = now_s() - start;
	igt_info("fence expired after %.3f s\n", waited);
	igt_assert_f(waited >= 5.0 && waited <= 20.0,
		     "expired after %.3f s, expected about 10 s\n", waited);
	assert_ready(dmabuf, true, true);
	/* expiry signals the fence, without an error */
	igt_assert_eq(sync_file_fences(sync_file, &info, 1, &status), 1);
	igt_assert_eq(status, 1);
	igt_assert_eq(info.status, 1);
	close(sync_file);
	igt_assert_eq(__igt_vgem_fence_signal(fd, fence, 0), -ETIMEDOUT);
	igt_assert_eq(__igt_vgem_fence_signal(fd, fence, 0), -ENOENT);
	/* an expired fence no longer conflicts */
	fence = igt_vgem_fence_attach(fd, bo.handle, VGEM_FENCE_WRITE);
	igt_vgem_fence_signal(fd, fence);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/* Fences work from the render node (on an object imported there). */
static void test_render_node(void)
{
	int card = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int render = igt_vgem_open(DRM_NODE_KIND_RENDER);
	struct vgem_bo bo;
	uint32_t handle, fence;
	int dmabuf;

	create(card, &bo);
	dmabuf = prime_handle_to_fd(card, bo.handle);
	handle = prime_fd_to_handle(render, dmabuf);
	fence = igt_vgem_fence_attach(render, handle, 0);
	assert_ready(dmabuf, true, false);
	igt_vgem_fence_signal(render, fence);
	assert_ready(dmabuf, true, true);
	close(dmabuf);
	close(render);
	close(card);
}

static const struct igt_subtest subtests[] = {
	{ "bad-flag", test_bad_flag },
	{ "bad-pad", test_bad_pad },
	{ "bad-handle", test_bad_handle },
	{ "bad-fence", test_bad_fence },
	{ "signal-twice", test_signal_twice },
	{ "busy-fence", test_busy_fence },
	{ "busy-other-file", test_busy_other_file },
	{ "dmabuf-fence", test_dmabuf_fence },
	{ "dmabuf-fence-before", test_dmabuf_fence_before },
	{ "dmabuf-fence-wakeup", test_dmabuf_fence_wakeup },
	{ "dmabuf-sync-waits", test_dmabuf_sync_waits },
	{ "close-signals", test_close_signals },
	{ "export-sync-file", test_export_sync_file },
	{ "export-sync-file-invalid", test_export_sync_file_invalid },
	{ "export-sync-file-snapshot", test_export_sync_file_snapshot },
	{ "import-sync-file", test_import_sync_file },
	{ "render-node", test_render_node },
	{ "many-fences", test_many_fences },
	{ "signal-after-close", test_signal_after_close },
	{ "sync-file-info", test_sync_file_info },
	{ "nohang", test_nohang },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
