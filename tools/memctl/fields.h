/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fields the memctl CLI prints in several formats, each described
 * once: the statistics of struct memctl_cgroup_stats (declared in
 * libmemctl/stats_fields.h, which the library shares) and the tier's
 * settings and counters (struct memctl_tier).  The JSON, key-value text,
 * table and Prometheus printers, and the key lists of --help, walk these
 * tables; tests/test_fields.c checks memctl(8) against them.
 */
#ifndef MEMCTL_FIELDS_H
#define MEMCTL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "memctl.h"

enum field_unit {
	FU_BYTES,	/* a size: JSON number, text "1.5G" */
	FU_COUNT,	/* events or pages: a number everywhere */
	FU_NS,		/* nanoseconds: text "12.3ms", Prometheus seconds */
	FU_STOP,	/* enum memctl_stop: its name (memctl_stop_name()) */
	FU_BOOL,	/* JSON true/false, text yes/no, Prometheus 1/0 */
	FU_STR,		/* a string member: JSON null when empty */
};

/*
 * One statistic of struct memctl_cgroup_stats, the row without a path
 * buffer that the CLI and memctld read: see libmemctl/stats_fields.h.
 */
struct stats_field {
	const char *name;	/* the member of struct memctl_cgroup_stats */
	uint16_t off;		/* in struct memctl_cgroup_stats */
	uint8_t size;		/* 4 or 8 */
	uint8_t sum;		/* enum memctl__stats_sum */
	uint32_t has;		/* MEMCTL_STATS_HAS_* it needs, 0: always */
	enum field_unit unit;
	const char *group;	/* JSON object it sits in, or NULL */
	const char *key;	/* JSON key */
	const char *json_key;	/* the same as JSON writes it: "key": */
	uint8_t json_key_len;	/* its length */
	const char *label;	/* key of the key-value text */
	int col;		/* column of the stats table, 0: none */
	const char *column;	/* its header */
	const char *prom;	/* Prometheus family, or NULL */
	const char *prom_type;	/* "gauge" or "counter" */
	const char *prom_label;	/* an extra label of the sample, or NULL */
	const char *prom_value;	/* its value */
	const char *help;	/* HELP of the family */
};

extern const struct stats_field stats_fields[];
extern const size_t nr_stats_fields;

uint64_t stats_field_value(const struct stats_field *f,
			   const struct memctl_cgroup_stats *s);
/* The LAST statistics (last_*) are a row's only, not a total's. */
bool stats_field_in_total(const struct stats_field *f);
/* Does @s have @f: always, or @s->present has its bit (HAS AUTO). */
bool stats_field_present(const struct stats_field *f,
			 const struct memctl_cgroup_stats *s);

/*
 * One field of struct memctl_tier.  FU_STR members go into the JSON and
 * the text, and are labels of the family memctl_tier_info in Prometheus.
 */
struct tier_field {
	uint16_t off;		/* in struct memctl_tier */
	enum field_unit unit;
	const char *key;	/* JSON key, or NULL */
	const char *label;	/* key of the key-value text, or NULL */
	const char *json_fmt;	/* FU_STR: the JSON value, "%s", "/dev/%s" */
	const char *text_fmt;	/* FU_STR: the text's */
	const char *prom;	/* Prometheus family (FU_STR: label name) */
	const char *prom_type;
	const char *help;
	const char *event_key;	/* key of monitor's key=value text, or NULL */
	bool event_if_set;	/* ...only when not empty or 0 */
};

/* One number of struct memctl_tier_backing (the path is apart). */
struct backing_field {
	uint16_t off;		/* in struct memctl_tier_backing */
	enum field_unit unit;
	const char *key;	/* JSON key */
	const char *label;	/* key of the key-value text */
};

extern const struct backing_field backing_fields[];
extern const size_t nr_backing_fields;

uint64_t backing_field_value(const struct backing_field *f,
			     const struct memctl_tier_backing *b);

extern const struct tier_field tier_fields[];
extern const size_t nr_tier_fields;

uint64_t tier_field_value(const struct tier_field *f,
			  const struct memctl_tier *t);
const char *tier_field_str(const struct tier_field *f,
			   const struct memctl_tier *t);

/*
 * The JSON keys of a statistics object as --help and memctl(8) list them,
 * "usage, ..., reclaimed {slab, file, anon}, ...", into @buf (always
 * terminated).  Return: the length it needs, as snprintf().
 */
size_t stats_key_list(char *buf, size_t len);

/*
 * One field of struct memctl_policy, as `memctl policy show` (JSON and
 * table) and `memctl monitor` (JSON and key=value text) print it.  A field
 * whose flag is not in policy->set is null in the JSON, "-" in the table
 * and absent from the text.
 */
enum policy_kind {
	PK_SIZE,	/* bytes: "1.5G" */
	PK_MS,		/* milliseconds: "500ms", "2s" */
	PK_CLASSES,	/* MEMCTL_F_CLASS_*: "slab,file"; JSON an array */
	PK_PERCENT,	/* "10%" */
	PK_USEC,	/* "20000us" */
	PK_BOOL,	/* "on", "off"; JSON true, false */
	PK_MODE,	/* enum memctl_mode: "threshold", "auto"; JSON too */
};

struct policy_field {
	uint32_t flag;		/* MEMCTL_POLICY_F_* */
	uint16_t off;		/* in struct memctl_policy */
	uint8_t size;		/* 1 (bool), 4 or 8 */
	enum policy_kind kind;
	const char *keyword;	/* of policy set and monitor's text */
	const char *key;	/* JSON */
	const char *column;	/* header in policy show's table */
	char align;		/* 'l' or 'r' there */
	const char *none;	/* the table's word for 0, or NULL */
};

extern const struct policy_field policy_fields[];
extern const size_t nr_policy_fields;

uint64_t policy_field_value(const struct policy_field *f,
			    const struct memctl_policy *p);
/* enum memctl_mode as a word: "threshold", "auto", or "unknown". */
const char *policy_mode_name(uint32_t mode);
/* The value for people; @table: the table's words for 0. */
const char *policy_field_text(const struct policy_field *f,
			      const struct memctl_policy *p, bool table,
			      char *buf, size_t len);

#endif /* MEMCTL_FIELDS_H */
