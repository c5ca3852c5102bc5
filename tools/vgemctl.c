// SPDX-License-Identifier: MIT
/*
 * vgemctl: look at vgem devices from the command line, on libvgem.
 *
 *   vgemctl info   devices, driver version, capabilities
 *   vgemctl list   the live objects of each device (debugfs, root)
 *   vgemctl stats  per-device statistics (any user), which are not available,
 *                  and the PASR figures
 *   vgemctl demo   two processes share a buffer through PRIME (vgemctl_demo.c)
 *   vgemctl pasr   the PASR section map and power estimate (vgemctl_pasr.c)
 *
 * info, list, stats and pasr print text, or with --json one JSON document
 * (docs/libvgem.md describes it), built with json-c so that it is always
 * well formed. `vgemctl --version` says the project's version (VERSION,
 * passed by meson as VGEMCTL_VERSION) and the libvgem it was built with.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgem.h"
#include "vgemctl.h"

#ifndef VGEMCTL_VERSION
#error "VGEMCTL_VERSION comes from meson (the project version, VERSION)"
#endif

static const char exit_codes[] =
	"Exit status: 0 success, 1 an operation failed, 2 usage error,\n"
	"3 no vgem device (or not the one asked for), 4 demo pixels differ.\n";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vgemctl [--help | --version] COMMAND [OPTIONS]\n"
		"Inspect vgem devices and run the PRIME demo.\n\n"
		"Commands:\n"
		"  info    devices, driver version and capabilities\n"
		"  list    live objects of each device (needs debugfs, root)\n"
		"  stats   statistics of each device\n"
		"  demo    producer and consumer processes share a buffer\n"
		"  pasr    PASR section map and self-refresh power estimate\n\n"
		"`vgemctl COMMAND --help` describes a command's options; info, list,\n"
		"stats and pasr print one JSON document with --json.\n"
		"`vgemctl --version` prints vgemctl's version and libvgem's.\n%s",
		exit_codes);
}

/*
 * Says in the JSON object @dev (NULL: text output, nothing to do) that
 * reading it failed with @err, which stderr told; returns @err, or -ENOMEM.
 */
static int json_error(json_object *dev, int err)
{
	if (dev && vgemctl_json_add_str(dev, "error", strerror(-err)))
		return -ENOMEM;
	return err;
}

/* A new object appended to @array with "index": @index, into *@out; 0 or -ENOMEM. */
static int json_device(json_object *array, unsigned int index, json_object **out)
{
	json_object *dev = json_object_new_object();

	*out = dev;
	if (vgemctl_json_append(array, dev))
		return -ENOMEM;
	return vgemctl_json_add_u64(dev, "index", index);
}

/* ---- what the listing commands share -------------------------------------- */

/*
 * Parses -d/--device, --json and -h/--help; returns -1 to go on, else an
 * exit code.
 */
