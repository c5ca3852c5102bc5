// SPDX-License-Identifier: MIT
/*
 * vgem_gup: get_user_pages() of a vgem mapping fails, at once, with EFAULT.
 *
 * Every user-space mapping of a vgem object is a VM_PFNMAP vma, as
 * upstream vgem's: whatever pins user pages refuses it. Four kinds of
 * mapping (a shmem or a contiguous buffer, mapped through the DRM fd or
 * through its dma-buf) meet four ways of pinning user memory:
 *   io-uring          IORING_REGISTER_BUFFERS (a long-term pin)
 *   o-direct          pread() and pwrite() with O_DIRECT on a loop device
 *   vmsplice          vmsplice() of a page into a pipe
 *   process-vm-readv  process_vm_readv() of the mapping from this process
 * Each must fail with EFAULT. Each method also has an "-anonymous" subtest:
 * the same call on ordinary anonymous memory succeeds, so a method that
 * cannot work in the guest is seen, not taken for a refusal.
 *
 * The calls run in a child process that the subtest waits for at most
 * CALL_BOUND_MS per call, then kills: before vgem's mappings were
 * VM_PFNMAP, registering a contiguous buffer's mapping with io_uring spun
 * in the kernel forever (the long-term pin kept trying to migrate pages
 * out of ZONE_MOVABLE that could not move), and only SIGKILL ended it.
 *
 * Contiguous subtests skip, saying why, when vgem has no contiguous
 * memory (a guest booted without movablecore=).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/loop.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_gem.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"

#define PAGE_SZ		4096ul
#define BUF_SIZE	(1ul << 20)	/* every mapping: 1 MiB, 256 pages */
#define CALL_BOUND_MS	3000		/* the longest any one call may take */
#define REAP_BOUND_MS	10000		/* for a killed child to go */
#define SEED		0x6075eedu

/* ---- the mappings ------------------------------------------------------- */

enum gup_kind {
	KIND_ANONYMOUS,
	KIND_SHMEM_DRM,
	KIND_SHMEM_DMABUF,
	KIND_CONTIG_DRM,
	KIND_CONTIG_DMABUF,
};

static const char *const kind_names[] = {
	[KIND_ANONYMOUS] = "anonymous memory",
	[KIND_SHMEM_DRM] = "a shmem buffer mapped through the DRM fd",
	[KIND_SHMEM_DMABUF] = "a shmem buffer mapped through its dma-buf",
	[KIND_CONTIG_DRM] = "a contiguous buffer mapped through the DRM fd",
	[KIND_CONTIG_DMABUF] = "a contiguous buffer mapped through its dma-buf",
};

/** struct mapping - BUF_SIZE bytes of one kind of memory, mapped */
struct mapping {
	enum gup_kind kind;
	int fd;		/* the vgem primary node, or -1 */
	int dmabuf;	/* the buffer's dma-buf, or -1 */
	uint32_t handle;
	void *ptr;
};

static bool is_vgem(const struct mapping *m)
{
	return m->kind != KIND_ANONYMOUS;
}

/* A BUF_SIZE buffer: shmem, or contiguous (skipping when there is none). */
static uint32_t create_buffer(int fd, bool contiguous)
{
	struct drm_vgem_bo_create arg = {
		.width = 1024, .height = BUF_SIZE / 4096, .bpp = 32,
		.flags = contiguous ? VGEM_BO_CONTIGUOUS : VGEM_BO_SHMEM,
	};
	struct vgem_bo bo = { .width = 1024, .height = BUF_SIZE / 4096, .bpp = 32 };
	int ret;

	if (!igt_vgem_has_extensions(fd)) {
		igt_require_f(!contiguous,
			      "the driver has no BO_CREATE ioctl (upstream vgem?)\n");
		/* Upstream vgem: dumb buffers are shmem. */
		vgem_create(fd, &bo);
		igt_assert_eq(bo.size, BUF_SIZE);
		return bo.handle;
	}
	ret = __igt_vgem_bo_create(fd, &arg);
	igt_require_f(ret != -ENODEV,
		      "vgem has no contiguous memory context (boot with movablecore=256M)\n");
	igt_require_f(!(contiguous && ret == -ENOMEM),
		      "vgem's contiguous memory context cannot give 1 MiB "
		      "(boot with a larger movablecore=)\n");
	igt_assert_eq(ret, 0);
	igt_assert_eq(arg.size, BUF_SIZE);
	return arg.handle;
}

