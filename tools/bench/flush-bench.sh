#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The flush benchmark (issue 14, "Unprivileged flush storms"), run inside
# the VM (make bench):
#   tools/vm/run --mem 2G --add $PWD/tools/bench -- $PWD/tools/bench/flush-bench.sh
#
# N (1000) cgroups, each with a memctl policy far above its usage; CHURN
# (300) of them each run a process that allocates, touches and frees
# CHURN_KB (64) KiB every CHURN_MS (100) ms, so that the memory statistics
# of hundreds of cgroups change all the time.  Root reads memory.stat of
# every STEP-th (5th) cgroup over and over for SECS (160) seconds, each
# read timed (open, read, close), in slices of SLICE_MS (500) ms that go
# round four phases (ctlbench phases):
#
#   alone        nothing else
#   unpriv-dump  beside LOOPS (2: one per CPU of the VM) processes of uid
#                65534 looping STATS_GET dumps of the N policies on a bare
#                socket (ctlbench nlloop dump)
#   unpriv-info  beside as many looping GET_INFO the same way, which
#                flushes nothing: the same competition for the CPU, no
#                flush
#   root-dump    beside as many of root's looping the same dumps: root's
#                STATS_GET
#                flushes every cgroup at the start of each dump part, as
#                every caller's did before the fix (what main's module does
#                in unpriv-dump)
#
# Each loop runs only in its phase's slices (SIGCONT, SIGSTOP): slices this
# short put the host's load drift (TCG, shared cores) on every phase
# alike.  Per phase: root's mean read, the mean of its fastest 99 % (the
# slowest are where the host took the CPU from the VM), median, 90th and
# 99th percentile read, the
# loop's requests per second, and the flushes per second counted by
# kprobes on the kernel's rstat flushes (the synchronous one memctl calls,
# cgroup_rstat_flush or css_rstat_flush, and 6.1's
# cgroup_rstat_flush_irqsafe, which memory.stat and the kernel's periodic
# flush use), where tracefs has kprobe events.  The issue's target: the
# unprivileged dumps raise root's mean read latency by no more than 10 %
# beyond what the GET_INFO loop does.  Ratios are of the phases' means
# (and of the fastest 99 %) over the whole run, and the median over the
# cycles of each cycle's ratio (its slices are adjacent in time).
# The table comes first, then BENCH lines.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CB=$here/ctlbench
N=${N:-1000}
CHURN=${CHURN:-300}
CHURN_KB=${CHURN_KB:-64}
CHURN_MS=${CHURN_MS:-100}
STEP=${STEP:-5}
SECS=${SECS:-160}
SLICE_MS=${SLICE_MS:-500}
LOOPS=${LOOPS:-2}
UNPRIV="setpriv --reuid=65534 --regid=65534 --clear-groups"
T=/sys/kernel/tracing
dir=/sys/fs/cgroup/bench-flush
out=$(mktemp -d /tmp/flush-bench.XXXXXX)
churner=
loops=
probes=

die() {
	echo "flush-bench: $*" >&2
	exit 1
}

cleanup() {
	for p in $loops; do
		{ kill -CONT "$p"; kill "$p"; wait "$p"; } 2>/dev/null || true
	done
	[ -z "$churner" ] || { kill "$churner"; wait "$churner"; } 2>/dev/null || true
	[ -z "$probes" ] || echo 0 >$T/events/memctl_bench/enable || true
	for p in $probes; do
		echo "-:memctl_bench/$p" >>$T/kprobe_events 2>/dev/null || true
	done
	"$CB" teardown "$dir" "$N" 2>/dev/null || true
	rm -rf "$out"
}
trap cleanup EXIT

[ -x "$CB" ] || die "build tools/bench first (make -C tools/bench)"
command -v memctl >/dev/null || die "memctl is not on PATH"
command -v setpriv >/dev/null || die "setpriv is not on PATH"
memctl info >/dev/null || die "memctl is not loaded"
[ "$(memctl -j info | sed 's/.*"max_policies":\([0-9]*\).*/\1/')" -ge "$N" ] ||
	die "max_policies is below $N"
