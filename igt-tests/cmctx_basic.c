// SPDX-License-Identifier: MIT
/*
 * cmctx_basic: the contiguous memory contexts of cmctx.ko.
 *
 * The in-kernel scenarios of cmctx_test.ko (private contexts, exhaustion,
 * alignment, pins and mappings, misuse, placement policies) run as one
 * subtest each through /sys/kernel/debug/cmctx_test/run. The rest checks
 * from user space what CMA promises: with the guest booted with
 * movablecore=, a context over ZONE_MOVABLE exists; a 64 MiB chunk can be
 * had after page cache and anonymous memory filled the zone, its memory is
 * contiguous, the displaced memory keeps its contents, and freeing the chunk
 * gives the memory back; module parameters make and refuse contexts; and
 * unloading leaves nothing allocated.
 *
 * Each subtest that loads cmctx_test unloads it again, even when it fails,
 * and frees what it allocated: all guest tests share one boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/igt.h"
#include "lib/igt_fd.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_figures.h"
#include "lib/igt_mm.h"
#include "lib/igt_kmsg.h"
#include "lib/igt_module.h"

#define MiB		(1024l * 1024)
#define PAGE		4096l
#define RUN_FILE	IGT_DEBUGFS "/cmctx_test/run"
#define CTX_DIR		IGT_DEBUGFS "/cmctx"
#define MOVABLE_CTX	CTX_DIR "/movable0"

/* ---- files ------------------------------------------------------------- */

static long long meminfo_kib(const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long long value = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			value = atoll(line + len + 1);
	fclose(f);
	return value;
}

static void require_movable_zone(void)
{
	igt_require_f(igt_movable_zone("present") > 0,
		      "no ZONE_MOVABLE: boot the guest with movablecore=256M\n");
}

/*
 * Skips unless ZONE_MOVABLE has @mib MiB a shared context can get: managed
 * pages (boot reservations are not) outside the kernel's CMA area.
 */
static void require_usable(long long mib)
{
	long long managed = igt_movable_zone("managed"), cma = igt_movable_zone("cma");
	long long usable = managed - (cma > 0 ? cma : 0);

	igt_require_f(usable >= mib * MiB / PAGE,
		      "ZONE_MOVABLE has %lld usable pages of %lld (boot reservations such as a KASAN shadow, and %lld pages of the kernel's CMA area, lie in it)\n",
		      usable, igt_movable_zone("present"), cma > 0 ? cma : 0);
}

/* ---- cmctx_test -------------------------------------------------------- */

/* Runs @cmd in cmctx_test; its answer ("ok ...", "skip: ...", "fail: ...") into @out. */
static void run_cmd(const char *cmd, char *out, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(RUN_FILE, O_RDWR);
	igt_assert_f(fd >= 0, "%s: %s\n", RUN_FILE, strerror(errno));
	igt_assert_eq(write(fd, cmd, strlen(cmd)), (long long)strlen(cmd));
	n = pread(fd, out, size - 1, 0);
	igt_assert(n > 0);
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	close(fd);
}

static void run_scenario(const char *name)
{
	char out[300];

	run_cmd(name, out, sizeof(out));
	igt_info("%s: %s\n", name, out);
	igt_require_f(strncmp(out, "skip:", 5), "%s\n", out + 6);
	igt_assert_f(!strcmp(out, "ok"), "%s: %s\n", name, out);
}

/*
 * Loads cmctx_test, runs @body in a child (a failing assertion ends only
 * the child) and unloads the module whatever happened; the result is the
 * child's.
 */
static void with_test_module(void (*body)(void))
{
	int status;
	pid_t pid;

	igt_assert_eq(igt_system("modprobe cmctx_test"), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		body();
		_exit(IGT_EXIT_SUCCESS);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_eq(igt_system("rmmod cmctx_test"), 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == IGT_EXIT_SKIP)
		igt_skip("skipped, see above\n");
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "failed, see above\n");
}

#define SCENARIO(name, str) \
static void body_##name(void) { run_scenario(str); } \
static void test_##name(void) { with_test_module(body_##name); }

