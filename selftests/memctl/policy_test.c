// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policies over raw netlink: the round trip, replace, the dump (complete,
 * resumable, flagged when the table changes under it), every refusal (with
 * the attribute named and the table unchanged), permissions, concurrent
 * writers, and a policy following its cgroup when it is removed.
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/wait.h>

#include "cgutil.h"
#include "nltest.h"
#include "kselftest_harness.h"

#define MiB (1ULL << 20)
/*
 * Seconds a test that sets up hundreds of cgroups and policies may take: a
 * second or two on the stock kernel, past the harness's default 30 on the
 * debug kernel (KASAN, lockdep) under TCG on a loaded host.  A bound: a pass
 * never waits for it.
 */
#define MEMCTL_SLOW_TIMEOUT 600

struct pol {
	char path[MEMCTL_CGROUP_PATH_MAX];
	uint64_t id, high, target, tier_max;
	uint32_t interval, classes, slab_first, pressure, event;
	uint8_t tier;
};

static int pol_parse(const struct nlmsghdr *nlh, struct pol *p)
{
	const struct nlattr *tb[MEMCTL_A_POLICY_MAX + 1];

	nlt_parse(nlh, tb, MEMCTL_A_POLICY_MAX);
	if (!tb[MEMCTL_A_POLICY_CGROUP_PATH] || !tb[MEMCTL_A_POLICY_CGROUP_ID] ||
	    !tb[MEMCTL_A_POLICY_HIGH] || !tb[MEMCTL_A_POLICY_TARGET] ||
	    !tb[MEMCTL_A_POLICY_INTERVAL] || !tb[MEMCTL_A_POLICY_CLASSES] ||
	    !tb[MEMCTL_A_POLICY_SLAB_FIRST] || !tb[MEMCTL_A_POLICY_PRESSURE] ||
	    !tb[MEMCTL_A_POLICY_TIER_MAX])
		return -EIO;
	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s",
		 (const char *)nlt_data(tb[MEMCTL_A_POLICY_CGROUP_PATH]));
	p->id = nlt_u64(tb[MEMCTL_A_POLICY_CGROUP_ID]);
	p->high = nlt_u64(tb[MEMCTL_A_POLICY_HIGH]);
	p->target = nlt_u64(tb[MEMCTL_A_POLICY_TARGET]);
	p->interval = nlt_u32(tb[MEMCTL_A_POLICY_INTERVAL]);
	p->classes = nlt_u32(tb[MEMCTL_A_POLICY_CLASSES]);
	p->slab_first = nlt_u32(tb[MEMCTL_A_POLICY_SLAB_FIRST]);
	p->pressure = nlt_u32(tb[MEMCTL_A_POLICY_PRESSURE]);
	/* absent where the policy said neither tier on nor off */
	if (tb[MEMCTL_A_POLICY_TIER])
		p->tier = *(const uint8_t *)nlt_data(tb[MEMCTL_A_POLICY_TIER]);
	p->tier_max = nlt_u64(tb[MEMCTL_A_POLICY_TIER_MAX]);
	if (tb[MEMCTL_A_POLICY_EVENT])
		p->event = nlt_u32(tb[MEMCTL_A_POLICY_EVENT]);
	return 0;
}

static int pol_one_cb(const struct nlmsghdr *nlh, void *arg)
{
	return pol_parse(nlh, arg);
}

/* A dump, collected: ids in order, plus the fields of each. */
struct polset {
	int n, cap;
	struct pol *v;
};

static int polset_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct polset *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			return -ENOMEM;
	}
	return pol_parse(nlh, &s->v[s->n++]);
}

static int dump(struct nlt *nl, struct polset *s)
{
	static struct nlt_msg m;

	s->n = 0;
	nlt_msg_init(&m, nl->family, NLM_F_DUMP, MEMCTL_CMD_POLICY_GET);
	return nlt_talk(nl, &m, polset_cb, s);
}

static int polset_same(const struct polset *a, const struct polset *b)
{
	return a->n == b->n && !memcmp(a->v, b->v, a->n * sizeof(*a->v));
}

