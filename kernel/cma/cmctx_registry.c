// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx registry: the list of contexts, their creation, references and
 * destruction. See docs/cma.md for the design.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

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

/* cmctx_create()'s @min_align, in bytes (0: a page), as a number of pages. */
static unsigned long cmctx_align_pages(unsigned long min_align)
{
	return min_align ? min_align >> PAGE_SHIFT : 1;
}

/*
 * What is wrong with the range, alignment and flags of a context to be
 * created, or NULL. Sleeps (the memory check walks the range).
 */
static const char *cmctx_create_refusal(unsigned long start_pfn,
					unsigned long nr_pages,
					unsigned long min_align,
					unsigned int flags)
{
	bool shared = !(flags & CMCTX_PRIVATE);
	unsigned long align_pages = cmctx_align_pages(min_align);

	if (min_align && (!is_power_of_2(min_align) || min_align < PAGE_SIZE))
		return "the minimum alignment is not a power of two of at least a page";
	if (flags & ~CMCTX_PRIVATE)
		return "unknown flags";
	if (!nr_pages)
		return "the range is empty";
	if (start_pfn + nr_pages < start_pfn)
		return "the range wraps around";
	if (!IS_ALIGNED(start_pfn, align_pages) || !IS_ALIGNED(nr_pages, align_pages))
		return "start and size must be multiples of the minimum alignment";
	if (shared && (!IS_ALIGNED(start_pfn, pageblock_nr_pages) ||
		       !IS_ALIGNED(nr_pages, pageblock_nr_pages)))
		return "a shared context must start and end on a pageblock boundary";
	return cmctx_check_memory(start_pfn, nr_pages, shared);
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
	const char *why;
	struct cmctx *ctx;
	int ret;

	if (!cmctx_name_ok(name)) {
		pr_err("invalid context name\n");
		return ERR_PTR(-EINVAL);
	}
	why = cmctx_create_refusal(start_pfn, nr_pages, min_align, flags);
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
	ctx->min_align = cmctx_align_pages(min_align);
	ctx->flags = flags;
	ctx->placement = &cmctx_first_fit;
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->chunks);
	mutex_init(&ctx->migrate_lock);
	mutex_init(&ctx->listener_lock);
	init_rwsem(&ctx->placement_sem);
	INIT_LIST_HEAD(&ctx->listeners);

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
		ret = cmctx_take_range(start_pfn, nr_pages, true);
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
	mutex_destroy(&ctx->listener_lock);
	mutex_destroy(&ctx->migrate_lock);
err_free_bitmaps:
	kvfree(ctx->given_up);
	kvfree(ctx->bitmap);
	kfree(ctx);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(cmctx_create);

/* The context is off the list: free the chunks left, the range, itself. */
static void cmctx_release(struct cmctx *ctx)
{
	unsigned long i;

	cmctx_debugfs_remove(ctx);
	cmctx_release_chunks(ctx);
	if (cmctx_is_private(ctx)) {
		for (i = 0; i < ctx->nr_pages; i++)
			if (!test_bit(i, ctx->given_up))
				cmctx_give_back(ctx->start_pfn + i, 1);
	}
	mutex_destroy(&ctx->listener_lock);
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
 * cmctx_flags() - what kind of context this is
 * @ctx: the context.
 *
 * Return: the flags it was created with (CMCTX_PRIVATE or 0).
 */
unsigned int cmctx_flags(const struct cmctx *ctx)
{
	return ctx->flags;
}
EXPORT_SYMBOL_GPL(cmctx_flags);

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
	stats->moves = ctx->moves;
	stats->moved_pages = ctx->moved_pages;
	stats->unusable_pages = ctx->unusable_pages;
	spin_unlock(&ctx->lock);
}
EXPORT_SYMBOL_GPL(cmctx_get_stats);

/*
 * At cmctx's unload. Modules that use cmctx depend on its symbols, so they
 * are gone by now; anything they left behind is freed here, loudly.
 */
void cmctx_release_all(void)
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
}
