// SPDX-License-Identifier: GPL-2.0-only
/*
 * backing_load: pages through the tier and its backing device, and a check
 * that each comes back bit for bit.  For tier_backing.sh.
 *
 *   backing_load CGROUP SIZE_MIB COMMAND
 *
 * Moves itself into CGROUP (a cgroup2 path such as /tb/t), maps SIZE_MIB of
 * anonymous memory (three quarters in small pages, the rest in THPs where
 * the kernel has them), fills every page (zero, one word repeated, a
 * counting pattern, random bytes, text: the kind and the contents follow
 * from the page's index), pushes it all out (MADV_PAGEOUT), runs COMMAND
 * with /bin/sh (a writeback, a wait, a swapoff), then reads every page and
 * compares it with what was written.  Prints:
 *   backing_load: pages N out O bad B command-status S
 * (out: pages found swapped out after the push).  Exit 0 when no page is
 * bad and COMMAND exited 0; 1 otherwise; 64 for usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void fill(unsigned char *p, size_t psz, size_t index)
{
	uint64_t *w = (uint64_t *)p, x = index * 0x9e3779b97f4a7c15ULL + 1;
	size_t i, n = psz / sizeof(*w);

	switch (index % 5) {
	case 0:
		memset(p, 0, psz);
		break;
	case 1:
		for (i = 0; i < n; i++)
			w[i] = x;
		break;
	case 2:
		for (i = 0; i < n; i++)
			w[i] = index << 20 | (i & 0xff);
		break;
	case 3:
		for (i = 0; i < n; i++)
			w[i] = next(&x);
		break;
	default:
		for (i = 0; i < psz; i++)
			p[i] = "the quick brown fox jumps over the lazy dog "
			       [(i + index) % 44];
		break;
	}
}

int main(int argc, char **argv)
{
	size_t psz = sysconf(_SC_PAGESIZE), size, pages, i, out = 0, bad = 0;
	unsigned char *mem, *want;
	char path[4200];
	int fd, status;
	FILE *f;

	if (argc != 4 || argv[1][0] != '/' || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: backing_load CGROUP SIZE_MIB COMMAND\n");
		return 64;
	}
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", argv[1]);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f)) {
		fprintf(stderr, "backing_load: cannot join %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	size = (size_t)atoi(argv[2]) << 20;
	pages = size / psz;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	want = malloc(psz);
	if (mem == MAP_FAILED || !want) {
		fprintf(stderr, "backing_load: no memory\n");
		return 1;
	}
	madvise(mem, size / 4 * 3, MADV_NOHUGEPAGE);
	madvise(mem + size / 4 * 3, size / 4, MADV_HUGEPAGE);
	for (i = 0; i < pages; i++)
		fill(mem + i * psz, psz, i);
	if (madvise(mem, size, MADV_PAGEOUT)) {
		fprintf(stderr, "backing_load: MADV_PAGEOUT: %s\n",
			strerror(errno));
		return 1;
	}
	fd = open("/proc/self/pagemap", O_RDONLY);
	for (i = 0; fd >= 0 && i < pages; i++) {
		uint64_t e;
		off_t off = ((uintptr_t)mem / psz + i) * sizeof(e);

		if (pread(fd, &e, sizeof(e), off) == sizeof(e) && (e >> 62 & 1))
			out++;
	}
	if (fd >= 0)
		close(fd);

	status = system(argv[3]);
	status = status == -1 ? -1 :
		 WIFEXITED(status) ? WEXITSTATUS(status) : 128;

	for (i = 0; i < pages; i++) {
		fill(want, psz, i);
		if (memcmp(mem + i * psz, want, psz)) {
			if (bad < 5)
				fprintf(stderr, "backing_load: page %zu differs\n",
					i);
			bad++;
		}
	}
	printf("backing_load: pages %zu out %zu bad %zu command-status %d\n",
	       pages, out, bad, status);
	return bad || status ? 1 : 0;
}
