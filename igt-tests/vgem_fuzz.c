// SPDX-License-Identifier: MIT
/*
 * A seeded fuzzer of vgem's uapi (docs/testing.md, "The fuzzer"): random
 * programs of every ioctl vgem takes (upstream's and ours), GEM_CLOSE,
 * PRIME both ways, mmap and munmap through the DRM file and the dma-buf,
 * dma-buf sync, sync_file export and import, poll, fences, fork and fd
 * passing, run by several processes and threads at once on several
 * devices. A program is its seed (igt-tests/fuzz/fuzz_prog.h): a failing
 * seed is printed with its program, and replays.
 *
 *   vgem_fuzz [--list-subtests | --run-subtest NAME]   the suite's subtests
 *   vgem_fuzz --seed S [--print]                       one program (and its calls)
 *   vgem_fuzz --minutes M [--seed S]                   a campaign of programs S, S+1...
 *
 * A program fails when one of its processes crashes or hangs (60 s), or
 * when the kernel logs a report while it runs. Needs root (it reloads
 * vgem with two devices) and ZONE_MOVABLE for contiguous buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "fuzz/fuzz_exec.h"
#include "fuzz/fuzz_prog.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_kmsg.h"
#include "lib/igt_module.h"
#include "lib/igt_vgem.h"

#define HANG_SECONDS	60

/*
 * vgem's contig_max_buffer while programs run. As root (CAP_SYS_RESOURCE)
 * a program may otherwise make a contiguous buffer of up to 256 MiB: in a
 * TCG guest that has run other tests, migrating and zeroing 101 MiB whose
 * pages held translated code took 13 s (0.2 s fresh), and a CI campaign
 * on 6.12 saw a program outlive HANG_SECONDS. Larger sizes still fuzz the
 * limit's refusal (-EFBIG).
 */
#define CAMPAIGN_CONTIG_MAX	"16M"

/** struct campaign - what every program of a run shares */
struct campaign {
	struct fuzz_shape shape;
	int minors[FUZZ_MAX_DEVICES];
	struct fuzz_tally *tally;	/* shared with the programs' processes */
	int kmsg;			/* /dev/kmsg, at the end of the log */
	char contig_max[32];		/* contig_max_buffer before, or "" */
};

static const struct fuzz_shape default_shape = {
	.procs = 3, .threads = 2, .calls = 64, .devices = 2,
};

static void print_program(uint64_t seed, const struct fuzz_shape *shape, FILE *out)
{
	struct fuzz_call *calls = calloc(shape->calls, sizeof(*calls));
	unsigned int proc, thread, i;
	char line[512];

	if (!calls)
		return;
	fprintf(out, "program of seed %" PRIu64 " (%u processes x %u threads x %u calls, %u devices):\n",
		seed, shape->procs, shape->threads, shape->calls, shape->devices);
	for (proc = 0; proc < shape->procs; proc++)
		for (thread = 0; thread < shape->threads; thread++) {
			fuzz_generate(seed, shape, proc, thread, calls);
			for (i = 0; i < shape->calls; i++) {
				fuzz_format(&calls[i], line, sizeof(line));
				fprintf(out, "  p%u.t%u #%-3u %s\n", proc, thread, i, line);
			}
		}
	free(calls);
}

/* Sets this process's oom_score_adj (see campaign_init()); best effort. */
static void set_oom_score_adj(const char *value)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0)
		fprintf(stderr, "oom_score_adj %s: %s\n", value, strerror(errno));
	close(fd);
}

/* One process of a program: its threads run their calls; exit 0. */
static noreturn void run_process(const struct campaign *c, uint64_t seed, unsigned int proc,
				 int sock_next, int sock_prev)
{
	struct fuzz_call *lists[8];
	struct fuzz_proc *p;
	unsigned int t;

	set_oom_score_adj("0");
	p = fuzz_proc_new(c->minors, c->shape.devices, sock_next, sock_prev, c->tally);
	if (!p)
		_exit(2);
	for (t = 0; t < c->shape.threads; t++) {
		lists[t] = calloc(c->shape.calls, sizeof(struct fuzz_call));
		if (!lists[t])
			_exit(2);
		fuzz_generate(seed, &c->shape, proc, t, lists[t]);
	}
	_exit(fuzz_run_threads(p, lists, c->shape.threads, c->shape.calls) ? 2 : 0);
}

