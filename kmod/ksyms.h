/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel symbols memctl may use that the kernel does not export.  They are
 * resolved once, at load time, in ksyms.c and nowhere else; each one is an
 * optional fast path: when it is missing, sealed (no ENDBR under IBT) or
 * refused (ignore_ksyms), memctl takes the kernel's official interfaces
 * instead (see Documentation/design.rst, "Kernel interfaces").
 */
#ifndef _MEMCTL_KSYMS_H
#define _MEMCTL_KSYMS_H

#include <linux/types.h>

struct cgroup;
struct mem_cgroup;
struct rw_semaphore;
struct static_key_true;
struct task_struct;

/*
 * The resolved symbols; NULL when not usable.  Written by memctl_ksyms_init()
 * before anything else runs, read-only afterwards.  Reach the functions
 * through the memctl_ksyms_*() helpers below, which hide how their
 * prototypes differ between kernels.
 */
struct memctl_ksyms {
	/* mm/vmscan.c: reclaim from a memcg's LRUs (and slab, by proportion). */
	void *try_to_free_mem_cgroup_pages;
	/* mm/vmscan.c or mm/shrinker.c: one memcg's memcg-aware shrinkers. */
	unsigned long (*shrink_slab)(gfp_t gfp_mask, int nid,
				     struct mem_cgroup *memcg, int priority);
	/*
	 * mm/vmscan.c on 6.1: what shrink_slab() only try-locks, returning 0
	 * when a writer (a shrinker being registered: a mount) holds or waits
	 * for it.  NULL on 6.12 and 7.x, where shrink_slab() takes no lock.
	 */
	struct rw_semaphore *shrinker_rwsem;
	/* kernel/cgroup/rstat.c: fold the per-CPU stats of one subtree. */
	void *rstat_flush;
	/*
	 * mm/memcontrol.c: the same once enough updates are pending, for
	 * every memcg on 6.1, for @memcg's subtree on 6.12 and 7.x.
	 */
	void *mem_cgroup_flush_stats;
	/* mm/memcontrol.c: a memcg's hierarchical count of a stat item. */
	unsigned long (*memcg_page_state)(struct mem_cgroup *memcg, int idx);
	/* kernel/sched/core.c: a task's CPU time, up to this instant. */
	unsigned long long (*task_sched_runtime)(struct task_struct *p);
	/* kernel/sched/psi.c: false when cgroups have no PSI (psi=0 etc.). */
	struct static_key_true *psi_cgroups_enabled;
};

extern struct memctl_ksyms memctl_ksyms;

unsigned long memctl_ksyms_reclaim(struct mem_cgroup *memcg,
				   unsigned long nr_pages, bool may_swap);
unsigned long memctl_ksyms_shrink_slab(gfp_t gfp_mask, int nid,
				       struct mem_cgroup *memcg, int priority,
				       bool *contended);
bool memctl_ksyms_flush(struct mem_cgroup *memcg);

int memctl_ksyms_init(void);

#endif /* _MEMCTL_KSYMS_H */
