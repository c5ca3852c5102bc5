/* SPDX-License-Identifier: MIT */
/*
 * The kernel log from a test: a marker line written before an action, and
 * what the log says after it, so that a test reads only its own messages.
 */
#ifndef VGEM_TEST_IGT_KMSG_H
#define VGEM_TEST_IGT_KMSG_H

/**
 * igt_kmsg_mark() - write a marker line into the kernel log
 * @marker: the line; unique to the caller (a test name and its pid), with
 *	no character special to sed's regular expressions or to the shell's
 *	single quotes
 */
void igt_kmsg_mark(const char *marker);

/**
 * igt_kmsg_logged() - whether the kernel log says @text after @marker
 * @marker: a line igt_kmsg_mark() wrote
 * @text: fixed text, without single quotes
 *
 * Return: 0 when it does.
 */
int igt_kmsg_logged(const char *marker, const char *text);

#endif /* VGEM_TEST_IGT_KMSG_H */
