// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl policy set | show | del
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fields.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define POLICY_SET_SYNOPSIS \
	"       memctl policy set CGROUP high SIZE target SIZE [interval DURATION]\n" \
	"                         [classes LIST] [slab-first PERCENT] [pressure USEC]\n" \
	"                         [tier on|off] [tier-max SIZE] [mode threshold]\n" \
	"       memctl policy set CGROUP mode auto [min SIZE] [pressure USEC]\n" \
	"                         [classes LIST] [tier on|off] [tier-max SIZE]\n" \
	"                         [interval DURATION] [high SIZE target SIZE]\n"
#define POLICY_SHOW_SYNOPSIS \
	"       memctl policy show [CGROUP]\n"
#define POLICY_DEL_SYNOPSIS \
	"       memctl policy del CGROUP\n"

static const char policy_set_usage[] =
	"Usage:\n" POLICY_SET_SYNOPSIS
	"\n"
	"Create the reclaim policy of CGROUP, or replace it whole: keywords come\n"
	"in any order after CGROUP, each at most once, and the ones left out take\n"
	"their defaults.  Needs CAP_SYS_ADMIN.\n"
	"\n"
	"  high SIZE           when usage rises above SIZE, reclaim (1M .. 1P)\n"
	"  target SIZE         ...down to SIZE, which must be below high\n"
	"  interval DURATION   time between checks, 10ms .. 1h (default 1s): 500ms,\n"
	"                      2s, 1m; a bare number is seconds\n"
	"  classes LIST        what reclaim may take: slab, file, anon, comma\n"
	"                      separated, or all (default slab,file)\n"
	"  slab-first PERCENT  reclaim slab first while it is more than PERCENT\n"
	"                      of usage, 0 .. 100 (default " STR(MEMCTL_SLAB_FIRST_DEFAULT) ")\n"
	"  pressure USEC       stop when the PSI \"some\" stall passes USEC\n"
	"                      microseconds per second, 0 .. 1000000; 0: no limit\n"
	"  tier on|off         memctl may push anonymous pages into the tier\n"
	"  tier-max SIZE       cap on this cgroup's compressed bytes in the tier;\n"
	"                      0: no cap\n"
	"  mode threshold|auto threshold (the default): reclaim from high down\n"
	"                      to target.  auto: each check gives back a share\n"
	"                      of what the cgroup holds above min while its\n"
	"                      memory stall stays under pressure (default\n"
	"                      " STR(MEMCTL_AUTO_PRESSURE_DEFAULT) "us, 1 .. 1000000) and it does not fault\n"
	"                      back; high and target, optional and together,\n"
	"                      are a ceiling; with tier on and no classes, the\n"
	"                      classes are slab,file,anon\n"
	"  min SIZE            mode auto: never below SIZE (default 0), at most\n"
	"                      target\n";

static const char policy_show_usage[] =
	"Usage:\n" POLICY_SHOW_SYNOPSIS
	"\n"
	"Show the policy of CGROUP, or every policy.  With -j: an array of\n"
	"objects with the keys cgroup, id, high, target, interval_ms, classes,\n"
	"slab_first, pressure_us, tier, tier_max, mode (\"threshold\" or\n"
	"\"auto\"), min (null in mode threshold).  high and target are null in\n"
	"mode auto without a ceiling.\n";

static const char policy_del_usage[] =
	"Usage:\n" POLICY_DEL_SYNOPSIS
	"\n"
	"Delete the policy of CGROUP; memctl stops managing it.  Needs\n"
	"CAP_SYS_ADMIN.\n";

const char policy_usage[] =
	"Usage:\n" POLICY_SET_SYNOPSIS POLICY_SHOW_SYNOPSIS POLICY_DEL_SYNOPSIS
	"\n"
	"Manage the reclaim policies: when a cgroup's usage rises above high,\n"
	"memctl reclaims it back to target; in mode auto, memctl finds the\n"
	"cgroup's working set and gives the rest back.  'memctl policy' alone\n"
	"shows them all; 'memctl policy set --help' explains the keywords.\n";

