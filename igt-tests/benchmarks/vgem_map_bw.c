// SPDX-License-Identifier: MIT
/*
 * vgem_map_bw: read and write bandwidth through the CPU mapping of a dumb
 * buffer, as a client of libvgem maps it, write-combined or cached.
 *
 * One buffer of -s MiB (1024 x 256*S at 32 bpp) on the primary node of the
 * first vgem device:
 *   default    vgem_bo_create() without flags (CREATE_DUMB): write-combined
 *              on our vgem and on upstream's alike;
 *   --cached   VGEM_BO_CREATE_CACHED (BO_CREATE, ours only): write-back, and
 *              every pass between DMA_BUF_IOCTL_SYNC START and END on the
 *              buffer's dma-buf, as its contract says. The two ioctls (the
 *              driver writes back the CPU caches in each) are part of the
 *              pass and of its time.
 * It is mapped through the DRM node (vgem_bo_map()) and touched (one word
 * a page), which allocates its pages, and unmapped; then mapped again and
 * touched (the minor faults of that are the mapping's); then, -r times, a
 * read pass (memcpy from the mapping into a malloc'd buffer, as IGT's
 * vgem_mmap -d read does) and a write pass (memcpy from it into the
 * mapping). MB/s are 10^6 bytes per second, medians over the passes.
 * Under TCG there are no CPU caches to model: see docs/benchmarks.md
 * before reading them.
 *
 * Output, one line of key=value pairs on stdout:
 *   size_mib reps cached read_mbs write_mbs read_copy_mbs write_copy_mbs
 *   read_sync_us write_sync_us map_faults pass_faults
 * (*_copy_mbs: the memcpy alone, without the bracket; *_sync_us: median
 * time of a pass's two DMA_BUF_IOCTL_SYNC calls, 0 without --cached;
 * map_faults: minor faults of the touch of the second
 * mapping; pass_faults: minor faults of all passes together).
 * When the driver cannot do it: "error=STEP errno=NAME" and exit status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgem.h"

#include "bench_sample.h"

#define MAX_REPS	1000

/* Passes in one direction: what they copy, and their times in us. */
struct passes {
	int dmabuf;		/* the bracket's dma-buf; -1: no bracket */
	unsigned int access;	/* VGEM_ACCESS_READ or _WRITE */
	void *dst;
	const void *src;
	size_t bytes;
	double whole[MAX_REPS];	/* bracket and copy */
	double copy[MAX_REPS];	/* the memcpy alone */
	double sync[MAX_REPS];	/* the two DMA_BUF_IOCTL_SYNC calls */
};

/* Starts (@begin) or ends CPU access on @dmabuf; nothing when it is -1. */
static int bracket(int dmabuf, unsigned int access, bool begin)
{
	if (dmabuf < 0)
		return 0;
	return begin ? vgem_dmabuf_sync_begin(dmabuf, access) :
		       vgem_dmabuf_sync_end(dmabuf, access);
}

/* Runs pass @i of @p, with its bracket if it has one. 0 or -errno. */
static int run_pass(struct passes *p, unsigned long i)
{
	struct sample s0, s1, s2, s3;
	int ret;

	sample(&s0);
	ret = bracket(p->dmabuf, p->access, true);
	if (ret)
		return ret;
	sample(&s1);
	memcpy(p->dst, p->src, p->bytes);
	sample(&s2);
	ret = bracket(p->dmabuf, p->access, false);
	if (ret)
		return ret;
	sample(&s3);
	p->copy[i] = span_us(&s1, &s2);
	/* Without a bracket, the samples around nothing are not counted. */
	p->whole[i] = p->dmabuf >= 0 ? span_us(&s0, &s3) : p->copy[i];
	p->sync[i] = p->whole[i] - p->copy[i];
	return 0;
}

/* Reads one word of every page of @map, bracketed like a pass. */
static int touch(int dmabuf, const volatile uint32_t *map, size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i;
	volatile uint32_t sum = 0;
	int ret;

	ret = bracket(dmabuf, VGEM_ACCESS_READ, true);
	if (ret)
		return ret;
	for (i = 0; i < bytes / sizeof(uint32_t); i += page / sizeof(uint32_t))
		sum += map[i];
	return bracket(dmabuf, VGEM_ACCESS_READ, false);
}

/*
 * Maps @bo through @fd into *@map and touches every page; *@faults gets
 * the minor faults of the touch. 0, or a positive errno and *@step.
 */
