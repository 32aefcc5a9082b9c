// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctlbench: the measurements of the control-plane benchmark
 * (control-bench.sh), run inside the VM.
 *
 *   ctlbench cgroups DIR N       create cgroups DIR/c0000 .. c<N-1> (DIR is
 *                                a directory of the cgroup2 mount, created
 *                                with +memory for its children)
 *   ctlbench policies DIR N      give each a policy far above its usage
 *   ctlbench policies DIR N auto give each a policy in mode auto, no marks
 *                                (high 1G, target 512M, default interval);
 *                                prints "policies <ns for all>"
 *   ctlbench teardown DIR N      delete those policies and cgroups
 *   ctlbench read DIR N ROUNDS   time, in alternating rounds:
 *                                  netlink  one STATS_GET dump of every
 *                                           policy, through
 *                                           memctl_cgroup_stats_foreach()
 *                                  files    open, read and parse
 *                                           memory.stat (every key) and
 *                                           memory.current of each cgroup
 *                                  open     the files from descriptors
 *                                           kept open, read with pread()
 *                                  raw      the same dump on a bare socket,
 *                                           nothing parsed (the floor)
 *                                prints "netlink <median ns> <min> <max>
 *                                <rows> <user ns> <sys ns>" (CPU time per
 *                                round), "files", "open" and "raw" lines,
 *                                and "ratio <median> <min> <max>" of the
 *                                rounds' files / netlink ("ratio_open":
 *                                open / netlink), in thousandths
 *   ctlbench exec ROUNDS CMD... [--vs CMD2...]
 *                                run CMD (stdout to /dev/null) ROUNDS
 *                                times; prints "exec <median ns> <min>
 *                                <max> 0 0 0".  With --vs, CMD2 runs in
 *                                the same rounds, the two in turn (which
 *                                goes first alternates), and "exec_vs"
 *                                and "exec_ratio" lines follow (CMD2 /
 *                                CMD per round, in thousandths)
 *   ctlbench cpu SECONDS         sleep SECONDS; prints "cpu <system>
 *                                <kworker>": CPU seconds per second of
 *                                the whole system (/proc/stat, all but
 *                                idle and iowait) and of all kworker
 *                                threads (their schedstat run time)
 *
 * The flush benchmark (flush-bench.sh):
 *   ctlbench churn DIR COUNT KB MS
 *                                COUNT processes, one in each of DIR/c0000
 *                                .. c<COUNT-1>, each allocating, touching
 *                                and freeing KB KiB of anonymous memory
 *                                every MS ms (a random phase), until
 *                                SIGTERM; prints "churn <cycles>"
 *   ctlbench nlloop dump|info    STATS_GET dumps (or GET_INFO requests) on
 *                                a bare socket, back to back, until
 *                                SIGTERM; prints "nlloop <requests>
 *                                <messages> <ns>"
 *   ctlbench phases DIR N STEP SECONDS SLICE_MS PROFILE NAME:PIDS...
 *                                read memory.stat of DIR/c0000, c<STEP>,
 *                                ... (below N) over and over for SECONDS,
 *                                each read timed (open, read, close), in
 *                                slices of SLICE_MS that go round the
 *                                phases NAME (each cycle starting one
 *                                further): during its slice the processes
 *                                PIDS (comma-separated) run (SIGCONT),
 *                                outside it they are stopped (SIGSTOP);
 *                                PIDS 0 is none.  The
 *                                flushes of each slice are read from
 *                                PROFILE (kprobe_profile, "-" for none):
 *                                the hits of probes named
 *                                cgroup_rstat_flush or css_rstat_flush
 *                                (sync) and cgroup_rstat_flush_irqsafe
 *                                (irq).  Prints per slice "slice <name>
 *                                <cycle> <reads> <ns of reads> <sync>
 *                                <irq> <ns> <trimmed mean>", then per
 *                                phase "phase <name> <mean ns> <median>
 *                                <p99> <max> <reads> <p90> <trimmed
 *                                mean>" (of the fastest 99 % of reads);
 *                                every process is left running
 *
 * The node agent's benchmark (agent-bench.sh):
 *   ctlbench mkpolicy DIR N TIMEOUT
 *                                make DIR/c0000 .. c<N-1> back to back
 *                                and wait up to TIMEOUT s for each one's
 *                                policy notification (memctld sets them);
 *                                prints "mkpolicy <p50> <p99> <max>
 *                                <seen> <overruns>", ns from mkdir to
 *                                policy
 *   ctlbench scrape PORT DIR N ROUNDS
 *                                alternating rounds of GET /metrics from
 *                                127.0.0.1:PORT (checked: a
 *                                memctl_usage_bytes series for each of the
 *                                N cgroups) and the files of read; prints
 *                                "scrape", "files" and "ratio" (files /
 *                                scrape) lines as read does
 *   ctlbench pidcpu PID SECONDS  prints "pidcpu <CPU s per s>" of process
 *                                PID over SECONDS
 *   ctlbench pidtimes PID        prints "pidtimes <user s> <system s>" of
 *                                process PID so far
 *
 * Both read modes deliver the same thing to the caller: per cgroup its
 * usage, reclaimable and unreclaimable slab, file and anon.  The netlink
 * side carries more (swap, memctl's counters, the tier's); the files side
 * reads no memory.swap.current, which favours the files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <poll.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "memctl.h"
#include "statfiles.h"