static int parse_common(int argc, char **argv, const char *help, long *device,
			bool *json)
{
	enum { OPT_JSON = 0x100 };
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*device = -1;
	*json = false;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			errno = 0;
			*device = strtol(optarg, &end, 10);
			if (errno || *end || *device < 0) {
				fprintf(stderr, "vgemctl: bad device index '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_JSON:
			*json = true;
			break;
		case 'h':
			printf("%s%s", help, exit_codes);
			return EXIT_OK;
		default:
			fprintf(stderr, "%s", help);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vgemctl: unexpected argument '%s'\n%s", argv[optind], help);
		return EXIT_USAGE;
	}
	return -1;
}

/*
 * The range of devices to show: all, or the one of -d; sets *first,
 * *last and *count (of the system).
 */
static int device_range(long device, unsigned int *first, unsigned int *last,
			int *count)
{
	*count = vgem_device_count();
	if (*count < 0) {
		fprintf(stderr, "vgemctl: cannot list devices: %s\n", strerror(-*count));
		return EXIT_FAIL;
	}
	if (*count == 0) {
		fprintf(stderr, "vgemctl: no vgem device (is the module loaded? modprobe vgem)\n");
		return EXIT_NODEV;
	}
	if (device >= *count) {
		fprintf(stderr, "vgemctl: no vgem device %ld (there are %d)\n", device, *count);
		return EXIT_NODEV;
	}
	*first = device < 0 ? 0 : device;
	*last = device < 0 ? (unsigned int)*count - 1 : (unsigned int)device;
	return -1;
}

/*
 * A listing command: what it shows before the devices, of each device the
 * options select, and after them. Each prints text, or with --json adds to
 * the document (@doc, or the "devices" array @devices: NULL for text), and
 * returns 0 or -errno, said on stderr; with --json, -ENOMEM means that the
 * document could not be built.
 */
struct listing {
	const char *help;
	int (*before)(int count, json_object *doc);	/* or NULL */
	int (*show)(unsigned int index, json_object *devices);
	int (*after)(json_object *doc);			/* or NULL */
};

/*
 * Runs @l: EXIT_FAIL when any part of it failed. With --json the document
 * is printed whenever the devices could be counted (a part that failed
 * says so in it), unless it could not be built.
 */
static int run_listing(int argc, char **argv, const struct listing *l)
{
	json_object *doc = NULL, *devices = NULL;
	unsigned int first, last, i;
	int ret, count, status = EXIT_OK;
	long device;
	bool json;

	ret = parse_common(argc, argv, l->help, &device, &json);
	if (ret >= 0)
		return ret;
	ret = device_range(device, &first, &last, &count);
	if (ret >= 0)
		return ret;
	if (json) {
		doc = json_object_new_object();
		if (!doc)
			goto nomem;
	}
	if (l->before) {
		ret = l->before(count, doc);
		if (json && ret == -ENOMEM)
			goto nomem;
		if (ret)
			status = EXIT_FAIL;
	}
	if (json) {
		devices = json_object_new_array();
		if (vgemctl_json_add(doc, "devices", devices))
			goto nomem;
	}
	for (i = first; i <= last; i++) {
		ret = l->show(i, devices);
		if (json && ret == -ENOMEM)
			goto nomem;
		if (ret)
			status = EXIT_FAIL;
	}
	if (l->after) {
		ret = l->after(doc);
		if (json && ret == -ENOMEM)
			goto nomem;
		if (ret)
			status = EXIT_FAIL;
	}
	if (json && vgemctl_json_print(doc) != EXIT_OK)
		status = EXIT_FAIL;
	return status;

nomem:
	fprintf(stderr, "vgemctl: out of memory building the JSON document\n");
	json_object_put(doc);
	return EXIT_FAIL;
}

/* What to suggest when a debugfs-backed call fails with @err. */
static const char *debugfs_hint(int err)
{
	return err == -ENOENT || err == -EACCES ? " (debugfs mounted? root?)" : "";
}

/* Opens device @index, primary node first (it answers every cap); prints why not. */
static int open_device(unsigned int index)
{
	int fd = vgem_open(index, VGEM_NODE_PRIMARY);

	if (fd < 0)
		fd = vgem_open(index, VGEM_NODE_RENDER);
	if (fd < 0)
		fprintf(stderr, "vgemctl: cannot open vgem device %u: %s\n", index,
			strerror(-fd));
	return fd;
}

/* ---- info ----------------------------------------------------------------- */

static const char info_help[] =
	"Usage: vgemctl info [-d INDEX] [--json]\n"
	"Lists vgem devices: nodes, driver version, capabilities.\n"
	"  -d, --device INDEX   only this device\n"
	"      --json           one JSON document (docs/libvgem.md)\n"
	"  -h, --help           this text\n";

static const struct {
	uint64_t bit;
	const char *name;	/* in the text */
	const char *key;	/* in the JSON */
} cap_names[] = {
	{ VGEM_CAP_DUMB, "dumb-buffers", "dumb_buffers" },
	{ VGEM_CAP_PRIME_EXPORT, "prime-export", "prime_export" },
	{ VGEM_CAP_PRIME_IMPORT, "prime-import", "prime_import" },
	{ VGEM_CAP_FENCES, "fences", "fences" },
	{ VGEM_CAP_DMABUF_HASH, "dmabuf-hash", "dmabuf_hash" },
	{ VGEM_CAP_CONTIGUOUS, "contiguous", "contiguous" },
	{ VGEM_CAP_BO_INFO, "bo-info", "bo_info" },
};

#define NR_CAPS	(sizeof(cap_names) / sizeof(cap_names[0]))

/* The capabilities, and on a line of their own those missing, if any. */
static void print_caps(uint64_t caps)
{
	bool missing = false;
	unsigned int i;

	printf("  capabilities:");
	for (i = 0; i < NR_CAPS; i++) {
		if (caps & cap_names[i].bit)
			printf(" %s", cap_names[i].name);
		else
			missing = true;
	}
	printf("\n");
	if (!missing)
		return;
	printf("  not available:");
	for (i = 0; i < NR_CAPS; i++)
		if (!(caps & cap_names[i].bit))
			printf(" %s", cap_names[i].name);
	printf("\n");
}

/* "capabilities": { "<key>": true|false, ... } */
static int json_caps(json_object *dev, uint64_t caps)
{
	json_object *obj = json_object_new_object();
	unsigned int i;

	if (vgemctl_json_add(dev, "capabilities", obj))
		return -ENOMEM;
	for (i = 0; i < NR_CAPS; i++)
		if (vgemctl_json_add(obj, cap_names[i].key,
				     json_object_new_boolean(!!(caps & cap_names[i].bit))))
			return -ENOMEM;
	return 0;
}

/* A node's path and minor, or null for both when the device has no such node. */
static int json_node(json_object *dev, const char *key, const char *minor_key,
		     const char *path, int minor)
{
	if (!path[0]) {
		if (vgemctl_json_add_null(dev, key) || vgemctl_json_add_null(dev, minor_key))
			return -ENOMEM;
	} else if (vgemctl_json_add_str(dev, key, path) ||
		   vgemctl_json_add_int(dev, minor_key, minor)) {
		return -ENOMEM;
	}
	return 0;
}

static int json_driver(json_object *dev, const struct vgem_version *v)
{
	json_object *obj = json_object_new_object();

	if (vgemctl_json_add(dev, "driver", obj) ||
	    vgemctl_json_add_str(obj, "name", v->name) ||
	    vgemctl_json_add_int(obj, "major", v->major) ||
	    vgemctl_json_add_int(obj, "minor", v->minor) ||
	    vgemctl_json_add_int(obj, "patchlevel", v->patchlevel) ||
	    vgemctl_json_add_str(obj, "date", v->date) ||
	    vgemctl_json_add_str(obj, "description", v->desc))
		return -ENOMEM;
	return 0;
}

static int info_before(int count, json_object *doc)
{
	char version[16];

	if (!doc) {
		printf("%d vgem device(s), libvgem %d.%d\n", count,
		       VGEM_LIB_VERSION_MAJOR, VGEM_LIB_VERSION_MINOR);
		return 0;
	}
	snprintf(version, sizeof(version), "%d.%d", VGEM_LIB_VERSION_MAJOR,
		 VGEM_LIB_VERSION_MINOR);
	if (vgemctl_json_add_str(doc, "libvgem_version", version) ||
	    vgemctl_json_add_int(doc, "device_count", count))
		return -ENOMEM;
	return 0;
}

static int info_device(unsigned int index, json_object *devices)
{
	struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
	struct vgem_version v = VGEM_INIT(struct vgem_version);
	json_object *dev = NULL;
	uint64_t caps;
	int ret, fd;

	if (devices && json_device(devices, index, &dev))
		return -ENOMEM;
	ret = vgem_device_get_info(index, &info);
	if (ret) {
		fprintf(stderr, "vgemctl: device %u: %s\n", index, strerror(-ret));
		return json_error(dev, ret);
	}
	if (!dev)
		printf("device %u: %s (minor %d), %s (minor %d)\n", index,
		       info.primary_path[0] ? info.primary_path : "no primary node",
		       info.primary_minor,
		       info.render_path[0] ? info.render_path : "no render node",
		       info.render_minor);
	else if (json_node(dev, "primary_node", "primary_minor", info.primary_path,
			   info.primary_minor) ||
		 json_node(dev, "render_node", "render_minor", info.render_path,
			   info.render_minor))
		return -ENOMEM;
	fd = open_device(index);
	if (fd < 0)
		return json_error(dev, fd);
	ret = vgem_get_version(fd, &v);
	if (!ret && !dev)
		printf("  driver: %s %d.%d.%d (%s), \"%s\"\n", v.name, v.major,
		       v.minor, v.patchlevel, v.date, v.desc);
	else if (!ret && json_driver(dev, &v))
		ret = -ENOMEM;
	if (!ret)
		ret = vgem_get_caps(fd, &caps);
	close(fd);
	if (ret == -ENOMEM && dev)
		return ret;
	if (ret) {
		fprintf(stderr, "vgemctl: device %u: %s\n", index, strerror(-ret));
		return json_error(dev, ret);
	}
	if (!dev)
		print_caps(caps);
	else if (json_caps(dev, caps))
		return -ENOMEM;
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	static const struct listing info = {
		.help = info_help, .before = info_before, .show = info_device,
	};

	return run_listing(argc, argv, &info);
}

/* ---- list ----------------------------------------------------------------- */

static const char list_help[] =
	"Usage: vgemctl list [-d INDEX] [--json]\n"
	"Lists the live objects of each vgem device, from the driver's debugfs\n"
	"file (root, debugfs mounted). Columns: size in bytes, backing storage,\n"
	"handles over all files, references, state (exported/imported/-),\n"
	"page pins, kernel mappings.\n"
	"  -d, --device INDEX   only this device\n"
	"      --json           one JSON document (docs/libvgem.md)\n"
	"  -h, --help           this text\n";

/* "objects": [ { "size": ..., ... }, ... ] */
static int json_objects(json_object *dev, const struct vgem_object_entry *entries,
			int count)
{
	json_object *array = json_object_new_array(), *obj;
	int i;

	if (vgemctl_json_add(dev, "objects", array))
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		const struct vgem_object_entry *e = &entries[i];

		obj = json_object_new_object();
		if (vgemctl_json_append(array, obj) ||
		    vgemctl_json_add_u64(obj, "size", e->bo_size) ||
		    vgemctl_json_add_str(obj, "backing", e->backing) ||
		    vgemctl_json_add_u64(obj, "handles", e->handles) ||
		    vgemctl_json_add_u64(obj, "refs", e->refs) ||
		    vgemctl_json_add_str(obj, "state",
					 strcmp(e->state, "-") ? e->state : "none") ||
		    vgemctl_json_add_u64(obj, "pins", e->pins) ||
		    vgemctl_json_add_u64(obj, "vmaps", e->vmaps))
			return -ENOMEM;
	}
	return 0;
}

