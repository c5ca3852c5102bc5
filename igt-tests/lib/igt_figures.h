/* SPDX-License-Identifier: MIT */
/*
 * The parser of debugfs files made of "key value" lines, such as vgem's
 * vgem_contig ("context_bytes 268435456") and a cmctx context's file
 * ("free_pages: 65024"): a line's key is its first word, with or without a
 * colon, and its figure the number after it. Lines of other forms (a
 * table's, a word instead of a number) are passed over.
 */
#ifndef VGEM_TEST_IGT_FIGURES_H
#define VGEM_TEST_IGT_FIGURES_H

/**
 * igt_figure() - the figure of @key in the file at @path
 * @path: the file
 * @key: the key, without a colon ("used_pages")
 *
 * Return: the figure (the first line with @key), or -1 when the file or
 * the key is missing.
 */
long long igt_figure(const char *path, const char *key);

#endif /* VGEM_TEST_IGT_FIGURES_H */
