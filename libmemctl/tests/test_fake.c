// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The request machinery against a fake kernel: a thread on a second netlink
 * socket that answers the library's requests the way the kernel does (reply
 * then ack, dump messages then done, errors with extended acks).  This proves
 * what the real module cannot on this host: that the kernel's own errno and
 * message reach the caller, that only the fields set are sent, that dumps
 * flagged inconsistent are redone and never half-delivered.
 */
#include <errno.h>
#include <poll.h>
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
#include "unit.h"

#define FAMILY		0x30
#define REQ_MAX		8192

struct fake;
typedef void (*script_fn)(struct fake *f, const struct nlmsghdr *req,
			  uint32_t to);

struct fake {
	int fd;
	uint32_t port;
	pthread_t thread;
	int stop;
	script_fn script;
	int nr_req;				/* requests seen */
	unsigned char req[REQ_MAX];		/* the last one */
	int arg;				/* for the script */
};

static void fake_send(struct fake *f, uint32_t to, struct nl_msg *msg)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_pid = to };
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (sendto(f->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&addr,
		   sizeof(addr)) < 0)
		perror("fake: sendto");
	nlmsg_free(msg);
}

static struct nl_msg *fake_genl(const struct nlmsghdr *req, uint8_t cmd,
				int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(16384);

	genlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, req->nlmsg_type, 0,
		    flags, cmd, 1);
	return msg;
}

/* An NLMSG_ERROR for @req, capped, with the extack the kernel would add. */
static void fake_ack(struct fake *f, uint32_t to, const struct nlmsghdr *req,
		     int error, const char *text, int blame)
{
	bool tlvs = text || blame;
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR,
						0x100 | (tlvs ? 0x200 : 0));
	struct nlmsgerr e = { .error = error, .msg = *req };

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_hdr(msg)->nlmsg_pid = req->nlmsg_pid;
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (blame) {
		const struct nlattr *nla =
			nlmsg_find_attr((struct nlmsghdr *)req, GENL_HDRLEN, blame);

		if (nla)
			nla_put_u32(msg, NLMSGERR_ATTR_OFFS,
				    (uint32_t)((const char *)nla - (const char *)req));
	}
	fake_send(f, to, msg);
}

static void fake_done(struct fake *f, uint32_t to, const struct nlmsghdr *req,
		      int error, int flags, const char *text)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | flags |
						(text ? 0x200 : 0));

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_hdr(msg)->nlmsg_pid = req->nlmsg_pid;
	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	fake_send(f, to, msg);
}

static void *fake_thread(void *arg)
{
	struct fake *f = arg;

	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd = { .fd = f->fd, .events = POLLIN };
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		ssize_t n;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = recvfrom(f->fd, f->req, sizeof(f->req), 0,
			     (struct sockaddr *)&from, &fromlen);
		if (n < (ssize_t)NLMSG_HDRLEN)
			continue;
		__atomic_add_fetch(&f->nr_req, 1, __ATOMIC_RELEASE);
		f->script(f, (struct nlmsghdr *)f->req, from.nl_pid);
	}
	return NULL;
}

/* A library handle whose "kernel" is the fake. */
static struct memctl *fake_start(struct fake *f, script_fn script)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(addr);
	struct memctl *mc;

	memset(f, 0, sizeof(*f));
	f->script = script;
	f->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (f->fd < 0 || bind(f->fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(f->fd, (struct sockaddr *)&addr, &len))
		return NULL;
	f->port = addr.nl_pid;
	if (pthread_create(&f->thread, NULL, fake_thread, f))
		return NULL;

	mc = calloc(1, sizeof(*mc));
	mc->sk = nl_socket_alloc();
	if (nl_connect(mc->sk, NETLINK_GENERIC) < 0)
		return NULL;
	nl_socket_set_peer_port(mc->sk, f->port);
	mc->family = FAMILY;
	return mc;
}

static void fake_stop(struct fake *f, struct memctl *mc)
{
	__atomic_store_n(&f->stop, 1, __ATOMIC_RELEASE);
	pthread_join(f->thread, NULL);
	close(f->fd);
	memctl_close(mc);
}

static const struct nlmsghdr *last_req(struct fake *f)
{
	return (const struct nlmsghdr *)f->req;
}

static uint8_t last_cmd(struct fake *f)
{
	return ((const struct genlmsghdr *)NLMSG_DATA(last_req(f)))->cmd;
}

static bool req_has(struct fake *f, int attr)
{
	return nlmsg_find_attr((struct nlmsghdr *)f->req, GENL_HDRLEN, attr) != NULL;
}

static uint64_t req_u64(struct fake *f, int attr)
{
	struct nlattr *nla = nlmsg_find_attr((struct nlmsghdr *)f->req,
					     GENL_HDRLEN, attr);

	return nla && nla_len(nla) == 8 ? nla_get_u64(nla) : 0xdead;
}

static void put_policy(struct nl_msg *msg, const char *path, uint64_t id)
{
	nla_put_string(msg, MEMCTL_A_POLICY_CGROUP_PATH, path);
	nla_put_u64(msg, MEMCTL_A_POLICY_CGROUP_ID, id);
	nla_put_u64(msg, MEMCTL_A_POLICY_HIGH, 2ULL << 30);
	nla_put_u64(msg, MEMCTL_A_POLICY_TARGET, 1ULL << 30);
}

/* ---- scripts ---- */

static void script_refuse(struct fake *f, const struct nlmsghdr *req,
			  uint32_t to)
{
	(void)f;
	fake_ack(f, to, req, -EINVAL, "target must be below high",
		 MEMCTL_A_POLICY_TARGET);
}

static void script_eperm(struct fake *f, const struct nlmsghdr *req,
			 uint32_t to)
{
	fake_ack(f, to, req, -EPERM, NULL, 0);
}

