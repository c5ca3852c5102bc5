// SPDX-License-Identifier: MIT
/*
 * pasr_vgem: PASR fed by a private contiguous-memory context that vgem's
 * contiguous buffers come from (docs/pasr.md).
 *
 * Each subtest makes the stack itself: cmctx with one private context
 * "range0" of CTX_MIB MiB at the bottom of ZONE_MOVABLE, vgem taking its
 * contiguous buffers from it, pasr.ko with its default layout over it (2
 * dies x 8 segments) and the simulated controller pasr_sim.ko. After every
 * step of a scripted sequence of allocations and frees, the controller's
 * registers must equal "sections with no chunk" (the chunks as cmctx's
 * debugfs lists them), pairs honoured. Then the destructive part: the
 * simulated controller overwrites what it does not refresh, and buffers
 * full of patterns must come through intact; with one section in use
 * masked on purpose (the fault knob), the corruption must be seen. The
 * stack is put back as the other tests expect it at the end.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_figures.h"
#include "lib/igt_gem.h"
#include "lib/igt_mm.h"
#include "lib/igt_module.h"
#include "lib/igt_pasr.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"
#include "lib/igt_vgemctl.h"

#define MiB		(1024ull * 1024)
#define PAGE		4096ull
#define CTX_MIB		256
#define CTX_FILE	"/sys/kernel/debug/cmctx/range0"
#define DIES		2
#define SECTIONS	8
#define MAX_BUFS	16
#define MAX_CHUNKS	64
#define DEMO_PNG	"/tmp/pasr_vgem-demo.png"

struct buf {
	struct vgem_bo bo;
	unsigned int mib;
	void *map;
	uint32_t seed;
};

/* The vgem fd and live buffers of a subtest. */
struct stack {
	int fd;
	struct buf bufs[MAX_BUFS];
	unsigned int nr_bufs;
	unsigned long sec_pages;	/* pages of a section */
	bool paired;			/* pairs=interleave */
	bool sections;			/* placement=1, else placement=0 */
	bool no_compact;		/* compact=0 */
	const char *pasr_args;		/* more parameters of pasr, or NULL */
};

static void unload_all(void)
{
	igt_pasr_unload();
	igt_system("modprobe -r vgem 2>/dev/null");
	igt_assert_f(!igt_module_loaded("vgem"), "vgem still loaded\n");
	igt_system("modprobe -r cmctx 2>/dev/null");
	igt_assert_f(!igt_module_loaded("cmctx"), "cmctx still loaded\n");
}

/* The stack the other tests expect: cmctx and vgem with their defaults. */
static void restore(void)
{
	unload_all();
	igt_assert_eq(igt_system("modprobe vgem"), 0);
}

static void load_pasr(struct stack *s)
{
	igt_assert_eq(igt_system("modprobe pasr context=range0 %s %s %s %s",
				 s->paired ? "pairs=interleave" : "",
				 s->sections ? "placement=1" : "placement=0",
				 s->no_compact ? "compact=0" : "",
				 s->pasr_args ? s->pasr_args : ""), 0);
	igt_assert_eq(igt_system("modprobe pasr_sim"), 0);
	igt_assert_eq(igt_pasr_value("dies"), DIES);
	igt_assert_eq(igt_pasr_value("sections"), DIES * SECTIONS);
}

/*
 * cmctx with the private range0 in ZONE_MOVABLE. A page of the range may be
 * held by somebody for longer than cmctx waits for it, and cmctx then
 * refuses the range with EBUSY (seen in the guest before cmctx waited at
 * all), so bases 32 MiB further up are tried, with the page cache dropped
 * before each.
 */
static bool take_private_context(void)
{
	long long start = igt_movable_zone("start_pfn");
	long long present = igt_movable_zone("present");
	unsigned long long base, end;

	igt_require_f(start > 0 && present * PAGE >= (CTX_MIB + 2) * MiB,
		      "ZONE_MOVABLE has %lld pages, %llu MiB needed (boot with movablecore=512M)\n",
		      present, CTX_MIB + 2ull);
	end = (start + present) * PAGE;
	for (base = (start * PAGE + 2 * MiB - 1) & ~(2 * MiB - 1);
	     base + CTX_MIB * MiB <= end; base += 32 * MiB) {
		igt_system("sync; echo 3 > /proc/sys/vm/drop_caches");
		igt_assert_eq(igt_system("modprobe cmctx movable=0 range=%uM@%#llx:private",
					 CTX_MIB, base), 0);
		if (access(CTX_FILE, F_OK) == 0)
			return true;
		igt_info("range0 refused at %#llx, trying further up\n", base);
		igt_assert_eq(igt_system("modprobe -r cmctx"), 0);
	}
	return false;
}

