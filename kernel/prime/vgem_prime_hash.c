// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem PRIME: the per-device dma-buf hash.
 *
 * One object per (device, dma-buf): the hash of a device holds each of its
 * objects that has a dma-buf, keyed by that dma-buf. An object has at most
 * one at a time: the dma-buf it was exported as, or the foreign dma-buf it
 * was imported from. The entry lives exactly as long as the pair:
 *
 *  - export: added by vgem_prime_export() when the dma-buf is made, removed
 *    by the dma-buf's release. The dma-buf holds a reference on the object,
 *    so the object outlives its entry.
 *  - import: added when vgem_prime_import() makes the object, removed when
 *    the object is freed. The object holds a reference on the dma-buf, so
 *    the key cannot be freed (and its address reused) while the entry lives.
 *
 * A lookup takes an object reference with kref_get_unless_zero() under
 * &vgem_prime_device.hash_lock, which the free and release paths also take
 * before the object's memory goes: a found object is either alive (and now
 * referenced) or already on its way out, in which case its entry is removed
 * on the spot and the caller makes a new object. See docs/lifecycle.md.
 */
#include <linux/dma-buf.h>
#include <linux/fs.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>

#include "vgem_gem.h"
#include "vgem_prime.h"
#include "vgem_prime_hash.h"

static const struct rhashtable_params vgem_prime_hash_params = {
	.key_len		= sizeof(struct dma_buf *),
	.key_offset		= offsetof(struct vgem_object, prime.dma_buf),
	.head_offset		= offsetof(struct vgem_object, prime.node),
	.automatic_shrinking	= true,
};

/**
 * vgem_prime_device_init() - set up the dma-buf hash of a device
 * @pdev: the device's PRIME state
 *
 * Return: 0 or a negative errno.
 */
int vgem_prime_device_init(struct vgem_prime_device *pdev)
{
	int ret;

	ret = rhashtable_init(&pdev->hash, &vgem_prime_hash_params);
	if (ret)
		return ret;

	mutex_init(&pdev->lock);
	mutex_init(&pdev->hash_lock);
	INIT_LIST_HEAD(&pdev->entries);
	atomic64_set(&pdev->hits, 0);
	atomic64_set(&pdev->misses, 0);
	return 0;
}

/**
 * vgem_prime_device_fini() - tear down the dma-buf hash of a device
 * @pdev: the device's PRIME state; every object of the device is gone
 */
void vgem_prime_device_fini(struct vgem_prime_device *pdev)
{
	/* Entries are objects, and objects do not outlive the device. */
	rhashtable_destroy(&pdev->hash);
	mutex_destroy(&pdev->hash_lock);
	mutex_destroy(&pdev->lock);
}

static struct vgem_prime_device *vobj_prime(struct vgem_object *vobj)
{
	return vgem_prime_device_of(vobj->base.dev);
}

static void vgem_prime_hash_del_locked(struct vgem_prime_device *pdev,
				       struct vgem_object *vobj)
{
	lockdep_assert_held(&pdev->hash_lock);

	rhashtable_remove_fast(&pdev->hash, &vobj->prime.node,
			       vgem_prime_hash_params);
	list_del_init(&vobj->prime.link);
	WRITE_ONCE(vobj->prime.dma_buf, NULL);
}

/**
 * vgem_prime_hash_add() - enter an object in its device's hash
 * @vobj: an object without a dma-buf entry
 * @dma_buf: its dma-buf: the one it was just exported as, or the foreign
 *	one it was just imported from; the caller holds its file
 *
 * Return: 0, -EBUSY when @vobj or @dma_buf already has an entry, or
 * another negative errno.
 */
int vgem_prime_hash_add(struct vgem_object *vobj, struct dma_buf *dma_buf)
{
	struct vgem_prime_device *pdev = vobj_prime(vobj);
	int ret;

	mutex_lock(&pdev->hash_lock);
	if (vobj->prime.dma_buf) {
		ret = -EBUSY;
		goto out;
	}
	vobj->prime.dma_buf = dma_buf;
	vobj->prime.ino = file_inode(dma_buf->file)->i_ino;
	ret = rhashtable_lookup_insert_fast(&pdev->hash, &vobj->prime.node,
					    vgem_prime_hash_params);
	if (ret) {
		vobj->prime.dma_buf = NULL;
		if (ret == -EEXIST)
			ret = -EBUSY;
		goto out;
	}
	list_add_tail(&vobj->prime.link, &pdev->entries);
out:
	mutex_unlock(&pdev->hash_lock);
	return ret;
}

/**
 * vgem_prime_hash_del() - remove an object's entry, if it is @dma_buf's
 * @vobj: the object
 * @dma_buf: the dma-buf whose entry goes, or NULL for whichever the
 *	object has (the object is being freed)
 *
 * Called by the dma-buf release of exports and, through
 * vgem_prime_object_freed(), the free of every object; a no-op for objects
 * without an entry, and for an entry already removed by
 * vgem_prime_hash_get() because the object was dying.
 */
