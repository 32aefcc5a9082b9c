// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tier's caps are hard and hierarchical: tier-max and tier off hold for
 * every store into /dev/memctl0, whoever reclaims, and a parent's bind its
 * whole subtree.
 *  - the kernel's own reclaim under memory.max: a cgroup's compressed bytes
 *    in the tier never pass its tier-max, sampled all along; the stores
 *    past it are refused (tier.cap_refusals), the pages stay in RAM, and
 *    every page comes back bit for bit;
 *  - the same with the cap on the parent and the pages in a child;
 *  - a parent's tier off keeps a child's pages out of the tier
 *  - a policy that says neither tier on nor off keeps nothing out
 *    (memory.reclaim);
 *  - a child's one-shot reclaim stops at its parent's cap.
 *
 * The workloads can live under memory.max with the cap reached: half their
 * pages are same-filled (stored in no bytes, so the kernel can always push
 * them out), and the rest fits under memory.max.
 */
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "cgutil.h"
#include "nltest.h"
#include "tierwork.h"
#include "kselftest_harness.h"

#define DEV "/dev/" MEMCTL_TIER_DEVICE_NAME

#define CAP		(1 * MiB)
#define WORK_PAGES	(32 * MiB / PAGE)
/* Holds the pages that are not same-filled (half of them: 16 MiB), and more. */
#define WORK_MAX	"24M"

/* STATS_GET: a cgroup's share of the tier and its policy's refusals. */
struct tcg {
	uint64_t stored, bytes, same, overage, refusals;
};

static int tcg_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_STATS_MAX + 1];
	struct tcg *c = arg;

	nlt_parse(nlh, tb, MEMCTL_A_STATS_MAX);
	if (!tb[MEMCTL_A_STATS_TIER_STORED_PAGES] ||
	    !tb[MEMCTL_A_STATS_TIER_COMPRESSED_BYTES] ||
	    !tb[MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES] ||
	    !tb[MEMCTL_A_STATS_TIER_OVERAGE])
		return -EIO;
	c->stored = nlt_u64(tb[MEMCTL_A_STATS_TIER_STORED_PAGES]);
	c->bytes = nlt_u64(tb[MEMCTL_A_STATS_TIER_COMPRESSED_BYTES]);
	c->same = nlt_u64(tb[MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES]);
	c->overage = nlt_u64(tb[MEMCTL_A_STATS_TIER_OVERAGE]);
	if (tb[MEMCTL_A_STATS_TIER_CAP_REFUSALS])
		c->refusals = nlt_u64(tb[MEMCTL_A_STATS_TIER_CAP_REFUSALS]);
	return 0;
}

static int cg_tier(struct nlt *nl, const char *cg, struct tcg *c)
{
	static struct nlt_msg m;

	memset(c, 0, sizeof(*c));
	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_STATS_GET);
	nlt_put_str(&m, MEMCTL_A_STATS_CGROUP_PATH, cg);
	return nlt_talk(nl, &m, tcg_cb, c);
}

static int policy_set(struct nlt *nl, const char *cg, int tier,
		      uint64_t tier_max)
{
	static struct nlt_msg m;
	struct nlt_classes c;

	/* high far above use: the policy's worker stays idle. */
	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	nlt_put_u64(&m, MEMCTL_A_POLICY_HIGH, 1ULL << 30);
	nlt_put_u64(&m, MEMCTL_A_POLICY_TARGET, 512 * MiB);
	/*
	 * Every class this kernel offers (6.1 without kernel symbols has no
	 * file route, and the kernel refuses a class it cannot do): the
	 * classes do not matter here, the policy's own episodes never run.
	 */
	nlt_put_u32(&m, MEMCTL_A_POLICY_CLASSES,
		    nlt_classes(nl, &c) ? MEMCTL_F_CLASS_SLAB : c.classes);
	if (tier >= 0)		/* -1: tier not said */
		nlt_put_u8(&m, MEMCTL_A_POLICY_TIER, tier);
	nlt_put_u64(&m, MEMCTL_A_POLICY_TIER_MAX, tier_max);
	return nlt_talk(nl, &m, NULL, NULL);
}

static int stop_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_RECLAIM_MAX + 1];

	nlt_parse(nlh, tb, MEMCTL_A_RECLAIM_MAX);
	if (!tb[MEMCTL_A_RECLAIM_STOP])
		return -EIO;
	*(uint32_t *)arg = nlt_u32(tb[MEMCTL_A_RECLAIM_STOP]);
	return 0;
}

