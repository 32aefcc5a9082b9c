// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl reclaim CGROUP SIZE [classes LIST]
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char reclaim_usage[] =
	"Usage: memctl reclaim CGROUP SIZE [classes LIST]\n"
	"\n"
	"Reclaim SIZE bytes from CGROUP now, in bounded steps, and show what\n"
	"each class gave.  LIST: slab, file, anon, comma separated, or all\n"
	"(default slab,file).  Needs CAP_SYS_ADMIN.\n"
	"\n"
	"With -j: an object with the keys cgroup, id, requested, classes,\n"
	"freed {slab, file, anon}, duration_ns, cpu_ns, steps, stop,\n"
	"usage_before, usage_after.  Sizes are bytes.\n";

/* Shared with the reclaim events of monitor. */
void json_reclaim_fields(struct json *j, const struct memctl_reclaim_result *r)
{
	json_ku64(j, "requested", r->requested);
	json_classes(j, "classes", r->classes);
	json_key(j, "freed");
	json_obj_begin(j);
	json_ku64(j, "slab", r->freed_slab);
	json_ku64(j, "file", r->freed_file);
	json_ku64(j, "anon", r->freed_anon);
	json_obj_end(j);
	json_ku64(j, "duration_ns", r->duration_ns);
	json_ku64(j, "cpu_ns", r->cpu_ns);
	json_ku64(j, "steps", r->steps);
	json_kstr(j, "stop", memctl_stop_name(r->stop));
	json_ku64(j, "usage_before", r->usage_before);
	json_ku64(j, "usage_after", r->usage_after);
}

void reclaim_print(FILE *f, const struct memctl_reclaim_result *r)
{
	char a[MEMCTL_SIZE_STR_MAX], b[MEMCTL_SIZE_STR_MAX], t[32];
	uint64_t total = r->freed_slab + r->freed_file + r->freed_anon;

	fprintf(f, "%s: freed %s of %s in %s, %u step%s, stopped: %s\n",
	       r->cgroup.path[0] ? r->cgroup.path : "-", fmt_size(total, a),
	       fmt_size(r->requested, b), fmt_ns(r->duration_ns, t, sizeof(t)),
	       r->steps, r->steps == 1 ? "" : "s", memctl_stop_name(r->stop));
	kv_print(f, "  slab", "%s", fmt_size(r->freed_slab, a));
	kv_print(f, "  file", "%s", fmt_size(r->freed_file, a));
	kv_print(f, "  anon", "%s", fmt_size(r->freed_anon, a));
	kv_print(f, "  usage", "%s -> %s", fmt_size(r->usage_before, a),
		 fmt_size(r->usage_after, b));
	kv_print(f, "  cpu", "%s", fmt_ns(r->cpu_ns, t, sizeof(t)));
}

int reclaim_main(int argc, char **argv)
{
	struct memctl_reclaim_result *r;
	uint32_t classes = 0;
	struct cgroup_arg cg;
	struct memctl *mc;
	uint64_t bytes;
	char max[MEMCTL_SIZE_STR_MAX];
	int err, i;

	if (argc < 2)
		return usage_error("missing CGROUP");
	if ((err = parse_cgroup_arg(argv[1], &cg)))
		return err;
	if (argc < 3)
		return usage_error("missing SIZE");
	if ((err = parse_size_arg("size", argv[2], &bytes)))
		return err;
	if (!bytes || bytes > MEMCTL_RECLAIM_BYTES_MAX)
		return usage_error("size must be between 1 and %s",
				   fmt_size(MEMCTL_RECLAIM_BYTES_MAX, max));
	for (i = 3; i < argc; i += 2) {
		if (strcmp(argv[i], "classes"))
			return usage_error("unknown keyword '%s'", argv[i]);
		if (classes)
			return usage_error("'classes' given twice");
		if (i + 1 >= argc)
			return usage_error("'classes' needs a value");
		if ((err = parse_classes_arg("classes", argv[i + 1], &classes)))
			return err;
	}

	if ((err = open_memctl(&mc)))
		return err;
	r = malloc(sizeof(*r));
	err = r ? memctl_reclaim(mc, cg.path, cg.id, bytes, classes, r) : -ENOMEM;
	if (err) {
		err = kernel_error(mc, err, "reclaim %s", cgroup_arg_name(&cg));
	} else if (json_output) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_cgroup(&j, &r->cgroup);
		json_reclaim_fields(&j, r);
		json_obj_end(&j);
	} else {
		reclaim_print(stdout, r);
	}
	free(r);
	memctl_close(mc);
	return err;
}
