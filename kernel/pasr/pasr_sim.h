/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pasr_sim.ko internals: a simulated LPDDR controller behind the PASR
 * framework (docs/pasr-sim.md). pasr_sim.c holds the mask registers, the
 * log and the power model; pasr_sim_forget.c makes self-refresh destroy
 * what is masked; pasr_sim_debugfs.c shows and drives both.
 */
#ifndef PASR_SIM_H
#define PASR_SIM_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "pasr.h"

#define PASR_SIM_LOG_LEN	256

/**
 * struct pasr_sim_log_entry - one write of a mask register
 * @seq: its sequence number, from 1.
 * @die: the die written.
 * @old: the register before.
 * @mask: the register after.
 * @ns: when, in ns of the monotonic clock.
 */
struct pasr_sim_log_entry {
	u64 seq;
	unsigned int die;
	u8 old;
	u8 mask;
	u64 ns;
};

/**
 * struct pasr_sim - the simulated controller
 * @ctrl: registered with the framework.
 * @nr_dies: dies of the layout, read at load (the layout is fixed while
 *	pasr.ko is loaded, and this module depends on it).
 * @dies: their geometry, read at load (the framework's lock must not be
 *	taken again under write_mask).
 * @lock: protects everything below; taken inside the framework's lock
 *	(write_mask is called under it) and with interrupts off.
 * @mask: what the framework wrote, per die.
 * @fault: bits the fault knob forces on, per die.
 * @poisoned: sections overwritten by the last entry into self-refresh
 *	and not unmasked since, per die.
 * @log: the last PASR_SIM_LOG_LEN writes, a ring.
 * @seq: writes so far; @log[(@seq - 1) % PASR_SIM_LOG_LEN] is the last.
 * @since_ns: when the power model last integrated.
 * @energy_nj: self-refresh energy with the registers as they were.
 * @full_energy_nj: the same with nothing masked.
 * @entries: entries into self-refresh.
 * @sections_poisoned: sections overwritten, over all entries.
 * @bytes_poisoned: their bytes.
 * @dirty_bytes: bytes found changed at exit in poisoned sections (somebody
 *	wrote into memory that was not refreshed), over all exits.
 */
struct pasr_sim {
	struct pasr_controller ctrl;
	unsigned int nr_dies;
	struct pasr_die_info dies[PASR_MAX_DIES];
	spinlock_t lock;
	u8 mask[PASR_MAX_DIES];
	u8 fault[PASR_MAX_DIES];
	u8 poisoned[PASR_MAX_DIES];
	struct pasr_sim_log_entry log[PASR_SIM_LOG_LEN];
	u64 seq;
	u64 since_ns;
	u64 energy_nj;
	u64 full_energy_nj;
	u64 entries;
	u64 sections_poisoned;
	u64 bytes_poisoned;
	u64 dirty_bytes;
};

extern struct pasr_sim pasr_sim;

/* pasr_sim.c */
u8 pasr_sim_register(unsigned int die);
int pasr_sim_set_fault(int die, int section);
u64 pasr_sim_die_power_uw(const struct pasr_die_info *die, u8 reg);
u64 pasr_sim_section_size(unsigned int die);

/* pasr_sim_forget.c */
int pasr_sim_enter_self_refresh(void);
u64 pasr_sim_exit_self_refresh(void);
int pasr_sim_pm_init(void);
void pasr_sim_pm_exit(void);

/* pasr_sim_debugfs.c */
void pasr_sim_debugfs_init(void);
void pasr_sim_debugfs_exit(void);

#endif /* PASR_SIM_H */
