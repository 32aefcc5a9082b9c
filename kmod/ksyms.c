// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one place where memctl resolves kernel symbols that are not exported.
 *
 * Rules (Documentation/design.rst, "Kernel interfaces"):
 *  - kallsyms_lookup_name() is found with a kprobe and, like every function
 *    resolved here, called only once it is proven callable: on a kernel
 *    built with IBT its first instruction must be an ENDBR64.  The kernel
 *    seals (overwrites) the ENDBR of functions it never calls indirectly,
 *    and calling a sealed function faults on a CPU that enforces IBT.  A
 *    sealed function is treated as missing, with one line in the log.
 *  - A symbol must start exactly at its name ("shrink_slab.constprop.0"
 *    does not match) and its prototype must be declared by the headers the
 *    module is built against, or be one this file knows for every supported
 *    kernel (shrink_slab's, unchanged from 6.1 to 7.3).
 *  - Nothing here is fatal: a missing symbol only costs its fast path.
 *
 * Module parameters for tests: ignore_ksyms (treated as missing),
 * seal_ksyms (their first bytes read as the kernel's seal, so that the
 * ENDBR check itself runs and refuses them) and contend_shrink_slab (the
 * next N calls of shrink_slab() find its lock taken by a writer).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/rwsem.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/uaccess.h>

#include "memctl.h"
#include "ksyms.h"

struct memctl_ksyms memctl_ksyms __ro_after_init;

/* Module parameter: symbols to treat as missing, to exercise the fallbacks. */
static char *memctl_ignore_ksyms;
module_param_named(ignore_ksyms, memctl_ignore_ksyms, charp, 0444);
MODULE_PARM_DESC(ignore_ksyms,
		 "Comma-separated kernel symbols memctl treats as missing (for testing the fallbacks)");

/* Module parameter: symbols whose ENDBR is read as sealed, for tests. */
static char *memctl_seal_ksyms;
module_param_named(seal_ksyms, memctl_seal_ksyms, charp, 0444);
MODULE_PARM_DESC(seal_ksyms,
		 "Comma-separated kernel symbols memctl reads as sealed by IBT (for testing the ENDBR check)");

/*
 * Module parameter: the next N calls of shrink_slab() find shrinker_rwsem
 * contended, as when a mount registers a shrinker at that moment, and so
 * free nothing (for testing what reclaim makes of it).  Writable at run time.
 */
static atomic_t memctl_contend_shrink_slab = ATOMIC_INIT(0);

static int memctl_contend_set(const char *val, const struct kernel_param *kp)
{
	int n, err;

	err = kstrtoint(val, 0, &n);
	if (err)
		return err;
	if (n < 0)
		return -EINVAL;
	atomic_set(kp->arg, n);
	return 0;
}

static int memctl_contend_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops memctl_contend_ops = {
	.set = memctl_contend_set,
	.get = memctl_contend_get,
};
module_param_cb(contend_shrink_slab, &memctl_contend_ops,
		&memctl_contend_shrink_slab, 0644);
MODULE_PARM_DESC(contend_shrink_slab,
		 "The next N calls of shrink_slab find its lock contended and free nothing (for testing)");

/* The prototypes this file calls through, per kernel. */
#ifdef MEMCTL_HAVE_TTFMCP_SWAPPINESS
typedef unsigned long (*memctl_ttfmcp_t)(struct mem_cgroup *memcg,
					 unsigned long nr_pages, gfp_t gfp_mask,
					 unsigned int options, int *swappiness);
#else
typedef unsigned long (*memctl_ttfmcp_t)(struct mem_cgroup *memcg,
					 unsigned long nr_pages, gfp_t gfp_mask,
					 unsigned int options);
#endif
#ifdef MEMCTL_HAVE_TTFMCP_DECLARED
static_assert(__same_type((memctl_ttfmcp_t)NULL, &try_to_free_mem_cgroup_pages));
#endif

#ifdef MEMCTL_HAVE_CSS_RSTAT_FLUSH
typedef void (*memctl_rstat_flush_t)(struct cgroup_subsys_state *css);
static_assert(__same_type((memctl_rstat_flush_t)NULL, &css_rstat_flush));
#define MEMCTL_RSTAT_FLUSH	"css_rstat_flush"
#else
typedef void (*memctl_rstat_flush_t)(struct cgroup *cgrp);
static_assert(__same_type((memctl_rstat_flush_t)NULL, &cgroup_rstat_flush));
#define MEMCTL_RSTAT_FLUSH	"cgroup_rstat_flush"
#endif

#ifdef MEMCTL_HAVE_FLUSH_STATS_MEMCG
typedef void (*memctl_flush_stats_t)(struct mem_cgroup *memcg);
#else
typedef void (*memctl_flush_stats_t)(void);
#endif
static_assert(__same_type((memctl_flush_stats_t)NULL, &mem_cgroup_flush_stats));

#ifdef MEMCTL_HAVE_MEMCG_PAGE_STATE_DECLARED
static_assert(__same_type(memctl_ksyms.memcg_page_state, &memcg_page_state));
#endif

typedef unsigned long (*memctl_kallsyms_lookup_t)(const char *name);

/* The first four bytes of a function that may be called indirectly. */
#define MEMCTL_ENDBR64		0xfa1e0ff3U
/* ENDBR32 differs from ENDBR64 in one bit. */
#define MEMCTL_ENDBR32_BIT	0x01000000U
/* What the kernel writes over a sealed ENDBR (a 4-byte NOP). */
#define MEMCTL_ENDBR_SEALED	0xd6401f0fU

/* Is @name in the comma-separated @list? */
static bool memctl_ksyms_listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *c = list;

	while (c && *c) {
		const char *end = strchrnul(c, ',');

		if (end - c == len && !strncmp(c, name, len))
			return true;
		c = *end ? end + 1 : end;
	}
	return false;
}

