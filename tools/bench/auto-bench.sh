#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The auto part of the benchmark, run inside the VM (make bench; 6.1 only):
#   tools/vm/run --mem 1G --disk 2G --add $PWD/tools/bench -- $PWD/tools/bench/auto-bench.sh
#
# memctl's automatic mode side by side with a Senpai-style userspace loop
# and with no control, on workloads with a known cold part, each workload
# under each controller in a fresh cgroup after dropping the caches, one
# after the other in one boot:
#   none    no control: what the workload holds and how long it takes
#   senpai  tools/bench/senpai, the published algorithm: every tick read the
#           cgroup's memory and io PSI "some"; every 6 ticks, if both stayed
#           under 0.1 %, write 1 % of (memory.current - min) to
#           memory.reclaim
#   memctl  memctl policy set CG mode auto min MIN interval TICK (classes
#           slab,file; with anon and "tier on" for anon and grow)
# The clock is scaled by AUTO_BENCH_SCALE (20): Senpai's 1 s tick is 50 ms
# here, and memctl's interval gets the same 1 s -> 50 ms, so that both
# converge within a one-minute run under TCG (at 1 s, Senpai would need
# about 12 minutes to take 90 % of (a)'s cold part).  avg10, the kernel's
# 10 s average, does not scale: Senpai's pressure here is "total=" over its
# last 10 ticks (its avg10 at the scaled clock; see senpai.c).  Both get the
# same min (4M).  Swap is the memctl tier (/dev/memctl0, 512M, lz4) for all
# three: Senpai's memory.reclaim and none swap to the same device memctl
# uses, so they compare on equal terms.
# Workloads (tools/bench/autoload; each runs a hot loop for about a minute
# on a quiet machine, PERIOD 100 ms between passes):
#   anon       200 MiB allocated (text-like pages), 150 MiB never touched
#              again, 50 MiB read in a loop.  Cold part: 150 MiB.
#   pagecache  150 MiB of files (3 x 50 MiB) read once, 50 MiB read in a
#              loop.  Cold part: 150 MiB.
#   slab       a build-like job: stat 60,000 files (dentries and inodes) and
#              100,000 failed lookups of headers (negative dentries), then
#              stat 2,000 of the files in a loop.  Cold part: what the job
#              left under none, less the hot files' share (about 100 MiB).
#   grow       100 MiB cold and 50 MiB hot, anonymous; half way the hot
#              part grows by 100 MiB to 150 MiB.  Cold part: 100 MiB.
# Figures per workload and controller (the hot phase is from the workload's
# "ready", its cold part in place, to its end; samples every 200 ms):
#   steady     MiB of memory.current, the mean over the hot phase's last
#              quarter
#   saved      MiB: none's steady less this one's, and % of the cold part
#   t90        s from "ready" until none's memory.current at the same point
#              of the run less this one's reaches 90 % of the cold part
#              (-: never within the run)
#   refaults   workingset_refault_anon + _file during the hot phase, pages
#              (the cold part is never touched again: all are the hot
#              part's); end: the same in the hot phase's last quarter
#   stall      ms of memory "some" stall of the cgroup (memory.pressure)
#              over the run; io: the same of io.pressure
#   runtime    s of the workload from its start to its end, and / none's
#   ctl_cpu    ms of the controller's CPU.  senpai: the process's user+sys
#              time (memory.reclaim reclaims in its context).  memctl:
#              reclaim_cpu_ns of memctl -j stats
#   est_ws, est_saved
#              memctl's own figures, from memctl -j stats at the end:
#              "auto"'s working_set and saved (MiB)
# A second table: the saved MiB (as above, at the same point of the run) 2,
# 5, 10, 20, 30, 45 and 60 s after "ready": how each converges.
# Then BENCH lines per workload: memctl over senpai for saved, t90 and
# stall, and memctl's runtime over none's, with their targets.  A t90 never
# reached counts as the whole hot phase (the ratio is then a bound); a
# stall under 1 ms counts as 1 ms, and two of them make a ratio of 1.
#
# Environment: AUTO_BENCH_WORKLOADS ("anon pagecache slab grow"),
# AUTO_BENCH_CONTROLLERS ("none senpai memctl"; none always runs first, the
# others' reference), AUTO_BENCH_SCALE (20).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
AL=$here/autoload
SENPAI=$here/senpai
ML=$here/memload
root=/sys/fs/cgroup
base=bench-auto
scratch=/mnt/scratch/bench-auto
out=/tmp/auto-bench
workloads=${AUTO_BENCH_WORKLOADS:-anon pagecache slab grow}
ctls=none
for c in ${AUTO_BENCH_CONTROLLERS:-senpai memctl}; do
	case $c in
	none) ;;
	senpai|memctl) ctls="$ctls $c" ;;
	*) echo "auto-bench: unknown controller '$c' (none, senpai, memctl)" >&2; exit 64 ;;
	esac
