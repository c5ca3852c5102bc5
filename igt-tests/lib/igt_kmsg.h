/* SPDX-License-Identifier: MIT */
/*
 * The kernel log from a test: a marker line written before an action, and
 * what the log says after it, so that a test reads only its own messages.
 */
#ifndef VGEM_TEST_IGT_KMSG_H
#define VGEM_TEST_IGT_KMSG_H

#include <stdbool.h>
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

/**
 * struct igt_kmsg_tail - the kernel log from a marker on, read as it grows:
 * /dev/kmsg stays open at its end, so that each step of a test reads only
 * what it logged, not the whole log again as igt_kmsg_logged() does
 * @fd: /dev/kmsg, open for reading without waiting
 * @marker: the line igt_kmsg_tail_mark() wrote last, left out of @text
 * @text: the records read since, one a line; what does not fit is dropped
 * @len: bytes of @text
 *
 * Large: allocate it, or keep it static.
 */
struct igt_kmsg_tail {
	int fd;
	char marker[160];
	char text[16384];
	size_t len;
};

/**
 * igt_kmsg_tail_open() - open the log at its end for @tail, with no
 * marker and no text yet; asserts
 */
void igt_kmsg_tail_open(struct igt_kmsg_tail *tail);

/**
 * igt_kmsg_tail_mark() - start a step: skip what the log holds, forget
 * the text read, and write the marker @fmt and what follows make
 * (igt_kmsg_mark()), for whoever reads the whole log later
 */
void igt_kmsg_tail_mark(struct igt_kmsg_tail *tail, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** igt_kmsg_tail_read() - add to @tail->text what was logged since the last read */
void igt_kmsg_tail_read(struct igt_kmsg_tail *tail);

/**
 * igt_kmsg_tail_find() - the first line of @tail->text that holds @needle
 * @line: receives it (truncated to @size), or NULL
 * @size: room in @line
 *
 * Return: whether there is one.
 */
bool igt_kmsg_tail_find(const struct igt_kmsg_tail *tail, const char *needle, char *line,
			size_t size);

/** igt_kmsg_tail_close() - close what igt_kmsg_tail_open() opened */
void igt_kmsg_tail_close(struct igt_kmsg_tail *tail);

#endif /* VGEM_TEST_IGT_KMSG_H */
