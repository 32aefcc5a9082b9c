/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tier's backing device: a block device or a regular file that takes
 * the pages the tier writes back (uncompressed, one page per block), and
 * gives them back on swap-in.  tier_backing.c has the rules.
 */
#ifndef _MEMCTL_TIER_BACKING_H
#define _MEMCTL_TIER_BACKING_H

#include <linux/atomic.h>
#include <linux/bio.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct bio;
struct block_device;
struct file;
struct memctl_tier;
struct netlink_ext_ack;
struct nlattr;
struct page;

/* Idle pages are written back after this long by default (seconds). */
#define MEMCTL_BACKING_AGE_DEFAULT	1800

/* One run of a regular file's pages, contiguous on its disk. */
struct memctl_backing_extent {
	unsigned long first;		/* first page of the file */
	unsigned long nr;		/* pages */
	sector_t sector;		/* on the disk, of @first */
};

struct memctl_backing {
	struct file *file;
	struct block_device *bdev;
	bool swapfile_flag;		/* we set S_SWAPFILE on a regular file */
	char *path;
	unsigned long nr_pages;
	unsigned long *map;		/* pages in use */
	unsigned long *inflight;	/* a chained write is on its way */
	unsigned long *deferred;	/* freed during it: free at its end */
	struct bio_set bioset;		/* chained writes carry their block */
	bool bioset_ready;
	struct memctl_backing_extent *ext;	/* NULL for a block device */
	unsigned int nr_ext;

	u32 age;			/* seconds */
	u64 limit;			/* bytes per day, 0 = none */
	spinlock_t window_lock;
	unsigned long window_start;	/* jiffies */
	u64 window_bytes;		/* written since window_start */

	atomic64_t pages;		/* on the device now */
	atomic64_t written_bytes;
	atomic64_t read_bytes;
	atomic64_t failed_writes;
	atomic64_t failed_reads;
	atomic64_t limit_stops;

	struct mutex wb_mutex;		/* one writeback pass at a time */
	struct delayed_work idle_work;
	struct memctl_tier *tier;
};

struct memctl_backing *memctl_backing_open(const char *path, u32 age,
					   u64 limit, struct nlattr *attr,
					   struct netlink_ext_ack *extack);
void memctl_backing_start(struct memctl_backing *b, struct memctl_tier *t);
void memctl_backing_stop(struct memctl_backing *b);
void memctl_backing_close(struct memctl_backing *b);

long memctl_backing_alloc_block(struct memctl_backing *b);
void memctl_backing_free_block(struct memctl_backing *b, unsigned long block);
bool memctl_backing_may_write(struct memctl_backing *b);
int memctl_backing_write(struct memctl_backing *b, unsigned long block,
			 struct page *page);
int memctl_backing_write_chained(struct memctl_backing *b, unsigned long block,
				 struct page *page, struct bio *parent);
int memctl_backing_read_chained(struct memctl_backing *b, unsigned long block,
				struct page *page, struct bio *parent);
int memctl_backing_read_sync(struct memctl_backing *b, unsigned long block,
			     struct page *page);

#endif /* _MEMCTL_TIER_BACKING_H */