static void set_msg(struct nlt_msg *m, uint16_t family, const char *cg,
		    uint64_t high, uint64_t target)
{
	nlt_msg_init(m, family, 0, MEMCTL_CMD_POLICY_SET);
	if (cg)
		nlt_put_str(m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	nlt_put_u64(m, MEMCTL_A_POLICY_HIGH, high);
	nlt_put_u64(m, MEMCTL_A_POLICY_TARGET, target);
}

static int pol_set(struct nlt *nl, const char *cg, uint64_t high,
		   uint64_t target)
{
	static struct nlt_msg m;

	set_msg(&m, nl->family, cg, high, target);
	return nlt_talk(nl, &m, NULL, NULL);
}

static int pol_get(struct nlt *nl, const char *cg, struct pol *p)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_GET);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	return nlt_talk(nl, &m, pol_one_cb, p);
}

static int pol_del(struct nlt *nl, const char *cg)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_DEL);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	return nlt_talk(nl, &m, NULL, NULL);
}

FIXTURE(pol) {
	struct nlt nl;
	char top[64];		/* memory enabled below it */
	char a[80], b[80];	/* two cgroups that may have policies */
	char nomem[96];		/* a cgroup without the memory controller */
	struct nlt_msg m;
	struct polset before, after;
};

FIXTURE_SETUP(pol)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	snprintf(self->top, sizeof(self->top), "/memctl-test.%d", getpid());
	snprintf(self->a, sizeof(self->a), "%s/a", self->top);
	snprintf(self->b, sizeof(self->b), "%s/b", self->top);
	snprintf(self->nomem, sizeof(self->nomem), "%s/a/nomem", self->top);
	ASSERT_EQ(0, cg_create(self->top, 1));
	ASSERT_EQ(0, cg_create(self->a, 0));
	ASSERT_EQ(0, cg_create(self->b, 0));
	ASSERT_EQ(0, cg_create(self->nomem, 0));
}

FIXTURE_TEARDOWN(pol)
{
	cg_destroy(self->top);
	nlt_close(&self->nl);
	free(self->before.v);
	free(self->after.v);
}

TEST_F(pol, set_get_del_round_trip)
{
	struct pol p;

	ASSERT_EQ(0, pol_set(&self->nl, self->a, 64 * MiB, 32 * MiB));
	ASSERT_EQ(0, pol_get(&self->nl, self->a, &p));
	EXPECT_STREQ(self->a, p.path);
	EXPECT_EQ(cg_id(self->a), p.id);
	EXPECT_EQ(64 * MiB, p.high);
	EXPECT_EQ(32 * MiB, p.target);
	/* Documented defaults. */
	EXPECT_EQ(MEMCTL_INTERVAL_DEFAULT, p.interval);
	EXPECT_EQ(MEMCTL_CLASSES_DEFAULT, p.classes);
	EXPECT_EQ(MEMCTL_SLAB_FIRST_DEFAULT, p.slab_first);
	EXPECT_EQ(0, p.pressure);
	EXPECT_EQ(0, p.tier);
	EXPECT_EQ(0, p.tier_max);

	ASSERT_EQ(0, pol_del(&self->nl, self->a));
	EXPECT_EQ(-ENOENT, pol_get(&self->nl, self->a, &p));
	EXPECT_EQ(-ENOENT, pol_del(&self->nl, self->a));
}

