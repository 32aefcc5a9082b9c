// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tier's compressor glue: a compressor of the kernel crypto API, by
 * name, through the interface this kernel has.
 *
 * - crypto_comp, the synchronous one-buffer interface, where the kernel
 *   still has it (MEMCTL_HAVE_CRYPTO_COMP);
 * - otherwise acomp, with one request per handle, synchronous
 *   implementations only (CRYPTO_ALG_ASYNC masked out) and plain virtual
 *   addresses (MEMCTL_HAVE_ACOMP_NONDMA): the call returns with the result,
 *   may run with preemption off, and copies nothing on the way.
 *
 * Either way the crypto API finds the compressor by the same names and
 * loads its module on demand.  Documentation/design.rst says why memctl
 * does not call the compression libraries directly.
 *
 * Both contracts: compress() fails, rather than writing past *dlen, when
 * the output does not fit; decompress() sets *dlen to the bytes written.
 */
#include <linux/err.h>
#include <linux/slab.h>

#include "tier_crypto.h"

#if defined(MEMCTL_HAVE_CRYPTO_COMP)

#include <linux/crypto.h>

struct memctl_crypto {
	struct crypto_comp *tfm;
};

bool memctl_crypto_has(const char *name)
{
	return crypto_has_comp(name, 0, 0) == 1;
}

struct memctl_crypto *memctl_crypto_alloc(const char *name, int node)
{
	struct memctl_crypto *c;
	int err;

	c = kzalloc_node(sizeof(*c), GFP_KERNEL, node);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->tfm = crypto_alloc_comp(name, 0, 0);
	if (IS_ERR(c->tfm)) {
		err = PTR_ERR(c->tfm);
		kfree(c);
		return ERR_PTR(err);
	}
	return c;
}

void memctl_crypto_free(struct memctl_crypto *c)
{
	crypto_free_comp(c->tfm);
	kfree(c);
}

int memctl_crypto_compress(struct memctl_crypto *c, const void *src,
			   unsigned int slen, void *dst, unsigned int *dlen)
{
	return crypto_comp_compress(c->tfm, src, slen, dst, dlen);
}

int memctl_crypto_decompress(struct memctl_crypto *c, const void *src,
			     unsigned int slen, void *dst, unsigned int *dlen)
{
	return crypto_comp_decompress(c->tfm, src, slen, dst, dlen);
}

#elif defined(MEMCTL_HAVE_ACOMP_NONDMA)

#include <crypto/acompress.h>

struct memctl_crypto {
	struct crypto_acomp *tfm;
	struct acomp_req *req;
};

bool memctl_crypto_has(const char *name)
{
	return crypto_has_acomp(name, 0, CRYPTO_ALG_ASYNC) == 1;
}

struct memctl_crypto *memctl_crypto_alloc(const char *name, int node)
{
	struct memctl_crypto *c;
	int err;

	c = kzalloc_node(sizeof(*c), GFP_KERNEL, node);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->tfm = crypto_alloc_acomp_node(name, 0, CRYPTO_ALG_ASYNC, node);
	if (IS_ERR(c->tfm)) {
		err = PTR_ERR(c->tfm);
		goto err_free;
	}
	c->req = acomp_request_alloc(c->tfm);
	if (!c->req) {
		err = -ENOMEM;
		goto err_free_tfm;
	}
	/* Synchronous: no callback, and the call never sleeps. */
	acomp_request_set_callback(c->req, 0, NULL, NULL);
	return c;

err_free_tfm:
	crypto_free_acomp(c->tfm);
err_free:
	kfree(c);
	return ERR_PTR(err);
}

void memctl_crypto_free(struct memctl_crypto *c)
{
	acomp_request_free(c->req);
	crypto_free_acomp(c->tfm);
	kfree(c);
}

int memctl_crypto_compress(struct memctl_crypto *c, const void *src,
			   unsigned int slen, void *dst, unsigned int *dlen)
{
	int err;

	acomp_request_set_src_nondma(c->req, src, slen);
	acomp_request_set_dst_nondma(c->req, dst, *dlen);
	err = crypto_acomp_compress(c->req);
	*dlen = c->req->dlen;
	return err;
}

int memctl_crypto_decompress(struct memctl_crypto *c, const void *src,
			     unsigned int slen, void *dst, unsigned int *dlen)
{
	int err;

	acomp_request_set_src_nondma(c->req, src, slen);
	acomp_request_set_dst_nondma(c->req, dst, *dlen);
	err = crypto_acomp_decompress(c->req);
	*dlen = c->req->dlen;
	return err;
}

#else
#error "memctl's tier needs the crypto API's crypto_comp or acomp with virtual addresses (Linux 6.1 or later)"
#endif