static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "WHAT median min max rows user sys": ns; user and sys per round. */
static void report(const char *what, uint64_t *t, int n, uint64_t rows,
		   uint64_t user, uint64_t sys)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_u64);
	printf("%s %llu %llu %llu %llu %llu %llu\n", what,
	       (unsigned long long)(n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2),
	       (unsigned long long)t[0], (unsigned long long)t[n - 1],
	       (unsigned long long)rows, (unsigned long long)(user / (uint64_t)n),
	       (unsigned long long)(sys / (uint64_t)n));
}

/* CPU time of this process so far, user and system, ns. */
static void cpu_times(uint64_t *user, uint64_t *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = (uint64_t)ru.ru_utime.tv_sec * 1000000000ULL +
		(uint64_t)ru.ru_utime.tv_usec * 1000;
	*sys = (uint64_t)ru.ru_stime.tv_sec * 1000000000ULL +
	       (uint64_t)ru.ru_stime.tv_usec * 1000;
}

/* One timed run of a side: wall time into *@wall, CPU added up. */
#define TIMED(wall, cpu, call) do {					\
	uint64_t _u0, _s0, _u1, _s1, _t0 = now_ns();			\
	cpu_times(&_u0, &_s0);						\
	call;								\
	*(wall) = now_ns() - _t0;					\
	cpu_times(&_u1, &_s1);						\
	(cpu)[0] += _u1 - _u0;						\
	(cpu)[1] += _s1 - _s0;						\
} while (0)

static const char *cg_path(const char *dir, int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/c%04d", dir, i);
	return buf;
}

/* "/sys/fs/cgroup/x/c0001" -> "/x/c0001" */
static const char *rel(const char *path)
{
	size_t n = strlen(CGROUP_ROOT);

	return strncmp(path, CGROUP_ROOT "/", n + 1) ? path : path + n;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("%s: %s", path, strerror(errno));
	close(fd);
}

static int make_cgroups(const char *dir, int n)
{
	char path[512], ctl[560];
	int i;

	if (mkdir(dir, 0755) && errno != EEXIST)
		die("%s: %s", dir, strerror(errno));
	snprintf(ctl, sizeof(ctl), "%s/cgroup.subtree_control", dir);
	write_file(ctl, "+memory");
	for (i = 0; i < n; i++) {
		cg_path(dir, i, path, sizeof(path));
		if (mkdir(path, 0755) && errno != EEXIST)
			die("%s: %s", path, strerror(errno));
	}
	return 0;
}

/* Mode threshold far above usage, or (@autom) mode auto with no marks. */
static int make_policies(const char *dir, int n, bool autom)
{
	struct memctl_policy *p = calloc(1, sizeof(*p));
	struct memctl *mc;
	char path[512];
	uint64_t t0;
	int i, err;

	if (!p)
		die("out of memory");
	err = memctl_open(&mc);
	if (err)
		die("memctl_open: %s", strerror(-err));
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		cg_path(dir, i, path, sizeof(path));
		memset(p, 0, sizeof(*p));
		snprintf(p->cgroup.path, sizeof(p->cgroup.path), "%s", rel(path));
		if (autom) {
			p->set = MEMCTL_POLICY_F_MODE;
			p->mode = MEMCTL_MODE_AUTO;
		} else {
			p->set = MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET;
			p->high = 1ULL << 30;
			p->target = 1ULL << 29;
		}
		err = memctl_policy_set(mc, p);
		if (err)
			die("policy set %s: %s: %s", p->cgroup.path,
			    strerror(-err), memctl_errmsg(mc));
	}
	printf("policies %llu\n", (unsigned long long)(now_ns() - t0));
	memctl_close(mc);
	free(p);
	return 0;
}

static int teardown(const char *dir, int n)
{
	struct memctl *mc = NULL;
	char path[512];
	int i;

	if (memctl_open(&mc))
		mc = NULL;
	for (i = 0; i < n; i++) {
		cg_path(dir, i, path, sizeof(path));
		if (mc)
			memctl_policy_del(mc, rel(path), 0);
		rmdir(path);
	}
	memctl_close(mc);
	rmdir(dir);
	return 0;
}

/* ---- the netlink side ---- */

static int add_row(const struct memctl_cgroup_stats *s, void *arg)
{
	struct sums *sum = arg;

	sum->rows++;
	sum->usage += s->usage;
	sum->slab_r += s->slab_reclaimable;
	sum->slab_u += s->slab_unreclaimable;
	sum->file += s->file;
	sum->anon += s->anon;
	return 0;
}

static void read_netlink(struct memctl *mc, struct sums *sum)
{
	int err = memctl_cgroup_stats_foreach(mc, add_row, sum);

	if (err)
		die("stats dump: %s", strerror(err < 0 ? -err : EIO));
}

/*
 * The floor under the netlink side: the same dump on a bare netlink
 * socket, every datagram received into one buffer and nothing parsed.
 * Only for the table: no agent would stop there.
 */
struct raw {
	int fd;
	uint16_t family;
	uint32_t seq;
	unsigned char buf[65536];
	unsigned char first[8192];	/* the first message of a reply */
};