/* The stack with range0, vgem on it; pasr too unless @pasr_later. */
static void make_stack(struct stack *s, bool paired, bool pasr_later)
{
	memset(s, 0, sizeof(*s));
	s->paired = paired;
	unload_all();
	igt_require_f(take_private_context(),
		      "no 256 MiB of ZONE_MOVABLE could be taken (see the kernel log)\n");
	igt_assert_eq(igt_system("modprobe vgem cma_context=range0"), 0);
	s->fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	igt_assert(s->fd >= 0);
	s->sec_pages = CTX_MIB * MiB / PAGE / (DIES * SECTIONS);
	if (!pasr_later)
		load_pasr(s);
}

static void drop_stack(struct stack *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_bufs; i++) {
		if (s->bufs[i].map)
			munmap(s->bufs[i].map, s->bufs[i].bo.size);
		gem_close(s->fd, s->bufs[i].bo.handle);
	}
	close(s->fd);
	restore();
}

/* A contiguous buffer of @mib MiB filled with a pattern; its index. */
static unsigned int alloc_buf(struct stack *s, unsigned int mib)
{
	struct buf *b = &s->bufs[s->nr_bufs];

	igt_assert(s->nr_bufs < MAX_BUFS);
	b->bo.handle = igt_vgem_create_mib(s->fd, mib, VGEM_BO_CONTIGUOUS);
	b->bo.size = mib * MiB;
	b->mib = mib;
	b->map = vgem_mmap(s->fd, &b->bo, PROT_READ | PROT_WRITE);
	b->seed = 0x9a5e0000u + s->nr_bufs * 7919u;
	pattern_fill(b->map, b->bo.size, b->seed);
	return s->nr_bufs++;
}

static void free_buf(struct stack *s, unsigned int mib)
{
	unsigned int i;

	for (i = 0; i < s->nr_bufs && s->bufs[i].mib != mib; i++)
		;
	igt_assert_f(i < s->nr_bufs, "no buffer of %u MiB\n", mib);
	if (s->bufs[i].map)
		munmap(s->bufs[i].map, s->bufs[i].bo.size);
	gem_close(s->fd, s->bufs[i].bo.handle);
	s->bufs[i] = s->bufs[--s->nr_bufs];
}

/* Words of @b that are not its pattern. */
static size_t corrupted_words(const struct buf *b)
{
	const uint32_t *w = b->map;
	size_t i, bad = 0;

	for (i = 0; i < b->bo.size / 4; i++)
		bad += w[i] != b->seed + (uint32_t)i * PATTERN_STEP;
	return bad;
}

/* The chunks of range0 as cmctx's debugfs lists them: offset and pages. */
struct chunk {
	unsigned long offset, pages;
};

static unsigned int read_chunks(struct chunk *chunks)
{
	unsigned int n = 0;
	char line[256];
	FILE *f = fopen(CTX_FILE, "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "chunk: offset %lu pages %lu", &chunks[n].offset,
			   &chunks[n].pages) == 2)
			igt_assert(++n < MAX_CHUNKS);
	fclose(f);
	return n;
}

/* Which sections hold a page of a chunk: bit d*8+s. */
static uint32_t busy_sections(const struct stack *s)
{
	struct chunk chunks[MAX_CHUNKS];
	unsigned int i, n = read_chunks(chunks);
	unsigned long first, last;
	uint32_t busy = 0;

	for (i = 0; i < n; i++) {
		first = chunks[i].offset / s->sec_pages;
		last = (chunks[i].offset + chunks[i].pages - 1) / s->sec_pages;
		for (; first <= last && first < DIES * SECTIONS; first++)
			busy |= 1u << first;
	}
	return busy;
}

