// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx_test: drives cmctx from inside the kernel for igt-tests/cmctx_basic.
 *
 * /sys/kernel/debug/cmctx_test/run takes one command per write and keeps the
 * result of the last one for reading: "ok[ ...]", "skip: <why>" or
 * "fail: <why>".
 *
 *   <scenario>           one of the scenarios below (and "move", in
 *                        cmctx_test_move.c), on private contexts it
 *                        creates and destroys itself ("shared" uses the
 *                        context "movable0", and "concurrent" uses it too
 *                        when it exists)
 *   alloc <ctx> <MiB>    allocate a chunk in the named context, check that
 *                        it is contiguous and that its memory holds what is
 *                        written through its kernel mapping, keep it;
 *                        answers "ok <id>"
 *   free <id>            free a chunk kept by alloc
 *
 * Unloading frees whatever alloc kept.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "cmctx.h"
#include "cmctx_test.h"
#include "kcompat.h"

#define RESULT_LEN	256
#define TEST_CTX_PAGES	(8ul << (20 - PAGE_SHIFT))	/* 8 MiB */
#define MIB		(1ul << 20)

/* Protects result, kept and next_id, and runs one command at a time. */
static DEFINE_MUTEX(test_lock);
static char result[RESULT_LEN];
static LIST_HEAD(kept);
static unsigned int next_id = 1;
static struct dentry *test_dir;

/* A chunk kept by "alloc" with the context reference it holds. */
struct kept_chunk {
	struct list_head node;
	unsigned int id;
	struct cmctx *ctx;
	struct cmctx_chunk *chunk;
};

#define FAIL_IF(cond, ...) do {						\
	if (cond) {							\
		snprintf(result, sizeof(result), "fail: " __VA_ARGS__);	\
		goto out;						\
	}								\
} while (0)

/*
 * A private context of @nr_pages pages: tries pageblock-aligned ranges from
 * the top of each zone below ZONE_MOVABLE downwards until one can be taken.
 */
static struct cmctx *private_context(const char *name, unsigned long nr_pages,
				     unsigned long *start_pfn)
{
	int nid = first_online_node, z, tries;

	for (z = ZONE_MOVABLE - 1; z >= 0; z--) {
		struct zone *zone = &NODE_DATA(nid)->node_zones[z];
		unsigned long end;

		if (!populated_zone(zone))
			continue;
		end = ALIGN_DOWN(zone_end_pfn(zone), pageblock_nr_pages);
		for (tries = 0; tries < 16; tries++, end -= nr_pages) {
			struct cmctx *ctx;

			if (end < zone->zone_start_pfn + nr_pages)
				break;
			ctx = cmctx_create(name, end - nr_pages, nr_pages, 0,
					   CMCTX_PRIVATE);
			if (!IS_ERR(ctx)) {
				*start_pfn = end - nr_pages;
				return ctx;
			}
		}
	}
	return ERR_PTR(-EBUSY);
}

/**
 * cmctx_test_private_context() - a private context for a scenario
 * @name: its name.
 * @nr_pages: its size.
 * @start_pfn: set to its first page frame.
 *
 * Return: the context, or ERR_PTR(-EBUSY) when none could be created.
 */
struct cmctx *cmctx_test_private_context(const char *name,
					 unsigned long nr_pages,
					 unsigned long *start_pfn)
{
	return private_context(name, nr_pages, start_pfn);
}

/* The scenarios of other files answer NULL or why they failed. */
static void scenario_move(void)
{
	const char *why = cmctx_test_move();

	snprintf(result, sizeof(result), why ? "fail: %s" : "ok", why);
}

static unsigned long chunk_pfn(struct cmctx_chunk *chunk)
{
	return page_to_pfn(cmctx_chunk_page(chunk));
}

static u64 pattern(unsigned long i)
{
	return 0x9e3779b97f4a7c15ull * (i + 1);
}

/*
 * Writes through the chunk's kernel mapping, reads back page by page
 * through each struct page: a mapping of the wrong pages shows. One word
 * per 64 bytes keeps big chunks quick under KASAN.
 */
static const char *check_memory(struct cmctx_chunk *chunk)
{
	unsigned long i, nr_pages = cmctx_chunk_size(chunk) >> PAGE_SHIFT;
	struct page *first = cmctx_chunk_page(chunk);
	const unsigned long per_page = PAGE_SIZE / 64;
	const char *why = NULL;
	u64 *vaddr;

	for (i = 0; i < nr_pages; i++) {
		if (page_to_pfn(first + i) != page_to_pfn(first) + i)
			return "pages are not consecutive";
		if (page_zone(first + i) != page_zone(first))
			return "pages are in different zones";
		if (page_count(first + i) != 1)
			return "a page has a reference count other than 1";
	}
	vaddr = cmctx_vmap(chunk);
	if (IS_ERR(vaddr))
		return "cmctx_vmap() failed";
	for (i = 0; i < nr_pages * per_page; i++)
		vaddr[i * 8] = pattern(i);
	for (i = 0; i < nr_pages && !why; i++) {
		u64 *page = kmap_local_page(first + i);
		unsigned long j;

		for (j = 0; j < per_page; j++)
			if (page[j * 8] != pattern(i * per_page + j))
				why = "memory read through the pages differs from what the mapping wrote";
		kunmap_local(page);
		cond_resched();
	}
	cmctx_vunmap(chunk);
	return why;
}

