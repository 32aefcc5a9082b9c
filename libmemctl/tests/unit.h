/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A tiny unit test harness shared by the libmemctl and memctl CLI tests.
 *
 *	TEST(name) { CHECK(cond); CHECK_INT(got, want); CHECK_STR(got, want); }
 *
 * Tests register themselves; unit.c's main() runs them all (or those whose
 * name contains argv[1]), prints "ok"/"not ok" per test and, last, one line
 * "N passed, N failed" counting checks.  Exit status 1 if any check failed.
 */
#ifndef MEMCTL_UNIT_H
#define MEMCTL_UNIT_H

#include <stdint.h>

typedef void (*unit_fn)(void);

void unit_register(const char *name, unit_fn fn);
void unit_check(int ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define TEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void unit_reg_##name(void)	\
	{								\
		unit_register(#name, name);				\
	}								\
	static void name(void)

#define CHECK(cond)							\
	unit_check(!!(cond), __FILE__, __LINE__, "%s", #cond)

#define CHECK_INT(got, want) do {					\
	long long _g = (long long)(got), _w = (long long)(want);	\
	unit_check(_g == _w, __FILE__, __LINE__, "%s == %s: got %lld, want %lld", \
		   #got, #want, _g, _w);				\
} while (0)

#define CHECK_U64(got, want) do {					\
	unsigned long long _g = (got), _w = (want);			\
	unit_check(_g == _w, __FILE__, __LINE__, "%s == %s: got %llu, want %llu", \
		   #got, #want, _g, _w);				\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *_g = (got), *_w = (want);				\
	unit_check(_g && _w && !strcmp(_g, _w), __FILE__, __LINE__,	\
		   "%s == %s: got \"%s\", want \"%s\"", #got, #want,	\
		   _g ? _g : "(null)", _w ? _w : "(null)");		\
} while (0)

/* The command line after the test filter, for tests that need it. */
extern int unit_argc;
extern char **unit_argv;

#endif /* MEMCTL_UNIT_H */
