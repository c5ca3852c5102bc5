// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx module parameters: the contexts made at load.
 *
 *   movable=1 (default)  a shared context "movable<nid>" over the ZONE_MOVABLE
 *                        of each node that has one (boot with movablecore=),
 *                        trimmed to whole pageblocks
 *   range=<size>@<start>[:private][,...]
 *                        a context "range<i>" per entry, shared unless
 *                        ":private"; size and start take K/M/G suffixes
 *
 * A range that cannot be used is refused with a pr_err() naming it and the
 * reason (a size or start that does not fit in 64 bits is one: it is not
 * wrapped around); the module still loads (with the other contexts), so
 * that drivers depending on cmctx load too and simply find no context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "checked_parse.h"
#include "cmctx_internal.h"

static bool movable = true;
module_param(movable, bool, 0444);
MODULE_PARM_DESC(movable, "Make a shared context over each node's ZONE_MOVABLE (default: on)");

static char *range;
module_param(range, charp, 0444);
MODULE_PARM_DESC(range, "Contexts at physical ranges: <size>@<start>[:private][,...]");

static void cmctx_create_movable(void)
{
	unsigned long start, end;
	char name[CMCTX_NAME_LEN];
	bool found = false;
	int nid;

	for_each_online_node(nid) {
		struct zone *zone = &NODE_DATA(nid)->node_zones[ZONE_MOVABLE];

		if (!populated_zone(zone))
			continue;
		found = true;
		start = ALIGN(zone->zone_start_pfn, pageblock_nr_pages);
		end = ALIGN_DOWN(zone_end_pfn(zone), pageblock_nr_pages);
		snprintf(name, sizeof(name), "movable%d", nid);
		if (end <= start) {
			pr_err("%s: refused: ZONE_MOVABLE of node %d holds no whole pageblock\n",
			       name, nid);
			continue;
		}
		cmctx_create(name, start, end - start, 0, 0);
	}
	if (!found)
		pr_info("no ZONE_MOVABLE (boot with movablecore=): no movable context\n");
}

/* One entry of range=: "<size>@<start>[:private]". */
static void cmctx_create_range(const char *entry, unsigned int index)
{
	char name[CMCTX_NAME_LEN];
	unsigned int flags = 0;
	const char *rest;
	u64 size, start;
	int ret;

	snprintf(name, sizeof(name), "range%u", index);
	ret = checked_memparse(entry, &rest, &size);
	if (!ret)
		ret = *rest == '@' ? checked_memparse(rest + 1, &rest, &start) : -EINVAL;
	if (ret == -ERANGE) {
		pr_err("%s: refused: \"%s\": a number does not fit in 64 bits\n",
		       name, entry);
		return;
	}
	if (ret)
		goto bad;
	if (!strcmp(rest, ":private"))
		flags = CMCTX_PRIVATE;
	else if (*rest)
		goto bad;
	if (!size || !PAGE_ALIGNED(size) || !PAGE_ALIGNED(start) ||
	    start + size < start) {
		pr_err("%s: refused: \"%s\": size and start must be whole pages\n",
		       name, entry);
		return;
	}
	cmctx_create(name, PHYS_PFN(start), PHYS_PFN(size), 0, flags);
	return;
bad:
	pr_err("%s: refused: \"%s\" is not <size>@<start>[:private]\n",
	       name, entry);
}

void cmctx_create_from_params(void)
{
	unsigned int index = 0;
	char *copy, *cursor, *entry;

	if (movable)
		cmctx_create_movable();
	if (!range || !*range)
		return;
	copy = kstrdup(range, GFP_KERNEL);
	if (!copy) {
		pr_err("range: out of memory, no range context\n");
		return;
	}
	cursor = copy;
	while ((entry = strsep(&cursor, ",")))
		if (*entry)
			cmctx_create_range(entry, index++);
	kfree(copy);
}
