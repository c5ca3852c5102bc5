// SPDX-License-Identifier: MIT
/*
 * The fuzzer's pools (fuzz_proc.h): what a process's calls made, shared
 * by its threads, each pool of a fixed size (the oldest entry goes when a
 * new one comes, its file closed or its mapping unmapped).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_proc.h"

struct fuzz_proc *fuzz_proc_new(const int *minors, unsigned int devices, int sock_next,
				int sock_prev, struct fuzz_tally *tally)
{
	struct fuzz_proc *p;

	if (!devices || devices > FUZZ_MAX_DEVICES)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	memcpy(p->minors, minors, sizeof(int) * devices);
	p->devices = devices;
	p->sock_next = sock_next;
	p->sock_prev = sock_prev;
	p->tally = tally;
	pthread_mutex_init(&p->lock, NULL);
	pthread_rwlock_init(&p->map_lock, NULL);
	return p;
}

void pool_add_fd(struct fuzz_proc *p, enum fd_kind kind, int fd)
{
	int evicted = -1;

	if (fd < 0)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->nr_fds[kind] == POOL_FILES) {
		evicted = p->fds[kind][0];
		memmove(&p->fds[kind][0], &p->fds[kind][1], sizeof(int) * (POOL_FILES - 1));
		p->nr_fds[kind]--;
	}
	p->fds[kind][p->nr_fds[kind]++] = fd;
	pthread_mutex_unlock(&p->lock);
	if (evicted >= 0)
		close(evicted);
}

/* The fd an argument names in pool @kind (-1 when the pool is empty). */
int pool_fd(struct fuzz_proc *p, enum fd_kind kind, const struct fuzz_arg *arg)
{
	int fd = -1;

	if (arg->kind == FUZZ_ARG_VALUE)
		return (int)arg->value;
	pthread_mutex_lock(&p->lock);
	if (p->nr_fds[kind])
		fd = p->fds[kind][arg->value % p->nr_fds[kind]];
	pthread_mutex_unlock(&p->lock);
	return fd;
}

/* Any pool's fd: the slot numbers the three pools one after the other. */
int pool_any_fd(struct fuzz_proc *p, const struct fuzz_arg *arg, enum fd_kind *kind,
		      bool take)
{
	unsigned int total, i, k;
	int fd = -1;

	*kind = FD_DRM;
	if (arg->kind == FUZZ_ARG_VALUE)
		return take ? -1 : (int)arg->value;
	pthread_mutex_lock(&p->lock);
	total = p->nr_fds[FD_DRM] + p->nr_fds[FD_DMABUF] + p->nr_fds[FD_SYNC];
	if (total) {
		i = arg->value % total;
		for (k = 0; i >= p->nr_fds[k]; k++)
			i -= p->nr_fds[k];
		fd = p->fds[k][i];
		*kind = k;
		if (take) {
			p->fds[k][i] = p->fds[k][--p->nr_fds[k]];
		}
	}
	pthread_mutex_unlock(&p->lock);
	return fd;
}

void pool_add_pair(struct fuzz_proc *p, struct handle_entry *pool, unsigned int *nr,
		     unsigned int size, int fd, uint32_t value)
{
	pthread_mutex_lock(&p->lock);
	if (*nr == size) {
		memmove(&pool[0], &pool[1], sizeof(*pool) * (size - 1));
		(*nr)--;
	}
	pool[(*nr)++] = (struct handle_entry){ fd, value };
	pthread_mutex_unlock(&p->lock);
}

/* The value (handle, fence) an argument names; a value argument as it is. */
uint32_t pool_pair(struct fuzz_proc *p, const struct handle_entry *pool,
			 const unsigned int *nr, const struct fuzz_arg *arg)
{
	uint32_t value = 0;

	if (arg->kind == FUZZ_ARG_VALUE)
		return (uint32_t)arg->value;
	pthread_mutex_lock(&p->lock);
	if (*nr)
		value = pool[arg->value % *nr].handle;
	pthread_mutex_unlock(&p->lock);
	return value;
}

uint32_t pool_name(struct fuzz_proc *p, const struct fuzz_arg *arg)
{
	uint32_t name = 0;

	if (arg->kind == FUZZ_ARG_VALUE)
		return (uint32_t)arg->value;
	pthread_mutex_lock(&p->lock);
	if (p->nr_names)
		name = p->names[arg->value % p->nr_names];
	pthread_mutex_unlock(&p->lock);
	return name;
}

void pool_add_mapping(struct fuzz_proc *p, void *addr, size_t len)
{
	struct mapping_entry evicted = { NULL, 0 };

	pthread_rwlock_wrlock(&p->map_lock);
	if (p->nr_mappings == POOL_MAPPINGS) {
		evicted = p->mappings[0];
		memmove(&p->mappings[0], &p->mappings[1],
			sizeof(p->mappings[0]) * (POOL_MAPPINGS - 1));
		p->nr_mappings--;
	}
	p->mappings[p->nr_mappings++] = (struct mapping_entry){ addr, len };
	if (evicted.addr)
		munmap(evicted.addr, evicted.len);
	pthread_rwlock_unlock(&p->map_lock);
}
