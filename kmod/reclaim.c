// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reclaim engine: each policy's periodic check and episodes, and the
 * one-shot RECLAIM.  How it chooses and measures is described in
 * Documentation/design.rst, "The reclaim engine".
 *
 * Rules:
 *  - Checks, episodes and one-shots run on memctl_reclaim_wq, in process
 *    context, never under memctl_policy_mutex.
 *  - Runs on one cgroup are serialized through memctl_reclaim_busy: an
 *    episode that finds its cgroup busy skips that check; a one-shot waits
 *    for the other run to end, or for its own cancellation.
 *  - Every run ends at its goal, when its classes have nothing left, at
 *    twice what there was to free, at run_time_max_ms or run_steps_max, or
 *    when cancelled (policy stopping, memcg offline, one-shot's socket
 *    closed, unload); the bounds are checked between steps and between the
 *    cgroups of a slab walk.
 *  - No netlink handler runs a reclaim: RECLAIM queues a job and returns;
 *    the job answers its requester when the run ends.  Jobs end before the
 *    family is unregistered (memctl_reclaim_shutdown()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/nodemask.h>
#include <linux/page_counter.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "memctl.h"
#include "cgroup.h"
#include "handlers.h"
#include "netlink.h"
#include "policy.h"
#include "reclaim.h"
#include "ksyms.h"
#include "memcg.h"
#include "sbshrink.h"
#include "stats.h"
#include "tier.h"

/* The most one step asks for, bytes. */
#define MEMCTL_STEP_MAX		(32ULL << 20)
/* Slab steps scan about one step's worth: never less than 1/4096. */
#define MEMCTL_SLAB_PRIO_MAX	12
/* LRU steps in a row that free nothing before a pass gives up. */
#define MEMCTL_LRU_IDLE_STEPS	2
/* Slab steps in a row cut short by the shrinker lock, before they count. */
#define MEMCTL_SLAB_CONTENDED_STEPS	8
/* A dry episode doubles the time to the next check, up to 32 intervals... */
#define MEMCTL_BACKOFF_MAX	5
/* ...but no more than this, unless the interval itself is longer. */
#define MEMCTL_BACKOFF_CAP_MS	10000
/* Room for a reclaim message's attributes, besides the path. */
#define MEMCTL_RECLAIM_ATTRS_SIZE	(16 * nla_total_size_64bit(sizeof(u64)))
/* One-shot reclaims queued or running at once, all requesters together. */
#define MEMCTL_ONESHOT_MAX	64
/*
 * Mode auto (Documentation/design.rst, "The automatic mode"): a quiet check
 * asks for a share of what the cgroup holds above min, in 1024ths, from
 * about 1 %, doubled after each run that got it, up to 1/8...
 */
#define MEMCTL_AUTO_SHARE_MIN	10
#define MEMCTL_AUTO_SHARE_MAX	128
/* ...and never less than this, bytes. */
#define MEMCTL_AUTO_ASK_MIN	(256ULL << 10)
/* Refaults above this, and above 1/8 of the last run, push back; bytes. */
#define MEMCTL_AUTO_REFAULT_MIN	(256ULL << 10)
/* Checks held after a push-back: 1, 2, 4... up to this. */
#define MEMCTL_AUTO_HOLD_MAX	64
/* Quiet checks in a row that halve the next hold. */
#define MEMCTL_AUTO_CALM	8

/*
 * Bounds of every run, episode or one-shot, besides its goal: a run that
 * frees a little at each step (a workload that refills as fast) stops at
 * whichever comes first, with MEMCTL_STOP_TIME_LIMIT or _STEP_LIMIT.
 * Module parameters, writable at run time; a run reads them when it starts.
 */
#define MEMCTL_RUN_TIME_MIN_MS	10
#define MEMCTL_RUN_TIME_MAX_MS	3600000
#define MEMCTL_RUN_STEPS_MAX	1000000
static unsigned int memctl_run_time_max_ms = 30000;
static unsigned int memctl_run_steps_max = 4096;

static int memctl_param_set_range(const char *val, unsigned int *out,
				  unsigned int min, unsigned int max)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < min || v > max)
		return -ERANGE;
	WRITE_ONCE(*out, v);
	return 0;
}

static int memctl_param_set_time(const char *val, const struct kernel_param *kp)
{
	return memctl_param_set_range(val, kp->arg, MEMCTL_RUN_TIME_MIN_MS,
				      MEMCTL_RUN_TIME_MAX_MS);
}

static int memctl_param_set_steps(const char *val,
				  const struct kernel_param *kp)
{
	return memctl_param_set_range(val, kp->arg, 1, MEMCTL_RUN_STEPS_MAX);
}

static const struct kernel_param_ops memctl_param_time_ops = {
	.set	= memctl_param_set_time,
	.get	= param_get_uint,
};

static const struct kernel_param_ops memctl_param_steps_ops = {
	.set	= memctl_param_set_steps,
	.get	= param_get_uint,
};

module_param_cb(run_time_max_ms, &memctl_param_time_ops,
		&memctl_run_time_max_ms, 0644);
MODULE_PARM_DESC(run_time_max_ms,
		 "The longest one reclaim run (episode or one-shot) may take, ms (10..3600000, default 30000)");
module_param_cb(run_steps_max, &memctl_param_steps_ops,
		&memctl_run_steps_max, 0644);
MODULE_PARM_DESC(run_steps_max,
		 "The most steps one reclaim run may take (1..1000000, default 4096)");

static_assert(BIT(MEMCTL_CLASS_SLAB) == MEMCTL_F_CLASS_SLAB);
static_assert(BIT(MEMCTL_CLASS_FILE) == MEMCTL_F_CLASS_FILE);
static_assert(BIT(MEMCTL_CLASS_ANON) == MEMCTL_F_CLASS_ANON);

/* Runs every policy's check and episodes. */
static struct workqueue_struct *memctl_reclaim_wq;

/*
 * cgroup id -> a run is reclaiming that cgroup.  The xarray's own lock
 * protects it; memctl_reclaim_waitq wakes one-shots waiting for an entry to
 * go away.
 */
static DEFINE_XARRAY(memctl_reclaim_busy);
static DECLARE_WAIT_QUEUE_HEAD(memctl_reclaim_waitq);

