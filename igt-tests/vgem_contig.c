// SPDX-License-Identifier: MIT
/*
 * vgem_contig: dumb buffers on contiguous memory (a cmctx context), the
 * BO_CREATE and BO_INFO extension ioctls and the dumb_memory policy.
 *
 * Subtests that need contiguous memory skip, saying why, when vgem has no
 * context (a guest booted without movablecore=). Subtests that reload vgem
 * with other parameters reload it plainly (`modprobe vgem`) when done, and
 * every subtest frees what it allocated.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_creds.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_gem.h"
#include "lib/igt_mm.h"
#include "lib/igt_module.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"

#define MiB		(1024ull * 1024)
#define PAGE		4096ull
#define MAX_CARDS	16
#define IGT_VGEM_MMAP	"/usr/libexec/igt-gpu-tools/benchmarks/vgem_mmap"
#define FILL_DIR	"/tmp/vgem-contig-fill"

/* ---- the two ioctls ------------------------------------------------------ */

static void assert_contiguous(int fd, uint32_t handle, uint64_t size)
{
	struct drm_vgem_bo_info info = igt_vgem_bo_info(fd, handle);

	igt_assert_eq(info.backing, VGEM_BACKING_CONTIGUOUS);
	igt_assert_eq(info.extents, 1);
	igt_assert(info.flags & VGEM_BO_INFO_CONTIGUOUS);
	igt_assert_eq(info.size, size);
	igt_assert(info.alignment >= PAGE);
}

/* ---- module and devices --------------------------------------------------- */

/* Reload vgem with @params ("" for the defaults). */
static void reload(const char *params)
{
	igt_vgem_reload_params("%s", params);
}

/* vgem loaded with its defaults, as the other tests expect it. */
static void reload_defaults(void)
{
	reload("");
}

/* Whether vgem's dumb_memory parameter reads @policy. */
static bool dumb_memory_is(const char *policy)
{
	char value[64];

	return igt_module_param_read("vgem", "dumb_memory", value, sizeof(value)) == 0 &&
	       strcmp(value, policy) == 0;
}

/* Open the primary node of the @n-th vgem device (by minor). */
static int open_card(int n)
{
	if (!igt_module_loaded("vgem"))
		reload_defaults();
	return igt_vgem_open_device(n, DRM_NODE_KIND_PRIMARY, NULL);
}

/* Device 0, vgem loaded with the default dumb_memory (what subtests start from). */
static int open_default_card(void)
{
	/* A subtest that failed half-way may have left another policy. */
	if (igt_module_loaded("vgem") && !dumb_memory_is("shmem"))
		reload_defaults();
	return open_card(0);
}

static void *map_bo(int fd, uint32_t handle, uint64_t size)
{
	struct vgem_bo bo = { .handle = handle, .size = size };

	return vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
}

/* ---- figures of the kernel ------------------------------------------------ */

static long minor_faults(void)
{
	struct rusage ru;

	igt_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_minflt;
}

/* Read and write one word of every page; the minor faults it took. */
static long touch_pages(void *ptr, uint64_t size)
{
	volatile uint32_t *word = ptr;
	long before = minor_faults();
	uint64_t i;

	for (i = 0; i < size / 4; i += PAGE / 4) {
		uint32_t v = word[i];

		word[i] = v + 1;
	}
	return minor_faults() - before;
}

/* ---- subtests ------------------------------------------------------------- */

