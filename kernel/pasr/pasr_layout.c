// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PASR layout: which dies there are, how they are cut into sections,
 * which sections are interleaved, from pasr.ko's parameters (grammar in
 * docs/pasr.md):
 *
 *   layout=<base>+<size>:<n>[seg|bank][,...]   one entry a die
 *   pairs=<die>.<section>-<die>.<section>[,...] | interleave
 *
 * A layout that cannot be right is refused whole, with a pr_err() saying
 * why; the module then runs with no layout. Numbers are read whole: one
 * that does not fit in 64 bits is refused, never wrapped around or cut.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "checked_parse.h"
#include "pasr_internal.h"

/* One die entry, "<base>+<size>:<n>[seg|bank]"; @die filled in. */
static int pasr_parse_die(const char *entry, unsigned int index,
			  struct pasr_die *die)
{
	u64 base, size, n;
	const char *rest;
	int ret;

	ret = checked_memparse(entry, &rest, &base);
	if (!ret)
		ret = *rest == '+' ? checked_memparse(rest + 1, &rest, &size) : -EINVAL;
	if (!ret)
		ret = *rest == ':' ? checked_strtou64(rest + 1, &rest, 10, &n) : -EINVAL;
	if (ret == -ERANGE) {
		pr_err("layout refused: die %u: \"%s\": a number does not fit in 64 bits\n",
		       index, entry);
		return -EINVAL;
	}
	if (ret)
		goto bad;
	if (!*rest || !strcmp(rest, "seg"))
		die->mode = PASR_SEGMENT;
	else if (!strcmp(rest, "bank"))
		die->mode = PASR_BANK;
	else
		goto bad;

	if (!n || n > PASR_MAX_SECTIONS) {
		pr_err("layout refused: die %u: %llu sections, the mask register has %u bits\n",
		       index, n, PASR_MAX_SECTIONS);
		return -EINVAL;
	}
	if (!size || base + size < base) {
		pr_err("layout refused: die %u: empty, or it wraps around\n", index);
		return -EINVAL;
	}
	if (size % n) {
		pr_err("layout refused: die %u: %llu sections do not divide %llu bytes\n",
		       index, n, size);
		return -EINVAL;
	}
	if (!PAGE_ALIGNED(base) || !PAGE_ALIGNED(size / n)) {
		pr_err("layout refused: die %u: sections are not whole pages\n", index);
		return -EINVAL;
	}
	die->base = base;
	die->size = size;
	die->nr_sections = n;
	die->section_size = size / n;
	return 0;
bad:
	pr_err("layout refused: die %u: \"%s\" is not <base>+<size>:<n>[seg|bank]\n",
	       index, entry);
	return -EINVAL;
}

