// SPDX-License-Identifier: MIT
/*
 * vgem_stress: processes x threads sharing buffers on two devices for a
 * bounded time (VGEM_STRESS_SECONDS, default 10): each thread, with files
 * of its own, creates buffers (shmem and, when there is a context,
 * contiguous) on either device, exports them into a table of dma-bufs
 * its process shares, imports the table's dma-bufs into either device,
 * maps and writes them through the DRM file and through the dma-buf,
 * attaches and signals fences and waits for them through a sync_file,
 * closes handles and dma-bufs in any order, and passes dma-bufs to the next
 * process over a unix socket. Nothing is checked for speed; afterwards every count is back
 * to zero on both devices (objects, exports, pins, contiguous bytes, hash
 * entries, the context's chunks: igt_vgem_assert_idle()), and vgem and
 * cmctx unload. The guest runner checks the kernel log and kmemleak.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_vgem.h"

#define PROCS		3
#define THREADS		3
#define SLOTS		16
#define BO_BYTES	(64 * 1024)

/** struct proc - one process: the dma-bufs its threads share */
struct proc {
	bool contiguous;	/* device 0 has a context */
	int to_next, from_prev;	/* sockets to the next process and from the previous */
	pthread_mutex_t lock;	/* protects slot[] */
	int slot[SLOTS];	/* dma-bufs, -1 for none */
	double end;		/* CLOCK_MONOTONIC second to stop at */
	unsigned long ops;	/* done, under @lock */
};

/*
 * struct worker - one thread: its own files of devices 0 and 1. A file's
 * handles are one namespace: threads sharing a file would close each
 * other's handles (an import of a dma-buf the file knows gives back the
 * same handle, and a closed handle's number is given out again), a bug of
 * the client that libdrm's users avoid with a table of their own.
 */
