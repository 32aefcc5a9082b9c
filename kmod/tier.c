// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compressed tier: /dev/memctl0, a swap block device that keeps the
 * pages written to it compressed in a zsmalloc pool and charges every stored
 * page to the cgroup that owned it.  Slots, owners and the cap are described
 * in Documentation/design.rst, "The compressed tier".  This file is the
 * device; the slots' lock rules are in tier_internal.h, the owners' in
 * tier_owner.c, the netlink side in tier_nl.c.
 *
 * Rules:
 *  - A slot that holds nothing, once swap freed it or a discard emptied
 *    it, reads as an I/O error, counted: never as zeroes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * memctl_tier_load() holds a slot's bit spinlock while it reads zsmalloc
 * and decompresses: on PREEMPT_RT the locks it takes there sleep.
 */
#ifdef CONFIG_PREEMPT_RT
#error "memctl's compressed tier does not support PREEMPT_RT: its load path takes locks that sleep on RT (zsmalloc's, the per-CPU compression stream's) under a slot's bit spinlock; build memctl for a kernel without PREEMPT_RT (Documentation/admin-guide.rst, The compressed tier)"
#endif

#include <linux/bio.h>
#include <linux/bit_spinlock.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/netlink.h>

#include "memctl.h"
#include "tier.h"
#include "tier_backing.h"
#include "tier_blk.h"
#include "tier_comp.h"
#include "tier_internal.h"
#include "tier_zs.h"

#define MEMCTL_SECTORS_PER_PAGE_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)
#define MEMCTL_SECTORS_PER_PAGE		(1 << MEMCTL_SECTORS_PER_PAGE_SHIFT)

/* The slot table may take at most this share of RAM (1/8). */
#define MEMCTL_TIER_TABLE_RAM_SHIFT	3

static struct lock_class_key memctl_slot_lock_key;

/*
 * Serializes creating, deleting and describing the tier; protects
 * memctl_tier_cur's changes.  Readers that cannot sleep use RCU.
 * One tier at a time, created and deleted under it.  Each opener of the
 * device holds a module reference (fops.owner); a delete refuses an open
 * device and bars new openers before tearing it down.
 */
DEFINE_MUTEX(memctl_tier_mutex);
struct memctl_tier __rcu *memctl_tier_cur;

/* Slots */

/* Never nested: one slot's lock at a time. */
static void memctl_slot_lock(struct memctl_tier *t, unsigned long index)
	__acquires(bitlock)
{
	bit_spin_lock(MEMCTL_SLOT_LOCK, &t->slots[index].flags);
	spin_acquire(&t->slot_dep_map, 0, 0, _RET_IP_);
}

static void memctl_slot_unlock(struct memctl_tier *t, unsigned long index)
	__releases(bitlock)
{
	spin_release(&t->slot_dep_map, _RET_IP_);
	bit_spin_unlock(MEMCTL_SLOT_LOCK, &t->slots[index].flags);
}

/* The owner record a slot's flags word names (a reference), or NULL. */
static struct memctl_tier_owner *memctl_slot_owner(unsigned long flags)
{
	return memctl_owner_by_idx((flags & MEMCTL_SLOT_OWNER_MASK) >>
				   MEMCTL_SLOT_OWNER_SHIFT);
}

/* The flags word's bits that name @owner, whose reference a slot takes. */
static unsigned long memctl_slot_owner_bits(struct memctl_tier_owner *owner)
{
	return owner ? (unsigned long)owner->idx << MEMCTL_SLOT_OWNER_SHIFT : 0;
}

/* What a slot held, taken out of it under its lock, freed after. */
struct memctl_slot_old {
	unsigned long handle;
	unsigned long flags;
	struct memctl_tier_owner *owner;
};

/* Empties slot @index, whose lock the caller holds; false if it was empty. */
static bool memctl_slot_take(struct memctl_tier *t, unsigned long index,
			     struct memctl_slot_old *old)
{
	struct memctl_tier_slot *s = &t->slots[index];

	if (!(s->flags & BIT(MEMCTL_SLOT_STORED)))
		return false;
	old->handle = s->handle;
	old->flags = s->flags;
	old->owner = memctl_slot_owner(s->flags);
	s->handle = 0;
	s->flags &= BIT(MEMCTL_SLOT_LOCK);
	return true;
}

