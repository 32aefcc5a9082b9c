/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctl-top: what memctl-top.bpf.c and memctl-top.c share.
 *
 * The BPF side keeps one struct mt_stats per cgroup id in the `stats' hash
 * map.  Every field only grows; the user side reads the map once per interval
 * and reports the difference from the previous read.
 */
#ifndef MEMCTL_TOP_H
#define MEMCTL_TOP_H

/* Latency histograms have a slot per power of two nanoseconds:
 * slot i counts durations in [2^i, 2^(i+1)) ns, the last slot everything
 * longer (2^39 ns is about 9 minutes).
 */
#define MT_SLOTS	40

/* Cgroups the map can hold (can be raised at load time). */
#define MT_MAX_CGROUPS	10240

/* Prefix of the name of the workqueue memctl.ko reclaims from. */
#define MT_WQ_PREFIX	"memctl"
#define MT_WQ_PREFIX_MAX 24	/* WQ_NAME_LEN */

/* The module whose code, found on the kernel stack, makes a call memctl's. */
#define MT_MODULE	"memctl"
#define MT_STACK_DEPTH	32

/* Value of the `memctl_text' map: where the module's code is, 0 if unloaded. */
struct mt_range {
	__u64 lo;
	__u64 hi;
};

/* Where slab shrink time comes from (the `slab_mode' option). */
enum mt_slab_mode {
	MT_SLAB_NONE,		/* not traced */
	MT_SLAB_FENTRY,		/* fentry/fexit on shrink_slab(): one per memcg pass */
	MT_SLAB_TRACEPOINT,	/* mm_shrink_slab_start/end: one per shrinker call */
};

/* A class of reclaim with a latency histogram: a task stalled in it. */
struct mt_stall {
	__u64 count;
	__u64 total_ns;
	__u64 pages;			/* pages reclaimed, where known */
	__u64 slots[MT_SLOTS];
};

/* A class of reclaim counted without a histogram. */
struct mt_work {
	__u64 count;
	__u64 total_ns;
	__u64 pages;
	__u64 objects;		/* slab objects freed by shrink_slab() */
};

/* Value of the `stats' map, keyed by cgroup id (the cgroup2 inode number). */
struct mt_stats {
	/* global direct reclaim, in the stalled task's cgroup */
	struct mt_stall direct;
	/* memcg limit reclaim (memory.high/max), in the target cgroup */
	struct mt_stall memcg;
	/* memory.reclaim writes (MEMCG_RECLAIM_PROACTIVE), in the target cgroup */
	struct mt_work proactive;
	/* memctl.ko's own reclaim, in the target cgroup: its
	 * try_to_free_mem_cgroup_pages() calls and its own shrink_slab() calls
	 */
	struct mt_work memctl;
	/* shrink_slab() or shrinker calls, in the memcg whose slab is shrunk,
	 * whoever calls them; objects freed in .objects
	 */
	struct mt_work slab;
};

#endif /* MEMCTL_TOP_H */
