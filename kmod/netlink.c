// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "memctl" generic netlink family: validation, permissions, and the
 * commands of the policy table.  Other parts of the module add their own
 * commands' handlers (declared in their headers); the family, its operation
 * table and every attribute policy live here, in one place.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/memcontrol.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/stringify.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "memctl.h"
#include "cgroup.h"
#include "handlers.h"
#include "memcg.h"
#include "netlink.h"
#include "policy.h"
#include "reclaim.h"

/* The family: private to this file; the others reach it through helpers. */
static struct genl_family memctl_genl_family;

/* A policy message's fixed-size attributes, with room to spare. */
#define MEMCTL_NL_POLICY_ATTRS_SIZE	(16 * nla_total_size_64bit(sizeof(u64)))

/*
 * A policy message: its path (up to MEMCTL_CGROUP_PATH_MAX, which is
 * PATH_MAX) and the fixed-size attributes.
 */
#define MEMCTL_NL_POLICY_MSG_SIZE \
	(nla_total_size(MEMCTL_CGROUP_PATH_MAX) + MEMCTL_NL_POLICY_ATTRS_SIZE)

/* genl_ops.internal_flags: the operation changes state. */
#define MEMCTL_NL_ADMIN		BIT(0)

/* Every cgroup attribute: a normalized path, or an id. */
#define MEMCTL_NL_PATH_POLICY \
	{ .type = NLA_NUL_STRING, .len = MEMCTL_CGROUP_PATH_MAX - 1 }

static struct netlink_range_validation memctl_nl_id_range = {
	.min = 1, .max = U64_MAX,
};

static struct netlink_range_validation memctl_nl_high_range = {
	.min = MEMCTL_HIGH_MIN, .max = MEMCTL_HIGH_MAX,
};

static struct netlink_range_validation memctl_nl_target_range = {
	.min = 0, .max = MEMCTL_HIGH_MAX - 1,
};

static struct netlink_range_validation memctl_nl_tier_max_range = {
	.min = 0, .max = MEMCTL_HIGH_MAX,
};

static struct netlink_range_validation memctl_nl_interval_range = {
	.min = MEMCTL_INTERVAL_MIN, .max = MEMCTL_INTERVAL_MAX,
};

static struct netlink_range_validation memctl_nl_pressure_range = {
	.min = 0, .max = MEMCTL_PRESSURE_MAX,
};

static struct netlink_range_validation memctl_nl_reclaim_bytes_range = {
	.min = 1, .max = MEMCTL_RECLAIM_BYTES_MAX,
};

static const struct nla_policy
memctl_nl_policy_set_policy[MEMCTL_A_POLICY_MIN + 1] = {
	[MEMCTL_A_POLICY_CGROUP_PATH]	= MEMCTL_NL_PATH_POLICY,
	[MEMCTL_A_POLICY_CGROUP_ID]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_id_range),
	[MEMCTL_A_POLICY_HIGH]		=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_high_range),
	[MEMCTL_A_POLICY_TARGET]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_target_range),
	[MEMCTL_A_POLICY_INTERVAL]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &memctl_nl_interval_range),
	/* Unknown class bits get -EOPNOTSUPP from the handler. */
	[MEMCTL_A_POLICY_CLASSES]	= NLA_POLICY_MIN(NLA_U32, 1),
	[MEMCTL_A_POLICY_SLAB_FIRST]	= NLA_POLICY_MAX(NLA_U32, 100),
	[MEMCTL_A_POLICY_PRESSURE]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &memctl_nl_pressure_range),
	[MEMCTL_A_POLICY_TIER]		= NLA_POLICY_MAX(NLA_U8, 1),
	[MEMCTL_A_POLICY_TIER_MAX]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_tier_max_range),
	[MEMCTL_A_POLICY_EVENT]		= { .type = NLA_REJECT },
	[MEMCTL_A_POLICY_MODE]		= NLA_POLICY_MAX(NLA_U32, MEMCTL_MODE_AUTO),
	[MEMCTL_A_POLICY_MIN]		=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_tier_max_range),
};

static const struct nla_policy
memctl_nl_policy_get_policy[MEMCTL_A_POLICY_CGROUP_ID + 1] = {
	[MEMCTL_A_POLICY_CGROUP_PATH]	= MEMCTL_NL_PATH_POLICY,
	[MEMCTL_A_POLICY_CGROUP_ID]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_id_range),
};

static const struct nla_policy
memctl_nl_stats_get_policy[MEMCTL_A_STATS_CGROUP_ID + 1] = {
	[MEMCTL_A_STATS_CGROUP_PATH]	= MEMCTL_NL_PATH_POLICY,
	[MEMCTL_A_STATS_CGROUP_ID]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_id_range),
};

static const struct nla_policy
memctl_nl_reclaim_policy[MEMCTL_A_RECLAIM_CLASSES + 1] = {
	[MEMCTL_A_RECLAIM_CGROUP_PATH]	= MEMCTL_NL_PATH_POLICY,
	[MEMCTL_A_RECLAIM_CGROUP_ID]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_id_range),
	[MEMCTL_A_RECLAIM_BYTES]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_reclaim_bytes_range),
	/* Unknown class bits get -EOPNOTSUPP from the handler. */
	[MEMCTL_A_RECLAIM_CLASSES]	= NLA_POLICY_MIN(NLA_U32, 1),
};

static struct netlink_range_validation memctl_nl_tier_size_range = {
	.min = MEMCTL_TIER_SIZE_MIN, .max = MEMCTL_TIER_SIZE_MAX,
};

