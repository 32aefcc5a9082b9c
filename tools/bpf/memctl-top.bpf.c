// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctl-top: per-cgroup reclaim latency, the BPF side.
 *
 *   global direct reclaim   tp_btf mm_vmscan_direct_reclaim_begin/end,
 *                           charged to the stalled task's cgroup
 *   memcg reclaim           fentry/fexit try_to_free_mem_cgroup_pages(),
 *                           charged to the target memcg (the 6.1 tracepoints
 *                           mm_vmscan_memcg_reclaim_* do not carry it); split
 *                           into memctl.ko's reclaim, memory.reclaim writes
 *                           (MEMCG_RECLAIM_PROACTIVE) and limit stalls
 *   slab shrink             fentry/fexit shrink_slab() when it can be traced,
 *                           else tp_btf mm_shrink_slab_start/end; charged to
 *                           the memcg whose shrinkers run.  memctl.ko's own
 *                           shrink_slab() calls (its slab pass, not nested in
 *                           a memcg reclaim) count as memctl reclaim too.
 *
 * memctl.ko's reclaim is recognized two ways (is_memctl()): current is a
 * worker of a workqueue named memctl* (the engine's "memctl_reclaim", which
 * runs episodes and one-shots), or the kernel stack holds a return address
 * inside the module's code (any other path through the module).
 *
 * The user side picks the programs to load (autoload) after probing the
 * kernel, and reads the `stats' map once per interval.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "memctl-top.h"

/* include/linux/sched.h and include/linux/swap.h, not in BTF */
#define PF_WQ_WORKER		0x00000020
#define PF_KSWAPD		0x00020000
#define PF_KTHREAD		0x00200000
#define MEMCG_RECLAIM_PROACTIVE	(1 << 2)

#define ROOT_CGROUP_ID		1

/* options (read-only once loaded; a loader may change them before load) */
const volatile char wq_prefix[MT_WQ_PREFIX_MAX] = MT_WQ_PREFIX;
const volatile __u32 wq_prefix_len = sizeof(MT_WQ_PREFIX) - 1;

enum start_kind {
	K_DIRECT,
	K_MEMCG,
	K_SLAB,
};

struct start_key {
	__u32 tid;
	__u32 kind;
};

struct start_val {
	__u64 ts;
	__u64 cgroup_id;	/* K_SLAB from the tracepoint: the memcg */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct start_key);
	__type(value, struct start_val);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MT_MAX_CGROUPS);
	__type(key, __u64);
	__type(value, struct mt_stats);
} stats SEC(".maps");

/* memctl.ko's core text and data, kept up to date by the user side */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mt_range);
} memctl_text SEC(".maps");

/* a kernel stack, too large for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[MT_STACK_DEPTH]);
} stack_buf SEC(".maps");

/* too large for the BPF stack: the initial value of a new `stats' entry */
static const struct mt_stats zero_stats;

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r;
}

static __always_inline struct mt_stats *stats_of(__u64 id)
{
	struct mt_stats *s;

	s = bpf_map_lookup_elem(&stats, &id);
	if (s)
		return s;
	/* EEXIST when another CPU got there first; full map: dropped */
	bpf_map_update_elem(&stats, &id, &zero_stats, BPF_NOEXIST);
	return bpf_map_lookup_elem(&stats, &id);
}

static __always_inline void stall_add(struct mt_stall *s, __u64 ns, __u64 pages)
{
	__u32 slot = log2_u64(ns);

	if (slot >= MT_SLOTS)
		slot = MT_SLOTS - 1;
	__sync_fetch_and_add(&s->count, 1);
	__sync_fetch_and_add(&s->total_ns, ns);
	__sync_fetch_and_add(&s->pages, pages);
	__sync_fetch_and_add(&s->slots[slot], 1);
}

static __always_inline void work_add(struct mt_work *w, __u64 ns, __u64 pages,
				     __u64 objects)
{
	__sync_fetch_and_add(&w->count, 1);
	__sync_fetch_and_add(&w->total_ns, ns);
	__sync_fetch_and_add(&w->pages, pages);
	__sync_fetch_and_add(&w->objects, objects);
}

