// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compression front end of the compressed tier.
 *
 * Each tier owns one struct memctl_comp: a crypto API compressor with a
 * stream per CPU.  A stream is used with preemption off (local_lock), so a
 * CPU's transform and buffer are never shared; streams are made and freed
 * as CPUs come and go through a CPU hotplug state of our own.
 *
 * The crypto API loads compressor modules on demand ("crypto-<name>"
 * through request_module) the first time a name is looked up.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "tier_comp.h"
#include "tier_crypto.h"

/* Output buffer of a stream: room for data that grows when compressed. */
#define MEMCTL_COMP_BUF_ORDER	1

static const struct memctl_comp_algo memctl_comp_algos[] = {
	{ .name = "lz4",	.bounded = true },
	{ .name = "lzo-rle" },
	{ .name = "zstd",	.bounded = true },
	{ .name = "lzo" },
	{ .name = "lz4hc",	.bounded = true },
	{ .name = "deflate",	.bounded = true },
};

/* The dynamic CPU hotplug state streams are made in, or 0. */
static int memctl_comp_cpuhp;

/**
 * memctl_comp_find - look a compressor up by name
 * @name: crypto API name
 *
 * Return: the compressor, or NULL if memctl does not offer it.
 */
const struct memctl_comp_algo *memctl_comp_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(memctl_comp_algos); i++)
		if (!strcmp(name, memctl_comp_algos[i].name))
			return &memctl_comp_algos[i];
	return NULL;
}

static void memctl_comp_strm_free(struct memctl_comp_strm *strm)
{
	if (!IS_ERR_OR_NULL(strm->crypto))
		memctl_crypto_free(strm->crypto);
	free_pages((unsigned long)strm->buffer, MEMCTL_COMP_BUF_ORDER);
	strm->crypto = NULL;
	strm->buffer = NULL;
}

static int memctl_comp_cpu_prepare(unsigned int cpu, struct hlist_node *node)
{
	struct memctl_comp *comp = hlist_entry(node, struct memctl_comp, node);
	struct memctl_comp_strm *strm = per_cpu_ptr(comp->strms, cpu);

	local_lock_init(&strm->lock);
	strm->crypto = memctl_crypto_alloc(comp->algo->name, cpu_to_node(cpu));
	strm->buffer = (void *)__get_free_pages(GFP_KERNEL,
						MEMCTL_COMP_BUF_ORDER);
	if (IS_ERR(strm->crypto) || !strm->buffer) {
		int err = IS_ERR(strm->crypto) ? PTR_ERR(strm->crypto) :
						 -ENOMEM;

		memctl_comp_strm_free(strm);
		pr_err("cpu %u: no %s stream: %d\n", cpu, comp->algo->name,
		       err);
		return err;
	}
	return 0;
}

static int memctl_comp_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct memctl_comp *comp = hlist_entry(node, struct memctl_comp, node);

	memctl_comp_strm_free(per_cpu_ptr(comp->strms, cpu));
	return 0;
}

/**
 * memctl_comp_create - make a compressor with a stream per online CPU
 * @algo: from memctl_comp_find()
 *
 * Loads the compressor's module if needed.
 *
 * Return: the compressor, ERR_PTR(-ENOENT) if the crypto API has no such
 * compressor (its module did not load), or another ERR_PTR.
 */
struct memctl_comp *memctl_comp_create(const struct memctl_comp_algo *algo)
{
	struct memctl_comp *comp;
	int err;

	if (!memctl_crypto_has(algo->name))
		return ERR_PTR(-ENOENT);

	comp = kzalloc(sizeof(*comp), GFP_KERNEL);
	if (!comp)
		return ERR_PTR(-ENOMEM);
	comp->algo = algo;
	comp->strms = alloc_percpu(struct memctl_comp_strm);
	if (!comp->strms) {
		err = -ENOMEM;
		goto err_free_comp;
	}
	/* Makes the streams of the online CPUs, or none on failure. */
	err = cpuhp_state_add_instance(memctl_comp_cpuhp, &comp->node);
	if (err)
		goto err_free_strms;
	return comp;

err_free_strms:
	free_percpu(comp->strms);
err_free_comp:
	kfree(comp);
	return ERR_PTR(err);
}

/**
 * memctl_comp_destroy - free a compressor and all its streams
 * @comp: the compressor; no stream of it may be in use
 */
void memctl_comp_destroy(struct memctl_comp *comp)
{
	cpuhp_state_remove_instance(memctl_comp_cpuhp, &comp->node);
	free_percpu(comp->strms);
	kfree(comp);
}

/**
 * memctl_comp_get - take this CPU's stream
 * @comp: the compressor
 *
 * Disables preemption until memctl_comp_put(): do not sleep in between.
 *
 * Return: the stream.
 */
struct memctl_comp_strm *memctl_comp_get(struct memctl_comp *comp)
	__acquires(&comp->strms->lock)
{
	local_lock(&comp->strms->lock);
	__acquire(&comp->strms->lock);	/* for sparse: local_lock() is silent */
	return this_cpu_ptr(comp->strms);
}

/**
 * memctl_comp_put - give this CPU's stream back
 * @comp: the compressor
 */
void memctl_comp_put(struct memctl_comp *comp)
	__releases(&comp->strms->lock)
{
	__release(&comp->strms->lock);
	local_unlock(&comp->strms->lock);
}

/**
 * memctl_comp_compress - compress one page into the stream's buffer
 * @comp: the compressor
 * @strm: this CPU's stream, from memctl_comp_get()
 * @src: the page
 * @limit: smallest output that is not worth keeping
 * @len: the length of the output in strm->buffer, on success
 *
 * Return: 0, -E2BIG when the output would be @limit bytes or more (the
 * page is to be stored as it is), or another negative errno.
 */
