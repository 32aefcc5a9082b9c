/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The statistics of struct memctl_stats, each declared once.
 *
 * MEMCTL_STATS_FIELDS(X) calls X once per statistic, in the order every
 * output lists them (JSON, key-value text, Prometheus):
 *
 *   X(ATTR, field, SUM, HAS, UNIT, group, key, label, column, prometheus)
 *
 *   ATTR        MEMCTL_A_STATS_<ATTR>, the STATS_GET attribute
 *   field       the member of struct memctl_stats it lands in
 *   SUM         how memctl_stats_sum() totals it over a list of cgroups:
 *               SUBTREE  what a cgroup holds now, its descendants counted
 *                        in by the kernel: summed over the rows without
 *                        an ancestor in the list
 *               POLICY   the policy's own counter: summed over every row
 *               LAST     the last episode's: 0 in a total, and left out
 *                        of the totals' JSON and TOTAL line
 *   HAS         which rows have it: ALWAYS (every row), or AUTO (rows of a
 *               policy in mode auto only: the kernel sends the attribute
 *               for those alone).  The library sets the row's bit
 *               MEMCTL_STATS_HAS_<HAS> in struct memctl_stats.present when
 *               the attribute comes, and a total has the bits of its rows.
 *               Where a row lacks it, the CLI prints null in the JSON (for
 *               its whole group), "-" in the table (a column of such
 *               statistics only, shown only when a row has them), and
 *               nothing in the text or Prometheus
 *   UNIT        BYTES, COUNT (events, pages), NS (nanoseconds; seconds in
 *               Prometheus) or STOP (enum memctl_stop, printed as its name)
 *   group, key  the JSON key, inside the object @group when not NULL
 *   label       the key of the key-value text (`memctl stats CGROUP`)
 *   column      COL(position, "HEADER") in the table of `memctl stats`
 *               (0 and 1 are the cgroup and its id; statistics that share
 *               a column are added up), or NOCOL
 *   prometheus  PROM(name, TYPE, help), PROM_LABEL(name, TYPE, label,
 *               value, help) for one sample of a family with an extra
 *               label (the rows of a family are adjacent; the first one's
 *               help is printed), or NOPROM; TYPE is GAUGE or COUNTER
 *
 * The library takes ATTR, field, SUM and HAS (libmemctl/stats.c), the memctl
 * CLI all of it (tools/memctl/fields.c, with offsets in struct
 * memctl_cgroup_stats, whose members have the same names): adding a
 * statistic is a UAPI attribute, the kernel line that fills it, a member
 * of struct memctl_stats and of struct memctl_cgroup_stats (from their
 * reserved space) and a row here.  The names and
 * keys are a contract: memctl(8) lists them, and the CLI's tests check
 * that list against this table.
 */
#ifndef LIBMEMCTL_STATS_FIELDS_H
#define LIBMEMCTL_STATS_FIELDS_H

/* Which rows have a statistic (HAS above): MEMCTL_STATS_HAS_* bits. */
#define MEMCTL__HAS_ALWAYS	0
#define MEMCTL__HAS_AUTO	MEMCTL_STATS_HAS_AUTO

/* How a statistic adds up over cgroups (SUM above). */
enum memctl__stats_sum {
	MEMCTL__SUM_SUBTREE,
	MEMCTL__SUM_POLICY,
	MEMCTL__SUM_LAST,
};

#define MEMCTL__SUBTREE_HELP " Includes the cgroup's descendants."

