// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line as scripts see it: exit statuses, one-line errors, help
 * everywhere.  Runs each memctl binary named on the test command line.
 *
 * Bad input must exit 64 with one line on stderr before anything reaches
 * the kernel: on a host without the module a valid command exits 2, so a 64
 * proves the check came first.  Where the module is loaded, the "not loaded"
 * tests are skipped (and say so).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memctl.h"
#include "unit.h"

struct result {
	int status;		/* exit status, or 128 + signal */
	char out[16384];
	char err[4096];
};

static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

static int tmpfile_fd(void)
{
	char path[] = "/tmp/memctl-cli-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Run BIN with the NULL-terminated arguments; C locale for strerror. */
static void run(struct result *r, const char *bin, const char *const *args)
{
	const char *argv[32];
	int out = tmpfile_fd(), err = tmpfile_fd(), i, st;
	pid_t pid;

	argv[0] = bin;
	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(out, 1);
		dup2(err, 2);
		setenv("LC_ALL", "C", 1);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void describe(char *buf, size_t len, const char *const *args)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; args[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "", args[i]);
}

/*
 * Exit @status with exactly one line on stderr that starts "memctl: " and
 * nothing on stdout.
 */
static void expect_one_line(const char *bin, int status, const char *const *args,
			    int line)
{
	struct result *r = malloc(sizeof(*r));
	char what[256];

	describe(what, sizeof(what), args);
	run(r, bin, args);
	unit_check(r->status == status, __FILE__, line,
		   "'memctl %s': exit %d, want %d (stderr: %s)", what, r->status,
		   status, r->err);
	unit_check(count_lines(r->err) == 1 && !strncmp(r->err, "memctl: ", 8) &&
		   r->err[strlen(r->err) - 1] == '\n', __FILE__, line,
		   "'memctl %s': want one 'memctl: ' line on stderr, got \"%s\"",
		   what, r->err);
	unit_check(r->out[0] == '\0', __FILE__, line,
		   "'memctl %s': want nothing on stdout, got \"%s\"", what, r->out);
	if (status == 64)
		unit_check(strstr(r->err, "--help')") != NULL, __FILE__, line,
			   "'memctl %s': the usage error should point to --help: %s",
			   what, r->err);
	free(r);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char *const *const usage_errors[] = {
	ARGS("--bogus"),
	ARGS("-x"),
	ARGS("-j"),
	ARGS("frobnicate"),
	ARGS("-j", "frobnicate"),
	ARGS("help", "frobnicate"),
	ARGS("help", "policy", "frob"),
	ARGS("help", "policy", "set", "extra"),
	ARGS("version", "extra"),
	ARGS("info", "extra"),
	/* policy */
	ARGS("policy", "frob"),
	ARGS("policy", "set"),
	ARGS("policy", "set", "/a"),
	ARGS("policy", "set", "/a", "high", "2G"),
	ARGS("policy", "set", "/a", "target", "1G"),
	ARGS("policy", "set", "/a", "high", "2G", "target"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "3G"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "2G"),
	ARGS("policy", "set", "/a", "high", "abc", "target", "1G"),
	ARGS("policy", "set", "/a", "high", "-2G", "target", "1G"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "high", "3G"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "bogus", "1"),
	ARGS("policy", "set", "/a", "high", "512K", "target", "1K"),
	ARGS("policy", "set", "/a", "high", "2P", "target", "1G"),
	ARGS("policy", "set", "/a", "high", "99999999999999999999", "target", "1G"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "interval", "5ms"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "interval", "2h"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "interval", "5000"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "interval", "0.001"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "interval", "1w"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "classes", "foo"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "classes", ""),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "slab-first", "101"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "slab-first", "x"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "pressure", "1000001"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "pressure", "-1"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "tier", "maybe"),
	ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "tier-max", "lots"),
	ARGS("policy", "set", "a/b", "high", "2G", "target", "1G"),
	ARGS("policy", "set", "/a/../..", "high", "2G", "target", "1G"),
	ARGS("policy", "set", "id:0", "high", "2G", "target", "1G"),
	ARGS("policy", "set", "id:abc", "high", "2G", "target", "1G"),
	ARGS("policy", "set", "id:-1", "high", "2G", "target", "1G"),
	ARGS("policy", "set", "id:99999999999999999999999", "high", "2G", "target", "1G"),
	ARGS("policy", "show", "/a", "extra"),
	ARGS("policy", "show", "relative"),
	ARGS("policy", "del"),
	ARGS("policy", "del", "/a", "extra"),
	/* stats, reclaim */
	ARGS("stats", "/a", "/b"),
	ARGS("stats", "nope"),
	ARGS("stats", "--watch"),
	ARGS("stats", "--watch", "0"),
	ARGS("stats", "--watch", "0.05"),
	ARGS("stats", "--watch", "86401"),
	ARGS("stats", "--watch", "abc"),
	ARGS("stats", "--watch", "-1"),
	ARGS("stats", "--watch=", "/a"),
	ARGS("stats", "-w", "1", "-w", "2"),
	ARGS("stats", "--prometheus", "--totals"),
	ARGS("-j", "stats", "--prometheus"),
	ARGS("stats", "--prometheus", "-j"),
	ARGS("stats", "--json", "--prometheus"),
	ARGS("policy", "show", "-x"),
	ARGS("policy", "set", "/a", "-j", "high", "2G"),
	ARGS("info", "-j", "extra"),
	ARGS("stats", "--totals", "/a"),
	ARGS("stats", "--prometheus=yes"),
	ARGS("stats", "--bogus"),
	ARGS("stats", "-o"),
	ARGS("stats", "-o", ""),
	ARGS("stats", "-o", "/tmp/a", "--output", "/tmp/b"),
	ARGS("reclaim"),
	ARGS("reclaim", "/a"),
	ARGS("reclaim", "/a", "0"),
	ARGS("reclaim", "/a", "-1"),
	ARGS("reclaim", "/a", "2E"),
	ARGS("reclaim", "/a", "1G", "classes"),
	ARGS("reclaim", "/a", "1G", "classes", "nope"),
	ARGS("reclaim", "/a", "1G", "classes", "slab", "classes", "file"),
	ARGS("reclaim", "/a", "1G", "extra", "x"),
	/* tier */
	ARGS("tier", "frob"),
	ARGS("tier", "set"),
	ARGS("tier", "set", "size"),
	ARGS("tier", "set", "size", "512K"),
	ARGS("tier", "set", "size", "5T"),
	ARGS("tier", "set", "size", "4.5TiB"),	/* above 4T = 4TiB */
	ARGS("policy", "set", "/a", "high", "2GB", "target", "2G"),
	ARGS("tier", "set", "size", "1G", "algo", "deflate"),
	ARGS("tier", "set", "size", "1G", "algo"),
	ARGS("tier", "set", "size", "1G", "size", "2G"),
	ARGS("tier", "set", "size", "1G", "backing"),
	ARGS("tier", "set", "size", "1G", "backing", "rel/path.img"),
	ARGS("tier", "set", "size", "1G", "backing", "/a", "backing", "/b"),
	ARGS("tier", "set", "size", "1G", "backing-age", "1m"),
	ARGS("tier", "set", "size", "1G", "backing-limit", "1G"),
	ARGS("tier", "set", "size", "1G", "backing", "/a", "backing-age", "0"),
	ARGS("tier", "set", "size", "1G", "backing", "/a", "backing-age", "8d"),
	ARGS("tier", "set", "size", "1G", "backing", "/a", "backing-age", "x"),
	ARGS("tier", "set", "size", "1G", "backing", "/a", "backing-limit", "0"),
	ARGS("tier", "set", "size", "1G", "backing", "/a", "backing-limit", "x"),
	ARGS("tier", "writeback"),
	ARGS("tier", "writeback", "some"),
	ARGS("tier", "writeback", "all", "extra"),
	ARGS("tier", "set", "algo", "lz4"),
	ARGS("tier", "set", "bogus", "1"),
	ARGS("tier", "show", "extra"),
	ARGS("tier", "del", "extra"),
	ARGS("monitor", "extra"),
};

