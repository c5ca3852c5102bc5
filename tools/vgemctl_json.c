// SPDX-License-Identifier: MIT
/*
 * vgemctl --json: adding members to json-c objects with every allocation
 * failure handled, and printing a document (docs/libvgem.md, "--json").
 * The commands build their documents with these (vgemctl.c,
 * vgemctl_pasr.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vgemctl.h"

int vgemctl_json_add(json_object *obj, const char *key, json_object *value)
{
	if (!value)
		return -ENOMEM;
	if (json_object_object_add(obj, key, value)) {
		json_object_put(value);
		return -ENOMEM;
	}
	return 0;
}

int vgemctl_json_add_null(json_object *obj, const char *key)
{
	return json_object_object_add(obj, key, NULL) ? -ENOMEM : 0;
}

int vgemctl_json_add_u64(json_object *obj, const char *key, uint64_t value)
{
	return vgemctl_json_add(obj, key, json_object_new_uint64(value));
}

int vgemctl_json_add_int(json_object *obj, const char *key, int64_t value)
{
	return vgemctl_json_add(obj, key, json_object_new_int64(value));
}

int vgemctl_json_add_str(json_object *obj, const char *key, const char *value)
{
	return vgemctl_json_add(obj, key, json_object_new_string(value));
}

int vgemctl_json_add_percent(json_object *obj, const char *key, double value)
{
	char text[32];

	snprintf(text, sizeof(text), "%.1f", value);
	return vgemctl_json_add(obj, key, json_object_new_double_s(value, text));
}

int vgemctl_json_append(json_object *array, json_object *value)
{
	if (!value)
		return -ENOMEM;
	if (json_object_array_add(array, value)) {
		json_object_put(value);
		return -ENOMEM;
	}
	return 0;
}

int vgemctl_json_print(json_object *doc)
{
	const char *text = json_object_to_json_string_ext(doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	int ret = EXIT_OK;

	if (!text) {
		fprintf(stderr, "vgemctl: out of memory writing the JSON document\n");
		ret = EXIT_FAIL;
	} else if (printf("%s\n", text) < 0 || fflush(stdout)) {
		fprintf(stderr, "vgemctl: cannot write the JSON document: %s\n",
			strerror(errno));
		ret = EXIT_FAIL;
	}
	json_object_put(doc);
	return ret;
}
