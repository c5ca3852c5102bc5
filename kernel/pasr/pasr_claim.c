// SPDX-License-Identifier: GPL-2.0-only
/*
 * Claiming idle sections of shared contexts. A shared context's free
 * memory is the page allocator's, which fills it with page cache and
 * anonymous memory, so its sections are never unused on their own. Just
 * before the system suspends (a PM notifier) and on demand (debugfs), the
 * sections that lie wholly in a shared context of context= are taken from
 * the page allocator with cmctx_alloc_at(), which migrates what lives
 * there (clean page cache is dropped rather than moved), cheapest first
 * (fewest pages in use), and put, so masked; after resume (or on demand)
 * they are got back and freed.
 *
 * The budget, module parameters of pasr.ko, is the user's trade-off
 * between power and the time the claim adds to each suspend:
 *   claim_pages  at most this many pages in use in the sections taken (the
 *                migration's work), counted before each section;
 *   claim_ms     no new section once this many milliseconds have passed.
 * Each cycle is reported in the kernel log and in debugfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/suspend.h>
#include <linux/vmstat.h>

#include "cmctx.h"
#include "kcompat.h"
#include "pasr_internal.h"

static unsigned int claim_pages = 16384;
module_param(claim_pages, uint, 0644);
MODULE_PARM_DESC(claim_pages, "Claim at suspend: at most this many pages in use moved out of claimed sections (default: 16384, 64 MiB)");

static unsigned int claim_ms = 250;
module_param(claim_ms, uint, 0644);
MODULE_PARM_DESC(claim_ms, "Claim at suspend: no new section after this many milliseconds (default: 250)");

static bool claim_at_suspend = true;
module_param(claim_at_suspend, bool, 0644);
MODULE_PARM_DESC(claim_at_suspend, "Claim idle sections of shared contexts when the system suspends (default: on)");

#define PASR_MAX_SHARED	4
#define PASR_MAX_CLAIMS	(PASR_MAX_DIES * PASR_MAX_SECTIONS)

/* A section a claim may take: where, and what it costs. */
struct pasr_candidate {
	struct cmctx *ctx;
	unsigned long first;	/* in the context */
	unsigned long nr_pages;
	unsigned long in_use;	/* pages not free in the page allocator */
};

/* A section taken. */
struct pasr_claimed {
	struct cmctx_chunk *chunk;
	phys_addr_t phys;
	u64 size;
};

/**
 * struct pasr_claims - the shared contexts and what is claimed from them
 * @lock: protects every field; held across a whole claim or release.
 * @ctx: the shared contexts of context=, referenced.
 * @nr_ctx: entries of @ctx.
 * @claimed: the sections held now.
 * @nr_claimed: entries of @claimed.
 * @last: the report of the last claim.
 * @cycles: claims made.
 */
struct pasr_claims {
	struct mutex lock;
	struct cmctx *ctx[PASR_MAX_SHARED];
	unsigned int nr_ctx;
	struct pasr_claimed claimed[PASR_MAX_CLAIMS];
	unsigned int nr_claimed;
	struct pasr_claim_report last;
	u64 cycles;
};

static struct pasr_claims pasr_claims = {
	.lock = __MUTEX_INITIALIZER(pasr_claims.lock),
};

/*
 * Pages of [pfn, pfn + nr) not free in the page allocator. Read without
 * the zone lock: an estimate, which is all the ordering needs.
 */
static unsigned long pasr_pages_in_use(unsigned long pfn, unsigned long nr)
{
	unsigned long end = pfn + nr, in_use = 0, order;

	while (pfn < end) {
		struct page *page = pfn_to_page(pfn);

		if (PageBuddy(page)) {
			order = min_t(unsigned long, page_private(page), KCOMPAT_MAX_BUDDY_ORDER);
			pfn += 1ul << order;
			continue;
		}
		in_use++;
		pfn++;
		if (!(pfn & 1023))
			cond_resched();
	}
	return in_use;
}

static int pasr_candidate_cmp(const void *a, const void *b)
{
	const struct pasr_candidate *x = a, *y = b;

	if (x->in_use != y->in_use)
		return x->in_use < y->in_use ? -1 : 1;
	return 0;
}

