// SPDX-License-Identifier: MIT
/*
 * vgem_mesa: Debian 12's Mesa as a real client of vgem, on vgem's card node.
 *
 * Mesa has no vgem driver: its loader looks for vgem_dri.so, does not find
 * it (it says so on stderr: "MESA-LOADER: failed to open vgem") and falls
 * back to kms_swrast, the software rasterizer (llvmpipe) drawing into dumb
 * buffers of the DRM device it was given. So GBM allocates vgem dumb
 * buffers, and EGL imports vgem dma-bufs (EGL_EXT_image_dma_buf_import)
 * into its own file of the device and maps them through vgem's mmap.
 *
 * Every pixel crosses between Mesa and vgem's own mapping (MAP_DUMB and
 * mmap on a DRM file of our own, never Mesa's), both ways: GBM buffers seen
 * by vgem, vgem buffers read through gbm_bo_map(), GL drawing into a vgem
 * buffer, GL reading and sampling one. On the render node the DRM core
 * refuses the dumb-buffer ioctls, which is all kms_swrast has: see
 * docs/mesa.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <gbm.h>
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>
#include <GLES2/gl2ext.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_gem.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"

/* Small buffers: the guest is emulated (TCG) and llvmpipe is slow there. */
#define W 64u
#define H 64u
#define PIXELS (W * H)

#ifndef MESA_DRI_DIR
#error "meson passes MESA_DRI_DIR, the directory of Mesa's DRI drivers"
#endif

/**
 * mesa_setup() - the fixture of every subtest: the environment Mesa reads,
 * and Mesa's software driver, without which nothing here can run
 */
static void mesa_setup(void)
{
	/*
	 * llvmpipe's on-disk shader cache would be written under $HOME/.cache
	 * (a tmpfs in the guest, thrown away at power-off): a cold cache every
	 * run, so it only costs the writes. Not overriding a caller's choice.
	 */
	igt_assert_f(setenv("MESA_SHADER_CACHE_DISABLE", "true", 0) == 0,
		     "setenv: %s\n", strerror(errno));
	igt_require_f(access(MESA_DRI_DIR "/kms_swrast_dri.so", R_OK) == 0,
		      "Mesa's kms_swrast driver is not installed (%s: %s; Debian: "
		      "libgl1-mesa-dri)\n", MESA_DRI_DIR "/kms_swrast_dri.so",
		      strerror(errno));
}

static const struct igt_fixture fixtures[] = {
	{ .name = "mesa", .subtests = "*", .setup = mesa_setup },
};

/**
 * struct producer - a vgem dumb buffer of W x H XRGB8888 pixels, made on a
 * DRM file of the test's own (Mesa's file is another handle namespace, and
 * Mesa closes the handles it imports), mapped through vgem's mmap (MAP_DUMB
 * on that file) and exported as a dma-buf (read-write)
 */
struct producer {
	int fd;
	struct vgem_bo bo;
	uint32_t *map;
	int dmabuf;
};

static void producer_init(struct producer *p)
{
	p->fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	p->bo = (struct vgem_bo){ .width = W, .height = H, .bpp = 32 };
	vgem_create(p->fd, &p->bo);
	igt_assert_f(p->bo.pitch >= W * 4 && p->bo.pitch % 4 == 0,
		     "dumb pitch %u for %u pixels\n", p->bo.pitch, W);
	igt_assert(p->bo.size >= (uint64_t)p->bo.pitch * H);
	p->map = vgem_mmap(p->fd, &p->bo, PROT_READ | PROT_WRITE);
	p->dmabuf = prime_handle_to_fd(p->fd, p->bo.handle);
}

static void producer_fini(struct producer *p)
{
	igt_assert_eq(munmap(p->map, p->bo.size), 0);
	igt_assert_eq(close(p->dmabuf), 0);
	gem_close(p->fd, p->bo.handle);
	igt_assert_eq(close(p->fd), 0);
}

/* Row @y of the buffer through vgem's mapping. */
static uint32_t *producer_row(const struct producer *p, unsigned int y)
{
	return p->map + (size_t)y * (p->bo.pitch / 4);
}

/* Pixel i (row-major) of pattern_fill(@seed) over W x H packed pixels. */
static uint32_t pattern_pixel(uint32_t seed, unsigned int i)
{
	return seed + i * PATTERN_STEP;
}

/* Write @seed's pattern through vgem's mapping, row by row (pitch aside). */
static void producer_fill(const struct producer *p, uint32_t seed)
{
	unsigned int x, y;

	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			producer_row(p, y)[x] = pattern_pixel(seed, y * W + x);
}

/* Copy the W x H pixels out of a mapping with @pitch bytes a row. */
static void read_pixels(const void *map, uint32_t pitch, uint32_t *out)
{
	unsigned int y;

	for (y = 0; y < H; y++)
		memcpy(out + y * W, (const uint8_t *)map + (size_t)y * pitch, W * 4);
}

