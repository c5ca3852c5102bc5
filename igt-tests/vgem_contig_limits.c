// SPDX-License-Identifier: MIT
/*
 * vgem_contig_limits: what one user may do to the others through vgem.
 *
 *  - the limits on contiguous memory: module parameters contig_max_buffer
 *    (-EFBIG) and contig_user_limit (-EDQUOT per real uid, CAP_SYS_RESOURCE
 *    exempt), their sysfs syntax, VGEM_BO_FALLBACK, and the figures of the
 *    vgem_contig debugfs file (limits, refusals, one line per user);
 *  - a task waiting for another task's migration of contiguous memory dies
 *    promptly on SIGKILL, and so does the migrating task;
 *  - importing a big dma-buf (slow: the exporter makes its pages) does not
 *    stall the other PRIME calls of the importing device.
 *
 * Unprivileged users are child processes that open a render node as root
 * and then drop to uid 65534 or 65533. Every subtest starts and ends with
 * the limits at their defaults, frees what it allocated, unmounts the tmpfs
 * it filled and reloads vgem with its defaults when it reloaded it.
 * Subtests that need contiguous memory skip, saying why, without a context
 * (boot with movablecore=256M); the limit subtests skip on a driver
 * without the limit parameters.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_creds.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_fd.h"
#include "lib/igt_figures.h"
#include "lib/igt_gem.h"
#include "lib/igt_mm.h"
#include "lib/igt_module.h"
#include "lib/igt_table.h"
#include "lib/igt_vgem.h"

#define MiB		(1024ull * 1024)
#define PAGE		4096ull
#define NOBODY		65534u	/* the unprivileged users of the subtests */
#define OTHER_USER	65533u
#define FILL_DIR	"/tmp/vgem-contig-limits-fill"
#define MAX_USERS	16
#define NR_MAPPERS	4	/* processes that map the page cache to migrate */

/* ---- time ----------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- buffers --------------------------------------------------------------- */

/* VGEM_BACKING_* of @handle, asserting BO_INFO works. */
static uint32_t bo_backing(int fd, uint32_t handle)
{
	struct drm_vgem_bo_info info;

	igt_assert_eq(__igt_vgem_bo_info(fd, handle, &info), 0);
	return info.backing;
}

/* ---- the module, its parameters and its figures ------------------------------ */

static bool param_exists(const char *name)
{
	return igt_module_param_exists("vgem", name);
}

/* Write @value and a newline (as echo does) to a parameter: 0 or -errno. */
static int __param_write(const char *name, const char *value)
{
	return igt_module_param_write("vgem", name, value);
}

static void param_write(const char *name, const char *value)
{
	int ret = __param_write(name, value);

	igt_assert_f(ret == 0, "writing \"%s\" to %s: %s\n", value, name, strerror(-ret));
}

/* A parameter's value, without the newline. */
static void param_read(const char *name, char *value, size_t size)
{
	int ret = igt_module_param_read("vgem", name, value, size);

	igt_assert_f(ret == 0, "vgem parameter %s: %s\n", name, strerror(-ret));
}

/*
 * The default limits, as a subtest must find and leave them (a subtest that
 * failed half-way may have left others). A no-op on a driver without them.
 */
static void restore_limits(void)
{
	if (param_exists("contig_user_limit"))
		param_write("contig_user_limit", "50%");
	if (param_exists("contig_max_buffer"))
		param_write("contig_max_buffer", "256M");
}

/* What the vgem_contig debugfs file of a device says. */
struct contig_stats {
	uint64_t context_bytes;
	uint64_t max_buffer_bytes;
	uint64_t user_limit_bytes;
	uint64_t over_max_buffer;
	uint64_t over_user_limit;
	unsigned int nr_users;
	struct {
		unsigned int uid;
		unsigned long buffers;
		uint64_t bytes;
	} users[MAX_USERS];
};

static void read_contig_stats(int minor, struct contig_stats *st)
{
	static const char *const keys[] = {
		"context_bytes", "max_buffer_bytes", "user_limit_bytes",
		"over_max_buffer", "over_user_limit",
	};
	long long figures[sizeof(keys) / sizeof(keys[0])];
	struct igt_table *users;
	char path[PATH_MAX];
	unsigned int i;
	FILE *f;

	memset(st, 0, sizeof(*st));
	igt_debugfs_device_path(minor, "vgem_contig", path, sizeof(path));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		figures[i] = igt_figure(path, keys[i]);
		igt_assert_f(figures[i] >= 0, "%s lacks %s\n", path, keys[i]);
	}
	st->context_bytes = (uint64_t)figures[0];
	st->max_buffer_bytes = (uint64_t)figures[1];
	st->user_limit_bytes = (uint64_t)figures[2];
	st->over_max_buffer = (uint64_t)figures[3];
	st->over_user_limit = (uint64_t)figures[4];

	f = fopen(path, "re");
	igt_assert_f(f, "%s: %s\n", path, strerror(errno));
	users = igt_table_read(f, "uid");
	fclose(f);
	igt_assert_f(users, "%s: no users' table: %s\n", path, strerror(errno));
	igt_assert_f(!users->after[0], "%s: bad user line: %s\n", path, users->after);
	igt_assert_f(users->nr_rows <= MAX_USERS, "%s: too many users\n", path);
	for (i = 0; i < users->nr_rows; i++) {
		st->users[i].uid = (unsigned int)igt_table_number(users, i, "uid");
		st->users[i].buffers = (unsigned long)igt_table_number(users, i, "buffers");
		st->users[i].bytes = igt_table_number(users, i, "bytes");
	}
	st->nr_users = users->nr_rows;
	igt_table_free(users);
}

/* Whether @uid has a line in @st; its figures if so. */
static bool user_charge(const struct contig_stats *st, unsigned int uid,
			unsigned long *buffers, uint64_t *bytes)
{
	unsigned int i;

	for (i = 0; i < st->nr_users; i++) {
		if (st->users[i].uid == uid) {
			if (buffers)
				*buffers = st->users[i].buffers;
			if (bytes)
				*bytes = st->users[i].bytes;
			return true;
		}
	}
	return false;
}

