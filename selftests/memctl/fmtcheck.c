// SPDX-License-Identifier: GPL-2.0-only
/*
 * fmtcheck: strict checks of memctl's machine-readable output, for the
 * shell scenarios in the VM (which has no python or jq).
 *
 *   fmtcheck json [-l] [-p PATH]... [EXPECT]... < input
 *	The input is exactly one JSON value (RFC 8259, strictly: no trailing
 *	commas, no duplicate keys, valid UTF-8 and escapes, no leading zeros),
 *	or with -l one value per line (JSON lines; no empty lines).
 *	EXPECT is PATH or PATH:TYPES.  PATH is a chain of .KEY, [N], [] (every
 *	element; none is fine) and [+] (every element, at least one), e.g.
 *	"[+].reclaimed.slab"; "." alone is the value itself.  TYPES is a
 *	'|'-separated list of string, number, integer (a number without
 *	fraction or exponent, >= 0), bool, null, object, array.  Every EXPECT
 *	must hold for every value.
 *	-p PATH prints, for every value, the value at PATH (strings without
 *	their quotes and escapes, anything else as JSON text), the -p's of one
 *	value joined by a tab, one line per value.
 *
 *   fmtcheck prom [-f FAMILY]... < input
 *	The Prometheus text exposition format 0.0.4, strictly: every line ends
 *	with '\n'; # HELP and # TYPE at most once per family, both before its
 *	first sample; metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
 *	[a-zA-Z_][a-zA-Z0-9_]* not starting with "__" and not repeated in a
 *	sample; label values in double quotes with only \\, \" and \n as
 *	escapes, valid UTF-8; values are floats (or NaN, +Inf, -Inf), with an
 *	optional integer timestamp; a family's samples are adjacent; no series
 *	twice; counters are named *_total.  -f: FAMILY must have a sample.
 *
 * Exit status: 0 if the input passes, 1 with one line on stderr saying
 * where and why it does not, 64 for a bad command line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *where = "input";
static int line_no;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fmtcheck: %s", where);
	if (line_no)
		fprintf(stderr, " line %d", line_no);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void) __attribute__((noreturn));
static void usage(void)
{
	fputs("usage: fmtcheck json [-l] [-p PATH]... [PATH[:TYPES]]...\n"
	      "       fmtcheck prom [-f FAMILY]...\n", stderr);
	exit(64);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fputs("fmtcheck: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0, r;
	char *buf = xcalloc(1, cap + 1);

	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb)
				fail("input too large");
			buf = nb;
			cap *= 2;
		}
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n))
		fail("NUL byte in the input");
	*len = n;
	return buf;
}

/*
 * Length of the well-formed UTF-8 sequence at @s (1..4), or 0.
 *
 * Not shared with the CLI's decoder (tools/memctl/escape.c) on purpose:
 * fmtcheck checks what that code prints, and a checker that decoded with
 * the printer's own function would pass whatever mistake the two had in
 * common (an overlong form or a surrogate let through both ways).  So it
 * is written from another statement of the rule, table 3-7 of the Unicode
 * Standard, "Well-Formed UTF-8 Byte Sequences": the first byte gives the
 * length and the range of the second byte, every later byte is 80..BF.
 * tools/fmtcheck-test holds it to that table's edges.
 */
static int utf8_len(const unsigned char *s)
{
	static const struct {
		unsigned char first_lo, first_hi;
		unsigned char len;
		unsigned char second_lo, second_hi;
	} well_formed[] = {
		{ 0x00, 0x7f, 1, 0x00, 0x00 },
		{ 0xc2, 0xdf, 2, 0x80, 0xbf },
		{ 0xe0, 0xe0, 3, 0xa0, 0xbf },
		{ 0xe1, 0xec, 3, 0x80, 0xbf },
		{ 0xed, 0xed, 3, 0x80, 0x9f },
		{ 0xee, 0xef, 3, 0x80, 0xbf },
		{ 0xf0, 0xf0, 4, 0x90, 0xbf },
		{ 0xf1, 0xf3, 4, 0x80, 0xbf },
		{ 0xf4, 0xf4, 4, 0x80, 0x8f },
	};
	size_t r;
	int i;

	for (r = 0; r < sizeof(well_formed) / sizeof(well_formed[0]); r++) {
		if (s[0] < well_formed[r].first_lo || s[0] > well_formed[r].first_hi)
			continue;
		if (well_formed[r].len == 1)
			return 1;
		/* a NUL (the end of the input) is never in range */
		if (s[1] < well_formed[r].second_lo ||
		    s[1] > well_formed[r].second_hi)
			return 0;
		for (i = 2; i < well_formed[r].len; i++)
			if (s[i] < 0x80 || s[i] > 0xbf)
				return 0;
		return well_formed[r].len;
	}
	return 0;
}

