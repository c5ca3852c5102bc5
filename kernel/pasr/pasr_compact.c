// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compaction: packing the chunks of a fed context into fewer sections.
 *
 * Placement alone cannot keep sections free: a buffer freed in the middle
 * of a section leaves a hole that only a buffer of the right size fills,
 * and a section with one small buffer left in it stays refreshed.
 * tools/bench pasr measured section-aware placement at about 70 % of the
 * sections an optimal packing would free. So after each free (a work item
 * queued by the context's listener, pasr_cmctx.c) a pass moves chunks that
 * their owner allows to move (cmctx_move(): vgem's buffers while nobody
 * maps or imports them) out of sections that can then be masked:
 *
 *  - victims are one partly used section, or two of them (the cheapest
 *    sixteen, by pages in use): every chunk touching them must find room
 *    elsewhere, by the placement's own search (pasr_fit()), never in a
 *    victim; a single victim may not break a maskable section; two may
 *    break one, as long as the pass gains;
 *  - the plan is made on a copy of the context's bitmap and carried out
 *    only if it makes more sections maskable than there are now, cheapest
 *    victims first;
 *  - a pass moves at most compact_pages pages (the budget: a copy of 64
 *    MiB takes some tens of milliseconds) and stops at the first move
 *    that fails (a buffer mapped meanwhile): the next free tries again.
 *
 * An allocation that finds no free run long enough also gets help
 * (pasr_make_room(), the placement's make_room): the aligned extent of
 * its size with the fewest pages in use whose chunks all fit elsewhere is
 * emptied, and cmctx places the allocation again.
 *
 * cmctx_move() checks everything again under its locks, so a plan made on
 * a stale copy fails cleanly. Passes are serialised by pasr_compact_lock,
 * which also protects the counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "cmctx.h"
#include "pasr_internal.h"

static bool compact = true;
module_param(compact, bool, 0644);
MODULE_PARM_DESC(compact, "Move movable chunks of fed contexts out of partly used sections after frees, and to make room for allocations (default: on; needs placement)");

static unsigned int compact_pages = 16384;
module_param(compact_pages, uint, 0644);
MODULE_PARM_DESC(compact_pages, "Compaction: at most this many pages moved per pass, a pass after each free (default: 16384, 64 MiB)");

/* Victim sections considered in a pass: the cheapest, singly and by two. */
#define PASR_COMPACT_VICTIMS	16
/* Chunks a victim set may hold; more and it is passed over. */
#define PASR_COMPACT_CHUNKS	512

/* Serialises passes; protects pasr_compact_totals. */
static DEFINE_MUTEX(pasr_compact_lock);
static struct pasr_compact_stats pasr_compact_totals;

/* A set of victim sections, as a mask of spans, and what it holds. */
struct pasr_victims {
	u64 spans;
	unsigned long in_use;
};

/* The scratch of one pass. */
struct pasr_pass {
	struct cmctx *ctx;
	const struct pasr_geometry *g;
	unsigned long nr_pages;
	unsigned long *snapshot;	/* the context's bitmap at the start */
	unsigned long *work;		/* the plan's */
	struct cmctx_extent chunks[PASR_COMPACT_CHUNKS];
	unsigned long to[PASR_COMPACT_CHUNKS];
	unsigned int nr_chunks;
	struct pasr_victims sets[PASR_COMPACT_VICTIMS * (PASR_COMPACT_VICTIMS + 1) / 2];
	unsigned int nr_sets;
};

static int pasr_by_in_use(const void *a, const void *b)
{
	const struct pasr_victims *x = a, *y = b;

	return x->in_use < y->in_use ? -1 : x->in_use > y->in_use;
}

static int pasr_by_size_down(const void *a, const void *b)
{
	const struct cmctx_extent *x = a, *y = b;

	return x->nr_pages > y->nr_pages ? -1 : x->nr_pages < y->nr_pages;
}

/* The victim sets of a pass, cheapest first: partly used sections, one or two. */
static void pasr_pick_victims(struct pasr_pass *p, const unsigned long *free)
{
	struct pasr_victims one[PASR_MAX_DIES * PASR_MAX_SECTIONS];
	unsigned int i, j, n = 0;

	for (i = 0; i < p->g->nr_spans; i++)
		if (free[i] < p->g->spans[i].nr)
			one[n++] = (struct pasr_victims){
				.spans = BIT_ULL(i),
				.in_use = p->g->spans[i].nr - free[i],
			};
	sort(one, n, sizeof(one[0]), pasr_by_in_use, NULL);
	n = min_t(unsigned int, n, PASR_COMPACT_VICTIMS);
	p->nr_sets = 0;
	for (i = 0; i < n; i++) {
		p->sets[p->nr_sets++] = one[i];
		for (j = i + 1; j < n; j++)
			p->sets[p->nr_sets++] = (struct pasr_victims){
				.spans = one[i].spans | one[j].spans,
				.in_use = one[i].in_use + one[j].in_use,
			};
	}
	sort(p->sets, p->nr_sets, sizeof(p->sets[0]), pasr_by_in_use, NULL);
}

/*
 * Adds the chunks overlapping [@first, @first + @nr) to p->chunks, those
 * already there left out (a chunk over two victims): false when they are
 * too many or one of them cannot move now.
 */
static bool pasr_list_movable(struct pasr_pass *p, unsigned long first,
			      unsigned long nr)
{
	struct cmctx_extent *c = p->chunks;
	unsigned int j, k, n, listed = p->nr_chunks;

	n = cmctx_chunks_in(p->ctx, first, nr, c + listed,
			    PASR_COMPACT_CHUNKS - listed);
	if (n > PASR_COMPACT_CHUNKS - listed)
		return false;
	for (j = listed; j < listed + n; j++) {
		if (!c[j].movable)
			return false;
		for (k = 0; k < listed && c[k].first != c[j].first; k++)
			;
		if (k == listed)
			c[p->nr_chunks++] = c[j];
	}
	return true;
}

/* The chunks touching the victims, once each: false when they cannot all move. */
static bool pasr_collect_chunks(struct pasr_pass *p, u64 spans)
{
	unsigned int i;

	p->nr_chunks = 0;
	for (i = 0; i < p->g->nr_spans; i++)
		if (spans & BIT_ULL(i) &&
		    !pasr_list_movable(p, p->g->spans[i].first, p->g->spans[i].nr))
			return false;
	return true;
}

/*
 * Finds a place for each chunk of p->chunks, the largest first, by
 * @rules, on a copy of the snapshot: the destinations in p->to. Sources
 * stay set while planning, so no destination overlaps one; p->work ends
 * with the chunks moved. 0, or -ENOSPC when one does not fit.
 */
static int pasr_place_chunks(struct pasr_pass *p, const struct pasr_fit_rules *rules)
{
	struct pasr_space sp = { p->ctx, p->work, p->nr_pages };
	unsigned int i;
	long pos;

	sort(p->chunks, p->nr_chunks, sizeof(p->chunks[0]), pasr_by_size_down, NULL);
	bitmap_copy(p->work, p->snapshot, p->nr_pages);
	for (i = 0; i < p->nr_chunks; i++) {
		pos = pasr_fit(&sp, p->g, p->chunks[i].nr_pages,
			       p->chunks[i].align_pages, rules);
		if (pos < 0)
			return -ENOSPC;
		p->to[i] = pos;
		bitmap_set(p->work, pos, p->chunks[i].nr_pages);
	}
	for (i = 0; i < p->nr_chunks; i++)
		bitmap_clear(p->work, p->chunks[i].first, p->chunks[i].nr_pages);
	return 0;
}

/*
 * Plans the evacuation of @v: where each of its chunks goes. Returns the
 * pages to move, or 0 when they do not all fit, cost more than @budget or
 * would not make more sections maskable than @maskable.
 */
static unsigned long pasr_plan(struct pasr_pass *p, const struct pasr_victims *v,
			       unsigned int maskable, unsigned long budget)
{
	struct pasr_space sp = { p->ctx, p->work, p->nr_pages };
	struct pasr_fit_rules rules = {
		.avoid = v->spans,
		.keep_maskable = hweight64(v->spans) == 1,
	};
	unsigned long pages = 0;
	unsigned int i;

	if (!pasr_collect_chunks(p, v->spans))
		return 0;
	for (i = 0; i < p->nr_chunks; i++)
		pages += p->chunks[i].nr_pages;
	if (!pages || pages > budget)
		return 0;
	if (pasr_place_chunks(p, &rules))
		return 0;
	return pasr_space_maskable(&sp, p->g, NULL) > maskable ? pages : 0;
}

/* Carries out the plan; the pages moved, or a negative errno at the first failure. */
static long pasr_carry_out(struct pasr_pass *p, struct pasr_compact_stats *st)
{
	unsigned long pages = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < p->nr_chunks; i++) {
		ret = cmctx_move(p->ctx, p->chunks[i].first, p->to[i]);
		if (ret) {
			st->failed_moves++;
			return ret;
		}
		st->moves++;
		st->moved_pages += p->chunks[i].nr_pages;
		pages += p->chunks[i].nr_pages;
	}
	return pages;
}

/* One round: the best plan carried out; the pages moved, 0 when none helps. */
static long pasr_compact_round(struct pasr_pass *p, unsigned long budget,
			       struct pasr_compact_stats *st)
{
	unsigned long free[PASR_MAX_DIES * PASR_MAX_SECTIONS];
	struct pasr_space sp = { p->ctx, p->snapshot, p->nr_pages };
	unsigned int maskable, i;

	cmctx_copy_bitmap(p->ctx, p->snapshot);
	maskable = pasr_space_maskable(&sp, p->g, free);
	pasr_pick_victims(p, free);
	for (i = 0; i < p->nr_sets; i++) {
		if (p->sets[i].in_use > budget)
			break;
		if (pasr_plan(p, &p->sets[i], maskable, budget))
			return pasr_carry_out(p, st);
	}
	return 0;
}

/* The scratch of a pass over @ctx, or NULL. */
static struct pasr_pass *pasr_pass_alloc(struct cmctx *ctx)
{
	struct pasr_pass *p = kvzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->ctx = ctx;
	p->g = pasr_feed_geometry(ctx);
	p->nr_pages = cmctx_nr_pages(ctx);
	p->snapshot = bitmap_zalloc(p->nr_pages, GFP_KERNEL);
	p->work = bitmap_zalloc(p->nr_pages, GFP_KERNEL);
	if (p->g && p->snapshot && p->work)
		return p;
	bitmap_free(p->work);
	bitmap_free(p->snapshot);
	kvfree(p);
	return NULL;
}

static void pasr_pass_free(struct pasr_pass *p)
{
	bitmap_free(p->work);
	bitmap_free(p->snapshot);
	kvfree(p);
}

/* With pasr_compact_lock held: @st added to the totals. */
static void pasr_add_stats(const struct pasr_compact_stats *st)
{
	lockdep_assert_held(&pasr_compact_lock);
	pasr_compact_totals.passes += st->passes;
	pasr_compact_totals.moves += st->moves;
	pasr_compact_totals.moved_pages += st->moved_pages;
	pasr_compact_totals.failed_moves += st->failed_moves;
	pasr_compact_totals.rooms += st->rooms;
	pasr_compact_totals.us += st->us;
}

/**
 * pasr_compact_context() - one compaction pass over a fed context
 * @ctx: the context.
 *
 * Does nothing when the compact parameter is off. Sleeps.
 */
void pasr_compact_context(struct cmctx *ctx)
{
	struct pasr_compact_stats st = { .passes = 1 };
	unsigned long budget = READ_ONCE(compact_pages);
	struct pasr_pass *p;
	ktime_t start;
	long moved;

	if (!READ_ONCE(compact))
		return;
	p = pasr_pass_alloc(ctx);
	if (!p)
		return;
	mutex_lock(&pasr_compact_lock);
	start = ktime_get();
	while (budget) {
		moved = pasr_compact_round(p, budget, &st);
		if (moved <= 0)
			break;
		budget -= min_t(unsigned long, budget, moved);
	}
	st.us = ktime_us_delta(ktime_get(), start);
	pasr_add_stats(&st);
	mutex_unlock(&pasr_compact_lock);
	pasr_pass_free(p);
}

/* Windows make_room plans for, the cheapest first. */
#define PASR_ROOM_WINDOWS	8

/* An extent that could be emptied for an allocation, and what it holds. */
struct pasr_window {
	unsigned long first;
	unsigned long in_use;
};

/* Keeps @w among the PASR_ROOM_WINDOWS cheapest of @best (sorted, *@n of them). */
static void pasr_keep_window(struct pasr_window *best, unsigned int *n,
			     struct pasr_window w)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (best[i].first == w.first)
			return;
	if (*n == PASR_ROOM_WINDOWS && w.in_use >= best[*n - 1].in_use)
		return;
	if (*n < PASR_ROOM_WINDOWS)
		(*n)++;
	for (i = *n - 1; i > 0 && best[i - 1].in_use > w.in_use; i--)
		best[i] = best[i - 1];
	best[i] = w;
}

