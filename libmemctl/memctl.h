/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmemctl: the C library for memctl, per-cgroup memory control.
 *
 * It talks to the memctl kernel module over the generic netlink family
 * "memctl" described in <linux/memctl.h>.  Conventions:
 *
 *  - struct memctl and struct memctl_events are opaque handles, made by an
 *    open call and released by the matching close call.  A handle must not
 *    be used by two threads at the same time; open one per thread.
 *  - Every function that can fail returns 0 (or a count, where documented)
 *    on success and a negative errno on failure.  The library never prints.
 *    When the kernel refused a request, the negative errno is the kernel's,
 *    and memctl_errmsg() gives the kernel's explanation.
 *  - A cgroup is named in requests by @cgroup, its path relative to the
 *    cgroup2 root ("/app.slice/web", normalized, see
 *    memctl_cgroup_normalize()), or NULL, and @id, the cgroup's id (inode
 *    number of its directory), or 0.  At least one must be given; when both
 *    are, they must name the same cgroup.  Results carry both, in
 *    struct memctl_cgroup.
 *  - Sizes are bytes, intervals are milliseconds, durations of work are
 *    nanoseconds.
 *  - Dumps deliver entries through a callback; the callback returns 0 to
 *    continue or nonzero to stop, and the foreach call then returns that
 *    value.
 *  - Result structures end with reserved space (zeroed) so that later
 *    versions can add fields without changing their size.
 */
#ifndef LIBMEMCTL_MEMCTL_H
#define LIBMEMCTL_MEMCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>	/* memset(), for MEMCTL_OPTS() */

/*
 * The UAPI header, installed next to this one (<memctl/linux/memctl.h>, not
 * in the kernel's <linux/...>): the quoted form finds it there first.
 */
#include "linux/memctl.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MEMCTL_API
#define MEMCTL_API __attribute__((visibility("default")))
#endif

/*
 * The ABI this header describes: libmemctl.map's newest version node is
 * MEMCTL_<MAJOR>.<MINOR> (the Makefile checks it), the SONAME is
 * libmemctl.so.<MAJOR>.  Calls added after MEMCTL_1.0 name the node that
 * brought them, so that a program can test LIBMEMCTL_MINOR_VERSION.
 */
#define LIBMEMCTL_MAJOR_VERSION		1
#define LIBMEMCTL_MINOR_VERSION		3

/*
 * Options structures (struct memctl_*_opts) start with their size, @sz, so
 * that later versions can add fields at their end without a new call.
 * Their fields are 64 bits wide (integers) or pointers, so that they have
 * no padding.  Declare one with MEMCTL_OPTS(), which zeroes it, sets @sz
 * and then the fields given:
 *
 *	MEMCTL_OPTS(memctl_reclaim_opts, opts, .classes = MEMCTL_F_CLASS_SLAB);
 *	err = memctl_reclaim_opts(mc, "/app", 0, 64 << 20, &opts, NULL);
 *
 * A field not given is 0, which is always its default, and NULL instead
 * of a structure means every default.  The library reads the fields that
 * lie within @sz (a program built with an older, smaller structure gets the
 * defaults of the rest) and refuses with -EOPNOTSUPP a structure with a
 * non-zero byte past the last field it knows (a program built with a newer
 * header asks for something this library cannot do); an @sz smaller than
 * @sz itself, or larger than 4096, is -EINVAL.
 */
#define MEMCTL_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&(NAME), 0, sizeof(struct TYPE));		\
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };	\
	})

/* Buffer sizes for the formatting helpers, including the NUL. */
#define MEMCTL_SIZE_STR_MAX		32
#define MEMCTL_CLASSES_STR_MAX		64
#define MEMCTL_DURATION_STR_MAX		32

/* Longest strings the kernel may send, including the NUL. */
#define MEMCTL_VERSION_STR_MAX		64
#define MEMCTL_KERNEL_STR_MAX		65
#define MEMCTL_DEVICE_STR_MAX		32

struct memctl;
struct memctl_events;

/**
 * struct memctl_cgroup - a cgroup as the kernel names it
 * @id: cgroup id, the inode number of its directory in cgroup2
 * @path: path relative to the cgroup2 root, "/" for the root cgroup;
 *	empty when the kernel did not send it
 */
struct memctl_cgroup {
	uint64_t id;
	char path[MEMCTL_CGROUP_PATH_MAX];
};

/**
 * struct memctl_info - what the module says about itself
 * @version: module version, e.g. "0.1.0"
 * @kernel: kernel release, e.g. "6.1.0-13-amd64"
 * @features: MEMCTL_F_FEAT_* mask
 * @classes: MEMCTL_F_CLASS_* this kernel can reclaim
 * @max_policies: how many policies the table may hold
 * @nr_policies: how many it holds now
 */
struct memctl_info {
	char version[MEMCTL_VERSION_STR_MAX];
	char kernel[MEMCTL_KERNEL_STR_MAX];
	uint32_t features;
	uint32_t classes;
	uint32_t max_policies;
	uint32_t nr_policies;
	uint64_t reserved[4];
};

/* Bits of struct memctl_policy.set: which optional fields are meaningful. */
enum memctl_policy_field {
	MEMCTL_POLICY_F_HIGH		= 1U << 0,
	MEMCTL_POLICY_F_TARGET		= 1U << 1,
	MEMCTL_POLICY_F_INTERVAL	= 1U << 2,
	MEMCTL_POLICY_F_CLASSES		= 1U << 3,
	MEMCTL_POLICY_F_SLAB_FIRST	= 1U << 4,
	MEMCTL_POLICY_F_PRESSURE	= 1U << 5,
	MEMCTL_POLICY_F_TIER		= 1U << 6,
	MEMCTL_POLICY_F_TIER_MAX	= 1U << 7,
	MEMCTL_POLICY_F_MODE		= 1U << 8,	/* 1.1 */
	MEMCTL_POLICY_F_MIN		= 1U << 9,	/* 1.1 */
};

/**
 * struct memctl_policy - reclaim policy of one cgroup
 * @set: MEMCTL_POLICY_F_* mask of the fields below that are given (in a
 *	request) or were sent by the kernel (in a result)
 * @cgroup: the cgroup; in a request, a non-empty @cgroup.path and/or a
 *	non-zero @cgroup.id
 * @high: bytes; above this, memctl reclaims (mode auto: optional, a
 *	ceiling, given with @target; not sent back when not set)
 * @target: bytes, below @high; where reclaim stops
 * @interval_ms: milliseconds between checks
 * @classes: MEMCTL_F_CLASS_* that reclaim may take from
 * @slab_first: percent of usage; reclaimable slab above this share is
 *	reclaimed first
 * @pressure_us: PSI "some" stall limit, microseconds per second, 0 = none
 * @tier: anonymous pages may go to the compressed tier
 * @tier_max: cap on this cgroup's compressed bytes in the tier, 0 = none
 * @mode: enum memctl_mode; MEMCTL_MODE_THRESHOLD (reclaim from @high down
 *	to @target, the default) or MEMCTL_MODE_AUTO (find the working set
 *	and give the rest back)
 * @min: bytes, mode auto only: the least the cgroup is left with, at or
 *	below @target when that is set
 *
 * @mode and @min came in 1.1, from the reserved space: a program built
 * before them leaves them zeroed, which is mode threshold.
 */
