/* SPDX-License-Identifier: MIT */
/*
 * Kernel modules: whether one is loaded and built out of tree, unloading
 * it, reloading vgem, and module parameters in /sys/module/NAME/parameters.
 */
#ifndef VGEM_TEST_IGT_MODULE_H
#define VGEM_TEST_IGT_MODULE_H

#include <stdbool.h>
#include <stddef.h>

/**
 * igt_module_loaded() - tell whether a kernel module is loaded
 * @module: module name
 */
bool igt_module_loaded(const char *module);

/**
 * igt_module_out_of_tree() - tell whether a loaded module was built out of
 * tree (its taint flags hold 'O'): this project's vgem is, the kernel's
 * own vgem (the upstream reference) is not
 * @module: module name
 */
bool igt_module_out_of_tree(const char *module);

/**
 * igt_module_unload() - unload one module (delete_module(2), like rmmod:
 * nothing that depends on it is touched)
 * @module: module name
 *
 * Return: 0, or -EAGAIN while the module is in use, or another -errno.
 */
int igt_module_unload(const char *module);

/**
 * igt_vgem_unload() - unload vgem alone (delete_module(2), retried while a
 * dma-buf is on its way out; cmctx stays), asserting it is gone
 */
void igt_vgem_unload(void);

/**
 * igt_vgem_reload() - igt_vgem_unload(), then load vgem with
 * num_devices=@devices, asserting both; 1 is the default
 */
void igt_vgem_reload(unsigned int devices);

/**
 * igt_vgem_reload_params() - modprobe -r vgem (which also unloads what only
 * vgem used, cmctx.ko among them, so it comes back fresh), then modprobe
 * vgem with the parameters @fmt and what follows make ("" for none),
 * asserting both
 */
void igt_vgem_reload_params(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/**
 * igt_vgem_upstream_file() - the kernel's own vgem module file
 * (drivers/gpu/drm/vgem/vgem.ko, compressed from 6.12 on in Debian)
 * @path: receives its path
 * @size: room in @path
 *
 * Return: 0, or -ENOENT when the running kernel has no vgem module.
 */
int igt_vgem_upstream_file(char *path, size_t size);

/**
 * igt_vgem_load_upstream() - unload vgem, then load the kernel's own (the
 * upstream reference) with its dependencies; skips the subtest when the
 * kernel has none, asserts it loaded
 */
void igt_vgem_load_upstream(void);

/** igt_module_param_exists() - whether @module has the parameter @name */
bool igt_module_param_exists(const char *module, const char *name);

/**
 * igt_module_param_read() - a parameter's value, without its newline
 * @value: receives it ("" when the file is empty)
 * @size: room in @value
 *
 * Return: 0, or -errno when the parameter cannot be read.
 */
int igt_module_param_read(const char *module, const char *name, char *value,
			  size_t size);

/**
 * igt_module_param_write() - write @value and a newline (as echo does)
 *
 * Return: 0 or -errno.
 */
int igt_module_param_write(const char *module, const char *name, const char *value);

#endif /* VGEM_TEST_IGT_MODULE_H */
