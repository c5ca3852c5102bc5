// SPDX-License-Identifier: MIT
/*
 * vgem_prime_hash: the per-device dma-buf hash, behaviour only our vgem has.
 * One GEM object per (device, dma-buf), whichever file and process imports
 * it, each file with its own handle; the same dma-buf for every export of
 * one object while that dma-buf lives; entries of
 * /sys/kernel/debug/dri/<minor>/vgem_prime that disappear exactly when the
 * last reference goes, in every order of closing and under a concurrent
 * stress of several processes and threads.
 *
 * Objects are counted from user space by GEM_FLINK (one object, one name)
 * and by the vgem_objects debugfs file; attachments of a dma-buf from
 * /sys/kernel/debug/dma_buf/bufinfo. Behaviour that upstream vgem shares
 * is tested by vgem_prime. The subtests reload the module only when it has
 * not the number of devices they need (num_devices=2 for most), since a
 * reload takes seconds (tens on the debug kernel); the binary reloads it
 * with the default when it is done.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "lib/drm_helpers.h"
#include "lib/igt.h"
#include "lib/igt_debugfs.h"
#include "lib/igt_dmabuf.h"
#include "lib/igt_fd.h"
#include "lib/igt_gem.h"
#include "lib/igt_module.h"
#include "lib/igt_vgem_objects.h"

#define PAGE_SZ 4096ul
#define MAX_ENTRIES 64
#define PRIME_HEADER "kind ino size object handles refs exporter"

/**
 * struct prime_entry - one entry line of vgem_prime
 * @refs: references on the dma-buf's file, -1 when the driver shows "-"
 *	(an export whose file may be gone: the object no longer caches it)
 */
struct prime_entry {
	char kind[16];
	uint64_t ino, size, object;
	unsigned int handles;
	long refs;
	char exporter[32];
};

/** struct prime_table - a parsed vgem_prime file (first MAX_ENTRIES entries) */
struct prime_table {
	unsigned long entries, hits, misses;
	unsigned int count;
	struct prime_entry e[MAX_ENTRIES];
};

/* The debugfs file @name of minor @minor; skips when there is none. */
static FILE *open_debugfs(int minor, const char *name)
{
	FILE *f = igt_debugfs_device_open(minor, name);

	igt_require_f(f, "no %s of minor %d (%s): this vgem has no per-device dma-buf hash",
		      name, minor, strerror(errno));
	return f;
}

/* Whether @line's whitespace-separated words are those of @words. */
static bool same_words(const char *line, const char *words)
{
	char a[64], b[64];
	int na, nb;

	while (sscanf(line, "%63s%n", a, &na) == 1) {
		if (sscanf(words, "%63s%n", b, &nb) != 1 || strcmp(a, b))
			return false;
		line += na;
		words += nb;
	}
	return sscanf(words, "%63s", b) != 1;
}

/* Parses vgem_prime of DRM minor @minor into @t, checking its form. */
static void read_prime(int minor, struct prime_table *t)
{
	char line[256];
	unsigned long lines = 0;
	FILE *f = open_debugfs(minor, "vgem_prime");

	memset(t, 0, sizeof(*t));
	igt_assert(fgets(line, sizeof(line), f));
	igt_assert_f(sscanf(line, "entries %lu hits %lu misses %lu", &t->entries,
			    &t->hits, &t->misses) == 3, "vgem_prime line 1: %s", line);
	igt_assert(fgets(line, sizeof(line), f));
	igt_assert_f(same_words(line, PRIME_HEADER),
		     "vgem_prime header: %s", line);
	while (fgets(line, sizeof(line), f)) {
		struct prime_entry e;
		char refs[24], *end;

		igt_assert_f(sscanf(line, "%15s %" SCNu64 " %" SCNu64 " %" SCNu64 " %u %23s %31s",
				    e.kind, &e.ino, &e.size, &e.object, &e.handles,
				    refs, e.exporter) == 7,
			     "vgem_prime entry: %s", line);
		e.refs = strcmp(refs, "-") ? strtol(refs, &end, 10) : -1;
		igt_assert_f(e.refs == -1 || (*end == '\0' && e.refs >= 0),
			     "vgem_prime refs: %s", line);
		igt_assert_f(!strcmp(e.kind, "export") || !strcmp(e.kind, "import"),
			     "vgem_prime kind: %s", line);
		if (t->count < MAX_ENTRIES)
			t->e[t->count++] = e;
		lines++;
	}
	fclose(f);
	igt_assert_eq(lines, t->entries);
}

/* The entry of dma-buf @ino in @t, or NULL. */
static const struct prime_entry *find_entry(const struct prime_table *t, uint64_t ino)
{
	unsigned int i;

	for (i = 0; i < t->count; i++)
		if (t->e[i].ino == ino)
			return &t->e[i];
	return NULL;
}

/* Asserts that minor @minor has a @kind entry for @ino; returns a copy. */
static struct prime_entry expect_entry(int minor, uint64_t ino, const char *kind)
{
	struct prime_table t;
	const struct prime_entry *e;

	read_prime(minor, &t);
	e = find_entry(&t, ino);
	igt_assert_f(e, "minor %d: no vgem_prime entry for dma-buf %" PRIu64 "\n",
		     minor, ino);
	igt_assert_f(!strcmp(e->kind, kind), "minor %d: entry of %" PRIu64 " is %s, not %s\n",
		     minor, ino, e->kind, kind);
	return *e;
}

static void expect_no_entry(int minor, uint64_t ino)
{
	struct prime_table t;

	read_prime(minor, &t);
	igt_assert_f(!find_entry(&t, ino),
		     "minor %d: vgem_prime still has dma-buf %" PRIu64 "\n", minor, ino);
}

static unsigned long prime_entries(int minor)
{
	struct prime_table t;

	read_prime(minor, &t);
	return t.entries;
}

/*
 * Live objects of minor @minor's device (vgem_objects' summary line); with
 * @id not 0, whether an object with that id (its id column) is listed, as
 * 1 or 0, instead.
 */
