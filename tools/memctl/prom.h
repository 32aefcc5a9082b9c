/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A writer for the Prometheus text exposition format, version 0.0.4, as
 * node-exporter's textfile collector reads it:
 *
 *	# HELP memctl_usage_bytes Memory the cgroup uses ...
 *	# TYPE memctl_usage_bytes gauge
 *	memctl_usage_bytes{cgroup="/app.slice/web",id="1234"} 1610612736
 *
 * A family is started once (HELP and TYPE), then its samples follow, all
 * together.  The writer refuses what would make the output invalid: a
 * family started twice, a bad metric or label name, a counter whose name
 * does not end in _total, a sample outside a family.  Label values and HELP
 * text are escaped; bytes that are not UTF-8 become U+FFFD.
 */
#ifndef MEMCTL_PROM_H
#define MEMCTL_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "escape.h"
#include "memctl.h"

struct prom_label {
	const char *name;
	const char *value;
};

/* The output reaches the FILE in pieces of SINK_SIZE, the rest at
 * prom_finish(). */
struct prom {
	struct sink out;
	char *family;		/* the family being written, NULL before one */
	char **seen;		/* every family started so far */
	size_t nseen;
	int err;		/* first error, sticky */
};

void prom_init(struct prom *p, FILE *f);
/* The same, into @m (escape.h), which grows as the output does. */
void prom_init_mem(struct prom *p, struct membuf *m);
/*
 * Hand the rest of the output to the FILE or the buffer.  Return: the
 * first error of the writer (0, -EINVAL, -EEXIST, -ENOMEM; a buffer that
 * could not grow is -ENOMEM).
 */
int prom_finish(struct prom *p);

/* Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*; label names: [a-zA-Z_][a-zA-Z0-9_]*
 * and not starting with "__" (reserved). */
bool prom_valid_metric_name(const char *s);
bool prom_valid_label_name(const char *s);

/*
 * Start family @name of @type ("counter" or "gauge"): writes # HELP and
 * # TYPE.  Return: 0, -EINVAL (bad name or type, or a counter not named
 * *_total), -EEXIST (started before), -ENOMEM.
 */
int prom_family(struct prom *p, const char *name, const char *type,
		const char *help);

/*
 * One sample of the current family with @n labels and the value @value,
 * already formatted.  Return: 0 or -EINVAL (no family, bad label name).
 */
int prom_sample(struct prom *p, const struct prom_label *labels, size_t n,
		const char *value);
int prom_sample_u64(struct prom *p, const struct prom_label *labels, size_t n,
		    uint64_t value);
/* @ns nanoseconds written as seconds, exactly ("1.500000000"). */
int prom_sample_seconds(struct prom *p, const struct prom_label *labels,
			size_t n, uint64_t ns);

/* Escaping: label values (\\, \", \n) and HELP text (\\, \n). */
void prom_write_label_value(FILE *f, const char *s);
void prom_write_help(FILE *f, const char *s);

/*
 * Everything `memctl stats --prometheus` prints: the per-cgroup families of
 * @rows (@n of them), then the module (@info) and the tier (@tier, NULL when
 * there is none).  Return: 0 or the writer's error.
 */
int prom_write_stats(FILE *f, const struct memctl_cgroup_stats *rows,
		     size_t n, const struct memctl_info *info,
		     const struct memctl_tier *tier);

/*
 * Labels of a row besides cgroup and id (memctld's Kubernetes ones): puts
 * at most PROM_ROW_LABELS_MAX into @l, valid until the next call, and
 * returns how many.
 */
#define PROM_ROW_LABELS_MAX	3
typedef size_t (*prom_row_labels_fn)(const struct memctl_cgroup_stats *s,
				     struct prom_label *l, void *arg);

/*
 * The per-cgroup families of prom_write_stats() into @p, each sample
 * labelled cgroup, id, what @more (if not NULL) adds, and the row's own
 * label (class=...).
 */
void prom_write_cgroups(struct prom *p, const struct memctl_cgroup_stats *rows,
			size_t n, prom_row_labels_fn more, void *arg);

/*
 * The module's families and the tier's (those of prom_write_stats() after
 * the per-cgroup ones) into @p.
 */
void prom_write_module(struct prom *p, const struct memctl_info *info,
		       const struct memctl_tier *tier);

#endif /* MEMCTL_PROM_H */
