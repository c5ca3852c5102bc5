// SPDX-License-Identifier: GPL-2.0-only
/*
 * Section-aware placement: a cmctx placement policy for the contexts that
 * feed PASR. A new chunk goes where it keeps the most sections maskable:
 * among the free extents that can hold it, the one that makes the fewest
 * maskable sections unmaskable (a wholly free section whose interleave
 * pair, if any, is wholly free too; breaking a free section whose pair is
 * in use costs nothing, it could not be masked anyway), then the lowest.
 * A fresh section is broken only when no used one has room, and among
 * used ones the lowest address wins: a fixed order in which to fill
 * sections, so the high ones drain. tools/bench pasr measured best fit by
 * free run and "fullest sections first" as second criteria too: neither
 * masked more sections than the lowest address over its workload, and
 * "fullest first" failed more allocations (docs/pasr.md).
 *
 * Candidates are few: in each free run of the context, the chunk placed at
 * the run's start, at its end, and starting or ending at each section
 * boundary inside it (aligned as asked). find() runs under the context's
 * spinlock; its cost is the free runs times the section boundaries times
 * the sections, at most a few thousand steps for 64 sections.
 *
 * The same search, with rules on what a chunk must not touch, finds where
 * compaction moves chunks (pasr_compact.c), on a scratch copy of the
 * context's bitmap instead of the context itself.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>

#include "cmctx.h"
#include "pasr_internal.h"

/**
 * pasr_geometry_of() - a context's sections, in its page offsets
 * @g: filled in: every section of the layout that overlaps the context,
 *	clipped to it.
 * @base: the context's physical start.
 * @nr_pages: its size in pages.
 */
void pasr_geometry_of(struct pasr_geometry *g, phys_addr_t base,
		      unsigned long nr_pages)
{
	u64 ctx_end = base + ((u64)nr_pages << PAGE_SHIFT), s_start, s_end;
	int pair_of[PASR_MAX_DIES * PASR_MAX_SECTIONS];
	struct pasr_section_info s;
	struct pasr_die_info die;
	struct pasr_span *span;
	unsigned int d, i, j;

	g->nr_spans = 0;
	for (d = 0; !pasr_die_info(d, &die); d++) {
		for (i = 0; i < die.nr_sections && !pasr_section_info(d, i, &s); i++) {
			s_start = max_t(u64, s.base, base);
			s_end = min_t(u64, s.base + s.size, ctx_end);
			if (s_start >= s_end)
				continue;
			pair_of[g->nr_spans] = s.paired ?
				(int)(s.pair_die * PASR_MAX_SECTIONS + s.pair_section) : -1;
			span = &g->spans[g->nr_spans++];
			span->first = (s_start - base) >> PAGE_SHIFT;
			span->nr = (s_end - s_start) >> PAGE_SHIFT;
			span->die = d;
			span->index = i;
		}
	}
	/* Pairs as span indexes: PASR_SPAN_PAIR_OUTSIDE until found. */
	for (i = 0; i < g->nr_spans; i++) {
		span = &g->spans[i];
		span->pair = pair_of[i] < 0 ? PASR_SPAN_NO_PAIR : PASR_SPAN_PAIR_OUTSIDE;
		for (j = 0; j < g->nr_spans && pair_of[i] >= 0; j++)
			if (g->spans[j].die * PASR_MAX_SECTIONS + g->spans[j].index ==
			    pair_of[i])
				span->pair = j;
	}
}

/* pasr_fit_rules.avoid has a bit per span. */
static_assert(PASR_MAX_DIES * PASR_MAX_SECTIONS <= 64);

/* The cost of [pos, pos + n): lower is better, compared in order. */
struct pasr_cost {
	unsigned int broken;	/* maskable sections it would make unmaskable */
	unsigned long pos;
};