struct memctl_policy {
	uint32_t set;
	struct memctl_cgroup cgroup;
	uint64_t high;
	uint64_t target;
	uint32_t interval_ms;
	uint32_t classes;
	uint32_t slab_first;
	uint32_t pressure_us;
	bool tier;
	uint64_t tier_max;
	uint32_t mode;
	uint64_t min;
	uint64_t reserved[2];
};

/**
 * struct memctl_stats - usage and memctl's counters for one cgroup
 *
 * Byte counts unless the name says otherwise; _ns fields are nanoseconds.
 * Fields the kernel did not send are 0.  @present says which of the
 * statistics that only some cgroups have were sent (MEMCTL_STATS_HAS_*):
 * the auto_* ones only for a policy in mode auto.
 */
struct memctl_stats {
	struct memctl_cgroup cgroup;
	/* What the cgroup holds now. */
	uint64_t usage;
	uint64_t slab_reclaimable;
	uint64_t slab_unreclaimable;
	uint64_t file;
	uint64_t anon;
	uint64_t swap;
	/* The policy's marks. */
	uint64_t high;
	uint64_t target;
	/* memctl's reclaim, cumulative since the policy was created. */
	uint64_t episodes;
	uint64_t steps;
	uint64_t reclaimed_slab;
	uint64_t reclaimed_file;
	uint64_t reclaimed_anon;
	uint64_t reclaim_time_ns;
	uint64_t shortfalls;
	uint64_t pressure_stops;
	uint32_t last_stop;		/* enum memctl_stop, 0 = none yet */
	uint64_t last_freed;
	uint64_t last_duration_ns;
	/* Pages this cgroup owns in the compressed tier. */
	uint64_t tier_stored_pages;
	uint64_t tier_compressed_bytes;
	uint64_t tier_same_filled_pages;
	uint64_t tier_stores;
	uint64_t tier_loads;
	uint64_t tier_cap_stops;
	uint64_t tier_overage;
	/* CPU time memctl's reclaim used (episodes only; appended in 1.0). */
	uint64_t reclaim_cpu_ns;
	/* Episodes stopped at run_time_max_ms or run_steps_max (1.1). */
	uint64_t limit_stops;
	/* Mode auto only (1.1): the working-set estimate, bytes saved. */
	uint64_t auto_working_set;
	uint64_t auto_saved;
	uint32_t present;		/* MEMCTL_STATS_HAS_* (1.1) */
	uint64_t auto_pushbacks;	/* mode auto: checks pushed back (1.1) */
	uint64_t tier_cap_refusals;	/* stores its tier off/tier-max refused (1.2) */
	/* Pages on the tier's backing device (1.3; the last reserved word). */
	uint64_t tier_backing_pages;
};

/* Bits of struct memctl_stats.present. */
enum memctl_stats_has {
	MEMCTL_STATS_HAS_AUTO		= 1U << 0,	/* auto_* */
};

/**
 * struct memctl_reclaim_result - what one reclaim (one-shot or episode) did
 * @cgroup: the cgroup reclaimed from
 * @requested: bytes asked for (0 if the kernel did not say)
 * @classes: MEMCTL_F_CLASS_* allowed (0 if the kernel did not say)
 * @freed_slab: bytes freed from reclaimable slab
 * @freed_file: bytes freed from the page cache
 * @freed_anon: bytes freed from anonymous memory
 * @duration_ns: time spent
 * @steps: bounded steps taken
 * @stop: enum memctl_stop, why it stopped
 * @trigger: enum memctl_trigger (events only; 0 in memctl_reclaim() results
 *	unless the kernel sent it)
 * @usage_before: usage when it started
 * @usage_after: usage when it stopped
 * @cpu_ns: CPU time the run used, in the task that ran it (memctl's
 *	worker)
 * @auto_working_set: the policy's working-set estimate, bytes, after a
 *	run of mode auto (@trigger MEMCTL_TRIGGER_AUTO; 0 otherwise; 1.1)
 * @auto_saved: bytes that policy's runs saved so far (likewise)
 */
struct memctl_reclaim_result {
	struct memctl_cgroup cgroup;
	uint64_t requested;
	uint32_t classes;
	uint64_t freed_slab;
	uint64_t freed_file;
	uint64_t freed_anon;
	uint64_t duration_ns;
	uint32_t steps;
	uint32_t stop;
	uint32_t trigger;
	uint64_t usage_before;
	uint64_t usage_after;
	uint64_t cpu_ns;
	uint64_t auto_working_set;
	uint64_t auto_saved;
	uint64_t reserved[1];
};

/**
 * struct memctl_tier - the compressed tier and its global counters
 * @device: block device name, "memctl0" (the node is /dev/@device); empty
 *	if the kernel did not send it
 * @size: bytes of swap the device offers
 * @algo: compressor, "lz4", "lzo-rle" or "zstd"
 * @in_use: the device is open (swapon)
 * @stored_pages: pages stored now
 * @compressed_bytes: sum of their compressed lengths
 * @pool_bytes: memory the pool really holds
 * @same_filled_pages: pages stored as their fill value
 * @huge_pages: incompressible pages stored raw
 * @stores: pages stored, cumulative
 * @loads: pages loaded, cumulative
 * @failed_stores: stores that failed, cumulative
 * @failed_loads: loads that failed, cumulative
 * @discards: slots freed, cumulative
 */
struct memctl_tier {
	char device[MEMCTL_DEVICE_STR_MAX];
	char algo[MEMCTL_ALGO_NAME_MAX];
	uint64_t size;
	bool in_use;
	uint64_t stored_pages;
	uint64_t compressed_bytes;
	uint64_t pool_bytes;
	uint64_t same_filled_pages;
	uint64_t huge_pages;
	uint64_t stores;
	uint64_t loads;
	uint64_t failed_stores;
	uint64_t failed_loads;
	uint64_t discards;
	uint64_t reserved[8];
};

