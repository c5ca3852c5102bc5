// SPDX-License-Identifier: MIT
/*
 * vgem_vkms: a display driver scanning out a vgem buffer, as a compositor
 * shows a client's buffer. The client draws into a vgem dumb buffer through
 * its mapping and exports it; vkms (the virtual KMS driver) imports it through
 * PRIME, wraps it in a framebuffer and an atomic commit puts it on the primary
 * plane. vkms's writeback connector captures each composed frame into a
 * buffer of its own, which must hold exactly the pixels written through vgem.
 *
 * Debian's kernel has no vkms: there the subtests skip. The debug test kernel
 * (tools/vm --kernel debug) has it as a module, loaded on demand.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm_fourcc.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"
#include "lib/igt_vgem.h"

/* The vkms device as a compositor uses it: one CRTC, its plane and outputs. */
struct kms {
	int fd;
	uint32_t crtc, plane, output, writeback;
	drmModeModeInfo mode;
	uint32_t mode_blob;
};

/* A framebuffer and a CPU mapping of its single plane. */
struct fb {
	uint32_t id, handle, pitch;
	uint64_t size;
	uint32_t *map;
};

static uint32_t prop_id(int fd, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t id = 0, i;

	igt_assert_f(props, "no properties on object %u\n", obj);
	for (i = 0; i < props->count_props && !id; i++) {
		drmModePropertyPtr prop = drmModeGetProperty(fd, props->props[i]);

		if (prop && !strcmp(prop->name, name))
			id = prop->prop_id;
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	igt_assert_f(id, "object %u has no property %s\n", obj, name);
	return id;
}

static uint64_t prop_value(int fd, uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t id = prop_id(fd, obj, type, name), i;
	uint64_t value = 0;

	for (i = 0; i < props->count_props; i++)
		if (props->props[i] == id)
			value = props->prop_values[i];
	drmModeFreeObjectProperties(props);
	return value;
}

static void add_prop(drmModeAtomicReqPtr req, int fd, uint32_t obj, uint32_t type,
		     const char *name, uint64_t value)
{
	igt_assert(drmModeAtomicAddProperty(req, obj, prop_id(fd, obj, type, name),
					    value) > 0);
}

static void kms_open(struct kms *kms)
{
	drmModeResPtr res;
	drmModePlaneResPtr planes;
	int i;

	memset(kms, 0, sizeof(*kms));
	kms->fd = drm_open_by_name("vkms", DRM_NODE_KIND_PRIMARY, NULL);
	igt_require_f(kms->fd >= 0, "no vkms device (%s): the kernel lacks "
		      "CONFIG_DRM_VKMS; run on the debug kernel", strerror(-kms->fd));
	igt_assert_eq(drmSetClientCap(kms->fd, DRM_CLIENT_CAP_ATOMIC, 1), 0);
	igt_require_f(drmSetClientCap(kms->fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) == 0,
		      "vkms without writeback connectors");

	res = drmModeGetResources(kms->fd);
	igt_assert(res && res->count_crtcs >= 1);
	kms->crtc = res->crtcs[0];
	for (i = 0; i < res->count_connectors; i++) {
		drmModeConnectorPtr conn = drmModeGetConnector(kms->fd, res->connectors[i]);

		igt_assert(conn);
		if (conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK) {
			kms->writeback = conn->connector_id;
		} else if (!kms->output && conn->count_modes > 0) {
			int m;

			kms->output = conn->connector_id;
			kms->mode = conn->modes[0];
			for (m = 0; m < conn->count_modes; m++)
				if (conn->modes[m].type & DRM_MODE_TYPE_PREFERRED)
					kms->mode = conn->modes[m];
		}
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	igt_assert_f(kms->output, "vkms has no connector with modes\n");
	igt_require_f(kms->writeback, "vkms has no writeback connector (enable_writeback=0?)");

	planes = drmModeGetPlaneResources(kms->fd);
	igt_assert(planes);
	for (i = 0; i < (int)planes->count_planes && !kms->plane; i++) {
		drmModePlanePtr plane = drmModeGetPlane(kms->fd, planes->planes[i]);

		if ((plane->possible_crtcs & 1) &&
		    prop_value(kms->fd, plane->plane_id, DRM_MODE_OBJECT_PLANE, "type") ==
		    DRM_PLANE_TYPE_PRIMARY)
			kms->plane = plane->plane_id;
		drmModeFreePlane(plane);
	}
	drmModeFreePlaneResources(planes);
	igt_assert_f(kms->plane, "no primary plane for CRTC %u\n", kms->crtc);
	igt_assert_eq(drmModeCreatePropertyBlob(kms->fd, &kms->mode, sizeof(kms->mode),
						&kms->mode_blob), 0);
	igt_info("vkms: %ux%u on CRTC %u, plane %u, connector %u, writeback %u\n",
		 kms->mode.hdisplay, kms->mode.vdisplay, kms->crtc, kms->plane,
		 kms->output, kms->writeback);
}

/* The pixel the client draws at (x, y) for frame @seed (X byte left 0). */
static uint32_t pixel(uint32_t x, uint32_t y, uint32_t seed)
{
	return ((x * 3 + seed) & 0xff) << 16 | ((y * 5 + seed) & 0xff) << 8 |
	       ((x ^ y ^ seed) & 0xff);
}

static void draw(uint32_t *map, uint32_t pitch, uint32_t w, uint32_t h, uint32_t seed)
{
	uint32_t x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			map[y * (pitch / 4) + x] = pixel(x, y, seed);
}

static void check_frame(const struct fb *wb, uint32_t w, uint32_t h, uint32_t seed)
{
	uint32_t x, y, bad = 0, first = 0, got = 0;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint32_t v = wb->map[y * (wb->pitch / 4) + x] & 0xffffff;

			if (v != pixel(x, y, seed) && !bad++) {
				first = y * w + x;
				got = v;
			}
		}
	igt_assert_f(!bad, "%u of %u pixels differ; first at (%u, %u): 0x%06x, "
		     "expected 0x%06x\n", bad, w * h, first % w, first / w, got,
		     pixel(first % w, first / w, seed));
}

/*
 * The client's side: a vgem dumb buffer of the mode's size, drawn through
 * vgem's mapping and exported; vkms imports it and makes a framebuffer.
 */
static void client_fb(struct kms *kms, int vgem, struct vgem_bo *bo, struct fb *fb,
		      uint32_t seed)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	int dmabuf, ret;

	*bo = (struct vgem_bo){ .width = kms->mode.hdisplay,
				.height = kms->mode.vdisplay, .bpp = 32 };
	vgem_create(vgem, bo);
	fb->map = vgem_mmap(vgem, bo, PROT_READ | PROT_WRITE);
	fb->size = bo->size;
	fb->pitch = bo->pitch;
	draw(fb->map, bo->pitch, bo->width, bo->height, seed);

	dmabuf = prime_handle_to_fd(vgem, bo->handle);
	ret = drmPrimeFDToHandle(kms->fd, dmabuf, &fb->handle);
	igt_assert_f(ret == 0, "vkms cannot import the vgem dma-buf: %s\n", strerror(errno));
	close(dmabuf);

	handles[0] = fb->handle;
	pitches[0] = bo->pitch;
	ret = drmModeAddFB2(kms->fd, bo->width, bo->height, DRM_FORMAT_XRGB8888,
			    handles, pitches, offsets, &fb->id, 0);
	igt_assert_f(ret == 0, "ADDFB2 on the imported buffer: %s\n", strerror(errno));
}