/* Frees what memctl_slot_take() took out and drops it from the figures. */
static void memctl_slot_release(struct memctl_tier *t,
				const struct memctl_slot_old *old)
{
	if (old->flags & BIT(MEMCTL_SLOT_BACKED))
		memctl_backing_free_block(t->backing, old->handle);
	else if (!(old->flags & BIT(MEMCTL_SLOT_SAME)))
		zs_free(t->pool, old->handle);
	memctl_tier_account_free(t, old->owner, old->flags);
	memctl_owner_put(old->owner);
}

/*
 * Empties slot @index: @freed when swap freed it or it was discarded (a
 * read of it fails), else it was zeroed (it reads as zeroes).  Returns
 * whether it held a page.
 */
static bool memctl_tier_free_slot(struct memctl_tier *t, unsigned long index,
				  bool freed)
{
	struct memctl_tier_slot *s = &t->slots[index];
	struct memctl_slot_old old;
	bool had;

	memctl_slot_lock(t, index);
	had = memctl_slot_take(t, index, &old);
	if (freed)
		s->flags |= BIT(MEMCTL_SLOT_FREED);
	else
		s->flags &= ~BIT(MEMCTL_SLOT_FREED);
	memctl_slot_unlock(t, index);
	if (had)
		memctl_slot_release(t, &old);
	return had;
}

/* zsmalloc flags: without sleeping (a stream is held), and with. */
#define MEMCTL_ZS_GFP_ATOMIC	(__GFP_KSWAPD_RECLAIM | __GFP_NOWARN | \
				 __GFP_HIGHMEM | __GFP_MOVABLE)
#define MEMCTL_ZS_GFP		(GFP_NOIO | __GFP_NOWARN | __GFP_HIGHMEM | \
				 __GFP_MOVABLE)

/*
 * Stores @page straight on the backing device, in slot @index for @owner:
 * the slot shows the block at once, the write is chained to @parent (swap
 * reads no slot whose write is on its way: the page is in its cache).
 * Return: 0; -EDQUOT past the day's limit, -ENOSPC when the device is full.
 */
static int memctl_tier_store_backing(struct memctl_tier *t,
				     unsigned long index, struct page *page,
				     struct memctl_tier_owner *owner,
				     struct bio *parent)
{
	struct memctl_backing *b = t->backing;
	struct memctl_tier_slot *s = &t->slots[index];
	struct memctl_slot_old old;
	long block;
	bool had;

	if (!memctl_backing_may_write(b))
		return -EDQUOT;
	block = memctl_backing_alloc_block(b);
	if (block < 0)
		return block;
	memctl_tier_account_backing_store(t, owner);
	memctl_slot_lock(t, index);
	had = memctl_slot_take(t, index, &old);
	s->handle = block;
	s->flags &= ~BIT(MEMCTL_SLOT_FREED);
	s->flags |= BIT(MEMCTL_SLOT_STORED) | BIT(MEMCTL_SLOT_BACKED) |
		    memctl_slot_owner_bits(owner);
	memctl_slot_unlock(t, index);
	if (had)
		memctl_slot_release(t, &old);
	return memctl_backing_write_chained(b, block, page, parent);
}

/*
 * Stores @page in slot @index for @owner, whose reference the slot takes
 * over on success.  Compression and allocation run without the slot lock.
 * The policies of @owner's cgroup and its ancestors may refuse the page
 * (-ENOSPC; counted if @count): before it is compressed when they leave no
 * room at all, else once its length is known (memctl_tier_charge()).
 * With a backing device and @parent, the tier's bio that @page belongs
 * to, a page over a cap and a page that does not compress go to the
 * backing device instead (while it has room and writes left today; the
 * second kind stays in RAM otherwise).
 */
