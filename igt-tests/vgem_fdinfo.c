// SPDX-License-Identifier: MIT
/*
 * vgem_fdinfo: the DRM usage statistics in /proc/<pid>/fdinfo/<fd> of vgem
 * files (kernel/vgem/vgem_fdinfo.c, docs/uapi.md "fdinfo"): the
 * drm-driver and drm-client-id keys, and drm-total/shared/resident of the
 * "system" and "contiguous" regions, which must follow what the file holds
 * byte for byte: shmem objects, contiguous ones, exports and imports. The
 * owner reads them without root; another user cannot.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_creds.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_vgem.h"

#define MIB		(1024ull * 1024)
#define NOBODY		65534
#define NO_KEY		UINT64_MAX

/*
 * The value of @key in the fdinfo file @path, in bytes for sizes ("1 MiB",
 * "12 KiB", "4096"); NO_KEY when the key is missing or @path cannot be
 * read. @text, when not NULL, receives the value as written (64 bytes).
 */
static uint64_t fdinfo_key_at(const char *path, const char *key, char *text)
{
	char line[256], unit[8];
	size_t len = strlen(key);
	uint64_t value = NO_KEY;
	unsigned long long n;
	FILE *f = fopen(path, "re");

	if (!f)
		return NO_KEY;
	while (fgets(line, sizeof(line), f)) {
		const char *v = line + len + 1;

		if (strncmp(line, key, len) || line[len] != ':')
			continue;
		v += strspn(v, " \t");
		if (text)
			snprintf(text, 64, "%.*s", (int)strcspn(v, "\n"), v);
		unit[0] = '\0';
		if (sscanf(v, "%llu %7s", &n, unit) < 1)
			break;
		value = n;
		if (!strcmp(unit, "KiB"))
			value <<= 10;
		else if (!strcmp(unit, "MiB"))
			value <<= 20;
		else if (unit[0])
			value = NO_KEY;
		break;
	}
	fclose(f);
	return value;
}

static uint64_t fdinfo_key(int fd, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return fdinfo_key_at(path, key, NULL);
}

/* Asserts the three sizes of @region in @fd's fdinfo, in MiB. */
#define assert_region(fd, region, total, shared, resident) do { \
	igt_assert_eq(fdinfo_key(fd, "drm-total-" region), (total) * MIB); \
	igt_assert_eq(fdinfo_key(fd, "drm-shared-" region), (shared) * MIB); \
	igt_assert_eq(fdinfo_key(fd, "drm-resident-" region), (resident) * MIB); \
} while (0)

static uint32_t gem_open(int fd, uint32_t name)
{
	struct drm_gem_open arg = { .name = name };

	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_GEM_OPEN, &arg), 0);
	return arg.handle;
}

static void load_vgem(unsigned int devices)
{
	int fd;

	igt_system("modprobe vgem");
	fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	igt_require_f(igt_vgem_has_extensions(fd), "needs this project's vgem\n");
	close(fd);
	igt_vgem_reload(devices);
}

/* drm-driver names vgem; drm-client-id is the open file's, on both nodes. */
static void test_keys(void)
{
	char text[64] = "", path[64];
	uint64_t ids[3];
	int fds[3], dup_fd, i;

	load_vgem(1);
	fds[0] = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	fds[1] = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	fds[2] = igt_vgem_open(DRM_NODE_KIND_RENDER);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fds[i]);
		fdinfo_key_at(path, "drm-driver", text);
		igt_assert_f(!strcmp(text, "vgem"), "drm-driver: '%s'\n", text);
		ids[i] = fdinfo_key(fds[i], "drm-client-id");
		igt_assert(ids[i] != NO_KEY);
		igt_info("fd %d: drm-client-id %" PRIu64 "\n", fds[i], ids[i]);
		/* Nothing held yet: every size is there, and 0. */
		assert_region(fds[i], "system", 0, 0, 0);
		assert_region(fds[i], "contiguous", 0, 0, 0);
	}
	igt_assert(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
	/* A duplicated descriptor is the same client. */
	dup_fd = dup(fds[0]);
	igt_assert(dup_fd >= 0);
	igt_assert_eq(fdinfo_key(dup_fd, "drm-client-id"), ids[0]);
	close(dup_fd);
	for (i = 0; i < 3; i++)
		close(fds[i]);
}

/* shmem: resident once mapped, shared once exported or opened twice. */
static void test_shmem(void)
{
	struct vgem_bo bo = { .width = 1024, .height = 256, .bpp = 32 };
	uint32_t name, other_handle;
	int fd, other, dmabuf;
	void *map;

	load_vgem(1);
	fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	vgem_create(fd, &bo);
	igt_assert_eq(bo.size, MIB);
	assert_region(fd, "system", 1, 0, 0);
	assert_region(fd, "contiguous", 0, 0, 0);

	/* A mapping pins every page of the object. */
	map = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	memset(map, 0x5a, bo.size);
	assert_region(fd, "system", 1, 0, 1);

	/* A second handle, in another file, makes it shared for both. */
	other = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	name = gem_flink(fd, bo.handle);
	other_handle = gem_open(other, name);
	assert_region(fd, "system", 1, 1, 1);
	assert_region(other, "system", 1, 1, 1);
	gem_close(other, other_handle);
	assert_region(fd, "system", 1, 0, 1);
	assert_region(other, "system", 0, 0, 0);

	/* So does a dma-buf, for as long as it lives. */
	dmabuf = prime_handle_to_fd(fd, bo.handle);
	assert_region(fd, "system", 1, 1, 1);
	munmap(map, bo.size);
	gem_close(fd, bo.handle);
	assert_region(fd, "system", 0, 0, 0);
	close(dmabuf);
	close(other);
	close(fd);
}