static void assert_charge(int minor, unsigned int uid, unsigned long buffers,
			  uint64_t bytes)
{
	struct contig_stats st;
	unsigned long got_buffers = 0;
	uint64_t got_bytes = 0;

	read_contig_stats(minor, &st);
	if (!buffers) {
		igt_assert_f(!user_charge(&st, uid, NULL, NULL),
			     "uid %u still has a line in vgem_contig\n", uid);
		return;
	}
	igt_assert_f(user_charge(&st, uid, &got_buffers, &got_bytes),
		     "uid %u has no line in vgem_contig\n", uid);
	igt_assert_f(got_buffers == buffers && got_bytes == bytes,
		     "uid %u is charged %lu buffers, %llu bytes; expected %lu, %llu\n",
		     uid, got_buffers, (unsigned long long)got_bytes, buffers,
		     (unsigned long long)bytes);
}

/*
 * Device 0 (primary node, root), vgem loaded, limits at their defaults and
 * contiguous memory available; @minor (if not NULL) gets its minor, the
 * directory of its debugfs files.
 */
static int open_contig_card(int *minor)
{
	int fd;

	if (!igt_module_loaded("vgem"))
		igt_vgem_reload(1);
	restore_limits();
	fd = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, minor);
	igt_vgem_require_contiguous(fd);
	return fd;
}

/* open_contig_card(), and skip unless the driver has the limits. */
static int open_limits_card(int *minor)
{
	int fd = open_contig_card(minor);
	char path[PATH_MAX];

	igt_require_f(param_exists("contig_user_limit") && param_exists("contig_max_buffer"),
		      "vgem has no contig_user_limit/contig_max_buffer parameters "
		      "(a driver without limits on contiguous memory)\n");
	igt_debugfs_device_path(*minor, "vgem_contig", path, sizeof(path));
	igt_assert_f(access(path, R_OK) == 0, "%s: %s\n", path, strerror(errno));
	return fd;
}

/* ---- credentials ------------------------------------------------------------ */

/* A render node of device 0, opened as root; then the task becomes @uid. */
static int open_render_as(unsigned int uid)
{
	int fd = igt_vgem_open_device(0, DRM_NODE_KIND_RENDER, NULL);

	igt_become_user(uid);
	return fd;
}

/* ---- helper processes --------------------------------------------------------- */

/*
 * A child process that runs one function: it reports through a pipe and
 * takes each next step when the parent writes a byte to another. An
 * assertion failing in it ends it with the failure exit code; the parent
 * then finds the report pipe closed and fails naming the child's status.
 * Helpers die with the subtest (parent-death signal).
 */
struct helper {
	const char *name;
	pid_t pid;
	int cmd;	/* the parent's end: a byte per step */
	int report;	/* the parent's end: what the helper reports */
};

typedef void (*helper_fn)(int cmd, int report, const void *arg);

