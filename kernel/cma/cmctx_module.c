// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmctx.ko: contiguous memory contexts over ZONE_MOVABLE or private ranges.
 * Loading makes the contexts its parameters ask for (cmctx_params.c);
 * unloading frees what is left. See docs/cma.md.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "cmctx_internal.h"

static int __init cmctx_init(void)
{
	cmctx_debugfs_init();
	cmctx_create_from_params();
	return 0;
}

static void __exit cmctx_exit(void)
{
	cmctx_release_all();
	cmctx_debugfs_exit();
}

module_init(cmctx_init);
module_exit(cmctx_exit);
MODULE_DESCRIPTION("Contiguous memory contexts over ZONE_MOVABLE or private ranges");
MODULE_LICENSE("GPL");
MODULE_VERSION(VGEM_VERSION);
