// SPDX-License-Identifier: GPL-2.0-only
/*
 * What memctl reads from and asks of a memory cgroup, by route.
 *
 * Each reclaim class, the statistics and the pressure measure have an
 * internal route (a kernel function resolved by ksyms.c, or a structure the
 * headers expose) and an official one (exported functions and the cgroup's
 * own interface files, which work on every kernel memctl supports and under
 * IBT).  The internal route is preferred where it exists; the official one
 * stands in for it otherwise, and where neither is safe the class is
 * reported unavailable with the reason and requests for it are refused:
 * never approximated (a file reclaim must not swap).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/page_counter.h>
#include <linux/slab.h>

#include "memctl.h"
#include "cgfile.h"
#include "ksyms.h"
#include "memcg.h"
#include "sbshrink.h"
#include "stats.h"

/* Shortest window the pressure limit is judged on. */
#define MEMCTL_PSI_WINDOW_NS	(10 * NSEC_PER_MSEC)
/* memory.stat: 7.2's is near 4 KiB with large figures; read more if need be. */
#define MEMCTL_STAT_SIZE	(2 * PAGE_SIZE)
#define MEMCTL_STAT_SIZE_MAX	(32 * PAGE_SIZE)
/* memory.pressure: two lines. */
#define MEMCTL_PSI_SIZE		256

static struct memctl_route memctl_class_routes[MEMCTL_NR_CLASSES] __ro_after_init;
static struct memctl_route memctl_stats_route __ro_after_init;
static struct memctl_route memctl_psi_route __ro_after_init;

/**
 * memctl_memcg_class_route - how a reclaim class is done here
 * @class: enum memctl_class_idx
 *
 * Return: the route, never NULL.
 */
const struct memctl_route *memctl_memcg_class_route(int class)
{
	return &memctl_class_routes[class];
}

const struct memctl_route *memctl_memcg_stats_route(void)
{
	return &memctl_stats_route;
}

const struct memctl_route *memctl_memcg_psi_route(void)
{
	return &memctl_psi_route;
}

/**
 * memctl_memcg_classes - the reclaim classes available on this kernel
 *
 * Return: a MEMCTL_F_CLASS_* mask.
 */
u32 memctl_memcg_classes(void)
{
	u32 classes = 0;
	int i;

	for (i = 0; i < MEMCTL_NR_CLASSES; i++)
		if (memctl_class_routes[i].path != MEMCTL_PATH_UNAVAILABLE)
			classes |= BIT(i);
	return classes;
}

/* ---- statistics ------------------------------------------------------- */

/**
 * memctl_memcg_flush - bring a memcg's counters up to date
 * @memcg: the memory cgroup
 *
 * The kernel keeps per-CPU deltas and folds them lazily.  Fold them for
 * this subtree now where a flush is resolved; memory.stat, the official
 * route, flushes by itself.  May sleep.
 */
void memctl_memcg_flush(struct mem_cgroup *memcg)
{
	might_sleep();
	if (memctl_stats_route.path == MEMCTL_PATH_INTERNAL)
		memctl_ksyms_flush(memcg);
}

/**
 * memctl_memcg_flush_all - bring every memcg's counters up to date at once
 *
 * One pass over the cgroups that changed instead of one per row of a dump.
 */
void memctl_memcg_flush_all(void)
{
	struct cgroup_subsys_state *css;

	might_sleep();
	if (memctl_stats_route.path != MEMCTL_PATH_INTERNAL)
		return;
	css = cgroup_get_e_css(&cgrp_dfl_root.cgrp, &memory_cgrp_subsys);
	if (css) {
		memctl_ksyms_flush(mem_cgroup_from_css(css));
		css_put(css);
	}
}

#ifdef MEMCTL_HAVE_LRUVEC_STATS_INLINE
#define MEMCTL_STATS_INLINE	true
/*
 * A memcg's count of @item, its descendants included, as of the last
 * flush: the per-node counters the headers expose (lruvec_page_state()
 * reads the same, but its fallback for a disabled controller calls
 * node_page_state(), which is not exported).
 */
static bool memctl_memcg_state(struct mem_cgroup *memcg,
			       enum node_stat_item item, u64 *value)
{
	u64 sum = 0;
	int nid;

