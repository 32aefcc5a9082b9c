// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compressed tier's netlink side: TIER_SET, TIER_GET and TIER_DEL, the
 * tier attributes of STATS_GET, and the TIER_NTF events.
 *
 * Rules:
 *  - Stores raise FULL and CAP_EXCEEDED, at most one of each per
 *    MEMCTL_TIER_EVENT_INTERVAL (CAP_EXCEEDED per cgroup); a work item sends
 *    them from process context.  A queued CAP_EXCEEDED holds a reference on
 *    its owner record.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cgroup.h>
#include <linux/jiffies.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "memctl.h"
#include "handlers.h"
#include "netlink.h"
#include "tier.h"
#include "tier_backing.h"
#include "tier_comp.h"
#include "tier_internal.h"
#include "tier_zs.h"

/* Notifications that stores raise, sent from process context. */
enum {
	MEMCTL_EV_PENDING,	/* ev_flags: queued */
	MEMCTL_EV_FULL,		/* memctl_tier_ev_flags: FULL is due */
};

static unsigned long memctl_tier_ev_flags;
static unsigned long memctl_tier_full_stamp;
static LLIST_HEAD(memctl_tier_ev_owners);
static void memctl_tier_ev_workfn(struct work_struct *work);
static DECLARE_WORK(memctl_tier_ev_work, memctl_tier_ev_workfn);

/* Events */

/**
 * memctl_tier_raise_full - a store found no room
 *
 * Queues FULL, at most one per interval.
 */
void memctl_tier_raise_full(void)
{
	if (time_before(jiffies, READ_ONCE(memctl_tier_full_stamp) +
				 MEMCTL_TIER_EVENT_INTERVAL))
		return;
	WRITE_ONCE(memctl_tier_full_stamp, jiffies);
	if (!test_and_set_bit(MEMCTL_EV_FULL, &memctl_tier_ev_flags))
		schedule_work(&memctl_tier_ev_work);
}

/**
 * memctl_tier_raise_cap_exceeded - a store took an owner past its cap
 * @o: the owner record, kept alive by the caller
 *
 * Queues CAP_EXCEEDED for @o's cgroup, at most one per interval; the queue
 * takes a reference on @o.
 */
void memctl_tier_raise_cap_exceeded(struct memctl_tier_owner *o)
{
	if (time_before(jiffies, READ_ONCE(o->ev_stamp) +
				 MEMCTL_TIER_EVENT_INTERVAL))
		return;
	if (test_and_set_bit(MEMCTL_EV_PENDING, &o->ev_flags))
		return;
	WRITE_ONCE(o->ev_stamp, jiffies);
	refcount_inc(&o->ref);
	llist_add(&o->ev_node, &memctl_tier_ev_owners);
	schedule_work(&memctl_tier_ev_work);
}

/**
 * memctl_tier_events_flush - wait until the events raised so far are sent
 */
void memctl_tier_events_flush(void)
{
	flush_work(&memctl_tier_ev_work);
}

/* Messages */

static int memctl_tier_put_u64(struct sk_buff *skb, int attr, atomic64_t *v)
{
	return nla_put_u64_64bit(skb, attr, atomic64_read(v), MEMCTL_A_TIER_PAD);
}

/* The backing device's attributes. */
static int memctl_tier_fill_backing(struct sk_buff *skb,
				    struct memctl_backing *b)
{
	if (nla_put_string(skb, MEMCTL_A_TIER_BACKING, b->path) ||
	    nla_put_u32(skb, MEMCTL_A_TIER_BACKING_AGE, b->age) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_TIER_BACKING_LIMIT, b->limit,
			      MEMCTL_A_TIER_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_TIER_BACKING_SIZE,
			      (u64)b->nr_pages << PAGE_SHIFT,
			      MEMCTL_A_TIER_PAD) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_BACKING_PAGES, &b->pages) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_BACKING_WRITTEN_BYTES,
				&b->written_bytes) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_BACKING_READ_BYTES,
				&b->read_bytes) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_BACKING_FAILED_WRITES,
				&b->failed_writes) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_BACKING_FAILED_READS,
				&b->failed_reads) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_BACKING_LIMIT_STOPS,
				&b->limit_stops))
		return -EMSGSIZE;
	return 0;
}