/* ---------------------------------------------------------------- JSON */

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jval {
	enum jtype type;
	const char *text;	/* where it starts in the input */
	size_t text_len;
	char *str;		/* J_STRING: decoded; J_NUMBER: as written */
	bool integer;		/* J_NUMBER: no sign, fraction or exponent */
	size_t n;		/* J_ARRAY, J_OBJECT: members */
	char **keys;		/* J_OBJECT */
	struct jval **vals;
};

struct parser {
	const char *p, *end;
	int depth;
};

#define JSON_MAX_DEPTH 64

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static struct jval *parse_value(struct parser *ps);

static int hex4(const char *s)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		int c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static void put_utf8(char **o, unsigned int cp)
{
	char *q = *o;

	if (cp < 0x80) {
		*q++ = (char)cp;
	} else if (cp < 0x800) {
		*q++ = (char)(0xc0 | (cp >> 6));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*q++ = (char)(0xe0 | (cp >> 12));
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (char)(0xf0 | (cp >> 18));
		*q++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = q;
}

/* A string literal at ps->p (the opening quote); returns it decoded. */
static char *parse_string(struct parser *ps)
{
	const char *s = ps->p + 1;
	char *out = xcalloc(1, (size_t)(ps->end - s) + 1), *o = out;

	for (;;) {
		unsigned char c;

		if (s >= ps->end)
			fail("unterminated string");
		c = (unsigned char)*s;
		if (c == '"')
			break;
		if (c < 0x20)
			fail("control character 0x%02x in a string", c);
		if (c == '\\') {
			int cp;

			if (s + 1 >= ps->end)
				fail("unterminated escape");
			switch (s[1]) {
			case '"': *o++ = '"'; s += 2; continue;
			case '\\': *o++ = '\\'; s += 2; continue;
			case '/': *o++ = '/'; s += 2; continue;
			case 'b': *o++ = '\b'; s += 2; continue;
			case 'f': *o++ = '\f'; s += 2; continue;
			case 'n': *o++ = '\n'; s += 2; continue;
			case 'r': *o++ = '\r'; s += 2; continue;
			case 't': *o++ = '\t'; s += 2; continue;
			case 'u':
				break;
			default:
				fail("invalid escape '\\%c'", s[1]);
			}
			if (ps->end - s < 6 || (cp = hex4(s + 2)) < 0)
				fail("invalid \\u escape");
			s += 6;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				fail("lone low surrogate \\u%04x", cp);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				int lo;

				if (ps->end - s < 6 || s[0] != '\\' || s[1] != 'u' ||
				    (lo = hex4(s + 2)) < 0xdc00 || lo > 0xdfff)
					fail("high surrogate without its pair");
				s += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0)
				fail("\\u0000 in a string");
			put_utf8(&o, (unsigned int)cp);
			continue;
		}
		{
			int n = utf8_len((const unsigned char *)s);

			if (!n || s + n > ps->end)
				fail("invalid UTF-8 in a string");
			memcpy(o, s, (size_t)n);
			o += n;
			s += n;
		}
	}
	*o = '\0';
	ps->p = s + 1;
	return out;
}

static void parse_number(struct parser *ps, struct jval *v)
{
	const char *s = ps->p;
	bool integer = true;

	if (s < ps->end && *s == '-') {
		integer = false;
		s++;
	}
	if (s >= ps->end || !isdigit((unsigned char)*s))
		fail("invalid number");
	if (*s == '0' && s + 1 < ps->end && isdigit((unsigned char)s[1]))
		fail("number with a leading zero");
	while (s < ps->end && isdigit((unsigned char)*s))
		s++;
	if (s < ps->end && *s == '.') {
		integer = false;
		s++;
		if (s >= ps->end || !isdigit((unsigned char)*s))
			fail("invalid fraction");
		while (s < ps->end && isdigit((unsigned char)*s))
			s++;
	}
	if (s < ps->end && (*s == 'e' || *s == 'E')) {
		integer = false;
		s++;
		if (s < ps->end && (*s == '+' || *s == '-'))
			s++;
		if (s >= ps->end || !isdigit((unsigned char)*s))
			fail("invalid exponent");
		while (s < ps->end && isdigit((unsigned char)*s))
			s++;
	}
	v->type = J_NUMBER;
	v->integer = integer;
	v->str = strndup(ps->p, (size_t)(s - ps->p));
	ps->p = s;
}

