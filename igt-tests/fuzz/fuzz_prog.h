/* SPDX-License-Identifier: MIT */
/*
 * The fuzzer's programs: what a seed stands for. A program is a list of
 * calls per process and thread, generated from the seed alone (never from
 * what an earlier call returned), so the same seed always gives the same
 * program. An argument names either a value (a boundary, a random number,
 * a random flag bit) or a slot of the running process's pools of live
 * files, handles, mappings and fences, resolved when the call runs.
 * docs/testing.md, "The fuzzer".
 */
#ifndef VGEM_FUZZ_PROG_H
#define VGEM_FUZZ_PROG_H

#include <stddef.h>
#include <stdint.h>

/* What a call does. fuzz_op_name() names each. */
enum fuzz_op {
	FUZZ_OPEN,		/* a node of a vgem device: a0 device, a1 render */
	FUZZ_CLOSE,		/* a0 any fd of the pools */
	FUZZ_DUP,		/* a0 a DRM or dma-buf fd */
	FUZZ_VERSION,		/* a0 DRM fd, a1 name length */
	FUZZ_GET_CAP,		/* a0 DRM fd, a1 capability */
	FUZZ_CREATE_DUMB,	/* a0 DRM fd, a1 width, a2 height, a3 bpp, a4 flags */
	FUZZ_MAP_DUMB,		/* a0 DRM fd, a1 handle, a2 pad */
	FUZZ_DESTROY_DUMB,	/* a0 DRM fd, a1 handle */
	FUZZ_GEM_CLOSE,		/* a0 DRM fd, a1 handle, a2 pad */
	FUZZ_FLINK,		/* a0 DRM fd, a1 handle */
	FUZZ_GEM_OPEN,		/* a0 DRM fd, a1 name */
	FUZZ_BO_CREATE,		/* a0 DRM fd, a1 width, a2 height, a3 bpp, a4 flags, a5 alignment */
	FUZZ_BO_INFO,		/* a0 DRM fd, a1 handle, a2 flags, a3 pad */
	FUZZ_STATS,		/* a0 DRM fd, a1 flags, a2 pad */
	FUZZ_HANDLE_TO_FD,	/* a0 DRM fd, a1 handle, a2 flags */
	FUZZ_FD_TO_HANDLE,	/* a0 DRM fd, a1 dma-buf fd */
	FUZZ_MMAP_DRM,		/* a0 DRM fd, a1 handle (its fake offset), a2 length, a3 prot, a4 offset bias */
	FUZZ_MMAP_DMABUF,	/* a0 dma-buf fd, a1 length, a2 prot, a3 offset */
	FUZZ_MUNMAP,		/* a0 mapping */
	FUZZ_TOUCH,		/* a0 mapping, a1 offset, a2 write */
	FUZZ_DMABUF_SYNC,	/* a0 dma-buf fd, a1 flags */
	FUZZ_EXPORT_SYNC_FILE,	/* a0 dma-buf fd, a1 flags */
	FUZZ_IMPORT_SYNC_FILE,	/* a0 dma-buf fd, a1 sync_file fd, a2 flags */
	FUZZ_POLL,		/* a0 any fd, a1 events */
	FUZZ_FENCE_ATTACH,	/* a0 DRM fd, a1 handle, a2 flags, a3 pad */
	FUZZ_FENCE_SIGNAL,	/* a0 DRM fd, a1 fence, a2 flags */
	FUZZ_SEND_FD,		/* a0 any fd: to the next process */
	FUZZ_RECV_FD,		/* from the previous process */
	FUZZ_FORK,		/* a0 how many of the following calls the child runs */
	FUZZ_RAW_IOCTL,		/* a0 DRM or dma-buf fd, a1 nr, a2 direction, a3 size, a4 fill */
	FUZZ_NR_OPS
};

/* How an argument is chosen (struct fuzz_arg). */
enum fuzz_arg_kind {
	FUZZ_ARG_VALUE,		/* value as it is */
	FUZZ_ARG_SLOT,		/* value modulo the pool's size: a live entry */
};

/** struct fuzz_arg - one argument: a value, or a pool slot */
struct fuzz_arg {
	enum fuzz_arg_kind kind;
	uint64_t value;
};

#define FUZZ_MAX_ARGS	6

/** struct fuzz_call - one call of a program */
struct fuzz_call {
	enum fuzz_op op;
	struct fuzz_arg arg[FUZZ_MAX_ARGS];
};

/** struct fuzz_shape - how many processes, threads and calls a program has */
struct fuzz_shape {
	unsigned int procs;
	unsigned int threads;
	unsigned int calls;
	unsigned int devices;
};

/** struct fuzz_rng - splitmix64: small, fast, the same everywhere */
struct fuzz_rng {
	uint64_t state;
};

uint64_t fuzz_rand(struct fuzz_rng *rng);

/**
 * fuzz_generate() - the calls of process @proc, thread @thread of the
 * program of @seed: @shape->calls of them into @calls
 */
void fuzz_generate(uint64_t seed, const struct fuzz_shape *shape,
		   unsigned int proc, unsigned int thread, struct fuzz_call *calls);

/** fuzz_op_name() - the name a printed program gives @op */
const char *fuzz_op_name(enum fuzz_op op);

/**
 * fuzz_format() - @call as one readable line ("CREATE_DUMB(fd=slot 3,
 * width=4096, ...)") into @buf of @size bytes
 */
void fuzz_format(const struct fuzz_call *call, char *buf, size_t size);

#endif /* VGEM_FUZZ_PROG_H */
