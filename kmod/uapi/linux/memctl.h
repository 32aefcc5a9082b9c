/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * memctl: per-cgroup memory control over generic netlink.
 *
 * This header is the one source of truth for the "memctl" generic netlink
 * family: the kernel module and libmemctl both build from it, and
 * Documentation/netlink/memctl.yaml describes the same family (a test keeps
 * the two in step).
 *
 * A cgroup is named by its cgroup v2 path relative to the cgroup2 root
 * ("/app.slice/web", normalized: leading '/', no "//", "." or "..", no
 * trailing '/') or by its id (the inode number of the cgroup directory).
 * When both are given they must name the same cgroup.  Every reply that is
 * about a cgroup carries both.
 *
 * Sizes are bytes, durations of work are nanoseconds, intervals are
 * milliseconds.  All u64 attributes are padded with the set's PAD attribute.
 *
 * Commands and their attributes ("+" required, "?" optional, "<" in replies):
 *
 * MEMCTL_CMD_GET_INFO           anyone
 *   < MEMCTL_A_INFO_VERSION         string, module version
 *   < MEMCTL_A_INFO_KERNEL          string, kernel release
 *   < MEMCTL_A_INFO_FEATURES        u32, MEMCTL_F_FEAT_* mask
 *   < MEMCTL_A_INFO_CLASSES         u32, MEMCTL_F_CLASS_* this kernel can reclaim
 *   < MEMCTL_A_INFO_MAX_POLICIES    u32, module parameter max_policies
 *   < MEMCTL_A_INFO_NR_POLICIES     u32, policies in the table now
 *   < MEMCTL_A_INFO_ROUTE_{SLAB,FILE,ANON}  nest MEMCTL_A_ROUTE_*: how each
 *                                   reclaim class is done on this kernel
 *   < MEMCTL_A_INFO_ROUTE_{STATS,PRESSURE}  nest: how statistics and PSI
 *                                   are read
 *
 * MEMCTL_CMD_POLICY_SET         CAP_SYS_ADMIN; creates or replaces, atomically
 *   + MEMCTL_A_POLICY_CGROUP_PATH and/or MEMCTL_A_POLICY_CGROUP_ID
 *   ? MEMCTL_A_POLICY_MODE          u32, enum memctl_mode, default THRESHOLD
 *   + MEMCTL_A_POLICY_HIGH          u64, bytes (mode AUTO: optional, a
 *                                   ceiling, given with TARGET)
 *   + MEMCTL_A_POLICY_TARGET        u64, bytes, < HIGH
 *   ? MEMCTL_A_POLICY_MIN           u64, bytes, mode AUTO only: the least
 *                                   the cgroup is left with, <= TARGET
 *   ? MEMCTL_A_POLICY_INTERVAL      u32, ms between checks
 *   ? MEMCTL_A_POLICY_CLASSES       u32, MEMCTL_F_CLASS_* allowed
 *   ? MEMCTL_A_POLICY_SLAB_FIRST    u32, percent of usage
 *   ? MEMCTL_A_POLICY_PRESSURE      u32, PSI "some" stall limit, us per s
 *                                   (mode AUTO: 1 .. MAX, default
 *                                   MEMCTL_AUTO_PRESSURE_DEFAULT)
 *   ? MEMCTL_A_POLICY_TIER          u8, 1 (on): memctl's anon pass may
 *                                   use the tier; 0 (off): no page of the
 *                                   subtree may be stored there, whoever
 *                                   reclaims; absent: neither (GET and
 *                                   events leave it out then)
 *   ? MEMCTL_A_POLICY_TIER_MAX      u64, compressed bytes, 0 = no cap
 *   Omitted optional fields take their defaults (a replace is a replace).
 *
 * MEMCTL_CMD_POLICY_GET         anyone; do (one cgroup) or dump (all)
 *   + MEMCTL_A_POLICY_CGROUP_PATH and/or MEMCTL_A_POLICY_CGROUP_ID (do)
 *   < every MEMCTL_A_POLICY_* above, both cgroup attributes (HIGH and
 *     TARGET only when set, MIN only in mode AUTO)
 *
 * MEMCTL_CMD_POLICY_DEL         CAP_SYS_ADMIN
 *   + MEMCTL_A_POLICY_CGROUP_PATH and/or MEMCTL_A_POLICY_CGROUP_ID
 *
 * MEMCTL_CMD_STATS_GET          anyone; do (one cgroup) or dump (all policies)
 *   + MEMCTL_A_STATS_CGROUP_PATH and/or MEMCTL_A_STATS_CGROUP_ID (do)
 *   < MEMCTL_A_STATS_*              current usage, memctl's counters, tier;
 *                                   AUTO_* only for a policy in mode AUTO
 *   Only CAP_SYS_ADMIN callers make memctl flush the memcg statistics
 *   first; others read them as the kernel's own flushes left them (up to
 *   about 2 s old; usage and swap are always exact).
 *
 * MEMCTL_CMD_RECLAIM            CAP_SYS_ADMIN; one shot, asynchronous
 *   + MEMCTL_A_RECLAIM_CGROUP_PATH and/or MEMCTL_A_RECLAIM_CGROUP_ID
 *   + MEMCTL_A_RECLAIM_BYTES        u64, how much to free
 *   ? MEMCTL_A_RECLAIM_CLASSES      u32, MEMCTL_F_CLASS_*, default slab|file
 *   < MEMCTL_A_RECLAIM_FREED_{SLAB,FILE,ANON}, _DURATION, _CPU, _STEPS, _STOP
 *   The request is checked and acknowledged (or refused) at once; the run
 *   goes on in the module, and its answer, a MEMCTL_CMD_RECLAIM message
 *   with the request's sequence number, comes when it ends (it may come
 *   before the ack).  Closing the socket cancels the run.
 *
 * MEMCTL_CMD_TIER_SET           CAP_SYS_ADMIN; creates /dev/memctl0
 *   + MEMCTL_A_TIER_SIZE            u64, bytes of swap the device offers
 *   ? MEMCTL_A_TIER_ALGO            string, "lz4" (default), "lzo-rle", "zstd"
 *   ? MEMCTL_A_TIER_BACKING         string, absolute path of a block device
 *                                   or of a regular file written in full:
 *                                   the backing device, opened exclusively
 *   ? MEMCTL_A_TIER_BACKING_AGE     u32, seconds: pages untouched this long
 *                                   are written back (default 1800)
 *   ? MEMCTL_A_TIER_BACKING_LIMIT   u64, bytes written back per day at most
 *                                   (0, the default: no limit)
 *
 * MEMCTL_CMD_TIER_WRITEBACK     CAP_SYS_ADMIN; -ENODEV without a backing
 *                               device.  Writes pages back now and answers
 *                               when done (a signal stops it early)
 *   + MEMCTL_A_TIER_WRITEBACK       u32, enum memctl_tier_writeback
 *   < MEMCTL_A_TIER_WRITEBACK_PAGES u64, pages written back
 *
 * MEMCTL_CMD_TIER_GET           anyone
 *   < MEMCTL_A_TIER_*               device, size, algo and the global counters
 *
 * MEMCTL_CMD_TIER_DEL           CAP_SYS_ADMIN; -EBUSY while the device is open
 *
 * MEMCTL_CMD_EVENTS_SUBSCRIBE   anyone; no attribute.  The socket receives
 *                               the notifications below from now on, until
 *                               it unsubscribes or is closed.  At most 256
 *                               sockets in all, 8 per user without
 *                               CAP_SYS_ADMIN (-EUSERS past either)
 *
 * MEMCTL_CMD_EVENTS_UNSUBSCRIBE anyone; no attribute; -ENOENT if the socket
 *                               is not subscribed
 *
 * Notifications, unicast to each subscribed socket, only about cgroups
 * visible in the cgroup namespace it subscribed from, with paths relative
 * to that namespace's root (as POLICY_GET replies).  An event about no
 * cgroup goes to every subscriber.  A full receive buffer drops events
 * (the socket reads ENOBUFS):
 * MEMCTL_CMD_POLICY_NTF         policy attributes + MEMCTL_A_POLICY_EVENT
 * MEMCTL_CMD_RECLAIM_NTF        one per reclaim episode: reclaim attributes
 *                               + MEMCTL_A_RECLAIM_TRIGGER (+ AUTO_* for
 *                               the runs of mode AUTO)
 * MEMCTL_CMD_TIER_NTF           tier attributes + MEMCTL_A_TIER_EVENT
 *                               (+ cgroup attributes for per-cgroup events;
 *                               the id alone, to the initial cgroup
 *                               namespace only, when the cgroup is gone)
 */
