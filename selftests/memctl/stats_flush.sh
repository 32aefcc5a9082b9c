#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves (issue 14, "Unprivileged flush storms"): STATS_GET from a user
# without CAP_SYS_ADMIN (uid 65534) forces no flush of the memory cgroups'
# statistics.  A kprobe event on the kernel's rstat flush (css_rstat_flush,
# or cgroup_rstat_flush before 6.16: what memctl's internal statistics route
# calls), filtered to processes named memctl, counts the flushes that
# `memctl stats` itself causes: 200 unprivileged requests for one idle
# cgroup and 200 unprivileged dumps (one policy) may cause at most 10 (the
# kernel may flush in any task; before the fix: one per request and two
# per dump).  On the internal route, root still flushes on every request
# (at least one flush per request and per dump), which also proves that
# the probe counts what memctl calls.  On the official route (memory.stat,
# every kernel with the symbols refused or sealed) memctl flushes nothing
# itself and memory.stat folds an idle cgroup's counters for nobody: root's
# requests stay under the same bound.  Counts, no timing.
set -eu

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 4; }
memctl info >/dev/null 2>&1 || { echo "SKIP: the memctl module is not loaded"; exit 4; }

N=200		# unprivileged requests, and as many dumps
NROOT=50	# root's requests, and as many dumps
BOUND=10	# flushes allowed in memctl processes for N unprivileged ones
T=/sys/kernel/tracing
CG=/sys/fs/cgroup/memctl-flush
EV=$T/events/memctl_flush/rstat
UNPRIV="setpriv --reuid=65534 --regid=65534 --clear-groups"

fail() {
	echo "FAIL: $*"
	exit 1
}

cleanup() {
	[ ! -e $EV/enable ] || echo 0 >$EV/enable || true
	[ ! -e $EV ] || echo "-:memctl_flush/rstat" >>$T/kprobe_events || true
	memctl policy del /memctl-flush >/dev/null 2>&1 || true
	rmdir $CG 2>/dev/null || true
}
trap cleanup EXIT

[ -e $T/kprobe_events ] || mount -t tracefs tracefs $T 2>/dev/null || true
[ -w $T/kprobe_events ] || { echo "SKIP: no kprobe events (CONFIG_KPROBE_EVENTS, tracefs)"; exit 4; }
fn=
for f in css_rstat_flush cgroup_rstat_flush; do
	if awk -v f=$f '$3 == f { x = 1 } END { exit !x }' /proc/kallsyms; then
		fn=$f
		break
	fi
done
[ -n "$fn" ] || { echo "SKIP: neither css_rstat_flush nor cgroup_rstat_flush in /proc/kallsyms"; exit 4; }
route=$(memctl info | sed -n 's/^route stats  *//p')
echo "# statistics route: $route; counting $fn in processes named memctl"

echo "-:memctl_flush/rstat" >>$T/kprobe_events 2>/dev/null || true	# a leftover
echo "p:memctl_flush/rstat $fn" >>$T/kprobe_events
echo 'comm == "memctl"' >$EV/filter
echo 1 >$EV/enable
echo 1 >$T/tracing_on

mkdir $CG
# flushes by memctl processes since the last call
count() {
	n=$(grep -c ' rstat: ' $T/trace || true)
	echo >$T/trace
	echo "$n"
}
# COUNT ARGS...: one shell that runs `memctl ARGS` COUNT times
script='i=0; while [ $i -lt $0 ]; do memctl "$@" >/dev/null || exit 1; i=$((i + 1)); done'

count >/dev/null
$UNPRIV sh -c "$script" $N stats /memctl-flush || fail "unprivileged memctl stats /memctl-flush failed"
u_do=$(count)
echo "# $N unprivileged STATS_GET of /memctl-flush: $u_do flushes"

memctl policy set /memctl-flush high 1G target 512M
count >/dev/null
$UNPRIV sh -c "$script" $N stats || fail "unprivileged memctl stats failed"
u_dump=$(count)
echo "# $N unprivileged STATS_GET dumps: $u_dump flushes"

sh -c "$script" $NROOT stats /memctl-flush || fail "memctl stats /memctl-flush failed"
r_do=$(count)
echo "# $NROOT STATS_GET of /memctl-flush as root: $r_do flushes"
sh -c "$script" $NROOT stats || fail "memctl stats failed"
r_dump=$(count)
echo "# $NROOT STATS_GET dumps as root: $r_dump flushes"

[ "$u_do" -le $BOUND ] ||
	fail "$N unprivileged STATS_GET requests caused $u_do flushes (at most $BOUND)"
[ "$u_dump" -le $BOUND ] ||
	fail "$N unprivileged STATS_GET dumps caused $u_dump flushes (at most $BOUND)"
echo "ok: unprivileged STATS_GET forces no flush ($u_do, $u_dump of at most $BOUND)"

case $route in
internal)
	[ "$r_do" -ge $NROOT ] ||
		fail "$NROOT STATS_GET requests as root caused $r_do flushes, not one each"
	[ "$r_dump" -ge $NROOT ] ||
		fail "$NROOT STATS_GET dumps as root caused $r_dump flushes, not one each"
	echo "ok: root's STATS_GET flushes on every request and dump"
	;;
*)
	[ "$r_do" -le $BOUND ] && [ "$r_dump" -le $BOUND ] ||
		fail "on the $route route memctl forced flushes for root: $r_do, $r_dump"
	# the probe is live: the kernel's own flushes, in every task (none on
	# 6.1, whose periodic flush is cgroup_rstat_flush_irqsafe)
	hits=$(awk '$1 == "rstat" { print $2 }' $T/kprobe_profile)
	echo "# $fn ran ${hits:-?} times in all tasks since the probe was set"
	echo "ok: official route: memory.stat folds an idle cgroup for nobody, memctl forces nothing"
	;;
esac
exit 0