/* A contiguous buffer is one extent; BO_CREATE and BO_INFO work on render nodes. */
static void test_create_contiguous(void)
{
	int fd = open_default_card(), render;
	struct drm_vgem_bo_create arg;
	struct drm_vgem_bo_info info;
	uint32_t handle;

	igt_vgem_require_contiguous(fd);
	handle = igt_vgem_create_mib(fd, 4, VGEM_BO_CONTIGUOUS);
	assert_contiguous(fd, handle, 4 * MiB);
	info = igt_vgem_bo_info(fd, handle);
	igt_assert_eq(info.flags, VGEM_BO_INFO_CONTIGUOUS);
	igt_assert_eq(info.pad, 0);
	gem_close(fd, handle);

	/* Odd sizes are rounded up to pages, as CREATE_DUMB does. */
	arg = (struct drm_vgem_bo_create){ .width = 3, .height = 5, .bpp = 24,
					   .flags = VGEM_BO_CONTIGUOUS };
	igt_assert_eq(__igt_vgem_bo_create(fd, &arg), 0);
	igt_assert_eq(arg.pitch, 9);
	igt_assert_eq(arg.size, PAGE);
	assert_contiguous(fd, arg.handle, PAGE);
	gem_close(fd, arg.handle);

	/* Shmem on request; its extents are known only while pinned. */
	handle = igt_vgem_create_mib(fd, 1, VGEM_BO_SHMEM);
	info = igt_vgem_bo_info(fd, handle);
	igt_assert_eq(info.backing, VGEM_BACKING_SHMEM);
	igt_assert_eq(info.extents, 0);
	igt_assert_eq(info.alignment, 0);
	igt_assert(!(info.flags & VGEM_BO_INFO_CONTIGUOUS));
	gem_close(fd, handle);

	render = drm_open_by_name("vgem", DRM_NODE_KIND_RENDER, NULL);
	igt_assert(render >= 0);
	handle = igt_vgem_create_mib(render, 2, VGEM_BO_CONTIGUOUS);
	assert_contiguous(render, handle, 2 * MiB);
	gem_close(render, handle);
	close(render);
	close(fd);
}

/* Alignments asked for are reported; bad ones are refused. */
static void test_alignment(void)
{
	static const uint64_t good[] = { PAGE, 64 * 1024, MiB, 2 * MiB, 16 * MiB };
	static const uint64_t bad[] = { 1, 2048, 3 * PAGE, 6 * MiB, 512 * MiB,
					1ull << 40, ~0ull };
	struct drm_vgem_bo_create arg;
	int fd = open_default_card();
	unsigned int i;

	igt_vgem_require_contiguous(fd);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct drm_vgem_bo_info info;

		igt_assert_eq(__igt_vgem_create_mib(fd, 1, VGEM_BO_CONTIGUOUS, good[i], &arg), 0);
		info = igt_vgem_bo_info(fd, arg.handle);
		igt_info("alignment %llu: reported %llu\n",
			 (unsigned long long)good[i], (unsigned long long)info.alignment);
		igt_assert_eq(info.alignment, good[i]);
		igt_assert_eq(info.extents, 1);
		gem_close(fd, arg.handle);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		igt_assert_eq(__igt_vgem_create_mib(fd, 1, VGEM_BO_CONTIGUOUS, bad[i], &arg),
			      -EINVAL);
	/* An alignment needs a contiguous request. */
	igt_assert_eq(__igt_vgem_create_mib(fd, 1, 0, MiB, &arg), -EINVAL);
	igt_assert_eq(__igt_vgem_create_mib(fd, 1, VGEM_BO_SHMEM, MiB, &arg), -EINVAL);
	close(fd);
}

