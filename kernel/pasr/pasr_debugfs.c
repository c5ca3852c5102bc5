// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/pasr/ (root only): the layout with its physical
 * addresses and every section's state, and the core's counters.
 *
 *   sections  die section base size unused masked pair
 *   stats     name: value lines
 *   claim     the last claim of idle sections of shared contexts; write
 *             "claim" to claim now (as at suspend), "release" to give
 *             everything back
 *   compact   compaction's counters; write "wait" to wait for the passes
 *             queued by frees, "run" to run one on every context and wait
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "pasr_internal.h"

static struct dentry *pasr_debugfs_dir;

static int pasr_sections_show(struct seq_file *m, void *unused)
{
	struct pasr_section_info s;
	struct pasr_die_info die;
	unsigned int d, i;

	seq_puts(m, "die section base size unused masked pair\n");
	for (d = 0; !pasr_die_info(d, &die); d++) {
		for (i = 0; i < die.nr_sections; i++) {
			if (pasr_section_info(d, i, &s))
				break;
			seq_printf(m, "%u %u %pa %llu %llu %d ", d, i, &s.base,
				   s.size, s.unused, s.masked);
			if (s.paired)
				seq_printf(m, "%u.%u\n", s.pair_die, s.pair_section);
			else
				seq_puts(m, "-\n");
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pasr_sections);

static int pasr_stats_show(struct seq_file *m, void *unused)
{
	struct pasr_stats st;

	pasr_get_stats(&st);
	seq_printf(m, "dies: %u\nsections: %u\nmasked: %u\nunused_bytes: %llu\n",
		   st.nr_dies, st.nr_sections, st.masked, st.unused);
	seq_printf(m, "puts: %llu\ngets: %llu\nmask_writes: %llu\nmisuse: %llu\n",
		   st.puts, st.gets, st.mask_writes, st.misuse);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pasr_stats);

/*
 * A file that shows <name>_show(m) and takes commands through
 * <name>_write(): <name>_fops.
 */
#define DEFINE_PASR_COMMAND_FILE(name)					\
static int name##_file_show(struct seq_file *m, void *unused)		\
{									\
	name##_show(m);							\
	return 0;							\
}									\
									\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, name##_file_show, NULL);		\
}									\
									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
	.write = name##_write,						\
}

/* A command written to a file, NUL-terminated in @cmd: 0 or -errno. */
static int pasr_read_command(const char __user *ubuf, size_t len, char *cmd,
			     size_t size)
{
	if (len >= size)
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	return 0;
}

static ssize_t pasr_claim_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char cmd[16];
	int ret;

	ret = pasr_read_command(ubuf, len, cmd, sizeof(cmd));
	if (ret)
		return ret;
	if (sysfs_streq(cmd, "claim")) {
		ret = pasr_claim(NULL);
		if (ret)
			return ret;
	} else if (sysfs_streq(cmd, "release")) {
		pasr_claim_release();
	} else {
		return -EINVAL;
	}
	return len;
}

static ssize_t pasr_compact_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	char cmd[16];
	int ret;

	ret = pasr_read_command(ubuf, len, cmd, sizeof(cmd));
	if (ret)
		return ret;
	if (sysfs_streq(cmd, "wait"))
		pasr_feeds_compact(false);
	else if (sysfs_streq(cmd, "run"))
		pasr_feeds_compact(true);
	else
		return -EINVAL;
	return len;
}

DEFINE_PASR_COMMAND_FILE(pasr_claim);
DEFINE_PASR_COMMAND_FILE(pasr_compact);

void pasr_debugfs_init(void)
{
	pasr_debugfs_dir = debugfs_create_dir("pasr", NULL);
	debugfs_create_file("sections", 0400, pasr_debugfs_dir, NULL,
			    &pasr_sections_fops);
	debugfs_create_file("stats", 0400, pasr_debugfs_dir, NULL,
			    &pasr_stats_fops);
	debugfs_create_file("claim", 0600, pasr_debugfs_dir, NULL,
			    &pasr_claim_fops);
	debugfs_create_file("compact", 0600, pasr_debugfs_dir, NULL,
			    &pasr_compact_fops);
}

void pasr_debugfs_exit(void)
{
	debugfs_remove_recursive(pasr_debugfs_dir);
	pasr_debugfs_dir = NULL;
}
