// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmemctl helpers: sizes, durations, reclaim classes and the names of the
 * UAPI's enums, for the CLI and for agents that take the same input.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Up to this many fraction digits count; 10^18 < 2^63 keeps the math exact. */
#define FRAC_DIGITS_MAX 18

/*
 * floor(frac / denom * mult) for frac < denom <= 10^18, by long
 * multiplication over the bits of @mult: q * denom + r = frac * (the bits
 * of @mult seen so far), and the remainder r stays below 2 * denom < 2^63.
 */
static uint64_t frac_mul(uint64_t frac, uint64_t denom, uint64_t mult)
{
	uint64_t q = 0, r = 0;
	int bit;

	for (bit = 63; bit >= 0; bit--) {
		q <<= 1;
		r <<= 1;
		if (r >= denom) {
			r -= denom;
			q++;
		}
		if ((mult >> bit) & 1) {
			r += frac;
			if (r >= denom) {
				r -= denom;
				q++;
			}
		}
	}
	return q;
}

/*
 * The decimal digits at @p into *@v; *@overflow set if they pass
 * UINT64_MAX.  Return: the first character past them.
 */
static const char *parse_digits(const char *p, uint64_t *v, bool *overflow)
{
	for (; is_digit(*p); p++) {
		unsigned int d = *p - '0';

		if (*v > (UINT64_MAX - d) / 10)
			*overflow = true;
		else
			*v = *v * 10 + d;
	}
	return p;
}

/*
 * The digits after a decimal point at @p as @frac / @denom, keeping the
 * first FRAC_DIGITS_MAX.  Return: the first character past them, or NULL
 * when there is no digit.
 */
static const char *parse_fraction(const char *p, uint64_t *frac,
				  uint64_t *denom)
{
	unsigned int ndigits = 0;

	if (!is_digit(*p))
		return NULL;
	for (; is_digit(*p); p++) {
		if (ndigits == FRAC_DIGITS_MAX)
			continue;
		*frac = *frac * 10 + (unsigned int)(*p - '0');
		*denom *= 10;
		ndigits++;
	}
	return p;
}

MEMCTL_API int memctl_parse_size(const char *str, uint64_t *bytes)
{
	static const char units[] = "kmgtpe";
	uint64_t ipart = 0, frac = 0, denom = 1, mult = 1, v;
	unsigned int i, power = 0;
	bool overflow = false, has_frac = false, decimal = false;
	const char *p = str, *u;

	if (!str || !bytes || !is_digit(*p))
		return -EINVAL;

	p = parse_digits(p, &ipart, &overflow);
	if (*p == '.') {
		has_frac = true;
		/* digits past FRAC_DIGITS_MAX are below a byte at any unit */
		p = parse_fraction(p + 1, &frac, &denom);
		if (!p)
			return -EINVAL;
	}
	/* K, KiB: 1024; KB: 1000 (util-linux's reading); B alone: bytes */
	if (*p && (u = strchr(units, *p | 0x20)) != NULL) {
		power = (unsigned int)(u - units + 1);
		p++;
		if ((*p | 0x20) == 'i') {
			p++;
			if ((*p | 0x20) != 'b')
				return -EINVAL;
			p++;
		} else if ((*p | 0x20) == 'b') {
			decimal = true;
			p++;
		}
	} else if ((*p | 0x20) == 'b') {
		p++;
	}
	if (*p)
		return -EINVAL;
	if (has_frac && !power)
		return -EINVAL;		/* no fractions of a byte */
	for (i = 0; i < power; i++)
		mult *= decimal ? 1000 : 1024;	/* at most 2^60 or 10^18 */
	if (overflow || ipart > UINT64_MAX / mult)
		return -ERANGE;

	v = ipart * mult;
	if (has_frac) {
		uint64_t f = frac_mul(frac, denom, mult);

		if (v > UINT64_MAX - f)
			return -ERANGE;
		v += f;
	}
	*bytes = v;
	return 0;
}

MEMCTL_API int memctl_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned int i = 0;
	uint64_t unit = 1024, q, r, tenths;
	int n;

	if (!buf || !len)
		return -ENOSPC;
	if (bytes < 1024) {
		n = snprintf(buf, len, "%llu", (unsigned long long)bytes);
		goto out;
	}
	while (i + 1 < sizeof(units) - 1 && bytes / unit >= 1024) {
		unit <<= 10;
		i++;
	}
	q = bytes / unit;
	r = bytes % unit;
	if (!r) {
		n = snprintf(buf, len, "%llu%c", (unsigned long long)q, units[i]);
		goto out;
	}
	/* r < unit <= 2^60, so r * 10 fits. */
	tenths = (r * 10 + unit / 2) / unit;
	if (tenths == 10) {
		q++;
		tenths = 0;
		if (q == 1024 && i + 1 < sizeof(units) - 1) {
			q = 1;
			i++;
		}
	}
	n = snprintf(buf, len, "%llu.%llu%c", (unsigned long long)q,
		     (unsigned long long)tenths, units[i]);