static int list_device(unsigned int index, json_object *devices)
{
	struct vgem_object_entry *entries = NULL;
	json_object *dev = NULL;
	int fd, count, n, i, ret;

	if (devices && json_device(devices, index, &dev))
		return -ENOMEM;
	fd = open_device(index);
	if (fd < 0)
		return json_error(dev, fd);
	/* Objects come and go: ask for the count, then for that many and a margin. */
	count = vgem_list_objects(fd, NULL, 0);
	if (count >= 0) {
		n = count + 16;
		entries = calloc(n, sizeof(*entries));
		if (!entries) {
			close(fd);
			fprintf(stderr, "vgemctl: device %u: out of memory\n", index);
			return -ENOMEM;
		}
		entries[0].size = sizeof(*entries);
		count = vgem_list_objects(fd, entries, n);
		if (count > n)
			count = n;
	}
	close(fd);
	if (count < 0) {
		fprintf(stderr, "vgemctl: device %u: cannot read its objects: %s%s\n",
			index, strerror(-count),
			debugfs_hint(count));
		free(entries);
		return json_error(dev, count);
	}
	if (dev) {
		ret = json_objects(dev, entries, count);
		free(entries);
		return ret;
	}
	printf("device %u: %d object(s)\n", index, count);
	if (count)
		printf("  %12s  %-8s %7s %5s  %-8s %5s %5s\n", "size", "backing",
		       "handles", "refs", "state", "pins", "vmaps");
	for (i = 0; i < count; i++)
		printf("  %12" PRIu64 "  %-8s %7u %5u  %-8s %5u %5u\n",
		       entries[i].bo_size, entries[i].backing, entries[i].handles,
		       entries[i].refs, entries[i].state, entries[i].pins,
		       entries[i].vmaps);
	free(entries);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	static const struct listing list = { .help = list_help, .show = list_device };

	return run_listing(argc, argv, &list);
}

