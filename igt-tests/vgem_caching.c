// SPDX-License-Identifier: MIT
/*
 * vgem_caching: how the CPU sees vgem's buffers.
 *
 * A buffer's user-space mappings are write-combined, as upstream vgem's,
 * unless it was created with VGEM_BO_CACHED: then they are write-back and
 * the user brackets CPU access with DMA_BUF_IOCTL_SYNC. Checked here:
 *   page-tables-*    the caching bits of the page table entries of every
 *                    kind of mapping (shmem or contiguous buffer, through
 *                    the DRM fd or the dma-buf), read in the kernel's page
 *                    table dump (debugfs, CONFIG_PTDUMP_DEBUGFS: the debug
 *                    kernel has it, Debian's has not and skips). On x86 a
 *                    write-combined entry has PWT and neither PCD nor PAT
 *                    (Linux's PAT index 1), a write-back one none of them;
 *   bo-create-*      VGEM_BO_CACHED combines with every memory flag and
 *                    BO_INFO reports VGEM_BO_INFO_CACHED for those only;
 *   sync-coherent-*  the sync ioctl succeeds on cached buffers and data
 *                    written between its brackets is what a second device's
 *                    import and a write-combined buffer see;
 *   madvise-*        MADV_DONTNEED is refused on every mapping (VM_PFNMAP,
 *                    as upstream's) and the data stays.
 * Contiguous subtests skip, saying why, without contiguous memory (a guest
 * booted without movablecore=).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-buf.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"

#define PAGE_SZ		4096ul
#define BUF_SIZE	(1ul << 20)
#define PTDUMP_DIR	IGT_DEBUGFS "/page_tables"

/* ---- buffers and their mappings -------------------------------------------- */

static int __bo_create(int fd, uint32_t flags, uint32_t *handle)
{
	struct drm_vgem_bo_create arg;
	int ret = __igt_vgem_create_mib(fd, BUF_SIZE >> 20, flags, 0, &arg);

	if (ret)
		return ret;
	igt_assert_eq(arg.size, BUF_SIZE);
	*handle = arg.handle;
	return 0;
}

/* Skip unless the driver has the extension ioctls (upstream vgem has not). */
static void require_extensions(int fd)
{
	igt_require_f(igt_vgem_has_extensions(fd),
		      "the driver has no BO_INFO ioctl (upstream vgem?)\n");
}

/* A BUF_SIZE buffer with @flags; contiguous ones skip when there are none. */
static uint32_t create_buffer(int fd, uint32_t flags)
{
	uint32_t handle = 0;
	int ret = __bo_create(fd, flags, &handle);

	if (flags & VGEM_BO_CONTIGUOUS) {
		igt_require_f(ret != -ENODEV, "vgem has no contiguous memory context "
			      "(boot with movablecore=256M)\n");
		igt_require_f(ret != -ENOMEM, "vgem's contiguous memory context cannot "
			      "give 1 MiB (boot with a larger movablecore=)\n");
	}
	igt_assert_f(ret == 0, "BO_CREATE(0x%x): %s\n", flags, strerror(-ret));
	return handle;
}

/* Map a buffer through the DRM fd, or through @dmabuf when it is >= 0. */
static void *map_buffer(int fd, uint32_t handle, int dmabuf)
{
	struct vgem_bo bo = { .handle = handle, .size = BUF_SIZE };
	void *ptr;

	if (dmabuf < 0)
		return vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	ptr = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert_f(ptr != MAP_FAILED, "mmap of the dma-buf: %s\n", strerror(errno));
	return ptr;
}

/* ---- the page table dump ------------------------------------------------ */