[ "$CHURN" -le "$N" ] || die "CHURN ($CHURN) is above N ($N)"
route=$(memctl info | sed -n 's/^route stats  *//p')

# flushes, counted by kprobes where tracefs has them
[ -e $T/kprobe_events ] || mount -t tracefs tracefs $T 2>/dev/null || true
if [ -w $T/kprobe_events ]; then
	for f in css_rstat_flush cgroup_rstat_flush cgroup_rstat_flush_irqsafe; do
		awk -v f=$f '$3 == f { x = 1 } END { exit !x }' /proc/kallsyms || continue
		echo "p:memctl_bench/$f $f" >>$T/kprobe_events && probes="$probes $f"
	done
	# a probe counts its hits once its event is on; record none of them
	if [ -n "$probes" ]; then
		echo 'common_pid < 0' >$T/events/memctl_bench/filter
		echo 1 >$T/events/memctl_bench/enable
	fi
fi
echo "flush-bench: $N cgroups with a policy, $CHURN churning (${CHURN_KB} KiB every ${CHURN_MS} ms), $LOOPS processes per loop, reads of every ${STEP}th memory.stat for ${SECS} s in ${SLICE_MS} ms slices; statistics route: $route; flushes counted:${probes:- none}"
"$CB" cgroups "$dir" "$N"
"$CB" policies "$dir" "$N" >/dev/null
"$CB" churn "$dir" "$CHURN" "$CHURN_KB" "$CHURN_MS" >"$out/churn" &
churner=$!
# start PHASE COMMAND...: LOOPS processes running COMMAND; their pids
# (comma-separated) in $pids
start() {
	ph=$1
	shift
	pids=
	i=0
	while [ $i -lt "$LOOPS" ]; do
		"$@" >"$out/loop.$ph.$i" &
		pids="$pids${pids:+,}$!"
		loops="$loops $!"
		i=$((i + 1))
	done
}
start unpriv-dump $UNPRIV "$CB" nlloop dump
ud=$pids
start unpriv-info $UNPRIV "$CB" nlloop info
ui=$pids
start root-dump "$CB" nlloop dump
rd=$pids
sleep 3
profile=-
[ -z "$probes" ] || profile=$T/kprobe_profile
"$CB" phases "$dir" "$N" "$STEP" "$SECS" "$SLICE_MS" "$profile" \
	alone:0 unpriv-dump:$ud unpriv-info:$ui root-dump:$rd >"$out/phases"
for p in $loops; do
	kill "$p"
	wait "$p" || die "a loop failed"
