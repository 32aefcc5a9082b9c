// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl apply [--dry-run] [--prune] [--quiet] FILE
 *
 * Makes the kernel's policy table match a policy file (memctl.conf(5)),
 * all or nothing:
 *
 *  1. parse: the whole file is read and checked; every error is reported
 *     as "FILE:LINE: message" and nothing is sent (exit 65);
 *  2. plan: the kernel's policies are read (one consistent dump) and each
 *     line becomes create, change, unchanged or skip (optional lines whose
 *     cgroup does not exist); with --prune, the policies the file does not
 *     name become deletes.  A cgroup that does not exist on a line that is
 *     not optional is an error of the file (exit 65);
 *  3. apply: deletes, then changes, then creates; if the kernel refuses
 *     one, what this run already did is undone in reverse order with the
 *     policies read in step 2 (exit 1; exit 3 if the undo failed too).
 *
 * The keywords are those of `memctl policy set`, checked the same way.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"
#include "cli.h"
#include "fields.h"

const char apply_usage[] =
	"Usage: memctl apply [--dry-run] [--prune] [--quiet] FILE\n"
	"\n"
	"Make the policies match FILE (see memctl.conf(5); '-' reads stdin), all\n"
	"or nothing.  Each line: CGROUP [optional] KEYWORD VALUE..., with the\n"
	"keywords of 'memctl policy set'; '#' starts a comment; a '\\' alone at\n"
	"the end of a line continues it.  The whole file is checked first, and\n"
	"every error is reported as FILE:LINE: message.  Then each cgroup's\n"
	"policy is created, changed or left as it is; if the kernel refuses\n"
	"one, the changes already made are undone.  An 'optional' line whose\n"
	"cgroup does not exist is skipped; any other line naming a missing\n"
	"cgroup is an error.  Needs CAP_SYS_ADMIN unless nothing changes.\n"
	"\n"
	"  -n, --dry-run  check FILE and show what would change; change nothing\n"
	"  --prune        also delete the policies of cgroups FILE does not name\n"
	"  -q, --quiet    print only what changed, nothing if nothing did\n"
	"\n"
	"Prints one line per cgroup: created, changed (with the old and new\n"
	"values), unchanged, skipped or deleted, then the counts.  With -j: an\n"
	"object with the keys file, dry_run, created, changed, unchanged,\n"
	"skipped, deleted and policies, an array of objects with the keys\n"
	"cgroup, id, line, action and fields (the names of the changed fields).\n"
	"\n"
	"Exit status: 0 done (or nothing to do); 1 the kernel refused, nothing\n"
	"was changed; 2 memctl is unavailable; 3 the kernel refused and the undo\n"
	"failed: some changes remain; 64 usage error; 65 FILE has errors,\n"
	"nothing was changed; 66 FILE cannot be read (or is a directory).\n";

void apply_init(struct apply_ctx *ctx, const char *file, FILE *err)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->file = file;
	ctx->err = err;
}

void apply_free(struct apply_ctx *ctx)
{
	free(ctx->entries);
	ctx->entries = NULL;
	ctx->nr = ctx->cap = 0;
}

static void __attribute__((format(printf, 3, 4)))
line_error(struct apply_ctx *ctx, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(ctx->err, "%s:%u: ", ctx->file, line);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	ctx->errors++;
}

static struct apply_entry *new_entry(struct apply_ctx *ctx)
{
	struct apply_entry *e;

	if (ctx->nr == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 16;

		e = realloc(ctx->entries, cap * sizeof(*e));
		if (!e)
			return NULL;
		ctx->entries = e;
		ctx->cap = cap;
	}
	e = &ctx->entries[ctx->nr];
	memset(e, 0, sizeof(*e));
	return e;
}

/* The words of one entry, each with the line it is on. */
struct words {
	char **w;
	unsigned int *line;
	size_t n, cap;
};

