// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld: the status page's endpoints (web.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web.h"

#ifndef MEMCTLD_VERSION
#define MEMCTLD_VERSION "0.0.0"
#endif

#define TIER_PAGE	4096ULL		/* the tier counts 4 KiB pages */

/* ---- the history ---- */

void web_ring_add(struct web_ring *r, int64_t t,
		  const struct memctl_cgroup_stats *rows, size_t n,
		  const struct memctl_tier *tier)
{
	struct web_sample s = { .t = t };
	size_t i;

	for (i = 0; i < n; i++) {
		s.usage += rows[i].usage;
		s.reclaimed_slab += rows[i].reclaimed_slab;
		s.reclaimed_file += rows[i].reclaimed_file;
		s.reclaimed_anon += rows[i].reclaimed_anon;
	}
	if (tier) {
		s.tier_stored = tier->stored_pages * TIER_PAGE;
		s.tier_compressed = tier->compressed_bytes;
	}
	r->v[r->head] = s;
	r->head = (r->head + 1) % WEB_RING;
	if (r->n < WEB_RING)
		r->n++;
}

/* ---- JSON ---- */

static void json_str(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_u64(FILE *f, const char *key, uint64_t v, bool comma)
{
	fprintf(f, "\"%s\":%" PRIu64 "%s", key, v, comma ? "," : "");
}

static void write_cgroup(FILE *f, const struct memctl_cgroup_stats *s)
{
	fputs("{\"path\":", f);
	json_str(f, s->cgroup.path[0] ? s->cgroup.path : "/");
	fputc(',', f);
	json_u64(f, "id", s->cgroup.id, true);
	json_u64(f, "usage", s->usage, true);
	json_u64(f, "anon", s->anon, true);
	json_u64(f, "file", s->file, true);
	json_u64(f, "slab_reclaimable", s->slab_reclaimable, true);
	json_u64(f, "slab_unreclaimable", s->slab_unreclaimable, true);
	json_u64(f, "swap", s->swap, true);
	json_u64(f, "high", s->high, true);
	json_u64(f, "target", s->target, true);
	json_u64(f, "episodes", s->episodes, true);
	json_u64(f, "reclaimed_slab", s->reclaimed_slab, true);
	json_u64(f, "reclaimed_file", s->reclaimed_file, true);
	json_u64(f, "reclaimed_anon", s->reclaimed_anon, true);
	json_u64(f, "tier_stored", s->tier_stored_pages * TIER_PAGE, true);
	json_u64(f, "tier_compressed", s->tier_compressed_bytes, false);
	fputc('}', f);
}

static void write_tier(FILE *f, const struct memctl_tier *t)
{
	fputs("{\"device\":", f);
	json_str(f, t->device);
	fputs(",\"algo\":", f);
	json_str(f, t->algo);
	fprintf(f, ",\"in_use\":%s,", t->in_use ? "true" : "false");
	json_u64(f, "size", t->size, true);
	json_u64(f, "stored", t->stored_pages * TIER_PAGE, true);
	json_u64(f, "compressed", t->compressed_bytes, true);
	json_u64(f, "pool", t->pool_bytes, true);
	json_u64(f, "stores", t->stores, true);
	json_u64(f, "loads", t->loads, true);
	/*
	 * The backing device (where the tier writes back) is not something
	 * this module has: null, which the page shows as "none".
	 */
	fputs("\"backing\":null}", f);
}

static void write_history(FILE *f, const struct web_ring *r)
{
	static const struct {
		const char *key;
		size_t off;
	} cols[] = {
		{ "t", offsetof(struct web_sample, t) },
		{ "usage", offsetof(struct web_sample, usage) },
		{ "reclaimed_slab", offsetof(struct web_sample, reclaimed_slab) },
		{ "reclaimed_file", offsetof(struct web_sample, reclaimed_file) },
		{ "reclaimed_anon", offsetof(struct web_sample, reclaimed_anon) },
		{ "tier_stored", offsetof(struct web_sample, tier_stored) },
		{ "tier_compressed", offsetof(struct web_sample, tier_compressed) },
	};
	size_t c, i, first = r ? (r->head + WEB_RING - r->n) % WEB_RING : 0;

	fprintf(f, "{\"interval\":%d", WEB_SAMPLE_S);
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		fprintf(f, ",\"%s\":[", cols[c].key);
		for (i = 0; r && i < r->n; i++) {
			const char *s = (const char *)&r->v[(first + i) % WEB_RING];
			uint64_t v;

			memcpy(&v, s + cols[c].off, sizeof(v));
			if (c == 0)
				fprintf(f, "%s%" PRId64, i ? "," : "", (int64_t)v);
			else
				fprintf(f, "%s%" PRIu64, i ? "," : "", v);
		}
		fputc(']', f);
	}
	fputc('}', f);
}

