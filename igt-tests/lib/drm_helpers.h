/* SPDX-License-Identifier: MIT */
/*
 * Device helpers shared by the tests: finding the vgem nodes by driver name,
 * the way IGT's drm_open_driver() does.
 */
#ifndef VGEM_TEST_DRM_HELPERS_H
#define VGEM_TEST_DRM_HELPERS_H

#include <stdbool.h>

/** enum drm_node_kind - which DRM minor of a device to open */
enum drm_node_kind {
	DRM_NODE_KIND_PRIMARY,	/* /dev/dri/cardN */
	DRM_NODE_KIND_RENDER,	/* /dev/dri/renderDN */
};

/**
 * drm_open_by_name() - open the first node of @kind whose driver is @driver
 * @driver: DRM driver name, as DRM_IOCTL_VERSION reports it
 * @kind: primary or render node
 * @path: if not NULL, receives the node's path (at least 64 bytes)
 *
 * Runs "modprobe @driver" once when no such node exists yet.
 *
 * Return: an fd opened O_RDWR | O_CLOEXEC, or a negative errno.
 */
int drm_open_by_name(const char *driver, enum drm_node_kind kind, char *path);

/**
 * drm_driver_is() - tell whether @fd is a DRM node of driver @driver
 * @fd: an open file
 * @driver: the driver name to compare with
 */
bool drm_driver_is(int fd, const char *driver);

/**
 * drm_module_loaded() - tell whether a kernel module is loaded
 * @module: module name
 */
bool drm_module_loaded(const char *module);

/**
 * drm_module_out_of_tree() - tell whether a loaded module was built out of
 * tree (its taint flags hold 'O'): this project's vgem is, the kernel's
 * own vgem (the upstream reference) is not
 * @module: module name
 */
bool drm_module_out_of_tree(const char *module);

/**
 * drm_module_unload() - unload one module (delete_module(2), like rmmod:
 * nothing that depends on it is touched)
 * @module: module name
 *
 * Return: 0, or -EAGAIN while the module is in use, or another -errno.
 */
int drm_module_unload(const char *module);

/**
 * read_all_files() - read every readable regular file of a directory (not
 * recursive), as a smoke test of sysfs or debugfs entries
 * @dir: the directory
 *
 * Return: how many files were read, or -errno of the first that failed
 * (its path is printed).
 */
int read_all_files(const char *dir);

#endif /* VGEM_TEST_DRM_HELPERS_H */
