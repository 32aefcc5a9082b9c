// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault_store: stores into the compressed tier with allocations failing,
 * and a check that no page is lost.  For the fault_tier.sh scenario; run as
 * root on a kernel with fault injection (the debug kernel) once
 * /dev/memctl0 is the only swap and failslab is set up with task-filter=Y
 * and cache-filter=Y, zsmalloc's caches flagged (this program writes its
 * probability).
 *
 *   fault_store CGROUP SIZE_MIB PROB[,PROB]...
 *
 * Forks a reclaimer first, which stays where it is; then moves itself into
 * CGROUP (a cgroup2 path such as /fault/t; the memory controller enabled)
 * and maps SIZE_MIB of anonymous memory: three quarters in small pages
 * (MADV_NOHUGEPAGE), the rest in THPs (MADV_HUGEPAGE).  Then one round per
 * PROB:
 *  1. fills every page (zero, one word repeated, a counting pattern,
 *     random bytes, text; the kind and contents follow from the round and
 *     the page's index);
 *  2. sets failslab to PROB percent, and asks the reclaimer to push the
 *     memory out: it sets its own make-it-fail, then calls
 *     process_madvise(MADV_PAGEOUT) on this process's memory (odd rounds)
 *     or writes SIZE_MIB to CGROUP's memory.reclaim (even rounds), then
 *     clears make-it-fail.  The swap-out, and so the tier's store (its
 *     zsmalloc handle and zspage), runs in the reclaimer's task: those
 *     allocations fail at PROB percent, nobody else's and nothing else of
 *     the reclaimer's.  Then the probability goes back to 0;
 *  3. checks, while the pages are out, that the cgroup's tier figures
 *     (STATS_GET) account for the global ones (TIER_GET): the stored pages,
 *     compressed bytes and same-filled pages it holds are the global ones
 *     less what the tier held before this program, and its stores grew as
 *     much as the global ones;
 *  4. reads every page back and compares it, byte for byte, with what was
 *     written.
 * At the end, unmaps the memory and checks the cgroup's figures against
 * the global ones again.  (What it holds then, at most 64 pages per CPU
 * that the kernel frees in batches and whatever of this program's own
 * memory memory.reclaim pushed out, is for the caller to check once this
 * program is gone.)
 *
 * Prints a line per round, then:
 *   fault_store: rounds R pages N verified V bad 0 out O stores S failed_stores F
 * (out: pages found swapped out after a push, summed over the rounds;
 * failed_stores: the tier's global counter, grown during this run).
 * Exit 0 when every check held, 1 otherwise (a FAIL line), 64 for usage.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "nltest.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif

#define PAGE 4096UL
#define THP (2UL << 20)
#define DEBUGFS "/sys/kernel/debug"
#define MAX_ROUNDS 16

/* TIER_GET, and the tier part of STATS_GET. */
struct counters {
	uint64_t stored, bytes, same, stores, failed_stores;
};

/* A request to the reclaimer, and its answer. */
struct order {
	int op;			/* 'p' pageout, 'r' memory.reclaim, 'q' quit */
	uint64_t addr, len;
};

struct answer {
	long ret;
	int err;
};

static struct nlt nl;
static const char *cgroup;
static int to_child[2], from_child[2];
static pid_t child;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("FAIL: fault_store: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

static void write_file(const char *path, const char *val)
{
	ssize_t len = strlen(val);
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, val, len) != len)
		fail("write %s to %s: %s", val, path, strerror(errno));
	close(fd);
}

static void set_probability(unsigned int pct)
{
	char v[16];

	snprintf(v, sizeof(v), "%u", pct);
	write_file(DEBUGFS "/failslab/probability", v);
}