/* The tier's attributes: under memctl_tier_mutex or RCU. */
static int memctl_tier_fill(struct sk_buff *skb, struct memctl_tier *t)
{
	struct memctl_tier_stats *st = &t->stats;

	if (nla_put_string(skb, MEMCTL_A_TIER_DEVICE, MEMCTL_TIER_DEVICE_NAME) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_TIER_SIZE, t->size,
			      MEMCTL_A_TIER_PAD) ||
	    nla_put_string(skb, MEMCTL_A_TIER_ALGO, t->comp->algo->name) ||
	    nla_put_u8(skb, MEMCTL_A_TIER_IN_USE, !!atomic_read(&t->openers)) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_STORED_PAGES,
				&st->stored_pages) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_COMPRESSED_BYTES,
				&st->compressed_bytes) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_TIER_POOL_BYTES,
			      (u64)zs_get_total_pages(t->pool) << PAGE_SHIFT,
			      MEMCTL_A_TIER_PAD) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_SAME_FILLED_PAGES,
				&st->same_filled_pages) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_HUGE_PAGES,
				&st->huge_pages) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_STORES, &st->stores) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_LOADS, &st->loads) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_FAILED_STORES,
				&st->failed_stores) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_FAILED_LOADS,
				&st->failed_loads) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_DISCARDS, &st->discards))
		return -EMSGSIZE;
	return t->backing ? memctl_tier_fill_backing(skb, t->backing) : 0;
}

struct memctl_tier_ntf {
	struct memctl_tier *t;	/* or NULL: the current tier, if any */
	u32 event;
	u64 cgroup_id;		/* of a per-cgroup event, or 0 */
};

static int memctl_tier_event_fill(struct sk_buff *skb, const char *path,
				  void *arg)
{
	const struct memctl_tier_ntf *e = arg;
	struct memctl_tier *t;
	int err;

	if (nla_put_u32(skb, MEMCTL_A_TIER_EVENT, e->event) ||
	    (path && nla_put_string(skb, MEMCTL_A_TIER_CGROUP_PATH, path)) ||
	    (e->cgroup_id &&
	     nla_put_u64_64bit(skb, MEMCTL_A_TIER_CGROUP_ID, e->cgroup_id,
			       MEMCTL_A_TIER_PAD)))
		return -EMSGSIZE;
	if (e->t)
		return memctl_tier_fill(skb, e->t);
	rcu_read_lock();
	t = rcu_dereference(memctl_tier_cur);
	err = t ? memctl_tier_fill(skb, t) : -ENODEV;
	rcu_read_unlock();
	return err;
}

/*
 * Sends a TIER_NTF about @t, or, when @t is NULL, about the current tier if
 * there is one; @cgroup_id names the cgroup of a per-cgroup event, or is 0.
 * Process context.
 */
static void memctl_tier_notify(struct memctl_tier *t, u32 event,
			       u64 cgroup_id)
{
	struct memctl_tier_ntf e = {
		.t = t, .event = event, .cgroup_id = cgroup_id,
	};
	struct cgroup *cgrp = NULL;

	/* The cgroup may be gone (an ERR_PTR): then the event has its id only. */
	if (cgroup_id)
		cgrp = cgroup_get_from_id(cgroup_id);
	memctl_nl_event(cgrp, MEMCTL_CMD_TIER_NTF, NLMSG_DEFAULT_SIZE,
			memctl_tier_event_fill, &e);
	if (!IS_ERR_OR_NULL(cgrp))
		cgroup_put(cgrp);
}

static void memctl_tier_ev_workfn(struct work_struct *work)
{
	struct memctl_tier_owner *o, *next;
	struct llist_node *list;

	if (test_and_clear_bit(MEMCTL_EV_FULL, &memctl_tier_ev_flags))
		memctl_tier_notify(NULL, MEMCTL_TIER_EVENT_FULL, 0);

	list = llist_del_all(&memctl_tier_ev_owners);
	llist_for_each_entry_safe(o, next, list, ev_node) {
		clear_bit(MEMCTL_EV_PENDING, &o->ev_flags);
		memctl_tier_notify(NULL, MEMCTL_TIER_EVENT_CAP_EXCEEDED, o->id);
		memctl_owner_put(o);
	}
}