static bool take(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) >= n && !strncmp(ps->p, word, n)) {
		ps->p += n;
		return true;
	}
	return false;
}

static void push(struct jval *v, char *key, struct jval *val)
{
	v->vals = realloc(v->vals, (v->n + 1) * sizeof(*v->vals));
	if (v->type == J_OBJECT)
		v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
	if (!v->vals || (v->type == J_OBJECT && !v->keys))
		fail("out of memory");
	if (v->type == J_OBJECT)
		v->keys[v->n] = key;
	v->vals[v->n++] = val;
}

static struct jval *parse_value(struct parser *ps)
{
	struct jval *v = xcalloc(1, sizeof(*v));

	skip_ws(ps);
	if (ps->p >= ps->end)
		fail("unexpected end of input");
	v->text = ps->p;
	switch (*ps->p) {
	case '{':
	case '[': {
		bool obj = *ps->p == '{';
		char close = obj ? '}' : ']';

		if (++ps->depth > JSON_MAX_DEPTH)
			fail("nested too deep");
		v->type = obj ? J_OBJECT : J_ARRAY;
		ps->p++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			break;
		}
		for (;;) {
			char *key = NULL;
			size_t i;

			skip_ws(ps);
			if (obj) {
				if (ps->p >= ps->end || *ps->p != '"')
					fail("expected a key");
				key = parse_string(ps);
				for (i = 0; i < v->n; i++)
					if (!strcmp(v->keys[i], key))
						fail("duplicate key \"%s\"", key);
				skip_ws(ps);
				if (ps->p >= ps->end || *ps->p != ':')
					fail("expected ':' after \"%s\"", key);
				ps->p++;
			}
			push(v, key, parse_value(ps));
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == ',') {
				ps->p++;
				continue;
			}
			if (ps->p < ps->end && *ps->p == close) {
				ps->p++;
				break;
			}
			fail("expected ',' or '%c'", close);
		}
		ps->depth--;
		break;
	}
	case '"':
		v->type = J_STRING;
		v->str = parse_string(ps);
		break;
	case 't':
	case 'f':
		if (!take(ps, "true") && !take(ps, "false"))
			fail("invalid literal");
		v->type = J_BOOL;
		break;
	case 'n':
		if (!take(ps, "null"))
			fail("invalid literal");
		v->type = J_NULL;
		break;
	default:
		parse_number(ps, v);
	}
	v->text_len = (size_t)(ps->p - v->text);
	return v;
}

/* Exactly one value in [s, end), whitespace around it. */
static struct jval *parse_document(const char *s, const char *end)
{
	struct parser ps = { .p = s, .end = end };
	struct jval *v = parse_value(&ps);

	skip_ws(&ps);
	if (ps.p != ps.end)
		fail("text after the value");
	return v;
}

/* Call @fn for every value @path reaches in @v; fail if a step is missing. */
struct path_ctx {
	const char *expect;	/* for messages */
	const char *types;	/* NULL: only existence */
	char **printed;		/* -p: where to put the text */
};

static const char *type_name(const struct jval *v)
{
	static const char *const names[] = { "null", "bool", "number", "string",
					     "array", "object" };

	return names[v->type];
}

static bool type_ok(const struct jval *v, const char *types)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", types);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		if (!strcmp(tok, type_name(v)))
			return true;
		if (!strcmp(tok, "integer") && v->type == J_NUMBER && v->integer)
			return true;
	}
	return false;
}

static bool known_types(const char *types)
{
	static const char *const ok[] = { "null", "bool", "number", "string",
					  "array", "object", "integer" };
	char buf[128], *tok, *save = NULL;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", types);
	tok = strtok_r(buf, "|", &save);
	if (!tok)
		return false;
	for (; tok; tok = strtok_r(NULL, "|", &save)) {
		for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			if (!strcmp(tok, ok[i]))
				break;
		if (i == sizeof(ok) / sizeof(ok[0]))
			return false;
	}
	return true;
}