/* Every invalid field of both ioctls; needs no contiguous memory. */
static void test_invalid_fields(void)
{
	static const uint32_t bad_flags[] = {
		1u << 4, 1u << 31, VGEM_BO_CONTIGUOUS | VGEM_BO_SHMEM,
		VGEM_BO_CACHED | VGEM_BO_CONTIGUOUS | VGEM_BO_SHMEM,
		VGEM_BO_FALLBACK, VGEM_BO_FALLBACK | VGEM_BO_SHMEM,
		VGEM_BO_CONTIGUOUS | VGEM_BO_SHMEM | VGEM_BO_FALLBACK,
	};
	static const struct { uint32_t w, h, bpp; } bad_sizes[] = {
		{ 0, 64, 32 }, { 64, 0, 32 }, { 64, 64, 0 },
		{ 64, 64, 0xfffffff8 }, { 0xffffffff, 0xffffffff, 32 },
		{ 0x40000000, 2, 32 }, { 65536, 65536, 8 }, { 0xffffffff, 1, 8 },
	};
	struct drm_vgem_bo_create arg;
	struct drm_vgem_bo_info info;
	uint32_t handle;
	int fd = open_default_card();
	unsigned int i;

	igt_require_f(__igt_vgem_bo_info(fd, 0, &info) == -ENOENT,
		      "the driver has no BO_INFO ioctl (upstream vgem?)\n");
	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++)
		igt_assert_eq(__igt_vgem_create_mib(fd, 1, bad_flags[i], 0, &arg), -EINVAL);

	arg = (struct drm_vgem_bo_create){ .width = 64, .height = 64, .bpp = 32,
					   .pad = 1 };
	igt_assert_eq(__igt_vgem_bo_create(fd, &arg), -EINVAL);
	arg.pad = 1ull << 63;
	igt_assert_eq(__igt_vgem_bo_create(fd, &arg), -EINVAL);

	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		arg = (struct drm_vgem_bo_create){
			.width = bad_sizes[i].w, .height = bad_sizes[i].h,
			.bpp = bad_sizes[i].bpp, .flags = VGEM_BO_SHMEM,
		};
		igt_assert_eq(__igt_vgem_bo_create(fd, &arg), -EINVAL);
	}
	/* The largest size CREATE_DUMB accepts is accepted too (not allocated). */
	arg = (struct drm_vgem_bo_create){ .width = 1024, .height = 1024, .bpp = 32,
					   .flags = VGEM_BO_SHMEM,
					   .handle = 77, .pitch = 5, .size = 9 };
	igt_assert_eq(__igt_vgem_bo_create(fd, &arg), 0);	/* outputs' inputs ignored */
	igt_assert_eq(arg.size, 4 * MiB);
	handle = arg.handle;

	igt_assert_eq(__igt_vgem_bo_info(fd, 0, &info), -ENOENT);
	igt_assert_eq(__igt_vgem_bo_info(fd, handle + 1000, &info), -ENOENT);
	info = (struct drm_vgem_bo_info){ .handle = handle, .pad = 1 };
	igt_assert(ioctl(fd, DRM_IOCTL_VGEM_BO_INFO, &info) && errno == EINVAL);
	/* Output fields may hold anything on input. */
	info = (struct drm_vgem_bo_info){ .handle = handle, .flags = ~0u,
					  .size = 1, .backing = 7, .extents = 9,
					  .alignment = 3 };
	igt_assert_eq(ioctl(fd, DRM_IOCTL_VGEM_BO_INFO, &info), 0);
	igt_assert_eq(info.flags, 0);
	igt_assert_eq(info.backing, VGEM_BACKING_SHMEM);
	igt_assert_eq(info.alignment, 0);
	gem_close(fd, handle);
	igt_assert_eq(__igt_vgem_bo_info(fd, handle, &info), -ENOENT);
	close(fd);
}

/* New contiguous buffers are zero, even where an old one was written. */
static void test_contents_zeroed(void)
{
	int fd = open_default_card(), round;

	igt_vgem_require_contiguous(fd);
	for (round = 0; round < 3; round++) {
		uint32_t handle = igt_vgem_create_mib(fd, 8, VGEM_BO_CONTIGUOUS);
		uint64_t *ptr = map_bo(fd, handle, 8 * MiB);
		uint64_t i;

		for (i = 0; i < 8 * MiB / 8; i++)
			igt_assert_f(!ptr[i], "round %d: word %llu is 0x%llx\n", round,
				     (unsigned long long)i, (unsigned long long)ptr[i]);
		memset(ptr, 0xa5, 8 * MiB);
		munmap(ptr, 8 * MiB);
		gem_close(fd, handle);
	}
	close(fd);
}

/* What is written through one mapping is read through the others. */
static void test_mmap_pattern(void)
{
	int fd = open_default_card(), dmabuf;
	uint64_t size = 4 * MiB;
	uint32_t handle;
	char *a, *b, *c;

	igt_vgem_require_contiguous(fd);
	handle = igt_vgem_create_mib(fd, 4, VGEM_BO_CONTIGUOUS);
	a = map_bo(fd, handle, size);
	pattern_fill(a, size, 0x1234);

	b = map_bo(fd, handle, size);
	pattern_check(b, size, 0x1234);

	/* Through the dma-buf, at a page offset. */
	dmabuf = prime_handle_to_fd(fd, handle);
	c = mmap(NULL, size - 16 * PAGE, PROT_READ, MAP_SHARED, dmabuf, 16 * PAGE);
	igt_assert(c != MAP_FAILED);
	pattern_check(c, size - 16 * PAGE,
		      0x1234 + (uint32_t)(16 * PAGE / 4) * PATTERN_STEP);
	igt_assert(igt_vgem_bo_info(fd, handle).flags & VGEM_BO_INFO_EXPORTED);

	pattern_fill(b, size, 0x9876);
	pattern_check(a, size, 0x9876);
	munmap(c, size - 16 * PAGE);
	munmap(b, size);
	munmap(a, size);
	close(dmabuf);
	gem_close(fd, handle);
	close(fd);
}

