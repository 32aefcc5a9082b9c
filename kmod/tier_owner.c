// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compressed tier's owners: the record of each cgroup that has pages in
 * the tier, what its subtree holds there, and its policy's cap.
 *
 * Rules:
 *  - A stored slot holds a reference on its owner record; a record holds
 *    its parent's.
 *  - Every store is checked against the policies of the owner's cgroup and
 *    of all its ancestors (tier off, tier-max), whoever reclaims: see
 *    memctl_tier_charge().  A record caches its policy's word per policy
 *    generation; the store path takes no lock and allocates nothing but
 *    the first record of a cgroup.
 */
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "memctl.h"
#include "policy.h"
#include "tier.h"
#include "tier_backing.h"
#include "tier_internal.h"

/*
 * cgroup id -> struct memctl_tier_owner.  Lookups run under RCU and take a
 * reference if the record is still live; records are inserted and erased
 * under the xarray's own lock, and freed after a grace period.
 */
static DEFINE_XARRAY(memctl_tier_owners);

/*
 * Owner index -> record: the slots name their owner by a small index in
 * their flags word, not by a pointer (a word less per slot).  A record's
 * index is allocated before it is published and erased when it is freed;
 * a slot's reference keeps its record, so memctl_owner_by_idx() needs no
 * reference of its own.
 */
static DEFINE_XARRAY_ALLOC1(memctl_tier_owner_idx);

/* Owner records */

/**
 * memctl_owner_put - drop a reference on an owner record
 * @o: the record, or NULL
 *
 * The last reference erases the record and drops its parent's.
 */
void memctl_owner_put(struct memctl_tier_owner *o)
{
	while (o && refcount_dec_and_test(&o->ref)) {
		struct memctl_tier_owner *parent = o->parent;

		/* A new record may have replaced this dying one already. */
		xa_cmpxchg(&memctl_tier_owners, o->id, o, NULL, 0);
		xa_erase(&memctl_tier_owner_idx, o->idx);
		kfree_rcu(o, rcu);
		o = parent;
	}
}

/**
 * memctl_owner_by_idx - the owner record a slot names
 * @idx: the owner index of the slot's flags word, 0 for none
 *
 * The caller holds the slot's lock, and so the slot's reference.
 *
 * Return: the record, or NULL.
 */
struct memctl_tier_owner *memctl_owner_by_idx(u32 idx)
{
	return idx ? xa_load(&memctl_tier_owner_idx, idx) : NULL;
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
	int err;

	new = kzalloc(sizeof(*new), GFP_NOIO | __GFP_NOWARN);
	if (!new) {
		memctl_owner_put(parent);
		return ERR_PTR(-ENOMEM);
	}
	/* -EBUSY: every index is taken (only on 32-bit kernels). */
	err = xa_alloc(&memctl_tier_owner_idx, &new->idx, new,
		       XA_LIMIT(1, MEMCTL_SLOT_OWNER_MAX), GFP_NOIO);
	if (err) {
		kfree(new);
		memctl_owner_put(parent);
		return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
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
			xa_erase(&memctl_tier_owner_idx, new->idx);
			kfree(new);
			memctl_owner_put(parent);
			return cur;
		}
		/* Empty, or a dying record that its last put will not erase. */
		old = __xa_cmpxchg(&memctl_tier_owners, id, cur, new, GFP_NOIO);
		xa_unlock(&memctl_tier_owners);
		if (xa_is_err(old)) {
			xa_erase(&memctl_tier_owner_idx, new->idx);
			kfree(new);
			memctl_owner_put(parent);
			return ERR_PTR(xa_err(old));
		}
		if (old == cur)
			return new;
	}
}

/**
 * memctl_owner_of - the owner record of the cgroup a page is charged to
 * @page: the page being stored
 *
 * Makes the record, and those of its ancestors, if it is the first.
 *
 * Return: the record with a reference, NULL for the root cgroup and pages
 * no memcg owns, or an ERR_PTR.
 */
struct memctl_tier_owner *memctl_owner_of(struct page *page)
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

