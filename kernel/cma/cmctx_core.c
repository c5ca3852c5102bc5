// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx core: the list of contexts, creation and destruction, chunks and
 * their pins and kernel mappings. See docs/cma.md for the design.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "cmctx_internal.h"

/* Protects cmctx_list and every context's users count. */
static DEFINE_MUTEX(cmctx_list_lock);
static LIST_HEAD(cmctx_list);

void cmctx_misuse(struct cmctx *ctx, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	spin_lock(&ctx->lock);
	ctx->misuse++;
	spin_unlock(&ctx->lock);

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("%s: %pV\n", ctx->name, &vaf);
	va_end(args);
}

/*
 * Checks that every page frame of the range is online memory of one zone,
 * ZONE_MOVABLE for a shared context. Returns NULL or what is wrong.
 */
static const char *cmctx_check_memory(unsigned long start_pfn,
				      unsigned long nr_pages, bool shared)
{
	struct zone *zone = NULL;
	unsigned long pfn;

	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++) {
		struct page *page = pfn_to_online_page(pfn);

		if (!page)
			return "not all of it is online memory";
		if (!zone) {
			zone = page_zone(page);
			if (shared && zone_idx(zone) != ZONE_MOVABLE)
				return "a shared context must lie in ZONE_MOVABLE (boot with movablecore=)";
		} else if (page_zone(page) != zone) {
			return "it spans more than one zone or node";
		}
		if (!(pfn & (PAGES_PER_SECTION - 1)))
			cond_resched();
	}
	return NULL;
}

/*
 * A bitmap of @nr_pages bits, zeroed. A context over 8 GiB needs one of
 * 256 KiB, over 128 GiB one larger than the page allocator's largest
 * block: kvcalloc() falls back to vmalloc() instead of failing (or
 * warning) when physically contiguous memory is short.
 */
static unsigned long *cmctx_bitmap_alloc(unsigned long nr_pages)
{
	return kvcalloc(BITS_TO_LONGS(nr_pages), sizeof(unsigned long),
			GFP_KERNEL);
}

static bool cmctx_name_ok(const char *name)
{
	size_t len = name ? strnlen(name, CMCTX_NAME_LEN) : 0;

	return len && len < CMCTX_NAME_LEN && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

/* With cmctx_list_lock held: the context named @name, or NULL. */
static struct cmctx *cmctx_find_locked(const char *name)
{
	struct cmctx *ctx;

	list_for_each_entry(ctx, &cmctx_list, node)
		if (!strcmp(ctx->name, name))
			return ctx;
	return NULL;
}

static bool cmctx_overlaps_locked(unsigned long start_pfn,
				  unsigned long nr_pages)
{
	struct cmctx *ctx;

	list_for_each_entry(ctx, &cmctx_list, node)
		if (start_pfn < ctx->start_pfn + ctx->nr_pages &&
		    ctx->start_pfn < start_pfn + nr_pages)
			return true;
	return false;
}

/*
 * Drop our reference on each page of an extent of a shared context, as
 * free_contig_range() does, but without its warning: a page somebody else
 * still holds (a pipe after vmsplice() of a user mapping, I/O in flight) is
 * not a bug of ours. It goes to the page allocator when they let go; until
 * then alloc_contig_range() cannot take it, so a chunk placed over it is
 * retried elsewhere. Returns how many pages were still held.
 */
static unsigned long cmctx_give_back(unsigned long pfn, unsigned long nr_pages)
{
	unsigned long held = 0;

	for (; nr_pages--; pfn++) {
		struct page *page = pfn_to_page(pfn);

		held += page_count(page) != 1;
		__free_page(page);
	}
	return held;
}

/*
 * Take [@pfn, @pfn + @nr_pages) from the page allocator, one pageblock at
 * a time: alloc_contig_range() migrates and (init_on_alloc) clears its
 * whole range without rescheduling, and a 64 MiB range held a guest CPU
 * long enough for an RCU stall report under TCG. A fatal signal stops it
 * between pageblocks (alloc_contig_range() also checks for one while it
 * migrates): -EINTR. On failure, what was taken goes back. Shared contexts
 * call it under their migrate_lock.
 */
static int cmctx_take_range(unsigned long pfn, unsigned long nr_pages)
{
	unsigned long done = 0, step;
	int ret = 0;

	while (done < nr_pages) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		step = pageblock_nr_pages - ((pfn + done) & (pageblock_nr_pages - 1));
		step = min(step, nr_pages - done);
		ret = alloc_contig_range(pfn + done, pfn + done + step,
					 MIGRATE_MOVABLE, GFP_KERNEL | __GFP_NOWARN);
		if (ret)
			break;
		done += step;
		cond_resched();
	}
	if (ret && done)
		cmctx_give_back(pfn, done);
	return ret;
}