/* Whole sections of @ctx into @c; returns how many were added. */
static unsigned int pasr_candidates_of(struct cmctx *ctx, struct pasr_candidate *c,
				       unsigned int room)
{
	phys_addr_t base = PFN_PHYS(cmctx_start_pfn(ctx));
	struct pasr_geometry *g;
	struct pasr_section_info s;
	unsigned int i, n = 0;

	g = kmalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return 0;
	pasr_geometry_of(g, base, cmctx_nr_pages(ctx));
	for (i = 0; i < g->nr_spans && n < room; i++) {
		const struct pasr_span *span = &g->spans[i];

		/* Only sections wholly in the context can become unused. */
		if (pasr_section_info(span->die, span->index, &s) ||
		    span->nr != s.size >> PAGE_SHIFT || s.unused == s.size)
			continue;
		c[n++] = (struct pasr_candidate){
			.ctx = ctx, .first = span->first, .nr_pages = span->nr,
			.in_use = pasr_pages_in_use(cmctx_start_pfn(ctx) + span->first,
						    span->nr),
		};
	}
	kfree(g);
	return n;
}

static unsigned long pasr_migrated_events(void)
{
	unsigned long *events, n = 0;

	events = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*events), GFP_KERNEL);
	if (!events)
		return 0;
	all_vm_events(events);
	n = events[PGMIGRATE_SUCCESS];
	kfree(events);
	return n;
}

/* Takes one candidate: 0, or why not. Called with the lock held. */
static int pasr_take(struct pasr_claims *pc, const struct pasr_candidate *c)
{
	struct pasr_claimed *cl = &pc->claimed[pc->nr_claimed];
	int ret;

	cl->chunk = cmctx_alloc_at(c->ctx, c->first, c->nr_pages);
	if (IS_ERR(cl->chunk))
		return PTR_ERR(cl->chunk);
	cl->phys = PFN_PHYS(cmctx_start_pfn(c->ctx) + c->first);
	cl->size = (u64)c->nr_pages << PAGE_SHIFT;
	ret = pasr_put(cl->phys, cl->size);
	if (ret) {
		cmctx_free(cl->chunk);
		return ret;
	}
	pc->nr_claimed++;
	return 0;
}

/* Gives every claimed section back. Called with the lock held. */
static void pasr_release_locked(struct pasr_claims *pc)
{
	while (pc->nr_claimed) {
		struct pasr_claimed *cl = &pc->claimed[--pc->nr_claimed];

		pasr_get(cl->phys, cl->size);
		cmctx_free(cl->chunk);
	}
}

/**
 * pasr_claim() - claim the cheapest idle sections of the shared contexts
 * @report: filled in with what was done (may be NULL).
 *
 * Sections already claimed are kept. Sleeps (migration).
 *
 * Return: 0, or -EINTR when a fatal signal stopped it (what was claimed
 * stays claimed).
 */
