/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmemctl internals: reading the options structures of memctl.h
 * (struct memctl_*_opts, which start with their size; see MEMCTL_OPTS()).
 */
#ifndef LIBMEMCTL_OPTS_H
#define LIBMEMCTL_OPTS_H

#include <stddef.h>

/* Where @field of @type ends. */
#define memctl__offsetofend(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))

/*
 * Is *@opts something this library can honour?  @known is where the last
 * field it knows ends (memctl__offsetofend() of it).  NULL is: all
 * defaults.  Return: 0; -EINVAL if its size is smaller than the size field
 * itself or larger than any options structure will be (MEMCTL__OPTS_MAX:
 * garbage); -EOPNOTSUPP if a byte past @known is not zero (a newer program
 * asks for something this library does not know).
 */
int memctl__opts_check(const void *opts, size_t known);

#define MEMCTL__OPTS_MAX	4096

/* Check *@opts against what this library knows of its type, up to @last. */
#define MEMCTL__OPTS_CHECK(opts, last)					\
	memctl__opts_check((opts),					\
			   memctl__offsetofend(__typeof__(*(opts)), last))

/* @field of *@opts; @def when @opts is NULL or older than @field. */
#define MEMCTL__OPT(opts, field, def)					\
	((opts) && (opts)->sz >=					\
	 memctl__offsetofend(__typeof__(*(opts)), field) ?		\
	 (opts)->field : (def))

#endif /* LIBMEMCTL_OPTS_H */
