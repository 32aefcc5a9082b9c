// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reclaim engine and STATS_GET over raw netlink, on the ext4 scratch
 * disk of the VM:
 *  - a cgroup bloated with negative and positive dentries stays above its
 *    high mark without a policy (the control) and is brought under it by a
 *    slab-only policy, with slab freed and the page cache of its open files
 *    untouched;
 *  - a one-shot slab reclaim frees that cgroup's dentries and nothing of a
 *    neighbour's;
 *  - a page-cache-heavy cgroup is reclaimed without swapping;
 *  - anonymous memory is reclaimed (swapped) only when the policy allows it;
 *  - a cgroup under its high mark sees no reclaim;
 *  - the pressure limit stops episodes while the cgroup stalls, and does
 *    not once the stall is gone;
 *  - one-shots on the same cgroup are serialized (their accounts add up);
 *  - STATS_GET agrees with memory.current, memory.stat, memory.swap.current;
 *  - RECLAIM refusals name the attribute and change nothing.
 *
 * Sizes are scaled to what TCG does in a few seconds.
 */
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "cgutil.h"
#include "nltest.h"
#include "kselftest_harness.h"

#define MiB (1ULL << 20)
#define SCRATCH "/mnt/scratch"
/*
 * Seconds a test may take: a few on the stock kernel, many more on the
 * debug kernel (KASAN, lockdep) under TCG.  Waits inside tests are bounds
 * for the same reason; a pass never waits for them.
 */
#define MEMCTL_SLOW_TIMEOUT 600

/* ---- cgroup files ---------------------------------------------------- */

static long long cg_current(const char *cg)
{
	return cg_read_ll(cg, "memory.current");
}

static long long proc_vmstat(const char *key)
{
	char k[64];
	long long v, ret = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			ret = v;
	fclose(f);
	return ret;
}