/*
 * Pages the kernel reserved at boot (memblock: the KASAN shadow, crash
 * kernel, a CMA area's bookkeeping...) may lie in what became ZONE_MOVABLE;
 * alloc_contig_range() can never migrate them, and since it isolates whole
 * pageblocks, it fails on any extent that shares a pageblock with one. So
 * every pageblock that holds a reserved page is marked used for good, and
 * placement never picks an extent that touches one.
 */
static void cmctx_mark_unusable(struct cmctx *ctx)
{
	unsigned long block, i;

	/* A shared context starts and ends on pageblock boundaries. */
	for (block = 0; block < ctx->nr_pages; block += pageblock_nr_pages) {
		for (i = block; i < block + pageblock_nr_pages; i++)
			if (PageReserved(pfn_to_page(ctx->start_pfn + i)))
				break;
		if (i < block + pageblock_nr_pages) {
			bitmap_set(ctx->bitmap, block, pageblock_nr_pages);
			ctx->unusable_pages += pageblock_nr_pages;
		}
		if (!(block & (PAGES_PER_SECTION - 1)))
			cond_resched();
	}
}

/**
 * cmctx_create() - create and register a contiguous memory context
 * @name: unique name, shorter than 32 bytes, without '/'.
 * @start_pfn: first page frame of the range.
 * @nr_pages: size of the range in pages.
 * @min_align: minimum alignment of chunks in bytes: 0 for a page, else a
 *	power of two; @start_pfn and @nr_pages must be multiples of it.
 * @flags: 0 for a shared context, %CMCTX_PRIVATE for a private one.
 *
 * A shared context must lie in ZONE_MOVABLE of one node and start and end
 * on pageblock boundaries (alloc_contig_range() isolates whole
 * pageblocks); its memory stays with the page allocator until a chunk
 * needs it. A private context may lie in any one zone: its whole range is
 * taken with alloc_contig_range() here and given back by cmctx_destroy().
 * Contexts may not overlap. Every refusal is explained by a pr_err().
 * The caller owns the context and destroys it with cmctx_destroy(); it
 * holds no reference (see cmctx_get()). Sleeps.
 *
 * Return: the context, or ERR_PTR(-EINVAL) for an invalid name, range or
 * alignment, -EEXIST for a name in use, -EBUSY for an overlap or (private)
 * memory that could not be taken, -ENOMEM.
 */
