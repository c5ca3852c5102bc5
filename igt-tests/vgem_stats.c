// SPDX-License-Identifier: MIT
/*
 * vgem_stats: DRM_IOCTL_VGEM_STATS, the statistics any opener of a vgem
 * device may read, through libvgem's vgem_get_stats(), `vgemctl stats` and
 * raw ioctls.
 *
 * The unprivileged subtests run a child as uid/gid 65534 with no
 * capability, which opens the render nodes itself (made 0666 for the
 * subtest, as udev makes them on a real system: the guest's devtmpfs
 * leaves them 0600) and checks that the figures follow what it creates,
 * exports, maps and imports. Subtests load vgem with num_devices=2 when it
 * is loaded otherwise (imports need a second device; with one, the import
 * figures are not checked, saying so). This binary uses only lib/igt.h,
 * lib/igt_creds.h, libvgem and raw ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/igt.h"
#include "lib/igt_creds.h"
#include "lib/igt_module.h"
#include "lib/igt_vgemctl.h"
#include "vgem.h"

#define NOBODY		65534
#define PARAMS		"/sys/module/vgem/parameters/"
#define MAX_DEVICES	2

/* Every group the driver knows today. */
#define ALL_GROUPS	(VGEM_STATS_VALID_OBJECTS | VGEM_STATS_VALID_HASH | \
			 VGEM_STATS_VALID_CONTIG | VGEM_STATS_VALID_CONTIG_LIMITS)

/* The STATS command for a structure of @size bytes (an older or newer build). */
#define STATS_CMD(size) \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, \
	     DRM_COMMAND_BASE + DRM_VGEM_STATS, (size))

/*
 * Loads vgem with two devices and @params (NULL: as it is, when it already
 * has two devices). Skips on a driver without the STATS ioctl.
 */
static void load_vgem(const char *params)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	int fd, ret;

	if (params || access("/sys/module/vgem", F_OK) || vgem_device_count() != 2) {
		igt_vgem_reload_params("num_devices=2 %s", params ? params : "");
	}
	igt_require(vgem_device_count() >= 1);
	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(fd >= 0);
	ret = vgem_get_stats(fd, &st);
	close(fd);
	igt_require_f(ret != -EOPNOTSUPP,
		      "no statistics ioctl (upstream vgem?): -EOPNOTSUPP checked\n");
	igt_assert_eq(ret, 0);
}

/* Render nodes of the devices, made 0666 as udev makes them; @modes keeps the old. */
static int open_render_nodes(mode_t *modes)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
	struct stat s;
	int i, n = vgem_device_count();

	igt_assert(n >= 1);
	if (n > MAX_DEVICES)
		n = MAX_DEVICES;
	for (i = 0; i < n; i++) {
		igt_assert_eq(vgem_device_get_info(i, &info), 0);
		igt_assert(info.render_path[0]);
		igt_assert_eq(stat(info.render_path, &s), 0);
		modes[i] = s.st_mode & 07777;
		igt_assert_eq(chmod(info.render_path, 0666), 0);
	}
	return n;
}

static void restore_render_nodes(const mode_t *modes, int n)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
	int i;

	for (i = 0; i < n; i++) {
		igt_assert_eq(vgem_device_get_info(i, &info), 0);
		igt_assert_eq(chmod(info.render_path, modes[i]), 0);
	}
}

/* What a child of as_nobody() runs, and the devices it may open. */
struct nobody_work {
	void (*fn)(int devices);
	int devices;
};

static void nobody_work(void *data)
{
	struct nobody_work *work = data;

	work->fn(work->devices);
}

/* Runs @fn in a child that became uid/gid 65534; fails when the child fails. */
static void as_nobody(void (*fn)(int devices))
{
	mode_t modes[MAX_DEVICES];
	struct nobody_work work = { .fn = fn };
	bool ok;

	work.devices = open_render_nodes(modes);
	ok = igt_run_as_user(NOBODY, nobody_work, &work);
	restore_render_nodes(modes, work.devices);
	igt_assert(ok);
}

static void get_stats(int fd, struct vgem_stats *st)
{
	*st = VGEM_INIT(struct vgem_stats);
	igt_assert_eq(vgem_get_stats(fd, st), 0);
}

