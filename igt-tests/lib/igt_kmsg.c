// SPDX-License-Identifier: MIT
/*
 * The kernel log from a test (igt_kmsg.h), read and written through
 * /dev/kmsg: no shell, no dmesg, which matters where each exec costs most of
 * a second (the debug kernel under TCG).
 */
#include "igt_kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"

void igt_kmsg_mark(const char *marker)
{
	size_t len = strlen(marker);
	int fd;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "cannot open /dev/kmsg: %s\n", strerror(errno));
	igt_assert_f(write(fd, marker, len) == (ssize_t)len,
		     "cannot write to /dev/kmsg: %s\n", strerror(errno));
	close(fd);
}

const char *igt_kmsg_next(int fd, char *buf, size_t size, unsigned long long *usec)
{
	char *text;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, size - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;
		if (n <= 0)
			return NULL;
		buf[n] = '\0';
		text = strchr(buf, ';');
		if (!text || (usec && sscanf(buf, "%*u,%*u,%llu", usec) != 1))
			continue;
		text[strcspn(text, "\n")] = '\0';
		return text + 1;
	}
}

int igt_kmsg_logged(const char *marker, const char *text)
{
	/* A record holds at most 1 KiB of text, plus its prefix and dictionary. */
	char buf[8192];
	bool after_marker = false;
	const char *record;
	int fd, ret = 1;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((record = igt_kmsg_next(fd, buf, sizeof(buf), NULL))) {
		if (!after_marker) {
			after_marker = strstr(record, marker) != NULL;
			continue;
		}
		if (strstr(record, text)) {
			ret = 0;
			break;
		}
	}
	close(fd);
	return ret;
}

void igt_kmsg_tail_open(struct igt_kmsg_tail *tail)
{
	tail->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	igt_assert_f(tail->fd >= 0, "cannot open /dev/kmsg: %s\n", strerror(errno));
	igt_assert(lseek(tail->fd, 0, SEEK_END) >= 0);
	tail->marker[0] = '\0';
	tail->text[0] = '\0';
	tail->len = 0;
}

void igt_kmsg_tail_mark(struct igt_kmsg_tail *tail, const char *fmt, ...)
{
	va_list ap;

	igt_assert(lseek(tail->fd, 0, SEEK_END) >= 0);
	tail->text[0] = '\0';
	tail->len = 0;
	va_start(ap, fmt);
	vsnprintf(tail->marker, sizeof(tail->marker), fmt, ap);
	va_end(ap);
	igt_kmsg_mark(tail->marker);
}

void igt_kmsg_tail_read(struct igt_kmsg_tail *tail)
{
	/* A record holds at most 1 KiB of text, plus its prefix and dictionary. */
	char buf[8192];
	const char *record;
	size_t room;
	int n;

	while ((record = igt_kmsg_next(tail->fd, buf, sizeof(buf), NULL))) {
		if (!strcmp(record, tail->marker))
			continue;
		room = sizeof(tail->text) - tail->len;
		n = snprintf(tail->text + tail->len, room, "%s\n", record);
		if (n > 0 && (size_t)n < room)
			tail->len += (size_t)n;
		else
			tail->text[tail->len] = '\0';
	}
}

bool igt_kmsg_tail_find(const struct igt_kmsg_tail *tail, const char *needle, char *line,
			size_t size)
{
	const char *p = strstr(tail->text, needle), *start, *end;

	if (!p)
		return false;
	for (start = p; start > tail->text && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	if (line)
		snprintf(line, size, "%.*s", (int)(end - start), start);
	return true;
}

void igt_kmsg_tail_close(struct igt_kmsg_tail *tail)
{
	close(tail->fd);
	tail->fd = -1;
}
