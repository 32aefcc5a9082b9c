// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl: per-cgroup memory control for stock kernels.
 *
 * This file only wires the parts together; each part unwinds on failure.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

#include "memctl.h"
#include "ksyms.h"
#include "memcg.h"
#include "netlink.h"
#include "policy.h"
#include "reclaim.h"
#include "tier.h"

#define MEMCTL_MAX_POLICIES_LIMIT	(1U << 20)

unsigned int memctl_max_policies = 16384;
module_param_named(max_policies, memctl_max_policies, uint, 0444);
MODULE_PARM_DESC(max_policies,
		 "How many cgroups may have a policy (1..1048576, default 16384)");

static int __init memctl_init(void)
{
	int err;

	if (!memctl_max_policies ||
	    memctl_max_policies > MEMCTL_MAX_POLICIES_LIMIT) {
		pr_err("max_policies=%u is out of range 1..%u\n",
		       memctl_max_policies, MEMCTL_MAX_POLICIES_LIMIT);
		return -EINVAL;
	}

	/* Before anything that calls into the kernel through them. */
	err = memctl_ksyms_init();
	if (err)
		return err;

	/* Chooses each reclaim class's route, with the symbols resolved. */
	err = memctl_memcg_init();
	if (err)
		return err;

	/* Before the policy table, whose entries start and stop its work. */
	err = memctl_reclaim_init();
	if (err)
		return err;

	err = memctl_policy_init();
	if (err)
		goto err_reclaim;

	err = memctl_tier_init();
	if (err)
		goto err_policy;

	/* Last: once the family is registered, requests come in. */
	err = memctl_netlink_init();
	if (err)
		goto err_tier;

	pr_info("version %s loaded\n", MEMCTL_VERSION);
	return 0;

err_tier:
	memctl_tier_exit();
err_policy:
	memctl_policy_exit();
err_reclaim:
	memctl_reclaim_exit();
	return err;
}

static void __exit memctl_exit(void)
{
	/* One-shots answer their requesters while the family is there. */
	memctl_reclaim_shutdown();
	/* Waits for requests in flight; none arrive after it. */
	memctl_netlink_exit();
	/* The tier cannot be in use: each opener holds a module reference. */
	memctl_tier_exit();
	/* Stops every policy's work and waits for its episode. */
	memctl_policy_exit();
	memctl_reclaim_exit();
}

module_init(memctl_init);
module_exit(memctl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-cgroup slab-aware proactive reclaim and compressed page tier");
MODULE_AUTHOR("The memctl developers");
MODULE_VERSION(MEMCTL_VERSION);
MODULE_ALIAS_GENL_FAMILY(MEMCTL_GENL_NAME);
