// SPDX-License-Identifier: MIT
/*
 * vgem_unload_orders: this project's four modules unloaded in each of the
 * 24 orders while user space holds state in them (issue 16).
 *
 * Why: vgem and pasr depend on cmctx and pasr_sim on pasr, and the state
 * user space holds outlives the file that made it (a mapping, a dma-buf, a
 * fence). rmmod in any order, at any time, must either be refused because
 * the module is in use or leave what remains working: no context freed
 * under pasr or vgem, no mapping left on pages given back, no self-refresh
 * that forgets a live buffer.
 *
 * unload-orders: the state is an open vgem file, a shmem and a contiguous
 * buffer mapped through it, the contiguous one exported as a dma-buf that
 * is mapped too and whose handle is closed, an unsignalled vgem fence;
 * vgem's contiguous memory is a private cmctx context of 16 MiB that pasr
 * feeds (before the buffers in even orders, after them in odd ones),
 * pasr_sim simulating the controller. Each module is then unloaded in the
 * order (delete_module(2), no waiting): cmctx under vgem or pasr and pasr
 * under pasr_sim must be refused with EAGAIN or EBUSY, pasr_sim and pasr
 * with nothing above them must go, and vgem may be refused (its state
 * holds it) or go. After each attempt every mapping still holds its
 * pattern and takes new ones, vgem (if loaded) still makes contiguous
 * buffers, pasr and cmctx count no misuse, and while pasr_sim is there a
 * simulated self-refresh (which overwrites the masked sections) leaves
 * every buffer intact. Then the state is released and every module must
 * unload, in that order again, refused only while a module that depends
 * on it is loaded; the kernel log of the order must have no report.
 * Without ZONE_MOVABLE both buffers are shmem and pasr has a layout beyond
 * RAM, with no self-refresh.
 *
 * The modules are loaded with init_module(2) from copies in memory
 * (nothing is exec'd between loads), and the fixture puts them back as the
 * other tests expect them (cmctx and vgem with their defaults) whatever
 * the subtest did.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_fd.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_figures.h"
#include "lib/igt_gem.h"
#include "lib/igt_kmsg.h"
#include "lib/igt_mm.h"
#include "lib/igt_module.h"
#include "lib/igt_pasr.h"
#include "lib/igt_pattern.h"
#include "lib/igt_vgem.h"

#define MiB		(1024ull * 1024)
#define PAGE		4096ull
#define RANGE0		"/sys/kernel/debug/cmctx/range0"
#define PASR_STATS	"/sys/kernel/debug/pasr/stats"
#define SELF_REFRESH	IGT_PASR_SIM "self_refresh"
/* Two dies of 4 x 4 MiB at 1 TiB, beyond RAM: nothing feeds them (pasr_basic's). */
#define FAR_LAYOUT	"layout=0x10000000000+16M:4,0x10001000000+16M:4"
/* The private context: 2 dies x 8 sections of 1 MiB. */
#define CTX_MIB		16


/*
 * How the modules are loaded, the same for every order: with private_ctx,
 * vgem's contiguous memory is range0 (at base, found by the first order),
 * private, fed to pasr; else there is no context and pasr has FAR_LAYOUT.
 * cycles counts the simulated self-refreshes over all orders.
 */
static struct {
	bool private_ctx;
	unsigned long long base;
	unsigned int cycles;
} stack;

/* ---- the state that holds the modules ---------------------------------------------- */

/**
 * struct live - the state that holds the modules
 * @fd: a vgem primary node
 * @shmem: a shmem buffer, mapped at @shmem_map, with a write fence
 * @fence: the fence, unsignalled
 * @contig_map: a contiguous buffer (without a context: another shmem
 *	one) mapped through @fd; its handle is closed
 * @dmabuf: that buffer exported, mapped at @dmabuf_map
 * @shmem_seed: the pattern @shmem_map holds
 * @contig_seed: the pattern @contig_map and @dmabuf_map hold
 * @vgem_gone: vgem was unloaded with the state (allowed, but then only the
 *	mappings are checked)
 */
struct live {
	int fd;
	struct vgem_bo shmem;
	uint32_t fence;
	void *shmem_map, *contig_map, *dmabuf_map;
	int dmabuf;
	uint32_t shmem_seed, contig_seed;
	bool vgem_gone;
};

static uint32_t contig_flag(void)
{
	return stack.private_ctx ? VGEM_BO_CONTIGUOUS : VGEM_BO_SHMEM;
}

