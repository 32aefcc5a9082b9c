# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2154
#
# What the tier's bench parts share, sourced (tier-bench.sh,
# backing-bench.sh): the two swap devices, made and unmade the same way,
# and the cgroup the workload runs in.  The caller sets $cg (the
# workload's cgroup) and $devsize (each device's size).

# in_cgroup COMMAND...: runs it in $cg, as a workload runs in its cgroup
# (so that memctl's per-cgroup accounting is part of what is measured)
in_cgroup() {
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}

# dev_up DEV ALGO [BACKING [ARG...]]: zram0 (DEV zram) or the tier (DEV
# memctl) of $devsize with ALGO, swapped on; with BACKING, its backing
# device (ARG...: more of `memctl tier set`)
dev_up() {
	dev=$1
	algo=$2
	shift 2
	case $dev in
	zram)
		[ $# -eq 0 ] || echo "$1" >/sys/block/zram0/backing_dev
		echo "$algo" >/sys/block/zram0/comp_algorithm
		echo "$devsize" >/sys/block/zram0/disksize
		;;
	memctl)
		if [ $# -eq 0 ]; then
			memctl tier set size "$devsize" algo "$algo"
		else
			backing=$1
			shift
			memctl tier set size "$devsize" algo "$algo" backing "$backing" "$@"
		fi
		;;
	esac
	mkswap "/dev/${dev}0" >/dev/null
	swapon "/dev/${dev}0"
}

# dev_down DEV: swapped off and unmade
dev_down() {
	swapoff "/dev/${1}0"
	case $1 in
	zram) echo 1 >/sys/block/zram0/reset ;;
	memctl) memctl tier del ;;
	esac
}

# devs_gone: neither device left, nor the workload's cgroup (at exit)
devs_gone() {
	rmdir "$cg" "${cg%/*}" 2>/dev/null || true
	swapoff /dev/zram0 2>/dev/null || true
	if [ -e /sys/block/zram0/reset ]; then
		echo 1 >/sys/block/zram0/reset 2>/dev/null || true
	fi
	swapoff /dev/memctl0 2>/dev/null || true
	memctl tier del >/dev/null 2>&1 || true
}
