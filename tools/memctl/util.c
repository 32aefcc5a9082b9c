// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl CLI helpers: the one-line messages behind the exit statuses,
 * argument parsing, and output formatting.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool json_output;
const char *cur_cmd;

/* "memctl: policy set: MESSAGE (see 'memctl policy set --help')" */
int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("memctl: ", stderr);
	if (cur_cmd)
		fprintf(stderr, "%s: ", cur_cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'memctl %s%s--help')\n", cur_cmd ? cur_cmd : "",
		cur_cmd ? " " : "");
	return EXIT_USAGE;
}

/* memctl is not there: exactly one line, exit 2. */
int unavailable(int err)
{
	if (err == -ENOENT || err == -ENOPROTOOPT)
		fprintf(stderr, "memctl: the memctl kernel module is not loaded "
			"(modprobe memctl)\n");
	else if (err == -ESHUTDOWN)
		fprintf(stderr, "memctl: the memctl kernel module was unloaded "
			"(modprobe memctl)\n");
	else
		fprintf(stderr, "memctl: cannot reach the memctl kernel module: "
			"%s\n", strerror(-err));
	return EXIT_UNAVAILABLE;
}

/*
 * Standard output did not take what was written (a full disk, /dev/full):
 * one line however many writes failed, exit 1.  @err: the errno, or 0.
 */
int output_error(int err)
{
	static bool said;

	if (!said)
		fprintf(stderr, "memctl: cannot write the output%s%s\n",
			err ? ": " : "", err ? strerror(err) : "");
	said = true;
	return EXIT_REFUSED;
}

int flush_stdout(void)
{
	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return EXIT_OK;
	return output_error(errno);
}

int open_memctl(struct memctl **mc)
{
	int err = memctl_open_opts(mc, NULL);

	return err ? unavailable(err) : EXIT_OK;
}

/*
 * Refusals the CLI words itself: the kernel speaks to netlink programs
 * ("create it with TIER_SET"), the CLI's user wants the command to type.
 */
static const struct {
	const char *what;	/* kernel_error()'s WHAT */
	int err;
	const char *msg;
} own_words[] = {
	{ "tier show", -ENODATA, "there is no compressed tier: create one with "
	  "'memctl tier set size SIZE'" },
	{ "tier show", -ENOENT, "there is no compressed tier: create one with "
	  "'memctl tier set size SIZE'" },
	{ "tier set", -EEXIST, "the compressed tier exists already: remove it "
	  "first with 'memctl tier del' (after swapoff)" },
	{ "tier del", -ENODATA, "there is no compressed tier to delete" },
	{ "tier del", -ENOENT, "there is no compressed tier to delete" },
	{ "monitor", -EUSERS, "too many event subscribers: the module's "
	  "limit is reached (see memctl(8)); stop another monitor or agent" },
	{ "monitor", -EOPNOTSUPP, "the loaded memctl module has no event "
	  "subscription: it is older than this memctl; load the module of the "
	  "same version" },
};

/*
 * "memctl: WHAT: strerror[ (hint)][: kernel message]", or "memctl: WHAT:
 * the CLI's own words" for the refusals above; exit 1.
 */
int kernel_error(struct memctl *mc, int err, const char *fmt, ...)
{
	const char *msg = memctl_errmsg(mc);
	char *what;
	va_list ap;
	size_t i;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (n < 0)
		what = NULL;
	/* The module went away during the command: as if never there. */
	if (err == -ESHUTDOWN || err == -ENOPROTOOPT) {
		free(what);
		return unavailable(err);
	}
	for (i = 0; what && i < sizeof(own_words) / sizeof(own_words[0]); i++)
		if (err == own_words[i].err && !strcmp(what, own_words[i].what)) {
			fprintf(stderr, "memctl: %s: %s\n", what, own_words[i].msg);
			free(what);
			return EXIT_REFUSED;
		}
	/* libmemctl's words for its own codes (no policy, timeout...). */
	fprintf(stderr, "memctl: %s: %s", what ? what : "?",
		err == -ENODATA || err == -ETIMEDOUT ? memctl_strerror(err) :
		strerror(-err));
	free(what);
	/* Say what is missing, unless the kernel's message already does. */
	if (err == -EPERM && (!msg || !strstr(msg, "CAP_SYS_ADMIN")))
		fputs(" (this needs CAP_SYS_ADMIN: run it as root)", stderr);
	if (msg && *msg)
		fprintf(stderr, ": %s", msg);
	fputc('\n', stderr);
	return EXIT_REFUSED;
}