/* The mask of @die the framework should have written. */
static int expected_mask(const struct stack *s, uint32_t busy, unsigned int die)
{
	unsigned int sec;
	int mask = 0;

	for (sec = 0; sec < SECTIONS; sec++) {
		bool idle = !(busy & (1u << (die * SECTIONS + sec)));
		bool pair_idle = !(busy & (1u << ((die ^ 1) * SECTIONS + sec)));

		if (idle && (!s->paired || pair_idle))
			mask |= 1 << sec;
	}
	return mask;
}

/* The registers equal "sections with no chunk" (and the sysfs count). */
static void check_masks(const struct stack *s, const char *step)
{
	uint32_t busy = busy_sections(s);
	unsigned int die, masked = 0;

	for (die = 0; die < DIES; die++) {
		int want = expected_mask(s, busy, die);
		int reg = igt_pasr_sim_register(die);

		igt_assert_f(reg == want, "%s: die %u register 0x%02x, expected 0x%02x\n",
			     step, die, reg, want);
		masked += __builtin_popcount(want);
	}
	igt_assert_eq(igt_pasr_value("masked"), masked);
	igt_info("%-16s busy 0x%04x masks 0x%02x 0x%02x\n", step, busy,
		 igt_pasr_sim_register(0), igt_pasr_sim_register(1));
}

/* The scripted sequence: 14 steps, the masks checked after each. */
static void run_script(struct stack *s)
{
	static const int script[] = { 8, 16, 40, 3, 64, -16, 24, -8, -3, 20, -40, 60, -64, -24 };
	char step[32];
	unsigned int i;

	check_masks(s, "empty");
	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		if (script[i] > 0)
			alloc_buf(s, script[i]);
		else
			free_buf(s, -script[i]);
		snprintf(step, sizeof(step), "%s %d MiB", script[i] > 0 ? "alloc" : "free",
			 abs(script[i]));
		check_masks(s, step);
	}
}

static void test_masks_follow(void)
{
	struct stack s;

	make_stack(&s, false, false);
	run_script(&s);
	drop_stack(&s);
}

static void test_masks_follow_interleave(void)
{
	struct stack s;

	make_stack(&s, true, false);
	run_script(&s);
	drop_stack(&s);
}

/* pasr loaded after the buffers: it learns what is free, nothing more. */
static void test_load_after_buffers(void)
{
	struct stack s;

	make_stack(&s, false, true);
	alloc_buf(&s, 20);
	alloc_buf(&s, 40);
	free_buf(&s, 20);
	load_pasr(&s);
	check_masks(&s, "pasr loaded");
	alloc_buf(&s, 17);
	check_masks(&s, "alloc 17 MiB");
	/* Unloaded with buffers live, and loaded again. */
	igt_pasr_unload();
	igt_assert_eq(igt_pasr_value("dies"), -1);
	load_pasr(&s);
	check_masks(&s, "pasr reloaded");
	free_buf(&s, 40);
	check_masks(&s, "free 40 MiB");
	drop_stack(&s);
}

/*
 * pasr and its controller before vgem; the controller unloaded and loaded
 * again under a live buffer (registration writes the present masks); vgem
 * unloaded under pasr, which sees its buffers freed.
 */
static void test_load_orders(void)
{
	struct stack s;

	make_stack(&s, false, true);
	close(s.fd);
	igt_vgem_unload();	/* modprobe -r would take range0 */
	load_pasr(&s);
	check_masks(&s, "pasr, no vgem");
	igt_assert_eq(igt_pasr_value("masked"), DIES * SECTIONS);
	igt_assert_eq(igt_system("modprobe vgem cma_context=range0"), 0);
	s.fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	igt_assert(s.fd >= 0);
	alloc_buf(&s, 30);
	check_masks(&s, "vgem after pasr");
	igt_assert_eq(igt_module_unload("pasr_sim"), 0);
	igt_assert(igt_system("cat /sys/kernel/pasr/power_uw 2>/dev/null") != 0);
	igt_assert_eq(igt_system("modprobe pasr_sim"), 0);
	check_masks(&s, "controller again");
	free_buf(&s, 30);
	close(s.fd);
	s.fd = -1;
	igt_vgem_unload();
	check_masks(&s, "vgem unloaded");
	igt_assert_eq(igt_pasr_value("masked"), DIES * SECTIONS);
	restore();
}

