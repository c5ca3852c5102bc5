// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PASR core: unused bytes per section, masks per die, the controller.
 *
 * Lock rules: pasr_lock (a spinlock taken with interrupts off, so that
 * pasr_put() and pasr_get() can be called from any context) protects the
 * layout's counters and masks, the counters below and the controller
 * pointer; the controller's write_mask is called under it. pasr_ctrl_mutex
 * serialises registration, unregistration and the controller's power op,
 * which may sleep; it is taken outside pasr_lock.
 *
 * A put or get is checked against every section it touches before any
 * counter changes (check, then apply), so a refused call changes nothing.
 * Its cost is one scan of the dies (at most PASR_MAX_DIES) and one step per
 * section touched.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "pasr_internal.h"

static DEFINE_SPINLOCK(pasr_lock);
static DEFINE_MUTEX(pasr_ctrl_mutex);

/* Under pasr_lock: */
static struct pasr_layout pasr_layout;
static struct pasr_controller *pasr_ctrl;
static u64 pasr_puts, pasr_gets, pasr_mask_writes, pasr_misuse;

static bool pasr_section_idle(const struct pasr_die *die,
			      const struct pasr_section *section)
{
	return section->unused == die->section_size;
}

/* Under pasr_lock: the mask @die should have now. */
static u8 pasr_compute_mask(const struct pasr_die *die)
{
	const struct pasr_section *s, *pair;
	unsigned int i;
	u8 mask = 0;

	for (i = 0; i < die->nr_sections; i++) {
		s = &die->sections[i];
		pair = s->pair;
		if (pasr_section_idle(die, s) &&
		    (!pair || pasr_section_idle(&pasr_layout.dies[pair->die], pair)))
			mask |= BIT(i);
	}
	return mask;
}

/* Under pasr_lock: recompute @die's mask; tell the controller if it changed. */
static void pasr_update_die(unsigned int index)
{
	struct pasr_die *die = &pasr_layout.dies[index];
	u8 old = die->mask, mask = pasr_compute_mask(die);

	if (mask == old)
		return;
	die->mask = mask;
	if (pasr_ctrl) {
		pasr_ctrl->write_mask(pasr_ctrl, index, old, mask);
		pasr_mask_writes++;
	}
}

/*
 * Under pasr_lock: apply (or, with @apply false, only check) a put (@sign
 * +1) or get (-1) of [@phys, @phys + @size) to the sections it overlaps.
 * Memory outside every die is not ours to track and is ignored.
 * Return: false when a section would overflow or underflow.
 */
static bool pasr_account(phys_addr_t phys, u64 size, int sign, bool apply)
{
	u64 end = phys + size, first, last, overlap;
	unsigned int d, i, touched_dies = 0;
	struct pasr_section *s;
	struct pasr_die *die;

	for (d = 0; d < pasr_layout.nr_dies; d++) {
		die = &pasr_layout.dies[d];
		if (end <= die->base || phys >= die->base + die->size)
			continue;
		first = max_t(u64, phys, die->base) - die->base;
		last = min_t(u64, end, die->base + die->size) - die->base;
		for (i = div64_u64(first, die->section_size);
		     i < die->nr_sections &&
		     (u64)i * die->section_size < last; i++) {
			u64 s_start = (u64)i * die->section_size;
			u64 s_end = s_start + die->section_size;

			s = &die->sections[i];
			overlap = min(last, s_end) - max(first, s_start);
			if (!apply) {
				if (sign > 0 && overlap > die->section_size - s->unused)
					return false;
				if (sign < 0 && overlap > s->unused)
					return false;
				continue;
			}
			s->unused = sign > 0 ? s->unused + overlap :
					       s->unused - overlap;
			touched_dies |= BIT(d);
			if (s->pair)
				touched_dies |= BIT(s->pair->die);
		}
	}
	for (d = 0; apply && d < pasr_layout.nr_dies; d++)
		if (touched_dies & BIT(d))
			pasr_update_die(d);
	return true;
}

static int pasr_change(phys_addr_t phys, u64 size, int sign)
{
	unsigned long flags;
	int ret = 0;

	if (!size)
		return 0;
	if (phys + size < phys)
		return -EINVAL;
	spin_lock_irqsave(&pasr_lock, flags);
	if (!pasr_account(phys, size, sign, false)) {
		pasr_misuse++;
		ret = -EINVAL;
	} else {
		pasr_account(phys, size, sign, true);
		if (sign > 0)
			pasr_puts++;
		else
			pasr_gets++;
	}
	spin_unlock_irqrestore(&pasr_lock, flags);
	return ret;
}

