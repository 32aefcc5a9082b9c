// SPDX-License-Identifier: GPL-2.0-only
/*
 * The documentation lists exactly what memctl prints: the JSON keys of
 * `memctl stats` and `memctl tier show` and the Prometheus families in
 * memctl(8), the statistics and how memctl_stats_sum() adds them up in
 * libmemctl(3) and memctl.h, and `memctl stats --help`.  What is
 * compared is the output of the printers, which walk the field tables
 * (fields.h, libmemctl/stats_fields.h), so that a statistic added to a
 * table without its documentation, or documented and not printed, fails
 * here.  Paths are relative to tools/memctl, where `make check` runs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "fields.h"
#include "prom.h"
#include "stats_fields.h"
#include "unit.h"

#define TOP		"../../"
#define MEMCTL_8	TOP "Documentation/man/memctl.8"
#define LIBMEMCTL_3	TOP "Documentation/man/libmemctl.3"
#define MEMCTL_H	TOP "libmemctl/memctl.h"

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "re"), *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void put_unescaped(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			fputc(s[i], out);
			continue;
		}
		i++;
		if (s[i] == 'f')		/* \fB \fI \fP \fR */
			i++;
		else if (s[i] == '(')		/* \(lq and the like */
			i += 2;
		else if (s[i] == '-' || s[i] == '\\' || s[i] == '&')
			fputc(s[i] == '&' ? ' ' : s[i], out);
	}
}

/*
 * One troff line as text: a font macro's arguments, joined by spaces (.B,
 * .I) or run together (.BR, .RB, .IR, .RI); other requests are nothing.
 */
static void troff_line(FILE *out, const char *l, size_t n)
{
	const char *end = l + n, *p;
	bool alt;

	if (!n || l[0] != '.') {
		put_unescaped(out, l, n);
		fputc(' ', out);
		return;
	}
	p = l + 1;
	if (end - p >= 2 && strchr("BIR", p[0]) && strchr("BIR", p[1]) &&
	    (end - p == 2 || p[2] == ' '))
		alt = true;
	else if (end - p >= 1 && strchr("BI", p[0]) &&
		 (end - p == 1 || p[1] == ' '))
		alt = false;
	else
		return;
	p = strchr(p, ' ');
	if (!p || p >= end)
		return;
	while (p < end) {
		const char *a, *b;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		if (*p == '"') {
			a = ++p;
			b = memchr(p, '"', end - p);
			if (!b)
				b = end;
			p = b < end ? b + 1 : end;
		} else {
			a = p;
			while (p < end && *p != ' ')
				p++;
			b = p;
		}
		put_unescaped(out, a, b - a);
		if (!alt)
			fputc(' ', out);
	}
	if (alt)
		fputc(' ', out);
}

/*
 * The text of the man page section or subsection whose heading line
 * starts with @heading, up to the next heading, as one line.
 */
static char *man_section(const char *man, const char *heading)
{
	const char *p = strstr(man, heading), *l;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	if (!p)
		return strdup("");
	out = open_memstream(&buf, &len);
	p = strchr(p, '\n');
	for (l = p ? p + 1 : ""; *l; ) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		if (!strncmp(l, ".SH", 3) || !strncmp(l, ".SS", 3))
			break;
		troff_line(out, l, n);
		l += n + (nl ? 1 : 0);
	}
	fclose(out);
	return buf;
}

