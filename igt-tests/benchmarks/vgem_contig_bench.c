// SPDX-License-Identifier: MIT
/*
 * vgem_contig_bench: the workloads of the contiguous-memory benchmark
 * (igt-tests/benchmarks/contig-bench, tools/bench contig). Prints numbers,
 * asserts nothing. Under TCG the fault counts are exact and the times are
 * emulated.
 *
 *   amt -m contig|shmem|dumb -s MIB [-r REPS] [--fill DIR --low PAGES]
 *	REPS times: allocate a buffer of MIB MiB (BO_CREATE CONTIGUOUS,
 *	BO_CREATE SHMEM, or plain CREATE_DUMB, the only one upstream vgem
 *	has), map it (MAP_DUMB + mmap), touch every page (one write each),
 *	unmap and close it. Each step's wall time and minor faults
 *	(getrusage), and the pages the allocation migrated (pgmigrate_success
 *	of /proc/vmstat), are medians over the repetitions. With --fill, before
 *	each repetition (untimed) 8 MiB files are written under DIR (a tmpfs)
 *	until ZONE_MOVABLE has at most PAGES free pages, since a contiguous
 *	allocation migrates page cache out of the zone.
 *   random [-n OPS] [--seed S] [--min MIB] [--max MIB] [--fallback]
 *	OPS random operations on contiguous buffers of MIN..MAX MiB from a
 *	seeded PRNG (xorshift64*): with no buffer alive or with probability
 *	1/2 an allocation, otherwise a randomly chosen live buffer is freed.
 *	Counts successes, ENOMEM, other errors and (with --fallback, i.e.
 *	VGEM_BO_FALLBACK) shmem fallbacks; the context's fragmentation with
 *	the last live set, then everything is freed.
 *   heap -s MIB [-r REPS] [--heap PATH] [--fill DIR --low PAGES]
 *	cmctx against the kernel's CMA: REPS times, allocate and free a
 *	buffer of MIB MiB from the CMA dma-buf heap PATH (default
 *	/dev/dma_heap/reserved, the cma= area: DMA_HEAP_IOCTL_ALLOC, close)
 *	and one from vgem's cmctx context (BO_CREATE CONTIGUOUS, GEM_CLOSE),
 *	the heap first in even repetitions and cmctx first in odd ones. Both
 *	hand user space a zeroed, physically contiguous buffer: migration,
 *	taking the range and clearing are in both times. Only the allocating
 *	ioctl is timed. With --fill, the zone is topped up (untimed) before
 *	every allocation of either side, as amt --fill does; the CMA area,
 *	whose pageblocks movable allocations use too, fills with the zone.
 *	Per side the medians of the allocation time, the free time, and the
 *	/proc/vmstat deltas of the allocation (pgmigrate_success,
 *	pgmigrate_fail, compact_isolated), the zone's and the CMA area's
 *	free pages (CmaFree of /proc/meminfo) before it; the fastest and
 *	slowest allocation, the most free pages the zone had before one (a
 *	top-up that could not fill it: the tmpfs was full); cmctx's migrate
 *	retries over all repetitions.
 *   fill DIR PAGES
 *	only the filling described under amt --fill.
 *
 * Output: one line of key=value pairs on stdout. When a step cannot be
 * done: "error=STEP errno=NAME" and exit status 2; bad usage: exit 1.
 * The context's figures (migrate_retries, ...) come from the cmctx debugfs
 * file of the context vgem uses; -1 when there is none (upstream vgem).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/dma-heap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_figures.h"
#include "lib/igt_gem.h"

#include "bench_sample.h"

#define EXIT_USAGE	1
#define EXIT_UNSUPPORTED 2
#define MiB		(1024ull * 1024)
#define MAX_REPS	100
#define MAX_LIVE	1024
#define FILL_FILE_MIB	8
#define CMA_HEAP	"/dev/dma_heap/reserved"

enum memory { MEM_CONTIG, MEM_SHMEM, MEM_DUMB };

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "unknown";
}

static int report_error(const char *step, int err)
{
	printf("error=%s errno=%s\n", step, errno_name(err));
	return EXIT_UNSUPPORTED;
}

/* ---- the kernel's figures ----------------------------------------------- */

