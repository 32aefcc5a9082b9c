// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl tier set | show | del
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "fields.h"

#define TIER_SET_SYNOPSIS  "       memctl tier set size SIZE [algo lz4|lzo-rle|zstd]\n" \
			   "                       [backing PATH [backing-age DURATION]\n" \
			   "                        [backing-limit SIZE]]\n"
#define TIER_SHOW_SYNOPSIS "       memctl tier show\n"
#define TIER_WB_SYNOPSIS   "       memctl tier writeback idle|huge|all\n"
#define TIER_DEL_SYNOPSIS  "       memctl tier del\n"

static const char tier_set_usage[] =
	"Usage:\n" TIER_SET_SYNOPSIS
	"\n"
	"Create the compressed tier, the swap device /dev/" MEMCTL_TIER_DEVICE_NAME
	", offering SIZE\n"
	"bytes (1M .. 4T), compressed with lz4 (default), lzo-rle or zstd.\n"
	"backing PATH: a block device, or a regular file written in full (dd),\n"
	"that takes the pages written back, uncompressed: those untouched for\n"
	"backing-age (default 30m, 1s .. 7d) by themselves, and others on\n"
	"demand (memctl tier writeback).  memctl holds it exclusively while the\n"
	"tier exists.  backing-limit SIZE: bytes written back per day at most.\n"
	"Then: mkswap /dev/" MEMCTL_TIER_DEVICE_NAME " && swapon /dev/"
	MEMCTL_TIER_DEVICE_NAME ".  Needs CAP_SYS_ADMIN.\n";

static const char tier_writeback_usage[] =
	"Usage:\n" TIER_WB_SYNOPSIS
	"\n"
	"Write pages of the tier back to its backing device now: idle (those\n"
	"untouched since the last idle pass), huge (incompressible) or all\n"
	"(every page in RAM but same-filled ones).  Prints the pages written\n"
	"back (-j: {\"written_pages\": N}).  Exit 1 when there is no backing\n"
	"device, the day's limit is reached or the device is full.  Needs\n"
	"CAP_SYS_ADMIN.\n";

static const char tier_show_usage[] =
	"Usage:\n" TIER_SHOW_SYNOPSIS
	"\n"
	"Show the compressed tier's settings and counters.  With -j: an object\n"
	"with the keys device, path, size, algo, in_use, stored_pages,\n"
	"compressed_bytes, pool_bytes, same_filled_pages, huge_pages, stores,\n"
	"loads, failed_stores, failed_loads, discards, backing (its path, or\n"
	"null), backing_age, backing_limit, backing_size, backing_pages,\n"
	"backing_written_bytes, backing_read_bytes, backing_failed_writes,\n"
	"backing_failed_reads, backing_limit_stops.  Without a tier: one line\n"
	"on stderr, exit 1.\n";

static const char tier_del_usage[] =
	"Usage:\n" TIER_DEL_SYNOPSIS
	"\n"
	"Remove the compressed tier (swapoff it first).  Needs CAP_SYS_ADMIN.\n";

const char tier_usage[] =
	"Usage:\n" TIER_SET_SYNOPSIS TIER_SHOW_SYNOPSIS TIER_WB_SYNOPSIS
	TIER_DEL_SYNOPSIS
	"\n"
	"Manage the compressed tier, a swap device that keeps anonymous pages\n"
	"compressed in RAM and charges them to the cgroup that owned them.\n"
	"'memctl tier' alone is 'memctl tier show'.\n";