/*
 * What a record's cgroup's policy says about stores, cached in o->cap:
 * no cap, tier off (nothing of its subtree is stored), or a cap in bytes
 * (a policy's tier-max is at most MEMCTL_HIGH_MAX, far below U64_MAX).
 */
#define MEMCTL_OWNER_NO_CAP	0
#define MEMCTL_OWNER_TIER_OFF	U64_MAX

/*
 * The policy of @o's cgroup, as a cap (above), looked up once per policy
 * generation @gen: a policy change bumps the generation after it is made,
 * so a cache filled at the current generation is at least that new.  One
 * word: racing refills cannot tear it.
 */
static u64 memctl_owner_cap(struct memctl_tier_owner *o, u32 gen)
{
	struct memctl_policy *p;
	struct memctl_params pa;
	u64 cap = MEMCTL_OWNER_NO_CAP;

	if (READ_ONCE(o->cap_gen) == gen) {
		smp_rmb();	/* pairs with smp_wmb() below */
		return READ_ONCE(o->cap);
	}
	p = memctl_policy_lookup(o->id);
	if (p) {
		memctl_policy_read(p, &pa);
		/* Only a tier off that was said binds; unsaid, only the cap. */
		cap = pa.tier_set && !pa.tier ? MEMCTL_OWNER_TIER_OFF :
						pa.tier_max;
		memctl_policy_put(p);
	}
	WRITE_ONCE(o->cap, cap);
	smp_wmb();	/* cap before cap_gen: pairs with smp_rmb() above */
	WRITE_ONCE(o->cap_gen, gen);
	return cap;
}

/*
 * A store of a page of @owner's is refused by @o's policy: counted there
 * (when @count), and CAP_EXCEEDED raised when it was the cap, not tier off.
 */
static void memctl_owner_refused(struct memctl_tier_owner *o, u64 cap,
				 bool count)
{
	if (!count)
		return;
	memctl_policy_count_tier_refusal(o->id);
	if (cap != MEMCTL_OWNER_TIER_OFF)
		memctl_tier_raise_cap_exceeded(o);
}

/**
 * memctl_tier_may_store_page - the check before a page is compressed
 * @owner: the page's owner record, or NULL
 * @same: the page is same-filled (it takes no bytes)
 * @count: count a refusal (false where the same store is tried again)
 *
 * Refuses a page when @owner or an ancestor has tier off, and, unless
 * @same, when one of them already holds its cap or more: a page that
 * takes any bytes cannot fit.  Saves compressing a page that is refused
 * anyway; memctl_tier_charge() is the exact check.
 *
 * Return: 0; refused: -ENOSPC by a tier off, -EDQUOT by a cap.
 */
int memctl_tier_may_store_page(struct memctl_tier_owner *owner, bool same,
			       bool count)
{
	u32 gen = memctl_policy_generation();
	struct memctl_tier_owner *o;

	for (o = owner; o; o = o->parent) {
		u64 cap = memctl_owner_cap(o, gen);

		if (cap == MEMCTL_OWNER_NO_CAP)
			continue;
		if (cap == MEMCTL_OWNER_TIER_OFF ||
		    (!same && atomic64_read(&o->compressed_bytes) >= cap)) {
			memctl_owner_refused(o, cap, count);
			return cap == MEMCTL_OWNER_TIER_OFF ? -ENOSPC : -EDQUOT;
		}
	}
	return 0;
}

/*
 * Adds @len to @o's compressed bytes if they stay within @cap: a compare
 * and add, so that of stores racing for the last room, those that fit
 * pass and the others see the bytes the winners added.
 */
static bool memctl_owner_reserve(struct memctl_tier_owner *o, u64 cap,
				 unsigned int len)
{
	s64 cur = atomic64_read(&o->compressed_bytes);

	do {
		if ((u64)cur + len > cap)
			return false;
	} while (!atomic64_try_cmpxchg(&o->compressed_bytes, &cur, cur + len));
	return true;
}