/**
 * count_wrong() - compare @got with @want, pixel by pixel, under @mask
 * @what: what was compared, for the messages
 *
 * Prints the first few differences with their coordinates and one line
 * "@what: N of 4096 pixels wrong".
 *
 * Return: N.
 */
static unsigned int count_wrong(const char *what, const uint32_t *got,
				const uint32_t *want, uint32_t mask)
{
	unsigned int i, wrong = 0;

	for (i = 0; i < PIXELS; i++) {
		if (!((got[i] ^ want[i]) & mask))
			continue;
		if (wrong++ < 8)
			igt_info("%s: pixel (%u, %u) is 0x%08x, expected 0x%08x (mask 0x%08x)\n",
				 what, i % W, i / W, got[i], want[i], mask);
	}
	igt_info("%s: %u of %u pixels wrong\n", what, wrong, PIXELS);
	return wrong;
}

/*
 * Everything this subtest made on vgem device 0 is gone once Mesa and the
 * test let go (our driver's STATS and debugfs; upstream vgem has neither).
 */
static void assert_device_idle(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int minor = drm_node_minor(fd);
	bool extensions = igt_vgem_has_extensions(fd);

	igt_assert_eq(close(fd), 0);
	if (extensions && igt_debugfs_mount() == 0)
		igt_vgem_assert_idle(minor);
}

static struct gbm_device *gbm_open(int fd)
{
	struct gbm_device *gbm = gbm_create_device(fd);

	igt_assert_f(gbm, "gbm_create_device on vgem: %s\n", strerror(errno));
	igt_info("GBM backend: %s\n", gbm_device_get_backend_name(gbm));
	return gbm;
}

/*
 * The buffers gbm_bo_create() gives on vgem's card node, every one
 * supported by gbm_device_is_format_supported(): kms_swrast's dumb buffers
 * (a DRI image each, no modifier: DRM_FORMAT_MOD_INVALID) for every usage
 * but WRITE, with which GBM makes the dumb buffer itself (modifier
 * DRM_FORMAT_MOD_LINEAR), for XRGB8888 scanout or ARGB8888 cursors only.
 */
static const struct gbm_case {
	const char *name;
	uint32_t format;
	uint32_t usage;
} gbm_cases[] = {
	{ "XRGB8888 LINEAR", GBM_FORMAT_XRGB8888, GBM_BO_USE_LINEAR },
	{ "XRGB8888 RENDERING", GBM_FORMAT_XRGB8888, GBM_BO_USE_RENDERING },
	{ "XRGB8888 SCANOUT", GBM_FORMAT_XRGB8888, GBM_BO_USE_SCANOUT },
	{ "XRGB8888 SCANOUT|RENDERING|LINEAR", GBM_FORMAT_XRGB8888,
	  GBM_BO_USE_SCANOUT | GBM_BO_USE_RENDERING | GBM_BO_USE_LINEAR },
	{ "XRGB8888 SCANOUT|WRITE", GBM_FORMAT_XRGB8888,
	  GBM_BO_USE_SCANOUT | GBM_BO_USE_WRITE },
	{ "ARGB8888 LINEAR|RENDERING", GBM_FORMAT_ARGB8888,
	  GBM_BO_USE_LINEAR | GBM_BO_USE_RENDERING },
	{ "ARGB8888 SCANOUT|RENDERING", GBM_FORMAT_ARGB8888,
	  GBM_BO_USE_SCANOUT | GBM_BO_USE_RENDERING },
	{ "ARGB8888 CURSOR|WRITE", GBM_FORMAT_ARGB8888,
	  GBM_BO_USE_CURSOR | GBM_BO_USE_WRITE },
};

/*
 * One gbm_bo_create() case: the buffer's geometry, its dma-buf (a vgem
 * one: it imports into @checker, a file of the test's own, as a handle of
 * the same size), and a pattern written through gbm_bo_map() read back
 * through vgem's mapping of that handle.
 */