/* Waits until memory.current <= @limit; 0, or -ETIMEDOUT. */
static int wait_usage_at_most(const char *cg, long long limit, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	do {
		if (cg_current(cg) <= limit)
			return 0;
		usleep(50000);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/* Waits until a policy has had @n episodes; 0, or -ETIMEDOUT. */
static int wait_episodes(struct nlt *nl, const char *cg, uint64_t n,
			 int timeout_ms);

/* ---- workloads, run in a child inside a cgroup ------------------------ */

struct load {
	const char *path;
	long n;			/* lookups, files, or MiB */
};

static int negdentries(void *p)
{
	const struct load *l = p;
	char path[PATH_MAX];
	struct stat st;
	long i;

	for (i = 0; i < l->n; i++) {
		snprintf(path, sizeof(path), "%s/no-such-file-%ld", l->path, i);
		if (!stat(path, &st))
			return 1;
	}
	return 0;
}

static int mkfiles(void *p)
{
	const struct load *l = p;
	char path[PATH_MAX];
	long i;
	int fd;

	for (i = 0; i < l->n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", l->path, i);
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			return 1;
		close(fd);
	}
	return 0;
}

/* Writes n MiB, fsync'd: clean page cache charged to the cgroup. */
static int writefile(void *p)
{
	const struct load *l = p;
	static char buf[1 << 16];
	long i;
	int fd;

	fd = open(l->path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	for (i = 0; i < l->n * 16; i++) {
		memset(buf, 'a' + i % 26, sizeof(buf));
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return 2;
	}
	if (fsync(fd))
		return 3;
	close(fd);
	return 0;
}

/* Touches n MiB of anonymous memory; start_in() holds it. */
static int anonhold(void *p)
{
	const struct load *l = p;
	size_t len = l->n * MiB, i;
	char *m;

	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	for (i = 0; i < len; i += 4096)
		snprintf(m + i, 64, "anon page %zu", i);
	return 0;
}

/* Maps, touches and unmaps n MiB of anonymous memory, over and over. */
static int anonchurn(void *p)
{
	const struct load *l = p;
	size_t len = l->n * MiB, i;
	char *m;

	for (;;) {
		m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return 1;
		for (i = 0; i < len; i += 4096)
			m[i] = 1;
		munmap(m, len);
	}
}

static int join_cgroup(const char *cg)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", getpid());
	return cg_write(cg, "cgroup.procs", buf);
}

/* Runs @fn in a child inside @cg and waits: its exit status, or -1. */
static int run_in(const char *cg, int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (join_cgroup(cg))
			_exit(99);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * Starts @fn in a child inside @cg; once fn returns 0 the child stays
 * (holding its memory) until killed.  Returns the pid once fn is done.
 */
static pid_t start_in(const char *cg, int (*fn)(void *), void *arg, int hold)
{
	int pfd[2];
	char c = 1;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (join_cgroup(cg) || fn(arg))
			_exit(1);
		if (write(pfd[1], &c, 1) != 1)
			_exit(1);
		while (hold)
			pause();
		_exit(0);
	}
	close(pfd[1]);
	if (pid > 0 && hold && read(pfd[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(pfd[0]);
	return pid;
}

static void stop_child(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* ---- netlink ----------------------------------------------------------- */

struct st {
	uint64_t id, usage, slab_r, slab_u, file, anon, swap;
	int has_policy;
	uint64_t high, target, episodes, steps, rec[3], time_ns, cpu_ns;
	uint64_t shortfalls, pressure_stops, limit_stops, last_freed;
	uint64_t last_duration;
	uint32_t last_stop;
	char path[MEMCTL_CGROUP_PATH_MAX];
};

static int st_parse(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_STATS_MAX + 1];
	struct st *s = arg;
	static const int need[] = {
		MEMCTL_A_STATS_CGROUP_PATH, MEMCTL_A_STATS_CGROUP_ID,
		MEMCTL_A_STATS_USAGE, MEMCTL_A_STATS_SLAB_RECLAIMABLE,
		MEMCTL_A_STATS_SLAB_UNRECLAIMABLE, MEMCTL_A_STATS_FILE,
		MEMCTL_A_STATS_ANON, MEMCTL_A_STATS_SWAP,
	};
	size_t i;

	nlt_parse(nlh, tb, MEMCTL_A_STATS_MAX);
	for (i = 0; i < sizeof(need) / sizeof(*need); i++)
		if (!tb[need[i]])
			return -EIO;
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s",
		 (const char *)nlt_data(tb[MEMCTL_A_STATS_CGROUP_PATH]));
	s->id = nlt_u64(tb[MEMCTL_A_STATS_CGROUP_ID]);
	s->usage = nlt_u64(tb[MEMCTL_A_STATS_USAGE]);
	s->slab_r = nlt_u64(tb[MEMCTL_A_STATS_SLAB_RECLAIMABLE]);
	s->slab_u = nlt_u64(tb[MEMCTL_A_STATS_SLAB_UNRECLAIMABLE]);
	s->file = nlt_u64(tb[MEMCTL_A_STATS_FILE]);
	s->anon = nlt_u64(tb[MEMCTL_A_STATS_ANON]);
	s->swap = nlt_u64(tb[MEMCTL_A_STATS_SWAP]);
	s->has_policy = !!tb[MEMCTL_A_STATS_HIGH];
	if (!s->has_policy)
		return 0;
	if (!tb[MEMCTL_A_STATS_TARGET] || !tb[MEMCTL_A_STATS_EPISODES] ||
	    !tb[MEMCTL_A_STATS_STEPS] || !tb[MEMCTL_A_STATS_RECLAIMED_SLAB] ||
	    !tb[MEMCTL_A_STATS_RECLAIMED_FILE] ||
	    !tb[MEMCTL_A_STATS_RECLAIMED_ANON] ||
	    !tb[MEMCTL_A_STATS_RECLAIM_TIME] || !tb[MEMCTL_A_STATS_SHORTFALLS] ||
	    !tb[MEMCTL_A_STATS_PRESSURE_STOPS] ||
	    !tb[MEMCTL_A_STATS_LAST_STOP] || !tb[MEMCTL_A_STATS_LAST_FREED] ||
	    !tb[MEMCTL_A_STATS_LAST_DURATION] ||
	    !tb[MEMCTL_A_STATS_RECLAIM_CPU])
		return -EIO;
	s->high = nlt_u64(tb[MEMCTL_A_STATS_HIGH]);
	s->target = nlt_u64(tb[MEMCTL_A_STATS_TARGET]);
	s->episodes = nlt_u64(tb[MEMCTL_A_STATS_EPISODES]);
	s->steps = nlt_u64(tb[MEMCTL_A_STATS_STEPS]);
	s->rec[0] = nlt_u64(tb[MEMCTL_A_STATS_RECLAIMED_SLAB]);
	s->rec[1] = nlt_u64(tb[MEMCTL_A_STATS_RECLAIMED_FILE]);
	s->rec[2] = nlt_u64(tb[MEMCTL_A_STATS_RECLAIMED_ANON]);
	s->time_ns = nlt_u64(tb[MEMCTL_A_STATS_RECLAIM_TIME]);
	s->cpu_ns = nlt_u64(tb[MEMCTL_A_STATS_RECLAIM_CPU]);
	s->shortfalls = nlt_u64(tb[MEMCTL_A_STATS_SHORTFALLS]);
	s->pressure_stops = nlt_u64(tb[MEMCTL_A_STATS_PRESSURE_STOPS]);
	s->limit_stops = tb[MEMCTL_A_STATS_LIMIT_STOPS] ?
			 nlt_u64(tb[MEMCTL_A_STATS_LIMIT_STOPS]) : UINT64_MAX;
	s->last_stop = nlt_u32(tb[MEMCTL_A_STATS_LAST_STOP]);
	s->last_freed = nlt_u64(tb[MEMCTL_A_STATS_LAST_FREED]);
	s->last_duration = nlt_u64(tb[MEMCTL_A_STATS_LAST_DURATION]);
	return 0;
}

/* Looks for one cgroup in a dump. */
struct find {
	uint64_t id;
	int found;
	struct st s;
};

static int find_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct find *f = arg;
	struct st s;
	int err = st_parse(nlh, &s);

	if (err)
		return err;
	if (s.id == f->id) {
		f->found++;
		f->s = s;
	}
	return 0;
}

static int stats_get(struct nlt *nl, const char *cg, struct st *s)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_STATS_GET);
	nlt_put_str(&m, MEMCTL_A_STATS_CGROUP_PATH, cg);
	s->id = 0;
	return nlt_talk(nl, &m, st_parse, s);
}

static int wait_episodes(struct nlt *nl, const char *cg, uint64_t n,
			 int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	struct st s;

	do {
		if (!stats_get(nl, cg, &s) && s.episodes >= n)
			return 0;
		usleep(50000);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

struct rres {
	uint64_t id, bytes, freed[3], duration, cpu, before, after;
	uint32_t classes, steps, stop, trigger;
};

static int rres_parse(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_RECLAIM_MAX + 1];
	struct rres *r = arg;
	int a;

	nlt_parse(nlh, tb, MEMCTL_A_RECLAIM_MAX);
	for (a = MEMCTL_A_RECLAIM_CGROUP_PATH; a <= MEMCTL_A_RECLAIM_CPU; a++)
		if (!tb[a])
			return -EIO;
	r->id = nlt_u64(tb[MEMCTL_A_RECLAIM_CGROUP_ID]);
	r->bytes = nlt_u64(tb[MEMCTL_A_RECLAIM_BYTES]);
	r->classes = nlt_u32(tb[MEMCTL_A_RECLAIM_CLASSES]);
	r->freed[0] = nlt_u64(tb[MEMCTL_A_RECLAIM_FREED_SLAB]);
	r->freed[1] = nlt_u64(tb[MEMCTL_A_RECLAIM_FREED_FILE]);
	r->freed[2] = nlt_u64(tb[MEMCTL_A_RECLAIM_FREED_ANON]);
	r->duration = nlt_u64(tb[MEMCTL_A_RECLAIM_DURATION]);
	r->steps = nlt_u32(tb[MEMCTL_A_RECLAIM_STEPS]);
	r->stop = nlt_u32(tb[MEMCTL_A_RECLAIM_STOP]);
	r->trigger = nlt_u32(tb[MEMCTL_A_RECLAIM_TRIGGER]);
	r->before = nlt_u64(tb[MEMCTL_A_RECLAIM_USAGE_BEFORE]);
	r->after = nlt_u64(tb[MEMCTL_A_RECLAIM_USAGE_AFTER]);
	r->cpu = nlt_u64(tb[MEMCTL_A_RECLAIM_CPU]);
	return 0;
}

static int reclaim(struct nlt *nl, const char *cg, uint64_t bytes,
		   uint32_t classes, struct rres *r)
{
	static __thread struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_RECLAIM);
	nlt_put_str(&m, MEMCTL_A_RECLAIM_CGROUP_PATH, cg);
	nlt_put_u64(&m, MEMCTL_A_RECLAIM_BYTES, bytes);
	if (classes)
		nlt_put_u32(&m, MEMCTL_A_RECLAIM_CLASSES, classes);
	memset(r, 0, sizeof(*r));
	return nlt_talk_answer(nl, &m, rres_parse, r);
}

struct polspec {
	uint64_t high, target;
	uint32_t classes, interval, pressure, slab_first;
};

static int pol_set(struct nlt *nl, const char *cg, const struct polspec *p)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	nlt_put_u64(&m, MEMCTL_A_POLICY_HIGH, p->high);
	nlt_put_u64(&m, MEMCTL_A_POLICY_TARGET, p->target);
	if (p->classes)
		nlt_put_u32(&m, MEMCTL_A_POLICY_CLASSES, p->classes);
	nlt_put_u32(&m, MEMCTL_A_POLICY_INTERVAL, p->interval ?: 50);
	nlt_put_u32(&m, MEMCTL_A_POLICY_PRESSURE, p->pressure);
	if (p->slab_first)
		nlt_put_u32(&m, MEMCTL_A_POLICY_SLAB_FIRST, p->slab_first);
	return nlt_talk(nl, &m, NULL, NULL);
}

static int pol_del(struct nlt *nl, const char *cg)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_DEL);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	return nlt_talk(nl, &m, NULL, NULL);
}

/* A socket subscribed to events. */
static int events_open(struct nlt *ev)
{
	int err = nlt_open(ev);

	return err ? err : nlt_subscribe(ev);
}

/*
 * Waits for a RECLAIM_NTF about @id, with stop @stop if nonzero.  0 and
 * *r, or -ETIMEDOUT.
 */
static int next_reclaim_event(struct nlt *ev, uint64_t id, uint32_t stop,
			      struct rres *r, int timeout_ms)
{
	static char buf[65536];
	struct pollfd pfd = { .fd = ev->fd, .events = POLLIN };
	long long end = now_ms() + timeout_ms;

	while (now_ms() < end &&
	       poll(&pfd, 1, end - now_ms()) == 1) {
		ssize_t len = recv(ev->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;

		if (len < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);

			if (g->cmd != MEMCTL_CMD_RECLAIM_NTF)
				continue;
			memset(r, 0, sizeof(*r));
			if (!rres_parse(nlh, r) && r->id == id &&
			    (!stop || r->stop == stop))
				return 0;
		}
	}
	return -ETIMEDOUT;
}