/*
 * The state and kernel stack of every task of the fuzzer's (FORK's
 * children included) but the calling one's process (root only).
 */
static void print_stacks(void)
{
	igt_system("for t in /proc/[0-9]*/task/*; do "
		   "[ \"$(cat $t/comm 2>/dev/null)\" = vgem_fuzz ] || continue; "
		   "[ \"${t#/proc/}\" = \"%d/task/%d\" ] && continue; "
		   "echo \"$t: $(cut -d' ' -f3 $t/stat)\"; cat $t/stack; done 2>/dev/null",
		   getpid(), getpid());
}

/* Waits for @n processes; a description of what went wrong, or NULL. */
static const char *wait_processes(pid_t *pids, unsigned int n, char *why, size_t size)
{
	time_t deadline = time(NULL) + HANG_SECONDS;
	unsigned int left = n, i;
	const char *ret = NULL;
	int status;

	while (left) {
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0)
			break;
		if (!pid) {
			if (time(NULL) > deadline) {
				print_stacks();
				snprintf(why, size, "%u processes still running after %d s", left,
					 HANG_SECONDS);
				for (i = 0; i < n; i++)
					if (pids[i] > 0)
						kill(pids[i], SIGKILL);
				deadline += 3600;
				ret = why;
			}
			usleep(10000);
			continue;
		}
		for (i = 0; i < n; i++)
			if (pids[i] == pid)
				pids[i] = 0;
		left--;
		if (ret)
			continue;
		if (WIFSIGNALED(status)) {
			snprintf(why, size, "process %d killed by signal %d", pid, WTERMSIG(status));
			ret = why;
		} else if (WEXITSTATUS(status)) {
			snprintf(why, size, "process %d exited with %d", pid, WEXITSTATUS(status));
			ret = why;
		}
	}
	return ret;
}

/* A kernel-log report since the last look, or NULL. */
static const char *kernel_report(const struct campaign *c, char *buf, size_t size)
{
	static const char *const patterns[] = {
		"WARNING:", "BUG:", "Oops", "general protection fault", "Call Trace:",
		"UBSAN:", "kmemleak:", "refcount_t:", "list_add corruption",
		"list_del corruption", "INFO: task", "rcu: INFO", "Kernel panic",
	};
	const char *msg, *found = NULL;
	unsigned int i;

	if (c->kmsg < 0)
		return NULL;
	while ((msg = igt_kmsg_next(c->kmsg, buf, size, NULL)))
		for (i = 0; !found && i < IGT_ARRAY_SIZE(patterns); i++)
			if (strstr(msg, patterns[i]))
				found = msg;
	return found;
}

/* Runs the program of @seed; NULL, or what failed (in @why). */
static const char *run_program(const struct campaign *c, uint64_t seed, char *why, size_t size)
{
	int socks[8][2];
	pid_t pids[8] = { 0 };
	unsigned int i, n = c->shape.procs;
	const char *ret;
	char kbuf[1024];

	for (i = 0; i < n; i++)
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, socks[i])) {
			snprintf(why, size, "socketpair: %s", strerror(errno));
			return why;
		}
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (!pids[i])
			run_process(c, seed, i, socks[i][0], socks[(i + n - 1) % n][1]);
	}
	for (i = 0; i < n; i++) {
		close(socks[i][0]);
		close(socks[i][1]);
	}
	ret = wait_processes(pids, n, why, size);
	if (!ret && (ret = kernel_report(c, kbuf, sizeof(kbuf)))) {
		snprintf(why, size, "the kernel logged: %s", ret);
		ret = why;
	}
	__atomic_fetch_add(&c->tally->programs, 1, __ATOMIC_RELAXED);
	return ret;
}

