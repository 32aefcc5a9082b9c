// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl notifications.
 *
 * The events handle has its own socket.  It resolves the family with a normal
 * request and subscribes the socket (MEMCTL_CMD_EVENTS_SUBSCRIBE), which
 * from then on only receives: reads are plain non-blocking recvfrom() calls
 * so that the caller's poll loop decides when to wait, and so that a receive
 * buffer overrun comes back as -ENOBUFS.  An event the kernel sends before
 * the subscription's ack is read is dropped with the other messages that do
 * not answer the request: it happened before memctl_events_open() returned.
 * Closing the socket ends the subscription.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "internal.h"
#include "opts.h"

/* Notifications are built in NLMSG_GOODSIZE buffers; this holds several. */
#define EVENTS_BUF_SIZE		(64 * 1024)
#define EVENTS_RCVBUF		(1024 * 1024)

struct memctl_events {
	struct memctl mc;		/* socket and family */
	unsigned char *buf;		/* one datagram */
	struct memctl_event *event;	/* what the callback is given */
	bool module_events;		/* MEMCTL_EVENT_MODULE (open_opts) */
};

/* How long a subscription after the module came back may take. */
#define EVENTS_RESUBSCRIBE_MS	10000

int memctl__parse_event(struct nlmsghdr *nlh, struct memctl_event *ev)
{
	const struct genlmsghdr *ghdr;
	int err;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EPROTO;
	ghdr = nlmsg_data(nlh);
	memset(ev, 0, sizeof(*ev));

	switch (ghdr->cmd) {
	case MEMCTL_CMD_POLICY_NTF:
		ev->type = MEMCTL_EVENT_POLICY;
		err = memctl__parse_policy(nlh, &ev->policy, &ev->action);
		if (err)
			return err;
		ev->cgroup = ev->policy.cgroup;
		return 1;
	case MEMCTL_CMD_RECLAIM_NTF:
		ev->type = MEMCTL_EVENT_RECLAIM;
		err = memctl__parse_reclaim(nlh, &ev->reclaim);
		if (err)
			return err;
		ev->action = ev->reclaim.trigger;
		ev->cgroup = ev->reclaim.cgroup;
		return 1;
	case MEMCTL_CMD_TIER_NTF:
		ev->type = MEMCTL_EVENT_TIER;
		err = memctl__parse_tier(nlh, &ev->tier, &ev->action, &ev->cgroup);
		if (err)
			return err;
		return 1;
	default:
		return 0;	/* a notification newer than this library */
	}
}

/* Subscribe the handle's socket (blocking) to the family's events. */
static int subscribe(struct memctl_events *ev)
{
	struct nl_msg *msg;
	int err;

	/* -EOPNOTSUPP from a module older than subscriptions. */
	err = memctl__msg_new(&ev->mc, MEMCTL_CMD_EVENTS_SUBSCRIBE, 0, &msg);
	if (!err)
		err = memctl__request(&ev->mc, msg, NULL, NULL);
	return err;
}

static int set_blocking(int fd, bool blocking)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 ||
	    fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK :
					  flags | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static int events_open(struct memctl_events **evp, bool module_events)
{
	struct memctl_events *ev;
	int rcvbuf = EVENTS_RCVBUF, fd, err;

	if (!evp)
		return -EINVAL;
	*evp = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->module_events = module_events;
	ev->buf = malloc(EVENTS_BUF_SIZE);
	ev->event = malloc(sizeof(*ev->event));
	if (!ev->buf || !ev->event) {
		err = -ENOMEM;
		goto fail;
	}
	err = memctl__connect(&ev->mc);
	if (err)
		goto fail;

	fd = nl_socket_get_fd(ev->mc.sk);
	/* Best effort: a bigger buffer loses fewer events in bursts. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (module_events) {
		/*
		 * Generic netlink's own notifications: a family registered or
		 * unregistered.  Its group has a fixed id, GENL_ID_CTRL, on
		 * every kernel since 3.x; ask anyway.
		 */
		int grp = genl_ctrl_resolve_grp(ev->mc.sk, "nlctrl", "notify");

		if (grp < 0)
			grp = GENL_ID_CTRL;
		err = nl_socket_add_membership(ev->mc.sk, grp);
		if (err < 0) {
			err = memctl__errno(err);
			goto fail_disconnect;
		}
	}
	err = subscribe(ev);
	if (!err)
		err = set_blocking(fd, false);
	if (err)
		goto fail_disconnect;
	*evp = ev;
	return 0;

