// SPDX-License-Identifier: MIT
/*
 * pasr_basic: the PASR framework on its own (pasr.ko, docs/pasr.md).
 *
 * The in-kernel scenarios of pasr_test.ko (counters, ranges over several
 * sections, interleave pairs, controller registration, atomic context) run
 * on a layout over addresses beyond RAM, so that nothing feeds it but the
 * scenarios; the rest loads pasr.ko with layouts bad and good and reads
 * what it says, in the kernel log and in /sys/kernel/pasr/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "lib/igt.h"
#include "lib/igt_fd.h"
#include "lib/igt_creds.h"
#include "lib/igt_figures.h"
#include "lib/igt_kmsg.h"
#include "lib/igt_module.h"
#include "lib/igt_pasr.h"

#define RUN_FILE	"/sys/kernel/debug/pasr_test/run"
/* Two dies of 4 x 4 MiB segments at 1 TiB, 0.3 paired with 1.3. */
#define TEST_LAYOUT	"layout=0x10000000000+16M:4seg,0x10001000000+16M:4 " \
			"pairs=0.3-1.3 context=none"

static void run_scenario(const char *name)
{
	char out[300] = "";
	ssize_t n;
	int fd;

	igt_pasr_load(TEST_LAYOUT);
	igt_assert_eq(igt_system("modprobe pasr_test"), 0);
	fd = open(RUN_FILE, O_RDWR);
	igt_assert(fd >= 0);
	igt_assert_eq(write(fd, name, strlen(name)), (ssize_t)strlen(name));
	n = pread(fd, out, sizeof(out) - 1, 0);
	close(fd);
	igt_assert(n > 0);
	out[strcspn(out, "\n")] = '\0';
	igt_info("%s: %s\n", name, out);
	igt_pasr_unload();
	igt_require_f(strncmp(out, "skip:", 5), "%s\n", out + 6);
	igt_assert_f(!strcmp(out, "ok"), "%s: %s\n", name, out);
}

#define SCENARIO(fn, str) static void test_##fn(void) { run_scenario(str); }
SCENARIO(counters, "counters")
SCENARIO(ranges, "ranges")
SCENARIO(pairs, "pairs")
SCENARIO(controller, "controller")
SCENARIO(atomic, "atomic")

/* Each refused with its reason; the module loads with no layout. */
static void test_bad_layouts(void)
{
	static const struct {
		const char *params, *message;
	} bad[] = {
		{ "layout=0x10000000000+16M:4,0x10000800000+16M:4",
		  "dies 0 and 1 overlap" },
		{ "layout=0x10000000000+16M:3", "3 sections do not divide" },
		{ "layout=0x10000000000+16M:9", "9 sections, the mask register has 8 bits" },
		{ "layout=0x10000000000+16M:0", "0 sections" },
		{ "layout=0x10000000800+16M:4", "sections are not whole pages" },
		{ "layout=0x10000000000+64K:32", "32 sections" },
		{ "layout=0x10000000000+1000001:2", "2 sections do not divide" },
		{ "layout=0x10000000000+48K:8", "sections are not whole pages" },
		{ "layout=0x10000000000+16M:4 pairs=0.3-1.3", "0.3-1.3: no such section" },
		{ "layout=0x10000000000+16M:4 pairs=0.1-0.1", "a section pairs once" },
		{ "layout=0x10000000000+16M:4,0x10001000000+8M:4 pairs=0.1-1.1",
		  "sections of different sizes" },
		{ "layout=0x10000000000+16M:4 pairs=interleave",
		  "interleave needs an even number of dies" },
		{ "layout=0x10000000000+16M:4 pairs=zero", "\"zero\" is not" },
		{ "layout=16M@0x10000000000:4", "is not <base>+<size>:<n>[seg|bank]" },
		{ "layout=0x10000000000+16M:4dram", "is not <base>+<size>" },
		{ "layout=0xffffffffffff0000+1M:4", "wraps around" },
		{ "layout=1T+1M:1,1T+1M:1,1T+1M:1,1T+1M:1,1T+1M:1,1T+1M:1,1T+1M:1,1T+1M:1,1T+1M:1",
		  "more than 8 dies" },
	};
	char marker[96];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(marker, sizeof(marker), "pasr_basic bad-layouts %d %u", getpid(), i);
		igt_kmsg_mark(marker);
		igt_pasr_load(bad[i].params);
		igt_assert_f(igt_kmsg_logged(marker, bad[i].message) == 0,
			     "\"%s\": no \"%s\" in the log\n", bad[i].params, bad[i].message);
		igt_assert_f(igt_pasr_value("dies") == 0, "\"%s\": %lld dies\n",
			     bad[i].params, igt_pasr_value("dies"));
		igt_info("refused: %s\n", bad[i].params);
	}
	igt_pasr_unload();
}

