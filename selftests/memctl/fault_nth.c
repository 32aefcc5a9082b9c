// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault_nth: fails, once each, every fault-injection point (slab and page
 * allocations) that one POLICY_SET request passes in the kernel, and checks
 * what each failure left behind.  For the fault_policy.sh scenario; run as
 * root on a kernel with fault injection (the debug kernel), with
 * failslab/ignore-gfp-wait, fail_page_alloc/ignore-gfp-wait and
 * ignore-gfp-highmem at N and fail_page_alloc/min-order at 0, so that every
 * allocation counts.
 *
 *   fault_nth [-w] [-p PASSES] CGROUP [MAX_N]
 *
 * CGROUP is a cgroup2 path (/fault/a) with the memory controller and no
 * policy.  For N = 1, 2, ...: the POLICY_SET message is built whole, N is
 * written to /proc/thread-self/fail-nth, the message is sent (the kernel
 * handles a generic netlink request in the sender's task, inside sendmsg),
 * fail-nth is read back (0: the Nth point failed; more than 0: the request
 * passed fewer than N points) and set to 0, and only then is the reply
 * read.  After each request POLICY_GET and GET_INFO check the table:
 *  - refused (sendmsg failed, or the kernel answered an error): the cgroup
 *    has no policy and NR_POLICIES is what it was;
 *  - reply lost (recv: ENOBUFS, the kernel could not allocate its ACK; the
 *    caller cannot know the outcome): no policy, or the policy with exactly
 *    the asked values;
 *  - accepted: the policy with exactly the asked values, one more policy
 *    (when the Nth point failed, the code there did without: tolerated).
 * The policy is then deleted.  A pass ends at the first N the request did
 * not reach, which must have been accepted; MAX_N (default 10000) bounds
 * it.  The sequence of points is not the same from one request to the next
 * (a slab that needs a new page adds one), so that a pass can step over a
 * point: PASSES passes (default 3) are made, and with -w more, up to three
 * times as many, as long as the last pass named a call site that none
 * before it had.
 *
 * The same is then done for a replace: the policy exists with values A and
 * the request asks for B.  Refused: A, exactly; lost: A or B; accepted: B.
 *
 * -w names each point: with failslab/verbose and fail_page_alloc/verbose at
 * 2 the kernel logs the stack of every injected failure (but of
 * __GFP_NOWARN allocations: kmemleak's own objects, the first try of an
 * xarray node or of an skb's data); the caller of the allocator (with its
 * offset) and two frames above it, read from /dev/kmsg, name the call
 * site.  A site must fail the same way every time.
 *
 * Prints a line per point failed, the call sites, then per sweep:
 *   fault_nth: create: 3 passes, P points failed: S at sendmsg, R refused
 *   by the kernel, L replies lost, T tolerated[; C call sites named, M in
 *   memctl, F memctl refusals; U unnamed]; accepted at N=a,b,c
 * (on one line).  Exit 0 when every check held, 1 on the first that did not
 * (with a FAIL line), 4 when fail-nth is absent, 64 for usage.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/time.h>

#include "nltest.h"

#define MiB (1ULL << 20)

struct values {
	uint64_t high, target, tier_max;
	uint32_t interval, classes, slab_first, pressure;
	uint8_t tier;
};

/* What POLICY_GET said. */
struct got {
	char path[MEMCTL_CGROUP_PATH_MAX];
	struct values v;
	int n;		/* attributes found */
};

struct sweep {
	const char *name;
	unsigned int passes, points, at_send, refused, lost, tolerated;
	/* -w: call sites, and how many were in the module */
	unsigned int named, named_memctl, refused_memctl, unnamed;
	char accepted_at[64];	/* the first N not reached, per pass */
};

static struct nlt nl;
static struct nlt_msg msg;
static const char *cgroup;
static int nth_fd = -1;
static int kmsg_fd = -1;
static char rbuf[4 * NLT_BUF];

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (nth_fd >= 0)
		(void)!write(nth_fd, "0", 1);
	fputs("FAIL: fault_nth: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(1);
}

static const char *errname(int err)
{
	static char buf[32];

	switch (err) {
	case ENOMEM: return "ENOMEM";
	case ENOBUFS: return "ENOBUFS";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOSPC: return "ENOSPC";
	case EFAULT: return "EFAULT";
	}
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static int info_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_INFO_MAX + 1];
	uint32_t *out = arg;

	nlt_parse(nlh, tb, MEMCTL_A_INFO_MAX);
	if (!tb[MEMCTL_A_INFO_NR_POLICIES] || !tb[MEMCTL_A_INFO_CLASSES])
		return -EIO;
	out[0] = nlt_u32(tb[MEMCTL_A_INFO_NR_POLICIES]);
	out[1] = nlt_u32(tb[MEMCTL_A_INFO_CLASSES]);
	return 0;
}

