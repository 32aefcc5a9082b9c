// SPDX-License-Identifier: GPL-2.0-only
/*
 * What memctl prints for the kernel's replies and events, from fabricated
 * replies: the JSON keys are a contract scripts depend on (exact strings
 * here, so that a renamed or reordered key shows), and the human output
 * must carry the numbers in the agreed units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fields.h"
#include "unit.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

struct capture {
	char *buf;
	size_t len;
	FILE *f;
	struct json j;
};

static void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	json_init(&c->j, c->f);
}

static const char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static void full_policy(struct memctl_policy *p)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->cgroup.path, "/app.slice/web");
	p->cgroup.id = 4242;
	p->set = MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET |
		 MEMCTL_POLICY_F_INTERVAL | MEMCTL_POLICY_F_CLASSES |
		 MEMCTL_POLICY_F_SLAB_FIRST | MEMCTL_POLICY_F_PRESSURE |
		 MEMCTL_POLICY_F_TIER | MEMCTL_POLICY_F_TIER_MAX;
	p->high = 2 * GiB;
	p->target = 3 * GiB / 2;
	p->interval_ms = 500;
	p->classes = MEMCTL_F_CLASS_SLAB | MEMCTL_F_CLASS_FILE;
	p->slab_first = 10;
	p->pressure_us = 20000;
	p->tier = true;
	p->tier_max = 256 * MiB;
}

TEST(output_policy)
{
	struct memctl_policy p;
	struct capture c;
	struct table t;

	full_policy(&p);
	cap_open(&c);
	json_obj_begin(&c.j);
	json_cgroup(&c.j, &p.cgroup);
	json_policy_fields(&c.j, &p);
	json_obj_end(&c.j);
	/* a policy event may carry only the cgroup */
	p.set = 0;
	json_obj_begin(&c.j);
	json_policy_fields(&c.j, &p);
	json_obj_end(&c.j);
	CHECK_STR(cap_close(&c),
		  "{\"cgroup\":\"/app.slice/web\",\"id\":4242,\"high\":2147483648,"
		  "\"target\":1610612736,\"interval_ms\":500,"
		  "\"classes\":[\"slab\",\"file\"],\"slab_first\":10,"
		  "\"pressure_us\":20000,\"tier\":true,\"tier_max\":268435456,"
		  "\"mode\":null,\"min\":null}\n"
		  "{\"high\":null,\"target\":null,\"interval_ms\":null,"
		  "\"classes\":null,\"slab_first\":null,\"pressure_us\":null,"
		  "\"tier\":null,\"tier_max\":null,\"mode\":null,\"min\":null}\n");
	free(c.buf);

	full_policy(&p);
	cap_open(&c);
	table_init(&t, 10, "lrrrrlrrll");
	policy_table_row(&t, &p);
	p.pressure_us = 0;
	p.tier_max = 0;
	p.tier = false;
	p.set &= ~MEMCTL_POLICY_F_INTERVAL;
	policy_table_row(&t, &p);
	table_print(&t, c.f);
	table_free(&t);
	CHECK_STR(cap_close(&c),
		  "/app.slice/web  4242  2G  1.5G  500ms  slab,file  10%  20000us  on   256M\n"
		  "/app.slice/web  4242  2G  1.5G      -  slab,file  10%     none  off  none\n");
	free(c.buf);
}

static void full_stats(struct memctl_cgroup_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->cgroup.path = "/s";
	s->cgroup.id = 9;
	/* every counter a distinct value, in the order of the struct */
	s->usage = 1;
	s->slab_reclaimable = 2;
	s->slab_unreclaimable = 3;
	s->file = 4;
	s->anon = 5;
	s->swap = 6;
	s->high = 7;
	s->target = 8;
	s->episodes = 9;
	s->steps = 10;
	s->reclaimed_slab = 11;
	s->reclaimed_file = 12;
	s->reclaimed_anon = 13;
	s->reclaim_time_ns = 14;
	s->reclaim_cpu_ns = 26;
	s->shortfalls = 15;
	s->pressure_stops = 16;
	s->limit_stops = 27;
	s->last_stop = MEMCTL_STOP_TIER_CAP;
	s->last_freed = 17;
	s->last_duration_ns = 18;
	s->tier_stored_pages = 19;
	s->tier_compressed_bytes = 20;
	s->tier_same_filled_pages = 21;
	s->tier_stores = 22;
	s->tier_loads = 23;
	s->tier_cap_stops = 24;
	s->tier_overage = 25;
}

