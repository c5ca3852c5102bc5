// SPDX-License-Identifier: MIT
/*
 * pasr_claim: idle sections of a shared context claimed as at suspend
 * (docs/pasr.md, "Claiming idle sections at suspend").
 *
 * cmctx's shared context movable0 over ZONE_MOVABLE (boot with
 * movablecore=512M), pasr over it (2 dies x 8 sections) and pasr_sim. A
 * tmpfs file fills part of the zone; /sys/kernel/debug/pasr/claim claims
 * the cheapest sections, which are masked; the simulator's self-refresh
 * poisons them; the file reads back intact, because its pages were moved
 * out first. Then the budget, and unloading with sections held.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/igt.h"
#include "lib/igt_figures.h"
#include "lib/igt_module.h"
#include "lib/igt_pasr.h"

#define CLAIM		"/sys/kernel/debug/pasr/claim"
#define PARAMS		"/sys/module/pasr/parameters/"
#define FILL_DIR	"/tmp/pasr-claim-fill"
#define FILL_FILE	FILL_DIR "/data"
#define FILL_MIB	160
#define MOVABLE0	"/sys/kernel/debug/cmctx/movable0"

static void unload_all(void)
{
	igt_pasr_unload();
	igt_vgem_unload();
	igt_system("modprobe -r cmctx 2>/dev/null");
	igt_assert_f(!igt_module_loaded("cmctx"), "cmctx still loaded\n");
}

/* cmctx with movable0, pasr over it with @params, pasr_sim. */
static void load(const char *params)
{
	unload_all();
	igt_assert_eq(igt_system("modprobe cmctx"), 0);
	igt_require_f(access(MOVABLE0, F_OK) == 0,
		      "no movable0 context (boot with movablecore=512M)\n");
	igt_assert_eq(igt_system("modprobe pasr context=movable0 %s", params), 0);
	igt_assert_eq(igt_system("modprobe pasr_sim"), 0);
	igt_assert(igt_pasr_value("sections") > 0);
}

static void restore(void)
{
	unload_all();
	igt_assert_eq(igt_system("modprobe vgem"), 0);
}

static uint64_t word_at(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ull) ^ 0x5a5a0f0f;
}

/* A tmpfs file of FILL_MIB MiB of a pattern: pages in ZONE_MOVABLE. */
static void fill(void)
{
	static uint64_t buf[65536];
	uint64_t i, n = 0;
	int fd;

	mkdir(FILL_DIR, 0700);
	igt_assert_eq(mount("tmpfs", FILL_DIR, "tmpfs", 0, "size=200M"), 0);
	fd = open(FILL_FILE, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	igt_assert(fd >= 0);
	while (n < FILL_MIB * 1048576ull / 8) {
		for (i = 0; i < 65536; i++)
			buf[i] = word_at(n + i);
		igt_assert_eq(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
		n += 65536;
	}
	close(fd);
}

/* Words of the file that are not the pattern. */
static uint64_t bad_words(void)
{
	static uint64_t buf[65536];
	uint64_t i, n = 0, bad = 0;
	ssize_t got;
	int fd;

	fd = open(FILL_FILE, O_RDONLY);
	igt_assert(fd >= 0);
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (uint64_t)got / 8; i++)
			bad += buf[i] != word_at(n + i);
		n += (uint64_t)got / 8;
	}
	close(fd);
	igt_assert_eq(n, FILL_MIB * 1048576ull / 8);
	return bad;
}

static void unfill(void)
{
	umount(FILL_DIR);
	rmdir(FILL_DIR);
}

static long long claim_figure(const char *key)
{
	return igt_figure(CLAIM, key);
}

static void claim(const char *what)
{
	igt_assert_eq(igt_system("echo %s > " CLAIM, what), 0);
}

/* Claimed sections are masked, forgotten in self-refresh, given back. */
static void test_claim_migrates(void)
{
	long long claimed, masked, forgotten, dirty;
	uint64_t bad;

	load("claim_ms=60000 claim_pages=1000000");
	fill();
	igt_assert_eq(igt_pasr_value("masked"), 0);
	claim("claim");
	claimed = claim_figure("claimed");
	masked = igt_pasr_value("masked");
	igt_info("claim: %lld of %lld candidates, %lld pages in use moved, %lld migrated, %lld us; %lld masked\n",
		 claimed, claim_figure("candidates"), claim_figure("pages_in_use"),
		 claim_figure("pages_migrated"), claim_figure("us"), masked);
	igt_assert(claimed > 0);
	igt_assert_eq(masked, claimed);
	igt_assert_eq(claim_figure("held"), claimed);
	/* Some of the claimed sections held the file's pages. */
	igt_assert(claim_figure("pages_in_use") > 0);

	igt_assert_eq(igt_system("echo cycle > " IGT_PASR_SIM "self_refresh"), 0);
	forgotten = igt_figure(IGT_PASR_SIM "self_refresh", "sections");
	dirty = igt_figure(IGT_PASR_SIM "self_refresh", "dirty_bytes");
	bad = bad_words();
	igt_info("self-refresh: %lld sections forgotten, %lld dirty bytes; file: %llu bad words\n",
		 forgotten, dirty, (unsigned long long)bad);
	igt_assert_eq(forgotten, claimed);
	igt_assert_eq(dirty, 0);
	igt_assert_eq(bad, 0);

	claim("release");
	igt_assert_eq(claim_figure("held"), 0);
	igt_assert_eq(igt_pasr_value("masked"), 0);
	igt_assert_eq(igt_figure(MOVABLE0, "used_pages"), 0);
	unfill();
	restore();
}

/* No time, or no pages to move: nothing, or only what costs nothing. */
static void test_claim_budget(void)
{
	load("claim_ms=0");
	fill();
	claim("claim");
	igt_assert_eq(claim_figure("claimed"), 0);
	igt_assert(claim_figure("candidates") > 0);
	igt_assert_eq(claim_figure("over_budget"), claim_figure("candidates"));
	igt_assert_eq(igt_pasr_value("masked"), 0);

	igt_assert_eq(igt_system("echo 60000 > " PARAMS "claim_ms; echo 0 > " PARAMS "claim_pages"), 0);
	claim("claim");
	igt_info("budget 0 pages: %lld claimed, %lld pages in use\n",
		 claim_figure("claimed"), claim_figure("pages_in_use"));
	igt_assert_eq(claim_figure("pages_in_use"), 0);
	igt_assert(claim_figure("over_budget") > 0);
	claim("release");
	unfill();
	restore();
}

/* Unloading pasr with sections held gives them back; bad commands refused. */
static void test_claim_unload(void)
{
	load("claim_ms=60000");
	fill();
	claim("claim");
	igt_assert(claim_figure("held") > 0);
	igt_assert(igt_figure(MOVABLE0, "used_pages") > 0);
	igt_assert(igt_system("echo bogus > " CLAIM " 2>/dev/null") != 0);
	igt_pasr_unload();
	igt_assert_eq(igt_figure(MOVABLE0, "used_pages"), 0);
	igt_assert_eq(bad_words(), 0);
	unfill();
	restore();
}

static const struct igt_subtest subtests[] = {
	{ "claim-migrates", test_claim_migrates },
	{ "claim-budget", test_claim_budget },
	{ "claim-unload", test_claim_unload },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
