// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mode auto over raw netlink, on the ext4 scratch disk of the VM.  The
 * workload is page cache with a known cold part: a file read once, and a
 * smaller one read in a loop by a child inside the cgroup.
 *  - bad combinations are refused, naming the attribute, changing nothing;
 *  - the policy round-trips, with mode auto's defaults;
 *  - it converges: what it saved is 80-110 % of the cold part, and the
 *    estimate is near what the cgroup then holds;
 *  - it never takes the cgroup below min;
 *  - it backs off while the cgroup stalls (a hot loop larger than its
 *    memory.max);
 *  - it follows a working set that grows: the estimate rises and the
 *    refaults stop;
 *  - a cgroup removed, and the module unloaded, in the middle of it.
 *
 * Sizes are scaled to what TCG does in a few seconds.
 */
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "cgutil.h"
#include "nltest.h"
#include "kselftest_harness.h"

#define MiB (1ULL << 20)
#define SCRATCH "/mnt/scratch"
#define CG "/memctl-auto"
/* Bounds of the waits: a pass never waits for them (debug kernel, TCG). */
#define AUTO_TIMEOUT 900
#define CONVERGE_MS (400 * 1000)

#define COLD_MIB 32
#define HOT_MIB 8

static long long refaulted(const char *cg)
{
	return cg_stat(cg, "workingset_refault_file") +
	       cg_stat(cg, "workingset_refault_anon");
}

/* ---- the workload ------------------------------------------------------ */

static int fill_file(const char *path, unsigned long long mib)
{
	static char buf[1 << 16];
	unsigned long long i;
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (i = 0; i < mib * 16; i++) {
		memset(buf, 'a' + i % 26, sizeof(buf));
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return -1;
	}
	if (fsync(fd))
		return -1;
	return close(fd);
}

static int read_all(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n;
}

static volatile sig_atomic_t grow;

static void on_usr1(int sig)
{
	grow = 1;
}

/*
 * In @cg: writes the cold file and the hot one (clean page cache charged to
 * @cg), reads the cold one once, says so on @ready, then reads the hot one
 * in a loop; after SIGUSR1, the cold one too: the working set grows.
 */
