// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl statistics and one-shot reclaim: MEMCTL_CMD_STATS_GET (do and
 * dump) and MEMCTL_CMD_RECLAIM.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "opts.h"
#include "stats_fields.h"

/*
 * Where each STATS_GET attribute goes in struct memctl_stats, its size and
 * the bit of @present it sets: rows are parsed in one pass straight into
 * the structure (a dump of thousands of rows spends its time here).  The
 * statistics come from their one declaration in stats_fields.h; the
 * cgroup's id is not one of them, and the path is handled apart.
 */
#define F(attr, field, has) \
	[attr] = { offsetof(struct memctl_stats, field), \
		   sizeof(((struct memctl_stats *)0)->field), has }
#define STAT(ATTR, field, SUM, HAS, ...) \
	F(MEMCTL_A_STATS_##ATTR, field, MEMCTL__HAS_##HAS),
static const struct {
	uint16_t off;
	uint8_t size;
	uint8_t has;		/* MEMCTL_STATS_HAS_* */
} stats_fields[MEMCTL_A_STATS_MAX + 1] = {
	F(MEMCTL_A_STATS_CGROUP_ID, cgroup.id, 0),
	MEMCTL_STATS_FIELDS(STAT)
};
#undef STAT
#undef F

/*
 * Every attribute after the cgroup's has its row: a new attribute without
 * one would be dropped silently.
 */
#define ONE(...) + 1
_Static_assert(0 MEMCTL_STATS_FIELDS(ONE) ==
	       MEMCTL_A_STATS_MAX - MEMCTL_A_STATS_CGROUP_ID,
	       "a MEMCTL_A_STATS_* attribute has no row in stats_fields.h");
#undef ONE

/*
 * struct memctl_cgroup_stats has every statistic where struct memctl_stats
 * has it, relative to @usage, so that one table serves both.
 */
#define SAME(ATTR, field, ...) \
	_Static_assert(offsetof(struct memctl_cgroup_stats, field) - \
		       offsetof(struct memctl_cgroup_stats, usage) == \
		       offsetof(struct memctl_stats, field) - \
		       offsetof(struct memctl_stats, usage) && \
		       sizeof(((struct memctl_cgroup_stats *)0)->field) == \
		       sizeof(((struct memctl_stats *)0)->field), \
		       "struct memctl_cgroup_stats." #field " is not where " \
		       "struct memctl_stats has it");
MEMCTL_STATS_FIELDS(SAME)
#undef SAME
_Static_assert(offsetof(struct memctl_stats, cgroup.id) == 0 &&
	       offsetof(struct memctl_cgroup_stats, cgroup.id) == 0,
	       "the cgroup's id comes first");
_Static_assert(sizeof(struct memctl_cgroup_stats) - 
	       offsetof(struct memctl_cgroup_stats, usage) >=
	       sizeof(struct memctl_stats) -
	       offsetof(struct memctl_stats, usage),
	       "struct memctl_cgroup_stats is shorter than its statistics");

/* How each statistic adds up, for memctl_stats_sum(). */
#define STAT(ATTR, field, SUM, ...) \
	{ offsetof(struct memctl_stats, field), \
	  sizeof(((struct memctl_stats *)0)->field), MEMCTL__SUM_##SUM },
static const struct {
	uint16_t off;
	uint8_t size;
	uint8_t sum;		/* enum memctl__stats_sum */
} stats_sums[] = {
	MEMCTL_STATS_FIELDS(STAT)
};
#undef STAT

/*
 * Fills the row at @s, which the caller has zeroed, from a STATS_GET
 * message: a struct memctl_stats (@delta 0, @path NULL: the path is copied
 * into it) or a struct memctl_cgroup_stats (@delta MEMCTL__STATS_DELTA,
 * and *@path set to the path inside the message, or left alone).  As
 * strict as memctl__genl_parse(): a malformed attribute, an integer of the
 * wrong size or a bad path fails the row with -EPROTO; unknown attributes
 * are skipped; a repeated one keeps the last.
 */
static int stats_parse_at(const struct nlmsghdr *nlh, char *s,
			  ptrdiff_t delta, const char **path)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	const char *p, *end;

	if (nlh->nlmsg_len < hdr)
		return -EPROTO;
	p = (const char *)nlh + hdr;
	end = (const char *)nlh + nlh->nlmsg_len;
	while (end - p >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		const char *data = p + NLA_HDRLEN;
		int type = a->nla_type & NLA_TYPE_MASK;
		int len = a->nla_len - NLA_HDRLEN;
		size_t off;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > end - p)
			return -EPROTO;
		p += NLA_ALIGN(a->nla_len);
		if (type <= 0 || type > MEMCTL_A_STATS_MAX)
			continue;
		if (type == MEMCTL_A_STATS_CGROUP_PATH) {
			char *dst = s + offsetof(struct memctl_stats,
						 cgroup.path);
			size_t old;

			if (len < 1 || len > MEMCTL_CGROUP_PATH_MAX ||
			    strnlen(data, len) != (size_t)len - 1)
				return -EPROTO;
			if (path) {
				*path = data;
				continue;
			}
			old = strlen(dst);
			memcpy(dst, data, len);
			if (old >= (size_t)len)	/* a repeated, longer one */
				memset(dst + len, 0, old + 1 - len);
			continue;
		}
		if (!stats_fields[type].size)
			continue;
		if (len != stats_fields[type].size)
			return -EPROTO;
		/* The id comes first in both structures. */
		off = stats_fields[type].off;
		if (type != MEMCTL_A_STATS_CGROUP_ID)
			off += delta;
		if (stats_fields[type].has)
			*(uint32_t *)(s + offsetof(struct memctl_stats, present) +
				      delta) |= stats_fields[type].has;
		/* Constant sizes: the copies compile to single moves. */
		if (len == sizeof(uint64_t))
			memcpy(s + off, data, sizeof(uint64_t));
		else
			memcpy(s + off, data, sizeof(uint32_t));
	}
	return 0;
}