static void gbm_create_case(struct gbm_device *gbm, int checker,
			    const struct gbm_case *c, uint32_t seed)
{
	uint32_t stride, map_stride = 0, want[PIXELS], got[PIXELS];
	struct vgem_bo view = { .width = W, .height = H, .bpp = 32 };
	uint64_t modifier;
	struct gbm_bo *bo;
	void *map_data = NULL, *map;
	unsigned int i, y;
	uint32_t *pixels;
	off_t size;
	int dmabuf;

	igt_assert_f(gbm_device_is_format_supported(gbm, c->format, c->usage),
		     "%s: gbm_device_is_format_supported says no\n", c->name);
	bo = gbm_bo_create(gbm, W, H, c->format, c->usage);
	igt_assert_f(bo, "gbm_bo_create %ux%u %s: %s\n", W, H, c->name, strerror(errno));
	igt_assert_eq(gbm_bo_get_width(bo), W);
	igt_assert_eq(gbm_bo_get_height(bo), H);
	igt_assert_eq(gbm_bo_get_format(bo), c->format);
	igt_assert_eq(gbm_bo_get_bpp(bo), 32);
	igt_assert_eq(gbm_bo_get_plane_count(bo), 1);
	igt_assert_eq(gbm_bo_get_offset(bo, 0), 0);
	stride = gbm_bo_get_stride(bo);
	igt_assert_f(stride >= W * 4 && stride % 4 == 0, "%s: stride %u\n", c->name, stride);
	modifier = gbm_bo_get_modifier(bo);
	igt_assert_f(modifier == DRM_FORMAT_MOD_LINEAR || modifier == DRM_FORMAT_MOD_INVALID,
		     "%s: modifier 0x%llx\n", c->name, (unsigned long long)modifier);

	dmabuf = gbm_bo_get_fd(bo);
	if (c->usage & GBM_BO_USE_WRITE) {
		/*
		 * GBM made this dumb buffer itself, with no DRI image, and
		 * gbm_bo_get_fd() gives no dma-buf for it: its handle on GBM's
		 * file (the fd given to gbm_create_device()) exports with PRIME.
		 */
		igt_assert_f(dmabuf == -1, "%s: gbm_bo_get_fd gave %d\n", c->name, dmabuf);
		dmabuf = prime_handle_to_fd(gbm_device_get_fd(gbm), gbm_bo_get_handle(bo).u32);
	}
	igt_assert_f(dmabuf >= 0, "%s: gbm_bo_get_fd: %s\n", c->name, strerror(errno));
	size = lseek(dmabuf, 0, SEEK_END);
	igt_assert_f(size >= (off_t)stride * H, "%s: dma-buf of %lld bytes, stride %u\n",
		     c->name, (long long)size, stride);
	view.handle = prime_fd_to_handle(checker, dmabuf);
	view.size = (uint64_t)size;
	view.pitch = stride;
	igt_info("%s: stride %u, dma-buf of %lld bytes, modifier %s\n", c->name, stride,
		 (long long)size, modifier == DRM_FORMAT_MOD_LINEAR ? "LINEAR" : "INVALID");

	map = gbm_bo_map(bo, 0, 0, W, H, GBM_BO_TRANSFER_WRITE, &map_stride, &map_data);
	igt_assert_f(map, "%s: gbm_bo_map for writing: %s\n", c->name, strerror(errno));
	igt_assert_f(map_stride >= W * 4, "%s: mapped stride %u\n", c->name, map_stride);
	for (i = 0; i < PIXELS; i++)
		want[i] = pattern_pixel(seed, i);
	for (y = 0; y < H; y++)
		memcpy((uint8_t *)map + (size_t)y * map_stride, want + y * W, W * 4);
	gbm_bo_unmap(bo, map_data);

	pixels = vgem_mmap(checker, &view, PROT_READ);
	read_pixels(pixels, stride, got);
	igt_assert_eq(munmap(pixels, view.size), 0);
	igt_assert_eq(count_wrong(c->name, got, want, ~0u), 0);

	gem_close(checker, view.handle);
	igt_assert_eq(close(dmabuf), 0);
	gbm_bo_destroy(bo);
}

static void test_gbm_create(void)
{
	int fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	int checker = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	struct gbm_device *gbm = gbm_open(fd);
	unsigned int i;

	for (i = 0; i < IGT_ARRAY_SIZE(gbm_cases); i++)
		gbm_create_case(gbm, checker, &gbm_cases[i], 0x6b6d0000 + i);
	gbm_device_destroy(gbm);
	igt_assert_eq(close(checker), 0);
	igt_assert_eq(close(fd), 0);
	assert_device_idle();
}

/* Map @bo with @flags and compare its W x H pixels with @want. */
static void gbm_map_check(struct gbm_bo *bo, const char *what, uint32_t flags,
			  const uint32_t *want)
{
	uint32_t stride = 0, got[PIXELS];
	void *map_data = NULL, *map;

	map = gbm_bo_map(bo, 0, 0, W, H, flags, &stride, &map_data);
	igt_assert_f(map, "%s: gbm_bo_map: %s\n", what, strerror(errno));
	igt_assert_f(stride >= W * 4, "%s: mapped stride %u\n", what, stride);
	read_pixels(map, stride, got);
	gbm_bo_unmap(bo, map_data);
	igt_assert_eq(count_wrong(what, got, want, ~0u), 0);
}

