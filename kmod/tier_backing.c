// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tier's backing device.  Rules:
 *  - The path names a block device, opened exclusively (O_EXCL), or a
 *    regular file written in full (no holes, no unwritten extents), which
 *    is marked as swap (S_SWAPFILE: no writes, truncation or block moves by
 *    anyone else) while the tier holds it, as swapon does.  A file's pages
 *    are mapped to its disk's sectors once, at open (bmap()); I/O then goes
 *    to that disk directly, around the page cache.
 *  - A page goes to the device uncompressed, one page per block; a bitmap
 *    says which blocks are in use.  Writes come from process context only
 *    (a writeback pass: the idle work or a TIER_WRITEBACK request) and are
 *    waited for; swap-in reads are chained to the tier's bio and end it, so
 *    a failed read fails the page's read, never hands it other data.
 *  - Reads outside a bio of the tier (a bounce page, 6.1's rw_page) are
 *    done by a worker: a bio submitted from inside the tier's submit_bio
 *    would only be issued once it returns.
 *  - The wear limit counts the bytes written in a day (a window that starts
 *    with the first write after the last one ended); writeback stops at it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "memctl.h"
#include "tier_backing.h"
#include "tier_internal.h"

#define MEMCTL_BACKING_WINDOW	(24UL * 3600 * HZ)

/* A chained write, and the block it writes (its sector has moved on). */
struct memctl_backing_bio {
	unsigned long block;
	struct bio bio;
};

static sector_t memctl_backing_sector(const struct memctl_backing *b,
				      unsigned long block)
{
	unsigned int lo = 0, hi = b->nr_ext;

	if (!b->ext)
		return (sector_t)block << (PAGE_SHIFT - SECTOR_SHIFT);
	while (lo + 1 < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (b->ext[mid].first <= block)
			lo = mid;
		else
			hi = mid;
	}
	return b->ext[lo].sector +
	       ((sector_t)(block - b->ext[lo].first) <<
		(PAGE_SHIFT - SECTOR_SHIFT));
}

/* Appends page @page at @sector, merged with the last run if it follows. */
static int memctl_backing_add_page(struct memctl_backing *b,
				   unsigned int *cap, unsigned long page,
				   sector_t sector)
{
	struct memctl_backing_extent *e;

	if (b->nr_ext) {
		e = &b->ext[b->nr_ext - 1];
		if (e->first + e->nr == page &&
		    e->sector + ((sector_t)e->nr << (PAGE_SHIFT - SECTOR_SHIFT)) ==
		    sector) {
			e->nr++;
			return 0;
		}
	}
	if (b->nr_ext == *cap) {
		unsigned int n = *cap ? *cap * 2 : 16;

		e = kvmalloc_array(n, sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
		if (b->nr_ext)
			memcpy(e, b->ext, b->nr_ext * sizeof(*e));
		kvfree(b->ext);
		b->ext = e;
		*cap = n;
	}
	b->ext[b->nr_ext++] = (struct memctl_backing_extent){
		.first = page, .nr = 1, .sector = sector,
	};
	return 0;
}

/* A regular file's pages on its disk; each page's blocks must be one run. */
static int memctl_backing_map_file(struct memctl_backing *b,
				   struct inode *inode, struct nlattr *attr,
				   struct netlink_ext_ack *extack)
{
	unsigned int blkbits = inode->i_blkbits, per_page, i, cap = 0;
	unsigned long page;
	int err;

	if (blkbits > PAGE_SHIFT) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "backing file: its filesystem's blocks are larger than a page");
		return -EINVAL;
	}
	per_page = 1U << (PAGE_SHIFT - blkbits);
	for (page = 0; page < b->nr_pages; page++) {
		sector_t first = (sector_t)page << (PAGE_SHIFT - blkbits);
		sector_t start = 0;

		for (i = 0; i < per_page; i++) {
			sector_t blk = first + i;

			err = bmap(inode, &blk);
			if (err || !blk) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "backing file: has holes or unwritten blocks, or its filesystem cannot map them (write it in full, e.g. with dd)");
				return -EINVAL;
			}
			if (!i)
				start = blk;
			if ((!i && (blk & (per_page - 1))) ||
			    (i && blk != start + i)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "backing file: a page's blocks are not one aligned run on its disk");
				return -EINVAL;
			}
		}
		err = memctl_backing_add_page(b, &cap, page,
					      start << (blkbits - SECTOR_SHIFT));
		if (err)
			return err;
		if (!(page % 256))
			cond_resched();
	}
	return 0;
}