int web_status_write(FILE *f, const struct web_status *s)
{
	const struct agent_stats *a = s->agent;
	size_t i;

	fputs("{\"memctld\":", f);
	json_str(f, MEMCTLD_VERSION);
	fprintf(f, ",\"time\":%" PRId64 ",\"writable\":%s,\"module\":",
		s->now, s->writable ? "true" : "false");
	if (s->info) {
		fputs("{\"loaded\":true,\"version\":", f);
		json_str(f, s->info->version);
		fputs("}", f);
	} else {
		fputs("{\"loaded\":false}", f);
	}
	fputs(",\"tier\":", f);
	if (s->tier)
		write_tier(f, s->tier);
	else
		fputs("null", f);
	fputs(",\"agent\":{", f);
	json_u64(f, "rules", a->rules, true);
	json_u64(f, "cgroups", a->cgroups, true);
	json_u64(f, "managed", a->managed, true);
	json_u64(f, "applies", a->applies, true);
	json_u64(f, "apply_errors", a->apply_errors, false);
	fputs("},\"cgroups\":[", f);
	for (i = 0; i < s->n; i++) {
		if (i)
			fputc(',', f);
		write_cgroup(f, &s->rows[i]);
	}
	fputs("],\"history\":", f);
	write_history(f, s->ring);
	fputs("}\n", f);
	return ferror(f) ? -EIO : 0;
}

/* ---- POST /api/tier ---- */

/* %XX and '+' of a form value, in place; false for a bad escape. */
static bool form_decode(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%') {
			char hex[3] = { s[1], s[1] ? s[2] : 0, 0 };
			char *end;
			long v;

			if (!hex[0] || !hex[1])
				return false;
			v = strtol(hex, &end, 16);
			if (*end || v <= 0)
				return false;
			*o++ = (char)v;
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return true;
}

