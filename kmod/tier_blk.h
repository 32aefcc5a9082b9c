/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between the tier (tier.c) and its block-layer glue (tier_blk.c), which
 * makes /dev/memctl0's gendisk and block_device_operations the way this
 * kernel's block layer wants them and calls back into the tier.
 */
#ifndef _MEMCTL_TIER_BLK_H
#define _MEMCTL_TIER_BLK_H

#include <linux/blk_types.h>
#include <linux/types.h>

struct bio;
struct block_device;
struct gendisk;
struct page;

/* tier_blk.c: a disk with the tier's queue limits and operations. */
struct gendisk *memctl_tier_blk_alloc(void);

/* tier.c: what the operations do. */
void memctl_tier_submit_bio(struct bio *bio);
int memctl_tier_rw_one(struct gendisk *disk, sector_t sector,
		       struct page *page, bool write);
void memctl_tier_slot_free_notify(struct block_device *bdev,
				  unsigned long index);
int memctl_tier_open(struct gendisk *disk);
void memctl_tier_release(struct gendisk *disk);

#endif /* _MEMCTL_TIER_BLK_H */
