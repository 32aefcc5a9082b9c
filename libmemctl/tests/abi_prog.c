// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A program of the MEMCTL_1.0 days, for tests/abi-check.sh: it is linked
 * against a library that exports MEMCTL_1.0 only, then run against the
 * library of today.
 */
#include <stdio.h>
#include <string.h>

#include "memctl.h"

int main(void)
{
	char buf[MEMCTL_SIZE_STR_MAX];
	uint64_t bytes = 0;

	if (memctl_parse_size("1.5G", &bytes) || bytes != 3ULL << 29)
		return 1;
	if (memctl_format_size(bytes, buf, sizeof(buf)) || strcmp(buf, "1.5G"))
		return 1;
	if (!memctl_version() || strcmp(memctl_stop_name(0), "none"))
		return 1;
	printf("ok\n");
	return 0;
}
