// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl apply without a kernel: the policy file's syntax and every error
 * with its line, the plan (create / change / unchanged / skip / delete)
 * against fabricated kernel policies, what is printed, and the exit
 * statuses of the command line before it reaches the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "cli.h"
#include "unit.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

struct parsed {
	struct apply_ctx ctx;
	char *err;		/* everything reported */
	size_t err_len;
	int ret;
};

static void parse_text(struct parsed *p, const char *text)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *err;

	p->err = NULL;
	p->err_len = 0;
	err = open_memstream(&p->err, &p->err_len);
	apply_init(&p->ctx, "pol.conf", err);
	p->ret = apply_parse(&p->ctx, in);
	fclose(in);
	fflush(err);
	p->ctx.err = err;
}

static void parsed_free(struct parsed *p)
{
	fclose(p->ctx.err);
	free(p->err);
	apply_free(&p->ctx);
}

static const char good_file[] =
	"# memctl policies\n"
	"\n"
	"/app.slice/web   high 2G target 1536M classes slab,file pressure 20000\n"
	"   # an indented comment\n"
	"/sys/fs/cgroup/app.slice/db high 8G target 6G \\\n"
	"\tinterval 500ms slab-first 20% \\\n"
	"\ttier on tier-max 1G   # anonymous pages may go to the tier\n"
	"/build.slice//ci/./x optional high 4G target 3G pressure 5000us\n"
	"/a high 1M target 0 tier off interval 2s\n";

TEST(apply_parse_good_file)
{
	struct parsed p;
	const struct apply_entry *e;

	parse_text(&p, good_file);
	fflush(p.ctx.err);
	CHECK_INT(p.ret, 0);
	CHECK_STR(p.err ? p.err : "", "");
	CHECK_INT(p.ctx.nr, 4);
	if (p.ctx.nr != 4)
		goto out;

	e = &p.ctx.entries[0];
	CHECK_INT(e->line, 3);
	CHECK_STR(e->want.cgroup.path, "/app.slice/web");
	CHECK(!e->optional);
	CHECK_INT(e->want.set, MEMCTL_POLICY_F_HIGH | MEMCTL_POLICY_F_TARGET |
		  MEMCTL_POLICY_F_CLASSES | MEMCTL_POLICY_F_PRESSURE);
	CHECK_U64(e->want.high, 2 * GiB);
	CHECK_U64(e->want.target, 1536 * MiB);
	CHECK_INT(e->want.classes, MEMCTL_F_CLASS_SLAB | MEMCTL_F_CLASS_FILE);
	CHECK_INT(e->want.pressure_us, 20000);

	/* a full path under the mount, continued over three lines */
	e = &p.ctx.entries[1];
	CHECK_INT(e->line, 5);
	CHECK(!strncmp(e->want.cgroup.path, "/", 1) &&
	      strstr(e->want.cgroup.path, "app.slice/db"));
	CHECK_U64(e->want.high, 8 * GiB);
	CHECK_U64(e->want.target, 6 * GiB);
	CHECK_INT(e->want.interval_ms, 500);
	CHECK_INT(e->want.slab_first, 20);
	CHECK(e->want.tier);
	CHECK_U64(e->want.tier_max, GiB);
	CHECK_INT(e->want.set, APPLY_F_ALL & ~(MEMCTL_POLICY_F_CLASSES |
					       MEMCTL_POLICY_F_PRESSURE |
					       MEMCTL_POLICY_F_MODE |
					       MEMCTL_POLICY_F_MIN));

	e = &p.ctx.entries[2];
	CHECK_INT(e->line, 8);
	CHECK_STR(e->want.cgroup.path, "/build.slice/ci/x");
	CHECK(e->optional);
	CHECK_INT(e->want.pressure_us, 5000);

	e = &p.ctx.entries[3];
	CHECK_U64(e->want.high, MiB);
	CHECK_U64(e->want.target, 0);
	CHECK(!e->want.tier);
	CHECK(e->want.set & MEMCTL_POLICY_F_TIER);
	CHECK_INT(e->want.interval_ms, 2000);
out:
	parsed_free(&p);
}

