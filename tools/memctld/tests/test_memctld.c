// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld's unit tests: the cgroup globs, the Kubernetes paths, the rules
 * (first match wins), the text of /metrics, and the status page's request
 * handling (web.h): the token, bad input, refusals that change nothing.
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glob.h"
#include "k8s.h"
#include "metrics.h"
#include "rules.h"
#include "unit.h"
#include "web.h"

TEST(glob_components)
{
	CHECK(cg_glob_match("/a/b", "/a/b"));
	CHECK(!cg_glob_match("/a/b", "/a/bc"));
	CHECK(!cg_glob_match("/a/b", "/a"));
	CHECK(!cg_glob_match("/a", "/a/b"));
	CHECK(cg_glob_match("/a/*", "/a/b"));
	CHECK(!cg_glob_match("/a/*", "/a/b/c"));	/* '*' stays in one component */
	CHECK(!cg_glob_match("/a/*", "/a"));
	CHECK(cg_glob_match("/*.slice/*", "/system.slice/ssh.service"));
	CHECK(!cg_glob_match("/*.slice", "/system.slice/x"));
	CHECK(cg_glob_match("/a?c", "/abc"));
	CHECK(!cg_glob_match("/a?c", "/a/c"));		/* '?' never matches '/' */
	CHECK(cg_glob_match("/pod[0-9]", "/pod7"));
	CHECK(!cg_glob_match("/pod[0-9]", "/podx"));
	CHECK(cg_glob_match("/pod[!0-9]", "/podx"));
	CHECK(cg_glob_match("/a\\*", "/a*"));
	CHECK(!cg_glob_match("/a\\*", "/ab"));
	CHECK(cg_glob_match("/", "/"));
	CHECK(!cg_glob_match("/*", "/"));
}

TEST(glob_starstar)
{
	/* in the middle: none or more components */
	CHECK(cg_glob_match("/a/**/b", "/a/b"));
	CHECK(cg_glob_match("/a/**/b", "/a/x/b"));
	CHECK(cg_glob_match("/a/**/b", "/a/x/y/z/b"));
	CHECK(!cg_glob_match("/a/**/b", "/a/x/y/z/c"));
	CHECK(!cg_glob_match("/a/**/b", "/a/b/c"));
	/* at the end: one or more */
	CHECK(cg_glob_match("/a/**", "/a/b"));
	CHECK(cg_glob_match("/a/**", "/a/b/c/d"));
	CHECK(!cg_glob_match("/a/**", "/a"));
	CHECK(!cg_glob_match("/a/**", "/ab"));
	CHECK(cg_glob_match("/**", "/x"));
	CHECK(!cg_glob_match("/**", "/"));
	/* at the start */
	CHECK(cg_glob_match("/**/*.scope", "/x.scope"));
	CHECK(cg_glob_match("/**/*.scope", "/kubepods.slice/p.slice/cri-containerd-1.scope"));
	CHECK(!cg_glob_match("/**/*.scope", "/kubepods.slice/p.slice"));
	/* twice */
	CHECK(cg_glob_match("/**/pod*/**", "/kubepods/burstable/pod1/c"));
	CHECK(!cg_glob_match("/**/pod*/**", "/kubepods/burstable/pod1"));
	/* "**" inside a component is two '*' */
	CHECK(cg_glob_match("/a**", "/abc"));
	CHECK(!cg_glob_match("/a**", "/a/b"));
	CHECK(cg_glob_is_literal("/a/b.slice"));
	CHECK(!cg_glob_is_literal("/a/*"));
}

#define UID "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
#define UID_ "0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0"
#define CID "3a1b6f00c0ffee0123456789abcdef0123456789abcdef0123456789abcdef00"