/**
 * memctl_tier_charge - count a page about to be stored, within the caps
 * @t: the tier
 * @owner: the page's owner record, or NULL
 * @flags: the slot's new flags word (length and MEMCTL_SLOT_SAME/RAW)
 * @count: count a refusal (false where the same store is tried again)
 *
 * Walks @owner and its ancestors: each with tier off refuses the page;
 * each with a cap takes the page's compressed length only if its subtree
 * stays within the cap (memctl_owner_reserve()); the others take it
 * unchecked.  A refusal takes back what the records below took, so a page
 * is counted everywhere or nowhere.  The caps hold exactly: every byte a
 * capped record counts went through the compare and add.  Taking back
 * leaves a short window in which a record below counts a page that is
 * refused higher up: a store racing with it may be refused though it would
 * have fit, never passed when it does not.
 *
 * Return: 0, counted; refused, nothing counted: -ENOSPC by a tier off,
 * -EDQUOT by a cap.
 */
int memctl_tier_charge(struct memctl_tier *t, struct memctl_tier_owner *owner,
		       unsigned long flags, bool count)
{
	unsigned int len = flags & MEMCTL_SLOT_LEN_MASK;
	bool same = flags & BIT(MEMCTL_SLOT_SAME);
	u32 gen = memctl_policy_generation();
	struct memctl_tier_owner *o, *u;

	for (o = owner; o; o = o->parent) {
		u64 cap = memctl_owner_cap(o, gen);

		if (cap == MEMCTL_OWNER_NO_CAP) {
			atomic64_add(len, &o->compressed_bytes);
			continue;
		}
		/* A same-filled page takes no bytes: no cap stops it. */
		if (cap != MEMCTL_OWNER_TIER_OFF &&
		    (!len || memctl_owner_reserve(o, cap, len)))
			continue;
		for (u = owner; u != o; u = u->parent)
			atomic64_sub(len, &u->compressed_bytes);
		memctl_owner_refused(o, cap, count);
		return cap == MEMCTL_OWNER_TIER_OFF ? -ENOSPC : -EDQUOT;
	}

	atomic64_inc(&t->stats.stored_pages);
	atomic64_add(len, &t->stats.compressed_bytes);
	atomic64_inc(&t->stats.stores);
	if (same)
		atomic64_inc(&t->stats.same_filled_pages);
	if (flags & BIT(MEMCTL_SLOT_RAW))
		atomic64_inc(&t->stats.huge_pages);
	for (o = owner; o; o = o->parent) {
		atomic64_inc(&o->stored_pages);
		atomic64_inc(&o->stores);
		if (same)
			atomic64_inc(&o->same_filled_pages);
	}
	return 0;
}

/**
 * memctl_tier_account_backing_store - count a page stored straight on the
 *	backing device
 * @t: the tier, with a backing device
 * @owner: the page's owner record, or NULL
 *
 * It holds no RAM: no cap takes it.
 */
void memctl_tier_account_backing_store(struct memctl_tier *t,
				       struct memctl_tier_owner *owner)
{
	struct memctl_tier_owner *o;

	atomic64_inc(&t->stats.stores);
	atomic64_inc(&t->backing->pages);
	for (o = owner; o; o = o->parent) {
		atomic64_inc(&o->stores);
		atomic64_inc(&o->backing_pages);
	}
}

/**
 * memctl_tier_account_free - the opposite, when a slot is emptied
 * @t: the tier
 * @owner: the owner record the slot held, or NULL
 * @flags: the slot's flags word as it was
 */