static struct netlink_range_validation memctl_nl_backing_age_range = {
	.min = MEMCTL_BACKING_AGE_MIN, .max = MEMCTL_BACKING_AGE_MAX,
};

/* The handler checks the name against the compressors memctl offers. */
static const struct nla_policy
memctl_nl_tier_set_policy[MEMCTL_A_TIER_BACKING_LIMIT + 1] = {
	[MEMCTL_A_TIER_SIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memctl_nl_tier_size_range),
	[MEMCTL_A_TIER_ALGO]	= { .type = NLA_NUL_STRING,
				    .len = MEMCTL_ALGO_NAME_MAX - 1 },
	[MEMCTL_A_TIER_BACKING]	= { .type = NLA_NUL_STRING,
				    .len = MEMCTL_BACKING_PATH_MAX - 1 },
	[MEMCTL_A_TIER_BACKING_AGE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &memctl_nl_backing_age_range),
	[MEMCTL_A_TIER_BACKING_LIMIT] = { .type = NLA_U64 },
};

static const struct nla_policy
memctl_nl_tier_writeback_policy[MEMCTL_A_TIER_WRITEBACK + 1] = {
	[MEMCTL_A_TIER_WRITEBACK] =
		NLA_POLICY_RANGE(NLA_U32, MEMCTL_TIER_WRITEBACK_IDLE,
				 MEMCTL_TIER_WRITEBACK_ALL),
};

/* TIER_GET and TIER_DEL take no attribute: the first one is refused. */
static const struct nla_policy
memctl_nl_tier_noattr_policy[MEMCTL_A_TIER_PAD + 1] = {
	[MEMCTL_A_TIER_PAD]	= { .type = NLA_REJECT,
				    .reject_message = "this command takes no attribute" },
};

static u32 memctl_nl_features(void)
{
	u32 features = MEMCTL_F_FEAT_POLICY | MEMCTL_F_FEAT_TIER;

	if (memctl_reclaim_classes()) {
		features |= MEMCTL_F_FEAT_RECLAIM;
		if (memctl_reclaim_psi_enforced())
			features |= MEMCTL_F_FEAT_PSI;
	}
	return features;
}

static u32 memctl_nl_classes(void)
{
	return memctl_reclaim_classes();
}

/**
 * memctl_nl_reply_put - the header of a reply to a request
 * @msg: the reply, from genlmsg_new()
 * @info: the request
 * @cmd: MEMCTL_CMD_* of the reply
 *
 * Return: the user header, or NULL if @msg has no room.
 */
void *memctl_nl_reply_put(struct sk_buff *msg, struct genl_info *info, u8 cmd)
{
	return genlmsg_put_reply(msg, info, &memctl_genl_family, 0, cmd);
}

/**
 * memctl_nl_answer_put - the header of an answer sent after the request
 * @msg: the answer, from genlmsg_new()
 * @portid: the requesting socket
 * @seq: the request's sequence number
 * @cmd: MEMCTL_CMD_* of the answer
 *
 * For work a request queued (MEMCTL_CMD_RECLAIM): the answer goes by
 * genlmsg_unicast() when the work ends, before the family is unregistered.
 *
 * Return: the user header, or NULL if @msg has no room.
 */
void *memctl_nl_answer_put(struct sk_buff *msg, u32 portid, u32 seq, u8 cmd)
{
	return genlmsg_put(msg, portid, seq, &memctl_genl_family, 0, cmd);
}

/**
 * memctl_nl_put_cgroup - put both names of a cgroup into a message
 * @skb: the message
 * @cgrp: the cgroup
 * @path: its path, as the reader sees it
 * @path_attr: CGROUP_PATH attribute of the set
 * @id_attr: CGROUP_ID attribute of the set
 * @pad_attr: PAD attribute of the set
 *
 * Return: 0 or -EMSGSIZE.
 */
int memctl_nl_put_cgroup(struct sk_buff *skb, struct cgroup *cgrp,
			 const char *path, int path_attr, int id_attr,
			 int pad_attr)
{
	if (nla_put_string(skb, path_attr, path) ||
	    nla_put_u64_64bit(skb, id_attr, cgroup_id(cgrp), pad_attr))
		return -EMSGSIZE;
	return 0;
}

/**
 * memctl_nl_admin - does a request come with memctl's admin privilege?
 * @skb: the request
 *
 * CAP_SYS_ADMIN in the initial user namespace, held by the socket's opener
 * (netlink_capable()): what changing state needs, what lifts the event
 * subscribers' per-user limit and what makes STATS_GET flush.
 *
 * Return: true if it does.
 */
bool memctl_nl_admin(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN);
}

static int memctl_nl_pre_doit(const struct memctl_genl_pre_ops *ops,
			      struct sk_buff *skb, struct genl_info *info)
{
	if ((ops->internal_flags & MEMCTL_NL_ADMIN) && !memctl_nl_admin(skb)) {
		GENL_SET_ERR_MSG(info,
				 "changing memctl state needs CAP_SYS_ADMIN in the initial user namespace");
		return -EPERM;
	}
	return 0;
}