/* struct memctl_event.type */
enum memctl_event_type {
	MEMCTL_EVENT_POLICY = 1,	/* MEMCTL_CMD_POLICY_NTF */
	MEMCTL_EVENT_RECLAIM,		/* MEMCTL_CMD_RECLAIM_NTF */
	MEMCTL_EVENT_TIER,		/* MEMCTL_CMD_TIER_NTF */
	MEMCTL_EVENT_MODULE,		/* the module went or came (1.2) */
};

/*
 * struct memctl_event.action of MEMCTL_EVENT_MODULE, which only handles
 * from memctl_events_open_opts() receive (MEMCTL_1.2).
 */
enum memctl_module_event {
	MEMCTL_MODULE_UNLOADED = 1,	/* the family is gone: no events */
	MEMCTL_MODULE_LOADED,		/* back, and the handle subscribed */
};

/**
 * struct memctl_event - one notification from the kernel
 * @type: enum memctl_event_type; selects the member of the union
 * @action: for MEMCTL_EVENT_POLICY an enum memctl_policy_event, for
 *	MEMCTL_EVENT_RECLAIM an enum memctl_trigger, for MEMCTL_EVENT_TIER an
 *	enum memctl_tier_event; 0 if the kernel did not send it
 * @cgroup: the cgroup the event is about (id 0 and empty path for global
 *	tier events)
 * @policy: the policy after the change (MEMCTL_EVENT_POLICY)
 * @reclaim: the episode (MEMCTL_EVENT_RECLAIM)
 * @tier: the tier (MEMCTL_EVENT_TIER)
 */
struct memctl_event {
	uint32_t type;
	uint32_t action;
	struct memctl_cgroup cgroup;
	union {
		struct memctl_policy policy;
		struct memctl_reclaim_result reclaim;
		struct memctl_tier tier;
	};
};

typedef int (*memctl_policy_cb)(const struct memctl_policy *policy, void *arg);
typedef int (*memctl_stats_cb)(const struct memctl_stats *stats, void *arg);
typedef int (*memctl_event_cb)(const struct memctl_event *event, void *arg);

/**
 * memctl_version() - version of this library
 *
 * Return: the version string, e.g. "0.1.0".
 */
MEMCTL_API const char *memctl_version(void);

/**
 * memctl_open() - connect to the memctl kernel module
 * @mc: where to store the new handle
 *
 * Opens a generic netlink socket with extended acks, and resolves the
 * "memctl" family (the kernel loads the module on that lookup if it can).
 *
 * Return: 0, -ENOENT if the memctl family does not exist (the module is not
 * loaded), or another negative errno (e.g. the socket could not be opened).
 */
MEMCTL_API int memctl_open(struct memctl **mc);

/**
 * memctl_close() - close a handle from memctl_open()
 * @mc: the handle, or NULL
 */
MEMCTL_API void memctl_close(struct memctl *mc);

/**
 * memctl_errmsg() - the kernel's explanation of the last refusal
 * @mc: the handle
 *
 * Each request clears it.  The string stays valid until the next request
 * on @mc.
 *
 * Return: the kernel's extended ack message of the last failed request,
 * or "" if there was none.
 */
MEMCTL_API const char *memctl_errmsg(const struct memctl *mc);

/**
 * memctl_err_attr() - the attribute the kernel blamed in the last refusal
 * @mc: the handle
 *
 * Return: the type of the attribute (in the attribute set of the command
 * that failed, e.g. MEMCTL_A_POLICY_TARGET) that the kernel pointed at as
 * invalid or missing, or 0 if it did not say.
 */
MEMCTL_API int memctl_err_attr(const struct memctl *mc);

/**
 * memctl_get_info() - ask the module about itself
 * @mc: the handle
 * @info: filled in
 *
 * Return: 0 or a negative errno.
 */
MEMCTL_API int memctl_get_info(struct memctl *mc, struct memctl_info *info);

/* What memctl_get_routes() reports, by index. */
enum memctl_route_idx {
	MEMCTL_ROUTE_SLAB,		/* the slab reclaim class */
	MEMCTL_ROUTE_FILE,		/* the file reclaim class */
	MEMCTL_ROUTE_ANON,		/* the anon reclaim class */
	MEMCTL_ROUTE_STATS,		/* reading a cgroup's statistics */
	MEMCTL_ROUTE_PRESSURE,		/* measuring PSI for pressure limits */
	MEMCTL_ROUTE_NR
};

#define MEMCTL_ROUTE_REASON_MAX	256

/**
 * struct memctl_route - how the running kernel lets memctl do one thing
 * @path: enum memctl_path: MEMCTL_PATH_INTERNAL (a resolved kernel
 *	function, a fast path), MEMCTL_PATH_OFFICIAL (exported functions and
 *	the cgroup's own interface files) or MEMCTL_PATH_UNAVAILABLE
 * @reason: why, when unavailable; "" otherwise
 */
struct memctl_route {
	uint32_t path;
	char reason[MEMCTL_ROUTE_REASON_MAX];
};

/**
 * memctl_get_routes() - how each reclaim class, the statistics and the
 * pressure measure are done on this kernel
 * @mc: the handle
 * @routes: filled in, indexed by enum memctl_route_idx
 * @n: entries in @routes; at most MEMCTL_ROUTE_NR are filled
 *
 * Return: 0, -EOPNOTSUPP if the module is too old to say, or a negative
 * errno.  (MEMCTL_1.1)
 */
MEMCTL_API int memctl_get_routes(struct memctl *mc, struct memctl_route *routes,
				 size_t n);

/**
 * memctl_policy_set() - create or replace the policy of a cgroup
 * @mc: the handle
 * @policy: the cgroup and the fields to send; only the fields whose
 *	MEMCTL_POLICY_F_* bit is in @policy->set are sent.  The kernel
 *	requires high and target; omitted optional fields take their defaults
 *	(a replace is a replace, not a merge).  Needs CAP_SYS_ADMIN.
 *
 * Return: 0, -EINVAL if @policy names no cgroup, -ENAMETOOLONG if the path
 * is too long, or the kernel's negative errno (see memctl_errmsg()).
 */
MEMCTL_API int memctl_policy_set(struct memctl *mc,
				 const struct memctl_policy *policy);

/**
 * memctl_policy_get() - read the policy of one cgroup
 * @mc: the handle
 * @cgroup: cgroup path relative to the cgroup2 root, or NULL
 * @id: cgroup id, or 0
 * @policy: filled in
 *
 * Return: 0 or a negative errno (the kernel's, e.g. -ENOENT for a cgroup
 * without a policy).
 */
MEMCTL_API int memctl_policy_get(struct memctl *mc, const char *cgroup,
				 uint64_t id, struct memctl_policy *policy);

/**
 * memctl_policy_del() - delete the policy of one cgroup
 * @mc: the handle
 * @cgroup: cgroup path relative to the cgroup2 root, or NULL
 * @id: cgroup id, or 0
 *
 * Needs CAP_SYS_ADMIN.
 *
 * Return: 0 or a negative errno.
 */