TEST(output_stats)
{
	struct memctl_cgroup_stats s;
	struct capture c;
	struct table t;
	const char *out;

	full_stats(&s);
	cap_open(&c);
	json_stats_object(&c.j, &s);
	CHECK_STR(cap_close(&c),
		  "{\"cgroup\":\"/s\",\"id\":9,\"usage\":1,\"slab_reclaimable\":2,"
		  "\"slab_unreclaimable\":3,\"file\":4,\"anon\":5,\"swap\":6,"
		  "\"high\":7,\"target\":8,\"episodes\":9,\"steps\":10,"
		  "\"reclaimed\":{\"slab\":11,\"file\":12,\"anon\":13},"
		  "\"reclaim_time_ns\":14,\"reclaim_cpu_ns\":26,\"shortfalls\":15,\"pressure_stops\":16,"
		  "\"limit_stops\":27,\"last_stop\":\"tier-cap\",\"last_freed\":17,"
		  "\"last_duration_ns\":18,"
		  "\"tier\":{\"stored_pages\":19,\"compressed_bytes\":20,"
		  "\"same_filled_pages\":21,\"stores\":22,\"loads\":23,"
		  "\"cap_stops\":24,\"overage\":25,\"cap_refusals\":0,\"backing_pages\":0},"
		  "\"auto\":null}\n");
	free(c.buf);

	memset(&s, 0, sizeof(s));
	s.cgroup.path = "/web";
	s.cgroup.id = 77;
	s.usage = 3 * GiB / 2;
	s.high = 2 * GiB;
	s.target = GiB;
	s.slab_reclaimable = 10 * MiB;
	s.slab_unreclaimable = 2 * MiB;
	s.file = 600 * MiB;
	s.episodes = 3;
	s.reclaimed_file = 512 * MiB;
	s.tier_compressed_bytes = 1536;
	s.last_stop = MEMCTL_STOP_TARGET;
	cap_open(&c);
	table_init(&t, 15, "lrrrrrrrrrrrrrl");
	stats_table_row(&t, &s);
	table_print(&t, c.f);
	table_free(&t);
	CHECK_STR(cap_close(&c),
		  "/web  77  1.5G  2G  1G  12M  600M  0  0  3  0  512M  0  1.5K  target\n");
	free(c.buf);

	cap_open(&c);
	stats_print(c.f, &s);
	out = cap_close(&c);
	CHECK(strstr(out, "cgroup                /web\n") != NULL);
	CHECK(strstr(out, "usage                 1.5G\n") != NULL);
	CHECK(strstr(out, "reclaimed file        512M\n") != NULL);
	CHECK(strstr(out, "last stop             target\n") != NULL);
	CHECK(strstr(out, "tier compressed       1.5K\n") != NULL);
	free(c.buf);
}

static void full_reclaim(struct memctl_reclaim_result *r)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->cgroup.path, "/r");
	r->cgroup.id = 3;
	r->requested = 512 * MiB;
	r->classes = __MEMCTL_F_CLASS_ALL;
	r->freed_slab = 100 * MiB;
	r->freed_file = 200 * MiB;
	r->freed_anon = 0;
	r->duration_ns = 12300000;
	r->steps = 3;
	r->stop = MEMCTL_STOP_PRESSURE;
	r->trigger = MEMCTL_TRIGGER_POLICY;
	r->usage_before = 2 * GiB;
	r->usage_after = 2 * GiB - 300 * MiB;
	r->cpu_ns = 4500000;
}

TEST(output_reclaim)
{
	struct memctl_reclaim_result r;
	struct capture c;

	full_reclaim(&r);
	cap_open(&c);
	json_obj_begin(&c.j);
	json_cgroup(&c.j, &r.cgroup);
	json_reclaim_fields(&c.j, &r);
	json_obj_end(&c.j);
	CHECK_STR(cap_close(&c),
		  "{\"cgroup\":\"/r\",\"id\":3,\"requested\":536870912,"
		  "\"classes\":[\"slab\",\"file\",\"anon\"],"
		  "\"freed\":{\"slab\":104857600,\"file\":209715200,\"anon\":0},"
		  "\"duration_ns\":12300000,\"cpu_ns\":4500000,\"steps\":3,\"stop\":\"pressure\","
		  "\"usage_before\":2147483648,\"usage_after\":1832910848}\n");
	free(c.buf);

	cap_open(&c);
	reclaim_print(c.f, &r);
	CHECK_STR(cap_close(&c),
		  "/r: freed 300M of 512M in 12.3ms, 3 steps, stopped: pressure\n"
		  "  slab                100M\n"
		  "  file                200M\n"
		  "  anon                0\n"
		  "  usage               2G -> 1.7G\n"
		  "  cpu                 4.5ms\n");
	free(c.buf);
}

static void full_tier(struct memctl_tier *t)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->device, "memctl0");
	strcpy(t->algo, "zstd");
	t->size = GiB;
	t->in_use = true;
	t->stored_pages = 1000;
	t->compressed_bytes = MiB;
	t->pool_bytes = 2 * MiB;
	t->same_filled_pages = 5;
	t->huge_pages = 6;
	t->stores = 7;
	t->loads = 8;
	t->failed_stores = 9;
	t->failed_loads = 10;
	t->discards = 11;
}

