/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels memctl builds for.  This file is
 * force-included into every object of the module (see Kbuild); the .c files
 * never test LINUX_VERSION_CODE themselves.
 */
#ifndef _MEMCTL_COMPAT_H
#define _MEMCTL_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#error "memctl supports Linux 6.1 (Debian 12) only; see Documentation/admin-guide.rst"
#endif

#ifndef CONFIG_MEMCG
#error "memctl needs CONFIG_MEMCG"
#endif

#ifndef CONFIG_64BIT
#error "memctl needs a 64-bit kernel (cgroup ids are table keys)"
#endif

#endif /* _MEMCTL_COMPAT_H */