/* GET_INFO: the number of policies; the classes this kernel reclaims. */
static uint32_t nr_policies(uint32_t *classes)
{
	struct nlt_msg *m = calloc(1, sizeof(*m));
	uint32_t out[2] = { 0, 0 };
	int err;

	if (!m)
		fail("out of memory");
	nlt_msg_init(m, nl.family, 0, MEMCTL_CMD_GET_INFO);
	err = nlt_talk(&nl, m, info_cb, out);
	free(m);
	if (err)
		fail("GET_INFO: %s %s", errname(-err), nl.errmsg);
	if (classes)
		*classes = out[1];
	return out[0];
}

static int policy_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_POLICY_MAX + 1];
	struct got *g = arg;

	nlt_parse(nlh, tb, MEMCTL_A_POLICY_MAX);
	memset(g, 0, sizeof(*g));
	if (tb[MEMCTL_A_POLICY_CGROUP_PATH]) {
		snprintf(g->path, sizeof(g->path), "%s",
			 (const char *)nlt_data(tb[MEMCTL_A_POLICY_CGROUP_PATH]));
		g->n++;
	}
#define GET(attr, field, fn) \
	do { \
		if (tb[attr]) { \
			g->v.field = fn(tb[attr]); \
			g->n++; \
		} \
	} while (0)
#define U8(a) (*(const uint8_t *)nlt_data(a))
	GET(MEMCTL_A_POLICY_HIGH, high, nlt_u64);
	GET(MEMCTL_A_POLICY_TARGET, target, nlt_u64);
	GET(MEMCTL_A_POLICY_INTERVAL, interval, nlt_u32);
	GET(MEMCTL_A_POLICY_CLASSES, classes, nlt_u32);
	GET(MEMCTL_A_POLICY_SLAB_FIRST, slab_first, nlt_u32);
	GET(MEMCTL_A_POLICY_PRESSURE, pressure, nlt_u32);
	GET(MEMCTL_A_POLICY_TIER, tier, U8);
	GET(MEMCTL_A_POLICY_TIER_MAX, tier_max, nlt_u64);
#undef U8
#undef GET
	return 0;
}

/* POLICY_GET of the cgroup: 0 with *g filled, or -ENOENT. */
static int policy_get(struct got *g)
{
	struct nlt_msg *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		fail("out of memory");
	nlt_msg_init(m, nl.family, 0, MEMCTL_CMD_POLICY_GET);
	nlt_put_str(m, MEMCTL_A_POLICY_CGROUP_PATH, cgroup);
	g->n = -1;
	err = nlt_talk(&nl, m, policy_cb, g);
	free(m);
	if (err && err != -ENOENT)
		fail("POLICY_GET %s: %s %s", cgroup, errname(-err), nl.errmsg);
	if (!err && g->n != 9)
		fail("POLICY_GET %s: %d of 9 attributes", cgroup, g->n);
	return err;
}

static bool same_values(const struct got *g, const struct values *v)
{
	return !strcmp(g->path, cgroup) && g->v.high == v->high &&
	       g->v.target == v->target && g->v.interval == v->interval &&
	       g->v.classes == v->classes &&
	       g->v.slab_first == v->slab_first &&
	       g->v.pressure == v->pressure && g->v.tier == v->tier &&
	       g->v.tier_max == v->tier_max;
}

