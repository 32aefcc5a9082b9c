#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that `memctl top` (memctl-top, BPF) charges each kind of reclaim to
# the right cgroup.  A reader in /memctl-top-test/leaf reads a 64 MiB file of
# the scratch disk over and over while the parent /memctl-top-test has
# memory.max=32M (no swap), so its page cache charges over the limit make it
# reclaim the parent; meanwhile `memctl reclaim` asks the module for one-shot
# reclaims of /memctl-top-test (run in the CLI's own context), and a reader
# of a 16 MiB file in /memctl-top-other, which has no limit but a memctl
# policy (high 8M), is reclaimed by the module's worker.  Once the parent's
# memory.events has counted a limit hit (the workload is in place, however
# slow the kernel, e.g. KASAN under TCG), `memctl-top -j --duration 5
# --interval 1` must print a JSON line per interval (5, fewer when a late
# wake-up skips a tick) covering the 5 s, every documented key in order,
# and:
#  - memcg reclaim stalls (count > 0, time and pages > 0, p50 <= p99) under
#    /memctl-top-test with its cgroup id (the directory's inode): the target
#    of the reclaim, not the leaf the reader runs in; under no other cgroup;
#  - memctl's reclaim (count and pages > 0) under /memctl-top-test (the
#    one-shots) and under /memctl-top-other (the worker), never counted as
#    stalls there.
# Without privileges, or without kernel BTF, it exits 2 with a one-line
# message saying so; bad usage exits 64.
set -eu

# memctl reclaims page cache here: where the file class has no route (6.1
# in a -nosyms suite), memctl refuses it and says why.
need-file-route || exit $?

top=/sys/fs/cgroup/memctl-top-test
other=/sys/fs/cgroup/memctl-top-other
scratch=/mnt/scratch
stop=/tmp/top-test.stop
out=/tmp/top-test.json
objs=/tmp/top-test.objs
err=/tmp/top-test.err
pids=

fail() {
	echo "FAIL: $*" >&2
	if [ -s "$out" ]; then
		echo "# memctl-top output:" >&2
		sed 's/^/# /' "$out" >&2
	fi
	exit 1
}

cleanup() {
	touch "$stop"
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	memctl policy del /memctl-top-other >/dev/null 2>&1 || true
	rmdir "$top/leaf" "$top" "$other" 2>/dev/null || true
	rm -f "$stop" "$out" "$objs" "$err" "$scratch"/top-test.*
}
trap cleanup EXIT

