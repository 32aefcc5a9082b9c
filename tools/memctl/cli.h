/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctl CLI: what the command files share.
 */
#ifndef MEMCTL_CLI_H
#define MEMCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "memctl.h"
#include "format.h"
#include "json.h"

/* Exit statuses: a contract, documented in `memctl --help`. */
#define EXIT_OK			0
#define EXIT_REFUSED		1	/* the kernel refused, or another failure
					 * (such as output that cannot be written) */
#define EXIT_UNAVAILABLE	2	/* memctl is not there (module not loaded) */
#define EXIT_USAGE		64	/* bad command line; nothing was sent */

/*
 * A command: @fn gets argv[0] = its own name.  A group (policy, tier) has
 * @subs instead of @fn, terminated by an entry with a NULL name.
 */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage;
	const struct cmd *subs;
};

extern bool json_output;	/* -j, --json */
extern const char *cur_cmd;	/* "policy set": for messages */

extern const struct cmd policy_cmds[];
extern const struct cmd tier_cmds[];
extern const char policy_usage[];
extern const char tier_usage[];
extern char stats_usage[];	/* built from the field table at start */
extern const char reclaim_usage[];
extern const char monitor_usage[];
extern const char top_usage[];

int stats_main(int argc, char **argv);
void json_policy_fields(struct json *j, const struct memctl_policy *p);
void json_reclaim_fields(struct json *j, const struct memctl_reclaim_result *r);
void json_tier_fields(struct json *j, const struct memctl_tier *t);
void json_backing_fields(struct json *j, const struct memctl_tier_backing *b);
void json_stats_object(struct json *j, const struct memctl_cgroup_stats *s);
void json_stats_totals(struct json *j, size_t cgroups, int top_level,
		       const struct memctl_cgroup_stats *total,
		       const struct memctl_info *info,
		       const struct memctl_tier *tier);

/* Human output, exposed for the tests. */
struct table;
void policy_table_row(struct table *t, const struct memctl_policy *p);
void stats_table_row(struct table *t, const struct memctl_cgroup_stats *s);
void stats_print(FILE *f, const struct memctl_cgroup_stats *s);
void reclaim_print(FILE *f, const struct memctl_reclaim_result *r);
void tier_print(FILE *f, const struct memctl_tier *t);
int monitor_print_event(const struct memctl_event *ev, void *file);
struct timespec;
void monitor_write_event(FILE *f, const struct memctl_event *ev,
			 const struct timespec *ts);
const char *fmt_time_iso(const struct timespec *ts, char *buf, size_t len);
void stats_print_global(FILE *f, const struct memctl_info *info,
			const struct memctl_tier *tier, uint64_t page_size);
void stats_print_table(FILE *f, const struct memctl_cgroup_stats *rows,
		       size_t n, const struct memctl_cgroup_stats *total,
		       const struct memctl_info *info,
		       const struct memctl_tier *tier, uint64_t page_size,
		       bool totals_only);
int reclaim_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
int top_main(int argc, char **argv);

/* util.c: messages and exit statuses */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kernel_error(struct memctl *mc, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int open_memctl(struct memctl **mc);
int unavailable(int err);
int output_error(int err);
/* Flush stdout: EXIT_OK, or output_error()'s status once it has said why. */
int flush_stdout(void);

/* util.c: arguments */
struct cgroup_arg {
	char path[MEMCTL_CGROUP_PATH_MAX];	/* "" when given by id */
	uint64_t id;				/* 0 when given by path */
};
int parse_cgroup_arg(const char *arg, struct cgroup_arg *cg);
const char *cgroup_arg_name(const struct cgroup_arg *cg);
int parse_size_arg(const char *what, const char *val, uint64_t *out);
int parse_classes_arg(const char *what, const char *val, uint32_t *out);

/*
 * util.c: the checks behind parse_*_arg() for those that report errors
 * their own way: 0, or a negative errno with *@msg a message of msgf()
 * ("invalid high 'abc' (...)"), for the caller to print and free.
 */
char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error_msg(char *msg);
int check_size(const char *what, const char *val, uint64_t *out, char **msg);
int check_u32(const char *what, const char *val, const char *suffix,
	      uint32_t max, uint32_t *out, char **msg);
int check_duration(const char *what, const char *val, uint32_t min,
		   uint32_t max, uint32_t *out, char **msg);
int check_classes(const char *what, const char *val, uint32_t *out,
		  char **msg);

/*
 * policy.c: the keywords of `memctl policy set` and of memctl.conf(5), in
 * the order the output lists them.
 */
struct policy_keyword {
	const char *name;
	uint32_t flag;		/* MEMCTL_POLICY_F_* */
};
extern const struct policy_keyword policy_keywords[];
extern const size_t nr_policy_keywords;
const struct policy_keyword *policy_keyword_find(const char *name);
/*
 * Parse @val, the value of @kw, into @p and add kw->flag to p->set.  What
 * is checked, and the messages, are the same for the command line and the
 * file; which keywords were given already is the caller's business.
 * Return: 0, or a negative errno with *@msg as for check_size(), @p's
 * fields unchanged.
 */
int policy_keyword_parse(struct memctl_policy *p,
			 const struct policy_keyword *kw, const char *val,
			 char **msg);
/*
 * The rules between the keywords of a whole policy, as the kernel has
 * them: mode threshold needs high and target; mode auto takes both or
 * neither; target below high; then policy_check_auto().  Return: NULL, or
 * the message of the first rule @p breaks.
 */
const char *policy_check_marks(const struct memctl_policy *p);
/* The rules of min and pressure: min in mode auto only, at most target;
 * pressure above 0 in mode auto.  Return: NULL or the message. */
const char *policy_check_auto(const struct memctl_policy *p);
int no_more_args(int argc, char **argv, int used);

/* util.c: formatting (fmt_size() and fmt_ns() are in format.h) */
void json_classes(struct json *j, const char *key, uint32_t classes);
void json_cgroup(struct json *j, const struct memctl_cgroup *cg);

/* util.c: aligned columns */
struct table {
	int ncols;
	const char *align;	/* per column, 'l' or 'r' */
	char **cells;		/* row-major, ncols per row */
	size_t nrows, cap;
};
void table_init(struct table *t, int ncols, const char *align);
void table_add(struct table *t, ...);		/* ncols strings */
void table_add_row(struct table *t, const char *const *cells);
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);

/* "key      value" lines with the values aligned */
void kv_print(FILE *f, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* MEMCTL_CLI_H */
