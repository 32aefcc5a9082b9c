/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What memctl reads from and asks of a memory cgroup, each by the best
 * route the running kernel offers: an internal fast path (ksyms.c) when one
 * is resolved and callable, otherwise the kernel's official interfaces (the
 * cgroup's own files, the superblocks' shrinkers).  The choice is made once,
 * at load time, and reported by GET_INFO.
 */
#ifndef _MEMCTL_MEMCG_H
#define _MEMCTL_MEMCG_H

#include <linux/types.h>

#include "reclaim.h"
#include "stats.h"

struct cgroup;
struct mem_cgroup;
struct memctl_sbshrink;

/* How memctl does one thing on this kernel (UAPI enum memctl_path). */
struct memctl_route {
	u32 path;		/* MEMCTL_PATH_* */
	const char *why;	/* MEMCTL_PATH_NONE: the reason */
};

const struct memctl_route *memctl_memcg_class_route(int class);
const struct memctl_route *memctl_memcg_stats_route(void);
const struct memctl_route *memctl_memcg_psi_route(void);
u32 memctl_memcg_classes(void);

void memctl_memcg_flush(struct mem_cgroup *memcg);
void memctl_memcg_flush_all(void);
void memctl_memcg_read(struct mem_cgroup *memcg,
		       struct memctl_memcg_counters *c);

unsigned long memctl_memcg_reclaim(struct mem_cgroup *memcg, u64 bytes,
				   bool anon);
unsigned long memctl_memcg_shrink(struct memctl_sbshrink *sbs,
				  struct mem_cgroup *memcg, int nid,
				  int priority, bool *contended);

void memctl_psi_begin(struct memctl_psi *ps, struct cgroup *cgrp);
s64 memctl_psi_rate(struct memctl_psi *ps);
void memctl_psi_end(struct memctl_psi *ps);
bool memctl_psi_enforced(void);

int memctl_memcg_init(void);

#endif /* _MEMCTL_MEMCG_H */
