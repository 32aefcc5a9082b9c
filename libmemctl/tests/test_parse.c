// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sizes, durations, classes and names: what the CLI and agents accept and
 * print.  Every bad input must be refused with the right errno, never
 * silently read as something else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../internal.h"
#include "unit.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)
#define PiB (1ULL << 50)
#define EiB (1ULL << 60)

TEST(parse_size_good)
{
	static const struct { const char *in; uint64_t want; } cases[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "100b", 100 },
		{ "100B", 100 },
		{ "64k", 64 * KiB },
		{ "64K", 64 * KiB },
		{ "64kib", 64 * KiB },
		{ "512M", 512 * MiB },
		{ "512MiB", 512 * MiB },
		{ "2G", 2 * GiB },
		{ "2g", 2 * GiB },
		{ "2GiB", 2 * GiB },
		/* a B after the unit: powers of 1000, as util-linux reads it */
		{ "64KB", 64000 },
		{ "64kB", 64000 },
		{ "64kb", 64000 },
		{ "512MB", 512000000 },
		{ "2GB", 2000000000 },
		{ "2gb", 2000000000 },
		{ "1.5GB", 1500000000 },
		{ "0.0000000001GB", 0 },	/* 0.1 byte rounds down */
		{ "1.0000000015GB", 1000000001 },
		{ "3TB", 3000000000000ULL },
		{ "2PB", 2000000000000000ULL },
		{ "18EB", 18000000000000000000ULL },
		{ "18.446744073709551615EB", UINT64_MAX },
		{ "1.5G", GiB + GiB / 2 },
		{ "1.5g", GiB + GiB / 2 },
		{ "1.5GiB", GiB + GiB / 2 },
		{ "0.5K", 512 },
		{ "0.1K", 102 },		/* 102.4 rounds down */
		{ "1.25M", MiB + MiB / 4 },
		{ "1T", TiB },
		{ "3P", 3 * PiB },
		{ "15E", 15 * EiB },
		{ "007M", 7 * MiB },
		{ "1.0000000000000000000000001G", GiB },	/* extra digits */
		{ "18446744073709551615", UINT64_MAX },
		{ "15.5E", 15 * EiB + EiB / 2 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t v = 12345;
		int err = memctl_parse_size(cases[i].in, &v);

		unit_check(err == 0 && v == cases[i].want, __FILE__, __LINE__,
			   "parse_size(\"%s\") = %d, %llu; want 0, %llu",
			   cases[i].in, err, (unsigned long long)v,
			   (unsigned long long)cases[i].want);
	}
}

TEST(parse_size_bad)
{
	static const struct { const char *in; int err; } cases[] = {
		{ "", -EINVAL },
		{ "-1", -EINVAL },
		{ "-1G", -EINVAL },
		{ "+1", -EINVAL },
		{ " 1", -EINVAL },
		{ "1 ", -EINVAL },
		{ "1 G", -EINVAL },
		{ "1.5", -EINVAL },		/* a fraction of a byte */
		{ "1.5B", -EINVAL },
		{ "1.", -EINVAL },
		{ "1.G", -EINVAL },
		{ ".5G", -EINVAL },
		{ "1x", -EINVAL },
		{ "1KK", -EINVAL },
		{ "1iB", -EINVAL },
		{ "1Ki", -EINVAL },
		{ "1KiBB", -EINVAL },
		{ "1Bi", -EINVAL },
		{ "G", -EINVAL },
		{ "1.5.5G", -EINVAL },
		{ "0x10", -EINVAL },
		{ "1e3", -EINVAL },
		{ "abc", -EINVAL },
		{ "12345678901234567890123x", -EINVAL },	/* garbage wins */
		{ "18446744073709551616", -ERANGE },
		{ "99999999999999999999999", -ERANGE },
		{ "16E", -ERANGE },
		{ "16.0E", -ERANGE },
		{ "17179869184G", -ERANGE },	/* 2^34 GiB = 2^64 */
		{ "19EB", -ERANGE },
		{ "18.446744073709551616EB", -ERANGE },
		{ "18446744073709552KB", -ERANGE },
		{ "1GBB", -EINVAL },
		{ "1GiBi", -EINVAL },
		{ "1.5bB", -EINVAL },
		{ "16777216T", -ERANGE },
		{ "15.99999999999999999999E", 0 },	/* just under 2^64 */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t v = 12345;
		int err = memctl_parse_size(cases[i].in, &v);

		unit_check(err == cases[i].err &&
			   (cases[i].err == 0 || v == 12345), __FILE__, __LINE__,
			   "parse_size(\"%s\") = %d; want %d, result untouched",
			   cases[i].in, err, cases[i].err);
	}
	CHECK_INT(memctl_parse_size(NULL, &(uint64_t){ 0 }), -EINVAL);
	CHECK_INT(memctl_parse_size("1", NULL), -EINVAL);
}

