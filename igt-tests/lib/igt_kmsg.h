/* SPDX-License-Identifier: MIT */
/*
 * The kernel log from a test: a marker line written before an action, and
 * what the log says after it, so that a test reads only its own messages.
 */
#ifndef VGEM_TEST_IGT_KMSG_H
#define VGEM_TEST_IGT_KMSG_H

/**
 * igt_kmsg_mark() - write a marker line into the kernel log
 * @marker: the line; unique to the caller (a test name and its pid)
 *
 * Fails the test when the log cannot be written.
 */
void igt_kmsg_mark(const char *marker);

/**
 * igt_kmsg_logged() - whether the kernel log says @text after @marker
 * @marker: a line igt_kmsg_mark() wrote
 * @text: fixed text, looked for in each record logged after the marker's
 *
 * Return: 0 when it does, 1 when it does not (or the marker is no longer in
 * the log), a negative errno when the log cannot be read.
 */
int igt_kmsg_logged(const char *marker, const char *text);

#endif /* VGEM_TEST_IGT_KMSG_H */