done
scale=${AUTO_BENCH_SCALE:-20}
tick=$((1000 / scale))
min=$((4 * 1048576))
period=100
sample_ms=200
nfiles=60000
nneg=100000
hotfiles=2000
senpai_pid=
sampler_pid=
wl_pid=

MiB=1048576

die() {
	echo "auto-bench: $*" >&2
	exit 1
}

cleanup() {
	for p in $senpai_pid $sampler_pid; do
		kill "$p" 2>/dev/null || true
	done
	[ -n "$wl_pid" ] && kill -9 "$wl_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	memctl -j policy show 2>/dev/null | tr '{' '\n' |
		sed -n 's/.*"cgroup":"\(\/'"$base"'[^"]*\)".*/\1/p' |
		while read -r cg; do memctl policy del "$cg" >/dev/null 2>&1 || true; done
	for d in "$root/$base"/*/; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null || true
	done
	rmdir "$root/$base" 2>/dev/null || true
	swapoff /dev/memctl0 2>/dev/null || true
	memctl tier del >/dev/null 2>&1 || true
}
trap cleanup EXIT

[ -x "$AL" ] && [ -x "$SENPAI" ] && [ -x "$ML" ] ||
	die "build tools/bench first (make -C tools/bench)"
[ -d /mnt/scratch ] || die "no scratch disk at /mnt/scratch"
memctl info >/dev/null || die "memctl is not loaded"
[ "$tick" -ge 10 ] || die "AUTO_BENCH_SCALE $scale: a tick under 10 ms"

mkdir -p "$out" "$scratch" "$root/$base"
rm -f "$out"/*
echo +memory >"$root/$base/cgroup.subtree_control"

# The swap of all three: the tier.
memctl tier set size 512M algo lz4 >/dev/null
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0

# Files the workloads read, written outside any test cgroup.
echo "auto-bench: writing the files (outside the test cgroups)" >&2
for f in hot cold1 cold2 cold3; do
	dd if=/dev/urandom of="$scratch/$f" bs=1M count=50 2>/dev/null
done
mkdir -p "$scratch/tree"
$ML files "$scratch/tree" $nfiles
sync

# The workload's command line: cmd WORKLOAD
cmd() {
	case $1 in
	anon) echo "$AL anon 150 50 550 $period" ;;
	pagecache) echo "$AL pagecache $scratch/hot 230 $period $scratch/cold1 $scratch/cold2 $scratch/cold3" ;;
	slab) echo "$AL slab $scratch/tree $nfiles $nneg $hotfiles 460 $period" ;;
	grow) echo "$AL anon 100 50 520 $period 100" ;;
	esac
}

# memctl's arguments beyond mode auto: anon into the tier where it is the
# cold part.
classes() {
	case $1 in
	anon|grow) echo "classes slab,file,anon tier on" ;;
	*) echo "classes slab,file" ;;
	esac
}

# One run: bench WORKLOAD CONTROLLER; leaves $out/WL-CTL.{samples,marks,ctl}
bench() {
	wl=$1
	ctl=$2
	cgname=/$base/$wl-$ctl
	cg=$root$cgname
	r=$out/$wl-$ctl

	sync
	echo 3 >/proc/sys/vm/drop_caches
	mkdir "$cg"
	: >"$r.ctl"
	case $ctl in
	memctl)
		# shellcheck disable=SC2046
		memctl policy set "$cgname" mode auto min "$min" \
			interval "${tick}ms" $(classes "$wl") >/dev/null ||
			die "memctl policy set $cgname mode auto failed"
		;;
	senpai)
		"$SENPAI" "$cg" "$min" "$tick" >"$r.ctl" &
		senpai_pid=$!
		;;
	esac
	: >"$r.marks"
	"$AL" sample "$cg" $sample_ms >"$r.samples" &
	sampler_pid=$!
	AUTOLOAD_HOLD=1 sh -c "echo \$\$ >$cg/cgroup.procs; exec $(cmd "$wl")" >"$r.marks" &
	wl_pid=$!
	# The workload holds its memory after "done" until told to go.
	waited=0
	until grep -q '^done' "$r.marks"; do
		kill -0 "$wl_pid" 2>/dev/null || die "$wl under $ctl: the workload failed"
		[ $waited -lt 6000 ] || die "$wl under $ctl: no end after 600 s"
		sleep 0.1
		waited=$((waited + 1))
	done
	case $ctl in
	memctl)
		memctl -j stats "$cgname" >"$r.stats"
		ns=$(sed -n 's/.*"reclaim_cpu_ns":\([0-9]*\).*/\1/p' "$r.stats")
		ws=$(sed -n 's/.*"auto":{[^}]*"working_set":\([0-9]*\).*/\1/p' "$r.stats")
		sv=$(sed -n 's/.*"auto":{[^}]*"saved":\([0-9]*\).*/\1/p' "$r.stats")
		echo "cpu_us=$((${ns:-0} / 1000)) working_set=${ws:--1} saved=${sv:--1}" >"$r.ctl"
		;;
	senpai)
		kill "$senpai_pid"
		wait "$senpai_pid" || die "$wl: senpai failed"
		senpai_pid=
		;;
	esac
	kill "$sampler_pid"
	wait "$sampler_pid" || true
	sampler_pid=
	kill -9 "$wl_pid"
	wait "$wl_pid" 2>/dev/null || true
	wl_pid=
	[ "$ctl" != memctl ] || memctl policy del "$cgname" >/dev/null
	rmdir "$cg"
}