int parse_cgroup_arg(const char *arg, struct cgroup_arg *cg)
{
	int err;

	memset(cg, 0, sizeof(*cg));
	if (!strncmp(arg, "id:", 3)) {
		const char *p = arg + 3;
		char *end;

		if (*p < '0' || *p > '9')
			return usage_error("invalid cgroup id '%s'", arg);
		errno = 0;
		cg->id = strtoull(p, &end, 10);
		if (errno || *end || !cg->id)
			return usage_error("invalid cgroup id '%s'", arg);
		return 0;
	}
	if (arg[0] == '-')
		return usage_error("unknown option '%s'", arg);
	err = memctl_cgroup_normalize(arg, cg->path, sizeof(cg->path));
	if (err == -ENAMETOOLONG)
		return usage_error("cgroup path too long: '%.64s...'", arg);
	if (err)
		return usage_error("invalid cgroup '%s': give an absolute path "
				   "or id:NUMBER", arg);
	return 0;
}

const char *cgroup_arg_name(const struct cgroup_arg *cg)
{
	static char buf[32];

	if (cg->path[0])
		return cg->path;
	snprintf(buf, sizeof(buf), "id:%llu", (unsigned long long)cg->id);
	return buf;
}

/*
 * A message for the caller to print its own way (a usage error, or a
 * FILE:LINE: error of `memctl apply`), malloc()ed; NULL when there is no
 * memory for it.
 */
char *msgf(const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : msg;
}

/* usage_error() with a message of msgf(), which it frees. */
int usage_error_msg(char *msg)
{
	int ret = usage_error("%s", msg ? msg : "out of memory");

	free(msg);
	return ret;
}

int check_size(const char *what, const char *val, uint64_t *out, char **msg)
{
	int err = memctl_parse_size(val, out);

	if (err == -ERANGE)
		*msg = msgf("%s '%s' is too large", what, val);
	else if (err)
		*msg = msgf("invalid %s '%s' (a size such as 512M or 1.5G)",
			    what, val);
	return err;
}

/*
 * A DURATION (memctl_parse_duration(): a bare number is seconds) of
 * @min .. @max milliseconds.  The messages say what a bare number is, so
 * that "interval 500" read as seconds is not taken for a typo.
 */
int check_duration(const char *what, const char *val, uint32_t min,
		   uint32_t max, uint32_t *out, char **msg)
{
	char lim[MEMCTL_DURATION_STR_MAX];
	bool bare = val[strspn(val, "0123456789.")] == '\0';
	uint32_t ms = 0;
	int err = memctl_parse_duration(val, &ms);

	if (err == -EINVAL) {
		*msg = msgf("invalid %s '%s' (a duration such as 500ms, 2s or "
			    "1m; a bare number is seconds)", what, val);
		return err;
	}
	if (!err && ms < min) {
		memctl_format_duration_ms(min, lim, sizeof(lim));
		*msg = msgf("%s '%s' is below the minimum, %s%s", what, val, lim,
			    bare ? " (a bare number is seconds)" : "");
		return -ERANGE;
	}
	if (err || ms > max) {
		memctl_format_duration_ms(max, lim, sizeof(lim));
		*msg = msgf("%s '%s' is above the maximum, %s%s", what, val, lim,
			    bare ? " (a bare number is seconds)" : "");
		return -ERANGE;
	}
	*out = ms;
	return 0;
}

