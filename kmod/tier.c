// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compressed tier: /dev/memctl0, a swap block device that keeps the
 * pages written to it compressed in a zsmalloc pool and charges every stored
 * page to the cgroup that owned it.  Slots, owners and the cap are described
 * in Documentation/design.rst, "The compressed tier".
 *
 * Rules:
 *  - A slot's contents change only under its bit lock (MEMCTL_SLOT_LOCK in
 *    its flags word).  A writer compresses and allocates without it and
 *    takes it only to swap the new contents in; readers and the swap
 *    layer's free-notify take it to read or empty the slot.  One slot lock
 *    at a time; lockdep sees them as one class (slot_dep_map).
 *  - Lock order: the swap layer's locks, a slot's bit lock, this CPU's
 *    compression stream (local_lock), then zsmalloc's locks, then the
 *    crypto API's own (a load decompresses with the object mapped; a store
 *    has compressed before it allocates).  The owner xarray's lock and the
 *    policy table are taken with none of ours held.
 *  - A slot that holds nothing, once swap freed it or a discard emptied
 *    it, reads as an I/O error, counted: never as zeroes.
 *  - A stored slot holds a reference on its owner record; a record holds
 *    its parent's.
 *  - One tier at a time, created and deleted under memctl_tier_mutex.
 *    Each opener of the device holds a module reference (fops.owner); a
 *    delete refuses an open device and bars new openers before tearing it
 *    down.
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
#include <linux/cgroup.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/llist.h>
#include <linux/lockdep.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>

#include "memctl.h"
#include "handlers.h"
#include "netlink.h"
#include "policy.h"
#include "tier.h"
#include "tier_blk.h"
#include "tier_comp.h"
#include "tier_zs.h"

#define MEMCTL_SECTORS_PER_PAGE_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)
#define MEMCTL_SECTORS_PER_PAGE		(1 << MEMCTL_SECTORS_PER_PAGE_SHIFT)

/* The slot table may take at most this share of RAM (1/8). */
#define MEMCTL_TIER_TABLE_RAM_SHIFT	3

/* At most one notification of each kind per second (per cgroup). */
#define MEMCTL_TIER_EVENT_INTERVAL	HZ

/* A slot's flags word: the stored length in the low bits, then flags. */
#define MEMCTL_SLOT_LEN_BITS		(PAGE_SHIFT + 1)
#define MEMCTL_SLOT_LEN_MASK		(BIT(MEMCTL_SLOT_LEN_BITS) - 1)

enum memctl_slot_flag {
	MEMCTL_SLOT_LOCK = MEMCTL_SLOT_LEN_BITS,	/* the slot's bit spinlock */
	MEMCTL_SLOT_STORED,		/* holds a page */
	MEMCTL_SLOT_SAME,		/* handle is the fill word */
	MEMCTL_SLOT_RAW,		/* stored as it is, a whole page */
	MEMCTL_SLOT_FREED,		/* emptied by a free or discard */
};

/* Everything but the lock bit and the length is under the lock bit. */
struct memctl_tier_slot {
	unsigned long handle;		/* zsmalloc handle, or the fill word */
	unsigned long flags;		/* enum memctl_slot_flag, length */
	struct memctl_tier_owner *owner;	/* a reference, or NULL */
};

/* The owner record of one cgroup: what its subtree holds in the tier. */
struct memctl_tier_owner {
	u64 id;					/* cgroup id, key */
	struct memctl_tier_owner *parent;	/* a reference; NULL at level 1 */
	/* Own slots + child records + transient references (lookups, events). */
	refcount_t ref;
	atomic64_t stored_pages;
	atomic64_t compressed_bytes;
	atomic64_t same_filled_pages;
	atomic64_t stores;
	atomic64_t loads;

	/* The policy's tier-max, cached; valid while cap_gen is current. */
	u64 cap;
	u32 cap_gen;

	/* CAP_EXCEEDED: queued on memctl_tier_ev_owners while pending. */
	unsigned long ev_flags;			/* MEMCTL_EV_PENDING */
	unsigned long ev_stamp;			/* jiffies of the last one */
	struct llist_node ev_node;
	struct rcu_head rcu;
};

/* Global counters of a tier; MEMCTL_A_TIER_* on the wire. */
struct memctl_tier_stats {
	atomic64_t stored_pages;
	atomic64_t compressed_bytes;
	atomic64_t same_filled_pages;
	atomic64_t huge_pages;
	atomic64_t stores;
	atomic64_t loads;
	atomic64_t failed_stores;
	atomic64_t failed_loads;
	atomic64_t discards;
};

