// SPDX-License-Identifier: GPL-2.0-only
/*
 * pasr_sim.ko: a simulated LPDDR controller for the PASR framework.
 *
 * Each die has a mask register; the framework writes it through
 * write_mask, and every write is logged. The register the "hardware" acts
 * on is the framework's mask ORed with the fault knob's bits, so that a
 * test can mask a section in use and see the detectors catch it.
 *
 * Power model (docs/pasr-sim.md has the source and the reasoning): each
 * die is a 1 Gb mobile LPDDR part whose self-refresh current (IDD6) is
 * given for full, 1/2, 1/4, 1/8 and 1/16 of the array refreshed at 85 C,
 * at VDD 1.8 V; a die with r of its n sections refreshed draws the current
 * interpolated at the fraction r / n. Energy integrates that power over
 * time as if the system were always in self-refresh, next to what full
 * refresh would take over the same time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/timekeeping.h>

#include "pasr_sim.h"

struct pasr_sim pasr_sim;

/*
 * IDD6 in microamps against the refreshed fraction in 16ths: the table's
 * points (1/16 .. full) and, for nothing refreshed, the line through the
 * two lowest points carried to 0.
 */
static const struct {
	unsigned int sixteenths;
	unsigned int ua;
} pasr_sim_idd6[] = {
	{ 0, 450 }, { 1, 500 }, { 2, 550 }, { 4, 600 }, { 8, 750 }, { 16, 1000 },
};
#define PASR_SIM_VDD_MV	1800

/* Self-refresh power of @die with register @reg, in microwatts. */
u64 pasr_sim_die_power_uw(const struct pasr_die_info *die, u8 reg)
{
	unsigned int refreshed = die->nr_sections - hweight8(reg), i;
	/* The refreshed fraction, in 1/1024ths of 16ths. */
	u64 x = div_u64((u64)refreshed * 16 * 1024, die->nr_sections);
	u64 ua1024 = (u64)pasr_sim_idd6[ARRAY_SIZE(pasr_sim_idd6) - 1].ua * 1024;

	for (i = 1; i < ARRAY_SIZE(pasr_sim_idd6); i++) {
		u64 x0 = pasr_sim_idd6[i - 1].sixteenths * 1024ull;
		u64 x1 = pasr_sim_idd6[i].sixteenths * 1024ull;
		u64 y0 = pasr_sim_idd6[i - 1].ua, y1 = pasr_sim_idd6[i].ua;

		if (x > x1)
			continue;
		ua1024 = y0 * 1024 + div64_u64((y1 - y0) * 1024 * (x - x0), x1 - x0);
		break;
	}
	/* uA * mV = nW; / 1000 for uW; / 1024 for the fixed point. */
	return div_u64(ua1024 * PASR_SIM_VDD_MV, 1000 * 1024);
}

/* Under pasr_sim.lock: power with the registers now, and with none set. */
static void pasr_sim_power_locked(u64 *now_uw, u64 *full_uw)
{
	unsigned int d;

	*now_uw = 0;
	*full_uw = 0;
	for (d = 0; d < pasr_sim.nr_dies; d++) {
		*now_uw += pasr_sim_die_power_uw(&pasr_sim.dies[d],
						 pasr_sim_register(d));
		*full_uw += pasr_sim_die_power_uw(&pasr_sim.dies[d], 0);
	}
}

/* Under pasr_sim.lock: integrate energy up to now, before a change. */
static void pasr_sim_integrate_locked(void)
{
	u64 now = ktime_get_ns(), dt = now - pasr_sim.since_ns, p, full;

	pasr_sim_power_locked(&p, &full);
	/* uW * ns = 1e-15 J; / 1e6 for nJ. */
	pasr_sim.energy_nj += div_u64(p * dt, 1000000);
	pasr_sim.full_energy_nj += div_u64(full * dt, 1000000);
	pasr_sim.since_ns = now;
}

/* Under pasr_sim.lock: the register the hardware acts on. */
u8 pasr_sim_register(unsigned int die)
{
	if (die >= PASR_MAX_DIES)
		return 0;
	return pasr_sim.mask[die] | pasr_sim.fault[die];
}

static void pasr_sim_log_locked(unsigned int die, u8 old, u8 mask)
{
	struct pasr_sim_log_entry *e;

	pasr_sim.seq++;
	e = &pasr_sim.log[(pasr_sim.seq - 1) % PASR_SIM_LOG_LEN];
	e->seq = pasr_sim.seq;
	e->die = die;
	e->old = old;
	e->mask = mask;
	e->ns = ktime_get_ns();
}

