// SPDX-License-Identifier: MIT
/*
 * vgemctl_json: `vgemctl --version` and the JSON documents of `vgemctl
 * info|list|stats|pasr --json` (docs/libvgem.md), parsed with json-c and
 * checked against what libvgem, sysfs and the test itself say; and the
 * "not available:" line of `vgemctl info`, printed only when a capability
 * is missing.
 *
 * Subtests reload vgem with num_devices=2 (so that no object of another
 * test is left) and load pasr.ko on a layout beyond RAM (pasr_basic's),
 * which they unload again. The version is compared with the VERSION file
 * of the source tree (VGEM_SOURCE_ROOT, from meson), read at run time.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/igt.h"
#include "lib/igt_libvgem.h"
#include "lib/igt_module.h"
#include "lib/igt_pasr.h"
#include "lib/igt_vgemctl.h"
#include "vgem.h"

#ifndef VGEM_SOURCE_ROOT
#error "VGEM_SOURCE_ROOT comes from meson"
#endif

#define OUT_SIZE	65536
/* Two dies of 4 sections at 1 TiB, beyond RAM: nothing changes them. */
#define PASR_LAYOUT	"layout=0x10000000000+16M:4seg,0x10001000000+16M:4 context=none"
#define NO_CONTEXT	"cma_context=vgemctl-json-none"

static char out[OUT_SIZE];

/* ---- the document ---------------------------------------------------------- */

/* Parses @text, which must be one JSON document and nothing else but blanks. */
static json_object *parse(const char *text)
{
	json_tokener *tok = json_tokener_new();
	json_object *doc;
	size_t end;

	igt_assert(tok);
	doc = json_tokener_parse_ex(tok, text, strlen(text));
	igt_assert_f(doc && json_tokener_get_error(tok) == json_tokener_success,
		     "not a JSON document: %s\n",
		     json_tokener_error_desc(json_tokener_get_error(tok)));
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	igt_assert_f(strspn(text + end, " \n") == strlen(text + end),
		     "something after the document: %s\n", text + end);
	igt_assert(json_object_is_type(doc, json_type_object));
	return doc;
}

/* Member @key of @obj, which must be there (it may be null). */
static json_object *member(json_object *obj, const char *key)
{
	json_object *value;

	igt_assert(json_object_is_type(obj, json_type_object));
	igt_assert_f(json_object_object_get_ex(obj, key, &value), "no \"%s\" in %s\n",
		     key, json_object_to_json_string(obj));
	return value;
}

static bool has(json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

static json_object *typed(json_object *obj, const char *key, json_type type)
{
	json_object *value = member(obj, key);

	igt_assert_f(json_object_is_type(value, type), "\"%s\" is a %s, not a %s\n", key,
		     json_type_to_name(json_object_get_type(value)), json_type_to_name(type));
	return value;
}

static uint64_t u64(json_object *obj, const char *key)
{
	return json_object_get_uint64(typed(obj, key, json_type_int));
}

static int64_t i64(json_object *obj, const char *key)
{
	return json_object_get_int64(typed(obj, key, json_type_int));
}

static const char *str(json_object *obj, const char *key)
{
	return json_object_get_string(typed(obj, key, json_type_string));
}

static bool is_null(json_object *obj, const char *key)
{
	return member(obj, key) == NULL;
}

/* The "devices" array of @doc, which must have @n entries. */
static json_object *devices(json_object *doc, size_t n)
{
	json_object *array = typed(doc, "devices", json_type_array);

	igt_assert_eq(json_object_array_length(array), n);
	return array;
}

/* Entry @i of @array, an object that reports no error. */
static json_object *entry(json_object *array, size_t i)
{
	json_object *dev = json_object_array_get_idx(array, i);

	igt_assert(json_object_is_type(dev, json_type_object));
	igt_assert_f(!has(dev, "error"), "entry %zu: %s\n", i, str(dev, "error"));
	return dev;
}

/* Runs `vgemctl @args` as root; it must exit 0 and print a document. */
static json_object *run_json(const char *args)
{
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "%s", args), 0);
	return parse(out);
}

/* ---- --version ------------------------------------------------------------- */