static int tier_set_main(int argc, char **argv)
{
	static const char *const algos[] = { "lz4", "lzo-rle", "zstd" };
	char a[MEMCTL_SIZE_STR_MAX], b[MEMCTL_SIZE_STR_MAX];
	struct memctl_tier_set_opts opts = { .sz = sizeof(opts) };
	bool have_size = false, have_age = false, have_limit = false;
	uint32_t age_ms = 0;
	uint64_t size = 0;
	struct memctl *mc;
	char *msg;
	int i, err;

	for (i = 1; i < argc; i += 2) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "size")) {
			if (have_size)
				return usage_error("'size' given twice");
			if (!val)
				return usage_error("'size' needs a value");
			if ((err = parse_size_arg("size", val, &size)))
				return err;
			have_size = true;
		} else if (!strcmp(argv[i], "algo")) {
			size_t k;

			if (opts.algo)
				return usage_error("'algo' given twice");
			if (!val)
				return usage_error("'algo' needs a value");
			for (k = 0; k < sizeof(algos) / sizeof(algos[0]); k++)
				if (!strcmp(val, algos[k]))
					break;
			if (k == sizeof(algos) / sizeof(algos[0]))
				return usage_error("unknown algo '%s' (lz4, lzo-rle "
						   "or zstd)", val);
			opts.algo = val;
		} else if (!strcmp(argv[i], "backing")) {
			if (opts.backing)
				return usage_error("'backing' given twice");
			if (!val || !*val)
				return usage_error("'backing' needs a path");
			if (val[0] != '/')
				return usage_error("backing '%s': an absolute path, "
						   "please", val);
			if (strlen(val) >= MEMCTL_BACKING_PATH_MAX)
				return usage_error("backing: the path is too long");
			opts.backing = val;
		} else if (!strcmp(argv[i], "backing-age")) {
			if (have_age)
				return usage_error("'backing-age' given twice");
			if (!val)
				return usage_error("'backing-age' needs a value");
			if (check_duration("backing-age", val,
					   MEMCTL_BACKING_AGE_MIN * 1000,
					   MEMCTL_BACKING_AGE_MAX * 1000U,
					   &age_ms, &msg))
				return usage_error_msg(msg);
			opts.backing_age = (age_ms + 999) / 1000;
			have_age = true;
		} else if (!strcmp(argv[i], "backing-limit")) {
			if (have_limit)
				return usage_error("'backing-limit' given twice");
			if (!val)
				return usage_error("'backing-limit' needs a value");
			if ((err = parse_size_arg("backing-limit", val,
						  &opts.backing_limit)))
				return err;
			if (!opts.backing_limit)
				return usage_error("backing-limit must be more "
						   "than 0 (leave it out for no "
						   "limit)");
			have_limit = true;
		} else {
			return usage_error("unknown keyword '%s'", argv[i]);
		}
	}
	if (!have_size)
		return usage_error("missing 'size SIZE'");
	if (!opts.backing && (have_age || have_limit))
		return usage_error("backing-age and backing-limit need "
				   "'backing PATH'");
	if (size < MEMCTL_TIER_SIZE_MIN || size > MEMCTL_TIER_SIZE_MAX)
		return usage_error("size must be between %s and %s",
				   fmt_size(MEMCTL_TIER_SIZE_MIN, a),
				   fmt_size(MEMCTL_TIER_SIZE_MAX, b));

	if ((err = open_memctl(&mc)))
		return err;
	err = memctl_tier_set_opts(mc, size, &opts);
	if (err)
		err = kernel_error(mc, err, "tier set");
	memctl_close(mc);
	return err;
}

/* The tier's fields as its field table (fields.h) has them. */
void json_tier_fields(struct json *j, const struct memctl_tier *t)
{
	size_t i;

	for (i = 0; i < nr_tier_fields; i++) {
		const struct tier_field *f = &tier_fields[i];
		const char *str = tier_field_str(f, t);
		char buf[sizeof(t->device) + 16];

		if (!f->key)
			continue;
		switch (f->unit) {
		case FU_STR:
			snprintf(buf, sizeof(buf), f->json_fmt, str);
			json_kstr(j, f->key, str[0] ? buf : NULL);
			break;
		case FU_BOOL:
			json_kbool(j, f->key, tier_field_value(f, t));
			break;
		default:
			json_ku64(j, f->key, tier_field_value(f, t));
			break;
		}
	}
}

void tier_print(FILE *f, const struct memctl_tier *t)
{
	char buf[sizeof(t->device) + 16];
	size_t i;

	if (!t->device[0] && !t->size) {
		fprintf(f, "no compressed tier (create one with 'memctl tier "
			"set size SIZE')\n");
		return;
	}
	for (i = 0; i < nr_tier_fields; i++) {
		const struct tier_field *fl = &tier_fields[i];
		uint64_t v = fl->unit == FU_STR ? 0 : tier_field_value(fl, t);

		if (!fl->label)
			continue;
		switch (fl->unit) {
		case FU_STR:
			snprintf(buf, sizeof(buf), fl->text_fmt,
				 tier_field_str(fl, t));
			break;
		case FU_BOOL:
			snprintf(buf, sizeof(buf), "%s", v ? "yes" : "no");
			break;
		case FU_BYTES:
			fmt_size(v, buf);
			break;
		default:
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
			break;
		}
		kv_print(f, fl->label, "%s", buf);
	}
}