int web_parse_tier(const char *body, size_t len, struct web_tier_change *c,
		   char *msg, size_t msglen)
{
	char buf[WEB_BODY_MAX + 1], *save = NULL, *kv;
	bool got_state = false, got_size = false;

	c->state = -1;
	c->size = 0;
	if (len > WEB_BODY_MAX) {
		snprintf(msg, msglen, "the request is too long (%d bytes at most)",
			 WEB_BODY_MAX);
		return -EINVAL;
	}
	memcpy(buf, body, len);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		snprintf(msg, msglen, "the request has a NUL byte");
		return -EINVAL;
	}
	/* a trailing newline (curl -d @file) is not part of a value */
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	for (kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *val = strchr(kv, '=');

		if (!val) {
			snprintf(msg, msglen, "'%.40s' is not KEY=VALUE", kv);
			return -EINVAL;
		}
		*val++ = '\0';
		if (!form_decode(kv) || !form_decode(val)) {
			snprintf(msg, msglen, "a bad %%-escape in '%.40s'", kv);
			return -EINVAL;
		}
		if (!strcmp(kv, "state")) {
			if (got_state) {
				snprintf(msg, msglen, "state is given twice");
				return -EINVAL;
			}
			got_state = true;
			if (!strcmp(val, "on")) {
				c->state = 1;
			} else if (!strcmp(val, "off")) {
				c->state = 0;
			} else {
				snprintf(msg, msglen, "invalid state '%.40s' (on or off)",
					 val);
				return -EINVAL;
			}
		} else if (!strcmp(kv, "size")) {
			if (got_size) {
				snprintf(msg, msglen, "size is given twice");
				return -EINVAL;
			}
			got_size = true;
			if (memctl_parse_size(val, &c->size) ||
			    c->size < MEMCTL_TIER_SIZE_MIN ||
			    c->size > MEMCTL_TIER_SIZE_MAX) {
				snprintf(msg, msglen, "invalid size '%.40s' (1M to 4T, e.g. 256M)",
					 val);
				return -EINVAL;
			}
		} else {
			snprintf(msg, msglen, "unknown key '%.40s' (state, size)", kv);
			return -EINVAL;
		}
	}
	if (!got_state && !got_size) {
		snprintf(msg, msglen, "nothing to change: give state=on|off and/or size=SIZE");
		return -EINVAL;
	}
	if (c->state == 0 && got_size) {
		snprintf(msg, msglen, "state=off takes no size");
		return -EINVAL;
	}
	return 0;
}

/* ---- the token ---- */

int web_auth(const char *token, size_t tlen, const char *authz)
{
	static const char bearer[] = "Bearer ";
	const unsigned char *a, *t = (const unsigned char *)token;
	unsigned char diff = 0;
	size_t alen, i;

	if (!token)
		return -EACCES;
	if (!authz || strncasecmp(authz, bearer, sizeof(bearer) - 1))
		return -EPERM;
	a = (const unsigned char *)authz + sizeof(bearer) - 1;
	alen = strlen((const char *)a);
	/* the time depends on the length given, never on the token's bytes */
	diff = alen != tlen;
	for (i = 0; i < alen; i++)
		diff |= a[i] ^ (i < tlen ? t[i] : 0);
	return diff ? -EPERM : 0;
}

int web_load_token(const char *path, char **token, size_t *tlen, char *msg,
		   size_t msglen)
{
	char buf[4097];
	struct stat st;
	ssize_t n;
	size_t i;
	int fd, err = 0;

	*token = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		err = -errno;
		snprintf(msg, msglen, "--token-file %s: %s", path, strerror(errno));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		snprintf(msg, msglen, "--token-file %s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		snprintf(msg, msglen, "--token-file %s: not a regular file", path);
	} else if (st.st_uid != 0 || (st.st_mode & 077)) {
		err = -EPERM;
		snprintf(msg, msglen, "--token-file %s: must be owned by root and not readable or writable by group or others (chown root %s; chmod 600 %s)",
			 path, path, path);
	}
	if (err) {
		close(fd);
		return err;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(msg, msglen, "--token-file %s: %s", path, strerror(errno));
		return -EIO;
	}
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	for (i = 0; i < (size_t)n; i++)
		if (buf[i] <= ' ' || buf[i] == 0x7f)
			break;
	if (n < 16 || i != (size_t)n || (size_t)n == sizeof(buf) - 1) {
		snprintf(msg, msglen, "--token-file %s: want one line of 16 to 4095 printable characters, no spaces",
			 path);
		return -EINVAL;
	}
	*token = strdup(buf);
	if (!*token) {
		snprintf(msg, msglen, "out of memory");
		return -ENOMEM;
	}
	*tlen = (size_t)n;
	return 0;
}

/* ---- requests ---- */

static void reply(struct web_resp *out, unsigned int status, const char *text)
{
	out->status = status;
	out->type = "text/plain; charset=utf-8";
	out->body = (char *)text;
	out->len = strlen(text);
	out->must_free = false;
}

static void reply_msg(struct web_resp *out, unsigned int status, const char *msg)
{
	char *b;

	if (asprintf(&b, "%s\n", msg) < 0) {
		reply(out, 500, "out of memory\n");
		return;
	}
	reply(out, status, b);
	out->must_free = true;
}

