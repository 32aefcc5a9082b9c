// SPDX-License-Identifier: GPL-2.0-only
/*
 * cli16k: the memctl CLI against a fake kernel of many policies, to see
 * what `memctl stats` costs in memory with 16,384 rows (libmemctl's
 * tests/mem16k measures the library alone).  Not a test: nothing is
 * asserted; run it under /usr/bin/time -v and read the peak RSS.
 *
 *   make -C tools/bench cli16k
 *   /usr/bin/time -v tools/bench/cli16k -j stats
 *   /usr/bin/time -v tools/bench/cli16k stats --prometheus
 *
 * It is the CLI itself (the sources of tools/memctl and libmemctl linked
 * in) with memctl_open_opts() wrapped (--wrap): the handle talks to a
 * thread on a second netlink socket that plays the kernel.  It answers
 * GET_INFO with CLI16K_ROWS policies (default 16384), TIER_GET with
 * ENODATA (no tier), a STATS_GET dump with that many rows of every
 * statistic and a kubelet-style path of 40 to 60 bytes, and anything else
 * with EOPNOTSUPP.  The output goes to stdout as the CLI's does.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "internal.h"

#define FAMILY	0x30
#define PART	(32 * 1024)

static int kfd, rows = 16384;

static void put(char *buf, size_t *len, int type, const void *data, int n)
{
	struct nlattr *a = (struct nlattr *)(buf + *len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	memcpy(buf + *len + NLA_HDRLEN, data, n);
	*len += NLA_ALIGN(a->nla_len);
}

/* A message of @cmd with no attribute yet at @buf: its length so far. */
static size_t msg_start(char *buf, const struct nlmsghdr *r, int type,
			int flags, int cmd)
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
static size_t msg_error(char *buf, const struct nlmsghdr *r, int err)
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

static void send_to(const char *buf, size_t len, const struct sockaddr_nl *to)
{
	if (sendto(kfd, buf, len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0)
		perror("cli16k: sendto");
}

static void dump_stats(const struct nlmsghdr *r, const struct sockaddr_nl *to,
		       char *part)
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

			len = msg_start(part + plen, r, NLMSG_DONE,
					NLM_F_MULTI, 0);
			memcpy(part + plen + NLMSG_HDRLEN, &zero, 4);
			h->nlmsg_len = NLMSG_HDRLEN + 4;
			plen += NLMSG_ALIGN(h->nlmsg_len);
			break;
		}
		len = msg_start(part + plen, r, FAMILY, NLM_F_MULTI,
				MEMCTL_CMD_STATS_GET);
		snprintf(path, sizeof(path), "/kubepods.slice/pod%08x%s/c%05d",
			 i, i % 2 ? "-burstable" : "", i);
		put((char *)h, &len, MEMCTL_A_STATS_CGROUP_PATH, path,
		    (int)strlen(path) + 1);
		put((char *)h, &len, MEMCTL_A_STATS_CGROUP_ID, &id, 8);
		for (t = MEMCTL_A_STATS_CGROUP_ID + 1; t <= MEMCTL_A_STATS_MAX;
		     t++)
			if (t == MEMCTL_A_STATS_LAST_STOP)
				put((char *)h, &len, t, &stop, 4);
			else
				put((char *)h, &len, t, &v, 8);
		h->nlmsg_len = len;
		plen += NLMSG_ALIGN(len);
		if (plen > PART) {
			/* send all but the last, which starts the next */
			size_t last = NLMSG_ALIGN(len);

			send_to(part, plen - last, to);
			memmove(part, part + plen - last, last);
			plen = last;
		}
	}
	send_to(part, plen, to);
}

static void *kernel(void *arg)
{
	static char req[4096], part[PART + 4096];

	(void)arg;
	for (;;) {
		const struct nlmsghdr *r = (const struct nlmsghdr *)req;
		struct sockaddr_nl from, to = { .nl_family = AF_NETLINK };
		socklen_t fromlen = sizeof(from);
		uint32_t nr = (uint32_t)rows, max = 1U << 20;
		size_t len;
		ssize_t n;

		n = recvfrom(kfd, req, sizeof(req), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n <= 0)
			return NULL;
		to.nl_pid = from.nl_pid;
		switch (((const struct genlmsghdr *)NLMSG_DATA(r))->cmd) {
		case MEMCTL_CMD_GET_INFO:
			len = msg_start(part, r, FAMILY, 0, MEMCTL_CMD_GET_INFO);
			put(part, &len, MEMCTL_A_INFO_VERSION, "cli16k", 7);
			put(part, &len, MEMCTL_A_INFO_KERNEL, "fake", 5);
			put(part, &len, MEMCTL_A_INFO_NR_POLICIES, &nr, 4);
			put(part, &len, MEMCTL_A_INFO_MAX_POLICIES, &max, 4);
			((struct nlmsghdr *)part)->nlmsg_len = len;
			len = NLMSG_ALIGN(len);
			len += msg_error(part + len, r, 0);
			send_to(part, len, &to);
			break;
		case MEMCTL_CMD_STATS_GET:
			dump_stats(r, &to, part);
			break;
		case MEMCTL_CMD_TIER_GET:
			send_to(part, msg_error(part, r, -ENODATA), &to);
			break;
		default:
			send_to(part, msg_error(part, r, -EOPNOTSUPP), &to);
			break;
		}
	}
}

int __wrap_memctl_open_opts(struct memctl **mcp,
			    const struct memctl_open_opts *opts);

int __wrap_memctl_open_opts(struct memctl **mcp,
			    const struct memctl_open_opts *opts)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(addr);
	const char *env = getenv("CLI16K_ROWS");
	int rcv = 4 << 20;
	struct memctl *mc;
	pthread_t thr;

	(void)opts;
	if (env)
		rows = atoi(env);
	kfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (kfd < 0 || bind(kfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(kfd, (struct sockaddr *)&addr, &alen) ||
	    pthread_create(&thr, NULL, kernel, NULL)) {
		perror("cli16k: fake kernel");
		return -EIO;
	}
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return -ENOMEM;
	mc->sk = nl_socket_alloc();
	if (!mc->sk || nl_connect(mc->sk, NETLINK_GENERIC) < 0)
		return -EIO;
	setsockopt(nl_socket_get_fd(mc->sk), SOL_SOCKET, SO_RCVBUF, &rcv,
		   sizeof(rcv));
	nl_socket_set_peer_port(mc->sk, addr.nl_pid);
	mc->family = FAMILY;
	mc->codes_1_2 = true;
	*mcp = mc;
	return 0;
}