struct memctl_tier {
	struct gendisk *disk;
	struct memctl_tier_slot *slots;
	unsigned long nr_slots;
	u64 size;				/* bytes */
	struct zs_pool *pool;
	struct memctl_comp *comp;
	/* Compressed lengths from here up are stored raw (a whole page). */
	unsigned int huge_size;
	/* Protected by disk->open_mutex: being deleted, open no more. */
	bool claimed;
	/* Openers of the device (open and release run under open_mutex). */
	atomic_t openers;
	struct memctl_tier_stats stats;
	/*
	 * The slots' bit locks, as one lock class to lockdep: a bit spinlock
	 * has no map of its own, and the lock order above is then checked
	 * (and a second slot lock taken inside one reported) on debug kernels.
	 */
	struct lockdep_map slot_dep_map;
};

static struct lock_class_key memctl_slot_lock_key;

/*
 * Serializes creating, deleting and describing the tier; protects
 * memctl_tier_cur's changes.  Readers that cannot sleep use RCU.
 */
static DEFINE_MUTEX(memctl_tier_mutex);
static struct memctl_tier __rcu *memctl_tier_cur;

/*
 * cgroup id -> struct memctl_tier_owner.  Lookups run under RCU and take a
 * reference if the record is still live; records are inserted and erased
 * under the xarray's own lock, and freed after a grace period.
 */
static DEFINE_XARRAY(memctl_tier_owners);

/* Notifications that stores raise, sent from process context. */
enum {
	MEMCTL_EV_PENDING,	/* ev_flags: queued */
	MEMCTL_EV_FULL,		/* memctl_tier_ev_flags: FULL is due */
};

static unsigned long memctl_tier_ev_flags;
static unsigned long memctl_tier_full_stamp;
static LLIST_HEAD(memctl_tier_ev_owners);
static void memctl_tier_ev_workfn(struct work_struct *work);
static DECLARE_WORK(memctl_tier_ev_work, memctl_tier_ev_workfn);

/* Owner records */

static void memctl_owner_put(struct memctl_tier_owner *o)
{
	while (o && refcount_dec_and_test(&o->ref)) {
		struct memctl_tier_owner *parent = o->parent;

		/* A new record may have replaced this dying one already. */
		xa_cmpxchg(&memctl_tier_owners, o->id, o, NULL, 0);
		kfree_rcu(o, rcu);
		o = parent;
	}
}

static struct memctl_tier_owner *memctl_owner_lookup(u64 id)
{
	struct memctl_tier_owner *o;

	rcu_read_lock();
	o = xa_load(&memctl_tier_owners, id);
	if (o && !refcount_inc_not_zero(&o->ref))
		o = NULL;
	rcu_read_unlock();
	return o;
}

/*
 * Creates the record of cgroup @id below @parent, whose reference it takes
 * over, unless another task made it first.  Returns it with a reference.
 */
static struct memctl_tier_owner *
memctl_owner_add(u64 id, struct memctl_tier_owner *parent)
{
	struct memctl_tier_owner *new, *cur, *old;

	new = kzalloc(sizeof(*new), GFP_NOIO | __GFP_NOWARN);
	if (!new) {
		memctl_owner_put(parent);
		return ERR_PTR(-ENOMEM);
	}
	new->id = id;
	new->parent = parent;
	refcount_set(&new->ref, 1);
	new->cap_gen = memctl_policy_generation() - 1;
	new->ev_stamp = jiffies - MEMCTL_TIER_EVENT_INTERVAL;

	for (;;) {
		xa_lock(&memctl_tier_owners);
		cur = xa_load(&memctl_tier_owners, id);
		if (cur && refcount_inc_not_zero(&cur->ref)) {
			xa_unlock(&memctl_tier_owners);
			kfree(new);
			memctl_owner_put(parent);
			return cur;
		}
		/* Empty, or a dying record that its last put will not erase. */
		old = __xa_cmpxchg(&memctl_tier_owners, id, cur, new, GFP_NOIO);
		xa_unlock(&memctl_tier_owners);
		if (xa_is_err(old)) {
			kfree(new);
			memctl_owner_put(parent);
			return ERR_PTR(xa_err(old));
		}
		if (old == cur)
			return new;
	}
}

