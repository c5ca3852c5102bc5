// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx debugfs: one file per context, /sys/kernel/debug/cmctx/<name>, with
 * its kind, size, placement, figures and chunks. Offsets are in pages from
 * the start of the context; no physical address is shown.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/seq_file.h>

#include "cmctx_internal.h"

static struct dentry *cmctx_debugfs_root;

static int cmctx_debugfs_show(struct seq_file *m, void *unused)
{
	struct cmctx *ctx = m->private;
	struct page *first = pfn_to_page(ctx->start_pfn);
	struct cmctx_chunk *chunk;
	unsigned long free, largest;

	spin_lock(&ctx->lock);
	free = ctx->nr_pages - ctx->used_pages - ctx->unusable_pages;
	largest = cmctx_largest_free_locked(ctx);
	seq_printf(m, "kind: %s\n", cmctx_is_private(ctx) ? "private" : "shared");
	seq_printf(m, "zone: node %d %s\n", page_to_nid(first),
		   page_zone(first)->name);
	seq_printf(m, "size: %lu bytes\n", ctx->nr_pages << PAGE_SHIFT);
	seq_printf(m, "pages: %lu\n", ctx->nr_pages);
	seq_printf(m, "min_align_pages: %lu\n", ctx->min_align);
	seq_printf(m, "placement: %s\n", ctx->placement->name);
	seq_printf(m, "chunks: %lu\n", ctx->nr_chunks);
	seq_printf(m, "used_pages: %lu\n", ctx->used_pages);
	seq_printf(m, "unusable_pages: %lu\n", ctx->unusable_pages);
	seq_printf(m, "held_at_free: %llu\n", ctx->held_at_free);
	seq_printf(m, "free_pages: %lu\n", free);
	seq_printf(m, "largest_free_pages: %lu\n", largest);
	/* How much of the free space no single chunk can have. */
	seq_printf(m, "fragmentation_percent: %lu\n",
		   free ? 100 - largest * 100 / free : 0);
	seq_printf(m, "allocs: %llu\n", ctx->allocs);
	seq_printf(m, "alloc_failures: %llu\n", ctx->alloc_failures);
	seq_printf(m, "migrate_retries: %llu\n", ctx->migrate_retries);
	seq_printf(m, "misuse: %llu\n", ctx->misuse);
	seq_printf(m, "moves: %llu\n", ctx->moves);
	seq_printf(m, "moved_pages: %llu\n", ctx->moved_pages);
	/* The counts are the chunks' own (under their mutex): a snapshot. */
	list_for_each_entry(chunk, &ctx->chunks, node)
		seq_printf(m, "chunk: offset %lu pages %lu pins %u vmaps %u\n",
			   chunk->offset, chunk->nr_pages,
			   READ_ONCE(chunk->pins), READ_ONCE(chunk->vmaps));
	spin_unlock(&ctx->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cmctx_debugfs);

void cmctx_debugfs_add(struct cmctx *ctx)
{
	ctx->debugfs = debugfs_create_file(ctx->name, 0400, cmctx_debugfs_root,
					   ctx, &cmctx_debugfs_fops);
}

void cmctx_debugfs_remove(struct cmctx *ctx)
{
	debugfs_remove(ctx->debugfs);
	ctx->debugfs = NULL;
}

void cmctx_debugfs_init(void)
{
	cmctx_debugfs_root = debugfs_create_dir("cmctx", NULL);
}

void cmctx_debugfs_exit(void)
{
	debugfs_remove(cmctx_debugfs_root);
}
