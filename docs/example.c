// SPDX-License-Identifier: MIT
/*
 * A small libvgem client: create a buffer, fill it, share it as a dma-buf,
 * import it on the last vgem device, read it back between a fence and the
 * CPU-access brackets. Build it against the installed library:
 *
 *   cc example.c $(pkg-config --cflags --libs libvgem) -o example
 *
 * and run it as root where the vgem module is loaded (`modprobe vgem`, or
 * `modprobe vgem num_devices=2` for a second device).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libvgem/vgem.h>

#define CHECK(call) do { \
	int err_ = (call); \
	if (err_ < 0) { \
		fprintf(stderr, "%s: %s\n", #call, strerror(-err_)); \
		return 1; \
	} \
} while (0)

int main(void)
{
	struct vgem_stats stats = VGEM_INIT(struct vgem_stats);
	int count, fd, peer, dmabuf;
	struct vgem_bo bo, imported;
	uint32_t fence;
	uint32_t *pixels;
	void *map;

	count = vgem_device_count();
	CHECK(count);
	if (count == 0) {
		fprintf(stderr, "no vgem device: modprobe vgem\n");
		return 1;
	}
	/* Dumb buffers need a primary node. */
	fd = vgem_open(0, VGEM_NODE_PRIMARY);
	CHECK(fd);
	CHECK(vgem_bo_create(fd, 64, 64, 32, 0, &bo));
	CHECK(vgem_bo_map(fd, &bo, VGEM_MAP_READ | VGEM_MAP_WRITE, &map));
	pixels = map;
	for (uint32_t i = 0; i < bo.size / 4; i++)
		pixels[i] = 0x00ff8000 + i;	/* orange-ish, and distinct */
	CHECK(vgem_bo_unmap(map, bo.size));
	CHECK(vgem_bo_export(fd, bo.handle, VGEM_EXPORT_RDWR, &dmabuf));

	/* The last device: another one with num_devices=2, else device 0 again. */
	peer = vgem_open(count - 1, VGEM_NODE_PRIMARY);
	CHECK(peer);
	CHECK(vgem_bo_import(peer, dmabuf, &imported));

	/* Play the GPU: a write fence holds readers back until it is signalled. */
	CHECK(vgem_fence_attach(fd, bo.handle, VGEM_ACCESS_WRITE, &fence));
	printf("busy while the fence is pending: %s\n",
	       vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_READ, 0) == -ETIMEDOUT ? "yes" : "no");
	CHECK(vgem_fence_signal(fd, fence));
	CHECK(vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_READ, 1000));

	CHECK(vgem_bo_map(peer, &imported, VGEM_MAP_READ, &map));
	CHECK(vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_READ));
	pixels = map;
	for (uint32_t i = 0; i < imported.size / 4; i++) {
		if (pixels[i] != 0x00ff8000 + i) {
			fprintf(stderr, "pixel %u differs\n", i);
			return 1;
		}
	}
	CHECK(vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_READ));
	printf("device %d read back %llu bytes written on device 0\n", count - 1,
	       (unsigned long long)imported.size);

	if (vgem_get_stats(fd, &stats) == 0)
		printf("device 0: %llu object(s), %llu bytes\n",
		       (unsigned long long)stats.objects, (unsigned long long)stats.bytes);

	vgem_bo_unmap(map, imported.size);
	vgem_bo_close(peer, imported.handle);
	vgem_bo_close(fd, bo.handle);
	close(dmabuf);
	close(peer);
	close(fd);
	return 0;
}