MEMCTL_API int memctl_policy_del(struct memctl *mc, const char *cgroup,
				 uint64_t id);

/**
 * memctl_policy_foreach() - call @cb for every policy
 * @mc: the handle
 * @cb: called once per policy, in the kernel's order; returns 0 to go on,
 *	nonzero to stop
 * @arg: passed to @cb
 *
 * The whole dump is received before @cb is first called.  If the kernel
 * flags the dump as inconsistent (the table changed under it,
 * NLM_F_DUMP_INTR), it is restarted, up to 3 times; so @cb only ever sees
 * one consistent snapshot.
 *
 * Return: 0 after the last policy, the nonzero value @cb stopped with,
 * -EAGAIN if no consistent dump could be had, or another negative errno.
 */
MEMCTL_API int memctl_policy_foreach(struct memctl *mc, memctl_policy_cb cb,
				     void *arg);

/**
 * memctl_stats_get() - read the statistics of one cgroup
 * @mc: the handle
 * @cgroup: cgroup path relative to the cgroup2 root, or NULL
 * @id: cgroup id, or 0
 * @stats: filled in
 *
 * Usage and swap are exact.  The rest is flushed for the request only for a
 * caller with CAP_SYS_ADMIN; for others it is as the kernel's last flush
 * left it, at most about 2 s old (libmemctl(3), "Statistics").
 *
 * Return: 0 or a negative errno.
 */
MEMCTL_API int memctl_stats_get(struct memctl *mc, const char *cgroup,
				uint64_t id, struct memctl_stats *stats);

/**
 * memctl_stats_foreach() - call @cb with the statistics of every policy
 * @mc: the handle
 * @cb: called once per cgroup; returns 0 to go on, nonzero to stop
 * @arg: passed to @cb
 *
 * Consistency and restarts as for memctl_policy_foreach().
 *
 * Return: 0, the nonzero value @cb stopped with, -EAGAIN, or another
 * negative errno.
 */
MEMCTL_API int memctl_stats_foreach(struct memctl *mc, memctl_stats_cb cb,
				    void *arg);

/**
 * memctl_stats_sum() - global totals over the statistics of many cgroups
 * @rows: statistics, e.g. every entry memctl_stats_foreach() delivered
 * @n: how many entries @rows holds
 * @total: filled in with the totals; its cgroup is empty (id 0, path "")
 *
 * What a cgroup holds now is counted by the kernel for its whole subtree:
 * usage, slab_reclaimable, slab_unreclaimable, file, anon, swap and the
 * tier_stored_pages, tier_compressed_bytes, tier_same_filled_pages,
 * tier_stores, tier_loads and tier_backing_pages of a cgroup include its
 * descendants'.  So that
 * nothing is counted twice, these fields and the marks high and target are
 * summed only over the rows that have no ancestor among @rows (a row's
 * ancestor is a row whose path is a proper prefix of its path ending at a
 * "/"; "/" is the ancestor of every other path; a row without a path has
 * none; of rows with the same path only the first counts).  memctl's own
 * counters belong to each policy and are summed over every row: episodes,
 * steps, reclaimed_slab, reclaimed_file, reclaimed_anon, reclaim_time_ns,
 * reclaim_cpu_ns, shortfalls, pressure_stops, limit_stops, tier_cap_stops,
 * tier_overage, auto_working_set, auto_saved, auto_pushbacks,
 * tier_cap_refusals.
 * The last episode's last_stop, last_freed and last_duration_ns are 0.
 * Sums stop at UINT64_MAX.  @total->present has every bit of a row's
 * present (MEMCTL_STATS_HAS_AUTO when a row has the auto statistics).
 *
 * This is what `memctl stats` prints as its TOTAL row.
 *
 * Finding ancestors takes O(n log n) (a sorted copy of the paths).
 *
 * Return: the number of rows counted as top-level (0 when @n is 0),
 * -EINVAL if @total is NULL or @rows is NULL while @n is not 0, or -ENOMEM.
 */
MEMCTL_API int memctl_stats_sum(const struct memctl_stats *rows, size_t n,
				struct memctl_stats *total);

/**
 * memctl_reclaim() - reclaim memory from a cgroup now, synchronously
 * @mc: the handle
 * @cgroup: cgroup path relative to the cgroup2 root, or NULL
 * @id: cgroup id, or 0
 * @bytes: how much to free, 1 .. MEMCTL_RECLAIM_BYTES_MAX
 * @classes: MEMCTL_F_CLASS_* that may be reclaimed, or 0 for the kernel's
 *	default (MEMCTL_CLASSES_DEFAULT: slab and file)
 * @result: filled in with what each class freed; may be NULL
 *
 * Needs CAP_SYS_ADMIN.  Returns when the run ends: at @bytes, when the
 * classes have nothing left, or at the module's bounds of a run (30 s and
 * 4096 steps by default: result->stop says which).  The run itself goes on
 * in the module, not in the caller; closing @mc (or the caller's exit)
 * cancels it.
 *
 * Return: 0 or a negative errno.
 */
MEMCTL_API int memctl_reclaim(struct memctl *mc, const char *cgroup,
			      uint64_t id, uint64_t bytes, uint32_t classes,
			      struct memctl_reclaim_result *result);

/**
 * struct memctl_reclaim_opts - how memctl_reclaim_opts() reclaims
 * @sz: sizeof(struct memctl_reclaim_opts): see MEMCTL_OPTS()
 * @classes: MEMCTL_F_CLASS_* that may be reclaimed, or 0 for the kernel's
 *	default (MEMCTL_CLASSES_DEFAULT: slab and file); a bit past the 32 of
 *	the kernel's mask is -EINVAL
 */
struct memctl_reclaim_opts {
	size_t sz;
	uint64_t classes;
};

/**
 * memctl_reclaim_opts() - memctl_reclaim(), its settings in a structure
 *	that later versions extend (MEMCTL_1.1)
 * @mc: the handle
 * @cgroup: cgroup path relative to the cgroup2 root, or NULL
 * @id: cgroup id, or 0
 * @bytes: how much to free, 1 .. MEMCTL_RECLAIM_BYTES_MAX
 * @opts: the options (MEMCTL_OPTS()), or NULL for the defaults
 * @result: filled in with what each class freed; may be NULL
 *
 * Needs CAP_SYS_ADMIN.
 *
 * Return: 0, -EINVAL or -EOPNOTSUPP for @opts as MEMCTL_OPTS() says, or
 * what memctl_reclaim() returns.
 */
