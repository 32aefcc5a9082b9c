/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels memctl builds for.  This file is
 * force-included into every object of the module (see Kbuild); the .c files
 * never test LINUX_VERSION_CODE themselves.  What a kernel's headers declare
 * is probed at build time (probe.sh, into probes.h) rather than inferred
 * from its version, so that backports are recognised.  Whole functions that
 * differ between kernels live in the compat files of their subsystem.
 */
#ifndef _MEMCTL_COMPAT_H
#define _MEMCTL_COMPAT_H

#include <linux/version.h>

#include "probes.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "memctl needs Linux 6.1 or later (the oldest supported kernel is Debian 12's 6.1); see Documentation/admin-guide.rst"
#endif

#ifndef CONFIG_MEMCG
#error "memctl needs CONFIG_MEMCG"
#endif

#ifndef CONFIG_64BIT
#error "memctl needs a 64-bit kernel (cgroup ids are table keys)"
#endif

/*
 * Generic netlink: on 6.12 and 7.x the family's pre_doit gets the split
 * operation (struct genl_split_ops) and a dump's parsed attributes sit in
 * an embedded genl_info; 6.1 passes struct genl_ops and keeps them in
 * genl_dumpit_info's own attrs.
 */
#ifdef MEMCTL_HAVE_GENL_SPLIT_OPS
#define memctl_genl_pre_ops		genl_split_ops
#else
#define memctl_genl_pre_ops		genl_ops
#endif
#ifdef MEMCTL_HAVE_GENL_DUMPIT_INFO_INFO
#define memctl_genl_dumpit_attrs(di)	((di)->info.attrs)
#else
#define memctl_genl_dumpit_attrs(di)	((di)->attrs)
#endif

#endif /* _MEMCTL_COMPAT_H */