/*
 * With 16 MiB sections: A (16 MiB) fills section 0, B (4 MiB) starts
 * section 1, A is freed, and C (4 MiB) comes. First fit (placement=0)
 * puts C back into section 0, which is then refreshed again; section-aware
 * placement (placement=1, pasr's default) puts it next to B, and section 0
 * stays masked. cmctx's placement is pasr's while pasr is loaded with
 * it, first fit again after.
 */
static void placement_script(bool first_fit)
{
	uint32_t busy;
	struct stack s;

	make_stack(&s, false, true);
	s.sections = !first_fit;
	load_pasr(&s);
	igt_assert_eq(igt_system("grep -qx 'placement: %s' " CTX_FILE,
				 first_fit ? "first-fit" : "pasr-sections"), 0);
	alloc_buf(&s, 16);
	alloc_buf(&s, 4);
	free_buf(&s, 16);
	alloc_buf(&s, 4);
	check_masks(&s, first_fit ? "first fit" : "section-aware");
	busy = busy_sections(&s);
	igt_assert_f(first_fit ? busy == 0x3 : busy == 0x2,
		     "sections in use 0x%04x\n", busy);
	igt_pasr_unload();
	igt_assert_eq(igt_system("grep -qx 'placement: first-fit' " CTX_FILE), 0);
	drop_stack(&s);
}

static void test_placement_sections(void)
{
	placement_script(false);
}

static void test_placement_first_fit(void)
{
	placement_script(true);
}

/*
 * With pairs=interleave, A (16 MiB) fills section 0.0, which makes 1.0
 * unmaskable too; B (4 MiB) then goes into 1.0, which costs nothing, not
 * into 0.1, which would break the pair 0.1-1.1: 14 sections stay masked.
 */
static void test_placement_pairs(void)
{
	uint32_t busy;
	struct stack s;

	make_stack(&s, true, true);
	s.sections = true;
	load_pasr(&s);
	alloc_buf(&s, 16);
	alloc_buf(&s, 4);
	check_masks(&s, "pair-aware");
	busy = busy_sections(&s);
	igt_assert_f(busy == 0x0101, "sections in use 0x%04x\n", busy);
	igt_assert_eq(igt_pasr_value("masked"), 14);
	drop_stack(&s);
}

static void self_refresh(const char *what)
{
	igt_assert_eq(igt_system("echo %s > " IGT_PASR_SIM "self_refresh", what), 0);
}

/* Live buffers come through a self-refresh that forgets masked sections. */
static void test_self_refresh_intact(void)
{
	long long sections, dirty;
	size_t bad = 0;
	struct stack s;
	unsigned int i;

	make_stack(&s, false, false);
	alloc_buf(&s, 8);
	alloc_buf(&s, 40);
	alloc_buf(&s, 3);
	alloc_buf(&s, 64);
	check_masks(&s, "buffers");
	self_refresh("cycle");
	sections = igt_figure(IGT_PASR_SIM "self_refresh", "sections");
	dirty = igt_figure(IGT_PASR_SIM "self_refresh", "dirty_bytes");
	for (i = 0; i < s.nr_bufs; i++)
		bad += corrupted_words(&s.bufs[i]);
	igt_info("self-refresh: %lld sections forgotten, %zu words corrupted, %lld bytes dirty\n",
		 sections, bad, dirty);
	igt_assert_eq(sections, igt_pasr_value("masked"));
	igt_assert(sections > 0);
	igt_assert_eq(bad, 0);
	igt_assert_eq(dirty, 0);
	/* The forgotten sections hold the poison: a new buffer there is zeroed. */
	alloc_buf(&s, 100);
	check_masks(&s, "alloc 100 MiB");
	drop_stack(&s);
}

/*
 * The fault knob masks a section the 40 MiB buffer lies in: the entry's
 * poison shows in the buffer, and a write into it before the exit is
 * reported as bytes written into memory that was not refreshed.
 */
