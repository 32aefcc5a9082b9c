// SPDX-License-Identifier: GPL-2.0-only
/*
 * MEMCTL_CMD_STATS_GET: what a cgroup holds now, read from its memory
 * cgroup's own counters (the numbers memory.current, memory.swap.current and
 * memory.stat show), and memctl's cumulative reclaim counters for cgroups
 * with a policy.  A do names one cgroup, with or without a policy; a dump
 * returns every cgroup that has a policy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "memctl.h"
#include "cgroup.h"
#include "handlers.h"
#include "memcg.h"
#include "netlink.h"
#include "policy.h"
#include "reclaim.h"
#include "stats.h"
#include "tier.h"

/* Attributes of one reply, besides the path. */
#define MEMCTL_STATS_NR_ATTRS	MEMCTL_A_STATS_MAX

/*
 * May this request fold the per-CPU counter deltas before reading them?
 * memctl's flush (cgroup_rstat_flush(), internal statistics route only)
 * takes the global rstat lock with interrupts off and walks every changed
 * cgroup of the subtree, whatever the kernel's own threshold says, so a
 * loop of requests would be a flush storm.  Only CAP_SYS_ADMIN in the
 * initial user namespace (pre_doit's test for commands that change state)
 * forces one; the others read the counters as the kernel's own flushes
 * left them, at most its period (2 s) old.  memory.stat, the official
 * route, folds by the kernel's rules for everyone.
 */
static bool memctl_stats_may_flush(const struct sk_buff *skb)
{
	return memctl_nl_admin(skb);
}

static int memctl_stats_put_u64(struct sk_buff *skb, int attr, u64 value)
{
	return nla_put_u64_64bit(skb, attr, value, MEMCTL_A_STATS_PAD);
}

/* The counters of a policy's reclaim: only for cgroups with a policy. */
static int memctl_stats_fill_policy(struct sk_buff *skb,
				    struct memctl_policy *p)
{
	struct memctl_reclaim_stats st;
	struct memctl_params pa;

	memctl_policy_read(p, &pa);
	memctl_reclaim_read_stats(p, &st);
	if (memctl_stats_put_u64(skb, MEMCTL_A_STATS_HIGH, pa.high) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_TARGET, pa.target) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_EPISODES, st.episodes) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_STEPS, st.steps) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_RECLAIMED_SLAB,
				 st.reclaimed[MEMCTL_CLASS_SLAB]) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_RECLAIMED_FILE,
				 st.reclaimed[MEMCTL_CLASS_FILE]) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_RECLAIMED_ANON,
				 st.reclaimed[MEMCTL_CLASS_ANON]) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_RECLAIM_TIME, st.time_ns) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_RECLAIM_CPU, st.cpu_ns) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_SHORTFALLS,
				 st.shortfalls) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_PRESSURE_STOPS,
				 st.pressure_stops) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_LIMIT_STOPS,
				 st.limit_stops) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_TIER_CAP_STOPS,
				 st.tier_cap_stops) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_TIER_CAP_REFUSALS,
				 atomic64_read(&p->tier_cap_refusals)) ||
	    nla_put_u32(skb, MEMCTL_A_STATS_LAST_STOP, st.last_stop) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_LAST_FREED,
				 st.last_freed) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_LAST_DURATION,
				 st.last_duration_ns))
		return -EMSGSIZE;
	if (pa.mode == MEMCTL_MODE_AUTO &&
	    (memctl_stats_put_u64(skb, MEMCTL_A_STATS_AUTO_WORKING_SET,
				  st.auto_working_set) ||
	     memctl_stats_put_u64(skb, MEMCTL_A_STATS_AUTO_PUSHBACKS,
				  st.auto_pushbacks) ||
	     memctl_stats_put_u64(skb, MEMCTL_A_STATS_AUTO_SAVED,
				  memctl_auto_saved(&st))))
		return -EMSGSIZE;
	return 0;
}

/*
 * One cgroup's statistics; @p is its policy or NULL.  @flush: fold this
 * memcg's counters first.
 */
static int memctl_stats_fill(struct sk_buff *skb, struct cgroup *cgrp,
			     struct mem_cgroup *memcg, const char *path,
			     struct memctl_policy *p, bool flush)
{
	struct memctl_memcg_counters c;
	struct memctl_params pa;

