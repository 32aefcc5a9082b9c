/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text inside a format that quotes it: JSON strings, Prometheus label
 * values and HELP text.  Valid UTF-8 goes out as it is, the ASCII bytes
 * the format reserves are escaped its way, and a byte that starts no valid
 * UTF-8 sequence is replaced, so that the output is always valid UTF-8.
 */
#ifndef MEMCTL_ESCAPE_H
#define MEMCTL_ESCAPE_H

#include <stdbool.h>
#include <stdio.h>

struct escape {
	bool special[128];		/* the ASCII bytes @write escapes */
	void (*write)(FILE *f, unsigned char c);
	const char *invalid;		/* for a byte that is not UTF-8 */
};

/*
 * Length of the valid UTF-8 sequence at @s (1..4), or 0 if the bytes there
 * are not one: overlong forms, surrogates and code points past U+10FFFF are
 * refused as the standard says.
 */
int utf8_len(const unsigned char *s);

/* Write @s, NUL-terminated, to @f as @e says; no quotes around it. */
void escape_write(FILE *f, const char *s, const struct escape *e);

#endif /* MEMCTL_ESCAPE_H */
