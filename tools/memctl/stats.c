// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl stats [--watch SECONDS] [--prometheus | --totals] [-o FILE] [CGROUP]
 *
 * One snapshot is taken through libmemctl (a stats dump or one cgroup's
 * stats, the module's info, the tier) and written in one of four formats
 * into a buffer; the buffer then goes to stdout or, atomically, to a file.
 * With --watch that repeats until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "fields.h"
#include "prom.h"

static const char stats_usage_head[] =
	"Usage: memctl stats [--watch SECONDS] [--prometheus | --totals]\n"
	"                    [-o FILE] [CGROUP]\n"
	"\n"
	"Without CGROUP, one line per cgroup with a policy: usage, what it is\n"
	"made of, the policy's marks, what memctl reclaimed per class, and the\n"
	"cgroup's bytes in the compressed tier; then a TOTAL line, the tier\n"
	"(stored pages, compressed and pool bytes, and the ratio of the pages'\n"
	"size to the pool's) and the module (version, policies out of the\n"
	"maximum).  With CGROUP, every counter of that cgroup.\n"
	"\n"
	"TOTAL sums memctl's counters (episodes, reclaimed bytes) over every\n"
	"policy, and what cgroups hold (usage, slab, file, anon, swap, tier\n"
	"bytes, high, target) over the cgroups without an ancestor in the list:\n"
	"the kernel counts a cgroup's descendants in, so nested cgroups are not\n"
	"counted twice.\n"
	"\n"
	"Options:\n"
	"  -w, --watch SECONDS  print a new snapshot every SECONDS (0.1 .. 86400;\n"
	"                       also 500ms, 2s, 1m) until SIGINT or SIGTERM,\n"
	"                       then exit 0.  On a terminal the screen is\n"
	"                       redrawn; otherwise snapshots follow each other,\n"
	"                       separated by a blank line (with -j: one JSON\n"
	"                       value per line)\n"
	"  --prometheus         the Prometheus text format 0.0.4, for the\n"
	"                       node-exporter textfile collector: per-cgroup\n"
	"                       families labelled cgroup and id, the module's\n"
	"                       and the tier's\n"
	"  --totals             only the totals: the TOTAL line, the tier and\n"
	"                       the module; with -j one object instead of the\n"
	"                       array (not with CGROUP or --prometheus)\n"
	"  -o, --output FILE    write each snapshot to FILE, atomically (a\n"
	"                       temporary file in the same directory renamed\n"
	"                       over it), instead of stdout\n"
	"\n";

static const char stats_usage_tail[] =
	"With -j --totals: one object with the keys cgroups (rows summed),\n"
	"top_level_cgroups (rows whose holdings were summed), total (the keys\n"
	"above but cgroup, id and last_*), tier (the keys of 'memctl -j tier\n"
	"show', or null without a tier) and module {version, kernel, policies,\n"
	"max_policies}.\n";

/* Filled in by stats_usage_init(): the head, the JSON keys, the tail. */
char stats_usage[4096];

/*
 * Append @text to @buf (of @len, holding @n bytes) in lines of at most
 * @width columns, breaking at spaces; two spaces after a sentence stay two
 * within a line.  Return: the new length.
 */
static size_t append_wrapped(char *buf, size_t len, size_t n,
			     const char *text, size_t width)
{
	size_t col = 0, sep = 0;

	while (*text && n < len) {
		size_t word = strcspn(text, " ");

		if (col && col + sep + word > width) {
			n += snprintf(buf + n, len - n, "\n");
			col = 0;
		} else if (col) {
			n += snprintf(buf + n, len - n, "%*s", (int)sep, "");
			col += sep;
		}
		if (n < len)
			n += snprintf(buf + n, len - n, "%.*s", (int)word, text);
		col += word;
		text += word;
		sep = strspn(text, " ") > 1 ? 2 : 1;
		text += strspn(text, " ");
	}
	if (n < len)
		n += snprintf(buf + n, len - n, "\n");
	return n < len ? n : len - 1;
}

/* --help lists the keys of the JSON as the field table has them. */
__attribute__((constructor)) static void stats_usage_init(void)
{
	char keys[1024], para[sizeof(keys) + 128];
	size_t n;

	stats_key_list(keys, sizeof(keys));
	snprintf(para, sizeof(para), "With -j: an array of objects (one with "
		 "CGROUP) with the keys cgroup, id, %s.  Sizes are bytes.",
		 keys);
	n = snprintf(stats_usage, sizeof(stats_usage), "%s", stats_usage_head);
	n = append_wrapped(stats_usage, sizeof(stats_usage), n, para, 76);
	snprintf(stats_usage + n, sizeof(stats_usage) - n, "%s",
		 stats_usage_tail);
}

enum stats_format {
	FMT_TABLE,
	FMT_JSON,
	FMT_PROM,
};

struct stats_opts {
	enum stats_format format;
	bool totals;
	uint32_t watch_ms;		/* 0: once */
	const char *output;		/* NULL: stdout */
	bool have_cgroup;
	struct cgroup_arg cg;
};

/*
 * One snapshot: the rows, and the global state when the format shows it.
 * The rows are memctl_cgroup_stats_list()'s (their paths live as long as
 * it does), or one row of memctl_cgroup_stats_get() with its path copied
 * into @path (the library's lives only until the next request).
 */
struct snapshot {
	struct memctl_cgroup_stats *rows;	/* the list, or &one */
	size_t n;
	struct memctl_cgroup_stats one;
	char *path;
	struct memctl_cgroup_stats total;
	int top_level;
	bool have_global;
	struct memctl_info info;
	struct memctl_tier tier;
	bool have_tier;
};

/* ---- formats ---- */

/* The keys of a per-cgroup object; for a total (@row false) no cgroup,
 * id and last_*, which do not add up.  A group of statistics @s does not
 * have (the auto ones of a threshold policy) is null. */
static void json_stats_keys(struct json *j,
			    const struct memctl_cgroup_stats *s, bool row)
{
	const char *group = NULL;	/* the object open inside */
	const char *absent = NULL;	/* the group printed as null */
	size_t i;

	if (row) {
		json_kstr(j, "cgroup", s->cgroup.path[0] ? s->cgroup.path : NULL);
		if (s->cgroup.id)
			json_ku64(j, "id", s->cgroup.id);
		else
			json_knull(j, "id");
	}
	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *f = &stats_fields[i];
		uint64_t v = stats_field_value(f, s);

		if (!row && !stats_field_in_total(f))
			continue;
		/* The table's groups are literals: the same pointer first. */
		if (group && group != f->group &&
		    (!f->group || strcmp(group, f->group))) {
			json_obj_end(j);
			group = NULL;
		}
		if (absent && f->group && (absent == f->group ||
					   !strcmp(absent, f->group)))
			continue;
		absent = NULL;
		if (!stats_field_present(f, s)) {
			/* a key of its own would be a row's only: null */
			json_knull(j, f->group ? f->group : f->key);
			absent = f->group;
			continue;
		}
		if (f->group && !group) {
			json_key(j, f->group);
			json_obj_begin(j);
			group = f->group;
		}
		json_key_quoted(j, f->json_key, f->json_key_len);
		if (f->unit == FU_STOP)
			json_str(j, memctl_stop_name((uint32_t)v));
		else
			json_u64(j, v);
	}
	if (group)
		json_obj_end(j);
}