struct worker {
	struct proc *p;
	int fd[2];
	unsigned int seed;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A dup of a random slot's dma-buf, or -1. */
static int take(struct proc *p, unsigned int *seed)
{
	int fd = -1;

	pthread_mutex_lock(&p->lock);
	int s = p->slot[rand_r(seed) % SLOTS];

	if (s >= 0)
		fd = dup(s);
	pthread_mutex_unlock(&p->lock);
	return fd;
}

/* Puts @dmabuf in a random slot (ours from now on), closing what was there. */
static void put(struct proc *p, unsigned int *seed, int dmabuf)
{
	int old;

	pthread_mutex_lock(&p->lock);
	unsigned int i = rand_r(seed) % SLOTS;

	old = p->slot[i];
	p->slot[i] = dmabuf;
	p->ops++;
	pthread_mutex_unlock(&p->lock);
	if (old >= 0)
		close(old);
}

static void op_create_export(struct worker *w)
{
	struct proc *p = w->p;
	unsigned int *seed = &w->seed;
	int fd = w->fd[rand_r(seed) % 2], dmabuf;
	struct drm_vgem_bo_create c = {
		.width = 1024, .height = BO_BYTES / 4096, .bpp = 32,
		.flags = VGEM_BO_SHMEM,
	};

	if (p->contiguous && rand_r(seed) % 2)
		c.flags = VGEM_BO_CONTIGUOUS | VGEM_BO_FALLBACK;
	igt_assert_eq(__igt_vgem_bo_create(fd, &c), 0);
	igt_assert_eq(__prime_handle_to_fd(fd, c.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	/* The handle goes now or stays a while (the object lives in the dma-buf). */
	if (rand_r(seed) % 2)
		gem_close(fd, c.handle);
	put(p, seed, dmabuf);
}

/* Import into either device, map through the DRM file, write, read, close. */
static void op_import_map(struct worker *w)
{
	struct proc *p = w->p;
	unsigned int *seed = &w->seed;
	int dmabuf = take(p, seed), fd = w->fd[rand_r(seed) % 2];
	uint32_t handle, value = rand_r(seed);
	volatile uint32_t *map;
	uint64_t offset;

	if (dmabuf < 0)
		return;
	igt_assert_eq(__prime_fd_to_handle(fd, dmabuf, &handle), 0);
	igt_assert_eq(__vgem_map_offset(fd, handle, &offset), 0);
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	igt_assert_f(map != MAP_FAILED, "mmap of an import: %s\n", strerror(errno));
	map[1] = value;
	igt_assert(map[1] == value);
	munmap((void *)map, 4096);
	gem_close(fd, handle);
	close(dmabuf);
}

static void op_dmabuf_map(struct worker *w)
{
	struct proc *p = w->p;
	unsigned int *seed = &w->seed;
	int dmabuf = take(p, seed);
	uint32_t *map;

	if (dmabuf < 0)
		return;
	map = mmap(NULL, BO_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert(map != MAP_FAILED);
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW), 0);
	map[rand_r(seed) % (BO_BYTES / 4)] ^= 1;
	igt_assert_eq(__dmabuf_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	munmap(map, BO_BYTES);
	close(dmabuf);
}

/* A fence on an import, waited for through the dma-buf's sync_file. */
static void op_fence(struct worker *w)
{
	struct proc *p = w->p;
	unsigned int *seed = &w->seed;
	int dmabuf = take(p, seed), fd = w->fd[rand_r(seed) % 2], sync_file, ret;
	uint32_t handle, fence;

	if (dmabuf < 0)
		return;
	igt_assert_eq(__prime_fd_to_handle(fd, dmabuf, &handle), 0);
	/* Another thread's fence may be there: EBUSY for a second writer. */
	ret = __igt_vgem_fence_attach(fd, handle, VGEM_FENCE_WRITE, 0, &fence);
	igt_assert_f(!ret || ret == -EBUSY, "FENCE_ATTACH: %s\n", strerror(-ret));
	if (!ret) {
		igt_assert_eq(__dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ, &sync_file),
			      0);
		igt_assert_eq(__igt_vgem_fence_signal(fd, fence, 0), 0);
		igt_assert_eq(fd_ready(sync_file, POLLIN, 5000), POLLIN);
		close(sync_file);
	}
	gem_close(fd, handle);
	close(dmabuf);
}

/* Hand a dma-buf to the next process, take one from the previous. */
static void op_pass(struct worker *w)
{
	struct proc *p = w->p;
	unsigned int *seed = &w->seed;
	int dmabuf = take(p, seed);

	if (dmabuf >= 0) {
		send_fd(p->to_next, dmabuf);	/* a full socket drops it: fine */
		close(dmabuf);
	}
	dmabuf = recv_fd(p->from_prev);
	if (dmabuf >= 0)
		put(p, seed, dmabuf);
}

static void op_drop(struct worker *w)
{
	struct proc *p = w->p;
	unsigned int *seed = &w->seed;
	put(p, seed, -1);
}

static void *thread(void *arg)
{
	static void (*const ops[])(struct worker *) = {
		op_create_export, op_create_export, op_import_map, op_dmabuf_map,
		op_fence, op_pass, op_drop,
	};
	struct worker *w = arg;

	while (now() < w->p->end)
		ops[rand_r(&w->seed) % IGT_ARRAY_SIZE(ops)](w);
	return NULL;
}

/* One process: its threads until the end, then everything it holds closed. */
static void proc_run(struct proc *p)
{
	struct worker workers[THREADS];
	pthread_t threads[THREADS];
	unsigned int i, d;

	for (i = 0; i < THREADS; i++) {
		workers[i].p = p;
		workers[i].seed = (unsigned int)getpid() * 31 + i;
		for (d = 0; d < 2; d++)
			workers[i].fd[d] = igt_vgem_open_device(d, DRM_NODE_KIND_PRIMARY, NULL);
		igt_assert_eq(pthread_create(&threads[i], NULL, thread, &workers[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], NULL);
		close(workers[i].fd[0]);
		close(workers[i].fd[1]);
	}
	igt_info("process %d: %lu buffers made, passed or dropped\n", getpid(), p->ops);
	for (i = 0; i < SLOTS; i++)
		if (p->slot[i] >= 0)
			close(p->slot[i]);
}

static void test_shared_objects(void)
{
	const char *env = getenv("VGEM_STRESS_SECONDS");
	double seconds = env ? atof(env) : 10;
	int socks[PROCS][2], minors[2], status, i, j;
	struct drm_vgem_bo_create probe = { 0 };
	pid_t pids[PROCS];
	bool contiguous;

	igt_system("modprobe vgem");
	igt_require_f(igt_module_out_of_tree("vgem"), "stresses this project's vgem\n");
	igt_vgem_reload(2);
	for (i = 0; i < 2; i++)
		close(igt_vgem_open_device((unsigned int)i, DRM_NODE_KIND_PRIMARY, &minors[i]));
	i = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, NULL);
	contiguous = __igt_vgem_create_mib(i, 1, VGEM_BO_CONTIGUOUS, 0, &probe) == 0;
	if (contiguous)
		gem_close(i, probe.handle);
	close(i);
	igt_info("%d processes x %d threads, %.0f s, contiguous buffers: %s\n", PROCS, THREADS,
		 seconds, contiguous ? "yes" : "no (no context)");

	for (i = 0; i < PROCS; i++)
		igt_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
					 socks[i]), 0);
	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		igt_assert(pids[i] >= 0);
		if (pids[i] == 0) {
			struct proc p = {
				.contiguous = contiguous,
				/* socks[i]: from i to i + 1 */
				.to_next = socks[i][0],
				.from_prev = socks[(i + PROCS - 1) % PROCS][1],
				.lock = PTHREAD_MUTEX_INITIALIZER,
				.end = now() + seconds,
			};

			for (j = 0; j < SLOTS; j++)
				p.slot[j] = -1;
			proc_run(&p);
			_exit(0);
		}
	}
	/* What is still in flight in the sockets goes with them. */
	for (i = 0; i < PROCS; i++) {
		close(socks[i][0]);
		close(socks[i][1]);
	}
	for (i = 0; i < PROCS; i++) {
		igt_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "process %d ended with status %#x\n", pids[i], status);
	}
	for (i = 0; i < 2; i++)
		igt_vgem_assert_idle(minors[i]);
	igt_vgem_unload();
	igt_assert_f(!igt_module_unload("cmctx") || !igt_module_loaded("cmctx"),
		     "cmctx does not unload\n");
	igt_assert_eq(igt_system("modprobe vgem"), 0);
}

static const struct igt_subtest subtests[] = {
	{ "shared-objects", test_shared_objects },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, IGT_ARRAY_SIZE(subtests));
}