static void scenario_private(void)
{
	struct cmctx_chunk *chunk = NULL;
	struct cmctx_stats stats;
	unsigned long start;
	struct cmctx *ctx;
	const char *why;

	ctx = private_context("test-private", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.nr_pages != TEST_CTX_PAGES || stats.used_pages ||
		stats.largest_free != TEST_CTX_PAGES,
		"fresh context: %lu pages, %lu used, %lu largest free",
		stats.nr_pages, stats.used_pages, stats.largest_free);
	chunk = cmctx_alloc(ctx, MIB + 1, 0);
	FAIL_IF(IS_ERR(chunk), "alloc: %ld", PTR_ERR(chunk));
	FAIL_IF(cmctx_chunk_size(chunk) != MIB + PAGE_SIZE,
		"size %zu for 1 MiB + 1 byte", cmctx_chunk_size(chunk));
	FAIL_IF(chunk_pfn(chunk) < start ||
		chunk_pfn(chunk) + 257 > start + TEST_CTX_PAGES,
		"chunk outside the context");
	FAIL_IF(cmctx_pin(chunk), "pin");
	why = check_memory(chunk);
	cmctx_unpin(chunk);
	FAIL_IF(why, "%s", why);
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.used_pages != 257 || stats.chunks != 1 ||
		stats.allocs != 1 || stats.misuse,
		"after alloc: used %lu chunks %lu allocs %llu misuse %llu",
		stats.used_pages, stats.chunks, stats.allocs, stats.misuse);
	FAIL_IF(cmctx_free(chunk), "free");
	chunk = NULL;
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.used_pages || stats.chunks, "after free: used %lu chunks %lu",
		stats.used_pages, stats.chunks);
	FAIL_IF(cmctx_destroy(ctx), "destroy");
	ctx = NULL;
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR_OR_NULL(chunk))
		cmctx_free(chunk);
	if (!IS_ERR_OR_NULL(ctx))
		cmctx_destroy(ctx);
}

static void scenario_exhaustion(void)
{
	struct cmctx_chunk *chunks[9] = {};
	struct cmctx_stats stats;
	struct cmctx_chunk *again;
	unsigned long start;
	struct cmctx *ctx;
	unsigned int i, n;

	ctx = private_context("test-exhaustion", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	for (n = 0; n < ARRAY_SIZE(chunks); n++) {
		chunks[n] = cmctx_alloc(ctx, MIB, 0);
		if (IS_ERR(chunks[n]))
			break;
	}
	FAIL_IF(n != 8, "%u chunks of 1 MiB in 8 MiB", n);
	FAIL_IF(PTR_ERR(chunks[8]) != -ENOMEM, "full: %ld, not -ENOMEM",
		PTR_ERR(chunks[8]));
	chunks[8] = NULL;
	again = cmctx_alloc(ctx, 16 * MIB, 0);
	FAIL_IF(PTR_ERR(again) != -ENOMEM, "bigger than the context: %ld",
		PTR_ERR(again));
	again = cmctx_alloc(ctx, SIZE_MAX, 0);
	FAIL_IF(PTR_ERR(again) != -ENOMEM, "SIZE_MAX: %ld", PTR_ERR(again));
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.alloc_failures != 3 || stats.largest_free ||
		stats.used_pages != TEST_CTX_PAGES,
		"full: failures %llu largest free %lu used %lu",
		stats.alloc_failures, stats.largest_free, stats.used_pages);
	FAIL_IF(cmctx_free(chunks[3]), "free");
	again = cmctx_alloc(ctx, MIB, 0);
	FAIL_IF(IS_ERR(again), "alloc after a free: %ld", PTR_ERR(again));
	chunks[3] = again;
	FAIL_IF(chunk_pfn(again) != start + 3 * (MIB >> PAGE_SHIFT),
		"first fit did not reuse the freed extent");
	snprintf(result, sizeof(result), "ok");
out:
	for (i = 0; i < ARRAY_SIZE(chunks); i++)
		if (!IS_ERR_OR_NULL(chunks[i]))
			cmctx_free(chunks[i]);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

static void scenario_alignment(void)
{
	struct cmctx_chunk *a = NULL, *b = NULL, *c = NULL, *bad;
	unsigned long start;
	struct cmctx *ctx;

	ctx = private_context("test-alignment", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	a = cmctx_alloc(ctx, PAGE_SIZE, 0);
	FAIL_IF(IS_ERR(a), "one page: %ld", PTR_ERR(a));
	b = cmctx_alloc(ctx, PAGE_SIZE, MIB);
	FAIL_IF(IS_ERR(b), "1 MiB aligned: %ld", PTR_ERR(b));
	FAIL_IF(!IS_ALIGNED(chunk_pfn(b), MIB >> PAGE_SHIFT) ||
		chunk_pfn(b) == chunk_pfn(a), "1 MiB alignment not kept");
	c = cmctx_alloc(ctx, 3 * PAGE_SIZE, 4 * MIB);
	FAIL_IF(IS_ERR(c), "4 MiB aligned: %ld", PTR_ERR(c));
	FAIL_IF(!IS_ALIGNED(chunk_pfn(c), 4 * MIB >> PAGE_SHIFT),
		"4 MiB alignment not kept");
	bad = cmctx_alloc(ctx, PAGE_SIZE, 16 * MIB);
	FAIL_IF(PTR_ERR(bad) != -ENOMEM, "16 MiB alignment in 8 MiB: %ld",
		PTR_ERR(bad));
	bad = cmctx_alloc(ctx, PAGE_SIZE, 3 * PAGE_SIZE);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "alignment not a power of two: %ld",
		PTR_ERR(bad));
	bad = cmctx_alloc(ctx, PAGE_SIZE, PAGE_SIZE / 2);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "alignment under a page: %ld",
		PTR_ERR(bad));
	bad = cmctx_alloc(ctx, 0, 0);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "size 0: %ld", PTR_ERR(bad));
	bad = cmctx_alloc(NULL, PAGE_SIZE, 0);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "no context: %ld", PTR_ERR(bad));
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR_OR_NULL(c))
		cmctx_free(c);
	if (!IS_ERR_OR_NULL(b))
		cmctx_free(b);
	if (!IS_ERR_OR_NULL(a))
		cmctx_free(a);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

