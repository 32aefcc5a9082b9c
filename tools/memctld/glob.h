/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctld: the cgroup globs of its rules (memctld(8), RULES).
 *
 * A pattern is a cgroup path whose components may hold fnmatch(3) wildcards
 * ('*', '?', '[...]', '\' quoting), which never match a '/', and a
 * component of two stars, which matches any number of whole components:
 * none or more in the middle of a pattern (so /a/STARSTAR/b matches /a/b
 * and /a/x/y/b), one or more at its end (/a/STARSTAR matches every cgroup
 * below /a, not /a itself).
 */
#ifndef MEMCTLD_GLOB_H
#define MEMCTLD_GLOB_H

#include <stdbool.h>

/* @path: a normalized cgroup path ("/" or "/a/b"); @pattern likewise. */
bool cg_glob_match(const char *pattern, const char *path);

/* The pattern has no wildcard: it names one cgroup. */
bool cg_glob_is_literal(const char *pattern);

#endif /* MEMCTLD_GLOB_H */
