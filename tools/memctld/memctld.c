// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld: the node agent (memctld(8)).
 *
 *	memctld --config FILE [--listen ADDR:PORT]
 *
 * One thread, one epoll loop over:
 *  - inotify on every directory of the cgroup2 hierarchy: a new cgroup is
 *    matched against the rules (rules.h) and given its rule's policy at
 *    once; a removed one is forgotten (the module drops its policy);
 *  - the generic netlink controller's "notify" group: the memctl family
 *    going away (rmmod) and coming back (modprobe) are events, after which
 *    memctld sets every policy again; while the module is absent it also
 *    looks at /sys/module/memctl every second, and a request that fails is
 *    followed by GET_INFO, whose failure means the module went away;
 *  - signals, through a signalfd: SIGHUP reloads the rules (a file with
 *    errors keeps the rules before), SIGTERM and SIGINT stop;
 *  - the HTTP server (libmicrohttpd, driven from this loop): GET /metrics,
 *    the status page and its endpoints (web.h), and a sample of the
 *    statistics every WEB_SAMPLE_S seconds for the page's plots.
 *
 * memctld only touches the cgroups a rule matches, and remembers the
 * policies it set: a reload that leaves a cgroup without a rule deletes
 * the policy memctld had set there, never one it did not set.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <netdb.h>
#include <search.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "metrics.h"
#include "rules.h"
#include "web.h"

#ifndef MEMCTLD_VERSION
#define MEMCTLD_VERSION "0.0.0"
#endif

/* Exit statuses (memctld(8)). */
#define EXIT_FAILURE_	1	/* cannot run: no cgroup2, cannot listen... */
#define EXIT_USAGE	64
#define EXIT_CONFIG	65	/* the rules file has errors */
#define EXIT_NOINPUT	66	/* the rules file cannot be read */

#define POLL_MS		1000	/* module absent, or retries pending */

/* ---- logging: one line per event on stderr ---- */

static bool journal;	/* stderr is the journal: "<N>" priority prefixes */

enum { LOG_ERR_ = 3, LOG_WARNING_ = 4, LOG_INFO_ = 6 };

static void __attribute__((format(printf, 2, 3)))
logm(int prio, const char *fmt, ...)
{
	char buf[4096 + 256];
	size_t n = 0;
	va_list ap;
	int k;

	if (journal)
		n = (size_t)snprintf(buf, sizeof(buf), "<%d>", prio);
	else if (prio <= LOG_WARNING_)
		n = (size_t)snprintf(buf, sizeof(buf), "memctld: %s: ",
				     prio <= LOG_ERR_ ? "error" : "warning");
	else
		n = (size_t)snprintf(buf, sizeof(buf), "memctld: ");
	va_start(ap, fmt);
	k = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	n += k < 0 ? 0 : (size_t)k;
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) < 0) {
		/* nowhere to say it */
	}
}

/* ---- sd_notify(3), the protocol itself: one datagram to $NOTIFY_SOCKET ---- */

static void notify(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	size_t n;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@'))
		return;
	n = strlen(path);
	if (n >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
		   (struct sockaddr *)&sa, len) < 0)
		logm(LOG_WARNING_, "cannot notify systemd: %s", strerror(errno));
	close(fd);
}

/* ---- state ---- */

struct cg {
	char *path;		/* from the cgroup2 root: "/", "/a/b" */
	uint64_t id;		/* inode number of its directory */
	int wd;			/* inotify watch, -1 if none */
	bool applied;		/* memctld set its policy (this module load) */
	bool failed;		/* the kernel refused it: again at a reload */
	bool retry;		/* failed for a passing reason: again soon */
	struct memctl_policy set;	/* what memctld set */
	unsigned int line;	/* the rule's line */
};

static struct {
	const char *config;
	const char *listen;
	char root[PATH_MAX];	/* the cgroup2 mount */
	struct rules rules;
	struct memctl *mc;	/* NULL while the module is absent */
	struct nl_sock *ctrl;	/* nlctrl notifications */
	int ifd;		/* inotify */
	int sfd;		/* signalfd */
	int efd;		/* epoll */
	struct MHD_Daemon *httpd;
	void *by_path;		/* tsearch tree of struct cg, by path */
	void *by_wd;		/* tsearch tree of struct cg, by wd */
	size_t ncg;
	size_t nretry;
	struct agent_stats st;
	char *token;		/* --token-file's, NULL: the page is read-only */
	size_t token_len;
	struct web_ring ring;	/* the page's history */
	struct timespec next_sample;
	/*
	 * /metrics' buffer, kept from one scrape to the next (spare): the
	 * body of 1,000 cgroups is 2 MB, and one that grows anew for each
	 * scrape is copied at each doubling (and open_memstream() zeroed it
	 * too).  @lent: the last one handed out (and its capacity), which
	 * becomes the spare once sent.  Like the heap (mallopt() in main()),
	 * memctld keeps what its largest scrape needed.
	 */
	struct membuf spare;
	char *lent;
	size_t lent_cap;
	bool stop;
} g = { .ifd = -1, .sfd = -1, .efd = -1 };

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct cg *)a)->path, ((const struct cg *)b)->path);
}