/* One episode or one-shot: what to do, where it is, what it did. */
struct memctl_run {
	struct mem_cgroup *memcg;
	struct memctl_reclaim_state *rs;	/* the policy's; NULL: one-shot */
	u32 classes;			/* MEMCTL_F_CLASS_* allowed */
	u32 slab_first;			/* percent of usage */
	u32 pressure;			/* us per s, 0 = no limit */
	u32 trigger;			/* enum memctl_trigger */
	u64 target;			/* episode: usage to get down to */
	u64 asked;			/* one-shot, auto: bytes; episode: excess */
	u64 floor;			/* auto: usage not to ask below */
	bool amount;			/* a policy's run that frees @asked */
	const bool *cancel;		/* one-shot: set when it is cancelled */
	u64 deadline;			/* ktime_get_ns() the run stops at */
	u32 steps_max;

	u64 progress;			/* bytes freed, for the stop rule */
	u64 budget;			/* the most a run may free */
	u32 exhausted;			/* MEMCTL_F_CLASS_* that ran dry */
	unsigned int idle[MEMCTL_NR_CLASSES];
	int slab_boost;			/* priorities below the estimate */
	struct memctl_memcg_counters cnt;	/* at the last measure */
	u64 delta[MEMCTL_NR_CLASSES];	/* freed by the last step */
	struct memctl_psi psi;

	u64 freed[MEMCTL_NR_CLASSES];	/* bytes */
	u64 usage_before;
	u64 usage_after;
	u64 duration_ns;
	u64 cpu_ns;			/* CPU time of the reclaiming task */
	u32 steps;
	u32 stop;			/* enum memctl_stop */
	bool dry;			/* stopped with no allowed class left */
	struct memctl_sbshrink *sbs;	/* official slab route: superblocks */
	bool rcu_pending;		/* slab may wait for a grace period */
	u64 auto_working_set;		/* auto: the policy's, for the event */
	u64 auto_saved;
};

static void memctl_run_psi_begin(struct memctl_run *r)
{
	if (r->pressure)
		memctl_psi_begin(&r->psi, r->memcg->css.cgroup);
}

/* Has the stall passed the run's limit? */
static bool memctl_psi_over(struct memctl_run *r)
{
	return memctl_psi_rate(&r->psi) > (s64)r->pressure;
}

static bool memctl_run_cancelled(const struct memctl_run *r)
{
	if (!mem_cgroup_online(r->memcg))
		return true;
	if (r->rs)
		return READ_ONCE(r->rs->stopping);
	return READ_ONCE(*r->cancel);
}

static bool memctl_run_late(const struct memctl_run *r)
{
	return ktime_get_ns() >= r->deadline;
}

static u64 memctl_drop(u64 before, u64 after)
{
	return before > after ? before - after : 0;
}

/* How much the next step should free: 0 when the run is done. */
static u64 memctl_run_want(const struct memctl_run *r)
{
	u64 usage = (u64)page_counter_read(&r->memcg->memory) << PAGE_SHIFT;
	u64 left = 0;

	if (r->rs && !r->amount) {
		if (usage > r->target)
			left = usage - r->target;
	} else if (r->asked > r->progress) {
		left = min(r->asked - r->progress,
			   memctl_drop(usage, r->floor));
	}
	return min(left, MEMCTL_STEP_MAX);
}

/* Which class the next step reclaims, or -1 if none is left. */
static int memctl_run_pass(const struct memctl_run *r)
{
	u32 can = r->classes & ~r->exhausted;

	if ((can & MEMCTL_F_CLASS_SLAB) &&
	    r->cnt.slab_reclaimable * 100 >= (u64)r->slab_first * r->cnt.usage)
		return MEMCTL_CLASS_SLAB;
	if (can & MEMCTL_F_CLASS_FILE)
		return MEMCTL_CLASS_FILE;
	if (can & MEMCTL_F_CLASS_SLAB)
		return MEMCTL_CLASS_SLAB;
	if (can & MEMCTL_F_CLASS_ANON)
		return MEMCTL_CLASS_ANON;
	return -1;
}

/*
 * Reads the counters again and adds what each class lost since the last
 * reading, for the classes in @can (MEMCTL_F_CLASS_*): those the step could
 * have freed.  What the others lost meanwhile (a process exiting, a file
 * truncated) is not memctl's doing and is not counted.
 * Return: the bytes counted.
 */
static u64 memctl_run_measure(struct memctl_run *r, u32 can)
{
	struct memctl_memcg_counters now;
	u64 total = 0;
	int i;

	memctl_memcg_flush(r->memcg);
	memctl_memcg_read(r->memcg, &now);
	r->delta[MEMCTL_CLASS_SLAB] = memctl_drop(r->cnt.slab_reclaimable,
						  now.slab_reclaimable);
	r->delta[MEMCTL_CLASS_FILE] = memctl_drop(r->cnt.file, now.file);
	r->delta[MEMCTL_CLASS_ANON] = memctl_drop(r->cnt.anon, now.anon);
	for (i = 0; i < MEMCTL_NR_CLASSES; i++) {
		if (!(can & BIT(i)))
			r->delta[i] = 0;
		r->freed[i] += r->delta[i];
		total += r->delta[i];
	}
	r->cnt = now;
	return total;
}

/*
 * Runs the memcg-aware shrinkers of the run's memcg and of every online
 * descendant, on every node with memory.  Sets *@contended when the
 * kernel's shrinker lock may have cut a call short.  Return: objects freed.
 */
static unsigned long memctl_shrink_subtree(struct memctl_run *r, int prio,
					   bool *contended)
{
	struct cgroup_subsys_state *root = &r->memcg->css, *pos, *next;
	unsigned long objects = 0;
	int nid;

	rcu_read_lock();
	for (pos = css_next_descendant_pre(NULL, root); pos; pos = next) {
		if (!css_tryget_online(pos)) {
			next = css_next_descendant_pre(pos, root);
			continue;
		}
		rcu_read_unlock();

		for_each_node_state(nid, N_MEMORY)
			objects += memctl_memcg_shrink(r->sbs, mem_cgroup_from_css(pos),
						       nid, prio, contended);
		cond_resched();

		rcu_read_lock();
		next = memctl_run_cancelled(r) || memctl_run_late(r) ? NULL :
			css_next_descendant_pre(pos, root);
		css_put(pos);
	}
	rcu_read_unlock();
	return objects;
}

/*
 * A shrinker scans about 2 * objects >> priority: the priority that scans
 * about @want's worth of @slab bytes, no more.
 */
