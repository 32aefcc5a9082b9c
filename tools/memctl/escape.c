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

/* The number of decimal digits of @v. */
static size_t u64_digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* "00" to "99", two digits a division: half the divisions of one each. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

size_t fmt_u64(char buf[FMT_U64_LEN], uint64_t v)
{
	size_t len = u64_digits(v), i = len;

	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		buf[--i] = digit_pairs[2 * r + 1];
		buf[--i] = digit_pairs[2 * r];
	}
	if (v >= 10) {
		buf[--i] = digit_pairs[2 * v + 1];
		buf[--i] = digit_pairs[2 * v];
	} else {
		buf[--i] = (char)('0' + v);
	}
	return len;
}

void sink_u64(struct sink *s, uint64_t v)
{
	/* Straight into the buffer when there is room, as there mostly is. */
	if (SINK_SIZE - s->n < FMT_U64_LEN)
		sink_flush(s);
	s->n += fmt_u64(s->buf + s->n, v);
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
