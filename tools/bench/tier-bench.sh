#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The compressed tier against zram, run inside the VM (make bench):
#   tools/vm/run --add $PWD/tools/bench -- $PWD/tools/bench/tier-bench.sh
#
# The same data set (tierload: 128 MiB, by page 20% zero, 10% one word
# repeated, 40% text, 20% random, 10% machine code), the same compressor,
# one swap device at a time, in one boot: zram0 (zram.ko) and memctl0 (the
# tier), in alternating order, ROUNDS times each; the figures are medians.
# Per device and round, tierload:
#   swap-out   ms of one MADV_PAGEOUT of the whole data set (every page
#              compressed and stored, in the caller's context)
#   swap-in    ms of touching every page once (one swap-in fault each: the
#              synchronous path both devices offer for base pages)
#   p50, p99   us of one such fault
# and, while the data set is all out, the device's own counters (the swap
# header page taken off):
#   ratio      bytes stored / compressed bytes (zram: mm_stat orig/compr;
#              memctl: stored_pages * 4096 / compressed_bytes)
#   pool       pool bytes per stored byte (zram: mem_used_total; memctl:
#              pool_bytes; both are zsmalloc's pages)
# tierload runs in a cgroup two levels down (bench-tier/load), where
# workloads run, so memctl's per-cgroup accounting is part of the cost.
# Every page is checked after it comes back; a bad page fails the run.
# Each device first gets a small unmeasured round (modules, streams).
# After the table, BENCH lines: memctl's figure divided by zram's.
#
# Each ratio also comes with its spread: the half-width of the 95 %
# confidence interval of the median of the per-round ratios (memctl's
# figure over zram's in the same round), from their order statistics
# (distribution-free: one round slowed by the host widens it by one
# rank, not by its size, as it would a mean's), in percent of that median.
# For the first compressor the rounds go on past TIER_BENCH_ROUNDS, up to
# TIER_BENCH_MAX_ROUNDS, until the spread of every time ratio is under
# TIER_BENCH_SPREAD percent; a spread still above it is printed as such.
#
# Environment: TIER_BENCH_MIB (128), TIER_BENCH_ROUNDS (5),
# TIER_BENCH_MAX_ROUNDS (31), TIER_BENCH_SPREAD (5),
# TIER_BENCH_ALGOS ("lz4 zstd lzo-rle": the first one gives the headline BENCH
# lines, the others tier.<algo>.* lines), TIER_BENCH_MIX (mixed; or zero,
# same, text, random, binary alone), TIER_BENCH_VERBOSE=1 (every round),
# TIER_BENCH_META_GIB (4: the device whose slot table is measured).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
TL=$here/tierload
mib=${TIER_BENCH_MIB:-128}
rounds=${TIER_BENCH_ROUNDS:-5}
max_rounds=${TIER_BENCH_MAX_ROUNDS:-31}
want_spread=${TIER_BENCH_SPREAD:-5}
algos=${TIER_BENCH_ALGOS:-lz4 zstd lzo-rle}
mix=${TIER_BENCH_MIX:-mixed}
out=/tmp/tier-bench
cg=/sys/fs/cgroup/bench-tier/load
# Room for the data set and then some: neither device may fill up.
devsize=$((mib * 2))M

die() {
	echo "tier-bench: $*" >&2
	exit 1
}

# dev_stats DEV: "stored_bytes compressed_bytes pool_bytes"
dev_stats() {
	case $1 in
	zram)
		awk '{ print $1, $2, $3 }' /sys/block/zram0/mm_stat
		;;
	memctl)
		memctl -j tier show | awk '{
			n = split($0, kv, /[{},]/)
			for (i = 1; i <= n; i++) {
				split(kv[i], f, ":")
				gsub(/"/, "", f[1])
				v[f[1]] = f[2]
			}
			print v["stored_pages"] * 4096, v["compressed_bytes"], v["pool_bytes"]
		}'
		;;
	esac
}

