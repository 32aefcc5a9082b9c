// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slab reclaim through the superblocks' shrinkers.
 *
 * Dentries and inodes are charged to memcgs and kept on per-memcg lists of
 * each superblock; the superblock's shrinker frees one memcg's share when
 * its shrink_control names that memcg.  The kernel calls those shrinkers
 * through pointers, so they keep their ENDBR under IBT.  memctl reaches
 * every superblock through exported functions only: the names of the
 * registered file system types from /proc/filesystems, get_fs_type() and
 * iterate_supers_type(), which calls back with the superblock's s_umount
 * held for reading.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sbshrink.h"

/* The most objects one call of a shrinker is asked to scan. */
#define MEMCTL_SB_BATCH		128
/* /proc/filesystems of a kernel with every file system built in fits. */
#define MEMCTL_FS_LIST_SIZE	4096

/* The file system types of one slab pass, with a module reference each. */
struct memctl_sbshrink {
	unsigned int nr;
	struct file_system_type *types[];
};

/* One call of iterate_supers_type()'s callback. */
struct memctl_sb_scan {
	struct mem_cgroup *memcg;
	int nid;
	int priority;
	unsigned long freed;
};

#if defined(MEMCTL_HAVE_SB_SHRINK_PTR) || defined(MEMCTL_HAVE_SB_SHRINK_PTR_FS)
static struct shrinker *memctl_sb_shrinker(struct super_block *sb)
{
	return sb->s_shrink;
}
#else
static struct shrinker *memctl_sb_shrinker(struct super_block *sb)
{
	return &sb->s_shrink;
}
#endif

static void memctl_sb_scan_one(struct super_block *sb, void *arg)
{
	struct memctl_sb_scan *a = arg;
	struct shrinker *s = memctl_sb_shrinker(sb);
	struct shrink_control sc = {
		.gfp_mask	= GFP_KERNEL,
		.nid		= a->nid,
		.memcg		= a->memcg,
	};
	unsigned long count, todo;

	if (!s || !(s->flags & SHRINKER_MEMCG_AWARE) || !s->count_objects ||
	    !s->scan_objects)
		return;
	if (!(s->flags & SHRINKER_NUMA_AWARE) && a->nid)
		return;
	count = s->count_objects(s, &sc);
	if (!count || count == SHRINK_EMPTY)
		return;
	/* As the kernel's own reclaim does: about 2 * count >> priority. */
	todo = a->priority ? max(2 * count >> a->priority, 1UL) : count;
	while (todo) {
		unsigned long freed;

		sc.nr_to_scan = min_t(unsigned long, todo, MEMCTL_SB_BATCH);
		sc.nr_scanned = sc.nr_to_scan;
		freed = s->scan_objects(s, &sc);
		if (freed == SHRINK_STOP)
			break;
		a->freed += freed;
		todo -= min(todo, max(sc.nr_scanned, 1UL));
		cond_resched();
	}
}

static struct file *memctl_sb_open_fs_list(void)
{
#ifdef MEMCTL_HAVE_SCOPED_WITH_INIT_FS
	/*
	 * Slab passes run in a workqueue.  Since 7.3 kernel threads no
	 * longer resolve paths from the root userspace's init mounted /proc
	 * under: borrow that root for the open, as scoped_with_init_fs() is
	 * for.
	 */
	if (current->flags & PF_KTHREAD) {
		scoped_with_init_fs()
			return filp_open("/proc/filesystems", O_RDONLY, 0);
	}
#endif
	return filp_open("/proc/filesystems", O_RDONLY, 0);
}

/* The registered file system types' names, one per line of @buf. */
static int memctl_sb_fs_names(char *buf, size_t size)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = memctl_sb_open_fs_list();
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, size - 1, &pos);
	filp_close(f, NULL);
	if (n < 0)
		return n;
	if (n == size - 1)
		return -EOVERFLOW;
	buf[n] = '\0';
	return 0;
}

/**
 * memctl_sbshrink_begin - take the file system types for a slab pass
 *
 * Return: the types, or an ERR_PTR (/proc/filesystems unreadable, -ENOMEM).
 */
struct memctl_sbshrink *memctl_sbshrink_begin(void)
{
	struct memctl_sbshrink *s;
	char *buf, *line, *next;
	unsigned int max = 0;
	int err;

	buf = kmalloc(MEMCTL_FS_LIST_SIZE, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	err = memctl_sb_fs_names(buf, MEMCTL_FS_LIST_SIZE);
	if (err)
		goto out_free;
	for (line = buf; *line; line++)
		max += *line == '\n';
	err = -ENOMEM;
	s = kzalloc(struct_size(s, types, max), GFP_KERNEL);
	if (!s)
		goto out_free;

	/* Lines are "nodev\tNAME" or "\tNAME". */
	for (line = buf; line && *line && s->nr < max; line = next) {
		struct file_system_type *type;
		char *name = strchr(line, '\t');

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!name || !*++name)
			continue;
		type = get_fs_type(name);
		if (type)
			s->types[s->nr++] = type;
	}
	kfree(buf);
	return s;

out_free:
	kfree(buf);
	return ERR_PTR(err);
}

/**
 * memctl_sbshrink - run every superblock's shrinker for one memcg and node
 * @s: from memctl_sbshrink_begin()
 * @memcg: the memory cgroup whose objects to free
 * @nid: the node
 * @priority: scan about 2 * objects >> @priority of each shrinker, 0 = all
 *
 * Return: objects freed.
 */
unsigned long memctl_sbshrink(struct memctl_sbshrink *s,
			      struct mem_cgroup *memcg, int nid, int priority)
{
	struct memctl_sb_scan a = {
		.memcg = memcg, .nid = nid, .priority = priority,
	};
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		iterate_supers_type(s->types[i], memctl_sb_scan_one, &a);
	return a.freed;
}

/**
 * memctl_sbshrink_end - release what memctl_sbshrink_begin() took
 * @s: the types, or an ERR_PTR
 */
void memctl_sbshrink_end(struct memctl_sbshrink *s)
{
	unsigned int i;

	if (IS_ERR_OR_NULL(s))
		return;
	for (i = 0; i < s->nr; i++)
		module_put(s->types[i]->owner);
	kfree(s);
}

/**
 * memctl_sbshrink_available - can this route be taken here?
 *
 * Return: 0, or the error reading /proc/filesystems gave.
 */
int memctl_sbshrink_available(void)
{
	struct memctl_sbshrink *s = memctl_sbshrink_begin();

	if (IS_ERR(s))
		return PTR_ERR(s);
	memctl_sbshrink_end(s);
	return 0;
}
