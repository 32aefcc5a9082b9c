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
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "internal.h"

/* Notifications are built in NLMSG_GOODSIZE buffers; this holds several. */
#define EVENTS_BUF_SIZE		(64 * 1024)
#define EVENTS_RCVBUF		(1024 * 1024)

struct memctl_events {
	struct memctl mc;		/* socket and family */
	unsigned char *buf;		/* one datagram */
	struct memctl_event *event;	/* what the callback is given */
};

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

MEMCTL_API int memctl_events_open(struct memctl_events **evp)
{
	struct memctl_events *ev;
	int rcvbuf = EVENTS_RCVBUF, fd, flags, err;
	struct nl_msg *msg;

	if (!evp)
		return -EINVAL;
	*evp = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
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
	/* -EOPNOTSUPP from a module older than subscriptions. */
	err = memctl__msg_new(&ev->mc, MEMCTL_CMD_EVENTS_SUBSCRIBE, 0, &msg);
	if (!err)
		err = memctl__request(&ev->mc, msg, NULL, NULL);
	if (err)
		goto fail_disconnect;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		err = -errno;
		goto fail_disconnect;
	}
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

			if (nlh->nlmsg_type != ev->mc.family)
				continue;
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
