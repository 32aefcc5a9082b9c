// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld's unit tests: the cgroup globs, the Kubernetes paths, the rules
 * (first match wins) and the text of /metrics.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glob.h"
#include "k8s.h"
#include "metrics.h"
#include "rules.h"
#include "unit.h"

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

TEST(metrics_text)
{
	struct memctl_stats rows[2] = { 0 };
	struct memctl_info info = { .version = "1.2.3", .kernel = "6.1.0",
				    .nr_policies = 2, .max_policies = 4096 };
	struct agent_stats a = { .rules = 3, .cgroups = 10, .managed = 2,
				 .applies = 5, .module_loaded = true,
				 .module_loads = 1 };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	strcpy(rows[0].cgroup.path, "/kubepods.slice/kubepods-burstable.slice/"
	       "kubepods-burstable-pod" UID_ ".slice");
	rows[0].cgroup.id = 42;
	rows[0].usage = 1000;
	rows[0].reclaimed_file = 4096;
	rows[0].reclaim_time_ns = 1500000000;
	strcpy(rows[1].cgroup.path, "/system.slice/a\"b.service");
	rows[1].cgroup.id = 43;
	rows[1].usage = 7;
	CHECK_INT(metrics_write(f, rows, 2, &info, NULL, &a), 0);
	fclose(f);
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
	out = NULL;
	f = open_memstream(&out, &len);
	rows[1].present = MEMCTL_STATS_HAS_AUTO;
	rows[1].auto_working_set = 8192;
	rows[1].auto_saved = 12288;
	CHECK_INT(metrics_write(f, rows, 2, &info, NULL, &a), 0);
	fclose(f);
	CHECK(strstr(out, "# TYPE memctl_auto_working_set_bytes gauge\n"
		     "memctl_auto_working_set_bytes{cgroup=\"/system.slice/a\\\"b.service\","
		     "id=\"43\"} 8192\n# ") != NULL);
	CHECK(strstr(out, "memctl_auto_saved_bytes{cgroup=\"/system.slice/a\\\"b.service\","
		     "id=\"43\"} 12288\n") != NULL);
	CHECK(strstr(out, "memctl_auto_saved_bytes{cgroup=\"/kubepods") == NULL);
	/* without the module: memctld's own series, no memctl_info */
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	a.module_loaded = false;
	CHECK_INT(metrics_write(f, NULL, 0, NULL, NULL, &a), 0);
	fclose(f);
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