struct cmctx *cmctx_create(const char *name, unsigned long start_pfn,
			   unsigned long nr_pages, unsigned long min_align,
			   unsigned int flags)
{
	bool shared = !(flags & CMCTX_PRIVATE);
	unsigned long align_pages;
	const char *why = NULL;
	struct cmctx *ctx;
	int ret;

	if (!cmctx_name_ok(name)) {
		pr_err("invalid context name\n");
		return ERR_PTR(-EINVAL);
	}
	if (min_align && (!is_power_of_2(min_align) || min_align < PAGE_SIZE))
		why = "the minimum alignment is not a power of two of at least a page";
	align_pages = min_align ? min_align >> PAGE_SHIFT : 1;
	if (!why && (flags & ~CMCTX_PRIVATE))
		why = "unknown flags";
	else if (!why && !nr_pages)
		why = "the range is empty";
	else if (!why && start_pfn + nr_pages < start_pfn)
		why = "the range wraps around";
	else if (!why && (!IS_ALIGNED(start_pfn, align_pages) ||
			  !IS_ALIGNED(nr_pages, align_pages)))
		why = "start and size must be multiples of the minimum alignment";
	else if (!why && shared &&
		 (!IS_ALIGNED(start_pfn, pageblock_nr_pages) ||
		  !IS_ALIGNED(nr_pages, pageblock_nr_pages)))
		why = "a shared context must start and end on a pageblock boundary";
	if (!why)
		why = cmctx_check_memory(start_pfn, nr_pages, shared);
	if (why) {
		pr_err("%s: refused: %s (%lu KiB at page frame offset %lu of a pageblock of %lu KiB)\n",
		       name, why, nr_pages << (PAGE_SHIFT - 10),
		       start_pfn & (pageblock_nr_pages - 1),
		       pageblock_nr_pages << (PAGE_SHIFT - 10));
		return ERR_PTR(-EINVAL);
	}

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->bitmap = cmctx_bitmap_alloc(nr_pages);
	if (!shared)
		ctx->given_up = cmctx_bitmap_alloc(nr_pages);
	if (!ctx->bitmap || (!shared && !ctx->given_up)) {
		ret = -ENOMEM;
		goto err_free_bitmaps;
	}
	strscpy(ctx->name, name, sizeof(ctx->name));
	ctx->start_pfn = start_pfn;
	ctx->nr_pages = nr_pages;
	ctx->min_align = align_pages;
	ctx->flags = flags;
	ctx->placement = &cmctx_first_fit;
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->chunks);
	mutex_init(&ctx->migrate_lock);

	if (shared)
		cmctx_mark_unusable(ctx);

	mutex_lock(&cmctx_list_lock);
	if (cmctx_find_locked(name)) {
		pr_err("%s: refused: a context of that name exists\n", name);
		ret = -EEXIST;
		goto err_unlock;
	}
	if (cmctx_overlaps_locked(start_pfn, nr_pages)) {
		pr_err("%s: refused: the range overlaps another context\n", name);
		ret = -EBUSY;
		goto err_unlock;
	}
	if (!shared) {
		ret = cmctx_take_range(start_pfn, nr_pages);
		if (ret) {
			pr_info("%s: the range could not be taken (%d): it holds memory that cannot be migrated\n",
				name, ret);
			ret = -EBUSY;
			goto err_unlock;
		}
	}
	list_add_tail(&ctx->node, &cmctx_list);
	mutex_unlock(&cmctx_list_lock);

	cmctx_debugfs_add(ctx);
	pr_info("%s: %s context of %lu MiB\n", name,
		shared ? "shared" : "private", nr_pages >> (20 - PAGE_SHIFT));
	if (ctx->unusable_pages)
		pr_info("%s: %lu of its pages are reserved by the kernel and never used\n",
			name, ctx->unusable_pages);
	return ctx;

err_unlock:
	mutex_unlock(&cmctx_list_lock);
	mutex_destroy(&ctx->migrate_lock);
err_free_bitmaps:
	kvfree(ctx->given_up);
	kvfree(ctx->bitmap);
	kfree(ctx);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(cmctx_create);

/*
 * A private context keeps the pages of a freed chunk, but cannot hand a
 * page that somebody else still holds to the next chunk: such a page is
 * given up (our reference dropped, its bit left set for good). Called with
 * @ctx->lock held; returns how many pages were given up.
 */
static unsigned long cmctx_keep_free_pages(struct cmctx *ctx,
					   struct cmctx_chunk *chunk)
{
	unsigned long i, held = 0;