static void check_k8s(const char *path, bool is_k8s, const char *qos,
		      const char *uid, const char *cid)
{
	struct k8s_labels l;

	unit_check(k8s_parse(path, &l) == is_k8s, __FILE__, __LINE__,
		   "k8s_parse(%s)", path);
	unit_check((!qos && !l.qos_class) ||
		   (qos && l.qos_class && !strcmp(qos, l.qos_class)),
		   __FILE__, __LINE__, "%s: qos_class %s, want %s", path,
		   l.qos_class ? l.qos_class : "-", qos ? qos : "-");
	unit_check(!strcmp(l.pod_uid, uid), __FILE__, __LINE__,
		   "%s: pod_uid \"%s\", want \"%s\"", path, l.pod_uid, uid);
	unit_check(!strcmp(l.container_id, cid), __FILE__, __LINE__,
		   "%s: container_id \"%s\", want \"%s\"", path,
		   l.container_id, cid);
}

TEST(k8s_cgroupfs)
{
	check_k8s("/kubepods", true, NULL, "", "");
	check_k8s("/kubepods/burstable", true, "Burstable", "", "");
	check_k8s("/kubepods/besteffort/pod" UID, true, "BestEffort", UID, "");
	check_k8s("/kubepods/burstable/pod" UID "/" CID, true, "Burstable",
		  UID, CID);
	check_k8s("/kubepods/pod" UID, true, "Guaranteed", UID, "");
	check_k8s("/kubepods/pod" UID "/" CID, true, "Guaranteed", UID, CID);
	/* --cgroup-root */
	check_k8s("/k8s/kubepods/besteffort/pod" UID "/" CID, true,
		  "BestEffort", UID, CID);
	check_k8s("/kubepods/other", true, NULL, "", "");
	check_k8s("/system.slice/kubelet.service", false, NULL, "", "");
	check_k8s("/", false, NULL, "", "");
	check_k8s("/kubepodsx/pod" UID, false, NULL, "", "");
}

TEST(k8s_systemd)
{
	check_k8s("/kubepods.slice", true, NULL, "", "");
	check_k8s("/kubepods.slice/kubepods-burstable.slice", true,
		  "Burstable", "", "");
	check_k8s("/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" UID_ ".slice", true, "Burstable",
		  UID, "");
	check_k8s("/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" UID_ ".slice/cri-containerd-" CID
		  ".scope", true, "Burstable", UID, CID);
	check_k8s("/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice/crio-" CID ".scope",
		  true, "BestEffort", UID, CID);
	check_k8s("/kubepods.slice/kubepods-pod" UID_ ".slice/docker-" CID
		  ".scope", true, "Guaranteed", UID, CID);
	check_k8s("/kubepods.slice/kubepods-pod" UID_ ".slice", true,
		  "Guaranteed", UID, "");
	/* a pod slice of the wrong class is not a pod of that class */
	check_k8s("/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice", true, "Burstable",
		  "", "");
	/* --cgroup-root as kind and others nest it */
	check_k8s("/kubelet.slice/kubelet-kubepods.slice/"
		  "kubelet-kubepods-besteffort.slice/"
		  "kubelet-kubepods-besteffort-pod" UID_ ".slice", true,
		  "BestEffort", UID, "");
	check_k8s("/kubepods.slice/kubepods-pod.slice", true, NULL, "", "");
}