	if (flush)
		memctl_memcg_flush(memcg);
	memctl_memcg_read(memcg, &c);
	if (memctl_nl_put_cgroup(skb, cgrp, path, MEMCTL_A_STATS_CGROUP_PATH,
				 MEMCTL_A_STATS_CGROUP_ID, MEMCTL_A_STATS_PAD) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_USAGE, c.usage) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_SLAB_RECLAIMABLE,
				 c.slab_reclaimable) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_SLAB_UNRECLAIMABLE,
				 c.slab_unreclaimable) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_FILE, c.file) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_ANON, c.anon) ||
	    memctl_stats_put_u64(skb, MEMCTL_A_STATS_SWAP, c.swap))
		return -EMSGSIZE;
	if (p && memctl_stats_fill_policy(skb, p))
		return -EMSGSIZE;

	/* What the subtree holds in the compressed tier, with or without a policy. */
	if (p)
		memctl_policy_read(p, &pa);
	return memctl_tier_fill_stats(skb, cgroup_id(cgrp), p ? pa.tier_max : 0);
}

/**
 * memctl_stats_doit - MEMCTL_CMD_STATS_GET for one cgroup
 * @skb: the request
 * @info: its attributes
 *
 * Any cgroup with the memory controller, with or without a policy; the
 * policy's marks and counters are sent only when it has one.  The cgroup's
 * counters are flushed first for CAP_SYS_ADMIN only.
 *
 * Return: 0 or a negative errno.
 */
int memctl_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cgroup_subsys_state *css;
	struct memctl_policy *p;
	struct sk_buff *msg;
	struct cgroup *cgrp;
	char *buf, *path;
	void *hdr;
	int err;

	cgrp = memctl_cgroup_get(info->attrs, MEMCTL_A_STATS_CGROUP_PATH,
				 MEMCTL_A_STATS_CGROUP_ID, info->extack);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);

	err = -ENOMEM;
	msg = NULL;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		goto out_put_cgroup;
	err = -ENAMETOOLONG;
	path = memctl_cgroup_path(cgrp, buf, PATH_MAX);
	if (!path)
		goto out_free;
	err = -ENOMEM;
	msg = genlmsg_new(nla_total_size(strlen(path) + 1) +
			  MEMCTL_STATS_NR_ATTRS * nla_total_size_64bit(8),
			  GFP_KERNEL);
	if (!msg)
		goto out_free;
	err = -EMSGSIZE;
	hdr = memctl_nl_reply_put(msg, info, MEMCTL_CMD_STATS_GET);
	if (!hdr)
		goto out_free;

	css = cgroup_get_e_css(cgrp, &memory_cgrp_subsys);
	p = memctl_policy_lookup(cgroup_id(cgrp));
	err = memctl_stats_fill(msg, cgrp, mem_cgroup_from_css(css), path, p,
				memctl_stats_may_flush(skb));
	memctl_policy_put(p);
	css_put(css);
	if (err)
		goto out_free;
	genlmsg_end(msg, hdr);
	kfree(buf);
	cgroup_put(cgrp);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	kfree(buf);
out_put_cgroup:
	cgroup_put(cgrp);
	return err;
}

static int memctl_stats_dump_fill(struct sk_buff *skb, struct memctl_policy *p,
				  struct cgroup *cgrp, const char *path)
{
	struct mem_cgroup *memcg = memctl_policy_memcg(p);
	int err;

	/* The memory controller was taken off the cgroup: no row for it. */
	if (!memcg)
		return -ENODATA;
	err = memctl_stats_fill(skb, cgrp, memcg, path, p, false);
	css_put(&memcg->css);
	return err;
}

/**
 * memctl_stats_dumpit - MEMCTL_CMD_STATS_GET for every cgroup with a policy
 * @skb: the part of the dump to fill
 * @cb: the dump, resumed from memctl_nl_dump_ctx(@cb)
 *
 * Cgroups the caller cannot see from its cgroup namespace are skipped.  A
 * change of the policy table during the dump sets NLM_F_DUMP_INTR.  Every
 * memcg's counters are flushed at the start of each part for CAP_SYS_ADMIN
 * only.
 *
 * Return: the length of @skb, 0 at the end, or a negative errno.
 */
int memctl_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	/* Each part of a privileged dump reads counters as of its start. */
	if (memctl_stats_may_flush(cb->skb))
		memctl_memcg_flush_all();
	return memctl_nl_dump_policies(skb, cb, MEMCTL_CMD_STATS_GET,
				       memctl_stats_dump_fill);
}
