// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the statistics of 16,384 cgroups cost a program's heap, measured
 * with a counting allocator (the library's sources are linked in and their
 * malloc, calloc, realloc and free wrapped with --wrap; libnl's own
 * transient buffers are not counted).  A thread on a second netlink socket
 * plays the kernel: a STATS_GET dump of 16,384 rows with every statistic
 * and a kubelet-style path of 40 to 60 bytes, packed into 32 KiB parts.
 *
 * It measures, from before the call to after it:
 *   list   memctl_cgroup_stats_list(): the bytes its array and paths hold,
 *          and the peak during the call;
 *   old    memctl_stats_foreach() collected into an array of struct
 *          memctl_stats, as MEMCTL_1.0's callers must.
 * Prints "mem16k: ..." lines; exits 1 if the list's peak reaches 8 MB
 * (8,000,000 bytes), the target of libmemctl(3).
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

#include "../internal.h"
#include "fakekernel.h"

#define ROWS		16384
#define LIMIT		8000000

/* ---- the counting allocator ---- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);

static size_t cur, peak;

#define HDR 16

static void *count(char *p, size_t size)
{
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	cur += size;
	if (cur > peak)
		peak = cur;
	return p + HDR;
}

void *__wrap_malloc(size_t size)
{
	return count(__real_malloc(size + HDR), size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	char *p = __real_calloc(1, n * size + HDR);

	return count(p, n * size);
}

void __wrap_free(void *p)
{
	size_t size;

	if (!p)
		return;
	memcpy(&size, (char *)p - HDR, sizeof(size));
	cur -= size;
	__real_free((char *)p - HDR);
}

void *__wrap_realloc(void *p, size_t size)
{
	size_t old = 0;
	char *q;

	if (!p)
		return __wrap_malloc(size);
	memcpy(&old, (char *)p - HDR, sizeof(old));
	/* as a new block and a copy would: both exist for a moment */
	cur += size;
	if (cur > peak)
		peak = cur;
	cur -= size;
	q = __real_realloc((char *)p - HDR, size + HDR);
	if (!q)
		return NULL;
	cur -= old;
	return count(q, size);
}

/* ---- the fake kernel ---- */

static int kfd;

static void *kernel(void *arg)
{
	static char req[4096], part[FAKE_PART + 4096];
	struct sockaddr_nl from;
	socklen_t fromlen;
	ssize_t n;

	(void)arg;
	for (;;) {
		const struct nlmsghdr *r = (const struct nlmsghdr *)req;
		struct sockaddr_nl to = { .nl_family = AF_NETLINK };
		uint32_t nr = ROWS;
		size_t len;

		fromlen = sizeof(from);
		n = recvfrom(kfd, req, sizeof(req), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n <= 0)
			return NULL;
		to.nl_pid = from.nl_pid;
		if (((const struct genlmsghdr *)NLMSG_DATA(r))->cmd ==
		    MEMCTL_CMD_GET_INFO) {
			/* the policy count, then the ack */
			len = fake_msg_start(part, r, FAKE_FAMILY, 0,
					     MEMCTL_CMD_GET_INFO);
			fake_put(part, &len, MEMCTL_A_INFO_NR_POLICIES, &nr, 4);
			((struct nlmsghdr *)part)->nlmsg_len = len;
			len = NLMSG_ALIGN(len);
			len += fake_msg_error(part + len, r, 0);
			fake_send(kfd, part, len, &to);
			continue;
		}
		fake_dump_stats(kfd, r, &to, part, ROWS);
	}
}

/* ---- the callers ---- */

struct old_rows {
	struct memctl_stats *rows;
	size_t n, cap;
};

static int keep_old(const struct memctl_stats *s, void *arg)
{
	struct old_rows *o = arg;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct memctl_stats *r = realloc(o->rows, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		o->rows = r;
		o->cap = cap;
	}
	o->rows[o->n++] = *s;
	return 0;
}

int main(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(addr);
	struct memctl_cgroup_stats *rows;
	struct old_rows old = { NULL, 0, 0 };
	struct memctl *mc;
	size_t n, base, list_held, list_peak, old_held, old_peak;
	pthread_t thr;
	int rcv = 4 << 20, err;

	kfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (kfd < 0 || bind(kfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(kfd, (struct sockaddr *)&addr, &alen) ||
	    pthread_create(&thr, NULL, kernel, NULL)) {
		perror("mem16k: fake kernel");
		return 2;
	}
	mc = calloc(1, sizeof(*mc));
	mc->sk = nl_socket_alloc();
	if (!mc->sk || nl_connect(mc->sk, NETLINK_GENERIC) < 0)
		return 2;
	setsockopt(nl_socket_get_fd(mc->sk), SOL_SOCKET, SO_RCVBUF, &rcv,
		   sizeof(rcv));
	nl_socket_set_peer_port(mc->sk, addr.nl_pid);
	mc->family = FAKE_FAMILY;

	base = cur;
	peak = cur;
	err = memctl_cgroup_stats_list(mc, &rows, &n);
	list_held = cur - base;
	list_peak = peak - base;
	if (err || n != ROWS || strncmp(rows[ROWS - 1].cgroup.path,
					"/kubepods.slice/pod", 19)) {
		fprintf(stderr, "mem16k: list: %d, %zu rows\n", err, n);
		return 2;
	}
	/* the receive buffer the handle keeps for the next dump */
	printf("mem16k: memctl_cgroup_stats_list: %zu rows, held %zu bytes "
	       "(%zu a row with its path), peak %zu bytes (the handle keeps "
	       "%zu of them for the next dump)\n",
	       n, list_held - mc->dump_cap, (list_held - mc->dump_cap) / n,
	       list_peak, mc->dump_cap);
	memctl_cgroup_stats_free(rows);

	base = cur;
	peak = cur;
	err = memctl_stats_foreach(mc, keep_old, &old);
	old_held = cur - base;
	old_peak = peak - base;
	if (err || old.n != ROWS) {
		fprintf(stderr, "mem16k: foreach: %d, %zu rows\n", err, old.n);
		return 2;
	}
	printf("mem16k: memctl_stats_foreach into struct memctl_stats rows: "
	       "held %zu bytes, peak %zu bytes\n", old_held, old_peak);
	free(old.rows);
	memctl_close(mc);
	if (list_peak >= LIMIT) {
		printf("mem16k: FAIL: the list's peak is not under %d bytes\n",
		       LIMIT);
		return 1;
	}
	printf("mem16k: ok: under %d bytes\n", LIMIT);
	return 0;
}