for wl in $workloads; do
	for ctl in $ctls; do
		echo "auto-bench: $wl under $ctl" >&2
		bench "$wl" "$ctl"
	done
done

# The figures of one run: figures WORKLOAD CONTROLLER COLD_BYTES
# -> steady saved t90_ms refaults refaults_end stall_us io_us runtime_ms
#    hot_ms
figures() {
	awk -v cold="$3" -v none="$out/$1-none" -v me="$out/$1-$2" '
	function marks(f, m,   line, a) {
		while ((getline line <(f ".marks")) > 0) {
			split(line, a, " ")
			m[a[1]] = a[2]
			if (a[1] == "done")
				m["runtime"] = a[4]
		}
		close(f ".marks")
	}
	# the samples of the hot phase: offsets from ready, and the rest
	function samples(f, m, t, cur, ra, rf, ms, io,   line, a, n) {
		n = 0
		while ((getline line <(f ".samples")) > 0) {
			split(line, a, " ")
			if (n == 0) { ms["first"] = a[5]; io["first"] = a[6] }
			ms["last"] = a[5]; io["last"] = a[6]
			if (a[1] < m["ready"] || a[1] > m["done"])
				continue
			n++
			t[n] = a[1] - m["ready"]; cur[n] = a[2]
			ra[n] = a[3]; rf[n] = a[4]
		}
		close(f ".samples")
		return n
	}
	function steady(n, t, cur,   i, s, k, hot) {
		hot = t[n]
		for (i = 1; i <= n; i++)
			if (t[i] >= hot * 3 / 4) { s += cur[i]; k++ }
		return k ? s / k : 0
	}
	BEGIN {
		marks(none, nm); marks(me, mm)
		nn = samples(none, nm, nt, ncur, nra, nrf, nms, nio)
		n = samples(me, mm, t, cur, ra, rf, ms, io)
		if (!n || !nn) { print "no samples" > "/dev/stderr"; exit 1 }
		st = steady(n, t, cur)
		saved = steady(nn, nt, ncur) - st
		t90 = -1
		j = 1
		split("2 5 10 20 30 45 60", at, " ")
		k = 1
		line = ""
		for (i = 1; i <= n; i++) {
			while (j < nn && nt[j + 1] <= t[i])
				j++
			if (t90 < 0 && ncur[j] - cur[i] >= 0.9 * cold)
				t90 = t[i]
			while (k <= 7 && t[i] >= at[k] * 1000) {
				line = line sprintf(" %7.1f", (ncur[j] - cur[i]) / 1048576)
				k++
			}
		}
		for (; k <= 7; k++)
			line = line sprintf(" %7s", "-")
		print line > (me ".profile")
		ref = ra[n] + rf[n] - ra[1] - rf[1]
		for (i = 1; i <= n && t[i] < t[n] * 3 / 4; i++)
			;
		ref_end = ra[n] + rf[n] - ra[i] - rf[i]
		printf "%d %d %d %d %d %d %d %d %d\n", st, saved, t90, ref, ref_end,
		       ms["last"] - ms["first"], io["last"] - io["first"],
		       mm["runtime"], t[n]
	}'
}

