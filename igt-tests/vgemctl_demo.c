// SPDX-License-Identifier: MIT
/*
 * vgemctl_demo: where `vgemctl demo` writes its PNG. The output is opened
 * before the demo starts, so a path that cannot be written fails at once
 * (exit 1, nothing printed on stdout, no buffer made) instead of after the
 * whole demo; a file the demo created is removed when no image went into it;
 * an existing file is replaced by the image.
 *
 * Subtests reload vgem with num_devices=2 and no contiguous memory context
 * (shmem buffers: quick), and unload it where they need no device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/igt.h"
#include "lib/igt_module.h"
#include "lib/igt_vgemctl.h"

#define OUT_SIZE	65536
#define NO_CONTEXT	"cma_context=vgemctl-demo-none"
#define DIR		"/tmp/vgemctl_demo"

static char out[OUT_SIZE];

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static off_t file_size(const char *path)
{
	struct stat st;

	igt_assert_f(stat(path, &st) == 0, "%s: %s\n", path, strerror(errno));
	return st.st_size;
}

/* Asserts that @path holds a PNG of @width x @height (its IHDR chunk). */
static void assert_png(const char *path, uint32_t width, uint32_t height)
{
	static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint8_t head[24];
	uint32_t w, h;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));
	igt_assert_eq(read(fd, head, sizeof(head)), (ssize_t)sizeof(head));
	close(fd);
	igt_assert_f(!memcmp(head, signature, sizeof(signature)), "%s is not a PNG\n", path);
	igt_assert(!memcmp(head + 12, "IHDR", 4));
	w = (uint32_t)head[16] << 24 | head[17] << 16 | head[18] << 8 | head[19];
	h = (uint32_t)head[20] << 24 | head[21] << 16 | head[22] << 8 | head[23];
	igt_assert_eq(w, width);
	igt_assert_eq(h, height);
}

/* A directory of root's that others may enter but not write. */
static void make_dirs(void)
{
	igt_assert_eq(igt_system("rm -rf " DIR " && mkdir -p " DIR "/readonly && "
				 "chmod 0755 " DIR " && chmod 0555 " DIR "/readonly"), 0);
}

/*
 * Regression: the demo ran to its end (producer, consumer, every pixel
 * checked) and only then failed to open its output. Now the output is
 * opened first: exit 1 with nothing on stdout, so no demo ran.
 */
static void test_bad_output_fails_first(void)
{
	igt_vgem_reload_params("num_devices=2 " NO_CONTEXT);
	make_dirs();

	/* No such directory can be made: a file is in the way. */
	igt_assert_eq(igt_system("touch " DIR "/file"), 0);
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false,
				      "demo -o " DIR "/file/demo.png"), 1);
	igt_assert_f(out[0] == '\0', "the demo ran: %s\n", out);

	/* A directory the user may not write. */
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), true,
				      "demo -o " DIR "/readonly/demo.png"), 1);
	igt_assert_f(out[0] == '\0', "the demo ran: %s\n", out);
	igt_assert(!exists(DIR "/readonly/demo.png"));

	/* An existing file the user may not write. */
	igt_assert_eq(igt_system("touch " DIR "/roots.png && chmod 0644 " DIR "/roots.png"), 0);
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), true, "demo -o " DIR "/roots.png"), 1);
	igt_assert_f(out[0] == '\0', "the demo ran: %s\n", out);
}

/* A new path (with missing directories) gets the image; so does an old file. */
static void test_output_written(void)
{
	igt_vgem_reload_params("num_devices=2 " NO_CONTEXT);
	make_dirs();

	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false,
				      "demo -o " DIR "/new/dir/demo.png --width 64 --height 32"), 0);
	igt_assert(strstr(out, "== demo passed\n"));
	assert_png(DIR "/new/dir/demo.png", 64, 32);

	/* A longer file of something else is replaced, not overwritten in part. */
	igt_assert_eq(igt_system("head -c 1048576 /dev/zero > " DIR "/old.png"), 0);
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false,
				      "demo -o " DIR "/old.png --width 48 --height 16"), 0);
	assert_png(DIR "/old.png", 48, 16);
	igt_assert_f(file_size(DIR "/old.png") < 1048576,
		     "old.png still holds the old contents after the image\n");
}

/* No device: exit 3, and the file made for the image is gone again. */
static void test_no_device_leaves_no_file(void)
{
	make_dirs();
	igt_assert_eq(igt_system("touch " DIR "/kept.png"), 0);
	igt_vgem_unload();

	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "demo -o " DIR "/demo.png"), 3);
	igt_assert(!exists(DIR "/demo.png"));
	/* A file that was there before stays. */
	igt_assert_eq(igt_vgemctl_run(out, sizeof(out), false, "demo -o " DIR "/kept.png"), 3);
	igt_assert(exists(DIR "/kept.png"));

	igt_vgem_reload_params("num_devices=2");
}

static const struct igt_subtest subtests[] = {
	{ "bad-output-fails-first", test_bad_output_fails_first },
	{ "output-written", test_output_written },
	{ "no-device-leaves-no-file", test_no_device_leaves_no_file },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
