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

IMG=/mnt/scratch/small-backing.img
CG=/sys/fs/cgroup/small
out=/tmp/small_device.out
made_tier=0

cleanup() {
	swapoff /dev/memctl0 2>/dev/null || true
	memctl policy del /small >/dev/null 2>&1 || true
	[ $made_tier = 0 ] || memctl tier del >/dev/null 2>&1 || true
	rmdir $CG 2>/dev/null || true
	rm -f $IMG $out
}
trap cleanup EXIT

dd if=/dev/zero of=$IMG bs=1M count=256 2>/dev/null
memctl tier set size 384M backing $IMG
made_tier=1
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
mkdir -p $CG
memctl policy set /small high 1P target 512T tier-max 64M
start=$(date +%s)
backing_load /small 160 "memctl -j tier show >$out.tier; memctl -j stats /small >$out.cg" >$out 2>&1 ||
	fail "the workload: $(cat $out)"
line=$(grep '^backing_load:' $out)
ram=$(sed 's/.*"tier":{//' $out.cg | json compressed_bytes)
disk=$(sed 's/.*"tier":{//' $out.cg | json backing_pages)
[ "$ram" -le $((64 << 20)) ] || fail "the cap of 64 MiB did not hold: $(cat $out.cg)"
[ "$disk" -gt 0 ] || fail "nothing went to the file: $(cat $out.cg)"
echo "ok: 160 MiB in $((mem_kib >> 10)) MiB of RAM in $(($(date +%s) - start)) s: $line; tier: $ram bytes in RAM, $disk pages on the file; module: $(awk '$1 == "memctl" { print $2 }' /proc/modules) bytes"
