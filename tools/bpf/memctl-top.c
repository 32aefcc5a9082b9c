// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl-top: a live per-cgroup view of reclaim, traced with BPF
 * (memctl-top.bpf.c).  `memctl top ...` runs this program.
 *
 * Every interval it reads the BPF `stats' map (cumulative counters per cgroup
 * id), subtracts the previous read, names each cgroup id by walking the
 * cgroup2 tree (the id is the directory's inode number) and prints an aligned
 * table, or one JSON object per line with -j.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/types.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "memctl-top.h"
#include "memctl-top-print.h"
#include "memctl-top.skel.h"

#ifndef MEMCTL_VERSION
#define MEMCTL_VERSION "unknown"
#endif
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* exit statuses (documented in --help) */
#define EXIT_ERROR	1	/* anything else that went wrong */
#define EXIT_ENV	2	/* no privileges, or the kernel lacks BTF */
#define EXIT_USAGE	64	/* bad command line */

#define NAME		"memctl top"
#define KERNEL_BTF	"/sys/kernel/btf/vmlinux"
#define RESCAN_NS	(30ULL * 1000000000ULL)
#define MAX_SECONDS	(366.0 * 24 * 3600)

static struct {
	double interval;	/* seconds */
	double duration;	/* seconds; 0: until interrupted */
	bool json;
	bool verbose;
	const char *cgroup;	/* as given */
} opt = {
	.interval = 1.0,
};

static volatile sig_atomic_t stop;
static char cg_root[PATH_MAX] = "/sys/fs/cgroup";	/* cgroup2 mount */
static char filter_path[PATH_MAX];	/* --cgroup, relative to cg_root */
static __u64 filter_id;
static long page_size;
static enum mt_slab_mode slab_mode;
static bool memcg_traced;

/* ---- messages ----------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
"usage: memctl top [--interval SECONDS] [--duration SECONDS] [-j|--json]\n"
"                  [--cgroup PATH] [--verbose]\n"
"\n"
"A live per-cgroup view of reclaim, traced with BPF, refreshed every interval:\n"
"  DIRECT RECLAIM  global direct reclaim stalls, charged to the stalled task's\n"
"                  cgroup: count, total time, p50 and p99 (log2 histogram)\n"
"  MEMCG RECLAIM   reclaim by a task hitting a cgroup's memory.high or\n"
"                  memory.max, charged to that (target) cgroup: the same and\n"
"                  the memory it freed\n"
"  MEMCTL RECLAIM  memctl.ko's own reclaim in each cgroup (its LRU and slab\n"
"                  reclaim calls): calls, time, memory freed from the LRUs\n"
"  SLAB SHRINK     shrink_slab() passes over each cgroup's slab, by anyone\n"
"                  (or shrinker calls, where shrink_slab() cannot be\n"
"                  traced): calls, time\n"
"Only cgroups with activity in the interval are listed; figures are for the\n"
"interval.\n"
"\n"
"  -i, --interval SECONDS  refresh every SECONDS (default 1, at least 0.01)\n"
"  -d, --duration SECONDS  stop after SECONDS (default: run until interrupted)\n"
"  -j, --json              one JSON object per line and interval:\n"
"        {\"time\": UNIX_SECONDS, \"interval_s\": SECONDS, \"cgroups\": [\n"
"          {\"cgroup\": PATH|null, \"id\": ID,\n"
"           \"direct_reclaim\": {\"count\", \"total_ns\", \"p50_ns\", \"p99_ns\"},\n"
"           \"memcg_reclaim\": {\"count\", \"total_ns\", \"p50_ns\", \"p99_ns\", \"pages\"},\n"
"           \"proactive_reclaim\": {\"count\", \"total_ns\", \"pages\"},\n"
"           \"memctl_reclaim\": {\"count\", \"total_ns\", \"pages\", \"slab_objects\"},\n"
"           \"slab_shrink\": {\"count\", \"total_ns\", \"objects\"}}]}\n"
"                          proactive_reclaim: memory.reclaim writes;\n"
"                          times in ns, pages in pages, objects: slab objects\n"
"  -c, --cgroup PATH       only this cgroup and the cgroups below it (a path\n"
"                          relative to the cgroup2 root, or under its mount)\n"
"  -v, --verbose           print libbpf's messages\n"
"  -h, --help              print this help\n"
"  -V, --version           print the version\n"
"\n"
"Needs root (or CAP_BPF and CAP_PERFMON) and a kernel with BTF.\n"
"Exit status: 0 done, 1 error, 2 missing privileges or kernel support,\n"
"64 bad usage.\n");
}

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs(NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

#define usage_error(fmt, ...) \
	die(EXIT_USAGE, fmt " (see " NAME " --help)", ##__VA_ARGS__)

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!opt.verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* ---- command line ------------------------------------------------------- */

static double parse_seconds(const char *name, const char *s, double min)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* v == v: not NaN */
	if (errno || end == s || *end || !(v == v) || v < min || v <= 0 ||
	    v > MAX_SECONDS)
		usage_error("bad %s '%s': expected a number of seconds%s", name, s,
			    min > 0 ? " >= 0.01" : " > 0");
	return v;
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:d:jc:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			opt.interval = parse_seconds("--interval", optarg, 0.01);
			break;
		case 'd':
			opt.duration = parse_seconds("--duration", optarg, 0);
			break;
		case 'j':
			opt.json = true;
			break;
		case 'c':
			if (!*optarg)
				usage_error("--cgroup needs a path");
			opt.cgroup = optarg;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("memctl-top %s\n", MEMCTL_VERSION);
			exit(0);
		case ':':
			usage_error("option %s needs a value", argv[optind - 1]);
		default:
			if (optopt)
				usage_error("unknown option -%c", optopt);
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
}

/* ---- privileges and kernel support --------------------------------------- */

static bool have_privileges(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

#define HAS(cap) (data[(cap) / 32].effective & (1U << ((cap) % 32)))
	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	return HAS(CAP_SYS_ADMIN) || (HAS(CAP_BPF) && HAS(CAP_PERFMON));
#undef HAS
}

static void __attribute__((noreturn)) die_privileges(bool refused)
{
	die(EXIT_ENV, "insufficient privileges: %s",
	    refused ? "the kernel refused to load the BPF programs (Operation not permitted; lockdown, a container or a security module?)" :
	    "tracing needs root, or CAP_BPF and CAP_PERFMON");
}

/*
 * Marks in found[] which of names[] a symbol file lists: /proc/kallsyms
 * ("ADDR TYPE NAME [MODULE]", field 2) or tracefs' available_filter_functions
 * ("NAME [MODULE]", field 0).  Returns false if the file cannot be read.
 */
static bool scan_symbols(const char *path, int field, const char *const *names,
			 bool *found, int n)
{
	char line[512], *tok, *save;
	FILE *f;
	int i, k;

	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		tok = strtok_r(line, " \t\n", &save);
		for (k = 0; tok && k < field; k++)
			tok = strtok_r(NULL, " \t\n", &save);
		if (!tok)
			continue;
		for (i = 0; i < n; i++)
			if (!found[i] && !strcmp(tok, names[i]))
				found[i] = true;
	}
	fclose(f);
	return true;
}

/*
 * Which kernel functions fentry/fexit can attach to: the function has BTF, a
 * symbol of its own (not inlined, not renamed to a .isra/.constprop clone),
 * and, when tracefs is readable, ftrace lists it.
 */
static void probe_kernel(void)
{
	static const char *const names[] = {
		"try_to_free_mem_cgroup_pages",
		"shrink_slab",
	};
	bool ksym[2] = {}, ftrace[2] = {}, ok[2];
	struct btf *vmlinux;
	int i;

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		die(EXIT_ENV, "cannot read the kernel's BTF (%s): %s", KERNEL_BTF,
		    strerror(errno));
	scan_symbols("/proc/kallsyms", 2, names, ksym, 2);
	if (!scan_symbols("/sys/kernel/tracing/available_filter_functions", 0,
			  names, ftrace, 2) &&
	    !scan_symbols("/sys/kernel/debug/tracing/available_filter_functions", 0,
			  names, ftrace, 2))
		memcpy(ftrace, ksym, sizeof(ftrace));
	for (i = 0; i < 2; i++)
		ok[i] = btf__find_by_name_kind(vmlinux, names[i], BTF_KIND_FUNC) > 0 &&
			ksym[i] && ftrace[i];
	btf__free(vmlinux);

	memcg_traced = ok[0];
	slab_mode = ok[1] ? MT_SLAB_FENTRY : MT_SLAB_TRACEPOINT;
	if (!memcg_traced)
		fprintf(stderr, NAME ": warning: try_to_free_mem_cgroup_pages() cannot be traced; "
			"memcg and memctl reclaim are not shown\n");
}

/* ---- BPF ---------------------------------------------------------------- */

static void set_autoload(struct memctl_top *obj)
{
	bool fentry = slab_mode == MT_SLAB_FENTRY;
	bool tp = slab_mode == MT_SLAB_TRACEPOINT;

	bpf_program__set_autoload(obj->progs.memcg_enter, memcg_traced);
	bpf_program__set_autoload(obj->progs.memcg_exit, memcg_traced);
	bpf_program__set_autoload(obj->progs.slab_enter, fentry);
	bpf_program__set_autoload(obj->progs.slab_exit, fentry);
	bpf_program__set_autoload(obj->progs.shrinker_start, tp);
	bpf_program__set_autoload(obj->progs.shrinker_end, tp);
}

/* Returns 0 or -errno; the error is printed unless it may be retried. */
static int bpf_start(struct memctl_top **objp, bool last_try)
{
	struct memctl_top *obj;
	int err;

	obj = memctl_top__open();
	if (!obj) {
		err = -errno;
		goto fail;
	}
	set_autoload(obj);
	err = memctl_top__load(obj);
	if (!err)
		err = memctl_top__attach(obj);
	if (!err) {
		*objp = obj;
		return 0;
	}
	memctl_top__destroy(obj);
fail:
	if (err == -EPERM || err == -EACCES)
		die_privileges(true);
	if (last_try)
		die(EXIT_ERROR, "cannot load the BPF programs: %s%s", strerror(-err),
		    opt.verbose ? "" : " (--verbose shows libbpf's messages)");
	return err;
}

/*
 * Tells the BPF side where memctl.ko's core (text and data) is, from
 * /proc/modules: "NAME SIZE REFS DEPS STATE ADDRESS ...".  0 when it is not
 * loaded or the address is hidden (kptr_restrict).  Called every interval:
 * the module may come and go.
 */
static void update_memctl_text(struct memctl_top *obj)
{
	struct mt_range range = {}, old = {};
	unsigned long long size, addr;
	char line[512], name[64];
	__u32 zero = 0;
	int fd = bpf_map__fd(obj->maps.memctl_text);
	FILE *f;

	f = fopen("/proc/modules", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu %*s %*s %*s %llx", name, &size, &addr) == 3 &&
		    !strcmp(name, MT_MODULE) && addr) {
			range.lo = addr;
			range.hi = addr + size;
			break;
		}
	}
	if (f)
		fclose(f);
	if (bpf_map_lookup_elem(fd, &zero, &old) || memcmp(&old, &range, sizeof(range)))
		bpf_map_update_elem(fd, &zero, &range, BPF_ANY);
}

/* ---- cgroup names ------------------------------------------------------- */

struct cg_name {
	__u64 id;
	unsigned int seen;	/* scan generation that last found it */
	char *path;		/* relative to cg_root, "/" for the root */
};

static struct {
	struct cg_name *v;
	size_t n, cap;
	size_t sorted;		/* v[0..sorted) is sorted by id */
	unsigned int gen;
	__u64 last_ns;
} names;

static int cmp_id(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static struct cg_name *name_find(__u64 id)
{
	return bsearch(&id, names.v, names.sorted, sizeof(*names.v), cmp_id);
}

static int name_walk(const char *fpath, const struct stat *sb, int type,
		     struct FTW *ftw)
{
	const char *rel = fpath + strlen(cg_root);
	struct cg_name *c;

	(void)ftw;
	if (type != FTW_D)
		return 0;
	c = name_find(sb->st_ino);
	if (!c) {
		if (names.n == names.cap) {
			names.cap = names.cap ? 2 * names.cap : 256;
			names.v = realloc(names.v, names.cap * sizeof(*names.v));
			if (!names.v)
				die(EXIT_ERROR, "out of memory");
		}
		c = &names.v[names.n++];
		c->id = sb->st_ino;
		c->path = NULL;
	}
	if (!c->path || strcmp(c->path, *rel ? rel : "/")) {
		free(c->path);
		c->path = strdup(*rel ? rel : "/");
		if (!c->path)
			die(EXIT_ERROR, "out of memory");
	}
	c->seen = names.gen;
	return 0;
}

static __u64 now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Walks the cgroup2 tree; names of removed cgroups stay until forgotten. */
static void names_scan(void)
{
	names.gen++;
	names.sorted = names.n;
	nftw(cg_root, name_walk, 32, FTW_PHYS | FTW_MOUNT);
	qsort(names.v, names.n, sizeof(*names.v), cmp_id);
	names.sorted = names.n;
	names.last_ns = now_ns(CLOCK_MONOTONIC);
}

static const char *name_of(__u64 id)
{
	struct cg_name *c = name_find(id);

	return c ? c->path : NULL;
}

static bool name_gone(__u64 id)
{
	struct cg_name *c = name_find(id);

	return !c || c->seen != names.gen;
}

static void name_forget(__u64 id)
{
	struct cg_name *c = name_find(id);

	if (!c)
		return;
	free(c->path);
	memmove(c, c + 1, (names.v + names.n - (c + 1)) * sizeof(*c));
	names.n--;
	names.sorted--;
}

/* The cgroup2 mount point, from mountinfo; /sys/fs/cgroup if none is found. */
static void find_cgroup_root(void)
{
	char line[4096], *f[6], *save, *sep;
	FILE *mi;
	int i;

	mi = fopen("/proc/self/mountinfo", "re");
	if (!mi)
		return;
	while (fgets(line, sizeof(line), mi)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE ... */
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		f[0] = strtok_r(line, " ", &save);
		for (i = 1; i < 5 && f[i - 1]; i++)
			f[i] = strtok_r(NULL, " ", &save);
		if (i == 5 && f[4] && strlen(f[4]) < sizeof(cg_root)) {
			strcpy(cg_root, f[4]);
			break;
		}
	}
	fclose(mi);
}

static void resolve_filter(void)
{
	char full[PATH_MAX];
	const char *p = opt.cgroup;
	size_t rootlen = strlen(cg_root), len;
	struct stat st;

	if (!p)
		return;
	if (!strncmp(p, cg_root, rootlen) && (p[rootlen] == '/' || !p[rootlen]))
		p += rootlen;
	while (*p == '/')
		p++;
	len = snprintf(filter_path, sizeof(filter_path), "/%s", p);
	if (len >= sizeof(filter_path))
		usage_error("--cgroup path too long");
	while (len > 1 && filter_path[len - 1] == '/')
		filter_path[--len] = 0;
	snprintf(full, sizeof(full), "%s%s", cg_root, len > 1 ? filter_path : "");
	if (stat(full, &st) || !S_ISDIR(st.st_mode))
		die(EXIT_ERROR, "no cgroup %s (%s: %s)", filter_path, full,
		    errno ? strerror(errno) : "not a directory");
	filter_id = st.st_ino;
}

static bool filter_match(__u64 id, const char *path)
{
	size_t len = strlen(filter_path);

	if (!opt.cgroup || id == filter_id || !strcmp(filter_path, "/"))
		return true;
	return path && !strncmp(path, filter_path, len) && path[len] == '/';
}

/* ---- snapshots ---------------------------------------------------------- */

struct entry {
	__u64 id;
	struct mt_stats s;
};

struct snapshot {
	struct entry *v;
	size_t n, cap;
};

#define NR_U64 (sizeof(struct mt_stats) / sizeof(__u64))

static void snapshot_read(struct snapshot *snap, int fd)
{
	__u64 key, next, *prev = NULL;
	struct mt_stats val;

	snap->n = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &val))
			continue;	/* deleted meanwhile */
		if (snap->n == snap->cap) {
			snap->cap = snap->cap ? 2 * snap->cap : 64;
			snap->v = realloc(snap->v, snap->cap * sizeof(*snap->v));
			if (!snap->v)
				die(EXIT_ERROR, "out of memory");
		}
		snap->v[snap->n].id = key;
		snap->v[snap->n].s = val;
		snap->n++;
	}
	qsort(snap->v, snap->n, sizeof(*snap->v), cmp_id);
}

static const struct entry *snapshot_find(const struct snapshot *snap, __u64 id)
{
	return bsearch(&id, snap->v, snap->n, sizeof(*snap->v), cmp_id);
}

/* d = cur - prev, field by field: every field is a __u64 counter */
static void stats_sub(struct mt_stats *d, const struct mt_stats *cur,
		      const struct mt_stats *prev)
{
	const __u64 *c = (const __u64 *)cur, *p = (const __u64 *)prev;
	__u64 *o = (__u64 *)d;
	size_t i;

	for (i = 0; i < NR_U64; i++)
		o[i] = prev && c[i] > p[i] ? c[i] - p[i] : prev ? 0 : c[i];
}

static __u64 row_weight(const struct top_row *r)
{
	return r->d.direct.total_ns + r->d.memcg.total_ns;
}

static int cmp_row(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	__u64 wx = row_weight(x), wy = row_weight(y);

	if (wx != wy)
		return wx < wy ? 1 : -1;
	if (x->d.memctl.total_ns != y->d.memctl.total_ns)
		return x->d.memctl.total_ns < y->d.memctl.total_ns ? 1 : -1;
	if (x->d.slab.total_ns != y->d.slab.total_ns)
		return x->d.slab.total_ns < y->d.slab.total_ns ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool active(const struct mt_stats *d)
{
	return d->direct.count || d->memcg.count || d->proactive.count ||
	       d->memctl.count || d->slab.count;
}

/* ---- output ------------------------------------------------------------- */

static void print_table(const struct top_row *rows, size_t n, double interval_s,
			bool tty)
{
	struct top_view v = {
		.interval_s = interval_s,
		.memcg_traced = memcg_traced,
		.slab_mode = slab_mode,
		.page_size = page_size,
		.max_rows = -1,
	};
	char clock[16];
	struct winsize ws;
	time_t t = time(NULL);

	strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&t));
	v.clock = clock;
	if (tty) {
		fputs("\033[H\033[2J", stdout);
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 4)
			v.max_rows = ws.ws_row - 4;
	}
	top_print_table(stdout, rows, n, &v);
	if (!tty)
		putchar('\n');
}

/* ---- main loop ---------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Reports the interval ending now; forgets cgroups that are gone and were
 * quiet, in the map and in the name cache.
 */
static void report(struct memctl_top *obj, struct snapshot *prev,
		   struct snapshot *cur, double interval_s, bool tty)
{
	int fd = bpf_map__fd(obj->maps.stats);
	static struct top_row *rows;
	static size_t rows_cap;
	bool rescanned = false;
	size_t i, n = 0;
	struct top_row *r;

	update_memctl_text(obj);
	snapshot_read(cur, fd);
	if (now_ns(CLOCK_MONOTONIC) - names.last_ns > RESCAN_NS) {
		names_scan();
		rescanned = true;
	}
	if (rows_cap < cur->n) {
		rows_cap = cur->n;
		rows = realloc(rows, rows_cap * sizeof(*rows));
		if (!rows)
			die(EXIT_ERROR, "out of memory");
	}
	for (i = 0; i < cur->n; i++) {
		const struct entry *p = snapshot_find(prev, cur->v[i].id);

		r = &rows[n];
		r->id = cur->v[i].id;
		stats_sub(&r->d, &cur->v[i].s, p ? &p->s : NULL);
		r->path = name_of(r->id);
		if (!active(&r->d)) {
			/* quiet and gone: forget it, after a scan that missed it */
			if (rescanned && name_gone(r->id)) {
				bpf_map_delete_elem(fd, &r->id);
				name_forget(r->id);
			}
			continue;
		}
		if (!r->path && !rescanned) {
			names_scan();
			rescanned = true;
			r->path = name_of(r->id);
		}
		if (filter_match(r->id, r->path))
			n++;
	}
	/* the name cache may have moved: look the paths up again */
	for (i = 0; i < n; i++)
		rows[i].path = name_of(rows[i].id);
	qsort(rows, n, sizeof(*rows), cmp_row);

	if (opt.json)
		top_print_json(stdout, rows, n, now_ns(CLOCK_REALTIME) / 1e9,
			       interval_s);
	else
		print_table(rows, n, interval_s, tty);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	__u64 start, tick, next, end = 0, last, now;
	struct snapshot snaps[2] = {};
	struct memctl_top *obj = NULL;
	struct sigaction sa = {};
	struct timespec ts;
	int fd, cur = 0, err;
	bool tty;

	parse_args(argc, argv);
	if (!have_privileges())
		die_privileges(false);
	if (access(KERNEL_BTF, R_OK))
		die(EXIT_ENV, "the kernel has no BTF (%s: %s); memctl top needs a kernel built with CONFIG_DEBUG_INFO_BTF=y",
		    KERNEL_BTF, strerror(errno));
	find_cgroup_root();
	resolve_filter();
	page_size = sysconf(_SC_PAGESIZE);
	libbpf_set_print(libbpf_print);

	probe_kernel();
	err = bpf_start(&obj, slab_mode != MT_SLAB_FENTRY);
	if (err) {
		/* shrink_slab() looked traceable but is not: use the tracepoints */
		slab_mode = MT_SLAB_TRACEPOINT;
		bpf_start(&obj, true);
	}
	fd = bpf_map__fd(obj->maps.stats);
	update_memctl_text(obj);

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	tty = !opt.json && isatty(STDOUT_FILENO);

	names_scan();
	snapshot_read(&snaps[cur], fd);
	tick = opt.interval * 1e9;
	if (!tick)
		tick = 1;
	start = last = now_ns(CLOCK_MONOTONIC);
	if (opt.duration)
		end = start + (__u64)(opt.duration * 1e9);
	next = start + tick;
	while (!stop) {
		if (end && next > end)
			next = end;
		ts.tv_sec = next / 1000000000ULL;
		ts.tv_nsec = next % 1000000000ULL;
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
			continue;	/* a signal: `stop' says whether to go on */
		now = now_ns(CLOCK_MONOTONIC);
		report(obj, &snaps[cur], &snaps[!cur], (now - last) / 1e9, tty);
		cur = !cur;
		last = now;
		if (end && now >= end)
			break;
		/* a late wake-up (a busy machine) skips ticks, not intervals */
		while (next <= now)
			next += tick;
	}
	memctl_top__destroy(obj);
	free(snaps[0].v);
	free(snaps[1].v);
	return 0;
}
