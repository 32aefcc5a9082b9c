// SPDX-License-Identifier: GPL-2.0-only
/*
 * What `memctl stats` hands to machines and people besides the per-cgroup
 * JSON: the Prometheus exposition (node-exporter rejects a whole file for
 * one bad line, so every rule of the format is checked here), the totals,
 * the time stamps of `memctl monitor`, and the `memctl top` dispatch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cli.h"
#include "prom.h"
#include "unit.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static char *cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

TEST(prom_names)
{
	CHECK(prom_valid_metric_name("memctl_usage_bytes"));
	CHECK(prom_valid_metric_name("a:b_c9"));
	CHECK(prom_valid_metric_name(":x"));
	CHECK(prom_valid_metric_name("_x"));
	CHECK(!prom_valid_metric_name(""));
	CHECK(!prom_valid_metric_name("9x"));
	CHECK(!prom_valid_metric_name("a-b"));
	CHECK(!prom_valid_metric_name("a b"));
	CHECK(!prom_valid_metric_name("a.b"));
	CHECK(!prom_valid_metric_name(NULL));

	CHECK(prom_valid_label_name("cgroup"));
	CHECK(prom_valid_label_name("_x9"));
	CHECK(!prom_valid_label_name("__reserved"));
	CHECK(!prom_valid_label_name("a:b"));
	CHECK(!prom_valid_label_name("9a"));
	CHECK(!prom_valid_label_name(""));
}

TEST(prom_escaping)
{
	struct cap c;

	cap_open(&c);
	prom_write_label_value(c.f, "a\\b\"c\nd");
	fputc('|', c.f);
	prom_write_help(c.f, "a\\b\"c\nd");
	fputc('|', c.f);
	/* UTF-8 passes, a lone continuation byte and an overlong '/' do not */
	prom_write_label_value(c.f, "caf\xc3\xa9 \x80 \xc0\xaf");
	CHECK_STR(cap_close(&c),
		  "a\\\\b\\\"c\\nd|a\\\\b\"c\\nd|caf\xc3\xa9 \xef\xbf\xbd "
		  "\xef\xbf\xbd\xef\xbf\xbd");
	free(c.buf);
}

/*
 * What the format leaves alone and what is not UTF-8, byte by byte, in
 * label values and HELP text alike (the JSON writer's cases, escaped the
 * Prometheus way).
 */
TEST(prom_escaping_utf8)
{
#define FFFD "\xef\xbf\xbd"
	static const struct { const char *in, *label, *help; } cases[] = {
		{ "", "", "" },
		/* other control bytes and DEL are not escaped */
		{ "\t\r\x01\x1f\x7f", "\t\r\x01\x1f\x7f", "\t\r\x01\x1f\x7f" },
		{ "q\"", "q\\\"", "q\"" },
		{ "\\\n", "\\\\\\n", "\\\\\\n" },
		/* the longest of each length, and U+FFFD itself */
		{ "\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf",
		  "\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf" },
		{ "\xf0\x9f\x98\x80" FFFD, "\xf0\x9f\x98\x80" FFFD,
		  "\xf0\x9f\x98\x80" FFFD },
		/* not UTF-8: each byte replaced */
		{ "a\xffz", "a" FFFD "z", "a" FFFD "z" },
		{ "\xe0\x80\xaf", FFFD FFFD FFFD, FFFD FFFD FFFD },	/* overlong */
		{ "\xf0\x8f\xbf\xbf", FFFD FFFD FFFD FFFD,
		  FFFD FFFD FFFD FFFD },				/* overlong */
		{ "\xed\xa0\x80", FFFD FFFD FFFD, FFFD FFFD FFFD },	/* surrogate */
		{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD,
		  FFFD FFFD FFFD FFFD },				/* > U+10FFFF */
		{ "\xf5\x80", FFFD FFFD, FFFD FFFD },
		{ "\xe2\x82\"", FFFD FFFD "\\\"", FFFD FFFD "\"" },	/* truncated */
		{ "\xc3\n", FFFD "\\n", FFFD "\\n" },
	};
#undef FFFD
	size_t i;
	int help;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (help = 0; help < 2; help++) {
			const char *want = help ? cases[i].help : cases[i].label;
			struct cap c;
			char *got;

			cap_open(&c);
			if (help)
				prom_write_help(c.f, cases[i].in);
			else
				prom_write_label_value(c.f, cases[i].in);
			got = cap_close(&c);
			unit_check(!strcmp(got, want), __FILE__, __LINE__,
				   "%s case %zu: got \"%s\", want \"%s\"",
				   help ? "help" : "label", i, got, want);
			free(got);
		}
}

