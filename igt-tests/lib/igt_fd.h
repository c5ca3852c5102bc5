/* SPDX-License-Identifier: MIT */
/*
 * File descriptors of any kind: readiness, identity, passing one to
 * another process over a unix socket; and writing a control file.
 */
#ifndef VGEM_TEST_IGT_FD_H
#define VGEM_TEST_IGT_FD_H

#include <stdint.h>

/**
 * fd_ready() - poll @fd once for @events
 * @fd: any pollable fd (dma-buf, sync_file)
 * @events: POLLIN and/or POLLOUT
 * @timeout_ms: how long to wait; 0 just samples the state
 *
 * Return: the subset of @events that is ready (0 when it timed out).
 */
short fd_ready(int fd, short events, int timeout_ms);

/** fd_inode() - st_ino of an open file (a dma-buf's identity); asserts fstat */
uint64_t fd_inode(int fd);

/** send_fd() - pass @fd over a unix socket (SCM_RIGHTS); 0 or -errno */
int send_fd(int sock, int fd);
/** recv_fd() - receive one fd sent by send_fd(); the fd or -errno */
int recv_fd(int sock);

/**
 * igt_write_file() - write @text to the file at @path in one write()
 * @path: a sysfs, debugfs or procfs control file, for instance
 * @text: written without its NUL (add a newline where the file wants one)
 *
 * Return: 0; the -errno of open() or write() (-ENOENT: no such file,
 * -EINVAL: the kernel refused @text...); -EIO for a short write.
 */
int igt_write_file(const char *path, const char *text);

#endif /* VGEM_TEST_IGT_FD_H */
