// SPDX-License-Identifier: GPL-2.0-only
/*
 * Feeding PASR from cmctx: a listener on each context named by the
 * context= parameter. A private context's free pages are truly unused
 * (nobody else can allocate them): they are put when the listener is
 * added, got when a chunk takes them and put again when it is freed. A
 * shared context's free pages belong to the page allocator, which may use
 * them at any moment: nothing is put for them.
 *
 * cmctx knows nothing of this file; it calls the listener in process
 * context, serialised per context, and pasr_put()/pasr_get() take only
 * the core's spinlock.
 *
 * A free in a context with section-aware placement also queues a
 * compaction pass (pasr_compact.c) on the context's work item; the
 * pass's own moves free extents too, but do not queue another. The work
 * queue is freezable: no pass runs while the system suspends (a pass in
 * progress finishes before the freeze completes).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "cmctx.h"
#include "pasr_internal.h"

/**
 * struct pasr_feed - a context that feeds the framework
 * @listener: registered on @ctx.
 * @ctx: the context, referenced from cmctx_get().
 * @base: physical address of its first page.
 * @geometry: the layout's sections in the context, for the placement.
 * @placed: the context's placement is pasr_placement.
 * @compact_work: a compaction pass over @ctx, queued after frees when
 *	@placed.
 * @node: in pasr_feeds.
 */
struct pasr_feed {
	struct cmctx_listener listener;
	struct cmctx *ctx;
	phys_addr_t base;
	struct pasr_geometry geometry;
	bool placed;
	struct work_struct compact_work;
	struct list_head node;
};

/*
 * Changed only at load and unload (module init and exit are serialised);
 * pasr_placement's find() reads it under a context's spinlock, which is
 * safe because a feed is on the list before its context's placement is
 * set and leaves it only after the placement is set back.
 */
static LIST_HEAD(pasr_feeds);

static void pasr_feed_report(struct cmctx_listener *listener, unsigned long first,
			     unsigned long nr_pages, bool used)
{
	struct pasr_feed *feed = container_of(listener, struct pasr_feed, listener);
	phys_addr_t phys = feed->base + ((phys_addr_t)first << PAGE_SHIFT);
	u64 size = (u64)nr_pages << PAGE_SHIFT;
	int ret;

	ret = used ? pasr_get(phys, size) : pasr_put(phys, size);
	if (ret)
		pr_err_ratelimited("%s: %s of pages %lu+%lu refused (%d)\n",
				   cmctx_name(feed->ctx), used ? "get" : "put",
				   first, nr_pages, ret);
}

static void pasr_feed_used(struct cmctx_listener *listener, struct cmctx *ctx,
			   unsigned long first, unsigned long nr_pages)
{
	pasr_feed_report(listener, first, nr_pages, true);
}

static void pasr_feed_unused(struct cmctx_listener *listener, struct cmctx *ctx,
			     unsigned long first, unsigned long nr_pages)
{
	struct pasr_feed *feed = container_of(listener, struct pasr_feed, listener);

	pasr_feed_report(listener, first, nr_pages, false);
	/* A pass's own moves do not call for another one. */
	if (feed->placed && pasr_compact_enabled() &&
	    current_work() != &feed->compact_work)
		queue_work(system_freezable_wq, &feed->compact_work);
}

static void pasr_feed_compact(struct work_struct *work)
{
	struct pasr_feed *feed = container_of(work, struct pasr_feed, compact_work);

	pasr_compact_context(feed->ctx);
}

/**
 * pasr_feeds_compact() - wait for the compaction passes of every context
 * @run: queue a pass on each context with section-aware placement first.
 *
 * For tests and benchmarks that measure the state compaction leaves.
 * Sleeps.
 */
void pasr_feeds_compact(bool run)
{
	struct pasr_feed *feed;

	list_for_each_entry(feed, &pasr_feeds, node) {
		if (run && feed->placed)
			queue_work(system_freezable_wq, &feed->compact_work);
		flush_work(&feed->compact_work);
	}
}

/**
 * pasr_feed_geometry() - the sections of a fed context
 * @ctx: the context.
 *
 * Return: its geometry, or NULL when it is not fed.
 */