static int objects(int minor, uint64_t id)
{
	struct igt_vgem_objects objs;
	unsigned int row;
	int ret, found = 0;

	ret = igt_vgem_objects_read(minor, &objs);
	igt_require_f(ret != -ENOENT, "no vgem_objects of minor %d: this vgem has no "
		      "per-device dma-buf hash", minor);
	igt_assert_f(ret == 0, "vgem_objects of minor %d: %s\n", minor, strerror(-ret));
	for (row = 0; id && row < objs.table->nr_rows; row++)
		if (igt_table_number(objs.table, row, "id") == id)
			found = 1;
	ret = id ? found : (int)objs.count;
	igt_vgem_objects_free(&objs);
	return ret;
}

static void require_ours(void)
{
	igt_require_f(igt_module_out_of_tree("vgem"),
		      "the loaded vgem is the kernel's own: upstream keeps one object "
		      "per importing file, it has no per-device dma-buf hash");
}

/* Device 0 (a, minor ma) and device 1 (b, minor mb), primary nodes. */
struct two {
	int a, b, ma, mb;
};

/* The num_devices of the loaded vgem; 0 when none is, or the kernel's own. */
static unsigned int loaded_devices(void)
{
	FILE *f = fopen("/sys/module/vgem/parameters/num_devices", "re");
	unsigned int n = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%u", &n) != 1)
		n = 0;
	fclose(f);
	return n;
}

/* Our vgem with @devices devices, reloaded only when it is not so. */
static void use_devices(unsigned int devices)
{
	if (loaded_devices() != devices)
		igt_vgem_reload(devices);
	require_ours();
}

static void two_devices(struct two *p)
{
	use_devices(2);
	p->a = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, &p->ma);
	p->b = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, &p->mb);
}

static uint32_t create(int fd, uint32_t pages)
{
	struct vgem_bo bo = { .width = 1024, .height = pages, .bpp = 32 };

	vgem_create(fd, &bo);
	return bo.handle;
}

/*
 * One foreign dma-buf (of device 0) imported by 3 primary files and a
 * render file of device 1: one object, one attachment, four handles; the
 * entry goes with the last file.
 */
static void test_dedupe_files(void)
{
	struct prime_table t0, t;
	struct prime_entry e;
	int files[4], dmabuf, i;
	uint32_t handles[4];
	struct two p;
	uint64_t ino;

	two_devices(&p);
	dmabuf = prime_handle_to_fd(p.a, create(p.a, 4));
	ino = fd_inode(dmabuf);
	read_prime(p.mb, &t0);

	for (i = 0; i < 4; i++) {
		files[i] = igt_vgem_open_device(1, i == 3 ? DRM_NODE_KIND_RENDER :
						DRM_NODE_KIND_PRIMARY, NULL);
		handles[i] = prime_fd_to_handle(files[i], dmabuf);
	}
	igt_assert_eq(gem_flink(files[1], handles[1]), gem_flink(files[0], handles[0]));
	igt_assert_eq(gem_flink(files[2], handles[2]), gem_flink(files[0], handles[0]));

	read_prime(p.mb, &t);
	igt_assert_eq(t.misses - t0.misses, 1);
	igt_assert_eq(t.hits - t0.hits, 3);
	igt_assert_eq(t.entries, 1);
	e = expect_entry(p.mb, ino, "import");
	igt_assert_eq(e.handles, 4);
	igt_assert_eq(e.size, 4 * PAGE_SZ);
	igt_assert_f(!strcmp(e.exporter, "vgem"), "exporter %s\n", e.exporter);
	igt_assert_eq(objects(p.mb, 0), 1);
	igt_assert_eq(objects(p.mb, e.object), 1);
	igt_assert_eq(dmabuf_attachments(ino), 1);

	for (i = 0; i < 3; i++) {
		close(files[i]);
		igt_assert_eq(expect_entry(p.mb, ino, "import").handles, 3 - i);
		igt_assert_eq(dmabuf_attachments(ino), 1);
	}
	close(files[3]);
	expect_no_entry(p.mb, ino);
	igt_assert_eq(objects(p.mb, 0), 0);
	igt_assert_eq(dmabuf_attachments(ino), 0);

	close(dmabuf);
	close(p.a);
	close(p.b);
	igt_assert_eq(prime_entries(p.ma), 0);
	igt_assert_eq(objects(p.ma, 0), 0);
}

/*
 * Four processes import one dma-buf of device 0 into files of device 1 of
 * their own, three with the fd inherited and one with it received over a
 * unix socket: one object (one flink name), one attachment.
 */
static void test_dedupe_processes(void)
{
	int results[2], release[2], sock[2], dmabuf, i, status;
	uint32_t names[4];
	struct prime_entry e;
	pid_t pids[4];
	struct two p;
	uint64_t ino;

	two_devices(&p);
	dmabuf = prime_handle_to_fd(p.a, create(p.a, 1));
	ino = fd_inode(dmabuf);
	igt_assert_eq(pipe(results), 0);
	igt_assert_eq(pipe(release), 0);
	igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock), 0);

	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		igt_assert(pids[i] >= 0);
		if (pids[i] == 0) {
			int fd, buf = dmabuf;
			uint32_t name;
			char c;

			close(results[0]);
			close(release[1]);
			if (i == 3) {
				close(dmabuf);
				buf = recv_fd(sock[1]);
				igt_assert_f(buf >= 0, "recv_fd: %s\n", strerror(-buf));
				igt_assert_eq(fd_inode(buf), ino);
			}
			fd = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);
			name = gem_flink(fd, prime_fd_to_handle(fd, buf));
			igt_assert_eq(write(results[1], &name, sizeof(name)), sizeof(name));
			igt_assert_eq(read(release[0], &c, 1), 0);	/* until released */
			_exit(0);
		}
	}
	close(results[1]);
	close(release[0]);
	igt_assert_eq(send_fd(sock[0], dmabuf), 0);

	for (i = 0; i < 4; i++)
		igt_assert_eq(read(results[0], &names[i], sizeof(names[i])), sizeof(names[i]));
	for (i = 1; i < 4; i++)
		igt_assert_eq(names[i], names[0]);
	e = expect_entry(p.mb, ino, "import");
	igt_assert_eq(e.handles, 4);
	igt_assert_eq(objects(p.mb, 0), 1);
	igt_assert_eq(dmabuf_attachments(ino), 1);

	close(release[1]);
	for (i = 0; i < 4; i++) {
		igt_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "importer %d failed (status 0x%x)\n", i, status);
	}
	expect_no_entry(p.mb, ino);
	igt_assert_eq(objects(p.mb, 0), 0);
	igt_assert_eq(dmabuf_attachments(ino), 0);

	close(results[0]);
	close(sock[0]);
	close(sock[1]);
	close(dmabuf);
	close(p.a);
	close(p.b);
}

