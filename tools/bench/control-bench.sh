#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The control-plane benchmark, run inside the VM (make bench):
#   tools/vm/run --mem 2G --add $PWD/tools/bench -- $PWD/tools/bench/control-bench.sh
#
# 1,000 cgroups, each with a memctl policy far above its usage (idle):
#
#   read      the statistics of all of them, in one process, rounds
#             alternating between the two ways (ctlbench read):
#               netlink  one STATS_GET dump through libmemctl
#                        (memctl_cgroup_stats_foreach)
#               files    what agents do today: open, read and parse every
#                        key of each memory.stat, and memory.current
#             The speedup is the median over the rounds of each round's
#             files / netlink (the host's load drifts; a round's two reads
#             are back to back).  Also against the files read from
#             descriptors kept open (pread at 0: no path lookup, the best
#             case for the files), and for reference the same dump on a
#             bare socket with nothing parsed: the kernel's share.
#   process   the same as a whole program, exec included: `memctl -j stats`
#             (dump + JSON of every counter) against `statfiles` (the
#             files read once, nothing printed; linked with the C library
#             only, as an agent without memctl would be)
#   idle cpu  CPU seconds per second over IDLE seconds with the 1,000
#             policies (default interval 1 s), minus the same with the
#             1,000 cgroups and no policy: of all kworker threads
#             (schedstat; memctl's checks run on its unbound workqueue) and
#             of the whole system (/proc/stat); then the same with the
#             1,000 policies replaced by policies in mode auto (no marks,
#             quiet cgroups: issue 16's cost target)
#
# Medians of ROUNDS rounds; for the in-process reads also the mean user and
# system CPU time of a round (getrusage, tick-granular in the VM).  Environment: N (1000), ROUNDS (21), IDLE (30).
# The table comes first, then BENCH lines.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CB=$here/ctlbench
N=${N:-1000}
ROUNDS=${ROUNDS:-21}
IDLE=${IDLE:-30}
dir=/sys/fs/cgroup/bench-control
out=$(mktemp -d /tmp/control-bench.XXXXXX)

die() {
	echo "control-bench: $*" >&2
	exit 1
}

cleanup() {
	"$CB" teardown "$dir" "$N" 2>/dev/null || true
	rm -rf "$out"
}
trap cleanup EXIT

[ -x "$CB" ] || die "build tools/bench first (make -C tools/bench)"
command -v memctl >/dev/null || die "memctl is not on PATH"
memctl info >/dev/null || die "memctl is not loaded"
[ "$(memctl -j info | sed 's/.*"max_policies":\([0-9]*\).*/\1/')" -ge "$N" ] ||
	die "max_policies is below $N"

echo "control-bench: $N cgroups, $ROUNDS rounds, ${IDLE}s idle windows"
"$CB" cgroups "$dir" "$N"
sleep 3
"$CB" cpu "$IDLE" >"$out/cpu.base"
"$CB" policies "$dir" "$N" >"$out/policies"
[ "$(memctl -j info | sed 's/.*"policies":\([0-9]*\).*/\1/')" -ge "$N" ] ||
	die "the policies are not all there"
sleep 3
"$CB" cpu "$IDLE" >"$out/cpu.pol"
"$CB" read "$dir" "$N" "$ROUNDS" >"$out/read"
"$CB" exec "$ROUNDS" memctl -j stats >"$out/exec.cli"
"$CB" exec "$ROUNDS" "$here/statfiles" "$dir" "$N" >"$out/exec.files"
# the dump really carries every cgroup
rows=$(memctl -j stats | grep -o '"cgroup":"/bench-control/c' | wc -l)
[ "$rows" -eq "$N" ] || die "memctl -j stats shows $rows of $N cgroups"
# the same cgroups, every policy in mode auto
"$CB" policies "$dir" "$N" auto >/dev/null
[ "$(memctl -j policy show | grep -o '"mode":"auto"' | wc -l)" -eq "$N" ] ||
	die "the auto policies are not all there"
sleep 3
"$CB" cpu "$IDLE" | sed 's/^cpu /cpuauto /' >"$out/cpu.auto"

cat "$out/policies" "$out/cpu.base" "$out/cpu.pol" "$out/cpu.auto" "$out/read" \
	"$out/exec.cli" "$out/exec.files" |