/* Contiguous objects: their own region, resident from creation. */
static void test_contiguous(void)
{
	uint32_t handle;
	int fd, dmabuf, minor;

	load_vgem(1);
	fd = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, &minor);
	igt_vgem_require_contiguous(fd);
	handle = igt_vgem_create_mib(fd, 2, VGEM_BO_CONTIGUOUS);
	igt_vgem_create_mib(fd, 1, VGEM_BO_SHMEM);
	assert_region(fd, "contiguous", 2, 0, 2);
	assert_region(fd, "system", 1, 0, 0);
	dmabuf = prime_handle_to_fd(fd, handle);
	assert_region(fd, "contiguous", 2, 2, 2);
	close(dmabuf);
	close(fd);
	igt_vgem_assert_idle(minor);
}

/* An import from another device: system, shared and resident, once. */
static void test_imported(void)
{
	uint32_t handle, imported, again;
	int fd0, fd1, dmabuf;

	load_vgem(2);
	fd0 = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, NULL);
	fd1 = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);
	handle = igt_vgem_create_mib(fd1, 3, VGEM_BO_SHMEM);
	dmabuf = prime_handle_to_fd(fd1, handle);
	imported = prime_fd_to_handle(fd0, dmabuf);
	assert_region(fd0, "system", 3, 3, 3);
	assert_region(fd0, "contiguous", 0, 0, 0);
	/* The exporter's attachment pinned the pages for the importer. */
	assert_region(fd1, "system", 3, 3, 3);
	/* Importing again is the same object and the same handle: once. */
	again = prime_fd_to_handle(fd0, dmabuf);
	igt_assert_eq(again, imported);
	assert_region(fd0, "system", 3, 3, 3);
	gem_close(fd0, imported);
	assert_region(fd0, "system", 0, 0, 0);
	close(dmabuf);
	close(fd0);
	close(fd1);
	igt_vgem_reload(1);
}

/* What uid 65534 is given: the render node, and a file of root's. */
struct owner_paths {
	char render[64];
	char root_fdinfo[64];
};

static void read_own_fdinfo(void *data)
{
	const struct owner_paths *p = data;
	int fd;

	fd = open(p->render, O_RDWR | O_CLOEXEC);
	igt_assert(fd >= 0);
	igt_vgem_create_mib(fd, 2, VGEM_BO_SHMEM);
	igt_assert(fdinfo_key(fd, "drm-client-id") != NO_KEY);
	assert_region(fd, "system", 2, 0, 0);
	errno = 0;
	igt_assert(fdinfo_key_at(p->root_fdinfo, "drm-total-system", NULL) == NO_KEY);
	igt_assert_eq(access(p->root_fdinfo, R_OK), -1);
	igt_info("uid %d: its own fdinfo read, root's refused (%s)\n", NOBODY,
		 strerror(errno));
}

/*
 * uid 65534 reads the statistics of the render-node file it opened; it
 * cannot read those of a file of root's (procfs: ptrace read access).
 */
static void test_unprivileged_owner(void)
{
	struct owner_paths p;
	struct stat st;
	int root_fd;
	bool ok;

	load_vgem(1);
	root_fd = igt_vgem_open(DRM_NODE_KIND_PRIMARY);
	igt_vgem_create_mib(root_fd, 1, VGEM_BO_SHMEM);
	snprintf(p.root_fdinfo, sizeof(p.root_fdinfo), "/proc/%d/fdinfo/%d", getpid(), root_fd);
	igt_assert_eq(igt_vgem_platform_node("vgem", DRM_NODE_KIND_RENDER, p.render), 0);
	igt_assert_eq(stat(p.render, &st), 0);
	/* As udev makes it on a real system; the guest's devtmpfs says 0600. */
	igt_assert_eq(chmod(p.render, 0666), 0);
	ok = igt_run_as_user(NOBODY, read_own_fdinfo, &p);
	igt_assert_eq(chmod(p.render, st.st_mode & 07777), 0);
	igt_assert(ok);
	assert_region(root_fd, "system", 1, 0, 0);
	close(root_fd);
}

static const struct igt_subtest subtests[] = {
	{ "keys", test_keys },
	{ "shmem", test_shmem },
	{ "contiguous", test_contiguous },
	{ "imported", test_imported },
	{ "unprivileged-owner", test_unprivileged_owner },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, IGT_ARRAY_SIZE(subtests));
}
