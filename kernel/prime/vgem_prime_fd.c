// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem PRIME: handle <-> dma-buf fd, with O(1) lookups both ways.
 *
 * The DRM core of Linux 6.1 lets a driver own PRIME_HANDLE_TO_FD and
 * PRIME_FD_TO_HANDLE (drm_driver.prime_handle_to_fd/prime_fd_to_handle;
 * kcompat.h installs these on kernels that still have the callbacks).
 * The core's helpers keep two red-black trees per file; here:
 *
 *  - handle -> dma-buf: the file's idr gives the object, the object caches
 *    its dma-buf in &drm_gem_object.dma_buf while it has handles (the core
 *    drops that reference when the last handle goes, as for its helpers);
 *  - dma-buf -> handle: the file's table (&vgem_prime_file.handles, keyed
 *    by dma-buf) gives the handle; on a miss, the device hash gives the
 *    object (vgem_prime_import()) and a new handle is made.
 *
 * The file's table records, like the core's trees, the handles a file got
 * through PRIME (by exporting or importing); a handle leaves it when it is
 * closed (vgem_prime_handle_closed(), the object's close callback) and the
 * whole table goes with the file.
 *
 * An entry's key stays valid as long as the entry: the entry's handle keeps
 * the dma-buf cached on its object (&drm_gem_object.dma_buf, set before
 * the entry is added and dropped only after the last handle's close
 * callback, which removes the entry under the file lock).
 *
 * Locks, outermost first: &vgem_prime_file.lock, &vgem_prime_device.lock,
 * &drm_device.object_name_lock, &vgem_prime_device.hash_lock. The ioctls
 * wait for the first two killably. No lock is held while an import
 * attaches to its exporter (vgem_prime_import()), which can take long.
 */
#include <linux/dma-buf.h>
#include <linux/idr.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "vgem_gem.h"
#include "vgem_prime.h"
#include "vgem_prime_hash.h"

/**
 * struct vgem_prime_handle - a handle a file got through PRIME
 * @node: in &vgem_prime_file.handles.
 * @dma_buf: the object's dma-buf (the key). Not a reference: while the
 *	handle lives, &drm_gem_object.dma_buf holds one.
 * @obj: the object. Not a reference either: the handle holds one, and the
 *	entry goes when the handle does (or with the file).
 * @handle: the handle, in the file's idr.
 */
struct vgem_prime_handle {
	struct rhash_head node;
	struct dma_buf *dma_buf;
	struct drm_gem_object *obj;
	u32 handle;
};

static const struct rhashtable_params vgem_prime_handle_params = {
	.key_len		= sizeof(struct dma_buf *),
	.key_offset		= offsetof(struct vgem_prime_handle, dma_buf),
	.head_offset		= offsetof(struct vgem_prime_handle, node),
	.automatic_shrinking	= true,
};

/**
 * vgem_prime_file_init() - set up the PRIME handle table of a new file
 * @pfile: the file's PRIME state
 *
 * Return: 0 or a negative errno.
 */
int vgem_prime_file_init(struct vgem_prime_file *pfile)
{
	int ret;

	ret = rhashtable_init(&pfile->handles, &vgem_prime_handle_params);
	if (ret)
		return ret;

	mutex_init(&pfile->lock);
	return 0;
}

static void vgem_prime_handle_free(void *ptr, void *unused)
{
	kfree(ptr);
}

/**
 * vgem_prime_file_fini() - free the PRIME handle table of a closed file
 * @pfile: the file's PRIME state; the file's handles are all gone
 *
 * Entries of handles closed with the file are still there (the close
 * callback cannot tell them from live ones while the idr is being torn
 * down); their objects and dma-bufs may be freed already, which is fine:
 * this only frees the entries.
 */
void vgem_prime_file_fini(struct vgem_prime_file *pfile)
{
	rhashtable_free_and_destroy(&pfile->handles, vgem_prime_handle_free, NULL);
	mutex_destroy(&pfile->lock);
}

static struct vgem_prime_handle *
vgem_prime_handle_find(struct vgem_prime_file *pfile, struct dma_buf *dma_buf)
{
	lockdep_assert_held(&pfile->lock);

	return rhashtable_lookup_fast(&pfile->handles, &dma_buf,
				      vgem_prime_handle_params);
}

/*
 * The entry of the file for @obj, if it has one. The caller holds the file
 * lock and a handle of @obj in the file (so obj->dma_buf cannot change
 * under it, see the top of this file).
 */
static struct vgem_prime_handle *
vgem_prime_handle_find_obj(struct vgem_prime_file *pfile,
			   struct drm_gem_object *obj)
{
	struct dma_buf *dma_buf = READ_ONCE(obj->dma_buf);
	struct vgem_prime_handle *entry;

	if (!dma_buf)
		return NULL;
	entry = vgem_prime_handle_find(pfile, dma_buf);
	return entry && entry->obj == obj ? entry : NULL;
}

/*
 * Record that the file got @handle for @obj, whose dma-buf is @dma_buf
 * (cached on @obj), unless it has a handle for it recorded.
 */
static int vgem_prime_handle_remember(struct vgem_prime_file *pfile,
				      struct drm_gem_object *obj, u32 handle,
				      struct dma_buf *dma_buf)
{
	struct vgem_prime_handle *entry;
	int ret;

	if (vgem_prime_handle_find(pfile, dma_buf))
		return 0;

	entry = kmalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	entry->obj = obj;
	entry->dma_buf = dma_buf;
	entry->handle = handle;

	ret = rhashtable_insert_fast(&pfile->handles, &entry->node,
				     vgem_prime_handle_params);
	if (ret)
		kfree(entry);
	return ret;
}

/**
 * vgem_prime_handle_closed() - &drm_gem_object_funcs.close
 * @obj: the object one of whose handles in @file is being closed
 * @file: the file
 *
 * The DRM core has already cleared the closing handle's idr slot (GEM_CLOSE)
 * or is tearing the whole file down (then every slot still reads as
 * @obj, and vgem_prime_file_fini() frees the entries). The recorded handle
 * is forgotten when it is the one going; another handle of the same object
 * in the same file leaves it in place. The closing handle still counts in
 * &drm_gem_object.handle_count here, so the object's dma-buf is still
 * cached on it.
 */
void vgem_prime_handle_closed(struct drm_gem_object *obj, struct drm_file *file)
{
	struct vgem_prime_file *pfile = vgem_prime_file_of(file);
	struct vgem_prime_handle *entry;
	bool live;

	mutex_lock(&pfile->lock);
	entry = vgem_prime_handle_find_obj(pfile, obj);
	if (entry) {
		spin_lock(&file->table_lock);
		live = idr_find(&file->object_idr, entry->handle) == obj;
		spin_unlock(&file->table_lock);
		if (!live) {
			rhashtable_remove_fast(&pfile->handles, &entry->node,
					       vgem_prime_handle_params);
			kfree(entry);
		}
	}
	mutex_unlock(&pfile->lock);
}

/*
 * The dma-buf of @obj, with a new reference: the one cached on the object,
 * else the original of an imported object or a new export, which is then
 * cached. The caller holds &vgem_prime_device.lock.
 */
static struct dma_buf *vgem_prime_object_dma_buf(struct drm_gem_object *obj,
						 u32 flags)
{
	struct drm_device *dev = obj->dev;
	struct dma_buf *dma_buf;

	mutex_lock(&dev->object_name_lock);
	/* The last handle was closed meanwhile: nothing may cache it now. */
	if (!obj->handle_count) {
		dma_buf = ERR_PTR(-ENOENT);
		goto out;
	}

	if (obj->dma_buf) {
		dma_buf = obj->dma_buf;
	} else {
		if (obj->import_attach) {
			dma_buf = obj->import_attach->dmabuf;
			get_dma_buf(dma_buf);
		} else {
			dma_buf = obj->funcs->export(obj, flags);
			if (IS_ERR(dma_buf))
				goto out;
		}
		/* This reference goes with the last handle (the core drops it). */
		obj->dma_buf = dma_buf;
	}
	get_dma_buf(dma_buf);
out:
	mutex_unlock(&dev->object_name_lock);
	return dma_buf;
}

/**
 * vgem_prime_handle_to_fd() - &drm_driver.prime_handle_to_fd
 * @dev: the DRM device
 * @file: the file the handle belongs to
 * @handle: the object to export
 * @flags: DRM_CLOEXEC and DRM_RDWR (checked by the core)
 * @prime_fd: receives the new dma-buf fd
 *
 * Every export of an object, from any file, gives the same dma-buf while
 * it lives; an imported object gives the dma-buf it was imported from.
 *
 * Return: 0, -ENOENT for an unknown handle, or another negative errno.
 */
int vgem_prime_handle_to_fd(struct drm_device *dev, struct drm_file *file,
			    u32 handle, u32 flags, int *prime_fd)
{
	struct vgem_prime_device *pdev = vgem_prime_device_of(dev);
	struct vgem_prime_file *pfile = vgem_prime_file_of(file);
	struct vgem_prime_handle *entry;
	struct drm_gem_object *obj;
	struct dma_buf *dma_buf;
	int ret;

	ret = mutex_lock_killable(&pfile->lock);
	if (ret)
		return ret;
	obj = drm_gem_object_lookup(file, handle);
	if (!obj) {
		ret = -ENOENT;
		goto out_unlock;
	}

	/*
	 * Exported or imported by this file before: the recorded handle is
	 * alive (closing it takes the file lock), so the object's dma-buf
	 * stays cached on it and the entry's pointer is valid.
	 */
	entry = vgem_prime_handle_find_obj(pfile, obj);
	if (entry) {
		dma_buf = entry->dma_buf;
		get_dma_buf(dma_buf);
		ret = 0;
	} else {
		ret = mutex_lock_killable(&pdev->lock);
		if (ret)
			goto out_put_obj;
		dma_buf = vgem_prime_object_dma_buf(obj, flags);
		mutex_unlock(&pdev->lock);
		if (IS_ERR(dma_buf)) {
			ret = PTR_ERR(dma_buf);
			goto out_put_obj;
		}
		/* Under the file lock: a racing GEM_CLOSE forgets it after. */
		ret = vgem_prime_handle_remember(pfile, obj, handle, dma_buf);
	}
	if (!ret)
		ret = dma_buf_fd(dma_buf, flags);
	if (ret < 0) {
		dma_buf_put(dma_buf);
		goto out_put_obj;
	}
	*prime_fd = ret;
	ret = 0;

out_put_obj:
	mutex_unlock(&pfile->lock);
	drm_gem_object_put(obj);
	return ret;

out_unlock:
	mutex_unlock(&pfile->lock);
	return ret;
}

/*
 * The handle @file got through PRIME for @dma_buf, if any: a hit. Called
 * with the file lock held.
 */
static bool vgem_prime_handle_known(struct vgem_prime_file *pfile,
				    struct vgem_prime_device *pdev,
				    struct dma_buf *dma_buf, u32 *handle)
{
	struct vgem_prime_handle *entry = vgem_prime_handle_find(pfile, dma_buf);

	if (!entry)
		return false;
	atomic64_inc(&pdev->hits);
	*handle = entry->handle;
	return true;
}

/**
 * vgem_prime_fd_to_handle() - &drm_driver.prime_fd_to_handle
 * @dev: the DRM device
 * @file: the file that gets the handle
 * @prime_fd: a dma-buf fd, from any exporter
 * @handle: receives the handle
 *
 * The device's object for the dma-buf is found in its hash, or made once
 * (vgem_prime_import(), with no lock held: attaching to the exporter may
 * take long); a file that already got a handle for it through PRIME gets
 * that handle again, any other file a new handle to the same object.
 *
 * Return: 0, -EBADF or -EINVAL for a bad fd, -EINTR when a fatal signal
 * came while waiting for a lock, or another negative errno.
 */
int vgem_prime_fd_to_handle(struct drm_device *dev, struct drm_file *file,
			    int prime_fd, u32 *handle)
{
	struct vgem_prime_device *pdev = vgem_prime_device_of(dev);
	struct vgem_prime_file *pfile = vgem_prime_file_of(file);
	struct drm_gem_object *obj;
	struct dma_buf *dma_buf;
	u32 new_handle = 0;	/* handles start at 1 */
	bool known;
	int ret;

	dma_buf = dma_buf_get(prime_fd);
	if (IS_ERR(dma_buf))
		return PTR_ERR(dma_buf);

	/* A dma-buf this file already has a handle for: that handle. */
	ret = mutex_lock_killable(&pfile->lock);
	if (ret)
		goto out_put_dma_buf;
	known = vgem_prime_handle_known(pfile, pdev, dma_buf, handle);
	mutex_unlock(&pfile->lock);
	if (known)
		goto out_put_dma_buf;

	/* Found in the hash (a hit) or made now (a miss): not in our table. */
	obj = vgem_prime_import(dev, dma_buf);
	if (IS_ERR(obj)) {
		ret = PTR_ERR(obj);
		goto out_put_dma_buf;
	}

	ret = mutex_lock_killable(&pfile->lock);
	if (ret)
		goto out_put_obj;
	/* Another thread of this file imported it meanwhile. */
	if (vgem_prime_handle_known(pfile, pdev, dma_buf, handle))
		goto out_unlock_file;

	ret = mutex_lock_killable(&pdev->lock);
	if (ret)
		goto out_unlock_file;
	ret = drm_gem_handle_create(file, obj, &new_handle);
	if (ret)
		goto out_unlock;

	/*
	 * Cache the dma-buf on the object as an export does, before a racing
	 * export of the object (which takes the device lock) can make a
	 * second dma-buf of it. Our new handle keeps handle_count up even if
	 * user space closes it right away: the count drops only after the
	 * close callback, which waits for the file lock. The check is for
	 * clarity: never cache without a handle.
	 */
	mutex_lock(&dev->object_name_lock);
	if (!obj->dma_buf && obj->handle_count) {
		obj->dma_buf = dma_buf;
		get_dma_buf(dma_buf);
	}
	mutex_unlock(&dev->object_name_lock);

	ret = vgem_prime_handle_remember(pfile, obj, new_handle, dma_buf);
	if (!ret)
		*handle = new_handle;

out_unlock:
	mutex_unlock(&pdev->lock);
out_unlock_file:
	mutex_unlock(&pfile->lock);
	/* Its close callback takes the file lock: not held any more. */
	if (ret && new_handle)
		drm_gem_handle_delete(file, new_handle);
out_put_obj:
	drm_gem_object_put(obj);
out_put_dma_buf:
	dma_buf_put(dma_buf);
	return ret;
}
