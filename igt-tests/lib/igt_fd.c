// SPDX-License-Identifier: MIT
/*
 * File descriptors of any kind (igt_fd.h).
 */
#include "igt_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igt.h"

short fd_ready(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	igt_assert_f(ret >= 0, "poll: %s\n", strerror(errno));
	igt_assert_f(!(pfd.revents & (POLLERR | POLLNVAL)),
		     "poll: revents 0x%x\n", pfd.revents);
	return ret ? (short)(pfd.revents & events) : 0;
}

uint64_t fd_inode(int fd)
{
	struct stat st;

	igt_assert_f(fstat(fd, &st) == 0, "fstat(%d): %s\n", fd, strerror(errno));
	return st.st_ino;
}

/* A message of one byte with room for one fd: what send_fd() sends. */
struct fd_message {
	char data;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov;
	struct msghdr msg;
};

static void fd_message_init(struct fd_message *m)
{
	memset(m, 0, sizeof(*m));
	m->data = 'f';
	m->iov.iov_base = &m->data;
	m->iov.iov_len = 1;
	m->msg.msg_iov = &m->iov;
	m->msg.msg_iovlen = 1;
	m->msg.msg_control = m->control.buf;
	m->msg.msg_controllen = sizeof(m->control.buf);
}

int send_fd(int sock, int fd)
{
	struct fd_message m;
	struct cmsghdr *cmsg;

	fd_message_init(&m);
	cmsg = CMSG_FIRSTHDR(&m.msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &m.msg, 0) == 1 ? 0 : -errno;
}

int recv_fd(int sock)
{
	struct fd_message m;
	struct cmsghdr *cmsg;
	int fd;

	fd_message_init(&m);
	if (recvmsg(sock, &m.msg, MSG_CMSG_CLOEXEC) != 1)
		return -errno ? -errno : -EIO;
	cmsg = CMSG_FIRSTHDR(&m.msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

int igt_write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	n = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	close(fd);
	return n;
}
