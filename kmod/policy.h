/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy table: what an operator said about one cgroup.
 */
#ifndef _MEMCTL_POLICY_H
#define _MEMCTL_POLICY_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/memcontrol.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "reclaim.h"

struct netlink_ext_ack;

/* The fields of a policy; MEMCTL_A_POLICY_* on the wire. */
struct memctl_params {
	u32 mode;		/* enum memctl_mode */
	u64 high;		/* bytes; 0 in mode auto: no ceiling */
	u64 target;		/* bytes, < high */
	u64 min;		/* bytes, mode auto: the least left */
	u64 tier_max;		/* compressed bytes, 0 = no cap */
	u32 interval_ms;
	u32 classes;		/* MEMCTL_F_CLASS_* */
	u32 slab_first;		/* percent of usage */
	u32 pressure;		/* us of PSI "some" stall per s, 0 = no limit */
	bool tier;		/* tier on */
	bool tier_set;		/* tier on or off was given: off binds */
};

/*
 * One policy.  Lives in the table from POLICY_SET to POLICY_DEL, the removal
 * of its cgroup, or module unload; lookups take a reference, so a policy can
 * outlive its table entry for as long as a reader holds it.
 */
struct memctl_policy {
	u64 id;				/* cgroup id, the table key */
	struct cgroup *cgrp;		/* reference held until freed */
	struct kref ref;
	struct rcu_head rcu;

	/* Protects params: readers copy them out whole. */
	spinlock_t lock;
	struct memctl_params params;

	/* The reclaim engine's checks, episodes and counters. */
	struct memctl_reclaim_state rs;

	/* Stores into the tier its tier off or tier-max refused. */
	atomic64_t tier_cap_refusals;
};

void memctl_params_default(struct memctl_params *p);

int memctl_policy_set(struct cgroup *cgrp, const struct memctl_params *params,
		      struct netlink_ext_ack *extack);
int memctl_policy_del(u64 id);

struct memctl_policy *memctl_policy_lookup(u64 id);
struct memctl_policy *memctl_policy_next(unsigned long *index);
void memctl_policy_put(struct memctl_policy *p);

void memctl_policy_read(struct memctl_policy *p, struct memctl_params *params);
struct cgroup *memctl_policy_cgroup(const struct memctl_policy *p);
struct mem_cgroup *memctl_policy_memcg(struct memctl_policy *p);

u32 memctl_policy_generation(void);
void memctl_policy_count_tier_refusal(u64 id);
unsigned int memctl_policy_count(void);

int memctl_policy_init(void);
void memctl_policy_exit(void);

#endif /* _MEMCTL_POLICY_H */
