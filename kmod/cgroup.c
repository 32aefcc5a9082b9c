// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cgroups as memctl's requests and events name them: the lookup of a
 * request's cgroup, the visibility rule (a cgroup is visible when it is at
 * or below the root of the reader's cgroup namespace) and paths relative to
 * that root.  Every other file asks here; none formats a path itself.
 */
#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/memcontrol.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "memctl.h"
#include "cgroup.h"

/* Is @path "/" or "/a/b" with no empty, "." or ".." component? */
static bool memctl_cgroup_path_normalized(const char *path)
{
	const char *c = path;

	if (*c != '/')
		return false;
	if (!c[1])
		return true;
	while (*c == '/') {
		const char *next = strchrnul(c + 1, '/');
		size_t len = next - (c + 1);

		if (!len || (len == 1 && c[1] == '.') ||
		    (len == 2 && c[1] == '.' && c[2] == '.'))
			return false;
		c = next;
	}
	return true;
}

/**
 * memctl_cgroup_ns_root - the root of the caller's cgroup namespace
 *
 * Return: that root on the cgroup2 hierarchy (no reference taken), or
 * NULL for a task without a namespace (exiting).
 */
struct cgroup *memctl_cgroup_ns_root(void)
{
	struct nsproxy *ns = current->nsproxy;

	if (!ns || !ns->cgroup_ns)
		return NULL;
	return ns->cgroup_ns->root_cset->dfl_cgrp;
}

/**
 * memctl_cgroup_visible - may the caller see this cgroup?
 * @cgrp: the cgroup
 *
 * Return: true if @cgrp is inside the caller's cgroup namespace.
 */
bool memctl_cgroup_visible(struct cgroup *cgrp)
{
	struct cgroup *root = memctl_cgroup_ns_root();

	return !root || cgroup_is_descendant(cgrp, root);
}

/**
 * memctl_cgroup_path - the path of a cgroup as the caller sees it
 * @cgrp: the cgroup
 * @buf: where to write it
 * @len: size of @buf
 *
 * Paths are relative to the root of the caller's cgroup namespace, like
 * /proc/self/cgroup; from a kernel worker that is the cgroup2 root.  The
 * same function as events use for their subscribers' roots.
 *
 * Return: @buf, or NULL if the path does not fit.
 */
char *memctl_cgroup_path(struct cgroup *cgrp, char *buf, size_t len)
{
	struct cgroup *root = memctl_cgroup_ns_root() ?: &cgrp_dfl_root.cgrp;
	int ret = memctl_cgroup_path_from(cgrp, root, buf, len);

	if (ret < 0 || ret >= len)
		return NULL;
	return buf;
}

/**
 * memctl_cgroup_get - the cgroup a request names
 * @attrs: the request's attributes
 * @path_attr: index of its CGROUP_PATH attribute
 * @id_attr: index of its CGROUP_ID attribute
 * @extack: for the reason of a refusal
 *
 * The cgroup must exist, be visible in the caller's cgroup namespace, be
 * online and have the memory controller enabled.  Path and id, when both
 * are given, must name the same cgroup.
 *
 * Return: the cgroup with a reference (cgroup_put() it), or an ERR_PTR.
 */
struct cgroup *memctl_cgroup_get(struct nlattr **attrs, int path_attr,
				 int id_attr, struct netlink_ext_ack *extack)
{
	struct nlattr *pa = attrs[path_attr], *ia = attrs[id_attr];
	struct nlattr *bad = pa ?: ia;
	struct cgroup_subsys_state *css;
	struct cgroup *cgrp;

	if (!pa && !ia) {
		NL_SET_ERR_MSG(extack,
			       "a cgroup is required: give its path or its id");
		NL_SET_ERR_ATTR_MISS(extack, NULL, path_attr);
		return ERR_PTR(-EINVAL);
	}

	if (pa) {
		const char *path = nla_data(pa);

		if (!memctl_cgroup_path_normalized(path)) {
			NL_SET_ERR_MSG_ATTR(extack, pa,
					    "cgroup path must start with '/' and have no empty, '.' or '..' component, nor a trailing '/'");
			return ERR_PTR(-EINVAL);
		}
		cgrp = cgroup_get_from_path(path);
		if (IS_ERR(cgrp)) {
			NL_SET_ERR_MSG_ATTR(extack, pa,
					    "no such cgroup under the cgroup2 root");
			return ERR_PTR(-ENOENT);
		}
		if (ia && cgroup_id(cgrp) != nla_get_u64(ia)) {
			cgroup_put(cgrp);
			NL_SET_ERR_MSG_ATTR(extack, ia,
					    "cgroup path and cgroup id name different cgroups");
			return ERR_PTR(-EINVAL);
		}
	} else {
		cgrp = cgroup_get_from_id(nla_get_u64(ia));
		if (IS_ERR(cgrp)) {
			NL_SET_ERR_MSG_ATTR(extack, ia, "no cgroup has this id");
			return ERR_PTR(-ENOENT);
		}
	}

	if (!(READ_ONCE(cgrp->self.flags) & CSS_ONLINE) ||
	    !memctl_cgroup_visible(cgrp)) {
		cgroup_put(cgrp);
		NL_SET_ERR_MSG_ATTR(extack, bad, "no such cgroup");
		return ERR_PTR(-ENOENT);
	}

	css = cgroup_get_e_css(cgrp, &memory_cgrp_subsys);
	if (css->cgroup != cgrp) {
		css_put(css);
		cgroup_put(cgrp);
		NL_SET_ERR_MSG_ATTR(extack, bad,
				    "the memory controller is not enabled for this cgroup (add +memory to its parent's cgroup.subtree_control)");
		return ERR_PTR(-EOPNOTSUPP);
	}
	css_put(css);
	return cgrp;
}

/**
 * memctl_cgroup_path_from - the path of a cgroup below another
 * @cgrp: the cgroup
 * @root: an ancestor of @cgrp (or @cgrp itself), the root of a reader's
 *	cgroup namespace
 * @buf: where to write it
 * @len: size of @buf
 *
 * What cgroup_path_ns() gives for a namespace rooted at @root, read without
 * cgroup_mutex (events are built under the policy table's mutex and from the
 * reclaim worker).
 *
 * Return: the length of the full path (which may not have fit in @buf), or
 * a negative errno.
 */
int memctl_cgroup_path_from(struct cgroup *cgrp, struct cgroup *root,
			    char *buf, size_t len)
{
	return kernfs_path_from_node(cgrp->kn, root->kn, buf, len);
}
