#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves `memctl apply` against the real module: a good file creates,
# changes and keeps policies so that the table matches it (and a second run
# changes nothing); an 'optional' line waits for its cgroup; a bad file is
# refused with every bad line number and exit 65, applying nothing; a line
# naming a missing cgroup without 'optional' is refused the same way;
# --dry-run reports and changes nothing; when the kernel refuses a later
# line (a cgroup whose memory controller is off) the changes already made
# are undone (exit 1) and the table is as before; --prune deletes the
# policies the file does not name; without CAP_SYS_ADMIN it changes nothing.
set -eu

# This scenario reclaims page cache: where the file class has no route
# (6.1 with every non-exported symbol refused, a -nosyms suite: its
# memory.reclaim has no swappiness= key), memctl refuses it, and says why.
need-file-route || exit $?

top=/sys/fs/cgroup/memctl-apply-test
cg=/memctl-apply-test
tmp=/tmp/memctl-apply-test
MiB=1048576

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	for c in c1 c2 c3 c3/sub later; do
		memctl policy del "$cg/$c" >/dev/null 2>&1 || true
	done
	rmdir "$top/c3/sub" "$top/c1" "$top/c2" "$top/c3" "$top/later" \
		2>/dev/null || true
	rmdir "$top" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# The high mark of CGROUP's policy in bytes, or "none".
high_of() {
	memctl -j policy show "$1" 2>/dev/null |
		sed -n 's/.*"high":\([0-9]*\).*/\1/p' | grep . || echo none
}

table() {
	memctl -j policy show
}

# run EXPECTED_STATUS COMMAND...: output in $tmp/out, $tmp/err
run() {
	want=$1
	shift
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" -eq "$want" ] ||
		fail "'$*' exited $rc, want $want; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
}

mkdir -p "$tmp" "$top"
echo +memory >"$top/cgroup.subtree_control"
mkdir -p "$top/c1" "$top/c2" "$top/c3" "$top/c3/sub"
# c3 does not pass the memory controller on: c3/sub has none
memctl policy set "$cg/c1" high 64M target 32M

# 1. A good file: c1 changed, c2 created, an optional line skipped.
cat >"$tmp/good.conf" <<CONF
# test policies
$cg/c1  high 128M target 96M classes slab,file \\
        pressure 20000

$cg/c2  high 64M target 48M classes all slab-first 5 interval 500ms
$cg/later  optional  high 64M target 32M   # appears later
CONF
run 0 memctl apply "$tmp/good.conf"
grep -q "^changed  *$cg/c1  *2  *high 64M -> 128M, target 32M -> 96M, pressure 0us -> 20000us" "$tmp/out" ||
	fail "no 'changed' row for c1: $(cat "$tmp/out")"
grep -q "^created  *$cg/c2 " "$tmp/out" || fail "no 'created' row for c2"
grep -q "^skipped  *$cg/later " "$tmp/out" || fail "no 'skipped' row"
grep -qx "1 created, 1 changed, 0 unchanged, 1 skipped, 0 deleted" "$tmp/out" ||
	fail "summary: $(tail -n 1 "$tmp/out")"
[ "$(high_of "$cg/c1")" = $((128 * MiB)) ] || fail "c1's high is $(high_of "$cg/c1")"
memctl -j policy show "$cg/c1" | grep -q '"target":'$((96 * MiB))',"interval_ms":1000,"classes":\["slab","file"\],"slab_first":10,"pressure_us":20000,"tier":null' ||
	fail "c1's policy: $(memctl -j policy show "$cg/c1")"
memctl -j policy show "$cg/c2" | grep -q '"high":'$((64 * MiB))',"target":'$((48 * MiB))',"interval_ms":500,"classes":\["slab","file","anon"\],"slab_first":5,' ||
	fail "c2's policy: $(memctl -j policy show "$cg/c2")"
[ "$(high_of "$cg/later")" = none ] || fail "a policy for a missing cgroup"

# Applied again: nothing changes.
run 0 memctl -j apply "$tmp/good.conf"
grep -q '"created":0,"changed":0,"unchanged":2,"skipped":1,"deleted":0' "$tmp/out" ||
	fail "second run: $(cat "$tmp/out")"
run 0 memctl apply --quiet "$tmp/good.conf"
[ ! -s "$tmp/out" ] || fail "--quiet printed: $(cat "$tmp/out")"

# The optional cgroup appears: the next run creates its policy.
mkdir "$top/later"
run 0 memctl apply --quiet "$tmp/good.conf"
grep -q "^created  *$cg/later " "$tmp/out" || fail "later: $(cat "$tmp/out")"
[ "$(high_of "$cg/later")" = $((64 * MiB)) ] || fail "later has no policy"
before=$(table)