/* The dump of the current process' user page tables; skips without one. */
static const char *ptdump_file(void)
{
	static const char *const files[] = {
		PTDUMP_DIR "/current_user",	/* with page table isolation */
		PTDUMP_DIR "/current_kernel",	/* the same user half without */
	};
	unsigned int i;

	igt_require_debugfs();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (access(files[i], R_OK) == 0)
			return files[i];
	igt_skip("no " PTDUMP_DIR "/current_user: this kernel was built without "
		 "CONFIG_PTDUMP_DEBUGFS (Debian's kernel lacks it; the debug kernel has it)\n");
}

/* Whether the blank-separated @flags hold the word @word. */
static bool has_flag(const char *flags, const char *word)
{
	size_t len = strlen(word);
	const char *at;

	for (at = strstr(flags, word); at; at = strstr(at + 1, word))
		if ((at == flags || at[-1] == ' ') &&
		    (at[len] == ' ' || at[len] == '\n' || at[len] == '\0'))
			return true;
	return false;
}

/*
 * Assert that every page of [@ptr, @ptr + BUF_SIZE) is mapped write-combined
 * (@wc: PWT, no PCD, no PAT) or write-back (none of them). The dump has a
 * line per run of entries with equal bits, "0xSTART-0xEND   SIZE flags
 * level"; a run may go beyond the mapping when its neighbours look alike.
 */
static void check_ptes(const void *ptr, bool wc, const char *what)
{
	unsigned long start = (unsigned long)ptr, end = start + BUF_SIZE;
	unsigned long covered = 0;
	const char *path = ptdump_file();
	size_t cap = 0;
	char *line = NULL;
	FILE *f;

	f = fopen(path, "r");
	igt_assert_f(f, "%s: %s\n", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		unsigned long lo, hi;
		const char *flags;
		bool pwt, pcd, pat;
		int n = 0;

		if (sscanf(line, "0x%lx-0x%lx%n", &lo, &hi, &n) != 2 || !n)
			continue;
		if (hi <= start || lo >= end)
			continue;
		flags = line + n;
		igt_info("%s: %s", what, line);
		igt_assert_f(has_flag(flags, "USR"),
			     "%s: 0x%lx-0x%lx is not mapped in the page tables\n",
			     what, lo, hi);
		pwt = has_flag(flags, "PWT");
		pcd = has_flag(flags, "PCD");
		pat = has_flag(flags, "PAT");
		igt_assert_f(pwt == wc && !pcd && !pat,
			     "%s: 0x%lx-0x%lx has%s%s%s%s, expected %s (%s)%s\n", what, lo, hi,
			     pwt ? " PWT" : "", pcd ? " PCD" : "", pat ? " PAT" : "",
			     pwt || pcd || pat ? "" : " none of PWT, PCD, PAT (write-back)",
			     wc ? "PWT alone" : "none of PWT, PCD, PAT",
			     wc ? "write-combined" : "write-back",
			     pcd && !pwt ? "; uncached-minus: is PAT disabled (dmesg | grep PAT)?" : "");
		covered += (hi < end ? hi : end) - (lo > start ? lo : start);
	}
	free(line);
	fclose(f);
	igt_assert_f(covered == BUF_SIZE, "%s: the dump covers %lu of the %lu bytes "
		     "of the mapping at 0x%lx\n", what, covered, BUF_SIZE, start);
}

/* Control: ordinary anonymous memory is write-back in the dump. */
static void test_page_tables_anonymous(void)
{
	void *ptr;

	ptdump_file();
	ptr = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(ptr != MAP_FAILED);
	pattern_fill(ptr, BUF_SIZE, 1);
	check_ptes(ptr, false, "anonymous");
	munmap(ptr, BUF_SIZE);
}

