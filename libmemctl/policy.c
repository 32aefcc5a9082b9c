// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl policies: MEMCTL_CMD_POLICY_SET, _GET (do and dump), _DEL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const struct nla_policy policy_policy[MEMCTL_A_POLICY_MAX + 1] = {
	[MEMCTL_A_POLICY_CGROUP_PATH]	= MEMCTL__STR(MEMCTL_CGROUP_PATH_MAX),
	[MEMCTL_A_POLICY_CGROUP_ID]	= MEMCTL__U64,
	[MEMCTL_A_POLICY_HIGH]		= MEMCTL__U64,
	[MEMCTL_A_POLICY_TARGET]	= MEMCTL__U64,
	[MEMCTL_A_POLICY_INTERVAL]	= MEMCTL__U32,
	[MEMCTL_A_POLICY_CLASSES]	= MEMCTL__U32,
	[MEMCTL_A_POLICY_SLAB_FIRST]	= MEMCTL__U32,
	[MEMCTL_A_POLICY_PRESSURE]	= MEMCTL__U32,
	[MEMCTL_A_POLICY_TIER]		= MEMCTL__U8,
	[MEMCTL_A_POLICY_TIER_MAX]	= MEMCTL__U64,
	[MEMCTL_A_POLICY_EVENT]		= MEMCTL__U32,
	[MEMCTL_A_POLICY_MODE]		= MEMCTL__U32,
	[MEMCTL_A_POLICY_MIN]		= MEMCTL__U64,
};

int memctl__parse_policy(struct nlmsghdr *nlh, struct memctl_policy *p,
			 uint32_t *event)
{
	struct nlattr *tb[MEMCTL_A_POLICY_MAX + 1];
	int err;

	err = memctl__genl_parse(nlh, tb, MEMCTL_A_POLICY_MAX, policy_policy);
	if (err)
		return err;

	memset(p, 0, sizeof(*p));
	memctl__strattr(p->cgroup.path, sizeof(p->cgroup.path),
			tb[MEMCTL_A_POLICY_CGROUP_PATH]);
	p->cgroup.id = memctl__u64(tb[MEMCTL_A_POLICY_CGROUP_ID]);
	if (tb[MEMCTL_A_POLICY_HIGH]) {
		p->set |= MEMCTL_POLICY_F_HIGH;
		p->high = nla_get_u64(tb[MEMCTL_A_POLICY_HIGH]);
	}
	if (tb[MEMCTL_A_POLICY_TARGET]) {
		p->set |= MEMCTL_POLICY_F_TARGET;
		p->target = nla_get_u64(tb[MEMCTL_A_POLICY_TARGET]);
	}
	if (tb[MEMCTL_A_POLICY_INTERVAL]) {
		p->set |= MEMCTL_POLICY_F_INTERVAL;
		p->interval_ms = nla_get_u32(tb[MEMCTL_A_POLICY_INTERVAL]);
	}
	if (tb[MEMCTL_A_POLICY_CLASSES]) {
		p->set |= MEMCTL_POLICY_F_CLASSES;
		p->classes = nla_get_u32(tb[MEMCTL_A_POLICY_CLASSES]);
	}
	if (tb[MEMCTL_A_POLICY_SLAB_FIRST]) {
		p->set |= MEMCTL_POLICY_F_SLAB_FIRST;
		p->slab_first = nla_get_u32(tb[MEMCTL_A_POLICY_SLAB_FIRST]);
	}
	if (tb[MEMCTL_A_POLICY_PRESSURE]) {
		p->set |= MEMCTL_POLICY_F_PRESSURE;
		p->pressure_us = nla_get_u32(tb[MEMCTL_A_POLICY_PRESSURE]);
	}
	if (tb[MEMCTL_A_POLICY_TIER]) {
		p->set |= MEMCTL_POLICY_F_TIER;
		p->tier = nla_get_u8(tb[MEMCTL_A_POLICY_TIER]) != 0;
	}
	if (tb[MEMCTL_A_POLICY_TIER_MAX]) {
		p->set |= MEMCTL_POLICY_F_TIER_MAX;
		p->tier_max = nla_get_u64(tb[MEMCTL_A_POLICY_TIER_MAX]);
	}
	if (tb[MEMCTL_A_POLICY_MODE]) {
		p->set |= MEMCTL_POLICY_F_MODE;
		p->mode = nla_get_u32(tb[MEMCTL_A_POLICY_MODE]);
	}
	if (tb[MEMCTL_A_POLICY_MIN]) {
		p->set |= MEMCTL_POLICY_F_MIN;
		p->min = nla_get_u64(tb[MEMCTL_A_POLICY_MIN]);
	}
	if (event)
		*event = memctl__u32(tb[MEMCTL_A_POLICY_EVENT]);
	return 0;
}

