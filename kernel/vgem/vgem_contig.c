// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem contiguous backing: dumb buffers on one chunk of a cmctx context.
 *
 * The storage of an object is one physically contiguous chunk allocated
 * from a contiguous memory context (kernel/include/cmctx.h), zeroed at
 * creation. Its pages are consecutive struct pages, so:
 *  - pinning pins the chunk and fills &vgem_object.pages with page + i,
 *    which keeps the object layer's pin counting, caching, kernel and user
 *    mappings and debugfs working unchanged;
 *  - the scatter list handed to importers has a single entry;
 *  - a user-space mapping gets every page table entry at mmap() time, so
 *    touching the mapping takes no page fault at all.
 *
 * vgem reaches a chunk's memory only through a pin (every user-space vma,
 * dma-buf attachment and kernel mapping holds one), so it lets cmctx move
 * the chunk while none exists (cmctx_chunk_set_movable()): a buffer
 * nobody maps or imports can be packed elsewhere by a power manager
 * (PASR compaction) and its user never notices.
 *
 * vgem uses one context, taken at module load (module parameter
 * cma_context names it; empty means the first registered context) and
 * released at module unload. The parameter then reads back the name of the
 * context in use, or nothing when there is none. Without a context,
 * contiguous requests fail with -ENODEV (vgem_bo.c decides whether to fall
 * back to shmem).
 */
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <drm/drm_gem.h>

#include "cmctx.h"
#include "drm/vgem_drm.h"
#include "vgem_gem.h"

static char cma_context[32];
module_param_string(cma_context, cma_context, sizeof(cma_context), 0444);
MODULE_PARM_DESC(cma_context,
		 "Contiguous memory context of contiguous dumb buffers (default: the first one; reads back the one in use)");

/* Set at module load, dropped at module unload; NULL when there is none. */
static struct cmctx *vgem_contig_ctx;

/**
 * struct vgem_contig - the storage of a contiguous object
 * @chunk: the chunk of @vgem_contig_ctx holding the object.
 * @alignment: the alignment of the chunk's physical start that was
 *	guaranteed at allocation, in bytes (at least PAGE_SIZE).
 * @charge: the user the object is charged to (vgem_contig_quota.c).
 */
struct vgem_contig {
	struct cmctx_chunk *chunk;
	size_t alignment;
	struct vgem_contig_user *charge;
};

/**
 * vgem_contig_context_bytes() - the size of vgem's contiguous memory
 *	context
 *
 * Return: its size in bytes, 0 when there is none.
 */
u64 vgem_contig_context_bytes(void)
{
	return vgem_contig_ctx ? (u64)cmctx_nr_pages(vgem_contig_ctx) << PAGE_SHIFT : 0;
}

static struct vgem_contig *to_contig(struct vgem_object *vobj)
{
	return vobj->backing_priv;
}

/* Pages zeroed between two reschedules (and checks for a fatal signal). */
#define VGEM_CONTIG_CLEAR_BATCH	16

/*
 * Zero a new chunk: cmctx hands out memory with whatever was there. Up to
 * 4 GiB: a fatal signal stops it (-EINTR). It reschedules every
 * VGEM_CONTIG_CLEAR_BATCH pages: zeroing takes a microsecond a page on
 * hardware, but under an emulator a page it had translated code from took
 * tens of milliseconds (docs/testing.md), and 4 MiB more than the 20 s
 * that make a soft-lockup report.
 */
static int vgem_contig_clear(struct cmctx_chunk *chunk, size_t size)
{
	unsigned long i, npages = size >> PAGE_SHIFT;
	struct page *page;
	int ret;

	ret = cmctx_pin(chunk);
	if (ret)
		return ret;

	page = cmctx_chunk_page(chunk);
	for (i = 0; i < npages; i++) {
		clear_highpage(page + i);
		if (i % VGEM_CONTIG_CLEAR_BATCH == VGEM_CONTIG_CLEAR_BATCH - 1) {
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			cond_resched();
		}
	}
	cmctx_unpin(chunk);
	return ret;
}

/*
 * Charge, allocate and zero the chunk of a new object and initialise its
 * GEM object. @align is 0 (the context's minimum) or a power of two, at
 * least PAGE_SIZE. Fails with -ENODEV without a context, -EFBIG or -EDQUOT
 * over a limit, -ENOMEM when the context has no room, -EINTR on a fatal
 * signal.
 */
static int vgem_contig_init(struct vgem_object *vobj, size_t size,
			    size_t align)
{
	struct vgem_contig *contig;
	int ret;

	if (!vgem_contig_ctx)
		return -ENODEV;

	contig = kzalloc(sizeof(*contig), GFP_KERNEL);
	if (!contig)
		return -ENOMEM;

	contig->charge = vgem_contig_charge(size, vgem_contig_context_bytes());
	if (IS_ERR(contig->charge)) {
		ret = PTR_ERR(contig->charge);
		goto err_free;
	}

	contig->chunk = cmctx_alloc(vgem_contig_ctx, size, align);
	if (IS_ERR(contig->chunk)) {
		ret = PTR_ERR(contig->chunk);
		goto err_uncharge;
	}
	contig->alignment = max_t(size_t, align, PAGE_SIZE);

	ret = vgem_contig_clear(contig->chunk, size);
	if (ret)
		goto err_chunk;
	cmctx_chunk_set_movable(contig->chunk);

	vobj->backing_priv = contig;
	drm_gem_private_object_init(vobj->base.dev, &vobj->base, size);
	return 0;

err_chunk:
	cmctx_free(contig->chunk);
err_uncharge:
	vgem_contig_uncharge(contig->charge, size);
err_free:
	kfree(contig);
	return ret;
}