static int cmp_wd(const void *a, const void *b)
{
	int x = ((const struct cg *)a)->wd, y = ((const struct cg *)b)->wd;

	return (x > y) - (x < y);
}

static struct cg *cg_find(const char *path)
{
	struct cg key = { .path = (char *)path };
	struct cg **p = tfind(&key, &g.by_path, cmp_path);

	return p ? *p : NULL;
}

static struct cg *cg_find_wd(int wd)
{
	struct cg key = { .wd = wd };
	struct cg **p = tfind(&key, &g.by_wd, cmp_wd);

	return p ? *p : NULL;
}

/* The directory of @path in the cgroup2 mount, into @buf. */
static const char *full_path(const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", g.root, strcmp(path, "/") ? path : "");
	return buf;
}

/* Every cgroup, for a walk that may change them: an array to free(). */
struct snap {
	struct cg **v;
	size_t n;
};

static void snap_one(const void *node, VISIT v, void *arg)
{
	struct snap *s = arg;

	if (v == postorder || v == leaf)
		s->v[s->n++] = *(struct cg *const *)node;
}

static struct snap snapshot(void)
{
	struct snap s = { calloc(g.ncg ? g.ncg : 1, sizeof(struct cg *)), 0 };

	if (!s.v)
		logm(LOG_ERR_, "out of memory");
	else
		twalk_r(g.by_path, snap_one, &s);
	return s;
}

/* ---- the module ---- */

static void module_down(const char *why);

/* A request failed with @err: if GET_INFO fails too, the module is gone. */
static void check_module(int err)
{
	struct memctl_info info;

	if (!g.mc || (err != -ENOENT && err != -EOPNOTSUPP && err != -ESRCH &&
		      err != -ECONNREFUSED))
		return;
	if (memctl_get_info(g.mc, &info))
		module_down("requests fail: the memctl family is gone");
}

static bool transient(int err)
{
	return err == -EAGAIN || err == -EBUSY || err == -ENOMEM ||
	       err == -ENOBUFS || err == -EINTR || err == -ETIMEDOUT;
}

static void set_retry(struct cg *c, bool on)
{
	if (c->retry == on)
		return;
	c->retry = on;
	if (on)
		g.nretry++;
	else
		g.nretry--;
}

static void unapply(struct cg *c, const char *why)
{
	int err;

	if (!c->applied)
		return;
	c->applied = false;
	g.st.managed--;
	if (!g.mc)
		return;
	err = memctl_policy_del(g.mc, NULL, c->id);
	if (err && err != -ENOENT) {
		logm(LOG_ERR_, "%s: cannot delete the policy memctld set: %s%s%s",
		     c->path, strerror(-err), *memctl_errmsg(g.mc) ? ": " : "",
		     memctl_errmsg(g.mc));
		check_module(err);
		return;
	}
	g.st.removals++;
	logm(LOG_INFO_, "%s: policy deleted (%s)", c->path, why);
}

/* Give @c the policy of the first rule that matches it, if any. */
static void evaluate(struct cg *c)
{
	struct memctl_policy p;
	const struct rule *r;
	int idx, err;

	set_retry(c, false);
	idx = rules_match(&g.rules, c->path);
	if (idx < 0) {
		unapply(c, "no rule matches it any more");
		c->failed = false;
		return;
	}
	r = &g.rules.v[idx];
	if (!g.mc || c->failed)
		return;
	if (c->applied && policy_same(&c->set, &r->policy)) {
		c->line = r->line;
		return;
	}
	p = r->policy;
	snprintf(p.cgroup.path, sizeof(p.cgroup.path), "%s", c->path);
	p.cgroup.id = c->id;
	err = memctl_policy_set(g.mc, &p);
	if (err) {
		g.st.apply_errors++;
		logm(LOG_ERR_, "%s:%u: %s: the kernel refused the policy: %s%s%s",
		     g.config, r->line, c->path, strerror(-err),
		     *memctl_errmsg(g.mc) ? ": " : "", memctl_errmsg(g.mc));
		if (transient(err))
			set_retry(c, true);
		else if (err != -ENOENT)
			c->failed = true;	/* until the next reload */
		check_module(err);
		return;
	}
	if (!c->applied)
		g.st.managed++;
	c->applied = true;
	c->set = p;
	c->line = r->line;
	g.st.applies++;
	logm(LOG_INFO_, "%s: policy set (%s:%u)", c->path, g.config, r->line);
}

static void evaluate_all(bool clear_failed)
{
	struct snap s = snapshot();
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (clear_failed)
			s.v[i]->failed = false;
		evaluate(s.v[i]);
	}
	free(s.v);
}

