// SPDX-License-Identifier: MIT
/*
 * vgemctl demo: a producer process and a consumer process share a buffer.
 *
 * The producer creates a dumb buffer on vgem device 0, attaches a write
 * fence (it plays a GPU that is about to render), exports the buffer as a
 * dma-buf and passes the fd over a unix socket (SCM_RIGHTS). It then draws
 * the image through its own mapping and signals the fence. The consumer
 * waits for the fence through the dma-buf, imports the dma-buf on device 0
 * (its own file: the driver gives back the very object) and on device 1 (a
 * new object whose backing is the dma-buf), maps both, checks every pixel
 * between DMA_BUF_IOCTL_SYNC brackets, and writes the image seen through
 * device 1 to a PNG file. Statistics of the devices, and the PASR section
 * map and power estimate when pasr.ko is loaded, are printed before, while
 * both imports are alive, and after everything is closed. Both sides say
 * what memory the buffer has (the driver's BO_INFO): a dumb buffer is
 * physically contiguous when vgem was loaded with
 * dumb_memory=contiguous-or-shmem and has a contiguous memory context.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vgem.h"
#include "vgemctl.h"

/* What the producer tells the consumer along with the fd. */
struct demo_msg {
	uint32_t width, height, pitch;
	uint64_t size;
};

/* ---- the image: background gradient, colour bars, "VGEM", checkerboard --- */

static const uint8_t font[4][7] = {	/* 5x7 glyphs, bit 4 = left column */
	{ 0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04 },	/* V */
	{ 0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f },	/* G */
	{ 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f },	/* E */
	{ 0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11 },	/* M */
};

static const uint32_t bars[8] = {
	0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000,
};

/* The XRGB8888 value of pixel (x, y) of a w x h image; both sides use it. */
static uint32_t demo_pixel(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	uint32_t scale = w / 48 ? w / 48 : 1;	/* text: 4 glyphs of 6 columns each */
	uint32_t tx0 = (w - 24 * scale) / 2, ty0 = h * 2 / 5;

	if (y < h / 4)
		return bars[x * 8 / w];
	if (x >= tx0 && y >= ty0 && x < tx0 + 24 * scale && y < ty0 + 7 * scale) {
		uint32_t col = (x - tx0) / scale, row = (y - ty0) / scale;

		if (col % 6 < 5 && (font[col / 6][row] >> (4 - col % 6) & 1))
			return 0xffffff;
	}
	if (y >= h * 7 / 8) {
		uint32_t cell = h / 16 ? h / 16 : 1;

		return ((x / cell + y / cell) & 1) ? 0xf0f0f0 : 0x202020;
	}
	/* dark blue to teal, top to bottom */
	return (0x10 << 16) | ((0x20 + 0x90 * y / h) << 8) | (0x60 + 0x40 * y / h);
}

static void draw(uint8_t *map, const struct vgem_bo *bo)
{
	uint32_t x, y;

	for (y = 0; y < bo->height; y++) {
		uint32_t *line = (uint32_t *)(map + (size_t)y * bo->pitch);

		for (x = 0; x < bo->width; x++)
			line[x] = demo_pixel(x, y, bo->width, bo->height);
	}
}

static uint64_t check(const uint8_t *map, const struct demo_msg *m)
{
	uint64_t wrong = 0;
	uint32_t x, y;

	for (y = 0; y < m->height; y++) {
		const uint32_t *line = (const uint32_t *)(map + (size_t)y * m->pitch);

		for (x = 0; x < m->width; x++)
			wrong += (line[x] & 0xffffff) != demo_pixel(x, y, m->width, m->height);
	}
	return wrong;
}

/* ---- helpers -------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int send_fd(int sock, int fd, const void *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == (ssize_t)len ? 0 : -errno;
}

static int recv_fd(int sock, void *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != (ssize_t)len)
		return -EPROTO;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EPROTO;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * Writes the image to @fd, the output opened before the demo (open_output()),
 * from its start: what was in the file is replaced. @fd stays open.
 */
