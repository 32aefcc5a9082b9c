/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cgroup lookup, visibility and paths (kmod/cgroup.c).
 */
#ifndef _MEMCTL_CGROUP_H
#define _MEMCTL_CGROUP_H

#include <linux/types.h>

struct cgroup;
struct netlink_ext_ack;
struct nlattr;

struct cgroup *memctl_cgroup_get(struct nlattr **attrs, int path_attr,
				 int id_attr, struct netlink_ext_ack *extack);
struct cgroup *memctl_cgroup_ns_root(void);
bool memctl_cgroup_visible(struct cgroup *cgrp);
char *memctl_cgroup_path(struct cgroup *cgrp, char *buf, size_t len);
int memctl_cgroup_path_from(struct cgroup *cgrp, struct cgroup *root,
			    char *buf, size_t len);

#endif /* _MEMCTL_CGROUP_H */
