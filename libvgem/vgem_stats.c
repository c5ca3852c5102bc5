// SPDX-License-Identifier: MIT
/*
 * libvgem: the driver's object list and statistics, from debugfs.
 *
 * /sys/kernel/debug/dri/<minor>/vgem_objects is a header line naming the
 * columns, one line per object, and a closing "device N: ..." line. Columns
 * are found by name, so columns added by later drivers are skipped and
 * reordering does not break this reader. dri/<minor>/vgem_contig is read
 * the same way, by key: "key value" lines, the others skipped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgem.h"
#include "vgem_private.h"

#define MAX_COLUMNS	32
/* The size of struct vgem_stats in libvgem 1.0 and 1.1. */
#define STATS_SIZE_V1	offsetof(struct vgem_stats, contig_max_buffer)

enum column {
	COL_UNKNOWN, COL_SIZE, COL_BACKING, COL_HANDLES, COL_REFS, COL_STATE,
	COL_PINS, COL_VMAPS,
};

static const char *const column_names[] = {
	[COL_SIZE] = "size", [COL_BACKING] = "backing", [COL_HANDLES] = "handles",
	[COL_REFS] = "refs", [COL_STATE] = "state", [COL_PINS] = "pins",
	[COL_VMAPS] = "vmaps",
};

typedef void (*object_fn)(const struct vgem_object_entry *entry,
			  unsigned int index, void *data);

static enum column column_of(const char *name)
{
	unsigned int i;

	for (i = 1; i < sizeof(column_names) / sizeof(column_names[0]); i++)
		if (strcmp(name, column_names[i]) == 0)
			return i;
	return COL_UNKNOWN;
}

static int split(char *line, char **tokens)
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (n == MAX_COLUMNS)
			return -EPROTO;
		tokens[n++] = tok;
	}
	return n;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end ? -EPROTO : 0;
}

static int parse_object(char **tokens, const enum column *cols, int n,
			struct vgem_object_entry *e)
{
	uint64_t v;
	int i;

	memset(e, 0, sizeof(*e));
	e->size = sizeof(*e);
	for (i = 0; i < n; i++) {
		switch (cols[i]) {
		case COL_BACKING:
			snprintf(e->backing, sizeof(e->backing), "%s", tokens[i]);
			continue;
		case COL_STATE:
			snprintf(e->state, sizeof(e->state), "%s", tokens[i]);
			continue;
		case COL_UNKNOWN:
			continue;
		default:
			break;
		}
		if (parse_u64(tokens[i], &v))
			return -EPROTO;
		switch (cols[i]) {
		case COL_SIZE: e->bo_size = v; break;
		case COL_HANDLES: e->handles = v; break;
		case COL_REFS: e->refs = v; break;
		case COL_PINS: e->pins = v; break;
		case COL_VMAPS: e->vmaps = v; break;
		default: break;
		}
	}
	return 0;
}

/* Opens the debugfs file @name of the device @info describes. */
static int open_debugfs(const struct vgem_device_info *info, const char *name,
			FILE **out)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/%s",
		 info->primary_minor >= 0 ? info->primary_minor : info->render_minor,
		 name);
	*out = fopen(path, "re");
	return *out ? 0 : -errno;
}

/* Calls @fn for each object of the device @info describes; returns the count. */
static int for_each_object(const struct vgem_device_info *info, object_fn fn,
			   void *data)
{
	enum column cols[MAX_COLUMNS];
	char *tokens[MAX_COLUMNS];
	struct vgem_object_entry e;
	int ncols = -1, n, i, ret;
	unsigned int count = 0;
	size_t cap = 0;
	char *line = NULL;
	FILE *f;

	ret = open_debugfs(info, "vgem_objects", &f);
	if (ret)
		return ret;

	ret = -EPROTO;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "device ", 7) == 0) {
			ret = ncols > 0 ? (int)count : -EPROTO;
			break;
		}
		n = split(line, tokens);
		if (n <= 0)
			break;
		if (ncols < 0) {
			bool has_size = false;

			ncols = n;
			for (i = 0; i < n; i++) {
				cols[i] = column_of(tokens[i]);
				has_size |= cols[i] == COL_SIZE;
			}
			if (!has_size)
				break;
			continue;
		}
		if (n != ncols || parse_object(tokens, cols, n, &e))
			break;
		if (fn)
			fn(&e, count, data);
		count++;
	}
	free(line);
	fclose(f);
	return ret;
}

struct list_ctx {
	struct vgem_object_entry *entries;
	unsigned int max;
	uint32_t stride;
};

static void list_one(const struct vgem_object_entry *e, unsigned int index,
		     void *data)
{
	struct list_ctx *ctx = data;
	char *dst;

	if (index >= ctx->max)
		return;
	dst = (char *)ctx->entries + (size_t)index * ctx->stride;
	memcpy(dst, &ctx->stride, sizeof(ctx->stride));
	vgem__copy_out(dst, e, sizeof(*e), sizeof(*e));
}

int vgem_list_objects(int fd, struct vgem_object_entry *entries,
		      unsigned int max)
{
	struct list_ctx ctx = { .entries = entries, .max = max };
	struct vgem_device_info info;
	int ret;

	if (max) {
		if (!entries || entries[0].size < sizeof(struct vgem_object_entry))
			return -EINVAL;
		ctx.stride = entries[0].size;
	}
	ret = vgem__device_of_fd(fd, &info);
	if (ret)
		return ret;
	return for_each_object(&info, list_one, &ctx);
}