/* The reclaimer: armed only for the one call that pushes pages out. */
static void reclaimer(pid_t target, uint64_t size)
{
	char cg_reclaim[PATH_MAX], amount[32];
	int mif, pidfd, rfd;
	struct order o;
	struct answer a;

	mif = open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
	pidfd = syscall(SYS_pidfd_open, target, 0);
	snprintf(cg_reclaim, sizeof(cg_reclaim), "/sys/fs/cgroup%s/memory.reclaim",
		 cgroup);
	rfd = open(cg_reclaim, O_WRONLY | O_CLOEXEC);
	if (mif < 0 || pidfd < 0 || rfd < 0) {
		fprintf(stdout, "FAIL: fault_store: reclaimer: make-it-fail %d, pidfd %d, %s %d: %s\n",
			mif, pidfd, cg_reclaim, rfd, strerror(errno));
		_exit(1);
	}
	snprintf(amount, sizeof(amount), "%llu", (unsigned long long)size);
	/* Nothing of its own to fault in while armed. */
	mlockall(MCL_CURRENT | MCL_FUTURE);

	while (read(to_child[0], &o, sizeof(o)) == sizeof(o) && o.op != 'q') {
		struct iovec iov = {
			.iov_base = (void *)(uintptr_t)o.addr,
			.iov_len = o.len,
		};
		ssize_t len = strlen(amount);

		int tries = 0;

		if (write(mif, "1", 1) != 1)
			_exit(1);
		/* The write's own buffer may fail: then nothing was done. */
		do {
			if (o.op == 'p')
				a.ret = syscall(SYS_process_madvise, pidfd,
						&iov, 1, MADV_PAGEOUT, 0);
			else
				a.ret = write(rfd, amount, len);
			a.err = a.ret < 0 ? errno : 0;
		} while (a.err == ENOMEM && ++tries < 20);
		if (write(mif, "0", 1) != 1)
			_exit(1);
		if (write(from_child[1], &a, sizeof(a)) != sizeof(a))
			_exit(1);
	}
	_exit(0);
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

enum kind { ZERO, SAME, PATTERN, RANDOM, TEXT, NR_KINDS };
static const char *const kind_name[] = {
	"zero", "same", "pattern", "random", "text",
};

static const char *const words[] = {
	"memory", "cgroup", "page", "the", "of", "reclaim", "swap", "tier",
	"compressed", "a", "to", "slab", "fault", "inode", "and", "kernel",
	"failure", "is", "zsmalloc", "in", "anon", "file", "cache", "lz4",
	"request", "with", "for", "on", "injected", "by", "from", "returns",
};

static enum kind page_kind(unsigned int round, size_t i)
{
	unsigned int pct = mix(round * 0x100000001ULL + i) % 100;

	return pct < 15 ? ZERO : pct < 30 ? SAME : pct < 50 ? PATTERN :
	       pct < 70 ? RANDOM : TEXT;
}

/* Page @i of round @round, written to @p. */
static void make_page(uint64_t *p, unsigned int round, size_t i)
{
	uint64_t r = mix(round * 0x100000001ULL + i + (1ULL << 40));
	char *c = (char *)p;
	size_t off, n, j;

	switch (page_kind(round, i)) {
	case ZERO:
		memset(p, 0, PAGE);
		return;
	case SAME:
		for (j = 0; j < PAGE / 8; j++)
			p[j] = r | 1;
		return;
	case PATTERN:
		for (j = 0; j < PAGE / 8; j++)
			p[j] = ((uint64_t)round << 48) + (i << 9) + j;
		return;
	case RANDOM:
		for (j = 0; j < PAGE / 8; j++)
			p[j] = mix(r + j);
		return;
	default:
		for (off = 0; off < PAGE; off += n) {
			const char *w = words[(r = mix(r)) % 32];

			n = strlen(w) + 1;
			if (n > PAGE - off)
				n = PAGE - off;
			memcpy(c + off, w, n);
			c[off + n - 1] = r & 0x700 ? ' ' : '\n';
		}
		/* Stamped, so that no two text pages are alike. */
		p[0] = round;
		p[1] = i;
		return;
	}
}

static int tier_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_TIER_MAX + 1];
	struct counters *c = arg;

	nlt_parse(nlh, tb, MEMCTL_A_TIER_MAX);
	if (!tb[MEMCTL_A_TIER_STORED_PAGES] ||
	    !tb[MEMCTL_A_TIER_COMPRESSED_BYTES] ||
	    !tb[MEMCTL_A_TIER_SAME_FILLED_PAGES] ||
	    !tb[MEMCTL_A_TIER_STORES] || !tb[MEMCTL_A_TIER_FAILED_STORES] ||
	    !tb[MEMCTL_A_TIER_IN_USE])
		return -EIO;
	if (!*(const uint8_t *)nlt_data(tb[MEMCTL_A_TIER_IN_USE]))
		return -ENODEV;
	c->stored = nlt_u64(tb[MEMCTL_A_TIER_STORED_PAGES]);
	c->bytes = nlt_u64(tb[MEMCTL_A_TIER_COMPRESSED_BYTES]);
	c->same = nlt_u64(tb[MEMCTL_A_TIER_SAME_FILLED_PAGES]);
	c->stores = nlt_u64(tb[MEMCTL_A_TIER_STORES]);
	c->failed_stores = nlt_u64(tb[MEMCTL_A_TIER_FAILED_STORES]);
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_STATS_MAX + 1];
	struct counters *c = arg;

	nlt_parse(nlh, tb, MEMCTL_A_STATS_MAX);
	if (!tb[MEMCTL_A_STATS_TIER_STORED_PAGES] ||
	    !tb[MEMCTL_A_STATS_TIER_COMPRESSED_BYTES] ||
	    !tb[MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES] ||
	    !tb[MEMCTL_A_STATS_TIER_STORES])
		return -EIO;
	c->stored = nlt_u64(tb[MEMCTL_A_STATS_TIER_STORED_PAGES]);
	c->bytes = nlt_u64(tb[MEMCTL_A_STATS_TIER_COMPRESSED_BYTES]);
	c->same = nlt_u64(tb[MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES]);
	c->stores = nlt_u64(tb[MEMCTL_A_STATS_TIER_STORES]);
	c->failed_stores = 0;
	return 0;
}

