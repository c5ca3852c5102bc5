// SPDX-License-Identifier: MIT
/*
 * A vgem device for the tests of libvgem, through libvgem.
 */
#include "igt_libvgem.h"

#include <string.h>

#include "igt.h"
#include "igt_module.h"
#include "vgem.h"

void igt_libvgem_require_device(void)
{
	if (!igt_module_loaded("vgem"))
		igt_assert_eq(igt_system("modprobe vgem"), 0);
	igt_require(vgem_device_count() >= 1);
}

int igt_libvgem_card(unsigned int index)
{
	int fd = vgem_open(index, VGEM_NODE_PRIMARY);

	igt_assert_f(fd >= 0, "vgem_open(%u): %s\n", index, strerror(-fd));
	return fd;
}