TEST(prom_writer_rules)
{
	struct prom_label ok = { "cgroup", "/x" }, bad = { "__x", "1" };
	struct prom p;
	struct cap c;

	cap_open(&c);
	prom_init(&p, c.f);
	CHECK_INT(prom_sample_u64(&p, NULL, 0, 1), -EINVAL);	/* no family */
	CHECK_INT(prom_finish(&p), -EINVAL);

	prom_init(&p, c.f);
	CHECK_INT(prom_family(&p, "x_total", "gauge", "h"), -EINVAL);
	prom_init(&p, c.f);
	CHECK_INT(prom_family(&p, "x_bytes", "counter", "h"), -EINVAL);
	prom_init(&p, c.f);
	CHECK_INT(prom_family(&p, "x", "histogram", "h"), -EINVAL);
	prom_init(&p, c.f);
	CHECK_INT(prom_family(&p, "bad-name", "gauge", "h"), -EINVAL);
	CHECK_INT(prom_finish(&p), -EINVAL);
	CHECK_STR(cap_close(&c), "");	/* nothing written for refusals */
	free(c.buf);

	cap_open(&c);
	prom_init(&p, c.f);
	CHECK_INT(prom_family(&p, "a_total", "counter", "Help \\ me."), 0);
	CHECK_INT(prom_sample_u64(&p, &ok, 1, 18446744073709551615ULL), 0);
	CHECK_INT(prom_sample_seconds(&p, NULL, 0, 1500000001), 0);
	CHECK_INT(prom_sample_u64(&p, &bad, 1, 1), -EINVAL);
	CHECK_INT(prom_family(&p, "b", "gauge", "B."), 0);
	CHECK_INT(prom_sample_seconds(&p, NULL, 0, 999), 0);
	CHECK_INT(prom_family(&p, "a_total", "counter", "again"), -EEXIST);
	CHECK_INT(prom_finish(&p), -EINVAL);	/* the first error sticks */
	CHECK_STR(cap_close(&c),
		  "# HELP a_total Help \\\\ me.\n"
		  "# TYPE a_total counter\n"
		  "a_total{cgroup=\"/x\"} 18446744073709551615\n"
		  "a_total 1.500000001\n"
		  "# HELP b B.\n"
		  "# TYPE b gauge\n"
		  "b 0.000000999\n");
	free(c.buf);
}

static void two_rows(struct memctl_cgroup_stats *rows)
{
	memset(rows, 0, 2 * sizeof(*rows));
	rows[0].cgroup.path = "/web";
	rows[0].cgroup.id = 77;
	rows[0].usage = 3 * GiB / 2;
	rows[0].reclaimed_slab = 11;
	rows[0].reclaimed_file = 12;
	rows[0].reclaimed_anon = 13;
	rows[0].reclaim_time_ns = 2500000000ULL;
	rows[0].reclaim_cpu_ns = 500000000ULL;
	rows[0].episodes = 3;
	rows[1].cgroup.path = "/we\"ird\\na\nme";
	rows[1].cgroup.id = 78;
	rows[1].usage = 5;
	rows[1].tier_stored_pages = 6;
}

static void an_info(struct memctl_info *info)
{
	memset(info, 0, sizeof(*info));
	strcpy(info->version, "0.1.0");
	strcpy(info->kernel, "6.1.0-13-amd64");
	info->nr_policies = 2;
	info->max_policies = 4096;
}

static void a_tier(struct memctl_tier *t)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->device, "memctl0");
	strcpy(t->algo, "lz4");
	t->size = GiB;
	t->in_use = true;
	t->stored_pages = 1000;
	t->compressed_bytes = MiB;
	t->pool_bytes = 2 * MiB;
	t->stores = 5;
}

