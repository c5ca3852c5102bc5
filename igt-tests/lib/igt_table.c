// SPDX-License-Identifier: MIT
/*
 * The parser of tables with a header line (igt_table.h).
 */
#include "igt_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"

/* Splits @line into @words; how many, or -E2BIG. */
static int split_words(char *line, char words[][IGT_TABLE_MAX_WORD])
{
	char *save = NULL, *word;
	int count = 0;

	for (word = strtok_r(line, " \t\n", &save); word;
	     word = strtok_r(NULL, " \t\n", &save)) {
		if (count == IGT_TABLE_MAX_COLUMNS || strlen(word) >= IGT_TABLE_MAX_WORD)
			return -E2BIG;
		strcpy(words[count++], word);
	}
	return count;
}

/* Appends a row to @table; 0 or -ENOMEM. */
static int add_row(struct igt_table *table, char words[][IGT_TABLE_MAX_WORD])
{
	unsigned int room = table->nr_rows ? table->nr_rows : 1;
	void *rows;

	if ((table->nr_rows & (table->nr_rows - 1)) == 0) {	/* full: 0, 1, 2, 4... */
		rows = realloc(table->rows, 2 * room * sizeof(*table->rows));
		if (!rows)
			return -ENOMEM;
		table->rows = rows;
	}
	memcpy(table->rows[table->nr_rows++], words, sizeof(*table->rows));
	return 0;
}

/* Reads the rows after the header; 0 or -errno. */
static int read_rows(struct igt_table *table, FILE *f)
{
	char line[512], copy[512], words[IGT_TABLE_MAX_COLUMNS][IGT_TABLE_MAX_WORD];
	int count, ret;

	while (fgets(line, sizeof(line), f)) {
		strcpy(copy, line);
		count = split_words(copy, words);
		if (count != (int)table->nr_columns) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(table->after, sizeof(table->after), "%.255s", line);
			return 0;
		}
		ret = add_row(table, words);
		if (ret)
			return ret;
	}
	return 0;
}

struct igt_table *igt_table_read(FILE *f, const char *first_column)
{
	char line[512];
	struct igt_table *table = calloc(1, sizeof(*table));
	int count, ret = -EBADMSG;

	if (!table) {
		errno = ENOMEM;
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		count = split_words(line, table->column);
		if (count > 0 && !strcmp(table->column[0], first_column)) {
			table->nr_columns = (unsigned int)count;
			ret = read_rows(table, f);
			break;
		}
		if (count < 0) {
			ret = count;
			break;
		}
	}
	if (ret) {
		igt_table_free(table);
		errno = -ret;
		return NULL;
	}
	return table;
}

void igt_table_free(struct igt_table *table)
{
	if (table)
		free(table->rows);
	free(table);
}

int igt_table_column(const struct igt_table *table, const char *name)
{
	unsigned int i;

	for (i = 0; i < table->nr_columns; i++)
		if (!strcmp(table->column[i], name))
			return (int)i;
	return -1;
}

const char *igt_table_cell(const struct igt_table *table, unsigned int row,
			   const char *name)
{
	int column = igt_table_column(table, name);

	igt_assert_f(column >= 0, "the table has no column \"%s\"\n", name);
	igt_assert_f(row < table->nr_rows, "the table has no row %u (%u rows)\n",
		     row, table->nr_rows);
	return table->rows[row][column];
}

unsigned long long igt_table_number(const struct igt_table *table, unsigned int row,
				    const char *name)
{
	const char *cell = igt_table_cell(table, row, name);
	unsigned long long value;
	char *end;

	errno = 0;
	value = strtoull(cell, &end, 10);
	igt_assert_f(end != cell && !*end && !errno,
		     "row %u, column %s: \"%s\" is not a number\n", row, name, cell);
	return value;
}