/* Commands */

/**
 * memctl_nl_tier_set_doit - MEMCTL_CMD_TIER_SET: create /dev/memctl0
 * @skb: the request
 * @info: its attributes, validated by the family's policy
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memctl_nl_tier_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *algo_attr = info->attrs[MEMCTL_A_TIER_ALGO];
	struct nlattr *backing_attr = info->attrs[MEMCTL_A_TIER_BACKING];
	struct nlattr *age_attr = info->attrs[MEMCTL_A_TIER_BACKING_AGE];
	struct nlattr *limit_attr = info->attrs[MEMCTL_A_TIER_BACKING_LIMIT];
	const struct memctl_comp_algo *algo;
	struct memctl_backing *backing = NULL;
	struct memctl_tier *t;
	u64 size;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, MEMCTL_A_TIER_SIZE)) {
		GENL_SET_ERR_MSG(info, "size is required: bytes of swap the tier offers");
		return -EINVAL;
	}
	size = PAGE_ALIGN(nla_get_u64(info->attrs[MEMCTL_A_TIER_SIZE]));
	algo = memctl_comp_find(algo_attr ? nla_data(algo_attr) : "lz4");
	if (!algo) {
		NL_SET_ERR_MSG_ATTR(info->extack, algo_attr,
				    "unknown compressor: use lz4, lzo-rle, zstd, lzo, lz4hc or deflate");
		return -EINVAL;
	}
	if (!backing_attr && (age_attr || limit_attr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, age_attr ?: limit_attr,
				    "backing-age and backing-limit need a backing device");
		return -EINVAL;
	}

	mutex_lock(&memctl_tier_mutex);
	if (rcu_access_pointer(memctl_tier_cur)) {
		GENL_SET_ERR_MSG(info,
				 "the tier exists already: delete it first (TIER_DEL)");
		err = -EEXIST;
		goto out_unlock;
	}
	if (backing_attr) {
		backing = memctl_backing_open(nla_data(backing_attr),
					      age_attr ? nla_get_u32(age_attr) :
					      MEMCTL_BACKING_AGE_DEFAULT,
					      limit_attr ?
					      nla_get_u64(limit_attr) : 0,
					      backing_attr, info->extack);
		if (IS_ERR(backing)) {
			err = PTR_ERR(backing);
			goto out_unlock;
		}
	}
	t = memctl_tier_create(size, algo, algo_attr, backing, info->extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		if (backing)
			memctl_backing_close(backing);
		goto out_unlock;
	}
	rcu_assign_pointer(memctl_tier_cur, t);
	memctl_tier_notify(t, MEMCTL_TIER_EVENT_CREATED, 0);
out_unlock:
	mutex_unlock(&memctl_tier_mutex);
	return err;
}

/**
 * memctl_nl_tier_get_doit - MEMCTL_CMD_TIER_GET: the tier and its counters
 * @skb: the request
 * @info: the request's info
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memctl_nl_tier_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct memctl_tier *t;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&memctl_tier_mutex);
	t = rcu_dereference_protected(memctl_tier_cur,
				      lockdep_is_held(&memctl_tier_mutex));
	if (!t) {
		GENL_SET_ERR_MSG(info, "there is no tier: create it with TIER_SET");
		err = -ENOENT;
		goto err_unlock;
	}
	err = -EMSGSIZE;
	hdr = memctl_nl_reply_put(msg, info, MEMCTL_CMD_TIER_GET);
	if (!hdr || memctl_tier_fill(msg, t))
		goto err_unlock;
	mutex_unlock(&memctl_tier_mutex);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&memctl_tier_mutex);
	nlmsg_free(msg);
	return err;
}

/**
 * memctl_nl_tier_del_doit - MEMCTL_CMD_TIER_DEL: delete /dev/memctl0
 * @skb: the request
 * @info: the request's info
 *
 * Refused with -EBUSY while the device is open (swapped on).
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memctl_nl_tier_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct memctl_tier *t;
	int err;

	mutex_lock(&memctl_tier_mutex);
	t = rcu_dereference_protected(memctl_tier_cur,
				      lockdep_is_held(&memctl_tier_mutex));
	if (!t) {
		GENL_SET_ERR_MSG(info, "there is no tier to delete");
		err = -ENOENT;
		goto out_unlock;
	}
	err = memctl_tier_claim(t);
	if (err) {
		GENL_SET_ERR_MSG(info,
				 "the tier's device is open (swapped on?): swapoff it first");
		goto out_unlock;
	}
	RCU_INIT_POINTER(memctl_tier_cur, NULL);
	memctl_tier_notify(t, MEMCTL_TIER_EVENT_DELETED, 0);
	memctl_tier_destroy(t);
out_unlock:
	mutex_unlock(&memctl_tier_mutex);
	return err;
}

/**
 * memctl_nl_tier_writeback_doit - MEMCTL_CMD_TIER_WRITEBACK: write back now
 * @skb: the request
 * @info: its attributes, validated by the family's policy
 *
 * Holds memctl_tier_mutex for the pass: the tier cannot go meanwhile.
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memctl_nl_tier_writeback_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct memctl_tier *t;
	struct sk_buff *msg;
	u64 written = 0;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MEMCTL_A_TIER_WRITEBACK)) {
		GENL_SET_ERR_MSG(info, "writeback: which pages (idle, huge or all) is required");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&memctl_tier_mutex);
	t = rcu_dereference_protected(memctl_tier_cur,
				      lockdep_is_held(&memctl_tier_mutex));
	err = -ENOENT;
	if (!t) {
		GENL_SET_ERR_MSG(info, "there is no tier: create it with TIER_SET");
		goto err_unlock;
	}
	err = -ENODEV;
	if (!t->backing) {
		GENL_SET_ERR_MSG(info, "the tier has no backing device");
		goto err_unlock;
	}
	err = memctl_tier_writeback(t,
				    nla_get_u32(info->attrs[MEMCTL_A_TIER_WRITEBACK]),
				    false, &written);
	if (err == -EDQUOT) {
		GENL_SET_ERR_MSG(info, "the backing device's daily write limit is reached");
		goto err_unlock;
	} else if (err == -ENOSPC) {
		GENL_SET_ERR_MSG(info, "the backing device is full");
		goto err_unlock;
	} else if (err) {
		goto err_unlock;
	}
	err = -EMSGSIZE;
	hdr = memctl_nl_reply_put(msg, info, MEMCTL_CMD_TIER_WRITEBACK);
	if (!hdr || nla_put_u64_64bit(msg, MEMCTL_A_TIER_WRITEBACK_PAGES,
				      written, MEMCTL_A_TIER_PAD))
		goto err_unlock;
	mutex_unlock(&memctl_tier_mutex);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&memctl_tier_mutex);
	nlmsg_free(msg);
	return err;
}

/**
 * memctl_tier_fill_stats - the MEMCTL_A_STATS_TIER_* of a cgroup
 * @skb: the STATS_GET reply or dump message
 * @cgroup_id: the cgroup
 * @tier_max: its policy's cap, 0 for none, to report the overage
 *
 * Puts every tier attribute of the stats set but CAP_STOPS, which the
 * reclaim engine counts.  All are present, zero when there is no tier.
 *
 * Return: 0 or -EMSGSIZE.
 */
int memctl_tier_fill_stats(struct sk_buff *skb, u64 cgroup_id, u64 tier_max)
{
	struct memctl_tier_cg_stats st;
	u64 over;

	memctl_tier_cgroup_stats(cgroup_id, &st);
	over = tier_max && st.compressed_bytes > tier_max ?
	       st.compressed_bytes - tier_max : 0;
	if (nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_STORED_PAGES,
			      st.stored_pages, MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_COMPRESSED_BYTES,
			      st.compressed_bytes, MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES,
			      st.same_filled_pages, MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_STORES, st.stores,
			      MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_LOADS, st.loads,
			      MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_OVERAGE, over,
			      MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_BACKING_PAGES,
			      st.backing_pages, MEMCTL_A_STATS_PAD))
		return -EMSGSIZE;
	return 0;
}

