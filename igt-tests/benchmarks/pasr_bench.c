// SPDX-License-Identifier: MIT
/*
 * pasr_bench: the allocation workload of the PASR benchmark
 * (igt-tests/benchmarks/pasr-bench, tools/bench pasr). Prints numbers,
 * asserts nothing.
 *
 *   pasr_bench --section-mib M --context-mib C [--paired] [--seed S]
 *              [--steps N] [--target F] [--data FILE]
 *
 * A seeded random sequence of allocations and frees of contiguous vgem
 * buffers (BO_CREATE CONTIGUOUS) from the context pasr watches. Sizes are
 * log-uniform from 64 KiB to 32 MiB in 64 KiB steps (many small buffers,
 * few large ones, as in a compositor's mix of cursors, tiles, surfaces and
 * full-screen buffers); each step frees a uniformly chosen live buffer
 * with a probability that grows with the memory in use, so that the use
 * hovers around F of the context (default 0.5), else allocates. After
 * each step it reads pasr's sysfs: sections masked, the estimated
 * self-refresh power and the section map. The ideal is the sections an
 * optimal packing of the bytes in use would leave free: all sections minus
 * ceil(bytes in use / section size), or with --paired (every section
 * interleaved with one other, masked only together) all sections minus
 * twice ceil(bytes in use / two sections).
 *
 * After each step it waits for the compaction pass the step may have
 * queued (writes "wait" to pasr's debugfs compact file, when there is
 * one), so that each step is measured in the state compaction leaves; the
 * summary adds what compaction moved.
 *
 * With --data, one line a step: step, op (a allocate, f free, x failed
 * allocation), size in KiB, MiB in use, masked, ideal, power in uW, and
 * the map (one character a section, die after die: M masked, u unused
 * but not masked, p partly used, # used). Last, a summary on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt_gem.h"

#define PAGE_KIB	4u
#define MIN_PAGES	16u		/* 64 KiB */
#define MAX_PAGES	8192u		/* 32 MiB */
#define MAX_LIVE	4096u
#define SYSFS		"/sys/kernel/pasr/"
#define COMPACT		"/sys/kernel/debug/pasr/compact"

struct live {
	uint32_t handle;
	unsigned int pages;
};

struct options {
	unsigned int section_mib, context_mib, steps;
	bool paired;
	unsigned long long seed;
	double target;
	const char *data;
};

struct totals {
	unsigned long long masked, ideal, power_uw, full_uw;
	unsigned int allocs, frees, failures, steps;
};

static uint64_t next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *state)
{
	return (double)(next_random(state) >> 11) / (double)(1ull << 53);
}

/* Log-uniform pages from MIN_PAGES to MAX_PAGES, whole 64 KiB steps. */
static unsigned int draw_pages(uint64_t *state)
{
	double lo = log(MIN_PAGES), hi = log(MAX_PAGES);
	unsigned int pages = (unsigned int)exp(lo + (hi - lo) * uniform(state));

	pages = (pages + MIN_PAGES / 2) / MIN_PAGES * MIN_PAGES;
	return pages < MIN_PAGES ? MIN_PAGES : pages > MAX_PAGES ? MAX_PAGES : pages;
}

static int read_value(const char *file, long long *value)
{
	char path[128];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), SYSFS "%s", file);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fscanf(f, "%lld", value);
	fclose(f);
	return n == 1 ? 0 : -EINVAL;
}

/* The map, die after die, in one string. */
static int read_map(char *buf, size_t size)
{
	char line[64];
	size_t len = 0;
	FILE *f;

	f = fopen(SYSFS "map", "r");
	if (!f)
		return -errno;
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f) && len + strlen(line) < size) {
		line[strcspn(line, "\n")] = '\0';
		strcpy(buf + len, line);
		len += strlen(line);
	}
	fclose(f);
	return 0;
}

