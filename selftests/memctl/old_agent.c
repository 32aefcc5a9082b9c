// SPDX-License-Identifier: GPL-2.0-only
/*
 * A program of MEMCTL_1.0 (issue 18): built against that release's header
 * (abi-1.0/memctl.h: struct memctl_stats with its 4 KiB path) and linked
 * against a library exporting MEMCTL_1.0's symbols only, then run by
 * agent_test.sh against today's libmemctl.so.1 on the real module.  It
 * must see what it saw then: MEMCTL_1.0's structures filled in, -ENOENT for
 * a cgroup without a policy, its events.
 *
 *   old_agent CGROUP
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "memctl.h"	/* abi-1.0/memctl.h */

static int fail(const char *what, int err)
{
	printf("not ok - old_agent: %s: %d (%s)\n", what, err, strerror(-err));
	return 1;
}

struct found {
	const char *cg;
	struct memctl_stats row;
	int n;
};

static int find_row(const struct memctl_stats *s, void *arg)
{
	struct found *f = arg;

	if (!strcmp(s->cgroup.path, f->cg)) {
		f->row = *s;
		f->n++;
	}
	return 0;
}

static int saw;

static int on_event(const struct memctl_event *ev, void *arg)
{
	if (ev->type == MEMCTL_EVENT_POLICY &&
	    ev->action == MEMCTL_POLICY_EVENT_DELETED &&
	    !strcmp(ev->cgroup.path, arg))
		saw = 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct found f = { .cg = argv[1] };
	struct memctl_events *ev;
	struct memctl_policy p;
	struct memctl_stats s;
	struct memctl *mc;
	time_t end;
	int err;

	if (argc != 2)
		return 2;
	err = memctl_open(&mc);
	if (err)
		return fail("memctl_open", err);
	err = memctl_events_open(&ev);
	if (err)
		return fail("memctl_events_open", err);
	memset(&p, 0, sizeof(p));
	snprintf(p.cgroup.path, sizeof(p.cgroup.path), "%s", argv[1]);
	p.set = MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET;
	p.high = 64 << 20;
	p.target = 32 << 20;
	err = memctl_policy_set(mc, &p);
	if (err)
		return fail("memctl_policy_set", err);
	memset(&p, 0xaa, sizeof(p));
	err = memctl_policy_get(mc, argv[1], 0, &p);
	if (err || p.high != 64 << 20 || strcmp(p.cgroup.path, argv[1]) ||
	    !p.cgroup.id)
		return fail("memctl_policy_get", err);
	err = memctl_stats_get(mc, argv[1], 0, &s);
	if (err || s.high != 64 << 20 || s.cgroup.id != p.cgroup.id ||
	    strcmp(s.cgroup.path, argv[1]))
		return fail("memctl_stats_get", err);
	err = memctl_stats_foreach(mc, find_row, &f);
	if (err || f.n != 1 || f.row.cgroup.id != p.cgroup.id ||
	    f.row.target != 32 << 20)
		return fail("memctl_stats_foreach", err);
	err = memctl_policy_del(mc, argv[1], 0);
	if (err)
		return fail("memctl_policy_del", err);
	err = memctl_policy_get(mc, argv[1], 0, &p);
	if (err != -ENOENT)
		return fail("memctl_policy_get of no policy: want -ENOENT", err);
	for (end = time(NULL) + 60; !saw && time(NULL) < end;) {
		struct pollfd pfd = { .fd = memctl_events_fd(ev), .events = POLLIN };

		poll(&pfd, 1, 1000);
		err = memctl_events_read(ev, on_event, argv[1]);
		if (err < 0)
			return fail("memctl_events_read", err);
	}
	if (!saw)
		return fail("no policy deleted event", -ETIMEDOUT);
	memctl_events_close(ev);
	memctl_close(mc);
	printf("ok - old_agent: MEMCTL_1.0's calls and structures\n");
	return 0;
}
