/* SPDX-License-Identifier: MIT */
/*
 * libvgem: the user-space library of the vgem driver, on top of libdrm.
 *
 * libdrm gives the generic DRM calls; libvgem gives vgem's: finding and
 * opening vgem devices, dumb buffers, mappings, PRIME export and import,
 * CPU access brackets and fences on dma-bufs, and what the driver tells
 * about itself (version, capabilities, objects, statistics).
 *
 * Conventions, for every function below:
 * - Errors are negative errno values (-EINVAL, -ENOENT, ...); success is 0
 *   or a non-negative value the function documents. errno is not the way
 *   errors are reported (libc may still change it).
 * - The library keeps no global state: everything lives in the file
 *   descriptors and structures the caller owns. Functions may be called
 *   from any number of threads at once, provided two threads do not write
 *   the same caller-owned structure at the same time.
 * - File descriptors the library creates are close-on-exec.
 * - Structures with a @size member are extensible: the caller sets @size
 *   to sizeof() of the structure it was compiled with (VGEM_INIT() does it),
 *   the library fills no more than that and rejects sizes smaller than the
 *   first version of the structure with -EINVAL. New members only ever go
 *   at the end. Flags the library does not know are rejected with -EINVAL,
 *   so a flag can gain a meaning later without changing old behaviour.
 *
 * Link with `pkg-config --cflags --libs libvgem`. Only vgem_* symbols are
 * exported, with symbol versions: each call under the version that brought
 * it (VGEM_1.0; VGEM_1.1 for vgem_bo_create_aligned(); VGEM_1.3 for the
 * calls marked "since 1.3"). Version 1.2 added no call, only a flag, a
 * bit and members at the end of a structure ("since 1.2" below): a
 * library older than the header answers the flag with -EINVAL and leaves
 * the new members zero.
 */
#ifndef LIBVGEM_VGEM_H
#define LIBVGEM_VGEM_H

#include <stddef.h>
#include <stdint.h>

/**
 * VGEM_INIT() - declare-and-initialise helper for structures with a size
 * @type: the structure type, e.g. struct vgem_stats
 *
 * Example: struct vgem_stats st = VGEM_INIT(struct vgem_stats);
 *
 * Every other member is zero. In C it is a compound literal; C++ has
 * none, so there it is a function template doing the same (C++11).
 */
#if defined(__cplusplus)
template <typename T> inline T vgem_init_sized()
{
	T t{};

	t.size = sizeof(T);
	return t;
}
#define VGEM_INIT(type) (vgem_init_sized<type>())
#else
#define VGEM_INIT(type) ((type){ .size = sizeof(type) })
#endif