static void tier_reset(struct nlt *nl)
{
	static struct nlt_msg m;

	swapoff(DEV);
	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_TIER_DEL);
	nlt_talk(nl, &m, NULL, NULL);
}

static int tier_swapon(struct nlt *nl, uint64_t size)
{
	static struct nlt_msg m;
	int err;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_TIER_SET);
	nlt_put_u64(&m, MEMCTL_A_TIER_SIZE, size);
	nlt_put_str(&m, MEMCTL_A_TIER_ALGO, "lz4");
	err = nlt_talk(nl, &m, NULL, NULL);
	if (err)
		return err;
	if (system("mkswap " DEV " >/dev/null 2>&1"))
		return -EIO;
	if (swapon(DEV, SWAP_FLAG_PREFER | (10 << SWAP_FLAG_PRIO_SHIFT)))
		return -errno;
	return 0;
}

static const char *const words[] = {
	"memory", "cgroup", "page", "the", "of", "reclaim", "swap", "tier",
	"compressed", "a", "to", "slab", "dentry", "inode", "and", "kernel",
};

/*
 * Page @i of stream @seed: even pages same-filled with a word that is not
 * zero (6.12 and later keep zero pages out of swap themselves), one in
 * four of the others random (stored raw), the rest text.
 */
static void fill_page(char *p, uint64_t seed, size_t i)
{
	uint64_t r = mix(seed * 1000003 + i), *w = (uint64_t *)p;
	size_t off, n;
	int j;

	if (!(i % 2)) {
		for (j = 0; j < PAGE / 8; j++)
			w[j] = r | 1;
		return;
	}
	if (i % 8 == 1) {
		for (j = 0; j < PAGE / 8; j++)
			w[j] = mix(r + j);
		return;
	}
	for (off = 0; off < PAGE; off += n) {
		const char *wd = words[(r = mix(r)) % 16];

		n = strlen(wd) + 1;
		if (n > PAGE - off)
			n = PAGE - off;
		memcpy(p + off, wd, n);
		p[off + n - 1] = r & 0x100 ? ' ' : '\n';
	}
	w[0] = seed;
	w[1] = i;
}

/*
 * Waits for the worker's reply to its fill ('F') or, after a 'V', to its
 * check (the count of pages that came back wrong, in *@bad); meanwhile
 * samples @cg's compressed bytes in the tier every 20 ms, the highest in
 * *@peak.  -EIO if the worker died (killed by the OOM killer, say).
 */
static int worker_wait(struct worker *w, struct nlt *nl, const char *cg,
		       int fill, size_t *bad, uint64_t *peak)
{
	struct pollfd pfd = { .fd = w->rep, .events = POLLIN };
	struct tcg c;
	char f;

	for (;;) {
		if (!cg_tier(nl, cg, &c) && c.bytes > *peak)
			*peak = c.bytes;
		if (poll(&pfd, 1, 20) == 1)
			break;
	}
	if (fill)
		return read(w->rep, &f, 1) == 1 && f == 'F' ? 0 : -EIO;
	return read(w->rep, bad, sizeof(*bad)) == sizeof(*bad) ? 0 : -EIO;
}

static void worker_stop(struct worker *w)
{
	int status;

	if (w->pid <= 0)
		return;
	kill(w->pid, SIGKILL);
	close(w->cmd);
	close(w->rep);
	waitpid(w->pid, &status, 0);
	w->pid = 0;
}

FIXTURE(caps) {
	struct nlt nl;
	char top[64], app[80];
	struct worker w;
};

FIXTURE_SETUP(caps)
{
	ASSERT_EQ(0, nlt_open(&self->nl));
	tier_reset(&self->nl);
	snprintf(self->top, sizeof(self->top), "/memctl-caps.%d", getpid());
	snprintf(self->app, sizeof(self->app), "%s/app", self->top);
	ASSERT_EQ(0, cg_create(self->top, 1));
	ASSERT_EQ(0, cg_create(self->app, 0));
	ASSERT_EQ(0, tier_swapon(&self->nl, 256 * MiB)) TH_LOG("%s", self->nl.errmsg);
}

FIXTURE_TEARDOWN(caps)
{
	worker_stop(&self->w);
	cg_destroy(self->top);
	tier_reset(&self->nl);
	nlt_close(&self->nl);
}

/*
 * The workload in @self->app under memory.max, pushed out by the kernel's
 * reclaim alone, with the cap on @capped: its bytes never pass CAP, stores
 * past it are refused, every page comes back.
 */