static void test_version(void)
{
	char version[64] = "", want[128];
	FILE *f;

	f = fopen(VGEM_SOURCE_ROOT "/VERSION", "re");
	igt_assert_f(f, "cannot open %s/VERSION\n", VGEM_SOURCE_ROOT);
	igt_assert(fgets(version, sizeof(version), f));
	fclose(f);
	version[strcspn(version, " \t\n")] = '\0';
	igt_assert(version[0]);
	snprintf(want, sizeof(want), "vgemctl %s (libvgem %d.%d)\n", version,
		 VGEM_LIB_VERSION_MAJOR, VGEM_LIB_VERSION_MINOR);
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "--version"), 0);
	igt_assert_f(!strcmp(out, want), "printed \"%s\", VERSION says \"%s\"\n", out, want);
	/* Nothing after it; --help names it. */
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "--version info"), 2);
	igt_assert_eq(out[0], '\0');
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "--help"), 0);
	igt_assert(strstr(out, "--version"));
}

/* ---- info ------------------------------------------------------------------ */

static const struct { uint64_t bit; const char *key, *name; } caps[] = {
	{ VGEM_CAP_DUMB, "dumb_buffers", "dumb-buffers" },
	{ VGEM_CAP_PRIME_EXPORT, "prime_export", "prime-export" },
	{ VGEM_CAP_PRIME_IMPORT, "prime_import", "prime-import" },
	{ VGEM_CAP_FENCES, "fences", "fences" },
	{ VGEM_CAP_DMABUF_HASH, "dmabuf_hash", "dmabuf-hash" },
	{ VGEM_CAP_CONTIGUOUS, "contiguous", "contiguous" },
	{ VGEM_CAP_BO_INFO, "bo_info", "bo-info" },
};

#define NR_CAPS	(sizeof(caps) / sizeof(caps[0]))

/* Device @index's capabilities, from its primary node as vgemctl asks them. */
static uint64_t device_caps(unsigned int index)
{
	int fd = igt_libvgem_card(index);
	uint64_t mask;

	igt_assert_eq(vgem_get_caps(fd, &mask), 0);
	close(fd);
	return mask;
}

static void check_info_device(json_object *dev, unsigned int index)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
	struct vgem_version v = VGEM_INIT(struct vgem_version);
	json_object *driver, *cap;
	uint64_t mask = device_caps(index);
	unsigned int i;
	int fd;

	igt_assert_eq(vgem_device_get_info(index, &info), 0);
	igt_assert_eq(u64(dev, "index"), index);
	igt_assert(!strcmp(str(dev, "primary_node"), info.primary_path));
	igt_assert_eq(i64(dev, "primary_minor"), info.primary_minor);
	igt_assert(!strcmp(str(dev, "render_node"), info.render_path));
	igt_assert_eq(i64(dev, "render_minor"), info.render_minor);

	fd = igt_libvgem_card(index);
	igt_assert_eq(vgem_get_version(fd, &v), 0);
	close(fd);
	driver = typed(dev, "driver", json_type_object);
	igt_assert(!strcmp(str(driver, "name"), "vgem"));
	igt_assert(!strcmp(str(driver, "name"), v.name));
	igt_assert_eq(i64(driver, "major"), v.major);
	igt_assert_eq(i64(driver, "minor"), v.minor);
	igt_assert_eq(i64(driver, "patchlevel"), v.patchlevel);
	igt_assert(!strcmp(str(driver, "date"), v.date));
	igt_assert(!strcmp(str(driver, "description"), v.desc));

	cap = typed(dev, "capabilities", json_type_object);
	igt_assert_eq(json_object_object_length(cap), NR_CAPS);
	for (i = 0; i < NR_CAPS; i++)
		igt_assert_f(json_object_get_boolean(typed(cap, caps[i].key,
							   json_type_boolean)) ==
			     !!(mask & caps[i].bit), "capability %s\n", caps[i].key);
}

