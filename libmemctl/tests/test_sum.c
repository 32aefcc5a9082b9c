// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memctl_stats_sum(): the TOTAL row of `memctl stats`.  What a cgroup holds
 * is counted for its subtree by the kernel, so nested cgroups must not be
 * counted twice; memctl's own counters belong to each policy and are all
 * summed.  A wrong total here misleads every operator who reads it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"
#include "unit.h"

static void row(struct memctl_stats *s, const char *path, uint64_t id,
		uint64_t usage, uint64_t reclaimed)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->cgroup.path, path);
	s->cgroup.id = id;
	s->usage = usage;
	s->slab_reclaimable = usage / 2;
	s->slab_unreclaimable = 1;
	s->file = 2;
	s->anon = 3;
	s->swap = 4;
	s->high = usage * 2;
	s->target = usage;
	s->tier_stored_pages = 5;
	s->tier_compressed_bytes = 6;
	s->tier_same_filled_pages = 7;
	s->tier_stores = 8;
	s->tier_loads = 9;
	s->episodes = 1;
	s->steps = 2;
	s->reclaimed_slab = reclaimed;
	s->reclaimed_file = 2 * reclaimed;
	s->reclaimed_anon = 3 * reclaimed;
	s->reclaim_time_ns = 1000;
	s->reclaim_cpu_ns = 300;
	s->shortfalls = 1;
	s->pressure_stops = 1;
	s->tier_cap_stops = 1;
	s->tier_overage = 10;
	s->last_stop = MEMCTL_STOP_TARGET;
	s->last_freed = 99;
	s->last_duration_ns = 98;
}

TEST(stats_sum_flat_and_nested)
{
	struct memctl_stats *rows = calloc(6, sizeof(*rows)), t;

	if (!rows)
		return;
	/* /a and /ab are siblings; /a/b and /a/b/c are under /a. */
	row(&rows[0], "/a/b", 3, 100, 1);
	row(&rows[1], "/a", 2, 1000, 10);
	row(&rows[2], "/ab", 4, 10000, 100);
	row(&rows[3], "/a/b/c", 5, 10, 1000);
	row(&rows[4], "/a-b", 6, 100000, 10000);
	CHECK_INT(memctl_stats_sum(rows, 5, &t), 3);
	CHECK_U64(t.usage, 1000 + 10000 + 100000);
	CHECK_U64(t.slab_reclaimable, 500 + 5000 + 50000);
	CHECK_U64(t.slab_unreclaimable, 3);
	CHECK_U64(t.file, 6);
	CHECK_U64(t.anon, 9);
	CHECK_U64(t.swap, 12);
	CHECK_U64(t.high, 2 * 111000);
	CHECK_U64(t.target, 111000);
	CHECK_U64(t.tier_stored_pages, 15);
	CHECK_U64(t.tier_compressed_bytes, 18);
	CHECK_U64(t.tier_same_filled_pages, 21);
	CHECK_U64(t.tier_stores, 24);
	CHECK_U64(t.tier_loads, 27);
	/* every policy's own counters */
	CHECK_U64(t.episodes, 5);
	CHECK_U64(t.steps, 10);
	CHECK_U64(t.reclaimed_slab, 11111);
	CHECK_U64(t.reclaimed_file, 22222);
	CHECK_U64(t.reclaimed_anon, 33333);
	CHECK_U64(t.reclaim_time_ns, 5000);
	CHECK_U64(t.reclaim_cpu_ns, 1500);
	CHECK_U64(t.shortfalls, 5);
	CHECK_U64(t.pressure_stops, 5);
	CHECK_U64(t.tier_cap_stops, 5);
	CHECK_U64(t.tier_overage, 50);
	CHECK_U64(t.last_stop, 0);
	CHECK_U64(t.last_freed, 0);
	CHECK_U64(t.last_duration_ns, 0);
	CHECK_U64(t.cgroup.id, 0);
	CHECK_STR(t.cgroup.path, "");

	/* "/" holds everything; a twin path counts once; no path: top-level */
	row(&rows[5], "/", 1, 7, 0);
	CHECK_INT(memctl_stats_sum(rows, 6, &t), 1);
	CHECK_U64(t.usage, 7);
	CHECK_U64(t.episodes, 6);
	row(&rows[0], "/x", 3, 100, 1);
	row(&rows[1], "/x", 3, 100, 1);
	row(&rows[2], "", 9, 5, 1);
	CHECK_INT(memctl_stats_sum(rows, 3, &t), 2);
	CHECK_U64(t.usage, 105);
	CHECK_U64(t.reclaimed_slab, 3);
	free(rows);
}

TEST(stats_sum_edges)
{
	struct memctl_stats rows[2], t;

	memset(&t, 0xff, sizeof(t));
	CHECK_INT(memctl_stats_sum(NULL, 0, &t), 0);
	CHECK_U64(t.usage, 0);
	CHECK_U64(t.episodes, 0);
	CHECK_INT(memctl_stats_sum(NULL, 1, &t), -EINVAL);
	CHECK_INT(memctl_stats_sum(rows, 0, NULL), -EINVAL);

	/* saturates instead of wrapping */
	row(&rows[0], "/p", 1, UINT64_MAX - 1, UINT64_MAX);
	row(&rows[1], "/q", 2, 5, 1);
	CHECK_INT(memctl_stats_sum(rows, 2, &t), 2);
	CHECK_U64(t.usage, UINT64_MAX);
	CHECK_U64(t.reclaimed_slab, UINT64_MAX);
	CHECK_U64(t.tier_overage, 20);
}