static void module_up(void)
{
	struct memctl_info info;
	int err;

	if (g.mc)
		return;
	err = memctl_open(&g.mc);
	if (!err)
		err = memctl_get_info(g.mc, &info);
	if (err) {
		memctl_close(g.mc);
		g.mc = NULL;
		return;
	}
	g.st.module_loads++;
	g.st.module_loaded = true;
	logm(LOG_INFO_, "memctl module %s found; setting the policies of the rules",
	     info.version);
	evaluate_all(true);
	notify("STATUS=running");
}

static void module_down(const char *why)
{
	struct snap s;
	size_t i;

	if (!g.mc)
		return;
	memctl_close(g.mc);
	g.mc = NULL;
	g.st.module_loaded = false;
	s = snapshot();
	for (i = 0; i < s.n; i++) {
		if (s.v[i]->applied)
			g.st.managed--;
		s.v[i]->applied = false;
		s.v[i]->failed = false;
		set_retry(s.v[i], false);
	}
	free(s.v);
	logm(LOG_WARNING_, "memctl module gone (%s); waiting for it", why);
	notify("STATUS=waiting for the memctl module");
}

static bool module_present(void)
{
	char buf[32] = "";
	ssize_t n;
	int fd;

	fd = open("/sys/module/memctl/initstate", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && (!strncmp(buf, "live", 4) || !strncmp(buf, "coming", 6));
}

/* nlctrl: CTRL_CMD_NEWFAMILY / DELFAMILY of "memctl". */
static int ctrl_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), MEMCTL_GENL_NAME))
		return NL_OK;
	if (gh->cmd == CTRL_CMD_DELFAMILY) {
		module_down("its netlink family was unregistered");
	} else if (gh->cmd == CTRL_CMD_NEWFAMILY) {
		struct memctl_info info;

		/* already found (the poll), or an unload this missed */
		if (g.mc && memctl_get_info(g.mc, &info))
			module_down("registered again");
		module_up();
	}
	return NL_OK;
}

static int ctrl_open(void)
{
	int grp, err;

	g.ctrl = nl_socket_alloc();
	if (!g.ctrl)
		return -ENOMEM;
	err = genl_connect(g.ctrl);
	if (err)
		return -ENOTCONN;
	grp = genl_ctrl_resolve_grp(g.ctrl, "nlctrl", "notify");
	if (grp < 0)
		return -ENOENT;
	nl_socket_disable_seq_check(g.ctrl);
	nl_socket_modify_cb(g.ctrl, NL_CB_VALID, NL_CB_CUSTOM, ctrl_event, NULL);
	if (nl_socket_add_membership(g.ctrl, grp))
		return -EPERM;
	nl_socket_set_nonblocking(g.ctrl);
	return nl_socket_get_fd(g.ctrl);
}

/* ---- cgroups ---- */

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
		    IN_ONLYDIR | IN_DONT_FOLLOW)

static void cg_remove(struct cg *c, const char *why);

/*
 * A cgroup found (at the scan or by inotify), its directory open as @fd:
 * watch it and match it.
 */
static struct cg *cg_add(const char *path, int fd)
{
	char full[PATH_MAX];
	struct cg *c;
	struct stat st;