TEST(format_size)
{
	static const struct { uint64_t in; const char *want; } cases[] = {
		{ 0, "0" },
		{ 1, "1" },
		{ 1023, "1023" },
		{ 1024, "1K" },
		{ 1536, "1.5K" },
		{ 64 * KiB, "64K" },
		{ MiB - 1, "1.0M" },		/* 1023.999K rounds up a unit */
		{ 512 * MiB, "512M" },
		{ GiB, "1G" },
		{ GiB + 1, "1.0G" },		/* inexact shows a decimal */
		{ GiB + GiB / 2, "1.5G" },
		{ GiB + GiB / 25, "1.0G" },	/* 1.04: nearest tenth */
		{ GiB + GiB / 100 * 6, "1.1G" },	/* 1.06 */
		{ 2 * GiB - 1, "2.0G" },
		{ 1023 * GiB, "1023G" },
		{ TiB, "1T" },
		{ 5 * PiB, "5P" },
		{ EiB, "1E" },
		{ UINT64_MAX, "16.0E" },
	};
	char buf[MEMCTL_SIZE_STR_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = memctl_format_size(cases[i].in, buf, sizeof(buf));

		unit_check(err == 0 && !strcmp(buf, cases[i].want), __FILE__,
			   __LINE__, "format_size(%llu) = %d \"%s\"; want \"%s\"",
			   (unsigned long long)cases[i].in, err, buf,
			   cases[i].want);
	}
	CHECK_INT(memctl_format_size(1536, buf, 4), -ENOSPC);	/* "1.5K" + NUL */
	CHECK_STR(buf, "");
	CHECK_INT(memctl_format_size(1536, buf, 5), 0);
	CHECK_STR(buf, "1.5K");
	CHECK_INT(memctl_format_size(UINT64_MAX - 1, buf, sizeof(buf)), 0);
	CHECK_INT(memctl_format_size(1, NULL, 0), -ENOSPC);
}

TEST(format_size_round_trip)
{
	static const uint64_t exact[] = {
		0, 7, 1023, KiB, 3 * KiB, 100 * MiB, 1000 * GiB, 7 * TiB, 15 * EiB,
	};
	char buf[MEMCTL_SIZE_STR_MAX];
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exact); i++) {
		CHECK_INT(memctl_format_size(exact[i], buf, sizeof(buf)), 0);
		CHECK_INT(memctl_parse_size(buf, &v), 0);
		CHECK_U64(v, exact[i]);
	}
	/* Inexact values read back within a tenth of the unit. */
	CHECK_INT(memctl_format_size(GiB + 123456789, buf, sizeof(buf)), 0);
	CHECK_INT(memctl_parse_size(buf, &v), 0);
	CHECK(v + GiB / 10 >= GiB + 123456789 && v <= GiB + 123456789 + GiB / 10);
}

