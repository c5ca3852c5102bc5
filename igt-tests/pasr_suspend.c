// SPDX-License-Identifier: MIT
/*
 * pasr_suspend: real suspend/resume cycles of the guest with PASR, as a soak
 * (tools/suspend-soak; docs/testing.md, "Suspend and resume").
 *
 * The stack of pasr_vgem (cmctx with a private 256 MiB context "range0",
 * vgem's contiguous buffers from it, pasr.ko over it, the simulated
 * controller pasr_sim.ko, which poisons the masked sections in its
 * suspend_noirq callback), live contiguous buffers full of patterns, a file
 * of the page cache (tmpfs) with a pattern, and a child process that keeps
 * counting and checking its own memory. Then, each cycle: an RTC wake alarm
 * through sysfs, "mem" into /sys/power/state, and after the wake-up every
 * byte of every buffer and of the file checked, the controller's figures
 * (one entry into self-refresh, sections poisoned, no dirty bytes), the
 * child alive and counting.
 *
 * The guest's root, the repository and the runner's directory are 9p, and
 * virtio 9p does not come back from a suspend: after the first one nothing
 * may touch 9p. So everything is set up before it (modules loaded, every
 * file that is read or written later opened, the dynamic linker's work
 * done: linked with -z now), the memory locked (mlockall: no page of the
 * binary or its libraries is read again), no path is looked up afterwards,
 * and results go to stdout only (the first serial port). The last line is
 * "vgem-vm-status: N" (tools/vm run --status-from-console takes the
 * command's exit status from it), and the program powers the guest off
 * itself: the shell around it would read 9p. A set-up failure before the
 * first suspend exits normally instead (9p still works).
 *
 * Exit status: 0 every cycle masked sections and nothing was corrupted (a
 * planted fault was detected), 1 a cycle failed, 2 usage, 77 the guest
 * cannot do it (no wake alarm, no such sleep state, too small a
 * ZONE_MOVABLE), 98 the set-up failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_gem.h"
#include "lib/igt_kmsg.h"
#include "lib/igt_mm.h"
#include "lib/igt_module.h"
#include "lib/igt_pasr.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"

#define MiB		(1024ull * 1024)
#define PAGE		4096ull
#define CTX_MIB		256
#define CTX_FILE	"/sys/kernel/debug/cmctx/range0"
#define SHARED_FILE	"/sys/kernel/debug/cmctx/range1"
#define FILE_PATH	"/tmp/pasr_suspend.data"
#define FILE_SEED	0x5eedf11eu
#define CHILD_BYTES	(1 * MiB)
#define CHILD_SEED	0xc41d0000u
#define STATUS_LINE	"vgem-vm-status:"
#define EXIT_CYCLE	1
#define EXIT_USAGE	2

/* The buffers: 8 + 40 + 3 + 64 MiB, over the first half of range0. */
static const unsigned int buf_mib[] = { 8, 40, 3, 64 };
#define NR_BUFS		(sizeof(buf_mib) / sizeof(buf_mib[0]))
#define FAULT_BUF	1	/* the 40 MiB one: it holds a whole section */

struct buf {
	struct vgem_bo bo;
	uint32_t *map;
	uint32_t seed;
	uint64_t sum;		/* checksum at set-up */
};

struct options {
	unsigned int cycles;
	unsigned int wake_s;
	unsigned int fault_cycle;	/* 0: none */
	unsigned int file_mib;
	const char *state;		/* written to /sys/power/state */
	const char *mem_sleep;		/* written to /sys/power/mem_sleep, or NULL */
	const char *pasr_params;
	unsigned int shared_mib;	/* a shared context range1 after range0 */
	bool power_off;
};

/* What the child shares with its parent. */
struct child_shared {
	volatile uint64_t count;
	volatile uint64_t bad_words;
};

/* Everything read or written after the first suspend, opened before it. */
struct files {
	int state, mem_sleep, wakealarm;
	int masked, sim_stats, sim_registers, sim_fault;
	int kmsg_read, kmsg_write, kmemleak;
	int claim;			/* pasr's claim at suspend, if it has one */
	int data;
};

/* pasr_sim's stats file. */
struct sim_stats {
	long long entries, sections, bytes, dirty;
};

struct cycle_figures {
	long long masked_before, masked_after;
	struct sim_stats delta;
	long long claimed, claim_us;	/* -1: pasr claims nothing at suspend */
	double suspend_ms, resume_ms, work_ms, slept_ms;
	uint64_t bytes_checked, buf_bad, file_bad, child_bad;
	uint64_t child_advance;
	bool ok;
};