TEST_F(pol, every_field_round_trips)
{
	struct pol p;

	NLT_NEED_CLASSES(&self->nl, __MEMCTL_F_CLASS_ALL);

	set_msg(&self->m, self->nl.family, NULL, 2ULL << 30, 1ULL << 30);
	nlt_put_u64(&self->m, MEMCTL_A_POLICY_CGROUP_ID, cg_id(self->b));
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_INTERVAL, 250);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_CLASSES, __MEMCTL_F_CLASS_ALL);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_SLAB_FIRST, 40);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_PRESSURE, 5000);
	nlt_put_u8(&self->m, MEMCTL_A_POLICY_TIER, 1);
	nlt_put_u64(&self->m, MEMCTL_A_POLICY_TIER_MAX, 256 * MiB);
	ASSERT_EQ(0, nlt_talk(&self->nl, &self->m, NULL, NULL)) TH_LOG("%s", self->nl.errmsg);

	/* Set by id, read by path: both name it in the reply. */
	ASSERT_EQ(0, pol_get(&self->nl, self->b, &p));
	EXPECT_STREQ(self->b, p.path);
	EXPECT_EQ(cg_id(self->b), p.id);
	EXPECT_EQ(2ULL << 30, p.high);
	EXPECT_EQ(1ULL << 30, p.target);
	EXPECT_EQ(250, p.interval);
	EXPECT_EQ(__MEMCTL_F_CLASS_ALL, p.classes);
	EXPECT_EQ(40, p.slab_first);
	EXPECT_EQ(5000, p.pressure);
	EXPECT_EQ(1, p.tier);
	EXPECT_EQ(256 * MiB, p.tier_max);

	/* Path and id together must agree. */
	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_POLICY_GET);
	nlt_put_str(&self->m, MEMCTL_A_POLICY_CGROUP_PATH, self->b);
	nlt_put_u64(&self->m, MEMCTL_A_POLICY_CGROUP_ID, cg_id(self->b));
	EXPECT_EQ(0, nlt_talk(&self->nl, &self->m, pol_one_cb, &p));
}

TEST_F(pol, replace_keeps_one_entry)
{
	uint64_t id = cg_id(self->a);
	struct pol p = {};
	int i, n = 0;

	ASSERT_EQ(0, pol_set(&self->nl, self->a, 64 * MiB, 32 * MiB));
	ASSERT_EQ(0, dump(&self->nl, &self->before));
	ASSERT_EQ(0, pol_set(&self->nl, self->a, 128 * MiB, 100 * MiB));
	ASSERT_EQ(0, dump(&self->nl, &self->after));
	EXPECT_EQ(self->before.n, self->after.n);
	for (i = 0; i < self->after.n; i++) {
		if (self->after.v[i].id == id) {
			n++;
			p = self->after.v[i];
		}
	}
	ASSERT_EQ(1, n);
	EXPECT_EQ(128 * MiB, p.high);
	EXPECT_EQ(100 * MiB, p.target);
}

/* One refusal: the errno, the attribute the kernel points at, a message. */
struct refusal {
	const char *what;
	int err;
	int bad_attr;	/* attribute type at NLMSGERR_ATTR_OFFS, or -1 */
	int miss_attr;	/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
};

static void check_refusal(struct __test_metadata *_metadata,
			  FIXTURE_DATA(pol) *self, const struct refusal *r)
{
	int ret = nlt_talk(&self->nl, &self->m, NULL, NULL);

	EXPECT_EQ(r->err, ret) TH_LOG("%s: got %d (%s)", r->what, ret, self->nl.errmsg);
	if (r->bad_attr >= 0)
		EXPECT_EQ(r->bad_attr, nlt_err_attr_type(&self->nl, &self->m))
			TH_LOG("%s: wrong attribute blamed", r->what);
	if (r->miss_attr >= 0)
		EXPECT_EQ(r->miss_attr, self->nl.err_miss_type)
			TH_LOG("%s: wrong missing attribute", r->what);
	/* Semantic refusals explain themselves in words. */
	if (r->err != -ERANGE)
		EXPECT_NE(0, self->nl.errmsg[0]) TH_LOG("%s: no extack message", r->what);
}