static void script_ok(struct fake *f, const struct nlmsghdr *req, uint32_t to)
{
	fake_ack(f, to, req, 0, NULL, 0);
}

static void script_policy_get(struct fake *f, const struct nlmsghdr *req,
			      uint32_t to)
{
	struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_POLICY_GET, 0);

	put_policy(msg, "/app", 31);
	nla_put_u32(msg, MEMCTL_A_POLICY_INTERVAL, 250);
	fake_send(f, to, msg);
	fake_ack(f, to, req, 0, NULL, 0);
}

static void script_bad_reply(struct fake *f, const struct nlmsghdr *req,
			     uint32_t to)
{
	struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_POLICY_GET, 0);

	nla_put_u32(msg, MEMCTL_A_POLICY_HIGH, 1);	/* u64 expected */
	fake_send(f, to, msg);
	fake_ack(f, to, req, 0, NULL, 0);
}

static void script_ack_only(struct fake *f, const struct nlmsghdr *req,
			    uint32_t to)
{
	fake_ack(f, to, req, 0, NULL, 0);	/* a GET without its reply */
}

/*
 * A dump of f->arg ... policies.  Dump number n (1-based) is flagged
 * inconsistent while n <= f->arg >> 8; f->arg & 0xff policies per dump, each
 * dump's ids start at 100 * n.
 */
static void script_dump(struct fake *f, const struct nlmsghdr *req, uint32_t to)
{
	int n = __atomic_load_n(&f->nr_req, __ATOMIC_ACQUIRE);
	int count = f->arg & 0xff, intr_until = f->arg >> 8, i;
	bool intr = n <= intr_until;

	for (i = 0; i < count; i++) {
		struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_POLICY_GET,
			NLM_F_MULTI | (intr && i == count - 1 ? NLM_F_DUMP_INTR : 0));

		put_policy(msg, "/d", 100 * n + i);
		fake_send(f, to, msg);
	}
	fake_done(f, to, req, 0, intr ? NLM_F_DUMP_INTR : 0, NULL);
}

/*
 * f->arg rows in datagrams of up to 40 messages, as the kernel packs a dump
 * part, with a message of another request and one of another family in
 * the stream: both must be ignored.
 */
static void script_dump_packed(struct fake *f, const struct nlmsghdr *req,
			       uint32_t to)
{
	static unsigned char dgram[65536];
	size_t len = 0;
	int i;

	for (i = 0; i < f->arg; i++) {
		struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_POLICY_GET,
					       NLM_F_MULTI);
		struct nlmsghdr *nlh = nlmsg_hdr(msg);

		put_policy(msg, "/packed/row", 1000 + i);
		if (i == 7)
			nlh->nlmsg_seq += 1000;		/* another request */
		if (i == 9)
			nlh->nlmsg_type = FAMILY + 1;	/* another family */
		memcpy(dgram + len, nlh, nlh->nlmsg_len);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
		nlmsg_free(msg);
		if ((i + 1) % 40 == 0 || i == f->arg - 1) {
			struct sockaddr_nl addr = { .nl_family = AF_NETLINK,
						    .nl_pid = to };

			if (sendto(f->fd, dgram, len, 0, (struct sockaddr *)&addr,
				   sizeof(addr)) < 0)
				perror("fake: sendto");
			len = 0;
		}
	}
	fake_done(f, to, req, 0, 0, NULL);
}

static void script_dump_error(struct fake *f, const struct nlmsghdr *req,
			      uint32_t to)
{
	struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_STATS_GET, NLM_F_MULTI);

	nla_put_u64(msg, MEMCTL_A_STATS_CGROUP_ID, 1);
	fake_send(f, to, msg);
	fake_done(f, to, req, -EACCES, 0, "cannot read /secret");
}

static void script_reclaim(struct fake *f, const struct nlmsghdr *req,
			   uint32_t to)
{
	struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_RECLAIM, 0);

	nla_put_u64(msg, MEMCTL_A_RECLAIM_FREED_SLAB, 1 << 20);
	nla_put_u64(msg, MEMCTL_A_RECLAIM_FREED_FILE, 3 << 20);
	nla_put_u32(msg, MEMCTL_A_RECLAIM_STOP, MEMCTL_STOP_TARGET);
	nla_put_u32(msg, MEMCTL_A_RECLAIM_STEPS, 2);
	fake_send(f, to, msg);
	fake_ack(f, to, req, 0, NULL, 0);
}

static void script_info(struct fake *f, const struct nlmsghdr *req, uint32_t to)
{
	struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_GET_INFO, 0);

	nla_put_string(msg, MEMCTL_A_INFO_VERSION, "9.9.9");
	nla_put_string(msg, MEMCTL_A_INFO_KERNEL, "6.1.0-test");
	nla_put_u32(msg, MEMCTL_A_INFO_FEATURES, MEMCTL_F_FEAT_POLICY);
	nla_put_u32(msg, MEMCTL_A_INFO_MAX_POLICIES, 64);
	fake_send(f, to, msg);
	fake_ack(f, to, req, 0, NULL, 0);
}

/* ---- tests ---- */