# Called back by tierload while the data set is out.
if [ "${1:-}" = --stats ]; then
	dev_stats "$2"
	exit 0
fi

# shellcheck source=tools/bench/tierdev.sh
. "$here/tierdev.sh"

cleanup() {
	devs_gone
}
trap cleanup EXIT

[ -x "$TL" ] || die "build tools/bench first (make -C tools/bench)"
memctl info >/dev/null 2>&1 || die "memctl is not loaded"
cleanup
mkdir -p "$out" "${cg%/*}"
echo +memory >"${cg%/*}/cgroup.subtree_control"
mkdir -p "$cg"
rm -f "$out/bench"
modprobe zram num_devices=1 || die "no zram module"

# The compressors this kernel's zram has (Debian's 6.12 and 7.x build no
# lzo backend into zram): the others are left out, and said so.
zram_algos=$(tr -d '[]' </sys/block/zram0/comp_algorithm)
keep=
for algo in $algos; do
	case " $zram_algos " in
	*" $algo "*) keep="$keep $algo" ;;
	*) echo "tier-bench: $algo left out: $(uname -r)'s zram has no $algo ($zram_algos)" ;;
	esac
done
algos=${keep# }
[ -n "$algos" ] || die "zram has none of the compressors asked for"

# run DEV ALGO ROUND: appends one line to $out/DEV.ALGO
run() {
	dev=$1
	algo=$2
	round=$3
	dev_up "$dev" "$algo"
	base=$(dev_stats "$dev")
	line=$(in_cgroup "$TL" "$mib" "$round" "$mix" "$0 --stats $dev >$out/during") ||
		die "$dev $algo round $round: tierload failed: $line"
	during=$(cat "$out/during")
	dev_down "$dev"
	echo "$line $base $during" >>"$out/$dev.$algo"
}

# median FILE FIELD: the median of the field (1-based) over the lines
median() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Fields of a result line: pages N out_ms X swapped_kib K in_ms Y p50_us A
# p99_us B bad 0, then base (3) and during (3) device figures.
F_OUT=4 F_IN=8 F_P50=10 F_P99=12
F_B0=15 F_C0=16 F_P0=17 F_B1=18 F_C1=19 F_P1=20

# spread ALGO FIELD: the spread (see above) of memctl/zram for FIELD, in %
spread() {
	paste -d' ' "$out/memctl.$1" "$out/zram.$1" | awk -v f="$2" '
	{ n2 = NF / 2; if ($(f + n2) > 0) r[++n] = $f / $(f + n2) }
	END {
		if (n < 2) { print 100; exit }
		# sort the ratios (insertion: a few dozen at most)
		for (i = 2; i <= n; i++) {
			v = r[i]
			for (j = i - 1; j >= 1 && r[j] > v; j--) r[j + 1] = r[j]
			r[j + 1] = v
		}
		m = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
		# the widest k with P(Binomial(n, 1/2) < k) <= 2.5 %: the
		# median lies between the k-th and (n + 1 - k)-th ratios with
		# at least 95 % confidence (k = 1 below 6 rounds: the range)
		k = 1; c = 0; p = 1
		for (i = 0; i < n; i++) p /= 2
		for (i = 0; i < n; i++) {
			c += p
			if (c > 0.025) break
			k = i + 1
			p = p * (n - i) / (i + 1)
		}
		if (k > (n + 1) / 2) k = 1
		printf "%.1f\n", (r[n + 1 - k] - r[k]) / 2 / m * 100
	}'
}

# spread_ok ALGO: every time ratio's spread is under TIER_BENCH_SPREAD
spread_ok() {
	for f in $F_OUT $F_IN $F_P50 $F_P99; do
		awk "BEGIN { exit !($(spread "$1" "$f") < $want_spread) }" || return 1
	done
}

# What each device costs before it holds anything: its module (the size
# /proc/modules gives, code and data; zsmalloc and the compressors are the
# kernel's, shared by both) and the RAM a device of META_GIB takes once it
# is made, per slot of a page: the slot table (vmalloc'd by both: the
# change in VmallocUsed; the compressor streams are in it too, a few KiB).
# A stored page costs its slot plus its zsmalloc object, alike for both.
meta_gib=${TIER_BENCH_META_GIB:-4}
vmalloc_kib() {
	sed -n 's/^VmallocUsed: *\([0-9]*\) kB$/\1/p' /proc/meminfo
}
# meta DEV: bytes per slot of a device of META_GIB
meta() {
	before=$(vmalloc_kib)
	case $1 in
	zram)
		echo "${algos%% *}" >/sys/block/zram0/comp_algorithm
		echo "${meta_gib}G" >/sys/block/zram0/disksize
		after=$(vmalloc_kib)
		echo 1 >/sys/block/zram0/reset
		;;
	memctl)
		memctl tier set size "${meta_gib}G" algo "${algos%% *}"
		after=$(vmalloc_kib)
		memctl tier del
		;;
	esac
	awk "BEGIN { printf \"%.1f\", ($after - $before) * 1024 / ($meta_gib * 262144) }"
}
module_bytes() {
	awk -v m="$1" '$1 == m { print $2 }' /proc/modules
}
zram_slot=$(meta zram)
memctl_slot=$(meta memctl)
zram_mod=$(module_bytes zram)
memctl_mod=$(module_bytes memctl)
echo "tier-bench: what a device costs before it holds anything"
printf '%-26s %12s %12s %12s\n' "" zram memctl memctl/zram
printf '%-26s %12s %12s %12s\n' "bytes / slot (${meta_gib} GiB)" "$zram_slot" "$memctl_slot" \
	"$(awk "BEGIN { printf \"%.3f\", $memctl_slot / $zram_slot }")"
