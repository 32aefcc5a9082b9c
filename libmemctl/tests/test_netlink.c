// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Parsing of what the kernel sends: replies, notifications and extended
 * acks.  Strict about types and lengths (a malformed reply is -EPROTO, never
 * half-read), tolerant of attributes newer than this library.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>

#include "../internal.h"
#include "unit.h"

#define FAMILY 0x30

static struct nl_msg *genl_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc_size(3 * MEMCTL_CGROUP_PATH_MAX);

	if (msg && !genlmsg_put(msg, 0, 1, FAMILY, 0, 0, cmd, 1)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* A distinct value per attribute, so that a mixed-up field shows. */
#define V(attr) (1000000ULL * (attr) + 7)

TEST(parse_policy_full)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_POLICY_GET);
	struct memctl_policy p;
	uint32_t event = 99;

	nla_put_string(msg, MEMCTL_A_POLICY_CGROUP_PATH, "/app.slice/web");
	nla_put_u64(msg, MEMCTL_A_POLICY_CGROUP_ID, 4242);
	nla_put(msg, MEMCTL_A_POLICY_PAD, 0, NULL);
	nla_put_u64(msg, MEMCTL_A_POLICY_HIGH, V(MEMCTL_A_POLICY_HIGH));
	nla_put_u64(msg, MEMCTL_A_POLICY_TARGET, V(MEMCTL_A_POLICY_TARGET));
	nla_put_u32(msg, MEMCTL_A_POLICY_INTERVAL, 1500);
	nla_put_u32(msg, MEMCTL_A_POLICY_CLASSES, MEMCTL_F_CLASS_SLAB);
	nla_put_u32(msg, MEMCTL_A_POLICY_SLAB_FIRST, 10);
	nla_put_u32(msg, MEMCTL_A_POLICY_PRESSURE, 20000);
	nla_put_u8(msg, MEMCTL_A_POLICY_TIER, 1);
	nla_put_u64(msg, MEMCTL_A_POLICY_TIER_MAX, V(MEMCTL_A_POLICY_TIER_MAX));
	/* from a newer kernel: skipped, whatever its size */
	nla_put_u32(msg, MEMCTL_A_POLICY_MAX + 1, 1);
	nla_put_string(msg, MEMCTL_A_POLICY_MAX + 7, "future");

	memset(&p, 0xff, sizeof(p));
	CHECK_INT(memctl__parse_policy(nlmsg_hdr(msg), &p, &event), 0);
	CHECK_STR(p.cgroup.path, "/app.slice/web");
	CHECK_U64(p.cgroup.id, 4242);
	CHECK_U64(p.set, MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET |
		  MEMCTL_POLICY_F_INTERVAL | MEMCTL_POLICY_F_CLASSES |
		  MEMCTL_POLICY_F_SLAB_FIRST | MEMCTL_POLICY_F_PRESSURE |
		  MEMCTL_POLICY_F_TIER | MEMCTL_POLICY_F_TIER_MAX);
	CHECK_U64(p.high, V(MEMCTL_A_POLICY_HIGH));
	CHECK_U64(p.target, V(MEMCTL_A_POLICY_TARGET));
	CHECK_U64(p.interval_ms, 1500);
	CHECK_U64(p.classes, MEMCTL_F_CLASS_SLAB);
	CHECK_U64(p.slab_first, 10);
	CHECK_U64(p.pressure_us, 20000);
	CHECK(p.tier == true);
	CHECK_U64(p.tier_max, V(MEMCTL_A_POLICY_TIER_MAX));
	CHECK_U64(p.mode, MEMCTL_MODE_THRESHOLD);
	CHECK_U64(p.min, 0);
	CHECK_U64(p.reserved[0], 0);
	CHECK_U64(event, 0);		/* not a notification */
	nlmsg_free(msg);
}

/* Mode auto: mode and min come back with their bits; high and target, not
 * sent, have none. */