static void test_info_json(void)
{
	char version[16];
	json_object *doc, *array;

	igt_vgem_reload(2);
	igt_assert_eq(vgem_device_count(), 2);
	doc = run_json("info --json");
	snprintf(version, sizeof(version), "%d.%d", VGEM_LIB_VERSION_MAJOR,
		 VGEM_LIB_VERSION_MINOR);
	igt_assert(!strcmp(str(doc, "libvgem_version"), version));
	igt_assert_eq(i64(doc, "device_count"), 2);
	array = devices(doc, 2);
	check_info_device(entry(array, 0), 0);
	check_info_device(entry(array, 1), 1);
	json_object_put(doc);

	/* -d: that device only; the count stays the system's. */
	doc = run_json("info --json -d 1");
	igt_assert_eq(i64(doc, "device_count"), 2);
	check_info_device(entry(devices(doc, 1), 0), 1);
	json_object_put(doc);

	/* No such device: exit 3, nothing on stdout. */
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "info --json -d 2"), 3);
	igt_assert_eq(out[0], '\0');
}

/*
 * `vgemctl info -d 0`'s capability lines against @mask: "not available:"
 * lists exactly what is missing, and is not printed when nothing is.
 * Returns whether something is missing.
 */
static bool check_not_available_line(void)
{
	char want_caps[256] = "  capabilities:", want_missing[256] = "  not available:";
	uint64_t mask = device_caps(0);
	bool missing = false;
	unsigned int i;

	for (i = 0; i < NR_CAPS; i++) {
		char *s = mask & caps[i].bit ? want_caps : want_missing;

		strcat(s, " ");
		strcat(s, caps[i].name);
		missing |= !(mask & caps[i].bit);
	}
	strcat(want_caps, "\n");
	strcat(want_missing, "\n");
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "info -d 0"), 0);
	igt_assert_f(strstr(out, want_caps), "no line \"%s\"\n", want_caps);
	if (missing)
		igt_assert_f(strstr(out, want_missing), "no line \"%s\"\n", want_missing);
	else
		igt_assert_f(!strstr(out, "not available"),
			     "a \"not available\" line with everything available\n");
	return missing;
}

static void test_info_not_available(void)
{
	bool all = false;

	igt_vgem_reload_params("num_devices=2");
	all |= !check_not_available_line();
	/* Without a context, "contiguous" is missing. */
	igt_vgem_reload_params("num_devices=2 " NO_CONTEXT);
	igt_assert(!(device_caps(0) & VGEM_CAP_CONTIGUOUS));
	igt_assert(check_not_available_line());
	igt_vgem_reload_params("num_devices=2");
	if (!all)
		igt_skip("no contiguous memory (boot with movablecore=256M): only the "
			 "line of missing capabilities checked\n");
}

/* ---- stats ----------------------------------------------------------------- */

/* Device entry @dev of `stats --json` against libvgem's figures @st. */
static void check_stats(json_object *dev, const struct vgem_stats *st)
{
	json_object *g;

	igt_assert_eq(!is_null(dev, "objects"), !!(st->valid & VGEM_STATS_OBJECTS));
	g = member(dev, "objects");
	if (g) {
		igt_assert_eq(u64(g, "count"), st->objects);
		igt_assert_eq(u64(g, "bytes"), st->bytes);
		igt_assert_eq(u64(g, "exported"), st->exported);
		igt_assert_eq(u64(g, "imported"), st->imported);
		igt_assert_eq(u64(g, "pinned"), st->pinned);
	}
	igt_assert_eq(!is_null(dev, "dmabuf_hash"), !!(st->valid & VGEM_STATS_HASH));
	g = member(dev, "dmabuf_hash");
	if (g) {
		igt_assert_eq(u64(g, "lookups"), st->hash_lookups);
		igt_assert_eq(u64(g, "hits"), st->hash_hits);
	}
	igt_assert_eq(!is_null(dev, "contiguous"), !!(st->valid & VGEM_STATS_CMA));
	g = member(dev, "contiguous");
	if (g) {
		igt_assert_eq(u64(g, "bytes_used"), st->cma_bytes_used);
		igt_assert_eq(u64(g, "bytes_total"), st->cma_bytes_total);
	}
	igt_assert_eq(!is_null(dev, "contiguous_limits"),
		      !!(st->valid & VGEM_STATS_CONTIG_LIMITS));
	g = member(dev, "contiguous_limits");
	if (g) {
		igt_assert_eq(u64(g, "max_buffer_bytes"), st->contig_max_buffer);
		igt_assert_eq(u64(g, "user_limit_bytes"), st->contig_user_limit);
		igt_assert_eq(u64(g, "refused_over_max_buffer"), st->contig_over_max_buffer);
		igt_assert_eq(u64(g, "refused_over_user_limit"), st->contig_over_user_limit);
	}
}

