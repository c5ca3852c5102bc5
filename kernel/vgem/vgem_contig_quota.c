// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgem contiguous memory limits: how much of the context one buffer and
 * one user may take.
 *
 * Contiguous memory is scarce and shared by every user of the context,
 * and any process that may open a render node may ask for it. Two module
 * parameters bound what it can take:
 *
 *   contig_max_buffer   the size of one contiguous buffer (default 256M:
 *                       an 8K framebuffer at 64 bits per pixel fits);
 *                       larger requests fail with -EFBIG
 *   contig_user_limit   the contiguous memory all buffers created by one
 *                       user may hold at once (default 50% of the
 *                       context); past it requests fail with -EDQUOT,
 *                       unless the caller has CAP_SYS_RESOURCE
 *
 * Each takes a size (K/M/G/T/P/E suffixes) below 8 EiB or a percentage of
 * the context ("50%"), and may be changed at run time through sysfs by
 * root; any other value is refused with -EINVAL and the limit stays.
 *
 * The limit is per user, not per open file: a render node can be opened
 * any number of times by any process, so a per-file limit would limit
 * nothing. A user is the real user id of the task that creates the buffer,
 * as for RLIMIT_MEMLOCK and io_uring's pinned memory: a buffer is charged
 * to its creator for its whole life, whoever holds it later through PRIME.
 * Another user (another service, another seat) still finds memory.
 *
 * The memory is not charged to a memory cgroup: Linux 6.1 exports no
 * function that lets a module charge pages it did not allocate through the
 * page allocator's accounted paths (mem_cgroup_charge() and
 * __memcg_kmem_charge_page() are internal), and the misc cgroup only knows
 * the resource types built into the kernel.
 *
 * Refusals are counted, and every figure is shown in the vgem_contig
 * debugfs file of each device (vgem_contig_quota_show()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "checked_parse.h"
#include "vgem_gem.h"

/* A limit: bytes, or with this bit set a percentage of the context. */
#define VGEM_LIMIT_PERCENT	BIT_ULL(63)

static int vgem_limit_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strcspn(val, "\n");
	const char *end;
	unsigned int percent;
	u64 value;
	char buf[24];

	if (!len || len >= sizeof(buf) || (val[len] && val[len + 1]))
		return -EINVAL;
	memcpy(buf, val, len);
	buf[len] = '\0';

	if (buf[len - 1] == '%') {
		/* "N%": a percentage of the context, N from 0 to 100. */
		buf[len - 1] = '\0';
		if (kstrtouint(buf, 10, &percent) || percent > 100)
			return -EINVAL;
		value = VGEM_LIMIT_PERCENT | percent;
	} else {
		/* A size, below the bit that marks a percentage. */
		if (checked_memparse(buf, &end, &value) || *end ||
		    value & VGEM_LIMIT_PERCENT)
			return -EINVAL;
	}
	WRITE_ONCE(*(u64 *)kp->arg, value);
	return 0;
}

static int vgem_limit_get(char *buffer, const struct kernel_param *kp)
{
	u64 value = READ_ONCE(*(u64 *)kp->arg);

	if (value & VGEM_LIMIT_PERCENT)
		return sysfs_emit(buffer, "%llu%%\n", value & ~VGEM_LIMIT_PERCENT);
	return sysfs_emit(buffer, "%llu\n", value);
}

static const struct kernel_param_ops vgem_limit_ops = {
	.set	= vgem_limit_set,
	.get	= vgem_limit_get,
};

static u64 contig_max_buffer = SZ_256M;
module_param_cb(contig_max_buffer, &vgem_limit_ops, &contig_max_buffer, 0644);
MODULE_PARM_DESC(contig_max_buffer,
		 "Largest contiguous buffer: a size (K/M/G) or a percentage of the context (default 256M)");

static u64 contig_user_limit = VGEM_LIMIT_PERCENT | 50;
module_param_cb(contig_user_limit, &vgem_limit_ops, &contig_user_limit, 0644);
MODULE_PARM_DESC(contig_user_limit,
		 "Contiguous memory one user's buffers may hold, CAP_SYS_RESOURCE exempt: a size (K/M/G) or a percentage of the context (default 50%)");

/**
 * struct vgem_contig_user - the contiguous memory charged to one user
 * @node: in vgem_contig_users, under vgem_contig_users_lock.
 * @uid: the user.
 * @buffers: live buffers charged; the entry goes with the last.
 * @bytes: their size.
 */
struct vgem_contig_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned long buffers;
	u64 bytes;
};

/* Protects vgem_contig_users, every entry in it and the counters below. */
static DEFINE_MUTEX(vgem_contig_users_lock);
static DEFINE_HASHTABLE(vgem_contig_users, 6);
static u64 vgem_contig_over_buffer;
static u64 vgem_contig_over_user;

static u64 vgem_limit_bytes(const u64 *limit, u64 context_bytes)
{
	u64 value = READ_ONCE(*limit);

	if (value & VGEM_LIMIT_PERCENT)
		return div_u64(context_bytes * (value & ~VGEM_LIMIT_PERCENT), 100);
	return value;
}