/*
 * A file importing a dma-buf it already holds gets its handle back, even
 * after the fd was closed and the object re-exported; another file gets a
 * handle of its own to the same object.
 */
static void test_same_handle(void)
{
	uint32_t handle, other;
	struct prime_table t0, t;
	int dmabuf, again, b2;
	struct two p;
	uint64_t ino;

	two_devices(&p);
	dmabuf = prime_handle_to_fd(p.a, create(p.a, 1));
	ino = fd_inode(dmabuf);
	read_prime(p.mb, &t0);

	handle = prime_fd_to_handle(p.b, dmabuf);
	igt_assert_eq(prime_fd_to_handle(p.b, dmabuf), handle);
	close(dmabuf);
	again = prime_handle_to_fd(p.b, handle);
	igt_assert_eq(fd_inode(again), ino);
	igt_assert_eq(prime_fd_to_handle(p.b, again), handle);

	b2 = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);
	other = prime_fd_to_handle(b2, again);
	igt_assert_eq(gem_flink(b2, other), gem_flink(p.b, handle));
	igt_assert_eq(expect_entry(p.mb, ino, "import").handles, 2);

	/* From 6.6 on, the core answers p.b's second and third imports. */
	read_prime(p.mb, &t);
	igt_assert_eq(t.misses - t0.misses, 1);
	igt_assert_eq(t.hits - t0.hits, igt_prime_fd_handle_in_core() ? 1 : 3);
	igt_assert_eq(objects(p.mb, 0), 1);

	close(again);
	close(b2);
	close(p.b);
	close(p.a);
}

/*
 * Every export of one object, from any file of the exporting device or of
 * an importing one, is the same dma-buf (inode) while it lives, also after
 * the exporter's fds and handles are gone.
 */
static void test_reexport_identity(void)
{
	int a2, bfiles[3], fd, first, i;
	uint32_t handle, h2, hb[3];
	struct prime_entry e;
	struct two p;
	uint64_t ino;

	two_devices(&p);
	handle = create(p.a, 2);
	first = prime_handle_to_fd(p.a, handle);
	ino = fd_inode(first);
	e = expect_entry(p.ma, ino, "export");
	igt_assert_eq(e.size, 2 * PAGE_SZ);
	igt_assert_f(!strcmp(e.exporter, "vgem"), "exporter %s\n", e.exporter);

	a2 = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, NULL);
	h2 = prime_fd_to_handle(a2, first);
	igt_assert_eq(gem_flink(a2, h2), gem_flink(p.a, handle));
	fd = prime_handle_to_fd(a2, h2);
	igt_assert_eq(fd_inode(fd), ino);
	close(fd);

	for (i = 0; i < 3; i++) {
		bfiles[i] = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);
		hb[i] = prime_fd_to_handle(bfiles[i], first);
		fd = prime_handle_to_fd(bfiles[i], hb[i]);
		igt_assert_eq(fd_inode(fd), ino);
		close(fd);
	}

	/* Only device 1's import holds the dma-buf (and so the object) now. */
	close(first);
	gem_close(p.a, handle);
	gem_close(a2, h2);
	igt_assert_eq(expect_entry(p.ma, ino, "export").handles, 0);
	igt_assert_eq(objects(p.ma, 0), 1);
	fd = prime_handle_to_fd(bfiles[1], hb[1]);
	igt_assert_eq(fd_inode(fd), ino);
	/* ... and importing it back into device 0 gives the original object. */
	handle = prime_fd_to_handle(p.a, fd);
	igt_assert_eq(expect_entry(p.ma, ino, "export").object, e.object);
	igt_assert_eq(objects(p.ma, 0), 1);
	igt_assert_eq(expect_entry(p.mb, ino, "import").handles, 3);

	close(fd);
	for (i = 0; i < 3; i++)
		close(bfiles[i]);
	expect_no_entry(p.mb, ino);
	close(a2);
	close(p.a);
	close(p.b);
	expect_no_entry(p.ma, ino);
	igt_assert_eq(objects(p.ma, 0), 0);
}

/* A buffer of device 0 exported and imported by device 1. */
struct shared {
	struct two p;
	uint32_t ha, hb;
	int dmabuf;
	uint64_t ino;
};

static void share(struct shared *s)
{
	two_devices(&s->p);
	s->ha = create(s->p.a, 4);
	s->dmabuf = prime_handle_to_fd(s->p.a, s->ha);
	s->ino = fd_inode(s->dmabuf);
	s->hb = prime_fd_to_handle(s->p.b, s->dmabuf);
	igt_assert_eq(expect_entry(s->p.ma, s->ino, "export").handles, 1);
	igt_assert_eq(expect_entry(s->p.mb, s->ino, "import").handles, 1);
	igt_assert_eq(dmabuf_attachments(s->ino), 1);
}

/* Both devices hold nothing; the module unloads (no dma-buf of ours left). */
static void expect_all_gone(struct shared *s)
{
	expect_no_entry(s->p.ma, s->ino);
	expect_no_entry(s->p.mb, s->ino);
	igt_assert_eq(objects(s->p.ma, 0), 0);
	igt_assert_eq(objects(s->p.mb, 0), 0);
	igt_assert_eq(dmabuf_attachments(s->ino), -ENOENT);
}