static int map_and_touch(int fd, const struct vgem_bo *bo, int dmabuf,
			 void **map, long *faults, const char **step)
{
	struct sample s0, s1;
	int ret;

	*step = "mmap";
	ret = vgem_bo_map(fd, bo, VGEM_MAP_READ | VGEM_MAP_WRITE, map);
	if (ret)
		return -ret;
	sample(&s0);
	ret = touch(dmabuf, *map, bo->size);
	sample(&s1);
	*step = "DMA_BUF_IOCTL_SYNC";
	*faults = s1.minflt - s0.minflt;
	return -ret;
}

/* MB/s (10^6 bytes per second) of the median of @n times of @bytes. */
static double mbs(size_t bytes, double *us, unsigned long n)
{
	double m = median(us, n);

	return m > 0 ? bytes / m : 0;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-s MIB] [-r REPS] [--cached]\n", argv0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cached", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct passes rd = { .dmabuf = -1, .access = VGEM_ACCESS_READ };
	static struct passes wr = { .dmabuf = -1, .access = VGEM_ACCESS_WRITE };
	unsigned long size_mib = 8, reps = 10, i;
	const char *step = "";
	struct sample s1, s2;
	bool cached = false;
	struct vgem_bo bo;
	void *map, *buf;
	int fd, ret, err, c;
	long map_faults;

	while ((c = getopt_long(argc, argv, "s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': size_mib = strtoul(optarg, NULL, 0); break;
		case 'r': reps = strtoul(optarg, NULL, 0); break;
		case 'c': cached = true; break;
		default: usage(argv[0]); return c == 'h' ? 0 : 1;
		}
	}
	if (!size_mib || size_mib > 1024 || !reps || reps > MAX_REPS || optind != argc) {
		usage(argv[0]);
		return 1;
	}

	fd = vgem_open(0, VGEM_NODE_PRIMARY);
	if (fd < 0)
		return bench_report_error("open", -fd);
	ret = vgem_bo_create(fd, 1024, 256 * size_mib, 32,
			     cached ? VGEM_BO_CREATE_CACHED : 0, &bo);
	if (ret)
		return bench_report_error(cached ? "BO_CREATE" : "CREATE_DUMB", -ret);
	if (cached) {
		ret = vgem_bo_export(fd, bo.handle, VGEM_EXPORT_RDWR, &rd.dmabuf);
		if (ret)
			return bench_report_error("PRIME_HANDLE_TO_FD", -ret);
		wr.dmabuf = rd.dmabuf;
	}
	/*
	 * Everything but the mapping faults in before the faults are counted:
	 * the malloc'd buffer, the arrays of times (in static storage), the
	 * buffer's pages (a first mapping allocates them) and the code of the
	 * touch.
	 */
	buf = malloc(bo.size);
	if (!buf)
		return bench_report_error("malloc", ENOMEM);
	memset(buf, 0x5a, bo.size);
	memset(&rd.whole, 0, sizeof(rd) - offsetof(struct passes, whole));
	memset(&wr.whole, 0, sizeof(wr) - offsetof(struct passes, whole));
	err = map_and_touch(fd, &bo, rd.dmabuf, &map, &map_faults, &step);
	if (err)
		return bench_report_error(step, err);
	vgem_bo_unmap(map, bo.size);
	/* The mapping measured. */
	err = map_and_touch(fd, &bo, rd.dmabuf, &map, &map_faults, &step);
	if (err)
		return bench_report_error(step, err);

	rd.dst = buf;
	rd.src = map;
	wr.dst = map;
	wr.src = buf;
	rd.bytes = wr.bytes = bo.size;
	sample(&s1);
	for (i = 0; i < reps; i++) {
		ret = run_pass(&rd, i);
		if (!ret)
			ret = run_pass(&wr, i);
		if (ret)
			return bench_report_error("DMA_BUF_IOCTL_SYNC", -ret);
	}
	sample(&s2);

	vgem_bo_unmap(map, bo.size);
	if (rd.dmabuf >= 0)
		close(rd.dmabuf);
	vgem_bo_close(fd, bo.handle);
	close(fd);
	free(buf);

	printf("size_mib=%lu reps=%lu cached=%d read_mbs=%.1f write_mbs=%.1f"
	       " read_copy_mbs=%.1f write_copy_mbs=%.1f read_sync_us=%.1f"
	       " write_sync_us=%.1f map_faults=%ld pass_faults=%ld\n",
	       size_mib, reps, cached, mbs(bo.size, rd.whole, reps),
	       mbs(bo.size, wr.whole, reps), mbs(bo.size, rd.copy, reps),
	       mbs(bo.size, wr.copy, reps), median(rd.sync, reps),
	       median(wr.sync, reps), map_faults, s2.minflt - s1.minflt);
	return 0;
}