TEST(fake_refusal_keeps_errno_and_message)
{
	struct memctl_policy p = { 0 };
	struct fake f;
	struct memctl *mc = fake_start(&f, script_refuse);

	CHECK(mc != NULL);
	if (!mc)
		return;
	strcpy(p.cgroup.path, "/app");
	p.set = MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET |
		MEMCTL_POLICY_F_TIER;
	p.high = 1ULL << 30;
	p.target = 2ULL << 30;
	p.interval_ms = 777;	/* not in .set: must not be sent */
	CHECK_INT(memctl_policy_set(mc, &p), -EINVAL);
	CHECK_STR(memctl_errmsg(mc), "target must be below high");
	CHECK_INT(memctl_err_attr(mc), MEMCTL_A_POLICY_TARGET);

	/* what went on the wire */
	CHECK_INT(last_cmd(&f), MEMCTL_CMD_POLICY_SET);
	CHECK(last_req(&f)->nlmsg_flags & NLM_F_REQUEST);
	CHECK(last_req(&f)->nlmsg_flags & NLM_F_ACK);
	CHECK(req_has(&f, MEMCTL_A_POLICY_CGROUP_PATH));
	CHECK(!req_has(&f, MEMCTL_A_POLICY_CGROUP_ID));	/* id 0: not given */
	CHECK_U64(req_u64(&f, MEMCTL_A_POLICY_HIGH), 1ULL << 30);
	CHECK_U64(req_u64(&f, MEMCTL_A_POLICY_TARGET), 2ULL << 30);
	CHECK(req_has(&f, MEMCTL_A_POLICY_TIER));
	CHECK(!req_has(&f, MEMCTL_A_POLICY_INTERVAL));
	CHECK(!req_has(&f, MEMCTL_A_POLICY_CLASSES));
	CHECK(!req_has(&f, MEMCTL_A_POLICY_SLAB_FIRST));
	CHECK(!req_has(&f, MEMCTL_A_POLICY_PRESSURE));
	CHECK(!req_has(&f, MEMCTL_A_POLICY_TIER_MAX));

	/* no cgroup at all: refused before sending */
	p.cgroup.path[0] = '\0';
	CHECK_INT(memctl_policy_set(mc, &p), -EINVAL);
	CHECK_INT(f.nr_req, 1);
	fake_stop(&f, mc);
}

TEST(fake_eperm_without_extack)
{
	struct fake f;
	struct memctl *mc = fake_start(&f, script_eperm);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_policy_del(mc, NULL, 12), -EPERM);
	CHECK_STR(memctl_errmsg(mc), "");
	CHECK_INT(memctl_err_attr(mc), 0);
	CHECK_INT(last_cmd(&f), MEMCTL_CMD_POLICY_DEL);
	CHECK_U64(req_u64(&f, MEMCTL_A_POLICY_CGROUP_ID), 12);
	CHECK(!req_has(&f, MEMCTL_A_POLICY_CGROUP_PATH));
	CHECK_INT(memctl_tier_del(mc), -EPERM);
	CHECK_INT(memctl_tier_set(mc, 1 << 30, "zstd"), -EPERM);
	CHECK_INT(last_cmd(&f), MEMCTL_CMD_TIER_SET);
	CHECK_U64(req_u64(&f, MEMCTL_A_TIER_SIZE), 1 << 30);
	CHECK(req_has(&f, MEMCTL_A_TIER_ALGO));
	CHECK_INT(memctl_tier_set(mc, 1 << 30, "an-algorithm-name-too-long"),
		  -EINVAL);
	fake_stop(&f, mc);
}

TEST(fake_success_clears_errmsg)
{
	struct fake f;
	struct memctl *mc = fake_start(&f, script_refuse);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_policy_del(mc, "/x", 0), -EINVAL);
	CHECK_STR(memctl_errmsg(mc), "target must be below high");
	f.script = script_ok;
	CHECK_INT(memctl_policy_del(mc, "/x", 0), 0);
	CHECK_STR(memctl_errmsg(mc), "");
	fake_stop(&f, mc);
}

TEST(fake_policy_get)
{
	struct memctl_policy p;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_policy_get);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_policy_get(mc, "/app", 31, &p), 0);
	CHECK_STR(p.cgroup.path, "/app");
	CHECK_U64(p.cgroup.id, 31);
	CHECK_U64(p.high, 2ULL << 30);
	CHECK_U64(p.interval_ms, 250);
	CHECK_U64(p.set, MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET |
		  MEMCTL_POLICY_F_INTERVAL);
	CHECK(req_has(&f, MEMCTL_A_POLICY_CGROUP_PATH));
	CHECK_U64(req_u64(&f, MEMCTL_A_POLICY_CGROUP_ID), 31);
	CHECK_INT(memctl_policy_get(mc, NULL, 0, &p), -EINVAL);

	f.script = script_bad_reply;
	CHECK_INT(memctl_policy_get(mc, "/app", 0, &p), -EPROTO);
	f.script = script_ack_only;
	CHECK_INT(memctl_policy_get(mc, "/app", 0, &p), -EPROTO);
	/* the socket is still in step after those */
	f.script = script_policy_get;
	CHECK_INT(memctl_policy_get(mc, "/app", 0, &p), 0);
	fake_stop(&f, mc);
}

struct collect {
	int calls;
	uint64_t ids[16];
	int stop_at;
};

static int collect_cb(const struct memctl_policy *p, void *arg)
{
	struct collect *c = arg;

	if (c->calls < 16)
		c->ids[c->calls] = p->cgroup.id;
	c->calls++;
	return c->stop_at && c->calls == c->stop_at ? 42 : 0;
}

TEST(fake_dump)
{
	struct collect c = { 0 };
	struct fake f;
	struct memctl *mc = fake_start(&f, script_dump);

	CHECK(mc != NULL);
	if (!mc)
		return;
	f.arg = 3;
	CHECK_INT(memctl_policy_foreach(mc, collect_cb, &c), 0);
	CHECK_INT(c.calls, 3);
	CHECK_U64(c.ids[0], 100);
	CHECK_U64(c.ids[2], 102);
	CHECK(last_req(&f)->nlmsg_flags & NLM_F_DUMP);
	CHECK_INT(last_cmd(&f), MEMCTL_CMD_POLICY_GET);

	/* the callback stops the walk, and its value comes back */
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	CHECK_INT(memctl_policy_foreach(mc, collect_cb, &c), 42);
	CHECK_INT(c.calls, 2);

	/* an empty table */
	memset(&c, 0, sizeof(c));
	f.arg = 0;
	CHECK_INT(memctl_policy_foreach(mc, collect_cb, &c), 0);
	CHECK_INT(c.calls, 0);
	fake_stop(&f, mc);
}

