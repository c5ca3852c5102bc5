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

static const char exit_codes[] =
	"Exit status: 0 success, 1 an operation failed, 2 usage error,\n"
	"3 no vgem device (or not the one asked for), 4 demo pixels differ.\n";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vgemctl [--help] COMMAND [OPTIONS]\n"
		"Inspect vgem devices and run the PRIME demo.\n\n"
		"Commands:\n"
		"  info    devices, driver version and capabilities\n"
		"  list    live objects of each device (needs debugfs, root)\n"
		"  stats   statistics of each device\n"
		"  demo    producer and consumer processes share a buffer\n"
		"  pasr    PASR section map and self-refresh power estimate\n\n"
		"`vgemctl COMMAND --help` describes a command's options.\n%s",
		exit_codes);
}

/* Parses -d/--device and -h/--help; returns -1 to go on, else an exit code. */
static int parse_common(int argc, char **argv, const char *help, long *device)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*device = -1;
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

/* The range of devices to show: all, or the one of -d; sets *first, *last. */
static int device_range(long device, unsigned int *first, unsigned int *last)
{
	int count = vgem_device_count();

	if (count < 0) {
		fprintf(stderr, "vgemctl: cannot list devices: %s\n", strerror(-count));
		return EXIT_FAIL;
	}
	if (count == 0) {
		fprintf(stderr, "vgemctl: no vgem device (is the module loaded? modprobe vgem)\n");
		return EXIT_NODEV;
	}
	if (device >= count) {
		fprintf(stderr, "vgemctl: no vgem device %ld (there are %d)\n", device, count);
		return EXIT_NODEV;
	}
	*first = device < 0 ? 0 : device;
	*last = device < 0 ? (unsigned int)count - 1 : (unsigned int)device;
	return -1;
}

/*
 * Runs @show on every device the common options select (all of them, or
 * the one -d names), then @after (if any) once: EXIT_FAIL when any of
 * them failed.
 */
static int for_each_selected_device(int argc, char **argv, const char *help,
				    int (*show)(unsigned int index),
				    int (*after)(void))
{
	unsigned int first, last, i;
	int ret, status = EXIT_OK;
	long device;

	ret = parse_common(argc, argv, help, &device);
	if (ret >= 0)
		return ret;
	ret = device_range(device, &first, &last);
	if (ret >= 0)
		return ret;
	for (i = first; i <= last; i++)
		if (show(i) != 0)
			status = EXIT_FAIL;
	if (after && after() != 0)
		status = EXIT_FAIL;
	return status;
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

static const char info_help[] =
	"Usage: vgemctl info [-d INDEX]\n"
	"Lists vgem devices: nodes, driver version, capabilities.\n"
	"  -d, --device INDEX   only this device\n"
	"  -h, --help           this text\n";

static void print_caps(uint64_t caps)
{
	static const struct { uint64_t bit; const char *name; } names[] = {
		{ VGEM_CAP_DUMB, "dumb-buffers" },
		{ VGEM_CAP_PRIME_EXPORT, "prime-export" },
		{ VGEM_CAP_PRIME_IMPORT, "prime-import" },
		{ VGEM_CAP_FENCES, "fences" },
		{ VGEM_CAP_DMABUF_HASH, "dmabuf-hash" },
		{ VGEM_CAP_CONTIGUOUS, "contiguous" },
		{ VGEM_CAP_BO_INFO, "bo-info" },
	};
	unsigned int i;

	printf("  capabilities:");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (caps & names[i].bit)
			printf(" %s", names[i].name);
	printf("\n  not available:");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!(caps & names[i].bit))
			printf(" %s", names[i].name);
	printf("\n");
}

