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

/**
 * struct pasr_span - a section as a context sees it
 * @first: its first page, relative to the context.
 * @nr: its pages inside the context.
 */
struct pasr_span {
	unsigned long first;
	unsigned long nr;
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

/* pasr_placement.c: section-aware placement */
struct cmctx;
extern const struct cmctx_placement_ops pasr_placement;
void pasr_geometry_of(struct pasr_geometry *g, phys_addr_t base,
		      unsigned long nr_pages);

/* pasr_cmctx.c: feeding from cmctx contexts */
void pasr_feed_contexts(const char *names, bool place);
const struct pasr_geometry *pasr_feed_geometry(struct cmctx *ctx);
void pasr_starve_contexts(void);
int pasr_default_range(const char *names, phys_addr_t *base, u64 *size);

/* pasr_debugfs.c, pasr_sysfs.c */
void pasr_debugfs_init(void);
void pasr_debugfs_exit(void);
int pasr_sysfs_init(void);
void pasr_sysfs_exit(void);

#endif /* PASR_INTERNAL_H */