const struct pasr_geometry *pasr_feed_geometry(struct cmctx *ctx)
{
	struct pasr_feed *feed;

	list_for_each_entry(feed, &pasr_feeds, node)
		if (feed->ctx == ctx)
			return &feed->geometry;
	return NULL;
}

static void pasr_feed_context(const char *name, bool place)
{
	struct pasr_feed *feed;
	struct cmctx *ctx;
	int ret;

	ctx = cmctx_get(name);
	if (!ctx) {
		pr_err("context %s: no such context, nothing fed\n", name);
		return;
	}
	if (!(cmctx_flags(ctx) & CMCTX_PRIVATE)) {
		pr_info("context %s: shared, its free memory is the page allocator's: nothing fed\n",
			name);	/* pasr_claim.c takes its idle sections at suspend */
		cmctx_put(ctx);
		return;
	}
	feed = kzalloc(sizeof(*feed), GFP_KERNEL);
	if (!feed) {
		cmctx_put(ctx);
		return;
	}
	feed->ctx = ctx;
	feed->base = PFN_PHYS(cmctx_start_pfn(ctx));
	INIT_WORK(&feed->compact_work, pasr_feed_compact);
	feed->listener.used = pasr_feed_used;
	feed->listener.unused = pasr_feed_unused;
	/* Everything is in use until cmctx tells us what is free. */
	feed->listener.from_free = true;
	ret = cmctx_add_listener(ctx, &feed->listener);
	if (ret) {
		pr_err("context %s: cannot follow it (%d)\n", name, ret);
		cmctx_put(ctx);
		kfree(feed);
		return;
	}
	pasr_geometry_of(&feed->geometry, feed->base, cmctx_nr_pages(ctx));
	list_add_tail(&feed->node, &pasr_feeds);
	feed->placed = place && !cmctx_set_placement(ctx, &pasr_placement);
	pr_info("context %s: private, fed, placement %s\n", name,
		feed->placed ? pasr_placement.name : "unchanged");
}

/**
 * pasr_feed_contexts() - follow the contexts of a comma-separated list
 * @names: context names; those missing or shared are reported and skipped.
 * @place: give the private ones section-aware placement.
 */
void pasr_feed_contexts(const char *names, bool place)
{
	char *copy, *cursor, *name;

	copy = kstrdup(names, GFP_KERNEL);
	if (!copy)
		return;
	cursor = copy;
	while ((name = strsep(&cursor, ",")))
		if (*name)
			pasr_feed_context(name, place);
	kfree(copy);
}

/* At unload: stop following every context. The layout goes next. */
void pasr_starve_contexts(void)
{
	struct pasr_feed *feed, *next;

	list_for_each_entry_safe(feed, next, &pasr_feeds, node) {
		/* First fit again: no find() can reach us once this returns. */
		if (feed->placed)
			cmctx_set_placement(feed->ctx, NULL);
		/* No listener call, so no new pass, once it is removed. */
		cmctx_remove_listener(feed->ctx, &feed->listener);
		cancel_work_sync(&feed->compact_work);
		cmctx_put(feed->ctx);
		list_del(&feed->node);
		kfree(feed);
	}
}

/**
 * pasr_default_range() - where the default layout goes
 * @names: the context= list; its first context that exists is used.
 * @base: its physical start.
 * @size: its size in bytes.
 *
 * Return: 0, or -ENOENT when no context of the list exists.
 */
int pasr_default_range(const char *names, phys_addr_t *base, u64 *size)
{
	char *copy, *cursor, *name;
	struct cmctx *ctx = NULL;

	copy = kstrdup(names, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cursor = copy;
	while (!ctx && (name = strsep(&cursor, ",")))
		if (*name)
			ctx = cmctx_get(name);
	kfree(copy);
	if (!ctx)
		return -ENOENT;
	*base = PFN_PHYS(cmctx_start_pfn(ctx));
	*size = (u64)cmctx_nr_pages(ctx) << PAGE_SHIFT;
	cmctx_put(ctx);
	return 0;
}
