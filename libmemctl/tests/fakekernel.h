/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fake kernel's messages that tests/mem16k.c and tools/bench/cli16k.c
 * share: a thread on a second netlink socket answers the library as the
 * module would.  Attributes, a message's start, an ack or refusal, and a
 * STATS_GET dump of @rows rows (every statistic, a kubelet-style path of
 * 40 to 60 bytes, ids 1000 on) packed into parts of about FAKE_PART bytes.
 */
#ifndef MEMCTL_TESTS_FAKEKERNEL_H
#define MEMCTL_TESTS_FAKEKERNEL_H

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "memctl.h"

#define FAKE_FAMILY	0x30
#define FAKE_PART	(32 * 1024)

static inline void fake_put(char *buf, size_t *len, int type,
			    const void *data, int n)
{
	struct nlattr *a = (struct nlattr *)(buf + *len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	memcpy(buf + *len + NLA_HDRLEN, data, n);
	*len += NLA_ALIGN(a->nla_len);
}

/* A message of @cmd with no attribute yet at @buf: its length so far. */
static inline size_t fake_msg_start(char *buf, const struct nlmsghdr *r,
				    int type, int flags, int cmd)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = r->nlmsg_seq;
	h->nlmsg_pid = r->nlmsg_pid;
	((struct genlmsghdr *)NLMSG_DATA(h))->cmd = cmd;
	return NLMSG_HDRLEN + GENL_HDRLEN;
}

/* The ack of @r (@err 0) or its refusal, at @buf: its aligned length. */
static inline size_t fake_msg_error(char *buf, const struct nlmsghdr *r,
				    int err)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e;

	memset(h, 0, NLMSG_HDRLEN + sizeof(*e));
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED;
	h->nlmsg_seq = r->nlmsg_seq;
	h->nlmsg_pid = r->nlmsg_pid;
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(*e);
	e = NLMSG_DATA(h);
	e->error = err;
	e->msg = *r;
	return NLMSG_ALIGN(h->nlmsg_len);
}

static inline void fake_send(int fd, const char *buf, size_t len,
			     const struct sockaddr_nl *to)
{
	if (sendto(fd, buf, len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0)
		perror("fake kernel: sendto");
}

/* The dump that answers @r, sent on @fd; @part holds FAKE_PART + 4 KiB. */
static inline void fake_dump_stats(int fd, const struct nlmsghdr *r,
				   const struct sockaddr_nl *to, char *part,
				   int rows)
{
	size_t plen = 0;
	int i;

	for (i = 0; i <= rows; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)(part + plen);
		size_t len;
		char path[96];
		uint64_t v = 12345678, id = 1000 + (uint64_t)i;
		uint32_t stop = 1;
		int t;

		if (i == rows) {
			int zero = 0;

			fake_msg_start(part + plen, r, NLMSG_DONE, NLM_F_MULTI,
				       0);
			memcpy(part + plen + NLMSG_HDRLEN, &zero, 4);
			h->nlmsg_len = NLMSG_HDRLEN + 4;
			plen += NLMSG_ALIGN(h->nlmsg_len);
			break;
		}
		len = fake_msg_start(part + plen, r, FAKE_FAMILY, NLM_F_MULTI,
				     MEMCTL_CMD_STATS_GET);
		snprintf(path, sizeof(path), "/kubepods.slice/pod%08x%s/c%05d",
			 i, i % 2 ? "-burstable" : "", i);
		fake_put((char *)h, &len, MEMCTL_A_STATS_CGROUP_PATH, path,
			 (int)strlen(path) + 1);
		fake_put((char *)h, &len, MEMCTL_A_STATS_CGROUP_ID, &id, 8);
		for (t = MEMCTL_A_STATS_CGROUP_ID + 1; t <= MEMCTL_A_STATS_MAX;
		     t++)
			if (t == MEMCTL_A_STATS_LAST_STOP)
				fake_put((char *)h, &len, t, &stop, 4);
			else
				fake_put((char *)h, &len, t, &v, 8);
		h->nlmsg_len = len;
		plen += NLMSG_ALIGN(len);
		if (plen > FAKE_PART) {
			/* send all but the last, which starts the next */
			size_t last = NLMSG_ALIGN(len);

			fake_send(fd, part, plen - last, to);
			memmove(part, part + plen - last, last);
			plen = last;
		}
	}
	fake_send(fd, part, plen, to);
}

#endif /* MEMCTL_TESTS_FAKEKERNEL_H */
