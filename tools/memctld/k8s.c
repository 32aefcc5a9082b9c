// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld: Kubernetes labels from a cgroup path (k8s.h).
 */
#include <stdio.h>
#include <string.h>

#include "k8s.h"

#define COMP_MAX	256

/* The next component of *@s into @buf; false at the end of the path. */
static bool next_comp(const char **s, char *buf)
{
	size_t n;

	while (**s == '/')
		(*s)++;
	if (!**s)
		return false;
	n = strcspn(*s, "/");
	if (n >= COMP_MAX)
		n = COMP_MAX - 1;	/* cannot be a name the kubelet made */
	memcpy(buf, *s, n);
	buf[n] = '\0';
	*s += strcspn(*s, "/");
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* A UID or ID as the kubelet writes it: letters, digits, '-' and '_'. */
static bool copy_id(char *dst, size_t len, const char *src, size_t n,
		    bool underscores)
{
	size_t i;

	if (!n || n >= len)
		return false;
	for (i = 0; i < n; i++) {
		char c = src[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
			return false;
		dst[i] = underscores && c == '_' ? '-' : c;
	}
	dst[n] = '\0';
	return true;
}

static const char *const qos_names[][2] = {
	{ "burstable", "Burstable" },
	{ "besteffort", "BestEffort" },
};

/* cgroupfs driver: @s is what follows "/kubepods". */
static void parse_cgroupfs(const char *s, struct k8s_labels *l)
{
	char c[COMP_MAX];
	size_t i;

	if (!next_comp(&s, c))
		return;
	for (i = 0; i < 2; i++)
		if (!strcmp(c, qos_names[i][0])) {
			l->qos_class = qos_names[i][1];
			if (!next_comp(&s, c))
				return;
			break;
		}
	if (strncmp(c, "pod", 3) ||
	    !copy_id(l->pod_uid, sizeof(l->pod_uid), c + 3, strlen(c + 3),
		     false)) {
		if (!l->qos_class)
			return;
		l->pod_uid[0] = '\0';
		return;
	}
	if (!l->qos_class)
		l->qos_class = "Guaranteed";
	if (next_comp(&s, c) &&
	    !copy_id(l->container_id, sizeof(l->container_id), c, strlen(c),
		     false))
		l->container_id[0] = '\0';
}

/* systemd driver: @prefix is "kubepods" (the slice's name without
 * ".slice"), @s what follows that slice. */
static void parse_systemd(const char *prefix, const char *s,
			  struct k8s_labels *l)
{
	char c[COMP_MAX], want[COMP_MAX + 32];
	size_t i, n;
	const char *p;

	if (!next_comp(&s, c))
		return;
	for (i = 0; i < 2; i++) {
		snprintf(want, sizeof(want), "%s-%s.slice", prefix,
			 qos_names[i][0]);
		if (!strcmp(c, want)) {
			l->qos_class = qos_names[i][1];
			snprintf(want, sizeof(want), "%s-%s-pod", prefix,
				 qos_names[i][0]);
			if (!next_comp(&s, c))
				return;
			break;
		}
	}
	if (!l->qos_class)
		snprintf(want, sizeof(want), "%s-pod", prefix);
	n = strlen(want);
	if (strncmp(c, want, n) || !ends_with(c, ".slice") ||
	    !copy_id(l->pod_uid, sizeof(l->pod_uid), c + n,
		     strlen(c + n) - strlen(".slice"), true)) {
		l->pod_uid[0] = '\0';
		return;
	}
	if (!l->qos_class)
		l->qos_class = "Guaranteed";
	if (!next_comp(&s, c))
		return;
	/* <runtime>-<id>.scope; the ID is what follows the last '-' */
	n = strlen(c);
	if (ends_with(c, ".scope"))
		n -= strlen(".scope");
	c[n] = '\0';
	p = strrchr(c, '-');
	p = p ? p + 1 : c;
	if (!copy_id(l->container_id, sizeof(l->container_id), p, strlen(p),
		     false))
		l->container_id[0] = '\0';
}

bool k8s_parse(const char *path, struct k8s_labels *l)
{
	char c[COMP_MAX];
	const char *s = path;

	memset(l, 0, sizeof(*l));
	while (next_comp(&s, c)) {
		if (!strcmp(c, "kubepods")) {
			parse_cgroupfs(s, l);
			return true;
		}
		if (ends_with(c, "kubepods.slice")) {
			c[strlen(c) - strlen(".slice")] = '\0';
			parse_systemd(c, s, l);
			return true;
		}
	}
	return false;
}