static void live_create(struct live *l)
{
	struct vgem_bo contig = { .size = MiB };

	memset(l, 0, sizeof(*l));
	l->fd = drm_open_by_name("vgem", DRM_NODE_KIND_PRIMARY, NULL);
	igt_assert_f(l->fd >= 0, "no vgem node: %s\n", strerror(-l->fd));
	l->shmem.handle = igt_vgem_create_mib(l->fd, 1, VGEM_BO_SHMEM);
	l->shmem.size = MiB;
	l->shmem_map = vgem_mmap(l->fd, &l->shmem, PROT_READ | PROT_WRITE);
	l->shmem_seed = 0x5e000000u;
	pattern_fill(l->shmem_map, MiB, l->shmem_seed);
	l->fence = igt_vgem_fence_attach(l->fd, l->shmem.handle, VGEM_FENCE_WRITE);

	contig.handle = igt_vgem_create_mib(l->fd, 1, contig_flag());
	l->contig_map = vgem_mmap(l->fd, &contig, PROT_READ | PROT_WRITE);
	l->dmabuf = prime_handle_to_fd(l->fd, contig.handle);
	l->dmabuf_map = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_SHARED, l->dmabuf, 0);
	igt_assert_f(l->dmabuf_map != MAP_FAILED, "mmap of the dma-buf: %s\n", strerror(errno));
	/* The mapping and the dma-buf alone keep the object. */
	gem_close(l->fd, contig.handle);
	l->contig_seed = 0xc0000000u;
	pattern_fill(l->dmabuf_map, MiB, l->contig_seed);
}

/* Everything goes: the fence is signalled as the file closes. */
static void live_release(struct live *l)
{
	igt_assert_eq(munmap(l->shmem_map, MiB), 0);
	igt_assert_eq(munmap(l->contig_map, MiB), 0);
	igt_assert_eq(munmap(l->dmabuf_map, MiB), 0);
	close(l->dmabuf);
	close(l->fd);
}

/* One simulated self-refresh: masked sections overwritten, then checked. */
static void self_refresh_cycle(void)
{
	igt_assert_eq(igt_write_file(SELF_REFRESH, "cycle"), 0);
	igt_assert_eq(igt_figure(SELF_REFRESH, "dirty_bytes"), 0);
	stack.cycles++;
}

/*
 * What is left is safe to use: the mappings hold their patterns and take
 * new ones (the contiguous buffer seen through both of its), vgem makes and
 * maps another buffer, pasr and cmctx saw no misuse, and while pasr_sim is
 * loaded a self-refresh leaves every buffer intact.
 */
static void live_check(struct live *l, const bool loaded[IGT_VGEM_MODULES])
{
	pattern_check(l->shmem_map, MiB, l->shmem_seed);
	pattern_check(l->contig_map, MiB, l->contig_seed);
	pattern_check(l->dmabuf_map, MiB, l->contig_seed);
	l->shmem_seed += 0x01000193u;
	pattern_fill(l->shmem_map, MiB, l->shmem_seed);
	l->contig_seed += 0x01000193u;
	pattern_fill(l->contig_map, MiB, l->contig_seed);
	pattern_check(l->dmabuf_map, MiB, l->contig_seed);

	if (!l->vgem_gone) {
		struct vgem_bo bo = { .size = MiB };
		void *map;

		bo.handle = igt_vgem_create_mib(l->fd, 1, contig_flag());
		map = vgem_mmap(l->fd, &bo, PROT_READ | PROT_WRITE);
		pattern_fill(map, MiB, 0x0b0b0000u);
		pattern_check(map, MiB, 0x0b0b0000u);
		igt_assert_eq(munmap(map, MiB), 0);
		gem_close(l->fd, bo.handle);
	}
	if (loaded[IGT_MODULE_PASR])
		igt_assert_eq(igt_figure(PASR_STATS, "misuse"), 0);
	if (stack.private_ctx && loaded[IGT_MODULE_CMCTX])
		igt_assert_eq(igt_figure(RANGE0, "misuse"), 0);
	/* Only over range0: a layout beyond RAM has no page to overwrite. */
	if (loaded[IGT_MODULE_PASR_SIM] && stack.private_ctx) {
		self_refresh_cycle();
		pattern_check(l->shmem_map, MiB, l->shmem_seed);
		pattern_check(l->contig_map, MiB, l->contig_seed);
	}
}

/* ---- the modules ---------------------------------------------------------------- */

/* Whether cmctx took range0 at @base: else it is unloaded again. */
static bool load_cmctx_at(unsigned long long base)
{
	igt_module_image_load(igt_vgem_module(IGT_MODULE_CMCTX),
			      "movable=0 range=%uM@%#llx:private", CTX_MIB, base);
	if (access(RANGE0, F_OK) == 0)
		return true;
	igt_assert_eq(igt_module_unload_wait("cmctx"), 0);
	return false;
}

