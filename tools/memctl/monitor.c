// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl monitor: one line per event until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fields.h"

const char monitor_usage[] =
	"Usage: memctl monitor\n"
	"\n"
	"Print memctl's events, one line each as they arrive, until interrupted\n"
	"(SIGINT or SIGTERM, exit 0).  Each line starts with the time it was\n"
	"received, ISO 8601 in local time with milliseconds\n"
	"(2024-05-01T12:34:56.789+02:00):\n"
	"  TIME policy ACTION CGROUP id=ID [high=SIZE target=SIZE ...]\n"
	"      ACTION: created, changed, deleted, cgroup-removed\n"
	"  TIME reclaim TRIGGER CGROUP id=ID freed=SIZE slab=SIZE file=SIZE\n"
	"       anon=SIZE duration=TIME steps=N stop=REASON usage=SIZE->SIZE\n"
	"       [working-set=SIZE saved=SIZE]\n"
	"      TRIGGER: policy (usage rose above high), oneshot, or auto (a\n"
	"               check of a policy in mode auto, which adds its\n"
	"               working-set estimate and the bytes it saved)\n"
	"      REASON: target, pressure, no-progress, tier-cap, cancelled,\n"
	"              time-limit, step-limit\n"
	"  TIME tier ACTION [CGROUP id=ID] device=NAME size=SIZE ...\n"
	"      ACTION: created, deleted, full, cap-exceeded\n"
	"  TIME module ACTION\n"
	"      ACTION: unloaded (no event comes until it is back), loaded\n"
	"              (again: its policies are gone; monitoring goes on)\n"
	"\n"
	"With -j: one JSON object per line with the keys time (as above), event\n"
	"(policy, reclaim, tier, module), action (for reclaim: the trigger), cgroup, id,\n"
	"then the fields of 'policy show', 'reclaim' (and auto, {working_set,\n"
	"saved} for the trigger auto, else null) or 'tier show'.  Lost\n"
	"events (the receive buffer overflowed) are reported on stderr and\n"
	"monitoring goes on.\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_cgroup(FILE *f, const struct memctl_cgroup *cg)
{
	if (cg->path[0])
		fprintf(f, " %s", cg->path);
	if (cg->id)
		fprintf(f, " id=%llu", (unsigned long long)cg->id);
}

/* " high=1G target=512M ...": the fields the kernel sent. */
static void print_policy(FILE *f, const struct memctl_policy *p)
{
	char buf[MEMCTL_CLASSES_STR_MAX];
	size_t i;

	for (i = 0; i < nr_policy_fields; i++)
		if (p->set & policy_fields[i].flag)
			fprintf(f, " %s=%s", policy_fields[i].keyword,
				policy_field_text(&policy_fields[i], p, false,
						  buf, sizeof(buf)));
}

static void print_reclaim(FILE *f, const struct memctl_reclaim_result *r)
{
	char a[MEMCTL_SIZE_STR_MAX], b[MEMCTL_SIZE_STR_MAX], t[32];

	fprintf(f, " freed=%s", fmt_size(r->freed_slab + r->freed_file +
					r->freed_anon, a));
	fprintf(f, " slab=%s", fmt_size(r->freed_slab, a));
	fprintf(f, " file=%s", fmt_size(r->freed_file, a));
	fprintf(f, " anon=%s", fmt_size(r->freed_anon, a));
	fprintf(f, " duration=%s", fmt_ns(r->duration_ns, t, sizeof(t)));
	fprintf(f, " cpu=%s", fmt_ns(r->cpu_ns, t, sizeof(t)));
	fprintf(f, " steps=%u stop=%s", r->steps, memctl_stop_name(r->stop));
	fprintf(f, " usage=%s->%s", fmt_size(r->usage_before, a),
		fmt_size(r->usage_after, b));
	if (r->trigger == MEMCTL_TRIGGER_AUTO) {
		fprintf(f, " working-set=%s", fmt_size(r->auto_working_set, a));
		fprintf(f, " saved=%s", fmt_size(r->auto_saved, a));
	}
}

/* "auto": what a run of mode auto learned, or null for other runs. */
static void json_reclaim_auto(struct json *j,
			      const struct memctl_reclaim_result *r)
{
	json_key(j, "auto");
	if (r->trigger != MEMCTL_TRIGGER_AUTO) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_ku64(j, "working_set", r->auto_working_set);
	json_ku64(j, "saved", r->auto_saved);
	json_obj_end(j);
}

/* " device=memctl0 size=1G ...": the tier's fields for events. */
static void print_tier(FILE *f, const struct memctl_tier *t)
{
	char a[MEMCTL_SIZE_STR_MAX];
	size_t i;

	for (i = 0; i < nr_tier_fields; i++) {
		const struct tier_field *fl = &tier_fields[i];
		const char *str = tier_field_str(fl, t);
		uint64_t v = fl->unit == FU_STR ? 0 : tier_field_value(fl, t);

		if (!fl->event_key)
			continue;
		if (fl->event_if_set && (fl->unit == FU_STR ? !str[0] : !v))
			continue;
		if (fl->unit == FU_STR)
			fprintf(f, " %s=%s", fl->event_key, str);
		else if (fl->unit == FU_BYTES)
			fprintf(f, " %s=%s", fl->event_key, fmt_size(v, a));
		else
			fprintf(f, " %s=%llu", fl->event_key,
				(unsigned long long)v);
	}
}

