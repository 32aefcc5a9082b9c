// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl compressed tier: MEMCTL_CMD_TIER_SET, _GET, _DEL.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static const struct nla_policy tier_policy[MEMCTL_A_TIER_MAX + 1] = {
	[MEMCTL_A_TIER_DEVICE]		= MEMCTL__STR(MEMCTL_DEVICE_STR_MAX),
	[MEMCTL_A_TIER_SIZE]		= MEMCTL__U64,
	[MEMCTL_A_TIER_ALGO]		= MEMCTL__STR(MEMCTL_ALGO_NAME_MAX),
	[MEMCTL_A_TIER_IN_USE]		= MEMCTL__U8,
	[MEMCTL_A_TIER_STORED_PAGES]	= MEMCTL__U64,
	[MEMCTL_A_TIER_COMPRESSED_BYTES] = MEMCTL__U64,
	[MEMCTL_A_TIER_POOL_BYTES]	= MEMCTL__U64,
	[MEMCTL_A_TIER_SAME_FILLED_PAGES] = MEMCTL__U64,
	[MEMCTL_A_TIER_HUGE_PAGES]	= MEMCTL__U64,
	[MEMCTL_A_TIER_STORES]		= MEMCTL__U64,
	[MEMCTL_A_TIER_LOADS]		= MEMCTL__U64,
	[MEMCTL_A_TIER_FAILED_STORES]	= MEMCTL__U64,
	[MEMCTL_A_TIER_FAILED_LOADS]	= MEMCTL__U64,
	[MEMCTL_A_TIER_DISCARDS]	= MEMCTL__U64,
	[MEMCTL_A_TIER_EVENT]		= MEMCTL__U32,
	[MEMCTL_A_TIER_CGROUP_PATH]	= MEMCTL__STR(MEMCTL_CGROUP_PATH_MAX),
	[MEMCTL_A_TIER_CGROUP_ID]	= MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING]		= MEMCTL__STR(MEMCTL_BACKING_PATH_MAX),
	[MEMCTL_A_TIER_BACKING_AGE]	= MEMCTL__U32,
	[MEMCTL_A_TIER_BACKING_LIMIT]	= MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING_SIZE]	= MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING_PAGES]	= MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING_WRITTEN_BYTES] = MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING_READ_BYTES] = MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING_FAILED_WRITES] = MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING_FAILED_READS] = MEMCTL__U64,
	[MEMCTL_A_TIER_BACKING_LIMIT_STOPS] = MEMCTL__U64,
	[MEMCTL_A_TIER_WRITEBACK]	= MEMCTL__U32,
	[MEMCTL_A_TIER_WRITEBACK_PAGES]	= MEMCTL__U64,
};

int memctl__parse_tier(struct nlmsghdr *nlh, struct memctl_tier *t,
		       uint32_t *event, struct memctl_cgroup *cgroup)
{
	struct nlattr *tb[MEMCTL_A_TIER_MAX + 1];
	int err;

	err = memctl__genl_parse(nlh, tb, MEMCTL_A_TIER_MAX, tier_policy);
	if (err)
		return err;

	memset(t, 0, sizeof(*t));
	memctl__strattr(t->device, sizeof(t->device), tb[MEMCTL_A_TIER_DEVICE]);
	memctl__strattr(t->algo, sizeof(t->algo), tb[MEMCTL_A_TIER_ALGO]);
	t->size = memctl__u64(tb[MEMCTL_A_TIER_SIZE]);
	t->in_use = tb[MEMCTL_A_TIER_IN_USE] &&
		    nla_get_u8(tb[MEMCTL_A_TIER_IN_USE]);
	t->stored_pages = memctl__u64(tb[MEMCTL_A_TIER_STORED_PAGES]);
	t->compressed_bytes = memctl__u64(tb[MEMCTL_A_TIER_COMPRESSED_BYTES]);
	t->pool_bytes = memctl__u64(tb[MEMCTL_A_TIER_POOL_BYTES]);
	t->same_filled_pages = memctl__u64(tb[MEMCTL_A_TIER_SAME_FILLED_PAGES]);
	t->huge_pages = memctl__u64(tb[MEMCTL_A_TIER_HUGE_PAGES]);
	t->stores = memctl__u64(tb[MEMCTL_A_TIER_STORES]);
	t->loads = memctl__u64(tb[MEMCTL_A_TIER_LOADS]);
	t->failed_stores = memctl__u64(tb[MEMCTL_A_TIER_FAILED_STORES]);
	t->failed_loads = memctl__u64(tb[MEMCTL_A_TIER_FAILED_LOADS]);
	t->discards = memctl__u64(tb[MEMCTL_A_TIER_DISCARDS]);
	if (event)
		*event = memctl__u32(tb[MEMCTL_A_TIER_EVENT]);
	if (cgroup) {
		memset(cgroup, 0, sizeof(*cgroup));
		memctl__strattr(cgroup->path, sizeof(cgroup->path),
				tb[MEMCTL_A_TIER_CGROUP_PATH]);
		cgroup->id = memctl__u64(tb[MEMCTL_A_TIER_CGROUP_ID]);
	}
	return 0;
}