/*
 * The cheapest windows of @n pages aligned to @align: starting at a free
 * run or right after a chunk (p->chunks holds every chunk, or the first
 * PASR_COMPACT_CHUNKS of them), by pages in use.
 */
static unsigned int pasr_pick_windows(struct pasr_pass *p, unsigned long n,
				      unsigned long align, struct pasr_window *best)
{
	struct pasr_space sp = { p->ctx, p->snapshot, p->nr_pages };
	unsigned long a, len, w;
	unsigned int i, nr = 0;

	for (a = pasr_space_next_free(&sp, 0, &len); len;
	     a = pasr_space_next_free(&sp, a + len, &len)) {
		w = cmctx_align_offset(p->ctx, a, align);
		if (w < p->nr_pages && n <= p->nr_pages - w)
			pasr_keep_window(best, &nr, (struct pasr_window){
				w, n - pasr_space_free_in(&sp, w, n) });
	}
	for (i = 0; i < p->nr_chunks; i++) {
		w = cmctx_align_offset(p->ctx, p->chunks[i].first +
				       p->chunks[i].nr_pages, align);
		if (w < p->nr_pages && n <= p->nr_pages - w)
			pasr_keep_window(best, &nr, (struct pasr_window){
				w, n - pasr_space_free_in(&sp, w, n) });
	}
	return nr;
}