static struct options opt = {
	.cycles = 20, .wake_s = 5, .file_mib = 32, .state = "mem",
	.pasr_params = "", .power_off = true,
};
static struct files fs;
static struct buf bufs[NR_BUFS];
static unsigned long long ctx_base;
static int vgem_fd = -1;
static struct child_shared *shared;
static pid_t child = -1;
static uint32_t *scratch;		/* one MiB, for reading the file */
static int fault_die = -1, fault_section;

/* ---- before the first suspend: 9p works, the igt helpers may assert ---- */

static int open_or_fail(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	igt_assert_f(fd >= 0, "cannot open %s: %s\n", path, strerror(errno));
	return fd;
}

/* The whole of a small file read through its open @fd, at offset 0. */
static ssize_t read_fd(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	if (!size)
		return -1;
	while (len < size - 1) {
		n = pread(fd, buf + len, size - 1 - len, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

/* One write of @text (debugfs files of pasr_sim take no pwrite). */
static int write_fd(int fd, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;

	lseek(fd, 0, SEEK_SET);		/* where it can; sysfs ignores it */
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static long long fd_value(int fd)
{
	char buf[64];

	if (read_fd(fd, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

/* "key: value" or "key value" of a file already read into @text. */
static long long text_figure(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, len) && (p[len] == ':' || p[len] == ' '))
			return strtoll(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static bool read_sim_stats(struct sim_stats *s)
{
	char text[512];

	if (read_fd(fs.sim_stats, text, sizeof(text)) <= 0)
		return false;
	s->entries = text_figure(text, "entries");
	s->sections = text_figure(text, "sections_poisoned");
	s->bytes = text_figure(text, "bytes_poisoned");
	s->dirty = text_figure(text, "dirty_bytes");
	return s->entries >= 0 && s->sections >= 0 && s->bytes >= 0 && s->dirty >= 0;
}

/* A cheap checksum of a buffer's 64-bit words (not the check of record). */
static uint64_t mix(uint64_t sum, uint64_t word)
{
	sum ^= word;
	sum *= 0x100000001b3ull;
	return sum ^ (sum >> 29);
}

/*
 * cmctx with the private range0 in ZONE_MOVABLE, bases 32 MiB apart tried
 * should one be refused (a page held for a while; see pasr_vgem), all of
 * them up to three times: in one boot of ten here every base was refused
 * once.
 */
static bool take_private_context(void)
{
	long long start = igt_movable_zone("start_pfn");
	long long present = igt_movable_zone("present");
	unsigned long long base, end;
	unsigned int round;

	unsigned long long mib = CTX_MIB + opt.shared_mib;
	char shared[64] = "";

	igt_require_f(start > 0 && present * PAGE >= (mib + 2) * MiB,
		      "ZONE_MOVABLE has %lld pages, %llu MiB needed (boot with movablecore=512M)\n",
		      present, mib + 2);
	end = (start + present) * PAGE;
	for (round = 0; round < 3; round++) {
		for (base = (start * PAGE + 2 * MiB - 1) & ~(2 * MiB - 1);
		     base + mib * MiB <= end; base += 32 * MiB) {
			if (opt.shared_mib)
				snprintf(shared, sizeof(shared), ",%uM@%#llx",
					 opt.shared_mib, base + CTX_MIB * MiB);
			igt_system("sync; echo 3 > /proc/sys/vm/drop_caches");
			igt_assert_eq(igt_system("modprobe cmctx movable=0 range=%uM@%#llx:private%s",
						 CTX_MIB, base, shared), 0);
			if (access(CTX_FILE, F_OK) == 0 &&
			    (!opt.shared_mib || access(SHARED_FILE, F_OK) == 0)) {
				ctx_base = base;
				return true;
			}
			igt_info("range0 refused at %#llx, trying further up\n", base);
			igt_assert_eq(igt_system("modprobe -r cmctx"), 0);
		}
		sleep(2);
	}
	return false;
}

static void load_stack(void)
{
	char layout[200] = "context=range0";

	igt_pasr_unload();
	igt_system("modprobe -r vgem 2>/dev/null");
	igt_assert_f(!igt_module_loaded("vgem"), "vgem still loaded\n");
	igt_system("modprobe -r cmctx 2>/dev/null");
	igt_assert_f(!igt_module_loaded("cmctx"), "cmctx still loaded\n");
	igt_require_f(take_private_context(),
		      "no 256 MiB of ZONE_MOVABLE could be taken (see the kernel log)\n");
	igt_assert_eq(igt_system("modprobe vgem cma_context=range0"), 0);
	if (opt.shared_mib)
		/*
		 * range0 as pasr's default layout cuts it (2 dies x 8 sections
		 * of 16 MiB: the fault cycle needs a section wholly inside the
		 * 40 MiB buffer), and a third die of 8 sections over range1,
		 * whose idle sections are claimed.
		 */
		snprintf(layout, sizeof(layout),
			 "context=range0,range1 layout=%#llx+%uM:8,%#llx+%uM:8,%#llx+%uM:8",
			 ctx_base, CTX_MIB / 2, ctx_base + CTX_MIB / 2 * MiB, CTX_MIB / 2,
			 ctx_base + CTX_MIB * MiB, opt.shared_mib);
	igt_assert_f(igt_system("modprobe pasr %s %s", layout, opt.pasr_params) == 0,
		     "modprobe pasr %s %s failed\n", layout, opt.pasr_params);
	igt_assert_eq(igt_system("modprobe pasr_sim"), 0);
	igt_assert_f(igt_pasr_value("dies") > 0, "pasr has no layout\n");
	vgem_fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	igt_assert(vgem_fd >= 0);
}

static void make_buffers(void)
{
	unsigned int i;
	size_t w;

	for (i = 0; i < NR_BUFS; i++) {
		struct buf *b = &bufs[i];

		b->bo.handle = igt_vgem_create_mib(vgem_fd, buf_mib[i], VGEM_BO_CONTIGUOUS);
		b->bo.size = buf_mib[i] * MiB;
		b->map = vgem_mmap(vgem_fd, &b->bo, PROT_READ | PROT_WRITE);
		b->seed = 0x5a5e0000u + i * 7919u;
		pattern_fill(b->map, b->bo.size, b->seed);
		b->sum = 0;
		for (w = 0; w < b->bo.size / 8; w++)
			b->sum = mix(b->sum, ((const uint64_t *)b->map)[w]);
	}
}

/* The file: in the page cache of a tmpfs, written once, read each cycle. */
static void make_file(void)
{
	uint64_t off, size = opt.file_mib * MiB;
	ssize_t n;

	fs.data = open_or_fail(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC);
	for (off = 0; off < size; off += MiB) {
		pattern_fill(scratch, MiB, FILE_SEED + (uint32_t)(off / 4) * PATTERN_STEP);
		n = pwrite(fs.data, scratch, MiB, off);
		igt_assert_f(n == (ssize_t)MiB, "writing %s: %s\n", FILE_PATH,
			     n < 0 ? strerror(errno) : "short write");
	}
}

/* The child: counts, and checks its own memory now and then. */
static noreturn void child_main(void)
{
	const struct timespec nap = { 0, 5 * 1000 * 1000 };
	uint32_t *mem;
	unsigned int i;
	size_t w;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		_exit(1);
	mem = malloc(CHILD_BYTES);
	if (!mem)
		_exit(1);
	pattern_fill(mem, CHILD_BYTES, CHILD_SEED);
	for (i = 0;; i++) {
		shared->count++;
		if (i % 64 == 0)
			for (w = 0; w < CHILD_BYTES / 4; w++)
				if (mem[w] != CHILD_SEED + (uint32_t)w * PATTERN_STEP)
					shared->bad_words++;
		nanosleep(&nap, NULL);
	}
}

static void start_child(void)
{
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(shared != MAP_FAILED);
	fflush(stdout);
	fflush(stderr);
	child = fork();
	igt_assert(child >= 0);
	if (child == 0)
		child_main();
}

/* The section of the fault: wholly inside the FAULT_BUF's chunk. */
static void find_fault_section(void)
{
	unsigned long offset, pages, want = buf_mib[FAULT_BUF] * MiB / PAGE;
	unsigned long long first = 0, last = 0, base, size;
	unsigned int d, s;
	char line[256];
	FILE *f;

	f = fopen(CTX_FILE, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "chunk: offset %lu pages %lu", &offset, &pages) == 2 &&
		    pages == want) {
			first = ctx_base + offset * PAGE;
			last = first + pages * PAGE;
		}
	fclose(f);
	igt_assert_f(last, "no chunk of %u MiB in range0\n", buf_mib[FAULT_BUF]);
	f = fopen("/sys/kernel/debug/pasr/sections", "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %u %llx %llu", &d, &s, &base, &size) == 4 &&
		    base >= first && base + size <= last && fault_die < 0) {
			fault_die = (int)d;
			fault_section = (int)s;
		}
	fclose(f);
	igt_assert_f(fault_die >= 0, "no section lies wholly in the %u MiB buffer\n",
		     buf_mib[FAULT_BUF]);
	igt_info("planted fault: section %d.%d (inside the %u MiB buffer) masked in cycle %u\n",
		 fault_die, fault_section, buf_mib[FAULT_BUF], opt.fault_cycle);
}

static void open_files(void)
{
	const char *rtc = "/sys/class/rtc/rtc0/wakealarm";
	char text[256];

	igt_require_f(access(rtc, W_OK) == 0, "no RTC wake alarm (%s)\n", rtc);
	fs.state = open_or_fail("/sys/power/state", O_RDWR);
	igt_assert(read_fd(fs.state, text, sizeof(text)) > 0);
	igt_require_f(strstr(text, opt.state), "/sys/power/state offers \"%.*s\", not %s\n",
		      (int)strcspn(text, "\n"), text, opt.state);
	fs.mem_sleep = open_or_fail("/sys/power/mem_sleep", O_RDWR);
	if (opt.mem_sleep)
		igt_require_f(write_fd(fs.mem_sleep, opt.mem_sleep) == 0,
			      "mem_sleep %s refused\n", opt.mem_sleep);
	igt_assert(read_fd(fs.mem_sleep, text, sizeof(text)) > 0);
	igt_info("sleep state: %s, mem_sleep: %.*s, wake alarm after %u s\n", opt.state,
		 (int)strcspn(text, "\n"), text, opt.wake_s);
	fs.wakealarm = open_or_fail(rtc, O_RDWR);
	fs.kmsg_read = open_or_fail("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	fs.kmsg_write = open_or_fail("/dev/kmsg", O_WRONLY);
	fs.kmemleak = open("/sys/kernel/debug/kmemleak", O_RDWR | O_CLOEXEC);
}

/* The PASR modules' files, once they are loaded. */
static void open_pasr_files(void)
{
	fs.masked = open_or_fail(IGT_PASR_SYSFS "masked", O_RDONLY);
	fs.sim_stats = open_or_fail(IGT_PASR_SIM "stats", O_RDONLY);
	fs.sim_registers = open_or_fail(IGT_PASR_SIM "registers", O_RDONLY);
	fs.sim_fault = open_or_fail(IGT_PASR_SIM "fault_section", O_RDWR);
	fs.claim = open("/sys/kernel/debug/pasr/claim", O_RDONLY | O_CLOEXEC);
}

/*
 * While the uptime is under twice its reseed interval (2 x 60 s), the
 * kernel's random number generator reads CLOCK_MONOTONIC's seconds
 * (ktime_get_seconds()) each time it makes a key, and that read warns
 * while timekeeping is suspended. The ACPI work of syscore_resume() runs
 * before timekeeping resumes and can make a key (a new slab's random
 * freelist): a WARNING from Debian's 6.1 at 13 s of uptime, in CI
 * (2026-12-03), that has nothing to do with the modules under test. So
 * the first suspend waits until the uptime is past that, and asks for a
 * random byte once, which ends the generator's early-boot schedule.
 */
#define CRNG_EARLY_BOOT_S	121

static void leave_crng_early_boot(void)
{
	struct timespec now;
	char byte;

	igt_assert(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
	if (now.tv_sec < CRNG_EARLY_BOOT_S) {
		igt_info("uptime %ld s: waiting until %d s, past the random generator's early boot\n",
			 (long)now.tv_sec, CRNG_EARLY_BOOT_S);
		sleep(CRNG_EARLY_BOOT_S - now.tv_sec);
	}
	igt_assert(getrandom(&byte, 1, 0) == 1);
}

/* ---- after the first suspend: no 9p, no asserts, only open files ---- */

static double ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e9 + (b->tv_nsec - a->tv_nsec);
}

/* Bytes of @n words at @p that differ from the pattern of @seed. */
static uint64_t bad_bytes(const uint32_t *p, size_t n, uint32_t seed, uint64_t *sum)
{
	uint64_t bad = 0;
	uint32_t want, diff;
	size_t i;

	for (i = 0; i < n; i++) {
		want = seed + (uint32_t)i * PATTERN_STEP;
		if (sum && i % 2)
			*sum = mix(*sum, (uint64_t)p[i] << 32 | p[i - 1]);
		diff = p[i] ^ want;
		if (diff)
			bad += !!(diff & 0xff) + !!(diff & 0xff00) +
			       !!(diff & 0xff0000) + !!(diff & 0xff000000);
	}
	return bad;
}

static uint64_t check_buffers(struct cycle_figures *c, uint64_t *fault_bad)
{
	uint64_t bad, total = 0, sum;
	unsigned int i;

	*fault_bad = 0;
	for (i = 0; i < NR_BUFS; i++) {
		sum = 0;
		bad = bad_bytes(bufs[i].map, bufs[i].bo.size / 4, bufs[i].seed, &sum);
		c->bytes_checked += bufs[i].bo.size;
		if (bad || sum != bufs[i].sum)
			printf("  buffer %u (%u MiB): %" PRIu64 " bytes corrupted, checksum %s\n",
			       i, buf_mib[i], bad, sum == bufs[i].sum ? "equal" : "differs");
		if (i == FAULT_BUF)
			*fault_bad = bad;
		total += bad;
	}
	return total;
}

static uint64_t check_file(struct cycle_figures *c)
{
	uint64_t off, bad = 0, size = opt.file_mib * MiB;
	size_t got;
	ssize_t n;

	for (off = 0; off < size; off += MiB) {
		for (got = 0; got < MiB; got += n) {
			n = pread(fs.data, (char *)scratch + got, MiB - got, off + got);
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0) {
				printf("  file: reading at %" PRIu64 ": %s\n", off + got,
				       n < 0 ? strerror(errno) : "end of file");
				return bad + size - off;
			}
		}
		bad += bad_bytes(scratch, MiB / 4,
				 FILE_SEED + (uint32_t)(off / 4) * PATTERN_STEP, NULL);
		c->bytes_checked += MiB;
	}
	if (bad)
		printf("  file: %" PRIu64 " of %" PRIu64 " bytes corrupted\n", bad, size);
	return bad;
}

/* Whether the child runs and counts; how far it counted. */
static bool check_child(uint64_t before, uint64_t *advance)
{
	const struct timespec nap = { 0, 20 * 1000 * 1000 };
	uint64_t now = shared->count;
	unsigned int i;
	int status;

	if (waitpid(child, &status, WNOHANG) != 0) {
		printf("  child: not running any more\n");
		return false;
	}
	for (i = 0; i < 250 && shared->count == now; i++)
		nanosleep(&nap, NULL);
	*advance = shared->count - before;
	if (shared->count == now) {
		printf("  child: stopped counting at %" PRIu64 "\n", now);
		return false;
	}
	return true;
}

/*
 * The kernel log since the cycle began: how long suspending and resuming
 * took by its clock (which stands still while the guest sleeps), and any
 * message that says the suspend failed.
 */
static void read_kmsg(struct cycle_figures *c)
{
	double entry = -1, sleep = -1, wake = -1, exit = -1, ts;
	unsigned long long usec;
	const char *msg;
	char rec[2048];

	while ((msg = igt_kmsg_next(fs.kmsg_read, rec, sizeof(rec), &usec))) {
		ts = usec / 1000.0;
		if (strstr(msg, "PM: suspend entry"))
			entry = ts;
		else if (strstr(msg, "Preparing to enter system sleep state") ||
			 strstr(msg, "PM: suspend-to-idle"))
			sleep = ts;
		else if (strstr(msg, "Low-level resume complete") ||
			 strstr(msg, "PM: resume from suspend-to-idle"))
			wake = ts;
		else if (strstr(msg, "PM: suspend exit"))
			exit = ts;
		else if (strstr(msg, "written into sections") || strstr(msg, "PM: Some devices failed") ||
			 strstr(msg, "PM: Device") || strstr(msg, "abort"))
			printf("  kernel: %s\n", msg);
	}
	c->suspend_ms = entry >= 0 && sleep >= entry ? sleep - entry : -1;
	c->resume_ms = wake >= 0 && exit >= wake ? exit - wake : -1;
}

static void set_fault(bool on)
{
	char cmd[32];
	int ret;

	if (on)
		snprintf(cmd, sizeof(cmd), "%d.%d", fault_die, fault_section);
	else
		snprintf(cmd, sizeof(cmd), "none");
	ret = write_fd(fs.sim_fault, cmd);
	if (ret)
		printf("  fault_section %s: %s\n", cmd, strerror(-ret));
}

/* Arms the alarm and sleeps; 0 or the negative errno of the state write. */
static int suspend_once(void)
{
	char alarm[32];
	int ret;

	ret = write_fd(fs.wakealarm, "0");
	if (ret)
		return ret;
	snprintf(alarm, sizeof(alarm), "+%u", opt.wake_s);
	ret = write_fd(fs.wakealarm, alarm);
	if (ret)
		return ret;
	return write_fd(fs.state, opt.state);
}

static bool run_cycle(unsigned int n, struct cycle_figures *c)
{
	struct timespec mono0, mono1, boot0, boot1;
	struct sim_stats s0, s1;
	uint64_t count0, fault_bad;
	bool fault = n == opt.fault_cycle;
	unsigned int tries;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->ok = true;
	lseek(fs.kmsg_read, 0, SEEK_END);
	c->masked_before = fd_value(fs.masked);
	if (!read_sim_stats(&s0)) {
		printf("  cannot read pasr_sim's stats\n");
		return c->ok = false;
	}
	if (fault)
		set_fault(true);
	count0 = shared->count;
	clock_gettime(CLOCK_MONOTONIC, &mono0);
	clock_gettime(CLOCK_BOOTTIME, &boot0);
	/* A wake-up event during the suspend aborts it (EBUSY): try again. */
	for (tries = 0; tries < 3; tries++) {
		ret = suspend_once();
		if (ret != -EBUSY && ret != -EAGAIN)
			break;
		printf("  suspend aborted (%s), again\n", strerror(-ret));
	}
	clock_gettime(CLOCK_MONOTONIC, &mono1);
	clock_gettime(CLOCK_BOOTTIME, &boot1);
	if (fault)
		set_fault(false);
	if (ret) {
		printf("  writing %s to /sys/power/state: %s\n", opt.state, strerror(-ret));
		c->ok = false;
	}
	c->work_ms = ns_between(&mono0, &mono1) / 1e6;
	c->slept_ms = ns_between(&boot0, &boot1) / 1e6 - c->work_ms;
	read_kmsg(c);
	c->masked_after = fd_value(fs.masked);
	if (!read_sim_stats(&s1)) {
		printf("  cannot read pasr_sim's stats\n");
		c->ok = false;
		s1 = s0;
	}
	c->delta.entries = s1.entries - s0.entries;
	c->delta.sections = s1.sections - s0.sections;
	c->delta.bytes = s1.bytes - s0.bytes;
	c->delta.dirty = s1.dirty - s0.dirty;
	c->claimed = c->claim_us = -1;
	if (fs.claim >= 0) {
		char text[1024];

		if (read_fd(fs.claim, text, sizeof(text)) > 0) {
			c->claimed = text_figure(text, "claimed");
			c->claim_us = text_figure(text, "us");
		}
	}
	if (c->delta.entries != 1) {
		printf("  the controller entered self-refresh %lld times, not once\n",
		       c->delta.entries);
		c->ok = false;
	}
	if (c->delta.sections <= 0) {
		printf("  no section was masked and poisoned\n");
		c->ok = false;
	}
	/* Sections claimed at suspend (pasr's PM notifier) come on top. */
	if (c->delta.sections < c->masked_before + (fault ? 1 : 0) ||
	    (c->claimed <= 0 && c->delta.sections != c->masked_before + (fault ? 1 : 0))) {
		printf("  %lld sections poisoned, %lld masked, %lld claimed at suspend\n",
		       c->delta.sections, c->masked_before, c->claimed);
		c->ok = false;
	}
	if (c->delta.dirty) {
		printf("  %lld bytes written into sections that were not refreshed\n",
		       c->delta.dirty);
		c->ok = false;
	}
	c->buf_bad = check_buffers(c, &fault_bad);
	c->file_bad = check_file(c);
	if (!check_child(count0, &c->child_advance))
		c->ok = false;
	c->child_bad = shared->bad_words;
	if (c->child_bad) {
		printf("  child: %" PRIu64 " words of its memory corrupted\n", c->child_bad);
		c->ok = false;
	}
	if (c->file_bad)
		c->ok = false;
	if (fault) {
		/* The planted fault must show, in its buffer and only there. */
		if (!fault_bad) {
			printf("  planted fault NOT detected: section %d.%d was masked under the buffer\n",
			       fault_die, fault_section);
			c->ok = false;
		} else {
			printf("  planted fault detected: %" PRIu64 " bytes of the %u MiB buffer corrupted\n",
			       fault_bad, buf_mib[FAULT_BUF]);
		}
		if (c->buf_bad != fault_bad)
			c->ok = false;
		pattern_fill(bufs[FAULT_BUF].map, bufs[FAULT_BUF].bo.size, bufs[FAULT_BUF].seed);
	} else if (c->buf_bad) {
		c->ok = false;
	}
	return c->ok;
}

/* kmemleak, where the kernel has it: a scan whose findings go to the log. */
static void kmemleak_scan(void)
{
	const struct timespec wait = { 6, 0 };
	char text[16384], *line, *next;
	unsigned int lines = 0;

	if (fs.kmemleak < 0)
		return;
	/* It reports objects older than 5 s, and holds back changed ones. */
	nanosleep(&wait, NULL);
	if (write_fd(fs.kmemleak, "scan") || write_fd(fs.kmemleak, "scan")) {
		printf("kmemleak: scan failed\n");
		return;
	}
	if (read_fd(fs.kmemleak, text, sizeof(text)) < 0) {
		printf("kmemleak: cannot read\n");
		return;
	}
	for (line = text; *line && lines < 300; line = next, lines++) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (write(fs.kmsg_write, line, strlen(line)) < 0)
			break;
	}
	printf("kmemleak: scanned after the cycles, %u lines to the kernel log\n", lines);
}

static noreturn void finish(int status)
{
	printf(STATUS_LINE " %d\n", status);
	fflush(stdout);
	fflush(stderr);
	tcdrain(STDOUT_FILENO);
	if (opt.power_off) {
		/* No sync: 9p is gone, and nothing here needs writing back. */
		reboot(RB_POWER_OFF);
		printf("reboot(RB_POWER_OFF): %s\n", strerror(errno));
		fflush(stdout);
		for (;;)
			pause();
	}
	exit(status);
}

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
		"usage: %s [--cycles N] [--wake S] [--fault-cycle K] [--file-mib M]\n"
		"          [--state mem|freeze] [--mem-sleep deep|s2idle]\n"
		"          [--pasr-params 'P=V ...'] [--shared-mib M] [--no-power-off]\n"
		"Suspends and resumes the guest N times (default 20) with PASR and\n"
		"checks every byte of live vgem buffers, a page-cache file and a\n"
		"running process after each; --fault-cycle masks a section under a\n"
		"live buffer in cycle K, which must then be reported. --shared-mib\n"
		"adds a shared context of M MiB (a multiple of 16) after the private\n"
		"one, a third die of 8 sections over it, and makes pasr claim its idle\n"
		"sections at every suspend (the page-cache file is written after it,\n"
		"so part of it lies there and is migrated out). Ends with\n"
		"\"" STATUS_LINE " N\" and powers the guest off (9p does not survive a\n"
		"suspend); run it with tools/vm run --status-from-console.\n", argv0);
}

static unsigned int parse_count(const char *arg, const char *argv0)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v > 100000) {
		usage(stderr, argv0);
		exit(EXIT_USAGE);
	}
	return (unsigned int)v;
}

