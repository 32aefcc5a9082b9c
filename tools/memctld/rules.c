// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld: rules (rules.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"
#include "fields.h"
#include "glob.h"
#include "rules.h"

void rules_free(struct rules *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

int rules_load(const char *file, struct rules *out, FILE *err)
{
	struct apply_ctx ctx;
	struct stat st;
	FILE *in;
	size_t i;
	int ret;

	rules_free(out);
	in = fopen(file, "re");
	if (!in)
		return -errno;
	if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(in);
		return -EISDIR;
	}
	apply_init(&ctx, file, err);
	ret = apply_parse(&ctx, in);
	fclose(in);
	if (ret == 0 && ctx.nr) {
		out->v = calloc(ctx.nr, sizeof(*out->v));
		if (!out->v)
			ret = -ENOMEM;
	}
	if (ret == 0) {
		for (i = 0; i < ctx.nr; i++) {
			struct rule *r = &out->v[i];

			r->line = ctx.entries[i].line;
			r->policy = ctx.entries[i].want;
			memcpy(r->pattern, r->policy.cgroup.path,
			       sizeof(r->pattern));
			memset(&r->policy.cgroup, 0, sizeof(r->policy.cgroup));
		}
		out->n = ctx.nr;
	}
	apply_free(&ctx);
	return ret;
}

int rules_match(const struct rules *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (cg_glob_match(r->v[i].pattern, path))
			return (int)i;
	return -1;
}

bool policy_same(const struct memctl_policy *a, const struct memctl_policy *b)
{
	struct memctl_policy x, y;
	size_t i;

	/* tier off binds only when said: unsaid and off differ */
	if ((a->set ^ b->set) & MEMCTL_POLICY_F_TIER)
		return false;
	apply_fill_defaults(a, &x);
	apply_fill_defaults(b, &y);
	for (i = 0; i < nr_policy_fields; i++)
		if (policy_field_value(&policy_fields[i], &x) !=
		    policy_field_value(&policy_fields[i], &y))
			return false;
	return true;
}
