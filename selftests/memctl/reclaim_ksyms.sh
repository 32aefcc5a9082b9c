#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that every reclaim class keeps a route when kernel symbols are
# missing or sealed.  memctl resolves non-exported functions only as a fast
# path: with one refused (ignore_ksyms), with none at all
# (ignore_ksyms=kallsyms_lookup_name), or with one whose ENDBR reads as
# sealed by IBT (seal_ksyms, the simulation of an IBT CPU), the module loads,
# says so in the log, and `memctl info` shows each class's route:
# "internal", "official", or "unavailable: REASON".  The official routes
# really reclaim: page cache through memory.reclaim, dentries and inodes
# through the superblocks' shrinkers.  Where a class has no safe route
# (file on 6.1, whose memory.reclaim has no swappiness= key), requests for
# it are refused with exit status 1 and the reason, and nothing is
# reclaimed.
set -eu

cg=/sys/fs/cgroup/memctl-ksyms-test
dir=/mnt/scratch/memctl-ksyms-test

# The -nosyms suites (tools/vm/run --module-args) load memctl with
# ignore_ksyms from /etc/modprobe.d, which every modprobe of this test would
# add to its own parameters: this test sets them itself, and runs in the
# suite without them.
if grep -qs '^options memctl.*ignore_ksyms' /etc/modprobe.d/*.conf; then
	echo "SKIP: memctl's parameters come from /etc/modprobe.d here (a -nosyms suite);" \
		"this test sets ignore_ksyms and seal_ksyms itself (vm-suite-K runs it)"
	exit 4
fi

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	rmdir "$cg" 2>/dev/null || true
	rm -rf "$dir"
	rmmod memctl 2>/dev/null || true
	modprobe memctl
}
trap cleanup EXIT

reload() {
	rmmod memctl
	dmesg -c >/dev/null
	modprobe memctl "$@"
}

field() {
	memctl info | sed -n "s/^$1  *//p"
}

stat_bytes() {
	sed -n "s/^$1 //p" "$cg/memory.stat"
}

# memory.reclaim has swappiness= from 6.12 on (Debian's kernels).
case $(uname -r) in
6.1.*) file_without_symbols=unavailable ;;
*) file_without_symbols=official ;;
esac

# Page cache and dentries/inodes charged to the cgroup.
fill() {
	mkdir -p "$dir/d"
	sh -c "echo \$\$ > $cg/cgroup.procs
	       dd if=/dev/zero of=$dir/f bs=1M count=32 conv=fsync 2>/dev/null
	       cat $dir/f > /dev/null
	       cd $dir/d && seq 1 20000 | xargs touch"
}

# Reclaim CLASS frees something of it, and nothing of anon.
reclaims() {
	local class=$1 key=$2 before after

	fill
	before=$(stat_bytes "$key")
	memctl -j reclaim /memctl-ksyms-test 8M classes "$class" >/tmp/out ||
		fail "$class reclaim refused: $(cat /tmp/out)"
	grep -q "\"$class\":[1-9]" /tmp/out || fail "$class reclaim freed nothing: $(cat /tmp/out)"
	after=$(stat_bytes "$key")
	[ "$after" -lt "$before" ] || fail "$key did not drop: $before -> $after"
}

mkdir -p "$cg" "$dir"

# As loaded by the VM: every class has a route.
[ "$(field classes)" = "slab,file,anon" ] || fail "classes: $(field classes)"
for c in slab file anon stats; do
	case $(field "route $c") in
	internal|official) ;;
	*) fail "route $c: $(field "route $c")" ;;
	esac
done
memctl -j info | grep -q '"routes":{"slab":{"path":"' || fail "no routes in memctl -j info"

# No shrink_slab: slab goes through the superblocks' shrinkers.
reload ignore_ksyms=shrink_slab
dmesg | grep -qE 'shrink_slab ignored \(ignore_ksyms\)|kallsyms_lookup_name is sealed' ||
	fail "no load-time message: $(dmesg | grep memctl)"
[ "$(field "route slab")" = official ] || fail "route slab: $(field "route slab")"
reclaims slab slab_reclaimable

# No symbol at all: official routes, or the reason.
for args in ignore_ksyms=kallsyms_lookup_name seal_ksyms=kallsyms_lookup_name; do
	reload "$args"
	case $args in
	seal*) dmesg | grep -q 'kallsyms_lookup_name is sealed (no ENDBR' ||
			fail "$args: no message about the seal" ;;
	*) dmesg | grep -qE 'kallsyms_lookup_name (ignored|is sealed)' ||
			fail "$args: no message" ;;
	esac
	dmesg | grep -q 'no kernel symbol is resolved' || fail "$args: no summary line"
	for c in slab anon stats pressure; do
		[ "$(field "route $c")" = official ] ||
			fail "$args: route $c: $(field "route $c")"
	done
	reclaims slab slab_reclaimable
	if [ $file_without_symbols = official ]; then
		[ "$(field "route file")" = official ] ||
			fail "$args: route file: $(field "route file")"
		reclaims file file
		[ "$(field classes)" = "slab,file,anon" ] || fail "$args: classes: $(field classes)"
	else
		field "route file" | grep -q '^unavailable: .*swappiness' ||
			fail "$args: route file: $(field "route file")"
		[ "$(field classes)" = "slab,anon" ] || fail "$args: classes: $(field classes)"
		fill
		before=$(stat_bytes file)
		if memctl reclaim /memctl-ksyms-test 16M classes file 2>/tmp/err; then
			fail "$args: file reclaim accepted without a route"
		else
			rc=$?
		fi
		[ "$rc" -eq 1 ] || fail "$args: exit status $rc, want 1"
		grep -q swappiness /tmp/err || fail "$args: refusal gives no reason: $(cat /tmp/err)"
		[ "$(stat_bytes file)" -ge $((before - 1048576)) ] ||
			fail "$args: a refused reclaim reclaimed"
		if memctl policy set /memctl-ksyms-test high 64M target 32M classes file 2>/tmp/err; then
			fail "$args: policy with the file class accepted"
		fi
		[ "$(memctl -j policy show)" = "[]" ] || fail "$args: a refused policy is in the table"
	fi
	memctl policy set /memctl-ksyms-test high 64M target 32M classes slab,anon ||
		fail "$args: a policy with available classes must be accepted"
	memctl policy del /memctl-ksyms-test
	memctl stats /memctl-ksyms-test >/dev/null || fail "$args: stats"
done

# A sealed shrink_slab, where kallsyms_lookup_name itself is callable.
reload seal_ksyms=shrink_slab
dmesg | grep -qE 'shrink_slab is sealed \(no ENDBR|kallsyms_lookup_name is sealed' ||
	fail "seal_ksyms=shrink_slab: no message"
[ "$(field "route slab")" = official ] || fail "sealed shrink_slab: route slab: $(field "route slab")"
echo "ksyms fallbacks: ok"
