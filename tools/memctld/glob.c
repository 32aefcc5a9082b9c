// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld: cgroup globs (glob.h).
 */
#include <fnmatch.h>
#include <string.h>

#include "glob.h"

/* The length of the component at @s (up to '/' or the end). */
static size_t comp_len(const char *s)
{
	return strcspn(s, "/");
}

static bool is_starstar(const char *p, size_t n)
{
	return n == 2 && p[0] == '*' && p[1] == '*';
}

/* One component of the pattern against one of the path. */
static bool comp_match(const char *p, size_t pn, const char *s, size_t sn)
{
	char pat[256], str[256];

	if (pn >= sizeof(pat) || sn >= sizeof(str))
		return false;	/* cgroupfs names are at most 255 bytes */
	memcpy(pat, p, pn);
	pat[pn] = '\0';
	memcpy(str, s, sn);
	str[sn] = '\0';
	return fnmatch(pat, str, 0) == 0;
}

/*
 * @p and @s point at the start of a component ("a/b") or at the end ("").
 */
static bool match_from(const char *p, const char *s)
{
	for (;;) {
		size_t pn, sn;

		if (!*p)
			return !*s;
		pn = comp_len(p);
		if (is_starstar(p, pn)) {
			const char *rest = p[pn] ? p + pn + 1 : p + pn;

			if (!*rest)	/* trailing: one component or more */
				return *s != '\0';
			for (;;) {	/* none, one, two... components */
				if (match_from(rest, s))
					return true;
				if (!*s)
					return false;
				s += comp_len(s);
				if (*s)
					s++;
			}
		}
		if (!*s)
			return false;
		sn = comp_len(s);
		if (!comp_match(p, pn, s, sn))
			return false;
		p += pn;
		s += sn;
		if (*p)
			p++;
		if (*s)
			s++;
	}
}

bool cg_glob_match(const char *pattern, const char *path)
{
	if (pattern[0] != '/' || path[0] != '/')
		return false;
	return match_from(pattern + 1, path + 1);
}

bool cg_glob_is_literal(const char *pattern)
{
	return !strpbrk(pattern, "*?[\\");
}