static const char *show(const struct got *g)
{
	static char buf[MEMCTL_CGROUP_PATH_MAX + 256];

	snprintf(buf, sizeof(buf),
		 "%s high %llu target %llu interval %u classes %#x slab_first %u pressure %u tier %u tier_max %llu",
		 g->path, (unsigned long long)g->v.high,
		 (unsigned long long)g->v.target, g->v.interval,
		 g->v.classes, g->v.slab_first, g->v.pressure, g->v.tier,
		 (unsigned long long)g->v.tier_max);
	return buf;
}

/* POLICY_SET or POLICY_DEL without injection; must succeed. */
static void plain(uint8_t cmd, const struct values *v)
{
	struct nlt_msg *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		fail("out of memory");
	nlt_msg_init(m, nl.family, 0, cmd);
	nlt_put_str(m, MEMCTL_A_POLICY_CGROUP_PATH, cgroup);
	if (v) {
		nlt_put_u64(m, MEMCTL_A_POLICY_HIGH, v->high);
		nlt_put_u64(m, MEMCTL_A_POLICY_TARGET, v->target);
		nlt_put_u32(m, MEMCTL_A_POLICY_INTERVAL, v->interval);
		nlt_put_u32(m, MEMCTL_A_POLICY_CLASSES, v->classes);
		nlt_put_u32(m, MEMCTL_A_POLICY_SLAB_FIRST, v->slab_first);
		nlt_put_u32(m, MEMCTL_A_POLICY_PRESSURE, v->pressure);
		nlt_put_u8(m, MEMCTL_A_POLICY_TIER, v->tier);
		nlt_put_u64(m, MEMCTL_A_POLICY_TIER_MAX, v->tier_max);
	}
	err = nlt_talk(&nl, m, NULL, NULL);
	free(m);
	if (err)
		fail("%s %s without injection: %s %s",
		     cmd == MEMCTL_CMD_POLICY_DEL ? "POLICY_DEL" : "POLICY_SET",
		     cgroup, errname(-err), nl.errmsg);
}

/* Frames of the allocator and of fault injection: not the point's caller. */
static bool allocator_frame(const char *f)
{
	static const char *const skip[] = {
		"dump_stack", "fail_dump", "should_fail", "__should_fail",
		"should_failslab", "slab_pre_alloc_hook", "kmem_cache_alloc",
		"__kmem_cache_alloc", "kmalloc", "__kmalloc", "__alloc_pages",
		"alloc_pages", "__folio_alloc", "folio_alloc", "prepare_alloc_pages",
		"__get_free_pages", "get_zeroed_page", "kmalloc_reserve",
	};
	size_t i, n;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		n = strlen(skip[i]);
		if (!strncmp(f, skip[i], n) && (f[n] == '+' || f[n] == '_' ||
						f[n] == '.'))
			return true;
	}
	return false;
}

/*
 * The first frames above the allocator of the failure the kernel logged
 * since the last call, as "a < b < c", or "" when it logged none.
 */