static void test_wrong_mask_detected(void)
{
	struct chunk chunks[MAX_CHUNKS];
	unsigned int b, i, n, target = 0;
	long long dirty;
	struct stack s;
	size_t bad;

	make_stack(&s, false, false);
	alloc_buf(&s, 8);
	b = alloc_buf(&s, 40);
	/* The chunk of 40 MiB, and a section wholly inside it. */
	n = read_chunks(chunks);
	for (i = 0; i < n; i++)
		if (chunks[i].pages == 40 * MiB / PAGE)
			target = (chunks[i].offset + s.sec_pages - 1) / s.sec_pages;
	igt_assert(target > 0);
	igt_assert_eq(igt_system("echo %u.%u > " IGT_PASR_SIM "fault_section",
				 target / SECTIONS, target % SECTIONS), 0);
	self_refresh("enter");
	bad = corrupted_words(&s.bufs[b]);
	igt_info("wrong mask on section %u.%u: %zu words of the 40 MiB buffer corrupted\n",
		 target / SECTIONS, target % SECTIONS, bad);
	igt_assert_f(bad > 0, "the wrongly masked section was not forgotten\n");
	pattern_fill(s.bufs[b].map, s.bufs[b].bo.size, s.bufs[b].seed);
	self_refresh("exit");
	dirty = igt_figure(IGT_PASR_SIM "self_refresh", "dirty_bytes");
	igt_info("exit: %lld bytes written into the section while it was not refreshed\n",
		 dirty);
	igt_assert(dirty > 0);
	igt_assert_eq(igt_system("echo none > " IGT_PASR_SIM "fault_section"), 0);
	/* The kernel log says so too. */
	igt_assert_eq(igt_system("dmesg | tail -n 20 | grep -q 'not refreshed'"), 0);
	drop_stack(&s);
}

/* ---- compaction --------------------------------------------------------- */

/* Waits for the compaction passes frees queued. */
static void compact_wait(void)
{
	igt_assert_eq(igt_system("echo wait > /sys/kernel/debug/pasr/compact"), 0);
}

/* A buffer filled and then unmapped: nothing pins it, compaction may move it. */
static unsigned int alloc_unmapped(struct stack *s, unsigned int mib)
{
	unsigned int i = alloc_buf(s, mib);

	munmap(s->bufs[i].map, s->bufs[i].bo.size);
	s->bufs[i].map = NULL;
	return i;
}

/* Frees buffer @i (by index, whatever its size). */
static void free_index(struct stack *s, unsigned int i)
{
	if (s->bufs[i].map)
		munmap(s->bufs[i].map, s->bufs[i].bo.size);
	gem_close(s->fd, s->bufs[i].bo.handle);
	s->bufs[i] = s->bufs[--s->nr_bufs];
}

/* Every buffer mapped again and holding its pattern. */
static void check_contents(struct stack *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_bufs; i++) {
		struct buf *b = &s->bufs[i];

		if (!b->map)
			b->map = vgem_mmap(s->fd, &b->bo, PROT_READ | PROT_WRITE);
		igt_assert_f(corrupted_words(b) == 0,
			     "buffer %u (%u MiB): %zu words corrupted\n", i, b->mib,
			     corrupted_words(b));
	}
}

static long long compact_figure(const char *key)
{
	return igt_figure("/sys/kernel/debug/pasr/compact", key);
}

/*
 * Eight unmapped buffers of 8 MiB fill sections 0-3, two a section; one
 * of each section is freed. Section-aware placement alone leaves four
 * half-used sections (12 masked); compaction (pasr's default) packs them
 * into two (14 masked), and every buffer still holds its pattern.
 */
static void compaction_script(bool compact)
{
	long long moves;
	struct stack s;
	unsigned int i;

	make_stack(&s, false, true);
	s.sections = true;
	s.no_compact = !compact;
	load_pasr(&s);
	for (i = 0; i < 8; i++)
		alloc_unmapped(&s, 8);
	igt_assert_eq(busy_sections(&s), 0xf);
	/* 6, 4, 2, 0: the last buffer fills each hole, those below stay. */
	for (i = 4; i-- > 0;)
		free_index(&s, 2 * i);
	compact_wait();
	check_masks(&s, compact ? "compacted" : "not compacted");
	moves = compact_figure("moves");
	igt_info("compaction %s: %lld masked, %lld moves, %lld pages moved\n",
		 compact ? "on" : "off", igt_pasr_value("masked"), moves,
		 compact_figure("moved_pages"));
	igt_assert_eq(igt_pasr_value("masked"), compact ? 14 : 12);
	igt_assert(compact ? moves >= 2 : moves == 0);
	check_contents(&s);
	check_masks(&s, "mapped again");
	drop_stack(&s);
}