static bool pasr_cost_less(const struct pasr_cost *a, const struct pasr_cost *b)
{
	if (a->broken != b->broken)
		return a->broken < b->broken;
	return a->pos < b->pos;
}

/* The sections of a context as find() sees them, taken once a call. */
struct pasr_view {
	const struct pasr_geometry *g;
	unsigned long free[PASR_MAX_DIES * PASR_MAX_SECTIONS];
	bool maskable[PASR_MAX_DIES * PASR_MAX_SECTIONS];
};

/* Is the section with no pair in the context unused as a whole? */
static bool pasr_outside_pair_free(const struct pasr_span *s)
{
	struct pasr_section_info me, pair;

	return !pasr_section_info(s->die, s->index, &me) && me.paired &&
	       !pasr_section_info(me.pair_die, me.pair_section, &pair) &&
	       pair.unused == pair.size;
}

/**
 * pasr_space_free_in() - free pages of an extent
 * @sp: the free pages of a context.
 * @first: the extent's first page.
 * @nr: its size; the part past the context counts as not free.
 *
 * Return: the free pages of [@first, @first + @nr).
 */
unsigned long pasr_space_free_in(const struct pasr_space *sp,
				 unsigned long first, unsigned long nr)
{
	if (!sp->scratch)
		return cmctx_free_pages_in(sp->ctx, first, nr);
	return cmctx_bitmap_free_in(sp->scratch, sp->nr_pages, first, nr);
}

/**
 * pasr_space_next_free() - the next free run of a context
 * @sp: its free pages.
 * @from: where to look from.
 * @len: set to the run's length, 0 when there is none.
 *
 * Return: the run's first page.
 */
unsigned long pasr_space_next_free(const struct pasr_space *sp,
				   unsigned long from, unsigned long *len)
{
	if (!sp->scratch)
		return cmctx_next_free_extent(sp->ctx, from, len);
	return cmctx_bitmap_next_free(sp->scratch, sp->nr_pages, from, len);
}

static void pasr_view_init(struct pasr_view *v, const struct pasr_space *sp,
			   const struct pasr_geometry *g)
{
	unsigned int i;

	v->g = g;
	for (i = 0; i < g->nr_spans; i++)
		v->free[i] = pasr_space_free_in(sp, g->spans[i].first, g->spans[i].nr);
	for (i = 0; i < g->nr_spans; i++) {
		const struct pasr_span *s = &g->spans[i];

		v->maskable[i] = v->free[i] == s->nr;
		if (!v->maskable[i] || s->pair == PASR_SPAN_NO_PAIR)
			continue;
		if (s->pair == PASR_SPAN_PAIR_OUTSIDE)
			v->maskable[i] = pasr_outside_pair_free(s);
		else
			v->maskable[i] = v->free[s->pair] == g->spans[s->pair].nr;
	}
}

/**
 * pasr_space_maskable() - the sections of a context that could be masked
 * @sp: its free pages.
 * @g: its geometry.
 * @free: filled with the free pages of each span of @g, or NULL.
 *
 * Return: the spans wholly free whose interleave pair, if any, is wholly
 * free too.
 */
unsigned int pasr_space_maskable(const struct pasr_space *sp,
				 const struct pasr_geometry *g,
				 unsigned long *free)
{
	struct pasr_view view;
	unsigned int i, n = 0;

	pasr_view_init(&view, sp, g);
	for (i = 0; i < g->nr_spans; i++) {
		n += view.maskable[i];
		if (free)
			free[i] = view.free[i];
	}
	return n;
}

static bool pasr_touches(const struct pasr_span *s, unsigned long pos,
			 unsigned long n)
{
	return pos < s->first + s->nr && pos + n > s->first;
}

/* The largest aligned offset at or below @offset, or ULONG_MAX. */
static unsigned long pasr_align_down(struct cmctx *ctx, unsigned long offset,
				     unsigned long align)
{
	unsigned long up = cmctx_align_offset(ctx, offset, align);

	if (up == offset)
		return offset;
	return up >= align ? up - align : ULONG_MAX;
}

