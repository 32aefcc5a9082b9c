// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl stats --prometheus: the Prometheus text exposition format 0.0.4
 * (see prom.h), for node-exporter's textfile collector.
 *
 * The metrics (a contract: dashboards and alerts name them).  Per cgroup
 * with a policy, labels cgroup="<path from the cgroup2 root>" and
 * id="<cgroup id>":
 *
 *   memctl_usage_bytes                    gauge    memory.current (subtree)
 *   memctl_slab_reclaimable_bytes         gauge    reclaimable slab (subtree)
 *   memctl_slab_unreclaimable_bytes       gauge    unreclaimable slab (subtree)
 *   memctl_file_bytes                     gauge    page cache (subtree)
 *   memctl_anon_bytes                     gauge    anonymous memory (subtree)
 *   memctl_swap_bytes                     gauge    swap charged (subtree)
 *   memctl_high_bytes                     gauge    the policy's high mark
 *   memctl_target_bytes                   gauge    the policy's target
 *   memctl_reclaim_episodes_total         counter  reclaim episodes
 *   memctl_reclaim_steps_total            counter  bounded reclaim steps
 *   memctl_reclaimed_bytes_total          counter  bytes freed, label
 *                                                  class="slab|file|anon"
 *   memctl_reclaim_seconds_total          counter  time spent reclaiming
 *   memctl_reclaim_shortfalls_total       counter  episodes short of target
 *   memctl_reclaim_pressure_stops_total   counter  episodes stopped by PSI
 *   memctl_reclaim_last_freed_bytes       gauge    freed by the last episode
 *   memctl_reclaim_last_duration_seconds  gauge    length of the last episode
 *   memctl_cgroup_tier_stored_pages       gauge    pages in the tier (subtree)
 *   memctl_cgroup_tier_compressed_bytes   gauge    their compressed size
 *   memctl_cgroup_tier_same_filled_pages  gauge    of which same-filled
 *   memctl_cgroup_tier_stores_total       counter  pages stored
 *   memctl_cgroup_tier_loads_total        counter  pages loaded
 *   memctl_cgroup_tier_cap_stops_total    counter  anon passes held by tier-max
 *   memctl_cgroup_tier_overage_bytes      gauge    compressed bytes past tier-max
 *
 * The module, no labels but memctl_info's:
 *
 *   memctl_info{version,kernel}           gauge    always 1
 *   memctl_policies                       gauge    policies in the table
 *   memctl_policies_max                   gauge    the table's bound
 *   memctl_tier_present                   gauge    1 if the tier exists, else 0
 *
 * The compressed tier, only when it exists:
 *
 *   memctl_tier_info{device,algo}         gauge    always 1
 *   memctl_tier_size_bytes                gauge    swap the device offers
 *   memctl_tier_in_use                    gauge    1 while swapon
 *   memctl_tier_stored_pages              gauge    pages stored
 *   memctl_tier_compressed_bytes          gauge    their compressed size
 *   memctl_tier_pool_bytes                gauge    memory the pool holds
 *   memctl_tier_same_filled_pages         gauge    stored as their fill value
 *   memctl_tier_huge_pages                gauge    stored raw (incompressible)
 *   memctl_tier_stores_total              counter  pages stored
 *   memctl_tier_loads_total               counter  pages loaded
 *   memctl_tier_failed_stores_total       counter  stores that failed
 *   memctl_tier_failed_loads_total        counter  loads that failed
 *   memctl_tier_discards_total            counter  slots freed
 *
 * "(subtree)": the kernel counts the cgroup's descendants in, as
 * memory.current does; do not sum these over nested cgroups.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "prom.h"

void prom_init(struct prom *p, FILE *f)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
}