if [ ! -e /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: the kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 4
fi
command -v memctl-top >/dev/null || fail "memctl-top is not installed"
grep -q " $scratch " /proc/mounts || fail "no scratch disk at $scratch"

# Bad usage: one line, exit 64.
rc=0
memctl-top --interval 0 2>"$err" || rc=$?
[ "$rc" = 64 ] || fail "--interval 0 exited $rc, not 64"
[ "$(wc -l <"$err")" = 1 ] || fail "--interval 0: not one line: $(cat "$err")"

# Without privileges: one line saying so, exit 2.
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups \
	memctl-top --duration 1 >/dev/null 2>"$err" || rc=$?
[ "$rc" = 2 ] || fail "unprivileged run exited $rc, not 2: $(cat "$err")"
[ "$(wc -l <"$err")" = 1 ] || fail "unprivileged run: not one line: $(cat "$err")"
grep -q 'privileges' "$err" || fail "unprivileged run: no word of privileges: $(cat "$err")"

# Without kernel BTF (hidden in a mount namespace): one line saying so, exit 2.
rc=0
unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec memctl-top --duration 1' \
	>/dev/null 2>"$err" || rc=$?
[ "$rc" = 2 ] || fail "run without BTF exited $rc, not 2: $(cat "$err")"
[ "$(wc -l <"$err")" = 1 ] || fail "run without BTF: not one line: $(cat "$err")"
grep -q 'BTF' "$err" || fail "run without BTF: no word of BTF: $(cat "$err")"

mkdir "$top" "$other"
echo +memory >"$top/cgroup.subtree_control"
mkdir "$top/leaf"
echo 32M >"$top/memory.max"
[ ! -e "$top/memory.swap.max" ] || echo 0 >"$top/memory.swap.max"

# reader CGROUP FILE: reads FILE from CGROUP over and over until $stop exists.
# Clean page cache only: its charges are not held back by dirty throttling
# and writeback, which on a slow kernel kept a writer (dd) under the limit.
reader() {
	sh -c 'echo $$ >"$1/cgroup.procs"
	       while [ ! -e "$2" ]; do
		       cat "$3" >/dev/null
	       done' reader "$1" "$stop" "$2" &
	pids="$pids $!"
}

# limit_hits: how often /memctl-top-test's usage was about to go over
# memory.max, each time followed by a memcg reclaim.
limit_hits() {
	sed -n 's/^max //p' "$top/memory.events"
}

memctl policy set /memctl-top-other high 8M target 4M interval 200ms >/dev/null ||
	fail "memctl policy set /memctl-top-other failed"

# the readers' files, written from the root cgroup and dropped from the page
# cache, so that every page a reader brings in is charged to its cgroup
dd if=/dev/zero of="$scratch/top-test.top" bs=1M count=64 2>/dev/null &&
	dd if=/dev/zero of="$scratch/top-test.other" bs=1M count=16 2>/dev/null ||
	fail "cannot write the readers' files in $scratch"
sync
echo 1 >/proc/sys/vm/drop_caches

rm -f "$stop"
hits=$(limit_hits)
reader "$top/leaf" "$scratch/top-test.top"
reader "$other" "$scratch/top-test.other"
# one-shot reclaims of /memctl-top-test, some of which may find it empty
sh -c 'while [ ! -e "$1" ]; do
	       memctl reclaim /memctl-top-test 2M classes slab,file >/dev/null 2>&1
	       sleep 0.5
       done' oneshot "$stop" &
pids="$pids $!"
# The workload is in place once the limit is hit; a bound, not a delay.
i=0
while [ "$(limit_hits)" -le "$hits" ]; do
	i=$((i + 1))
	[ $i -le 1200 ] ||
		fail "the reader never hit memory.max of /memctl-top-test in 120 s ($(cat "$top/memory.current") bytes charged)"
	sleep 0.1
done
echo "# the reader hit memory.max after $((i / 10)).$((i % 10)) s"
memctl-top -j --duration 5 --interval 1 >"$out" 2>"$err" &
top_pid=$!
rc=0
wait "$top_pid" || rc=$?
touch "$stop"
[ "$rc" = 0 ] || fail "memctl-top exited $rc: $(cat "$err")"
[ ! -s "$err" ] || fail "memctl-top wrote to stderr: $(cat "$err")"

# One object per line and interval.  5 s at 1 s intervals is 5 lines,
# fewer when a late wake-up on a loaded machine skips a tick (memctl-top
# skips ticks, never intervals): the intervals must still cover the 5 s.
lines=$(wc -l <"$out")
[ "$lines" -ge 3 ] && [ "$lines" -le 5 ] ||
	fail "expected 5 lines (3 if ticks were skipped) for 5 s at 1 s intervals, got $lines"
line_re='^\{"time":[0-9]+\.[0-9]{3},"interval_s":[0-9]+\.[0-9]{3},"cgroups":\[.*\]\}$'
[ "$(grep -cE "$line_re" "$out")" = "$lines" ] || fail "a line is not {time, interval_s, cgroups}"
covered=$(sed -n 's/^{"time":[0-9.]*,"interval_s":\([0-9.]*\),.*/\1/p' "$out" |
	  awk '{ t += $1 } END { printf "%d\n", t * 1000 }')
[ "$covered" -ge 4900 ] && [ "$covered" -le 8000 ] ||
	fail "the intervals cover $covered ms of the 5 s"
fmtcheck json -l <"$out" || fail "the output is not valid JSON lines"

# One cgroup object per line of $objs, every key in the documented order.
n='[0-9]+'
obj_re="\\{\"cgroup\":(\"[^\"]*\"|null),\"id\":$n,"
obj_re="$obj_re\"direct_reclaim\":\\{\"count\":$n,\"total_ns\":$n,\"p50_ns\":$n,\"p99_ns\":$n\\},"
obj_re="$obj_re\"memcg_reclaim\":\\{\"count\":$n,\"total_ns\":$n,\"p50_ns\":$n,\"p99_ns\":$n,\"pages\":$n\\},"
obj_re="$obj_re\"proactive_reclaim\":\\{\"count\":$n,\"total_ns\":$n,\"pages\":$n\\},"
obj_re="$obj_re\"memctl_reclaim\":\\{\"count\":$n,\"total_ns\":$n,\"pages\":$n,\"slab_objects\":$n\\},"
obj_re="$obj_re\"slab_shrink\":\\{\"count\":$n,\"total_ns\":$n,\"objects\":$n\\}\\}"
grep -oE "$obj_re" "$out" >"$objs" || true
[ "$(grep -o '{"cgroup":' "$out" | wc -l)" = "$(wc -l <"$objs")" ] ||
	fail "a cgroup object lacks a documented key or has them out of order"

# field OBJECT CLASS KEY: the number under "CLASS":{..."KEY":N
field() {
	echo "$1" | sed -n "s/.*\"$2\":{[^}]*\"$3\":\\([0-9]*\\).*/\\1/p"
}

# sum CGROUP CLASS KEY: the total of "CLASS":{..."KEY":N over the intervals
sum() {
	grep "^{\"cgroup\":\"$1\"," "$objs" | while IFS= read -r o; do
		field "$o" "$2" "$3"
	done | { t=0; while read -r v; do t=$((t + v)); done; echo $t; }
}

# memcg reclaim stalls: only under the cgroup whose limit was hit
while IFS= read -r o; do
	case $o in
	'{"cgroup":"/memctl-top-test",'*) ;;
	*)
		[ "$(field "$o" memcg_reclaim count)" = 0 ] ||
			fail "memcg reclaim stalls charged to another cgroup: $o"
		continue
		;;
	esac
	[ "$(echo "$o" | sed -n 's/.*"id":\([0-9]*\),.*/\1/p')" = "$(stat -c %i "$top")" ] ||
		fail "/memctl-top-test has the id of another cgroup: $o"
	[ "$(field "$o" memcg_reclaim count)" -gt 0 ] || continue
	p50=$(field "$o" memcg_reclaim p50_ns)
	p99=$(field "$o" memcg_reclaim p99_ns)
	[ "$p50" -gt 0 ] && [ "$p50" -le "$p99" ] || fail "bad p50/p99: $o"
done <"$objs"

stalls=$(sum /memctl-top-test memcg_reclaim count)
ns=$(sum /memctl-top-test memcg_reclaim total_ns)
pages=$(sum /memctl-top-test memcg_reclaim pages)
[ "$stalls" -gt 0 ] || fail "no memcg reclaim stalls reported under /memctl-top-test"
[ "$ns" -gt 0 ] || fail "memcg reclaim stalls of no duration"
[ "$pages" -gt 0 ] || fail "memcg reclaim freed no pages"
echo "ok: /memctl-top-test: $stalls memcg reclaim stalls, $ns ns, $pages pages"

for cg in /memctl-top-test /memctl-top-other; do
	runs=$(sum $cg memctl_reclaim count)
	pages=$(sum $cg memctl_reclaim pages)
	[ "$runs" -gt 0 ] && [ "$pages" -gt 0 ] ||
		fail "memctl's reclaim of $cg not seen ($runs calls, $pages pages)"
	echo "ok: $cg: $runs memctl reclaim calls, $pages pages"
done
