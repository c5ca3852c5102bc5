// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/pasr/: the figures a power tool reads, one value a file, no
 * physical address (docs/pasr.md). World-readable but for the map, which
 * tells where in physical memory the used sections lie (root only):
 *
 *   dies, sections, masked     counts
 *   map                        a line a die, a cell a section (see
 *                              pasr_map_line()); mode 0400
 *   power_uw, full_power_uw    self-refresh power now and with nothing
 *                              masked, from the controller's model
 *   energy_uj, full_energy_uj  the same integrated since it registered
 *
 * The power files fail with ENODEV while no controller models power.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "pasr_internal.h"

static struct kobject *pasr_kobj;

static ssize_t dies_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%u\n", pasr_nr_dies());
}

static ssize_t sections_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct pasr_stats stats;

	pasr_get_stats(&stats);
	return sysfs_emit(buf, "%u\n", stats.nr_sections);
}

static ssize_t masked_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct pasr_stats stats;

	pasr_get_stats(&stats);
	return sysfs_emit(buf, "%u\n", stats.masked);
}

static ssize_t map_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	char line[PASR_MAX_SECTIONS + 1];
	unsigned int die;
	ssize_t len = 0;

	for (die = 0; !pasr_map_line(die, line, sizeof(line)); die++)
		len += sysfs_emit_at(buf, len, "%s\n", line);
	return len;
}

/* One of struct pasr_power's fields, by offset. */
static ssize_t pasr_power_show(char *buf, size_t offset)
{
	struct pasr_power power;
	int ret;

	ret = pasr_power(&power);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%llu\n", *(u64 *)((char *)&power + offset));
}

#define PASR_POWER_ATTR(file, field)					\
static ssize_t file##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return pasr_power_show(buf, offsetof(struct pasr_power, field));\
}									\
static struct kobj_attribute file##_attr = __ATTR_RO(file)

PASR_POWER_ATTR(power_uw, now_uw);
PASR_POWER_ATTR(full_power_uw, full_uw);
PASR_POWER_ATTR(energy_uj, energy_uj);
PASR_POWER_ATTR(full_energy_uj, full_energy_uj);

static struct kobj_attribute dies_attr = __ATTR_RO(dies);
static struct kobj_attribute sections_attr = __ATTR_RO(sections);
static struct kobj_attribute masked_attr = __ATTR_RO(masked);
static struct kobj_attribute map_attr = __ATTR_RO_MODE(map, 0400);

static struct attribute *pasr_attrs[] = {
	&dies_attr.attr,
	&sections_attr.attr,
	&masked_attr.attr,
	&map_attr.attr,
	&power_uw_attr.attr,
	&full_power_uw_attr.attr,
	&energy_uj_attr.attr,
	&full_energy_uj_attr.attr,
	NULL,
};

static const struct attribute_group pasr_group = {
	.attrs = pasr_attrs,
};

int pasr_sysfs_init(void)
{
	int ret;

	pasr_kobj = kobject_create_and_add("pasr", kernel_kobj);
	if (!pasr_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(pasr_kobj, &pasr_group);
	if (ret) {
		kobject_put(pasr_kobj);
		pasr_kobj = NULL;
	}
	return ret;
}

void pasr_sysfs_exit(void)
{
	if (!pasr_kobj)
		return;
	sysfs_remove_group(pasr_kobj, &pasr_group);
	kobject_put(pasr_kobj);
	pasr_kobj = NULL;
}