static int words_add(struct words *ws, const char *s, size_t len,
		     unsigned int line)
{
	if (ws->n == ws->cap) {
		size_t cap = ws->cap ? ws->cap * 2 : 16;
		char **w = realloc(ws->w, cap * sizeof(*w));
		unsigned int *l;

		if (!w)
			return -ENOMEM;
		ws->w = w;
		l = realloc(ws->line, cap * sizeof(*l));
		if (!l)
			return -ENOMEM;
		ws->line = l;
		ws->cap = cap;
	}
	ws->w[ws->n] = strndup(s, len);
	if (!ws->w[ws->n])
		return -ENOMEM;
	ws->line[ws->n++] = line;
	return 0;
}

static void words_clear(struct words *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i]);
	ws->n = 0;
}

/*
 * Split one physical line into words, up to a '#' that starts a word.
 * Return: 1 if the line ends with a lone '\' (the entry goes on), 0, or
 * -ENOMEM.
 */
static int split_line(const char *s, unsigned int line, struct words *ws)
{
	static const char blanks[] = " \t\r\n\v\f";
	size_t start = ws->n;
	int err;

	for (;;) {
		size_t len;

		s += strspn(s, blanks);
		if (!*s || *s == '#')
			break;
		len = strcspn(s, blanks);
		err = words_add(ws, s, len, line);
		if (err)
			return err;
		s += len;
	}
	if (ws->n > start && !strcmp(ws->w[ws->n - 1], "\\")) {
		free(ws->w[--ws->n]);
		return 1;
	}
	return 0;
}

/*
 * One keyword's value into @p, checked as `memctl policy set` checks it;
 * an error is reported with @line.
 */
static void parse_value(struct apply_ctx *ctx, unsigned int line,
			struct memctl_policy *p,
			const struct policy_keyword *kw, const char *val)
{
	char max[MEMCTL_SIZE_STR_MAX], *msg;

	if (policy_keyword_parse(p, kw, val, &msg)) {
		line_error(ctx, line, "%s", msg ? msg : "out of memory");
		free(msg);
		return;
	}
	/*
	 * The file is checked whole before anything is sent, so a bound the
	 * kernel would refuse is an error of the file here; `memctl policy
	 * set` leaves this one to the kernel.
	 */
	if (kw->flag == MEMCTL_POLICY_F_TIER_MAX &&
	    p->tier_max > MEMCTL_HIGH_MAX) {
		line_error(ctx, line, "tier-max must be at most %s",
			   fmt_size(MEMCTL_HIGH_MAX, max));
		p->set &= ~MEMCTL_POLICY_F_TIER_MAX;
	}
	if (kw->flag == MEMCTL_POLICY_F_MIN && p->min > MEMCTL_HIGH_MAX) {
		line_error(ctx, line, "min must be at most %s",
			   fmt_size(MEMCTL_HIGH_MAX, max));
		p->set &= ~MEMCTL_POLICY_F_MIN;
	}
}

