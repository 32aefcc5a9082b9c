// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl stats --prometheus: the Prometheus text exposition format 0.0.4
 * (see prom.h), for node-exporter's textfile collector.
 *
 * The metrics are a contract (dashboards and alerts name them): memctl(8)
 * lists them under PROMETHEUS METRICS, and tests/test_fields.c checks that
 * list against what this file writes.  The per-cgroup families, labelled
 * cgroup="<path from the cgroup2 root>" and id="<cgroup id>", and the
 * tier's counters come from the field tables (fields.h); the module's
 * families and memctl_tier_info are written here.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fields.h"
#include "prom.h"

static int prom_fail(struct prom *p, int err)
{
	if (!p->err)
		p->err = err;
	return err;
}

void prom_init(struct prom *p, FILE *f)
{
	p->family = NULL;
	p->seen = NULL;
	p->nseen = 0;
	p->err = 0;
	sink_init(&p->out, f);
}

void prom_init_mem(struct prom *p, struct membuf *m)
{
	prom_init(p, NULL);
	sink_init_mem(&p->out, m);
}

int prom_finish(struct prom *p)
{
	size_t i;

	sink_flush(&p->out);
	if (p->out.mem && p->out.mem->failed)
		prom_fail(p, -ENOMEM);
	for (i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	p->seen = NULL;
	p->nseen = 0;
	p->family = NULL;
	return p->err;
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
static void prom_escape_byte(struct sink *s, unsigned char c)
{
	sink_putc(s, '\\');
	sink_putc(s, c == '\n' ? 'n' : (char)c);
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

static void sink_label_value(struct sink *out, const char *s)
{
	escape_write(out, s, &label_escape);
}

void prom_write_label_value(FILE *f, const char *s)
{
	struct sink out;

	sink_init(&out, f);
	sink_label_value(&out, s);
	sink_flush(&out);
}

void prom_write_help(FILE *f, const char *s)
{
	struct sink out;

	sink_init(&out, f);
	escape_write(&out, s, &help_escape);
	sink_flush(&out);
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

	sink_puts(&p->out, "# HELP ");
	sink_puts(&p->out, name);
	sink_putc(&p->out, ' ');
	escape_write(&p->out, help, &help_escape);
	sink_puts(&p->out, "\n# TYPE ");
	sink_puts(&p->out, name);
	sink_putc(&p->out, ' ');
	sink_puts(&p->out, type);
	sink_putc(&p->out, '\n');
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

	sink_puts(&p->out, p->family);
	for (i = 0; i < n; i++) {
		sink_putc(&p->out, i ? ',' : '{');
		sink_puts(&p->out, labels[i].name);
		sink_puts(&p->out, "=\"");
		sink_label_value(&p->out, labels[i].value ? labels[i].value : "");
		sink_putc(&p->out, '"');
	}
	if (n)
		sink_putc(&p->out, '}');
	sink_putc(&p->out, ' ');
	sink_puts(&p->out, value);
	sink_putc(&p->out, '\n');
	return 0;
}

int prom_sample_u64(struct prom *p, const struct prom_label *labels, size_t n,
		    uint64_t value)
{
	char buf[FMT_U64_LEN + 1];

	buf[fmt_u64(buf, value)] = '\0';
	return prom_sample(p, labels, n, buf);
}

/* The most prom_format_seconds() writes: the seconds, '.', 9, the NUL. */
#define PROM_SECONDS_LEN	(FMT_U64_LEN + 11)

/*
 * @ns as seconds, exactly ("1.500000000"), by hand: a scrape writes three
 * per cgroup.  Return: the length, NUL not counted.
 */
static size_t prom_format_seconds(char buf[PROM_SECONDS_LEN], uint64_t ns)
{
	uint64_t frac = ns % 1000000000;
	size_t n = fmt_u64(buf, ns / 1000000000);
	int i;

	buf[n] = '.';
	for (i = 9; i > 0; i--, frac /= 10)
		buf[n + i] = (char)('0' + frac % 10);
	n += 10;
	buf[n] = '\0';
	return n;
}

int prom_sample_seconds(struct prom *p, const struct prom_label *labels,
			size_t n, uint64_t ns)
{
	char buf[PROM_SECONDS_LEN];

	prom_format_seconds(buf, ns);
	return prom_sample(p, labels, n, buf);
}

/* ---- memctl's metrics ---- */

/*
 * The labels every sample of @s carries, written once per row into @out:
 * {cgroup="...",id="..."[,more...] without the closing brace.  False when
 * (p->err set) a label name is invalid.
 */
static bool prom_row_labels(struct prom *p,
			    const struct memctl_cgroup_stats *s,
			    prom_row_labels_fn more, void *arg,
			    struct sink *out)
{
	struct prom_label l[PROM_ROW_LABELS_MAX];
	size_t nl = 0, i;

	if (more)
		nl = more(s, l, arg);
	for (i = 0; i < nl; i++)
		if (!prom_valid_label_name(l[i].name)) {
			prom_fail(p, -EINVAL);
			return false;
		}
	sink_puts(out, "{cgroup=\"");
	sink_label_value(out, s->cgroup.path);
	sink_puts(out, "\",id=\"");
	sink_u64(out, s->cgroup.id);
	sink_putc(out, '"');
	for (i = 0; i < nl; i++) {
		sink_putc(out, ',');
		sink_puts(out, l[i].name);
		sink_puts(out, "=\"");
		sink_label_value(out, l[i].value ? l[i].value : "");
		sink_putc(out, '"');
	}
	return true;
}

/*
 * What follows a row's labels in each sample of field @f, into @out: its
 * own label (,class="anon"), if it has one, and "} ".
 */
static bool prom_field_tail(struct prom *p, const struct stats_field *f,
			    struct sink *out)
{
	if (f->prom_label && !prom_valid_label_name(f->prom_label)) {
		prom_fail(p, -EINVAL);
		return false;
	}
	if (f->prom_label) {
		sink_putc(out, ',');
		sink_puts(out, f->prom_label);
		sink_puts(out, "=\"");
		sink_label_value(out, f->prom_value);
		sink_putc(out, '"');
	}
	sink_puts(out, "} ");
	return true;
}

/*
 * A family per statistic of the field table (fields.h), or per run of
 * adjacent rows of one name, with a sample per cgroup that has it (the
 * auto statistics: the cgroups of an auto policy; none, no family).  Each
 * row's labels are formatted (and the labeller called) once, all into one
 * buffer, not once per sample: a scrape of thousands of cgroups is tens of
 * thousands of samples.
 */
void prom_write_cgroups(struct prom *p, const struct memctl_cgroup_stats *rows,
			size_t n, prom_row_labels_fn more, void *arg)
{
	size_t *off = calloc(n + 1, sizeof(*off));
	struct membuf lab = { 0 }, tail = { 0 };
	struct sink *out = &p->out, *ls;
	const char *family = NULL;
	uint32_t present = 0;
	size_t m, i;

	ls = malloc(sizeof(*ls));
	if (!off || !ls) {
		prom_fail(p, -ENOMEM);
		goto out;
	}
	sink_init_mem(ls, &lab);
	for (i = 0; i < n; i++) {
		present |= rows[i].present;
		off[i] = sink_mem_offset(ls);
		if (!prom_row_labels(p, &rows[i], more, arg, ls))
			goto out;
	}
	off[n] = sink_mem_offset(ls);
	sink_flush(ls);
	if (lab.failed) {
		prom_fail(p, -ENOMEM);
		goto out;
	}
	for (m = 0; m < nr_stats_fields; m++) {
		const struct stats_field *f = &stats_fields[m];
		size_t name_len;

		if (!f->prom || (f->has && !(f->has & present)))
			continue;
		if (!family || strcmp(family, f->prom))
			if (prom_family(p, f->prom, f->prom_type, f->help))
				goto out;
		family = f->prom;
		name_len = strlen(f->prom);
		tail.len = 0;
		sink_init_mem(ls, &tail);
		if (!prom_field_tail(p, f, ls))
			goto out;
		sink_flush(ls);
		if (tail.failed) {
			prom_fail(p, -ENOMEM);
			goto out;
		}
		for (i = 0; i < n; i++) {
			const struct memctl_cgroup_stats *s = &rows[i];
			uint64_t v;

			if (!stats_field_present(f, s))
				continue;
			v = stats_field_value(f, s);
			sink_write(out, f->prom, name_len);
			sink_write(out, lab.p + off[i], off[i + 1] - off[i]);
			sink_write(out, tail.p, tail.len);
			if (f->unit == FU_NS) {
				char secs[PROM_SECONDS_LEN];

				sink_write(out, secs,
					   prom_format_seconds(secs, v));
			} else {
				sink_u64(out, v);
			}
			sink_putc(out, '\n');
		}
	}
out:
	free(tail.p);
	free(lab.p);
	free(ls);
	free(off);
}

static void gauge(struct prom *p, const char *name, const char *help,
		  uint64_t v)
{
	prom_family(p, name, "gauge", help);
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

/* memctl_tier_info, its labels the tier's strings, then a family per
 * counter of the tier's field table. */
static void write_tier_metrics(struct prom *p, const struct memctl_tier *t)
{
	struct prom_label l[8] = { { NULL, NULL } };
	size_t i, nl = 0;

	for (i = 0; i < nr_tier_fields; i++)
		if (tier_fields[i].unit == FU_STR && tier_fields[i].prom &&
		    nl < sizeof(l) / sizeof(l[0])) {
			l[nl].name = tier_fields[i].prom;
			l[nl++].value = tier_field_str(&tier_fields[i], t);
		}
	prom_family(p, "memctl_tier_info", "gauge",
		    "The compressed tier: its block device and compressor, value 1.");
	prom_sample(p, l, nl, "1");
	for (i = 0; i < nr_tier_fields; i++) {
		const struct tier_field *f = &tier_fields[i];

		if (f->unit == FU_STR || !f->prom)
			continue;
		prom_family(p, f->prom, f->prom_type, f->help);
		prom_sample_u64(p, NULL, 0, tier_field_value(f, t));
	}
}

int prom_write_stats(FILE *f, const struct memctl_cgroup_stats *rows,
		     size_t n, const struct memctl_info *info,
		     const struct memctl_tier *tier)
{
	struct prom p;

	prom_init(&p, f);
	prom_write_cgroups(&p, rows, n, NULL, NULL);
	write_module_metrics(&p, info, tier);
	if (tier)
		write_tier_metrics(&p, tier);
	return prom_finish(&p);
}

void prom_write_module(struct prom *p, const struct memctl_info *info,
		       const struct memctl_tier *tier)
{
	write_module_metrics(p, info, tier);
	if (tier)
		write_tier_metrics(p, tier);
}