/* A contiguous mapping is set up at mmap time: touching it takes <= 1 fault. */
static void test_fault_count(void)
{
	int fd = open_default_card(), dmabuf;
	uint64_t size = 16 * MiB;
	long faults, shmem_faults;
	uint32_t handle;
	void *ptr;

	igt_vgem_require_contiguous(fd);
	handle = igt_vgem_create_mib(fd, 16, VGEM_BO_CONTIGUOUS);
	ptr = map_bo(fd, handle, size);
	faults = touch_pages(ptr, size);
	munmap(ptr, size);
	igt_info("16 MiB contiguous, DRM fd mapping: %ld minor faults for %llu pages\n",
		 faults, size / PAGE);
	igt_assert_f(faults <= 1, "%ld faults\n", faults);

	dmabuf = prime_handle_to_fd(fd, handle);
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	faults = touch_pages(ptr, size);
	munmap(ptr, size);
	close(dmabuf);
	igt_info("16 MiB contiguous, dma-buf mapping: %ld minor faults\n", faults);
	igt_assert_f(faults <= 1, "%ld faults\n", faults);
	gem_close(fd, handle);

	/* For comparison only: shmem maps on the first fault. */
	handle = igt_vgem_create_mib(fd, 16, VGEM_BO_SHMEM);
	ptr = map_bo(fd, handle, size);
	shmem_faults = touch_pages(ptr, size);
	munmap(ptr, size);
	gem_close(fd, handle);
	igt_info("16 MiB shmem, DRM fd mapping: %ld minor faults\n", shmem_faults);
	close(fd);
}

/*
 * No page of a contiguous buffer outlives the buffer: its mapping is
 * VM_PFNMAP, so vmsplice() cannot put a reference to a page in a pipe
 * (EFAULT). Freeing the buffer then leaves no page held by somebody else
 * (the context's held_at_free does not grow), and the next buffer, which
 * first fit puts where the freed one was, is zero. (Until mappings were
 * VM_PFNMAP, the spliced page stayed in the pipe; vgem_gup covers the
 * other ways of pinning a mapping.)
 */
static void test_vmsplice_refused(void)
{
	int fd = open_default_card(), pipefd[2];
	long held_before;
	uint32_t handle;
	struct iovec iov;
	char *ptr;
	uint64_t i;

	igt_vgem_require_contiguous(fd);
	held_before = igt_vgem_context_figure("held_at_free");
	handle = igt_vgem_create_mib(fd, 1, VGEM_BO_CONTIGUOUS);
	ptr = map_bo(fd, handle, MiB);
	memset(ptr, 0x5a, MiB);
	igt_assert_eq(pipe2(pipefd, O_CLOEXEC | O_NONBLOCK), 0);
	iov.iov_base = ptr;
	iov.iov_len = PAGE;
	igt_assert_eq(vmsplice(pipefd[1], &iov, 1, SPLICE_F_NONBLOCK), -1);
	igt_assert_eq(errno, EFAULT);

	/* Freed while the pipe is open: it holds nothing of the buffer. */
	munmap(ptr, MiB);
	gem_close(fd, handle);
	igt_info("held_at_free: %ld before, %ld after the free\n", held_before,
		 igt_vgem_context_figure("held_at_free"));
	igt_assert_eq(igt_vgem_context_figure("held_at_free"), held_before);
	close(pipefd[0]);
	close(pipefd[1]);

	handle = igt_vgem_create_mib(fd, 1, VGEM_BO_CONTIGUOUS);
	ptr = map_bo(fd, handle, MiB);
	for (i = 0; i < MiB; i++)
		igt_assert_f(!ptr[i], "byte %llu of the next buffer is 0x%x\n",
			     (unsigned long long)i, (unsigned char)ptr[i]);
	munmap(ptr, MiB);
	gem_close(fd, handle);
	close(fd);
}

/*
 * Which pages are physically adjacent is told only to CAP_SYS_ADMIN, or
 * where the buffer's creator chose it: in a child without CAP_SYS_ADMIN,
 * BO_INFO gives 0 extents for the pinned shmem buffer @shmem of @fa and
 * for the imports in @fb of it (@shmem_import) and of the contiguous
 * buffer @contig (@contig_import, which then has no CONTIGUOUS flag either,
 * though it has one extent), but still one extent and the asked-for
 * alignment for @contig itself. Regression: extents and CONTIGUOUS went to
 * anybody.
 */