int memctl_comp_compress(struct memctl_comp *comp,
			 struct memctl_comp_strm *strm, const void *src,
			 unsigned int limit, unsigned int *len)
{
	unsigned int dlen;
	int err;

	/*
	 * A bounded compressor given limit - 1 bytes gives up as soon as it
	 * passes them; the others get the whole buffer, which is larger than
	 * their worst case for one page.
	 */
	dlen = comp->algo->bounded ? limit - 1 :
	       PAGE_SIZE << MEMCTL_COMP_BUF_ORDER;
	err = memctl_crypto_compress(strm->crypto, src, PAGE_SIZE,
				     strm->buffer, &dlen);
	if (err)
		return comp->algo->bounded ? -E2BIG : err;
	if (dlen >= limit)
		return -E2BIG;
	*len = dlen;
	return 0;
}

/**
 * memctl_comp_decompress - decompress one page
 * @strm: this CPU's stream, from memctl_comp_get()
 * @src: compressed data
 * @len: its length
 * @dst: the page to fill
 *
 * Return: 0, or -EIO when the data does not decompress to exactly a page.
 */
int memctl_comp_decompress(struct memctl_comp_strm *strm, const void *src,
			   unsigned int len, void *dst)
{
	unsigned int dlen = PAGE_SIZE;
	int err;

	err = memctl_crypto_decompress(strm->crypto, src, len, dst, &dlen);
	if (err || dlen != PAGE_SIZE)
		return -EIO;
	return 0;
}

/**
 * memctl_comp_same_filled - is a page one word repeated?
 * @page: the page's contents
 * @value: the word, when it is
 *
 * Return: true if every word of the page equals the first.
 */
bool memctl_comp_same_filled(const void *page, unsigned long *value)
{
	const unsigned long *w = page;
	const unsigned int n = PAGE_SIZE / sizeof(*w);
	unsigned long v = w[0];
	unsigned int i;

	/* Most pages differ near one end or the other: look there first. */
	if (w[n - 1] != v || w[1] != v)
		return false;
	for (i = 2; i < n - 1; i += 2)
		if ((w[i] ^ v) | (w[i + 1] ^ v))
			return false;
	*value = v;
	return true;
}

/* Sampled words: one per 64 bytes, at a phase that cycles through 8. */
#define MEMCTL_SAMPLE_WORDS	64
#define MEMCTL_SAMPLE_HASH_BITS	7

/*
 * The sum of the squared byte counts of a sample: for 512 uniformly random
 * bytes it is n + n(n - 1) / 256 = 1534, with a standard deviation of about
 * 45; compressible data is skewed far above that (text is at 10000 and
 * more, machine code at 3400 and more).  Under this bound the bytes are as
 * good as random.  The sum only grows as the sample does, so skewed data
 * passes the bound, and is known not to be random, early.
 */
#define MEMCTL_SAMPLE_RANDOM_SUMSQ	1900

static const u64 *memctl_sample_word(const void *page, unsigned int i)
{
	return page + i * 64 + (i % 8) * 8;
}

/* Does a sampled word repeat?  LZ compressors shrink repeated blocks. */
static bool memctl_sample_repeats(const void *page)
{
	u64 seen[1 << MEMCTL_SAMPLE_HASH_BITS];
	unsigned int i;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < MEMCTL_SAMPLE_WORDS; i++) {
		u64 w = *memctl_sample_word(page, i);
		u32 h = hash_64(w, MEMCTL_SAMPLE_HASH_BITS);

		/* A zero word is no random data; it also marks a free entry. */
		if (!w)
			return true;
		while (seen[h]) {
			if (seen[h] == w)
				return true;
			h = (h + 1) & ((1 << MEMCTL_SAMPLE_HASH_BITS) - 1);
		}
		seen[h] = w;
	}
	return false;
}

/**
 * memctl_comp_looks_random - recognise incompressible data from a sample
 * @page: the page's contents
 *
 * Samples an eighth of the page, spread over all of it, and calls the page
 * random when the bytes of the sample are spread evenly over all 256 values
 * and no sampled word repeats.  Encrypted and compressed data are
 * recognised; data this test calls random does not compress to less than
 * the size at which memctl would store it as it is anyway.  Text and code
 * are told apart after a few dozen bytes.
 *
 * Return: true when compressing the page is not worth trying.
 */
bool memctl_comp_looks_random(const void *page)
{
	unsigned int i, j, sumsq = 0;
	/* No count passes 51: sumsq would have passed the bound first. */
	u8 count[256];

	BUILD_BUG_ON(MEMCTL_SAMPLE_WORDS * 64 > PAGE_SIZE);
	memset(count, 0, sizeof(count));
	for (i = 0; i < MEMCTL_SAMPLE_WORDS; i++) {
		const u8 *b = (const u8 *)memctl_sample_word(page, i);

		/* (c + 1)^2 - c^2 = 2c + 1 */
		for (j = 0; j < 8; j++)
			sumsq += 2 * count[b[j]]++ + 1;
		if (sumsq >= MEMCTL_SAMPLE_RANDOM_SUMSQ)
			return false;
	}
	return !memctl_sample_repeats(page);
}

/**
 * memctl_comp_init - register the CPU hotplug state of the streams
 *
 * Return: 0 or a negative errno.
 */
int memctl_comp_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN,
				      "block/memctl:prepare",
				      memctl_comp_cpu_prepare,
				      memctl_comp_cpu_dead);
	if (ret < 0)
		return ret;
	memctl_comp_cpuhp = ret;
	return 0;
}

/**
 * memctl_comp_exit - unregister the CPU hotplug state; no compressor left
 */
void memctl_comp_exit(void)
{
	cpuhp_remove_multi_state(memctl_comp_cpuhp);
}