	for_each_node_state(nid, N_MEMORY) {
		long x = READ_ONCE(memcg->nodeinfo[nid]->lruvec_stats.state[item]);

		sum += x > 0 ? x : 0;
	}
	*value = sum;
	return true;
}
#else
#define MEMCTL_STATS_INLINE	false
static bool memctl_memcg_state(struct mem_cgroup *memcg,
			       enum node_stat_item item, u64 *value)
{
	long x;

	if (!memctl_ksyms.memcg_page_state)
		return false;
	x = memctl_ksyms.memcg_page_state(memcg, item);
	*value = x > 0 ? x : 0;
	return true;
}
#endif

/* The counters from memory.stat, the official route. */
static void memctl_memcg_read_file(struct mem_cgroup *memcg,
				   struct memctl_memcg_counters *c)
{
	size_t size = MEMCTL_STAT_SIZE;
	u64 anon, file;
	ssize_t len;
	char *buf;

	/* memory.stat grows with each kernel and with its figures' digits. */
	for (;;) {
		buf = kvmalloc(size, GFP_KERNEL);
		if (!buf)
			return;
		len = memctl_cgfile_read(memcg->css.cgroup, "memory.stat", buf,
					 size);
		if (len != -EOVERFLOW || size >= MEMCTL_STAT_SIZE_MAX)
			break;
		kvfree(buf);
		size *= 4;
	}
	if (len > 0) {
		memctl_cgfile_value(buf, "slab_reclaimable", &c->slab_reclaimable);
		memctl_cgfile_value(buf, "slab_unreclaimable",
				    &c->slab_unreclaimable);
		memctl_cgfile_value(buf, "file", &c->file);
		memctl_cgfile_value(buf, "anon", &c->anon);
		if (memctl_cgfile_value(buf, "workingset_refault_anon", &anon))
			c->refaults += anon;
		if (memctl_cgfile_value(buf, "workingset_refault_file", &file))
			c->refaults += file;
	}
	kvfree(buf);
}

/**
 * memctl_memcg_read - read a memcg's counters
 * @memcg: the memory cgroup
 * @c: where to put them, in bytes
 *
 * Usage and swap are exact; the others are as of the last flush and
 * include the memcg's descendants, like memory.stat.
 */
void memctl_memcg_read(struct mem_cgroup *memcg,
		       struct memctl_memcg_counters *c)
{
	u64 file = 0, anon = 0;

	memset(c, 0, sizeof(*c));
	c->usage = (u64)page_counter_read(&memcg->memory) << PAGE_SHIFT;
	c->swap = (u64)page_counter_read(&memcg->swap) << PAGE_SHIFT;
	if (memctl_stats_route.path != MEMCTL_PATH_INTERNAL) {
		memctl_memcg_read_file(memcg, c);
		return;
	}
	memctl_memcg_state(memcg, NR_SLAB_RECLAIMABLE_B, &c->slab_reclaimable);
	memctl_memcg_state(memcg, NR_SLAB_UNRECLAIMABLE_B,
			   &c->slab_unreclaimable);
	memctl_memcg_state(memcg, NR_FILE_PAGES, &file);
	memctl_memcg_state(memcg, NR_ANON_MAPPED, &anon);
	c->file = file << PAGE_SHIFT;
	c->anon = anon << PAGE_SHIFT;
	memctl_memcg_state(memcg, WORKINGSET_REFAULT_ANON, &anon);
	memctl_memcg_state(memcg, WORKINGSET_REFAULT_FILE, &file);
	c->refaults = anon + file;
}

/* ---- reclaim ---------------------------------------------------------- */

/**
 * memctl_memcg_reclaim - the kernel's reclaim of a memcg's LRUs
 * @memcg: the memory cgroup
 * @bytes: how much to reclaim
 * @anon: anonymous memory too (through swap); otherwise page cache only
 *
 * The internal route calls try_to_free_mem_cgroup_pages(); the official one
 * writes to the cgroup's memory.reclaim, with "swappiness=0" for page cache
 * only (the file class is unavailable where memory.reclaim lacks the key).
 *
 * Return: pages the kernel says it reclaimed: the internal route's count,
 * or what memory.reclaim was asked when it succeeded; 0 when it does not
 * say (the counters tell).
 */