int prom_finish(struct prom *p)
{
	size_t i;

	for (i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	p->seen = NULL;
	p->nseen = 0;
	p->family = NULL;
	return p->err;
}

static int prom_fail(struct prom *p, int err)
{
	if (!p->err)
		p->err = err;
	return err;
}

static bool is_alpha_(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool prom_valid_metric_name(const char *s)
{
	if (!s || !(is_alpha_(*s) || *s == ':'))
		return false;
	for (s++; *s; s++)
		if (!is_alpha_(*s) && !is_digit(*s) && *s != ':')
			return false;
	return true;
}

bool prom_valid_label_name(const char *s)
{
	if (!s || !is_alpha_(*s) || !strncmp(s, "__", 2))
		return false;
	for (s++; *s; s++)
		if (!is_alpha_(*s) && !is_digit(*s))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Backslash and newline always; the double quote in label values only. */
static void prom_escape_byte(FILE *f, unsigned char c)
{
	fputc('\\', f);
	fputc(c == '\n' ? 'n' : c, f);
}

static const struct escape label_escape = {
	.special = { ['\\'] = true, ['\n'] = true, ['"'] = true },
	.write = prom_escape_byte,
	.invalid = "\xef\xbf\xbd",	/* U+FFFD */
};

static const struct escape help_escape = {
	.special = { ['\\'] = true, ['\n'] = true },
	.write = prom_escape_byte,
	.invalid = "\xef\xbf\xbd",
};

void prom_write_label_value(FILE *f, const char *s)
{
	escape_write(f, s, &label_escape);
}

void prom_write_help(FILE *f, const char *s)
{
	escape_write(f, s, &help_escape);
}

int prom_family(struct prom *p, const char *name, const char *type,
		const char *help)
{
	char **seen;
	size_t i;

	if (!prom_valid_metric_name(name) ||
	    (strcmp(type, "counter") && strcmp(type, "gauge")) ||
	    (!strcmp(type, "counter") != ends_with(name, "_total")))
		return prom_fail(p, -EINVAL);
	for (i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i], name))
			return prom_fail(p, -EEXIST);
	seen = realloc(p->seen, (p->nseen + 1) * sizeof(*seen));
	if (!seen)
		return prom_fail(p, -ENOMEM);
	p->seen = seen;
	p->seen[p->nseen] = strdup(name);
	if (!p->seen[p->nseen])
		return prom_fail(p, -ENOMEM);
	p->family = p->seen[p->nseen++];

	fprintf(p->f, "# HELP %s ", name);
	prom_write_help(p->f, help);
	fprintf(p->f, "\n# TYPE %s %s\n", name, type);
	return 0;
}

int prom_sample(struct prom *p, const struct prom_label *labels, size_t n,
		const char *value)
{
	size_t i;

	if (!p->family)
		return prom_fail(p, -EINVAL);
	for (i = 0; i < n; i++)
		if (!prom_valid_label_name(labels[i].name))
			return prom_fail(p, -EINVAL);

	fputs(p->family, p->f);
	for (i = 0; i < n; i++) {
		fprintf(p->f, "%s%s=\"", i ? "," : "{", labels[i].name);
		prom_write_label_value(p->f, labels[i].value ? labels[i].value : "");
		fputc('"', p->f);
	}
	fprintf(p->f, "%s %s\n", n ? "}" : "", value);
	return 0;
}

int prom_sample_u64(struct prom *p, const struct prom_label *labels, size_t n,
		    uint64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
	return prom_sample(p, labels, n, buf);
}

int prom_sample_seconds(struct prom *p, const struct prom_label *labels,
			size_t n, uint64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu.%09llu",
		 (unsigned long long)(ns / 1000000000),
		 (unsigned long long)(ns % 1000000000));
	return prom_sample(p, labels, n, buf);
}

/* ---- memctl's metrics ---- */

enum unit {
	U_COUNT,	/* the number as it is: bytes, pages, events */
	U_SECONDS,	/* a field in nanoseconds, written in seconds */
};

struct cg_metric {
	const char *name;
	const char *type;
	const char *help;
	size_t off;		/* of a uint64_t in struct memctl_stats */
	enum unit unit;
	const char *class;	/* value of a class="" label, or NULL */
};

#define S(field) offsetof(struct memctl_stats, field)
#define SUBTREE " Includes the cgroup's descendants."