	c = cg_find(path);
	if (c)
		return c;
	full_path(path, full, sizeof(full));
	/* its id from the descriptor scan() opened: one path walk fewer */
	if (fstat(fd, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		logm(LOG_ERR_, "%s: out of memory", path);
		return NULL;
	}
	c->id = (uint64_t)st.st_ino;
	c->wd = inotify_add_watch(g.ifd, full, WATCH_MASK);
	if (c->wd < 0)
		logm(LOG_ERR_, "%s: cannot watch it for new cgroups: %s%s", path,
		     strerror(errno), errno == ENOSPC ?
		     " (raise fs.inotify.max_user_watches)" : "");
	tsearch(c, &g.by_path, cmp_path);
	if (c->wd >= 0) {
		struct cg *old = cg_find_wd(c->wd);

		if (old)	/* a directory of that inode under another name */
			old->wd = -1, tdelete(old, &g.by_wd, cmp_wd);
		tsearch(c, &g.by_wd, cmp_wd);
	}
	g.ncg++;
	g.st.cgroups = g.ncg;
	evaluate(c);
	return c;
}

/* @path and every directory below it. */
static void scan(const char *path)
{
	char full[PATH_MAX], child[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int fd;

	/*
	 * One open for the id (fstat) and the listing: a storm of new
	 * cgroups costs a path walk each fewer.  The listing runs after
	 * cg_add() watched the directory: no child is missed.
	 */
	fd = open(full_path(path, full, sizeof(full)),
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;		/* gone already */
	if (!cg_add(path, fd)) {
		close(fd);
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(child, sizeof(child), "%s/%s",
			     strcmp(path, "/") ? path : "", de->d_name) >=
		    (int)sizeof(child))
			continue;
		scan(child);
	}
	closedir(d);
}

static void cg_remove(struct cg *c, const char *why)
{
	(void)why;
	if (c->applied)
		g.st.managed--;
	set_retry(c, false);
	if (c->wd >= 0) {
		tdelete(c, &g.by_wd, cmp_wd);
		inotify_rm_watch(g.ifd, c->wd);
	}
	tdelete(c, &g.by_path, cmp_path);
	g.ncg--;
	g.st.cgroups = g.ncg;
	free(c->path);
	free(c);
}

/* @path and everything below it (a rename moved it away). */
static void cg_remove_tree(const char *path)
{
	struct snap s = snapshot();
	size_t i, len = strlen(path);

	for (i = 0; i < s.n; i++) {
		struct cg *c = s.v[i];

		if (!strcmp(c->path, path) ||
		    (!strncmp(c->path, path, len) && c->path[len] == '/')) {
			/* the policy memctld set goes: the name it matched
			 * is gone; the new name is matched afresh */
			unapply(c, "renamed");
			cg_remove(c, "renamed");
		}
	}
	free(s.v);
}

static void inotify_read(void)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(g.ifd, buf, sizeof(buf))) > 0) {
		char *p;

		for (p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;
			struct cg *parent, *c;
			char path[PATH_MAX];

			p += sizeof(*e) + e->len;
			if (e->mask & IN_Q_OVERFLOW) {
				logm(LOG_WARNING_, "inotify queue overflow: scanning every cgroup again");
				scan("/");
				continue;
			}
			if (e->mask & IN_IGNORED) {
				c = cg_find_wd(e->wd);
				if (c)
					cg_remove(c, "gone");
				continue;
			}
			if (!(e->mask & IN_ISDIR) || !e->len)
				continue;
			parent = cg_find_wd(e->wd);
			if (!parent)
				continue;
			if (snprintf(path, sizeof(path), "%s/%s",
				     strcmp(parent->path, "/") ? parent->path : "",
				     e->name) >= (int)sizeof(path))
				continue;
			if (e->mask & (IN_CREATE | IN_MOVED_TO)) {
				scan(path);
			} else if (e->mask & IN_DELETE) {
				c = cg_find(path);
				if (c)
					cg_remove(c, "removed");
			} else if (e->mask & IN_MOVED_FROM) {
				cg_remove_tree(path);
			}
		}
	}
}

/* ---- the cgroup2 mount ---- */

static int find_root(void)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = -ENOENT;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	/* "36 35 0:31 / /sys/fs/cgroup rw,... - cgroup2 cgroup2 rw" */
	while (getline(&line, &cap, f) > 0) {
		char root[PATH_MAX], mnt[PATH_MAX], *dash;

		dash = strstr(line, " - cgroup2 ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2)
			continue;
		if (strcmp(root, "/"))
			continue;	/* shows a subtree only */
		snprintf(g.root, sizeof(g.root), "%s", mnt);
		ret = 0;
		break;
	}
	free(line);
	fclose(f);
	return ret;
}

/* ---- HTTP ---- */

/*
 * The statistics of the managed cgroups: memctl_cgroup_stats_list()'s rows
 * (compact, their paths held by the list), those of other cgroups dropped
 * in place.
 */