static int memctl_slab_prio(u64 slab, u64 want)
{
	u64 ratio = div64_u64(2 * slab, max_t(u64, want, PAGE_SIZE));

	if (ratio <= 1)
		return 0;
	return min(order_base_2(ratio), MEMCTL_SLAB_PRIO_MAX);
}

static void memctl_step_slab(struct memctl_run *r, u64 want)
{
	int prio = memctl_slab_prio(r->cnt.slab_reclaimable, want);
	/* The LRU passes' idle count; slab's counts contended steps in a row. */
	unsigned int *contended_steps = &r->idle[MEMCTL_CLASS_SLAB];
	bool contended = false;
	unsigned long objects;
	u64 freed;

	prio = max(prio - r->slab_boost, 0);
	objects = memctl_shrink_subtree(r, prio, &contended);
	/* Dentries and inodes return to their caches after a grace period. */
	if (objects) {
		rcu_barrier();
		r->rcu_pending = false;
	}
	r->progress += memctl_run_measure(r, MEMCTL_F_CLASS_SLAB);

	freed = r->delta[MEMCTL_CLASS_SLAB];
	if (freed && freed >= want / 2) {
		*contended_steps = 0;
		return;
	}
	/*
	 * Too little because a writer of the kernel's shrinker lock (a mount,
	 * an unmount) came in the way: that says nothing of what is left.
	 * Again at the same priority; the next call waits for the writer.
	 */
	if (contended && ++*contended_steps <= MEMCTL_SLAB_CONTENDED_STEPS)
		return;
	*contended_steps = 0;
	/*
	 * Too little (objects in use, or referenced since the last scan and
	 * given another round): scan twice as much next time, up to all.
	 */
	if (prio > 0)
		r->slab_boost++;
	else if (freed < PAGE_SIZE)
		r->exhausted |= MEMCTL_F_CLASS_SLAB;
}

static void memctl_step_lru(struct memctl_run *r, int class, u64 want)
{
	unsigned long pages;
	u64 lru;

	pages = memctl_memcg_reclaim(r->memcg, want, class == MEMCTL_CLASS_ANON);
	/* Without swap the kernel's reclaim frees page cache and slab only. */
	memctl_run_measure(r, class == MEMCTL_CLASS_ANON ? __MEMCTL_F_CLASS_ALL :
			   MEMCTL_F_CLASS_SLAB | MEMCTL_F_CLASS_FILE);
	/*
	 * A step's progress is the LRU pages it reclaimed: slab the kernel
	 * shrank on the side is counted as freed, not toward the bytes asked
	 * of this class.  memory.stat, the official route's statistics, is
	 * flushed only once enough updates are pending, so it can lag; a
	 * memory.reclaim that succeeded reclaimed at least what it was
	 * asked: take that.  (That count is of LRU pages from 6.4 on; on 6.1
	 * it includes slab shrunk on the side, which the slab delta counts
	 * too.)
	 */
	lru = r->delta[MEMCTL_CLASS_FILE];
	if (class == MEMCTL_CLASS_ANON)
		lru += r->delta[MEMCTL_CLASS_ANON];
	if (memctl_memcg_stats_route()->path != MEMCTL_PATH_INTERNAL &&
	    ((u64)pages << PAGE_SHIFT) > lru) {
		r->freed[class] += ((u64)pages << PAGE_SHIFT) - lru;
		lru = (u64)pages << PAGE_SHIFT;
	}
	r->progress += lru;

	if (lru) {
		/* The kernel's reclaim shrinks slab too, in proportion. */
		r->rcu_pending = true;
		r->idle[class] = 0;
	} else if (++r->idle[class] >= MEMCTL_LRU_IDLE_STEPS) {
		r->exhausted |= BIT(class);
	}
}

/*
 * The CPU time of the running task, ns: exact where the scheduler's own
 * reader was resolved, otherwise as of the task's last tick or switch.
 * No IRQ time accounting on the kernels memctl supports: softirq work done
 * on the task's time (RCU callbacks freeing dentries among it) counts.
 */
static u64 memctl_cpu_now(void)
{
	if (memctl_ksyms.task_sched_runtime)
		return memctl_ksyms.task_sched_runtime(current);
	return READ_ONCE(current->se.sum_exec_runtime);
}

/* Reclaims until the run's goal, a limit, or nothing is left. */
static void memctl_run(struct memctl_run *r)
{
	u64 start = ktime_get_ns();
	u64 cpu = memctl_cpu_now();
	u64 want;
	int class;

	r->slab_boost = 0;
	r->deadline = start + (u64)READ_ONCE(memctl_run_time_max_ms) *
		      NSEC_PER_MSEC;
	r->steps_max = READ_ONCE(memctl_run_steps_max);
	memctl_memcg_flush(r->memcg);
	memctl_memcg_read(r->memcg, &r->cnt);
	r->usage_before = r->cnt.usage;
	/*
	 * A workload may refill as fast as we free: bound the run by twice
	 * what there is to free (the excess over target, or all of a
	 * one-shot's cgroup), and a step.
	 */
	if (r->rs) {
		if (!r->amount)
			r->asked = memctl_drop(r->usage_before, r->target);
		r->budget = 2 * r->asked + MEMCTL_STEP_MAX;
	} else {
		r->budget = 2 * r->usage_before + MEMCTL_STEP_MAX;
	}
	memctl_run_psi_begin(r);
	/* The official slab route works on the superblocks of this run. */
	if ((r->classes & MEMCTL_F_CLASS_SLAB) &&
	    memctl_memcg_class_route(MEMCTL_CLASS_SLAB)->path ==
	    MEMCTL_PATH_OFFICIAL) {
		r->sbs = memctl_sbshrink_begin();
		if (IS_ERR(r->sbs)) {
			pr_warn_ratelimited("no slab pass: no file system types: %pe\n",
					    r->sbs);
			r->sbs = NULL;
			r->exhausted |= MEMCTL_F_CLASS_SLAB;
		}
	}

	for (;;) {
		want = memctl_run_want(r);
		if (!want) {
			r->stop = MEMCTL_STOP_TARGET;
			break;
		}
		if (memctl_run_cancelled(r)) {
			r->stop = MEMCTL_STOP_CANCELLED;
			break;
		}
		if (r->steps >= r->steps_max) {
			r->stop = MEMCTL_STOP_STEP_LIMIT;
			break;
		}
		if (memctl_run_late(r)) {
			r->stop = MEMCTL_STOP_TIME_LIMIT;
			break;
		}
		class = memctl_run_pass(r);
		if (class < 0 || r->progress >= r->budget) {
			r->stop = MEMCTL_STOP_NO_PROGRESS;
			r->dry = class < 0;
			break;
		}
		/*
		 * The tier refuses stores past the tier-max (or tier off) of
		 * the cgroup and of its ancestors; the anon pass asks for no
		 * more than the room they leave (a page never takes more room
		 * there than in memory), and stops when there is none.
		 */
		if (class == MEMCTL_CLASS_ANON) {
			u64 room = memctl_tier_anon_room(r->memcg);

			if (!room) {
				r->stop = MEMCTL_STOP_TIER_CAP;
				break;
			}
			want = min(want, room);
		}
		if (class == MEMCTL_CLASS_SLAB)
			memctl_step_slab(r, want);
		else
			memctl_step_lru(r, class, want);
		r->steps++;
		if (memctl_psi_over(r)) {
			r->stop = MEMCTL_STOP_PRESSURE;
			break;
		}
		cond_resched();
	}

	/* Count what is still waiting for RCU to be freed. */
	if (r->rcu_pending) {
		rcu_barrier();
		memctl_run_measure(r, MEMCTL_F_CLASS_SLAB);
	}
	r->usage_after = (u64)page_counter_read(&r->memcg->memory) <<
			 PAGE_SHIFT;
	r->duration_ns = ktime_get_ns() - start;
	r->cpu_ns = memctl_cpu_now() - cpu;
	memctl_psi_end(&r->psi);
	memctl_sbshrink_end(r->sbs);
}