int memctl__tier_set(struct memctl *mc, uint64_t size, const char *algo,
		     const char *backing, uint64_t backing_limit,
		     uint32_t backing_age)
{
	struct nl_msg *msg;
	int err;

	if (!mc)
		return -EINVAL;
	if (algo && (!*algo || strlen(algo) >= MEMCTL_ALGO_NAME_MAX))
		return -EINVAL;
	if (backing && (!*backing ||
			strlen(backing) >= MEMCTL_BACKING_PATH_MAX))
		return -EINVAL;
	if (!backing && (backing_limit || backing_age))
		return -EINVAL;
	err = memctl__msg_new(mc, MEMCTL_CMD_TIER_SET, 0, &msg);
	if (err)
		return err;
	if (nla_put_u64(msg, MEMCTL_A_TIER_SIZE, size) < 0 ||
	    (algo && nla_put_string(msg, MEMCTL_A_TIER_ALGO, algo) < 0) ||
	    (backing &&
	     nla_put_string(msg, MEMCTL_A_TIER_BACKING, backing) < 0) ||
	    (backing_limit &&
	     nla_put_u64(msg, MEMCTL_A_TIER_BACKING_LIMIT, backing_limit) < 0) ||
	    (backing_age &&
	     nla_put_u32(msg, MEMCTL_A_TIER_BACKING_AGE, backing_age) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return memctl__request(mc, msg, NULL, NULL);
}

MEMCTL_API int memctl_tier_set(struct memctl *mc, uint64_t size,
			       const char *algo)
{
	return memctl__tier_set(mc, size, algo, NULL, 0, 0);
}

struct get_ctx {
	struct memctl_tier *out;
	bool got;
};

static int get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct get_ctx *ctx = arg;
	int err = memctl__parse_tier(nlh, ctx->out, NULL, NULL);

	ctx->got = !err;
	return err;
}

MEMCTL_API int memctl_tier_get(struct memctl *mc, struct memctl_tier *tier)
{
	struct get_ctx ctx = { .out = tier };
	struct nl_msg *msg;
	int err;

	if (!mc || !tier)
		return -EINVAL;
	err = memctl__msg_new(mc, MEMCTL_CMD_TIER_GET, 0, &msg);
	if (err)
		return err;
	err = memctl__request(mc, msg, get_reply, &ctx);
	if (!err && !ctx.got)
		err = -EPROTO;
	return err;
}

struct backing_ctx {
	struct memctl_tier_backing b;	/* what the library knows */
	bool got;
};

static int backing_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[MEMCTL_A_TIER_MAX + 1];
	struct backing_ctx *ctx = arg;
	struct memctl_tier_backing *b = &ctx->b;
	int err;

	err = memctl__genl_parse(nlh, tb, MEMCTL_A_TIER_MAX, tier_policy);
	if (err)
		return err;
	ctx->got = true;
	b->present = tb[MEMCTL_A_TIER_BACKING];
	memctl__strattr(b->path, sizeof(b->path), tb[MEMCTL_A_TIER_BACKING]);
	b->age = memctl__u32(tb[MEMCTL_A_TIER_BACKING_AGE]);
	b->limit = memctl__u64(tb[MEMCTL_A_TIER_BACKING_LIMIT]);
	b->size = memctl__u64(tb[MEMCTL_A_TIER_BACKING_SIZE]);
	b->pages = memctl__u64(tb[MEMCTL_A_TIER_BACKING_PAGES]);
	b->written_bytes = memctl__u64(tb[MEMCTL_A_TIER_BACKING_WRITTEN_BYTES]);
	b->read_bytes = memctl__u64(tb[MEMCTL_A_TIER_BACKING_READ_BYTES]);
	b->failed_writes = memctl__u64(tb[MEMCTL_A_TIER_BACKING_FAILED_WRITES]);
	b->failed_reads = memctl__u64(tb[MEMCTL_A_TIER_BACKING_FAILED_READS]);
	b->limit_stops = memctl__u64(tb[MEMCTL_A_TIER_BACKING_LIMIT_STOPS]);
	return 0;
}

