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

long long igt_movable_zone(const char *field)
{
	char line[256];
	bool in_zone = false;
	long long value = -1;
	size_t len = strlen(field);
	FILE *f = fopen("/proc/zoneinfo", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");

		if (!strncmp(line, "Node ", 5)) {
			in_zone = strstr(line, "zone  Movable") != NULL;
			continue;
		}
		if (in_zone && !strncmp(p, field, len) &&
		    (p[len] == ' ' || p[len] == ':')) {
			value = atoll(p + len + 1 + strspn(p + len + 1, " :"));
			break;
		}
	}
	fclose(f);
	return value;
}

long long igt_movable_zone_free(void)
{
	char line[256];
	bool in_zone = false;
	long long free_pages = -1, count;
	FILE *f = fopen("/proc/zoneinfo", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");

		if (!strncmp(line, "Node ", 5)) {
			in_zone = strstr(line, "zone  Movable") != NULL;
			continue;
		}
		if (!in_zone)
			continue;
		if (sscanf(p, "pages free %lld", &count) == 1)
			free_pages = count;
		else if (free_pages >= 0 && sscanf(p, "count: %lld", &count) == 1)
			free_pages += count;
	}
	fclose(f);
	return free_pages;
}
