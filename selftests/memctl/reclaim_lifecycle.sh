#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that reclaim episodes end promptly and cleanly when what they work
# for goes away: unloading the module in the middle of an episode returns
# quickly (every policy's work cancelled and waited for), deleting a policy
# during an episode returns quickly, and removing the cgroup during an
# episode ends it and drops the policy.  The VM runner fails the run if the
# kernel logs a splat on the way.
set -eu

# This scenario reclaims page cache: where the file class has no route
# (6.1 with every non-exported symbol refused, a -nosyms suite: its
# memory.reclaim has no swappiness= key), memctl refuses it, and says why.
need-file-route || exit $?

top=/sys/fs/cgroup/memctl-lifecycle
dir=/mnt/scratch/memctl-lifecycle
mon_pid=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null || true
	rmdir "$top/c" 2>/dev/null || true
	rmdir "$top" 2>/dev/null || true
	rm -rf "$dir"
	grep -q '^memctl ' /proc/modules || modprobe memctl
}
trap cleanup EXIT

now_ms() {
	echo $(($(cut -d' ' -f1 /proc/uptime | tr -d .) * 10))
}

# Fills $top/c with 160 MiB of clean page cache and 50k negative dentries.
fill() {
	mkdir -p "$top/c" "$dir"
	sh -c "echo \$\$ > $top/c/cgroup.procs
		dd if=/dev/zero of=$dir/f$1 bs=1M count=160 conv=fsync 2>/dev/null
		cat $dir/f$1 >/dev/null
		i=0; while [ \$i -lt 2000 ]; do [ -e $dir/nx\$i ] || :; i=\$((i + 1)); done"
}

# Starts a policy that needs a long episode, and waits until it runs.
start_episode() {
	memctl policy set /memctl-lifecycle/c high 4M target 2M interval 10ms classes slab,file slab-first 0
	sleep 0.05
}

mkdir -p "$top"
echo +memory >"$top/cgroup.subtree_control"

# Unload during an episode.
fill 1
start_episode
t0=$(now_ms)
rmmod memctl || fail "rmmod during an episode"
t1=$(now_ms)
echo "rmmod during an episode: $((t1 - t0)) ms"
[ $((t1 - t0)) -lt 10000 ] || fail "rmmod took $((t1 - t0)) ms"
modprobe memctl

# Unload during a one-shot: the unload cancels it, and the command gets
# its answer (stop reason cancelled) before the family goes.
rm -rf "$dir"
fill 4
memctl -j reclaim /memctl-lifecycle/c 1T classes slab,file >/tmp/lifecycle.oneshot 2>&1 &
oneshot_pid=$!
sleep 0.2
t0=$(now_ms)
rmmod memctl || fail "rmmod during a one-shot"
t1=$(now_ms)
echo "rmmod during a one-shot: $((t1 - t0)) ms"
[ $((t1 - t0)) -lt 10000 ] || fail "rmmod took $((t1 - t0)) ms"
wait "$oneshot_pid" || true
cat /tmp/lifecycle.oneshot
# The one-shot may have ended on its own before the unload: then "target"
# or "no-progress"; never a lost answer.
grep -q '"stop":"\(cancelled\|no-progress\|target\)"' /tmp/lifecycle.oneshot ||
	fail "the one-shot got no answer: $(cat /tmp/lifecycle.oneshot)"
modprobe memctl

# Delete the policy during an episode.
fill 2
start_episode
t0=$(now_ms)
memctl policy del /memctl-lifecycle/c >/dev/null || fail "policy del during an episode"
t1=$(now_ms)
echo "policy del during an episode: $((t1 - t0)) ms"
[ $((t1 - t0)) -lt 10000 ] || fail "policy del took $((t1 - t0)) ms"
[ "$(memctl -j policy show)" = "[]" ] || fail "policy still there"

# Remove the cgroup during an episode.
fill 3
memctl monitor >/tmp/lifecycle.mon 2>&1 &
mon_pid=$!
sleep 0.5
start_episode
rmdir "$top/c" || fail "rmdir during an episode"
i=0
while [ "$(memctl -j policy show)" != "[]" ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "the policy outlived its cgroup by 5 s"
	sleep 0.1
done
i=0
while ! grep -q "cgroup-removed\|cgroup_removed\|removed" /tmp/lifecycle.mon; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "no removal event: $(cat /tmp/lifecycle.mon)"
	sleep 0.1
done
kill "$mon_pid"
mon_pid=
grep "^reclaim" /tmp/lifecycle.mon || true
echo "reclaim life cycle: ok"
