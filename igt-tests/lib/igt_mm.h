/* SPDX-License-Identifier: MIT */
/*
 * What the memory manager tells about ZONE_MOVABLE, where contiguous
 * memory contexts live.
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
 * igt_movable_zone_free() - the free pages of node 0's ZONE_MOVABLE: its
 * "pages free" and the pages its per-CPU lists hold ("count" of each
 * pageset), free too but not counted there. From 6.10 on the per-CPU
 * lists grow with the rate of frees, so megabytes a buffer gave back may
 * wait there.
 *
 * Return: the pages, or -1 when there is no such zone.
 */
long long igt_movable_zone_free(void);

#endif /* VGEM_TEST_IGT_MM_H */
