// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl top: runs memctl-top, the libbpf reclaim tracer (tools/bpf/), a
 * separate program so that the CLI does not depend on libbpf.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define TOP_PROG "memctl-top"

const char top_usage[] =
	"Usage: memctl [-j] top [ARGUMENTS]\n"
	"\n"
	"Run " TOP_PROG " with ARGUMENTS (and -j first when -j was given): a live\n"
	"per-cgroup view of direct-reclaim stalls, memctl's own reclaim and slab\n"
	"shrinking, traced with BPF.  " TOP_PROG " is looked for in the directory\n"
	"of the memctl program, then in PATH; exit 2 if it is not there.\n"
	"'memctl top --help' shows " TOP_PROG "'s own help.\n";

/* The directory memctl runs from, with a trailing '/', or "". */
static void self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		slash[1] = '\0';
	else
		buf[0] = '\0';
}

int top_main(int argc, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX + sizeof(TOP_PROG)];
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	int i, n = 0, err;

	if (!args) {
		fputs("memctl: out of memory\n", stderr);
		return EXIT_REFUSED;
	}
	args[n++] = TOP_PROG;
	if (json_output)
		args[n++] = "-j";
	for (i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fflush(stdout);

	self_dir(dir, sizeof(dir));
	if (dir[0]) {
		snprintf(path, sizeof(path), "%s%s", dir, TOP_PROG);
		if (access(path, X_OK) == 0) {
			execv(path, args);
			err = errno;
			fprintf(stderr, "memctl: top: cannot run %s: %s\n", path,
				strerror(err));
			free(args);
			return EXIT_UNAVAILABLE;
		}
	}
	execvp(TOP_PROG, args);
	err = errno;
	if (err == ENOENT)
		fprintf(stderr, "memctl: top: " TOP_PROG " is not installed "
			"(looked in %s and in PATH)\n", dir[0] ? dir : "memctl's "
			"directory");
	else
		fprintf(stderr, "memctl: top: cannot run " TOP_PROG ": %s\n",
			strerror(err));
	free(args);
	return EXIT_UNAVAILABLE;
}