static int memctl_tier_store(struct memctl_tier *t, unsigned long index,
			     struct page *page, struct memctl_tier_owner *owner,
			     bool count, struct bio *parent)
{
	struct memctl_comp_strm *strm = NULL;
	unsigned long handle = 0, flags = 0;
	unsigned int len, alloc_len = 0;
	bool to_backing = parent && t->backing;
	struct memctl_slot_old old;
	struct memctl_tier_slot *s;
	bool had, raw = false, capped = false;
	void *src;
	int err;

	src = kmap_local_page(page);
	if (memctl_comp_same_filled(src, &handle)) {
		kunmap_local(src);
		flags = BIT(MEMCTL_SLOT_SAME);
		goto install;
	}
	/*
	 * A sample of the page costs a few percent of a compression, and a
	 * failed compression is saved for random data.
	 */
	raw = memctl_comp_looks_random(src);
	kunmap_local(src);
	err = memctl_tier_may_store_page(owner, false, count);
	if (err == -EDQUOT && to_backing) {
		capped = true;
		goto backing;
	}
	if (err)
		return -ENOSPC;
	if (raw && to_backing)
		goto backing;

compress:
	len = PAGE_SIZE;
	if (!raw) {
		strm = memctl_comp_get(t->comp);
		src = kmap_local_page(page);
		if (memctl_comp_compress(t->comp, strm, src, t->huge_size,
					 &len)) {
			/* Does not compress enough: store it as it is. */
			memctl_comp_put(t->comp);
			strm = NULL;
			raw = true;
			len = PAGE_SIZE;
		}
		kunmap_local(src);
		if (raw && to_backing)
			goto backing;
	}

	if (handle && len > alloc_len) {
		/* Compressed again after a sleeping allocation: no fit. */
		zs_free(t->pool, handle);
		handle = 0;
	}
	if (!handle) {
		handle = memctl_zs_malloc(t->pool, len, MEMCTL_ZS_GFP_ATOMIC,
					  page_to_nid(page));
		alloc_len = len;
	}
	if (IS_ERR_VALUE(handle)) {
		/* Sleep for the room; the stream must go back meanwhile. */
		if (strm) {
			memctl_comp_put(t->comp);
			strm = NULL;
		}
		handle = memctl_zs_malloc(t->pool, len, MEMCTL_ZS_GFP,
					  page_to_nid(page));
		if (IS_ERR_VALUE(handle)) {
			memctl_tier_raise_full();
			return -ENOMEM;
		}
		if (!raw)
			goto compress;
	}

	if (raw) {
		src = kmap_local_page(page);
		memctl_zs_write(t->pool, handle, src, PAGE_SIZE);
		kunmap_local(src);
		flags = BIT(MEMCTL_SLOT_RAW);
	} else {
		memctl_zs_write(t->pool, handle, strm->buffer, len);
	}
	if (strm)
		memctl_comp_put(t->comp);
	flags |= len;

install:
	/*
	 * Counted before the slot shows it: once it does, a discard may free
	 * it and drop the owner reference at any time.
	 */
	err = memctl_tier_charge(t, owner, flags, count);
	if (err) {
		if (flags & BIT(MEMCTL_SLOT_SAME))
			return -ENOSPC;
		zs_free(t->pool, handle);
		handle = 0;
		if (err != -EDQUOT || !to_backing)
			return -ENOSPC;
		capped = true;
		goto backing;
	}
	s = &t->slots[index];
	memctl_slot_lock(t, index);
	had = memctl_slot_take(t, index, &old);
	s->handle = handle;
	s->flags &= ~BIT(MEMCTL_SLOT_FREED);
	s->flags |= BIT(MEMCTL_SLOT_STORED) | flags |
		    memctl_slot_owner_bits(owner);
	memctl_slot_unlock(t, index);

	if (had)
		memctl_slot_release(t, &old);
	return 0;

backing:
	if (handle) {
		zs_free(t->pool, handle);
		handle = 0;
	}
	err = memctl_tier_store_backing(t, index, page, owner, parent);
	if (!err || capped)
		return err ? -ENOSPC : 0;
	/* No room or no writes left today: it stays in RAM, as it is. */
	to_backing = false;
	goto compress;
}

/*
 * Decodes the page slot @s holds in RAM into @page; the caller holds the
 * slot's lock.
 */
static int memctl_slot_decode(struct memctl_tier *t, struct memctl_tier_slot *s,
			      struct page *page)
{
	unsigned int len = s->flags & MEMCTL_SLOT_LEN_MASK;
	const void *src;
	void *dst;
	int err = 0;

	if (s->flags & BIT(MEMCTL_SLOT_SAME)) {
		dst = kmap_local_page(page);
		memset_l(dst, s->handle, PAGE_SIZE / sizeof(unsigned long));
		kunmap_local(dst);
	} else if (s->flags & BIT(MEMCTL_SLOT_RAW)) {
		/* The page itself takes the copy if zsmalloc needs one. */
		dst = kmap_local_page(page);
		src = memctl_zs_read_begin(t->pool, s->handle, PAGE_SIZE, dst);
		if (src != dst)
			memcpy(dst, src, PAGE_SIZE);
		memctl_zs_read_end(t->pool, s->handle, PAGE_SIZE, src);
		kunmap_local(dst);
	} else {
		/* Stream before mapping, as in stores: one lock order. */
		struct memctl_comp_strm *strm = memctl_comp_get(t->comp);

		dst = kmap_local_page(page);
		src = memctl_zs_read_begin(t->pool, s->handle, len,
					   strm->buffer);
		err = memctl_comp_decompress(strm, src, len, dst);
		memctl_zs_read_end(t->pool, s->handle, len, src);
		kunmap_local(dst);
		memctl_comp_put(t->comp);
	}
	return err;
}