MEMCTL_API int memctl_reclaim_opts(struct memctl *mc, const char *cgroup,
				   uint64_t id, uint64_t bytes,
				   const struct memctl_reclaim_opts *opts,
				   struct memctl_reclaim_result *result);

/**
 * memctl_tier_set() - create the compressed tier device
 * @mc: the handle
 * @size: bytes of swap the device offers, MEMCTL_TIER_SIZE_MIN ..
 *	MEMCTL_TIER_SIZE_MAX
 * @algo: "lz4", "lzo-rle" or "zstd", or NULL for the kernel's default
 *
 * Creates /dev/memctl0; run mkswap and swapon on it to use it.  Needs
 * CAP_SYS_ADMIN.
 *
 * Return: 0, -EINVAL if @algo is too long, or the kernel's negative errno
 * (-EEXIST if the tier exists already).
 */
MEMCTL_API int memctl_tier_set(struct memctl *mc, uint64_t size,
			       const char *algo);

/**
 * struct memctl_tier_set_opts - how memctl_tier_set_opts() makes the tier
 * @sz: sizeof(struct memctl_tier_set_opts): see MEMCTL_OPTS()
 * @algo: "lz4", "lzo-rle" or "zstd", or NULL for the kernel's default
 * @backing: absolute path of the backing device (a block device, or a
 *	regular file written in full), or NULL for none (1.3)
 * @backing_limit: bytes written back per day at most, 0 = no limit (1.3)
 * @backing_age: seconds after which an untouched page is written back,
 *	0 for the kernel's default (1.3)
 */
struct memctl_tier_set_opts {
	size_t sz;
	const char *algo;
	const char *backing;
	uint64_t backing_limit;
	uint32_t backing_age;
	uint32_t __pad;		/* zero */
};

/**
 * memctl_tier_set_opts() - memctl_tier_set(), its settings in a structure
 *	that later versions extend (MEMCTL_1.1)
 * @mc: the handle
 * @size: bytes of swap the device offers, MEMCTL_TIER_SIZE_MIN ..
 *	MEMCTL_TIER_SIZE_MAX
 * @opts: the options (MEMCTL_OPTS()), or NULL for the defaults
 *
 * Needs CAP_SYS_ADMIN.
 *
 * Return: 0, -EINVAL or -EOPNOTSUPP for @opts as MEMCTL_OPTS() says, or
 * what memctl_tier_set() returns.
 */
MEMCTL_API int memctl_tier_set_opts(struct memctl *mc, uint64_t size,
				    const struct memctl_tier_set_opts *opts);

/**
 * struct memctl_tier_backing - the tier's backing device (MEMCTL_1.3)
 * @sz: sizeof(struct memctl_tier_backing), set by the caller: see
 *	MEMCTL_OPTS()
 * @present: the tier has a backing device; nothing else is set without one
 * @path: its path
 * @age: seconds after which an untouched page is written back
 * @limit: bytes written back per day at most, 0 = no limit
 * @size: bytes it offers
 * @pages: pages on it now
 * @written_bytes: bytes written back, cumulative
 * @read_bytes: bytes read back, cumulative
 * @failed_writes: writes that failed (the pages stayed in RAM), cumulative
 * @failed_reads: reads that failed (an I/O error on the page), cumulative
 * @limit_stops: writeback passes the day's limit stopped, cumulative
 */
struct memctl_tier_backing {
	size_t sz;
	bool present;
	char path[MEMCTL_BACKING_PATH_MAX];
	uint32_t age;
	uint64_t limit;
	uint64_t size;
	uint64_t pages;
	uint64_t written_bytes;
	uint64_t read_bytes;
	uint64_t failed_writes;
	uint64_t failed_reads;
	uint64_t limit_stops;
};

/**
 * memctl_tier_backing_get() - read the tier's backing device (MEMCTL_1.3)
 * @mc: the handle
 * @backing: filled in; its @sz set by the caller (MEMCTL_OPTS())
 *
 * Return: 0 (with @backing->present false when the tier has none),
 * -ENOENT if there is no tier, -EINVAL for a bad @sz, or another negative
 * errno.
 */
MEMCTL_API int memctl_tier_backing_get(struct memctl *mc,
				       struct memctl_tier_backing *backing);

/**
 * memctl_tier_writeback() - write pages of the tier back to its backing
 *	device now (MEMCTL_1.3)
 * @mc: the handle
 * @mode: MEMCTL_TIER_WRITEBACK_IDLE (untouched since the last idle pass),
 *	_HUGE (incompressible) or _ALL
 * @written: if not NULL, set to the pages written back
 *
 * Needs CAP_SYS_ADMIN.  Waits until the pass is over (the handle's request
 * timeout applies).
 *
 * Return: 0, -ENODEV without a backing device, -ENOENT without a tier,
 * -EDQUOT when the day's write limit stopped it, -ENOSPC when the device is
 * full, or another negative errno.
 */
MEMCTL_API int memctl_tier_writeback(struct memctl *mc, uint32_t mode,
				     uint64_t *written);

/**
 * memctl_tier_get() - read the compressed tier's settings and counters
 * @mc: the handle
 * @tier: filled in
 *
 * Return: 0, -ENOENT if there is no tier, or another negative errno.
 */
MEMCTL_API int memctl_tier_get(struct memctl *mc, struct memctl_tier *tier);

/**
 * memctl_tier_del() - remove the compressed tier device
 * @mc: the handle
 *
 * Needs CAP_SYS_ADMIN.
 *
 * Return: 0, -EBUSY while the device is open (swapon), or another negative
 * errno.
 */
MEMCTL_API int memctl_tier_del(struct memctl *mc);

/**
 * memctl_events_open() - subscribe to memctl's notifications
 * @ev: where to store the new handle
 *
 * Opens its own non-blocking netlink socket, resolves the family and
 * subscribes the socket to its events.  The handle receives the events
 * about cgroups visible in the caller's cgroup namespace (as it is now),
 * with paths relative to its root, and the tier's events.  Needs no
 * privilege; the kernel bounds the subscribers (per user without
 * CAP_SYS_ADMIN, and in all).
 *
 * Return: 0, -ENOENT if the module is not loaded, -EUSERS when the kernel's
 * limit of subscribers is reached, -EOPNOTSUPP from a module older than
 * subscriptions, or another negative errno.
 */
MEMCTL_API int memctl_events_open(struct memctl_events **ev);

/**
 * memctl_events_fd() - the descriptor to poll for events
 * @ev: the handle
 *
 * It becomes readable (POLLIN) when events are pending; then call
 * memctl_events_read().  Do not read from it yourself.
 *
 * Return: a file descriptor.
 */
MEMCTL_API int memctl_events_fd(const struct memctl_events *ev);