/* Entries of one family are adjacent; the first one's help is used. */
static const struct cg_metric cg_metrics[] = {
	{ "memctl_usage_bytes", "gauge",
	  "Memory the cgroup uses now (memory.current)." SUBTREE,
	  S(usage), U_COUNT, NULL },
	{ "memctl_slab_reclaimable_bytes", "gauge",
	  "Reclaimable slab (dentries, inodes) charged to the cgroup." SUBTREE,
	  S(slab_reclaimable), U_COUNT, NULL },
	{ "memctl_slab_unreclaimable_bytes", "gauge",
	  "Unreclaimable slab charged to the cgroup." SUBTREE,
	  S(slab_unreclaimable), U_COUNT, NULL },
	{ "memctl_file_bytes", "gauge",
	  "Page cache charged to the cgroup." SUBTREE,
	  S(file), U_COUNT, NULL },
	{ "memctl_anon_bytes", "gauge",
	  "Anonymous memory charged to the cgroup." SUBTREE,
	  S(anon), U_COUNT, NULL },
	{ "memctl_swap_bytes", "gauge",
	  "Swap charged to the cgroup (memory.swap.current)." SUBTREE,
	  S(swap), U_COUNT, NULL },
	{ "memctl_high_bytes", "gauge",
	  "The policy's high mark: above it memctl reclaims.",
	  S(high), U_COUNT, NULL },
	{ "memctl_target_bytes", "gauge",
	  "The policy's target: where memctl's reclaim stops.",
	  S(target), U_COUNT, NULL },
	{ "memctl_reclaim_episodes_total", "counter",
	  "Reclaim episodes memctl ran for the cgroup's policy.",
	  S(episodes), U_COUNT, NULL },
	{ "memctl_reclaim_steps_total", "counter",
	  "Bounded reclaim steps memctl took for the cgroup's policy.",
	  S(steps), U_COUNT, NULL },
	{ "memctl_reclaimed_bytes_total", "counter",
	  "Bytes memctl's reclaim freed from the cgroup, per class.",
	  S(reclaimed_slab), U_COUNT, "slab" },
	{ "memctl_reclaimed_bytes_total", "counter", NULL,
	  S(reclaimed_file), U_COUNT, "file" },
	{ "memctl_reclaimed_bytes_total", "counter", NULL,
	  S(reclaimed_anon), U_COUNT, "anon" },
	{ "memctl_reclaim_seconds_total", "counter",
	  "Time memctl spent reclaiming from the cgroup.",
	  S(reclaim_time_ns), U_SECONDS, NULL },
	{ "memctl_reclaim_cpu_seconds_total", "counter",
	  "CPU time memctl's reclaim episodes used for the cgroup.",
	  S(reclaim_cpu_ns), U_SECONDS, NULL },
	{ "memctl_reclaim_shortfalls_total", "counter",
	  "Reclaim episodes that ended above the target.",
	  S(shortfalls), U_COUNT, NULL },
	{ "memctl_reclaim_pressure_stops_total", "counter",
	  "Reclaim episodes stopped because memory pressure passed the policy's limit.",
	  S(pressure_stops), U_COUNT, NULL },
	{ "memctl_reclaim_last_freed_bytes", "gauge",
	  "Bytes the last reclaim episode freed.",
	  S(last_freed), U_COUNT, NULL },
	{ "memctl_reclaim_last_duration_seconds", "gauge",
	  "How long the last reclaim episode took.",
	  S(last_duration_ns), U_SECONDS, NULL },
	{ "memctl_cgroup_tier_stored_pages", "gauge",
	  "Pages of the cgroup stored in the compressed tier." SUBTREE,
	  S(tier_stored_pages), U_COUNT, NULL },
	{ "memctl_cgroup_tier_compressed_bytes", "gauge",
	  "Compressed size of the cgroup's pages in the tier." SUBTREE,
	  S(tier_compressed_bytes), U_COUNT, NULL },
	{ "memctl_cgroup_tier_same_filled_pages", "gauge",
	  "The cgroup's pages in the tier stored as their fill value." SUBTREE,
	  S(tier_same_filled_pages), U_COUNT, NULL },
	{ "memctl_cgroup_tier_stores_total", "counter",
	  "Pages of the cgroup stored into the tier." SUBTREE,
	  S(tier_stores), U_COUNT, NULL },
	{ "memctl_cgroup_tier_loads_total", "counter",
	  "Pages of the cgroup loaded back from the tier." SUBTREE,
	  S(tier_loads), U_COUNT, NULL },
	{ "memctl_cgroup_tier_cap_stops_total", "counter",
	  "Anonymous reclaim passes held back by the policy's tier-max.",
	  S(tier_cap_stops), U_COUNT, NULL },
	{ "memctl_cgroup_tier_overage_bytes", "gauge",
	  "Compressed bytes the cgroup holds in the tier past its tier-max.",
	  S(tier_overage), U_COUNT, NULL },
};

