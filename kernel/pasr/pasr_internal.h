/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pasr internals shared by the files of pasr.ko; other modules use
 * <pasr.h>. Kbuild defines PASR_INTERNAL for pasr.ko's own objects only.
 */
#ifndef PASR_INTERNAL_H
#define PASR_INTERNAL_H

#ifndef PASR_INTERNAL
#error "pasr_internal.h is private to pasr.ko: include \"pasr.h\" (kernel/include)"
#endif

#include "pasr.h"

/**
 * struct pasr_section - a section of a die
 * @base: physical address of its first byte.
 * @unused: bytes put and not got back; at most the die's @section_size.
 * @pair: the section it is interleaved with (masked only together), or
 *	NULL.
 * @die: index of its die.
 * @index: its index in the die (its bit in the mask).
 */
struct pasr_section {
	phys_addr_t base;
	u64 unused;
	struct pasr_section *pair;
	unsigned int die;
	unsigned int index;
};

/**
 * struct pasr_die - a DDR die and its refresh mask
 * @base: physical address of its first byte.
 * @size: its size in bytes.
 * @section_size: @size / @nr_sections, a whole number of pages.
 * @nr_sections: 1 to PASR_MAX_SECTIONS.
 * @mode: segments or banks.
 * @mask: bit i set while section i is masked.
 * @sections: the first @nr_sections are used.
 */
struct pasr_die {
	phys_addr_t base;
	u64 size;
	u64 section_size;
	unsigned int nr_sections;
	enum pasr_mode mode;
	u8 mask;
	struct pasr_section sections[PASR_MAX_SECTIONS];
};

/**
 * struct pasr_layout - the dies under PASR
 * @nr_dies: 0 (no layout) to PASR_MAX_DIES.
 * @dies: the first @nr_dies are used; they do not overlap.
 */
struct pasr_layout {
	unsigned int nr_dies;
	struct pasr_die dies[PASR_MAX_DIES];
};

/* pasr_span.pair when the section has no pair, or its pair is not in the context */
#define PASR_SPAN_NO_PAIR	(-1)
#define PASR_SPAN_PAIR_OUTSIDE	(-2)

/**
 * struct pasr_span - a section as a context sees it
 * @first: its first page, relative to the context.
 * @nr: its pages inside the context.
 * @die: the section's die.
 * @index: the section's index in its die.
 * @pair: index in the geometry of its interleave pair, PASR_SPAN_NO_PAIR,
 *	or PASR_SPAN_PAIR_OUTSIDE (paired with a section the context does
 *	not overlap).
 */
struct pasr_span {
	unsigned long first;
	unsigned long nr;
	unsigned int die;
	unsigned int index;
	int pair;
};

/**
 * struct pasr_geometry - the sections that overlap a context
 * @nr_spans: entries of @spans.
 * @spans: in die and section order.
 */
struct pasr_geometry {
	unsigned int nr_spans;
	struct pasr_span spans[PASR_MAX_DIES * PASR_MAX_SECTIONS];
};

/* pasr_layout.c: the layout from the module parameters */
int pasr_layout_parse(struct pasr_layout *layout, const char *dies,
		      const char *pairs);
int pasr_layout_default(struct pasr_layout *layout, phys_addr_t base,
			u64 size, const char *pairs);

/* pasr_core.c */
void pasr_install_layout(const struct pasr_layout *layout);
void pasr_remove_layout(void);
int pasr_power(struct pasr_power *power);
int pasr_map_line(unsigned int die, char *buf, size_t len);

/**
 * struct pasr_space - the free pages of a context, as a search sees them
 * @ctx: the context (alignment is of its physical page frames).
 * @scratch: a copy of its bitmap (cmctx_copy_bitmap()) that the caller
 *	owns, or NULL for the context's own, read under its lock (placement
 *	callbacks run so).
 * @nr_pages: its size in pages.
 */
struct pasr_space {
	struct cmctx *ctx;
	const unsigned long *scratch;
	unsigned long nr_pages;
};

