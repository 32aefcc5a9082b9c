// SPDX-License-Identifier: GPL-2.0-only
/*
 * The field tables of the memctl CLI (see fields.h).
 */
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "stats_fields.h"

#define COL(n, header)	.col = (n), .column = (header)
#define NOCOL		.col = 0
#define GAUGE		"gauge"
#define COUNTER		"counter"
#define PROM(name, type, text) \
	.prom = (name), .prom_type = type, .help = (text)
#define PROM_LABEL(name, type, lname, lvalue, text) \
	PROM(name, type, text), .prom_label = (lname), .prom_value = (lvalue)
#define NOPROM		.prom = NULL

#define STAT(ATTR, field, SUM, HAS, UNIT, grp, k, lbl, column, prometheus) \
	{								\
		.name = #field,						\
		.off = offsetof(struct memctl_cgroup_stats, field),	\
		.size = sizeof(((struct memctl_cgroup_stats *)0)->field), \
		.sum = MEMCTL__SUM_##SUM,				\
		.has = MEMCTL__HAS_##HAS,				\
		.unit = FU_##UNIT,					\
		.group = (grp), .key = (k), .label = (lbl),		\
		.json_key = "\"" k "\":",				\
		.json_key_len = sizeof("\"" k "\":") - 1,		\
		column, prometheus					\
	},
const struct stats_field stats_fields[] = {
	MEMCTL_STATS_FIELDS(STAT)
};
#undef STAT
const size_t nr_stats_fields = sizeof(stats_fields) / sizeof(stats_fields[0]);

uint64_t stats_field_value(const struct stats_field *f,
			   const struct memctl_cgroup_stats *s)
{
	const char *p = (const char *)s + f->off;

	if (f->size == sizeof(uint32_t)) {
		uint32_t v;

		memcpy(&v, p, sizeof(v));
		return v;
	}
	{
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		return v;
	}
}

bool stats_field_in_total(const struct stats_field *f)
{
	return f->sum != MEMCTL__SUM_LAST;
}

bool stats_field_present(const struct stats_field *f,
			 const struct memctl_cgroup_stats *s)
{
	return !f->has || (s->present & f->has);
}

size_t stats_key_list(char *buf, size_t len)
{
	const char *group = NULL;
	size_t i, n = 0;

#define PUT(...) do {							\
	int _k = snprintf(buf + (n < len ? n : len),			\
			  n < len ? len - n : 0, __VA_ARGS__);		\
	n += _k > 0 ? (size_t)_k : 0;					\
} while (0)
	if (len)
		buf[0] = '\0';
	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *f = &stats_fields[i];
		bool same = group && f->group && !strcmp(group, f->group);

		if (group && !same)
			PUT("}");
		if (i)
			PUT(", ");
		if (f->group && !same)
			PUT("%s {", f->group);
		PUT("%s", f->key);
		group = f->group;
	}
	if (group)
		PUT("}");
#undef PUT
	return n;
}

#define T(field) .off = offsetof(struct memctl_tier, field)

/* In the order of the outputs: JSON, the texts, Prometheus. */
const struct tier_field tier_fields[] = {
	{ T(device), FU_STR, "device", "device", "%s", "/dev/%s", "device",
	  NULL, NULL, "device", true },
	{ T(device), FU_STR, "path", NULL, "/dev/%s", NULL, NULL, NULL, NULL },
	{ T(size), FU_BYTES, "size", "size", NULL, NULL,
	  "memctl_tier_size_bytes", GAUGE,
	  "Swap space the tier device offers.", "size", true },
	{ T(algo), FU_STR, "algo", "algo", "%s", "%s", "algo", NULL, NULL,
	  "algo", true },
	{ T(in_use), FU_BOOL, "in_use", "in use", NULL, NULL,
	  "memctl_tier_in_use", GAUGE,
	  "1 while the tier device is open (swapon)." },
	{ T(stored_pages), FU_COUNT, "stored_pages", "stored pages", NULL, NULL,
	  "memctl_tier_stored_pages", GAUGE, "Pages stored in the tier.",
	  "stored-pages", false },
	{ T(compressed_bytes), FU_BYTES, "compressed_bytes", "compressed",
	  NULL, NULL, "memctl_tier_compressed_bytes", GAUGE,
	  "Sum of the compressed lengths of the stored pages.",
	  "compressed", false },
	{ T(pool_bytes), FU_BYTES, "pool_bytes", "pool", NULL, NULL,
	  "memctl_tier_pool_bytes", GAUGE,
	  "Memory the tier's pool really holds." },
	{ T(same_filled_pages), FU_COUNT, "same_filled_pages",
	  "same-filled pages", NULL, NULL, "memctl_tier_same_filled_pages",
	  GAUGE, "Pages stored as their fill value, without memory." },
	{ T(huge_pages), FU_COUNT, "huge_pages", "huge pages", NULL, NULL,
	  "memctl_tier_huge_pages", GAUGE, "Incompressible pages stored raw." },
	{ T(stores), FU_COUNT, "stores", "stores", NULL, NULL,
	  "memctl_tier_stores_total", COUNTER, "Pages stored into the tier." },
	{ T(loads), FU_COUNT, "loads", "loads", NULL, NULL,
	  "memctl_tier_loads_total", COUNTER, "Pages loaded from the tier." },
	{ T(failed_stores), FU_COUNT, "failed_stores", "failed stores", NULL,
	  NULL, "memctl_tier_failed_stores_total", COUNTER,
	  "Stores into the tier that failed." },
	{ T(failed_loads), FU_COUNT, "failed_loads", "failed loads", NULL,
	  NULL, "memctl_tier_failed_loads_total", COUNTER,
	  "Loads from the tier that failed." },
	{ T(discards), FU_COUNT, "discards", "discards", NULL, NULL,
	  "memctl_tier_discards_total", COUNTER,
	  "Tier slots freed by the swap layer." },
};
#undef T
const size_t nr_tier_fields = sizeof(tier_fields) / sizeof(tier_fields[0]);