SCENARIO(private, "private")
SCENARIO(exhaustion, "exhaustion")
SCENARIO(alignment, "alignment")
SCENARIO(invalid_create, "invalid-create")
SCENARIO(pin_vmap, "pin-vmap")
SCENARIO(misuse, "misuse")
SCENARIO(busy_destroy, "busy-destroy")
SCENARIO(placement, "placement")
SCENARIO(shared, "shared")
SCENARIO(concurrent, "concurrent")
SCENARIO(retry, "retry")
SCENARIO(listener, "listener")
SCENARIO(listener_from_free, "listener-from-free")
SCENARIO(move, "move")

/* ---- the movable context ----------------------------------------------- */

static void test_movable_context(void)
{
	long long present, spanned, pages;

	igt_assert_eq(igt_system("modprobe cmctx"), 0);
	present = igt_movable_zone("present");
	spanned = igt_movable_zone("spanned");
	pages = igt_figure(MOVABLE_CTX, "pages");
	igt_info("Movable zone: %lld pages present, %lld spanned; movable0: %lld pages\n",
		 present, spanned, pages);
	igt_assert_f(pages > 0, "no context movable0 in %s\n", CTX_DIR);
	/* Whole pageblocks (512 pages) of the zone, no more. */
	igt_assert(pages <= spanned && pages > spanned - 2 * 512);
	igt_assert_eq(pages % 512, 0);
	igt_assert_eq(igt_system("grep -qx 'kind: shared' " MOVABLE_CTX), 0);
	igt_assert_eq(igt_system("grep -qx 'placement: first-fit' " MOVABLE_CTX), 0);
	igt_assert_eq(igt_figure(MOVABLE_CTX, "free_pages"),
		      pages - igt_figure(MOVABLE_CTX, "unusable_pages"));
	igt_assert_eq(igt_figure(MOVABLE_CTX, "chunks"), 0);
	/*
	 * alloc_contig_range() isolates whole pageblocks, so a pageblock
	 * with a page reserved at boot is unusable as a whole: free extents
	 * are whole pageblocks. Regression: the reserved pages alone were
	 * marked, and the largest free extent (which ended 256 pages into a
	 * pageblock with reserved pages) could never be allocated.
	 */
	igt_info("movable0: %lld pages unusable, largest free extent %lld pages\n",
		 igt_figure(MOVABLE_CTX, "unusable_pages"),
		 igt_figure(MOVABLE_CTX, "largest_free_pages"));
	igt_assert_eq(igt_figure(MOVABLE_CTX, "unusable_pages") % 512, 0);
	igt_assert_eq(igt_figure(MOVABLE_CTX, "largest_free_pages") % 512, 0);
}

/* ---- filling the zone -------------------------------------------------- */

struct filler {
	int memfd;
	long memfd_bytes;
	char *anon;
	long anon_bytes;
};

static void stamp(char *page, long index)
{
	*(long *)page = index ^ 0x5a5a5a5a5a5al;
	*(long *)(page + PAGE - sizeof(long)) = ~index;
}

static bool stamped(const char *page, long index)
{
	return *(const long *)page == (index ^ 0x5a5a5a5a5a5al) &&
	       *(const long *)(page + PAGE - sizeof(long)) == ~index;
}

/*
 * Fills ZONE_MOVABLE with @anon_mib MiB of anonymous memory, then shmem
 * page cache (a memfd) until the zone has less than 8 MiB free; every page
 * carries its index, to be checked after migration.
 */