TEST(parse_policy_auto)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_POLICY_GET);
	struct memctl_policy p;

	nla_put_u64(msg, MEMCTL_A_POLICY_CGROUP_ID, 3);
	nla_put_u32(msg, MEMCTL_A_POLICY_MODE, MEMCTL_MODE_AUTO);
	nla_put_u64(msg, MEMCTL_A_POLICY_MIN, V(MEMCTL_A_POLICY_MIN));
	nla_put_u32(msg, MEMCTL_A_POLICY_PRESSURE, MEMCTL_AUTO_PRESSURE_DEFAULT);
	memset(&p, 0xff, sizeof(p));
	CHECK_INT(memctl__parse_policy(nlmsg_hdr(msg), &p, NULL), 0);
	CHECK_U64(p.set, MEMCTL_POLICY_F_MODE | MEMCTL_POLICY_F_MIN |
		  MEMCTL_POLICY_F_PRESSURE);
	CHECK_U64(p.mode, MEMCTL_MODE_AUTO);
	CHECK_U64(p.min, V(MEMCTL_A_POLICY_MIN));
	CHECK_U64(p.high, 0);
	CHECK_U64(p.target, 0);
	CHECK_U64(p.reserved[0], 0);
	CHECK_U64(p.reserved[1], 0);
	nlmsg_free(msg);
}

TEST(parse_policy_partial)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_POLICY_GET);
	struct memctl_policy p;

	nla_put_u64(msg, MEMCTL_A_POLICY_CGROUP_ID, 1);
	nla_put_u64(msg, MEMCTL_A_POLICY_HIGH, 2 << 20);
	nla_put_u8(msg, MEMCTL_A_POLICY_TIER, 0);
	CHECK_INT(memctl__parse_policy(nlmsg_hdr(msg), &p, NULL), 0);
	CHECK_U64(p.set, MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TIER);
	CHECK_STR(p.cgroup.path, "");
	CHECK(p.tier == false);
	CHECK_U64(p.target, 0);
	nlmsg_free(msg);
}

/* One attribute of the wrong shape makes the whole message -EPROTO. */
static void expect_eproto(int attr, const void *data, int len, int line)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_POLICY_GET);
	struct memctl_policy p;
	int err;

	nla_put_u64(msg, MEMCTL_A_POLICY_CGROUP_ID, 1);
	nla_put(msg, attr, len, data);
	err = memctl__parse_policy(nlmsg_hdr(msg), &p, NULL);
	unit_check(err == -EPROTO, __FILE__, line,
		   "attr %d len %d: got %d, want -EPROTO", attr, len, err);
	nlmsg_free(msg);
}

TEST(parse_policy_strict)
{
	static const uint64_t u64 = 1;
	char *big = malloc(MEMCTL_CGROUP_PATH_MAX + 1);

	expect_eproto(MEMCTL_A_POLICY_HIGH, &u64, 4, __LINE__);	/* u64 as u32 */
	expect_eproto(MEMCTL_A_POLICY_HIGH, &u64, 0, __LINE__);
	expect_eproto(MEMCTL_A_POLICY_INTERVAL, &u64, 8, __LINE__);	/* u32 as u64 */
	expect_eproto(MEMCTL_A_POLICY_INTERVAL, &u64, 2, __LINE__);
	expect_eproto(MEMCTL_A_POLICY_TIER, &u64, 4, __LINE__);	/* u8 as u32 */
	expect_eproto(MEMCTL_A_POLICY_MODE, &u64, 8, __LINE__);
	expect_eproto(MEMCTL_A_POLICY_MIN, &u64, 4, __LINE__);
	expect_eproto(MEMCTL_A_POLICY_CGROUP_ID, &u64, 4, __LINE__);
	expect_eproto(MEMCTL_A_POLICY_CGROUP_PATH, "/a", 2, __LINE__); /* no NUL */
	expect_eproto(MEMCTL_A_POLICY_CGROUP_PATH, "", 0, __LINE__);
	expect_eproto(MEMCTL_A_POLICY_CGROUP_PATH, "/a\0b", 5, __LINE__);
	CHECK(big != NULL);
	if (big) {
		memset(big, 'a', MEMCTL_CGROUP_PATH_MAX);
		big[MEMCTL_CGROUP_PATH_MAX] = '\0';
		expect_eproto(MEMCTL_A_POLICY_CGROUP_PATH, big,
			      MEMCTL_CGROUP_PATH_MAX + 1, __LINE__);
		free(big);
	}
}

