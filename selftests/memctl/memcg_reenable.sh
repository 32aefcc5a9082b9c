#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that a policy follows its cgroup's memory cgroup when the parent
# takes the memory controller away and gives it back (echo -memory, then
# +memory, to the parent's cgroup.subtree_control): the cgroup then has a
# new memcg, and the policy must reclaim that one.  Before, the policy kept
# the dead memcg: page cache piled up past high untouched, and the dying
# memcg stayed pinned.
set -eu

# The policy reclaims page cache: where the file class has no route (6.1
# in a -nosyms suite), memctl refuses it and says why.
need-file-route || exit $?

parent=/sys/fs/cgroup/memctl-reen
cg=$parent/c
file=/mnt/scratch/memctl-reen

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	memctl policy del /memctl-reen/c 2>/dev/null || true
	rmdir "$cg" "$parent" 2>/dev/null || true
	rm -f "$file"
}
trap cleanup EXIT

mkdir "$parent"
echo +memory > "$parent/cgroup.subtree_control"
mkdir "$cg"
memctl policy set /memctl-reen/c high 24M target 16M classes file interval 100ms

echo -memory > "$parent/cgroup.subtree_control"
echo +memory > "$parent/cgroup.subtree_control"
[ -f "$cg/memory.current" ] || fail "no memory controller on the cgroup again"

# 96 MiB of clean page cache, charged to the new memcg.
sh -c "echo \$\$ > $cg/cgroup.procs
       dd if=/dev/zero of=$file bs=1M count=96 conv=fsync 2>/dev/null
       cat $file > /dev/null"

i=0
while [ "$(cat "$cg/memory.current")" -gt $((28 << 20)) ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
cur=$(cat "$cg/memory.current")
[ "$cur" -le $((28 << 20)) ] || fail "memory.current $cur: the policy did not reclaim the new memcg"
memctl -j stats /memctl-reen/c > /tmp/out
grep -q '"reclaimed":{"slab":[0-9]*,"file":[1-9]' /tmp/out ||
	fail "no file reclaim counted: $(cat /tmp/out)"
echo "memcg re-enabled: ok ($((cur >> 20)) MiB)"
