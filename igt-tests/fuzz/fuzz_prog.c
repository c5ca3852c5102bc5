// SPDX-License-Identifier: MIT
/*
 * Generating and printing the fuzzer's programs (fuzz_prog.h). Each
 * operation's arguments are described once, in fuzz_ops[]: their names
 * (for printing) and what kind of value they take (for generating).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_prog.h"

/* What an argument holds: which pool a slot names, or which values suit. */
enum fuzz_type {
	T_NONE,
	T_DRM_FD,	/* pool of DRM files */
	T_DMABUF_FD,	/* pool of dma-bufs */
	T_SYNC_FD,	/* pool of sync_files */
	T_ANY_FD,	/* any of the three pools */
	T_HANDLE,	/* pool of (file, handle) pairs */
	T_MAPPING,	/* pool of mappings */
	T_FENCE,	/* pool of (file, fence) pairs */
	T_NAME,		/* pool of flink names */
	T_DEVICE,	/* a device index */
	T_BOOL,
	T_DIM,		/* a width or height */
	T_BPP,
	T_FLAGS,	/* a flag word: known bits, or any */
	T_LENGTH,	/* a mapping's length */
	T_OFFSET,	/* an offset into an object or mapping */
	T_SMALL,	/* a small count or an enum */
	T_RAW,		/* anything */
};

struct fuzz_arg_desc {
	const char *name;
	enum fuzz_type type;
	uint64_t known;		/* T_FLAGS: the bits that mean something */
};

struct fuzz_op_desc {
	const char *name;
	unsigned int weight;	/* how often it is picked, relative */
	struct fuzz_arg_desc arg[FUZZ_MAX_ARGS];
};

/* DRM_CLOEXEC | DRM_RDWR, O_CLOEXEC | O_RDWR in the PRIME ioctl. */
#define PRIME_FLAGS	(02000000 | 02)