/* The writeback target: a vkms dumb buffer, filled with a poison value. */
static void writeback_fb(struct kms *kms, struct fb *fb)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	uint64_t offset;
	uint32_t i;

	igt_assert_eq(drmModeCreateDumbBuffer(kms->fd, kms->mode.hdisplay, kms->mode.vdisplay,
					      32, 0, &fb->handle, &fb->pitch, &fb->size), 0);
	igt_assert_eq(drmModeMapDumbBuffer(kms->fd, fb->handle, &offset), 0);
	fb->map = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED, kms->fd, offset);
	igt_assert(fb->map != MAP_FAILED);
	for (i = 0; i < fb->size / 4; i++)
		fb->map[i] = 0xdeadbeef;
	handles[0] = fb->handle;
	pitches[0] = fb->pitch;
	igt_assert_eq(drmModeAddFB2(kms->fd, kms->mode.hdisplay, kms->mode.vdisplay,
				    DRM_FORMAT_XRGB8888, handles, pitches, offsets,
				    &fb->id, 0), 0);
}

/*
 * One atomic commit, as a compositor makes it: mode, the client's
 * framebuffer on the primary plane, and a writeback job capturing the frame.
 * The writeback connector is the CRTC's only output: the 6.1 stable kernels
 * refuse encoders that are not clones of each other on one CRTC, and vkms
 * of 6.1 declares no clones.
 * Return: the writeback's out-fence (a sync_file fd).
 */
