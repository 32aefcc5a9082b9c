// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl cgroup paths: from what a user types to what the kernel expects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define DEFAULT_CGROUP2_MOUNT	"/sys/fs/cgroup"

/*
 * Lexical normalization of an absolute path: collapse "//" and ".", let ".."
 * remove the previous component, drop the trailing "/".  Fails with -EINVAL
 * for a relative path or a ".." above "/", -ENAMETOOLONG if @out is short.
 */
int memctl__path_normalize(const char *in, char *out, size_t len)
{
	size_t o = 0, n;
	const char *p = in;
	char *tmp;

	if (!in || *in != '/')
		return -EINVAL;
	/* The result is never longer than the input. */
	tmp = malloc(strlen(in) + 2);
	if (!tmp)
		return -ENOMEM;

	while (*p) {
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (!n)
			break;
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!o) {
				free(tmp);
				return -EINVAL;
			}
			while (o && tmp[o - 1] != '/')
				o--;
			o--;	/* the '/' before the removed component */
		} else {
			tmp[o++] = '/';
			memcpy(tmp + o, p, n);
			o += n;
		}
		p += n;
	}
	if (!o)
		tmp[o++] = '/';
	tmp[o] = '\0';

	if (o + 1 > len) {
		free(tmp);
		return -ENAMETOOLONG;
	}
	memcpy(out, tmp, o + 1);
	free(tmp);
	return 0;
}

