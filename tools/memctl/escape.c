// SPDX-License-Identifier: GPL-2.0-only
/*
 * The escaping of json.c and prom.c (see escape.h).
 */
#include "escape.h"

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

void escape_write(FILE *f, const char *str, const struct escape *e)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		const unsigned char *run = s;
		int n;

		/*
		 * What needs no escape goes out in one call: a stats dump of
		 * 1000 cgroups writes 35000 JSON keys.
		 */
		for (;;) {
			if (*s < 0x80 && *s && !e->special[*s])
				s++;
			else if (*s >= 0x80 && (n = utf8_len(s)) > 0)
				s += n;
			else
				break;
		}
		if (s > run)
			fwrite(run, 1, (size_t)(s - run), f);
		if (!*s)
			break;
		if (*s < 0x80)
			e->write(f, *s);
		else
			fputs(e->invalid, f);
		s++;
	}
}