/* One MEMCTL_A_INFO_ROUTE_* nest. */
static int memctl_nl_put_route(struct sk_buff *msg, int attr,
			       const struct memctl_route *r)
{
	struct nlattr *nest = nla_nest_start(msg, attr);

	if (!nest || nla_put_u32(msg, MEMCTL_A_ROUTE_PATH, r->path) ||
	    (r->why && nla_put_string(msg, MEMCTL_A_ROUTE_REASON, r->why)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int memctl_nl_put_routes(struct sk_buff *msg)
{
	if (memctl_nl_put_route(msg, MEMCTL_A_INFO_ROUTE_SLAB,
				memctl_memcg_class_route(MEMCTL_CLASS_SLAB)) ||
	    memctl_nl_put_route(msg, MEMCTL_A_INFO_ROUTE_FILE,
				memctl_memcg_class_route(MEMCTL_CLASS_FILE)) ||
	    memctl_nl_put_route(msg, MEMCTL_A_INFO_ROUTE_ANON,
				memctl_memcg_class_route(MEMCTL_CLASS_ANON)) ||
	    memctl_nl_put_route(msg, MEMCTL_A_INFO_ROUTE_STATS,
				memctl_memcg_stats_route()) ||
	    memctl_nl_put_route(msg, MEMCTL_A_INFO_ROUTE_PRESSURE,
				memctl_memcg_psi_route()))
		return -EMSGSIZE;
	return 0;
}

static int memctl_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &memctl_genl_family, 0,
				MEMCTL_CMD_GET_INFO);
	if (!hdr)
		goto err_free;
	if (nla_put_string(msg, MEMCTL_A_INFO_VERSION, MEMCTL_VERSION) ||
	    nla_put_string(msg, MEMCTL_A_INFO_KERNEL, init_utsname()->release) ||
	    nla_put_u32(msg, MEMCTL_A_INFO_FEATURES, memctl_nl_features()) ||
	    nla_put_u32(msg, MEMCTL_A_INFO_CLASSES, memctl_nl_classes()) ||
	    nla_put_u32(msg, MEMCTL_A_INFO_MAX_POLICIES, memctl_max_policies) ||
	    nla_put_u32(msg, MEMCTL_A_INFO_NR_POLICIES, memctl_policy_count()) ||
	    memctl_nl_put_routes(msg))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int memctl_nl_policy_fill(struct sk_buff *skb, struct cgroup *cgrp,
				 const char *path,
				 const struct memctl_params *pa, u32 event)
{
	if (memctl_nl_put_cgroup(skb, cgrp, path, MEMCTL_A_POLICY_CGROUP_PATH,
				 MEMCTL_A_POLICY_CGROUP_ID, MEMCTL_A_POLICY_PAD) ||
	    nla_put_u32(skb, MEMCTL_A_POLICY_MODE, pa->mode) ||
	    (pa->high &&
	     (nla_put_u64_64bit(skb, MEMCTL_A_POLICY_HIGH, pa->high,
				MEMCTL_A_POLICY_PAD) ||
	      nla_put_u64_64bit(skb, MEMCTL_A_POLICY_TARGET, pa->target,
				MEMCTL_A_POLICY_PAD))) ||
	    (pa->mode == MEMCTL_MODE_AUTO &&
	     nla_put_u64_64bit(skb, MEMCTL_A_POLICY_MIN, pa->min,
			       MEMCTL_A_POLICY_PAD)) ||
	    nla_put_u32(skb, MEMCTL_A_POLICY_INTERVAL, pa->interval_ms) ||
	    nla_put_u32(skb, MEMCTL_A_POLICY_CLASSES, pa->classes) ||
	    nla_put_u32(skb, MEMCTL_A_POLICY_SLAB_FIRST, pa->slab_first) ||
	    nla_put_u32(skb, MEMCTL_A_POLICY_PRESSURE, pa->pressure) ||
	    (pa->tier_set &&
	     nla_put_u8(skb, MEMCTL_A_POLICY_TIER, pa->tier)) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_POLICY_TIER_MAX, pa->tier_max,
			      MEMCTL_A_POLICY_PAD) ||
	    (event && nla_put_u32(skb, MEMCTL_A_POLICY_EVENT, event)))
		return -EMSGSIZE;
	return 0;
}

/*
 * Events.  A socket that sends MEMCTL_CMD_EVENTS_SUBSCRIBE becomes a
 * subscriber; each event is unicast to every subscriber that can see its
 * cgroup, named as that subscriber sees it: the rule POLICY_GET follows,
 * with the cgroup namespace the subscriber had when it subscribed.  (No
 * multicast group: generic netlink cannot filter one per listener on the
 * supported kernels; see Documentation/design.rst.)
 */

/* Subscribers in all; the last MEMCTL_NL_SUBS_ADMIN_RESERVE need CAP_SYS_ADMIN. */
#define MEMCTL_NL_SUBS_MAX		256
#define MEMCTL_NL_SUBS_ADMIN_RESERVE	32
/* Subscribers of one user without CAP_SYS_ADMIN. */
#define MEMCTL_NL_SUBS_PER_USER		8

/* Holds a path of up to MEMCTL_CGROUP_PATH_MAX and shows a longer one. */
#define MEMCTL_NL_PATH_BUF		(MEMCTL_CGROUP_PATH_MAX + 1)

/*
 * One subscriber: a netlink socket, by its network namespace and port id.
 * On memctl_nl_subs from subscribe to unsubscribe, the socket's release or
 * unload; senders walk the list under memctl_nl_srcu, so it is freed after
 * an SRCU grace period.
 */
struct memctl_nl_sub {
	struct list_head node;
	struct rcu_head rcu;
	struct net *net;		/* referenced */
	u32 portid;
	kuid_t uid;			/* effective uid at subscribe */
	bool admin;			/* had CAP_SYS_ADMIN: no per-user limit */
	struct cgroup *root;		/* its cgroup namespace's root, referenced */
};

/* Protects changes of memctl_nl_subs and the two counts. */
static DEFINE_MUTEX(memctl_nl_subs_mutex);
static LIST_HEAD(memctl_nl_subs);
static unsigned int memctl_nl_nr_subs;
static unsigned int memctl_nl_nr_unpriv;	/* of them without CAP_SYS_ADMIN */

/*
 * Events go out only while the family is registered: memctl_netlink_exit()
 * clears this and waits for every sender before it unregisters the family
 * and frees the subscribers.
 */
static bool memctl_nl_live;
DEFINE_STATIC_SRCU(memctl_nl_srcu);

static void memctl_nl_sub_free(struct rcu_head *rcu)
{
	struct memctl_nl_sub *sub = container_of(rcu, struct memctl_nl_sub, rcu);

	cgroup_put(sub->root);
	put_net(sub->net);
	kfree(sub);
}

static struct memctl_nl_sub *memctl_nl_sub_find(struct net *net, u32 portid)
{
	struct memctl_nl_sub *sub;

	lockdep_assert_held(&memctl_nl_subs_mutex);
	list_for_each_entry(sub, &memctl_nl_subs, node)
		if (sub->portid == portid && net_eq(sub->net, net))
			return sub;
	return NULL;
}

/* Takes @sub off the list; it is freed once no sender can be using it. */
static void memctl_nl_sub_unlink(struct memctl_nl_sub *sub)
{
	lockdep_assert_held(&memctl_nl_subs_mutex);
	list_del_rcu(&sub->node);
	memctl_nl_nr_subs--;
	if (!sub->admin)
		memctl_nl_nr_unpriv--;
	call_srcu(&memctl_nl_srcu, &sub->rcu, memctl_nl_sub_free);
}

/* The socket of @sub is gone (the send found no such port). */
static void memctl_nl_sub_gone(struct memctl_nl_sub *sub)
{
	mutex_lock(&memctl_nl_subs_mutex);
	if (memctl_nl_sub_find(sub->net, sub->portid) == sub)
		memctl_nl_sub_unlink(sub);
	mutex_unlock(&memctl_nl_subs_mutex);
}

/* Does @sub see @cgrp, as memctl_nl_event() takes it? */
static bool memctl_nl_sub_sees(const struct memctl_nl_sub *sub,
			       struct cgroup *cgrp)
{
	if (!cgrp)
		return true;
	/* Gone: only its id is known, shown to who sees every cgroup. */
	if (IS_ERR(cgrp))
		return !cgroup_parent(sub->root);
	return cgroup_is_descendant(cgrp, sub->root);
}

/*
 * The message of an event as seen from @root.  The path is the one
 * cgroup_path_ns() gives for a namespace rooted at @root, read without
 * cgroup_mutex (events are sent under the policy table's mutex and from the
 * reclaim worker).  @buf: MEMCTL_NL_PATH_BUF bytes for a real @cgrp.
 */
static struct sk_buff *memctl_nl_event_msg(struct cgroup *cgrp,
					   struct cgroup *root, u8 cmd,
					   size_t size, memctl_nl_event_fn fill,
					   void *arg, char *buf)
{
	const char *path = NULL;
	struct sk_buff *skb;
	void *hdr;

	if (cgrp && !IS_ERR(cgrp)) {
		int len = memctl_cgroup_path_from(cgrp, root, buf,
						  MEMCTL_NL_PATH_BUF);

		/* A longer path reads back as MEMCTL_CGROUP_PATH_MAX bytes. */
		if (len < 0 || len >= MEMCTL_CGROUP_PATH_MAX)
			return NULL;
		path = buf;
		size += nla_total_size(len + 1);
	}
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &memctl_genl_family, 0, cmd);
	if (!hdr || fill(skb, path, arg)) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/**
 * memctl_nl_event - send an event to every subscriber that may see it
 * @cgrp: the cgroup the event is about; NULL for an event about no cgroup
 *	(every subscriber gets it), or an ERR_PTR for a cgroup that is gone
 *	(known by id only: subscribers whose cgroup namespace is the initial
 *	one get it)
 * @cmd: MEMCTL_CMD_*_NTF
 * @size: room @fill needs, the cgroup path aside
 * @fill: puts the event's attributes into the message
 * @arg: for @fill
 *
 * The one way events leave the module.  A subscriber gets the event if
 * @cgrp is at or below the root of its cgroup namespace, with the path
 * relative to that root.  Delivery never blocks: a full receive buffer
 * drops the event for that subscriber, which then reads -ENOBUFS, as with
 * multicast.  Process context; the caller may hold a mutex.
 */
void memctl_nl_event(struct cgroup *cgrp, u8 cmd, size_t size,
		     memctl_nl_event_fn fill, void *arg)
{
	struct sk_buff *msg = NULL, *skb;
	struct cgroup *msg_root = NULL;
	struct memctl_nl_sub *sub;
	bool built = false;
	char *buf = NULL;
	int idx;

	might_sleep();
	idx = srcu_read_lock(&memctl_nl_srcu);
	if (!READ_ONCE(memctl_nl_live) || list_empty(&memctl_nl_subs))
		goto out;
	if (cgrp && !IS_ERR(cgrp)) {
		buf = kmalloc(MEMCTL_NL_PATH_BUF, GFP_KERNEL);
		if (!buf)
			goto out;
	}

	list_for_each_entry_srcu(sub, &memctl_nl_subs, node,
				 srcu_read_lock_held(&memctl_nl_srcu)) {
		if (!memctl_nl_sub_sees(sub, cgrp))
			continue;
		/* Messages differ by the path alone: one per namespace root. */
		if (!built || (buf && msg_root != sub->root)) {
			nlmsg_free(msg);
			msg_root = sub->root;
			msg = memctl_nl_event_msg(cgrp, msg_root, cmd, size,
						  fill, arg, buf);
			built = true;
		}
		if (!msg)
			continue;
		skb = skb_clone(msg, GFP_KERNEL);
		if (skb && genlmsg_unicast(sub->net, skb, sub->portid) ==
			   -ECONNREFUSED)
			memctl_nl_sub_gone(sub);
	}
	nlmsg_free(msg);
	kfree(buf);
out:
	srcu_read_unlock(&memctl_nl_srcu, idx);
}

static int memctl_nl_events_subscribe_doit(struct sk_buff *skb,
					   struct genl_info *info)
{
	bool admin = memctl_nl_admin(skb);
	struct net *net = genl_info_net(info);
	struct cgroup *root = memctl_cgroup_ns_root();
	kuid_t uid = current_euid();
	struct memctl_nl_sub *sub, *s;
	unsigned int mine = 0;
	int err = 0;

	if (!root)
		return -ESRCH;	/* an exiting task: no namespace */
	sub = kzalloc(sizeof(*sub), GFP_KERNEL);
	if (!sub)
		return -ENOMEM;

	mutex_lock(&memctl_nl_subs_mutex);
	list_for_each_entry(s, &memctl_nl_subs, node) {
		/* Subscribed already: the first namespace stays. */
		if (s->portid == info->snd_portid && net_eq(s->net, net))
			goto out_unlock;
		if (!s->admin && uid_eq(s->uid, uid))
			mine++;
	}
	err = -EUSERS;
	if (memctl_nl_nr_subs >= MEMCTL_NL_SUBS_MAX) {
		GENL_SET_ERR_MSG(info, "too many event subscribers: "
				 __stringify(MEMCTL_NL_SUBS_MAX)
				 " sockets are subscribed");
		goto out_unlock;
	}
	if (!admin && mine >= MEMCTL_NL_SUBS_PER_USER) {
		GENL_SET_ERR_MSG(info,
				 "too many event subscribers for this user: "
				 __stringify(MEMCTL_NL_SUBS_PER_USER)
				 " sockets per user without CAP_SYS_ADMIN");
		goto out_unlock;
	}
	if (!admin && memctl_nl_nr_unpriv >=
		      MEMCTL_NL_SUBS_MAX - MEMCTL_NL_SUBS_ADMIN_RESERVE) {
		GENL_SET_ERR_MSG(info, "too many event subscribers: the last "
				 __stringify(MEMCTL_NL_SUBS_ADMIN_RESERVE)
				 " places are kept for CAP_SYS_ADMIN");
		goto out_unlock;
	}

	sub->net = get_net(net);
	sub->portid = info->snd_portid;
	sub->uid = uid;
	sub->admin = admin;
	cgroup_get(root);
	sub->root = root;
	list_add_tail_rcu(&sub->node, &memctl_nl_subs);
	memctl_nl_nr_subs++;
	if (!admin)
		memctl_nl_nr_unpriv++;
	sub = NULL;
	err = 0;
out_unlock:
	mutex_unlock(&memctl_nl_subs_mutex);
	kfree(sub);
	return err;
}

static int memctl_nl_events_unsubscribe_doit(struct sk_buff *skb,
					     struct genl_info *info)
{
	struct memctl_nl_sub *sub;

	mutex_lock(&memctl_nl_subs_mutex);
	sub = memctl_nl_sub_find(genl_info_net(info), info->snd_portid);
	if (sub)
		memctl_nl_sub_unlink(sub);
	mutex_unlock(&memctl_nl_subs_mutex);
	if (!sub) {
		GENL_SET_ERR_MSG(info, "this socket is not subscribed to events");
		return -ENOENT;
	}
	return 0;
}

/*
 * A netlink socket was closed: cancel the one-shot reclaims it asked for
 * and drop its subscription.
 */
static int memctl_nl_release(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct netlink_notify *n = data;
	struct memctl_nl_sub *sub;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	memctl_reclaim_socket_closed(n->net, n->portid);
	/* Cheap for the sockets that never subscribed. */
	if (!READ_ONCE(memctl_nl_nr_subs))
		return NOTIFY_DONE;
	mutex_lock(&memctl_nl_subs_mutex);
	sub = memctl_nl_sub_find(n->net, n->portid);
	if (sub)
		memctl_nl_sub_unlink(sub);
	mutex_unlock(&memctl_nl_subs_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block memctl_nl_notifier = {
	.notifier_call = memctl_nl_release,
};

struct memctl_nl_policy_ntf {
	struct memctl_policy *p;
	u32 event;
};

static int memctl_nl_policy_event_fill(struct sk_buff *skb, const char *path,
				       void *arg)
{
	const struct memctl_nl_policy_ntf *e = arg;
	struct memctl_params pa;

	memctl_policy_read(e->p, &pa);
	return memctl_nl_policy_fill(skb, memctl_policy_cgroup(e->p), path,
				     &pa, e->event);
}

/**
 * memctl_nl_policy_notify - tell subscribers a policy changed
 * @p: the policy
 * @event: MEMCTL_POLICY_EVENT_*
 *
 * Under the policy table's mutex, so that subscribers see changes in the
 * order they were made.  Works for a cgroup that is already removed: the
 * policy holds it, and its path is the one it had.
 */
void memctl_nl_policy_notify(struct memctl_policy *p, u32 event)
{
	struct memctl_nl_policy_ntf e = { .p = p, .event = event };

	memctl_nl_event(memctl_policy_cgroup(p), MEMCTL_CMD_POLICY_NTF,
			MEMCTL_NL_POLICY_ATTRS_SIZE,
			memctl_nl_policy_event_fill, &e);
}

/*
 * The marks of a POLICY_SET: high and target, required in mode threshold
 * and a ceiling in mode auto, where they come together or not at all; min,
 * mode auto's floor, at or below target.  Mode auto needs PSI, its
 * feedback, and takes its own pressure default.
 */
static int memctl_nl_policy_marks(struct genl_info *info,
				  struct memctl_params *pa)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *high = attrs[MEMCTL_A_POLICY_HIGH];
	struct nlattr *target = attrs[MEMCTL_A_POLICY_TARGET];

	if (pa->mode == MEMCTL_MODE_AUTO) {
		if (!memctl_reclaim_psi_enforced()) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[MEMCTL_A_POLICY_MODE],
					    "mode auto needs PSI, which this kernel does not measure (boot with psi=1)");
			return -EOPNOTSUPP;
		}
		if (!high != !target) {
			NL_SET_ERR_MSG_ATTR(info->extack, high ?: target,
					    "mode auto takes high and target together or neither");
			return -EINVAL;
		}
		pa->pressure = MEMCTL_AUTO_PRESSURE_DEFAULT;
	} else {
		if (GENL_REQ_ATTR_CHECK(info, MEMCTL_A_POLICY_HIGH)) {
			GENL_SET_ERR_MSG(info, "high is required");
			return -EINVAL;
		}
		if (GENL_REQ_ATTR_CHECK(info, MEMCTL_A_POLICY_TARGET)) {
			GENL_SET_ERR_MSG(info, "target is required");
			return -EINVAL;
		}
		if (attrs[MEMCTL_A_POLICY_MIN]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[MEMCTL_A_POLICY_MIN],
					    "min is for mode auto only");
			return -EINVAL;
		}
	}
	if (high) {
		pa->high = nla_get_u64(high);
		pa->target = nla_get_u64(target);
		if (pa->target >= pa->high) {
			NL_SET_ERR_MSG_ATTR(info->extack, target,
					    "target must be below high");
			return -EINVAL;
		}
	}
	if (attrs[MEMCTL_A_POLICY_MIN]) {
		pa->min = nla_get_u64(attrs[MEMCTL_A_POLICY_MIN]);
		if (high && pa->min > pa->target) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[MEMCTL_A_POLICY_MIN],
					    "min must not be above target (or high)");
			return -EINVAL;
		}
	}
	return 0;
}