static __always_inline int start_push(__u32 kind, __u64 cgroup_id)
{
	struct start_key key = {
		.tid = (__u32)bpf_get_current_pid_tgid(),
		.kind = kind,
	};
	struct start_val val = {
		.ts = bpf_ktime_get_ns(),
		.cgroup_id = cgroup_id,
	};

	bpf_map_update_elem(&start, &key, &val, BPF_ANY);
	return 0;
}

/* Takes the start entry of this task; 0 when there is none (the program was
 * attached in the middle of the call).
 */
static __always_inline bool start_pending(__u32 kind)
{
	struct start_key key = {
		.tid = (__u32)bpf_get_current_pid_tgid(),
		.kind = kind,
	};

	return bpf_map_lookup_elem(&start, &key);
}

static __always_inline __u64 start_pop(__u32 kind, __u64 *cgroup_id)
{
	struct start_key key = {
		.tid = (__u32)bpf_get_current_pid_tgid(),
		.kind = kind,
	};
	struct start_val *val;
	__u64 ts, now;

	val = bpf_map_lookup_elem(&start, &key);
	if (!val)
		return 0;
	ts = val->ts;
	if (cgroup_id)
		*cgroup_id = val->cgroup_id;
	bpf_map_delete_elem(&start, &key);
	now = bpf_ktime_get_ns();
	return now > ts ? now - ts : 1;
}

static __always_inline __u64 memcg_id(struct mem_cgroup *memcg)
{
	__u64 id;

	if (!memcg)
		return ROOT_CGROUP_ID;
	id = BPF_CORE_READ(memcg, css.cgroup, kn, id);
	return id ? id : ROOT_CGROUP_ID;
}

/*
 * Is current a worker of memctl.ko's workqueue?  A workqueue worker
 * (PF_WQ_WORKER) keeps its struct worker in its kthread's data; the worker's
 * current_pwq names the workqueue of the work item it runs.  memctl.ko
 * queues its reclaim work on its own workqueue, whose name starts with
 * wq_prefix.  A kernel thread (not a worker) named wq_prefix* counts too.
 */
static __always_inline bool in_memctl_worker(struct task_struct *task,
					     unsigned int flags)
{
	char name[MT_WQ_PREFIX_MAX] = {};
	struct pool_workqueue *pwq;
	struct workqueue_struct *wq;
	struct kthread *kthread;
	struct worker *worker;
	__u32 i;

	if (flags & PF_WQ_WORKER) {
		if (bpf_core_field_exists(task->worker_private))
			kthread = BPF_CORE_READ(task, worker_private);
		else
			kthread = (void *)BPF_CORE_READ(task, set_child_tid);
		worker = BPF_CORE_READ(kthread, data);
		pwq = BPF_CORE_READ(worker, current_pwq);
		wq = BPF_CORE_READ(pwq, wq);
		if (!wq)
			return false;
		if (bpf_core_read_str(name, sizeof(name), &wq->name) <= 0)
			return false;
	} else {
		bpf_get_current_comm(name, 16);	/* TASK_COMM_LEN */
	}
	for (i = 0; i < MT_WQ_PREFIX_MAX; i++) {
		if (i >= wq_prefix_len)
			return true;
		if (name[i] != wq_prefix[i])
			return false;
	}
	return true;
}

/* Does the kernel stack pass through memctl.ko's code? */
static __always_inline bool called_from_memctl(void *ctx)
{
	struct mt_range *text;
	__u32 zero = 0, i;
	__u64 *stack;
	long len;

	text = bpf_map_lookup_elem(&memctl_text, &zero);
	stack = bpf_map_lookup_elem(&stack_buf, &zero);
	if (!text || !stack || !text->lo)
		return false;
	len = bpf_get_stack(ctx, stack, MT_STACK_DEPTH * sizeof(__u64), 0);
	for (i = 0; i < MT_STACK_DEPTH; i++) {
		if (len < 0 || (long)(i * sizeof(__u64)) >= len)
			break;
		if (stack[i] >= text->lo && stack[i] < text->hi)
			return true;
	}
	return false;
}

