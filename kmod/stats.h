/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a memory cgroup holds, read from its own counters, and the
 * MEMCTL_CMD_STATS_GET command.
 */
#ifndef _MEMCTL_STATS_H
#define _MEMCTL_STATS_H

#include <linux/types.h>

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
};

#endif /* _MEMCTL_STATS_H */