#define MEMCTL_STATS_FIELDS(X)						\
	X(USAGE, usage, SUBTREE, ALWAYS, BYTES,					\
	  NULL, "usage", "usage", COL(2, "USAGE"),			\
	  PROM("memctl_usage_bytes", GAUGE,				\
	       "Memory the cgroup uses now (memory.current)."		\
	       MEMCTL__SUBTREE_HELP))					\
	X(SLAB_RECLAIMABLE, slab_reclaimable, SUBTREE, ALWAYS, BYTES,		\
	  NULL, "slab_reclaimable", "slab reclaimable", COL(5, "SLAB"),	\
	  PROM("memctl_slab_reclaimable_bytes", GAUGE,			\
	       "Reclaimable slab (dentries, inodes) charged to the cgroup." \
	       MEMCTL__SUBTREE_HELP))					\
	X(SLAB_UNRECLAIMABLE, slab_unreclaimable, SUBTREE, ALWAYS, BYTES,	\
	  NULL, "slab_unreclaimable", "slab unreclaimable", COL(5, "SLAB"), \
	  PROM("memctl_slab_unreclaimable_bytes", GAUGE,		\
	       "Unreclaimable slab charged to the cgroup."		\
	       MEMCTL__SUBTREE_HELP))					\
	X(FILE, file, SUBTREE, ALWAYS, BYTES,					\
	  NULL, "file", "file", COL(6, "FILE"),				\
	  PROM("memctl_file_bytes", GAUGE,				\
	       "Page cache charged to the cgroup." MEMCTL__SUBTREE_HELP)) \
	X(ANON, anon, SUBTREE, ALWAYS, BYTES,					\
	  NULL, "anon", "anon", COL(7, "ANON"),				\
	  PROM("memctl_anon_bytes", GAUGE,				\
	       "Anonymous memory charged to the cgroup."		\
	       MEMCTL__SUBTREE_HELP))					\
	X(SWAP, swap, SUBTREE, ALWAYS, BYTES,					\
	  NULL, "swap", "swap", COL(8, "SWAP"),				\
	  PROM("memctl_swap_bytes", GAUGE,				\
	       "Swap charged to the cgroup (memory.swap.current)."	\
	       MEMCTL__SUBTREE_HELP))					\
	X(HIGH, high, SUBTREE, ALWAYS, BYTES,					\
	  NULL, "high", "high", COL(3, "HIGH"),				\
	  PROM("memctl_high_bytes", GAUGE,				\
	       "The policy's high mark: above it memctl reclaims."))	\
	X(TARGET, target, SUBTREE, ALWAYS, BYTES,				\
	  NULL, "target", "target", COL(4, "TARGET"),			\
	  PROM("memctl_target_bytes", GAUGE,				\
	       "The policy's target: where memctl's reclaim stops."))	\
	X(EPISODES, episodes, POLICY, ALWAYS, COUNT,				\
	  NULL, "episodes", "episodes", COL(9, "EPISODES"),		\
	  PROM("memctl_reclaim_episodes_total", COUNTER,		\
	       "Reclaim episodes memctl ran for the cgroup's policy."))	\
	X(STEPS, steps, POLICY, ALWAYS, COUNT,					\
	  NULL, "steps", "steps", NOCOL,				\
	  PROM("memctl_reclaim_steps_total", COUNTER,			\
	       "Bounded reclaim steps memctl took for the cgroup's policy.")) \
	X(RECLAIMED_SLAB, reclaimed_slab, POLICY, ALWAYS, BYTES,		\
	  "reclaimed", "slab", "reclaimed slab", COL(10, "R-SLAB"),	\
	  PROM_LABEL("memctl_reclaimed_bytes_total", COUNTER, "class", "slab", \
		     "Bytes memctl's reclaim freed from the cgroup, per class.")) \
	X(RECLAIMED_FILE, reclaimed_file, POLICY, ALWAYS, BYTES,		\
	  "reclaimed", "file", "reclaimed file", COL(11, "R-FILE"),	\
	  PROM_LABEL("memctl_reclaimed_bytes_total", COUNTER, "class", "file", \
		     "Bytes memctl's reclaim freed from the cgroup, per class.")) \
	X(RECLAIMED_ANON, reclaimed_anon, POLICY, ALWAYS, BYTES,		\
	  "reclaimed", "anon", "reclaimed anon", COL(12, "R-ANON"),	\
	  PROM_LABEL("memctl_reclaimed_bytes_total", COUNTER, "class", "anon", \
		     "Bytes memctl's reclaim freed from the cgroup, per class.")) \
	X(RECLAIM_TIME, reclaim_time_ns, POLICY, ALWAYS, NS,			\
	  NULL, "reclaim_time_ns", "reclaim time", NOCOL,		\
	  PROM("memctl_reclaim_seconds_total", COUNTER,			\
	       "Time memctl spent reclaiming from the cgroup."))	\
	X(RECLAIM_CPU, reclaim_cpu_ns, POLICY, ALWAYS, NS,			\
	  NULL, "reclaim_cpu_ns", "reclaim cpu", NOCOL,			\
	  PROM("memctl_reclaim_cpu_seconds_total", COUNTER,		\
	       "CPU time memctl's reclaim episodes used for the cgroup.")) \
	X(SHORTFALLS, shortfalls, POLICY, ALWAYS, COUNT,			\
	  NULL, "shortfalls", "shortfalls", NOCOL,			\
	  PROM("memctl_reclaim_shortfalls_total", COUNTER,		\
	       "Reclaim episodes that ended above the target."))	\
	X(PRESSURE_STOPS, pressure_stops, POLICY, ALWAYS, COUNT,		\
	  NULL, "pressure_stops", "pressure stops", NOCOL,		\
	  PROM("memctl_reclaim_pressure_stops_total", COUNTER,		\
	       "Reclaim episodes stopped because memory pressure passed the policy's limit.")) \
	X(LIMIT_STOPS, limit_stops, POLICY, ALWAYS, COUNT,			\
	  NULL, "limit_stops", "limit stops", NOCOL,			\
	  PROM("memctl_reclaim_limit_stops_total", COUNTER,		\
	       "Reclaim episodes stopped at the module's bound of a run (time or steps).")) \
	X(LAST_STOP, last_stop, LAST, ALWAYS, STOP,				\
	  NULL, "last_stop", "last stop", COL(14, "LAST-STOP"),		\
	  NOPROM)							\
	X(LAST_FREED, last_freed, LAST, ALWAYS, BYTES,				\
	  NULL, "last_freed", "last freed", NOCOL,			\
	  PROM("memctl_reclaim_last_freed_bytes", GAUGE,		\
	       "Bytes the last reclaim episode freed."))		\
	X(LAST_DURATION, last_duration_ns, LAST, ALWAYS, NS,			\
	  NULL, "last_duration_ns", "last duration", NOCOL,		\
	  PROM("memctl_reclaim_last_duration_seconds", GAUGE,		\
	       "How long the last reclaim episode took."))		\
	X(TIER_STORED_PAGES, tier_stored_pages, SUBTREE, ALWAYS, COUNT,		\
	  "tier", "stored_pages", "tier stored pages", NOCOL,		\
	  PROM("memctl_cgroup_tier_stored_pages", GAUGE,		\
	       "Pages of the cgroup stored in the compressed tier."	\
	       MEMCTL__SUBTREE_HELP))					\
	X(TIER_COMPRESSED_BYTES, tier_compressed_bytes, SUBTREE, ALWAYS, BYTES,	\
	  "tier", "compressed_bytes", "tier compressed", COL(13, "TIER"), \
	  PROM("memctl_cgroup_tier_compressed_bytes", GAUGE,		\
	       "Compressed size of the cgroup's pages in the tier."	\
	       MEMCTL__SUBTREE_HELP))					\
	X(TIER_SAME_FILLED_PAGES, tier_same_filled_pages, SUBTREE, ALWAYS, COUNT, \
	  "tier", "same_filled_pages", "tier same-filled", NOCOL,	\
	  PROM("memctl_cgroup_tier_same_filled_pages", GAUGE,		\
	       "The cgroup's pages in the tier stored as their fill value." \
	       MEMCTL__SUBTREE_HELP))					\
	X(TIER_STORES, tier_stores, SUBTREE, ALWAYS, COUNT,			\
	  "tier", "stores", "tier stores", NOCOL,			\
	  PROM("memctl_cgroup_tier_stores_total", COUNTER,		\
	       "Pages of the cgroup stored into the tier."		\
	       MEMCTL__SUBTREE_HELP))					\
	X(TIER_LOADS, tier_loads, SUBTREE, ALWAYS, COUNT,			\
	  "tier", "loads", "tier loads", NOCOL,				\
	  PROM("memctl_cgroup_tier_loads_total", COUNTER,		\
	       "Pages of the cgroup loaded back from the tier."		\
	       MEMCTL__SUBTREE_HELP))					\
	X(TIER_CAP_STOPS, tier_cap_stops, POLICY, ALWAYS, COUNT,		\
	  "tier", "cap_stops", "tier cap stops", NOCOL,			\
	  PROM("memctl_cgroup_tier_cap_stops_total", COUNTER,		\
	       "Anonymous reclaim passes held back by the policy's tier-max.")) \
	X(TIER_OVERAGE, tier_overage, POLICY, ALWAYS, BYTES,			\
	  "tier", "overage", "tier overage", NOCOL,			\
	  PROM("memctl_cgroup_tier_overage_bytes", GAUGE,		\
	       "Compressed bytes the cgroup holds in the tier past its tier-max.")) \
	X(TIER_CAP_REFUSALS, tier_cap_refusals, POLICY, ALWAYS, COUNT,	\
	  "tier", "cap_refusals", "tier cap refusals", NOCOL,		\
	  PROM("memctl_cgroup_tier_cap_refusals_total", COUNTER,	\
	       "Stores into the tier refused by the policy's tier off or tier-max, for pages of the cgroup or its descendants.")) \
	X(TIER_BACKING_PAGES, tier_backing_pages, SUBTREE, ALWAYS, COUNT,	\
	  "tier", "backing_pages", "tier backing pages", NOCOL,		\
	  PROM("memctl_cgroup_tier_backing_pages", GAUGE,		\
	       "Pages of the cgroup on the tier's backing device."	\
	       MEMCTL__SUBTREE_HELP))					\
	X(AUTO_WORKING_SET, auto_working_set, POLICY, AUTO, BYTES,	\
	  "auto", "working_set", "auto working set", COL(15, "AUTO-WSET"), \
	  PROM("memctl_auto_working_set_bytes", GAUGE,			\
	       "Mode auto: the policy's estimate of the cgroup's working set.")) \
	X(AUTO_SAVED, auto_saved, POLICY, AUTO, BYTES,			\
	  "auto", "saved", "auto saved", COL(16, "AUTO-SAVED"),		\
	  PROM("memctl_auto_saved_bytes", GAUGE,			\
	       "Mode auto: bytes its reclaim freed and the cgroup did not fault back.")) \
	X(AUTO_PUSHBACKS, auto_pushbacks, POLICY, AUTO, COUNT,		\
	  "auto", "pushbacks", "auto pushbacks", NOCOL,			\
	  PROM("memctl_auto_pushbacks_total", COUNTER,			\
	       "Mode auto: checks that found the cgroup stalling or refaulting, and held off."))

#endif /* LIBMEMCTL_STATS_FIELDS_H */
