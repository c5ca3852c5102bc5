// SPDX-License-Identifier: MIT
/*
 * Kernel modules and their parameters (igt_module.h).
 */
#include "igt_module.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "igt.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4	/* Linux 6.4's finit_module() flag */
#endif

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

int igt_module_file(const char *module, char *path, size_t size)
{
	char cmd[128];
	int status;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "modinfo -n %s 2>/dev/null", module);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	if (!fgets(path, (int)size, p))
		path[0] = '\0';
	status = pclose(p);
	path[strcspn(path, "\n")] = '\0';
	return status == 0 && path[0] ? 0 : -ENOENT;
}

int igt_module_open(const char *module)
{
	char path[512];
	int fd, ret;

	ret = igt_module_file(module, path, sizeof(path));
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int __igt_module_load(const char *module, const char *params)
{
	int fd = igt_module_open(module);
	int ret;

	if (fd < 0)
		return fd;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static bool compressed(const char *path)
{
	size_t len = strlen(path);

	return len < 3 || strcmp(path + len - 3, ".ko");
}

void igt_module_image_read(struct igt_module_image *image, const char *module,
			   const char *path)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd;

	memset(image, 0, sizeof(*image));
	snprintf(image->name, sizeof(image->name), "%s", module);
	snprintf(image->path, sizeof(image->path), "%s", path);
	if (compressed(path))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0, "%s: %s\n", path,
		     strerror(errno));
	image->data = malloc((size_t)st.st_size);
	igt_assert(image->data);
	while (done < (size_t)st.st_size) {
		n = read(fd, (char *)image->data + done, (size_t)st.st_size - done);
		igt_assert_f(n > 0, "%s: %s\n", path, n ? strerror(errno) : "short read");
		done += (size_t)n;
	}
	close(fd);
	image->size = done;
}

int __igt_module_image_load(const struct igt_module_image *image, const char *params)
{
	int fd, ret;

	if (image->data)
		return syscall(SYS_init_module, image->data, image->size, params) ? -errno : 0;
	fd = open(image->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, MODULE_INIT_COMPRESSED_FILE) ? -errno : 0;
	close(fd);
	return ret;
}

void igt_module_image_load(const struct igt_module_image *image, const char *fmt, ...)
{
	char params[1024];
	va_list ap;
	int n, ret;

	va_start(ap, fmt);
	n = vsnprintf(params, sizeof(params), fmt, ap);
	va_end(ap);
	igt_assert_f(n >= 0 && (size_t)n < sizeof(params), "%s: parameters too long\n",
		     image->name);
	ret = __igt_module_image_load(image, params);
	igt_assert_f(ret == 0, "loading %s %s: %s\n", image->name, params, strerror(-ret));
}

int igt_module_unload_wait(const char *module)
{
	int i, ret = 0;

	for (i = 0; i < 40 && igt_module_loaded(module); i++) {
		ret = igt_module_unload(module);
		if (ret != -EAGAIN && ret != -EBUSY)
			break;
		usleep(50 * 1000);
	}
	return !igt_module_loaded(module) ? 0 : ret ? ret : -EAGAIN;
}

/* What igt_vgem_modules_fixture read, in the runner: its subtests inherit it. */
static struct igt_module_image vgem_images[IGT_VGEM_MODULES];

static const char *const vgem_modules[IGT_VGEM_MODULES] = {
	[IGT_MODULE_CMCTX] = "cmctx", [IGT_MODULE_VGEM] = "vgem", [IGT_MODULE_PASR] = "pasr",
	[IGT_MODULE_PASR_SIM] = "pasr_sim",
};

/* Which of this project's modules the file @path is; IGT_VGEM_MODULES: none. */
static enum igt_vgem_module vgem_module_of(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len;
	int m;

	for (m = 0; m < IGT_VGEM_MODULES; m++) {
		len = strlen(vgem_modules[m]);
		if (!strncmp(base, vgem_modules[m], len) && !strncmp(base + len, ".ko", 3))
			return m;
	}
	return IGT_VGEM_MODULES;
}