static int raw_request(struct raw *r, uint16_t type, uint8_t cmd, int flags,
		       const char *name)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} req;
	struct nlattr *a = (struct nlattr *)req.attrs;
	size_t len = NLMSG_LENGTH(GENL_HDRLEN);

	memset(&req, 0, sizeof(req));
	if (name) {
		a->nla_type = CTRL_ATTR_FAMILY_NAME;
		a->nla_len = (uint16_t)(NLA_HDRLEN + strlen(name) + 1);
		memcpy(req.attrs + NLA_HDRLEN, name, strlen(name) + 1);
		len += NLA_ALIGN(a->nla_len);
	}
	req.n.nlmsg_len = (uint32_t)len;
	req.n.nlmsg_type = type;
	req.n.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	req.n.nlmsg_seq = ++r->seq;
	req.g.cmd = cmd;
	req.g.version = 1;
	return send(r->fd, &req, len, 0) == (ssize_t)len ? 0 : -errno;
}

/* Receive until NLMSG_DONE or an error; returns the messages seen. */
static long raw_drain(struct raw *r, struct nlmsghdr **first)
{
	long count = 0;

	for (;;) {
		ssize_t n = recv(r->fd, r->buf, sizeof(r->buf), 0);
		struct nlmsghdr *h;
		int len;

		if (n < 0)
			die("raw recv: %s", strerror(errno));
		len = (int)n;
		for (h = (struct nlmsghdr *)r->buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return count;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error)
					die("raw: error %d", e->error);
				return count;
			}
			if (first && !count && h->nlmsg_len <= sizeof(r->first)) {
				/* the next datagram overwrites r->buf */
				memcpy(r->first, h, h->nlmsg_len);
				*first = (struct nlmsghdr *)r->first;
			}
			count++;
		}
	}
}

static void raw_open(struct raw *r)
{
	struct nlmsghdr *h = NULL;
	struct nlattr *a;
	int len, one = 1;

	memset(r, 0, sizeof(*r));
	r->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (r->fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(r->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (raw_request(r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK,
			MEMCTL_GENL_NAME))
		die("raw: cannot send");
	if (raw_drain(r, &h) < 1 || !h)
		die("raw: no family");
	len = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	     len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			memcpy(&r->family, (char *)a + NLA_HDRLEN, 2);
	if (!r->family)
		die("raw: no family id");
}

static long raw_dump(struct raw *r)
{
	if (raw_request(r, r->family, MEMCTL_CMD_STATS_GET, NLM_F_DUMP, NULL))
		die("raw: cannot send");
	return raw_drain(r, NULL);
}

/* ---- the files side, the way an agent reads them ---- */


/*
 * The files again, but from descriptors opened once and read with pread()
 * at offset 0 (cgroupfs regenerates the text): what an agent that keeps
 * its files open pays.  The best case for the files.
 */
static void read_files_open(const int *fds, int n, struct sums *sum)
{
	static char buf[16384];
	static struct kv kv[128];
	int i, nkv;

	for (i = 0; i < n; i++) {
		ssize_t len = pread(fds[2 * i], buf, sizeof(buf) - 1, 0);

		if (len < 0)
			die("pread memory.current: %s", strerror(errno));
		buf[len] = '\0';
		sum->usage += strtoull(buf, NULL, 10);
		len = pread(fds[2 * i + 1], buf, sizeof(buf) - 1, 0);
		if (len < 0)
			die("pread memory.stat: %s", strerror(errno));
		buf[len] = '\0';
		nkv = parse_stat(buf, kv, 128);
		sum->slab_r += lookup(kv, nkv, "slab_reclaimable");
		sum->slab_u += lookup(kv, nkv, "slab_unreclaimable");
		sum->file += lookup(kv, nkv, "file");
		sum->anon += lookup(kv, nkv, "anon");
		sum->rows++;
	}
}

static int *open_files(char **dirs, int n)
{
	int *fds = calloc((size_t)n * 2, sizeof(*fds)), i;
	struct rlimit rl;
	char path[600];

	if (!fds)
		die("out of memory");
	/* two descriptors per cgroup: raise the soft limit to the hard one */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/memory.current", dirs[i]);
		fds[2 * i] = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "%s/memory.stat", dirs[i]);
		fds[2 * i + 1] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[2 * i] < 0 || fds[2 * i + 1] < 0)
			die("%s: %s", path, strerror(errno));
	}
	return fds;
}