static const char *write_tmp(const char *text)
{
	static char path[] = "/tmp/memctld-test.XXXXXX";
	int fd;

	strcpy(path, "/tmp/memctld-test.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

TEST(rules_first_match)
{
	struct rules r = { 0 };
	const char *f;
	FILE *err = fopen("/dev/null", "w");

	f = write_tmp("# comment\n"
		      "/kubepods/besteffort/pod*  high 256M target 192M\n"
		      "/kubepods/**  high 1G target 768M \\\n"
		      "    classes slab,file\n"
		      "/system.slice/*.service high 512M target 400M tier on\n");
	CHECK_INT(rules_load(f, &r, err), 0);
	unlink(f);
	CHECK_INT(r.n, 3);
	CHECK_INT(rules_match(&r, "/kubepods/besteffort/podx"), 0);
	CHECK_INT(rules_match(&r, "/kubepods/besteffort/podx/c"), 1);
	CHECK_INT(rules_match(&r, "/kubepods/burstable"), 1);
	CHECK_INT(rules_match(&r, "/kubepods"), -1);
	CHECK_INT(rules_match(&r, "/system.slice/ssh.service"), 2);
	CHECK_INT(rules_match(&r, "/user.slice"), -1);
	CHECK_INT(r.v[1].line, 3);
	CHECK_U64(r.v[1].policy.high, 1ULL << 30);
	CHECK_INT(r.v[1].policy.classes,
		  MEMCTL_F_CLASS_SLAB | MEMCTL_F_CLASS_FILE);
	CHECK_STR(r.v[0].policy.cgroup.path, "");
	CHECK(policy_same(&r.v[0].policy, &r.v[0].policy));
	CHECK(!policy_same(&r.v[0].policy, &r.v[1].policy));
	rules_free(&r);
	fclose(err);
}

TEST(rules_errors)
{
	struct rules r = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&out, &len);
	const char *f;

	f = write_tmp("/a/* high 1G target 2G\n"
		      "/b/** high 1G\n"
		      "/c frobnicate 3\n");
	CHECK_INT(rules_load(f, &r, err), 3);
	fclose(err);
	CHECK_INT(r.n, 0);
	/* one line per error, each with the file's name and the line */
	CHECK(strstr(out, ":1: target must be below high\n") != NULL);
	CHECK(strstr(out, ":2: missing 'target SIZE'\n") != NULL);
	CHECK(strstr(out, ":3: unknown keyword 'frobnicate'") != NULL);
	unlink(f);
	free(out);
	CHECK_INT(rules_load("/nonexistent/memctld.conf", &r, stderr), -ENOENT);
}

/* metrics_write() into a NUL-terminated string, malloc()ed. */
static char *metrics_string(const struct memctl_cgroup_stats *rows, size_t n,
			    const struct memctl_info *info,
			    const struct agent_stats *a, int *err)
{
	struct membuf m = { 0 };
	char *s;

	*err = metrics_write(&m, rows, n, info, NULL, a);
	s = malloc(m.len + 1);
	if (s) {
		memcpy(s, m.p, m.len);
		s[m.len] = '\0';
	}
	free(m.p);
	return s;
}

TEST(metrics_text)
{
	struct memctl_cgroup_stats rows[2] = { 0 };
	struct memctl_info info = { .version = "1.2.3", .kernel = "6.1.0",
				    .nr_policies = 2, .max_policies = 4096 };
	struct agent_stats a = { .rules = 3, .cgroups = 10, .managed = 2,
				 .applies = 5, .module_loaded = true,
				 .module_loads = 1 };
	char *out;
	int err;

	rows[0].cgroup.path = "/kubepods.slice/kubepods-burstable.slice/"
		"kubepods-burstable-pod" UID_ ".slice";
	rows[0].cgroup.id = 42;
	rows[0].usage = 1000;
	rows[0].reclaimed_file = 4096;
	rows[0].reclaim_time_ns = 1500000000;
	rows[1].cgroup.path = "/system.slice/a\"b.service";
	rows[1].cgroup.id = 43;
	rows[1].usage = 7;
	out = metrics_string(rows, 2, &info, &a, &err);
	CHECK_INT(err, 0);
	CHECK(out != NULL);
	CHECK(strstr(out, "# TYPE memctl_usage_bytes gauge\n"
		     "memctl_usage_bytes{cgroup=\"/kubepods.slice/kubepods-burstable.slice/"
		     "kubepods-burstable-pod" UID_ ".slice\",id=\"42\","
		     "qos_class=\"Burstable\",pod_uid=\"" UID "\"} 1000\n"
		     "memctl_usage_bytes{cgroup=\"/system.slice/a\\\"b.service\","
		     "id=\"43\"} 7\n") != NULL);
	CHECK(strstr(out, "pod_uid=\"" UID "\",class=\"file\"} 4096\n") != NULL);
	CHECK(strstr(out, "memctl_reclaim_seconds_total{cgroup=") != NULL);
	CHECK(strstr(out, "} 1.500000000\n") != NULL);
	CHECK(strstr(out, "memctl_info{version=\"1.2.3\",kernel=\"6.1.0\"} 1\n") != NULL);
	CHECK(strstr(out, "memctld_managed_cgroups 2\n") != NULL);
	CHECK(strstr(out, "memctld_module_loaded 1\n") != NULL);
	/* no policy in mode auto: no auto family */
	CHECK(strstr(out, "memctl_auto_") == NULL);
	/* for tests/smoke.sh: promtool checks it */
	if (getenv("MEMCTLD_METRICS_OUT")) {
		FILE *o = fopen(getenv("MEMCTLD_METRICS_OUT"), "w");

		if (o) {
			fputs(out, o);
			fclose(o);
		}
	}
	CHECK(strstr(out, "# TYPE memctld_policy_applies_total counter\n"
		     "memctld_policy_applies_total 5\n") != NULL);
	/* one row in mode auto: its samples, and none for the other */
	free(out);
	rows[1].present = MEMCTL_STATS_HAS_AUTO;
	rows[1].auto_working_set = 8192;
	rows[1].auto_saved = 12288;
	out = metrics_string(rows, 2, &info, &a, &err);
	CHECK_INT(err, 0);
	CHECK(out != NULL);
	CHECK(strstr(out, "# TYPE memctl_auto_working_set_bytes gauge\n"
		     "memctl_auto_working_set_bytes{cgroup=\"/system.slice/a\\\"b.service\","
		     "id=\"43\"} 8192\n# ") != NULL);
	CHECK(strstr(out, "memctl_auto_saved_bytes{cgroup=\"/system.slice/a\\\"b.service\","
		     "id=\"43\"} 12288\n") != NULL);
	CHECK(strstr(out, "memctl_auto_saved_bytes{cgroup=\"/kubepods") == NULL);
	/* without the module: memctld's own series, no memctl_info */
	free(out);
	a.module_loaded = false;
	out = metrics_string(NULL, 0, NULL, &a, &err);
	CHECK_INT(err, 0);
	CHECK(out != NULL);
	CHECK(strstr(out, "memctl_info") == NULL);
	CHECK(strstr(out, "memctld_module_loaded 0\n") != NULL);
	free(out);
}

/* The shipped example: each class of both drivers, and the slices. */
TEST(example_rules)
{
	static const struct {
		const char *path;
		unsigned int line;
	} want[] = {
		{ "/kubepods/besteffort/pod" UID, 9 },
		{ "/kubepods/burstable/pod" UID, 12 },
		{ "/kubepods/pod" UID, 15 },
		{ "/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice", 18 },
		{ "/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" UID_ ".slice", 21 },
		{ "/kubepods.slice/kubepods-pod" UID_ ".slice", 23 },
		{ "/system.slice/ssh.service", 28 },
		{ "/user.slice/user-1000.slice", 30 },
		/* containers below the pods, QoS slices: none */
		{ "/kubepods/burstable/pod" UID "/" CID, 0 },
		{ "/kubepods.slice/kubepods-burstable.slice", 0 },
		{ "/init.scope", 0 },
	};
	struct rules r = { 0 };
	size_t i;
	int idx;

	CHECK_INT(rules_load("example-rules.conf", &r, stderr), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		idx = rules_match(&r, want[i].path);
		unit_check(want[i].line ? idx >= 0 && r.v[idx].line == want[i].line
					: idx < 0, __FILE__, __LINE__,
			   "%s: rule of line %u, want %u", want[i].path,
			   idx >= 0 ? r.v[idx].line : 0, want[i].line);
	}
	rules_free(&r);
}

/* ---- the status page's requests (web.h) ---- */

#define TOKEN "unit-token-0123456789abcdef"

static struct {
	int changes;			/* tier_change() calls */
	struct web_tier_change last;
	char log[8][300];
	int nlog;
} fake;

static char *fake_body(void *arg, size_t *len)
{
	(void)arg;
	*len = 2;
	return strdup("{}");
}

static unsigned int fake_change(void *arg, const struct web_tier_change *c,
				char *msg, size_t msglen)
{
	(void)arg;
	fake.changes++;
	fake.last = *c;
	snprintf(msg, msglen, "tier created");
	return 200;
}

static void fake_log(void *arg, const char *line)
{
	(void)arg;
	if (fake.nlog < 8)
		snprintf(fake.log[fake.nlog++], sizeof(fake.log[0]), "%s", line);
}

static struct web_resp request(const char *token, const char *method,
			       const char *url, const char *authz,
			       const char *body)
{
	struct web_ops ops = {
		.token = token, .token_len = token ? strlen(token) : 0,
		.metrics = fake_body, .status = fake_body,
		.tier_change = fake_change, .log = fake_log,
	};
	struct web_req r = {
		.method = method, .url = url, .authz = authz,
		.client = "192.0.2.7", .body = body,
		.body_len = body ? strlen(body) : 0,
	};
	struct web_resp out;

	web_handle(&ops, &r, &out);
	return out;
}

static void resp_free(struct web_resp *r)
{
	if (r->must_free)
		free(r->body);
}

/* @r answers @status with a one-line body containing @text */
static void check_resp(struct web_resp r, unsigned int status,
		       const char *text, int line)
{
	char *nl = r.body ? memchr(r.body, '\n', r.len) : NULL;

	unit_check(r.status == status, __FILE__, line, "status %u, want %u",
		   r.status, status);
	unit_check(r.body && strstr(r.body, text) && nl == r.body + r.len - 1,
		   __FILE__, line, "one-line body with \"%s\": \"%.*s\"", text,
		   (int)r.len, r.body ? r.body : "");
	resp_free(&r);
}

TEST(web_auth_token)
{
	CHECK_INT(web_auth(NULL, 0, "Bearer " TOKEN), -EACCES);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), NULL), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), ""), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), TOKEN), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), "Basic " TOKEN), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), "Bearer "), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), "Bearer " TOKEN "x"), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), "Bearer unit-token-0123456789abcdeF"), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), "Bearer unit-token"), -EPERM);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), "Bearer " TOKEN), 0);
	CHECK_INT(web_auth(TOKEN, strlen(TOKEN), "bearer " TOKEN), 0);
}