/* Every bad line is reported with its number; good lines do not count. */
static const char bad_file[] =
	"/ok high 2G target 1G\n"				/* 1 */
	"/a high 2G\n"						/* 2 */
	"/b high 1G target 2G\n"				/* 3 */
	"/c high 2G target 1G classes slab,bogus\n"		/* 4 */
	"relative high 2G target 1G\n"				/* 5 */
	"id:42 high 2G target 1G\n"				/* 6 */
	"/ high 2G target 1G\n"					/* 7 */
	"/ok high 4G target 1G\n"				/* 8 */
	"/d high 2G target 1G colour blue\n"			/* 9 */
	"/e high 2G target 1G interval\n"			/* 10 */
	"/f high 2G high 3G target 1G\n"			/* 11 */
	"/g high 512K target 0\n"				/* 12 */
	"/h high 2G target 1G slab-first 101\n"			/* 13 */
	"/i high 2G target 1G pressure 1000001\n"		/* 14 */
	"/j high 2G target 1G tier maybe\n"			/* 15 */
	"/k high 2G target 1G interval 5ms\n"			/* 16 */
	"/l high 2X target 1G\n"				/* 17 */
	"/m high 2G target 1G tier-max 2P\n"			/* 18 */
	"/n high 2G target 1G optional optional\n"		/* 19 */
	"/o high 99999999999E target 1G\n"			/* 20 */
	"/p high 2G \\\n"					/* 21 */
	"   target 1G classes none\n"				/* 22 */
	"/q high 2G target 1G \\\n";				/* 23 */

TEST(apply_parse_reports_every_bad_line)
{
	static const unsigned int bad[] = {
		2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
		19, 20, 22, 23,
	};
	struct parsed p;
	char want[32];
	size_t i;

	parse_text(&p, bad_file);
	fflush(p.ctx.err);
	CHECK(p.ret >= (int)(sizeof(bad) / sizeof(bad[0])));
	CHECK_INT(p.ret, p.ctx.errors);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "\npol.conf:%u: ", bad[i]);
		unit_check(!strncmp(p.err, want + 1, strlen(want) - 1) ||
			   strstr(p.err, want) != NULL, __FILE__, __LINE__,
			   "line %u is not reported: %s", bad[i], p.err);
	}
	CHECK(!strstr(p.err, "pol.conf:1:"));
	/* each message is one line that starts FILE:LINE: */
	{
		char *s = p.err, *nl;

		for (; *s; s = nl + 1) {
			nl = strchr(s, '\n');
			if (!nl)
				break;
			unit_check(!strncmp(s, "pol.conf:", 9), __FILE__, __LINE__,
				   "not FILE:LINE: '%.*s'", (int)(nl - s), s);
		}
	}
	/* the messages say what is wrong */
	CHECK(strstr(p.err, "pol.conf:2: missing 'target SIZE'"));
	CHECK(strstr(p.err, "pol.conf:3: target must be below high"));
	CHECK(strstr(p.err, "pol.conf:8: /ok is already given on line 1"));
	CHECK(strstr(p.err, "pol.conf:9: unknown keyword 'colour'"));
	CHECK(strstr(p.err, "pol.conf:10: 'interval' needs a value"));
	CHECK(strstr(p.err, "pol.conf:11: 'high' given twice"));
	CHECK(strstr(p.err, "pol.conf:7: the root cgroup cannot have a policy"));
	CHECK(strstr(p.err, "pol.conf:6: 'id:42': cgroup ids change"));
	CHECK(strstr(p.err, "pol.conf:20: high '99999999999E' is too large"));
	/* an error on a continued line names that line */
	CHECK(strstr(p.err, "pol.conf:22: invalid classes 'none'"));
	CHECK(strstr(p.err, "pol.conf:23: '\\' continues the line, but the file ends"));
	/* only the good line is kept */
	CHECK_INT(p.ctx.nr, 1);
	parsed_free(&p);
}

/* Parse @text: what it reports must be exactly @want, @errors errors. */
static void parse_expect(struct parsed *p, const char *text, const char *want,
			 int errors)
{
	parse_text(p, text);
	fflush(p->ctx.err);
	CHECK_STR(p->err ? p->err : "", want);
	CHECK_INT(p->ret, errors);
}

/*
 * Every message in full, in order: the keyword parser is shared with
 * `memctl policy set`, and this keeps what the file check says its own.
 */
