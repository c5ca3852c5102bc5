// SPDX-License-Identifier: MIT
/*
 * The parser of "key value" files (igt_figures.h).
 */
#include "igt_figures.h"

#include <stdio.h>
#include <string.h>

long long igt_figure(const char *path, const char *key)
{
	char line[256], word[64];
	long long value = -1, figure;
	FILE *f = fopen(path, "re");
	size_t len;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lld", word, &figure) != 2)
			continue;
		len = strlen(word);
		if (len && word[len - 1] == ':')
			word[len - 1] = '\0';
		if (!strcmp(word, key)) {
			value = figure;
			break;
		}
	}
	fclose(f);
	return value;
}
