/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "memctl" generic netlink family.
 */
#ifndef _MEMCTL_NETLINK_H
#define _MEMCTL_NETLINK_H

#include <net/genetlink.h>

struct cgroup;
struct memctl_policy;

/* Position of a resumable dump, kept in cb->ctx between calls. */
struct memctl_nl_dump_ctx {
	unsigned long next_id;
	bool begun;		/* the request was checked */
};

static inline struct memctl_nl_dump_ctx *
memctl_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct memctl_nl_dump_ctx) > sizeof(cb->ctx));
	return (struct memctl_nl_dump_ctx *)cb->ctx;
}

int memctl_nl_put_cgroup(struct sk_buff *skb, struct cgroup *cgrp,
			 const char *path, int path_attr, int id_attr,
			 int pad_attr);

bool memctl_nl_admin(const struct sk_buff *skb);
int memctl_nl_dump_begin(struct netlink_callback *cb);
void *memctl_nl_reply_put(struct sk_buff *msg, struct genl_info *info, u8 cmd);
void *memctl_nl_answer_put(struct sk_buff *msg, u32 portid, u32 seq, u8 cmd);

/*
 * Puts the attributes of one policy's message of a dump into @skb; -ENODATA
 * leaves that policy out.
 */
typedef int (*memctl_nl_fill_fn)(struct sk_buff *skb, struct memctl_policy *p,
				 struct cgroup *cgrp, const char *path);
int memctl_nl_dump_policies(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd, memctl_nl_fill_fn fill);
void memctl_nl_policy_notify(struct memctl_policy *p, u32 event);

/*
 * Puts the attributes of one event into @skb.  @path is the event's cgroup
 * as the receiver sees it, or NULL for an event about no cgroup or about a
 * cgroup that is gone.  Called once per distinct view, so it must put the
 * same attributes each time.  Return: 0 or -EMSGSIZE.
 */
typedef int (*memctl_nl_event_fn)(struct sk_buff *skb, const char *path,
				  void *arg);
void memctl_nl_event(struct cgroup *cgrp, u8 cmd, size_t size,
		     memctl_nl_event_fn fill, void *arg);

int memctl_netlink_init(void);
void memctl_netlink_exit(void);

#endif /* _MEMCTL_NETLINK_H */