static void under_memory_max(struct __test_metadata *_metadata,
			     FIXTURE_DATA(caps) *self, const char *capped)
{
	uint64_t peak = 0;
	struct tcg c, a;
	size_t bad = 1;

	ASSERT_EQ(0, cg_write(self->app, "memory.max", WORK_MAX));
	ASSERT_EQ(0, worker_start(&self->w, self->app, fill_page, 21, WORK_PAGES, 0));
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, capped, 1, NULL, &peak))
		TH_LOG("the workload died while it filled");
	ASSERT_EQ(0, write(self->w.cmd, "V", 1) == 1 ? 0 : -EIO);
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, capped, 0, &bad, &peak))
		TH_LOG("the workload died while it checked its pages");
	EXPECT_EQ(0, bad) TH_LOG("%zu pages came back wrong", bad);

	ASSERT_EQ(0, cg_tier(&self->nl, capped, &c));
	ASSERT_EQ(0, cg_tier(&self->nl, self->app, &a));
	TH_LOG("%s: peak %llu bytes (cap %llu), now %llu bytes in %llu pages (%llu same-filled), %llu refusals; swap charged %lld",
	       capped, (unsigned long long)peak, (unsigned long long)CAP,
	       (unsigned long long)c.bytes, (unsigned long long)c.stored,
	       (unsigned long long)c.same, (unsigned long long)c.refusals,
	       cg_read_ll(self->app, "memory.swap.current"));
	EXPECT_GE(CAP, peak);
	EXPECT_GE(CAP, c.bytes);
	EXPECT_EQ(0, c.overage);
	/* The kernel's reclaim did store there: same-filled pages, and more. */
	EXPECT_LT(0, a.same);
	EXPECT_LT(a.same, a.stored);
	/* And found the cap. */
	EXPECT_LT(0, c.refusals);
}

TEST_F_TIMEOUT(caps, memory_max_holds_tier_max, 600)
{
	ASSERT_EQ(0, policy_set(&self->nl, self->app, 1, CAP))
		TH_LOG("%s", self->nl.errmsg);
	under_memory_max(_metadata, self, self->app);
}

TEST_F_TIMEOUT(caps, parent_tier_max_binds_child, 600)
{
	/* The child's own policy has no cap: the parent's holds. */
	ASSERT_EQ(0, policy_set(&self->nl, self->top, 1, CAP))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, policy_set(&self->nl, self->app, 1, 0))
		TH_LOG("%s", self->nl.errmsg);
	under_memory_max(_metadata, self, self->top);
}

TEST_F_TIMEOUT(caps, parent_tier_off_binds_child, 600)
{
	uint64_t peak = 0;
	struct tcg c, t;
	size_t bad = 1;

	ASSERT_EQ(0, policy_set(&self->nl, self->top, 0, 0))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, policy_set(&self->nl, self->app, 1, 0))
		TH_LOG("%s", self->nl.errmsg);
	/* No memory.max: nothing may leave, and the kernel must not OOM. */
	ASSERT_EQ(0, worker_start(&self->w, self->app, fill_page, 22, WORK_PAGES / 2, 0));
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, self->app, 1, NULL, &peak));
	/* The kernel's proactive reclaim; EAGAIN when it freed less. */
	cg_write(self->app, "memory.reclaim", "12M");

	ASSERT_EQ(0, cg_tier(&self->nl, self->app, &c));
	ASSERT_EQ(0, cg_tier(&self->nl, self->top, &t));
	TH_LOG("app: %llu pages stored; top: %llu refusals",
	       (unsigned long long)c.stored, (unsigned long long)t.refusals);
	EXPECT_EQ(0, c.stored);
	EXPECT_EQ(0, t.stored);
	EXPECT_EQ(0, peak);
	EXPECT_LT(0, t.refusals);
	ASSERT_EQ(0, write(self->w.cmd, "V", 1) == 1 ? 0 : -EIO);
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, self->app, 0, &bad, &peak));
	EXPECT_EQ(0, bad);

	/* The parent's tier on again: the same reclaim stores. */
	ASSERT_EQ(0, policy_set(&self->nl, self->top, 1, 0));
	cg_write(self->app, "memory.reclaim", "12M");
	ASSERT_EQ(0, cg_tier(&self->nl, self->app, &c));
	EXPECT_LT(0, c.stored);
}