/* One entry's words: checked, and added to ctx->entries if good. */
static int parse_entry(struct apply_ctx *ctx, const struct words *ws)
{
	unsigned int line = ws->line[0], before = ctx->errors, l;
	const char *cg = ws->w[0];
	const struct policy_keyword *kw;
	struct apply_entry *e;
	uint32_t seen = 0;
	bool optional = false, mode_known;
	size_t i, k;

	e = new_entry(ctx);
	if (!e)
		return -ENOMEM;
	e->line = line;

	if (!strncmp(cg, "id:", 3))
		line_error(ctx, line, "'%s': cgroup ids change when a cgroup is "
			   "created again; name the cgroup by its path", cg);
	else if (cg[0] != '/')
		line_error(ctx, line, "'%s': a line starts with a cgroup path "
			   "such as /app.slice/web", cg);
	else if (memctl_cgroup_normalize(cg, e->want.cgroup.path,
					 sizeof(e->want.cgroup.path)))
		line_error(ctx, line, "invalid cgroup path '%.64s'", cg);
	else if (!strcmp(e->want.cgroup.path, "/"))
		line_error(ctx, line, "the root cgroup cannot have a policy");

	for (i = 1; i < ws->n; i++) {
		const char *w = ws->w[i];

		l = ws->line[i];
		if (!strcmp(w, "optional")) {
			if (optional)
				line_error(ctx, l, "'optional' given twice");
			optional = true;
			continue;
		}
		kw = policy_keyword_find(w);
		if (!kw) {
			line_error(ctx, l, "unknown keyword '%s' (high, target, "
				   "interval, classes, slab-first, pressure, tier, "
				   "tier-max, mode, min or optional)", w);
			break;	/* what follows cannot be told apart */
		}
		if (i + 1 == ws->n) {
			line_error(ctx, l, "'%s' needs a value", w);
			break;
		}
		i++;
		if (seen & kw->flag) {
			line_error(ctx, l, "'%s' given twice", w);
			continue;
		}
		seen |= kw->flag;
		parse_value(ctx, ws->line[i], &e->want, kw, ws->w[i]);
	}
	/* a mode given wrong is reported already: its rules would mislead */
	mode_known = !(seen & MEMCTL_POLICY_F_MODE) ||
		     (e->want.set & MEMCTL_POLICY_F_MODE);
	if (i >= ws->n && mode_known && e->want.mode != MEMCTL_MODE_AUTO) {
		/* the line was read to its end */
		if (!(seen & MEMCTL_POLICY_F_HIGH))
			line_error(ctx, line, "missing 'high SIZE'");
		if (!(seen & MEMCTL_POLICY_F_TARGET))
			line_error(ctx, line, "missing 'target SIZE'");
	}
	if (i >= ws->n && e->want.mode == MEMCTL_MODE_AUTO &&
	    !(seen & MEMCTL_POLICY_F_HIGH) != !(seen & MEMCTL_POLICY_F_TARGET))
		line_error(ctx, line, "mode auto takes high and target "
			   "together or neither");
	if ((e->want.set & MEMCTL_POLICY_F_HIGH) &&
	    (e->want.set & MEMCTL_POLICY_F_TARGET) &&
	    e->want.target >= e->want.high)
		line_error(ctx, line, "target must be below high");
	if (mode_known) {
		const char *msg = policy_check_auto(&e->want);

		if (msg)
			line_error(ctx, line, "%s", msg);
	}
	e->optional = optional;

	if (e->want.cgroup.path[0]) {
		for (k = 0; k < ctx->nr; k++)
			if (!strcmp(ctx->entries[k].want.cgroup.path,
				    e->want.cgroup.path)) {
				line_error(ctx, line, "%s is already given on "
					   "line %u", e->want.cgroup.path,
					   ctx->entries[k].line);
				break;
			}
	}
	if (ctx->errors == before)
		ctx->nr++;
	return 0;
}

int apply_parse(struct apply_ctx *ctx, FILE *in)
{
	struct words ws = { 0 };
	unsigned int lineno = 0, cont_line = 0;
	char *buf = NULL;
	size_t cap = 0;
	int err = 0, more = 0;

	for (;;) {
		errno = 0;
		if (getline(&buf, &cap, in) < 0)
			break;
		lineno++;
		more = split_line(buf, lineno, &ws);
		if (more < 0) {
			err = more;
			goto out;
		}
		if (more) {
			cont_line = lineno;
			continue;
		}
		if (ws.n) {
			err = parse_entry(ctx, &ws);
			if (err)
				goto out;
		}
		words_clear(&ws);
	}
	if (ferror(in)) {
		err = errno ? -errno : -EIO;
		goto out;
	}
	if (more) {
		size_t nr = ctx->nr;

		line_error(ctx, cont_line, "'\\' continues the line, but the "
			   "file ends");
		/* its other errors are worth knowing; the entry is not kept */
		if (ws.n) {
			err = parse_entry(ctx, &ws);
			if (err)
				goto out;
		}
		ctx->nr = nr;
	}
	err = (int)ctx->errors;
out:
	words_clear(&ws);
	free(ws.w);
	free(ws.line);
	free(buf);
	return err;
}

void apply_fill_defaults(const struct memctl_policy *p,
			 struct memctl_policy *full)
{
	uint32_t s = p->set;

