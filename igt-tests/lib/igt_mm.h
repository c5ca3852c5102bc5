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

#endif /* VGEM_TEST_IGT_MM_H */