TEST(output_tier)
{
	struct memctl_tier t;
	struct capture c;
	const char *out;

	full_tier(&t);
	cap_open(&c);
	json_obj_begin(&c.j);
	json_tier_fields(&c.j, &t);
	json_obj_end(&c.j);
	CHECK_STR(cap_close(&c),
		  "{\"device\":\"memctl0\",\"path\":\"/dev/memctl0\","
		  "\"size\":1073741824,\"algo\":\"zstd\",\"in_use\":true,"
		  "\"stored_pages\":1000,\"compressed_bytes\":1048576,"
		  "\"pool_bytes\":2097152,\"same_filled_pages\":5,"
		  "\"huge_pages\":6,\"stores\":7,\"loads\":8,"
		  "\"failed_stores\":9,\"failed_loads\":10,\"discards\":11}\n");
	free(c.buf);

	cap_open(&c);
	tier_print(c.f, &t);
	out = cap_close(&c);
	CHECK(strstr(out, "device                /dev/memctl0\n") == out);
	CHECK(strstr(out, "size                  1G\n") != NULL);
	CHECK(strstr(out, "in use                yes\n") != NULL);
	CHECK(strstr(out, "discards              11\n") != NULL);
	free(c.buf);

	memset(&t, 0, sizeof(t));
	cap_open(&c);
	tier_print(c.f, &t);
	out = cap_close(&c);
	CHECK(!strncmp(out, "no compressed tier", 18));
	free(c.buf);
}

TEST(output_events)
{
	struct memctl_event *ev = calloc(1, sizeof(*ev));
	/* 2024-05-01T11:34:56.789Z, printed in a zone 5:30 east of UTC */
	const struct timespec ts = { 1714563296, 789000000 };
	const char *tz = getenv("TZ");
	char *saved_tz = tz ? strdup(tz) : NULL;
	struct capture c;
	bool saved = json_output;

	if (!ev)
		return;
	setenv("TZ", "IST-5:30", 1);
	tzset();
	cap_open(&c);
	ev->type = MEMCTL_EVENT_POLICY;
	ev->action = MEMCTL_POLICY_EVENT_DELETED;
	strcpy(ev->cgroup.path, "/p");
	ev->cgroup.id = 5;
	ev->policy.cgroup = ev->cgroup;
	json_output = false;
	monitor_write_event(c.f, ev, &ts);
	json_output = true;
	monitor_write_event(c.f, ev, &ts);

	ev->type = MEMCTL_EVENT_RECLAIM;
	full_reclaim(&ev->reclaim);
	ev->action = ev->reclaim.trigger;
	ev->cgroup = ev->reclaim.cgroup;
	json_output = false;
	monitor_write_event(c.f, ev, &ts);
	json_output = true;
	monitor_write_event(c.f, ev, &ts);

	ev->type = MEMCTL_EVENT_TIER;
	ev->action = MEMCTL_TIER_EVENT_FULL;
	memset(&ev->cgroup, 0, sizeof(ev->cgroup));
	full_tier(&ev->tier);
	json_output = false;
	monitor_write_event(c.f, ev, &ts);
	json_output = true;
	monitor_write_event(c.f, ev, &ts);
	json_output = saved;
	if (saved_tz)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);

	CHECK_STR(cap_close(&c),
		  "2024-05-01T17:04:56.789+05:30 policy deleted /p id=5\n"
		  "{\"time\":\"2024-05-01T17:04:56.789+05:30\",\"event\":\"policy\",\"action\":\"deleted\",\"cgroup\":\"/p\","
		  "\"id\":5,\"high\":null,\"target\":null,\"interval_ms\":null,"
		  "\"classes\":null,\"slab_first\":null,\"pressure_us\":null,"
		  "\"tier\":null,\"tier_max\":null,\"mode\":null,\"min\":null}\n"
		  "2024-05-01T17:04:56.789+05:30 reclaim policy /r id=3 freed=300M slab=100M file=200M anon=0 "
		  "duration=12.3ms cpu=4.5ms steps=3 stop=pressure usage=2G->1.7G\n"
		  "{\"time\":\"2024-05-01T17:04:56.789+05:30\",\"event\":\"reclaim\",\"action\":\"policy\",\"cgroup\":\"/r\","
		  "\"id\":3,\"requested\":536870912,"
		  "\"classes\":[\"slab\",\"file\",\"anon\"],"
		  "\"freed\":{\"slab\":104857600,\"file\":209715200,\"anon\":0},"
		  "\"duration_ns\":12300000,\"cpu_ns\":4500000,\"steps\":3,\"stop\":\"pressure\","
		  "\"usage_before\":2147483648,\"usage_after\":1832910848,\"auto\":null}\n"
		  "2024-05-01T17:04:56.789+05:30 tier full device=memctl0 size=1G algo=zstd stored-pages=1000 "
		  "compressed=1M\n"
		  "{\"time\":\"2024-05-01T17:04:56.789+05:30\",\"event\":\"tier\",\"action\":\"full\",\"cgroup\":null,\"id\":null,"
		  "\"device\":\"memctl0\",\"path\":\"/dev/memctl0\","
		  "\"size\":1073741824,\"algo\":\"zstd\",\"in_use\":true,"
		  "\"stored_pages\":1000,\"compressed_bytes\":1048576,"
		  "\"pool_bytes\":2097152,\"same_filled_pages\":5,"
		  "\"huge_pages\":6,\"stores\":7,\"loads\":8,"
		  "\"failed_stores\":9,\"failed_loads\":10,\"discards\":11}\n");
	free(c.buf);
	free(ev);
}

