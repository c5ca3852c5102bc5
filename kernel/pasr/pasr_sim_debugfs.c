// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/pasr_sim/ (root only):
 *
 *   registers      die, framework mask, fault bits, register, poisoned
 *   log            the last mask writes: seq die old new ns
 *   power          power now and full (uW), energy and full energy (uJ)
 *   stats          entries, sections and bytes poisoned, dirty bytes
 *   self_refresh   write "enter" or "exit" (or "cycle": both); reads the
 *                  last entry's sections and the last exit's dirty bytes
 *   fault_section  write "<die>.<section>" to force that section's
 *                  refresh off, "none" to stop; reads it back
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "pasr_sim.h"

static struct dentry *pasr_sim_dir;
static int last_entry_sections = -1;
static long long last_exit_dirty = -1;
static int fault_die = -1, fault_section;

static int registers_show(struct seq_file *m, void *unused)
{
	unsigned long flags;
	unsigned int d;

	seq_puts(m, "die mask fault register poisoned\n");
	for (d = 0; d < pasr_sim.nr_dies; d++) {
		spin_lock_irqsave(&pasr_sim.lock, flags);
		seq_printf(m, "%u 0x%02x 0x%02x 0x%02x 0x%02x\n", d,
			   pasr_sim.mask[d], pasr_sim.fault[d],
			   pasr_sim_register(d), pasr_sim.poisoned[d]);
		spin_unlock_irqrestore(&pasr_sim.lock, flags);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(registers);

static int log_show(struct seq_file *m, void *unused)
{
	struct pasr_sim_log_entry e;
	unsigned long flags;
	u64 seq, first, last;

	spin_lock_irqsave(&pasr_sim.lock, flags);
	last = pasr_sim.seq;
	spin_unlock_irqrestore(&pasr_sim.lock, flags);
	first = last > PASR_SIM_LOG_LEN ? last - PASR_SIM_LOG_LEN + 1 : 1;
	seq_puts(m, "seq die old new ns\n");
	for (seq = first; seq <= last; seq++) {
		spin_lock_irqsave(&pasr_sim.lock, flags);
		e = pasr_sim.log[(seq - 1) % PASR_SIM_LOG_LEN];
		spin_unlock_irqrestore(&pasr_sim.lock, flags);
		if (e.seq != seq)	/* overwritten meanwhile */
			continue;
		seq_printf(m, "%llu %u 0x%02x 0x%02x %llu\n", e.seq, e.die,
			   e.old, e.mask, e.ns);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(log);

static int power_show(struct seq_file *m, void *unused)
{
	struct pasr_power p;

	pasr_sim.ctrl.power(&pasr_sim.ctrl, &p);
	seq_printf(m, "power_uw: %llu\nfull_power_uw: %llu\nenergy_uj: %llu\nfull_energy_uj: %llu\n",
		   p.now_uw, p.full_uw, p.energy_uj, p.full_energy_uj);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(power);

static int stats_show(struct seq_file *m, void *unused)
{
	unsigned long flags;
	u64 v[5];

	spin_lock_irqsave(&pasr_sim.lock, flags);
	v[0] = pasr_sim.seq;
	v[1] = pasr_sim.entries;
	v[2] = pasr_sim.sections_poisoned;
	v[3] = pasr_sim.bytes_poisoned;
	v[4] = pasr_sim.dirty_bytes;
	spin_unlock_irqrestore(&pasr_sim.lock, flags);
	seq_printf(m, "mask_writes: %llu\nentries: %llu\nsections_poisoned: %llu\nbytes_poisoned: %llu\ndirty_bytes: %llu\n",
		   v[0], v[1], v[2], v[3], v[4]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* Copies a short command from user space, without its newline. */
static int pasr_sim_command(const char __user *ubuf, size_t len, char *cmd,
			    size_t size)
{
	if (!len || len >= size)
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);
	return 0;
}

static int self_refresh_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "sections: %d\ndirty_bytes: %lld\n", last_entry_sections,
		   last_exit_dirty);
	return 0;
}

static int self_refresh_open(struct inode *inode, struct file *file)
{
	return single_open(file, self_refresh_show, NULL);
}

static ssize_t self_refresh_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	bool enter, exit;
	char cmd[16];
	int ret;

	ret = pasr_sim_command(ubuf, len, cmd, sizeof(cmd));
	if (ret)
		return ret;
	enter = !strcmp(cmd, "enter") || !strcmp(cmd, "cycle");
	exit = !strcmp(cmd, "exit") || !strcmp(cmd, "cycle");
	if (!enter && !exit)
		return -EINVAL;
	if (enter)
		last_entry_sections = pasr_sim_enter_self_refresh();
	if (exit)
		last_exit_dirty = pasr_sim_exit_self_refresh();
	return len;
}

static const struct file_operations self_refresh_fops = {
	.owner = THIS_MODULE,
	.open = self_refresh_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = self_refresh_write,
};

static int fault_show(struct seq_file *m, void *unused)
{
	if (fault_die < 0)
		seq_puts(m, "none\n");
	else
		seq_printf(m, "%d.%d\n", fault_die, fault_section);
	return 0;
}

static int fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, fault_show, NULL);
}

static ssize_t fault_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	int die = -1, section = 0, ret;
	char cmd[16], end;

	ret = pasr_sim_command(ubuf, len, cmd, sizeof(cmd));
	if (ret)
		return ret;
	if (strcmp(cmd, "none") &&
	    (sscanf(cmd, "%d.%d%c", &die, &section, &end) != 2 || die < 0))
		return -EINVAL;
	ret = pasr_sim_set_fault(die, section);
	if (ret)
		return ret;
	fault_die = die;
	fault_section = section;
	return len;
}

static const struct file_operations fault_fops = {
	.owner = THIS_MODULE,
	.open = fault_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = fault_write,
};

void pasr_sim_debugfs_init(void)
{
	pasr_sim_dir = debugfs_create_dir("pasr_sim", NULL);
	debugfs_create_file("registers", 0400, pasr_sim_dir, NULL, &registers_fops);
	debugfs_create_file("log", 0400, pasr_sim_dir, NULL, &log_fops);
	debugfs_create_file("power", 0400, pasr_sim_dir, NULL, &power_fops);
	debugfs_create_file("stats", 0400, pasr_sim_dir, NULL, &stats_fops);
	debugfs_create_file("self_refresh", 0600, pasr_sim_dir, NULL,
			    &self_refresh_fops);
	debugfs_create_file("fault_section", 0600, pasr_sim_dir, NULL, &fault_fops);
}

void pasr_sim_debugfs_exit(void)
{
	debugfs_remove_recursive(pasr_sim_dir);
	pasr_sim_dir = NULL;
}
