// SPDX-License-Identifier: MIT
/*
 * `vgemctl pasr`: the PASR section map and power estimate, from
 * /sys/kernel/pasr/ (any user; the map, which tells where used memory lies
 * physically, for root only).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgemctl.h"

#define PASR_SYSFS	"/sys/kernel/pasr/"

static const char pasr_help[] =
	"Usage: vgemctl pasr [--help]\n"
	"Draw the PASR section map (one cell a section, one row a die; root\n"
	"only) and the self-refresh power estimate, from /sys/kernel/pasr/\n"
	"(needs pasr.ko; the power needs a controller that models it, such as\n"
	"pasr_sim.ko).\n"
	"Cells: M masked (not refreshed), u unused but refreshed (its pair is\n"
	"in use), p partly used, # used.\n";

/* The number in /sys/kernel/pasr/@file into @value; 0 or -errno. */
static int pasr_read(const char *file, unsigned long long *value)
{
	char path[128];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), PASR_SYSFS "%s", file);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	errno = 0;
	if (fscanf(f, "%llu", value) != 1)
		ret = errno ? -errno : -EINVAL;
	fclose(f);
	return ret;
}

static int pasr_print_map(const char *indent)
{
	char line[64];
	unsigned int die = 0;
	FILE *f;

	f = fopen(PASR_SYSFS "map", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		printf("%s  die %u  [%s]\n", indent, die++, line);
	}
	fclose(f);
	return 0;
}

/* What full refresh would cost more than @now, in % of @full. */
static double pasr_saved(unsigned long long now, unsigned long long full)
{
	return full && now <= full ? 100.0 * (double)(full - now) / (double)full : 0.0;
}

static void pasr_print_power(const char *indent)
{
	unsigned long long now, full, energy, full_energy;
	int ret;

	ret = pasr_read("power_uw", &now);
	if (ret == -ENODEV) {
		printf("%s  power: no controller models it (modprobe pasr_sim)\n", indent);
		return;
	}
	if (!ret)
		ret = pasr_read("full_power_uw", &full);
	if (!ret)
		ret = pasr_read("energy_uj", &energy);
	if (!ret)
		ret = pasr_read("full_energy_uj", &full_energy);
	if (ret) {
		printf("%s  power: cannot be read: %s\n", indent, strerror(-ret));
		return;
	}
	printf("%s  self-refresh power: %llu uW, %llu uW with full refresh (%.1f%% saved)\n",
	       indent, now, full, pasr_saved(now, full));
	printf("%s  self-refresh energy since the controller came: %llu uJ, %llu uJ with "
	       "full refresh (%.1f%% saved)\n", indent, energy, full_energy,
	       pasr_saved(energy, full_energy));
}

/* The figures, and the map when @map; 0, -ENOENT when pasr is not loaded, -errno. */
static int pasr_print(const char *indent, bool map)
{
	unsigned long long dies, sections, masked;
	int ret;

	ret = pasr_read("dies", &dies);
	if (!ret)
		ret = pasr_read("sections", &sections);
	if (!ret)
		ret = pasr_read("masked", &masked);
	if (ret)
		return ret;
	printf("%sPASR: %llu dies, %llu sections, %llu masked\n", indent, dies,
	       sections, masked);
	if (!dies) {
		printf("%s  no layout (see the kernel log)\n", indent);
		return 0;
	}
	if (map) {
		ret = pasr_print_map(indent);
		if (ret == -EACCES)
			printf("%s  map: only root may see where used memory lies\n", indent);
		else if (ret)
			return ret;
	}
	pasr_print_power(indent);
	return 0;
}

int vgemctl_print_pasr(const char *indent, bool map)
{
	int ret = pasr_print(indent, map);

	if (ret == -ENOENT) {
		printf("%sPASR: not loaded\n", indent);
		return 0;
	}
	if (ret)
		fprintf(stderr, "vgemctl: %s: %s\n", PASR_SYSFS, strerror(-ret));
	return ret;
}

int vgemctl_pasr(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(pasr_help, stdout);
			return EXIT_OK;
		}
		fputs(pasr_help, stderr);
		return EXIT_USAGE;
	}
	if (optind != argc) {
		fputs(pasr_help, stderr);
		return EXIT_USAGE;
	}
	ret = pasr_print("", true);
	if (ret == -ENOENT) {
		fprintf(stderr, "vgemctl: PASR is not loaded (modprobe pasr)\n");
		return EXIT_FAIL;
	}
	if (ret) {
		fprintf(stderr, "vgemctl: %s: %s\n", PASR_SYSFS, strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
