#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves the CLI's side of mode auto against the real module: `policy set
# mode auto` without marks is taken and shown as the kernel has it (mode
# "auto", min in bytes, high and target null, pressure the auto default,
# anon among the classes with tier on where this kernel reclaims it); a
# threshold policy shows mode "threshold" and min null; `memctl stats`
# gives the auto policy its "auto" object and the threshold one null, in
# the JSON, the text, the table and Prometheus; the totals sum them; the
# rules are refused with the CLI's one line and exit 64, changing nothing;
# `memctl apply` with the same line twice changes nothing the second time.
set -eu

top=/sys/fs/cgroup/memctl-auto-cli
cg=/memctl-auto-cli
tmp=/tmp/memctl-auto-cli
GiB=1073741824

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	memctl policy del "$cg/a" >/dev/null 2>&1 || true
	memctl policy del "$cg/t" >/dev/null 2>&1 || true
	rmdir "$top/a" "$top/t" 2>/dev/null || true
	rmdir "$top" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# run EXPECTED_STATUS COMMAND...: output in $tmp/out, $tmp/err
run() {
	want=$1
	shift
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" -eq "$want" ] ||
		fail "'$*' exited $rc, want $want; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
}

[ -r /sys/fs/cgroup/memory.pressure ] || {
	echo "SKIP: no PSI (mode auto needs it)"
	exit 4
}
mkdir -p "$tmp" "$top"
echo +memory >"$top/cgroup.subtree_control"
mkdir -p "$top/a" "$top/t"

run 0 memctl policy set "$cg/a" mode auto min 1G tier on
run 0 memctl policy set "$cg/t" high 2G target 1G
run 0 memctl -j policy show "$cg/a"
grep -q '^\[{"cgroup":"'"$cg"'/a","id":[0-9]*,"high":null,"target":null,' "$tmp/out" ||
	fail "auto policy's marks: $(cat "$tmp/out")"
grep -q '"pressure_us":1000,"tier":true,"tier_max":0,"mode":"auto","min":'$GiB'}\]$' "$tmp/out" ||
	fail "auto policy: $(cat "$tmp/out")"
if memctl -j info | grep -q '"classes":\[[^]]*"anon"'; then
	grep -q '"classes":\["slab","file","anon"\]' "$tmp/out" ||
		fail "tier on, no classes: $(cat "$tmp/out")"
fi
run 0 memctl -j policy show "$cg/t"
grep -q '"high":2147483648,"target":1073741824,.*"mode":"threshold","min":null}\]$' "$tmp/out" ||
	fail "threshold policy: $(cat "$tmp/out")"
run 0 memctl policy show
grep -q "^CGROUP .* MODE  *MIN$" "$tmp/out" || fail "policy table: $(cat "$tmp/out")"
grep -q "^$cg/a .* auto  *1G$" "$tmp/out" || fail "policy table: $(cat "$tmp/out")"

# the statistics
run 0 memctl -j stats "$cg/a"
grep -q ',"auto":{"working_set":[0-9]*,"saved":[0-9]*}}\]$' "$tmp/out" ||
	fail "auto stats: $(cat "$tmp/out")"
run 0 memctl -j stats "$cg/t"
grep -q ',"auto":null}\]$' "$tmp/out" || fail "threshold stats: $(cat "$tmp/out")"
run 0 memctl stats "$cg/a"
grep -q "^auto working set  " "$tmp/out" || fail "auto text: $(cat "$tmp/out")"
run 0 memctl stats "$cg/t"
grep -q "^auto" "$tmp/out" && fail "threshold text: $(cat "$tmp/out")"
run 0 memctl stats
grep -q "^CGROUP .* AUTO-WSET  AUTO-SAVED$" "$tmp/out" || fail "table: $(cat "$tmp/out")"
grep -q "^$cg/t .*  -  *-$" "$tmp/out" || fail "table's threshold row: $(cat "$tmp/out")"
run 0 memctl -j stats --totals
grep -q '"auto":{"working_set":[0-9]*,"saved":[0-9]*}},"tier"' "$tmp/out" ||
	fail "totals: $(cat "$tmp/out")"
run 0 memctl stats --prometheus
grep -q "^memctl_auto_working_set_bytes{cgroup=\"$cg/a\",id=\"[0-9]*\"} [0-9]*$" "$tmp/out" ||
	fail "no auto sample: $(grep memctl_auto "$tmp/out")"
grep -q "^memctl_auto_saved_bytes{cgroup=\"$cg/t\"" "$tmp/out" &&
	fail "an auto sample for the threshold policy"

# refused before the kernel is asked: nothing changes
before=$(memctl -j policy show "$cg/a")
run 64 memctl policy set "$cg/a" mode auto high 2G
grep -qx "memctl: policy set: mode auto takes high and target together or neither (see 'memctl policy set --help')" "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"
run 64 memctl policy set "$cg/a" high 2G target 1G min 512M
run 64 memctl policy set "$cg/a" mode auto pressure 0
[ "$(memctl -j policy show "$cg/a")" = "$before" ] || fail "a refusal changed the policy"

# apply: the kernel's defaults of mode auto are the file's
printf '%s mode auto min 1G tier on\n%s high 2G target 1G\n' "$cg/a" "$cg/t" >"$tmp/p.conf"
run 0 memctl apply "$tmp/p.conf"
grep -qx "0 created, 0 changed, 2 unchanged, 0 skipped, 0 deleted" "$tmp/out" ||
	fail "apply: $(cat "$tmp/out")"
printf '%s mode auto min 512M tier on\n' "$cg/a" >"$tmp/p.conf"
run 0 memctl apply "$tmp/p.conf"
grep -q "^changed  *$cg/a  *1  *min 1G -> 512M$" "$tmp/out" || fail "apply: $(cat "$tmp/out")"
memctl -j policy show "$cg/a" | grep -q '"min":536870912' || fail "apply did not set min"
echo "ok"