struct stats_buf {
	struct memctl_cgroup_stats *rows;	/* memctl_cgroup_stats_free() */
	size_t n;
	uint64_t *ids;		/* the managed cgroups, sorted */
	size_t nids;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Every policy's row, then only the managed cgroups' kept, in order. */
static int collect(struct memctl *mc, struct stats_buf *b)
{
	size_t n, i;
	int err;

	err = memctl_cgroup_stats_list(mc, &b->rows, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (bsearch(&b->rows[i].cgroup.id, b->ids, b->nids,
			    sizeof(*b->ids), cmp_u64))
			b->rows[b->n++] = b->rows[i];
	return 0;
}

/* What the endpoints report, read from the module. */
struct gathered {
	struct stats_buf b;
	struct memctl_info info;
	struct memctl_tier tier;
	bool have_info, have_tier;
};

static void gather(struct gathered *x, const char *what)
{
	size_t i;
	int err;

	memset(x, 0, sizeof(*x));
	if (!g.mc)
		return;
	{
		struct snap s = snapshot();

		x->b.ids = calloc(s.n ? s.n : 1, sizeof(*x->b.ids));
		for (i = 0; i < s.n && x->b.ids; i++)
			if (s.v[i]->applied)
				x->b.ids[x->b.nids++] = s.v[i]->id;
		free(s.v);
	}
	qsort(x->b.ids, x->b.nids, sizeof(*x->b.ids), cmp_u64);
	err = x->b.nids ? collect(g.mc, &x->b) : 0;
	if (err) {
		logm(LOG_ERR_, "%s: cannot read the statistics: %s", what,
		     strerror(err < 0 ? -err : EIO));
		check_module(err);
		x->b.n = 0;
	}
	if (g.mc && !memctl_get_info(g.mc, &x->info))
		x->have_info = true;
	if (g.mc && !memctl_tier_get(g.mc, &x->tier))
		x->have_tier = true;
}

static void gathered_free(struct gathered *x)
{
	memctl_cgroup_stats_free(x->b.rows);
	free(x->b.ids);
}

/*
 * The body of /metrics, malloc()ed, written into the spare buffer when
 * there is one (body_release() gives it back).
 */
static char *metrics_body(void *arg, size_t *len)
{
	struct membuf m = g.spare;
	struct gathered x;
	int err;

	(void)arg;
	g.spare = (struct membuf){ 0 };
	m.len = 0;
	gather(&x, "/metrics");
	g.st.rules = g.rules.n;
	err = metrics_write(&m, x.b.rows, x.b.n, x.have_info ? &x.info : NULL,
			    x.have_tier ? &x.tier : NULL, &g.st);
	gathered_free(&x);
	if (err == -ENOMEM) {
		logm(LOG_ERR_, "/metrics: out of memory");
		free(m.p);
		return NULL;
	}
	if (err)
		logm(LOG_ERR_, "/metrics: the writer refused a series (a bug)");
	g.lent = m.p;
	g.lent_cap = m.cap;
	*len = m.len;
	return m.p;
}

/*
 * libmicrohttpd is done with a malloc()ed body: /metrics' last one becomes
 * the spare (or replaces a smaller one), any other is freed.
 */
static void body_release(void *p)
{
	if (p && p == g.lent) {
		g.lent = NULL;
		if (g.lent_cap > g.spare.cap) {
			free(g.spare.p);
			g.spare = (struct membuf){ .p = p, .cap = g.lent_cap };
			return;
		}
	}
	free(p);
}

/* The body of /api/status, malloc()ed. */
static char *status_body(void *arg, size_t *len)
{
	struct gathered x;
	struct web_status st;
	char *body = NULL;
	FILE *f;

	(void)arg;
	gather(&x, "/api/status");
	f = open_memstream(&body, len);
	if (!f)
		goto out;
	g.st.rules = g.rules.n;
	st = (struct web_status){
		.rows = x.b.rows, .n = x.b.n,
		.info = x.have_info ? &x.info : NULL,
		.tier = x.have_tier ? &x.tier : NULL,
		.agent = &g.st, .ring = &g.ring, .writable = g.token != NULL,
		.now = (int64_t)time(NULL),
	};
	web_status_write(f, &st);
	if (fclose(f)) {
		free(body);
		body = NULL;
	}
out:
	gathered_free(&x);
	return body;
}

/* A sample for the page's plots, every WEB_SAMPLE_S seconds. */
static void sample(void)
{
	struct timespec now;
	struct gathered x;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < g.next_sample.tv_sec ||
	    (now.tv_sec == g.next_sample.tv_sec &&
	     now.tv_nsec < g.next_sample.tv_nsec))
		return;
	g.next_sample = now;
	g.next_sample.tv_sec += WEB_SAMPLE_S;
	if (!g.mc)
		return;
	gather(&x, "sample");
	web_ring_add(&g.ring, (int64_t)time(NULL), x.b.rows, x.b.n,
		     x.have_tier ? &x.tier : NULL);
	gathered_free(&x);
}

/* Milliseconds to the next sample (0: due). */
static int sample_timeout(void)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(g.next_sample.tv_sec - now.tv_sec) * 1000 +
	     (g.next_sample.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > WEB_SAMPLE_S * 1000 ? WEB_SAMPLE_S * 1000 :
	       (int)ms + 1;
}

/* POST /api/tier, authorised and parsed: make the change with libmemctl. */
static unsigned int tier_change(void *arg, const struct web_tier_change *c,
				char *msg, size_t msglen)
{
	struct memctl_tier cur;
	bool have;
	int err;

	(void)arg;
	if (!g.mc) {
		snprintf(msg, msglen, "the memctl module is not loaded");
		return 503;
	}
	err = memctl_tier_get(g.mc, &cur);
	if (err && err != -ENOENT) {
		snprintf(msg, msglen, "cannot read the tier: %s", strerror(-err));
		check_module(err);
		return 500;
	}
	have = !err;
	if (c->state == 0) {
		if (!have) {
			snprintf(msg, msglen, "no change: there is no tier");
			return 200;
		}
		if (cur.in_use) {
			snprintf(msg, msglen, "the tier is in use (swapon): swapoff /dev/%s first",
				 cur.device[0] ? cur.device : "memctl0");
			return 409;
		}
		err = memctl_tier_del(g.mc);
		if (err) {
			snprintf(msg, msglen, "the kernel refused to remove the tier: %s%s%s",
				 strerror(-err), *memctl_errmsg(g.mc) ? ": " : "",
				 memctl_errmsg(g.mc));
			return err == -EBUSY ? 409 : 500;
		}
		snprintf(msg, msglen, "tier removed");
		return 200;
	}
	/* on, a size, or both */
	if (have && (!c->size || c->size == cur.size)) {
		snprintf(msg, msglen, "no change: the tier is on with %" PRIu64 " bytes",
			 cur.size);
		return 200;
	}
	if (!have && !c->size) {
		snprintf(msg, msglen, "there is no tier: give its size (size=SIZE)");
		return 400;
	}
	if (!have && c->state != 1) {
		snprintf(msg, msglen, "there is no tier to resize: state=on&size=SIZE creates one");
		return 409;
	}
	if (have && cur.in_use) {
		snprintf(msg, msglen, "the tier is in use (swapon): swapoff /dev/%s before a new size",
			 cur.device[0] ? cur.device : "memctl0");
		return 409;
	}
	if (have) {
		err = memctl_tier_del(g.mc);
		if (err) {
			snprintf(msg, msglen, "the kernel refused to remove the tier for its new size: %s",
				 strerror(-err));
			return err == -EBUSY ? 409 : 500;
		}
	}
	err = memctl_tier_set(g.mc, c->size, have ? cur.algo : NULL);
	if (err) {
		int err2 = have ? memctl_tier_set(g.mc, cur.size, cur.algo) : 0;

		snprintf(msg, msglen, "the kernel refused a tier of %" PRIu64 " bytes: %s%s",
			 c->size, strerror(-err), have ? (err2 ?
			 "; the tier before could not be made again" :
			 "; the tier before is back") : "");
		return err == -EINVAL || err == -ERANGE ? 400 : 500;
	}
	snprintf(msg, msglen, "tier %s with %" PRIu64 " bytes",
		 have ? "resized" : "created", c->size);
	return 200;
}

static void web_log(void *arg, const char *line)
{
	(void)arg;
	logm(LOG_INFO_, "%s", line);
}

/* A connection's request: its body, up to WEB_BODY_MAX bytes. */
struct http_req {
	char body[WEB_BODY_MAX];
	size_t len;
	bool too_long;
};

static void http_done(void *cls, struct MHD_Connection *conn, void **req,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	free(*req);
	*req = NULL;
}

static void client_addr(struct MHD_Connection *conn, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci;
	socklen_t sl;

	snprintf(buf, len, "?");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	sl = ci->client_addr->sa_family == AF_INET6 ?
	     sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (getnameinfo(ci->client_addr, sl, buf, (socklen_t)len, NULL, 0,
			NI_NUMERICHOST))
		snprintf(buf, len, "?");
}

static enum MHD_Result http_handler(void *cls, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *version, const char *upload,
				    size_t *upload_size, void **req)
{
	static const struct web_ops ops_ro = {
		.metrics = metrics_body, .status = status_body,
		.tier_change = tier_change, .log = web_log,
	};
	struct web_ops ops = ops_ro;
	struct http_req *hr = *req;
	struct MHD_Response *r;
	struct web_resp out;
	struct web_req wr;
	enum MHD_Result ret;
	char client[64];

	(void)cls, (void)version;
	if (!hr) {		/* the headers; the body (if any) follows */
		hr = calloc(1, sizeof(*hr));
		if (!hr)
			return MHD_NO;
		*req = hr;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		if (n > sizeof(hr->body) - hr->len) {
			hr->too_long = true;	/* the rest is thrown away */
			n = sizeof(hr->body) - hr->len;
		}
		memcpy(hr->body + hr->len, upload, n);
		hr->len += n;
		*upload_size = 0;
		return MHD_YES;
	}
	ops.token = g.token;
	ops.token_len = g.token_len;
	client_addr(conn, client, sizeof(client));
	wr = (struct web_req){
		.method = method, .url = url, .client = client,
		.authz = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_AUTHORIZATION),
		.body = hr->body, .body_len = hr->len,
		.body_too_long = hr->too_long,
	};
	web_handle(&ops, &wr, &out);
	if (!out.body)
		return MHD_NO;
	if (out.must_free)
		r = MHD_create_response_from_buffer_with_free_callback(out.len,
								       out.body,
								       body_release);
	else
		r = MHD_create_response_from_buffer(out.len, out.body,
						    MHD_RESPMEM_PERSISTENT);
	if (!r) {
		if (out.must_free)
			body_release(out.body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, out.type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (!strncmp(out.type, "text/html", 9))	/* the page: nothing from elsewhere */
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'none'; script-src 'unsafe-inline'; "
					"style-src 'unsafe-inline'; connect-src 'self'; "
					"form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
	if (out.allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, out.allow);
	if (out.status == 401)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"memctld\"");
	ret = MHD_queue_response(conn, out.status, r);
	MHD_destroy_response(r);
	return ret;
}

static void http_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	logm(LOG_WARNING_, "http: %s", buf);
}