/* A buffer of @memory, mapped through the DRM fd or its dma-buf: WC; WB if cached. */
static void check_page_tables(uint32_t memory, bool via_dmabuf)
{
	unsigned int cached;
	int fd;

	ptdump_file();
	fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	require_extensions(fd);
	for (cached = 0; cached < 2; cached++) {
		uint32_t handle = create_buffer(fd, memory | (cached ? VGEM_BO_CACHED : 0));
		int dmabuf = via_dmabuf ? prime_handle_to_fd(fd, handle) : -1;
		char what[64];
		void *ptr;

		snprintf(what, sizeof(what), "%s %s via %s",
			 cached ? "cached" : "default",
			 memory == VGEM_BO_CONTIGUOUS ? "contiguous" : "shmem",
			 via_dmabuf ? "dma-buf" : "DRM fd");
		ptr = map_buffer(fd, handle, dmabuf);
		/* Every page touched: every entry is there. */
		pattern_fill(ptr, BUF_SIZE, 2);
		check_ptes(ptr, !cached, what);
		pattern_check(ptr, BUF_SIZE, 2);
		munmap(ptr, BUF_SIZE);
		if (dmabuf >= 0)
			close(dmabuf);
		gem_close(fd, handle);
	}
	close(fd);
}

static void test_page_tables_shmem_drm(void)
{
	check_page_tables(VGEM_BO_SHMEM, false);
}

static void test_page_tables_shmem_dmabuf(void)
{
	check_page_tables(VGEM_BO_SHMEM, true);
}

static void test_page_tables_contiguous_drm(void)
{
	check_page_tables(VGEM_BO_CONTIGUOUS, false);
}

static void test_page_tables_contiguous_dmabuf(void)
{
	check_page_tables(VGEM_BO_CONTIGUOUS, true);
}

/* ---- BO_CREATE and BO_INFO ----------------------------------------------- */

/* Create with @flags; BO_INFO must say @backing (if >= 0) and cached or not. */
static void check_created(int fd, uint32_t flags, int backing)
{
	uint32_t handle = create_buffer(fd, flags);
	struct drm_vgem_bo_info info = igt_vgem_bo_info(fd, handle);
	bool cached = flags & VGEM_BO_CACHED;

	igt_info("BO_CREATE(0x%x): backing %u, info flags 0x%x\n", flags,
		 info.backing, info.flags);
	igt_assert_eq(!!(info.flags & VGEM_BO_INFO_CACHED), cached);
	if (backing >= 0)
		igt_assert_eq(info.backing, backing);
	igt_assert_eq(!!(info.flags & VGEM_BO_INFO_CONTIGUOUS),
		      info.backing == VGEM_BACKING_CONTIGUOUS);
	gem_close(fd, handle);
}

/* CACHED with SHMEM and with no memory flag; invalid combinations. */
static void test_bo_create_cached(void)
{
	static const uint32_t bad[] = {
		VGEM_BO_CACHED | VGEM_BO_SHMEM | VGEM_BO_CONTIGUOUS,
		VGEM_BO_CACHED | VGEM_BO_FALLBACK,
		VGEM_BO_CACHED | VGEM_BO_SHMEM | VGEM_BO_FALLBACK,
		VGEM_BO_CACHED | (1u << 4),
		1u << 4,
	};
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct vgem_bo dumb = { .width = 1024, .height = 256, .bpp = 32 };
	uint32_t handle;
	unsigned int i;

	require_extensions(fd);
	check_created(fd, VGEM_BO_CACHED | VGEM_BO_SHMEM, VGEM_BACKING_SHMEM);
	check_created(fd, VGEM_BO_SHMEM, VGEM_BACKING_SHMEM);
	/* No memory flag: the dumb_memory policy's memory, cached or not. */
	check_created(fd, VGEM_BO_CACHED, -1);
	check_created(fd, 0, -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		igt_assert_f(__bo_create(fd, bad[i], &handle) == -EINVAL,
			     "BO_CREATE(0x%x) was not refused with EINVAL\n", bad[i]);
	/* Dumb buffers are never cached. */
	vgem_create(fd, &dumb);
	igt_assert_eq(igt_vgem_bo_info(fd, dumb.handle).flags & VGEM_BO_INFO_CACHED, 0);
	gem_close(fd, dumb.handle);
	close(fd);
}

/* CACHED with CONTIGUOUS, with and without FALLBACK. */
static void test_bo_create_cached_contiguous(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);

	require_extensions(fd);
	check_created(fd, VGEM_BO_CACHED | VGEM_BO_CONTIGUOUS, VGEM_BACKING_CONTIGUOUS);
	check_created(fd, VGEM_BO_CONTIGUOUS, VGEM_BACKING_CONTIGUOUS);
	check_created(fd, VGEM_BO_CACHED | VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK,
		      VGEM_BACKING_CONTIGUOUS);
	close(fd);
}