/*
 * Appends to @list the modules the image says it needs (the "depends=" of
 * its .modinfo) that are neither this project's nor loaded.
 */
static void missing_depends(const struct igt_module_image *image, char *list, size_t size)
{
	static const char key[] = "\0depends=";
	const char *p = memmem(image->data, image->size, key, sizeof(key) - 1);
	char deps[256], *name, *save;
	unsigned int m;

	snprintf(deps, sizeof(deps), "%s", p ? p + sizeof(key) - 1 : "");
	for (name = strtok_r(deps, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		for (m = 0; m < IGT_VGEM_MODULES && strcmp(name, vgem_modules[m]); m++)
			;
		if (m == IGT_VGEM_MODULES && !igt_module_loaded(name))
			snprintf(list + strlen(list), size - strlen(list), " %s", name);
	}
}

static void vgem_modules_read(void)
{
	char line[512], missing[256] = "";
	bool found[IGT_VGEM_MODULES] = { false }, any_compressed = false;
	enum igt_vgem_module m;
	FILE *f;

	f = popen("modinfo -n cmctx vgem pasr pasr_sim 2>/dev/null", "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		m = vgem_module_of(line);
		if (m == IGT_VGEM_MODULES || found[m])
			continue;
		found[m] = true;
		igt_module_image_read(&vgem_images[m], vgem_modules[m], line);
		igt_info("%s: %s\n", vgem_modules[m], line);
	}
	pclose(f);
	for (m = 0; m < IGT_VGEM_MODULES; m++) {
		igt_require_f(found[m], "modprobe knows no module %s of this project\n",
			      vgem_modules[m]);
		if (vgem_images[m].data)
			missing_depends(&vgem_images[m], missing, sizeof(missing));
		else
			any_compressed = true;
	}
	/* A compressed file's dependencies are not read here: modprobe loads them. */
	if (any_compressed)
		igt_assert_eq(igt_system("modprobe -a vgem pasr_sim"), 0);
	else if (missing[0])
		igt_assert_eq(igt_system("modprobe -a%s", missing), 0);
}

void igt_vgem_modules_unload(void)
{
	static const char *const order[] = {
		"pasr_test", "pasr_sim", "pasr", "vgem", "cmctx_test", "cmctx",
	};
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		ret = igt_module_unload_wait(order[i]);
		igt_assert_f(ret == 0, "cannot unload %s: %s\n", order[i], strerror(-ret));
	}
}

void igt_vgem_modules_restore(void)
{
	igt_vgem_modules_unload();
	igt_assert_eq(igt_system("modprobe vgem"), 0);
	igt_assert(igt_module_loaded("vgem") && igt_module_loaded("cmctx"));
}

const struct igt_fixture igt_vgem_modules_fixture = {
	.name = "vgem-modules", .subtests = "*", .setup = vgem_modules_read,
	.teardown = igt_vgem_modules_restore,
};

const struct igt_module_image *igt_vgem_module(enum igt_vgem_module m)
{
	return &vgem_images[m];
}

void igt_vgem_unload(void)
{
	/*
	 * delete_module(2) rather than an exec of modprobe -r (seconds under
	 * TCG on a loaded host, and it would take cmctx too).
	 */
	int ret = igt_module_unload_wait("vgem");

	igt_assert_f(ret == 0, "vgem still loaded: %s\n", strerror(-ret));
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
	/* sysfs takes the two pieces as one write: the value is never cut. */
	struct iovec iov[2] = {
		{ .iov_base = (void *)value, .iov_len = strlen(value) },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	char path[256];
	int fd, ret = 0;

	param_path(module, name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (writev(fd, iov, 2) != (ssize_t)(iov[0].iov_len + 1))
		ret = -errno;
	close(fd);
	return ret;
}