/* A module parameter's value in bytes: a size, or a percentage of @context. */
static uint64_t param_bytes(const char *name, uint64_t context)
{
	char path[96], buf[32] = "", *end;
	unsigned long long value;
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "re");
	igt_assert_f(f, "cannot open %s\n", path);
	igt_assert(fgets(buf, sizeof(buf), f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	value = strtoull(buf, &end, 10);
	igt_assert_f(end != buf && (!*end || !strcmp(end, "%")), "%s: \"%s\"\n", name, buf);
	return *end ? context * value / 100 : value;
}

/* Whether the driver has a contiguous memory context (cma_context reads it back). */
static int has_context(void)
{
	char buf[64] = "";
	FILE *f = fopen(PARAMS "cma_context", "re");

	igt_assert(f);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] && buf[0] != '\n';
}

/* ---- uid 65534 through libvgem ------------------------------------------- */

static void nobody_libvgem(int devices)
{
	struct vgem_stats before, st, peer_before = { 0 }, peer;
	struct vgem_bo a, b, imp, imp2;
	int fd, fd1 = -1, fd1b, dmabuf;
	uint64_t context;
	void *map;

	igt_assert_eq(getuid(), NOBODY);
	/* The primary node and debugfs stay root's: the figures come from the ioctl. */
	igt_assert(vgem_open(0, VGEM_NODE_PRIMARY) < 0);
	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert_f(fd >= 0, "uid %d cannot open the render node: %d\n", NOBODY, fd);
	igt_assert(vgem_list_objects(fd, NULL, 0) < 0);

	get_stats(fd, &before);
	igt_assert_eq(before.valid & (VGEM_STATS_OBJECTS | VGEM_STATS_HASH |
				      VGEM_STATS_CONTIG_LIMITS),
		      VGEM_STATS_OBJECTS | VGEM_STATS_HASH | VGEM_STATS_CONTIG_LIMITS);
	/* The module's limits, readable by anyone, in bytes. */
	context = before.valid & VGEM_STATS_CMA ? before.cma_bytes_total : 0;
	igt_assert_eq(before.contig_max_buffer, param_bytes("contig_max_buffer", context));
	igt_assert_eq(before.contig_user_limit, param_bytes("contig_user_limit", context));

	/* Two shmem objects: 16 KiB and 64 KiB. */
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_SHMEM, &a), 0);
	igt_assert_eq(vgem_bo_create(fd, 128, 128, 32, VGEM_BO_CREATE_SHMEM, &b), 0);
	igt_assert_eq(a.size, 16384);
	igt_assert_eq(b.size, 65536);
	get_stats(fd, &st);
	igt_assert_eq(st.objects, before.objects + 2);
	igt_assert_eq(st.bytes, before.bytes + a.size + b.size);
	igt_assert_eq(st.exported, before.exported);
	igt_assert_eq(st.pinned, before.pinned);

	/* Exported, then pinned by a mapping of its dma-buf. */
	igt_assert_eq(vgem_bo_export(fd, a.handle, VGEM_EXPORT_RDWR, &dmabuf), 0);
	get_stats(fd, &st);
	igt_assert_eq(st.exported, before.exported + 1);
	igt_assert_eq(st.imported, before.imported);
	igt_assert_eq(vgem_dmabuf_map(dmabuf, a.size, VGEM_MAP_READ, &map), 0);
	get_stats(fd, &st);
	igt_assert_eq(st.pinned, before.pinned + 1);

	if (devices < 2) {
		igt_info("one vgem device: imports not checked\n");
	} else {
		/* Device 1 imports device 0's dma-buf: foreign to it. */
		fd1 = vgem_open(1, VGEM_NODE_RENDER);
		igt_assert(fd1 >= 0);
		get_stats(fd1, &peer_before);
		igt_assert_eq(vgem_bo_import(fd1, dmabuf, &imp), 0);
		get_stats(fd1, &peer);
		igt_assert_eq(peer.objects, peer_before.objects + 1);
		igt_assert_eq(peer.bytes, peer_before.bytes + a.size);
		igt_assert_eq(peer.imported, peer_before.imported + 1);
		igt_assert_eq(peer.exported, peer_before.exported);
		igt_assert_eq(peer.hash_lookups, peer_before.hash_lookups + 1);
		igt_assert_eq(peer.hash_hits, peer_before.hash_hits);
		/* Another file of device 1: the same object, a hit. */
		fd1b = vgem_open(1, VGEM_NODE_RENDER);
		igt_assert(fd1b >= 0);
		igt_assert_eq(vgem_bo_import(fd1b, dmabuf, &imp2), 0);
		get_stats(fd1, &peer);
		igt_assert_eq(peer.objects, peer_before.objects + 1);
		igt_assert_eq(peer.hash_lookups, peer_before.hash_lookups + 2);
		igt_assert_eq(peer.hash_hits, peer_before.hash_hits + 1);
		close(fd1b);
		/* Device 0 is not changed by device 1's import. */
		get_stats(fd, &st);
		igt_assert_eq(st.objects, before.objects + 2);
		igt_assert_eq(st.imported, before.imported);
		igt_assert_eq(st.hash_lookups, before.hash_lookups);
	}

	/* Everything goes: the figures come back. */
	igt_assert_eq(vgem_bo_unmap(map, a.size), 0);
	close(dmabuf);
	if (fd1 >= 0)
		close(fd1);	/* device 1's import goes, and its attachment of a */
	igt_assert_eq(vgem_bo_close(fd, a.handle), 0);
	igt_assert_eq(vgem_bo_close(fd, b.handle), 0);
	get_stats(fd, &st);
	igt_assert_eq(st.objects, before.objects);
	igt_assert_eq(st.bytes, before.bytes);
	igt_assert_eq(st.exported, before.exported);
	igt_assert_eq(st.pinned, before.pinned);
	if (devices >= 2) {
		fd1 = vgem_open(1, VGEM_NODE_RENDER);
		igt_assert(fd1 >= 0);
		get_stats(fd1, &peer);
		igt_assert_eq(peer.objects, peer_before.objects);
		igt_assert_eq(peer.imported, peer_before.imported);
		close(fd1);
	}
	close(fd);
}

