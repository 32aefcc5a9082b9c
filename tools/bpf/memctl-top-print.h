/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctl-top's output: one interval's rows as a JSON line or a table,
 * written with the memctl CLI's formatters (tools/memctl: json.c and
 * escape.c for the JSON, format.c for sizes and times), so that both
 * tools print a cgroup path, a size or a time the same way.  No BPF here:
 * tools/memctl/tests/test_top.c tests it natively.
 */
#ifndef MEMCTL_TOP_PRINT_H
#define MEMCTL_TOP_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "memctl-top.h"

/* One cgroup's activity in the interval. */
struct top_row {
	__u64 id;
	const char *path;	/* from the cgroup2 root; NULL if unknown */
	struct mt_stats d;	/* what the interval added */
};

/* What the table's header says. */
struct top_view {
	const char *clock;	/* "12:34:56" */
	double interval_s;
	bool memcg_traced;	/* try_to_free_mem_cgroup_pages() traced */
	enum mt_slab_mode slab_mode;
	long page_size;
	int max_rows;		/* rows that fit the terminal, -1: all */
};

/*
 * The pct-th percentile (1..100) of a log2 histogram, within a factor of
 * two of the true value; one sample: its exact duration.
 */
__u64 top_percentile(const struct mt_stall *h, unsigned int pct);

/* {"time":..,"interval_s":..,"cgroups":[...]} and a newline. */
void top_print_json(FILE *f, const struct top_row *rows, size_t n,
		    double now_s, double interval_s);

void top_print_table(FILE *f, const struct top_row *rows, size_t n,
		     const struct top_view *v);

#endif /* MEMCTL_TOP_PRINT_H */
