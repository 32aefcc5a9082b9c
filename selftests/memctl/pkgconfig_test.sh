#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that the installed pkg-config file is enough to write a libmemctl
# client: pkgconfig_prog was built on the host by tools/test-install from
# pkgconfig_prog.c with only `pkg-config --cflags --libs libmemctl` of a
# `make install DESTDIR=...` tree.  Here it opens libmemctl, calls
# memctl_get_info() on the real module, and must report what memctl
# reports: the module's version, this kernel, and the policy count, which
# follows a policy being created.
set -eu

prog=$(dirname "$0")/pkgconfig_prog
top=/sys/fs/cgroup/memctl-pkgconfig-test

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	memctl policy del /memctl-pkgconfig-test >/dev/null 2>&1 || true
	rmdir "$top" 2>/dev/null || true
}
trap cleanup EXIT

if [ ! -x "$prog" ]; then
	echo "SKIP: $prog is not built (tools/test-install builds it)"
	exit 4
fi

json_str() {
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}
json_num() {
	sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

library=$(memctl -j version | json_str library)
module=$(memctl -j version | json_str module)
max=$(memctl -j info | json_num max_policies)
n=$(memctl -j info | json_num policies)

out=$("$prog") || fail "pkgconfig_prog exited $?"
echo "$out"
[ "$(echo "$out" | sed -n 1p)" = "libmemctl $library" ] || fail "library line: $out"
[ "$(echo "$out" | sed -n 2p)" = "module $module kernel $(uname -r) policies $n/$max" ] ||
	fail "info line: $out"

mkdir -p "$top"
memctl policy set /memctl-pkgconfig-test high 64M target 32M
out=$("$prog") || fail "pkgconfig_prog exited $?"
echo "$out" | grep -qx "module $module kernel $(uname -r) policies $((n + 1))/$max" ||
	fail "the count did not follow a new policy: $out"
echo "pkgconfig: ok"