/* Reads and drops what arrives on @ev for @ms milliseconds. */
static void drain_events(struct nlt *ev, int ms)
{
	static char buf[65536];
	struct pollfd pfd = { .fd = ev->fd, .events = POLLIN };
	long long end = now_ms() + ms;

	while (now_ms() < end && poll(&pfd, 1, end - now_ms()) == 1)
		if (recv(ev->fd, buf, sizeof(buf), 0) < 0)
			return;
}

/* ---- page cache residency -------------------------------------------- */

/* Resident pages of an open file, or -1. */
static long resident_pages(int fd)
{
	struct stat st;
	unsigned char *vec;
	long n = 0, pages, i;
	void *m;

	if (fstat(fd, &st) || !st.st_size)
		return -1;
	pages = (st.st_size + 4095) / 4096;
	m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -1;
	vec = malloc(pages);
	if (vec && !mincore(m, st.st_size, vec))
		for (i = 0; i < pages; i++)
			n += vec[i] & 1;
	else
		n = -1;
	free(vec);
	munmap(m, st.st_size);
	return n;
}

/* ---- module parameters ----------------------------------------------- */

#define PARAMS "/sys/module/memctl/parameters/"

/* A module parameter: its value, or -1. */
static long param_read(const char *name)
{
	char path[128], buf[32];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Writes a module parameter: 0 or -errno. */
static int param_write(const char *name, long v)
{
	char path[128], buf[32];
	int fd, n, err = 0;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld", v);
	if (write(fd, buf, n) != n)
		err = -errno;
	close(fd);
	return err;
}

/* ---- the fixture -------------------------------------------------------- */

FIXTURE(rc) {
	struct nlt nl;
	char top[64];		/* memory enabled below it */
	char a[96], b[96];
	char dir[128];		/* on the scratch disk, removed at the end */
	char swapfile[160];
	pid_t kids[4];
	long run_steps_max, run_time_max_ms;	/* restored at the end */
};

FIXTURE_SETUP(rc)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat(SCRATCH, &st))
		SKIP(return, "no scratch disk at " SCRATCH);
	self->run_steps_max = param_read("run_steps_max");
	self->run_time_max_ms = param_read("run_time_max_ms");
	ASSERT_EQ(0, nlt_open(&self->nl));
	snprintf(self->top, sizeof(self->top), "/memctl-reclaim.%d", getpid());
	snprintf(self->a, sizeof(self->a), "%s/a", self->top);
	snprintf(self->b, sizeof(self->b), "%s/b", self->top);
	snprintf(self->dir, sizeof(self->dir), SCRATCH "/reclaim.%d", getpid());
	ASSERT_EQ(0, cg_create(self->top, 1));
	ASSERT_EQ(0, cg_create(self->a, 0));
	ASSERT_EQ(0, cg_create(self->b, 0));
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	snprintf(path, sizeof(path), "%s/a", self->dir);
	ASSERT_EQ(0, mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/b", self->dir);
	ASSERT_EQ(0, mkdir(path, 0755));
}

FIXTURE_TEARDOWN(rc)
{
	char cmd[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(self->kids) / sizeof(*self->kids); i++)
		stop_child(self->kids[i]);
	if (self->run_steps_max > 0)
		param_write("run_steps_max", self->run_steps_max);
	if (self->run_time_max_ms > 0)
		param_write("run_time_max_ms", self->run_time_max_ms);
	if (self->nl.family) {
		pol_del(&self->nl, self->a);
		pol_del(&self->nl, self->b);
		pol_del(&self->nl, self->top);
	}
	if (self->swapfile[0])
		swapoff(self->swapfile);
	cg_destroy(self->top);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (self->dir[0] && system(cmd))
		TH_LOG("cannot remove %s", self->dir);
	nlt_close(&self->nl);
}

/* A swap file of @mb MiB on the scratch disk; 0, or -errno. */
static int swap_on(FIXTURE_DATA(rc) *self, int mb)
{
	char cmd[PATH_MAX];

	snprintf(self->swapfile, sizeof(self->swapfile), "%s/swap", self->dir);
	snprintf(cmd, sizeof(cmd),
		 "dd if=/dev/zero of=%s bs=1M count=%d 2>/dev/null && chmod 600 %s && mkswap %s >/dev/null",
		 self->swapfile, mb, self->swapfile, self->swapfile);
	if (system(cmd) || swapon(self->swapfile, 0)) {
		self->swapfile[0] = 0;
		return -ENODEV;
	}
	return 0;
}

TEST_F(rc, info_reports_reclaim_and_classes)
{
	/* GET_INFO: reclaim, PSI and every class on the stock 6.1 kernel. */
	static struct nlt_msg m;
	const struct nlattr *tb[MEMCTL_A_INFO_MAX + 1];
	static char buf[8192];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh;
	ssize_t len;

	NLT_NEED_CLASSES(&self->nl, __MEMCTL_F_CLASS_ALL);

	nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_GET_INFO);
	m.nlh.nlmsg_flags = NLM_F_REQUEST;
	m.nlh.nlmsg_len = m.len;
	ASSERT_LT(0, sendto(self->nl.fd, m.buf, m.len, 0, (struct sockaddr *)&sa,
			    sizeof(sa)));
	len = recv(self->nl.fd, buf, sizeof(buf), 0);
	ASSERT_LT(0, len);
	nlh = (struct nlmsghdr *)buf;
	ASSERT_NE(NLMSG_ERROR, nlh->nlmsg_type);
	nlt_parse(nlh, tb, MEMCTL_A_INFO_MAX);
	ASSERT_NE(NULL, tb[MEMCTL_A_INFO_FEATURES]);
	ASSERT_NE(NULL, tb[MEMCTL_A_INFO_CLASSES]);
	EXPECT_TRUE(nlt_u32(tb[MEMCTL_A_INFO_FEATURES]) & MEMCTL_F_FEAT_RECLAIM);
	EXPECT_TRUE(nlt_u32(tb[MEMCTL_A_INFO_FEATURES]) & MEMCTL_F_FEAT_PSI);
	EXPECT_EQ(__MEMCTL_F_CLASS_ALL, nlt_u32(tb[MEMCTL_A_INFO_CLASSES]));
}