out:
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -ENOSPC;
	}
	return 0;
}

MEMCTL_API int memctl_parse_duration_ms(const char *str, uint32_t *ms)
{
	static const struct { const char *suffix; uint64_t mult; } units[] = {
		{ "", 1 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 },
	};
	uint64_t v = 0;
	bool overflow = false;
	const char *p = str;
	size_t i;

	if (!str || !ms || !is_digit(*p))
		return -EINVAL;
	p = parse_digits(p, &v, &overflow);
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcasecmp(p, units[i].suffix))
			break;
	if (i == ARRAY_SIZE(units))
		return -EINVAL;
	if (overflow || v > UINT32_MAX / units[i].mult)
		return -ERANGE;
	*ms = (uint32_t)(v * units[i].mult);
	return 0;
}

MEMCTL_API int memctl_parse_duration(const char *str, uint32_t *ms)
{
	static const struct { const char *unit; uint64_t mult; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "msec", 1 }, { "s", 1000 },
		{ "sec", 1000 }, { "m", 60000 }, { "min", 60000 },
		{ "h", 3600000 }, { "hr", 3600000 }, { "d", 86400000 },
	};
	uint64_t ipart = 0, frac = 0, denom = 1, v;
	bool overflow = false;
	const char *p = str;
	size_t i;

	if (!str || !ms || !is_digit(*p))
		return -EINVAL;
	p = parse_digits(p, &ipart, &overflow);
	if (*p == '.') {
		/* digits past FRAC_DIGITS_MAX are below a millisecond */
		p = parse_fraction(p + 1, &frac, &denom);
		if (!p)
			return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcasecmp(p, units[i].unit))
			break;
	if (i == ARRAY_SIZE(units))
		return -EINVAL;
	if (overflow || ipart > UINT32_MAX / units[i].mult)
		return -ERANGE;
	v = ipart * units[i].mult + frac_mul(frac, denom, units[i].mult);
	if (v > UINT32_MAX)
		return -ERANGE;
	*ms = (uint32_t)v;
	return 0;
}

MEMCTL_API int memctl_format_duration_ms(uint32_t ms, char *buf, size_t len)
{
	int n;

	if (!buf || !len)
		return -ENOSPC;
	if (ms && ms % 3600000 == 0)
		n = snprintf(buf, len, "%uh", ms / 3600000);
	else if (ms && ms % 60000 == 0)
		n = snprintf(buf, len, "%um", ms / 60000);
	else if (ms && ms % 1000 == 0)
		n = snprintf(buf, len, "%us", ms / 1000);
	else
		n = snprintf(buf, len, "%ums", ms);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -ENOSPC;
	}
	return 0;
}

static const struct {
	uint32_t bit;
	const char *name;
} class_names[] = {
	{ MEMCTL_F_CLASS_SLAB, "slab" },
	{ MEMCTL_F_CLASS_FILE, "file" },
	{ MEMCTL_F_CLASS_ANON, "anon" },
};

MEMCTL_API int memctl_parse_classes(const char *str, uint32_t *classes)
{
	uint32_t mask = 0;
	const char *p = str;

	if (!str || !classes || !*str)
		return -EINVAL;
	for (;;) {
		size_t n = strcspn(p, ","), i;

		if (!n)
			return -EINVAL;		/* empty item */
		if (n == 3 && !strncasecmp(p, "all", 3)) {
			mask |= __MEMCTL_F_CLASS_ALL;
		} else {
			for (i = 0; i < ARRAY_SIZE(class_names); i++)
				if (strlen(class_names[i].name) == n &&
				    !strncasecmp(p, class_names[i].name, n))
					break;
			if (i == ARRAY_SIZE(class_names))
				return -EINVAL;
			mask |= class_names[i].bit;
		}
		p += n;
		if (!*p)
			break;
		p++;	/* the comma; an item must follow */
	}
	*classes = mask;
	return 0;
}

