// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memctl.h and <linux/memctl.h> are usable from C++: header_cxx.cc,
 * compiled with g++ -Wall -Wextra -Werror, calls the library through them.
 */
#include "unit.h"

int memctl_test_cxx_header(void);

TEST(header_compiles_as_cxx)
{
	CHECK_INT(memctl_test_cxx_header(), 0);
}
