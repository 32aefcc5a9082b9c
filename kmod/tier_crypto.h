/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tier's compressor glue: one synchronous compressor of the kernel
 * crypto API, by name, through whichever interface the kernel offers
 * (tier_crypto.c).  A handle is used by one CPU at a time.
 */
#ifndef _MEMCTL_TIER_CRYPTO_H
#define _MEMCTL_TIER_CRYPTO_H

#include <linux/types.h>

struct memctl_crypto;

bool memctl_crypto_has(const char *name);
struct memctl_crypto *memctl_crypto_alloc(const char *name, int node);
void memctl_crypto_free(struct memctl_crypto *c);
int memctl_crypto_compress(struct memctl_crypto *c, const void *src,
			   unsigned int slen, void *dst, unsigned int *dlen);
int memctl_crypto_decompress(struct memctl_crypto *c, const void *src,
			     unsigned int slen, void *dst, unsigned int *dlen);

#endif /* _MEMCTL_TIER_CRYPTO_H */
