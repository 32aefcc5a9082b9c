// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy table: one entry per cgroup, keyed by the cgroup's id.
 *
 * Readers (netlink GET and dumps, the reclaim engine) look entries up under
 * RCU and take a reference.  Writers (POLICY_SET, POLICY_DEL, the reaper that
 * drops policies of removed cgroups, module unload) serialize on
 * memctl_policy_mutex.  A policy holds a reference on its memory cgroup's css
 * so the memcg cannot go away under it; the reaper gives that reference back
 * as soon as the cgroup is removed, so a policy never pins a dead cgroup for
 * long and a new cgroup never inherits an old policy (cgroup ids are never
 * reused: their upper half is a generation number).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "memctl.h"
#include "cgroup.h"
#include "netlink.h"
#include "policy.h"

/* How often the reaper looks for removed cgroups when the tracepoint is absent. */
#define MEMCTL_REAP_FALLBACK_MS	2000

/* cgroup id -> struct memctl_policy; entries change under memctl_policy_mutex. */
static DEFINE_XARRAY(memctl_policies);

/*
 * Serializes every change of the table and protects memctl_policy_nr.
 * Notifications are sent under it, so listeners see changes in the order
 * they were made.
 */
static DEFINE_MUTEX(memctl_policy_mutex);
static unsigned int memctl_policy_nr;

/* Bumped on every change; dumps use it to flag an inconsistent walk. */
static atomic_t memctl_policy_gen = ATOMIC_INIT(1);

static struct tracepoint *memctl_rmdir_tp;
static void memctl_policy_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(memctl_reap_work, memctl_policy_reap);

void memctl_params_default(struct memctl_params *p)
{
	*p = (struct memctl_params) {
		.interval_ms = MEMCTL_INTERVAL_DEFAULT,
		.classes = MEMCTL_CLASSES_DEFAULT,
		.slab_first = MEMCTL_SLAB_FIRST_DEFAULT,
	};
}

static bool memctl_cgroup_online(struct cgroup *cgrp)
{
	return READ_ONCE(cgrp->self.flags) & CSS_ONLINE;
}

struct cgroup *memctl_policy_cgroup(const struct memctl_policy *p)
{
	return p->cgrp;
}

/**
 * memctl_policy_memcg - the memory cgroup of a policy's cgroup, now
 * @p: the policy
 *
 * Looked up at each use: when the parent's subtree_control drops and adds
 * +memory again, the cgroup gets a new memcg, and the old one must be
 * neither used nor pinned.
 *
 * Return: the memcg with a reference (css_put() its css), or NULL while
 * the memory controller is not enabled for the cgroup.
 */
struct mem_cgroup *memctl_policy_memcg(struct memctl_policy *p)
{
	struct cgroup_subsys_state *css;

	css = cgroup_get_e_css(p->cgrp, &memory_cgrp_subsys);
	if (css->cgroup != p->cgrp) {
		css_put(css);
		return NULL;
	}
	return mem_cgroup_from_css(css);
}

static void memctl_policy_release(struct kref *ref)
{
	struct memctl_policy *p = container_of(ref, struct memctl_policy, ref);

	cgroup_put(p->cgrp);
	/* RCU readers may still be looking at p->ref. */
	kfree_rcu(p, rcu);
}

void memctl_policy_put(struct memctl_policy *p)
{
	if (p)
		kref_put(&p->ref, memctl_policy_release);
}

/**
 * memctl_policy_lookup - find the policy of a cgroup
 * @id: cgroup id
 *
 * Return: the policy with a reference the caller drops with
 * memctl_policy_put(), or NULL.
 */
struct memctl_policy *memctl_policy_lookup(u64 id)
{
	struct memctl_policy *p;

	rcu_read_lock();
	p = xa_load(&memctl_policies, id);
	if (p && !kref_get_unless_zero(&p->ref))
		p = NULL;
	rcu_read_unlock();
	return p;
}

/**
 * memctl_policy_next - walk the table in cgroup id order
 * @index: where to start; on return, the id of the policy returned
 *
 * Return: the first policy at or after *@index, with a reference, or NULL.
 */
struct memctl_policy *memctl_policy_next(unsigned long *index)
{
	struct memctl_policy *p;