#ifndef _UAPI_LINUX_MEMCTL_H
#define _UAPI_LINUX_MEMCTL_H

#include <linux/types.h>

#define MEMCTL_GENL_NAME		"memctl"
#define MEMCTL_GENL_VERSION		1

/* The tier's block device is /dev/MEMCTL_TIER_DEVICE_NAME. */
#define MEMCTL_TIER_DEVICE_NAME		"memctl0"

/* Lengths, including the terminating NUL. */
#define MEMCTL_CGROUP_PATH_MAX		4096
#define MEMCTL_ALGO_NAME_MAX		16

/* Ranges and defaults of policy fields (the kernel enforces them). */
#define MEMCTL_HIGH_MIN			(1ULL << 20)		/* 1 MiB */
#define MEMCTL_HIGH_MAX			(1ULL << 50)		/* 1 PiB */
#define MEMCTL_INTERVAL_MIN		10			/* ms */
#define MEMCTL_INTERVAL_MAX		3600000			/* ms, 1 h */
#define MEMCTL_INTERVAL_DEFAULT		1000			/* ms */
#define MEMCTL_SLAB_FIRST_DEFAULT	10			/* percent */
#define MEMCTL_PRESSURE_MAX		1000000			/* us per s */
#define MEMCTL_AUTO_PRESSURE_DEFAULT	1000			/* us per s, 0.1 % */
#define MEMCTL_TIER_SIZE_MIN		(1ULL << 20)		/* 1 MiB */
#define MEMCTL_TIER_SIZE_MAX		(1ULL << 42)		/* 4 TiB */
#define MEMCTL_RECLAIM_BYTES_MAX	(1ULL << 50)
#define MEMCTL_BACKING_PATH_MAX		4096		/* with the NUL */
#define MEMCTL_BACKING_AGE_MIN		1		/* s */
#define MEMCTL_BACKING_AGE_MAX		604800		/* s, 7 days */

