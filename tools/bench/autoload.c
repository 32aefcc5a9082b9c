// SPDX-License-Identifier: GPL-2.0-only
/*
 * autoload: the workloads of the auto part of the benchmark
 * (auto-bench.sh), each with a known cold part, and its sampler.
 *
 *   autoload anon COLD_MIB HOT_MIB PASSES PERIOD_MS [GROW_MIB]
 *       allocate COLD_MIB + HOT_MIB of anonymous memory (text-like pages,
 *       neither zero nor same-filled: the tier must store them), then
 *       PASSES passes over the hot part (one load per 64 bytes), PERIOD_MS
 *       apart; the cold part is never touched again.  With GROW_MIB, half
 *       way through the passes GROW_MIB more is allocated and joins the
 *       hot part.
 *   autoload pagecache HOT_FILE PASSES PERIOD_MS COLD_FILE...
 *       read each COLD_FILE once, then HOT_FILE PASSES times, PERIOD_MS
 *       apart.
 *   autoload slab DIR NFILES NNEG HOT PASSES PERIOD_MS
 *       a build-like job: stat DIR/f0 .. f<NFILES-1> (dentries and inodes)
 *       and look up NNEG missing files DIR/n<i> (negative dentries), then
 *       stat the first HOT files PASSES times, PERIOD_MS apart.
 *
 * The workloads print on stdout, with the monotonic clock in ms:
 *   ready T      the cold part is in place, the hot loop starts
 *   grow T       (anon with GROW_MIB) the working set has grown
 *   done T runtime_ms R cpu_us C
 * R is the wall time from the start, C the process's user+sys time.
 * With AUTOLOAD_HOLD=1 in the environment a workload then waits for
 * SIGTERM before it exits, its memory still held (and still charged to
 * its cgroup) while the benchmark reads the last figures.
 *
 *   autoload sample CGROUP_DIR PERIOD_MS
 *       until SIGTERM, every PERIOD_MS one line:
 *       T memory.current workingset_refault_anon workingset_refault_file
 *         memory_some_total_us io_some_total_us
 *
 * Errors go to stderr; the exit status is 0 on success, 64 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define MiB (1UL << 20)
#define PAGE 4096

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static long long start_ms;

static void mark(const char *what)
{
	printf("%s %lld\n", what, now_ms());
	fflush(stdout);
}

static int done(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("done %lld runtime_ms %lld cpu_us %lld\n", now_ms(),
	       now_ms() - start_ms,
	       (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	fflush(stdout);
	if (getenv("AUTOLOAD_HOLD"))
		while (!stop)
			pause();
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: autoload anon COLD_MIB HOT_MIB PASSES PERIOD_MS [GROW_MIB]\n"
		"       autoload pagecache HOT_FILE PASSES PERIOD_MS COLD_FILE...\n"
		"       autoload slab DIR NFILES NNEG HOT PASSES PERIOD_MS\n"
		"       autoload sample CGROUP_DIR PERIOD_MS\n");
	return 64;
}

/* Text-like pages: 16 variants of words, each page stamped with its index. */
static char text[16][PAGE];

static void make_text(void)
{
	static const char *const words[] = {
		"memory", "cgroup", "page", "the", "of", "reclaim", "swap",
		"tier", "working", "set", "cold", "hot", "and", "kernel",
		"pressure", "is",
	};
	unsigned int r = 12345, v, off, n;

	for (v = 0; v < 16; v++)
		for (off = 0; off < PAGE; off += n) {
			const char *w;

			r = r * 1103515245 + 12345;
			w = words[(r >> 16) % 16];
			n = strlen(w) + 1;
			if (n > PAGE - off)
				n = PAGE - off;
			memcpy(text[v] + off, w, n);
			text[v][off + n - 1] = (r >> 8) & 7 ? ' ' : '\n';
		}
}

static char *fill(size_t mib)
{
	size_t len = mib * MiB, i;
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "autoload: mmap %zu MiB: %s\n", mib, strerror(errno));
		exit(1);
	}
	/* Base pages: what a proactive reclaim meets in most heaps. */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len / PAGE; i++) {
		memcpy(p + i * PAGE, text[(i * 7) % 16], PAGE);
		snprintf(p + i * PAGE, 32, "page %zu ", i);
	}
	return p;
}