TEST(parse_short_genl_header)
{
	struct nl_msg *msg = nlmsg_alloc_simple(FAMILY, 0);
	struct memctl_policy p;
	struct memctl_event ev;
	char half[2] = { MEMCTL_CMD_POLICY_NTF, 1 };

	nlmsg_append(msg, half, sizeof(half), 1);
	/* nlmsg_append pads to 4: fix the length to a truly short header */
	nlmsg_hdr(msg)->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK_INT(memctl__parse_policy(nlmsg_hdr(msg), &p, NULL), -EPROTO);
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), &ev), -EPROTO);
	nlmsg_free(msg);
}

TEST(parse_stats_all_fields)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_STATS_GET);
	struct memctl_stats s;
	int a;

	nla_put_string(msg, MEMCTL_A_STATS_CGROUP_PATH, "/x");
	for (a = MEMCTL_A_STATS_CGROUP_ID; a <= MEMCTL_A_STATS_MAX; a++) {
		if (a == MEMCTL_A_STATS_LAST_STOP)
			nla_put_u32(msg, a, MEMCTL_STOP_PRESSURE);
		else
			nla_put_u64(msg, a, V(a));
	}
	CHECK_INT(memctl__parse_stats(nlmsg_hdr(msg), &s), 0);
	CHECK_STR(s.cgroup.path, "/x");
	CHECK_U64(s.cgroup.id, V(MEMCTL_A_STATS_CGROUP_ID));
	CHECK_U64(s.usage, V(MEMCTL_A_STATS_USAGE));
	CHECK_U64(s.slab_reclaimable, V(MEMCTL_A_STATS_SLAB_RECLAIMABLE));
	CHECK_U64(s.slab_unreclaimable, V(MEMCTL_A_STATS_SLAB_UNRECLAIMABLE));
	CHECK_U64(s.file, V(MEMCTL_A_STATS_FILE));
	CHECK_U64(s.anon, V(MEMCTL_A_STATS_ANON));
	CHECK_U64(s.swap, V(MEMCTL_A_STATS_SWAP));
	CHECK_U64(s.high, V(MEMCTL_A_STATS_HIGH));
	CHECK_U64(s.target, V(MEMCTL_A_STATS_TARGET));
	CHECK_U64(s.episodes, V(MEMCTL_A_STATS_EPISODES));
	CHECK_U64(s.steps, V(MEMCTL_A_STATS_STEPS));
	CHECK_U64(s.reclaimed_slab, V(MEMCTL_A_STATS_RECLAIMED_SLAB));
	CHECK_U64(s.reclaimed_file, V(MEMCTL_A_STATS_RECLAIMED_FILE));
	CHECK_U64(s.reclaimed_anon, V(MEMCTL_A_STATS_RECLAIMED_ANON));
	CHECK_U64(s.reclaim_time_ns, V(MEMCTL_A_STATS_RECLAIM_TIME));
	CHECK_U64(s.shortfalls, V(MEMCTL_A_STATS_SHORTFALLS));
	CHECK_U64(s.pressure_stops, V(MEMCTL_A_STATS_PRESSURE_STOPS));
	CHECK_U64(s.last_stop, MEMCTL_STOP_PRESSURE);
	CHECK_U64(s.last_freed, V(MEMCTL_A_STATS_LAST_FREED));
	CHECK_U64(s.last_duration_ns, V(MEMCTL_A_STATS_LAST_DURATION));
	CHECK_U64(s.tier_stored_pages, V(MEMCTL_A_STATS_TIER_STORED_PAGES));
	CHECK_U64(s.tier_compressed_bytes, V(MEMCTL_A_STATS_TIER_COMPRESSED_BYTES));
	CHECK_U64(s.tier_same_filled_pages,
		  V(MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES));
	CHECK_U64(s.tier_stores, V(MEMCTL_A_STATS_TIER_STORES));
	CHECK_U64(s.tier_loads, V(MEMCTL_A_STATS_TIER_LOADS));
	CHECK_U64(s.tier_cap_stops, V(MEMCTL_A_STATS_TIER_CAP_STOPS));
	CHECK_U64(s.tier_overage, V(MEMCTL_A_STATS_TIER_OVERAGE));
	CHECK_U64(s.reclaim_cpu_ns, V(MEMCTL_A_STATS_RECLAIM_CPU));
	CHECK_U64(s.limit_stops, V(MEMCTL_A_STATS_LIMIT_STOPS));
	CHECK_U64(s.auto_working_set, V(MEMCTL_A_STATS_AUTO_WORKING_SET));
	CHECK_U64(s.auto_saved, V(MEMCTL_A_STATS_AUTO_SAVED));
	CHECK_U64(s.present, MEMCTL_STATS_HAS_AUTO);
	CHECK_U64(s.tier_backing_pages, V(MEMCTL_A_STATS_TIER_BACKING_PAGES));
	nlmsg_free(msg);
}

