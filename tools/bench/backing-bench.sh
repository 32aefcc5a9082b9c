#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The tier with a backing device against zram with its backing_dev, run
# inside the VM (make bench, part "backing"):
#   tools/vm/run --disk 2G --add $PWD/tools/bench -- $PWD/tools/bench/backing-bench.sh
#
# The same data set as tier-bench.sh (tierload, 64 MiB mixed: zero, one
# word repeated, text, random, machine code), the same compressor (lz4),
# each device backed by a loop device over its own file on the scratch
# disk, one device at a time, ROUNDS times each in alternating order:
#   zram    zram0 with backing_dev; once the data set is out, every page
#           is marked idle (echo all > idle), and after AGE seconds the
#           idle pages are written back (echo idle > writeback), timed
#   memctl  memctl0 with backing and backing-age AGE: the idle pass writes
#           the pages back by itself between AGE and 2 AGE; the script
#           waits until it has
# Both wait the same 2 AGE + 1 seconds after the push before anything is
# read.  Per device and round: the RAM the device holds as the push ends
# (before: memctl has sent incompressible pages to the device already,
# zram keeps them until its writeback) and then (zram:
# mm_stat's mem_used_total; memctl: pool_bytes), the bytes written to the
# backing device (zram: bd_stat's bd_writes pages; memctl:
# backing_written_bytes), and tierload's swap-in of every page (ms, p50
# and p99 us of one fault), with every page checked.  Medians; then BENCH
# lines: memctl's figure divided by zram's (tier.backing.*).
#
# Environment: BACKING_BENCH_MIB (64), BACKING_BENCH_ROUNDS (3),
# BACKING_BENCH_AGE (2, seconds).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
TL=$here/tierload
mib=${BACKING_BENCH_MIB:-64}
rounds=${BACKING_BENCH_ROUNDS:-3}
age=${BACKING_BENCH_AGE:-2}
out=/tmp/backing-bench
cg=/sys/fs/cgroup/bench-backing/load
devsize=$((mib * 2))M
zloop=
mloop=

die() {
	echo "backing-bench: $*" >&2
	exit 1
}

# json KEY: the first number under KEY in stdin's JSON
json() {
	# shellcheck disable=SC2020
	tr ',{}' '\n\n\n' | sed -n "s/^\"$1\":\([0-9]*\)\$/\1/p" | head -n 1
}

# dev_stats DEV: "ram_bytes written_bytes ram_before", once the idle
# pages went out; ram_before: the RAM the device held as the push ended
dev_stats() {
	case $1 in
	zram)
		set -- $(cat /sys/block/zram0/mm_stat)
		before=$3
		echo all >/sys/block/zram0/idle
		sleep $((2 * age + 1))
		echo idle >/sys/block/zram0/writeback
		set -- $(cat /sys/block/zram0/mm_stat)
		ram=$3
		set -- $(cat /sys/block/zram0/bd_stat)
		echo "$ram $(($3 * 4096)) $before"
		;;
	memctl)
		before=$(memctl -j tier show | json pool_bytes)
		sleep $((2 * age + 1))
		t=$(memctl -j tier show)
		echo "$(echo "$t" | json pool_bytes) $(echo "$t" | json backing_written_bytes) $before"
		;;
	esac
}

# Called back by tierload while the data set is out.
if [ "${1:-}" = --stats ]; then
	age=$3
	dev_stats "$2"
	exit 0
fi

# shellcheck source=tools/bench/tierdev.sh
. "$here/tierdev.sh"

cleanup() {
	devs_gone
	[ -z "$zloop" ] || losetup -d "$zloop" 2>/dev/null || true
	[ -z "$mloop" ] || losetup -d "$mloop" 2>/dev/null || true
	rm -f /mnt/scratch/zram-backing.img /mnt/scratch/memctl-backing.img
}
trap cleanup EXIT