static int count_cb(const struct memctl_policy *p, void *arg)
{
	struct collect *c = arg;

	/* rows in order, none lost, the two strays skipped */
	if (p->cgroup.id != 1000 + (uint64_t)c->calls + (c->calls >= 7) +
	    (c->calls >= 8) || strcmp(p->cgroup.path, "/packed/row"))
		c->stop_at = -1;
	c->calls++;
	return 0;
}

TEST(fake_dump_packed_datagrams)
{
	struct memctl_policy p = { 0 };
	struct collect c = { 0 };
	struct fake f;
	struct memctl *mc = fake_start(&f, script_dump_packed);

	CHECK(mc != NULL);
	if (!mc)
		return;
	f.arg = 5000;	/* about 300 KiB: the receive buffer grows */
	CHECK_INT(memctl_policy_foreach(mc, count_cb, &c), 0);
	CHECK_INT(c.calls, 4998);
	CHECK_INT(c.stop_at, 0);

	/* requests after a dump still find their replies */
	f.script = script_policy_get;
	CHECK_INT(memctl_policy_get(mc, "/app", 0, &p), 0);
	f.script = script_dump_packed;
	f.arg = 3;
	memset(&c, 0, sizeof(c));
	CHECK_INT(memctl_policy_foreach(mc, count_cb, &c), 0);
	CHECK_INT(c.calls, 3);
	f.script = script_policy_get;
	CHECK_INT(memctl_policy_get(mc, "/app", 0, &p), 0);
	fake_stop(&f, mc);
}

struct nested {
	struct memctl *mc;
	int calls, inner_calls, inner_err;
};

static int nested_cb(const struct memctl_policy *p, void *arg)
{
	struct nested *n = arg;
	struct collect c = { 0 };

	(void)p;
	/* a dump from inside a dump's callback, on the same handle */
	if (n->calls++ == 0) {
		n->inner_err = memctl_policy_foreach(n->mc, collect_cb, &c);
		n->inner_calls = c.calls;
	}
	return 0;
}

TEST(fake_dump_nested_in_callback)
{
	struct nested n = { 0 };
	struct fake f;
	struct memctl *mc = fake_start(&f, script_dump_packed);

	CHECK(mc != NULL);
	if (!mc)
		return;
	n.mc = mc;
	f.arg = 300;
	CHECK_INT(memctl_policy_foreach(mc, nested_cb, &n), 0);
	CHECK_INT(n.calls, 298);
	CHECK_INT(n.inner_err, 0);
	CHECK_INT(n.inner_calls, 298);
	fake_stop(&f, mc);
}

TEST(fake_dump_inconsistent_is_redone)
{
	struct collect c = { 0 };
	struct fake f;
	struct memctl *mc = fake_start(&f, script_dump);

	CHECK(mc != NULL);
	if (!mc)
		return;
	/* dumps 1 and 2 flagged: the third is delivered, and only it */
	f.arg = (2 << 8) | 3;
	CHECK_INT(memctl_policy_foreach(mc, collect_cb, &c), 0);
	CHECK_INT(f.nr_req, 3);
	CHECK_INT(c.calls, 3);
	CHECK_U64(c.ids[0], 300);
	CHECK_U64(c.ids[2], 302);
	fake_stop(&f, mc);

	/* always flagged: -EAGAIN after the retries, nothing delivered */
	memset(&c, 0, sizeof(c));
	mc = fake_start(&f, script_dump);
	CHECK(mc != NULL);
	if (!mc)
		return;
	f.arg = (100 << 8) | 3;
	CHECK_INT(memctl_policy_foreach(mc, collect_cb, &c), -EAGAIN);
	CHECK_INT(f.nr_req, 1 + MEMCTL_DUMP_RETRIES);
	CHECK_INT(c.calls, 0);
	fake_stop(&f, mc);
}

static int count_stats(const struct memctl_stats *s, void *arg)
{
	(void)s;
	(*(int *)arg)++;
	return 0;
}

TEST(fake_dump_error_in_done)
{
	struct fake f;
	struct memctl *mc = fake_start(&f, script_dump_error);
	int calls = 0;

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_stats_foreach(mc, count_stats, &calls), -EACCES);
	CHECK_STR(memctl_errmsg(mc), "cannot read /secret");
	CHECK_INT(calls, 0);
	CHECK_INT(last_cmd(&f), MEMCTL_CMD_STATS_GET);
	fake_stop(&f, mc);
}

TEST(fake_reclaim)
{
	struct memctl_reclaim_result r;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_reclaim);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_reclaim(mc, "/app", 0, 64 << 20, 0, &r), 0);
	CHECK(!req_has(&f, MEMCTL_A_RECLAIM_CLASSES));	/* 0: kernel default */
	CHECK_U64(req_u64(&f, MEMCTL_A_RECLAIM_BYTES), 64 << 20);
	CHECK_U64(r.freed_slab, 1 << 20);
	CHECK_U64(r.freed_file, 3 << 20);
	CHECK_U64(r.stop, MEMCTL_STOP_TARGET);
	CHECK_U64(r.steps, 2);
	/* what the reply did not echo is filled in from the request */
	CHECK_U64(r.requested, 64 << 20);
	CHECK_U64(r.classes, MEMCTL_CLASSES_DEFAULT);
	CHECK_STR(r.cgroup.path, "/app");

	CHECK_INT(memctl_reclaim(mc, NULL, 8, 1 << 20, __MEMCTL_F_CLASS_ALL, NULL), 0);
	CHECK(req_has(&f, MEMCTL_A_RECLAIM_CLASSES));
	CHECK_U64(req_u64(&f, MEMCTL_A_RECLAIM_CGROUP_ID), 8);
	fake_stop(&f, mc);
}

