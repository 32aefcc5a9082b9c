/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A cgroup's own interface files (memory.stat, memory.pressure,
 * memory.reclaim), used through their handlers: the official way to read
 * and drive a memory cgroup on kernels where memctl resolves no internal
 * symbol.
 */
#ifndef _MEMCTL_CGFILE_H
#define _MEMCTL_CGFILE_H

#include <linux/types.h>

struct cgroup;

ssize_t memctl_cgfile_read(struct cgroup *cgrp, const char *name, char *buf,
			   size_t size);
int memctl_cgfile_write(struct cgroup *cgrp, const char *name,
			const char *text);
bool memctl_cgfile_value(const char *text, const char *key, u64 *value);

#endif /* _MEMCTL_CGFILE_H */
