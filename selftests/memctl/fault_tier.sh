#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Fault injection (issue 8, item 5), stores into the compressed tier.
# Debug kernel only: exits 4 (skip) when /sys/kernel/debug/failslab is
# absent, as on the stock kernel.  Proves that a store that fails for want
# of memory never loses the page (the kernel keeps it in RAM, dirty) and
# that the tier's figures stay right: with /dev/memctl0 the only swap,
# fault_store fills 16 MiB of a process in a cgroup with known pages (zero,
# same-filled, patterns, random, text; small pages and THPs), then has a
# separate reclaimer task push them out (process_madvise MADV_PAGEOUT, or
# the cgroup's memory.reclaim) with failslab failing that task's
# allocations from zsmalloc's caches, and only those, at 10 to 60 percent:
# the tier's stores run in that task and each takes a zsmalloc handle.
# (Failing every allocation of the task would fail the kernel's own swap
# cache too, whose error path in 6.1 leaves empty xarray nodes behind that
# swapoff then warns about; tools/vm/run boots the debug kernel with
# slub_debug=A,zs_handle,zspage so that cache-filter can single out the
# tier's.)  Every page must read back bit for bit; the tier's failed_stores
# (memctl -j tier show) must have grown, or the injection never reached a
# store and the test fails; while the pages are out the cgroup's tier
# figures must account for the global ones; once the process is gone the
# cgroup holds at most the swap layer's batches, and after swapoff (which
# also reads back the pages whose store failed, left dirty in the swap
# cache) nothing, with the global figures back where they were.
set -eu

DBG=/sys/kernel/debug
FS=$DBG/failslab
CG=/sys/fs/cgroup/fault-tier
SIZE_MIB=${FAULT_SIZE_MIB:-16}
PROBS=${FAULT_PROBS:-10,30,60,30}
out=/tmp/fault_tier.out

[ -d $FS ] || mount -t debugfs none $DBG 2>/dev/null || true
[ -d $FS ] || { echo "SKIP: no failslab (not the debug kernel)"; exit 4; }
[ -e /proc/self/make-it-fail ] || { echo "SKIP: no /proc/self/make-it-fail"; exit 4; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
memctl info >/dev/null 2>&1 || { echo "SKIP: memctl is not loaded"; exit 4; }

fail() {
	echo "FAIL: $*"
	exit 1
}

# json KEY: the first number under KEY in stdin's JSON
json() {
	# shellcheck disable=SC2020
	tr ',{}' '\n\n\n' | sed -n "s/^\"$1\":\([0-9]*\)\$/\1/p" | head -n 1
}

# cgtier KEY: KEY of the cgroup's tier figures
cgtier() {
	memctl -j stats /fault-tier/t | sed 's/.*"tier":{//' | json "$1"
}

made_tier=0
files="task-filter cache-filter probability interval times space verbose ignore-gfp-wait"
# shellcheck disable=SC2086 # $files is a list
saved_fs=$(cd $FS && cat $files)

cleanup() {
	echo 0 >$FS/probability
	# shellcheck disable=SC2086
	set -- $saved_fs
	for f in $files; do
		[ $# -gt 0 ] || break
		echo "$1" >"$FS/$f"
		shift
	done
	swapoff /dev/memctl0 2>/dev/null || true
	[ $made_tier = 0 ] || memctl tier del >/dev/null 2>&1 || true
	rmdir $CG/t $CG 2>/dev/null || true
	rm -f $out
}
trap cleanup EXIT

if memctl tier show >/dev/null 2>&1; then
	fail "a tier exists already (left by an earlier test?)"
fi
[ "$(wc -l </proc/swaps)" -le 1 ] || fail "another swap device is on: $(tail -n +2 /proc/swaps)"

memctl tier set size 128M
made_tier=1
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
before=$(memctl -j tier show)

# zsmalloc's caches of the tier's pool must carry the failslab flag.
for c in zs_handle zspage; do
	[ "$(cat /sys/kernel/slab/$c/failslab 2>/dev/null)" = 1 ] ||
		fail "/sys/kernel/slab/$c/failslab is not 1: boot with slub_debug=A,zs_handle,zspage (tools/vm/run --kernel debug does)"
done

# Only tasks with make-it-fail set: fault_store's reclaimer, while it
# pushes pages out; only allocations from the flagged caches, sleeping or
# not.
echo 0 >$FS/probability
echo Y >$FS/task-filter
echo Y >$FS/cache-filter
echo 1 >$FS/interval
echo -1 >$FS/times
echo 0 >$FS/space
echo 0 >$FS/verbose
echo N >$FS/ignore-gfp-wait

mkdir -p $CG
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/t

start=$(date +%s)
rc=0
fault_store /fault-tier/t "$SIZE_MIB" "$PROBS" >$out 2>&1 || rc=$?
cat $out
[ $rc = 0 ] || fail "fault_store exited $rc"
line=$(grep '^fault_store: rounds ' $out) || fail "no summary from fault_store"
echo "$line" | grep -q ' bad 0 ' || fail "pages came back wrong: $line"
echo 0 >$FS/probability

after=$(memctl -j tier show)
failed=$(($(echo "$after" | json failed_stores) - $(echo "$before" | json failed_stores)))
stores=$(($(echo "$after" | json stores) - $(echo "$before" | json stores)))
[ "$failed" -gt 0 ] || fail "no store failed: the injection never reached the tier ($after)"
[ "$(echo "$after" | json failed_loads)" -eq 0 ] || fail "failed loads: $after"

# The process is gone: its slots went back but for the swap layer's
# batches (64 per CPU), and the cgroup holds what the tier holds beyond
# what it held before.
cg_stored=$(cgtier stored_pages)
[ "$cg_stored" -le $((64 * $(nproc))) ] || fail "$cg_stored pages still charged to the cgroup"
[ "$cg_stored" -eq $(($(echo "$after" | json stored_pages) - $(echo "$before" | json stored_pages))) ] ||
	fail "the cgroup holds $cg_stored pages: tier before $before, after $after"

# swapoff reads back what is left and frees every slot.
swapoff /dev/memctl0
for k in stored_pages compressed_bytes same_filled_pages stores loads; do
	[ "$(cgtier $k)" -eq 0 ] || fail "the cgroup's $k is not back to zero: $(memctl -j stats /fault-tier/t)"
done
final=$(memctl -j tier show)
for k in stored_pages compressed_bytes same_filled_pages; do
	[ "$(echo "$final" | json $k)" -eq "$(echo "$before" | json $k)" ] ||
		fail "the tier's $k did not come back: before $before, after swapoff $final"
done
[ "$(echo "$final" | json failed_loads)" -eq 0 ] || fail "failed loads: $final"
memctl tier del
made_tier=0

echo "ok: $(echo "$line" | sed 's/^fault_store: //'); tier: $stores stores, $failed failed; no page lost, figures back to zero, in $(($(date +%s) - start)) s"