[ -x "$TL" ] || die "build tools/bench first (make -C tools/bench)"
memctl info >/dev/null 2>&1 || die "memctl is not loaded"
[ -d /mnt/scratch ] || die "no scratch disk"
mkdir -p "$out" "${cg%/*}"
echo +memory >"${cg%/*}/cgroup.subtree_control"
mkdir -p "$cg"
modprobe zram num_devices=1 || die "no zram module"
modprobe loop 2>/dev/null || true
[ -e /sys/block/zram0/backing_dev ] || die "$(uname -r)'s zram has no backing_dev (CONFIG_ZRAM_WRITEBACK)"
grep -qw lz4 /sys/block/zram0/comp_algorithm || die "zram has no lz4"
for d in zram memctl; do
	dd if=/dev/zero of=/mnt/scratch/$d-backing.img bs=1M count=$((mib * 2)) 2>/dev/null
done
# busybox's losetup: -f names the first free device
zloop=$(losetup -f) && losetup "$zloop" /mnt/scratch/zram-backing.img ||
	die "no loop device for zram's backing file"
mloop=$(losetup -f) && losetup "$mloop" /mnt/scratch/memctl-backing.img ||
	die "no loop device for memctl's backing file"

rm -f "$out"/*.lines
r=1
while [ $r -le "$rounds" ]; do
	order="zram memctl"
	[ $((r % 2)) = 1 ] || order="memctl zram"
	for dev in $order; do
		if [ $dev = zram ]; then
			dev_up zram lz4 "$zloop"
		else
			dev_up memctl lz4 "$mloop" backing-age "$age"
		fi
		line=$(in_cgroup "$TL" "$mib" "$r" mixed "$0 --stats $dev $age >$out/during") ||
			die "$dev round $r: tierload failed: $line"
		dev_down $dev
		echo "$line $(cat $out/during)" >>"$out/$dev.lines"
	done
	r=$((r + 1))
done

# median FILE FIELD
median() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pages N out_ms X swapped_kib K in_ms Y p50_us A p99_us B bad 0 RAM
# WRITTEN RAM_BEFORE
F_IN=8 F_P50=10 F_P99=12 F_RAM=15 F_WR=16 F_RAM0=17
printf '%-8s %12s %10s %12s %10s %8s %8s\n' device "before KiB" "ram KiB" "written MiB" \
	"in ms" "p50 us" "p99 us"
for dev in zram memctl; do
	printf '%-8s %12s %10s %12s %10s %8s %8s\n' $dev \
		"$(median "$out/$dev.lines" $F_RAM0 | awk '{ printf "%d", $1 / 1024 }')" \
		"$(median "$out/$dev.lines" $F_RAM | awk '{ printf "%d", $1 / 1024 }')" \
		"$(median "$out/$dev.lines" $F_WR | awk '{ printf "%.1f", $1 / 1048576 }')" \
		"$(median "$out/$dev.lines" $F_IN)" "$(median "$out/$dev.lines" $F_P50)" \
		"$(median "$out/$dev.lines" $F_P99)"
done
echo "($rounds rounds each, $mib MiB mixed, lz4, backing-age ${age}s; medians)"
ratio() {
	# both nothing (every page written back): level
	awk -v a="$(median "$out/memctl.lines" "$1")" -v b="$(median "$out/zram.lines" "$1")" \
		'BEGIN { if (b > 0) printf "%.2f", a / b; else if (a == 0) print "1.00"; else print "inf" }'
}
echo "BENCH tier.backing.ram_before_ratio_vs_zram $(ratio $F_RAM0) x"
echo "BENCH tier.backing.ram_ratio_vs_zram $(ratio $F_RAM) x"
echo "BENCH tier.backing.written_ratio_vs_zram $(ratio $F_WR) x"
echo "BENCH tier.backing.swapin_time_ratio_vs_zram $(ratio $F_IN) x"
echo "BENCH tier.backing.swapin_p99_ratio_vs_zram $(ratio $F_P99) x"