TEST_F(pol, refusals_change_nothing)
{
	char long_path[MEMCTL_CGROUP_PATH_MAX + 16];
	static const char *unnormalized[] = {
		"memctl-test", "/a//b", "/a/", "/a/./b", "/a/../b", "/.", "//",
	};
	struct refusal r;
	size_t i;

	/* Something in the table, to see that it stays as it is. */
	ASSERT_EQ(0, pol_set(&self->nl, self->b, 64 * MiB, 32 * MiB));
	ASSERT_EQ(0, dump(&self->nl, &self->before));

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	/* Drop HIGH: rebuild without it. */
	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(&self->m, MEMCTL_A_POLICY_CGROUP_PATH, self->a);
	nlt_put_u64(&self->m, MEMCTL_A_POLICY_TARGET, 32 * MiB);
	r = (struct refusal){ "high missing", -EINVAL, -1, MEMCTL_A_POLICY_HIGH };
	check_refusal(_metadata, self, &r);

	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(&self->m, MEMCTL_A_POLICY_CGROUP_PATH, self->a);
	nlt_put_u64(&self->m, MEMCTL_A_POLICY_HIGH, 64 * MiB);
	r = (struct refusal){ "target missing", -EINVAL, -1, MEMCTL_A_POLICY_TARGET };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, NULL, 64 * MiB, 32 * MiB);
	r = (struct refusal){ "cgroup missing", -EINVAL, -1, MEMCTL_A_POLICY_CGROUP_PATH };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 4096, 0);
	r = (struct refusal){ "high below range", -ERANGE, MEMCTL_A_POLICY_HIGH, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, MEMCTL_HIGH_MAX + 1, 0);
	r = (struct refusal){ "high above range", -ERANGE, MEMCTL_A_POLICY_HIGH, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 64 * MiB);
	r = (struct refusal){ "target == high", -EINVAL, MEMCTL_A_POLICY_TARGET, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 65 * MiB);
	r = (struct refusal){ "target > high", -EINVAL, MEMCTL_A_POLICY_TARGET, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_INTERVAL, MEMCTL_INTERVAL_MIN - 1);
	r = (struct refusal){ "interval too short", -ERANGE, MEMCTL_A_POLICY_INTERVAL, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_INTERVAL, MEMCTL_INTERVAL_MAX + 1);
	r = (struct refusal){ "interval too long", -ERANGE, MEMCTL_A_POLICY_INTERVAL, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_CLASSES, 1U << 7);
	r = (struct refusal){ "unknown class", -EOPNOTSUPP, MEMCTL_A_POLICY_CLASSES, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_CLASSES, 0);
	r = (struct refusal){ "no class", -ERANGE, MEMCTL_A_POLICY_CLASSES, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_SLAB_FIRST, 101);
	r = (struct refusal){ "slab-first > 100", -ERANGE, MEMCTL_A_POLICY_SLAB_FIRST, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_PRESSURE, MEMCTL_PRESSURE_MAX + 1);
	r = (struct refusal){ "pressure > 1 s/s", -ERANGE, MEMCTL_A_POLICY_PRESSURE, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u8(&self->m, MEMCTL_A_POLICY_TIER, 2);
	r = (struct refusal){ "tier not 0/1", -ERANGE, MEMCTL_A_POLICY_TIER, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_TIER_MAX, 5);
	r = (struct refusal){ "tier-max as u32", -ERANGE, MEMCTL_A_POLICY_TIER_MAX, -1 };
	/* A wrong length is -ERANGE or -EINVAL depending on the type. */
	r.err = nlt_talk(&self->nl, &self->m, NULL, NULL);
	EXPECT_TRUE(r.err == -EINVAL || r.err == -ERANGE);
	EXPECT_EQ(MEMCTL_A_POLICY_TIER_MAX, nlt_err_attr_type(&self->nl, &self->m));

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, MEMCTL_A_POLICY_EVENT, 1);
	r = (struct refusal){ "event is not an input", -EINVAL, MEMCTL_A_POLICY_EVENT, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u32(&self->m, 200, 1);
	r = (struct refusal){ "unknown attribute", -EINVAL, 200, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, "/memctl-no-such-cgroup", 64 * MiB, 32 * MiB);
	r = (struct refusal){ "unknown path", -ENOENT, MEMCTL_A_POLICY_CGROUP_PATH, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, NULL, 64 * MiB, 32 * MiB);
	nlt_put_u64(&self->m, MEMCTL_A_POLICY_CGROUP_ID, 0x7fffffffffffULL);
	r = (struct refusal){ "unknown id", -ENOENT, MEMCTL_A_POLICY_CGROUP_ID, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, self->a, 64 * MiB, 32 * MiB);
	nlt_put_u64(&self->m, MEMCTL_A_POLICY_CGROUP_ID, cg_id(self->b));
	r = (struct refusal){ "path and id disagree", -EINVAL, MEMCTL_A_POLICY_CGROUP_ID, -1 };
	check_refusal(_metadata, self, &r);

	for (i = 0; i < sizeof(unnormalized) / sizeof(*unnormalized); i++) {
		set_msg(&self->m, self->nl.family, unnormalized[i], 64 * MiB, 32 * MiB);
		r = (struct refusal){ unnormalized[i], -EINVAL, MEMCTL_A_POLICY_CGROUP_PATH, -1 };
		check_refusal(_metadata, self, &r);
	}

	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = 0;
	set_msg(&self->m, self->nl.family, long_path, 64 * MiB, 32 * MiB);
	r = (struct refusal){ "path too long", -ERANGE, MEMCTL_A_POLICY_CGROUP_PATH, -1 };
	r.err = nlt_talk(&self->nl, &self->m, NULL, NULL);
	EXPECT_TRUE(r.err == -EINVAL || r.err == -ERANGE) TH_LOG("path too long: %d", r.err);
	EXPECT_EQ(MEMCTL_A_POLICY_CGROUP_PATH, nlt_err_attr_type(&self->nl, &self->m));

	set_msg(&self->m, self->nl.family, self->nomem, 64 * MiB, 32 * MiB);
	r = (struct refusal){ "memory controller off", -EOPNOTSUPP, MEMCTL_A_POLICY_CGROUP_PATH, -1 };
	check_refusal(_metadata, self, &r);

	set_msg(&self->m, self->nl.family, "/", 64 * MiB, 32 * MiB);
	r = (struct refusal){ "root cgroup", -EINVAL, MEMCTL_A_POLICY_CGROUP_PATH, -1 };
	check_refusal(_metadata, self, &r);

	/* GET and DEL refuse the same way and change nothing either. */
	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_POLICY_DEL);
	nlt_put_str(&self->m, MEMCTL_A_POLICY_CGROUP_PATH, self->a);
	r = (struct refusal){ "del without policy", -ENOENT, -1, -1 };
	check_refusal(_metadata, self, &r);

	nlt_msg_init(&self->m, self->nl.family, NLM_F_DUMP, MEMCTL_CMD_POLICY_GET);
	nlt_put_str(&self->m, MEMCTL_A_POLICY_CGROUP_PATH, self->a);
	/* On 6.1 the end of a dump carries the message but no offset. */
	r = (struct refusal){ "dump with a filter", -EINVAL, -1, -1 };
	check_refusal(_metadata, self, &r);

	ASSERT_EQ(0, dump(&self->nl, &self->after));
	EXPECT_TRUE(polset_same(&self->before, &self->after));
}

