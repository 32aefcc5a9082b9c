#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves (issue 14): events follow the rule POLICY_GET follows.  Two
# `memctl -j monitor`s in a cgroup namespace rooted at /memctl-evns/a/c, one
# as root and one as uid 65534, get the events of /memctl-evns/a/c/d only
# (policy created, one-shot reclaim, policy deleted), each naming it "/d"
# with its id, and nothing of /memctl-evns/b.  Two host monitors, root and
# uid 65534, get the events of both cgroups with their full paths.  Tier
# events, about no cgroup, reach all four.
set -eu

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
for t in memctl setpriv unshare fmtcheck; do
	command -v $t >/dev/null || { echo "SKIP: no $t"; exit 4; }
done
memctl info >/dev/null 2>&1 || { echo "SKIP: the memctl module is not loaded"; exit 4; }

CG=/sys/fs/cgroup
h=/memctl-evns
TMP=$(mktemp -d /tmp/memctl-evns.XXXXXX)
mons="host-root host-nobody ns-root ns-nobody"
host_pids=
made_tier=0
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"

fail() {
	echo "FAIL: $*" >&2
	for m in $mons; do
		[ -s "$TMP/$m.json" ] && sed "s/^/  $m: /" "$TMP/$m.json" >&2
	done
	exit 1
}

