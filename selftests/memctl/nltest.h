/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A raw generic netlink client for the selftests.  It deliberately does not
 * use libmemctl: the tests must be able to send what no library would send
 * (unknown attributes, wrong types and lengths, bad flags) and read the
 * kernel's answer exactly (errno, extack message, offending attribute).
 */
#ifndef MEMCTL_NLTEST_H
#define MEMCTL_NLTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/memctl.h>

#define NLT_BUF 65536

struct nlt {
	int fd;
	uint16_t family;
	int nr_mcgrps;		/* multicast groups the family has */
	uint32_t seq;
	/* From the last NLMSG_ERROR with a nonzero error. */
	char errmsg[512];
	int err_attr_off;	/* offset of the bad attribute, or -1 */
	int err_miss_type;	/* type of the missing attribute, or -1 */
};

struct nlt_msg {
	size_t len;
	union {
		struct nlmsghdr nlh;
		char buf[NLT_BUF];
	};
};

static inline void nlt_msg_init(struct nlt_msg *m, uint16_t type,
				uint16_t flags, uint8_t cmd)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = 1;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static inline struct nlattr *nlt_put(struct nlt_msg *m, uint16_t type,
				     const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->buf))
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	return a;
}

static inline void nlt_put_u8(struct nlt_msg *m, uint16_t t, uint8_t v)
{
	nlt_put(m, t, &v, sizeof(v));
}

static inline void nlt_put_u32(struct nlt_msg *m, uint16_t t, uint32_t v)
{
	nlt_put(m, t, &v, sizeof(v));
}

static inline void nlt_put_u64(struct nlt_msg *m, uint16_t t, uint64_t v)
{
	nlt_put(m, t, &v, sizeof(v));
}

static inline void nlt_put_str(struct nlt_msg *m, uint16_t t, const char *s)
{
	nlt_put(m, t, s, strlen(s) + 1);
}

/* Attributes of a genetlink message, indexed by type (up to max). */
static inline void nlt_parse(const struct nlmsghdr *nlh,
			     const struct nlattr **tb, int max)
{
	const char *p = (const char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN;
	const char *end = (const char *)nlh + nlh->nlmsg_len;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		if (type <= max)
			tb[type] = a;
		p += NLA_ALIGN(a->nla_len);
	}
}

static inline const void *nlt_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static inline uint32_t nlt_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, nlt_data(a), sizeof(v));
	return v;
}

static inline uint64_t nlt_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, nlt_data(a), sizeof(v));
	return v;
}

typedef int (*nlt_cb)(const struct nlmsghdr *nlh, void *arg);

static inline void nlt_read_extack(struct nlt *n, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const char *p, *end = (const char *)nlh + nlh->nlmsg_len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* The end of a dump: the error, then the TLVs. */
		p = (const char *)NLMSG_DATA(nlh) + sizeof(int);
	} else {
		p = (const char *)e + sizeof(*e);
		/* Without NETLINK_CAP_ACK an error echoes the request. */
		if (e->error && !(nlh->nlmsg_flags & NLM_F_CAPPED))
			p += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			snprintf(n->errmsg, sizeof(n->errmsg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)nlt_data(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			n->err_attr_off = nlt_u32(a);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			n->err_miss_type = nlt_u32(a);
			break;
		}
		p += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Sends @m and reads replies until the ACK (or the end of a dump), calling
 * @cb for each data message.  With @answer, the request's answer comes
 * apart from its ACK, before or after it (MEMCTL_CMD_RECLAIM): read until
 * both came, or an error.  Returns 0, the kernel's -errno, or -EIO.
 */
static inline int nlt_talk_mode(struct nlt *n, struct nlt_msg *m, nlt_cb cb,
				void *arg, bool answer)
{
	static char rbuf[4 * NLT_BUF];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t seq = ++n->seq;
	int ret = 0, cbret = 0;
	bool acked = false, answered = false;

	m->nlh.nlmsg_len = m->len;
	m->nlh.nlmsg_seq = seq;
	n->errmsg[0] = 0;
	n->err_attr_off = -1;
	n->err_miss_type = -1;
	if (sendto(n->fd, m->buf, m->len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;

	for (;;) {
		ssize_t len = recv(n->fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				nlt_read_extack(n, nlh);
				if (!e->error && answer && !answered) {
					acked = true;
					continue;
				}
				return e->error ? e->error : (cbret < 0 ? cbret : ret);
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				nlt_read_extack(n, nlh);
				/* The end of a dump: no ACK follows it. */
				return err ? err : (cbret < 0 ? cbret : ret);
			}
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				ret = -EINTR;
			if (cb && cbret >= 0) {
				cbret = cb(nlh, arg);
			}
			answered = true;
			if (answer && acked)
				return cbret < 0 ? cbret : ret;
		}
	}
}

static inline int nlt_talk(struct nlt *n, struct nlt_msg *m, nlt_cb cb,
			   void *arg)
{
	return nlt_talk_mode(n, m, cb, arg, false);
}

/* A request whose answer comes apart from its ACK (MEMCTL_CMD_RECLAIM). */
static inline int nlt_talk_answer(struct nlt *n, struct nlt_msg *m, nlt_cb cb,
				  void *arg)
{
	return nlt_talk_mode(n, m, cb, arg, true);
}

static inline int nlt_getfamily_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlt *n = arg;
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const char *p, *end;

	nlt_parse(nlh, tb, CTRL_ATTR_MAX);
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return -EIO;
	n->family = *(const uint16_t *)nlt_data(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	/* Nested array of nests of (name, id). */
	p = (const char *)nlt_data(tb[CTRL_ATTR_MCAST_GROUPS]);
	end = (const char *)tb[CTRL_ATTR_MCAST_GROUPS] +
	      tb[CTRL_ATTR_MCAST_GROUPS]->nla_len;
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *grp = (const struct nlattr *)p;

		n->nr_mcgrps++;
		p += NLA_ALIGN(grp->nla_len);
	}
	return 0;
}

/*
 * Subscribes the socket of @n to the family's events (MEMCTL_CMD_EVENTS_
 * SUBSCRIBE): they arrive on it from the ack on.  Returns 0 or -errno.
 */
static inline int nlt_subscribe(struct nlt *n)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, n->family, 0, MEMCTL_CMD_EVENTS_SUBSCRIBE);
	return nlt_talk(n, &m, NULL, NULL);
}

