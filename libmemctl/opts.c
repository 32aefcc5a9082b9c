// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl's options structures (see opts.h), and the calls of MEMCTL_1.1
 * that take them and have no other home: memctl_tier_set_opts().
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "opts.h"

/* No padding: MEMCTL_OPTS() cannot promise what padding holds. */
_Static_assert(sizeof(struct memctl_reclaim_opts) ==
	       memctl__offsetofend(struct memctl_reclaim_opts, classes),
	       "struct memctl_reclaim_opts has padding");
_Static_assert(sizeof(struct memctl_tier_set_opts) ==
	       memctl__offsetofend(struct memctl_tier_set_opts, __pad),
	       "struct memctl_tier_set_opts has padding");
_Static_assert(sizeof(struct memctl_open_opts) ==
	       memctl__offsetofend(struct memctl_open_opts, timeout_ms),
	       "struct memctl_open_opts has padding");
_Static_assert(sizeof(struct memctl_events_open_opts) ==
	       memctl__offsetofend(struct memctl_events_open_opts, sz),
	       "struct memctl_events_open_opts has padding");

int memctl__opts_check(const void *opts, size_t known)
{
	const unsigned char *p = opts;
	size_t sz, i;

	if (!opts)
		return 0;
	memcpy(&sz, opts, sizeof(sz));
	if (sz < sizeof(sz) || sz > MEMCTL__OPTS_MAX)
		return -EINVAL;
	for (i = known; i < sz; i++)
		if (p[i])
			return -EOPNOTSUPP;
	return 0;
}

MEMCTL_API int memctl_tier_set_opts(struct memctl *mc, uint64_t size,
				    const struct memctl_tier_set_opts *opts)
{
	int err = MEMCTL__OPTS_CHECK(opts, __pad);

	if (err)
		return err;
	if (MEMCTL__OPT(opts, __pad, 0))
		return -EINVAL;
	return memctl__tier_set(mc, size, MEMCTL__OPT(opts, algo, NULL),
				MEMCTL__OPT(opts, backing, NULL),
				MEMCTL__OPT(opts, backing_limit, 0),
				MEMCTL__OPT(opts, backing_age, 0));
}
