#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that the file class never swaps anonymous memory, with the
# multi-generational LRU (MGLRU, /sys/kernel/mm/lru_gen/enabled) on and
# off, on whatever route this kernel has for the class.  A cgroup holds
# ~96 MiB of anonymous memory and ~96 MiB of clean page cache, swap is
# there (the compressed tier), and a one-shot reclaim of the file class asks
# for far more than the page cache: the page cache must go, and the
# cgroup's memory.swap.current and anon must not move.  Then the control:
# the same setup does swap when the anon class is asked, so that the test
# could see swapping if the file class did it.  With MGLRU, 6.1's
# get_swappiness() does not look at the reclaim's may_swap (its caller on
# this path does; Documentation/design.rst, "Kernel interfaces"); a file
# class built with MEMCG_RECLAIM_MAY_SWAP fails here.
set -eu

need-file-route || exit $?

cg=/sys/fs/cgroup/memctl-noswap
dir=/mnt/scratch/memctl-noswap
lru_gen=/sys/kernel/mm/lru_gen/enabled
hold_pid=
lru_gen0=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

stop_hold() {
	if [ -n "$hold_pid" ]; then
		kill "$hold_pid" 2>/dev/null || true
		wait "$hold_pid" 2>/dev/null || true
		hold_pid=
	fi
}

cleanup() {
	stop_hold
	rmdir "$cg" 2>/dev/null || true
	rm -rf "$dir"
	swapoff /dev/memctl0 2>/dev/null || true
	memctl tier del >/dev/null 2>&1 || true
	[ -n "$lru_gen0" ] && echo "$lru_gen0" >"$lru_gen" 2>/dev/null || true
}
trap cleanup EXIT

stat_bytes() {
	sed -n "s/^$1 //p" "$cg/memory.stat"
}

# MGLRU's switch reads as a mask ("0x0007"); it takes y and n.  Both where
# the kernel has it.
modes=default
if [ -w "$lru_gen" ]; then
	lru_gen0=$(cat "$lru_gen")
	modes="y n"
fi

memctl tier set size 256M algo lz4
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
mkdir -p "$dir"

for mode in $modes; do
	[ "$mode" = default ] || echo "$mode" >"$lru_gen"
	[ -w "$lru_gen" ] && echo "# lru_gen enabled: $(cat "$lru_gen")"
	mkdir "$cg"

	# The anonymous memory, held; then the page cache, clean.
	sh -c "echo \$\$ > $cg/cgroup.procs; exec anon_hold 96" >/tmp/noswap.hold &
	hold_pid=$!
	i=0
	while ! grep -qs ready /tmp/noswap.hold; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "anon_hold not ready in 30 s"
		sleep 0.1
	done
	sh -c "echo \$\$ > $cg/cgroup.procs
	       dd if=/dev/zero of=$dir/cache bs=1M count=96 conv=fsync 2>/dev/null
	       cat $dir/cache >/dev/null"

	swap0=$(cat "$cg/memory.swap.current")
	anon0=$(stat_bytes anon)
	file0=$(stat_bytes file)
	[ "$anon0" -gt $((80 << 20)) ] || fail "anon $anon0: the holder's memory is not charged"
	[ "$file0" -gt $((80 << 20)) ] || fail "file $file0: the page cache is not charged"

	memctl -j reclaim /memctl-noswap 512M classes file >/tmp/noswap.out ||
		fail "reclaim: $(cat /tmp/noswap.out)"
	swap1=$(cat "$cg/memory.swap.current")
	anon1=$(stat_bytes anon)
	file1=$(stat_bytes file)
	echo "file class: file $((file0 >> 20)) -> $((file1 >> 20)) MiB," \
		"anon $((anon0 >> 20)) -> $((anon1 >> 20)) MiB," \
		"swap $((swap0 >> 10)) -> $((swap1 >> 10)) KiB"
	[ "$swap1" = "$swap0" ] ||
		fail "the file class swapped: memory.swap.current $swap0 -> $swap1: $(cat /tmp/noswap.out)"
	[ "$anon1" -ge $((anon0 - (1 << 20))) ] ||
		fail "the file class took anonymous memory: anon $anon0 -> $anon1"
	[ "$file1" -lt $((file0 / 4)) ] ||
		fail "the page cache stayed: file $file0 -> $file1: $(cat /tmp/noswap.out)"

	# The control: the anon class does swap here.
	memctl -j reclaim /memctl-noswap 16M classes anon >/tmp/noswap.out ||
		fail "anon reclaim: $(cat /tmp/noswap.out)"
	swap2=$(cat "$cg/memory.swap.current")
	echo "anon class: swap $((swap1 >> 10)) -> $((swap2 >> 10)) KiB"
	[ "$swap2" -gt "$swap1" ] || fail "the control did not swap: $(cat /tmp/noswap.out)"

	stop_hold
	rm -f "$dir/cache"
	rmdir "$cg"
done
echo "file class without swap: ok"