TEST(apply_parse_messages)
{
	static const char more_bad[] =
		"/r high 2G target 1G slab-first 5x pressure 5ms\n"	/* 1 */
		"/s high 2G target 1G tier-max 99999999999999999999\n"	/* 2 */
		"/t high 2G high\n"					/* 3 */
		"/u high 512K target 1G\n"				/* 4 */
		"/v high 2G target x interval 2h\n"			/* 5 */
		"/w high 2G target 1G tier-max lots colour\n"		/* 6 */
		"/x optional high 2G target 1G classes\n"		/* 7 */
		"/y high 2G target 1G tier-max 1P tier on\n";		/* 8 */
	struct parsed p;

	parse_expect(&p, bad_file,
		  "pol.conf:2: missing 'target SIZE'\n"
		  "pol.conf:3: target must be below high\n"
		  "pol.conf:4: invalid classes 'slab,bogus' (a list of slab, file, "
		  "anon, or all)\n"
		  "pol.conf:5: 'relative': a line starts with a cgroup path such as "
		  "/app.slice/web\n"
		  "pol.conf:6: 'id:42': cgroup ids change when a cgroup is created "
		  "again; name the cgroup by its path\n"
		  "pol.conf:7: the root cgroup cannot have a policy\n"
		  "pol.conf:8: /ok is already given on line 1\n"
		  "pol.conf:9: unknown keyword 'colour' (high, target, interval, "
		  "classes, slab-first, pressure, tier, tier-max, mode, min or optional)\n"
		  "pol.conf:10: 'interval' needs a value\n"
		  "pol.conf:11: 'high' given twice\n"
		  "pol.conf:12: high must be between 1M and 1P\n"
		  "pol.conf:13: slab-first '101' is out of range (0..100)\n"
		  "pol.conf:14: pressure '1000001' is out of range (0..1000000)\n"
		  "pol.conf:15: invalid tier 'maybe' (on or off)\n"
		  "pol.conf:16: interval '5ms' is below the minimum, 10ms\n"
		  "pol.conf:17: invalid high '2X' (a size such as 512M or 1.5G)\n"
		  "pol.conf:18: tier-max must be at most 1P\n"
		  "pol.conf:19: 'optional' given twice\n"
		  "pol.conf:20: high '99999999999E' is too large\n"
		  "pol.conf:22: invalid classes 'none' (a list of slab, file, anon, "
		  "or all)\n"
		  "pol.conf:23: '\\' continues the line, but the file ends\n",
		  21);
	parsed_free(&p);

	/*
	 * Every error of a line is told; a bad high is not compared with
	 * target; a missing value comes before "given twice" (policy set:
	 * the other way round).
	 */
	parse_expect(&p, more_bad,
		  "pol.conf:1: invalid slab-first '5x' (a number 0..100)\n"
		  "pol.conf:1: invalid pressure '5ms' (a number 0..1000000)\n"
		  "pol.conf:2: tier-max '99999999999999999999' is too large\n"
		  "pol.conf:3: 'high' needs a value\n"
		  "pol.conf:4: high must be between 1M and 1P\n"
		  "pol.conf:5: invalid target 'x' (a size such as 512M or 1.5G)\n"
		  "pol.conf:5: interval '2h' is above the maximum, 1h\n"
		  "pol.conf:6: invalid tier-max 'lots' (a size such as 512M or "
		  "1.5G)\n"
		  "pol.conf:6: unknown keyword 'colour' (high, target, interval, "
		  "classes, slab-first, pressure, tier, tier-max, mode, min or optional)\n"
		  "pol.conf:7: 'classes' needs a value\n", 10);
	/* tier-max 1P is the largest there is */
	CHECK_INT(p.ctx.nr, 1);
	if (p.ctx.nr == 1) {
		CHECK_STR(p.ctx.entries[0].want.cgroup.path, "/y");
		CHECK_U64(p.ctx.entries[0].want.tier_max, 1ULL << 50);
		CHECK(p.ctx.entries[0].want.tier);
	}
	parsed_free(&p);
}

TEST(apply_parse_empty_file)
{
	struct parsed p;

	parse_text(&p, "# nothing\n\n   \n");
	CHECK_INT(p.ret, 0);
	CHECK_INT(p.ctx.nr, 0);
	parsed_free(&p);
	parse_text(&p, "");
	CHECK_INT(p.ret, 0);
	parsed_free(&p);
}

/* A fake /sys/fs/cgroup: cgroups "/a".."/z" exist with id 100 + letter. */
static int fake_lookup(const char *path, uint64_t *id, void *arg)
{
	(void)arg;
	if (!strcmp(path, "/unknown"))
		return -EACCES;
	if (strlen(path) != 2)
		return -ENOENT;
	*id = 100 + (uint64_t)(path[1] - 'a');
	return 0;
}

