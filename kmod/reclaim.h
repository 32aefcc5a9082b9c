/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reclaim engine: per-policy episodes that bring a cgroup from above its
 * high mark back to its target, cheapest memory first, and the one-shot
 * MEMCTL_CMD_RECLAIM, queued on the same workqueue.
 */
#ifndef _MEMCTL_RECLAIM_H
#define _MEMCTL_RECLAIM_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "stats.h"

struct genl_info;
struct memctl_policy;
struct net;
struct netlink_ext_ack;
struct nlattr;
struct sk_buff;

/* Reclaim classes as array indices, in the order the engine prefers them. */
enum memctl_class_idx {
	MEMCTL_CLASS_SLAB,
	MEMCTL_CLASS_FILE,
	MEMCTL_CLASS_ANON,
	MEMCTL_NR_CLASSES,
};

/* A policy's reclaim, cumulative since the policy was created. */
struct memctl_reclaim_stats {
	u64 episodes;
	u64 steps;
	u64 reclaimed[MEMCTL_NR_CLASSES];	/* bytes */
	u64 time_ns;
	u64 cpu_ns;		/* CPU time of the episodes' worker */
	u64 shortfalls;		/* episodes that ended above target */
	u64 pressure_stops;	/* episodes stopped by the pressure limit */
	u64 tier_cap_stops;	/* runs stopped by the tier's tier-max */
	u64 limit_stops;	/* episodes stopped at run_time/steps_max */
	u64 last_freed;		/* bytes, all classes, last episode */
	u64 last_duration_ns;
	u32 last_stop;		/* enum memctl_stop, 0 before the first */
	/* Mode auto, since the policy was created. */
	u64 auto_working_set;	/* bytes, the estimate; 0 before the first */
	u64 auto_freed;		/* bytes its runs freed */
	u64 auto_refaulted;	/* bytes faulted back meanwhile */
	u64 auto_pushbacks;	/* checks that found a stall or refaults */
};

/* Mode auto's saving: what its runs freed and did not fault back. */
static inline u64 memctl_auto_saved(const struct memctl_reclaim_stats *st)
{
	return st->auto_freed > st->auto_refaulted ?
	       st->auto_freed - st->auto_refaulted : 0;
}

/* Mode auto's view of a cgroup between two checks. */
struct memctl_auto {
	bool primed;		/* the readings below are set */
	u64 usage;		/* bytes, after the last check */
	u64 refaults;		/* pages, workingset_refault_* then */
	u64 freed;		/* bytes the last check's run freed */
	u64 slab_freed;		/* ...of it from reclaimable slab */
	u64 slab_after;		/* reclaimable slab after that run, bytes */
	u32 slab_hold;		/* checks whose runs leave slab alone */
	u32 slab_pushbacks;	/* slab came back, without a run between */
	bool dry;		/* the last check found nothing to take... */
	u64 dry_usage;		/* ...at this usage, bytes */
	u32 share;		/* of usage - min the next run asks, /1024 */
	u32 hold;		/* checks to wait before the next run */
	u32 pushbacks;		/* back-offs without a calm stretch between */
	u32 calm;		/* quiet checks in a row */
	struct memctl_psi psi;	/* the stall since the last check */
};

/* The reclaim side of one policy; embedded in struct memctl_policy. */
struct memctl_reclaim_state {
	/* The periodic check, on memctl's own workqueue. */
	struct delayed_work dwork;
	/* Set once, under memctl_policy_mutex, before the work is cancelled. */
	bool stopping;
	/* Checks skipped after dry episodes; only the work itself uses it. */
	unsigned int backoff;
	/* Mode auto's state; only the work itself uses it. */
	struct memctl_auto auto_state;
	/* Protects stats: the worker adds an episode, readers copy it whole. */
	spinlock_t lock;
	struct memctl_reclaim_stats stats;
};

void memctl_reclaim_policy_init(struct memctl_policy *p);
void memctl_reclaim_start(struct memctl_policy *p);
void memctl_reclaim_changed(struct memctl_policy *p);
void memctl_reclaim_stop(struct memctl_policy *p);
void memctl_reclaim_read_stats(struct memctl_policy *p,
			       struct memctl_reclaim_stats *stats);

u32 memctl_reclaim_classes(void);
bool memctl_reclaim_psi_enforced(void);
int memctl_reclaim_check_classes(u32 classes, const struct nlattr *attr,
				 struct netlink_ext_ack *extack);

void memctl_reclaim_socket_closed(struct net *net, u32 portid);

int memctl_reclaim_init(void);
void memctl_reclaim_shutdown(void);
void memctl_reclaim_exit(void);

#endif /* _MEMCTL_RECLAIM_H */
