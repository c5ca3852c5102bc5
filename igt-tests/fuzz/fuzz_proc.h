/* SPDX-License-Identifier: MIT */
/*
 * Inside the fuzzer's executor (fuzz_exec.h): the state of one process of
 * a program. A process keeps what its calls made in pools: DRM files,
 * dma-bufs, sync_files, (file, handle) pairs, mappings, fences and flink
 * names (fuzz_pool.c). A slot argument picks a live entry; a value
 * argument is used as it is, garbage included (fuzz_calls.c).
 */
#ifndef VGEM_FUZZ_PROC_H
#define VGEM_FUZZ_PROC_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_exec.h"

#define MAX_THREADS	8

/* The pools' sizes: when one is full, its oldest entry is let go. */
#define POOL_FILES	16
#define POOL_HANDLES	64
#define POOL_MAPPINGS	32
#define POOL_FENCES	32
#define POOL_NAMES	16

/* The bytes of the objects a process may keep (fuzz_calls.c). */
#define FUZZ_PROC_BUDGET	(128ull << 20)

enum fd_kind { FD_DRM, FD_DMABUF, FD_SYNC, FD_KINDS };

struct handle_entry {
	int fd;
	uint32_t handle;
};

struct mapping_entry {
	char *addr;
	size_t len;
};

struct fuzz_proc {
	int minors[FUZZ_MAX_DEVICES];
	unsigned int devices;
	int sock_next, sock_prev;
	struct fuzz_tally *tally;

	/* Protects every pool below but the mappings'; never held in a call. */
	pthread_mutex_t lock;
	int fds[FD_KINDS][POOL_FILES];
	unsigned int nr_fds[FD_KINDS];
	struct handle_entry handles[POOL_HANDLES];
	unsigned int nr_handles;
	struct handle_entry fences[POOL_FENCES];
	unsigned int nr_fences;
	uint32_t names[POOL_NAMES];
	unsigned int nr_names;
	uint64_t kept_bytes;	/* of the objects it made, over its life */

	/*
	 * Protects mappings[] and nr_mappings; TOUCH holds it for reading
	 * while it touches, MUNMAP for writing while it unmaps.
	 */
	pthread_rwlock_t map_lock;
	struct mapping_entry mappings[POOL_MAPPINGS];
	unsigned int nr_mappings;

	/* Per thread: since when (ms) its current call runs, 0 between calls. */
	pthread_t thread[MAX_THREADS];
	uint64_t busy_since[MAX_THREADS];
	unsigned int nr_threads;
	bool stop;
};

/* The pools (fuzz_pool.c): an argument's entry, or a new entry. */
void pool_add_fd(struct fuzz_proc *p, enum fd_kind kind, int fd);
/* The fd an argument names in pool @kind (-1 when the pool is empty). */
int pool_fd(struct fuzz_proc *p, enum fd_kind kind, const struct fuzz_arg *arg);
/* Any pool's fd and its kind; with @take, out of its pool (to be closed). */
int pool_any_fd(struct fuzz_proc *p, const struct fuzz_arg *arg, enum fd_kind *kind,
		bool take);
void pool_add_pair(struct fuzz_proc *p, struct handle_entry *pool, unsigned int *nr,
		   unsigned int size, int fd, uint32_t value);
/* The value (handle, fence) an argument names; a value argument as it is. */
uint32_t pool_pair(struct fuzz_proc *p, const struct handle_entry *pool,
		   const unsigned int *nr, const struct fuzz_arg *arg);
uint32_t pool_name(struct fuzz_proc *p, const struct fuzz_arg *arg);
void pool_add_mapping(struct fuzz_proc *p, void *addr, size_t len);

/* The calls (fuzz_calls.c): 0, an errno, or FUZZ_OUTCOME_SIGNAL + a signal. */
int fuzz_call_run(struct fuzz_proc *p, const struct fuzz_call *call);
/* The SIGBUS/SIGSEGV handler: ends a touch, or crashes as the signal would. */
void fuzz_on_fault(int sig);

#endif /* VGEM_FUZZ_PROC_H */