static void test_nobody_libvgem(void)
{
	load_vgem(NULL);
	as_nobody(nobody_libvgem);
}

/* ---- uid 65534 through vgemctl ------------------------------------------- */

/* The figures of the first line of `vgemctl stats -d 0`, which it prints. */
struct vgemctl_figures {
	uint64_t objects, bytes, exported, imported, pinned;
	int limits_line;
	int pasr_line;		/* "PASR: ..." after the devices */
};

static void run_vgemctl(struct vgemctl_figures *out)
{
	char path[PATH_MAX], cmd[PATH_MAX + 32], line[512];
	unsigned int index;
	int status, first = 1;
	FILE *p;

	igt_vgemctl_path(path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "'%s' stats -d 0 2>&1", path);
	memset(out, 0, sizeof(*out));
	fflush(NULL);
	p = popen(cmd, "r");
	igt_assert(p);
	while (fgets(line, sizeof(line), p)) {
		igt_info("vgemctl (uid %u): %s", (unsigned int)getuid(), line);
		if (first) {
			igt_assert_f(sscanf(line, "device %u: %" SCNu64 " object(s), %" SCNu64
					    " bytes (%" SCNu64 " exported, %" SCNu64
					    " imported, %" SCNu64 " pinned)", &index,
					    &out->objects, &out->bytes, &out->exported,
					    &out->imported, &out->pinned) == 6 && index == 0,
				     "unexpected first line: %s", line);
			first = 0;
		}
		if (strstr(line, "contiguous limits (all devices):"))
			out->limits_line = 1;
		if (!strncmp(line, "PASR: ", 6))
			out->pasr_line = 1;
	}
	status = pclose(p);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "vgemctl stats exited with status %#x\n", status);
	igt_assert(!first);
}

