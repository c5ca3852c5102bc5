/* SPDX-License-Identifier: MIT */
/*
 * The kernel log from a test: a marker line written before an action, and
 * what the log says after it, so that a test reads only its own messages.
 */
#ifndef VGEM_TEST_IGT_KMSG_H
#define VGEM_TEST_IGT_KMSG_H

#include <stddef.h>

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

/**
 * igt_kmsg_next() - the next record of the kernel log
 * @fd: /dev/kmsg open for reading (with O_NONBLOCK, the end of the log ends
 *	the reading instead of waiting)
 * @buf: room for one record
 * @size: bytes of @buf
 * @usec: where the record's timestamp (microseconds) goes, or NULL
 *
 * Records overwritten while reading (EPIPE) are skipped, and so are
 * interrupted reads and records that cannot be parsed.
 *
 * Return: the record's message (its first line) inside @buf, or NULL at
 * the end of the log or on an error.
 */
const char *igt_kmsg_next(int fd, char *buf, size_t size, unsigned long long *usec);

#endif /* VGEM_TEST_IGT_KMSG_H */
