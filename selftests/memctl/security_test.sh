#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves (issue 8, item 6): an unprivileged user (uid 65534) and root inside
# a user namespace (unshare -U -r) cannot change anything through memctl:
# policy set/del, reclaim, tier set/del all exit 1 naming CAP_SYS_ADMIN, and
# the policy table and the tier are unchanged after.  And a reader inside a
# cgroup namespace rooted at /sec/a sees only the policies at or below
# /sec/a, with paths relative to its namespace root, and cannot name /sec/b
# by path (/../b) nor by id.
set -eu

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
command -v memctl >/dev/null || { echo "SKIP: no memctl"; exit 4; }
memctl info >/dev/null 2>&1 || { echo "SKIP: the memctl module is not loaded"; exit 4; }
for t in setpriv unshare; do
	command -v $t >/dev/null || { echo "SKIP: no $t"; exit 4; }
done

CG=/sys/fs/cgroup
TMP=$(mktemp -d)
made_tier=0
holder=

cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null || true
	for c in /sec/a/c /sec/a /sec/b; do
		memctl policy del $c >/dev/null 2>&1 || true
	done
	[ $made_tier = 1 ] && memctl tier del >/dev/null 2>&1 || true
	for d in a/c a b; do
		[ -d $CG/sec/$d ] || continue
		while read -r p; do echo "$p" >$CG/cgroup.procs 2>/dev/null || true; done <$CG/sec/$d/cgroup.procs
	done
	rmdir $CG/sec/a/c $CG/sec/a $CG/sec/b $CG/sec 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; exit 1; }

mkdir -p $CG/sec
echo +memory >$CG/sec/cgroup.subtree_control
mkdir -p $CG/sec/a/c $CG/sec/b
# A reader in a cgroup namespace rooted at /sec/a: it enters /sec/a,
# unshares, moves to /sec/a/c (so that /sec/a can enable the memory
# controller for its children: no processes in inner cgroups), waits for
# the policies to exist, then reads.  Its results are checked further down.
idb=$(stat -c %i $CG/sec/b)
idsec=$(stat -c %i $CG/sec)
cat >"$TMP/reader.sh" <<EOF
echo \$\$ >$CG/sec/a/c/cgroup.procs || exit 1
while [ ! -e $TMP/go ]; do sleep 0.1; done
cat /proc/self/cgroup >$TMP/self
memctl -j policy show >$TMP/nspol 2>&1
i=0
for n in /../b id:$idb id:$idsec /b; do
	i=\$((i + 1))
	memctl policy show \$n >$TMP/show\$i 2>&1 && echo 0 >$TMP/rc\$i || echo \$? >$TMP/rc\$i
done
memctl -j stats >$TMP/nsstats 2>&1 || true
touch $TMP/done
EOF
sh -c 'echo $$ >'$CG'/sec/a/cgroup.procs && exec unshare -C sh '"$TMP/reader.sh" &
holder=$!
i=0
until [ -z "$(cat $CG/sec/a/cgroup.procs)" ] && [ -n "$(cat $CG/sec/a/c/cgroup.procs)" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the namespace reader did not start"
	sleep 0.1
done
echo +memory >$CG/sec/a/cgroup.subtree_control
memctl policy set /sec/a high 64M target 32M
memctl policy set /sec/a/c high 32M target 16M
memctl policy set /sec/b high 64M target 32M
if ! memctl tier show >/dev/null 2>&1; then
	memctl tier set size 8M
	made_tier=1
fi

memctl -j policy show >"$TMP/pol0"
memctl -j tier show | sed 's/"loads":[0-9]*//; s/"stores":[0-9]*//' >"$TMP/tier0"

# Every state-changing command, refused for each kind of caller.
check_refused() {
	who=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then
		fail "$who: '$*' succeeded"
	else
		rc=$?
	fi
	[ $rc = 1 ] || fail "$who: '$*' exited $rc, not 1: $(cat "$TMP/out")"
	grep -q CAP_SYS_ADMIN "$TMP/out" ||
		fail "$who: '$*' did not name CAP_SYS_ADMIN: $(cat "$TMP/out")"
}

for who in unpriv userns; do
	case $who in
	unpriv) run="setpriv --reuid=65534 --regid=65534 --clear-groups" ;;
	userns) run="unshare -U -r" ;;
	esac
	# The caller can read (the CLI works), but not write.
	$run memctl -j policy show >/dev/null || fail "$who: cannot read policies"
	check_refused $who $run memctl policy set /sec/a high 128M target 64M
	check_refused $who $run memctl policy set /sec/b/../a high 128M target 64M
	check_refused $who $run memctl policy set /sec high 128M target 64M
	check_refused $who $run memctl policy del /sec/a
	check_refused $who $run memctl policy del /sec/b
	check_refused $who $run memctl reclaim /sec/a 1M
	check_refused $who $run memctl reclaim /sec/b 1M classes all
	check_refused $who $run memctl tier set size 4M
	check_refused $who $run memctl tier del
	echo "ok: $who refused policy set/del, reclaim, tier set/del"
done

memctl -j policy show >"$TMP/pol1"
memctl -j tier show | sed 's/"loads":[0-9]*//; s/"stores":[0-9]*//' >"$TMP/tier1"
cmp -s "$TMP/pol0" "$TMP/pol1" || fail "the policies changed: $(cat "$TMP/pol0") -> $(cat "$TMP/pol1")"
cmp -s "$TMP/tier0" "$TMP/tier1" || fail "the tier changed: $(cat "$TMP/tier0") -> $(cat "$TMP/tier1")"
echo "ok: policies and tier unchanged"

# The reader in the cgroup namespace rooted at /sec/a.
touch "$TMP/go"
i=0
until [ -e "$TMP/done" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the namespace reader did not finish"
	sleep 0.1
done
grep -qx '0::/c' "$TMP/self" || fail "the reader's namespace is not rooted at /sec/a: $(cat "$TMP/self")"
grep -q '"/"' "$TMP/nspol" || fail "namespace root /sec/a not shown as /: $(cat "$TMP/nspol")"
grep -q '"/c"' "$TMP/nspol" || fail "/sec/a/c not shown as /c: $(cat "$TMP/nspol")"
if grep -q '/b"\|/sec\|"/\.\.' "$TMP/nspol"; then
	fail "a cgroup outside the namespace is visible: $(cat "$TMP/nspol")"
fi
n=$(grep -o '"id"' "$TMP/nspol" | wc -l)
[ "$n" = 2 ] || fail "expected 2 policies in the namespace, saw $n: $(cat "$TMP/nspol")"
echo "ok: the namespace sees / and /c only"
i=0
for name in /../b id:$idb id:$idsec /b; do
	i=$((i + 1))
	# The CLI refuses /../b itself (64, usage) before the kernel sees it.
	rc=$(cat "$TMP/rc$i")
	[ "$rc" = 1 ] || { [ "$name" = /../b ] && [ "$rc" = 64 ]; } ||
		fail "policy show $name from the namespace exited $(cat "$TMP/rc$i"): $(cat "$TMP/show$i")"
	echo "ok: policy show $name refused in the namespace: $(head -n 1 "$TMP/show$i")"
done
if grep -q '/b"\|/sec' "$TMP/nsstats"; then
	fail "stats show a cgroup outside the namespace: $(cat "$TMP/nsstats")"
fi
echo "ok: stats show nothing outside the namespace"
exit 0
