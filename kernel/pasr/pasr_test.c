// SPDX-License-Identifier: GPL-2.0-only
/*
 * pasr_test: drives the PASR core from inside the kernel for
 * igt-tests/pasr_basic, through the public header only.
 *
 * Expects pasr.ko loaded with the layout igt-tests/pasr_basic gives it
 * (two dies of 4 segments of 4 MiB, section 0.3 paired with 1.3, over
 * addresses no context feeds) and no other controller registered: it
 * registers its own, which records every mask write.
 *
 * /sys/kernel/debug/pasr_test/run takes a scenario name per write and
 * keeps "ok", "skip: <why>" or "fail: <why>" for reading. Each scenario
 * starts and ends with nothing put.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "pasr.h"

#define RESULT_LEN	256
#define MAX_WRITES	32

/* Protects result and runs one scenario at a time. */
static DEFINE_MUTEX(test_lock);
static char result[RESULT_LEN];
static struct dentry *test_dir;

/* The recording controller; its fields under rec_lock. */
static DEFINE_SPINLOCK(rec_lock);
static struct {
	unsigned int die;
	u8 old, mask;
} writes[MAX_WRITES];
static unsigned int nr_writes;

static void rec_write_mask(struct pasr_controller *ctrl, unsigned int die,
			   u8 old, u8 mask)
{
	spin_lock(&rec_lock);
	if (nr_writes < MAX_WRITES) {
		writes[nr_writes].die = die;
		writes[nr_writes].old = old;
		writes[nr_writes].mask = mask;
	}
	nr_writes++;
	spin_unlock(&rec_lock);
}

static struct pasr_controller rec = {
	.name = "pasr_test",
	.write_mask = rec_write_mask,
};

static void rec_reset(void)
{
	spin_lock_irq(&rec_lock);
	nr_writes = 0;
	spin_unlock_irq(&rec_lock);
}

/* The @i-th write since the reset is (@die, @old, @mask). */
static bool rec_saw(unsigned int i, unsigned int die, u8 old, u8 mask)
{
	bool ok;

	spin_lock_irq(&rec_lock);
	ok = i < nr_writes && i < MAX_WRITES && writes[i].die == die &&
	     writes[i].old == old && writes[i].mask == mask;
	spin_unlock_irq(&rec_lock);
	return ok;
}

static unsigned int rec_count(void)
{
	unsigned int n;

	spin_lock_irq(&rec_lock);
	n = nr_writes;
	spin_unlock_irq(&rec_lock);
	return n;
}

#define FAIL_IF(cond, ...) do {						\
	if (cond) {							\
		snprintf(result, sizeof(result), "fail: " __VA_ARGS__);	\
		goto out;						\
	}								\
} while (0)

static struct pasr_die_info die0, die1;
static u64 sec;		/* the size of a section */

/* Physical address of byte @off of section @s of die @d. */
static phys_addr_t at(unsigned int d, unsigned int s, u64 off)
{
	return (d ? die1.base : die0.base) + s * sec + off;
}

static u8 mask_of(unsigned int d)
{
	struct pasr_die_info info;

	return pasr_die_info(d, &info) ? 0xff : info.mask;
}

static u64 misuse(void)
{
	struct pasr_stats st;

	pasr_get_stats(&st);
	return st.misuse;
}

/* The layout pasr_basic loads pasr with; "skip" otherwise. */
static bool layout_ok(void)
{
	struct pasr_stats st;

	pasr_get_stats(&st);
	if (pasr_nr_dies() != 2 || pasr_die_info(0, &die0) ||
	    pasr_die_info(1, &die1) || die0.nr_sections != 4 ||
	    die1.nr_sections != 4 || die0.size != die1.size) {
		snprintf(result, sizeof(result),
			 "skip: pasr is not loaded with pasr_basic's layout");
		return false;
	}
	if (st.unused) {
		snprintf(result, sizeof(result),
			 "fail: %llu bytes put before the scenario", st.unused);
		return false;
	}
	sec = die0.size / 4;
	return true;
}

