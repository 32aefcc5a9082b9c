// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sizes and times for people (see format.h).
 */
#include <stdio.h>

#include "format.h"
#include "memctl.h"

const char *fmt_size(uint64_t bytes, char *buf)
{
	memctl_format_size(bytes, buf, MEMCTL_SIZE_STR_MAX);
	return buf;
}

const char *fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}
