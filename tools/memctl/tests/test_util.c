// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CLI's output helpers: aligned columns people read, and the small
 * formatters behind them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