static struct fuzz_tally *new_tally(void)
{
	void *t = mmap(NULL, sizeof(struct fuzz_tally), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return t == MAP_FAILED ? NULL : t;
}

/* Sets @c up on the vgem devices there are: 0, or a negative errno. */
static int campaign_init(struct campaign *c, const struct fuzz_shape *shape)
{
	int found;

	memset(c, 0, sizeof(*c));
	c->shape = *shape;
	found = igt_vgem_card_minors(c->minors, FUZZ_MAX_DEVICES);
	if (found <= 0)
		return -ENODEV;
	if ((unsigned int)found < c->shape.devices)
		c->shape.devices = found;
	c->tally = new_tally();
	if (!c->tally)
		return -ENOMEM;
	/*
	 * Should a program exhaust memory after all, the OOM killer takes
	 * one of its processes, which fails the program with its seed, not
	 * the campaign.
	 */
	set_oom_score_adj("-1000");
	if (igt_module_param_read("vgem", "contig_max_buffer", c->contig_max,
				  sizeof(c->contig_max)) ||
	    igt_module_param_write("vgem", "contig_max_buffer", CAMPAIGN_CONTIG_MAX))
		c->contig_max[0] = '\0';
	c->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->kmsg >= 0)
		lseek(c->kmsg, 0, SEEK_END);
	return 0;
}

static void campaign_fini(struct campaign *c)
{
	if (c->contig_max[0])
		igt_module_param_write("vgem", "contig_max_buffer", c->contig_max);
	if (c->kmsg >= 0)
		close(c->kmsg);
	munmap(c->tally, sizeof(*c->tally));
}

static void print_figures(const struct campaign *c, double seconds)
{
	printf("programs executed: %" PRIu64 ", calls: %" PRIu64 ", distinct outcomes: %u, in %.0f s\n",
	       c->tally->programs, c->tally->calls, fuzz_distinct_outcomes(c->tally), seconds);
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Programs @seed, @seed + 1... for @seconds, or @max_programs of them
 * (0: no limit). Return: 0, or 1 after printing the failing program,
 * then its seed and what failed.
 */
static int campaign_run(struct campaign *c, uint64_t seed, double seconds,
			uint64_t max_programs)
{
	struct timespec t0;
	char why[512];
	const char *failed = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("fuzzing from seed %" PRIu64 " for %.0f s\n", seed, seconds);
	fflush(stdout);
	while (!failed && elapsed(&t0) < seconds &&
	       (!max_programs || c->tally->programs < max_programs)) {
		failed = run_program(c, seed, why, sizeof(why));
		if (!failed)
			seed++;
	}
	if (failed)
		print_program(seed, &c->shape, stdout);
	print_figures(c, elapsed(&t0));
	if (!failed)
		return 0;
	/* Last, where a log's tail (CI's) shows it. */
	printf("seed %" PRIu64 " failed: %s\nreplay: vgem_fuzz --seed %" PRIu64 " --print\n",
	       seed, failed, seed);
	return 1;
}

static uint64_t seed_from_env(void)
{
	const char *s = getenv("VGEM_FUZZ_SEED");

	return s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) * 1000;
}

/* ---- the suite's subtests ---- */

static bool same_calls(const struct fuzz_call *a, const struct fuzz_call *b, unsigned int n)
{
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		if (a[i].op != b[i].op)
			return false;
		for (k = 0; k < FUZZ_MAX_ARGS; k++)
			if (a[i].arg[k].kind != b[i].arg[k].kind ||
			    a[i].arg[k].value != b[i].arg[k].value)
				return false;
	}
	return true;
}