static void write_cgroup_metrics(struct prom *p, const struct memctl_stats *rows,
				 size_t n)
{
	size_t m, i;

	for (m = 0; m < sizeof(cg_metrics) / sizeof(cg_metrics[0]); m++) {
		const struct cg_metric *cm = &cg_metrics[m];

		if (!m || strcmp(cg_metrics[m - 1].name, cm->name))
			prom_family(p, cm->name, cm->type, cm->help);
		for (i = 0; i < n; i++) {
			const struct memctl_stats *s = &rows[i];
			uint64_t v;
			char id[24];
			struct prom_label l[3] = {
				{ "cgroup", s->cgroup.path },
				{ "id", id },
				{ "class", cm->class },
			};

			memcpy(&v, (const char *)s + cm->off, sizeof(v));
			snprintf(id, sizeof(id), "%llu",
				 (unsigned long long)s->cgroup.id);
			if (cm->unit == U_SECONDS)
				prom_sample_seconds(p, l, cm->class ? 3 : 2, v);
			else
				prom_sample_u64(p, l, cm->class ? 3 : 2, v);
		}
	}
}

static void gauge(struct prom *p, const char *name, const char *help,
		  uint64_t v)
{
	prom_family(p, name, "gauge", help);
	prom_sample_u64(p, NULL, 0, v);
}

static void counter(struct prom *p, const char *name, const char *help,
		    uint64_t v)
{
	prom_family(p, name, "counter", help);
	prom_sample_u64(p, NULL, 0, v);
}

static void write_module_metrics(struct prom *p, const struct memctl_info *info,
				 const struct memctl_tier *tier)
{
	struct prom_label l[2] = {
		{ "version", info->version },
		{ "kernel", info->kernel },
	};

	prom_family(p, "memctl_info", "gauge",
		    "The memctl module: its version and the kernel's release, value 1.");
	prom_sample(p, l, 2, "1");
	gauge(p, "memctl_policies", "Policies in memctl's table.",
	      info->nr_policies);
	gauge(p, "memctl_policies_max",
	      "How many policies the table may hold (module parameter max_policies).",
	      info->max_policies);
	gauge(p, "memctl_tier_present",
	      "1 if the compressed tier exists, else 0.", tier != NULL);
}

static void write_tier_metrics(struct prom *p, const struct memctl_tier *t)
{
	struct prom_label l[2] = {
		{ "device", t->device },
		{ "algo", t->algo },
	};

	prom_family(p, "memctl_tier_info", "gauge",
		    "The compressed tier: its block device and compressor, value 1.");
	prom_sample(p, l, 2, "1");
	gauge(p, "memctl_tier_size_bytes", "Swap space the tier device offers.",
	      t->size);
	gauge(p, "memctl_tier_in_use", "1 while the tier device is open (swapon).",
	      t->in_use);
	gauge(p, "memctl_tier_stored_pages", "Pages stored in the tier.",
	      t->stored_pages);
	gauge(p, "memctl_tier_compressed_bytes",
	      "Sum of the compressed lengths of the stored pages.",
	      t->compressed_bytes);
	gauge(p, "memctl_tier_pool_bytes",
	      "Memory the tier's pool really holds.", t->pool_bytes);
	gauge(p, "memctl_tier_same_filled_pages",
	      "Pages stored as their fill value, without memory.",
	      t->same_filled_pages);
	gauge(p, "memctl_tier_huge_pages",
	      "Incompressible pages stored raw.", t->huge_pages);
	counter(p, "memctl_tier_stores_total", "Pages stored into the tier.",
		t->stores);
	counter(p, "memctl_tier_loads_total", "Pages loaded from the tier.",
		t->loads);
	counter(p, "memctl_tier_failed_stores_total",
		"Stores into the tier that failed.", t->failed_stores);
	counter(p, "memctl_tier_failed_loads_total",
		"Loads from the tier that failed.", t->failed_loads);
	counter(p, "memctl_tier_discards_total",
		"Tier slots freed by the swap layer.", t->discards);
}

int prom_write_stats(FILE *f, const struct memctl_stats *rows, size_t n,
		     const struct memctl_info *info,
		     const struct memctl_tier *tier)
{
	struct prom p;

	prom_init(&p, f);
	write_cgroup_metrics(&p, rows, n);
	write_module_metrics(&p, info, tier);
	if (tier)
		write_tier_metrics(&p, tier);
	return prom_finish(&p);
}