	rcu_read_lock();
	for (;;) {
		p = xa_find(&memctl_policies, index, ULONG_MAX, XA_PRESENT);
		if (!p || kref_get_unless_zero(&p->ref))
			break;
		if (*index == ULONG_MAX) {
			p = NULL;
			break;
		}
		(*index)++;
	}
	rcu_read_unlock();
	return p;
}

/**
 * memctl_policy_read - copy a policy's fields out, consistently
 * @p: the policy
 * @params: where to copy them
 */
void memctl_policy_read(struct memctl_policy *p, struct memctl_params *params)
{
	spin_lock(&p->lock);
	*params = p->params;
	spin_unlock(&p->lock);
}

u32 memctl_policy_generation(void)
{
	return atomic_read(&memctl_policy_gen);
}

/**
 * memctl_policy_count_tier_refusal - the tier refused a store by the
 * policy of cgroup @id (its tier off or tier-max)
 * @id: cgroup id
 *
 * For the tier's store path: no reference taken, nothing that sleeps.
 */
void memctl_policy_count_tier_refusal(u64 id)
{
	struct memctl_policy *p;

	/* A policy is freed after a grace period (kfree_rcu()). */
	rcu_read_lock();
	p = xa_load(&memctl_policies, id);
	if (p)
		atomic64_inc(&p->tier_cap_refusals);
	rcu_read_unlock();
}

unsigned int memctl_policy_count(void)
{
	return READ_ONCE(memctl_policy_nr);
}

/* Takes the entry out of the table and drops the table's reference. */
static void memctl_policy_remove_locked(struct memctl_policy *p, u32 event)
{
	lockdep_assert_held(&memctl_policy_mutex);

	xa_erase(&memctl_policies, p->id);
	memctl_policy_nr--;
	atomic_inc(&memctl_policy_gen);
	/* Waits for an episode in progress; the worker never takes the mutex. */
	memctl_reclaim_stop(p);
	memctl_nl_policy_notify(p, event);
	memctl_policy_put(p);
}

/**
 * memctl_policy_kick_reaper - look for removed cgroups soon
 *
 * Without the cgroup_rmdir tracepoint the reaper polls; this starts it
 * after the first policy is created.
 */
static void memctl_policy_kick_reaper(void)
{
	if (!memctl_rmdir_tp)
		mod_delayed_work(system_wq, &memctl_reap_work,
				 msecs_to_jiffies(MEMCTL_REAP_FALLBACK_MS));
}

/**
 * memctl_policy_set - create or replace the policy of a cgroup
 * @cgrp: the cgroup, online, with the memory controller enabled
 * @params: the new fields, already validated
 * @extack: for the reason of a refusal
 *
 * A replace swaps all fields at once: readers see the old policy or the new
 * one, never a mix.  The reclaim counters of a replaced policy are kept.
 *
 * Return: MEMCTL_POLICY_EVENT_CREATED or MEMCTL_POLICY_EVENT_CHANGED, or a
 * negative errno with the table unchanged.
 */
int memctl_policy_set(struct cgroup *cgrp, const struct memctl_params *params,
		      struct netlink_ext_ack *extack)
{
	struct memctl_policy *p, *old;
	u64 id = cgroup_id(cgrp);
	int err;

	mutex_lock(&memctl_policy_mutex);
	old = xa_load(&memctl_policies, id);
	if (old) {
		spin_lock(&old->lock);
		old->params = *params;
		spin_unlock(&old->lock);
		memctl_reclaim_changed(old);
		atomic_inc(&memctl_policy_gen);
		memctl_nl_policy_notify(old, MEMCTL_POLICY_EVENT_CHANGED);
		mutex_unlock(&memctl_policy_mutex);
		return MEMCTL_POLICY_EVENT_CHANGED;
	}

	if (memctl_policy_nr >= memctl_max_policies) {
		NL_SET_ERR_MSG(extack,
			       "policy table is full (module parameter max_policies)");
		err = -ENOSPC;
		goto out_unlock;
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		err = -ENOMEM;
		goto out_unlock;
	}
	cgroup_get(cgrp);
	p->id = id;
	p->cgrp = cgrp;
	kref_init(&p->ref);
	spin_lock_init(&p->lock);
	p->params = *params;
	memctl_reclaim_policy_init(p);
	err = xa_insert(&memctl_policies, id, p, GFP_KERNEL);
	if (err)
		goto out_put;
	memctl_policy_nr++;
	atomic_inc(&memctl_policy_gen);

