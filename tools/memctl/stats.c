// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl stats [CGROUP]
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char stats_usage[] =
	"Usage: memctl stats [CGROUP]\n"
	"\n"
	"Without CGROUP, one line per cgroup with a policy: usage, what it is\n"
	"made of, the policy's marks, what memctl reclaimed per class, and the\n"
	"cgroup's bytes in the compressed tier.  With CGROUP, every counter of\n"
	"that cgroup.\n"
	"\n"
	"With -j: an array of objects (one with CGROUP) with the keys cgroup, id,\n"
	"usage, slab_reclaimable, slab_unreclaimable, file, anon, swap, high,\n"
	"target, episodes, steps, reclaimed {slab, file, anon}, reclaim_time_ns,\n"
	"shortfalls, pressure_stops, last_stop, last_freed, last_duration_ns,\n"
	"tier {stored_pages, compressed_bytes, same_filled_pages, stores, loads,\n"
	"cap_stops, overage}.  Sizes are bytes.\n";

void json_stats_object(struct json *j, const struct memctl_stats *s)
{
	json_obj_begin(j);
	json_cgroup(j, &s->cgroup);
	json_ku64(j, "usage", s->usage);
	json_ku64(j, "slab_reclaimable", s->slab_reclaimable);
	json_ku64(j, "slab_unreclaimable", s->slab_unreclaimable);
	json_ku64(j, "file", s->file);
	json_ku64(j, "anon", s->anon);
	json_ku64(j, "swap", s->swap);
	json_ku64(j, "high", s->high);
	json_ku64(j, "target", s->target);
	json_ku64(j, "episodes", s->episodes);
	json_ku64(j, "steps", s->steps);
	json_key(j, "reclaimed");
	json_obj_begin(j);
	json_ku64(j, "slab", s->reclaimed_slab);
	json_ku64(j, "file", s->reclaimed_file);
	json_ku64(j, "anon", s->reclaimed_anon);
	json_obj_end(j);
	json_ku64(j, "reclaim_time_ns", s->reclaim_time_ns);
	json_ku64(j, "shortfalls", s->shortfalls);
	json_ku64(j, "pressure_stops", s->pressure_stops);
	json_kstr(j, "last_stop", memctl_stop_name(s->last_stop));
	json_ku64(j, "last_freed", s->last_freed);
	json_ku64(j, "last_duration_ns", s->last_duration_ns);
	json_key(j, "tier");
	json_obj_begin(j);
	json_ku64(j, "stored_pages", s->tier_stored_pages);
	json_ku64(j, "compressed_bytes", s->tier_compressed_bytes);
	json_ku64(j, "same_filled_pages", s->tier_same_filled_pages);
	json_ku64(j, "stores", s->tier_stores);
	json_ku64(j, "loads", s->tier_loads);
	json_ku64(j, "cap_stops", s->tier_cap_stops);
	json_ku64(j, "overage", s->tier_overage);
	json_obj_end(j);
	json_obj_end(j);
}

void stats_print(FILE *f, const struct memctl_stats *s)
{
	char a[MEMCTL_SIZE_STR_MAX], t[32];

	kv_print(f, "cgroup", "%s", s->cgroup.path[0] ? s->cgroup.path : "-");
	kv_print(f, "id", "%llu", (unsigned long long)s->cgroup.id);
	kv_print(f, "usage", "%s", fmt_size(s->usage, a));
	kv_print(f, "slab reclaimable", "%s", fmt_size(s->slab_reclaimable, a));
	kv_print(f, "slab unreclaimable", "%s",
		 fmt_size(s->slab_unreclaimable, a));
	kv_print(f, "file", "%s", fmt_size(s->file, a));
	kv_print(f, "anon", "%s", fmt_size(s->anon, a));
	kv_print(f, "swap", "%s", fmt_size(s->swap, a));
	kv_print(f, "high", "%s", fmt_size(s->high, a));
	kv_print(f, "target", "%s", fmt_size(s->target, a));
	kv_print(f, "episodes", "%llu", (unsigned long long)s->episodes);
	kv_print(f, "steps", "%llu", (unsigned long long)s->steps);
	kv_print(f, "reclaimed slab", "%s", fmt_size(s->reclaimed_slab, a));
	kv_print(f, "reclaimed file", "%s", fmt_size(s->reclaimed_file, a));
	kv_print(f, "reclaimed anon", "%s", fmt_size(s->reclaimed_anon, a));
	kv_print(f, "reclaim time", "%s",
		 fmt_ns(s->reclaim_time_ns, t, sizeof(t)));
	kv_print(f, "shortfalls", "%llu", (unsigned long long)s->shortfalls);
	kv_print(f, "pressure stops", "%llu",
		 (unsigned long long)s->pressure_stops);
	kv_print(f, "last stop", "%s", memctl_stop_name(s->last_stop));
	kv_print(f, "last freed", "%s", fmt_size(s->last_freed, a));
	kv_print(f, "last duration", "%s",
		 fmt_ns(s->last_duration_ns, t, sizeof(t)));
	kv_print(f, "tier stored pages", "%llu",
		 (unsigned long long)s->tier_stored_pages);
	kv_print(f, "tier compressed", "%s",
		 fmt_size(s->tier_compressed_bytes, a));
	kv_print(f, "tier same-filled pages", "%llu",
		 (unsigned long long)s->tier_same_filled_pages);
	kv_print(f, "tier stores", "%llu", (unsigned long long)s->tier_stores);
	kv_print(f, "tier loads", "%llu", (unsigned long long)s->tier_loads);
	kv_print(f, "tier cap stops", "%llu",
		 (unsigned long long)s->tier_cap_stops);
	kv_print(f, "tier overage", "%s", fmt_size(s->tier_overage, a));
}

