/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reader of the files the benchmarks measure memctl against, as an
 * agent without memctl reads them: per cgroup memory.current and
 * memory.stat, every key of it parsed.  Shared by ctlbench (in-process
 * rounds) and statfiles (the reader as a whole process, linked with the C
 * library only, as such an agent would be).
 */
#ifndef MEMCTL_BENCH_STATFILES_H
#define MEMCTL_BENCH_STATFILES_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* What a reader takes of each cgroup, summed. */
struct sums {
	uint64_t rows, usage, slab_r, slab_u, file, anon;
};

/* One "key value" line of memory.stat: the key is not copied. */
struct kv {
	const char *key;
	size_t len;
	uint64_t val;
};

/* Read a whole small file into @buf; returns its length. */
static size_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t off = 0;
	ssize_t n = 0;

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while (off < len - 1 && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += (size_t)n;
	if (n < 0)
		die("%s: %s", path, strerror(errno));
	close(fd);
	buf[off] = '\0';
	return off;
}

/*
 * Every line of memory.stat into @kv, the way a careful agent parses it:
 * one pass, keys by pointer and length, values by strtoull().  Returns the
 * number of keys.
 */
static int parse_stat(char *buf, struct kv *kv, int max)
{
	char *p = buf;
	int n = 0;

	while (*p && n < max) {
		char *sp = strchr(p, ' '), *end;

		if (!sp)
			die("memory.stat: malformed line");
		kv[n].key = p;
		kv[n].len = (size_t)(sp - p);
		kv[n].val = strtoull(sp + 1, &end, 10);
		if (*end != '\n')
			die("memory.stat: malformed line");
		n++;
		p = end + 1;
	}
	return n;
}

static uint64_t lookup(const struct kv *kv, int n, const char *key)
{
	size_t len = strlen(key);
	int i;

	for (i = 0; i < n; i++)
		if (kv[i].len == len && !memcmp(kv[i].key, key, len))
			return kv[i].val;
	die("memory.stat has no %s", key);
}

static void read_files(char **dirs, int n, struct sums *sum)
{
	static char buf[16384];
	static struct kv kv[128];
	char path[600];
	int i, nkv;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/memory.current", dirs[i]);
		slurp(path, buf, sizeof(buf));
		sum->usage += strtoull(buf, NULL, 10);
		snprintf(path, sizeof(path), "%s/memory.stat", dirs[i]);
		slurp(path, buf, sizeof(buf));
		nkv = parse_stat(buf, kv, 128);
		sum->slab_r += lookup(kv, nkv, "slab_reclaimable");
		sum->slab_u += lookup(kv, nkv, "slab_unreclaimable");
		sum->file += lookup(kv, nkv, "file");
		sum->anon += lookup(kv, nkv, "anon");
		sum->rows++;
	}
}

#endif /* MEMCTL_BENCH_STATFILES_H */