static void fill_movable(struct filler *f, long anon_mib)
{
	static char block[4 * 1024 * 1024];
	long i, stop = 8 * MiB / PAGE;

	f->anon_bytes = anon_mib * MiB;
	f->anon = NULL;
	if (f->anon_bytes) {
		f->anon = mmap(NULL, f->anon_bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(f->anon != MAP_FAILED);
		for (i = 0; i < f->anon_bytes / PAGE; i++)
			stamp(f->anon + i * PAGE, i);
	}
	f->memfd = memfd_create("cmctx-fill", 0);
	igt_assert(f->memfd >= 0);
	f->memfd_bytes = 0;
	while (igt_movable_zone("pages free") > stop) {
		igt_assert_f(f->memfd_bytes < 1024 * MiB,
			     "1 GiB of page cache and ZONE_MOVABLE still has %lld pages free\n",
			     igt_movable_zone("pages free"));
		for (i = 0; i < (long)sizeof(block) / PAGE; i++)
			stamp(block + i * PAGE, f->memfd_bytes / PAGE + i);
		igt_assert_eq(write(f->memfd, block, sizeof(block)),
			      (long long)sizeof(block));
		f->memfd_bytes += sizeof(block);
	}
	igt_info("filled: %ld MiB anonymous, %ld MiB page cache; Movable zone %lld pages free\n",
		 f->anon_bytes / MiB, f->memfd_bytes / MiB, igt_movable_zone("pages free"));
}

/* Every page of the filler still holds its index. */
static void check_filler(struct filler *f)
{
	static char block[PAGE];
	long i;

	for (i = 0; i < f->anon_bytes / PAGE; i++)
		igt_assert_f(stamped(f->anon + i * PAGE, i),
			     "anonymous page %ld lost its contents\n", i);
	for (i = 0; i < f->memfd_bytes / PAGE; i++) {
		igt_assert_eq(pread(f->memfd, block, PAGE, i * PAGE), PAGE);
		igt_assert_f(stamped(block, i),
			     "page cache page %ld lost its contents\n", i);
	}
}

static void filled_zone_body(long anon_mib)
{
	long long free_before, free_during, free_after;
	long long zone_during, zone_after;
	long long used, retries, mib;
	struct timespec t0, t1;
	struct filler f;
	char out[300], cmd[64];
	unsigned int id;

	require_usable(128);
	mib = 64;
	igt_require_f(igt_figure(MOVABLE_CTX, "largest_free_pages") >= mib * MiB / PAGE,
		      "movable0 has no free extent of %lld MiB (pages reserved at boot lie all over ZONE_MOVABLE, see its largest_free_pages)\n",
		      mib);
	fill_movable(&f, anon_mib);
	free_before = meminfo_kib("MemFree");
	snprintf(cmd, sizeof(cmd), "alloc movable0 %lld", mib);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_cmd(cmd, out, sizeof(out));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	igt_info("allocation, migration and in-kernel check of %lld MiB: %.2f s\n",
		 mib, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	igt_info("%s: %s\n", cmd, out);
	igt_assert_f(sscanf(out, "ok %u", &id) == 1, "%s\n", out);
	free_during = meminfo_kib("MemFree");
	zone_during = igt_movable_zone_free();
	used = igt_figure(MOVABLE_CTX, "used_pages");
	retries = igt_figure(MOVABLE_CTX, "migrate_retries");
	check_filler(&f);

	snprintf(cmd, sizeof(cmd), "free %u", id);
	run_cmd(cmd, out, sizeof(out));
	igt_assert_f(!strcmp(out, "ok"), "%s: %s\n", cmd, out);
	free_after = meminfo_kib("MemFree");
	zone_after = igt_movable_zone_free();
	igt_info("MemFree before %lld KiB, with the chunk %lld KiB, after free %lld KiB\n",
		 free_before, free_during, free_after);
	igt_info("Movable zone free pages with the chunk %lld, after free %lld; migrate_retries %lld\n",
		 zone_during, zone_after, retries);

	/* cmctx_test checked contiguity and contents; here the accounting. */
	igt_assert_eq(used, mib * MiB / PAGE);
	/*
	 * What the chunk held is measured on its release: alloc_contig_range()
	 * drains the per-cpu free lists into MemFree while it allocates (16 MiB
	 * of them once, making the chunk look 47 MiB "big" against the figure
	 * from before).
	 */
	igt_assert_f(free_after - free_during >= (mib - 8) * 1024,
		     "freeing the chunk gave back only %lld KiB\n", free_after - free_during);
	/*
	 * MemFree is the whole system's: the kernel's per-cpu lists and what
	 * else ran meanwhile move it by megabytes (8.3 MiB once on 6.12). A
	 * chunk that did not come back is 64 MiB.
	 */
	igt_assert_f(free_after > free_before - 16 * 1024,
		     "%lld KiB did not come back\n", free_before - free_after);
	igt_assert_f(zone_after - zone_during >= (mib - 8) * MiB / PAGE,
		     "ZONE_MOVABLE got only %lld pages back\n", zone_after - zone_during);
	igt_assert_eq(igt_figure(MOVABLE_CTX, "used_pages"), 0);
	check_filler(&f);
	close(f.memfd);
	if (f.anon)
		munmap(f.anon, f.anon_bytes);
}

static void body_page_cache(void)
{
	filled_zone_body(0);
}

static void body_anon_and_page_cache(void)
{
	filled_zone_body(160);
}

static void test_page_cache_filled(void)
{
	require_usable(128);
	with_test_module(body_page_cache);
}

static void test_anon_filled(void)
{
	require_usable(128);
	with_test_module(body_anon_and_page_cache);
}

/* ---- debugfs figures --------------------------------------------------- */

static unsigned int alloc_kept(const char *cmd)
{
	char out[300];
	unsigned int id;

	run_cmd(cmd, out, sizeof(out));
	igt_assert_f(sscanf(out, "ok %u", &id) == 1, "%s: %s\n", cmd, out);
	return id;
}

static void free_kept(unsigned int id)
{
	char out[300], cmd[32];

	snprintf(cmd, sizeof(cmd), "free %u", id);
	run_cmd(cmd, out, sizeof(out));
	igt_assert_f(!strcmp(out, "ok"), "%s: %s\n", cmd, out);
}

/* The offsets of movable0's chunks of @pages pages, in allocation order. */
static int chunk_offsets(long long *offsets, int max, long long pages)
{
	char line[256];
	long long offset, size;
	int n = 0;
	FILE *f = fopen(MOVABLE_CTX, "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "chunk: offset %lld pages %lld", &offset, &size) == 2 &&
		    size == pages) {
			igt_assert(n < max);
			offsets[n++] = offset;
		}
	fclose(f);
	return n;
}

/*
 * Three 8 MiB chunks, the middle one freed: a hole of 2048 pages that first
 * fit fills again. Pages reserved at boot make holes of their own, so the
 * exact offsets are checked only in a context without them.
 */
static void body_debugfs_figures(void)
{
	long long free0, largest0, free_pages, largest, unusable, pages;
	long long off[4], hole;
	unsigned int a, b, c;

	igt_require_f(igt_figure(MOVABLE_CTX, "chunks") == 0,
		      "movable0 is in use by someone else\n");
	pages = igt_figure(MOVABLE_CTX, "pages");
	unusable = igt_figure(MOVABLE_CTX, "unusable_pages");
	free0 = igt_figure(MOVABLE_CTX, "free_pages");
	largest0 = igt_figure(MOVABLE_CTX, "largest_free_pages");
	igt_assert_eq(free0, pages - unusable);
	igt_info("movable0: %lld pages, %lld unusable, largest free extent %lld\n",
		 pages, unusable, largest0);
	igt_require_f(largest0 >= 3 * 2048, "no 24 MiB extent in movable0\n");

	a = alloc_kept("alloc movable0 8");
	b = alloc_kept("alloc movable0 8");
	c = alloc_kept("alloc movable0 8");
	igt_assert_eq(igt_figure(MOVABLE_CTX, "chunks"), 3);
	igt_assert_eq(chunk_offsets(off, 4, 2048), 3);
	igt_assert(off[0] < off[1] && off[1] < off[2]);
	hole = off[1];
	igt_assert_eq(igt_figure(MOVABLE_CTX, "free_pages"), free0 - 3 * 2048);

	free_kept(b);
	igt_system("cat " MOVABLE_CTX);
	free_pages = igt_figure(MOVABLE_CTX, "free_pages");
	largest = igt_figure(MOVABLE_CTX, "largest_free_pages");
	igt_assert_eq(igt_figure(MOVABLE_CTX, "chunks"), 2);
	igt_assert_eq(free_pages, free0 - 2 * 2048);
	igt_assert_eq(igt_figure(MOVABLE_CTX, "fragmentation_percent"),
		      100 - largest * 100 / free_pages);
	if (!unusable) {
		igt_assert_eq(off[0], 0);
		igt_assert_eq(off[1], 2048);
		igt_assert_eq(off[2], 4096);
		igt_assert_eq(largest, pages - 3 * 2048);
		igt_assert(igt_figure(MOVABLE_CTX, "fragmentation_percent") > 0);
	}

	/* First fit never passes a hole the chunk fits in. */
	b = alloc_kept("alloc movable0 4");
	igt_assert_eq(chunk_offsets(off, 4, 2048), 2);
	igt_assert_eq(chunk_offsets(off, 4, 1024), 1);
	if (unusable)
		igt_assert(off[0] <= hole);
	else
		igt_assert_eq(off[0], hole);
	free_kept(a);
	free_kept(b);
	free_kept(c);
	igt_assert_eq(igt_figure(MOVABLE_CTX, "free_pages"), free0);
	igt_assert_eq(igt_figure(MOVABLE_CTX, "largest_free_pages"), largest0);
}

static void test_debugfs_figures(void)
{
	require_usable(48);
	with_test_module(body_debugfs_figures);
}

/* ---- module parameters and unloading ----------------------------------- */

/*
 * Unloads vgem (which holds a context) and cmctx; skips when vgem is busy.
 * Returns whether vgem was loaded, to reload it afterwards.
 */
static bool unload_cmctx(void)
{
	bool vgem = igt_module_loaded("vgem");

	igt_system("rmmod cmctx_test 2>/dev/null");
	if (vgem)
		igt_require_f(igt_system("modprobe -r vgem 2>/dev/null") == 0,
			      "vgem is in use, cmctx cannot be unloaded\n");
	igt_assert_eq(igt_system("modprobe -r cmctx"), 0);
	igt_assert(!igt_module_loaded("cmctx"));
	igt_assert_f(access(CTX_DIR, F_OK), "%s is still there\n", CTX_DIR);
	return vgem;
}

static void reload_cmctx(bool vgem)
{
	igt_assert_eq(igt_system("modprobe cmctx"), 0);
	if (vgem)
		igt_assert_eq(igt_system("modprobe vgem"), 0);
}

/*
 * A private context over a pageblock of ZONE_MOVABLE with a page held for
 * 150 ms is taken, not refused (cmctx retries a busy pageblock there).
 * cmctx is loaded with movable=0 for it, so that no context covers the
 * zone, and put back as it was whatever the result.
 */
static void test_private_busy_moment(void)
{
	char out[300];
	bool vgem;

	require_movable_zone();
	vgem = unload_cmctx();
	igt_assert_eq(igt_system("modprobe cmctx movable=0"), 0);
	igt_assert_eq(igt_system("modprobe cmctx_test"), 0);
	run_cmd("private-busy-moment", out, sizeof(out));
	igt_info("private-busy-moment: %s\n", out);
	igt_system("rmmod cmctx_test");
	igt_assert_eq(igt_system("modprobe -r cmctx"), 0);
	reload_cmctx(vgem);
	igt_require_f(strncmp(out, "skip:", 5), "%s\n", out + 6);
	igt_assert_f(!strcmp(out, "ok"), "%s\n", out);
}

static void test_unload(void)
{
	long long zone_before, zone_during, zone_after, used;
	char out[300];
	bool vgem;

	require_usable(16);
	igt_assert_eq(igt_system("modprobe cmctx_test"), 0);
	zone_before = igt_movable_zone_free();
	run_cmd("alloc movable0 8", out, sizeof(out));
	zone_during = igt_movable_zone_free();
	used = igt_figure(MOVABLE_CTX, "used_pages");
	igt_system("rmmod cmctx_test");
	igt_assert_f(!strncmp(out, "ok", 2), "alloc movable0 8: %s\n", out);
	/* cmctx_test's exit freed the chunk it kept. */
	igt_assert(!igt_module_loaded("cmctx_test"));
	igt_assert_eq(igt_figure(MOVABLE_CTX, "chunks"), 0);
	igt_assert_eq(igt_figure(MOVABLE_CTX, "used_pages"), 0);

	vgem = unload_cmctx();
	zone_after = igt_movable_zone_free();
	igt_info("Movable zone free pages: %lld before, %lld with 8 MiB allocated, %lld after unloading\n",
		 zone_before, zone_during, zone_after);
	igt_assert_eq(used, 8 * MiB / PAGE);
	igt_assert(zone_after > zone_before - 256);
	reload_cmctx(vgem);
	igt_assert(igt_figure(MOVABLE_CTX, "pages") > 0);
}

static void test_module_params(void)
{
	char marker[64];
	long long start_pfn;
	unsigned long long base;
	bool vgem;
	int ret;

	start_pfn = igt_movable_zone("start_pfn");
	igt_assert(start_pfn > 0);
	/* The first whole pageblock (2 MiB) of the zone. */
	base = ((unsigned long long)start_pfn * PAGE + 2 * MiB - 1) & ~(2ull * MiB - 1);

	vgem = unload_cmctx();
	snprintf(marker, sizeof(marker), "cmctx_basic module-params %d", getpid());
	igt_kmsg_mark(marker);
	ret = igt_system("modprobe cmctx movable=0 range=8M@%#llx,bogus,3M@%#llx,8M@%#llx,8M@%#llx:private",
			 base, base + 8 * MiB, base + 4 * MiB, base + 16 * MiB);
	igt_system("dmesg | sed -n '/%s/,$p' | grep cmctx", marker);
	igt_assert_eq(ret, 0);
	igt_assert_f(access(MOVABLE_CTX, F_OK), "movable=0 made movable0\n");
	igt_assert_eq(igt_figure(CTX_DIR "/range0", "pages"), 8 * MiB / PAGE);
	igt_assert_eq(igt_system("grep -qx 'kind: shared' " CTX_DIR "/range0"), 0);
	igt_assert(access(CTX_DIR "/range1", F_OK));
	igt_assert(access(CTX_DIR "/range2", F_OK));
	igt_assert(access(CTX_DIR "/range3", F_OK));
	igt_assert_eq(igt_kmsg_logged(marker, "range1: refused: \"bogus\" is not"), 0);
	igt_assert_eq(igt_kmsg_logged(marker, "range2: refused: a shared context must start and end on a pageblock"), 0);
	igt_assert_eq(igt_kmsg_logged(marker, "range3: refused: the range overlaps"), 0);
	/* Private: taken whole, unless boot reservations lie in it. */
	if (access(CTX_DIR "/range4", F_OK) == 0) {
		igt_assert_eq(igt_system("grep -qx 'kind: private' " CTX_DIR "/range4"), 0);
		igt_assert_eq(igt_figure(CTX_DIR "/range4", "free_pages"), 8 * MiB / PAGE);
	} else {
		igt_assert_eq(igt_kmsg_logged(marker, "range4: the range could not be taken"), 0);
	}

	igt_assert_eq(igt_system("modprobe -r cmctx"), 0);
	reload_cmctx(vgem);
}

#define FAIL_PAGE_ALLOC	"/sys/kernel/debug/fail_page_alloc"

/* Writes @value to the fault-injection knob @knob; asserts. */
static void fail_knob(const char *knob, const char *value)
{
	igt_assert_f(igt_system("echo %s > " FAIL_PAGE_ALLOC "/%s", value, knob) == 0,
		     "cannot set %s to %s\n", knob, value);
}

/* Whether this task's page allocations may be made to fail; asserts. */
static void make_it_fail(bool on)
{
	igt_assert_eq(igt_write_file("/proc/self/make-it-fail", on ? "1" : "0"), 0);
}

/*
 * A context's bitmap must not need physically contiguous memory: with
 * every page allocation of order 3 or more failing for this task, which
 * loads cmctx itself (finit_module(): no fork or exec, which would fail
 * too), movable0 must still be made. Its bitmap is one bit per page:
 * 24 KiB for the 768 MiB zone of the debug guest, which kmalloc() takes
 * from an order-3 allocation, and kvcalloc() from vmalloc() when that
 * fails. Regression: bitmap_zalloc() needed a high-order allocation for
 * any zone of 8 GiB and more, and one past the page allocator's largest
 * block (a WARN, and no context) for 128 GiB.
 */
static void test_bitmap_without_high_order(void)
{
	char path[PATH_MAX] = "";
	long long pages;
	int fd, ret;
	bool vgem;

	igt_require_f(!access(FAIL_PAGE_ALLOC "/min-order", F_OK),
		      "no %s: the kernel lacks CONFIG_FAIL_PAGE_ALLOC (the debug kernel has it)\n",
		      FAIL_PAGE_ALLOC);
	igt_require_f(igt_movable_zone("spanned") > 131072,
		      "ZONE_MOVABLE must be over 512 MiB, so that movable0's bitmap takes an order-3 allocation: boot with movablecore=768M\n");
	igt_assert_eq(igt_module_file("cmctx", path, sizeof(path)), 0);
	vgem = unload_cmctx();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));

	/* No stack dumps: the kernel-log check would take them for reports. */
	fail_knob("verbose", "0");
	fail_knob("task-filter", "Y");
	fail_knob("ignore-gfp-wait", "N");
	fail_knob("min-order", "3");
	fail_knob("interval", "1");
	fail_knob("times", "-1");
	fail_knob("probability", "100");
	make_it_fail(true);
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	make_it_fail(false);
	fail_knob("probability", "0");
	fail_knob("min-order", "1");
	close(fd);

	igt_assert_f(ret == 0, "finit_module(%s): %s\n", path, strerror(-ret));
	pages = igt_figure(MOVABLE_CTX, "pages");
	igt_info("movable0 made with allocations of order >= 3 failing: %lld pages\n",
		 pages);
	igt_assert_f(pages > 0, "movable0 was not made\n");
	if (vgem)
		igt_assert_eq(igt_system("modprobe vgem"), 0);
}

