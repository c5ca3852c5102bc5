/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmctx: contiguous memory contexts.
 *
 * A context manages one range of physical memory from which drivers
 * allocate physically contiguous chunks, after the design of the 2010 CMA
 * patches (v8): a *shared* context lies in ZONE_MOVABLE, lets the page
 * allocator use its idle memory for movable pages (page cache, anonymous
 * memory) and takes a chunk back with alloc_contig_range(), which migrates
 * whatever lives there; a *private* context owns its range outright from
 * creation to destruction. Where a chunk goes inside the range is decided
 * by a placement policy (first fit by default), pluggable so that other
 * policies (PASR-aware packing) can be added without touching the rest.
 *
 * The framework has no dependency on any driver: contexts are created at
 * module load from module parameters (and from ZONE_MOVABLE, which is
 * discovered) or by cmctx_create(), found by name with cmctx_get(), and
 * described in debugfs under /sys/kernel/debug/cmctx/.
 *
 * A chunk whose owner allows it (cmctx_chunk_set_movable()) can be moved
 * to another extent of its context by cmctx_move() while nobody pins or
 * maps it: its contents are copied and the chunk keeps its identity, so
 * its owner never notices as long as it touches the memory only through a
 * pin or a kernel mapping. This is how a power manager packs chunks into
 * fewer sections (PASR compaction).
 *
 * Nothing here hands physical addresses to user space; in-kernel users get
 * struct pages.
 */
#ifndef CMCTX_H
#define CMCTX_H

#include <linux/list.h>
#include <linux/types.h>

struct page;
struct cmctx;
struct cmctx_chunk;

/* Flags of cmctx_create(). */
#define CMCTX_PRIVATE	(1u << 0)	/* own the range; no sharing with the system */

/**
 * struct cmctx_placement_ops - where chunks go inside a context
 * @name: short name, shown in debugfs.
 * @find: return the first page, relative to the start of the context (an
 *	offset in pages), of a free extent of @nr_pages pages whose physical
 *	page frame is a multiple of @align_pages (a power of two; see
 *	cmctx_align_offset()), lying wholly at or after offset @from; or
 *	-ENOSPC. Called with the context's lock held: it reads the context's
 *	allocation bitmap with cmctx_range_is_free(), cmctx_next_free_extent()
 *	and cmctx_free_pages_in(), learns the size of the context with
 *	cmctx_nr_pages() and must not sleep.
 *
 * @make_room: optional, private contexts only: @find found no room for
 *	@nr_pages pages aligned to @align_pages; move movable chunks
 *	(cmctx_move()) so that it can. Called with no cmctx lock held; may
 *	sleep. Return 0 when @find is worth calling again, else a negative
 *	errno. cmctx_set_placement() waits for a call in progress.
 *
 * The framework marks the extent used, migrates the memory out (shared
 * contexts) and, when that fails transiently, calls @find again with @from
 * just past the extent that failed, until @find returns -ENOSPC. A policy
 * that searches downwards must still honour @from, or it would be offered
 * the failed extent again.
 */
struct cmctx_placement_ops {
	const char *name;
	long (*find)(struct cmctx *ctx, unsigned long from,
		     unsigned long nr_pages, unsigned long align_pages);
	int (*make_room)(struct cmctx *ctx, unsigned long nr_pages,
			 unsigned long align_pages);
};

/**
 * struct cmctx_listener - told when pages of a context go into and out of chunks
 * @used: pages [@first, @first + @nr_pages) of @ctx (offsets in pages from
 *	its start) are in a chunk from now on; called before cmctx_alloc()
 *	returns the chunk, so before anybody can touch its memory.
 * @unused: pages [@first, @first + @nr_pages) of @ctx left a freed chunk.
 *	A shared context has given them back to the page allocator (which
 *	may use them at once); a private context keeps them, idle. Pages a
 *	private context gives up because somebody else still holds them are
 *	not reported, so an extent may come in pieces.
 * @from_free: how registration reports the context's state. Clear: @used
 *	at once for every live chunk (a listener that starts by assuming
 *	every page unused). Set: @unused at once for every extent of a
 *	private context that is in no chunk and not given up, and nothing for
 *	a shared context, whose free pages belong to the page allocator (a
 *	listener that starts by assuming every page in use, as a power
 *	manager must).
 * @node: the framework's (the context's list of listeners).
 *
 * Both are called in process context, with no cmctx spinlock held and
 * serialised per context; they may sleep briefly but must not call back
 * into cmctx for the same context (its cmctx_alloc() and cmctx_free()
 * wait for them). This is the seam by which a power manager (PASR) learns
 * which memory is in use without cmctx knowing of it.
 */
struct cmctx_listener {
	void (*used)(struct cmctx_listener *listener, struct cmctx *ctx,
		     unsigned long first, unsigned long nr_pages);
	void (*unused)(struct cmctx_listener *listener, struct cmctx *ctx,
		       unsigned long first, unsigned long nr_pages);
	bool from_free;
	struct list_head node;
};