static struct memctl_policy kpol(const char *path, uint64_t id, uint64_t high,
				 uint64_t target)
{
	struct memctl_policy p;

	memset(&p, 0, sizeof(p));
	snprintf(p.cgroup.path, sizeof(p.cgroup.path), "%s", path);
	p.cgroup.id = id;
	p.high = high;
	p.target = target;
	p.interval_ms = MEMCTL_INTERVAL_DEFAULT;
	p.classes = MEMCTL_CLASSES_DEFAULT;
	p.slab_first = MEMCTL_SLAB_FIRST_DEFAULT;
	/* as POLICY_GET answers: no tier attribute where none was said */
	p.set = APPLY_F_ALL & ~MEMCTL_POLICY_F_TIER;
	return p;
}

static const char plan_file[] =
	"/a high 2G target 1G\n"			/* unchanged */
	"/b high 2G target 1G classes all\n"		/* changed: classes */
	"/c high 2G target 1G\n"			/* created */
	"/missing optional high 2G target 1G\n"		/* skipped */
	"/e high 3G target 1G interval 1s slab-first 10\n";	/* changed: high */

TEST(apply_plan_actions)
{
	struct memctl_policy cur[4];
	struct parsed p;
	const struct apply_entry *e;

	cur[0] = kpol("/a", 100, 2 * GiB, GiB);
	cur[1] = kpol("/b", 101, 2 * GiB, GiB);
	/* found by id although the kernel spells the path differently */
	cur[2] = kpol("/renamed", 104, 2 * GiB, GiB);
	cur[3] = kpol("/x", 123, 2 * GiB, GiB);	/* not in the file */

	parse_text(&p, plan_file);
	CHECK_INT(p.ret, 0);
	CHECK_INT(apply_plan(&p.ctx, cur, 4, __MEMCTL_F_CLASS_ALL, false,
			     fake_lookup, NULL), 0);
	CHECK_INT(p.ctx.nr, 5);
	if (p.ctx.nr != 5)
		goto out;
	e = p.ctx.entries;
	CHECK_INT(e[0].action, APPLY_UNCHANGED);
	CHECK_INT(e[0].id, 100);
	CHECK_INT(e[1].action, APPLY_CHANGE);
	CHECK_INT(e[1].diff, MEMCTL_POLICY_F_CLASSES);
	CHECK(e[1].has_old && e[1].old.cgroup.id == 101);
	CHECK_INT(e[2].action, APPLY_CREATE);
	CHECK(!e[2].has_old);
	CHECK_INT(e[3].action, APPLY_SKIP);
	CHECK_INT(e[4].action, APPLY_CHANGE);
	CHECK_INT(e[4].diff, MEMCTL_POLICY_F_HIGH);
	CHECK_STR(e[4].old.cgroup.path, "/renamed");
out:
	parsed_free(&p);
}

TEST(apply_plan_prune)
{
	struct memctl_policy cur[2];
	struct parsed p;

	cur[0] = kpol("/a", 100, 2 * GiB, GiB);
	cur[1] = kpol("/old", 999, 2 * GiB, GiB);
	parse_text(&p, "/a high 2G target 1G\n");
	CHECK_INT(apply_plan(&p.ctx, cur, 2, __MEMCTL_F_CLASS_ALL, true,
			     fake_lookup, NULL), 0);
	CHECK_INT(p.ctx.nr, 2);
	if (p.ctx.nr == 2) {
		CHECK_INT(p.ctx.entries[0].action, APPLY_UNCHANGED);
		CHECK_INT(p.ctx.entries[1].action, APPLY_DELETE);
		CHECK_STR(p.ctx.entries[1].want.cgroup.path, "/old");
		CHECK_INT(p.ctx.entries[1].line, 0);
	}
	parsed_free(&p);

	/* without --prune, policies the file does not name are left alone */
	parse_text(&p, "/a high 2G target 1G\n");
	CHECK_INT(apply_plan(&p.ctx, cur, 2, __MEMCTL_F_CLASS_ALL, false,
			     fake_lookup, NULL), 0);
	CHECK_INT(p.ctx.nr, 1);
	parsed_free(&p);
}

