// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tiny libmemctl client, built by tools/test-install against an
 * installed tree with nothing but `pkg-config --cflags --libs libmemctl`
 * (never with this repository's include paths), and run in the VM by
 * pkgconfig_test.sh.  It prints the library's version, then asks the
 * module about itself.
 *
 * Exit: 0 with "module VERSION kernel RELEASE policies N/MAX", 2 if the
 * module is not there, 1 on any other error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <memctl/memctl.h>

int main(void)
{
	struct memctl_info info;
	struct memctl *mc;
	int err;

	printf("libmemctl %s\n", memctl_version());
	err = memctl_open(&mc);
	if (err) {
		fprintf(stderr, "memctl_open: %s\n", strerror(-err));
		return err == -ENOENT ? 2 : 1;
	}
	err = memctl_get_info(mc, &info);
	if (err) {
		fprintf(stderr, "memctl_get_info: %s: %s\n", strerror(-err),
			memctl_errmsg(mc));
		memctl_close(mc);
		return 1;
	}
	printf("module %s kernel %s policies %u/%u\n", info.version,
	       info.kernel, info.nr_policies, info.max_policies);
	memctl_close(mc);
	return 0;
}