awk -v n="$N" -v rounds="$ROUNDS" -v idle="$IDLE" '
$1 == "policies"	{ pol = $2 }
$1 == "cpu" && !base++	{ sys0 = $2; kw0 = $3; next }
$1 == "cpu"		{ sys1 = $2; kw1 = $3 }
$1 == "cpuauto"		{ sys2 = $2; kw2 = $3 }
$1 == "netlink"		{ nl = $2; nlmin = $3; nlmax = $4; nlrows = $5; nlu = $6; nls = $7 }
$1 == "files"		{ fi = $2; fimin = $3; fimax = $4; fiu = $6; fis = $7 }
$1 == "open"		{ op = $2; opmin = $3; opmax = $4; opu = $6; ops = $7 }
$1 == "ratio_open"	{ rto = $2 / 1000; rtomin = $3 / 1000; rtomax = $4 / 1000 }
$1 == "raw"		{ raw = $2; rawmin = $3; rawmax = $4; rawrows = $5; rawu = $6; raws = $7 }
$1 == "ratio"		{ rt = $2 / 1000; rtmin = $3 / 1000; rtmax = $4 / 1000 }
$1 == "exec" && !ex++	{ cli = $2; climin = $3; climax = $4; next }
$1 == "exec"		{ fp = $2; fpmin = $3; fpmax = $4 }
END {
	printf "\n%-44s %10s %10s %10s %8s %8s\n", "stats of " n " cgroups (ms, " rounds " rounds)", "median", "min", "max", "user", "sys"
	printf "%-44s %10.2f %10.2f %10.2f %8.2f %8.2f\n", "netlink dump, libmemctl (" nlrows " rows)", nl / 1e6, nlmin / 1e6, nlmax / 1e6, nlu / 1e6, nls / 1e6
	printf "%-44s %10.2f %10.2f %10.2f %8.2f %8.2f\n", "memory.stat + memory.current, C reader", fi / 1e6, fimin / 1e6, fimax / 1e6, fiu / 1e6, fis / 1e6
	printf "%-44s %10.2f %10.2f %10.2f %8.2f %8.2f\n", "the same files kept open, pread()", op / 1e6, opmin / 1e6, opmax / 1e6, opu / 1e6, ops / 1e6
	printf "%-44s %10.2f %10.2f %10.2f %8.2f %8.2f\n", "  (netlink dump, bare socket, no parsing)", raw / 1e6, rawmin / 1e6, rawmax / 1e6, rawu / 1e6, raws / 1e6
	printf "%-44s %10.2f %10.2f %10.2f\n", "memctl -j stats, whole process", cli / 1e6, climin / 1e6, climax / 1e6
	printf "%-44s %10.2f %10.2f %10.2f\n", "files C reader, whole process", fp / 1e6, fpmin / 1e6, fpmax / 1e6
	printf "%-44s %10.1fx %9.1fx %9.1fx\n", "speedup, in process (files / netlink)", rt, rtmin, rtmax
	printf "%-44s %10.1fx %9.1fx %9.1fx\n", "speedup vs files kept open", rto, rtomin, rtomax
	printf "%-44s %10.1fx\n", "speedup, whole process (files / memctl)", fp / cli
	printf "\n%-44s %10s %10s %10s\n", "idle CPU (CPU s per s, " idle " s)", "baseline", n " pol.", "memctl"
	printf "%-44s %10.5f %10.5f %10.5f\n", "kworker threads (schedstat)", kw0, kw1, kw1 - kw0
	printf "%-44s %10.5f %10.5f %10.5f\n", "whole system (/proc/stat)", sys0, sys1, sys1 - sys0
	printf "%-44s %10.5f %10.5f %10.5f\n", "kworker threads, " n " auto policies", kw0, kw2, kw2 - kw0
	printf "%-44s %10.5f %10.5f %10.5f\n", "whole system, " n " auto policies", sys0, sys2, sys2 - sys0
	printf "%-44s %10.1f\n\n", "policy set, us per policy (" n ")", pol / n / 1e3

	printf "BENCH control.stats_speedup_vs_files %.2f ratio\n", rt
	printf "BENCH control.stats_speedup_vs_files_kept_open %.2f ratio\n", rto
	printf "BENCH control.stats_speedup_vs_files_unparsed_dump %.2f ratio\n", fi / raw
	printf "BENCH control.stats_netlink_%d %.3f ms\n", n, nl / 1e6
	printf "BENCH control.stats_files_%d %.3f ms\n", n, fi / 1e6
	printf "BENCH control.cli_stats_%d %.3f ms\n", n, cli / 1e6
	printf "BENCH control.cli_speedup_vs_files_process %.2f ratio\n", fp / cli
	printf "BENCH control.idle_cpu_%d_policies %.6f ratio\n", n, kw1 - kw0
	printf "BENCH control.idle_system_cpu_%d_policies %.6f ratio\n", n, sys1 - sys0
	printf "BENCH control.idle_cpu_%d_auto_policies %.6f ratio\n", n, kw2 - kw0
	printf "BENCH control.idle_system_cpu_%d_auto_policies %.6f ratio\n", n, sys2 - sys0
	printf "BENCH control.policy_set %.1f us\n", pol / n / 1e3
}'