static int cmd_info(int argc, char **argv)
{
	unsigned int first, last, i;
	int ret, fd, status = EXIT_OK;
	long device;

	ret = parse_common(argc, argv, info_help, &device);
	if (ret >= 0)
		return ret;
	ret = device_range(device, &first, &last);
	if (ret >= 0)
		return ret;
	printf("%d vgem device(s), libvgem %d.%d\n", vgem_device_count(),
	       VGEM_LIB_VERSION_MAJOR, VGEM_LIB_VERSION_MINOR);

	for (i = first; i <= last; i++) {
		struct vgem_device_info info = VGEM_INIT(struct vgem_device_info);
		struct vgem_version v = VGEM_INIT(struct vgem_version);
		uint64_t caps;

		ret = vgem_device_get_info(i, &info);
		if (ret) {
			fprintf(stderr, "vgemctl: device %u: %s\n", i, strerror(-ret));
			status = EXIT_FAIL;
			continue;
		}
		printf("device %u: %s (minor %d), %s (minor %d)\n", i,
		       info.primary_path[0] ? info.primary_path : "no primary node",
		       info.primary_minor,
		       info.render_path[0] ? info.render_path : "no render node",
		       info.render_minor);
		fd = open_device(i);
		if (fd < 0) {
			status = EXIT_FAIL;
			continue;
		}
		ret = vgem_get_version(fd, &v);
		if (!ret)
			printf("  driver: %s %d.%d.%d (%s), \"%s\"\n", v.name, v.major,
			       v.minor, v.patchlevel, v.date, v.desc);
		if (!ret)
			ret = vgem_get_caps(fd, &caps);
		if (!ret)
			print_caps(caps);
		if (ret) {
			fprintf(stderr, "vgemctl: device %u: %s\n", i, strerror(-ret));
			status = EXIT_FAIL;
		}
		close(fd);
	}
	return status;
}

static const char list_help[] =
	"Usage: vgemctl list [-d INDEX]\n"
	"Lists the live objects of each vgem device, from the driver's debugfs\n"
	"file (root, debugfs mounted). Columns: size in bytes, backing storage,\n"
	"handles over all files, references, state (exported/imported/-),\n"
	"page pins, kernel mappings.\n"
	"  -d, --device INDEX   only this device\n"
	"  -h, --help           this text\n";

static int list_device(unsigned int index)
{
	struct vgem_object_entry *entries = NULL;
	int fd, count, n, i;

	fd = open_device(index);
	if (fd < 0)
		return EXIT_FAIL;
	/* Objects come and go: ask for the count, then for that many and a margin. */
	count = vgem_list_objects(fd, NULL, 0);
	if (count >= 0) {
		n = count + 16;
		entries = calloc(n, sizeof(*entries));
		if (!entries) {
			close(fd);
			return EXIT_FAIL;
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
		return EXIT_FAIL;
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
	return EXIT_OK;
}

static int cmd_list(int argc, char **argv)
{
	return for_each_selected_device(argc, argv, list_help, list_device, NULL);
}

static const char stats_help[] =
	"Usage: vgemctl stats [-d INDEX]\n"
	"Statistics of each vgem device, from the driver (any user who may open a\n"
	"node of it): objects and bytes, dma-buf hash, contiguous memory and the\n"
	"limits on it (bytes per buffer and per user, module-wide, and the requests\n"
	"they refused); \"not available\" for what the driver does not have.\n"
	"Then the PASR figures of the machine, whatever -d says, from\n"
	"/sys/kernel/pasr/ (dies, sections, masked sections, self-refresh power\n"
	"against full refresh with the saving, energy; `vgemctl pasr` draws the\n"
	"map), or \"PASR: not loaded\".\n"
	"  -d, --device INDEX   only this device\n"
	"  -h, --help           this text\n";

int vgemctl_print_stats(unsigned int index, const char *indent)
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	int fd, ret;

	fd = open_device(index);
	if (fd < 0)
		return fd;
	ret = vgem_get_stats(fd, &st);
	close(fd);
	if (ret) {
		fprintf(stderr, "vgemctl: device %u: no statistics: %s%s\n", index,
			strerror(-ret), ret == -EOPNOTSUPP ?
			" (the driver has no statistics ioctl: upstream vgem?)" : "");
		return ret;
	}
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

static int stats_device(unsigned int index)
{
	return vgemctl_print_stats(index, "");
}

/* The PASR figures, after the devices' (PASR is not per device). */
static int stats_pasr(void)
{
	return vgemctl_print_pasr("", false);
}

static int cmd_stats(int argc, char **argv)
{
	return for_each_selected_device(argc, argv, stats_help, stats_device,
					stats_pasr);
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
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "vgemctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
