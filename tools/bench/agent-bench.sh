#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The node agent's benchmark (issue 18), run inside the VM (make bench):
#   tools/vm/run --mem 2G --add $PWD/tools/bench -- $PWD/tools/bench/agent-bench.sh
#
# memctld runs with one rule, "/bench-agent/* high 1G target 512M", and:
#
#   mkdir     N cgroups are made below /bench-agent back to back
#             (ctlbench mkpolicy); each one's time from its mkdir to the
#             kernel's notification of its policy (memctld sets it):
#             p50, p99 and the slowest; target p99 <= 1 s
#   idle      memctld's CPU seconds per second over IDLE seconds with the
#             N cgroups managed and nothing happening
#   scrape    GET /metrics (every cgroup's series; memctld dumps the
#             statistics and writes the text) against reading the N
#             cgroups' memory.stat and memory.current (the C reader of
#             control-bench), ROUNDS alternating rounds; the speedup is
#             the median of each round's files / scrape; target >= 5x
#   process   `memctl -j stats` as a whole program, exec included, against
#             the files' C reader as a whole program (statfiles, linked
#             with the C library only), ROUNDS rounds that run both
#             in turn (which goes first alternates); the speedup is the
#             median of each round's files / memctl, shown with the
#             rounds' lowest and highest; target >= 5x.  Measured with
#             address space layout randomisation off (both programs), and
#             again with it on as the VM boots.  Under TCG, QEMU keeps the
#             code it translated by virtual address, so a program whose
#             shared libraries land elsewhere on each exec is translated
#             anew each time: a dynamically linked "hello" costs 25 to 39
#             ms with ASLR, 6 to 10 ms without, and a static one 4 to 7
#             ms either way (Documentation/testing.rst).  Hardware has no
#             such cost; the figure without ASLR is the one the target
#             is read against, the other is shown beside it.
#
# Environment: N (1000), ROUNDS (21), IDLE (30).  The table comes first,
# then BENCH lines.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CB=$here/ctlbench
N=${N:-1000}
ROUNDS=${ROUNDS:-21}
IDLE=${IDLE:-30}
PORT=9776
dir=/sys/fs/cgroup/bench-agent
out=$(mktemp -d /tmp/agent-bench.XXXXXX)
pid=
aslr=

die() {
	echo "agent-bench: $*" >&2
	[ -f "$out/log" ] && sed 's/^/# memctld: /' "$out/log" | tail -20 >&2
	exit 1
}

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "$aslr" ] && echo "$aslr" >/proc/sys/kernel/randomize_va_space
	"$CB" teardown "$dir" "$N" 2>/dev/null || true
	rm -rf "$out"
}
trap cleanup EXIT

[ -x "$CB" ] || die "build tools/bench first (make -C tools/bench)"
command -v memctld >/dev/null || die "memctld is not on PATH"
memctl info >/dev/null || die "memctl is not loaded"
[ "$(memctl -j info | sed 's/.*"max_policies":\([0-9]*\).*/\1/')" -ge "$N" ] ||
	die "max_policies is below $N"
busybox ip link set lo up 2>/dev/null || busybox ifconfig lo 127.0.0.1 up

echo "agent-bench: $N cgroups, $ROUNDS rounds, ${IDLE}s idle window"
"$CB" cgroups "$dir" 0
echo "/bench-agent/*  high 1G target 512M" >"$out/rules.conf"
memctld --config "$out/rules.conf" --listen "127.0.0.1:$PORT" 2>"$out/log" &
pid=$!
i=0
until grep -q "serving /metrics" "$out/log"; do
	i=$((i + 1))
	[ $i -le 300 ] || die "memctld did not start"
	sleep 0.1
done