/* ---- stats ---------------------------------------------------------------- */

static const char stats_help[] =
	"Usage: vgemctl stats [-d INDEX] [--json]\n"
	"Statistics of each vgem device, from the driver (any user who may open a\n"
	"node of it): objects and bytes, dma-buf hash, contiguous memory and the\n"
	"limits on it (bytes per buffer and per user, module-wide, and the requests\n"
	"they refused); \"not available\" for what the driver does not have.\n"
	"Then the PASR figures of the machine, whatever -d says, from\n"
	"/sys/kernel/pasr/ (dies, sections, masked sections, self-refresh power\n"
	"against full refresh with the saving, energy; `vgemctl pasr` draws the\n"
	"map), or \"PASR: not loaded\".\n"
	"  -d, --device INDEX   only this device\n"
	"      --json           one JSON document (docs/libvgem.md)\n"
	"  -h, --help           this text\n";

/* Device @index's statistics into @st; 0 or -errno, said on stderr. */
static int read_stats(unsigned int index, struct vgem_stats *st)
{
	int fd, ret;

	fd = open_device(index);
	if (fd < 0)
		return fd;
	ret = vgem_get_stats(fd, st);
	close(fd);
	if (ret)
		fprintf(stderr, "vgemctl: device %u: no statistics: %s%s\n", index,
			strerror(-ret), ret == -EOPNOTSUPP ?
			" (the driver has no statistics ioctl: upstream vgem?)" : "");
	return ret;
}