static pid_t start_workload(const char *cg, int cold_mib, int hot_mib)
{
	int pfd[2];
	char c = 1;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		char pid_s[32];

		signal(SIGUSR1, on_usr1);
		snprintf(pid_s, sizeof(pid_s), "%d", getpid());
		if (cg_write(cg, "cgroup.procs", pid_s) ||
		    fill_file(SCRATCH "/auto-cold", cold_mib) ||
		    fill_file(SCRATCH "/auto-hot", hot_mib) ||
		    read_all(SCRATCH "/auto-cold") ||
		    read_all(SCRATCH "/auto-hot") ||
		    write(pfd[1], &c, 1) != 1)
			_exit(1);
		for (;;) {
			if (read_all(SCRATCH "/auto-hot"))
				_exit(2);
			if (grow && read_all(SCRATCH "/auto-cold"))
				_exit(3);
		}
	}
	close(pfd[1]);
	if (pid > 0 && read(pfd[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(pfd[0]);
	return pid;
}

static void stop_workload(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* ---- netlink ----------------------------------------------------------- */

struct autospec {
	uint64_t min, high, target;
	uint32_t interval, pressure, classes;
	int no_mode;		/* leave MODE out: mode threshold */
	int zero_pressure;	/* send PRESSURE 0 */
};

/* The last POLICY_SET auto_set() sent, for nlt_err_attr_type(). */
static struct nlt_msg set_msg;

static int auto_set(struct nlt *nl, const char *cg, const struct autospec *a)
{
	struct nlt_msg *m = &set_msg;

	nlt_msg_init(m, nl->family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	if (!a->no_mode)
		nlt_put_u32(m, MEMCTL_A_POLICY_MODE, MEMCTL_MODE_AUTO);
	if (a->min)
		nlt_put_u64(m, MEMCTL_A_POLICY_MIN, a->min);
	if (a->high)
		nlt_put_u64(m, MEMCTL_A_POLICY_HIGH, a->high);
	if (a->target)
		nlt_put_u64(m, MEMCTL_A_POLICY_TARGET, a->target);
	nlt_put_u32(m, MEMCTL_A_POLICY_INTERVAL, a->interval ?: 200);
	if (a->pressure || a->zero_pressure)
		nlt_put_u32(m, MEMCTL_A_POLICY_PRESSURE, a->pressure);
	if (a->classes)
		nlt_put_u32(m, MEMCTL_A_POLICY_CLASSES, a->classes);
	return nlt_talk(nl, m, NULL, NULL);
}

struct pol {
	int got;
	uint32_t mode, pressure, classes;
	uint64_t min;
	int has_min, has_high, has_target;
};

static int pol_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_POLICY_MAX + 1];
	struct pol *p = arg;

	nlt_parse(nlh, tb, MEMCTL_A_POLICY_MAX);
	if (!tb[MEMCTL_A_POLICY_MODE] || !tb[MEMCTL_A_POLICY_PRESSURE] ||
	    !tb[MEMCTL_A_POLICY_CLASSES])
		return -EIO;
	p->got = 1;
	p->mode = nlt_u32(tb[MEMCTL_A_POLICY_MODE]);
	p->pressure = nlt_u32(tb[MEMCTL_A_POLICY_PRESSURE]);
	p->classes = nlt_u32(tb[MEMCTL_A_POLICY_CLASSES]);
	p->has_min = !!tb[MEMCTL_A_POLICY_MIN];
	p->min = p->has_min ? nlt_u64(tb[MEMCTL_A_POLICY_MIN]) : 0;
	p->has_high = !!tb[MEMCTL_A_POLICY_HIGH];
	p->has_target = !!tb[MEMCTL_A_POLICY_TARGET];
	return 0;
}

static int pol_get(struct nlt *nl, const char *cg, struct pol *p)
{
	static struct nlt_msg m;

	memset(p, 0, sizeof(*p));
	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_GET);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	return nlt_talk(nl, &m, pol_cb, p);
}

static int pol_del(struct nlt *nl, const char *cg)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_POLICY_DEL);
	nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	return nlt_talk(nl, &m, NULL, NULL);
}

struct ast {
	uint64_t usage, episodes, working_set, saved, pushbacks;
	int has_auto;
};

static int ast_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_STATS_MAX + 1];
	struct ast *s = arg;

	nlt_parse(nlh, tb, MEMCTL_A_STATS_MAX);
	if (!tb[MEMCTL_A_STATS_USAGE])
		return -EIO;
	s->usage = nlt_u64(tb[MEMCTL_A_STATS_USAGE]);
	s->episodes = tb[MEMCTL_A_STATS_EPISODES] ?
		      nlt_u64(tb[MEMCTL_A_STATS_EPISODES]) : 0;
	s->has_auto = tb[MEMCTL_A_STATS_AUTO_WORKING_SET] &&
		      tb[MEMCTL_A_STATS_AUTO_SAVED] &&
		      tb[MEMCTL_A_STATS_AUTO_PUSHBACKS];
	if (s->has_auto) {
		s->working_set = nlt_u64(tb[MEMCTL_A_STATS_AUTO_WORKING_SET]);
		s->saved = nlt_u64(tb[MEMCTL_A_STATS_AUTO_SAVED]);
		s->pushbacks = nlt_u64(tb[MEMCTL_A_STATS_AUTO_PUSHBACKS]);
	}
	return 0;
}

static int ast_get(struct nlt *nl, const char *cg, struct ast *s)
{
	static struct nlt_msg m;

	memset(s, 0, sizeof(*s));
	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_STATS_GET);
	nlt_put_str(&m, MEMCTL_A_STATS_CGROUP_PATH, cg);
	return nlt_talk(nl, &m, ast_cb, s);
}

