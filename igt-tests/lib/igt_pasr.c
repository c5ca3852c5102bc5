// SPDX-License-Identifier: MIT
/*
 * The PASR modules from a test (igt_pasr.h).
 */
#include "igt_pasr.h"

#include <stdio.h>
#include <string.h>

#include "igt.h"
#include "igt_module.h"

void igt_pasr_unload(void)
{
	static const char *const modules[] = { "pasr_test", "pasr_sim", "pasr" };
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		if (!igt_module_loaded(modules[i]))
			continue;
		ret = igt_module_unload(modules[i]);
		igt_assert_f(!ret, "cannot unload %s: %s\n", modules[i], strerror(-ret));
	}
}

void igt_pasr_load(const char *params)
{
	igt_pasr_unload();
	igt_assert_f(igt_system("modprobe pasr %s", params) == 0,
		     "modprobe pasr %s failed\n", params);
}

long long igt_pasr_value(const char *file)
{
	char path[128];
	long long value;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), IGT_PASR_SYSFS "%s", file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%lld", &value);
	fclose(f);
	return n == 1 ? value : -1;
}

int igt_pasr_map(char *buf, size_t size)
{
	char line[64];
	size_t len = 0;
	FILE *f;

	f = fopen(IGT_PASR_SYSFS "map", "r");
	if (!f || !size)
		return f ? fclose(f), -1 : -1;
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				len ? "|" : "", line);
	}
	fclose(f);
	return len < size ? 0 : -1;
}

int igt_pasr_sim_register(unsigned int die)
{
	unsigned int d, mask, fault, reg, poisoned;
	char line[128];
	int value = -1;
	FILE *f;

	f = fopen(IGT_PASR_SIM "registers", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %x %x %x %x", &d, &mask, &fault, &reg, &poisoned) == 5 &&
		    d == die)
			value = (int)reg;
	fclose(f);
	return value;
}