TEST(cli_usage_errors_exit_64)
{
	int b;
	size_t i;

	for (b = 0; b < unit_argc; b++)
		for (i = 0; i < sizeof(usage_errors) / sizeof(usage_errors[0]); i++)
			expect_one_line(unit_argv[b], 64, usage_errors[i], __LINE__);
	CHECK(unit_argc > 0);
}

TEST(cli_no_command)
{
	int b;

	for (b = 0; b < unit_argc; b++) {
		struct result *r = malloc(sizeof(*r));
		const char *const none[] = { NULL };

		run(r, unit_argv[b], none);
		CHECK_INT(r->status, 64);
		CHECK_INT(count_lines(r->err), 1);
		CHECK_STR(r->out, "");
		free(r);
	}
}

/*
 * The exact words of `memctl policy set`'s refusals, one per keyword rule:
 * the keyword parser is shared with `memctl apply`, and this keeps what the
 * command line says its own.
 */
#define SET(...)	ARGS("policy", "set", "/a", __VA_ARGS__)
#define SET_2G_1G(...)	SET("high", "2G", "target", "1G", __VA_ARGS__)
#define SET_ERR(msg)	"memctl: policy set: " msg \
			" (see 'memctl policy set --help')\n"
static const struct {
	const char *const *args;
	const char *err;
} policy_set_messages[] = {
	{ SET_2G_1G("high", "3G"), SET_ERR("'high' given twice") },
	/* twice comes before a missing value here (apply: the other way) */
	{ SET("high", "2G", "high"), SET_ERR("'high' given twice") },
	{ SET_2G_1G("bogus", "1"), SET_ERR("unknown keyword 'bogus'") },
	{ SET("high", "2G", "bogus"), SET_ERR("unknown keyword 'bogus'") },
	{ SET("high", "2G", "target"), SET_ERR("'target' needs a value") },
	{ SET("high", "abc", "target", "1G"),
	  SET_ERR("invalid high 'abc' (a size such as 512M or 1.5G)") },
	{ SET("high", "99999999999999999999", "target", "1G"),
	  SET_ERR("high '99999999999999999999' is too large") },
	{ SET("high", "512K", "target", "1K"),
	  SET_ERR("high must be between 1M and 1P") },
	{ SET("high", "2G", "target", "x"),
	  SET_ERR("invalid target 'x' (a size such as 512M or 1.5G)") },
	{ SET_2G_1G("tier-max", "lots"),
	  SET_ERR("invalid tier-max 'lots' (a size such as 512M or 1.5G)") },
	{ SET_2G_1G("tier-max", "99999999999999999999"),
	  SET_ERR("tier-max '99999999999999999999' is too large") },
	{ SET_2G_1G("interval", "5ms"),
	  SET_ERR("interval '5ms' is below the minimum, 10ms") },
	{ SET_2G_1G("interval", "2h"),
	  SET_ERR("interval '2h' is above the maximum, 1h") },
	{ SET_2G_1G("interval", "5000"),
	  SET_ERR("interval '5000' is above the maximum, 1h (a bare number is "
		  "seconds)") },
	{ SET_2G_1G("interval", "0.005"),
	  SET_ERR("interval '0.005' is below the minimum, 10ms (a bare number is "
		  "seconds)") },
	{ SET_2G_1G("interval", "x"),
	  SET_ERR("invalid interval 'x' (a duration such as 500ms, 2s or 1m; a "
		  "bare number is seconds)") },
	{ SET_2G_1G("classes", "foo"),
	  SET_ERR("invalid classes 'foo' (a list of slab, file, anon, or all)") },
	{ SET_2G_1G("slab-first", "101"),
	  SET_ERR("slab-first '101' is out of range (0..100)") },
	{ SET_2G_1G("slab-first", "5x"),
	  SET_ERR("invalid slab-first '5x' (a number 0..100)") },
	{ SET_2G_1G("pressure", "1000001"),
	  SET_ERR("pressure '1000001' is out of range (0..1000000)") },
	{ SET_2G_1G("pressure", "5ms"),
	  SET_ERR("invalid pressure '5ms' (a number 0..1000000)") },
	{ SET_2G_1G("tier", "maybe"), SET_ERR("invalid tier 'maybe' (on or off)") },
	{ SET("target", "1G"), SET_ERR("missing 'high SIZE'") },
	{ SET("high", "2G"), SET_ERR("missing 'target SIZE'") },
	{ SET("target", "3G", "high", "2G"),
	  SET_ERR("target must be below high") },
	/* mode auto: the kernel's rules, checked before it is asked */
	{ SET("mode", "fast"), SET_ERR("invalid mode 'fast' (threshold or auto)") },
	{ SET("mode", "threshold", "target", "1G"),
	  SET_ERR("missing 'high SIZE'") },
	{ SET("mode", "auto", "min", "x"),
	  SET_ERR("invalid min 'x' (a size such as 512M or 1.5G)") },
	{ SET("mode", "auto", "high", "2G"),
	  SET_ERR("mode auto takes high and target together or neither") },
	{ SET("mode", "auto", "target", "1G"),
	  SET_ERR("mode auto takes high and target together or neither") },
	{ SET("mode", "auto", "target", "3G", "high", "2G"),
	  SET_ERR("target must be below high") },
	{ SET_2G_1G("min", "1G"), SET_ERR("min is for mode auto only") },
	{ SET_2G_1G("mode", "auto", "min", "1536M"),
	  SET_ERR("min must not be above target") },
	{ SET("mode", "auto", "pressure", "0"),
	  SET_ERR("mode auto needs a pressure limit above 0") },
	{ SET("mode", "auto", "mode", "auto"), SET_ERR("'mode' given twice") },
};