TEST_F_TIMEOUT(rc, stats_match_the_cgroup_files, MEMCTL_SLOW_TIMEOUT)
{
	struct load l = { .n = 24 };
	struct polspec ps = { .high = 1ULL << 40, .target = 1ULL << 39 };
	struct find f = { .id = cg_id(self->a) };
	static struct nlt_msg m;
	struct st s;
	char file[192];
	long long cur, v;
	int status, i;
	pid_t pid;

	snprintf(file, sizeof(file), "%s/a/cache", self->dir);
	l.path = file;
	ASSERT_EQ(0, run_in(self->a, writefile, &l));
	l.path = file;
	l.n = 8;
	self->kids[0] = start_in(self->a, anonhold, &l, 1);
	ASSERT_LT(0, self->kids[0]);

	/* Without a policy: the usage, but none of the policy's fields. */
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s)) TH_LOG("%s", self->nl.errmsg);
	cur = cg_current(self->a);
	EXPECT_STREQ(self->a, s.path);
	EXPECT_EQ(cg_id(self->a), s.id);
	EXPECT_FALSE(s.has_policy);
	/* Reads a moment apart: allow a little drift. */
	EXPECT_GT(s.usage + 512 * 1024, (uint64_t)cur);
	EXPECT_LT(s.usage, (uint64_t)cur + 512 * 1024);
	v = cg_stat(self->a, "file");
	EXPECT_GE(s.file, 24 * MiB);
	EXPECT_GT(s.file + 256 * 1024, (uint64_t)v);
	EXPECT_LT(s.file, (uint64_t)v + 256 * 1024);
	v = cg_stat(self->a, "anon");
	EXPECT_GE(s.anon, 8 * MiB);
	EXPECT_GT(s.anon + 256 * 1024, (uint64_t)v);
	EXPECT_LT(s.anon, (uint64_t)v + 256 * 1024);
	v = cg_stat(self->a, "slab_reclaimable");
	EXPECT_GT(s.slab_r + 256 * 1024, (uint64_t)v);
	EXPECT_LT(s.slab_r, (uint64_t)v + 256 * 1024);
	v = cg_stat(self->a, "slab_unreclaimable");
	EXPECT_GT(s.slab_u + 256 * 1024, (uint64_t)v);
	EXPECT_LT(s.slab_u, (uint64_t)v + 256 * 1024);
	EXPECT_EQ(cg_read_ll(self->a, "memory.swap.current"), (long long)s.swap);

	/*
	 * The parent counts its children, like memory.stat: as of the
	 * kernel's last flush.  On the official statistics route memctl
	 * flushes nothing itself and memory.stat folds the parent only past
	 * the kernel's threshold of pending updates (7.2 once returned 0
	 * here); the kernel's periodic flush (2 s) catches up, so wait for
	 * it, 20 s at most.
	 */
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, stats_get(&self->nl, self->top, &s));
		if (s.file >= 24 * MiB)
			break;
		usleep(100000);
	}
	if (i)
		TH_LOG("the parent's file pages were counted after %d reads", i + 1);
	EXPECT_GE(s.file, 24 * MiB);

	/* With a policy: its marks and zero counters; and in the dump. */
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_TRUE(s.has_policy);
	EXPECT_EQ(1ULL << 40, s.high);
	EXPECT_EQ(1ULL << 39, s.target);
	EXPECT_EQ(0, s.episodes);
	EXPECT_EQ(0, s.last_stop);

	nlt_msg_init(&m, self->nl.family, NLM_F_DUMP, MEMCTL_CMD_STATS_GET);
	ASSERT_EQ(0, nlt_talk(&self->nl, &m, find_cb, &f));
	EXPECT_EQ(1, f.found);
	EXPECT_TRUE(f.s.has_policy);
	EXPECT_EQ(1ULL << 40, f.s.high);
	/* A dump takes no filter. */
	nlt_put_str(&m, MEMCTL_A_STATS_CGROUP_PATH, self->a);
	EXPECT_EQ(-EINVAL, nlt_talk(&self->nl, &m, NULL, NULL));

	/* Anyone may read. */
	pid = fork();
	if (pid == 0) {
		struct nlt nl;
		struct st u;

		if (setgid(65534) || setuid(65534) || nlt_open(&nl))
			_exit(1);
		_exit(stats_get(&nl, self->a, &u) ? 2 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	EXPECT_EQ(-ENOENT, stats_get(&self->nl, "/memctl-no-such-cgroup", &s));
}

/* One refusal of RECLAIM: errno, blamed attribute, a message. */
static void refused(struct __test_metadata *_metadata, struct nlt *nl,
		    struct nlt_msg *m, const char *what, int err, int bad,
		    int miss)
{
	int ret = nlt_talk(nl, m, NULL, NULL);

	EXPECT_EQ(err, ret) TH_LOG("%s: got %d (%s)", what, ret, nl->errmsg);
	if (bad >= 0)
		EXPECT_EQ(bad, nlt_err_attr_type(nl, m)) TH_LOG("%s: attribute", what);
	if (miss >= 0)
		EXPECT_EQ(miss, nl->err_miss_type) TH_LOG("%s: missing", what);
	if (err != -ERANGE)
		EXPECT_NE(0, nl->errmsg[0]) TH_LOG("%s: no message", what);
}

static void reclaim_msg(struct nlt_msg *m, uint16_t family, const char *cg,
			uint64_t bytes)
{
	nlt_msg_init(m, family, 0, MEMCTL_CMD_RECLAIM);
	if (cg)
		nlt_put_str(m, MEMCTL_A_RECLAIM_CGROUP_PATH, cg);
	if (bytes)
		nlt_put_u64(m, MEMCTL_A_RECLAIM_BYTES, bytes);
}

static int try_unprivileged_reclaim(const char *cg)
{
	struct nlt nl;
	struct rres r;

	if (setgid(65534) || setuid(65534) || nlt_open(&nl))
		return 1;
	if (reclaim(&nl, cg, 16 * MiB, 0, &r) != -EPERM)
		return 2;
	return strstr(nl.errmsg, "CAP_SYS_ADMIN") ? 0 : 3;
}

TEST_F_TIMEOUT(rc, oneshot_refusals_change_nothing, MEMCTL_SLOW_TIMEOUT)
{
	static struct nlt_msg m;
	struct load l = { .n = 32 };
	char file[192];
	long long file0, file1;
	int status;
	pid_t pid;

	snprintf(file, sizeof(file), "%s/a/cache", self->dir);
	l.path = file;
	ASSERT_EQ(0, run_in(self->a, writefile, &l));
	file0 = cg_stat(self->a, "file");

	reclaim_msg(&m, self->nl.family, self->a, 0);
	refused(_metadata, &self->nl, &m, "bytes missing", -EINVAL, -1,
		MEMCTL_A_RECLAIM_BYTES);
	reclaim_msg(&m, self->nl.family, NULL, 16 * MiB);
	refused(_metadata, &self->nl, &m, "cgroup missing", -EINVAL, -1,
		MEMCTL_A_RECLAIM_CGROUP_PATH);
	reclaim_msg(&m, self->nl.family, self->a, 0);
	nlt_put_u64(&m, MEMCTL_A_RECLAIM_BYTES, 0);
	refused(_metadata, &self->nl, &m, "zero bytes", -ERANGE,
		MEMCTL_A_RECLAIM_BYTES, -1);
	reclaim_msg(&m, self->nl.family, self->a, MEMCTL_RECLAIM_BYTES_MAX + 1);
	refused(_metadata, &self->nl, &m, "too many bytes", -ERANGE,
		MEMCTL_A_RECLAIM_BYTES, -1);
	reclaim_msg(&m, self->nl.family, self->a, 16 * MiB);
	nlt_put_u32(&m, MEMCTL_A_RECLAIM_CLASSES, 1U << 5);
	refused(_metadata, &self->nl, &m, "unknown class", -EOPNOTSUPP,
		MEMCTL_A_RECLAIM_CLASSES, -1);
	reclaim_msg(&m, self->nl.family, self->a, 16 * MiB);
	nlt_put_u32(&m, MEMCTL_A_RECLAIM_CLASSES, 0);
	refused(_metadata, &self->nl, &m, "no class", -ERANGE,
		MEMCTL_A_RECLAIM_CLASSES, -1);
	reclaim_msg(&m, self->nl.family, self->a, 16 * MiB);
	nlt_put_u32(&m, MEMCTL_A_RECLAIM_FREED_SLAB, 1);
	refused(_metadata, &self->nl, &m, "output attribute", -EINVAL,
		MEMCTL_A_RECLAIM_FREED_SLAB, -1);
	reclaim_msg(&m, self->nl.family, "/", 16 * MiB);
	refused(_metadata, &self->nl, &m, "root cgroup", -EINVAL,
		MEMCTL_A_RECLAIM_CGROUP_PATH, -1);
	reclaim_msg(&m, self->nl.family, "/memctl-no-such-cgroup", 16 * MiB);
	refused(_metadata, &self->nl, &m, "no such cgroup", -ENOENT,
		MEMCTL_A_RECLAIM_CGROUP_PATH, -1);
	reclaim_msg(&m, self->nl.family, self->a, 16 * MiB);
	nlt_put_u64(&m, MEMCTL_A_RECLAIM_CGROUP_ID, cg_id(self->b));
	refused(_metadata, &self->nl, &m, "path and id disagree", -EINVAL,
		MEMCTL_A_RECLAIM_CGROUP_ID, -1);

	pid = fork();
	if (pid == 0)
		_exit(try_unprivileged_reclaim(self->a));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* Nothing was reclaimed by any of them. */
	file1 = cg_stat(self->a, "file");
	EXPECT_GE(file1 + (long long)MiB, file0) TH_LOG("file %lld -> %lld", file0, file1);
}

/* Fills @cg with negative and positive dentries in @dir. */
static int dentry_bloat(const char *cg, const char *dir, long neg, long files)
{
	struct load l = { .path = dir, .n = neg };

	if (run_in(cg, negdentries, &l))
		return -1;
	l.n = files;
	return run_in(cg, mkfiles, &l) ? -1 : 0;
}

TEST_F_TIMEOUT(rc, dentry_bloat_brought_under_high_by_slab_alone, MEMCTL_SLOW_TIMEOUT)
{
	struct polspec ps = { .classes = MEMCTL_F_CLASS_SLAB, .interval = 100 };
	struct load l = { .n = 8 };
	char path[PATH_MAX], file[2][192];
	long long usage, slab, res0[2];
	int fd[2], i;
	struct nlt ev;
	struct rres r;
	struct st s;

	/* Two open files whose page cache must survive. */
	for (i = 0; i < 2; i++) {
		snprintf(file[i], sizeof(file[i]), "%s/a/open%d", self->dir, i);
		l.path = file[i];
		ASSERT_EQ(0, run_in(self->a, writefile, &l));
		fd[i] = open(file[i], O_RDONLY);
		ASSERT_LE(0, fd[i]);
		res0[i] = resident_pages(fd[i]);
		ASSERT_EQ(8 * 256, res0[i]);
	}
	snprintf(path, sizeof(path), "%s/a", self->dir);
	ASSERT_EQ(0, dentry_bloat(self->a, path, 150000, 8000));
	usage = cg_current(self->a);
	slab = cg_stat(self->a, "slab_reclaimable");
	TH_LOG("usage %lld MiB, reclaimable slab %lld MiB", usage >> 20, slab >> 20);
	ASSERT_GT(slab, 24LL << 20);
	ps.high = usage - slab / 3;
	ps.target = usage - slab / 2;

	/* The control: without a policy, nothing brings it under high. */
	ASSERT_EQ(-ETIMEDOUT, wait_usage_at_most(self->a, ps.high, 2000));

	ASSERT_EQ(0, events_open(&ev));
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, wait_usage_at_most(self->a, ps.high, 120000))
		TH_LOG("usage %lld, high %llu", cg_current(self->a),
		       (unsigned long long)ps.high);

	ASSERT_EQ(0, next_reclaim_event(&ev, cg_id(self->a), 0, &r, 30000));
	EXPECT_EQ(MEMCTL_TRIGGER_POLICY, r.trigger);
	EXPECT_EQ(MEMCTL_F_CLASS_SLAB, r.classes);
	EXPECT_GT(r.freed[0], 0);
	EXPECT_EQ(0, r.freed[2]);
	EXPECT_GE(r.before, ps.high);
	EXPECT_GE(r.steps, 1);
	nlt_close(&ev);

	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_GE(s.episodes, 1);
	EXPECT_GT(s.rec[0], (uint64_t)slab / 3);
	EXPECT_EQ(0, s.rec[2]);
	EXPECT_GT(s.time_ns, 0);
	/* One worker thread: its CPU time is within the episodes' wall time. */
	EXPECT_GT(s.cpu_ns, 0);
	EXPECT_LE(s.cpu_ns, s.time_ns);
	EXPECT_LT(cg_stat(self->a, "slab_reclaimable"), slab - slab / 3);
	/* The page cache of the open files: every page still resident. */
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(res0[i], resident_pages(fd[i])) TH_LOG("%s", file[i]);
		close(fd[i]);
	}
}

