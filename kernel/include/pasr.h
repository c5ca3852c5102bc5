/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pasr: Partial Array Self-Refresh.
 *
 * While a system sleeps its DRAM refreshes itself; LPDDR parts can be told
 * to refresh only part of each die (segments through mode register MR17,
 * or banks through MR16) and let the rest forget, which saves self-refresh
 * current. The framework keeps a table of dies, each cut into sections,
 * and for every section the bytes nobody uses. The allocator that owns a
 * range of memory calls pasr_put() when memory becomes unused and
 * pasr_get() when it takes it back; a section whose unused bytes reach its
 * size (and whose interleave pair's do too) gets its bit set in its die's
 * mask, and the mask goes to the DDR controller's driver, which writes it
 * to the part. The layout comes from pasr.ko's parameters; the memory is
 * fed by cmctx (private contexts), see docs/pasr.md.
 *
 * Nothing here is shown to unprivileged user space: sections are named by
 * die and index, never by physical address, outside root-only debugfs.
 */
#ifndef PASR_H
#define PASR_H

#include <linux/types.h>

/* The widest mask register: MR16 and MR17 are 8 bits wide. */
#define PASR_MAX_SECTIONS	8
#define PASR_MAX_DIES		8

/**
 * enum pasr_mode - what a die's sections are
 * @PASR_SEGMENT: address ranges of every bank (segment mask, MR17).
 * @PASR_BANK: banks (bank mask, MR16).
 */
enum pasr_mode {
	PASR_SEGMENT,
	PASR_BANK,
};

/**
 * struct pasr_power - self-refresh power as a controller's driver models it
 * @now_uw: self-refresh power with the present masks, in microwatts.
 * @full_uw: self-refresh power with nothing masked.
 * @energy_uj: energy self-refresh would have taken since the controller
 *	registered, with the masks as they were over that time, in
 *	microjoules.
 * @full_energy_uj: the same with nothing masked.
 */
struct pasr_power {
	u64 now_uw;
	u64 full_uw;
	u64 energy_uj;
	u64 full_energy_uj;
};

/**
 * struct pasr_controller - the driver of a DDR controller
 * @name: short name, for the log and debugfs.
 * @write_mask: set the refresh mask of die @die to @mask (bit i set: do not
 *	refresh section i); @old is the mask it had. Called with the
 *	framework's spinlock held and interrupts off: must not sleep. Called
 *	at registration for every die whose mask is not 0, on every change,
 *	and with @mask 0 for every masked die at unregistration.
 * @power: optional: fill @power from the driver's model; may sleep.
 *	Called under the framework's registration mutex, so never after
 *	pasr_unregister_controller() has returned.
 * @priv: the driver's.
 *
 * One controller at a time; the framework never names a particular one.
 */
struct pasr_controller {
	const char *name;
	void (*write_mask)(struct pasr_controller *ctrl, unsigned int die,
			   u8 old, u8 mask);
	int (*power)(struct pasr_controller *ctrl, struct pasr_power *power);
	void *priv;
};

/**
 * struct pasr_die_info - a die of the layout, a snapshot
 * @base: physical address of its first byte (kernel-internal).
 * @size: its size in bytes.
 * @nr_sections: sections it is cut into, equal in size.
 * @mode: segments or banks.
 * @mask: the refresh mask last computed (bit i: section i masked).
 */
struct pasr_die_info {
	phys_addr_t base;
	u64 size;
	unsigned int nr_sections;
	enum pasr_mode mode;
	u8 mask;
};

/**
 * struct pasr_section_info - a section, a snapshot
 * @base: physical address of its first byte (kernel-internal).
 * @size: its size in bytes.
 * @unused: bytes of it put and not got back.
 * @masked: its refresh is masked.
 * @paired: it has an interleave pair, @pair_die.@pair_section.
 * @pair_die: the pair's die when @paired.
 * @pair_section: the pair's index when @paired.
 */
struct pasr_section_info {
	phys_addr_t base;
	u64 size;
	u64 unused;
	bool masked;
	bool paired;
	unsigned int pair_die;
	unsigned int pair_section;
};

/**
 * struct pasr_stats - the framework's counters, a snapshot
 * @nr_dies: dies in the layout (0: no layout, every call a no-op).
 * @nr_sections: sections in all.
 * @masked: sections masked now.
 * @unused: bytes put and not got back, in all sections.
 * @puts: pasr_put() calls accepted.
 * @gets: pasr_get() calls accepted.
 * @mask_writes: calls of the controller's write_mask.
 * @misuse: calls refused (putting more than a section's size, getting
 *	what was not put).
 */
struct pasr_stats {
	unsigned int nr_dies;
	unsigned int nr_sections;
	unsigned int masked;
	u64 unused;
	u64 puts;
	u64 gets;
	u64 mask_writes;
	u64 misuse;
};

int pasr_put(phys_addr_t phys, u64 size);
int pasr_get(phys_addr_t phys, u64 size);

int pasr_register_controller(struct pasr_controller *ctrl);
void pasr_unregister_controller(struct pasr_controller *ctrl);

unsigned int pasr_nr_dies(void);
int pasr_die_info(unsigned int die, struct pasr_die_info *info);
int pasr_section_info(unsigned int die, unsigned int section,
		      struct pasr_section_info *info);
void pasr_get_stats(struct pasr_stats *stats);

#endif /* PASR_H */
