/* SPDX-License-Identifier: MIT */
/*
 * Kernel modules: whether one is loaded and built out of tree, loading one
 * with the errno its init returns (from its file or from a copy in memory),
 * unloading it, this project's modules as a whole, reloading vgem, and
 * module parameters in /sys/module/NAME/parameters.
 */
#ifndef VGEM_TEST_IGT_MODULE_H
#define VGEM_TEST_IGT_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "igt.h"

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
 * igt_module_unload_wait() - igt_module_unload(), retried for up to 2 s
 * while the module is in use (a dma-buf closed just before may still hold
 * a reference on its way out: delayed fput)
 * @module: module name
 *
 * Return: 0 when the module is not loaded (any more), else the last -errno
 * (-EAGAIN while it stays in use).
 */
int igt_module_unload_wait(const char *module);

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

/**
 * igt_module_file() - the file modprobe loads for @module (modinfo -n)
 * @path: receives it
 * @size: room in @path
 *
 * Return: 0, or -ENOENT when modprobe knows no such module.
 */
int igt_module_file(const char *module, char *path, size_t size);

/**
 * igt_module_open() - open @module's file (igt_module_file()), for
 * finit_module(2): with the file open beforehand, the task's fault
 * injection (fail-nth, make-it-fail) can be armed around the load alone
 *
 * Return: the fd (O_CLOEXEC), or -errno.
 */
int igt_module_open(const char *module);

/**
 * __igt_module_load() - load @module's (uncompressed) file with @params by
 * finit_module(2), so that the module's own errno is seen (modprobe
 * prints it); dependencies must be loaded already
 *
 * Return: 0, or -errno (that of the module's init when it fails).
 */
int __igt_module_load(const char *module, const char *params);

/**
 * struct igt_module_image - a module file read once, to be loaded many times
 * without reading it again (a module of this project is megabytes, read
 * over 9p in the guest) nor exec'ing anything
 * @name: the module
 * @path: its file, as modprobe resolves it (igt_module_file())
 * @data: the file's bytes, for init_module(2); NULL for a compressed file
 *	(.ko.xz, .ko.zst...), which each load reads again, for the kernel to
 *	decompress
 * @size: bytes of @data
 */
struct igt_module_image {
	char name[64];
	char path[512];
	void *data;
	size_t size;
};

/**
 * igt_module_image_read() - read @module's file @path (igt_module_file()
 * finds it) into @image, unless it is compressed; asserts
 */
void igt_module_image_read(struct igt_module_image *image, const char *module,
			   const char *path);

/**
 * __igt_module_image_load() - load @image with the parameters @params, by
 * init_module(2) from memory, or by finit_module(2) of the compressed file
 *
 * Return: 0, or -errno: the kernel's (a parameter its parser refuses) or
 * that of the module's init.
 */
int __igt_module_image_load(const struct igt_module_image *image, const char *params);

/**
 * igt_module_image_load() - __igt_module_image_load() with the parameters
 * @fmt and what follows make, asserting it loaded
 */
void igt_module_image_load(const struct igt_module_image *image, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** enum igt_vgem_module - this project's modules, each after those it needs */
enum igt_vgem_module {
	IGT_MODULE_CMCTX,
	IGT_MODULE_VGEM,
	IGT_MODULE_PASR,
	IGT_MODULE_PASR_SIM,
	IGT_VGEM_MODULES
};

/**
 * igt_vgem_modules_fixture - a fixture for all subtests ("*") that load and
 * unload this project's modules themselves. Set-up: igt_module_image_read()
 * of cmctx, vgem, pasr and pasr_sim as modprobe resolves them (one exec of
 * modinfo), and modprobe of the kernel's modules they need (drm) that are
 * not loaded, which stay loaded; skips unless modprobe knows all four.
 * Tear-down: igt_vgem_modules_restore(), whatever the subtests did.
 */
extern const struct igt_fixture igt_vgem_modules_fixture;

/**
 * igt_vgem_module() - the image of one of this project's modules, read by
 * igt_vgem_modules_fixture's set-up
 */
const struct igt_module_image *igt_vgem_module(enum igt_vgem_module m);

/**
 * igt_vgem_modules_unload() - unload every module of this project that is
 * loaded, the test modules too, each before those it needs
 * (igt_module_unload_wait()); asserts they go
 */
void igt_vgem_modules_unload(void);

/**
 * igt_vgem_modules_restore() - igt_vgem_modules_unload(), then modprobe
 * vgem: the modules as the other tests expect them (cmctx and vgem with
 * their defaults); asserts both
 */
void igt_vgem_modules_restore(void);

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
 * igt_module_param_write() - write @value, of any length, and a newline (as
 * echo does) in one write(2)
 *
 * Return: 0 or -errno (that of the parameter's parser when it refuses).
 */
int igt_module_param_write(const char *module, const char *name, const char *value);

#endif /* VGEM_TEST_IGT_MODULE_H */