enum memctl_cmd {
	MEMCTL_CMD_UNSPEC,
	MEMCTL_CMD_GET_INFO,
	MEMCTL_CMD_POLICY_SET,
	MEMCTL_CMD_POLICY_GET,
	MEMCTL_CMD_POLICY_DEL,
	MEMCTL_CMD_STATS_GET,
	MEMCTL_CMD_RECLAIM,
	MEMCTL_CMD_TIER_SET,
	MEMCTL_CMD_TIER_GET,
	MEMCTL_CMD_TIER_DEL,
	MEMCTL_CMD_POLICY_NTF,
	MEMCTL_CMD_RECLAIM_NTF,
	MEMCTL_CMD_TIER_NTF,
	MEMCTL_CMD_EVENTS_SUBSCRIBE,
	MEMCTL_CMD_EVENTS_UNSUBSCRIBE,
	MEMCTL_CMD_TIER_WRITEBACK,

	__MEMCTL_CMD_MAX
};
#define MEMCTL_CMD_MAX (__MEMCTL_CMD_MAX - 1)

/* Features of this module and kernel, MEMCTL_A_INFO_FEATURES. */
enum memctl_feature {
	MEMCTL_F_FEAT_POLICY	= 1U << 0,	/* policy table */
	MEMCTL_F_FEAT_RECLAIM	= 1U << 1,	/* reclaim engine and RECLAIM */
	MEMCTL_F_FEAT_TIER	= 1U << 2,	/* compressed tier */
	MEMCTL_F_FEAT_PSI	= 1U << 3,	/* pressure limits are enforced */