static int stats_parse(const struct nlmsghdr *nlh, struct memctl_stats *s)
{
	return stats_parse_at(nlh, (char *)s, 0, NULL);
}

int memctl__parse_stats(struct nlmsghdr *nlh, struct memctl_stats *s)
{
	memset(s, 0, sizeof(*s));
	return stats_parse(nlh, s);
}

struct get_ctx {
	struct memctl_stats *out;
	bool got;
};

static int get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct get_ctx *ctx = arg;
	int err = memctl__parse_stats(nlh, ctx->out);

	ctx->got = !err;
	return err;
}

/* STATS_GET of one cgroup, its reply to @cb. */
static int stats_get_one(struct memctl *mc, const char *cgroup, uint64_t id,
			 memctl__msg_fn cb, void *ctx)
{
	struct nl_msg *msg;
	int err;

	err = memctl__msg_new(mc, MEMCTL_CMD_STATS_GET, 0, &msg);
	if (err)
		return err;
	err = memctl__put_cgroup(msg, MEMCTL_A_STATS_CGROUP_PATH,
				 MEMCTL_A_STATS_CGROUP_ID, cgroup, id);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return memctl__request(mc, msg, cb, ctx);
}

MEMCTL_API int memctl_stats_get(struct memctl *mc, const char *cgroup,
				uint64_t id, struct memctl_stats *stats)
{
	struct get_ctx ctx = { .out = stats };
	int err;

	if (!mc || !stats)
		return -EINVAL;
	err = stats_get_one(mc, cgroup, id, get_reply, &ctx);
	if (!err && !ctx.got)
		err = -EPROTO;
	return err;
}

struct foreach_ctx {
	memctl_stats_cb cb;
	void *arg;
	struct memctl_stats *s;
};

static int foreach_one(struct nlmsghdr *nlh, void *arg)
{
	struct foreach_ctx *ctx = arg;
	struct memctl_stats *s = ctx->s;
	int err;

	/*
	 * @s was zeroed once; clear only what the last row set, not the 4 KiB
	 * path buffer each time: a dump of thousands of rows feels that.
	 */
	s->cgroup.id = 0;
	memset(s->cgroup.path, 0, strlen(s->cgroup.path));
	memset(&s->usage, 0, sizeof(*s) - offsetof(struct memctl_stats, usage));
	err = stats_parse(nlh, s);
	if (err)
		return err;
	return ctx->cb(s, ctx->arg);
}

