// SPDX-License-Identifier: MIT
/*
 * vgem's vgem_objects debugfs file (igt_vgem_objects.h).
 */
#include "igt_vgem_objects.h"

#include <errno.h>
#include <stdio.h>

#include "igt_debugfs.h"

int igt_vgem_objects_read(int minor, struct igt_vgem_objects *objects)
{
	FILE *f = igt_debugfs_device_open(minor, "vgem_objects");

	objects->table = NULL;
	if (!f)
		return -errno;
	objects->table = igt_table_read(f, "size");
	fclose(f);
	if (!objects->table)
		return -errno;
	if (sscanf(objects->table->after, "device %u: %u objects, %llu bytes",
		   &objects->device, &objects->count, &objects->bytes) != 3) {
		igt_vgem_objects_free(objects);
		return -EBADMSG;
	}
	return 0;
}

void igt_vgem_objects_free(struct igt_vgem_objects *objects)
{
	igt_table_free(objects->table);
	objects->table = NULL;
}