/* The auto statistics, and their bit of @present, only when sent: a
 * threshold policy's row has neither, an auto one's has both. */
TEST(parse_stats_presence)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_STATS_GET);
	struct memctl_stats s;

	nla_put_u64(msg, MEMCTL_A_STATS_USAGE, 1);
	nla_put_u64(msg, MEMCTL_A_STATS_LIMIT_STOPS, 2);
	memset(&s, 0xff, sizeof(s));
	CHECK_INT(memctl__parse_stats(nlmsg_hdr(msg), &s), 0);
	CHECK_U64(s.present, 0);
	CHECK_U64(s.auto_working_set, 0);
	nlmsg_free(msg);

	msg = genl_msg(MEMCTL_CMD_STATS_GET);
	nla_put_u64(msg, MEMCTL_A_STATS_USAGE, 1);
	nla_put_u64(msg, MEMCTL_A_STATS_AUTO_SAVED, 0);
	CHECK_INT(memctl__parse_stats(nlmsg_hdr(msg), &s), 0);
	CHECK_U64(s.present, MEMCTL_STATS_HAS_AUTO);
	CHECK_U64(s.auto_saved, 0);
	nlmsg_free(msg);

	/* a u64 sent as u32 fails the row, as for any statistic */
	msg = genl_msg(MEMCTL_CMD_STATS_GET);
	nla_put_u32(msg, MEMCTL_A_STATS_AUTO_WORKING_SET, 1);
	CHECK_INT(memctl__parse_stats(nlmsg_hdr(msg), &s), -EPROTO);
	nlmsg_free(msg);
}

TEST(parse_stats_strict)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_STATS_GET);
	struct memctl_stats s;

	nla_put_u64(msg, MEMCTL_A_STATS_USAGE, 1);
	nla_put_u64(msg, MEMCTL_A_STATS_LAST_STOP, 1);	/* u32 sent as u64 */
	CHECK_INT(memctl__parse_stats(nlmsg_hdr(msg), &s), -EPROTO);
	nlmsg_free(msg);
}

static void put_reclaim(struct nl_msg *msg)
{
	nla_put_string(msg, MEMCTL_A_RECLAIM_CGROUP_PATH, "/r");
	nla_put_u64(msg, MEMCTL_A_RECLAIM_CGROUP_ID, 77);
	nla_put_u64(msg, MEMCTL_A_RECLAIM_BYTES, V(MEMCTL_A_RECLAIM_BYTES));
	nla_put_u32(msg, MEMCTL_A_RECLAIM_CLASSES, __MEMCTL_F_CLASS_ALL);
	nla_put_u64(msg, MEMCTL_A_RECLAIM_FREED_SLAB, V(MEMCTL_A_RECLAIM_FREED_SLAB));
	nla_put_u64(msg, MEMCTL_A_RECLAIM_FREED_FILE, V(MEMCTL_A_RECLAIM_FREED_FILE));
	nla_put_u64(msg, MEMCTL_A_RECLAIM_FREED_ANON, V(MEMCTL_A_RECLAIM_FREED_ANON));
	nla_put_u64(msg, MEMCTL_A_RECLAIM_DURATION, V(MEMCTL_A_RECLAIM_DURATION));
	nla_put_u32(msg, MEMCTL_A_RECLAIM_STEPS, 12);
	nla_put_u32(msg, MEMCTL_A_RECLAIM_STOP, MEMCTL_STOP_NO_PROGRESS);
	nla_put_u32(msg, MEMCTL_A_RECLAIM_TRIGGER, MEMCTL_TRIGGER_POLICY);
	nla_put_u64(msg, MEMCTL_A_RECLAIM_USAGE_BEFORE,
		    V(MEMCTL_A_RECLAIM_USAGE_BEFORE));
	nla_put_u64(msg, MEMCTL_A_RECLAIM_USAGE_AFTER,
		    V(MEMCTL_A_RECLAIM_USAGE_AFTER));
	nla_put_u64(msg, MEMCTL_A_RECLAIM_CPU, V(MEMCTL_A_RECLAIM_CPU));
}

