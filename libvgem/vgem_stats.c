// SPDX-License-Identifier: MIT
/*
 * libvgem: the driver's statistics and its object list.
 *
 * The statistics come from DRM_IOCTL_VGEM_STATS, which any process that
 * may open the device may call (render nodes included).
 *
 * The object list is a root-only diagnostic, read from debugfs:
 * /sys/kernel/debug/dri/<minor>/vgem_objects is a header line naming the
 * columns, one line per object, and a closing "device N: ..." line. Columns
 * are found by name, so columns added by later drivers are skipped and
 * reordering does not break this reader.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#include "drm/vgem_drm.h"
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

int vgem_get_stats(int fd, struct vgem_stats *stats)
{
	struct vgem_stats st = { .size = sizeof(st) };
	struct drm_vgem_stats arg;
	int ret;

	/* Callers built against 1.0 and 1.1 pass the size up to cma_bytes_total. */
	if (!stats || stats->size < STATS_SIZE_V1)
		return -EINVAL;
	ret = vgem_check_fd(fd);
	if (ret)
		return ret;
	memset(&arg, 0, sizeof(arg));
	ret = vgem__drm_ret(drmIoctl(fd, DRM_IOCTL_VGEM_STATS, &arg));
	/*
	 * Upstream vgem, or ours before the ioctl: the DRM core answers an
	 * unknown driver ioctl with -EINVAL (ours says -EINVAL only for the
	 * flags and pad, zero here).
	 */
	if (ret == -EINVAL || ret == -ENOTTY)
		return -EOPNOTSUPP;
	if (ret)
		return ret;

	if (arg.valid & VGEM_STATS_VALID_OBJECTS) {
		st.valid |= VGEM_STATS_OBJECTS;
		st.objects = arg.objects;
		st.bytes = arg.bytes;
		st.imported = arg.imported;
		st.exported = arg.exported;
		st.pinned = arg.pinned;
	}
	if (arg.valid & VGEM_STATS_VALID_HASH) {
		st.valid |= VGEM_STATS_HASH;
		st.hash_lookups = arg.hash_hits + arg.hash_misses;
		st.hash_hits = arg.hash_hits;
	}
	if (arg.valid & VGEM_STATS_VALID_CONTIG) {
		st.valid |= VGEM_STATS_CMA;
		st.cma_bytes_used = arg.contig_bytes;
		st.cma_bytes_total = arg.contig_context_bytes;
	}
	/* A group whose members the caller's structure lacks is not valid there. */
	if ((arg.valid & VGEM_STATS_VALID_CONTIG_LIMITS) &&
	    stats->size >= sizeof(st)) {
		st.valid |= VGEM_STATS_CONTIG_LIMITS;
		st.contig_max_buffer = arg.contig_max_buffer;
		st.contig_user_limit = arg.contig_user_limit;
		st.contig_over_max_buffer = arg.contig_over_max_buffer;
		st.contig_over_user_limit = arg.contig_over_user_limit;
	}
	return vgem__copy_out(stats, &st, sizeof(st), STATS_SIZE_V1);
}
