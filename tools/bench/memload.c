// SPDX-License-Identifier: GPL-2.0-only
/*
 * memload: the workloads of the reclaim benchmark, run inside a cgroup.
 *
 *   memload negdentries DIR N     N failed lookups in DIR (negative dentries)
 *   memload files DIR N           create N empty files in DIR (dentries and
 *                                 inodes)
 *   memload pagecache FILE MB     write FILE (MB MiB) and read it once, so
 *                                 its pages are in the page cache
 *   memload anon MB               allocate and touch MB MiB, then wait
 *   memload stream FILE SECONDS [PERIOD_MS]
 *                                 read FILE over and over for SECONDS, or
 *                                 until SIGTERM, PERIOD_MS apart
 *   memload read FILE PASSES      read FILE PASSES times
 *   memload drop FILE             drop FILE's clean pages from the page cache
 *
 * Every mode but anon exits when done: dentries, inodes and page cache stay
 * charged to the cgroup.  anon prints "ready" and sleeps until killed.
 * With -r FILE first, the workload writes its CPU time to FILE at the end:
 * "user_us sys_us".
 *
 * Helpers of the benchmark script:
 *   memload now                   monotonic clock, ms
 *   memload wait-under CGDIR BYTES TIMEOUT_MS
 *                                 waits until CGDIR/memory.current <= BYTES
 *                                 and prints the ms it took (-1: timeout)
 *   memload kworker-ns            CPU time of every kworker thread so far, ns
 *                                 (from /proc/PID/schedstat)
 *
 * Errors go to stderr; the exit status is 0 on success.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define MiB (1UL << 20)

static int usage(void)
{
	fprintf(stderr,
		"usage: memload [-r FILE] negdentries DIR N | files DIR N |\n"
		"               pagecache FILE MB | anon MB |\n"
		"               stream FILE SECONDS [PERIOD_MS] |\n"
		"               read FILE PASSES | drop FILE\n"
		"       memload now | wait-under CGDIR BYTES TIMEOUT_MS | kworker-ns\n");
	return 64;
}

static int negdentries(const char *dir, long n)
{
	char path[4096];
	struct stat st;
	long i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/lib%ld.so", dir, i);
		if (!stat(path, &st)) {
			fprintf(stderr, "memload: %s exists\n", path);
			return 1;
		}
	}
	return 0;
}

static int files(const char *dir, long n)
{
	char path[4096];
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			fprintf(stderr, "memload: %s: %s\n", path, strerror(errno));
			return 1;
		}
		close(fd);
	}
	return 0;
}

static int readall(int fd)
{
	static char buf[1 << 16];
	ssize_t r;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		;
	return r < 0 ? -1 : 0;
}

static int pagecache(const char *file, long mb)
{
	static char buf[1 << 16];
	long i, j;
	int fd;

	fd = open(file, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "memload: %s: %s\n", file, strerror(errno));
		return 1;
	}
	for (i = 0; i < mb; i++) {
		for (j = 0; j < (long)(MiB / sizeof(buf)); j++) {
			memset(buf, (int)(i + j) | 1, sizeof(buf));
			if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
				fprintf(stderr, "memload: write: %s\n", strerror(errno));
				return 1;
			}
		}
	}
	/* Clean pages: page cache the reclaim can drop without writeback. */
	if (fsync(fd) || readall(fd)) {
		fprintf(stderr, "memload: %s: %s\n", file, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

static int anon(long mb)
{
	size_t len = mb * MiB, i;
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "memload: mmap: %s\n", strerror(errno));
		return 1;
	}
	/* Not same-filled: a compressed tier must really store these. */
	for (i = 0; i < len; i += 4096)
		snprintf(p + i, 64, "page %zu of memload %d", i / 4096, getpid());
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

/*
 * Reads FILE over and over, for SECONDS or until SIGTERM, sleeping
 * PERIOD_MS between passes.
 */
static int stream(const char *file, long seconds, long period_ms)
{
	time_t end = time(NULL) + seconds;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "memload: %s: %s\n", file, strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_term);
	while (!stop && time(NULL) < end) {
		if (readall(fd) && !stop) {
			fprintf(stderr, "memload: read: %s\n", strerror(errno));
			return 1;
		}
		if (period_ms)
			usleep(period_ms * 1000);
	}
	close(fd);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static long long read_ll(const char *path)
{
	char buf[64] = "";
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoll(buf) : -1;
}

static int wait_under(const char *cg, long long bytes, long long timeout)
{
	long long start = now_ms(), cur;
	char path[4096];

	snprintf(path, sizeof(path), "%s/memory.current", cg);
	for (;;) {
		cur = read_ll(path);
		if (cur < 0) {
			fprintf(stderr, "memload: %s: %s\n", path, strerror(errno));
			return 1;
		}
		if (cur <= bytes) {
			printf("%lld\n", now_ms() - start);
			return 0;
		}
		if (now_ms() - start > timeout) {
			printf("-1\n");
			return 0;
		}
		usleep(10000);
	}
}

static int kworker_ns(void)
{
	char path[300], comm[64];
	unsigned long long sum = 0, ns;
	struct dirent *d;
	DIR *proc = opendir("/proc");
	FILE *f;

	if (!proc)
		return 1;
	while ((d = readdir(proc))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = 0;
		fclose(f);
		if (strncmp(comm, "kworker/", 8))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &ns) == 1)
			sum += ns;
		fclose(f);
	}
	closedir(proc);
	printf("%llu\n", sum);
	return 0;
}

static int readpasses(const char *file, long passes)
{
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "memload: %s: %s\n", file, strerror(errno));
		return 1;
	}
	while (passes-- > 0)
		if (readall(fd)) {
			fprintf(stderr, "memload: read: %s\n", strerror(errno));
			return 1;
		}
	close(fd);
	return 0;
}

static int drop(const char *file)
{
	int fd = open(file, O_RDONLY), err;

	if (fd < 0) {
		fprintf(stderr, "memload: %s: %s\n", file, strerror(errno));
		return 1;
	}
	err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	if (err)
		fprintf(stderr, "memload: fadvise: %s\n", strerror(err));
	return !!err;
}

static int workload(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "read"))
		return readpasses(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "drop"))
		return drop(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "negdentries"))
		return negdentries(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "files"))
		return files(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "pagecache"))
		return pagecache(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "anon"))
		return anon(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "stream"))
		return stream(argv[2], atol(argv[3]), 0);
	if (argc == 5 && !strcmp(argv[1], "stream"))
		return stream(argv[2], atol(argv[3]), atol(argv[4]));
	return usage();
}

int main(int argc, char **argv)
{
	const char *rusage_file = NULL;
	struct rusage ru;
	FILE *f;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%lld\n", now_ms());
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "wait-under"))
		return wait_under(argv[2], atoll(argv[3]), atoll(argv[4]));
	if (argc == 2 && !strcmp(argv[1], "kworker-ns"))
		return kworker_ns();
	if (argc > 3 && !strcmp(argv[1], "-r")) {
		rusage_file = argv[2];
		argc -= 2;
		argv += 2;
	}
	ret = workload(argc, argv);
	if (rusage_file) {
		getrusage(RUSAGE_SELF, &ru);
		f = fopen(rusage_file, "w");
		if (!f)
			return 1;
		fprintf(f, "%lld %lld\n",
			(long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
			(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
		fclose(f);
	}
	return ret;
}