/*
 * Reads slot @index into @page: a fresh slot as zeroes, a freed one not at
 * all (-EIO).  A page on the backing device is read from there: chained to
 * @parent, the tier's bio that @page belongs to, or else waited for.
 */
static int memctl_tier_load(struct memctl_tier *t, unsigned long index,
			    struct page *page, struct bio *parent)
{
	struct memctl_tier_slot *s = &t->slots[index];
	struct memctl_tier_owner *o;
	unsigned long block = 0;
	bool backed;
	int err = 0;

	memctl_slot_lock(t, index);
	if (!(s->flags & BIT(MEMCTL_SLOT_STORED))) {
		bool freed = s->flags & BIT(MEMCTL_SLOT_FREED);

		memctl_slot_unlock(t, index);
		if (freed) {
			pr_err_ratelimited("%s: slot %lu read after it was freed\n",
					   t->disk->disk_name, index);
			return -EIO;
		}
		clear_highpage(page);
		return 0;
	}
	s->flags &= ~BIT(MEMCTL_SLOT_IDLE);
	backed = s->flags & BIT(MEMCTL_SLOT_BACKED);
	if (backed)
		block = s->handle;
	else
		err = memctl_slot_decode(t, s, page);

	/* The slot's reference keeps the owners while its lock is held. */
	if (!err) {
		for (o = memctl_slot_owner(s->flags); o; o = o->parent)
			atomic64_inc(&o->loads);
	}
	memctl_slot_unlock(t, index);

	/*
	 * Swap neither frees nor writes a slot while it reads it: the block
	 * stays the slot's until the read is over.
	 */
	if (backed)
		err = parent ?
		      memctl_backing_read_chained(t->backing, block, page,
						  parent) :
		      memctl_backing_read_sync(t->backing, block, page);
	else if (err)
		pr_err_ratelimited("%s: slot %lu does not decompress\n",
				   t->disk->disk_name, index);
	if (err)
		return err;
	atomic64_inc(&t->stats.loads);
	if (!backed || !parent)
		flush_dcache_page(page);
	return 0;
}

/*
 * One page out, with the owner taken from @owner_page.  A refusal by the
 * owners' policies (-ENOSPC) is counted there if @count, not as a failed
 * store.
 */
static int memctl_tier_write_page(struct memctl_tier *t, unsigned long index,
				  struct page *page, struct page *owner_page,
				  bool count, struct bio *parent)
{
	struct memctl_tier_owner *owner;
	int err;

	owner = memctl_owner_of(owner_page);
	if (IS_ERR(owner)) {
		err = PTR_ERR(owner);
	} else {
		err = memctl_tier_store(t, index, page, owner, count, parent);
		if (err)
			memctl_owner_put(owner);
	}
	if (err && err != -ENOSPC)
		atomic64_inc(&t->stats.failed_stores);
	return err;
}

static int memctl_tier_read_page(struct memctl_tier *t, unsigned long index,
				 struct page *page, struct bio *parent)
{
	int err = memctl_tier_load(t, index, page, parent);

	if (err)
		atomic64_inc(&t->stats.failed_loads);
	return err;
}

/* Writeback */

/* Clears @index's writeback mark if the slot still holds what was copied. */
static void memctl_slot_wb_cancel(struct memctl_tier *t, unsigned long index)
{
	memctl_slot_lock(t, index);
	t->slots[index].flags &= ~BIT(MEMCTL_SLOT_WB);
	memctl_slot_unlock(t, index);
}

/*
 * Writes slot @index back if @mode wants it (a copy in @page, written with
 * no lock held, then swapped in for the RAM copy if the slot did not change
 * meanwhile); with @mark, marks the slots it leaves idle.  Returns 1 if it
 * wrote the page back, 0 if not, or a negative errno that ends the pass.
 */
static int memctl_tier_writeback_slot(struct memctl_tier *t,
				      unsigned long index, u32 mode, bool mark,
				      struct page *page)
{
	struct memctl_backing *b = t->backing;
	struct memctl_tier_slot *s = &t->slots[index];
	struct memctl_tier_owner *owner;
	unsigned long flags, handle;
	bool want;
	long block;
	int err;