/* A decimal integer up to @max, optionally followed by @suffix. */
int check_u32(const char *what, const char *val, const char *suffix,
	      uint32_t max, uint32_t *out, char **msg)
{
	unsigned long long v = 0;
	const char *p = val;

	if (*p < '0' || *p > '9')
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > max) {
			*msg = msgf("%s '%s' is out of range (0..%u)", what,
				    val, max);
			return -ERANGE;
		}
	}
	if (*p && (!suffix || strcmp(p, suffix)))
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	*msg = msgf("invalid %s '%s' (a number 0..%u)", what, val, max);
	return -EINVAL;
}

int check_classes(const char *what, const char *val, uint32_t *out,
		  char **msg)
{
	int err = memctl_parse_classes(val, out);

	if (err)
		*msg = msgf("invalid %s '%s' (a list of slab, file, anon, or "
			    "all)", what, val);
	return err;
}

int parse_size_arg(const char *what, const char *val, uint64_t *out)
{
	char *msg;

	return check_size(what, val, out, &msg) ? usage_error_msg(msg) : 0;
}

int parse_classes_arg(const char *what, const char *val, uint32_t *out)
{
	char *msg;

	return check_classes(what, val, out, &msg) ? usage_error_msg(msg) : 0;
}

/* Refuse what follows the @used arguments a command took. */
int no_more_args(int argc, char **argv, int used)
{
	if (argc > used)
		return usage_error("unexpected argument '%s'", argv[used]);
	return 0;
}

void json_classes(struct json *j, const char *key, uint32_t classes)
{
	uint32_t bit;

	json_key(j, key);
	json_arr_begin(j);
	for (bit = 1; bit; bit <<= 1) {
		const char *name;

		if (!(classes & bit))
			continue;
		name = memctl_class_name(bit);
		if (name) {
			json_str(j, name);
		} else {
			char hex[16];

			snprintf(hex, sizeof(hex), "0x%x", bit);
			json_str(j, hex);
		}
	}
	json_arr_end(j);
}

/* "cgroup" and "id"; null for what the kernel did not send. */
void json_cgroup(struct json *j, const struct memctl_cgroup *cg)
{
	json_kstr(j, "cgroup", cg->path[0] ? cg->path : NULL);
	if (cg->id)
		json_ku64(j, "id", cg->id);
	else
		json_knull(j, "id");
}

void table_init(struct table *t, int ncols, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->align = align;
}

/* A row of t->ncols cells; NULL prints "-". */
void table_add_row(struct table *t, const char *const *cells)
{
	int i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **grown = realloc(t->cells, cap * t->ncols * sizeof(*grown));

		if (!grown) {
			fputs("memctl: out of memory\n", stderr);
			exit(EXIT_REFUSED);
		}
		t->cells = grown;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *copy = strdup(cells[i] ? cells[i] : "-");

		if (!copy) {
			fputs("memctl: out of memory\n", stderr);
			exit(EXIT_REFUSED);
		}
		t->cells[t->nrows * t->ncols + i] = copy;
	}
	t->nrows++;
}

void table_add(struct table *t, ...)
{
	const char *cells[64];
	va_list ap;
	int i;

	va_start(ap, t);
	for (i = 0; i < t->ncols && i < 64; i++)
		cells[i] = va_arg(ap, const char *);
	va_end(ap);
	table_add_row(t, cells);
}

void table_print(struct table *t, FILE *f)
{
	size_t *width = calloc(t->ncols, sizeof(*width)), r;
	int c;

	if (!width)
		return;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t n = strlen(t->cells[r * t->ncols + c]);

			if (n > width[c])
				width[c] = n;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];
			bool last = c == t->ncols - 1;
			int w = (int)width[c];

			if (t->align[c] == 'r')
				fprintf(f, "%*s", w, s);
			else if (last)
				fputs(s, f);	/* no trailing blanks */
			else
				fprintf(f, "%-*s", w, s);
			fputs(last ? "\n" : "  ", f);
		}
	}
	free(width);
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

void kv_print(FILE *f, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "%-22s", key);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}