int vgemctl_print_stats(unsigned int index, const char *indent)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	int ret;

	ret = read_stats(index, &st);
	if (ret)
		return ret;
	printf("%sdevice %u: %" PRIu64 " object(s), %" PRIu64 " bytes "
	       "(%" PRIu64 " exported, %" PRIu64 " imported, %" PRIu64 " pinned)\n",
	       indent, index, st.objects, st.bytes, st.exported, st.imported, st.pinned);
	if (st.valid & VGEM_STATS_HASH)
		printf("%s  dma-buf hash: %" PRIu64 " lookups, %" PRIu64 " hits\n",
		       indent, st.hash_lookups, st.hash_hits);
	else
		printf("%s  dma-buf hash hits: not available (driver has no hash)\n",
		       indent);
	if (st.valid & VGEM_STATS_CMA)
		printf("%s  contiguous memory: %" PRIu64 " of %" PRIu64 " bytes used\n",
		       indent, st.cma_bytes_used, st.cma_bytes_total);
	else
		printf("%s  contiguous memory: not available (no context: boot with movablecore=)\n",
		       indent);
	if (st.valid & VGEM_STATS_CONTIG_LIMITS)
		printf("%s  contiguous limits (all devices): %" PRIu64 " bytes per buffer, %" PRIu64
		       " bytes per user; refused %" PRIu64 " over the buffer limit, %"
		       PRIu64 " over the user limit\n", indent, st.contig_max_buffer,
		       st.contig_user_limit, st.contig_over_max_buffer,
		       st.contig_over_user_limit);
	else
		printf("%s  contiguous limits: not available (driver has no limits)\n",
		       indent);
	return 0;
}