/**
 * struct pasr_fit_rules - where pasr_fit() may put a chunk
 * @from: nowhere below this offset.
 * @avoid: spans (bit i: span i of the geometry) it must not touch.
 * @keep_maskable: it must not touch a section that could be masked.
 * @keep_out_first: first page of an extent it must not touch...
 * @keep_out_nr: ...of this many pages (0: none).
 */
struct pasr_fit_rules {
	unsigned long from;
	u64 avoid;
	bool keep_maskable;
	unsigned long keep_out_first;
	unsigned long keep_out_nr;
};

/* pasr_placement.c: section-aware placement */
struct cmctx;
struct seq_file;
extern const struct cmctx_placement_ops pasr_placement;
void pasr_geometry_of(struct pasr_geometry *g, phys_addr_t base,
		      unsigned long nr_pages);
long pasr_fit(const struct pasr_space *sp, const struct pasr_geometry *g,
	      unsigned long n, unsigned long align, const struct pasr_fit_rules *r);
unsigned int pasr_space_maskable(const struct pasr_space *sp,
				 const struct pasr_geometry *g,
				 unsigned long *free);
unsigned long pasr_space_free_in(const struct pasr_space *sp,
				 unsigned long first, unsigned long nr);
unsigned long pasr_space_next_free(const struct pasr_space *sp,
				   unsigned long from, unsigned long *len);

/* pasr_cmctx.c: feeding from cmctx contexts */
void pasr_feed_contexts(const char *names, bool place);
const struct pasr_geometry *pasr_feed_geometry(struct cmctx *ctx);
void pasr_starve_contexts(void);
int pasr_default_range(const char *names, phys_addr_t *base, u64 *size);

/**
 * struct pasr_claim_report - what a claim of idle sections did
 * @candidates: sections wholly in shared contexts and not yet unused.
 * @claimed: sections taken by this claim.
 * @failed: sections whose pages could not all be taken.
 * @over_budget: sections left because the budget was spent.
 * @held: sections held after it (earlier claims' included).
 * @pages_in_use: pages in use in the sections taken, before the claim.
 * @pages_migrated: pages the kernel migrated meanwhile (all of it).
 * @us: time it took.
 * @masked: sections masked after it, of @sections.
 * @sections: sections in the layout.
 * @power_uw: self-refresh power estimate after it, of @full_power_uw.
 * @full_power_uw: the estimate with every section refreshed.
 */
struct pasr_claim_report {
	unsigned int candidates;
	unsigned int claimed;
	unsigned int failed;
	unsigned int over_budget;
	unsigned int held;
	unsigned long pages_in_use;
	unsigned long pages_migrated;
	u64 us;
	unsigned int masked;
	unsigned int sections;
	u64 power_uw;
	u64 full_power_uw;
};

/* pasr_claim.c: idle sections of shared contexts, at suspend */
void pasr_claim_init(const char *names);
void pasr_claim_exit(void);
int pasr_claim(struct pasr_claim_report *report);
unsigned int pasr_claim_release(void);
void pasr_claim_show(struct seq_file *m);

/**
 * struct pasr_compact_stats - what compaction did
 * @passes: passes run (one after each free of a fed context).
 * @moves: chunks moved.
 * @moved_pages: pages they held.
 * @failed_moves: moves refused (a chunk mapped or freed meanwhile),
 *	each ending its pass.
 * @rooms: allocations that found no free run long enough, for which
 *	chunks were moved to make one (pasr_make_room()).
 * @us: time spent in passes, in microseconds.
 */
struct pasr_compact_stats {
	u64 passes;
	u64 moves;
	u64 moved_pages;
	u64 failed_moves;
	u64 rooms;
	u64 us;
};

/* pasr_compact.c: packing chunks of fed contexts into fewer sections */
void pasr_compact_context(struct cmctx *ctx);
int pasr_make_room(struct cmctx *ctx, unsigned long nr_pages,
		   unsigned long align_pages);
bool pasr_compact_enabled(void);
void pasr_compact_show(struct seq_file *m);
void pasr_feeds_compact(bool run);

/* pasr_debugfs.c, pasr_sysfs.c */
void pasr_debugfs_init(void);
void pasr_debugfs_exit(void);
int pasr_sysfs_init(void);
void pasr_sysfs_exit(void);

#endif /* PASR_INTERNAL_H */