/*
 * Mode auto in policy show's JSON: mode a word, min in bytes, high and
 * target null when the kernel sent no ceiling; monitor's text and JSON of
 * a run of mode auto carry its trigger and the two figures.
 */
TEST(output_mode_auto)
{
	struct memctl_event *ev = calloc(1, sizeof(*ev));
	const struct timespec ts = { 1714563296, 789000000 };
	struct memctl_policy p;
	struct capture c;
	bool saved = json_output;
	const char *out;
	char buf[MEMCTL_CLASSES_STR_MAX];
	size_t i;

	if (!ev)
		return;
	memset(&p, 0, sizeof(p));
	p.set = MEMCTL_POLICY_F_MODE | MEMCTL_POLICY_F_MIN |
		MEMCTL_POLICY_F_PRESSURE;
	p.mode = MEMCTL_MODE_AUTO;
	p.min = GiB;
	p.pressure_us = MEMCTL_AUTO_PRESSURE_DEFAULT;
	cap_open(&c);
	json_obj_begin(&c.j);
	json_policy_fields(&c.j, &p);
	json_obj_end(&c.j);
	p.set = MEMCTL_POLICY_F_MODE | MEMCTL_POLICY_F_HIGH |
		MEMCTL_POLICY_F_TARGET;
	p.mode = MEMCTL_MODE_THRESHOLD;
	p.high = 2 * GiB;
	p.target = GiB;
	json_obj_begin(&c.j);
	json_policy_fields(&c.j, &p);
	json_obj_end(&c.j);
	CHECK_STR(cap_close(&c),
		  "{\"high\":null,\"target\":null,\"interval_ms\":null,"
		  "\"classes\":null,\"slab_first\":null,\"pressure_us\":1000,"
		  "\"tier\":null,\"tier_max\":null,\"mode\":\"auto\","
		  "\"min\":1073741824}\n"
		  "{\"high\":2147483648,\"target\":1073741824,\"interval_ms\":null,"
		  "\"classes\":null,\"slab_first\":null,\"pressure_us\":null,"
		  "\"tier\":null,\"tier_max\":null,\"mode\":\"threshold\","
		  "\"min\":null}\n");
	free(c.buf);

	/* the table's words */
	for (i = 0; i < nr_policy_fields; i++)
		if (policy_fields[i].flag == MEMCTL_POLICY_F_MODE)
			CHECK_STR(policy_field_text(&policy_fields[i], &p, true,
						    buf, sizeof(buf)),
				  "threshold");
	CHECK_STR(policy_mode_name(MEMCTL_MODE_AUTO), "auto");
	CHECK_STR(policy_mode_name(7), "unknown");

	ev->type = MEMCTL_EVENT_RECLAIM;
	full_reclaim(&ev->reclaim);
	ev->reclaim.trigger = MEMCTL_TRIGGER_AUTO;
	ev->reclaim.auto_working_set = 3 * GiB / 2;
	ev->reclaim.auto_saved = 300 * MiB;
	ev->action = ev->reclaim.trigger;
	ev->cgroup = ev->reclaim.cgroup;
	cap_open(&c);
	json_output = false;
	monitor_write_event(c.f, ev, &ts);
	json_output = true;
	monitor_write_event(c.f, ev, &ts);
	json_output = saved;
	out = cap_close(&c);
	CHECK(strstr(out, " reclaim auto /r id=3 freed=300M ") != NULL);
	CHECK(strstr(out, " usage=2G->1.7G working-set=1.5G saved=300M\n") != NULL);
	CHECK(strstr(out, "\"action\":\"auto\"") != NULL);
	CHECK(strstr(out, "\"usage_after\":1832910848,\"auto\":"
		     "{\"working_set\":1610612736,\"saved\":314572800}}\n") != NULL);
	free(c.buf);
	free(ev);
}
