// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx range: the seam with the page allocator. Checking that a range is
 * memory a context may cover, taking extents of it out of the page
 * allocator (alloc_contig_range(), which migrates what lives there),
 * giving pages back, and marking the pageblocks that can never be taken.
 * Nothing here knows about contexts' lists or chunks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sched/signal.h>

#include "cmctx_internal.h"
#include "kcompat.h"

/* Tries of a busy step, and the pause between two (see cmctx_take_range()). */
#define CMCTX_TAKE_TRIES	10
#define CMCTX_TAKE_PAUSE_MS	50
/* Pages per alloc_contig_range() call: whole MAX_ORDER blocks, 4 MiB on x86. */
#define CMCTX_TAKE_STEP		MAX_ORDER_NR_PAGES

/*
 * Checks that every page frame of the range is online memory of one zone,
 * ZONE_MOVABLE for a shared context. Returns NULL or what is wrong.
 */
const char *cmctx_check_memory(unsigned long start_pfn, unsigned long nr_pages,
			       bool shared)
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
 * Drop our reference on each page of an extent of a shared context, as
 * free_contig_range() does, but without its warning: a page somebody else
 * still holds (a pipe after vmsplice() of a user mapping, I/O in flight) is
 * not a bug of ours. It goes to the page allocator when they let go; until
 * then alloc_contig_range() cannot take it, so a chunk placed over it is
 * retried elsewhere. Returns how many pages were still held.
 */
unsigned long cmctx_give_back(unsigned long pfn, unsigned long nr_pages)
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
 * Take [@pfn, @pfn + @nr_pages) from the page allocator in steps of at
 * most CMCTX_TAKE_STEP pages, aligned to it: alloc_contig_range() migrates
 * and (init_on_alloc) clears its whole range without rescheduling, and a
 * 64 MiB range held a guest CPU long enough for an RCU stall report under
 * TCG; but each call also has a fixed price (an expedited RCU grace period
 * and an LRU drain on every CPU in lru_cache_disable(), drain_all_pages(),
 * isolating its pageblocks and back), and a step boundary inside a
 * MAX_ORDER block splits the free buddy page across it (with steps of one
 * pageblock a 32 MiB chunk took 1.3-1.4 times as long as one of the
 * kernel's CMA heap, 1.1 with these: docs/benchmarks.md, contig d). A
 * fatal signal stops it between steps (alloc_contig_range() also checks
 * for one while it migrates): -EINTR. With @patient (a private context
 * taking its range, which has nowhere else to go), a step of ZONE_MOVABLE
 * that fails with -EBUSY is tried again, CMCTX_TAKE_TRIES times in all,
 * CMCTX_TAKE_PAUSE_MS apart, before the whole call fails: every page there
 * but boot reservations is movable, so one that cannot move is mostly held
 * for a moment (under I/O, by a short get_page()), while elsewhere it may
 * be unmovable for good. A shared context's allocation moves on to another
 * extent instead (cmctx_place()). On failure, what was taken goes back.
 * Shared contexts call it under their migrate_lock.
 */
int cmctx_take_range(unsigned long pfn, unsigned long nr_pages, bool patient)
{
	unsigned long done = 0, step;
	unsigned int tries = 0;
	int ret = 0;

	while (done < nr_pages) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		step = CMCTX_TAKE_STEP - ((pfn + done) & (CMCTX_TAKE_STEP - 1));
		step = min(step, nr_pages - done);
		ret = kcompat_alloc_contig_movable(pfn + done, pfn + done + step,
						   GFP_KERNEL | __GFP_NOWARN);
		if (patient && ret == -EBUSY &&
		    page_zonenum(pfn_to_page(pfn + done)) == ZONE_MOVABLE &&
		    ++tries < CMCTX_TAKE_TRIES) {
			msleep(CMCTX_TAKE_PAUSE_MS);
			continue;
		}
		if (ret)
			break;
		tries = 0;
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
void cmctx_mark_unusable(struct cmctx *ctx)
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
