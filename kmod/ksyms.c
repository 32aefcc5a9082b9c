// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one place where memctl resolves kernel symbols that are not exported.
 *
 * kallsyms_lookup_name() itself is not exported; a kprobe registered on it
 * tells its address.  Each symbol is then looked up once, at load time, and
 * checked to be the start of a symbol of exactly that name (a compiler clone
 * such as "shrink_slab.constprop.0" does not match).  Nothing here is fatal:
 * a missing symbol makes its reclaim class unavailable (GET_INFO reports it,
 * requests for it are refused with a message naming the symbol) or, for the
 * statistics helpers, falls back to a coarser way.
 *
 * The prototypes of the symbols declared in kernel headers are checked at
 * build time.  shrink_slab() is static in mm/vmscan.c; its prototype is the
 * one of Linux 6.1 (compat.h refuses other kernels).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/swap.h>
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/cpufeature.h>
#include <asm/ibt.h>
#endif

#include "memctl.h"
#include "ksyms.h"

struct memctl_ksyms memctl_ksyms __ro_after_init;

/* Module parameter: symbols to treat as missing, to exercise the fallbacks. */
static char *memctl_ignore_ksyms;
module_param_named(ignore_ksyms, memctl_ignore_ksyms, charp, 0444);
MODULE_PARM_DESC(ignore_ksyms,
		 "Comma-separated kernel symbols memctl treats as missing (for testing the fallbacks)");

static_assert(__same_type(memctl_ksyms.try_to_free_mem_cgroup_pages,
			  &try_to_free_mem_cgroup_pages));
static_assert(__same_type(memctl_ksyms.cgroup_rstat_flush,
			  &cgroup_rstat_flush));
static_assert(__same_type(memctl_ksyms.mem_cgroup_flush_stats,
			  &mem_cgroup_flush_stats));

typedef unsigned long (*memctl_kallsyms_lookup_t)(const char *name);

/* Is @name in the ignore_ksyms list? */
static bool memctl_ksyms_ignored(const char *name)
{
	size_t len = strlen(name);
	const char *c = memctl_ignore_ksyms;

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

static memctl_kallsyms_lookup_t memctl_ksyms_find_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int err;

	if (memctl_ksyms_ignored(kp.symbol_name)) {
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
	addr = memctl_ksyms_start(addr, "kallsyms_lookup_name");
	if (!addr)
		pr_warn("the kprobe on kallsyms_lookup_name landed elsewhere\n");
	return (memctl_kallsyms_lookup_t)addr;
}

/*
 * With indirect branch tracking, a function the kernel never calls
 * indirectly has no ENDBR and would fault when memctl calls it.
 */
static bool memctl_ksyms_callable(unsigned long addr)
{
#ifdef CONFIG_X86_KERNEL_IBT
	if (cpu_feature_enabled(X86_FEATURE_IBT) && !is_endbr(*(u32 *)addr))
		return false;
#endif
	return true;
}

static void *memctl_ksyms_get(memctl_kallsyms_lookup_t lookup,
			      const char *name, bool func, const char *lost)
{
	unsigned long addr = lookup ? lookup(name) : 0;

	if (addr && memctl_ksyms_ignored(name)) {
		pr_warn("%s ignored (ignore_ksyms); %s\n", name, lost);
		return NULL;
	}
	if (addr && memctl_ksyms_start(addr, name) != addr) {
		pr_warn("%s resolves to %pS, not to the start of %s; %s\n",
			name, (void *)addr, name, lost);
		return NULL;
	}
	if (addr && func && !memctl_ksyms_callable(addr)) {
		pr_warn("%s cannot be called indirectly (no ENDBR); %s\n",
			name, lost);
		return NULL;
	}
	if (!addr && lookup)
		pr_warn("%s not found; %s\n", name, lost);
	return (void *)addr;
}

/**
 * memctl_ksyms_classes - the reclaim classes this kernel lets memctl do
 *
 * Return: a MEMCTL_F_CLASS_* mask.
 */
u32 memctl_ksyms_classes(void)
{
	u32 classes = 0;

	if (memctl_ksyms.shrink_slab)
		classes |= MEMCTL_F_CLASS_SLAB;
	if (memctl_ksyms.try_to_free_mem_cgroup_pages)
		classes |= MEMCTL_F_CLASS_FILE | MEMCTL_F_CLASS_ANON;
	return classes;
}

/**
 * memctl_ksyms_missing - why a reclaim class is unavailable
 * @class: one MEMCTL_F_CLASS_* bit
 *
 * Return: the name of the kernel symbol the class needs and this kernel
 * does not provide, or NULL if the class is available.
 */
const char *memctl_ksyms_missing(u32 class)
{
	if (class & memctl_ksyms_classes())
		return NULL;
	if (class == MEMCTL_F_CLASS_SLAB)
		return "shrink_slab";
	return "try_to_free_mem_cgroup_pages";
}

/**
 * memctl_ksyms_init - resolve the kernel symbols memctl uses
 *
 * Never fails: what is missing is reported and its feature turned off.
 *
 * Return: 0.
 */
int memctl_ksyms_init(void)
{
	memctl_kallsyms_lookup_t lookup = memctl_ksyms_find_lookup();
	struct memctl_ksyms *k = &memctl_ksyms;

	if (!lookup)
		pr_warn("no kernel symbol can be resolved: reclaim is unavailable, statistics may lag by up to 2 s, pressure limits are enforced where cgroups have PSI\n");

	k->try_to_free_mem_cgroup_pages =
		memctl_ksyms_get(lookup, "try_to_free_mem_cgroup_pages", true,
				 "the file and anon reclaim classes are unavailable");
	k->shrink_slab =
		memctl_ksyms_get(lookup, "shrink_slab", true,
				 "the slab reclaim class is unavailable");
	k->cgroup_rstat_flush =
		memctl_ksyms_get(lookup, "cgroup_rstat_flush", true,
				 "statistics are flushed for all cgroups at once");
	if (!k->cgroup_rstat_flush)
		k->mem_cgroup_flush_stats =
			memctl_ksyms_get(lookup, "mem_cgroup_flush_stats", true,
					 "statistics may lag by up to 2 s");
	k->task_sched_runtime =
		memctl_ksyms_get(lookup, "task_sched_runtime", true,
				 "reclaim CPU time is counted to the last scheduler tick");
	if (IS_ENABLED(CONFIG_PSI))
		k->psi_cgroups_enabled =
			memctl_ksyms_get(lookup, "psi_cgroups_enabled", false,
					 "pressure limits are enforced where cgroups have PSI");
	return 0;
}