/*
 * Where @name starts, given an address inside it: sprint_symbol() prints
 * "name+0xoff/0xsize", and the name must match exactly.  0 if it does not.
 */
static unsigned long memctl_ksyms_start(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off, size;
	size_t len = strlen(name);

	sprint_symbol(buf, addr);
	if (strncmp(buf, name, len) || buf[len] != '+' ||
	    sscanf(buf + len, "+%lx/%lx", &off, &size) != 2 || off >= size)
		return 0;
	return addr - off;
}

/*
 * May memctl call the function @name at @addr through a pointer?  On a
 * kernel built with IBT only if it starts with an ENDBR: the kernel seals
 * the ENDBR of every function it never calls indirectly, whatever the CPU,
 * and a CPU that enforces IBT faults on an indirect call to one.
 */
static bool memctl_ksyms_callable(const char *name, unsigned long addr)
{
	bool sealed = memctl_ksyms_listed(memctl_seal_ksyms, name);
	u32 insn = 0;

	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) && !sealed) {
		if (copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn))) {
			pr_warn("%s: cannot read its first instruction; treated as missing\n",
				name);
			return false;
		}
		sealed = (insn & ~MEMCTL_ENDBR32_BIT) != MEMCTL_ENDBR64;
	} else if (sealed) {
		insn = MEMCTL_ENDBR_SEALED;
	}
	if (sealed)
		pr_warn("%s is sealed (no ENDBR: %08x), it cannot be called through a pointer under IBT; treated as missing\n",
			name, insn);
	return !sealed;
}

static memctl_kallsyms_lookup_t memctl_ksyms_find_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int err;

	if (memctl_ksyms_listed(memctl_ignore_ksyms, kp.symbol_name)) {
		pr_warn("kallsyms_lookup_name ignored (ignore_ksyms)\n");
		return NULL;
	}
	err = register_kprobe(&kp);
	if (err) {
		pr_warn("cannot locate kallsyms_lookup_name (kprobe: %d)\n", err);
		return NULL;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* The probe may sit past the function's first instruction. */
	addr = memctl_ksyms_start(addr, kp.symbol_name);
	if (!addr) {
		pr_warn("the kprobe on kallsyms_lookup_name landed elsewhere\n");
		return NULL;
	}
	if (!memctl_ksyms_callable(kp.symbol_name, addr))
		return NULL;
	return (memctl_kallsyms_lookup_t)addr;
}