TEST(web_parse_tier_input)
{
	struct web_tier_change c;
	char msg[200];

#define BAD(body, text) do {						\
	msg[0] = '\0';							\
	CHECK_INT(web_parse_tier(body, strlen(body), &c, msg, sizeof(msg)), -EINVAL); \
	unit_check(strstr(msg, text) && !strchr(msg, '\n'), __FILE__, __LINE__, \
		   "%s: \"%s\" has \"%s\"", body, msg, text);		\
} while (0)
	CHECK_INT(web_parse_tier("state=on&size=256M", 18, &c, msg, sizeof(msg)), 0);
	CHECK_INT(c.state, 1);
	CHECK_U64(c.size, 256ULL << 20);
	CHECK_INT(web_parse_tier("state=off\n", 10, &c, msg, sizeof(msg)), 0);
	CHECK_INT(c.state, 0);
	CHECK_U64(c.size, 0);
	CHECK_INT(web_parse_tier("size=1%47", 9, &c, msg, sizeof(msg)), 0);
	CHECK_INT(c.state, -1);
	CHECK_U64(c.size, 1ULL << 30);
	BAD("", "nothing to change");
	BAD("state", "not KEY=VALUE");
	BAD("state=maybe", "invalid state 'maybe'");
	BAD("state=on&state=off", "state is given twice");
	BAD("size=64M&size=32M", "size is given twice");
	BAD("size=12Q", "invalid size '12Q'");
	BAD("size=-1", "invalid size");
	BAD("size=512K", "invalid size");		/* below 1 MiB */
	BAD("size=5T", "invalid size");		/* above 4 TiB */
	BAD("size=99999999999999999999999", "invalid size");
	BAD("state=off&size=64M", "state=off takes no size");
	BAD("algo=zstd", "unknown key 'algo'");
	BAD("state=o%", "bad %-escape");
	BAD("state=o%zz", "bad %-escape");
	BAD("state=o%00n", "bad %-escape");
	CHECK_INT(web_parse_tier("state=on\0x", 10, &c, msg, sizeof(msg)), -EINVAL);
	{
		char big[WEB_BODY_MAX + 2];

		memset(big, 'a', sizeof(big));
		CHECK_INT(web_parse_tier(big, sizeof(big), &c, msg, sizeof(msg)),
			  -EINVAL);
	}
