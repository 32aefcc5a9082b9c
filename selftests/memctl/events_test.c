// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event subscriptions (MEMCTL_CMD_EVENTS_SUBSCRIBE, _UNSUBSCRIBE): a
 * subscribed socket gets events and an unsubscribed or never subscribed one
 * gets none; subscribing twice is one subscription; both commands refuse
 * attributes; subscribing needs no privilege, but the kernel bounds it: 8
 * sockets per user without CAP_SYS_ADMIN, 224 without it in all, 256 in
 * all, each refusal -EUSERS with its own extack message (and `memctl
 * monitor` saying so in one line); closing a socket frees its place at once.
 * Which events a subscriber sees is events_namespace.sh's subject.
 */
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "cgutil.h"
#include "nltest.h"
#include "kselftest_harness.h"

#define MiB (1ULL << 20)

/* The kernel's limits (kmod/netlink.c, Documentation/admin-guide.rst). */
#define SUBS_MAX	256
#define SUBS_RESERVE	32
#define SUBS_PER_USER	8

/* uids of the unprivileged subscribers; none of them is in use. */
#define UID_BASE	60000

FIXTURE(ev) {
	struct nlt nl;
	char top[64], a[80];
	struct nlt_msg m;
};

FIXTURE_SETUP(ev)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	snprintf(self->top, sizeof(self->top), "/memctl-events.%d", getpid());
	snprintf(self->a, sizeof(self->a), "%s/a", self->top);
	ASSERT_EQ(0, cg_create(self->top, 1));
	ASSERT_EQ(0, cg_create(self->a, 0));
}

FIXTURE_TEARDOWN(ev)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_POLICY_DEL);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, self->a);
	nlt_talk(&self->nl, &m, NULL, NULL);
	cg_destroy(self->top);
	nlt_close(&self->nl);
}

static int pol_set(struct nlt *nl, const char *cg, uint64_t high)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	nlt_put_u64(&m, MEMCTL_A_POLICY_HIGH, high);
	nlt_put_u64(&m, MEMCTL_A_POLICY_TARGET, high / 2);
	return nlt_talk(nl, &m, NULL, NULL);
}

static int unsubscribe(struct nlt *n)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, n->family, 0, MEMCTL_CMD_EVENTS_UNSUBSCRIBE);
	return nlt_talk(n, &m, NULL, NULL);
}

/*
 * Reads what is queued on @fd (waiting up to @timeout_ms for the first
 * datagram): the number of POLICY_NTF messages about a policy of high
 * @high, or -errno.
 */
static int policy_events(int fd, uint64_t high, int timeout_ms)
{
	static char buf[65536];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = 0;

	while (poll(&pfd, 1, n ? 0 : timeout_ms) == 1) {
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *nlh;

		if (len < 0)
			return errno == EAGAIN ? n : -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			const struct genlmsghdr *g = NLMSG_DATA(nlh);
			const struct nlattr *tb[MEMCTL_A_POLICY_MAX + 1];

			if (g->cmd != MEMCTL_CMD_POLICY_NTF)
				continue;
			nlt_parse(nlh, tb, MEMCTL_A_POLICY_MAX);
			if (tb[MEMCTL_A_POLICY_HIGH] &&
			    nlt_u64(tb[MEMCTL_A_POLICY_HIGH]) == high)
				n++;
		}
	}
	return n;
}

TEST_F(ev, subscribe_and_unsubscribe)
{
	struct nlt s, late, never;

	ASSERT_EQ(0, nlt_open(&s));
	ASSERT_EQ(0, nlt_open(&never));
	ASSERT_EQ(0, nlt_subscribe(&s));
	/* Twice is one subscription: one event per change. */
	ASSERT_EQ(0, nlt_subscribe(&s));
	ASSERT_EQ(0, pol_set(&self->nl, self->a, 64 * MiB));
	EXPECT_EQ(1, policy_events(s.fd, 64 * MiB, 10000));

	ASSERT_EQ(0, unsubscribe(&s));
	EXPECT_EQ(-ENOENT, unsubscribe(&s));
	EXPECT_NE(NULL, strstr(s.errmsg, "not subscribed")) TH_LOG("%s", s.errmsg);

	/*
	 * Subscribers get an event in the order they subscribed: once the
	 * later one has it, an earlier one would have it too.
	 */
	ASSERT_EQ(0, nlt_open(&late));
	ASSERT_EQ(0, nlt_subscribe(&late));
	ASSERT_EQ(0, pol_set(&self->nl, self->a, 96 * MiB));
	EXPECT_EQ(1, policy_events(late.fd, 96 * MiB, 10000));
	EXPECT_EQ(0, policy_events(s.fd, 96 * MiB, 0));
	EXPECT_EQ(0, policy_events(never.fd, 96 * MiB, 0));
	EXPECT_EQ(0, policy_events(never.fd, 64 * MiB, 0));
	nlt_close(&late);
	nlt_close(&never);
	nlt_close(&s);
}