static void gbm_map_write(struct gbm_bo *bo, const char *what, const uint32_t *pixels)
{
	uint32_t stride = 0;
	void *map_data = NULL, *map;
	unsigned int y;

	map = gbm_bo_map(bo, 0, 0, W, H, GBM_BO_TRANSFER_WRITE, &stride, &map_data);
	igt_assert_f(map, "%s: gbm_bo_map for writing: %s\n", what, strerror(errno));
	for (y = 0; y < H; y++)
		memcpy((uint8_t *)map + (size_t)y * stride, pixels + y * W, W * 4);
	gbm_bo_unmap(bo, map_data);
}

/*
 * A vgem dumb buffer, filled through vgem's mapping and exported, imported
 * into GBM both ways (GBM_BO_IMPORT_FD, and _FD_MODIFIER with the linear
 * modifier) and read through gbm_bo_map(); then written through GBM and
 * read through vgem's mapping.
 */
static void test_gbm_import(void)
{
	uint32_t want[PIXELS], got[PIXELS];
	struct gbm_device *gbm;
	struct producer p;
	struct gbm_bo *bo;
	unsigned int i;
	int fd;

	producer_init(&p);
	producer_fill(&p, 0x1f2e3d4c);
	for (i = 0; i < PIXELS; i++)
		want[i] = pattern_pixel(0x1f2e3d4c, i);
	fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	gbm = gbm_open(fd);

	{
		struct gbm_import_fd_data data = {
			.fd = p.dmabuf, .width = W, .height = H,
			.stride = p.bo.pitch, .format = GBM_FORMAT_XRGB8888,
		};

		bo = gbm_bo_import(gbm, GBM_BO_IMPORT_FD, &data, GBM_BO_USE_RENDERING);
		igt_assert_f(bo, "gbm_bo_import(GBM_BO_IMPORT_FD): %s\n", strerror(errno));
		igt_assert_eq(gbm_bo_get_stride(bo), p.bo.pitch);
		gbm_map_check(bo, "GBM_BO_IMPORT_FD, gbm_bo_map", GBM_BO_TRANSFER_READ, want);
		gbm_bo_destroy(bo);
	}
	{
		struct gbm_import_fd_modifier_data data = {
			.width = W, .height = H, .format = GBM_FORMAT_ARGB8888,
			.num_fds = 1, .fds = { p.dmabuf }, .strides = { (int)p.bo.pitch },
			.offsets = { 0 }, .modifier = DRM_FORMAT_MOD_LINEAR,
		};

		bo = gbm_bo_import(gbm, GBM_BO_IMPORT_FD_MODIFIER, &data,
				   GBM_BO_USE_RENDERING);
		igt_assert_f(bo, "gbm_bo_import(GBM_BO_IMPORT_FD_MODIFIER): %s\n",
			     strerror(errno));
		gbm_map_check(bo, "GBM_BO_IMPORT_FD_MODIFIER, gbm_bo_map",
			      GBM_BO_TRANSFER_READ, want);

		/* The other way: written through GBM, read through vgem. */
		for (i = 0; i < PIXELS; i++)
			want[i] = pattern_pixel(0x5a5a0001, i);
		gbm_map_write(bo, "GBM_BO_IMPORT_FD_MODIFIER", want);
		gbm_bo_destroy(bo);
	}
	for (i = 0; i < H; i++)
		memcpy(got + i * W, producer_row(&p, i), W * 4);
	igt_assert_eq(count_wrong("written through gbm_bo_map, read through vgem",
				  got, want, ~0u), 0);

	gbm_device_destroy(gbm);
	igt_assert_eq(close(fd), 0);
	producer_fini(&p);
	assert_device_idle();
}

/* True when the space-separated list @list holds @name. */
static bool has_extension(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *s = list;

	while (s && (s = strstr(s, name))) {
		if ((s == list || s[-1] == ' ') && (s[len] == ' ' || s[len] == '\0'))
			return true;
		s += len;
	}
	return false;
}

/**
 * struct egl_client - EGL on GBM on a vgem card node, a GLES2 context
 * current without a surface (EGL_KHR_surfaceless_context)
 */
struct egl_client {
	int fd;
	struct gbm_device *gbm;
	EGLDisplay dpy;
	EGLContext ctx;
	PFNEGLCREATEIMAGEKHRPROC create_image;
	PFNEGLDESTROYIMAGEKHRPROC destroy_image;
	PFNGLEGLIMAGETARGETTEXTURE2DOESPROC image_target_texture;
};