static void assert_layout_private(int fa, int fb, uint32_t contig,
				  uint32_t shmem, uint32_t contig_import,
				  uint32_t shmem_import)
{
	struct drm_vgem_bo_info info;
	int status;
	pid_t pid;

	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		igt_drop_capability(CAP_SYS_ADMIN);
		info = igt_vgem_bo_info(fa, shmem);
		igt_assert_eq(info.backing, VGEM_BACKING_SHMEM);
		igt_assert_eq(info.extents, 0);
		info = igt_vgem_bo_info(fb, shmem_import);
		igt_assert_eq(info.backing, VGEM_BACKING_IMPORT);
		igt_assert_eq(info.extents, 0);
		info = igt_vgem_bo_info(fb, contig_import);
		igt_assert_eq(info.backing, VGEM_BACKING_IMPORT);
		igt_assert_eq(info.extents, 0);
		igt_assert(!(info.flags & VGEM_BO_INFO_CONTIGUOUS));
		assert_contiguous(fa, contig, 8 * MiB);
		igt_assert_eq(igt_vgem_bo_info(fa, contig).alignment, PAGE);
		_exit(IGT_EXIT_SUCCESS);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == IGT_EXIT_SUCCESS,
		     "without CAP_SYS_ADMIN, BO_INFO told the physical layout (see above)\n");
}

/* An importer (a second vgem device) sees one scatter-list entry. */
static void test_import_single_sg(void)
{
	uint32_t handle, imported, contig_import, shmem;
	struct drm_vgem_bo_info info;
	int fa, fb, dmabuf;
	uint32_t *ptr;

	fa = open_default_card();
	igt_vgem_require_contiguous(fa);
	close(fa);
	reload("num_devices=2");
	fa = open_card(0);
	fb = open_card(1);

	handle = igt_vgem_create_mib(fa, 8, VGEM_BO_CONTIGUOUS);
	ptr = map_bo(fa, handle, 8 * MiB);
	ptr[12345] = 0xc0ffee;
	munmap(ptr, 8 * MiB);
	dmabuf = prime_handle_to_fd(fa, handle);
	imported = prime_fd_to_handle(fb, dmabuf);
	close(dmabuf);

	info = igt_vgem_bo_info(fb, imported);
	igt_info("import of an 8 MiB contiguous buffer: %u extent(s)\n", info.extents);
	igt_assert_eq(info.backing, VGEM_BACKING_IMPORT);
	igt_assert(info.flags & VGEM_BO_INFO_IMPORTED);
	igt_assert_eq(info.extents, 1);
	igt_assert(info.flags & VGEM_BO_INFO_CONTIGUOUS);
	igt_assert_eq(info.size, 8 * MiB);
	ptr = map_bo(fb, imported, 8 * MiB);
	igt_assert_eq(ptr[12345], 0xc0ffee);
	munmap(ptr, 8 * MiB);

	/* The exporter's side: exported, and pinned by the attachment. */
	info = igt_vgem_bo_info(fa, handle);
	igt_assert(info.flags & VGEM_BO_INFO_EXPORTED);
	igt_assert_eq(info.extents, 1);

	/* For comparison: a shmem buffer's import, whatever its extents. */
	contig_import = imported;
	shmem = igt_vgem_create_mib(fa, 8, VGEM_BO_SHMEM);
	dmabuf = prime_handle_to_fd(fa, shmem);
	imported = prime_fd_to_handle(fb, dmabuf);
	close(dmabuf);
	info = igt_vgem_bo_info(fb, imported);
	igt_info("import of an 8 MiB shmem buffer: %u extent(s); exporter pinned: %u\n",
		 info.extents, igt_vgem_bo_info(fa, shmem).extents);
	igt_assert(info.extents >= 1);
	igt_assert_eq(igt_vgem_bo_info(fa, shmem).extents >= 1, 1);

	assert_layout_private(fa, fb, handle, shmem, contig_import, imported);
	close(fb);
	close(fa);
	reload_defaults();
}

