// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helper of file_noswap.sh: holds anonymous memory charged to the caller's
 * cgroup.
 *
 *   anon_hold MB
 *        maps MB MiB of private anonymous memory, writes every page (a
 *        different word in each, so that no page is zero or the same as
 *        another), prints "ready" and sleeps until a signal ends it
 *
 * Errors go to stderr; the exit status is 1 on error, 64 on bad usage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len, i, j;
	uint64_t *m;

	if (argc != 2 || atol(argv[1]) <= 0) {
		fprintf(stderr, "usage: anon_hold MB\n");
		return 64;
	}
	len = (size_t)atol(argv[1]) << 20;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (m == MAP_FAILED) {
		perror("anon_hold: mmap");
		return 1;
	}
	for (i = 0; i < len / page; i++)
		for (j = 0; j < page / sizeof(*m); j += 64)
			m[i * (page / sizeof(*m)) + j] = i * 0x9e3779b97f4a7c15ULL + j + 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
