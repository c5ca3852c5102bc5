// SPDX-License-Identifier: MIT
/* Samples, medians and error lines of the benchmark helpers (bench_sample.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_sample.h"

void sample(struct sample *s)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	clock_gettime(CLOCK_MONOTONIC, &s->time);
	s->minflt = ru.ru_minflt;
}

double span_us(const struct sample *a, const struct sample *b)
{
	return (b->time.tv_sec - a->time.tv_sec) * 1e6 +
	       (b->time.tv_nsec - a->time.tv_nsec) / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_report_error(const char *step, int err)
{
	const char *name = strerrorname_np(err);

	printf("error=%s errno=%s\n", step, name ? name : "unknown");
	return EXIT_UNSUPPORTED;
}
