#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The tier's backing device (issue 17): a regular file on the scratch disk.
#  1. Bad settings are refused with a message and leave no tier: a relative
#     path, a missing file, a directory, a sparse file (holes cannot be
#     mapped), backing-age without backing.
#  2. While the tier holds the file nobody else may write it (ETXTBSY).
#  3. Pages written back on demand (memctl tier writeback all) leave RAM
#     for the file (the tier's and the cgroup's backing_pages) and come back
#     bit for bit (backing_load checks each page; backing_read_bytes grows).
#  4. Untouched pages go to the file by themselves after backing-age.
#  5. swapoff with pages on the file brings every page back, and the figures
#     back to zero; after tier del the file may be written again.
#  6. At store time, pages that do not compress and pages over their
#     cgroup's tier-max go to the file, not RAM, and come back bit for bit.
#  7. The day's write limit stops writeback, says so, and loses nothing.
#  8. Under concurrency: three loads at once, each writing everything back
#     while the others fault their pages in and the idle pass runs.
#  9. A full device: writeback fails with a message, nothing is lost; the
#     file cannot be removed while the tier holds it (EPERM, as a swap
#     file).
set -eu

# shellcheck source=selftests/memctl/testlib
. "$(dirname "$0")/testlib"
need_root_memctl
[ -d /mnt/scratch ] || { echo "SKIP: no scratch disk"; exit 4; }

IMG=/mnt/scratch/tier-backing.img
CG=/sys/fs/cgroup/tb
out=/tmp/tier_backing.out
made_tier=0

cleanup() {
	swapoff /dev/memctl0 2>/dev/null || true
	[ $made_tier = 0 ] || memctl tier del >/dev/null 2>&1 || true
	memctl policy del /tb/t >/dev/null 2>&1 || true
	rmdir $CG/t $CG 2>/dev/null || true
	rm -f $IMG $IMG.sparse $IMG.small $out $out.1 $out.2 $out.3 $out.wb $out.tier $out.cg
}
trap cleanup EXIT

no_tier_no_swap

# refused: KEYWORDS... -- EXPECTED-STATUS MESSAGE-PART
refused() {
	want=$1 part=$2
	shift 2
	rc=0
	memctl tier set size 64M "$@" >$out 2>&1 || rc=$?
	[ "$rc" = "$want" ] || fail "tier set $*: exit $rc, not $want: $(cat $out)"
	grep -q -- "$part" $out || fail "tier set $*: no '$part' in: $(cat $out)"
	[ "$(wc -l <$out)" = 1 ] || fail "tier set $*: more than one line: $(cat $out)"
	if memctl tier show >/dev/null 2>&1; then
		made_tier=1
		fail "tier set $* left a tier"
	fi
}

dd if=/dev/zero of=$IMG bs=1M count=64 2>/dev/null
dd if=/dev/zero of=$IMG.sparse bs=1 count=0 seek=8M 2>/dev/null
refused 64 "absolute path" backing tier-backing.img
refused 64 "need 'backing PATH'" backing-age 2
refused 1 "cannot open" backing /mnt/scratch/none.img
refused 1 "neither a block device nor a regular file" backing /mnt/scratch
refused 1 "holes" backing $IMG.sparse
echo "ok: bad settings refused, no tier left"

# the default backing-age (30 min): no idle pass before the on-demand one
# (a slow kernel, a debug one, may take longer than 2 s to push the data)
memctl tier set size 128M backing $IMG
made_tier=1
memctl -j tier show | grep -q "\"backing\":\"$IMG\"" || fail "tier show: $(memctl -j tier show)"
[ "$(tier backing_size)" = $((64 << 20)) ] || fail "backing_size: $(memctl -j tier show)"
if dd if=/dev/zero of=$IMG bs=1 count=1 conv=notrunc 2>/dev/null; then
	fail "the backing file could be written while the tier holds it"
fi
echo "ok: the file is held (writes refused)"

mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
mkdir -p $CG
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/t

# 3. on demand
backing_load /tb/t 24 "memctl tier writeback all >$out.wb && memctl -j tier show >$out.tier && memctl -j stats /tb/t >$out.cg" >$out 2>&1 ||
	fail "backing_load (writeback all): $(cat $out)"