	for (i = chunk->offset; i < chunk->offset + chunk->nr_pages; i++) {
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

/* The context is off the list: free the chunks left, the range, itself. */
static void cmctx_release(struct cmctx *ctx)
{
	struct cmctx_chunk *chunk, *next;
	unsigned long i;

	cmctx_debugfs_remove(ctx);
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
	if (cmctx_is_private(ctx)) {
		for (i = 0; i < ctx->nr_pages; i++)
			if (!test_bit(i, ctx->given_up))
				cmctx_give_back(ctx->start_pfn + i, 1);
	}
	mutex_destroy(&ctx->migrate_lock);
	kvfree(ctx->given_up);
	kvfree(ctx->bitmap);
	kfree(ctx);
}

/**
 * cmctx_destroy() - unregister and free a context
 * @ctx: a context from cmctx_create().
 *
 * Refused while the context has references (cmctx_get()) or live chunks;
 * the refusal counts as misuse and is logged. A private context gives its
 * range back to the page allocator. Sleeps.
 *
 * Return: 0, -EBUSY (the context is left as it was), or -EINVAL for a
 * NULL or error pointer.
 */
int cmctx_destroy(struct cmctx *ctx)
{
	unsigned long chunks;

	if (IS_ERR_OR_NULL(ctx))
		return -EINVAL;
	mutex_lock(&cmctx_list_lock);
	spin_lock(&ctx->lock);
	chunks = ctx->nr_chunks;
	spin_unlock(&ctx->lock);
	if (ctx->users || chunks) {
		unsigned int users = ctx->users;

		mutex_unlock(&cmctx_list_lock);
		cmctx_misuse(ctx, "destroy refused: %u references, %lu chunks left",
			     users, chunks);
		return -EBUSY;
	}
	list_del(&ctx->node);
	mutex_unlock(&cmctx_list_lock);

	pr_info("%s: destroyed\n", ctx->name);
	cmctx_release(ctx);
	return 0;
}
EXPORT_SYMBOL_GPL(cmctx_destroy);

/**
 * cmctx_get() - find a context and take a reference on it
 * @name: the context's name, or NULL for the first context registered.
 *
 * A context with references cannot be destroyed. Sleeps.
 *
 * Return: the context, or NULL when there is no such context.
 */
struct cmctx *cmctx_get(const char *name)
{
	struct cmctx *ctx;

	mutex_lock(&cmctx_list_lock);
	if (name)
		ctx = cmctx_find_locked(name);
	else
		ctx = list_first_entry_or_null(&cmctx_list, struct cmctx, node);
	if (ctx)
		ctx->users++;
	mutex_unlock(&cmctx_list_lock);
	return ctx;
}
EXPORT_SYMBOL_GPL(cmctx_get);

/**
 * cmctx_put() - drop a reference taken by cmctx_get()
 * @ctx: the context, or NULL (nothing happens).
 *
 * Sleeps.
 */
void cmctx_put(struct cmctx *ctx)
{
	bool unbalanced = false;

	if (!ctx)
		return;
	mutex_lock(&cmctx_list_lock);
	if (ctx->users)
		ctx->users--;
	else
		unbalanced = true;
	mutex_unlock(&cmctx_list_lock);
	if (unbalanced)
		cmctx_misuse(ctx, "cmctx_put() without a reference");
}
EXPORT_SYMBOL_GPL(cmctx_put);

/**
 * cmctx_name() - the name of a context
 * @ctx: the context.
 *
 * Return: its name, valid as long as the context.
 */
const char *cmctx_name(const struct cmctx *ctx)
{
	return ctx->name;
}
EXPORT_SYMBOL_GPL(cmctx_name);

/**
 * cmctx_nr_pages() - the size of a context
 * @ctx: the context.
 *
 * Return: the size of its range in pages.
 */
unsigned long cmctx_nr_pages(const struct cmctx *ctx)
{
	return ctx->nr_pages;
}
EXPORT_SYMBOL_GPL(cmctx_nr_pages);

/**
 * cmctx_start_pfn() - where a context lies
 * @ctx: the context.
 *
 * For placement policies that care where memory lies (DRAM sections,
 * banks). Kernel-internal: never to be shown to user space.
 *
 * Return: the first page frame of its range.
 */
unsigned long cmctx_start_pfn(const struct cmctx *ctx)
{
	return ctx->start_pfn;
}
EXPORT_SYMBOL_GPL(cmctx_start_pfn);

/**
 * cmctx_get_stats() - a snapshot of a context's figures
 * @ctx: the context.
 * @stats: filled in.
 *
 * Does not sleep.
 */
void cmctx_get_stats(struct cmctx *ctx, struct cmctx_stats *stats)
{
	spin_lock(&ctx->lock);
	stats->nr_pages = ctx->nr_pages;
	stats->used_pages = ctx->used_pages;
	stats->largest_free = cmctx_largest_free_locked(ctx);
	stats->chunks = ctx->nr_chunks;
	stats->allocs = ctx->allocs;
	stats->alloc_failures = ctx->alloc_failures;
	stats->migrate_retries = ctx->migrate_retries;
	stats->misuse = ctx->misuse;
	stats->unusable_pages = ctx->unusable_pages;
	spin_unlock(&ctx->lock);
}
EXPORT_SYMBOL_GPL(cmctx_get_stats);

static bool cmctx_transient(int err)
{
	return err == -EBUSY || err == -EAGAIN;
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
		bitmap_set(ctx->bitmap, pos, nr_pages);
		ctx->used_pages += nr_pages;
		spin_unlock(&ctx->lock);

		if (cmctx_is_private(ctx))
			return pos;
		ret = cmctx_take_range(ctx->start_pfn + pos, nr_pages);
		if (!ret)
			return pos;

		spin_lock(&ctx->lock);
		bitmap_clear(ctx->bitmap, pos, nr_pages);
		ctx->used_pages -= nr_pages;
		if (cmctx_transient(ret))
			ctx->migrate_retries++;
		spin_unlock(&ctx->lock);
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

	chunk->ctx = ctx;
	chunk->offset = pos;
	chunk->nr_pages = nr_pages;
	mutex_init(&chunk->lock);
	spin_lock(&ctx->lock);
	list_add_tail(&chunk->node, &ctx->chunks);
	ctx->nr_chunks++;
	ctx->allocs++;
	spin_unlock(&ctx->lock);
	return chunk;
}
EXPORT_SYMBOL_GPL(cmctx_alloc);

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
	unsigned long held = 0;
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

	/* The pages go back before the extent can be found free again. */
	if (!cmctx_is_private(ctx))
		held = cmctx_give_back(ctx->start_pfn + chunk->offset,
				       chunk->nr_pages);
	spin_lock(&ctx->lock);
	list_del(&chunk->node);
	if (cmctx_is_private(ctx)) {
		held = cmctx_keep_free_pages(ctx, chunk);
		ctx->unusable_pages += held;
	} else {
		bitmap_clear(ctx->bitmap, chunk->offset, chunk->nr_pages);
	}
	ctx->held_at_free += held;
	ctx->used_pages -= chunk->nr_pages;
	ctx->nr_chunks--;
	spin_unlock(&ctx->lock);
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
 * (cmctx_chunk_page()) stay where they are and it cannot be freed. Sleeps.
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
	struct page *first = cmctx_chunk_page(chunk);
	struct page **pages;
	void *vaddr;
	unsigned long i;

	mutex_lock(&chunk->lock);
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

static int __init cmctx_init(void)
{
	cmctx_debugfs_init();
	cmctx_create_from_params();
	return 0;
}

/*
 * Modules that use cmctx depend on its symbols, so they are gone by now;
 * anything they left behind is freed here, loudly.
 */
static void __exit cmctx_exit(void)
{
	struct cmctx *ctx, *next;

	mutex_lock(&cmctx_list_lock);
	list_for_each_entry_safe(ctx, next, &cmctx_list, node) {
		list_del(&ctx->node);
		if (ctx->users || ctx->nr_chunks)
			pr_err("%s: unloaded with %u references and %lu chunks left\n",
			       ctx->name, ctx->users, ctx->nr_chunks);
		cmctx_release(ctx);
	}
	mutex_unlock(&cmctx_list_lock);
	cmctx_debugfs_exit();
}

module_init(cmctx_init);
module_exit(cmctx_exit);
MODULE_DESCRIPTION("Contiguous memory contexts over ZONE_MOVABLE or private ranges");
MODULE_LICENSE("GPL");