static int memctl_nl_policy_set_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct memctl_params pa;
	struct cgroup *cgrp;
	int ret;

	memctl_params_default(&pa);
	if (attrs[MEMCTL_A_POLICY_MODE])
		pa.mode = nla_get_u32(attrs[MEMCTL_A_POLICY_MODE]);
	ret = memctl_nl_policy_marks(info, &pa);
	if (ret)
		return ret;
	if (attrs[MEMCTL_A_POLICY_INTERVAL])
		pa.interval_ms = nla_get_u32(attrs[MEMCTL_A_POLICY_INTERVAL]);
	if (attrs[MEMCTL_A_POLICY_CLASSES]) {
		pa.classes = nla_get_u32(attrs[MEMCTL_A_POLICY_CLASSES]);
		if (pa.classes & ~__MEMCTL_F_CLASS_ALL) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[MEMCTL_A_POLICY_CLASSES],
					    "unknown reclaim class in classes");
			return -EOPNOTSUPP;
		}
		ret = memctl_reclaim_check_classes(pa.classes,
						   attrs[MEMCTL_A_POLICY_CLASSES],
						   info->extack);
		if (ret)
			return ret;
	}
	if (attrs[MEMCTL_A_POLICY_SLAB_FIRST])
		pa.slab_first = nla_get_u32(attrs[MEMCTL_A_POLICY_SLAB_FIRST]);
	if (attrs[MEMCTL_A_POLICY_PRESSURE])
		pa.pressure = nla_get_u32(attrs[MEMCTL_A_POLICY_PRESSURE]);
	if (pa.mode == MEMCTL_MODE_AUTO && !pa.pressure) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[MEMCTL_A_POLICY_PRESSURE],
				    "mode auto needs a pressure limit above 0");
		return -EINVAL;
	}
	if (attrs[MEMCTL_A_POLICY_TIER]) {
		pa.tier = nla_get_u8(attrs[MEMCTL_A_POLICY_TIER]);
		pa.tier_set = true;
	}
	if (attrs[MEMCTL_A_POLICY_TIER_MAX])
		pa.tier_max = nla_get_u64(attrs[MEMCTL_A_POLICY_TIER_MAX]);
	/* Mode auto with the tier on gives cold anonymous memory to it. */
	if (pa.mode == MEMCTL_MODE_AUTO && pa.tier &&
	    !attrs[MEMCTL_A_POLICY_CLASSES])
		pa.classes |= memctl_reclaim_classes() & MEMCTL_F_CLASS_ANON;

	cgrp = memctl_cgroup_get(attrs, MEMCTL_A_POLICY_CGROUP_PATH,
				 MEMCTL_A_POLICY_CGROUP_ID, info->extack);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	if (!cgroup_parent(cgrp)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[MEMCTL_A_POLICY_CGROUP_PATH] ?:
				    attrs[MEMCTL_A_POLICY_CGROUP_ID],
				    "the root cgroup cannot have a policy");
		ret = -EINVAL;
	} else {
		ret = memctl_policy_set(cgrp, &pa, info->extack);
	}
	cgroup_put(cgrp);
	return ret < 0 ? ret : 0;
}

