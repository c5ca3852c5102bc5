// SPDX-License-Identifier: MIT
/*
 * vgem_prime: sharing vgem objects as dma-bufs, as upstream vgem does it:
 * export flags, one dma-buf per object, import back into the same and into
 * other files, CPU access through the dma-buf (mmap, DMA_BUF_IOCTL_SYNC),
 * closing handles, dma-bufs and files in every order, and passing the
 * dma-buf to another process over a unix socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <linux/dma-buf.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"

#define PAGE_SZ 4096ul

static void create(int fd, struct vgem_bo *bo, uint32_t height)
{
	*bo = (struct vgem_bo){ .width = 1024, .height = height, .bpp = 32 };
	vgem_create(fd, bo);	/* one page per row */
}

/* Write @seed's pattern into the object through a GEM mapping of @fd. */
static void gem_fill(int fd, const struct vgem_bo *bo, uint32_t seed)
{
	uint32_t *ptr = vgem_mmap(fd, bo, PROT_READ | PROT_WRITE);

	pattern_fill(ptr, bo->size, seed);
	munmap(ptr, bo->size);
}

static void gem_check(int fd, const struct vgem_bo *bo, uint32_t seed)
{
	uint32_t *ptr = vgem_mmap(fd, bo, PROT_READ);

	pattern_check(ptr, bo->size, seed);
	munmap(ptr, bo->size);
}

/* The bo of an imported handle: same geometry, another handle. */
static struct vgem_bo with_handle(const struct vgem_bo *bo, uint32_t handle)
{
	struct vgem_bo copy = *bo;

	copy.handle = handle;
	return copy;
}

static void *dmabuf_mmap(int dmabuf, size_t len, int prot)
{
	void *ptr = mmap(NULL, len, prot, MAP_SHARED, dmabuf, 0);

	igt_assert_f(ptr != MAP_FAILED, "dma-buf mmap: %s\n", strerror(errno));
	return ptr;
}

static void dmabuf_check(int dmabuf, size_t size, uint32_t seed)
{
	uint32_t *ptr = dmabuf_mmap(dmabuf, size, PROT_READ);

	pattern_check(ptr, size, seed);
	munmap(ptr, size);
}

static ino_t inode_of(int fd)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	return st.st_ino;
}