static void vgem_contig_release(struct vgem_object *vobj)
{
	struct vgem_contig *contig = to_contig(vobj);
	int ret;

	/* Every pin and mapping is gone: cmctx refusing would be our bug. */
	ret = cmctx_free(contig->chunk);
	if (ret)
		pr_err("vgem: contiguous chunk of %zu bytes not freed: %d\n",
		       vobj->base.size, ret);
	vgem_contig_uncharge(contig->charge, vobj->base.size);
	kfree(contig);
	vobj->backing_priv = NULL;
}

static int vgem_contig_get_pages(struct vgem_object *vobj)
{
	struct vgem_contig *contig = to_contig(vobj);
	unsigned long i, npages = vobj->base.size >> PAGE_SHIFT;
	struct page **pages, *first;
	int ret;

	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;

	ret = cmctx_pin(contig->chunk);
	if (ret) {
		kvfree(pages);
		return ret;
	}

	first = cmctx_chunk_page(contig->chunk);
	for (i = 0; i < npages; i++)
		pages[i] = first + i;
	vobj->pages = pages;
	return 0;
}

static void vgem_contig_put_pages(struct vgem_object *vobj)
{
	cmctx_unpin(to_contig(vobj)->chunk);
	kvfree(vobj->pages);
	vobj->pages = NULL;
}

/* One entry for the whole buffer (its size fits: see vgem_dumb_size()). */
static struct sg_table *vgem_contig_get_sg_table(struct vgem_object *vobj)
{
	struct sg_table *sgt;
	int ret;

	if (vobj->base.size > UINT_MAX)
		return ERR_PTR(-E2BIG);

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);

	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (ret) {
		kfree(sgt);
		return ERR_PTR(ret);
	}
	/* The caller's pin keeps the chunk pinned while the table exists. */
	sg_set_page(sgt->sgl, cmctx_chunk_page(to_contig(vobj)->chunk),
		    vobj->base.size, 0);
	return sgt;
}

/* Every page of the vma is mapped now: touching it takes no fault. */
static int vgem_contig_mmap(struct vgem_object *vobj, struct vm_area_struct *vma)
{
	int ret;

	ret = vgem_object_mmap_pages(vobj, vma);
	if (!ret)
		vgem_object_mmap_all(vobj, vma);
	return ret;
}

/*
 * A contiguous buffer's layout is what its creator asked for: one extent,
 * aligned as requested (at least PAGE_SIZE). Nothing more is told.
 */
static void vgem_contig_info(struct vgem_object *vobj,
			     struct drm_vgem_bo_info *info)
{
	info->flags |= VGEM_BO_INFO_CONTIGUOUS;
	info->extents = 1;
	info->alignment = to_contig(vobj)->alignment;
}

/* The contiguous backing: dumb buffers on a contiguous memory context. */
const struct vgem_backing_ops vgem_contig_backing = {
	.name		= "contig",
	.kind		= VGEM_BACKING_CONTIGUOUS,
	.init		= vgem_contig_init,
	.release	= vgem_contig_release,
	.get_pages	= vgem_contig_get_pages,
	.put_pages	= vgem_contig_put_pages,
	.get_sg_table	= vgem_contig_get_sg_table,
	.mmap		= vgem_contig_mmap,
	.info		= vgem_contig_info,
};

/**
 * vgem_contig_available() - tell whether vgem has a contiguous memory
 *	context
 *
 * Return: true when contiguous objects can be asked for.
 */
bool vgem_contig_available(void)
{
	return vgem_contig_ctx;
}

/**
 * vgem_contig_show() - the vgem_contig debugfs file: the context, the
 *	limits and what each user holds
 * @m: where to print
 */
void vgem_contig_show(struct seq_file *m)
{
	seq_printf(m, "context %s\n", vgem_contig_ctx ? cma_context : "-");
	seq_printf(m, "context_bytes %llu\n", vgem_contig_context_bytes());
	vgem_contig_quota_show(m, vgem_contig_context_bytes());
}

/**
 * vgem_contig_module_init() - take the context reference, at module load
 *
 * No context (none registered, or none of the name asked for) is not an
 * error: contiguous requests then fail with -ENODEV.
 */
void vgem_contig_module_init(void)
{
	vgem_contig_ctx = cmctx_get(cma_context[0] ? cma_context : NULL);
	if (vgem_contig_ctx) {
		strscpy(cma_context, cmctx_name(vgem_contig_ctx),
			sizeof(cma_context));
		pr_info("vgem: contiguous dumb buffers from context %s\n",
			cma_context);
	} else {
		pr_info("vgem: no contiguous memory context%s%s\n",
			cma_context[0] ? " named " : "", cma_context);
		cma_context[0] = '\0';
	}
}

/**
 * vgem_contig_module_exit() - drop the context reference, at module unload
 *
 * Every object is gone by then: the module cannot unload while any exists.
 */
void vgem_contig_module_exit(void)
{
	if (vgem_contig_ctx)
		cmctx_put(vgem_contig_ctx);
	vgem_contig_ctx = NULL;
}
