// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer: what scripts parse must be valid JSON whatever a cgroup
 * is called, and the structure (commas, nesting, one value per line) must
 * hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "unit.h"

static char *escaped(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	/* a string alone is a whole value: it ends with a newline */
	json_init(&j, f);
	json_str(&j, in);
	fclose(f);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

TEST(json_escape)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "/app.slice/web.service", "\"/app.slice/web.service\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "\"\\\"", "\"\\\"\\\\\\\"\"" },
		{ "tab\there", "\"tab\\u0009here\"" },
		{ "nl\n", "\"nl\\u000a\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "\r\b\f", "\"\\u000d\\u0008\\u000c\"" },
		{ " ~", "\" ~\"" },
		/* valid UTF-8 passes through */
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },
		{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
		{ "\xef\xbf\xbd", "\"\xef\xbf\xbd\"" },
		/* the first and last of each length */
		{ "\xc2\x80\xdf\xbf", "\"\xc2\x80\xdf\xbf\"" },
		{ "\xe0\xa0\x80\xef\xbf\xbf", "\"\xe0\xa0\x80\xef\xbf\xbf\"" },
		{ "\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\"" },
		{ "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
		  "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"" },
		{ "a\xc3\xa9\"\xe2\x82\xac\n", "\"a\xc3\xa9\\\"\xe2\x82\xac\\u000a\"" },
		/* invalid UTF-8 is replaced, byte by byte */
		{ "\x80", "\"\\ufffd\"" },
		{ "a\xffz", "\"a\\ufffdz\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },			/* overlong */
		{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },		/* overlong */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },		/* surrogate */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
		{ "\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* overlong */
		{ "\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"" },		/* surrogate */
		{ "\xc1\xbf", "\"\\ufffd\\ufffd\"" },			/* overlong */
		{ "\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "\xc3\xc3\xa9", "\"\\ufffd\xc3\xa9\"" },
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" },			/* truncated */
		{ "\xc3", "\"\\ufffd\"" },
		{ "\xc3z", "\"\\ufffdz\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = escaped(cases[i].in);

		unit_check(got && !strcmp(got, cases[i].want), __FILE__, __LINE__,
			   "case %zu: got %s, want %s", i, got, cases[i].want);
		free(got);
	}
}

TEST(json_structure)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j);
	json_ku64(&j, "a", 1);
	json_key(&j, "b");
	json_arr_begin(&j);
	json_bool(&j, true);
	json_bool(&j, false);
	json_null(&j);
	json_u64(&j, UINT64_MAX);
	json_arr_end(&j);
	json_key(&j, "c");
	json_obj_begin(&j);
	json_kstr(&j, "d", "x\"y");
	json_kstr(&j, "e", NULL);
	json_obj_end(&j);
	json_key(&j, "f");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_key(&j, "g");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_kbool(&j, "h", true);
	json_knull(&j, "i");
	json_obj_end(&j);
	/* a second top-level value goes on its own line */
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_obj_begin(&j);
	json_ku64(&j, "k", 0);
	json_obj_end(&j);
	json_arr_end(&j);
	json_str(&j, "top");
	fclose(f);

	CHECK_STR(buf,
		  "{\"a\":1,\"b\":[true,false,null,18446744073709551615],"
		  "\"c\":{\"d\":\"x\\\"y\",\"e\":null},\"f\":[],\"g\":{},"
		  "\"h\":true,\"i\":null}\n"
		  "[{},{\"k\":0}]\n"
		  "\"top\"\n");
	free(buf);
}

/*
 * The writer's buffer (escape.h, SINK_SIZE bytes): output larger than it,
 * pieces that straddle its end and a string longer than it come out whole
 * and in order, and each top-level value is in the FILE once it ends.
 */
TEST(json_buffer_boundaries)
{
	size_t len = 0, wlen = 0, i;
	char *buf = NULL, *want = NULL, *big;
	FILE *f = open_memstream(&buf, &len);
	FILE *w = open_memstream(&want, &wlen);
	struct json j;

	big = malloc(3 * SINK_SIZE + 1);
	CHECK(big != NULL);
	if (!big)
		return;
	for (i = 0; i < 3 * SINK_SIZE; i++)
		big[i] = (char)('a' + i % 26);
	big[3 * SINK_SIZE] = '\0';

	json_init(&j, f);
	json_arr_begin(&j);
	fputc('[', w);
	for (i = 0; i < 5000; i++) {
		json_u64(&j, UINT64_MAX - i);
		fprintf(w, "%s%llu", i ? "," : "",
			(unsigned long long)(UINT64_MAX - i));
	}
	json_str(&j, big);
	json_str(&j, "\x01");
	json_arr_end(&j);
	fprintf(w, ",\"%s\",\"\\u0001\"]\n", big);
	fflush(f);
	/* the first value is in the FILE before the second starts */
	CHECK(len == (size_t)ftell(w));
	json_obj_begin(&j);
	json_kstr(&j, big, "v");
	json_obj_end(&j);
	fprintf(w, "{\"%s\":\"v\"}\n", big);
	fclose(f);
	fclose(w);

	CHECK(len == wlen);
	CHECK(buf && want && !strcmp(buf, want));
	free(big);
	free(buf);
	free(want);
}

/* fmt_u64() against printf: every digit count and its edges. */
TEST(json_u64_digits)
{
	char got[FMT_U64_LEN + 1], want[32];
	uint64_t p = 1, v;
	int i, d, bad = 0;

	for (i = 0; i < 20; i++, p *= 10) {
		for (d = -2; d <= 2; d++) {
			v = p + (uint64_t)(int64_t)d;
			if (d < 0 && p < 3)
				continue;
			got[fmt_u64(got, v)] = '\0';
			snprintf(want, sizeof(want), "%llu",
				 (unsigned long long)v);
			bad += !!strcmp(got, want);
		}
	}
	for (v = 0; v < 100000; v += 7) {
		got[fmt_u64(got, v)] = '\0';
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		bad += !!strcmp(got, want);
	}
	got[fmt_u64(got, UINT64_MAX)] = '\0';
	CHECK_STR(got, "18446744073709551615");
	CHECK_INT(bad, 0);
}

/* Keys of every length from 1 to 40 across the buffer's end, in order. */
TEST(json_keys_across_the_buffer)
{
	size_t len = 0, wlen = 0;
	char *buf = NULL, *want = NULL, key[48];
	FILE *f = open_memstream(&buf, &len);
	FILE *w = open_memstream(&want, &wlen);
	struct json j;
	int i, k;

	json_init(&j, f);
	json_obj_begin(&j);
	fputc('{', w);
	for (i = 0; i < 2000; i++) {
		k = 1 + i % 40;
		memset(key, 'a' + i % 26, (size_t)k);
		key[k] = '\0';
		json_ku64(&j, key, (uint64_t)i);
		fprintf(w, "%s\"%s\":%d", i ? "," : "", key, i);
	}
	/* one that needs its escape, past the fast path */
	json_ku64(&j, "q\"\\", 1);
	fprintf(w, ",\"q\\\"\\\\\":1}\n");
	json_obj_end(&j);
	fclose(f);
	fclose(w);
	CHECK(len == wlen);
	CHECK(buf && want && !strcmp(buf, want));
	free(buf);
	free(want);
}