line=$(grep '^backing_load:' $out)
cat $out.wb
wb_pages=$(sed -n 's/^wrote back \([0-9]*\) pages$/\1/p' $out.wb)
[ "${wb_pages:-0}" -gt 1000 ] || fail "writeback all wrote ${wb_pages:-no} pages: $(cat $out.wb)"
[ "$(json backing_pages <$out.tier)" -gt 1000 ] || fail "backing_pages after writeback: $(cat $out.tier)"
[ "$(json backing_written_bytes <$out.tier)" -ge $((wb_pages * 4096)) ] || fail "backing_written_bytes: $(cat $out.tier)"
cg_backing=$(sed 's/.*"tier":{//' $out.cg | json backing_pages)
[ "$cg_backing" -gt 1000 ] || fail "the cgroup's tier.backing_pages: $(cat $out.cg)"
[ "$(tier backing_read_bytes)" -gt 0 ] || fail "nothing read back: $(memctl -j tier show)"
[ "$(tier backing_failed_reads)" = 0 ] || fail "failed reads: $(memctl -j tier show)"
[ "$(tier backing_failed_writes)" = 0 ] || fail "failed writes: $(memctl -j tier show)"
echo "ok: writeback all: $line; $wb_pages pages written back, cgroup $cg_backing"

# 4. idle pages by themselves, with a tier made again at backing-age 2s
swapoff /dev/memctl0
memctl tier del
made_tier=0
memctl tier set size 128M backing $IMG backing-age 2
made_tier=1
[ "$(tier backing_age)" = 2 ] || fail "backing_age: $(memctl -j tier show)"
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
before=$(tier backing_written_bytes)
backing_load /tb/t 16 "sleep 8" >$out 2>&1 || fail "backing_load (idle): $(cat $out)"
grew=$(($(tier backing_written_bytes) - before))
[ "$grew" -gt $((1 << 20)) ] || fail "idle pages were not written back after 8 s at backing-age 2s: $grew bytes"
echo "ok: idle writeback: $(grep '^backing_load:' $out); $grew bytes written by itself"

# 8. concurrency (on this tier: the idle pass at 2 s runs too)
pids=
for i in 1 2 3; do
	backing_load /tb/t 8 "memctl tier writeback all >/dev/null" >$out.$i 2>&1 &
	pids="$pids $!"
done
for pid in $pids; do
	wait "$pid" || fail "a concurrent backing_load failed: $(cat $out.1 $out.2 $out.3)"
done
for i in 1 2 3; do
	grep -q ' bad 0 command-status 0$' $out.$i || fail "concurrent load $i: $(cat $out.$i)"
done
[ "$(tier backing_failed_writes)" = 0 ] || fail "failed writes: $(memctl -j tier show)"
echo "ok: three loads at once, each writing back: $(grep -h '^backing_load:' $out.1 $out.2 $out.3 | tr '\n' ';')"

# 5. swapoff brings everything back
backing_load /tb/t 16 "memctl tier writeback all >/dev/null && swapoff /dev/memctl0" >$out 2>&1 ||
	fail "backing_load (swapoff): $(cat $out)"
# what is left is mkswap's header page, in RAM or on the file
[ $(($(tier backing_pages) + $(tier stored_pages))) = 1 ] ||
	fail "pages left after swapoff but the swap header: $(memctl -j tier show)"
[ "$(cgtier /tb/t backing_pages)" = 0 ] ||
	fail "the cgroup's backing_pages after swapoff: $(memctl -j stats /tb/t)"
memctl tier del
made_tier=0
dd if=/dev/zero of=$IMG bs=1 count=1 conv=notrunc 2>/dev/null ||
	fail "the file is still held after tier del"
echo "ok: swapoff: $(grep '^backing_load:' $out); figures back to zero, file let go"