/* A good layout as written: dies, sections, modes, pairs. */
static void test_good_layout(void)
{
	igt_pasr_load("layout=0x10000000000+16M:4seg,0x10001000000+16M:4bank,"
		      "0x10002000000+8M:8,0x10002800000+8M:8 pairs=0.3-1.3,2.0-3.7 "
		      "context=none");
	igt_assert_eq(igt_pasr_value("dies"), 4);
	igt_assert_eq(igt_pasr_value("sections"), 24);
	igt_assert_eq(igt_pasr_value("masked"), 0);
	igt_assert_eq(igt_system("grep -q '^0 3 .* 1.3$' /sys/kernel/debug/pasr/sections"), 0);
	igt_assert_eq(igt_system("grep -q '^3 7 .* 2.0$' /sys/kernel/debug/pasr/sections"), 0);
	igt_assert_eq(igt_system("grep -q '^1 0 .* -$' /sys/kernel/debug/pasr/sections"), 0);
	igt_pasr_load("layout=0x10000000000+16M:4,0x10001000000+16M:4 pairs=interleave "
		      "context=none");
	igt_assert_eq(igt_system("grep -q '^1 2 .* 0.2$' /sys/kernel/debug/pasr/sections"), 0);
	igt_pasr_unload();
}

/*
 * With no parameter: 2 dies x 8 segments over movable0, which is shared,
 * so nothing is fed and nothing masked.
 */
static void test_default_layout(void)
{
	char marker[64];

	igt_require_f(access("/sys/kernel/debug/cmctx/movable0", F_OK) == 0,
		      "no movable0 context (boot with movablecore=)\n");
	snprintf(marker, sizeof(marker), "pasr_basic default-layout %d", getpid());
	igt_kmsg_mark(marker);
	igt_pasr_load("");
	igt_assert_eq(igt_pasr_value("dies"), 2);
	igt_assert_eq(igt_pasr_value("sections"), 16);
	igt_assert_eq(igt_pasr_value("masked"), 0);
	igt_assert_eq(igt_kmsg_logged(marker, "movable0: shared"), 0);
	igt_pasr_unload();
}

/* What uid 65534 reads of /sys/kernel/pasr/: the figures, not the map. */
static void read_figures_unprivileged(void *data)
{
	char map[64];

	(void)data;
	igt_assert_eq(igt_pasr_value("dies"), 2);
	igt_assert(igt_pasr_value("power_uw") > 0);
	igt_assert_eq(igt_pasr_value("power_uw"), igt_pasr_value("full_power_uw"));
	igt_assert_f(igt_pasr_map(map, sizeof(map)) < 0, "uid 65534 read the map\n");
	igt_assert(access("/sys/kernel/debug/pasr/sections", R_OK));
}

/*
 * /sys/kernel/pasr/ is for everybody but its map (where used memory lies
 * physically: root only), and shows no address; the power files answer
 * ENODEV without a controller that models power, and the simulated
 * controller's figures once it is loaded.
 */
static void test_sysfs_unprivileged(void)
{
	igt_pasr_load(TEST_LAYOUT);
	igt_assert_eq(igt_system("cat /sys/kernel/pasr/power_uw 2>&1 | grep -q 'No such device'"), 0);
	igt_assert_eq(igt_system("modprobe pasr_sim"), 0);
	igt_assert(igt_run_as_user(65534, read_figures_unprivileged, NULL));
	{
		char map[64];

		igt_assert_eq(igt_pasr_map(map, sizeof(map)), 0);
		igt_assert_f(!strcmp(map, "####|####"), "map %s\n", map);
	}
	/* Nothing in sysfs looks like an address of the layout. */
	igt_assert(igt_system("grep -rqi '10000000000\\|0x' /sys/kernel/pasr/") != 0);
	igt_pasr_unload();
}

/* Writes @text to the simulator's file @name: 0, or -errno. */
static int sim_write(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), IGT_PASR_SIM "%s", name);
	return igt_write_file(path, text);
}

/* The last line of the simulator's log, "" when it has none. */
static void sim_last_log(char *line, size_t size)
{
	char buf[128];
	FILE *f = fopen(IGT_PASR_SIM "log", "r");

	igt_assert(f);
	igt_assert(fgets(buf, sizeof(buf), f));
	igt_assert_f(!strcmp(buf, "seq die old new ns\n"), "log header: %s", buf);
	line[0] = '\0';
	while (fgets(buf, sizeof(buf), f))
		snprintf(line, size, "%s", buf);
	fclose(f);
}

#define SIM_STATS	IGT_PASR_SIM "stats"
#define SIM_POWER	IGT_PASR_SIM "power"

/*
 * The simulated controller's debugfs files on the test layout (beyond RAM,
 * so self-refresh poisons no page): the fault knob's write shows in the
 * registers, the log, the statistics and the power; a self-refresh cycle
 * forgets the knob's section and is counted; what the files do not
 * understand is refused with EINVAL and changes nothing.
 */
