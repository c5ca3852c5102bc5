/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Everything that depends on the kernel version, for every module of this
 * project (vgem.ko, cmctx.ko, cmctx_test.ko, pasr.ko), in one place.
 *
 * The modules are written against Debian's Linux 6.1. Newer kernels changed a
 * few interfaces they use; porting should only need this header to change:
 *  - 6.3 made vma->vm_flags read-only behind vm_flags_set();
 *  - 6.4 made MAX_ORDER the highest buddy order (it was one past it), and
 *    6.8 renamed it MAX_PAGE_ORDER;
 *  - 6.6 removed drm_driver.prime_handle_to_fd/prime_fd_to_handle: the core
 *    then does handle <-> fd itself with its per-file trees, and vgem keeps
 *    the device-wide dma-buf hash through gem_prime_import and export;
 *  - 6.13 made MODULE_IMPORT_NS() take a string literal;
 *  - 6.14 removed drm_driver.date;
 *  - 6.15/6.16 renamed del_timer() and from_timer();
 *  - 6.16 replaced alloc_contig_range()'s migratetype argument with flags
 *    (acr_flags_t): MIGRATE_MOVABLE (1) would now mean ACR_FLAGS_CMA.
 * Names: vgem_* and VGEM_* serve vgem.ko, kcompat_* any module.
 */
#ifndef KCOMPAT_H
#define KCOMPAT_H

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static inline void vgem_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vm_flags_set(vma, flags);
}
#else
static inline void vgem_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define VGEM_DRIVER_PRIME_FD_OPS
#else
/* Ours, with O(1) lookups both ways (prime/vgem_prime_fd.c). */
#define VGEM_DRIVER_PRIME_FD_OPS \
	.prime_handle_to_fd	= vgem_prime_handle_to_fd, \
	.prime_fd_to_handle	= vgem_prime_fd_to_handle,
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define VGEM_IMPORT_NS_DMA_BUF()	MODULE_IMPORT_NS("DMA_BUF")
#else
#define VGEM_IMPORT_NS_DMA_BUF()	MODULE_IMPORT_NS(DMA_BUF)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define VGEM_DRIVER_DATE_FIELD(date)
#else
#define VGEM_DRIVER_DATE_FIELD(d)	.date = (d),
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define vgem_timer_container_of(var, timer, field) timer_container_of(var, timer, field)
#else
#define vgem_timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
#define vgem_timer_delete(timer)	timer_delete(timer)
#else
#define vgem_timer_delete(timer)	del_timer(timer)
#endif

/*
 * alloc_contig_range() of movable memory outside any kernel CMA area, the
 * only kind cmctx takes.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define kcompat_alloc_contig_movable(start, end, gfp) \
	alloc_contig_range(start, end, ACR_FLAGS_NONE, gfp)
#else
#define kcompat_alloc_contig_movable(start, end, gfp) \
	alloc_contig_range(start, end, MIGRATE_MOVABLE, gfp)
#endif

/* The highest order of the buddy allocator (10 on x86: 4 MiB blocks). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define KCOMPAT_MAX_BUDDY_ORDER	MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define KCOMPAT_MAX_BUDDY_ORDER	MAX_ORDER
#else
#define KCOMPAT_MAX_BUDDY_ORDER	(MAX_ORDER - 1)
#endif

/*
 * platform_driver's remove callback returns void from 6.11 on; before, the
 * void one is .remove_new (.remove returned an int nobody looked at).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define VGEM_PLATFORM_REMOVE(fn)	.remove = (fn)
#else
#define VGEM_PLATFORM_REMOVE(fn)	.remove_new = (fn)
#endif

#endif /* KCOMPAT_H */