"$CB" pidtimes "$pid" >"$out/times0"
"$CB" mkpolicy "$dir" "$N" 60 >"$out/mkpolicy"
"$CB" pidtimes "$pid" >"$out/times1"
[ "$(memctl -j policy show | grep -o '"cgroup":"/bench-agent/c' | wc -l)" -eq "$N" ] ||
	die "the policies are not all there"
sleep 3
"$CB" pidcpu "$pid" "$IDLE" >"$out/idle"
"$CB" scrape "$PORT" "$dir" "$N" "$ROUNDS" >"$out/scrape"
# memctld's memory after the scrapes: now and at its peak (KiB)
awk '$1 == "VmRSS:" { r = $2 } $1 == "VmHWM:" { h = $2 }
	END { print "rss", r, h }' "/proc/$pid/status" >"$out/rss"
# execs SUFFIX: `memctl -j stats` and the files' reader in turn, in the same
# rounds; lines exec_cli, exec_files and exec_ratio (files / memctl per
# round), each name followed by SUFFIX
execs() {
	"$CB" exec "$ROUNDS" memctl -j stats --vs "$here/statfiles" "$dir" "$N" >"$out/exec" ||
		die "ctlbench exec failed"
	sed "s/^exec /exec_cli$1 /; s/^exec_vs /exec_files$1 /; s/^exec_ratio /exec_ratio$1 /" "$out/exec"
}
aslr=$(cat /proc/sys/kernel/randomize_va_space)
execs _aslr >"$out/exec.all"
echo 0 >/proc/sys/kernel/randomize_va_space
execs "" >>"$out/exec.all"
echo "$aslr" >/proc/sys/kernel/randomize_va_space
kill -0 "$pid" 2>/dev/null || die "memctld is gone"

cat "$out/times0" "$out/times1" "$out/mkpolicy" "$out/idle" "$out/scrape" "$out/rss" "$out/exec.all" |
awk -v n="$N" -v rounds="$ROUNDS" -v idle="$IDLE" '
$1 == "pidtimes" && !pt++	{ u0 = $2; s0 = $3; next }
$1 == "pidtimes"	{ u1 = $2; s1 = $3 }
$1 == "mkpolicy"	{ p50 = $2; p99 = $3; pmax = $4; lost = $6 }
$1 == "pidcpu"		{ cpu = $2 }
$1 == "scrape"		{ sc = $2; scmin = $3; scmax = $4; scu = $6; scs = $7 }
$1 == "files"		{ fi = $2; fimin = $3; fimax = $4; fiu = $6; fis = $7 }
$1 == "ratio"		{ rt = $2 / 1000; rtmin = $3 / 1000; rtmax = $4 / 1000 }
$1 == "rss"		{ rss = $2; hwm = $3 }
$1 == "exec_cli"	{ cli = $2; climin = $3; climax = $4 }
$1 == "exec_files"	{ fp = $2; fpmin = $3; fpmax = $4 }
$1 == "exec_cli_aslr"	{ clia = $2; cliamin = $3; cliamax = $4 }
$1 == "exec_files_aslr"	{ fpa = $2; fpamin = $3; fpamax = $4 }
$1 == "exec_ratio"	{ xr = $2 / 1000; xrmin = $3 / 1000; xrmax = $4 / 1000 }
$1 == "exec_ratio_aslr"	{ xra = $2 / 1000; xramin = $3 / 1000; xramax = $4 / 1000 }
END {
	printf "\n%-44s %10s %10s %10s\n", "mkdir to policy, " n " cgroups at once (ms)", "p50", "p99", "max"
	printf "%-44s %10.1f %10.1f %10.1f\n", "memctld, inotify on cgroupfs", p50 / 1e6, p99 / 1e6, pmax / 1e6
	printf "%-44s %10.2f %10.2f\n", "memctld CPU per new cgroup (ms): user, sys", (u1 - u0) * 1000 / n, (s1 - s0) * 1000 / n
	if (lost)
		printf "%-44s %10d\n", "  (event socket overruns: dump-stamped)", lost
	printf "\n%-44s %10s %10s %10s %8s %8s\n", "statistics of " n " cgroups (ms, " rounds " rounds)", "median", "min", "max", "user", "sys"
	printf "%-44s %10.2f %10.2f %10.2f %8.2f %8.2f\n", "GET /metrics from memctld", sc / 1e6, scmin / 1e6, scmax / 1e6, scu / 1e6, scs / 1e6
	printf "%-44s %10.2f %10.2f %10.2f %8.2f %8.2f\n", "memory.stat + memory.current, C reader", fi / 1e6, fimin / 1e6, fimax / 1e6, fiu / 1e6, fis / 1e6
	printf "%-44s %10.2f %10.2f %10.2f\n", "memctl -j stats, whole process", cli / 1e6, climin / 1e6, climax / 1e6
	printf "%-44s %10.2f %10.2f %10.2f\n", "files C reader, whole process", fp / 1e6, fpmin / 1e6, fpmax / 1e6
	printf "%-44s %10.2f %10.2f %10.2f\n", "  the same with ASLR: memctl -j stats", clia / 1e6, cliamin / 1e6, cliamax / 1e6
	printf "%-44s %10.2f %10.2f %10.2f\n", "  the same with ASLR: files C reader", fpa / 1e6, fpamin / 1e6, fpamax / 1e6
	printf "%-44s %10.1fx %9.1fx %9.1fx\n", "speedup, scrape (files / scrape)", rt, rtmin, rtmax
	printf "%-44s %10.1fx %9.1fx %9.1fx\n", "speedup, whole process (files / memctl)", xr, xrmin, xrmax
	printf "%-44s %10.1fx %9.1fx %9.1fx\n", "  the same with ASLR", xra, xramin, xramax
	printf "%-44s %10.5f\n", "memctld idle, CPU s per s (" idle " s)", cpu
	printf "%-44s %10.1f %10.1f\n\n", "memctld RSS after the scrapes, now / peak (MiB)", rss / 1024, hwm / 1024

	printf "BENCH agent.mkdir_to_policy_p50 %.1f ms\n", p50 / 1e6
	printf "BENCH agent.mkdir_to_policy_p99 %.1f ms\n", p99 / 1e6
	printf "BENCH agent.mkdir_to_policy_max %.1f ms\n", pmax / 1e6
	printf "BENCH agent.cpu_per_new_cgroup %.3f ms\n", (u1 - u0 + s1 - s0) * 1000 / n
	printf "BENCH agent.idle_cpu_%d_cgroups %.6f ratio\n", n, cpu
	printf "BENCH agent.scrape_%d %.3f ms\n", n, sc / 1e6
	printf "BENCH agent.scrape_speedup_vs_files %.2f ratio\n", rt
	printf "BENCH agent.memctld_rss_%d %.1f MiB\n", n, rss / 1024
	printf "BENCH agent.memctld_peak_rss_%d %.1f MiB\n", n, hwm / 1024
	printf "BENCH control.stats_speedup_whole_process %.2f ratio\n", xr
	printf "BENCH agent.stats_speedup_whole_process_aslr %.2f ratio\n", xra
}'