/*
 * The owner record of the cgroup a page is charged to, with a reference:
 * NULL for the root cgroup and pages no memcg owns, or an ERR_PTR.
 */
static struct memctl_tier_owner *memctl_owner_of(struct page *page)
{
	struct folio *folio = page_folio(page);
	struct memctl_tier_owner *o, *parent = NULL;
	struct mem_cgroup *memcg;
	struct cgroup *cgrp;
	int level;

	if (mem_cgroup_disabled() || folio_test_slab(folio))
		return NULL;

	rcu_read_lock();
	memcg = folio_memcg(folio);
	/* The root cgroup (level 0) has no record. */
	if (!memcg || !memcg->css.cgroup->level) {
		rcu_read_unlock();
		return NULL;
	}
	o = memctl_owner_lookup(cgroup_id(memcg->css.cgroup));
	if (o || !css_tryget(&memcg->css)) {
		rcu_read_unlock();
		return o;
	}
	rcu_read_unlock();

	/* The first page of this cgroup: make the missing records, top down. */
	cgrp = memcg->css.cgroup;
	for (level = 1; level <= cgrp->level; level++) {
		u64 id = cgroup_id(cgrp->ancestors[level]);

		o = memctl_owner_lookup(id);
		if (o) {
			/* o holds its own reference on parent. */
			memctl_owner_put(parent);
		} else {
			o = memctl_owner_add(id, parent);
			if (IS_ERR(o))
				break;
		}
		parent = o;
	}
	css_put(&memcg->css);
	return o;
}

/* The tier-max of the policy of @o's cgroup, 0 for none. */
static u64 memctl_owner_cap(struct memctl_tier_owner *o)
{
	u32 gen = memctl_policy_generation();
	struct memctl_policy *p;
	struct memctl_params pa;
	u64 cap = 0;

	if (READ_ONCE(o->cap_gen) == gen) {
		smp_rmb();	/* pairs with smp_wmb() below */
		return READ_ONCE(o->cap);
	}
	p = memctl_policy_lookup(o->id);
	if (p) {
		memctl_policy_read(p, &pa);
		cap = pa.tier_max;
		memctl_policy_put(p);
	}
	WRITE_ONCE(o->cap, cap);
	smp_wmb();	/* cap before cap_gen: pairs with smp_rmb() above */
	WRITE_ONCE(o->cap_gen, gen);
	return cap;
}

/* Raises CAP_EXCEEDED when a store of @len bytes took @o past its cap. */
static void memctl_owner_check_cap(struct memctl_tier_owner *o, u64 bytes,
				   unsigned int len)
{
	u64 cap = memctl_owner_cap(o);

	if (!cap || bytes <= cap || bytes - len > cap)
		return;
	if (time_before(jiffies, READ_ONCE(o->ev_stamp) +
				 MEMCTL_TIER_EVENT_INTERVAL))
		return;
	if (test_and_set_bit(MEMCTL_EV_PENDING, &o->ev_flags))
		return;
	WRITE_ONCE(o->ev_stamp, jiffies);
	refcount_inc(&o->ref);
	llist_add(&o->ev_node, &memctl_tier_ev_owners);
	schedule_work(&memctl_tier_ev_work);
}

/* Counts a page stored for @owner (may be NULL) in the tier's figures. */
static void memctl_tier_account_store(struct memctl_tier *t,
				      struct memctl_tier_owner *owner,
				      unsigned long flags)
{
	unsigned int len = flags & MEMCTL_SLOT_LEN_MASK;
	bool same = flags & BIT(MEMCTL_SLOT_SAME);
	struct memctl_tier_owner *o;

	atomic64_inc(&t->stats.stored_pages);
	atomic64_add(len, &t->stats.compressed_bytes);
	atomic64_inc(&t->stats.stores);
	if (same)
		atomic64_inc(&t->stats.same_filled_pages);
	if (flags & BIT(MEMCTL_SLOT_RAW))
		atomic64_inc(&t->stats.huge_pages);

	for (o = owner; o; o = o->parent) {
		u64 bytes = atomic64_add_return(len, &o->compressed_bytes);

		atomic64_inc(&o->stored_pages);
		atomic64_inc(&o->stores);
		if (same)
			atomic64_inc(&o->same_filled_pages);
		if (len)
			memctl_owner_check_cap(o, bytes, len);
	}
}