/* "a ,  b" -> "a, b", "{ x" -> "{x", "x }" -> "x}". */
static void squeeze(char *s)
{
	char *o = s, *p;

	for (p = s; *p; p++) {
		if (*p == ' ' && (o == s || o[-1] == ' ' || o[-1] == '{'))
			continue;
		if ((*p == ',' || *p == '}' || *p == '.') && o > s &&
		    o[-1] == ' ')
			o--;
		*o++ = *p;
	}
	while (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

/*
 * The key list after @intro in @text, up to its full stop, without what
 * it says in parentheses ("classes (an array of names)") or line breaks.
 */
static char *keys_after(const char *text, const char *intro)
{
	const char *p = strstr(text, intro);
	char *keys, *r, *w;
	int depth = 0;

	if (!p)
		return strdup("(no list)");
	p += strlen(intro);
	keys = strndup(p, strcspn(p, "."));
	for (r = w = keys; *r; r++) {
		if (*r == '(')
			depth++;
		else if (*r == ')' && depth)
			depth--;
		else if (!depth)
			*w++ = *r == '\n' ? ' ' : *r;
	}
	*w = '\0';
	squeeze(keys);
	return keys;
}

/* The usage text of `memctl GROUP SUB`. */
static const char *sub_usage(const struct cmd *subs, const char *name)
{
	for (; subs->name; subs++)
		if (!strcmp(subs->name, name))
			return subs->usage;
	return "";
}

/*
 * The keys of the first JSON object in @json, nested objects as
 * "key {a, b}": "cgroup, id, usage, ..., reclaimed {slab, file, anon}".
 */
static char *json_outline(const char *json)
{
	const char *p = strchr(json, '{');
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int depth = 0;
	bool first = true;

	for (; p && *p; p++) {
		if (*p == '"') {
			const char *q = p + 1;

			while (*q && *q != '"')
				q += *q == '\\' ? 2 : 1;
			if (q[0] == '"' && q[1] == ':') {
				fprintf(out, "%s%.*s", first ? "" : ", ",
					(int)(q - p - 1), p + 1);
				first = false;
				if (q[2] == '{') {
					fputs(" {", out);
					first = true;
					depth++;
					q += 2;
				}
			}
			p = q;
		} else if (*p == '}') {
			if (!depth)
				break;
			fputc('}', out);
			first = false;
			depth--;
		}
	}
	fclose(out);
	return buf;
}

static void full_stats(struct memctl_cgroup_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->cgroup.path = "/s";
	s->cgroup.id = 9;
	s->last_stop = MEMCTL_STOP_TARGET;
	s->present = ~0U;	/* every statistic, the auto ones too */
}

static void full_tier(struct memctl_tier *t)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->device, "memctl0");
	strcpy(t->algo, "lz4");
	t->size = 1 << 30;
}

static char *capture_json(void (*fn)(struct json *j, const void *arg),
			  const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	fn(&j, arg);
	fclose(f);
	return buf;
}

static void stats_object(struct json *j, const void *arg)
{
	json_stats_object(j, arg);
}

static void tier_object(struct json *j, const void *arg)
{
	struct memctl_tier_backing b = { .sz = sizeof(b), .present = true,
					 .path = "/dev/sdb" };

	json_obj_begin(j);
	json_tier_fields(j, arg);
	json_backing_fields(j, &b);	/* memctl tier show's whole object */
	json_obj_end(j);
}

static void totals_object(struct json *j, const void *arg)
{
	static const struct memctl_info info = { .nr_policies = 1 };

	json_stats_totals(j, 1, 1, arg, &info, NULL);
}

static void policy_object(struct json *j, const void *arg)
{
	const struct memctl_policy *p = arg;

	json_obj_begin(j);
	json_cgroup(j, &p->cgroup);
	json_policy_fields(j, p);
	json_obj_end(j);
}

TEST(fields_outline_can_fail)
{
	char *s = json_outline("{\"a\":1,\"b\":{\"c\":\"}\",\"d\":2},\"e\":null}\n");

	CHECK_STR(s, "a, b {c, d}, e");
	free(s);
	s = strdup("a ,  b , g { x ,  y } .");
	squeeze(s);
	CHECK_STR(s, "a, b, g {x, y}.");
	free(s);
	s = keys_after("the keys a, b (a list),\nc (a boolean), d.  More.",
		       "the keys ");
	CHECK_STR(s, "a, b, c, d");
	free(s);
}

TEST(fields_stats_json_keys_documented)
{
	char *man = slurp(MEMCTL_8), *sec, *doc, *out, *keys, help[1024];
	struct memctl_cgroup_stats s;

	CHECK(man != NULL);
	if (!man)
		return;
	full_stats(&s);
	out = capture_json(stats_object, &s);
	keys = json_outline(out);
	sec = man_section(man, ".SS \"memctl stats ");
	doc = keys_after(sec, "with the keys ");
	CHECK_STR(doc, keys);

	/* --help: "cgroup, id, " and the table's keys */
	stats_key_list(help, sizeof(help));
	CHECK(!strncmp(keys, "cgroup, id, ", 12) && !strcmp(keys + 12, help));
	CHECK(strstr(stats_usage, "Usage: memctl stats") == stats_usage);
	/* whole: the tail after the keys is there, no line is too long */
	{
		static const char tail[] = "max_policies}.\n";
		size_t n = strlen(stats_usage);

		CHECK(n > sizeof(tail) &&
		      !strcmp(stats_usage + n - (sizeof(tail) - 1), tail));
	}
	{
		const char *l = stats_usage;

		while (*l) {
			size_t n = strcspn(l, "\n");

			CHECK(n <= 79);
			l += n + (l[n] ? 1 : 0);
		}
	}
	free(doc);
	free(out);
	free(keys);

	/* the totals: the keys above but cgroup, id and last_* */
	full_stats(&s);
	out = capture_json(totals_object, &s);
	keys = json_outline(strstr(out, "\"total\":") + 8);
	{
		char want[1024] = "";
		size_t i;
		const char *group = NULL;

		for (i = 0; i < nr_stats_fields; i++) {
			const struct stats_field *f = &stats_fields[i];

			if (!stats_field_in_total(f)) {
				CHECK(!strncmp(f->key, "last_", 5));
				continue;
			}
			if (group && (!f->group || strcmp(group, f->group)))
				strcat(want, "}");
			if (want[0])
				strcat(want, ", ");
			if (f->group && (!group || strcmp(group, f->group))) {
				strcat(want, f->group);
				strcat(want, " {");
			}
			strcat(want, f->key);
			group = f->group;
		}
		if (group)
			strcat(want, "}");
		CHECK_STR(keys, want);
	}
	CHECK(strstr(sec, "but cgroup, id and last_*") != NULL);
	free(out);
	free(keys);
	free(sec);
	free(man);
}

