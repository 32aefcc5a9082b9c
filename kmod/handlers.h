/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic netlink handlers that live beside what they serve: the
 * operation table in netlink.c points at them, and nothing else calls them.
 * Each checks its request (netlink.c's policies have validated the
 * attributes and pre_doit the privilege), replies through netlink.c's
 * helpers and never holds the genl lock for unbounded work.
 */
#ifndef _MEMCTL_HANDLERS_H
#define _MEMCTL_HANDLERS_H

struct genl_info;
struct netlink_callback;
struct sk_buff;

/* stats.c */
int memctl_stats_doit(struct sk_buff *skb, struct genl_info *info);
int memctl_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* reclaim.c: queues the one-shot; the answer comes when it ends */
int memctl_reclaim_doit(struct sk_buff *skb, struct genl_info *info);

/* tier_nl.c */
int memctl_nl_tier_set_doit(struct sk_buff *skb, struct genl_info *info);
int memctl_nl_tier_get_doit(struct sk_buff *skb, struct genl_info *info);
int memctl_nl_tier_del_doit(struct sk_buff *skb, struct genl_info *info);
int memctl_nl_tier_writeback_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _MEMCTL_HANDLERS_H */
