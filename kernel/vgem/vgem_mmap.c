// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem user-space mappings of page-backed storage.
 *
 * A mapping is a VM_PFNMAP vma, as upstream vgem's (the shmem helper's):
 * page table entries point at page frames, no struct page is handed to
 * user space, and get_user_pages() refuses the vma with -EFAULT. So
 * nothing can take a long-term pin on the pages behind vgem's back
 * (io_uring fixed buffers, RDMA) or a short one that outlives the object
 * (O_DIRECT, vmsplice()): the object's own pins are all there is. The
 * protection is the object's caching (vgem_caching.c): write-combined
 * unless the object was created cached.
 *
 * Unlike upstream, which takes one fault per page, a mapping takes at most
 * one: the first fault maps everything from the faulting page to the end
 * of the vma, then what lies before it, in batches between which the
 * task may reschedule or die. Backings that want no fault at all (the
 * contiguous one) call vgem_object_mmap_all() from their mmap. The pages
 * are pinned from mmap to vm_close, so the fault handler reads
 * &vgem_object.pages without the object lock.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>

#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "kcompat.h"
#include "vgem_gem.h"

/* Page table entries per batch: a fatal signal is noticed between them. */
#define VGEM_MAP_BATCH	512

/* Index in the object of the page mapped at @vma->vm_start. */
static unsigned long vgem_vma_first_page(struct vm_area_struct *vma)
{
	struct drm_gem_object *obj = vma->vm_private_data;

	return vma->vm_pgoff - drm_vma_node_start(&obj->vma_node);
}

/*
 * Map @count pages of @vobj from page @index on at @addr of @vma. The
 * first page is always tried and its failure returned; after it, the
 * walk stops at a failure (the fault handler maps what is left when it is
 * touched) or when the task has a fatal signal.
 */
static vm_fault_t vgem_vma_insert(struct vgem_object *vobj,
				  struct vm_area_struct *vma, unsigned long addr,
				  unsigned long index, unsigned long count)
{
	unsigned long i;
	vm_fault_t ret;

	for (i = 0; i < count; i++, addr += PAGE_SIZE) {
		/* An entry already there (another thread) is no error. */
		ret = vmf_insert_pfn(vma, addr, page_to_pfn(vobj->pages[index + i]));
		if (ret & VM_FAULT_ERROR)
			return i ? VM_FAULT_NOPAGE : ret;
		if ((i + 1) % VGEM_MAP_BATCH == 0) {
			if (fatal_signal_pending(current))
				break;
			cond_resched();
		}
	}
	return VM_FAULT_NOPAGE;
}

static vm_fault_t vgem_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct vgem_object *vobj = to_vgem_object(obj);
	unsigned long npages = obj->size >> PAGE_SHIFT;
	unsigned long first = vgem_vma_first_page(vma);
	unsigned long index = first + ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	unsigned long end = min(first + vma_pages(vma), npages);
	vm_fault_t ret;

	/* Past the end of the object: the same answer as upstream. */
	if (index >= end || !vobj->pages)
		return VM_FAULT_SIGBUS;

	ret = vgem_vma_insert(vobj, vma, vmf->address & PAGE_MASK, index,
			      end - index);
	if (ret == VM_FAULT_NOPAGE && index > first &&
	    !fatal_signal_pending(current))
		vgem_vma_insert(vobj, vma, vma->vm_start, first, index - first);
	return ret;
}

static void vgem_vm_open(struct vm_area_struct *vma)
{
	struct vgem_object *vobj = to_vgem_object(vma->vm_private_data);

	/* A copy of a vma that already holds a pin: this cannot fail. */
	mutex_lock(&vobj->lock);
	vobj->pages_use++;
	mutex_unlock(&vobj->lock);
	drm_gem_vm_open(vma);
}

static void vgem_vm_close(struct vm_area_struct *vma)
{
	struct vgem_object *vobj = to_vgem_object(vma->vm_private_data);

	vgem_object_unpin_pages(vobj);
	drm_gem_vm_close(vma);
}

const struct vm_operations_struct vgem_vm_ops = {
	.fault	= vgem_vm_fault,
	.open	= vgem_vm_open,
	.close	= vgem_vm_close,
};

/**
 * vgem_object_mmap_pages() - set up a user-space mapping of page-backed
 *	storage
 * @vobj: the object
 * @vma: the new vma, vm_private_data and vm_ops already set
 *
 * Like upstream, private writable (copy-on-write) mappings are refused.
 * The pages are pinned for the life of the vma; vm_close unpins them.
 *
 * Return: 0 or a negative errno (-EINTR: a fatal signal while waiting
 * for the pages).
 */
int vgem_object_mmap_pages(struct vgem_object *vobj, struct vm_area_struct *vma)
{
	int ret;

	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;

	ret = vgem_object_pin_pages(vobj);
	if (ret)
		return ret;

	vgem_vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = vgem_caching_pgprot(vobj, vm_get_page_prot(vma->vm_flags));
	return 0;
}

/**
 * vgem_object_mmap_all() - map every page of a new vma right away
 * @vobj: the object, its pages pinned by vgem_object_mmap_pages()
 * @vma: the vma, set up by vgem_object_mmap_pages()
 *
 * For backings whose mappings should take no fault at all. Best effort:
 * a page that cannot be mapped now (no memory for a page table, or a
 * fatal signal) is mapped by the fault handler when it is touched.
 */
void vgem_object_mmap_all(struct vgem_object *vobj, struct vm_area_struct *vma)
{
	unsigned long npages = vobj->base.size >> PAGE_SHIFT;
	unsigned long first = vgem_vma_first_page(vma);

	if (first < npages)
		vgem_vma_insert(vobj, vma, vma->vm_start, first,
				min(vma_pages(vma), npages - first));
}