/**
 * memctl_events_read() - deliver the events that are pending
 * @ev: the handle
 * @cb: called once per event; returns 0 to go on, nonzero to stop (the
 *	events not yet delivered from the same datagram are dropped)
 * @arg: passed to @cb
 *
 * Never blocks.  Notifications of commands this library does not know are
 * skipped.  If the socket's receive buffer overflowed, events were lost:
 * -ENOBUFS is returned once and the handle stays usable.
 *
 * Return: the number of events delivered (0 if none were pending), the
 * nonzero value @cb stopped with, -ENOBUFS, or another negative errno.
 */
MEMCTL_API int memctl_events_read(struct memctl_events *ev, memctl_event_cb cb,
				  void *arg);

/**
 * memctl_events_close() - close a handle from memctl_events_open()
 * @ev: the handle, or NULL
 */
MEMCTL_API void memctl_events_close(struct memctl_events *ev);

/**
 * memctl_parse_size() - parse a size such as "512M", "1.5G" or "4096"
 * @str: a decimal number, optionally with a fraction, optionally followed
 *	by a unit, case-insensitive, as util-linux reads them: K, M, G, T,
 *	P, E alone or followed by "iB" are powers of 1024 ("64k", "2GiB"),
 *	followed by "B" powers of 1000 ("2GB" = 2000000000); "B" alone is
 *	bytes ("100b").  No sign, no spaces.  A fraction is rounded down to
 *	whole bytes ("1.5K" = 1536, "0.1K" = 102); a bare number cannot have
 *	one.
 * @bytes: the result
 *
 * Return: 0, -EINVAL for malformed input, -ERANGE if it does not fit in
 * 64 bits.
 */
MEMCTL_API int memctl_parse_size(const char *str, uint64_t *bytes);

/**
 * memctl_format_size() - format a byte count for people
 * @bytes: the count
 * @buf: the output, MEMCTL_SIZE_STR_MAX bytes are always enough
 * @len: size of @buf
 *
 * Below 1 KiB the plain number ("512"); otherwise the largest unit that
 * gives at least 1: an exact multiple prints as an integer ("2G", "64K"),
 * anything else with one decimal rounded to nearest ("1.5G", "2.0G").
 * memctl_parse_size() reads every result back (exactly for integers).
 *
 * Return: 0, or -ENOSPC if @buf is too small (it then holds "").
 */
MEMCTL_API int memctl_format_size(uint64_t bytes, char *buf, size_t len);

/**
 * memctl_parse_duration() - parse a duration as memctl(8) reads it, such
 *	as "500ms", "2s", "1.5m" or "30" (seconds)
 * @str: a decimal number, optionally with a fraction, followed by a unit,
 *	case-insensitive: "ms" or "msec", "s" or "sec", "m" or "min"
 *	(minutes), "h" or "hr", "d"; a bare number is seconds, as systemd
 *	reads time spans.  No sign, no spaces.  A fraction is rounded down
 *	to whole milliseconds ("0.5" = 500, "1.5ms" = 1).
 * @ms: the result, milliseconds
 *
 * Return: 0, -EINVAL for malformed input, -ERANGE past UINT32_MAX ms
 * (about 49.7 days).  (MEMCTL_1.1)
 */
MEMCTL_API int memctl_parse_duration(const char *str, uint32_t *ms);

/**
 * memctl_parse_duration_ms() - parse an interval, as MEMCTL_1.0 did
 * @str: a decimal integer followed by "ms", "s", "m" (minutes) or "h", or
 *	a bare integer meaning milliseconds
 * @ms: the result, milliseconds
 *
 * Kept for the programs built against MEMCTL_1.0: a bare number is
 * milliseconds here, where memctl(8) and memctl_parse_duration() read
 * seconds.  New code calls memctl_parse_duration().
 *
 * Return: 0, -EINVAL for malformed input, -ERANGE past UINT32_MAX ms.
 */
MEMCTL_API int memctl_parse_duration_ms(const char *str, uint32_t *ms);

/**
 * memctl_format_duration_ms() - format milliseconds in the largest unit
 *	that is exact ("2s", "1m", "1500ms", "0ms")
 * @ms: the interval
 * @buf: the output, MEMCTL_DURATION_STR_MAX bytes are always enough
 * @len: size of @buf
 *
 * Return: 0, or -ENOSPC if @buf is too small.
 */
MEMCTL_API int memctl_format_duration_ms(uint32_t ms, char *buf, size_t len);

/**
 * memctl_parse_classes() - parse a list of reclaim classes
 * @str: comma-separated class names, "slab", "file", "anon"
 *	(case-insensitive, each may repeat), or "all"; no spaces, no empty
 *	items.  An empty list is an error: a reclaim without any class is
 *	meaningless.
 * @classes: the result, a MEMCTL_F_CLASS_* mask
 *
 * Return: 0 or -EINVAL.
 */
MEMCTL_API int memctl_parse_classes(const char *str, uint32_t *classes);

/**
 * memctl_format_classes() - format a MEMCTL_F_CLASS_* mask
 * @classes: the mask
 * @buf: the output, MEMCTL_CLASSES_STR_MAX bytes are always enough
 * @len: size of @buf
 *
 * Names in the order slab, file, anon, joined by ","; unknown bits are
 * appended in hex ("0x8"); an empty mask is "none".
 *
 * Return: 0, or -ENOSPC if @buf is too small.
 */
MEMCTL_API int memctl_format_classes(uint32_t classes, char *buf, size_t len);

/**
 * memctl_class_name() - name of one reclaim class
 * @class_bit: one MEMCTL_F_CLASS_* bit
 *
 * Return: "slab", "file", "anon", or NULL for anything else.
 */
MEMCTL_API const char *memctl_class_name(uint32_t class_bit);

/**
 * memctl_feature_name() - name of one module feature
 * @feature: one MEMCTL_F_FEAT_* bit
 *
 * Return: "policy", "reclaim", "tier", "psi", or NULL for anything else.
 */
MEMCTL_API const char *memctl_feature_name(uint32_t feature);

/**
 * memctl_stop_name() - why a reclaim stopped, as a word
 * @stop: enum memctl_stop, or 0
 *
 * Return: "none" (0), "target", "pressure", "no-progress", "tier-cap",
 * "cancelled", "time-limit", "step-limit", or "unknown".
 */
MEMCTL_API const char *memctl_stop_name(uint32_t stop);

/**
 * memctl_trigger_name() - what started a reclaim episode, as a word
 * @trigger: enum memctl_trigger
 *
 * Return: "policy", "oneshot", "auto", or "unknown".
 */
MEMCTL_API const char *memctl_trigger_name(uint32_t trigger);

/**
 * memctl_policy_event_name() - a policy notification, as a word
 * @event: enum memctl_policy_event
 *
 * Return: "created", "changed", "deleted", "cgroup-removed", or "unknown".
 */
