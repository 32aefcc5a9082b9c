#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that `memctl monitor` shows every event of a scripted scenario, in
# the order it happened, each as soon as it happens (the scenario waits for
# each line before it goes on): policy created, changed, deleted; a one-shot
# reclaim; a cgroup removed under its policy; a reclaim episode that the
# policy itself starts (page cache above high), with the bytes freed per
# class; the tier created and deleted when the module has a tier.  With -j
# every line is one strict JSON object with an ISO 8601 "time" and the
# documented keys; without, every line starts with the same time stamp.
# Both monitors exit 0 on SIGINT and SIGTERM.
set -eu

# This scenario reclaims page cache: where the file class has no route
# (6.1 with every non-exported symbol refused, a -nosyms suite: its
# memory.reclaim has no swappiness= key), memctl refuses it, and says why.
need-file-route || exit $?

top=/sys/fs/cgroup/memctl-mon-test
cg=/memctl-mon-test
tmp=$(mktemp -d /tmp/memctl-mon.XXXXXX)
json_pid=
text_pid=
made_tier=0

fail() {
	echo "FAIL: $*" >&2
	[ -s "$tmp/mon.json" ] && sed 's/^/  json: /' "$tmp/mon.json" >&2
	exit 1
}

cleanup() {
	for pid in $json_pid $text_pid; do kill "$pid" 2>/dev/null || true; done
	for p in sync c d; do memctl policy del "$cg/$p" 2>/dev/null || true; done
	[ "$made_tier" = 1 ] && memctl tier del 2>/dev/null || true
	rm -f /mnt/scratch/memctl-mon.dat
	for d in sync c d; do rmdir "$top/$d" 2>/dev/null || true; done
	rmdir "$top" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

command -v fmtcheck >/dev/null || fail "fmtcheck is not built (make selftests)"

# wait_for PATTERN [SECONDS [FILE]]: until a line of FILE (the JSON
# stream) matches
wait_for() {
	i=0
	while ! grep -q "$1" "${3:-$tmp/mon.json}"; do
		i=$((i + 1))
		[ $i -le $((${2:-10} * 10)) ] || fail "no event matching $1 in ${3:-$tmp/mon.json}"
		sleep 0.1
	done
}

# lines_since FILE N: how many lines FILE has past its first N
lines_since() {
	echo $(($(wc -l <"$1") - $2))
}

mkdir -p "$top/sync" "$top/c" "$top/d"
echo +memory >"$top/cgroup.subtree_control"

memctl -j monitor >"$tmp/mon.json" 2>"$tmp/mon.err" &
json_pid=$!
memctl monitor >"$tmp/mon.txt" 2>"$tmp/mon.txt.err" &
text_pid=$!

# Both are subscribed once an event reaches both.
i=0
while :; do
	memctl policy set "$cg/sync" high 1G target 512M
	if grep -q "\"cgroup\":\"$cg/sync\"" "$tmp/mon.json" &&
	   grep -q " $cg/sync " "$tmp/mon.txt"; then
		break
	fi
	i=$((i + 1))
	[ $i -lt 50 ] || fail "the monitors never saw an event"
	sleep 0.2
done
memctl policy del "$cg/sync"
wait_for "\"action\":\"deleted\",\"cgroup\":\"$cg/sync\""
# The text monitor may have subscribed an event later than the JSON one:
# each stream's scenario starts after its own line for this deletion.
wait_for " policy deleted $cg/sync " 10 "$tmp/mon.txt"
start=$(wc -l <"$tmp/mon.json")
tstart=$(wc -l <"$tmp/mon.txt")

# ---- the scenario; expected lines: EVENT ACTION CGROUP
: >"$tmp/want"
expect() { echo "$*" >>"$tmp/want"; }

memctl policy set "$cg/c" high 64M target 32M
expect policy created "$cg/c"
wait_for "\"created\",\"cgroup\":\"$cg/c\""
memctl policy set "$cg/c" high 128M target 32M interval 2s
expect policy changed "$cg/c"
wait_for "\"changed\",\"cgroup\":\"$cg/c\""
memctl policy del "$cg/c"
expect policy deleted "$cg/c"
wait_for "\"deleted\",\"cgroup\":\"$cg/c\""

memctl policy set "$cg/c" high 64M target 32M
expect policy created "$cg/c"
memctl reclaim "$cg/c" 1M >/dev/null
expect reclaim oneshot "$cg/c"
wait_for "\"event\":\"reclaim\",\"action\":\"oneshot\",\"cgroup\":\"$cg/c\""
rmdir "$top/c"
expect policy cgroup-removed "$cg/c"
wait_for "\"cgroup-removed\",\"cgroup\":\"$cg/c\"" 30

# Page cache above high: the policy's own episode, file pages freed.
sh -c "echo \$\$ >$top/d/cgroup.procs &&
       exec dd if=/dev/zero of=/mnt/scratch/memctl-mon.dat bs=1M count=16 2>/dev/null"
sync	# clean pages: reclaim takes them without writeback
memctl policy set "$cg/d" high 4M target 2M interval 100ms classes file
expect policy created "$cg/d"
expect reclaim policy "$cg/d"
wait_for "\"event\":\"reclaim\",\"action\":\"policy\",\"cgroup\":\"$cg/d\"" 30
memctl policy del "$cg/d"
expect policy deleted "$cg/d"
wait_for "\"deleted\",\"cgroup\":\"$cg/d\""

if memctl -j info | grep -q '"tier"'; then
	if memctl tier set size 16M 2>"$tmp/err"; then
		made_tier=1
		expect tier created null
		wait_for '"event":"tier","action":"created"'
		memctl tier del
		made_tier=0
		expect tier deleted null
		wait_for '"event":"tier","action":"deleted"'
	elif grep -q "File exists" "$tmp/err"; then
		echo "# a tier exists already: tier events not tested"
	else
		fail "tier set: $(cat "$tmp/err")"
	fi
fi

# The scenario waited for the JSON monitor only: give the text one (a
# separate socket and process) the time to print the same events before it
# is stopped, as a slow kernel (the debug one) may need.
i=0
while [ "$(lines_since "$tmp/mon.txt" "$tstart")" -lt "$(lines_since "$tmp/mon.json" "$start")" ]; do
	i=$((i + 1))
	[ $i -le 100 ] || break
	sleep 0.1
done

# ---- SIGINT for one, SIGTERM for the other: both exit 0
kill -INT "$json_pid"
rc=0
wait "$json_pid" || rc=$?
json_pid=
[ "$rc" = 0 ] || fail "memctl -j monitor exited $rc on SIGINT: $(cat "$tmp/mon.err")"
kill -TERM "$text_pid"
rc=0
wait "$text_pid" || rc=$?
text_pid=
[ "$rc" = 0 ] || fail "memctl monitor exited $rc on SIGTERM"
[ ! -s "$tmp/mon.err" ] || fail "monitor -j said: $(cat "$tmp/mon.err")"

# ---- every line: strict JSON with the documented keys
fmtcheck json -l .time:string .event:string .action:string \
	'.cgroup:string|null' '.id:integer|null' <"$tmp/mon.json" ||
	fail "monitor -j lines"
ts='[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}[+-][0-9][0-9]:[0-9][0-9]'
bad=$(grep -vc "^{\"time\":\"$ts\",\"event\":" "$tmp/mon.json" || true)
[ "$bad" = 0 ] || fail "$bad lines without an ISO 8601 time first"
grep '"event":"policy"' "$tmp/mon.json" | fmtcheck json -l .high:integer \
	.target:integer .interval_ms:integer .classes:array '.tier:bool|null' ||
	fail "policy events"
grep '"event":"reclaim"' "$tmp/mon.json" | fmtcheck json -l .freed.slab:integer \
	.freed.file:integer .freed.anon:integer .duration_ns:integer \
	.steps:integer .stop:string .usage_before:integer \
	.usage_after:integer .requested:integer || fail "reclaim events"
grep "\"action\":\"policy\",\"cgroup\":\"$cg/d\"" "$tmp/mon.json" | head -n 1 |
	fmtcheck json -p .freed.file >"$tmp/freed"
[ "$(cat "$tmp/freed")" -gt 0 ] || fail "the policy's episode freed no file pages"
if grep -q '"event":"tier"' "$tmp/mon.json"; then
	grep '"event":"tier"' "$tmp/mon.json" | fmtcheck json -l .device:string \
		.size:integer .algo:string || fail "tier events"
fi

# ---- in order: the scenario's lines after the sync, repeated episodes once
tail -n +"$((start + 1))" "$tmp/mon.json" |
	fmtcheck json -l -p .event -p .action -p .cgroup | tr '\t' ' ' |
	uniq >"$tmp/got"
if ! cmp -s "$tmp/want" "$tmp/got"; then
	echo "want:" >&2; cat "$tmp/want" >&2
	echo "got:" >&2; cat "$tmp/got" >&2
	fail "the events are not the scenario's, in order"
fi

# ---- the human lines: one per event, time stamp first, same order
[ "$(lines_since "$tmp/mon.txt" "$tstart")" -eq "$(lines_since "$tmp/mon.json" "$start")" ] ||
	fail "the text monitor missed events: $(cat "$tmp/mon.txt")"
bad=$(grep -vc "^$ts \(policy\|reclaim\|tier\) " "$tmp/mon.txt" || true)
[ "$bad" = 0 ] || fail "$bad text lines without a time stamp: $(cat "$tmp/mon.txt")"
grep -q "^$ts policy changed $cg/c id=[0-9]* high=128M target=32M interval=2s " "$tmp/mon.txt" ||
	fail "no 'policy changed' line: $(cat "$tmp/mon.txt")"
grep -q "^$ts reclaim oneshot $cg/c id=[0-9]* freed=[0-9.]*[KMG]* slab=.* file=.* anon=.* duration=.* steps=[0-9]* stop=[a-z-]* " "$tmp/mon.txt" ||
	fail "no 'reclaim oneshot' line: $(cat "$tmp/mon.txt")"
grep -q "^$ts policy cgroup-removed $cg/c id=" "$tmp/mon.txt" ||
	fail "no 'cgroup-removed' line"

echo "monitor: ok"