static void walk(const struct jval *v, const char *path, struct path_ctx *ctx)
{
	if (!*path || !strcmp(path, ".")) {
		if (ctx->types && !type_ok(v, ctx->types))
			fail("%s: is %s, want %s", ctx->expect, type_name(v),
			     ctx->types);
		if (ctx->printed) {
			if (v->type == J_STRING)
				*ctx->printed = strdup(v->str);
			else
				*ctx->printed = strndup(v->text, v->text_len);
		}
		return;
	}
	if (path[0] == '.') {
		const char *end = path + 1;
		char key[256];
		size_t i;

		while (*end && *end != '.' && *end != '[')
			end++;
		if (end == path + 1 || (size_t)(end - path) > sizeof(key))
			fail("%s: bad path", ctx->expect);
		snprintf(key, sizeof(key), "%.*s", (int)(end - path - 1), path + 1);
		if (v->type != J_OBJECT)
			fail("%s: \"%s\" of a %s", ctx->expect, key, type_name(v));
		for (i = 0; i < v->n; i++)
			if (!strcmp(v->keys[i], key))
				break;
		if (i == v->n)
			fail("%s: no key \"%s\"", ctx->expect, key);
		walk(v->vals[i], end, ctx);
		return;
	}
	if (path[0] == '[') {
		const char *close = strchr(path, ']');
		size_t i;

		if (!close)
			fail("%s: bad path", ctx->expect);
		if (v->type != J_ARRAY)
			fail("%s: index into a %s", ctx->expect, type_name(v));
		if (close == path + 1 || (close == path + 2 && path[1] == '+')) {
			if (path[1] == '+' && !v->n)
				fail("%s: empty array", ctx->expect);
			if (ctx->printed && v->n != 1)
				fail("%s: -p through [] needs one element",
				     ctx->expect);
			for (i = 0; i < v->n; i++)
				walk(v->vals[i], close + 1, ctx);
			return;
		}
		i = strtoul(path + 1, NULL, 10);
		if (i >= v->n)
			fail("%s: no element %zu", ctx->expect, i);
		walk(v->vals[i], close + 1, ctx);
		return;
	}
	fail("%s: bad path", ctx->expect);
}

static int json_main(int argc, char **argv)
{
	const char *prints[32], *expects[256];
	int nprint = 0, nexpect = 0, i;
	bool lines = false;
	char *buf, *s, *end;
	size_t len;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-l")) {
			lines = true;
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc && nprint < 32) {
			prints[nprint++] = argv[++i];
		} else if (argv[i][0] == '-' || nexpect == 256) {
			usage();
		} else {
			const char *colon = strchr(argv[i], ':');

			if (colon && !known_types(colon + 1))
				usage();
			expects[nexpect++] = argv[i];
		}
	}
	buf = read_all(stdin, &len);
	s = buf;
	end = buf + len;
	if (lines && len && end[-1] != '\n')
		fail("the last line does not end with a newline");
	if (!len)
		fail("no input");

	while (s < end) {
		char *stop = lines ? memchr(s, '\n', (size_t)(end - s)) : end;
		char *printed[32] = { 0 };
		struct jval *v;

		line_no = lines ? line_no + 1 : 0;
		if (stop == s)
			fail("empty line");
		v = parse_document(s, stop);
		for (i = 0; i < nexpect; i++) {
			char path[512];
			const char *colon = strchr(expects[i], ':');
			struct path_ctx ctx = { .expect = expects[i] };

			snprintf(path, sizeof(path), "%.*s",
				 (int)(colon ? colon - expects[i] :
				       (long)strlen(expects[i])), expects[i]);
			ctx.types = colon ? colon + 1 : NULL;
			walk(v, path, &ctx);
		}
		for (i = 0; i < nprint; i++) {
			struct path_ctx ctx = { .expect = prints[i],
						.printed = &printed[i] };

			walk(v, prints[i], &ctx);
			if (!printed[i])
				printed[i] = strdup("");
			printf("%s%s", i ? "\t" : "", printed[i]);
			free(printed[i]);
		}
		if (nprint)
			putchar('\n');
		/* the tree is small and short-lived: not freed */
		s = lines ? stop + 1 : end;
	}
	free(buf);
	return fflush(stdout) ? 1 : 0;
}

/* ---------------------------------------------------------- Prometheus */