const struct policy_keyword policy_keywords[] = {
	{ "high", MEMCTL_POLICY_F_HIGH },
	{ "target", MEMCTL_POLICY_F_TARGET },
	{ "interval", MEMCTL_POLICY_F_INTERVAL },
	{ "classes", MEMCTL_POLICY_F_CLASSES },
	{ "slab-first", MEMCTL_POLICY_F_SLAB_FIRST },
	{ "pressure", MEMCTL_POLICY_F_PRESSURE },
	{ "tier", MEMCTL_POLICY_F_TIER },
	{ "tier-max", MEMCTL_POLICY_F_TIER_MAX },
	{ "mode", MEMCTL_POLICY_F_MODE },
	{ "min", MEMCTL_POLICY_F_MIN },
};
const size_t nr_policy_keywords =
	sizeof(policy_keywords) / sizeof(policy_keywords[0]);

const struct policy_keyword *policy_keyword_find(const char *name)
{
	size_t i;

	for (i = 0; i < nr_policy_keywords; i++)
		if (!strcmp(policy_keywords[i].name, name))
			return &policy_keywords[i];
	return NULL;
}

int policy_keyword_parse(struct memctl_policy *p,
			 const struct policy_keyword *kw, const char *val,
			 char **msg)
{
	char a[MEMCTL_SIZE_STR_MAX], b[MEMCTL_SIZE_STR_MAX];
	uint64_t size = 0;
	uint32_t u = 0;
	int err = -EINVAL;

	*msg = NULL;
	switch (kw->flag) {
	case MEMCTL_POLICY_F_HIGH:
	case MEMCTL_POLICY_F_TARGET:
	case MEMCTL_POLICY_F_TIER_MAX:
	case MEMCTL_POLICY_F_MIN:
		err = check_size(kw->name, val, &size, msg);
		if (!err && kw->flag == MEMCTL_POLICY_F_HIGH &&
		    (size < MEMCTL_HIGH_MIN || size > MEMCTL_HIGH_MAX)) {
			*msg = msgf("high must be between %s and %s",
				    fmt_size(MEMCTL_HIGH_MIN, a),
				    fmt_size(MEMCTL_HIGH_MAX, b));
			err = -ERANGE;
		}
		break;
	case MEMCTL_POLICY_F_INTERVAL:
		err = check_duration(kw->name, val, MEMCTL_INTERVAL_MIN,
				     MEMCTL_INTERVAL_MAX, &u, msg);
		break;
	case MEMCTL_POLICY_F_CLASSES:
		err = check_classes(kw->name, val, &u, msg);
		break;
	case MEMCTL_POLICY_F_SLAB_FIRST:
		err = check_u32(kw->name, val, "%", 100, &u, msg);
		break;
	case MEMCTL_POLICY_F_PRESSURE:
		err = check_u32(kw->name, val, "us", MEMCTL_PRESSURE_MAX, &u, msg);
		break;
	case MEMCTL_POLICY_F_TIER:
		err = 0;
		u = !strcmp(val, "on");
		if (!u && strcmp(val, "off")) {
			*msg = msgf("invalid tier '%s' (on or off)", val);
			err = -EINVAL;
		}
		break;
	case MEMCTL_POLICY_F_MODE:
		err = 0;
		if (!strcmp(val, "threshold")) {
			u = MEMCTL_MODE_THRESHOLD;
		} else if (!strcmp(val, "auto")) {
			u = MEMCTL_MODE_AUTO;
		} else {
			*msg = msgf("invalid mode '%s' (threshold or auto)", val);
			err = -EINVAL;
		}
		break;
	}
	if (err)
		return err;

	switch (kw->flag) {
	case MEMCTL_POLICY_F_HIGH:
		p->high = size;
		break;
	case MEMCTL_POLICY_F_TARGET:
		p->target = size;
		break;
	case MEMCTL_POLICY_F_TIER_MAX:
		p->tier_max = size;
		break;
	case MEMCTL_POLICY_F_INTERVAL:
		p->interval_ms = u;
		break;
	case MEMCTL_POLICY_F_CLASSES:
		p->classes = u;
		break;
	case MEMCTL_POLICY_F_SLAB_FIRST:
		p->slab_first = u;
		break;
	case MEMCTL_POLICY_F_PRESSURE:
		p->pressure_us = u;
		break;
	case MEMCTL_POLICY_F_TIER:
		p->tier = u;
		break;
	case MEMCTL_POLICY_F_MODE:
		p->mode = u;
		break;
	case MEMCTL_POLICY_F_MIN:
		p->min = size;
		break;
	}
	p->set |= kw->flag;
	return 0;
}