static void egl_client_init(struct egl_client *c)
{
	static const EGLint ctx_attribs[] = { EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE };
	static const EGLint cfg_attribs[] = {
		EGL_RENDERABLE_TYPE, EGL_OPENGL_ES2_BIT, EGL_SURFACE_TYPE, 0, EGL_NONE,
	};
	const char *client_ext, *ext, *gl_ext;
	EGLConfig config = NULL;
	EGLint major, minor, n = 0;

	client_ext = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
	igt_require_f(client_ext && (has_extension(client_ext, "EGL_KHR_platform_gbm") ||
				     has_extension(client_ext, "EGL_MESA_platform_gbm")),
		      "EGL has no GBM platform (client extensions: %s)\n",
		      client_ext ? client_ext : "none");

	c->fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	c->gbm = gbm_open(c->fd);
	c->dpy = eglGetPlatformDisplay(EGL_PLATFORM_GBM_KHR, c->gbm, NULL);
	igt_assert_f(c->dpy != EGL_NO_DISPLAY, "eglGetPlatformDisplay(GBM): 0x%x\n",
		     eglGetError());
	igt_assert_f(eglInitialize(c->dpy, &major, &minor), "eglInitialize: 0x%x\n",
		     eglGetError());
	ext = eglQueryString(c->dpy, EGL_EXTENSIONS);
	igt_assert(ext);
	igt_info("EGL %d.%d, %s, %s\n", major, minor,
		 eglQueryString(c->dpy, EGL_VENDOR), eglQueryString(c->dpy, EGL_VERSION));
	igt_assert_f(has_extension(ext, "EGL_KHR_surfaceless_context"),
		     "no EGL_KHR_surfaceless_context: %s\n", ext);
	igt_assert_f(has_extension(ext, "EGL_EXT_image_dma_buf_import"),
		     "no EGL_EXT_image_dma_buf_import: %s\n", ext);
	igt_assert_f(has_extension(ext, "EGL_KHR_image_base"),
		     "no EGL_KHR_image_base: %s\n", ext);
	igt_assert_f(eglBindAPI(EGL_OPENGL_ES_API), "eglBindAPI: 0x%x\n", eglGetError());
	if (!has_extension(ext, "EGL_KHR_no_config_context")) {
		igt_assert_f(eglChooseConfig(c->dpy, cfg_attribs, &config, 1, &n) && n == 1,
			     "no GLES2 config: 0x%x\n", eglGetError());
	}
	c->ctx = eglCreateContext(c->dpy, config, EGL_NO_CONTEXT, ctx_attribs);
	igt_assert_f(c->ctx != EGL_NO_CONTEXT, "eglCreateContext: 0x%x\n", eglGetError());
	igt_assert_f(eglMakeCurrent(c->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, c->ctx),
		     "eglMakeCurrent without a surface: 0x%x\n", eglGetError());
	igt_info("GL_RENDERER %s, GL_VERSION %s\n", (const char *)glGetString(GL_RENDERER),
		 (const char *)glGetString(GL_VERSION));
	gl_ext = (const char *)glGetString(GL_EXTENSIONS);
	igt_assert_f(gl_ext && has_extension(gl_ext, "GL_OES_EGL_image"),
		     "no GL_OES_EGL_image: %s\n", gl_ext ? gl_ext : "none");

	c->create_image = (PFNEGLCREATEIMAGEKHRPROC)eglGetProcAddress("eglCreateImageKHR");
	c->destroy_image = (PFNEGLDESTROYIMAGEKHRPROC)eglGetProcAddress("eglDestroyImageKHR");
	c->image_target_texture = (PFNGLEGLIMAGETARGETTEXTURE2DOESPROC)
		eglGetProcAddress("glEGLImageTargetTexture2DOES");
	igt_assert(c->create_image && c->destroy_image && c->image_target_texture);
}

static void egl_client_fini(struct egl_client *c)
{
	igt_assert(eglMakeCurrent(c->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT));
	igt_assert(eglDestroyContext(c->dpy, c->ctx));
	igt_assert(eglTerminate(c->dpy));
	igt_assert(eglReleaseThread());
	gbm_device_destroy(c->gbm);
	igt_assert_eq(close(c->fd), 0);
}

#define gl_assert_no_error(what) do { \
	GLenum __err = glGetError(); \
	igt_assert_f(__err == GL_NO_ERROR, "%s: GL error 0x%x\n", what, __err); \
} while (0)

/*
 * The producer's dma-buf as an EGLImage of @fourcc (EGL_LINUX_DMA_BUF_EXT,
 * one plane at offset 0 with the dumb buffer's pitch), bound to a new
 * texture (nearest filtering, no mipmaps) that is attached to a new
 * framebuffer, which must be complete and is left bound.
 */
