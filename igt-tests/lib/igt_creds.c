// SPDX-License-Identifier: MIT
/*
 * Credentials for the tests: capabilities through capget()/capset() (libc
 * has no wrapper and libcap is not needed for this), user ids.
 */
#include "igt_creds.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"

static void caps_get(struct __user_cap_data_struct *data)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };

	igt_assert_eq(syscall(SYS_capget, &hdr, data), 0);
}

bool igt_has_capability(unsigned int cap)
{
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	caps_get(data);
	return data[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap);
}

void igt_drop_capability(unsigned int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	caps_get(data);
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	data[CAP_TO_INDEX(cap)].permitted &= ~CAP_TO_MASK(cap);
	igt_assert_eq(syscall(SYS_capset, &hdr, data), 0);
	igt_assert_f(!igt_has_capability(cap), "capability %u is still there\n", cap);
}

void igt_become_user(uid_t uid)
{
	pid_t parent = getppid();

	igt_assert_eq(setgroups(0, NULL), 0);
	igt_assert_eq(setresgid(uid, uid, uid), 0);
	igt_assert_eq(setresuid(uid, uid, uid), 0);
	igt_assert_eq(getuid(), uid);
	igt_assert_f(!igt_has_capability(CAP_SYS_ADMIN) &&
		     !igt_has_capability(CAP_SYS_RESOURCE),
		     "uid %u kept its capabilities\n", (unsigned int)uid);
	igt_assert_eq(prctl(PR_SET_PDEATHSIG, SIGKILL), 0);
	if (getppid() != parent)
		_exit(IGT_EXIT_FAILURE);
}

bool igt_run_as_user(uid_t uid, void (*fn)(void *data), void *data)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		igt_become_user(uid);
		fn(data);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		igt_assert_eq(errno, EINTR);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	igt_info("the uid %u child failed (status %#x)\n", (unsigned int)uid, status);
	return false;
}