MEMCTL_API int memctl_policy_set(struct memctl *mc,
				 const struct memctl_policy *p)
{
	struct nl_msg *msg;
	int err;

	if (!mc || !p)
		return -EINVAL;
	if (strnlen(p->cgroup.path, sizeof(p->cgroup.path)) ==
	    sizeof(p->cgroup.path))
		return -ENAMETOOLONG;
	err = memctl__msg_new(mc, MEMCTL_CMD_POLICY_SET, 0, &msg);
	if (err)
		return err;
	err = memctl__put_cgroup(msg, MEMCTL_A_POLICY_CGROUP_PATH,
				 MEMCTL_A_POLICY_CGROUP_ID, p->cgroup.path,
				 p->cgroup.id);
	if (err)
		goto fail;
	err = -ENOMEM;
	if ((p->set & MEMCTL_POLICY_F_MODE) &&
	    nla_put_u32(msg, MEMCTL_A_POLICY_MODE, p->mode) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_MIN) &&
	    nla_put_u64(msg, MEMCTL_A_POLICY_MIN, p->min) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_HIGH) &&
	    nla_put_u64(msg, MEMCTL_A_POLICY_HIGH, p->high) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_TARGET) &&
	    nla_put_u64(msg, MEMCTL_A_POLICY_TARGET, p->target) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_INTERVAL) &&
	    nla_put_u32(msg, MEMCTL_A_POLICY_INTERVAL, p->interval_ms) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_CLASSES) &&
	    nla_put_u32(msg, MEMCTL_A_POLICY_CLASSES, p->classes) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_SLAB_FIRST) &&
	    nla_put_u32(msg, MEMCTL_A_POLICY_SLAB_FIRST, p->slab_first) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_PRESSURE) &&
	    nla_put_u32(msg, MEMCTL_A_POLICY_PRESSURE, p->pressure_us) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_TIER) &&
	    nla_put_u8(msg, MEMCTL_A_POLICY_TIER, p->tier ? 1 : 0) < 0)
		goto fail;
	if ((p->set & MEMCTL_POLICY_F_TIER_MAX) &&
	    nla_put_u64(msg, MEMCTL_A_POLICY_TIER_MAX, p->tier_max) < 0)
		goto fail;
	return memctl__request(mc, msg, NULL, NULL);
fail:
	nlmsg_free(msg);
	return err;
}

struct get_ctx {
	struct memctl_policy *out;
	bool got;
};

static int get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct get_ctx *ctx = arg;
	int err = memctl__parse_policy(nlh, ctx->out, NULL);

	ctx->got = !err;
	return err;
}

/* A POLICY_GET or POLICY_DEL for one cgroup. */
static int policy_one(struct memctl *mc, uint8_t cmd, const char *cgroup,
		      uint64_t id, memctl__msg_fn fn, void *arg)
{
	struct nl_msg *msg;
	int err;

	err = memctl__msg_new(mc, cmd, 0, &msg);
	if (err)
		return err;
	err = memctl__put_cgroup(msg, MEMCTL_A_POLICY_CGROUP_PATH,
				 MEMCTL_A_POLICY_CGROUP_ID, cgroup, id);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return memctl__request(mc, msg, fn, arg);
}

MEMCTL_API int memctl_policy_get(struct memctl *mc, const char *cgroup,
				 uint64_t id, struct memctl_policy *policy)
{
	struct get_ctx ctx = { .out = policy };
	int err;

	if (!mc || !policy)
		return -EINVAL;
	err = policy_one(mc, MEMCTL_CMD_POLICY_GET, cgroup, id, get_reply, &ctx);
	if (!err && !ctx.got)
		err = -EPROTO;
	return err;
}

MEMCTL_API int memctl_policy_del(struct memctl *mc, const char *cgroup,
				 uint64_t id)
{
	if (!mc)
		return -EINVAL;
	return policy_one(mc, MEMCTL_CMD_POLICY_DEL, cgroup, id, NULL, NULL);
}

struct foreach_ctx {
	memctl_policy_cb cb;
	void *arg;
	struct memctl_policy *p;
};

static int foreach_one(struct nlmsghdr *nlh, void *arg)
{
	struct foreach_ctx *ctx = arg;
	int err = memctl__parse_policy(nlh, ctx->p, NULL);

	if (err)
		return err;
	return ctx->cb(ctx->p, ctx->arg);
}

MEMCTL_API int memctl_policy_foreach(struct memctl *mc, memctl_policy_cb cb,
				     void *arg)
{
	struct foreach_ctx ctx = { .cb = cb, .arg = arg };
	int err;

	if (!mc || !cb)
		return -EINVAL;
	ctx.p = malloc(sizeof(*ctx.p));
	if (!ctx.p)
		return -ENOMEM;
	err = memctl__dump(mc, MEMCTL_CMD_POLICY_GET, foreach_one, &ctx);
	free(ctx.p);
	return err;
}