/* Allocate until the context is full: -ENOMEM, or shmem with FALLBACK. */
static void test_exhaustion(void)
{
	enum { CHUNK_MIB = 32, MAX_BOS = 32 };
	uint32_t handles[MAX_BOS], handle;
	struct drm_vgem_bo_create arg;
	long used_before, failures_before;
	int fd = open_default_card(), count = 0, ret, i;

	igt_vgem_require_contiguous(fd);
	used_before = igt_vgem_context_figure("used_pages");
	failures_before = igt_vgem_context_figure("alloc_failures");

	while (count < MAX_BOS) {
		ret = __igt_vgem_create_mib(fd, CHUNK_MIB, VGEM_BO_CONTIGUOUS, 0, &arg);
		if (ret)
			break;
		assert_contiguous(fd, arg.handle, CHUNK_MIB * MiB);
		handles[count++] = arg.handle;
	}
	igt_info("%d contiguous buffers of %d MiB, then %s; context: %ld pages used, %ld free\n",
		 count, CHUNK_MIB, strerror(-ret), igt_vgem_context_figure("used_pages"),
		 igt_vgem_context_figure("free_pages"));
	igt_assert_f(count < MAX_BOS, "%d buffers of %d MiB and not full\n", count,
		     CHUNK_MIB);
	igt_assert_eq(ret, -ENOMEM);
	igt_assert(count >= 1);
	igt_assert(igt_vgem_context_figure("alloc_failures") > failures_before);

	/* With FALLBACK, shmem instead. */
	igt_assert_eq(__igt_vgem_create_mib(fd, CHUNK_MIB, VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK,
				   0, &arg), 0);
	igt_assert_eq(igt_vgem_bo_info(fd, arg.handle).backing, VGEM_BACKING_SHMEM);
	gem_close(fd, arg.handle);

	for (i = 0; i < count; i++)
		gem_close(fd, handles[i]);
	igt_assert_eq(igt_vgem_context_figure("used_pages"), used_before);

	/* The room is back. */
	handle = igt_vgem_create_mib(fd, CHUNK_MIB, VGEM_BO_CONTIGUOUS);
	gem_close(fd, handle);
	igt_assert_eq(igt_vgem_context_figure("used_pages"), used_before);
	close(fd);
}

/* Freeing a 64 MiB buffer gives ZONE_MOVABLE its pages back. */
static void test_memory_returned(void)
{
	/* 4 MiB: what other activity of the guest moved, measured < 1 MiB. */
	const long slack = 1024, pages = 64 * MiB / PAGE;
	long before, during, after;
	int fd = open_default_card();
	uint32_t handle;

	igt_vgem_require_contiguous(fd);
	before = igt_movable_zone_free();
	igt_require_f(before >= 0, "no ZONE_MOVABLE in /proc/zoneinfo\n");
	handle = igt_vgem_create_mib(fd, 64, VGEM_BO_CONTIGUOUS);
	during = igt_movable_zone_free();
	gem_close(fd, handle);
	after = igt_movable_zone_free();
	igt_info("Movable free pages: %ld before, %ld with a 64 MiB buffer, %ld after\n",
		 before, during, after);
	igt_assert_f(during <= before - pages + slack,
		     "the buffer took %ld pages of the zone\n", before - during);
	igt_assert_f(after >= before - slack, "%ld pages not returned\n",
		     before - after);
	close(fd);
}

/* Fill the movable zone with page cache (tmpfs); how many MiB it took. */
static unsigned int fill_movable(long target_free)
{
	static char buf[MiB];
	unsigned int files = 0, i;
	char path[PATH_MAX];

	memset(buf, 0x5a, sizeof(buf));
	igt_assert_eq(igt_system("mkdir -p " FILL_DIR " && mount -t tmpfs -o size=1200M "
				 "vgem-contig-fill " FILL_DIR), 0);
	/* 8 MiB files up to 1 GiB, until the zone is nearly full. */
	while (files < 128 && igt_movable_zone("pages free") > target_free) {
		int f;

		snprintf(path, sizeof(path), FILL_DIR "/%u", files++);
		f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		igt_assert(f >= 0);
		for (i = 0; i < 8; i++)
			igt_assert_eq(write(f, buf, sizeof(buf)), (long)sizeof(buf));
		close(f);
	}
	return files * 8;
}

static void unfill_movable(void)
{
	igt_system("umount " FILL_DIR " 2>/dev/null; rmdir " FILL_DIR " 2>/dev/null");
}