/*
 * Claims @id for a run.  @cancel: NULL not to wait while another run has
 * it; otherwise wait until it is free or *@cancel is set (the waker of
 * memctl_reclaim_waitq sets it).
 * Return: 0, -EBUSY (without @cancel), -ECANCELED or -ENOMEM.
 */
static int memctl_reclaim_claim(u64 id, const bool *cancel)
{
	int err;

	for (;;) {
		err = xa_insert(&memctl_reclaim_busy, id, xa_mk_value(0),
				GFP_KERNEL);
		if (err != -EBUSY || !cancel)
			return err;
		/* Idle: an episode may hold it for run_time_max_ms. */
		wait_event_idle(memctl_reclaim_waitq,
				!xa_load(&memctl_reclaim_busy, id) ||
				READ_ONCE(*cancel));
		if (READ_ONCE(*cancel))
			return -ECANCELED;
	}
}

static void memctl_reclaim_release(u64 id)
{
	xa_erase(&memctl_reclaim_busy, id);
	wake_up_all(&memctl_reclaim_waitq);
}

static int memctl_reclaim_put_u64(struct sk_buff *skb, int attr, u64 value)
{
	return nla_put_u64_64bit(skb, attr, value, MEMCTL_A_RECLAIM_PAD);
}

static int memctl_reclaim_fill(struct sk_buff *skb, struct cgroup *cgrp,
			       const char *path, const struct memctl_run *r)
{
	if (memctl_nl_put_cgroup(skb, cgrp, path, MEMCTL_A_RECLAIM_CGROUP_PATH,
				 MEMCTL_A_RECLAIM_CGROUP_ID,
				 MEMCTL_A_RECLAIM_PAD) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_BYTES, r->asked) ||
	    nla_put_u32(skb, MEMCTL_A_RECLAIM_CLASSES, r->classes) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_FREED_SLAB,
				   r->freed[MEMCTL_CLASS_SLAB]) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_FREED_FILE,
				   r->freed[MEMCTL_CLASS_FILE]) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_FREED_ANON,
				   r->freed[MEMCTL_CLASS_ANON]) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_DURATION,
				   r->duration_ns) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_CPU, r->cpu_ns) ||
	    nla_put_u32(skb, MEMCTL_A_RECLAIM_STEPS, r->steps) ||
	    nla_put_u32(skb, MEMCTL_A_RECLAIM_STOP, r->stop) ||
	    nla_put_u32(skb, MEMCTL_A_RECLAIM_TRIGGER, r->trigger) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_USAGE_BEFORE,
				   r->usage_before) ||
	    memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_USAGE_AFTER,
				   r->usage_after))
		return -EMSGSIZE;
	if (r->trigger == MEMCTL_TRIGGER_AUTO &&
	    (memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_AUTO_WORKING_SET,
				    r->auto_working_set) ||
	     memctl_reclaim_put_u64(skb, MEMCTL_A_RECLAIM_AUTO_SAVED,
				    r->auto_saved)))
		return -EMSGSIZE;
	return 0;
}

static size_t memctl_reclaim_msg_size(const char *path)
{
	return nla_total_size(strlen(path) + 1) + MEMCTL_RECLAIM_ATTRS_SIZE;
}

struct memctl_reclaim_ntf {
	struct cgroup *cgrp;
	const struct memctl_run *r;
};

static int memctl_reclaim_event_fill(struct sk_buff *skb, const char *path,
				     void *arg)
{
	const struct memctl_reclaim_ntf *e = arg;

	return memctl_reclaim_fill(skb, e->cgrp, path, e->r);
}

/* One MEMCTL_CMD_RECLAIM_NTF for a finished run, to who may see @cgrp. */
static void memctl_reclaim_notify(struct cgroup *cgrp,
				  const struct memctl_run *r)
{
	struct memctl_reclaim_ntf e = { .cgrp = cgrp, .r = r };

	memctl_nl_event(cgrp, MEMCTL_CMD_RECLAIM_NTF,
			MEMCTL_RECLAIM_ATTRS_SIZE,
			memctl_reclaim_event_fill, &e);
}

static void memctl_reclaim_account(struct memctl_reclaim_state *rs,
				   struct memctl_run *r)
{
	struct memctl_reclaim_stats *st = &rs->stats;
	u64 freed = 0;
	int i;