static void helper_start(struct helper *h, const char *name, helper_fn fn,
			 const void *arg)
{
	pid_t parent = getpid();
	int to[2], from[2];

	igt_assert_eq(pipe2(to, O_CLOEXEC), 0);
	igt_assert_eq(pipe2(from, O_CLOEXEC), 0);
	fflush(stdout);
	fflush(stderr);
	h->name = name;
	h->pid = fork();
	igt_assert(h->pid >= 0);
	if (h->pid == 0) {
		close(to[1]);
		close(from[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(IGT_EXIT_FAILURE);
		fn(to[0], from[1], arg);
		_exit(IGT_EXIT_SUCCESS);
	}
	close(to[0]);
	close(from[1]);
	h->cmd = to[1];
	h->report = from[0];
}

/* In a helper: send a report. */
static void helper_report(int report, const void *data, size_t len)
{
	igt_assert_eq(write(report, data, len), (ssize_t)len);
}

/* In a helper: wait for the parent's next byte; end when the parent is gone. */
static void helper_wait_go(int cmd)
{
	char byte;
	ssize_t ret;

	do {
		ret = read(cmd, &byte, 1);
	} while (ret < 0 && errno == EINTR);
	if (ret != 1)
		_exit(IGT_EXIT_SUCCESS);
}

static void helper_go(struct helper *h)
{
	igt_assert_eq(write(h->cmd, "g", 1), 1);
}

/* Whether the helper reported (or ended), waiting at most @timeout_s. */
static int helper_poll(struct helper *h, double timeout_s)
{
	struct pollfd pfd = { .fd = h->report, .events = POLLIN };
	int ret;

	do {
		ret = poll(&pfd, 1, (int)(timeout_s * 1000));
	} while (ret < 0 && errno == EINTR);
	igt_assert(ret >= 0);
	return ret ? 1 : 0;
}

/* The status of a helper that ended (it is reaped). */
static int helper_reap(struct helper *h)
{
	int status;

	while (waitpid(h->pid, &status, 0) < 0)
		igt_assert_eq(errno, EINTR);
	h->pid = 0;
	close(h->cmd);
	close(h->report);
	return status;
}

static void fail_helper(struct helper *h, const char *what)
{
	int status = helper_reap(h);

	if (WIFSIGNALED(status))
		igt_assert_f(false, "helper %s: %s: killed by signal %d\n", h->name, what,
			     WTERMSIG(status));
	igt_assert_f(false, "helper %s: %s: it exited with %d%s\n", h->name, what,
		     WEXITSTATUS(status),
		     WEXITSTATUS(status) == IGT_EXIT_FAILURE ? " (an assertion failed: see above)" : "");
}

/* Read a report of @len bytes, failing if the helper ended without one. */
static void helper_read(struct helper *h, void *data, size_t len)
{
	size_t done = 0;
	ssize_t ret;

	while (done < len) {
		ret = read(h->report, (char *)data + done, len - done);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			fail_helper(h, "no report");
		done += (size_t)ret;
	}
}

/* Let a helper finish and assert that it succeeded. */
static void helper_finish(struct helper *h)
{
	int status;

	helper_go(h);
	status = helper_reap(h);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == IGT_EXIT_SUCCESS,
		     "helper %s failed (status 0x%x)\n", h->name, status);
}

/* ---- helpers' work -------------------------------------------------------------- */

/* As @uid, contiguous buffers of @mib MiB until one is refused, at most @max. */
struct fill_arg {
	unsigned int uid;
	unsigned int mib;
	unsigned int max;
};

struct fill_result {
	int err;		/* of the request that ended it; 0: @max reached */
	int fallback_err;	/* the same request with FALLBACK, after a refusal */
	uint32_t fallback_backing;
	unsigned int buffers;
	uint64_t bytes;
};

static void fill_as_user(int cmd, int report, const void *p)
{
	const struct fill_arg *arg = p;
	struct fill_result res = { .fallback_err = 1 };
	struct drm_vgem_bo_create bo;
	int fd = open_render_as(arg->uid);

	while (res.buffers < arg->max) {
		res.err = __igt_vgem_create_mib(fd, arg->mib, VGEM_BO_CONTIGUOUS, 0, &bo);
		if (res.err)
			break;
		igt_assert_eq(bo_backing(fd, bo.handle), VGEM_BACKING_CONTIGUOUS);
		res.buffers++;
		res.bytes += bo.size;
	}
	if (res.err == -EDQUOT || res.err == -EFBIG) {
		res.fallback_err = __igt_vgem_create_mib(fd, arg->mib,
							 VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK,
							 0, &bo);
		if (!res.fallback_err)
			res.fallback_backing = bo_backing(fd, bo.handle);
	}
	helper_report(report, &res, sizeof(res));
	helper_wait_go(cmd);
	/* Exiting closes the file: every buffer goes. */
}

/* As @uid, a contiguous buffer of @mib MiB exported and sent over @sock. */
struct share_arg {
	unsigned int uid;
	unsigned int mib;
	int sock;
};

static void create_and_send(int cmd, int report, const void *p)
{
	const struct share_arg *arg = p;
	int fd = open_render_as(arg->uid), dmabuf;
	uint32_t handle = igt_vgem_create_mib(fd, arg->mib, VGEM_BO_CONTIGUOUS);
	uint64_t size = arg->mib * MiB;

	dmabuf = prime_handle_to_fd(fd, handle);
	igt_assert_eq(send_fd(arg->sock, dmabuf), 0);
	helper_report(report, &size, sizeof(size));
	helper_wait_go(cmd);
}

/*
 * As @uid, receive a dma-buf over @sock and import it; on the next steps,
 * close the handle, then the dma-buf.
 */
static void receive_and_hold(int cmd, int report, const void *p)
{
	const struct share_arg *arg = p;
	int fd = open_render_as(arg->uid), dmabuf;
	uint32_t handle, backing;

	dmabuf = recv_fd(arg->sock);
	igt_assert_f(dmabuf >= 0, "recv_fd: %s\n", strerror(-dmabuf));
	handle = prime_fd_to_handle(fd, dmabuf);
	backing = bo_backing(fd, handle);
	helper_report(report, &backing, sizeof(backing));
	helper_wait_go(cmd);
	gem_close(fd, handle);
	helper_report(report, &backing, sizeof(backing));
	helper_wait_go(cmd);
	close(dmabuf);
	helper_report(report, &backing, sizeof(backing));
	helper_wait_go(cmd);
}

/*
 * As root: open a render node, say "ready"; on the next step say "starting"
 * and ask for one contiguous buffer of @mib MiB aligned to @alignment bytes
 * (0: any); report how it went.
 */
struct alloc_arg {
	unsigned int mib;
	uint64_t alignment;
};

struct alloc_result {
	int err;
	double end;
};

static void alloc_contiguous(int cmd, int report, const void *p)
{
	const struct alloc_arg *arg = p;
	int fd = igt_vgem_open_device(0, DRM_NODE_KIND_RENDER, NULL);
	struct drm_vgem_bo_create bo;
	struct alloc_result res;

	helper_report(report, "r", 1);
	helper_wait_go(cmd);
	helper_report(report, "s", 1);
	bo = (struct drm_vgem_bo_create){ .width = 1024, .height = 256 * arg->mib, .bpp = 32,
					  .flags = VGEM_BO_CONTIGUOUS,
					  .alignment = arg->alignment };
	res.err = __igt_vgem_bo_create(fd, &bo);
	res.end = now_s();
	helper_report(report, &res, sizeof(res));
	helper_wait_go(cmd);
}

/*
 * As root: map every file of the page-cache fill (shared, populated), say
 * "ready", and keep the mappings until told. A page mapped by several
 * processes takes longer to migrate: each mapping is undone and redone.
 */
static void map_fill(int cmd, int report, const void *p)
{
	char path[PATH_MAX];
	struct dirent *de;
	unsigned int maps = 0;
	struct stat st;
	DIR *dir;
	int fd;

	(void)p;
	dir = opendir(FILL_DIR);
	igt_assert_f(dir, FILL_DIR ": %s\n", strerror(errno));
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), FILL_DIR "/%s", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));
		igt_assert_eq(fstat(fd, &st), 0);
		igt_assert(mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED | MAP_POPULATE,
				fd, 0) != MAP_FAILED);
		close(fd);
		maps++;
	}
	closedir(dir);
	igt_assert(maps > 0);
	helper_report(report, "r", 1);
	helper_wait_go(cmd);
}

/* ---- subtests: limits ------------------------------------------------------------- */