/* Does POLICY_GET of @cg carry MEMCTL_A_POLICY_TIER?  1, 0, or -errno. */
static int tier_said_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_POLICY_MAX + 1];

	nlt_parse(nlh, tb, MEMCTL_A_POLICY_MAX);
	*(int *)arg = tb[MEMCTL_A_POLICY_TIER] != NULL;
	return 0;
}

static int tier_said(struct nlt *nl, const char *cg)
{
	static struct nlt_msg m;
	int said = -EIO, err;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_GET);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	err = nlt_talk(nl, &m, tier_said_cb, &said);
	return err ? err : said;
}

/*
 * A policy that does not say tier on or off (one for slab and page cache)
 * closes the tier to nobody: the kernel's reclaim of a child stores there
 * as without it; GET leaves the attribute out.
 */
TEST_F_TIMEOUT(caps, unsaid_tier_binds_nothing, 600)
{
	uint64_t peak = 0;
	struct tcg c, t;
	size_t bad = 1;

	ASSERT_EQ(0, policy_set(&self->nl, self->top, -1, 0))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, policy_set(&self->nl, self->app, -1, 0))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(0, tier_said(&self->nl, self->top));
	ASSERT_EQ(0, policy_set(&self->nl, self->top, 0, 0));
	EXPECT_EQ(1, tier_said(&self->nl, self->top));
	ASSERT_EQ(0, policy_set(&self->nl, self->top, -1, 0));
	EXPECT_EQ(0, tier_said(&self->nl, self->top));

	ASSERT_EQ(0, worker_start(&self->w, self->app, fill_page, 24, WORK_PAGES / 2, 0));
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, self->app, 1, NULL, &peak));
	/* The kernel's proactive reclaim; EAGAIN when it freed less. */
	cg_write(self->app, "memory.reclaim", "12M");
	ASSERT_EQ(0, cg_tier(&self->nl, self->app, &c));
	ASSERT_EQ(0, cg_tier(&self->nl, self->top, &t));
	TH_LOG("app: %llu pages stored; top: %llu refusals",
	       (unsigned long long)c.stored, (unsigned long long)t.refusals);
	EXPECT_LT(0, c.stored);
	EXPECT_EQ(0, t.refusals);
	ASSERT_EQ(0, write(self->w.cmd, "V", 1) == 1 ? 0 : -EIO);
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, self->app, 0, &bad, &peak));
	EXPECT_EQ(0, bad);
}

TEST_F_TIMEOUT(caps, child_oneshot_respects_parent_cap, 600)
{
	static struct nlt_msg m;
	uint32_t stop = 0;
	uint64_t peak = 0;
	size_t bad = 1;
	struct tcg t;
	int err;

	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE | MEMCTL_F_CLASS_ANON);

	ASSERT_EQ(0, policy_set(&self->nl, self->top, 1, CAP))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, policy_set(&self->nl, self->app, 1, 0))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, worker_start(&self->w, self->app, fill_page, 23, WORK_PAGES, 0));
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, self->top, 1, NULL, &peak));

	/* One-shot, anon only, of the child, far more than the cap allows. */
	nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_RECLAIM);
	nlt_put_str(&m, MEMCTL_A_RECLAIM_CGROUP_PATH, self->app);
	nlt_put_u64(&m, MEMCTL_A_RECLAIM_BYTES, 24 * MiB);
	nlt_put_u32(&m, MEMCTL_A_RECLAIM_CLASSES, MEMCTL_F_CLASS_ANON);
	err = nlt_talk_answer(&self->nl, &m, stop_cb, &stop);
	if (err == -EOPNOTSUPP)
		SKIP(return, "memctl cannot reclaim anon memory here: %s", self->nl.errmsg);
	ASSERT_EQ(0, err) TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(MEMCTL_STOP_TIER_CAP, stop);

	ASSERT_EQ(0, cg_tier(&self->nl, self->top, &t));
	TH_LOG("top: %llu bytes (cap %llu), %llu refusals",
	       (unsigned long long)t.bytes, (unsigned long long)CAP,
	       (unsigned long long)t.refusals);
	EXPECT_GE(CAP, t.bytes);
	EXPECT_LT(0, t.stored);
	ASSERT_EQ(0, write(self->w.cmd, "V", 1) == 1 ? 0 : -EIO);
	ASSERT_EQ(0, worker_wait(&self->w, &self->nl, self->top, 0, &bad, &peak));
	EXPECT_EQ(0, bad);
	EXPECT_GE(CAP, peak);
}

TEST_HARNESS_MAIN