/* Opens a socket and resolves the memctl family; -ENOENT if it is absent. */
static inline int nlt_open(struct nlt *n)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlt_msg *m;
	int one = 1, err;

	memset(n, 0, sizeof(*n));
	n->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (n->fd < 0)
		return -errno;
	setsockopt(n->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(n->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(n->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(n->fd);
		return err;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		close(n->fd);
		return -ENOMEM;
	}
	nlt_msg_init(m, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	nlt_put_str(m, CTRL_ATTR_FAMILY_NAME, MEMCTL_GENL_NAME);
	err = nlt_talk(n, m, nlt_getfamily_cb, n);
	free(m);
	if (!err && !n->family)
		err = -ENOENT;
	if (err)
		close(n->fd);
	return err;
}

static inline void nlt_close(struct nlt *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

/* Which attribute type of @m the kernel pointed at, or -1. */
static inline int nlt_err_attr_type(const struct nlt *n,
				    const struct nlt_msg *m)
{
	const struct nlattr *a;

	if (n->err_attr_off < (int)(NLMSG_HDRLEN + GENL_HDRLEN) ||
	    n->err_attr_off + NLA_HDRLEN > m->len)
		return -1;
	a = (const struct nlattr *)(m->buf + n->err_attr_off);
	return a->nla_type & NLA_TYPE_MASK;
}

/* What nlt_classes() found: the class mask and the first missing class's reason. */
struct nlt_classes {
	uint32_t classes;
	char why[256];
};

static inline int nlt_classes_cb(const struct nlmsghdr *nlh, void *arg)
{
	static const int route[] = {
		MEMCTL_A_INFO_ROUTE_SLAB, MEMCTL_A_INFO_ROUTE_FILE,
		MEMCTL_A_INFO_ROUTE_ANON,
	};
	const struct nlattr *tb[MEMCTL_A_INFO_MAX + 1];
	struct nlt_classes *c = arg;
	size_t i;

	nlt_parse(nlh, tb, MEMCTL_A_INFO_MAX);
	if (!tb[MEMCTL_A_INFO_CLASSES])
		return -EIO;
	c->classes = nlt_u32(tb[MEMCTL_A_INFO_CLASSES]);
	for (i = 0; i < sizeof(route) / sizeof(*route) && !c->why[0]; i++) {
		const struct nlattr *nest = tb[route[i]], *a;
		const char *p, *end;

		if (!nest || (c->classes & (1U << i)))
			continue;
		p = (const char *)nlt_data(nest);
		end = (const char *)nest + nest->nla_len;
		for (; p + NLA_HDRLEN <= end; p += NLA_ALIGN(a->nla_len)) {
			a = (const struct nlattr *)p;
			if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == MEMCTL_A_ROUTE_REASON)
				snprintf(c->why, sizeof(c->why), "%.*s",
					 (int)(a->nla_len - NLA_HDRLEN),
					 (const char *)nlt_data(a));
		}
	}
	return 0;
}

/*
 * The reclaim classes this kernel offers (GET_INFO), and why the first one
 * it does not offer is unavailable.  Returns 0 or -errno.
 */
static inline int nlt_classes(struct nlt *n, struct nlt_classes *c)
{
	static struct nlt_msg m;

	memset(c, 0, sizeof(*c));
	nlt_msg_init(&m, n->family, 0, MEMCTL_CMD_GET_INFO);
	return nlt_talk(n, &m, nlt_classes_cb, c);
}

/*
 * In a kselftest harness test: skip, saying why, when a reclaim class the
 * test needs (MEMCTL_F_CLASS_* in @want) has no route on this kernel
 * (file on 6.1 without kernel symbols: its memory.reclaim could swap).
 */
#define NLT_NEED_CLASSES(n, want) do {					\
	struct nlt_classes _c;						\
									\
	if (!nlt_classes((n), &_c) && ((want) & ~_c.classes))		\
		SKIP(return, "a reclaim class this test needs is unavailable: %s", \
		     _c.why);						\
} while (0)

#endif /* MEMCTL_NLTEST_H */