/* The opposite, when a slot is emptied. */
static void memctl_tier_account_free(struct memctl_tier *t,
				     struct memctl_tier_owner *owner,
				     unsigned long flags)
{
	unsigned int len = flags & MEMCTL_SLOT_LEN_MASK;
	bool same = flags & BIT(MEMCTL_SLOT_SAME);
	struct memctl_tier_owner *o;

	atomic64_dec(&t->stats.stored_pages);
	atomic64_sub(len, &t->stats.compressed_bytes);
	if (same)
		atomic64_dec(&t->stats.same_filled_pages);
	if (flags & BIT(MEMCTL_SLOT_RAW))
		atomic64_dec(&t->stats.huge_pages);

	for (o = owner; o; o = o->parent) {
		atomic64_dec(&o->stored_pages);
		atomic64_sub(len, &o->compressed_bytes);
		if (same)
			atomic64_dec(&o->same_filled_pages);
	}
}

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
	old->owner = s->owner;
	s->handle = 0;
	s->owner = NULL;
	s->flags &= BIT(MEMCTL_SLOT_LOCK);
	return true;
}

/* Frees what memctl_slot_take() took out and drops it from the figures. */
static void memctl_slot_release(struct memctl_tier *t,
				const struct memctl_slot_old *old)
{
	if (!(old->flags & BIT(MEMCTL_SLOT_SAME)))
		zs_free(t->pool, old->handle);
	memctl_tier_account_free(t, old->owner, old->flags);
	memctl_owner_put(old->owner);
}

/*
 * Empties slot @index: @freed when swap freed it or it was discarded (a
 * read of it fails), else it was zeroed (it reads as zeroes).
 */
static void memctl_tier_free_slot(struct memctl_tier *t, unsigned long index,
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
	if (had) {
		memctl_slot_release(t, &old);
		atomic64_inc(&t->stats.discards);
	}
}

/* FULL: a store found no room; at most one per interval. */
static void memctl_tier_raise_full(void)
{
	if (time_before(jiffies, READ_ONCE(memctl_tier_full_stamp) +
				 MEMCTL_TIER_EVENT_INTERVAL))
		return;
	WRITE_ONCE(memctl_tier_full_stamp, jiffies);
	if (!test_and_set_bit(MEMCTL_EV_FULL, &memctl_tier_ev_flags))
		schedule_work(&memctl_tier_ev_work);
}

/* zsmalloc flags: without sleeping (a stream is held), and with. */
#define MEMCTL_ZS_GFP_ATOMIC	(__GFP_KSWAPD_RECLAIM | __GFP_NOWARN | \
				 __GFP_HIGHMEM | __GFP_MOVABLE)
#define MEMCTL_ZS_GFP		(GFP_NOIO | __GFP_NOWARN | __GFP_HIGHMEM | \
				 __GFP_MOVABLE)

/*
 * Stores @page in slot @index for @owner, whose reference the slot takes
 * over on success.  Compression and allocation run without the slot lock.
 */
static int memctl_tier_store(struct memctl_tier *t, unsigned long index,
			     struct page *page, struct memctl_tier_owner *owner)
{
	struct memctl_comp_strm *strm = NULL;
	unsigned long handle = 0, flags = 0;
	unsigned int len, alloc_len = 0;
	struct memctl_slot_old old;
	struct memctl_tier_slot *s;
	bool had, raw = false;
	void *src;

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
	memctl_tier_account_store(t, owner, flags);
	s = &t->slots[index];
	memctl_slot_lock(t, index);
	had = memctl_slot_take(t, index, &old);
	s->handle = handle;
	s->owner = owner;
	s->flags &= ~BIT(MEMCTL_SLOT_FREED);
	s->flags |= BIT(MEMCTL_SLOT_STORED) | flags;
	memctl_slot_unlock(t, index);

	if (had)
		memctl_slot_release(t, &old);
	return 0;
}

/*
 * Reads slot @index into @page: a fresh slot as zeroes, a freed one not at
 * all (-EIO).
 */
static int memctl_tier_load(struct memctl_tier *t, unsigned long index,
			    struct page *page)
{
	struct memctl_tier_slot *s = &t->slots[index];
	struct memctl_tier_owner *o;
	unsigned int len;
	const void *src;
	void *dst;
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
	len = s->flags & MEMCTL_SLOT_LEN_MASK;

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

	/* The slot's reference keeps the owners while its lock is held. */
	if (!err) {
		for (o = s->owner; o; o = o->parent)
			atomic64_inc(&o->loads);
	}
	memctl_slot_unlock(t, index);

