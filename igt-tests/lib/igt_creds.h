/* SPDX-License-Identifier: MIT */
/*
 * Credentials for tests of what unprivileged users may do: capabilities
 * and user ids of the calling process. Each asserts success.
 */
#ifndef VGEM_TEST_IGT_CREDS_H
#define VGEM_TEST_IGT_CREDS_H

#include <stdbool.h>
#include <sys/types.h>

/** igt_has_capability() - whether @cap is in this task's effective set */
bool igt_has_capability(unsigned int cap);

/**
 * igt_drop_capability() - take @cap out of this task's effective and
 * permitted sets for good (the user id stays, root included)
 */
void igt_drop_capability(unsigned int cap);

/**
 * igt_become_user() - become @uid (and gid @uid, no supplementary groups)
 * for good, which drops every capability; the task keeps its open files.
 * Also asks for SIGKILL when the parent dies (the credential change
 * cleared that), so a child left behind by a failing subtest goes.
 */
void igt_become_user(uid_t uid);

/**
 * igt_run_as_user() - run @fn(@data) in a child that became @uid
 * @uid: the user (and group) the child becomes, as igt_become_user()
 * @fn: what the child does; an assertion failing in it fails the child
 * @data: passed to @fn
 *
 * Waits for the child, which has the caller's open files (fork()).
 *
 * Return: true when the child exited with 0; false, after saying how it
 * ended, when it did not: the caller undoes what it changed for the child,
 * then asserts.
 */
bool igt_run_as_user(uid_t uid, void (*fn)(void *data), void *data);

#endif /* VGEM_TEST_IGT_CREDS_H */