static void test_close_handle_first(void)
{
	struct shared s;

	share(&s);
	gem_close(s.p.a, s.ha);
	igt_assert_eq(expect_entry(s.p.ma, s.ino, "export").handles, 0);
	igt_assert_eq(objects(s.p.ma, 0), 1);
	gem_close(s.p.b, s.hb);
	expect_no_entry(s.p.mb, s.ino);
	igt_assert_eq(objects(s.p.mb, 0), 0);
	igt_assert_eq(dmabuf_attachments(s.ino), 0);
	expect_entry(s.p.ma, s.ino, "export");	/* the fd */
	close(s.dmabuf);
	expect_all_gone(&s);
	close(s.p.a);
	close(s.p.b);
}

static void test_close_fd_first(void)
{
	struct prime_entry before;
	struct shared s;

	share(&s);
	before = expect_entry(s.p.ma, s.ino, "export");
	close(s.dmabuf);
	igt_assert_eq(expect_entry(s.p.ma, s.ino, "export").refs, before.refs - 1);
	expect_entry(s.p.mb, s.ino, "import");
	gem_close(s.p.b, s.hb);
	expect_no_entry(s.p.mb, s.ino);
	igt_assert_eq(objects(s.p.mb, 0), 0);
	expect_entry(s.p.ma, s.ino, "export");	/* the exporter's handle */
	gem_close(s.p.a, s.ha);
	expect_all_gone(&s);
	close(s.p.a);
	close(s.p.b);
}

static void test_close_exporter_first(void)
{
	struct shared s;
	int fd;

	share(&s);
	close(s.p.a);
	igt_assert_eq(expect_entry(s.p.ma, s.ino, "export").handles, 0);
	igt_assert_eq(objects(s.p.ma, 0), 1);
	fd = prime_handle_to_fd(s.p.b, s.hb);
	igt_assert_eq(fd_inode(fd), s.ino);
	close(fd);
	close(s.dmabuf);
	expect_entry(s.p.ma, s.ino, "export");	/* device 1's import */
	expect_entry(s.p.mb, s.ino, "import");
	close(s.p.b);
	expect_all_gone(&s);
	igt_assert_f(igt_system("modprobe -r vgem") == 0,
		     "vgem does not unload after every file and dma-buf is closed\n");
}

static void test_close_importer_first(void)
{
	struct shared s;

	share(&s);
	close(s.p.b);
	expect_no_entry(s.p.mb, s.ino);
	igt_assert_eq(objects(s.p.mb, 0), 0);
	igt_assert_eq(dmabuf_attachments(s.ino), 0);
	close(s.dmabuf);
	igt_assert_eq(expect_entry(s.p.ma, s.ino, "export").handles, 1);
	gem_close(s.p.a, s.ha);
	expect_all_gone(&s);
	close(s.p.a);
}

/* A mapping of the dma-buf is the last reference: the entry goes at munmap. */
static void test_close_mapping_last(void)
{
	struct shared s;
	uint32_t *ptr;

	share(&s);
	ptr = mmap(NULL, 4 * PAGE_SZ, PROT_READ | PROT_WRITE, MAP_SHARED, s.dmabuf, 0);
	igt_assert(ptr != MAP_FAILED);
	ptr[0] = 0xc0ffee;
	close(s.dmabuf);
	gem_close(s.p.b, s.hb);
	gem_close(s.p.a, s.ha);
	close(s.p.a);
	close(s.p.b);
	expect_no_entry(s.p.mb, s.ino);
	igt_assert_eq(expect_entry(s.p.ma, s.ino, "export").handles, 0);
	igt_assert_eq(objects(s.p.ma, 0), 1);
	igt_assert_eq(ptr[0], 0xc0ffee);
	munmap(ptr, 4 * PAGE_SZ);
	expect_all_gone(&s);
}

/*
 * Closing a file with imports and exports removes every entry it alone
 * held, on its device and on the exporting one.
 */
static void test_file_close(void)
{
	uint32_t handles[3];
	uint64_t inos[5];
	int fd, i;
	struct two p;

	two_devices(&p);
	for (i = 0; i < 3; i++) {
		handles[i] = create(p.a, 1);
		fd = prime_handle_to_fd(p.a, handles[i]);
		inos[i] = fd_inode(fd);
		prime_fd_to_handle(p.b, fd);
		close(fd);
	}
	for (i = 3; i < 5; i++) {
		fd = prime_handle_to_fd(p.b, create(p.b, 1));
		inos[i] = fd_inode(fd);
		close(fd);
	}
	igt_assert_eq(prime_entries(p.mb), 5);
	igt_assert_eq(prime_entries(p.ma), 3);
	for (i = 0; i < 5; i++)
		expect_entry(p.mb, inos[i], i < 3 ? "import" : "export");

	/* Device 0's exports live on through device 1's imports only. */
	for (i = 0; i < 3; i++)
		gem_close(p.a, handles[i]);
	igt_assert_eq(prime_entries(p.ma), 3);
	igt_assert_eq(objects(p.ma, 0), 3);

	close(p.b);
	igt_assert_eq(prime_entries(p.mb), 0);
	igt_assert_eq(objects(p.mb, 0), 0);
	igt_assert_eq(prime_entries(p.ma), 0);
	igt_assert_eq(objects(p.ma, 0), 0);
	for (i = 0; i < 5; i++)
		igt_assert_eq(dmabuf_attachments(inos[i]), -ENOENT);
	close(p.a);
}

/*
 * Every PRIME_FD_TO_HANDLE that reaches vgem counts one hit (the object
 * existed: the same file again, another file, a dma-buf of this device) or
 * one miss (a new object); entries carry the object's id, as vgem_objects shows it.
 */
