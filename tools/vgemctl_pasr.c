// SPDX-License-Identifier: MIT
/*
 * `vgemctl pasr`: the PASR section map and power estimate, from
 * /sys/kernel/pasr/ (any user; the map, which tells where used memory lies
 * physically, for root only); as text or, with --json, as one JSON
 * document (docs/libvgem.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgemctl.h"

#define PASR_SYSFS	"/sys/kernel/pasr/"

static const char pasr_help[] =
	"Usage: vgemctl pasr [--json] [--help]\n"
	"Draw the PASR section map (one cell a section, one row a die; root\n"
	"only) and the self-refresh power estimate, from /sys/kernel/pasr/\n"
	"(needs pasr.ko; the power needs a controller that models it, such as\n"
	"pasr_sim.ko).\n"
	"Cells: M masked (not refreshed), u unused but refreshed (its pair is\n"
	"in use), p partly used, # used.\n"
	"  --json      one JSON document (docs/libvgem.md)\n"
	"  -h, --help  this text\n";

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

/* The counts of /sys/kernel/pasr/. */
struct pasr_counts {
	unsigned long long dies, sections, masked;
};

/* The power figures, of a controller that models them. */
struct pasr_power {
	unsigned long long now, full;			/* uW */
	unsigned long long energy, full_energy;		/* uJ */
};

/* 0, -ENOENT when pasr is not loaded, or -errno. */
static int pasr_read_counts(struct pasr_counts *c)
{
	int ret;

	ret = pasr_read("dies", &c->dies);
	if (!ret)
		ret = pasr_read("sections", &c->sections);
	if (!ret)
		ret = pasr_read("masked", &c->masked);
	return ret;
}

/* 0, -ENODEV when no controller models the power, or -errno. */
static int pasr_read_power(struct pasr_power *p)
{
	int ret;

	ret = pasr_read("power_uw", &p->now);
	if (!ret)
		ret = pasr_read("full_power_uw", &p->full);
	if (!ret)
		ret = pasr_read("energy_uj", &p->energy);
	if (!ret)
		ret = pasr_read("full_energy_uj", &p->full_energy);
	return ret;
}

/*
 * The section map, a row a die: printed after @indent, or appended to the
 * JSON array @rows when not NULL. 0, -EACCES for all but root, -errno.
 */
static int pasr_map(const char *indent, json_object *rows)
{
	char line[64];
	unsigned int die = 0;
	int ret = 0;
	FILE *f;

	f = fopen(PASR_SYSFS "map", "re");
	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (rows)
			ret = vgemctl_json_append(rows, json_object_new_string(line));
		else
			printf("%s  die %u  [%s]\n", indent, die++, line);
	}
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	return ret;
}

/* What full refresh would cost more than @now, in % of @full. */
static double pasr_saved(unsigned long long now, unsigned long long full)
{
	return full && now <= full ? 100.0 * (double)(full - now) / (double)full : 0.0;
}

static void pasr_print_power(const char *indent)
{
	struct pasr_power p;
	int ret;

	ret = pasr_read_power(&p);
	if (ret == -ENODEV) {
		printf("%s  power: no controller models it (modprobe pasr_sim)\n", indent);
		return;
	}
	if (ret) {
		printf("%s  power: cannot be read: %s\n", indent, strerror(-ret));
		return;
	}
	printf("%s  self-refresh power: %llu uW, %llu uW with full refresh (%.1f%% saved)\n",
	       indent, p.now, p.full, pasr_saved(p.now, p.full));
	printf("%s  self-refresh energy since the controller came: %llu uJ, %llu uJ with "
	       "full refresh (%.1f%% saved)\n", indent, p.energy, p.full_energy,
	       pasr_saved(p.energy, p.full_energy));
}