void memctl_tier_account_free(struct memctl_tier *t,
			      struct memctl_tier_owner *owner,
			      unsigned long flags)
{
	unsigned int len = flags & MEMCTL_SLOT_LEN_MASK;
	bool same = flags & BIT(MEMCTL_SLOT_SAME);
	struct memctl_tier_owner *o;

	if (flags & BIT(MEMCTL_SLOT_BACKED)) {
		atomic64_dec(&t->backing->pages);
		for (o = owner; o; o = o->parent)
			atomic64_dec(&o->backing_pages);
		return;
	}
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

/**
 * memctl_tier_account_backed - a page moved from RAM to the backing device
 * @t: the tier
 * @owner: the owner record the slot holds, or NULL
 * @flags: the slot's flags word while in RAM
 *
 * Its compressed bytes leave the caps' count: they held RAM only.
 */
void memctl_tier_account_backed(struct memctl_tier *t,
				struct memctl_tier_owner *owner,
				unsigned long flags)
{
	unsigned int len = flags & MEMCTL_SLOT_LEN_MASK;
	struct memctl_tier_owner *o;

	atomic64_dec(&t->stats.stored_pages);
	atomic64_sub(len, &t->stats.compressed_bytes);
	if (flags & BIT(MEMCTL_SLOT_RAW))
		atomic64_dec(&t->stats.huge_pages);
	atomic64_inc(&t->backing->pages);
	for (o = owner; o; o = o->parent) {
		atomic64_dec(&o->stored_pages);
		atomic64_sub(len, &o->compressed_bytes);
		atomic64_inc(&o->backing_pages);
	}
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
		st->backing_pages = atomic64_read(&o->backing_pages);
	}
	rcu_read_unlock();
}

/* The room under @tier_max left to cgroup @id's subtree. */
static u64 memctl_tier_room_id(u64 id, u64 tier_max)
{
	struct memctl_tier_cg_stats st;

	if (!tier_max)
		return U64_MAX;
	memctl_tier_cgroup_stats(id, &st);
	return st.compressed_bytes < tier_max ?
	       tier_max - st.compressed_bytes : 0;
}

/**
 * memctl_tier_room - compressed bytes a cgroup may still put in the tier
 * @memcg: the cgroup
 * @tier_max: its policy's cap, 0 for none
 *
 * Return: the room left, 0 when at or over the cap, U64_MAX without a cap.
 */
u64 memctl_tier_room(struct mem_cgroup *memcg, u64 tier_max)
{
	return memctl_tier_room_id(cgroup_id(memcg->css.cgroup), tier_max);
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
 * tier's, and the tier's store path refuses what the policies of @memcg
 * and of its ancestors do not allow (memctl_tier_charge()).  This is the
 * same rule read ahead, so that the pass does not ask for pages that would
 * be refused: none at all when @memcg's policy does not say tier on or an
 * ancestor's says tier off, else
 * the least room any of them leaves under its tier-max, each checked
 * against what its own subtree holds in the tier, and none once that is
 * less than a page (the cap may refuse the next one; with a page of room
 * or more, every page fits).  A page never takes more room in the tier
 * than in memory.  Without an active tier there is no cap.
 *
 * Return: the room: 0 means stop, U64_MAX no cap.
 */
u64 memctl_tier_anon_room(struct mem_cgroup *memcg)
{
	struct cgroup *cgrp = memcg->css.cgroup;
	struct memctl_policy *p;
	struct memctl_params pa;
	u64 room = U64_MAX;
	int level;

	if (!memctl_tier_active())
		return U64_MAX;
	/* memcg's reference keeps its cgroup's ancestors. */
	for (level = cgrp->level; level >= 1 && room; level--) {
		u64 id = cgroup_id(cgrp->ancestors[level]);

		p = memctl_policy_lookup(id);
		if (!p)
			continue;
		memctl_policy_read(p, &pa);
		memctl_policy_put(p);
		/*
		 * The cgroup's own policy opens the tier to memctl's anon
		 * pass with tier on; an ancestor's closes it with tier off.
		 */
		if (level == cgrp->level ? !pa.tier : pa.tier_set && !pa.tier)
			return 0;
		room = min(room, memctl_tier_room_id(id, pa.tier_max));
	}
	/* Less than a page: the cap may refuse the next page. */
	return room < PAGE_SIZE ? 0 : room;
}

/**
 * memctl_tier_owners_exit - at unload, once no slot holds a record
 */
void memctl_tier_owners_exit(void)
{
	WARN_ON(!xa_empty(&memctl_tier_owners));
	WARN_ON(!xa_empty(&memctl_tier_owner_idx));
	/* The last owner records go through kfree_rcu(). */
	rcu_barrier();
}