const char *policy_check_marks(const struct memctl_policy *p)
{
	uint32_t s = p->set;
	bool marks = (s & MEMCTL_POLICY_F_HIGH) && (s & MEMCTL_POLICY_F_TARGET);

	if (p->mode != MEMCTL_MODE_AUTO) {
		if (!(s & MEMCTL_POLICY_F_HIGH))
			return "missing 'high SIZE'";
		if (!(s & MEMCTL_POLICY_F_TARGET))
			return "missing 'target SIZE'";
	} else if (!(s & MEMCTL_POLICY_F_HIGH) != !(s & MEMCTL_POLICY_F_TARGET)) {
		return "mode auto takes high and target together or neither";
	}
	if (marks && p->target >= p->high)
		return "target must be below high";
	return policy_check_auto(p);
}

const char *policy_check_auto(const struct memctl_policy *p)
{
	uint32_t s = p->set;

	if (p->mode != MEMCTL_MODE_AUTO)
		return (s & MEMCTL_POLICY_F_MIN) ?
		       "min is for mode auto only" : NULL;
	if ((s & MEMCTL_POLICY_F_MIN) && (s & MEMCTL_POLICY_F_TARGET) &&
	    p->min > p->target)
		return "min must not be above target";
	if ((s & MEMCTL_POLICY_F_PRESSURE) && !p->pressure_us)
		return "mode auto needs a pressure limit above 0";
	return NULL;
}

/*
 * One keyword of the command line.  Its checks come in this order, and
 * stop at the first error: `memctl apply` has its own order (a missing
 * value before "given twice") and goes on to report every error.
 */
static int set_keyword(struct memctl_policy *p, const char *name,
		       const char *val)
{
	const struct policy_keyword *kw = policy_keyword_find(name);
	char *msg;

	if (!kw)
		return usage_error("unknown keyword '%s'", name);
	if (p->set & kw->flag)
		return usage_error("'%s' given twice", name);
	if (!val)
		return usage_error("'%s' needs a value", name);
	if (policy_keyword_parse(p, kw, val, &msg))
		return usage_error_msg(msg);
	return 0;
}

static int policy_set_main(int argc, char **argv)
{
	struct memctl_policy *p;
	struct cgroup_arg cg;
	struct memctl *mc;
	int i, err;

	if (argc < 2)
		return usage_error("missing CGROUP");
	if ((err = parse_cgroup_arg(argv[1], &cg)))
		return err;
	p = calloc(1, sizeof(*p));
	if (!p)
		return kernel_error(NULL, -ENOMEM, "policy set");
	memcpy(p->cgroup.path, cg.path, sizeof(cg.path));
	p->cgroup.id = cg.id;

	for (i = 2; i < argc; i += 2) {
		err = set_keyword(p, argv[i], i + 1 < argc ? argv[i + 1] : NULL);
		if (err)
			goto out;
	}
	err = EXIT_USAGE;
	if (policy_check_marks(p)) {
		usage_error("%s", policy_check_marks(p));
		goto out;
	}

	if ((err = open_memctl(&mc)))
		goto out;
	err = memctl_policy_set(mc, p);
	if (err)
		err = kernel_error(mc, err, "policy set %s", cgroup_arg_name(&cg));
	memctl_close(mc);
out:
	free(p);
	return err;
}

/* The header of policy show's table, from the field table. */
static void policy_table_header(struct table *t)
{
	static char align[16];
	const char *cells[16] = { "CGROUP", "ID" };
	size_t i;

	align[0] = 'l';
	align[1] = 'r';
	for (i = 0; i < nr_policy_fields && i + 2 < sizeof(cells) / sizeof(cells[0]); i++) {
		cells[i + 2] = policy_fields[i].column;
		align[i + 2] = policy_fields[i].align;
	}
	align[i + 2] = '\0';
	table_init(t, (int)i + 2, align);
	table_add_row(t, cells);
}