/* @in normalized, in a new allocation the caller frees (also on error). */
static int normalize_dup(const char *in, char **out)
{
	size_t n = strlen(in) + 2;	/* the result is never longer */

	*out = malloc(n);
	if (!*out)
		return -ENOMEM;
	return memctl__path_normalize(in, *out, n);
}

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo; undo it in place. */
static void unescape_octal(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 +
				      (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/*
 * If @path (normalized) is @mnt or lies under it, return what follows @mnt
 * ("" or "/rest"); otherwise NULL.
 */
static const char *under(const char *path, const char *mnt)
{
	size_t n = strlen(mnt);

	if (!strcmp(mnt, "/"))
		return path;
	if (strncmp(path, mnt, n) || (path[n] && path[n] != '/'))
		return NULL;
	return path + n;
}

/*
 * The cgroup2 mount of a mount table that holds a path deepest: either a
 * path of the file system, held by the mount point (what a user may type),
 * or a cgroup, held by the part of the hierarchy the mount shows (what the
 * kernel names).
 */
enum mount_side { BY_MOUNT_POINT, BY_ROOT };

struct mount_match {
	bool any;		/* the table lists a cgroup2 mount */
	size_t len;		/* length of the side that holds the path; 0: none */
	char *mnt;		/* its mount point, normalized */
	char *root;		/* the hierarchy root it shows, normalized */
	char *rest;		/* what follows that side in the path: "" or "/..." */
};

static void mount_match_free(struct mount_match *m)
{
	free(m->mnt);
	free(m->root);
	free(m->rest);
}

/*
 * One mountinfo line: if it is a cgroup2 mount whose @side holds @path,
 * deeper than the best so far, keep it.
 */
static int consider_mount(char *line, const char *path, enum mount_side side,
			  struct mount_match *m)
{
	char *field[5], *sep, *fstype, *save = NULL, *tok;
	char *mnt = NULL, *root = NULL, *rest_copy;
	const char *key, *rest;
	int i, err = 0;

	sep = strstr(line, " - ");
	if (!sep)
		return 0;
	*sep = '\0';
	fstype = strtok_r(sep + 3, " \n", &save);
	if (!fstype || strcmp(fstype, "cgroup2"))
		return 0;

	save = NULL;
	for (i = 0, tok = strtok_r(line, " ", &save); i < 5 && tok;
	     i++, tok = strtok_r(NULL, " ", &save))
		field[i] = tok;
	if (i < 5)
		return 0;
	/* field[3] is the root within the hierarchy, field[4] the mount point */
	unescape_octal(field[3]);
	unescape_octal(field[4]);

	err = normalize_dup(field[4], &mnt);
	if (!err)
		err = normalize_dup(field[3], &root);
	if (err) {
		if (err != -ENOMEM)
			err = 0;	/* odd entry: ignore it */
		goto out;
	}

	key = side == BY_ROOT ? root : mnt;
	rest = under(path, key);
	/* the deepest wins, the first of equals; "/" counts as length 1 */
	if (!rest || (m->len && strlen(key) <= m->len))
		goto out;
	rest_copy = strdup(rest);
	if (!rest_copy) {
		err = -ENOMEM;
		goto out;
	}
	m->len = strlen(key);
	mount_match_free(m);
	m->rest = rest_copy;
	m->mnt = mnt;
	m->root = root;
	return 0;
out:
	free(mnt);
	free(root);
	return err;
}

/* @path (normalized) through the table in @mountinfo (NULL: none). */
static int find_mount(const char *mountinfo, const char *path,
		      enum mount_side side, struct mount_match *m)
{
	char *line = NULL;
	size_t cap = 0;
	int err = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = mountinfo ? fopen(mountinfo, "re") : NULL;
	if (!f)
		return 0;
	while (!err && getline(&line, &cap, f) > 0) {
		if (strstr(line, " - cgroup2 "))
			m->any = true;
		err = consider_mount(line, path, side, m);
	}
	fclose(f);
	free(line);
	return err;
}

int memctl__cgroup_normalize_at(const char *mountinfo, const char *arg,
				char *out, size_t len)
{
	struct mount_match m = { 0 };
	char *path = NULL, *joined = NULL;
	int err;

	if (!arg || !out || *arg != '/')
		return -EINVAL;
	err = normalize_dup(arg, &path);
	if (err)
		goto out;

	err = find_mount(mountinfo, path, BY_MOUNT_POINT, &m);
	if (err)
		goto out;
	if (!m.any) {
		const char *rest = under(path, DEFAULT_CGROUP2_MOUNT);

		if (rest) {
			m.len = strlen(DEFAULT_CGROUP2_MOUNT);
			m.rest = strdup(rest);
			m.root = strdup("/");
			if (!m.rest || !m.root) {
				err = -ENOMEM;
				goto out;
			}
		}
	}

	if (m.len) {
		size_t n = strlen(m.root) + strlen(m.rest) + 2;

		joined = malloc(n);
		if (!joined) {
			err = -ENOMEM;
			goto out;
		}
		snprintf(joined, n, "%s/%s", m.root, m.rest);
		err = memctl__path_normalize(joined, out, len);
	} else {
		err = memctl__path_normalize(path, out, len);
	}
	if (!err && strlen(out) >= MEMCTL_CGROUP_PATH_MAX)
		err = -ENAMETOOLONG;
out:
	free(joined);
	mount_match_free(&m);
	free(path);
	return err;
}

MEMCTL_API int memctl_cgroup_normalize(const char *arg, char *out, size_t len)
{
	return memctl__cgroup_normalize_at("/proc/self/mountinfo", arg, out, len);
}

int memctl__cgroup_id_at(const char *mountinfo, const char *cgroup,
			 uint64_t *id)
{
	struct mount_match m = { 0 };
	char *norm = NULL, *full = NULL;
	struct stat st;
	int err;

	if (!cgroup || !id || *cgroup != '/')
		return -EINVAL;
	err = normalize_dup(cgroup, &norm);
	if (!err && strcmp(norm, cgroup))
		err = -EINVAL;		/* not normalized: not what it names */
	if (err)
		goto out;

	err = find_mount(mountinfo, norm, BY_ROOT, &m);
	if (err)
		goto out;
	if (!m.any) {
		m.mnt = strdup(DEFAULT_CGROUP2_MOUNT);
		m.rest = strdup(norm);
		if (!m.mnt || !m.rest) {
			err = -ENOMEM;
			goto out;
		}
	} else if (!m.len) {
		err = -ENOENT;		/* no mount shows this cgroup */
		goto out;
	}
	if (asprintf(&full, "%s%s", strcmp(m.mnt, "/") ? m.mnt : "",
		     !strcmp(m.rest, "/") ? "" : m.rest) < 0) {
		full = NULL;
		err = -ENOMEM;
		goto out;
	}
	if (stat(*full ? full : "/", &st))
		err = -errno;
	else if (!S_ISDIR(st.st_mode))
		err = -ENOTDIR;
	else
		*id = (uint64_t)st.st_ino;
out:
	free(full);
	mount_match_free(&m);
	free(norm);
	return err;
}

MEMCTL_API int memctl_cgroup_id(const char *cgroup, uint64_t *id)
{
	return memctl__cgroup_id_at("/proc/self/mountinfo", cgroup, id);
}