TEST_F_TIMEOUT(rc, oneshot_slab_frees_only_this_cgroup, MEMCTL_SLOW_TIMEOUT)
{
	struct load l = { .n = 8 };
	char path[PATH_MAX], file[192];
	long long a0, b0, a1, b1, file0;
	long res0;
	struct rres r;
	int fd;

	snprintf(file, sizeof(file), "%s/a/open", self->dir);
	l.path = file;
	ASSERT_EQ(0, run_in(self->a, writefile, &l));
	fd = open(file, O_RDONLY);
	ASSERT_LE(0, fd);
	res0 = resident_pages(fd);
	snprintf(path, sizeof(path), "%s/a", self->dir);
	ASSERT_EQ(0, dentry_bloat(self->a, path, 60000, 4000));
	snprintf(path, sizeof(path), "%s/b", self->dir);
	ASSERT_EQ(0, dentry_bloat(self->b, path, 60000, 4000));
	a0 = cg_stat(self->a, "slab_reclaimable");
	b0 = cg_stat(self->b, "slab_reclaimable");
	file0 = cg_stat(self->a, "file");

	ASSERT_EQ(0, reclaim(&self->nl, self->a, 1ULL << 40, MEMCTL_F_CLASS_SLAB, &r))
		TH_LOG("%s", self->nl.errmsg);
	a1 = cg_stat(self->a, "slab_reclaimable");
	b1 = cg_stat(self->b, "slab_reclaimable");
	TH_LOG("a: %lld -> %lld KiB, b: %lld -> %lld KiB, freed slab %llu KiB in %u steps",
	       a0 >> 10, a1 >> 10, b0 >> 10, b1 >> 10,
	       (unsigned long long)r.freed[0] >> 10, r.steps);

	EXPECT_EQ(cg_id(self->a), r.id);
	EXPECT_EQ(MEMCTL_TRIGGER_ONESHOT, r.trigger);
	EXPECT_EQ(MEMCTL_F_CLASS_SLAB, r.classes);
	/* Far more than it had: it ran until the slab was gone. */
	EXPECT_EQ(MEMCTL_STOP_NO_PROGRESS, r.stop);
	EXPECT_GT(r.freed[0], (uint64_t)a0 / 2);
	EXPECT_LT(a1, a0 / 2);
	EXPECT_EQ(0, r.freed[2]);
	/* Run in this thread: its CPU time, within the run's wall time. */
	EXPECT_GT(r.cpu, 0);
	EXPECT_LE(r.cpu, r.duration);
	/* The accounting matches the cgroup's own counter. */
	EXPECT_LE(r.freed[0], (uint64_t)(a0 - a1) + MiB);
	EXPECT_GE(r.freed[0] + MiB, (uint64_t)(a0 - a1));
	/* The neighbour kept its dentries, this cgroup its open file. */
	EXPECT_GT(b1, b0 - b0 / 20);
	EXPECT_EQ(res0, resident_pages(fd));
	EXPECT_GE(cg_stat(self->a, "file") + (long long)MiB, file0);
	close(fd);
}

TEST_F_TIMEOUT(rc, page_cache_reclaimed_without_swapping, MEMCTL_SLOW_TIMEOUT)
{
	struct polspec ps = { .high = 64 * MiB, .target = 48 * MiB };
	struct load l = { .n = 96 };
	char file[192];
	long long pswpout0, anon0;
	struct st s;

	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);

	if (swap_on(self, 64))
		SKIP(return, "cannot set up a swap file");
	snprintf(file, sizeof(file), "%s/a/cache", self->dir);
	l.path = file;
	ASSERT_EQ(0, run_in(self->a, writefile, &l));
	l.n = 16;
	self->kids[0] = start_in(self->a, anonhold, &l, 1);
	ASSERT_LT(0, self->kids[0]);
	anon0 = cg_stat(self->a, "anon");
	pswpout0 = proc_vmstat("pswpout");
	ASSERT_GT(cg_current(self->a), (long long)ps.high);

	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, wait_usage_at_most(self->a, ps.high, 120000));
	ASSERT_EQ(0, wait_episodes(&self->nl, self->a, 1, 30000));
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_GE(s.episodes, 1);
	EXPECT_GT(s.rec[1], 32 * MiB);
	EXPECT_EQ(0, s.rec[2]);
	EXPECT_EQ(0, s.swap);
	EXPECT_EQ(0, cg_read_ll(self->a, "memory.swap.current"));
	EXPECT_EQ(pswpout0, proc_vmstat("pswpout"));
	EXPECT_GE(cg_stat(self->a, "anon"), anon0);
}

