#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves (issue 18) what an agent linking libmemctl relies on:
#  - agent_reload (MEMCTL_1.2): distinct codes for no cgroup, no policy,
#    module unloaded and module absent; the events handle reports the
#    unload and the load and subscribes again; handles opened before the
#    unload work after the load.  The family lookup would load the module
#    by itself: autoloading is off meanwhile (kernel.modprobe names no
#    program).  `memctl -j monitor`, running meanwhile, prints both
#    module events and goes on (before, it stayed silent for good).
#  - old_agent, a program built against MEMCTL_1.0's header (struct
#    memctl_stats with its 4 KiB path) and linked against a library of
#    MEMCTL_1.0's symbols only, runs against today's libmemctl.so.1 on the
#    real module: policies, statistics, events with 1.0's codes.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cg=/memctl-agent-test
saved_modprobe=
mon_pid=
TMP=$(mktemp -d /tmp/memctl-agent.XXXXXX)

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
for p in agent_reload old_agent; do
	[ -x "$here/$p" ] || { echo "SKIP: $p is not built"; exit 4; }
done
memctl info >/dev/null 2>&1 || { echo "SKIP: the memctl module is not loaded"; exit 4; }

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null || true
	[ -n "$saved_modprobe" ] && echo "$saved_modprobe" >/proc/sys/kernel/modprobe
	grep -q '^memctl ' /proc/modules || modprobe memctl || true
	memctl policy del $cg >/dev/null 2>&1 || true
	rmdir /sys/fs/cgroup$cg 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p /sys/fs/cgroup$cg

# A monitor, subscribed (it has shown an event) before the unload.
memctl -j monitor >"$TMP/mon.json" 2>"$TMP/mon.err" &
mon_pid=$!
i=0
while ! grep -q "\"cgroup\":\"$cg\"" "$TMP/mon.json"; do
	[ $i -lt 120 ] || fail "memctl monitor shows no event: $(cat "$TMP/mon.err")"
	memctl policy set $cg high $((64 + i))M target 32M
	i=$((i + 1))
	sleep 0.5
done
memctl policy del $cg

saved_modprobe=$(cat /proc/sys/kernel/modprobe)
# no modprobe at all: the kernel's request_module() fails, nothing loads
echo /nonexistent/memctl-agent-test-modprobe >/proc/sys/kernel/modprobe
"$here/agent_reload" $cg "$saved_modprobe" || fail "agent_reload"
echo "$saved_modprobe" >/proc/sys/kernel/modprobe
saved_modprobe=

# The monitor said so, and goes on: the new module's events reach it.
memctl policy set $cg high 80M target 40M
memctl policy del $cg
i=0
while [ "$(grep -c "\"cgroup\":\"$cg\"" "$TMP/mon.json")" -lt 4 ] ||
      ! grep -q '"event":"module","action":"loaded"' "$TMP/mon.json"; do
	[ $i -lt 120 ] || break
	i=$((i + 1))
	sleep 0.5
done
kill -0 $mon_pid 2>/dev/null || fail "memctl monitor exited: $(cat "$TMP/mon.err")"
grep -q '"event":"module","action":"unloaded"' "$TMP/mon.json" ||
	fail "memctl monitor did not print the unload: $(cat "$TMP/mon.json")"
grep -q '"event":"module","action":"loaded"' "$TMP/mon.json" ||
	fail "memctl monitor did not print the load: $(cat "$TMP/mon.json")"
sed -n '/"action":"loaded"/,$p' "$TMP/mon.json" | grep -q "\"action\":\"deleted\",\"cgroup\":\"$cg\"" ||
	fail "memctl monitor gets no event after the reload: $(cat "$TMP/mon.json")"
kill $mon_pid
wait $mon_pid 2>/dev/null || true
mon_pid=

# The old binary (its build checked that it binds MEMCTL_1.0's symbols
# only) runs against today's library.
"$here/old_agent" $cg || fail "old_agent"
echo "agent: ok"