static void scenario_invalid_create(void)
{
	struct cmctx *ctx, *bad;
	unsigned long start;

	ctx = private_context("test-invalid", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	bad = cmctx_create(NULL, start, 512, 0, CMCTX_PRIVATE);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "no name: %ld", PTR_ERR(bad));
	bad = cmctx_create("a/b", start, 512, 0, CMCTX_PRIVATE);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "name with a slash: %ld", PTR_ERR(bad));
	bad = cmctx_create("test-invalid", start - 512, 512, 0, CMCTX_PRIVATE);
	FAIL_IF(PTR_ERR(bad) != -EEXIST, "name in use: %ld", PTR_ERR(bad));
	bad = cmctx_create("test-overlap", start + 512, 512, 0, CMCTX_PRIVATE);
	FAIL_IF(PTR_ERR(bad) != -EBUSY, "overlap: %ld", PTR_ERR(bad));
	bad = cmctx_create("test-bad", start, 0, 0, CMCTX_PRIVATE);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "empty: %ld", PTR_ERR(bad));
	bad = cmctx_create("test-bad", ULONG_MAX - 1, 512, 0, CMCTX_PRIVATE);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "wrapping: %ld", PTR_ERR(bad));
	bad = cmctx_create("test-bad", start, 512, 0, 0x80);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "unknown flag: %ld", PTR_ERR(bad));
	bad = cmctx_create("test-bad", start, 512, 3 * PAGE_SIZE, CMCTX_PRIVATE);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "odd min_align: %ld", PTR_ERR(bad));
	/* Shared: not whole pageblocks, then not in ZONE_MOVABLE. */
	bad = cmctx_create("test-bad", start - 100, 100, 0, 0);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "shared, part of a pageblock: %ld",
		PTR_ERR(bad));
	bad = cmctx_create("test-bad", start - pageblock_nr_pages,
			   pageblock_nr_pages, 0, 0);
	FAIL_IF(PTR_ERR(bad) != -EINVAL, "shared outside ZONE_MOVABLE: %ld",
		PTR_ERR(bad));
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

static void scenario_pin_vmap(void)
{
	struct cmctx_chunk *chunk = NULL;
	struct cmctx_stats stats;
	unsigned long start;
	struct cmctx *ctx;
	u8 *v1, *v2;

	ctx = private_context("test-pin-vmap", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	chunk = cmctx_alloc(ctx, 4 * PAGE_SIZE, 0);
	FAIL_IF(IS_ERR(chunk), "alloc: %ld", PTR_ERR(chunk));
	FAIL_IF(cmctx_pin(chunk) || cmctx_pin(chunk), "pin");
	cmctx_unpin(chunk);
	FAIL_IF(cmctx_free(chunk) != -EBUSY, "free with one of two pins left");
	cmctx_unpin(chunk);
	v1 = cmctx_vmap(chunk);
	FAIL_IF(IS_ERR(v1), "vmap: %ld", PTR_ERR(v1));
	v2 = cmctx_vmap(chunk);
	FAIL_IF(v2 != v1, "a nested vmap gave another address");
	memset(v1, 0x5a, 4 * PAGE_SIZE);
	cmctx_vunmap(chunk);
	/* Still mapped once: the address must work. */
	FAIL_IF(v1[4 * PAGE_SIZE - 1] != 0x5a, "mapping lost after one vunmap");
	cmctx_vunmap(chunk);
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.misuse != 1, "misuse %llu, expected 1", stats.misuse);
	FAIL_IF(cmctx_free(chunk), "free after balanced pins and vmaps");
	chunk = NULL;
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR_OR_NULL(chunk))
		cmctx_free(chunk);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

static void scenario_misuse(void)
{
	struct cmctx_chunk *chunk = NULL;
	struct cmctx_stats stats;
	unsigned long start;
	struct cmctx *ctx;
	void *vaddr;

	ctx = private_context("test-misuse", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	chunk = cmctx_alloc(ctx, PAGE_SIZE, 0);
	FAIL_IF(IS_ERR(chunk), "alloc: %ld", PTR_ERR(chunk));
	FAIL_IF(cmctx_pin(chunk), "pin");
	FAIL_IF(cmctx_free(chunk) != -EBUSY, "free of a pinned chunk accepted");
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.misuse != 1 || stats.chunks != 1,
		"pinned free: misuse %llu chunks %lu", stats.misuse, stats.chunks);
	cmctx_unpin(chunk);
	vaddr = cmctx_vmap(chunk);
	FAIL_IF(IS_ERR(vaddr), "vmap: %ld", PTR_ERR(vaddr));
	FAIL_IF(cmctx_free(chunk) != -EBUSY, "free of a mapped chunk accepted");
	cmctx_vunmap(chunk);
	cmctx_unpin(chunk);
	cmctx_vunmap(chunk);
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.misuse != 4,
		"misuse %llu after mapped free, unpin and vunmap too many",
		stats.misuse);
	FAIL_IF(cmctx_free(chunk), "free after unpin and vunmap");
	chunk = NULL;
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR_OR_NULL(chunk))
		cmctx_free(chunk);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

