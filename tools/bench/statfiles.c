// SPDX-License-Identifier: GPL-2.0-only
/*
 * statfiles DIR N: read the files of DIR/c0000 .. c<N-1> once, as an agent
 * without memctl does (statfiles.h), and print nothing: the files' side of
 * the benchmarks' whole-process comparisons (control-bench.sh,
 * agent-bench.sh), against `memctl -j stats`.  Linked with the C library
 * only.
 */
#include "statfiles.h"

int main(int argc, char **argv)
{
	char **dirs, path[512];
	struct sums sum = { 0 };
	int i, n;

	if (argc != 3 || (n = atoi(argv[2])) <= 0) {
		fputs("usage: statfiles DIR N\n", stderr);
		return 64;
	}
	dirs = calloc((size_t)n, sizeof(*dirs));
	if (!dirs)
		die("out of memory");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/c%04d", argv[1], i);
		dirs[i] = strdup(path);
		if (!dirs[i])
			die("out of memory");
	}
	read_files(dirs, n, &sum);
	if (sum.rows != (uint64_t)n)
		die("read %llu of %d cgroups", (unsigned long long)sum.rows, n);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	return 0;
}