static void test_compaction_packs(void)
{
	compaction_script(true);
}

static void test_compaction_off(void)
{
	compaction_script(false);
}

/*
 * A mapped buffer is pinned and never moved. Section 0: A (6 MiB, kept
 * mapped) and B (10 MiB); section 1: C and D (8 MiB each, unmapped). B
 * and D are freed: section 0, the cheaper victim, cannot be emptied (A is
 * pinned), so C must go into B's place next to A, and section 1 is
 * masked; A stays where it was, both intact.
 */
static void test_compaction_spares_mapped(void)
{
	struct chunk before[MAX_CHUNKS], after[MAX_CHUNKS];
	unsigned int n, i, a_offset = 0;
	struct stack s;

	make_stack(&s, false, true);
	s.sections = true;
	load_pasr(&s);
	alloc_buf(&s, 6);
	alloc_unmapped(&s, 10);
	alloc_unmapped(&s, 8);
	alloc_unmapped(&s, 8);
	igt_assert_eq(busy_sections(&s), 0x3);
	n = read_chunks(before);
	for (i = 0; i < n; i++)
		if (before[i].pages == 6 * MiB / PAGE)
			a_offset = before[i].offset;
	free_buf(&s, 10);
	free_index(&s, 2);	/* one of the 8 MiB buffers */
	compact_wait();
	check_masks(&s, "compacted");
	igt_assert_eq(busy_sections(&s), 0x1);
	igt_assert_eq(igt_pasr_value("masked"), 15);
	n = read_chunks(after);
	for (i = 0; i < n && after[i].pages != 6 * MiB / PAGE; i++)
		;
	igt_assert(i < n);
	igt_assert_f(after[i].offset == a_offset,
		     "the mapped buffer moved from page %u to %lu\n", a_offset,
		     after[i].offset);
	igt_assert_eq(compact_figure("failed_moves"), 0);
	check_contents(&s);
	drop_stack(&s);
}

/*
 * Room for an allocation no free run can hold: sixteen unmapped 16 MiB
 * buffers fill the context, every other one is freed (eight holes of 16
 * MiB; compact_pages=0, so no pass packs them). A 24 MiB buffer fits
 * nowhere: with compaction, the allocation moves one buffer out of its
 * way (one room made) and succeeds, every buffer intact; with compact=0
 * it fails with ENOMEM.
 */
static void room_script(bool compact)
{
	struct drm_vgem_bo_create arg;
	struct stack s;
	unsigned int i;
	int ret;

	make_stack(&s, false, true);
	s.sections = true;
	s.no_compact = !compact;
	s.pasr_args = "compact_pages=0";
	load_pasr(&s);
	for (i = 0; i < 16; i++)
		alloc_unmapped(&s, 16);
	for (i = 8; i-- > 0;)
		free_index(&s, 2 * i);
	compact_wait();
	igt_assert_eq(compact_figure("moves"), 0);
	ret = __igt_vgem_create_mib(s.fd, 24, VGEM_BO_CONTIGUOUS, 0, &arg);
	igt_info("24 MiB among eight 16 MiB holes, compaction %s: %s; %lld rooms, %lld moves\n",
		 compact ? "on" : "off", ret ? strerror(-ret) : "made",
		 compact_figure("rooms"), compact_figure("moves"));
	if (!compact) {
		igt_assert_eq(ret, -ENOMEM);
	} else {
		igt_assert_eq(ret, 0);
		igt_assert_eq(compact_figure("rooms"), 1);
		gem_close(s.fd, arg.handle);
	}
	check_contents(&s);
	check_masks(&s, "after the 24 MiB buffer");
	drop_stack(&s);
}

static void test_compaction_makes_room(void)
{
	room_script(true);
}

static void test_no_compaction_no_room(void)
{
	room_script(false);
}