MEMCTL_API const char *memctl_policy_event_name(uint32_t event);

/**
 * memctl_tier_event_name() - a tier notification, as a word
 * @event: enum memctl_tier_event
 *
 * Return: "created", "deleted", "full", "cap-exceeded", or "unknown".
 */
MEMCTL_API const char *memctl_tier_event_name(uint32_t event);

/**
 * memctl_event_type_name() - the kind of a notification, as a word
 * @type: enum memctl_event_type
 *
 * Return: "policy", "reclaim", "tier", or "unknown".
 */
MEMCTL_API const char *memctl_event_type_name(uint32_t type);

/**
 * memctl_cgroup_normalize() - turn a user's cgroup argument into the path
 *	the kernel expects
 * @arg: an absolute path: either relative to the cgroup2 root
 *	("/app.slice/web") or a full path under a cgroup2 mount point
 *	("/sys/fs/cgroup/app.slice/web")
 * @out: the normalized path relative to the cgroup2 root: "/" for the root
 *	cgroup, otherwise a leading "/", no "//", "." or ".." components and
 *	no trailing "/"
 * @len: size of @out
 *
 * "//" and "." are collapsed, ".." removes the previous component (there
 * are no symbolic links in cgroupfs).  The cgroup2 mount points are read
 * from /proc/self/mountinfo (/sys/fs/cgroup if none is found); if @arg lies
 * under one, the mount point is replaced by the root of the hierarchy that
 * mount shows.  A path that lies under none is taken as relative to the
 * cgroup2 root already.  This does not check that the cgroup exists.
 *
 * Return: 0, -EINVAL if @arg is empty, relative, or climbs above "/" with
 * "..", -ENAMETOOLONG if the result does not fit in @len or in
 * MEMCTL_CGROUP_PATH_MAX.
 */
MEMCTL_API int memctl_cgroup_normalize(const char *arg, char *out, size_t len);

/**
 * memctl_cgroup_id() - the id of a cgroup, from its path
 * @cgroup: the path relative to the cgroup2 root, normalized (as
 *	memctl_cgroup_normalize() gives it): "/" or "/app.slice/web"
 * @id: the result, the inode number of the cgroup's directory, which is
 *	what the kernel calls the cgroup's id
 *
 * Finds the directory under the cgroup2 mount of /proc/self/mountinfo whose
 * root is the deepest one holding @cgroup (under /sys/fs/cgroup if the
 * mount table lists no cgroup2 mount) and stat()s it.  Does not talk to
 * the memctl module, and works without it.
 *
 * Return: 0, -EINVAL if @cgroup is not a normalized absolute path,
 * -ENOENT if there is no such cgroup or no mount shows it, -ENOTDIR, or
 * another negative errno from stat().
 */
MEMCTL_API int memctl_cgroup_id(const char *cgroup, uint64_t *id);

/*
 * ---- MEMCTL_1.2: calls for agents ----
 *
 * Handles from memctl_open_opts() and memctl_events_open_opts() tell the
 * failures an agent must tell apart by their errno (handles from
 * memctl_open() and memctl_events_open() keep the codes of MEMCTL_1.0,
 * where the first three below were all -ENOENT):
 *
 *   -ENOPROTOOPT  the module is not loaded (no "memctl" family): the open
 *                 calls
 *   -ESHUTDOWN    the module was unloaded under the handle and is not
 *                 back: a request.  When it is back (a new family id), the
 *                 next request finds it again by itself, on every handle.
 *   -ENOENT       no such cgroup (or it is not visible from the caller's
 *                 cgroup namespace)
 *   -ENODATA      the cgroup has no policy (memctl_policy_get(),
 *                 memctl_policy_del()), or there is no tier
 *                 (memctl_tier_get(), memctl_tier_del())
 *   -ETIMEDOUT    no answer within the handle's timeout
 *
 * memctl_strerror() words each of them, and any other errno.
 */

/**
 * memctl_strerror() - a negative errno of libmemctl, as a sentence
 * @err: a negative (or positive) errno returned by a libmemctl call
 *
 * Return: a static string: libmemctl's own words for the codes above
 * ("the memctl kernel module is not loaded", ...), strerror()'s for the
 * others.  (MEMCTL_1.2)
 */
MEMCTL_API const char *memctl_strerror(int err);

/**
 * struct memctl_open_opts - how memctl_open_opts() opens a handle
 * @sz: sizeof(struct memctl_open_opts): see MEMCTL_OPTS()
 * @timeout_ms: the longest a request on the handle waits for its answer,
 *	milliseconds, then fails with -ETIMEDOUT; 0 (the default) waits as
 *	long as it takes, as memctl_open() does.  memctl_set_timeout()
 *	changes it later.
 */
struct memctl_open_opts {
	size_t sz;
	uint64_t timeout_ms;
};

/**
 * memctl_open_opts() - memctl_open(), with options and the error codes of
 *	MEMCTL_1.2 (above) (MEMCTL_1.2)
 * @mc: where to store the new handle
 * @opts: the options (MEMCTL_OPTS()), or NULL for the defaults
 *
 * Return: 0, -ENOPROTOOPT if the module is not loaded, -EINVAL or
 * -EOPNOTSUPP for @opts as MEMCTL_OPTS() says (or a timeout past
 * UINT32_MAX), -ETIMEDOUT, or another negative errno.
 */
MEMCTL_API int memctl_open_opts(struct memctl **mc,
				const struct memctl_open_opts *opts);

/**
 * memctl_set_timeout() - bound the wait of each request on a handle
 * @mc: the handle (from either open call)
 * @timeout_ms: milliseconds, or 0 to wait as long as it takes
 *
 * A request that gets no answer in time fails with -ETIMEDOUT; the
 * kernel may still do it (a one-shot reclaim goes on to its own bounds,
 * unless the handle is closed), and its late answer is dropped.  A dump
 * must be whole within the time.  (MEMCTL_1.2)
 *
 * Return: 0 or -EINVAL.
 */
MEMCTL_API int memctl_set_timeout(struct memctl *mc, uint32_t timeout_ms);

/**
 * struct memctl_events_open_opts - how memctl_events_open_opts() opens
 * @sz: sizeof(struct memctl_events_open_opts): see MEMCTL_OPTS()
 */
struct memctl_events_open_opts {
	size_t sz;
};