/*
 * cmctx with a private range0 of CTX_MIB MiB in ZONE_MOVABLE: at
 * stack.base when one worked before, else from the zone's first pageblock
 * up (a page of the range may be held for longer than cmctx waits:
 * pasr_vgem's way). Without ZONE_MOVABLE, or when no base works, cmctx with
 * its defaults.
 */
static void load_cmctx(void)
{
	long long start = igt_movable_zone("start_pfn");
	long long present = igt_movable_zone("present");
	unsigned long long base, end;
	unsigned int tries = 0;

	if (stack.base && load_cmctx_at(stack.base))
		return;
	if (start > 0 && present > 0) {
		end = (unsigned long long)(start + present) * PAGE;
		for (base = ((unsigned long long)start * PAGE + 2 * MiB - 1) & ~(2 * MiB - 1);
		     base + CTX_MIB * MiB <= end && tries < 8; base += 16 * MiB, tries++) {
			if (base == stack.base)
				continue;
			if (load_cmctx_at(base)) {
				stack.base = base;
				stack.private_ctx = true;
				return;
			}
			igt_info("range0 refused at %#llx, trying further up\n", base);
		}
	}
	igt_assert_f(!stack.private_ctx, "range0 could be taken before, and no longer\n");
	igt_info("no private context (no ZONE_MOVABLE, or no %u MiB of it could be taken): "
		 "shmem buffers only, pasr over a layout beyond RAM\n", CTX_MIB);
	igt_module_image_load(igt_vgem_module(IGT_MODULE_CMCTX), "%s", "");
}

static void load_pasr(void)
{
	if (stack.private_ctx) {
		igt_module_image_load(igt_vgem_module(IGT_MODULE_PASR), "context=range0");
		igt_assert_eq(igt_pasr_value("dies"), 2);
		igt_assert_eq(igt_pasr_value("sections"), 16);
	} else {
		igt_module_image_load(igt_vgem_module(IGT_MODULE_PASR), "context=none " FAR_LAYOUT);
	}
	igt_module_image_load(igt_vgem_module(IGT_MODULE_PASR_SIM), "%s", "");
}

/* Whether the model says @m is in use: by the state, or by a module that needs it. */
static bool in_use(enum igt_vgem_module m, const bool loaded[IGT_VGEM_MODULES], bool live)
{
	switch (m) {
	case IGT_MODULE_VGEM: return live;
	case IGT_MODULE_CMCTX: return loaded[IGT_MODULE_VGEM] || loaded[IGT_MODULE_PASR];
	case IGT_MODULE_PASR: return loaded[IGT_MODULE_PASR_SIM];
	default: return false;
	}
}

static const char *unload_result(int ret)
{
	return ret ? strerrorname_np(-ret) : "success";
}

/* ---- the orders ------------------------------------------------------------------- */

/* The order after @a, as the permutations sort; false after the last. */
static bool next_permutation(enum igt_vgem_module *a, unsigned int n)
{
	enum igt_vgem_module t;
	unsigned int i, j;

	for (i = n - 1; i > 0 && a[i - 1] >= a[i]; i--)
		;
	if (!i)
		return false;
	for (j = n - 1; a[j] <= a[i - 1]; j--)
		;
	t = a[i - 1], a[i - 1] = a[j], a[j] = t;
	for (j = n - 1; i < j; i++, j--)
		t = a[i], a[i] = a[j], a[j] = t;
	return true;
}

/*
 * With the state live, each module in @order once: refused while in use,
 * gone otherwise (vgem may go, the state notwithstanding); the state is
 * checked after each attempt. What happened is added to @line.
 */
static void unload_with_state(struct live *l, const enum igt_vgem_module *order,
			      unsigned int index, bool loaded[IGT_VGEM_MODULES], char *line,
			      size_t size)
{
	unsigned int i;
	int ret;

	for (i = 0; i < IGT_VGEM_MODULES; i++) {
		enum igt_vgem_module m = order[i];
		const char *name = igt_vgem_module(m)->name;
		bool busy = in_use(m, loaded, !l->vgem_gone);

		ret = igt_module_unload(name);
		snprintf(line + strlen(line), size - strlen(line), " %s:%s", name,
			 ret ? strerrorname_np(-ret) : "unloaded");
		if (m == IGT_MODULE_VGEM && !ret)
			l->vgem_gone = true;	/* allowed if the rest holds */
		else if (busy)
			igt_assert_f(ret == -EAGAIN || ret == -EBUSY,
				     "order %u: %s is in use, yet unloading it gave %s\n", index,
				     name, unload_result(ret));
		else
			igt_assert_f(ret == 0, "order %u: %s is not in use, yet unloading it gave %s\n",
				     index, name, unload_result(ret));
		loaded[m] = igt_module_loaded(name);
		igt_assert_eq(loaded[m], ret != 0);
		live_check(l, loaded);
	}
}