static void test_sim_debugfs(void)
{
	static const char *const bad_faults[] = {
		"", "x", "2.0", "0.4", "-1.0", "0.-1", "0.1x", "0", "0.1.2", "none1",
		"0.1             ",
	};
	static const char *const bad_commands[] = { "", "sleep", "enter exit", "cycle!",
						    "cycle           " };
	long long writes, full, now;
	char line[128], want[64];
	unsigned int seq, die, old, mask, i;

	igt_pasr_load(TEST_LAYOUT);
	igt_assert_eq(igt_system("modprobe pasr_sim"), 0);
	igt_assert_eq(igt_pasr_sim_register(0), 0);
	igt_assert_eq(igt_pasr_sim_register(1), 0);
	igt_assert_eq(igt_system("grep -qx none " IGT_PASR_SIM "fault_section"), 0);
	writes = igt_figure(SIM_STATS, "mask_writes");
	igt_assert(writes >= 0);
	igt_assert_eq(igt_figure(SIM_STATS, "entries"), 0);
	full = igt_figure(SIM_POWER, "full_power_uw");
	igt_assert(full > 0);
	igt_assert_eq(igt_figure(SIM_POWER, "power_uw"), full);
	igt_assert(igt_figure(SIM_POWER, "energy_uj") <= igt_figure(SIM_POWER, "full_energy_uj"));

	/* Section 1.2 forced off: one register write, logged, less power. */
	igt_assert_eq(sim_write("fault_section", "1.2\n"), 0);
	igt_assert_eq(igt_system("grep -qx 1.2 " IGT_PASR_SIM "fault_section"), 0);
	igt_assert_eq(igt_pasr_sim_register(1), 0x04);
	igt_assert_eq(igt_figure(SIM_STATS, "mask_writes"), writes + 1);
	sim_last_log(line, sizeof(line));
	igt_assert_f(sscanf(line, "%u %u %x %x", &seq, &die, &old, &mask) == 4, "log: %s", line);
	igt_assert_f(seq == writes + 1 && die == 1 && old == 0 && mask == 0x04, "log: %s", line);
	now = igt_figure(SIM_POWER, "power_uw");
	igt_info("power: %lld uW with section 1.2 off, %lld uW in full\n", now, full);
	igt_assert(now > 0 && now < full);

	/* A self-refresh cycle forgets it (beyond RAM: no page to poison). */
	igt_assert_eq(sim_write("self_refresh", "cycle"), 0);
	igt_assert_eq(igt_figure(IGT_PASR_SIM "self_refresh", "sections"), 1);
	igt_assert_eq(igt_figure(IGT_PASR_SIM "self_refresh", "dirty_bytes"), 0);
	igt_assert_eq(igt_figure(SIM_STATS, "entries"), 1);
	igt_assert_eq(igt_figure(SIM_STATS, "sections_poisoned"), 1);
	igt_assert_eq(igt_figure(SIM_STATS, "bytes_poisoned"), 4 << 20);
	igt_assert_eq(igt_figure(SIM_STATS, "dirty_bytes"), 0);
	igt_assert_eq(igt_system("grep -q '^1 0x00 0x04 0x04 0x04$' " IGT_PASR_SIM "registers"),
		      0);

	/* Refused, and nothing changes. */
	for (i = 0; i < IGT_ARRAY_SIZE(bad_faults); i++)
		igt_assert_f(sim_write("fault_section", bad_faults[i]) == -EINVAL,
			     "fault_section took \"%s\"\n", bad_faults[i]);
	for (i = 0; i < IGT_ARRAY_SIZE(bad_commands); i++)
		igt_assert_f(sim_write("self_refresh", bad_commands[i]) == -EINVAL,
			     "self_refresh took \"%s\"\n", bad_commands[i]);
	igt_assert_eq(igt_system("grep -qx 1.2 " IGT_PASR_SIM "fault_section"), 0);
	igt_assert_eq(igt_figure(SIM_STATS, "mask_writes"), writes + 1);
	igt_assert_eq(igt_figure(SIM_STATS, "entries"), 1);

	/* Cleared: refreshed again, no longer poisoned, power back to full. */
	igt_assert_eq(sim_write("fault_section", "none"), 0);
	igt_assert_eq(igt_system("grep -qx none " IGT_PASR_SIM "fault_section"), 0);
	sim_last_log(line, sizeof(line));
	snprintf(want, sizeof(want), "%lld 1 0x04 0x00 ", writes + 2);
	igt_assert_f(!strncmp(line, want, strlen(want)), "log: %s", line);
	igt_assert_eq(igt_system("grep -q '^1 0x00 0x00 0x00 0x00$' " IGT_PASR_SIM "registers"),
		      0);
	igt_assert_eq(igt_figure(SIM_POWER, "power_uw"), full);
	igt_pasr_unload();
}

static const struct igt_subtest subtests[] = {
	{ "counters", test_counters },
	{ "ranges", test_ranges },
	{ "pairs", test_pairs },
	{ "controller", test_controller },
	{ "atomic", test_atomic },
	{ "bad-layouts", test_bad_layouts },
	{ "good-layout", test_good_layout },
	{ "default-layout", test_default_layout },
	{ "sysfs-unprivileged", test_sysfs_unprivileged },
	{ "sim-debugfs", test_sim_debugfs },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
