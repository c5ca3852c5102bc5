// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem debugfs: /sys/kernel/debug/dri/<minor>/vgem_objects lists every live
 * object of the device, one line each, after a header line:
 *   size backing handles refs state pins vmaps id
 * state is "exported" (this device exported it and the dma-buf is cached
 * on the object), "imported" (a foreign dma-buf) or "-". pins counts vmas,
 * dma-buf attachments and kernel mappings holding the pages; id is the
 * object's number, as in vgem_prime.
 *
 * /sys/kernel/debug/dri/<minor>/vgem_prime shows the device's dma-buf hash
 * (prime/vgem_prime_hash.c): its counters, then one line per entry.
 *
 * /sys/kernel/debug/dri/<minor>/vgem_contig shows the module's contiguous
 * memory (vgem_contig.c): the context, the limits, the refusals and what
 * each user holds; the same in every device's directory.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "vgem_drv.h"
#include "vgem_gem.h"
#include "vgem_prime.h"

static int vgem_debugfs_objects(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct vgem_device *vdev = to_vgem_device(node->minor->dev);
	struct drm_printer p = drm_seq_file_printer(m);
	struct vgem_object *vobj;
	unsigned int count = 0;
	size_t total = 0;

	drm_printf(&p, "%-10s %-8s %7s %7s %-8s %5s %5s %8s\n", "size", "backing",
		   "handles", "refs", "state", "pins", "vmaps", "id");

	/* Objects on the list are not freed before they leave it. */
	mutex_lock(&vdev->objects_lock);
	list_for_each_entry(vobj, &vdev->objects, link) {
		vgem_object_describe(vobj, &p);
		count++;
		total += vobj->base.size;
	}
	mutex_unlock(&vdev->objects_lock);

	drm_printf(&p, "device %u: %u objects, %zu bytes\n", vdev->index, count,
		   total);
	return 0;
}

static int vgem_debugfs_prime(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;

	vgem_prime_debugfs_show(node->minor->dev, m);
	return 0;
}

static int vgem_debugfs_contig(struct seq_file *m, void *unused)
{
	vgem_contig_show(m);
	return 0;
}

static const struct drm_info_list vgem_debugfs_files[] = {
	{ "vgem_objects", vgem_debugfs_objects, 0, NULL },
	{ "vgem_prime", vgem_debugfs_prime, 0, NULL },
	{ "vgem_contig", vgem_debugfs_contig, 0, NULL },
};

/**
 * vgem_debugfs_init() - &drm_driver.debugfs_init: add our files to a minor
 * @minor: the DRM minor whose debugfs directory is being populated
 */
void vgem_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_create_files(vgem_debugfs_files, ARRAY_SIZE(vgem_debugfs_files),
				 minor->debugfs_root, minor);
}
