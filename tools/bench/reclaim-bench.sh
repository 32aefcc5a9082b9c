#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The reclaim benchmark, run inside the VM (make bench):
#   tools/vm/run --add $PWD/tools/bench -- $PWD/tools/bench/reclaim-bench.sh
#
# The same workloads, each in a fresh cgroup after dropping the caches, under
# four controllers, one after the other in one boot:
#   none    no control at all: what the workload costs and how big it gets
#   memctl  a memctl policy: high, target, interval, classes slab,file
#   loop    reclaim-loop: every interval, if memory.current > high, write
#           memory.current - target to memory.reclaim (Senpai-style)
#   high    memory.high alone (the kernel throttles and reclaims in the
#           workload's own context)
# Workloads (a "hot" file is a working set: a service reading a 16 MiB
# file every 100 ms, for as long as the rest of the workload runs):
#   dentry     dentry bloat: 150k failed lookups and 5k new files, negative
#              and positive dentries and inodes (high 24M, target 16M)
#   dentry-hot the same next to the hot file (high 32M, target 24M): what
#              each controller takes, slab or the working set
#   pagecache  read a 192 MiB file twice (high 48M, target 32M)
#   mixed      16 MiB of anonymous memory held, the hot file, 60k failed
#              lookups, a 128 MiB file read once (high 64M, target 48M)
# Figures, per workload and controller:
#   to_high    ms from the end of the workload until memory.current <= high
#              (-1: not within 10 s; none is only given 1 s)
#   cpu        ms of CPU spent reclaiming.  memctl: reclaim_cpu_ns, the
#              CPU time of the worker thread across its episodes, measured
#              by the module with the scheduler's clock.  loop: the loop
#              process's user+sys time (the kernel reclaims in its
#              context).  Both count softirq work (RCU callbacks freeing
#              dentries) that ran on their time: the kernel has no IRQ
#              time accounting.  high: not measured (-): the kernel
#              reclaims in the workload's own context, and the workload's
#              system time is too noisy under TCG to tell that part apart.
#   episodes   memctl only: the sum of its episodes' wall durations
#              (reclaim_time_ns, sleeps for RCU grace periods included)
#   kworkers   ms of CPU of all kworker threads during the run minus the
#              same under none: a cross-check of memctl's cpu that also
#              counts unrelated kworkers (writeback), hence noisy
#   overshoot  MiB of memory.peak above high
#   refaults   workingset_refault_anon + workingset_refault_file, pages
#   stall      ms of memory "some" stall of the cgroup (memory.pressure)
#   wl_cpu     ms of CPU of the workload itself (user+sys)
#   freed      MiB the controller took: the cgroup's memory.current at the
#              end under none (which frees nothing) less the same under it
#   cpu_ms/MiB cpu per MiB freed: what each controller pays for the same
#              work (the loop frees more than its target asks, as
#              memory.reclaim's count misses slab freed after RCU)
# Ratios at the end are memctl over loop (and over high, for stall); a stall
# ratio with both stalls below 1 ms reads 1 (the same), with only the
# other's below 1 ms it is computed against 1 ms.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ML=$here/memload
LOOP=$here/reclaim-loop
root=/sys/fs/cgroup
base=bench-reclaim
scratch=/mnt/scratch/bench-reclaim
out=/tmp/reclaim-bench
interval=100
loop_pid=
anon_pid=
hot_pid=

MiB=1048576

die() {
	echo "reclaim-bench: $*" >&2
	exit 1
}

cleanup() {
	[ -n "$loop_pid" ] && kill "$loop_pid" 2>/dev/null || true
	[ -n "$anon_pid" ] && kill -9 "$anon_pid" 2>/dev/null || true
	[ -n "$hot_pid" ] && kill -9 "$hot_pid" 2>/dev/null || true
	memctl -j policy show 2>/dev/null | tr '{' '\n' |
		sed -n 's/.*"cgroup":"\(\/'"$base"'[^"]*\)".*/\1/p' |
		while read -r cg; do memctl policy del "$cg" >/dev/null 2>&1 || true; done
	for d in "$root/$base"/*/*/ "$root/$base"/*/; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null || true
	done
	rmdir "$root/$base" 2>/dev/null || true
}
trap cleanup EXIT

[ -x "$ML" ] && [ -x "$LOOP" ] || die "build tools/bench first (make -C tools/bench)"
[ -d /mnt/scratch ] || die "no scratch disk at /mnt/scratch"
memctl info >/dev/null || die "memctl is not loaded"

mkdir -p "$out" "$scratch" "$root/$base"
echo +memory >"$root/$base/cgroup.subtree_control"

# Files the workloads read, written outside any test cgroup.
dd if=/dev/urandom of="$scratch/read192" bs=1M count=192 2>/dev/null
dd if=/dev/urandom of="$scratch/read128" bs=1M count=128 2>/dev/null
dd if=/dev/urandom of="$scratch/hot16" bs=1M count=16 2>/dev/null
sync

stat_key() {
	sed -n "s/^$2 //p" "$1/memory.stat"
}

some_total() {
	sed -n 's/^some .*total=\([0-9]*\).*/\1/p' "$1/memory.pressure"
}