	memctl_slot_lock(t, index);
	flags = s->flags;
	if (!(flags & BIT(MEMCTL_SLOT_STORED)) ||
	    (flags & (BIT(MEMCTL_SLOT_SAME) | BIT(MEMCTL_SLOT_BACKED) |
		      BIT(MEMCTL_SLOT_WB)))) {
		memctl_slot_unlock(t, index);
		return 0;
	}
	want = mode == MEMCTL_TIER_WRITEBACK_ALL ||
	       (mode == MEMCTL_TIER_WRITEBACK_HUGE &&
		(flags & BIT(MEMCTL_SLOT_RAW))) ||
	       (mode == MEMCTL_TIER_WRITEBACK_IDLE &&
		(flags & BIT(MEMCTL_SLOT_IDLE)));
	if (!want) {
		if (mark)
			s->flags |= BIT(MEMCTL_SLOT_IDLE);
		memctl_slot_unlock(t, index);
		return 0;
	}
	err = memctl_slot_decode(t, s, page);
	if (!err)
		s->flags |= BIT(MEMCTL_SLOT_WB);
	memctl_slot_unlock(t, index);
	if (err)
		return 0;	/* the swap-in will report it */

	if (!memctl_backing_may_write(b)) {
		memctl_slot_wb_cancel(t, index);
		atomic64_inc(&b->limit_stops);
		return -EDQUOT;
	}
	block = memctl_backing_alloc_block(b);
	if (block < 0) {
		memctl_slot_wb_cancel(t, index);
		return block;
	}
	err = memctl_backing_write(b, block, page);

	memctl_slot_lock(t, index);
	if (err || !(s->flags & BIT(MEMCTL_SLOT_WB))) {
		/* Failed (the page stays in RAM), or freed meanwhile. */
		s->flags &= ~BIT(MEMCTL_SLOT_WB);
		memctl_slot_unlock(t, index);
		memctl_backing_free_block(b, block);
		return 0;
	}
	flags = s->flags;
	handle = s->handle;
	owner = memctl_slot_owner(flags);
	s->handle = block;
	s->flags = (flags & (BIT(MEMCTL_SLOT_LOCK) | MEMCTL_SLOT_OWNER_MASK)) |
		   BIT(MEMCTL_SLOT_STORED) | BIT(MEMCTL_SLOT_BACKED);
	/* Counted before the lock goes: a free may come right after it. */
	memctl_tier_account_backed(t, owner, flags);
	memctl_slot_unlock(t, index);
	zs_free(t->pool, handle);
	return 1;
}

/**
 * memctl_tier_writeback - write pages of the tier back to its backing device
 * @t: the tier, with a backing device
 * @mode: enum memctl_tier_writeback, which pages
 * @mark: mark the pages left behind idle (the idle work's pass)
 * @written: if not NULL, pages written back
 *
 * Process context; one pass at a time.  A fatal signal stops the pass.
 *
 * Return: 0; -EDQUOT when the day's limit stopped it, -ENOSPC when the
 * device is full, -EINTR when a signal did.
 */
int memctl_tier_writeback(struct memctl_tier *t, u32 mode, bool mark,
			  u64 *written)
{
	struct memctl_backing *b = t->backing;
	unsigned long index;
	struct page *page;
	u64 n = 0;
	int ret = 0;

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	mutex_lock(&b->wb_mutex);
	for (index = 0; index < t->nr_slots; index++) {
		ret = memctl_tier_writeback_slot(t, index, mode, mark, page);
		if (ret < 0)
			break;
		n += ret;
		ret = 0;
		if (!(index % 64)) {
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			cond_resched();
		}
	}
	mutex_unlock(&b->wb_mutex);
	__free_page(page);
	if (written)
		*written = n;
	return ret;
}

/* Block device */

static bool memctl_tier_valid_io(struct memctl_tier *t, sector_t sector,
				 unsigned int bytes)
{
	sector_t end = sector + (bytes >> SECTOR_SHIFT);

	if ((sector & (MEMCTL_SECTORS_PER_PAGE - 1)) ||
	    (bytes & (PAGE_SIZE - 1)))
		return false;
	return end >= sector &&
	       end <= (sector_t)t->nr_slots << MEMCTL_SECTORS_PER_PAGE_SHIFT;
}