int pasr_claim(struct pasr_claim_report *report)
{
	struct pasr_claims *pc = &pasr_claims;
	struct pasr_candidate *c;
	struct pasr_power power;
	struct pasr_stats st;
	unsigned long migrated;
	unsigned int n = 0, i;
	ktime_t start;
	int ret = 0;

	c = kcalloc(PASR_MAX_CLAIMS, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	mutex_lock(&pc->lock);
	start = ktime_get();
	migrated = pasr_migrated_events();
	memset(&pc->last, 0, sizeof(pc->last));
	for (i = 0; i < pc->nr_ctx; i++)
		n += pasr_candidates_of(pc->ctx[i], c + n, PASR_MAX_CLAIMS - n);
	sort(c, n, sizeof(*c), pasr_candidate_cmp, NULL);
	pc->last.candidates = n;
	for (i = 0; i < n && pc->nr_claimed < PASR_MAX_CLAIMS; i++) {
		if (ktime_ms_delta(ktime_get(), start) >= claim_ms ||
		    pc->last.pages_in_use + c[i].in_use > claim_pages) {
			pc->last.over_budget = n - i;
			break;
		}
		ret = pasr_take(pc, &c[i]);
		if (ret == -EINTR)
			break;
		if (ret) {
			pc->last.failed++;
			ret = 0;
			continue;
		}
		pc->last.claimed++;
		pc->last.pages_in_use += c[i].in_use;
	}
	pc->last.pages_migrated = pasr_migrated_events() - migrated;
	pc->last.us = ktime_us_delta(ktime_get(), start);
	pasr_get_stats(&st);
	pc->last.masked = st.masked;
	pc->last.sections = st.nr_sections;
	if (!pasr_power(&power)) {
		pc->last.power_uw = power.now_uw;
		pc->last.full_power_uw = power.full_uw;
	}
	pc->last.held = pc->nr_claimed;
	pc->cycles++;
	if (report)
		*report = pc->last;
	mutex_unlock(&pc->lock);
	kfree(c);
	return ret;
}

/**
 * pasr_claim_release() - give every claimed section back
 *
 * Return: how many sections were given back.
 */
unsigned int pasr_claim_release(void)
{
	struct pasr_claims *pc = &pasr_claims;
	unsigned int n;

	mutex_lock(&pc->lock);
	n = pc->nr_claimed;
	pasr_release_locked(pc);
	mutex_unlock(&pc->lock);
	return n;
}

/**
 * pasr_claim_show() - the last claim's report, for debugfs
 * @m: the file.
 */
void pasr_claim_show(struct seq_file *m)
{
	struct pasr_claims *pc = &pasr_claims;
	const struct pasr_claim_report *r = &pc->last;

	mutex_lock(&pc->lock);
	seq_printf(m, "contexts %u\ncycles %llu\nheld %u\n", pc->nr_ctx,
		   pc->cycles, pc->nr_claimed);
	seq_printf(m, "candidates %u\nclaimed %u\nfailed %u\nover_budget %u\n",
		   r->candidates, r->claimed, r->failed, r->over_budget);
	seq_printf(m, "pages_in_use %lu\npages_migrated %lu\nus %llu\n",
		   r->pages_in_use, r->pages_migrated, r->us);
	seq_printf(m, "masked %u\nsections %u\npower_uw %llu\nfull_power_uw %llu\n",
		   r->masked, r->sections, r->power_uw, r->full_power_uw);
	seq_printf(m, "budget_pages %u\nbudget_ms %u\n", claim_pages, claim_ms);
	mutex_unlock(&pc->lock);
}

static void pasr_claim_log(const char *when, const struct pasr_claim_report *r)
{
	pr_info("%s: claimed %u sections (%u failed, %u over budget), %lu pages in use moved (%lu migrated), %llu.%03llu ms; %u of %u sections masked, %llu of %llu uW\n",
		when, r->claimed, r->failed, r->over_budget, r->pages_in_use,
		r->pages_migrated, r->us / 1000, r->us % 1000, r->masked,
		r->sections, r->power_uw, r->full_power_uw);
}

static int pasr_pm_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct pasr_claim_report r;

	if (!claim_at_suspend)
		return NOTIFY_DONE;
	switch (action) {
	case PM_SUSPEND_PREPARE:
		if (!pasr_claim(&r))
			pasr_claim_log("suspend", &r);
		break;
	case PM_POST_SUSPEND:
		pr_info("resume: %u claimed sections given back\n",
			pasr_claim_release());
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pasr_pm_nb = {
	.notifier_call = pasr_pm_notify,
};

/**
 * pasr_claim_init() - follow the shared contexts of a comma-separated list
 * @names: context names; private and missing ones are skipped.
 */
void pasr_claim_init(const char *names)
{
	struct pasr_claims *pc = &pasr_claims;
	char *copy, *cursor, *name;
	struct cmctx *ctx;

	copy = kstrdup(names, GFP_KERNEL);
	if (!copy)
		return;
	cursor = copy;
	while ((name = strsep(&cursor, ",")) && pc->nr_ctx < PASR_MAX_SHARED) {
		ctx = *name ? cmctx_get(name) : NULL;
		if (!ctx)
			continue;
		if (cmctx_flags(ctx) & CMCTX_PRIVATE) {
			cmctx_put(ctx);
			continue;
		}
		pc->ctx[pc->nr_ctx++] = ctx;
		pr_info("context %s: shared, its idle sections are claimed at suspend\n",
			name);
	}
	kfree(copy);
	if (pc->nr_ctx)
		register_pm_notifier(&pasr_pm_nb);
}

/** pasr_claim_exit() - give everything back and stop following the contexts */
void pasr_claim_exit(void)
{
	struct pasr_claims *pc = &pasr_claims;

	if (pc->nr_ctx)
		unregister_pm_notifier(&pasr_pm_nb);
	mutex_lock(&pc->lock);
	pasr_release_locked(pc);
	while (pc->nr_ctx)
		cmctx_put(pc->ctx[--pc->nr_ctx]);
	mutex_unlock(&pc->lock);
}
