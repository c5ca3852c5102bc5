// SPDX-License-Identifier: GPL-2.0-only
/*
 * pasr.ko: the PASR framework's load and unload, and its parameters.
 *
 *   layout=   the dies (grammar in pasr_layout.c and docs/pasr.md); empty:
 *             2 dies x 8 segments over the first context of context=
 *   pairs=    interleaved sections, or "interleave"
 *   context=  the cmctx contexts under PASR: private ones feed the
 *             framework, shared ones have idle sections claimed at suspend
 *             (pasr_claim.c, with its own parameters)
 *   placement=  section-aware placement in the private contexts (default
 *             on: tools/bench pasr masks more sections with it than with
 *             first fit, with no more failed allocations; docs/pasr.md)
 *
 * A refused layout leaves the module loaded with no layout: every call is
 * then a no-op, and the controller sees no die.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "pasr_internal.h"

static char *layout;
module_param(layout, charp, 0444);
MODULE_PARM_DESC(layout, "Dies: <base>+<size>:<n>[seg|bank][,...] (default: 2 dies x 8 segments over the first context)");

static char *pairs;
module_param(pairs, charp, 0444);
MODULE_PARM_DESC(pairs, "Interleaved sections: <die>.<section>-<die>.<section>[,...] or interleave");

static char *context = "movable0";
module_param(context, charp, 0444);
MODULE_PARM_DESC(context, "cmctx contexts under PASR, comma-separated: private ones fed, shared ones claimed at suspend (default: movable0)");

static bool placement = true;
module_param(placement, bool, 0444);
MODULE_PARM_DESC(placement, "Place chunks of fed contexts so as to keep sections maskable (default: on; off: cmctx's first fit)");

static int pasr_make_layout(struct pasr_layout *l)
{
	phys_addr_t base;
	u64 size;
	int ret;

	if (layout && *layout)
		return pasr_layout_parse(l, layout, pairs);
	ret = pasr_default_range(context, &base, &size);
	if (ret) {
		pr_info("no layout= and no context of \"%s\": no layout\n", context);
		return ret;
	}
	return pasr_layout_default(l, base, size, pairs);
}

static int __init pasr_init(void)
{
	struct pasr_layout *l;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	if (!pasr_make_layout(l)) {
		pasr_install_layout(l);
		pr_info("%u dies under PASR\n", l->nr_dies);
	}
	kfree(l);
	if (pasr_nr_dies()) {
		pasr_feed_contexts(context, placement);
		pasr_claim_init(context);
	}
	ret = pasr_sysfs_init();
	if (ret) {
		pasr_claim_exit();
		pasr_starve_contexts();
		pasr_remove_layout();
		return ret;
	}
	pasr_debugfs_init();
	return 0;
}

static void __exit pasr_exit(void)
{
	pasr_debugfs_exit();
	pasr_sysfs_exit();
	pasr_claim_exit();
	pasr_starve_contexts();
	pasr_remove_layout();
}

module_init(pasr_init);
module_exit(pasr_exit);
MODULE_DESCRIPTION("Partial Array Self-Refresh framework, fed by cmctx");
MODULE_LICENSE("GPL");
MODULE_VERSION(VGEM_VERSION);