TEST(fake_info)
{
	struct memctl_info info;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_info);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_get_info(mc, &info), 0);
	CHECK_STR(info.version, "9.9.9");
	CHECK_STR(info.kernel, "6.1.0-test");
	CHECK_U64(info.features, MEMCTL_F_FEAT_POLICY);
	CHECK_U64(info.max_policies, 64);
	CHECK_U64(info.nr_policies, 0);
	CHECK_INT(last_cmd(&f), MEMCTL_CMD_GET_INFO);
	fake_stop(&f, mc);
}

TEST(open_without_module)
{
	struct memctl *mc = (struct memctl *)1;
	struct memctl_events *ev = (struct memctl_events *)1;
	int err = memctl_open(&mc);

	/* Where the module is loaded this proves nothing; say so. */
	if (err == 0) {
		printf("# memctl family present: skipping the -ENOENT checks\n");
		memctl_close(mc);
		return;
	}
	CHECK_INT(err, -ENOENT);
	CHECK(mc == NULL);
	CHECK_INT(memctl_events_open(&ev), -ENOENT);
	CHECK(ev == NULL);
	memctl_close(NULL);
	memctl_events_close(NULL);
	CHECK_STR(memctl_errmsg(NULL), "");
}

/* Three stats rows: a long path with counters, a short one without, none. */
static void script_stats_rows(struct fake *f, const struct nlmsghdr *req,
			      uint32_t to)
{
	struct nl_msg *msg;

	if (((const struct genlmsghdr *)NLMSG_DATA(req))->cmd ==
	    MEMCTL_CMD_GET_INFO) {
		script_info(f, req, to);
		return;
	}
	msg = fake_genl(req, MEMCTL_CMD_STATS_GET, NLM_F_MULTI);
	nla_put_string(msg, MEMCTL_A_STATS_CGROUP_PATH, "/a/rather/long/path");
	nla_put_u64(msg, MEMCTL_A_STATS_CGROUP_ID, 1);
	nla_put_u64(msg, MEMCTL_A_STATS_USAGE, 5);
	nla_put_u64(msg, MEMCTL_A_STATS_RECLAIMED_SLAB, 7);
	nla_put_u64(msg, MEMCTL_A_STATS_TIER_OVERAGE, 9);
	nla_put_u32(msg, MEMCTL_A_STATS_LAST_STOP, MEMCTL_STOP_TARGET);
	nla_put_u64(msg, MEMCTL_A_STATS_AUTO_WORKING_SET, 11);
	nla_put_u64(msg, MEMCTL_A_STATS_AUTO_SAVED, 12);
	fake_send(f, to, msg);
	msg = fake_genl(req, MEMCTL_CMD_STATS_GET, NLM_F_MULTI);
	nla_put_string(msg, MEMCTL_A_STATS_CGROUP_PATH, "/b");
	nla_put_u64(msg, MEMCTL_A_STATS_CGROUP_ID, 2);
	nla_put_u64(msg, MEMCTL_A_STATS_USAGE, 6);
	fake_send(f, to, msg);
	msg = fake_genl(req, MEMCTL_CMD_STATS_GET, NLM_F_MULTI);
	nla_put_u64(msg, MEMCTL_A_STATS_CGROUP_ID, 3);
	fake_send(f, to, msg);
	fake_done(f, to, req, 0, 0, NULL);
}

static int keep_stats(const struct memctl_stats *s, void *arg)
{
	struct memctl_stats *rows = arg;

	rows[s->cgroup.id - 1] = *s;
	return 0;
}

/* Each row of a stats dump starts from zero: nothing of the row before. */
TEST(fake_stats_dump_rows_are_clean)
{
	struct memctl_stats *rows = calloc(3, sizeof(*rows)), zero;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_stats_rows);
	size_t i;

	if (!rows || !mc) {
		CHECK(0);
		free(rows);
		return;
	}
	memset(rows, 0xaa, 3 * sizeof(*rows));
	memset(&zero, 0, sizeof(zero));
	CHECK_INT(memctl_stats_foreach(mc, keep_stats, rows), 0);
	CHECK_STR(rows[0].cgroup.path, "/a/rather/long/path");
	CHECK_U64(rows[0].reclaimed_slab, 7);
	CHECK_U64(rows[0].tier_overage, 9);
	CHECK_INT(rows[0].last_stop, MEMCTL_STOP_TARGET);
	CHECK_U64(rows[0].auto_working_set, 11);
	CHECK_U64(rows[0].auto_saved, 12);
	CHECK_U64(rows[0].present, MEMCTL_STATS_HAS_AUTO);
	CHECK_STR(rows[1].cgroup.path, "/b");
	/* an auto row before it leaves no presence bit behind */
	CHECK_U64(rows[1].present, 0);
	CHECK_U64(rows[1].auto_saved, 0);
	CHECK_U64(rows[1].usage, 6);
	CHECK_U64(rows[1].reclaimed_slab, 0);
	CHECK_U64(rows[1].tier_overage, 0);
	CHECK_INT(rows[1].last_stop, 0);
	CHECK_STR(rows[2].cgroup.path, "");
	CHECK_U64(rows[2].usage, 0);
	for (i = 0; i < 3; i++) {
		size_t len = strlen(rows[i].cgroup.path);

		/* the path buffer past the NUL and what was not sent: zero */
		CHECK(!memcmp(rows[i].cgroup.path + len, zero.cgroup.path,
			      sizeof(zero.cgroup.path) - len));
		CHECK_U64(rows[i].tier_backing_pages, 0);
	}
	fake_stop(&f, mc);
	free(rows);
}