MEMCTL_API int memctl_tier_backing_get(struct memctl *mc,
				       struct memctl_tier_backing *backing)
{
	struct backing_ctx ctx;
	struct nl_msg *msg;
	size_t sz;
	int err;

	if (!mc || !backing)
		return -EINVAL;
	sz = backing->sz;
	/* A later, larger structure: up to 64 KiB. */
	if (sz < sizeof(sz) || sz > 65536)
		return -EINVAL;
	memset(&ctx, 0, sizeof(ctx));
	err = memctl__msg_new(mc, MEMCTL_CMD_TIER_GET, 0, &msg);
	if (err)
		return err;
	err = memctl__request(mc, msg, backing_reply, &ctx);
	if (!err && !ctx.got)
		err = -EPROTO;
	if (err)
		return err;
	/* As much as the caller's structure holds; the rest zeroed. */
	ctx.b.sz = sz;
	if (sz <= sizeof(ctx.b)) {
		memcpy(backing, &ctx.b, sz);
	} else {
		memcpy(backing, &ctx.b, sizeof(ctx.b));
		memset((char *)backing + sizeof(ctx.b), 0, sz - sizeof(ctx.b));
	}
	return 0;
}

struct writeback_ctx {
	uint64_t written;
	bool got;
};

static int writeback_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[MEMCTL_A_TIER_MAX + 1];
	struct writeback_ctx *ctx = arg;
	int err;

	err = memctl__genl_parse(nlh, tb, MEMCTL_A_TIER_MAX, tier_policy);
	if (err)
		return err;
	ctx->got = true;
	ctx->written = memctl__u64(tb[MEMCTL_A_TIER_WRITEBACK_PAGES]);
	return 0;
}

MEMCTL_API int memctl_tier_writeback(struct memctl *mc, uint32_t mode,
				     uint64_t *written)
{
	struct writeback_ctx ctx = { 0 };
	struct nl_msg *msg;
	int err;

	if (!mc || mode < MEMCTL_TIER_WRITEBACK_IDLE ||
	    mode > MEMCTL_TIER_WRITEBACK_ALL)
		return -EINVAL;
	err = memctl__msg_new(mc, MEMCTL_CMD_TIER_WRITEBACK, 0, &msg);
	if (err)
		return err;
	if (nla_put_u32(msg, MEMCTL_A_TIER_WRITEBACK, mode) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = memctl__request(mc, msg, writeback_reply, &ctx);
	if (!err && !ctx.got)
		err = -EPROTO;
	if (!err && written)
		*written = ctx.written;
	return err;
}

MEMCTL_API int memctl_tier_del(struct memctl *mc)
{
	struct nl_msg *msg;
	int err;

	if (!mc)
		return -EINVAL;
	err = memctl__msg_new(mc, MEMCTL_CMD_TIER_DEL, 0, &msg);
	if (err)
		return err;
	return memctl__request(mc, msg, NULL, NULL);
}
