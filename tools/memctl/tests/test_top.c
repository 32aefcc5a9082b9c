// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl-top's output (tools/bpf/memctl-top-print.c), natively: `memctl -j
 * top` must print valid JSON whatever bytes a cgroup's name holds (cgroupfs
 * takes any byte but '/' and NUL; invalid UTF-8 becomes U+FFFD), with the
 * keys top_test.sh checks in the VM, and the table prints sizes and times
 * as the CLI does.  The JSON is checked by fmtcheck, the strict checker of
 * the VM suite (selftests/memctl/fmtcheck.c, built into tests/), whose
 * UTF-8 check is its own and not the CLI's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memctl-top-print.h"
#include "unit.h"

#define FMTCHECK "tests/fmtcheck"

static char *top_json(const struct top_row *rows, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	top_print_json(f, rows, n, 1700000000.25, 1.0);
	fclose(f);
	return buf;
}

/* fmtcheck's exit status for @text on its stdin, with @args. */
static int fmtcheck(const char *args, const char *text)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), FMTCHECK " %s >/dev/null 2>&1", args);
	p = popen(cmd, "w");
	if (!p)
		return -1;
	fputs(text, p);
	return pclose(p);
}

static const char *const weird_paths[] = {
	"/a\xff\xfe/b",			/* not UTF-8 at all */
	"/\xc0\xaf",			/* an overlong '/' */
	"/\xed\xa0\x80",		/* a surrogate */
	"/x\xe2\x82",			/* a sequence cut short */
	"/q\"u\\o\tte\x01\x7f",		/* what JSON escapes */
	"/caf\xc3\xa9/\xf0\x9f\x90\xa7",	/* valid UTF-8 stays as it is */
	NULL,				/* a cgroup without a name */
};

static void weird_rows(struct top_row *rows, size_t n)
{
	size_t i;

	memset(rows, 0, n * sizeof(*rows));
	for (i = 0; i < n; i++) {
		rows[i].id = 100 + i;
		rows[i].path = weird_paths[i];
		rows[i].d.memcg.count = 1;
		rows[i].d.memcg.total_ns = 1500;
		rows[i].d.memcg.slots[10] = 1;
		rows[i].d.memctl.pages = 3;
	}
}

TEST(top_fmtcheck_refuses_invalid_utf8)
{
	/* the oracle below can fail */
	CHECK(fmtcheck("json -l", "{\"a\":\"\xff\"}\n") != 0);
	CHECK(fmtcheck("json -l", "{\"a\":\"\\ufffd\"}\n") == 0);
}

TEST(top_json_valid_for_any_cgroup_name)
{
	enum { N = sizeof(weird_paths) / sizeof(weird_paths[0]) };
	struct top_row rows[N];
	char *out;
	size_t i;

	weird_rows(rows, N);
	for (i = 0; i < N; i++) {
		out = top_json(&rows[i], 1);
		unit_check(fmtcheck("json -l '.cgroups[+].cgroup:string|null'", out) == 0,
			   __FILE__, __LINE__, "invalid JSON for path %zu: %s",
			   i, out);
		free(out);
	}
	out = top_json(rows, N);
	CHECK(fmtcheck("json -l .time:number .interval_s:number "
		       ".cgroups[+].id:integer", out) == 0);
	CHECK(strstr(out, "{\"cgroup\":\"/a\\ufffd\\ufffd/b\",\"id\":100,") != NULL);
	CHECK(strstr(out, "\"/q\\\"u\\\\o\\u0009te\\u0001\\u007f\"") != NULL);
	CHECK(strstr(out, "\"/caf\xc3\xa9/\xf0\x9f\x90\xa7\"") != NULL);
	CHECK(strstr(out, "{\"cgroup\":null,\"id\":106,") != NULL);
	free(out);
}

TEST(top_json_keys)
{
	struct top_row row;
	char *out;

	weird_rows(&row, 1);
	row.path = "/w";
	out = top_json(&row, 1);
	CHECK_STR(out,
		  "{\"time\":1700000000.250,\"interval_s\":1.000,\"cgroups\":["
		  "{\"cgroup\":\"/w\",\"id\":100,"
		  "\"direct_reclaim\":{\"count\":0,\"total_ns\":0,\"p50_ns\":0,\"p99_ns\":0},"
		  "\"memcg_reclaim\":{\"count\":1,\"total_ns\":1500,\"p50_ns\":1500,\"p99_ns\":1500,\"pages\":0},"
		  "\"proactive_reclaim\":{\"count\":0,\"total_ns\":0,\"pages\":0},"
		  "\"memctl_reclaim\":{\"count\":0,\"total_ns\":0,\"pages\":3,\"slab_objects\":0},"
		  "\"slab_shrink\":{\"count\":0,\"total_ns\":0,\"objects\":0}}]}\n");
	free(out);
	out = top_json(NULL, 0);
	CHECK_STR(out, "{\"time\":1700000000.250,\"interval_s\":1.000,\"cgroups\":[]}\n");
	free(out);
}

TEST(top_table_sizes_and_times_as_the_cli)
{
	struct top_view v = { .clock = "12:00:00", .interval_s = 1,
			      .memcg_traced = true, .slab_mode = MT_SLAB_FENTRY,
			      .page_size = 4096, .max_rows = -1 };
	struct top_row row;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	weird_rows(&row, 1);
	row.path = "/t\x1b[2J";		/* no escape reaches the terminal */
	row.d.memcg.pages = 384;	/* 1.5M */
	row.d.memctl.total_ns = 2500000;
	top_print_table(f, &row, 1, &v);
	fclose(f);
	CHECK(strstr(buf, "/t?[2J") != NULL);
	CHECK(strstr(buf, "\x1b") == NULL);
	CHECK(strstr(buf, "   1.5us ") != NULL);	/* fmt_ns() */
	CHECK(strstr(buf, "    1.5M") != NULL);	/* fmt_size() */
	CHECK(strstr(buf, "   2.5ms ") != NULL);
	CHECK(strstr(buf, "   12K") != NULL);	/* 3 pages, exactly */
	CHECK(strstr(buf, "     0ns ") != NULL);
	free(buf);
}