static void parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cycles", required_argument, NULL, 'c' },
		{ "wake", required_argument, NULL, 'w' },
		{ "fault-cycle", required_argument, NULL, 'f' },
		{ "file-mib", required_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 's' },
		{ "mem-sleep", required_argument, NULL, 'M' },
		{ "pasr-params", required_argument, NULL, 'p' },
		{ "shared-mib", required_argument, NULL, 'S' },
		{ "no-power-off", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opt.cycles = parse_count(optarg, argv[0]); break;
		case 'w': opt.wake_s = parse_count(optarg, argv[0]); break;
		case 'f': opt.fault_cycle = parse_count(optarg, argv[0]); break;
		case 'm': opt.file_mib = parse_count(optarg, argv[0]); break;
		case 's': opt.state = optarg; break;
		case 'M': opt.mem_sleep = optarg; break;
		case 'p': opt.pasr_params = optarg; break;
		case 'S': opt.shared_mib = parse_count(optarg, argv[0]); break;
		case 'n': opt.power_off = false; break;
		case 'h': usage(stdout, argv[0]); exit(0);
		default: usage(stderr, argv[0]); exit(EXIT_USAGE);
		}
	}
	if (optind != argc || !opt.cycles || opt.wake_s < 2 || !opt.file_mib ||
	    opt.shared_mib % 16 || opt.shared_mib > 1024 ||
	    opt.fault_cycle > opt.cycles || strpbrk(opt.pasr_params, ";&|`$<>\\\"'")) {
		usage(stderr, argv[0]);
		exit(EXIT_USAGE);
	}
}

