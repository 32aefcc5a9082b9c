// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl: per-cgroup memory control from the command line.
 *
 * Global options, then a command from the table below; each command is a
 * <name>_main(argc, argv) in its own file.  Commands validate the whole
 * command line before they talk to the kernel, so a usage error (exit 64)
 * never leaves anything half done.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "cli.h"

#ifndef MEMCTL_CLI_VERSION
#define MEMCTL_CLI_VERSION "0.0.0"
#endif

static const char main_usage[] =
	"Usage: memctl [-j|--json] COMMAND [ARGUMENTS]\n"
	"       memctl -h|--help | -V|--version\n"
	"\n"
	"Per-cgroup memory control through the memctl kernel module.\n"
	"\n"
	"Commands:\n"
	"%s"
	"\n"
	"Options:\n"
	"  -j, --json     print JSON instead of tables (stable keys); also\n"
	"                 after the command: 'memctl stats -j'\n"
	"  -h, --help     show this help; 'memctl COMMAND --help' for a command\n"
	"  -V, --version  print the version of this program and exit\n"
	"\n"
	"CGROUP is a path relative to the cgroup2 root (/app.slice/web), a full\n"
	"path under the cgroup2 mount (/sys/fs/cgroup/app.slice/web) or\n"
	"id:NUMBER (the cgroup directory's inode number).\n"
	"SIZE is bytes with an optional unit: K, M, G, T, P, E (or KiB, MiB...)\n"
	"are powers of 1024, KB, MB, GB... powers of 1000: 4096, 64K, 1.5G, 2GB.\n"
	"DURATION is 500ms, 2s, 1.5m, 1h; a bare number is seconds (as systemd).\n"
	"\n"
	"Exit status:\n"
	"  0   success\n"
	"  1   the kernel refused the request, or another failure (such as\n"
	"      output that could not be written)\n"
	"  2   memctl is unavailable: the memctl kernel module is not loaded\n"
	"  64  usage error: bad command line, nothing was sent to the kernel\n";

static const char version_usage[] =
	"Usage: memctl version\n"
	"\n"
	"Print the version of libmemctl, then the version of the memctl module\n"
	"and the kernel it runs on.  With -j: one object with the keys library,\n"
	"module, kernel and features.  Exit 2 if the module is not loaded.\n";

static const char info_usage[] =
	"Usage: memctl info\n"
	"\n"
	"Show the module's version, features, the reclaim classes this kernel\n"
	"supports, and how many policies exist out of the maximum.\n";

static const char help_usage[] =
	"Usage: memctl help [COMMAND [SUBCOMMAND]]\n"
	"\n"
	"Show the help of memctl or of a command.\n";

static int version_main(int argc, char **argv);
static int info_main(int argc, char **argv);
static int help_main(int argc, char **argv);