static const char *where(void)
{
	static char out[512];
	char rec[2048];
	int frames = 0;
	bool in_trace = false;
	ssize_t len;

	out[0] = 0;
	while ((len = read(kmsg_fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		char *msg, *end;

		if (len <= 0)
			continue;	/* EPIPE: overwritten records */
		rec[len] = 0;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = 0;
		if (strstr(msg, "FAULT_INJECTION: forcing a failure")) {
			in_trace = !out[0];
			continue;
		}
		if (!in_trace || msg[0] != ' ' || frames >= 3)
			continue;
		msg++;
		if (msg[0] == '?' || msg[0] == '<' || allocator_frame(msg))
			continue;
		if (!strncmp(msg, "entry_SYSCALL", 13) ||
		    !strncmp(msg, "do_syscall", 10)) {
			frames = 3;
			continue;
		}
		/*
		 * "func+0x1/0x2 [mod]" -> "func+0x1 [mod]" for the caller of
		 * the allocator, which tells apart two in one function, and
		 * "func [mod]" above it.
		 */
		end = strchr(msg, frames ? '+' : '/');
		if (end) {
			char *mod = strchr(end, '[');

			*end = 0;
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
				 "%s%s%s%s", frames ? " < " : "", msg,
				 mod ? " " : "", mod ? mod : "");
			frames++;
		}
	}
	return out;
}

/* The outcome of one request with the Nth injection point armed. */
enum outcome { ACCEPTED, REFUSED_SEND, REFUSED, LOST };

/*
 * Sends the prepared message with fail-nth at @n around sendmsg only.
 * *@hit: the Nth point failed.  Returns the outcome; *@err the errno.
 */
static enum outcome send_nth(unsigned int n, bool *hit, int *err)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t seq = ++nl.seq;
	char arm[16], left[16];
	ssize_t len, sent;
	int serr;

	msg.nlh.nlmsg_len = msg.len;
	msg.nlh.nlmsg_seq = seq;
	nl.errmsg[0] = 0;
	len = snprintf(arm, sizeof(arm), "%u", n);
	memset(left, 0, sizeof(left));

	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
	if (write(nth_fd, arm, len) != len)
		fail("write %s to fail-nth: %s", arm, strerror(errno));
	sent = sendto(nl.fd, msg.buf, msg.len, 0, (struct sockaddr *)&sa,
		      sizeof(sa));
	serr = errno;
	len = pread(nth_fd, left, sizeof(left) - 1, 0);
	if (write(nth_fd, "0", 1) != 1)
		fail("disarm fail-nth: %s", strerror(errno));
	if (len <= 0)
		fail("read fail-nth: %s", strerror(errno));
	*hit = strtoul(left, NULL, 10) == 0;

	if (sent < 0) {
		*err = serr;
		return REFUSED_SEND;
	}
	for (;;) {
		struct nlmsghdr *nlh;

		len = recv(nl.fd, rbuf, sizeof(rbuf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			return LOST;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			const struct nlmsgerr *e;

			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type != NLMSG_ERROR)
				fail("N=%u: unexpected reply type %u", n,
				     nlh->nlmsg_type);
			e = NLMSG_DATA(nlh);
			nlt_read_extack(&nl, nlh);
			*err = -e->error;
			return e->error ? REFUSED : ACCEPTED;
		}
	}
}

