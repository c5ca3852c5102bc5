// SPDX-License-Identifier: MIT
#include "vgem_helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>

#include "drm/vgem_drm.h"
#include "igt.h"

static int ioctl_errno(int fd, unsigned long request, void *arg)
{
	return drmIoctl(fd, request, arg) ? -errno : 0;
}

int igt_vgem_open(enum drm_node_kind kind)
{
	int fd = drm_open_by_name("vgem", kind, NULL);

	igt_assert_f(fd >= 0, "cannot open a vgem node: %s\n", strerror(-fd));
	return fd;
}

int __vgem_create(int fd, struct vgem_bo *bo)
{
	struct drm_mode_create_dumb arg = {
		.width = bo->width, .height = bo->height, .bpp = bo->bpp,
	};
	int ret = ioctl_errno(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg);

	if (ret)
		return ret;
	bo->handle = arg.handle;
	bo->pitch = arg.pitch;
	bo->size = arg.size;
	return 0;
}

void vgem_create(int fd, struct vgem_bo *bo)
{
	int ret = __vgem_create(fd, bo);

	igt_assert_f(ret == 0, "CREATE_DUMB %ux%u@%u: %s\n",
		     bo->width, bo->height, bo->bpp, strerror(-ret));
}

int __vgem_map_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_mode_map_dumb arg = { .handle = handle };
	int ret = ioctl_errno(fd, DRM_IOCTL_MODE_MAP_DUMB, &arg);

	if (!ret)
		*offset = arg.offset;
	return ret;
}

void *vgem_mmap(int fd, const struct vgem_bo *bo, int prot)
{
	uint64_t offset;
	void *ptr;
	int ret = __vgem_map_offset(fd, bo->handle, &offset);

	igt_assert_f(ret == 0, "MAP_DUMB: %s\n", strerror(-ret));
	ptr = mmap(NULL, bo->size, prot, MAP_SHARED, fd, (off_t)offset);
	igt_assert_f(ptr != MAP_FAILED, "mmap: %s\n", strerror(errno));
	return ptr;
}

int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return ioctl_errno(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

void gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(__gem_close(fd, handle), 0);
}

int __prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	struct drm_prime_handle arg = { .handle = handle, .flags = flags, .fd = -1 };
	int ret = ioctl_errno(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &arg);

	if (!ret)
		*dmabuf = arg.fd;
	return ret;
}

int prime_handle_to_fd(int fd, uint32_t handle)
{
	int dmabuf = -1;
	int ret = __prime_handle_to_fd(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf);

	igt_assert_f(ret == 0, "PRIME_HANDLE_TO_FD: %s\n", strerror(-ret));
	return dmabuf;
}

int __prime_fd_to_handle(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle arg = { .fd = dmabuf };
	int ret = ioctl_errno(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &arg);

	if (!ret)
		*handle = arg.handle;
	return ret;
}

uint32_t prime_fd_to_handle(int fd, int dmabuf)
{
	uint32_t handle = 0;
	int ret = __prime_fd_to_handle(fd, dmabuf, &handle);

	igt_assert_f(ret == 0, "PRIME_FD_TO_HANDLE: %s\n", strerror(-ret));
	return handle;
}

int __igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags, uint32_t pad,
			uint32_t *fence)
{
	struct drm_vgem_fence_attach arg = {
		.handle = handle, .flags = flags, .pad = pad,
	};
	int ret = ioctl_errno(fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &arg);

	if (!ret && fence)
		*fence = arg.out_fence;
	return ret;
}

uint32_t igt_vgem_fence_attach(int fd, uint32_t handle, uint32_t flags)
{
	uint32_t fence = 0;
	int ret = __igt_vgem_fence_attach(fd, handle, flags, 0, &fence);

	igt_assert_f(ret == 0, "VGEM_FENCE_ATTACH: %s\n", strerror(-ret));
	return fence;
}

