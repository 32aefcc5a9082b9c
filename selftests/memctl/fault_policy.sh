#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Fault injection (issue 8, item 5), policy creation.  Debug kernel only:
# exits 4 (skip) when /sys/kernel/debug/failslab is absent, as on the stock
# kernel.  Proves that a POLICY_SET that fails for want of memory leaves
# nothing behind: fault_nth fails, once each, every slab and page
# allocation one request makes in the kernel (it writes N to its own
# fail-nth right before sendmsg, for N = 1, 2, ... until a request passes
# without reaching an Nth), and checks after each that a refused creation
# left no policy and the policy count as it was, that a refused replace
# left the old policy exactly, and that an accepted request gave exactly
# the asked values.  The sweep is made at least three times (the
# sequence of allocations shifts when a slab takes a new page), and more
# while a pass still finds a new call site; the kernel's trace of each
# injected failure names its call site.  memctl must have refused a
# creation for want of memory, or the injection never reached the module
# and the test fails.  Leaks on the failure paths show in the kmemleak scan
# after the run (tools/vm/debug-kernel/check).
set -eu

DBG=/sys/kernel/debug
FS=$DBG/failslab
FP=$DBG/fail_page_alloc
CG=/sys/fs/cgroup/fault-policy
out=/tmp/fault_policy.out

[ -d $FS ] || mount -t debugfs none $DBG 2>/dev/null || true
[ -d $FS ] || { echo "SKIP: no failslab (not the debug kernel)"; exit 4; }
[ -d $FP ] || { echo "SKIP: no fail_page_alloc"; exit 4; }
[ -e /proc/self/fail-nth ] || { echo "SKIP: no /proc/self/fail-nth"; exit 4; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
memctl info >/dev/null 2>&1 || { echo "SKIP: memctl is not loaded"; exit 4; }

fail() {
	echo "FAIL: $*"
	exit 1
}

# The settings this test changes, as they were.
saved="$(cat $FS/ignore-gfp-wait $FP/ignore-gfp-wait $FP/ignore-gfp-highmem \
	$FP/min-order $FS/verbose $FP/verbose $FS/verbose_ratelimit_interval_ms \
	$FP/verbose_ratelimit_interval_ms)"

cleanup() {
	# shellcheck disable=SC2086 # one word per setting
	set -- $saved
	echo "$1" >$FS/ignore-gfp-wait
	echo "$2" >$FP/ignore-gfp-wait
	echo "$3" >$FP/ignore-gfp-highmem
	echo "$4" >$FP/min-order
	echo "$5" >$FS/verbose
	echo "$6" >$FP/verbose
	echo "$7" >$FS/verbose_ratelimit_interval_ms
	echo "$8" >$FP/verbose_ratelimit_interval_ms
	memctl policy del /fault-policy/a >/dev/null 2>&1 || true
	rmdir $CG/a $CG 2>/dev/null || true
	rm -f $out
}
trap cleanup EXIT

# fail-nth counts only the allocations these filters let through: let
# every one through (sleeping, highmem, order 0).  Log the stack of each
# injected failure, unlimited, for fault_nth -w to name the point.
echo N >$FS/ignore-gfp-wait
echo N >$FP/ignore-gfp-wait
echo N >$FP/ignore-gfp-highmem
echo 0 >$FP/min-order
echo 2 >$FS/verbose
echo 2 >$FP/verbose
echo 0 >$FS/verbose_ratelimit_interval_ms
echo 0 >$FP/verbose_ratelimit_interval_ms

mkdir -p $CG
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/a
before=$(memctl -j policy show)

start=$(date +%s)
rc=0
fault_nth -w /fault-policy/a >$out 2>&1 || rc=$?
cat $out
[ $rc = 0 ] || fail "fault_nth exited $rc"

# "fault_nth: create: 3 passes, P points failed: S at sendmsg, R refused by
# the kernel, ...; C call sites named, M in memctl, F memctl refusals; ..."
create=$(grep '^fault_nth: create: ' $out) || fail "no create summary"
replace=$(grep '^fault_nth: replace: ' $out) || fail "no replace summary"
num() { sed -n "s/.*[:,;] \([0-9]*\) $1.*/\1/p"; }
points=$(echo "$create" | num 'points failed')
refused=$(echo "$create" | num 'refused by the kernel')
sites=$(echo "$create" | num 'call sites named')
msites=$(echo "$create" | num 'in memctl')
mrefused=$(echo "$create" | num 'memctl refusals')
rpoints=$(echo "$replace" | num 'points failed')
[ "$mrefused" -gt 0 ] ||
	fail "memctl never refused a creation: the injection did not reach the module"
[ "$(memctl -j policy show)" = "$before" ] || fail "the policy table changed"

echo "ok: policy set with its allocations failing one at a time: creation $points points ($refused refused by the kernel; $sites call sites named, $msites in memctl), replace $rpoints points; nothing left behind, in $(($(date +%s) - start)) s"