	__MEMCTL_F_FEAT_ALL	= (1U << 4) - 1,
};

/* Reclaim classes: MEMCTL_A_*_CLASSES. */
enum memctl_class {
	MEMCTL_F_CLASS_SLAB	= 1U << 0,	/* reclaimable slab: dentries, inodes */
	MEMCTL_F_CLASS_FILE	= 1U << 1,	/* page cache, no swap */
	MEMCTL_F_CLASS_ANON	= 1U << 2,	/* anonymous pages, through swap */

	__MEMCTL_F_CLASS_ALL	= (1U << 3) - 1,
};
#define MEMCTL_CLASSES_DEFAULT	(MEMCTL_F_CLASS_SLAB | MEMCTL_F_CLASS_FILE)

/*
 * How this kernel lets memctl do one thing (MEMCTL_A_ROUTE_PATH): through
 * a resolved internal kernel function (a fast path), through exported
 * functions and the cgroup's own interface files, or not at all.
 */
enum memctl_path {
	MEMCTL_PATH_UNAVAILABLE,	/* MEMCTL_A_ROUTE_REASON says why */
	MEMCTL_PATH_INTERNAL,
	MEMCTL_PATH_OFFICIAL,
};

/* MEMCTL_A_POLICY_MODE: how a policy decides what to reclaim. */
enum memctl_mode {
	MEMCTL_MODE_THRESHOLD,		/* above high, reclaim down to target */
	MEMCTL_MODE_AUTO,		/* find the working set, give the rest back */
};

/* MEMCTL_A_POLICY_EVENT, in MEMCTL_CMD_POLICY_NTF. */
enum memctl_policy_event {
	MEMCTL_POLICY_EVENT_CREATED = 1,
	MEMCTL_POLICY_EVENT_CHANGED,
	MEMCTL_POLICY_EVENT_DELETED,
	MEMCTL_POLICY_EVENT_CGROUP_REMOVED,	/* its cgroup went away */
};

/* Why a reclaim episode or a one-shot reclaim stopped. */
enum memctl_stop {
	MEMCTL_STOP_TARGET = 1,		/* usage at or under target / bytes freed */
	MEMCTL_STOP_PRESSURE,		/* PSI stall passed the policy's limit */
	MEMCTL_STOP_NO_PROGRESS,	/* the allowed classes had nothing left */
	MEMCTL_STOP_TIER_CAP,		/* anon would push the tier past tier-max */
	MEMCTL_STOP_CANCELLED,		/* policy deleted, cgroup gone, unload */
	MEMCTL_STOP_TIME_LIMIT,		/* ran for run_time_max_ms */
	MEMCTL_STOP_STEP_LIMIT,		/* took run_steps_max steps */
};

/* MEMCTL_A_RECLAIM_TRIGGER, in MEMCTL_CMD_RECLAIM_NTF. */
enum memctl_trigger {
	MEMCTL_TRIGGER_POLICY = 1,	/* usage rose above high */
	MEMCTL_TRIGGER_ONESHOT,		/* MEMCTL_CMD_RECLAIM */
	MEMCTL_TRIGGER_AUTO,		/* a check of a policy in mode AUTO */
};

/* MEMCTL_A_TIER_EVENT, in MEMCTL_CMD_TIER_NTF. */
enum memctl_tier_event {
	MEMCTL_TIER_EVENT_CREATED = 1,
	MEMCTL_TIER_EVENT_DELETED,
	MEMCTL_TIER_EVENT_FULL,		/* a store failed: no room */
	MEMCTL_TIER_EVENT_CAP_EXCEEDED,	/* a cgroup's stored bytes passed tier-max */
};