static void get_stats(int fd, struct vgem_stats *st)
{
	*st = VGEM_INIT(struct vgem_stats);
	igt_assert_eq(vgem_get_stats(fd, st), 0);
}

/* `stats --json -d 0`, checked against @fd's statistics; the device entry's doc. */
static json_object *stats_doc(int fd, struct vgem_stats *st)
{
	json_object *doc = run_json("stats --json -d 0");

	get_stats(fd, st);
	igt_assert_eq(u64(entry(devices(doc, 1), 0), "index"), 0);
	check_stats(entry(devices(doc, 1), 0), st);
	return doc;
}

static void test_stats_json(void)
{
	struct vgem_stats before, st;
	struct vgem_bo a, b;
	json_object *doc, *objects;
	int fd, dmabuf;
	bool context;

	igt_vgem_reload_params("num_devices=2");
	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(fd >= 0);
	doc = stats_doc(fd, &before);
	objects = member(entry(devices(doc, 1), 0), "objects");
	igt_assert_eq(u64(objects, "count"), 0);	/* a fresh module */
	igt_assert_eq(u64(objects, "bytes"), 0);
	/* PASR: null when pasr.ko is not loaded (pasr-json checks it loaded). */
	igt_assert_eq(access(IGT_PASR_SYSFS, F_OK) != 0, is_null(doc, "pasr"));
	json_object_put(doc);

	/* 16 KiB and 64 KiB, the first exported. */
	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_SHMEM, &a), 0);
	igt_assert_eq(vgem_bo_create(fd, 128, 128, 32, VGEM_BO_CREATE_SHMEM, &b), 0);
	igt_assert_eq(vgem_bo_export(fd, a.handle, VGEM_EXPORT_RDWR, &dmabuf), 0);
	doc = stats_doc(fd, &st);
	objects = member(entry(devices(doc, 1), 0), "objects");
	igt_assert_eq(u64(objects, "count"), 2);
	igt_assert_eq(u64(objects, "bytes"), 16384 + 65536);
	igt_assert_eq(u64(objects, "exported"), 1);
	igt_assert_eq(u64(objects, "imported"), 0);
	json_object_put(doc);

	/* All devices: device 1 has none of them. */
	doc = run_json("stats --json");
	objects = member(entry(devices(doc, 2), 1), "objects");
	igt_assert_eq(u64(entry(devices(doc, 2), 1), "index"), 1);
	igt_assert_eq(u64(objects, "count"), 0);
	igt_assert_eq(u64(member(entry(devices(doc, 2), 0), "objects"), "count"), 2);
	json_object_put(doc);

	close(dmabuf);
	igt_assert_eq(vgem_bo_close(fd, a.handle), 0);
	igt_assert_eq(vgem_bo_close(fd, b.handle), 0);
	doc = stats_doc(fd, &st);
	igt_assert_eq(u64(member(entry(devices(doc, 1), 0), "objects"), "count"), 0);
	context = !is_null(entry(devices(doc, 1), 0), "contiguous");
	json_object_put(doc);
	close(fd);

	/* Without a context: "contiguous" null, the limits still there. */
	igt_vgem_reload_params("num_devices=2 " NO_CONTEXT);
	fd = vgem_open(0, VGEM_NODE_RENDER);
	igt_assert(fd >= 0);
	doc = stats_doc(fd, &st);
	igt_assert(is_null(entry(devices(doc, 1), 0), "contiguous"));
	igt_assert(!is_null(entry(devices(doc, 1), 0), "contiguous_limits"));
	json_object_put(doc);
	close(fd);
	igt_vgem_reload_params("num_devices=2");
	if (!context)
		igt_skip("no contiguous memory (boot with movablecore=256M): its "
			 "figures not checked\n");
}

/* ---- list ------------------------------------------------------------------ */