/*
 * The format's rules over a whole exposition: each family's HELP then TYPE
 * once, before its samples, all of which are adjacent; counters *_total.
 * Returns the number of samples, or -1 with the offending line in @why.
 */
static int check_exposition(const char *text, char *why, size_t len)
{
	char *copy = strdup(text), *save = NULL, *l;
	char families[128][64], cur[64] = "", help[64] = "";
	int nfam = 0, samples = 0, i;

	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[64], type[16];

		if (sscanf(l, "# HELP %63s", name) == 1) {
			for (i = 0; i < nfam; i++)
				if (!strcmp(families[i], name))
					goto bad;
			snprintf(help, sizeof(help), "%s", name);
			cur[0] = '\0';
			continue;
		}
		if (sscanf(l, "# TYPE %63s %15s", name, type) == 2) {
			if (strcmp(name, help) || nfam == 128)
				goto bad;
			if (!strcmp(type, "counter") !=
			    (strlen(name) > 6 &&
			     !strcmp(name + strlen(name) - 6, "_total")))
				goto bad;
			snprintf(families[nfam++], sizeof(families[0]), "%s", name);
			snprintf(cur, sizeof(cur), "%s", name);
			continue;
		}
		/* a sample of the current family: NAME{...} VALUE or NAME VALUE */
		if (l[0] == '#' || !cur[0] || strncmp(l, cur, strlen(cur)) ||
		    (l[strlen(cur)] != '{' && l[strlen(cur)] != ' '))
			goto bad;
		samples++;
	}
	free(copy);
	return samples;
bad:
	snprintf(why, len, "%s", l);
	free(copy);
	return -1;
}

#define CHECK_EXPOSITION(text, want) do {				\
	char _why[256] = "";						\
	int _n = check_exposition((text), _why, sizeof(_why));		\
	unit_check(_n == (want), __FILE__, __LINE__,			\
		   "exposition: %d samples, want %d; bad line \"%s\"",	\
		   _n, (want), _why);					\
} while (0)

TEST(prom_exposition_check_can_fail)
{
	/* the structural check the next test relies on refuses each fault */
	CHECK_EXPOSITION("# HELP a A\n# TYPE a gauge\na 1\na{x=\"1\"} 2\n", 2);
	CHECK_EXPOSITION("a 1\n", -1);					/* no family */
	CHECK_EXPOSITION("# TYPE a gauge\na 1\n", -1);			/* no HELP */
	CHECK_EXPOSITION("# HELP a A\n# TYPE a counter\na 1\n", -1);	/* _total */
	CHECK_EXPOSITION("# HELP a_total A\n# TYPE a_total gauge\n", -1);
	CHECK_EXPOSITION("# HELP a A\n# TYPE a gauge\na 1\n"
			 "# HELP b B\n# TYPE b gauge\na 2\n", -1);	/* split */
	CHECK_EXPOSITION("# HELP a A\n# TYPE a gauge\na 1\n"
			 "# HELP a A\n# TYPE a gauge\n", -1);		/* twice */
	CHECK_EXPOSITION("# HELP a A\n# TYPE a gauge\nab 1\n", -1);
}