/* Waits for the compaction pass a step queued; 0 when there is none to wait for. */
static int settle(void)
{
	FILE *f = fopen(COMPACT, "w");
	int ret = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	if (fputs("wait", f) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* A compaction counter (debugfs "key value" lines); 0 when there is none. */
static unsigned long long compact_value(const char *key)
{
	unsigned long long value = 0, v;
	char name[32];
	FILE *f = fopen(COMPACT, "r");

	if (!f)
		return 0;
	while (fscanf(f, "%31s %llu", name, &v) == 2)
		if (!strcmp(name, key))
			value = v;
	fclose(f);
	return value;
}

/* A contiguous buffer of @pages pages: 0 or -errno. */
static int create(int fd, unsigned int pages, uint32_t *handle)
{
	struct drm_vgem_bo_create arg = {
		.width = 1024, .height = pages, .bpp = 32,
		.flags = VGEM_BO_CONTIGUOUS,
	};

	if (ioctl(fd, DRM_IOCTL_VGEM_BO_CREATE, &arg))
		return -errno;
	*handle = arg.handle;
	return 0;
}

static int parse(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{ "section-mib", required_argument, NULL, 'S' },
		{ "context-mib", required_argument, NULL, 'C' },
		{ "seed", required_argument, NULL, 's' },
		{ "steps", required_argument, NULL, 'n' },
		{ "target", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ "paired", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (struct options){ .steps = 2000, .seed = 1, .target = 0.5 };
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'S': o->section_mib = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'C': o->context_mib = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 's': o->seed = strtoull(optarg, NULL, 0); break;
		case 'n': o->steps = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 't': o->target = strtod(optarg, NULL); break;
		case 'd': o->data = optarg; break;
		case 'p': o->paired = true; break;
		default: return -EINVAL;
		}
	}
	if (!o->section_mib || o->context_mib < o->section_mib || !o->steps ||
	    o->target <= 0 || o->target >= 1 || optind != argc)
		return -EINVAL;
	return 0;
}

/* One step: a free or an allocation; its op letter, or 0 on a hard error. */
static char step(int fd, uint64_t *rng, const struct options *o,
		 struct live *live, unsigned int *nr_live,
		 unsigned long long *used_pages, unsigned int *kib)
{
	double cap = (double)o->context_mib * 256 * o->target;
	double p_free = *used_pages / cap * 0.5;
	unsigned int i, pages;
	uint32_t handle = 0;
	int ret;

	if (*nr_live && (uniform(rng) < p_free || *nr_live == MAX_LIVE)) {
		i = (unsigned int)(next_random(rng) % *nr_live);
		*kib = live[i].pages * PAGE_KIB;
		if (__gem_close(fd, live[i].handle))
			return 0;
		*used_pages -= live[i].pages;
		live[i] = live[--*nr_live];
		return 'f';
	}
	pages = draw_pages(rng);
	*kib = pages * PAGE_KIB;
	ret = create(fd, pages, &handle);
	if (ret == -ENOMEM || ret == -ENOSPC)
		return 'x';
	if (ret)
		return 0;
	live[(*nr_live)++] = (struct live){ handle, pages };
	*used_pages += pages;
	return 'a';
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	unsigned long long used_pages = 0, unit_pages;
	long long sections, masked, power, full;
	struct options o;
	unsigned int nr_live = 0, kib, i;
	struct live *live;
	uint64_t rng;
	char map[600], op;
	FILE *data = NULL;
	int fd;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: %s --section-mib M --context-mib C [--paired] [--seed S] [--steps N] [--target F] [--data FILE]\n",
			argv[0]);
		return 2;
	}
	if (read_value("sections", &sections) || sections <= 0) {
		fprintf(stderr, "pasr_bench: no PASR layout (" SYSFS "sections)\n");
		return 1;
	}
	fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	live = calloc(MAX_LIVE, sizeof(*live));
	if (fd < 0 || !live) {
		fprintf(stderr, "pasr_bench: no vgem device or no memory\n");
		return 1;
	}
	if (o.data && !(data = fopen(o.data, "w"))) {
		perror(o.data);
		return 1;
	}
	/* The unit an optimal packing frees: a section, or a pair of them. */
	unit_pages = o.section_mib * 256ull * (o.paired ? 2 : 1);
	rng = o.seed * 0x9e3779b97f4a7c15ull + 1;
	for (i = 0; i < o.steps; i++) {
		long long ideal;

		op = step(fd, &rng, &o, live, &nr_live, &used_pages, &kib);
		if (!op) {
			fprintf(stderr, "pasr_bench: step %u: %s\n", i, strerror(errno));
			return 1;
		}
		if (settle()) {
			fprintf(stderr, "pasr_bench: cannot wait for compaction (" COMPACT ")\n");
			return 1;
		}
		if (read_value("masked", &masked) || read_value("power_uw", &power) ||
		    read_value("full_power_uw", &full) || read_map(map, sizeof(map))) {
			fprintf(stderr, "pasr_bench: cannot read " SYSFS "\n");
			return 1;
		}
		ideal = sections - (long long)((used_pages + unit_pages - 1) / unit_pages *
					       (o.paired ? 2 : 1));
		t.allocs += op == 'a';
		t.frees += op == 'f';
		t.failures += op == 'x';
		t.masked += (unsigned long long)masked;
		t.ideal += ideal > 0 ? (unsigned long long)ideal : 0;
		t.power_uw += (unsigned long long)power;
		t.full_uw += (unsigned long long)full;
		t.steps++;
		if (data)
			fprintf(data, "%u %c %u %.1f %lld %lld %lld %s\n", i, op, kib,
				used_pages / 256.0, masked, ideal, power, map);
	}
	for (i = 0; i < nr_live; i++)
		__gem_close(fd, live[i].handle);
	if (data)
		fclose(data);
	printf("steps %u allocs %u frees %u failures %u\n", t.steps, t.allocs,
	       t.frees, t.failures);
	printf("masked_avg %.2f ideal_avg %.2f ratio %.3f\n",
	       (double)t.masked / t.steps, (double)t.ideal / t.steps,
	       t.ideal ? (double)t.masked / (double)t.ideal : 0.0);
	printf("power_avg_uw %.0f full_avg_uw %.0f saving %.1f%%\n",
	       (double)t.power_uw / t.steps, (double)t.full_uw / t.steps,
	       t.full_uw ? 100.0 * (1 - (double)t.power_uw / (double)t.full_uw) : 0.0);
	/* The module is fresh for each run: its counters are this run's. */
	printf("moves %llu moved_mib %.1f compact_ms %.1f\n", compact_value("moves"),
	       compact_value("moved_pages") / 256.0, compact_value("us") / 1000.0);
	free(live);
	close(fd);
	return 0;
}
