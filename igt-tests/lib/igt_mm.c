// SPDX-License-Identifier: MIT
/*
 * ZONE_MOVABLE's figures, from /proc/zoneinfo.
 */
#include "igt_mm.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"

/*
 * The next line of node 0's ZONE_MOVABLE in /proc/zoneinfo @f, without its
 * leading spaces; NULL at the end of the file. @in_zone starts false.
 */
static char *next_movable_line(FILE *f, char *line, int size, bool *in_zone)
{
	while (fgets(line, size, f)) {
		if (!strncmp(line, "Node ", 5)) {
			*in_zone = strstr(line, "zone  Movable") != NULL;
			continue;
		}
		if (*in_zone)
			return line + strspn(line, " ");
	}
	return NULL;
}

long long igt_movable_zone(const char *field)
{
	char line[256], *p;
	bool in_zone = false;
	long long value = -1;
	size_t len = strlen(field);
	FILE *f = fopen("/proc/zoneinfo", "r");

	igt_assert(f);
	while ((p = next_movable_line(f, line, sizeof(line), &in_zone))) {
		if (!strncmp(p, field, len) && (p[len] == ' ' || p[len] == ':')) {
			value = atoll(p + len + 1 + strspn(p + len + 1, " :"));
			break;
		}
	}
	fclose(f);
	return value;
}

long long igt_movable_zone_free(void)
{
	char line[256], *p;
	bool in_zone = false;
	long long free_pages = -1, count;
	FILE *f = fopen("/proc/zoneinfo", "r");

	igt_assert(f);
	while ((p = next_movable_line(f, line, sizeof(line), &in_zone))) {
		if (sscanf(p, "pages free %lld", &count) == 1)
			free_pages = count;
		else if (free_pages >= 0 && sscanf(p, "count: %lld", &count) == 1)
			free_pages += count;
	}
	fclose(f);
	return free_pages;
}