enum memctl_a_info {
	MEMCTL_A_INFO_UNSPEC,
	MEMCTL_A_INFO_PAD,
	MEMCTL_A_INFO_VERSION,
	MEMCTL_A_INFO_KERNEL,
	MEMCTL_A_INFO_FEATURES,
	MEMCTL_A_INFO_CLASSES,
	MEMCTL_A_INFO_MAX_POLICIES,
	MEMCTL_A_INFO_NR_POLICIES,
	MEMCTL_A_INFO_ROUTE_SLAB,	/* nest, MEMCTL_A_ROUTE_* */
	MEMCTL_A_INFO_ROUTE_FILE,	/* nest */
	MEMCTL_A_INFO_ROUTE_ANON,	/* nest */
	MEMCTL_A_INFO_ROUTE_STATS,	/* nest */
	MEMCTL_A_INFO_ROUTE_PRESSURE,	/* nest */

	__MEMCTL_A_INFO_MAX
};
#define MEMCTL_A_INFO_MAX (__MEMCTL_A_INFO_MAX - 1)

/* In each MEMCTL_A_INFO_ROUTE_* nest. */
enum memctl_a_route {
	MEMCTL_A_ROUTE_UNSPEC,
	MEMCTL_A_ROUTE_PATH,		/* u32, enum memctl_path */
	MEMCTL_A_ROUTE_REASON,		/* string, when unavailable */

	__MEMCTL_A_ROUTE_MAX
};
#define MEMCTL_A_ROUTE_MAX (__MEMCTL_A_ROUTE_MAX - 1)

enum memctl_a_policy {
	MEMCTL_A_POLICY_UNSPEC,
	MEMCTL_A_POLICY_PAD,
	MEMCTL_A_POLICY_CGROUP_PATH,	/* string */
	MEMCTL_A_POLICY_CGROUP_ID,	/* u64 */
	MEMCTL_A_POLICY_HIGH,		/* u64, bytes */
	MEMCTL_A_POLICY_TARGET,		/* u64, bytes */
	MEMCTL_A_POLICY_INTERVAL,	/* u32, ms */
	MEMCTL_A_POLICY_CLASSES,	/* u32, MEMCTL_F_CLASS_* */
	MEMCTL_A_POLICY_SLAB_FIRST,	/* u32, percent 0..100 */
	MEMCTL_A_POLICY_PRESSURE,	/* u32, us per s, 0 = no limit */
	MEMCTL_A_POLICY_TIER,		/* u8, 0 or 1; absent: unsaid */
	MEMCTL_A_POLICY_TIER_MAX,	/* u64, bytes, 0 = no cap */
	MEMCTL_A_POLICY_EVENT,		/* u32, enum memctl_policy_event */
	MEMCTL_A_POLICY_MODE,		/* u32, enum memctl_mode */
	MEMCTL_A_POLICY_MIN,		/* u64, bytes */

	__MEMCTL_A_POLICY_MAX
};
#define MEMCTL_A_POLICY_MAX (__MEMCTL_A_POLICY_MAX - 1)