MEMCTL_API int memctl_format_classes(uint32_t classes, char *buf, size_t len)
{
	size_t off = 0, i;
	int n;

	if (!buf || !len)
		return -ENOSPC;
	buf[0] = '\0';
	if (!classes) {
		n = snprintf(buf, len, "none");
		goto check;
	}
	for (i = 0; i < ARRAY_SIZE(class_names); i++) {
		if (!(classes & class_names[i].bit))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? "," : "",
			     class_names[i].name);
		if (n < 0 || (size_t)n >= len - off)
			goto nospc;
		off += n;
		classes &= ~class_names[i].bit;
	}
	if (!classes)
		return 0;
	n = snprintf(buf + off, len - off, "%s0x%x", off ? "," : "", classes);
	if (n < 0 || (size_t)n >= len - off)
		goto nospc;
	return 0;
check:
	if (n >= 0 && (size_t)n < len)
		return 0;
nospc:
	buf[0] = '\0';
	return -ENOSPC;
}

MEMCTL_API const char *memctl_class_name(uint32_t class_bit)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(class_names); i++)
		if (class_names[i].bit == class_bit)
			return class_names[i].name;
	return NULL;
}

MEMCTL_API const char *memctl_feature_name(uint32_t feature)
{
	switch (feature) {
	case MEMCTL_F_FEAT_POLICY:	return "policy";
	case MEMCTL_F_FEAT_RECLAIM:	return "reclaim";
	case MEMCTL_F_FEAT_TIER:	return "tier";
	case MEMCTL_F_FEAT_PSI:		return "psi";
	default:			return NULL;
	}
}

MEMCTL_API const char *memctl_stop_name(uint32_t stop)
{
	switch (stop) {
	case 0:				return "none";
	case MEMCTL_STOP_TARGET:	return "target";
	case MEMCTL_STOP_PRESSURE:	return "pressure";
	case MEMCTL_STOP_NO_PROGRESS:	return "no-progress";
	case MEMCTL_STOP_TIER_CAP:	return "tier-cap";
	case MEMCTL_STOP_CANCELLED:	return "cancelled";
	case MEMCTL_STOP_TIME_LIMIT:	return "time-limit";
	case MEMCTL_STOP_STEP_LIMIT:	return "step-limit";
	default:			return "unknown";
	}
}

MEMCTL_API const char *memctl_trigger_name(uint32_t trigger)
{
	switch (trigger) {
	case MEMCTL_TRIGGER_POLICY:	return "policy";
	case MEMCTL_TRIGGER_ONESHOT:	return "oneshot";
	case MEMCTL_TRIGGER_AUTO:	return "auto";
	default:			return "unknown";
	}
}

MEMCTL_API const char *memctl_policy_event_name(uint32_t event)
{
	switch (event) {
	case MEMCTL_POLICY_EVENT_CREATED:	 return "created";
	case MEMCTL_POLICY_EVENT_CHANGED:	 return "changed";
	case MEMCTL_POLICY_EVENT_DELETED:	 return "deleted";
	case MEMCTL_POLICY_EVENT_CGROUP_REMOVED: return "cgroup-removed";
	default:				 return "unknown";
	}
}

MEMCTL_API const char *memctl_tier_event_name(uint32_t event)
{
	switch (event) {
	case MEMCTL_TIER_EVENT_CREATED:		return "created";
	case MEMCTL_TIER_EVENT_DELETED:		return "deleted";
	case MEMCTL_TIER_EVENT_FULL:		return "full";
	case MEMCTL_TIER_EVENT_CAP_EXCEEDED:	return "cap-exceeded";
	default:				return "unknown";
	}
}

MEMCTL_API const char *memctl_event_type_name(uint32_t type)
{
	switch (type) {
	case MEMCTL_EVENT_POLICY:	return "policy";
	case MEMCTL_EVENT_RECLAIM:	return "reclaim";
	case MEMCTL_EVENT_TIER:		return "tier";
	case MEMCTL_EVENT_MODULE:	return "module";
	default:			return "unknown";
	}
}

MEMCTL_API const char *memctl_module_event_name(uint32_t event)
{
	switch (event) {
	case MEMCTL_MODULE_UNLOADED:	return "unloaded";
	case MEMCTL_MODULE_LOADED:	return "loaded";
	default:			return "unknown";
	}
}

MEMCTL_API const char *memctl_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case ENOPROTOOPT:
		return "the memctl kernel module is not loaded";
	case ESHUTDOWN:
		return "the memctl kernel module was unloaded";
	case ENOENT:
		return "no such cgroup";
	case ENODATA:
		return "no such policy or tier";
	case ETIMEDOUT:
		return "the memctl kernel module did not answer in time";
	case EPERM:
		return "not permitted: this needs CAP_SYS_ADMIN in the initial user namespace";
	case EUSERS:
		return "too many event subscribers";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