int __igt_vgem_fence_signal(int fd, uint32_t fence, uint32_t flags)
{
	struct drm_vgem_fence_signal arg = { .fence = fence, .flags = flags };

	return ioctl_errno(fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &arg);
}

void igt_vgem_fence_signal(int fd, uint32_t fence)
{
	igt_assert_eq(__igt_vgem_fence_signal(fd, fence, 0), 0);
}

int __vgem_destroy_dumb(int fd, uint32_t handle)
{
	struct drm_mode_destroy_dumb arg = { .handle = handle };

	return ioctl_errno(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &arg);
}

int __dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync arg = { .flags = flags };

	return ioctl_errno(dmabuf, DMA_BUF_IOCTL_SYNC, &arg);
}

int __dmabuf_export_sync_file(int dmabuf, uint32_t flags, int *sync_file)
{
	struct dma_buf_export_sync_file arg = { .flags = flags, .fd = -1 };
	int ret = ioctl_errno(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &arg);

	if (!ret)
		*sync_file = arg.fd;
	return ret;
}

short fd_ready(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	igt_assert_f(ret >= 0, "poll: %s\n", strerror(errno));
	igt_assert_f(!(pfd.revents & (POLLERR | POLLNVAL)),
		     "poll: revents 0x%x\n", pfd.revents);
	return ret ? (short)(pfd.revents & events) : 0;
}

void pattern_fill(void *ptr, size_t bytes, uint32_t seed)
{
	uint32_t *word = ptr;
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		word[i] = seed + (uint32_t)i * PATTERN_STEP;
}

void pattern_check(const void *ptr, size_t bytes, uint32_t seed)
{
	const uint32_t *word = ptr;
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		igt_assert_f(word[i] == seed + (uint32_t)i * PATTERN_STEP,
			     "word %zu is 0x%08x, expected 0x%08x\n", i, word[i],
			     seed + (uint32_t)i * PATTERN_STEP);
}