TEST(cli_policy_set_messages)
{
	struct result *r = malloc(sizeof(*r));
	char what[256];
	size_t i;
	int b;

	for (b = 0; b < unit_argc; b++)
		for (i = 0; i < sizeof(policy_set_messages) /
				sizeof(policy_set_messages[0]); i++) {
			describe(what, sizeof(what), policy_set_messages[i].args);
			run(r, unit_argv[b], policy_set_messages[i].args);
			unit_check(r->status == 64 && !r->out[0] &&
				   !strcmp(r->err, policy_set_messages[i].err),
				   __FILE__, __LINE__,
				   "'memctl %s': exit %d, stderr \"%s\", want 64, "
				   "\"%s\"", what, r->status, r->err,
				   policy_set_messages[i].err);
		}
	CHECK(unit_argc > 0);
	free(r);
}

static const char *const *const helps[] = {
	ARGS("--help"),
	ARGS("-h"),
	ARGS("-j", "--help"),
	ARGS("help"),
	ARGS("help", "policy"),
	ARGS("help", "policy", "set"),
	ARGS("help", "tier", "show"),
	ARGS("help", "stats"),
	ARGS("policy", "--help"),
	ARGS("policy", "-h"),
	ARGS("policy", "set", "--help"),
	ARGS("policy", "set", "/a", "--help"),
	ARGS("policy", "show", "--help"),
	ARGS("policy", "del", "-h"),
	ARGS("stats", "--help"),
	ARGS("reclaim", "--help"),
	ARGS("tier", "--help"),
	ARGS("tier", "set", "--help"),
	ARGS("tier", "show", "--help"),
	ARGS("tier", "del", "--help"),
	ARGS("monitor", "--help"),
	ARGS("version", "--help"),
	ARGS("info", "--help"),
	ARGS("help", "--help"),
};

