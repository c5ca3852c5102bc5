// SPDX-License-Identifier: MIT
/*
 * The fuzzer's calls (fuzz_proc.h), one function an operation or a family
 * of them: arguments resolved through the pools, the call made, what it
 * made added to the pools. Nothing a call returns changes which call comes
 * next: the program stays the seed's.
 *
 * Threads close each other's files; a mapping, though, is only touched
 * under the pool's read lock (munmap takes it for writing), so an address
 * touched is always still ours, and SIGBUS or SIGSEGV while touching is an
 * outcome, not a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "drm/vgem_drm.h"
#include "fuzz_proc.h"

/* The touch in progress in this thread, for the SIGBUS/SIGSEGV handler. */
static _Thread_local sigjmp_buf touch_env;
static _Thread_local volatile sig_atomic_t touching;

void fuzz_on_fault(int sig)
{
	if (touching) {
		touching = 0;
		siglongjmp(touch_env, sig);
	}
	/* Not ours to handle: crash as the signal would have. */
	signal(sig, SIG_DFL);
	raise(sig);
}

static int sys(int ret)
{
	return ret < 0 ? errno : 0;
}

static int drm_ioctl(int fd, unsigned long request, void *arg)
{
	return sys(ioctl(fd, request, arg));
}

static int do_open(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	char path[64];
	int fd, minor;

	/* Garbage picks a device too: only vgem's nodes are fuzzed. */
	minor = p->minors[a[0].value % p->devices];
	if (a[1].value & 1)
		snprintf(path, sizeof(path), "/dev/dri/renderD%d", 128 + minor);
	else
		snprintf(path, sizeof(path), "/dev/dri/card%d", minor);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;
	pool_add_fd(p, FD_DRM, fd);
	return 0;
}

static int do_close(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	enum fd_kind kind;
	int fd = pool_any_fd(p, &a[0], &kind, true);

	return fd < 0 ? EBADF : sys(close(fd));
}

static int do_dup(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	enum fd_kind kind;
	int fd = pool_any_fd(p, &a[0], &kind, false);
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (copy < 0)
		return errno;
	pool_add_fd(p, kind, copy);
	return 0;
}

static int do_version(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	char name[128], date[128], desc[128];
	size_t len = a[1].value % sizeof(name);
	struct drm_version v = {
		.name_len = len, .name = name, .date_len = len, .date = date,
		.desc_len = len, .desc = desc,
	};

	return drm_ioctl(pool_fd(p, FD_DRM, &a[0]), DRM_IOCTL_VERSION, &v);
}

static int do_get_cap(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	struct drm_get_cap cap = { .capability = a[1].value };

	return drm_ioctl(pool_fd(p, FD_DRM, &a[0]), DRM_IOCTL_GET_CAP, &cap);
}

/*
 * Whether a new object of @size bytes fits the process's budget (and is
 * then counted in it). Pinning pages of objects (an import into another
 * device does) is not limited by the driver, as upstream's is not: memory
 * cgroups limit it. A program that kept 4 GiB objects would exhaust the
 * guest's memory through the OOM killer, which is the kernel's business,
 * not a finding.
 */
static bool within_budget(struct fuzz_proc *p, uint64_t size)
{
	bool fits;

	pthread_mutex_lock(&p->lock);
	fits = size <= FUZZ_PROC_BUDGET - p->kept_bytes;
	if (fits)
		p->kept_bytes += size;
	pthread_mutex_unlock(&p->lock);
	return fits;
}

