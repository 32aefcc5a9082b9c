/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Slab reclaim through the superblocks' own shrinkers: the official route
 * to one memcg's dentries and inodes when shrink_slab() is not usable.
 */
#ifndef _MEMCTL_SBSHRINK_H
#define _MEMCTL_SBSHRINK_H

#include <linux/types.h>

struct mem_cgroup;
struct memctl_sbshrink;

struct memctl_sbshrink *memctl_sbshrink_begin(void);
unsigned long memctl_sbshrink(struct memctl_sbshrink *s,
			      struct mem_cgroup *memcg, int nid, int priority);
void memctl_sbshrink_end(struct memctl_sbshrink *s);
int memctl_sbshrink_available(void);

#endif /* _MEMCTL_SBSHRINK_H */
