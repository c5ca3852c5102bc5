// SPDX-License-Identifier: MIT
/*
 * vgem_prime_lookup: what PRIME costs on whichever vgem is loaded (ours or
 * the kernel's own), for prime-bench (tools/bench prime). Prints numbers
 * and asserts nothing.
 *
 * lookup -n N [-c CALLS] [-b BATCHES]
 *	In one file of the first vgem device, creates N one-page objects and
 *	exports each once, closing the fd (the driver keeps what it caches
 *	for an exported object, as IGT's prime_lookup leaves it). Then, in
 *	each of BATCHES batches on one of 16 objects spread over the N:
 *	CALLS x (PRIME_HANDLE_TO_FD + close) and, with one fd of the object
 *	open, CALLS x PRIME_FD_TO_HANDLE. Prints, of each batch's mean time
 *	per call, the median and the best (lowest) over the batches: a busy
 *	host only ever adds time, so the best batch is the cost with the least
 *	noise, the median the typical one:
 *	  objects=N setup_s=S mem_mib=M to_fd_med_ns=T to_fd_best_ns=T
 *	  to_handle_med_ns=T to_handle_best_ns=T batches=B calls=C
 *	(setup_s: creating and exporting the N objects; mem_mib: how much
 *	MemAvailable of /proc/meminfo they took.)
 *
 * import -e heap|udmabuf|vgem [-s MIB] [-f FILES] [-r REPS]
 *	A foreign dma-buf of MIB MiB (the system dma-heap, udmabuf over a
 *	memfd, or a dumb buffer of the second vgem device: ours only) imported by FILES new files of the first vgem device, one after
 *	the other, each PRIME_FD_TO_HANDLE timed; then the objects that made
 *	(distinct GEM_FLINK names over the files' handles) and the devices
 *	attached to the dma-buf (/sys/kernel/debug/dma_buf/bufinfo). REPS
 *	times, with a new buffer and new files; times are the best (lowest)
 *	over the reps, counts those of the last rep:
 *	  exporter=E size_mib=M files=F import_best_us_1=T ...
 *	  import_best_us_F=T objects=K attachments=A
 *
 * probe: prints the foreign exporters this kernel has ("heap udmabuf",
 *	one of them, or "none").
 *
 * When a step fails: "error=STEP errno=NAME" and exit status 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "lib/drm_helpers.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"

#include "bench_sample.h"

#define EXIT_UNSUPPORTED 2
#define SAMPLES 16
#define MAX_FILES 64
#define SYSTEM_HEAP "/dev/dma_heap/system"

static noreturn void fail(const char *step, int err)
{
	printf("error=%s errno=%s\n", step, strerrorname_np(err) ?: "unknown");
	exit(EXIT_UNSUPPORTED);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}


/* MemAvailable of /proc/meminfo in KiB, 0 when unknown. */
static unsigned long mem_available_kib(void)
{
	unsigned long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static double lowest(const double *v, size_t n)
{
	double low = v[0];
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i] < low)
			low = v[i];
	return low;
}

static int open_vgem(void)
{
	int fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);

	if (fd < 0)
		fail("open", -fd);
	return fd;
}

static void lookup(unsigned long objects, unsigned int calls, unsigned int batches)
{
	double start, *to_fd, *to_handle, setup, fd_med, handle_med;
	uint32_t *handles, sample[SAMPLES];
	unsigned int b, c, samples;
	int fd = open_vgem(), dmabuf, ret;
	unsigned long i, mem_before = mem_available_kib(), mem_after;

	handles = calloc(objects, sizeof(*handles));
	to_fd = calloc(batches, sizeof(*to_fd));
	to_handle = calloc(batches, sizeof(*to_handle));
	if (!handles || !to_fd || !to_handle)
		fail("calloc", ENOMEM);

	start = now_ns();
	for (i = 0; i < objects; i++) {
		struct vgem_bo bo = { .width = 1024, .height = 1, .bpp = 32 };

		ret = __vgem_create(fd, &bo);
		if (ret)
			fail("create", -ret);
		handles[i] = bo.handle;
		ret = __prime_handle_to_fd(fd, bo.handle, DRM_CLOEXEC, &dmabuf);
		if (ret)
			fail("export", -ret);
		close(dmabuf);
	}
	setup = (now_ns() - start) / 1e9;
	mem_after = mem_available_kib();

	samples = objects < SAMPLES ? (unsigned int)objects : SAMPLES;
	for (b = 0; b < samples; b++)
		sample[b] = handles[(unsigned long)b * objects / samples];

	for (b = 0; b < batches; b++) {
		uint32_t handle = sample[b % samples], got;
		int kept;

		start = now_ns();
		for (c = 0; c < calls; c++) {
			ret = __prime_handle_to_fd(fd, handle, DRM_CLOEXEC, &dmabuf);
			if (ret)
				fail("handle_to_fd", -ret);
			close(dmabuf);
		}
		to_fd[b] = (now_ns() - start) / calls;

		ret = __prime_handle_to_fd(fd, handle, DRM_CLOEXEC, &kept);
		if (ret)
			fail("handle_to_fd", -ret);
		start = now_ns();
		for (c = 0; c < calls; c++) {
			ret = __prime_fd_to_handle(fd, kept, &got);
			if (ret)
				fail("fd_to_handle", -ret);
		}
		to_handle[b] = (now_ns() - start) / calls;
		if (got != handle)
			fail("fd_to_handle-other-handle", EINVAL);
		close(kept);
	}
	/* median() sorts: afterwards [0] is the best batch. */
	fd_med = median(to_fd, batches);
	handle_med = median(to_handle, batches);
	printf("objects=%lu setup_s=%.2f mem_mib=%.0f to_fd_med_ns=%.0f to_fd_best_ns=%.0f "
	       "to_handle_med_ns=%.0f to_handle_best_ns=%.0f batches=%u calls=%u\n",
	       objects, setup,
	       mem_before > mem_after ? (double)(mem_before - mem_after) / 1024 : 0.0,
	       fd_med, to_fd[0], handle_med, to_handle[0], batches, calls);
	free(handles);
	free(to_fd);
	free(to_handle);
	close(fd);
}