static int memctl_nl_policy_reply(struct genl_info *info,
				  struct memctl_policy *p)
{
	struct cgroup *cgrp = memctl_policy_cgroup(p);
	struct memctl_params pa;
	struct sk_buff *msg;
	char *buf, *path;
	void *hdr;
	int err = -EMSGSIZE;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	msg = genlmsg_new(MEMCTL_NL_POLICY_MSG_SIZE, GFP_KERNEL);
	if (!buf || !msg) {
		err = -ENOMEM;
		goto err_free;
	}
	path = memctl_cgroup_path(cgrp, buf, PATH_MAX);
	if (!path)
		goto err_free;
	hdr = genlmsg_put_reply(msg, info, &memctl_genl_family, 0,
				MEMCTL_CMD_POLICY_GET);
	if (!hdr)
		goto err_free;
	memctl_policy_read(p, &pa);
	if (memctl_nl_policy_fill(msg, cgrp, path, &pa, 0))
		goto err_free;
	genlmsg_end(msg, hdr);
	kfree(buf);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	kfree(buf);
	return err;
}

static int memctl_nl_policy_get_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct memctl_policy *p;
	struct cgroup *cgrp;
	int err;

	cgrp = memctl_cgroup_get(info->attrs, MEMCTL_A_POLICY_CGROUP_PATH,
				 MEMCTL_A_POLICY_CGROUP_ID, info->extack);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	p = memctl_policy_lookup(cgroup_id(cgrp));
	cgroup_put(cgrp);
	if (!p) {
		GENL_SET_ERR_MSG(info, "this cgroup has no policy");
		return -ENOENT;
	}
	err = memctl_nl_policy_reply(info, p);
	memctl_policy_put(p);
	return err;
}