/*
 * Waits until mode auto has saved at least @want bytes and the cgroup's
 * usage has stayed within 1 MiB for 3 s; 0 and *@s, or -ETIMEDOUT.
 */
static int wait_converged(struct nlt *nl, const char *cg, uint64_t want,
			  struct ast *s)
{
	long long end = now_ms() + CONVERGE_MS, since = 0;
	uint64_t last = 0;

	while (now_ms() < end) {
		if (ast_get(nl, cg, s))
			return -EIO;
		if (s->saved >= want && last &&
		    (s->usage > last ? s->usage - last : last - s->usage) < MiB) {
			if (!since)
				since = now_ms();
			else if (now_ms() - since >= 3000)
				return 0;
		} else {
			since = 0;
			last = s->usage;
		}
		usleep(250 * 1000);
	}
	return -ETIMEDOUT;
}

/* ---- tests ------------------------------------------------------------- */

FIXTURE(au) {
	struct nlt nl;
	pid_t kid;
};

FIXTURE_SETUP(au)
{
	char path[PATH_MAX];

	ASSERT_EQ(0, nlt_open(&self->nl));
	self->kid = -1;
	cg_destroy(CG);
	ASSERT_EQ(0, cg_create(CG, 0));
	snprintf(path, sizeof(path), CG_ROOT CG "/memory.pressure");
	if (access(path, R_OK))
		SKIP(return, "no PSI: boot with psi=1");
}

FIXTURE_TEARDOWN(au)
{
	stop_workload(self->kid);
	pol_del(&self->nl, CG);
	cg_destroy(CG);
	unlink(SCRATCH "/auto-cold");
	unlink(SCRATCH "/auto-hot");
	nlt_close(&self->nl);
}

TEST_F(au, refusals_change_nothing)
{
	static const struct {
		struct autospec a;
		int err, attr;
	} bad[] = {
		{ { .min = 64 * MiB, .high = 32 * MiB, .target = 16 * MiB },
		  EINVAL, MEMCTL_A_POLICY_MIN },
		{ { .high = 32 * MiB }, EINVAL, MEMCTL_A_POLICY_HIGH },
		{ { .target = 16 * MiB }, EINVAL, MEMCTL_A_POLICY_TARGET },
		{ { .zero_pressure = 1 }, EINVAL, MEMCTL_A_POLICY_PRESSURE },
		{ { .no_mode = 1, .min = MiB, .high = 32 * MiB,
		    .target = 16 * MiB }, EINVAL, MEMCTL_A_POLICY_MIN },
	};
	struct nlt_msg *m = calloc(1, sizeof(*m));
	struct pol p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-bad[i].err, auto_set(&self->nl, CG, &bad[i].a))
			TH_LOG("case %zu", i);
		EXPECT_EQ(bad[i].attr, nlt_err_attr_type(&self->nl, &set_msg))
			TH_LOG("case %zu: %s", i, self->nl.errmsg);
		EXPECT_NE(0, self->nl.errmsg[0]) TH_LOG("case %zu", i);
		EXPECT_EQ(-ENOENT, pol_get(&self->nl, CG, &p));
	}

	/* An unknown mode, and no classes at all. */
	nlt_msg_init(m, self->nl.family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(m, MEMCTL_A_POLICY_CGROUP_PATH, CG);
	nlt_put_u32(m, MEMCTL_A_POLICY_MODE, 7);
	EXPECT_EQ(-ERANGE, nlt_talk(&self->nl, m, NULL, NULL));
	EXPECT_EQ(MEMCTL_A_POLICY_MODE, nlt_err_attr_type(&self->nl, m));
	nlt_msg_init(m, self->nl.family, 0, MEMCTL_CMD_POLICY_SET);
	nlt_put_str(m, MEMCTL_A_POLICY_CGROUP_PATH, CG);
	nlt_put_u32(m, MEMCTL_A_POLICY_MODE, MEMCTL_MODE_AUTO);
	nlt_put_u32(m, MEMCTL_A_POLICY_CLASSES, 0);
	EXPECT_EQ(-ERANGE, nlt_talk(&self->nl, m, NULL, NULL));
	EXPECT_EQ(MEMCTL_A_POLICY_CLASSES, nlt_err_attr_type(&self->nl, m));
	EXPECT_EQ(-ENOENT, pol_get(&self->nl, CG, &p));

	/* A refused replace leaves the policy as it was. */
	ASSERT_EQ(0, auto_set(&self->nl, CG,
			      &(struct autospec){ .min = 4 * MiB }));
	EXPECT_EQ(-EINVAL, auto_set(&self->nl, CG, &bad[0].a));
	ASSERT_EQ(0, pol_get(&self->nl, CG, &p));
	EXPECT_EQ(4 * MiB, p.min);
	EXPECT_EQ(MEMCTL_MODE_AUTO, p.mode);
	free(m);
}