static int pasr_check_overlap(const struct pasr_layout *layout)
{
	const struct pasr_die *a, *b;
	unsigned int i, j;

	for (i = 0; i < layout->nr_dies; i++) {
		for (j = i + 1; j < layout->nr_dies; j++) {
			a = &layout->dies[i];
			b = &layout->dies[j];
			if (a->base < b->base + b->size &&
			    b->base < a->base + a->size) {
				pr_err("layout refused: dies %u and %u overlap\n", i, j);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Pair section @sa of die @da with section @sb of die @db: both exist, are
 * unpaired, distinct, of one size.
 */
static int pasr_pair(struct pasr_layout *layout, u64 da, u64 sa, u64 db, u64 sb)
{
	struct pasr_section *a, *b;

	if (da >= layout->nr_dies || db >= layout->nr_dies ||
	    sa >= layout->dies[da].nr_sections ||
	    sb >= layout->dies[db].nr_sections) {
		pr_err("pairs refused: %llu.%llu-%llu.%llu: no such section\n",
		       da, sa, db, sb);
		return -EINVAL;
	}
	a = &layout->dies[da].sections[sa];
	b = &layout->dies[db].sections[sb];
	if (a == b || a->pair || b->pair) {
		pr_err("pairs refused: %llu.%llu-%llu.%llu: a section pairs once, with another\n",
		       da, sa, db, sb);
		return -EINVAL;
	}
	if (layout->dies[da].section_size != layout->dies[db].section_size) {
		pr_err("pairs refused: %llu.%llu-%llu.%llu: sections of different sizes\n",
		       da, sa, db, sb);
		return -EINVAL;
	}
	a->pair = b;
	b->pair = a;
	return 0;
}

/* "interleave": section s of die 2k with section s of die 2k + 1. */
static int pasr_pair_interleave(struct pasr_layout *layout)
{
	unsigned int d, s;
	int ret;

	if (layout->nr_dies % 2) {
		pr_err("pairs refused: interleave needs an even number of dies, not %u\n",
		       layout->nr_dies);
		return -EINVAL;
	}
	for (d = 0; d < layout->nr_dies; d += 2) {
		if (layout->dies[d].nr_sections != layout->dies[d + 1].nr_sections) {
			pr_err("pairs refused: interleave: dies %u and %u differ in sections\n",
			       d, d + 1);
			return -EINVAL;
		}
		for (s = 0; s < layout->dies[d].nr_sections; s++) {
			ret = pasr_pair(layout, d, s, d + 1, s);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * One entry of pairs=, "<die>.<section>-<die>.<section>", into @v in that
 * order: 0, -EINVAL or -ERANGE as checked_strtou64().
 */
static int pasr_parse_pair(const char *entry, u64 v[4])
{
	static const char after[4] = ".-.";	/* after each number; the last: the end */
	const char *p = entry;
	unsigned int i;
	int ret;

	for (i = 0; i < 4; i++) {
		ret = checked_strtou64(p, &p, 10, &v[i]);
		if (ret)
			return ret;
		if (*p != after[i])
			return -EINVAL;
		p++;
	}
	return 0;
}

static int pasr_parse_pairs(struct pasr_layout *layout, char *list)
{
	char *entry;
	u64 v[4];
	int ret;

	if (!strcmp(list, "interleave"))
		return pasr_pair_interleave(layout);
	while ((entry = strsep(&list, ","))) {
		if (!*entry)
			continue;
		ret = pasr_parse_pair(entry, v);
		if (ret == -ERANGE) {
			/* A number past 64 bits names no die and no section. */
			pr_err("pairs refused: %s: no such section\n", entry);
			return -EINVAL;
		}
		if (ret) {
			pr_err("pairs refused: \"%s\" is not <die>.<section>-<die>.<section>\n",
			       entry);
			return -EINVAL;
		}
		ret = pasr_pair(layout, v[0], v[1], v[2], v[3]);
		if (ret)
			return ret;
	}
	return 0;
}

/* pairs= on a layout whose sections are numbered; NULL or "": none. */
static int pasr_apply_pairs(struct pasr_layout *layout, const char *pairs)
{
	char *copy;
	int ret;

	if (!pairs || !*pairs)
		return 0;
	copy = kstrdup(pairs, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ret = pasr_parse_pairs(layout, copy);
	kfree(copy);
	return ret;
}

/* Every section's base, die and index, once the dies are known. */
static void pasr_number_sections(struct pasr_layout *layout)
{
	struct pasr_die *die;
	unsigned int d, i;

	for (d = 0; d < layout->nr_dies; d++) {
		die = &layout->dies[d];
		for (i = 0; i < die->nr_sections; i++) {
			die->sections[i].base = die->base + i * die->section_size;
			die->sections[i].die = d;
			die->sections[i].index = i;
		}
	}
}

/**
 * pasr_layout_parse() - the layout from the parameters' strings
 * @layout: filled in; left empty (no dies) on error.
 * @dies: the layout= string, not empty.
 * @pairs: the pairs= string, or NULL or "" for none.
 *
 * Return: 0, -EINVAL (a pr_err() said why) or -ENOMEM.
 */
int pasr_layout_parse(struct pasr_layout *layout, const char *dies,
		      const char *pairs)
{
	char *copy, *cursor, *entry;
	int ret = 0;

	memset(layout, 0, sizeof(*layout));
	copy = kstrdup(dies, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cursor = copy;
	while (!ret && (entry = strsep(&cursor, ","))) {
		if (!*entry)
			continue;
		if (layout->nr_dies == PASR_MAX_DIES) {
			pr_err("layout refused: more than %u dies\n", PASR_MAX_DIES);
			ret = -EINVAL;
			break;
		}
		ret = pasr_parse_die(entry, layout->nr_dies,
				     &layout->dies[layout->nr_dies]);
		if (!ret)
			layout->nr_dies++;
	}
	kfree(copy);
	if (!ret && !layout->nr_dies) {
		pr_err("layout refused: no die in \"%s\"\n", dies);
		ret = -EINVAL;
	}
	if (!ret)
		ret = pasr_check_overlap(layout);
	if (!ret) {
		pasr_number_sections(layout);
		ret = pasr_apply_pairs(layout, pairs);
	}
	if (ret)
		memset(layout, 0, sizeof(*layout));
	return ret;
}

/**
 * pasr_layout_default() - 2 dies x 8 segments over a range
 * @layout: filled in; left empty on error.
 * @base: physical start of the range, page-aligned.
 * @size: its size; trimmed down to a multiple of 16 pages.
 * @pairs: the pairs= string, or NULL or "" for none.
 *
 * Return: 0, -EINVAL when the range holds less than 16 pages or @pairs is
 * refused, -ENOMEM.
 */
int pasr_layout_default(struct pasr_layout *layout, phys_addr_t base, u64 size,
			const char *pairs)
{
	int ret;
	u64 die_size = div_u64(size, 2 * 8 * PAGE_SIZE) * 8 * PAGE_SIZE;
	unsigned int d;

	memset(layout, 0, sizeof(*layout));
	if (!die_size) {
		pr_err("no default layout: the context holds less than 16 pages\n");
		return -EINVAL;
	}
	for (d = 0; d < 2; d++) {
		layout->dies[d].base = base + d * die_size;
		layout->dies[d].size = die_size;
		layout->dies[d].nr_sections = 8;
		layout->dies[d].section_size = div_u64(die_size, 8);
		layout->dies[d].mode = PASR_SEGMENT;
	}
	layout->nr_dies = 2;
	pasr_number_sections(layout);
	ret = pasr_apply_pairs(layout, pairs);
	if (ret)
		memset(layout, 0, sizeof(*layout));
	return ret;
}
