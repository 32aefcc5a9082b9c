// SPDX-License-Identifier: GPL-2.0-only
/*
 * An agent's view of the module going and coming back (issue 18), through
 * libmemctl's MEMCTL_1.2 calls, run by agent_test.sh as root with the
 * module loaded and its autoloading off (kernel.modprobe names no program):
 *
 *  - the codes: no such cgroup (-ENOENT), no policy (-ENODATA), and, once
 *    the module is unloaded under open handles, -ESHUTDOWN from requests,
 *    -ENOPROTOOPT from memctl_open_opts() and memctl_events_open_opts();
 *  - the events handle delivers MEMCTL_EVENT_MODULE "unloaded", then
 *    "loaded" after `modprobe memctl`, and then the new module's events
 *    (it subscribed again by itself);
 *  - the request handle opened before the unload works again after the
 *    load, without being reopened (the family has a new id), and its
 *    requests while the module is away do not load it again (with
 *    autoloading back on for them: kernel.modprobe = MODPROBE).
 *
 *   agent_reload CGROUP MODPROBE  (a cgroup path relative to the root, and
 *                                  the kernel.modprobe to restore)
 *
 * Prints "ok - ..." per step; exits 1 at the first failure.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memctl.h"

static int failed;

#define EXPECT(cond, ...) do {						\
	if (cond) {							\
		printf("ok - " __VA_ARGS__);				\
		printf("\n");						\
	} else {							\
		printf("not ok - " __VA_ARGS__);			\
		printf(" (%s:%d)\n", __FILE__, __LINE__);		\
		failed = 1;						\
		goto out;						\
	}								\
} while (0)

struct want {
	uint32_t type, action;
	const char *cgroup;	/* or NULL */
	int seen;
};

static int on_event(const struct memctl_event *ev, void *arg)
{
	struct want *w = arg;

	printf("# event %s %s %s\n", memctl_event_type_name(ev->type),
	       ev->type == MEMCTL_EVENT_MODULE ?
	       memctl_module_event_name(ev->action) :
	       ev->type == MEMCTL_EVENT_POLICY ?
	       memctl_policy_event_name(ev->action) : "-",
	       ev->cgroup.path);
	if (ev->type == w->type && ev->action == w->action &&
	    (!w->cgroup || !strcmp(ev->cgroup.path, w->cgroup)))
		w->seen = 1;
	return 0;
}

/* Read events until one matches @w; 0, or -ETIMEDOUT after 60 s. */
static int wait_event(struct memctl_events *ev, struct want *w)
{
	time_t end = time(NULL) + 60;

	w->seen = 0;
	while (!w->seen) {
		struct pollfd pfd = { .fd = memctl_events_fd(ev),
				      .events = POLLIN };
		int err;

		if (time(NULL) > end)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, 1000) < 0)
			return -errno;
		err = memctl_events_read(ev, on_event, w);
		if (err < 0) {
			printf("# memctl_events_read: %s\n",
			       memctl_strerror(err));
			return err;
		}
	}
	return 0;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -errno;
	err = fputs(text, f) < 0 ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* Is the module loaded? */
static int loaded(void)
{
	char line[256];
	FILE *f = fopen("/proc/modules", "r");
	int yes = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "memctl ", 7))
			yes = 1;
	fclose(f);
	return yes;
}

static int set_policy(struct memctl *mc, const char *cg, uint64_t high)
{
	struct memctl_policy p;

	memset(&p, 0, sizeof(p));
	snprintf(p.cgroup.path, sizeof(p.cgroup.path), "%s", cg);
	p.set = MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET;
	p.high = high;
	p.target = high / 2;
	return memctl_policy_set(mc, &p);
}