static void logf_(const struct web_ops *ops, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logf_(const struct web_ops *ops, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ops->log(ops->arg, line);
}

/* "state=on size=256M" for the log: what was asked. */
static void describe(const struct web_tier_change *c, char *buf, size_t len)
{
	char size[32] = "";

	if (c->size)
		snprintf(size, sizeof(size), "%ssize=%" PRIu64,
			 c->state >= 0 ? " " : "", c->size);
	snprintf(buf, len, "%s%s", c->state < 0 ? "" : c->state ? "state=on" :
		 "state=off", size);
}

static void tier_post(const struct web_ops *ops, const struct web_req *r,
		      struct web_resp *out)
{
	const char *who = r->client ? r->client : "?";
	struct web_tier_change c;
	char msg[256], what[64];
	unsigned int status;
	int err;

	err = web_auth(ops->token, ops->token_len, r->authz);
	if (err == -EACCES) {
		logf_(ops, "tier change from %s refused (403): the page is read-only (no --token-file)",
		      who);
		reply(out, 403, "read-only: memctld runs without --token-file\n");
		return;
	}
	if (err) {
		logf_(ops, "tier change from %s refused (401): %s token", who,
		      r->authz ? "a wrong" : "no");
		reply(out, 401, "a valid 'Authorization: Bearer TOKEN' is needed\n");
		return;
	}
	if (r->body_too_long ||
	    web_parse_tier(r->body ? r->body : "", r->body_len, &c, msg,
			   sizeof(msg))) {
		if (r->body_too_long)
			snprintf(msg, sizeof(msg), "the request is too long (%d bytes at most)",
				 WEB_BODY_MAX);
		logf_(ops, "tier change from %s refused (400): %s", who, msg);
		reply_msg(out, 400, msg);
		return;
	}
	describe(&c, what, sizeof(what));
	msg[0] = '\0';
	status = ops->tier_change ? ops->tier_change(ops->arg, &c, msg, sizeof(msg)) : 500;
	if (!msg[0])
		snprintf(msg, sizeof(msg), status == 200 ? "done" : "failed");
	logf_(ops, "tier change from %s: %s: %s (%u)", who, what, msg, status);
	reply_msg(out, status, msg);
}

void web_handle(const struct web_ops *ops, const struct web_req *r,
		struct web_resp *out)
{
	bool get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
	char *(*body)(void *, size_t *) = NULL;
	const char *type = NULL;

	memset(out, 0, sizeof(*out));
	if (!strcmp(r->url, "/api/tier")) {
		if (strcmp(r->method, "POST")) {
			reply(out, 405, "only POST\n");
			out->allow = "POST";
			return;
		}
		tier_post(ops, r, out);
		return;
	}
	if (!strcmp(r->url, "/metrics")) {
		body = ops->metrics;
		type = "text/plain; version=0.0.4; charset=utf-8";
	} else if (!strcmp(r->url, "/api/status")) {
		body = ops->status;
		type = "application/json";
	} else if (!strcmp(r->url, "/") || !strcmp(r->url, "/index.html")) {
		if (!get) {
			reply(out, 405, "only GET and HEAD\n");
			out->allow = "GET, HEAD";
			return;
		}
		out->status = 200;
		out->type = "text/html; charset=utf-8";
		out->body = (char *)memctld_page;
		out->len = memctld_page_len;
		return;
	} else {
		reply(out, 404, "not found: memctld serves /, /api/status, /api/tier and /metrics\n");
		return;
	}
	if (!get) {
		reply(out, 405, "only GET and HEAD\n");
		out->allow = "GET, HEAD";
		return;
	}
	out->body = body ? body(ops->arg, &out->len) : NULL;
	if (!out->body) {
		reply(out, 500, "cannot read the statistics\n");
		return;
	}
	out->status = 200;
	out->type = type;
	out->must_free = true;
}