/* Called by the framework under its spinlock, interrupts off. */
static void pasr_sim_write_mask(struct pasr_controller *ctrl, unsigned int die,
				u8 old, u8 mask)
{
	u8 reg_old;

	if (die >= PASR_MAX_DIES)
		return;
	spin_lock(&pasr_sim.lock);
	pasr_sim_integrate_locked();
	reg_old = pasr_sim_register(die);
	pasr_sim.mask[die] = mask;
	/* A section refreshed again is no longer what self-refresh left. */
	pasr_sim.poisoned[die] &= pasr_sim_register(die);
	pasr_sim_log_locked(die, reg_old, pasr_sim_register(die));
	spin_unlock(&pasr_sim.lock);
}

static int pasr_sim_power(struct pasr_controller *ctrl, struct pasr_power *power)
{
	unsigned long flags;

	spin_lock_irqsave(&pasr_sim.lock, flags);
	pasr_sim_integrate_locked();
	pasr_sim_power_locked(&power->now_uw, &power->full_uw);
	power->energy_uj = div_u64(pasr_sim.energy_nj, 1000);
	power->full_energy_uj = div_u64(pasr_sim.full_energy_nj, 1000);
	spin_unlock_irqrestore(&pasr_sim.lock, flags);
	return 0;
}

/**
 * pasr_sim_set_fault() - force one section's refresh off, or none
 * @die: the die, or -1 to clear the knob.
 * @section: the section in it.
 *
 * Return: 0, or -EINVAL for a section the layout does not have.
 */
int pasr_sim_set_fault(int die, int section)
{
	unsigned long flags;
	unsigned int d;
	u8 old;

	if (die >= 0 && (die >= pasr_sim.nr_dies || section < 0 ||
			 section >= pasr_sim.dies[die].nr_sections))
		return -EINVAL;
	spin_lock_irqsave(&pasr_sim.lock, flags);
	pasr_sim_integrate_locked();
	for (d = 0; d < PASR_MAX_DIES; d++) {
		old = pasr_sim_register(d);
		pasr_sim.fault[d] = (int)d == die ? BIT(section) : 0;
		pasr_sim.poisoned[d] &= pasr_sim_register(d);
		if (old != pasr_sim_register(d))
			pasr_sim_log_locked(d, old, pasr_sim_register(d));
	}
	spin_unlock_irqrestore(&pasr_sim.lock, flags);
	return 0;
}

/* Bytes in a section of @die (a die of the layout). */
u64 pasr_sim_section_size(unsigned int die)
{
	return div_u64(pasr_sim.dies[die].size, pasr_sim.dies[die].nr_sections);
}

static int __init pasr_sim_init(void)
{
	int ret;

	while (pasr_sim.nr_dies < PASR_MAX_DIES &&
	       !pasr_die_info(pasr_sim.nr_dies, &pasr_sim.dies[pasr_sim.nr_dies]))
		pasr_sim.nr_dies++;
	if (!pasr_sim.nr_dies)
		pr_info("pasr has no layout: nothing to simulate\n");
	spin_lock_init(&pasr_sim.lock);
	pasr_sim.ctrl.name = "pasr_sim";
	pasr_sim.ctrl.write_mask = pasr_sim_write_mask;
	pasr_sim.ctrl.power = pasr_sim_power;
	pasr_sim.since_ns = ktime_get_ns();
	ret = pasr_register_controller(&pasr_sim.ctrl);
	if (ret) {
		pr_err("cannot register with pasr (%d)\n", ret);
		return ret;
	}
	ret = pasr_sim_pm_init();
	if (ret) {
		pasr_unregister_controller(&pasr_sim.ctrl);
		return ret;
	}
	pasr_sim_debugfs_init();
	return 0;
}

static void __exit pasr_sim_exit(void)
{
	pasr_sim_debugfs_exit();
	pasr_sim_pm_exit();
	pasr_sim_set_fault(-1, 0);
	pasr_unregister_controller(&pasr_sim.ctrl);
}

module_init(pasr_sim_init);
module_exit(pasr_sim_exit);
MODULE_DESCRIPTION("Simulated LPDDR controller for PASR: logs masks, models power, forgets what it does not refresh");
MODULE_LICENSE("GPL");
MODULE_VERSION(VGEM_VERSION);