/* Runs @fn in a child with the credentials it sets up; returns its status. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

struct perm_arg {
	const char *cg;
	int userns;
};

/* 0: every write refused with EPERM and every read allowed. */
static int try_unprivileged(void *p)
{
	struct perm_arg *a = p;
	struct polset s = {};
	struct nlt nl;

	if (a->userns) {
		/* Root in a new user namespace: no power outside it. */
		if (unshare(CLONE_NEWUSER))
			return 10;
		FILE *f = fopen("/proc/self/uid_map", "w");

		if (f) {
			fprintf(f, "0 0 1\n");
			fclose(f);
		}
	} else if (setgid(65534) || setuid(65534)) {
		return 11;
	}
	if (nlt_open(&nl))
		return 12;
	if (pol_set(&nl, a->cg, 64 * MiB, 32 * MiB) != -EPERM)
		return 13;
	if (!strstr(nl.errmsg, "CAP_SYS_ADMIN"))
		return 14;
	if (pol_del(&nl, a->cg) != -EPERM)
		return 15;
	if (dump(&nl, &s))
		return 16;
	return 0;
}

TEST_F(pol, unprivileged_callers_refused)
{
	struct perm_arg a = { .cg = self->a };
	struct pol p;

	ASSERT_EQ(0, pol_set(&self->nl, self->a, 64 * MiB, 32 * MiB));
	ASSERT_EQ(0, dump(&self->nl, &self->before));

	EXPECT_EQ(0, in_child(try_unprivileged, &a));
	a.userns = 1;
	EXPECT_EQ(0, in_child(try_unprivileged, &a));

	ASSERT_EQ(0, dump(&self->nl, &self->after));
	EXPECT_TRUE(polset_same(&self->before, &self->after));
	ASSERT_EQ(0, pol_get(&self->nl, self->a, &p));
	EXPECT_EQ(64 * MiB, p.high);
}