#if defined(__cplusplus)
extern "C" {
#endif

#define VGEM_LIB_VERSION_MAJOR	1
#define VGEM_LIB_VERSION_MINOR	3

/* ---- devices ------------------------------------------------------------ */

/** enum vgem_node - which DRM node of a device to open */
enum vgem_node {
	VGEM_NODE_PRIMARY = 0,	/* /dev/dri/cardN */
	VGEM_NODE_RENDER = 1,	/* /dev/dri/renderD128+N */
};

#define VGEM_PATH_MAX	64

/**
 * struct vgem_device_info - one vgem device found on the system
 * @size: set by the caller, see the conventions above.
 * @index: position among the vgem devices, ordered by primary minor: 0 is
 *	the first device the vgem module registered.
 * @primary_minor: minor of the primary node, or -1 when it has none.
 * @render_minor: minor of the render node, or -1 when it has none.
 * @primary_path: path of the primary node, "" when it has none.
 * @render_path: path of the render node, "" when it has none.
 */
struct vgem_device_info {
	uint32_t size;
	uint32_t index;
	int32_t primary_minor;
	int32_t render_minor;
	char primary_path[VGEM_PATH_MAX];
	char render_path[VGEM_PATH_MAX];
};

/**
 * vgem_device_count() - count the vgem devices of the system
 *
 * Lists the DRM nodes of /dev/dri, groups them by their sysfs device and
 * keeps the devices whose driver is "vgem" (asked through
 * DRM_IOCTL_VERSION on their render node).
 *
 * Return: the number of vgem devices (0 when none), or -errno.
 */
int vgem_device_count(void);

/**
 * vgem_device_get_info() - describe the vgem device at @index
 * @index: 0 .. vgem_device_count() - 1
 * @info: filled on success; @info->size must be set
 *
 * Return: 0, -ENODEV when there is no device at @index, -EINVAL for a bad
 * @info, or another -errno.
 */
int vgem_device_get_info(unsigned int index, struct vgem_device_info *info);

/**
 * vgem_open() - open a node of the vgem device at @index
 * @index: as in vgem_device_get_info()
 * @node: %VGEM_NODE_PRIMARY or %VGEM_NODE_RENDER
 *
 * The node is opened read-write and close-on-exec. Close it with close().
 *
 * Return: the file descriptor, -ENODEV when there is no such device or
 * node, -EINVAL for an unknown @node, or the -errno of open().
 */
int vgem_open(unsigned int index, enum vgem_node node);

/**
 * vgem_open_path() - open a DRM node by path and check that it is vgem
 * @path: e.g. "/dev/dri/renderD129"
 *
 * Return: the file descriptor (read-write, close-on-exec), -ENODEV when
 * the node belongs to another driver, -EINVAL for a NULL @path, or the
 * -errno of open().
 */
int vgem_open_path(const char *path);

/**
 * vgem_check_fd() - tell whether @fd is a node of a vgem device
 * @fd: any file descriptor
 *
 * Return: 0 when it is, -ENODEV when it is a DRM node of another driver
 * or not a DRM node at all, -EBADF for a bad @fd.
 */
int vgem_check_fd(int fd);

/**
 * vgem_device_index() - the index of the vgem device @fd is a node of
 * @fd: a vgem node, primary or render
 *
 * Return: the index (as in vgem_device_get_info()), -ENODEV when @fd is
 * not a vgem node, or another -errno.
 */
int vgem_device_index(int fd);

/**
 * struct vgem_version - the driver's DRM_IOCTL_VERSION answer
 * @size: set by the caller.
 * @major: driver major version.
 * @minor: driver minor version.
 * @patchlevel: driver patch level.
 * @name: driver name ("vgem").
 * @date: driver date, as the driver reports it.
 * @desc: driver description.
 */
struct vgem_version {
	uint32_t size;
	int32_t major;
	int32_t minor;
	int32_t patchlevel;
	char name[32];
	char date[32];
	char desc[96];
};

/**
 * vgem_get_version() - ask the driver behind @fd for its version
 * @fd: a vgem node
 * @version: filled on success; @version->size must be set
 *
 * Return: 0, -ENODEV when @fd is not vgem, -EINVAL for a bad @version, or
 * another -errno.
 */
int vgem_get_version(int fd, struct vgem_version *version);

/* Capabilities, as returned by vgem_get_caps(). */
#define VGEM_CAP_DUMB		(1ull << 0)	/* dumb buffers, mmap */
#define VGEM_CAP_PRIME_EXPORT	(1ull << 1)	/* handle -> dma-buf */
#define VGEM_CAP_PRIME_IMPORT	(1ull << 2)	/* dma-buf -> handle */
#define VGEM_CAP_FENCES		(1ull << 3)	/* VGEM_FENCE_ATTACH/SIGNAL */
/* The driver's extensions. */
#define VGEM_CAP_DMABUF_HASH	(1ull << 8)	/* one object per device and dma-buf */
#define VGEM_CAP_CONTIGUOUS	(1ull << 9)	/* VGEM_BO_CREATE_CONTIGUOUS can succeed */
#define VGEM_CAP_BO_INFO	(1ull << 10)	/* vgem_bo_get_info() works */

/**
 * vgem_get_caps() - what the driver behind @fd can do
 * @fd: a vgem node
 * @caps: receives a mask of VGEM_CAP_* bits
 *
 * PRIME comes from DRM_IOCTL_GET_CAP. The others are probed with calls
 * that cannot succeed: DUMB with a zero-sized CREATE_DUMB (-EINVAL means
 * the driver has dumb buffers; render nodes are refused them, so DUMB is
 * never set on a render node), FENCES by signalling fence id 0xffffffff,
 * which no file can own (-ENOENT means the driver has fences), BO_INFO by
 * asking about handle 0, which no object has (-ENOENT means the driver has
 * the BO_CREATE/BO_INFO extension), CONTIGUOUS by a zero-sized contiguous
 * BO_CREATE (-EINVAL means the driver has a contiguous memory context,
 * -ENODEV that it has none). CONTIGUOUS says that contiguous memory
 * exists, not that there is room left in it.
 *
 * Return: 0, -ENODEV when @fd is not vgem, -EINVAL for a NULL @caps, or
 * another -errno.
 */
int vgem_get_caps(int fd, uint64_t *caps);

/* ---- buffer objects ------------------------------------------------------ */

/**
 * struct vgem_bo - a buffer object as this library describes it
 * @handle: GEM handle, valid in the file it was created or imported in.
 * @width: width in pixels (0 for an imported object).
 * @height: height in lines (0 for an imported object).
 * @bpp: bits per pixel (0 for an imported object).
 * @pitch: bytes per line (0 for an imported object).
 * @size: size in bytes, a multiple of the page size.
 */
struct vgem_bo {
	uint32_t handle;
	uint32_t width;
	uint32_t height;
	uint32_t bpp;
	uint32_t pitch;
	uint32_t pad;
	uint64_t size;
};

/*
 * Flags of vgem_bo_create(). Without any, the buffer gets the memory the
 * driver's dumb_memory module parameter says (shmem by default), through
 * CREATE_DUMB. The flags choose it (DRM_IOCTL_VGEM_BO_CREATE):
 * CONTIGUOUS asks for physically contiguous memory (-ENODEV when the driver
 * has none, -ENOMEM when it is full, -EFBIG when the buffer is larger than
 * the driver's contig_max_buffer, -EDQUOT when the calling user's
 * contiguous buffers would hold more than contig_user_limit and it lacks
 * CAP_SYS_RESOURCE); with FALLBACK too, shmem memory is given instead of
 * those errors; SHMEM asks for shmem memory. A driver without the
 * extension (upstream vgem) answers any flag with -EOPNOTSUPP.
 * CONTIGUOUS with SHMEM, FALLBACK without CONTIGUOUS and any other bit
 * fail with -EINVAL.
 *
 * CPU caching (since 1.2). By default the CPU mappings of a buffer (through
 * the DRM node or its dma-buf) are write-combined, as upstream vgem's: what
 * the CPU writes reaches memory without cache maintenance, so no bracket is
 * needed around CPU access, but reading write-combined memory from the CPU
 * is slow (uncached: typically an order of magnitude slower than cached
 * memory on x86). CACHED, alone or with any of the memory flags above, asks
 * for write-back (cached) mappings instead. The contract then: every CPU
 * access goes between vgem_dmabuf_sync_begin() and vgem_dmabuf_sync_end()
 * on a dma-buf of the buffer (vgem_bo_export()), in which the driver writes
 * back the CPU caches for devices that do not snoop them; an access outside
 * a bracket may be seen stale by an importer, or see stale data. A driver
 * without cached buffers (upstream vgem, or ours before it had them)
 * answers CACHED with -EOPNOTSUPP. vgem_bo_get_info() reports
 * VGEM_BO_INFO_CACHED.
 */
#define VGEM_BO_CREATE_CONTIGUOUS	(1u << 0)
#define VGEM_BO_CREATE_SHMEM		(1u << 1)
#define VGEM_BO_CREATE_FALLBACK		(1u << 2)
#define VGEM_BO_CREATE_CACHED		(1u << 3)	/* since 1.2 */

/**
 * vgem_bo_create() - create a dumb buffer (DRM_IOCTL_MODE_CREATE_DUMB)
 * @fd: a vgem node
 * @width: width in pixels, > 0
 * @height: height in lines, > 0
 * @bpp: bits per pixel, > 0 (32 for XRGB8888)
 * @flags: 0, or VGEM_BO_CREATE_* flags (their comment says what each does)
 * @bo: filled on success: handle, the sizes, pitch and size
 *
 * Without flags, dumb buffers need a primary node: the DRM core of Linux
 * 6.1 refuses the dumb-buffer ioctls (create and map) on render nodes with
 * -EACCES. With flags the driver's BO_CREATE is used, which render nodes
 * may call too. A render-node client maps a buffer by exporting it and
 * mapping the dma-buf with vgem_dmabuf_map().
 *
 * Return: 0, -EINVAL for a zero or overflowing size or bad flags,
 * -EOPNOTSUPP for a flag the driver does not have, -ENODEV when no
 * contiguous memory exists, -EFBIG or -EDQUOT over a limit on contiguous
 * memory (see the flags), -EACCES on a render node without flags,
 * -ENOMEM, or the driver's -errno.
 */
int vgem_bo_create(int fd, uint32_t width, uint32_t height, uint32_t bpp,
		   uint32_t flags, struct vgem_bo *bo);

/**
 * vgem_bo_create_aligned() - vgem_bo_create() with an alignment (VGEM_1.1)
 * @fd: a vgem node
 * @width: as vgem_bo_create()
 * @height: as vgem_bo_create()
 * @bpp: as vgem_bo_create()
 * @flags: must hold VGEM_BO_CREATE_CONTIGUOUS when @alignment is not 0
 * @alignment: 0, or the alignment in bytes of the buffer's physical start:
 *	a power of two from the page size to 256 MiB
 * @bo: filled on success
 *
 * Return: as vgem_bo_create(); -EINVAL for a bad @alignment.
 */
int vgem_bo_create_aligned(int fd, uint32_t width, uint32_t height,
			   uint32_t bpp, uint32_t flags, uint64_t alignment,
			   struct vgem_bo *bo);

/**
 * struct vgem_bo_layout - how vgem_bo_create_format() laid a format out
 * (since 1.3)
 * @size: set by the caller to sizeof(struct vgem_bo_layout) (VGEM_INIT()).
 * @fourcc: the DRM_FORMAT_* asked for.
 * @modifier: DRM_FORMAT_MOD_LINEAR: rows of pixels one after the other.
 * @planes: 1, or 2 for the two-plane YUV formats (NV12, NV21, NV16, NV61,
 *	P010).
 * @pad: zero.
 * @pitches: bytes per line of each plane (unused ones 0).
 * @offsets: where each plane starts in the buffer, in bytes (plane 0 at 0),
 *	as a DRM framebuffer or EGL_EXT_image_dma_buf_import takes them.
 */
struct vgem_bo_layout {
	uint32_t size;
	uint32_t fourcc;
	uint64_t modifier;
	uint32_t planes;
	uint32_t pad;
	uint32_t pitches[4];
	uint32_t offsets[4];
};

/**
 * vgem_bo_create_format() - create a buffer for a DRM fourcc format, linear
 * (since 1.3)
 * @fd: a vgem node
 * @width: width in pixels, > 0 (even for the subsampled YUV formats)
 * @height: height in lines, > 0 (even for NV12, NV21 and P010)
 * @fourcc: a DRM_FORMAT_* (from libdrm's drm_fourcc.h): the 8- to 64-bit
 *	RGB formats, R8, R16, GR88, RG88, YUYV, UYVY, and the two-plane NV12,
 *	NV21, NV16, NV61 and P010
 * @modifier: DRM_FORMAT_MOD_LINEAR (or DRM_FORMAT_MOD_INVALID, taken as
 *	linear): vgem buffers have no tiling
 * @flags: as vgem_bo_create()'s
 * @bo: filled as by vgem_bo_create(), @bo->height being @height (a
 *	two-plane buffer holds more lines)
 * @layout: filled with the planes' pitches and offsets; @layout->size set
 *
 * A two-plane buffer is one object, the chroma plane after the luma plane
 * with the same pitch. Pass the dma-buf of @bo with @layout's pitches and
 * offsets to importers (GBM, EGL, KMS framebuffers).
 *
 * Return: 0, -EOPNOTSUPP for a format or modifier it does not lay out,
 * -EINVAL for a zero or odd size (where even is needed), bad flags or a
 * too small @layout->size, -EFBIG when a plane offset would not fit in 32
 * bits, or vgem_bo_create()'s errors.
 */
int vgem_bo_create_format(int fd, uint32_t width, uint32_t height, uint32_t fourcc,
			  uint64_t modifier, uint32_t flags, struct vgem_bo *bo,
			  struct vgem_bo_layout *layout);

/**
 * vgem_bo_create_dmabuf() - a new buffer as a dma-buf, in one call
 * (since 1.3)
 * @fd: a vgem node
 * @width: as for vgem_bo_create()
 * @height: as for vgem_bo_create()
 * @bpp: as for vgem_bo_create()
 * @flags: as for vgem_bo_create()
 * @export_flags: as for vgem_bo_export()
 * @bo: if not NULL, receives the buffer's sizes, pitch and size; its
 *	handle is 0: the dma-buf alone holds the buffer
 * @dmabuf: receives the dma-buf fd (close-on-exec)
 *
 * vgem_bo_create(), vgem_bo_export() and vgem_bo_close() of the handle:
 * what an allocator hands out is the dma-buf, and the buffer lives until
 * its last user closes it.
 *
 * Return: 0, -EINVAL for a NULL @dmabuf, or the errors of the three calls
 * (nothing is left behind on failure).
 */
int vgem_bo_create_dmabuf(int fd, uint32_t width, uint32_t height, uint32_t bpp,
			  uint32_t flags, uint32_t export_flags, struct vgem_bo *bo,
			  int *dmabuf);

/**
 * vgem_bo_close() - drop a GEM handle (DRM_IOCTL_GEM_CLOSE)
 * @fd: the node the handle belongs to
 * @handle: the handle
 *
 * The object lives on while mappings or dma-bufs refer to it.
 *
 * Return: 0, -EINVAL for an unknown handle, or another -errno.
 */
int vgem_bo_close(int fd, uint32_t handle);

/* Protections for vgem_bo_map(). */
#define VGEM_MAP_READ	(1u << 0)
#define VGEM_MAP_WRITE	(1u << 1)

/**
 * vgem_bo_map() - map a whole object in this process (MAP_DUMB + mmap)
 * @fd: the node the handle belongs to
 * @bo: the object; @bo->handle and @bo->size are used
 * @prot: VGEM_MAP_READ and/or VGEM_MAP_WRITE
 * @ptr: receives the address of the shared mapping
 *
 * Works on created and imported objects, on a primary node (-EACCES on a
 * render node, see vgem_bo_create()). Unmap with vgem_bo_unmap(). The
 * mapping is write-combined unless the object was created with
 * VGEM_BO_CREATE_CACHED, whose CPU accesses need the dma-buf brackets (see
 * the flags of vgem_bo_create()).
 *
 * Return: 0, -EINVAL for a bad argument, -ENOENT for an unknown handle,
 * -EACCES on a render node, or the -errno of mmap().
 */
int vgem_bo_map(int fd, const struct vgem_bo *bo, unsigned int prot,
		void **ptr);

/**
 * vgem_bo_unmap() - undo vgem_bo_map() or vgem_dmabuf_map()
 * @ptr: the address vgem_bo_map() or vgem_dmabuf_map() returned
 * @size: the object's size
 *
 * Return: 0, or -EINVAL for a NULL @ptr or zero @size.
 */
int vgem_bo_unmap(void *ptr, uint64_t size);

/**
 * vgem_dmabuf_map() - map a whole dma-buf in this process (mmap of its fd)
 * @dmabuf: a dma-buf fd; VGEM_MAP_WRITE needs one exported with
 *	%VGEM_EXPORT_RDWR
 * @size: the dma-buf's size (vgem_bo.size, or what vgem_bo_import() found)
 * @prot: VGEM_MAP_READ and/or VGEM_MAP_WRITE
 * @ptr: receives the address of the shared mapping
 *
 * Needs no DRM node at all, so it works for render-node clients. Bracket
 * CPU access with vgem_dmabuf_sync_begin() and vgem_dmabuf_sync_end():
 * the exporter may need it (a vgem buffer created with
 * VGEM_BO_CREATE_CACHED does; a write-combined one does not, but the
 * brackets also wait for fences and cost little). Unmap with
 * vgem_bo_unmap().
 *
 * Return: 0, -EINVAL for a bad argument, or the -errno of mmap() (-EACCES
 * for a writable mapping of a read-only dma-buf).
 */
int vgem_dmabuf_map(int dmabuf, uint64_t size, unsigned int prot, void **ptr);

/* Flags of vgem_bo_export(). */
#define VGEM_EXPORT_RDWR	(1u << 0)	/* a dma-buf that can be mapped writable */

/**
 * vgem_bo_export() - export an object as a dma-buf (drmPrimeHandleToFD)
 * @fd: the node the handle belongs to
 * @handle: the object's handle
 * @flags: 0 (read-only dma-buf) or %VGEM_EXPORT_RDWR
 * @dmabuf: receives the dma-buf fd (close-on-exec)
 *
 * The DRM core keeps one dma-buf per object: the first export decides
 * whether it is writable, later ones return new fds of the same file.
 *
 * Return: 0, -EINVAL for an unknown flag, -ENOENT for an unknown handle,
 * or another -errno.
 */
int vgem_bo_export(int fd, uint32_t handle, uint32_t flags, int *dmabuf);

/**
 * vgem_bo_import() - import a dma-buf (drmPrimeFDToHandle)
 * @fd: the vgem node that imports
 * @dmabuf: a dma-buf fd, from any exporter
 * @bo: filled on success: handle and size; width, height, bpp and pitch
 *	are 0 (a dma-buf does not carry them)
 *
 * Importing a dma-buf this device exported gives back the original object
 * (the handle the file already has, if any).
 *
 * Return: 0, -EBADF for a bad fd, -EINVAL when @dmabuf is not a dma-buf
 * or @bo is NULL, or another -errno.
 */
int vgem_bo_import(int fd, int dmabuf, struct vgem_bo *bo);

/**
 * struct vgem_bo_info - what the driver knows about one object
 * @size: set by the caller.
 * @flags: VGEM_BO_INFO_* bits: IMPORTED (made from a foreign dma-buf),
 *	EXPORTED (this device made a dma-buf of it), CONTIGUOUS (its memory
 *	is one physically contiguous extent, and stays so; for an import only
 *	told to a caller with CAP_SYS_ADMIN), CACHED (since 1.2: created with
 *	VGEM_BO_CREATE_CACHED, write-back CPU mappings).
 * @bo_size: the object's size in bytes.
 * @backing: "shmem", "contig", "import", as the driver's debugfs names
 *	them ("unknown" for a backing this library does not know).
 * @extents: (since 1.1) physically contiguous extents of the memory: 1 for
 *	a contiguous buffer; for a caller with CAP_SYS_ADMIN, the mapped
 *	scatter-list entries of an import and the runs of the pinned pages of
 *	a shmem buffer (0 while not pinned). That layout is the kernel's, not
 *	the caller's choice, and the driver tells it to nobody else: without
 *	CAP_SYS_ADMIN it is 0 for shmem and imported buffers.
 * @pad: zero.
 * @alignment: (since 1.1) the guaranteed alignment of a contiguous
 *	buffer's physical start in bytes; 0 for other buffers.
 */
struct vgem_bo_info {
	uint32_t size;
	uint32_t flags;
#define VGEM_BO_INFO_IMPORTED	(1u << 0)
#define VGEM_BO_INFO_EXPORTED	(1u << 1)
#define VGEM_BO_INFO_CONTIGUOUS	(1u << 2)
#define VGEM_BO_INFO_CACHED	(1u << 3)	/* since 1.2 */
	uint64_t bo_size;
	char backing[16];
	uint32_t extents;
	uint32_t pad;
	uint64_t alignment;
};

/**
 * vgem_bo_get_info() - ask the driver about the object behind a handle
 * @fd: the node the handle belongs to
 * @handle: the object's handle
 * @info: filled on success; @info->size must be set
 *
 * Needs the driver's object-info extension (VGEM_CAP_BO_INFO,
 * DRM_IOCTL_VGEM_BO_INFO); upstream vgem has none. Works on render nodes.
 * @info->size may be that of the first version of the structure (up to
 * @backing): the members after it are then not written.
 *
 * Return: 0, -EINVAL for a bad @info, -ENOENT for an unknown handle,
 * -ENODEV when @fd is not vgem, -EOPNOTSUPP when the driver cannot tell.
 */
int vgem_bo_get_info(int fd, uint32_t handle, struct vgem_bo_info *info);

/* ---- dma-bufs: CPU access, fences, sync_file ------------------------------ */

/* Access directions for the dma-buf calls and for fences. */
#define VGEM_ACCESS_READ	(1u << 0)
#define VGEM_ACCESS_WRITE	(1u << 1)
#define VGEM_ACCESS_RW		(VGEM_ACCESS_READ | VGEM_ACCESS_WRITE)

/**
 * vgem_dmabuf_sync_begin() - start CPU access (DMA_BUF_IOCTL_SYNC START)
 * @dmabuf: a dma-buf fd
 * @access: VGEM_ACCESS_* bits, not 0
 *
 * Waits for the fences that conflict with @access, then lets the exporter
 * make the CPU's view coherent. Pair with vgem_dmabuf_sync_end().
 *
 * Return: 0, -EINVAL for a bad @access, -ENOTTY when @dmabuf is not a
 * dma-buf, or another -errno.
 */
int vgem_dmabuf_sync_begin(int dmabuf, unsigned int access);

/**
 * vgem_dmabuf_sync_end() - end CPU access (DMA_BUF_IOCTL_SYNC END)
 * @dmabuf: a dma-buf fd
 * @access: the bits given to vgem_dmabuf_sync_begin()
 *
 * Return: as vgem_dmabuf_sync_begin().
 */
int vgem_dmabuf_sync_end(int dmabuf, unsigned int access);

/**
 * vgem_fence_attach() - attach an unsignalled vgem fence to an object
 * @fd: the node the handle belongs to
 * @handle: the object's handle
 * @access: %VGEM_ACCESS_WRITE for a write (exclusive) fence, which readers
 *	wait for; %VGEM_ACCESS_READ for a read (shared) fence, which only
 *	writers wait for
 * @fence: receives the fence id, for vgem_fence_signal()
 *
 * The driver signals a fence nobody signals after about ten seconds.
 *
 * Return: 0, -EINVAL for a bad @access, -ENOENT for an unknown handle,
 * -EBUSY when a conflicting fence is pending, or another -errno.
 */
int vgem_fence_attach(int fd, uint32_t handle, unsigned int access,
		      uint32_t *fence);

/**
 * vgem_fence_signal() - signal a fence made by vgem_fence_attach()
 * @fd: the node the fence was made on
 * @fence: its id
 *
 * Return: 0, -ENOENT for an unknown or already signalled id, -ETIMEDOUT
 * when the fence had expired on its own, or another -errno.
 */
int vgem_fence_signal(int fd, uint32_t fence);

/**
 * vgem_dmabuf_wait() - wait until @access to a dma-buf would not block
 * @dmabuf: a dma-buf fd
 * @access: %VGEM_ACCESS_READ waits for write fences; %VGEM_ACCESS_WRITE
 *	(or RW) waits for all fences
 * @timeout_ms: how long to wait; 0 only checks, negative waits forever
 *
 * Return: 0 when idle for @access, -ETIMEDOUT when the time ran out,
 * -EINVAL for a bad @access, -EBADF for a bad fd, or the -errno of poll().
 */
int vgem_dmabuf_wait(int dmabuf, unsigned int access, int timeout_ms);

/**
 * vgem_dmabuf_export_sync_file() - the fences of a dma-buf as a sync_file
 * @dmabuf: a dma-buf fd
 * @access: %VGEM_ACCESS_READ: the fences a reader waits for (writes);
 *	%VGEM_ACCESS_WRITE or RW: the fences a writer waits for (all)
 * @sync_file: receives the sync_file fd (close-on-exec)
 *
 * DMA_BUF_IOCTL_EXPORT_SYNC_FILE (Linux 6.0 and later).
 *
 * Return: 0, -EINVAL for a bad @access, -ENOTTY on older kernels or a fd
 * that is not a dma-buf, or another -errno.
 */
int vgem_dmabuf_export_sync_file(int dmabuf, unsigned int access,
				 int *sync_file);

/**
 * vgem_dmabuf_import_sync_file() - add a sync_file's fences to a dma-buf
 * (since 1.3)
 * @dmabuf: a dma-buf fd
 * @access: %VGEM_ACCESS_READ: the fences become read fences (a writer
 *	waits for them); %VGEM_ACCESS_WRITE or RW: write fences (every user
 *	waits for them)
 * @sync_file: a sync_file fd, e.g. from another driver or from
 *	vgem_dmabuf_export_sync_file(); it stays open and the caller's
 *
 * DMA_BUF_IOCTL_IMPORT_SYNC_FILE (Linux 6.0 and later): how a client
 * whose work the kernel does not see (a software renderer, another API)
 * makes the buffer's other users wait for it.
 *
 * Return: 0, -EINVAL for a bad @access or a negative @sync_file (or what
 * the kernel refuses: not a sync_file), -ENOTTY on older kernels or a fd
 * that is not a dma-buf, or another -errno.
 */
int vgem_dmabuf_import_sync_file(int dmabuf, unsigned int access, int sync_file);

/**
 * vgem_sync_file_wait() - wait for a sync_file to signal
 * @sync_file: a sync_file fd
 * @timeout_ms: how long to wait; 0 only checks, negative waits forever
 *
 * Return: 0 when signalled, -ETIMEDOUT when the time ran out, -EBADF for
 * a bad fd, or the -errno of poll().
 */
int vgem_sync_file_wait(int sync_file, int timeout_ms);

/* ---- what the driver tells: objects and statistics ------------------------ */

/**
 * struct vgem_object_entry - one object of a device, from debugfs
 * @size: set by the caller in entries[0] for the whole array.
 * @pad: zero.
 * @bo_size: the object's size in bytes.
 * @handles: how many GEM handles name it, over all files.
 * @refs: its reference count.
 * @pins: pins of its pages (mappings, attachments, kernel mappings).
 * @vmaps: kernel mappings.
 * @backing: "shmem", "import", ...
 * @state: "exported", "imported" or "-".
 */
struct vgem_object_entry {
	uint32_t size;
	uint32_t pad;
	uint64_t bo_size;
	uint32_t handles;
	uint32_t refs;
	uint32_t pins;
	uint32_t vmaps;
	char backing[16];
	char state[16];
};

/**
 * vgem_list_objects() - the live objects of the device @fd is a node of
 * @fd: a vgem node
 * @entries: array of @max entries, or NULL when @max is 0; entries[0].size
 *	gives the size of every element
 * @max: how many entries fit
 *
 * A root-only diagnostic, not a stable interface: it reads
 * /sys/kernel/debug/dri/<primary minor>/vgem_objects, so it needs debugfs
 * mounted and the right to read it (root). Columns the library does not
 * know are skipped. The listing is a snapshot. The totals, for any user,
 * are vgem_get_stats()'s.
 *
 * Return: the number of objects of the device (which may exceed @max; only
 * @max are filled), -ENOENT when debugfs or the file is missing, -EACCES,
 * -ENODEV when @fd is not vgem, -EINVAL for bad arguments, -EPROTO when
 * the file is not in a format this library reads.
 */
int vgem_list_objects(int fd, struct vgem_object_entry *entries,
		      unsigned int max);

/**
 * struct vgem_stats - statistics of one vgem device
 * @size: set by the caller.
 * @valid: VGEM_STATS_* bits: which groups of members below hold figures.
 *	A group the driver does not provide yet is left zero and its bit
 *	clear: report it as "not available", not as 0.
 * @objects: live objects, over all files and users of the device
 *	(VGEM_STATS_OBJECTS).
 * @bytes: their total size (VGEM_STATS_OBJECTS).
 * @imported: objects made from a foreign dma-buf (VGEM_STATS_OBJECTS).
 * @exported: objects exported as a dma-buf (VGEM_STATS_OBJECTS).
 * @pinned: objects whose pages are pinned: a mapping, a dma-buf
 *	attachment, a kernel mapping (VGEM_STATS_OBJECTS).
 * @hash_lookups: dma-buf hash lookups: imports (PRIME_FD_TO_HANDLE) on
 *	the device since it was made (VGEM_STATS_HASH).
 * @hash_hits: lookups that found the device's object (VGEM_STATS_HASH).
 * @cma_bytes_used: bytes of this device's contiguous buffers
 *	(VGEM_STATS_CMA).
 * @cma_bytes_total: size of the contiguous memory context the driver
 *	allocates them from, shared by all devices (VGEM_STATS_CMA; clear
 *	when the driver has no context).
 * @contig_max_buffer: (since 1.2) the largest contiguous buffer the driver
 *	gives, in bytes (its contig_max_buffer parameter; larger requests
 *	fail with -EFBIG) (VGEM_STATS_CONTIG_LIMITS).
 * @contig_user_limit: (since 1.2) the contiguous memory the buffers one
 *	user created may hold at once, in bytes (contig_user_limit; beyond it
 *	-EDQUOT, unless the caller has CAP_SYS_RESOURCE)
 *	(VGEM_STATS_CONTIG_LIMITS). Both limits are in bytes, also where the
 *	parameter is a percentage of the context (0 when there is none).
 * @contig_over_max_buffer: (since 1.2) contiguous requests refused for
 *	@contig_max_buffer, -EFBIG or shmem by VGEM_BO_CREATE_FALLBACK
 *	(VGEM_STATS_CONTIG_LIMITS).
 * @contig_over_user_limit: (since 1.2) requests refused for
 *	@contig_user_limit (VGEM_STATS_CONTIG_LIMITS).
 *
 * The limits and counters of the VGEM_STATS_CONTIG_LIMITS group (since
 * 1.2) are the module's, shared by all its devices.
 */
struct vgem_stats {
	uint32_t size;
	uint32_t valid;
#define VGEM_STATS_OBJECTS	(1u << 0)
#define VGEM_STATS_HASH		(1u << 1)
#define VGEM_STATS_CMA		(1u << 2)
#define VGEM_STATS_CONTIG_LIMITS	(1u << 3)	/* since 1.2 */
	uint64_t objects;
	uint64_t bytes;
	uint64_t imported;
	uint64_t exported;
	uint64_t pinned;
	uint64_t hash_lookups;
	uint64_t hash_hits;
	uint64_t cma_bytes_used;
	uint64_t cma_bytes_total;
	/* since 1.2 */
	uint64_t contig_max_buffer;
	uint64_t contig_user_limit;
	uint64_t contig_over_max_buffer;
	uint64_t contig_over_user_limit;
};

/**
 * vgem_get_stats() - statistics of the device @fd is a node of
 * @fd: a vgem node
 * @stats: filled on success; @stats->size must be set
 *
 * Asks the driver (DRM_IOCTL_VGEM_STATS), which answers anyone who may
 * open the device, on a render node as on a primary node: no root, no
 * debugfs. The figures are the device's and the module's totals, nothing
 * about one user or one file. @stats->size may be that of an earlier
 * version of the structure (up to @cma_bytes_total): the members after it
 * are then not written, and the bits of their groups stay clear.
 *
 * Libraries before the ioctl read the driver's debugfs files (root only),
 * which the driver keeps for diagnostics.
 *
 * Return: 0, -EINVAL for a bad @stats, -ENODEV when @fd is not a vgem
 * node, -EOPNOTSUPP on a driver without the statistics ioctl (upstream
 * vgem: use its debugfs files as root, if any), or another -errno.
 */
int vgem_get_stats(int fd, struct vgem_stats *stats);

#if defined(__cplusplus)
}
#endif

#endif /* LIBVGEM_VGEM_H */
