// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl core: the generic netlink socket, family resolution, requests,
 * dumps, and the kernel's extended acks.
 *
 * libnl does the message building and the receive loop, but its error
 * handling maps the kernel's errno to -NLE_* codes and drops the extack
 * message, so every request installs its own callbacks: the error, ack and
 * done handlers record the kernel's own errno and message in struct memctl.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "internal.h"
#include "opts.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef NLM_F_DUMP_INTR
#define NLM_F_DUMP_INTR 0x10
#endif
#ifndef NLMSGERR_ATTR_MISS_TYPE
#define NLMSGERR_ATTR_MISS_TYPE 5
#endif

#ifndef LIBMEMCTL_VERSION
#define LIBMEMCTL_VERSION "0.0.0"
#endif

MEMCTL_API const char *memctl_version(void)
{
	return LIBMEMCTL_VERSION;
}

/* libnl's -NLE_* codes back to errno, for failures that are not the kernel's. */
int memctl__errno(int nle)
{
	static const struct { int nle, err; } map[] = {
		{ NLE_INTR, EINTR },		{ NLE_BAD_SOCK, EBADF },
		{ NLE_AGAIN, EAGAIN },		{ NLE_NOMEM, ENOMEM },
		{ NLE_EXIST, EEXIST },		{ NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },		{ NLE_MSGSIZE, EMSGSIZE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP },	{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_OBJ_NOTFOUND, ENOENT },	{ NLE_NOATTR, ENOENT },
		{ NLE_MISSING_ATTR, EINVAL },	{ NLE_SEQ_MISMATCH, EPROTO },
		{ NLE_MSG_OVERFLOW, EMSGSIZE },	{ NLE_MSG_TRUNC, EMSGSIZE },
		{ NLE_MSG_TOOSHORT, EPROTO },	{ NLE_MSGTYPE_NOSUPPORT, EPROTO },
		{ NLE_BUSY, EBUSY },		{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
		{ NLE_NOACCESS, EACCES },	{ NLE_PERM, EPERM },
		{ NLE_PARSE_ERR, EPROTO },	{ NLE_NODEV, ENODEV },
		{ NLE_DUMP_INTR, EAGAIN },	{ NLE_ATTRSIZE, ERANGE },
	};
	size_t i;

	if (nle < 0)
		nle = -nle;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].nle == nle)
			return -map[i].err;
	return -EIO;
}

/*
 * One attribute against its policy, as libnl's validation would judge it:
 * fixed-size integers of exactly their size (or the policy's bounds),
 * strings NUL-terminated within maxlen with no NUL inside, nests at least
 * a header.  Types libmemctl does not use are refused.
 */
static bool attr_valid(const struct nlattr *a, const struct nla_policy *pt)
{
	static const int int_size[] = {
		[NLA_U8] = 1, [NLA_U16] = 2, [NLA_U32] = 4, [NLA_U64] = 8,
	};
	int len = a->nla_len - NLA_HDRLEN;
	int min = pt->minlen, max = pt->maxlen;
	const char *data = (const char *)a + NLA_HDRLEN;

	if (pt->type == NLA_STRING) {
		if (len < 1 || (max && len > max))
			return false;
		/* NUL-terminated, and no NUL before the end. */
		return strnlen(data, len) == (size_t)len - 1;
	}
	if (pt->type == NLA_NESTED)
		return len == 0 || len >= NLA_HDRLEN;
	if (pt->type >= ARRAY_SIZE(int_size) || !int_size[pt->type])
		return false;
	min = min ?: int_size[pt->type];
	return len >= min && (!max || len <= max);
}

/*
 * A generic netlink message's attributes into @tb, strictly: a malformed
 * attribute or one that breaks @policy fails the whole message (-EPROTO);
 * types above @maxtype, or without a policy, are skipped; a repeated type
 * keeps the last.  One pass, no allocation, no calls into libnl: dumps of
 * thousands of rows spend their time here.
 */
