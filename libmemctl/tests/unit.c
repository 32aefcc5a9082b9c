// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The runner of the tiny unit test harness (see unit.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define MAX_TESTS 256

static struct {
	const char *name;
	unit_fn fn;
} tests[MAX_TESTS];
static int nr_tests;
static unsigned int passed, failed, failed_here;

int unit_argc;
char **unit_argv;

void unit_register(const char *name, unit_fn fn)
{
	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "unit: too many tests\n");
		exit(2);
	}
	tests[nr_tests].name = name;
	tests[nr_tests].fn = fn;
	nr_tests++;
}

void unit_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	failed_here++;
	printf("#   FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int by_name(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	int i;

	/* unit_argv[0] is the first argument after an optional "-k FILTER". */
	if (argc > 2 && !strcmp(argv[1], "-k")) {
		filter = argv[2];
		argc -= 2;
		argv += 2;
	}
	unit_argc = argc - 1;
	unit_argv = argv + 1;

	/* Constructors run in link order; sort for a stable report. */
	qsort(tests, nr_tests, sizeof(tests[0]), by_name);
	for (i = 0; i < nr_tests; i++) {
		if (filter && !strstr(tests[i].name, filter))
			continue;
		failed_here = 0;
		tests[i].fn();
		printf("%s - %s\n", failed_here ? "not ok" : "ok", tests[i].name);
		fflush(stdout);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