static int read_bench(const char *dir, int n, int rounds)
{
	uint64_t *tn = calloc((size_t)rounds, sizeof(*tn));
	uint64_t *tf = calloc((size_t)rounds, sizeof(*tf));
	char **dirs = calloc((size_t)n, sizeof(*dirs)), path[512];
	struct sums sn = { 0 }, sf = { 0 };
	uint64_t *tr = calloc((size_t)rounds, sizeof(*tr));
	uint64_t *to = calloc((size_t)rounds, sizeof(*to));
	uint64_t *ratio_open = calloc((size_t)rounds, sizeof(*ratio_open));
	uint64_t co[2] = { 0, 0 };
	struct sums so = { 0 };
	int *fds;
	uint64_t *ratio = calloc((size_t)rounds, sizeof(*ratio));
	uint64_t cn[2] = { 0, 0 }, cf[2] = { 0, 0 }, cr[2] = { 0, 0 };
	struct raw *raw = malloc(sizeof(*raw));
	long raw_rows = 0;
	struct memctl *mc;
	int i, r, err;

	if (!tn || !tf || !tr || !to || !ratio || !ratio_open || !raw || !dirs)
		die("out of memory");
	raw_open(raw);
	for (i = 0; i < n; i++)
		dirs[i] = strdup(cg_path(dir, i, path, sizeof(path)));
	err = memctl_open(&mc);
	if (err)
		die("memctl_open: %s", strerror(-err));
	fds = open_files(dirs, n);

	/* One of each untimed, then alternate so that drift hits both. */
	read_netlink(mc, &sn);
	read_files(dirs, n, &sf);
	for (r = 0; r < rounds; r++) {
		memset(&sn, 0, sizeof(sn));
		memset(&sf, 0, sizeof(sf));
		if (r % 2) {
			TIMED(&tf[r], cf, read_files(dirs, n, &sf));
			TIMED(&tn[r], cn, read_netlink(mc, &sn));
		} else {
			TIMED(&tn[r], cn, read_netlink(mc, &sn));
			TIMED(&tf[r], cf, read_files(dirs, n, &sf));
		}
		/* files / netlink of this round, in thousandths */
		ratio[r] = tf[r] * 1000 / (tn[r] ? tn[r] : 1);
		memset(&so, 0, sizeof(so));
		TIMED(&to[r], co, read_files_open(fds, n, &so));
		ratio_open[r] = to[r] * 1000 / (tn[r] ? tn[r] : 1);
		TIMED(&tr[r], cr, raw_rows = raw_dump(raw));
	}
	if (so.rows != (uint64_t)n)
		die("rows: files kept open %llu, want %d",
		    (unsigned long long)so.rows, n);
	/* Both sides must have read the same cgroups. */
	if (sn.rows < (uint64_t)n || sf.rows != (uint64_t)n)
		die("rows: netlink %llu, files %llu, want %d",
		    (unsigned long long)sn.rows, (unsigned long long)sf.rows, n);
	report("netlink", tn, rounds, sn.rows, cn[0], cn[1]);
	report("files", tf, rounds, sf.rows, cf[0], cf[1]);
	report("open", to, rounds, so.rows, co[0], co[1]);
	report("raw", tr, rounds, (uint64_t)raw_rows, cr[0], cr[1]);
	report("ratio", ratio, rounds, 0, 0, 0);
	report("ratio_open", ratio_open, rounds, 0, 0, 0);
	printf("check usage %llu %llu file %llu %llu\n",
	       (unsigned long long)sn.usage, (unsigned long long)sf.usage,
	       (unsigned long long)sn.file, (unsigned long long)sf.file);
	memctl_close(mc);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	for (i = 0; i < 2 * n; i++)
		close(fds[i]);
	free(fds);
	free(to);
	free(ratio_open);
	close(raw->fd);
	free(raw);
	free(ratio);
	free(tr);
	free(tn);
	free(tf);
	return 0;
}

/* One run of @cmd, stdout to /dev/null: its wall time, exec included. */
static uint64_t exec_once(char **cmd)
{
	uint64_t t0 = now_ns();
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		die("%s failed", cmd[0]);
	return now_ns() - t0;
}

/* @cmd ROUNDS times, and @vs (or NULL) in turn with it in each round. */
static int exec_bench(int rounds, char **cmd, char **vs)
{
	uint64_t *t = calloc((size_t)rounds, sizeof(*t));
	uint64_t *tv = calloc((size_t)rounds, sizeof(*tv));
	uint64_t *ratio = calloc((size_t)rounds, sizeof(*ratio));
	uint64_t a, b;
	int r;

	if (!t || !tv || !ratio)
		die("out of memory");
	/* Round 0 warms the caches and is not counted. */
	for (r = 0; r <= rounds; r++) {
		if (!vs) {
			a = exec_once(cmd);
		} else if (r % 2) {
			a = exec_once(cmd);
			b = exec_once(vs);
		} else {
			b = exec_once(vs);
			a = exec_once(cmd);
		}
		if (!r)
			continue;
		t[r - 1] = a;
		if (vs) {
			tv[r - 1] = b;
			ratio[r - 1] = b * 1000 / (a ? a : 1);
		}
	}
	report("exec", t, rounds, 0, 0, 0);
	if (vs) {
		report("exec_vs", tv, rounds, 0, 0, 0);
		report("exec_ratio", ratio, rounds, 0, 0, 0);
	}
	free(ratio);
	free(tv);
	free(t);
	return 0;
}

/* ---- idle CPU ---- */

/* Non-idle CPU time of the system, in USER_HZ ticks. */
static uint64_t system_ticks(void)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	uint64_t sum = 0;
	int i;

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
			 &v[8], &v[9]) < 8)
		die("/proc/stat: cannot parse");
	fclose(f);
	/* user nice system idle iowait irq softirq steal (guest* are in user) */
	for (i = 0; i < 8; i++)
		if (i != 3 && i != 4)
			sum += v[i];
	return sum;
}

/* Run time in ns of every kworker thread, summed. */
static uint64_t kworker_ns(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	uint64_t sum = 0;

	if (!proc)
		die("/proc: %s", strerror(errno));
	while ((de = readdir(proc))) {
		char path[300], comm[64] = "";
		unsigned long long run = 0;
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
		if (strncmp(comm, "kworker", 7))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &run) == 1)
			sum += run;
		fclose(f);
	}
	closedir(proc);
	return sum;
}

static int cpu_bench(int seconds)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t s0 = system_ticks(), k0 = kworker_ns(), t0 = now_ns();
	uint64_t s1, k1, t1;
	double wall;

	sleep((unsigned int)seconds);
	s1 = system_ticks();
	k1 = kworker_ns();
	t1 = now_ns();
	wall = (double)(t1 - t0) / 1e9;
	printf("cpu %.6f %.6f\n", (double)(s1 - s0) / (double)hz / wall,
	       (double)(k1 - k0) / 1e9 / wall);
	return 0;
}

