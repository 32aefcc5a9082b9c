/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compression front end of the compressed tier: a kernel crypto API
 * compressor with one stream (transform + output buffer) per CPU, and the
 * cheap tests that decide how a page is stored.
 */
#ifndef _MEMCTL_TIER_COMP_H
#define _MEMCTL_TIER_COMP_H

#include <linux/cpuhotplug.h>
#include <linux/local_lock.h>
#include <linux/types.h>

struct memctl_crypto;

/* A compressor memctl accepts, by its crypto API name. */
struct memctl_comp_algo {
	const char *name;
	/*
	 * The compressor stops, with an error, as soon as its output would
	 * pass the size it is given, so a page that does not compress enough
	 * costs only part of a compression.
	 */
	bool bounded;
};

/* One CPU's stream. */
struct memctl_comp_strm {
	/* Makes the stream this CPU's own: protects crypto's state and buffer. */
	local_lock_t lock;
	struct memctl_crypto *crypto;	/* tier_crypto.c */
	void *buffer;		/* compressed output, 2 pages */
};

struct memctl_comp {
	const struct memctl_comp_algo *algo;
	struct memctl_comp_strm __percpu *strms;
	struct hlist_node node;	/* instance of the CPU hotplug state */
};

const struct memctl_comp_algo *memctl_comp_find(const char *name);

struct memctl_comp *memctl_comp_create(const struct memctl_comp_algo *algo);
void memctl_comp_destroy(struct memctl_comp *comp);

struct memctl_comp_strm *memctl_comp_get(struct memctl_comp *comp);
void memctl_comp_put(struct memctl_comp *comp);

int memctl_comp_compress(struct memctl_comp *comp,
			 struct memctl_comp_strm *strm, const void *src,
			 unsigned int limit, unsigned int *len);
int memctl_comp_decompress(struct memctl_comp_strm *strm, const void *src,
			   unsigned int len, void *dst);

bool memctl_comp_same_filled(const void *page, unsigned long *value);
bool memctl_comp_looks_random(const void *page);

int memctl_comp_init(void);
void memctl_comp_exit(void);

#endif /* _MEMCTL_TIER_COMP_H */