enum memctl_a_stats {
	MEMCTL_A_STATS_UNSPEC,
	MEMCTL_A_STATS_PAD,
	MEMCTL_A_STATS_CGROUP_PATH,		/* string */
	MEMCTL_A_STATS_CGROUP_ID,		/* u64 */
	/* What the cgroup holds now, bytes. */
	MEMCTL_A_STATS_USAGE,			/* u64, memory.current */
	MEMCTL_A_STATS_SLAB_RECLAIMABLE,	/* u64 */
	MEMCTL_A_STATS_SLAB_UNRECLAIMABLE,	/* u64 */
	MEMCTL_A_STATS_FILE,			/* u64 */
	MEMCTL_A_STATS_ANON,			/* u64 */
	MEMCTL_A_STATS_SWAP,			/* u64, swap charged */
	/* The policy's marks, bytes. */
	MEMCTL_A_STATS_HIGH,			/* u64 */
	MEMCTL_A_STATS_TARGET,			/* u64 */
	/* memctl's reclaim, cumulative since the policy was created. */
	MEMCTL_A_STATS_EPISODES,		/* u64 */
	MEMCTL_A_STATS_STEPS,			/* u64 */
	MEMCTL_A_STATS_RECLAIMED_SLAB,		/* u64, bytes */
	MEMCTL_A_STATS_RECLAIMED_FILE,		/* u64, bytes */
	MEMCTL_A_STATS_RECLAIMED_ANON,		/* u64, bytes */
	MEMCTL_A_STATS_RECLAIM_TIME,		/* u64, ns */
	MEMCTL_A_STATS_SHORTFALLS,		/* u64, episodes short of target */
	MEMCTL_A_STATS_PRESSURE_STOPS,		/* u64, episodes stopped by PSI */
	MEMCTL_A_STATS_LAST_STOP,		/* u32, enum memctl_stop, 0 = none */
	MEMCTL_A_STATS_LAST_FREED,		/* u64, bytes */
	MEMCTL_A_STATS_LAST_DURATION,		/* u64, ns */
	/* The compressed tier, pages this cgroup owns there now. */
	MEMCTL_A_STATS_TIER_STORED_PAGES,	/* u64 */
	MEMCTL_A_STATS_TIER_COMPRESSED_BYTES,	/* u64 */
	MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES,	/* u64 */
	MEMCTL_A_STATS_TIER_STORES,		/* u64, cumulative */
	MEMCTL_A_STATS_TIER_LOADS,		/* u64, cumulative */
	MEMCTL_A_STATS_TIER_CAP_STOPS,		/* u64, anon passes held by tier-max */
	MEMCTL_A_STATS_TIER_OVERAGE,		/* u64, bytes stored past tier-max */
	MEMCTL_A_STATS_RECLAIM_CPU,		/* u64, ns of CPU, all episodes */
	MEMCTL_A_STATS_LIMIT_STOPS,		/* u64, episodes stopped by a bound */
	/* Mode AUTO only. */
	MEMCTL_A_STATS_AUTO_WORKING_SET,	/* u64, bytes, the estimate */
	MEMCTL_A_STATS_AUTO_SAVED,		/* u64, bytes freed, not faulted back */
	MEMCTL_A_STATS_AUTO_PUSHBACKS,		/* u64, checks that found a stall or refaults */
	/* The policy's tier off or tier-max, in the tier's store path. */
	MEMCTL_A_STATS_TIER_CAP_REFUSALS,	/* u64, stores refused, cumulative */
	/* On the tier's backing device now (not in RAM, not capped). */
	MEMCTL_A_STATS_TIER_BACKING_PAGES,	/* u64 */

	__MEMCTL_A_STATS_MAX
};
#define MEMCTL_A_STATS_MAX (__MEMCTL_A_STATS_MAX - 1)

enum memctl_a_reclaim {
	MEMCTL_A_RECLAIM_UNSPEC,
	MEMCTL_A_RECLAIM_PAD,
	MEMCTL_A_RECLAIM_CGROUP_PATH,	/* string */
	MEMCTL_A_RECLAIM_CGROUP_ID,	/* u64 */
	MEMCTL_A_RECLAIM_BYTES,		/* u64, asked for */
	MEMCTL_A_RECLAIM_CLASSES,	/* u32, MEMCTL_F_CLASS_* */
	MEMCTL_A_RECLAIM_FREED_SLAB,	/* u64, bytes */
	MEMCTL_A_RECLAIM_FREED_FILE,	/* u64, bytes */
	MEMCTL_A_RECLAIM_FREED_ANON,	/* u64, bytes */
	MEMCTL_A_RECLAIM_DURATION,	/* u64, ns */
	MEMCTL_A_RECLAIM_STEPS,		/* u32 */
	MEMCTL_A_RECLAIM_STOP,		/* u32, enum memctl_stop */
	MEMCTL_A_RECLAIM_TRIGGER,	/* u32, enum memctl_trigger */
	MEMCTL_A_RECLAIM_USAGE_BEFORE,	/* u64, bytes */
	MEMCTL_A_RECLAIM_USAGE_AFTER,	/* u64, bytes */
	MEMCTL_A_RECLAIM_CPU,		/* u64, ns of CPU the run used */
	MEMCTL_A_RECLAIM_AUTO_WORKING_SET, /* u64, bytes, TRIGGER_AUTO only */
	MEMCTL_A_RECLAIM_AUTO_SAVED,	/* u64, bytes, TRIGGER_AUTO only */