/* Puts and gets within one section; misuse refused and counted. */
static void scenario_counters(void)
{
	struct pasr_section_info info;
	u64 m = misuse();

	rec_reset();
	FAIL_IF(pasr_put(at(0, 0, 0), sec / 2), "put half");
	FAIL_IF(mask_of(0) || rec_count(), "half a section masked");
	FAIL_IF(pasr_section_info(0, 0, &info) || info.unused != sec / 2,
		"unused after half: %llu", info.unused);
	FAIL_IF(pasr_put(at(0, 0, sec / 2), sec / 2), "put the other half");
	FAIL_IF(mask_of(0) != 0x1 || !rec_saw(0, 0, 0, 0x1),
		"whole section: mask 0x%x, %u writes", mask_of(0), rec_count());
	FAIL_IF(pasr_put(at(0, 0, 0), PAGE_SIZE) != -EINVAL,
		"a put past the section's size accepted");
	FAIL_IF(misuse() != m + 1, "over-put not counted");
	FAIL_IF(pasr_section_info(0, 0, &info) || info.unused != sec,
		"a refused put changed the counter: %llu", info.unused);
	FAIL_IF(pasr_get(at(0, 0, 0), PAGE_SIZE), "get a page");
	FAIL_IF(mask_of(0) || !rec_saw(1, 0, 0x1, 0), "get did not unmask");
	FAIL_IF(pasr_get(at(0, 0, 0), sec) != -EINVAL,
		"a get of more than was put accepted");
	FAIL_IF(misuse() != m + 2, "over-get not counted");
	FAIL_IF(pasr_get(at(0, 0, PAGE_SIZE), sec - PAGE_SIZE), "get the rest");
	FAIL_IF(rec_count() != 2, "%u writes for 2 mask changes", rec_count());
	FAIL_IF(pasr_put(at(0, 0, 0), 0) || pasr_get(at(0, 0, 0), 0),
		"an empty range refused");
	FAIL_IF(pasr_put(~(phys_addr_t)0 - PAGE_SIZE + 1, 2 * PAGE_SIZE) != -EINVAL,
		"a range that wraps accepted");
	snprintf(result, sizeof(result), "ok");
out:
	return;
}

/* One call over several sections and past the die: one write a die. */
static void scenario_ranges(void)
{
	struct pasr_stats st;

	rec_reset();
	/* From a page before die 0 (not ours: ignored) through sections 1-2. */
	FAIL_IF(pasr_put(die0.base - PAGE_SIZE, PAGE_SIZE + 3 * sec),
		"put across sections");
	FAIL_IF(mask_of(0) != 0x7 || rec_count() != 1 || !rec_saw(0, 0, 0, 0x7),
		"mask 0x%x after %u writes", mask_of(0), rec_count());
	pasr_get_stats(&st);
	FAIL_IF(st.unused != 3 * sec, "%llu bytes unused, not 3 sections", st.unused);
	/* A get refused in its second section changes nothing in the first. */
	FAIL_IF(pasr_get(at(0, 2, 0), 2 * sec) != -EINVAL,
		"a get over an unput section accepted");
	FAIL_IF(mask_of(0) != 0x7, "a refused get unmasked: 0x%x", mask_of(0));
	FAIL_IF(pasr_get(die0.base, 3 * sec), "get back");
	FAIL_IF(mask_of(0) || rec_count() != 2, "not unmasked in one write");
	snprintf(result, sizeof(result), "ok");
out:
	return;
}

/* 0.3 and 1.3 are paired: masked only both unused, unmasked together. */
static void scenario_pairs(void)
{
	struct pasr_section_info info;

	FAIL_IF(pasr_section_info(0, 3, &info) || !info.paired ||
		info.pair_die != 1 || info.pair_section != 3,
		"0.3 is not paired with 1.3");
	rec_reset();
	FAIL_IF(pasr_put(at(0, 3, 0), sec), "put 0.3");
	FAIL_IF(mask_of(0) || rec_count(), "0.3 masked while 1.3 is used");
	FAIL_IF(pasr_put(at(1, 3, 0), sec), "put 1.3");
	FAIL_IF(mask_of(0) != 0x8 || mask_of(1) != 0x8 || rec_count() != 2,
		"pair not masked together: 0x%x 0x%x, %u writes", mask_of(0),
		mask_of(1), rec_count());
	FAIL_IF(pasr_get(at(1, 3, sec - PAGE_SIZE), PAGE_SIZE), "get a page of 1.3");
	FAIL_IF(mask_of(0) || mask_of(1) || rec_count() != 4,
		"pair not unmasked together: 0x%x 0x%x", mask_of(0), mask_of(1));
	FAIL_IF(pasr_get(at(0, 3, 0), sec) ||
		pasr_get(at(1, 3, 0), sec - PAGE_SIZE), "get back");
	/* An unpaired section is masked alone. */
	FAIL_IF(pasr_put(at(1, 0, 0), sec) || mask_of(1) != 0x1, "1.0 alone");
	FAIL_IF(pasr_get(at(1, 0, 0), sec), "get 1.0");
	snprintf(result, sizeof(result), "ok");
out:
	return;
}

