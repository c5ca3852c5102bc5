// SPDX-License-Identifier: MIT
/*
 * vgem.h must compile as C++ (C++11 and later), VGEM_INIT() included: it
 * was a C compound literal, which C++ rejects. Building this is the check
 * (warnings are errors); running it also checks that VGEM_INIT() sets the
 * size and zeroes the rest, and links a call.
 */
#include <cstdio>

#include "vgem.h"

int main()
{
	struct vgem_stats st = VGEM_INIT(struct vgem_stats);
	vgem_device_info info = VGEM_INIT(vgem_device_info);

	if (st.size != sizeof(st) || st.valid || st.objects ||
	    info.size != sizeof(info) || info.index) {
		std::fprintf(stderr, "VGEM_INIT() did not size and zero the structure\n");
		return 1;
	}
	std::printf("vgem devices: %d\n", vgem_device_count());
	return 0;
}
