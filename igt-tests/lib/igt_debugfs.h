/* SPDX-License-Identifier: MIT */
/*
 * debugfs: mounting it, opening its files (a DRM device's among them), and
 * finding the cmctx context file of the context vgem uses. The parsers of
 * the files' formats are in igt_figures.h ("key value" lines) and
 * igt_table.h (tables with a header line).
 */
#ifndef VGEM_TEST_IGT_DEBUGFS_H
#define VGEM_TEST_IGT_DEBUGFS_H

#include <stddef.h>
#include <stdio.h>

#include "igt.h"

#define IGT_DEBUGFS	"/sys/kernel/debug"

/**
 * igt_debugfs_mount() - mount debugfs on IGT_DEBUGFS unless it is there
 *
 * Return: 0 when debugfs is mounted there (now or before), or -errno.
 */
int igt_debugfs_mount(void);

/** igt_require_debugfs() - igt_debugfs_mount(), skipping the subtest if it fails */
void igt_require_debugfs(void);

/** igt_debugfs_fixture - igt_require_debugfs() as a fixture of every subtest */
extern const struct igt_fixture igt_debugfs_fixture;

/**
 * igt_debugfs_open() - open a debugfs file for reading, mounting debugfs
 * first if needed
 * @path: the file, relative to IGT_DEBUGFS ("dma_buf/bufinfo")
 *
 * Return: the stream, or NULL with errno set.
 */
FILE *igt_debugfs_open(const char *path);

/**
 * igt_debugfs_device_path() - the path of a DRM device's debugfs file
 * @minor: the minor of the device's primary node
 * @name: the file ("vgem_objects")
 * @path: receives IGT_DEBUGFS/dri/@minor/@name
 * @size: room in @path
 */
void igt_debugfs_device_path(int minor, const char *name, char *path, size_t size);

/**
 * igt_debugfs_device_open() - igt_debugfs_open() of a DRM device's file
 * @minor: the minor of the device's primary node
 * @name: the file ("vgem_objects")
 *
 * Return: the stream, or NULL with errno set.
 */
FILE *igt_debugfs_device_open(int minor, const char *name);

/**
 * igt_cmctx_context_path() - the cmctx debugfs file of the context vgem
 * uses: the one its cma_context parameter names, or else (no parameter or
 * an empty one) movable0 or the first context of IGT_DEBUGFS/cmctx
 * @path: receives IGT_DEBUGFS/cmctx/<context>
 * @size: room in @path
 *
 * Return: 0, or -ENOENT when there is no context.
 */
int igt_cmctx_context_path(char *path, size_t size);

/**
 * igt_vgem_context_figure() - a figure (igt_figures.h) of the cmctx file
 * of vgem's context; skips the subtest when there is no context and fails
 * it when the file lacks @key
 */
long igt_vgem_context_figure(const char *key);

#endif /* VGEM_TEST_IGT_DEBUGFS_H */