int main(int argc, char **argv)
{
	MEMCTL_OPTS(memctl_open_opts, opts, .timeout_ms = 30000);
	struct memctl_events *ev = NULL, *ev2 = NULL;
	struct memctl *mc = NULL, *mc2 = NULL;
	struct memctl_policy pol;
	struct memctl_info info;
	struct want w;
	char off[256];
	const char *cg;
	FILE *f;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: agent_reload CGROUP MODPROBE\n");
		return 2;
	}
	cg = argv[1];
	f = fopen("/proc/sys/kernel/modprobe", "r");
	if (!f || !fgets(off, sizeof(off), f)) {
		perror("agent_reload: /proc/sys/kernel/modprobe");
		return 2;
	}
	fclose(f);
	setvbuf(stdout, NULL, _IOLBF, 0);

	err = memctl_open_opts(&mc, &opts);
	EXPECT(!err, "memctl_open_opts: %s", memctl_strerror(err));
	err = memctl_events_open_opts(&ev, NULL);
	EXPECT(!err, "memctl_events_open_opts: %s", memctl_strerror(err));

	/* The three "nothing there"s are told apart. */
	memctl_policy_del(mc, cg, 0);
	err = memctl_policy_get(mc, cg, 0, &pol);
	EXPECT(err == -ENODATA, "no policy: %d (%s), want -ENODATA", err,
	       memctl_strerror(err));
	err = memctl_policy_get(mc, "/memctl-no-such-cgroup", 0, &pol);
	EXPECT(err == -ENOENT, "no such cgroup: %d (%s), want -ENOENT", err,
	       memctl_strerror(err));
	err = set_policy(mc, cg, 64 << 20);
	EXPECT(!err, "policy set: %s: %s", memctl_strerror(err),
	       memctl_errmsg(mc));
	w = (struct want){ MEMCTL_EVENT_POLICY, MEMCTL_POLICY_EVENT_CREATED, cg, 0 };
	err = wait_event(ev, &w);
	EXPECT(!err, "the policy's event came");

	/* Unloaded under both handles. */
	EXPECT(system("rmmod memctl") == 0, "rmmod memctl");
	w = (struct want){ MEMCTL_EVENT_MODULE, MEMCTL_MODULE_UNLOADED, NULL, 0 };
	err = wait_event(ev, &w);
	EXPECT(!err, "the events handle says: module unloaded");
	/* Requests find the family gone, and do not load it again. */
	EXPECT(!write_file("/proc/sys/kernel/modprobe", argv[2]),
	       "autoloading on: kernel.modprobe = %s", argv[2]);
	err = memctl_get_info(mc, &info);
	EXPECT(err == -ESHUTDOWN, "a request after the unload: %d (%s), want "
	       "-ESHUTDOWN", err, memctl_strerror(err));
	err = memctl_policy_get(mc, cg, 0, &pol);
	EXPECT(err == -ESHUTDOWN, "and again: %d, want -ESHUTDOWN", err);
	EXPECT(loaded() == 0, "the requests did not load the module again");
	EXPECT(!write_file("/proc/sys/kernel/modprobe", off),
	       "autoloading off again");
	err = memctl_open_opts(&mc2, NULL);
	EXPECT(err == -ENOPROTOOPT && !mc2, "memctl_open_opts without the "
	       "module: %d (%s), want -ENOPROTOOPT", err, memctl_strerror(err));
	err = memctl_events_open_opts(&ev2, NULL);
	EXPECT(err == -ENOPROTOOPT && !ev2, "memctl_events_open_opts without "
	       "the module: %d, want -ENOPROTOOPT", err);
	err = memctl_open(&mc2);
	EXPECT(err == -ENOENT, "memctl_open (MEMCTL_1.0's codes): %d, want "
	       "-ENOENT", err);

	/* Back: the old handles work again, without being reopened. */
	EXPECT(system("modprobe memctl") == 0, "modprobe memctl");
	w = (struct want){ MEMCTL_EVENT_MODULE, MEMCTL_MODULE_LOADED, NULL, 0 };
	err = wait_event(ev, &w);
	EXPECT(!err, "the events handle says: module loaded");
	err = memctl_get_info(mc, &info);
	EXPECT(!err, "the request handle works again: %s",
	       memctl_strerror(err));
	err = memctl_policy_get(mc, cg, 0, &pol);
	EXPECT(err == -ENODATA, "the new module has no policy: %d, want "
	       "-ENODATA", err);
	err = set_policy(mc, cg, 96 << 20);
	EXPECT(!err, "policy set after the reload: %s", memctl_strerror(err));
	w = (struct want){ MEMCTL_EVENT_POLICY, MEMCTL_POLICY_EVENT_CREATED, cg, 0 };
	err = wait_event(ev, &w);
	EXPECT(!err, "the events handle, subscribed again, gets its event");
	err = memctl_policy_del(mc, cg, 0);
	EXPECT(!err, "policy del");
	err = memctl_policy_del(mc, cg, 0);
	EXPECT(err == -ENODATA, "policy del again: %d, want -ENODATA", err);
out:
	memctl_events_close(ev);
	memctl_close(mc);
	printf("%s\n", failed ? "agent_reload: FAIL" : "agent_reload: ok");
	return failed;
}