TEST_F(ev, subscribe_refuses_attributes)
{
	static const uint8_t cmds[] = {
		MEMCTL_CMD_EVENTS_SUBSCRIBE, MEMCTL_CMD_EVENTS_UNSUBSCRIBE,
	};
	size_t i;

	for (i = 0; i < sizeof(cmds); i++) {
		struct nlattr *a;

		nlt_msg_init(&self->m, self->nl.family, 0, cmds[i]);
		a = nlt_put(&self->m, 1, "\0\0\0\0", 4);
		ASSERT_NE(NULL, a);
		EXPECT_EQ(-EINVAL, nlt_talk(&self->nl, &self->m, NULL, NULL));
		EXPECT_EQ((char *)a - self->m.buf, self->nl.err_attr_off);
	}
	/* The refused SUBSCRIBE did not subscribe. */
	EXPECT_EQ(-ENOENT, unsubscribe(&self->nl));
}

/* A child that subscribes sockets as another user. */
struct holder {
	pid_t pid;
	int res;	/* its results: one struct result per attempt */
	int hold;	/* closing it lets the child exit */
};

struct result {
	int err;
	char msg[240];
};

/*
 * Forks a child that drops to @uid (no capabilities), opens and subscribes
 * @n sockets, writes one struct result per attempt, and keeps them until
 * the parent closes h->hold.
 */
static int holder_start(struct holder *h, uid_t uid, int n)
{
	int res[2], hold[2];

	if (pipe(res) || pipe(hold))
		return -errno;
	h->pid = fork();
	if (h->pid < 0)
		return -errno;
	if (!h->pid) {
		struct nlt *s = calloc(n, sizeof(*s));
		char c;
		int i;

		close(res[0]);
		close(hold[1]);
		if (!s || setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid))
			_exit(2);
		for (i = 0; i < n; i++) {
			struct result r = {};

			r.err = nlt_open(&s[i]);
			if (!r.err)
				r.err = nlt_subscribe(&s[i]);
			snprintf(r.msg, sizeof(r.msg), "%s", s[i].errmsg);
			if (write(res[1], &r, sizeof(r)) != sizeof(r))
				_exit(3);
		}
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(res[1]);
	close(hold[0]);
	h->res = res[0];
	h->hold = hold[1];
	return 0;
}

static int holder_result(struct holder *h, struct result *r)
{
	ssize_t n;

	do {
		n = read(h->res, r, sizeof(*r));
	} while (n < 0 && errno == EINTR);
	return n == sizeof(*r) ? 0 : -EIO;
}