/* ---- the flush benchmark ---- */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

static void catch_term(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ULL),
			       (long)(ns % 1000000000ULL) };

	nanosleep(&ts, NULL);
}

/* One churner: in its cgroup, KB KiB in and out every period. */
static void churn_one(const char *cg, size_t bytes, uint64_t period, int pipe)
{
	char path[600], buf[32];
	uint64_t cycles = 0, next;
	long page = sysconf(_SC_PAGESIZE);

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	write_file(path, buf);
	srand((unsigned int)getpid());
	next = now_ns() + (uint64_t)rand() % period;
	while (!stop) {
		char *m;
		size_t off;
		uint64_t t = now_ns();

		if (t < next)
			sleep_ns(next - t);
		next += period;
		m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			continue;
		for (off = 0; off < bytes; off += (size_t)page)
			m[off] = (char)off;
		munmap(m, bytes);
		cycles++;
	}
	if (write(pipe, &cycles, sizeof(cycles)) != sizeof(cycles))
		_exit(1);
	_exit(0);
}

static int churn(const char *dir, int count, long kb, long ms)
{
	pid_t *pids = calloc((size_t)count, sizeof(*pids));
	uint64_t total = 0, c;
	char path[512];
	int fds[2], i;

	if (!pids || kb <= 0 || ms <= 0)
		die("churn: bad arguments");
	if (pipe(fds))
		die("pipe: %s", strerror(errno));
	catch_term();
	for (i = 0; i < count; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork: %s", strerror(errno));
		if (!pids[i]) {
			close(fds[0]);
			churn_one(cg_path(dir, i, path, sizeof(path)),
				  (size_t)kb << 10, (uint64_t)ms * 1000000ULL,
				  fds[1]);
		}
	}
	close(fds[1]);
	while (!stop)
		sleep(1);
	for (i = 0; i < count; i++)
		kill(pids[i], SIGTERM);
	while (read(fds[0], &c, sizeof(c)) == sizeof(c))
		total += c;
	for (i = 0; i < count; i++)
		waitpid(pids[i], NULL, 0);
	printf("churn %llu\n", (unsigned long long)total);
	free(pids);
	return 0;
}

static int nlloop(const char *what)
{
	struct raw *r = malloc(sizeof(*r));
	uint64_t requests = 0, messages = 0, t0;
	int dump = !strcmp(what, "dump");

	if (!r)
		die("out of memory");
	if (!dump && strcmp(what, "info"))
		die("nlloop: dump or info, not %s", what);
	raw_open(r);
	catch_term();
	t0 = now_ns();
	while (!stop) {
		if (dump) {
			messages += (uint64_t)raw_dump(r);
		} else {
			/* the reply, then the ACK ends it */
			if (raw_request(r, r->family, MEMCTL_CMD_GET_INFO,
					NLM_F_ACK, NULL))
				die("raw: cannot send");
			messages += (uint64_t)raw_drain(r, NULL);
		}
		requests++;
	}
	printf("nlloop %llu %llu %llu\n", (unsigned long long)requests,
	       (unsigned long long)messages,
	       (unsigned long long)(now_ns() - t0));
	close(r->fd);
	free(r);
	return 0;
}

/* Hits so far of the rstat flush probes in @profile: sync and irq-safe. */
static void flush_hits(const char *profile, uint64_t *sync, uint64_t *irq)
{
	char name[128];
	unsigned long long hits, missed;
	FILE *f;

	*sync = 0;
	*irq = 0;
	if (!strcmp(profile, "-"))
		return;
	f = fopen(profile, "r");
	if (!f)
		die("%s: %s", profile, strerror(errno));
	while (fscanf(f, "%127s %llu %llu", name, &hits, &missed) == 3) {
		if (!strcmp(name, "cgroup_rstat_flush_irqsafe"))
			*irq += hits;
		else if (!strcmp(name, "cgroup_rstat_flush") ||
			 !strcmp(name, "css_rstat_flush"))
			*sync += hits;
	}
	fclose(f);
}

#define MAX_PIDS 16

struct phase {
	const char *name;
	pid_t pids[MAX_PIDS];
	int npids;
	uint64_t *t;		/* every read's ns */
	size_t len, cap;
};

/* Send @sig to every process of @ph. */
static void phase_signal(const struct phase *ph, int sig)
{
	int i;

	for (i = 0; i < ph->npids; i++)
		if (kill(ph->pids[i], sig))
			die("signal %d to %d: %s", sig, (int)ph->pids[i],
			    strerror(errno));
}

/*
 * Mean of the fastest 99 % of @n sorted reads: what is left when the
 * slowest reads, where the host took the CPU from the VM for a timeslice
 * (TCG on shared cores), are set aside.
 */
static uint64_t trimmed_mean(const uint64_t *t, size_t n)
{
	size_t keep = n - n / 100, i;
	uint64_t sum = 0;

	for (i = 0; i < keep; i++)
		sum += t[i];
	return keep ? sum / keep : 0;
}

static void phase_add(struct phase *ph, uint64_t ns)
{
	if (ph->len == ph->cap) {
		ph->cap = ph->cap ? ph->cap * 2 : 1 << 14;
		ph->t = realloc(ph->t, ph->cap * sizeof(*ph->t));
		if (!ph->t)
			die("out of memory");
	}
	ph->t[ph->len++] = ns;
}

