#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves (issue 18) that the family works from another network namespace
# (netnsok), with the rules of the initial one: from `unshare -n`, root
# (CAP_SYS_ADMIN in the initial user namespace) reads the module, sets,
# shows and deletes a policy, reads statistics, runs a one-shot reclaim
# (its answer comes back to that namespace) and receives events; root of a
# new user namespace (`unshare -Urn`) reads but is refused any change
# (exit 1, EPERM) and nothing changes.  Before netnsok the family did not
# exist there: "the memctl kernel module is not loaded", exit 2.
set -eu

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
for t in memctl unshare; do
	command -v $t >/dev/null || { echo "SKIP: no $t"; exit 4; }
done
memctl info >/dev/null 2>&1 || { echo "SKIP: the memctl module is not loaded"; exit 4; }

cg=/memctl-netns-test
dir=/sys/fs/cgroup$cg
TMP=$(mktemp -d /tmp/memctl-netns.XXXXXX)
mon_pid=

fail() {
	echo "FAIL: $*" >&2
	[ -s "$TMP/mon.json" ] && sed 's/^/  monitor: /' "$TMP/mon.json" >&2
	[ -s "$TMP/err" ] && sed 's/^/  stderr: /' "$TMP/err" >&2
	exit 1
}

cleanup() {
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null || true
	memctl policy del $cg >/dev/null 2>&1 || true
	rmdir "$dir" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$dir"
netns="unshare -n"
userns="unshare -Urn"

# A separate network namespace really: its loopback is its own.
[ "$($netns readlink /proc/self/ns/net)" != "$(readlink /proc/self/ns/net)" ] ||
	fail "unshare -n did not make a network namespace"

$netns memctl info >"$TMP/out" 2>"$TMP/err" || fail "memctl info from another netns: exit $?"
grep -q . "$TMP/out" || fail "memctl info printed nothing"

$netns memctl policy set $cg high 64M target 32M 2>"$TMP/err" ||
	fail "policy set from another netns: exit $?"
$netns memctl -j policy show $cg >"$TMP/out" 2>"$TMP/err" || fail "policy show from another netns"
grep -q '"high":67108864' "$TMP/out" || fail "policy show: $(cat "$TMP/out")"
memctl -j policy show $cg | grep -q '"high":67108864' || fail "the host does not see the policy"
$netns memctl -j stats $cg >"$TMP/out" 2>"$TMP/err" || fail "stats from another netns"
grep -q '"usage"' "$TMP/out" || fail "stats: $(cat "$TMP/out")"
$netns memctl -j reclaim $cg 1M >"$TMP/out" 2>"$TMP/err" ||
	fail "one-shot reclaim from another netns: exit $?"
grep -q '"stop"' "$TMP/out" || fail "reclaim answer: $(cat "$TMP/out")"

# Events reach a subscriber in another netns: change the policy from the
# host until the monitor shows the change (it subscribes at some point).
$netns memctl -j monitor >"$TMP/mon.json" 2>"$TMP/mon.err" &
mon_pid=$!
i=0
seen=0
while [ $i -lt 120 ]; do
	kill -0 $mon_pid 2>/dev/null || fail "the monitor in another netns exited: $(cat "$TMP/mon.err")"
	memctl policy set $cg high $((64 + i))M target 32M
	if grep -q "\"cgroup\":\"$cg\"" "$TMP/mon.json"; then
		seen=1
		break
	fi
	i=$((i + 1))
	sleep 0.5
done
[ $seen = 1 ] || fail "no event reached the monitor in another netns"
kill $mon_pid
wait $mon_pid 2>/dev/null || true
mon_pid=

# Root of a new user namespace: reads yes, changes no.
before=$(memctl -j policy show $cg)
$userns memctl -j policy show $cg >"$TMP/out" 2>"$TMP/err" ||
	fail "policy show as root of a user namespace: exit $?"
[ "$(cat "$TMP/out")" = "$before" ] || fail "a user namespace reads otherwise: $(cat "$TMP/out")"
rc=0
$userns memctl policy set $cg high 128M target 16M 2>"$TMP/err" || rc=$?
[ $rc = 1 ] || fail "policy set as root of a user namespace: exit $rc, want 1"
grep -q "CAP_SYS_ADMIN" "$TMP/err" || fail "the refusal does not name CAP_SYS_ADMIN"
rc=0
$userns memctl policy del $cg 2>"$TMP/err" || rc=$?
[ $rc = 1 ] || fail "policy del as root of a user namespace: exit $rc, want 1"
[ "$(memctl -j policy show $cg)" = "$before" ] || fail "a refused change changed the policy"

$netns memctl policy del $cg 2>"$TMP/err" || fail "policy del from another netns"
rc=0
memctl policy show $cg >/dev/null 2>&1 || rc=$?
[ $rc = 1 ] || fail "the policy is still there after its deletion"
echo "netns: ok"