static void test_debugfs_counters(void)
{
	struct prime_table a0, b0, a1, b1;
	struct prime_entry e;
	int dmabuf, own, b2;
	bool core;
	struct two p;

	two_devices(&p);
	dmabuf = prime_handle_to_fd(p.a, create(p.a, 1));
	own = prime_handle_to_fd(p.b, create(p.b, 1));
	b2 = igt_vgem_open_device(1, DRM_NODE_KIND_PRIMARY, NULL);
	read_prime(p.ma, &a0);
	read_prime(p.mb, &b0);
	igt_assert_eq(a0.entries, 1);
	igt_assert_eq(b0.entries, 1);

	prime_fd_to_handle(p.b, dmabuf);	/* miss */
	prime_fd_to_handle(p.b, dmabuf);	/* hit: same file */
	prime_fd_to_handle(b2, dmabuf);		/* hit: another file */
	prime_fd_to_handle(b2, own);		/* hit: device 1's own dma-buf */
	prime_fd_to_handle(p.a, dmabuf);	/* hit on device 0: self-import */
	read_prime(p.ma, &a1);
	read_prime(p.mb, &b1);
	/*
	 * From 6.6 on, the core answers the imports of a file that already
	 * has a handle for the dma-buf (p.b's second, p.a's own export):
	 * they reach no hook and count nothing (docs/uapi.md).
	 */
	core = igt_prime_fd_handle_in_core();
	igt_assert_eq(b1.misses - b0.misses, 1);
	igt_assert_eq(b1.hits - b0.hits, core ? 2 : 3);
	igt_assert_eq(a1.misses - a0.misses, 0);
	igt_assert_eq(a1.hits - a0.hits, core ? 0 : 1);
	igt_assert_eq(b1.entries, 2);
	igt_assert_eq(a1.entries, 1);

	e = expect_entry(p.mb, fd_inode(dmabuf), "import");
	igt_assert_eq(objects(p.mb, e.object), 1);
	e = expect_entry(p.mb, fd_inode(own), "export");
	igt_assert_eq(e.handles, 2);
	igt_assert_eq(objects(p.mb, e.object), 1);
	e = expect_entry(p.ma, fd_inode(dmabuf), "export");
	igt_assert_eq(objects(p.ma, e.object), 1);
	igt_assert_eq(objects(p.mb, e.object + 1000000), 0);

	close(dmabuf);
	close(own);
	close(b2);
	close(p.a);
	close(p.b);
	igt_assert_eq(prime_entries(p.ma), 0);
	igt_assert_eq(prime_entries(p.mb), 0);
}

/*
 * A buffer of another driver (@exporter) imported by four files of one
 * device: one object, one attachment, one entry; gone with the last file.
 */
static void dedupe_foreign(int dmabuf, size_t len, const char *exporter)
{
	int files[4], i, fd, minor;
	struct prime_entry e;
	uint32_t handles[4];
	uint64_t ino = fd_inode(dmabuf);

	use_devices(2);
	for (i = 0; i < 4; i++) {
		files[i] = igt_vgem_open_device(0, i == 3 ? DRM_NODE_KIND_RENDER :
						DRM_NODE_KIND_PRIMARY, &minor);
		handles[i] = prime_fd_to_handle(files[i], dmabuf);
	}
	igt_assert_eq(gem_flink(files[1], handles[1]), gem_flink(files[0], handles[0]));
	igt_assert_eq(gem_flink(files[2], handles[2]), gem_flink(files[0], handles[0]));
	e = expect_entry(minor, ino, "import");
	igt_assert_eq(e.handles, 4);
	igt_assert_eq(e.size, len);
	igt_assert_f(!strcmp(e.exporter, exporter), "exporter %s, not %s\n",
		     e.exporter, exporter);
	igt_assert_eq(objects(minor, 0), 1);
	igt_assert_eq(dmabuf_attachments(ino), 1);

	close(dmabuf);
	for (i = 0; i < 4; i++) {
		fd = prime_handle_to_fd(files[i], handles[i]);
		igt_assert_eq(fd_inode(fd), ino);
		close(fd);
	}
	for (i = 0; i < 4; i++)
		close(files[i]);
	expect_no_entry(minor, ino);
	igt_assert_eq(objects(minor, 0), 0);
	igt_assert_eq(dmabuf_attachments(ino), -ENOENT);
}

static void test_heap_dedupe(void)
{
	int dmabuf = -1, ret = __dma_heap_alloc("/dev/dma_heap/system", 64 * PAGE_SZ, &dmabuf);

	igt_require_f(ret != -ENOENT, "no /dev/dma_heap/system: the kernel lacks "
		      "CONFIG_DMABUF_HEAPS_SYSTEM; run on the debug kernel");
	igt_assert_f(ret == 0, "dma-heap alloc: %s\n", strerror(-ret));
	dedupe_foreign(dmabuf, 64 * PAGE_SZ, "system");
}

static void test_udmabuf_dedupe(void)
{
	int memfd = -1, dmabuf = -1, ret = __udmabuf_create(64 * PAGE_SZ, &memfd, &dmabuf);

	igt_require_f(ret != -ENOENT, "no /dev/udmabuf: the kernel lacks "
		      "CONFIG_UDMABUF; run on the debug kernel");
	igt_assert_f(ret == 0, "udmabuf: %s\n", strerror(-ret));
	dedupe_foreign(dmabuf, 64 * PAGE_SZ, "udmabuf");
	close(memfd);
}

/*
 * The stress: STRESS_PROCS processes of STRESS_THREADS threads share
 * dma-bufs of two devices (a pool per process, inherited and refilled, and
 * a ring of unix sockets between the processes) and, each thread on files
 * of its own plus one file per device shared by the process's threads,
 * randomly import, export, create, close handles, fds and files, for a
 * bounded time and number of operations. Invariants checked on the way:
 * an import into two files of one device is one object (same flink name),
 * and re-exporting an import gives the imported dma-buf. At the end every
 * entry and object is gone and the module unloads.
 */