static EGLImageKHR import_to_fbo(const struct egl_client *c, const struct producer *p,
				 uint32_t fourcc, GLuint *tex, GLuint *fbo)
{
	const EGLint attribs[] = {
		EGL_WIDTH, W, EGL_HEIGHT, H,
		EGL_LINUX_DRM_FOURCC_EXT, (EGLint)fourcc,
		EGL_DMA_BUF_PLANE0_FD_EXT, p->dmabuf,
		EGL_DMA_BUF_PLANE0_OFFSET_EXT, 0,
		EGL_DMA_BUF_PLANE0_PITCH_EXT, (EGLint)p->bo.pitch,
		EGL_NONE,
	};
	EGLImageKHR image;
	GLenum status;

	image = c->create_image(c->dpy, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT, NULL, attribs);
	igt_assert_f(image != EGL_NO_IMAGE_KHR,
		     "eglCreateImageKHR(EGL_LINUX_DMA_BUF_EXT) of the vgem dma-buf: 0x%x\n",
		     eglGetError());
	glGenTextures(1, tex);
	glBindTexture(GL_TEXTURE_2D, *tex);
	c->image_target_texture(GL_TEXTURE_2D, (GLeglImageOES)image);
	gl_assert_no_error("glEGLImageTargetTexture2DOES");
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
	glGenFramebuffers(1, fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, *fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, *tex, 0);
	status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
	igt_assert_f(status == GL_FRAMEBUFFER_COMPLETE,
		     "framebuffer of the imported vgem buffer: status 0x%x\n", status);
	gl_assert_no_error("framebuffer set-up");
	glViewport(0, 0, W, H);
	return image;
}

static GLuint compile(GLenum type, const char *source)
{
	GLuint shader = glCreateShader(type);
	char log[1024] = "";
	GLint ok = 0;

	igt_assert(shader);
	glShaderSource(shader, 1, &source, NULL);
	glCompileShader(shader);
	glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
	if (!ok)
		glGetShaderInfoLog(shader, sizeof(log), NULL, log);
	igt_assert_f(ok, "shader compilation: %s\n", log);
	return shader;
}

/* A program of a vertex shader passing attribute 0 through, and @fragment. */
static GLuint program(const char *fragment)
{
	static const char *vertex =
		"attribute vec2 pos;\n"
		"void main() { gl_Position = vec4(pos, 0.0, 1.0); }\n";
	GLuint vs = compile(GL_VERTEX_SHADER, vertex);
	GLuint fs = compile(GL_FRAGMENT_SHADER, fragment);
	GLuint prog = glCreateProgram();
	char log[1024] = "";
	GLint ok = 0;

	igt_assert(prog);
	glAttachShader(prog, vs);
	glAttachShader(prog, fs);
	glBindAttribLocation(prog, 0, "pos");
	glLinkProgram(prog);
	glGetProgramiv(prog, GL_LINK_STATUS, &ok);
	if (!ok)
		glGetProgramInfoLog(prog, sizeof(log), NULL, log);
	igt_assert_f(ok, "program link: %s\n", log);
	glDeleteShader(vs);
	glDeleteShader(fs);
	gl_assert_no_error("program");
	return prog;
}

/* Draw the rectangle [x0, x1) x [y0, y1) of the framebuffer (in NDC). */
static void draw_rect(GLfloat x0, GLfloat y0, GLfloat x1, GLfloat y1)
{
	const GLfloat quad[] = { x0, y0, x1, y0, x0, y1, x1, y1 };

	glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, quad);
	glEnableVertexAttribArray(0);
	glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
	glDisableVertexAttribArray(0);
	gl_assert_no_error("draw");
}

/* Pixels to NDC on a W x H viewport (exact: W and H are powers of two). */
static GLfloat ndc_x(unsigned int x) { return (GLfloat)x * 2.0f / W - 1.0f; }
static GLfloat ndc_y(unsigned int y) { return (GLfloat)y * 2.0f / H - 1.0f; }

/* highp where the implementation has it (llvmpipe does). */
#define FRAGMENT_PRECISION \
	"#ifdef GL_FRAGMENT_PRECISION_HIGH\n" \
	"precision highp float;\n" \
	"#else\n" \
	"precision mediump float;\n" \
	"#endif\n"

/* The drawing of egl-draw-to-vgem: a clear, a scissored clear, a quad. */
#define BACKGROUND	0xff204060u	/* ARGB8888 */
#define SCISSOR_X	4u
#define SCISSOR_Y	8u
#define SCISSOR_W	20u
#define SCISSOR_H	12u
#define SCISSORED	0x40ff8000u
#define QUAD_X0		32u
#define QUAD_Y0		36u
#define QUAD_X1		60u
#define QUAD_Y1		62u

/*
 * What the quad's shader writes at pixel (x, y): red x/255, green y/255,
 * blue and alpha 128/255, as an ARGB8888 word. Row y of the framebuffer
 * (GL's window y, 0 at the bottom) is row y of the texture, that is row y
 * of the buffer in memory: rendering to a texture flips nothing.
 */
static uint32_t quad_pixel(unsigned int x, unsigned int y)
{
	return 0x80000080u | x << 16 | y << 8;
}

static uint32_t expected_drawing(unsigned int x, unsigned int y)
{
	if (x >= QUAD_X0 && x < QUAD_X1 && y >= QUAD_Y0 && y < QUAD_Y1)
		return quad_pixel(x, y);
	if (x >= SCISSOR_X && x < SCISSOR_X + SCISSOR_W &&
	    y >= SCISSOR_Y && y < SCISSOR_Y + SCISSOR_H)
		return SCISSORED;
	return BACKGROUND;
}