/*
 * Runs `vgemctl pasr`, as uid 65534 when @nobody; checks its map rows
 * against @want (none for uid 65534, who is told the map is root's) and
 * that it prints a power estimate.
 */
static void run_vgemctl_pasr(const char *vgemctl, bool nobody,
			     char want[DIES][SECTIONS + 3])
{
	char cmd[4200], line[256];
	unsigned int die, sec, rows = 0;
	bool power = false, root_only = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s%s pasr",
		 nobody ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "",
		 vgemctl);
	p = popen(cmd, "r");
	igt_assert(p);
	while (fgets(line, sizeof(line), p)) {
		igt_info("%s", line);
		if (sscanf(line, "  die %u", &die) == 1) {
			igt_assert(die < DIES);
			/* The 8 MiB buffer leaves part of its section unused: 'p'. */
			for (sec = 0; sec < SECTIONS; sec++)
				if (want[die][sec + 1] == '#' && strchr(line, '[')[sec + 1] == 'p')
					want[die][sec + 1] = 'p';
			igt_assert_f(strstr(line, want[die]), "die %u: expected %s\n", die,
				     want[die]);
			rows++;
		}
		root_only |= strstr(line, "only root may see") != NULL;
		power |= strstr(line, "% saved)") != NULL;
	}
	igt_assert_eq(pclose(p), 0);
	igt_assert_eq(rows, nobody ? 0 : DIES);
	igt_assert_eq(root_only, nobody);
	igt_assert_f(power, "no power estimate\n");
}

/*
 * `vgemctl pasr` draws the map the registers say for root, and for uid
 * 65534 the counts and the power estimate without the map; the estimate
 * is below full refresh while sections are masked.
 */
static void test_vgemctl_map(void)
{
	char vgemctl[4096], want[DIES][SECTIONS + 3];
	unsigned int die, sec;
	struct stack s;

	igt_vgemctl_path(vgemctl, sizeof(vgemctl));
	make_stack(&s, false, false);
	alloc_buf(&s, 8);
	alloc_buf(&s, 40);
	for (die = 0; die < DIES; die++) {
		int reg = igt_pasr_sim_register(die);

		want[die][0] = '[';
		for (sec = 0; sec < SECTIONS; sec++)
			want[die][sec + 1] = reg & (1 << sec) ? 'M' : '#';
		want[die][SECTIONS + 1] = ']';
		want[die][SECTIONS + 2] = '\0';
	}
	run_vgemctl_pasr(vgemctl, false, want);
	run_vgemctl_pasr(vgemctl, true, want);
	igt_assert(igt_pasr_value("power_uw") < igt_pasr_value("full_power_uw"));
	drop_stack(&s);
}

/* What a run of vgemctl printed about PASR and the demo's buffer. */
struct vgemctl_run {
	long long masked[3];		/* of each "PASR: ..." line, in order */
	unsigned int pasr_lines, power_lines, energy_lines, not_loaded;
	unsigned int contiguous;	/* "physically contiguous (1 extent)" */
	bool passed;			/* "== demo passed" */
};

/* Runs `vgemctl @args` as root, which must exit 0. */
static void run_vgemctl(const char *vgemctl, const char *args, struct vgemctl_run *r)
{
	unsigned int dies, sections;
	char cmd[4400], line[512];
	long long masked;
	FILE *p;

	memset(r, 0, sizeof(*r));
	snprintf(cmd, sizeof(cmd), "%s %s", vgemctl, args);
	fflush(NULL);
	p = popen(cmd, "r");
	igt_assert(p);
	while (fgets(line, sizeof(line), p)) {
		const char *t = line + strspn(line, " ");

		igt_info("%s", line);
		if (sscanf(t, "PASR: %u dies, %u sections, %lld masked", &dies, &sections,
			   &masked) == 3) {
			igt_assert_eq(dies, DIES);
			igt_assert_eq(sections, DIES * SECTIONS);
			igt_assert(r->pasr_lines < 3);
			r->masked[r->pasr_lines++] = masked;
		}
		r->power_lines += !strncmp(t, "self-refresh power: ", 20) &&
				  strstr(t, "% saved)");
		r->energy_lines += !strncmp(t, "self-refresh energy ", 20) &&
				   strstr(t, "% saved)");
		r->not_loaded += !strcmp(t, "PASR: not loaded\n");
		r->contiguous += strstr(t, "physically contiguous (1 extent)") != NULL;
		r->passed |= !strcmp(line, "== demo passed\n");
	}
	igt_assert_eq(pclose(p), 0);
}

