// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx placement: where a chunk goes inside its context. The policy is a
 * struct cmctx_placement_ops; first fit is the default. Policies read the
 * allocation bitmap through cmctx_range_is_free() under the context's lock.
 */
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/module.h>

#include "cmctx_internal.h"

/**
 * cmctx_range_is_free() - whether an extent of a context is free
 * @ctx: the context, its lock held (placement callbacks run so).
 * @first: first page of the extent, relative to the context.
 * @nr_pages: length of the extent.
 *
 * Return: true when the extent lies in the context and none of its pages
 * is allocated or being migrated for an allocation.
 */
bool cmctx_range_is_free(struct cmctx *ctx, unsigned long first,
			 unsigned long nr_pages)
{
	lockdep_assert_held(&ctx->lock);
	if (first >= ctx->nr_pages || nr_pages > ctx->nr_pages - first)
		return false;
	return find_next_bit(ctx->bitmap, first + nr_pages, first) >=
	       first + nr_pages;
}
EXPORT_SYMBOL_GPL(cmctx_range_is_free);

/**
 * cmctx_bitmap_next_free() - the next run of clear bits of a bitmap
 * @bitmap: a context's bitmap or a copy of it (cmctx_copy_bitmap()).
 * @nr_bits: its size: the context's pages.
 * @from: where to start looking.
 * @len: set to the length of the run found, 0 when there is none.
 *
 * Return: the first clear bit at or after @from (@nr_bits when there is
 * none).
 */
unsigned long cmctx_bitmap_next_free(const unsigned long *bitmap,
				     unsigned long nr_bits, unsigned long from,
				     unsigned long *len)
{
	unsigned long first, end;

	first = find_next_zero_bit(bitmap, nr_bits, from);
	end = first < nr_bits ? find_next_bit(bitmap, nr_bits, first) : first;
	*len = end - first;
	return first;
}
EXPORT_SYMBOL_GPL(cmctx_bitmap_next_free);

/**
 * cmctx_bitmap_free_in() - how many bits of an extent of a bitmap are clear
 * @bitmap: a context's bitmap or a copy of it (cmctx_copy_bitmap()).
 * @nr_bits: its size: the context's pages.
 * @first: first bit of the extent.
 * @nr: length of the extent; the part beyond @nr_bits counts as set.
 *
 * Costs a step per run of clear bits, not per bit.
 *
 * Return: the clear bits of the extent.
 */
unsigned long cmctx_bitmap_free_in(const unsigned long *bitmap,
				   unsigned long nr_bits, unsigned long first,
				   unsigned long nr)
{
	unsigned long end, pos, run, free = 0;

	if (first >= nr_bits)
		return 0;
	end = min(first + nr, nr_bits);
	for (pos = find_next_zero_bit(bitmap, end, first); pos < end;
	     pos = find_next_zero_bit(bitmap, end, pos + run)) {
		run = find_next_bit(bitmap, end, pos) - pos;
		free += run;
	}
	return free;
}
EXPORT_SYMBOL_GPL(cmctx_bitmap_free_in);

/**
 * cmctx_next_free_extent() - the next run of free pages of a context
 * @ctx: the context, its lock held (placement callbacks run so).
 * @from: where to start looking, an offset in pages.
 * @nr_pages: set to the length of the run found, 0 when there is none.
 *
 * Return: the first free page at or after @from, relative to the context
 * (the context's size when there is none).
 */
unsigned long cmctx_next_free_extent(struct cmctx *ctx, unsigned long from,
				     unsigned long *nr_pages)
{
	lockdep_assert_held(&ctx->lock);
	return cmctx_bitmap_next_free(ctx->bitmap, ctx->nr_pages, from, nr_pages);
}
EXPORT_SYMBOL_GPL(cmctx_next_free_extent);

/**
 * cmctx_free_pages_in() - how many pages of an extent are free
 * @ctx: the context, its lock held (placement callbacks run so).
 * @first: first page of the extent, relative to the context.
 * @nr_pages: length of the extent; the part beyond the context counts as
 *	not free.
 *
 * Return: the free pages of the extent.
 */