static int do_create_dumb(struct fuzz_proc *p, const struct fuzz_arg *a, bool extended)
{
	int fd = pool_fd(p, FD_DRM, &a[0]);
	uint32_t handle;
	uint64_t size;
	int ret;

	if (extended) {
		struct drm_vgem_bo_create c = {
			.width = a[1].value, .height = a[2].value, .bpp = a[3].value,
			.flags = a[4].value, .alignment = a[5].value,
		};

		ret = drm_ioctl(fd, DRM_IOCTL_VGEM_BO_CREATE, &c);
		handle = c.handle;
		size = c.size;
	} else {
		struct drm_mode_create_dumb c = {
			.width = a[1].value, .height = a[2].value, .bpp = a[3].value,
			.flags = a[4].value,
		};

		ret = drm_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
		handle = c.handle;
		size = c.size;
	}
	if (ret)
		return ret;
	if (within_budget(p, size)) {
		pool_add_pair(p, p->handles, &p->nr_handles, POOL_HANDLES, fd, handle);
	} else {
		struct drm_gem_close c = { .handle = handle };

		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
	}
	return 0;
}

static int do_handle_ioctl(struct fuzz_proc *p, enum fuzz_op op, const struct fuzz_arg *a)
{
	int fd = pool_fd(p, FD_DRM, &a[0]);
	uint32_t handle = pool_pair(p, p->handles, &p->nr_handles, &a[1]);

	switch (op) {
	case FUZZ_MAP_DUMB: {
		struct drm_mode_map_dumb m = { .handle = handle, .pad = a[2].value };

		return drm_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
	}
	case FUZZ_DESTROY_DUMB: {
		struct drm_mode_destroy_dumb d = { .handle = handle };

		return drm_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	}
	case FUZZ_GEM_CLOSE: {
		struct drm_gem_close c = { .handle = handle, .pad = a[2].value };

		return drm_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
	}
	case FUZZ_FLINK: {
		struct drm_gem_flink f = { .handle = handle };
		int ret = drm_ioctl(fd, DRM_IOCTL_GEM_FLINK, &f);

		if (!ret) {
			pthread_mutex_lock(&p->lock);
			if (p->nr_names < POOL_NAMES)
				p->names[p->nr_names++] = f.name;
			pthread_mutex_unlock(&p->lock);
		}
		return ret;
	}
	case FUZZ_BO_INFO: {
		struct drm_vgem_bo_info i = {
			.handle = handle, .flags = a[2].value, .pad = a[3].value,
		};

		return drm_ioctl(fd, DRM_IOCTL_VGEM_BO_INFO, &i);
	}
	case FUZZ_HANDLE_TO_FD: {
		struct drm_prime_handle h = { .handle = handle, .flags = a[2].value, .fd = -1 };
		int ret = drm_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &h);

		if (!ret)
			pool_add_fd(p, FD_DMABUF, h.fd);
		return ret;
	}
	case FUZZ_FENCE_ATTACH: {
		struct drm_vgem_fence_attach f = {
			.handle = handle, .flags = a[2].value, .pad = a[3].value,
		};
		int ret = drm_ioctl(fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &f);

		if (!ret)
			pool_add_pair(p, p->fences, &p->nr_fences, POOL_FENCES, fd, f.out_fence);
		return ret;
	}
	default:
		return EINVAL;
	}
}

static int do_gem_open(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	int fd = pool_fd(p, FD_DRM, &a[0]);
	struct drm_gem_open o = { .name = pool_name(p, &a[1]) };
	int ret = drm_ioctl(fd, DRM_IOCTL_GEM_OPEN, &o);

	if (!ret)
		pool_add_pair(p, p->handles, &p->nr_handles, POOL_HANDLES, fd, o.handle);
	return ret;
}

static int do_stats(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	struct drm_vgem_stats s = { .flags = a[1].value, .pad = a[2].value };

	return drm_ioctl(pool_fd(p, FD_DRM, &a[0]), DRM_IOCTL_VGEM_STATS, &s);
}

static int do_fd_to_handle(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	int fd = pool_fd(p, FD_DRM, &a[0]);
	struct drm_prime_handle h = { .fd = pool_fd(p, FD_DMABUF, &a[1]) };
	int ret = drm_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &h);

	if (!ret)
		pool_add_pair(p, p->handles, &p->nr_handles, POOL_HANDLES, fd, h.handle);
	return ret;
}

