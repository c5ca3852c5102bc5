// SPDX-License-Identifier: MIT
/*
 * vgem_map_faults: what one CPU mapping of a dumb buffer costs, counted in
 * minor page faults (getrusage) and timed. Under TCG the counts are the
 * figures to trust; the times are emulated.
 *
 * -c dumb buffers of -s MiB are created one after the other, each mapped once
 * with a read pass (its pages get allocated and zeroed) and all but the last
 * closed; the last is then, -r times: MAP_DUMB + mmap, a read pass over
 * every page, a write pass over every page, munmap. The passes are measured
 * apart: a driver that maps a whole object at the first fault shows about one
 * fault per mapping in the read pass; one that inserts a page per fault shows
 * one fault per page.
 *
 * Faults are means per mapping; times are medians over the mappings (and over
 * the creations), since a loaded host stalls a guest now and then and one
 * stall would dominate a mean.
 *
 * Output, one line of key=value pairs on stdout:
 *   size_mib pages maps read_faults write_faults read_us write_us map_us
 *   first_faults first_us close_us cycle_us
 * (faults and times per mapping; map_us covers MAP_DUMB + mmap + munmap,
 * cycle_us the whole mapping from MAP_DUMB to munmap; first_* is a creation
 * and first mapping with its read pass, where the backing pages get
 * allocated, and close_us GEM_CLOSE, which frees them: over the -c buffers).
 * When the driver cannot do it: "error=STEP errno=NAME" and exit status 2.
 * With --probe, only checks that create, MAP_DUMB and mmap work and prints
 * "ok" or the error line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lib/drm_helpers.h"
#include "lib/igt_gem.h"

#include "bench_sample.h"

/* Adds the time and faults between @a and @b to @us and @faults. */
static void account(const struct sample *a, const struct sample *b,
		    double *us, long *faults)
{
	*us += span_us(a, b);
	*faults += b->minflt - a->minflt;
}

/* MAP_DUMB + mmap of the whole object; NULL and *err set on failure. */
static void *map_bo(int fd, const struct vgem_bo *bo, const char **step,
		    int *err)
{
	uint64_t offset;
	void *ptr;

	*err = -__vgem_map_offset(fd, bo->handle, &offset);
	if (*err) {
		*step = "MAP_DUMB";
		return NULL;
	}
	ptr = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   (off_t)offset);
	if (ptr == MAP_FAILED) {
		*err = errno;
		*step = "mmap";
		return NULL;
	}
	return ptr;
}

static void read_pass(const volatile uint32_t *p, size_t pages, size_t stride)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < pages; i++)
		sum += p[i * stride];
	/* Keeps the loads; the buffer is zero-filled, so sum is 0. */
	if (sum)
		fprintf(stderr, "vgem_map_faults: nonzero read (%u)\n", sum);
}

static void write_pass(volatile uint32_t *p, size_t pages, size_t stride)
{
	size_t i;

	for (i = 0; i < pages; i++)
		p[i * stride] = 0;
}

/*
 * Creates a buffer of @size_mib MiB (1024 x 256*@size_mib at 32 bpp: a
 * 4 KiB pitch) and maps it a first time with a read pass; *@us gets the
 * time it took and @faults the faults are added to. Returns 0 or, after
 * printing the error line, EXIT_UNSUPPORTED.
 */
static int first_map(int fd, unsigned long size_mib, struct vgem_bo *bo,
		     double *us, long *faults)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct sample s0, s1;
	const char *step;
	double ignored = 0;
	void *ptr;
	int err;

	memset(bo, 0, sizeof(*bo));
	bo->width = 1024;
	bo->height = (uint32_t)(256 * size_mib);
	bo->bpp = 32;
	sample(&s0);
	err = -__vgem_create(fd, bo);
	if (err)
		return bench_report_error("CREATE_DUMB", err);
	ptr = map_bo(fd, bo, &step, &err);
	if (!ptr)
		return bench_report_error(step, err);
	read_pass(ptr, bo->size / page, page / sizeof(uint32_t));
	munmap(ptr, bo->size);
	sample(&s1);
	account(&s0, &s1, &ignored, faults);
	*us = span_us(&s0, &s1);
	return 0;
}