/**
 * memctl_backing_open - open a backing device for a new tier
 * @path: absolute path of a block device or a regular file
 * @age: seconds after which an untouched page is written back
 * @limit: bytes written per day at most, 0 = no limit
 * @attr: the attribute that named @path, for extack
 * @extack: where a failure is explained
 *
 * Return: the backing device, or an ERR_PTR with an extack message.
 */
struct memctl_backing *memctl_backing_open(const char *path, u32 age,
					   u64 limit, struct nlattr *attr,
					   struct netlink_ext_ack *extack)
{
	struct memctl_backing *b;
	struct inode *inode;
	struct file *file;
	u64 bytes;
	int err;

	if (path[0] != '/') {
		NL_SET_ERR_MSG_ATTR(extack, attr, "backing: an absolute path, please");
		return ERR_PTR(-EINVAL);
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->age = age;
	b->limit = limit;
	spin_lock_init(&b->window_lock);
	mutex_init(&b->wb_mutex);
	b->path = kstrdup(path, GFP_KERNEL);
	if (!b->path) {
		err = -ENOMEM;
		goto err_free;
	}

	file = filp_open(path, O_RDWR | O_LARGEFILE | O_EXCL, 0);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		if (err == -EBUSY)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "backing: the device is in use (mounted, swap, or open exclusively)");
		else if (err == -EISDIR)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "backing: neither a block device nor a regular file");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "backing: cannot open the path for reading and writing");
		goto err_free;
	}
	b->file = file;
	inode = file_inode(file);
	if (S_ISBLK(inode->i_mode)) {
		b->bdev = I_BDEV(file->f_mapping->host);
		bytes = bdev_nr_bytes(b->bdev);
	} else if (S_ISREG(inode->i_mode)) {
		inode_lock(inode);
		if (IS_SWAPFILE(inode)) {
			inode_unlock(inode);
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "backing: the file is in use as swap");
			err = -EBUSY;
			goto err_close;
		}
		inode->i_flags |= S_SWAPFILE;
		b->swapfile_flag = true;
		/* What was written through the page cache reaches the disk. */
		err = inode_drain_writes(inode);
		inode_unlock(inode);
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "backing file: its pending writes failed");
			goto err_close;
		}
		b->bdev = inode->i_sb->s_bdev;
		bytes = i_size_read(inode);
	} else {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "backing: neither a block device nor a regular file");
		err = -EINVAL;
		goto err_close;
	}
	if (!b->bdev) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "backing file: its filesystem has no block device");
		err = -EINVAL;
		goto err_close;
	}
	b->nr_pages = bytes >> PAGE_SHIFT;
	if (!b->nr_pages) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "backing: smaller than a page");
		err = -EINVAL;
		goto err_close;
	}
	if (!strcmp(b->bdev->bd_disk->disk_name, MEMCTL_TIER_DEVICE_NAME)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "backing: not on the tier's own device");
		err = -EINVAL;
		goto err_close;
	}
	if (b->swapfile_flag) {
		err = memctl_backing_map_file(b, inode, attr, extack);
		if (err)
			goto err_close;
	}
	b->map = kvcalloc(BITS_TO_LONGS(b->nr_pages), sizeof(unsigned long),
			  GFP_KERNEL);
	err = bioset_init(&b->bioset, 64,
			  offsetof(struct memctl_backing_bio, bio),
			  BIOSET_NEED_BVECS | BIOSET_NEED_RESCUER);
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "backing: no memory for its bios");
		goto err_close;
	}
	b->bioset_ready = true;
	b->inflight = kvcalloc(BITS_TO_LONGS(b->nr_pages),
			       sizeof(unsigned long), GFP_KERNEL);
	b->deferred = kvcalloc(BITS_TO_LONGS(b->nr_pages),
			       sizeof(unsigned long), GFP_KERNEL);
	if (!b->map || !b->inflight || !b->deferred) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "backing: no memory for its map");
		err = -ENOMEM;
		goto err_close;
	}
	return b;

err_close:
	memctl_backing_close(b);
	return ERR_PTR(err);
err_free:
	kfree(b->path);
	kfree(b);
	return ERR_PTR(err);
}

/**
 * memctl_backing_close - let go of a backing device
 * @b: the device; no page may be on it any more, nor any pass running
 */
void memctl_backing_close(struct memctl_backing *b)
{
	struct inode *inode = file_inode(b->file);

	if (b->swapfile_flag) {
		inode_lock(inode);
		inode->i_flags &= ~S_SWAPFILE;
		inode_unlock(inode);
	}
	filp_close(b->file, NULL);
	if (b->bioset_ready)
		bioset_exit(&b->bioset);
	kvfree(b->map);
	kvfree(b->inflight);
	kvfree(b->deferred);
	kvfree(b->ext);
	kfree(b->path);
	kfree(b);
}