/* ---- DMA_BUF_IOCTL_SYNC and coherency --------------------------------------- */

static void sync_ok(int dmabuf, uint64_t flags)
{
	int ret = __dmabuf_sync(dmabuf, flags);

	igt_assert_f(ret == 0, "DMA_BUF_IOCTL_SYNC(0x%llx): %s\n",
		     (unsigned long long)flags, strerror(-ret));
}

/* Map the import of @dmabuf on the device of @fd; its handle in @handle. */
static void *map_import(int fd, int dmabuf, uint32_t *handle)
{
	*handle = prime_fd_to_handle(fd, dmabuf);
	return map_buffer(fd, *handle, -1);
}

/*
 * A cached buffer of @memory on device 0: the sync ioctl succeeds in every
 * direction; what the CPU writes through its dma-buf mapping between
 * START and END is what device 1's import reads, what is written through
 * the import is what device 0's DRM-fd mapping reads, and a copy into a
 * write-combined buffer of device 1 reads back through device 0's import.
 */
static void check_sync_coherent(uint32_t memory)
{
	static const uint64_t dirs[] = {
		DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE, DMA_BUF_SYNC_RW,
	};
	uint32_t cached, imported, wc, wc_imported;
	void *cpu, *imp, *drm, *wc_map, *wc_imp;
	int fa, fb, dmabuf, wc_dmabuf;
	unsigned int i;

	fa = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	require_extensions(fa);
	gem_close(fa, create_buffer(fa, memory));	/* skips without the memory */
	close(fa);
	igt_vgem_reload(2);
	fa = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, NULL);
	fb = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);

	cached = create_buffer(fa, memory | VGEM_BO_CACHED);
	igt_assert(igt_vgem_bo_info(fa, cached).flags & VGEM_BO_INFO_CACHED);
	dmabuf = prime_handle_to_fd(fa, cached);
	cpu = map_buffer(fa, cached, dmabuf);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		sync_ok(dmabuf, DMA_BUF_SYNC_START | dirs[i]);
		sync_ok(dmabuf, DMA_BUF_SYNC_END | dirs[i]);
	}

	sync_ok(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	pattern_fill(cpu, BUF_SIZE, 0xca11ed);
	sync_ok(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);

	imp = map_import(fb, dmabuf, &imported);
	igt_info("BO_INFO of device 1's import: flags 0x%x\n",
		 igt_vgem_bo_info(fb, imported).flags);
	sync_ok(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	pattern_check(imp, BUF_SIZE, 0xca11ed);
	pattern_fill(imp, BUF_SIZE, 0xb1e55ed);
	sync_ok(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);

	drm = map_buffer(fa, cached, -1);
	sync_ok(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	pattern_check(drm, BUF_SIZE, 0xb1e55ed);
	pattern_check(cpu, BUF_SIZE, 0xb1e55ed);

	/* Into a write-combined buffer of device 1, back through device 0. */
	wc = create_buffer(fb, memory);
	igt_assert_eq(igt_vgem_bo_info(fb, wc).flags & VGEM_BO_INFO_CACHED, 0);
	wc_map = map_buffer(fb, wc, -1);
	memcpy(wc_map, drm, BUF_SIZE);
	sync_ok(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	wc_dmabuf = prime_handle_to_fd(fb, wc);
	wc_imp = map_import(fa, wc_dmabuf, &wc_imported);
	/* Nothing to do for a write-combined buffer, but it succeeds. */
	sync_ok(wc_dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	pattern_check(wc_imp, BUF_SIZE, 0xb1e55ed);
	sync_ok(wc_dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

	munmap(wc_imp, BUF_SIZE);
	munmap(wc_map, BUF_SIZE);
	munmap(drm, BUF_SIZE);
	munmap(imp, BUF_SIZE);
	munmap(cpu, BUF_SIZE);
	close(wc_dmabuf);
	close(dmabuf);
	gem_close(fa, wc_imported);
	gem_close(fb, wc);
	gem_close(fb, imported);
	gem_close(fa, cached);
	close(fb);
	close(fa);
	igt_vgem_reload(1);
}

static void test_sync_coherent_shmem(void)
{
	check_sync_coherent(VGEM_BO_SHMEM);
}

static void test_sync_coherent_contiguous(void)
{
	check_sync_coherent(VGEM_BO_CONTIGUOUS);
}

/* ---- MADV_DONTNEED ------------------------------------------------------------ */

/* Refused with EINVAL on write-combined and cached mappings of both kinds. */
static void check_madvise(uint32_t memory)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	unsigned int cached, via_dmabuf;
	uint32_t *anon;

	require_extensions(fd);
	/* Control: anonymous memory is dropped, and reads back zero. */
	anon = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(anon != MAP_FAILED);
	pattern_fill(anon, BUF_SIZE, 3);
	igt_assert_eq(madvise(anon, BUF_SIZE, MADV_DONTNEED), 0);
	igt_assert_eq(anon[1], 0);
	munmap(anon, BUF_SIZE);

	for (cached = 0; cached < 2; cached++) {
		for (via_dmabuf = 0; via_dmabuf < 2; via_dmabuf++) {
			uint32_t handle = create_buffer(fd, memory |
							(cached ? VGEM_BO_CACHED : 0));
			int dmabuf = via_dmabuf ? prime_handle_to_fd(fd, handle) : -1;
			void *ptr = map_buffer(fd, handle, dmabuf);

			pattern_fill(ptr, BUF_SIZE, 4);
			errno = 0;
			igt_assert_f(madvise(ptr, BUF_SIZE, MADV_DONTNEED) == -1 &&
				     errno == EINVAL,
				     "MADV_DONTNEED on a %s mapping through the %s: %s, "
				     "expected EINVAL\n", cached ? "cached" : "default",
				     via_dmabuf ? "dma-buf" : "DRM fd",
				     errno ? strerror(errno) : "success");
			pattern_check(ptr, BUF_SIZE, 4);
			munmap(ptr, BUF_SIZE);
			if (dmabuf >= 0)
				close(dmabuf);
			gem_close(fd, handle);
		}
	}
	close(fd);
}

static void test_madvise_shmem(void)
{
	check_madvise(VGEM_BO_SHMEM);
}

static void test_madvise_contiguous(void)
{
	check_madvise(VGEM_BO_CONTIGUOUS);
}

static const struct igt_subtest subtests[] = {
	{ "page-tables-anonymous", test_page_tables_anonymous },
	{ "page-tables-shmem-drm", test_page_tables_shmem_drm },
	{ "page-tables-shmem-dmabuf", test_page_tables_shmem_dmabuf },
	{ "page-tables-contiguous-drm", test_page_tables_contiguous_drm },
	{ "page-tables-contiguous-dmabuf", test_page_tables_contiguous_dmabuf },
	{ "bo-create-cached", test_bo_create_cached },
	{ "bo-create-cached-contiguous", test_bo_create_cached_contiguous },
	{ "sync-coherent-shmem", test_sync_coherent_shmem },
	{ "sync-coherent-contiguous", test_sync_coherent_contiguous },
	{ "madvise-dontneed-shmem", test_madvise_shmem },
	{ "madvise-dontneed-contiguous", test_madvise_contiguous },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