	spin_lock(&rs->lock);
	st->episodes++;
	st->steps += r->steps;
	for (i = 0; i < MEMCTL_NR_CLASSES; i++) {
		st->reclaimed[i] += r->freed[i];
		freed += r->freed[i];
	}
	st->time_ns += r->duration_ns;
	st->cpu_ns += r->cpu_ns;
	if (!r->amount && r->usage_after > r->target)
		st->shortfalls++;
	if (r->trigger == MEMCTL_TRIGGER_AUTO) {
		st->auto_freed += freed;
		r->auto_working_set = st->auto_working_set;
		r->auto_saved = memctl_auto_saved(st);
	}
	if (r->stop == MEMCTL_STOP_PRESSURE)
		st->pressure_stops++;
	if (r->stop == MEMCTL_STOP_TIER_CAP)
		st->tier_cap_stops++;
	if (r->stop == MEMCTL_STOP_TIME_LIMIT ||
	    r->stop == MEMCTL_STOP_STEP_LIMIT)
		st->limit_stops++;
	st->last_stop = r->stop;
	st->last_freed = freed;
	st->last_duration_ns = r->duration_ns;
	spin_unlock(&rs->lock);
}

/* How an episode ended, for the time to the next check. */
enum memctl_episode_end {
	MEMCTL_EPISODE_NONE,	/* none ran */
	MEMCTL_EPISODE_DRY,	/* nothing the policy allows was left */
	MEMCTL_EPISODE_DONE,	/* any other end */
};

static enum memctl_episode_end
memctl_reclaim_episode(struct memctl_policy *p, struct mem_cgroup *memcg,
		       const struct memctl_params *pa)
{
	struct memctl_run r = {
		.memcg		= memcg,
		.rs		= &p->rs,
		.classes	= pa->classes & memctl_reclaim_classes(),
		.slab_first	= pa->slab_first,
		.pressure	= pa->pressure,
		.trigger	= MEMCTL_TRIGGER_POLICY,
		.target		= pa->target,
	};

	if (!r.classes || !mem_cgroup_online(memcg))
		return MEMCTL_EPISODE_NONE;
	/* Busy: a one-shot is at work on this cgroup; check again later. */
	if (memctl_reclaim_claim(p->id, NULL))
		return MEMCTL_EPISODE_NONE;
	memctl_run(&r);
	memctl_reclaim_release(p->id);

	memctl_reclaim_account(&p->rs, &r);
	memctl_reclaim_notify(memctl_policy_cgroup(p), &r);
	if (r.dry || r.stop == MEMCTL_STOP_TIER_CAP)
		return MEMCTL_EPISODE_DRY;
	return MEMCTL_EPISODE_DONE;
}

/* Growth below this is noise, not a workload growing; bytes. */
static u64 memctl_auto_slack(u64 usage)
{
	return max_t(u64, usage >> 6, 1ULL << 20);
}

/*
 * Is the cgroup held at its own memory.max or memory.high?  Its usage then
 * moves with the kernel's reclaim, not with its needs: it is not growing.
 */
static bool memctl_auto_at_limit(struct mem_cgroup *memcg, u64 usage)
{
	u64 limit = min(READ_ONCE(memcg->memory.max),
			READ_ONCE(memcg->memory.high));

	if (limit >= U64_MAX >> PAGE_SHIFT)
		return false;
	return usage + memctl_auto_slack(usage) >= limit << PAGE_SHIFT;
}

/* Back off: the cgroup pushed back (stall or refaults). */
static void memctl_auto_push_back(struct memctl_auto *a)
{
	a->share = MEMCTL_AUTO_SHARE_MIN;
	a->calm = 0;
	if (a->pushbacks < ilog2(MEMCTL_AUTO_HOLD_MAX) + 1)
		a->pushbacks++;
	a->hold = 1U << (a->pushbacks - 1);
}

/*
 * One check of a policy in mode auto: read how the cgroup fared since the
 * last check (its memory stall, its refaults, its growth), update the
 * working-set estimate, and unless it pushed back or grew, reclaim a share
 * of what it holds above min, cheapest classes first.
 */
