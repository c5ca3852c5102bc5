// SPDX-License-Identifier: MIT
/*
 * vgem_mmap: CPU mappings of dumb buffers through the DRM fd, as upstream
 * vgem gives them: the fake offset of MAP_DUMB, shared mappings that see
 * each other, mappings that outlive the handle and the file, and the
 * mappings it refuses (other files' objects, wrong offsets, too long,
 * private, growing past the end).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_pattern.h"

#define PAGE_SZ 4096ul

static void create(int fd, struct vgem_bo *bo, uint32_t width, uint32_t height)
{
	*bo = (struct vgem_bo){ .width = width, .height = height, .bpp = 32 };
	vgem_create(fd, bo);
}

static uint64_t map_offset(int fd, uint32_t handle)
{
	uint64_t offset = 0;

	igt_assert_eq(__vgem_map_offset(fd, handle, &offset), 0);
	return offset;
}

/* mmap of the DRM fd: the address, or NULL with errno set. */
static void *try_mmap(int fd, uint64_t offset, size_t len, int flags)
{
	void *ptr = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, (off_t)offset);

	return ptr == MAP_FAILED ? NULL : ptr;
}

static void test_map_offset(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo a, b;
	uint64_t oa, ob;

	create(fd, &a, 1024, 16);
	create(fd, &b, 1024, 16);
	oa = map_offset(fd, a.handle);
	ob = map_offset(fd, b.handle);
	igt_assert(oa != 0 && ob != 0);
	igt_assert_eq(oa % PAGE_SZ, 0);
	igt_assert_eq(ob % PAGE_SZ, 0);
	/* stable across calls, distinct and not overlapping between objects */
	igt_assert_eq(map_offset(fd, a.handle), oa);
	igt_assert(oa + a.size <= ob || ob + b.size <= oa);
	gem_close(fd, a.handle);
	gem_close(fd, b.handle);
	close(fd);
}

static void test_map_invalid(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct drm_mode_map_dumb arg = { .handle = 0, .pad = 0 };
	struct vgem_bo bo;
	uint64_t offset;

	igt_assert_eq(__vgem_map_offset(fd, 0, &offset), -ENOENT);
	igt_assert_eq(__vgem_map_offset(fd, 1, &offset), -ENOENT);
	igt_assert_eq(__vgem_map_offset(fd, 0xffffffff, &offset), -ENOENT);

	create(fd, &bo, 16, 16);
	gem_close(fd, bo.handle);
	igt_assert_eq(__vgem_map_offset(fd, bo.handle, &offset), -ENOENT);

	/* The pad of MAP_DUMB is not checked upstream. */
	create(fd, &bo, 16, 16);
	arg.handle = bo.handle;
	arg.pad = 0xffffffff;
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &arg), 0);
	igt_assert_eq(arg.offset, map_offset(fd, bo.handle));
	gem_close(fd, bo.handle);
	close(fd);
}

static void test_mmap_read_write(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr;

	create(fd, &bo, 1024, 1024);	/* 4 MiB */
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_fill(ptr, bo.size, 0x1000);
	pattern_check(ptr, bo.size, 0x1000);
	munmap(ptr, bo.size);

	/* a new mapping still finds the data */
	ptr = vgem_mmap(fd, &bo, PROT_READ);
	pattern_check(ptr, bo.size, 0x1000);
	munmap(ptr, bo.size);
	gem_close(fd, bo.handle);
	close(fd);
}

static void test_mmap_two_mappings(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *a, *b;

	create(fd, &bo, 1024, 64);
	a = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	b = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	igt_assert(a != b);
	pattern_fill(a, bo.size, 7);
	pattern_check(b, bo.size, 7);
	pattern_fill(b, bo.size, 99);
	pattern_check(a, bo.size, 99);
	munmap(a, bo.size);
	pattern_check(b, bo.size, 99);
	munmap(b, bo.size);
	gem_close(fd, bo.handle);
	close(fd);
}

/* A mapping holds the object: GEM_CLOSE and close() do not tear it down. */
static void test_mmap_after_close(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr;

	create(fd, &bo, 1024, 64);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_fill(ptr, bo.size / 2, 5);
	gem_close(fd, bo.handle);
	pattern_check(ptr, bo.size / 2, 5);
	pattern_fill(ptr, bo.size, 6);		/* including pages never touched before */
	close(fd);
	pattern_check(ptr, bo.size, 6);
	munmap(ptr, bo.size);
}

/*
 * mmap() checks the file's right to the object at mmap time: after
 * GEM_CLOSE the old offset is refused (EACCES while the object lives on
 * through a mapping, EINVAL once it is gone).
 */