TEST(fake_reclaim_opts)
{
	struct memctl_reclaim_opts old = { .sz = sizeof(size_t) };
	struct memctl_reclaim_result r;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_reclaim);
	MEMCTL_OPTS(memctl_reclaim_opts, opts, .classes = MEMCTL_F_CLASS_SLAB);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_reclaim_opts(mc, "/app", 0, 64 << 20, &opts, &r), 0);
	CHECK_U64(req_u64(&f, MEMCTL_A_RECLAIM_BYTES), 64 << 20);
	CHECK(req_has(&f, MEMCTL_A_RECLAIM_CLASSES));
	CHECK_U64(r.freed_file, 3 << 20);
	/* NULL, and a structure from before classes: the kernel's default */
	CHECK_INT(memctl_reclaim_opts(mc, "/app", 0, 1 << 20, NULL, NULL), 0);
	CHECK(!req_has(&f, MEMCTL_A_RECLAIM_CLASSES));
	old.classes = MEMCTL_F_CLASS_ANON;	/* past its sz: not read */
	CHECK_INT(memctl_reclaim_opts(mc, "/app", 0, 1 << 20, &old, NULL), 0);
	CHECK(!req_has(&f, MEMCTL_A_RECLAIM_CLASSES));
	fake_stop(&f, mc);
}

/* ---- MEMCTL_1.2 ---- */

/* Never answers: the request's timeout must end the wait. */
static void script_silent(struct fake *f, const struct nlmsghdr *req,
			  uint32_t to)
{
	(void)f;
	(void)req;
	(void)to;
}

TEST(fake_timeout)
{
	struct memctl_info info;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_silent);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_set_timeout(NULL, 1), -EINVAL);
	CHECK_INT(memctl_set_timeout(mc, 100), 0);
	CHECK_INT(memctl_get_info(mc, &info), -ETIMEDOUT);
	CHECK_INT(memctl_policy_foreach(mc, NULL, NULL), -EINVAL);
	/* dumps too */
	{
		struct memctl_cgroup_stats *rows = (void *)1;
		size_t n = 7;

		CHECK_INT(memctl_cgroup_stats_list(mc, &rows, &n), -ETIMEDOUT);
		CHECK(rows == NULL);
		CHECK_INT((int)n, 0);
	}
	/* the handle still works when the kernel answers */
	f.script = script_info;
	CHECK_INT(memctl_get_info(mc, &info), 0);
	CHECK_STR(info.version, "9.9.9");
	fake_stop(&f, mc);
}

/*
 * The memctl family of f->arg: -ENOENT from generic netlink (no extack) for
 * requests of another id; CTRL_CMD_GETFAMILY answers f->arg, or -ENOENT
 * while it is 0 (a dump of the families lists it while it is not 0).  Requests of the family get "no policy" (-ENOENT, a
 * message, no attribute) for POLICY_GET of "/nopolicy", "no such cgroup"
 * (blaming the path) for "/nocgroup", and an ack otherwise.
 */
static int ctrl_by_name;

static void script_family(struct fake *f, const struct nlmsghdr *req,
			  uint32_t to)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nlattr *path;

	if (req->nlmsg_type == GENL_ID_CTRL) {
		bool dump = req->nlmsg_flags & NLM_F_DUMP;
		struct nl_msg *msg;

		if (!dump) {
			/* a lookup by name, which would load the module */
			ctrl_by_name++;
			if (!f->arg) {
				fake_ack(f, to, req, -ENOENT, NULL, 0);
				return;
			}
		}
		/* the families: nlctrl, and memctl while it is there */
		msg = nlmsg_alloc_size(1024);
		genlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, GENL_ID_CTRL,
			    0, dump ? NLM_F_MULTI : 0, CTRL_CMD_NEWFAMILY, 2);
		nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, dump ? GENL_ID_CTRL : f->arg);
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME,
			       dump ? "nlctrl" : MEMCTL_GENL_NAME);
		fake_send(f, to, msg);
		if (dump && f->arg) {
			msg = nlmsg_alloc_size(1024);
			genlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq,
				    GENL_ID_CTRL, 0, NLM_F_MULTI,
				    CTRL_CMD_NEWFAMILY, 2);
			nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, f->arg);
			nla_put_string(msg, CTRL_ATTR_FAMILY_NAME,
				       MEMCTL_GENL_NAME);
			fake_send(f, to, msg);
		}
		if (dump)
			fake_done(f, to, req, 0, 0, NULL);
		else
			fake_ack(f, to, req, 0, NULL, 0);
		return;
	}
	if (req->nlmsg_type != f->arg) {
		fake_ack(f, to, req, -ENOENT, NULL, 0);
		return;
	}
	path = nlmsg_find_attr((struct nlmsghdr *)req, GENL_HDRLEN,
			       MEMCTL_A_POLICY_CGROUP_PATH);
	if (path && !strcmp(nla_data(path), "/nopolicy"))
		fake_ack(f, to, req, -ENOENT, "this cgroup has no policy", 0);
	else if (path && !strcmp(nla_data(path), "/nocgroup"))
		fake_ack(f, to, req, -ENOENT, "no such cgroup",
			 MEMCTL_A_POLICY_CGROUP_PATH);
	else if (g->cmd == MEMCTL_CMD_GET_INFO)
		script_info(f, req, to);
	else if (req->nlmsg_flags & NLM_F_DUMP)
		fake_done(f, to, req, 0, 0, NULL);
	else
		fake_ack(f, to, req, 0, NULL, 0);
}

static int reached(const struct memctl_cgroup_stats *s, void *arg)
{
	(void)s;
	(void)arg;
	return 1;
}

static int no_policy(const struct memctl_policy *p, void *arg)
{
	(void)p;
	(void)arg;
	return 1;
}