# The cold part of each workload, bytes.
cold_of() {
	case $1 in
	anon|pagecache) echo $((150 * MiB)) ;;
	grow) echo $((100 * MiB)) ;;
	slab)
		# what the job left under none (memory.current at ready less the
		# first sample), less the hot files' share
		awk -v r="$(sed -n 's/^ready //p' "$out/slab-none.marks")" \
		    -v nf=$nfiles -v hf=$hotfiles '
			NR == 1 { first = $2 }
			$1 <= r { at = $2 }
			END { printf "%d\n", (at - first) * (1 - hf / nf) }' \
			"$out/slab-none.samples"
		;;
	esac
}

: >"$out/results"
for wl in $workloads; do
	cold=$(cold_of "$wl")
	for ctl in $ctls; do
		f=$(figures "$wl" "$ctl" "$cold") || die "$wl under $ctl: no figures"
		c=$(sed -n 's/.*cpu_us=\([0-9]*\).*/\1/p' "$out/$wl-$ctl.ctl")
		ws=$(sed -n 's/.*working_set=\(-*[0-9]*\).*/\1/p' "$out/$wl-$ctl.ctl")
		sv=$(sed -n 's/.* saved=\(-*[0-9]*\).*/\1/p' "$out/$wl-$ctl.ctl")
		echo "$wl $ctl $cold $f ${c:-0} ${ws:--1} ${sv:--1}" >>"$out/results"
	done
done

# The table.
echo
echo "auto: Senpai's tick and memctl's interval ${tick} ms (1 s scaled by $scale); min 4M; swap: the memctl tier"
printf '%-9s %-6s %6s %8s %7s %6s %6s %8s %6s %8s %7s %8s %6s %7s %8s %8s\n' \
	workload control cold steady saved saved% t90_s refaults end stall_ms io_ms \
	runtime_s /none ctl_ms est_ws est_saved
awk -v MiB=$MiB '
{
	key = $1 " " $3
	if ($2 == "none") nrt[$1] = $11
	# wl ctl cold steady saved t90 ref ref_end stall io runtime hot cpu ws sv
	printf "%-9s %-6s %5dM %7.1fM %6.1fM %5.0f%% %6s %8d %6d %8d %7d %8.1f %6.3f %7s %8s %8s\n",
	       $1, $2, $3 / MiB, $4 / MiB, ($2 == "none" ? 0 : $5 / MiB),
	       ($2 == "none" || $3 <= 0 ? 0 : 100 * $5 / $3),
	       ($2 == "none" ? "-" : ($6 < 0 ? "-" : sprintf("%.1f", $6 / 1000))),
	       $7, $8, $9 / 1000, $10 / 1000, $11 / 1000,
	       (nrt[$1] > 0 ? $11 / nrt[$1] : 1),
	       ($2 == "none" ? "-" : sprintf("%.1f", $13 / 1000)),
	       ($14 < 0 ? "-" : sprintf("%.1fM", $14 / MiB)),
	       ($15 < 0 ? "-" : sprintf("%.1fM", $15 / MiB))
}' "$out/results"
echo
echo "saved (MiB: none's memory.current less this one's) at s after ready"
printf '%-9s %-6s %7s %7s %7s %7s %7s %7s %7s\n' workload control 2 5 10 20 30 45 60
for wl in $workloads; do
	for ctl in $ctls; do
		[ "$ctl" = none ] ||
			printf '%-9s %-6s%s\n' "$wl" "$ctl" "$(cat "$out/$wl-$ctl.profile")"
	done