static void test_export_flags(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf;

	create(fd, &bo, 4);
	igt_assert_eq(__prime_handle_to_fd(fd, bo.handle, 0, &dmabuf), 0);
	igt_assert(dmabuf >= 0);
	igt_assert_eq(fcntl(dmabuf, F_GETFD) & FD_CLOEXEC, 0);
	igt_assert_eq(fcntl(dmabuf, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(dmabuf);

	igt_assert_eq(__prime_handle_to_fd(fd, bo.handle, DRM_CLOEXEC, &dmabuf), 0);
	igt_assert(fcntl(dmabuf, F_GETFD) & FD_CLOEXEC);
	close(dmabuf);

	/* A fresh object exported read-write gives an O_RDWR file. */
	gem_close(fd, bo.handle);
	create(fd, &bo, 4);
	igt_assert_eq(__prime_handle_to_fd(fd, bo.handle, DRM_CLOEXEC | DRM_RDWR,
					   &dmabuf), 0);
	igt_assert_eq(fcntl(dmabuf, F_GETFL) & O_ACCMODE, O_RDWR);
	igt_assert(fcntl(dmabuf, F_GETFD) & FD_CLOEXEC);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

static void test_export_invalid(void)
{
	static const uint32_t bad_flags[] = {
		0x1, 0x4, O_NONBLOCK, 0x80000000u, DRM_RDWR | 0x1, ~0u,
	};
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	unsigned int i;
	int dmabuf = -1;

	create(fd, &bo, 1);
	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++)
		igt_assert_eq(__prime_handle_to_fd(fd, bo.handle, bad_flags[i],
						   &dmabuf), -EINVAL);
	igt_assert_eq(__prime_handle_to_fd(fd, 0, DRM_CLOEXEC, &dmabuf), -ENOENT);
	igt_assert_eq(__prime_handle_to_fd(fd, bo.handle + 1, DRM_CLOEXEC, &dmabuf),
		      -ENOENT);
	gem_close(fd, bo.handle);
	igt_assert_eq(__prime_handle_to_fd(fd, bo.handle, DRM_CLOEXEC, &dmabuf),
		      -ENOENT);
	close(fd);
}

/*
 * The first export decides the dma-buf, its access mode included: later
 * exports return the same dma-buf whatever their flags, so an object first
 * exported read-only cannot be mapped for writing through its dma-buf.
 */
static void test_export_first_wins(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int ro, rw;
	void *ptr;

	create(fd, &bo, 2);
	igt_assert_eq(__prime_handle_to_fd(fd, bo.handle, DRM_CLOEXEC, &ro), 0);
	igt_assert_eq(__prime_handle_to_fd(fd, bo.handle, DRM_CLOEXEC | DRM_RDWR,
					   &rw), 0);
	igt_assert_eq(inode_of(ro), inode_of(rw));
	igt_assert_eq(fcntl(rw, F_GETFL) & O_ACCMODE, O_RDONLY);

	ptr = mmap(NULL, bo.size, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	igt_assert(ptr == MAP_FAILED);
	igt_assert_eq(errno, EACCES);
	ptr = dmabuf_mmap(rw, bo.size, PROT_READ);
	munmap(ptr, bo.size);
	close(ro);
	close(rw);
	gem_close(fd, bo.handle);
	close(fd);
}

static void test_reexport_same_dmabuf(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_RENDER);
	struct vgem_bo bo;
	int d1, d2, d3;
	uint32_t handle;
	ino_t ino;

	create(a, &bo, 4);
	d1 = prime_handle_to_fd(a, bo.handle);
	d2 = prime_handle_to_fd(a, bo.handle);
	igt_assert(d1 != d2);
	ino = inode_of(d1);
	igt_assert_eq(inode_of(d2), ino);

	/* An importer that exports again gets the same dma-buf too. */
	handle = prime_fd_to_handle(b, d1);
	d3 = prime_handle_to_fd(b, handle);
	igt_assert_eq(inode_of(d3), ino);
	close(d3);

	/* While a handle lives, the dma-buf lives: even with no fd open. */
	close(d1);
	close(d2);
	d1 = prime_handle_to_fd(a, bo.handle);
	igt_assert_eq(inode_of(d1), ino);
	close(d1);
	gem_close(a, bo.handle);
	gem_close(b, handle);
	close(b);
	close(a);
}

static void test_self_import(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo, other;
	int dmabuf, d2;

	create(fd, &bo, 4);
	create(fd, &other, 4);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	igt_assert_eq(prime_fd_to_handle(fd, dmabuf), bo.handle);
	igt_assert_eq(prime_fd_to_handle(fd, dmabuf), bo.handle);
	d2 = prime_handle_to_fd(fd, bo.handle);
	igt_assert_eq(prime_fd_to_handle(fd, d2), bo.handle);

	/* Importing does not add handles: one GEM_CLOSE frees the name. */
	gem_close(fd, bo.handle);
	igt_assert_eq(__gem_close(fd, bo.handle), -EINVAL);
	gem_close(fd, other.handle);
	close(d2);
	close(dmabuf);
	close(fd);
}

/* After GEM_CLOSE, the dma-buf brings the object back under a new handle. */
static void test_import_after_close(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo, back;
	int dmabuf;

	create(fd, &bo, 8);
	gem_fill(fd, &bo, 0x1234);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	gem_close(fd, bo.handle);
	back = with_handle(&bo, prime_fd_to_handle(fd, dmabuf));
	gem_check(fd, &back, 0x1234);
	igt_assert_eq(prime_fd_to_handle(fd, dmabuf), back.handle);
	gem_close(fd, back.handle);
	close(dmabuf);
	close(fd);
}

static void test_import_other_file(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo, imp;
	uint32_t *pa, *pb;
	int dmabuf;

	create(a, &bo, 16);
	gem_fill(a, &bo, 0xa);
	dmabuf = prime_handle_to_fd(a, bo.handle);
	imp = with_handle(&bo, prime_fd_to_handle(b, dmabuf));
	igt_assert(imp.handle != 0);
	igt_assert_eq(prime_fd_to_handle(b, dmabuf), imp.handle);

	pa = vgem_mmap(a, &bo, PROT_READ | PROT_WRITE);
	pb = vgem_mmap(b, &imp, PROT_READ | PROT_WRITE);
	pattern_check(pb, bo.size, 0xa);
	pattern_fill(pb, bo.size, 0xb);
	pattern_check(pa, bo.size, 0xb);
	munmap(pa, bo.size);
	munmap(pb, bo.size);
	gem_close(b, imp.handle);
	gem_close(a, bo.handle);
	close(dmabuf);
	close(b);
	close(a);
}

/* Export from the render node, import on the card node and back. */
static void test_render_node(void)
{
	int card = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int render = igt_vgem_open(DRM_NODE_KIND_RENDER);
	struct vgem_bo bo;
	uint32_t handle;
	int d1, d2;

	create(card, &bo, 4);
	gem_fill(card, &bo, 77);
	d1 = prime_handle_to_fd(card, bo.handle);
	handle = prime_fd_to_handle(render, d1);
	d2 = prime_handle_to_fd(render, handle);
	igt_assert_eq(inode_of(d2), inode_of(d1));
	gem_close(card, bo.handle);
	bo.handle = prime_fd_to_handle(card, d2);
	gem_check(card, &bo, 77);
	gem_close(card, bo.handle);
	gem_close(render, handle);
	close(d1);
	close(d2);
	close(render);
	close(card);
}

static void test_import_invalid(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int other = igt_vgem_open(DRM_NODE_KIND_RENDER);
	uint32_t handle = 0;
	int pipefd[2];

	igt_assert_eq(__prime_fd_to_handle(fd, -1, &handle), -EBADF);
	igt_assert_eq(__prime_fd_to_handle(fd, 1000, &handle), -EBADF);
	igt_assert_eq(pipe(pipefd), 0);
	igt_assert_eq(__prime_fd_to_handle(fd, pipefd[0], &handle), -EINVAL);
	igt_assert_eq(__prime_fd_to_handle(fd, other, &handle), -EINVAL);
	igt_assert_eq(__prime_fd_to_handle(fd, fd, &handle), -EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	close(other);
	close(fd);
}

static void test_dmabuf_mmap(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr, *gem;
	int dmabuf;

	create(fd, &bo, 16);
	gem_fill(fd, &bo, 0x55);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	ptr = dmabuf_mmap(dmabuf, bo.size, PROT_READ | PROT_WRITE);
	pattern_check(ptr, bo.size, 0x55);
	gem = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_fill(ptr, bo.size, 0x66);
	pattern_check(gem, bo.size, 0x66);
	pattern_fill(gem, bo.size, 0x77);
	pattern_check(ptr, bo.size, 0x77);
	munmap(gem, bo.size);

	/* the mapping holds the object when everything else is gone */
	gem_close(fd, bo.handle);
	close(dmabuf);
	close(fd);
	pattern_check(ptr, bo.size, 0x77);
	munmap(ptr, bo.size);
}

static void test_dmabuf_mmap_invalid(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	void *ptr;
	int dmabuf;

	create(fd, &bo, 4);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	ptr = mmap(NULL, bo.size + PAGE_SZ, PROT_READ, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	ptr = mmap(NULL, PAGE_SZ, PROT_READ, MAP_SHARED, dmabuf, (off_t)bo.size);
	igt_assert(ptr == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	ptr = mmap(NULL, 2 * PAGE_SZ, PROT_READ, MAP_SHARED, dmabuf,
		   (off_t)(bo.size - PAGE_SZ));
	igt_assert(ptr == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	/* copy-on-write mappings are refused as through the DRM fd */
	ptr = mmap(NULL, bo.size, PROT_READ, MAP_PRIVATE, dmabuf, 0);
	igt_assert(ptr == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/* A dma-buf reports its size through lseek(SEEK_END) and nothing else. */
static void test_dmabuf_size(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf;

	create(fd, &bo, 5);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	igt_assert_eq(lseek(dmabuf, 0, SEEK_END), (off_t)bo.size);
	igt_assert_eq(lseek(dmabuf, 0, SEEK_SET), 0);
	igt_assert_eq(lseek(dmabuf, 1, SEEK_SET), -1);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq(lseek(dmabuf, 0, SEEK_CUR), -1);
	igt_assert_eq(errno, EINVAL);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

static void test_dmabuf_sync(void)
{
	static const uint64_t valid[] = {
		DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE, DMA_BUF_SYNC_RW,
	};
	static const uint64_t invalid[] = {
		0, DMA_BUF_SYNC_END, DMA_BUF_SYNC_START,
		DMA_BUF_SYNC_RW | 0x8, DMA_BUF_SYNC_READ | (1ull << 32),
		DMA_BUF_SYNC_WRITE | (1ull << 63), ~0ull,
	};
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	unsigned int i;
	uint32_t *ptr;
	int dmabuf;

	create(fd, &bo, 4);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	ptr = dmabuf_mmap(dmabuf, bo.size, PROT_READ | PROT_WRITE);
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | valid[i]), 0);
		pattern_fill(ptr, bo.size, i);
		igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | valid[i]), 0);
		gem_check(fd, &bo, i);
	}
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		igt_assert_f(__dmabuf_sync(dmabuf, invalid[i]) == -EINVAL,
			     "DMA_BUF_IOCTL_SYNC accepted flags 0x%llx\n",
			     (unsigned long long)invalid[i]);
	/* END without START is not tracked: upstream accepts it. */
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	/* An unknown dma-buf ioctl. */
	igt_assert_eq(ioctl(dmabuf, _IOW(DMA_BUF_BASE, 0x3f, uint64_t), &i), -1);
	igt_assert_eq(errno, ENOTTY);
	munmap(ptr, bo.size);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/* Handle closed first, then the dma-buf. */
static void test_close_handle_first(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf;

	create(fd, &bo, 4);
	gem_fill(fd, &bo, 3);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	gem_close(fd, bo.handle);
	dmabuf_check(dmabuf, bo.size, 3);
	close(dmabuf);
	close(fd);
}

/* dma-buf closed first: the handle still works and can export again. */
static void test_close_dmabuf_first(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf;

	create(fd, &bo, 4);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	close(dmabuf);
	gem_fill(fd, &bo, 4);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	dmabuf_check(dmabuf, bo.size, 4);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/* Both files closed with handles open: the dma-buf keeps the object. */
static void test_close_files_first(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t handle;
	int dmabuf, c;

	create(a, &bo, 8);
	gem_fill(a, &bo, 8);
	dmabuf = prime_handle_to_fd(a, bo.handle);
	handle = prime_fd_to_handle(b, dmabuf);
	igt_assert(handle);
	close(a);
	close(b);
	dmabuf_check(dmabuf, bo.size, 8);

	c = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	bo.handle = prime_fd_to_handle(c, dmabuf);
	gem_check(c, &bo, 8);
	close(dmabuf);
	gem_check(c, &bo, 8);
	close(c);
}

/* The exporting file goes away; the importer's handle stays usable. */
static void test_close_exporter_first(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo, imp;
	int dmabuf;

	create(a, &bo, 8);
	gem_fill(a, &bo, 9);
	dmabuf = prime_handle_to_fd(a, bo.handle);
	imp = with_handle(&bo, prime_fd_to_handle(b, dmabuf));
	close(dmabuf);
	close(a);
	gem_check(b, &imp, 9);
	gem_fill(b, &imp, 10);
	dmabuf = prime_handle_to_fd(b, imp.handle);
	dmabuf_check(dmabuf, bo.size, 10);
	gem_close(b, imp.handle);
	dmabuf_check(dmabuf, bo.size, 10);
	close(b);
	close(dmabuf);
}

/* The importing file goes away first; the exporter does not notice. */
static void test_close_importer_first(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf, b, round;

	create(a, &bo, 8);
	gem_fill(a, &bo, 11);
	dmabuf = prime_handle_to_fd(a, bo.handle);
	for (round = 0; round < 3; round++) {
		b = igt_vgem_open(DRM_NODE_KIND_RENDER);
		igt_assert(prime_fd_to_handle(b, dmabuf));
		close(b);
	}
	close(dmabuf);
	gem_check(a, &bo, 11);
	gem_close(a, bo.handle);
	close(a);
}

/* Through a unix socket to ourselves: it is the same dma-buf. */
static void test_fd_passing(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int sv[2], dmabuf, received;

	igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	create(fd, &bo, 4);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	igt_assert_eq(send_fd(sv[0], dmabuf), 0);
	received = recv_fd(sv[1]);
	igt_assert(received >= 0 && received != dmabuf);
	igt_assert_eq(inode_of(received), inode_of(dmabuf));
	close(dmabuf);
	igt_assert_eq(prime_fd_to_handle(fd, received), bo.handle);
	close(received);
	gem_close(fd, bo.handle);
	close(sv[0]);
	close(sv[1]);
	close(fd);
}

static void wait_child(pid_t pid)
{
	int status;

	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "child status 0x%x\n", status);
}

/*
 * Producer and consumer in two processes with their own DRM files: the
 * producer writes a pattern and passes the dma-buf over a unix socket, the
 * consumer imports it, checks the pattern and answers with its own, which
 * the producer then checks. With @producer_exits, the producer is gone
 * (its file closed) before the consumer even imports.
 */
static void cross_process(bool producer_exits)
{
	const uint32_t rows = 64;	/* 256 KiB */
	struct vgem_bo bo;
	int sv[2], dmabuf, fd;
	char ack = 0;
	uint32_t *ptr;
	pid_t pid;

	igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		close(sv[1]);
		fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
		create(fd, &bo, rows);
		ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
		pattern_fill(ptr, bo.size, 0xc0ffee);
		dmabuf = prime_handle_to_fd(fd, bo.handle);
		igt_assert_eq(send_fd(sv[0], dmabuf), 0);
		if (producer_exits)
			_exit(0);
		igt_assert_eq(read(sv[0], &ack, 1), 1);
		pattern_check(ptr, bo.size, 0xdecaf);
		_exit(0);
	}
	close(sv[0]);
	dmabuf = recv_fd(sv[1]);
	igt_assert_f(dmabuf >= 0, "recv_fd: %s\n", strerror(-dmabuf));
	if (producer_exits)
		wait_child(pid);

	fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	bo = (struct vgem_bo){ .width = 1024, .height = rows, .bpp = 32,
			       .size = (uint64_t)lseek(dmabuf, 0, SEEK_END) };
	igt_assert_eq(bo.size, rows * PAGE_SZ);
	bo.handle = prime_fd_to_handle(fd, dmabuf);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_check(ptr, bo.size, 0xc0ffee);
	dmabuf_check(dmabuf, bo.size, 0xc0ffee);
	pattern_fill(ptr, bo.size, 0xdecaf);
	if (!producer_exits) {
		igt_assert_eq(write(sv[1], &ack, 1), 1);
		wait_child(pid);
	}
	munmap(ptr, bo.size);
	close(dmabuf);
	close(sv[1]);
	gem_close(fd, bo.handle);
	close(fd);
}

static void test_cross_process(void)
{
	cross_process(false);
}

static void test_cross_process_producer_exits(void)
{
	cross_process(true);
}

/*
 * An exported dma-buf holds the exporter's module: vgem cannot be unloaded
 * while the dma-buf is open, even with every DRM file closed, and the
 * buffer stays usable; once it is closed, vgem unloads and reloads.
 */
static void test_dmabuf_holds_module(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	int dmabuf;

	create(fd, &bo, 4);
	gem_fill(fd, &bo, 0x31);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	close(fd);

	igt_assert_eq(igt_module_unload("vgem"), -EAGAIN);
	igt_assert(igt_module_loaded("vgem"));
	dmabuf_check(dmabuf, bo.size, 0x31);
	close(dmabuf);

	igt_assert_eq(igt_module_unload("vgem"), 0);
	igt_assert(!igt_module_loaded("vgem"));
	igt_assert_eq(igt_system("modprobe vgem"), 0);
}

/* /proc/self/fdinfo of a dma-buf: its size and how many files share it. */
static void test_dmabuf_fdinfo(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	char path[64], line[256], exp_name[128] = "";
	unsigned long long size = 0;
	long count = -1;
	struct vgem_bo bo;
	int dmabuf;
	FILE *f;

	create(fd, &bo, 7);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", dmabuf);
	f = fopen(path, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "size: %llu", &size);
		sscanf(line, "count: %ld", &count);
		sscanf(line, "exp_name: %127s", exp_name);
	}
	fclose(f);
	igt_info("size %llu count %ld exp_name %s\n", size, count, exp_name);
	igt_assert_eq(size, bo.size);
	igt_assert(count >= 1);
	igt_assert(exp_name[0] != 0);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

/*
 * mmap of a dma-buf at a page offset must show the object from that page
 * on. Upstream gets it wrong: its fault handler ignores the offset, so on
 * Debian's 6.1 vgem a mapping at page 1 shows pages 0, 1, ... This subtest
 * skips on upstream vgem and holds ours to it.
 */
static void test_dmabuf_mmap_offset(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *gem, *ptr;
	unsigned int pg, first;
	int dmabuf;

	create(fd, &bo, 4);
	gem = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	for (pg = 0; pg < 4; pg++)
		gem[pg * PAGE_SZ / 4] = 0x100 + pg;
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	for (first = 1; first < 4; first++) {
		ptr = mmap(NULL, (4 - first) * PAGE_SZ, PROT_READ, MAP_SHARED,
			   dmabuf, (off_t)(first * PAGE_SZ));
		igt_assert_f(ptr != MAP_FAILED, "mmap at page %u: %s\n", first,
			     strerror(errno));
		for (pg = 0; pg < 4 - first; pg++)
			vgem_assert_fixed_upstream_bug(ptr[pg * PAGE_SZ / 4] == 0x100 + first + pg,
						       "dma-buf mapped at page %u shows page %u at %u\n",
						       first, ptr[pg * PAGE_SZ / 4] - 0x100, pg);
		munmap(ptr, (4 - first) * PAGE_SZ);
	}
	munmap(gem, bo.size);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * Two processes sharing one DRM file race export, import and mmap of a
 * handle against its GEM_CLOSE and re-creation. Every call either works or
 * fails with the errno of a missing handle; nothing may leak or warn (the
 * guest's kernel log is checked after the run).
 */
static void test_race_export_close(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct timespec start;
	struct vgem_bo bo;
	uint64_t offset;
	uint32_t handle;
	int status, dmabuf, ret;
	pid_t pid;

	create(fd, &bo, 4);
	pid = fork();
	igt_assert(pid >= 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (seconds_since(&start) < 2.0) {
		if (pid == 0) {
			ret = __prime_handle_to_fd(fd, bo.handle, DRM_CLOEXEC | DRM_RDWR,
						   &dmabuf);
			igt_assert_f(ret == 0 || ret == -ENOENT, "export: %d\n", ret);
			if (ret)
				continue;
			ret = __prime_fd_to_handle(fd, dmabuf, &handle);
			igt_assert_eq(ret, 0);
			ret = __vgem_map_offset(fd, handle, &offset);
			igt_assert_f(ret == 0 || ret == -ENOENT, "map: %d\n", ret);
			/* often the parent's own handle (self-import) */
			ret = __gem_close(fd, handle);
			igt_assert_f(ret == 0 || ret == -EINVAL, "close: %d\n", ret);
			close(dmabuf);
		} else {
			ret = __gem_close(fd, bo.handle);
			igt_assert_f(ret == 0 || ret == -EINVAL, "close: %d\n", ret);
			create(fd, &bo, 4);
		}
	}
	if (pid == 0)
		_exit(0);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "child status 0x%x\n", status);
	close(fd);
}

/*
 * As through the DRM fd, a dma-buf mapping cannot be grown past the end of
 * the buffer (upstream marks it VM_DONTEXPAND: mremap() fails with EFAULT),
 * so no address past the end is ever backed by the buffer; the last byte
 * is accessible.
 */
static void test_dmabuf_mmap_past_end(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	volatile uint8_t *ptr;
	struct vgem_bo bo;
	void *grown;
	int dmabuf;

	create(fd, &bo, 2);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	ptr = dmabuf_mmap(dmabuf, bo.size, PROT_READ | PROT_WRITE);
	ptr[bo.size - 1] = 0xa5;
	igt_assert_eq(ptr[bo.size - 1], 0xa5);
	grown = mremap((void *)ptr, bo.size, bo.size + PAGE_SZ, MREMAP_MAYMOVE);
	igt_assert_f(grown == MAP_FAILED, "mremap grew the dma-buf mapping\n");
	igt_assert_eq(errno, EFAULT);
	munmap((void *)ptr, bo.size);
	close(dmabuf);
	gem_close(fd, bo.handle);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "export-flags", test_export_flags },
	{ "export-invalid", test_export_invalid },
	{ "export-first-wins", test_export_first_wins },
	{ "reexport-same-dmabuf", test_reexport_same_dmabuf },
	{ "self-import", test_self_import },
	{ "import-after-close", test_import_after_close },
	{ "import-other-file", test_import_other_file },
	{ "render-node", test_render_node },
	{ "import-invalid", test_import_invalid },
	{ "dmabuf-mmap", test_dmabuf_mmap },
	{ "dmabuf-mmap-invalid", test_dmabuf_mmap_invalid },
	{ "dmabuf-mmap-offset", test_dmabuf_mmap_offset },
	{ "dmabuf-mmap-past-end", test_dmabuf_mmap_past_end },
	{ "dmabuf-size", test_dmabuf_size },
	{ "dmabuf-sync", test_dmabuf_sync },
	{ "close-handle-first", test_close_handle_first },
	{ "close-dmabuf-first", test_close_dmabuf_first },
	{ "close-files-first", test_close_files_first },
	{ "close-exporter-first", test_close_exporter_first },
	{ "close-importer-first", test_close_importer_first },
	{ "fd-passing", test_fd_passing },
	{ "cross-process-share", test_cross_process },
	{ "cross-process-producer-exits", test_cross_process_producer_exits },
	{ "dmabuf-fdinfo", test_dmabuf_fdinfo },
	{ "race-export-close", test_race_export_close },
	{ "dmabuf-holds-module", test_dmabuf_holds_module },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
