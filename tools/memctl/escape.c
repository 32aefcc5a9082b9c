// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sink and the escaping of json.c and prom.c (see escape.h).
 */
#include <stdlib.h>

#include "escape.h"

static void membuf_append(struct membuf *m, const void *p, size_t len)
{
	if (m->failed || !len)
		return;
	if (len > m->cap - m->len) {
		size_t cap = m->cap ? m->cap : 4096;
		char *np;

		while (cap - m->len < len) {
			if (cap > SIZE_MAX / 2) {
				m->failed = true;
				return;
			}
			cap *= 2;
		}
		np = realloc(m->p, cap);
		if (!np) {
			m->failed = true;
			return;
		}
		m->p = np;
		m->cap = cap;
	}
	memcpy(m->p + m->len, p, len);
	m->len += len;
}

/* @len bytes to where @s goes, past its buffer. */
static void sink_out(struct sink *s, const void *p, size_t len)
{
	if (s->f)
		fwrite(p, 1, len, s->f);
	else
		membuf_append(s->mem, p, len);
}

void sink_flush(struct sink *s)
{
	if (s->n)
		sink_out(s, s->buf, s->n);
	s->n = 0;
}

void sink_write_long(struct sink *s, const void *p, size_t len)
{
	sink_flush(s);
	if (len > SINK_SIZE) {
		sink_out(s, p, len);
		return;
	}
	memcpy(s->buf, p, len);
	s->n = len;
}

size_t fmt_u64(char buf[FMT_U64_LEN], uint64_t v)
{
	char tmp[FMT_U64_LEN], *e = tmp + sizeof(tmp), *b = e;

	do {
		*--b = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(buf, b, (size_t)(e - b));
	return (size_t)(e - b);
}

void sink_u64(struct sink *s, uint64_t v)
{
	char buf[FMT_U64_LEN];

	sink_write(s, buf, fmt_u64(buf, v));
}

int utf8_len(const unsigned char *s)
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

void escape_write(struct sink *out, const char *str, const struct escape *e)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		const unsigned char *run = s;
		int n;

		/* What needs no escape goes out in one piece. */
		for (;;) {
			if (*s < 0x80 && *s && !e->special[*s])
				s++;
			else if (*s >= 0x80 && (n = utf8_len(s)) > 0)
				s += n;
			else
				break;
		}
		if (s > run)
			sink_write(out, run, (size_t)(s - run));
		if (!*s)
			break;
		if (*s < 0x80)
			e->write(out, *s);
		else
			sink_puts(out, e->invalid);
		s++;
	}
}