/* Waits for the next policy event about @id; 0 and *p, or -ETIMEDOUT. */
static int next_event(int fd, uint64_t id, struct pol *p, int timeout_ms)
{
	static char buf[65536];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (poll(&pfd, 1, timeout_ms) == 1) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;

		if (len < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);

			if (g->cmd != MEMCTL_CMD_POLICY_NTF)
				continue;
			if (!pol_parse(nlh, p) && p->id == id)
				return 0;
		}
	}
	return -ETIMEDOUT;
}

TEST_F(pol, events_and_cgroup_removal)
{
	char gone[96], path[PATH_MAX];
	struct nlt ev;
	uint64_t id;
	struct pol p;

	ASSERT_EQ(0, nlt_open(&ev));
	ASSERT_EQ(0, nlt_subscribe(&ev));

	snprintf(gone, sizeof(gone), "%s/gone", self->top);
	ASSERT_EQ(0, cg_create(gone, 0));
	id = cg_id(gone);

	ASSERT_EQ(0, pol_set(&self->nl, gone, 64 * MiB, 32 * MiB));
	ASSERT_EQ(0, next_event(ev.fd, id, &p, 5000));
	EXPECT_EQ(MEMCTL_POLICY_EVENT_CREATED, p.event);
	EXPECT_STREQ(gone, p.path);

	ASSERT_EQ(0, pol_set(&self->nl, gone, 96 * MiB, 32 * MiB));
	ASSERT_EQ(0, next_event(ev.fd, id, &p, 5000));
	EXPECT_EQ(MEMCTL_POLICY_EVENT_CHANGED, p.event);
	EXPECT_EQ(96 * MiB, p.high);

	ASSERT_EQ(0, pol_del(&self->nl, gone));
	ASSERT_EQ(0, next_event(ev.fd, id, &p, 5000));
	EXPECT_EQ(MEMCTL_POLICY_EVENT_DELETED, p.event);

	ASSERT_EQ(0, pol_set(&self->nl, gone, 64 * MiB, 32 * MiB));
	ASSERT_EQ(0, next_event(ev.fd, id, &p, 5000));
	snprintf(path, sizeof(path), CG_ROOT "%s", gone);
	ASSERT_EQ(0, rmdir(path));
	ASSERT_EQ(0, next_event(ev.fd, id, &p, 5000));
	EXPECT_EQ(MEMCTL_POLICY_EVENT_CGROUP_REMOVED, p.event);
	EXPECT_STREQ(gone, p.path);

	/* Gone from the table; a new cgroup of the same name starts empty. */
	ASSERT_EQ(0, dump(&self->nl, &self->after));
	for (int i = 0; i < self->after.n; i++)
		EXPECT_NE(id, self->after.v[i].id);
	ASSERT_EQ(0, cg_create(gone, 0));
	EXPECT_NE(id, cg_id(gone));
	EXPECT_EQ(-ENOENT, pol_get(&self->nl, gone, &p));
	nlt_close(&ev);
}

#define MANY 1000

TEST_F_TIMEOUT(pol, thousand_policies_dump_completely, MEMCTL_SLOW_TIMEOUT)
{
	char cg[128];
	int i, seen = 0;

	for (i = 0; i < MANY; i++) {
		snprintf(cg, sizeof(cg), "%s/m%04d", self->top, i);
		ASSERT_EQ(0, cg_create(cg, 0));
		ASSERT_EQ(0, pol_set(&self->nl, cg, 64 * MiB + i * 4096, 32 * MiB))
			TH_LOG("%s: %s", cg, self->nl.errmsg);
	}
	ASSERT_EQ(0, dump(&self->nl, &self->after));
	for (i = 0; i < self->after.n; i++) {
		const struct pol *p = &self->after.v[i];
		int k;

		if (i)
			EXPECT_LT(self->after.v[i - 1].id, p->id);
		if (sscanf(p->path + strlen(self->top), "/m%04d", &k) != 1)
			continue;
		EXPECT_EQ(64 * MiB + k * 4096, p->high);
		seen++;
	}
	EXPECT_EQ(MANY, seen);
}

