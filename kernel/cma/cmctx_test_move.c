// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx_test's "move" scenario: cmctx_move() and the description
 * functions compaction plans with (cmctx_chunks_in(), cmctx_copy_bitmap()),
 * on a private context of 8 MiB.
 *
 * A chunk written through its kernel mapping is moved and read back at
 * its new place; every refusal is checked with its errno: a chunk not
 * movable, pinned, mapped or with a page held elsewhere, a destination in
 * use, outside the context or breaking the chunk's alignment, no chunk at
 * the offset given.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cmctx.h"
#include "cmctx_test.h"

#define CTX_PAGES	(8ul << (20 - PAGE_SHIFT))	/* 8 MiB */
#define MIB_PAGES	(1ul << (20 - PAGE_SHIFT))

static u32 word(unsigned long page, unsigned long i)
{
	return (u32)(page * 2654435761u + i);
}

/* One word in 32 of every page: quick under KASAN, and a wrong page shows. */
static void fill(struct cmctx_chunk *chunk)
{
	struct page *first = cmctx_chunk_page(chunk);
	unsigned long p, i, nr = cmctx_chunk_size(chunk) >> PAGE_SHIFT;

	for (p = 0; p < nr; p++) {
		u32 *v = kmap_local_page(first + p);

		for (i = 0; i < PAGE_SIZE / 4; i += 32)
			v[i] = word(p, i);
		kunmap_local(v);
	}
}

static bool holds_fill(struct cmctx_chunk *chunk)
{
	struct page *first = cmctx_chunk_page(chunk);
	unsigned long p, i, nr = cmctx_chunk_size(chunk) >> PAGE_SHIFT;
	bool ok = true;

	for (p = 0; p < nr && ok; p++) {
		u32 *v = kmap_local_page(first + p);

		for (i = 0; i < PAGE_SIZE / 4; i += 32)
			ok &= v[i] == word(p, i);
		kunmap_local(v);
	}
	return ok;
}

static unsigned long offset_of(struct cmctx_chunk *chunk, unsigned long start)
{
	return page_to_pfn(cmctx_chunk_page(chunk)) - start;
}

/* The refusals, on chunk @a (1 MiB at @off, movable) of @ctx. */
static const char *refusals(struct cmctx *ctx, struct cmctx_chunk *a,
			    struct cmctx_chunk *aligned, unsigned long start)
{
	unsigned long off = offset_of(a, start);
	struct cmctx_extent ext;
	struct page *held;
	unsigned int n;
	int ret;

	ret = cmctx_move(ctx, off, offset_of(aligned, start));
	if (ret != -EBUSY)
		return "a destination in use was not refused with -EBUSY";
	ret = cmctx_move(ctx, off, CTX_PAGES - MIB_PAGES / 2);
	if (ret != -EINVAL)
		return "a destination past the end was not refused with -EINVAL";
	ret = cmctx_move(ctx, off + 1, 6 * MIB_PAGES);
	if (ret != -ENOENT)
		return "an offset where no chunk starts was not refused with -ENOENT";
	/* The 1 MiB aligned chunk may not go one page past an aligned place. */
	ret = cmctx_move(ctx, offset_of(aligned, start),
			 ALIGN(start + 6 * MIB_PAGES, MIB_PAGES) - start + 1);
	if (ret != -EINVAL)
		return "a move breaking the chunk's alignment was not refused with -EINVAL";
	if (cmctx_pin(a))
		return "pin";
	ret = cmctx_move(ctx, off, 6 * MIB_PAGES);
	n = cmctx_chunks_in(ctx, off, 1, &ext, 1);
	cmctx_unpin(a);
	if (ret != -EBUSY)
		return "a pinned chunk was not refused with -EBUSY";
	if (n != 1 || ext.movable)
		return "a pinned chunk was described as movable";
	if (IS_ERR(cmctx_vmap(a)))
		return "vmap";
	ret = cmctx_move(ctx, off, 6 * MIB_PAGES);
	cmctx_vunmap(a);
	if (ret != -EBUSY)
		return "a mapped chunk was not refused with -EBUSY";
	held = cmctx_chunk_page(a) + 7;
	get_page(held);
	ret = cmctx_move(ctx, off, 6 * MIB_PAGES);
	put_page(held);
	if (ret != -EBUSY)
		return "a chunk with a page held elsewhere was not refused with -EBUSY";
	return NULL;
}

