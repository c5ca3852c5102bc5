/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vgem PRIME, inside prime/ only: the per-device dma-buf hash
 * (vgem_prime_hash.c), used by export, import and the handle<->fd paths.
 */
#ifndef VGEM_PRIME_HASH_H
#define VGEM_PRIME_HASH_H

struct dma_buf;
struct vgem_object;
struct vgem_prime_device;

int vgem_prime_hash_add(struct vgem_object *vobj, struct dma_buf *dma_buf);
void vgem_prime_hash_del(struct vgem_object *vobj, struct dma_buf *dma_buf);
struct vgem_object *vgem_prime_hash_get(struct vgem_prime_device *pdev,
					struct dma_buf *dma_buf);

#endif /* VGEM_PRIME_HASH_H */