static enum memctl_episode_end
memctl_auto_check(struct memctl_policy *p, struct mem_cgroup *memcg,
		  const struct memctl_params *pa)
{
	struct memctl_reclaim_state *rs = &p->rs;
	struct memctl_auto *a = &rs->auto_state;
	struct memctl_run r = {
		.memcg		= memcg,
		.rs		= rs,
		.classes	= pa->classes & memctl_reclaim_classes(),
		.slab_first	= pa->slab_first,
		.pressure	= pa->pressure,
		.trigger	= MEMCTL_TRIGGER_AUTO,
		/* A step can free a batch past what it asked: stop short. */
		.floor		= pa->min + MEMCTL_AUTO_ASK_MIN,
		.amount		= true,
	};
	struct memctl_memcg_counters c;
	u64 usage, refault, slab_back, ws;
	bool pushed, grew;
	s64 stall;
	int i;

	usage = (u64)page_counter_read(&memcg->memory) << PAGE_SHIFT;
	/* Nothing was left to take, and nothing changed since. */
	if (a->primed && a->dry &&
	    max(usage, a->dry_usage) - min(usage, a->dry_usage) <
	    memctl_auto_slack(a->dry_usage))
		return MEMCTL_EPISODE_DRY;
	a->dry = false;

	memctl_memcg_flush(memcg);
	memctl_memcg_read(memcg, &c);
	if (!a->primed) {
		*a = (struct memctl_auto) {
			.primed = true,
			.usage = c.usage,
			.refaults = c.refaults,
			.share = MEMCTL_AUTO_SHARE_MIN,
		};
		memctl_psi_begin(&a->psi, memctl_policy_cgroup(p));
		spin_lock(&rs->lock);
		if (!rs->stats.auto_working_set)
			rs->stats.auto_working_set = c.usage;
		spin_unlock(&rs->lock);
		return MEMCTL_EPISODE_NONE;
	}

	stall = memctl_psi_rate(&a->psi);
	refault = memctl_drop(c.refaults, a->refaults) << PAGE_SHIFT;
	a->refaults = c.refaults;
	/*
	 * Slab has no refault count: what the last run freed of it and is
	 * back already (dentries and inodes looked up again) is one.  It
	 * counts against what was saved, and holds slab back, not the other
	 * classes: the page cache pass may still have cold pages to give.
	 */
	slab_back = min(memctl_drop(c.slab_reclaimable, a->slab_after),
			a->slab_freed);
	if (slab_back > max(a->slab_freed / 8, MEMCTL_AUTO_REFAULT_MIN)) {
		if (a->slab_pushbacks < ilog2(MEMCTL_AUTO_HOLD_MAX) + 1)
			a->slab_pushbacks++;
		a->slab_hold = 1U << (a->slab_pushbacks - 1);
	} else if (a->slab_freed && a->slab_pushbacks) {
		a->slab_pushbacks--;
	}
	a->slab_freed = 0;
	pushed = stall > (s64)pa->pressure ||
		 refault > max(a->freed / 8, MEMCTL_AUTO_REFAULT_MIN);
	refault += slab_back;
	grew = c.usage > a->usage + memctl_auto_slack(a->usage) &&
	       !memctl_auto_at_limit(memcg, c.usage);
	a->usage = c.usage;
	a->freed = 0;

	/*
	 * The estimate: the least the cgroup has held and run quiet since it
	 * last pushed back or grew; after either, what it holds then.
	 */
	spin_lock(&rs->lock);
	rs->stats.auto_refaulted += refault;
	rs->stats.auto_pushbacks += pushed;
	ws = rs->stats.auto_working_set;
	rs->stats.auto_working_set = pushed || grew ? c.usage : min(ws, c.usage);
	spin_unlock(&rs->lock);

	if (pushed) {
		memctl_auto_push_back(a);
		return MEMCTL_EPISODE_NONE;
	}
	if (grew) {
		/* Never fight a workload that is growing. */
		a->share = MEMCTL_AUTO_SHARE_MIN;
		a->calm = 0;
		return MEMCTL_EPISODE_NONE;
	}
	if (a->hold) {
		a->hold--;
		return MEMCTL_EPISODE_NONE;
	}
	if (++a->calm >= MEMCTL_AUTO_CALM) {
		a->calm = 0;
		if (a->pushbacks)
			a->pushbacks--;
	}
	if (a->slab_hold) {
		a->slab_hold--;
		r.classes &= ~MEMCTL_F_CLASS_SLAB;
		if (!r.classes)
			return MEMCTL_EPISODE_NONE;
	}
	if (!r.classes || c.usage <= r.floor + MEMCTL_AUTO_ASK_MIN) {
		a->dry = true;
		a->dry_usage = c.usage;
		return MEMCTL_EPISODE_DRY;
	}
	r.asked = max(mult_frac(c.usage - pa->min, a->share, 1024),
		      MEMCTL_AUTO_ASK_MIN);
	if (!mem_cgroup_online(memcg) || memctl_reclaim_claim(p->id, NULL))
		return MEMCTL_EPISODE_NONE;
	memctl_run(&r);
	memctl_reclaim_release(p->id);

	memctl_reclaim_account(rs, &r);
	if (r.steps)
		memctl_reclaim_notify(memctl_policy_cgroup(p), &r);
	for (i = 0; i < MEMCTL_NR_CLASSES; i++)
		a->freed += r.freed[i];
	a->usage = r.usage_after;
	a->slab_freed = r.freed[MEMCTL_CLASS_SLAB];
	a->slab_after = r.cnt.slab_reclaimable;
	if (r.stop == MEMCTL_STOP_PRESSURE) {
		memctl_auto_push_back(a);
		return MEMCTL_EPISODE_DONE;
	}
	/* Near where it last pushed back, small steps; far from it, fast. */
	if (r.stop == MEMCTL_STOP_TARGET) {
		a->share = min_t(u32, a->share * 2,
				 max_t(u32, MEMCTL_AUTO_SHARE_MAX >> a->pushbacks,
				       MEMCTL_AUTO_SHARE_MIN));
		return MEMCTL_EPISODE_DONE;
	}
	if (r.dry || r.stop == MEMCTL_STOP_TIER_CAP) {
		a->share = MEMCTL_AUTO_SHARE_MIN;
		a->dry = true;
		a->dry_usage = r.usage_after;
		return MEMCTL_EPISODE_DRY;
	}
	return MEMCTL_EPISODE_DONE;
}

/*
 * Jiffies to a policy's next check.  Intervals of a second or more end on
 * a whole second, as round_jiffies() sets them: the checks of every such
 * policy come due in the same tick and one worker wake-up runs them all,
 * however many policies there are.  The cadence stays the interval.
 */
static unsigned long memctl_reclaim_delay(unsigned long ms)
{
	unsigned long j = msecs_to_jiffies(ms);

	return j >= HZ ? round_jiffies_relative(j) : j;
}

/* A policy's periodic check; never takes memctl_policy_mutex. */
static void memctl_reclaim_work(struct work_struct *work)
{
	struct memctl_reclaim_state *rs =
		container_of(to_delayed_work(work), struct memctl_reclaim_state,
			     dwork);
	struct memctl_policy *p = container_of(rs, struct memctl_policy, rs);
	struct memctl_params pa;
	enum memctl_episode_end end;
	struct mem_cgroup *memcg;
	unsigned long delay;

	memctl_policy_read(p, &pa);
	/* The cgroup's memcg now: a new one after -memory/+memory. */
	memcg = memctl_policy_memcg(p);
	if (pa.mode != MEMCTL_MODE_AUTO || !memcg)
		rs->auto_state.primed = false;
	/* Mode auto's high, when it has one, is a ceiling as in mode threshold. */
	if (memcg && pa.high &&
	    ((u64)page_counter_read(&memcg->memory) << PAGE_SHIFT) > pa.high)
		end = memctl_reclaim_episode(p, memcg, &pa);
	else if (memcg && pa.mode == MEMCTL_MODE_AUTO)
		end = memctl_auto_check(p, memcg, &pa);
	else
		end = MEMCTL_EPISODE_NONE;
	if (end == MEMCTL_EPISODE_DRY)
		rs->backoff = min(rs->backoff + 1, MEMCTL_BACKOFF_MAX);
	else
		rs->backoff = 0;
	if (memcg)
		css_put(&memcg->css);
	delay = pa.interval_ms;
	if (rs->backoff)
		delay = max_t(unsigned long, delay,
			      min_t(unsigned long, delay << rs->backoff,
				    MEMCTL_BACKOFF_CAP_MS));
	if (!READ_ONCE(rs->stopping))
		queue_delayed_work(memctl_reclaim_wq, &rs->dwork,
				   memctl_reclaim_delay(delay));
}

/**
 * memctl_reclaim_policy_init - set up the reclaim state of a new policy
 * @p: the policy, not yet in the table
 */
void memctl_reclaim_policy_init(struct memctl_policy *p)
{
	INIT_DELAYED_WORK(&p->rs.dwork, memctl_reclaim_work);
	spin_lock_init(&p->rs.lock);
	p->rs.stopping = false;
	p->rs.backoff = 0;
}

/**
 * memctl_reclaim_start - start checking a policy's cgroup
 * @p: the policy, just inserted in the table
 *
 * The first check runs at once.
 */