TEST(cli_help_everywhere)
{
	struct result *r = malloc(sizeof(*r));
	char what[256];
	size_t i;
	int b;

	for (b = 0; b < unit_argc; b++) {
		for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
			describe(what, sizeof(what), helps[i]);
			run(r, unit_argv[b], helps[i]);
			unit_check(r->status == 0 && !strncmp(r->out, "Usage", 5) &&
				   r->err[0] == '\0', __FILE__, __LINE__,
				   "'memctl %s': exit %d, stdout \"%.40s\", stderr \"%s\"",
				   what, r->status, r->out, r->err);
		}
		/* the contract is in the main help */
		run(r, unit_argv[b], ARGS("--help"));
		CHECK(strstr(r->out, "Exit status") && strstr(r->out, "  64  "));
		CHECK(strstr(r->out, "policy") && strstr(r->out, "monitor"));
		run(r, unit_argv[b], ARGS("policy", "set", "--help"));
		CHECK(strstr(r->out, "slab-first PERCENT") &&
		      strstr(r->out, "tier-max SIZE"));
		run(r, unit_argv[b], ARGS("help", "policy", "set"));
		CHECK(strstr(r->out, "memctl policy set CGROUP high SIZE target SIZE"));
	}
	free(r);
}

TEST(cli_version_option)
{
	struct result *r = malloc(sizeof(*r));
	char want[128];
	int b;

	snprintf(want, sizeof(want), "memctl %s (libmemctl %s)\n",
		 memctl_version(), memctl_version());
	for (b = 0; b < unit_argc; b++) {
		run(r, unit_argv[b], ARGS("-V"));
		CHECK_INT(r->status, 0);
		CHECK_STR(r->out, want);
		run(r, unit_argv[b], ARGS("--version"));
		CHECK_STR(r->out, want);
	}
	free(r);
}

static bool module_missing(void)
{
	struct memctl *mc;
	int err = memctl_open(&mc);

	if (!err) {
		memctl_close(mc);
		printf("# the memctl module is loaded: 'not loaded' tests skipped\n");
		return false;
	}
	return err == -ENOENT;
}

static const char not_loaded[] =
	"memctl: the memctl kernel module is not loaded (modprobe memctl)\n";