TEST(fields_policy_keys_and_keywords)
{
	char *man = slurp(MEMCTL_8), *sec, *doc, *out, *keys;
	struct memctl_policy p;
	size_t i;

	if (!man) {
		CHECK(man != NULL);
		return;
	}
	memset(&p, 0, sizeof(p));
	strcpy(p.cgroup.path, "/p");
	p.set = ~0U;
	out = capture_json(policy_object, &p);
	keys = json_outline(out);
	sec = man_section(man, ".SS \"memctl policy show");
	doc = keys_after(sec, "with the keys ");
	CHECK_STR(doc, keys);
	free(doc);
	doc = keys_after(sub_usage(policy_cmds, "show"), "with the keys ");
	CHECK_STR(doc, keys);
	free(doc);
	free(sec);
	free(out);
	free(keys);
	free(man);

	/* policy set's keywords are the field table's, in its order */
	CHECK_INT(nr_policy_keywords, nr_policy_fields);
	for (i = 0; i < nr_policy_keywords && i < nr_policy_fields; i++) {
		CHECK_STR(policy_keywords[i].name, policy_fields[i].keyword);
		CHECK_U64(policy_keywords[i].flag, policy_fields[i].flag);
	}
}

TEST(fields_stats_table_columns)
{
	bool used[32] = { false };
	size_t i;
	int c, cols = 0;

	/* stats.c's arrays hold 32 columns; CGROUP and ID are 0 and 1; the
	 * columns are dense, and those that add statistics up add like units */
	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *f = &stats_fields[i];
		size_t k;

		if (!f->col)
			continue;
		CHECK(f->col >= 2 && f->col < 32 && f->column != NULL);
		if (f->col < 2 || f->col >= 32)
			continue;
		used[f->col] = true;
		if (f->col >= cols)
			cols = f->col + 1;
		for (k = 0; k < i; k++)
			if (stats_fields[k].col == f->col) {
				CHECK(stats_fields[k].unit == f->unit);
				CHECK_STR(stats_fields[k].column, f->column);
			}
	}
	for (c = 2; c < cols; c++)
		CHECK(used[c]);
	/* the columns of statistics only some rows have (HAS) come last:
	 * stats.c leaves them out by ending the table before them */
	for (i = 0; i < nr_stats_fields; i++) {
		size_t k;

		for (k = 0; k < nr_stats_fields; k++)
			if (stats_fields[i].col && stats_fields[k].col &&
			    stats_fields[i].has && !stats_fields[k].has)
				CHECK(stats_fields[i].col > stats_fields[k].col);
	}
}

TEST(fields_tier_json_keys_documented)
{
	char *man = slurp(MEMCTL_8), *sec, *doc, *out, *keys;
	struct memctl_tier t;

	if (!man) {
		CHECK(man != NULL);
		return;
	}
	full_tier(&t);
	out = capture_json(tier_object, &t);
	keys = json_outline(out);
	sec = man_section(man, ".SS \"memctl tier show\"");
	doc = keys_after(sec, "with the keys ");
	CHECK_STR(doc, keys);
	free(doc);
	doc = keys_after(sub_usage(tier_cmds, "show"), "with the keys ");
	CHECK_STR(doc, keys);
	free(doc);
	free(sec);
	free(out);
	free(keys);
	free(man);
}