/* Plans moving every chunk out of @w (@n pages): 0, or why it cannot. */
static int pasr_plan_room(struct pasr_pass *p, const struct pasr_window *w,
			  unsigned long n)
{
	struct pasr_space sp = { p->ctx, p->work, p->nr_pages };
	struct pasr_fit_rules rules = { .keep_out_first = w->first, .keep_out_nr = n };

	p->nr_chunks = 0;
	if (!pasr_list_movable(p, w->first, n))
		return -EBUSY;
	if (pasr_place_chunks(p, &rules))
		return -ENOSPC;
	/* Pages in use but in no chunk (given up) would stay. */
	return pasr_space_free_in(&sp, w->first, n) == n ? 0 : -ENOSPC;
}

/**
 * pasr_make_room() - empty an extent for an allocation placement could not place
 * @ctx: a fed context with section-aware placement.
 * @nr_pages: the allocation's size.
 * @align_pages: its alignment.
 *
 * cmctx calls it (through &cmctx_placement_ops.make_room) when no free run
 * of the context can hold the allocation. Picks the aligned extents of
 * @nr_pages pages with the fewest pages in use, and moves the chunks out
 * of the first whose chunks all fit elsewhere. Honours the compact
 * parameter, not the budget: the allocation would fail otherwise, and it
 * moves fewer pages than it asks for. Sleeps.
 *
 * Return: 0 when the extent was emptied, -ENOSPC when no extent can be,
 * -ENOMEM, or the error of the move that failed.
 */
