/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compressed tier: a swap block device, /dev/memctl0, that compresses
 * the pages written to it into a zsmalloc pool and charges each stored page
 * to the cgroup that owned it.
 *
 * Per-cgroup counters are hierarchical, like memory.current: a cgroup's
 * figures cover the pages owned by it and by its descendants.  A page is
 * owned by the memory cgroup it was charged to when it was written; pages of
 * the root cgroup, and pages no memory cgroup owns, count in the global
 * figures only.
 */
#ifndef _MEMCTL_TIER_H
#define _MEMCTL_TIER_H

#include <linux/types.h>

struct genl_info;
struct mem_cgroup;
struct sk_buff;

/* What one cgroup (with its descendants) holds in the tier now. */
struct memctl_tier_cg_stats {
	u64 stored_pages;
	u64 compressed_bytes;	/* same-filled pages count 0, raw ones a page */
	u64 same_filled_pages;
	u64 stores;		/* cumulative while it holds anything */
	u64 loads;		/* likewise */
	u64 backing_pages;	/* on the backing device, not in RAM */
};

bool memctl_tier_active(void);
void memctl_tier_cgroup_stats(u64 cgroup_id, struct memctl_tier_cg_stats *st);
u64 memctl_tier_room(struct mem_cgroup *memcg, u64 tier_max);
bool memctl_tier_may_store(struct mem_cgroup *memcg, u64 tier_max);
u64 memctl_tier_anon_room(struct mem_cgroup *memcg);
int memctl_tier_fill_stats(struct sk_buff *skb, u64 cgroup_id, u64 tier_max);

int memctl_tier_init(void);
void memctl_tier_exit(void);

#endif /* _MEMCTL_TIER_H */