static void test_list_json(void)
{
	struct vgem_object_entry e[4];
	struct vgem_bo a, b;
	json_object *doc, *objects, *obj;
	int fd, dmabuf, n, i, j, seen = 0;

	igt_vgem_reload_params("num_devices=2");
	fd = igt_libvgem_card(0);
	n = vgem_list_objects(fd, NULL, 0);
	igt_require_f(n >= 0, "no object list (debugfs?): %d\n", n);
	igt_assert_eq(n, 0);
	doc = run_json("list --json -d 0");
	igt_assert_eq(json_object_array_length(typed(entry(devices(doc, 1), 0), "objects",
						     json_type_array)), 0);
	json_object_put(doc);

	igt_assert_eq(vgem_bo_create(fd, 64, 64, 32, VGEM_BO_CREATE_SHMEM, &a), 0);
	igt_assert_eq(vgem_bo_create(fd, 128, 128, 32, VGEM_BO_CREATE_SHMEM, &b), 0);
	igt_assert_eq(vgem_bo_export(fd, a.handle, VGEM_EXPORT_RDWR, &dmabuf), 0);
	e[0].size = sizeof(e[0]);
	n = vgem_list_objects(fd, e, 4);
	igt_assert_eq(n, 2);
	doc = run_json("list --json");
	objects = typed(entry(devices(doc, 2), 0), "objects", json_type_array);
	igt_assert_eq(json_object_array_length(objects), 2);
	for (i = 0; i < 2; i++) {
		obj = json_object_array_get_idx(objects, i);
		for (j = 0; j < n && e[j].bo_size != u64(obj, "size"); j++)
			;
		igt_assert_f(j < n, "an object of %" PRIu64 " bytes\n", u64(obj, "size"));
		seen |= 1 << j;
		igt_assert(!strcmp(str(obj, "backing"), e[j].backing));
		igt_assert(!strcmp(str(obj, "backing"), "shmem"));
		igt_assert_eq(u64(obj, "handles"), e[j].handles);
		igt_assert_eq(u64(obj, "handles"), 1);
		igt_assert_eq(u64(obj, "refs"), e[j].refs);
		igt_assert_eq(u64(obj, "pins"), e[j].pins);
		igt_assert_eq(u64(obj, "vmaps"), e[j].vmaps);
		/* The driver's "-" is "none". */
		igt_assert(!strcmp(str(obj, "state"),
				   e[j].bo_size == a.size ? "exported" : "none"));
	}
	igt_assert_eq(seen, 3);
	/* Device 1 has none. */
	igt_assert_eq(u64(entry(devices(doc, 2), 1), "index"), 1);
	igt_assert_eq(json_object_array_length(typed(entry(devices(doc, 2), 1), "objects",
						     json_type_array)), 0);
	json_object_put(doc);
	close(dmabuf);
	close(fd);
}

/*
 * uid 65534 with the render nodes 0666 (as udev makes them; the guest's
 * devtmpfs leaves them 0600), so that it finds the devices: its `stats
 * --json` has the figures; its `list --json` cannot read debugfs: exit 1,
 * still a document, the entry with "error" and without "objects".
 */
static void test_device_error(void)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
	json_object *doc, *dev;
	const char *error;
	unsigned int i;

	igt_vgem_reload_params("num_devices=2");
	for (i = 0; i < 2; i++) {
		igt_assert_eq(vgem_device_get_info(i, &info), 0);
		igt_assert_eq(chmod(info.render_path, 0666), 0);
	}
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), true, "stats --json -d 1"), 0);
	doc = parse(out);
	dev = entry(devices(doc, 1), 0);
	igt_assert_eq(u64(dev, "index"), 1);
	igt_assert_eq(u64(member(dev, "objects"), "count"), 0);
	json_object_put(doc);

	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), true, "list --json"), 1);
	doc = parse(out);
	for (i = 0; i < 2; i++) {
		dev = json_object_array_get_idx(devices(doc, 2), i);
		igt_assert_eq(u64(dev, "index"), i);
		error = str(dev, "error");
		igt_assert_f(!strcmp(error, strerror(EACCES)) ||
			     !strcmp(error, strerror(ENOENT)), "error \"%s\"\n", error);
		igt_assert(!has(dev, "objects"));
	}
	json_object_put(doc);
	for (i = 0; i < 2; i++) {
		igt_assert_eq(vgem_device_get_info(i, &info), 0);
		igt_assert_eq(chmod(info.render_path, 0600), 0);
	}
}

/* ---- pasr ------------------------------------------------------------------ */