# 2. A bad file: every bad line is reported, nothing is applied.
cat >"$tmp/bad.conf" <<CONF
$cg/c1 high 256M target 96M
$cg/c2 high 64M
# a comment
$cg/c3 high 64M target 128M
$cg/c3 high 64M target 32M colour blue
$cg/c1 high 32M target 16M
CONF
run 65 memctl apply "$tmp/bad.conf"
for l in 2 4 5 6; do
	grep -q "^$tmp/bad.conf:$l: " "$tmp/err" || fail "line $l not reported: $(cat "$tmp/err")"
done
for l in 1 3; do
	! grep -q "^$tmp/bad.conf:$l: " "$tmp/err" || fail "good line $l reported"
done
grep -q "^memctl: apply: 4 errors in $tmp/bad.conf; nothing was changed$" "$tmp/err" ||
	fail "no summary: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "a refused file printed on stdout"
[ "$(table)" = "$before" ] || fail "a bad file changed the table"

# A missing cgroup on a line that is not optional is an error of the file.
printf '%s\n' "$cg/c1 high 256M target 96M" "$cg/nothere high 64M target 32M" >"$tmp/missing.conf"
run 65 memctl apply "$tmp/missing.conf"
grep -q "^$tmp/missing.conf:2: cgroup $cg/nothere does not exist" "$tmp/err" ||
	fail "missing cgroup: $(cat "$tmp/err")"
[ "$(table)" = "$before" ] || fail "a file with a missing cgroup changed the table"

# 3. --dry-run says what would change and changes nothing.
printf '%s\n' "$cg/c1 high 256M target 96M" "$cg/c3 high 64M target 32M" >"$tmp/next.conf"
run 0 memctl apply --dry-run "$tmp/next.conf"
grep -q "^change  *$cg/c1 .*high 128M -> 256M" "$tmp/out" || fail "dry run: $(cat "$tmp/out")"
grep -q "^create  *$cg/c3 " "$tmp/out" || fail "dry run: $(cat "$tmp/out")"
grep -q "^dry run, nothing changed: 1 to create, 1 to change" "$tmp/out" ||
	fail "dry run summary: $(cat "$tmp/out")"
[ "$(table)" = "$before" ] || fail "--dry-run changed the table"

# 4. All or nothing: the kernel refuses the last line (no memory controller
# in c3/sub) after c1 was changed and c3 created; both are undone.
printf '%s\n' "$cg/c1 high 256M target 96M" "$cg/c3 high 64M target 32M" \
	"$cg/c3/sub high 64M target 32M" >"$tmp/refused.conf"
run 1 memctl apply "$tmp/refused.conf"
grep -q "^memctl: apply: $tmp/refused.conf:3: policy create $cg/c3/sub: .*memory controller" "$tmp/err" ||
	fail "refusal: $(cat "$tmp/err")"
grep -q "^memctl: apply: nothing was changed (2 changes undone)$" "$tmp/err" ||
	fail "no undo line: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "a refused apply printed on stdout"
[ "$(table)" = "$before" ] || fail "the table differs after the undo: $(table)"
[ "$(high_of "$cg/c3")" = none ] || fail "c3's policy survived the undo"

# 5. Without CAP_SYS_ADMIN: the dry run works, the apply changes nothing.
if command -v setpriv >/dev/null 2>&1; then
	run 0 setpriv --reuid=65534 --regid=65534 --clear-groups memctl apply --dry-run "$tmp/next.conf"
	run 1 setpriv --reuid=65534 --regid=65534 --clear-groups memctl apply "$tmp/next.conf"
	grep -q "Operation not permitted" "$tmp/err" || fail "not root: $(cat "$tmp/err")"
	[ "$(table)" = "$before" ] || fail "an unprivileged apply changed the table"
else
	echo "# no setpriv: the unprivileged case is not tested"
fi

# 6. --prune deletes the policies the file does not name (and only with it).
printf '%s\n' "$cg/c1 high 128M target 96M classes slab,file pressure 20000" >"$tmp/prune.conf"
run 0 memctl apply "$tmp/prune.conf"
[ "$(high_of "$cg/c2")" != none ] || fail "without --prune, c2 lost its policy"
run 0 memctl apply --prune "$tmp/prune.conf"
grep -q "^deleted  *$cg/c2 " "$tmp/out" || fail "prune: $(cat "$tmp/out")"
grep -q "^deleted  *$cg/later " "$tmp/out" || fail "prune: $(cat "$tmp/out")"
[ "$(high_of "$cg/c2")" = none ] || fail "--prune left c2's policy"
[ "$(high_of "$cg/c1")" = $((128 * MiB)) ] || fail "--prune touched c1"

echo "apply: ok"