struct family {
	char *name;
	char *type;		/* NULL until # TYPE */
	bool help;
	bool closed;		/* another family's line came after it */
	int samples;
};

struct prom_state {
	struct family *fams;
	size_t nfams;
	struct family *cur;	/* the family of the last line */
	char **series;		/* name{labels} seen */
	size_t nseries;
};

static bool metric_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || c == ':' ||
	       (!first && isdigit((unsigned char)c));
}

static bool label_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' ||
	       (!first && isdigit((unsigned char)c));
}

/* A metric name at *s; returns its length, 0 if there is none. */
static size_t metric_name(const char *s)
{
	size_t n = 0;

	while (s[n] && metric_char(s[n], n == 0))
		n++;
	return n;
}

static struct family *family_get(struct prom_state *st, const char *name,
				 size_t len, bool create)
{
	size_t i;

	for (i = 0; i < st->nfams; i++)
		if (strlen(st->fams[i].name) == len &&
		    !strncmp(st->fams[i].name, name, len))
			return &st->fams[i];
	if (!create)
		return NULL;
	st->fams = realloc(st->fams, (st->nfams + 1) * sizeof(*st->fams));
	if (!st->fams)
		fail("out of memory");
	memset(&st->fams[st->nfams], 0, sizeof(st->fams[0]));
	st->fams[st->nfams].name = strndup(name, len);
	return &st->fams[st->nfams++];
}

/* The line is about @f: families are not interleaved. */
static void switch_to(struct prom_state *st, struct family *f)
{
	if (st->cur == f)
		return;
	if (f->closed)
		fail("family %s continues after another family's lines",
		     f->name);
	if (st->cur)
		st->cur->closed = true;
	st->cur = f;
}

/* The family a sample named @name of @len bytes belongs to. */
static struct family *sample_family(struct prom_state *st, const char *name,
				    size_t len)
{
	static const char *const suffixes[] = { "_bucket", "_sum", "_count" };
	struct family *f = family_get(st, name, len, false);
	size_t i;

	if (f)
		return f;
	for (i = 0; i < 3; i++) {
		size_t sl = strlen(suffixes[i]);

		if (len > sl && !strncmp(name + len - sl, suffixes[i], sl)) {
			f = family_get(st, name, len - sl, false);
			if (f && f->type && (!strcmp(f->type, "histogram") ||
					     !strcmp(f->type, "summary")))
				return f;
		}
	}
	fail("sample %.*s has no # HELP and # TYPE before it", (int)len, name);
}

static void check_help_text(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\') {
			if (s[1] != '\\' && s[1] != 'n')
				fail("invalid escape '\\%c' in # HELP", s[1]);
			s++;
		}
	}
}