/* The "pasr" object of @doc against sysfs; the map when @map (root). */
static void check_pasr(json_object *pasr, bool map, bool power)
{
	char want[64], rows[64] = "";
	json_object *array, *p;
	double saved;
	size_t i;

	igt_assert(json_object_is_type(pasr, json_type_object));
	igt_assert(!has(pasr, "error"));
	igt_assert_eq(u64(pasr, "dies"), igt_pasr_value("dies"));
	igt_assert_eq(u64(pasr, "sections"), igt_pasr_value("sections"));
	igt_assert_eq(u64(pasr, "masked"), igt_pasr_value("masked"));
	if (map) {
		igt_assert_eq(igt_pasr_map(want, sizeof(want)), 0);
		array = typed(pasr, "map", json_type_array);
		igt_assert_eq(json_object_array_length(array), 2);
		for (i = 0; i < json_object_array_length(array); i++) {
			p = json_object_array_get_idx(array, i);
			igt_assert(json_object_is_type(p, json_type_string));
			if (i)
				strcat(rows, "|");
			strcat(rows, json_object_get_string(p));
		}
		igt_assert_f(!strcmp(rows, want), "map %s, sysfs %s\n", rows, want);
	}
	if (!power) {
		igt_assert(is_null(pasr, "power"));
		return;
	}
	p = typed(pasr, "power", json_type_object);
	igt_assert_eq(u64(p, "power_uw"), igt_pasr_value("power_uw"));
	igt_assert_eq(u64(p, "full_power_uw"), igt_pasr_value("full_power_uw"));
	igt_assert(u64(p, "power_uw") > 0);
	igt_assert(u64(p, "energy_uj") <= (uint64_t)igt_pasr_value("energy_uj"));
	igt_assert(u64(p, "energy_uj") <= u64(p, "full_energy_uj"));
	igt_assert(u64(p, "full_energy_uj") <= (uint64_t)igt_pasr_value("full_energy_uj"));
	/* One decimal, as the text shows it. */
	saved = json_object_get_double(typed(p, "power_saved_percent", json_type_double)) -
		100.0 * (double)(u64(p, "full_power_uw") - u64(p, "power_uw")) /
		(double)u64(p, "full_power_uw");
	igt_assert_f(saved >= -0.05 - 1e-9 && saved <= 0.05 + 1e-9, "saved %% off by %f\n",
		     saved);
	igt_assert(json_object_is_type(member(p, "energy_saved_percent"), json_type_double));
}

static void test_pasr_json(void)
{
	json_object *doc;

	igt_vgem_reload_params("num_devices=2");
	igt_pasr_load(PASR_LAYOUT);
	igt_assert_eq(igt_pasr_value("dies"), 2);
	/* No controller models the power yet: null. */
	doc = run_json("pasr --json");
	check_pasr(member(doc, "pasr"), true, false);
	json_object_put(doc);

	igt_assert_eq(igt_system("modprobe pasr_sim"), 0);
	doc = run_json("pasr --json");
	check_pasr(member(doc, "pasr"), true, true);
	json_object_put(doc);
	/* The map is root's: null for others, the rest the same. */
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), true, "pasr --json"), 0);
	doc = parse(out);
	igt_assert(is_null(member(doc, "pasr"), "map"));
	check_pasr(member(doc, "pasr"), false, true);
	json_object_put(doc);
	/* `stats` has the figures, never the map. */
	doc = run_json("stats --json");
	check_pasr(member(doc, "pasr"), false, true);
	igt_assert(!has(member(doc, "pasr"), "map"));
	json_object_put(doc);

	/* Not loaded: `pasr` fails with a null, `stats` says null. */
	igt_pasr_unload();
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "pasr --json"), 1);
	doc = parse(out);
	igt_assert(is_null(doc, "pasr"));
	json_object_put(doc);
	doc = run_json("stats --json");
	igt_assert(is_null(doc, "pasr"));
	json_object_put(doc);
}

static const struct igt_subtest subtests[] = {
	{ "version", test_version },
	{ "info-json", test_info_json },
	{ "info-not-available", test_info_not_available },
	{ "stats-json", test_stats_json },
	{ "list-json", test_list_json },
	{ "device-error", test_device_error },
	{ "pasr-json", test_pasr_json },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