TEST(prom_stats_output)
{
	struct memctl_cgroup_stats rows[2];
	struct memctl_info info;
	struct memctl_tier tier;
	struct cap c;
	char *out;

	two_rows(rows);
	an_info(&info);
	a_tier(&tier);
	cap_open(&c);
	CHECK_INT(prom_write_stats(c.f, rows, 2, &info, &tier), 0);
	out = cap_close(&c);

	/* 29 per-cgroup entries (reclaimed has 3) x 2 rows + 4 module + 13 tier */
	CHECK_EXPOSITION(out, 29 * 2 + 4 + 13);
	CHECK(strstr(out,
		     "# HELP memctl_usage_bytes Memory the cgroup uses now "
		     "(memory.current). Includes the cgroup's descendants.\n"
		     "# TYPE memctl_usage_bytes gauge\n"
		     "memctl_usage_bytes{cgroup=\"/web\",id=\"77\"} 1610612736\n"
		     "memctl_usage_bytes{cgroup=\"/we\\\"ird\\\\na\\nme\",id=\"78\"} 5\n"
		     "# HELP memctl_slab_reclaimable_bytes ") != NULL);
	CHECK(strstr(out,
		     "# TYPE memctl_reclaimed_bytes_total counter\n"
		     "memctl_reclaimed_bytes_total{cgroup=\"/web\",id=\"77\",class=\"slab\"} 11\n"
		     "memctl_reclaimed_bytes_total{cgroup=\"/we\\\"ird\\\\na\\nme\",id=\"78\",class=\"slab\"} 0\n"
		     "memctl_reclaimed_bytes_total{cgroup=\"/web\",id=\"77\",class=\"file\"} 12\n"
		     "memctl_reclaimed_bytes_total{cgroup=\"/we\\\"ird\\\\na\\nme\",id=\"78\",class=\"file\"} 0\n"
		     "memctl_reclaimed_bytes_total{cgroup=\"/web\",id=\"77\",class=\"anon\"} 13\n") != NULL);
	CHECK(strstr(out, "memctl_reclaim_seconds_total{cgroup=\"/web\",id=\"77\"} 2.500000000\n") != NULL);
	CHECK(strstr(out, "memctl_reclaim_episodes_total{cgroup=\"/web\",id=\"77\"} 3\n") != NULL);
	CHECK(strstr(out, "memctl_cgroup_tier_stored_pages{cgroup=\"/we\\\"ird\\\\na\\nme\",id=\"78\"} 6\n") != NULL);
	CHECK(strstr(out, "\nmemctl_info{version=\"0.1.0\",kernel=\"6.1.0-13-amd64\"} 1\n") != NULL);
	CHECK(strstr(out, "\nmemctl_policies 2\n") != NULL);
	CHECK(strstr(out, "\nmemctl_policies_max 4096\n") != NULL);
	CHECK(strstr(out, "\nmemctl_tier_present 1\n") != NULL);
	CHECK(strstr(out, "\nmemctl_tier_info{device=\"memctl0\",algo=\"lz4\"} 1\n") != NULL);
	CHECK(strstr(out, "\nmemctl_tier_stored_pages 1000\n") != NULL);
	CHECK(strstr(out, "\nmemctl_tier_compressed_bytes 1048576\n") != NULL);
	CHECK(strstr(out, "\nmemctl_tier_pool_bytes 2097152\n") != NULL);
	CHECK(strstr(out, "\nmemctl_tier_stores_total 5\n") != NULL);
	free(out);

	/* no tier, no policies: the module's families only */
	cap_open(&c);
	CHECK_INT(prom_write_stats(c.f, rows, 0, &info, NULL), 0);
	out = cap_close(&c);
	CHECK_EXPOSITION(out, 4);
	CHECK(strstr(out, "# TYPE memctl_usage_bytes gauge\n# HELP ") != NULL);
	CHECK(strstr(out, "\nmemctl_tier_present 0\n") != NULL);
	CHECK(strstr(out, "memctl_tier_pool_bytes") == NULL);
	free(out);
}