TEST(apply_plan_errors)
{
	struct parsed p;

	parse_text(&p, "/a high 2G target 1G\n"
		       "/nothere high 2G target 1G\n"
		       "/b high 2G target 1G classes slab,anon\n"
		       "/unknown high 2G target 1G\n"
		       "/c high 2G target 1G\n");
	CHECK_INT(p.ret, 0);
	/* this kernel reclaims slab and file only; /unknown: the kernel decides */
	CHECK_INT(apply_plan(&p.ctx, NULL, 0, MEMCTL_CLASSES_DEFAULT, false,
			     fake_lookup, NULL), 2);
	fflush(p.ctx.err);
	CHECK(strstr(p.err, "pol.conf:2: cgroup /nothere does not exist"));
	CHECK(strstr(p.err, "'optional'"));
	CHECK(strstr(p.err, "pol.conf:3: classes: anon cannot be reclaimed"));
	CHECK(!strstr(p.err, "pol.conf:4:"));
	CHECK_INT(p.ctx.entries[3].action, APPLY_CREATE);
	CHECK_INT(p.ctx.entries[3].id, 0);
	parsed_free(&p);
}

static char *printed(const struct apply_ctx *ctx, bool json, bool dry_run,
		     bool quiet)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	apply_print(ctx, f, json, dry_run, quiet);
	fclose(f);
	return buf;
}

TEST(apply_print_outputs)
{
	struct memctl_policy cur[2];
	struct parsed p;
	char *out;

	cur[0] = kpol("/a", 100, 2 * GiB, GiB);
	cur[1] = kpol("/old", 999, 2 * GiB, GiB);
	parse_text(&p, "/a high 3G target 1G classes all\n"
		       "/b high 2G target 1G\n"
		       "/zz optional high 2G target 1G\n"
		       "/c high 2G target 1G\n");
	apply_plan(&p.ctx, cur, 2, __MEMCTL_F_CLASS_ALL, true, fake_lookup, NULL);
	p.ctx.entries[3].action = APPLY_UNCHANGED;	/* as if it were */

	out = printed(&p.ctx, false, false, false);
	CHECK_STR(out,
		  "ACTION     CGROUP  LINE  DETAILS\n"
		  "changed    /a         1  high 2G -> 3G, classes slab,file -> slab,file,anon\n"
		  "created    /b         2  \n"
		  "skipped    /zz        3  optional: the cgroup does not exist\n"
		  "unchanged  /c         4  \n"
		  "deleted    /old       -  not in the file (--prune)\n"
		  "1 created, 1 changed, 1 unchanged, 1 skipped, 1 deleted\n");
	free(out);

	out = printed(&p.ctx, false, true, false);
	CHECK(strstr(out, "\nchange     /a "));
	CHECK(strstr(out, "dry run, nothing changed: 1 to create, 1 to change, "
		     "1 unchanged, 1 to skip, 1 to delete\n"));
	free(out);

	out = printed(&p.ctx, true, true, false);
	CHECK_STR(out,
		  "{\"file\":\"pol.conf\",\"dry_run\":true,\"created\":1,"
		  "\"changed\":1,\"unchanged\":1,\"skipped\":1,\"deleted\":1,"
		  "\"policies\":["
		  "{\"cgroup\":\"/a\",\"id\":100,\"line\":1,\"action\":\"changed\","
		  "\"fields\":[\"high\",\"classes\"]},"
		  "{\"cgroup\":\"/b\",\"id\":101,\"line\":2,\"action\":\"created\",\"fields\":[]},"
		  "{\"cgroup\":\"/zz\",\"id\":null,\"line\":3,\"action\":\"skipped\",\"fields\":[]},"
		  "{\"cgroup\":\"/c\",\"id\":102,\"line\":4,\"action\":\"unchanged\",\"fields\":[]},"
		  "{\"cgroup\":\"/old\",\"id\":999,\"line\":null,\"action\":\"deleted\",\"fields\":[]}"
		  "]}\n");
	free(out);

	/* --quiet: the changes only */
	out = printed(&p.ctx, false, false, true);
	CHECK_STR(out,
		  "ACTION   CGROUP  LINE  DETAILS\n"
		  "changed  /a         1  high 2G -> 3G, classes slab,file -> slab,file,anon\n"
		  "created  /b         2  \n"
		  "deleted  /old       -  not in the file (--prune)\n");
	free(out);

	parsed_free(&p);
	parse_text(&p, "");
	out = printed(&p.ctx, false, false, false);
	CHECK_STR(out, "0 created, 0 changed, 0 unchanged, 0 skipped, 0 deleted\n");
	free(out);
	out = printed(&p.ctx, false, false, true);
	CHECK_STR(out, "");
	free(out);
	parsed_free(&p);
}

