// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tier's block-layer glue: /dev/memctl0's gendisk, queue limits and
 * operations, the way this kernel's block layer takes them.  What the
 * operations do is the tier's (tier.c); Documentation/design.rst
 * ("Kernels: the tier") tells what differs and why.
 *
 * - Queue limits: given to blk_alloc_disk() with the features in them
 *   (MEMCTL_HAVE_BLK_ALLOC_DISK_LIM, MEMCTL_HAVE_BLK_FEAT), or set on the
 *   queue after it, as the older kernels want.  The device declares itself
 *   synchronous where the features say so.
 * - open() takes the gendisk and release() no mode
 *   (MEMCTL_HAVE_BLK_OPEN_GENDISK), or the block device and a mode.
 * - rw_page(), where the kernel still has it (MEMCTL_HAVE_BLK_RW_PAGE):
 *   swap's synchronous path for single pages; a large folio gets
 *   -EOPNOTSUPP and comes again as a bio.  Without it every page comes as
 *   a bio.
 */
#include <linux/blkdev.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/pagemap.h>

#include "tier_blk.h"

#ifdef MEMCTL_HAVE_BLK_OPEN_GENDISK
static int memctl_tier_blk_open(struct gendisk *disk, blk_mode_t mode)
{
	return memctl_tier_open(disk);
}

static void memctl_tier_blk_release(struct gendisk *disk)
{
	memctl_tier_release(disk);
}
#else
static int memctl_tier_blk_open(struct block_device *bdev, fmode_t mode)
{
	return memctl_tier_open(bdev->bd_disk);
}

static void memctl_tier_blk_release(struct gendisk *disk, fmode_t mode)
{
	memctl_tier_release(disk);
}
#endif

#ifdef MEMCTL_HAVE_BLK_RW_PAGE
static int memctl_tier_blk_rw_page(struct block_device *bdev, sector_t sector,
				   struct page *page, enum req_op op)
{
	struct folio *folio = page_folio(page);
	bool write = op_is_write(op);
	unsigned long start;
	int err;

	if (folio_test_large(folio))
		return -EOPNOTSUPP;

#ifdef MEMCTL_HAVE_BDEV_IO_ACCT_SECTORS
	start = bdev_start_io_acct(bdev->bd_disk->part0, PAGE_SECTORS, op,
				   jiffies);
#else
	start = bdev_start_io_acct(bdev->bd_disk->part0, op, jiffies);
#endif
	err = memctl_tier_rw_one(bdev->bd_disk, sector, page, write);
#ifdef MEMCTL_HAVE_BDEV_IO_ACCT_SECTORS
	bdev_end_io_acct(bdev->bd_disk->part0, op, start);
#else
	bdev_end_io_acct(bdev->bd_disk->part0, op, PAGE_SECTORS, start);
#endif

	/* On error the caller retries with a bio, which ends the page. */
	if (err)
		return err;
	if (write) {
		folio_end_writeback(folio);
	} else {
		folio_mark_uptodate(folio);
		folio_unlock(folio);
	}
	return 0;
}
#endif

static const struct block_device_operations memctl_tier_fops = {
	/* Each opener holds a reference on the module. */
	.owner			= THIS_MODULE,
	.open			= memctl_tier_blk_open,
	.release		= memctl_tier_blk_release,
	.submit_bio		= memctl_tier_submit_bio,
#ifdef MEMCTL_HAVE_BLK_RW_PAGE
	.rw_page		= memctl_tier_blk_rw_page,
#endif
	.swap_slot_free_notify	= memctl_tier_slot_free_notify,
};

#ifndef MEMCTL_HAVE_BLK_FEAT
static void memctl_tier_blk_queue_flags(struct request_queue *q)
{
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
	/* Pages written may not change while we compress them. */
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
}
#endif

/**
 * memctl_tier_blk_alloc - a disk for the tier, not added yet
 *
 * All I/O comes in whole, aligned pages; discards and write-zeroes of any
 * length.  The caller names the disk, sets its capacity, private data and
 * flags, and adds it.
 *
 * Return: the disk or an ERR_PTR.
 */
struct gendisk *memctl_tier_blk_alloc(void)
{
	struct gendisk *disk;

#ifdef MEMCTL_HAVE_BLK_ALLOC_DISK_LIM
	struct queue_limits lim = {
		.logical_block_size		= PAGE_SIZE,
		.physical_block_size		= PAGE_SIZE,
		.io_min				= PAGE_SIZE,
		.io_opt				= PAGE_SIZE,
		.discard_granularity		= PAGE_SIZE,
		.max_hw_discard_sectors		= UINT_MAX,
		.max_write_zeroes_sectors	= UINT_MAX,
#ifdef MEMCTL_HAVE_BLK_FEAT
		/*
		 * Stable pages: they may not change while we compress them.
		 * Synchronous: each bio ends before submit_bio() returns, so
		 * swap waits on a bio of its stack instead of allocating one,
		 * reads no ahead, and frees a slot when its page comes back.
		 * Not rotational, no entropy: by leaving those features out.
		 */
		.features			= BLK_FEAT_STABLE_WRITES |
						  BLK_FEAT_SYNCHRONOUS,
#endif
	};

	disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(disk))
		return disk;
#ifndef MEMCTL_HAVE_BLK_FEAT
	memctl_tier_blk_queue_flags(disk->queue);
#endif
#else /* !MEMCTL_HAVE_BLK_ALLOC_DISK_LIM */
	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk)
		return ERR_PTR(-ENOMEM);
	memctl_tier_blk_queue_flags(disk->queue);
	blk_queue_logical_block_size(disk->queue, PAGE_SIZE);
	blk_queue_physical_block_size(disk->queue, PAGE_SIZE);
	blk_queue_io_min(disk->queue, PAGE_SIZE);
	blk_queue_io_opt(disk->queue, PAGE_SIZE);
	disk->queue->limits.discard_granularity = PAGE_SIZE;
	blk_queue_max_discard_sectors(disk->queue, UINT_MAX);
	blk_queue_max_write_zeroes_sectors(disk->queue, UINT_MAX);
#endif
	disk->fops = &memctl_tier_fops;
	return disk;
}
