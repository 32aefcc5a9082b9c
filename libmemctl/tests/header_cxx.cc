// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The public headers as a C++ program sees them.  This file is compiled
 * with g++ -Wall -Wextra -Werror, so a C++ keyword, an implicit conversion
 * from void * or anything else C accepts and C++ does not fails the build;
 * the UAPI header comes first, alone, to prove it stands on its own, and
 * the MEMCTL_OPTS() macro is used as the header shows it.  Its
 * function is called from test_header.c: the link fails if the library's
 * functions lack C linkage (extern "C") in memctl.h.
 */
#include <linux/memctl.h>
#include <memctl.h>

#include <cerrno>
#include <cstring>

extern "C" int memctl_test_cxx_header(void);

/* 0, or the number of the first check that failed. */
extern "C" int memctl_test_cxx_header(void)
{
	char buf[MEMCTL_SIZE_STR_MAX];
	struct memctl_policy policy;
	uint64_t bytes = 0;
	uint32_t classes = 0;
	const char *name;

	name = memctl_class_name(MEMCTL_F_CLASS_SLAB);
	if (!name || std::strcmp(name, "slab"))
		return 1;
	if (memctl_parse_size("64K", &bytes) || bytes != 65536)
		return 2;
	if (memctl_format_size(bytes, buf, sizeof(buf)) ||
	    std::strcmp(buf, "64K"))
		return 3;
	if (memctl_parse_classes("all", &classes) ||
	    classes != __MEMCTL_F_CLASS_ALL)
		return 4;
	if (memctl_policy_set(NULL, NULL) != -EINVAL)
		return 5;
	{
		/* the options macro too, as the header's example writes it */
		MEMCTL_OPTS(memctl_reclaim_opts, opts,
			    .classes = MEMCTL_F_CLASS_SLAB);

		if (opts.sz != sizeof(opts) ||
		    memctl_reclaim_opts(NULL, "/a", 0, 1, &opts, NULL) !=
		    -EINVAL)
			return 7;
	}
	std::memset(&policy, 0, sizeof(policy));
	policy.set = MEMCTL_POLICY_F_HIGH;
	if (!memctl_version()[0] || sizeof(policy.cgroup.path) !=
	    MEMCTL_CGROUP_PATH_MAX)
		return 6;
	return 0;
}