static int do_mmap(struct fuzz_proc *p, enum fuzz_op op, const struct fuzz_arg *a)
{
	size_t len;
	uint64_t offset;
	int prot, fd;
	void *addr;

	if (op == FUZZ_MMAP_DRM) {
		struct drm_mode_map_dumb m = {
			.handle = pool_pair(p, p->handles, &p->nr_handles, &a[1]),
		};

		fd = pool_fd(p, FD_DRM, &a[0]);
		if (ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
			return errno;
		len = a[2].value;
		prot = a[3].value;
		offset = m.offset + a[4].value;
	} else {
		fd = pool_fd(p, FD_DMABUF, &a[0]);
		len = a[1].value;
		prot = a[2].value;
		offset = a[3].value;
	}
	addr = mmap(NULL, len, prot, MAP_SHARED, fd, offset);
	if (addr == MAP_FAILED)
		return errno;
	pool_add_mapping(p, addr, len);
	return 0;
}

static int do_munmap(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	struct mapping_entry m = { NULL, 0 };
	unsigned int i;

	pthread_rwlock_wrlock(&p->map_lock);
	if (p->nr_mappings) {
		i = a[0].value % p->nr_mappings;
		m = p->mappings[i];
		p->mappings[i] = p->mappings[--p->nr_mappings];
		munmap(m.addr, m.len);
	}
	pthread_rwlock_unlock(&p->map_lock);
	return m.addr ? 0 : EINVAL;
}

static int do_touch(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	volatile uint64_t *word;
	int ret = EINVAL, sig;

	pthread_rwlock_rdlock(&p->map_lock);
	if (p->nr_mappings) {
		struct mapping_entry m = p->mappings[a[0].value % p->nr_mappings];

		word = (volatile uint64_t *)(m.addr + (a[1].value % m.len & ~7ull));
		sig = sigsetjmp(touch_env, 1);
		if (!sig) {
			touching = 1;
			if (a[2].value & 1)
				*word = a[1].value;
			else
				(void)*word;
			touching = 0;
			ret = 0;
		} else {
			ret = FUZZ_OUTCOME_SIGNAL + sig;
		}
	}
	pthread_rwlock_unlock(&p->map_lock);
	return ret;
}

static int do_dmabuf_ioctl(struct fuzz_proc *p, enum fuzz_op op, const struct fuzz_arg *a)
{
	int fd = pool_fd(p, FD_DMABUF, &a[0]);

	switch (op) {
	case FUZZ_DMABUF_SYNC: {
		struct dma_buf_sync s = { .flags = a[1].value };

		return drm_ioctl(fd, DMA_BUF_IOCTL_SYNC, &s);
	}
	case FUZZ_EXPORT_SYNC_FILE: {
		struct dma_buf_export_sync_file e = { .flags = a[1].value, .fd = -1 };
		int ret = drm_ioctl(fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &e);

		if (!ret)
			pool_add_fd(p, FD_SYNC, e.fd);
		return ret;
	}
	case FUZZ_IMPORT_SYNC_FILE: {
		struct dma_buf_import_sync_file i = {
			.flags = a[2].value, .fd = pool_fd(p, FD_SYNC, &a[1]),
		};

		return drm_ioctl(fd, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &i);
	}
	default:
		return EINVAL;
	}
}

static int do_poll(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	enum fd_kind kind;
	struct pollfd pfd = { .fd = pool_any_fd(p, &a[0], &kind, false), .events = a[1].value };
	int ret = poll(&pfd, 1, 1);

	return ret < 0 ? errno : 0;
}

static int do_fence_signal(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	struct drm_vgem_fence_signal s = {
		.fence = pool_pair(p, p->fences, &p->nr_fences, &a[1]),
		.flags = a[2].value,
	};

	return drm_ioctl(pool_fd(p, FD_DRM, &a[0]), DRM_IOCTL_VGEM_FENCE_SIGNAL, &s);
}

/* An fd over the socket, with its kind as the one byte of data. */
static int do_send_fd(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	enum fd_kind kind;
	int fd = pool_any_fd(p, &a[0], &kind, false);
	char byte = kind;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	if (p->sock_next < 0)
		return ENOTCONN;
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sys(sendmsg(p->sock_next, &msg, MSG_DONTWAIT | MSG_NOSIGNAL));
}

static int do_recv_fd(struct fuzz_proc *p)
{
	char control[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (p->sock_prev < 0)
		return ENOTCONN;
	if (recvmsg(p->sock_prev, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0)
		return errno;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return EBADMSG;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	pool_add_fd(p, byte >= 0 && byte < FD_KINDS ? byte : FD_DRM, fd);
	return 0;
}

/*
 * Any ioctl number of the file's kind ('d' DRM, 'b' dma-buf, '>' sync_file),
 * any direction and size, on a buffer of the fill's bytes: pointers in it
 * are random 64-bit numbers, which no mapping of ours can be at.
 */
static int do_raw_ioctl(struct fuzz_proc *p, const struct fuzz_arg *a)
{
	static const int type[FD_KINDS] = { 'd', 'b', '>' };
	struct fuzz_rng rng = { a[4].value };
	uint64_t buf[64];
	enum fd_kind kind;
	int fd = pool_any_fd(p, &a[0], &kind, false);
	unsigned int i, size = a[3].value % sizeof(buf);

	for (i = 0; i < 64; i++)
		buf[i] = fuzz_rand(&rng);
	return drm_ioctl(fd, _IOC(a[2].value & 3, type[kind], a[1].value & 0xff, size), buf);
}

int fuzz_call_run(struct fuzz_proc *p, const struct fuzz_call *call)
{
	const struct fuzz_arg *a = call->arg;

	switch (call->op) {
	case FUZZ_OPEN:
		return do_open(p, a);
	case FUZZ_CLOSE:
		return do_close(p, a);
	case FUZZ_DUP:
		return do_dup(p, a);
	case FUZZ_VERSION:
		return do_version(p, a);
	case FUZZ_GET_CAP:
		return do_get_cap(p, a);
	case FUZZ_CREATE_DUMB:
		return do_create_dumb(p, a, false);
	case FUZZ_BO_CREATE:
		return do_create_dumb(p, a, true);
	case FUZZ_MAP_DUMB: case FUZZ_DESTROY_DUMB: case FUZZ_GEM_CLOSE: case FUZZ_FLINK:
	case FUZZ_BO_INFO: case FUZZ_HANDLE_TO_FD: case FUZZ_FENCE_ATTACH:
		return do_handle_ioctl(p, call->op, a);
	case FUZZ_GEM_OPEN:
		return do_gem_open(p, a);
	case FUZZ_STATS:
		return do_stats(p, a);
	case FUZZ_FD_TO_HANDLE:
		return do_fd_to_handle(p, a);
	case FUZZ_MMAP_DRM: case FUZZ_MMAP_DMABUF:
		return do_mmap(p, call->op, a);
	case FUZZ_MUNMAP:
		return do_munmap(p, a);
	case FUZZ_TOUCH:
		return do_touch(p, a);
	case FUZZ_DMABUF_SYNC: case FUZZ_EXPORT_SYNC_FILE: case FUZZ_IMPORT_SYNC_FILE:
		return do_dmabuf_ioctl(p, call->op, a);
	case FUZZ_POLL:
		return do_poll(p, a);
	case FUZZ_FENCE_SIGNAL:
		return do_fence_signal(p, a);
	case FUZZ_SEND_FD:
		return do_send_fd(p, a);
	case FUZZ_RECV_FD:
		return do_recv_fd(p);
	case FUZZ_RAW_IOCTL:
		return do_raw_ioctl(p, a);
	default:
		return EINVAL;
	}
}