#undef BAD
}

TEST(web_requests)
{
	struct web_resp r;

	memset(&fake, 0, sizeof(fake));
	/* read-only: 403 whatever the token, nothing changes */
	check_resp(request(NULL, "POST", "/api/tier", "Bearer " TOKEN,
			   "state=on&size=64M"), 403, "read-only", __LINE__);
	/* a token: 401 without it or with a wrong one, even for bad input */
	check_resp(request(TOKEN, "POST", "/api/tier", NULL, "state=on&size=64M"),
		   401, "Bearer", __LINE__);
	check_resp(request(TOKEN, "POST", "/api/tier", "Bearer nope",
			   "state=on&size=64M"), 401, "Bearer", __LINE__);
	check_resp(request(TOKEN, "POST", "/api/tier", "Bearer nope", "junk"),
		   401, "Bearer", __LINE__);
	/* the token and bad input: 400, one line */
	check_resp(request(TOKEN, "POST", "/api/tier", "Bearer " TOKEN,
			   "size=lots"), 400, "invalid size 'lots'", __LINE__);
	check_resp(request(TOKEN, "GET", "/api/tier", "Bearer " TOKEN, NULL),
		   405, "only POST", __LINE__);
	CHECK_INT(fake.changes, 0);
	/* each refusal logged, with who and why */
	CHECK_INT(fake.nlog, 5);
	CHECK(strstr(fake.log[0], "from 192.0.2.7 refused (403)") != NULL);
	CHECK(strstr(fake.log[1], "refused (401): no token") != NULL);
	CHECK(strstr(fake.log[2], "refused (401): a wrong token") != NULL);
	CHECK(strstr(fake.log[4], "refused (400): invalid size 'lots'") != NULL);
	/* the change itself */
	check_resp(request(TOKEN, "POST", "/api/tier", "Bearer " TOKEN,
			   "state=on&size=64M"), 200, "tier created", __LINE__);
	CHECK_INT(fake.changes, 1);
	CHECK_INT(fake.last.state, 1);
	CHECK_U64(fake.last.size, 64ULL << 20);
	CHECK_INT(fake.nlog, 6);
	CHECK(strstr(fake.log[5], "tier change from 192.0.2.7: state=on size=67108864: tier created (200)") != NULL);
	/* the other endpoints */
	r = request(NULL, "GET", "/", NULL, NULL);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.type, "text/html; charset=utf-8");
	CHECK(r.len == memctld_page_len && memmem(r.body, r.len, "/api/status", 11));
	resp_free(&r);
	r = request(NULL, "GET", "/api/status", NULL, NULL);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.type, "application/json");
	resp_free(&r);
	r = request(NULL, "POST", "/api/status", NULL, NULL);
	CHECK_INT(r.status, 405);
	CHECK_STR(r.allow, "GET, HEAD");
	resp_free(&r);
	check_resp(request(NULL, "GET", "/x", NULL, NULL), 404, "not found",
		   __LINE__);
}