/* The global figures (@cg false) or the cgroup's. */
static struct counters counters(bool cg)
{
	static struct nlt_msg m;
	struct counters c;
	int err;

	memset(&c, 0, sizeof(c));
	nlt_msg_init(&m, nl.family, 0,
		     cg ? MEMCTL_CMD_STATS_GET : MEMCTL_CMD_TIER_GET);
	if (cg)
		nlt_put_str(&m, MEMCTL_A_STATS_CGROUP_PATH, cgroup);
	err = nlt_talk(&nl, &m, cg ? stats_cb : tier_cb, &c);
	if (err)
		fail("%s: %s %s", cg ? "STATS_GET" : "TIER_GET (swapped on?)",
		     strerror(-err), nl.errmsg);
	return c;
}

/* The cgroup must hold what the tier holds beyond @base. */
static void check_owned(const char *when, const struct counters *base)
{
	struct counters g = counters(false), c = counters(true);

	if (c.stored != g.stored - base->stored ||
	    c.bytes != g.bytes - base->bytes ||
	    c.same != g.same - base->same)
		fail("%s: the cgroup holds %llu pages, %llu bytes, %llu same-filled; the tier %llu, %llu, %llu beyond what it held before (%llu, %llu, %llu)",
		     when, (unsigned long long)c.stored,
		     (unsigned long long)c.bytes, (unsigned long long)c.same,
		     (unsigned long long)(g.stored - base->stored),
		     (unsigned long long)(g.bytes - base->bytes),
		     (unsigned long long)(g.same - base->same),
		     (unsigned long long)base->stored,
		     (unsigned long long)base->bytes,
		     (unsigned long long)base->same);
}

static void join_cgroup(void)
{
	char path[PATH_MAX], pid[32];

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", cgroup);
	snprintf(pid, sizeof(pid), "%d", getpid());
	write_file(path, pid);
}

