/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctld: the status page and its endpoints (memctld(8), STATUS PAGE),
 * apart from the HTTP server so that the unit tests can drive them:
 *
 *	GET  /             the page (page/index.html, built into the binary)
 *	GET  /api/status   what the page shows, JSON (web_status_write())
 *	POST /api/tier     change the tier: "state=on|off" and/or "size=SIZE",
 *	                   form-encoded; only with --token-file and
 *	                   "Authorization: Bearer TOKEN"
 *	GET  /metrics      Prometheus (metrics.h)
 *
 * Refusals change nothing: 403 without --token-file, 401 for a missing or
 * wrong token, 400 for bad input, 405 for another method, 409 when the
 * kernel state forbids it (the tier in use), 503 without the module.
 */
#ifndef MEMCTLD_WEB_H
#define MEMCTLD_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "memctl.h"
#include "metrics.h"

/* The largest request body memctld reads (POST /api/tier). */
#define WEB_BODY_MAX	1024

/* The history the plots show: one sample every WEB_SAMPLE_S seconds. */
#define WEB_SAMPLE_S	5
#define WEB_RING	144		/* 12 minutes */

struct web_sample {
	int64_t t;		/* Unix time, seconds */
	uint64_t usage;		/* the managed cgroups' usage, summed */
	uint64_t reclaimed_slab;	/* memctl's reclaim, cumulative, summed */
	uint64_t reclaimed_file;
	uint64_t reclaimed_anon;
	uint64_t tier_stored;	/* bytes stored in the tier (pages * 4 KiB) */
	uint64_t tier_compressed;
};

struct web_ring {
	struct web_sample v[WEB_RING];
	size_t head;		/* the next slot written */
	size_t n;
};

/* Sum @rows and @tier (NULL: none) into a sample at @t, added to @r. */
void web_ring_add(struct web_ring *r, int64_t t,
		  const struct memctl_cgroup_stats *rows, size_t n,
		  const struct memctl_tier *tier);

/* What /api/status reports; NULL @info: the module is not loaded. */
struct web_status {
	const struct memctl_cgroup_stats *rows;
	size_t n;
	const struct memctl_info *info;
	const struct memctl_tier *tier;	/* NULL: no tier */
	const struct agent_stats *agent;
	const struct web_ring *ring;
	bool writable;			/* --token-file given */
	int64_t now;
};

int web_status_write(FILE *f, const struct web_status *s);

/* A change of the tier: what POST /api/tier asked for. */
struct web_tier_change {
	int state;		/* 1 on, 0 off, -1 not given */
	uint64_t size;		/* bytes; 0 not given */
};

/*
 * Parse a form-encoded body ("state=on&size=256M").  Return: 0, or -EINVAL
 * with a one-line reason in @msg.
 */
int web_parse_tier(const char *body, size_t len, struct web_tier_change *c,
		   char *msg, size_t msglen);

/*
 * Check "Authorization: Bearer TOKEN" (@authz, NULL if absent) against
 * @token (@tlen bytes, NULL: the page is read-only) in constant time.
 * Return: 0, -EACCES (read-only: 403) or -EPERM (401).
 */
int web_auth(const char *token, size_t tlen, const char *authz);

/*
 * Read the token of --token-file @path: a regular file owned by root that
 * neither group nor others can read or write, one line of printable
 * characters.  Return: 0 and a malloc()ed @token, or a negative errno
 * with a one-line reason in @msg.
 */
int web_load_token(const char *path, char **token, size_t *tlen, char *msg,
		   size_t msglen);

struct web_req {
	const char *method;
	const char *url;
	const char *authz;	/* the Authorization header, or NULL */
	const char *client;	/* the peer's address, for the log */
	const char *body;
	size_t body_len;
	bool body_too_long;
};

struct web_resp {
	unsigned int status;
	const char *type;
	char *body;
	size_t len;
	bool must_free;		/* body is malloc()ed */
	const char *allow;	/* an Allow header (405), or NULL */
};

struct web_ops {
	const char *token;	/* NULL: read-only */
	size_t token_len;
	void *arg;
	/* bodies, malloc()ed, or NULL on failure (500) */
	char *(*metrics)(void *arg, size_t *len);
	char *(*status)(void *arg, size_t *len);
	/*
	 * Make the change: an HTTP status (200 done, 409, 503, 500...) and
	 * a one-line result in @msg.
	 */
	unsigned int (*tier_change)(void *arg, const struct web_tier_change *c,
				    char *msg, size_t msglen);
	void (*log)(void *arg, const char *line);
};

/* Answer @r into @out. */
void web_handle(const struct web_ops *ops, const struct web_req *r,
		struct web_resp *out);

/* The page, from page/index.html (obj/page.c, generated). */
extern const unsigned char memctld_page[];
extern const size_t memctld_page_len;

#endif /* MEMCTLD_WEB_H */