/* A run of mode auto: its trigger and the two figures. */
TEST(parse_reclaim_auto)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_RECLAIM_NTF);
	struct memctl_event *ev = malloc(sizeof(*ev));

	CHECK(ev != NULL);
	if (!ev) {
		nlmsg_free(msg);
		return;
	}
	nla_put_u64(msg, MEMCTL_A_RECLAIM_CGROUP_ID, 8);
	nla_put_u32(msg, MEMCTL_A_RECLAIM_TRIGGER, MEMCTL_TRIGGER_AUTO);
	nla_put_u64(msg, MEMCTL_A_RECLAIM_AUTO_WORKING_SET,
		    V(MEMCTL_A_RECLAIM_AUTO_WORKING_SET));
	nla_put_u64(msg, MEMCTL_A_RECLAIM_AUTO_SAVED,
		    V(MEMCTL_A_RECLAIM_AUTO_SAVED));
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), ev), 1);
	CHECK_U64(ev->action, MEMCTL_TRIGGER_AUTO);
	CHECK_U64(ev->reclaim.trigger, MEMCTL_TRIGGER_AUTO);
	CHECK_U64(ev->reclaim.auto_working_set,
		  V(MEMCTL_A_RECLAIM_AUTO_WORKING_SET));
	CHECK_U64(ev->reclaim.auto_saved, V(MEMCTL_A_RECLAIM_AUTO_SAVED));
	CHECK_U64(ev->reclaim.reserved[0], 0);
	nlmsg_free(msg);
	free(ev);
}

static void check_reclaim(const struct memctl_reclaim_result *r, int line)
{
	unit_check(!strcmp(r->cgroup.path, "/r") && r->cgroup.id == 77 &&
		   r->requested == V(MEMCTL_A_RECLAIM_BYTES) &&
		   r->classes == __MEMCTL_F_CLASS_ALL &&
		   r->freed_slab == V(MEMCTL_A_RECLAIM_FREED_SLAB) &&
		   r->freed_file == V(MEMCTL_A_RECLAIM_FREED_FILE) &&
		   r->freed_anon == V(MEMCTL_A_RECLAIM_FREED_ANON) &&
		   r->duration_ns == V(MEMCTL_A_RECLAIM_DURATION) &&
		   r->steps == 12 && r->stop == MEMCTL_STOP_NO_PROGRESS &&
		   r->trigger == MEMCTL_TRIGGER_POLICY &&
		   r->usage_before == V(MEMCTL_A_RECLAIM_USAGE_BEFORE) &&
		   r->usage_after == V(MEMCTL_A_RECLAIM_USAGE_AFTER) &&
		   r->cpu_ns == V(MEMCTL_A_RECLAIM_CPU),
		   __FILE__, line, "reclaim result fields");
}

TEST(parse_reclaim)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_RECLAIM);
	struct memctl_reclaim_result r;

	put_reclaim(msg);
	CHECK_INT(memctl__parse_reclaim(nlmsg_hdr(msg), &r), 0);
	check_reclaim(&r, __LINE__);
	nlmsg_free(msg);
}

static void put_tier(struct nl_msg *msg)
{
	int a;

	nla_put_string(msg, MEMCTL_A_TIER_DEVICE, "memctl0");
	nla_put_string(msg, MEMCTL_A_TIER_ALGO, "lzo-rle");
	nla_put_u64(msg, MEMCTL_A_TIER_SIZE, 1ULL << 30);
	nla_put_u8(msg, MEMCTL_A_TIER_IN_USE, 1);
	for (a = MEMCTL_A_TIER_STORED_PAGES; a <= MEMCTL_A_TIER_DISCARDS; a++)
		nla_put_u64(msg, a, V(a));
}