static void scenario_busy_destroy(void)
{
	struct cmctx_chunk *chunk = NULL;
	struct cmctx *ctx, *ref = NULL;
	struct cmctx_stats stats;
	unsigned long start;

	ctx = private_context("test-busy", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	ref = cmctx_get("test-busy");
	FAIL_IF(ref != ctx, "cmctx_get() by name");
	FAIL_IF(strcmp(cmctx_name(ref), "test-busy"), "cmctx_name()");
	FAIL_IF(cmctx_destroy(ctx) != -EBUSY, "destroy with a reference");
	cmctx_put(ref);
	ref = NULL;
	chunk = cmctx_alloc(ctx, PAGE_SIZE, 0);
	FAIL_IF(IS_ERR(chunk), "alloc: %ld", PTR_ERR(chunk));
	FAIL_IF(cmctx_destroy(ctx) != -EBUSY, "destroy with a chunk");
	cmctx_get_stats(ctx, &stats);
	FAIL_IF(stats.misuse != 2, "misuse %llu, expected 2", stats.misuse);
	FAIL_IF(cmctx_free(chunk), "free");
	chunk = NULL;
	FAIL_IF(cmctx_destroy(ctx), "destroy of an idle context");
	ctx = ERR_PTR(-ENOENT);
	ref = cmctx_get("test-busy");
	FAIL_IF(ref, "a destroyed context is still found");
	snprintf(result, sizeof(result), "ok");
out:
	cmctx_put(ref);
	if (!IS_ERR_OR_NULL(chunk))
		cmctx_free(chunk);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

/* A placement policy of its own: the highest free aligned extent. */
static long last_fit_find(struct cmctx *ctx, unsigned long from,
			  unsigned long nr_pages, unsigned long align_pages)
{
	unsigned long total = cmctx_nr_pages(ctx), pos;

	if (nr_pages > total || from > total - nr_pages)
		return -ENOSPC;
	for (pos = total - nr_pages; ; pos--) {
		if (cmctx_align_offset(ctx, pos, align_pages) == pos &&
		    cmctx_range_is_free(ctx, pos, nr_pages))
			return pos;
		if (pos == from)
			return -ENOSPC;
	}
}

static const struct cmctx_placement_ops last_fit = {
	.name = "last-fit",
	.find = last_fit_find,
};

static const struct cmctx_placement_ops no_find = {
	.name = "broken",
};

static void scenario_placement(void)
{
	struct cmctx_chunk *a = NULL, *b = NULL;
	unsigned long start;
	struct cmctx *ctx;

	ctx = private_context("test-placement", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	FAIL_IF(cmctx_set_placement(ctx, &no_find) != -EINVAL,
		"a policy without find accepted");
	FAIL_IF(cmctx_set_placement(ctx, &last_fit), "set last fit");
	a = cmctx_alloc(ctx, MIB, 0);
	FAIL_IF(IS_ERR(a), "last fit alloc: %ld", PTR_ERR(a));
	FAIL_IF(chunk_pfn(a) != start + TEST_CTX_PAGES - (MIB >> PAGE_SHIFT),
		"last fit put the chunk at page %lu",
		chunk_pfn(a) - start);
	FAIL_IF(cmctx_set_placement(ctx, NULL), "back to first fit");
	b = cmctx_alloc(ctx, MIB, 0);
	FAIL_IF(IS_ERR(b), "first fit alloc: %ld", PTR_ERR(b));
	FAIL_IF(chunk_pfn(b) != start, "first fit put the chunk at page %lu",
		chunk_pfn(b) - start);
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR(ctx))
		cmctx_set_placement(ctx, NULL);
	if (!IS_ERR_OR_NULL(b))
		cmctx_free(b);
	if (!IS_ERR_OR_NULL(a))
		cmctx_free(a);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

/*
 * What a shared context over node 0's ZONE_MOVABLE can really get: the
 * zone's managed pages (boot reservations such as a KASAN shadow are not
 * managed) outside a kernel CMA area, whose pageblocks only cma_alloc()
 * may isolate.
 */
static unsigned long movable_usable_pages(void)
{
	struct zone *zone = &NODE_DATA(first_online_node)->node_zones[ZONE_MOVABLE];
	unsigned long pages = zone_managed_pages(zone);

#ifdef CONFIG_CMA
	pages -= min(pages, zone->cma_pages);
#endif
	return pages;
}

/* The context movable0 with room for @nr_pages pages, or NULL and a skip. */
static struct cmctx *get_movable0(unsigned long nr_pages)
{
	unsigned long usable = movable_usable_pages();
	struct cmctx *ctx;

	if (usable < 2 * nr_pages) {
		snprintf(result, sizeof(result),
			 "skip: ZONE_MOVABLE has %lu usable pages (boot reservations and the kernel's CMA area take the rest)",
			 usable);
		return NULL;
	}
	ctx = cmctx_get("movable0");
	if (!ctx)
		snprintf(result, sizeof(result),
			 "skip: no context movable0 (boot with movablecore=)");
	return ctx;
}

/* 16 MiB from the shared context over ZONE_MOVABLE, checked and freed. */
static void scenario_shared(void)
{
	struct cmctx *ctx = get_movable0(16 * MIB >> PAGE_SHIFT);
	struct cmctx_chunk *chunk = NULL;
	struct cmctx_stats before, after;
	const char *why;

	if (!ctx)
		return;
	cmctx_get_stats(ctx, &before);
	chunk = cmctx_alloc(ctx, 16 * MIB, 0);
	FAIL_IF(IS_ERR(chunk), "alloc: %ld", PTR_ERR(chunk));
	FAIL_IF(zone_idx(page_zone(cmctx_chunk_page(chunk))) != ZONE_MOVABLE,
		"chunk outside ZONE_MOVABLE");
	FAIL_IF(cmctx_pin(chunk), "pin");
	why = check_memory(chunk);
	cmctx_unpin(chunk);
	FAIL_IF(why, "%s", why);
	FAIL_IF(cmctx_free(chunk), "free");
	chunk = NULL;
	cmctx_get_stats(ctx, &after);
	FAIL_IF(after.used_pages != before.used_pages ||
		after.allocs != before.allocs + 1,
		"used %lu -> %lu, allocs %llu -> %llu", before.used_pages,
		after.used_pages, before.allocs, after.allocs);
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR_OR_NULL(chunk))
		cmctx_free(chunk);
	cmctx_put(ctx);
}


/* One of the threads of the concurrent scenario. */
struct stress {
	struct cmctx *ctx;
	unsigned int id;
	unsigned int rounds;
	unsigned long max_pages;
	unsigned int done_allocs;
	const char *error;
	struct completion done;
};

/*
 * Allocates chunks of varying sizes, stamps every 64th word with its id
 * through the kernel mapping, yields, and checks the stamps: two chunks
 * given the same memory would show another thread's id.
 */
static int stress_thread(void *data)
{
	struct stress *st = data;
	unsigned int r;

	for (r = 0; r < st->rounds && !st->error; r++) {
		unsigned long nr_pages = 1 + (r * 7 + st->id * 13) % st->max_pages;
		unsigned long i, words = nr_pages * (PAGE_SIZE / 64);
		struct cmctx_chunk *chunk;
		u64 *vaddr;

		chunk = cmctx_alloc(st->ctx, nr_pages * PAGE_SIZE, 0);
		if (IS_ERR(chunk)) {
			if (PTR_ERR(chunk) != -ENOMEM)
				st->error = "an allocation failed with neither success nor -ENOMEM";
			continue;
		}
		vaddr = cmctx_vmap(chunk);
		if (IS_ERR(vaddr)) {
			st->error = "vmap failed";
			cmctx_free(chunk);
			break;
		}
		for (i = 0; i < words; i++)
			vaddr[i * 8] = st->id;
		cond_resched();
		for (i = 0; i < words; i++)
			if (vaddr[i * 8] != st->id)
				st->error = "two chunks share memory";
		cmctx_vunmap(chunk);
		if (cmctx_free(chunk))
			st->error = "free failed";
		st->done_allocs++;
	}
	kthread_complete_and_exit(&st->done, 0);
}

/* Four threads allocating and freeing in one context at once. */
static const char *stress_context(struct cmctx *ctx, unsigned long max_pages,
				  unsigned int rounds)
{
	struct stress st[4];
	const char *why = NULL;
	struct cmctx_stats stats;
	unsigned int i, started = 0, allocs = 0;

	for (i = 0; i < ARRAY_SIZE(st); i++) {
		struct task_struct *task;

		st[i] = (struct stress){
			.ctx = ctx, .id = i + 1, .rounds = rounds,
			.max_pages = max_pages,
		};
		init_completion(&st[i].done);
		task = kthread_run(stress_thread, &st[i], "cmctx_stress%u", i);
		if (IS_ERR(task)) {
			why = "kthread_run failed";
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		wait_for_completion(&st[i].done);
		if (st[i].error && !why)
			why = st[i].error;
		allocs += st[i].done_allocs;
	}
	cmctx_get_stats(ctx, &stats);
	if (!why && (stats.chunks || stats.used_pages))
		why = "chunks left after the threads ended";
	if (!why && !allocs)
		why = "no allocation succeeded";
	return why;
}

static void scenario_concurrent(void)
{
	struct cmctx *ctx, *shared;
	unsigned long start;
	const char *why;

	ctx = private_context("test-concurrent", TEST_CTX_PAGES, &start);
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	why = stress_context(ctx, TEST_CTX_PAGES / 2, 64);
	FAIL_IF(why, "private: %s", why);
	shared = get_movable0(1024 * 4);
	if (shared) {
		why = stress_context(shared, 1024, 16);
		cmctx_put(shared);
		FAIL_IF(why, "movable0: %s", why);
	}
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

/*
 * The retry scenario's policy: the first call offers the extent that holds
 * the trap page, later ones are first fit from @from.
 */
static unsigned long trap_offset;
static bool trap_offered;

static long trap_find(struct cmctx *ctx, unsigned long from,
		      unsigned long nr_pages, unsigned long align_pages)
{
	unsigned long pos, total = cmctx_nr_pages(ctx);

	if (!trap_offered) {
		trap_offered = true;
		pos = ALIGN_DOWN(trap_offset, align_pages);
		if (pos >= from && cmctx_align_offset(ctx, pos, align_pages) == pos &&
		    cmctx_range_is_free(ctx, pos, nr_pages))
			return pos;
	}
	for (pos = cmctx_align_offset(ctx, from, align_pages);
	     pos < total && nr_pages <= total - pos;
	     pos = cmctx_align_offset(ctx, pos + 1, align_pages))
		if (cmctx_range_is_free(ctx, pos, nr_pages))
			return pos;
	return -ENOSPC;
}

static const struct cmctx_placement_ops trap_placement = {
	.name = "trap",
	.find = trap_find,
};

/*
 * Whether the context can use the pageblock of @pfn: cmctx gives up every
 * pageblock that holds a page reserved at boot.
 */
static bool trap_pageblock_usable(unsigned long pfn)
{
	unsigned long first = ALIGN_DOWN(pfn, pageblock_nr_pages), i;

	for (i = first; i < first + pageblock_nr_pages; i++)
		if (PageReserved(pfn_to_page(i)))
			return false;
	return true;
}

/* What trap_page_take() tried, for the skip message. */
struct trap_attempts {
	unsigned int tried;
	unsigned int busy;	/* -EBUSY: a page that could not move */
	int other_err;		/* the last other error, or 0 */
};

/*
 * Take one page in the middle of a pageblock the context can use, out of
 * the page allocator (alloc_contig_range() of that page alone migrates
 * what lives there): from then on it is an allocated page on no LRU list,
 * which no migration can move. Every pageblock is tried in turn, from the
 * middle of the context to its end and then from its start, as one may
 * hold a page that cannot move right now, and the top of ZONE_MOVABLE may
 * be a kernel CMA area (MIGRATE_CMA, which a module cannot recognise and
 * which refuses MIGRATE_MOVABLE isolation: -EBUSY) between boot
 * reservations. Returns the page frame, or 0; free_contig_range() gives it
 * back.
 */
static unsigned long trap_page_take(unsigned long start, unsigned long nr_pages,
				    struct trap_attempts *attempts)
{
	unsigned long base = ALIGN(start, pageblock_nr_pages);
	unsigned long blocks, i, trap;
	int err;

	if (start + nr_pages < base + pageblock_nr_pages)
		return 0;
	blocks = (start + nr_pages - base) / pageblock_nr_pages;
	for (i = 0; i < blocks; i++) {
		trap = base + ((blocks / 2 + i) % blocks) * pageblock_nr_pages +
		       pageblock_nr_pages / 2;
		if (!trap_pageblock_usable(trap))
			continue;
		attempts->tried++;
		err = kcompat_alloc_contig_movable(trap, trap + 1,
						   GFP_KERNEL | __GFP_NOWARN);
		if (!err)
			return trap;
		if (err == -EBUSY)
			attempts->busy++;
		else
			attempts->other_err = err;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	return 0;
}

/*
 * A page of ZONE_MOVABLE that nothing can migrate (taken out of the page
 * allocator, on no LRU list and with no movable_ops) is put in the way of
 * the first extent tried: alloc_contig_range() fails on it, the framework
 * counts a retry and succeeds further on.
 */
static void scenario_retry(void)
{
	struct cmctx *ctx = get_movable0(16 * MIB >> PAGE_SHIFT);
	struct cmctx_chunk *chunk = NULL;
	struct cmctx_stats before, after;
	struct trap_attempts attempts = {};
	unsigned long start, pfn = 0, first;

	if (!ctx)
		return;
	start = cmctx_start_pfn(ctx);
	pfn = trap_page_take(start, cmctx_nr_pages(ctx), &attempts);
	if (!pfn) {
		snprintf(result, sizeof(result),
			 "skip: no page of movable0 could be taken as the trap: %u usable pageblocks tried, %u busy, last other error %d",
			 attempts.tried, attempts.busy, attempts.other_err);
		goto out;
	}
	trap_offset = pfn - start;
	trap_offered = false;
	cmctx_get_stats(ctx, &before);
	FAIL_IF(cmctx_set_placement(ctx, &trap_placement), "set placement");
	chunk = cmctx_alloc(ctx, 16 * PAGE_SIZE, 0);
	cmctx_set_placement(ctx, NULL);
	FAIL_IF(IS_ERR(chunk), "alloc: %ld", PTR_ERR(chunk));
	FAIL_IF(!trap_offered, "the policy was not asked");
	cmctx_get_stats(ctx, &after);
	FAIL_IF(after.migrate_retries < before.migrate_retries + 1,
		"migrate_retries %llu -> %llu", before.migrate_retries,
		after.migrate_retries);
	first = chunk_pfn(chunk);
	FAIL_IF(pfn >= first && pfn < first + 16, "the chunk holds the trap page");
	FAIL_IF(after.alloc_failures != before.alloc_failures, "a failure counted");
	snprintf(result, sizeof(result), "ok");
out:
	if (!IS_ERR_OR_NULL(chunk))
		cmctx_free(chunk);
	if (pfn)
		free_contig_range(pfn, 1);
	cmctx_put(ctx);
}

static void command_alloc(const char *name, unsigned long mib)
{
	struct kept_chunk *kc;
	const char *why;

	kc = kzalloc(sizeof(*kc), GFP_KERNEL);
	FAIL_IF(!kc, "out of memory");
	kc->ctx = cmctx_get(name);
	FAIL_IF(!kc->ctx, "no context %s", name);
	FAIL_IF(!mib || mib > (ULONG_MAX >> 20), "bad size");
	kc->chunk = cmctx_alloc(kc->ctx, mib * MIB, 0);
	FAIL_IF(IS_ERR(kc->chunk), "alloc of %lu MiB: %ld", mib,
		PTR_ERR(kc->chunk));
	FAIL_IF(cmctx_pin(kc->chunk), "pin");
	why = check_memory(kc->chunk);
	cmctx_unpin(kc->chunk);
	FAIL_IF(why, "%s", why);
	kc->id = next_id++;
	list_add_tail(&kc->node, &kept);
	snprintf(result, sizeof(result), "ok %u", kc->id);
	return;
out:
	if (kc && !IS_ERR_OR_NULL(kc->chunk))
		cmctx_free(kc->chunk);
	if (kc)
		cmctx_put(kc->ctx);
	kfree(kc);
}

static void kept_free(struct kept_chunk *kc)
{
	int ret = cmctx_free(kc->chunk);

	if (ret)
		pr_err("chunk %u: free failed (%d), leaking it\n", kc->id, ret);
	else
		cmctx_put(kc->ctx);
	list_del(&kc->node);
	kfree(kc);
}

static void command_free(unsigned int id)
{
	struct kept_chunk *kc;

	list_for_each_entry(kc, &kept, node) {
		if (kc->id == id) {
			kept_free(kc);
			snprintf(result, sizeof(result), "ok");
			return;
		}
	}
	snprintf(result, sizeof(result), "fail: no chunk %u", id);
}

/*
 * The listener scenario's listener: the state of every page of its private
 * context as the calls tell it, and what went wrong.
 */
struct test_listener {
	struct cmctx_listener listener;
	u8 in_use[TEST_CTX_PAGES];
	unsigned int used_calls, unused_calls;
	unsigned long pages_in_use;
	const char *wrong;
};

static void test_listener_mark(struct cmctx_listener *listener,
			       struct cmctx *ctx, unsigned long first,
			       unsigned long nr_pages, bool use)
{
	struct test_listener *tl = container_of(listener, struct test_listener,
						listener);
	struct cmctx_stats stats;
	unsigned long i;

	/* Takes the context's spinlock: would deadlock if called under it. */
	cmctx_get_stats(ctx, &stats);
	if (first >= TEST_CTX_PAGES || nr_pages > TEST_CTX_PAGES - first || !nr_pages) {
		tl->wrong = "an extent outside the context";
		return;
	}
	for (i = first; i < first + nr_pages; i++) {
		if (tl->in_use[i] == use)
			tl->wrong = use ? "a page used twice" : "a page unused twice";
		tl->in_use[i] = use;
	}
	if (use) {
		tl->used_calls++;
		tl->pages_in_use += nr_pages;
	} else {
		tl->unused_calls++;
		tl->pages_in_use -= nr_pages;
	}
}

static void test_listener_used(struct cmctx_listener *listener,
			       struct cmctx *ctx, unsigned long first,
			       unsigned long nr_pages)
{
	test_listener_mark(listener, ctx, first, nr_pages, true);
}

static void test_listener_unused(struct cmctx_listener *listener,
				 struct cmctx *ctx, unsigned long first,
				 unsigned long nr_pages)
{
	test_listener_mark(listener, ctx, first, nr_pages, false);
}

static void free_if_live(struct cmctx_chunk *chunk)
{
	if (!IS_ERR_OR_NULL(chunk))
		cmctx_free(chunk);
}

/*
 * A listener added to a private context with a live chunk is told of it at
 * once, then of each chunk in and out, a freed chunk with a page somebody
 * else holds in two pieces around that page, and of nothing once removed.
 */
static void scenario_listener(void)
{
	struct cmctx_chunk *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	struct test_listener *tl;
	struct page *held = NULL;
	bool added = false;
	unsigned long start;
	struct cmctx *ctx;

	tl = kzalloc(sizeof(*tl), GFP_KERNEL);
	ctx = private_context("test-listener", TEST_CTX_PAGES, &start);
	FAIL_IF(!tl, "out of memory");
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	tl->listener.used = test_listener_used;
	tl->listener.unused = test_listener_unused;
	FAIL_IF(cmctx_add_listener(ctx, NULL) != -EINVAL, "NULL listener accepted");

	a = cmctx_alloc(ctx, MIB, 0);
	FAIL_IF(IS_ERR(a), "alloc a: %ld", PTR_ERR(a));
	FAIL_IF(cmctx_add_listener(ctx, &tl->listener), "add");
	added = true;
	FAIL_IF(tl->used_calls != 1 || tl->pages_in_use != 256,
		"the live chunk at add: %u calls, %lu pages", tl->used_calls,
		tl->pages_in_use);

	b = cmctx_alloc(ctx, 2 * MIB, 0);
	FAIL_IF(IS_ERR(b), "alloc b: %ld", PTR_ERR(b));
	FAIL_IF(tl->used_calls != 2 || tl->pages_in_use != 768,
		"after alloc: %u calls, %lu pages", tl->used_calls,
		tl->pages_in_use);
	FAIL_IF(!tl->in_use[chunk_pfn(b) - start] ||
		!tl->in_use[chunk_pfn(b) - start + 511] ||
		tl->in_use[chunk_pfn(b) - start + 512],
		"the wrong pages marked for b");
	FAIL_IF(cmctx_free(a), "free a");
	a = NULL;
	FAIL_IF(tl->unused_calls != 1 || tl->pages_in_use != 512,
		"after free: %u calls, %lu pages", tl->unused_calls,
		tl->pages_in_use);

	d = cmctx_alloc(ctx, 16 * PAGE_SIZE, 0);
	FAIL_IF(IS_ERR(d), "alloc d: %ld", PTR_ERR(d));
	held = cmctx_chunk_page(d) + 5;
	get_page(held);
	FAIL_IF(cmctx_free(d), "free d");
	d = NULL;
	FAIL_IF(tl->unused_calls != 3 || tl->pages_in_use != 513,
		"a freed chunk with a held page: %u unused calls, %lu pages in use",
		tl->unused_calls, tl->pages_in_use);

	cmctx_remove_listener(ctx, &tl->listener);
	added = false;
	c = cmctx_alloc(ctx, MIB, 0);
	FAIL_IF(IS_ERR(c), "alloc c: %ld", PTR_ERR(c));
	FAIL_IF(cmctx_free(b), "free b");
	b = NULL;
	FAIL_IF(tl->used_calls != 3 || tl->unused_calls != 3,
		"calls after remove: %u used, %u unused", tl->used_calls,
		tl->unused_calls);
	FAIL_IF(tl->wrong, "%s", tl->wrong);
	snprintf(result, sizeof(result), "ok");
out:
	if (added)
		cmctx_remove_listener(ctx, &tl->listener);
	if (held)
		put_page(held);
	free_if_live(a);
	free_if_live(b);
	free_if_live(c);
	free_if_live(d);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
	kfree(tl);
}

/*
 * A listener that starts from "all in use" (from_free) is told at add of
 * exactly the free extents of a private context: none of a live chunk's
 * pages, none given up; then follows chunks in and out as any listener.
 */
static void scenario_listener_from_free(void)
{
	struct cmctx_chunk *a = NULL, *b = NULL, *d = NULL;
	struct test_listener *tl;
	struct page *held = NULL;
	bool added = false;
	unsigned long start, i;
	struct cmctx *ctx;

	tl = kzalloc(sizeof(*tl), GFP_KERNEL);
	ctx = private_context("test-from-free", TEST_CTX_PAGES, &start);
	FAIL_IF(!tl, "out of memory");
	FAIL_IF(IS_ERR(ctx), "no private context could be created");
	FAIL_IF(!(cmctx_flags(ctx) & CMCTX_PRIVATE), "cmctx_flags(): not private");
	/* Start where the listener does: every page in use. */
	memset(tl->in_use, 1, sizeof(tl->in_use));
	tl->pages_in_use = TEST_CTX_PAGES;
	tl->listener.used = test_listener_used;
	tl->listener.unused = test_listener_unused;
	tl->listener.from_free = true;

	a = cmctx_alloc(ctx, MIB, 0);
	FAIL_IF(IS_ERR(a), "alloc a: %ld", PTR_ERR(a));
	d = cmctx_alloc(ctx, 16 * PAGE_SIZE, 0);
	FAIL_IF(IS_ERR(d), "alloc d: %ld", PTR_ERR(d));
	held = cmctx_chunk_page(d) + 5;
	get_page(held);
	FAIL_IF(cmctx_free(d), "free d");
	d = NULL;
	FAIL_IF(cmctx_add_listener(ctx, &tl->listener), "add");
	added = true;
	/* a's 256 pages and the given-up page stay in use. */
	FAIL_IF(tl->used_calls || tl->pages_in_use != 257,
		"at add: %u used calls, %lu pages in use", tl->used_calls,
		tl->pages_in_use);
	for (i = 0; i < 256; i++)
		FAIL_IF(!tl->in_use[chunk_pfn(a) - start + i], "a page of a told free");
	FAIL_IF(!tl->in_use[page_to_pfn(held) - start], "the given-up page told free");

	b = cmctx_alloc(ctx, 2 * MIB, 0);
	FAIL_IF(IS_ERR(b), "alloc b: %ld", PTR_ERR(b));
	FAIL_IF(tl->pages_in_use != 257 + 512, "after alloc b: %lu pages in use",
		tl->pages_in_use);
	FAIL_IF(cmctx_free(a), "free a");
	a = NULL;
	FAIL_IF(tl->pages_in_use != 1 + 512, "after free a: %lu pages in use",
		tl->pages_in_use);
	FAIL_IF(tl->wrong, "%s", tl->wrong);
	snprintf(result, sizeof(result), "ok");
out:
	if (added)
		cmctx_remove_listener(ctx, &tl->listener);
	if (held)
		put_page(held);
	free_if_live(a);
	free_if_live(b);
	free_if_live(d);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
	kfree(tl);
}

/* The page scenario_private_busy_moment holds, and the work that frees it. */
static struct page *busy_page;

static void busy_page_put(struct work_struct *work)
{
	put_page(busy_page);
}
static DECLARE_DELAYED_WORK(busy_page_work, busy_page_put);

/*
 * A private context over a pageblock of ZONE_MOVABLE in which a page is
 * held for a moment (150 ms, less than cmctx's patience) is taken once the
 * page is freed, not refused. Needs ZONE_MOVABLE without a context over it
 * (cmctx loaded with movable=0): igt-tests/cmctx_basic sees to that.
 */
#define BUSY_MOMENT_TRIES	64

static void scenario_private_busy_moment(void)
{
	struct page *passed_over[BUSY_MOMENT_TRIES];
	struct cmctx *ctx = ERR_PTR(-EINVAL);
	unsigned int tries = 0, i;
	unsigned long start;
	bool scheduled = false;

	/*
	 * A page whose pageblock holds no page reserved at boot (the debug
	 * kernel's KASAN shadow lies in ZONE_MOVABLE): such a pageblock can
	 * never be taken, whoever holds what.
	 */
	for (;;) {
		busy_page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
		FAIL_IF(!busy_page, "out of memory");
		start = ALIGN_DOWN(page_to_pfn(busy_page), pageblock_nr_pages);
		for (i = 0; i < pageblock_nr_pages &&
			    !PageReserved(pfn_to_page(start + i)); i++)
			;
		if (i == pageblock_nr_pages || tries == BUSY_MOMENT_TRIES)
			break;
		passed_over[tries++] = busy_page;
	}
	while (tries)
		put_page(passed_over[--tries]);
	if (page_zonenum(busy_page) != ZONE_MOVABLE || i < pageblock_nr_pages) {
		snprintf(result, sizeof(result),
			 "skip: no movable page from a pageblock of ZONE_MOVABLE without reserved pages");
		put_page(busy_page);
		return;
	}
	/* Not on the LRU, held by us: nothing can migrate it. */
	schedule_delayed_work(&busy_page_work, msecs_to_jiffies(150));
	scheduled = true;
	ctx = cmctx_create("test-busy-moment", start, pageblock_nr_pages, 0,
			   CMCTX_PRIVATE);
	FAIL_IF(IS_ERR(ctx), "refused (%ld) although its busy page was freed after 150 ms",
		PTR_ERR(ctx));
	snprintf(result, sizeof(result), "ok");
out:
	if (scheduled)
		flush_delayed_work(&busy_page_work);
	if (!IS_ERR(ctx) && cmctx_destroy(ctx))
		snprintf(result, sizeof(result), "fail: destroy");
}

static const struct {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{ "private", scenario_private },
	{ "exhaustion", scenario_exhaustion },
	{ "alignment", scenario_alignment },
	{ "invalid-create", scenario_invalid_create },
	{ "pin-vmap", scenario_pin_vmap },
	{ "misuse", scenario_misuse },
	{ "busy-destroy", scenario_busy_destroy },
	{ "placement", scenario_placement },
	{ "shared", scenario_shared },
	{ "concurrent", scenario_concurrent },
	{ "retry", scenario_retry },
	{ "listener", scenario_listener },
	{ "listener-from-free", scenario_listener_from_free },
	{ "private-busy-moment", scenario_private_busy_moment },
	{ "move", scenario_move },
};

static void run_command(char *cmd)
{
	char name[32];
	unsigned long mib;
	unsigned int i;

	snprintf(result, sizeof(result), "fail: unknown command \"%s\"", cmd);
	if (sscanf(cmd, "alloc %31s %lu", name, &mib) == 2) {
		command_alloc(name, mib);
		return;
	}
	if (sscanf(cmd, "free %u", &i) == 1) {
		command_free(i);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (!strcmp(cmd, scenarios[i].name)) {
			scenarios[i].run();
			return;
		}
	}
}

static ssize_t run_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *ppos)
{
	char cmd[64];

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, buf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);
	mutex_lock(&test_lock);
	run_command(strim(cmd));
	mutex_unlock(&test_lock);
	return len;
}

static ssize_t run_read(struct file *file, char __user *buf, size_t len,
			loff_t *ppos)
{
	char copy[RESULT_LEN + 1];
	size_t n;

	mutex_lock(&test_lock);
	n = scnprintf(copy, sizeof(copy), "%s\n", result);
	mutex_unlock(&test_lock);
	return simple_read_from_buffer(buf, len, ppos, copy, n);
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
	.read = run_read,
	.llseek = default_llseek,
};

static int __init cmctx_test_init(void)
{
	snprintf(result, sizeof(result), "fail: nothing run yet");
	test_dir = debugfs_create_dir("cmctx_test", NULL);
	debugfs_create_file("run", 0600, test_dir, NULL, &run_fops);
	return 0;
}

static void __exit cmctx_test_exit(void)
{
	struct kept_chunk *kc, *next;

	debugfs_remove(test_dir);
	list_for_each_entry_safe(kc, next, &kept, node)
		kept_free(kc);
}

module_init(cmctx_test_init);
module_exit(cmctx_test_exit);
MODULE_DESCRIPTION("In-kernel scenarios for cmctx, driven through debugfs");
MODULE_LICENSE("GPL");
