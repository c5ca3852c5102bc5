// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx chunks: placing them in a context (through its placement policy,
 * taking the pages with cmctx_range.c), freeing them, their pins and
 * kernel mappings.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "cmctx_internal.h"

/*
 * A private context keeps the pages of a freed extent, but cannot hand a
 * page that somebody else still holds to the next chunk: such a page is
 * given up (our reference dropped, its bit left set for good). Called with
 * @ctx->lock held; returns how many pages were given up.
 */
static unsigned long cmctx_keep_free_pages(struct cmctx *ctx,
					   unsigned long first,
					   unsigned long nr_pages)
{
	unsigned long i, held = 0;

	for (i = first; i < first + nr_pages; i++) {
		struct page *page = pfn_to_page(ctx->start_pfn + i);

		if (page_count(page) == 1) {
			__clear_bit(i, ctx->bitmap);
			continue;
		}
		__set_bit(i, ctx->given_up);
		put_page(page);
		held++;
	}
	return held;
}

/*
 * The context is being released: free the chunks its user left (cmctx's
 * unload after a leak), giving a shared context's pages back.
 */
void cmctx_release_chunks(struct cmctx *ctx)
{
	struct cmctx_chunk *chunk, *next;

	list_for_each_entry_safe(chunk, next, &ctx->chunks, node) {
		if (chunk->vmaps)
			vunmap(chunk->vaddr);
		if (!cmctx_is_private(ctx))
			cmctx_give_back(ctx->start_pfn + chunk->offset,
					chunk->nr_pages);
		list_del(&chunk->node);
		mutex_destroy(&chunk->lock);
		kfree(chunk);
	}
}

static bool cmctx_transient(int err)
{
	return err == -EBUSY || err == -EAGAIN;
}

/* With @ctx->lock held: marks [@pos, @pos + @nr_pages) used, or free again. */
void cmctx_mark_used(struct cmctx *ctx, unsigned long pos,
			    unsigned long nr_pages, bool used)
{
	if (used) {
		bitmap_set(ctx->bitmap, pos, nr_pages);
		ctx->used_pages += nr_pages;
	} else {
		bitmap_clear(ctx->bitmap, pos, nr_pages);
		ctx->used_pages -= nr_pages;
	}
}

/*
 * The extent [@pos, @pos + @nr_pages), marked used, becomes ours: nothing
 * to do in a private context; a shared one migrates its pages out. On
 * failure the extent is free again and the error returned (a transient
 * one counted as a retry).
 */
static int cmctx_take_marked(struct cmctx *ctx, unsigned long pos,
			     unsigned long nr_pages)
{
	int ret;

	if (cmctx_is_private(ctx))
		return 0;
	ret = cmctx_take_range(ctx->start_pfn + pos, nr_pages, false);
	if (!ret)
		return 0;
	spin_lock(&ctx->lock);
	cmctx_mark_used(ctx, pos, nr_pages, false);
	if (cmctx_transient(ret))
		ctx->migrate_retries++;
	spin_unlock(&ctx->lock);
	return ret;
}

/*
 * Finds room for @nr_pages pages aligned to @align_pages, marks it used and
 * (shared contexts) migrates its pages out, retrying past extents whose
 * migration fails transiently. Returns the offset or a negative errno.
 */
static long cmctx_place(struct cmctx *ctx, unsigned long nr_pages,
			unsigned long align_pages)
{
	unsigned long from = 0;
	long pos;
	int ret;

	for (;;) {
		spin_lock(&ctx->lock);
		pos = ctx->placement->find(ctx, from, nr_pages, align_pages);
		if (pos >= 0 && (pos < from ||
				 !cmctx_range_is_free(ctx, pos, nr_pages) ||
				 !IS_ALIGNED(ctx->start_pfn + pos, align_pages))) {
			spin_unlock(&ctx->lock);
			pr_err("%s: placement %s returned an invalid extent\n",
			       ctx->name, ctx->placement->name);
			return -ENOMEM;
		}
		if (pos < 0) {
			spin_unlock(&ctx->lock);
			return -ENOMEM;
		}
		cmctx_mark_used(ctx, pos, nr_pages, true);
		spin_unlock(&ctx->lock);

		ret = cmctx_take_marked(ctx, pos, nr_pages);
		if (!ret)
			return pos;
		if (!cmctx_transient(ret)) {
			if (ret != -EINTR)
				pr_info_ratelimited("%s: pages %ld-%lu could not be migrated out (%d)\n",
						    ctx->name, pos,
						    pos + nr_pages - 1, ret);
			return ret == -EINTR ? -EINTR : -ENOMEM;
		}
		from = pos + nr_pages;
	}
}