static void memctl_backing_idle_work(struct work_struct *work)
{
	struct memctl_backing *b = container_of(to_delayed_work(work),
						struct memctl_backing,
						idle_work);

	memctl_tier_writeback(b->tier, MEMCTL_TIER_WRITEBACK_IDLE, true, NULL);
	queue_delayed_work(system_unbound_wq, &b->idle_work,
			   (unsigned long)b->age * HZ);
}

/**
 * memctl_backing_start - start the idle writeback of a tier
 * @b: its backing device
 * @t: the tier, which now holds @b
 */
void memctl_backing_start(struct memctl_backing *b, struct memctl_tier *t)
{
	b->tier = t;
	INIT_DELAYED_WORK(&b->idle_work, memctl_backing_idle_work);
	queue_delayed_work(system_unbound_wq, &b->idle_work,
			   (unsigned long)b->age * HZ);
}

/**
 * memctl_backing_stop - stop the idle writeback; waits for a pass running
 * @b: the backing device
 */
void memctl_backing_stop(struct memctl_backing *b)
{
	cancel_delayed_work_sync(&b->idle_work);
}

/**
 * memctl_backing_alloc_block - take a free block of the device
 * @b: the backing device
 *
 * Return: the block, or -ENOSPC when the device is full.
 */
long memctl_backing_alloc_block(struct memctl_backing *b)
{
	unsigned long block;

	for (;;) {
		block = find_first_zero_bit(b->map, b->nr_pages);
		if (block >= b->nr_pages)
			return -ENOSPC;
		if (!test_and_set_bit(block, b->map))
			return block;
	}
}

/**
 * memctl_backing_free_block - give a block back
 * @b: the backing device
 * @block: a block memctl_backing_alloc_block() gave
 */
void memctl_backing_free_block(struct memctl_backing *b, unsigned long block)
{
	if (WARN_ON_ONCE(block >= b->nr_pages))
		return;
	/*
	 * Not while a write to it is on its way: a new owner's write could
	 * land first.  Whichever of this and the write's end comes second
	 * frees it.
	 */
	set_bit(block, b->deferred);
	smp_mb__after_atomic();	/* deferred before inflight: write_end's pair */
	if (!test_bit(block, b->inflight) &&
	    test_and_clear_bit(block, b->deferred))
		clear_bit(block, b->map);
}

/* The end of a bio chained to a tier's: counted, and its parent's share. */
static void memctl_backing_chained_end(struct memctl_backing *b,
				       struct bio *bio, bool write)
{
	struct bio *parent = bio->bi_private;

	if (bio->bi_status) {
		if (!parent->bi_status)
			parent->bi_status = bio->bi_status;
		atomic64_inc(write ? &b->failed_writes : &b->failed_reads);
		pr_err_ratelimited("backing %s: %s failed (%d)\n", b->path,
				   write ? "write" : "read",
				   blk_status_to_errno(bio->bi_status));
	} else {
		atomic64_add(PAGE_SIZE, write ? &b->written_bytes :
						&b->read_bytes);
	}
	bio_put(bio);
	bio_endio(parent);
}

static void memctl_backing_write_end(struct bio *bio)
{
	struct memctl_backing_bio *bb =
		container_of(bio, struct memctl_backing_bio, bio);
	struct bio *parent = bio->bi_private;
	struct memctl_tier *t = parent->bi_bdev->bd_disk->private_data;
	struct memctl_backing *b = t->backing;

	clear_bit(bb->block, b->inflight);
	smp_mb__after_atomic();	/* inflight before deferred: free_block's pair */
	if (test_and_clear_bit(bb->block, b->deferred))
		clear_bit(bb->block, b->map);
	memctl_backing_chained_end(b, bio, true);
}

/**
 * memctl_backing_may_write - reserve a page of the day's writes
 * @b: the backing device
 *
 * Return: false once the wear limit is reached.
 */
bool memctl_backing_may_write(struct memctl_backing *b)
{
	bool ok;

	if (!b->limit)
		return true;
	spin_lock(&b->window_lock);
	if (!b->window_bytes ||
	    time_after(jiffies, b->window_start + MEMCTL_BACKING_WINDOW)) {
		b->window_start = jiffies;
		b->window_bytes = 0;
	}
	ok = b->window_bytes + PAGE_SIZE <= b->limit;
	if (ok)
		b->window_bytes += PAGE_SIZE;
	spin_unlock(&b->window_lock);
	return ok;
}

/**
 * memctl_backing_write - write one page to a block and wait for it
 * @b: the backing device
 * @block: the block
 * @page: the page, uncompressed
 *
 * Process context only.  Return: 0 or the I/O error (counted).
 */
