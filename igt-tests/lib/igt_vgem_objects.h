/* SPDX-License-Identifier: MIT */
/*
 * vgem's vgem_objects debugfs file, which lists a device's live objects:
 * a table (igt_table.h) whose header names the columns ("size backing
 * handles refs state pins vmaps id"), then "device N: M objects, B bytes".
 */
#ifndef VGEM_TEST_IGT_VGEM_OBJECTS_H
#define VGEM_TEST_IGT_VGEM_OBJECTS_H

#include "igt_table.h"

/**
 * struct igt_vgem_objects - a device's vgem_objects file
 * @table: one row an object, its columns found by name
 * @device: the device's index, from the closing line
 * @count: the objects the closing line counts
 * @bytes: their bytes, from the closing line
 */
struct igt_vgem_objects {
	struct igt_table *table;
	unsigned int device;
	unsigned int count;
	unsigned long long bytes;
};

/**
 * igt_vgem_objects_read() - read the vgem_objects file of a device
 * @minor: the minor of its primary node
 * @objects: receives the file's contents; igt_vgem_objects_free() them
 *
 * Return: 0, -ENOENT when the device has no such file (upstream vgem),
 * -EBADMSG when the file is not of this form, or another -errno.
 */
int igt_vgem_objects_read(int minor, struct igt_vgem_objects *objects);

void igt_vgem_objects_free(struct igt_vgem_objects *objects);

#endif /* VGEM_TEST_IGT_VGEM_OBJECTS_H */
