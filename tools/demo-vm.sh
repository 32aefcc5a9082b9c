#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo, inside the VM (tools/demo boots it): every step is a real
# workload in a real cgroup, and every figure printed is what the module
# measured.  POSIX sh: the VM has no bash.
set -eu

top=$1
PATH=$top/tools/bench:$PATH
cg=/sys/fs/cgroup
mon=/tmp/demo-events

step() {
	printf '\n==== %s\n' "$*"
}

run() {
	printf '$ %s\n' "$*"
	"$@"
}

cleanup() {
	[ -n "${mon_pid:-}" ] && kill "$mon_pid" 2>/dev/null
	swapoff /dev/memctl0 2>/dev/null || true
	memctl tier del 2>/dev/null || true
}
trap cleanup EXIT

# Runs "$@" inside cgroup $1 (given without /sys/fs/cgroup).
in_cgroup() {
	g=$1
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg$g" "$@"
}

step "memctl.ko is loaded; the CLI talks to it over generic netlink"
run memctl version
run memctl info

memctl monitor >"$mon" 2>&1 &
mon_pid=$!

step "1. A build job bloats dentries: memctl holds its cgroup under 'high', slab first"
mkdir -p "$cg/build" /mnt/scratch/build
run memctl policy set /build high 24M target 16M interval 200ms classes slab,file
printf '$ memload negdentries /mnt/scratch/build 300000   # in /build: 300k failed lookups\n'
in_cgroup /build memload negdentries /mnt/scratch/build 300000
printf '$ memload files /mnt/scratch/build 20000          # 20k files: dentries and inodes\n'
in_cgroup /build memload files /mnt/scratch/build 20000
sleep 2
run memctl stats /build

step "2. A reader fills the page cache of the same cgroup"
printf '$ memload pagecache /mnt/scratch/data 96          # write and read 96 MiB\n'
in_cgroup /build memload pagecache /mnt/scratch/data 96
sleep 2
run memctl stats /build
run memctl policy show

step "3. A per-cgroup 'drop caches': slab of /build only, nothing else on the host"
in_cgroup /build memload negdentries /mnt/scratch/build 100000
run memctl reclaim /build 64M classes slab

if memctl info | grep -q tier; then
	step "4. The compressed tier: anonymous pages pushed out by reclaim stay in RAM, compressed, charged to their cgroup"
	run memctl tier set size 256M algo lz4
	run mkswap /dev/memctl0 >/dev/null
	run swapon /dev/memctl0
	mkdir -p "$cg/anon"
	echo 48M >"$cg/anon/memory.max"
	run memctl policy set /anon high 40M target 32M classes anon tier on tier-max 64M
	printf '$ memload anon 80       # in /anon, under memory.max=48M\n'
	sh -c 'echo $$ >"$0/cgroup.procs" && exec memload anon 80' "$cg/anon" >/tmp/anon.out &
	pid=$!
	i=0
	while ! grep -q ready /tmp/anon.out 2>/dev/null && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	# memory.max has pushed pages into the tier already; give the
	# policy (checked every second) the time for its own anon episode.
	i=0
	while ! memctl -j stats /anon | grep -q '"episodes":[1-9]' && [ $i -lt 20 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	run memctl tier show
	run memctl stats /anon
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	sleep 1
	run swapoff /dev/memctl0
	run memctl tier del
fi

step "5. Mode auto: no marks; memctl finds what /web needs and gives the rest back"
mkdir -p "$cg/web"
printf '$ memload pagecache /mnt/scratch/cold 64    # in /web: 64 MiB read once (cold)\n'
in_cgroup /web memload pagecache /mnt/scratch/cold 64
printf '$ memload stream /mnt/scratch/hot 60 &      # in /web: 16 MiB read in a loop (hot)\n'
in_cgroup /web memload pagecache /mnt/scratch/hot 16
in_cgroup /web memload stream /mnt/scratch/hot 60 &
hot=$!
run memctl policy set /web mode auto
# one line every 2 s: usage, the estimate, what auto saved
i=0
while [ $i -lt 10 ]; do
	sleep 2
	i=$((i + 1))
	memctl -j stats /web | sed -n 's/.*"usage":\([0-9]*\).*"auto":{"working_set":\([0-9]*\),"saved":\([0-9]*\)}.*/\1 \2 \3/p' |
	while read -r u w s; do
		printf '  t=%2ds  usage %4d MiB   working set %4d MiB   saved %4d MiB\n' \
			$((i * 2)) $((u >> 20)) $((w >> 20)) $((s >> 20))
	done
done
kill "$hot" 2>/dev/null || true
wait "$hot" 2>/dev/null || true
run memctl policy show /web

step "What memctl told its listeners (memctl monitor)"
kill "$mon_pid"
mon_pid=
cat "$mon"

step "Policies go away with their cgroups"
run memctl policy del /build
rmdir "$cg/anon" 2>/dev/null || true
run memctl policy del /web
run memctl policy show