TEST(stats_totals_output)
{
	struct memctl_cgroup_stats rows[2], total;
	struct memctl_info info;
	struct memctl_tier tier;
	struct json j;
	struct cap c;
	char *out;
	int top;

	two_rows(rows);
	an_info(&info);
	a_tier(&tier);
	top = memctl_cgroup_stats_sum(rows, 2, &total);
	CHECK_INT(top, 2);

	cap_open(&c);
	json_init(&j, c.f);
	json_stats_totals(&j, 2, top, &total, &info, &tier);
	json_init(&j, c.f);
	json_stats_totals(&j, 2, top, &total, &info, NULL);
	out = cap_close(&c);
	CHECK_STR(out,
		  "{\"cgroups\":2,\"top_level_cgroups\":2,\"total\":{"
		  "\"usage\":1610612741,\"slab_reclaimable\":0,"
		  "\"slab_unreclaimable\":0,\"file\":0,\"anon\":0,\"swap\":0,"
		  "\"high\":0,\"target\":0,\"episodes\":3,\"steps\":0,"
		  "\"reclaimed\":{\"slab\":11,\"file\":12,\"anon\":13},"
		  "\"reclaim_time_ns\":2500000000,\"reclaim_cpu_ns\":500000000,"
		  "\"shortfalls\":0,"
		  "\"pressure_stops\":0,\"limit_stops\":0,"
		  "\"tier\":{\"stored_pages\":6,"
		  "\"compressed_bytes\":0,\"same_filled_pages\":0,\"stores\":0,"
		  "\"loads\":0,\"cap_stops\":0,\"overage\":0,\"cap_refusals\":0,\"backing_pages\":0},"
		  "\"auto\":null},"
		  "\"tier\":{\"device\":\"memctl0\",\"path\":\"/dev/memctl0\","
		  "\"size\":1073741824,\"algo\":\"lz4\",\"in_use\":true,"
		  "\"stored_pages\":1000,\"compressed_bytes\":1048576,"
		  "\"pool_bytes\":2097152,\"same_filled_pages\":0,"
		  "\"huge_pages\":0,\"stores\":5,\"loads\":0,"
		  "\"failed_stores\":0,\"failed_loads\":0,\"discards\":0},"
		  "\"module\":{\"version\":\"0.1.0\",\"kernel\":\"6.1.0-13-amd64\","
		  "\"policies\":2,\"max_policies\":4096}}\n"
		  "{\"cgroups\":2,\"top_level_cgroups\":2,\"total\":{"
		  "\"usage\":1610612741,\"slab_reclaimable\":0,"
		  "\"slab_unreclaimable\":0,\"file\":0,\"anon\":0,\"swap\":0,"
		  "\"high\":0,\"target\":0,\"episodes\":3,\"steps\":0,"
		  "\"reclaimed\":{\"slab\":11,\"file\":12,\"anon\":13},"
		  "\"reclaim_time_ns\":2500000000,\"reclaim_cpu_ns\":500000000,"
		  "\"shortfalls\":0,"
		  "\"pressure_stops\":0,\"limit_stops\":0,"
		  "\"tier\":{\"stored_pages\":6,"
		  "\"compressed_bytes\":0,\"same_filled_pages\":0,\"stores\":0,"
		  "\"loads\":0,\"cap_stops\":0,\"overage\":0,\"cap_refusals\":0,\"backing_pages\":0},"
		  "\"auto\":null},"
		  "\"tier\":null,"
		  "\"module\":{\"version\":\"0.1.0\",\"kernel\":\"6.1.0-13-amd64\","
		  "\"policies\":2,\"max_policies\":4096}}\n");
	free(out);

	/* 1000 pages of 4K = 3.9M stored in a 2M pool: ratio 1.95 */
	cap_open(&c);
	stats_print_global(c.f, &info, &tier, 4096);
	stats_print_global(c.f, &info, NULL, 4096);
	tier.pool_bytes = 0;
	stats_print_global(c.f, &info, &tier, 4096);
	out = cap_close(&c);
	CHECK_STR(out,
		  "tier    /dev/memctl0 lz4 1G in use: 1000 pages stored (3.9M), "
		  "compressed 1M, pool 2M, ratio 1.95\n"
		  "module  memctl 0.1.0, 2 of 4096 policies\n"
		  "tier    none\n"
		  "module  memctl 0.1.0, 2 of 4096 policies\n"
		  "tier    /dev/memctl0 lz4 1G in use: 1000 pages stored (3.9M), "
		  "compressed 1M, pool 0, ratio -\n"
		  "module  memctl 0.1.0, 2 of 4096 policies\n");
	free(out);

	/* the per-cgroup JSON keeps its exact shape (a contract) */
	cap_open(&c);
	json_init(&j, c.f);
	json_stats_object(&j, &rows[0]);
	out = cap_close(&c);
	CHECK(!strncmp(out, "{\"cgroup\":\"/web\",\"id\":77,\"usage\":1610612736,"
		       "\"slab_reclaimable\":0,", 64));
	CHECK(strstr(out, "\"last_stop\":\"none\",\"last_freed\":0,"
		     "\"last_duration_ns\":0,\"tier\":{") != NULL);
	free(out);

	/* the table: rows, TOTAL, tier and module; --totals: no rows.  A
	 * control character in a cgroup's name must not break the line. */
	a_tier(&tier);
	cap_open(&c);
	stats_print_table(c.f, rows, 2, &total, &info, &tier, 4096, false);
	stats_print_table(c.f, rows, 2, &total, &info, NULL, 4096, true);
	out = cap_close(&c);
	CHECK_STR(out,
		  "CGROUP         ID  USAGE  HIGH  TARGET  SLAB  FILE  ANON  SWAP  EPISODES  R-SLAB  R-FILE  R-ANON  TIER  LAST-STOP\n"
		  "/web           77   1.5G     0       0     0     0     0     0         3      11      12      13     0  none\n"
		  "/we\"ird\\na?me  78      5     0       0     0     0     0     0         0       0       0       0     0  none\n"
		  "TOTAL           -   1.5G     0       0     0     0     0     0         3      11      12      13     0  -\n"
		  "tier    /dev/memctl0 lz4 1G in use: 1000 pages stored (3.9M), "
		  "compressed 1M, pool 2M, ratio 1.95\n"
		  "module  memctl 0.1.0, 2 of 4096 policies\n"
		  "CGROUP  ID  USAGE  HIGH  TARGET  SLAB  FILE  ANON  SWAP  EPISODES  R-SLAB  R-FILE  R-ANON  TIER  LAST-STOP\n"
		  "TOTAL    -   1.5G     0       0     0     0     0     0         3      11      12      13     0  -\n"
		  "tier    none\n"
		  "module  memctl 0.1.0, 2 of 4096 policies\n");
	free(out);
}