static void *memctl_ksyms_get(memctl_kallsyms_lookup_t lookup,
			      const char *name, bool func, const char *lost)
{
	unsigned long addr = lookup ? lookup(name) : 0;

	if (!lookup)
		return NULL;
	if (!addr) {
		pr_warn("%s not found; %s\n", name, lost);
		return NULL;
	}
	if (memctl_ksyms_listed(memctl_ignore_ksyms, name)) {
		pr_warn("%s ignored (ignore_ksyms); %s\n", name, lost);
		return NULL;
	}
	if (memctl_ksyms_start(addr, name) != addr) {
		pr_warn("%s resolves to %pS, not to the start of %s; %s\n",
			name, (void *)addr, name, lost);
		return NULL;
	}
	if (func && !memctl_ksyms_callable(name, addr)) {
		pr_warn("%s: %s\n", name, lost);
		return NULL;
	}
	return (void *)addr;
}

#ifdef MEMCTL_HAVE_TTFMCP_DECLARED
/**
 * memctl_ksyms_reclaim - the kernel's memcg reclaim, through the fast path
 * @memcg: the memory cgroup
 * @nr_pages: how much to reclaim
 * @may_swap: anonymous memory too
 *
 * Only when memctl_ksyms.try_to_free_mem_cgroup_pages is set.
 *
 * Return: pages reclaimed.
 */
unsigned long memctl_ksyms_reclaim(struct mem_cgroup *memcg,
				   unsigned long nr_pages, bool may_swap)
{
	memctl_ttfmcp_t fn = memctl_ksyms.try_to_free_mem_cgroup_pages;
	unsigned int options = MEMCG_RECLAIM_PROACTIVE;

	/* Without it no supported kernel swaps, MGLRU or not (design.rst). */
	if (may_swap)
		options |= MEMCG_RECLAIM_MAY_SWAP;
#ifdef MEMCTL_HAVE_TTFMCP_SWAPPINESS
	return fn(memcg, nr_pages, GFP_KERNEL, options, NULL);
#else
	return fn(memcg, nr_pages, GFP_KERNEL, options);
#endif
}
#else
unsigned long memctl_ksyms_reclaim(struct mem_cgroup *memcg,
				   unsigned long nr_pages, bool may_swap)
{
	return 0;
}
#endif

/**
 * memctl_ksyms_shrink_slab - one memcg's shrinkers on one node, fast path
 * @gfp_mask: the allocation context the shrinkers see
 * @nid: the node
 * @memcg: the memory cgroup, online
 * @priority: scan about 2 * objects >> @priority of each shrinker
 * @contended: set when a writer of shrinker_rwsem may have made the call
 *             free less than it could; left alone otherwise
 *
 * On 6.1 shrink_slab() only try-locks shrinker_rwsem, returns 0 when a
 * writer (a shrinker being registered or unregistered, as every mount and
 * unmount does) holds it or waits for it, and stops walking the shrinkers
 * when one starts waiting.  So the call is made with the lock held for
 * reading: taking it waits for the writers already there, and a writer
 * that comes during the call waits until it returns, where it is seen.
 * On 6.12 and 7.x shrink_slab() takes no lock and is called as it is.
 * Only when memctl_ksyms.shrink_slab is set.  May sleep.
 *
 * Return: objects freed.
 */
unsigned long memctl_ksyms_shrink_slab(gfp_t gfp_mask, int nid,
				       struct mem_cgroup *memcg, int priority,
				       bool *contended)
{
	struct rw_semaphore *sem = memctl_ksyms.shrinker_rwsem;
	unsigned long freed;

	if (atomic_dec_if_positive(&memctl_contend_shrink_slab) >= 0) {
		*contended = true;
		return 0;
	}
	if (!sem)
		return memctl_ksyms.shrink_slab(gfp_mask, nid, memcg, priority);
	down_read(sem);
	freed = memctl_ksyms.shrink_slab(gfp_mask, nid, memcg, priority);
	if (rwsem_is_contended(sem))
		*contended = true;
	up_read(sem);
	return freed;
}