void memctl_reclaim_start(struct memctl_policy *p)
{
	queue_delayed_work(memctl_reclaim_wq, &p->rs.dwork, 0);
}

/**
 * memctl_reclaim_changed - a policy's fields were replaced
 * @p: the policy
 *
 * Checks again at once, so that new marks and the new interval apply now
 * rather than at the end of the old interval.
 */
void memctl_reclaim_changed(struct memctl_policy *p)
{
	if (!READ_ONCE(p->rs.stopping))
		mod_delayed_work(memctl_reclaim_wq, &p->rs.dwork, 0);
}

/**
 * memctl_reclaim_stop - stop a policy's checks and episodes, and wait
 * @p: the policy, leaving the table
 *
 * An episode in progress ends after its current step, with
 * MEMCTL_STOP_CANCELLED.  Must not be called from the policy's own work.
 */
void memctl_reclaim_stop(struct memctl_policy *p)
{
	WRITE_ONCE(p->rs.stopping, true);
	cancel_delayed_work_sync(&p->rs.dwork);
}

/**
 * memctl_reclaim_read_stats - copy a policy's reclaim counters
 * @p: the policy
 * @stats: where to copy them
 */
void memctl_reclaim_read_stats(struct memctl_policy *p,
			       struct memctl_reclaim_stats *stats)
{
	spin_lock(&p->rs.lock);
	*stats = p->rs.stats;
	spin_unlock(&p->rs.lock);
}

/**
 * memctl_reclaim_classes - the reclaim classes available on this kernel
 *
 * Return: a MEMCTL_F_CLASS_* mask.
 */
u32 memctl_reclaim_classes(void)
{
	return memctl_memcg_classes();
}

/**
 * memctl_reclaim_psi_enforced - are pressure limits enforced?
 *
 * Return: false if pressure limits are known to be ignored.
 */
bool memctl_reclaim_psi_enforced(void)
{
	return memctl_psi_enforced();
}

/**
 * memctl_reclaim_check_classes - refuse classes this kernel cannot reclaim
 * @classes: MEMCTL_F_CLASS_* asked for, known bits only
 * @attr: the attribute they came in, or NULL if they are a default
 * @extack: for the reason
 *
 * Return: 0, or -EOPNOTSUPP with a message saying why the first missing
 * class is unavailable on this kernel.
 */
int memctl_reclaim_check_classes(u32 classes, const struct nlattr *attr,
				 struct netlink_ext_ack *extack)
{
	u32 missing = classes & ~memctl_reclaim_classes();

	if (!missing)
		return 0;
	if (extack) {
		/* The reasons are constant strings, as extack keeps them. */
		extack->_msg = memctl_memcg_class_route(__ffs(missing))->why;
		extack->bad_attr = attr;
	}
	return -EOPNOTSUPP;
}

/* A one-shot reclaim: the request, then its run on the workqueue. */
struct memctl_oneshot {
	struct work_struct work;
	struct list_head node;		/* in memctl_oneshots */
	struct memctl_run r;
	struct cgroup *cgrp;		/* referenced */
	struct net *net;		/* the requester's, referenced */
	u32 portid;			/* the requester's socket */
	u32 seq;			/* the request's */
	bool cancelled;			/* socket closed, or unload */
	char path[];			/* the cgroup as the requester named it */
};

/*
 * The one-shots queued or running; memctl_oneshot_closing refuses new ones
 * from the start of the module's unload.  Both under memctl_oneshot_lock.
 */
static DEFINE_MUTEX(memctl_oneshot_lock);
static LIST_HEAD(memctl_oneshots);
static unsigned int memctl_oneshot_count;
static bool memctl_oneshot_closing;
static DECLARE_WAIT_QUEUE_HEAD(memctl_oneshot_drained);

static void memctl_oneshot_cancel(struct memctl_oneshot *o)
{
	lockdep_assert_held(&memctl_oneshot_lock);
	WRITE_ONCE(o->cancelled, true);
	/* A job waiting for its cgroup sleeps there. */
	wake_up_all(&memctl_reclaim_waitq);
}

/*
 * The answer to a one-shot: a MEMCTL_CMD_RECLAIM message to the requesting
 * socket, with the request's sequence number, sent from the worker once the
 * run ended.  The cgroup's path is the one the request resolved, as the
 * requester sees it.  If it cannot be sent (the socket is gone or its
 * receive buffer is full, which the reader then sees as ENOBUFS), nothing
 * else can be done: the event carries the same figures.
 */
static void memctl_oneshot_reply(struct memctl_oneshot *o)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(memctl_reclaim_msg_size(o->path), GFP_KERNEL);
	if (!msg)
		return;
	hdr = memctl_nl_answer_put(msg, o->portid, o->seq, MEMCTL_CMD_RECLAIM);
	if (!hdr || memctl_reclaim_fill(msg, o->cgrp, o->path, &o->r)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_unicast(o->net, msg, o->portid);
}

static void memctl_oneshot_free(struct memctl_oneshot *o)
{
	css_put(&o->r.memcg->css);
	cgroup_put(o->cgrp);
	put_net(o->net);
	kfree(o);
}

static void memctl_oneshot_work(struct work_struct *work)
{
	struct memctl_oneshot *o = container_of(work, struct memctl_oneshot,
						work);
	u64 id = cgroup_id(o->cgrp);

	if (!memctl_reclaim_claim(id, &o->cancelled)) {
		memctl_run(&o->r);
		memctl_reclaim_release(id);
		memctl_reclaim_notify(o->cgrp, &o->r);
	} else {
		/* Cancelled (or no memory) before it could start. */
		o->r.stop = MEMCTL_STOP_CANCELLED;
	}
	memctl_oneshot_reply(o);

	mutex_lock(&memctl_oneshot_lock);
	list_del(&o->node);
	if (!--memctl_oneshot_count)
		wake_up_all(&memctl_oneshot_drained);
	mutex_unlock(&memctl_oneshot_lock);
	memctl_oneshot_free(o);
}

/**
 * memctl_reclaim_socket_closed - cancel the one-shots of a closed socket
 * @net: the socket's network namespace
 * @portid: its port id
 *
 * From netlink.c's NETLINK_URELEASE notifier.
 */
void memctl_reclaim_socket_closed(struct net *net, u32 portid)
{
	struct memctl_oneshot *o;

	mutex_lock(&memctl_oneshot_lock);
	list_for_each_entry(o, &memctl_oneshots, node)
		if (o->portid == portid && net_eq(o->net, net))
			memctl_oneshot_cancel(o);
	mutex_unlock(&memctl_oneshot_lock);
}