TEST_F(au, round_trip_and_defaults)
{
	struct pol p;
	struct ast s;

	ASSERT_EQ(0, auto_set(&self->nl, CG,
			      &(struct autospec){ .min = 8 * MiB }));
	ASSERT_EQ(0, pol_get(&self->nl, CG, &p));
	EXPECT_EQ(MEMCTL_MODE_AUTO, p.mode);
	EXPECT_EQ(1, p.has_min);
	EXPECT_EQ(8 * MiB, p.min);
	EXPECT_EQ(MEMCTL_AUTO_PRESSURE_DEFAULT, p.pressure);
	EXPECT_EQ(0, p.has_high);
	EXPECT_EQ(0, p.has_target);
	EXPECT_EQ(MEMCTL_CLASSES_DEFAULT, p.classes);
	ASSERT_EQ(0, ast_get(&self->nl, CG, &s));
	EXPECT_EQ(1, s.has_auto);

	/* With a ceiling; back to mode threshold: no min, no auto figures. */
	ASSERT_EQ(0, auto_set(&self->nl, CG, &(struct autospec){
		.min = MiB, .high = 64 * MiB, .target = 32 * MiB,
		.pressure = 5000 }));
	ASSERT_EQ(0, pol_get(&self->nl, CG, &p));
	EXPECT_EQ(1, p.has_high);
	EXPECT_EQ(1, p.has_target);
	EXPECT_EQ(5000, p.pressure);
	ASSERT_EQ(0, auto_set(&self->nl, CG, &(struct autospec){
		.no_mode = 1, .high = 64 * MiB, .target = 32 * MiB }));
	ASSERT_EQ(0, pol_get(&self->nl, CG, &p));
	EXPECT_EQ(MEMCTL_MODE_THRESHOLD, p.mode);
	EXPECT_EQ(0, p.has_min);
	EXPECT_EQ(0, p.pressure);
	ASSERT_EQ(0, ast_get(&self->nl, CG, &s));
	EXPECT_EQ(0, s.has_auto);
}