MEMCTL_API int memctl_stats_foreach(struct memctl *mc, memctl_stats_cb cb,
				    void *arg)
{
	struct foreach_ctx ctx = { .cb = cb, .arg = arg };
	int err;

	if (!mc || !cb)
		return -EINVAL;
	ctx.s = calloc(1, sizeof(*ctx.s));
	if (!ctx.s)
		return -ENOMEM;
	err = memctl__dump(mc, MEMCTL_CMD_STATS_GET, foreach_one, &ctx);
	free(ctx.s);
	return err;
}

static const struct nla_policy reclaim_policy[MEMCTL_A_RECLAIM_MAX + 1] = {
	[MEMCTL_A_RECLAIM_CGROUP_PATH]	= MEMCTL__STR(MEMCTL_CGROUP_PATH_MAX),
	[MEMCTL_A_RECLAIM_CGROUP_ID]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_BYTES]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_CLASSES]	= MEMCTL__U32,
	[MEMCTL_A_RECLAIM_FREED_SLAB]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_FREED_FILE]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_FREED_ANON]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_DURATION]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_STEPS]	= MEMCTL__U32,
	[MEMCTL_A_RECLAIM_STOP]		= MEMCTL__U32,
	[MEMCTL_A_RECLAIM_TRIGGER]	= MEMCTL__U32,
	[MEMCTL_A_RECLAIM_USAGE_BEFORE]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_USAGE_AFTER]	= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_CPU]		= MEMCTL__U64,
	[MEMCTL_A_RECLAIM_AUTO_WORKING_SET] = MEMCTL__U64,
	[MEMCTL_A_RECLAIM_AUTO_SAVED]	= MEMCTL__U64,
};

int memctl__parse_reclaim(struct nlmsghdr *nlh, struct memctl_reclaim_result *r)
{
	struct nlattr *tb[MEMCTL_A_RECLAIM_MAX + 1];
	int err;

	err = memctl__genl_parse(nlh, tb, MEMCTL_A_RECLAIM_MAX, reclaim_policy);
	if (err)
		return err;

	memset(r, 0, sizeof(*r));
	memctl__strattr(r->cgroup.path, sizeof(r->cgroup.path),
			tb[MEMCTL_A_RECLAIM_CGROUP_PATH]);
	r->cgroup.id = memctl__u64(tb[MEMCTL_A_RECLAIM_CGROUP_ID]);
	r->requested = memctl__u64(tb[MEMCTL_A_RECLAIM_BYTES]);
	r->classes = memctl__u32(tb[MEMCTL_A_RECLAIM_CLASSES]);
	r->freed_slab = memctl__u64(tb[MEMCTL_A_RECLAIM_FREED_SLAB]);
	r->freed_file = memctl__u64(tb[MEMCTL_A_RECLAIM_FREED_FILE]);
	r->freed_anon = memctl__u64(tb[MEMCTL_A_RECLAIM_FREED_ANON]);
	r->duration_ns = memctl__u64(tb[MEMCTL_A_RECLAIM_DURATION]);
	r->steps = memctl__u32(tb[MEMCTL_A_RECLAIM_STEPS]);
	r->stop = memctl__u32(tb[MEMCTL_A_RECLAIM_STOP]);
	r->trigger = memctl__u32(tb[MEMCTL_A_RECLAIM_TRIGGER]);
	r->usage_before = memctl__u64(tb[MEMCTL_A_RECLAIM_USAGE_BEFORE]);
	r->usage_after = memctl__u64(tb[MEMCTL_A_RECLAIM_USAGE_AFTER]);
	r->cpu_ns = memctl__u64(tb[MEMCTL_A_RECLAIM_CPU]);
	r->auto_working_set =
		memctl__u64(tb[MEMCTL_A_RECLAIM_AUTO_WORKING_SET]);
	r->auto_saved = memctl__u64(tb[MEMCTL_A_RECLAIM_AUTO_SAVED]);
	return 0;
}

