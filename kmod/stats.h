/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a memory cgroup holds and how much it stalls, read from its own
 * counters, and the MEMCTL_CMD_STATS_GET command.
 */
#ifndef _MEMCTL_STATS_H
#define _MEMCTL_STATS_H

#include <linux/types.h>

struct cgroup;
struct genl_info;
struct mem_cgroup;
struct netlink_callback;
struct sk_buff;

/* A memcg's counters, in bytes, hierarchical like memory.stat. */
struct memctl_memcg_counters {
	u64 usage;			/* memory.current */
	u64 swap;			/* memory.swap.current */
	u64 slab_reclaimable;
	u64 slab_unreclaimable;
	u64 file;
	u64 anon;
	u64 refaults;			/* pages, workingset_refault_* */
};

/*
 * The PSI memory "some" stall of one cgroup, for the pressure limit, from
 * the cgroup's memory.pressure: a 64-bit total in us, current at each read
 * (the per-CPU times behind it are 32-bit and wrap after ~4.3 s).
 */
struct memctl_psi {
	struct cgroup *cgrp;
	u64 some_us;		/* memory.pressure's some total at @since */
	u64 since;		/* ns, start of the window */
	bool on;
};

#endif /* _MEMCTL_STATS_H */