TEST(parse_duration)
{
	static const struct { const char *in; int err; uint32_t want; } cases[] = {
		{ "500ms", 0, 500 },
		{ "500", 0, 500 },
		{ "0", 0, 0 },
		{ "2s", 0, 2000 },
		{ "2S", 0, 2000 },
		{ "1m", 0, 60000 },
		{ "90m", 0, 5400000 },
		{ "1h", 0, 3600000 },
		{ "4294967295", 0, UINT32_MAX },
		{ "4294967295ms", 0, UINT32_MAX },
		{ "4294967s", 0, 4294967000U },
		{ "", -EINVAL, 0 },
		{ "ms", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "-1s", -EINVAL, 0 },
		{ "+1s", -EINVAL, 0 },
		{ "1.5s", -EINVAL, 0 },
		{ "1d", -EINVAL, 0 },
		{ "1 s", -EINVAL, 0 },
		{ "1sec", -EINVAL, 0 },
		{ "1msx", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "4294967296", -ERANGE, 0 },
		{ "4294968s", -ERANGE, 0 },
		{ "1194h", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t v = 4242;
		int err = memctl_parse_duration_ms(cases[i].in, &v);
		uint32_t want = cases[i].err ? 4242 : cases[i].want;

		unit_check(err == cases[i].err && v == want, __FILE__, __LINE__,
			   "parse_duration_ms(\"%s\") = %d, %u; want %d, %u",
			   cases[i].in, err, v, cases[i].err, want);
	}
	CHECK_INT(memctl_parse_duration_ms(NULL, &(uint32_t){ 0 }), -EINVAL);
}

/*
 * memctl_parse_duration(): a bare number is seconds, as memctl(8) and
 * systemd read it; memctl_parse_duration_ms() keeps MEMCTL_1.0's reading.
 */
TEST(parse_duration_seconds)
{
	static const struct { const char *in; int err; uint32_t want; } cases[] = {
		{ "30", 0, 30000 },
		{ "1", 0, 1000 },
		{ "0", 0, 0 },
		{ "0.5", 0, 500 },
		{ "0.01", 0, 10 },
		{ "0.0005", 0, 0 },		/* rounds down */
		{ "1.5s", 0, 1500 },
		{ "1.5S", 0, 1500 },
		{ "2sec", 0, 2000 },
		{ "500ms", 0, 500 },
		{ "500MS", 0, 500 },
		{ "500msec", 0, 500 },
		{ "1.5ms", 0, 1 },
		{ "1m", 0, 60000 },
		{ "1min", 0, 60000 },
		{ "0.25m", 0, 15000 },
		{ "1h", 0, 3600000 },
		{ "2hr", 0, 7200000 },
		{ "1d", 0, 86400000 },
		{ "1.000000000000000000001h", 0, 3600000 },
		{ "4294967.295", 0, UINT32_MAX },
		{ "4294967295ms", 0, UINT32_MAX },
		{ "49d", 0, 49U * 86400000 },
		{ "4294967.296", -ERANGE, 0 },
		{ "4294968", -ERANGE, 0 },
		{ "50d", -ERANGE, 0 },
		{ "4294967296ms", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },
		{ ".5", -EINVAL, 0 },
		{ "1.", -EINVAL, 0 },
		{ "1.s", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 s", -EINVAL, 0 },
		{ "1us", -EINVAL, 0 },
		{ "1w", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 },
		{ "1.5.5s", -EINVAL, 0 },
		{ "1mss", -EINVAL, 0 },
	};
	uint32_t back;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t v = 4242;
		int err = memctl_parse_duration(cases[i].in, &v);
		uint32_t want = cases[i].err ? 4242 : cases[i].want;

		unit_check(err == cases[i].err && v == want, __FILE__, __LINE__,
			   "parse_duration(\"%s\") = %d, %u; want %d, %u",
			   cases[i].in, err, v, cases[i].err, want);
	}
	CHECK_INT(memctl_parse_duration(NULL, &back), -EINVAL);
	CHECK_INT(memctl_parse_duration("1", NULL), -EINVAL);
	/* the 1.0 reading stays for the programs built against it */
	CHECK_INT(memctl_parse_duration_ms("30", &back), 0);
	CHECK_U64(back, 30);
}

TEST(format_duration)
{
	static const struct { uint32_t in; const char *want; } cases[] = {
		{ 0, "0ms" }, { 1, "1ms" }, { 999, "999ms" }, { 1000, "1s" },
		{ 1500, "1500ms" }, { 90000, "90s" }, { 60000, "1m" },
		{ 3600000, "1h" }, { 5400000, "90m" }, { UINT32_MAX, "4294967295ms" },
	};
	char buf[MEMCTL_DURATION_STR_MAX];
	uint32_t back;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_INT(memctl_format_duration_ms(cases[i].in, buf, sizeof(buf)), 0);
		CHECK_STR(buf, cases[i].want);
		CHECK_INT(memctl_parse_duration_ms(buf, &back), 0);
		CHECK_U64(back, cases[i].in);
		CHECK_INT(memctl_parse_duration(buf, &back), 0);
		CHECK_U64(back, cases[i].in);
	}
	CHECK_INT(memctl_format_duration_ms(1500, buf, 6), -ENOSPC);
}