static int phases(const char *dir, int n, int step, int seconds, int slice_ms,
		  const char *profile, char **specs, int nph)
{
	struct phase *ph = calloc((size_t)nph, sizeof(*ph));
	uint64_t end, slice = (uint64_t)slice_ms * 1000000ULL;
	static char buf[16384];
	char path[600];
	int i, cycle, next = 0;

	if (!ph || step <= 0 || seconds <= 0 || slice_ms <= 0 || nph < 1)
		die("phases: bad arguments");
	for (i = 0; i < nph; i++) {
		char *colon = strchr(specs[i], ':'), *pid, *save = NULL;

		if (!colon)
			die("phases: %s is not NAME:PIDS", specs[i]);
		*colon = '\0';
		ph[i].name = specs[i];
		for (pid = strtok_r(colon + 1, ",", &save); pid;
		     pid = strtok_r(NULL, ",", &save)) {
			if (atoi(pid) <= 0)
				continue;
			if (ph[i].npids == MAX_PIDS)
				die("phases: more than %d processes", MAX_PIDS);
			ph[i].pids[ph[i].npids++] = (pid_t)atoi(pid);
		}
		phase_signal(&ph[i], SIGSTOP);
	}
	end = now_ns() + (uint64_t)seconds * 1000000000ULL;
	for (cycle = 0; now_ns() < end; cycle++) {
		int k;

		for (k = 0; k < nph; k++) {
			struct phase *p = &ph[(k + cycle) % nph];
			uint64_t t0 = now_ns(), s0, i0, s1, i1, sum = 0;
			size_t reads = 0, first = p->len;

			phase_signal(p, SIGCONT);
			flush_hits(profile, &s0, &i0);
			while (now_ns() - t0 < slice) {
				uint64_t r0;

				snprintf(path, sizeof(path),
					 "%s/c%04d/memory.stat", dir, next);
				next = next + step < n ? next + step : 0;
				r0 = now_ns();
				slurp(path, buf, sizeof(buf));
				r0 = now_ns() - r0;
				phase_add(p, r0);
				sum += r0;
				reads++;
			}
			flush_hits(profile, &s1, &i1);
			phase_signal(p, SIGSTOP);
			/* this slice's reads, sorted in place: order is not kept */
			qsort(p->t + first, reads, sizeof(*p->t), cmp_u64);
			printf("slice %s %d %zu %llu %llu %llu %llu %llu\n",
			       p->name, cycle, reads, (unsigned long long)sum,
			       (unsigned long long)(s1 - s0),
			       (unsigned long long)(i1 - i0),
			       (unsigned long long)(now_ns() - t0),
			       (unsigned long long)trimmed_mean(p->t + first,
								reads));
		}
	}
	for (i = 0; i < nph; i++) {
		struct phase *p = &ph[i];
		uint64_t sum = 0;
		size_t j;

		phase_signal(p, SIGCONT);
		if (!p->len)
			continue;
		for (j = 0; j < p->len; j++)
			sum += p->t[j];
		qsort(p->t, p->len, sizeof(*p->t), cmp_u64);
		printf("phase %s %llu %llu %llu %llu %zu %llu %llu\n", p->name,
		       (unsigned long long)(sum / p->len),
		       (unsigned long long)p->t[p->len / 2],
		       (unsigned long long)p->t[p->len * 99 / 100],
		       (unsigned long long)p->t[p->len - 1], p->len,
		       (unsigned long long)p->t[p->len * 9 / 10],
		       (unsigned long long)trimmed_mean(p->t, p->len));
		free(p->t);
	}
	free(ph);
	return 0;
}

/* ---- the node agent (agent-bench.sh) ---- */

struct mkpolicy {
	const char *dir;		/* relative to the cgroup2 root */
	int n, seen;
	uint64_t *t_mkdir, *t_policy;	/* per cgroup, ns */
	uint64_t now;
};

/* "/bench-agent/c0042" -> 42, or -1 for another cgroup. */
static int mkpolicy_index(const struct mkpolicy *m, const char *path)
{
	size_t len = strlen(m->dir);
	char *end;
	long i;

	if (strncmp(path, m->dir, len) || strncmp(path + len, "/c", 2))
		return -1;
	i = strtol(path + len + 2, &end, 10);
	return *end || i < 0 || i >= m->n ? -1 : (int)i;
}

static void mkpolicy_seen(struct mkpolicy *m, const char *path)
{
	int i = mkpolicy_index(m, path);

	if (i >= 0 && !m->t_policy[i]) {
		m->t_policy[i] = m->now;
		m->seen++;
	}
}

static int mkpolicy_event(const struct memctl_event *e, void *arg)
{
	if (e->type == MEMCTL_EVENT_POLICY &&
	    (e->action == MEMCTL_POLICY_EVENT_CREATED ||
	     e->action == MEMCTL_POLICY_EVENT_CHANGED))
		mkpolicy_seen(arg, e->cgroup.path);
	return 0;
}

static int mkpolicy_listed(const struct memctl_policy *p, void *arg)
{
	mkpolicy_seen(arg, p->cgroup.path);
	return 0;
}

/*
 * mkdir N cgroups below DIR back to back, then wait (up to @timeout s) for
 * the policy event of each (memctld sets them).  Should the event socket
 * overflow, a policy dump finds the rest, stamped with the dump's time (no
 * earlier than the truth).  Prints "mkpolicy <p50> <p99> <max> <seen>
 * <lost>" in ns from each mkdir to its policy.
 */