void vgem_prime_hash_del(struct vgem_object *vobj, struct dma_buf *dma_buf)
{
	struct vgem_prime_device *pdev = vobj_prime(vobj);

	/* The key only ever goes back to NULL concurrently: skip the lock. */
	if (!READ_ONCE(vobj->prime.dma_buf))
		return;

	mutex_lock(&pdev->hash_lock);
	if (vobj->prime.dma_buf && (!dma_buf || vobj->prime.dma_buf == dma_buf))
		vgem_prime_hash_del_locked(pdev, vobj);
	mutex_unlock(&pdev->hash_lock);
}

/**
 * vgem_prime_object_freed() - &drm_gem_object_funcs.free calls this first
 * @vobj: the object being freed
 *
 * An import leaves the dma-buf hash here, before the object puts its
 * dma-buf (so that the key cannot be reused while it is in the hash); an
 * export's entry normally went with its dma-buf's release already.
 */
void vgem_prime_object_freed(struct vgem_object *vobj)
{
	vgem_prime_hash_del(vobj, NULL);
}

/**
 * vgem_prime_hash_get() - the object of a dma-buf on a device
 * @pdev: the device's PRIME state
 * @dma_buf: the dma-buf; the caller holds a reference on it
 *
 * Return: the object with a new reference, or NULL when the device has no
 * live object for @dma_buf.
 */
struct vgem_object *vgem_prime_hash_get(struct vgem_prime_device *pdev,
					struct dma_buf *dma_buf)
{
	struct vgem_object *vobj;

	mutex_lock(&pdev->hash_lock);
	vobj = rhashtable_lookup_fast(&pdev->hash, &dma_buf,
				      vgem_prime_hash_params);
	if (vobj && !kref_get_unless_zero(&vobj->base.refcount)) {
		/* Being freed: its entry goes now, a new object replaces it. */
		vgem_prime_hash_del_locked(pdev, vobj);
		vobj = NULL;
	}
	mutex_unlock(&pdev->hash_lock);
	return vobj;
}

/*
 * The references on the file of an entry's dma-buf, or -1 when the file
 * may be gone: an export's dma-buf outlives its file when somebody holds
 * its dentry (an O_PATH open of /proc/<pid>/fd/<n>), so its file is only
 * known to live while the object caches it (under object_name_lock). An
 * import's object holds its dma-buf's file until it leaves the hash.
 */
static long vgem_prime_entry_refs(struct vgem_object *vobj)
{
	struct dma_buf *dma_buf = vobj->prime.dma_buf;

	lockdep_assert_held(&vobj->base.dev->object_name_lock);
	if (vobj->base.import_attach || vobj->base.dma_buf == dma_buf)
		return file_count(dma_buf->file);
	return -1;
}

/**
 * vgem_prime_debugfs_show() - the vgem_prime debugfs file of a device
 * @dev: the DRM device
 * @m: where to print
 *
 * A line of counters, a header, then one line per entry. Under the hash
 * lock an entry's dma-buf is alive: an import's object holds it, and an
 * export's release waits for the lock before the dma-buf is freed. Its
 * file is another matter (vgem_prime_entry_refs()): the inode number was
 * recorded with the entry, and the references are "-" when unknown.
 */
void vgem_prime_debugfs_show(struct drm_device *dev, struct seq_file *m)
{
	struct vgem_prime_device *pdev = vgem_prime_device_of(dev);
	struct vgem_object *vobj;
	char refs[24];
	long count;

	mutex_lock(&dev->object_name_lock);
	mutex_lock(&pdev->hash_lock);
	seq_printf(m, "entries %u hits %lld misses %lld\n",
		   atomic_read(&pdev->hash.nelems), atomic64_read(&pdev->hits),
		   atomic64_read(&pdev->misses));
	seq_printf(m, "%-6s %10s %10s %8s %7s %5s %s\n", "kind", "ino", "size",
		   "object", "handles", "refs", "exporter");
	list_for_each_entry(vobj, &pdev->entries, prime.link) {
		struct dma_buf *dma_buf = vobj->prime.dma_buf;

		count = vgem_prime_entry_refs(vobj);
		if (count < 0)
			strscpy(refs, "-", sizeof(refs));
		else
			snprintf(refs, sizeof(refs), "%ld", count);
		seq_printf(m, "%-6s %10lu %10zu %8llu %7u %5s %s\n",
			   vobj->base.import_attach ? "import" : "export",
			   vobj->prime.ino, dma_buf->size, vobj->id,
			   READ_ONCE(vobj->base.handle_count), refs,
			   dma_buf->exp_name);
	}
	mutex_unlock(&pdev->hash_lock);
	mutex_unlock(&dev->object_name_lock);
}

/**
 * vgem_prime_hash_counters() - the counters of a device's dma-buf hash
 * @pdev: the device's PRIME state
 * @hits: receives the imports that found their object in the hash
 * @misses: receives the imports that made a new object
 *
 * For DRM_IOCTL_VGEM_STATS; each counter is read once (a snapshot).
 */
void vgem_prime_hash_counters(struct vgem_prime_device *pdev, u64 *hits,
			      u64 *misses)
{
	*hits = atomic64_read(&pdev->hits);
	*misses = atomic64_read(&pdev->misses);
}