unsigned long memctl_memcg_reclaim(struct mem_cgroup *memcg, u64 bytes,
				   bool anon)
{
	int class = anon ? MEMCTL_CLASS_ANON : MEMCTL_CLASS_FILE;
	unsigned long pages = max_t(u64, bytes >> PAGE_SHIFT, 1);
	char text[48];

	if (memctl_class_routes[class].path == MEMCTL_PATH_INTERNAL)
		return memctl_ksyms_reclaim(memcg, pages, anon);
	snprintf(text, sizeof(text), "%llu%s", (u64)pages << PAGE_SHIFT,
		 anon ? "" : " swappiness=0");
	/*
	 * memory.reclaim succeeds once it has reclaimed what it was asked;
	 * -EAGAIN: less than that, and the counters tell how much.
	 */
	if (memctl_cgfile_write(memcg->css.cgroup, "memory.reclaim", text))
		return 0;
	return pages;
}

/**
 * memctl_memcg_shrink - one memcg's slab shrinkers on one node
 * @sbs: the official route's superblocks (memctl_sbshrink_begin()), or NULL
 *       on the internal route
 * @memcg: the memory cgroup, online
 * @nid: the node
 * @priority: scan about 2 * objects >> @priority, 0 = all
 * @contended: set when the kernel's shrinker lock was contended, so that
 *             the call may have freed less than there was (internal route
 *             before 6.7); left alone otherwise
 *
 * Return: objects freed.
 */
unsigned long memctl_memcg_shrink(struct memctl_sbshrink *sbs,
				  struct mem_cgroup *memcg, int nid,
				  int priority, bool *contended)
{
	if (memctl_class_routes[MEMCTL_CLASS_SLAB].path == MEMCTL_PATH_INTERNAL)
		return memctl_ksyms_shrink_slab(GFP_KERNEL, nid, memcg,
						priority, contended);
	return sbs ? memctl_sbshrink(sbs, memcg, nid, priority) : 0;
}

/* ---- pressure --------------------------------------------------------- */

/**
 * memctl_psi_enforced - are pressure limits enforced?
 *
 * Pressure needs PSI for cgroups.  When the kernel's switch could not be
 * resolved, each run checks its cgroup, which has no PSI if it is off.
 *
 * Return: false if pressure limits are known to be ignored.
 */
bool memctl_psi_enforced(void)
{
	if (memctl_psi_route.path == MEMCTL_PATH_UNAVAILABLE)
		return false;
	if (memctl_ksyms.psi_cgroups_enabled)
		return static_key_enabled(memctl_ksyms.psi_cgroups_enabled);
	return true;
}

/* memory.pressure's "some total=" in us: the official route. */
static bool memctl_psi_file(struct cgroup *cgrp, u64 *some_us)
{
	char buf[MEMCTL_PSI_SIZE];

	return memctl_cgfile_read(cgrp, "memory.pressure", buf,
				  sizeof(buf)) > 0 &&
	       memctl_cgfile_value(buf, "some total", some_us);
}

/**
 * memctl_psi_begin - start measuring a cgroup's memory pressure
 * @ps: the measure, zeroed
 * @cgrp: the cgroup, referenced for as long as @ps is used
 */
void memctl_psi_begin(struct memctl_psi *ps, struct cgroup *cgrp)
{
	ps->cgrp = cgrp;
	if (!memctl_psi_enforced())
		return;
	ps->on = memctl_psi_file(cgrp, &ps->some_us);
	ps->since = ktime_get_ns();
}

/**
 * memctl_psi_rate - the cgroup's memory "some" stall since the last call
 * @ps: the measure
 *
 * Return: us of stall per s of wall time, or -1 while the window is too
 * short (or nothing is measured); starts a new window.
 */
s64 memctl_psi_rate(struct memctl_psi *ps)
{
	u64 now = ktime_get_ns(), wall = now - ps->since, stall, some;

	if (!ps->on || wall < MEMCTL_PSI_WINDOW_NS ||
	    !memctl_psi_file(ps->cgrp, &some))
		return -1;
	stall = div64_u64((some - ps->some_us) * NSEC_PER_SEC, wall);
	ps->some_us = some;
	ps->since = now;
	return min_t(u64, stall, USEC_PER_SEC);
}

void memctl_psi_end(struct memctl_psi *ps)
{
	ps->on = false;
}

/* ---- load time -------------------------------------------------------- */

static void memctl_route_set(struct memctl_route *r, u32 path,
			     const char *why)
{
	r->path = path;
	r->why = path == MEMCTL_PATH_UNAVAILABLE ? why : NULL;
}

static const char *const memctl_class_names[MEMCTL_NR_CLASSES] = {
	[MEMCTL_CLASS_SLAB] = "slab",
	[MEMCTL_CLASS_FILE] = "file",
	[MEMCTL_CLASS_ANON] = "anon",
};

