// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helper of slab_contention.sh: fills a cgroup with negative dentries, and
 * registers and unregisters superblock shrinkers as fast as it can, as a
 * container host that mounts and unmounts all the time does.
 *
 *   slab_churn dentries DIR N
 *        N failed lookups in DIR: N negative dentries, charged to the
 *        caller's cgroup
 *   slab_churn mounts DIR WORKERS
 *        WORKERS processes, each mounting a tmpfs on its own directory
 *        DIR/mN and unmounting it, in a loop; prints "started" once
 *        the first cycle is done; at SIGTERM, prints "mounts N" (the
 *        cycles of all workers) and exits 0.  Each mount
 *        and each unmount registers or unregisters a shrinker.
 *
 * Errors go to stderr; the exit status is 0 on success, 64 on bad usage.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define MAX_WORKERS 64

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: slab_churn dentries DIR N | mounts DIR WORKERS\n");
	return 64;
}

static int dentries(const char *dir, long n)
{
	char path[4096];
	struct stat st;
	long i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/no-such-file-%ld", dir, i);
		if (!stat(path, &st)) {
			fprintf(stderr, "slab_churn: %s exists\n", path);
			return 1;
		}
	}
	return 0;
}

/* One worker: mount and unmount @mnt until told to stop. */
static int mount_loop(const char *mnt, unsigned long *cycles)
{
	while (!stop) {
		if (mount("churn", mnt, "tmpfs", 0, "size=1M")) {
			fprintf(stderr, "slab_churn: mount %s: %s\n", mnt,
				strerror(errno));
			return 1;
		}
		if (umount(mnt)) {
			fprintf(stderr, "slab_churn: umount %s: %s\n", mnt,
				strerror(errno));
			return 1;
		}
		__atomic_add_fetch(cycles, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static int mounts(const char *dir, int workers)
{
	struct sigaction sa = { .sa_handler = on_term };
	sigset_t term, old;
	pid_t pid[MAX_WORKERS];
	unsigned long *cycles;
	char mnt[4096];
	int i, status, ret = 0;

	if (workers < 1 || workers > MAX_WORKERS)
		return usage();
	/* Shared with the workers: each adds its cycles. */
	cycles = mmap(NULL, sizeof(*cycles), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cycles == MAP_FAILED) {
		perror("slab_churn: mmap");
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	/* SIGTERM only while waiting for it (sigsuspend), or in a worker. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	for (i = 0; i < workers; i++) {
		snprintf(mnt, sizeof(mnt), "%s/m%d", dir, i);
		if (mkdir(mnt, 0755) && errno != EEXIST) {
			fprintf(stderr, "slab_churn: mkdir %s: %s\n", mnt,
				strerror(errno));
			return 1;
		}
		pid[i] = fork();
		if (pid[i] < 0) {
			perror("slab_churn: fork");
			return 1;
		}
		if (!pid[i]) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			_exit(mount_loop(mnt, cycles));
		}
	}
	/* Once a cycle is done: the caller waits for this line. */
	while (!stop && !__atomic_load_n(cycles, __ATOMIC_RELAXED))
		usleep(1000);
	printf("started\n");
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
	for (i = 0; i < workers; i++) {
		kill(pid[i], SIGTERM);
		if (waitpid(pid[i], &status, 0) != pid[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			ret = 1;
	}
	printf("mounts %lu\n", *cycles);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "dentries"))
		return dentries(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "mounts"))
		return mounts(argv[2], atoi(argv[3]));
	return usage();
}
