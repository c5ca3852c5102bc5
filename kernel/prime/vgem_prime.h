/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vgem PRIME: the per-device dma-buf hash and the per-file handle tables.
 *
 * Each vgem device knows every dma-buf it deals with, in one hash keyed by
 * the dma-buf: the dma-bufs it exported (entry from export to the dma-buf's
 * release) and the foreign dma-bufs it imported (entry from import to the
 * imported object's free). A dma-buf therefore maps to exactly one object of
 * the device, whichever file imports or exports it. Each open file has a
 * table from object to the handle it got through PRIME, so that importing
 * again gives that handle back. Lookups in both directions are O(1)
 * expected: handle -> object is the DRM core's idr and object -> dma-buf is
 * &drm_gem_object.dma_buf; dma-buf -> object is the device hash and object
 * -> handle the file's table. docs/lifecycle.md has the reasoning.
 */
#ifndef VGEM_PRIME_H
#define VGEM_PRIME_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

struct dma_buf;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct seq_file;
struct vgem_object;

/**
 * struct vgem_prime_device - the dma-buf hash of one device
 * @lock: serialises the decisions that pair an object with a dma-buf:
 *	export (is there a dma-buf to reuse?) and the end of an import (the
 *	new handle and &drm_gem_object.dma_buf). Never held while an import
 *	attaches to its exporter: the hash itself keeps one object per
 *	dma-buf (vgem_prime_import()). Taken inside &vgem_prime_file.lock,
 *	outside &drm_device.object_name_lock. Used by the handle<->fd
 *	callbacks; on kernels without them the DRM core serialises the same
 *	steps with &drm_device.object_name_lock.
 * @hash_lock: protects the membership of @hash and @entries and the key of
 *	each member (&vgem_prime_entry.dma_buf). A leaf: nothing else is
 *	taken under it, and the free paths take it.
 * @hash: the objects of the device that have a dma-buf, keyed by it.
 * @entries: the same objects in insertion order (&vgem_prime_entry.link),
 *	for debugfs.
 * @hits: imports that found their object in @hash.
 * @misses: imports that made a new object.
 */
struct vgem_prime_device {
	struct mutex lock;
	struct mutex hash_lock;
	struct rhashtable hash;
	struct list_head entries;
	atomic64_t hits;
	atomic64_t misses;
};

/**
 * struct vgem_prime_file - the PRIME handles of one open file
 * @lock: protects @handles and makes "look the handle up, then record it"
 *	atomic against the handle being closed (the close callback takes it).
 *	Outermost of the PRIME locks.
 * @handles: struct vgem_prime_handle by object: the handle this file got
 *	by exporting or importing the object.
 */
struct vgem_prime_file {
	struct mutex lock;
	struct rhashtable handles;
};

/**
 * struct vgem_prime_entry - an object's place in its device's dma-buf hash
 * @dma_buf: the dma-buf the object is entered under, or NULL (no entry;
 *	a zeroed entry is an empty one). The key of @node.
 * @ino: the inode number of @dma_buf's file, recorded when the entry is
 *	made (debugfs must not follow a file that may be gone).
 * @node: in &vgem_prime_device.hash.
 * @link: in &vgem_prime_device.entries.
 *
 * Embedded in &vgem_object.prime; all of it is under
 * &vgem_prime_device.hash_lock, and only prime/ touches it.
 */
struct vgem_prime_entry {
	struct dma_buf *dma_buf;
	unsigned long ino;
	struct rhash_head node;
	struct list_head link;
};

/*
 * What PRIME needs from the driver it serves (vgem_drv.c): where a device
 * and an open file keep their PRIME state. Nothing else of the driver is
 * known here; objects are reached through vgem_gem.h.
 */
struct vgem_prime_device *vgem_prime_device_of(struct drm_device *dev);
struct vgem_prime_file *vgem_prime_file_of(struct drm_file *file);

/*
 * The hooks the driver calls: its device and file set-up and tear-down,
 * its GEM object callbacks, its &drm_driver PRIME callbacks, debugfs.
 */
int vgem_prime_device_init(struct vgem_prime_device *pdev);
void vgem_prime_device_fini(struct vgem_prime_device *pdev);
int vgem_prime_file_init(struct vgem_prime_file *pfile);
void vgem_prime_file_fini(struct vgem_prime_file *pfile);

void vgem_prime_object_freed(struct vgem_object *vobj);
void vgem_prime_handle_closed(struct drm_gem_object *obj, struct drm_file *file);
struct dma_buf *vgem_prime_export(struct drm_gem_object *obj, int flags);

struct drm_gem_object *vgem_prime_import(struct drm_device *dev,
					 struct dma_buf *dma_buf);
int vgem_prime_handle_to_fd(struct drm_device *dev, struct drm_file *file,
			    u32 handle, u32 flags, int *prime_fd);
int vgem_prime_fd_to_handle(struct drm_device *dev, struct drm_file *file,
			    int prime_fd, u32 *handle);

void vgem_prime_debugfs_show(struct drm_device *dev, struct seq_file *m);
void vgem_prime_hash_counters(struct vgem_prime_device *pdev, u64 *hits,
			      u64 *misses);

#endif /* VGEM_PRIME_H */
