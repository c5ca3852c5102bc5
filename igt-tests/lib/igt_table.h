/* SPDX-License-Identifier: MIT */
/*
 * The parser of tables in debugfs files: a header line naming the columns,
 * then one row a line, each with as many words as the header. Columns are
 * found by name, so a column the driver adds breaks no test. vgem's
 * vgem_objects is one ("size backing handles refs state pins vmaps id",
 * closed by "device N: M objects, B bytes"), and the users of vgem_contig
 * ("uid buffers bytes", after its "key value" lines).
 */
#ifndef VGEM_TEST_IGT_TABLE_H
#define VGEM_TEST_IGT_TABLE_H

#include <stdio.h>

#define IGT_TABLE_MAX_COLUMNS	16
#define IGT_TABLE_MAX_WORD	32

/**
 * struct igt_table - a table read by igt_table_read()
 * @nr_columns: the header's words
 * @nr_rows: the rows
 * @column: the header's words, the columns' names
 * @rows: @nr_rows rows of @nr_columns words
 * @after: the line after the last row, without its newline; "" when the
 *	rows went on to the end of the file
 */
struct igt_table {
	unsigned int nr_columns;
	unsigned int nr_rows;
	char column[IGT_TABLE_MAX_COLUMNS][IGT_TABLE_MAX_WORD];
	char (*rows)[IGT_TABLE_MAX_COLUMNS][IGT_TABLE_MAX_WORD];
	char after[256];
};

/**
 * igt_table_read() - read the table of @f: its header is the first line
 * whose first word is @first_column; its rows, the lines after it up to
 * one with another number of words, or the end of the file
 *
 * Return: the table, to free with igt_table_free(), or NULL with errno set:
 * EBADMSG when there is no header, E2BIG when a line has more than
 * IGT_TABLE_MAX_COLUMNS words or a word is longer than IGT_TABLE_MAX_WORD - 1
 * characters, ENOMEM.
 */
struct igt_table *igt_table_read(FILE *f, const char *first_column);

void igt_table_free(struct igt_table *table);

/** igt_table_column() - the index of the column named @name, or -1 */
int igt_table_column(const struct igt_table *table, const char *name);

/**
 * igt_table_cell() - the word of row @row in the column named @name;
 * asserts that the table has that column and row
 */
const char *igt_table_cell(const struct igt_table *table, unsigned int row,
			   const char *name);

/**
 * igt_table_number() - igt_table_cell() as a number, asserting that it is
 * a whole decimal number
 */
unsigned long long igt_table_number(const struct igt_table *table, unsigned int row,
				    const char *name);

#endif /* VGEM_TEST_IGT_TABLE_H */
