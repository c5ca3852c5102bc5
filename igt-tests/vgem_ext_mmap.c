// SPDX-License-Identifier: MIT
/*
 * vgem_ext_mmap: what our mappings do better than upstream's. Upstream vgem
 * takes one page fault per page of a mapping; ours maps the whole vma on
 * its first fault. Counted with getrusage(ru_minflt) around touching every
 * page of a 4 MiB object, through the DRM fd and through the dma-buf, for
 * reads, writes, backwards walks, forked children and partial unmaps.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_gem.h"

#define PAGE_SZ		4096ul
#define OBJ_SIZE	(4ul << 20)
#define OBJ_PAGES	(OBJ_SIZE / PAGE_SZ)
/* One fault maps the vma; allow a little noise (stack, page tables). */
#define MAX_FAULTS	4

static long minflt(void)
{
	struct rusage ru;

	igt_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_minflt;
}

static void create_4m(int fd, struct vgem_bo *bo)
{
	*bo = (struct vgem_bo){ .width = 1024, .height = 1024, .bpp = 32 };
	vgem_create(fd, bo);
	igt_assert_eq(bo->size, OBJ_SIZE);
}

/* Touch every page of @ptr in order (or backwards); the fault count. */
static long touch_pages(volatile uint32_t *ptr, size_t pages, bool write,
			bool backwards)
{
	long before = minflt();
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < pages; i++) {
		size_t page = backwards ? pages - 1 - i : i;
		volatile uint32_t *word = ptr + page * (PAGE_SZ / 4);

		if (write)
			*word = (uint32_t)page;
		else
			sum += *word;
	}
	(void)sum;
	return minflt() - before;
}

static void check_faults(long faults, size_t pages, const char *what)
{
	igt_info("%s: %ld minor faults for %zu pages (upstream vgem: one per page)\n",
		 what, faults, pages);
	igt_assert_f(faults <= MAX_FAULTS, "%s took %ld faults for %zu pages\n",
		     what, faults, pages);
}

static void fault_test(bool write, bool backwards, const char *what)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr;

	create_4m(fd, &bo);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	check_faults(touch_pages(ptr, OBJ_PAGES, write, backwards), OBJ_PAGES, what);
	igt_assert_eq(munmap(ptr, bo.size), 0);
	close(fd);
}

static void test_faults_write(void)
{
	fault_test(true, false, "write");
}

static void test_faults_read(void)
{
	fault_test(false, false, "read");
}

static void test_faults_backwards(void)
{
	fault_test(true, true, "write backwards");
}

/* The mapping of the dma-buf is the same kind of vma. */
static void test_faults_dmabuf(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr;
	int dmabuf;

	create_4m(fd, &bo);
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	ptr = mmap(NULL, bo.size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	check_faults(touch_pages(ptr, OBJ_PAGES, true, false), OBJ_PAGES, "dma-buf write");
	igt_assert_eq(munmap(ptr, bo.size), 0);
	close(dmabuf);
	close(fd);
}

/* A dma-buf mapping at an offset sees the right pages, in one fault. */
static void test_dmabuf_offset(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	size_t off_pages = 16, pages = OBJ_PAGES - off_pages;
	struct vgem_bo bo;
	uint32_t *all, *part;
	int dmabuf;
	size_t i;

	create_4m(fd, &bo);
	all = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	for (i = 0; i < OBJ_PAGES; i++)
		all[i * (PAGE_SZ / 4)] = (uint32_t)i;

	dmabuf = prime_handle_to_fd(fd, bo.handle);
	part = mmap(NULL, pages * PAGE_SZ, PROT_READ, MAP_SHARED, dmabuf,
		    (off_t)(off_pages * PAGE_SZ));
	igt_assert(part != MAP_FAILED);
	check_faults(touch_pages(part, pages, false, false), pages, "dma-buf at an offset");
	for (i = 0; i < pages; i++)
		igt_assert_eq(part[i * (PAGE_SZ / 4)], off_pages + i);

	munmap(part, pages * PAGE_SZ);
	munmap(all, bo.size);
	close(dmabuf);
	close(fd);
}

/*
 * After a partial munmap, what is left still works. The page table entries
 * cannot be dropped to see them refault: the vma is VM_PFNMAP, as
 * upstream's, and MADV_DONTNEED refuses those with EINVAL.
 */
static void test_partial_unmap(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	size_t half = OBJ_PAGES / 2;
	struct vgem_bo bo;
	uint32_t *ptr, *upper;

	create_4m(fd, &bo);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	touch_pages(ptr, OBJ_PAGES, true, false);
	igt_assert_eq(munmap(ptr, half * PAGE_SZ), 0);
	gem_close(fd, bo.handle);

	upper = ptr + half * (PAGE_SZ / 4);
	for (size_t i = 0; i < OBJ_PAGES - half; i++)
		igt_assert_eq(upper[i * (PAGE_SZ / 4)], half + i);

	igt_assert_eq(madvise(upper, (OBJ_PAGES - half) * PAGE_SZ, MADV_DONTNEED), -1);
	igt_assert_eq(errno, EINVAL);
	check_faults(touch_pages(upper, OBJ_PAGES - half, false, false),
		     OBJ_PAGES - half, "upper half after the partial munmap");

	igt_assert_eq(munmap(upper, (OBJ_PAGES - half) * PAGE_SZ), 0);
	close(fd);
}

/* A forked child shares the pages and writes through them. */
static void test_fork_shares(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo bo;
	uint32_t *ptr;
	int status;
	pid_t pid;

	create_4m(fd, &bo);
	ptr = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	ptr[0] = 1;
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		long faults = touch_pages(ptr, OBJ_PAGES, true, false);

		_exit(faults <= MAX_FAULTS && ptr[0] == 0 ? 0 : 1);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (size_t i = 0; i < OBJ_PAGES; i++)
		igt_assert_eq(ptr[i * (PAGE_SZ / 4)], i);
	munmap(ptr, bo.size);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "faults-write", test_faults_write },
	{ "faults-read", test_faults_read },
	{ "faults-backwards", test_faults_backwards },
	{ "faults-dmabuf", test_faults_dmabuf },
	{ "dmabuf-offset", test_dmabuf_offset },
	{ "partial-unmap", test_partial_unmap },
	{ "fork-shares", test_fork_shares },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
