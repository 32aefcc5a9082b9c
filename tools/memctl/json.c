// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer of the memctl CLI (see json.h).
 */
#include <math.h>
#include <string.h>

#include "escape.h"
#include "json.h"

/* '"' and '\\' after a backslash, other control characters as \u00XX. */
static void json_escape_byte(FILE *f, unsigned char c)
{
	if (c == '"' || c == '\\') {
		fputc('\\', f);
		fputc(c, f);
	} else {
		fprintf(f, "\\u%04x", c);
	}
}

static const struct escape json_escape = {
	.special = { [0x01 ... 0x1f] = true, ['"'] = true, ['\\'] = true,
		     [0x7f] = true },
	.write = json_escape_byte,
	.invalid = "\\ufffd",
};

void json_write_string(FILE *f, const char *s)
{
	fputc('"', f);
	escape_write(f, s, &json_escape);
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

void json_double(struct json *j, double v, int decimals)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	value_prefix(j);
	fprintf(j->f, "%.*f", decimals, v);
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

void json_kdouble(struct json *j, const char *key, double v, int decimals)
{
	json_key(j, key);
	json_double(j, v, decimals);
}