	if (err) {
		pr_err_ratelimited("%s: slot %lu does not decompress\n",
				   t->disk->disk_name, index);
		return err;
	}
	atomic64_inc(&t->stats.loads);
	flush_dcache_page(page);
	return 0;
}

/* One page out, with the owner taken from @owner_page. */
static int memctl_tier_write_page(struct memctl_tier *t, unsigned long index,
				  struct page *page, struct page *owner_page)
{
	struct memctl_tier_owner *owner;
	int err;

	owner = memctl_owner_of(owner_page);
	if (IS_ERR(owner)) {
		err = PTR_ERR(owner);
	} else {
		err = memctl_tier_store(t, index, page, owner);
		if (err)
			memctl_owner_put(owner);
	}
	if (err)
		atomic64_inc(&t->stats.failed_stores);
	return err;
}

static int memctl_tier_read_page(struct memctl_tier *t, unsigned long index,
				 struct page *page)
{
	int err = memctl_tier_load(t, index, page);

	if (err)
		atomic64_inc(&t->stats.failed_loads);
	return err;
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
 */
static int memctl_tier_rw_bio(struct memctl_tier *t, struct bio *bio)
{
	unsigned long index = bio->bi_iter.bi_sector >>
			      MEMCTL_SECTORS_PER_PAGE_SHIFT;
	bool write = op_is_write(bio_op(bio));
	struct page *bounce = NULL;
	unsigned int filled = 0;
	struct bvec_iter iter;
	struct bio_vec bv;
	int err = 0;

	bio_for_each_segment(bv, bio, iter) {
		if (!filled && !bv.bv_offset && bv.bv_len == PAGE_SIZE) {
			err = write ?
			      memctl_tier_write_page(t, index, bv.bv_page,
						     bv.bv_page) :
			      memctl_tier_read_page(t, index, bv.bv_page);
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
				err = memctl_tier_read_page(t, index, bounce);
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
				err = memctl_tier_write_page(t, index, bounce,
							     bv.bv_page);
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
		index = bio->bi_iter.bi_sector >> MEMCTL_SECTORS_PER_PAGE_SHIFT;
		for (n = bio->bi_iter.bi_size >> PAGE_SHIFT; n; n--, index++)
			memctl_tier_free_slot(t, index,
					      bio_op(bio) == REQ_OP_DISCARD);
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
 * Return: 0, -EINVAL past the end or unaligned, or the error of the store
 * or load (counted).
 */
int memctl_tier_rw_one(struct gendisk *disk, sector_t sector,
		       struct page *page, bool write)
{
	struct memctl_tier *t = disk->private_data;
	unsigned long index = sector >> MEMCTL_SECTORS_PER_PAGE_SHIFT;

	if (!memctl_tier_valid_io(t, sector, PAGE_SIZE))
		return -EINVAL;
	if (write)
		return memctl_tier_write_page(t, index, page, page);
	return memctl_tier_read_page(t, index, page);
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

	if (index < t->nr_slots)
		memctl_tier_free_slot(t, index, true);
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
		flush_work(&memctl_tier_ev_work);
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

static struct memctl_tier *memctl_tier_create(u64 size,
					      const struct memctl_comp_algo *algo,
					      struct nlattr *algo_attr,
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
			       "tier too large: its slot table (6 bytes per KiB) would take more than an eighth of RAM");
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
	pr_info("%s: %llu bytes, %s\n", disk->disk_name, size, algo->name);
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

/* Bars new openers; -EBUSY if the device is open. */
static int memctl_tier_claim(struct memctl_tier *t)
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

/* Tears down a claimed tier; it is no longer memctl_tier_cur. */
static void memctl_tier_destroy(struct memctl_tier *t)
{
	lockdep_assert_held(&memctl_tier_mutex);

	/* RCU readers (notifications, memctl_tier_active()) are done with t. */
	synchronize_rcu();
	/* Waits for I/O in flight; no more can come. */
	del_gendisk(t->disk);
	memctl_tier_free_all(t);
	zs_destroy_pool(t->pool);
	memctl_comp_destroy(t->comp);
	vfree(t->slots);
	put_disk(t->disk);
	pr_info("%s: deleted\n", MEMCTL_TIER_DEVICE_NAME);
	kfree(t);
}

/* Netlink */

static int memctl_tier_put_u64(struct sk_buff *skb, int attr, atomic64_t *v)
{
	return nla_put_u64_64bit(skb, attr, atomic64_read(v), MEMCTL_A_TIER_PAD);
}

/* The tier's attributes: under memctl_tier_mutex or RCU. */
static int memctl_tier_fill(struct sk_buff *skb, struct memctl_tier *t)
{
	struct memctl_tier_stats *st = &t->stats;

	if (nla_put_string(skb, MEMCTL_A_TIER_DEVICE, MEMCTL_TIER_DEVICE_NAME) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_TIER_SIZE, t->size,
			      MEMCTL_A_TIER_PAD) ||
	    nla_put_string(skb, MEMCTL_A_TIER_ALGO, t->comp->algo->name) ||
	    nla_put_u8(skb, MEMCTL_A_TIER_IN_USE, !!atomic_read(&t->openers)) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_STORED_PAGES,
				&st->stored_pages) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_COMPRESSED_BYTES,
				&st->compressed_bytes) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_TIER_POOL_BYTES,
			      (u64)zs_get_total_pages(t->pool) << PAGE_SHIFT,
			      MEMCTL_A_TIER_PAD) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_SAME_FILLED_PAGES,
				&st->same_filled_pages) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_HUGE_PAGES,
				&st->huge_pages) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_STORES, &st->stores) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_LOADS, &st->loads) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_FAILED_STORES,
				&st->failed_stores) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_FAILED_LOADS,
				&st->failed_loads) ||
	    memctl_tier_put_u64(skb, MEMCTL_A_TIER_DISCARDS, &st->discards))
		return -EMSGSIZE;
	return 0;
}