/* Free pages of ZONE_MOVABLE (all nodes), from /proc/zoneinfo; -1 if none. */
static long movable_free_pages(void)
{
	FILE *f = fopen("/proc/zoneinfo", "re");
	bool in_movable = false;
	long total = -1, value;
	char line[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Node ", 5)) {
			in_movable = strstr(line, "zone") && strstr(line, "Movable");
			continue;
		}
		if (in_movable && sscanf(line, " pages free %ld", &value) == 1) {
			total = (total < 0 ? 0 : total) + value;
			in_movable = false;
		}
	}
	fclose(f);
	return total;
}

/* Pages migrated so far (pgmigrate_success of /proc/vmstat); -1 if unknown. */
static long pages_migrated(void)
{
	FILE *f = fopen("/proc/vmstat", "re");
	long value = -1;
	char line[128];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "pgmigrate_success %ld", &value) == 1)
			break;
	fclose(f);
	return value;
}

/* A "key: N" figure of the context's debugfs file; -1 when unknown. */
static long context_figure(const char *key)
{
	char path[PATH_MAX];

	if (igt_cmctx_context_path(path, sizeof(path)))
		return -1;
	return igt_figure(path, key);
}

/* @after - @before of a context figure, -1 when either is unknown. */
static long delta(long before, long after)
{
	return before < 0 || after < 0 ? -1 : after - before;
}

/* ---- filling ZONE_MOVABLE with page cache -------------------------------- */

/*
 * Writes 8 MiB files into @dir until ZONE_MOVABLE has at most @low free
 * pages or the file system is full. Returns the MiB written or -errno.
 */