/**
 * memctl_events_open_opts() - memctl_events_open(), which also reports the
 *	module's unloading and loading (MEMCTL_1.2)
 * @ev: where to store the new handle
 * @opts: the options (MEMCTL_OPTS()), or NULL for the defaults
 *
 * The handle also listens to generic netlink's own notifications (its
 * "nlctrl" family's "notify" group).  When the memctl family goes away,
 * memctl_events_read() delivers a MEMCTL_EVENT_MODULE event with action
 * MEMCTL_MODULE_UNLOADED; no memctl event comes until the module is
 * loaded again.  Then the handle subscribes again by itself and delivers
 * MEMCTL_MODULE_LOADED: everything may have changed in between (a new
 * module has no policies), so an agent applies its state again.  If that
 * subscription fails, memctl_events_read() returns its error.
 *
 * Return: as memctl_events_open(), but -ENOPROTOOPT (not -ENOENT) when the
 * module is not loaded, and -EINVAL or -EOPNOTSUPP for @opts.
 */
MEMCTL_API int memctl_events_open_opts(struct memctl_events **ev,
				       const struct memctl_events_open_opts *opts);

/**
 * memctl_module_event_name() - a module notification, as a word
 * @event: enum memctl_module_event
 *
 * Return: "unloaded", "loaded", or "unknown".  (MEMCTL_1.2)
 */
MEMCTL_API const char *memctl_module_event_name(uint32_t event);

/**
 * struct memctl_cgroup_ref - a cgroup in a result, without a path buffer
 * @id: cgroup id, the inode number of its directory in cgroup2
 * @path: its path relative to the cgroup2 root, NUL-terminated, "" when
 *	the kernel did not send it; never NULL.  Owned by the library: how
 *	long it lives is said where the structure is delivered.
 */
struct memctl_cgroup_ref {
	uint64_t id;
	const char *path;
};

/**
 * struct memctl_cgroup_stats - struct memctl_stats, without its 4 KiB path
 *
 * The same statistics, by the same names and in the same order, as in
 * struct memctl_stats (see there); only @cgroup differs.  304 bytes,
 * where struct memctl_stats takes 4.4 KiB: the statistics of 16,384
 * cgroups, paths included, take about 6 MB (libmemctl(3)).  (MEMCTL_1.2)
 */
struct memctl_cgroup_stats {
	struct memctl_cgroup_ref cgroup;
	uint64_t usage;
	uint64_t slab_reclaimable;
	uint64_t slab_unreclaimable;
	uint64_t file;
	uint64_t anon;
	uint64_t swap;
	uint64_t high;
	uint64_t target;
	uint64_t episodes;
	uint64_t steps;
	uint64_t reclaimed_slab;
	uint64_t reclaimed_file;
	uint64_t reclaimed_anon;
	uint64_t reclaim_time_ns;
	uint64_t shortfalls;
	uint64_t pressure_stops;
	uint32_t last_stop;		/* enum memctl_stop, 0 = none yet */
	uint64_t last_freed;
	uint64_t last_duration_ns;
	uint64_t tier_stored_pages;
	uint64_t tier_compressed_bytes;
	uint64_t tier_same_filled_pages;
	uint64_t tier_stores;
	uint64_t tier_loads;
	uint64_t tier_cap_stops;
	uint64_t tier_overage;
	uint64_t reclaim_cpu_ns;
	uint64_t limit_stops;
	uint64_t auto_working_set;
	uint64_t auto_saved;
	uint32_t present;		/* MEMCTL_STATS_HAS_* */
	uint64_t auto_pushbacks;
	uint64_t tier_cap_refusals;
	uint64_t tier_backing_pages;	/* 1.3 */
	uint64_t reserved[2];
};

typedef int (*memctl_cgroup_stats_cb)(const struct memctl_cgroup_stats *stats,
				      void *arg);

/**
 * memctl_cgroup_stats_get() - memctl_stats_get(), without a path buffer
 *	(MEMCTL_1.2)
 * @mc: the handle
 * @cgroup: cgroup path relative to the cgroup2 root, or NULL
 * @id: cgroup id, or 0
 * @stats: filled in; @stats->cgroup.path lives in @mc until the next
 *	call on @mc
 *
 * Return: as memctl_stats_get().
 */
MEMCTL_API int memctl_cgroup_stats_get(struct memctl *mc, const char *cgroup,
				       uint64_t id,
				       struct memctl_cgroup_stats *stats);

/**
 * memctl_cgroup_stats_list() - the statistics of every policy, as one
 *	array (MEMCTL_1.2)
 * @mc: the handle
 * @rows: set to the array, in the kernel's order; free it with
 *	memctl_cgroup_stats_free().  Its paths live as long as it does.
 * @n: set to the number of rows
 *
 * Each row is kept as it arrives, in this compact form (never the dump's
 * messages, nor a 4 KiB path), in an array sized at first from the policy
 * count (a memctl_get_info() request before the dump), and the whole list
 * is consistent: a dump the kernel flags as inconsistent is redone, as
 * memctl_stats_foreach() does.
 *
 * Return: 0 (*@rows may be NULL when *@n is 0), -EAGAIN if no consistent
 * dump could be had, or another negative errno (*@rows is then NULL).
 */
MEMCTL_API int memctl_cgroup_stats_list(struct memctl *mc,
					struct memctl_cgroup_stats **rows,
					size_t *n);

/**
 * memctl_cgroup_stats_free() - free an array of memctl_cgroup_stats_list()
 * @rows: the array, or NULL
 */
MEMCTL_API void memctl_cgroup_stats_free(struct memctl_cgroup_stats *rows);

/**
 * memctl_cgroup_stats_foreach() - memctl_stats_foreach(), without a path
 *	buffer (MEMCTL_1.2)
 * @mc: the handle
 * @cb: called once per cgroup; returns 0 to go on, nonzero to stop.  The
 *	row and its path live until @cb returns.
 * @arg: passed to @cb
 *
 * The rows of memctl_cgroup_stats_list(), each given to @cb as it is
 * parsed from the dump, without the array (which for many cgroups is most
 * of the call's memory).  Every row is checked before @cb sees the first.
 *
 * Return: 0, the nonzero value @cb stopped with, -EAGAIN, or another
 * negative errno.
 */
MEMCTL_API int memctl_cgroup_stats_foreach(struct memctl *mc,
					   memctl_cgroup_stats_cb cb,
					   void *arg);

/**
 * memctl_cgroup_stats_sum() - memctl_stats_sum() over rows of
 *	memctl_cgroup_stats_list() (MEMCTL_1.2)
 * @rows: the rows
 * @n: how many
 * @total: filled in with the totals; its cgroup is id 0 and path ""
 *
 * Return: as memctl_stats_sum().
 */
MEMCTL_API int memctl_cgroup_stats_sum(const struct memctl_cgroup_stats *rows,
				       size_t n,
				       struct memctl_cgroup_stats *total);

#ifdef __cplusplus
}
#endif

#endif /* LIBMEMCTL_MEMCTL_H */