/**
 * memctl_nl_dump_begin - checks the request on the first call of a dump
 * @cb: the dump
 *
 * A dump returns every entry and takes no attribute.  This runs from the
 * dumpit callback rather than from .start, because on 6.1 only errors of
 * dumpit reach the caller with their extack message.
 *
 * Return: 0, or -EINVAL with the offending attribute named.
 */
int memctl_nl_dump_begin(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr **attrs = memctl_genl_dumpit_attrs(info);
	struct memctl_nl_dump_ctx *ctx = memctl_nl_dump_ctx(cb);
	int i;

	if (ctx->begun)
		return 0;
	for (i = 0; attrs && i <= info->op.maxattr; i++) {
		if (attrs[i]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[i],
					    "a dump returns all entries and takes no attribute; send a request without NLM_F_DUMP for one cgroup");
			return -EINVAL;
		}
	}
	ctx->begun = true;
	return 0;
}

/**
 * memctl_nl_dump_policies - one part of a dump of every visible policy
 * @skb: the part to fill
 * @cb: the dump, resumed from memctl_nl_dump_ctx(@cb)
 * @cmd: the command of the messages
 * @fill: puts one policy's attributes into a message
 *
 * Walks the table in cgroup id order from where the last part stopped,
 * skips cgroups the caller cannot see from its cgroup namespace, and flags
 * NLM_F_DUMP_INTR when the table changed since the previous part.
 *
 * Return: the length of @skb, 0 at the end, or a negative errno.
 */
