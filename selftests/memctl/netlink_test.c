// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memctl family itself: it exists, GET_INFO tells the truth, and the
 * family refuses what it does not understand.
 */
#include <sys/utsname.h>

#include "nltest.h"
#include "kselftest_harness.h"

FIXTURE(family) {
	struct nlt nl;
	struct nlt_msg m;
};

FIXTURE_SETUP(family)
{
	ASSERT_EQ(0, nlt_open(&self->nl)) TH_LOG("memctl family not found: is memctl.ko loaded?");
}

FIXTURE_TEARDOWN(family)
{
	nlt_close(&self->nl);
}

struct info {
	char version[64];
	char kernel[128];
	uint32_t features, classes, max_policies, nr_policies;
	int seen;
};

static int info_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_INFO_MAX + 1];
	struct info *in = arg;

	nlt_parse(nlh, tb, MEMCTL_A_INFO_MAX);
	if (!tb[MEMCTL_A_INFO_VERSION] || !tb[MEMCTL_A_INFO_KERNEL] ||
	    !tb[MEMCTL_A_INFO_FEATURES] || !tb[MEMCTL_A_INFO_CLASSES] ||
	    !tb[MEMCTL_A_INFO_MAX_POLICIES] || !tb[MEMCTL_A_INFO_NR_POLICIES])
		return -EIO;
	snprintf(in->version, sizeof(in->version), "%s",
		 (const char *)nlt_data(tb[MEMCTL_A_INFO_VERSION]));
	snprintf(in->kernel, sizeof(in->kernel), "%s",
		 (const char *)nlt_data(tb[MEMCTL_A_INFO_KERNEL]));
	in->features = nlt_u32(tb[MEMCTL_A_INFO_FEATURES]);
	in->classes = nlt_u32(tb[MEMCTL_A_INFO_CLASSES]);
	in->max_policies = nlt_u32(tb[MEMCTL_A_INFO_MAX_POLICIES]);
	in->nr_policies = nlt_u32(tb[MEMCTL_A_INFO_NR_POLICIES]);
	in->seen++;
	return 0;
}

TEST_F(family, get_info)
{
	struct info in = {};
	struct utsname u;
	long long max;
	FILE *f;

	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_GET_INFO);
	ASSERT_EQ(0, nlt_talk(&self->nl, &self->m, info_cb, &in));
	ASSERT_EQ(1, in.seen);
	EXPECT_STREQ(MEMCTL_VERSION, in.version);
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ(u.release, in.kernel);
	EXPECT_TRUE(in.features & MEMCTL_F_FEAT_POLICY);
	EXPECT_EQ(0, in.features & ~__MEMCTL_F_FEAT_ALL);
	EXPECT_EQ(0, in.classes & ~__MEMCTL_F_CLASS_ALL);

	f = fopen("/sys/module/memctl/parameters/max_policies", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%lld", &max));
	fclose(f);
	EXPECT_EQ(max, in.max_policies);
	EXPECT_LE(in.nr_policies, in.max_policies);
}

/* Events go to subscribers only (events_test): no group to join. */
TEST_F(family, no_multicast_group)
{
	EXPECT_EQ(0, self->nl.nr_mcgrps);
}

TEST_F(family, unknown_attribute_refused)
{
	struct nlattr *a;

	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_GET_INFO);
	a = nlt_put(&self->m, MEMCTL_A_INFO_VERSION, "x", 2);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(-EINVAL, nlt_talk(&self->nl, &self->m, NULL, NULL));
	EXPECT_EQ((char *)a - self->m.buf, self->nl.err_attr_off);
}

TEST_F(family, unknown_command_refused)
{
	nlt_msg_init(&self->m, self->nl.family, 0, 200);
	EXPECT_EQ(-EOPNOTSUPP, nlt_talk(&self->nl, &self->m, NULL, NULL));
	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_UNSPEC);
	EXPECT_EQ(-EOPNOTSUPP, nlt_talk(&self->nl, &self->m, NULL, NULL));
}

TEST_F(family, notification_commands_refused)
{
	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_POLICY_NTF);
	EXPECT_EQ(-EOPNOTSUPP, nlt_talk(&self->nl, &self->m, NULL, NULL));
}

TEST_F(family, get_info_has_no_dump)
{
	nlt_msg_init(&self->m, self->nl.family, NLM_F_DUMP,
		     MEMCTL_CMD_GET_INFO);
	EXPECT_EQ(-EOPNOTSUPP, nlt_talk(&self->nl, &self->m, NULL, NULL));
}

TEST_F(family, reserved_header_field_refused)
{
	struct genlmsghdr *g;

	nlt_msg_init(&self->m, self->nl.family, 0, MEMCTL_CMD_GET_INFO);
	g = (struct genlmsghdr *)(self->m.buf + NLMSG_HDRLEN);
	g->reserved = 1;
	EXPECT_EQ(-EINVAL, nlt_talk(&self->nl, &self->m, NULL, NULL));
}

TEST_HARNESS_MAIN