done
echo
for wl in $workloads; do
	[ ! -s "$out/$wl-senpai.ctl" ] || sed "s/^/$wl: /" "$out/$wl-senpai.ctl"
done

# The BENCH lines and the targets.
echo
awk -v MiB=$MiB '
{
	k = $1 "." $2
	if ($2 == "none")
		order[++n] = $1
	cold[$1] = $3; saved[k] = $5; t90[k] = $6; ref_end[k] = $8; stall[k] = $9
	rt[k] = $11; hot[k] = $12
}
function stall_ratio(a, b) {
	if (a < 1000 && b < 1000)
		return 1
	return (a < 1000 ? 1000 : a) / (b < 1000 ? 1000 : b)
}
function conv(w, c) {
	return t90[w "." c] >= 0 ? t90[w "." c] : hot[w "." c]
}
END {
	for (i = 1; i <= n; i++) {
		w = order[i]
		if (!((w ".memctl") in rt) || !((w ".senpai") in rt))
			continue
		s = saved[w ".senpai"] > MiB ? saved[w ".senpai"] : MiB
		sr[w] = saved[w ".memctl"] / s
		cr[w] = conv(w, "senpai") > 0 ? conv(w, "memctl") / conv(w, "senpai") : 1
		st[w] = stall_ratio(stall[w ".memctl"], stall[w ".senpai"])
		rr[w] = rt[w ".none"] > 0 ? rt[w ".memctl"] / rt[w ".none"] : 1
		printf "BENCH auto.%s.saved_ratio_vs_senpai %.3f ratio\n", w, sr[w]
		printf "BENCH auto.%s.converge_time_ratio_vs_senpai %.3f ratio\n", w, cr[w]
		printf "BENCH auto.%s.stall_ratio_vs_senpai %.3f ratio\n", w, st[w]
		printf "BENCH auto.%s.runtime_vs_none %.3f ratio\n", w, rr[w]
		printf "BENCH auto.%s.memctl.saved %.1f MiB\n", w, saved[w ".memctl"] / MiB
		printf "BENCH auto.%s.memctl.saved_of_cold %.1f percent\n", w,
		       (cold[w] > 0 ? 100 * saved[w ".memctl"] / cold[w] : 0)
		printf "BENCH auto.%s.senpai.saved %.1f MiB\n", w, saved[w ".senpai"] / MiB
	}
	print ""
	print "targets (memctl):"
	for (i = 1; i <= n; i++) {
		w = order[i]
		if (!((w ".memctl") in rt) || !((w ".senpai") in rt))
			continue
		if (w != "grow") {
			p = cold[w] > 0 ? 100 * saved[w ".memctl"] / cold[w] : 0
			printf "  %-9s saved of the cold part %6.1f %%  >= 90 %%   %s\n", w, p,
			       (p >= 90 ? "met" : "MISSED")
		}
		printf "  %-9s saved vs senpai        %6.3f    >= 1.0    %s\n", w, sr[w], (sr[w] >= 1 ? "met" : "MISSED")
		printf "  %-9s converge time vs senpai %5.3f    <= 0.333  %s%s\n", w, cr[w],
		       (cr[w] <= 1 / 3 ? "met" : "MISSED"),
		       (t90[w ".memctl"] < 0 ? " (memctl never reached 90 %)" :
		       t90[w ".senpai"] < 0 ? " (senpai never reached 90 %: a bound)" : "")
		if (w == "grow")
			printf "  %-9s refaults, last quarter %6d    = 0       %s\n", w,
			       ref_end[w ".memctl"], (ref_end[w ".memctl"] == 0 ? "met" : "MISSED")
		printf "  %-9s stall vs senpai        %6.3f    <= 1.0    %s\n", w, st[w], (st[w] <= 1 ? "met" : "MISSED")
		printf "  %-9s runtime vs none        %6.3f    <= 1.05   %s\n", w, rr[w], (rr[w] <= 1.05 ? "met" : "MISSED")
	}
}' "$out/results"