struct reclaim_ctx {
	struct memctl_reclaim_result *out;
	bool got;
};

static int reclaim_reply(struct nlmsghdr *nlh, void *arg)
{
	struct reclaim_ctx *ctx = arg;
	int err = memctl__parse_reclaim(nlh, ctx->out);

	ctx->got = !err;
	return err;
}

MEMCTL_API int memctl_reclaim(struct memctl *mc, const char *cgroup,
			      uint64_t id, uint64_t bytes, uint32_t classes,
			      struct memctl_reclaim_result *result)
{
	struct memctl_reclaim_result *res = result;
	struct reclaim_ctx ctx;
	struct nl_msg *msg;
	int err;

	if (!mc)
		return -EINVAL;
	if (!res) {
		res = malloc(sizeof(*res));
		if (!res)
			return -ENOMEM;
	}
	ctx.out = res;
	ctx.got = false;

	err = memctl__msg_new(mc, MEMCTL_CMD_RECLAIM, 0, &msg);
	if (err)
		goto out;
	err = memctl__put_cgroup(msg, MEMCTL_A_RECLAIM_CGROUP_PATH,
				 MEMCTL_A_RECLAIM_CGROUP_ID, cgroup, id);
	if (!err && nla_put_u64(msg, MEMCTL_A_RECLAIM_BYTES, bytes) < 0)
		err = -ENOMEM;
	if (!err && classes &&
	    nla_put_u32(msg, MEMCTL_A_RECLAIM_CLASSES, classes) < 0)
		err = -ENOMEM;
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = memctl__request_answer(mc, msg, reclaim_reply, &ctx);
	if (!err && !ctx.got)
		err = -EPROTO;
	if (!err) {
		/* Fill in what we asked if the reply did not echo it. */
		if (!res->requested)
			res->requested = bytes;
		if (!res->classes)
			res->classes = classes ? classes : MEMCTL_CLASSES_DEFAULT;
		if (!res->cgroup.path[0] && cgroup)
			snprintf(res->cgroup.path, sizeof(res->cgroup.path),
				 "%s", cgroup);
		if (!res->cgroup.id)
			res->cgroup.id = id;
	}
out:
	if (res != result)
		free(res);
	return err;
}

MEMCTL_API int memctl_reclaim_opts(struct memctl *mc, const char *cgroup,
				   uint64_t id, uint64_t bytes,
				   const struct memctl_reclaim_opts *opts,
				   struct memctl_reclaim_result *result)
{
	int err = MEMCTL__OPTS_CHECK(opts, classes);
	uint64_t classes;

	if (err)
		return err;
	classes = MEMCTL__OPT(opts, classes, 0);
	if (classes > UINT32_MAX)
		return -EINVAL;
	return memctl_reclaim(mc, cgroup, id, bytes, (uint32_t)classes,
			      result);
}

/* @a + @b, or UINT64_MAX when that does not fit. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* *@total += *@v, saturating, for a field of @size bytes (4 or 8). */
static void sum_field(void *total, const void *v, size_t size)
{
	uint64_t t = 0, x = 0, max = size == sizeof(uint64_t) ? UINT64_MAX :
							       UINT32_MAX;

	/* Little or big endian alike: a u32 is read into a u32. */
	if (size == sizeof(uint64_t)) {
		memcpy(&t, total, size);
		memcpy(&x, v, size);
	} else {
		uint32_t t32, x32;

		memcpy(&t32, total, sizeof(t32));
		memcpy(&x32, v, sizeof(x32));
		t = t32;
		x = x32;
	}
	t = add_sat(t, x);
	if (t > max)
		t = max;
	if (size == sizeof(uint64_t)) {
		memcpy(total, &t, size);
	} else {
		uint32_t t32 = (uint32_t)t;

		memcpy(total, &t32, sizeof(t32));
	}
}

struct path_ref {
	const char *path;
	size_t index;
};

