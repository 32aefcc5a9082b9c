#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves (issue 18) what an agent linking libmemctl relies on:
#  - agent_reload (MEMCTL_1.2): distinct codes for no cgroup, no policy,
#    module unloaded and module absent; the events handle reports the
#    unload and the load and subscribes again; handles opened before the
#    unload work after the load.  The family lookup would load the module
#    by itself: autoloading is off meanwhile (kernel.modprobe names no
#    program).
#  - old_agent, a program built against MEMCTL_1.0's header (struct
#    memctl_stats with its 4 KiB path) and linked against a library of
#    MEMCTL_1.0's symbols only, runs against today's libmemctl.so.1 on the
#    real module: policies, statistics, events with 1.0's codes.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cg=/memctl-agent-test
saved_modprobe=

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
	[ -n "$saved_modprobe" ] && echo "$saved_modprobe" >/proc/sys/kernel/modprobe
	grep -q '^memctl ' /proc/modules || modprobe memctl || true
	memctl policy del $cg >/dev/null 2>&1 || true
	rmdir /sys/fs/cgroup$cg 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p /sys/fs/cgroup$cg
saved_modprobe=$(cat /proc/sys/kernel/modprobe)
# no modprobe at all: the kernel's request_module() fails, nothing loads
echo /nonexistent/memctl-agent-test-modprobe >/proc/sys/kernel/modprobe
"$here/agent_reload" $cg || fail "agent_reload"
echo "$saved_modprobe" >/proc/sys/kernel/modprobe
saved_modprobe=

# The old binary (its build checked that it binds MEMCTL_1.0's symbols
# only) runs against today's library.
"$here/old_agent" $cg || fail "old_agent"
echo "agent: ok"