TEST_F_TIMEOUT(rc, anon_reclaimed_only_when_allowed, MEMCTL_SLOW_TIMEOUT)
{
	struct polspec ps = { .high = 40 * MiB, .target = 24 * MiB };
	struct load l = { .n = 64 };
	uint64_t n;
	struct st s;

	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);

	if (swap_on(self, 96))
		SKIP(return, "cannot set up a swap file");
	self->kids[0] = start_in(self->a, anonhold, &l, 1);
	ASSERT_LT(0, self->kids[0]);
	ASSERT_GT(cg_current(self->a), (long long)ps.high);

	/* The default classes, slab and file: anon stays, nothing swaps. */
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, wait_episodes(&self->nl, self->a, 2, 30000));
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_GE(s.shortfalls, 1);
	EXPECT_EQ(MEMCTL_STOP_NO_PROGRESS, s.last_stop);
	EXPECT_EQ(0, s.rec[2]);
	EXPECT_EQ(0, cg_read_ll(self->a, "memory.swap.current"));
	EXPECT_GT(cg_current(self->a), (long long)ps.high);

	/* Allowed: it swaps out down to the target. */
	ps.classes = __MEMCTL_F_CLASS_ALL;
	n = s.episodes;
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps));
	ASSERT_EQ(0, wait_usage_at_most(self->a, ps.high, 120000));
	ASSERT_EQ(0, wait_episodes(&self->nl, self->a, n + 1, 30000));
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_EQ(MEMCTL_STOP_TARGET, s.last_stop);
	EXPECT_GT(s.rec[2], 16 * MiB);
	EXPECT_GT(cg_read_ll(self->a, "memory.swap.current"), 16LL << 20);
}

TEST_F_TIMEOUT(rc, under_high_sees_no_reclaim, MEMCTL_SLOW_TIMEOUT)
{
	struct polspec ps = { .high = 512 * MiB, .target = 256 * MiB,
			      .classes = __MEMCTL_F_CLASS_ALL, .interval = 20 };
	struct load l = { .n = 32 };
	char file[192];
	long long file0;
	struct st s;

	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);

	snprintf(file, sizeof(file), "%s/a/cache", self->dir);
	l.path = file;
	ASSERT_EQ(0, run_in(self->a, writefile, &l));
	file0 = cg_stat(self->a, "file");
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps));
	usleep(1000000);	/* about 50 checks */
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_EQ(0, s.episodes);
	EXPECT_EQ(0, s.steps);
	EXPECT_EQ(0, s.rec[0] + s.rec[1] + s.rec[2]);
	EXPECT_EQ(0, s.last_stop);
	EXPECT_GE(cg_stat(self->a, "file"), file0);
}

TEST_F_TIMEOUT(rc, pressure_limit_stops_episodes, MEMCTL_SLOW_TIMEOUT)
{
	struct polspec ps = { .high = 48 * MiB, .target = 24 * MiB,
			      .classes = MEMCTL_F_CLASS_FILE, .interval = 50,
			      .pressure = 1000 };
	struct load l = { .n = 16 };
	char stall[128], cache[128], cfile[192];
	long long some0, end;
	int pressure_stops = 0;
	struct nlt ev;
	struct rres r;
	struct st s;

	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);

	/*
	 * a/stall churns 16 MiB of anonymous memory over memory.high=4M
	 * without swap: the kernel throttles it all the time, a memory stall
	 * that a's PSI counts.  a/cache holds page cache for the policy on a
	 * to reclaim.
	 */
	snprintf(stall, sizeof(stall), "%s/stall", self->a);
	snprintf(cache, sizeof(cache), "%s/cache", self->a);
	ASSERT_EQ(0, cg_write(self->a, "cgroup.subtree_control", "+memory"));
	ASSERT_EQ(0, cg_create(stall, 0));
	ASSERT_EQ(0, cg_create(cache, 0));
	ASSERT_EQ(0, cg_write(stall, "memory.high", "4M"));
	snprintf(cfile, sizeof(cfile), "%s/a/cache1", self->dir);
	l = (struct load){ .path = cfile, .n = 96 };
	ASSERT_EQ(0, run_in(cache, writefile, &l));

	l = (struct load){ .n = 16 };
	self->kids[0] = start_in(stall, anonchurn, &l, 0);
	ASSERT_LT(0, self->kids[0]);
	usleep(300000);
	some0 = cg_some_total(self->a);

	/* A limit of 1 ms of stall per second: episodes stop on pressure. */
	ASSERT_EQ(0, events_open(&ev));
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, next_reclaim_event(&ev, cg_id(self->a), MEMCTL_STOP_PRESSURE,
					&r, 120000));
	EXPECT_GT(r.after, ps.target);
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_GE(s.pressure_stops, 1);
	EXPECT_GE(s.shortfalls, 1);
	/* The kernel saw the stall too. */
	EXPECT_GT(cg_some_total(self->a), some0);

	/* The same limit without the stall: reclaimed to target. */
	stop_child(self->kids[0]);
	self->kids[0] = 0;
	/* An episode that saw the stall may still end on it. */
	drain_events(&ev, 1000);
	snprintf(cfile, sizeof(cfile), "%s/a/cache2", self->dir);
	l = (struct load){ .path = cfile, .n = 64 };
	ASSERT_EQ(0, run_in(cache, writefile, &l));
	end = now_ms() + 120000;
	do {
		ASSERT_EQ(0, next_reclaim_event(&ev, cg_id(self->a), 0, &r,
						end - now_ms()));
		pressure_stops += r.stop == MEMCTL_STOP_PRESSURE;
	} while (r.stop != MEMCTL_STOP_TARGET);
	EXPECT_EQ(0, pressure_stops);
	nlt_close(&ev);
}

TEST_F_TIMEOUT(rc, concurrent_oneshots_are_serialized, MEMCTL_SLOW_TIMEOUT)
{
	struct load l = { .n = 128 };
	struct rres *res;
	char file[192];
	long long file0, file1;
	int go[2], i, status;
	pid_t pid[2];
	char c;

	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);

	snprintf(file, sizeof(file), "%s/a/cache", self->dir);
	l.path = file;
	ASSERT_EQ(0, run_in(self->a, writefile, &l));
	file0 = cg_stat(self->a, "file");

	/* Two processes, released at once, each with its own socket. */
	res = mmap(NULL, 2 * sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			struct nlt nl;

			close(go[1]);
			if (nlt_open(&nl) || read(go[0], &c, 1) != 0)
				_exit(1);
			_exit(reclaim(&nl, self->a, 40 * MiB,
				      MEMCTL_F_CLASS_FILE, &res[i]) ? 2 : 0);
		}
	}
	close(go[0]);
	usleep(100000);
	close(go[1]);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	file1 = cg_stat(self->a, "file");
	TH_LOG("file %lld -> %lld MiB; freed %llu + %llu MiB", file0 >> 20,
	       file1 >> 20, (unsigned long long)res[0].freed[1] >> 20,
	       (unsigned long long)res[1].freed[1] >> 20);
	EXPECT_GE(res[0].freed[1], 40 * MiB);
	EXPECT_GE(res[1].freed[1], 40 * MiB);
	/* Each counted its own work: the sum is what the cgroup lost. */
	EXPECT_LE(res[0].freed[1] + res[1].freed[1],
		  (uint64_t)(file0 - file1) + 2 * MiB);
	/* One ran after the other: the second began where the first ended. */
	EXPECT_TRUE(res[1].before <= res[0].after + 2 * MiB ||
		    res[0].before <= res[1].after + 2 * MiB)
		TH_LOG("%llu->%llu and %llu->%llu MiB",
		       (unsigned long long)res[0].before >> 20,
		       (unsigned long long)res[0].after >> 20,
		       (unsigned long long)res[1].before >> 20,
		       (unsigned long long)res[1].after >> 20);
	munmap(res, 2 * sizeof(*res));
}