TEST_F_TIMEOUT(au, converges_on_the_cold_part, AUTO_TIMEOUT)
{
	uint64_t cold = COLD_MIB * MiB, hot = HOT_MIB * MiB;
	struct ast s;
	long long t0;

	/* The cold part is page cache: the file class frees it. */
	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);
	self->kid = start_workload(CG, COLD_MIB, HOT_MIB);
	ASSERT_LT(0, self->kid);
	ASSERT_EQ(0, ast_get(&self->nl, CG, &s));
	ASSERT_LE(cold + hot, s.usage);
	TH_LOG("before: usage %llu MiB", (unsigned long long)(s.usage >> 20));

	t0 = now_ms();
	ASSERT_EQ(0, auto_set(&self->nl, CG, &(struct autospec){ 0 }));
	ASSERT_EQ(0, wait_converged(&self->nl, CG, cold * 8 / 10, &s))
		TH_LOG("saved %llu MiB, usage %llu MiB",
		       (unsigned long long)(s.saved >> 20),
		       (unsigned long long)(s.usage >> 20));
	TH_LOG("converged in %lld ms: usage %llu MiB, saved %llu MiB, working set %llu MiB, %llu runs",
	       now_ms() - t0, (unsigned long long)(s.usage >> 20),
	       (unsigned long long)(s.saved >> 20),
	       (unsigned long long)(s.working_set >> 20),
	       (unsigned long long)s.episodes);
	EXPECT_LE(cold * 8 / 10, s.saved);
	EXPECT_GE(cold * 11 / 10, s.saved);
	/*
	 * The hot file stayed: the estimate covers it, and is near usage.
	 * A probe may have just taken a few of its pages, which the loop
	 * reads back at once: 1 MiB of slack (6.12 once showed 8 KiB under).
	 */
	EXPECT_LE(hot - MiB, s.working_set);
	EXPECT_GE(s.usage + 2 * MiB, s.working_set);
	EXPECT_LE(hot - MiB, s.usage);
}

TEST_F_TIMEOUT(au, never_below_min, AUTO_TIMEOUT)
{
	uint64_t min = (HOT_MIB + COLD_MIB / 2) * MiB, lowest = UINT64_MAX;
	struct ast s;
	long long end;

	/* The cold part is page cache: the file class frees it. */
	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);
	self->kid = start_workload(CG, COLD_MIB, HOT_MIB);
	ASSERT_LT(0, self->kid);
	ASSERT_EQ(0, auto_set(&self->nl, CG,
			      &(struct autospec){ .min = min, .interval = 100 }));
	/* Down to min, in the time the cold part takes to go... */
	ASSERT_EQ(0, wait_converged(&self->nl, CG, COLD_MIB / 4 * MiB, &s));
	EXPECT_GE(min + 2 * MiB, s.usage);
	/* ...and never below it. */
	for (end = now_ms() + 5000; now_ms() < end; usleep(50 * 1000)) {
		long long u = cg_read_ll(CG, "memory.current");

		if (u >= 0 && (uint64_t)u < lowest)
			lowest = u;
	}
	TH_LOG("min %llu KiB, lowest usage %llu KiB",
	       (unsigned long long)(min >> 10),
	       (unsigned long long)(lowest >> 10));
	EXPECT_LE(min, lowest);
}

TEST_F_TIMEOUT(au, backs_off_while_the_cgroup_stalls, AUTO_TIMEOUT)
{
	long long s0, t0, stall;
	struct ast a, b;

	/* A hot loop over 25 MiB in 16 MiB: it stalls all the time. */
	self->kid = start_workload(CG, 24, 1);
	ASSERT_LT(0, self->kid);
	ASSERT_EQ(0, cg_write(CG, "memory.max", "16M"));
	kill(self->kid, SIGUSR1);
	sleep(1);
	s0 = cg_some_total(CG);
	t0 = now_ms();
	sleep(2);
	stall = (cg_some_total(CG) - s0) * 1000 / (now_ms() - t0);
	TH_LOG("stall %lld us/s", stall);
	if (stall < 4 * MEMCTL_AUTO_PRESSURE_DEFAULT)
		SKIP(return, "the workload does not stall here (%lld us/s)",
		     stall);

	ASSERT_EQ(0, auto_set(&self->nl, CG,
			      &(struct autospec){ .interval = 100 }));
	sleep(1);
	ASSERT_EQ(0, ast_get(&self->nl, CG, &a));
	sleep(6);
	ASSERT_EQ(0, ast_get(&self->nl, CG, &b));
	/* 60 checks: a run at most every few. */
	TH_LOG("runs in 6 s: %llu, push-backs %llu",
	       (unsigned long long)(b.episodes - a.episodes),
	       (unsigned long long)(b.pushbacks - a.pushbacks));
	EXPECT_GE(6, b.episodes - a.episodes);
	/* Held off by what it saw, and counted. */
	EXPECT_LE(1, b.pushbacks - a.pushbacks);
}