/*
 * A group of figures under @key: a new object into *@group when @valid,
 * else null (the driver does not have it) and *@group NULL; 0 or -ENOMEM.
 */
static int json_group(json_object *dev, const char *key, bool valid, json_object **group)
{
	*group = NULL;
	if (!valid)
		return vgemctl_json_add_null(dev, key);
	*group = json_object_new_object();
	return vgemctl_json_add(dev, key, *group);
}

static int json_stats(json_object *dev, const struct vgem_stats *st)
{
	json_object *g;

	if (json_group(dev, "objects", st->valid & VGEM_STATS_OBJECTS, &g) ||
	    (g && (vgemctl_json_add_u64(g, "count", st->objects) ||
		   vgemctl_json_add_u64(g, "bytes", st->bytes) ||
		   vgemctl_json_add_u64(g, "exported", st->exported) ||
		   vgemctl_json_add_u64(g, "imported", st->imported) ||
		   vgemctl_json_add_u64(g, "pinned", st->pinned))))
		return -ENOMEM;
	if (json_group(dev, "dmabuf_hash", st->valid & VGEM_STATS_HASH, &g) ||
	    (g && (vgemctl_json_add_u64(g, "lookups", st->hash_lookups) ||
		   vgemctl_json_add_u64(g, "hits", st->hash_hits))))
		return -ENOMEM;
	if (json_group(dev, "contiguous", st->valid & VGEM_STATS_CMA, &g) ||
	    (g && (vgemctl_json_add_u64(g, "bytes_used", st->cma_bytes_used) ||
		   vgemctl_json_add_u64(g, "bytes_total", st->cma_bytes_total))))
		return -ENOMEM;
	if (json_group(dev, "contiguous_limits", st->valid & VGEM_STATS_CONTIG_LIMITS, &g) ||
	    (g && (vgemctl_json_add_u64(g, "max_buffer_bytes", st->contig_max_buffer) ||
		   vgemctl_json_add_u64(g, "user_limit_bytes", st->contig_user_limit) ||
		   vgemctl_json_add_u64(g, "refused_over_max_buffer",
					st->contig_over_max_buffer) ||
		   vgemctl_json_add_u64(g, "refused_over_user_limit",
					st->contig_over_user_limit))))
		return -ENOMEM;
	return 0;
}

static int stats_device(unsigned int index, json_object *devices)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	json_object *dev;
	int ret;

	if (!devices)
		return vgemctl_print_stats(index, "");
	if (json_device(devices, index, &dev))
		return -ENOMEM;
	ret = read_stats(index, &st);
	if (ret)
		return json_error(dev, ret);
	return json_stats(dev, &st);
}

/* The PASR figures, after the devices' (PASR is not per device). */
static int stats_pasr(json_object *doc)
{
	json_object *pasr;
	int ret;

	if (!doc)
		return vgemctl_print_pasr("", false);
	ret = vgemctl_pasr_json(false, &pasr);
	if (ret == -ENOENT)
		return vgemctl_json_add_null(doc, "pasr");
	if (ret == -ENOMEM)
		return ret;
	/* The figures, or what could not be read ("error"; said on stderr). */
	if (vgemctl_json_add(doc, "pasr", pasr))
		return -ENOMEM;
	return ret;
}

static int cmd_stats(int argc, char **argv)
{
	static const struct listing stats = {
		.help = stats_help, .show = stats_device, .after = stats_pasr,
	};

	return run_listing(argc, argv, &stats);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "info", cmd_info }, { "list", cmd_list },
		{ "stats", cmd_stats }, { "demo", vgemctl_demo },
		{ "pasr", vgemctl_pasr },
	};
	unsigned int i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		if (argc > 2) {
			fprintf(stderr, "vgemctl: unexpected argument '%s'\n", argv[2]);
			return EXIT_USAGE;
		}
		printf("vgemctl %s (libvgem %d.%d)\n", VGEMCTL_VERSION,
		       VGEM_LIB_VERSION_MAJOR, VGEM_LIB_VERSION_MINOR);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "vgemctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