/**
 * memctl_ksyms_flush - fold the per-CPU stat deltas of a memcg's subtree
 * @memcg: the memory cgroup
 *
 * Return: true if a flush ran (or the kernel's periodic one must do).
 */
bool memctl_ksyms_flush(struct mem_cgroup *memcg)
{
	memctl_rstat_flush_t rstat = memctl_ksyms.rstat_flush;
	memctl_flush_stats_t flush = memctl_ksyms.mem_cgroup_flush_stats;

	if (rstat) {
#ifdef MEMCTL_HAVE_CSS_RSTAT_FLUSH
		rstat(&memcg->css);
#else
		rstat(memcg->css.cgroup);
#endif
		return true;
	}
	if (flush) {
#ifdef MEMCTL_HAVE_FLUSH_STATS_MEMCG
		flush(memcg);
#else
		flush();
#endif
		return true;
	}
	return false;
}

/**
 * memctl_ksyms_init - resolve the kernel symbols memctl may use
 *
 * Never fails: what is missing is reported and its fast path turned off.
 *
 * Return: 0.
 */
int memctl_ksyms_init(void)
{
	memctl_kallsyms_lookup_t lookup = memctl_ksyms_find_lookup();
	struct memctl_ksyms *k = &memctl_ksyms;

	if (!lookup) {
		pr_info("no kernel symbol is resolved: memctl uses the kernel's official interfaces only\n");
		return 0;
	}

#ifdef MEMCTL_HAVE_TTFMCP_DECLARED
	k->try_to_free_mem_cgroup_pages =
		memctl_ksyms_get(lookup, "try_to_free_mem_cgroup_pages", true,
				 "file and anon reclaim go through memory.reclaim");
#else
	pr_info("try_to_free_mem_cgroup_pages is not declared by this kernel's headers; file and anon reclaim go through memory.reclaim\n");
#endif
	k->shrink_slab =
		memctl_ksyms_get(lookup, "shrink_slab", true,
				 "slab reclaim goes through the superblocks' shrinkers");
#ifndef MEMCTL_HAVE_SHRINKER_LOCKLESS
	/* Without its lock, a writer's moment would read as nothing to free. */
	if (k->shrink_slab) {
		k->shrinker_rwsem =
			memctl_ksyms_get(lookup, "shrinker_rwsem", false,
					 "slab reclaim goes through the superblocks' shrinkers");
		if (!k->shrinker_rwsem)
			k->shrink_slab = NULL;
	}
#endif
	k->rstat_flush =
		memctl_ksyms_get(lookup, MEMCTL_RSTAT_FLUSH, true,
				 "statistics are flushed once enough updates are pending");
	if (!k->rstat_flush)
		k->mem_cgroup_flush_stats =
			memctl_ksyms_get(lookup, "mem_cgroup_flush_stats", true,
					 "statistics may lag by up to 2 s");
#ifndef MEMCTL_HAVE_LRUVEC_STATS_INLINE
#ifdef MEMCTL_HAVE_MEMCG_PAGE_STATE_DECLARED
	k->memcg_page_state =
		memctl_ksyms_get(lookup, "memcg_page_state", true,
				 "statistics are read from memory.stat");
#endif
#endif
	k->task_sched_runtime =
		memctl_ksyms_get(lookup, "task_sched_runtime", true,
				 "reclaim CPU time is counted to the last scheduler tick");
	if (IS_ENABLED(CONFIG_PSI))
		k->psi_cgroups_enabled =
			memctl_ksyms_get(lookup, "psi_cgroups_enabled", false,
					 "pressure limits are enforced where cgroups have PSI");
	return 0;
}