/* The codes of MEMCTL_1.2, and a handle that finds a reloaded family. */
TEST(fake_codes_and_reload)
{
	struct fake f;
	struct memctl *mc = fake_start(&f, script_family);

	CHECK(mc != NULL);
	if (!mc)
		return;
	f.arg = FAMILY;
	/* MEMCTL_1.0's codes: -ENOENT for all three */
	CHECK_INT(memctl_policy_del(mc, "/nopolicy", 0), -ENOENT);
	CHECK_INT(memctl_policy_del(mc, "/nocgroup", 0), -ENOENT);
	mc->codes_1_2 = true;
	CHECK_INT(memctl_policy_del(mc, "/nopolicy", 0), -ENODATA);
	CHECK_STR(memctl_errmsg(mc), "this cgroup has no policy");
	CHECK_INT(memctl_policy_del(mc, "/nocgroup", 0), -ENOENT);
	CHECK_INT(memctl_err_attr(mc), MEMCTL_A_POLICY_CGROUP_PATH);
	CHECK_INT(memctl_policy_del(mc, "/app", 0), 0);

	/* unloaded: the family is gone, and stays gone */
	f.arg = 0;
	CHECK_INT(memctl_policy_del(mc, "/app", 0), -ESHUTDOWN);
	CHECK(mc->gone);
	CHECK_INT(memctl_cgroup_stats_foreach(mc, reached, NULL), -ESHUTDOWN);
	mc->codes_1_2 = false;
	CHECK_INT(memctl_policy_del(mc, "/app", 0), -ENOENT);
	mc->codes_1_2 = true;

	/* loaded again with another id: found, and the request goes there */
	f.arg = FAMILY + 5;
	CHECK_INT(memctl_policy_del(mc, "/app", 0), 0);
	CHECK_INT(last_req(&f)->nlmsg_type, FAMILY + 5);
	CHECK(!mc->gone);
	/* and again, found by a dump's refusal this time */
	f.arg = FAMILY + 6;
	CHECK_INT(memctl_policy_foreach(mc, no_policy, NULL), 0);
	CHECK_INT(last_req(&f)->nlmsg_type, FAMILY + 6);
	f.arg = FAMILY + 7;
	CHECK_INT(memctl_cgroup_stats_foreach(mc, reached, NULL), 0);
	CHECK_INT(last_req(&f)->nlmsg_type, FAMILY + 7);
	CHECK_INT(memctl_policy_del(mc, "/app", 0), 0);
	CHECK_INT(last_req(&f)->nlmsg_type, FAMILY + 7);
	/* found again by listing the families: nothing was loaded */
	CHECK_INT(ctrl_by_name, 0);
	fake_stop(&f, mc);
}

TEST(strerror_words)
{
	CHECK_STR(memctl_strerror(-ENOPROTOOPT),
		  "the memctl kernel module is not loaded");
	CHECK_STR(memctl_strerror(-ESHUTDOWN),
		  "the memctl kernel module was unloaded");
	CHECK_STR(memctl_strerror(-ENOENT), "no such cgroup");
	CHECK_STR(memctl_strerror(-ENODATA), "no such policy or tier");
	CHECK(strstr(memctl_strerror(ETIMEDOUT), "in time") != NULL);
	CHECK_STR(memctl_strerror(-EBUSY), strerror(EBUSY));
	CHECK_STR(memctl_module_event_name(MEMCTL_MODULE_UNLOADED), "unloaded");
	CHECK_STR(memctl_module_event_name(MEMCTL_MODULE_LOADED), "loaded");
	CHECK_STR(memctl_module_event_name(0), "unknown");
	CHECK_STR(memctl_event_type_name(MEMCTL_EVENT_MODULE), "module");
}

TEST(open_opts_checks)
{
	struct memctl_open_opts big = { .sz = sizeof(big),
					.timeout_ms = 1ULL << 32 };
	struct memctl_open_opts tiny = { .sz = 1 };
	struct memctl *mc = (struct memctl *)1;
	struct memctl_events *ev = (struct memctl_events *)1;
	int err;

	CHECK_INT(memctl_open_opts(&mc, &big), -EINVAL);
	CHECK(mc == NULL);
	CHECK_INT(memctl_open_opts(&mc, &tiny), -EINVAL);
	CHECK_INT(memctl_open_opts(NULL, NULL), -EINVAL);
	err = memctl_open_opts(&mc, NULL);
	if (err == 0) {
		printf("# memctl family present: skipping -ENOPROTOOPT\n");
		memctl_close(mc);
		return;
	}
	CHECK_INT(err, -ENOPROTOOPT);
	CHECK_INT(memctl_events_open_opts(&ev, NULL), -ENOPROTOOPT);
	CHECK(ev == NULL);
}

/* memctl_cgroup_stats_list(): the same rows as memctl_stats_foreach(). */
TEST(fake_cgroup_stats_list)
{
	struct memctl_stats *old = calloc(3, sizeof(*old)), old_total;
	struct memctl_cgroup_stats *rows, total;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_stats_rows);
	size_t n, i;

	if (!old || !mc) {
		CHECK(0);
		free(old);
		return;
	}
	CHECK_INT(memctl_stats_foreach(mc, keep_stats, old), 0);
	CHECK_INT(memctl_cgroup_stats_list(mc, &rows, &n), 0);
	CHECK_INT((int)n, 3);
	CHECK_STR(rows[0].cgroup.path, "/a/rather/long/path");
	CHECK_STR(rows[1].cgroup.path, "/b");
	CHECK_STR(rows[2].cgroup.path, "");
	for (i = 0; i < n; i++) {
		CHECK_U64(rows[i].cgroup.id, old[i].cgroup.id);
		CHECK_STR(rows[i].cgroup.path, old[i].cgroup.path);
		/* every statistic, byte for byte */
		CHECK(!memcmp(&rows[i].usage, &old[i].usage,
			      sizeof(struct memctl_stats) -
			      offsetof(struct memctl_stats, usage)));
	}
	CHECK_U64(rows[0].tier_overage, 9);
	CHECK_U64(rows[0].present, MEMCTL_STATS_HAS_AUTO);
	CHECK_INT(memctl_cgroup_stats_sum(rows, n, &total),
		  memctl_stats_sum(old, 3, &old_total));
	CHECK_STR(total.cgroup.path, "");
	CHECK(!memcmp(&total.usage, &old_total.usage,
		      sizeof(struct memctl_stats) -
		      offsetof(struct memctl_stats, usage)));
	memctl_cgroup_stats_free(rows);
	memctl_cgroup_stats_free(NULL);
	fake_stop(&f, mc);
	free(old);
}