/* A 64 MiB buffer is contiguous even when page cache filled the zone. */
static void test_after_page_cache(void)
{
	const long low = 16 * MiB / PAGE;
	long before, filled, during, after;
	unsigned int written;
	uint32_t handle;
	uint64_t *ptr, i;
	int fd = open_default_card();

	igt_vgem_require_contiguous(fd);
	before = igt_movable_zone("pages free");
	igt_require_f(before >= 0, "no ZONE_MOVABLE in /proc/zoneinfo\n");
	written = fill_movable(low);
	filled = igt_movable_zone("pages free");
	igt_info("Movable free pages: %ld before, %ld after writing %u MiB to tmpfs\n",
		 before, filled, written);
	if (filled > low) {
		unfill_movable();
		igt_skip("could not fill the movable zone (%ld pages free)\n", filled);
	}

	handle = igt_vgem_create_mib(fd, 64, VGEM_BO_CONTIGUOUS);
	assert_contiguous(fd, handle, 64 * MiB);
	during = igt_movable_zone("pages free");
	ptr = map_bo(fd, handle, 64 * MiB);
	for (i = 0; i < 64 * MiB / 8; i++)
		igt_assert_f(!ptr[i], "word %llu is 0x%llx (page cache leaked?)\n",
			     (unsigned long long)i, (unsigned long long)ptr[i]);
	munmap(ptr, 64 * MiB);
	gem_close(fd, handle);
	unfill_movable();
	after = igt_movable_zone("pages free");
	igt_info("Movable free pages: %ld with the buffer, %ld after freeing it and the files\n",
		 during, after);
	igt_assert_eq(igt_vgem_context_figure("used_pages"), 0);
	close(fd);
}