TEST(web_token_file)
{
	char *tok = NULL, msg[300];
	size_t len = 0;
	const char *f;

	f = write_tmp(TOKEN "\n");
	chmod(f, 0600);
	if (geteuid() == 0) {
		CHECK_INT(web_load_token(f, &tok, &len, msg, sizeof(msg)), 0);
		CHECK_STR(tok, TOKEN);
		CHECK_INT(len, strlen(TOKEN));
		free(tok);
	} else {	/* not root's */
		CHECK_INT(web_load_token(f, &tok, &len, msg, sizeof(msg)), -EPERM);
	}
	chmod(f, 0640);
	CHECK_INT(web_load_token(f, &tok, &len, msg, sizeof(msg)), -EPERM);
	CHECK(strstr(msg, "must be owned by root and not readable") != NULL);
	CHECK(tok == NULL);
	chmod(f, 0604);
	CHECK_INT(web_load_token(f, &tok, &len, msg, sizeof(msg)), -EPERM);
	unlink(f);
	if (geteuid() == 0) {
		f = write_tmp("short\n");
		chmod(f, 0600);
		CHECK_INT(web_load_token(f, &tok, &len, msg, sizeof(msg)), -EINVAL);
		unlink(f);
		f = write_tmp("has a space in it, oh no\n");
		chmod(f, 0600);
		CHECK_INT(web_load_token(f, &tok, &len, msg, sizeof(msg)), -EINVAL);
		unlink(f);
	}
	CHECK_INT(web_load_token("/nonexistent/token", &tok, &len, msg,
				 sizeof(msg)), -ENOENT);
}