static void nobody_vgemctl(int devices)
{
	struct vgemctl_figures before, after;
	struct vgem_stats st;
	struct vgem_bo bo;
	int fd;

	(void)devices;
	igt_assert_eq(getuid(), NOBODY);
	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(fd >= 0);
	run_vgemctl(&before);
	igt_assert(before.limits_line);
	igt_assert(before.pasr_line);	/* "PASR: not loaded" here, or its figures */
	/* The same figures as libvgem's (nothing else runs). */
	get_stats(fd, &st);
	igt_assert_eq(before.objects, st.objects);
	igt_assert_eq(before.bytes, st.bytes);

	igt_assert_eq(vgem_bo_create(fd, 256, 64, 32, VGEM_BO_CREATE_SHMEM, &bo), 0);
	igt_assert_eq(bo.size, 65536);
	run_vgemctl(&after);
	igt_assert_eq(after.objects, before.objects + 1);
	igt_assert_eq(after.bytes, before.bytes + bo.size);
	igt_assert_eq(after.exported, before.exported);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);
	close(fd);
}

static void test_nobody_vgemctl(void)
{
	load_vgem(NULL);
	as_nobody(nobody_vgemctl);
}

/* ---- the ioctl's checks and its ABI -------------------------------------- */

static int stats_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static void test_invalid(void)
{
	static const uint32_t bits[] = { 1u << 0, 1u << 1, 1u << 31 };
	struct drm_vgem_stats s;
	unsigned int i;
	int fd;

	load_vgem(NULL);
	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(fd >= 0);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.flags = bits[i];
		igt_assert_eq(stats_ioctl(fd, DRM_IOCTL_VGEM_STATS, &s), -EINVAL);
		igt_assert_eq(s.valid, 0);
		memset(&s, 0, sizeof(s));
		s.pad = bits[i];
		igt_assert_eq(stats_ioctl(fd, DRM_IOCTL_VGEM_STATS, &s), -EINVAL);
		igt_assert_eq(s.valid, 0);
	}
	/* Outputs' input values are ignored: garbage in, figures out. */
	memset(&s, 0xff, sizeof(s));
	s.flags = 0;
	s.pad = 0;
	igt_assert_eq(stats_ioctl(fd, DRM_IOCTL_VGEM_STATS, &s), 0);
	igt_assert_eq(s.valid & ~(uint64_t)ALL_GROUPS, 0);
	igt_assert(s.valid & VGEM_STATS_VALID_OBJECTS);
	igt_assert(s.objects < 1000000 && s.bytes < (1ull << 48));
	if (!(s.valid & VGEM_STATS_VALID_CONTIG)) {
		igt_assert_eq(s.contig_bytes, 0);
		igt_assert_eq(s.contig_context_bytes, 0);
	}
	close(fd);
}

static void test_struct_sizes(void)
{
	const size_t old_size = offsetof(struct drm_vgem_stats, contig_bytes);
	struct {
		struct drm_vgem_stats s;
		uint64_t newer[2];
	} buf;
	struct drm_vgem_stats full;
	int fd;

	load_vgem(NULL);
	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(fd >= 0);
	igt_assert_eq(sizeof(full), 120);
	memset(&full, 0, sizeof(full));
	igt_assert_eq(stats_ioctl(fd, DRM_IOCTL_VGEM_STATS, &full), 0);

	/* An older build: objects and hash only; nothing past its size is written. */
	memset(&buf, 0x5a, sizeof(buf));
	memset(&buf.s, 0, old_size);
	igt_assert_eq(stats_ioctl(fd, STATS_CMD(old_size), &buf.s), 0);
	igt_assert(buf.s.valid & VGEM_STATS_VALID_OBJECTS);
	igt_assert(buf.s.valid & VGEM_STATS_VALID_HASH);
	igt_assert_eq(buf.s.objects, full.objects);
	igt_assert_eq(buf.s.bytes, full.bytes);
	igt_assert_eq(buf.s.hash_hits, full.hash_hits);
	igt_assert_eq(buf.s.hash_misses, full.hash_misses);
	igt_assert_eq(buf.s.contig_bytes, 0x5a5a5a5a5a5a5a5aull);
	igt_assert_eq(buf.s.contig_over_user_limit, 0x5a5a5a5a5a5a5a5aull);
	igt_assert_eq(buf.newer[0], 0x5a5a5a5a5a5a5a5aull);

	/* The smallest: flags, pad and valid. */
	memset(&buf, 0x5a, sizeof(buf));
	memset(&buf.s, 0, 16);
	igt_assert_eq(stats_ioctl(fd, STATS_CMD(16), &buf.s), 0);
	igt_assert_eq(buf.s.valid & ~(uint64_t)ALL_GROUPS, 0);
	igt_assert(buf.s.valid & VGEM_STATS_VALID_OBJECTS);
	igt_assert_eq(buf.s.objects, 0x5a5a5a5a5a5a5a5aull);
	/* Its flags are still checked. */
	buf.s.flags = 1;
	igt_assert_eq(stats_ioctl(fd, STATS_CMD(16), &buf.s), -EINVAL);

	/* A newer build: its members come back as it passed them, the known filled. */
	memset(&buf, 0, sizeof(buf));
	buf.newer[0] = 0x1234;
	buf.newer[1] = 0;
	igt_assert_eq(stats_ioctl(fd, STATS_CMD(sizeof(buf)), &buf), 0);
	igt_assert_eq(buf.s.valid, full.valid);
	igt_assert_eq(buf.s.objects, full.objects);
	igt_assert_eq(buf.s.contig_max_buffer, full.contig_max_buffer);
	igt_assert_eq(buf.newer[0], 0x1234);
	igt_assert_eq(buf.newer[1], 0);

	close(fd);
}

