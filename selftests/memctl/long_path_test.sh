#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that a cgroup whose path is near PATH_MAX (about 4000 bytes, over
# one page of netlink message) works end to end: policy set and show, stats,
# and the policy-created event reach the caller with the whole path.  Before
# the messages were sized by the path, POLICY_GET replies and notifications
# of such a cgroup were one page and failed with -EMSGSIZE or were dropped.
set -eu

top=/sys/fs/cgroup/memctl-long
mon=/tmp/memctl-long.mon
monpid=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	[ -z "$monpid" ] || kill "$monpid" 2>/dev/null || true
	memctl policy del "$rel" 2>/dev/null || true
	d=$top$rel_tail
	while [ "$d" != "$top" ] && [ -n "$d" ]; do
		rmdir "$d" 2>/dev/null || true
		d=${d%/*}
	done
	rmdir "$top" 2>/dev/null || true
	rm -f "$mon"
}
trap cleanup EXIT

# 16 components of 250 bytes: /memctl-long + 16 * 252 = 4044 bytes
# (each name also carries its index), under PATH_MAX with /sys/fs/cgroup.
name=$(printf '%0250d' 0)
rel_tail=
mkdir "$top"
echo +memory > "$top/cgroup.subtree_control"
d=$top
i=0
while [ $i -lt 16 ]; do
	d=$d/$name$i
	rel_tail=$rel_tail/$name$i
	mkdir "$d"
	[ $i -eq 15 ] || echo +memory > "$d/cgroup.subtree_control"
	i=$((i + 1))
done
rel=/memctl-long$rel_tail
[ ${#rel} -gt 4000 ] || fail "path only ${#rel} bytes"

memctl -j monitor > "$mon" &
monpid=$!
sleep 1

memctl policy set "$rel" high 64M target 32M || fail "policy set"
memctl -j policy show "$rel" > /tmp/out || fail "policy show"
grep -q "\"cgroup\":\"$rel\"" /tmp/out || fail "policy show has not the whole path"
memctl -j policy show | grep -q "\"cgroup\":\"$rel\"" || fail "policy dump"
memctl -j stats "$rel" | grep -q "\"cgroup\":\"$rel\"" || fail "stats"

i=0
while ! grep -q "$rel" "$mon" && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "\"cgroup\":\"$rel\"" "$mon" || fail "no event with the whole path: $(head -c 300 "$mon")"
echo "long paths: ok (${#rel} bytes)"