/* "name type\n" per family: of the output's TYPE lines, or of memctl(8). */
static char *prom_families_written(void)
{
	static const struct memctl_info info = { .nr_policies = 1 };
	struct memctl_cgroup_stats s;
	struct memctl_tier t;
	char *buf = NULL, *list = NULL, *l, *save;
	size_t len = 0, llen = 0;
	FILE *f = open_memstream(&buf, &len), *out;

	full_stats(&s);
	full_tier(&t);
	prom_write_stats(f, &s, 1, &info, &t);
	fclose(f);
	out = open_memstream(&list, &llen);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (!strncmp(l, "# TYPE ", 7))
			fprintf(out, "%s\n", l + 7);
	fclose(out);
	free(buf);
	return list;
}

static char *prom_families_documented(const char *man)
{
	const char *p = strstr(man, "\n.SH PROMETHEUS METRICS\n"), *l;
	char *list = NULL;
	size_t llen = 0;
	FILE *out = open_memstream(&list, &llen);

	for (l = p ? strchr(p + 1, '\n') + 1 : ""; *l; l = strchr(l, '\n') + 1) {
		char name[128], type[32];

		if (!strncmp(l, ".SH", 3))
			break;
		if (sscanf(l, ".BR %127s \" %31[a-z]\"", name, type) == 2 &&
		    !strncmp(name, "memctl_", 7))
			fprintf(out, "%s %s\n", name, type);
		if (!strchr(l, '\n'))
			break;
	}
	fclose(out);
	return list;
}

TEST(fields_prometheus_families_documented)
{
	char *man = slurp(MEMCTL_8), *written, *doc;

	if (!man) {
		CHECK(man != NULL);
		return;
	}
	written = prom_families_written();
	doc = prom_families_documented(man);
	CHECK(strstr(written, "memctl_reclaim_cpu_seconds_total counter\n") != NULL);
	CHECK_STR(doc, written);
	free(written);
	free(doc);
	free(man);
}

/* Is @name (@n bytes) a family memctl writes?  @families: "name type\n". */
static bool is_family(const char *families, const char *name, size_t n)
{
	char line[160];

	if (n + 2 > sizeof(line))
		return false;
	line[0] = '\n';
	memcpy(line + 1, name, n);
	line[n + 1] = ' ';
	line[n + 2] = '\0';
	return !strncmp(families, line + 1, n + 1) || strstr(families, line);
}

/*
 * Anything under Documentation/ that looks like one of memctl's metrics
 * (memctl_*_total, _bytes, _seconds, _pages) must be one.
 */
static void scan_doc(const char *path, const char *families, int *bad)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		char *text = slurp(path), *p;

		for (p = text; p && (p = strstr(p, "memctl_")); ) {
			size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
			static const char *const sfx[] = { "_total", "_bytes",
							   "_seconds", "_pages" };
			size_t i;

			for (i = 0; i < 4; i++) {
				size_t k = strlen(sfx[i]);

				if (n > k && !strncmp(p + n - k, sfx[i], k) &&
				    (p == text || (p[-1] != '_' &&
						   (p[-1] < 'a' || p[-1] > 'z'))) &&
				    !is_family(families, p, n)) {
					printf("#   %s: %.*s is not a metric\n",
					       path, (int)n, p);
					(*bad)++;
				}
			}
			p += n;
		}
		free(text);
		return;
	}
	while ((e = readdir(d))) {
		char sub[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		scan_doc(sub, families, bad);
	}
	closedir(d);
}

TEST(fields_documentation_names_no_other_metric)
{
	char *families = prom_families_written();
	struct stat st;
	int bad = 0;

	CHECK(stat(TOP "Documentation", &st) == 0);
	scan_doc(TOP "Documentation", families, &bad);
	CHECK_INT(bad, 0);
	/* the scan finds what it looks for */
	CHECK(is_family(families, "memctl_usage_bytes", 18));
	CHECK(!is_family(families, "memctl_usage_byte", 17));
	free(families);
}

/* The identifiers (lowercase, digits, '_') of @text between @from and @to. */
static bool words_between(const char *text, const char *from, const char *to,
			  char *out, size_t len)
{
	const char *a = strstr(text, from), *b;

	out[0] = '\0';
	if (!a)
		return false;
	a += strlen(from);
	b = strstr(a, to);
	if (!b)
		return false;
	while (a < b) {
		size_t n = strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789_");

		if (n && n < 64 && strncmp(a, "and", n) && strncmp(a, "the", n) &&
		    strlen(out) + n + 2 < len) {
			strncat(out, a, n);
			strcat(out, " ");
		}
		a += n ? n : 1;
	}
	return true;
}