/**
 * struct cmctx_stats - figures of a context, a snapshot
 * @nr_pages: size of the range in pages.
 * @used_pages: pages in allocated chunks.
 * @largest_free: largest free extent in pages.
 * @chunks: live chunks.
 * @allocs: successful allocations so far.
 * @alloc_failures: allocations that failed (no room, or migration kept
 *	failing).
 * @migrate_retries: extents given up because alloc_contig_range() failed
 *	on them, each followed by a retry elsewhere.
 * @misuse: calls refused by the debug checks (freeing a pinned or mapped
 *	chunk, unbalanced unpin or vunmap, destroying a busy context).
 * @moves: chunks moved by cmctx_move() so far.
 * @moved_pages: pages they held (copied once each move).
 * @unusable_pages: pages of a shared context's pageblocks that hold pages
 *	the kernel reserved at boot (PageReserved: memblock allocations such
 *	as the KASAN shadow can land in what becomes ZONE_MOVABLE; a pageblock
 *	is isolated whole, so all of it is lost), and pages a private context gave
 *	up because somebody still held them when their chunk was freed;
 *	never allocated, not free.
 */
struct cmctx_stats {
	unsigned long nr_pages;
	unsigned long used_pages;
	unsigned long largest_free;
	unsigned long chunks;
	u64 allocs;
	u64 alloc_failures;
	u64 migrate_retries;
	u64 misuse;
	u64 moves;
	u64 moved_pages;
	unsigned long unusable_pages;
};

/**
 * struct cmctx_extent - a chunk as cmctx_chunks_in() describes it
 * @first: its first page, relative to the context's start.
 * @nr_pages: its size in pages.
 * @align_pages: the alignment of its physical start, in pages, that a
 *	move must keep.
 * @movable: its owner allows cmctx_move() and it was neither pinned nor
 *	mapped when described (a hint: cmctx_move() checks again).
 */
struct cmctx_extent {
	unsigned long first;
	unsigned long nr_pages;
	unsigned long align_pages;
	bool movable;
};

struct cmctx *cmctx_create(const char *name, unsigned long start_pfn,
			   unsigned long nr_pages, unsigned long min_align,
			   unsigned int flags);
int cmctx_destroy(struct cmctx *ctx);

struct cmctx *cmctx_get(const char *name);
void cmctx_put(struct cmctx *ctx);
const char *cmctx_name(const struct cmctx *ctx);
unsigned int cmctx_flags(const struct cmctx *ctx);
void cmctx_get_stats(struct cmctx *ctx, struct cmctx_stats *stats);
int cmctx_set_placement(struct cmctx *ctx,
			const struct cmctx_placement_ops *ops);
bool cmctx_range_is_free(struct cmctx *ctx, unsigned long first,
			 unsigned long nr_pages);
unsigned long cmctx_next_free_extent(struct cmctx *ctx, unsigned long from,
				     unsigned long *nr_pages);
unsigned long cmctx_bitmap_next_free(const unsigned long *bitmap,
				     unsigned long nr_bits, unsigned long from,
				     unsigned long *len);
unsigned long cmctx_bitmap_free_in(const unsigned long *bitmap,
				   unsigned long nr_bits, unsigned long first,
				   unsigned long nr);
unsigned long cmctx_free_pages_in(struct cmctx *ctx, unsigned long first,
				  unsigned long nr_pages);
unsigned long cmctx_nr_pages(const struct cmctx *ctx);
unsigned long cmctx_start_pfn(const struct cmctx *ctx);
unsigned long cmctx_align_offset(const struct cmctx *ctx, unsigned long offset,
				 unsigned long align_pages);
int cmctx_add_listener(struct cmctx *ctx, struct cmctx_listener *listener);
void cmctx_remove_listener(struct cmctx *ctx, struct cmctx_listener *listener);

struct cmctx_chunk *cmctx_alloc(struct cmctx *ctx, size_t size, size_t align);
struct cmctx_chunk *cmctx_alloc_at(struct cmctx *ctx, unsigned long first,
				   unsigned long nr_pages);
int cmctx_free(struct cmctx_chunk *chunk);
size_t cmctx_chunk_size(const struct cmctx_chunk *chunk);

void cmctx_chunk_set_movable(struct cmctx_chunk *chunk);
unsigned int cmctx_chunks_in(struct cmctx *ctx, unsigned long first,
			     unsigned long nr_pages, struct cmctx_extent *out,
			     unsigned int max);
void cmctx_copy_bitmap(struct cmctx *ctx, unsigned long *dst);
int cmctx_move(struct cmctx *ctx, unsigned long first, unsigned long to);

int cmctx_pin(struct cmctx_chunk *chunk);
void cmctx_unpin(struct cmctx_chunk *chunk);
struct page *cmctx_chunk_page(const struct cmctx_chunk *chunk);

void *cmctx_vmap(struct cmctx_chunk *chunk);
void cmctx_vunmap(struct cmctx_chunk *chunk);

#endif /* CMCTX_H */