int main(int argc, char **argv)
{
	struct cycle_figures c;
	double work = 0, susp = 0, res = 0;
	uint64_t checked = 0, buf_bad = 0, file_bad = 0;
	unsigned int n, masked_cycles = 0, failed = 0, timed = 0;
	bool fault_seen = false;

	parse_options(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	igt_info("pasr_suspend: %u cycles, wake alarm %u s, pasr params '%s'%s\n",
		 opt.cycles, opt.wake_s, opt.pasr_params,
		 opt.fault_cycle ? ", a planted fault" : "");
	open_files();
	scratch = malloc(MiB);
	igt_assert(scratch);
	load_stack();
	open_pasr_files();
	make_buffers();
	make_file();
	if (opt.fault_cycle)
		find_fault_section();
	start_child();
	leave_crng_early_boot();
	/* From here the program reads nothing from 9p: lock what it has. */
	igt_assert_f(mlockall(MCL_CURRENT | MCL_FUTURE) == 0, "mlockall: %s\n",
		     strerror(errno));
	{
		char regs[256];

		igt_assert(read_fd(fs.sim_registers, regs, sizeof(regs)) > 0);
		igt_info("set up: %u buffers (115 MiB) in range0 at %#llx, a %u MiB file in %s, child %d;"
			 " %lld of %lld sections masked\n%s", (unsigned int)NR_BUFS, ctx_base,
			 opt.file_mib, FILE_PATH, (int)child, fd_value(fs.masked),
			 igt_pasr_value("sections"), regs);
	}
	fflush(stdout);

	for (n = 1; n <= opt.cycles; n++) {
		bool ok = run_cycle(n, &c);
		char claim[64] = "";

		if (c.claimed >= 0)
			snprintf(claim, sizeof(claim), ", claimed at suspend %lld (%lld us)",
				 c.claimed, c.claim_us);

		printf("cycle %u/%u: masked %lld->%lld, poisoned %lld sections (%lld MiB),"
		       " suspend %.0f ms, resume %.0f ms, in kernel %.0f ms, slept %.0f ms,"
		       " %" PRIu64 " MiB checked, corrupted %" PRIu64 " (buffers) %" PRIu64
		       " (file), dirty %lld, child +%" PRIu64 "%s%s: %s\n",
		       n, opt.cycles, c.masked_before, c.masked_after, c.delta.sections,
		       c.delta.bytes / (long long)MiB, c.suspend_ms, c.resume_ms, c.work_ms,
		       c.slept_ms, (uint64_t)(c.bytes_checked / MiB), c.buf_bad, c.file_bad,
		       c.delta.dirty, c.child_advance, claim,
		       n == opt.fault_cycle ? ", planted fault" : "", ok ? "ok" : "FAIL");
		masked_cycles += c.delta.sections > 0;
		failed += !ok;
		checked += c.bytes_checked;
		if (n == opt.fault_cycle) {
			fault_seen = ok && c.buf_bad > 0;
		} else {
			buf_bad += c.buf_bad;
		}
		file_bad += c.file_bad;
		work += c.work_ms;
		if (c.suspend_ms >= 0 && c.resume_ms >= 0) {
			susp += c.suspend_ms;
			res += c.resume_ms;
			timed++;
		}
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	kmemleak_scan();
	printf("total: %u cycles, %u with sections masked, %u failed; mean suspend %.0f ms,"
	       " resume %.0f ms, in kernel %.0f ms; %" PRIu64 " MiB checked, %" PRIu64
	       " bytes corrupted (buffers, planted fault excluded), %" PRIu64
	       " (file)%s: %s\n",
	       opt.cycles, masked_cycles, failed, timed ? susp / timed : -1.0,
	       timed ? res / timed : -1.0, work / opt.cycles, (uint64_t)(checked / MiB), buf_bad,
	       file_bad, opt.fault_cycle ? (fault_seen ? "; planted fault detected" :
					    "; planted fault NOT detected") : "",
	       failed ? "FAIL" : "PASS");
	finish(failed ? EXIT_CYCLE : 0);
}