static const char *memctl_path_name(u32 path)
{
	switch (path) {
	case MEMCTL_PATH_INTERNAL:
		return "internal";
	case MEMCTL_PATH_OFFICIAL:
		return "official";
	default:
		return "unavailable";
	}
}

/**
 * memctl_memcg_init - choose a route for each thing memctl does
 *
 * After memctl_ksyms_init().  Probes the official routes on the root
 * cgroup: memory.reclaim's swappiness key with a request for 0 bytes.
 *
 * Return: 0.
 */
int memctl_memcg_init(void)
{
	struct cgroup *root = &cgrp_dfl_root.cgrp;
	bool ttfmcp = memctl_ksyms.try_to_free_mem_cgroup_pages;
	int reclaim, swappiness, sb, i;
	u64 some;

	reclaim = memctl_cgfile_write(root, "memory.reclaim", "0");
	swappiness = reclaim ?: memctl_cgfile_write(root, "memory.reclaim",
						   "0 swappiness=0");
	sb = memctl_sbshrink_available();

	if (memctl_ksyms.shrink_slab)
		memctl_route_set(&memctl_class_routes[MEMCTL_CLASS_SLAB],
				 MEMCTL_PATH_INTERNAL, NULL);
	else
		memctl_route_set(&memctl_class_routes[MEMCTL_CLASS_SLAB],
				 sb ? MEMCTL_PATH_UNAVAILABLE : MEMCTL_PATH_OFFICIAL,
				 "the slab reclaim class is unavailable on this kernel: shrink_slab is not usable and the superblocks cannot be listed (/proc/filesystems is not readable)");

	if (ttfmcp)
		memctl_route_set(&memctl_class_routes[MEMCTL_CLASS_FILE],
				 MEMCTL_PATH_INTERNAL, NULL);
	else
		memctl_route_set(&memctl_class_routes[MEMCTL_CLASS_FILE],
				 swappiness ? MEMCTL_PATH_UNAVAILABLE :
					      MEMCTL_PATH_OFFICIAL,
				 "the file reclaim class is unavailable on this kernel: try_to_free_mem_cgroup_pages is not usable and its memory.reclaim has no swappiness= key, so it could swap anonymous memory");

	if (ttfmcp)
		memctl_route_set(&memctl_class_routes[MEMCTL_CLASS_ANON],
				 MEMCTL_PATH_INTERNAL, NULL);
	else
		memctl_route_set(&memctl_class_routes[MEMCTL_CLASS_ANON],
				 reclaim ? MEMCTL_PATH_UNAVAILABLE :
					   MEMCTL_PATH_OFFICIAL,
				 "the anon reclaim class is unavailable on this kernel: try_to_free_mem_cgroup_pages is not usable and memory.reclaim is not");

	/* Counters that nothing flushes lag by up to 2 s: memory.stat then. */
	if ((MEMCTL_STATS_INLINE || memctl_ksyms.memcg_page_state) &&
	    (memctl_ksyms.rstat_flush || memctl_ksyms.mem_cgroup_flush_stats))
		memctl_route_set(&memctl_stats_route, MEMCTL_PATH_INTERNAL, NULL);
	else
		memctl_route_set(&memctl_stats_route, MEMCTL_PATH_OFFICIAL, NULL);

	if (!IS_ENABLED(CONFIG_PSI))
		memctl_route_set(&memctl_psi_route, MEMCTL_PATH_UNAVAILABLE,
				 "pressure limits are unavailable: this kernel is built without PSI");
	else
		memctl_route_set(&memctl_psi_route,
				 memctl_psi_file(root, &some) ?
				 MEMCTL_PATH_OFFICIAL : MEMCTL_PATH_UNAVAILABLE,
				 "pressure limits are unavailable: cgroups have no memory.pressure (psi=0 or cgroup_disable=pressure)");

	for (i = 0; i < MEMCTL_NR_CLASSES; i++) {
		const struct memctl_route *r = &memctl_class_routes[i];

		if (r->why)
			pr_info("%s\n", r->why);
		else
			pr_info("%s reclaim: %s route\n", memctl_class_names[i],
				memctl_path_name(r->path));
	}
	pr_info("statistics: %s route; pressure: %s route\n",
		memctl_path_name(memctl_stats_route.path),
		memctl_path_name(memctl_psi_route.path));
	return 0;
}
