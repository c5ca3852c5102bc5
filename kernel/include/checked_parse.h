/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Numbers of module parameters, read as the kernel's simple_strtoull() and
 * memparse() read them but refused instead of wrapped around when they do
 * not fit in 64 bits (those two silently keep the low 64 bits, so that
 * "2^64 + 8M" reads as 8M). Static inline: each module that includes this
 * has its own copy, and none exports it.
 */
#ifndef CHECKED_PARSE_H
#define CHECKED_PARSE_H

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/types.h>

/**
 * checked_strtou64() - read an unsigned number
 * @s: the text
 * @end: receives where the digits end
 * @base: 8, 10 or 16; 0 for simple_strtoull()'s rule (0x: hex, 0: octal,
 *	else decimal)
 * @value: receives the number
 *
 * Return: 0, -EINVAL when @s starts with no digit, -ERANGE when the number
 * does not fit in 64 bits.
 */
static inline int checked_strtou64(const char *s, const char **end, int base, u64 *value)
{
	const char *p = s;
	int digit;

	if (!base && p[0] == '0' && tolower(p[1]) == 'x' && isxdigit(p[2])) {
		base = 16;
		p += 2;
	} else if (!base) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (*value = 0; (digit = hex_to_bin(*p)) >= 0 && digit < base; p++)
		if (check_mul_overflow(*value, (u64)base, value) ||
		    check_add_overflow(*value, (u64)digit, value))
			return -ERANGE;
	*end = p;
	return p == s ? -EINVAL : 0;
}

/**
 * checked_memparse() - read a size as memparse() does: a number
 * (checked_strtou64() with base 0), then an optional K, M, G, T, P or E
 * @s: the text
 * @end: receives where the size ends
 * @size: receives it in bytes
 *
 * Return: 0, -EINVAL when @s starts with no digit, -ERANGE when the number
 * or the size does not fit in 64 bits.
 */
static inline int checked_memparse(const char *s, const char **end, u64 *size)
{
	static const char suffixes[] = "KMGTPE";
	const char *suffix;
	u64 value;
	int ret;

	ret = checked_strtou64(s, end, 0, &value);
	if (ret)
		return ret;
	suffix = **end ? strchr(suffixes, toupper(**end)) : NULL;
	if (!suffix) {
		*size = value;
		return 0;
	}
	(*end)++;
	return check_shl_overflow(value, 10 * (unsigned int)(suffix - suffixes + 1), size) ?
	       -ERANGE : 0;
}

#endif /* CHECKED_PARSE_H */
