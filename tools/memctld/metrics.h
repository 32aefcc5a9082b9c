/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctld: what GET /metrics answers (memctld(8), METRICS), in the
 * Prometheus text format 0.0.4, written with the memctl CLI's writer
 * (tools/memctl/prom.c) and under its names where a series is the same:
 *
 *  - per managed cgroup, a sample of each family of the statistics table
 *    (libmemctl/stats_fields.h), labelled cgroup and id as `memctl stats
 *    --prometheus` labels them, plus qos_class, pod_uid and container_id
 *    for a Kubernetes cgroup (k8s.h) as far as its path tells them;
 *  - the module's and the tier's families, as memctl's (when it is loaded);
 *  - memctld's own: memctld_*.
 */
#ifndef MEMCTLD_METRICS_H
#define MEMCTLD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "escape.h"
#include "memctl.h"

struct agent_stats {
	uint64_t rules;		/* rules loaded */
	uint64_t cgroups;	/* cgroups watched */
	uint64_t managed;	/* cgroups whose policy memctld set */
	uint64_t applies;	/* policies set, cumulative */
	uint64_t apply_errors;	/* policies the kernel refused, cumulative */
	uint64_t removals;	/* policies deleted (a reload unmatched them) */
	uint64_t reloads;	/* rules reloaded */
	uint64_t reload_errors;	/* reloads refused for a bad file */
	uint64_t module_loads;	/* times the module was found (again) */
	bool module_loaded;
};

/*
 * The text of /metrics, appended to @out (its length grows; the text is
 * not NUL-terminated).  @rows: the statistics of the managed cgroups (@n
 * of them); @info and @tier: NULL when the module is not loaded (@tier
 * also when there is no tier).  Return: 0 or the writer's error
 * (prom_finish(): -ENOMEM when @out could not grow).
 */
int metrics_write(struct membuf *out, const struct memctl_cgroup_stats *rows,
		  size_t n, const struct memctl_info *info,
		  const struct memctl_tier *tier,
		  const struct agent_stats *a);

#endif /* MEMCTLD_METRICS_H */