/*
 * The state released, every module left goes, in @order again, refused
 * only while a module that needs it is loaded.
 */
static void unload_released(const enum igt_vgem_module *order, unsigned int index,
			    bool loaded[IGT_VGEM_MODULES], char *line, size_t size)
{
	unsigned int pass, i, left = IGT_VGEM_MODULES;
	int ret;

	for (pass = 0; pass < IGT_VGEM_MODULES && left; pass++) {
		for (i = 0, left = 0; i < IGT_VGEM_MODULES; i++) {
			enum igt_vgem_module m = order[i];
			const char *name = igt_vgem_module(m)->name;

			if (!loaded[m])
				continue;
			if (in_use(m, loaded, false)) {
				ret = igt_module_unload(name);
				igt_assert_f(ret == -EAGAIN || ret == -EBUSY,
					     "order %u, released: %s is needed by a module, yet unloading it gave %s\n",
					     index, name, unload_result(ret));
				left++;
				continue;
			}
			ret = igt_module_unload_wait(name);
			igt_assert_f(ret == 0, "order %u: %s still in use after the state was released: %s\n",
				     index, name, unload_result(ret));
			loaded[m] = false;
			snprintf(line + strlen(line), size - strlen(line), " %s", name);
		}
	}
	for (i = 0; i < IGT_VGEM_MODULES; i++)
		igt_assert_f(!igt_module_loaded(igt_vgem_module(i)->name), "%s is still loaded\n",
			     igt_vgem_module(i)->name);
}

/* The kernel log of an order has no report (the runner fails the run on one, too). */
static void check_log(struct igt_kmsg_tail *kmsg, unsigned int index)
{
	static const char *const reports[] = {
		"WARNING:", "BUG:", "Oops", "Call Trace:", "refcount_t:", "list_add corruption",
		"list_del corruption", "general protection", "unloaded with",
	};
	char report[300];
	unsigned int r;

	igt_kmsg_tail_read(kmsg);
	for (r = 0; r < IGT_ARRAY_SIZE(reports); r++)
		igt_assert_f(!igt_kmsg_tail_find(kmsg, reports[r], report, sizeof(report)),
			     "order %u: the kernel log says: %s\n", index, report);
}

/* One order: the stack, the state, the attempts, the release, the unloads. */
static void one_order(const enum igt_vgem_module *order, unsigned int index)
{
	bool loaded[IGT_VGEM_MODULES] = { true, true, true, true };
	bool pasr_first = index % 2 == 0;
	char line[256] = "";
	struct live l;

	load_cmctx();
	igt_module_image_load(igt_vgem_module(IGT_MODULE_VGEM), "cma_context=%s",
			      stack.private_ctx ? "range0" : "");
	/* Even orders: pasr feeds range0 before the buffers; odd ones: after. */
	if (pasr_first)
		load_pasr();
	live_create(&l);
	if (!pasr_first)
		load_pasr();
	live_check(&l, loaded);

	unload_with_state(&l, order, index, loaded, line, sizeof(line));
	live_release(&l);
	snprintf(line + strlen(line), sizeof(line) - strlen(line), "; released:");
	unload_released(order, index, loaded, line, sizeof(line));
	igt_info("order %2u:%s\n", index, line);
}

static void test_unload_orders(void)
{
	enum igt_vgem_module order[IGT_VGEM_MODULES] = {
		IGT_MODULE_CMCTX, IGT_MODULE_VGEM, IGT_MODULE_PASR, IGT_MODULE_PASR_SIM,
	};
	static struct igt_kmsg_tail kmsg;
	unsigned int index = 0;

	igt_require_debugfs();
	igt_vgem_modules_unload();
	igt_kmsg_tail_open(&kmsg);
	do {
		igt_kmsg_tail_mark(&kmsg, "vgem_unload_orders %d: order %u", getpid(), index);
		one_order(order, index);
		check_log(&kmsg, index++);
	} while (next_permutation(order, IGT_VGEM_MODULES));
	igt_kmsg_tail_close(&kmsg);
	igt_info("%u orders, %s, %u simulated self-refreshes\n", index,
		 stack.private_ctx ? "a private range0 fed to pasr" : "no private context",
		 stack.cycles);
}

static const struct igt_subtest subtests[] = {
	{ "unload-orders", test_unload_orders },
};

int main(int argc, char **argv)
{
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     &igt_vgem_modules_fixture, 1);
}