static int commit(struct kms *kms, uint32_t fb, uint32_t wb, uint32_t flags)
{
	uint32_t w = kms->mode.hdisplay, h = kms->mode.vdisplay;
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();
	int32_t out_fence = -1;
	int fd = kms->fd, ret;

	igt_assert(req);
	add_prop(req, fd, kms->crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", kms->mode_blob);
	add_prop(req, fd, kms->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	add_prop(req, fd, kms->writeback, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", kms->crtc);
	add_prop(req, fd, kms->writeback, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID", wb);
	add_prop(req, fd, kms->writeback, DRM_MODE_OBJECT_CONNECTOR,
		 "WRITEBACK_OUT_FENCE_PTR", (uint64_t)(uintptr_t)&out_fence);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "FB_ID", fb);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", kms->crtc);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "SRC_X", 0);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "SRC_W", (uint64_t)w << 16);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "SRC_H", (uint64_t)h << 16);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "CRTC_X", 0);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y", 0);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "CRTC_W", w);
	add_prop(req, fd, kms->plane, DRM_MODE_OBJECT_PLANE, "CRTC_H", h);
	ret = drmModeAtomicCommit(fd, req, flags | DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	drmModeAtomicFree(req);
	igt_assert_f(ret == 0, "atomic commit: %s\n", strerror(errno));
	igt_assert_f(out_fence >= 0, "no writeback out-fence\n");
	return out_fence;
}

static void wait_fence(int fence)
{
	igt_assert_f(fd_ready(fence, POLLIN, 20000) == POLLIN,
		     "the writeback did not complete within 20 s\n");
	close(fence);
}

/* vkms takes the vgem buffer and makes a framebuffer of it. */
static void test_import_framebuffer(void)
{
	struct kms kms;
	struct vgem_bo bo;
	struct fb fb;
	struct stat a, b;
	int vgem, dmabuf, again;

	kms_open(&kms);
	vgem = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	client_fb(&kms, vgem, &bo, &fb, 1);

	/* vkms hands back the very dma-buf it imported. */
	dmabuf = prime_handle_to_fd(vgem, bo.handle);
	igt_assert_eq(drmPrimeHandleToFD(kms.fd, fb.handle, DRM_CLOEXEC, &again), 0);
	igt_assert_eq(fstat(dmabuf, &a), 0);
	igt_assert_eq(fstat(again, &b), 0);
	igt_assert_f(a.st_ino == b.st_ino, "vkms re-exported a different dma-buf\n");

	igt_assert_eq(drmModeRmFB(kms.fd, fb.id), 0);
	close(again);
	close(dmabuf);
	munmap(fb.map, fb.size);
	close(vgem);
	close(kms.fd);
}

/*
 * The whole compositor path, twice: the frame written back by vkms holds the
 * client's pixels, and after the client redraws through its vgem mapping
 * (same buffer, same framebuffer) the next frame holds the new ones.
 */
static void test_plane_writeback(void)
{
	struct kms kms;
	struct vgem_bo bo;
	struct fb fb, wb;
	int vgem;

	kms_open(&kms);
	vgem = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	client_fb(&kms, vgem, &bo, &fb, 1);
	writeback_fb(&kms, &wb);

	wait_fence(commit(&kms, fb.id, wb.id, 0));
	check_frame(&wb, bo.width, bo.height, 1);

	draw(fb.map, bo.pitch, bo.width, bo.height, 77);
	wait_fence(commit(&kms, fb.id, wb.id, 0));
	check_frame(&wb, bo.width, bo.height, 77);

	munmap(fb.map, fb.size);
	munmap(wb.map, wb.size);
	close(vgem);
	close(kms.fd);
}

/*
 * Implicit synchronisation: while the client's vgem write fence is pending,
 * the display does not show the buffer; the frame follows the signal.
 */
static void test_plane_implicit_fence(void)
{
	struct kms kms;
	struct vgem_bo bo;
	struct fb fb, wb;
	uint32_t fence;
	int vgem, out;

	kms_open(&kms);
	vgem = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	client_fb(&kms, vgem, &bo, &fb, 5);
	writeback_fb(&kms, &wb);
	wait_fence(commit(&kms, fb.id, wb.id, 0));

	fence = igt_vgem_fence_attach(vgem, bo.handle, VGEM_FENCE_WRITE);
	draw(fb.map, bo.pitch, bo.width, bo.height, 9);
	out = commit(&kms, fb.id, wb.id, DRM_MODE_ATOMIC_NONBLOCK);
	igt_assert_f(fd_ready(out, POLLIN, 500) == 0,
		     "the frame completed before the client's fence signalled\n");
	igt_vgem_fence_signal(vgem, fence);
	wait_fence(out);
	check_frame(&wb, bo.width, bo.height, 9);

	munmap(fb.map, fb.size);
	munmap(wb.map, wb.size);
	close(vgem);
	close(kms.fd);
}

static const struct igt_subtest subtests[] = {
	{ "import-framebuffer", test_import_framebuffer },
	{ "plane-writeback", test_plane_writeback },
	{ "plane-implicit-fence", test_plane_implicit_fence },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