static void with_tz(const char *tz, const struct timespec *ts, const char *want,
		    int line)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL, buf[64];

	setenv("TZ", tz, 1);
	tzset();
	fmt_time_iso(ts, buf, sizeof(buf));
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	unit_check(!strcmp(buf, want), __FILE__, line,
		   "TZ=%s: got \"%s\", want \"%s\"", tz, buf, want);
}

TEST(monitor_time_stamps)
{
	const struct timespec a = { 1714563296, 789999999 };
	const struct timespec b = { 0, 5000000 };
	struct memctl_event *ev = calloc(1, sizeof(*ev));
	struct timespec before, after;
	char when[64];
	struct cap c;
	char *out;

	with_tz("UTC0", &a, "2024-05-01T11:34:56.789+00:00", __LINE__);
	with_tz("EST5", &a, "2024-05-01T06:34:56.789-05:00", __LINE__);
	with_tz("NPT-5:45", &a, "2024-05-01T17:19:56.789+05:45", __LINE__);
	with_tz("UTC0", &b, "1970-01-01T00:00:00.005+00:00", __LINE__);

	/* monitor_print_event() stamps the time it printed */
	if (!ev)
		return;
	ev->type = MEMCTL_EVENT_POLICY;
	ev->action = MEMCTL_POLICY_EVENT_CREATED;
	strcpy(ev->cgroup.path, "/t");
	clock_gettime(CLOCK_REALTIME, &before);
	before.tv_nsec -= before.tv_nsec % 1000000;
	cap_open(&c);
	CHECK_INT(monitor_print_event(ev, c.f), 0);
	out = cap_close(&c);
	clock_gettime(CLOCK_REALTIME, &after);
	CHECK(strlen(out) > 30 && out[29] == ' ');
	CHECK(!strcmp(out + 29, " policy created /t\n"));
	fmt_time_iso(&before, when, sizeof(when));
	CHECK(strncmp(out, when, 29) >= 0);
	fmt_time_iso(&after, when, sizeof(when));
	CHECK(strncmp(out, when, 29) <= 0);
	free(out);
	free(ev);
}

/* ---- memctl top: runs memctl-top next to memctl, or from PATH ---- */

struct ran {
	int status;
	char out[4096], err[4096];
};