void json_stats_object(struct json *j, const struct memctl_cgroup_stats *s)
{
	json_obj_begin(j);
	json_stats_keys(j, s, true);
	json_obj_end(j);
}

void json_stats_totals(struct json *j, size_t cgroups, int top_level,
		       const struct memctl_cgroup_stats *total,
		       const struct memctl_info *info,
		       const struct memctl_tier *tier)
{
	json_obj_begin(j);
	json_ku64(j, "cgroups", cgroups);
	json_ku64(j, "top_level_cgroups", (uint64_t)top_level);
	json_key(j, "total");
	json_obj_begin(j);
	json_stats_keys(j, total, false);
	json_obj_end(j);
	json_key(j, "tier");
	if (tier) {
		json_obj_begin(j);
		json_tier_fields(j, tier);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "module");
	json_obj_begin(j);
	json_kstr(j, "version", info->version);
	json_kstr(j, "kernel", info->kernel);
	json_ku64(j, "policies", info->nr_policies);
	json_ku64(j, "max_policies", info->max_policies);
	json_obj_end(j);
	json_obj_end(j);
}

/* A statistic for people: "1.5G", "12.3ms", "target", "42". */
static const char *stats_field_text(const struct stats_field *f, uint64_t v,
				    char *buf, size_t len)
{
	switch (f->unit) {
	case FU_BYTES:
		memctl_format_size(v, buf, len);
		return buf;
	case FU_NS:
		return fmt_ns(v, buf, len);
	case FU_STOP:
		return memctl_stop_name((uint32_t)v);
	default:
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return buf;
	}
}