static unsigned long touch(const char *p, size_t len)
{
	const volatile unsigned long *w = (const void *)p;
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i += 64 / sizeof(*w))
		sum += w[i];
	return sum;
}

static int anon(long cold, long hot, long passes, long period, long grow)
{
	char *c, *h, *g = NULL;
	long i;

	make_text();
	c = fill(cold);
	h = fill(hot);
	mark("ready");
	for (i = 0; i < passes; i++) {
		if (grow && i == passes / 2) {
			g = fill(grow);
			mark("grow");
		}
		touch(h, hot * MiB);
		if (g)
			touch(g, grow * MiB);
		sleep_ms(period);
	}
	/* The cold part stays mapped (and cold) to the end. */
	if (c[0] != 'p')
		return 1;
	return done();
}

static int readall(const char *file)
{
	static char buf[1 << 16];
	ssize_t r;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "autoload: %s: %s\n", file, strerror(errno));
		return -1;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	if (r < 0)
		fprintf(stderr, "autoload: %s: %s\n", file, strerror(errno));
	return r < 0 ? -1 : 0;
}

static int pagecache(const char *hot, long passes, long period, int ncold,
		     char **cold)
{
	long i;

	for (i = 0; i < ncold; i++)
		if (readall(cold[i]))
			return 1;
	mark("ready");
	for (i = 0; i < passes; i++) {
		if (readall(hot))
			return 1;
		sleep_ms(period);
	}
	return done();
}

static int slab(const char *dir, long nfiles, long nneg, long hot, long passes,
		long period)
{
	char path[4096];
	struct stat st;
	long i, p;

	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if (stat(path, &st)) {
			fprintf(stderr, "autoload: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < nneg; i++) {
		snprintf(path, sizeof(path), "%s/n%ld.h", dir, i);
		if (!stat(path, &st)) {
			fprintf(stderr, "autoload: %s exists\n", path);
			return 1;
		}
	}
	mark("ready");
	for (p = 0; p < passes; p++) {
		for (i = 0; i < hot; i++) {
			snprintf(path, sizeof(path), "%s/f%ld", dir, i);
			if (stat(path, &st)) {
				fprintf(stderr, "autoload: %s: %s\n", path,
					strerror(errno));
				return 1;
			}
		}
		sleep_ms(period);
	}
	return done();
}

static long long some_total(const char *cg, const char *file)
{
	char path[4096], line[256], *p;
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f) && !strncmp(line, "some ", 5) &&
	    (p = strstr(line, "total=")))
		v = atoll(p + 6);
	fclose(f);
	return v;
}

static int sample(const char *cg, long period)
{
	long long cur = -1, ra = 0, rf = 0, v;
	char path[4096], key[64];
	FILE *f;

	while (!stop) {
		snprintf(path, sizeof(path), "%s/memory.current", cg);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%lld", &cur) != 1) {
			fprintf(stderr, "autoload: %s: cannot read\n", path);
			return 1;
		}
		fclose(f);
		snprintf(path, sizeof(path), "%s/memory.stat", cg);
		f = fopen(path, "r");
		if (!f)
			return 1;
		while (fscanf(f, "%63s %lld", key, &v) == 2) {
			if (!strcmp(key, "workingset_refault_anon"))
				ra = v;
			else if (!strcmp(key, "workingset_refault_file"))
				rf = v;
		}
		fclose(f);
		printf("%lld %lld %lld %lld %lld %lld\n", now_ms(), cur, ra, rf,
		       some_total(cg, "memory.pressure"),
		       some_total(cg, "io.pressure"));
		fflush(stdout);
		sleep_ms(period);
	}
	return 0;
}

int main(int argc, char **argv)
{
	start_ms = now_ms();
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (argc >= 6 && argc <= 7 && !strcmp(argv[1], "anon"))
		return anon(atol(argv[2]), atol(argv[3]), atol(argv[4]),
			    atol(argv[5]), argc == 7 ? atol(argv[6]) : 0);
	if (argc >= 6 && !strcmp(argv[1], "pagecache"))
		return pagecache(argv[2], atol(argv[3]), atol(argv[4]),
				 argc - 5, argv + 5);
	if (argc == 8 && !strcmp(argv[1], "slab"))
		return slab(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]),
			    atol(argv[6]), atol(argv[7]));
	if (argc == 4 && !strcmp(argv[1], "sample"))
		return sample(argv[2], atol(argv[3]));
	return usage();
}