int memctl_nl_dump_policies(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd, memctl_nl_fill_fn fill)
{
	struct memctl_nl_dump_ctx *ctx = memctl_nl_dump_ctx(cb);
	struct memctl_policy *p;
	char *buf;
	int err;

	err = memctl_nl_dump_begin(cb);
	if (err)
		return err;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	cb->seq = memctl_policy_generation();
	while ((p = memctl_policy_next(&ctx->next_id))) {
		struct cgroup *cgrp = memctl_policy_cgroup(p);
		char *path;
		void *hdr;

		path = memctl_cgroup_visible(cgrp) ?
			memctl_cgroup_path(cgrp, buf, PATH_MAX) : NULL;
		if (path) {
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq,
					  &memctl_genl_family, NLM_F_MULTI, cmd);
			if (!hdr)
				err = -EMSGSIZE;
			if (!err) {
				genl_dump_check_consistent(cb, hdr);
				err = fill(skb, p, cgrp, path);
				if (err)
					genlmsg_cancel(skb, hdr);
				else
					genlmsg_end(skb, hdr);
				/* -ENODATA: nothing to say about this one. */
				if (err == -ENODATA)
					err = 0;
			}
		}
		memctl_policy_put(p);
		if (err)
			break;
		ctx->next_id++;
	}
	kfree(buf);

	/* A full skb ends this part of the dump; the next one resumes. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int memctl_nl_policy_dump_fill(struct sk_buff *skb,
				      struct memctl_policy *p,
				      struct cgroup *cgrp, const char *path)
{
	struct memctl_params pa;

	memctl_policy_read(p, &pa);
	return memctl_nl_policy_fill(skb, cgrp, path, &pa, 0);
}

static int memctl_nl_policy_get_dumpit(struct sk_buff *skb,
				       struct netlink_callback *cb)
{
	return memctl_nl_dump_policies(skb, cb, MEMCTL_CMD_POLICY_GET,
				       memctl_nl_policy_dump_fill);
}

static int memctl_nl_policy_del_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct cgroup *cgrp;
	int err;

	cgrp = memctl_cgroup_get(info->attrs, MEMCTL_A_POLICY_CGROUP_PATH,
				 MEMCTL_A_POLICY_CGROUP_ID, info->extack);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	err = memctl_policy_del(cgroup_id(cgrp));
	cgroup_put(cgrp);
	if (err)
		GENL_SET_ERR_MSG(info, "this cgroup has no policy");
	return err;
}

static const struct genl_ops memctl_nl_ops[] = {
	{
		.cmd		= MEMCTL_CMD_GET_INFO,
		.doit		= memctl_nl_get_info_doit,
	},
	{
		.cmd		= MEMCTL_CMD_POLICY_SET,
		.internal_flags	= MEMCTL_NL_ADMIN,
		.doit		= memctl_nl_policy_set_doit,
		.policy		= memctl_nl_policy_set_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_policy_set_policy) - 1,
	},
	{
		.cmd		= MEMCTL_CMD_POLICY_GET,
		.doit		= memctl_nl_policy_get_doit,
		.dumpit		= memctl_nl_policy_get_dumpit,
		.policy		= memctl_nl_policy_get_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_policy_get_policy) - 1,
	},
	{
		.cmd		= MEMCTL_CMD_POLICY_DEL,
		.internal_flags	= MEMCTL_NL_ADMIN,
		.doit		= memctl_nl_policy_del_doit,
		.policy		= memctl_nl_policy_get_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_policy_get_policy) - 1,
	},
	{
		.cmd		= MEMCTL_CMD_STATS_GET,
		.doit		= memctl_stats_doit,
		.dumpit		= memctl_stats_dumpit,
		.policy		= memctl_nl_stats_get_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_stats_get_policy) - 1,
	},
	{
		.cmd		= MEMCTL_CMD_RECLAIM,
		.internal_flags	= MEMCTL_NL_ADMIN,
		.doit		= memctl_reclaim_doit,
		.policy		= memctl_nl_reclaim_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_reclaim_policy) - 1,
	},
	{
		.cmd		= MEMCTL_CMD_TIER_SET,
		.internal_flags	= MEMCTL_NL_ADMIN,
		.doit		= memctl_nl_tier_set_doit,
		.policy		= memctl_nl_tier_set_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_tier_set_policy) - 1,
	},
	{
		.cmd		= MEMCTL_CMD_TIER_GET,
		.doit		= memctl_nl_tier_get_doit,
		.policy		= memctl_nl_tier_noattr_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_tier_noattr_policy) - 1,
	},
	{
		.cmd		= MEMCTL_CMD_TIER_DEL,
		.internal_flags	= MEMCTL_NL_ADMIN,
		.doit		= memctl_nl_tier_del_doit,
		.policy		= memctl_nl_tier_noattr_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_tier_noattr_policy) - 1,
	},
	/* No policy: every attribute is refused (resv_start_op is 0). */
	{
		.cmd		= MEMCTL_CMD_EVENTS_SUBSCRIBE,
		.doit		= memctl_nl_events_subscribe_doit,
	},
	{
		.cmd		= MEMCTL_CMD_EVENTS_UNSUBSCRIBE,
		.doit		= memctl_nl_events_unsubscribe_doit,
	},
	{
		.cmd		= MEMCTL_CMD_TIER_WRITEBACK,
		.internal_flags	= MEMCTL_NL_ADMIN,
		.doit		= memctl_nl_tier_writeback_doit,
		.policy		= memctl_nl_tier_writeback_policy,
		.maxattr	= ARRAY_SIZE(memctl_nl_tier_writeback_policy) - 1,
	},
};

