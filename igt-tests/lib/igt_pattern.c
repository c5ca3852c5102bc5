// SPDX-License-Identifier: MIT
/*
 * The buffer pattern of igt_pattern.h.
 */
#include "igt_pattern.h"

#include "igt.h"

void pattern_fill(void *ptr, size_t bytes, uint32_t seed)
{
	uint32_t *word = ptr;
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		word[i] = seed + (uint32_t)i * PATTERN_STEP;
}

void pattern_check(const void *ptr, size_t bytes, uint32_t seed)
{
	const uint32_t *word = ptr;
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		igt_assert_f(word[i] == seed + (uint32_t)i * PATTERN_STEP,
			     "word %zu is 0x%08x, expected 0x%08x\n", i, word[i],
			     seed + (uint32_t)i * PATTERN_STEP);
}