static int mkpolicy_bench(const char *dir, int n, int timeout)
{
	struct mkpolicy m = { .dir = rel(dir), .n = n };
	struct memctl_events *ev;
	struct memctl *mc;
	uint64_t *lat, end;
	char path[512];
	int i, err, lost = 0;
	bool dump = false;

	m.t_mkdir = calloc((size_t)n, sizeof(uint64_t));
	m.t_policy = calloc((size_t)n, sizeof(uint64_t));
	lat = calloc((size_t)n, sizeof(uint64_t));
	if (!m.t_mkdir || !m.t_policy || !lat)
		die("out of memory");
	err = memctl_events_open(&ev);
	if (err)
		die("memctl_events_open: %s", strerror(-err));
	err = memctl_open(&mc);
	if (err)
		die("memctl_open: %s", strerror(-err));
	for (i = 0; i < n; i++) {
		cg_path(dir, i, path, sizeof(path));
		m.t_mkdir[i] = now_ns();
		if (mkdir(path, 0755))
			die("%s: %s", path, strerror(errno));
	}
	end = now_ns() + (uint64_t)timeout * 1000000000ULL;
	while (m.seen < n && now_ns() < end) {
		struct pollfd pfd = { .fd = memctl_events_fd(ev),
				      .events = POLLIN };

		if (poll(&pfd, 1, 100) < 0)
			die("poll: %s", strerror(errno));
		m.now = now_ns();
		err = memctl_events_read(ev, mkpolicy_event, &m);
		if (err == -ENOBUFS) {
			/*
			 * Events are dropped, silently, until the socket's
			 * queue is empty again: read on, and dump once a read
			 * has emptied it.
			 */
			lost++;
			dump = true;
			continue;
		} else if (err < 0) {
			die("events: %s", strerror(-err));
		}
		/*
		 * A dump while memctld still sets policies can come back
		 * interrupted (-EAGAIN): dump again until one completes.
		 */
		if (dump) {
			m.now = now_ns();
			err = memctl_policy_foreach(mc, mkpolicy_listed, &m);
			if (!err)
				dump = false;
			else if (err != -EAGAIN)
				die("policy dump: %s", strerror(-err));
		}
	}
	if (m.seen < n)
		die("%d of %d cgroups got no policy within %d s", n - m.seen,
		    n, timeout);
	for (i = 0; i < n; i++)
		lat[i] = m.t_policy[i] - m.t_mkdir[i];
	qsort(lat, (size_t)n, sizeof(*lat), cmp_u64);
	printf("mkpolicy %llu %llu %llu %d %d\n",
	       (unsigned long long)lat[n / 2],
	       (unsigned long long)lat[(n * 99 + 99) / 100 - 1],
	       (unsigned long long)lat[n - 1], m.seen, lost);
	memctl_close(mc);
	memctl_events_close(ev);
	free(lat);
	free(m.t_policy);
	free(m.t_mkdir);
	return 0;
}

/*
 * GET /metrics from 127.0.0.1:@port, all of it; returns the body's
 * series of the family memctl_usage_bytes whose cgroup is below @dir.
 */
static long scrape(int port, const char *dir, char *buf, size_t len)
{
	static const char req[] = "GET /metrics HTTP/1.0\r\n\r\n";
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	char want[600];
	size_t off = 0;
	ssize_t r;
	long rows = 0;
	char *p;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect to port %d: %s", port, strerror(errno));
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)
		die("send: %s", strerror(errno));
	while (off < len - 1 && (r = read(fd, buf + off, len - 1 - off)) > 0)
		off += (size_t)r;
	close(fd);
	if (off >= len - 1)
		die("/metrics is larger than %zu bytes", len);
	buf[off] = '\0';
	if (strncmp(buf, "HTTP/1.", 7) || strncmp(buf + 8, " 200", 4))
		die("GET /metrics: %.40s", buf);
	snprintf(want, sizeof(want), "\nmemctl_usage_bytes{cgroup=\"%s/c",
		 rel(dir));
	for (p = buf; (p = strstr(p, want)); p++)
		rows++;
	return rows;
}

/*
 * ROUNDS alternating rounds of a /metrics scrape of memctld on @port and
 * the files of DIR's N cgroups; prints "scrape", "files" and "ratio"
 * (files / scrape, thousandths) lines as report() does.
 */
static int scrape_bench(int port, const char *dir, int n, int rounds)
{
	uint64_t *ts = calloc((size_t)rounds, sizeof(uint64_t));
	uint64_t *tf = calloc((size_t)rounds, sizeof(uint64_t));
	uint64_t *ratio = calloc((size_t)rounds, sizeof(uint64_t));
	char **dirs = calloc((size_t)n, sizeof(*dirs)), path[512];
	size_t len = 64 << 20;
	char *buf = malloc(len);
	uint64_t cs[2] = { 0, 0 }, cf[2] = { 0, 0 };
	struct sums sf = { 0 };
	long rows = 0;
	int i, r;

	if (!ts || !tf || !ratio || !dirs || !buf)
		die("out of memory");
	for (i = 0; i < n; i++)
		dirs[i] = strdup(cg_path(dir, i, path, sizeof(path)));
	scrape(port, dir, buf, len);
	read_files(dirs, n, &sf);
	for (r = 0; r < rounds; r++) {
		memset(&sf, 0, sizeof(sf));
		if (r % 2) {
			TIMED(&tf[r], cf, read_files(dirs, n, &sf));
			TIMED(&ts[r], cs, rows = scrape(port, dir, buf, len));
		} else {
			TIMED(&ts[r], cs, rows = scrape(port, dir, buf, len));
			TIMED(&tf[r], cf, read_files(dirs, n, &sf));
		}
		ratio[r] = tf[r] * 1000 / (ts[r] ? ts[r] : 1);
	}
	if (rows != n || sf.rows != (uint64_t)n)
		die("rows: /metrics %ld, files %llu, want %d", rows,
		    (unsigned long long)sf.rows, n);
	report("scrape", ts, rounds, (uint64_t)rows, cs[0], cs[1]);
	report("files", tf, rounds, sf.rows, cf[0], cf[1]);
	report("ratio", ratio, rounds, 0, 0, 0);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	free(buf);
	free(ratio);
	free(tf);
	free(ts);
	return 0;
}