	__MEMCTL_A_RECLAIM_MAX
};
#define MEMCTL_A_RECLAIM_MAX (__MEMCTL_A_RECLAIM_MAX - 1)

/* MEMCTL_A_TIER_WRITEBACK: which pages TIER_WRITEBACK writes back. */
enum memctl_tier_writeback {
	MEMCTL_TIER_WRITEBACK_IDLE = 1,	/* untouched since the last idle pass */
	MEMCTL_TIER_WRITEBACK_HUGE,	/* stored raw: incompressible */
	MEMCTL_TIER_WRITEBACK_ALL,	/* every page in RAM but same-filled */
};

enum memctl_a_tier {
	MEMCTL_A_TIER_UNSPEC,
	MEMCTL_A_TIER_PAD,
	MEMCTL_A_TIER_DEVICE,		/* string, "memctl0" */
	MEMCTL_A_TIER_SIZE,		/* u64, bytes */
	MEMCTL_A_TIER_ALGO,		/* string */
	MEMCTL_A_TIER_IN_USE,		/* u8, the device is open (swapon) */
	MEMCTL_A_TIER_STORED_PAGES,	/* u64 */
	MEMCTL_A_TIER_COMPRESSED_BYTES,	/* u64, sum of compressed lengths */
	MEMCTL_A_TIER_POOL_BYTES,	/* u64, what the pool really holds */
	MEMCTL_A_TIER_SAME_FILLED_PAGES, /* u64 */
	MEMCTL_A_TIER_HUGE_PAGES,	/* u64, stored raw: incompressible */
	MEMCTL_A_TIER_STORES,		/* u64, cumulative */
	MEMCTL_A_TIER_LOADS,		/* u64, cumulative */
	MEMCTL_A_TIER_FAILED_STORES,	/* u64, cumulative */
	MEMCTL_A_TIER_FAILED_LOADS,	/* u64, cumulative */
	MEMCTL_A_TIER_DISCARDS,		/* u64, slots freed, cumulative */
	MEMCTL_A_TIER_EVENT,		/* u32, enum memctl_tier_event */
	MEMCTL_A_TIER_CGROUP_PATH,	/* string, per-cgroup events */
	MEMCTL_A_TIER_CGROUP_ID,	/* u64, per-cgroup events */
	/* The backing device: its setting, and counters while there is one. */
	MEMCTL_A_TIER_BACKING,		/* string, its path */
	MEMCTL_A_TIER_BACKING_AGE,	/* u32, seconds */
	MEMCTL_A_TIER_BACKING_LIMIT,	/* u64, bytes per day, 0 = none */
	MEMCTL_A_TIER_BACKING_SIZE,	/* u64, bytes it offers */
	MEMCTL_A_TIER_BACKING_PAGES,	/* u64, on it now */
	MEMCTL_A_TIER_BACKING_WRITTEN_BYTES, /* u64, cumulative */
	MEMCTL_A_TIER_BACKING_READ_BYTES, /* u64, cumulative */
	MEMCTL_A_TIER_BACKING_FAILED_WRITES, /* u64, cumulative */
	MEMCTL_A_TIER_BACKING_FAILED_READS, /* u64, cumulative */
	MEMCTL_A_TIER_BACKING_LIMIT_STOPS, /* u64, passes the day's limit stopped */
	MEMCTL_A_TIER_WRITEBACK,	/* u32, enum memctl_tier_writeback */
	MEMCTL_A_TIER_WRITEBACK_PAGES,	/* u64, TIER_WRITEBACK's answer */

	__MEMCTL_A_TIER_MAX
};
#define MEMCTL_A_TIER_MAX (__MEMCTL_A_TIER_MAX - 1)

#endif /* _UAPI_LINUX_MEMCTL_H */
