# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Sourced by build, path and check: where the debug kernel for this checkout
# lives.  The cache key is a hash of everything the kernel is made from: the
# config fragment, the build script and this file, the version of Debian's
# linux-source-6.1 package and the compiler.

# shellcheck disable=SC2034 # used by the scripts that source this file
DK_SRC_PKG=linux-source-6.1
DK_TARBALL=/usr/src/linux-source-6.1.tar.xz
DK_CACHE=${MEMCTL_DEBUG_KERNEL_CACHE:-/var/cache/memctl/debug-kernel}

dk_die() {
	echo "debug-kernel: $*" >&2
	exit 1
}

# Version of the installed linux-source-6.1 package; empty if not installed.
dk_src_version() {
	dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$DK_SRC_PKG" 2>/dev/null |
		sed -n 's/^installed //p'
}

# dk_key DIR VERSION: the cache key, 16 hex digits.
dk_key() {
	local here=$1 version=$2

	{
		cat "$here/config" "$here/build" "$here/lib.sh"
		echo "$DK_SRC_PKG $version"
		gcc --version 2>/dev/null | head -n 1
	} | sha256sum | cut -c 1-16
}