	*full = *p;
	full->set = APPLY_F_ALL;
	if (!(s & MEMCTL_POLICY_F_INTERVAL))
		full->interval_ms = MEMCTL_INTERVAL_DEFAULT;
	if (!(s & MEMCTL_POLICY_F_CLASSES))
		full->classes = MEMCTL_CLASSES_DEFAULT;
	if (!(s & MEMCTL_POLICY_F_SLAB_FIRST))
		full->slab_first = MEMCTL_SLAB_FIRST_DEFAULT;
	if (!(s & MEMCTL_POLICY_F_PRESSURE))
		full->pressure_us = 0;
	if (!(s & MEMCTL_POLICY_F_TIER))
		full->tier = false;
	if (!(s & MEMCTL_POLICY_F_TIER_MAX))
		full->tier_max = 0;
	if (!(s & MEMCTL_POLICY_F_MODE))
		full->mode = MEMCTL_MODE_THRESHOLD;
	if (!(s & MEMCTL_POLICY_F_MIN))
		full->min = 0;
	/* unset in mode auto: no ceiling; the kernel sends none */
	if (!(s & MEMCTL_POLICY_F_HIGH))
		full->high = 0;
	if (!(s & MEMCTL_POLICY_F_TARGET))
		full->target = 0;
	if (full->mode != MEMCTL_MODE_AUTO)
		return;
	/* mode auto's own defaults, as the kernel takes them */
	if (!(s & MEMCTL_POLICY_F_PRESSURE))
		full->pressure_us = MEMCTL_AUTO_PRESSURE_DEFAULT;
	if (!(s & MEMCTL_POLICY_F_CLASSES) && full->tier)
		full->classes |= MEMCTL_F_CLASS_ANON;
}

/* The MEMCTL_POLICY_F_* fields in which @a and @b differ. */
static uint32_t policy_diff(const struct memctl_policy *a,
			    const struct memctl_policy *b)
{
	struct memctl_policy *x = malloc(2 * sizeof(*x)), *y;
	uint32_t d = 0;

	if (!x)
		return APPLY_F_ALL;
	y = x + 1;
	apply_fill_defaults(a, x);
	apply_fill_defaults(b, y);
	if (x->high != y->high)
		d |= MEMCTL_POLICY_F_HIGH;
	if (x->target != y->target)
		d |= MEMCTL_POLICY_F_TARGET;
	if (x->interval_ms != y->interval_ms)
		d |= MEMCTL_POLICY_F_INTERVAL;
	if (x->classes != y->classes)
		d |= MEMCTL_POLICY_F_CLASSES;
	if (x->slab_first != y->slab_first)
		d |= MEMCTL_POLICY_F_SLAB_FIRST;
	if (x->pressure_us != y->pressure_us)
		d |= MEMCTL_POLICY_F_PRESSURE;
	/* tier off binds only when said: unsaid and off differ */
	if (x->tier != y->tier || ((a->set ^ b->set) & MEMCTL_POLICY_F_TIER))
		d |= MEMCTL_POLICY_F_TIER;
	if (x->tier_max != y->tier_max)
		d |= MEMCTL_POLICY_F_TIER_MAX;
	if (x->mode != y->mode)
		d |= MEMCTL_POLICY_F_MODE;
	if (x->min != y->min)
		d |= MEMCTL_POLICY_F_MIN;
	free(x);
	return d;
}