/* ---- the contiguous group: valid exactly when there is a context ---------- */

static void check_contig_group(int expect_context)
{
	struct vgem_stats st, now;
	struct vgem_bo bo;
	int fd, ret;

	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(fd >= 0);
	get_stats(fd, &st);
	igt_assert_eq(has_context(), expect_context);
	igt_assert_eq(!!(st.valid & VGEM_STATS_CMA), expect_context);
	igt_assert(st.valid & VGEM_STATS_CONTIG_LIMITS);
	igt_assert_eq(st.contig_user_limit,
		      param_bytes("contig_user_limit", st.cma_bytes_total));
	if (!expect_context) {
		igt_assert_eq(st.cma_bytes_used, 0);
		igt_assert_eq(st.cma_bytes_total, 0);
		igt_assert_eq(vgem_bo_create(fd, 256, 256, 32, VGEM_BO_CREATE_CONTIGUOUS,
					     &bo), -ENODEV);
		close(fd);
		return;
	}
	igt_assert(st.cma_bytes_total > 0);
	igt_assert(st.cma_bytes_used <= st.cma_bytes_total);
	ret = vgem_bo_create(fd, 256, 256, 32, VGEM_BO_CREATE_CONTIGUOUS, &bo);
	if (ret == -ENOMEM) {
		igt_info("the context has no room: contiguous bytes not checked\n");
		close(fd);
		return;
	}
	igt_assert_eq(ret, 0);
	get_stats(fd, &now);
	igt_assert_eq(now.cma_bytes_used, st.cma_bytes_used + bo.size);
	igt_assert_eq(now.cma_bytes_total, st.cma_bytes_total);
	igt_assert_eq(now.bytes, st.bytes + bo.size);
	igt_assert_eq(vgem_bo_close(fd, bo.handle), 0);
	get_stats(fd, &now);
	igt_assert_eq(now.cma_bytes_used, st.cma_bytes_used);
	close(fd);
}

static void test_contig_valid(void)
{
	int context;

	load_vgem(NULL);
	context = has_context();
	check_contig_group(context);
	/* A context name that does not exist: no contiguous memory, bit clear. */
	load_vgem("cma_context=vgem-stats-none");
	check_contig_group(0);
	load_vgem("");
	check_contig_group(context);
	if (!context)
		igt_skip("no contiguous memory (boot with movablecore=256M): only the "
			 "clear bit checked\n");
}

static const struct igt_subtest subtests[] = {
	{ "nobody-libvgem", test_nobody_libvgem },
	{ "nobody-vgemctl", test_nobody_vgemctl },
	{ "invalid", test_invalid },
	{ "struct-sizes", test_struct_sizes },
	{ "contig-valid", test_contig_valid },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