static GLfloat channel(uint32_t argb, unsigned int shift)
{
	return (GLfloat)((argb >> shift) & 0xff) / 255.0f;
}

static void clear_argb(uint32_t argb)
{
	glClearColor(channel(argb, 16), channel(argb, 8), channel(argb, 0), channel(argb, 24));
	glClear(GL_COLOR_BUFFER_BIT);
}

/*
 * GL -> vgem: a vgem buffer (full of a pattern, so that a pixel GL does not
 * write shows) imported as ARGB8888 and drawn into through an FBO: a clear,
 * a scissored clear and a quad whose shader writes each pixel's
 * coordinates; after glFinish() every pixel is read through vgem's own
 * mapping, all 32 bits compared.
 */
static void test_egl_draw_to_vgem(void)
{
	static const char *fragment = FRAGMENT_PRECISION
		"void main() {\n"
		"	vec2 p = floor(gl_FragCoord.xy);\n"
		"	gl_FragColor = vec4(p.x / 255.0, p.y / 255.0, 128.0 / 255.0, 128.0 / 255.0);\n"
		"}\n";
	uint32_t want[PIXELS], got[PIXELS];
	struct egl_client c;
	struct producer p;
	EGLImageKHR image;
	GLuint tex, fbo, prog;
	unsigned int x, y;

	producer_init(&p);
	producer_fill(&p, 0xdead0000);
	egl_client_init(&c);
	image = import_to_fbo(&c, &p, DRM_FORMAT_ARGB8888, &tex, &fbo);
	prog = program(fragment);

	glDisable(GL_BLEND);
	clear_argb(BACKGROUND);
	glEnable(GL_SCISSOR_TEST);
	glScissor(SCISSOR_X, SCISSOR_Y, SCISSOR_W, SCISSOR_H);
	clear_argb(SCISSORED);
	glDisable(GL_SCISSOR_TEST);
	glUseProgram(prog);
	draw_rect(ndc_x(QUAD_X0), ndc_y(QUAD_Y0), ndc_x(QUAD_X1), ndc_y(QUAD_Y1));
	glFinish();
	gl_assert_no_error("drawing");

	for (y = 0; y < H; y++) {
		for (x = 0; x < W; x++)
			want[y * W + x] = expected_drawing(x, y);
		memcpy(got + y * W, producer_row(&p, y), W * 4);
	}
	igt_assert_eq(count_wrong("GL drawing read through vgem's mapping", got, want, ~0u), 0);

	glDeleteProgram(prog);
	glDeleteFramebuffers(1, &fbo);
	glDeleteTextures(1, &tex);
	igt_assert(c.destroy_image(c.dpy, image));
	egl_client_fini(&c);
	producer_fini(&p);
	assert_device_idle();
}

/* glReadPixels of the bound framebuffer, as ARGB8888 words. */
static void read_framebuffer(uint32_t *argb)
{
	static uint8_t rgba[PIXELS * 4];
	unsigned int i;

	glPixelStorei(GL_PACK_ALIGNMENT, 4);
	glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
	gl_assert_no_error("glReadPixels");
	for (i = 0; i < PIXELS; i++)
		argb[i] = (uint32_t)rgba[4 * i + 3] << 24 | (uint32_t)rgba[4 * i] << 16 |
			  (uint32_t)rgba[4 * i + 1] << 8 | rgba[4 * i + 2];
}

/*
 * vgem -> GL: a pattern written through vgem's mapping, imported as
 * XRGB8888 (B, G, R, X bytes in memory), read by GL twice: glReadPixels of
 * a framebuffer on the import, and glReadPixels of a GL texture into which
 * a shader copied the import by sampling it (nearest). XRGB8888 has no
 * alpha: GL must read every pixel with alpha 1.0, whatever the X byte.
 */