/* The backing device's keys, after the tier's. */
void json_backing_fields(struct json *j,
				const struct memctl_tier_backing *b)
{
	size_t i;

	json_kstr(j, "backing", b->present ? b->path : NULL);
	for (i = 0; i < nr_backing_fields; i++)
		json_ku64(j, backing_fields[i].key,
			  backing_field_value(&backing_fields[i], b));
}

static void backing_print(FILE *f, const struct memctl_tier_backing *b)
{
	char buf[32];
	size_t i;

	kv_print(f, "backing", "%s", b->present ? b->path : "none");
	if (!b->present)
		return;
	for (i = 0; i < nr_backing_fields; i++) {
		const struct backing_field *fl = &backing_fields[i];
		uint64_t v = backing_field_value(fl, b);

		if (fl->unit == FU_BYTES)
			fmt_size(v, buf);
		else
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
		kv_print(f, fl->label, "%s", buf);
	}
}

static int tier_show_main(int argc, char **argv)
{
	struct memctl_tier_backing bk = { .sz = sizeof(bk) };
	struct memctl_tier t;
	struct memctl *mc;
	int err;

	if ((err = no_more_args(argc, argv, 1)))
		return err;
	if ((err = open_memctl(&mc)))
		return err;
	err = memctl_tier_get(mc, &t);
	if (!err)
		err = memctl_tier_backing_get(mc, &bk);
	if (err) {
		err = kernel_error(mc, err, "tier show");
		memctl_close(mc);
		return err;
	}
	memctl_close(mc);

	if (json_output) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_tier_fields(&j, &t);
		json_backing_fields(&j, &bk);
		json_obj_end(&j);
		return EXIT_OK;
	}
	tier_print(stdout, &t);
	backing_print(stdout, &bk);
	return EXIT_OK;
}

static int tier_writeback_main(int argc, char **argv)
{
	static const char *const modes[] = { "idle", "huge", "all" };
	uint64_t written = 0;
	struct memctl *mc;
	uint32_t mode;
	int err;

	if (argc < 2)
		return usage_error("which pages: idle, huge or all");
	for (mode = 0; mode < 3; mode++)
		if (!strcmp(argv[1], modes[mode]))
			break;
	if (mode == 3)
		return usage_error("unknown pages '%s' (idle, huge or all)",
				   argv[1]);
	if ((err = no_more_args(argc, argv, 2)))
		return err;
	if ((err = open_memctl(&mc)))
		return err;
	/* A pass over a large tier takes as long as its writes. */
	memctl_set_timeout(mc, 0);
	err = memctl_tier_writeback(mc, MEMCTL_TIER_WRITEBACK_IDLE + mode,
				    &written);
	if (err) {
		err = kernel_error(mc, err, "tier writeback");
		memctl_close(mc);
		return err;
	}
	memctl_close(mc);
	if (json_output)
		printf("{\"written_pages\":%llu}\n",
		       (unsigned long long)written);
	else
		printf("wrote back %llu pages\n", (unsigned long long)written);
	return flush_stdout();
}

static int tier_del_main(int argc, char **argv)
{
	struct memctl *mc;
	int err;

	if ((err = no_more_args(argc, argv, 1)))
		return err;
	if ((err = open_memctl(&mc)))
		return err;
	err = memctl_tier_del(mc);
	if (err)
		err = kernel_error(mc, err, "tier del");
	memctl_close(mc);
	return err;
}

const struct cmd tier_cmds[] = {
	{ "set", tier_set_main, "create the tier", tier_set_usage, NULL },
	{ "show", tier_show_main, "show the tier", tier_show_usage, NULL },
	{ "writeback", tier_writeback_main, "write pages back to the backing device",
	  tier_writeback_usage, NULL },
	{ "del", tier_del_main, "remove the tier", tier_del_usage, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};