static int http_start(const char *listen)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICHOST |
					      AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai = NULL;
	const union MHD_DaemonInfo *di;
	char host[256];
	const char *colon, *port;
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	struct epoll_event ev = { .events = EPOLLIN };
	int err;

	colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof(host) || !colon[1]) {
		logm(LOG_ERR_, "--listen %s: want ADDR:PORT, e.g. 127.0.0.1:9775 or [::]:9775",
		     listen);
		return -EINVAL;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = colon + 1;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	err = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
	if (err) {
		logm(LOG_ERR_, "--listen %s: %s", listen, gai_strerror(err));
		return -EINVAL;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	g.httpd = MHD_start_daemon(flags, 0, NULL, NULL, http_handler, NULL,
				   MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
				   MHD_OPTION_NOTIFY_COMPLETED, http_done, NULL,
				   MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				   MHD_OPTION_CONNECTION_LIMIT, 64U,
				   MHD_OPTION_CONNECTION_TIMEOUT, 30U,
				   MHD_OPTION_LISTENING_ADDRESS_REUSE, 1U,
				   MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!g.httpd) {
		logm(LOG_ERR_, "--listen %s: cannot listen there", listen);
		return -EADDRNOTAVAIL;
	}
	di = MHD_get_daemon_info(g.httpd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!di || di->epoll_fd < 0)
		return -EINVAL;
	ev.data.fd = di->epoll_fd;
	if (epoll_ctl(g.efd, EPOLL_CTL_ADD, di->epoll_fd, &ev))
		return -errno;
	logm(LOG_INFO_, "serving /metrics and the status page (%s) on %s",
	     g.token ? "changes with the token" : "read-only", listen);
	return 0;
}

/* ---- rules ---- */

/* Load the rules file into @out, logging each error on its own line. */
static int load_rules(struct rules *out)
{
	char *errs = NULL, *line, *save = NULL;
	size_t errlen = 0;
	FILE *ef = open_memstream(&errs, &errlen);
	int ret;

	if (!ef)
		return -ENOMEM;
	ret = rules_load(g.config, out, ef);
	fclose(ef);
	for (line = strtok_r(errs, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		logm(LOG_ERR_, "%s", line);
	free(errs);
	if (ret < 0)
		logm(LOG_ERR_, "%s: %s", g.config, strerror(-ret));
	return ret;
}

static void reload(void)
{
	struct rules r = { 0 };
	int ret;

	notify("RELOADING=1");
	ret = load_rules(&r);
	if (ret) {
		g.st.reload_errors++;
		if (ret > 0)
			logm(LOG_ERR_, "reload: %s has %d error%s; keeping the %zu rules loaded before",
			     g.config, ret, ret == 1 ? "" : "s", g.rules.n);
		else
			logm(LOG_ERR_, "reload: keeping the %zu rules loaded before",
			     g.rules.n);
		rules_free(&r);
	} else {
		rules_free(&g.rules);
		g.rules = r;
		g.st.reloads++;
		g.st.rules = g.rules.n;
		logm(LOG_INFO_, "reload: %zu rules from %s", g.rules.n, g.config);
		evaluate_all(true);
	}
	notify("READY=1");
}

/* ---- main ---- */

static const char usage[] =
	"Usage: memctld --config FILE [--listen ADDR:PORT [--token-file FILE]]\n"
	"       memctld --check --config FILE\n"
	"\n"
	"The memctl node agent: gives each cgroup the policy of the first rule of\n"
	"FILE whose cgroup glob matches it, at start and as cgroups appear; see\n"
	"memctld(8).  Runs in the foreground and logs to stderr.\n"
	"\n"
	"  -c, --config FILE    the rules (memctl.conf(5) with cgroup globs)\n"
	"  -l, --listen ADDR:PORT  serve GET /metrics and the status page at / there\n"
	"                       (e.g. 127.0.0.1:9775, [::]:9775); none without it\n"
	"  --token-file FILE    the page may change the tier with this bearer token\n"
	"                       (a root-owned file, mode 600); read-only without it\n"
	"  -n, --check          check FILE and exit (0 good, 65 errors)\n"
	"  --cgroup-root DIR    the cgroup2 hierarchy's root directory (default: the\n"
	"                       cgroup2 mount of /proc/self/mountinfo)\n"
	"  -h, --help, -V, --version\n"
	"\n"
	"Signals: SIGHUP reloads FILE (one with errors keeps the rules before);\n"
	"SIGTERM, SIGINT stop.  Exit status: 0 stopped by a signal, or --check\n"
	"found no error; 1 cannot run; 64 usage; 65 FILE has errors; 66 FILE\n"
	"cannot be read.\n";

static int loop(void)
{
	struct epoll_event evs[8];

	while (!g.stop) {
		int timeout = -1, n, i;
		MHD_UNSIGNED_LONG_LONG mt;

		if (!g.mc || g.nretry)
			timeout = POLL_MS;
		if (g.httpd && g.mc) {
			int st = sample_timeout();

			if (timeout < 0 || st < timeout)
				timeout = st;
		}
		if (g.httpd && MHD_get_timeout(g.httpd, &mt) == MHD_YES &&
		    (timeout < 0 || mt < (MHD_UNSIGNED_LONG_LONG)timeout))
			timeout = (int)mt;
		n = epoll_wait(g.efd, evs, 8, timeout);
		if (n < 0 && errno != EINTR) {
			logm(LOG_ERR_, "epoll_wait: %s", strerror(errno));
			return EXIT_FAILURE_;
		}
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == g.sfd) {
				struct signalfd_siginfo si;

				while (read(g.sfd, &si, sizeof(si)) == sizeof(si)) {
					if (si.ssi_signo == SIGHUP)
						reload();
					else
						g.stop = true;
				}
			} else if (fd == g.ifd) {
				inotify_read();
			} else if (g.ctrl && fd == nl_socket_get_fd(g.ctrl)) {
				nl_recvmsgs_default(g.ctrl);
			}
		}
		if (!g.mc && module_present())
			module_up();
		if (g.mc && g.nretry) {
			struct snap s = snapshot();
			size_t k;

			for (k = 0; k < s.n; k++)
				if (s.v[k]->retry)
					evaluate(s.v[k]);
			free(s.v);
		}
		if (g.httpd) {
			sample();
			MHD_run(g.httpd);
		}
	}
	return 0;
}

static void no_free(void *p)
{
	(void)p;
}

static void cg_free(void *p)
{
	struct cg *c = p;

	free(c->path);
	free(c);
}

static int add_fd(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(g.efd, EPOLL_CTL_ADD, fd, &ev);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "check", no_argument, NULL, 'n' },
		{ "cgroup-root", required_argument, NULL, 'r' },
		{ "token-file", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = NULL, *token_file = NULL;
	bool check = false;
	sigset_t mask;
	int c, ret, cfd;

	/*
	 * Each scrape builds the same large blocks again (the statistics'
	 * rows, then a body of about 2 MB per 1,000 cgroups): keep them in
	 * the heap, reused, rather than mapped and unmapped each time, whose
	 * page faults were a third of a 1,000-cgroup scrape in the VM
	 * (Documentation/testing.rst).  memctld holds what its largest
	 * scrape needed.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);

	while ((c = getopt_long(argc, argv, "c:l:nr:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			g.config = optarg;
			break;
		case 'l':
			g.listen = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'r':
			root = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			printf("memctld %s\n", MEMCTLD_VERSION);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc || !g.config) {
		fprintf(stderr, "memctld: %s\n%s", !g.config ?
			"--config FILE is needed" : "unexpected argument", usage);
		return EXIT_USAGE;
	}
	if (token_file && !g.listen) {
		fprintf(stderr, "memctld: --token-file needs --listen\n%s", usage);
		return EXIT_USAGE;
	}
	journal = getenv("JOURNAL_STREAM") != NULL;
	if (token_file && !check) {
		char msg[512];

		if (web_load_token(token_file, &g.token, &g.token_len, msg,
				   sizeof(msg))) {
			logm(LOG_ERR_, "%s", msg);
			return EXIT_FAILURE_;
		}
	}

	ret = load_rules(&g.rules);
	if (ret)
		return ret < 0 ? EXIT_NOINPUT : EXIT_CONFIG;
	g.st.rules = g.rules.n;
	if (check) {
		printf("%s: %zu rules, no errors\n", g.config, g.rules.n);
		return 0;
	}

	if (root)
		snprintf(g.root, sizeof(g.root), "%s", root);
	else if (find_root()) {
		logm(LOG_ERR_, "no cgroup2 hierarchy is mounted");
		return EXIT_FAILURE_;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	g.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	g.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	g.efd = epoll_create1(EPOLL_CLOEXEC);
	if (g.sfd < 0 || g.ifd < 0 || g.efd < 0 || add_fd(g.sfd) ||
	    add_fd(g.ifd)) {
		logm(LOG_ERR_, "cannot set up: %s", strerror(errno));
		return EXIT_FAILURE_;
	}
	/* Before the module is looked for: no event between is missed. */
	cfd = ctrl_open();
	if (cfd < 0 || add_fd(cfd)) {
		logm(LOG_WARNING_, "cannot follow the netlink controller's notifications (%s): "
		     "polling for the module", strerror(cfd < 0 ? -cfd : errno));
		if (g.ctrl)
			nl_socket_free(g.ctrl);
		g.ctrl = NULL;
	}
	logm(LOG_INFO_, "memctld %s: %zu rules from %s, cgroup2 at %s",
	     MEMCTLD_VERSION, g.rules.n, g.config, g.root);
	if (module_present())
		module_up();
	if (!g.mc) {
		logm(LOG_WARNING_, "the memctl module is not loaded; waiting for it");
		notify("STATUS=waiting for the memctl module");
	}
	scan("/");
	logm(LOG_INFO_, "%zu cgroups, %llu with a policy of the rules", g.ncg,
	     (unsigned long long)g.st.managed);
	if (g.listen && http_start(g.listen))
		return EXIT_FAILURE_;
	notify("READY=1");

	ret = loop();

	notify("STOPPING=1");
	logm(LOG_INFO_, "stopping; the policies stay");
	if (g.httpd)
		MHD_stop_daemon(g.httpd);
	memctl_close(g.mc);
	if (g.ctrl)
		nl_socket_free(g.ctrl);
	rules_free(&g.rules);
	free(g.token);
	free(g.spare.p);
	tdestroy(g.by_wd, no_free);
	tdestroy(g.by_path, cg_free);
	close(g.ifd);
	close(g.sfd);
	close(g.efd);
	return ret;
}