TEST(parse_classes)
{
	static const struct { const char *in; int err; uint32_t want; } cases[] = {
		{ "slab", 0, MEMCTL_F_CLASS_SLAB },
		{ "file", 0, MEMCTL_F_CLASS_FILE },
		{ "anon", 0, MEMCTL_F_CLASS_ANON },
		{ "slab,file,anon", 0, __MEMCTL_F_CLASS_ALL },
		{ "anon,slab", 0, MEMCTL_F_CLASS_ANON | MEMCTL_F_CLASS_SLAB },
		{ "ANON,Slab", 0, MEMCTL_F_CLASS_ANON | MEMCTL_F_CLASS_SLAB },
		{ "slab,slab", 0, MEMCTL_F_CLASS_SLAB },
		{ "all", 0, __MEMCTL_F_CLASS_ALL },
		{ "ALL", 0, __MEMCTL_F_CLASS_ALL },
		{ "", -EINVAL, 0 },
		{ "none", -EINVAL, 0 },
		{ "slab,", -EINVAL, 0 },
		{ ",slab", -EINVAL, 0 },
		{ "slab,,file", -EINVAL, 0 },
		{ "slab file", -EINVAL, 0 },
		{ "slab, file", -EINVAL, 0 },
		{ "slabs", -EINVAL, 0 },
		{ "sla", -EINVAL, 0 },
		{ "foo", -EINVAL, 0 },
		{ "alll", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t v = 0x40;
		int err = memctl_parse_classes(cases[i].in, &v);
		uint32_t want = cases[i].err ? 0x40 : cases[i].want;

		unit_check(err == cases[i].err && v == want, __FILE__, __LINE__,
			   "parse_classes(\"%s\") = %d, %#x; want %d, %#x",
			   cases[i].in, err, v, cases[i].err, want);
	}
	CHECK_INT(memctl_parse_classes(NULL, &(uint32_t){ 0 }), -EINVAL);
}

TEST(format_classes)
{
	char buf[MEMCTL_CLASSES_STR_MAX];
	uint32_t back;

	CHECK_INT(memctl_format_classes(0, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "none");
	CHECK_INT(memctl_format_classes(MEMCTL_CLASSES_DEFAULT, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "slab,file");
	CHECK_INT(memctl_format_classes(__MEMCTL_F_CLASS_ALL, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "slab,file,anon");
	CHECK_INT(memctl_parse_classes(buf, &back), 0);
	CHECK_U64(back, __MEMCTL_F_CLASS_ALL);
	CHECK_INT(memctl_format_classes(MEMCTL_F_CLASS_ANON, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "anon");
	CHECK_INT(memctl_format_classes(1U << 3, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "0x8");
	CHECK_INT(memctl_format_classes(MEMCTL_F_CLASS_SLAB | 0xf0000000U, buf,
					sizeof(buf)), 0);
	CHECK_STR(buf, "slab,0xf0000000");
	CHECK_INT(memctl_format_classes(UINT32_MAX, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "slab,file,anon,0xfffffff8");
	CHECK_INT(memctl_format_classes(__MEMCTL_F_CLASS_ALL, buf, 10), -ENOSPC);
	CHECK_STR(buf, "");
}

TEST(names)
{
	CHECK_STR(memctl_class_name(MEMCTL_F_CLASS_SLAB), "slab");
	CHECK_STR(memctl_class_name(MEMCTL_F_CLASS_FILE), "file");
	CHECK_STR(memctl_class_name(MEMCTL_F_CLASS_ANON), "anon");
	CHECK(memctl_class_name(MEMCTL_F_CLASS_SLAB | MEMCTL_F_CLASS_FILE) == NULL);
	CHECK(memctl_class_name(0) == NULL);

	CHECK_STR(memctl_feature_name(MEMCTL_F_FEAT_POLICY), "policy");
	CHECK_STR(memctl_feature_name(MEMCTL_F_FEAT_RECLAIM), "reclaim");
	CHECK_STR(memctl_feature_name(MEMCTL_F_FEAT_TIER), "tier");
	CHECK_STR(memctl_feature_name(MEMCTL_F_FEAT_PSI), "psi");
	CHECK(memctl_feature_name(1U << 20) == NULL);

	CHECK_STR(memctl_stop_name(0), "none");
	CHECK_STR(memctl_stop_name(MEMCTL_STOP_TARGET), "target");
	CHECK_STR(memctl_stop_name(MEMCTL_STOP_PRESSURE), "pressure");
	CHECK_STR(memctl_stop_name(MEMCTL_STOP_NO_PROGRESS), "no-progress");
	CHECK_STR(memctl_stop_name(MEMCTL_STOP_TIER_CAP), "tier-cap");
	CHECK_STR(memctl_stop_name(MEMCTL_STOP_TIME_LIMIT), "time-limit");
	CHECK_STR(memctl_stop_name(MEMCTL_STOP_STEP_LIMIT), "step-limit");
	CHECK_STR(memctl_stop_name(MEMCTL_STOP_CANCELLED), "cancelled");
	CHECK_STR(memctl_stop_name(99), "unknown");

	CHECK_STR(memctl_trigger_name(MEMCTL_TRIGGER_POLICY), "policy");
	CHECK_STR(memctl_trigger_name(MEMCTL_TRIGGER_ONESHOT), "oneshot");
	CHECK_STR(memctl_trigger_name(MEMCTL_TRIGGER_AUTO), "auto");
	CHECK_STR(memctl_trigger_name(0), "unknown");

	CHECK_STR(memctl_policy_event_name(MEMCTL_POLICY_EVENT_CREATED), "created");
	CHECK_STR(memctl_policy_event_name(MEMCTL_POLICY_EVENT_CHANGED), "changed");
	CHECK_STR(memctl_policy_event_name(MEMCTL_POLICY_EVENT_DELETED), "deleted");
	CHECK_STR(memctl_policy_event_name(MEMCTL_POLICY_EVENT_CGROUP_REMOVED),
		  "cgroup-removed");
	CHECK_STR(memctl_policy_event_name(0), "unknown");

	CHECK_STR(memctl_tier_event_name(MEMCTL_TIER_EVENT_CREATED), "created");
	CHECK_STR(memctl_tier_event_name(MEMCTL_TIER_EVENT_DELETED), "deleted");
	CHECK_STR(memctl_tier_event_name(MEMCTL_TIER_EVENT_FULL), "full");
	CHECK_STR(memctl_tier_event_name(MEMCTL_TIER_EVENT_CAP_EXCEEDED),
		  "cap-exceeded");
	CHECK_STR(memctl_tier_event_name(42), "unknown");

	CHECK_STR(memctl_event_type_name(MEMCTL_EVENT_POLICY), "policy");
	CHECK_STR(memctl_event_type_name(MEMCTL_EVENT_RECLAIM), "reclaim");
	CHECK_STR(memctl_event_type_name(MEMCTL_EVENT_TIER), "tier");
	CHECK_STR(memctl_event_type_name(0), "unknown");

	CHECK(memctl_version()[0] >= '0' && memctl_version()[0] <= '9');
}