/* contig_user_limit: per real uid, EDQUOT past it, root exempt, charges returned. */
static void test_user_limit(void)
{
	const uint64_t limit = 16 * MiB;
	const unsigned int chunk_mib = 4;
	struct fill_result r1, r2;
	struct contig_stats before, st;
	struct helper h1, h2;
	uint32_t handles[5];
	int minor, fd = open_limits_card(&minor);
	unsigned int i;

	igt_require_f(igt_has_capability(CAP_SYS_RESOURCE), "the test runs without CAP_SYS_RESOURCE\n");
	read_contig_stats(minor, &before);
	igt_assert_f(!user_charge(&before, NOBODY, NULL, NULL) &&
		     !user_charge(&before, OTHER_USER, NULL, NULL),
		     "uids %u/%u hold contiguous buffers before the test\n", NOBODY, OTHER_USER);
	param_write("contig_user_limit", "16M");
	read_contig_stats(minor, &st);
	igt_assert_eq(st.user_limit_bytes, limit);

	/* A user allocates until refused: up to the limit, then EDQUOT. */
	helper_start(&h1, "uid 65534 fill", fill_as_user,
		     &(struct fill_arg){ .uid = NOBODY, .mib = chunk_mib, .max = 64 });
	helper_read(&h1, &r1, sizeof(r1));
	igt_info("uid %u: %u buffers of %u MiB (%llu MiB) under a limit of %llu MiB, then %s; "
		 "with FALLBACK: %s, backing %u\n", NOBODY, r1.buffers, chunk_mib,
		 (unsigned long long)(r1.bytes / MiB), (unsigned long long)(limit / MiB),
		 strerror(-r1.err), strerror(-r1.fallback_err), r1.fallback_backing);
	igt_assert_f(r1.err == -EDQUOT, "the request past the limit failed with %s, not EDQUOT\n",
		     strerror(-r1.err));
	igt_assert_f(r1.bytes <= limit && r1.bytes > limit - chunk_mib * MiB,
		     "%llu bytes under a limit of %llu\n", (unsigned long long)r1.bytes,
		     (unsigned long long)limit);
	igt_assert_eq(r1.fallback_err, 0);
	igt_assert_eq(r1.fallback_backing, VGEM_BACKING_SHMEM);
	read_contig_stats(minor, &st);
	igt_info("over_user_limit: %llu before, %llu after\n",
		 (unsigned long long)before.over_user_limit,
		 (unsigned long long)st.over_user_limit);
	igt_assert(st.over_user_limit > before.over_user_limit);
	/* The shmem fallback is not charged. */
	assert_charge(minor, NOBODY, r1.buffers, r1.bytes);

	/* Another user still gets contiguous memory meanwhile. */
	helper_start(&h2, "uid 65533 alloc", fill_as_user,
		     &(struct fill_arg){ .uid = OTHER_USER, .mib = chunk_mib, .max = 1 });
	helper_read(&h2, &r2, sizeof(r2));
	igt_assert_f(r2.err == 0 && r2.buffers == 1,
		     "uid %u could not get a contiguous buffer: %s\n", OTHER_USER,
		     strerror(-r2.err));
	assert_charge(minor, OTHER_USER, 1, chunk_mib * MiB);
	assert_charge(minor, NOBODY, r1.buffers, r1.bytes);

	/* CAP_SYS_RESOURCE is exempt (but charged), and refusals are not counted. */
	read_contig_stats(minor, &before);
	for (i = 0; i < 5; i++) {
		handles[i] = igt_vgem_create_mib(fd, chunk_mib, VGEM_BO_CONTIGUOUS);
		igt_assert_eq(bo_backing(fd, handles[i]), VGEM_BACKING_CONTIGUOUS);
	}
	assert_charge(minor, 0, 5, 5 * chunk_mib * MiB);
	read_contig_stats(minor, &st);
	igt_assert_eq(st.over_user_limit, before.over_user_limit);
	igt_info("root: 5 buffers of %u MiB (%u MiB) past the limit\n", chunk_mib,
		 5 * chunk_mib);
	for (i = 0; i < 5; i++)
		gem_close(fd, handles[i]);
	assert_charge(minor, 0, 0, 0);

	/* The charges go with the buffers. */
	helper_finish(&h2);
	helper_finish(&h1);
	assert_charge(minor, NOBODY, 0, 0);
	assert_charge(minor, OTHER_USER, 0, 0);

	restore_limits();
	read_contig_stats(minor, &st);
	igt_assert_eq(st.user_limit_bytes, st.context_bytes * 50 / 100);
	close(fd);
}

/* contig_max_buffer: EFBIG past it, for everybody; FALLBACK gives shmem. */
static void test_max_buffer(void)
{
	struct contig_stats before, st;
	struct drm_vgem_bo_create arg;
	struct fill_result res;
	struct helper h;
	int minor, fd = open_limits_card(&minor);
	uint32_t handle;

	read_contig_stats(minor, &before);
	param_write("contig_max_buffer", "8M");
	read_contig_stats(minor, &st);
	igt_assert_eq(st.max_buffer_bytes, 8 * MiB);

	/* Root too: CAP_SYS_RESOURCE exempts from the user limit only. */
	igt_assert_eq(__igt_vgem_create_mib(fd, 16, VGEM_BO_CONTIGUOUS, 0, &arg), -EFBIG);
	read_contig_stats(minor, &st);
	igt_assert_eq(st.over_max_buffer, before.over_max_buffer + 1);
	igt_assert_eq(st.over_user_limit, before.over_user_limit);

	handle = igt_vgem_create_mib(fd, 8, VGEM_BO_CONTIGUOUS);
	igt_assert_eq(bo_backing(fd, handle), VGEM_BACKING_CONTIGUOUS);
	gem_close(fd, handle);

	/* A refusal with FALLBACK gives shmem, and counts. */
	handle = igt_vgem_create_mib(fd, 16, VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK);
	igt_assert_eq(bo_backing(fd, handle), VGEM_BACKING_SHMEM);
	gem_close(fd, handle);
	read_contig_stats(minor, &st);
	igt_assert_eq(st.over_max_buffer, before.over_max_buffer + 2);

	/* An unprivileged user, under its own limit: EFBIG as well. */
	helper_start(&h, "uid 65534 16 MiB", fill_as_user,
		     &(struct fill_arg){ .uid = NOBODY, .mib = 16, .max = 1 });
	helper_read(&h, &res, sizeof(res));
	igt_assert_f(res.err == -EFBIG, "uid %u: 16 MiB failed with %s, not EFBIG\n",
		     NOBODY, strerror(-res.err));
	igt_assert_eq(res.fallback_err, 0);
	igt_assert_eq(res.fallback_backing, VGEM_BACKING_SHMEM);
	helper_finish(&h);

	read_contig_stats(minor, &st);
	igt_info("over_max_buffer: %llu before, %llu after (4 refusals)\n",
		 (unsigned long long)before.over_max_buffer,
		 (unsigned long long)st.over_max_buffer);
	igt_assert_eq(st.over_max_buffer, before.over_max_buffer + 4);
	assert_charge(minor, NOBODY, 0, 0);

	restore_limits();
	read_contig_stats(minor, &st);
	igt_assert_eq(st.max_buffer_bytes, 256 * MiB);
	close(fd);
}