# 6. at store time: incompressible pages, and pages over a cap
memctl tier set size 128M backing $IMG
made_tier=1
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
backing_load /tb/t 16 "memctl -j tier show >$out.tier" >$out 2>&1 || fail "backing_load (incompressible): $(cat $out)"
[ "$(json huge_pages <$out.tier)" = 0 ] || fail "incompressible pages kept in RAM: $(cat $out.tier)"
# a fifth of the pages are random bytes
[ "$(json backing_pages <$out.tier)" -ge 700 ] || fail "incompressible pages not on the backing device: $(cat $out.tier)"
echo "ok: incompressible pages to the file at once: $(grep '^backing_load:' $out); $(json backing_pages <$out.tier) pages there"
memctl policy set /tb/t high 64G target 32G tier-max 256K
backing_load /tb/t 16 "memctl -j stats /tb/t >$out.cg" >$out 2>&1 || fail "backing_load (cap): $(cat $out)"
cg_ram=$(sed 's/.*"tier":{//' $out.cg | json compressed_bytes)
cg_backing=$(sed 's/.*"tier":{//' $out.cg | json backing_pages)
[ "$cg_ram" -le $((256 << 10)) ] || fail "the cap did not hold: $(cat $out.cg)"
# 4096 pages: 1,638 same-filled (no bytes), 819 random (to the file
# anyway), 1,639 that compress, of which what fits in 256K stays in RAM
[ "$cg_backing" -ge 1800 ] || fail "pages over the cap not on the backing device: $(cat $out.cg)"
[ "$(sed 's/.*"tier":{//' $out.cg | json cap_refusals)" -gt 0 ] || fail "no store met the cap: $(cat $out.cg)"
echo "ok: over the cap to the file: $(grep '^backing_load:' $out); cgroup $cg_ram bytes in RAM, $cg_backing pages on the file"
memctl policy del /tb/t
swapoff /dev/memctl0
memctl tier del
made_tier=0

# 7. the day's limit
memctl tier set size 128M backing $IMG backing-limit 1M
made_tier=1
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
rc=0
backing_load /tb/t 16 "memctl tier writeback all >$out.wb 2>&1" >$out 2>&1 || rc=$?
grep -q ' bad 0 ' $out || fail "pages lost under the limit: $(cat $out)"
grep -q 'command-status 1' $out || fail "writeback past the limit did not fail: $(cat $out) $(cat $out.wb)"
grep -q 'limit' $out.wb || fail "no word of the limit: $(cat $out.wb)"
[ "$(tier backing_written_bytes)" -le $((1 << 20)) ] || fail "wrote past the limit: $(memctl -j tier show)"
[ "$(tier backing_limit_stops)" -ge 1 ] || fail "limit_stops: $(memctl -j tier show)"
echo "ok: limit: $(cat $out.wb); $(tier backing_written_bytes) bytes written"
swapoff /dev/memctl0
memctl tier del
made_tier=0

# 9. a full device, whose file nobody may remove meanwhile
dd if=/dev/zero of=$IMG.small bs=1M count=1 2>/dev/null
memctl tier set size 128M backing $IMG.small
made_tier=1
if rm -f $IMG.small 2>/dev/null || [ ! -e $IMG.small ]; then
	fail "the file the tier holds could be removed"
fi
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
backing_load /tb/t 16 "memctl tier writeback all >$out.wb 2>&1; memctl -j tier show >$out.tier" >$out 2>&1 || true
grep -q ' bad 0 ' $out || fail "pages lost on a full device: $(cat $out)"
grep -q 'command-status 0' $out || fail "the command failed: $(cat $out)"
grep -q 'full' $out.wb || fail "writeback to a full device did not say so: $(cat $out.wb)"
[ "$(json backing_pages <$out.tier)" -le 256 ] || fail "more pages than the device has blocks: $(cat $out.tier)"
[ "$(json backing_pages <$out.tier)" -ge 200 ] || fail "the device was not filled: $(cat $out.tier)"
[ "$(json backing_failed_writes <$out.tier)" = 0 ] || fail "failed writes: $(cat $out.tier)"
swapoff /dev/memctl0
memctl tier del
made_tier=0
rm $IMG.small || fail "the file cannot be removed after tier del"
echo "ok: full: $(cat $out.wb); $(grep '^backing_load:' $out); the held file could not be removed"
echo "tier backing: ok"
