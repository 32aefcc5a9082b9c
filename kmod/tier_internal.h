/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the compressed tier's three files share: tier.c (the device: its
 * slots, their store and load, the block I/O, creation and deletion),
 * tier_owner.c (the per-cgroup owner records and the cap) and tier_nl.c
 * (the netlink commands and TIER_NTF events).  The rest of the module uses
 * tier.h.
 */
#ifndef _MEMCTL_TIER_INTERNAL_H
#define _MEMCTL_TIER_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/llist.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <asm/page.h>

struct gendisk;
struct memctl_backing;
struct memctl_comp;
struct memctl_comp_algo;
struct netlink_ext_ack;
struct nlattr;
struct page;
struct zs_pool;

/* At most one notification of each kind per second (per cgroup). */
#define MEMCTL_TIER_EVENT_INTERVAL	HZ

/*
 * Slots.  Rules:
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
 */

/*
 * A slot's flags word: the stored length in the low bits, then flags, then
 * the index of its owner record (0 for none) in the rest, so that a slot
 * takes two words, as zram's entries do (see memctl_slot_owner()).
 */
#define MEMCTL_SLOT_LEN_BITS		(PAGE_SHIFT + 1)
#define MEMCTL_SLOT_LEN_MASK		(BIT(MEMCTL_SLOT_LEN_BITS) - 1)

enum memctl_slot_flag {
	MEMCTL_SLOT_LOCK = MEMCTL_SLOT_LEN_BITS,	/* the slot's bit spinlock */
	MEMCTL_SLOT_STORED,		/* holds a page */
	MEMCTL_SLOT_SAME,		/* handle is the fill word */
	MEMCTL_SLOT_RAW,		/* stored as it is, a whole page */
	MEMCTL_SLOT_FREED,		/* emptied by a free or discard */
	MEMCTL_SLOT_BACKED,		/* on the backing device: handle is its block */
	MEMCTL_SLOT_IDLE,		/* untouched since the last idle pass */
	MEMCTL_SLOT_WB,			/* being written back (a pass holds a copy) */
	MEMCTL_SLOT_OWNER_SHIFT,	/* the owner index, up to the top */
};

/* The flags word's bits that hold the owner index. */
#define MEMCTL_SLOT_OWNER_MASK	GENMASK(BITS_PER_LONG - 1, MEMCTL_SLOT_OWNER_SHIFT)

/*
 * Owner indexes: 1 up to what the flags word holds above the flags, at
 * most U32_MAX (on 64-bit; 2047 on 32-bit kernels).
 */
#define MEMCTL_SLOT_OWNER_MAX	\
	((u32)min_t(unsigned long, U32_MAX, ULONG_MAX >> MEMCTL_SLOT_OWNER_SHIFT))

/*
 * Everything but the lock bit and the length is under the lock bit.  The
 * owner index stands for a reference on the record.
 */
struct memctl_tier_slot {
	unsigned long handle;		/* zsmalloc handle, or the fill word */
	unsigned long flags;		/* length, flags, owner index */
};

/*
 * The owner record of one cgroup: what its subtree holds in the tier.
 * tier_owner.c keeps them (its rules are there).
 */
struct memctl_tier_owner {
	u64 id;					/* cgroup id, key */
	struct memctl_tier_owner *parent;	/* a reference; NULL at level 1 */
	/* Own slots + child records + transient references (lookups, events). */
	refcount_t ref;
	u32 idx;				/* in slots' flags words */
	atomic64_t stored_pages;
	atomic64_t compressed_bytes;
	atomic64_t same_filled_pages;
	atomic64_t stores;
	atomic64_t loads;
	atomic64_t backing_pages;		/* on the backing device */

	/*
	 * The policy's word on stores (no cap, tier off, or its tier-max),
	 * cached; valid while cap_gen is the policy generation.
	 */
	u64 cap;
	u32 cap_gen;

	/* CAP_EXCEEDED: queued by tier_nl.c while pending. */
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
	/* Set at creation, or NULL; pages written back live there. */
	struct memctl_backing *backing;
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

/* tier.c: the tier (see there for the rules of memctl_tier_mutex). */
extern struct mutex memctl_tier_mutex;
extern struct memctl_tier __rcu *memctl_tier_cur;

struct memctl_tier *memctl_tier_create(u64 size,
				       const struct memctl_comp_algo *algo,
				       struct nlattr *algo_attr,
				       struct memctl_backing *backing,
				       struct netlink_ext_ack *extack);
int memctl_tier_writeback(struct memctl_tier *t, u32 mode, bool mark,
			  u64 *written);
int memctl_tier_claim(struct memctl_tier *t);
void memctl_tier_destroy(struct memctl_tier *t);

/* tier_owner.c: owner records and the accounting of stores. */
struct memctl_tier_owner *memctl_owner_of(struct page *page);
struct memctl_tier_owner *memctl_owner_by_idx(u32 idx);
void memctl_owner_put(struct memctl_tier_owner *o);
int memctl_tier_may_store_page(struct memctl_tier_owner *owner, bool same,
			       bool count);
int memctl_tier_charge(struct memctl_tier *t, struct memctl_tier_owner *owner,
		       unsigned long flags, bool count);
void memctl_tier_account_free(struct memctl_tier *t,
			      struct memctl_tier_owner *owner,
			      unsigned long flags);
void memctl_tier_account_backing_store(struct memctl_tier *t,
				       struct memctl_tier_owner *owner);
void memctl_tier_account_backed(struct memctl_tier *t,
				struct memctl_tier_owner *owner,
				unsigned long flags);
void memctl_tier_owners_exit(void);

/* tier_nl.c: events that stores raise, sent from process context. */
void memctl_tier_raise_full(void);
void memctl_tier_raise_cap_exceeded(struct memctl_tier_owner *o);
void memctl_tier_events_flush(void);

#endif /* _MEMCTL_TIER_INTERNAL_H */
