#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The tier's backing device failing (issue 17, item 4), on a memory-backed
# null_blk device whose bad blocks fail every I/O that touches them:
#  1. Writes fail: a writeback pass writes nothing, counts each failed
#     write, and every page stays in RAM (backing_load reads each back bit
#     for bit).
#  2. Reads fail: pages written back, then the device's blocks made bad; the
#     process that faults them in gets SIGBUS (an I/O error on the page,
#     never other data), and the failed reads are counted.
#  3. A block device in use is refused: the same device a second time
#     (opened exclusively).
set -eu

# shellcheck source=selftests/memctl/testlib
. "$(dirname "$0")/testlib"
need_root_memctl

CFG=/sys/kernel/config
NB=$CFG/nullb/nullb0
CG=/sys/fs/cgroup/tbe
out=/tmp/tier_backing_errors.out
bad=/tmp/tier_backing_errors.bad
made_tier=0

cleanup() {
	swapoff /dev/memctl0 2>/dev/null || true
	[ $made_tier = 0 ] || memctl tier del >/dev/null 2>&1 || true
	rmdir $CG/t $CG 2>/dev/null || true
	if [ -d $NB ]; then
		echo 0 >$NB/power 2>/dev/null || true
		rmdir $NB 2>/dev/null || true
	fi
	rm -f $out $out.wb $bad
}
trap cleanup EXIT

no_tier_no_swap

modprobe configfs 2>/dev/null || true
[ -d $CFG/nullb ] || mount -t configfs none $CFG 2>/dev/null || true
modprobe null_blk nr_devices=0 2>/dev/null || { echo "SKIP: no null_blk module"; exit 4; }
[ -d $CFG/nullb ] || { echo "SKIP: null_blk has no configfs"; exit 4; }
mkdir $NB
echo 1 >$NB/memory_backed
echo 64 >$NB/size		# MiB
echo 4096 >$NB/blocksize
echo 1 >$NB/power
dev=/dev/nullb0
[ -b "$dev" ] || dev=/dev/nullb$(cat $NB/index)
[ -b "$dev" ] || fail "no block device for $NB"
sectors=$((64 << 11))
# $bad +|-: every sector bad, or none.  In runs of 512 sectors, in order:
# 6.1's badblocks stores one large range out of order and then finds none.
# A script of its own: backing_load's command runs it too.
cat >$bad <<EOF
i=0
while [ \$i -lt $sectors ]; do
	echo "\$1\$i-\$((i + 511))" >$NB/badblocks
	i=\$((i + 512))
done
EOF

memctl tier set size 128M backing "$dev"
made_tier=1
rc=0
memctl tier set size 128M backing "$dev" >$out 2>&1 || rc=$?
[ $rc = 1 ] || fail "a second tier set: exit $rc: $(cat $out)"

mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
mkdir -p $CG
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/t

# 1. every write fails
sh $bad +
backing_load /tbe/t 8 "memctl tier writeback all >$out.wb" >$out 2>&1 ||
	fail "backing_load with failing writes: $(cat $out) $(cat $out.wb)"
[ "$(sed -n 's/^wrote back \([0-9]*\) pages$/\1/p' $out.wb)" = 0 ] || fail "writes failed yet: $(cat $out.wb)"
[ "$(tier backing_failed_writes)" -gt 0 ] || fail "no failed write counted: $(memctl -j tier show)"
# (a page whose write failed keeps its slot, and counts in backing_pages,
# until swap writes it again or frees it: swap never reads it meanwhile)
[ "$(tier backing_written_bytes)" = 0 ] || fail "bytes written to a device that failed every write: $(memctl -j tier show)"
echo "ok: failing writes: $(grep '^backing_load:' $out); $(tier backing_failed_writes) failed writes, the pages stayed in RAM"
sh $bad -

# 2. every read fails
rc=0
backing_load /tbe/t 8 "memctl tier writeback all >$out.wb && sh $bad +" >$out 2>&1 || rc=$?
cat $out.wb
[ "$(sed -n 's/^wrote back \([0-9]*\) pages$/\1/p' $out.wb)" -gt 0 ] || fail "nothing written back: $(cat $out.wb)"
[ $rc = $((128 + 7)) ] || fail "backing_load did not die of SIGBUS (exit $rc): $(cat $out)"
grep -q 'bad [1-9]' $out && fail "a page came back wrong instead of failing: $(cat $out)"
[ "$(tier backing_failed_reads)" -gt 0 ] || fail "no failed read counted: $(memctl -j tier show)"
echo "ok: failing reads: SIGBUS, $(tier backing_failed_reads) failed reads, no wrong data"
sh $bad -

swapoff /dev/memctl0
# what is left is mkswap's header page, in RAM or on the device
[ $(($(tier backing_pages) + $(tier stored_pages))) = 1 ] ||
	fail "pages left after swapoff but the swap header: $(memctl -j tier show)"
memctl tier del
made_tier=0
echo "tier backing errors: ok"
