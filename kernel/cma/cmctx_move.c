// SPDX-License-Identifier: GPL-2.0-only
/*
 * Moving chunks: a chunk its owner declared movable, and that nobody pins
 * or maps at the moment, is copied to another extent of its context and
 * keeps its identity (the struct cmctx_chunk the owner holds). The caller
 * (a power manager packing chunks into fewer sections) describes the
 * context with cmctx_chunks_in() and cmctx_copy_bitmap(), decides, and
 * moves; every check is made again under the locks, so a plan made from
 * a stale description fails cleanly (-EBUSY) instead of doing harm.
 *
 * The destination is taken first, as cmctx_alloc_at() takes an extent
 * (migrate_lock, then the range for a shared context); then, under
 * listener_lock (the chunk cannot be freed meanwhile: cmctx_free() takes
 * it too) and the chunk's lock (no pin and no mapping can start), the
 * listeners hear the destination used, the pages are copied and the
 * chunk's offset changed, and the source is released as a free releases
 * its extent (cmctx_release_extent()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/sched.h>

#include "cmctx_internal.h"

/**
 * cmctx_chunk_set_movable() - let cmctx move a chunk
 * @chunk: the chunk.
 *
 * From now on cmctx_move() may move @chunk whenever it is neither pinned
 * nor mapped: the owner promises to reach its memory only through
 * cmctx_pin() and cmctx_chunk_page(), or cmctx_vmap(), and to keep no
 * struct page or address of it otherwise.
 */
void cmctx_chunk_set_movable(struct cmctx_chunk *chunk)
{
	spin_lock(&chunk->ctx->lock);
	chunk->movable = true;
	spin_unlock(&chunk->ctx->lock);
}
EXPORT_SYMBOL_GPL(cmctx_chunk_set_movable);

/**
 * cmctx_chunks_in() - describe the chunks that overlap an extent
 * @ctx: the context.
 * @first: the extent's first page, relative to the context's start.
 * @nr_pages: its size in pages.
 * @out: where to describe them, in no particular order.
 * @max: entries of @out.
 *
 * A snapshot: chunks may be freed, moved, pinned or mapped right after.
 *
 * Return: how many chunks overlap the extent; only the first @max of them
 * are described.
 */
unsigned int cmctx_chunks_in(struct cmctx *ctx, unsigned long first,
			     unsigned long nr_pages, struct cmctx_extent *out,
			     unsigned int max)
{
	struct cmctx_chunk *chunk;
	unsigned int n = 0;

	spin_lock(&ctx->lock);
	list_for_each_entry(chunk, &ctx->chunks, node) {
		if (chunk->offset >= first + nr_pages ||
		    chunk->offset + chunk->nr_pages <= first)
			continue;
		if (n < max)
			out[n] = (struct cmctx_extent){
				.first = chunk->offset,
				.nr_pages = chunk->nr_pages,
				.align_pages = chunk->align_pages,
				/* A hint: the counts are the chunk lock's. */
				.movable = chunk->movable &&
					   !READ_ONCE(chunk->pins) &&
					   !READ_ONCE(chunk->vmaps),
			};
		n++;
	}
	spin_unlock(&ctx->lock);
	return n;
}
EXPORT_SYMBOL_GPL(cmctx_chunks_in);

/**
 * cmctx_copy_bitmap() - which pages of a context are taken, a snapshot
 * @ctx: the context.
 * @dst: cmctx_nr_pages() bits: bit i is set when page i is in a chunk, is
 *	being taken for one, or can never be used.
 */
void cmctx_copy_bitmap(struct cmctx *ctx, unsigned long *dst)
{
	spin_lock(&ctx->lock);
	bitmap_copy(dst, ctx->bitmap, ctx->nr_pages);
	spin_unlock(&ctx->lock);
}
EXPORT_SYMBOL_GPL(cmctx_copy_bitmap);

/* With @ctx->lock held: the chunk that starts at @first, or NULL. */
static struct cmctx_chunk *cmctx_chunk_starting_at(struct cmctx *ctx,
						   unsigned long first)
{
	struct cmctx_chunk *chunk;

	list_for_each_entry(chunk, &ctx->chunks, node)
		if (chunk->offset == first)
			return chunk;
	return NULL;
}

/*
 * Pages of a chunk that somebody else holds cannot move: whoever holds
 * them would keep seeing the old copy.
 */
static bool cmctx_pages_held(struct page *page, unsigned long nr_pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++)
		if (page_count(page + i) != 1)
			return true;
	return false;
}