static struct genl_family memctl_genl_family = {
	.name		= MEMCTL_GENL_NAME,
	.version	= MEMCTL_GENL_VERSION,
	.module		= THIS_MODULE,
	/*
	 * Every network namespace: nothing here depends on it (cgroups are
	 * named by the caller's cgroup namespace, changes need CAP_SYS_ADMIN
	 * in the initial user namespace, answers and events go back to the
	 * socket's own namespace).
	 */
	.netnsok	= true,
	/* Handlers do their own locking. */
	.parallel_ops	= true,
	.pre_doit	= memctl_nl_pre_doit,
	.ops		= memctl_nl_ops,
	.n_ops		= ARRAY_SIZE(memctl_nl_ops),
};

int memctl_netlink_init(void)
{
	int err;

	/* First: no subscriber or one-shot may outlive its socket. */
	err = netlink_register_notifier(&memctl_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&memctl_genl_family);
	if (err) {
		netlink_unregister_notifier(&memctl_nl_notifier);
		return err;
	}
	WRITE_ONCE(memctl_nl_live, true);
	return 0;
}

void memctl_netlink_exit(void)
{
	struct memctl_nl_sub *sub, *next;

	/* No event after this. */
	WRITE_ONCE(memctl_nl_live, false);
	synchronize_srcu(&memctl_nl_srcu);
	/* Waits for requests in flight: no subscriber is added after it. */
	genl_unregister_family(&memctl_genl_family);
	netlink_unregister_notifier(&memctl_nl_notifier);

	mutex_lock(&memctl_nl_subs_mutex);
	list_for_each_entry_safe(sub, next, &memctl_nl_subs, node)
		memctl_nl_sub_unlink(sub);
	mutex_unlock(&memctl_nl_subs_mutex);
	/* The frees above, and those of subscribers dropped earlier. */
	srcu_barrier(&memctl_nl_srcu);
}