/* The parameters' syntax: sizes, percentages, and refusals. */
static void test_limit_params(void)
{
	static const char *const names[] = { "contig_user_limit", "contig_max_buffer" };
	static const char *const bad[] = { "101%", "abc", "", "-1", "1x", "%", "50%%" };
	static const struct {
		const char *value, *reads;
		unsigned int percent;	/* of the context, or 0: bytes */
		uint64_t bytes;
	} good[] = {
		{ "25%", "25%", 25, 0 },
		{ "64M", "67108864", 0, 64 * MiB },
		{ "1048576", "1048576", 0, MiB },
		{ "100%", "100%", 100, 0 },
		{ "1G", "1073741824", 0, 1024 * MiB },
		{ "0%", "0%", 0, 0 },
	};
	int minor, fd = open_limits_card(&minor);
	char value[64], before[64];
	struct contig_stats st;
	unsigned int n, i;

	for (n = 0; n < 2; n++) {
		for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
			uint64_t expect;

			param_write(names[n], good[i].value);
			param_read(names[n], value, sizeof(value));
			igt_assert_f(!strcmp(value, good[i].reads),
				     "%s: wrote \"%s\", reads \"%s\", expected \"%s\"\n",
				     names[n], good[i].value, value, good[i].reads);
			read_contig_stats(minor, &st);
			expect = good[i].bytes;
			if (strchr(good[i].value, '%'))
				expect = st.context_bytes * good[i].percent / 100;
			igt_assert_eq(n ? st.max_buffer_bytes : st.user_limit_bytes, expect);
		}

		param_write(names[n], "64M");
		param_read(names[n], before, sizeof(before));
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			int ret = __param_write(names[n], bad[i]);

			igt_assert_f(ret == -EINVAL, "%s: writing \"%s\": %s, not EINVAL\n",
				     names[n], bad[i], ret ? strerror(-ret) : "accepted");
			param_read(names[n], value, sizeof(value));
			igt_assert_f(!strcmp(value, before),
				     "%s: the refused \"%s\" changed it from %s to %s\n",
				     names[n], bad[i], before, value);
		}
	}
	restore_limits();
	param_read("contig_user_limit", value, sizeof(value));
	igt_assert(!strcmp(value, "50%"));
	param_read("contig_max_buffer", value, sizeof(value));
	igt_assert(!strcmp(value, "268435456"));
	close(fd);
}

/* A buffer is charged to its creator until its last reference goes. */
static void test_charge_follows_creator(void)
{
	const unsigned int mib = 8;
	struct helper creator, holder, again;
	struct fill_result res;
	uint32_t backing;
	uint64_t size;
	int minor, fd = open_limits_card(&minor), sv[2];

	assert_charge(minor, NOBODY, 0, 0);
	assert_charge(minor, OTHER_USER, 0, 0);
	igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	helper_start(&creator, "uid 65534 creator", create_and_send,
		     &(struct share_arg){ .uid = NOBODY, .mib = mib, .sock = sv[0] });
	helper_start(&holder, "uid 65533 holder", receive_and_hold,
		     &(struct share_arg){ .uid = OTHER_USER, .sock = sv[1] });
	close(sv[0]);
	close(sv[1]);
	helper_read(&creator, &size, sizeof(size));
	helper_read(&holder, &backing, sizeof(backing));
	/* The same device: the holder has the very object. */
	igt_assert_eq(backing, VGEM_BACKING_CONTIGUOUS);
	assert_charge(minor, NOBODY, 1, size);
	assert_charge(minor, OTHER_USER, 0, 0);

	/* The creator is gone: its buffer is still charged to it. */
	helper_finish(&creator);
	assert_charge(minor, NOBODY, 1, size);
	assert_charge(minor, OTHER_USER, 0, 0);

	/* And counts against the user's limit: 12M - 8 MiB leaves 4 MiB. */
	param_write("contig_user_limit", "12M");
	helper_start(&again, "uid 65534 again", fill_as_user,
		     &(struct fill_arg){ .uid = NOBODY, .mib = 4, .max = 8 });
	helper_read(&again, &res, sizeof(res));
	igt_info("uid %u, with %u MiB held by uid %u: %u MiB more under a 12 MiB limit, then %s\n",
		 NOBODY, mib, OTHER_USER, (unsigned int)(res.bytes / MiB), strerror(-res.err));
	igt_assert_eq(res.err, -EDQUOT);
	igt_assert_eq(res.bytes, 4 * MiB);
	helper_finish(&again);
	restore_limits();
	assert_charge(minor, NOBODY, 1, size);

	/* The holder's handle goes; its dma-buf still holds the buffer. */
	helper_go(&holder);
	helper_read(&holder, &backing, sizeof(backing));
	assert_charge(minor, NOBODY, 1, size);
	/* The last reference goes: so does the charge. */
	helper_go(&holder);
	helper_read(&holder, &backing, sizeof(backing));
	assert_charge(minor, NOBODY, 0, 0);
	assert_charge(minor, OTHER_USER, 0, 0);
	helper_finish(&holder);
	close(fd);
}

/* ---- subtests: killable migration ---------------------------------------------------- */

static void unfill_movable(void)
{
	igt_system("umount " FILL_DIR " 2>/dev/null; rmdir " FILL_DIR " 2>/dev/null");
}

/*
 * Fill the movable zone with page cache: 8 MiB tmpfs files, allocated with
 * fallocate() (no copy from user space: the mappers' faults clear them);
 * the MiB allocated.
 */
static unsigned int fill_movable(long target_free)
{
	unsigned int files = 0;
	char path[PATH_MAX];
	int f;

	unfill_movable();	/* what a failed run may have left */
	igt_assert_eq(igt_system("mkdir -p " FILL_DIR " && mount -t tmpfs -o size=1200M "
				 "vgem-contig-limits " FILL_DIR), 0);
	while (files < 128 && igt_movable_zone("pages free") > target_free) {
		snprintf(path, sizeof(path), FILL_DIR "/%u", files++);
		f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		igt_assert_f(f >= 0, "%s: %s\n", path, strerror(errno));
		igt_assert_f(fallocate(f, 0, 0, 8 * MiB) == 0, "fallocate %s: %s\n", path,
			     strerror(errno));
		close(f);
	}
	return files * 8;
}

/* The state letter of a task and where it sleeps. */
static char task_state(pid_t pid, char *wchan, size_t size)
{
	char path[64], line[512], *paren;
	char state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(line, sizeof(line), f) && (paren = strrchr(line, ')')) &&
		    paren[1] == ' ')
			state = paren[2];
		fclose(f);
	}
	snprintf(wchan, size, "?");
	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(wchan, (int)size, f))
			snprintf(wchan, size, "?");
		fclose(f);
	}
	return state;
}