int apply_plan(struct apply_ctx *ctx, const struct memctl_policy *cur,
	       size_t ncur, uint32_t classes, bool prune,
	       apply_lookup_fn lookup, void *lookup_arg)
{
	bool *named = calloc(ncur ? ncur : 1, sizeof(*named));
	unsigned int before = ctx->errors;
	size_t i, j, nr_file = ctx->nr;

	if (!named)
		return -ENOMEM;
	for (i = 0; i < nr_file; i++) {
		struct apply_entry *e = &ctx->entries[i];
		uint64_t id = 0;
		int err = lookup ? lookup(e->want.cgroup.path, &id, lookup_arg)
				 : -EOPNOTSUPP;

		if (err == -ENOENT) {
			if (e->optional) {
				e->action = APPLY_SKIP;
				continue;
			}
			line_error(ctx, e->line, "cgroup %s does not exist (mark "
				   "the line 'optional' to skip it until it does)",
				   e->want.cgroup.path);
			continue;
		}
		e->id = err ? 0 : id;
		if ((e->want.set & MEMCTL_POLICY_F_CLASSES) &&
		    (e->want.classes & ~classes)) {
			char buf[MEMCTL_CLASSES_STR_MAX];

			memctl_format_classes(e->want.classes & ~classes, buf,
					      sizeof(buf));
			line_error(ctx, e->line, "classes: %s cannot be reclaimed "
				   "on this kernel (see 'memctl info' and the "
				   "kernel log)", buf);
			continue;
		}
		for (j = 0; j < ncur; j++) {
			if (named[j])
				continue;
			if (e->id && cur[j].cgroup.id ? e->id == cur[j].cgroup.id
			    : !strcmp(e->want.cgroup.path, cur[j].cgroup.path))
				break;
		}
		if (j == ncur) {
			e->action = APPLY_CREATE;
			continue;
		}
		named[j] = true;
		e->has_old = true;
		e->old = cur[j];
		if (!e->id)
			e->id = cur[j].cgroup.id;
		e->diff = policy_diff(&e->want, &e->old);
		e->action = e->diff ? APPLY_CHANGE : APPLY_UNCHANGED;
	}
	for (j = 0; prune && j < ncur; j++) {
		struct apply_entry *e;

		if (named[j])
			continue;
		e = new_entry(ctx);
		if (!e) {
			free(named);
			return -ENOMEM;
		}
		e->action = APPLY_DELETE;
		e->want = cur[j];
		e->old = cur[j];
		e->has_old = true;
		e->id = cur[j].cgroup.id;
		ctx->nr++;
	}
	free(named);
	return (int)(ctx->errors - before);
}

const char *apply_action_name(enum apply_action a, bool dry_run)
{
	static const char *const done[] = {
		[APPLY_UNCHANGED] = "unchanged", [APPLY_CREATE] = "created",
		[APPLY_CHANGE] = "changed", [APPLY_SKIP] = "skipped",
		[APPLY_DELETE] = "deleted",
	};
	static const char *const todo[] = {
		[APPLY_UNCHANGED] = "unchanged", [APPLY_CREATE] = "create",
		[APPLY_CHANGE] = "change", [APPLY_SKIP] = "skip",
		[APPLY_DELETE] = "delete",
	};

	return dry_run ? todo[a] : done[a];
}

/* One field of a full policy, as the file would spell it. */
static void fmt_field(const struct memctl_policy *full, uint32_t flag,
		      char *buf, size_t len)
{
	switch (flag) {
	case MEMCTL_POLICY_F_HIGH:
		memctl_format_size(full->high, buf, len);
		break;
	case MEMCTL_POLICY_F_TARGET:
		memctl_format_size(full->target, buf, len);
		break;
	case MEMCTL_POLICY_F_TIER_MAX:
		memctl_format_size(full->tier_max, buf, len);
		break;
	case MEMCTL_POLICY_F_MIN:
		memctl_format_size(full->min, buf, len);
		break;
	case MEMCTL_POLICY_F_MODE:
		snprintf(buf, len, "%s", policy_mode_name(full->mode));
		break;
	case MEMCTL_POLICY_F_INTERVAL:
		memctl_format_duration_ms(full->interval_ms, buf, len);
		break;
	case MEMCTL_POLICY_F_CLASSES:
		memctl_format_classes(full->classes, buf, len);
		break;
	case MEMCTL_POLICY_F_SLAB_FIRST:
		snprintf(buf, len, "%u%%", full->slab_first);
		break;
	case MEMCTL_POLICY_F_PRESSURE:
		snprintf(buf, len, "%uus", full->pressure_us);
		break;
	case MEMCTL_POLICY_F_TIER:
		snprintf(buf, len, "%s", full->tier ? "on" : "off");
		break;
	default:
		snprintf(buf, len, "?");
	}
}