static const char *action_name(const struct memctl_event *ev)
{
	switch (ev->type) {
	case MEMCTL_EVENT_POLICY:	return memctl_policy_event_name(ev->action);
	case MEMCTL_EVENT_RECLAIM:	return memctl_trigger_name(ev->action);
	case MEMCTL_EVENT_TIER:		return memctl_tier_event_name(ev->action);
	case MEMCTL_EVENT_MODULE:	return memctl_module_event_name(ev->action);
	default:			return "unknown";
	}
}

/* "2024-05-01T12:34:56.789+02:00": ISO 8601, local time, milliseconds. */
const char *fmt_time_iso(const struct timespec *ts, char *buf, size_t len)
{
	char date[32], zone[8];
	struct tm tm;
	time_t sec = ts->tv_sec;

	if (!localtime_r(&sec, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    strftime(zone, sizeof(zone), "%z", &tm) != 5) {
		snprintf(buf, len, "%lld.%03ld", (long long)ts->tv_sec,
			 ts->tv_nsec / 1000000);
		return buf;
	}
	/* strftime's %z is +hhmm; ISO 8601's extended format wants +hh:mm. */
	snprintf(buf, len, "%s.%03ld%.3s:%.2s", date, ts->tv_nsec / 1000000,
		 zone, zone + 3);
	return buf;
}

void monitor_write_event(FILE *f, const struct memctl_event *ev,
			 const struct timespec *ts)
{
	char when[64];

	fmt_time_iso(ts, when, sizeof(when));
	if (json_output) {
		struct json j;

		json_init(&j, f);
		json_obj_begin(&j);
		json_kstr(&j, "time", when);
		json_kstr(&j, "event", memctl_event_type_name(ev->type));
		json_kstr(&j, "action", action_name(ev));
		json_cgroup(&j, &ev->cgroup);
		if (ev->type == MEMCTL_EVENT_POLICY)
			json_policy_fields(&j, &ev->policy);
		else if (ev->type == MEMCTL_EVENT_RECLAIM) {
			json_reclaim_fields(&j, &ev->reclaim);
			json_reclaim_auto(&j, &ev->reclaim);
		} else if (ev->type == MEMCTL_EVENT_TIER) {
			json_tier_fields(&j, &ev->tier);
		}
		json_obj_end(&j);
	} else {
		fprintf(f, "%s %s %s", when, memctl_event_type_name(ev->type),
			action_name(ev));
		if (ev->type != MEMCTL_EVENT_MODULE)
			print_cgroup(f, &ev->cgroup);
		if (ev->type == MEMCTL_EVENT_POLICY)
			print_policy(f, &ev->policy);
		else if (ev->type == MEMCTL_EVENT_RECLAIM)
			print_reclaim(f, &ev->reclaim);
		else if (ev->type == MEMCTL_EVENT_TIER)
			print_tier(f, &ev->tier);
		fputc('\n', f);
	}
	fflush(f);
}

/*
 * memctl_events_read()'s callback: stamp the event and print it.  Return:
 * 0, or the negative errno of a failed write (-EIO if that is unknown).
 */
int monitor_print_event(const struct memctl_event *ev, void *arg)
{
	FILE *f = arg ? arg : stdout;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	errno = 0;
	monitor_write_event(f, ev, &now);
	if (ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

int monitor_main(int argc, char **argv)
{
	struct memctl_events *ev;
	sigset_t stopset, waitset;
	struct sigaction sa;
	int err;

	if ((err = no_more_args(argc, argv, 1)))
		return err;

	err = memctl_events_open_opts(&ev, NULL);
	if (err == -ENOPROTOOPT)
		return unavailable(err);
	if (err)
		return kernel_error(NULL, err, "monitor");

	/*
	 * SIGINT and SIGTERM are blocked but inside ppoll(), which unblocks
	 * them atomically: one that comes while events are printed is taken
	 * at the next wait, none is lost between the check and the wait.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: ppoll() returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	sigprocmask(SIG_BLOCK, &stopset, &waitset);
	sigdelset(&waitset, SIGINT);
	sigdelset(&waitset, SIGTERM);

	while (!stop) {
		struct pollfd pfd = { .fd = memctl_events_fd(ev), .events = POLLIN };

		if (ppoll(&pfd, 1, NULL, &waitset) < 0) {
			if (errno == EINTR)
				continue;
			err = kernel_error(NULL, -errno, "monitor");
			break;
		}
		err = memctl_events_read(ev, monitor_print_event, stdout);
		if (err == -ENOBUFS) {
			fprintf(stderr, "memctl: monitor: events were lost (the "
				"receive buffer overflowed)\n");
			err = 0;
		} else if (err < 0 && ferror(stdout)) {
			err = output_error(-err);
			break;
		} else if (err < 0) {
			err = kernel_error(NULL, err, "monitor");
			break;
		} else {
			err = 0;
		}
	}
	memctl_events_close(ev);
	return err;
}
