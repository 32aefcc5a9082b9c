#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves the compressed tier through the CLI, as an operator uses it:
# `memctl tier set` creates /dev/memctl0, `mkswap` + `swapon` take it, and
# tmpfs files written by a process of a cgroup under memory.max go to it and
# come back intact (checksums); `memctl -j tier show` has the documented
# keys with the figures of what is stored; `memctl -j stats` gives the
# cgroup a tier object {stored_pages, compressed_bytes, ...} that accounts
# for the global figures; while swapped on, `memctl tier del` fails with
# exit 1 and one line that names swapoff, and rmmod fails; once the files
# are gone the cgroup's figures are zero again; after swapoff the tier is
# deleted and /dev/memctl0 is gone; rmmod deletes an unused tier.
set -eu

cg=/sys/fs/cgroup/memctl-tier-swap
data=/mnt/scratch/tier-swap
shm=/dev/shm/tier-swap
err=/tmp/tier-swap.err

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	rm -rf "$shm" "$data"
	swapoff /dev/memctl0 2>/dev/null || true
	memctl tier del >/dev/null 2>&1 || true
	rmdir "$cg" 2>/dev/null || true
}
trap cleanup EXIT

# json KEY: the first number under KEY in stdin's JSON
json() {
	tr ',{}' '\n\n\n' | sed -n "s/^\"$1\":\([0-9]*\)\$/\1/p" | head -n 1
}

cleanup
mkdir -p "$cg" "$data" "$shm"

# The data, made outside the cgroup: random, zeroes, text and binary.
head -c $((24 << 20)) /dev/urandom >"$data/random"
head -c $((16 << 20)) /dev/zero >"$data/zero"
# Same-filled pages that are not zero: 6.12 and later keep zero pages in
# the swap layer and never write them to the device.
yes aaaaaaa | head -c $((8 << 20)) >"$data/fill"
i=0
while [ $i -lt 64 ]; do
	cat /proc/kallsyms
	i=$((i + 1))
done | head -c $((32 << 20)) >"$data/text"
for f in /lib/modules/"$(uname -r)"/updates/memctl.ko /bin/busybox; do
	cat "$f" "$f" "$f" "$f"
done >"$data/binary"
(cd "$data" && md5sum random zero fill text binary) >"$data/sums"

memctl tier set size 256M algo lz4
[ -b /dev/memctl0 ] || fail "no /dev/memctl0 after tier set"
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
before=$(memctl -j tier show)

# The cgroup's tmpfs pages go out: it may hold 16M of them.
echo 16M >"$cg/memory.max"
sh -c "echo \$\$ >$cg/cgroup.procs && cp $data/random $data/zero $data/fill $data/text $data/binary $shm/"
(cd "$shm" && md5sum -c "$data/sums" >/dev/null) || fail "files came back wrong"

tier=$(memctl -j tier show)
for k in device path size algo in_use stored_pages compressed_bytes \
	 pool_bytes same_filled_pages huge_pages stores loads failed_stores \
	 failed_loads discards; do
	echo "$tier" | grep -q "\"$k\":" || fail "tier show -j has no $k: $tier"
done
echo "$tier" | grep -q '"device":"memctl0"' || fail "device: $tier"
echo "$tier" | grep -q '"algo":"lz4"' || fail "algo: $tier"
echo "$tier" | grep -q '"in_use":true' || fail "in_use: $tier"
stored=$(echo "$tier" | json stored_pages)
[ "$stored" -gt 4096 ] || fail "only $stored pages in the tier"
[ "$(echo "$tier" | json same_filled_pages)" -gt 0 ] || fail "no same-filled page: $tier"
[ "$(echo "$tier" | json failed_loads)" -eq 0 ] || fail "failed loads: $tier"

# The cgroup owns what it pushed out: all of it but the swap header.
st=$(memctl -j stats /memctl-tier-swap)
echo "$st" | grep -q '"tier":{' || fail "stats -j has no tier object: $st"
cg_stored=$(echo "$st" | sed 's/.*"tier":{//' | json stored_pages)
cg_bytes=$(echo "$st" | sed 's/.*"tier":{//' | json compressed_bytes)
base_stored=$(echo "$before" | json stored_pages)
base_bytes=$(echo "$before" | json compressed_bytes)
tier=$(memctl -j tier show)
[ "$cg_stored" -eq $(($(echo "$tier" | json stored_pages) - base_stored)) ] ||
	fail "cgroup holds $cg_stored pages, the tier $tier over $before"
[ "$cg_bytes" -eq $(($(echo "$tier" | json compressed_bytes) - base_bytes)) ] ||
	fail "cgroup holds $cg_bytes bytes, the tier $tier over $before"

# Swapped on: no deletion, no unload.
if memctl tier del 2>"$err"; then
	fail "tier del succeeded while swapped on"
else
	rc=$?
fi
[ "$rc" -eq 1 ] || fail "tier del: exit $rc, want 1"
[ "$(wc -l <"$err")" -eq 1 ] || fail "tier del: not one line: $(cat "$err")"
grep -q swapoff "$err" || fail "tier del: does not say swapoff: $(cat "$err")"
if rmmod memctl 2>/dev/null; then
	modprobe memctl
	fail "rmmod succeeded while the tier was swapped on"
fi

# The files go, and their slots with them: kernels with a swap slot cache
# hand freed slots back 64 at a time per CPU, so at most that many stay
# until swapoff.
rm -rf "$shm"
cg_stored=$(memctl -j stats /memctl-tier-swap | sed 's/.*"tier":{//' | json stored_pages)
[ "$cg_stored" -le $((64 * $(nproc))) ] ||
	fail "$cg_stored pages still charged after rm"
swapoff /dev/memctl0
st=$(memctl -j stats /memctl-tier-swap | sed 's/.*"tier":{//')
for k in stored_pages compressed_bytes same_filled_pages stores loads; do
	[ "$(echo "$st" | json $k)" -eq 0 ] || fail "$k not back to zero: $st"
done

memctl tier del
[ ! -e /dev/memctl0 ] || fail "/dev/memctl0 still there after tier del"

# Unloading the module deletes a tier that is not in use, data and all.
memctl tier set size 64M algo zstd
mkswap /dev/memctl0 >/dev/null
rmmod memctl || fail "rmmod with an unused tier"
[ ! -e /dev/memctl0 ] || fail "/dev/memctl0 outlived the module"
modprobe memctl
if memctl tier show >/dev/null 2>&1; then
	fail "a tier survived a reload"
fi
echo "tier through the CLI: ok"