done
loops=
for f in "$out"/loop.*; do
	ph=${f#"$out"/loop.}
	echo "loop ${ph%.*} $(cat "$f")" >>"$out/phases"
done
kill "$churner"
wait "$churner" || die "the churners failed"
churner=
churn=$(awk '{ print $2 }' "$out/churn")

awk -v n="$N" -v step="$STEP" -v churn="$churn" -v secs="$SECS" \
    -v slice="$SLICE_MS" -v churners="$CHURN" -v loops="$LOOPS" '
function median(list,   a, k, i, j, t) {
	k = split(list, a, " ")
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
# slice PHASE CYCLE READS READ_NS SYNC IRQ NS TRIMMED_MEAN
$1 == "slice" {
	ns[$2] += $8; sync[$2] += $6; irq[$2] += $7
	cm[$2 "," $3] = $4 ? $5 / $4 : 0
	ct[$2 "," $3] = $9
	if ($3 + 1 > cycles) cycles = $3 + 1
}
# phase NAME MEAN MEDIAN P99 MAX READS P90 TRIMMED_MEAN
$1 == "phase" {
	mean[$2] = $3; med[$2] = $4; p99[$2] = $5; reads[$2] = $7
	p90[$2] = $8; tm[$2] = $9
}
# loop PHASE nlloop REQUESTS MESSAGES NS
$1 == "loop" { req[$2] += $4 }
# the median over the cycles of each cycle s ratio a / b of x (cm or ct)
function cyc(x, a, b,   c, l) {
	l = ""
	for (c = 0; c < cycles; c++)
		if (x == "cm" && cm[a "," c] && cm[b "," c])
			l = l " " cm[a "," c] / cm[b "," c]
		else if (x == "ct" && ct[a "," c] && ct[b "," c])
			l = l " " ct[a "," c] / ct[b "," c]
	return median(l)
}
function row(what, a, b) {
	printf "%-44s %8.3f %8.3f %8.3f %8.3f\n", what, mean[a] / mean[b],
		cyc("cm", a, b), tm[a] / tm[b], cyc("ct", a, b)
}
END {
	printf "\n%-44s %7s %7s %7s %7s %7s %7s %8s %7s %7s\n", "root reads memory.stat (us; " cycles " cycles)", "mean", "mean99", "median", "p90", "p99", "reads", "loop r/s", "sync/s", "irq/s"
	split("alone unpriv-dump unpriv-info root-dump", ph, " ")
	label["alone"] = "alone"
	label["unpriv-dump"] = "beside " loops " uid 65534 looping STATS_GET dumps"
	label["unpriv-info"] = "beside " loops " uid 65534 looping GET_INFO"
	label["root-dump"] = "beside " loops " root looping STATS_GET dumps"
	for (i = 1; i <= 4; i++) {
		p = ph[i]
		s = ns[p] / 1e9
		printf "%-44s %7.1f %7.1f %7.1f %7.1f %7.1f %7d %8s %7.1f %7.1f\n",
			label[p], mean[p] / 1e3, tm[p] / 1e3, med[p] / 1e3,
			p90[p] / 1e3, p99[p] / 1e3, reads[p],
			p == "alone" ? "-" : sprintf("%.1f", req[p] / s),
			sync[p] / s, irq[p] / s
	}
	printf "(mean99: the mean of the fastest 99 %% of reads; sync/s, irq/s: rstat flushes per second)\n"
	printf "\n%-44s %8s %8s %8s %8s\n", "ratios", "mean", "cycles", "mean99", "cycles"
	row("unpriv-dump / unpriv-info (target <= 1.10)", "unpriv-dump", "unpriv-info")
	row("root-dump / unpriv-info", "root-dump", "unpriv-info")
	row("unpriv-info / alone", "unpriv-info", "alone")
	printf "%-44s %8d\n", "churn cycles (" churners " processes)", churn
	printf "\n"
	printf "BENCH flush.memstat_read_alone %.1f us\n", mean["alone"] / 1e3
	printf "BENCH flush.memstat_read_beside_unpriv_stats_dump %.1f us\n", mean["unpriv-dump"] / 1e3
	printf "BENCH flush.memstat_read_beside_unpriv_get_info %.1f us\n", mean["unpriv-info"] / 1e3
	printf "BENCH flush.memstat_read_beside_root_stats_dump %.1f us\n", mean["root-dump"] / 1e3
	printf "BENCH flush.unpriv_stats_dump_vs_get_info_ratio %.3f ratio\n", mean["unpriv-dump"] / mean["unpriv-info"]
	printf "BENCH flush.unpriv_stats_dump_vs_get_info_cycle_median %.3f ratio\n", cyc("cm", "unpriv-dump", "unpriv-info")
	printf "BENCH flush.unpriv_stats_dump_vs_get_info_mean99_ratio %.3f ratio\n", tm["unpriv-dump"] / tm["unpriv-info"]
	printf "BENCH flush.root_stats_dump_vs_get_info_ratio %.3f ratio\n", mean["root-dump"] / mean["unpriv-info"]
	printf "BENCH flush.root_stats_dump_vs_get_info_mean99_ratio %.3f ratio\n", tm["root-dump"] / tm["unpriv-info"]
	printf "BENCH flush.unpriv_stats_dump_sync_flushes %.1f per_s\n", sync["unpriv-dump"] / (ns["unpriv-dump"] / 1e9)
	printf "BENCH flush.root_stats_dump_sync_flushes %.1f per_s\n", sync["root-dump"] / (ns["root-dump"] / 1e9)
}' "$out/phases"
