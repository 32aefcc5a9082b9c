/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small streaming JSON writer: compact output, commas handled, strings
 * escaped (", \, control characters as \u00XX, invalid UTF-8 as \ufffd).
 * The outermost value ends with a newline, so that a stream of values is
 * one per line.
 */
#ifndef MEMCTL_JSON_H
#define MEMCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "escape.h"

#define JSON_MAX_DEPTH 16

/*
 * The output goes through a buffer (escape.h) and reaches the FILE when the
 * outermost value is complete, or in pieces of SINK_SIZE before.
 */
struct json {
	struct sink out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
/* A key already quoted, with its colon, as a table of fields has it
 * ("\"usage\":"): written as it is, @len bytes. */
void json_key_quoted(struct json *j, const char *quoted, size_t len);
void json_str(struct json *j, const char *s);	/* NULL writes null */
void json_u64(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* @v with @decimals digits after the point ("12.500"); null if not finite */
void json_double(struct json *j, double v, int decimals);

void json_kstr(struct json *j, const char *key, const char *s);
void json_ku64(struct json *j, const char *key, uint64_t v);
void json_kbool(struct json *j, const char *key, bool v);
void json_knull(struct json *j, const char *key);
void json_kdouble(struct json *j, const char *key, double v, int decimals);

#endif /* MEMCTL_JSON_H */