cleanup() {
	for p in $host_pids; do kill "$p" 2>/dev/null || true; done
	if [ -r "$CG$h/a/c/mon/cgroup.procs" ]; then
		for p in $(cat "$CG$h/a/c/mon/cgroup.procs"); do kill "$p" 2>/dev/null || true; done
	fi
	for c in b a/c/d a/c/sync a/c/end; do
		memctl policy del "$h/$c" >/dev/null 2>&1 || true
	done
	[ $made_tier = 1 ] && memctl tier del >/dev/null 2>&1 || true
	for d in a/c/mon a/c a; do
		[ -d "$CG$h/$d" ] || continue
		i=0
		while [ -n "$(cat "$CG$h/$d/cgroup.procs")" ] && [ $i -lt 50 ]; do
			for p in $(cat "$CG$h/$d/cgroup.procs"); do
				echo "$p" >$CG/cgroup.procs 2>/dev/null || true
			done
			i=$((i + 1))
			sleep 0.1
		done
	done
	for d in a/c/mon a/c/d a/c/sync a/c/end a/c a b ""; do
		rmdir "$CG$h/$d" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# wait_for MONITOR PATTERN: until a line of MONITOR's JSON matches
wait_for() {
	i=0
	while ! grep -q "$2" "$TMP/$1.json"; do
		i=$((i + 1))
		[ $i -le 300 ] || fail "$1 got no event matching $2"
		sleep 0.1
	done
}

mkdir -p "$CG$h"
echo +memory >"$CG$h/cgroup.subtree_control"
mkdir -p "$CG$h/a" "$CG$h/b"
echo +memory >"$CG$h/a/cgroup.subtree_control"
mkdir -p "$CG$h/a/c/mon" "$CG$h/a/c/d" "$CG$h/a/c/sync" "$CG$h/a/c/end"

# The namespace: its shell enters /a/c, unshares, then moves to /a/c/mon
# (so that /a/c can enable the memory controller for /a/c/d: no processes
# in inner cgroups) and starts both monitors there.
cat >"$TMP/ns.sh" <<EOF
echo \$\$ >$CG$h/a/c/mon/cgroup.procs || exit 1
cat /proc/self/cgroup >$TMP/ns.self
memctl -j monitor >$TMP/ns-root.json 2>$TMP/ns-root.err &
$nobody memctl -j monitor >$TMP/ns-nobody.json 2>$TMP/ns-nobody.err &
wait
EOF
: >"$TMP/ns-root.json"
: >"$TMP/ns-nobody.json"
sh -c 'echo $$ >'"$CG$h"'/a/c/cgroup.procs && exec unshare -C sh '"$TMP/ns.sh" &
memctl -j monitor >"$TMP/host-root.json" 2>"$TMP/host-root.err" &
host_pids="$host_pids $!"
$nobody memctl -j monitor >"$TMP/host-nobody.json" 2>"$TMP/host-nobody.err" &
host_pids="$host_pids $!"

i=0
until [ -z "$(cat "$CG$h/a/c/cgroup.procs")" ] &&
      [ "$(wc -l <"$CG$h/a/c/mon/cgroup.procs")" -ge 3 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the namespace's monitors did not start"
	sleep 0.1
done
echo +memory >"$CG$h/a/c/cgroup.subtree_control"
grep -qx '0::/mon' "$TMP/ns.self" ||
	fail "the monitors' namespace is not rooted at $h/a/c: $(cat "$TMP/ns.self")"

# All four are subscribed once an event reaches all four.  Each scenario
# starts after its monitor's line for the one deletion that follows.
i=0
while :; do
	memctl policy set "$h/a/c/sync" high 1G target 512M
	all=1
	for m in $mons; do
		grep -q '"cgroup":"[^"]*/sync"' "$TMP/$m.json" || all=0
	done
	[ $all = 0 ] || break
	i=$((i + 1))
	[ $i -lt 50 ] || fail "the monitors never saw an event"
	sleep 0.2
done
memctl policy del "$h/a/c/sync"
for m in $mons; do
	wait_for $m '"action":"deleted","cgroup":"[^"]*/sync"'
	wc -l <"$TMP/$m.json" >"$TMP/$m.start"
done

# ---- the scenario; want-host and want-ns: EVENT ACTION CGROUP, sorted
: >"$TMP/want-host"
: >"$TMP/want-ns"
expect() {	# expect EVENT ACTION HOST-PATH NS-PATH|-
	echo "$1 $2 $3" >>"$TMP/want-host"
	[ "$4" = - ] || echo "$1 $2 $4" >>"$TMP/want-ns"
}

memctl policy set "$h/b" high 64M target 32M
expect policy created "$h/b" -
memctl policy set "$h/a/c/d" high 64M target 32M
expect policy created "$h/a/c/d" /d
if memctl reclaim "$h/b" 1M >/dev/null 2>"$TMP/err"; then
	expect reclaim oneshot "$h/b" -
	memctl reclaim "$h/a/c/d" 1M >/dev/null
	expect reclaim oneshot "$h/a/c/d" /d
else
	echo "# one-shot reclaim refused here: $(cat "$TMP/err")"
fi
memctl policy del "$h/b"
expect policy deleted "$h/b" -
memctl policy del "$h/a/c/d"
expect policy deleted "$h/a/c/d" /d

if memctl -j info | grep -q '"tier"' && ! memctl tier show >/dev/null 2>&1; then
	memctl tier set size 8M
	made_tier=1
	expect tier created null null
	memctl tier del
	made_tier=0
	expect tier deleted null null
fi

# The end: every monitor has every event of the host's scenario by then
# (the host monitors' wait), and no event sent before it is still on its
# way to a namespace monitor (each event is queued to every subscriber
# before the command that caused it returns).
for m in host-root host-nobody; do
	while read -r ev act cg; do
		[ "$cg" = null ] && cg=null || cg="\"$cg\""
		wait_for $m "\"event\":\"$ev\",\"action\":\"$act\",\"cgroup\":$cg"
	done <"$TMP/want-host"
done
memctl policy set "$h/a/c/end" high 64M target 32M
memctl policy del "$h/a/c/end"
expect policy created "$h/a/c/end" /end
expect policy deleted "$h/a/c/end" /end
for m in $mons; do
	wait_for $m '"action":"deleted","cgroup":"[^"]*/end"'
done

for m in $mons; do
	if [ -s "$TMP/$m.err" ]; then
		fail "$m said: $(cat "$TMP/$m.err")"
	fi
	tail -n +"$(($(cat "$TMP/$m.start") + 1))" "$TMP/$m.json" >"$TMP/$m.got.json"
	fmtcheck json -l .time:string .event:string .action:string \
		'.cgroup:string|null' '.id:integer|null' <"$TMP/$m.got.json" ||
		fail "$m: lines"
	fmtcheck json -l -p .event -p .action -p .cgroup <"$TMP/$m.got.json" |
		tr '\t' ' ' | sort >"$TMP/$m.got"
done

# ---- the namespace: /d as "/d", nothing of b nor any host path
for m in ns-root ns-nobody; do
	if grep -q '"cgroup":"[^"]*/b"' "$TMP/$m.json"; then
		fail "$m got an event of $h/b, outside its cgroup namespace: $(grep '"cgroup":"[^"]*/b"' "$TMP/$m.json" | head -n 1)"
	fi
	if grep -q "\"cgroup\":\"$h\|\"cgroup\":\"/\.\." "$TMP/$m.json"; then
		fail "$m got a path from outside its namespace root: $(grep "\"cgroup\":\"$h\|\"cgroup\":\"/\.\." "$TMP/$m.json" | head -n 1)"
	fi
	sort "$TMP/want-ns" | cmp -s - "$TMP/$m.got" || {
		echo "want:" >&2; sort "$TMP/want-ns" >&2
		echo "got:" >&2; cat "$TMP/$m.got" >&2
		fail "$m: not the namespace's events"
	}
	idd=$(stat -c %i "$CG$h/a/c/d")
	grep '"cgroup":"/d"' "$TMP/$m.got.json" | fmtcheck json -l -p .id | sort -u >"$TMP/$m.ids"
	[ "$(cat "$TMP/$m.ids")" = "$idd" ] ||
		fail "$m: /d's events carry ids $(cat "$TMP/$m.ids"), not $idd"
	echo "ok: $m got /d's events as /d and nothing of $h/b"
done

# ---- the host: both, with full paths
for m in host-root host-nobody; do
	sort "$TMP/want-host" | cmp -s - "$TMP/$m.got" || {
		echo "want:" >&2; sort "$TMP/want-host" >&2
		echo "got:" >&2; cat "$TMP/$m.got" >&2
		fail "$m: not the host's events"
	}
	echo "ok: $m got the events of $h/b and $h/a/c/d with full paths"
done
echo "events_namespace: ok"
