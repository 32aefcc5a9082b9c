// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer of the memctl CLI (see json.h).
 */
#include <string.h>

#include "json.h"

/*
 * Length of the valid UTF-8 sequence at @s (1..4), or 0 if the bytes there
 * are not one: overlong forms, surrogates and code points past U+10FFFF are
 * refused as the standard says.
 */
static int utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], cp;
	int n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		const unsigned char *run = s;
		int n;

		/* Printable ASCII but '"' and '\\' goes out as it is, in one
		 * call: a stats dump of 1000 cgroups writes 35000 keys. */
		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			fwrite(run, 1, (size_t)(s - run), f);
		if (!*s)
			break;
		if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s++, f);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s++);
		} else if ((n = utf8_len(s)) > 0) {
			fwrite(s, 1, n, f);
			s += n;
		} else {
			fputs("\\ufffd", f);	/* not UTF-8: replaced */
			s++;
		}
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* Before any value: the comma, unless it follows its key. */
static void value_prefix(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0 && j->need_comma[j->depth])
		fputc(',', j->f);
	if (j->depth > 0)
		j->need_comma[j->depth] = true;
}

static void value_suffix(struct json *j)
{
	if (j->depth == 0)
		fputc('\n', j->f);
}

static void open_scope(struct json *j, char c)
{
	value_prefix(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_scope(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	value_suffix(j);
}

void json_obj_begin(struct json *j) { open_scope(j, '{'); }
void json_obj_end(struct json *j) { close_scope(j, '}'); }
void json_arr_begin(struct json *j) { open_scope(j, '['); }
void json_arr_end(struct json *j) { close_scope(j, ']'); }

void json_key(struct json *j, const char *key)
{
	value_prefix(j);
	json_write_string(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	value_prefix(j);
	json_write_string(j->f, s);
	value_suffix(j);
}

void json_u64(struct json *j, uint64_t v)
{
	char buf[20], *p = buf + sizeof(buf);

	/* by hand: fprintf() is most of the cost of a large dump's JSON */
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	value_prefix(j);
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), j->f);
	value_suffix(j);
}

void json_bool(struct json *j, bool v)
{
	value_prefix(j);
	fputs(v ? "true" : "false", j->f);
	value_suffix(j);
}

void json_null(struct json *j)
{
	value_prefix(j);
	fputs("null", j->f);
	value_suffix(j);
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_ku64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_knull(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}