/*
 * Reads or writes a bio page by page.  A page-sized block that is not one
 * whole page in memory (never the case for swap) goes through a bounce page.
 * A write that fails stores nothing: the pages of the bio stored before
 * the failure are dropped again (swap keeps the whole folio in memory, and
 * reads none of its slots before it writes them again).
 */
static int memctl_tier_rw_bio(struct memctl_tier *t, struct bio *bio)
{
	unsigned long index = bio->bi_iter.bi_sector >>
			      MEMCTL_SECTORS_PER_PAGE_SHIFT;
	bool write = op_is_write(bio_op(bio));
	unsigned long first = index;
	struct page *bounce = NULL;
	unsigned int filled = 0;
	struct bvec_iter iter;
	struct bio_vec bv;
	int err = 0;

	bio_for_each_segment(bv, bio, iter) {
		if (!filled && !bv.bv_offset && bv.bv_len == PAGE_SIZE) {
			err = write ?
			      memctl_tier_write_page(t, index, bv.bv_page,
						     bv.bv_page, true, bio) :
			      memctl_tier_read_page(t, index, bv.bv_page, bio);
			if (err)
				break;
			index++;
			continue;
		}

		if (!bounce) {
			bounce = alloc_page(GFP_NOIO);
			if (!bounce) {
				err = -ENOMEM;
				break;
			}
		}
		while (bv.bv_len) {
			unsigned int n = min(bv.bv_len,
					     (unsigned int)PAGE_SIZE - filled);

			if (!write && !filled) {
				err = memctl_tier_read_page(t, index, bounce,
							    NULL);
				if (err)
					goto out;
			}
			if (write)
				memcpy_from_page(page_address(bounce) + filled,
						 bv.bv_page, bv.bv_offset, n);
			else
				memcpy_to_page(bv.bv_page, bv.bv_offset,
					       page_address(bounce) + filled,
					       n);
			filled += n;
			bv.bv_offset += n;
			bv.bv_len -= n;
			if (filled < PAGE_SIZE)
				continue;
			if (write) {
				/* The bounce page goes before the bio ends. */
				err = memctl_tier_write_page(t, index, bounce,
							     bv.bv_page, true,
							     NULL);
				if (err)
					goto out;
			}
			filled = 0;
			index++;
		}
	}
out:
	if (bounce)
		__free_page(bounce);
	if (err && write)
		while (index-- > first)
			memctl_tier_free_slot(t, index, true);
	return err;
}

/**
 * memctl_tier_submit_bio - the device's submit_bio
 * @bio: whole, aligned pages to read or write, or a range to discard
 *
 * Ends @bio before it returns.
 */
void memctl_tier_submit_bio(struct bio *bio)
{
	struct memctl_tier *t = bio->bi_bdev->bd_disk->private_data;
	unsigned long start, index, n;
	bool freed;
	int err = 0;

	if (!memctl_tier_valid_io(t, bio->bi_iter.bi_sector,
				  bio->bi_iter.bi_size)) {
		bio_io_error(bio);
		return;
	}

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		start = bio_start_io_acct(bio);
		err = memctl_tier_rw_bio(t, bio);
		bio_end_io_acct(bio, start);
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		/* Discarded slots fail reads, zeroed ones read as zeroes. */
		freed = bio_op(bio) == REQ_OP_DISCARD;
		index = bio->bi_iter.bi_sector >> MEMCTL_SECTORS_PER_PAGE_SHIFT;
		for (n = bio->bi_iter.bi_size >> PAGE_SHIFT; n; n--, index++)
			if (memctl_tier_free_slot(t, index, freed))
				atomic64_inc(&t->stats.discards);
		break;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}
	if (err)
		bio->bi_status = errno_to_blk_status(err);
	bio_endio(bio);
}

/**
 * memctl_tier_rw_one - read or write one page, for a synchronous path
 * @disk: the tier's disk
 * @sector: where, page-aligned
 * @page: the page, not ended here
 * @write: write it, or read into it
 *
 * The caller tries a failed write again as a bio (6.1's swap does), so a
 * refusal by the caps is counted there, not here.
 *
 * Return: 0, -EINVAL past the end or unaligned, -EAGAIN for a write when
 * the tier has a backing device, or the error of the store or load
 * (counted but for -ENOSPC, a store the caps refused).
 */
int memctl_tier_rw_one(struct gendisk *disk, sector_t sector,
		       struct page *page, bool write)
{
	struct memctl_tier *t = disk->private_data;
	unsigned long index = sector >> MEMCTL_SECTORS_PER_PAGE_SHIFT;