struct memctl_tier_ntf {
	struct memctl_tier *t;	/* or NULL: the current tier, if any */
	u32 event;
	u64 cgroup_id;		/* of a per-cgroup event, or 0 */
};

static int memctl_tier_event_fill(struct sk_buff *skb, const char *path,
				  void *arg)
{
	const struct memctl_tier_ntf *e = arg;
	struct memctl_tier *t;
	int err;

	if (nla_put_u32(skb, MEMCTL_A_TIER_EVENT, e->event) ||
	    (path && nla_put_string(skb, MEMCTL_A_TIER_CGROUP_PATH, path)) ||
	    (e->cgroup_id &&
	     nla_put_u64_64bit(skb, MEMCTL_A_TIER_CGROUP_ID, e->cgroup_id,
			       MEMCTL_A_TIER_PAD)))
		return -EMSGSIZE;
	if (e->t)
		return memctl_tier_fill(skb, e->t);
	rcu_read_lock();
	t = rcu_dereference(memctl_tier_cur);
	err = t ? memctl_tier_fill(skb, t) : -ENODEV;
	rcu_read_unlock();
	return err;
}

/*
 * Sends a TIER_NTF about @t, or, when @t is NULL, about the current tier if
 * there is one; @cgroup_id names the cgroup of a per-cgroup event, or is 0.
 * Process context.
 */
static void memctl_tier_notify(struct memctl_tier *t, u32 event,
			       u64 cgroup_id)
{
	struct memctl_tier_ntf e = {
		.t = t, .event = event, .cgroup_id = cgroup_id,
	};
	struct cgroup *cgrp = NULL;

	/* The cgroup may be gone (an ERR_PTR): then the event has its id only. */
	if (cgroup_id)
		cgrp = cgroup_get_from_id(cgroup_id);
	memctl_nl_event(cgrp, MEMCTL_CMD_TIER_NTF, NLMSG_DEFAULT_SIZE,
			memctl_tier_event_fill, &e);
	if (!IS_ERR_OR_NULL(cgrp))
		cgroup_put(cgrp);
}

static void memctl_tier_ev_workfn(struct work_struct *work)
{
	struct memctl_tier_owner *o, *next;
	struct llist_node *list;

	if (test_and_clear_bit(MEMCTL_EV_FULL, &memctl_tier_ev_flags))
		memctl_tier_notify(NULL, MEMCTL_TIER_EVENT_FULL, 0);

	list = llist_del_all(&memctl_tier_ev_owners);
	llist_for_each_entry_safe(o, next, list, ev_node) {
		clear_bit(MEMCTL_EV_PENDING, &o->ev_flags);
		memctl_tier_notify(NULL, MEMCTL_TIER_EVENT_CAP_EXCEEDED, o->id);
		memctl_owner_put(o);
	}
}

