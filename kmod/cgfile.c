// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cgroup's interface files, through their cftype handlers.
 *
 * Each file of a cgroup2 directory is a kernfs node whose private data is
 * its struct cftype; the kernel reaches the handlers through pointers (so
 * they keep their ENDBR under IBT).  memctl finds the node by name with the
 * exported kernfs_find_and_get_ns() and calls the handler with an open-file
 * record of its own that names the node, which is all the memory
 * controller's and PSI's handlers read.  No mount of cgroup2 is needed
 * (none may be visible from the caller), nothing is written to any
 * mount's options, and the handlers do their own locking and their own
 * flushing of statistics (memory.stat's when enough updates are pending),
 * as for every reader of the files.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cgfile.h"

/* What a handler sees of an open file. */
struct memctl_cgfile {
	struct kernfs_open_file of;
	struct seq_file seq;
};

static struct memctl_cgfile *memctl_cgfile_open(struct cgroup *cgrp,
						const char *name,
						const struct cftype **cftp)
{
	struct memctl_cgfile *f;
	struct kernfs_node *kn;

	kn = kernfs_find_and_get(cgrp->kn, name);
	if (!kn)
		return ERR_PTR(-ENOENT);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		kernfs_put(kn);
		return ERR_PTR(-ENOMEM);
	}
	f->of.kn = kn;
	f->of.seq_file = &f->seq;
	mutex_init(&f->of.mutex);
	mutex_init(&f->seq.lock);
	f->seq.private = &f->of;
	*cftp = kn->priv;
	return f;
}

static void memctl_cgfile_close(struct memctl_cgfile *f)
{
	kernfs_put(f->of.kn);
	kfree(f);
}

/**
 * memctl_cgfile_read - read one of a cgroup's files
 * @cgrp: the cgroup
 * @name: the file, e.g. "memory.stat"
 * @buf: where to put its text, NUL-terminated
 * @size: size of @buf
 *
 * Return: the length of the text, -ENOENT (no such file), -EOPNOTSUPP (not
 * a file memctl can read), -EOVERFLOW (@buf too small) or the handler's
 * error.
 */
ssize_t memctl_cgfile_read(struct cgroup *cgrp, const char *name, char *buf,
			   size_t size)
{
	const struct cftype *cft;
	struct memctl_cgfile *f;
	ssize_t ret;

	if (size < 2)
		return -EOVERFLOW;
	f = memctl_cgfile_open(cgrp, name, &cft);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = -EOPNOTSUPP;
	if (!cft || !cft->seq_show || cft->seq_start)
		goto out_close;
	f->seq.buf = buf;
	f->seq.size = size - 1;
	ret = cft->seq_show(&f->seq, NULL);
	if (ret)
		goto out_close;
	ret = -EOVERFLOW;
	if (seq_has_overflowed(&f->seq))
		goto out_close;
	buf[f->seq.count] = '\0';
	ret = f->seq.count;
out_close:
	memctl_cgfile_close(f);
	return ret;
}

/**
 * memctl_cgfile_write - write to one of a cgroup's files
 * @cgrp: the cgroup
 * @name: the file, e.g. "memory.reclaim"
 * @text: what to write
 *
 * May sleep for as long as the handler works (memory.reclaim reclaims).
 *
 * Return: 0, -ENOENT, -EOPNOTSUPP, -ENOMEM or the handler's error (such as
 * -EAGAIN from memory.reclaim when it freed less than asked).
 */
int memctl_cgfile_write(struct cgroup *cgrp, const char *name,
			const char *text)
{
	const struct cftype *cft;
	struct memctl_cgfile *f;
	size_t len = strlen(text);
	ssize_t ret;
	char *buf;

	f = memctl_cgfile_open(cgrp, name, &cft);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = -EOPNOTSUPP;
	if (!cft || !cft->write)
		goto out_close;
	/* Handlers may change the text in place (strstrip, strsep). */
	ret = -ENOMEM;
	buf = kmemdup(text, len + 1, GFP_KERNEL);
	if (!buf)
		goto out_close;
	ret = cft->write(&f->of, buf, len, 0);
	kfree(buf);
	if (ret >= 0)
		ret = 0;
out_close:
	memctl_cgfile_close(f);
	return ret;
}

/**
 * memctl_cgfile_value - the value of a key in a file's text
 * @text: lines of "key value" (memory.stat) or of "key a=1 b=2" (PSI)
 * @key: a line's first word, or "word field" for a field of that line
 *       ("some total")
 * @value: where to put the number
 *
 * Return: true if found.
 */
bool memctl_cgfile_value(const char *text, const char *key, u64 *value)
{
	const char *field = strchr(key, ' ');
	size_t klen = field ? field - key : strlen(key);
	const char *line = text;
	char num[24];

	while (line && *line) {
		const char *end = strchrnul(line, '\n');
		const char *v = NULL;

		if (end - line > klen && !strncmp(line, key, klen) &&
		    line[klen] == ' ') {
			if (!field) {
				v = line + klen + 1;
			} else {
				size_t flen = strlen(field + 1);
				const char *p = line + klen;

				/* " name=" within this line */
				while ((p = strnstr(p, field, end - p))) {
					if (p[flen + 1] == '=') {
						v = p + flen + 2;
						break;
					}
					p++;
				}
			}
		}
		if (v) {
			size_t n = strcspn(v, "\n ");

			if (n && n < sizeof(num)) {
				memcpy(num, v, n);
				num[n] = '\0';
				return !kstrtou64(num, 10, value);
			}
			return false;
		}
		line = *end ? end + 1 : NULL;
	}
	return false;
}