static const struct igt_subtest subtests[] = {
	{ "private", test_private },
	{ "exhaustion", test_exhaustion },
	{ "alignment", test_alignment },
	{ "invalid-create", test_invalid_create },
	{ "pin-vmap", test_pin_vmap },
	{ "misuse", test_misuse },
	{ "busy-destroy", test_busy_destroy },
	{ "placement", test_placement },
	{ "shared", test_shared },
	{ "concurrent", test_concurrent },
	{ "retry", test_retry },
	{ "listener", test_listener },
	{ "listener-from-free", test_listener_from_free },
	{ "private-busy-moment", test_private_busy_moment },
	{ "move", test_move },
	{ "debugfs-figures", test_debugfs_figures },
	{ "movable-context", test_movable_context },
	{ "page-cache-filled", test_page_cache_filled },
	{ "anon-filled", test_anon_filled },
	{ "module-params", test_module_params },
	{ "bitmap-without-high-order", test_bitmap_without_high_order },
	{ "unload", test_unload },
};

/* The subtests' shared set-up: debugfs for all, ZONE_MOVABLE for some. */
static const struct igt_fixture fixtures[] = {
	{ "debugfs", "*", igt_require_debugfs, NULL },
	{ "movable-zone", "debugfs-figures,movable-context,page-cache-filled,anon-filled,"
	  "module-params,bitmap-without-high-order,unload", require_movable_zone, NULL },
};

int main(int argc, char **argv)
{
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     fixtures, IGT_ARRAY_SIZE(fixtures));
}