/**
 * pasr_put() - memory became unused
 * @phys: physical address of its first byte.
 * @size: its size in bytes.
 *
 * Adds the bytes to the unused counters of the sections they overlap
 * (bytes outside every die are ignored) and masks every section, and pair,
 * that became wholly unused. Callable from any context.
 *
 * Return: 0, or -EINVAL (counted as misuse, nothing changed) when a
 * section would have more unused bytes than its size or the range wraps.
 */
int pasr_put(phys_addr_t phys, u64 size)
{
	return pasr_change(phys, size, 1);
}
EXPORT_SYMBOL_GPL(pasr_put);

/**
 * pasr_get() - unused memory is taken back
 * @phys: physical address of its first byte.
 * @size: its size in bytes.
 *
 * Subtracts the bytes from the sections they overlap and unmasks them (and
 * their pairs) before returning, so the memory is refreshed when the caller
 * uses it. Callable from any context.
 *
 * Return: 0, or -EINVAL (counted as misuse, nothing changed) when a
 * section has fewer unused bytes than asked or the range wraps.
 */
int pasr_get(phys_addr_t phys, u64 size)
{
	return pasr_change(phys, size, -1);
}
EXPORT_SYMBOL_GPL(pasr_get);

/*
 * At load, before anything can be put: the layout's counters start at 0.
 * Pairs point into @layout; they are pointed into the installed copy.
 */
void pasr_install_layout(const struct pasr_layout *layout)
{
	struct pasr_section *s;
	unsigned long flags;
	unsigned int d, i;

	spin_lock_irqsave(&pasr_lock, flags);
	pasr_layout = *layout;
	for (d = 0; d < pasr_layout.nr_dies; d++) {
		for (i = 0; i < pasr_layout.dies[d].nr_sections; i++) {
			s = &pasr_layout.dies[d].sections[i];
			if (s->pair)
				s->pair = &pasr_layout.dies[s->pair->die]
						   .sections[s->pair->index];
		}
	}
	spin_unlock_irqrestore(&pasr_lock, flags);
}

/* At unload, once nothing feeds the layout and no controller is left. */
void pasr_remove_layout(void)
{
	unsigned long flags;

	spin_lock_irqsave(&pasr_lock, flags);
	memset(&pasr_layout, 0, sizeof(pasr_layout));
	spin_unlock_irqrestore(&pasr_lock, flags);
}

/**
 * pasr_register_controller() - drive the dies' masks through @ctrl
 * @ctrl: the controller; @write_mask set. It stays registered, and must
 *	stay valid, until pasr_unregister_controller().
 *
 * @ctrl->write_mask is called at once for every die with a mask. Sleeps.
 *
 * Return: 0, -EINVAL without @write_mask, -EBUSY when another controller
 * is registered.
 */
int pasr_register_controller(struct pasr_controller *ctrl)
{
	unsigned long flags;
	unsigned int d;
	int ret = 0;

	if (!ctrl || !ctrl->write_mask)
		return -EINVAL;
	mutex_lock(&pasr_ctrl_mutex);
	spin_lock_irqsave(&pasr_lock, flags);
	if (pasr_ctrl) {
		ret = -EBUSY;
	} else {
		pasr_ctrl = ctrl;
		for (d = 0; d < pasr_layout.nr_dies; d++) {
			if (!pasr_layout.dies[d].mask)
				continue;
			ctrl->write_mask(ctrl, d, 0, pasr_layout.dies[d].mask);
			pasr_mask_writes++;
		}
	}
	spin_unlock_irqrestore(&pasr_lock, flags);
	mutex_unlock(&pasr_ctrl_mutex);
	if (!ret)
		pr_info("controller %s registered\n", ctrl->name);
	return ret;
}
EXPORT_SYMBOL_GPL(pasr_register_controller);

/**
 * pasr_unregister_controller() - stop driving the masks through @ctrl
 * @ctrl: as registered.
 *
 * Restores full refresh first: @ctrl->write_mask is called with 0 for
 * every die that has a mask. No call reaches @ctrl once this returns.
 * Sleeps.
 */
void pasr_unregister_controller(struct pasr_controller *ctrl)
{
	unsigned long flags;
	unsigned int d;

	mutex_lock(&pasr_ctrl_mutex);
	spin_lock_irqsave(&pasr_lock, flags);
	if (ctrl && pasr_ctrl == ctrl) {
		for (d = 0; d < pasr_layout.nr_dies; d++) {
			if (!pasr_layout.dies[d].mask)
				continue;
			ctrl->write_mask(ctrl, d, pasr_layout.dies[d].mask, 0);
			pasr_mask_writes++;
		}
		pasr_ctrl = NULL;
	}
	spin_unlock_irqrestore(&pasr_lock, flags);
	mutex_unlock(&pasr_ctrl_mutex);
}
EXPORT_SYMBOL_GPL(pasr_unregister_controller);