int send_fd(int sock, int fd)
{
	char data = 'f';
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;

	memset(control, 0, sizeof(control));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

int recv_fd(int sock)
{
	char data;
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -errno ? -errno : -EIO;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

int __gem_flink(int fd, uint32_t handle, uint32_t *name)
{
	struct drm_gem_flink arg = { .handle = handle };
	int ret = ioctl_errno(fd, DRM_IOCTL_GEM_FLINK, &arg);

	if (!ret)
		*name = arg.name;
	return ret;
}

uint32_t gem_flink(int fd, uint32_t handle)
{
	uint32_t name = 0;
	int ret = __gem_flink(fd, handle, &name);

	igt_assert_f(ret == 0, "GEM_FLINK of handle %u: %s\n", handle, strerror(-ret));
	return name;
}

uint64_t fd_inode(int fd)
{
	struct stat st;

	igt_assert_f(fstat(fd, &st) == 0, "fstat(%d): %s\n", fd, strerror(errno));
	return st.st_ino;
}

static void mount_debugfs(void)
{
	if (access("/sys/kernel/debug/dri", F_OK))
		igt_system("mount -t debugfs none /sys/kernel/debug 2>/dev/null");
}

int dmabuf_attachments(uint64_t ino)
{
	char line[512];
	bool found = false;
	int count = -ENOENT;
	FILE *f;

	mount_debugfs();
	f = fopen("/sys/kernel/debug/dma_buf/bufinfo", "re");
	if (!f)
		return -errno;
	/*
	 * One header line per buffer: size flags mode count exp_name ino name;
	 * then its fences and attached devices, closed by "Total N devices
	 * attached".
	 */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long size, line_ino;
		unsigned int flags, mode;
		long refs;
		char exporter[64];

		if (!found) {
			found = sscanf(line, "%llu %x %x %ld %63s %llu", &size, &flags,
				       &mode, &refs, exporter, &line_ino) == 6 &&
				line_ino == ino;
		} else if (sscanf(line, "Total %d devices attached", &count) == 1) {
			break;
		}
	}
	fclose(f);
	return found ? count : -ENOENT;
}

void igt_vgem_reload(unsigned int devices)
{
	int i, ret = 0;

	/*
	 * delete_module(2) rather than an exec of modprobe -r (seconds under
	 * TCG on a loaded host); a dma-buf closed just before may still be
	 * on its way out (delayed fput), hence the few retries.
	 */
	for (i = 0; i < 20 && drm_module_loaded("vgem"); i++) {
		ret = drm_module_unload("vgem");
		if (ret != -EAGAIN && ret != -EWOULDBLOCK)
			break;
		usleep(50 * 1000);
	}
	igt_assert_f(!drm_module_loaded("vgem"), "vgem still loaded: %s\n", strerror(-ret));
	igt_assert_eq(igt_system("modprobe vgem num_devices=%u", devices), 0);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int igt_vgem_card_minors(int *minors, int max)
{
	int count = 0, fd;
	struct dirent *de;
	char path[300];
	DIR *dir;

	dir = opendir("/dev/dri");
	igt_assert_f(dir, "no /dev/dri: %s\n", strerror(errno));
	while ((de = readdir(dir)) && count < max) {
		struct stat st;

		if (strncmp(de->d_name, "card", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (drm_driver_is(fd, "vgem") && fstat(fd, &st) == 0)
			minors[count++] = (int)minor(st.st_rdev);
		close(fd);
	}
	closedir(dir);
	qsort(minors, (size_t)count, sizeof(*minors), cmp_int);
	return count;
}

/*
 * The render node of the device whose primary node has minor @card, from
 * sysfs: render minors are not primary minors + 128 once a driver without
 * render nodes (vkms) holds a primary minor.
 */
static void render_node_of(int card, char *path, size_t len)
{
	char dirpath[80];
	struct dirent *de;
	DIR *dir;

	snprintf(dirpath, sizeof(dirpath), "/sys/dev/char/226:%d/device/drm", card);
	dir = opendir(dirpath);
	igt_assert_f(dir, "%s: %s\n", dirpath, strerror(errno));
	path[0] = '\0';
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "renderD", 7) == 0) {
			snprintf(path, len, "/dev/dri/%.16s", de->d_name);
			break;
		}
	}
	closedir(dir);
	igt_assert_f(path[0], "no render node next to card%d\n", card);
}

int igt_vgem_open_device(unsigned int index, enum drm_node_kind kind, int *minor_out)
{
	int minors[64], count, fd;
	char path[64];

	count = igt_vgem_card_minors(minors, 64);
	igt_assert_f(index < (unsigned int)count, "no vgem device %u (%d found)\n",
		     index, count);
	if (kind == DRM_NODE_KIND_RENDER)
		render_node_of(minors[index], path, sizeof(path));
	else
		snprintf(path, sizeof(path), "/dev/dri/card%d", minors[index]);
	fd = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	if (minor_out)
		*minor_out = minors[index];
	return fd;
}

int __dma_heap_alloc(const char *heap_path, size_t len, int *dmabuf)
{
	struct dma_heap_allocation_data arg = {
		.len = len, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = open(heap_path, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (heap < 0)
		return -errno;
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &arg))
		ret = -errno;
	else
		*dmabuf = (int)arg.fd;
	close(heap);
	return ret;
}

int __udmabuf_create(size_t len, int *memfd, int *dmabuf)
{
	struct udmabuf_create arg = { .size = len, .flags = UDMABUF_FLAGS_CLOEXEC };
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	int mem, buf, ret;

	if (dev < 0)
		return -errno;
	mem = memfd_create("vgem-udmabuf", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (mem < 0) {
		ret = -errno;
		goto close_dev;
	}
	if (ftruncate(mem, (off_t)len) || fcntl(mem, F_ADD_SEALS, F_SEAL_SHRINK)) {
		ret = -errno;
		goto close_mem;
	}
	arg.memfd = (uint32_t)mem;
	buf = ioctl(dev, UDMABUF_CREATE, &arg);
	if (buf < 0) {
		ret = -errno;
		goto close_mem;
	}
	close(dev);
	*memfd = mem;
	*dmabuf = buf;
	return 0;

close_mem:
	close(mem);
close_dev:
	close(dev);
	return ret;
}

int __igt_vgem_bo_create(int fd, struct drm_vgem_bo_create *arg)
{
	return ioctl(fd, DRM_IOCTL_VGEM_BO_CREATE, arg) ? -errno : 0;
}

int __igt_vgem_create_mib(int fd, unsigned int mib, uint32_t flags,
			  uint64_t alignment, struct drm_vgem_bo_create *arg)
{
	*arg = (struct drm_vgem_bo_create){
		.width = 1024, .height = 256 * mib, .bpp = 32,
		.flags = flags, .alignment = alignment,
	};
	return __igt_vgem_bo_create(fd, arg);
}

uint32_t igt_vgem_create_mib(int fd, unsigned int mib, uint32_t flags)
{
	struct drm_vgem_bo_create arg;
	int ret = __igt_vgem_create_mib(fd, mib, flags, 0, &arg);

	igt_assert_f(ret == 0, "BO_CREATE of %u MiB, flags 0x%x: %s\n", mib, flags,
		     strerror(-ret));
	igt_assert_eq(arg.size, mib * 1048576ull);
	igt_assert_eq(arg.pitch, 4096);
	return arg.handle;
}

int __igt_vgem_bo_info(int fd, uint32_t handle, struct drm_vgem_bo_info *info)
{
	*info = (struct drm_vgem_bo_info){ .handle = handle };
	return ioctl(fd, DRM_IOCTL_VGEM_BO_INFO, info) ? -errno : 0;
}

struct drm_vgem_bo_info igt_vgem_bo_info(int fd, uint32_t handle)
{
	struct drm_vgem_bo_info info;
	int ret = __igt_vgem_bo_info(fd, handle, &info);

	igt_assert_f(ret == 0, "BO_INFO of handle %u: %s\n", handle, strerror(-ret));
	return info;
}

/* No object has handle 0: the driver answers ENOENT if it has the ioctl. */
bool igt_vgem_has_extensions(int fd)
{
	struct drm_vgem_bo_info info;

	return __igt_vgem_bo_info(fd, 0, &info) == -ENOENT;
}

void igt_vgem_require_contiguous(int fd)
{
	struct drm_vgem_bo_create probe = { .flags = VGEM_BO_CONTIGUOUS };
	int ret;

	igt_require_f(igt_vgem_has_extensions(fd),
		      "the driver has no BO_INFO ioctl (upstream vgem?)\n");
	/* A zero-sized request: EINVAL with a context, ENODEV without. */
	ret = __igt_vgem_bo_create(fd, &probe);
	igt_require_f(ret != -ENODEV,
		      "vgem has no contiguous memory context (boot with movablecore=256M)\n");
	igt_assert_eq(ret, -EINVAL);

	/*
	 * A context whose memory is all reserved at boot: on the debug kernel
	 * KASAN's shadow and the CMA area take the top of memory, which is
	 * where movablecore= puts ZONE_MOVABLE.
	 */
	ret = __igt_vgem_create_mib(fd, 1, VGEM_BO_CONTIGUOUS, 0, &probe);
	igt_require_f(ret != -ENOMEM,
		      "vgem's contiguous memory context cannot give even 1 MiB "
		      "(ZONE_MOVABLE reserved at boot, e.g. KASAN's shadow: boot "
		      "with a larger movablecore=)\n");
	igt_assert_eq(ret, 0);
	gem_close(fd, probe.handle);
}