/**
 * memctl_nl_tier_set_doit - MEMCTL_CMD_TIER_SET: create /dev/memctl0
 * @skb: the request
 * @info: its attributes, validated by the family's policy
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memctl_nl_tier_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *algo_attr = info->attrs[MEMCTL_A_TIER_ALGO];
	const struct memctl_comp_algo *algo;
	struct memctl_tier *t;
	u64 size;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, MEMCTL_A_TIER_SIZE)) {
		GENL_SET_ERR_MSG(info, "size is required: bytes of swap the tier offers");
		return -EINVAL;
	}
	size = PAGE_ALIGN(nla_get_u64(info->attrs[MEMCTL_A_TIER_SIZE]));
	algo = memctl_comp_find(algo_attr ? nla_data(algo_attr) : "lz4");
	if (!algo) {
		NL_SET_ERR_MSG_ATTR(info->extack, algo_attr,
				    "unknown compressor: use lz4, lzo-rle, zstd, lzo, lz4hc or deflate");
		return -EINVAL;
	}

	mutex_lock(&memctl_tier_mutex);
	if (rcu_access_pointer(memctl_tier_cur)) {
		GENL_SET_ERR_MSG(info,
				 "the tier exists already: delete it first (TIER_DEL)");
		err = -EEXIST;
		goto out_unlock;
	}
	t = memctl_tier_create(size, algo, algo_attr, info->extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out_unlock;
	}
	rcu_assign_pointer(memctl_tier_cur, t);
	memctl_tier_notify(t, MEMCTL_TIER_EVENT_CREATED, 0);
out_unlock:
	mutex_unlock(&memctl_tier_mutex);
	return err;
}

/**
 * memctl_nl_tier_get_doit - MEMCTL_CMD_TIER_GET: the tier and its counters
 * @skb: the request
 * @info: the request's info
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memctl_nl_tier_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct memctl_tier *t;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&memctl_tier_mutex);
	t = rcu_dereference_protected(memctl_tier_cur,
				      lockdep_is_held(&memctl_tier_mutex));
	if (!t) {
		GENL_SET_ERR_MSG(info, "there is no tier: create it with TIER_SET");
		err = -ENOENT;
		goto err_unlock;
	}
	err = -EMSGSIZE;
	hdr = memctl_nl_reply_put(msg, info, MEMCTL_CMD_TIER_GET);
	if (!hdr || memctl_tier_fill(msg, t))
		goto err_unlock;
	mutex_unlock(&memctl_tier_mutex);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&memctl_tier_mutex);
	nlmsg_free(msg);
	return err;
}

/**
 * memctl_nl_tier_del_doit - MEMCTL_CMD_TIER_DEL: delete /dev/memctl0
 * @skb: the request
 * @info: the request's info
 *
 * Refused with -EBUSY while the device is open (swapped on).
 *
 * Return: 0 or a negative errno with an extack message.
 */
int memctl_nl_tier_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct memctl_tier *t;
	int err;

	mutex_lock(&memctl_tier_mutex);
	t = rcu_dereference_protected(memctl_tier_cur,
				      lockdep_is_held(&memctl_tier_mutex));
	if (!t) {
		GENL_SET_ERR_MSG(info, "there is no tier to delete");
		err = -ENOENT;
		goto out_unlock;
	}
	err = memctl_tier_claim(t);
	if (err) {
		GENL_SET_ERR_MSG(info,
				 "the tier's device is open (swapped on?): swapoff it first");
		goto out_unlock;
	}
	RCU_INIT_POINTER(memctl_tier_cur, NULL);
	memctl_tier_notify(t, MEMCTL_TIER_EVENT_DELETED, 0);
	memctl_tier_destroy(t);
out_unlock:
	mutex_unlock(&memctl_tier_mutex);
	return err;
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
 * memctl_tier_cgroup_stats - what a cgroup's subtree holds in the tier
 * @cgroup_id: the cgroup
 * @st: filled in; all zero if it holds nothing
 */
void memctl_tier_cgroup_stats(u64 cgroup_id, struct memctl_tier_cg_stats *st)
{
	struct memctl_tier_owner *o;

	memset(st, 0, sizeof(*st));
	rcu_read_lock();
	o = xa_load(&memctl_tier_owners, cgroup_id);
	if (o && refcount_read(&o->ref)) {
		st->stored_pages = atomic64_read(&o->stored_pages);
		st->compressed_bytes = atomic64_read(&o->compressed_bytes);
		st->same_filled_pages = atomic64_read(&o->same_filled_pages);
		st->stores = atomic64_read(&o->stores);
		st->loads = atomic64_read(&o->loads);
	}
	rcu_read_unlock();
}

