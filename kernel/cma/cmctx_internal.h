/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmctx internals shared by the files of cmctx.ko; not for other modules,
 * which use <cmctx.h> (kernel/include). Kbuild defines CMCTX_INTERNAL for
 * cmctx.ko's own objects only, so that the wall is the build's, not a
 * convention.
 */
#ifndef CMCTX_INTERNAL_H
#define CMCTX_INTERNAL_H

#ifndef CMCTX_INTERNAL
#error "cmctx_internal.h is private to cmctx.ko: include \"cmctx.h\" (kernel/include)"
#endif

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

#include "cmctx.h"

#define CMCTX_NAME_LEN	32

/**
 * struct cmctx - a contiguous memory context
 * @name: unique name (debugfs, cmctx_get()).
 * @start_pfn: first page frame of the range.
 * @nr_pages: size of the range in pages.
 * @min_align: minimum alignment of chunks, in pages (a power of two).
 * @flags: CMCTX_PRIVATE or 0.
 * @node: in cmctx_list, under cmctx_list_lock.
 * @users: references from cmctx_get()/cmctx_create(), under cmctx_list_lock.
 * @lock: protects @bitmap, @chunks, @placement and the counters below.
 * @bitmap: one bit per page of the range, set while the page is in a chunk
 *	or being migrated for one, and for good on unusable pages
 *	(kvcalloc()ed: it can be large).
 * @chunks: the live chunks (struct cmctx_chunk.node), in allocation order.
 * @placement: the placement policy, never NULL.
 * @used_pages: pages in chunks or being migrated for one.
 * @unusable_pages: pages set in @bitmap for good: reserved pages of a
 *	shared context (at creation), and pages of a private context given
 *	up because somebody else still held them when their chunk was freed.
 * @given_up: private contexts only: one bit per page no longer ours (see
 *	@unusable_pages), which cmctx_release() must not free.
 * @held_at_free: pages of freed chunks that somebody else still held
 *	(see cmctx_give_back()).
 * @nr_chunks: entries of @chunks.
 * @allocs: see struct cmctx_stats.
 * @alloc_failures: see struct cmctx_stats.
 * @migrate_retries: see struct cmctx_stats.
 * @misuse: see struct cmctx_stats.
 * @moves: see struct cmctx_stats.
 * @moved_pages: see struct cmctx_stats.
 * @migrate_lock: serialises alloc_contig_range() calls on the range: two
 *	extents of one pageblock cannot be isolated at the same time, so
 *	concurrent calls would fail each other with -EBUSY. Never taken with
 *	@lock held; waited for killably (a migration can take seconds).
 * @listener_lock: protects @listeners and orders the changes of @chunks
 *	(taken around them, outside @lock) with the calls to the listeners,
 *	which are made under it. Taken before @lock and before a chunk's
 *	lock (cmctx_move()), never with @migrate_lock held.
 * @placement_sem: held for reading across a call to the placement's
 *	@make_room (which sleeps), for writing by cmctx_set_placement(): a
 *	policy replaced is no longer in use. Taken before every other lock
 *	here.
 * @listeners: struct cmctx_listener.node entries.
 * @debugfs: the context's debugfs file, or NULL.
 */
struct cmctx {
	char name[CMCTX_NAME_LEN];
	unsigned long start_pfn;
	unsigned long nr_pages;
	unsigned long min_align;
	unsigned int flags;

	struct list_head node;
	unsigned int users;

	spinlock_t lock;
	unsigned long *bitmap;
	struct list_head chunks;
	const struct cmctx_placement_ops *placement;
	unsigned long used_pages;
	unsigned long unusable_pages;
	unsigned long *given_up;
	u64 held_at_free;
	unsigned long nr_chunks;
	u64 allocs;
	u64 alloc_failures;
	u64 migrate_retries;
	u64 misuse;
	u64 moves;
	u64 moved_pages;

	struct mutex migrate_lock;
	struct mutex listener_lock;
	struct rw_semaphore placement_sem;
	struct list_head listeners;
	struct dentry *debugfs;
};

/**
 * struct cmctx_chunk - a physically contiguous allocation
 * @ctx: the context it came from.
 * @node: in ctx->chunks, under ctx->listener_lock and ctx->lock.
 * @offset: first page, relative to ctx->start_pfn. Changed by cmctx_move()
 *	only, under @lock and ctx->lock, while @pins and @vmaps are 0: read
 *	it under either, or with a pin.
 * @nr_pages: size in pages.
 * @align_pages: the alignment it was allocated with, in pages; a move
 *	keeps it.
 * @movable: its owner let cmctx move it (cmctx_chunk_set_movable()); set
 *	under ctx->lock.
 * @lock: protects @pins, @vmaps and @vaddr, and is held across a move.
 * @pins: nesting count of cmctx_pin().
 * @vmaps: nesting count of cmctx_vmap().
 * @vaddr: the kernel mapping while @vmaps > 0.
 */
struct cmctx_chunk {
	struct cmctx *ctx;
	struct list_head node;
	unsigned long offset;
	unsigned long nr_pages;
	unsigned long align_pages;
	bool movable;

	struct mutex lock;
	unsigned int pins;
	unsigned int vmaps;
	void *vaddr;
};

static inline bool cmctx_is_private(const struct cmctx *ctx)
{
	return ctx->flags & CMCTX_PRIVATE;
}

/* cmctx_placement.c */
extern const struct cmctx_placement_ops cmctx_first_fit;
unsigned long cmctx_largest_free_locked(struct cmctx *ctx);
int cmctx_make_room(struct cmctx *ctx, unsigned long nr_pages,
		    unsigned long align_pages);

/* cmctx_params.c: contexts from ZONE_MOVABLE and the range parameter */
void cmctx_create_from_params(void);

/* cmctx_registry.c */
void cmctx_misuse(struct cmctx *ctx, const char *fmt, ...) __printf(2, 3);
void cmctx_release_all(void);

/* cmctx_range.c: the seam with the page allocator */
const char *cmctx_check_memory(unsigned long start_pfn, unsigned long nr_pages,
			       bool shared);
int cmctx_take_range(unsigned long pfn, unsigned long nr_pages, bool patient);
unsigned long cmctx_give_back(unsigned long pfn, unsigned long nr_pages);
void cmctx_mark_unusable(struct cmctx *ctx);

/* cmctx_listener.c */
void cmctx_notify_used(struct cmctx *ctx, unsigned long first,
		       unsigned long nr_pages);
void cmctx_notify_unused(struct cmctx *ctx, unsigned long offset,
			 unsigned long nr_pages);

/* cmctx_chunk.c */
void cmctx_release_chunks(struct cmctx *ctx);
void cmctx_mark_used(struct cmctx *ctx, unsigned long pos,
		     unsigned long nr_pages, bool used);
int cmctx_take_extent(struct cmctx *ctx, unsigned long first,
		      unsigned long nr_pages);
void cmctx_release_extent(struct cmctx *ctx, unsigned long pos,
			  unsigned long nr_pages);

/* cmctx_debugfs.c */
void cmctx_debugfs_init(void);
void cmctx_debugfs_exit(void);
void cmctx_debugfs_add(struct cmctx *ctx);
void cmctx_debugfs_remove(struct cmctx *ctx);

#endif /* CMCTX_INTERNAL_H */
