/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel symbols memctl needs that the kernel does not export.  They are
 * resolved once, at load time, in ksyms.c and nowhere else; each one that
 * is missing costs a feature, never the load.
 */
#ifndef _MEMCTL_KSYMS_H
#define _MEMCTL_KSYMS_H

#include <linux/types.h>

struct cgroup;
struct mem_cgroup;
struct static_key_true;
struct task_struct;

/*
 * The resolved symbols; NULL when not found.  Written by memctl_ksyms_init()
 * before anything else runs, read-only afterwards.
 */
struct memctl_ksyms {
	/* mm/vmscan.c: reclaim from a memcg's LRUs (and slab, by proportion). */
	unsigned long (*try_to_free_mem_cgroup_pages)(struct mem_cgroup *memcg,
						      unsigned long nr_pages,
						      gfp_t gfp_mask,
						      unsigned int options);
	/* mm/vmscan.c, static: run one memcg's memcg-aware shrinkers on a node. */
	unsigned long (*shrink_slab)(gfp_t gfp_mask, int nid,
				     struct mem_cgroup *memcg, int priority);
	/* kernel/cgroup/rstat.c: fold the per-CPU stats of one subtree. */
	void (*cgroup_rstat_flush)(struct cgroup *cgrp);
	/* mm/memcontrol.c: the same for every memcg, rate-limited. */
	void (*mem_cgroup_flush_stats)(void);
	/* kernel/sched/core.c: a task's CPU time, up to this instant. */
	unsigned long long (*task_sched_runtime)(struct task_struct *p);
	/* kernel/sched/psi.c: false when cgroups have no PSI (psi=0 etc.). */
	struct static_key_true *psi_cgroups_enabled;
};

extern struct memctl_ksyms memctl_ksyms;

u32 memctl_ksyms_classes(void);
const char *memctl_ksyms_missing(u32 class);

int memctl_ksyms_init(void);

#endif /* _MEMCTL_KSYMS_H */