TEST(parse_tier)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_TIER_GET);
	struct memctl_cgroup cg;
	struct memctl_tier t;
	uint32_t event = 5;

	put_tier(msg);
	CHECK_INT(memctl__parse_tier(nlmsg_hdr(msg), &t, &event, &cg), 0);
	CHECK_STR(t.device, "memctl0");
	CHECK_STR(t.algo, "lzo-rle");
	CHECK_U64(t.size, 1ULL << 30);
	CHECK(t.in_use);
	CHECK_U64(t.stored_pages, V(MEMCTL_A_TIER_STORED_PAGES));
	CHECK_U64(t.compressed_bytes, V(MEMCTL_A_TIER_COMPRESSED_BYTES));
	CHECK_U64(t.pool_bytes, V(MEMCTL_A_TIER_POOL_BYTES));
	CHECK_U64(t.same_filled_pages, V(MEMCTL_A_TIER_SAME_FILLED_PAGES));
	CHECK_U64(t.huge_pages, V(MEMCTL_A_TIER_HUGE_PAGES));
	CHECK_U64(t.stores, V(MEMCTL_A_TIER_STORES));
	CHECK_U64(t.loads, V(MEMCTL_A_TIER_LOADS));
	CHECK_U64(t.failed_stores, V(MEMCTL_A_TIER_FAILED_STORES));
	CHECK_U64(t.failed_loads, V(MEMCTL_A_TIER_FAILED_LOADS));
	CHECK_U64(t.discards, V(MEMCTL_A_TIER_DISCARDS));
	CHECK_U64(event, 0);
	CHECK_U64(cg.id, 0);
	CHECK_STR(cg.path, "");
	nlmsg_free(msg);

	/* an algorithm name longer than the UAPI allows */
	msg = genl_msg(MEMCTL_CMD_TIER_GET);
	nla_put_string(msg, MEMCTL_A_TIER_ALGO, "a-very-long-algorithm");
	CHECK_INT(memctl__parse_tier(nlmsg_hdr(msg), &t, NULL, NULL), -EPROTO);
	nlmsg_free(msg);
}

TEST(parse_info)
{
	struct nl_msg *msg = genl_msg(MEMCTL_CMD_GET_INFO);
	struct memctl_info info;

	nla_put_string(msg, MEMCTL_A_INFO_VERSION, "0.1.0");
	nla_put_string(msg, MEMCTL_A_INFO_KERNEL, "6.1.0-13-amd64");
	nla_put_u32(msg, MEMCTL_A_INFO_FEATURES, __MEMCTL_F_FEAT_ALL);
	nla_put_u32(msg, MEMCTL_A_INFO_CLASSES, MEMCTL_CLASSES_DEFAULT);
	nla_put_u32(msg, MEMCTL_A_INFO_MAX_POLICIES, 1024);
	nla_put_u32(msg, MEMCTL_A_INFO_NR_POLICIES, 3);
	CHECK_INT(memctl__parse_info(nlmsg_hdr(msg), &info), 0);
	CHECK_STR(info.version, "0.1.0");
	CHECK_STR(info.kernel, "6.1.0-13-amd64");
	CHECK_U64(info.features, __MEMCTL_F_FEAT_ALL);
	CHECK_U64(info.classes, MEMCTL_CLASSES_DEFAULT);
	CHECK_U64(info.max_policies, 1024);
	CHECK_U64(info.nr_policies, 3);
	nlmsg_free(msg);
}