# Adds the CPU time in $1 ("user_us sys_us") to $out/wl.
add_cpu() {
	read -r u s <"$1"
	read -r wu ws <"$out/wl"
	echo "$((wu + u)) $((ws + s))" >"$out/wl"
}

# Runs a command in cgroup $1 and adds its CPU time to $out/wl.
in_cg() {
	cg=$1
	shift
	sh -c "echo \$\$ > $cg/cgroup.procs; exec $ML -r $out/ru $*" ||
		die "workload '$*' failed"
	add_cpu "$out/ru"
}

hot_start() {
	sh -c "echo \$\$ > $1/cgroup.procs; exec $ML -r $out/ru_hot stream $scratch/hot16 3600 100" &
	hot_pid=$!
}

hot_stop() {
	kill -TERM "$hot_pid"
	wait "$hot_pid" || die "the hot reader failed"
	hot_pid=
	add_cpu "$out/ru_hot"
}

# The workloads: run_<name> CGROUP_DIR WORK_DIR.
run_dentry() {
	in_cg "$1" negdentries "$2" 150000
	in_cg "$1" files "$2" 5000
}

run_dentry_hot() {
	hot_start "$1"
	in_cg "$1" negdentries "$2" 150000
	in_cg "$1" files "$2" 5000
	hot_stop
}

run_pagecache() {
	in_cg "$1" read "$scratch/read192" 2
}

run_mixed() {
	sh -c "echo \$\$ > $1/cgroup.procs; exec $ML anon 16" >"$out/anon" &
	anon_pid=$!
	while ! grep -q ready "$out/anon" 2>/dev/null; do sleep 0.1; done
	hot_start "$1"
	in_cg "$1" negdentries "$2" 60000
	in_cg "$1" read "$scratch/read128" 1
	hot_stop
}

# High and target of each workload, bytes.
marks() {
	case $1 in
	dentry) echo $((24 * MiB)) $((16 * MiB)) ;;
	dentry-hot) echo $((32 * MiB)) $((24 * MiB)) ;;
	pagecache) echo $((48 * MiB)) $((32 * MiB)) ;;
	mixed) echo $((64 * MiB)) $((48 * MiB)) ;;
	esac
}