/*
 * Takes the extent [@first, @first + @nr_pages), inside the context, for
 * a chunk or a move: marked used if wholly free, and in a shared context
 * the page allocator's pages migrated out, once. 0, -EBUSY (not free, or
 * not all migratable now), -ENOMEM or -EINTR.
 */
int cmctx_take_extent(struct cmctx *ctx, unsigned long first,
		      unsigned long nr_pages)
{
	int ret;

	ret = cmctx_is_private(ctx) ? 0 : mutex_lock_killable(&ctx->migrate_lock);
	if (ret)
		return ret;
	spin_lock(&ctx->lock);
	ret = cmctx_range_is_free(ctx, first, nr_pages) ? 0 : -EBUSY;
	if (!ret)
		cmctx_mark_used(ctx, first, nr_pages, true);
	spin_unlock(&ctx->lock);
	if (!ret)
		ret = cmctx_take_marked(ctx, first, nr_pages);
	if (!cmctx_is_private(ctx))
		mutex_unlock(&ctx->migrate_lock);
	return ret == -EAGAIN ? -EBUSY : ret;
}

/*
 * With listener_lock held, an extent leaves its chunk (freed, or moved
 * away from): the pages go back (a shared context's to the page
 * allocator, before the extent can be found free again; a private
 * context keeps them, but for pages somebody else holds), the counters
 * follow, and the listeners are told.
 */
void cmctx_release_extent(struct cmctx *ctx, unsigned long pos,
			  unsigned long nr_pages)
{
	unsigned long held = 0;

	lockdep_assert_held(&ctx->listener_lock);
	if (!cmctx_is_private(ctx))
		held = cmctx_give_back(ctx->start_pfn + pos, nr_pages);
	spin_lock(&ctx->lock);
	if (cmctx_is_private(ctx)) {
		held = cmctx_keep_free_pages(ctx, pos, nr_pages);
		ctx->unusable_pages += held;
	} else {
		bitmap_clear(ctx->bitmap, pos, nr_pages);
	}
	ctx->held_at_free += held;
	ctx->used_pages -= nr_pages;
	spin_unlock(&ctx->lock);
	cmctx_notify_unused(ctx, pos, nr_pages);
}

/* A chunk of the extent at @pos, placed: on the context's list, listeners told. */
static void cmctx_chunk_add(struct cmctx *ctx, struct cmctx_chunk *chunk,
			    unsigned long pos, unsigned long nr_pages,
			    unsigned long align_pages)
{
	chunk->ctx = ctx;
	chunk->offset = pos;
	chunk->nr_pages = nr_pages;
	chunk->align_pages = align_pages;
	mutex_init(&chunk->lock);
	mutex_lock(&ctx->listener_lock);
	spin_lock(&ctx->lock);
	list_add_tail(&chunk->node, &ctx->chunks);
	ctx->nr_chunks++;
	ctx->allocs++;
	spin_unlock(&ctx->lock);
	cmctx_notify_used(ctx, chunk->offset, chunk->nr_pages);
	mutex_unlock(&ctx->listener_lock);
}

/**
 * cmctx_alloc() - allocate a physically contiguous chunk
 * @ctx: the context.
 * @size: size in bytes, rounded up to whole pages.
 * @align: alignment of the chunk's physical address in bytes: 0 for the
 *	context's minimum, else a power of two of at least a page (raised to
 *	the context's minimum).
 *
 * The contents are not zeroed. Sleeps (shared contexts migrate pages).
 *
 * Return: the chunk, or ERR_PTR(-EINVAL) for bad arguments, -ENOMEM when
 * the context has no room or migration kept failing, -EINTR when a fatal
 * signal interrupted the migration.
 */
struct cmctx_chunk *cmctx_alloc(struct cmctx *ctx, size_t size, size_t align)
{
	unsigned long nr_pages = 0, align_pages = ctx ? ctx->min_align : 1;
	struct cmctx_chunk *chunk;
	long pos;

	if (!ctx || !size)
		return ERR_PTR(-EINVAL);
	if (align) {
		if (!is_power_of_2(align) || align < PAGE_SIZE)
			return ERR_PTR(-EINVAL);
		align_pages = max_t(unsigned long, align >> PAGE_SHIFT,
				    ctx->min_align);
	}

	chunk = kzalloc(sizeof(*chunk), GFP_KERNEL);
	if (!chunk)
		return ERR_PTR(-ENOMEM);