TEST(parse_events)
{
	struct memctl_event *ev = malloc(sizeof(*ev));
	struct nl_msg *msg;

	CHECK(ev != NULL);
	if (!ev)
		return;

	msg = genl_msg(MEMCTL_CMD_POLICY_NTF);
	nla_put_string(msg, MEMCTL_A_POLICY_CGROUP_PATH, "/p");
	nla_put_u64(msg, MEMCTL_A_POLICY_CGROUP_ID, 5);
	nla_put_u32(msg, MEMCTL_A_POLICY_EVENT, MEMCTL_POLICY_EVENT_CGROUP_REMOVED);
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), ev), 1);
	CHECK_U64(ev->type, MEMCTL_EVENT_POLICY);
	CHECK_U64(ev->action, MEMCTL_POLICY_EVENT_CGROUP_REMOVED);
	CHECK_STR(ev->cgroup.path, "/p");
	CHECK_U64(ev->cgroup.id, 5);
	CHECK_STR(ev->policy.cgroup.path, "/p");
	nlmsg_free(msg);

	msg = genl_msg(MEMCTL_CMD_RECLAIM_NTF);
	put_reclaim(msg);
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), ev), 1);
	CHECK_U64(ev->type, MEMCTL_EVENT_RECLAIM);
	CHECK_U64(ev->action, MEMCTL_TRIGGER_POLICY);
	CHECK_STR(ev->cgroup.path, "/r");
	CHECK_U64(ev->cgroup.id, 77);
	check_reclaim(&ev->reclaim, __LINE__);
	nlmsg_free(msg);

	msg = genl_msg(MEMCTL_CMD_TIER_NTF);
	put_tier(msg);
	nla_put_u32(msg, MEMCTL_A_TIER_EVENT, MEMCTL_TIER_EVENT_CAP_EXCEEDED);
	nla_put_string(msg, MEMCTL_A_TIER_CGROUP_PATH, "/t");
	nla_put_u64(msg, MEMCTL_A_TIER_CGROUP_ID, 9);
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), ev), 1);
	CHECK_U64(ev->type, MEMCTL_EVENT_TIER);
	CHECK_U64(ev->action, MEMCTL_TIER_EVENT_CAP_EXCEEDED);
	CHECK_STR(ev->cgroup.path, "/t");
	CHECK_U64(ev->cgroup.id, 9);
	CHECK_STR(ev->tier.device, "memctl0");
	nlmsg_free(msg);

	/* a notification this library does not know: skipped */
	msg = genl_msg(MEMCTL_CMD_MAX + 1);
	nla_put_u32(msg, 1, 1);
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), ev), 0);
	nlmsg_free(msg);
	/* a reply, not a notification: skipped too */
	msg = genl_msg(MEMCTL_CMD_POLICY_GET);
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), ev), 0);
	nlmsg_free(msg);

	/* malformed */
	msg = genl_msg(MEMCTL_CMD_POLICY_NTF);
	nla_put_u32(msg, MEMCTL_A_POLICY_HIGH, 1);
	CHECK_INT(memctl__parse_event(nlmsg_hdr(msg), ev), -EPROTO);
	nlmsg_free(msg);
	free(ev);
}

/*
 * An NLMSG_ERROR as the kernel builds it for @req: capped (header only) or
 * with the whole request echoed, then the extack TLVs.
 */
static struct nl_msg *error_msg(const struct nlmsghdr *req, int error,
				bool capped, const char *text, int offs,
				int miss_type)
{
	bool tlvs = text || offs || miss_type;
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR,
		(capped ? 0x100 : 0) | (tlvs ? 0x200 : 0));
	struct nlmsgerr e = { .error = error, .msg = *req };

	if (capped) {
		nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	} else {
		nlmsg_append(msg, &e, sizeof(e.error), 1);
		nlmsg_append(msg, (void *)req, req->nlmsg_len, NLMSG_ALIGNTO);
	}
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (offs)
		nla_put_u32(msg, NLMSGERR_ATTR_OFFS, offs);
	if (miss_type)
		nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, miss_type);
	return msg;
}