TEST_F_TIMEOUT(au, follows_a_growing_working_set, AUTO_TIMEOUT)
{
	uint64_t grown = (COLD_MIB + HOT_MIB) * MiB;
	long long end, r0, t0;
	int quiet = 0;
	struct ast s;

	/* The cold part is page cache: the file class frees it. */
	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);
	self->kid = start_workload(CG, COLD_MIB, HOT_MIB);
	ASSERT_LT(0, self->kid);
	ASSERT_EQ(0, auto_set(&self->nl, CG, &(struct autospec){ 0 }));
	ASSERT_EQ(0, wait_converged(&self->nl, CG, COLD_MIB * MiB * 8 / 10,
				    &s));
	ASSERT_GT(grown * 3 / 4, s.usage);

	/* The cold file is hot now. */
	kill(self->kid, SIGUSR1);
	t0 = now_ms();
	for (end = now_ms() + CONVERGE_MS; now_ms() < end && !quiet;) {
		r0 = refaulted(CG);
		sleep(2);
		ASSERT_EQ(0, ast_get(&self->nl, CG, &s));
		/* 2 s with less than 256 KiB refaulted, at the new size. */
		quiet = refaulted(CG) - r0 < 64 && s.usage >= grown * 9 / 10;
	}
	TH_LOG("after %lld ms: usage %llu MiB, working set %llu MiB",
	       now_ms() - t0, (unsigned long long)(s.usage >> 20),
	       (unsigned long long)(s.working_set >> 20));
	EXPECT_EQ(1, quiet);
	EXPECT_LE(grown * 9 / 10, s.working_set);
}

TEST_F_TIMEOUT(au, cgroup_removed_then_unload, AUTO_TIMEOUT)
{
	struct ast s;
	struct pol p;
	long long end;

	/* The cold part is page cache: the file class frees it. */
	NLT_NEED_CLASSES(&self->nl, MEMCTL_F_CLASS_FILE);
	self->kid = start_workload(CG, COLD_MIB, HOT_MIB);
	ASSERT_LT(0, self->kid);
	ASSERT_EQ(0, auto_set(&self->nl, CG,
			      &(struct autospec){ .interval = 50 }));
	/* Runs under way... */
	for (end = now_ms() + CONVERGE_MS; now_ms() < end; usleep(100 * 1000)) {
		ASSERT_EQ(0, ast_get(&self->nl, CG, &s));
		if (s.episodes >= 2)
			break;
	}
	ASSERT_LE(2, s.episodes);
	/* ...when the cgroup goes: the policy goes with it. */
	stop_workload(self->kid);
	self->kid = -1;
	cg_destroy(CG);
	for (end = now_ms() + 60000; now_ms() < end; usleep(100 * 1000))
		if (pol_get(&self->nl, CG, &p) == -ENOENT)
			break;
	EXPECT_EQ(-ENOENT, pol_get(&self->nl, CG, &p));

	/* A second one, busy, then the module goes. */
	ASSERT_EQ(0, cg_create(CG, 0));
	self->kid = start_workload(CG, COLD_MIB, HOT_MIB);
	ASSERT_LT(0, self->kid);
	ASSERT_EQ(0, auto_set(&self->nl, CG,
			      &(struct autospec){ .interval = 50 }));
	usleep(500 * 1000);
	nlt_close(&self->nl);
	ASSERT_EQ(0, system("rmmod memctl"));
	ASSERT_EQ(0, system("modprobe memctl"));
	ASSERT_EQ(0, nlt_open(&self->nl));
	EXPECT_EQ(-ENOENT, pol_get(&self->nl, CG, &p));
}

TEST_HARNESS_MAIN
