// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CLI's output helpers: aligned columns people read, the small
 * formatters behind them, and the one-line messages of kernel refusals.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"	/* libmemctl's: a handle with the kernel's message */
#include "unit.h"

TEST(table_alignment)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct table t;

	table_init(&t, 3, "lrl");
	table_add(&t, "CGROUP", "HIGH", "CLASSES");
	table_add(&t, "/a", "2G", "slab,file");
	table_add(&t, "/app.slice/web", "512M", NULL);
	table_print(&t, f);
	table_free(&t);
	fclose(f);
	/* left and right alignment, "-" for missing, no trailing blanks */
	CHECK_STR(buf,
		  "CGROUP          HIGH  CLASSES\n"
		  "/a                2G  slab,file\n"
		  "/app.slice/web  512M  -\n");
	free(buf);
}

TEST(fmt_helpers)
{
	char b[MEMCTL_SIZE_STR_MAX], t[32];

	CHECK_STR(fmt_size(0, b), "0");
	CHECK_STR(fmt_size(3ULL << 29, b), "1.5G");
	CHECK_STR(fmt_ns(999, t, sizeof(t)), "999ns");
	CHECK_STR(fmt_ns(1500, t, sizeof(t)), "1.5us");
	CHECK_STR(fmt_ns(12300000, t, sizeof(t)), "12.3ms");
	CHECK_STR(fmt_ns(2500000000ULL, t, sizeof(t)), "2.50s");
}

TEST(json_classes_and_cgroup)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct memctl_cgroup none = { 0 }, cg = { .id = 7, .path = "/x" };
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j);
	json_classes(&j, "a", MEMCTL_F_CLASS_SLAB | MEMCTL_F_CLASS_ANON);
	json_classes(&j, "b", 0);
	json_classes(&j, "c", 1U << 4);
	json_cgroup(&j, &cg);
	json_obj_end(&j);
	json_obj_begin(&j);
	json_cgroup(&j, &none);
	json_obj_end(&j);
	fclose(f);
	CHECK_STR(buf, "{\"a\":[\"slab\",\"anon\"],\"b\":[],\"c\":[\"0x10\"],"
		  "\"cgroup\":\"/x\",\"id\":7}\n"
		  "{\"cgroup\":null,\"id\":null}\n");
	free(buf);
}

/* What @fn printed on stderr, malloc()ed; its return value in *@ret. */
static char *stderr_of(int (*fn)(struct memctl *, int, const char *),
		       struct memctl *mc, int err, const char *what, int *ret)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	char *buf = calloc(1, 1024);

	if (!tmp || saved < 0 || !buf) {
		free(buf);
		return NULL;
	}
	fflush(stderr);
	dup2(fileno(tmp), 2);
	*ret = fn(mc, err, what);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	if (!fread(buf, 1, 1023, tmp))
		buf[0] = '\0';
	fclose(tmp);
	return buf;
}

static int kernel_error_what(struct memctl *mc, int err, const char *what)
{
	return kernel_error(mc, err, "%s", what);
}

/*
 * The kernel words some refusals for netlink programs ("create it with
 * TIER_SET"); the CLI says what to type instead, in one line, exit 1.
 */
TEST(kernel_error_own_words)
{
	static const struct {
		const char *what, *kmsg;
		int err;
		const char *want;
	} cases[] = {
		{ "tier show", "there is no tier: create it with TIER_SET", -ENOENT,
		  "memctl: tier show: there is no compressed tier: create one "
		  "with 'memctl tier set size SIZE'\n" },
		{ "tier set", "the tier exists already: delete it first (TIER_DEL)",
		  -EEXIST, "memctl: tier set: the compressed tier exists already: "
		  "remove it first with 'memctl tier del' (after swapoff)\n" },
		{ "tier del", "there is no tier to delete", -ENOENT,
		  "memctl: tier del: there is no compressed tier to delete\n" },
		/* the others keep strerror and the kernel's message */
		{ "tier del", "the tier's device is open (swapped on?): swapoff "
		  "it first", -EBUSY, "memctl: tier del: Device or resource busy: "
		  "the tier's device is open (swapped on?): swapoff it first\n" },
		{ "policy show /a", "this cgroup has no policy", -ENOENT,
		  "memctl: policy show /a: No such file or directory: this cgroup "
		  "has no policy\n" },
	};
	struct memctl *mc = calloc(1, sizeof(*mc));
	size_t i;

	for (i = 0; mc && i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = -1;
		char *err;

		snprintf(mc->errmsg, sizeof(mc->errmsg), "%s", cases[i].kmsg);
		err = stderr_of(kernel_error_what, mc, cases[i].err,
				cases[i].what, &ret);
		CHECK_STR(err, cases[i].want);
		CHECK_INT(ret, EXIT_REFUSED);
		free(err);
	}
	free(mc);
}
