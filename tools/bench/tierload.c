// SPDX-License-Identifier: GPL-2.0-only
/*
 * tierload: the workload of tier-bench.sh.  Fills SIZE MiB of anonymous
 * memory with a fixed mix of pages, pushes all of it to swap with
 * MADV_PAGEOUT (timed), runs a command while it is all out (the script
 * reads the swap device's figures then), touches every page once to bring
 * it back (each touch timed: one swap-in fault), and checks every page.
 *
 *   tierload SIZE_MIB SEED MIX 'COMMAND'
 *
 * MIX: "mixed" (the default mix), or one kind alone: zero, same, text,
 * random, binary.  The mixed data set, by page: 20% zero, 10% one word
 * repeated, 40% text, 20% random bytes, 10% machine code (/bin/busybox or
 * this program when it is absent), each page stamped with its index.
 *
 * Prints one line:
 *   pages N out_ms X swapped_kib K in_ms Y p50_us A p99_us B bad 0
 * out_ms: MADV_PAGEOUT of the whole range; in_ms: the sum of the touches;
 * p50/p99: of the touches; bad: pages that came back wrong (exit 1 if any).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* the tier tests' page hash and mixing function */
#include "../../selftests/memctl/tierwork.h"

static char *binary;
static size_t binary_pages;

static void load_binary(void)
{
	const char *paths[] = { "/bin/busybox", "/proc/self/exe" };
	struct stat st;
	size_t i;

	for (i = 0; i < 2 && !binary; i++) {
		int fd = open(paths[i], O_RDONLY);

		if (fd < 0)
			continue;
		if (!fstat(fd, &st) && st.st_size >= PAGE) {
			binary_pages = st.st_size / PAGE;
			binary = malloc(binary_pages * PAGE);
			if (binary && read(fd, binary, binary_pages * PAGE) !=
				      (ssize_t)(binary_pages * PAGE)) {
				free(binary);
				binary = NULL;
			}
		}
		close(fd);
	}
}

static const char *const words[] = {
	"memory", "cgroup", "page", "the", "of", "reclaim", "swap", "tier",
	"compressed", "a", "to", "slab", "dentry", "inode", "and", "kernel",
	"pressure", "is", "zsmalloc", "in", "anon", "file", "cache", "lz4",
	"request", "with", "for", "on", "that", "by", "from", "returns",
};

enum kind { ZERO, SAME, TEXT, RANDOM, BINARY };

static enum kind pick(const char *mixname, uint64_t r)
{
	unsigned int pct = r % 100;

	if (!strcmp(mixname, "zero"))
		return ZERO;
	if (!strcmp(mixname, "same"))
		return SAME;
	if (!strcmp(mixname, "text"))
		return TEXT;
	if (!strcmp(mixname, "random"))
		return RANDOM;
	if (!strcmp(mixname, "binary"))
		return BINARY;
	return pct < 20 ? ZERO : pct < 30 ? SAME : pct < 70 ? TEXT :
	       pct < 90 ? RANDOM : BINARY;
}

static void fill_page(char *p, const char *mixname, uint64_t seed, size_t i)
{
	uint64_t r = mix(seed * 1000003 + i), *w = (uint64_t *)p;
	size_t off, n;
	int j;

	switch (pick(mixname, r)) {
	case ZERO:
		memset(p, 0, PAGE);
		return;
	case SAME:
		for (j = 0; j < PAGE / 8; j++)
			w[j] = r | 1;
		return;
	case RANDOM:
		for (j = 0; j < PAGE / 8; j++)
			w[j] = mix(r + j);
		return;
	case BINARY:
		memcpy(p, binary + (r >> 8) % binary_pages * PAGE, PAGE);
		break;
	case TEXT:
		for (off = 0; off < PAGE; off += n) {
			const char *wd = words[(r = mix(r)) % 32];

			n = strlen(wd) + 1;
			if (n > PAGE - off)
				n = PAGE - off;
			memcpy(p + off, wd, n);
			p[off + n - 1] = r & 0x700 ? ' ' : '\n';
		}
		break;
	}
	w[0] = seed;
	w[1] = i;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long vm_swap_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmSwap:", 7))
			kib = atol(line + 7);
	if (f)
		fclose(f);
	return kib;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t pages, i, bad = 0;
	uint64_t *hash, *lat, t0, out_ns, in_ns = 0, seed;
	const char *mixname;
	long swapped;
	char *map;

	if (argc != 5) {
		fprintf(stderr, "usage: tierload SIZE_MIB SEED MIX COMMAND\n");
		return 2;
	}
	pages = strtoul(argv[1], NULL, 0) * 256;
	seed = strtoull(argv[2], NULL, 0);
	mixname = argv[3];
	load_binary();
	if (!pages || !binary)
		return 2;

	map = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hash = calloc(pages, sizeof(*hash));
	lat = calloc(pages, sizeof(*lat));
	if (map == MAP_FAILED || !hash || !lat)
		return 2;
	/* Base pages: the per-page swap path both devices take. */
	madvise(map, pages * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++) {
		fill_page(map + i * PAGE, mixname, seed, i);
		hash[i] = page_hash(map + i * PAGE);
	}
	/* The bookkeeping stays in memory; only the data set goes out. */
	mlock(hash, pages * sizeof(*hash));
	mlock(lat, pages * sizeof(*lat));

	t0 = now_ns();
	if (madvise(map, pages * PAGE, MADV_PAGEOUT)) {
		perror("MADV_PAGEOUT");
		return 2;
	}
	out_ns = now_ns() - t0;
	swapped = vm_swap_kib();

	if (system(argv[4]))
		return 2;

	for (i = 0; i < pages; i++) {
		t0 = now_ns();
		*(volatile char *)(map + i * PAGE);
		lat[i] = now_ns() - t0;
		in_ns += lat[i];
	}
	for (i = 0; i < pages; i++)
		if (page_hash(map + i * PAGE) != hash[i])
			bad++;
	qsort(lat, pages, sizeof(*lat), cmp_u64);
	printf("pages %zu out_ms %.1f swapped_kib %ld in_ms %.1f p50_us %.1f p99_us %.1f bad %zu\n",
	       pages, out_ns / 1e6, swapped, in_ns / 1e6, lat[pages / 2] / 1e3,
	       lat[pages * 99 / 100] / 1e3, bad);
	return bad ? 1 : 0;
}