#define STRESS_PROCS 4
#define STRESS_THREADS 2
#define STRESS_POOL 16
#define STRESS_FILES 3
#define STRESS_HELD 48
#define STRESS_MAX_OPS 50000

enum stress_op { OP_IMPORT, OP_EXPORT, OP_CREATE, OP_CLOSE_HANDLE, OP_CLOSE_FD,
		 OP_REOPEN, OP_SHARED, OP_PASS, OP_COUNT };
static const char *const op_names[OP_COUNT] = {
	"import", "export", "create", "close-handle", "close-fd", "reopen",
	"shared-file", "pass",
};

struct stress_proc {
	pthread_mutex_t lock;		/* protects pool[] */
	int pool[STRESS_POOL];		/* dma-buf fds; -1: empty slot */
	int shared[2];			/* one file per device, used by every thread */
	int send_sock, recv_sock;	/* the ring: to the next, from the previous process */
	char card[2][32];		/* primary node paths of the two devices */
	struct timespec deadline;
};

struct held {
	int dev, file;
	uint32_t handle;
};

struct stress_thread {
	struct stress_proc *proc;
	pthread_t tid;
	unsigned int seed;
	int files[2][STRESS_FILES];
	struct held held[STRESS_HELD];
	unsigned int nheld;
	unsigned long ops[OP_COUNT];
	char error[256];
};

static bool past(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

#define stress_fail(t, ...) do { \
	if (!(t)->error[0]) \
		snprintf((t)->error, sizeof((t)->error), __VA_ARGS__); \
} while (0)

/* A dup of a random pool fd, or -1 when the slot is empty. */
static int pool_take(struct stress_thread *t)
{
	struct stress_proc *p = t->proc;
	int slot = rand_r(&t->seed) % STRESS_POOL, fd = -1;

	pthread_mutex_lock(&p->lock);
	if (p->pool[slot] >= 0)
		fd = fcntl(p->pool[slot], F_DUPFD_CLOEXEC, 0);
	pthread_mutex_unlock(&p->lock);
	return fd;
}

/* Puts @fd in a random slot, closing what was there. */
static void pool_put(struct stress_thread *t, int fd)
{
	struct stress_proc *p = t->proc;
	int slot = rand_r(&t->seed) % STRESS_POOL, old;

	pthread_mutex_lock(&p->lock);
	old = p->pool[slot];
	p->pool[slot] = fd;
	pthread_mutex_unlock(&p->lock);
	if (old >= 0)
		close(old);
}

static void drop_held(struct stress_thread *t, unsigned int i)
{
	struct held *h = &t->held[i];
	int ret = __gem_close(t->files[h->dev][h->file], h->handle);

	if (ret)
		stress_fail(t, "GEM_CLOSE of an own handle: %s", strerror(-ret));
	t->held[i] = t->held[--t->nheld];
}

static void add_held(struct stress_thread *t, int dev, int file, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < t->nheld; i++)
		if (t->held[i].dev == dev && t->held[i].file == file &&
		    t->held[i].handle == handle)
			return;		/* the file's existing handle, given back */
	if (t->nheld == STRESS_HELD)
		drop_held(t, rand_r(&t->seed) % t->nheld);
	t->held[t->nheld++] = (struct held){ dev, file, handle };
}

/* Import a pool dma-buf into an own file; sometimes check the invariants. */
static void op_import(struct stress_thread *t)
{
	int dev = rand_r(&t->seed) % 2, file = rand_r(&t->seed) % STRESS_FILES;
	int other = (file + 1) % STRESS_FILES;
	int buf = pool_take(t), fd, ret;
	uint32_t handle, h2, n1 = 0, n2 = 0;

	if (buf < 0)
		return;
	ret = __prime_fd_to_handle(t->files[dev][file], buf, &handle);
	if (ret) {
		stress_fail(t, "PRIME_FD_TO_HANDLE: %s", strerror(-ret));
		goto out;
	}
	add_held(t, dev, file, handle);
	if (rand_r(&t->seed) % 4)
		goto out;

	ret = __prime_fd_to_handle(t->files[dev][other], buf, &h2);
	if (ret) {
		stress_fail(t, "PRIME_FD_TO_HANDLE (second file): %s", strerror(-ret));
		goto out;
	}
	add_held(t, dev, other, h2);
	if (__gem_flink(t->files[dev][file], handle, &n1) ||
	    __gem_flink(t->files[dev][other], h2, &n2) || n1 != n2) {
		stress_fail(t, "one dma-buf, two objects on device %d (names %u, %u)",
			    dev, n1, n2);
		goto out;
	}
	ret = __prime_handle_to_fd(t->files[dev][file], handle, DRM_CLOEXEC | DRM_RDWR, &fd);
	if (ret) {
		stress_fail(t, "PRIME_HANDLE_TO_FD of an import: %s", strerror(-ret));
		goto out;
	}
	if (fd_inode(fd) != fd_inode(buf))
		stress_fail(t, "re-export of an import is another dma-buf");
	close(fd);
out:
	close(buf);
}

static void op_export(struct stress_thread *t, bool pass)
{
	struct held *h;
	int fd, ret;

	if (!t->nheld)
		return;
	h = &t->held[rand_r(&t->seed) % t->nheld];
	ret = __prime_handle_to_fd(t->files[h->dev][h->file], h->handle,
				   DRM_CLOEXEC | DRM_RDWR, &fd);
	if (ret) {
		stress_fail(t, "PRIME_HANDLE_TO_FD: %s", strerror(-ret));
		return;
	}
	if (!pass) {
		pool_put(t, fd);
		return;
	}
	ret = send_fd(t->proc->send_sock, fd);
	if (ret && ret != -EAGAIN)
		stress_fail(t, "send_fd: %s", strerror(-ret));
	close(fd);
	fd = recv_fd(t->proc->recv_sock);
	if (fd >= 0)
		pool_put(t, fd);
	else if (fd != -EAGAIN)
		stress_fail(t, "recv_fd: %s", strerror(-fd));
}