/* The plain definition, O(n^2), to hold the fast one against. */
static bool slow_nested(const struct memctl_stats *rows, size_t n, size_t i)
{
	const char *path = rows[i].cgroup.path;
	size_t k;

	if (!path[0])
		return false;
	for (k = 0; k < n; k++) {
		const char *a = rows[k].cgroup.path;
		size_t len = strlen(a);

		if (k == i || !a[0])
			continue;
		if (k < i && !strcmp(a, path))
			return true;
		if (!strcmp(a, "/") ? strcmp(path, "/") != 0 :
		    !strncmp(a, path, len) && path[len] == '/')
			return true;
	}
	return false;
}

TEST(stats_sum_matches_definition)
{
	/* a small alphabet makes prefixes, twins and near misses ("/a" and
	 * "/ab", "/a-b") common */
	static const char *const parts[] = { "a", "ab", "a-b", "b", "a.b" };
	struct memctl_stats *rows = calloc(300, sizeof(*rows)), t;
	unsigned int seed = 12345;
	int round;

	if (!rows)
		return;
	for (round = 0; round < 20; round++) {
		size_t n = 1 + (size_t)(round * 15), i;
		uint64_t want_usage = 0;
		int want_top = 0;

		for (i = 0; i < n; i++) {
			char path[64] = "";
			int depth, d;

			seed = seed * 1103515245 + 12345;
			depth = (int)(seed >> 16) % 4;
			for (d = 0; d < depth; d++) {
				seed = seed * 1103515245 + 12345;
				strcat(path, "/");
				strcat(path, parts[(seed >> 16) % 5]);
			}
			/* depth 0: the root or, sometimes, no path at all */
			row(&rows[i], depth ? path : (seed & 0x100) ? "/" : "",
			    i + 1, 1ULL << (i % 40), 1);
		}
		for (i = 0; i < n; i++) {
			if (slow_nested(rows, n, i))
				continue;
			want_top++;
			want_usage += rows[i].usage;
		}
		CHECK_INT(memctl_stats_sum(rows, n, &t), want_top);
		CHECK_U64(t.usage, want_usage);
		CHECK_U64(t.episodes, n);
	}
	free(rows);
}

/*
 * The auto statistics are the policy's own: summed over every row that has
 * them; the total has the presence bits of its rows, none without any.
 */
TEST(stats_sum_auto_presence)
{
	struct memctl_stats *rows = calloc(3, sizeof(*rows)), t;

	if (!rows)
		return;
	row(&rows[0], "/a", 1, 100, 1);
	row(&rows[1], "/a/b", 2, 10, 1);
	row(&rows[2], "/c", 3, 10, 1);
	CHECK_INT(memctl_stats_sum(rows, 3, &t), 2);
	CHECK_U64(t.present, 0);
	CHECK_U64(t.auto_working_set, 0);

	rows[1].present = MEMCTL_STATS_HAS_AUTO;
	rows[1].auto_working_set = 7;
	rows[1].auto_saved = 3;
	rows[2].present = MEMCTL_STATS_HAS_AUTO;
	rows[2].auto_working_set = 70;
	rows[2].auto_saved = 30;
	CHECK_INT(memctl_stats_sum(rows, 3, &t), 2);
	CHECK_U64(t.present, MEMCTL_STATS_HAS_AUTO);
	CHECK_U64(t.auto_working_set, 77);	/* /a/b counts: POLICY */
	CHECK_U64(t.auto_saved, 33);
	free(rows);
}

/* The string copy every parser uses: terminated, cut, never overrun. */
static const char *copy_attr(const char *data, size_t len, char *dst,
			     size_t dstlen)
{
	unsigned char buf[64] __attribute__((aligned(4)));
	struct nlattr *a = (struct nlattr *)buf;

	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	a->nla_type = 1;
	memcpy(buf + NLA_HDRLEN, data, len);
	memctl__strattr(dst, dstlen, a);
	return dst;
}

TEST(strattr_copy)
{
	char dst[8];

	memset(dst, 'Z', sizeof(dst));
	CHECK_STR(copy_attr("abc", 4, dst, sizeof(dst)), "abc");
	CHECK_INT(dst[4], 'Z');		/* the rest is the caller's */
	CHECK_STR(copy_attr("abcdefghij", 11, dst, 4), "abc");
	CHECK_STR(copy_attr("xyz", 3, dst, sizeof(dst)), "xyz");	/* no NUL */
	CHECK_STR(copy_attr("", 1, dst, sizeof(dst)), "");
	memset(dst, 'Z', sizeof(dst));
	memctl__strattr(dst, sizeof(dst), NULL);
	CHECK_INT(dst[0], 'Z');
}

/*
 * The result structures are ABI (MEMCTL_1.0): fields are added by taking
 * them from reserved[], never by growing a structure.  Sizes of x86-64.
 */
TEST(abi_struct_sizes)
{
#if defined(__x86_64__)
	CHECK_U64(sizeof(struct memctl_stats), 4376);
	CHECK_U64(sizeof(struct memctl_reclaim_result), 4216);
	CHECK_U64(sizeof(struct memctl_policy), 4192);
	CHECK_U64(sizeof(struct memctl_tier), 208);
	/* MEMCTL_1.2 */
	CHECK_U64(sizeof(struct memctl_cgroup_stats), 304);
	CHECK_U64(sizeof(struct memctl_open_opts), 16);
	CHECK_U64(sizeof(struct memctl_events_open_opts), 8);
#endif
}