/**
 * memctl_tier_room - compressed bytes a cgroup may still put in the tier
 * @memcg: the cgroup
 * @tier_max: its policy's cap, 0 for none
 *
 * For the reclaim engine: an anon pass that reclaims at most this many
 * bytes of anonymous memory cannot take the cgroup's subtree past its cap
 * (a page never takes more room in the tier than in memory), but for the
 * last batch of pages the kernel's reclaim rounds up to.
 *
 * Return: the room left, 0 when at or over the cap, U64_MAX without a cap.
 */
u64 memctl_tier_room(struct mem_cgroup *memcg, u64 tier_max)
{
	struct memctl_tier_cg_stats st;

	if (!tier_max)
		return U64_MAX;
	memctl_tier_cgroup_stats(cgroup_id(memcg->css.cgroup), &st);
	return st.compressed_bytes < tier_max ?
	       tier_max - st.compressed_bytes : 0;
}

/**
 * memctl_tier_may_store - may proactive reclaim push more of a cgroup's
 * anonymous pages into the tier?
 * @memcg: the cgroup
 * @tier_max: its policy's cap, 0 for none
 *
 * Return: false when the cgroup's subtree holds @tier_max compressed bytes
 * or more in the tier.
 */
bool memctl_tier_may_store(struct mem_cgroup *memcg, u64 tier_max)
{
	return memctl_tier_room(memcg, tier_max) > 0;
}

/**
 * memctl_tier_anon_room - how much anonymous memory proactive reclaim may
 * still push out of a cgroup
 * @memcg: the cgroup memctl reclaims
 *
 * While the tier is swapped on, the kernel writes swapped-out pages there
 * first (give it the highest swap priority), so the anon pass is the
 * tier's: a policy with tier off leaves it no room at all, one with tier on
 * the room under its tier-max, checked against what @memcg's subtree holds
 * in the tier.  Without an active tier or a policy there is no cap.
 *
 * Return: memctl_tier_room() under the cap: 0 means stop, U64_MAX no cap.
 */
u64 memctl_tier_anon_room(struct mem_cgroup *memcg)
{
	struct memctl_policy *p;
	struct memctl_params pa;

	if (!memctl_tier_active())
		return U64_MAX;
	p = memctl_policy_lookup(cgroup_id(memcg->css.cgroup));
	if (!p)
		return U64_MAX;
	memctl_policy_read(p, &pa);
	memctl_policy_put(p);
	if (!pa.tier)
		return 0;
	return memctl_tier_room(memcg, pa.tier_max);
}

/**
 * memctl_tier_fill_stats - the MEMCTL_A_STATS_TIER_* of a cgroup
 * @skb: the STATS_GET reply or dump message
 * @cgroup_id: the cgroup
 * @tier_max: its policy's cap, 0 for none, to report the overage
 *
 * Puts every tier attribute of the stats set but CAP_STOPS, which the
 * reclaim engine counts.  All are present, zero when there is no tier.
 *
 * Return: 0 or -EMSGSIZE.
 */
int memctl_tier_fill_stats(struct sk_buff *skb, u64 cgroup_id, u64 tier_max)
{
	struct memctl_tier_cg_stats st;
	u64 over;

	memctl_tier_cgroup_stats(cgroup_id, &st);
	over = tier_max && st.compressed_bytes > tier_max ?
	       st.compressed_bytes - tier_max : 0;
	if (nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_STORED_PAGES,
			      st.stored_pages, MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_COMPRESSED_BYTES,
			      st.compressed_bytes, MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_SAME_FILLED_PAGES,
			      st.same_filled_pages, MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_STORES, st.stores,
			      MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_LOADS, st.loads,
			      MEMCTL_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MEMCTL_A_STATS_TIER_OVERAGE, over,
			      MEMCTL_A_STATS_PAD))
		return -EMSGSIZE;
	return 0;
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

	flush_work(&memctl_tier_ev_work);
	WARN_ON(!xa_empty(&memctl_tier_owners));
	/* The last owner records go through kfree_rcu(). */
	rcu_barrier();
	memctl_comp_exit();
}