static void table_names(int sum, bool marks, char *out, size_t len)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *f = &stats_fields[i];
		bool mark = !strcmp(f->name, "high") || !strcmp(f->name, "target");

		if (sum >= 0 && (f->sum != sum || mark != marks))
			continue;
		if (strlen(out) + strlen(f->name) + 2 < len) {
			strcat(out, f->name);
			strcat(out, " ");
		}
	}
}

static void sort_words(char *s)
{
	char *w[64], *save, *p, out[1024] = "";
	int n = 0, i, j;

	for (p = strtok_r(s, " ", &save); p && n < 64; p = strtok_r(NULL, " ", &save))
		w[n++] = p;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
			p = w[j];
			w[j] = w[j - 1];
			w[j - 1] = p;
		}
	for (i = 0; i < n; i++) {
		strcat(out, w[i]);
		strcat(out, " ");
	}
	strcpy(s, out);
}

#define CHECK_WORDS(got, want) do {					\
	char _gs[1024], _ws[1024];					\
	snprintf(_gs, sizeof(_gs), "%s", (got));			\
	snprintf(_ws, sizeof(_ws), "%s", (want));			\
	sort_words(_gs);						\
	sort_words(_ws);						\
	CHECK_STR(_gs, _ws);						\
} while (0)

TEST(fields_library_documents_each_statistic_and_its_sum)
{
	char *man = slurp(LIBMEMCTL_3), *hdr = slurp(MEMCTL_H), *text;
	char got[1024], want[1024], *p;
	size_t i;

	if (!man || !hdr) {
		CHECK(man && hdr);
		free(man);
		free(hdr);
		return;
	}
	/* libmemctl(3): the members of struct memctl_stats */
	text = man_section(man, ".SS Statistics");
	CHECK(words_between(text, "holds,", "Fields the kernel", got,
			    sizeof(got)));
	for (i = 0; i < nr_stats_fields; i++) {
		char w[72];

		snprintf(w, sizeof(w), " %s ", stats_fields[i].name);
		CHECK(strstr(got, w + 1) == got || strstr(got, w));
	}
	for (p = strtok(got, " "); p; p = strtok(NULL, " ")) {
		bool known = !strchr(p, '_');

		for (i = 0; i < nr_stats_fields && !known; i++)
			known = !strcmp(p, stats_fields[i].name);
		CHECK(known);
	}
	free(text);

	/* memctl.h: what memctl_stats_sum() adds up, and how; the comment
	 * as one line */
	text = strstr(hdr, "memctl_stats_sum() - ");
	CHECK(text != NULL);
	if (text) {
		char *o = text, *q;

		for (q = text; *q && strncmp(q, "*/", 2); q++) {
			if (!strncmp(q, "\n *", 3)) {	/* a line's start */
				q += q[3] == ' ' ? 3 : 2;
				*o++ = ' ';
				continue;
			}
			*o++ = *q;
		}
		*o = '\0';
		words_between(text, "whole subtree:", "of a cgroup include",
			      got, sizeof(got));
		table_names(MEMCTL__SUM_SUBTREE, false, want, sizeof(want));
		CHECK_WORDS(got, want);
		words_between(text, "the marks", "are summed only", got,
			      sizeof(got));
		table_names(MEMCTL__SUM_SUBTREE, true, want, sizeof(want));
		CHECK_WORDS(got, want);
		words_between(text, "summed over every row:", ". ", got,
			      sizeof(got));
		table_names(MEMCTL__SUM_POLICY, false, want, sizeof(want));
		CHECK_WORDS(got, want);
		words_between(text, "The last episode's", "are 0.", got,
			      sizeof(got));
		table_names(MEMCTL__SUM_LAST, false, want, sizeof(want));
		CHECK_WORDS(got, want);
	}
	free(man);
	free(hdr);
}

/* Each statistic's quoted JSON key is its key, quoted, with the colon. */
TEST(fields_stats_quoted_json_keys)
{
	char want[64];
	size_t i;
	int bad = 0;

	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *f = &stats_fields[i];

		snprintf(want, sizeof(want), "\"%s\":", f->key);
		if (strcmp(f->json_key, want) ||
		    f->json_key_len != strlen(want)) {
			fprintf(stderr, "# %s: %s (%u)\n", f->name, f->json_key,
				f->json_key_len);
			bad++;
		}
	}
	CHECK_INT(bad, 0);
}
