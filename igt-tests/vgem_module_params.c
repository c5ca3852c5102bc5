// SPDX-License-Identifier: MIT
/*
 * vgem_module_params: every parameter of this project's modules (vgem.ko,
 * cmctx.ko, pasr.ko, pasr_sim.ko) given bad values, at load and through
 * sysfs (issue 16).
 *
 * Why: a module parameter is input from root, but a typo or a number that
 * does not fit must be refused, never turned into another value (a size
 * past 2^64 wrapping around to a few bytes, a count past 2^32 cut to a
 * small one) that the module then runs with.
 *
 * bad-parameters: the values are out of range, 0 where 0 is invalid,
 * numbers past 2^32 and 2^64, -1, garbage, empty, the name alone, overlong
 * strings, unknown names (the kernel ignores those, with a warning),
 * malformed layouts, pairs and ranges. The modules are loaded with
 * init_module(2) from copies in memory, so that the errno is seen and
 * nothing is exec'd between loads. A bad value is refused either by a
 * failed load (a clean errno: EINVAL, ERANGE or ENOSPC) or, for the values
 * the design refuses entry by entry and then loads anyway (cmctx's range=,
 * pasr's layout=, pairs= and context=, vgem's cma_context naming no
 * context: docs/cma.md, docs/pasr.md, docs/uapi.md), by a load that leaves
 * the value without effect; either way the kernel log says why after the
 * case's marker, naming the parameter or the entry. Writable parameters
 * (0644) are written bad values through /sys/module/MODULE/parameters/,
 * which must fail and leave the value as it was; read-only ones (0444)
 * must refuse any write. Then each module loads with good values of every
 * parameter, which read back. Every case prints a line (module, parameter,
 * value, errno, the log's message); the bad values accepted are listed
 * together at the end, and fail the subtest.
 *
 * The fixture puts the modules back as the other tests expect them (cmctx
 * and vgem with their defaults: `modprobe vgem`) whatever the subtest did.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_figures.h"
#include "lib/igt_kmsg.h"
#include "lib/igt_mm.h"
#include "lib/igt_module.h"
#include "lib/igt_pasr.h"

#define MiB		(1024ull * 1024)
#define PAGE		4096ull
#define CTX_DIR		"/sys/kernel/debug/cmctx/"
#define RANGE0		CTX_DIR "range0"
/* Two dies of 4 x 4 MiB at 1 TiB, beyond RAM: nothing feeds them (pasr_basic's). */
#define FAR_LAYOUT	"layout=0x10000000000+16M:4,0x10001000000+16M:4"

/* The log of the case under way. */
static struct igt_kmsg_tail kmsg;

/* ---- results ---------------------------------------------------------------- */

/* The bad values accepted, and other failures of the cases. */
static char failures[16384];
static unsigned int nr_failures;

static void record_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void record_failure(const char *fmt, ...)
{
	size_t len = strlen(failures);
	va_list ap;

	nr_failures++;
	if (len + 2 >= sizeof(failures))
		return;
	va_start(ap, fmt);
	vsnprintf(failures + len, sizeof(failures) - len - 1, fmt, ap);
	va_end(ap);
	strcat(failures, "\n");
}

/* A value as the messages show it: overlong ones abbreviated. */
static const char *shown(const char *value, char *buf, size_t size)
{
	size_t len;

	if (!value)
		return "(the name alone)";
	len = strlen(value);
	if (len <= 48)
		snprintf(buf, size, "\"%s\"", value);
	else
		snprintf(buf, size, "\"%.12s...\" (%zu chars)", value, len);
	return buf;
}