static void test_mmap_revoked(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint64_t offset;
	void *ptr;

	create(fd, &bo, 1024, 4);
	offset = map_offset(fd, bo.handle);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	gem_close(fd, bo.handle);
	igt_assert(!try_mmap(fd, offset, bo.size, MAP_SHARED));
	igt_assert_eq(errno, EACCES);
	munmap(ptr, bo.size);
	igt_assert(!try_mmap(fd, offset, bo.size, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);
	close(fd);
}

/* Another file may not map an object it has no handle to. */
static void test_mmap_other_file(void)
{
	int a = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int b = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int r = igt_vgem_open(DRM_NODE_KIND_RENDER);
	struct vgem_bo bo;
	uint64_t offset;
	uint32_t *ptr, handle;
	int dmabuf;

	create(a, &bo, 1024, 4);
	offset = map_offset(a, bo.handle);
	igt_assert(!try_mmap(b, offset, bo.size, MAP_SHARED));
	igt_assert_eq(errno, EACCES);
	igt_assert(!try_mmap(r, offset, bo.size, MAP_SHARED));
	igt_assert_eq(errno, EACCES);

	/* Once b holds a handle (through PRIME), the same offset maps. */
	dmabuf = prime_handle_to_fd(a, bo.handle);
	handle = prime_fd_to_handle(b, dmabuf);
	igt_assert_eq(map_offset(b, handle), offset);
	ptr = try_mmap(b, offset, bo.size, MAP_SHARED);
	igt_assert(ptr);
	munmap(ptr, bo.size);

	/* and when b lets go of its handle, it is refused again */
	gem_close(b, handle);
	igt_assert(!try_mmap(b, offset, bo.size, MAP_SHARED));
	igt_assert_eq(errno, EACCES);
	close(dmabuf);
	close(r);
	close(b);
	close(a);
}

static void test_mmap_bad_offset(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint64_t offset;

	create(fd, &bo, 1024, 4);	/* 4 pages */
	offset = map_offset(fd, bo.handle);

	igt_assert(!try_mmap(fd, 0, PAGE_SZ, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);
	/* a mapping must start at the start of the object */
	igt_assert(!try_mmap(fd, offset + PAGE_SZ, PAGE_SZ, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);
	igt_assert(!try_mmap(fd, offset + bo.size, PAGE_SZ, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);
	igt_assert(!try_mmap(fd, offset - PAGE_SZ, PAGE_SZ, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);
	igt_assert(!try_mmap(fd, 1ull << 46, PAGE_SZ, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);
	gem_close(fd, bo.handle);
	close(fd);
}

/* Longer than the object: refused; shorter, from its start: allowed. */
static void test_mmap_length(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint64_t offset;
	uint32_t *full, *part;

	create(fd, &bo, 1024, 4);	/* 4 pages */
	offset = map_offset(fd, bo.handle);
	igt_assert(!try_mmap(fd, offset, bo.size + PAGE_SZ, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);
	igt_assert(!try_mmap(fd, offset, 2 * bo.size, MAP_SHARED));
	igt_assert_eq(errno, EINVAL);

	full = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_fill(full, bo.size, 42);
	part = try_mmap(fd, offset, PAGE_SZ, MAP_SHARED);
	igt_assert(part);
	pattern_check(part, PAGE_SZ, 42);
	munmap(part, PAGE_SZ);
	part = try_mmap(fd, offset, 3 * PAGE_SZ, MAP_SHARED);
	igt_assert(part);
	pattern_check(part, 3 * PAGE_SZ, 42);
	munmap(part, 3 * PAGE_SZ);
	munmap(full, bo.size);
	gem_close(fd, bo.handle);
	close(fd);
}

/* Upstream refuses copy-on-write (MAP_PRIVATE) mappings with EINVAL. */
static void test_mmap_private(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint64_t offset;

	create(fd, &bo, 1024, 4);
	offset = map_offset(fd, bo.handle);
	igt_assert(!try_mmap(fd, offset, bo.size, MAP_PRIVATE));
	igt_assert_eq(errno, EINVAL);
	gem_close(fd, bo.handle);
	close(fd);
}

/*
 * Past the end. The mapping cannot be longer than the object (see
 * mmap-length) and upstream marks it VM_DONTEXPAND, so mremap() cannot grow
 * it either (EFAULT): no address past the end of the object is ever backed
 * by it, and hence upstream never has to raise SIGBUS there. Every byte up
 * to the end is accessible; shrinking the mapping is allowed.
 */
static void test_mmap_past_end(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	volatile uint8_t *ptr;
	void *grown;

	create(fd, &bo, 1024, 2);	/* 2 pages */
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	ptr[bo.size - 1] = 0x5a;
	igt_assert_eq(ptr[bo.size - 1], 0x5a);

	grown = mremap((void *)ptr, bo.size, bo.size + PAGE_SZ, MREMAP_MAYMOVE);
	igt_assert_f(grown == MAP_FAILED, "mremap grew the mapping\n");
	igt_assert_eq(errno, EFAULT);
	grown = mremap((void *)ptr, bo.size, bo.size + PAGE_SZ, 0);
	igt_assert(grown == MAP_FAILED);
	igt_assert_eq(errno, EFAULT);

	grown = mremap((void *)ptr, bo.size, PAGE_SZ, 0);
	igt_assert(grown == (void *)ptr);
	igt_assert_eq(ptr[0], 0);
	munmap((void *)ptr, PAGE_SZ);
	gem_close(fd, bo.handle);
	close(fd);
}

/* A forked child shares the mapping, and keeps the object alive. */
static void test_mmap_fork(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr;
	int status;
	pid_t pid;

	create(fd, &bo, 1024, 16);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_fill(ptr, PAGE_SZ, 1);		/* some pages faulted in, some not */
	gem_close(fd, bo.handle);
	close(fd);

	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		pattern_check(ptr, PAGE_SZ, 1);
		pattern_fill(ptr, bo.size, 0xabc);
		_exit(0);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pattern_check(ptr, bo.size, 0xabc);
	munmap(ptr, bo.size);
}

/* Many pages, many objects: every page lands where it belongs. */
static void test_mmap_many(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo[8];
	uint32_t *ptr[8];
	unsigned int i;

	for (i = 0; i < 8; i++) {
		create(fd, &bo[i], 1024, 1024);	/* 4 MiB each */
		ptr[i] = vgem_mmap(fd, &bo[i], PROT_READ | PROT_WRITE);
		pattern_fill(ptr[i], bo[i].size, i << 24);
	}
	for (i = 0; i < 8; i++) {
		pattern_check(ptr[i], bo[i].size, i << 24);
		munmap(ptr[i], bo[i].size);
		gem_close(fd, bo[i].handle);
	}
	close(fd);
}

/* Unmapping the middle of a mapping leaves two working halves. */
static void test_mmap_split(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint8_t *ptr;

	create(fd, &bo, 1024, 3);	/* 3 pages */
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_fill(ptr, bo.size, 21);
	igt_assert_eq(munmap(ptr + PAGE_SZ, PAGE_SZ), 0);
	gem_close(fd, bo.handle);
	close(fd);
	pattern_check(ptr, PAGE_SZ, 21);
	ptr[2 * PAGE_SZ] ^= 0xff;
	ptr[2 * PAGE_SZ] ^= 0xff;
	pattern_check(ptr + 2 * PAGE_SZ, PAGE_SZ, 21 + (uint32_t)(2 * PAGE_SZ / 4) * PATTERN_STEP);
	munmap(ptr, PAGE_SZ);
	munmap(ptr + 2 * PAGE_SZ, PAGE_SZ);
}

/*
 * A mapping keeps the DRM file, and with it the module, alive: vgem cannot
 * be unloaded until the last mapping is gone, and then it can.
 */
static void test_mapping_holds_module(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr;

	create(fd, &bo, 1024, 4);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	pattern_fill(ptr, bo.size, 3);
	gem_close(fd, bo.handle);
	close(fd);

	igt_assert_eq(igt_module_unload("vgem"), -EAGAIN);
	igt_assert(igt_module_loaded("vgem"));
	pattern_check(ptr, bo.size, 3);
	munmap(ptr, bo.size);

	igt_assert_eq(igt_module_unload("vgem"), 0);
	igt_assert(!igt_module_loaded("vgem"));
	igt_assert_eq(igt_system("modprobe vgem"), 0);
}

static const struct igt_subtest subtests[] = {
	{ "map-offset", test_map_offset },
	{ "map-invalid", test_map_invalid },
	{ "mmap-read-write", test_mmap_read_write },
	{ "mmap-two-mappings", test_mmap_two_mappings },
	{ "mmap-after-close", test_mmap_after_close },
	{ "mmap-revoked", test_mmap_revoked },
	{ "mmap-other-file", test_mmap_other_file },
	{ "mmap-bad-offset", test_mmap_bad_offset },
	{ "mmap-length", test_mmap_length },
	{ "mmap-private", test_mmap_private },
	{ "mmap-past-end", test_mmap_past_end },
	{ "mmap-fork", test_mmap_fork },
	{ "mmap-many", test_mmap_many },
	{ "mmap-split", test_mmap_split },
	{ "mapping-holds-module", test_mapping_holds_module },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