# One run: bench WORKLOAD CONTROLLER; appends a line to $out/results.
bench() {
	wl=$1
	mode=$2
	set -- $(marks "$wl")
	high=$1
	target=$2
	cgname=/$base/$wl-$mode
	cg=$root$cgname
	work=$scratch/$wl-$mode

	sync
	echo 3 >/proc/sys/vm/drop_caches
	mkdir -p "$cg" "$work"
	echo "0 0" >"$out/wl"
	psi0=$(some_total "$cg")
	kw0=$($ML kworker-ns)

	case $mode in
	memctl)
		memctl policy set "$cgname" high "$high" target "$target" \
			interval "${interval}ms" classes slab,file >/dev/null
		;;
	loop)
		"$LOOP" "$cg" "$high" "$target" "$interval" >"$out/loop" &
		loop_pid=$!
		;;
	high)
		echo "$high" >"$cg/memory.high"
		;;
	esac

	"run_$(echo "$wl" | tr - _)" "$cg" "$work"
	if [ "$mode" = none ]; then
		to_high=$($ML wait-under "$cg" "$high" 1000)
	else
		to_high=$($ML wait-under "$cg" "$high" 10000)
	fi
	# Let a last episode or write finish and be accounted.
	sleep 0.5
	final=$(cat "$cg/memory.current")

	cpu_us=0
	ep_us=0
	case $mode in
	memctl)
		memctl -j stats "$cgname" >"$out/stats"
		ns=$(sed -n 's/.*"reclaim_cpu_ns":\([0-9]*\).*/\1/p' "$out/stats")
		cpu_us=$((ns / 1000))
		ns=$(sed -n 's/.*"reclaim_time_ns":\([0-9]*\).*/\1/p' "$out/stats")
		ep_us=$((ns / 1000))
		memctl policy del "$cgname" >/dev/null
		for k in episodes steps shortfalls pressure_stops; do
			printf '%s=%s ' $k "$(sed -n "s/.*\"$k\":\([0-9]*\).*/\1/p" "$out/stats")"
		done | sed "s/^/$wl: memctl /;s/ $//" >>"$out/loops"
		echo >>"$out/loops"
		;;
	loop)
		kill "$loop_pid"
		wait "$loop_pid" || true
		loop_pid=
		cpu_us=$(sed -n 's/.*cpu_us=\([0-9]*\).*/\1/p' "$out/loop")
		;;
	high)
		echo max >"$cg/memory.high"
		;;
	esac
	kw1=$($ML kworker-ns)
	psi1=$(some_total "$cg")
	peak=$(cat "$cg/memory.peak")
	refaults=$(($(stat_key "$cg" workingset_refault_anon) +
		    $(stat_key "$cg" workingset_refault_file)))
	read -r wu ws <"$out/wl"
	if [ -n "$anon_pid" ]; then
		kill -9 "$anon_pid"
		wait "$anon_pid" 2>/dev/null || true
		anon_pid=
	fi
	over=$((peak > high ? peak - high : 0))
	echo "$wl $mode $to_high $cpu_us $(((kw1 - kw0) / 1000)) $over $refaults $((psi1 - psi0)) $((wu + ws)) $ep_us $final" \
		>>"$out/results"
	[ "$mode" != loop ] || sed "s/^/$wl: /" "$out/loop" >>"$out/loops"
	rm -rf "$work"
	rmdir "$cg"
}

# The cost of idle checks: N policies under their high, checked every
# INTERVAL ms, against the same time with none.
idle_cost() {
	n=$1
	every=$2
	secs=5
	kw0=$($ML kworker-ns)
	sleep $secs
	kw1=$($ML kworker-ns)
	mkdir -p "$root/$base/idle"
	echo +memory >"$root/$base/idle/cgroup.subtree_control"
	t0=$($ML now)
	i=0
	while [ $i -lt "$n" ]; do
		mkdir "$root/$base/idle/c$i"
		memctl policy set "/$base/idle/c$i" high 1G target 512M \
			interval "${every}ms" >/dev/null
		i=$((i + 1))
	done
	t1=$($ML now)
	kw2=$($ML kworker-ns)
	sleep $secs
	kw3=$($ML kworker-ns)
	i=0
	while [ $i -lt "$n" ]; do
		memctl policy del "/$base/idle/c$i" >/dev/null
		rmdir "$root/$base/idle/c$i"
		i=$((i + 1))
	done
	rmdir "$root/$base/idle"
	checks=$((n * secs * 1000 / every))
	extra_ns=$(((kw3 - kw2) - (kw1 - kw0)))
	[ $extra_ns -gt 0 ] || extra_ns=0
	echo "idle $n $((t1 - t0)) $checks $extra_ns $secs $every" >"$out/idle"
}

: >"$out/results"
: >"$out/loops"
for wl in dentry dentry-hot pagecache mixed; do
	for mode in none memctl loop high; do
		echo "reclaim-bench: $wl under $mode" >&2
		bench "$wl" "$mode"
	done
done
echo "reclaim-bench: idle checks of 250 policies every 10 ms" >&2
idle_cost 250 10

# The table.
printf '\n%-10s %-7s %9s %9s %9s %9s %10s %9s %9s %9s %9s %9s\n' workload control \
	to_high_ms cpu_ms episodes kworkers overshoot refaults stall_ms wl_cpu_ms \
	freed cpu_ms/MiB
