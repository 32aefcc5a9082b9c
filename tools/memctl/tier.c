// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl tier set | show | del
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

#define TIER_SET_SYNOPSIS  "       memctl tier set size SIZE [algo lz4|lzo-rle|zstd]\n"
#define TIER_SHOW_SYNOPSIS "       memctl tier show\n"
#define TIER_DEL_SYNOPSIS  "       memctl tier del\n"

static const char tier_set_usage[] =
	"Usage:\n" TIER_SET_SYNOPSIS
	"\n"
	"Create the compressed tier, the swap device /dev/" MEMCTL_TIER_DEVICE_NAME
	", offering SIZE\n"
	"bytes (1M .. 4T), compressed with lz4 (default), lzo-rle or zstd.\n"
	"Then: mkswap /dev/" MEMCTL_TIER_DEVICE_NAME " && swapon /dev/"
	MEMCTL_TIER_DEVICE_NAME ".  Needs CAP_SYS_ADMIN.\n";

static const char tier_show_usage[] =
	"Usage:\n" TIER_SHOW_SYNOPSIS
	"\n"
	"Show the compressed tier's settings and counters.  With -j: an object\n"
	"with the keys device, path, size, algo, in_use, stored_pages,\n"
	"compressed_bytes, pool_bytes, same_filled_pages, huge_pages, stores,\n"
	"loads, failed_stores, failed_loads, discards.  Without a tier: one\n"
	"line on stderr, exit 1.\n";

static const char tier_del_usage[] =
	"Usage:\n" TIER_DEL_SYNOPSIS
	"\n"
	"Remove the compressed tier (swapoff it first).  Needs CAP_SYS_ADMIN.\n";

const char tier_usage[] =
	"Usage:\n" TIER_SET_SYNOPSIS TIER_SHOW_SYNOPSIS TIER_DEL_SYNOPSIS
	"\n"
	"Manage the compressed tier, a swap device that keeps anonymous pages\n"
	"compressed in RAM and charges them to the cgroup that owned them.\n"
	"'memctl tier' alone is 'memctl tier show'.\n";

static int tier_set_main(int argc, char **argv)
{
	static const char *const algos[] = { "lz4", "lzo-rle", "zstd" };
	char a[MEMCTL_SIZE_STR_MAX], b[MEMCTL_SIZE_STR_MAX];
	const char *algo = NULL;
	bool have_size = false;
	uint64_t size = 0;
	struct memctl *mc;
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

			if (algo)
				return usage_error("'algo' given twice");
			if (!val)
				return usage_error("'algo' needs a value");
			for (k = 0; k < sizeof(algos) / sizeof(algos[0]); k++)
				if (!strcmp(val, algos[k]))
					break;
			if (k == sizeof(algos) / sizeof(algos[0]))
				return usage_error("unknown algo '%s' (lz4, lzo-rle "
						   "or zstd)", val);
			algo = val;
		} else {
			return usage_error("unknown keyword '%s'", argv[i]);
		}
	}
	if (!have_size)
		return usage_error("missing 'size SIZE'");
	if (size < MEMCTL_TIER_SIZE_MIN || size > MEMCTL_TIER_SIZE_MAX)
		return usage_error("size must be between %s and %s",
				   fmt_size(MEMCTL_TIER_SIZE_MIN, a),
				   fmt_size(MEMCTL_TIER_SIZE_MAX, b));

	if ((err = open_memctl(&mc)))
		return err;
	err = memctl_tier_set(mc, size, algo);
	if (err)
		err = kernel_error(mc, err, "tier set");
	memctl_close(mc);
	return err;
}

void json_tier_fields(struct json *j, const struct memctl_tier *t)
{
	char path[sizeof(t->device) + 8];

	snprintf(path, sizeof(path), "/dev/%s", t->device);
	json_kstr(j, "device", t->device[0] ? t->device : NULL);
	json_kstr(j, "path", t->device[0] ? path : NULL);
	json_ku64(j, "size", t->size);
	json_kstr(j, "algo", t->algo[0] ? t->algo : NULL);
	json_kbool(j, "in_use", t->in_use);
	json_ku64(j, "stored_pages", t->stored_pages);
	json_ku64(j, "compressed_bytes", t->compressed_bytes);
	json_ku64(j, "pool_bytes", t->pool_bytes);
	json_ku64(j, "same_filled_pages", t->same_filled_pages);
	json_ku64(j, "huge_pages", t->huge_pages);
	json_ku64(j, "stores", t->stores);
	json_ku64(j, "loads", t->loads);
	json_ku64(j, "failed_stores", t->failed_stores);
	json_ku64(j, "failed_loads", t->failed_loads);
	json_ku64(j, "discards", t->discards);
}

void tier_print(FILE *f, const struct memctl_tier *t)
{
	char a[MEMCTL_SIZE_STR_MAX];

	if (!t->device[0] && !t->size) {
		fprintf(f, "no compressed tier (create one with 'memctl tier "
			"set size SIZE')\n");
		return;
	}
	kv_print(f, "device", "/dev/%s", t->device);
	kv_print(f, "size", "%s", fmt_size(t->size, a));
	kv_print(f, "algo", "%s", t->algo);
	kv_print(f, "in use", "%s", t->in_use ? "yes" : "no");
	kv_print(f, "stored pages", "%llu", (unsigned long long)t->stored_pages);
	kv_print(f, "compressed", "%s", fmt_size(t->compressed_bytes, a));
	kv_print(f, "pool", "%s", fmt_size(t->pool_bytes, a));
	kv_print(f, "same-filled pages", "%llu",
		 (unsigned long long)t->same_filled_pages);
	kv_print(f, "huge pages", "%llu", (unsigned long long)t->huge_pages);
	kv_print(f, "stores", "%llu", (unsigned long long)t->stores);
	kv_print(f, "loads", "%llu", (unsigned long long)t->loads);
	kv_print(f, "failed stores", "%llu",
		 (unsigned long long)t->failed_stores);
	kv_print(f, "failed loads", "%llu", (unsigned long long)t->failed_loads);
	kv_print(f, "discards", "%llu", (unsigned long long)t->discards);
}

static int tier_show_main(int argc, char **argv)
{
	struct memctl_tier t;
	struct memctl *mc;
	int err;

	if ((err = no_more_args(argc, argv, 1)))
		return err;
	if ((err = open_memctl(&mc)))
		return err;
	err = memctl_tier_get(mc, &t);
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
		json_obj_end(&j);
		return EXIT_OK;
	}
	tier_print(stdout, &t);
	return EXIT_OK;
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
	{ "del", tier_del_main, "remove the tier", tier_del_usage, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};
