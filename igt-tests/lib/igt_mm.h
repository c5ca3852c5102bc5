/* SPDX-License-Identifier: MIT */
/*
 * What the memory manager tells about ZONE_MOVABLE, where contiguous
 * memory contexts live, and what cmctx tells about its contexts.
 */
#ifndef VGEM_TEST_IGT_MM_H
#define VGEM_TEST_IGT_MM_H

/**
 * igt_movable_zone() - a figure of node 0's ZONE_MOVABLE in /proc/zoneinfo
 * @field: its name as zoneinfo spells it: "present", "managed", "spanned",
 *	"cma", "pages free", "start_pfn"...
 *
 * Return: the figure, or -1 when there is no such zone or field.
 */
long long igt_movable_zone(const char *field);

/**
 * igt_cmctx_figure() - a figure of a cmctx context's debugfs file
 * @path: the file, /sys/kernel/debug/cmctx/<context>
 * @key: a line's key, before its colon: "pages", "used_pages", ...
 *
 * Return: the figure, or -1 when the file or the key is missing.
 */
long long igt_cmctx_figure(const char *path, const char *key);

#endif /* VGEM_TEST_IGT_MM_H */
