#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves the module's life cycle: it unloads with policies in the table and
# while a client holds an open (subscribed) socket, a lookup of the family
# autoloads it, and the max_policies parameter bounds the table with a clear
# -ENOSPC refusal that changes nothing.
set -eu

top=/sys/fs/cgroup/memctl-module-test
mon_pid=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null || true
	for d in "$top"/*/; do [ -d "$d" ] && rmdir "$d"; done 2>/dev/null || true
	rmdir "$top" 2>/dev/null || true
	rmmod memctl 2>/dev/null || true
	modprobe memctl
}
trap cleanup EXIT

mkdir -p "$top"
echo +memory >"$top/cgroup.subtree_control"
for i in 1 2 3 4; do mkdir -p "$top/c$i"; done

# Unload with policies present, then load again: the table starts empty.
memctl policy set /memctl-module-test/c1 high 64M target 32M
memctl policy set /memctl-module-test/c2 high 64M target 32M
rmmod memctl || fail "rmmod with policies present"
modprobe memctl
[ "$(memctl -j policy show)" = "[]" ] || fail "policies survived a reload"

# Unload while a client holds a subscribed socket.
memctl monitor >/dev/null 2>&1 &
mon_pid=$!
sleep 1
kill -0 "$mon_pid" || fail "memctl monitor did not start"
rmmod memctl || fail "rmmod with a client socket open"
kill "$mon_pid" 2>/dev/null || true
wait "$mon_pid" 2>/dev/null || true
mon_pid=

# A lookup of the family loads the module (MODULE_ALIAS_GENL_FAMILY).
grep -q '^memctl ' /proc/modules && fail "still loaded"
memctl version >/dev/null || fail "memctl version after autoload"
grep -q '^memctl ' /proc/modules || fail "the family lookup did not autoload memctl"

# The table is bounded.
rmmod memctl
modprobe memctl max_policies=3
for i in 1 2 3; do
	memctl policy set "/memctl-module-test/c$i" high 64M target 32M
done
before=$(memctl -j policy show)
if memctl policy set /memctl-module-test/c4 high 64M target 32M 2>/tmp/err; then
	fail "a fourth policy was accepted with max_policies=3"
else
	rc=$?
fi
[ "$rc" -eq 1 ] || fail "exit status $rc, want 1"
grep -q "full" /tmp/err || fail "refusal does not say the table is full: $(cat /tmp/err)"
[ "$(wc -l </tmp/err)" -eq 1 ] || fail "refusal is not one line"
[ "$(memctl -j policy show)" = "$before" ] || fail "a refused set changed the table"
# Replacing an existing policy still works when the table is full.
memctl policy set /memctl-module-test/c1 high 128M target 32M
echo "module life cycle: ok"