static bool is_float(const char *s)
{
	const char *p = s;
	bool digits = false;

	if (!strcmp(s, "NaN") || !strcmp(s, "+Inf") || !strcmp(s, "-Inf"))
		return true;
	if (*p == '+' || *p == '-')
		p++;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

static bool is_int(const char *s)
{
	if (*s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

static void prom_sample_line(struct prom_state *st, const char *l)
{
	size_t len = metric_name(l), i;
	const char *p = l + len;
	char labels[64][128], *series, *value, *ts;
	int nlabels = 0, k;
	struct family *f;

	if (!len)
		fail("a sample must start with a metric name");
	f = sample_family(st, l, len);
	if (!f->help || !f->type)
		fail("family %s lacks # HELP or # TYPE before its sample",
		     f->name);
	switch_to(st, f);

	if (*p == '{') {
		p++;
		while (*p != '}') {
			size_t ln = 0;

			while (p[ln] && p[ln] != '=' && p[ln] != '}' &&
			       p[ln] != ',')
				ln++;
			if (!ln || p[ln] != '=')
				fail("expected a label name and '='");
			for (i = 0; i < ln; i++)
				if (!label_char(p[i], i == 0))
					fail("invalid label name \"%.*s\"",
					     (int)ln, p);
			if (ln >= 2 && p[0] == '_' && p[1] == '_')
				fail("reserved label name \"%.*s\"", (int)ln, p);
			if (ln >= sizeof(labels[0]) || nlabels == 64)
				fail("label name too long or too many labels");
			snprintf(labels[nlabels], sizeof(labels[0]), "%.*s",
				 (int)ln, p);
			for (k = 0; k < nlabels; k++)
				if (!strcmp(labels[k], labels[nlabels]))
					fail("label %s twice", labels[k]);
			nlabels++;
			p += ln + 1;
			if (*p != '"')
				fail("label value must be in double quotes");
			for (p++; *p != '"'; ) {
				int n;

				if (!*p)
					fail("unterminated label value");
				if (*p == '\\') {
					if (p[1] != '\\' && p[1] != '"' &&
					    p[1] != 'n')
						fail("invalid escape '\\%c' in a "
						     "label value", p[1]);
					p += 2;
					continue;
				}
				n = utf8_len((const unsigned char *)p);
				if (!n)
					fail("invalid UTF-8 in a label value");
				p += n;
			}
			p++;
			if (*p == ',') {
				p++;
				if (*p == '}')
					fail("trailing comma in the labels");
			} else if (*p != '}') {
				fail("expected ',' or '}' after a label");
			}
		}
		p++;
	}
	series = strndup(l, (size_t)(p - l));
	for (i = 0; i < st->nseries; i++)
		if (!strcmp(st->series[i], series))
			fail("series %s twice", series);
	st->series = realloc(st->series, (st->nseries + 1) * sizeof(char *));
	if (!st->series)
		fail("out of memory");
	st->series[st->nseries++] = series;

	if (*p != ' ')
		fail("expected one space before the value");
	value = strdup(p + 1);
	ts = strchr(value, ' ');
	if (ts)
		*ts++ = '\0';
	if (!is_float(value))
		fail("value \"%s\" is not a number", value);
	if (ts && !is_int(ts))
		fail("timestamp \"%s\" is not an integer", ts);
	free(value);
	f->samples++;
}

static int prom_main(int argc, char **argv)
{
	struct prom_state st = { 0 };
	const char *need[64];
	int nneed = 0, i;
	char *buf, *s, *end;
	size_t len;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-f") && i + 1 < argc && nneed < 64)
			need[nneed++] = argv[++i];
		else
			usage();
	}
	buf = read_all(stdin, &len);
	if (!len)
		fail("no input");
	if (buf[len - 1] != '\n')
		fail("the last line does not end with a newline");
	end = buf + len;
	for (s = buf; s < end; ) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *l = s;

		*nl = '\0';
		s = nl + 1;
		line_no++;
		if (!*l)
			continue;	/* the format ignores empty lines */
		if (!strncmp(l, "# HELP ", 7) || !strncmp(l, "# TYPE ", 7)) {
			bool help = l[2] == 'H';
			const char *name = l + 7, *rest;
			size_t n = metric_name(name);
			struct family *f;

			if (!n || (name[n] != ' ' && (help || name[n])))
				fail("invalid metric name in %.6s", l);
			if (!help && !name[n])
				fail("# TYPE without a type");
			f = family_get(&st, name, n, true);
			switch_to(&st, f);
			if (f->samples)
				fail("# %s of %s after its samples",
				     help ? "HELP" : "TYPE", f->name);
			rest = name[n] ? name + n + 1 : "";
			if (help) {
				if (f->help)
					fail("# HELP of %s twice", f->name);
				check_help_text(rest);
				f->help = true;
			} else {
				if (f->type)
					fail("# TYPE of %s twice", f->name);
				if (strcmp(rest, "counter") && strcmp(rest, "gauge") &&
				    strcmp(rest, "histogram") &&
				    strcmp(rest, "summary") && strcmp(rest, "untyped"))
					fail("unknown type \"%s\"", rest);
				if (!strcmp(rest, "counter") &&
				    (strlen(f->name) < 7 ||
				     strcmp(f->name + strlen(f->name) - 6, "_total")))
					fail("counter %s is not named *_total",
					     f->name);
				f->type = strdup(rest);
			}
			continue;
		}
		if (l[0] == '#')
			continue;	/* a comment */
		prom_sample_line(&st, l);
	}
	line_no = 0;
	for (i = 0; i < nneed; i++) {
		struct family *f = family_get(&st, need[i], strlen(need[i]),
					      false);

		if (!f || !f->samples)
			fail("no sample of %s", need[i]);
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "json")) {
		where = "json";
		return json_main(argc - 2, argv + 2);
	}
	if (!strcmp(argv[1], "prom")) {
		where = "prom";
		return prom_main(argc - 2, argv + 2);
	}
	usage();
}
