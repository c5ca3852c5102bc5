/* SPDX-License-Identifier: MIT */
/* vgemctl: what its command files share. */
#ifndef VGEMCTL_H
#define VGEMCTL_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

/* Exit codes, for scripts (also in `vgemctl --help`). */
#define EXIT_OK		0	/* done */
#define EXIT_FAIL	1	/* an operation failed; stderr says which */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_NODEV	3	/* no vgem device (or not the one asked for) */
#define EXIT_MISMATCH	4	/* demo: the consumer saw other pixels */

/* Prints the statistics of vgem device @index, indented by @indent; 0 or -errno. */
int vgemctl_print_stats(unsigned int index, const char *indent);

/* `vgemctl demo`. */
int vgemctl_demo(int argc, char **argv);

/*
 * Prints the PASR figures from /sys/kernel/pasr/ (dies, sections, masked,
 * the self-refresh power against full refresh and the energy), and the
 * section map too when @map (root only; others are told so), each line
 * after @indent; "PASR: not loaded" when pasr.ko is not. 0, or -errno when
 * the figures cannot be read (said on stderr).
 */
int vgemctl_print_pasr(const char *indent, bool map);

/*
 * The same figures as a JSON object (docs/libvgem.md, "--json"), the map
 * too when @map, into *@out; JSON null when pasr.ko is not loaded. 0, or
 * -errno when the figures cannot be read (said on stderr).
 */
int vgemctl_pasr_json(bool map, json_object **out);

/* `vgemctl pasr`. */
int vgemctl_pasr(int argc, char **argv);

/*
 * --json output, on json-c (vgemctl_json.c). The vgemctl_json_add*() calls add a member to
 * the object @obj and return 0, or -ENOMEM (when @value is NULL: the
 * json_object_new_*() that made it failed), freeing @value then.
 */
int vgemctl_json_add(json_object *obj, const char *key, json_object *value);
int vgemctl_json_add_null(json_object *obj, const char *key);
int vgemctl_json_add_u64(json_object *obj, const char *key, uint64_t value);
int vgemctl_json_add_int(json_object *obj, const char *key, int64_t value);
int vgemctl_json_add_str(json_object *obj, const char *key, const char *value);
/* A percentage, written with one decimal as the text output shows it. */
int vgemctl_json_add_percent(json_object *obj, const char *key, double value);
/* Appends @value to the array @array; 0 or -ENOMEM (@value freed). */
int vgemctl_json_append(json_object *array, json_object *value);
/* Prints @doc on stdout and frees it; EXIT_OK, or EXIT_FAIL (said on stderr). */
int vgemctl_json_print(json_object *doc);

#endif /* VGEMCTL_H */
