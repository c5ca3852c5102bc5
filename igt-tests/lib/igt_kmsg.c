// SPDX-License-Identifier: MIT
/*
 * The kernel log from a test (igt_kmsg.h).
 */
#include "igt_kmsg.h"

#include "igt.h"

void igt_kmsg_mark(const char *marker)
{
	igt_system("echo '%s' > /dev/kmsg", marker);
}

int igt_kmsg_logged(const char *marker, const char *text)
{
	return igt_system("dmesg | sed -n '/%s/,$p' | grep -qF '%s'", marker, text);
}