#define B(field) .off = offsetof(struct memctl_tier_backing, field)

const struct backing_field backing_fields[] = {
	{ B(age), FU_COUNT, "backing_age", "backing age (s)" },
	{ B(limit), FU_BYTES, "backing_limit", "backing limit per day" },
	{ B(size), FU_BYTES, "backing_size", "backing size" },
	{ B(pages), FU_COUNT, "backing_pages", "backing pages" },
	{ B(written_bytes), FU_BYTES, "backing_written_bytes", "backing written" },
	{ B(read_bytes), FU_BYTES, "backing_read_bytes", "backing read" },
	{ B(failed_writes), FU_COUNT, "backing_failed_writes",
	  "backing failed writes" },
	{ B(failed_reads), FU_COUNT, "backing_failed_reads",
	  "backing failed reads" },
	{ B(limit_stops), FU_COUNT, "backing_limit_stops",
	  "backing limit stops" },
};
#undef B
const size_t nr_backing_fields = sizeof(backing_fields) /
				 sizeof(backing_fields[0]);

uint64_t backing_field_value(const struct backing_field *f,
			     const struct memctl_tier_backing *b)
{
	const char *p = (const char *)b + f->off;
	uint32_t v32;
	uint64_t v;

	if (f->off == offsetof(struct memctl_tier_backing, age)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v, p, sizeof(v));
	return v;
}

uint64_t tier_field_value(const struct tier_field *f,
			  const struct memctl_tier *t)
{
	const char *p = (const char *)t + f->off;
	uint64_t v;

	if (f->unit == FU_BOOL)
		return *(const bool *)p;
	memcpy(&v, p, sizeof(v));
	return v;
}

const char *tier_field_str(const struct tier_field *f,
			   const struct memctl_tier *t)
{
	return (const char *)t + f->off;
}

#define P(field) .off = offsetof(struct memctl_policy, field), \
		  .size = sizeof(((struct memctl_policy *)0)->field)

/* In the order of every output, and of the keywords of policy set. */
const struct policy_field policy_fields[] = {
	{ MEMCTL_POLICY_F_HIGH, P(high), PK_SIZE,
	  "high", "high", "HIGH", 'r', NULL },
	{ MEMCTL_POLICY_F_TARGET, P(target), PK_SIZE,
	  "target", "target", "TARGET", 'r', NULL },
	{ MEMCTL_POLICY_F_INTERVAL, P(interval_ms), PK_MS,
	  "interval", "interval_ms", "INTERVAL", 'r', NULL },
	{ MEMCTL_POLICY_F_CLASSES, P(classes), PK_CLASSES,
	  "classes", "classes", "CLASSES", 'l', NULL },
	{ MEMCTL_POLICY_F_SLAB_FIRST, P(slab_first), PK_PERCENT,
	  "slab-first", "slab_first", "SLAB-FIRST", 'r', NULL },
	{ MEMCTL_POLICY_F_PRESSURE, P(pressure_us), PK_USEC,
	  "pressure", "pressure_us", "PRESSURE", 'r', "none" },
	{ MEMCTL_POLICY_F_TIER, P(tier), PK_BOOL,
	  "tier", "tier", "TIER", 'l', NULL },
	{ MEMCTL_POLICY_F_TIER_MAX, P(tier_max), PK_SIZE,
	  "tier-max", "tier_max", "TIER-MAX", 'l', "none" },
	{ MEMCTL_POLICY_F_MODE, P(mode), PK_MODE,
	  "mode", "mode", "MODE", 'l', NULL },
	{ MEMCTL_POLICY_F_MIN, P(min), PK_SIZE,
	  "min", "min", "MIN", 'r', NULL },
};
#undef P
const size_t nr_policy_fields =
	sizeof(policy_fields) / sizeof(policy_fields[0]);

uint64_t policy_field_value(const struct policy_field *f,
			    const struct memctl_policy *p)
{
	const char *v = (const char *)p + f->off;
	uint64_t u64;
	uint32_t u32;

	switch (f->size) {
	case sizeof(bool):
		return *(const bool *)v;
	case sizeof(uint32_t):
		memcpy(&u32, v, sizeof(u32));
		return u32;
	default:
		memcpy(&u64, v, sizeof(u64));
		return u64;
	}
}

const char *policy_mode_name(uint32_t mode)
{
	switch (mode) {
	case MEMCTL_MODE_THRESHOLD:	return "threshold";
	case MEMCTL_MODE_AUTO:		return "auto";
	default:			return "unknown";
	}
}

const char *policy_field_text(const struct policy_field *f,
			      const struct memctl_policy *p, bool table,
			      char *buf, size_t len)
{
	uint64_t v = policy_field_value(f, p);

	if (table && f->none && !v)
		return f->none;
	switch (f->kind) {
	case PK_SIZE:
		memctl_format_size(v, buf, len);
		break;
	case PK_MS:
		memctl_format_duration_ms((uint32_t)v, buf, len);
		break;
	case PK_CLASSES:
		memctl_format_classes((uint32_t)v, buf, len);
		break;
	case PK_PERCENT:
		snprintf(buf, len, "%llu%%", (unsigned long long)v);
		break;
	case PK_USEC:
		snprintf(buf, len, "%lluus", (unsigned long long)v);
		break;
	case PK_BOOL:
		return v ? "on" : "off";
	case PK_MODE:
		return policy_mode_name((uint32_t)v);
	}
	return buf;
}