unsigned long cmctx_free_pages_in(struct cmctx *ctx, unsigned long first,
				  unsigned long nr_pages)
{
	lockdep_assert_held(&ctx->lock);
	return cmctx_bitmap_free_in(ctx->bitmap, ctx->nr_pages, first, nr_pages);
}
EXPORT_SYMBOL_GPL(cmctx_free_pages_in);

/**
 * cmctx_align_offset() - the first aligned offset at or after another
 * @ctx: the context.
 * @offset: an offset in pages, relative to the context.
 * @align_pages: an alignment in pages, a power of two.
 *
 * Alignment is of the physical page frame, not of the offset, so that a
 * chunk's address has the alignment asked for whatever the context's own.
 *
 * Return: the smallest offset at or after @offset whose page frame is a
 * multiple of @align_pages.
 */
unsigned long cmctx_align_offset(const struct cmctx *ctx, unsigned long offset,
				 unsigned long align_pages)
{
	return ALIGN(ctx->start_pfn + offset, align_pages) - ctx->start_pfn;
}
EXPORT_SYMBOL_GPL(cmctx_align_offset);

/* The lowest free aligned extent at or after @from. */
static long cmctx_first_fit_find(struct cmctx *ctx, unsigned long from,
				 unsigned long nr_pages,
				 unsigned long align_pages)
{
	unsigned long pos = cmctx_align_offset(ctx, from, align_pages);
	unsigned long busy;

	while (pos < ctx->nr_pages && nr_pages <= ctx->nr_pages - pos) {
		busy = find_next_bit(ctx->bitmap, pos + nr_pages, pos);
		if (busy >= pos + nr_pages)
			return pos;
		pos = cmctx_align_offset(ctx, busy + 1, align_pages);
	}
	return -ENOSPC;
}

const struct cmctx_placement_ops cmctx_first_fit = {
	.name = "first-fit",
	.find = cmctx_first_fit_find,
};

/* With ctx->lock held: the longest run of free pages. */
unsigned long cmctx_largest_free_locked(struct cmctx *ctx)
{
	unsigned long start, len, largest = 0;

	for (start = cmctx_next_free_extent(ctx, 0, &len); len;
	     start = cmctx_next_free_extent(ctx, start + len, &len))
		largest = max(largest, len);
	return largest;
}

/**
 * cmctx_set_placement() - choose a context's placement policy
 * @ctx: the context.
 * @ops: the policy, or NULL for first fit. It must outlive its use: a
 *	module that provides one sets NULL back before it unloads.
 *
 * Takes effect for the next allocation; once it returns, the policy it
 * replaced is in use nowhere (it waits for a @make_room call in
 * progress). Sleeps.
 *
 * Return: 0, or -EINVAL when @ops has no find callback or no name.
 */
int cmctx_set_placement(struct cmctx *ctx,
			const struct cmctx_placement_ops *ops)
{
	if (ops && (!ops->find || !ops->name))
		return -EINVAL;
	down_write(&ctx->placement_sem);
	spin_lock(&ctx->lock);
	ctx->placement = ops ? ops : &cmctx_first_fit;
	spin_unlock(&ctx->lock);
	up_write(&ctx->placement_sem);
	return 0;
}

/*
 * find() found no room in private @ctx: a policy that can move chunks
 * may make some. 0 when it did something worth a second find().
 */
int cmctx_make_room(struct cmctx *ctx, unsigned long nr_pages,
		    unsigned long align_pages)
{
	int ret = -ENOSPC;

	down_read(&ctx->placement_sem);
	/* Changed only under placement_sem for writing. */
	if (ctx->placement->make_room)
		ret = ctx->placement->make_room(ctx, nr_pages, align_pages);
	up_read(&ctx->placement_sem);
	return ret;
}
EXPORT_SYMBOL_GPL(cmctx_set_placement);
