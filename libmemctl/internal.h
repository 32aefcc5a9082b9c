/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmemctl internals, shared by the library's .c files and its unit tests.
 * Nothing here is exported from libmemctl.so (-fvisibility=hidden and the
 * version script); the memctl__ prefix keeps these names out of the way of
 * programs that link libmemctl.a.
 */
#ifndef LIBMEMCTL_INTERNAL_H
#define LIBMEMCTL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "memctl.h"

#define MEMCTL_ERRMSG_MAX	512

/* Receive buffer of a request socket: above the kernel's 32 KiB dump parts. */
#define MEMCTL_RECV_BUF_SIZE	(64 * 1024)

/* The most of a dump's receive buffer a handle keeps for the next dump. */
#define MEMCTL_DUMP_BUF_KEEP	(4 * 1024 * 1024)

/* How many times a dump flagged inconsistent (NLM_F_DUMP_INTR) is redone. */
#define MEMCTL_DUMP_RETRIES	3

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct memctl {
	struct nl_sock *sk;
	int family;			/* generic netlink family id */
	char errmsg[MEMCTL_ERRMSG_MAX];	/* extack message of the last refusal */
	int err_attr;			/* attribute the kernel blamed, or 0 */
	/* Receives dumps; kept between dumps up to MEMCTL_DUMP_BUF_KEEP. */
	char *dump_buf;
	size_t dump_cap;
	bool codes_1_2;			/* MEMCTL_1.2's errnos (open_opts) */
	bool gone;			/* the family went: find it first */
	uint32_t timeout_ms;		/* per request, 0 = none */
	uint64_t deadline;		/* of the request in flight (ns) */
	char *path_buf;			/* memctl_cgroup_stats_get()'s path */
};

/* Called per message of a dump as it arrives (0 or -errno), and @reset
 * when the dump starts again. */
typedef int (*memctl__row_fn)(struct nlmsghdr *nlh, void *arg);
typedef void (*memctl__reset_fn)(void *arg);

/*
 * Called for each reply message of the family (do) or for each collected
 * message of a consistent dump.  Returns 0 to go on, nonzero to stop (dumps)
 * or a negative errno (the request then fails with it).
 */
typedef int (*memctl__msg_fn)(struct nlmsghdr *nlh, void *arg);

/* core.c */
int memctl__connect(struct memctl *mc);
void memctl__disconnect(struct memctl *mc);
int memctl__msg_new(struct memctl *mc, uint8_t cmd, int flags,
		    struct nl_msg **msgp);
int memctl__request(struct memctl *mc, struct nl_msg *msg,
		    memctl__msg_fn fn, void *arg);
int memctl__request_answer(struct memctl *mc, struct nl_msg *msg,
			   memctl__msg_fn fn, void *arg);
int memctl__dump(struct memctl *mc, uint8_t cmd, memctl__msg_fn fn, void *arg);
/* memctl__dump(), with @check over every message before @fn sees any. */
int memctl__dump_checked(struct memctl *mc, uint8_t cmd, memctl__msg_fn check,
			 memctl__msg_fn fn, void *arg);
int memctl__dump_rows(struct memctl *mc, uint8_t cmd, memctl__row_fn fn,
		      memctl__reset_fn reset, void *arg);
int memctl__open(struct memctl **mcp, bool codes_1_2, uint32_t timeout_ms);
int memctl__resolve(struct memctl *mc, const char *name, int *family,
		    bool autoload);
int memctl__put_cgroup(struct nl_msg *msg, int path_attr, int id_attr,
		       const char *path, uint64_t id);
int memctl__errno(int nle);
int memctl__parse_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		      char *errmsg, size_t len, int *err_attr);
int memctl__parse_done(const struct nlmsghdr *nlh, char *errmsg, size_t len);
int memctl__parse_info(struct nlmsghdr *nlh, struct memctl_info *info);

/* policy.c */
int memctl__parse_policy(struct nlmsghdr *nlh, struct memctl_policy *p,
			 uint32_t *event);

/* stats.c */
int memctl__parse_stats(struct nlmsghdr *nlh, struct memctl_stats *s);
/* Where struct memctl_stats's @usage is: memctl_cgroup_stats's fields
 * after it lie where memctl_stats's do, relative to it (stats.c checks). */
#define MEMCTL__STATS_DELTA \
	((ptrdiff_t)offsetof(struct memctl_cgroup_stats, usage) - \
	 (ptrdiff_t)offsetof(struct memctl_stats, usage))
int memctl__parse_reclaim(struct nlmsghdr *nlh, struct memctl_reclaim_result *r);

/* tier.c */
int memctl__tier_set(struct memctl *mc, uint64_t size, const char *algo,
		     const char *backing, uint64_t backing_limit,
		     uint32_t backing_age);
int memctl__parse_tier(struct nlmsghdr *nlh, struct memctl_tier *t,
		       uint32_t *event, struct memctl_cgroup *cgroup);

/* events.c: 1 if @ev was filled, 0 for a message to skip, or -errno. */
int memctl__parse_event(struct nlmsghdr *nlh, struct memctl_event *ev);

/* cgroup.c */
int memctl__cgroup_normalize_at(const char *mountinfo, const char *arg,
				char *out, size_t len);
int memctl__path_normalize(const char *in, char *out, size_t len);
int memctl__cgroup_id_at(const char *mountinfo, const char *cgroup,
			 uint64_t *id);

/*
 * Copy a validated string attribute into @dst, NUL-terminated, cut to
 * @len - 1 bytes.  The rest of @dst is left alone: every caller has zeroed
 * it (nla_strlcpy() would clear all of @dst again, a cost per dumped row).
 */
static inline void memctl__strattr(char *dst, size_t len,
				   const struct nlattr *nla)
{
	size_t n;

	if (!nla || !len)
		return;
	n = strnlen(nla_data(nla), (size_t)nla_len(nla));
	if (n >= len)
		n = len - 1;
	memcpy(dst, nla_data(nla), n);
	dst[n] = '\0';
}

static inline uint64_t memctl__u64(const struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

static inline uint32_t memctl__u32(const struct nlattr *nla)
{
	return nla ? nla_get_u32(nla) : 0;
}

/* Policy entries: exact lengths for integers, bounded strings. */
#define MEMCTL__U8	{ .type = NLA_U8, .minlen = 1, .maxlen = 1 }
#define MEMCTL__U32	{ .type = NLA_U32, .minlen = 4, .maxlen = 4 }
#define MEMCTL__U64	{ .type = NLA_U64, .minlen = 8, .maxlen = 8 }
#define MEMCTL__STR(n)	{ .type = NLA_STRING, .maxlen = (n) }

int memctl__genl_parse(struct nlmsghdr *nlh, struct nlattr **tb, int maxtype,
		       const struct nla_policy *policy);

#endif /* LIBMEMCTL_INTERNAL_H */