/* "high 2G -> 3G, classes slab,file -> all" and the like. */
static void describe(const struct apply_entry *e, char *buf, size_t len)
{
	struct memctl_policy *x = malloc(2 * sizeof(*x)), *y;
	size_t off = 0, k;

	buf[0] = '\0';
	switch (e->action) {
	case APPLY_SKIP:
		snprintf(buf, len, "optional: the cgroup does not exist");
		break;
	case APPLY_DELETE:
		snprintf(buf, len, "not in the file (--prune)");
		break;
	case APPLY_CHANGE:
		if (!x)
			break;
		y = x + 1;
		apply_fill_defaults(&e->old, x);
		apply_fill_defaults(&e->want, y);
		for (k = 0; k < nr_policy_keywords && off < len; k++) {
			const struct policy_keyword *kw = &policy_keywords[k];
			char a[MEMCTL_SIZE_STR_MAX + MEMCTL_CLASSES_STR_MAX];
			char b[sizeof(a)];

			if (!(e->diff & kw->flag))
				continue;
			fmt_field(x, kw->flag, a, sizeof(a));
			fmt_field(y, kw->flag, b, sizeof(b));
			off += snprintf(buf + off, len - off, "%s%s %s -> %s",
					off ? ", " : "", kw->name, a, b);
		}
		break;
	default:
		break;
	}
	free(x);
}

static bool changes(enum apply_action a)
{
	return a == APPLY_CREATE || a == APPLY_CHANGE || a == APPLY_DELETE;
}

void apply_print(const struct apply_ctx *ctx, FILE *f, bool json, bool dry_run,
		 bool quiet)
{
	unsigned int count[APPLY_DELETE + 1] = { 0 };
	size_t i, nr_changes = 0;

	for (i = 0; i < ctx->nr; i++) {
		count[ctx->entries[i].action]++;
		nr_changes += changes(ctx->entries[i].action);
	}

	if (json) {
		struct json j;

		json_init(&j, f);
		json_obj_begin(&j);
		json_kstr(&j, "file", ctx->file);
		json_kbool(&j, "dry_run", dry_run);
		json_ku64(&j, "created", count[APPLY_CREATE]);
		json_ku64(&j, "changed", count[APPLY_CHANGE]);
		json_ku64(&j, "unchanged", count[APPLY_UNCHANGED]);
		json_ku64(&j, "skipped", count[APPLY_SKIP]);
		json_ku64(&j, "deleted", count[APPLY_DELETE]);
		json_key(&j, "policies");
		json_arr_begin(&j);
		for (i = 0; i < ctx->nr; i++) {
			const struct apply_entry *e = &ctx->entries[i];
			size_t k;

			json_obj_begin(&j);
			json_kstr(&j, "cgroup", e->want.cgroup.path);
			if (e->id)
				json_ku64(&j, "id", e->id);
			else
				json_knull(&j, "id");
			if (e->line)
				json_ku64(&j, "line", e->line);
			else
				json_knull(&j, "line");
			/* the past tense, also for a dry run: see dry_run */
			json_kstr(&j, "action", apply_action_name(e->action, false));
			json_key(&j, "fields");
			json_arr_begin(&j);
			for (k = 0; k < nr_policy_keywords; k++)
				if (e->diff & policy_keywords[k].flag)
					json_str(&j, policy_keywords[k].name);
			json_arr_end(&j);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
		return;
	}

	if (quiet && !nr_changes)
		return;
	if (ctx->nr) {
		struct table t;

		table_init(&t, 4, "llrl");
		table_add(&t, "ACTION", "CGROUP", "LINE", "DETAILS");
		for (i = 0; i < ctx->nr; i++) {
			const struct apply_entry *e = &ctx->entries[i];
			char line[16], details[1024];

			if (quiet && !changes(e->action))
				continue;
			snprintf(line, sizeof(line), "%u", e->line);
			describe(e, details, sizeof(details));
			table_add(&t, apply_action_name(e->action, dry_run),
				  e->want.cgroup.path, e->line ? line : NULL,
				  details);
		}
		table_print(&t, f);
		table_free(&t);
	}
	if (quiet)
		return;
	fprintf(f, "%s%u %s, %u %s, %u unchanged, %u %s, %u %s\n",
		dry_run ? "dry run, nothing changed: " : "",
		count[APPLY_CREATE], dry_run ? "to create" : "created",
		count[APPLY_CHANGE], dry_run ? "to change" : "changed",
		count[APPLY_UNCHANGED],
		count[APPLY_SKIP], dry_run ? "to skip" : "skipped",
		count[APPLY_DELETE], dry_run ? "to delete" : "deleted");
}

/* The kernel side: from here on, nothing the unit tests can reach. */

/* A cgroup2 mount that shows the whole hierarchy, or NULL. */
static char *cgroup2_mount(void)
{
	char *line = NULL, *found = NULL;
	size_t cap = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return NULL;
	while (!found && getline(&line, &cap, f) > 0) {
		char root[4096], mnt[4096], *sep = strstr(line, " - cgroup2 ");

		if (!sep)
			continue;
		/* ID PARENT MAJ:MIN ROOT MOUNT-POINT ... */
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2)
			continue;
		/* a mount point with an escaped blank: leave it to the kernel */
		if (!strcmp(root, "/") && !strchr(mnt, '\\'))
			found = strdup(mnt);
	}
	free(line);
	fclose(f);
	return found;
}