static int write_png(int fd, const uint8_t *map, const struct demo_msg *m)
{
	png_structp png = NULL;
	png_infop info = NULL;
	uint8_t *row = NULL;
	uint32_t x, y;
	int own_fd;
	FILE *f;

	if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET))
		return -errno;
	own_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own_fd < 0)
		return -errno;
	f = fdopen(own_fd, "wb");
	if (!f) {
		close(own_fd);
		return -errno;
	}
	row = malloc((size_t)m->width * 3);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!row || !info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		fclose(f);
		return -EIO;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, m->width, m->height, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < m->height; y++) {
		const uint32_t *line = (const uint32_t *)(map + (size_t)y * m->pitch);

		for (x = 0; x < m->width; x++) {
			row[3 * x] = line[x] >> 16;
			row[3 * x + 1] = line[x] >> 8;
			row[3 * x + 2] = line[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return fclose(f) ? -errno : 0;
}

/* mkdir -p of the directory part of @path. */
static void make_parent(const char *path)
{
	char dir[PATH_MAX];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
}

/* The PNG the demo writes, opened before it starts. */
struct demo_output {
	const char *path;
	int fd;
	bool created;		/* by open_output() */
	bool written;		/* the image is in it */
};

/*
 * Opens @out->path for writing before anything else is done, so that a path
 * that cannot be written fails at once, not after the whole demo. The file is
 * created (with its missing directories) or, when it exists, left as it is
 * until write_png() replaces it.
 */
static int open_output(struct demo_output *out)
{
	make_parent(out->path);
	out->fd = open(out->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	out->created = out->fd >= 0;
	if (out->fd < 0 && errno == EEXIST)
		out->fd = open(out->path, O_WRONLY | O_CLOEXEC);
	return out->fd < 0 ? -errno : 0;
}

/* Closes the output; a file open_output() created goes if no image was written. */
static void close_output(struct demo_output *out)
{
	close(out->fd);
	if (out->created && !out->written)
		unlink(out->path);
}

/*
 * Says what memory the object of @handle on @fd has, as the driver tells
 * (VGEM_BO_INFO): its backing and how many physically contiguous extents.
 */
static void print_memory(const char *who, int fd, uint32_t handle)
{
	struct vgem_bo_info info = VGEM_INIT(struct vgem_bo_info);
	int ret;

	ret = vgem_bo_get_info(fd, handle, &info);
	if (ret) {
		printf("%s: its memory is not known: %s\n", who, strerror(-ret));
		return;
	}
	if (info.flags & VGEM_BO_INFO_CONTIGUOUS)
		printf("%s: memory: %s, physically contiguous (%u extent)\n", who,
		       info.backing, info.extents);
	else if (info.extents)
		printf("%s: memory: %s, not contiguous: %u extents\n", who,
		       info.backing, info.extents);
	else
		printf("%s: memory: %s, not known to be contiguous\n", who, info.backing);
}

/* The statistics of @devices devices and the PASR state, after @indent. */
static void print_state(int devices, const char *indent)
{
	int i;

	for (i = 0; i < devices; i++)
		vgemctl_print_stats(i, indent);
	vgemctl_print_pasr(indent, true);
}

#define FAIL(what, err) do { \
	fprintf(stderr, "%s: %s: %s\n", who, what, strerror(-(err))); \
	return EXIT_FAIL; \
} while (0)

/* ---- producer --------------------------------------------------------------- */

static int producer(int sock, uint32_t width, uint32_t height)
{
	const char *who = "producer";
	struct demo_msg msg;
	struct vgem_bo bo;
	uint32_t fence;
	int fd, dmabuf, ret;
	void *map;
	char ack;

	fd = vgem_open(0, VGEM_NODE_PRIMARY);
	if (fd < 0)
		FAIL("open device 0", fd);
	ret = vgem_bo_create(fd, width, height, 32, 0, &bo);
	if (ret)
		FAIL("create", ret);
	printf("producer [pid %d]: device 0: created a %ux%u XRGB8888 dumb buffer, "
	       "handle %u, pitch %u, %" PRIu64 " bytes\n", (int)getpid(),
	       bo.width, bo.height, bo.handle, bo.pitch, bo.size);
	print_memory(who, fd, bo.handle);
	ret = vgem_fence_attach(fd, bo.handle, VGEM_ACCESS_WRITE, &fence);
	if (ret)
		FAIL("fence attach", ret);
	printf("producer: attached write fence %u: readers wait until the drawing is done\n",
	       fence);
	ret = vgem_bo_export(fd, bo.handle, VGEM_EXPORT_RDWR, &dmabuf);
	if (ret)
		FAIL("export", ret);
	msg = (struct demo_msg){ bo.width, bo.height, bo.pitch, bo.size };
	ret = send_fd(sock, dmabuf, &msg, sizeof(msg));
	if (ret)
		FAIL("send the dma-buf", ret);
	printf("producer: exported it as dma-buf fd %d and sent it over a unix socket\n",
	       dmabuf);
	close(dmabuf);
	fflush(stdout);

	ret = vgem_bo_map(fd, &bo, VGEM_MAP_WRITE, &map);
	if (ret)
		FAIL("map", ret);
	usleep(200 * 1000);	/* a slow GPU: the consumer sees the fence pending */
	draw(map, &bo);
	vgem_bo_unmap(map, bo.size);
	ret = vgem_fence_signal(fd, fence);
	if (ret)
		FAIL("fence signal", ret);
	printf("producer: drew the image through its mapping, signalled fence %u\n", fence);
	fflush(stdout);

	/* Keep the buffer until the consumer is done, then let it go. */
	if (read(sock, &ack, 1) != 1)
		fprintf(stderr, "producer: the consumer went away\n");
	vgem_bo_close(fd, bo.handle);
	close(fd);
	return EXIT_OK;
}

/* ---- consumer --------------------------------------------------------------- */

/* Imports @dmabuf on device @index, maps it and checks it; -1 on errors. */
static int import_and_check(const char *who, unsigned int index, int dmabuf,
			    const struct demo_msg *m, int *fd_out, void **map_out)
{
	struct vgem_bo bo;
	uint64_t wrong;
	int fd, ret;

	fd = vgem_open(index, VGEM_NODE_PRIMARY);
	if (fd < 0)
		FAIL("open", fd);
	ret = vgem_bo_import(fd, dmabuf, &bo);
	if (ret)
		FAIL("import", ret);
	ret = vgem_bo_map(fd, &bo, VGEM_MAP_READ, map_out);
	if (ret)
		FAIL("map", ret);
	ret = vgem_dmabuf_sync_begin(dmabuf, VGEM_ACCESS_READ);
	if (ret)
		FAIL("sync begin", ret);
	wrong = check(*map_out, m);
	vgem_dmabuf_sync_end(dmabuf, VGEM_ACCESS_READ);
	printf("%s: imported as handle %u (%" PRIu64 " bytes), mapped, "
	       "%u pixels checked, %" PRIu64 " wrong\n", who, bo.handle, bo.size,
	       m->width * m->height, wrong);
	print_memory(who, fd, bo.handle);
	*fd_out = fd;
	return wrong ? EXIT_MISMATCH : EXIT_OK;
}

static int consumer(int sock, struct demo_output *png, int devices)
{
	const char *who = "consumer";
	void *maps[2] = { NULL, NULL };
	int fds[2] = { -1, -1 };
	char resolved[PATH_MAX];
	int status = EXIT_OK;
	struct demo_msg m;
	int dmabuf, ret, i;
	double t0;

	dmabuf = recv_fd(sock, &m, sizeof(m));
	if (dmabuf < 0)
		FAIL("receive the dma-buf", dmabuf);
	printf("consumer [pid %d]: received dma-buf fd %d: %ux%u, pitch %u, %" PRIu64 " bytes\n",
	       (int)getpid(), dmabuf, m.width, m.height, m.pitch, m.size);
	t0 = now_ms();
	ret = vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_READ, 0);
	printf("consumer: dma-buf %s\n", ret == -ETIMEDOUT ?
	       "busy (write fence pending): waiting for it" : "already idle");
	ret = vgem_dmabuf_wait(dmabuf, VGEM_ACCESS_READ, 15000);
	if (ret)
		FAIL("wait for the producer's fence", ret);
	printf("consumer: fence signalled, dma-buf idle after %.0f ms\n", now_ms() - t0);

	for (i = 0; i < devices; i++) {
		char name[32];

		snprintf(name, sizeof(name), "consumer: device %d", i);
		ret = import_and_check(name, i, dmabuf, &m, &fds[i], &maps[i]);
		if (ret)
			status = ret;
		if (ret == EXIT_FAIL)
			goto out;
	}
	if (devices < 2)
		printf("consumer: no second vgem device (modprobe vgem num_devices=2): "
		       "cross-device import skipped\n");

	printf("-- statistics while both sides hold the buffer:\n");
	print_state(devices, "   ");

	ret = write_png(png->fd, maps[devices - 1], &m);
	if (ret) {
		fprintf(stderr, "consumer: cannot write %s: %s\n", png->path, strerror(-ret));
		status = EXIT_FAIL;
		goto out;
	}
	png->written = true;
	if (!realpath(png->path, resolved))
		snprintf(resolved, sizeof(resolved), "%s", png->path);
	printf("consumer: wrote the image as seen through device %d to %s\n",
	       devices - 1, resolved);
out:
	for (i = 0; i < 2; i++) {
		if (maps[i])
			vgem_bo_unmap(maps[i], m.size);
		if (fds[i] >= 0)
			close(fds[i]);
	}
	close(dmabuf);
	if (write(sock, "", 1) != 1)
		status = EXIT_FAIL;
	return status;
}

static const char demo_help[] =
	"Usage: vgemctl demo [-o FILE] [--width W] [--height H]\n"
	"A producer process draws an image into a vgem buffer and passes it as a\n"
	"dma-buf over a unix socket to a consumer, which imports it on vgem device\n"
	"0 and on device 1 (modprobe vgem num_devices=2), checks every pixel and\n"
	"writes the image to FILE as PNG. The statistics of the devices and the\n"
	"PASR figures (when pasr.ko is loaded) are printed before, while both\n"
	"processes hold the buffer, and after; the PASR section map is root's.\n"
	"Both processes say whether the buffer is physically contiguous (it is\n"
	"when vgem has a context and dumb_memory=contiguous-or-shmem).\n"
	"  -o, --output FILE   the PNG (default vgem-demo.png), opened before the\n"
	"                      demo starts; created with its directories\n"
	"      --width W       image width, 48..8192 (default 640)\n"
	"      --height H      image height, 16..8192 (default 480)\n"
	"  -h, --help          this text\n"
	"Exit status: 0 the consumer saw the image, 1 an operation failed,\n"
	"2 usage error, 3 no vgem device, 4 the consumer saw other pixels.\n";

static int parse_dim(const char *s, long lo, long hi, uint32_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi) {
		fprintf(stderr, "vgemctl demo: bad size '%s' (%ld..%ld)\n", s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

int vgemctl_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "width", required_argument, NULL, 'W' },
		{ "height", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_output png = { .path = "vgem-demo.png", .fd = -1 };
	uint32_t width = 640, height = 480;
	int sv[2], count, devices, status, child_status, ret, c;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': png.path = optarg; break;
		case 'W': if (parse_dim(optarg, 48, 8192, &width)) return EXIT_USAGE; break;
		case 'H': if (parse_dim(optarg, 16, 8192, &height)) return EXIT_USAGE; break;
		case 'h': printf("%s", demo_help); return EXIT_OK;
		default: fprintf(stderr, "%s", demo_help); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s", demo_help);
		return EXIT_USAGE;
	}
	ret = open_output(&png);
	if (ret) {
		fprintf(stderr, "vgemctl demo: cannot write %s: %s\n", png.path,
			strerror(-ret));
		return EXIT_FAIL;
	}
	count = vgem_device_count();
	if (count <= 0) {
		fprintf(stderr, "vgemctl demo: no vgem device (modprobe vgem num_devices=2)\n");
		close_output(&png);
		return count < 0 ? EXIT_FAIL : EXIT_NODEV;
	}
	devices = count >= 2 ? 2 : 1;

	printf("== vgemctl demo: %d vgem device(s); statistics before:\n", count);
	print_state(devices, "   ");
	fflush(stdout);

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		perror("vgemctl demo: socketpair");
		close_output(&png);
		return EXIT_FAIL;
	}
	pid = fork();
	if (pid < 0) {
		perror("vgemctl demo: fork");
		close(sv[0]);
		close(sv[1]);
		close_output(&png);
		return EXIT_FAIL;
	}
	if (pid == 0) {
		close(sv[0]);
		close(png.fd);
		status = producer(sv[1], width, height);
		fflush(stdout);
		_exit(status);
	}
	close(sv[1]);
	status = consumer(sv[0], &png, devices);
	close(sv[0]);
	if (waitpid(pid, &child_status, 0) != pid || !WIFEXITED(child_status) ||
	    WEXITSTATUS(child_status) != EXIT_OK) {
		fprintf(stderr, "vgemctl demo: the producer failed\n");
		if (status == EXIT_OK)
			status = EXIT_FAIL;
	}
	close_output(&png);

	printf("-- statistics after both processes closed everything:\n");
	print_state(devices, "   ");
	printf("== demo %s\n", status == EXIT_OK ? "passed" :
	       status == EXIT_MISMATCH ? "FAILED: pixels differ" : "FAILED");
	return status;
}
