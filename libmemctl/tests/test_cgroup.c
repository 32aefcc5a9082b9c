// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cgroup arguments: what users type (paths relative to the cgroup2 root or
 * full paths under a cgroup2 mount) must become the one normalized path the
 * kernel looks up, and nonsense must be refused.  The mount table is a fake
 * mountinfo file written by each test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../internal.h"
#include "unit.h"

/* This host's layout: cgroup v1 hierarchies plus cgroup2 at .../unified. */
static const char hybrid[] =
	"22 27 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

/* systemd's unified layout, plus a bind mount of a subtree with a space. */
static const char unified[] =
	"26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
	"90 26 0:23 /app.slice /mnt/my\\040cg rw,relatime shared:4 - cgroup2 cgroup2 rw\n"
	"91 26 0:23 /inner /sys/fs/cgroup/nested rw,relatime shared:4 - cgroup2 cgroup2 rw\n";

static char *write_mountinfo(const char *content)
{
	char *path = strdup("/tmp/memctl-mountinfo-XXXXXX");
	int fd;

	if (!path)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content)) {
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

struct norm_case {
	const char *in;
	int err;
	const char *want;
};

static void run_cases(const char *mountinfo, const struct norm_case *c,
		      size_t n, int line)
{
	char out[MEMCTL_CGROUP_PATH_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		int err;

		strcpy(out, "untouched");
		err = memctl__cgroup_normalize_at(mountinfo, c[i].in, out,
						  sizeof(out));
		unit_check(err == c[i].err &&
			   (err || !strcmp(out, c[i].want)), __FILE__, line,
			   "normalize(\"%s\") = %d \"%s\"; want %d \"%s\"",
			   c[i].in ? c[i].in : "(null)", err, err ? "" : out,
			   c[i].err, c[i].want ? c[i].want : "");
	}
}

TEST(cgroup_lexical)
{
	static const struct norm_case cases[] = {
		{ "/", 0, "/" },
		{ "/a", 0, "/a" },
		{ "/a/b", 0, "/a/b" },
		{ "/a/b/", 0, "/a/b" },
		{ "//a//b//", 0, "/a/b" },
		{ "/./a/./b/.", 0, "/a/b" },
		{ "/a/b/../c", 0, "/a/c" },
		{ "/a/..", 0, "/" },
		{ "/a/b/../../c/", 0, "/c" },
		{ "/app.slice/web.service", 0, "/app.slice/web.service" },
		{ "/a/..b/.c/...", 0, "/a/..b/.c/..." },	/* names, not dots */
		{ "/..", -EINVAL, NULL },
		{ "/a/../..", -EINVAL, NULL },
		{ "/../a", -EINVAL, NULL },
		{ "a/b", -EINVAL, NULL },
		{ "./a", -EINVAL, NULL },
		{ "", -EINVAL, NULL },
		{ NULL, -EINVAL, NULL },
	};
	char *mi = write_mountinfo(unified);

	CHECK(mi != NULL);
	run_cases(mi, cases, ARRAY_SIZE(cases), __LINE__);
	unlink(mi);
	free(mi);
}

TEST(cgroup_unified_mount)
{
	static const struct norm_case cases[] = {
		{ "/sys/fs/cgroup", 0, "/" },
		{ "/sys/fs/cgroup/", 0, "/" },
		{ "/sys/fs/cgroup/app.slice/web", 0, "/app.slice/web" },
		{ "/sys/fs/cgroup//app.slice/./web/", 0, "/app.slice/web" },
		{ "/sys/fs/cgroup/../cgroup/a", 0, "/a" },
		{ "/sys/fs/cgroupx/a", 0, "/sys/fs/cgroupx/a" },	/* not under */
		{ "/sys/fs", 0, "/sys/fs" },
		{ "/a/b", 0, "/a/b" },
		/* a bind mount of /app.slice at "/mnt/my cg" */
		{ "/mnt/my cg", 0, "/app.slice" },
		{ "/mnt/my cg/web", 0, "/app.slice/web" },
		{ "/mnt/my cg/web/..", 0, "/app.slice" },
		/* the deepest mount wins */
		{ "/sys/fs/cgroup/nested/x", 0, "/inner/x" },
		{ "/sys/fs/cgroup/nestedx", 0, "/nestedx" },
	};
	char *mi = write_mountinfo(unified);

	CHECK(mi != NULL);
	run_cases(mi, cases, ARRAY_SIZE(cases), __LINE__);
	unlink(mi);
	free(mi);
}

TEST(cgroup_hybrid_mount)
{
	static const struct norm_case cases[] = {
		{ "/sys/fs/cgroup/unified", 0, "/" },
		{ "/sys/fs/cgroup/unified/a/b", 0, "/a/b" },
		{ "/sys/fs/cgroup/unified/a/b/", 0, "/a/b" },
		/* /sys/fs/cgroup is not cgroup2 here: taken as a cgroup path */
		{ "/sys/fs/cgroup/a", 0, "/sys/fs/cgroup/a" },
		{ "/sys/fs/cgroup/memory/x", 0, "/sys/fs/cgroup/memory/x" },
		{ "/a", 0, "/a" },
	};
	char *mi = write_mountinfo(hybrid);

	CHECK(mi != NULL);
	run_cases(mi, cases, ARRAY_SIZE(cases), __LINE__);
	unlink(mi);
	free(mi);
}

TEST(cgroup_default_mount)
{
	/* No cgroup2 in the table, or no table: /sys/fs/cgroup is assumed. */
	static const struct norm_case cases[] = {
		{ "/sys/fs/cgroup/a", 0, "/a" },
		{ "/sys/fs/cgroup", 0, "/" },
		{ "/a/b/", 0, "/a/b" },
	};
	char *mi = write_mountinfo(
		"22 27 0:21 / /sys rw,relatime shared:7 - sysfs sysfs rw\n"
		"garbage line without separator\n"
		"1 2 3\n"
		" - cgroup2\n");

	CHECK(mi != NULL);
	run_cases(mi, cases, ARRAY_SIZE(cases), __LINE__);
	run_cases("/nonexistent/mountinfo", cases, ARRAY_SIZE(cases), __LINE__);
	unlink(mi);
	free(mi);
}

TEST(cgroup_lengths)
{
	char out[MEMCTL_CGROUP_PATH_MAX], small[4];
	char *big = malloc(MEMCTL_CGROUP_PATH_MAX + 2);
	char *mi = write_mountinfo(unified);

	CHECK(mi != NULL && big != NULL);
	if (!mi || !big)
		return;
	/* "/aaaa...": exactly the longest path that fits, then one more. */
	big[0] = '/';
	memset(big + 1, 'a', MEMCTL_CGROUP_PATH_MAX - 2);
	big[MEMCTL_CGROUP_PATH_MAX - 1] = '\0';
	CHECK_INT(memctl__cgroup_normalize_at(mi, big, out, sizeof(out)), 0);
	CHECK_INT(strlen(out), MEMCTL_CGROUP_PATH_MAX - 1);
	big[MEMCTL_CGROUP_PATH_MAX - 1] = 'a';
	big[MEMCTL_CGROUP_PATH_MAX] = '\0';
	CHECK_INT(memctl__cgroup_normalize_at(mi, big, out, sizeof(out)),
		  -ENAMETOOLONG);
	/* Collapsing can make a long argument fit. */
	memcpy(big, "/sys/fs/cgroup/", 15);
	CHECK_INT(memctl__cgroup_normalize_at(mi, big, out, sizeof(out)), 0);

	CHECK_INT(memctl__cgroup_normalize_at(mi, "/abc", small, sizeof(small)),
		  -ENAMETOOLONG);
	CHECK_INT(memctl__cgroup_normalize_at(mi, "/ab", small, sizeof(small)), 0);
	CHECK_STR(small, "/ab");
	unlink(mi);
	free(mi);
	free(big);
}

TEST(cgroup_real_mountinfo)
{
	char out[MEMCTL_CGROUP_PATH_MAX];

	/* Whatever this machine mounts, these do not depend on it. */
	CHECK_INT(memctl_cgroup_normalize("/", out, sizeof(out)), 0);
	CHECK_STR(out, "/");
	CHECK_INT(memctl_cgroup_normalize("//x/./y/", out, sizeof(out)), 0);
	CHECK_STR(out, "/x/y");
	CHECK_INT(memctl_cgroup_normalize("x", out, sizeof(out)), -EINVAL);
}

/* memctl_cgroup_id(): the directory a cgroup path names, through the mounts */
TEST(cgroup_id_through_mounts)
{
	char top[] = "/tmp/memctl-cgid-XXXXXX", bind[] = "/tmp/memctl-cgbind-XXXXXX";
	char path[256], info[1024], *mi;
	struct stat st;
	uint64_t id = 0;

	if (!mkdtemp(top) || !mkdtemp(bind)) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/a", top);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/a/b", top);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/f", top);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	snprintf(path, sizeof(path), "%s/c", bind);
	mkdir(path, 0755);
	/* the whole hierarchy at @top, and /a/b bound at @bind */
	snprintf(info, sizeof(info),
		 "26 22 0:23 / %s rw,relatime - cgroup2 cgroup2 rw\n"
		 "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		 "90 26 0:23 /a/b %s rw,relatime - cgroup2 cgroup2 rw\n", top, bind);
	mi = write_mountinfo(info);
	if (!mi) {
		CHECK(0);
		return;
	}

	CHECK_INT(memctl__cgroup_id_at(mi, "/a", &id), 0);
	snprintf(path, sizeof(path), "%s/a", top);
	CHECK(!stat(path, &st) && id == st.st_ino);
	CHECK_INT(memctl__cgroup_id_at(mi, "/", &id), 0);
	CHECK(!stat(top, &st) && id == st.st_ino);
	/* the deepest root that holds the path: /a/b/c is @bind/c */
	CHECK_INT(memctl__cgroup_id_at(mi, "/a/b/c", &id), 0);
	snprintf(path, sizeof(path), "%s/c", bind);
	CHECK(!stat(path, &st) && id == st.st_ino);
	CHECK_INT(memctl__cgroup_id_at(mi, "/a/b", &id), 0);
	CHECK(!stat(bind, &st) && id == st.st_ino);

	CHECK_INT(memctl__cgroup_id_at(mi, "/nope", &id), -ENOENT);
	CHECK_INT(memctl__cgroup_id_at(mi, "/f", &id), -ENOTDIR);
	CHECK_INT(memctl__cgroup_id_at(mi, "/a//b", &id), -EINVAL);
	CHECK_INT(memctl__cgroup_id_at(mi, "/a/", &id), -EINVAL);
	CHECK_INT(memctl__cgroup_id_at(mi, "a", &id), -EINVAL);
	CHECK_INT(memctl__cgroup_id_at(mi, NULL, &id), -EINVAL);
	unlink(mi);
	free(mi);

	/* a mount table whose only cgroup2 mount shows another subtree */
	snprintf(info, sizeof(info),
		 "90 26 0:23 /x %s rw,relatime - cgroup2 cgroup2 rw\n", bind);
	mi = write_mountinfo(info);
	CHECK_INT(memctl__cgroup_id_at(mi, "/a", &id), -ENOENT);
	unlink(mi);
	free(mi);

	/* no cgroup2 mount listed: /sys/fs/cgroup */
	mi = write_mountinfo("");
	if (!stat("/sys/fs/cgroup", &st)) {
		CHECK_INT(memctl__cgroup_id_at(mi, "/", &id), 0);
		CHECK_U64(id, (uint64_t)st.st_ino);
	}
	unlink(mi);
	free(mi);

	snprintf(path, sizeof(path), "%s/a/b", top);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", top);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/f", top);
	unlink(path);
	snprintf(path, sizeof(path), "%s/c", bind);
	rmdir(path);
	rmdir(top);
	rmdir(bind);
}

