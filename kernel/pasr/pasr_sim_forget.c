// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated controller forgets: DRAM rows that are not refreshed lose
 * their charge, so on entry into self-refresh every section whose register
 * bit is set is overwritten with a poison pattern, and on exit each section
 * still masked is checked to hold nothing but the pattern (a write there
 * meanwhile means somebody used memory that was not being refreshed).
 *
 * Entry and exit happen on a real suspend, from the noirq phase of a
 * platform device's callbacks (the last one with the system's memory still
 * running), and on demand from debugfs; both are process context. A
 * section is marked poisoned under the simulator's lock, then overwritten
 * and later checked one page at a time, each page under the lock (which
 * write_mask takes too) and only while the mark is there: write_mask
 * clears the mark of a section it unmasks, so no page of a section taken
 * back is overwritten, and one unmasked after entry is not checked at
 * exit. Interrupts are off for a page at a time, not for a section (16 MiB
 * or more).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/string.h>

#include "pasr_sim.h"

#define PASR_SIM_POISON	0xa5

/* The pages of section @s of die @d. */
static void pasr_sim_section_pfns(unsigned int d, unsigned int s,
				  unsigned long *first, unsigned long *nr)
{
	u64 size = pasr_sim_section_size(d);

	*first = PHYS_PFN(pasr_sim.dies[d].base + s * size);
	*nr = size >> PAGE_SHIFT;
}

/* Under pasr_sim.lock: whether section @s of die @d is still marked poisoned. */
static bool pasr_sim_marked(unsigned int d, unsigned int s)
{
	return pasr_sim.poisoned[d] & BIT(s);
}

/*
 * Calls @fn on the mapped address of each page of section @s of die @d, a
 * page at a time under pasr_sim.lock and only while the section stays
 * marked poisoned. Return: whether it stayed marked to its last page.
 */
static bool pasr_sim_for_each_marked_page(unsigned int d, unsigned int s,
					  void (*fn)(void *addr, void *arg), void *arg)
{
	unsigned long pfn, first, nr, flags;
	bool marked = true;
	void *addr;

	pasr_sim_section_pfns(d, s, &first, &nr);
	for (pfn = first; pfn < first + nr && marked; pfn++) {
		if (!pfn_valid(pfn))
			continue;
		spin_lock_irqsave(&pasr_sim.lock, flags);
		marked = pasr_sim_marked(d, s);
		if (marked) {
			addr = kmap_local_page(pfn_to_page(pfn));
			fn(addr, arg);
			kunmap_local(addr);
		}
		spin_unlock_irqrestore(&pasr_sim.lock, flags);
		cond_resched();
	}
	return marked;
}

static void pasr_sim_poison_page(void *addr, void *arg)
{
	memset(addr, PASR_SIM_POISON, PAGE_SIZE);
}

/* Adds to *@arg (a u64) the bytes of the page at @addr that are not the poison. */
static void pasr_sim_count_dirty(void *addr, void *arg)
{
	const u8 *bytes = addr;
	u64 *dirty = arg;
	unsigned long i;

	if (memchr_inv(bytes, PASR_SIM_POISON, PAGE_SIZE))
		for (i = 0; i < PAGE_SIZE; i++)
			*dirty += bytes[i] != PASR_SIM_POISON;
}

/**
 * pasr_sim_enter_self_refresh() - forget every masked section
 *
 * Might sleep: a page is overwritten at a time.
 *
 * Return: the number of sections overwritten whole (a section unmasked
 * meanwhile is not counted).
 */
int pasr_sim_enter_self_refresh(void)
{
	unsigned long flags;
	unsigned int d, s;
	int sections = 0;
	bool marked;

	might_sleep();
	for (d = 0; d < pasr_sim.nr_dies; d++) {
		for (s = 0; s < pasr_sim.dies[d].nr_sections; s++) {
			spin_lock_irqsave(&pasr_sim.lock, flags);
			marked = pasr_sim_register(d) & BIT(s);
			if (marked)
				pasr_sim.poisoned[d] |= BIT(s);
			spin_unlock_irqrestore(&pasr_sim.lock, flags);
			if (!marked ||
			    !pasr_sim_for_each_marked_page(d, s, pasr_sim_poison_page, NULL))
				continue;
			spin_lock_irqsave(&pasr_sim.lock, flags);
			if (pasr_sim_marked(d, s)) {
				pasr_sim.sections_poisoned++;
				pasr_sim.bytes_poisoned += pasr_sim_section_size(d);
				sections++;
			}
			spin_unlock_irqrestore(&pasr_sim.lock, flags);
		}
	}
	spin_lock_irqsave(&pasr_sim.lock, flags);
	pasr_sim.entries++;
	spin_unlock_irqrestore(&pasr_sim.lock, flags);
	return sections;
}

/**
 * pasr_sim_exit_self_refresh() - check that nobody wrote where nothing was refreshed
 *
 * Sections still poisoned (masked since entry) must hold only the poison.
 * They stay poisoned: their content is lost either way. Might sleep: a
 * page is checked at a time.
 *
 * Return: the bytes found written into them.
 */
u64 pasr_sim_exit_self_refresh(void)
{
	unsigned long flags;
	unsigned int d, s;
	u64 dirty = 0;

	might_sleep();
	for (d = 0; d < pasr_sim.nr_dies; d++)
		for (s = 0; s < pasr_sim.dies[d].nr_sections; s++)
			pasr_sim_for_each_marked_page(d, s, pasr_sim_count_dirty, &dirty);
	spin_lock_irqsave(&pasr_sim.lock, flags);
	pasr_sim.dirty_bytes += dirty;
	spin_unlock_irqrestore(&pasr_sim.lock, flags);
	if (dirty)
		pr_err("self-refresh exit: %llu bytes written into sections that were not refreshed\n",
		       dirty);
	return dirty;
}

static int pasr_sim_suspend_noirq(struct device *dev)
{
	int sections = pasr_sim_enter_self_refresh();

	dev_info(dev, "self-refresh: %d sections not refreshed\n", sections);
	return 0;
}

static int pasr_sim_resume_noirq(struct device *dev)
{
	pasr_sim_exit_self_refresh();
	return 0;
}

static const struct dev_pm_ops pasr_sim_pm_ops = {
	.suspend_noirq = pasr_sim_suspend_noirq,
	.resume_noirq = pasr_sim_resume_noirq,
};

static struct platform_driver pasr_sim_driver = {
	.driver = {
		.name = "pasr_sim",
		.pm = &pasr_sim_pm_ops,
	},
};

static struct platform_device *pasr_sim_pdev;

/* The device whose noirq callbacks are the controller's self-refresh. */
int pasr_sim_pm_init(void)
{
	int ret;

	ret = platform_driver_register(&pasr_sim_driver);
	if (ret)
		return ret;
	pasr_sim_pdev = platform_device_register_simple("pasr_sim", -1, NULL, 0);
	if (IS_ERR(pasr_sim_pdev)) {
		platform_driver_unregister(&pasr_sim_driver);
		return PTR_ERR(pasr_sim_pdev);
	}
	return 0;
}

void pasr_sim_pm_exit(void)
{
	platform_device_unregister(pasr_sim_pdev);
	platform_driver_unregister(&pasr_sim_driver);
}