	/* No overflow: size is at most the context's size before rounding. */
	if (size > ((size_t)ctx->nr_pages << PAGE_SHIFT)) {
		pos = -ENOMEM;
	} else if (cmctx_is_private(ctx)) {
		nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
		pos = cmctx_place(ctx, nr_pages, align_pages);
		/* No free run long enough: the policy may move chunks to make one. */
		if (pos == -ENOMEM && !cmctx_make_room(ctx, nr_pages, align_pages))
			pos = cmctx_place(ctx, nr_pages, align_pages);
	} else {
		/* Another migration may take seconds: wait killably. */
		nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
		pos = mutex_lock_killable(&ctx->migrate_lock);
		if (!pos) {
			pos = cmctx_place(ctx, nr_pages, align_pages);
			mutex_unlock(&ctx->migrate_lock);
		}
	}
	if (pos < 0) {
		spin_lock(&ctx->lock);
		ctx->alloc_failures++;
		spin_unlock(&ctx->lock);
		kfree(chunk);
		return ERR_PTR(pos);
	}

	cmctx_chunk_add(ctx, chunk, pos, nr_pages, align_pages);
	return chunk;
}
EXPORT_SYMBOL_GPL(cmctx_alloc);

/**
 * cmctx_alloc_at() - allocate a chunk at a given place
 * @ctx: the context.
 * @first: its first page, relative to the context's start.
 * @nr_pages: its size in pages.
 *
 * For a user that knows where it wants memory (PASR claiming a whole
 * section): the extent must be free in the context; a shared context
 * migrates what the page allocator has there, once, without trying
 * elsewhere. The contents are not zeroed. Sleeps.
 *
 * Return: the chunk, or ERR_PTR(-EINVAL) for an extent outside the
 * context, -EBUSY when part of it is in a chunk or its pages could not all
 * be migrated now, -ENOMEM when memory for the migration or the chunk
 * ran out, -EINTR on a fatal signal.
 */
struct cmctx_chunk *cmctx_alloc_at(struct cmctx *ctx, unsigned long first,
				   unsigned long nr_pages)
{
	struct cmctx_chunk *chunk;
	int ret;

	if (!ctx || !nr_pages || first >= ctx->nr_pages ||
	    nr_pages > ctx->nr_pages - first)
		return ERR_PTR(-EINVAL);
	chunk = kzalloc(sizeof(*chunk), GFP_KERNEL);
	if (!chunk)
		return ERR_PTR(-ENOMEM);
	ret = cmctx_take_extent(ctx, first, nr_pages);
	if (ret) {
		spin_lock(&ctx->lock);
		ctx->alloc_failures++;
		spin_unlock(&ctx->lock);
		kfree(chunk);
		return ERR_PTR(ret);
	}
	cmctx_chunk_add(ctx, chunk, first, nr_pages, 1);
	return chunk;
}
EXPORT_SYMBOL_GPL(cmctx_alloc_at);

/**
 * cmctx_free() - free a chunk
 * @chunk: from cmctx_alloc().
 *
 * A chunk still pinned or mapped is not freed: the misuse is counted and
 * logged, and the chunk stays valid. Pages of the chunk that somebody else
 * still holds (a user mapping's page spliced into a pipe...) are left to
 * that holder, not warned about: see cmctx_give_back(). Sleeps.
 *
 * Return: 0, -EBUSY when the chunk is pinned or mapped, -EINVAL for a NULL
 * or error pointer.
 */
int cmctx_free(struct cmctx_chunk *chunk)
{
	unsigned int pins, vmaps;
	struct cmctx *ctx;

	if (IS_ERR_OR_NULL(chunk))
		return -EINVAL;
	ctx = chunk->ctx;
	mutex_lock(&chunk->lock);
	pins = chunk->pins;
	vmaps = chunk->vmaps;
	mutex_unlock(&chunk->lock);
	if (pins || vmaps) {
		cmctx_misuse(ctx, "free of the chunk at page %lu (%lu pages) refused: pinned %u, mapped %u times",
			     chunk->offset, chunk->nr_pages, pins, vmaps);
		return -EBUSY;
	}

	mutex_lock(&ctx->listener_lock);
	spin_lock(&ctx->lock);
	list_del(&chunk->node);
	ctx->nr_chunks--;
	spin_unlock(&ctx->lock);
	cmctx_release_extent(ctx, chunk->offset, chunk->nr_pages);
	mutex_unlock(&ctx->listener_lock);
	mutex_destroy(&chunk->lock);
	kfree(chunk);
	return 0;
}
EXPORT_SYMBOL_GPL(cmctx_free);

/**
 * cmctx_chunk_size() - the size of a chunk
 * @chunk: the chunk.
 *
 * Return: its size in bytes, a whole number of pages.
 */