: >"$out/final"
while read -r wl mode to_high cpu_us kw_us over refaults stall_us wl_us ep_us final; do
	none() {
		awk -v w="$wl" -v f="$1" '$1 == w && $2 == "none" { print $f }' "$out/results"
	}
	kw_us=$((kw_us - $(none 5)))
	[ $kw_us -gt 0 ] || kw_us=0
	cpu_ms=$((cpu_us / 1000))
	kw_ms=$((kw_us / 1000))
	[ "$mode" != high ] || cpu_ms=-
	[ "$mode" = memctl ] || kw_ms=-
	# what the controller freed: what the workload left without one
	freed=$(($(none 11) - final))
	[ $freed -gt 0 ] || freed=0
	per_mib=-
	if [ "$mode" != high ] && [ $freed -ge $MiB ]; then
		per_mib=$(awk -v c="$cpu_us" -v f="$freed" 'BEGIN { printf "%.1f", c / 1000 / (f / 1048576) }')
	fi
	echo "$wl $mode $to_high $cpu_us $ep_us $over $refaults $stall_us $wl_us $kw_us $freed" >>"$out/final"
	printf '%-10s %-7s %9s %9s %9d %9s %8dMi %9d %9d %9d %7dMi %9s\n' "$wl" "$mode" "$to_high" \
		"$cpu_ms" $((ep_us / 1000)) "$kw_ms" $((over / MiB)) "$refaults" \
		$((stall_us / 1000)) $((wl_us / 1000)) $((freed / MiB)) "$per_mib"
done <"$out/results"
echo
cat "$out/loops"

read -r _ n create_ms checks extra_ns secs every <"$out/idle"
echo
echo "idle: $n policies every $every ms ($checks checks in ${secs}s) cost $((extra_ns / 1000000)) ms of kworker CPU; creating them took $create_ms ms"

echo
awk '
{
	key = $1 "." $2
	to_high[key] = $3; cpu[key] = $4; kw[key] = $5; over[key] = $6
	ref[key] = $7; stall[key] = $8; freed[key] = $11; wl[$1] = 1
	printf "BENCH reclaim.%s.%s.time_to_high %d ms\n", $1, $2, $3
	if ($2 != "none")
		printf "BENCH reclaim.%s.%s.freed %.1f MiB\n", $1, $2, $11 / 1048576
	if ($2 != "high")
		printf "BENCH reclaim.%s.%s.cpu %.1f ms\n", $1, $2, $4 / 1000
	if ($2 == "memctl") {
		printf "BENCH reclaim.%s.memctl.episodes %.1f ms\n", $1, $5 / 1000
		printf "BENCH reclaim.%s.memctl.kworkers %.1f ms\n", $1, $10 / 1000
	}
	printf "BENCH reclaim.%s.%s.overshoot %.1f MiB\n", $1, $2, $6 / 1048576
	printf "BENCH reclaim.%s.%s.refaults %d pages\n", $1, $2, $7
	printf "BENCH reclaim.%s.%s.stall %.1f ms\n", $1, $2, $8 / 1000
}
function ratio(a, b) {
	return a / (b > 1000 ? b : 1000)
}
function stall_ratio(a, b) {
	if (a < 1000 && b < 1000)
		return 1
	return a / (b < 1000 ? 1000 : b)
}
END {
	for (w in wl) {
		printf "BENCH reclaim.%s.cpu_ratio_vs_loop %.3f ratio\n", w,
		       ratio(cpu[w ".memctl"], cpu[w ".loop"])
		# the same per byte freed: what each costs for the same work
		if (freed[w ".memctl"] > 0 && freed[w ".loop"] > 0)
			printf "BENCH reclaim.%s.cpu_per_freed_ratio_vs_loop %.3f ratio\n", w,
			       ratio(cpu[w ".memctl"], cpu[w ".loop"]) *
			       freed[w ".loop"] / freed[w ".memctl"]
		printf "BENCH reclaim.%s.stall_ratio_vs_loop %.3f ratio\n", w,
		       stall_ratio(stall[w ".memctl"], stall[w ".loop"])
		printf "BENCH reclaim.%s.stall_ratio_vs_high %.3f ratio\n", w,
		       stall_ratio(stall[w ".memctl"], stall[w ".high"])
	}
}' "$out/final"
awk -v c="$checks" -v ns="$extra_ns" 'BEGIN {
	printf "BENCH reclaim.idle.check_cost %.2f us\n", ns / 1000 / c
	# 1000 policies at the default interval of 1 s: 1000 checks a second.
	printf "BENCH reclaim.idle.cpu_1000_policies_1s %.3f percent\n", ns / 1000 / c * 1000 / 1e6 * 100
}'