int memctl__genl_parse(struct nlmsghdr *nlh, struct nlattr **tb, int maxtype,
		       const struct nla_policy *policy)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	const char *p, *end;

	if (nlh->nlmsg_len < hdr)
		return -EPROTO;
	memset(tb, 0, sizeof(*tb) * (maxtype + 1));
	p = (const char *)nlh + hdr;
	end = (const char *)nlh + nlh->nlmsg_len;
	while (end - p >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > end - p)
			return -EPROTO;
		p += NLA_ALIGN(a->nla_len);
		if (type <= 0 || type > maxtype || !policy[type].type)
			continue;
		if (!attr_valid(a, &policy[type]))
			return -EPROTO;
		tb[type] = (struct nlattr *)a;
	}
	return 0;
}

/*
 * Extended ack TLVs (NLMSGERR_ATTR_*) of an error, an ack or a done message,
 * starting @off bytes into @nlh.  @req is the request, to turn an attribute
 * offset into an attribute type; it may be NULL.
 */
static void parse_tlvs(const struct nlmsghdr *nlh, size_t off,
		       const struct nlmsghdr *req, char *errmsg, size_t len,
		       int *err_attr)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
		[NLMSGERR_ATTR_OFFS]		= MEMCTL__U32,
		[NLMSGERR_ATTR_MISS_TYPE]	= MEMCTL__U32,
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, policy) < 0)
		return;

	if (tb[NLMSGERR_ATTR_MSG] && errmsg && len) {
		nla_strlcpy(errmsg, tb[NLMSGERR_ATTR_MSG], len);
		/* Kernel messages sometimes end with a newline. */
		size_t n = strlen(errmsg);

		while (n && (errmsg[n - 1] == '\n' || errmsg[n - 1] == ' '))
			errmsg[--n] = '\0';
	}
	if (!err_attr)
		return;
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		*err_attr = (int)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	} else if (tb[NLMSGERR_ATTR_OFFS] && req) {
		uint32_t at = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);

		if (at >= NLMSG_HDRLEN + GENL_HDRLEN &&
		    (uint64_t)at + NLA_HDRLEN <= req->nlmsg_len) {
			const struct nlattr *bad =
				(const struct nlattr *)((const char *)req + at);

			*err_attr = bad->nla_type & NLA_TYPE_MASK;
		}
	}
}

/*
 * An NLMSG_ERROR message: returns its error (0 for an ack, negative errno
 * for a refusal, -EPROTO if it is malformed) and its extack.
 */
int memctl__parse_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		      char *errmsg, size_t len, int *err_attr)
{
	const struct nlmsgerr *e;
	size_t off;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return -EPROTO;
	e = NLMSG_DATA(nlh);
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return -EPROTO;
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_ALIGN(off);
	parse_tlvs(nlh, off, req, errmsg, len, err_attr);
	if (e->error > 0)
		return -EPROTO;
	return e->error;
}

/* An NLMSG_DONE message: the dump's error (0 or negative) and its extack. */
int memctl__parse_done(const struct nlmsghdr *nlh, char *errmsg, size_t len)
{
	int err;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
		return 0;	/* an old kernel may send an empty DONE */
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err < 0)
		parse_tlvs(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int)), NULL,
			   errmsg, len, NULL);
	return err > 0 ? 0 : err;
}

/* State of one request while libnl receives its replies. */
struct req_ctx {
	struct memctl *mc;
	const struct nlmsghdr *req;
	int status;		/* 1 waiting, 0 done, < 0 failed */
	int fn_err;		/* first error from @fn */
	bool answer;		/* the answer comes apart from the ack */
	bool acked, answered;
	memctl__msg_fn fn;
	void *arg;
};

/*
 * libnl's own sequence check is off (dumps are received without libnl, and
 * it would lose count): a message that does not answer the request in
 * flight is skipped here.
 */
static bool not_ours(const struct req_ctx *ctx, const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_seq != ctx->req->nlmsg_seq;
}

