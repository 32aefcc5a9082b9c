#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A small device (issue 17, item 5): in a VM of 128 MiB of RAM
# (tools/vm/run --mem 128M), a workload of 160 MiB of mixed pages (zero,
# same-filled, patterns, random, text; small pages and THPs) runs to the
# end with every page verified, its cgroup's tier capped at 64 MiB of RAM
# and the tier backed by a swap file on the scratch disk: what does not
# fit in RAM, compressed, goes to the file.  Skips on a VM with more than
# 256 MiB (run_vm_tests.sh runs everything in 1 GiB; tools/check runs this
# one in its own small VM).
set -eu

# shellcheck source=selftests/memctl/testlib
. "$(dirname "$0")/testlib"
need_root_memctl
[ -d /mnt/scratch ] || { echo "SKIP: no scratch disk"; exit 4; }
mem_kib=$(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
[ "$mem_kib" -le $((256 << 10)) ] ||
	{ echo "SKIP: not a small device ($((mem_kib >> 10)) MiB of RAM; tools/vm/run --mem 128M)"; exit 4; }

# README's example ("On a small device") as it is written: its swap file
# lives in /var/lib/memctl, here the scratch disk (/ is a RAM disk, which
# cannot back the tier), and its cgroup is /system.slice.
# tools/readme-check checks that the lines between "README:" marks are
# README's.
DIR=/var/lib/memctl
IMG=$DIR/swap.img
CG=/sys/fs/cgroup/system.slice
out=/tmp/small_device.out
made_tier=0
mounted=0

cleanup() {
	swapoff /dev/memctl0 2>/dev/null || true
	memctl policy del /system.slice >/dev/null 2>&1 || true
	[ $made_tier = 0 ] || memctl tier del >/dev/null 2>&1 || true
	rmdir $CG 2>/dev/null || true
	rm -f $IMG $out $out.tier $out.cg
	[ $mounted = 0 ] || umount $DIR 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p $DIR
mount --bind /mnt/scratch $DIR
mounted=1
no_tier_no_swap
mkdir -p $CG
made_tier=1
# README: begin
dd if=/dev/zero of=/var/lib/memctl/swap.img bs=1M count=256
memctl tier set size 384M backing /var/lib/memctl/swap.img backing-limit 1G
mkswap /dev/memctl0 && swapon /dev/memctl0
memctl policy set /system.slice mode auto tier on tier-max 64M
memctl -j tier show
# README: end
start=$(date +%s)
backing_load /system.slice 160 "memctl -j tier show >$out.tier; memctl -j stats /system.slice >$out.cg" >$out 2>&1 ||
	fail "the workload: $(cat $out)"
line=$(grep '^backing_load:' $out)
ram=$(sed 's/.*"tier":{//' $out.cg | json compressed_bytes)
disk=$(sed 's/.*"tier":{//' $out.cg | json backing_pages)
[ "$ram" -le $((64 << 20)) ] || fail "the cap of 64 MiB did not hold: $(cat $out.cg)"
[ "$disk" -gt 0 ] || fail "nothing went to the file: $(cat $out.cg)"
echo "ok: 160 MiB in $((mem_kib >> 10)) MiB of RAM in $(($(date +%s) - start)) s: $line; tier: $ram bytes in RAM, $disk pages on the file; module: $(awk '$1 == "memctl" { print $2 }' /proc/modules) bytes"