static long fill_movable(const char *dir, long low)
{
	static char buf[MiB];
	long written = 0;
	char path[PATH_MAX];
	unsigned int n;
	int i;

	memset(buf, 0x5a, sizeof(buf));
	for (n = 0; n < 4096 && movable_free_pages() > low; n++) {
		int f;

		snprintf(path, sizeof(path), "%s/fill-%u", dir, n);
		f = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (f < 0 && errno == EEXIST)
			continue;
		if (f < 0)
			return -errno;
		for (i = 0; i < FILL_FILE_MIB; i++) {
			if (write(f, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
				close(f);
				/* A full tmpfs ends the filling. */
				return errno == ENOSPC ? written : -errno;
			}
			written++;
		}
		close(f);
	}
	return written;
}

/* ---- buffers --------------------------------------------------------------- */

/* A 1024-pixel-wide XRGB8888 buffer of @mib MiB (4 KiB pitch); 0 or -errno. */
static int create_bo(int fd, enum memory mem, uint32_t flags, unsigned int mib,
		     uint32_t *handle)
{
	struct drm_vgem_bo_create arg = {
		.width = 1024, .height = 256 * mib, .bpp = 32,
	};
	struct vgem_bo bo = { .width = 1024, .height = 256 * mib, .bpp = 32 };
	int ret;

	if (mem == MEM_DUMB) {
		ret = __vgem_create(fd, &bo);
		*handle = bo.handle;
		return ret;
	}
	arg.flags = flags | (mem == MEM_CONTIG ? VGEM_BO_CONTIGUOUS : VGEM_BO_SHMEM);
	if (ioctl(fd, DRM_IOCTL_VGEM_BO_CREATE, &arg))
		return -errno;
	*handle = arg.handle;
	return 0;
}

/* BO_INFO of @handle; 0 or -errno (ENOTTY etc. on upstream vgem). */
static int bo_info(int fd, uint32_t handle, struct drm_vgem_bo_info *info)
{
	*info = (struct drm_vgem_bo_info){ .handle = handle };
	return ioctl(fd, DRM_IOCTL_VGEM_BO_INFO, info) ? -errno : 0;
}

static void *map_bo(int fd, uint32_t handle, size_t size, int *err)
{
	uint64_t offset;
	void *ptr;

	*err = -__vgem_map_offset(fd, handle, &offset);
	if (*err)
		return NULL;
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	if (ptr == MAP_FAILED) {
		*err = errno;
		return NULL;
	}
	return ptr;
}

static void touch_pages(volatile uint32_t *p, size_t size, size_t page)
{
	size_t i;

	for (i = 0; i < size / page; i++)
		p[i * (page / sizeof(*p))] = (uint32_t)i;
}

/* ---- amt: allocate, map, touch -------------------------------------------- */

struct amt_options {
	enum memory mem;
	unsigned int mib, reps;
	const char *fill_dir;
	long low;
};

static int run_amt(int fd, const struct amt_options *o)
{
	static double create_us[MAX_REPS], map_us[MAX_REPS], touch_us[MAX_REPS];
	static double free_us[MAX_REPS], create_flt[MAX_REPS], map_flt[MAX_REPS];
	static double touch_flt[MAX_REPS], total_flt[MAX_REPS], zone_free[MAX_REPS];
	static double migrated[MAX_REPS], total_us[MAX_REPS];
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size = o->mib * MiB;
	long retries0 = context_figure("migrate_retries");
	long failures0 = context_figure("alloc_failures");
	long filled = 0, extents_min = -1, extents_max = -1, written, migrated0;
	struct sample s0, s1, s2, s3, s4;
	struct drm_vgem_bo_info info;
	uint32_t handle;
	unsigned int r;
	void *ptr;
	int err;

	for (r = 0; r < o->reps; r++) {
		if (o->fill_dir) {
			written = fill_movable(o->fill_dir, o->low);
			if (written < 0)
				return report_error("fill", (int)-written);
			filled += written;
		}
		zone_free[r] = (double)movable_free_pages();
		migrated0 = pages_migrated();

		sample(&s0);
		err = -create_bo(fd, o->mem, 0, o->mib, &handle);
		if (err)
			return report_error(o->mem == MEM_DUMB ? "CREATE_DUMB" : "BO_CREATE", err);
		sample(&s1);
		migrated[r] = (double)delta(migrated0, pages_migrated());
		ptr = map_bo(fd, handle, size, &err);
		if (!ptr)
			return report_error("map", err);
		sample(&s2);
		touch_pages(ptr, size, page);
		sample(&s3);
		if (o->mem != MEM_DUMB && !bo_info(fd, handle, &info)) {
			if (extents_min < 0 || info.extents < extents_min)
				extents_min = info.extents;
			if ((long)info.extents > extents_max)
				extents_max = info.extents;
		}
		munmap(ptr, size);
		__gem_close(fd, handle);
		sample(&s4);

		create_us[r] = span_us(&s0, &s1);
		map_us[r] = span_us(&s1, &s2);
		touch_us[r] = span_us(&s2, &s3);
		total_us[r] = span_us(&s0, &s3);
		free_us[r] = span_us(&s3, &s4);
		create_flt[r] = (double)(s1.minflt - s0.minflt);
		map_flt[r] = (double)(s2.minflt - s1.minflt);
		touch_flt[r] = (double)(s3.minflt - s2.minflt);
		total_flt[r] = (double)(s3.minflt - s0.minflt);
	}

	printf("size_mib=%u reps=%u create_us=%.0f map_us=%.0f touch_us=%.0f"
	       " free_us=%.0f create_faults=%.0f map_faults=%.0f touch_faults=%.0f"
	       " faults=%.0f zone_free_pages=%.0f filled_mib=%ld extents_min=%ld"
	       " extents_max=%ld retries=%ld alloc_failures=%ld migrated_pages=%.0f"
	       " total_us=%.0f\n",
	       o->mib, o->reps, median(create_us, o->reps), median(map_us, o->reps),
	       median(touch_us, o->reps), median(free_us, o->reps),
	       median(create_flt, o->reps), median(map_flt, o->reps),
	       median(touch_flt, o->reps), median(total_flt, o->reps),
	       median(zone_free, o->reps), filled, extents_min, extents_max,
	       delta(retries0, context_figure("migrate_retries")),
	       delta(failures0, context_figure("alloc_failures")),
	       median(migrated, o->reps), median(total_us, o->reps));
	return 0;
}

/* ---- heap: cmctx against the kernel's CMA heap --------------------------- */

/* Free pages of the kernel's CMA areas (CmaFree of /proc/meminfo); -1 if none. */
static long cma_free_pages(void)
{
	long long kib = igt_figure("/proc/meminfo", "CmaFree");

	return kib < 0 ? -1 : (long)(kib * 1024 / sysconf(_SC_PAGESIZE));
}

/* The /proc/vmstat counters an allocation's migration moves. */
struct vm_counters {
	long long migrated, migrate_fail, isolated;
};

static void read_vm_counters(struct vm_counters *c)
{
	c->migrated = igt_figure("/proc/vmstat", "pgmigrate_success");
	c->migrate_fail = igt_figure("/proc/vmstat", "pgmigrate_fail");
	c->isolated = igt_figure("/proc/vmstat", "compact_isolated");
}

enum heap_side { SIDE_HEAP, SIDE_CMCTX, NR_SIDES };

static const char *const side_name[NR_SIDES] = { "heap", "cmctx" };

/* One side's figures, one entry per repetition. */
struct heap_figures {
	double alloc_us[MAX_REPS], free_us[MAX_REPS], migrated[MAX_REPS];
	double migrate_fail[MAX_REPS], isolated[MAX_REPS];
	double zone_free[MAX_REPS], cma_free[MAX_REPS];
};

struct heap_options {
	unsigned int mib, reps;
	const char *heap, *fill_dir;
	long low;
};

/* A buffer of @size bytes from the dma-buf heap @heap_fd; 0 or -errno. */
static int heap_alloc(int heap_fd, size_t size, int *buf_fd)
{
	struct dma_heap_allocation_data data = {
		.len = size, .fd_flags = O_RDWR | O_CLOEXEC,
	};

	if (ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC, &data))
		return -errno;
	*buf_fd = (int)data.fd;
	return 0;
}