fail_disconnect:
	memctl__disconnect(&ev->mc);
fail:
	free(ev->event);
	free(ev->buf);
	free(ev);
	return err;
}

MEMCTL_API int memctl_events_open(struct memctl_events **evp)
{
	return events_open(evp, false);
}

MEMCTL_API int memctl_events_open_opts(struct memctl_events **evp,
				       const struct memctl_events_open_opts *opts)
{
	int err = memctl__opts_check(opts, sizeof(opts->sz));

	if (err) {
		if (evp)
			*evp = NULL;
		return err;
	}
	err = events_open(evp, true);
	return err == -ENOENT ? -ENOPROTOOPT : err;
}

/*
 * A notification of generic netlink's controller about the memctl family.
 * Return: 1 with @out filled (unloaded, or loaded and subscribed again), 0
 * for one about another family, or a negative errno.
 */
static int module_event(struct memctl_events *ev, struct nlmsghdr *nlh,
			struct memctl_event *out)
{
	static const struct nla_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	= { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
		[CTRL_ATTR_FAMILY_NAME]	= { .type = NLA_STRING, .maxlen = GENL_NAMSIZ },
	};
	const struct genlmsghdr *g;
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int fd, err;

	if (!genlmsg_valid_hdr(nlh, 0))
		return 0;
	g = nlmsg_data(nlh);
	if (g->cmd != CTRL_CMD_NEWFAMILY && g->cmd != CTRL_CMD_DELFAMILY)
		return 0;
	if (memctl__genl_parse(nlh, tb, CTRL_ATTR_MAX, policy) ||
	    !tb[CTRL_ATTR_FAMILY_NAME] || !tb[CTRL_ATTR_FAMILY_ID] ||
	    strcmp(nla_data(tb[CTRL_ATTR_FAMILY_NAME]), MEMCTL_GENL_NAME))
		return 0;
	memset(out, 0, sizeof(*out));
	out->type = MEMCTL_EVENT_MODULE;
	if (g->cmd == CTRL_CMD_DELFAMILY) {
		ev->mc.gone = true;
		out->action = MEMCTL_MODULE_UNLOADED;
		return 1;
	}
	/* Back: subscribe on the new family, waiting for the answer. */
	ev->mc.family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	ev->mc.gone = false;
	fd = nl_socket_get_fd(ev->mc.sk);
	err = set_blocking(fd, true);
	if (err)
		return err;
	ev->mc.timeout_ms = EVENTS_RESUBSCRIBE_MS;
	err = subscribe(ev);
	ev->mc.timeout_ms = 0;
	if (!err)
		err = set_blocking(fd, false);
	else
		set_blocking(fd, false);
	if (err)
		return err;
	out->action = MEMCTL_MODULE_LOADED;
	return 1;
}

MEMCTL_API int memctl_events_fd(const struct memctl_events *ev)
{
	return ev ? nl_socket_get_fd(ev->mc.sk) : -EINVAL;
}

MEMCTL_API int memctl_events_read(struct memctl_events *ev, memctl_event_cb cb,
				  void *arg)
{
	int fd, count = 0;

	if (!ev || !cb)
		return -EINVAL;
	fd = nl_socket_get_fd(ev->mc.sk);

	for (;;) {
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		struct nlmsghdr *nlh;
		ssize_t n;
		int len;

		n = recvfrom(fd, ev->buf, EVENTS_BUF_SIZE, MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return count;
			return -errno;
		}
		/* Only the kernel sends notifications; drop anything else. */
		if (fromlen != sizeof(from) || from.nl_pid != 0)
			continue;
		if (n > EVENTS_BUF_SIZE)
			continue;	/* truncated: cannot be parsed */

		len = (int)n;
		for (nlh = (struct nlmsghdr *)ev->buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			int err;

			if (ev->module_events && nlh->nlmsg_type == GENL_ID_CTRL)
				err = module_event(ev, nlh, ev->event);
			else if (nlh->nlmsg_type != ev->mc.family || ev->mc.gone)
				continue;
			else
				err = memctl__parse_event(nlh, ev->event);
			if (err < 0)
				return err;
			if (err == 0)
				continue;
			count++;
			err = cb(ev->event, arg);
			if (err)
				return err;
		}
	}
}

MEMCTL_API void memctl_events_close(struct memctl_events *ev)
{
	if (!ev)
		return;
	memctl__disconnect(&ev->mc);
	free(ev->event);
	free(ev->buf);
	free(ev);
}