static void prepare(const struct values *v)
{
	nlt_msg_init(&msg, nl.family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(&msg, MEMCTL_A_POLICY_CGROUP_PATH, cgroup);
	nlt_put_u64(&msg, MEMCTL_A_POLICY_HIGH, v->high);
	nlt_put_u64(&msg, MEMCTL_A_POLICY_TARGET, v->target);
	nlt_put_u32(&msg, MEMCTL_A_POLICY_INTERVAL, v->interval);
	nlt_put_u32(&msg, MEMCTL_A_POLICY_CLASSES, v->classes);
	nlt_put_u32(&msg, MEMCTL_A_POLICY_SLAB_FIRST, v->slab_first);
	nlt_put_u32(&msg, MEMCTL_A_POLICY_PRESSURE, v->pressure);
	nlt_put_u8(&msg, MEMCTL_A_POLICY_TIER, v->tier);
	nlt_put_u64(&msg, MEMCTL_A_POLICY_TIER_MAX, v->tier_max);
}

/* Call sites named by the kernel's traces (-w), over all passes. */
#define MAX_SITES 64
static struct site {
	char name[160];
	const char *sweep;
	unsigned int count;
	enum outcome outcome;
} sites[MAX_SITES];
static unsigned int nr_sites;

static const char *const outcome_name[] = {
	[ACCEPTED] = "tolerated", [REFUSED_SEND] = "refused by sendmsg",
	[REFUSED] = "refused by the kernel", [LOST] = "reply lost",
};

static void add_site(struct sweep *s, const char *name, enum outcome o)
{
	unsigned int i;

	if (!name[0]) {
		s->unnamed++;
		return;
	}
	for (i = 0; i < nr_sites; i++) {
		if (sites[i].sweep == s->name && !strcmp(sites[i].name, name)) {
			sites[i].count++;
			if (sites[i].outcome != o)
				fail("%s: %s failed once with \"%s\", once with \"%s\"",
				     s->name, name, outcome_name[sites[i].outcome],
				     outcome_name[o]);
			return;
		}
	}
	if (nr_sites == MAX_SITES)
		fail("more than %d call sites", MAX_SITES);
	snprintf(sites[nr_sites].name, sizeof(sites[nr_sites].name), "%s", name);
	sites[nr_sites].sweep = s->name;
	sites[nr_sites].count = 1;
	sites[nr_sites].outcome = o;
	nr_sites++;
	s->named++;
	if (strstr(name, "[memctl]")) {
		s->named_memctl++;
		if (o == REFUSED)
			s->refused_memctl++;
	}
}

/*
 * One pass of a sweep: @old is the cgroup's policy before each request
 * (NULL: none), @new what the request asks for.
 */
static void sweep(struct sweep *s, const struct values *old,
		  const struct values *new, unsigned int max_n)
{
	uint32_t base = nr_policies(NULL), now;
	unsigned int n;

	prepare(new);
	for (n = 1; n <= max_n; n++) {
		enum outcome o;
		const char *site;
		bool hit, present;
		struct got g;
		int err = 0;

		if (old)
			plain(MEMCTL_CMD_POLICY_SET, old);
		o = send_nth(n, &hit, &err);
		site = kmsg_fd < 0 ? "" : where();
		present = !policy_get(&g);
		now = nr_policies(NULL);

		if (present && !same_values(&g, new) &&
		    !(old && same_values(&g, old)))
			fail("%s N=%u: a policy that is neither the old nor the new one: %s",
			     s->name, n, show(&g));
		if (now != base + (old || present))
			fail("%s N=%u: %u policies, %u before (policy %s)",
			     s->name, n, now, base,
			     present ? "present" : "absent");
		switch (o) {
		case ACCEPTED:
			if (!present || !same_values(&g, new))
				fail("%s N=%u: accepted, but the policy is %s",
				     s->name, n, present ? show(&g) : "absent");
			break;
		case REFUSED_SEND:
		case REFUSED:
			if (old ? !present || !same_values(&g, old) : present)
				fail("%s N=%u: refused (%s%s %s), but the policy is %s",
				     s->name, n,
				     o == REFUSED_SEND ? "sendmsg: " : "",
				     errname(err), nl.errmsg,
				     present ? show(&g) : "absent");
			break;
		case LOST:
			if (err != ENOBUFS)
				fail("%s N=%u: recv: %s", s->name, n,
				     strerror(err));
			break;
		}
		if (present && !old)
			plain(MEMCTL_CMD_POLICY_DEL, NULL);

		if (!hit) {
			if (o != ACCEPTED)
				fail("%s N=%u: no injected failure, yet %s %s",
				     s->name, n, errname(err), nl.errmsg);
			break;
		}
		s->points++;
		switch (o) {
		case ACCEPTED:
			s->tolerated++;
			break;
		case REFUSED_SEND:
			s->at_send++;
			break;
		case REFUSED:
			s->refused++;
			break;
		case LOST:
			s->lost++;
			break;
		}
		if (kmsg_fd >= 0)
			add_site(s, site, o);
		printf("# %s pass %u N=%u: %s", s->name, s->passes + 1, n,
		       outcome_name[o]);
		if (o != ACCEPTED)
			printf(": %s", errname(err));
		if (o == REFUSED && nl.errmsg[0])
			printf(" \"%s\"", nl.errmsg);
		if (o == LOST)
			printf(", %s", !present ? "no policy" :
			       same_values(&g, new) ? "the new policy" :
			       "the old policy");
		if (kmsg_fd >= 0)
			printf("; at %s", site[0] ? site :
			       "a __GFP_NOWARN allocation (no trace)");
		putchar('\n');
	}
	if (n > max_n)
		fail("%s: still failing at N=%u (MAX_N)", s->name, max_n);
	snprintf(s->accepted_at + strlen(s->accepted_at),
		 sizeof(s->accepted_at) - strlen(s->accepted_at), "%s%u",
		 s->passes ? "," : "", n);
	s->passes++;
	if (old)
		plain(MEMCTL_CMD_POLICY_DEL, NULL);
	if (nr_policies(NULL) != base)
		fail("%s: the table did not come back to %u policies", s->name,
		     base);
}

static void summary(const struct sweep *s)
{
	unsigned int i;

	for (i = 0; i < nr_sites; i++)
		if (sites[i].sweep == s->name)
			printf("# %s site: %s: %s, %u times\n", s->name,
			       sites[i].name, outcome_name[sites[i].outcome],
			       sites[i].count);
	printf("fault_nth: %s: %u passes, %u points failed: %u at sendmsg, %u refused by the kernel, %u replies lost, %u tolerated",
	       s->name, s->passes, s->points, s->at_send, s->refused, s->lost,
	       s->tolerated);
	if (kmsg_fd >= 0)
		printf("; %u call sites named, %u in memctl, %u memctl refusals; %u unnamed",
		       s->named, s->named_memctl, s->refused_memctl, s->unnamed);
	printf("; accepted at N=%s\n", s->accepted_at);
}

/*
 * At least @passes passes; with -w, more (up to three times as many) while
 * the last one still found a call site the others had not.
 */
static void run(struct sweep *s, const struct values *old,
		const struct values *new, unsigned int passes,
		unsigned int max_n)
{
	unsigned int named;

	do {
		named = s->named;
		sweep(s, old, new, max_n);
	} while (s->passes < passes ||
		 (kmsg_fd >= 0 && s->named > named && s->passes < 3 * passes));
	summary(s);
}

int main(int argc, char **argv)
{
	struct sweep create = { .name = "create" };
	struct sweep replace = { .name = "replace" };
	struct timeval tv = { .tv_sec = 10 };
	struct values a, b;
	unsigned int max_n = 10000, passes = 3;
	uint32_t classes, low;
	struct got g;
	int err;

	for (;;) {
		if (argc > 1 && !strcmp(argv[1], "-w")) {
			kmsg_fd = open("/dev/kmsg",
				       O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (kmsg_fd < 0)
				fail("/dev/kmsg: %s", strerror(errno));
		} else if (argc > 2 && !strcmp(argv[1], "-p")) {
			passes = strtoul(argv[2], NULL, 0);
			argv++;
			argc--;
		} else {
			break;
		}
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3 || argv[1][0] != '/' || !passes) {
		fprintf(stderr, "usage: fault_nth [-w] [-p PASSES] CGROUP [MAX_N]\n");
		return 64;
	}
	cgroup = argv[1];
	if (argc == 3)
		max_n = strtoul(argv[2], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		printf("SKIP: fault_nth: no /proc/thread-self/fail-nth: %s\n",
		       strerror(errno));
		return 4;
	}
	err = nlt_open(&nl);
	if (err)
		fail("the memctl family: %s", strerror(-err));
	/* A lost reply must not leave recv() waiting forever. */
	if (setsockopt(nl.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		fail("SO_RCVTIMEO: %s", strerror(errno));
	/* Fault in the reply buffer now: no page fault while armed. */
	memset(rbuf, 0, sizeof(rbuf));

	nr_policies(&classes);
	low = classes & -classes;
	if (!classes)
		fail("the kernel offers no reclaim class");
	if (!policy_get(&g))
		fail("%s has a policy already: %s", cgroup, show(&g));

	/* Every field other than its default, so that nothing passes by luck. */
	a = (struct values) {
		.high = 64 * MiB, .target = 40 * MiB, .tier_max = 8 * MiB,
		.interval = 250, .classes = classes, .slab_first = 25,
		.pressure = 50000, .tier = 1,
	};
	b = (struct values) {
		.high = 96 * MiB, .target = 48 * MiB, .tier_max = 0,
		.interval = 750, .classes = low, .slab_first = 60,
		.pressure = 0, .tier = 0,
	};

	run(&create, NULL, &a, passes, max_n);
	run(&replace, &a, &b, passes, max_n);
	close(nth_fd);
	nlt_close(&nl);
	return 0;
}