/* Map BUF_SIZE bytes of @kind, filled with the pattern of SEED. */
static void map_kind(enum gup_kind kind, struct mapping *m)
{
	struct vgem_bo bo = { .size = BUF_SIZE };

	*m = (struct mapping){ .kind = kind, .fd = -1, .dmabuf = -1 };
	if (kind == KIND_ANONYMOUS) {
		m->ptr = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert_f(m->ptr != MAP_FAILED, "mmap: %s\n", strerror(errno));
	} else {
		m->fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
		m->handle = create_buffer(m->fd, kind == KIND_CONTIG_DRM ||
						 kind == KIND_CONTIG_DMABUF);
		if (kind == KIND_SHMEM_DRM || kind == KIND_CONTIG_DRM) {
			bo.handle = m->handle;
			m->ptr = vgem_mmap(m->fd, &bo, PROT_READ | PROT_WRITE);
		} else {
			m->dmabuf = prime_handle_to_fd(m->fd, m->handle);
			m->ptr = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
				      MAP_SHARED, m->dmabuf, 0);
			igt_assert_f(m->ptr != MAP_FAILED, "mmap of the dma-buf: %s\n",
				     strerror(errno));
		}
	}
	/* Every page touched: all page table entries are there. */
	pattern_fill(m->ptr, BUF_SIZE, SEED);
}

static void unmap_kind(struct mapping *m)
{
	igt_assert_eq(munmap(m->ptr, BUF_SIZE), 0);
	if (m->dmabuf >= 0)
		close(m->dmabuf);
	if (m->fd >= 0) {
		gem_close(m->fd, m->handle);
		close(m->fd);
	}
}

/* ---- calls in a child, bounded in time -------------------------------------- */

/* What one call returned in the child, and how long it took. */
struct call_result {
	long ret;
	int err;
	long long ns;
};

/* Makes call number @index of a method; returns its result, errno set. */
typedef long (*call_fn)(void *data, unsigned int index);

static long long ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000ll + (b->tv_nsec - a->tv_nsec);
}

static long long ns_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ns_between(start, &now);
}

/* Wait at most REAP_BOUND_MS for @pid; whether it was reaped. */
static bool reap_bounded(pid_t pid, int *status)
{
	int waited;

	for (waited = 0; waited < REAP_BOUND_MS; waited += 10) {
		pid_t ret = waitpid(pid, status, WNOHANG);

		if (ret == pid)
			return true;
		if (ret < 0 && errno != EINTR)
			return false;
		usleep(10 * 1000);
	}
	return false;
}

/*
 * Make @n calls of @call in a child, each in at most CALL_BOUND_MS, and
 * report their results in @res: a call still in the kernel after that
 * fails the subtest (the child is killed). @names name the calls.
 */
