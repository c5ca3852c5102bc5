/* SPDX-License-Identifier: MIT */
/* vgemctl: what its command files share. */
#ifndef VGEMCTL_H
#define VGEMCTL_H

#include <stdbool.h>

/* Exit codes, for scripts (also in `vgemctl --help`). */
#define EXIT_OK		0	/* done */
#define EXIT_FAIL	1	/* an operation failed; stderr says which */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_NODEV	3	/* no vgem device (or not the one asked for) */
#define EXIT_MISMATCH	4	/* demo: the consumer saw other pixels */

/* Prints the statistics of vgem device @index, indented by @indent; 0 or -errno. */
int vgemctl_print_stats(unsigned int index, const char *indent);

/* `vgemctl demo`. */
int vgemctl_demo(int argc, char **argv);

/*
 * Prints the PASR figures from /sys/kernel/pasr/ (dies, sections, masked,
 * the self-refresh power against full refresh and the energy), and the
 * section map too when @map (root only; others are told so), each line
 * after @indent; "PASR: not loaded" when pasr.ko is not. 0, or -errno when
 * the figures cannot be read (said on stderr).
 */
int vgemctl_print_pasr(const char *indent, bool map);

/* `vgemctl pasr`. */
int vgemctl_pasr(int argc, char **argv);

#endif /* VGEMCTL_H */