printf '%-26s %12s %12s %12s\n' "module bytes" "$zram_mod" "$memctl_mod" \
	"$(awk "BEGIN { printf \"%.3f\", $memctl_mod / $zram_mod }")"
{
	echo "BENCH tier.slot_bytes $memctl_slot bytes"
	echo "BENCH tier.slot_bytes_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", $memctl_slot / $zram_slot }") ratio"
	echo "BENCH tier.module_bytes $memctl_mod bytes"
	echo "BENCH tier.module_bytes_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", $memctl_mod / $zram_mod }") ratio"
} >>"$out/bench"
echo

echo "tier-bench: $mib MiB $mix data set, $rounds rounds, medians; devices one at a time"
first=
for algo in $algos; do
	# A small unmeasured round each: modules, compressor streams, code.
	for dev in zram memctl; do
		dev_up "$dev" "$algo"
		in_cgroup "$TL" 8 0 "$mix" true >/dev/null ||
			die "$dev $algo: warm-up failed"
		dev_down "$dev"
	done
	rm -f "$out/zram.$algo" "$out/memctl.$algo"
	r=1
	while [ "$r" -le "$rounds" ] ||
	      { [ -z "$first" ] && [ "$r" -le "$max_rounds" ] &&
		! spread_ok "$algo"; }; do
		# Alternate which device goes first.
		if [ $((r % 2)) -eq 1 ]; then
			run zram "$algo" "$r"
			run memctl "$algo" "$r"
		else
			run memctl "$algo" "$r"
			run zram "$algo" "$r"
		fi
		r=$((r + 1))
	done

	for dev in zram memctl; do
		f=$out/$dev.$algo
		eval "${dev}_out=\$(median $f $F_OUT)"
		eval "${dev}_in=\$(median $f $F_IN)"
		eval "${dev}_p50=\$(median $f $F_P50)"
		eval "${dev}_p99=\$(median $f $F_P99)"
		# Deterministic: the last round's.
		set -- $(tail -n 1 "$f" | cut -d' ' -f$F_B0-$F_P1)
		# Same-filled pages alone compress to nothing: ratio 0 then.
		eval "${dev}_ratio=\$(awk 'BEGIN { c = $5 - $2; printf \"%.3f\", (c > 0 ? ($4 - $1) / c : 0) }')"
		eval "${dev}_pool=\$(awk 'BEGIN { printf \"%.4f\", ($6 - $3) / ($4 - $1) }')"
	done

	echo
	echo "compressor $algo"
	if [ -n "${TIER_BENCH_VERBOSE:-}" ]; then
		for dev in zram memctl; do
			sed "s/^/  $dev: /" "$out/$dev.$algo"
		done
	fi
	n=$(wc -l <"$out/memctl.$algo")
	out_sp=$(spread "$algo" $F_OUT)
	in_sp=$(spread "$algo" $F_IN)
	p50_sp=$(spread "$algo" $F_P50)
	p99_sp=$(spread "$algo" $F_P99)
	printf '%-26s %12s %12s %12s %9s\n' "$n rounds" zram memctl memctl/zram "spread %"
	row() {
		printf '%-26s %12s %12s %12s %9s\n' "$1" "$2" "$3" \
			"$(awk "BEGIN { printf \"%.3f\", ($2 > 0 ? $3 / $2 : 1) }")" "$4"
	}
	row "swap-out ms" "$zram_out" "$memctl_out" "$out_sp"
	row "swap-in ms" "$zram_in" "$memctl_in" "$in_sp"
	row "swap-in p50 us" "$zram_p50" "$memctl_p50" "$p50_sp"
	row "swap-in p99 us" "$zram_p99" "$memctl_p99" "$p99_sp"
	row "compression ratio" "$zram_ratio" "$memctl_ratio" ""
	row "pool bytes / stored byte" "$zram_pool" "$memctl_pool" ""
	for sp in "$out_sp" "$in_sp" "$p50_sp" "$p99_sp"; do
		awk "BEGIN { exit !($sp >= $want_spread) }" || continue
		echo "tier-bench: $algo: a spread is still ${want_spread} % or more after $n rounds: quote these ratios with it"
		break
	done

	if [ -z "$first" ]; then
		first=$algo
		p=tier
	else
		p=tier.$algo
	fi
	{
		echo "BENCH $p.swapout_time_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", $memctl_out / $zram_out }") ratio"
		echo "BENCH $p.swapin_time_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", $memctl_in / $zram_in }") ratio"
		echo "BENCH $p.swapin_p50_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", $memctl_p50 / $zram_p50 }") ratio"
		echo "BENCH $p.swapin_p99_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", $memctl_p99 / $zram_p99 }") ratio"
		echo "BENCH $p.pool_bytes_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", ($zram_pool > 0 ? $memctl_pool / $zram_pool : 1) }") ratio"
		echo "BENCH $p.compression_ratio_vs_zram $(awk "BEGIN { printf \"%.3f\", ($zram_ratio > 0 ? $memctl_ratio / $zram_ratio : 1) }") ratio"
		echo "BENCH $p.swapout_time_ratio_spread $out_sp %"
		echo "BENCH $p.swapin_time_ratio_spread $in_sp %"
		echo "BENCH $p.swapin_p50_ratio_spread $p50_sp %"
		echo "BENCH $p.swapin_p99_ratio_spread $p99_sp %"
		echo "BENCH $p.rounds $n rounds"
		echo "BENCH $p.swapout_ms $memctl_out ms"
		echo "BENCH $p.swapin_ms $memctl_in ms"
		echo "BENCH $p.swapin_p50_us $memctl_p50 us"
		echo "BENCH $p.swapin_p99_us $memctl_p99 us"
		echo "BENCH $p.compression_ratio $memctl_ratio ratio"
		echo "BENCH $p.pool_bytes_per_stored_byte $memctl_pool ratio"
	} >>"$out/bench"
done
echo
cat "$out/bench"
rm -f "$out/bench"
