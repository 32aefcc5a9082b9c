// SPDX-License-Identifier: GPL-2.0-only
/*
 * senpai: a Senpai-style userspace controller, the reference point of the
 * auto part of the benchmark (auto-bench.sh).  The published algorithm,
 * with the clock scaled:
 *
 *   every tick, read the cgroup's memory and io pressure (PSI "some");
 *   every 6 ticks, if both stayed under the limit (0.1 %) all along,
 *   write 1 % of (memory.current - MIN) to memory.reclaim.
 *
 *   senpai CGROUP_DIR MIN_BYTES TICK_MS [LIMIT_PPM]
 *
 * Senpai's tick is 1 s and it reads avg10, the kernel's 10 s average.  With
 * a tick of TICK_MS (auto-bench.sh: 50 ms, the clock 20 times faster) avg10
 * would average over 200 ticks and react 20 times too late, so the pressure
 * is computed the same way at the same scale: from the "total=" field
 * (microseconds stalled) over the last 10 ticks, divided by their length.
 * LIMIT_PPM: the limit in parts per million of the time (1000: 0.1 %).
 *
 * The kernel reclaims in this process's context, so the process's own CPU
 * time is the whole cost of the loop.  Runs until SIGTERM or SIGINT, then
 * prints one line:
 *   senpai cpu_us=N ticks=N writes=N reclaimed_kib=N held=N
 * (reclaimed_kib: what the writes asked for; held: ticks that saw the
 * pressure at or over the limit, each putting the next write 6 ticks off).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#define WINDOW 10	/* ticks: avg10 at a 1 s tick */
#define PERIOD 6	/* ticks between two reclaim writes */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static long long read_ll(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	return atoll(buf);
}

/* The "some" line's total= of a *.pressure file, us; -1 on error. */
static long long some_total(int fd)
{
	char buf[256], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (strncmp(buf, "some ", 5))
		return -1;
	p = strstr(buf, "total=");
	return p ? atoll(p + 6) : -1;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int open_in(const char *dir, const char *file, int flags)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, flags);
	if (fd < 0)
		fprintf(stderr, "senpai: %s: %s\n", path, strerror(errno));
	return fd;
}

int main(int argc, char **argv)
{
	long long min, limit = 1000, cur, amount, writes = 0, held = 0, kib = 0;
	long long t[WINDOW + 1], mem[WINDOW + 1], io[WINDOW + 1];
	long long ticks = 0, span;
	int cfd, rfd, mfd, ifd, n, quiet = 0, calm, old, i;
	struct timespec ts;
	struct rusage ru;
	char buf[32];

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: senpai CGROUP_DIR MIN_BYTES TICK_MS [LIMIT_PPM]\n");
		return 64;
	}
	min = atoll(argv[2]);
	ts.tv_sec = atoi(argv[3]) / 1000;
	ts.tv_nsec = (atoi(argv[3]) % 1000) * 1000000L;
	if (argc == 5)
		limit = atoll(argv[4]);
	cfd = open_in(argv[1], "memory.current", O_RDONLY);
	rfd = open_in(argv[1], "memory.reclaim", O_WRONLY);
	mfd = open_in(argv[1], "memory.pressure", O_RDONLY);
	ifd = open_in(argv[1], "io.pressure", O_RDONLY);
	if (cfd < 0 || rfd < 0 || mfd < 0 || ifd < 0)
		return 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	for (;;) {
		/* One tick: the sample goes in slot ticks % (WINDOW + 1). */
		i = ticks % (WINDOW + 1);
		t[i] = now_us();
		mem[i] = some_total(mfd);
		io[i] = some_total(ifd);
		if (mem[i] < 0 || io[i] < 0) {
			fprintf(stderr, "senpai: %s: cannot read the pressure\n", argv[1]);
			return 1;
		}
		/* The pressure over the last WINDOW ticks (fewer at first). */
		old = ticks < WINDOW ? 0 : (ticks - WINDOW) % (WINDOW + 1);
		span = t[i] - t[old];
		calm = span <= 0 ||
		       ((mem[i] - mem[old]) * 1000000 < limit * span &&
			(io[i] - io[old]) * 1000000 < limit * span);
		quiet = calm ? quiet + 1 : 0;
		if (!calm)
			held++;
		if (quiet >= PERIOD) {
			quiet = 0;
			cur = read_ll(cfd);
			amount = (cur - min) / 100;
			if (amount >= 4096) {
				n = snprintf(buf, sizeof(buf), "%lld", amount);
				/* EAGAIN: the kernel freed less; Senpai goes on */
				if (write(rfd, buf, n) < 0 && errno != EAGAIN) {
					fprintf(stderr, "senpai: memory.reclaim: %s\n",
						strerror(errno));
					return 1;
				}
				writes++;
				kib += amount / 1024;
			}
		}
		ticks++;
		if (stop)
			break;
		nanosleep(&ts, NULL);
		if (stop)
			break;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("senpai cpu_us=%lld ticks=%lld writes=%lld reclaimed_kib=%lld held=%lld\n",
	       (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec,
	       ticks, writes, kib, held);
	return 0;
}