static void count_one(const struct vgem_object_entry *e, unsigned int index,
		      void *data)
{
	struct vgem_stats *st = data;

	(void)index;
	st->objects++;
	st->bytes += e->bo_size;
	if (strcmp(e->state, "imported") == 0)
		st->imported++;
	else if (strcmp(e->state, "exported") == 0)
		st->exported++;
	if (e->pins)
		st->pinned++;
	if (strcmp(e->backing, "contig") == 0)
		st->cma_bytes_used += e->bo_size;
}

/*
 * The size of the contiguous memory context the driver uses: its name is
 * what the cma_context parameter reads back (empty: none), its size is in
 * its cmctx debugfs file. 0 when there is none or it cannot be read.
 */
static uint64_t cma_context_bytes(void)
{
	char name[64] = "", path[128], line[128];
	uint64_t bytes = 0;
	FILE *f;

	f = fopen("/sys/module/vgem/parameters/cma_context", "re");
	if (!f)
		return 0;
	if (!fgets(name, sizeof(name), f))
		name[0] = '\0';
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	if (!name[0] || strchr(name, '/'))
		return 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/cmctx/%s", name);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long value;

		if (sscanf(line, "size: %llu bytes", &value) == 1) {
			bytes = value;
			break;
		}
	}
	fclose(f);
	return bytes;
}

/*
 * The counters of the device's dma-buf hash: the first line of
 * dri/<minor>/vgem_prime reads "entries N hits N misses N". Negative errno
 * when the driver has no such file (upstream vgem) or it cannot be read.
 */
static int read_hash_counters(const struct vgem_device_info *info,
			      struct vgem_stats *st)
{
	unsigned long long entries, hits, misses;
	char line[128];
	int ret;
	FILE *f;

	ret = open_debugfs(info, "vgem_prime", &f);
	if (ret)
		return ret;
	ret = -EPROTO;
	if (fgets(line, sizeof(line), f) &&
	    sscanf(line, "entries %llu hits %llu misses %llu", &entries, &hits,
		   &misses) == 3) {
		st->hash_lookups = hits + misses;
		st->hash_hits = hits;
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* A figure of a "key value" debugfs file, and where it goes. */
struct keyed_value {
	const char *key;
	uint64_t *value;
};

/*
 * Reads the debugfs file @name of a device, made of "key value" lines,
 * into @values (@n of them, at most 32): lines of other keys or shapes
 * are skipped, so that a driver may add lines and reorder them. Negative
 * errno when the file cannot be read, -EPROTO when a key of @values is
 * missing or its value is not a number.
 */
static int read_keyed_file(const struct vgem_device_info *info,
			   const char *name, const struct keyed_value *values,
			   unsigned int n)
{
	char *tokens[MAX_COLUMNS], *line = NULL;
	unsigned int i, found = 0;
	size_t cap = 0;
	int ret;
	FILE *f;

	ret = open_debugfs(info, name, &f);
	if (ret)
		return ret;
	while (getline(&line, &cap, f) > 0) {
		if (split(line, tokens) != 2)
			continue;
		for (i = 0; i < n; i++) {
			if (strcmp(tokens[0], values[i].key))
				continue;
			if (parse_u64(tokens[1], values[i].value))
				ret = -EPROTO;
			found |= 1u << i;
		}
	}
	free(line);
	fclose(f);
	if (!ret && found != (1u << n) - 1)
		ret = -EPROTO;
	return ret;
}

/*
 * The limits on contiguous memory and their refusal counters, from
 * dri/<minor>/vgem_contig (the same module-wide figures for every device).
 */
static int read_contig_limits(const struct vgem_device_info *info,
			      struct vgem_stats *st)
{
	const struct keyed_value values[] = {
		{ "max_buffer_bytes", &st->contig_max_buffer },
		{ "user_limit_bytes", &st->contig_user_limit },
		{ "over_max_buffer", &st->contig_over_max_buffer },
		{ "over_user_limit", &st->contig_over_user_limit },
	};
	int ret;

	ret = read_keyed_file(info, "vgem_contig", values,
			      sizeof(values) / sizeof(values[0]));
	if (ret) {
		st->contig_max_buffer = st->contig_user_limit = 0;
		st->contig_over_max_buffer = st->contig_over_user_limit = 0;
	}
	return ret;
}

int vgem_get_stats(int fd, struct vgem_stats *stats)
{
	struct vgem_stats st = { .size = sizeof(st) };
	struct vgem_device_info info;
	int ret;

	/* Callers built against 1.0 and 1.1 pass the size up to cma_bytes_total. */
	if (!stats || stats->size < STATS_SIZE_V1)
		return -EINVAL;
	ret = vgem__device_of_fd(fd, &info);
	if (ret)
		return ret;
	ret = for_each_object(&info, count_one, &st);
	if (ret < 0)
		return ret;
	st.valid = VGEM_STATS_OBJECTS;
	if (read_hash_counters(&info, &st) == 0)
		st.valid |= VGEM_STATS_HASH;
	st.cma_bytes_total = cma_context_bytes();
	if (st.cma_bytes_total)
		st.valid |= VGEM_STATS_CMA;
	else
		st.cma_bytes_used = 0;
	/* A group whose members the caller's structure lacks is not valid there. */
	if (stats->size >= sizeof(st) && read_contig_limits(&info, &st) == 0)
		st.valid |= VGEM_STATS_CONTIG_LIMITS;
	return vgem__copy_out(stats, &st, sizeof(st), STATS_SIZE_V1);
}