TEST(web_status_json)
{
	struct memctl_cgroup_stats rows[1] = { 0 };
	struct memctl_info info = { 0 };
	struct memctl_tier tier = { 0 };
	struct agent_stats a = { .rules = 2, .managed = 1 };
	static struct web_ring ring;
	struct web_status st;
	char *out = NULL;
	size_t len = 0, i;
	FILE *f;

	rows[0].cgroup.path = "/a\"b";
	rows[0].usage = 1000;
	rows[0].reclaimed_file = 7;
	snprintf(info.version, sizeof(info.version), "1.2.3");
	snprintf(tier.algo, sizeof(tier.algo), "lz4");
	tier.size = 64ULL << 20;
	tier.stored_pages = 2;
	/* more samples than the ring holds: the oldest go */
	for (i = 0; i < WEB_RING + 3; i++)
		web_ring_add(&ring, (int64_t)(100 + i), rows, 1, &tier);
	CHECK_INT(ring.n, WEB_RING);
	st = (struct web_status){ .rows = rows, .n = 1, .info = &info,
				  .tier = &tier, .agent = &a, .ring = &ring,
				  .writable = false, .now = 42 };
	f = open_memstream(&out, &len);
	CHECK_INT(web_status_write(f, &st), 0);
	fclose(f);
	CHECK(strstr(out, "\"writable\":false,\"module\":{\"loaded\":true,\"version\":\"1.2.3\"}") != NULL);
	CHECK(strstr(out, "\"path\":\"/a\\\"b\"") != NULL);
	CHECK(strstr(out, "\"size\":67108864,\"stored\":8192,") != NULL);
	CHECK(strstr(out, "\"backing\":null") != NULL);
	CHECK(strstr(out, "\"t\":[103,104,") != NULL);	/* oldest first */
	CHECK(strstr(out, ",246]") != NULL);
	free(out);
	/* no module, no tier */
	st = (struct web_status){ .agent = &a, .now = 1 };
	out = NULL;
	f = open_memstream(&out, &len);
	CHECK_INT(web_status_write(f, &st), 0);
	fclose(f);
	CHECK(strstr(out, "\"module\":{\"loaded\":false},\"tier\":null,") != NULL);
	CHECK(strstr(out, "\"cgroups\":[],\"history\":{\"interval\":5,\"t\":[],") != NULL);
	free(out);
}
