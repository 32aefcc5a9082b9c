/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cgroup2 helpers for the selftests: make a tree with the memory
 * controller enabled, remove it, and name cgroups the way memctl does.
 */
#ifndef MEMCTL_CGUTIL_H
#define MEMCTL_CGUTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#define CG_ROOT "/sys/fs/cgroup"

static inline int cg_write(const char *cg, const char *file, const char *val)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), CG_ROOT "%s/%s", cg, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static inline long long cg_read_ll(const char *cg, const char *file)
{
	char path[PATH_MAX], buf[64] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), CG_ROOT "%s/%s", cg, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	return strtoll(buf, NULL, 10);
}

/* Creates CG_ROOT/@cg; @memory: enable the memory controller for children. */
static inline int cg_create(const char *cg, int memory)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return memory ? cg_write(cg, "cgroup.subtree_control", "+memory") : 0;
}

/* The id memctl uses: the inode number of the cgroup's directory. */
static inline uint64_t cg_id(const char *cg)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

/* Moves every process out and removes @cg and everything below it. */
static inline void cg_destroy(const char *cg)
{
	char path[PATH_MAX], sub[PATH_MAX + 32], line[64];
	struct dirent *d;
	FILE *f;
	DIR *dir;

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", cg, d->d_name);
		cg_destroy(sub);
	}
	closedir(dir);
	snprintf(sub, sizeof(sub), "%s/cgroup.procs", path);
	f = fopen(sub, "r");
	while (f && fgets(line, sizeof(line), f))
		cg_write("", "cgroup.procs", line);
	if (f)
		fclose(f);
	rmdir(path);
}

/* A key of a flat keyed file (memory.stat, memory.events), or -1. */
static inline long long cg_keyed(const char *cg, const char *file,
				 const char *key)
{
	char path[PATH_MAX], k[64];
	long long v, ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), CG_ROOT "%s/%s", cg, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			ret = v;
	fclose(f);
	return ret;
}

/* A key of memory.stat (bytes, or a count), or -1. */
static inline long long cg_stat(const char *cg, const char *key)
{
	return cg_keyed(cg, "memory.stat", key);
}

/* "some ... total=N" of memory.pressure, in us, or -1. */
static inline long long cg_some_total(const char *cg)
{
	char path[PATH_MAX], line[256];
	long long total = -1;
	char *t;
	FILE *f;

	snprintf(path, sizeof(path), CG_ROOT "%s/memory.pressure", cg);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		t = strstr(line, "total=");
		if (!strncmp(line, "some", 4) && t)
			total = atoll(t + 6);
	}
	fclose(f);
	return total;
}

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

#endif /* MEMCTL_CGUTIL_H */