	if (!memctl_tier_valid_io(t, sector, PAGE_SIZE))
		return -EINVAL;
	/*
	 * With a backing device a page may go there, by a write chained to
	 * a bio: let the caller write it as a bio.
	 */
	if (write && t->backing)
		return -EAGAIN;
	if (write)
		return memctl_tier_write_page(t, index, page, page, false,
					      NULL);
	return memctl_tier_read_page(t, index, page, NULL);
}

/**
 * memctl_tier_slot_free_notify - swap freed a slot
 * @bdev: the tier's block device
 * @index: the slot
 *
 * Frees what the slot holds now, not when it is written again.
 */
void memctl_tier_slot_free_notify(struct block_device *bdev,
				  unsigned long index)
{
	struct memctl_tier *t = bdev->bd_disk->private_data;

	if (index < t->nr_slots && memctl_tier_free_slot(t, index, true))
		atomic64_inc(&t->stats.discards);
}

/**
 * memctl_tier_open - a new opener of the device
 * @disk: the tier's disk; its open_mutex is held
 *
 * Return: 0, or -EBUSY once the tier is being deleted.
 */
int memctl_tier_open(struct gendisk *disk)
{
	struct memctl_tier *t = disk->private_data;

	lockdep_assert_held(&disk->open_mutex);
	if (t->claimed)
		return -EBUSY;
	atomic_inc(&t->openers);
	return 0;
}

/**
 * memctl_tier_release - an opener of the device went away
 * @disk: the tier's disk; its open_mutex is held
 */
void memctl_tier_release(struct gendisk *disk)
{
	struct memctl_tier *t = disk->private_data;

	lockdep_assert_held(&disk->open_mutex);
	/*
	 * Stores raise notifications only while the device is open: once the
	 * last opener is gone none is pending, and none can outlive the
	 * module (rmmod needs the device closed).
	 */
	if (atomic_dec_and_test(&t->openers))
		memctl_tier_events_flush();
}

/* Creation and deletion */

static void memctl_tier_free_all(struct memctl_tier *t)
{
	unsigned long index;

	for (index = 0; index < t->nr_slots; index++) {
		memctl_tier_free_slot(t, index, true);
		if (!(index % 1024))
			cond_resched();
	}
}

/**
 * memctl_tier_create - make a tier and add its disk
 * @size: bytes, page-aligned
 * @algo: the compressor
 * @algo_attr: the attribute that named it, for extack, or NULL
 * @backing: its backing device, or NULL; the tier holds it from now on
 * @extack: where a failure is explained
 *
 * Called under memctl_tier_mutex; the caller makes it memctl_tier_cur.
 *
 * Return: the tier, or an ERR_PTR with an extack message.
 */
struct memctl_tier *memctl_tier_create(u64 size,
				       const struct memctl_comp_algo *algo,
				       struct nlattr *algo_attr,
				       struct memctl_backing *backing,
				       struct netlink_ext_ack *extack)
{
	struct memctl_tier *t;
	struct gendisk *disk;
	size_t table;
	int err;

	lockdep_assert_held(&memctl_tier_mutex);

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->size = size;
	t->nr_slots = size >> PAGE_SHIFT;
	lockdep_init_map(&t->slot_dep_map, "memctl_tier_slot",
			 &memctl_slot_lock_key, 0);
	table = array_size(t->nr_slots, sizeof(*t->slots));
	if (table > (totalram_pages() << PAGE_SHIFT) >>
		    MEMCTL_TIER_TABLE_RAM_SHIFT) {
		NL_SET_ERR_MSG(extack,
			       "tier too large: its slot table (16 bytes a page, 4 per KiB) would take more than an eighth of RAM");
		err = -ENOMEM;
		goto err_free_tier;
	}
	t->slots = __vmalloc(table, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
			     __GFP_RETRY_MAYFAIL);
	if (!t->slots) {
		NL_SET_ERR_MSG(extack, "no memory for the tier's slot table");
		err = -ENOMEM;
		goto err_free_tier;
	}

	t->comp = memctl_comp_create(algo);
	if (IS_ERR(t->comp)) {
		err = PTR_ERR(t->comp);
		if (err == -ENOENT)
			NL_SET_ERR_MSG_ATTR(extack, algo_attr,
					    "this compressor is not available: the kernel has no such crypto module, or it did not load");
		else
			NL_SET_ERR_MSG_ATTR(extack, algo_attr,
					    "cannot set up the compressor's per-CPU streams");
		goto err_free_slots;
	}

