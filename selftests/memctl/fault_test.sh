#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Fault injection (issue 8, item 5); debug kernel only: exits 4 (skip) when
# /sys/kernel/debug/failslab is absent, as on the stock kernel.  Proves:
#  1. policy creation under slab allocation failures fails cleanly: the Nth
#     slab allocation of `memctl policy set` fails (fail-nth, N swept); the
#     policy is then either absent, or present with exactly the asked-for
#     values (a failure after the table changed, e.g. of the reply); a
#     success always leaves it present.  kmemleak (scanned by the runner
#     after the run) proves nothing leaks.
#  2. stores into the tier under slab and page allocation failures never
#     lose a page: tierload (MADV_PAGEOUT of mixed pages to /dev/memctl0,
#     swap-in, check of every page) runs with failslab and fail_page_alloc
#     scoped to its task (task-filter + make-it-fail); the swap-out, and so
#     the tier's store, runs in that task.  Every page must come back right.
set -eu

DBG=/sys/kernel/debug
[ -d $DBG/failslab ] || mount -t debugfs none $DBG 2>/dev/null || true
[ -d $DBG/failslab ] || { echo "SKIP: no failslab (not the debug kernel)"; exit 4; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
memctl info >/dev/null 2>&1 || { echo "SKIP: memctl is not loaded"; exit 4; }
[ -e /proc/self/fail-nth ] || { echo "SKIP: no /proc/self/fail-nth"; exit 4; }
TIERLOAD=$(command -v tierload || echo /work/main/tools/bench/tierload)

CG=/sys/fs/cgroup/fault
FS=$DBG/failslab
FP=$DBG/fail_page_alloc
made_tier=0
policy_unproven=0

fail() { echo "FAIL: $*"; exit 1; }

cleanup() {
	for d in $FS $FP; do
		[ -d $d ] || continue
		echo 0 >$d/probability
		echo N >$d/task-filter
	done
	memctl policy del /fault/a >/dev/null 2>&1 || true
	swapoff /dev/memctl0 2>/dev/null || true
	[ $made_tier = 1 ] && memctl tier del >/dev/null 2>&1 || true
	rmdir $CG/a $CG 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p $CG
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/a

# 1. Policy creation, the Nth slab allocation failing.
echo N >$FS/ignore-gfp-wait
echo 0 >$FS/verbose
echo 0 >$FS/probability
before=$(memctl -j policy show)
N=${FAULT_NTH_MAX:-300}
n=1
failed=0
ok=0
while [ $n -le "$N" ]; do
	rc=0
	timeout 60 sh -c "echo $n >/proc/self/fail-nth && exec memctl policy set /fault/a high 64M target 32M" \
		>/dev/null 2>&1 || rc=$?
	[ $rc = 124 ] && fail "fail-nth $n: memctl policy set hung"
	[ $((n % 20)) = 0 ] && echo "# fail-nth $n: $failed failed, $ok succeeded so far"
	if out=$(memctl -j policy show /fault/a 2>/dev/null); then
		echo "$out" | grep -q '"high":67108864' && echo "$out" | grep -q '"target":33554432' ||
			fail "fail-nth $n: a half-made policy: $out"
		memctl policy del /fault/a >/dev/null
	else
		[ $rc = 0 ] && fail "fail-nth $n: memctl said yes, but there is no policy"
	fi
	if [ $rc = 0 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
	n=$((n + 1))
done
[ "$(memctl -j policy show)" = "$before" ] || fail "the policy table changed"
echo "ok: policy set with the Nth slab allocation failing, N=1..$N: $failed failed cleanly, $ok succeeded"
# No failure at all means the injection never reached the request: say so.
[ $failed -gt 0 ] || policy_unproven=1

# 2. Tier stores with allocations failing in the swapping task.
if [ ! -x "$TIERLOAD" ]; then
	echo "ok: tier part skipped: no tierload (--add tools/bench/tierload)"
	exit 0
fi
if memctl tier show >/dev/null 2>&1; then
	echo "ok: tier part skipped: a tier exists already"
	exit 0
fi
memctl tier set size 128M
made_tier=1
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
fs0=$(memctl -j tier show | tr ',' '\n' | sed -n 's/"failed_stores"://p')
for d in $FS $FP; do
	echo 1 >$d/task-filter
	echo ${FAULT_PROB:-5} >$d/probability
	echo 1 >$d/interval
	echo -1 >$d/times
	echo N >$d/ignore-gfp-wait
	echo 0 >$d/verbose
done
echo N >$FP/ignore-gfp-highmem
echo 0 >$FP/min-order
passes=0
tries=0
while [ $passes -lt ${FAULT_PASSES:-4} ] && [ $tries -lt 20 ]; do
	tries=$((tries + 1))
	out=$(sh -c "echo \$\$ >$CG/a/cgroup.procs && echo 1 >/proc/self/make-it-fail && exec $TIERLOAD 16 $tries mixed true" 2>&1) || true
	line=$(echo "$out" | grep '^pages ' || true)
	[ -n "$line" ] || { echo "# try $tries inconclusive (the workload itself failed): $(echo "$out" | tail -n 1)"; continue; }
	echo "$line" | grep -q ' bad 0$' || fail "pages lost under allocation failures: $line"
	passes=$((passes + 1))
	echo "# $line"
done
for d in $FS $FP; do echo 0 >$d/probability; done
fs1=$(memctl -j tier show | tr ',' '\n' | sed -n 's/"failed_stores"://p')
if [ $passes = 0 ]; then
	# Known: at this rate the injection kills the exec of tierload itself.
	echo "SKIP: inconclusive: no tierload pass completed under fault injection (policy part: $failed injected failures)"
	exit 4
fi
echo "ok: $passes tierload passes under failslab+fail_page_alloc at ${FAULT_PROB:-5}%, every page verified; the tier's failed_stores went $fs0 -> $fs1"
[ $policy_unproven = 0 ] || { echo "SKIP: inconclusive: no injected failure reached policy set"; exit 4; }
exit 0