TEST_F_TIMEOUT(rc, replace_applies_at_once, MEMCTL_SLOW_TIMEOUT)
{
	struct polspec ps = { .high = 512 * MiB, .target = 256 * MiB,
			      .interval = MEMCTL_INTERVAL_MAX };
	struct load l = { .n = 48 };
	char file[192];
	struct st s;

	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);

	snprintf(file, sizeof(file), "%s/a/cache", self->dir);
	l.path = file;
	ASSERT_EQ(0, run_in(self->a, writefile, &l));

	/* Checked once at creation, under high; the next check is in 1 h. */
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps));
	usleep(200000);
	ASSERT_EQ(0, stats_get(&self->nl, self->a, &s));
	EXPECT_EQ(0, s.episodes);

	/* New marks and interval apply now, not an hour later. */
	ps.high = 32 * MiB;
	ps.target = 16 * MiB;
	ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps));
	ASSERT_EQ(0, wait_usage_at_most(self->a, ps.high, 60000));
	ASSERT_EQ(0, wait_episodes(&self->nl, self->a, 1, 30000));
}

/* Counts the policies of a dump that are below @top, and their ids. */
struct census {
	uint64_t lo, hi;	/* ids of the cgroups made, all in [lo, hi] */
	int n, dup;
	unsigned char *seen;
};

static int census_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct census *c = arg;
	struct st s;
	int err = st_parse(nlh, &s);

	if (err)
		return err;
	if (s.id < c->lo || s.id > c->hi || !s.has_policy)
		return 0;
	if (c->seen[s.id - c->lo]++)
		c->dup++;
	c->n++;
	return 0;
}

TEST_F_TIMEOUT(rc, stats_dump_is_complete, MEMCTL_SLOW_TIMEOUT)
{
	struct polspec ps = { .high = 1ULL << 40, .target = 1ULL << 39,
			      .interval = MEMCTL_INTERVAL_MAX };
	static struct nlt_msg m;
	struct census c = { .lo = UINT64_MAX };
	char cg[128];
	int i, n = 300;

	ASSERT_EQ(0, cg_write(self->b, "cgroup.subtree_control", "+memory"));
	for (i = 0; i < n; i++) {
		snprintf(cg, sizeof(cg), "%s/d%d", self->b, i);
		ASSERT_EQ(0, cg_create(cg, 0));
		ASSERT_EQ(0, pol_set(&self->nl, cg, &ps)) TH_LOG("%s", self->nl.errmsg);
		c.lo = cg_id(cg) < c.lo ? cg_id(cg) : c.lo;
		c.hi = cg_id(cg) > c.hi ? cg_id(cg) : c.hi;
	}
	c.seen = calloc(c.hi - c.lo + 1, 1);
	ASSERT_NE(NULL, c.seen);

	/* Far more than one message holds: the dump resumes, and ends. */
	nlt_msg_init(&m, self->nl.family, NLM_F_DUMP, MEMCTL_CMD_STATS_GET);
	ASSERT_EQ(0, nlt_talk(&self->nl, &m, census_cb, &c));
	EXPECT_EQ(n, c.n);
	EXPECT_EQ(0, c.dup);

	for (i = 0; i < n; i++) {
		snprintf(cg, sizeof(cg), "%s/d%d", self->b, i);
		pol_del(&self->nl, cg);
	}
	free(c.seen);
}

/* ---- one-shots on the worker, the bounds of a run ----------------------- */

/*
 * Negative dentries for a one-shot that lasts a second or more (the
 * superblock route of 6.12 and 7.x frees them fast): an eighth as many on
 * the debug kernel (KASAN, lockdep), where each costs far more to make and
 * to reclaim.
 */
static long long_run_dentries(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.release, "debug") ? 100000 : 800000;
}

/* Can memctl reclaim @class on this kernel? */
static bool have_class(struct nlt *nl, uint32_t class)
{
	struct nlt_classes c;

	return !nlt_classes(nl, &c) && (c.classes & class);
}

/* Is this module loaded now? */
static bool module_loaded(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return !stat(path, &st);
}

/* What a one-shot in a child process did, in shared memory. */
struct bg_reclaim {
	int done;		/* its answer came (atomic loads and stores) */
	long long done_ms;	/* when, now_ms() */
	int err;
	struct rres r;
};

/* A one-shot from a child with its own socket; the child's pid. */
static pid_t bg_reclaim_start(struct bg_reclaim *b, const char *cg,
			      uint64_t bytes, uint32_t classes)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct nlt nl;

		if (nlt_open(&nl))
			_exit(1);
		b->err = reclaim(&nl, cg, bytes, classes, &b->r);
		b->done_ms = now_ms();
		__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
		_exit(0);
	}
	return pid;
}

/* The state letter of a process (R, S, D, Z...), or 0 if it is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Every generic netlink request holds the genl lock for read while its
 * handler runs; registering a family (here: loading nbd) takes it for
 * write.  A one-shot reclaim that ran in its handler made every genl
 * request of the machine wait behind the registration for the whole run.
 * Now a request is answered while a long one-shot is still running.
 */
TEST_F_TIMEOUT(rc, oneshot_leaves_generic_netlink_free, MEMCTL_SLOW_TIMEOUT)
{
	static struct nlt_msg m;
	struct bg_reclaim *b;
	char path[PATH_MAX], st;
	long long t0, t1, end;
	pid_t pid, mod;
	int status;

	if (system("modprobe -q nbd && rmmod nbd"))
		SKIP(return, "no nbd module to register a genl family with");
	snprintf(path, sizeof(path), "%s/a", self->dir);
	ASSERT_EQ(0, dentry_bloat(self->a, path, long_run_dentries(), 0));
	TH_LOG("reclaimable slab %lld MiB",
	       cg_stat(self->a, "slab_reclaimable") >> 20);

	b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, b);
	pid = bg_reclaim_start(b, self->a, 1ULL << 40, MEMCTL_F_CLASS_SLAB);
	ASSERT_LT(0, pid);
	usleep(50000);

	/*
	 * nbd registers its family: where a handler holds the lock, modprobe
	 * sleeps (D) on it; otherwise it is done at once.  Either way, then
	 * a request.
	 */
	mod = fork();
	ASSERT_LE(0, mod);
	if (mod == 0) {
		execlp("modprobe", "modprobe", "nbd", (char *)NULL);
		_exit(127);
	}
	/*
	 * Until modprobe is done (Z: exited, not reaped) or waits: in D now
	 * and still 100 ms later (a read of the module file is shorter).
	 */
	end = now_ms() + 20000;
	for (;;) {
		st = proc_state(mod);
		if (!st || st == 'Z')
			break;
		if (st == 'D') {
			usleep(100000);
			st = proc_state(mod);
			if (st == 'D')
				break;
			continue;
		}
		if (now_ms() >= end)
			break;
		usleep(5000);
	}
	TH_LOG("modprobe nbd: %s", st == 'D' ? "waiting (D)" :
	       st == 'Z' || !st ? "done" : "still running");

	t0 = now_ms();
	if (__atomic_load_n(&b->done, __ATOMIC_SEQ_CST))
		SKIP(goto out, "the one-shot ended before the request (%lld ms after it began): too little slab here to tell",
		     b->done_ms - t0);
	nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_GET_INFO);
	ASSERT_EQ(0, nlt_talk(&self->nl, &m, NULL, NULL));
	t1 = now_ms();
	status = __atomic_load_n(&b->done, __ATOMIC_SEQ_CST);
	TH_LOG("GET_INFO took %lld ms; the one-shot %s", t1 - t0,
	       status ? "had ended" : "was still running");
	/* Blocked behind the handler: it came back only after the run. */
	EXPECT_EQ(0, status);