static void test_egl_read_from_vgem(void)
{
	static const char *fragment = FRAGMENT_PRECISION
		"uniform sampler2D src;\n"
		"void main() { gl_FragColor = texture2D(src, gl_FragCoord.xy / 64.0); }\n";
	uint32_t want[PIXELS], got[PIXELS];
	GLuint tex, fbo, copy_tex, copy_fbo, prog;
	struct egl_client c;
	struct producer p;
	EGLImageKHR image;
	unsigned int i;
	GLenum status;

	producer_init(&p);
	producer_fill(&p, 0x600dcafe);
	for (i = 0; i < PIXELS; i++)
		want[i] = 0xff000000u | (pattern_pixel(0x600dcafe, i) & 0xffffffu);
	egl_client_init(&c);
	image = import_to_fbo(&c, &p, DRM_FORMAT_XRGB8888, &tex, &fbo);

	read_framebuffer(got);
	igt_assert_eq(count_wrong("glReadPixels of the imported vgem buffer", got, want, ~0u), 0);

	glGenTextures(1, &copy_tex);
	glBindTexture(GL_TEXTURE_2D, copy_tex);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, W, H, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
	glGenFramebuffers(1, &copy_fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, copy_fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, copy_tex, 0);
	status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
	igt_assert_f(status == GL_FRAMEBUFFER_COMPLETE, "copy framebuffer: 0x%x\n", status);
	clear_argb(0x00000000);
	prog = program(fragment);
	glUseProgram(prog);
	glActiveTexture(GL_TEXTURE0);
	glBindTexture(GL_TEXTURE_2D, tex);
	glUniform1i(glGetUniformLocation(prog, "src"), 0);
	draw_rect(-1.0f, -1.0f, 1.0f, 1.0f);
	glFinish();
	read_framebuffer(got);
	igt_assert_eq(count_wrong("the imported vgem buffer sampled by a shader", got, want,
				  ~0u), 0);

	glDeleteProgram(prog);
	glDeleteFramebuffers(1, &copy_fbo);
	glDeleteTextures(1, &copy_tex);
	glDeleteFramebuffers(1, &fbo);
	glDeleteTextures(1, &tex);
	igt_assert(c.destroy_image(c.dpy, image));
	egl_client_fini(&c);
	producer_fini(&p);
	assert_device_idle();
}

/*
 * On the render node, the DRM core refuses DRM_IOCTL_MODE_CREATE_DUMB and
 * DRM_IOCTL_MODE_MAP_DUMB (neither is DRM_RENDER_ALLOW in drm_ioctl.c), on
 * any driver, upstream vgem included. kms_swrast needs both: GBM on
 * renderD* opens, imports, but can neither create nor map a buffer, with
 * the DRM core's EACCES. (EGL on the render node imports the dma-buf too,
 * then draws into or reads from a mapping it failed to make: wrong pixels
 * and crashes of the software rasterizer; no subtest does that.)
 */
static void test_render_node_limits(void)
{
	struct vgem_bo dumb = { .width = W, .height = H, .bpp = 32 };
	struct gbm_device *gbm;
	struct producer p;
	struct gbm_bo *bo;
	void *map_data = NULL, *map;
	uint32_t handle, stride;
	uint64_t offset;
	int render, mesa_fd;

	producer_init(&p);
	render = igt_vgem_open(DRM_NODE_KIND_RENDER);
	igt_assert_eq(__vgem_create(render, &dumb), -EACCES);
	handle = prime_fd_to_handle(render, p.dmabuf);
	igt_assert_eq(__vgem_map_offset(render, handle, &offset), -EACCES);
	gem_close(render, handle);
	igt_assert_eq(close(render), 0);

	mesa_fd = igt_vgem_open(DRM_NODE_KIND_RENDER);
	gbm = gbm_open(mesa_fd);
	errno = 0;
	bo = gbm_bo_create(gbm, W, H, GBM_FORMAT_XRGB8888, GBM_BO_USE_RENDERING);
	igt_info("render node: gbm_bo_create: %s (errno %d, %s)\n", bo ? "a buffer" : "NULL",
		 errno, strerror(errno));
	igt_assert(!bo);
	igt_assert_eq(errno, EACCES);

	{
		struct gbm_import_fd_data data = {
			.fd = p.dmabuf, .width = W, .height = H,
			.stride = p.bo.pitch, .format = GBM_FORMAT_XRGB8888,
		};

		bo = gbm_bo_import(gbm, GBM_BO_IMPORT_FD, &data, GBM_BO_USE_RENDERING);
		igt_assert_f(bo, "render node: gbm_bo_import: %s\n", strerror(errno));
	}
	errno = 0;
	map = gbm_bo_map(bo, 0, 0, W, H, GBM_BO_TRANSFER_READ, &stride, &map_data);
	igt_info("render node: gbm_bo_map of the import: %s (errno %d, %s)\n",
		 map ? "a mapping" : "NULL", errno, strerror(errno));
	if (map)
		gbm_bo_unmap(bo, map_data);
	igt_assert(!map);
	igt_assert_eq(errno, EACCES);
	gbm_bo_destroy(bo);

	gbm_device_destroy(gbm);
	igt_assert_eq(close(mesa_fd), 0);
	producer_fini(&p);
	assert_device_idle();
}

static const struct igt_subtest subtests[] = {
	{ "gbm-create", test_gbm_create },
	{ "gbm-import", test_gbm_import },
	{ "egl-draw-to-vgem", test_egl_draw_to_vgem },
	{ "egl-read-from-vgem", test_egl_read_from_vgem },
	{ "render-node-limits", test_render_node_limits },
};

int main(int argc, char **argv)
{
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     fixtures, IGT_ARRAY_SIZE(fixtures));
}