static void op_create(struct stress_thread *t)
{
	int dev = rand_r(&t->seed) % 2, file = rand_r(&t->seed) % STRESS_FILES;
	struct vgem_bo bo = { .width = 1024, .height = 1, .bpp = 32 };
	int ret = __vgem_create(t->files[dev][file], &bo);

	if (ret)
		stress_fail(t, "CREATE_DUMB: %s", strerror(-ret));
	else
		add_held(t, dev, file, bo.handle);
}

static void op_reopen(struct stress_thread *t)
{
	int dev = rand_r(&t->seed) % 2, file = rand_r(&t->seed) % STRESS_FILES;
	unsigned int i = 0;

	while (i < t->nheld) {
		if (t->held[i].dev == dev && t->held[i].file == file)
			t->held[i] = t->held[--t->nheld];
		else
			i++;
	}
	close(t->files[dev][file]);
	t->files[dev][file] = open(t->proc->card[dev], O_RDWR | O_CLOEXEC);
	if (t->files[dev][file] < 0)
		stress_fail(t, "open %s: %s", t->proc->card[dev], strerror(errno));
}

/* Import and close on the file all threads share: races on one handle. */
static void op_shared(struct stress_thread *t)
{
	int dev = rand_r(&t->seed) % 2, buf = pool_take(t), ret, fd = -1;
	uint32_t handle;

	if (buf < 0)
		return;
	ret = __prime_fd_to_handle(t->proc->shared[dev], buf, &handle);
	if (ret) {
		stress_fail(t, "PRIME_FD_TO_HANDLE (shared file): %s", strerror(-ret));
		goto out;
	}
	ret = __prime_handle_to_fd(t->proc->shared[dev], handle, DRM_CLOEXEC, &fd);
	if (!ret)
		close(fd);
	else if (ret != -ENOENT)	/* another thread closed it meanwhile */
		stress_fail(t, "PRIME_HANDLE_TO_FD (shared file): %s", strerror(-ret));
	ret = __gem_close(t->proc->shared[dev], handle);
	if (ret && ret != -EINVAL)	/* likewise */
		stress_fail(t, "GEM_CLOSE (shared file): %s", strerror(-ret));
out:
	close(buf);
}

static void *stress_thread_run(void *arg)
{
	struct stress_thread *t = arg;
	unsigned long n;
	int dev, i;

	for (dev = 0; dev < 2; dev++)
		for (i = 0; i < STRESS_FILES; i++) {
			t->files[dev][i] = open(t->proc->card[dev], O_RDWR | O_CLOEXEC);
			if (t->files[dev][i] < 0) {
				stress_fail(t, "open %s: %s", t->proc->card[dev],
					    strerror(errno));
				return NULL;
			}
		}
	for (n = 0; n < STRESS_MAX_OPS && !t->error[0] && !past(&t->proc->deadline); n++) {
		enum stress_op op = rand_r(&t->seed) % OP_COUNT;

		switch (op) {
		case OP_IMPORT:
			op_import(t);
			break;
		case OP_EXPORT:
			op_export(t, false);
			break;
		case OP_PASS:
			op_export(t, true);
			break;
		case OP_CREATE:
			op_create(t);
			break;
		case OP_CLOSE_HANDLE:
			if (t->nheld)
				drop_held(t, rand_r(&t->seed) % t->nheld);
			break;
		case OP_CLOSE_FD:
			pool_put(t, -1);
			break;
		case OP_REOPEN:
			op_reopen(t);
			break;
		case OP_SHARED:
			op_shared(t);
			break;
		default:
			break;
		}
		t->ops[op]++;
	}
	/* Half the threads leave their handles for the file close to drop. */
	if (t->seed & 1)
		while (t->nheld && !t->error[0])
			drop_held(t, 0);
	for (dev = 0; dev < 2; dev++)
		for (i = 0; i < STRESS_FILES; i++)
			close(t->files[dev][i]);
	return NULL;
}

/* One stress process: its threads, then a report; exits 0 or 1. */
static void stress_process(struct stress_proc *p, unsigned int index)
{
	struct stress_thread threads[STRESS_THREADS];
	unsigned long total[OP_COUNT] = { 0 };
	char line[512];
	int i, op, len = 0, failed = 0;

	memset(threads, 0, sizeof(threads));
	for (i = 0; i < 2; i++) {
		p->shared[i] = open(p->card[i], O_RDWR | O_CLOEXEC);
		igt_assert(p->shared[i] >= 0);
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		threads[i].proc = p;
		threads[i].seed = index * 7919u + (unsigned int)i * 104729u + 1;
		igt_assert_eq(pthread_create(&threads[i].tid, NULL, stress_thread_run,
					     &threads[i]), 0);
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		pthread_join(threads[i].tid, NULL);
		if (threads[i].error[0]) {
			fprintf(stderr, "process %u thread %d: %s\n", index, i,
				threads[i].error);
			failed = 1;
		}
		for (op = 0; op < OP_COUNT; op++)
			total[op] += threads[i].ops[op];
	}
	for (op = 0; op < OP_COUNT; op++)
		len += snprintf(line + len, sizeof(line) - (size_t)len, " %s=%lu",
				op_names[op], total[op]);
	igt_info("process %u ops:%s\n", index, line);
	_exit(failed);
}

static int stress_seconds(void)
{
	const char *env = getenv("VGEM_PRIME_STRESS_SECONDS");
	struct utsname u;

	if (env && atoi(env) > 0)
		return atoi(env);
	/* The debug kernel (KASAN, lockdep under TCG) is several times slower. */
	if (uname(&u) == 0 && strstr(u.release, "debug"))
		return 5;
	return 10;
}