static int seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (not_ours(ctx, nlh))
		return NL_SKIP;
	if (nlh->nlmsg_type != ctx->mc->family || ctx->fn_err)
		return NL_SKIP;

	if (ctx->fn) {
		int err = ctx->fn(nlh, ctx->arg);

		if (err)
			ctx->fn_err = err < 0 ? err : -EPROTO;
	}
	ctx->answered = true;
	if (ctx->answer && ctx->acked) {
		ctx->status = 0;
		return NL_STOP;
	}
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_ctx *ctx = arg;
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	int err;

	(void)nla;
	if (not_ours(ctx, nlh))
		return NL_SKIP;
	err = memctl__parse_ack(nlh, ctx->req, ctx->mc->errmsg,
				sizeof(ctx->mc->errmsg), &ctx->mc->err_attr);
	ctx->status = err < 0 ? err : -EPROTO;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	if (not_ours(ctx, nlmsg_hdr(msg)))
		return NL_SKIP;
	ctx->acked = true;
	/* An answer that comes apart from the ack may come after it. */
	if (ctx->answer && !ctx->answered)
		return NL_OK;
	ctx->status = 0;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (not_ours(ctx, nlh))
		return NL_SKIP;
	ctx->status = memctl__parse_done(nlh, ctx->mc->errmsg,
					 sizeof(ctx->mc->errmsg));
	return NL_STOP;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A request starts: its deadline, from the handle's timeout. */
static void deadline_start(struct memctl *mc)
{
	mc->deadline = mc->timeout_ms ?
		       now_ns() + (uint64_t)mc->timeout_ms * 1000000ULL : 0;
}

/*
 * Before each blocking receive: wait for @fd to be readable until the
 * request's deadline.  Return: 0, -ETIMEDOUT, or another negative errno.
 */
static int wait_readable(struct memctl *mc, int fd)
{
	while (mc->deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ns();
		int n;

		if (now >= mc->deadline)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)((mc->deadline - now + 999999) / 1000000));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
	return 0;
}

/* Send @msg and receive until its ack, error or done. */
static int transact_once(struct memctl *mc, struct nl_msg *msg,
			 struct req_ctx *ctx)
{
	struct nl_cb *cb;
	int err, fd = nl_socket_get_fd(mc->sk);

	mc->errmsg[0] = '\0';
	mc->err_attr = 0;
	ctx->mc = mc;
	ctx->status = 1;
	ctx->fn_err = 0;
	ctx->acked = false;
	ctx->answered = false;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, ctx);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);

	err = nl_send_auto(mc->sk, msg);
	if (err < 0) {
		ctx->status = memctl__errno(err);
		goto out;
	}
	ctx->req = nlmsg_hdr(msg);
	while (ctx->status > 0) {
		err = wait_readable(mc, fd);
		if (err) {
			ctx->status = err;
			break;
		}
		err = nl_recvmsgs(mc->sk, cb);
		if (err < 0 && ctx->status > 0)
			ctx->status = memctl__errno(err);
	}
out:
	nl_cb_put(cb);
	ctx->req = NULL;
	if (ctx->status < 0)
		return ctx->status;
	return ctx->fn_err;
}

/*
 * A refusal by generic netlink itself rather than by memctl: no family has
 * the id the request carried (the module was unloaded).  memctl says why
 * it refuses with -ENOENT, always.
 */
static bool family_missing(const struct memctl *mc, int err)
{
	return err == -ENOENT && !mc->errmsg[0] && !mc->err_attr;
}

/*
 * The family the handle knew went away: look it up again, without loading
 * the module (a module loaded since has a new id).  Return: 0 when it is back, -ESHUTDOWN (MEMCTL_1.2's
 * codes) or -ENOENT when it is not, or another negative errno.
 */
static int refind(struct memctl *mc)
{
	int family, err = memctl__resolve(mc, MEMCTL_GENL_NAME, &family,
					  false);

	if (err == -ENOENT) {
		mc->gone = true;
		return mc->codes_1_2 ? -ESHUTDOWN : -ENOENT;
	}
	if (err)
		return err;
	mc->family = family;
	mc->gone = false;
	return 0;
}

/*
 * MEMCTL_1.2's codes: the kernel's -ENOENT without a blamed attribute is
 * "nothing there" (no policy, no tier) for the commands that look one up;
 * with one it is "no such cgroup"; from generic netlink, a family gone.
 */
static int codes_1_2(const struct memctl *mc, const struct nlmsghdr *req,
		     int err)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);

	if (err != -ENOENT)
		return err;
	if (family_missing(mc, err))
		return -ESHUTDOWN;
	if (mc->err_attr)
		return err;
	switch (g->cmd) {
	case MEMCTL_CMD_POLICY_GET:
	case MEMCTL_CMD_POLICY_DEL:
	case MEMCTL_CMD_TIER_GET:
	case MEMCTL_CMD_TIER_DEL:
		return -ENODATA;
	default:
		return err;
	}
}

