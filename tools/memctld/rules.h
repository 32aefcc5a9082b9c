/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctld: its rules, a policy file of memctl.conf(5) whose cgroups may be
 * globs (glob.h).  The file is read by memctl apply's parser
 * (tools/memctl/apply.c), so its keywords, values and messages are those
 * of `memctl apply`.
 */
#ifndef MEMCTLD_RULES_H
#define MEMCTLD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "memctl.h"

struct rule {
	unsigned int line;
	char pattern[MEMCTL_CGROUP_PATH_MAX];	/* normalized */
	struct memctl_policy policy;		/* cgroup left empty */
};

struct rules {
	struct rule *v;
	size_t n;
};

/*
 * Read @file into @out (emptied first, left empty on errors).  Each error
 * is written to @err as one line "FILE:LINE: message".  Return: 0, the
 * number of errors, or -errno if the file cannot be read.
 */
int rules_load(const char *file, struct rules *out, FILE *err);
void rules_free(struct rules *r);

/* The index of the first rule whose pattern matches @path, or -1. */
int rules_match(const struct rules *r, const char *path);

/* @a and @b set the same policy (defaults filled in). */
bool policy_same(const struct memctl_policy *a, const struct memctl_policy *b);

#endif /* MEMCTLD_RULES_H */