/* The figures, and the map when @map; 0, -ENOENT when pasr is not loaded, -errno. */
static int pasr_print(const char *indent, bool map)
{
	struct pasr_counts c;
	int ret;

	ret = pasr_read_counts(&c);
	if (ret)
		return ret;
	printf("%sPASR: %llu dies, %llu sections, %llu masked\n", indent, c.dies,
	       c.sections, c.masked);
	if (!c.dies) {
		printf("%s  no layout (see the kernel log)\n", indent);
		return 0;
	}
	if (map) {
		ret = pasr_map(indent, NULL);
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

/*
 * "map": the rows, or null for all but root and without a layout;
 * 0, -ENOMEM or -errno.
 */
static int pasr_json_map(json_object *pasr, bool layout)
{
	json_object *rows;
	int ret;

	if (!layout)
		return vgemctl_json_add_null(pasr, "map");
	rows = json_object_new_array();
	if (!rows)
		return -ENOMEM;
	ret = pasr_map("", rows);
	if (ret) {
		json_object_put(rows);
		return ret == -EACCES ? vgemctl_json_add_null(pasr, "map") : ret;
	}
	return vgemctl_json_add(pasr, "map", rows);
}

/*
 * "power": the figures, null without a layout or a controller that models
 * them, or { "error": ... } when they cannot be read (said on stderr, but
 * not a failure, as in the text); 0 or -ENOMEM.
 */
static int pasr_json_power(json_object *pasr, bool layout)
{
	struct pasr_power p;
	json_object *obj;
	int ret;

	ret = layout ? pasr_read_power(&p) : -ENODEV;
	if (ret == -ENODEV)
		return vgemctl_json_add_null(pasr, "power");
	obj = json_object_new_object();
	if (vgemctl_json_add(pasr, "power", obj))
		return -ENOMEM;
	if (ret) {
		fprintf(stderr, "vgemctl: PASR power cannot be read: %s\n", strerror(-ret));
		return vgemctl_json_add_str(obj, "error", strerror(-ret));
	}
	if (vgemctl_json_add_u64(obj, "power_uw", p.now) ||
	    vgemctl_json_add_u64(obj, "full_power_uw", p.full) ||
	    vgemctl_json_add_percent(obj, "power_saved_percent", pasr_saved(p.now, p.full)) ||
	    vgemctl_json_add_u64(obj, "energy_uj", p.energy) ||
	    vgemctl_json_add_u64(obj, "full_energy_uj", p.full_energy) ||
	    vgemctl_json_add_percent(obj, "energy_saved_percent",
				     pasr_saved(p.energy, p.full_energy)))
		return -ENOMEM;
	return 0;
}

int vgemctl_pasr_json(bool map, json_object **out)
{
	struct pasr_counts c;
	json_object *pasr;
	int ret;

	*out = NULL;
	ret = pasr_read_counts(&c);
	if (ret == -ENOENT)
		return ret;
	pasr = json_object_new_object();
	if (!pasr)
		return -ENOMEM;
	if (ret) {
		fprintf(stderr, "vgemctl: %s: %s\n", PASR_SYSFS, strerror(-ret));
		if (vgemctl_json_add_str(pasr, "error", strerror(-ret)))
			goto nomem;
		*out = pasr;
		return ret;
	}
	if (vgemctl_json_add_u64(pasr, "dies", c.dies) ||
	    vgemctl_json_add_u64(pasr, "sections", c.sections) ||
	    vgemctl_json_add_u64(pasr, "masked", c.masked))
		goto nomem;
	ret = map ? pasr_json_map(pasr, c.dies != 0) : 0;
	if (ret == -ENOMEM)
		goto nomem;
	if (ret) {
		fprintf(stderr, "vgemctl: %smap: %s\n", PASR_SYSFS, strerror(-ret));
		if (vgemctl_json_add_str(pasr, "error", strerror(-ret)))
			goto nomem;
		*out = pasr;
		return ret;
	}
	if (pasr_json_power(pasr, c.dies != 0))
		goto nomem;
	*out = pasr;
	return 0;

nomem:
	json_object_put(pasr);
	return -ENOMEM;
}

/* `vgemctl pasr --json`: { "pasr": ... }, null when pasr is not loaded (a failure). */
static int pasr_json_doc(void)
{
	json_object *doc, *pasr;
	int ret;

	doc = json_object_new_object();
	if (!doc)
		goto nomem;
	ret = vgemctl_pasr_json(true, &pasr);
	if (ret == -ENOMEM)
		goto nomem;
	if (ret == -ENOENT) {
		fprintf(stderr, "vgemctl: PASR is not loaded (modprobe pasr)\n");
		if (vgemctl_json_add_null(doc, "pasr"))
			goto nomem;
	} else if (vgemctl_json_add(doc, "pasr", pasr)) {
		goto nomem;
	}
	if (vgemctl_json_print(doc) != EXIT_OK)
		return EXIT_FAIL;
	return ret ? EXIT_FAIL : EXIT_OK;

nomem:
	fprintf(stderr, "vgemctl: out of memory building the JSON document\n");
	json_object_put(doc);
	return EXIT_FAIL;
}

int vgemctl_pasr(int argc, char **argv)
{
	enum { OPT_JSON = 0x100 };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == OPT_JSON) {
			json = true;
			continue;
		}
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
	if (json)
		return pasr_json_doc();
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