/*
 * Send @msg and receive until its ack, error or done; consumes @msg.  A
 * request to the memctl family that generic netlink refuses for want of
 * the family finds the family again and, if it is back, is sent once more:
 * nothing of it was done.
 */
static int transact(struct memctl *mc, struct nl_msg *msg, struct req_ctx *ctx)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	bool ctrl = nlh->nlmsg_type == GENL_ID_CTRL;
	bool retried = false;
	int err;

	if (!ctrl) {
		deadline_start(mc);
		if (mc->gone) {
			err = refind(mc);
			if (err)
				goto out;
		}
	}
	for (;;) {
		if (!ctrl)
			nlh->nlmsg_type = mc->family;
		err = transact_once(mc, msg, ctx);
		if (ctrl || retried || !family_missing(mc, err))
			break;
		retried = true;
		err = refind(mc);
		if (err)
			break;
		nlh->nlmsg_seq = nl_socket_use_seq(mc->sk);
	}
	if (!ctrl && mc->codes_1_2)
		err = codes_1_2(mc, nlh, err);
out:
	nlmsg_free(msg);
	return err;
}

/*
 * A request: a cgroup path of up to MEMCTL_CGROUP_PATH_MAX bytes and the
 * fixed-size attributes, which libnl's default of one page cannot hold.
 */
#define MEMCTL_REQ_SIZE	(MEMCTL_CGROUP_PATH_MAX + 1024)

int memctl__msg_new(struct memctl *mc, uint8_t cmd, int flags,
		    struct nl_msg **msgp)
{
	struct nl_msg *msg = nlmsg_alloc_size(MEMCTL_REQ_SIZE);

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, mc->family, 0, flags,
			 cmd, MEMCTL_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	*msgp = msg;
	return 0;
}

int memctl__request(struct memctl *mc, struct nl_msg *msg, memctl__msg_fn fn,
		    void *arg)
{
	struct req_ctx ctx = { .fn = fn, .arg = arg };

	return transact(mc, msg, &ctx);
}

/*
 * A request whose answer the kernel sends when the work it asked for ends,
 * after (or, if quick, before) acknowledging the request itself: receive
 * until both came, or an error.
 */
int memctl__request_answer(struct memctl *mc, struct nl_msg *msg,
			   memctl__msg_fn fn, void *arg)
{
	struct req_ctx ctx = { .fn = fn, .arg = arg, .answer = true };

	return transact(mc, msg, &ctx);
}

/*
 * The datagrams of one dump, received back to back into one growing buffer:
 * a dump of thousands of rows costs a recvmsg() per 32 KiB part and no
 * allocation or copy per message (libnl's receive path makes both).  The
 * handle keeps the buffer for its next dump (up to MEMCTL_DUMP_BUF_KEEP),
 * so that an agent polling every few seconds does not fault it in again.
 */
struct dump_buf {
	char *data;
	size_t len, cap;
};

static int dump_buf_room(struct dump_buf *b, size_t room)
{
	size_t cap = b->cap ? b->cap : 4 * MEMCTL_RECV_BUF_SIZE;
	char *data;

	if (b->cap - b->len >= room)
		return 0;
	while (cap - b->len < room)
		cap *= 2;
	data = realloc(b->data, cap);
	if (!data)
		return -ENOMEM;
	b->data = data;
	b->cap = cap;
	return 0;
}

/*
 * Receives the replies to @req until NLMSG_DONE or an error.  Return: 0 with
 * @b holding every message of the dump (the messages of other requests
 * dropped) or, with @row, each message given to @row as it comes instead,
 * or a negative errno (the kernel's, with its extack in @mc).  *@intr is
 * set when a part was flagged NLM_F_DUMP_INTR.
 */