/* The command line: run BIN apply ARGS with @input on stdin. */
static int run_apply(const char *bin, const char *input, char *err, size_t len,
		     const char *a1, const char *a2, const char *a3)
{
	char in_path[] = "/tmp/memctl-apply-in-XXXXXX";
	char err_path[] = "/tmp/memctl-apply-err-XXXXXX";
	int in = mkstemp(in_path), efd = mkstemp(err_path), st;
	ssize_t n;
	pid_t pid;

	if (in < 0 || efd < 0)
		return -1;
	unlink(in_path);
	unlink(err_path);
	if (write(in, input, strlen(input)) < 0)
		return -1;
	lseek(in, 0, SEEK_SET);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(in, 0);
		dup2(null, 1);
		dup2(efd, 2);
		setenv("LC_ALL", "C", 1);
		execl(bin, bin, "apply", a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	lseek(efd, 0, SEEK_SET);
	n = read(efd, err, len - 1);
	err[n > 0 ? n : 0] = '\0';
	close(in);
	close(efd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

TEST(apply_cli_statuses)
{
	char err[4096];
	int b, rc;

	for (b = 0; b < unit_argc; b++) {
		const char *bin = unit_argv[b];

		rc = run_apply(bin, "", err, sizeof(err), NULL, NULL, NULL);
		CHECK_INT(rc, 64);
		CHECK(strstr(err, "missing FILE"));
		rc = run_apply(bin, "", err, sizeof(err), "--bogus", "-", NULL);
		CHECK_INT(rc, 64);
		rc = run_apply(bin, "", err, sizeof(err), "a", "b", NULL);
		CHECK_INT(rc, 64);
		rc = run_apply(bin, "", err, sizeof(err), "/nonexistent/x.conf",
			       NULL, NULL);
		CHECK_INT(rc, 66);
		CHECK(strstr(err, "cannot open /nonexistent/x.conf"));

		/* file errors come before the kernel: 65 with or without it */
		rc = run_apply(bin, "/a high 2G\n# ok\n/b high 1G target 2G\n",
			       err, sizeof(err), "--dry-run", "-", NULL);
		CHECK_INT(rc, 65);
		CHECK(strstr(err, "<stdin>:1: missing 'target SIZE'\n"));
		CHECK(strstr(err, "<stdin>:3: target must be below high\n"));
		CHECK(strstr(err, "memctl: apply: 2 errors in <stdin>; nothing "
			     "was changed\n"));

		rc = run_apply(bin, "", err, sizeof(err), "--help", NULL, NULL);
		CHECK_INT(rc, 0);
	}
	CHECK(unit_argc > 0);
}

/*
 * A FILE that cannot be read says why in one line, exit 66: a directory
 * (an easy slip for /etc/memctl) is named as such, not "Input/output
 * error"; a read error keeps its errno.
 */
TEST(apply_cli_not_a_file)
{
	char dir[] = "/tmp/memctl-apply-dir.XXXXXX", err[4096], want[256];
	struct apply_ctx ctx;
	FILE *f;
	int b, rc;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	snprintf(want, sizeof(want), "memctl: apply: %s is a directory, not a "
		 "policy file\n", dir);
	for (b = 0; b < unit_argc; b++) {
		rc = run_apply(unit_argv[b], "", err, sizeof(err), dir, NULL,
			       NULL);
		CHECK_INT(rc, 66);
		CHECK_STR(err, want);
		rc = run_apply(unit_argv[b], "", err, sizeof(err), "-n", dir,
			       NULL);
		CHECK_INT(rc, 66);
		CHECK_STR(err, want);
	}
	CHECK(unit_argc > 0);

	f = fopen(dir, "r");
	CHECK(f != NULL);
	if (f) {
		apply_init(&ctx, dir, stderr);
		CHECK_INT(apply_parse(&ctx, f), -EISDIR);
		apply_free(&ctx);
		fclose(f);
	}
	rmdir(dir);
}

/*
 * Sizes as util-linux reads them, on the command line and in the file
 * alike: G and GiB are 2^30, GB is 10^9.
 */
TEST(apply_parse_size_units)
{
	struct parsed p;

	parse_text(&p, "/a high 2GB target 1GiB tier-max 500MB\n"
		       "/b high 2G target 1.5GB\n");
	CHECK_INT(p.ret, 0);
	CHECK_INT(p.ctx.nr, 2);
	if (p.ctx.nr == 2) {
		CHECK_U64(p.ctx.entries[0].want.high, 2000000000ULL);
		CHECK_U64(p.ctx.entries[0].want.target, GiB);
		CHECK_U64(p.ctx.entries[0].want.tier_max, 500000000ULL);
		CHECK_U64(p.ctx.entries[1].want.high, 2 * GiB);
		CHECK_U64(p.ctx.entries[1].want.target, 1500000000ULL);
	}
	parsed_free(&p);
	/* 2GB is below 2GiB: a target of 2GiB is not below a high of 2GB */
	parse_text(&p, "/a high 2GB target 2GiB\n");
	CHECK_INT(p.ret, 1);
	CHECK_STR(p.err, "pol.conf:1: target must be below high\n");
	parsed_free(&p);
}

/*
 * A bare number is seconds, in the file as on the command line and in
 * --watch (as systemd reads time spans): "interval 30" is 30 s, not the
 * 30 ms it was.  The messages say so where it matters.
 */
TEST(apply_parse_interval_seconds)
{
	struct parsed p;

	parse_text(&p, "/a high 2G target 1G interval 30\n"
		       "/b high 2G target 1G interval 0.5\n"
		       "/c high 2G target 1G interval 1.5m\n"
		       "/d high 2G target 1G interval 250ms\n");
	CHECK_INT(p.ret, 0);
	CHECK_INT(p.ctx.nr, 4);
	if (p.ctx.nr == 4) {
		CHECK_INT(p.ctx.entries[0].want.interval_ms, 30000);
		CHECK_INT(p.ctx.entries[1].want.interval_ms, 500);
		CHECK_INT(p.ctx.entries[2].want.interval_ms, 90000);
		CHECK_INT(p.ctx.entries[3].want.interval_ms, 250);
	}
	parsed_free(&p);
	parse_expect(&p, "/a high 2G target 1G interval 5000\n"
		     "/b high 2G target 1G interval 0.001\n"
		     "/c high 2G target 1G interval 30sec\n"
		     "/d high 2G target 1G interval 30 seconds\n",
		     "pol.conf:1: interval '5000' is above the maximum, 1h (a "
		     "bare number is seconds)\n"
		     "pol.conf:2: interval '0.001' is below the minimum, 10ms (a "
		     "bare number is seconds)\n"
		     "pol.conf:4: unknown keyword 'seconds' (high, target, "
		     "interval, classes, slab-first, pressure, tier, tier-max, "
		     "mode, min or optional)\n", 3);
	parsed_free(&p);
}

/*
 * Mode auto in the file: the rules of `memctl policy set`, each error with
 * its line; a good line keeps mode and min and needs no marks.
 */
TEST(apply_parse_mode_auto)
{
	struct parsed p;
	const struct apply_entry *e;

	parse_text(&p, "/a mode auto min 1G tier on\n"
		       "/b mode auto high 4G target 3G min 2G pressure 500\n"
		       "/c mode threshold high 2G target 1G\n");
	CHECK_INT(p.ret, 0);
	CHECK_INT(p.ctx.nr, 3);
	if (p.ctx.nr == 3) {
		e = &p.ctx.entries[0];
		CHECK_INT(e->want.set, MEMCTL_POLICY_F_MODE | MEMCTL_POLICY_F_MIN |
			  MEMCTL_POLICY_F_TIER);
		CHECK_INT(e->want.mode, MEMCTL_MODE_AUTO);
		CHECK_U64(e->want.min, GiB);
		e = &p.ctx.entries[1];
		CHECK_U64(e->want.high, 4 * GiB);
		CHECK_U64(e->want.min, 2 * GiB);
		CHECK_INT(p.ctx.entries[2].want.mode, MEMCTL_MODE_THRESHOLD);
	}
	parsed_free(&p);

	parse_expect(&p, "/a mode auto high 2G\n"
		     "/b high 2G target 1G min 512M\n"
		     "/c mode auto high 2G target 1G min 1536M\n"
		     "/d mode auto pressure 0\n"
		     "/e mode fast\n"
		     "/f mode auto min 2P\n"
		     "/g mode threshold\n",
		     "pol.conf:1: mode auto takes high and target together or "
		     "neither\n"
		     "pol.conf:2: min is for mode auto only\n"
		     "pol.conf:3: min must not be above target\n"
		     "pol.conf:4: mode auto needs a pressure limit above 0\n"
		     "pol.conf:5: invalid mode 'fast' (threshold or auto)\n"
		     "pol.conf:6: min must be at most 1P\n"
		     "pol.conf:7: missing 'high SIZE'\n"
		     "pol.conf:7: missing 'target SIZE'\n", 8);
	parsed_free(&p);
}

/*
 * The plan compares with mode auto's own defaults (pressure 1000; with
 * tier on and no classes, anon too), as the kernel fills them in, so that
 * applying the same file twice changes nothing; a change of mode or min
 * is shown with its old and new value.
 */
TEST(apply_plan_mode_auto)
{
	struct memctl_policy cur[3], full;
	struct parsed p;
	char *out;

	cur[0] = kpol("/a", 100, 0, 0);
	cur[0].mode = MEMCTL_MODE_AUTO;
	cur[0].min = GiB;
	cur[0].pressure_us = MEMCTL_AUTO_PRESSURE_DEFAULT;
	cur[0].tier = true;
	cur[0].set |= MEMCTL_POLICY_F_TIER;
	cur[0].classes = __MEMCTL_F_CLASS_ALL;
	cur[1] = cur[0];
	strcpy(cur[1].cgroup.path, "/b");
	cur[1].cgroup.id = 101;
	cur[2] = kpol("/c", 102, 2 * GiB, GiB);
	parse_text(&p, "/a mode auto min 1G tier on\n"
		       "/b mode auto min 2G tier on\n"
		       "/c mode auto\n");
	CHECK_INT(p.ret, 0);
	CHECK_INT(apply_plan(&p.ctx, cur, 3, __MEMCTL_F_CLASS_ALL, false,
			     fake_lookup, NULL), 0);
	CHECK_INT(p.ctx.nr, 3);
	if (p.ctx.nr != 3)
		goto out;
	CHECK_INT(p.ctx.entries[0].action, APPLY_UNCHANGED);
	CHECK_INT(p.ctx.entries[1].action, APPLY_CHANGE);
	CHECK_INT(p.ctx.entries[1].diff, MEMCTL_POLICY_F_MIN);
	CHECK_INT(p.ctx.entries[2].action, APPLY_CHANGE);
	CHECK_INT(p.ctx.entries[2].diff, MEMCTL_POLICY_F_HIGH |
		  MEMCTL_POLICY_F_TARGET | MEMCTL_POLICY_F_PRESSURE |
		  MEMCTL_POLICY_F_MODE);
	out = printed(&p.ctx, false, true, false);
	CHECK(strstr(out, "change     /b         2  min 1G -> 2G\n") != NULL);
	CHECK(strstr(out, "change     /c         3  high 2G -> 0, target 1G -> 0, "
		     "pressure 0us -> 1000us, mode threshold -> auto\n") != NULL);
	free(out);

	/* without tier on, mode auto's classes are the usual default */
	memset(&full, 0, sizeof(full));
	full.set = MEMCTL_POLICY_F_MODE;
	full.mode = MEMCTL_MODE_AUTO;
	apply_fill_defaults(&full, &full);
	CHECK_INT(full.classes, MEMCTL_CLASSES_DEFAULT);
	CHECK_INT(full.pressure_us, MEMCTL_AUTO_PRESSURE_DEFAULT);
out:
	parsed_free(&p);
}

/* tier off binds only when said: a said off and an unsaid tier differ. */
TEST(apply_plan_tier_said)
{
	struct memctl_policy cur[2];
	struct parsed p;

	cur[0] = kpol("/a", 100, 2 * GiB, GiB);		/* no tier said */
	cur[1] = kpol("/b", 101, 2 * GiB, GiB);
	cur[1].set |= MEMCTL_POLICY_F_TIER;		/* tier off said */
	parse_text(&p, "/a high 2G target 1G tier off\n"
		       "/b high 2G target 1G\n");
	CHECK_INT(p.ret, 0);
	CHECK_INT(apply_plan(&p.ctx, cur, 2, __MEMCTL_F_CLASS_ALL, false,
			     fake_lookup, NULL), 0);
	CHECK_INT(p.ctx.nr, 2);
	if (p.ctx.nr == 2) {
		CHECK_INT(p.ctx.entries[0].action, APPLY_CHANGE);
		CHECK_INT(p.ctx.entries[0].diff, MEMCTL_POLICY_F_TIER);
		CHECK_INT(p.ctx.entries[1].action, APPLY_CHANGE);
		CHECK_INT(p.ctx.entries[1].diff, MEMCTL_POLICY_F_TIER);
	}
	parsed_free(&p);
}
