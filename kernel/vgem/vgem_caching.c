// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem caching: how the CPU sees the pages of an object.
 *
 * By default an object is write-combined, as upstream vgem makes it (the
 * shmem helper's map_wc): its user-space mappings and its kernel mapping
 * bypass the CPU caches, so that a device that does not snoop them (a real
 * GPU importing the buffer) sees what the CPU wrote, and the CPU sees what
 * the device wrote, with no cache maintenance and no CPU-access brackets.
 * Clients that map through MAP_DUMB never bracket their accesses, which is
 * why upstream chose this.
 *
 * x86 keeps one caching mode per page of RAM (PAT): the kernel's linear
 * mapping of a page and every other mapping of it must agree, and the mode
 * of a user mapping of RAM follows the page's own (track_pfn_insert()). So
 * while the pages of a write-combined object are pinned, their linear
 * mapping is switched to write-combining (set_pages_array_wc()), and back
 * to write-back before they are released.
 *
 * An object created with VGEM_BO_CACHED stays write-back everywhere, which
 * is much faster to read from the CPU. Its users promise to bracket CPU
 * access with DMA_BUF_IOCTL_SYNC; in return the driver writes the CPU
 * caches back to memory (clflush) when an importer maps the buffer for
 * DMA, at the start of CPU access (so that stale lines do not hide what a
 * device wrote) and at its end (so that the device sees what the CPU
 * wrote), the latter two only while some device has the buffer mapped and
 * the end only after writes. DMA of a device that snoops the caches needs
 * none of it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched.h>

#include <drm/drm_cache.h>

#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

#include "vgem_gem.h"

/*
 * Pages per step of the loops below: each step of set_pages_array_*()
 * flushes the TLBs of every CPU, each clflush step writes back 4 MiB.
 */
#define VGEM_CACHING_BATCH	1024

#ifdef CONFIG_X86
static int vgem_set_pages_caching(struct page **pages, unsigned long npages,
				  bool wc)
{
	unsigned long done, step;
	int ret = 0;

	for (done = 0; done < npages; done += step) {
		step = min_t(unsigned long, npages - done, VGEM_CACHING_BATCH);
		if (wc)
			ret = set_pages_array_wc(pages + done, step);
		else
			ret = set_pages_array_wb(pages + done, step);
		if (ret)
			break;
		cond_resched();
	}
	/* Half-way to write-combining: put back what was changed. */
	if (ret && wc && done)
		vgem_set_pages_caching(pages, done, false);
	return ret;
}
#else
static int vgem_set_pages_caching(struct page **pages, unsigned long npages,
				  bool wc)
{
	/* Other architectures only change the mappings' page protection. */
	return 0;
}
#endif

/**
 * vgem_caching_pin() - give newly pinned pages the object's caching
 * @vobj: the object; &vgem_object.pages was just filled, under its lock
 *
 * Return: 0, or a negative errno when the linear mapping could not be
 * changed (the pages are then as they were).
 */
int vgem_caching_pin(struct vgem_object *vobj)
{
	if (vobj->cached)
		return 0;
	return vgem_set_pages_caching(vobj->pages, vobj->base.size >> PAGE_SHIFT,
				      true);
}

/**
 * vgem_caching_unpin() - give pages back their write-back caching
 * @vobj: the object; its pages are about to be released, under its lock
 */
void vgem_caching_unpin(struct vgem_object *vobj)
{
	int ret;

	if (vobj->cached)
		return;
	ret = vgem_set_pages_caching(vobj->pages, vobj->base.size >> PAGE_SHIFT,
				     false);
	/* Splitting the linear mapping may need memory; nothing to undo. */
	if (ret)
		pr_err("object %llu: pages left write-combined: %d\n",
		       vobj->id, ret);
}

/**
 * vgem_caching_pgprot() - the page protection of a CPU mapping
 * @vobj: the object
 * @prot: the protection a cached mapping would have
 *
 * Return: @prot, write-combining unless the object is cached.
 */
pgprot_t vgem_caching_pgprot(struct vgem_object *vobj, pgprot_t prot)
{
	return vobj->cached ? prot : pgprot_writecombine(prot);
}

/**
 * vgem_caching_flush() - write back and drop the CPU's cached lines of a
 *	cached object
 * @vobj: the object; the caller holds a pin of its pages
 *
 * A no-op for write-combined objects, whose lines are never cached. Sleeps.
 */
void vgem_caching_flush(struct vgem_object *vobj)
{
	unsigned long done, step, npages = vobj->base.size >> PAGE_SHIFT;

	if (!vobj->cached)
		return;
	for (done = 0; done < npages; done += step) {
		step = min_t(unsigned long, npages - done, VGEM_CACHING_BATCH);
		drm_clflush_pages(vobj->pages + done, step);
		cond_resched();
	}
}