static struct vgem_contig_user *vgem_contig_user_find(kuid_t uid)
{
	struct vgem_contig_user *user;

	lockdep_assert_held(&vgem_contig_users_lock);
	hash_for_each_possible(vgem_contig_users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid))
			return user;
	return NULL;
}

/**
 * vgem_contig_charge() - charge a new contiguous buffer to the current user
 * @size: the buffer's size in bytes
 * @context_bytes: the size of the context it comes from, for limits given
 *	as percentages
 *
 * Called before the memory is allocated, so that a refused request costs
 * no migration; vgem_contig_uncharge() gives the charge back when the
 * allocation fails or the buffer is freed.
 *
 * Return: the charge, or ERR_PTR(-EFBIG) for a buffer over
 * contig_max_buffer, -EDQUOT when the user would hold more than
 * contig_user_limit (and lacks CAP_SYS_RESOURCE), -ENOMEM.
 */
struct vgem_contig_user *vgem_contig_charge(u64 size, u64 context_bytes)
{
	u64 limit = vgem_limit_bytes(&contig_user_limit, context_bytes);
	struct vgem_contig_user *user, *fresh;
	kuid_t uid = current_uid();

	if (size > vgem_limit_bytes(&contig_max_buffer, context_bytes)) {
		mutex_lock(&vgem_contig_users_lock);
		vgem_contig_over_buffer++;
		mutex_unlock(&vgem_contig_users_lock);
		return ERR_PTR(-EFBIG);
	}

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return ERR_PTR(-ENOMEM);

	mutex_lock(&vgem_contig_users_lock);
	user = vgem_contig_user_find(uid);
	/* The capability is asked only when it matters (it is audited). */
	if (size > limit - min(limit, user ? user->bytes : 0) &&
	    !capable(CAP_SYS_RESOURCE)) {
		vgem_contig_over_user++;
		mutex_unlock(&vgem_contig_users_lock);
		kfree(fresh);
		return ERR_PTR(-EDQUOT);
	}
	if (!user) {
		user = fresh;
		fresh = NULL;
		user->uid = uid;
		hash_add(vgem_contig_users, &user->node, __kuid_val(uid));
	}
	user->buffers++;
	user->bytes += size;
	mutex_unlock(&vgem_contig_users_lock);
	kfree(fresh);
	return user;
}

/**
 * vgem_contig_uncharge() - give back a charge of vgem_contig_charge()
 * @user: the charge
 * @size: the size it was taken for
 */
void vgem_contig_uncharge(struct vgem_contig_user *user, u64 size)
{
	mutex_lock(&vgem_contig_users_lock);
	user->bytes -= size;
	if (!--user->buffers) {
		hash_del(&user->node);
		kfree(user);
	}
	mutex_unlock(&vgem_contig_users_lock);
}

/**
 * vgem_contig_quota_show() - the limits, the refusals and each user's
 *	charge, for debugfs
 * @m: where to print
 * @context_bytes: the size of the context (0: none)
 */
void vgem_contig_quota_show(struct seq_file *m, u64 context_bytes)
{
	struct vgem_contig_user *user;
	unsigned int bkt;

	mutex_lock(&vgem_contig_users_lock);
	seq_printf(m, "max_buffer_bytes %llu\n",
		   vgem_limit_bytes(&contig_max_buffer, context_bytes));
	seq_printf(m, "user_limit_bytes %llu\n",
		   vgem_limit_bytes(&contig_user_limit, context_bytes));
	seq_printf(m, "over_max_buffer %llu\n", vgem_contig_over_buffer);
	seq_printf(m, "over_user_limit %llu\n", vgem_contig_over_user);
	seq_printf(m, "%-10s %8s %12s\n", "uid", "buffers", "bytes");
	hash_for_each(vgem_contig_users, bkt, user, node)
		seq_printf(m, "%-10u %8lu %12llu\n",
			   from_kuid_munged(seq_user_ns(m), user->uid),
			   user->buffers, user->bytes);
	mutex_unlock(&vgem_contig_users_lock);
}

/**
 * vgem_contig_quota_get() - the limits in bytes and the refusals, for
 *	DRM_IOCTL_VGEM_STATS
 * @context_bytes: the size of the context (0: none)
 * @limits: filled with one consistent snapshot
 *
 * Module-wide figures only: what each user holds stays in debugfs.
 */
void vgem_contig_quota_get(u64 context_bytes, struct vgem_contig_limits *limits)
{
	mutex_lock(&vgem_contig_users_lock);
	limits->max_buffer = vgem_limit_bytes(&contig_max_buffer, context_bytes);
	limits->user_limit = vgem_limit_bytes(&contig_user_limit, context_bytes);
	limits->over_max_buffer = vgem_contig_over_buffer;
	limits->over_user_limit = vgem_contig_over_user;
	mutex_unlock(&vgem_contig_users_lock);
}
