/* SPDX-License-Identifier: MIT */
/*
 * For the tests that call libvgem (libvgem_api, libvgem_alloc, vgemctl_json):
 * a vgem device to work on, found and opened through the library itself.
 * Built apart from the rest of the test library, which does not link
 * libvgem.
 */
#ifndef VGEM_TEST_IGT_LIBVGEM_H
#define VGEM_TEST_IGT_LIBVGEM_H

/**
 * igt_libvgem_require_device() - load vgem if it is not, and skip the
 * subtest, saying so, when libvgem finds no vgem device
 */
void igt_libvgem_require_device(void);

/**
 * igt_libvgem_card() - open the primary node of vgem device @index
 * @index: as for vgem_open()
 *
 * Return: the fd (close it); fails the subtest with vgem_open()'s error.
 */
int igt_libvgem_card(unsigned int index);

#endif /* VGEM_TEST_IGT_LIBVGEM_H */