static void slurp(int fd, char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while (off + 1 < len && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += (size_t)n;
	buf[off] = '\0';
	close(fd);
}

/* Run @bin ARGS with PATH=@path. */
static void run_with_path(struct ran *r, const char *bin, const char *path,
			  const char *const *args)
{
	char out[] = "/tmp/memctl-test-out.XXXXXX";
	char err[] = "/tmp/memctl-test-err.XXXXXX";
	int fo = mkstemp(out), fe = mkstemp(err), st;
	pid_t pid;

	unlink(out);
	unlink(err);
	pid = fork();
	if (pid == 0) {
		const char *argv[16];
		int i;

		argv[0] = bin;
		for (i = 0; args[i] && i < 14; i++)
			argv[i + 1] = args[i];
		argv[i + 1] = NULL;
		dup2(fo, 1);
		dup2(fe, 2);
		setenv("PATH", path, 1);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	slurp(fo, r->out, sizeof(r->out));
	slurp(fe, r->err, sizeof(r->err));
}

static void write_script(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fputs(text, f);
	fclose(f);
	chmod(path, 0755);
}

TEST(cli_top_dispatch)
{
	char dir[] = "/tmp/memctl-top-test.XXXXXX", bin[256], fake[256];
	struct ran *r = malloc(sizeof(*r));
	int b;

	if (!r || !mkdtemp(dir)) {
		CHECK(0);
		free(r);
		return;
	}
	snprintf(fake, sizeof(fake), "%s/memctl-top", dir);
	for (b = 0; b < unit_argc; b++) {
		char cwd[200];
		const char *self = unit_argv[b];

		if (self[0] != '/' && getcwd(cwd, sizeof(cwd)))
			snprintf(bin, sizeof(bin), "%s/%s", cwd, self);
		else
			snprintf(bin, sizeof(bin), "%s", self);

		/* missing: one line, exit 2 */
		unlink(fake);
		run_with_path(r, bin, dir, (const char *const[]){ "top", NULL });
		CHECK_INT(r->status, 2);
		CHECK_STR(r->out, "");
		CHECK(!strncmp(r->err, "memctl: top: memctl-top is not installed",
			       40));
		CHECK(strchr(r->err, '\n') == r->err + strlen(r->err) - 1);

		/* from PATH, with the arguments, -j first and --help passed on */
		write_script(fake, "#!/bin/sh\necho \"top:$*\"\nexit 3\n");
		run_with_path(r, bin, dir, (const char *const[]){
			      "-j", "top", "--duration", "5", "--help", NULL });
		CHECK_INT(r->status, 3);
		CHECK_STR(r->out, "top:-j --duration 5 --help\n");
		CHECK_STR(r->err, "");

		/* there but not executable: one line, exit 2 */
		chmod(fake, 0644);
		run_with_path(r, bin, dir, (const char *const[]){ "top", NULL });
		CHECK_INT(r->status, 2);
		CHECK_STR(r->out, "");
		CHECK(!strncmp(r->err, "memctl: top: cannot run memctl-top: ", 36));
		CHECK(strchr(r->err, '\n') == r->err + strlen(r->err) - 1);

		/* 'memctl help top' is memctl's own text */
		run_with_path(r, bin, dir, (const char *const[]){
			      "help", "top", NULL });
		CHECK_INT(r->status, 0);
		CHECK(!strncmp(r->out, "Usage: memctl [-j] top [ARGUMENTS]\n", 35));
	}
	unlink(fake);
	rmdir(dir);
	free(r);
}

/*
 * The auto statistics where a row has them (a policy in mode auto): an
 * object in the JSON and null elsewhere, summed in the totals; two
 * columns of the table, shown once a row has them, "-" for the others;
 * text lines for that row only; Prometheus samples for that row only, and
 * no family at all without one.
 */
TEST(stats_auto_outputs)
{
	struct memctl_cgroup_stats rows[2], total;
	struct memctl_info info;
	struct json j;
	struct cap c;
	char *out;

	two_rows(rows);
	an_info(&info);
	rows[0].present = MEMCTL_STATS_HAS_AUTO;
	rows[0].auto_working_set = GiB;
	rows[0].auto_saved = 512 * MiB;
	rows[0].auto_pushbacks = 9;
	CHECK_INT(memctl_cgroup_stats_sum(rows, 2, &total), 2);

	cap_open(&c);
	json_init(&j, c.f);
	json_stats_object(&j, &rows[0]);
	json_stats_object(&j, &rows[1]);
	json_stats_totals(&j, 2, 2, &total, &info, NULL);
	out = cap_close(&c);
	CHECK(strstr(out, "\"overage\":0,\"cap_refusals\":0,\"backing_pages\":0},\"auto\":{\"working_set\":1073741824,"
		     "\"saved\":536870912,\"pushbacks\":9}}\n{\"cgroup\":\"/we") != NULL);
	CHECK(strstr(out, "\"overage\":0,\"cap_refusals\":0,\"backing_pages\":0},\"auto\":null}\n{\"cgroups\"") != NULL);
	CHECK(strstr(out, "\"overage\":0,\"cap_refusals\":0,\"backing_pages\":0},\"auto\":{\"working_set\":1073741824,"
		     "\"saved\":536870912,\"pushbacks\":9}},\"tier\":null") != NULL);
	free(out);

	cap_open(&c);
	stats_print(c.f, &rows[0]);
	stats_print(c.f, &rows[1]);
	out = cap_close(&c);
	CHECK(strstr(out, "auto working set      1G\n"
		     "auto saved            512M\n"
		     "auto pushbacks        9\ncgroup ") != NULL);
	CHECK(strstr(strstr(out, "auto saved"), "auto") ==
	      strstr(out, "auto saved"));	/* once: not for /we"ird */
	free(out);

	cap_open(&c);
	stats_print_table(c.f, rows, 2, &total, &info, NULL, 4096, false);
	out = cap_close(&c);
	CHECK_STR(out,
		  "CGROUP         ID  USAGE  HIGH  TARGET  SLAB  FILE  ANON  SWAP  EPISODES  R-SLAB  R-FILE  R-ANON  TIER  LAST-STOP  AUTO-WSET  AUTO-SAVED\n"
		  "/web           77   1.5G     0       0     0     0     0     0         3      11      12      13     0  none              1G        512M\n"
		  "/we\"ird\\na?me  78      5     0       0     0     0     0     0         0       0       0       0     0  none               -           -\n"
		  "TOTAL           -   1.5G     0       0     0     0     0     0         3      11      12      13     0  -                 1G        512M\n"
		  "tier    none\n"
		  "module  memctl 0.1.0, 2 of 4096 policies\n");
	free(out);

	cap_open(&c);
	CHECK_INT(prom_write_stats(c.f, rows, 2, &info, NULL), 0);
	out = cap_close(&c);
	CHECK_EXPOSITION(out, 29 * 2 + 3 + 4);
	CHECK(strstr(out, "# TYPE memctl_auto_working_set_bytes gauge\n"
		     "memctl_auto_working_set_bytes{cgroup=\"/web\",id=\"77\"} 1073741824\n"
		     "# HELP memctl_auto_saved_bytes ") != NULL);
	CHECK(strstr(out, "# TYPE memctl_auto_saved_bytes gauge\n"
		     "memctl_auto_saved_bytes{cgroup=\"/web\",id=\"77\"} 536870912\n"
		     "# HELP memctl_auto_pushbacks_total ") != NULL);
	CHECK(strstr(out, "# TYPE memctl_auto_pushbacks_total counter\n"
		     "memctl_auto_pushbacks_total{cgroup=\"/web\",id=\"77\"} 9\n"
		     "# HELP memctl_info ") != NULL);
	free(out);

	/* no auto row: none of it, byte for byte the output of before */
	rows[0].present = 0;
	cap_open(&c);
	CHECK_INT(prom_write_stats(c.f, rows, 2, &info, NULL), 0);
	out = cap_close(&c);
	CHECK_EXPOSITION(out, 29 * 2 + 4);
	CHECK(strstr(out, "memctl_auto_") == NULL);
	free(out);
}