/* @n copies of @c (never freed: the tables of bad values keep them). */
static const char *repeat(char c, size_t n)
{
	char *buf = malloc(n + 1);

	igt_assert(buf);
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void assert_param(enum igt_vgem_module m, const char *param, const char *expect)
{
	const char *name = igt_vgem_module(m)->name;
	char value[64];

	igt_assert_eq(igt_module_param_read(name, param, value, sizeof(value)), 0);
	igt_assert_f(!strcmp(value, expect), "%s %s reads \"%s\", not \"%s\"\n", name, param,
		     value, expect);
}

/* ---- bad values at load ------------------------------------------------------ */

/*
 * What a bad value may do instead of failing the load, as the design of
 * its parameter has it (the load failing is always right).
 */
enum refusal {
	LOAD_FAILS,		/* nothing else: the load must fail */
	NO_RANGE_CONTEXT,	/* cmctx may load, but with no range0 */
	NO_DIES,		/* pasr may load, but with no layout */
	NO_VGEM_CONTEXT,	/* vgem may load, but without a context */
	LOADS_AND_SAYS,		/* may load; the log says the value was refused */
};

/**
 * struct bad - a bad value of a parameter, at load
 * @param: the parameter
 * @value: the value; NULL: the name alone, no "="
 * @base: the other parameters of the load, or NULL
 * @message: what the kernel log must say; NULL: "parameter `@param'" (the
 *	kernel's parser: "`V' invalid for parameter `P'")
 * @refusal: what else than a failed load refuses it
 */
struct bad {
	const char *param, *value, *base, *message;
	enum refusal refusal;
};

/* Whether the module, loaded, left the value without effect; else why not. */
static bool refusal_holds(enum refusal refusal, char *why, size_t size)
{
	char value[64] = "";

	switch (refusal) {
	case NO_RANGE_CONTEXT:
		snprintf(why, size, "a context range0 was made");
		return access(RANGE0, F_OK) != 0;
	case NO_DIES:
		snprintf(why, size, "pasr has %lld dies", igt_pasr_value("dies"));
		return igt_pasr_value("dies") == 0;
	case NO_VGEM_CONTEXT:
		igt_module_param_read("vgem", "cma_context", value, sizeof(value));
		snprintf(why, size, "vgem uses context \"%s\"", value);
		return value[0] == '\0';
	case LOADS_AND_SAYS:
		return true;
	case LOAD_FAILS:
		break;
	}
	snprintf(why, size, "it loaded");
	return false;
}

/* One bad value: a failed load, or a load without effect; either way, a message. */
static void try_bad_value(enum igt_vgem_module m, const struct bad *b, unsigned int index)
{
	char params[1600], line[300], why[96], value[64] = "", buf[80], expect[96];
	const char *name = igt_vgem_module(m)->name, *show = shown(b->value, buf, sizeof(buf));
	bool said;
	int ret;

	snprintf(params, sizeof(params), "%s %s%s%s", b->base ? b->base : "", b->param,
		 b->value ? "=" : "", b->value ? b->value : "");
	if (b->message)
		snprintf(expect, sizeof(expect), "%s", b->message);
	else
		snprintf(expect, sizeof(expect), "parameter `%s'", b->param);

	igt_assert(!igt_module_loaded(name));
	igt_kmsg_tail_mark(&kmsg, "vgem_module_params %d: %s case %u", getpid(), name, index);
	ret = __igt_module_image_load(igt_vgem_module(m), params);
	igt_kmsg_tail_read(&kmsg);
	said = igt_kmsg_tail_find(&kmsg, expect, line, sizeof(line));
	if (!said)
		snprintf(line, sizeof(line), "(the log has no \"%s\")", expect);

	if (ret) {
		igt_info("%s %s=%s: load refused, %s: %s\n", name, b->param, show,
			 strerrorname_np(-ret), line);
		if (ret != -EINVAL && ret != -ERANGE && ret != -ENOSPC)
			record_failure("%s %s=%s: the load failed with %s, not EINVAL, ERANGE or ENOSPC",
				       name, b->param, show, strerrorname_np(-ret));
		if (!said)
			record_failure("%s %s=%s: refused with %s, but the log has no \"%s\"",
				       name, b->param, show, strerrorname_np(-ret), expect);
		igt_assert_f(!igt_module_loaded(name), "%s is loaded after a failed load\n", name);
		return;
	}

	igt_module_param_read(name, b->param, value, sizeof(value));
	if (!refusal_holds(b->refusal, why, sizeof(why))) {
		igt_info("%s %s=%s: ACCEPTED, reads back \"%s\" (%s): %s\n", name, b->param,
			 show, value, why, line);
		record_failure("%s %s=%s: accepted: the module loaded, the parameter reads \"%s\", %s",
			       name, b->param, show, value, why);
	} else {
		igt_info("%s %s=%s: loaded, value refused (reads \"%s\"): %s\n", name, b->param,
			 show, value, line);
		if (!said)
			record_failure("%s %s=%s: loaded with the value ignored, but the log has no \"%s\"",
				       name, b->param, show, expect);
	}
	ret = igt_module_unload_wait(name);
	igt_assert_f(ret == 0, "cannot unload %s: %s\n", name, strerror(-ret));
}

/* Each of @bad in turn; module @m is not loaded before, and is not after. */
static void try_bad_values(enum igt_vgem_module m, const struct bad *bad, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		try_bad_value(m, &bad[i], i);
}

/* ---- bad values through sysfs -------------------------------------------------- */

/*
 * Writes each of @values to a parameter of a loaded module: the write
 * must fail and the value stay (a read-only parameter refuses any write).
 * A value accepted is put back.
 */
static void try_bad_writes(enum igt_vgem_module m, const char *param,
			   const char *const *values, unsigned int n)
{
	const char *name = igt_vgem_module(m)->name;
	char before[64], after[64], buf[80];
	unsigned int i;
	int ret;

	igt_assert_eq(igt_module_param_read(name, param, before, sizeof(before)), 0);
	for (i = 0; i < n; i++) {
		const char *show = shown(values[i], buf, sizeof(buf));

		ret = igt_module_param_write(name, param, values[i]);
		igt_assert_eq(igt_module_param_read(name, param, after, sizeof(after)), 0);
		igt_info("%s %s <- %s: %s, reads \"%s\"\n", name, param, show,
			 ret ? strerrorname_np(-ret) : "ACCEPTED", after);
		if (!ret || strcmp(before, after)) {
			record_failure("%s %s <- %s through sysfs: %s, reads \"%s\" (was \"%s\")",
				       name, param, show, ret ? "refused" : "accepted", after,
				       before);
			igt_assert_eq(igt_module_param_write(name, param, before), 0);
		}
	}
}

static void try_read_only(enum igt_vgem_module m, const char *param, const char *value)
{
	try_bad_writes(m, param, &value, 1);
}

/* ---- the bad values ------------------------------------------------------------ */

/* The bad values of an unsigned int parameter (0 aside: its meaning is the module's). */
#define BAD_UINTS(p, b) \
	{ p, "-1", b, NULL, LOAD_FAILS }, \
	{ p, "4294967296", b, NULL, LOAD_FAILS }, \
	{ p, "4294967297", b, NULL, LOAD_FAILS }, \
	{ p, "18446744073709551616", b, NULL, LOAD_FAILS }, \
	{ p, "abc", b, NULL, LOAD_FAILS }, \
	{ p, "12abc", b, NULL, LOAD_FAILS }, \
	{ p, "1.5", b, NULL, LOAD_FAILS }, \
	{ p, "0x", b, NULL, LOAD_FAILS }, \
	{ p, "", b, NULL, LOAD_FAILS }, \
	{ p, NULL, b, NULL, LOAD_FAILS }, \
	{ p, repeat('9', 200), b, NULL, LOAD_FAILS }

/* The bad values of a bool parameter ("y", "1", "on"... and the name alone are good). */
#define BAD_BOOLS(p, b) \
	{ p, "2", b, NULL, LOAD_FAILS }, \
	{ p, "-1", b, NULL, LOAD_FAILS }, \
	{ p, "maybe", b, NULL, LOAD_FAILS }, \
	{ p, "", b, NULL, LOAD_FAILS }, \
	{ p, repeat('x', 200), b, NULL, LOAD_FAILS }

/* A parameter the module does not have: ignored with a warning (the kernel's policy). */
#define UNKNOWN(b) { "no_such_param", "1", b, "no_such_param", LOADS_AND_SAYS }

/*
 * The bad values of a contiguous memory limit: a size (K/M/G...) below
 * 2^63 or a percentage from 0 to 100. Sizes from 2^64 on must not wrap
 * around to small ones.
 */
static const char *const bad_limits[] = {
	"101%", "-1", "abc", "", "1x", "%", "50%%", "1.5G", "0x10%", "4294967296%",
	"9223372036854775808", "24E", "18446744073709551616", "18446744073709551617",
	"16E", "99999999999999999999",
};

/*
 * cmctx: a range is refused entry by entry, cmctx loads anyway (without
 * range0). @base is the first pageblock of ZONE_MOVABLE, or 0 without one.
 */
static void bad_cmctx(unsigned long long base)
{
	const struct igt_module_image *cmctx = igt_vgem_module(IGT_MODULE_CMCTX);
	const char *range_base = "movable=0";
	char b[32], s[8][96], good[64];
	/* base + 2^64 in decimal, 2^64 being 18446744 * 10^12 + 073709551616 */
	unsigned long long lo = base % 1000000000000ull + 73709551616ull;
	unsigned long long hi = base / 1000000000000ull + 18446744ull + lo / 1000000000000ull;

	lo %= 1000000000000ull;
	snprintf(b, sizeof(b), "%#llx", base);
	/* 2^64 + 8 MiB bytes at base, and 8 MiB at 2^64 + base: they must not wrap. */
	snprintf(s[0], sizeof(s[0]), "18446744073717940224@%s", b);
	snprintf(s[1], sizeof(s[1]), "8M@%llu%012llu", hi, lo);
	snprintf(s[2], sizeof(s[2]), "0@%s", b);
	snprintf(s[3], sizeof(s[3]), "8M@%#llx", base + 1);
	snprintf(s[4], sizeof(s[4]), "4097@%s", b);
	snprintf(s[5], sizeof(s[5]), "8M@%s:privat", b);
	snprintf(s[6], sizeof(s[6]), "3M@%s", b);
	snprintf(s[7], sizeof(s[7]), "18446744073709551616@%s", b);
	{
		const struct bad bad[] = {
			BAD_BOOLS("movable", NULL),
			{ "range", "bogus", range_base, "range0: refused: \"bogus\" is not", NO_RANGE_CONTEXT },
			{ "range", "8M", range_base, "range0: refused: \"8M\" is not", NO_RANGE_CONTEXT },
			{ "range", "8M@", range_base, "range0: refused: \"8M@\" is not", NO_RANGE_CONTEXT },
			{ "range", "@0x80000000", range_base, "range0: refused: \"@0x80000000\" is not",
			  NO_RANGE_CONTEXT },
			{ "range", "-8M@0x80000000", range_base, "range0: refused", NO_RANGE_CONTEXT },
			{ "range", "@@@", range_base, "range0: refused", NO_RANGE_CONTEXT },
			{ "range", s[5], range_base, "range0: refused", NO_RANGE_CONTEXT },
			{ "range", s[2], range_base, "range0: refused: ", NO_RANGE_CONTEXT },
			{ "range", s[3], range_base, "range0: refused: ", NO_RANGE_CONTEXT },
			{ "range", s[4], range_base, "range0: refused: ", NO_RANGE_CONTEXT },
			{ "range", s[6], range_base, "range0: refused: a shared context must start and end",
			  NO_RANGE_CONTEXT },
			{ "range", "8M@0", range_base, "range0: refused: ", NO_RANGE_CONTEXT },
			{ "range", "8M@1T", range_base, "range0: refused: not all of it is online memory",
			  NO_RANGE_CONTEXT },
			{ "range", "16E@0x80000000", range_base, "range0: refused", NO_RANGE_CONTEXT },
			{ "range", s[7], range_base, "range0: refused", NO_RANGE_CONTEXT },
			{ "range", s[0], range_base, "range0: refused", NO_RANGE_CONTEXT },
			{ "range", s[1], range_base, "range0: refused", NO_RANGE_CONTEXT },
			{ "range", NULL, range_base, NULL, LOAD_FAILS },
			{ "range", repeat('8', 1100), range_base, "range: string parameter too long",
			  LOAD_FAILS },
			UNKNOWN(range_base),
		};

		try_bad_values(IGT_MODULE_CMCTX, bad, IGT_ARRAY_SIZE(bad));
	}

	/* Good values read back; the parameters cannot be written. */
	igt_module_image_load(cmctx, "%s", range_base);
	assert_param(IGT_MODULE_CMCTX, "movable", "N");
	try_read_only(IGT_MODULE_CMCTX, "movable", "Y");
	try_read_only(IGT_MODULE_CMCTX, "range", "8M@0x80000000");
	igt_assert_eq(igt_module_unload_wait("cmctx"), 0);
	if (base) {	/* a shared context at the zone's first pageblock */
		snprintf(good, sizeof(good), "8M@%s", b);
		igt_module_image_load(cmctx, "movable=0 range=%s", good);
		assert_param(IGT_MODULE_CMCTX, "range", good);
		igt_assert_f(igt_figure(RANGE0, "pages") == (long long)(8 * MiB / PAGE),
			     "range=%s made no 8 MiB context\n", good);
		igt_assert_eq(igt_module_unload_wait("cmctx"), 0);
	}
	igt_module_image_load(cmctx, "movable=1");
	assert_param(IGT_MODULE_CMCTX, "movable", "Y");
}

/* vgem: every bad value fails the load but a cma_context naming no context. */
static void bad_vgem(void)
{
	const struct igt_module_image *vgem = igt_vgem_module(IGT_MODULE_VGEM);
	static const char *const limits[] = { "contig_max_buffer", "contig_user_limit" };
	const struct bad bad[] = {
		{ "num_devices", "0", NULL, "num_devices must be between 1 and", LOAD_FAILS },
		{ "num_devices", "17", NULL, "num_devices must be between 1 and", LOAD_FAILS },
		BAD_UINTS("num_devices", NULL),
		{ "dumb_memory", "bogus", NULL, "dumb_memory must be", LOAD_FAILS },
		{ "dumb_memory", "", NULL, "dumb_memory must be", LOAD_FAILS },
		{ "dumb_memory", "SHMEM", NULL, "dumb_memory must be", LOAD_FAILS },
		{ "dumb_memory", "contiguous-or", NULL, "dumb_memory must be", LOAD_FAILS },
		{ "dumb_memory", "shmem,contiguous", NULL, "dumb_memory must be", LOAD_FAILS },
		{ "dumb_memory", NULL, NULL, NULL, LOAD_FAILS },
		{ "dumb_memory", repeat('s', 100), NULL, "dumb_memory: string doesn't fit", LOAD_FAILS },
		{ "cma_context", "nosuchctx", NULL, "no contiguous memory context named nosuchctx",
		  NO_VGEM_CONTEXT },
		{ "cma_context", "MOVABLE0", NULL, "no contiguous memory context named MOVABLE0",
		  NO_VGEM_CONTEXT },
		{ "cma_context", "../movable0", NULL, "no contiguous memory context named ../movable0",
		  NO_VGEM_CONTEXT },
		{ "cma_context", NULL, NULL, NULL, LOAD_FAILS },
		{ "cma_context", repeat('c', 100), NULL, "cma_context: string doesn't fit", LOAD_FAILS },
		UNKNOWN(NULL),
	};
	/* bad_limits, the name alone, 200 digits (the last two: at load only) */
	const char *values[IGT_ARRAY_SIZE(bad_limits) + 2];
	const char *movable0 = access(CTX_DIR "movable0", F_OK) == 0 ? "movable0" : "";
	struct bad limit_bad[IGT_ARRAY_SIZE(values)];
	unsigned int i, j;

	memcpy(values, bad_limits, sizeof(bad_limits));
	values[IGT_ARRAY_SIZE(bad_limits)] = repeat('1', 200);
	values[IGT_ARRAY_SIZE(bad_limits) + 1] = NULL;
	try_bad_values(IGT_MODULE_VGEM, bad, IGT_ARRAY_SIZE(bad));
	for (j = 0; j < IGT_ARRAY_SIZE(limits); j++) {
		for (i = 0; i < IGT_ARRAY_SIZE(values); i++)
			limit_bad[i] = (struct bad){ limits[j], values[i], NULL, NULL, LOAD_FAILS };
		try_bad_values(IGT_MODULE_VGEM, limit_bad, IGT_ARRAY_SIZE(limit_bad));
	}

	/* Good values of every parameter, as they read back. */
	igt_module_image_load(vgem, "num_devices=2 dumb_memory=contiguous-or-shmem "
			      "cma_context=%s contig_max_buffer=64M contig_user_limit=25%%", movable0);
	assert_param(IGT_MODULE_VGEM, "num_devices", "2");
	assert_param(IGT_MODULE_VGEM, "dumb_memory", "contiguous-or-shmem");
	assert_param(IGT_MODULE_VGEM, "cma_context", movable0);
	assert_param(IGT_MODULE_VGEM, "contig_max_buffer", "67108864");
	assert_param(IGT_MODULE_VGEM, "contig_user_limit", "25%");
	igt_assert_eq(igt_vgem_card_minors((int[4]){ 0 }, 4), 2);
	/* The largest sizes that fit, and hex, are sizes too. */
	igt_assert_eq(igt_module_param_write("vgem", "contig_max_buffer", "7E"), 0);
	assert_param(IGT_MODULE_VGEM, "contig_max_buffer", "8070450532247928832");
	igt_assert_eq(igt_module_param_write("vgem", "contig_max_buffer", "0x4000000"), 0);
	assert_param(IGT_MODULE_VGEM, "contig_max_buffer", "67108864");

	/* Through sysfs: the limits are writable, the others are not. */
	for (j = 0; j < IGT_ARRAY_SIZE(limits); j++)
		try_bad_writes(IGT_MODULE_VGEM, limits[j], values, IGT_ARRAY_SIZE(values) - 1);
	assert_param(IGT_MODULE_VGEM, "contig_max_buffer", "67108864");
	assert_param(IGT_MODULE_VGEM, "contig_user_limit", "25%");
	try_read_only(IGT_MODULE_VGEM, "num_devices", "3");
	try_read_only(IGT_MODULE_VGEM, "dumb_memory", "shmem");
	try_read_only(IGT_MODULE_VGEM, "cma_context", "");
	igt_assert_eq(igt_module_unload_wait("vgem"), 0);
}

/* pasr: a bad layout=, pairs= or context= leaves pasr loaded with no dies. */
static void bad_pasr(void)
{
	const struct igt_module_image *pasr = igt_vgem_module(IGT_MODULE_PASR);
	static const char none[] = "context=none";
	static const char two[] = "context=none " FAR_LAYOUT;
	static const char one[] = "context=none layout=0x10000000000+16M:4";
	const struct bad bad[] = {
		BAD_BOOLS("placement", two),
		BAD_BOOLS("claim_at_suspend", two),
		BAD_BOOLS("compact", two),
		BAD_UINTS("claim_pages", two),
		BAD_UINTS("claim_ms", two),
		BAD_UINTS("compact_pages", two),

		{ "layout", "zzz", none, "layout refused: die 0: \"zzz\" is not", NO_DIES },
		{ "layout", "1T+16M", none, "layout refused: die 0: \"1T+16M\" is not", NO_DIES },
		{ "layout", "1T+16M:", none, "layout refused: die 0", NO_DIES },
		{ "layout", "1T+16M:4xyz", none, "layout refused: die 0", NO_DIES },
		{ "layout", "1T+16M:-4", none, "layout refused: die 0", NO_DIES },
		{ "layout", "1T+16M:0", none, "layout refused: die 0: 0 sections", NO_DIES },
		{ "layout", "1T+16M:9", none, "layout refused: die 0: 9 sections", NO_DIES },
		{ "layout", "1T+16M:3", none, "layout refused: die 0: 3 sections do not divide", NO_DIES },
		{ "layout", "0x10000000800+16M:4", none, "sections are not whole pages", NO_DIES },
		{ "layout", "1T+0:4", none, "layout refused: die 0: empty", NO_DIES },
		{ "layout", "0xffffffffffff0000+1M:4", none, "wraps around", NO_DIES },
		{ "layout", "1T+16M:4,1T+8M:4", none, "layout refused: dies 0 and 1 overlap", NO_DIES },
		{ "layout", ",,,", none, "layout refused: no die", NO_DIES },
		{ "layout", "1T+1M:1,2T+1M:1,3T+1M:1,4T+1M:1,5T+1M:1,6T+1M:1,7T+1M:1,8T+1M:1,9T+1M:1",
		  none, "layout refused: more than 8 dies", NO_DIES },
		/* 2^64 + 16 MiB bytes, 2^32 + 4 and 2^64 + 4 sections, a base of 2^64: no wrap. */
		{ "layout", "1T+18446744073726328832:4", none, "layout refused", NO_DIES },
		{ "layout", "1T+16M:4294967300", none, "layout refused", NO_DIES },
		{ "layout", "1T+16M:18446744073709551620", none, "layout refused", NO_DIES },
		{ "layout", "18446744073709551616+16M:4", none, "layout refused", NO_DIES },
		{ "layout", NULL, none, NULL, LOAD_FAILS },
		{ "layout", repeat('1', 1100), none, "layout: string parameter too long", LOAD_FAILS },

		{ "pairs", "zero", two, "pairs refused: \"zero\" is not", NO_DIES },
		{ "pairs", "INTERLEAVE", two, "pairs refused: \"INTERLEAVE\" is not", NO_DIES },
		{ "pairs", "0.4-1.0", two, "pairs refused: 0.4-1.0: no such section", NO_DIES },
		{ "pairs", "2.0-0.0", two, "pairs refused: 2.0-0.0: no such section", NO_DIES },
		{ "pairs", "0.1-0.1", two, "a section pairs once", NO_DIES },
		{ "pairs", "0.1-1.1,0.1-1.2", two, "a section pairs once", NO_DIES },
		{ "pairs", "0.1-1.1-2.2", two, "pairs refused: \"0.1-1.1-2.2\" is not", NO_DIES },
		{ "pairs", "0.1", two, "pairs refused: \"0.1\" is not", NO_DIES },
		{ "pairs", "-1.0-1.0", two, "pairs refused: \"-1.0-1.0\" is not", NO_DIES },
		{ "pairs", "interleave", one, "interleave needs an even number of dies", NO_DIES },
		/* 2^32, 2^32 + 1 and 2^64 as die or section numbers: must not wrap to 0.0-1.0. */
		{ "pairs", "4294967296.0-4294967297.0", two, "pairs refused", NO_DIES },
		{ "pairs", "0.4294967297-1.1", two, "pairs refused", NO_DIES },
		{ "pairs", "18446744073709551616.0-1.0", two, "pairs refused", NO_DIES },
		{ "pairs", NULL, two, NULL, LOAD_FAILS },
		{ "pairs", repeat('0', 1100), two, "pairs: string parameter too long", LOAD_FAILS },

		{ "context", "nosuch", "", "no layout= and no context of \"nosuch\"", NO_DIES },
		{ "context", ",", "", "no layout= and no context of \",\"", NO_DIES },
		{ "context", "nosuch", FAR_LAYOUT, "context nosuch: no such context, nothing fed",
		  LOADS_AND_SAYS },
		{ "context", repeat('m', 40), FAR_LAYOUT, ": no such context, nothing fed",
		  LOADS_AND_SAYS },
		{ "context", NULL, FAR_LAYOUT, NULL, LOAD_FAILS },
		{ "context", repeat('m', 1100), FAR_LAYOUT, "context: string parameter too long",
		  LOAD_FAILS },
		UNKNOWN(two),
	};
	/* pasr_sim has no parameter of its own. */
	const struct bad bad_sim[] = { UNKNOWN(NULL) };
	static const char *const uints[] = { "claim_pages", "claim_ms", "compact_pages" };
	static const char *const bools[] = { "claim_at_suspend", "compact" };
	const char *bad_uint_writes[] = {
		"-1", "4294967296", "18446744073709551616", "abc", "12abc", "1.5", "",
		repeat('9', 200),
	};
	static const char *const bad_bool_writes[] = { "2", "-1", "maybe", "" };
	unsigned int i;

	try_bad_values(IGT_MODULE_PASR, bad, IGT_ARRAY_SIZE(bad));

	/* Good values of every parameter, as they read back. */
	igt_module_image_load(pasr, "%s pairs=interleave placement=0 claim_pages=0 claim_ms=0 "
			      "claim_at_suspend=0 compact=0 compact_pages=0", two);
	igt_assert_eq(igt_pasr_value("dies"), 2);
	igt_assert_eq(igt_pasr_value("sections"), 8);
	assert_param(IGT_MODULE_PASR, "layout", "0x10000000000+16M:4,0x10001000000+16M:4");
	assert_param(IGT_MODULE_PASR, "pairs", "interleave");
	assert_param(IGT_MODULE_PASR, "context", "none");
	assert_param(IGT_MODULE_PASR, "placement", "N");
	for (i = 0; i < IGT_ARRAY_SIZE(uints); i++) {
		assert_param(IGT_MODULE_PASR, uints[i], "0");
		try_bad_writes(IGT_MODULE_PASR, uints[i], bad_uint_writes,
			       IGT_ARRAY_SIZE(bad_uint_writes));
	}
	for (i = 0; i < IGT_ARRAY_SIZE(bools); i++) {
		assert_param(IGT_MODULE_PASR, bools[i], "N");
		try_bad_writes(IGT_MODULE_PASR, bools[i], bad_bool_writes,
			       IGT_ARRAY_SIZE(bad_bool_writes));
	}
	try_read_only(IGT_MODULE_PASR, "layout", "1T+16M:4");
	try_read_only(IGT_MODULE_PASR, "pairs", "");
	try_read_only(IGT_MODULE_PASR, "context", "movable0");
	try_read_only(IGT_MODULE_PASR, "placement", "Y");

	try_bad_values(IGT_MODULE_PASR_SIM, bad_sim, IGT_ARRAY_SIZE(bad_sim));
	igt_module_image_load(igt_vgem_module(IGT_MODULE_PASR_SIM), "%s", "");
	igt_assert(igt_pasr_value("full_power_uw") > 0);
	igt_assert_eq(igt_module_unload_wait("pasr_sim"), 0);
	igt_assert_eq(igt_module_unload_wait("pasr"), 0);
}

static void test_bad_parameters(void)
{
	long long start_pfn = igt_movable_zone("start_pfn");
	unsigned long long base = 0;

	igt_require_debugfs();
	igt_vgem_modules_unload();
	if (start_pfn > 0)	/* the zone's first whole pageblock (2 MiB) */
		base = ((unsigned long long)start_pfn * PAGE + 2 * MiB - 1) & ~(2 * MiB - 1);
	else
		igt_info("no ZONE_MOVABLE (boot with movablecore=): ranges are refused as not in it\n");

	igt_kmsg_tail_open(&kmsg);
	bad_cmctx(base);
	bad_vgem();
	bad_pasr();
	igt_kmsg_tail_close(&kmsg);
	if (nr_failures)
		igt_info("\n%u bad values accepted or refused badly:\n%s", nr_failures, failures);
	igt_assert_f(!nr_failures, "%u bad values accepted or refused badly (listed above)\n",
		     nr_failures);
}

static const struct igt_subtest subtests[] = {
	{ "bad-parameters", test_bad_parameters },
};

int main(int argc, char **argv)
{
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     &igt_vgem_modules_fixture, 1);
}