/*
 * `vgemctl stats` ends with the PASR figures: the masked count of sysfs,
 * the power and energy against full refresh; "PASR: not loaded" once pasr
 * is unloaded. (uid 65534 may read the same figures: vgemctl-map; it needs
 * a vgem node it may open for `vgemctl stats`: vgem_stats/nobody-vgemctl.)
 */
static void test_vgemctl_stats(void)
{
	struct vgemctl_run r;
	char vgemctl[4096];
	struct stack s;

	igt_vgemctl_path(vgemctl, sizeof(vgemctl));
	make_stack(&s, false, false);
	alloc_buf(&s, 8);
	alloc_buf(&s, 40);
	run_vgemctl(vgemctl, "stats", &r);
	igt_assert_eq(r.pasr_lines, 1);
	igt_assert_eq(r.masked[0], igt_pasr_value("masked"));
	igt_assert_eq(r.power_lines, 1);
	igt_assert_eq(r.energy_lines, 1);
	igt_pasr_unload();
	run_vgemctl(vgemctl, "stats", &r);
	igt_assert_eq(r.not_loaded, 1);
	igt_assert_eq(r.pasr_lines, 0);
	drop_stack(&s);
}

/*
 * `vgemctl demo` as tools/demo-guest runs it: two devices whose dumb
 * buffers come from range0. Its buffer is contiguous on both sides, and
 * the PASR figures before, during and after show a section refreshed only
 * while it is live.
 */
static void test_vgemctl_demo(void)
{
	struct vgemctl_run r;
	char vgemctl[4096];
	struct stack s;

	igt_vgemctl_path(vgemctl, sizeof(vgemctl));
	make_stack(&s, false, true);
	close(s.fd);
	igt_vgem_unload();
	igt_assert_eq(igt_system("modprobe vgem num_devices=2 cma_context=range0 "
				 "dumb_memory=contiguous-or-shmem"), 0);
	s.fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	igt_assert(s.fd >= 0);
	load_pasr(&s);
	run_vgemctl(vgemctl, "demo --output " DEMO_PNG, &r);
	igt_assert(r.passed);
	igt_assert_eq(r.contiguous, 3);	/* producer, device 0, device 1 */
	igt_assert_eq(r.pasr_lines, 3);
	igt_assert_eq(r.power_lines, 3);
	igt_assert_eq(r.masked[0], DIES * SECTIONS);
	igt_assert_f(r.masked[1] < r.masked[0], "masked during the demo: %lld\n",
		     r.masked[1]);
	igt_assert_eq(r.masked[2], DIES * SECTIONS);
	igt_assert_eq(access(DEMO_PNG, F_OK), 0);
	unlink(DEMO_PNG);
	drop_stack(&s);
}

static const struct igt_subtest subtests[] = {
	{ "masks-follow", test_masks_follow },
	{ "masks-follow-interleave", test_masks_follow_interleave },
	{ "load-after-buffers", test_load_after_buffers },
	{ "load-orders", test_load_orders },
	{ "placement-sections", test_placement_sections },
	{ "placement-first-fit", test_placement_first_fit },
	{ "placement-pairs", test_placement_pairs },
	{ "compaction-packs", test_compaction_packs },
	{ "compaction-off", test_compaction_off },
	{ "compaction-spares-mapped", test_compaction_spares_mapped },
	{ "compaction-makes-room", test_compaction_makes_room },
	{ "no-compaction-no-room", test_no_compaction_no_room },
	{ "self-refresh-intact", test_self_refresh_intact },
	{ "wrong-mask-detected", test_wrong_mask_detected },
	{ "vgemctl-map", test_vgemctl_map },
	{ "vgemctl-stats", test_vgemctl_stats },
	{ "vgemctl-demo", test_vgemctl_demo },
};

int main(int argc, char **argv)
{
	return igt_main_run(argc, argv, subtests, sizeof(subtests) / sizeof(subtests[0]));
}