void stats_table_row(struct table *t, const struct memctl_stats *s)
{
	char id[24], episodes[24], b[11][MEMCTL_SIZE_STR_MAX];

	snprintf(id, sizeof(id), "%llu", (unsigned long long)s->cgroup.id);
	snprintf(episodes, sizeof(episodes), "%llu",
		 (unsigned long long)s->episodes);
	table_add(t, s->cgroup.path[0] ? s->cgroup.path : NULL, id,
		  fmt_size(s->usage, b[0]), fmt_size(s->high, b[1]),
		  fmt_size(s->target, b[2]),
		  fmt_size(s->slab_reclaimable + s->slab_unreclaimable, b[3]),
		  fmt_size(s->file, b[4]), fmt_size(s->anon, b[5]),
		  fmt_size(s->swap, b[6]), episodes,
		  fmt_size(s->reclaimed_slab, b[7]),
		  fmt_size(s->reclaimed_file, b[8]),
		  fmt_size(s->reclaimed_anon, b[9]),
		  fmt_size(s->tier_compressed_bytes, b[10]),
		  memctl_stop_name(s->last_stop));
}

struct stats_ctx {
	struct json j;
	struct table t;
	bool started;
};

static int stats_one(const struct memctl_stats *s, void *arg)
{
	struct stats_ctx *ctx = arg;

	if (json_output) {
		if (!ctx->started)
			json_arr_begin(&ctx->j);
		ctx->started = true;
		json_stats_object(&ctx->j, s);
	} else {
		stats_table_row(&ctx->t, s);
	}
	return 0;
}

int stats_main(int argc, char **argv)
{
	struct memctl_stats *s = NULL;
	struct stats_ctx ctx;
	struct cgroup_arg cg;
	struct memctl *mc;
	int err;

	if (argc > 1 && (err = parse_cgroup_arg(argv[1], &cg)))
		return err;
	if ((err = no_more_args(argc, argv, 2)))
		return err;
	if ((err = open_memctl(&mc)))
		return err;

	json_init(&ctx.j, stdout);
	ctx.started = false;
	table_init(&ctx.t, 15, "lrrrrrrrrrrrrrl");
	table_add(&ctx.t, "CGROUP", "ID", "USAGE", "HIGH", "TARGET", "SLAB",
		  "FILE", "ANON", "SWAP", "EPISODES", "R-SLAB", "R-FILE",
		  "R-ANON", "TIER", "LAST-STOP");
	if (argc > 1) {
		s = malloc(sizeof(*s));
		err = s ? memctl_stats_get(mc, cg.path, cg.id, s) : -ENOMEM;
		if (!err && json_output)
			stats_one(s, &ctx);
		else if (!err)
			stats_print(stdout, s);
	} else {
		err = memctl_stats_foreach(mc, stats_one, &ctx);
		if (!err && !json_output)
			table_print(&ctx.t, stdout);
	}
	if (err) {
		err = kernel_error(mc, err, "stats%s%s", argc > 1 ? " " : "",
				   argc > 1 ? cgroup_arg_name(&cg) : "");
	} else if (json_output) {
		if (!ctx.started)
			json_arr_begin(&ctx.j);
		json_arr_end(&ctx.j);
	}
	table_free(&ctx.t);
	free(s);
	memctl_close(mc);
	return err;
}