/* The minor faults of @argv (wait4's rusage); its exit status. */
static int run_counting_faults(char *const argv[], long *minflt)
{
	struct rusage ru;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	igt_assert_eq(wait4(pid, &status, 0, &ru), pid);
	*minflt = ru.ru_minflt;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Path of a benchmark helper built next to this test. */
static void helper_path(char *path, size_t size, const char *name)
{
	char self[PATH_MAX - 64];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	igt_assert(len > 0);
	self[len] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(path, size, "%s/benchmarks/%s", self, name);
}

/* vgem_map_faults on CREATE_DUMB buffers: the read pass's faults per mapping. */
static double map_faults_per_mapping(void)
{
	char path[PATH_MAX], cmd[PATH_MAX + 64], out[512];
	double faults = -1;
	FILE *p;

	helper_path(path, sizeof(path), "vgem_map_faults");
	snprintf(cmd, sizeof(cmd), "%s -s 4 -c 1 -r 5", path);
	p = popen(cmd, "r");
	igt_assert(p);
	while (fgets(out, sizeof(out), p)) {
		const char *at = strstr(out, "read_faults=");

		igt_info("vgem_map_faults: %s", out);
		if (at)
			faults = strtod(at + strlen("read_faults="), NULL);
	}
	igt_assert_eq(pclose(p), 0);
	igt_assert_f(faults >= 0, "no read_faults in vgem_map_faults' output\n");
	return faults;
}

/* dumb_memory decides what CREATE_DUMB gives; BO_CREATE's flags override it. */
static void test_module_param(void)
{
	struct drm_mode_create_dumb dumb = { .width = 1024, .height = 256, .bpp = 32 };
	char *vgem_mmap[] = { IGT_VGEM_MMAP, "-d", "fault", "-r", "1", NULL };
	char map_faults[PATH_MAX];
	uint32_t handle;
	long minflt;
	int fd, ret;

	fd = open_default_card();
	igt_vgem_require_contiguous(fd);
	close(fd);
	helper_path(map_faults, sizeof(map_faults), "vgem_map_faults");
	igt_require_f(access(map_faults, X_OK) == 0, "no %s\n", map_faults);
	igt_require_f(access(IGT_VGEM_MMAP, X_OK) == 0, "no %s (intel-gpu-tools)\n",
		      IGT_VGEM_MMAP);

	igt_system("modprobe -r vgem 2>/dev/null");
	igt_assert(igt_system("modprobe vgem dumb_memory=bogus 2>/dev/null") != 0);
	igt_assert(!igt_module_loaded("vgem"));

	reload("dumb_memory=contiguous");
	fd = open_card(0);
	igt_assert_eq(ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
	assert_contiguous(fd, dumb.handle, MiB);
	gem_close(fd, dumb.handle);
	handle = igt_vgem_create_mib(fd, 1, 0);
	igt_assert_eq(igt_vgem_bo_info(fd, handle).backing, VGEM_BACKING_CONTIGUOUS);
	gem_close(fd, handle);
	handle = igt_vgem_create_mib(fd, 1, VGEM_BO_SHMEM);
	igt_assert_eq(igt_vgem_bo_info(fd, handle).backing, VGEM_BACKING_SHMEM);
	gem_close(fd, handle);
	close(fd);

	igt_assert_f(map_faults_per_mapping() <= 1.0,
		     "more than one fault per mapping of a contiguous dumb buffer\n");
	ret = run_counting_faults(vgem_mmap, &minflt);
	igt_info("IGT vgem_mmap -d fault -r 1 on contiguous dumb buffers: "
		 "exit %d, %ld minor faults in all\n", ret, minflt);
	igt_assert_eq(ret, 0);

	/* No such context: contiguous fails, or falls back as the policy says. */
	reload("dumb_memory=contiguous cma_context=no-such-context");
	fd = open_card(0);
	dumb.handle = 0;
	igt_assert(ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb) && errno == ENODEV);
	igt_assert_eq(__igt_vgem_create_mib(fd, 1, 0, 0, &(struct drm_vgem_bo_create){ 0 }),
		      -ENODEV);
	close(fd);

	reload("dumb_memory=contiguous-or-shmem cma_context=no-such-context");
	fd = open_card(0);
	igt_assert_eq(ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
	igt_assert_eq(igt_vgem_bo_info(fd, dumb.handle).backing, VGEM_BACKING_SHMEM);
	gem_close(fd, dumb.handle);
	close(fd);

	reload_defaults();
	fd = open_card(0);
	igt_assert_eq(ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
	igt_assert_eq(igt_vgem_bo_info(fd, dumb.handle).backing, VGEM_BACKING_SHMEM);
	gem_close(fd, dumb.handle);
	close(fd);
}

/* After everything is closed, the context is empty and vgem unloads. */
static void test_unload_freed(void)
{
	uint32_t handles[4];
	int fd = open_default_card(), dmabuf, i;
	void *ptr;

	igt_vgem_require_contiguous(fd);
	for (i = 0; i < 4; i++)
		handles[i] = igt_vgem_create_mib(fd, 4, VGEM_BO_CONTIGUOUS);
	ptr = map_bo(fd, handles[0], 4 * MiB);
	dmabuf = prime_handle_to_fd(fd, handles[1]);
	igt_assert_eq(igt_vgem_context_figure("chunks"), 4);
	for (i = 0; i < 4; i++)
		gem_close(fd, handles[i]);
	close(fd);

	/* The mapping and the dma-buf keep their objects and the module. */
	igt_assert_eq(igt_vgem_context_figure("chunks"), 2);
	igt_assert(igt_system("rmmod vgem 2>/dev/null") != 0);
	munmap(ptr, 4 * MiB);
	close(dmabuf);

	igt_assert_eq(igt_vgem_context_figure("chunks"), 0);
	igt_assert_eq(igt_vgem_context_figure("used_pages"), 0);
	igt_assert_eq(igt_vgem_context_figure("misuse"), 0);
	igt_assert_eq(igt_system("rmmod vgem"), 0);
	/* cmctx stays loaded (rmmod touches no dependency): still empty. */
	igt_assert_eq(igt_vgem_context_figure("chunks"), 0);
	igt_assert_eq(igt_vgem_context_figure("used_pages"), 0);
	reload_defaults();
}

static const struct igt_subtest subtests[] = {
	{ "create-contiguous", test_create_contiguous },
	{ "alignment", test_alignment },
	{ "invalid-fields", test_invalid_fields },
	{ "contents-zeroed", test_contents_zeroed },
	{ "mmap-pattern", test_mmap_pattern },
	{ "fault-count", test_fault_count },
	{ "vmsplice-refused", test_vmsplice_refused },
	{ "import-single-sg", test_import_single_sg },
	{ "exhaustion", test_exhaustion },
	{ "memory-returned", test_memory_returned },
	{ "after-page-cache", test_after_page_cache },
	{ "module-param", test_module_param },
	{ "unload-freed", test_unload_freed },
};

int main(int argc, char **argv)
{
	/* Every subtest reads debugfs. */
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     &igt_debugfs_fixture, 1);
}
