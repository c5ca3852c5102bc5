// SPDX-License-Identifier: MIT
/*
 * vgem_device: the device itself. It opens by driver name through both of
 * its nodes, reports itself as upstream vgem does, is the module of this
 * project and not the kernel's own, and unloads and reloads cleanly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_module.h"

#define DRM_MAJOR	226
#define RENDER_MINOR_BASE 128

static int open_vgem(enum drm_node_kind kind)
{
	int fd = drm_open_by_name("vgem", kind, NULL);

	igt_assert_f(fd >= 0, "no vgem %s node: %s\n",
		     kind == DRM_NODE_KIND_RENDER ? "render" : "primary",
		     strerror(-fd));
	return fd;
}

static void check_node(enum drm_node_kind kind)
{
	struct stat st;
	int fd = open_vgem(kind);

	igt_assert_eq(fstat(fd, &st), 0);
	igt_assert(S_ISCHR(st.st_mode));
	igt_assert_eq(major(st.st_rdev), DRM_MAJOR);
	if (kind == DRM_NODE_KIND_RENDER)
		igt_assert(minor(st.st_rdev) >= RENDER_MINOR_BASE);
	else
		igt_assert(minor(st.st_rdev) < RENDER_MINOR_BASE);
	igt_assert_eq(drmGetNodeTypeFromFd(fd),
		      kind == DRM_NODE_KIND_RENDER ? DRM_NODE_RENDER : DRM_NODE_PRIMARY);
	close(fd);
}

static void test_open_card(void)
{
	check_node(DRM_NODE_KIND_PRIMARY);
}

static void test_open_render(void)
{
	check_node(DRM_NODE_KIND_RENDER);
}

static drmVersionPtr render_node_version(void)
{
	int fd = open_vgem(DRM_NODE_KIND_RENDER);
	drmVersionPtr v = drmGetVersion(fd);

	igt_assert(v);
	close(fd);
	return v;
}

/*
 * DRM_IOCTL_VERSION must read exactly as upstream vgem's: the running
 * kernel's own vgem is loaded in turn and read too. The date is what the
 * DRM core makes of the driver's: 6.12's core reports "0" for every
 * driver (docs/uapi.md).
 */
static void test_version(void)
{
	drmVersionPtr ours = render_node_version(), upstream;

	igt_assert_f(strcmp(ours->name, "vgem") == 0, "name %s\n", ours->name);
	igt_assert_f(strcmp(ours->desc, "Virtual GEM provider") == 0, "desc %s\n", ours->desc);
	igt_assert_eq(ours->version_major, 1);
	igt_assert_eq(ours->version_minor, 0);
	igt_assert_eq(ours->version_patchlevel, 0);

	igt_vgem_load_upstream();
	upstream = render_node_version();
	igt_vgem_unload();
	igt_assert_eq(igt_system("modprobe vgem"), 0);
	igt_info("ours: %s %d.%d.%d %s \"%s\"; upstream: %s %d.%d.%d %s \"%s\"\n",
		 ours->name, ours->version_major, ours->version_minor,
		 ours->version_patchlevel, ours->date, ours->desc,
		 upstream->name, upstream->version_major, upstream->version_minor,
		 upstream->version_patchlevel, upstream->date, upstream->desc);
	igt_assert(strcmp(ours->name, upstream->name) == 0);
	igt_assert(strcmp(ours->desc, upstream->desc) == 0);
	igt_assert(strcmp(ours->date, upstream->date) == 0);
	igt_assert_eq(ours->version_major, upstream->version_major);
	igt_assert_eq(ours->version_minor, upstream->version_minor);
	igt_assert_eq(ours->version_patchlevel, upstream->version_patchlevel);
	drmFreeVersion(upstream);
	drmFreeVersion(ours);
}

/* The suite tests this project's module: modprobe must resolve to updates/. */
static void test_module_is_ours(void)
{
	char path[512] = "";

	igt_assert_eq(igt_module_file("vgem", path, sizeof(path)), 0);
	igt_info("modprobe resolves vgem to %s\n", path);
	igt_assert_f(strstr(path, "/updates/vgem.ko"),
		     "vgem resolves to %s, not to this project's module\n", path);
}

static void test_unload_reload(void)
{
	char path[64];
	int fd;

	fd = open_vgem(DRM_NODE_KIND_RENDER);
	close(fd);
	igt_assert(igt_module_loaded("vgem"));

	igt_assert_eq(igt_system("modprobe -r vgem"), 0);
	igt_assert(!igt_module_loaded("vgem"));
	igt_assert_eq(igt_system("modprobe vgem"), 0);
	igt_assert(igt_module_loaded("vgem"));

	fd = drm_open_by_name("vgem", DRM_NODE_KIND_RENDER, path);
	igt_assert_f(fd >= 0, "vgem did not come back after reload\n");
	igt_assert(drm_driver_is(fd, "vgem"));
	close(fd);
}

/* An open file keeps the module loaded: unload must fail with EBUSY. */
static void test_unload_while_open(void)
{
	int fd = open_vgem(DRM_NODE_KIND_PRIMARY);

	igt_assert(igt_system("modprobe -r vgem 2>/dev/null") != 0);
	igt_assert(igt_module_loaded("vgem"));
	igt_assert(drm_driver_is(fd, "vgem"));
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "open-card", test_open_card },
	{ "open-render", test_open_render },
	{ "version", test_version },
	{ "module-is-ours", test_module_is_ours },
	{ "unload-while-open", test_unload_while_open },
	{ "unload-reload", test_unload_reload },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
