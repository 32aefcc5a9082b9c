/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Things every part of the module shares.
 */
#ifndef _MEMCTL_MEMCTL_H
#define _MEMCTL_MEMCTL_H

#include <linux/types.h>

#include "uapi/linux/memctl.h"

/* Module parameter: how many policies the table may hold. */
extern unsigned int memctl_max_policies;

#endif /* _MEMCTL_MEMCTL_H */