struct cg_rows {
	struct memctl_cgroup_stats row[3];
	char path[3][32];
	int calls, stop_at;
};

/* Keeps a copy of each row (its path too: it lives only in the call). */
static int keep_cg_row(const struct memctl_cgroup_stats *s, void *arg)
{
	struct cg_rows *c = arg;

	if (c->calls < 3) {
		c->row[c->calls] = *s;
		snprintf(c->path[c->calls], sizeof(c->path[0]), "%s",
			 s->cgroup.path);
	}
	c->calls++;
	return c->stop_at && c->calls == c->stop_at ? 7 : 0;
}

/* memctl_cgroup_stats_foreach(): the rows of the list, one at a time. */
TEST(fake_cgroup_stats_foreach)
{
	struct memctl_cgroup_stats *rows;
	struct cg_rows c = { 0 };
	struct fake f;
	struct memctl *mc = fake_start(&f, script_stats_rows);
	size_t n;
	int i;

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_cgroup_stats_list(mc, &rows, &n), 0);
	CHECK_INT((int)n, 3);
	CHECK_INT(memctl_cgroup_stats_foreach(mc, keep_cg_row, &c), 0);
	CHECK_INT(c.calls, 3);
	CHECK_INT(last_cmd(&f), MEMCTL_CMD_STATS_GET);
	for (i = 0; i < 3 && n == 3; i++) {
		CHECK_STR(c.path[i], rows[i].cgroup.path);
		CHECK_U64(c.row[i].cgroup.id, rows[i].cgroup.id);
		/* every statistic, byte for byte: nothing of the row before */
		CHECK(!memcmp(&c.row[i].usage, &rows[i].usage,
			      sizeof(*rows) -
			      offsetof(struct memctl_cgroup_stats, usage)));
	}
	memctl_cgroup_stats_free(rows);

	/* the callback's value ends the walk and comes back */
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	CHECK_INT(memctl_cgroup_stats_foreach(mc, keep_cg_row, &c), 7);
	CHECK_INT(c.calls, 2);
	CHECK_INT(memctl_cgroup_stats_foreach(mc, NULL, &c), -EINVAL);
	CHECK_INT(memctl_cgroup_stats_foreach(NULL, keep_cg_row, &c), -EINVAL);
	fake_stop(&f, mc);
}

/* Two good rows, then one whose usage is a u32: malformed. */
static void script_stats_bad_third(struct fake *f, const struct nlmsghdr *req,
				   uint32_t to)
{
	struct nl_msg *msg;
	int i;

	for (i = 1; i <= 3; i++) {
		msg = fake_genl(req, MEMCTL_CMD_STATS_GET, NLM_F_MULTI);
		nla_put_string(msg, MEMCTL_A_STATS_CGROUP_PATH, "/row");
		nla_put_u64(msg, MEMCTL_A_STATS_CGROUP_ID, (uint64_t)i);
		if (i < 3)
			nla_put_u64(msg, MEMCTL_A_STATS_USAGE, 1);
		else
			nla_put_u32(msg, MEMCTL_A_STATS_USAGE, 1);
		fake_send(f, to, msg);
	}
	fake_done(f, to, req, 0, 0, NULL);
}

/* A malformed row fails the call before the callback saw any row. */
TEST(fake_cgroup_stats_foreach_malformed)
{
	struct cg_rows c = { 0 };
	struct fake f;
	struct memctl *mc = fake_start(&f, script_stats_bad_third);

	CHECK(mc != NULL);
	if (!mc)
		return;
	CHECK_INT(memctl_cgroup_stats_foreach(mc, keep_cg_row, &c), -EPROTO);
	CHECK_INT(c.calls, 0);
	fake_stop(&f, mc);
}

static void script_stats_one(struct fake *f, const struct nlmsghdr *req,
			     uint32_t to)
{
	struct nl_msg *msg = fake_genl(req, MEMCTL_CMD_STATS_GET, 0);

	nla_put_string(msg, MEMCTL_A_STATS_CGROUP_PATH, "/one/row");
	nla_put_u64(msg, MEMCTL_A_STATS_CGROUP_ID, 41);
	nla_put_u64(msg, MEMCTL_A_STATS_USAGE, 4096);
	nla_put_u64(msg, MEMCTL_A_STATS_AUTO_PUSHBACKS, 3);
	fake_send(f, to, msg);
	fake_ack(f, to, req, 0, NULL, 0);
}

/* One row: its path lives in the handle, the statistics where they go. */
TEST(fake_cgroup_stats_get)
{
	struct memctl_cgroup_stats s;
	struct fake f;
	struct memctl *mc = fake_start(&f, script_stats_one);

	CHECK(mc != NULL);
	if (!mc)
		return;
	memset(&s, 0xaa, sizeof(s));
	CHECK_INT(memctl_cgroup_stats_get(mc, "/one/row", 0, &s), 0);
	CHECK_STR(s.cgroup.path, "/one/row");
	CHECK_U64(s.cgroup.id, 41);
	CHECK_U64(s.usage, 4096);
	CHECK_U64(s.auto_pushbacks, 3);
	CHECK_U64(s.present, MEMCTL_STATS_HAS_AUTO);
	CHECK_U64(s.tier_overage, 0);
	CHECK_U64(s.reserved[1], 0);
	CHECK(req_has(&f, MEMCTL_A_STATS_CGROUP_PATH));
	CHECK_INT(memctl_cgroup_stats_get(mc, NULL, 0, &s), -EINVAL);
	CHECK_INT(memctl_cgroup_stats_get(NULL, "/a", 0, &s), -EINVAL);
	fake_stop(&f, mc);
}
