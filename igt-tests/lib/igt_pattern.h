/* SPDX-License-Identifier: MIT */
/*
 * A pattern to write into a buffer and check after it went through the
 * driver: every word differs from its neighbours, and a range's pattern
 * follows from its first word's seed.
 */
#ifndef VGEM_TEST_IGT_PATTERN_H
#define VGEM_TEST_IGT_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/**
 * pattern_fill() - write a pattern into @bytes of memory at @ptr
 * @seed: selects the pattern: word i is seed + i * PATTERN_STEP, so the
 *	pattern of a range starting at word n is the one of seed + n * PATTERN_STEP
 */
#define PATTERN_STEP 2654435761u
void pattern_fill(void *ptr, size_t bytes, uint32_t seed);
/** pattern_check() - assert that @ptr holds pattern_fill(@seed)'s pattern */
void pattern_check(const void *ptr, size_t bytes, uint32_t seed);

#endif /* VGEM_TEST_IGT_PATTERN_H */