static int lookup_cgroup(const char *path, uint64_t *id, void *arg)
{
	const char *mnt = arg;
	struct stat st;
	char *full;
	int err = 0;

	if (!mnt)
		return -EOPNOTSUPP;
	if (asprintf(&full, "%s%s", strcmp(mnt, "/") ? mnt : "", path) < 0)
		return -ENOMEM;
	if (stat(full, &st))
		err = -errno;
	else if (!S_ISDIR(st.st_mode))
		err = -ENOENT;
	else
		*id = st.st_ino;
	free(full);
	return err == -ENOENT || err == -ENOTDIR ? -ENOENT : err;
}

struct policies {
	struct memctl_policy *v;
	size_t n, cap;
};

static int collect_policy(const struct memctl_policy *p, void *arg)
{
	struct policies *ps = arg;

	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct memctl_policy *v = realloc(ps->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n++] = *p;
	return 0;
}

/* Undo @done[0 .. @n) in reverse order; return how many could not be. */
static unsigned int roll_back(struct memctl *mc, struct apply_entry **done,
			      size_t n)
{
	unsigned int failed = 0;
	int err;

	while (n--) {
		struct apply_entry *e = done[n];
		const char *what;

		if (e->action == APPLY_CREATE) {
			what = "delete the new policy of";
			err = memctl_policy_del(mc, e->want.cgroup.path, 0);
			if (err == -ENOENT || err == -ENODATA)
				err = 0;	/* its cgroup went away meanwhile */
		} else {
			what = "restore the policy of";
			err = memctl_policy_set(mc, &e->old);
		}
		if (err) {
			kernel_error(mc, err, "apply: could not %s %s", what,
				     e->want.cgroup.path);
			failed++;
		}
	}
	return failed;
}

/* One change; 0, or the kernel's negative errno. */
static int apply_one(struct memctl *mc, struct apply_entry *e)
{
	int err;

	if (e->action == APPLY_DELETE) {
		err = memctl_policy_del(mc, e->old.cgroup.path, e->old.cgroup.id);
		/* gone already, with its cgroup: nothing to do or undo */
		return err == -ENOENT || err == -ENODATA ? 1 : err;
	}
	err = memctl_policy_set(mc, &e->want);
	if (err == -ENOENT && e->optional) {
		e->action = APPLY_SKIP;	/* its cgroup went away meanwhile */
		return 1;
	}
	return err;
}

static int apply_run(struct memctl *mc, struct apply_ctx *ctx)
{
	static const enum apply_action order[] = {
		APPLY_DELETE, APPLY_CHANGE, APPLY_CREATE,
	};
	struct apply_entry **done;
	size_t ndone = 0, o, i;
	unsigned int failed;
	int err = 0;

	done = calloc(ctx->nr ? ctx->nr : 1, sizeof(*done));
	if (!done)
		return kernel_error(NULL, -ENOMEM, "apply");
	for (o = 0; o < sizeof(order) / sizeof(order[0]) && !err; o++) {
		for (i = 0; i < ctx->nr && !err; i++) {
			struct apply_entry *e = &ctx->entries[i];

			if (e->action != order[o])
				continue;
			err = apply_one(mc, e);
			if (!err)
				done[ndone++] = e;
			else if (err > 0)
				err = 0;
			else if (e->line)
				kernel_error(mc, err, "apply: %s:%u: policy %s %s",
					     ctx->file, e->line,
					     e->action == APPLY_CREATE ? "create" : "change",
					     e->want.cgroup.path);
			else
				kernel_error(mc, err, "apply: --prune: policy del %s",
					     e->want.cgroup.path);
		}
	}
	if (!err) {
		free(done);
		return EXIT_OK;
	}
	failed = roll_back(mc, done, ndone);
	free(done);
	if (failed) {
		fprintf(stderr, "memctl: apply: %u of the %zu changes made "
			"before the refusal could not be undone; see 'memctl "
			"policy show'\n", failed, ndone);
		return EXIT_APPLY_PARTIAL;
	}
	fprintf(stderr, "memctl: apply: nothing was changed (%zu change%s "
		"undone)\n", ndone, ndone == 1 ? "" : "s");
	return EXIT_REFUSED;
}