/**
 * memctl_reclaim_doit - MEMCTL_CMD_RECLAIM: reclaim from a cgroup now
 * @skb: the request
 * @info: its attributes
 *
 * Frees up to MEMCTL_A_RECLAIM_BYTES from the named cgroup (with or without
 * a policy) through the passes of the classes asked for, and answers with
 * what each class freed.  With classes slab alone, only the memcg-aware
 * shrinkers of that cgroup and its descendants run.  The run waits for a
 * run already reclaiming the same cgroup.  It stops with
 * MEMCTL_STOP_NO_PROGRESS when the classes have nothing left, or after
 * freeing twice the cgroup's usage at the start (a workload that refills
 * as fast), and at the bounds of every run.  The pressure limit of a
 * policy does not apply: the caller asked for it.
 *
 * The handler checks the request and queues the run: the request's ack
 * (or error) comes at once, the MEMCTL_CMD_RECLAIM answer with the same
 * sequence number when the run ends.  Closing the socket cancels it.
 *
 * Return: 0 (queued) or a negative errno, with nothing reclaimed.
 */
int memctl_reclaim_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *cattr = info->attrs[MEMCTL_A_RECLAIM_CLASSES];
	struct nlattr **attrs = info->attrs;
	struct memctl_oneshot *o;
	struct cgroup *cgrp;
	char *buf, *path;
	u32 classes;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MEMCTL_A_RECLAIM_BYTES)) {
		GENL_SET_ERR_MSG(info, "bytes is required: how much to reclaim");
		return -EINVAL;
	}
	if (cattr) {
		classes = nla_get_u32(cattr);
		if (classes & ~__MEMCTL_F_CLASS_ALL) {
			NL_SET_ERR_MSG_ATTR(info->extack, cattr,
					    "unknown reclaim class in classes");
			return -EOPNOTSUPP;
		}
	} else {
		/* The default takes what this kernel has of slab and file. */
		classes = MEMCTL_CLASSES_DEFAULT & memctl_reclaim_classes() ?:
			  MEMCTL_CLASSES_DEFAULT;
	}
	err = memctl_reclaim_check_classes(classes, cattr, info->extack);
	if (err)
		return err;

	cgrp = memctl_cgroup_get(attrs, MEMCTL_A_RECLAIM_CGROUP_PATH,
				 MEMCTL_A_RECLAIM_CGROUP_ID, info->extack);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	if (!cgroup_parent(cgrp)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[MEMCTL_A_RECLAIM_CGROUP_PATH] ?:
				    attrs[MEMCTL_A_RECLAIM_CGROUP_ID],
				    "memctl does not reclaim the root cgroup: name a child cgroup");
		err = -EINVAL;
		goto out_put_cgroup;
	}

	err = -ENOMEM;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		goto out_put_cgroup;
	path = memctl_cgroup_path(cgrp, buf, PATH_MAX);
	if (!path) {
		kfree(buf);
		err = -ENAMETOOLONG;
		goto out_put_cgroup;
	}
	o = kzalloc(struct_size(o, path, strlen(path) + 1), GFP_KERNEL);
	if (o)
		strcpy(o->path, path);
	kfree(buf);
	if (!o)
		goto out_put_cgroup;

	INIT_WORK(&o->work, memctl_oneshot_work);
	o->cgrp = cgrp;
	o->net = get_net(genl_info_net(info));
	o->portid = info->snd_portid;
	o->seq = info->snd_seq;
	o->r.trigger = MEMCTL_TRIGGER_ONESHOT;
	o->r.classes = classes;
	o->r.asked = nla_get_u64(attrs[MEMCTL_A_RECLAIM_BYTES]);
	o->r.cancel = &o->cancelled;
	o->r.memcg = mem_cgroup_from_css(cgroup_get_e_css(cgrp,
							  &memory_cgrp_subsys));

	mutex_lock(&memctl_oneshot_lock);
	if (memctl_oneshot_closing) {
		err = -ESHUTDOWN;
		GENL_SET_ERR_MSG(info, "memctl is being unloaded");
	} else if (memctl_oneshot_count >= MEMCTL_ONESHOT_MAX) {
		err = -EBUSY;
		GENL_SET_ERR_MSG(info,
				 "too many one-shot reclaims in flight (64): wait for one to end");
	} else {
		err = 0;
		list_add_tail(&o->node, &memctl_oneshots);
		memctl_oneshot_count++;
		queue_work(memctl_reclaim_wq, &o->work);
	}
	mutex_unlock(&memctl_oneshot_lock);
	if (err)
		memctl_oneshot_free(o);
	return err;

out_put_cgroup:
	cgroup_put(cgrp);
	return err;
}

/**
 * memctl_reclaim_shutdown - cancel every one-shot and wait for them
 *
 * The first step of the module's unload, while the family is still
 * registered: each job answers its requester (stop reason cancelled)
 * before the family goes; a RECLAIM request after this is refused.
 */
void memctl_reclaim_shutdown(void)
{
	struct memctl_oneshot *o;

	mutex_lock(&memctl_oneshot_lock);
	memctl_oneshot_closing = true;
	list_for_each_entry(o, &memctl_oneshots, node)
		memctl_oneshot_cancel(o);
	mutex_unlock(&memctl_oneshot_lock);
	wait_event(memctl_oneshot_drained, !READ_ONCE(memctl_oneshot_count));
}

/**
 * memctl_reclaim_init - create the engine's workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int memctl_reclaim_init(void)
{
	/* Unbound: episodes are long; reclaim: they must progress under pressure. */
	memctl_reclaim_wq = alloc_workqueue("memctl_reclaim",
					    WQ_UNBOUND | WQ_FREEZABLE |
					    WQ_MEM_RECLAIM, 0);
	if (!memctl_reclaim_wq)
		return -ENOMEM;
	return 0;
}

/**
 * memctl_reclaim_exit - destroy the engine's workqueue
 *
 * Every one-shot has ended (memctl_reclaim_shutdown()), every policy has
 * been stopped (memctl_policy_exit()) and no request is in flight
 * (memctl_netlink_exit()).
 */
void memctl_reclaim_exit(void)
{
	destroy_workqueue(memctl_reclaim_wq);
	xa_destroy(&memctl_reclaim_busy);
}