/*
 * Reap a helper killed at @killed, waiting until @max_s after the kill: the
 * seconds from the kill to the reap, or -1 (still there; @h stays as it is).
 */
static double reap_within(struct helper *h, double killed, double max_s, int *status)
{
	pid_t ret;

	for (;;) {
		ret = waitpid(h->pid, status, WNOHANG);
		igt_assert(ret >= 0 || errno == EINTR);
		if (ret == h->pid) {
			double took = now_s() - killed;

			h->pid = 0;
			close(h->cmd);
			close(h->report);
			return took;
		}
		if (now_s() - killed > max_s)
			return -1;
		sleep_s(0.002);
	}
}

/* SIGKILL a helper (at *@killed) and reap it within @max_s, as reap_within(). */
static double kill_and_reap(struct helper *h, double max_s, double *killed, int *status)
{
	igt_assert_eq(kill(h->pid, SIGKILL), 0);
	*killed = now_s();
	return reap_within(h, *killed, max_s, status);
}

/* What one round of A, B and C saw (test_migration_killable()). */
struct killable_round {
	double a_start, b_start, c_start;	/* when each began its request */
	double a_killed, b_killed, c_killed;
	double reap_a, reap_b, reap_c;		/* kill to reap, s; -1: not reaped */
	int status_a, status_b, status_c;
	char a_state, b_state, c_state;		/* when killed (C: when probed) */
	char a_wchan[128], b_wchan[128], c_wchan[128];
	bool a_done_early;	/* A's allocation ended before B was killed */
	bool c_done;		/* C's allocation ended: the lock was free */
	bool a_done;		/* A's allocation ended before A was killed */
	struct alloc_result a_res;
};

static void killable_round(unsigned int a_mib, unsigned int b_mib, unsigned int c_mib,
			   struct killable_round *r)
{
	struct helper a, b, c;
	char byte;

	memset(r, 0, sizeof(*r));

	/*
	 * Ready to ask, so that each asks the moment it is told to. A on whole
	 * pageblocks (aligned to 2 MiB, a multiple of it): alloc_contig_range()
	 * isolates whole pageblocks, and one that holds a page the kernel
	 * reserved at boot (the context marks such pages, not their
	 * pageblocks) can never be isolated: A would fail at once.
	 */
	helper_start(&a, "A", alloc_contiguous,
		     &(struct alloc_arg){ .mib = a_mib, .alignment = 2 * MiB });
	helper_start(&b, "B", alloc_contiguous, &(struct alloc_arg){ .mib = b_mib });
	helper_start(&c, "C", alloc_contiguous, &(struct alloc_arg){ .mib = c_mib });
	helper_read(&a, &byte, 1);
	helper_read(&b, &byte, 1);
	helper_read(&c, &byte, 1);

	/* A migrates; B waits for the context's migrate lock meanwhile. */
	helper_go(&a);
	helper_read(&a, &byte, 1);
	r->a_start = now_s();
	sleep_s(0.1);
	helper_go(&b);
	helper_read(&b, &byte, 1);
	r->b_start = now_s();
	sleep_s(0.2);
	r->b_state = task_state(b.pid, r->b_wchan, sizeof(r->b_wchan));
	r->a_done_early = helper_poll(&a, 0);
	r->reap_b = kill_and_reap(&b, 30.0, &r->b_killed, &r->status_b);

	/* Does A still hold the lock? A probe waits for it if so. */
	helper_go(&c);
	helper_read(&c, &byte, 1);
	r->c_start = now_s();
	sleep_s(0.2);
	r->c_state = task_state(c.pid, r->c_wchan, sizeof(r->c_wchan));
	r->c_done = helper_poll(&c, 0);
	r->reap_c = kill_and_reap(&c, 30.0, &r->c_killed, &r->status_c);

	/* Whether A's allocation ended before A is killed, and how. */
	r->a_state = task_state(a.pid, r->a_wchan, sizeof(r->a_wchan));
	if (helper_poll(&a, 0) &&
	    read(a.report, &r->a_res, sizeof(r->a_res)) == (ssize_t)sizeof(r->a_res))
		r->a_done = true;
	r->reap_a = kill_and_reap(&a, 30.0, &r->a_killed, &r->status_a);

	/* Not reaped in time (the old driver): wait for them, whatever it takes. */
	if (r->reap_b < 0)
		r->reap_b = reap_within(&b, r->b_killed, 150.0, &r->status_b);
	if (r->reap_c < 0)
		r->reap_c = reap_within(&c, r->c_killed, 150.0, &r->status_c);
	igt_assert_f(r->reap_a >= 0 && r->reap_b >= 0 && r->reap_c >= 0,
		     "a helper could not be reaped 150 s after SIGKILL\n");
}

/*
 * SIGKILL ends a task that waits for another task's migration (the
 * context's migrate lock) at once, and the migrating task too.
 *
 * A asks for most of the context while page cache fills it, every page
 * mapped by a few processes: a migration of seconds under TCG, during
 * which A holds the migrate lock. B asks for a buffer 0.1 s later and
 * waits for the lock; it is killed 0.2 s later. Then a probe C asks for a
 * small buffer: if it waits too, A still held the lock when B was reaped,
 * so B died of its kill and not because A's migration ended (otherwise the
 * test cannot tell, and skips). C is killed, then A. Before the fix B
 * stayed (D state) until A's migration ended. A's allocation may fail on
 * its own (a page of the range that cannot be migrated for a while, and
 * no room to retry elsewhere): the round is then run again, up to 3 times.
 */
