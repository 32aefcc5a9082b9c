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

struct best {
	size_t mnt_len;		/* 0: none found */
	char *root;		/* hierarchy root the mount shows */
	char *rest;		/* what follows the mount point in the argument */
};

/* One mountinfo line: if it is a cgroup2 mount that holds @path, keep it. */
static int consider_line(char *line, const char *path, struct best *best)
{
	char *field[5], *sep, *fstype, *save = NULL, *tok;
	char *mnt = NULL, *root = NULL;
	const char *rest;
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

	mnt = malloc(strlen(field[4]) + 2);
	root = malloc(strlen(field[3]) + 2);
	if (!mnt || !root) {
		err = -ENOMEM;
		goto out;
	}
	if (memctl__path_normalize(field[4], mnt, strlen(field[4]) + 2) ||
	    memctl__path_normalize(field[3], root, strlen(field[3]) + 2))
		goto out;	/* odd entry: ignore it */

	rest = under(path, mnt);
	if (!rest || (best->mnt_len && strlen(mnt) <= best->mnt_len))
		goto out;
	if (!strcmp(mnt, "/"))
		best->mnt_len = 1;
	else
		best->mnt_len = strlen(mnt);
	free(best->rest);
	best->rest = strdup(rest);
	free(best->root);
	best->root = root;
	root = NULL;
	if (!best->rest)
		err = -ENOMEM;
out:
	free(mnt);
	free(root);
	return err;
}

int memctl__cgroup_normalize_at(const char *mountinfo, const char *arg,
				char *out, size_t len)
{
	struct best best = { 0 };
	char *path = NULL, *line = NULL, *joined = NULL;
	size_t cap = 0, plen;
	bool any = false;
	FILE *f;
	int err;

	if (!arg || !out || *arg != '/')
		return -EINVAL;
	plen = strlen(arg) + 2;
	path = malloc(plen);
	if (!path)
		return -ENOMEM;
	err = memctl__path_normalize(arg, path, plen);
	if (err)
		goto out;

	f = mountinfo ? fopen(mountinfo, "re") : NULL;
	if (f) {
		while (getline(&line, &cap, f) > 0) {
			if (strstr(line, " - cgroup2 "))
				any = true;
			err = consider_line(line, path, &best);
			if (err)
				break;
		}
		fclose(f);
		if (err)
			goto out;
	}
	if (!any) {
		const char *rest = under(path, DEFAULT_CGROUP2_MOUNT);

		if (rest) {
			best.mnt_len = strlen(DEFAULT_CGROUP2_MOUNT);
			best.rest = strdup(rest);
			best.root = strdup("/");
			if (!best.rest || !best.root) {
				err = -ENOMEM;
				goto out;
			}
		}
	}

	if (best.mnt_len) {
		size_t n = strlen(best.root) + strlen(best.rest) + 2;

		joined = malloc(n);
		if (!joined) {
			err = -ENOMEM;
			goto out;
		}
		snprintf(joined, n, "%s/%s", best.root, best.rest);
		err = memctl__path_normalize(joined, out, len);
	} else {
		err = memctl__path_normalize(path, out, len);
	}
	if (!err && strlen(out) >= MEMCTL_CGROUP_PATH_MAX)
		err = -ENAMETOOLONG;
out:
	free(joined);
	free(best.rest);
	free(best.root);
	free(line);
	free(path);
	return err;
}

MEMCTL_API int memctl_cgroup_normalize(const char *arg, char *out, size_t len)
{
	return memctl__cgroup_normalize_at("/proc/self/mountinfo", arg, out, len);
}

/*
 * One mountinfo line: if it is a cgroup2 mount whose root holds @cgroup,
 * deeper than the best so far, keep its mount point and what follows the
 * root in @cgroup.
 */
static int consider_mount(char *line, const char *cgroup, struct best *best)
{
	char *field[5], *sep, *fstype, *save = NULL, *tok, *root = NULL;
	const char *rest;
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
	unescape_octal(field[3]);
	unescape_octal(field[4]);
	root = malloc(strlen(field[3]) + 2);
	if (!root)
		return -ENOMEM;
	if (memctl__path_normalize(field[3], root, strlen(field[3]) + 2))
		goto out;
	rest = under(cgroup, root);
	/* the deepest root wins; "/" counts as length 1 */
	if (!rest || (best->mnt_len && strlen(root) <= best->mnt_len))
		goto out;
	best->mnt_len = strlen(root);
	free(best->rest);
	free(best->root);
	best->rest = strdup(rest);
	best->root = strdup(field[4]);	/* here: the mount point */
	if (!best->rest || !best->root)
		err = -ENOMEM;
out:
	free(root);
	return err;
}

int memctl__cgroup_id_at(const char *mountinfo, const char *cgroup,
			 uint64_t *id)
{
	struct best best = { 0 };
	char *norm = NULL, *line = NULL, *full = NULL;
	size_t cap = 0, n;
	bool any = false;
	struct stat st;
	FILE *f;
	int err;

	if (!cgroup || !id || *cgroup != '/')
		return -EINVAL;
	n = strlen(cgroup) + 2;
	norm = malloc(n);
	if (!norm)
		return -ENOMEM;
	err = memctl__path_normalize(cgroup, norm, n);
	if (!err && strcmp(norm, cgroup))
		err = -EINVAL;		/* not normalized: not what it names */
	if (err)
		goto out;

	f = mountinfo ? fopen(mountinfo, "re") : NULL;
	if (f) {
		while (!err && getline(&line, &cap, f) > 0) {
			if (strstr(line, " - cgroup2 "))
				any = true;
			err = consider_mount(line, norm, &best);
		}
		fclose(f);
		if (err)
			goto out;
	}
	if (!any) {
		best.root = strdup(DEFAULT_CGROUP2_MOUNT);
		best.rest = strdup(norm);
		if (!best.root || !best.rest) {
			err = -ENOMEM;
			goto out;
		}
	} else if (!best.mnt_len) {
		err = -ENOENT;		/* no mount shows this cgroup */
		goto out;
	}
	if (asprintf(&full, "%s%s", strcmp(best.root, "/") ? best.root : "",
		     !strcmp(best.rest, "/") ? "" : best.rest) < 0) {
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
	free(best.rest);
	free(best.root);
	free(line);
	free(norm);
	return err;
}

MEMCTL_API int memctl_cgroup_id(const char *cgroup, uint64_t *id)
{
	return memctl__cgroup_id_at("/proc/self/mountinfo", cgroup, id);
}