void stats_print(FILE *f, const struct memctl_cgroup_stats *s)
{
	char buf[32];
	size_t i;

	kv_print(f, "cgroup", "%s", s->cgroup.path[0] ? s->cgroup.path : "-");
	kv_print(f, "id", "%llu", (unsigned long long)s->cgroup.id);
	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *fl = &stats_fields[i];

		if (!stats_field_present(fl, s))
			continue;
		kv_print(f, fl->label, "%s",
			 stats_field_text(fl, stats_field_value(fl, s), buf,
					  sizeof(buf)));
	}
}

/* The bound of the arrays below; test_fields.c checks the table keeps it. */
#define STATS_MAX_COLS	32

/*
 * Columns: CGROUP, ID, then those the field table gives; the columns of
 * statistics that only some rows have (HAS, after the others) only when a
 * row has them (@present, the rows' MEMCTL_STATS_HAS_* bits).
 */
static int stats_table_cols(uint32_t present)
{
	int cols = 2;
	size_t i;

	for (i = 0; i < nr_stats_fields; i++)
		if (stats_fields[i].col >= cols &&
		    stats_fields[i].col < STATS_MAX_COLS &&
		    (!stats_fields[i].has || (stats_fields[i].has & present)))
			cols = stats_fields[i].col + 1;
	return cols;
}

static void stats_table_header(struct table *t, uint32_t present)
{
	static char align[STATS_MAX_COLS + 1];
	const char *cells[STATS_MAX_COLS] = { "CGROUP", "ID" };
	int cols = stats_table_cols(present), c;
	size_t i;

	for (c = 0; c < cols; c++)
		align[c] = c == 0 ? 'l' : 'r';
	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *f = &stats_fields[i];

		if (!f->col || f->col >= cols)
			continue;
		cells[f->col] = f->column;
		if (f->unit == FU_STOP)
			align[f->col] = 'l';
	}
	align[cols] = '\0';
	table_init(t, cols, align);
	table_add_row(t, cells);
}

/* A row; @name instead of the cgroup and no id or last_* when set.  A
 * column of statistics the row does not have is "-". */