/* Is this reclaim memctl.ko's?  ctx: the program's, for the stack. */
static __always_inline bool is_memctl(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	unsigned int flags = BPF_CORE_READ(task, flags);

	if (flags & PF_KSWAPD)
		return false;
	if ((flags & PF_KTHREAD) && in_memctl_worker(task, flags))
		return true;
	return called_from_memctl(ctx);
}

SEC("tp_btf/mm_vmscan_direct_reclaim_begin")
int BPF_PROG(direct_begin)
{
	return start_push(K_DIRECT, 0);
}

SEC("tp_btf/mm_vmscan_direct_reclaim_end")
int BPF_PROG(direct_end, unsigned long nr_reclaimed)
{
	struct mt_stats *s;
	__u64 ns;

	ns = start_pop(K_DIRECT, NULL);
	if (!ns)
		return 0;
	s = stats_of(bpf_get_current_cgroup_id());
	if (s)
		stall_add(&s->direct, ns, nr_reclaimed);
	return 0;
}

SEC("fentry/try_to_free_mem_cgroup_pages")
int BPF_PROG(memcg_enter)
{
	return start_push(K_MEMCG, 0);
}

SEC("fexit/try_to_free_mem_cgroup_pages")
int BPF_PROG(memcg_exit, struct mem_cgroup *memcg, unsigned long nr_pages,
	     gfp_t gfp_mask, unsigned int reclaim_options)
{
	struct mt_stats *s;
	__u64 ns, ret = 0;

	ns = start_pop(K_MEMCG, NULL);
	if (!ns)
		return 0;
	/* the return value without counting the arguments: their number changes */
	bpf_get_func_ret(ctx, &ret);
	s = stats_of(memcg_id(memcg));
	if (!s)
		return 0;
	if (is_memctl(ctx))
		work_add(&s->memctl, ns, ret, 0);
	else if (reclaim_options & MEMCG_RECLAIM_PROACTIVE)
		work_add(&s->proactive, ns, ret, 0);
	else
		stall_add(&s->memcg, ns, ret);
	return 0;
}

SEC("fentry/shrink_slab")
int BPF_PROG(slab_enter)
{
	return start_push(K_SLAB, 0);
}

SEC("fexit/shrink_slab")
int BPF_PROG(slab_exit, gfp_t gfp_mask, int nid, struct mem_cgroup *memcg)
{
	struct mt_stats *s;
	__u64 ns, ret = 0;

	ns = start_pop(K_SLAB, NULL);
	if (!ns)
		return 0;
	bpf_get_func_ret(ctx, &ret);
	s = stats_of(memcg_id(memcg));
	if (!s)
		return 0;
	work_add(&s->slab, ns, 0, ret);
	/* memctl's slab pass; inside a memcg reclaim it is already counted */
	if (!start_pending(K_MEMCG) && !start_pending(K_DIRECT) && is_memctl(ctx))
		work_add(&s->memctl, ns, 0, ret);
	return 0;
}

SEC("tp_btf/mm_shrink_slab_start")
int BPF_PROG(shrinker_start, struct shrinker *shrinker, struct shrink_control *sc)
{
	return start_push(K_SLAB, memcg_id(BPF_CORE_READ(sc, memcg)));
}

SEC("tp_btf/mm_shrink_slab_end")
int BPF_PROG(shrinker_end, struct shrinker *shrinker, int nid, int freed)
{
	struct mt_stats *s;
	__u64 ns, id = ROOT_CGROUP_ID;

	ns = start_pop(K_SLAB, &id);
	if (!ns)
		return 0;
	s = stats_of(id);
	if (s)
		work_add(&s->slab, ns, 0, freed > 0 ? freed : 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