TEST(cli_module_not_loaded_exit_2)
{
	const char *const *const valid[] = {
		ARGS("info"),
		ARGS("policy"),
		ARGS("policy", "show"),
		ARGS("-j", "policy", "show"),
		ARGS("policy", "show", "/sys/fs/cgroup/app.slice"),
		ARGS("policy", "set", "/a", "high", "2G", "target", "1.5G"),
		ARGS("policy", "set", "id:42", "target", "1G", "high", "2G",
		     "interval", "500ms", "classes", "slab,file,anon",
		     "slab-first", "20%", "pressure", "10000", "tier", "on",
		     "tier-max", "256M"),
		ARGS("policy", "del", "id:42"),
		/* a bare number is seconds: 30 s, 0.5 s, 3600 s */
		ARGS("policy", "set", "/a", "high", "2G", "target", "1G",
		     "interval", "30"),
		ARGS("policy", "set", "/a", "high", "2G", "target", "1G",
		     "interval", "0.5"),
		ARGS("policy", "set", "/a", "high", "2G", "target", "1G",
		     "interval", "3600"),
		ARGS("policy", "set", "/a", "high", "2G", "target", "1G",
		     "interval", "1.5s"),
		ARGS("stats", "--watch", "1.5s"),
		ARGS("stats", "--watch", "1d"),
		ARGS("stats"),
		ARGS("--json", "stats", "/a"),
		ARGS("stats", "--watch", "1"),
		ARGS("stats", "-w", "0.5", "--prometheus", "-o", "/tmp/m.prom"),
		ARGS("stats", "--watch=500ms", "--output=/tmp/m.json", "/a"),
		ARGS("stats", "--prometheus", "id:7"),
		ARGS("-j", "stats", "--totals"),
		ARGS("stats", "--totals"),
		ARGS("reclaim", "/a", "64M"),
		ARGS("reclaim", "/a", "64M", "classes", "all"),
		ARGS("tier"),
		ARGS("tier", "show"),
		ARGS("tier", "set", "size", "1G", "algo", "zstd"),
		ARGS("tier", "set", "size", "4.3TB"),	/* below 4T = 4TiB */
		ARGS("policy", "set", "/a", "high", "2GiB", "target", "2GB"),
		ARGS("tier", "del"),
		ARGS("monitor"),
		ARGS("-j", "monitor"),
	};
	struct result *r = malloc(sizeof(*r));
	char want[128];
	size_t i;
	int b;

	if (!module_missing()) {
		free(r);
		return;
	}
	snprintf(want, sizeof(want), "libmemctl %s\n", memctl_version());
	for (b = 0; b < unit_argc; b++) {
		for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
			expect_one_line(unit_argv[b], 2, valid[i], __LINE__);
			run(r, unit_argv[b], valid[i]);
			CHECK_STR(r->err, not_loaded);
		}

		/* version: the library line, then the error */
		run(r, unit_argv[b], ARGS("version"));
		CHECK_INT(r->status, 2);
		CHECK_STR(r->out, want);
		CHECK_STR(r->err, not_loaded);

		run(r, unit_argv[b], ARGS("-j", "version"));
		CHECK_INT(r->status, 2);
		snprintf(want, sizeof(want), "{\"library\":\"%s\",\"module\":null,"
			 "\"kernel\":null,\"features\":[]}\n", memctl_version());
		CHECK_STR(r->out, want);
		CHECK_STR(r->err, not_loaded);
		snprintf(want, sizeof(want), "libmemctl %s\n", memctl_version());
	}
	free(r);
}

/* run() with standard output on /dev/full: every write fails, ENOSPC. */
static int run_to_full(struct result *r, const char *bin,
		       const char *const *args)
{
	const char *argv[32];
	int full = open("/dev/full", O_WRONLY), err = tmpfile_fd(), i, st;
	pid_t pid;

	if (full < 0)
		return -1;
	argv[0] = bin;
	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(full, 1);
		dup2(err, 2);
		setenv("LC_ALL", "C", 1);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(full);
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out[0] = '\0';
	slurp(err, r->err, sizeof(r->err));
	return 0;
}

/*
 * Output that cannot be written is a failure: exit 1 and one line on
 * stderr, never a silent 0 (a script would take a lost answer for an
 * empty one).  Without the module, the outputs reachable are the helps
 * and the version; the tables and JSON replies share main()'s check.
 */