static const struct fuzz_op_desc fuzz_ops[FUZZ_NR_OPS] = {
	[FUZZ_OPEN] = { "OPEN", 4, { { "device", T_DEVICE }, { "render", T_BOOL } } },
	[FUZZ_CLOSE] = { "CLOSE", 3, { { "fd", T_ANY_FD } } },
	[FUZZ_DUP] = { "DUP", 1, { { "fd", T_ANY_FD } } },
	[FUZZ_VERSION] = { "VERSION", 1, { { "fd", T_DRM_FD }, { "name_len", T_SMALL } } },
	[FUZZ_GET_CAP] = { "GET_CAP", 1, { { "fd", T_DRM_FD }, { "capability", T_SMALL } } },
	[FUZZ_CREATE_DUMB] = { "CREATE_DUMB", 8, { { "fd", T_DRM_FD }, { "width", T_DIM },
		{ "height", T_DIM }, { "bpp", T_BPP }, { "flags", T_FLAGS, 0 } } },
	[FUZZ_MAP_DUMB] = { "MAP_DUMB", 4, { { "fd", T_DRM_FD }, { "handle", T_HANDLE },
		{ "pad", T_FLAGS, 0 } } },
	[FUZZ_DESTROY_DUMB] = { "DESTROY_DUMB", 2, { { "fd", T_DRM_FD }, { "handle", T_HANDLE } } },
	[FUZZ_GEM_CLOSE] = { "GEM_CLOSE", 3, { { "fd", T_DRM_FD }, { "handle", T_HANDLE },
		{ "pad", T_FLAGS, 0 } } },
	[FUZZ_FLINK] = { "GEM_FLINK", 1, { { "fd", T_DRM_FD }, { "handle", T_HANDLE } } },
	[FUZZ_GEM_OPEN] = { "GEM_OPEN", 1, { { "fd", T_DRM_FD }, { "name", T_NAME } } },
	[FUZZ_BO_CREATE] = { "VGEM_BO_CREATE", 6, { { "fd", T_DRM_FD }, { "width", T_DIM },
		{ "height", T_DIM }, { "bpp", T_BPP }, { "flags", T_FLAGS, 0xf },
		{ "alignment", T_LENGTH } } },
	[FUZZ_BO_INFO] = { "VGEM_BO_INFO", 2, { { "fd", T_DRM_FD }, { "handle", T_HANDLE },
		{ "flags", T_FLAGS, 0 }, { "pad", T_FLAGS, 0 } } },
	[FUZZ_STATS] = { "VGEM_STATS", 1, { { "fd", T_DRM_FD }, { "flags", T_FLAGS, 0 },
		{ "pad", T_FLAGS, 0 } } },
	[FUZZ_HANDLE_TO_FD] = { "PRIME_HANDLE_TO_FD", 6, { { "fd", T_DRM_FD },
		{ "handle", T_HANDLE }, { "flags", T_FLAGS, PRIME_FLAGS } } },
	[FUZZ_FD_TO_HANDLE] = { "PRIME_FD_TO_HANDLE", 6, { { "fd", T_DRM_FD },
		{ "dmabuf", T_DMABUF_FD } } },
	[FUZZ_MMAP_DRM] = { "MMAP_DRM", 4, { { "fd", T_DRM_FD }, { "handle", T_HANDLE },
		{ "length", T_LENGTH }, { "prot", T_FLAGS, 3 }, { "offset_bias", T_OFFSET } } },
	[FUZZ_MMAP_DMABUF] = { "MMAP_DMABUF", 4, { { "dmabuf", T_DMABUF_FD },
		{ "length", T_LENGTH }, { "prot", T_FLAGS, 3 }, { "offset", T_OFFSET } } },
	[FUZZ_MUNMAP] = { "MUNMAP", 3, { { "mapping", T_MAPPING } } },
	[FUZZ_TOUCH] = { "TOUCH", 6, { { "mapping", T_MAPPING }, { "offset", T_OFFSET },
		{ "write", T_BOOL } } },
	[FUZZ_DMABUF_SYNC] = { "DMA_BUF_IOCTL_SYNC", 4, { { "dmabuf", T_DMABUF_FD },
		{ "flags", T_FLAGS, 7 } } },
	[FUZZ_EXPORT_SYNC_FILE] = { "DMA_BUF_EXPORT_SYNC_FILE", 2, { { "dmabuf", T_DMABUF_FD },
		{ "flags", T_FLAGS, 3 } } },
	[FUZZ_IMPORT_SYNC_FILE] = { "DMA_BUF_IMPORT_SYNC_FILE", 1, { { "dmabuf", T_DMABUF_FD },
		{ "sync_file", T_SYNC_FD }, { "flags", T_FLAGS, 3 } } },
	[FUZZ_POLL] = { "POLL", 2, { { "fd", T_ANY_FD }, { "events", T_FLAGS, 5 } } },
	[FUZZ_FENCE_ATTACH] = { "VGEM_FENCE_ATTACH", 4, { { "fd", T_DRM_FD },
		{ "handle", T_HANDLE }, { "flags", T_FLAGS, 1 }, { "pad", T_FLAGS, 0 } } },
	[FUZZ_FENCE_SIGNAL] = { "VGEM_FENCE_SIGNAL", 4, { { "fd", T_DRM_FD },
		{ "fence", T_FENCE }, { "flags", T_FLAGS, 0 } } },
	[FUZZ_SEND_FD] = { "SEND_FD", 2, { { "fd", T_ANY_FD } } },
	[FUZZ_RECV_FD] = { "RECV_FD", 2, { { 0 } } },
	[FUZZ_FORK] = { "FORK", 1, { { "child_calls", T_SMALL } } },
	[FUZZ_RAW_IOCTL] = { "RAW_IOCTL", 2, { { "fd", T_ANY_FD }, { "nr", T_SMALL },
		{ "direction", T_SMALL }, { "size", T_SMALL }, { "fill", T_RAW } } },
};

/* Values at the edges: of 32 and 64 bits, of a page, of the size limits. */
static const uint64_t boundaries[] = {
	0, 1, 2, 3, 7, 8, 31, 32, 4095, 4096, 4097, 8192, 65535, 65536,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x100001000ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, ~0ull - 4095,
	1ull << 40, 256ull << 20, 512ull << 20,
};