/* A seed is a program: the same every time, another for another seed. */
static void test_same_seed_same_program(void)
{
	struct fuzz_shape shape = default_shape;
	struct fuzz_call a[64], b[64];
	bool seen[FUZZ_NR_OPS] = { false }, differ = false;
	unsigned int seed, i;

	for (seed = 0; seed < 64; seed++) {
		fuzz_generate(seed, &shape, 1, 1, a);
		fuzz_generate(seed, &shape, 1, 1, b);
		igt_assert_f(same_calls(a, b, shape.calls), "seed %u gave two programs\n", seed);
		fuzz_generate(seed + 1, &shape, 1, 1, b);
		differ |= !same_calls(a, b, shape.calls);
		for (i = 0; i < shape.calls; i++)
			seen[a[i].op] = true;
	}
	igt_assert_f(differ, "every seed gave the same program\n");
	for (i = 0; i < FUZZ_NR_OPS; i++)
		igt_assert_f(seen[i], "%s never generated in 64 programs\n", fuzz_op_name(i));
}

/*
 * Every object, export, pin, hash entry and contiguous chunk is gone once
 * the programs' processes are.
 */
static void assert_devices_idle(const struct campaign *c)
{
	for (unsigned int d = 0; d < c->shape.devices; d++)
		igt_vgem_assert_idle(c->minors[d]);
}

/*
 * A bounded campaign on two devices: VGEM_FUZZ_SECONDS (default 30),
 * from VGEM_FUZZ_SEED (default: the time). No program may crash, hang or
 * make the kernel report; afterwards nothing is left and vgem unloads.
 */
static void test_campaign(void)
{
	const char *env = getenv("VGEM_FUZZ_SECONDS");
	double seconds = env ? atof(env) : 30;
	struct campaign c;
	int ret;

	igt_system("modprobe vgem");
	igt_require_f(igt_module_out_of_tree("vgem"), "fuzzes this project's vgem\n");
	igt_vgem_reload(2);
	ret = campaign_init(&c, &default_shape);
	igt_assert_f(!ret, "set-up: %s\n", strerror(-ret));
	igt_assert_eq(c.shape.devices, 2);
	ret = campaign_run(&c, seed_from_env(), seconds, 0);
	igt_info("programs %" PRIu64 ", calls %" PRIu64 ", distinct outcomes %u\n",
		 c.tally->programs, c.tally->calls, fuzz_distinct_outcomes(c.tally));
	igt_assert_f(!ret, "a program failed (above)\n");
	igt_assert_f(c.tally->programs > 0, "no program ran\n");
	assert_devices_idle(&c);
	campaign_fini(&c);
	igt_vgem_reload(1);
}

static const struct igt_subtest subtests[] = {
	{ "same-seed-same-program", test_same_seed_same_program },
	{ "campaign", test_campaign },
};

/* ---- the command ---- */

static int usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--list-subtests | --run-subtest PATTERN]\n"
		"       %s --seed S [--print]\n"
		"       %s --minutes M [--seed S]\n", argv0, argv0, argv0);
	return IGT_EXIT_INVALID;
}

static int command(int argc, char **argv)
{
	uint64_t seed = seed_from_env();
	double minutes = -1;
	bool print = false;
	struct campaign c;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--minutes") && i + 1 < argc)
			minutes = atof(argv[++i]);
		else if (!strcmp(argv[i], "--print"))
			print = true;
		else
			return usage(argv[0]);
	}
	if (print) {
		print_program(seed, &default_shape, stdout);
		fflush(stdout);
	}
	ret = campaign_init(&c, &default_shape);
	if (ret) {
		fprintf(stderr, "no vgem device to fuzz: %s\n", strerror(-ret));
		return 1;
	}
	/* One program: as long as it takes; a campaign: the minutes. */
	ret = minutes < 0 ? campaign_run(&c, seed, 1e9, 1) : campaign_run(&c, seed, minutes * 60, 0);
	campaign_fini(&c);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--seed") || !strcmp(argv[1], "--minutes")))
		return command(argc, argv);
	return igt_main_run(argc, argv, subtests, IGT_ARRAY_SIZE(subtests));
}