static void test_migration_killable(void)
{
	const double reap_limit = 1.0;
	const unsigned int b_mib = 8, c_mib = 1, max_rounds = 3;
	struct helper mappers[NR_MAPPERS];
	struct killable_round r;
	long before_free, filled, room_mib;
	unsigned int written, a_mib, i, round;
	double map_s, fill_s;
	bool lock_held;
	int fd;
	char byte;

	fd = open_contig_card(NULL);
	close(fd);
	before_free = igt_movable_zone("pages free");
	igt_require_f(before_free >= 0, "no ZONE_MOVABLE in /proc/zoneinfo\n");
	igt_assert_f(igt_vgem_context_figure("used_pages") == 0,
		     "the context holds %ld pages before the test\n", igt_vgem_context_figure("used_pages"));

	fill_s = now_s();
	written = fill_movable(16 * MiB / PAGE);
	fill_s = now_s() - fill_s;
	filled = igt_movable_zone("pages free");
	igt_info("Movable free pages: %ld before, %ld after %u MiB of tmpfs files (%.1f s)\n",
		 before_free, filled, written, fill_s);
	if (filled > (long)(16 * MiB / PAGE)) {
		unfill_movable();
		igt_skip("could not fill the movable zone (%ld pages free)\n", filled);
	}

	/* As much as the context and contig_max_buffer (256M) allow, B and C aside. */
	room_mib = igt_vgem_context_figure("largest_free_pages") * (long)PAGE / (long)MiB;
	a_mib = room_mib > 256 + 16 ? 256 : (unsigned int)(room_mib > 16 ? (room_mib - 16) & ~3l : 0);
	if (a_mib < 64) {
		unfill_movable();
		igt_skip("the context has only %ld MiB in one piece: too little for a long migration\n",
			 room_mib);
	}

	/* Every page of the fill mapped by several processes: a slower migration. */
	map_s = now_s();
	for (i = 0; i < NR_MAPPERS; i++)
		helper_start(&mappers[i], "mapper", map_fill, NULL);
	for (i = 0; i < NR_MAPPERS; i++)
		helper_read(&mappers[i], &byte, 1);
	map_s = now_s() - map_s;
	igt_info("%d processes mapped the fill in %.2f s; A asks for %u MiB (%ld MiB of room), "
		 "B for %u MiB, C for %u MiB\n", NR_MAPPERS, map_s, a_mib, room_mib, b_mib, c_mib);

	for (round = 1; ; round++) {
		killable_round(a_mib, b_mib, c_mib, &r);
		lock_held = r.c_state == 'D' && !r.c_done;
		igt_info("round %u: B asked %.2f s after A; killed %.2f s later in state %c (%s); "
			 "reaped %.3f s after SIGKILL\n", round, r.b_start - r.a_start,
			 r.b_killed - r.b_start, r.b_state, r.b_wchan, r.reap_b);
		igt_info("round %u: C asked %.2f s after A; %.2f s later in state %c (%s), %s; "
			 "reaped %.3f s after SIGKILL\n", round, r.c_start - r.a_start,
			 r.c_killed - r.c_start, r.c_state, r.c_wchan,
			 r.c_done ? "its allocation ended" : "waiting", r.reap_c);
		igt_info("round %u: A killed %.2f s into its allocation in state %c (%s); "
			 "reaped %.3f s after SIGKILL\n", round, r.a_killed - r.a_start,
			 r.a_state, r.a_wchan, r.reap_a);
		if (r.a_done)
			igt_info("round %u: A's allocation ended (%s) %.2f s after it began, "
				 "%.2f s after B's SIGKILL\n", round,
				 r.a_res.err ? strerror(-r.a_res.err) : "ok",
				 r.a_res.end - r.a_start, r.a_res.end - r.b_killed);
		/* Failed on its own before the probe: nothing learnt, again. */
		if (round == max_rounds || !r.a_done || !r.a_res.err || lock_held ||
		    r.reap_b > reap_limit)
			break;
	}

	/* Clean up before judging: no helper, buffer or file left behind. */
	for (i = 0; i < NR_MAPPERS; i++)
		helper_finish(&mappers[i]);
	unfill_movable();
	igt_assert_eq(igt_vgem_context_figure("used_pages"), 0);

	igt_assert_f(!r.a_done_early || !r.a_res.err,
		     "A's allocation of %u MiB (%ld MiB of room) failed on its own (%s) %.2f s "
		     "after it began, %u times: the test cannot run\n", a_mib, room_mib,
		     strerror(-r.a_res.err), r.a_res.end - r.a_start, round);
	igt_require_f(!r.a_done_early, "A's allocation of %u MiB ended within 0.3 s: too "
		      "short to tell anything\n", a_mib);
	igt_assert_f(r.b_state == 'D',
		     "B was not waiting in the kernel when killed (state %c, %s)\n",
		     r.b_state, r.b_wchan);
	igt_assert_f(WIFSIGNALED(r.status_b) && WTERMSIG(r.status_b) == SIGKILL,
		     "B ended with status 0x%x, not by SIGKILL\n", r.status_b);
	igt_assert_f(r.reap_b <= reap_limit,
		     "B, waiting for A's migration, was reaped %.2f s after SIGKILL (limit %.1f s)%s\n",
		     r.reap_b, reap_limit, r.a_done ? ": it waited for A's allocation to end" : "");
	igt_require_f(lock_held,
		      "A's allocation ended (%s) by %.2f s after it began: too short to tell "
		      "whether B died of its SIGKILL or because the migrate lock was free\n",
		      r.a_done ? (r.a_res.err ? strerror(-r.a_res.err) : "ok") : "?",
		      r.c_killed - r.a_start);
	igt_assert_f(WIFSIGNALED(r.status_c) && WTERMSIG(r.status_c) == SIGKILL,
		     "C ended with status 0x%x, not by SIGKILL\n", r.status_c);
	igt_assert_f(r.reap_c <= reap_limit,
		     "C, waiting for A's migration, was reaped %.2f s after SIGKILL (limit %.1f s)\n",
		     r.reap_c, reap_limit);
	igt_require_f(!r.a_done, "A's allocation ended (%s) %.2f s after it began, before A "
		      "was killed: too short to tell whether A dies promptly\n",
		      r.a_res.err ? strerror(-r.a_res.err) : "ok", r.a_res.end - r.a_start);
	igt_assert_f(WIFSIGNALED(r.status_a) && WTERMSIG(r.status_a) == SIGKILL,
		     "A ended with status 0x%x, not by SIGKILL\n", r.status_a);
	igt_assert_f(r.reap_a <= reap_limit,
		     "A, migrating, was reaped %.2f s after SIGKILL (limit %.1f s)\n",
		     r.reap_a, reap_limit);
}

/* ---- subtests: PRIME import ------------------------------------------------------------ */

/* An import on another thread, timed. */
struct timed_import {
	int fd;
	int dmabuf;
	uint32_t handle;
	int err;
	double start, end;
	atomic_int state;	/* 0 not begun, 1 importing, 2 done */
};

