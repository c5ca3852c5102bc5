/* SPDX-License-Identifier: MIT */
/*
 * The PASR modules from a test: loading pasr.ko with parameters, its
 * figures in /sys/kernel/pasr/, and the simulated controller's registers
 * and self-refresh in /sys/kernel/debug/pasr_sim/ (docs/pasr.md).
 */
#ifndef VGEM_TEST_IGT_PASR_H
#define VGEM_TEST_IGT_PASR_H

#include <stddef.h>

#define IGT_PASR_SYSFS		"/sys/kernel/pasr/"
#define IGT_PASR_SIM		"/sys/kernel/debug/pasr_sim/"

/**
 * igt_pasr_unload() - unload pasr_test, pasr_sim and pasr if loaded; asserts
 */
void igt_pasr_unload(void);

/**
 * igt_pasr_load() - unload the PASR modules, then load pasr with @params
 * @params: module parameters ("" for none); asserts that modprobe succeeds
 */
void igt_pasr_load(const char *params);

/**
 * igt_pasr_value() - a figure of /sys/kernel/pasr/
 * @file: its name ("masked")
 *
 * Return: the number it holds, or -1 when it cannot be read.
 */
long long igt_pasr_value(const char *file);

/**
 * igt_pasr_map() - the section map of /sys/kernel/pasr/map
 * @buf: receives its lines joined by '|' ("MMuu#ppM|########")
 * @size: of @buf
 *
 * Return: 0, or -1 when it cannot be read.
 */
int igt_pasr_map(char *buf, size_t size);

/**
 * igt_pasr_sim_register() - the simulated controller's register of a die
 * @die: the die
 *
 * Return: the register (framework mask | fault bits), or -1.
 */
int igt_pasr_sim_register(unsigned int die);

#endif /* VGEM_TEST_IGT_PASR_H */