/* Weighs [pos, pos + n) cut from the free run [a, b); keeps the best. */
static void pasr_consider(const struct pasr_view *v, const struct pasr_fit_rules *r,
			  unsigned long pos, unsigned long n, unsigned long a,
			  unsigned long b, struct pasr_cost *best)
{
	struct pasr_cost c = { .pos = pos };
	const struct pasr_geometry *g = v->g;
	unsigned int i;

	if (pos == ULONG_MAX || pos < a || pos > b || n > b - pos)
		return;
	if (r->keep_out_nr && pos < r->keep_out_first + r->keep_out_nr &&
	    pos + n > r->keep_out_first)
		return;
	for (i = 0; i < g->nr_spans; i++) {
		const struct pasr_span *s = &g->spans[i];

		if (!pasr_touches(s, pos, n))
			continue;
		if (r->avoid & BIT_ULL(i) || (r->keep_maskable && v->maskable[i]))
			return;
		/* A pair touched twice is one maskable unit lost. */
		if (v->maskable[i] &&
		    !(s->pair >= 0 && (unsigned int)s->pair < i &&
		      pasr_touches(&g->spans[s->pair], pos, n)))
			c.broken++;
	}
	if (pasr_cost_less(&c, best))
		*best = c;
}

/**
 * pasr_fit() - the best place for a chunk in a context, by the section rules
 * @sp: the context's free pages.
 * @g: its geometry.
 * @n: the chunk's size in pages.
 * @align: its alignment in pages (a power of two).
 * @r: what it must not touch.
 *
 * Return: the offset that breaks the fewest maskable sections, then the
 * lowest, among those @r allows; or -ENOSPC.
 */
long pasr_fit(const struct pasr_space *sp, const struct pasr_geometry *g,
	      unsigned long n, unsigned long align, const struct pasr_fit_rules *r)
{
	struct pasr_cost best = { .broken = UINT_MAX };
	struct pasr_view view, *v = &view;
	struct cmctx *ctx = sp->ctx;
	unsigned long a, len, b, t;
	unsigned int i;

	pasr_view_init(v, sp, g);
	for (a = pasr_space_next_free(sp, r->from, &len); len;
	     a = pasr_space_next_free(sp, b, &len)) {
		b = a + len;
		if (len < n)
			continue;
		pasr_consider(v, r, cmctx_align_offset(ctx, a, align), n, a, b, &best);
		pasr_consider(v, r, pasr_align_down(ctx, b - n, align), n, a, b, &best);
		for (i = 0; i < g->nr_spans; i++) {
			t = g->spans[i].first;
			if (t > a && t < b) {
				pasr_consider(v, r, cmctx_align_offset(ctx, t, align),
					      n, a, b, &best);
				if (t >= n)
					pasr_consider(v, r, pasr_align_down(ctx, t - n, align),
						      n, a, b, &best);
			}
			t += g->spans[i].nr;
			if (t > a && t < b && t >= n)
				pasr_consider(v, r, pasr_align_down(ctx, t - n, align),
					      n, a, b, &best);
		}
	}
	return best.broken == UINT_MAX ? -ENOSPC : (long)best.pos;
}

static long pasr_placement_find(struct cmctx *ctx, unsigned long from,
				unsigned long n, unsigned long align)
{
	struct pasr_space sp = { .ctx = ctx, .nr_pages = cmctx_nr_pages(ctx) };
	struct pasr_fit_rules rules = { .from = from };
	const struct pasr_geometry *g;

	g = pasr_feed_geometry(ctx);
	if (!g)
		return -ENOSPC;
	return pasr_fit(&sp, g, n, align, &rules);
}

const struct cmctx_placement_ops pasr_placement = {
	.name = "pasr-sections",
	.find = pasr_placement_find,
	.make_room = pasr_make_room,
};