int memctl_backing_write(struct memctl_backing *b, unsigned long block,
			 struct page *page)
{
	struct bio *bio;
	int err;

	bio = bio_alloc(b->bdev, 1, REQ_OP_WRITE | REQ_SYNC, GFP_NOIO);
	bio->bi_iter.bi_sector = memctl_backing_sector(b, block);
	__bio_add_page(bio, page, PAGE_SIZE, 0);
	err = submit_bio_wait(bio);
	bio_put(bio);
	if (err) {
		atomic64_inc(&b->failed_writes);
		pr_err_ratelimited("backing %s: write of block %lu failed (%d)\n",
				   b->path, block, err);
		return err;
	}
	atomic64_add(PAGE_SIZE, &b->written_bytes);
	return 0;
}

static void memctl_backing_read_end(struct bio *bio)
{
	struct bio *parent = bio->bi_private;
	struct memctl_tier *t = parent->bi_bdev->bd_disk->private_data;

	memctl_backing_chained_end(t->backing, bio, false);
}

/**
 * memctl_backing_write_chained - write a page of a tier's bio to a block
 * @b: the backing device
 * @block: the block, just taken
 * @page: the page of @parent (stable while @parent is on its way)
 * @parent: a bio of the tier; it ends once this write has
 *
 * Return: 0; the write's outcome becomes @parent's.
 */
int memctl_backing_write_chained(struct memctl_backing *b, unsigned long block,
				 struct page *page, struct bio *parent)
{
	struct memctl_backing_bio *bb;
	struct bio *bio;

	bio = bio_alloc_bioset(b->bdev, 1, REQ_OP_WRITE, GFP_NOIO, &b->bioset);
	bb = container_of(bio, struct memctl_backing_bio, bio);
	bb->block = block;
	bio->bi_iter.bi_sector = memctl_backing_sector(b, block);
	__bio_add_page(bio, page, PAGE_SIZE, 0);
	bio->bi_private = parent;
	bio->bi_end_io = memctl_backing_write_end;
	set_bit(block, b->inflight);
	bio_inc_remaining(parent);
	submit_bio(bio);
	return 0;
}

/**
 * memctl_backing_read_chained - read a block into a page of a tier's bio
 * @b: the backing device
 * @block: the block
 * @page: the page of @parent
 * @parent: a bio of the tier; it ends once this read has
 *
 * Return: 0; the read's outcome becomes @parent's.
 */
int memctl_backing_read_chained(struct memctl_backing *b, unsigned long block,
				struct page *page, struct bio *parent)
{
	struct bio *bio;

	/*
	 * Inside the tier's submit_bio: a bio of the pool's that waits there
	 * is issued only once it returns, so the pool has a rescuer.
	 */
	bio = bio_alloc_bioset(b->bdev, 1, REQ_OP_READ, GFP_NOIO, &b->bioset);
	bio->bi_iter.bi_sector = memctl_backing_sector(b, block);
	__bio_add_page(bio, page, PAGE_SIZE, 0);
	bio->bi_private = parent;
	bio->bi_end_io = memctl_backing_read_end;
	bio_inc_remaining(parent);
	submit_bio(bio);
	return 0;
}

struct memctl_backing_sync_read {
	struct work_struct work;
	struct memctl_backing *b;
	unsigned long block;
	struct page *page;
	int err;
};

static void memctl_backing_sync_read_work(struct work_struct *work)
{
	struct memctl_backing_sync_read *r =
		container_of(work, struct memctl_backing_sync_read, work);
	struct bio *bio;

	bio = bio_alloc(r->b->bdev, 1, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = memctl_backing_sector(r->b, r->block);
	__bio_add_page(bio, r->page, PAGE_SIZE, 0);
	r->err = submit_bio_wait(bio);
	bio_put(bio);
}

/**
 * memctl_backing_read_sync - read a block into a page and wait
 * @b: the backing device
 * @block: the block
 * @page: the page
 *
 * For reads outside a bio of the tier; a worker submits the read.
 * Return: 0 or the I/O error (counted).
 */
int memctl_backing_read_sync(struct memctl_backing *b, unsigned long block,
			     struct page *page)
{
	struct memctl_backing_sync_read r = {
		.b = b, .block = block, .page = page,
	};

	INIT_WORK_ONSTACK(&r.work, memctl_backing_sync_read_work);
	queue_work(system_unbound_wq, &r.work);
	flush_work(&r.work);
	destroy_work_on_stack(&r.work);
	if (r.err) {
		atomic64_inc(&b->failed_reads);
		pr_err_ratelimited("backing %s: read of block %lu failed (%d)\n",
				   b->path, block, r.err);
		return r.err;
	}
	atomic64_add(PAGE_SIZE, &b->read_bytes);
	return 0;
}