/* "-" for what the kernel did not send. */
void policy_table_row(struct table *t, const struct memctl_policy *p)
{
	char id[24], buf[16][MEMCTL_CLASSES_STR_MAX];
	const char *cells[16] = { NULL };
	size_t i;

	snprintf(id, sizeof(id), "%llu", (unsigned long long)p->cgroup.id);
	cells[0] = p->cgroup.path[0] ? p->cgroup.path : NULL;
	cells[1] = p->cgroup.id ? id : NULL;
	for (i = 0; i < nr_policy_fields && i + 2 < sizeof(cells) / sizeof(cells[0]); i++)
		if (p->set & policy_fields[i].flag)
			cells[i + 2] = policy_field_text(&policy_fields[i], p,
							 true, buf[i],
							 sizeof(buf[i]));
	table_add_row(t, cells);
}

/* The policy keys of the JSON output, null for what was not sent. */
void json_policy_fields(struct json *j, const struct memctl_policy *p)
{
	size_t i;

	for (i = 0; i < nr_policy_fields; i++) {
		const struct policy_field *f = &policy_fields[i];
		uint64_t v = policy_field_value(f, p);

		if (!(p->set & f->flag))
			json_knull(j, f->key);
		else if (f->kind == PK_CLASSES)
			json_classes(j, f->key, (uint32_t)v);
		else if (f->kind == PK_BOOL)
			json_kbool(j, f->key, v);
		else if (f->kind == PK_MODE)
			json_kstr(j, f->key, policy_mode_name((uint32_t)v));
		else
			json_ku64(j, f->key, v);
	}
}

struct show_ctx {
	struct json j;
	struct table t;
	bool started;		/* the JSON array is open */
};

/*
 * Dumps reach the callback only once complete and consistent, so the JSON
 * array is opened with the first object: a failure prints no partial JSON.
 */
static int show_one(const struct memctl_policy *p, void *arg)
{
	struct show_ctx *ctx = arg;

	if (json_output) {
		if (!ctx->started)
			json_arr_begin(&ctx->j);
		ctx->started = true;
		json_obj_begin(&ctx->j);
		json_cgroup(&ctx->j, &p->cgroup);
		json_policy_fields(&ctx->j, p);
		json_obj_end(&ctx->j);
	} else {
		policy_table_row(&ctx->t, p);
	}
	return 0;
}

static int policy_show_main(int argc, char **argv)
{
	struct memctl_policy *p = NULL;
	struct show_ctx ctx;
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
	policy_table_header(&ctx.t);
	if (argc > 1) {
		p = malloc(sizeof(*p));
		err = p ? memctl_policy_get(mc, cg.path, cg.id, p) : -ENOMEM;
		if (!err)
			show_one(p, &ctx);
	} else {
		err = memctl_policy_foreach(mc, show_one, &ctx);
	}
	if (err) {
		err = kernel_error(mc, err, "policy show%s%s", argc > 1 ? " " : "",
				   argc > 1 ? cgroup_arg_name(&cg) : "");
	} else if (json_output) {
		if (!ctx.started)
			json_arr_begin(&ctx.j);
		json_arr_end(&ctx.j);
	} else {
		table_print(&ctx.t, stdout);
	}
	table_free(&ctx.t);
	free(p);
	memctl_close(mc);
	return err;
}

static int policy_del_main(int argc, char **argv)
{
	struct cgroup_arg cg;
	struct memctl *mc;
	int err;

	if (argc < 2)
		return usage_error("missing CGROUP");
	if ((err = parse_cgroup_arg(argv[1], &cg)))
		return err;
	if ((err = no_more_args(argc, argv, 2)))
		return err;
	if ((err = open_memctl(&mc)))
		return err;
	err = memctl_policy_del(mc, cg.path, cg.id);
	if (err)
		err = kernel_error(mc, err, "policy del %s", cgroup_arg_name(&cg));
	memctl_close(mc);
	return err;
}

const struct cmd policy_cmds[] = {
	{ "set", policy_set_main, "create or replace a policy", policy_set_usage,
	  NULL },
	{ "show", policy_show_main, "show policies", policy_show_usage, NULL },
	{ "del", policy_del_main, "delete a policy", policy_del_usage, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};