/* User and system time of process @pid, in USER_HZ ticks. */
static void pid_times(int pid, uint64_t *user, uint64_t *sys)
{
	unsigned long long ut = 0, st = 0;
	char path[64], buf[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("%s: %s", path, strerror(errno));
	fclose(f);
	/* after "(comm) ": state is field 3, utime 14, stime 15 */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		die("%s: unexpected format", path);
	*user = ut;
	*sys = st;
}

static uint64_t pid_ticks(int pid)
{
	uint64_t u, s;

	pid_times(pid, &u, &s);
	return u + s;
}

/* Prints "pidtimes <user s> <system s>" of process @pid so far. */
static int pidtimes(int pid)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t u, s;

	pid_times(pid, &u, &s);
	printf("pidtimes %.2f %.2f\n", (double)u / (double)hz,
	       (double)s / (double)hz);
	return 0;
}

/* Prints "pidcpu <CPU s per s>" of process @pid over @seconds. */
static int pidcpu(int pid, int seconds)
{
	uint64_t t0 = pid_ticks(pid), w0 = now_ns(), t1, w1;
	long hz = sysconf(_SC_CLK_TCK);

	sleep((unsigned int)seconds);
	t1 = pid_ticks(pid);
	w1 = now_ns();
	printf("pidcpu %.6f\n", (double)(t1 - t0) / (double)hz /
	       ((double)(w1 - w0) / 1e9));
	return 0;
}

static int usage(void)
{
	fputs("usage: ctlbench cgroups|policies|teardown DIR N\n"
	      "       ctlbench read DIR N ROUNDS\n"
	      "       ctlbench exec ROUNDS CMD... [--vs CMD2...]\n"
	      "       ctlbench cpu SECONDS\n"
	      "       ctlbench churn DIR COUNT KB MS\n"
	      "       ctlbench nlloop dump|info\n"
	      "       ctlbench phases DIR N STEP SECONDS SLICE_MS PROFILE NAME:PIDS...\n"
	      "       ctlbench mkpolicy DIR N TIMEOUT\n"
	      "       ctlbench scrape PORT DIR N ROUNDS\n"
	      "       ctlbench pidcpu PID SECONDS\n"
	      "       ctlbench pidtimes PID\n",
	      stderr);
	return 64;
}

int main(int argc, char **argv)
{
	int i;

	if (argc == 4 && !strcmp(argv[1], "cgroups"))
		return make_cgroups(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "policies"))
		return make_policies(argv[2], atoi(argv[3]), false);
	if (argc == 5 && !strcmp(argv[1], "policies") &&
	    !strcmp(argv[4], "auto"))
		return make_policies(argv[2], atoi(argv[3]), true);
	if (argc == 4 && !strcmp(argv[1], "teardown"))
		return teardown(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "read") && atoi(argv[4]) > 0)
		return read_bench(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "exec") && atoi(argv[2]) > 0) {
		char **vs = NULL;

		for (i = 3; i < argc; i++)
			if (!strcmp(argv[i], "--vs")) {
				argv[i] = NULL;
				vs = argv + i + 1;
				break;
			}
		if (vs && (!*vs || i == 3))
			return usage();
		return exec_bench(atoi(argv[2]), argv + 3, vs);
	}
	if (argc == 3 && !strcmp(argv[1], "cpu") && atoi(argv[2]) > 0)
		return cpu_bench(atoi(argv[2]));
	if (argc == 6 && !strcmp(argv[1], "churn"))
		return churn(argv[2], atoi(argv[3]), atol(argv[4]),
			     atol(argv[5]));
	if (argc == 3 && !strcmp(argv[1], "nlloop"))
		return nlloop(argv[2]);
	if (argc >= 9 && !strcmp(argv[1], "phases"))
		return phases(argv[2], atoi(argv[3]), atoi(argv[4]),
			      atoi(argv[5]), atoi(argv[6]), argv[7], argv + 8,
			      argc - 8);
	if (argc == 5 && !strcmp(argv[1], "mkpolicy") && atoi(argv[3]) > 0)
		return mkpolicy_bench(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 6 && !strcmp(argv[1], "scrape") && atoi(argv[4]) > 0 &&
	    atoi(argv[5]) > 0)
		return scrape_bench(atoi(argv[2]), argv[3], atoi(argv[4]),
				    atoi(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "pidcpu") && atoi(argv[3]) > 0)
		return pidcpu(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "pidtimes"))
		return pidtimes(atoi(argv[2]));
	return usage();
}