int pasr_make_room(struct cmctx *ctx, unsigned long nr_pages,
		   unsigned long align_pages)
{
	struct pasr_compact_stats st = { 0 };
	struct pasr_window best[PASR_ROOM_WINDOWS];
	unsigned int i, nr;
	struct pasr_pass *p;
	int ret = -ENOSPC;
	ktime_t start;
	long moved;

	if (!READ_ONCE(compact) || nr_pages > cmctx_nr_pages(ctx))
		return -ENOSPC;
	p = pasr_pass_alloc(ctx);
	if (!p)
		return -ENOMEM;
	mutex_lock(&pasr_compact_lock);
	start = ktime_get();
	cmctx_copy_bitmap(ctx, p->snapshot);
	if (p->nr_pages - bitmap_weight(p->snapshot, p->nr_pages) < nr_pages)
		goto out_unlock;
	p->nr_chunks = min_t(unsigned int, PASR_COMPACT_CHUNKS,
			     cmctx_chunks_in(ctx, 0, p->nr_pages, p->chunks,
					     PASR_COMPACT_CHUNKS));
	nr = pasr_pick_windows(p, nr_pages, align_pages, best);
	for (i = 0; i < nr; i++) {
		if (pasr_plan_room(p, &best[i], nr_pages))
			continue;
		moved = pasr_carry_out(p, &st);
		ret = moved < 0 ? (int)moved : 0;
		st.rooms += !ret;
		break;
	}
	st.us = ktime_us_delta(ktime_get(), start);
	pasr_add_stats(&st);
out_unlock:
	mutex_unlock(&pasr_compact_lock);
	pasr_pass_free(p);
	return ret;
}

/**
 * pasr_compact_enabled() - whether frees should trigger a pass
 *
 * Return: the compact parameter.
 */
bool pasr_compact_enabled(void)
{
	return READ_ONCE(compact);
}

/**
 * pasr_compact_show() - the counters of every pass so far
 * @m: where to print them.
 */
void pasr_compact_show(struct seq_file *m)
{
	struct pasr_compact_stats st;

	mutex_lock(&pasr_compact_lock);
	st = pasr_compact_totals;
	mutex_unlock(&pasr_compact_lock);
	seq_printf(m, "enabled %d\nbudget_pages %u\n", READ_ONCE(compact),
		   READ_ONCE(compact_pages));
	seq_printf(m, "passes %llu\nmoves %llu\nmoved_pages %llu\nfailed_moves %llu\nrooms %llu\nus %llu\n",
		   st.passes, st.moves, st.moved_pages, st.failed_moves, st.rooms, st.us);
}
