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

/** igt_vgem_open() - open a vgem node by driver name, asserting success */
int igt_vgem_open(enum drm_node_kind kind);

/**
 * igt_vgem_card_minors() - the minors of the vgem primary nodes, ascending
 * @minors: receives them
 * @max: room in @minors
 *
 * Return: how many were found (at most @max).
 */
int igt_vgem_card_minors(int *minors, int max);

/**
 * igt_vgem_open_device() - open a node of the @index-th vgem device
 * (ordered by minor) with @kind, asserting success
 * @minor: if not NULL, receives the minor of the device's primary node,
 *	the directory of its files in /sys/kernel/debug/dri/
 */
int igt_vgem_open_device(unsigned int index, enum drm_node_kind kind, int *minor);

/**
 * igt_vgem_platform_node() - the node of @kind of the DRM device bound to
 * the vgem platform device @pdev ("vgem" for device 0, "vgem.N" for device
 * N), from sysfs: after an unbind and a bind its minors are new ones, so
 * the ordering of igt_vgem_open_device() no longer holds
 * @path: receives /dev/dri/cardN or /dev/dri/renderDN (at least 64 bytes)
 *
 * Return: 0, or -ENODEV when no DRM device is bound to @pdev.
 */
int igt_vgem_platform_node(const char *pdev, enum drm_node_kind kind, char *path);

/**
 * drm_node_minor() - the minor of the DRM node @fd is open on (asserts
 * fstat); a primary node's names its directory in /sys/kernel/debug/dri/
 */
int drm_node_minor(int fd);

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