/* By path, then by index: twins sort in the order of @rows. */
static int path_ref_cmp(const void *a, const void *b)
{
	const struct path_ref *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The first entry of @refs (sorted) whose path is @path, or NULL. */
static const struct path_ref *find_path(const struct path_ref *refs, size_t n,
					const char *path)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(refs[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(refs[lo].path, path) ? &refs[lo] : NULL;
}

/*
 * Does @path (of row @index) have an ancestor, or an earlier twin, among
 * @refs?  Its ancestors are "/" and its prefixes that end before a '/':
 * each is looked up, O(depth * log n).
 */
static bool is_nested(const struct path_ref *refs, size_t n, const char *path,
		      size_t index, char *buf)
{
	const struct path_ref *twin = find_path(refs, n, path);
	size_t len;

	if (twin && twin->index < index)
		return true;
	if (!strcmp(path, "/"))
		return false;
	if (find_path(refs, n, "/"))
		return true;
	for (len = 1; path[len]; len++) {
		if (path[len] != '/')
			continue;
		memcpy(buf, path, len);
		buf[len] = '\0';
		if (find_path(refs, n, buf))
			return true;
	}
	return false;
}

/* Row @i of @rows, an array of either structure. */
struct rows {
	const char *base;
	size_t stride;
	ptrdiff_t delta;	/* MEMCTL__STATS_DELTA for memctl_cgroup_stats */
};

static const char *row_at(const struct rows *r, size_t i)
{
	return r->base + i * r->stride;
}

static const char *row_path(const struct rows *r, size_t i)
{
	const char *row = row_at(r, i);
	const char *path;

	if (!r->delta)
		return ((const struct memctl_stats *)(const void *)row)->cgroup.path;
	path = ((const struct memctl_cgroup_stats *)(const void *)row)->cgroup.path;
	return path ? path : "";
}

/* memctl_stats_sum() over @n rows of @r into @total (zeroed, same kind). */
static int sum_rows(const struct rows *r, size_t n, char *total)
{
	struct path_ref *refs = NULL;
	size_t i, nrefs = 0;
	char *buf = NULL;
	int top = 0;

	/* The rows with a path, sorted, to find ancestors fast. */
	if (n) {
		refs = malloc(n * sizeof(*refs));
		buf = malloc(MEMCTL_CGROUP_PATH_MAX);
		if (!refs || !buf) {
			free(refs);
			free(buf);
			return -ENOMEM;
		}
	}
	for (i = 0; i < n; i++) {
		const char *path = row_path(r, i);

		if (path[0]) {
			refs[nrefs].path = path;
			refs[nrefs++].index = i;
		}
	}
	if (nrefs)
		qsort(refs, nrefs, sizeof(*refs), path_ref_cmp);

	for (i = 0; i < n; i++) {
		const char *s = row_at(r, i), *path = row_path(r, i);
		bool nested = path[0] && is_nested(refs, nrefs, path, i, buf);
		uint32_t present;
		size_t f;

		/*
		 * memctl's own counters over every row; what the subtree
		 * holds once per top-level cgroup.
		 */
		if (!nested)
			top++;
		memcpy(&present, s + offsetof(struct memctl_stats, present) +
		       r->delta, sizeof(present));
		*(uint32_t *)(total + offsetof(struct memctl_stats, present) +
			      r->delta) |= present;
		for (f = 0; f < ARRAY_SIZE(stats_sums); f++) {
			if (stats_sums[f].sum == MEMCTL__SUM_LAST ||
			    (stats_sums[f].sum == MEMCTL__SUM_SUBTREE && nested))
				continue;
			sum_field(total + stats_sums[f].off + r->delta,
				  s + stats_sums[f].off + r->delta,
				  stats_sums[f].size);
		}
	}
	free(refs);
	free(buf);
	return top;
}

MEMCTL_API int memctl_stats_sum(const struct memctl_stats *rows, size_t n,
				struct memctl_stats *total)
{
	struct rows r = { (const char *)rows, sizeof(*rows), 0 };

	if (!total || (!rows && n))
		return -EINVAL;
	memset(total, 0, sizeof(*total));
	return sum_rows(&r, n, (char *)total);
}

MEMCTL_API int memctl_cgroup_stats_sum(const struct memctl_cgroup_stats *rows,
				       size_t n,
				       struct memctl_cgroup_stats *total)
{
	struct rows r = { (const char *)rows, sizeof(*rows),
			  MEMCTL__STATS_DELTA };

	if (!total || (!rows && n))
		return -EINVAL;
	memset(total, 0, sizeof(*total));
	total->cgroup.path = "";
	return sum_rows(&r, n, (char *)total);
}

/* ---- struct memctl_cgroup_stats ---- */

struct cgstats_get {
	struct memctl *mc;
	struct memctl_cgroup_stats *out;
	bool got;
};

static int cgstats_get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct cgstats_get *ctx = arg;
	const char *path = NULL;
	int err;

	memset(ctx->out, 0, sizeof(*ctx->out));
	err = stats_parse_at(nlh, (char *)ctx->out, MEMCTL__STATS_DELTA, &path);
	if (err)
		return err;
	/* The message goes when the request ends: the path stays in @mc. */
	if (!ctx->mc->path_buf) {
		ctx->mc->path_buf = malloc(MEMCTL_CGROUP_PATH_MAX);
		if (!ctx->mc->path_buf)
			return -ENOMEM;
	}
	snprintf(ctx->mc->path_buf, MEMCTL_CGROUP_PATH_MAX, "%s",
		 path ? path : "");
	ctx->out->cgroup.path = ctx->mc->path_buf;
	ctx->got = true;
	return 0;
}

MEMCTL_API int memctl_cgroup_stats_get(struct memctl *mc, const char *cgroup,
				       uint64_t id,
				       struct memctl_cgroup_stats *stats)
{
	struct cgstats_get ctx = { .mc = mc, .out = stats };
	int err;

	if (!mc || !stats)
		return -EINVAL;
	err = stats_get_one(mc, cgroup, id, cgstats_get_reply, &ctx);
	if (!err && !ctx.got)
		err = -EPROTO;
	if (!err)
		return 0;
	memset(stats, 0, sizeof(*stats));
	stats->cgroup.path = "";
	return err;
}

/*
 * The array of memctl_cgroup_stats_list(): a header, then the rows.  The
 * paths, NUL-terminated, go into blocks that never move, so that a row
 * points at its path at once and nothing is copied as the list grows.
 */
struct path_block {
	struct path_block *next;
	size_t used, cap;
	char data[];
};

#define PATH_BLOCK_SIZE	(64 * 1024)

struct cgstats_list {
	struct path_block *paths;	/* the newest first */
	size_t n, cap;
	uint64_t pad;			/* the rows start 8-byte aligned */
	/* the rows follow */
};

#define LIST_ROWS(l) \
	((struct memctl_cgroup_stats *)(void *)((char *)(l) + \
		sizeof(struct cgstats_list)))

_Static_assert(sizeof(struct cgstats_list) %
	       _Alignof(struct memctl_cgroup_stats) == 0,
	       "the rows after the list's header are aligned");

struct list_ctx {
	struct cgstats_list *l;
	size_t first_cap;		/* rows to make room for at first */
};

static void paths_free(struct path_block *b)
{
	while (b) {
		struct path_block *next = b->next;

		free(b);
		b = next;
	}
}

static void list_reset(void *arg)
{
	struct list_ctx *ctx = arg;

	if (ctx->l) {
		ctx->l->n = 0;
		paths_free(ctx->l->paths);
		ctx->l->paths = NULL;
	}
}

/* A copy of @path (@len bytes with its NUL) in @l's blocks, or NULL. */
static const char *path_keep(struct cgstats_list *l, const char *path,
			     size_t len)
{
	struct path_block *b = l->paths;
	char *dst;

	if (!b || b->cap - b->used < len) {
		size_t cap = len > PATH_BLOCK_SIZE ? len : PATH_BLOCK_SIZE;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->next = l->paths;
		b->used = 0;
		b->cap = cap;
		l->paths = b;
	}
	dst = b->data + b->used;
	memcpy(dst, path, len);
	b->used += len;
	return dst;
}

static int list_row(struct nlmsghdr *nlh, void *arg)
{
	struct list_ctx *ctx = arg;
	struct cgstats_list *l = ctx->l;
	struct memctl_cgroup_stats *row;
	const char *path = NULL;
	int err;

	if (!l || l->n == l->cap) {
		size_t cap = l ? l->cap * 2 : ctx->first_cap;
		struct cgstats_list *nl = realloc(l, sizeof(*l) +
						  cap * sizeof(*row));

		if (!nl)
			return -ENOMEM;
		if (!l)
			memset(nl, 0, sizeof(*nl));
		nl->cap = cap;
		ctx->l = l = nl;
	}
	row = &LIST_ROWS(l)[l->n];
	memset(row, 0, sizeof(*row));
	err = stats_parse_at(nlh, (char *)row, MEMCTL__STATS_DELTA, &path);
	if (err)
		return err;
	row->cgroup.path = "";
	if (path && *path) {
		row->cgroup.path = path_keep(l, path, strlen(path) + 1);
		if (!row->cgroup.path)
			return -ENOMEM;
	}
	l->n++;
	return 0;
}

static void list_free(struct cgstats_list *l)
{
	if (l) {
		paths_free(l->paths);
		free(l);
	}
}

MEMCTL_API int memctl_cgroup_stats_list(struct memctl *mc,
					struct memctl_cgroup_stats **rows,
					size_t *n)
{
	struct list_ctx ctx = { NULL, 64 };
	struct memctl_info info;
	int err;

	if (rows)
		*rows = NULL;
	if (n)
		*n = 0;
	if (!mc || !rows || !n)
		return -EINVAL;
	/*
	 * Room for the rows there are (one row per policy), and a few more,
	 * from the start: growing an array of thousands of rows by copies
	 * would hold it twice for a moment.
	 */
	err = memctl_get_info(mc, &info);
	if (err)
		return err;
	ctx.first_cap = info.nr_policies + info.nr_policies / 16 + 16;
	err = memctl__dump_rows(mc, MEMCTL_CMD_STATS_GET, list_row, list_reset,
				&ctx);
	if (err > 0)
		err = -EPROTO;
	if (err || !ctx.l || !ctx.l->n) {
		list_free(ctx.l);
		return err;
	}
	*rows = LIST_ROWS(ctx.l);
	*n = ctx.l->n;
	return 0;
}

MEMCTL_API void memctl_cgroup_stats_free(struct memctl_cgroup_stats *rows)
{
	if (rows)
		list_free((struct cgstats_list *)(void *)((char *)rows -
			  sizeof(struct cgstats_list)));
}

struct cg_foreach_ctx {
	memctl_cgroup_stats_cb cb;
	void *arg;
	struct memctl_cgroup_stats row;
};

/* One message of the dump into the context's row. */
static int cg_foreach_parse(struct nlmsghdr *nlh, void *arg)
{
	struct cg_foreach_ctx *ctx = arg;
	const char *path = NULL;
	int err;

	memset(&ctx->row, 0, sizeof(ctx->row));
	err = stats_parse_at(nlh, (char *)&ctx->row, MEMCTL__STATS_DELTA,
			     &path);
	ctx->row.cgroup.path = path ? path : "";
	return err;
}

static int cg_foreach_one(struct nlmsghdr *nlh, void *arg)
{
	struct cg_foreach_ctx *ctx = arg;
	int err = cg_foreach_parse(nlh, arg);

	return err ? err : ctx->cb(&ctx->row, ctx->arg);
}

/*
 * Each row is parsed where the dump left it, with its path inside its
 * message, into one struct: no array of rows (about 300 KB for 1,000
 * cgroups, each page of it a fault on first touch).  Every message is
 * checked before the first call, so that a malformed one still fails the
 * whole call before @cb saw anything, as with the array.
 */
MEMCTL_API int memctl_cgroup_stats_foreach(struct memctl *mc,
					   memctl_cgroup_stats_cb cb,
					   void *arg)
{
	struct cg_foreach_ctx ctx = { .cb = cb, .arg = arg };

	if (!mc || !cb)
		return -EINVAL;
	return memctl__dump_checked(mc, MEMCTL_CMD_STATS_GET, cg_foreach_parse,
				    cg_foreach_one, &ctx);
}