static void stats_row(struct table *t, const struct memctl_cgroup_stats *s,
		      const char *name)
{
	char path[MEMCTL_CGROUP_PATH_MAX], id[24], buf[STATS_MAX_COLS][32];
	const struct stats_field *first[STATS_MAX_COLS] = { NULL };
	const char *cells[STATS_MAX_COLS] = { NULL };
	uint64_t sum[STATS_MAX_COLS] = { 0 };
	int cols = t->ncols, c;
	bool total;
	size_t i;

	/* One line per row: a cgroup's name may hold any byte but '/'. */
	for (i = 0; s->cgroup.path[i] && i < sizeof(path) - 1; i++) {
		unsigned char ch = (unsigned char)s->cgroup.path[i];

		path[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	path[i] = '\0';
	if (!name && path[0])
		name = path;
	total = name && name != path;
	snprintf(id, sizeof(id), "%llu", (unsigned long long)s->cgroup.id);
	cells[0] = name;
	cells[1] = total ? NULL : id;

	/* Statistics that share a column are added up. */
	for (i = 0; i < nr_stats_fields; i++) {
		const struct stats_field *f = &stats_fields[i];

		if (!f->col || f->col >= cols ||
		    (total && !stats_field_in_total(f)) ||
		    !stats_field_present(f, s))
			continue;
		if (!first[f->col])
			first[f->col] = f;
		sum[f->col] += stats_field_value(f, s);
	}
	for (c = 2; c < cols; c++)
		if (first[c])
			cells[c] = stats_field_text(first[c], sum[c], buf[c],
						    sizeof(buf[c]));
	table_add_row(t, cells);
}

void stats_table_row(struct table *t, const struct memctl_cgroup_stats *s)
{
	stats_row(t, s, NULL);
}

/* "tier    ..." and "module  ..." under the table. */
void stats_print_global(FILE *f, const struct memctl_info *info,
			const struct memctl_tier *tier, uint64_t page_size)
{
	char a[MEMCTL_SIZE_STR_MAX], b[MEMCTL_SIZE_STR_MAX];
	char c[MEMCTL_SIZE_STR_MAX], d[MEMCTL_SIZE_STR_MAX];

	if (!tier) {
		fprintf(f, "tier    none\n");
	} else {
		uint64_t stored = tier->stored_pages * page_size;
		char ratio[32];

		if (tier->pool_bytes)
			snprintf(ratio, sizeof(ratio), "%.2f",
				 (double)stored / (double)tier->pool_bytes);
		else
			snprintf(ratio, sizeof(ratio), "-");
		fprintf(f, "tier    /dev/%s %s %s%s: %llu pages stored (%s), "
			"compressed %s, pool %s, ratio %s\n",
			tier->device[0] ? tier->device : "?",
			tier->algo[0] ? tier->algo : "?",
			fmt_size(tier->size, a), tier->in_use ? " in use" : "",
			(unsigned long long)tier->stored_pages,
			fmt_size(stored, b), fmt_size(tier->compressed_bytes, c),
			fmt_size(tier->pool_bytes, d), ratio);
	}
	fprintf(f, "module  memctl %s, %u of %u policies\n", info->version,
		info->nr_policies, info->max_policies);
}

/* The table of `memctl stats`: @n rows (none if @totals_only), TOTAL,
 * then the tier and the module. */
void stats_print_table(FILE *f, const struct memctl_cgroup_stats *rows,
		       size_t n, const struct memctl_cgroup_stats *total,
		       const struct memctl_info *info,
		       const struct memctl_tier *tier, uint64_t page_size,
		       bool totals_only)
{
	struct table t;
	size_t i;

	stats_table_header(&t, total->present);
	if (!totals_only)
		for (i = 0; i < n; i++)
			stats_table_row(&t, &rows[i]);
	stats_row(&t, total, "TOTAL");
	table_print(&t, f);
	table_free(&t);
	stats_print_global(f, info, tier, page_size);
}

/* ---- one snapshot ---- */

/* Let go of the rows of the last snapshot. */
static void snapshot_release(struct snapshot *snap)
{
	if (snap->rows != &snap->one)
		memctl_cgroup_stats_free(snap->rows);
	snap->rows = NULL;
	snap->n = 0;
	free(snap->path);
	snap->path = NULL;
}

static bool needs_global(const struct stats_opts *o)
{
	if (o->format == FMT_PROM || o->totals)
		return true;
	return o->format == FMT_TABLE && !o->have_cgroup;
}

/*
 * Return: 0 or a negative errno, with *@what saying what failed (for
 * kernel_error()).
 */
static int snapshot_take(struct memctl *mc, const struct stats_opts *o,
			 struct snapshot *snap, const char **what)
{
	int err;

	snapshot_release(snap);
	snap->have_global = false;
	snap->have_tier = false;
	*what = "stats";
	if (o->have_cgroup) {
		err = memctl_cgroup_stats_get(mc, o->cg.path, o->cg.id,
					      &snap->one);
		if (err)
			return err;
		/* the path outlives the requests for the module and tier */
		snap->path = strdup(snap->one.cgroup.path);
		if (!snap->path)
			return -ENOMEM;
		snap->one.cgroup.path = snap->path;
		snap->rows = &snap->one;
		snap->n = 1;
	} else {
		err = memctl_cgroup_stats_list(mc, &snap->rows, &snap->n);
		if (err)
			return err;
	}
	if (o->totals || (o->format == FMT_TABLE && !o->have_cgroup)) {
		snap->top_level = memctl_cgroup_stats_sum(snap->rows, snap->n,
							  &snap->total);
		if (snap->top_level < 0)
			return snap->top_level;
	}
	if (!needs_global(o))
		return 0;

	*what = "stats: module info";
	err = memctl_get_info(mc, &snap->info);
	if (err)
		return err;
	*what = "stats: tier";
	err = memctl_tier_get(mc, &snap->tier);
	if (!err)
		snap->have_tier = true;
	else if (err != -ENODATA && err != -ENOENT && err != -EOPNOTSUPP)
		return err;
	snap->have_global = true;
	return 0;
}

/* The snapshot in the chosen format; @header for a watched table. */
static int snapshot_write(FILE *f, const struct stats_opts *o,
			  const struct snapshot *snap, const char *header)
{
	const struct memctl_tier *tier = snap->have_tier ? &snap->tier : NULL;
	struct json j;
	size_t i;

	switch (o->format) {
	case FMT_PROM:
		return prom_write_stats(f, snap->rows, snap->n, &snap->info,
					tier) ? EXIT_REFUSED : EXIT_OK;
	case FMT_JSON:
		json_init(&j, f);
		if (o->totals) {
			json_stats_totals(&j, snap->n, snap->top_level,
					  &snap->total, &snap->info, tier);
			return EXIT_OK;
		}
		json_arr_begin(&j);
		for (i = 0; i < snap->n; i++)
			json_stats_object(&j, &snap->rows[i]);
		json_arr_end(&j);
		return EXIT_OK;
	case FMT_TABLE:
		break;
	}
	if (header)
		fprintf(f, "%s\n", header);
	if (o->have_cgroup) {
		stats_print(f, &snap->rows[0]);
		return EXIT_OK;
	}
	stats_print_table(f, snap->rows, snap->n, &snap->total, &snap->info,
			  tier, (uint64_t)sysconf(_SC_PAGESIZE), o->totals);
	return EXIT_OK;
}

/* ---- output ---- */

/* Replace @path by @len bytes of @buf: a temporary file, then rename(). */
static int write_file_atomic(const char *path, const char *buf, size_t len)
{
	size_t plen = strlen(path), off = 0;
	char *tmp = malloc(plen + 8);
	int fd, err = 0;

	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", 8);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		off += (size_t)n;
	}
	/* mkstemp() makes 0600; readers such as node-exporter need 0644. */
	if (!err && fchmod(fd, 0644) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

static int deliver(const struct stats_opts *o, const char *buf, size_t len,
		   unsigned long frame, bool tty)
{
	int err;

	if (o->output) {
		err = write_file_atomic(o->output, buf, len);
		if (err) {
			fprintf(stderr, "memctl: stats: cannot write %s: %s\n",
				o->output, strerror(-err));
			return EXIT_REFUSED;
		}
		return EXIT_OK;
	}
	if (tty && o->watch_ms)
		fputs("\033[H\033[2J", stdout);	/* home, clear the screen */
	else if (frame && o->format != FMT_JSON)
		fputc('\n', stdout);
	fwrite(buf, 1, len, stdout);
	return flush_stdout();
}

/* ---- arguments ---- */

/* SECONDS: a DURATION as everywhere, "2", "0.5" (seconds) or "500ms". */
static int parse_watch(const char *val, uint32_t *ms)
{
	char *msg;

	if (check_duration("--watch interval", val, 100, 86400000, ms, &msg))
		return usage_error_msg(msg);
	return 0;
}

static int parse_stats_args(int argc, char **argv, struct stats_opts *o)
{
	int i, err;

	memset(o, 0, sizeof(*o));
	o->format = json_output ? FMT_JSON : FMT_TABLE;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL;
		const char *eq = strchr(arg, '=');
		char name[32];

		if (arg[0] != '-' || !arg[1]) {
			if (o->have_cgroup)
				return usage_error("unexpected argument '%s'",
						   arg);
			if ((err = parse_cgroup_arg(arg, &o->cg)))
				return err;
			o->have_cgroup = true;
			continue;
		}
		/* --opt=value */
		snprintf(name, sizeof(name), "%.*s",
			 (int)(eq && !strncmp(arg, "--", 2) ? eq - arg :
			       (long)strlen(arg)), arg);
		if (eq && !strncmp(arg, "--", 2))
			val = eq + 1;

		if (!strcmp(name, "--prometheus") && !val) {
			if (json_output)
				return usage_error("-j and --prometheus are two "
						   "formats: pick one");
			o->format = FMT_PROM;
		} else if (!strcmp(name, "--totals") && !val) {
			o->totals = true;
		} else if (!strcmp(name, "-w") || !strcmp(name, "--watch") ||
			   !strcmp(name, "-o") || !strcmp(name, "--output")) {
			if (!val && i + 1 >= argc)
				return usage_error("'%s' needs a value", name);
			if (!val)
				val = argv[++i];
			if (name[1] == 'w' || name[2] == 'w') {
				if (o->watch_ms)
					return usage_error("'%s' given twice",
							   name);
				if ((err = parse_watch(val, &o->watch_ms)))
					return err;
			} else {
				if (o->output)
					return usage_error("'%s' given twice",
							   name);
				if (!*val)
					return usage_error("'%s' needs a file "
							   "name", name);
				o->output = val;
			}
		} else {
			return usage_error("unknown option '%s'", arg);
		}
	}
	if (o->totals && o->format == FMT_PROM)
		return usage_error("--totals does not go with --prometheus");
	if (o->totals && o->have_cgroup)
		return usage_error("--totals does not go with a CGROUP");
	return 0;
}

/* ---- the command ---- */

static int json_row(const struct memctl_cgroup_stats *s, void *arg)
{
	struct json *j = arg;

	if (!j->depth)
		json_arr_begin(j);	/* the first row */
	json_stats_object(j, s);
	return 0;
}

/*
 * `memctl -j stats`: the array, each row written as the library parses it
 * from the dump.  memctl_cgroup_stats_foreach() calls json_row() only once
 * the whole dump is in, consistent and checked, so that a failure writes
 * nothing: never a partial array.
 */
static int json_stream_rows(struct memctl *mc, FILE *f)
{
	struct json j;
	int err;

	json_init(&j, f);
	/* What an agent uses: compact rows, no 4 KiB path each. */
	err = memctl_cgroup_stats_foreach(mc, json_row, &j);
	if (err > 0)
		err = -EIO;	/* json_row() never stops the dump */
	if (err)
		return err;	/* nothing was written */
	if (!j.depth)
		json_arr_begin(&j);	/* no row */
	json_arr_end(&j);
	return 0;
}

/*
 * Take a snapshot and write it into *@buf.  Return: 0, a negative errno
 * from the kernel (already reported), or a positive exit status.
 */
static int render(struct memctl *mc, const struct stats_opts *o,
		  struct snapshot *snap, char **buf, size_t *len)
{
	char header[128] = "", when[64];
	struct timespec now;
	const char *what;
	FILE *f;
	int err;

	if (o->format == FMT_JSON && !o->totals && !o->have_cgroup) {
		/* The array needs no row kept: written as the rows come. */
		f = open_memstream(buf, len);
		if (!f) {
			fprintf(stderr, "memctl: out of memory\n");
			return EXIT_REFUSED;
		}
		err = json_stream_rows(mc, f);
		if (fclose(f) && !err) {
			fprintf(stderr, "memctl: out of memory\n");
			err = EXIT_REFUSED;
		}
		if (err < 0)
			kernel_error(mc, err, "stats");
		return err;
	}
	err = snapshot_take(mc, o, snap, &what);
	if (err) {
		if (o->have_cgroup && !strcmp(what, "stats"))
			kernel_error(mc, err, "stats %s", cgroup_arg_name(&o->cg));
		else
			kernel_error(mc, err, "%s", what);
		return err;
	}
	if (o->watch_ms) {
		char every[MEMCTL_DURATION_STR_MAX];

		clock_gettime(CLOCK_REALTIME, &now);
		fmt_time_iso(&now, when, sizeof(when));
		memctl_format_duration_ms(o->watch_ms, every, sizeof(every));
		snprintf(header, sizeof(header), "memctl stats, every %s, %s",
			 every, when);
	}
	f = open_memstream(buf, len);
	if (!f) {
		fprintf(stderr, "memctl: out of memory\n");
		return EXIT_REFUSED;
	}
	err = snapshot_write(f, o, snap, header[0] ? header : NULL);
	if (fclose(f) && !err) {
		fprintf(stderr, "memctl: out of memory\n");
		err = EXIT_REFUSED;
	}
	if (err == EXIT_REFUSED && o->format == FMT_PROM)
		fprintf(stderr, "memctl: stats: invalid Prometheus output "
			"(a bug in memctl)\n");
	return err;
}

int stats_main(int argc, char **argv)
{
	struct snapshot snap = { 0 };
	bool tty = isatty(STDOUT_FILENO);
	struct stats_opts o;
	unsigned long delivered = 0;
	sigset_t stopset, oldset;
	struct memctl *mc;
	int err;

	if ((err = parse_stats_args(argc, argv, &o)))
		return err;
	if (o.output)
		tty = false;
	if ((err = open_memctl(&mc)))
		return err;

	/* SIGINT and SIGTERM are taken with sigtimedwait() between frames:
	 * no frame is cut in half and no signal is lost before a wait. */
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	if (o.watch_ms)
		sigprocmask(SIG_BLOCK, &stopset, &oldset);

	if (o.format == FMT_JSON && !o.totals && !o.have_cgroup &&
	    !o.output && !o.watch_ms) {
		/* One array to stdout: straight there, not through memory. */
		err = json_stream_rows(mc, stdout);
		if (err) {
			kernel_error(mc, err, "stats");
			err = EXIT_REFUSED;
		} else {
			err = flush_stdout();
		}
		memctl_close(mc);
		return err;
	}

	for (;;) {
		struct timespec ts;
		char *buf = NULL;
		size_t len = 0;
		int sig;

		err = render(mc, &o, &snap, &buf, &len);
		if (err == -EAGAIN && o.watch_ms) {
			/* The table kept changing under the dump: try again
			 * at the next tick rather than give up watching. */
			err = 0;
		} else if (err < 0) {
			err = EXIT_REFUSED;
		} else if (!err) {
			err = deliver(&o, buf, len, delivered++, tty);
		}
		free(buf);
		if (err || !o.watch_ms)
			break;

		ts.tv_sec = o.watch_ms / 1000;
		ts.tv_nsec = (long)(o.watch_ms % 1000) * 1000000;
		do {
			sig = sigtimedwait(&stopset, NULL, &ts);
		} while (sig < 0 && errno == EINTR);
		if (sig == SIGINT || sig == SIGTERM)
			break;
	}
	if (o.watch_ms)
		sigprocmask(SIG_SETMASK, &oldset, NULL);
	snapshot_release(&snap);
	memctl_close(mc);
	return err;
}