TEST(cli_write_error_exit_1)
{
	const char *const *const outputs[] = {
		ARGS("--help"),
		ARGS("-h"),
		ARGS("-j", "--help"),
		ARGS("-V"),
		ARGS("--version"),
		ARGS("help"),
		ARGS("help", "policy", "set"),
		ARGS("policy", "--help"),
		ARGS("policy", "set", "--help"),
		ARGS("tier", "show", "--help"),
		ARGS("stats", "--help"),
		ARGS("apply", "--help"),
		ARGS("monitor", "--help"),
	};
	static const char want[] =
		"memctl: cannot write the output: No space left on device\n";
	struct result *r = malloc(sizeof(*r));
	char what[256];
	size_t i;
	int b;

	for (b = 0; b < unit_argc; b++) {
		for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
			describe(what, sizeof(what), outputs[i]);
			if (run_to_full(r, unit_argv[b], outputs[i])) {
				printf("# no /dev/full: write errors not tested\n");
				free(r);
				return;
			}
			unit_check(r->status == 1 && !strcmp(r->err, want),
				   __FILE__, __LINE__, "'memctl %s >/dev/full': "
				   "exit %d, stderr \"%s\"; want 1, \"%s\"", what,
				   r->status, r->err, want);
		}
		/*
		 * A command that failed has said why: the lost output adds no
		 * second line, and its status stays.
		 */
		if (module_missing()) {
			run_to_full(r, unit_argv[b], ARGS("-j", "version"));
			CHECK_INT(r->status, 2);
			CHECK_STR(r->err, not_loaded);
		}
	}
	CHECK(unit_argc > 0);
	free(r);
}

/*
 * -j, --json anywhere on the command line, as 'memctl stats -j' (the
 * likeliest slip) is meant: the same as before the command, for every
 * command; after "--" it is an argument like any other.
 */
TEST(cli_json_anywhere)
{
	const char *const *const valid[] = {
		ARGS("stats", "-j"),
		ARGS("stats", "/a", "--json"),
		ARGS("stats", "-j", "--totals"),
		ARGS("policy", "-j"),
		ARGS("policy", "show", "-j"),
		ARGS("policy", "show", "/a", "--json"),
		ARGS("policy", "set", "/a", "-j", "high", "2G", "target", "1G"),
		ARGS("policy", "set", "/a", "high", "2G", "target", "1G", "-j"),
		ARGS("policy", "del", "/a", "-j"),
		ARGS("info", "-j"),
		ARGS("tier", "-j"),
		ARGS("tier", "show", "--json"),
		ARGS("reclaim", "/a", "64M", "-j"),
		ARGS("reclaim", "-j", "/a", "64M", "classes", "slab"),
		ARGS("monitor", "-j"),
		ARGS("-j", "info", "-j"),
	};
	struct result *r = malloc(sizeof(*r));
	char want[160];
	size_t i;
	int b;

	snprintf(want, sizeof(want), "{\"library\":\"%s\",\"module\":null,"
		 "\"kernel\":null,\"features\":[]}\n", memctl_version());
	for (b = 0; b < unit_argc; b++) {
		/* what -j does shows without the module in 'version' */
		run(r, unit_argv[b], ARGS("version", "-j"));
		if (r->status == 2) {
			CHECK_STR(r->out, want);
			run(r, unit_argv[b], ARGS("version", "--json"));
			CHECK_STR(r->out, want);
		} else {
			CHECK_INT(r->status, 0);
			CHECK(r->out[0] == '{');
		}
		/* the file's errors (65) come before the kernel */
		run(r, unit_argv[b], ARGS("apply", "-n", "/dev/null", "-j"));
		CHECK(r->status != 64);
		/* after "--", "-j" is the FILE */
		run(r, unit_argv[b], ARGS("apply", "--", "-j"));
		CHECK_INT(r->status, 66);
		CHECK(strstr(r->err, "cannot open -j") != NULL);
		/* the usage errors of -j stay: '-j' is no value */
		run(r, unit_argv[b], ARGS("stats", "--prometheus", "-j"));
		CHECK_INT(r->status, 64);
		CHECK(strstr(r->err, "-j and --prometheus are two formats"));

		if (!module_missing())
			continue;
		for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
			char what[256];

			describe(what, sizeof(what), valid[i]);
			run(r, unit_argv[b], valid[i]);
			unit_check(r->status == 2 && !strcmp(r->err, not_loaded),
				   __FILE__, __LINE__, "'memctl %s': exit %d, "
				   "stderr \"%s\"; want 2, not loaded", what,
				   r->status, r->err);
		}
	}
	CHECK(unit_argc > 0);
	free(r);
}