out:
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, b->err) TH_LOG("%s", self->nl.errmsg);
	TH_LOG("the one-shot freed %llu MiB in %llu ms, %u steps, stop %u",
	       (unsigned long long)b->r.freed[0] >> 20,
	       (unsigned long long)b->r.duration / 1000000, b->r.steps,
	       b->r.stop);
	EXPECT_EQ(MEMCTL_TRIGGER_ONESHOT, b->r.trigger);
	EXPECT_GT(b->r.freed[0], 0);
	ASSERT_EQ(mod, waitpid(mod, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_TRUE(module_loaded("nbd"));
	if (system("rmmod nbd"))
		TH_LOG("cannot unload nbd");
	munmap(b, sizeof(*b));
}

/* Closing the requesting socket cancels the one-shot. */
TEST_F_TIMEOUT(rc, oneshot_cancelled_when_its_socket_closes, MEMCTL_SLOW_TIMEOUT)
{
	static struct nlt_msg m;
	char path[PATH_MAX];
	struct nlt req, ev;
	long long t0;
	struct rres r;
	int pid, status;

	snprintf(path, sizeof(path), "%s/a", self->dir);
	ASSERT_EQ(0, dentry_bloat(self->a, path, long_run_dentries(), 0));
	ASSERT_EQ(0, events_open(&ev));

	/*
	 * A child sends the request and closes its socket (exits) a moment
	 * later; where the handler ran the whole reclaim, the send itself
	 * returns only when it is over.
	 */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (nlt_open(&req))
			_exit(1);
		reclaim_msg(&m, req.family, self->a, 1ULL << 40);
		nlt_put_u32(&m, MEMCTL_A_RECLAIM_CLASSES, MEMCTL_F_CLASS_SLAB);
		m.nlh.nlmsg_len = m.len;
		m.nlh.nlmsg_seq = ++req.seq;
		if (send(req.fd, m.buf, m.len, 0) != (ssize_t)m.len)
			_exit(2);
		usleep(200000);
		_exit(0);
	}
	t0 = now_ms();
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, next_reclaim_event(&ev, cg_id(self->a), 0, &r, 120000));
	TH_LOG("stop %u after %llu ms, %u steps, %llu MiB freed; child exited after %lld ms",
	       r.stop, (unsigned long long)r.duration / 1000000, r.steps,
	       (unsigned long long)r.freed[0] >> 20, now_ms() - t0);
	EXPECT_EQ(MEMCTL_TRIGGER_ONESHOT, r.trigger);
	EXPECT_EQ(MEMCTL_STOP_CANCELLED, r.stop);
	nlt_close(&ev);
}

/* A run stops at run_steps_max steps, and at run_time_max_ms. */
TEST_F_TIMEOUT(rc, runs_stop_at_their_bounds, MEMCTL_SLOW_TIMEOUT)
{
	long steps0 = param_read("run_steps_max");
	long time0 = param_read("run_time_max_ms");
	struct polspec ps = { .classes = MEMCTL_F_CLASS_FILE, .interval = 100 };
	struct load l = { .n = 128 };
	struct st s;
	char path[PATH_MAX], file[192];
	struct rres r;

	ASSERT_LT(0, steps0);
	ASSERT_LT(0, time0);
	/* Out of range: refused, nothing changes. */
	EXPECT_EQ(-ERANGE, param_write("run_steps_max", 0));
	EXPECT_EQ(-ERANGE, param_write("run_time_max_ms", 9));
	EXPECT_EQ(-ERANGE, param_write("run_time_max_ms", 3600001));
	EXPECT_EQ(-EINVAL, param_write("run_time_max_ms", -1));
	EXPECT_EQ(steps0, param_read("run_steps_max"));
	EXPECT_EQ(time0, param_read("run_time_max_ms"));

	/* 128 MiB of page cache, 32 MiB a step, at most 2 steps. */
	if (have_class(&self->nl, MEMCTL_F_CLASS_FILE)) {
		snprintf(file, sizeof(file), "%s/a/cache", self->dir);
		l.path = file;
		ASSERT_EQ(0, run_in(self->a, writefile, &l));
		ASSERT_EQ(0, param_write("run_steps_max", 2));
		EXPECT_EQ(0, reclaim(&self->nl, self->a, 1ULL << 40,
				     MEMCTL_F_CLASS_FILE, &r))
			TH_LOG("%s", self->nl.errmsg);
		EXPECT_EQ(0, param_write("run_steps_max", steps0));
		TH_LOG("steps %u, stop %u, freed %llu MiB", r.steps, r.stop,
		       (unsigned long long)r.freed[1] >> 20);
		EXPECT_EQ(MEMCTL_STOP_STEP_LIMIT, r.stop);
		EXPECT_EQ(2, r.steps);
		EXPECT_GT(r.freed[1], 0);

		/* A policy's episode: one step, counted as a limit stop. */
		ASSERT_EQ(0, run_in(self->a, writefile, &l));
		ASSERT_EQ(0, param_write("run_steps_max", 1));
		ps.high = 8 * MiB;
		ps.target = 4 * MiB;
		ASSERT_EQ(0, pol_set(&self->nl, self->a, &ps))
			TH_LOG("%s", self->nl.errmsg);
		EXPECT_EQ(0, wait_episodes(&self->nl, self->a, 1, 60000));
		EXPECT_EQ(0, stats_get(&self->nl, self->a, &s));
		ASSERT_EQ(0, pol_del(&self->nl, self->a));
		EXPECT_EQ(0, param_write("run_steps_max", steps0));
		TH_LOG("episodes %llu, limit stops %llu, last stop %u",
		       (unsigned long long)s.episodes,
		       (unsigned long long)s.limit_stops, s.last_stop);
		EXPECT_GE(s.limit_stops, 1);
		EXPECT_LE(s.limit_stops, s.episodes);
		EXPECT_EQ(MEMCTL_STOP_STEP_LIMIT, s.last_stop);
	}

	/* Slab that takes far longer than 10 ms to reclaim. */
	snprintf(path, sizeof(path), "%s/b", self->dir);
	ASSERT_EQ(0, dentry_bloat(self->b, path, 150000, 0));
	ASSERT_EQ(0, param_write("run_time_max_ms", 10));
	EXPECT_EQ(0, reclaim(&self->nl, self->b, 1ULL << 40,
			     MEMCTL_F_CLASS_SLAB, &r))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(0, param_write("run_time_max_ms", time0));
	TH_LOG("%llu ms, steps %u, stop %u, freed %llu MiB",
	       (unsigned long long)r.duration / 1000000, r.steps, r.stop,
	       (unsigned long long)r.freed[0] >> 20);
	EXPECT_EQ(MEMCTL_STOP_TIME_LIMIT, r.stop);
	EXPECT_GE(r.duration, 10 * 1000000ULL);
	EXPECT_GE(r.steps, 1);
}

TEST_HARNESS_MAIN