/* GEM_CLOSE of @bo; returns its time. */
static double close_bo(int fd, const struct vgem_bo *bo)
{
	struct sample s0, s1;

	sample(&s0);
	__gem_close(fd, bo->handle);
	sample(&s1);
	return span_us(&s0, &s1);
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-s MIB] [-r MAPS] [-c CREATES] | --probe\n", argv0);
}

#define MAX_SAMPLES 10000

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "probe", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	/* Per-sample times: mmap+munmap, read, write, whole cycle; first, close. */
	static double map_us[MAX_SAMPLES], read_us[MAX_SAMPLES], write_us[MAX_SAMPLES];
	static double cycle_us[MAX_SAMPLES], first_us[MAX_SAMPLES], close_us[MAX_SAMPLES];
	unsigned long size_mib = 4, maps = 20, creates = 5, i;
	long read_faults = 0, write_faults = 0, first_faults = 0;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages, stride;
	struct sample s0, s1, s2, s3, s4;
	bool probe = false;
	struct vgem_bo bo;
	const char *step = "";
	double ignored = 0;
	int fd, err, c;
	void *ptr;

	while ((c = getopt_long(argc, argv, "s:r:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': creates = strtoul(optarg, NULL, 0); break;
		case 's': size_mib = strtoul(optarg, NULL, 0); break;
		case 'r': maps = strtoul(optarg, NULL, 0); break;
		case 'p': probe = true; break;
		default: usage(argv[0]); return c == 'h' ? 0 : 1;
		}
	}
	if (probe)
		creates = 1;
	if (!size_mib || size_mib > 1024 || !maps || maps > MAX_SAMPLES ||
	    !creates || creates > MAX_SAMPLES) {
		usage(argv[0]);
		return 1;
	}

	fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	if (fd < 0)
		return bench_report_error("open", -fd);

	/*
	 * Creation and first mapping, -c times: the buffers are created and
	 * mapped for the first time (which allocates and zeroes their pages),
	 * all but the last closed again. One creation is too noisy a sample.
	 */
	for (i = 0; i < creates; i++) {
		err = first_map(fd, size_mib, &bo, &first_us[i], &first_faults);
		if (err)
			return err;
		if (probe) {
			printf("ok\n");
			return 0;
		}
		if (i + 1 < creates)
			close_us[i] = close_bo(fd, &bo);
	}
	pages = bo.size / page;
	stride = page / sizeof(uint32_t);

	for (i = 0; i < maps; i++) {
		sample(&s0);
		ptr = map_bo(fd, &bo, &step, &err);
		if (!ptr)
			return bench_report_error(step, err);
		sample(&s1);
		read_pass(ptr, pages, stride);
		sample(&s2);
		write_pass(ptr, pages, stride);
		sample(&s3);
		munmap(ptr, bo.size);
		sample(&s4);
		account(&s1, &s2, &ignored, &read_faults);
		account(&s2, &s3, &ignored, &write_faults);
		map_us[i] = span_us(&s0, &s1) + span_us(&s3, &s4);
		read_us[i] = span_us(&s1, &s2);
		write_us[i] = span_us(&s2, &s3);
		cycle_us[i] = span_us(&s0, &s4);
	}
	close_us[creates - 1] = close_bo(fd, &bo);
	close(fd);

	printf("size_mib=%lu pages=%zu maps=%lu read_faults=%.2f write_faults=%.2f"
	       " read_us=%.1f write_us=%.1f map_us=%.1f first_faults=%.2f"
	       " first_us=%.1f close_us=%.1f cycle_us=%.1f\n",
	       size_mib, pages, maps, (double)read_faults / maps,
	       (double)write_faults / maps, median(read_us, maps),
	       median(write_us, maps), median(map_us, maps),
	       (double)first_faults / creates, median(first_us, creates),
	       median(close_us, creates), median(cycle_us, maps));
	return 0;
}