int main(int argc, char **argv)
{
	unsigned int probs[MAX_ROUNDS], nr_rounds = 0, round;
	unsigned long long verified = 0, out_total = 0;
	struct counters base, start, g0, g1, c0, c1;
	size_t size, small, pages, i;
	unsigned char *vec;
	char *map, *mem;
	uint64_t *want;
	const char *p;
	int err, status;

	if (argc != 4 || argv[1][0] != '/' || atoi(argv[2]) < 4) {
		fprintf(stderr, "usage: fault_store CGROUP SIZE_MIB(>=4) PROB[,PROB]...\n");
		return 64;
	}
	cgroup = argv[1];
	size = (size_t)atoi(argv[2]) << 20;
	for (p = argv[3]; *p && nr_rounds < MAX_ROUNDS; p += *p == ',') {
		char *end;

		probs[nr_rounds] = strtoul(p, &end, 10);
		if (end == p || probs[nr_rounds] > 100) {
			fprintf(stderr, "fault_store: bad PROB list %s\n", argv[3]);
			return 64;
		}
		nr_rounds++;
		p = end;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	err = nlt_open(&nl);
	if (err)
		fail("the memctl family: %s", strerror(-err));
	start = counters(false);

	if (pipe(to_child) || pipe(from_child))
		fail("pipe: %s", strerror(errno));
	child = fork();
	if (child < 0)
		fail("fork: %s", strerror(errno));
	if (!child)
		reclaimer(getppid(), size);
	join_cgroup();

	/* 2 MiB aligned, so that the THP part can have THPs. */
	map = mmap(NULL, size + THP, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		fail("mmap %zu: %s", size, strerror(errno));
	mem = (char *)(((uintptr_t)map + THP - 1) & ~(THP - 1));
	small = (size * 3 / 4) & ~(THP - 1);
	madvise(mem, small, MADV_NOHUGEPAGE);
	madvise(mem + small, size - small, MADV_HUGEPAGE);
	pages = size / PAGE;
	want = malloc(PAGE);
	vec = malloc(pages);
	if (!want || !vec)
		fail("out of memory");

	base = counters(false);
	for (round = 1; round <= nr_rounds; round++) {
		unsigned int kinds[NR_KINDS] = { 0 }, bad = 0, out = 0;
		struct order o = {
			.op = round % 2 ? 'p' : 'r',
			.addr = (uintptr_t)mem,
			.len = size,
		};
		struct answer a;
		char when[64];

		for (i = 0; i < pages; i++) {
			make_page((uint64_t *)(mem + i * PAGE), round, i);
			kinds[page_kind(round, i)]++;
		}
		g0 = counters(false);
		c0 = counters(true);

		set_probability(probs[round - 1]);
		if (write(to_child[1], &o, sizeof(o)) != sizeof(o) ||
		    read(from_child[0], &a, sizeof(a)) != sizeof(a))
			fail("the reclaimer is gone");
		set_probability(0);
		/*
		 * A failed push is no error: the injection may fail the
		 * syscall itself, and memory.reclaim says EAGAIN when it
		 * freed less than asked.
		 */
		g1 = counters(false);
		c1 = counters(true);
		if (c1.stores - c0.stores != g1.stores - g0.stores)
			fail("round %u: the cgroup's stores grew by %llu, the tier's by %llu",
			     round, (unsigned long long)(c1.stores - c0.stores),
			     (unsigned long long)(g1.stores - g0.stores));
		snprintf(when, sizeof(when), "round %u, pages out", round);
		check_owned(when, &base);

		if (!mincore(mem, size, vec))
			for (i = 0; i < pages; i++)
				out += !(vec[i] & 1);

		for (i = 0; i < pages; i++) {
			make_page(want, round, i);
			if (memcmp(want, mem + i * PAGE, PAGE)) {
				if (!bad)
					printf("# round %u: page %zu (%s%s) came back wrong\n",
					       round, i, kind_name[page_kind(round, i)],
					       i * PAGE >= small ? ", THP part" : "");
				bad++;
			}
		}
		verified += pages;
		out_total += out;
		printf("# round %u: %s at %u%%: %s %ld%s%s; pages out %u of %zu (zero %u same %u pattern %u random %u text %u); stores +%llu failed_stores +%llu; bad %u\n",
		       round, o.op == 'p' ? "process_madvise(MADV_PAGEOUT)" :
		       "memory.reclaim", probs[round - 1],
		       o.op == 'p' ? "advised" : "wrote", a.ret,
		       a.err ? " " : "", a.err ? strerror(a.err) : "",
		       out, pages, kinds[ZERO], kinds[SAME], kinds[PATTERN],
		       kinds[RANDOM], kinds[TEXT],
		       (unsigned long long)(g1.stores - g0.stores),
		       (unsigned long long)(g1.failed_stores - g0.failed_stores),
		       bad);
		if (bad)
			fail("round %u: %u of %zu pages came back wrong", round,
			     bad, pages);
	}

	/* Done: the reclaimer goes, the memory goes. */
	{
		struct order q = { .op = 'q' };

		if (write(to_child[1], &q, sizeof(q)) != sizeof(q) ||
		    waitpid(child, &status, 0) != child ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			fail("the reclaimer did not end well");
		child = 0;
	}
	munmap(map, size + THP);
	check_owned("after munmap", &base);
	g1 = counters(false);
	printf("fault_store: rounds %u pages %zu verified %llu bad 0 out %llu stores %llu failed_stores %llu\n",
	       nr_rounds, pages, verified, out_total,
	       (unsigned long long)(g1.stores - start.stores),
	       (unsigned long long)(g1.failed_stores - start.failed_stores));
	nlt_close(&nl);
	return 0;
}
