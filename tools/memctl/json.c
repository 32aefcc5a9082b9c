// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer of the memctl CLI (see json.h).
 */
#include <math.h>
#include <string.h>

#include "escape.h"
#include "json.h"

/* '"' and '\\' after a backslash, other control characters as \u00XX. */
static void json_escape_byte(struct sink *s, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	if (c == '"' || c == '\\') {
		sink_putc(s, '\\');
		sink_putc(s, (char)c);
	} else {
		sink_write(s, u, sizeof(u));
	}
}

static const struct escape json_escape = {
	.special = { [0x01 ... 0x1f] = true, ['"'] = true, ['\\'] = true,
		     [0x7f] = true },
	.write = json_escape_byte,
	.invalid = "\\ufffd",
};

static void json_write_string(struct sink *s, const char *str)
{
	sink_putc(s, '"');
	escape_write(s, str, &json_escape);
	sink_putc(s, '"');
}

void json_init(struct json *j, FILE *f)
{
	j->depth = 0;
	j->after_key = false;
	memset(j->need_comma, 0, sizeof(j->need_comma));
	sink_init(&j->out, f);
}

/* Before any value: the comma, unless it follows its key. */
static void value_prefix(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0 && j->need_comma[j->depth])
		sink_putc(&j->out, ',');
	if (j->depth > 0)
		j->need_comma[j->depth] = true;
}

/* The outermost value ends with a newline and goes to the FILE. */
static void value_suffix(struct json *j)
{
	if (j->depth == 0) {
		sink_putc(&j->out, '\n');
		sink_flush(&j->out);
	}
}

static void open_scope(struct json *j, char c)
{
	value_prefix(j);
	sink_putc(&j->out, c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_scope(struct json *j, char c)
{
	sink_putc(&j->out, c);
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
	json_write_string(&j->out, key);
	sink_putc(&j->out, ':');
	j->after_key = true;
}

void json_key_quoted(struct json *j, const char *quoted, size_t len)
{
	value_prefix(j);
	sink_write(&j->out, quoted, len);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	value_prefix(j);
	json_write_string(&j->out, s);
	value_suffix(j);
}

void json_u64(struct json *j, uint64_t v)
{
	value_prefix(j);
	sink_u64(&j->out, v);
	value_suffix(j);
}

void json_bool(struct json *j, bool v)
{
	value_prefix(j);
	sink_puts(&j->out, v ? "true" : "false");
	value_suffix(j);
}

void json_null(struct json *j)
{
	value_prefix(j);
	sink_puts(&j->out, "null");
	value_suffix(j);
}

void json_double(struct json *j, double v, int decimals)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	char buf[352];	/* DBL_MAX with its 309 digits and the decimals */
	int n;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 17)
		decimals = 17;
	n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	value_prefix(j);
	if (n > 0)
		sink_write(&j->out, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
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
