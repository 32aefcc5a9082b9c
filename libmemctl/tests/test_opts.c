// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Options structures (MEMCTL_OPTS(), opts.h): a program built with an
 * older header (a smaller structure) gets the defaults of the fields it
 * does not have; one built with a newer header (a larger structure) is
 * refused only when it sets something this library does not know.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"
#include "../opts.h"
#include "unit.h"

/* struct memctl_reclaim_opts as a later header might have it. */
struct reclaim_opts_v2 {
	size_t sz;
	uint64_t classes;
	uint64_t later;		/* where the next field would go */
	uint64_t later2;
};

TEST(opts_macro_zeroes_and_sizes)
{
	MEMCTL_OPTS(memctl_reclaim_opts, o, .classes = MEMCTL_F_CLASS_ANON);
	MEMCTL_OPTS(memctl_tier_set_opts, t);

	CHECK_U64(o.sz, sizeof(struct memctl_reclaim_opts));
	CHECK_U64(o.classes, MEMCTL_F_CLASS_ANON);
	CHECK_U64(t.sz, sizeof(struct memctl_tier_set_opts));
	CHECK(t.algo == NULL);
	CHECK_INT(MEMCTL__OPTS_CHECK(&o, classes), 0);
	CHECK_INT(MEMCTL__OPTS_CHECK(&t, algo), 0);
}

TEST(opts_check_sizes)
{
	struct reclaim_opts_v2 v2;
	struct memctl_reclaim_opts *o = (struct memctl_reclaim_opts *)&v2;
	size_t known = memctl__offsetofend(struct memctl_reclaim_opts, classes);

	CHECK_INT(memctl__opts_check(NULL, known), 0);

	memset(&v2, 0, sizeof(v2));
	v2.sz = sizeof(v2);			/* newer, nothing new set */
	v2.classes = MEMCTL_F_CLASS_FILE;
	CHECK_INT(MEMCTL__OPTS_CHECK(o, classes), 0);
	CHECK_U64(MEMCTL__OPT(o, classes, 7), MEMCTL_F_CLASS_FILE);
	v2.later = 1;				/* newer, asks for more */
	CHECK_INT(MEMCTL__OPTS_CHECK(o, classes), -EOPNOTSUPP);
	v2.later = 0;
	v2.later2 = 1ULL << 63;
	CHECK_INT(MEMCTL__OPTS_CHECK(o, classes), -EOPNOTSUPP);
	v2.later2 = 0;

	v2.sz = sizeof(size_t);			/* older: no classes yet */
	v2.later = 5;				/* beyond sz: not read */
	CHECK_INT(MEMCTL__OPTS_CHECK(o, classes), 0);
	CHECK_U64(MEMCTL__OPT(o, classes, 7), 7);
	o = NULL;
	CHECK_U64(MEMCTL__OPT(o, classes, 7), 7);
	o = (struct memctl_reclaim_opts *)&v2;

	v2.sz = 0;				/* not an options structure */
	CHECK_INT(MEMCTL__OPTS_CHECK(o, classes), -EINVAL);
	v2.sz = sizeof(size_t) - 1;
	CHECK_INT(MEMCTL__OPTS_CHECK(o, classes), -EINVAL);
	v2.sz = MEMCTL__OPTS_MAX + 1;		/* garbage */
	CHECK_INT(MEMCTL__OPTS_CHECK(o, classes), -EINVAL);
}

TEST(opts_calls_refuse_before_sending)
{
	struct reclaim_opts_v2 v2 = { .sz = sizeof(v2), .later = 1 };
	struct {
		struct memctl_tier_set_opts o;
		uint64_t later;
	} t = { .o = { .sz = sizeof(t) }, .later = 1 };

	/* refused for the options, before the handle is looked at */
	CHECK_INT(memctl_reclaim_opts(NULL, "/", 0, 1,
				      (struct memctl_reclaim_opts *)&v2, NULL),
		  -EOPNOTSUPP);
	CHECK_INT(memctl_tier_set_opts(NULL, 1 << 30, &t.o), -EOPNOTSUPP);
	t.later = 0;
	CHECK_INT(memctl_tier_set_opts(NULL, 1 << 30, &t.o), -EINVAL); /* no mc */
	CHECK_INT(memctl_reclaim_opts(NULL, "/", 0, 1, NULL, NULL), -EINVAL);
	v2.later = 0;				/* a class the kernel cannot have */
	v2.classes = 1ULL << 32;
	CHECK_INT(memctl_reclaim_opts(NULL, "/", 0, 1,
				      (struct memctl_reclaim_opts *)&v2, NULL),
		  -EINVAL);
}
