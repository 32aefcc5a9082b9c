/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What json.c and prom.c write through.
 *
 * A sink is a buffer in front of a FILE, or of a block of memory that
 * grows (struct membuf): the writers put their many small pieces (keys,
 * digits, labels) there, and the FILE gets a few large writes.  With a
 * stdio call per piece, stdio was 45 % of the CPU time of `memctl -j
 * stats` of 16,384 cgroups (perf, tools/bench/cli16k).  The owner of a
 * sink flushes it where its output must have reached the FILE (json.c:
 * at the end of each top-level value; prom.c: at prom_finish()).
 *
 * Escaping is for text inside a format that quotes it: JSON strings,
 * Prometheus label values and HELP text.  Valid UTF-8 goes out as it is,
 * the ASCII bytes the format reserves are escaped its way, and a byte that
 * starts no valid UTF-8 sequence is replaced, so that the output is always
 * valid UTF-8.
 */
#ifndef MEMCTL_ESCAPE_H
#define MEMCTL_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SINK_SIZE	8192

/* Memory a sink can write into instead of a FILE: @p (malloc()ed) grows. */
struct membuf {
	char *p;
	size_t len, cap;
	bool failed;			/* out of memory: bytes were lost */
};

struct sink {
	FILE *f;			/* or NULL: into @mem */
	struct membuf *mem;
	size_t n;			/* bytes in @buf */
	char buf[SINK_SIZE];
};

static inline void sink_init(struct sink *s, FILE *f)
{
	s->f = f;
	s->mem = NULL;
	s->n = 0;
}

static inline void sink_init_mem(struct sink *s, struct membuf *m)
{
	s->f = NULL;
	s->mem = m;
	s->n = 0;
}

/* Bytes written to @s so far, buffered or not (a sink on memory only). */
static inline size_t sink_mem_offset(const struct sink *s)
{
	return s->mem->len + s->n;
}

/* Hand what is buffered to the FILE or the memory. */
void sink_flush(struct sink *s);
/* sink_write() of more than the room left. */
void sink_write_long(struct sink *s, const void *p, size_t len);

static inline void sink_write(struct sink *s, const void *p, size_t len)
{
	if (len > SINK_SIZE - s->n) {
		sink_write_long(s, p, len);
		return;
	}
	memcpy(s->buf + s->n, p, len);
	s->n += len;
}

static inline void sink_putc(struct sink *s, char c)
{
	if (s->n == SINK_SIZE)
		sink_flush(s);
	s->buf[s->n++] = c;
}

static inline void sink_puts(struct sink *s, const char *str)
{
	sink_write(s, str, strlen(str));
}

/* The most fmt_u64() writes: UINT64_MAX's digits. */
#define FMT_U64_LEN	20

/* @v in decimal into @buf, no NUL.  Return: the digits written. */
size_t fmt_u64(char buf[FMT_U64_LEN], uint64_t v);

/* @v in decimal. */
void sink_u64(struct sink *s, uint64_t v);

struct escape {
	bool special[128];		/* the ASCII bytes @write escapes */
	void (*write)(struct sink *s, unsigned char c);
	const char *invalid;		/* for a byte that is not UTF-8 */
};

/*
 * Length of the valid UTF-8 sequence at @s (1..4), or 0 if the bytes there
 * are not one: overlong forms, surrogates and code points past U+10FFFF are
 * refused as the standard says.
 */
int utf8_len(const unsigned char *s);

/* Write @s, NUL-terminated, to @out as @e says; no quotes around it. */
void escape_write(struct sink *out, const char *s, const struct escape *e);

#endif /* MEMCTL_ESCAPE_H */
