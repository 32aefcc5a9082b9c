#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Proves what libmemctl.map promises, on libraries built from the sources:
#  - each version node's symbols are exported with that node's version,
#    and nothing else is exported;
#  - a program linked against the library as MEMCTL_1.0 shipped it (the map
#    cut after its node) binds to name@MEMCTL_1.0 and runs against today's
#    library: the old symbols stay, with their version;
#  - a program linked against today's library binds a MEMCTL_1.1 call to
#    name@MEMCTL_1.1.
# Run from libmemctl/ by `make check`:
#   tests/abi-check.sh CC "CFLAGS" "LIBS" SOURCE...
# Prints "ok - ..." or "not ok - ..." per claim; exits 1 if one failed.
set -eu

cc=$1 cflags=$2 libs=$3
shift 3
dir=$(mktemp -d "${TMPDIR:-/tmp}/memctl-abi.XXXXXX")
trap 'rm -rf "$dir"' EXIT
failed=0

ok() { echo "ok - abi: $*"; }
not_ok() { echo "not ok - abi: $*"; failed=1; }

# lib DIR MAP: libmemctl.so.1 (and libmemctl.so) in DIR, exported by MAP
lib() {
	d=$1 map=$2
	shift 2
	mkdir -p "$d"
	# shellcheck disable=SC2086
	$cc $cflags -shared -fPIC -fvisibility=hidden -Wl,-soname,libmemctl.so.1 \
		-Wl,--version-script="$map" -o "$d/libmemctl.so.1" "$@" $libs ||
		return 1
	ln -sf libmemctl.so.1 "$d/libmemctl.so"
}
sed '/^MEMCTL_1\.1 {/,$d' libmemctl.map >"$dir/1.0.map"
lib "$dir/old" "$dir/1.0.map" "$@" 2>"$dir/err" || { cat "$dir/err"; exit 1; }
lib "$dir/new" libmemctl.map "$@" 2>"$dir/err" || { cat "$dir/err"; exit 1; }

# "name@VERSION" of every symbol the library defines and exports
exported() {
	readelf --dyn-syms -W "$1" | awk '$7 != "UND" && $5 == "GLOBAL" &&
		$8 ~ /^memctl_/ { sub(/@@/, "@", $8); print $8 }' | sort
}
# the same, from the map: each node's globals with the node's name
promised() {
	awk '/^MEMCTL_[0-9.]* {/ { node = $1 }
	     /^[ \t]*memctl_[a-z0-9_]*;/ { gsub(/[ \t;]/, ""); print $0 "@" node }' "$1" | sort
}
exported "$dir/new/libmemctl.so.1" >"$dir/exported"
promised libmemctl.map >"$dir/promised"
if cmp -s "$dir/exported" "$dir/promised"; then
	ok "every symbol of libmemctl.map, with its node's version, and no other"
else
	not_ok "the exports differ from libmemctl.map (< promised, > exported):"
	diff "$dir/promised" "$dir/exported" | sed 's/^/#   /'
fi
if [ "$(exported "$dir/old/libmemctl.so.1")" = "$(promised "$dir/1.0.map")" ]; then
	ok "the MEMCTL_1.0 library exports MEMCTL_1.0 only"
else
	not_ok "the MEMCTL_1.0 library exports something else"
fi

# shellcheck disable=SC2086
$cc $cflags -o "$dir/prog" tests/abi_prog.c -L"$dir/old" -lmemctl $libs
if readelf --dyn-syms -W "$dir/prog" | grep -q ' memctl_parse_size@MEMCTL_1\.0' &&
   ! readelf --dyn-syms -W "$dir/prog" | grep -q '@MEMCTL_1\.[1-9]'; then
	ok "a program of MEMCTL_1.0 binds to name@MEMCTL_1.0"
else
	not_ok "a program of MEMCTL_1.0 does not bind to MEMCTL_1.0"
fi
if [ "$(LD_LIBRARY_PATH="$dir/new" "$dir/prog")" = ok ]; then
	ok "a program of MEMCTL_1.0 runs against today's library"
else
	not_ok "a program of MEMCTL_1.0 fails against today's library"
fi

cat >"$dir/new.c" <<'PROG'
#include "memctl.h"
int main(void)
{
	MEMCTL_OPTS(memctl_reclaim_opts, opts, .classes = MEMCTL_F_CLASS_SLAB);

	return memctl_reclaim_opts(NULL, "/", 0, 1, &opts, NULL) != -EINVAL;
}
PROG
# shellcheck disable=SC2086
if $cc $cflags -include errno.h -o "$dir/newprog" "$dir/new.c" -L"$dir/new" -lmemctl $libs &&
   readelf --dyn-syms -W "$dir/newprog" | grep -q ' memctl_reclaim_opts@MEMCTL_1\.1' &&
   LD_LIBRARY_PATH="$dir/new" "$dir/newprog"; then
	ok "a program of MEMCTL_1.1 binds to memctl_reclaim_opts@MEMCTL_1.1"
else
	not_ok "a program of MEMCTL_1.1 does not bind to MEMCTL_1.1"
fi
exit $failed