static void run_bounded(const char *const names[], unsigned int n, call_fn call,
			void *data, struct call_result *res)
{
	struct timespec start;
	unsigned int got;
	int pipefd[2], status;
	pid_t pid;

	igt_assert_eq(pipe2(pipefd, O_CLOEXEC), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		for (got = 0; got < n; got++) {
			struct call_result r = { 0 };
			struct timespec t0;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			errno = 0;
			r.ret = call(data, got);
			r.err = r.ret < 0 ? errno : 0;
			r.ns = ns_since(&t0);
			if (write(pipefd[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
				_exit(1);
		}
		_exit(0);
	}
	close(pipefd[1]);

	for (got = 0; got < n; got++) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		ssize_t len;
		int ready;

		clock_gettime(CLOCK_MONOTONIC, &start);
		do {
			long long left = CALL_BOUND_MS - ns_since(&start) / 1000000;

			ready = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		} while (ready < 0 && errno == EINTR);
		igt_assert_f(ready >= 0, "poll: %s\n", strerror(errno));
		if (ready == 0) {
			double secs = ns_since(&start) / 1e9;
			bool reaped;

			kill(pid, SIGKILL);
			reaped = reap_bounded(pid, &status);
			close(pipefd[0]);
			igt_assert_f(false, "%s was still in the kernel after %.1f s: "
				     "child killed%s\n", names[got], secs,
				     reaped ? "" : ", and it did not die within 10 s");
		}
		len = read(pipefd[0], &res[got], sizeof(res[got]));
		if (len != (ssize_t)sizeof(res[got])) {
			kill(pid, SIGKILL);
			reap_bounded(pid, &status);
			igt_assert_f(false, "the child died during %s (read %zd)\n",
				     names[got], len);
		}
		igt_info("%s: returned %ld%s%s in %.3f ms\n", names[got], res[got].ret,
			 res[got].ret < 0 ? ", " : "",
			 res[got].ret < 0 ? strerror(res[got].err) : "",
			 res[got].ns / 1e6);
	}
	close(pipefd[0]);
	igt_assert(reap_bounded(pid, &status));
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "child status 0x%x\n", status);
}

/* Assert what a pinning call returned on @m: @ok_ret, or EFAULT for vgem. */
static void check_result(const struct mapping *m, const char *name,
			 const struct call_result *r, long ok_ret)
{
	if (is_vgem(m))
		igt_assert_f(r->ret == -1 && r->err == EFAULT,
			     "%s on %s returned %ld (%s), expected -1 (EFAULT)\n",
			     name, kind_names[m->kind], r->ret,
			     r->ret < 0 ? strerror(r->err) : "success");
	else
		igt_assert_f(r->ret == ok_ret,
			     "%s on %s returned %ld (%s), expected %ld\n", name,
			     kind_names[m->kind], r->ret,
			     r->ret < 0 ? strerror(r->err) : "success", ok_ret);
}

/* ---- io_uring: IORING_REGISTER_BUFFERS ------------------------------------- */

struct uring_call {
	void *ptr;
	int ring;
};

static long uring_call(void *data, unsigned int index)
{
	struct uring_call *c = data;
	struct iovec iov = { .iov_base = c->ptr, .iov_len = BUF_SIZE };
	struct io_uring_params params;

	if (index == 0) {
		memset(&params, 0, sizeof(params));
		c->ring = (int)syscall(__NR_io_uring_setup, 4, &params);
		return c->ring;
	}
	return syscall(__NR_io_uring_register, c->ring, IORING_REGISTER_BUFFERS,
		       &iov, 1);
}

static void check_io_uring(enum gup_kind kind)
{
	static const char *const names[] = {
		"io_uring_setup", "IORING_REGISTER_BUFFERS over the mapping",
	};
	struct call_result res[2];
	struct mapping m;
	struct uring_call c;

	map_kind(kind, &m);
	c = (struct uring_call){ .ptr = m.ptr, .ring = -1 };
	run_bounded(names, 2, uring_call, &c, res);
	igt_require_f(res[0].ret >= 0 || (res[0].err != ENOSYS && res[0].err != EPERM),
		      "io_uring_setup: %s (no io_uring in this kernel)\n",
		      strerror(res[0].err));
	igt_assert_f(res[0].ret >= 0, "io_uring_setup: %s\n", strerror(res[0].err));
	check_result(&m, names[1], &res[1], 0);
	pattern_check(m.ptr, BUF_SIZE, SEED);
	unmap_kind(&m);
}

/* ---- O_DIRECT on a loop device over a tmpfs file ------------------------- */

struct loop_dev {
	int ctl_fd;	/* the device, opened to configure it */
	int fd;		/* the device, opened O_RDWR | O_DIRECT */
	int number;
};

/* Open /dev/loop@number, waiting a little for devtmpfs to make the node. */
static int open_loop(int number, int flags)
{
	char path[32];
	int tries, fd = -1;

	snprintf(path, sizeof(path), "/dev/loop%d", number);
	for (tries = 0; tries < 200; tries++) {
		fd = open(path, flags | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			break;
		usleep(10 * 1000);
	}
	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	return fd;
}

/* Attach @backing to a free loop device; -errno when it was taken meanwhile. */
static int attach_loop(int control, int backing, struct loop_dev *l)
{
	struct loop_config config = {
		.fd = (uint32_t)backing,
		/* Detached by the last close, should the subtest die first. */
		.info = { .lo_flags = LO_FLAGS_AUTOCLEAR },
	};
	struct loop_info64 info = { .lo_flags = LO_FLAGS_AUTOCLEAR };
	int ret;

	l->number = ioctl(control, LOOP_CTL_GET_FREE);
	igt_assert_f(l->number >= 0, "LOOP_CTL_GET_FREE: %s\n", strerror(errno));
	l->ctl_fd = open_loop(l->number, O_RDWR);
	ret = ioctl(l->ctl_fd, LOOP_CONFIGURE, &config) ? -errno : 0;
	if (ret == -EINVAL || ret == -ENOTTY) {
		/* Kernels before 5.8: the two-step way. */
		ret = ioctl(l->ctl_fd, LOOP_SET_FD, backing) ? -errno : 0;
		if (!ret && ioctl(l->ctl_fd, LOOP_SET_STATUS64, &info))
			igt_info("LOOP_SET_STATUS64: %s (no autoclear)\n", strerror(errno));
	}
	if (ret)
		close(l->ctl_fd);
	return ret;
}

/* A loop device over a BUF_SIZE file of the guest's tmpfs, opened O_DIRECT. */
static void loop_setup(struct loop_dev *l)
{
	char backing_path[] = "/tmp/vgem_gup.XXXXXX";
	int control, backing, tries, ret = -EBUSY;

	if (access("/dev/loop-control", F_OK))
		igt_system("modprobe loop 2>/dev/null");
	control = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	igt_require_f(control >= 0,
		      "no loop device: /dev/loop-control: %s (even after modprobe loop)\n",
		      strerror(errno));

	backing = mkstemp(backing_path);
	igt_assert_f(backing >= 0, "mkstemp: %s\n", strerror(errno));
	unlink(backing_path);
	igt_assert_eq(ftruncate(backing, BUF_SIZE), 0);

	/* Another process may take the free device first. */
	for (tries = 0; tries < 5 && ret == -EBUSY; tries++)
		ret = attach_loop(control, backing, l);
	close(backing);
	close(control);
	igt_assert_f(ret == 0, "attaching a loop device: %s\n", strerror(-ret));

	l->fd = open_loop(l->number, O_RDWR | O_DIRECT);
	igt_assert(fcntl(l->fd, F_GETFL) & O_DIRECT);
}

static void loop_cleanup(struct loop_dev *l)
{
	close(l->fd);
	igt_assert_f(ioctl(l->ctl_fd, LOOP_CLR_FD) == 0, "LOOP_CLR_FD: %s\n",
		     strerror(errno));
	close(l->ctl_fd);
}

struct direct_call {
	void *ptr;
	int fd;
};

static long direct_call(void *data, unsigned int index)
{
	struct direct_call *c = data;

	if (index == 0)
		return pwrite(c->fd, c->ptr, BUF_SIZE, 0);
	return pread(c->fd, c->ptr, BUF_SIZE, 0);
}

/* The device's contents: @seed's pattern, or zeros when @seed is 0. */
static void check_device(int fd, uint32_t seed)
{
	void *buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const uint64_t *word = buf;
	size_t i;

	igt_assert(buf != MAP_FAILED);
	igt_assert_eq(pread(fd, buf, BUF_SIZE, 0), (ssize_t)BUF_SIZE);
	if (seed) {
		pattern_check(buf, BUF_SIZE, seed);
	} else {
		for (i = 0; i < BUF_SIZE / 8; i++)
			igt_assert_f(!word[i], "word %zu of the device is 0x%llx: "
				     "a refused write wrote\n", i,
				     (unsigned long long)word[i]);
	}
	munmap(buf, BUF_SIZE);
}

static void check_o_direct(enum gup_kind kind)
{
	static const char *const names[] = {
		"O_DIRECT pwrite from the mapping", "O_DIRECT pread into the mapping",
	};
	struct call_result res[2];
	struct direct_call c;
	struct loop_dev l;
	struct mapping m;

	loop_setup(&l);
	map_kind(kind, &m);
	c = (struct direct_call){ .ptr = m.ptr, .fd = l.fd };
	run_bounded(names, 2, direct_call, &c, res);
	check_result(&m, names[0], &res[0], BUF_SIZE);
	check_result(&m, names[1], &res[1], BUF_SIZE);
	/* What was written went to the device, or nothing did. */
	check_device(l.fd, is_vgem(&m) ? 0 : SEED);
	pattern_check(m.ptr, BUF_SIZE, SEED);
	unmap_kind(&m);
	loop_cleanup(&l);
}

/* ---- vmsplice ---------------------------------------------------------------- */

struct splice_call {
	void *ptr;
	int pipe_in;
};

static long splice_call(void *data, unsigned int index)
{
	struct splice_call *c = data;
	struct iovec iov = { .iov_base = c->ptr, .iov_len = PAGE_SZ };

	(void)index;
	return vmsplice(c->pipe_in, &iov, 1, SPLICE_F_NONBLOCK);
}

static void check_vmsplice(enum gup_kind kind)
{
	static const char *const names[] = { "vmsplice of a page of the mapping" };
	struct call_result res;
	struct splice_call c;
	char page[PAGE_SZ];
	struct mapping m;
	int pipefd[2];

	map_kind(kind, &m);
	igt_assert_eq(pipe2(pipefd, O_CLOEXEC | O_NONBLOCK), 0);
	c = (struct splice_call){ .ptr = m.ptr, .pipe_in = pipefd[1] };
	run_bounded(names, 1, splice_call, &c, &res);
	check_result(&m, names[0], &res, PAGE_SZ);
	if (is_vgem(&m)) {
		/* Nothing of the buffer went into the pipe. */
		igt_assert_eq(read(pipefd[0], page, sizeof(page)), -1);
		igt_assert_eq(errno, EAGAIN);
	} else {
		igt_assert_eq(read(pipefd[0], page, sizeof(page)), (ssize_t)PAGE_SZ);
		pattern_check(page, PAGE_SZ, SEED);
	}
	close(pipefd[0]);
	close(pipefd[1]);
	unmap_kind(&m);
}

/* ---- process_vm_readv ------------------------------------------------------ */

struct vm_read_call {
	void *ptr;
	void *dst;	/* shared with the parent */
};

static long vm_read_call(void *data, unsigned int index)
{
	struct vm_read_call *c = data;
	struct iovec local = { .iov_base = c->dst, .iov_len = BUF_SIZE };
	struct iovec remote = { .iov_base = c->ptr, .iov_len = BUF_SIZE };

	(void)index;
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
}

static void check_process_vm_readv(enum gup_kind kind)
{
	static const char *const names[] = { "process_vm_readv of the mapping" };
	struct call_result res;
	struct vm_read_call c;
	struct mapping m;
	uint8_t *dst;
	size_t i;

	map_kind(kind, &m);
	dst = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		   -1, 0);
	igt_assert(dst != MAP_FAILED);
	c = (struct vm_read_call){ .ptr = m.ptr, .dst = dst };
	run_bounded(names, 1, vm_read_call, &c, &res);
	check_result(&m, names[0], &res, BUF_SIZE);
	if (is_vgem(&m)) {
		for (i = 0; i < BUF_SIZE; i++)
			igt_assert_f(!dst[i], "byte %zu was read: 0x%x\n", i, dst[i]);
	} else {
		pattern_check(dst, BUF_SIZE, SEED);
	}
	munmap(dst, BUF_SIZE);
	unmap_kind(&m);
}

/* ---- subtests --------------------------------------------------------------- */

#define GUP_SUBTESTS(method) \
static void test_##method##_anonymous(void) { check_##method(KIND_ANONYMOUS); } \
static void test_##method##_shmem_drm(void) { check_##method(KIND_SHMEM_DRM); } \
static void test_##method##_shmem_dmabuf(void) { check_##method(KIND_SHMEM_DMABUF); } \
static void test_##method##_contig_drm(void) { check_##method(KIND_CONTIG_DRM); } \
static void test_##method##_contig_dmabuf(void) { check_##method(KIND_CONTIG_DMABUF); }

#define GUP_ENTRIES(name, method) \
	{ name "-anonymous", test_##method##_anonymous }, \
	{ name "-shmem-drm", test_##method##_shmem_drm }, \
	{ name "-shmem-dmabuf", test_##method##_shmem_dmabuf }, \
	{ name "-contiguous-drm", test_##method##_contig_drm }, \
	{ name "-contiguous-dmabuf", test_##method##_contig_dmabuf }

GUP_SUBTESTS(io_uring)
GUP_SUBTESTS(o_direct)
GUP_SUBTESTS(vmsplice)
GUP_SUBTESTS(process_vm_readv)

static const struct igt_subtest subtests[] = {
	GUP_ENTRIES("io-uring", io_uring),
	GUP_ENTRIES("o-direct", o_direct),
	GUP_ENTRIES("vmsplice", vmsplice),
	GUP_ENTRIES("process-vm-readv", process_vm_readv),
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