uint64_t fuzz_rand(struct fuzz_rng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(struct fuzz_rng *rng, uint64_t n)
{
	return fuzz_rand(rng) % n;
}

static uint64_t garbage(struct fuzz_rng *rng)
{
	switch (below(rng, 3)) {
	case 0:
		return boundaries[below(rng, sizeof(boundaries) / sizeof(boundaries[0]))];
	case 1:
		return 1ull << below(rng, 64);
	default:
		return fuzz_rand(rng);
	}
}

/* A sensible value of @type most of the time, garbage otherwise. */
static uint64_t sensible(struct fuzz_rng *rng, const struct fuzz_arg_desc *d,
			 unsigned int devices)
{
	static const uint64_t bpps[] = { 8, 16, 24, 32, 32, 64 };

	switch (d->type) {
	case T_DEVICE:
		return below(rng, devices);
	case T_BOOL:
		return below(rng, 2);
	case T_DIM:
		return 1 + below(rng, below(rng, 4) ? 1024 : 8192);
	case T_BPP:
		return bpps[below(rng, sizeof(bpps) / sizeof(bpps[0]))];
	case T_FLAGS:
		return below(rng, 2) ? 0 : fuzz_rand(rng) & d->known;
	case T_LENGTH:
		return (1 + below(rng, 64)) * 4096;
	case T_OFFSET:
		return below(rng, 4) ? 0 : below(rng, 1 << 20);
	case T_SMALL:
		return below(rng, 64);
	default:
		return fuzz_rand(rng);
	}
}

static void generate_arg(struct fuzz_rng *rng, const struct fuzz_arg_desc *d,
			 unsigned int devices, struct fuzz_arg *arg)
{
	switch (d->type) {
	case T_NONE:
		arg->kind = FUZZ_ARG_VALUE;
		arg->value = 0;
		return;
	case T_DRM_FD: case T_DMABUF_FD: case T_SYNC_FD: case T_ANY_FD:
	case T_HANDLE: case T_MAPPING: case T_FENCE: case T_NAME:
		/* A live entry nine times in ten. */
		if (below(rng, 10)) {
			arg->kind = FUZZ_ARG_SLOT;
			arg->value = below(rng, 1024);
			return;
		}
		break;
	default:
		/* Sensible three times in four. */
		if (below(rng, 4)) {
			arg->kind = FUZZ_ARG_VALUE;
			arg->value = sensible(rng, d, devices);
			return;
		}
	}
	arg->kind = FUZZ_ARG_VALUE;
	arg->value = garbage(rng);
}

static enum fuzz_op pick_op(struct fuzz_rng *rng)
{
	unsigned int total = 0, op, n;

	for (op = 0; op < FUZZ_NR_OPS; op++)
		total += fuzz_ops[op].weight;
	n = below(rng, total);
	for (op = 0; n >= fuzz_ops[op].weight; op++)
		n -= fuzz_ops[op].weight;
	return op;
}

void fuzz_generate(uint64_t seed, const struct fuzz_shape *shape,
		   unsigned int proc, unsigned int thread, struct fuzz_call *calls)
{
	struct fuzz_rng rng = { seed };
	unsigned int i, a;

	/* Each thread's stream of its own, derived from the seed alone. */
	rng.state = fuzz_rand(&rng) ^ ((uint64_t)proc << 32 | thread);
	fuzz_rand(&rng);
	for (i = 0; i < shape->calls; i++) {
		/* The first call of every thread opens a node: a live pool. */
		calls[i].op = i ? pick_op(&rng) : FUZZ_OPEN;
		for (a = 0; a < FUZZ_MAX_ARGS; a++)
			generate_arg(&rng, &fuzz_ops[calls[i].op].arg[a], shape->devices,
				     &calls[i].arg[a]);
	}
}

const char *fuzz_op_name(enum fuzz_op op)
{
	return op < FUZZ_NR_OPS ? fuzz_ops[op].name : "?";
}

void fuzz_format(const struct fuzz_call *call, char *buf, size_t size)
{
	const struct fuzz_op_desc *d = &fuzz_ops[call->op];
	size_t len;
	unsigned int a;

	len = snprintf(buf, size, "%s(", d->name);
	for (a = 0; a < FUZZ_MAX_ARGS && d->arg[a].name && len < size; a++) {
		const struct fuzz_arg *arg = &call->arg[a];

		if (arg->kind == FUZZ_ARG_SLOT)
			len += snprintf(buf + len, size - len, "%s%s=slot %" PRIu64,
					a ? ", " : "", d->arg[a].name, arg->value);
		else
			len += snprintf(buf + len, size - len, "%s%s=%#" PRIx64,
					a ? ", " : "", d->arg[a].name, arg->value);
	}
	if (len < size)
		snprintf(buf + len, size - len, ")");
}
