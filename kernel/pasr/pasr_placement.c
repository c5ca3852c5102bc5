// SPDX-License-Identifier: GPL-2.0-only
/*
 * Section-aware placement: a cmctx placement policy for the contexts that
 * feed PASR. A new chunk goes where it keeps the most sections wholly free,
 * so masked: among the free extents that can hold it, the one that breaks
 * the fewest wholly free sections, then the one in the fullest sections
 * (fewest free pages in the sections it touches), then the lowest. A
 * fresh section is broken only when no used one has room.
 *
 * Candidates are few: in each free run of the context, the chunk placed at
 * the run's start, at its end, and starting or ending at each section
 * boundary inside it (aligned as asked). find() runs under the context's
 * spinlock; its cost is the free runs times the section boundaries times
 * the sections, at most a few thousand steps for 64 sections.
 */
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
	struct pasr_section_info s;
	struct pasr_die_info die;
	unsigned int d, i;

	g->nr_spans = 0;
	for (d = 0; !pasr_die_info(d, &die); d++) {
		for (i = 0; i < die.nr_sections && !pasr_section_info(d, i, &s); i++) {
			s_start = max_t(u64, s.base, base);
			s_end = min_t(u64, s.base + s.size, ctx_end);
			if (s_start >= s_end)
				continue;
			g->spans[g->nr_spans].first = (s_start - base) >> PAGE_SHIFT;
			g->spans[g->nr_spans].nr = (s_end - s_start) >> PAGE_SHIFT;
			g->nr_spans++;
		}
	}
}

/* The cost of [pos, pos + n): lower is better, compared in order. */
struct pasr_cost {
	unsigned int broken;	/* wholly free sections it would use */
	unsigned long free;	/* free pages of the sections it touches */
	unsigned long pos;
};

static bool pasr_cost_less(const struct pasr_cost *a, const struct pasr_cost *b)
{
	if (a->broken != b->broken)
		return a->broken < b->broken;
	if (a->free != b->free)
		return a->free < b->free;
	return a->pos < b->pos;
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

static void pasr_consider(const struct pasr_geometry *g, const unsigned long *free,
			  unsigned long pos, unsigned long n, unsigned long a,
			  unsigned long b, struct pasr_cost *best)
{
	struct pasr_cost c = { .pos = pos };
	unsigned int i;

	if (pos == ULONG_MAX || pos < a || pos > b || n > b - pos)
		return;
	for (i = 0; i < g->nr_spans; i++) {
		const struct pasr_span *s = &g->spans[i];

		if (pos >= s->first + s->nr || pos + n <= s->first)
			continue;
		c.broken += free[i] == s->nr;
		c.free += free[i];
	}
	if (pasr_cost_less(&c, best))
		*best = c;
}

static long pasr_placement_find(struct cmctx *ctx, unsigned long from,
				unsigned long n, unsigned long align)
{
	struct pasr_cost best = { .broken = UINT_MAX };
	unsigned long free[PASR_MAX_DIES * PASR_MAX_SECTIONS];
	const struct pasr_geometry *g;
	unsigned long a, len, b, t;
	unsigned int i;

	g = pasr_feed_geometry(ctx);
	if (!g)
		return -ENOSPC;
	for (i = 0; i < g->nr_spans; i++)
		free[i] = cmctx_free_pages_in(ctx, g->spans[i].first, g->spans[i].nr);
	for (a = cmctx_next_free_extent(ctx, from, &len); len;
	     a = cmctx_next_free_extent(ctx, b, &len)) {
		b = a + len;
		if (len < n)
			continue;
		pasr_consider(g, free, cmctx_align_offset(ctx, a, align), n, a, b, &best);
		pasr_consider(g, free, pasr_align_down(ctx, b - n, align), n, a, b, &best);
		for (i = 0; i < g->nr_spans; i++) {
			t = g->spans[i].first;
			if (t > a && t < b) {
				pasr_consider(g, free, cmctx_align_offset(ctx, t, align),
					      n, a, b, &best);
				if (t >= n)
					pasr_consider(g, free,
						      pasr_align_down(ctx, t - n, align),
						      n, a, b, &best);
			}
			t += g->spans[i].nr;
			if (t > a && t < b && t >= n)
				pasr_consider(g, free, pasr_align_down(ctx, t - n, align),
					      n, a, b, &best);
		}
	}
	return best.broken == UINT_MAX ? -ENOSPC : (long)best.pos;
}

const struct cmctx_placement_ops pasr_placement = {
	.name = "pasr-sections",
	.find = pasr_placement_find,
};