	t->pool = zs_create_pool(MEMCTL_TIER_DEVICE_NAME);
	if (!t->pool) {
		NL_SET_ERR_MSG(extack, "cannot create the zsmalloc pool");
		err = -ENOMEM;
		goto err_destroy_comp;
	}
	t->huge_size = min_t(size_t, zs_huge_class_size(t->pool), PAGE_SIZE);

	disk = memctl_tier_blk_alloc();
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto err_destroy_pool;
	}
	t->disk = disk;
	/* No major: the block layer gives the disk a dynamic dev_t. */
	disk->flags |= GENHD_FL_NO_PART;
	disk->private_data = t;
	strscpy(disk->disk_name, MEMCTL_TIER_DEVICE_NAME,
		sizeof(disk->disk_name));
	set_capacity(disk, (sector_t)t->nr_slots << MEMCTL_SECTORS_PER_PAGE_SHIFT);

	err = device_add_disk(NULL, disk, NULL);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot add the block device");
		goto err_put_disk;
	}
	t->backing = backing;
	if (backing) {
		memctl_backing_start(backing, t);
		pr_info("%s: %llu bytes, %s, backing %s\n", disk->disk_name,
			size, algo->name, backing->path);
	} else {
		pr_info("%s: %llu bytes, %s\n", disk->disk_name, size,
			algo->name);
	}
	return t;

err_put_disk:
	put_disk(disk);
err_destroy_pool:
	zs_destroy_pool(t->pool);
err_destroy_comp:
	memctl_comp_destroy(t->comp);
err_free_slots:
	vfree(t->slots);
err_free_tier:
	kfree(t);
	return ERR_PTR(err);
}

/**
 * memctl_tier_claim - bar new openers of a tier's device
 * @t: the tier
 *
 * Return: 0, or -EBUSY if the device is open.
 */
int memctl_tier_claim(struct memctl_tier *t)
{
	struct gendisk *disk = t->disk;
	int err = 0;

	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk))
		err = -EBUSY;
	else
		t->claimed = true;
	mutex_unlock(&disk->open_mutex);
	return err;
}

/**
 * memctl_tier_destroy - tear down a claimed tier
 * @t: the tier, no longer memctl_tier_cur
 *
 * Called under memctl_tier_mutex.
 */
void memctl_tier_destroy(struct memctl_tier *t)
{
	lockdep_assert_held(&memctl_tier_mutex);

	/* RCU readers (notifications, memctl_tier_active()) are done with t. */
	synchronize_rcu();
	if (t->backing)
		memctl_backing_stop(t->backing);
	/* Waits for I/O in flight; no more can come. */
	del_gendisk(t->disk);
	memctl_tier_free_all(t);
	if (t->backing)
		memctl_backing_close(t->backing);
	zs_destroy_pool(t->pool);
	memctl_comp_destroy(t->comp);
	vfree(t->slots);
	put_disk(t->disk);
	pr_info("%s: deleted\n", MEMCTL_TIER_DEVICE_NAME);
	kfree(t);
}

/* For the rest of the module */

/**
 * memctl_tier_active - is the tier there and open (swapped on)?
 *
 * Return: true if pages can be going into the tier now.
 */
bool memctl_tier_active(void)
{
	struct memctl_tier *t;
	bool active;

	rcu_read_lock();
	t = rcu_dereference(memctl_tier_cur);
	active = t && atomic_read(&t->openers);
	rcu_read_unlock();
	return active;
}

/**
 * memctl_tier_init - set up what the tier needs before the first TIER_SET
 *
 * Return: 0 or a negative errno.
 */
int memctl_tier_init(void)
{
	return memctl_comp_init();
}

/**
 * memctl_tier_exit - delete the tier, after the netlink family is gone
 *
 * The device cannot be open: each opener holds a reference on the module.
 */
void memctl_tier_exit(void)
{
	struct memctl_tier *t;

	mutex_lock(&memctl_tier_mutex);
	t = rcu_dereference_protected(memctl_tier_cur,
				      lockdep_is_held(&memctl_tier_mutex));
	if (t) {
		WARN_ON(memctl_tier_claim(t));
		RCU_INIT_POINTER(memctl_tier_cur, NULL);
		memctl_tier_destroy(t);
	}
	mutex_unlock(&memctl_tier_mutex);

	memctl_tier_events_flush();
	memctl_tier_owners_exit();
	memctl_comp_exit();
}