/* Polls up to 5 s for both devices to have no entry and no object. */
static bool all_released(const struct two *p)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (!prime_entries(p->ma) && !prime_entries(p->mb) &&
		    !objects(p->ma, 0) && !objects(p->mb, 0))
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static void test_stress(void)
{
	int ring[STRESS_PROCS][2], i, status, secs = stress_seconds();
	struct prime_table a0, b0, a1, b1;
	pid_t pids[STRESS_PROCS];
	struct stress_proc proc;
	struct two p;

	two_devices(&p);
	memset(&proc, 0, sizeof(proc));
	pthread_mutex_init(&proc.lock, NULL);
	snprintf(proc.card[0], sizeof(proc.card[0]), "/dev/dri/card%d", p.ma);
	snprintf(proc.card[1], sizeof(proc.card[1]), "/dev/dri/card%d", p.mb);
	for (i = 0; i < STRESS_POOL; i++) {
		int fd = i % 2 ? p.b : p.a;

		proc.pool[i] = prime_handle_to_fd(fd, create(fd, 1 + i % 3));
	}
	for (i = 0; i < STRESS_PROCS; i++)
		igt_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
					 0, ring[i]), 0);
	read_prime(p.ma, &a0);
	read_prime(p.mb, &b0);
	clock_gettime(CLOCK_MONOTONIC, &proc.deadline);
	proc.deadline.tv_sec += secs;
	igt_info("stress: %d processes x %d threads, %d s or %d ops per thread\n",
		 STRESS_PROCS, STRESS_THREADS, secs, STRESS_MAX_OPS);

	for (i = 0; i < STRESS_PROCS; i++) {
		pids[i] = fork();
		igt_assert(pids[i] >= 0);
		if (pids[i] == 0) {
			proc.send_sock = ring[i][0];
			proc.recv_sock = ring[(i + STRESS_PROCS - 1) % STRESS_PROCS][1];
			stress_process(&proc, (unsigned int)i);
		}
	}
	for (i = 0; i < STRESS_POOL; i++)
		close(proc.pool[i]);
	for (i = 0; i < STRESS_PROCS; i++) {
		close(ring[i][0]);
		close(ring[i][1]);
	}
	for (i = 0; i < STRESS_PROCS; i++) {
		igt_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "stress process %d failed (status 0x%x)\n", i, status);
	}

	read_prime(p.ma, &a1);
	read_prime(p.mb, &b1);
	igt_info("device 0: %lu hits, %lu misses; device 1: %lu hits, %lu misses\n",
		 a1.hits - a0.hits, a1.misses - a0.misses,
		 b1.hits - b0.hits, b1.misses - b0.misses);
	igt_assert(b1.hits > b0.hits && b1.misses > b0.misses);

	/* The parent's handles of the pool objects are the last ones. */
	close(p.a);
	close(p.b);
	igt_assert_f(all_released(&p), "entries or objects left: %lu/%lu entries, "
		     "%d/%d objects\n", prime_entries(p.ma), prime_entries(p.mb),
		     objects(p.ma, 0), objects(p.mb, 0));
	igt_assert_f(igt_system("modprobe -r vgem") == 0,
		     "vgem does not unload after the stress\n");
}

/*
 * A dma-buf can outlive its file: an O_PATH open of /proc/self/fd/<n> holds
 * the dentry, and the dma-buf (with its export entry) is released only
 * when that goes. vgem_prime must show the entry without touching the
 * freed file. Regression: it read file_inode(dma_buf->file) and the file's
 * count, a use-after-free that KASAN reports on the debug kernel (the
 * kernel-log check fails the run).
 */
static void test_export_outlives_file(void)
{
	struct prime_entry e;
	int fd, dmabuf, opath, minor;
	char path[64];
	uint64_t ino;

	use_devices(1);
	fd = igt_vgem_open_device(0, DRM_NODE_KIND_PRIMARY, &minor);
	dmabuf = prime_handle_to_fd(fd, create(fd, 2));
	ino = fd_inode(dmabuf);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dmabuf);
	opath = open(path, O_PATH | O_CLOEXEC);
	igt_assert_f(opath >= 0, "O_PATH open of %s: %s\n", path, strerror(errno));

	/* The handle (and with it the cached dma-buf) goes, then the fd. */
	close(fd);
	close(dmabuf);
	/* Files are freed after an RCU grace period: give it time. */
	usleep(200 * 1000);

	e = expect_entry(minor, ino, "export");
	igt_assert_eq(e.handles, 0);
	igt_assert_eq(e.refs, -1);
	igt_assert_eq(e.size, 2 * PAGE_SZ);

	close(opath);
	usleep(200 * 1000);
	expect_no_entry(minor, ino);
}

static const struct igt_subtest subtests[] = {
	{ "dedupe-files", test_dedupe_files },
	{ "dedupe-processes", test_dedupe_processes },
	{ "same-handle", test_same_handle },
	{ "reexport-identity", test_reexport_identity },
	{ "close-handle-first", test_close_handle_first },
	{ "close-fd-first", test_close_fd_first },
	{ "close-exporter-first", test_close_exporter_first },
	{ "close-importer-first", test_close_importer_first },
	{ "close-mapping-last", test_close_mapping_last },
	{ "export-outlives-file", test_export_outlives_file },
	{ "file-close", test_file_close },
	{ "debugfs-counters", test_debugfs_counters },
	{ "heap-dedupe", test_heap_dedupe },
	{ "udmabuf-dedupe", test_udmabuf_dedupe },
	{ "stress", test_stress },
};

/*
 * Leaves vgem as the other tests expect it: loaded, one device (some
 * subtests unload it, most load two).
 */
static void leave_one_device(void)
{
	if (loaded_devices() != 1)
		igt_assert_f(igt_system("modprobe -r vgem 2>/dev/null; modprobe vgem") == 0,
			     "cannot reload vgem with one device\n");
}

/* Every subtest reads debugfs and changes vgem's devices. */
static const struct igt_fixture fixtures[] = {
	{ "vgem", "*", igt_require_debugfs, leave_one_device },
};

int main(int argc, char **argv)
{
	return igt_main_run_fixtures(argc, argv, subtests, IGT_ARRAY_SIZE(subtests),
				     fixtures, IGT_ARRAY_SIZE(fixtures));
}