static void *timed_import_thread(void *p)
{
	struct timed_import *ti = p;

	ti->start = now_s();
	atomic_store(&ti->state, 1);
	ti->err = __prime_fd_to_handle(ti->fd, ti->dmabuf, &ti->handle);
	ti->end = now_s();
	atomic_store(&ti->state, 2);
	return NULL;
}

/* A shmem buffer of @mib MiB on @fd, never mapped, exported. */
static int export_shmem(int fd, unsigned int mib, uint32_t *handle)
{
	struct vgem_bo bo = { .width = 1024, .height = 256 * mib, .bpp = 32 };

	vgem_create(fd, &bo);
	*handle = bo.handle;
	return prime_handle_to_fd(fd, bo.handle);
}

/*
 * Importing a big dma-buf of device 0 on device 1 makes device 0 pin (make)
 * all its pages: seconds. Meanwhile another file of device 1 exports and
 * imports small buffers: they must not wait for the big import.
 */
static void test_import_no_device_stall(void)
{
	const unsigned int cal_mib = 32, max_mib = 512;
	uint32_t cal0, cal1, big0, small0, small1, small1_other, small0_in1;
	int d0, d1_big, d1_a, d1_b, cal_fd, small0_fd, small1_fd;
	double cal_s, rate, s0, s1, big_s;
	unsigned int big_mib;
	struct timed_import ti = { .err = 1 };
	int minors[2];
	bool running_at_end;
	pthread_t thread;

	igt_vgem_reload(2);
	if (igt_vgem_card_minors(minors, 2) < 2) {
		igt_vgem_reload(1);
		igt_skip("vgem made one device with num_devices=2 (upstream vgem?)\n");
	}
	d0 = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, NULL);
	d1_big = igt_vgem_open_device(1, DRM_NODE_KIND_RENDER, NULL);
	d1_a = igt_vgem_open_device(1, DRM_NODE_KIND_RENDER, NULL);
	d1_b = igt_vgem_open_device(1, DRM_NODE_KIND_RENDER, NULL);

	/* How long pinning shmem pages takes here. */
	cal_fd = export_shmem(d0, cal_mib, &cal0);
	cal_s = now_s();
	cal1 = prime_fd_to_handle(d1_big, cal_fd);
	cal_s = now_s() - cal_s;
	rate = cal_mib / cal_s;
	big_mib = ((unsigned int)(rate * 4.0) / 64 + 1) * 64;
	if (big_mib < 256)
		big_mib = 256;
	if (big_mib > max_mib)
		big_mib = max_mib;
	igt_info("import of a %u MiB shmem buffer: %.3f s (%.0f MiB/s); the big one: %u MiB "
		 "(about %.1f s)\n", cal_mib, cal_s, rate, big_mib, big_mib / rate);
	gem_close(d1_big, cal1);
	close(cal_fd);
	gem_close(d0, cal0);

	ti.fd = d1_big;
	ti.dmabuf = export_shmem(d0, big_mib, &big0);
	small0_fd = export_shmem(d0, 1, &small0);
	small1 = igt_vgem_create_mib(d1_a, 1, VGEM_BO_SHMEM);

	igt_assert_eq(pthread_create(&thread, NULL, timed_import_thread, &ti), 0);
	while (atomic_load(&ti.state) == 0)
		sleep_s(0.001);
	sleep_s(0.3);

	/* Another file of device 1: export, import elsewhere, foreign import. */
	s0 = now_s();
	small1_fd = prime_handle_to_fd(d1_a, small1);
	small1_other = prime_fd_to_handle(d1_b, small1_fd);
	small0_in1 = prime_fd_to_handle(d1_a, small0_fd);
	s1 = now_s();
	running_at_end = atomic_load(&ti.state) == 1;

	igt_assert_eq(pthread_join(thread, NULL), 0);
	big_s = ti.end - ti.start;
	igt_info("big import (%u MiB): %.3f s, %s; small export + 2 imports on other files: "
		 "%.3f s, from +%.3f s to +%.3f s of the big import (%s when they ended)\n",
		 big_mib, big_s, ti.err ? strerror(-ti.err) : "ok", s1 - s0,
		 s0 - ti.start, s1 - ti.start, running_at_end ? "still running" : "over");
	igt_assert_f(ti.err == 0, "the big import failed: %s\n", strerror(-ti.err));

	igt_assert_eq(bo_backing(d1_b, small1_other), VGEM_BACKING_SHMEM);
	igt_assert_eq(bo_backing(d1_a, small0_in1), VGEM_BACKING_IMPORT);
	igt_assert_eq(bo_backing(d1_big, ti.handle), VGEM_BACKING_IMPORT);

	gem_close(d1_big, ti.handle);
	gem_close(d1_a, small0_in1);
	gem_close(d1_b, small1_other);
	gem_close(d1_a, small1);
	close(small1_fd);
	close(small0_fd);
	close(ti.dmabuf);
	gem_close(d0, small0);
	gem_close(d0, big0);
	close(d1_b);
	close(d1_a);
	close(d1_big);
	close(d0);
	igt_vgem_reload(1);

	if (ti.end <= s0)
		igt_skip("the big import took %.2f s and was over before the small calls "
			 "began: too short to tell\n", big_s);
	if (igt_prime_fd_handle_in_core() && !running_at_end)
		igt_skip("from Linux 6.6 on the DRM core holds the device's object_name_lock "
			 "across the driver's gem_prime_import, so imports and exports of one "
			 "device wait for each other (docs/uapi.md); they took %.3f s here\n",
			 s1 - s0);
	igt_assert_f(s1 < ti.end && running_at_end,
		     "the small PRIME calls of another file ended %.3f s after the big "
		     "import began, %.3f s after it ended: they waited for it\n",
		     s1 - ti.start, s1 - ti.end);
}

static const struct igt_subtest subtests[] = {
	{ "user-limit", test_user_limit },
	{ "max-buffer", test_max_buffer },
	{ "limit-params", test_limit_params },
	{ "charge-follows-creator", test_charge_follows_creator },
	{ "migration-killable", test_migration_killable },
	{ "import-no-device-stall", test_import_no_device_stall },
};

int main(int argc, char **argv)
{
	/* Every subtest reads debugfs. */
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     &igt_debugfs_fixture, 1);
}
