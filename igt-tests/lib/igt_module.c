// SPDX-License-Identifier: MIT
/*
 * Kernel modules and their parameters (igt_module.h).
 */
#include "igt_module.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "igt.h"

bool igt_module_loaded(const char *module)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", module);
	return access(path, F_OK) == 0;
}

bool igt_module_out_of_tree(const char *module)
{
	char path[128], taint[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/taint", module);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(taint, sizeof(taint), f))
		taint[0] = 0;
	fclose(f);
	return strchr(taint, 'O') != NULL;
}

int igt_module_unload(const char *module)
{
	return syscall(SYS_delete_module, module, O_NONBLOCK) ? -errno : 0;
}

void igt_vgem_unload(void)
{
	int i, ret = 0;

	/*
	 * delete_module(2) rather than an exec of modprobe -r (seconds under
	 * TCG on a loaded host, and it would take cmctx too); a dma-buf
	 * closed just before may still be on its way out (delayed fput),
	 * hence the few retries.
	 */
	for (i = 0; i < 20 && igt_module_loaded("vgem"); i++) {
		ret = igt_module_unload("vgem");
		if (ret != -EAGAIN && ret != -EWOULDBLOCK)
			break;
		usleep(50 * 1000);
	}
	igt_assert_f(!igt_module_loaded("vgem"), "vgem still loaded: %s\n", strerror(-ret));
}

void igt_vgem_reload(unsigned int devices)
{
	igt_vgem_unload();
	igt_assert_eq(igt_system("modprobe vgem num_devices=%u", devices), 0);
}

void igt_vgem_reload_params(const char *fmt, ...)
{
	char params[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(params, sizeof(params), fmt, ap);
	va_end(ap);
	igt_assert_f(n >= 0 && (size_t)n < sizeof(params), "vgem parameters too long\n");

	igt_system("modprobe -r vgem 2>/dev/null");
	igt_assert_f(!igt_module_loaded("vgem"), "vgem still loaded\n");
	igt_assert_eq(igt_system("modprobe vgem %s", params), 0);
}

int igt_vgem_upstream_file(char *path, size_t size)
{
	static const char *const suffixes[] = { "", ".xz", ".zst", ".gz" };
	struct utsname u;
	size_t i;

	if (uname(&u))
		return -errno;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, size, "/lib/modules/%s/kernel/drivers/gpu/drm/vgem/vgem.ko%s",
			 u.release, suffixes[i]);
		if (access(path, R_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

void igt_vgem_load_upstream(void)
{
	char path[256];

	igt_require_f(igt_vgem_upstream_file(path, sizeof(path)) == 0,
		      "the running kernel has no vgem module of its own\n");
	igt_vgem_unload();
	/* modprobe would pick ours in updates/: insmod the file, deps first. */
	igt_assert_eq(igt_system("modprobe -a $(modinfo -F depends %s | tr , ' ') && insmod %s",
				 path, path), 0);
	igt_assert_f(igt_module_loaded("vgem") && !igt_module_out_of_tree("vgem"),
		     "the kernel's own vgem did not load\n");
}

static void param_path(const char *module, const char *name, char *path, size_t size)
{
	snprintf(path, size, "/sys/module/%s/parameters/%s", module, name);
}

bool igt_module_param_exists(const char *module, const char *name)
{
	char path[256];

	param_path(module, name, path, sizeof(path));
	return access(path, F_OK) == 0;
}

int igt_module_param_read(const char *module, const char *name, char *value,
			  size_t size)
{
	char path[256];
	FILE *f;

	param_path(module, name, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(value, (int)size, f))
		value[0] = '\0';
	fclose(f);
	value[strcspn(value, "\n")] = '\0';
	return 0;
}

int igt_module_param_write(const char *module, const char *name, const char *value)
{
	char path[256], line[128];
	int fd, len, ret = 0;

	param_path(module, name, path, sizeof(path));
	len = snprintf(line, sizeof(line), "%s\n", value);
	if (len < 0 || (size_t)len >= sizeof(line))
		return -EINVAL;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, line, (size_t)len) != len)
		ret = -errno;
	close(fd);
	return ret;
}