/* Lets the child go; its exit status. */
static int holder_stop(struct holder *h)
{
	int status = -1;

	close(h->hold);
	close(h->res);
	if (waitpid(h->pid, &status, 0) != h->pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * `memctl monitor` run as @uid: its exit status (127: no memctl to run),
 * and what it wrote in @err.
 */
static int cli_monitor(uid_t uid, char *err, size_t len)
{
	int out[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(out))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(out[1], 2);
		dup2(out[1], 1);
		if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid))
			_exit(126);
		/* A monitor that subscribed runs until the alarm. */
		alarm(30);
		execlp("memctl", "memctl", "monitor", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	n = read(out[0], err, len - 1);
	err[n > 0 ? n : 0] = '\0';
	close(out[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	/* Killed by the alarm: it had subscribed. */
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(ev, subscribers_are_bounded)
{
	int nr_users = (SUBS_MAX - SUBS_RESERVE) / SUBS_PER_USER;
	struct holder *h = calloc(nr_users + 1, sizeof(*h));
	struct nlt *root = calloc(SUBS_RESERVE + 1, sizeof(*root));
	struct result r;
	char line[512];
	int i, j, rc;

	ASSERT_NE(NULL, h);
	ASSERT_NE(NULL, root);
	/* 28 users without privilege, 8 sockets each and a refused ninth. */
	for (i = 0; i < nr_users; i++) {
		ASSERT_EQ(0, holder_start(&h[i], UID_BASE + i, SUBS_PER_USER + 1));
		for (j = 0; j < SUBS_PER_USER; j++) {
			ASSERT_EQ(0, holder_result(&h[i], &r));
			ASSERT_EQ(0, r.err) TH_LOG("uid %d, socket %d: %s %s",
						   UID_BASE + i, j, strerror(-r.err), r.msg);
		}
		ASSERT_EQ(0, holder_result(&h[i], &r));
		EXPECT_EQ(-EUSERS, r.err);
		EXPECT_NE(NULL, strstr(r.msg, "for this user: 8 sockets per user without CAP_SYS_ADMIN"))
			TH_LOG("uid %d: %s", UID_BASE + i, r.msg);
	}

	/* The CLI says so in one line, exit 1. */
	rc = cli_monitor(UID_BASE, line, sizeof(line));
	if (rc == 127) {
		TH_LOG("memctl is not on PATH: the CLI's message is not checked");
	} else {
		EXPECT_EQ(1, rc);
		EXPECT_NE(NULL, strstr(line, "memctl: monitor: too many event subscribers"))
			TH_LOG("%s", line);
	}

	/* A 29th user: the last 32 places are kept for CAP_SYS_ADMIN. */
	ASSERT_EQ(0, holder_start(&h[nr_users], UID_BASE + nr_users, 1));
	ASSERT_EQ(0, holder_result(&h[nr_users], &r));
	EXPECT_EQ(-EUSERS, r.err);
	EXPECT_NE(NULL, strstr(r.msg, "the last 32 places are kept for CAP_SYS_ADMIN"))
		TH_LOG("%s", r.msg);
	EXPECT_EQ(0, holder_stop(&h[nr_users]));

	/* Root takes them, and then the total is reached. */
	for (i = 0; i < SUBS_RESERVE; i++) {
		ASSERT_EQ(0, nlt_open(&root[i]));
		ASSERT_EQ(0, nlt_subscribe(&root[i]))
			TH_LOG("root socket %d: %s", i, root[i].errmsg);
	}
	ASSERT_EQ(0, nlt_open(&root[i]));
	EXPECT_EQ(-EUSERS, nlt_subscribe(&root[i]));
	EXPECT_NE(NULL, strstr(root[i].errmsg, "too many event subscribers: 256 sockets are subscribed"))
		TH_LOG("%s", root[i].errmsg);

	/* Closing a socket frees its place at once. */
	nlt_close(&root[0]);
	EXPECT_EQ(0, nlt_subscribe(&root[i])) TH_LOG("%s", root[i].errmsg);
	/* And unsubscribing too. */
	ASSERT_EQ(0, unsubscribe(&root[1]));
	EXPECT_EQ(0, nlt_subscribe(&self->nl)) TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(-EUSERS, nlt_subscribe(&root[1]));

	/*
	 * Users' places are given back when their sockets close.  Last first:
	 * each child holds the hold pipes of those started before it.
	 */
	for (i = nr_users - 1; i >= 0; i--)
		EXPECT_EQ(0, holder_stop(&h[i]));
	ASSERT_EQ(0, holder_start(&h[nr_users], UID_BASE + nr_users, 1));
	ASSERT_EQ(0, holder_result(&h[nr_users], &r));
	EXPECT_EQ(0, r.err) TH_LOG("%s %s", strerror(-r.err), r.msg);
	EXPECT_EQ(0, holder_stop(&h[nr_users]));

	for (i = 0; i <= SUBS_RESERVE; i++)
		nlt_close(&root[i]);
	free(root);
	free(h);
}

TEST_HARNESS_MAIN
