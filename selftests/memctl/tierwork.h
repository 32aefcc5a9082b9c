/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the tier tests share (tier_test.c, tier_cap_test.c): a page's
 * hash, the mixing function their contents are made with, and a worker:
 * a process in a cgroup that fills its memory with a test's pages, then
 * checks every page on command.  Each test keeps its own mix of pages
 * (its fill function) and its own way of waiting for and ending a worker.
 *
 * The protocol, over two pipes: the worker writes 'F' once it has filled
 * its pages; each 'V' sent to it makes it check them all and write the
 * count of pages that came back wrong (a size_t); anything else, or the
 * end of the pipe, ends it with status 0 (10 to 14 when it failed).
 */
#ifndef MEMCTL_TIERWORK_H
#define MEMCTL_TIERWORK_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgutil.h"

#define MiB (1ULL << 20)
#define PAGE 4096

/* A 64-bit finalizer: the pages' contents are mix() of where they are. */
static inline uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline uint64_t page_hash(const void *p)
{
	const uint64_t *w = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < PAGE / 8; i++)
		h = mix(h ^ w[i]) + i;
	return h;
}

/* Writes page @i of the stream @seed into @p. */
typedef void tierwork_fill_fn(char *p, uint64_t seed, size_t i);

struct worker {
	pid_t pid;
	int cmd, rep;		/* parent's ends */
};

static inline int worker_loop(const char *cg, tierwork_fill_fn *fill,
			      uint64_t seed, size_t pages, int thp, int cmd,
			      int rep)
{
	size_t len = pages * PAGE, i, bad;
	uint64_t *hash;
	char c, *map;

	if (cg_write(cg, "cgroup.procs", "0"))
		return 10;
	/* 2 MiB-aligned, so that THP can back it. */
	map = mmap(NULL, len + (2 * MiB), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 11;
	map = (char *)(((uintptr_t)map + 2 * MiB - 1) & ~(2 * MiB - 1));
	madvise(map, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	hash = calloc(pages, sizeof(*hash));
	if (!hash)
		return 12;
	for (i = 0; i < pages; i++) {
		fill(map + i * PAGE, seed, i);
		hash[i] = page_hash(map + i * PAGE);
	}
	if (write(rep, "F", 1) != 1)
		return 13;
	while (read(cmd, &c, 1) == 1 && c == 'V') {
		bad = 0;
		for (i = 0; i < pages; i++)
			if (page_hash(map + i * PAGE) != hash[i])
				bad++;
		if (write(rep, &bad, sizeof(bad)) != sizeof(bad))
			return 14;
	}
	return 0;
}

/* Forks a worker of @pages pages of @fill's stream @seed in @cg. */
static inline int worker_start(struct worker *w, const char *cg,
			       tierwork_fill_fn *fill, uint64_t seed,
			       size_t pages, int thp)
{
	int cmd[2], rep[2];

	if (pipe(cmd) || pipe(rep))
		return -errno;
	w->pid = fork();
	if (w->pid < 0)
		return -errno;
	if (!w->pid) {
		close(cmd[1]);
		close(rep[0]);
		_exit(worker_loop(cg, fill, seed, pages, thp, cmd[0], rep[1]));
	}
	close(cmd[0]);
	close(rep[1]);
	w->cmd = cmd[1];
	w->rep = rep[0];
	return 0;
}

/*
 * What became of a worker that gave no count (its pipe ended): reaps it and
 * says how it ended, with the OOM kills of its cgroup @cg, into @buf.
 */
static inline const char *worker_gone(struct worker *w, const char *cg,
				      char *buf, size_t len)
{
	long long ooms = cg_keyed(cg, "memory.events", "oom_kill");
	int status;

	if (waitpid(w->pid, &status, 0) != w->pid)
		snprintf(buf, len, "worker %d: waitpid: %s", (int)w->pid,
			 strerror(errno));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "worker killed by signal %d (%s), %lld OOM kills in %s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)), ooms, cg);
	else
		snprintf(buf, len, "worker exited with status %d, %lld OOM kills in %s",
			 WEXITSTATUS(status), ooms, cg);
	close(w->cmd);
	close(w->rep);
	w->cmd = w->rep = -1;
	w->pid = 0;
	return buf;
}

#endif /* MEMCTL_TIERWORK_H */