/* A dump that the table changes under is flagged, not silently wrong. */
TEST_F_TIMEOUT(pol, changed_dump_is_flagged, MEMCTL_SLOW_TIMEOUT)
{
	static char buf[4096];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int i, fd, intr = 0, done = 0, n = 0, changed = 0;
	char cg[128];

	for (i = 0; i < 300; i++) {
		snprintf(cg, sizeof(cg), "%s/d%03d", self->top, i);
		ASSERT_EQ(0, cg_create(cg, 0));
		ASSERT_EQ(0, pol_set(&self->nl, cg, 64 * MiB, 32 * MiB));
	}
	/*
	 * A fresh socket that never read more than 4 KiB gets the dump in
	 * parts of about a page; the next part is made only when we read.
	 */
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_LE(0, fd);
	nlt_msg_init(&self->m, self->nl.family, NLM_F_DUMP, MEMCTL_CMD_POLICY_GET);
	self->m.nlh.nlmsg_len = self->m.len;
	self->m.nlh.nlmsg_seq = 4242;
	ASSERT_LE(0, sendto(fd, self->m.buf, self->m.len, 0,
			    (struct sockaddr *)&sa, sizeof(sa)));
	while (!done) {
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		struct nlmsghdr *nlh;

		ASSERT_LT(0, len);
		ASSERT_GE((ssize_t)sizeof(buf), len) TH_LOG("dump part larger than 4 KiB");
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			n++;
		}
		if (!changed) {
			/* Between two parts: a new entry. */
			ASSERT_LT(n, 300) TH_LOG("the dump came in one part");
			ASSERT_EQ(0, pol_set(&self->nl, self->a, 64 * MiB, 32 * MiB));
			changed = 1;
		}
	}
	close(fd);
	EXPECT_TRUE(intr);
}

/*
 * Several processes set and delete policies on the same cgroups at once;
 * then each sets its final state.  The table holds exactly that state: no
 * lost entry, no duplicate.
 */
#define WRITERS 4
#define CGS 40

static int writer(void *arg)
{
	const char *top = arg;
	unsigned int seed = getpid();
	struct nlt nl;
	char cg[128];
	int i;

	if (nlt_open(&nl))
		return 1;
	for (i = 0; i < 400; i++) {
		int k = rand_r(&seed) % CGS;

		snprintf(cg, sizeof(cg), "%s/c%02d", top, k);
		if (rand_r(&seed) & 1) {
			if (pol_set(&nl, cg, 64 * MiB, 32 * MiB))
				return 2;
		} else if (pol_del(&nl, cg) && nl.errmsg[0] == 0) {
			return 3;
		}
	}
	/* Final state: even cgroups have a policy, odd ones none. */
	for (i = 0; i < CGS; i++) {
		snprintf(cg, sizeof(cg), "%s/c%02d", top, i);
		if (i % 2 == 0 && pol_set(&nl, cg, 64 * MiB + i * 4096, 32 * MiB))
			return 4;
		if (i % 2 == 1) {
			int err = pol_del(&nl, cg);

			if (err && err != -ENOENT)
				return 5;
		}
	}
	nlt_close(&nl);
	return 0;
}

TEST_F_TIMEOUT(pol, concurrent_writers, MEMCTL_SLOW_TIMEOUT)
{
	pid_t pids[WRITERS];
	char cg[128];
	int i, status, even = 0;

	for (i = 0; i < CGS; i++) {
		snprintf(cg, sizeof(cg), "%s/c%02d", self->top, i);
		ASSERT_EQ(0, cg_create(cg, 0));
	}
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(writer(self->top));
	}
	for (i = 0; i < WRITERS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("writer %d: status %d", i, status);
	}
	ASSERT_EQ(0, dump(&self->nl, &self->after));
	for (i = 0; i < self->after.n; i++) {
		const struct pol *p = &self->after.v[i];
		int k;

		if (sscanf(p->path + strlen(self->top), "/c%02d", &k) != 1)
			continue;
		EXPECT_EQ(0, k % 2) TH_LOG("c%02d should have no policy", k);
		EXPECT_EQ(64 * MiB + k * 4096, p->high);
		even++;
	}
	EXPECT_EQ(CGS / 2, even);
}

TEST_HARNESS_MAIN