/*
 * Repetition @r of @side: top the zone up (with --fill), then allocate
 * (timed), read the counters and free (timed apart). 0 or the exit status
 * of report_error().
 */
static int heap_one(int drm_fd, int heap_fd, enum heap_side side,
		    const struct heap_options *o, unsigned int r,
		    struct heap_figures *f, long *filled)
{
	struct vm_counters c0, c1;
	struct sample s0, s1, s2;
	uint32_t handle = 0;
	int buf_fd = -1, err;
	long written;

	if (o->fill_dir) {
		written = fill_movable(o->fill_dir, o->low);
		if (written < 0)
			return report_error("fill", (int)-written);
		*filled += written;
	}
	f->zone_free[r] = (double)movable_free_pages();
	f->cma_free[r] = (double)cma_free_pages();
	read_vm_counters(&c0);

	sample(&s0);
	if (side == SIDE_HEAP)
		err = -heap_alloc(heap_fd, o->mib * MiB, &buf_fd);
	else
		err = -create_bo(drm_fd, MEM_CONTIG, 0, o->mib, &handle);
	sample(&s1);
	if (err)
		return report_error(side == SIDE_HEAP ? "DMA_HEAP_IOCTL_ALLOC" : "BO_CREATE", err);
	read_vm_counters(&c1);

	err = side == SIDE_HEAP ? (close(buf_fd) ? errno : 0) : -__gem_close(drm_fd, handle);
	sample(&s2);
	if (err)
		return report_error(side == SIDE_HEAP ? "close" : "GEM_CLOSE", err);

	f->alloc_us[r] = span_us(&s0, &s1);
	f->free_us[r] = span_us(&s1, &s2);
	f->migrated[r] = (double)delta(c0.migrated, c1.migrated);
	f->migrate_fail[r] = (double)delta(c0.migrate_fail, c1.migrate_fail);
	f->isolated[r] = (double)delta(c0.isolated, c1.isolated);
	return 0;
}