static int dump_recv(struct memctl *mc, const struct nlmsghdr *req,
		     struct dump_buf *b, bool *intr, memctl__row_fn row,
		     void *arg)
{
	uint32_t port = nl_socket_get_local_port(mc->sk);
	int fd = nl_socket_get_fd(mc->sk);

	for (;;) {
		struct iovec iov;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct nlmsghdr *nlh;
		size_t start, keep;
		ssize_t n;
		int len, err;

		err = dump_buf_room(b, MEMCTL_RECV_BUF_SIZE);
		if (!err)
			err = wait_readable(mc, fd);
		if (err)
			return err;
		start = b->len;
		iov.iov_base = b->data + start;
		iov.iov_len = MEMCTL_RECV_BUF_SIZE;
		n = recvmsg(fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;

		/* Keep the family's messages of this request, in place. */
		keep = start;
		len = (int)n;
		for (nlh = (struct nlmsghdr *)(b->data + start); NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq ||
			    nlh->nlmsg_pid != port)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			/* Rows may share the datagram of the end. */
			b->len = keep;
			switch (nlh->nlmsg_type) {
			case NLMSG_DONE:
				return memctl__parse_done(nlh, mc->errmsg,
							  sizeof(mc->errmsg));
			case NLMSG_ERROR:
				err = memctl__parse_ack(nlh, req, mc->errmsg,
							sizeof(mc->errmsg),
							&mc->err_attr);
				return err < 0 ? err : -EPROTO;
			case NLMSG_OVERRUN:
				return -EOVERFLOW;
			default:
				break;
			}
			if (nlh->nlmsg_type != mc->family)
				continue;
			if (row) {
				err = row(nlh, arg);
				if (err)
					return err;
				continue;
			}
			if (b->data + keep != (char *)nlh)
				memmove(b->data + keep, nlh, nlh->nlmsg_len);
			keep += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		b->len = keep;
	}
}

/*
 * A whole, consistent dump of @cmd: each message to @row as it comes (and
 * @reset before each try), or else every message kept in @b.  Redone while
 * flagged inconsistent; finds a family that went away again, as
 * transact() does.
 */
static int dump_run(struct memctl *mc, uint8_t cmd, struct dump_buf *b,
		    memctl__row_fn row, memctl__reset_fn reset, void *arg)
{
	bool intr = true, retried = false;
	struct nl_msg *msg;
	int err = 0, attempt;

	deadline_start(mc);
	if (mc->gone) {
		err = refind(mc);
		if (err)
			return err;
	}
	for (attempt = 0; attempt <= MEMCTL_DUMP_RETRIES && intr; attempt++) {
		mc->errmsg[0] = '\0';
		mc->err_attr = 0;
		b->len = 0;
		intr = false;
		if (reset)
			reset(arg);
		err = memctl__msg_new(mc, cmd, NLM_F_DUMP, &msg);
		if (err)
			break;
		err = nl_send_auto(mc->sk, msg);
		err = err < 0 ? memctl__errno(err) :
		      dump_recv(mc, nlmsg_hdr(msg), b, &intr, row, arg);
		nlmsg_free(msg);
		if (!retried && family_missing(mc, err)) {
			retried = true;
			err = refind(mc);
			if (err)
				break;
			intr = true;	/* once more */
			attempt--;
			continue;
		}
		if (err)
			break;
	}
	if (!err && intr)
		err = -EAGAIN;
	if (mc->codes_1_2 && family_missing(mc, err))
		err = -ESHUTDOWN;
	return err;
}

/* Give the receive buffer back to the handle, or free it. */
static void dump_buf_keep(struct memctl *mc, struct dump_buf *b)
{
	/* Keep the bigger of this buffer and one a nested dump left. */
	if (b->cap > MEMCTL_DUMP_BUF_KEEP || b->cap < mc->dump_cap) {
		free(b->data);
	} else {
		free(mc->dump_buf);
		mc->dump_buf = b->data;
		mc->dump_cap = b->cap;
	}
}

/* @fn over every message of @b, until it returns nonzero. */
static int dump_walk(const struct dump_buf *b, memctl__msg_fn fn, void *arg)
{
	size_t off;
	int err = 0;

	for (off = 0; !err && off < b->len;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(b->data + off);

		off += NLMSG_ALIGN(nlh->nlmsg_len);
		err = fn(nlh, arg);
	}
	return err;
}

int memctl__dump_checked(struct memctl *mc, uint8_t cmd, memctl__msg_fn check,
			 memctl__msg_fn fn, void *arg)
{
	struct dump_buf b = { .data = mc->dump_buf, .cap = mc->dump_cap };
	int err;

	/* Taken from the handle: @fn may run another dump on it. */
	mc->dump_buf = NULL;
	mc->dump_cap = 0;

	err = dump_run(mc, cmd, &b, NULL, NULL, NULL);
	/* Only a whole, consistent dump that @check passed reaches @fn. */
	if (!err && check)
		err = dump_walk(&b, check, arg);
	if (!err)
		err = dump_walk(&b, fn, arg);
	dump_buf_keep(mc, &b);
	return err;
}

int memctl__dump(struct memctl *mc, uint8_t cmd, memctl__msg_fn fn, void *arg)
{
	return memctl__dump_checked(mc, cmd, NULL, fn, arg);
}

int memctl__dump_rows(struct memctl *mc, uint8_t cmd, memctl__row_fn fn,
		      memctl__reset_fn reset, void *arg)
{
	struct dump_buf b = { .data = mc->dump_buf, .cap = mc->dump_cap };
	int err;

	mc->dump_buf = NULL;
	mc->dump_cap = 0;
	err = dump_run(mc, cmd, &b, fn, reset, arg);
	dump_buf_keep(mc, &b);
	return err;
}

int memctl__put_cgroup(struct nl_msg *msg, int path_attr, int id_attr,
		       const char *path, uint64_t id)
{
	if ((!path || !*path) && !id)
		return -EINVAL;
	if (path && *path) {
		if (strlen(path) >= MEMCTL_CGROUP_PATH_MAX)
			return -ENAMETOOLONG;
		if (nla_put_string(msg, path_attr, path) < 0)
			return -ENOMEM;
	}
	if (id && nla_put_u64(msg, id_attr, id) < 0)
		return -ENOMEM;
	return 0;
}

struct family_ctx {
	const char *name;	/* the family looked for */
	int family;		/* its id, or GENL_ID_CTRL while not found */
};

/* A CTRL_CMD_GETFAMILY reply (or dump entry): the id, if it is @name's. */
static int parse_family(struct nlmsghdr *nlh, void *arg)
{
	static const struct nla_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	 = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
		[CTRL_ATTR_FAMILY_NAME]	 = { .type = NLA_STRING, .maxlen = GENL_NAMSIZ },
		[CTRL_ATTR_VERSION]	 = MEMCTL__U32,
		[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family_ctx *ctx = arg;

	if (memctl__genl_parse(nlh, tb, CTRL_ATTR_MAX, policy) ||
	    !tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
		return -EPROTO;
	if (!strcmp(nla_data(tb[CTRL_ATTR_FAMILY_NAME]), ctx->name))
		ctx->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

/*
 * The id of the generic netlink family @name.  With @autoload, a lookup by
 * name, which loads the family's module if it can; without, a dump of the
 * families there are, which loads nothing (a handle that finds its family
 * gone must not load the module an administrator just unloaded).
 * Return: 0, -ENOENT if there is no such family, or another negative errno.
 */
int memctl__resolve(struct memctl *mc, const char *name, int *family,
		    bool autoload)
{
	struct family_ctx ctx = { .name = name, .family = GENL_ID_CTRL };
	int saved = mc->family, err;
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
			 autoload ? 0 : NLM_F_DUMP, CTRL_CMD_GETFAMILY, 1) ||
	    (autoload &&
	     nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	mc->family = GENL_ID_CTRL;	/* the reply's type */
	err = memctl__request(mc, msg, parse_family, &ctx);
	mc->family = saved;
	if (!err && ctx.family == GENL_ID_CTRL)
		err = autoload ? -EPROTO : -ENOENT;	/* not in the answer */
	if (!err)
		*family = ctx.family;
	return err;
}

/* Open the socket and resolve the family (the lookup autoloads the module). */
int memctl__connect(struct memctl *mc)
{
	int one = 1, err, fd, family;

	mc->sk = nl_socket_alloc();
	if (!mc->sk)
		return -ENOMEM;
	err = nl_connect(mc->sk, NETLINK_GENERIC);
	if (err < 0) {
		err = memctl__errno(err);
		goto fail;
	}
	fd = nl_socket_get_fd(mc->sk);
	/* Best effort: without them errors carry no message, that is all. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/*
	 * Receive into a buffer bigger than any datagram the kernel builds
	 * (dump parts are at most 32 KiB): one recvmsg() per datagram instead
	 * of libnl's default peek-then-read, and dump parts of 32 KiB instead
	 * of 16 KiB, so a dump of many rows takes a quarter of the calls.
	 */
	nl_socket_set_msg_buf_size(mc->sk, MEMCTL_RECV_BUF_SIZE);

	deadline_start(mc);
	err = memctl__resolve(mc, MEMCTL_GENL_NAME, &family, true);
	if (err)
		goto fail;
	mc->family = family;
	return 0;
fail:
	nl_socket_free(mc->sk);
	mc->sk = NULL;
	return err;
}

void memctl__disconnect(struct memctl *mc)
{
	if (mc->sk)
		nl_socket_free(mc->sk);
	mc->sk = NULL;
}

int memctl__open(struct memctl **mcp, bool codes, uint32_t timeout_ms)
{
	struct memctl *mc;
	int err;

	if (!mcp)
		return -EINVAL;
	*mcp = NULL;
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return -ENOMEM;
	mc->codes_1_2 = codes;
	mc->timeout_ms = timeout_ms;
	err = memctl__connect(mc);
	if (err) {
		free(mc);
		return codes && err == -ENOENT ? -ENOPROTOOPT : err;
	}
	*mcp = mc;
	return 0;
}

MEMCTL_API int memctl_open(struct memctl **mcp)
{
	return memctl__open(mcp, false, 0);
}

MEMCTL_API int memctl_open_opts(struct memctl **mcp,
				const struct memctl_open_opts *opts)
{
	int err = MEMCTL__OPTS_CHECK(opts, timeout_ms);
	uint64_t timeout = MEMCTL__OPT(opts, timeout_ms, 0);

	if (!err && timeout > UINT32_MAX)
		err = -EINVAL;
	if (err) {
		if (mcp)
			*mcp = NULL;
		return err;
	}
	return memctl__open(mcp, true, (uint32_t)timeout);
}

MEMCTL_API int memctl_set_timeout(struct memctl *mc, uint32_t timeout_ms)
{
	if (!mc)
		return -EINVAL;
	mc->timeout_ms = timeout_ms;
	return 0;
}

MEMCTL_API void memctl_close(struct memctl *mc)
{
	if (!mc)
		return;
	memctl__disconnect(mc);
	free(mc->dump_buf);
	free(mc->path_buf);
	free(mc);
}

MEMCTL_API const char *memctl_errmsg(const struct memctl *mc)
{
	return mc ? mc->errmsg : "";
}

MEMCTL_API int memctl_err_attr(const struct memctl *mc)
{
	return mc ? mc->err_attr : 0;
}

int memctl__parse_info(struct nlmsghdr *nlh, struct memctl_info *info)
{
	static const struct nla_policy policy[MEMCTL_A_INFO_MAX + 1] = {
		[MEMCTL_A_INFO_VERSION]		= MEMCTL__STR(MEMCTL_VERSION_STR_MAX),
		[MEMCTL_A_INFO_KERNEL]		= MEMCTL__STR(MEMCTL_KERNEL_STR_MAX),
		[MEMCTL_A_INFO_FEATURES]	= MEMCTL__U32,
		[MEMCTL_A_INFO_CLASSES]		= MEMCTL__U32,
		[MEMCTL_A_INFO_MAX_POLICIES]	= MEMCTL__U32,
		[MEMCTL_A_INFO_NR_POLICIES]	= MEMCTL__U32,
	};
	struct nlattr *tb[MEMCTL_A_INFO_MAX + 1];
	int err;

	err = memctl__genl_parse(nlh, tb, MEMCTL_A_INFO_MAX, policy);
	if (err)
		return err;
	memset(info, 0, sizeof(*info));
	memctl__strattr(info->version, sizeof(info->version),
			tb[MEMCTL_A_INFO_VERSION]);
	memctl__strattr(info->kernel, sizeof(info->kernel),
			tb[MEMCTL_A_INFO_KERNEL]);
	info->features = memctl__u32(tb[MEMCTL_A_INFO_FEATURES]);
	info->classes = memctl__u32(tb[MEMCTL_A_INFO_CLASSES]);
	info->max_policies = memctl__u32(tb[MEMCTL_A_INFO_MAX_POLICIES]);
	info->nr_policies = memctl__u32(tb[MEMCTL_A_INFO_NR_POLICIES]);
	return 0;
}

struct reply {
	void *out;
	bool got;
};

static int info_reply(struct nlmsghdr *nlh, void *arg)
{
	struct reply *r = arg;
	int err = memctl__parse_info(nlh, r->out);

	r->got = !err;
	return err;
}

struct routes_reply {
	struct memctl_route *routes;
	size_t n;
	bool got;
};

/* One MEMCTL_A_INFO_ROUTE_* nest into @route. */
static int route_parse(const struct nlattr *nest, struct memctl_route *route)
{
	static const struct nla_policy path_policy = MEMCTL__U32;
	static const struct nla_policy reason_policy =
		MEMCTL__STR(MEMCTL_ROUTE_REASON_MAX);
	const struct nlattr *a;
	bool path = false;
	int rem;

	memset(route, 0, sizeof(*route));
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case MEMCTL_A_ROUTE_PATH:
			if (!attr_valid(a, &path_policy))
				return -EPROTO;
			route->path = nla_get_u32(a);
			path = true;
			break;
		case MEMCTL_A_ROUTE_REASON:
			if (!attr_valid(a, &reason_policy))
				return -EPROTO;
			memctl__strattr(route->reason, sizeof(route->reason), a);
			break;
		}
	}
	return path ? 0 : -EPROTO;
}

static int routes_reply(struct nlmsghdr *nlh, void *arg)
{
	static const struct nla_policy policy[MEMCTL_A_INFO_MAX + 1] = {
		[MEMCTL_A_INFO_ROUTE_SLAB]	= { .type = NLA_NESTED },
		[MEMCTL_A_INFO_ROUTE_FILE]	= { .type = NLA_NESTED },
		[MEMCTL_A_INFO_ROUTE_ANON]	= { .type = NLA_NESTED },
		[MEMCTL_A_INFO_ROUTE_STATS]	= { .type = NLA_NESTED },
		[MEMCTL_A_INFO_ROUTE_PRESSURE]	= { .type = NLA_NESTED },
	};
	static const int attr[MEMCTL_ROUTE_NR] = {
		[MEMCTL_ROUTE_SLAB]	= MEMCTL_A_INFO_ROUTE_SLAB,
		[MEMCTL_ROUTE_FILE]	= MEMCTL_A_INFO_ROUTE_FILE,
		[MEMCTL_ROUTE_ANON]	= MEMCTL_A_INFO_ROUTE_ANON,
		[MEMCTL_ROUTE_STATS]	= MEMCTL_A_INFO_ROUTE_STATS,
		[MEMCTL_ROUTE_PRESSURE]	= MEMCTL_A_INFO_ROUTE_PRESSURE,
	};
	struct routes_reply *r = arg;
	struct nlattr *tb[MEMCTL_A_INFO_MAX + 1];
	size_t i;
	int err;

	err = memctl__genl_parse(nlh, tb, MEMCTL_A_INFO_MAX, policy);
	if (err)
		return err;
	for (i = 0; i < r->n && i < MEMCTL_ROUTE_NR; i++) {
		if (!tb[attr[i]])
			return -EOPNOTSUPP;
		err = route_parse(tb[attr[i]], &r->routes[i]);
		if (err)
			return err;
	}
	r->got = true;
	return 0;
}

MEMCTL_API int memctl_get_routes(struct memctl *mc, struct memctl_route *routes,
				 size_t n)
{
	struct routes_reply r = { .routes = routes, .n = n };
	struct nl_msg *msg;
	int err;

	if (!mc || (!routes && n))
		return -EINVAL;
	err = memctl__msg_new(mc, MEMCTL_CMD_GET_INFO, 0, &msg);
	if (err)
		return err;
	err = memctl__request(mc, msg, routes_reply, &r);
	if (!err && !r.got)
		err = -EPROTO;
	return err;
}

MEMCTL_API int memctl_get_info(struct memctl *mc, struct memctl_info *info)
{
	struct reply r = { .out = info };
	struct nl_msg *msg;
	int err;

	if (!mc || !info)
		return -EINVAL;
	err = memctl__msg_new(mc, MEMCTL_CMD_GET_INFO, 0, &msg);
	if (err)
		return err;
	err = memctl__request(mc, msg, info_reply, &r);
	if (!err && !r.got)
		err = -EPROTO;
	return err;
}
