// SPDX-License-Identifier: GPL-2.0-only
/*
 * reclaim-loop: a Senpai-style userspace reclaimer, the benchmark's
 * reference point for memctl.  Every INTERVAL ms it reads the cgroup's
 * memory.current and, when it is above HIGH, writes the excess over TARGET
 * to memory.reclaim (the kernel reclaims in this process's context, so the
 * process's own CPU time is the whole cost of the loop).
 *
 *   reclaim-loop CGROUP_DIR HIGH TARGET INTERVAL_MS
 *
 * Runs until SIGTERM or SIGINT, then prints one line:
 *   loop cpu_us=N user_us=N sys_us=N writes=N short=N
 * (short: writes that returned EAGAIN, the kernel freed less than asked).
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

int main(int argc, char **argv)
{
	long long high, target, cur, writes = 0, shorts = 0;
	struct timespec ts;
	struct rusage ru;
	char path[4096], buf[32];
	int cfd, rfd, n;

	if (argc != 5) {
		fprintf(stderr, "usage: reclaim-loop CGROUP_DIR HIGH TARGET INTERVAL_MS\n");
		return 64;
	}
	high = atoll(argv[2]);
	target = atoll(argv[3]);
	ts.tv_sec = atoi(argv[4]) / 1000;
	ts.tv_nsec = (atoi(argv[4]) % 1000) * 1000000L;
	snprintf(path, sizeof(path), "%s/memory.current", argv[1]);
	cfd = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "%s/memory.reclaim", argv[1]);
	rfd = open(path, O_WRONLY);
	if (cfd < 0 || rfd < 0) {
		fprintf(stderr, "reclaim-loop: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	while (!stop) {
		cur = read_ll(cfd);
		if (cur > high) {
			n = snprintf(buf, sizeof(buf), "%lld", cur - target);
			writes++;
			if (write(rfd, buf, n) < 0 && errno == EAGAIN)
				shorts++;
		}
		nanosleep(&ts, NULL);
	}

	getrusage(RUSAGE_SELF, &ru);
	printf("loop cpu_us=%lld user_us=%lld sys_us=%lld writes=%lld short=%lld\n",
	       (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec,
	       (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
	       (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec,
	       writes, shorts);
	return 0;
}