/* Registration writes present masks; unregistration restores full refresh. */
static void scenario_controller(void)
{
	static struct pasr_controller other = {
		.name = "other", .write_mask = rec_write_mask,
	};
	bool registered = true;

	FAIL_IF(pasr_register_controller(&other) != -EBUSY,
		"a second controller accepted");
	FAIL_IF(pasr_register_controller(NULL) != -EINVAL, "NULL accepted");
	FAIL_IF(pasr_put(at(1, 1, 0), sec), "put 1.1");
	pasr_unregister_controller(&rec);
	registered = false;
	rec_reset();
	FAIL_IF(pasr_register_controller(&rec), "register again");
	registered = true;
	FAIL_IF(rec_count() != 1 || !rec_saw(0, 1, 0, 0x2),
		"present mask not written at registration (%u writes)", rec_count());
	pasr_unregister_controller(&rec);
	registered = false;
	FAIL_IF(rec_count() != 2 || !rec_saw(1, 1, 0x2, 0),
		"full refresh not restored at unregistration");
	FAIL_IF(pasr_get(at(1, 1, 0), sec), "get 1.1");
	FAIL_IF(rec_count() != 2, "a write after unregistration");
	FAIL_IF(pasr_register_controller(&rec), "register back");
	registered = true;
	snprintf(result, sizeof(result), "ok");
out:
	if (!registered && pasr_register_controller(&rec))
		snprintf(result, sizeof(result), "fail: cannot register back");
}

/* Put and get with a spinlock held and interrupts off. */
static void scenario_atomic(void)
{
	static DEFINE_SPINLOCK(lock);
	unsigned long flags;
	int a, b;

	spin_lock_irqsave(&lock, flags);
	a = pasr_put(at(0, 2, 0), sec);
	b = pasr_get(at(0, 2, 0), sec);
	spin_unlock_irqrestore(&lock, flags);
	FAIL_IF(a || b, "put %d, get %d in atomic context", a, b);
	snprintf(result, sizeof(result), "ok");
out:
	return;
}

static const struct {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{ "counters", scenario_counters },
	{ "ranges", scenario_ranges },
	{ "pairs", scenario_pairs },
	{ "controller", scenario_controller },
	{ "atomic", scenario_atomic },
};

static void run_command(const char *cmd)
{
	unsigned int i;

	snprintf(result, sizeof(result), "fail: unknown scenario \"%s\"", cmd);
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (strcmp(cmd, scenarios[i].name))
			continue;
		if (layout_ok())
			scenarios[i].run();
		return;
	}
}

static ssize_t run_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *ppos)
{
	char cmd[32];

	if (!len || len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, buf, len))
		return -EFAULT;
	cmd[len] = '\0';
	mutex_lock(&test_lock);
	run_command(strim(cmd));
	mutex_unlock(&test_lock);
	return len;
}

static ssize_t run_read(struct file *file, char __user *buf, size_t len,
			loff_t *ppos)
{
	char copy[RESULT_LEN + 1];
	size_t n;

	mutex_lock(&test_lock);
	n = scnprintf(copy, sizeof(copy), "%s\n", result);
	mutex_unlock(&test_lock);
	return simple_read_from_buffer(buf, len, ppos, copy, n);
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
	.read = run_read,
	.llseek = default_llseek,
};

static int __init pasr_test_init(void)
{
	int ret;

	ret = pasr_register_controller(&rec);
	if (ret) {
		pr_err("cannot register the recording controller (%d): unload pasr_sim\n",
		       ret);
		return ret;
	}
	snprintf(result, sizeof(result), "fail: nothing run yet");
	test_dir = debugfs_create_dir("pasr_test", NULL);
	debugfs_create_file("run", 0600, test_dir, NULL, &run_fops);
	return 0;
}

static void __exit pasr_test_exit(void)
{
	debugfs_remove_recursive(test_dir);
	pasr_unregister_controller(&rec);
}

module_init(pasr_test_init);
module_exit(pasr_test_exit);
MODULE_DESCRIPTION("In-kernel scenarios for the PASR core, driven through debugfs");
MODULE_LICENSE("GPL");