static double min_of(const double *v, unsigned int n)
{
	double m = v[0];
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

static double max_of(const double *v, unsigned int n)
{
	double m = v[0];
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

static int run_heap(int drm_fd, const struct heap_options *o)
{
	static struct heap_figures fig[NR_SIDES];
	long retries0 = context_figure("migrate_retries");
	long failures0 = context_figure("alloc_failures");
	enum heap_side order[NR_SIDES];
	long filled = 0;
	unsigned int r, i;
	int heap_fd, ret = 0;

	heap_fd = open(o->heap, O_RDONLY | O_CLOEXEC);
	if (heap_fd < 0)
		return report_error("open-heap", errno);

	for (r = 0; r < o->reps && !ret; r++) {
		/* Neither side always first: the heap in even reps. */
		order[0] = r % 2 ? SIDE_CMCTX : SIDE_HEAP;
		order[1] = r % 2 ? SIDE_HEAP : SIDE_CMCTX;
		for (i = 0; i < NR_SIDES && !ret; i++)
			ret = heap_one(drm_fd, heap_fd, order[i], o, r,
				       &fig[order[i]], &filled);
	}
	close(heap_fd);
	if (ret)
		return ret;

	printf("size_mib=%u reps=%u filled_mib=%ld", o->mib, o->reps, filled);
	for (i = 0; i < NR_SIDES; i++) {
		struct heap_figures *f = &fig[i];
		const char *n = side_name[i];

		printf(" %s_alloc_min_us=%.0f %s_alloc_max_us=%.0f %s_zone_free_max=%.0f",
		       n, min_of(f->alloc_us, o->reps), n, max_of(f->alloc_us, o->reps),
		       n, max_of(f->zone_free, o->reps));
		printf(" %s_alloc_us=%.0f %s_free_us=%.0f %s_migrated=%.0f"
		       " %s_migrate_fail=%.0f %s_isolated=%.0f %s_zone_free=%.0f"
		       " %s_cma_free=%.0f",
		       n, median(f->alloc_us, o->reps), n, median(f->free_us, o->reps),
		       n, median(f->migrated, o->reps), n, median(f->migrate_fail, o->reps),
		       n, median(f->isolated, o->reps), n, median(f->zone_free, o->reps),
		       n, median(f->cma_free, o->reps));
	}
	printf(" cmctx_retries=%ld cmctx_alloc_failures=%ld\n",
	       delta(retries0, context_figure("migrate_retries")),
	       delta(failures0, context_figure("alloc_failures")));
	return 0;
}

/* ---- random: allocation success under random alloc/free ------------------ */

static uint64_t rng_state;

/* xorshift64*: small, seedable, good enough to pick sizes and victims. */
static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

struct random_options {
	unsigned int ops, min_mib, max_mib;
	uint64_t seed;
	bool fallback;
};

static int run_random(int fd, const struct random_options *o)
{
	static uint32_t live[MAX_LIVE];
	static unsigned int live_mib[MAX_LIVE];
	long retries0 = context_figure("migrate_retries");
	long failures0 = context_figure("alloc_failures");
	unsigned int nlive = 0, mib_live = 0, peak_mib = 0, i;
	unsigned long allocs = 0, ok = 0, enomem = 0, other = 0, fallbacks = 0;
	unsigned long frees = 0, enomem_live_mib = 0;
	struct drm_vgem_bo_info info;
	int other_errno = 0, err;
	struct sample s0, s1;
	uint32_t handle;

	rng_state = o->seed ? o->seed : 1;
	sample(&s0);
	for (i = 0; i < o->ops; i++) {
		if (nlive == 0 || (nlive < MAX_LIVE && rng_next() % 2)) {
			unsigned int mib = o->min_mib +
				(unsigned int)(rng_next() % (o->max_mib - o->min_mib + 1));

			allocs++;
			err = -create_bo(fd, MEM_CONTIG, o->fallback ? VGEM_BO_FALLBACK : 0,
					 mib, &handle);
			if (err == ENOMEM) {
				enomem++;
				enomem_live_mib += mib_live;
				continue;
			}
			if (err) {
				other++;
				other_errno = err;
				continue;
			}
			ok++;
			if (o->fallback && !bo_info(fd, handle, &info) &&
			    info.backing != VGEM_BACKING_CONTIGUOUS)
				fallbacks++;
			live[nlive] = handle;
			live_mib[nlive++] = mib;
			mib_live += mib;
			if (mib_live > peak_mib)
				peak_mib = mib_live;
		} else {
			unsigned int victim = (unsigned int)(rng_next() % nlive);

			__gem_close(fd, live[victim]);
			mib_live -= live_mib[victim];
			live[victim] = live[--nlive];
			live_mib[victim] = live_mib[nlive];
			frees++;
		}
	}
	sample(&s1);

	/* The context as the last live set leaves it, then everything freed. */
	printf("ops=%u seed=%llu sizes_mib=%u-%u allocs=%lu ok=%lu enomem=%lu"
	       " other=%lu other_errno=%s fallbacks=%lu frees=%lu live=%u"
	       " live_mib=%u peak_mib=%u enomem_live_mib=%.0f"
	       " free_pages=%ld largest_free_pages=%ld fragmentation_percent=%ld"
	       " chunks=%ld retries=%ld alloc_failures=%ld seconds=%.1f",
	       o->ops, (unsigned long long)o->seed, o->min_mib, o->max_mib, allocs,
	       ok, enomem, other, other ? errno_name(other_errno) : "-", fallbacks,
	       frees, nlive, mib_live, peak_mib,
	       enomem ? (double)enomem_live_mib / enomem : 0.0,
	       context_figure("free_pages"), context_figure("largest_free_pages"),
	       context_figure("fragmentation_percent"), context_figure("chunks"),
	       delta(retries0, context_figure("migrate_retries")),
	       delta(failures0, context_figure("alloc_failures")),
	       span_us(&s0, &s1) / 1e6);
	while (nlive)
		__gem_close(fd, live[--nlive]);
	printf(" free_pages_after=%ld\n", context_figure("free_pages"));
	return 0;
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
		"usage: %s amt -m contig|shmem|dumb -s MIB [-r REPS] [--fill DIR --low PAGES]\n"
		"       %s random [-n OPS] [--seed S] [--min MIB] [--max MIB] [--fallback]\n"
		"       %s heap -s MIB [-r REPS] [--heap PATH] [--fill DIR --low PAGES]\n"
		"       %s fill DIR PAGES\n", argv0, argv0, argv0, argv0);
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && *s && !*end && *s != '-' && *out <= max;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fill", required_argument, NULL, 'F' },
		{ "low", required_argument, NULL, 'L' },
		{ "seed", required_argument, NULL, 'S' },
		{ "min", required_argument, NULL, 'a' },
		{ "max", required_argument, NULL, 'b' },
		{ "fallback", no_argument, NULL, 'f' },
		{ "heap", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct amt_options amt = { .mem = MEM_CONTIG, .reps = 3, .low = -1 };
	struct random_options rnd = { .ops = 1000, .min_mib = 1, .max_mib = 32,
				      .seed = 1 };
	const char *cmd = argc > 1 ? argv[1] : "", *heap_path = CMA_HEAP;
	unsigned long v;
	bool bad = false;
	int c, fd, ret;
	long written;

	if (!strcmp(cmd, "fill")) {
		if (argc != 4 || !parse_uint(argv[3], LONG_MAX, &v)) {
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
		written = fill_movable(argv[2], (long)v);
		if (written < 0)
			return report_error("fill", (int)-written);
		printf("filled_mib=%ld zone_free_pages=%ld\n", written,
		       movable_free_pages());
		return 0;
	}
	if (strcmp(cmd, "amt") && strcmp(cmd, "random") && strcmp(cmd, "heap")) {
		usage(stderr, argv[0]);
		return strcmp(cmd, "--help") ? EXIT_USAGE : 0;
	}

	optind = 2;
	while ((c = getopt_long(argc, argv, "m:s:r:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "contig"))
				amt.mem = MEM_CONTIG;
			else if (!strcmp(optarg, "shmem"))
				amt.mem = MEM_SHMEM;
			else if (!strcmp(optarg, "dumb"))
				amt.mem = MEM_DUMB;
			else
				bad = true;
			break;
		case 's': bad |= !parse_uint(optarg, 1024, &v) || !v; amt.mib = (unsigned int)v; break;
		case 'r': bad |= !parse_uint(optarg, MAX_REPS, &v) || !v; amt.reps = (unsigned int)v; break;
		case 'n': bad |= !parse_uint(optarg, 1000000, &v) || !v; rnd.ops = (unsigned int)v; break;
		case 'S': bad |= !parse_uint(optarg, ULONG_MAX, &v); rnd.seed = v; break;
		case 'a': bad |= !parse_uint(optarg, 1024, &v) || !v; rnd.min_mib = (unsigned int)v; break;
		case 'b': bad |= !parse_uint(optarg, 1024, &v) || !v; rnd.max_mib = (unsigned int)v; break;
		case 'f': rnd.fallback = true; break;
		case 'F': amt.fill_dir = optarg; break;
		case 'H': heap_path = optarg; break;
		case 'L': bad |= !parse_uint(optarg, LONG_MAX, &v); amt.low = (long)v; break;
		case 'h': usage(stdout, argv[0]); return 0;
		default: bad = true; break;
		}
	}
	if (!strcmp(cmd, "amt") || !strcmp(cmd, "heap"))
		bad |= !amt.mib || (amt.fill_dir && amt.low < 0);
	else
		bad |= rnd.min_mib > rnd.max_mib;
	if (bad || optind != argc) {
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}

	fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	if (fd < 0)
		return report_error("open", -fd);
	if (!strcmp(cmd, "heap")) {
		struct heap_options heap = {
			.mib = amt.mib, .reps = amt.reps, .heap = heap_path,
			.fill_dir = amt.fill_dir, .low = amt.low,
		};

		ret = run_heap(fd, &heap);
	} else {
		ret = !strcmp(cmd, "amt") ? run_amt(fd, &amt) : run_random(fd, &rnd);
	}
	close(fd);
	return ret;
}
