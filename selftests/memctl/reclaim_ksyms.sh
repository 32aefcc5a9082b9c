#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that memctl still loads when kernel symbols the reclaim engine
# resolves at load time are missing (simulated with the module parameter
# ignore_ksyms): GET_INFO stops reporting the class, requests for it are
# refused with exit status 1 and a message naming the symbol, nothing is
# reclaimed, and the classes that remain still work.  Without
# kallsyms_lookup_name nothing can be resolved: reclaim is off altogether.
set -eu

cg=/sys/fs/cgroup/memctl-ksyms-test
dir=/mnt/scratch/memctl-ksyms-test

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
	modprobe memctl "$@"
}

field() {
	memctl info | sed -n "s/^$1 *//p"
}

file_bytes() {
	sed -n 's/^file //p' "$cg/memory.stat"
}

mkdir -p "$cg" "$dir"
# 32 MiB of clean page cache charged to the cgroup.
sh -c "echo \$\$ > $cg/cgroup.procs; dd if=/dev/zero of=$dir/f bs=1M count=32 conv=fsync 2>/dev/null"

# As loaded by the VM: every class.
[ "$(field classes)" = "slab,file,anon" ] || fail "classes: $(field classes)"

# No shrink_slab: no slab class, file and anon remain.
reload ignore_ksyms=shrink_slab
dmesg | grep -q "shrink_slab ignored (ignore_ksyms)" || fail "no load-time message"
[ "$(field classes)" = "file,anon" ] || fail "classes without shrink_slab: $(field classes)"
field features | grep -qw reclaim || fail "reclaim feature lost: $(field features)"
before=$(file_bytes)
if memctl reclaim /memctl-ksyms-test 16M classes slab 2>/tmp/err; then
	fail "slab reclaim accepted without shrink_slab"
else
	rc=$?
fi
[ "$rc" -eq 1 ] || fail "exit status $rc, want 1"
grep -q shrink_slab /tmp/err || fail "message does not name the symbol: $(cat /tmp/err)"
if memctl policy set /memctl-ksyms-test high 64M target 32M classes slab,file 2>/tmp/err; then
	fail "policy with the slab class accepted without shrink_slab"
fi
grep -q shrink_slab /tmp/err || fail "policy refusal does not name the symbol: $(cat /tmp/err)"
[ "$(memctl -j policy show)" = "[]" ] || fail "a refused policy is in the table"
[ "$(file_bytes)" -ge $((before - 1048576)) ] || fail "a refused reclaim reclaimed"
# The default classes take what is left: file.
memctl -j reclaim /memctl-ksyms-test 16M >/tmp/out || fail "default reclaim without slab"
grep -q '"file":[1-9]' /tmp/out || fail "file reclaim freed nothing: $(cat /tmp/out)"

# No kallsyms_lookup_name: the module loads, reclaim is unavailable.
reload ignore_ksyms=kallsyms_lookup_name
[ -z "$(field classes)" ] || [ "$(field classes)" = "none" ] ||
	fail "classes without any symbol: $(field classes)"
field features | grep -qw reclaim && fail "reclaim reported without symbols"
if memctl reclaim /memctl-ksyms-test 16M 2>/tmp/err; then
	fail "reclaim accepted without symbols"
fi
grep -q try_to_free_mem_cgroup_pages /tmp/err ||
	grep -q shrink_slab /tmp/err || fail "message names no symbol: $(cat /tmp/err)"
memctl policy set /memctl-ksyms-test high 64M target 32M ||
	fail "a policy with default classes must still be accepted"
memctl stats /memctl-ksyms-test >/dev/null || fail "stats without symbols"
echo "ksyms fallbacks: ok"