static const struct cmd commands[] = {
	{ "policy", NULL, "set, show or delete a cgroup's reclaim policy",
	  policy_usage, policy_cmds },
	{ "stats", stats_main, "show usage and memctl's counters per cgroup",
	  stats_usage, NULL },
	{ "reclaim", reclaim_main, "reclaim memory from a cgroup now",
	  reclaim_usage, NULL },
	{ "tier", NULL, "create, show or delete the compressed tier",
	  tier_usage, tier_cmds },
	{ "monitor", monitor_main, "print memctl's events as they happen",
	  monitor_usage, NULL },
	{ "top", top_main, "trace reclaim stalls per cgroup (runs memctl-top)",
	  top_usage, NULL },
	{ "apply", apply_main, "make the policies match a policy file",
	  apply_usage, NULL },
	{ "info", info_main, "show the module's features and limits",
	  info_usage, NULL },
	{ "version", version_main, "show the library and module versions",
	  version_usage, NULL },
	{ "help", help_main, "show the help of a command", help_usage, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static void print_main_usage(FILE *f)
{
	char list[1024] = "";
	size_t off = 0;
	const struct cmd *c;

	for (c = commands; c->name; c++)
		off += snprintf(list + off, sizeof(list) - off, "  %-9s%s\n",
				c->name, c->summary);
	fprintf(f, main_usage, list);
}

static const struct cmd *find_cmd(const struct cmd *table, const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (is_help(argv[i]))
			return true;
	return false;
}

/*
 * -j, --json after the command too ('memctl stats -j'): taken out of the
 * command's arguments up to a "--", which ends this as it ends options.
 * No argument of a command can be "-j": a cgroup is a path or id:N, and
 * the keywords take sizes, lists and words.
 */
static int take_json(int argc, char **argv)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json_output = true;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

static char cmd_path[64];

/* Run argv[0], a command of @table; @group is "policy" for its subcommands. */
static int run_cmd(const struct cmd *table, const char *group, int argc,
		   char **argv)
{
	const struct cmd *c = find_cmd(table, argv[0]);

	if (!c) {
		if (group)
			return usage_error("unknown command '%s'", argv[0]);
		cur_cmd = NULL;
		return usage_error("unknown command '%s'", argv[0]);
	}
	snprintf(cmd_path, sizeof(cmd_path), "%s%s%s", group ? group : "",
		 group ? " " : "", c->name);
	cur_cmd = cmd_path;

	if (c->subs) {
		static char *show[] = { "show", NULL };
		char name[64];

		if (argc < 2)	/* "memctl policy" is "memctl policy show" */
			return run_cmd(c->subs, c->name, 1, show);
		if (is_help(argv[1])) {
			fputs(c->usage, stdout);
			return EXIT_OK;
		}
		snprintf(name, sizeof(name), "%s", c->name);
		return run_cmd(c->subs, name, argc - 1, argv + 1);
	}
	/* memctl-top answers its own --help. */
	if (c->fn != top_main && wants_help(argc, argv)) {
		fputs(c->usage, stdout);
		return EXIT_OK;
	}
	return c->fn(argc, argv);
}

static int help_main(int argc, char **argv)
{
	const struct cmd *c, *sub;

	if (argc < 2) {
		print_main_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 3)
		return usage_error("unexpected argument '%s'", argv[3]);
	c = find_cmd(commands, argv[1]);
	if (!c)
		return usage_error("unknown command '%s'", argv[1]);
	if (argc == 2) {
		fputs(c->usage, stdout);
		return EXIT_OK;
	}
	sub = c->subs ? find_cmd(c->subs, argv[2]) : NULL;
	if (!sub)
		return usage_error("unknown command '%s %s'", argv[1], argv[2]);
	fputs(sub->usage, stdout);
	return EXIT_OK;
}

static void json_features(struct json *j, uint32_t features)
{
	uint32_t bit;

	json_key(j, "features");
	json_arr_begin(j);
	for (bit = 1; bit; bit <<= 1)
		if ((features & bit) && memctl_feature_name(bit))
			json_str(j, memctl_feature_name(bit));
	json_arr_end(j);
}

static void print_features(char *buf, size_t len, uint32_t features)
{
	size_t off = 0;
	uint32_t bit;

	buf[0] = '\0';
	for (bit = 1; bit; bit <<= 1) {
		const char *name;

		if (!(features & bit))
			continue;
		name = memctl_feature_name(bit);
		off += snprintf(buf + off, len - off, "%s%s", off ? " " : "",
				name ? name : "?");
		if (off >= len)
			break;
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

static int version_main(int argc, char **argv)
{
	struct memctl_info info;
	struct memctl *mc;
	struct json j;
	int err;

	if ((err = no_more_args(argc, argv, 1)))
		return err;

	err = memctl_open(&mc);
	if (err) {
		if (json_output) {
			json_init(&j, stdout);
			json_obj_begin(&j);
			json_kstr(&j, "library", memctl_version());
			json_knull(&j, "module");
			json_knull(&j, "kernel");
			json_features(&j, 0);
			json_obj_end(&j);
		} else {
			printf("libmemctl %s\n", memctl_version());
		}
		fflush(stdout);
		return unavailable(err);
	}
	err = memctl_get_info(mc, &info);
	if (err) {
		if (!json_output)
			printf("libmemctl %s\n", memctl_version());
		fflush(stdout);
		err = kernel_error(mc, err, "version");
		memctl_close(mc);
		return err;
	}
	memctl_close(mc);

	if (json_output) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "library", memctl_version());
		json_kstr(&j, "module", info.version);
		json_kstr(&j, "kernel", info.kernel);
		json_features(&j, info.features);
		json_obj_end(&j);
	} else {
		printf("libmemctl %s\n", memctl_version());
		printf("memctl.ko %s (kernel %s)\n", info.version, info.kernel);
	}
	return EXIT_OK;
}

/* The names memctl info gives enum memctl_route_idx and enum memctl_path. */
static const char *const route_names[MEMCTL_ROUTE_NR] = {
	[MEMCTL_ROUTE_SLAB]	= "slab",
	[MEMCTL_ROUTE_FILE]	= "file",
	[MEMCTL_ROUTE_ANON]	= "anon",
	[MEMCTL_ROUTE_STATS]	= "stats",
	[MEMCTL_ROUTE_PRESSURE]	= "pressure",
};

static const char *path_name(uint32_t path)
{
	switch (path) {
	case MEMCTL_PATH_INTERNAL:
		return "internal";
	case MEMCTL_PATH_OFFICIAL:
		return "official";
	case MEMCTL_PATH_UNAVAILABLE:
		return "unavailable";
	default:
		return "unknown";
	}
}

static int info_main(int argc, char **argv)
{
	char features[128], classes[MEMCTL_CLASSES_STR_MAX];
	struct memctl_route routes[MEMCTL_ROUTE_NR];
	struct memctl_info info;
	struct memctl *mc;
	bool have_routes;
	int err, i;

	if ((err = no_more_args(argc, argv, 1)))
		return err;
	if ((err = open_memctl(&mc)))
		return err;
	err = memctl_get_info(mc, &info);
	if (err) {
		err = kernel_error(mc, err, "info");
		memctl_close(mc);
		return err;
	}
	/* An older module does not say how it works: leave the routes out. */
	have_routes = !memctl_get_routes(mc, routes, MEMCTL_ROUTE_NR);
	memctl_close(mc);

	if (json_output) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "module", info.version);
		json_kstr(&j, "kernel", info.kernel);
		json_features(&j, info.features);
		json_classes(&j, "classes", info.classes);
		json_ku64(&j, "policies", info.nr_policies);
		json_ku64(&j, "max_policies", info.max_policies);
		if (have_routes) {
			json_key(&j, "routes");
			json_obj_begin(&j);
			for (i = 0; i < MEMCTL_ROUTE_NR; i++) {
				json_key(&j, route_names[i]);
				json_obj_begin(&j);
				json_kstr(&j, "path", path_name(routes[i].path));
				if (routes[i].reason[0])
					json_kstr(&j, "reason", routes[i].reason);
				json_obj_end(&j);
			}
			json_obj_end(&j);
		}
		json_obj_end(&j);
		return EXIT_OK;
	}
	print_features(features, sizeof(features), info.features);
	memctl_format_classes(info.classes, classes, sizeof(classes));
	kv_print(stdout, "module", "%s", info.version);
	kv_print(stdout, "kernel", "%s", info.kernel);
	kv_print(stdout, "features", "%s", features);
	kv_print(stdout, "classes", "%s", classes);
	kv_print(stdout, "policies", "%u of %u", info.nr_policies,
		 info.max_policies);
	/* "route slab    official", or "unavailable: REASON" */
	for (i = 0; have_routes && i < MEMCTL_ROUTE_NR; i++) {
		char key[32];

		snprintf(key, sizeof(key), "route %s", route_names[i]);
		if (routes[i].reason[0])
			kv_print(stdout, key, "%s: %s", path_name(routes[i].path),
				 routes[i].reason);
		else
			kv_print(stdout, key, "%s", path_name(routes[i].path));
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, ret;

	opterr = 0;	/* one line of our own instead of getopt's */
	while ((opt = getopt_long(argc, argv, "+jhV", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json_output = true;
			break;
		case 'h':
			print_main_usage(stdout);
			return flush_stdout();
		case 'V':
			printf("memctl %s (libmemctl %s)\n", MEMCTL_CLI_VERSION,
			       memctl_version());
			return flush_stdout();
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("no command given");

	ret = run_cmd(commands, NULL, take_json(argc - optind, argv + optind),
		      argv + optind);

	/*
	 * Output that did not reach stdout fails a command that succeeded;
	 * one that failed has said why already, and keeps its status.
	 */
	if (ret == EXIT_OK)
		return flush_stdout();
	fflush(stdout);
	return ret;
}
