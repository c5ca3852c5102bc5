/* SPDX-License-Identifier: MIT */
/*
 * What the benchmark helpers measure with: a sample of the clock and of the
 * process's minor faults, and the median of a series; and how they say
 * that the driver cannot run a workload. They print numbers and assert
 * nothing (see docs/benchmarks.md).
 */
#ifndef BENCH_SAMPLE_H
#define BENCH_SAMPLE_H

#include <stddef.h>
#include <time.h>

/**
 * struct sample - a point in time and the minor faults so far
 * @time: CLOCK_MONOTONIC.
 * @minflt: ru_minflt of getrusage(RUSAGE_SELF).
 */
struct sample {
	struct timespec time;
	long minflt;
};

/** sample() - take a sample now, into @s */
void sample(struct sample *s);

/** span_us() - microseconds from @a to @b */
double span_us(const struct sample *a, const struct sample *b);

/** median() - the median of the @n values of @v, which it reorders */
double median(double *v, size_t n);

/* The exit status of a helper whose driver cannot run a workload. */
#define EXIT_UNSUPPORTED 2

/**
 * bench_report_error() - print "error=@step errno=NAME" (NAME for the
 * positive errno @err) on stdout, the line the *-bench scripts parse
 *
 * Return: EXIT_UNSUPPORTED, for main() to return.
 */
int bench_report_error(const char *step, int err);

#endif /* BENCH_SAMPLE_H */