TEST(parse_ack_extack)
{
	struct nl_msg *req = genl_msg(MEMCTL_CMD_POLICY_SET), *err;
	const struct nlattr *target;
	char text[MEMCTL_ERRMSG_MAX];
	int attr, offs;
	bool capped;

	nla_put_string(req, MEMCTL_A_POLICY_CGROUP_PATH, "/a");
	nla_put_u64(req, MEMCTL_A_POLICY_HIGH, 1 << 20);
	nla_put_u64(req, MEMCTL_A_POLICY_TARGET, 2 << 20);
	target = nlmsg_find_attr(nlmsg_hdr(req), GENL_HDRLEN,
				 MEMCTL_A_POLICY_TARGET);
	offs = (int)((const char *)target - (const char *)nlmsg_hdr(req));

	for (capped = false; ; capped = true) {
		err = error_msg(nlmsg_hdr(req), -EINVAL, capped,
				"target must be below high\n", offs, 0);
		attr = 0;
		text[0] = 'x';
		CHECK_INT(memctl__parse_ack(nlmsg_hdr(err), nlmsg_hdr(req), text,
					    sizeof(text), &attr), -EINVAL);
		CHECK_STR(text, "target must be below high");	/* no '\n' */
		CHECK_INT(attr, MEMCTL_A_POLICY_TARGET);
		nlmsg_free(err);
		if (capped)
			break;
	}

	/* a missing attribute, named by type */
	err = error_msg(nlmsg_hdr(req), -EINVAL, true, "missing", 0,
			MEMCTL_A_POLICY_HIGH);
	attr = 0;
	CHECK_INT(memctl__parse_ack(nlmsg_hdr(err), nlmsg_hdr(req), text,
				    sizeof(text), &attr), -EINVAL);
	CHECK_INT(attr, MEMCTL_A_POLICY_HIGH);
	nlmsg_free(err);

	/* an offset that points outside the request is ignored */
	err = error_msg(nlmsg_hdr(req), -ERANGE, true, NULL, 4000, 0);
	attr = 0;
	text[0] = '\0';
	CHECK_INT(memctl__parse_ack(nlmsg_hdr(err), nlmsg_hdr(req), text,
				    sizeof(text), &attr), -ERANGE);
	CHECK_INT(attr, 0);
	CHECK_STR(text, "");
	nlmsg_free(err);

	/* a plain ack, and an error without TLVs */
	err = error_msg(nlmsg_hdr(req), 0, true, NULL, 0, 0);
	CHECK_INT(memctl__parse_ack(nlmsg_hdr(err), nlmsg_hdr(req), text,
				    sizeof(text), &attr), 0);
	nlmsg_free(err);
	err = error_msg(nlmsg_hdr(req), -EPERM, false, NULL, 0, 0);
	CHECK_INT(memctl__parse_ack(nlmsg_hdr(err), nlmsg_hdr(req), text,
				    sizeof(text), &attr), -EPERM);
	CHECK_STR(text, "");
	nlmsg_free(err);

	/* truncated, and a positive "errno" */
	err = error_msg(nlmsg_hdr(req), -EINVAL, true, NULL, 0, 0);
	nlmsg_hdr(err)->nlmsg_len = NLMSG_HDRLEN + 8;
	CHECK_INT(memctl__parse_ack(nlmsg_hdr(err), NULL, text, sizeof(text),
				    &attr), -EPROTO);
	nlmsg_free(err);
	err = error_msg(nlmsg_hdr(req), 5, true, NULL, 0, 0);
	CHECK_INT(memctl__parse_ack(nlmsg_hdr(err), NULL, text, sizeof(text),
				    &attr), -EPROTO);
	nlmsg_free(err);
	nlmsg_free(req);
}

TEST(parse_done)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | 0x200);
	char text[MEMCTL_ERRMSG_MAX] = "";
	int error = -EACCES, zero = 0;

	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "cannot read this cgroup");
	CHECK_INT(memctl__parse_done(nlmsg_hdr(msg), text, sizeof(text)), -EACCES);
	CHECK_STR(text, "cannot read this cgroup");
	nlmsg_free(msg);

	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	nlmsg_append(msg, &zero, sizeof(zero), NLMSG_ALIGNTO);
	CHECK_INT(memctl__parse_done(nlmsg_hdr(msg), text, sizeof(text)), 0);
	nlmsg_free(msg);

	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);	/* empty */
	CHECK_INT(memctl__parse_done(nlmsg_hdr(msg), text, sizeof(text)), 0);
	nlmsg_free(msg);
}

TEST(errno_mapping)
{
	CHECK_INT(memctl__errno(-NLE_NOMEM), -ENOMEM);
	CHECK_INT(memctl__errno(-NLE_OBJ_NOTFOUND), -ENOENT);
	CHECK_INT(memctl__errno(-NLE_PERM), -EPERM);
	CHECK_INT(memctl__errno(-NLE_AGAIN), -EAGAIN);
	CHECK_INT(memctl__errno(-NLE_FAILURE), -EIO);
	CHECK_INT(memctl__errno(-12345), -EIO);
}