size_t cmctx_chunk_size(const struct cmctx_chunk *chunk)
{
	return (size_t)chunk->nr_pages << PAGE_SHIFT;
}
EXPORT_SYMBOL_GPL(cmctx_chunk_size);

/**
 * cmctx_pin() - pin a chunk in place
 * @chunk: the chunk.
 *
 * Pins nest; each needs a cmctx_unpin(). While pinned, the chunk's pages
 * (cmctx_chunk_page()) stay where they are (cmctx_move() waits for a move
 * in progress and refuses to start one) and it cannot be freed. Sleeps.
 *
 * Return: 0, or -EOVERFLOW when the count would overflow.
 */
int cmctx_pin(struct cmctx_chunk *chunk)
{
	int ret = 0;

	mutex_lock(&chunk->lock);
	if (chunk->pins == UINT_MAX)
		ret = -EOVERFLOW;
	else
		chunk->pins++;
	mutex_unlock(&chunk->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(cmctx_pin);

/**
 * cmctx_unpin() - drop a pin taken by cmctx_pin()
 * @chunk: the chunk.
 *
 * An unpin without a pin is counted as misuse and logged. Sleeps.
 */
void cmctx_unpin(struct cmctx_chunk *chunk)
{
	bool unbalanced = false;

	mutex_lock(&chunk->lock);
	if (chunk->pins)
		chunk->pins--;
	else
		unbalanced = true;
	mutex_unlock(&chunk->lock);
	if (unbalanced)
		cmctx_misuse(chunk->ctx, "unpin of the chunk at page %lu, which is not pinned",
			     chunk->offset);
}
EXPORT_SYMBOL_GPL(cmctx_unpin);

/**
 * cmctx_chunk_page() - the first page of a chunk
 * @chunk: the chunk, pinned.
 *
 * The chunk's pages are consecutive: page + i is its page i.
 *
 * Return: the first struct page, valid while the chunk is pinned.
 */
struct page *cmctx_chunk_page(const struct cmctx_chunk *chunk)
{
	return pfn_to_page(chunk->ctx->start_pfn + chunk->offset);
}
EXPORT_SYMBOL_GPL(cmctx_chunk_page);

/**
 * cmctx_vmap() - map a chunk into the kernel's address space
 * @chunk: the chunk.
 *
 * Mappings nest: the first call maps, later ones return the same address,
 * and each needs a cmctx_vunmap(). Sleeps.
 *
 * Return: the address, or ERR_PTR(-ENOMEM) or ERR_PTR(-EOVERFLOW).
 */
void *cmctx_vmap(struct cmctx_chunk *chunk)
{
	struct page **pages, *first;
	void *vaddr;
	unsigned long i;

	mutex_lock(&chunk->lock);
	/* Under the lock: cmctx_move() moves only unmapped chunks. */
	first = cmctx_chunk_page(chunk);
	if (chunk->vmaps == UINT_MAX) {
		vaddr = ERR_PTR(-EOVERFLOW);
		goto out_unlock;
	}
	if (!chunk->vmaps) {
		pages = kvmalloc_array(chunk->nr_pages, sizeof(*pages),
				       GFP_KERNEL);
		if (!pages) {
			vaddr = ERR_PTR(-ENOMEM);
			goto out_unlock;
		}
		for (i = 0; i < chunk->nr_pages; i++)
			pages[i] = first + i;
		chunk->vaddr = vmap(pages, chunk->nr_pages, VM_MAP, PAGE_KERNEL);
		kvfree(pages);
		if (!chunk->vaddr) {
			vaddr = ERR_PTR(-ENOMEM);
			goto out_unlock;
		}
	}
	chunk->vmaps++;
	vaddr = chunk->vaddr;
out_unlock:
	mutex_unlock(&chunk->lock);
	return vaddr;
}
EXPORT_SYMBOL_GPL(cmctx_vmap);

/**
 * cmctx_vunmap() - drop a mapping taken by cmctx_vmap()
 * @chunk: the chunk.
 *
 * The last one unmaps. A vunmap without a mapping is counted as misuse and
 * logged. Sleeps.
 */
void cmctx_vunmap(struct cmctx_chunk *chunk)
{
	bool unbalanced = false;

	mutex_lock(&chunk->lock);
	if (!chunk->vmaps) {
		unbalanced = true;
	} else if (!--chunk->vmaps) {
		vunmap(chunk->vaddr);
		chunk->vaddr = NULL;
	}
	mutex_unlock(&chunk->lock);
	if (unbalanced)
		cmctx_misuse(chunk->ctx, "vunmap of the chunk at page %lu, which is not mapped",
			     chunk->offset);
}
EXPORT_SYMBOL_GPL(cmctx_vunmap);
