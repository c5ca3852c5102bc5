/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vgem GEM objects and their backings.
 *
 * A struct vgem_object is a GEM object whose storage is provided by a
 * backing: a const table of operations (struct vgem_backing_ops) that knows
 * how to create the storage, pin it as an array of pages, describe it as a
 * scatter list, map it in the kernel and in user space. The object layer
 * (vgem_gem.c) does the reference counting of pins and kernel mappings, the
 * list of objects of a device, and the GEM callbacks; a backing only does
 * the work. shmem (vgem_shmem.c) and contiguous memory (vgem_contig.c) are
 * the backings of dumb buffers; imported dma-bufs are a backing of their
 * own (vgem_import.c). A new kind of memory is one new file with one more
 * table: outside the backings, only the dumb-buffer policy (vgem_bo.c,
 * which chooses one) names a backing; what the uapi tells of an object's
 * storage comes from its table (&vgem_backing_ops.kind and .info).
 *
 * Storage with pages is mapped by the object layer itself, the same way
 * whatever the backing: the kernel mapping with vmap() of the pinned pages,
 * user mappings as VM_PFNMAP vmas (no struct page reaches user space, so
 * get_user_pages() refuses them with -EFAULT, as upstream's), in the
 * object's caching (vgem_caching.c: write-combined unless created cached).
 */
#ifndef VGEM_GEM_H
#define VGEM_GEM_H

#include <linux/dma-direction.h>
#include <linux/iosys-map.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>

#include <drm/drm_gem.h>

#include "vgem_prime.h"

struct dma_buf;
struct dma_buf_attachment;
struct drm_printer;
struct drm_vgem_bo_info;
struct seq_file;
struct sg_table;
struct vgem_object;

/**
 * struct vgem_backing_ops - what a kind of backing storage provides
 * @name: short name, shown in debugfs.
 * @kind: the %VGEM_BACKING_* value that DRM_IOCTL_VGEM_BO_INFO and
 *	DRM_IOCTL_VGEM_STATS report for its objects.
 * @init: create the storage of a new object of @size bytes (page aligned),
 *	whose physical start is aligned to @align bytes when the backing
 *	places it (0: no requirement; backings without placement get 0), and
 *	initialise the GEM object with drm_gem_object_init() or
 *	drm_gem_private_object_init(). Optional: backings whose objects are
 *	made elsewhere (imports) leave it NULL.
 * @release: free the storage; called once, when the object is freed, after
 *	every pin and kernel mapping is gone.
 * @get_pages: fill &vgem_object.pages with the pinned pages of the whole
 *	object. Called with &vgem_object.lock held when the first pin is
 *	taken. NULL when the storage has no struct pages (imports).
 * @put_pages: release the array filled by @get_pages, marking the pages
 *	dirty. Called with &vgem_object.lock held when the last pin goes.
 * @get_sg_table: return a new, not DMA-mapped scatter list of the storage;
 *	the caller holds a pin and frees the table with sg_free_table() and
 *	kfree().
 * @vmap: storage without pages only (imports): map the whole object in
 *	the kernel address space. Called with &vgem_object.lock held, the
 *	first time only. The object layer maps page-backed storage itself.
 * @vunmap: undo @vmap, when the last kernel mapping goes.
 * @mmap: set up a user-space mapping. drm_gem_mmap_obj() has already set
 *	vm_private_data and vm_ops and taken an object reference for the vma.
 *	Page-backed storage uses vgem_object_mmap_pages().
 * @info: fill what DRM_IOCTL_VGEM_BO_INFO tells of the storage besides
 *	@kind: its extents and alignment, and the
 *	%VGEM_BO_INFO_CONTIGUOUS and %VGEM_BO_INFO_IMPORTED flags (OR them
 *	in: the caller has set the others). The physical layout the kernel
 *	chose, as opposed to what the creator asked for, goes to callers
 *	with CAP_SYS_ADMIN only; the caller zeroed extents and alignment.
 */
struct vgem_backing_ops {
	const char *name;
	u32 kind;
	int (*init)(struct vgem_object *vobj, size_t size, size_t align);
	void (*release)(struct vgem_object *vobj);
	int (*get_pages)(struct vgem_object *vobj);
	void (*put_pages)(struct vgem_object *vobj);
	struct sg_table *(*get_sg_table)(struct vgem_object *vobj);
	int (*vmap)(struct vgem_object *vobj, struct iosys_map *map);
	void (*vunmap)(struct vgem_object *vobj, struct iosys_map *map);
	int (*mmap)(struct vgem_object *vobj, struct vm_area_struct *vma);
	void (*info)(struct vgem_object *vobj, struct drm_vgem_bo_info *info);
};

/**
 * struct vgem_object - a vgem GEM object
 * @base: the GEM object.
 * @backing: the operations of its storage.
 * @link: in &vgem_device.objects, under &vgem_device.objects_lock.
 * @lock: protects @pages, @pages_use, @extents, @vmap, @vmap_use,
 *	@dma_maps and the per-attachment state of exported dma-bufs. Taken inside the
 *	dma_resv lock of the object, never around it.
 * @cached: created with VGEM_BO_CACHED: write-back CPU mappings, cache
 *	maintenance at DMA_BUF_IOCTL_SYNC (vgem_caching.c). Set at creation.
 * @pages: the pinned pages while @pages_use > 0 (page-backed storage).
 * @pages_use: number of pins: one per user-space vma, per dma-buf
 *	attachment, per kernel mapping.
 * @extents: the physically contiguous runs of @pages while they are
 *	pinned, 0 otherwise (counted when they are pinned, for BO_INFO).
 * @vmap: the kernel mapping while @vmap_use > 0.
 * @vmap_use: number of users of @vmap.
 * @dma_maps: attachments of the object's dma-buf mapped for DMA now: a
 *	cached object needs cache maintenance only while there are some.
 * @backing_priv: what the backing keeps about the storage (the contiguous
 *	backing's chunk, the import backing's mapped attachment).
 * @id: device-unique number, shown in debugfs (never a pointer).
 * @prime: the object's entry in its device's dma-buf hash, PRIME's own
 *	(prime/vgem_prime_hash.c); empty (zeroed) until PRIME makes one.
 */
struct vgem_object {
	struct drm_gem_object base;
	const struct vgem_backing_ops *backing;
	struct list_head link;
	struct mutex lock;
	bool cached;
	struct page **pages;
	unsigned int pages_use;
	u32 extents;
	struct iosys_map vmap;
	unsigned int vmap_use;
	unsigned int dma_maps;
	void *backing_priv;
	u64 id;
	struct vgem_prime_entry prime;
};

static inline struct vgem_object *to_vgem_object(struct drm_gem_object *obj)
{
	return container_of(obj, struct vgem_object, base);
}

/*
 * Exported: this device made a dma-buf of the object, and the DRM core
 * caches it on the object while it has handles; an import is never
 * "exported", whatever its dma_buf. Read without a lock: a snapshot, for
 * debugfs, BO_INFO and the statistics.
 */
static inline bool vgem_object_exported(struct vgem_object *vobj)
{
	return !vobj->base.import_attach && READ_ONCE(vobj->base.dma_buf);
}

/* vgem_gem.c: the object layer */
struct vgem_object *vgem_object_alloc(struct drm_device *dev,
				      const struct vgem_backing_ops *backing);
int vgem_object_publish(struct vgem_object *vobj);
void vgem_object_free_unpublished(struct vgem_object *vobj);
struct vgem_object *vgem_object_create(struct drm_device *dev, size_t size,
				       size_t align, bool cached,
				       const struct vgem_backing_ops *backing);
int vgem_object_pin_pages(struct vgem_object *vobj);
void vgem_object_unpin_pages(struct vgem_object *vobj);
int vgem_object_vmap(struct vgem_object *vobj, struct iosys_map *map);
void vgem_object_vunmap(struct vgem_object *vobj);
void vgem_object_describe(struct vgem_object *vobj, struct drm_printer *p);

/* vgem_mmap.c: user-space mappings of page-backed storage */
extern const struct vm_operations_struct vgem_vm_ops;
int vgem_object_mmap_pages(struct vgem_object *vobj, struct vm_area_struct *vma);
void vgem_object_mmap_all(struct vgem_object *vobj, struct vm_area_struct *vma);

/* vgem_caching.c: write-combined or cached CPU mappings */
int vgem_caching_pin(struct vgem_object *vobj);
void vgem_caching_unpin(struct vgem_object *vobj);
pgprot_t vgem_caching_pgprot(struct vgem_object *vobj, pgprot_t prot);
void vgem_caching_flush(struct vgem_object *vobj);

/* vgem_shmem.c: the shmem backing */
extern const struct vgem_backing_ops vgem_shmem_backing;

/* vgem_contig.c: the contiguous backing (a cmctx chunk) */
extern const struct vgem_backing_ops vgem_contig_backing;
bool vgem_contig_available(void);
void vgem_contig_show(struct seq_file *m);
u64 vgem_contig_context_bytes(void);
void vgem_contig_module_init(void);
void vgem_contig_module_exit(void);

/* vgem_contig_quota.c: limits on contiguous memory per buffer and user */
struct vgem_contig_user;
struct vgem_contig_user *vgem_contig_charge(u64 size, u64 context_bytes);
void vgem_contig_uncharge(struct vgem_contig_user *user, u64 size);
void vgem_contig_quota_show(struct seq_file *m, u64 context_bytes);

/**
 * struct vgem_contig_limits - the module's limits on contiguous memory and
 *	their refusals, for DRM_IOCTL_VGEM_STATS
 * @max_buffer: contig_max_buffer in bytes.
 * @user_limit: contig_user_limit in bytes.
 * @over_max_buffer: requests refused for @max_buffer since module load.
 * @over_user_limit: requests refused for @user_limit.
 */
struct vgem_contig_limits {
	u64 max_buffer;
	u64 user_limit;
	u64 over_max_buffer;
	u64 over_user_limit;
};

void vgem_contig_quota_get(u64 context_bytes, struct vgem_contig_limits *limits);

/* vgem_import.c: the import backing (a foreign dma-buf) */
struct vgem_object *vgem_import_object_create(struct drm_device *dev,
					      struct dma_buf *dma_buf);

#endif /* VGEM_GEM_H */