/* The controller's power estimate; -ENODEV without one that models it. */
int pasr_power(struct pasr_power *power)
{
	int ret = -ENODEV;

	mutex_lock(&pasr_ctrl_mutex);
	/* pasr_ctrl changes only under pasr_ctrl_mutex too. */
	if (pasr_ctrl && pasr_ctrl->power)
		ret = pasr_ctrl->power(pasr_ctrl, power);
	mutex_unlock(&pasr_ctrl_mutex);
	return ret;
}

/**
 * pasr_nr_dies() - how many dies the layout has
 *
 * Return: 0 when pasr runs with no layout.
 */
unsigned int pasr_nr_dies(void)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&pasr_lock, flags);
	n = pasr_layout.nr_dies;
	spin_unlock_irqrestore(&pasr_lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(pasr_nr_dies);

/**
 * pasr_die_info() - a snapshot of a die
 * @die: its index, below pasr_nr_dies().
 * @info: filled in.
 *
 * Callable from any context.
 *
 * Return: 0, or -EINVAL for a die out of range.
 */
int pasr_die_info(unsigned int die, struct pasr_die_info *info)
{
	const struct pasr_die *d;
	unsigned long flags;
	int ret = -EINVAL;

	spin_lock_irqsave(&pasr_lock, flags);
	if (die < pasr_layout.nr_dies) {
		d = &pasr_layout.dies[die];
		info->base = d->base;
		info->size = d->size;
		info->nr_sections = d->nr_sections;
		info->mode = d->mode;
		info->mask = d->mask;
		ret = 0;
	}
	spin_unlock_irqrestore(&pasr_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pasr_die_info);

/**
 * pasr_section_info() - a snapshot of a section
 * @die: its die's index.
 * @section: its index in the die.
 * @info: filled in.
 *
 * Callable from any context.
 *
 * Return: 0, or -EINVAL for a die or section out of range.
 */
int pasr_section_info(unsigned int die, unsigned int section,
		      struct pasr_section_info *info)
{
	const struct pasr_section *s;
	const struct pasr_die *d;
	unsigned long flags;
	int ret = -EINVAL;

	spin_lock_irqsave(&pasr_lock, flags);
	if (die < pasr_layout.nr_dies &&
	    section < pasr_layout.dies[die].nr_sections) {
		d = &pasr_layout.dies[die];
		s = &d->sections[section];
		info->base = s->base;
		info->size = d->section_size;
		info->unused = s->unused;
		info->masked = d->mask & BIT(section);
		info->paired = s->pair;
		info->pair_die = s->pair ? s->pair->die : 0;
		info->pair_section = s->pair ? s->pair->index : 0;
		ret = 0;
	}
	spin_unlock_irqrestore(&pasr_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pasr_section_info);

/**
 * pasr_get_stats() - a snapshot of the framework's counters
 * @stats: filled in.
 *
 * Callable from any context.
 */
void pasr_get_stats(struct pasr_stats *stats)
{
	const struct pasr_die *d;
	unsigned long flags;
	unsigned int i, s;

	memset(stats, 0, sizeof(*stats));
	spin_lock_irqsave(&pasr_lock, flags);
	stats->nr_dies = pasr_layout.nr_dies;
	for (i = 0; i < pasr_layout.nr_dies; i++) {
		d = &pasr_layout.dies[i];
		stats->nr_sections += d->nr_sections;
		stats->masked += hweight8(d->mask);
		for (s = 0; s < d->nr_sections; s++)
			stats->unused += d->sections[s].unused;
	}
	stats->puts = pasr_puts;
	stats->gets = pasr_gets;
	stats->mask_writes = pasr_mask_writes;
	stats->misuse = pasr_misuse;
	spin_unlock_irqrestore(&pasr_lock, flags);
}
EXPORT_SYMBOL_GPL(pasr_get_stats);

/*
 * One die of the section map, as text without addresses: a cell per
 * section, 'M' masked, 'u' wholly unused but kept refreshed (its pair is
 * in use), 'p' partly used, '#' wholly used.
 */
int pasr_map_line(unsigned int die, char *buf, size_t len)
{
	const struct pasr_section *s;
	const struct pasr_die *d;
	unsigned long flags;
	unsigned int i;
	int ret = -EINVAL;

	if (len < PASR_MAX_SECTIONS + 1)
		return -EINVAL;
	spin_lock_irqsave(&pasr_lock, flags);
	if (die < pasr_layout.nr_dies) {
		d = &pasr_layout.dies[die];
		for (i = 0; i < d->nr_sections; i++) {
			s = &d->sections[i];
			if (d->mask & BIT(i))
				buf[i] = 'M';
			else if (pasr_section_idle(d, s))
				buf[i] = 'u';
			else if (s->unused)
				buf[i] = 'p';
			else
				buf[i] = '#';
		}
		buf[i] = '\0';
		ret = 0;
	}
	spin_unlock_irqrestore(&pasr_lock, flags);
	return ret;
}