/*
 * Both directions through one mount table: a full path normalizes to the
 * cgroup the kernel knows, and that cgroup's id is the inode of the full
 * path, also through a mount point with a blank (\040 in mountinfo) and
 * among lines that are not cgroup2 mounts at all.
 */
TEST(cgroup_normalize_and_id_agree)
{
	char top[] = "/tmp/memctl cg-XXXXXX", path[256], info[1024];
	char esc[256], norm[MEMCTL_CGROUP_PATH_MAX], *mi;
	const char *s;
	struct stat st;
	uint64_t id = 0;
	size_t o = 0;

	if (!mkdtemp(top)) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/web", top);
	mkdir(path, 0755);
	for (s = top; *s && o + 5 < sizeof(esc); s++) {
		if (*s == ' ') {
			memcpy(esc + o, "\\040", 4);
			o += 4;
		} else {
			esc[o++] = *s;
		}
	}
	esc[o] = '\0';
	/* /app.slice of the hierarchy is mounted at @top */
	snprintf(info, sizeof(info),
		 "garbage line without separator\n"
		 "1 2 3 - cgroup2\n"
		 "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		 "90 26 0:23 /app.slice %s rw,relatime shared:4 - cgroup2 cgroup2 rw\n",
		 esc);
	mi = write_mountinfo(info);
	if (!mi) {
		CHECK(0);
		return;
	}

	CHECK_INT(memctl__cgroup_normalize_at(mi, path, norm, sizeof(norm)), 0);
	CHECK_STR(norm, "/app.slice/web");
	CHECK_INT(memctl__cgroup_id_at(mi, norm, &id), 0);
	CHECK(!stat(path, &st) && id == st.st_ino);
	CHECK_INT(memctl__cgroup_normalize_at(mi, top, norm, sizeof(norm)), 0);
	CHECK_STR(norm, "/app.slice");
	CHECK_INT(memctl__cgroup_id_at(mi, norm, &id), 0);
	CHECK(!stat(top, &st) && id == st.st_ino);
	/* outside what the mount shows: no id, and the path stays as it is */
	CHECK_INT(memctl__cgroup_id_at(mi, "/other", &id), -ENOENT);
	CHECK_INT(memctl__cgroup_normalize_at(mi, "/other/x", norm, sizeof(norm)),
		  0);
	CHECK_STR(norm, "/other/x");

	unlink(mi);
	free(mi);
	rmdir(path);
	rmdir(top);
}