int apply_main(int argc, char **argv)
{
	struct policies cur = { 0 };
	const char *path = NULL, *name;
	bool dry_run = false, prune = false, quiet = false, opts = true;
	struct memctl_info info;
	struct apply_ctx ctx;
	struct memctl *mc = NULL;
	char *mnt = NULL;
	struct stat st;
	FILE *in;
	int i, err, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (opts && (!strcmp(a, "-n") || !strcmp(a, "--dry-run")))
			dry_run = true;
		else if (opts && !strcmp(a, "--prune"))
			prune = true;
		else if (opts && (!strcmp(a, "-q") || !strcmp(a, "--quiet")))
			quiet = true;
		else if (opts && !strcmp(a, "--"))
			opts = false;
		else if (opts && a[0] == '-' && a[1])
			return usage_error("unknown option '%s'", a);
		else if (path)
			return usage_error("unexpected argument '%s'", a);
		else
			path = a;
	}
	if (!path)
		return usage_error("missing FILE");

	if (!strcmp(path, "-")) {
		in = stdin;
		name = "<stdin>";
	} else {
		in = fopen(path, "re");
		name = path;
		if (!in) {
			fprintf(stderr, "memctl: apply: cannot open %s: %s\n",
				path, strerror(errno));
			return EXIT_APPLY_NOINPUT;
		}
	}
	/* A directory opens, then fails to read: name the slip instead. */
	if (!fstat(fileno(in), &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "memctl: apply: %s is a directory, not a policy "
			"file\n", name);
		if (in != stdin)
			fclose(in);
		return EXIT_APPLY_NOINPUT;
	}
	apply_init(&ctx, name, stderr);
	err = apply_parse(&ctx, in);
	if (in != stdin)
		fclose(in);
	if (err < 0) {
		fprintf(stderr, "memctl: apply: cannot read %s: %s\n", name,
			strerror(-err));
		ret = EXIT_APPLY_NOINPUT;
		goto out;
	}
	if (err > 0) {
		fprintf(stderr, "memctl: apply: %d error%s in %s; nothing was "
			"changed\n", err, err == 1 ? "" : "s", name);
		ret = EXIT_APPLY_INVALID;
		goto out;
	}

	ret = open_memctl(&mc);
	if (ret)
		goto out;
	err = memctl_get_info(mc, &info);
	if (!err)
		err = memctl_policy_foreach(mc, collect_policy, &cur);
	if (err) {
		ret = kernel_error(mc, err, "apply: reading the policies");
		goto out;
	}

	mnt = cgroup2_mount();
	err = apply_plan(&ctx, cur.v, cur.n, info.classes, prune,
			 lookup_cgroup, mnt);
	if (err < 0) {
		ret = kernel_error(NULL, err, "apply");
		goto out;
	}
	if (err > 0) {
		fprintf(stderr, "memctl: apply: %d error%s in %s; nothing was "
			"changed\n", err, err == 1 ? "" : "s", name);
		ret = EXIT_APPLY_INVALID;
		goto out;
	}

	if (!dry_run) {
		ret = apply_run(mc, &ctx);
		if (ret)
			goto out;
	}
	apply_print(&ctx, stdout, json_output, dry_run, quiet);
	ret = EXIT_OK;
out:
	memctl_close(mc);
	free(mnt);
	free(cur.v);
	apply_free(&ctx);
	return ret;
}
