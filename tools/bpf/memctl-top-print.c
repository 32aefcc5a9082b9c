// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl-top's output (see memctl-top-print.h).
 */
#include <limits.h>
#include <string.h>

#include "format.h"
#include "json.h"
#include "memctl.h"
#include "memctl-top-print.h"

/*
 * Interpolated linearly inside the slot where the rank falls: within a
 * factor of two of the true value.
 */
__u64 top_percentile(const struct mt_stall *h, unsigned int pct)
{
	__u64 total = 0, cum = 0, rank, lo, hi;
	int i, last = 0;

	for (i = 0; i < MT_SLOTS; i++) {
		total += h->slots[i];
		if (h->slots[i])
			last = i;
	}
	if (!total)
		return 0;
	if (total == 1 && h->count == 1)
		return h->total_ns;
	rank = (total * pct + 99) / 100;
	for (i = 0; i < MT_SLOTS; i++) {
		if (cum + h->slots[i] >= rank)
			break;
		cum += h->slots[i];
	}
	if (i == MT_SLOTS)
		i = last;
	lo = i ? 1ULL << i : 0;
	hi = 1ULL << (i + 1);
	return lo + (hi - lo) * (2 * (rank - cum) - 1) / (2 * h->slots[i]);
}

static void json_stall(struct json *j, const char *key,
		       const struct mt_stall *s, bool pages)
{
	json_key(j, key);
	json_obj_begin(j);
	json_ku64(j, "count", s->count);
	json_ku64(j, "total_ns", s->total_ns);
	json_ku64(j, "p50_ns", top_percentile(s, 50));
	json_ku64(j, "p99_ns", top_percentile(s, 99));
	if (pages)
		json_ku64(j, "pages", s->pages);
	json_obj_end(j);
}

static void json_work(struct json *j, const char *key,
		      const struct mt_work *w, const char *pages,
		      const char *objects)
{
	json_key(j, key);
	json_obj_begin(j);
	json_ku64(j, "count", w->count);
	json_ku64(j, "total_ns", w->total_ns);
	if (pages)
		json_ku64(j, pages, w->pages);
	if (objects)
		json_ku64(j, objects, w->objects);
	json_obj_end(j);
}

void top_print_json(FILE *f, const struct top_row *rows, size_t n,
		    double now_s, double interval_s)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_obj_begin(&j);
	json_kdouble(&j, "time", now_s, 3);
	json_kdouble(&j, "interval_s", interval_s, 3);
	json_key(&j, "cgroups");
	json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		const struct mt_stats *d = &rows[i].d;

		json_obj_begin(&j);
		json_kstr(&j, "cgroup", rows[i].path);
		json_ku64(&j, "id", rows[i].id);
		json_stall(&j, "direct_reclaim", &d->direct, false);
		json_stall(&j, "memcg_reclaim", &d->memcg, true);
		json_work(&j, "proactive_reclaim", &d->proactive, "pages", NULL);
		json_work(&j, "memctl_reclaim", &d->memctl, "pages",
			  "slab_objects");
		json_work(&j, "slab_shrink", &d->slab, NULL, "objects");
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
}

#define ULL(x) ((unsigned long long)(x))

/* column widths */
#define W_N	7
#define W_T	8
#define W_SZ	7
#define W_DIRECT	(W_N + 3 * (1 + W_T))
#define W_MEMCG		(W_N + 3 * (1 + W_T) + 1 + W_SZ)
#define W_MEMCTL	(W_N + 1 + W_T + 1 + W_SZ)
#define W_SLAB		(W_N + 1 + W_T)
#define W_NAME_MIN	6
#define W_NAME_MAX	48

static const char *t_ns(char *buf, __u64 ns)
{
	return fmt_ns(ns, buf, 24);
}

void top_print_table(FILE *f, const struct top_row *rows, size_t n,
		     const struct top_view *v)
{
	char a[4][MEMCTL_SIZE_STR_MAX], b[4][MEMCTL_SIZE_STR_MAX];
	char name[W_NAME_MAX + 1], idbuf[32], path[PATH_MAX];
	int w = W_NAME_MIN, len;
	const struct mt_stats *d;
	const char *p;
	size_t i;

	for (i = 0; i < n; i++) {
		len = rows[i].path ? (int)strlen(rows[i].path) : 24;
		if (len > w)
			w = len < W_NAME_MAX ? len : W_NAME_MAX;
	}
	fprintf(f, "memctl top - %s, interval %.1fs, %zu cgroup%s%s\n",
		v->clock, v->interval_s, n, n == 1 ? "" : "s",
		!v->memcg_traced ? " (memcg reclaim not traced)" :
		v->slab_mode == MT_SLAB_TRACEPOINT ?
		" (slab: per shrinker call)" : "");
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %s\n", w, "", W_DIRECT,
		"DIRECT RECLAIM", W_MEMCG, "MEMCG RECLAIM", W_MEMCTL,
		"MEMCTL RECLAIM", "SLAB SHRINK");
	fprintf(f, "%-*s  %*s %*s %*s %*s  %*s %*s %*s %*s %*s  %*s %*s %*s  %*s %*s\n",
		w, "CGROUP",
		W_N, "STALLS", W_T, "TIME", W_T, "P50", W_T, "P99",
		W_N, "STALLS", W_T, "TIME", W_T, "P50", W_T, "P99", W_SZ, "FREED",
		W_N, "RUNS", W_T, "TIME", W_SZ, "FREED",
		W_N, "CALLS", W_T, "TIME");
	for (i = 0; i < n; i++) {
		size_t k;

		if (v->max_rows >= 0 && (int)i >= v->max_rows) {
			fprintf(f, "... %zu more\n", n - i);
			break;
		}
		d = &rows[i].d;
		p = rows[i].path;
		if (!p) {
			snprintf(idbuf, sizeof(idbuf), "<id %llu>",
				 ULL(rows[i].id));
			p = idbuf;
		}
		/* One line per row: a cgroup's name may hold any byte but '/'. */
		for (k = 0; p[k] && k < sizeof(path) - 1; k++) {
			unsigned char ch = (unsigned char)p[k];

			path[k] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
		}
		path[k] = '\0';
		len = strlen(path);
		if (len > w)	/* keep the leaf: "..." and the tail */
			snprintf(name, sizeof(name), "...%s",
				 path + len - (w - 3));
		else
			snprintf(name, sizeof(name), "%.*s", W_NAME_MAX, path);
		fprintf(f, "%-*s  %*llu %*s %*s %*s", w, name,
			W_N, ULL(d->direct.count),
			W_T, t_ns(a[0], d->direct.total_ns),
			W_T, t_ns(a[1], top_percentile(&d->direct, 50)),
			W_T, t_ns(a[2], top_percentile(&d->direct, 99)));
		fprintf(f, "  %*llu %*s %*s %*s %*s",
			W_N, ULL(d->memcg.count),
			W_T, t_ns(b[0], d->memcg.total_ns),
			W_T, t_ns(b[1], top_percentile(&d->memcg, 50)),
			W_T, t_ns(b[2], top_percentile(&d->memcg, 99)),
			W_SZ, fmt_size(d->memcg.pages * v->page_size, b[3]));
		fprintf(f, "  %*llu %*s %*s  %*llu %*s\n",
			W_N, ULL(d->memctl.count),
			W_T, t_ns(a[0], d->memctl.total_ns),
			W_SZ, fmt_size(d->memctl.pages * v->page_size, a[1]),
			W_N, ULL(d->slab.count),
			W_T, t_ns(a[2], d->slab.total_ns));
	}
	if (!n)
		fprintf(f, "(no reclaim in this interval)\n");
}