/** struct foreign - a buffer of another exporter and what keeps it */
struct foreign {
	int dmabuf;
	int keep;	/* udmabuf's memfd, or the exporting vgem file; -1: none */
	void *map;	/* vgem: the exporter's mapping, its pages in */
	size_t len;
};

/*
 * "heap" and "udmabuf" allocate a buffer; "vgem" makes one on the second
 * vgem device (ours with num_devices=2), mapped and written first so that
 * its pages exist before the first import, as the others' do.
 */
static void foreign_buffer(const char *exporter, size_t len, struct foreign *f)
{
	int ret = -EINVAL;

	*f = (struct foreign){ .dmabuf = -1, .keep = -1, .map = NULL, .len = len };
	if (!strcmp(exporter, "heap")) {
		ret = __dma_heap_alloc(SYSTEM_HEAP, len, &f->dmabuf);
	} else if (!strcmp(exporter, "udmabuf")) {
		ret = __udmabuf_create(len, &f->keep, &f->dmabuf);
	} else if (!strcmp(exporter, "vgem")) {
		struct vgem_bo bo = { .width = 1024, .height = (uint32_t)(len >> 12),
				      .bpp = 32 };

		f->keep = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);
		ret = __vgem_create(f->keep, &bo);
		if (!ret) {
			f->map = vgem_mmap(f->keep, &bo, PROT_READ | PROT_WRITE);
			memset(f->map, 1, len);
			ret = __prime_handle_to_fd(f->keep, bo.handle, DRM_CLOEXEC,
						   &f->dmabuf);
		}
	}
	if (ret)
		fail(exporter, -ret);
}

static void foreign_free(struct foreign *f)
{
	if (f->map)
		munmap(f->map, f->len);
	if (f->keep >= 0)
		close(f->keep);
	close(f->dmabuf);
}

static void import(const char *exporter, unsigned int mib, unsigned int files,
		   unsigned int reps)
{
	double *times = calloc((size_t)files * reps, sizeof(*times)), t;
	unsigned int f, r, k, distinct = 0;
	uint32_t handles[MAX_FILES], names[MAX_FILES];
	int fds[MAX_FILES], attached = 0;

	if (!times)
		fail("calloc", ENOMEM);
	for (r = 0; r < reps; r++) {
		struct foreign buf;
		uint64_t ino;
		int dmabuf;

		foreign_buffer(exporter, (size_t)mib << 20, &buf);
		dmabuf = buf.dmabuf;
		ino = fd_inode(dmabuf);

		for (f = 0; f < files; f++) {
			int ret;

			fds[f] = open_vgem();
			t = now_ns();
			ret = __prime_fd_to_handle(fds[f], dmabuf, &handles[f]);
			times[f * reps + r] = (now_ns() - t) / 1e3;
			if (ret)
				fail("import", -ret);
		}
		distinct = 0;
		for (f = 0; f < files; f++) {
			int ret = __gem_flink(fds[f], handles[f], &names[f]);

			if (ret)
				fail("flink", -ret);
			for (k = 0; k < f && names[k] != names[f]; k++)
				;
			distinct += k == f;
		}
		attached = dmabuf_attachments(ino);
		if (attached < 0)
			fail("bufinfo", -attached);
		for (f = 0; f < files; f++)
			close(fds[f]);
		foreign_free(&buf);
	}
	printf("exporter=%s size_mib=%u files=%u", exporter, mib, files);
	for (f = 0; f < files; f++)
		printf(" import_best_us_%u=%.0f", f + 1, lowest(&times[f * reps], reps));
	printf(" objects=%u attachments=%d\n", distinct, attached);
	free(times);
}

static void probe(void)
{
	const char *sep = "";

	if (access(SYSTEM_HEAP, R_OK) == 0) {
		printf("heap");
		sep = " ";
	}
	if (access("/dev/udmabuf", R_OK | W_OK) == 0) {
		printf("%sudmabuf", sep);
		sep = " ";
	}
	printf("%s\n", *sep ? "" : "none");
}

static noreturn void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s lookup -n OBJECTS [-c CALLS] [-b BATCHES]\n"
		"       %s import -e heap|udmabuf|vgem [-s MIB] [-f FILES] [-r REPS]\n"
		"       %s probe\n", argv0, argv0, argv0);
	exit(1);
}

int main(int argc, char **argv)
{
	unsigned long objects = 1;
	unsigned int calls = 500, batches = 32, mib = 64, files = 8, reps = 3;
	const char *exporter = NULL, *mode;
	int opt;

	if (argc < 2)
		usage(argv[0]);
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "n:c:b:e:s:f:r:")) != -1) {
		switch (opt) {
		case 'n': objects = strtoul(optarg, NULL, 0); break;
		case 'c': calls = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'b': batches = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'e': exporter = optarg; break;
		case 's': mib = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'f': files = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'r': reps = (unsigned int)strtoul(optarg, NULL, 0); break;
		default: usage(argv[0]);
		}
	}
	if (!strcmp(mode, "lookup") && objects && calls && batches)
		lookup(objects, calls, batches);
	else if (!strcmp(mode, "import") && exporter && mib && reps &&
		 files && files <= MAX_FILES)
		import(exporter, mib, files, reps);
	else if (!strcmp(mode, "probe"))
		probe();
	else
		usage(argv[0]);
	return 0;
}
