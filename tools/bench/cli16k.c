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
#include "tests/fakekernel.h"

static int kfd, rows = 16384;

static void *kernel(void *arg)
{
	static char req[4096], part[FAKE_PART + 4096];

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
			len = fake_msg_start(part, r, FAKE_FAMILY, 0,
					     MEMCTL_CMD_GET_INFO);
			fake_put(part, &len, MEMCTL_A_INFO_VERSION, "cli16k", 7);
			fake_put(part, &len, MEMCTL_A_INFO_KERNEL, "fake", 5);
			fake_put(part, &len, MEMCTL_A_INFO_NR_POLICIES, &nr, 4);
			fake_put(part, &len, MEMCTL_A_INFO_MAX_POLICIES, &max, 4);
			((struct nlmsghdr *)part)->nlmsg_len = len;
			len = NLMSG_ALIGN(len);
			len += fake_msg_error(part + len, r, 0);
			fake_send(kfd, part, len, &to);
			break;
		case MEMCTL_CMD_STATS_GET:
			fake_dump_stats(kfd, r, &to, part, rows);
			break;
		case MEMCTL_CMD_TIER_GET:
			fake_send(kfd, part, fake_msg_error(part, r, -ENODATA), &to);
			break;
		default:
			fake_send(kfd, part, fake_msg_error(part, r, -EOPNOTSUPP),
				  &to);
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
	mc->family = FAKE_FAMILY;
	mc->codes_1_2 = true;
	*mcp = mc;
	return 0;
}
