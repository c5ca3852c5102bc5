/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of cmctx_test.ko share: each scenario file other than
 * cmctx_test.c returns NULL on success or why it failed, and cmctx_test.c
 * turns that into the run file's answer.
 */
#ifndef CMCTX_TEST_H
#define CMCTX_TEST_H

#include <linux/types.h>

struct cmctx;

struct cmctx *cmctx_test_private_context(const char *name,
					 unsigned long nr_pages,
					 unsigned long *start_pfn);

/* cmctx_test_move.c */
const char *cmctx_test_move(void);

#endif /* CMCTX_TEST_H */