static void cmctx_copy_pages(struct page *to, struct page *from,
			     unsigned long nr_pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++) {
		copy_highpage(to + i, from + i);
		if (i % 1024 == 1023)
			cond_resched();
	}
}

/* An extent marked and taken for a move that did not happen goes back. */
static void cmctx_untake(struct cmctx *ctx, unsigned long pos,
			 unsigned long nr_pages)
{
	if (!cmctx_is_private(ctx))
		cmctx_give_back(ctx->start_pfn + pos, nr_pages);
	spin_lock(&ctx->lock);
	cmctx_mark_used(ctx, pos, nr_pages, false);
	spin_unlock(&ctx->lock);
}

/* Checks a move of the chunk at @first to @to; its size in *@nr_pages. */
static int cmctx_move_args(struct cmctx *ctx, unsigned long first,
			   unsigned long to, unsigned long *nr_pages)
{
	struct cmctx_chunk *chunk;
	int ret = -ENOENT;

	spin_lock(&ctx->lock);
	chunk = cmctx_chunk_starting_at(ctx, first);
	if (chunk) {
		*nr_pages = chunk->nr_pages;
		if (!chunk->movable)
			ret = -EPERM;
		else if (to >= ctx->nr_pages || chunk->nr_pages > ctx->nr_pages - to ||
			 !IS_ALIGNED(ctx->start_pfn + to, chunk->align_pages))
			ret = -EINVAL;
		else
			ret = 0;
	}
	spin_unlock(&ctx->lock);
	return ret;
}

/**
 * cmctx_move() - move a chunk to another extent of its context
 * @ctx: the context.
 * @first: the chunk's first page, relative to the context's start.
 * @to: the first page of the destination, which must be free.
 *
 * Copies the chunk's contents and gives the source extent back (a private
 * context keeps it idle, a shared one returns it to the page allocator);
 * the chunk's owner keeps its struct cmctx_chunk. A shared context
 * migrates the page allocator's pages out of the destination first, once.
 * Sleeps.
 *
 * Return: 0; -ENOENT when no chunk starts at @first; -EPERM when it is not
 * movable; -EINVAL when the destination is outside the context or breaks
 * the chunk's alignment; -EBUSY when the chunk is pinned or mapped, some
 * of its pages are held elsewhere, the destination is not free (it may
 * overlap the chunk itself) or its pages could not all be migrated now;
 * -ENOMEM or -EINTR from the migration.
 */
int cmctx_move(struct cmctx *ctx, unsigned long first, unsigned long to)
{
	struct cmctx_chunk *chunk;
	unsigned long nr_pages = 0;
	int ret;

	if (!ctx)
		return -EINVAL;
	ret = cmctx_move_args(ctx, first, to, &nr_pages);
	if (ret)
		return ret;
	ret = cmctx_take_extent(ctx, to, nr_pages);
	if (ret)
		return ret;

	mutex_lock(&ctx->listener_lock);
	/* Freed or replaced since cmctx_move_args()? */
	spin_lock(&ctx->lock);
	chunk = cmctx_chunk_starting_at(ctx, first);
	if (chunk && (!chunk->movable || chunk->nr_pages != nr_pages))
		chunk = NULL;
	spin_unlock(&ctx->lock);
	if (!chunk) {
		ret = -EBUSY;
		goto out_untake;
	}
	mutex_lock(&chunk->lock);
	if (chunk->pins || chunk->vmaps ||
	    cmctx_pages_held(cmctx_chunk_page(chunk), nr_pages)) {
		mutex_unlock(&chunk->lock);
		ret = -EBUSY;
		goto out_untake;
	}
	/* Nothing fails from here. Listeners hear of the pages before they are written. */
	cmctx_notify_used(ctx, to, nr_pages);
	cmctx_copy_pages(pfn_to_page(ctx->start_pfn + to),
			 cmctx_chunk_page(chunk), nr_pages);
	spin_lock(&ctx->lock);
	chunk->offset = to;
	ctx->moves++;
	ctx->moved_pages += nr_pages;
	spin_unlock(&ctx->lock);
	mutex_unlock(&chunk->lock);
	cmctx_release_extent(ctx, first, nr_pages);
	mutex_unlock(&ctx->listener_lock);
	return 0;

out_untake:
	mutex_unlock(&ctx->listener_lock);
	cmctx_untake(ctx, to, nr_pages);
	return ret;
}
EXPORT_SYMBOL_GPL(cmctx_move);
