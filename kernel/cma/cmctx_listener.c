// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx listeners: whoever needs to follow which pages of a context are in
 * chunks (the PASR framework will) registers a struct cmctx_listener and is
 * told of every extent that goes into a chunk and comes out of one. The
 * calls are made in process context with no cmctx spinlock held, under the
 * context's listener_lock, which also orders the chunk list's changes: a
 * listener sees every chunk exactly once in, once out, in order.
 */
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "cmctx_internal.h"

/*
 * With listener_lock held: tell @listener of every extent of private @ctx
 * in no chunk and not given up. Pages being placed for a chunk not yet on
 * the list count as free: their chunk's @used call comes after this one.
 */
static int cmctx_tell_free(struct cmctx *ctx, struct cmctx_listener *listener)
{
	unsigned long *busy, first, last, n = ctx->nr_pages;
	struct cmctx_chunk *chunk;

	lockdep_assert_held(&ctx->listener_lock);
	busy = kvcalloc(BITS_TO_LONGS(n), sizeof(long), GFP_KERNEL);
	if (!busy)
		return -ENOMEM;
	/* given_up and the chunk list change only under listener_lock. */
	bitmap_copy(busy, ctx->given_up, n);
	list_for_each_entry(chunk, &ctx->chunks, node)
		bitmap_set(busy, chunk->offset, chunk->nr_pages);
	for (first = find_next_zero_bit(busy, n, 0); first < n;
	     first = find_next_zero_bit(busy, n, last)) {
		last = find_next_bit(busy, n, first);
		listener->unused(listener, ctx, first, last - first);
	}
	kvfree(busy);
	return 0;
}

/**
 * cmctx_add_listener() - follow the chunks of a context
 * @ctx: the context; the caller holds a reference (cmctx_get()) until it
 *	has removed the listener.
 * @listener: its @used, @unused and @from_free set; its @node is the
 *	framework's.
 *
 * Reports the context's present state as @listener->from_free asks, then
 * calls @listener->used for every new chunk and @listener->unused for
 * every chunk freed. Sleeps.
 *
 * Return: 0, -EINVAL for a NULL argument or callback, -ENOMEM.
 */
int cmctx_add_listener(struct cmctx *ctx, struct cmctx_listener *listener)
{
	struct cmctx_chunk *chunk;
	int ret = 0;

	if (!ctx || !listener || !listener->used || !listener->unused)
		return -EINVAL;
	mutex_lock(&ctx->listener_lock);
	if (!listener->from_free) {
		/* The chunk list changes only under listener_lock. */
		list_for_each_entry(chunk, &ctx->chunks, node)
			listener->used(listener, ctx, chunk->offset,
				       chunk->nr_pages);
	} else if (cmctx_is_private(ctx)) {
		ret = cmctx_tell_free(ctx, listener);
	}
	if (!ret)
		list_add_tail(&listener->node, &ctx->listeners);
	mutex_unlock(&ctx->listener_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(cmctx_add_listener);

/**
 * cmctx_remove_listener() - stop following a context
 * @ctx: the context given to cmctx_add_listener().
 * @listener: the listener; no call reaches it once this returns.
 *
 * Sleeps.
 */
void cmctx_remove_listener(struct cmctx *ctx, struct cmctx_listener *listener)
{
	if (!ctx || !listener)
		return;
	mutex_lock(&ctx->listener_lock);
	list_del(&listener->node);
	mutex_unlock(&ctx->listener_lock);
}
EXPORT_SYMBOL_GPL(cmctx_remove_listener);

/* With listener_lock held: pages [@first, @first + @nr_pages) are in a chunk now. */
void cmctx_notify_used(struct cmctx *ctx, unsigned long first,
		       unsigned long nr_pages)
{
	struct cmctx_listener *listener;

	lockdep_assert_held(&ctx->listener_lock);
	list_for_each_entry(listener, &ctx->listeners, node)
		listener->used(listener, ctx, first, nr_pages);
}

static void cmctx_notify_unused_extent(struct cmctx *ctx, unsigned long first,
				       unsigned long nr_pages)
{
	struct cmctx_listener *listener;

	list_for_each_entry(listener, &ctx->listeners, node)
		listener->unused(listener, ctx, first, nr_pages);
}

/*
 * With listener_lock held, the extent [@offset, @offset + @nr_pages) of a
 * chunk left it (freed or moved): its pages are unused, but for those a
 * private context gave up (somebody else still holds them; they are never
 * reported again), so an extent may be told in pieces.
 */
void cmctx_notify_unused(struct cmctx *ctx, unsigned long offset,
			 unsigned long nr_pages)
{
	unsigned long end = offset + nr_pages, first, last;

	lockdep_assert_held(&ctx->listener_lock);
	if (list_empty(&ctx->listeners))
		return;
	if (!cmctx_is_private(ctx)) {
		cmctx_notify_unused_extent(ctx, offset, nr_pages);
		return;
	}
	/* given_up bits of the extent change only under listener_lock. */
	for (first = find_next_zero_bit(ctx->given_up, end, offset);
	     first < end;
	     first = find_next_zero_bit(ctx->given_up, end, last)) {
		last = find_next_bit(ctx->given_up, end, first);
		cmctx_notify_unused_extent(ctx, first, last - first);
	}
}
