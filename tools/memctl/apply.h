/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctl apply: the policy file (memctl.conf(5)) and the plan that turns
 * it into changes of the kernel's policy table.  The parts that do not
 * talk to the kernel are exposed here for the unit tests.
 */
#ifndef MEMCTL_APPLY_H
#define MEMCTL_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "memctl.h"

/* Exit statuses of `memctl apply` beyond those of cli.h. */
#define EXIT_APPLY_PARTIAL	3	/* refused, and the roll-back failed too */
#define EXIT_APPLY_INVALID	65	/* the file has errors; nothing changed */
#define EXIT_APPLY_NOINPUT	66	/* the file cannot be read */

#define APPLY_F_ALL	(MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET | \
			 MEMCTL_POLICY_F_INTERVAL | MEMCTL_POLICY_F_CLASSES | \
			 MEMCTL_POLICY_F_SLAB_FIRST | MEMCTL_POLICY_F_PRESSURE | \
			 MEMCTL_POLICY_F_TIER | MEMCTL_POLICY_F_TIER_MAX | \
			 MEMCTL_POLICY_F_MODE | MEMCTL_POLICY_F_MIN)

enum apply_action {
	APPLY_UNCHANGED,	/* the kernel has this policy already */
	APPLY_CREATE,		/* the cgroup has no policy yet */
	APPLY_CHANGE,		/* the cgroup has another policy */
	APPLY_SKIP,		/* optional, and the cgroup does not exist */
	APPLY_DELETE,		/* --prune: a policy the file does not name */
};

/*
 * One line (or continued line) of the file, or, for APPLY_DELETE, one
 * policy of the kernel that the file does not name (@line 0).
 */
struct apply_entry {
	unsigned int line;
	bool optional;
	struct memctl_policy want;	/* @want.set: the fields the file gives */
	uint64_t id;			/* cgroup id, 0 when unknown */
	enum apply_action action;
	uint32_t diff;			/* APPLY_CHANGE: MEMCTL_POLICY_F_* that differ */
	bool has_old;
	struct memctl_policy old;	/* the kernel's policy before the run */
};

/*
 * Where a cgroup is: 0 with *@id (its inode number), -ENOENT if it does
 * not exist, another negative errno if that cannot be told (then the
 * kernel decides).
 */
typedef int (*apply_lookup_fn)(const char *path, uint64_t *id, void *arg);

struct apply_ctx {
	const char *file;		/* for messages: "FILE:LINE: ..." */
	FILE *err;			/* where messages go */
	unsigned int errors;
	struct apply_entry *entries;
	size_t nr, cap;
};

void apply_init(struct apply_ctx *ctx, const char *file, FILE *err);
void apply_free(struct apply_ctx *ctx);

/*
 * Read the whole file, report every error as "FILE:LINE: message" on
 * ctx->err.  Return: the number of errors (ctx->errors), or -errno if
 * reading failed.
 */
int apply_parse(struct apply_ctx *ctx, FILE *in);

/*
 * Compare the file with the kernel's policies @cur (@ncur of them, as
 * memctl_policy_foreach() gives them) and decide each entry's action.
 * @classes is what this kernel can reclaim (struct memctl_info.classes).
 * With @prune, policies the file does not name become APPLY_DELETE
 * entries.  Errors (a cgroup that does not exist, a class the kernel lacks)
 * are reported with their line.  Return: the number of errors.
 */
int apply_plan(struct apply_ctx *ctx, const struct memctl_policy *cur,
	       size_t ncur, uint32_t classes, bool prune,
	       apply_lookup_fn lookup, void *lookup_arg);

/*
 * What the run did (or, with @dry_run, would do), as a table or JSON.
 * @quiet (the table only): just the rows that changed something, and
 * nothing at all when nothing changed.
 */
void apply_print(const struct apply_ctx *ctx, FILE *f, bool json,
		 bool dry_run, bool quiet);

/* The policy with every field given, defaults where @p leaves them out. */
void apply_fill_defaults(const struct memctl_policy *p,
			 struct memctl_policy *full);

const char *apply_action_name(enum apply_action a, bool dry_run);

extern const char apply_usage[];
int apply_main(int argc, char **argv);

#endif /* MEMCTL_APPLY_H */