	/*
	 * The cgroup may have been removed since the caller looked it up; its
	 * rmdir either saw this entry and queued the reaper, or cleared
	 * CSS_ONLINE before the entry became visible, which we see here.
	 */
	smp_mb();
	if (!memctl_cgroup_online(cgrp)) {
		xa_erase(&memctl_policies, id);
		memctl_policy_nr--;
		NL_SET_ERR_MSG(extack, "the cgroup was removed");
		err = -ENOENT;
		goto out_put;
	}

	memctl_reclaim_start(p);
	memctl_nl_policy_notify(p, MEMCTL_POLICY_EVENT_CREATED);
	memctl_policy_kick_reaper();
	mutex_unlock(&memctl_policy_mutex);
	return MEMCTL_POLICY_EVENT_CREATED;

out_put:
	memctl_policy_put(p);
out_unlock:
	mutex_unlock(&memctl_policy_mutex);
	return err;
}

/**
 * memctl_policy_del - delete the policy of a cgroup
 * @id: cgroup id
 *
 * Return: 0, or -ENOENT when the cgroup has no policy.
 */
int memctl_policy_del(u64 id)
{
	struct memctl_policy *p;
	int err = -ENOENT;

	mutex_lock(&memctl_policy_mutex);
	p = xa_load(&memctl_policies, id);
	if (p) {
		memctl_policy_remove_locked(p, MEMCTL_POLICY_EVENT_DELETED);
		err = 0;
	}
	mutex_unlock(&memctl_policy_mutex);
	return err;
}

/* Drops the policies of cgroups that were removed. */
static void memctl_policy_reap(struct work_struct *work)
{
	struct memctl_policy *p;
	unsigned long id;

	mutex_lock(&memctl_policy_mutex);
	xa_for_each(&memctl_policies, id, p) {
		if (!memctl_cgroup_online(memctl_policy_cgroup(p)))
			memctl_policy_remove_locked(p,
					MEMCTL_POLICY_EVENT_CGROUP_REMOVED);
	}
	if (!memctl_rmdir_tp && memctl_policy_nr)
		schedule_delayed_work(&memctl_reap_work,
				      msecs_to_jiffies(MEMCTL_REAP_FALLBACK_MS));
	mutex_unlock(&memctl_policy_mutex);
}

/*
 * Runs in rmdir's context, under a spinlock with interrupts off: only look,
 * and leave the work to the reaper.
 */
static void memctl_cgroup_rmdir_probe(void *data, struct cgroup *cgrp,
				      const char *path)
{
	if (xa_load(&memctl_policies, cgroup_id(cgrp)))
		mod_delayed_work(system_wq, &memctl_reap_work, 0);
}

static void memctl_find_rmdir_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "cgroup_rmdir"))
		*(struct tracepoint **)priv = tp;
}

int memctl_policy_init(void)
{
	struct tracepoint *tp = NULL;
	int err;

	for_each_kernel_tracepoint(memctl_find_rmdir_tp, &tp);
	if (!tp) {
		pr_warn("no cgroup_rmdir tracepoint; polling for removed cgroups every %u ms\n",
			MEMCTL_REAP_FALLBACK_MS);
		return 0;
	}
	err = tracepoint_probe_register(tp, memctl_cgroup_rmdir_probe, NULL);
	if (err) {
		pr_warn("cgroup_rmdir tracepoint: %d; polling for removed cgroups every %u ms\n",
			err, MEMCTL_REAP_FALLBACK_MS);
		return 0;
	}
	memctl_rmdir_tp = tp;
	return 0;
}

void memctl_policy_exit(void)
{
	struct memctl_policy *p;
	unsigned long id;

	if (memctl_rmdir_tp) {
		tracepoint_probe_unregister(memctl_rmdir_tp,
					    memctl_cgroup_rmdir_probe, NULL);
		tracepoint_synchronize_unregister();
		memctl_rmdir_tp = NULL;
	}
	cancel_delayed_work_sync(&memctl_reap_work);

	mutex_lock(&memctl_policy_mutex);
	xa_for_each(&memctl_policies, id, p) {
		xa_erase(&memctl_policies, id);
		memctl_policy_nr--;
		memctl_reclaim_stop(p);
		memctl_policy_put(p);
	}
	mutex_unlock(&memctl_policy_mutex);
	/* Wait for the kfree_rcu() of the last policies. */
	rcu_barrier();
}