/* After moving @a from @was: described, counted, intact, its old place free. */
static const char *after_move(struct cmctx *ctx, struct cmctx_chunk *a,
			      unsigned long was, unsigned long start)
{
	unsigned long now = offset_of(a, start), *bits;
	struct cmctx_extent ext[4];
	struct cmctx_chunk *probe;
	struct cmctx_stats st;
	const char *why = NULL;

	cmctx_get_stats(ctx, &st);
	if (st.moves != 1 || st.moved_pages != MIB_PAGES || st.chunks != 2 ||
	    st.used_pages != 2 * MIB_PAGES)
		return "the figures after a move are wrong";
	if (now != 6 * MIB_PAGES)
		return "the chunk is not where it was moved";
	if (!holds_fill(a))
		return "the moved chunk does not hold what was written before the move";
	if (cmctx_chunks_in(ctx, now, 1, ext, 4) != 1 || ext[0].first != now ||
	    ext[0].nr_pages != MIB_PAGES || !ext[0].movable)
		return "cmctx_chunks_in() does not describe the moved chunk";
	if (cmctx_chunks_in(ctx, was, MIB_PAGES, ext, 4) != 0)
		return "cmctx_chunks_in() still finds a chunk at the old place";
	bits = bitmap_zalloc(CTX_PAGES, GFP_KERNEL);
	if (!bits)
		return "out of memory";
	cmctx_copy_bitmap(ctx, bits);
	if (bitmap_weight(bits, CTX_PAGES) != 2 * MIB_PAGES ||
	    !test_bit(now, bits) || test_bit(was, bits))
		why = "cmctx_copy_bitmap() disagrees with the chunks";
	bitmap_free(bits);
	if (why)
		return why;
	probe = cmctx_alloc_at(ctx, was, MIB_PAGES);
	if (IS_ERR(probe))
		return "the old place of the moved chunk is not free";
	cmctx_free(probe);
	return NULL;
}

/**
 * cmctx_test_move() - the "move" scenario
 *
 * Return: NULL when it passed, else why it failed.
 */
const char *cmctx_test_move(void)
{
	struct cmctx_chunk *a = NULL, *aligned = NULL;
	unsigned long start, was;
	const char *why = NULL;
	struct cmctx *ctx;
	int ret;

	ctx = cmctx_test_private_context("test-move", CTX_PAGES, &start);
	if (IS_ERR(ctx))
		return "no private context could be created";
	a = cmctx_alloc(ctx, MIB_PAGES << PAGE_SHIFT, 0);
	aligned = cmctx_alloc(ctx, MIB_PAGES << PAGE_SHIFT, MIB_PAGES << PAGE_SHIFT);
	if (IS_ERR(a) || IS_ERR(aligned)) {
		why = "alloc";
		goto out;
	}
	fill(a);
	was = offset_of(a, start);
	ret = cmctx_move(ctx, was, 6 * MIB_PAGES);
	if (ret != -EPERM) {
		why = "a chunk not declared movable was not refused with -EPERM";
		goto out;
	}
	cmctx_chunk_set_movable(a);
	cmctx_chunk_set_movable(aligned);
	why = refusals(ctx, a, aligned, start);
	if (why)
		goto out;
	ret = cmctx_move(ctx, was, 6 * MIB_PAGES);
	if (ret) {
		why = "the move was refused";
		goto out;
	}
	why = after_move(ctx, a, was, start);
out:
	if (!IS_ERR_OR_NULL(a) && cmctx_free(a) && !why)
		why = "free of the moved chunk";
	if (!IS_ERR_OR_NULL(aligned))
		cmctx_free(aligned);
	if (cmctx_destroy(ctx) && !why)
		why = "destroy";
	return why;
}
